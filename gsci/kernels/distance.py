"""The Euclidean distance-transform kernel: one pass of the lower envelope of parabolas along one axis,
one CUDA thread per line.

The arithmetic is that of `gsci.kernels.distance_cpu` (SciPy's, term for
term). A line's envelope needs as many slots as the line is long: they come
from device scratch arrays, one row per thread in flight (a grid-stride loop
takes the other lines), so no line length, shape or sampling triggers a
compilation: the kernel is compiled once (float64 distances, int32
features). Indices are 64-bit.
"""

import functools
import math

import numpy as np
from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view

LINES_IN_FLIGHT = 1 << 14  # lines transformed at once, each with its scratch row


@cuda.jit(device=True, inline="always")
def _envelope(dist, base, step, n, scale, sites, heights, row):
    last = -1
    for i in range(n):
        w = dist[base + i * step]
        if w == np.inf:
            continue
        while last >= 1:
            v, u = sites[row, last], sites[row, last - 1]
            a = (v - u) * scale
            b = (i - v) * scale
            c = a + b
            if c * heights[row, last] - b * heights[row, last - 1] - a * w - a * b * c <= 0.0:
                break
            last -= 1
        last += 1
        sites[row, last] = i
        heights[row, last] = w
    return last


def _source():
    def euclidean_pass(dist, features, outer, n, inner, axis, scale, root, sites, heights):
        """Lines ``(o, ., c)`` of the C-order array seen as ``(outer, n, inner)``: ``dist`` squared
        distances (inf: none yet), ``features`` int32 components (``size`` apart; length 1: none)."""
        row = cuda.grid(1)
        total = outer * n * inner
        track = features.shape[0] > 1
        for line in range(row, outer * inner, cuda.gridsize(1)):
            o, c = line // inner, line % inner
            base = o * n * inner + c
            last = _envelope(dist, base, inner, n, scale, sites, heights, row)
            if last < 0:
                continue
            k = 0
            for i in range(n):
                t = (sites[row, k] - i) * scale
                best = heights[row, k] + t * t
                while k < last:
                    t = (sites[row, k + 1] - i) * scale
                    other = heights[row, k + 1] + t * t
                    if best <= other:
                        break
                    best = other
                    k += 1
                dist[base + i * inner] = math.sqrt(best) if root else best
                if track:
                    features[axis * total + base + i * inner] = sites[row, k]
            if track:
                for component in range(axis):
                    start = component * total + base
                    for i in range(n):
                        sites[row, i] = features[start + i * inner]
                    for i in range(n):
                        features[start + i * inner] = sites[row, features[axis * total + base + i * inner]]

    return euclidean_pass


@functools.cache
def _kernel():
    return cuda.jit(_source())


def euclidean_pass(dist, features, shape, axis, scale, root, scratch):
    """One pass along ``axis``, in place, on flat C-order device arrays.

    ``dist``: float64, ``features``: int32 of ``len(shape)`` times its length
    (or a length-1 array: none moved), ``scratch``: ``(sites, heights)``,
    int64 and float64 arrays of ``(scratch_rows(lines), >= shape[axis])``.
    """
    outer, inner = int(np.prod(shape[:axis])), int(np.prod(shape[axis + 1 :]))
    sites, heights = scratch
    blocks, threads = geometry(min(outer * inner, LINES_IN_FLIGHT))
    with on_device_of(dist):
        _kernel()[blocks, threads, stream_of(dist)](
            view(dist, written=True),
            view(features, written=True),
            np.int64(outer),
            np.int64(shape[axis]),
            np.int64(inner),
            np.int64(axis),
            np.float64(scale),
            bool(root),
            view(sites, written=True),
            view(heights, written=True),
        )


def scratch_rows(lines):
    """How many scratch rows a pass over ``lines`` lines uses: one per thread of its launch."""
    blocks, threads = geometry(min(lines, LINES_IN_FLIGHT))
    return blocks * threads
