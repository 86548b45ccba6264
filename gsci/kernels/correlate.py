"""The n-D correlation kernel of ``correlate``: every tap, with SciPy's boundary modes per axis.

One thread computes one output element of the flattened C-order array
(grid-stride loop): it walks the taps, maps each tap's position axis by
axis with `gsci.kernels.stencil.source_index`, and skips the negligible
weights, as SciPy's C code does. Kernels are compiled once per (boundary
mode, dtype, rank): the mode is a compile-time constant and the shape a
tuple argument, while the weights and their offsets are device arrays, so
no shape or weights size ever triggers a compilation. Indices are 64-bit.
"""

import functools

import numpy as np
from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view
from gsci.kernels.stencil import source_index

# SciPy's C code drops the weights with |w| <= DBL_EPSILON from the footprint.
NEGLIGIBLE = float(np.finfo(np.float64).eps)


@functools.cache
def correlate_source(mode):
    """The Python function of the correlate kernel for boundary ``mode`` (for compile_ptx)."""

    def correlate_taps(x, w, offsets, out, shape, cval, zero):
        for flat in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
            acc = zero
            for t in range(w.shape[0]):
                weight = w[t]
                if abs(weight) > NEGLIGIBLE:
                    source = 0
                    stride = 1
                    rest = flat
                    for d in range(len(shape) - 1, -1, -1):
                        n = shape[d]
                        q = source_index(rest % n + offsets[t, d], n, mode)
                        rest //= n
                        if q < 0:
                            source = -1
                            break
                        source += q * stride
                        stride *= n
                    acc += weight * (x[source] if source >= 0 else cval)
            out[flat] = acc

    correlate_taps.__name__ = f"correlate_taps_mode{mode}"
    return correlate_taps


@functools.cache
def correlate_kernel(mode):
    """The compiled-on-first-launch kernel for ``mode``; Numba specializes it per dtype and rank."""
    return cuda.jit(correlate_source(mode))


def correlate_taps(x, w, offsets, out, *, shape, mode, cval):
    """``out[i] = sum_t w[t] * x[i + offsets[t]]`` over the non-negligible ``w[t]``, extended by ``mode``.

    Parameters
    ----------
    x, w, out : 1-d contiguous arrays of one float dtype (CuPy, PyTorch CUDA,
        or NumPy in the simulator); ``x`` and ``out`` are the flattened
        C-order arrays, ``w`` the weights in C order.
    offsets : 2-d contiguous int64 array ``(len(w), len(shape))`` on ``x``'s device
        Where each tap reads, relative to the output element, per axis.
    shape : tuple of int
        The shape of ``x`` (at least 1-d).
    mode : int
        A boundary code from `gsci._lib._boundary`.
    cval : float
        The value beyond the edges for ``CONSTANT``.
    """
    blocks, threads = geometry(x.shape[0])
    with on_device_of(x):
        result = view(out, written=True)
        scalar = result.dtype.type
        correlate_kernel(mode)[blocks, threads, stream_of(x)](
            view(x),
            view(w),
            view(offsets),
            result,
            tuple(np.int64(n) for n in shape),
            scalar(cval),
            scalar(0),
        )
