"""The spline-interpolation kernel: the B-spline of given coefficients at mapped points, one CUDA thread
per output point (grid-stride loop).

A thread maps its output point to the input (a coordinates array, an
affine map, or a per-axis zoom and shift), fills per input axis the taps'
element offsets, weights and cval flags in registers (``cuda.local.array``
of `MAX_DIMS` x `MAX_TAPS`), and sums the ``(order + 1) ** ndim`` taps
term by term as SciPy's ``NI_GeometricTransform`` does (value times the
weights, axis by axis). The mapping arithmetic and the weights are the
functions of `gsci.kernels.interpolate_cpu` (SciPy's, see there), compiled
for the device. NVVM may fuse a multiply and an add (one rounding less),
so values agree with SciPy's to rounding, not always bit for bit.

The kernel is compiled once (float64): rank, order, mode, mapping, shapes
and batch are arguments, so no shape, zoom factor or coordinates array
triggers a compilation. Indices are 64-bit.
"""

import functools

import numpy as np
from numba import cuda, int64, uint8
from numba import float64 as f64

from gsci.kernels import interpolate_cpu
from gsci.kernels._launch import geometry, on_device_of, stream_of, view

MAX_DIMS = 8  # input (and output) ranks the kernel takes; larger ones go to the Array API engine
MAX_TAPS = 6  # order 5
COORDINATES, AFFINE, ZOOM_SHIFT = range(3)  # the mappings
HAS_ZOOM, HAS_SHIFT, GRID_MODE = 1, 2, 4  # ZOOM_SHIFT's flags


def _source():
    mapped, first_tap, tap_index, spline_weights = interpolate_cpu.device_functions(
        cuda.jit(device=True, inline="always")
    )

    def interpolate_points(
        c, out, coordinates, ints, floats, irank, orank, kind, flags, order, mode, cval, npad, block
    ):
        """``out`` (flat ``(batch, points)``) from the flat ``c`` (``(batch, block)``).

        ``ints``: the global input shape, the block's origin in it and its element strides (``irank``
        each), the output shape and its origin (``orank`` each). ``floats``: AFFINE's matrix
        (``irank * orank``, C order) and offset (``irank``); ZOOM_SHIFT's zoom and shift (``irank``
        each, as ``flags`` says). ``coordinates``: COORDINATES' (``(irank, points)``, flat).
        """
        off = cuda.local.array((MAX_DIMS, MAX_TAPS), int64)
        w = cuda.local.array((MAX_DIMS, MAX_TAPS), f64)
        cv = cuda.local.array((MAX_DIMS, MAX_TAPS), uint8)
        k = cuda.local.array(MAX_DIMS, int64)
        index = cuda.local.array(MAX_DIMS, int64)
        n = order + 1
        points = 1
        for a in range(orank):
            points *= ints[3 * irank + a]
        for g in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
            b, p = g // points, g % points
            rest = p
            for a in range(orank - 1, -1, -1):
                index[a] = rest % ints[3 * irank + a] + ints[3 * irank + orank + a]
                rest //= ints[3 * irank + a]
            inside = True
            for i in range(irank):
                if kind == COORDINATES:
                    cc = coordinates[i * points + p]
                elif kind == AFFINE:
                    cc = floats[irank * orank + i]
                    for j in range(orank):
                        cc += index[j] * floats[i * orank + j]
                else:
                    cc = float(index[i])
                    if flags & HAS_SHIFT:
                        cc += floats[irank + i]
                    if flags & HAS_ZOOM:
                        cc = (cc + 0.5) * floats[i] - 0.5 if flags & GRID_MODE else cc * floats[i]
                found, cc = mapped(cc + npad, ints[i], mode)
                if not found:
                    inside = False
                    break
                start = first_tap(cc, order)
                weights = spline_weights(cc, order)
                for j in range(n):
                    q = tap_index(start + j, ints[i], mode)
                    off[i, j] = (q - ints[irank + i]) * ints[2 * irank + i] if q >= 0 else 0
                    cv[i, j] = q < 0
                    w[i, j] = weights[j]
            value = cval
            if inside:
                value = 0.0
                for e in range(irank):
                    k[e] = 0
                more = True
                while more:  # every tap, the last axis fastest: SciPy's order of terms
                    at, outside = b * block, False
                    for e in range(irank):
                        at += off[e, k[e]]
                        outside |= cv[e, k[e]] != 0
                    v = cval if outside else c[at]
                    for e in range(irank):
                        v *= w[e, k[e]]
                    value += v
                    more = False
                    for e in range(irank - 1, -1, -1):
                        k[e] += 1
                        if k[e] < n:
                            more = True
                            break
                        k[e] = 0
            out[g] = value

    return interpolate_points


@functools.cache
def _kernel():
    return cuda.jit(_source())


def interpolate(
    c, out, coordinates, ints, floats, *, irank, orank, kind, flags, order, mode, cval, npad, block
):
    """Launch the kernel on flat C-order device arrays (see `_source`): ``c`` and ``out`` float64,
    ``coordinates`` and ``floats`` float64 (length >= 1), ``ints`` int64; ``mode``: a code of
    `interpolate_cpu`."""
    blocks, threads = geometry(out.shape[0])
    with on_device_of(out):
        _kernel()[blocks, threads, stream_of(out)](
            view(c),
            view(out, written=True),
            view(coordinates),
            view(ints),
            view(floats),
            np.int64(irank),
            np.int64(orank),
            np.int64(kind),
            np.int64(flags),
            np.int64(order),
            np.int64(mode),
            np.float64(cval),
            np.float64(npad),
            np.int64(block),
        )
