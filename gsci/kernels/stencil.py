"""The stencil kernel: a 1-D correlation along one axis, with SciPy's boundary modes.

An array of any rank is seen, in C order, as lines of ``n`` elements spaced
``inner`` apart; one thread computes one output element (grid-stride loop).
Kernels are compiled once per (boundary mode, dtype): the mode is a
compile-time constant, while sizes, taps, origin and cval are arguments, so
no shape or filter length ever triggers a compilation. Indices are 64-bit
(Numba's integer arithmetic), so arrays of 2**31 elements or more work.
"""

import functools

import numpy as np
from numba import cuda

from gsci._lib._boundary import CONSTANT, MIRROR, NEAREST, REFLECT, WRAP
from gsci.kernels._launch import geometry, on_device_of, stream_of, view

MODES = (NEAREST, WRAP, REFLECT, MIRROR, CONSTANT)


@cuda.jit(device=True, inline="always")
def source_index(p, n, mode):
    """Where position ``p`` of a line of length ``n`` reads from; -1 means cval."""
    if 0 <= p < n:
        return p
    if mode == NEAREST:
        return 0 if p < 0 else n - 1
    if mode == WRAP:
        return p % n
    if mode == REFLECT:
        q = p % (2 * n)
        return q if q < n else 2 * n - 1 - q
    if mode == MIRROR:
        if n == 1:
            return 0
        q = p % (2 * n - 2)
        return q if q < n else 2 * n - 2 - q
    return -1


@cuda.jit(device=True, inline="always")
def read_extended(x, line_start, p, n, inner, cval, mode):
    """Element ``p`` of the line starting at ``line_start``, extended past its ends by ``mode``."""
    q = source_index(p, n, mode)
    if q < 0:
        return cval
    return x[line_start + q * inner]


@functools.cache
def correlate1d_source(mode):
    """The Python function of the correlate1d kernel for boundary ``mode`` (for compile_ptx)."""

    def correlate1d_along_axis(x, w, out, n, inner, shift, cval, accumulate):
        taps = w.shape[0]
        for flat in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
            i = (flat // inner) % n
            line_start = flat - i * inner
            acc = w[0] * read_extended(x, line_start, i - shift, n, inner, cval, mode)
            for j in range(1, taps):
                acc += w[j] * read_extended(x, line_start, i + j - shift, n, inner, cval, mode)
            if accumulate:
                acc += out[flat]
            out[flat] = acc

    correlate1d_along_axis.__name__ = f"correlate1d_along_axis_mode{mode}"
    return correlate1d_along_axis


@functools.cache
def correlate1d_kernel(mode):
    """The compiled-on-first-launch kernel for ``mode``; Numba specializes it per dtype."""
    return cuda.jit(correlate1d_source(mode))


def correlate1d_along_axis(x, w, out, *, n, inner, mode, cval, origin, accumulate):
    """``out (+)= correlate(x, w)`` along lines of ``n`` elements ``inner`` apart.

    Parameters
    ----------
    x, w, out : 1-d contiguous arrays of one float dtype (CuPy, PyTorch CUDA,
        or NumPy in the simulator); ``x`` and ``out`` are the flattened
        C-order arrays, ``w`` the taps.
    n, inner : int
        Line length and the stride between its elements.
    mode : int
        A boundary code from `gsci._lib._boundary`.
    cval : float
        The value beyond the edges for ``CONSTANT``.
    origin : int
        SciPy's origin (already validated).
    accumulate : bool
        Add to ``out`` instead of overwriting it.
    """
    blocks, threads = geometry(x.shape[0])
    with on_device_of(x):
        result = view(out, written=True)
        correlate1d_kernel(mode)[blocks, threads, stream_of(x)](
            view(x),
            view(w),
            result,
            np.int64(n),
            np.int64(inner),
            np.int64(w.shape[0] // 2 + origin),
            result.dtype.type(cval),
            bool(accumulate),
        )
