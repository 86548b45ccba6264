"""The polyphase kernel: upsample, FIR filter and downsample lines, one thread per output sample.

Same layout as `gsci.kernels.polyphase_cpu`, flattened: ``x`` holds ``rows``
lines of ``n`` samples, ``head`` and ``tail`` their ``H`` and ``T``
boundary samples, ``taps`` the ``(up, K)`` filter by phase, each phase
reversed; ``x``'s first sample is sample ``origin`` of its line, and output
``j`` of a row is sample ``first + j`` of the full upfirdn output. The
kernel compiles once per dtype: factors, lengths and taps are arguments.
A grid-stride loop covers any size; indices are 64-bit.
"""

import functools

import numpy as np
from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view


@cuda.jit(device=True, inline="always")
def extended_sample(x, head, tail, row, i, n, before, after):
    """Sample ``i`` (relative to the line's first sample in ``x``) of line ``row``, extended."""
    if i < 0:
        return head[row * before + before + i]
    if i < n:
        return x[row * n + i]
    return tail[row * after + i - n]


def upfirdn_lines(x, head, tail, taps, out, n, before, after, count, taps_per_phase, up, down, first, origin):
    for flat in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
        row = flat // count
        t = (first + flat - row * count) * down
        phase = t % up
        low = t // up - origin - taps_per_phase + 1
        w = phase * taps_per_phase
        if low >= 0 and low + taps_per_phase <= n:
            start = row * n + low
            acc = taps[w] * x[start]
            for k in range(1, taps_per_phase):
                acc += taps[w + k] * x[start + k]
        else:
            acc = taps[w] * extended_sample(x, head, tail, row, low, n, before, after)
            for k in range(1, taps_per_phase):
                acc += taps[w + k] * extended_sample(x, head, tail, row, low + k, n, before, after)
        out[flat] = acc


@functools.cache
def upfirdn_kernel():
    """The compiled-on-first-launch kernel; Numba specializes it per dtype."""
    return cuda.jit(upfirdn_lines)


def polyphase_lines(x, head, tail, taps, out, *, count, n, before, after, up, down, first, origin):
    """``out`` = outputs ``first ..`` of upfirdn along ``rows`` lines (flat, C-order, one float dtype).

    ``x`` (rows * n), ``head`` (rows * before), ``tail`` (rows * after),
    ``taps`` (up * K) and ``out`` (rows * count) are 1-d contiguous arrays of
    CuPy, PyTorch CUDA, or NumPy in the simulator.
    """
    if out.shape[0] == 0:
        return
    blocks, threads = geometry(out.shape[0])
    with on_device_of(out):
        result = view(out, written=True)
        upfirdn_kernel()[blocks, threads, stream_of(out)](
            view(x),
            view(head),
            view(tail),
            view(taps),
            result,
            np.int64(n),
            np.int64(before),
            np.int64(after),
            np.int64(count),
            np.int64(taps.shape[0] // up),
            np.int64(up),
            np.int64(down),
            np.int64(first),
            np.int64(origin),
        )
