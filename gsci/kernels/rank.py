"""The rank-filter kernels: the min, max or ``rank``-th value over a footprint, with SciPy's boundary modes.

One thread computes one output element (grid-stride loop) of a C-order
array of any rank; the footprint arrives as a device array of offsets (one
row of per-axis offsets per footprint element), so no size, shape, rank or
footprint ever triggers a compilation. The min/max kernel is compiled once
per (boundary mode, dtype) (and once more for the float64 output of a non-flat
structure, whose values arrive as an array); the selection kernel, which copies the window
into a per-thread buffer of `CAPACITY` values and runs quickselect on it,
once per (boundary mode, dtype) too (the buffer's dtype is a compile-time
constant). Indices are 64-bit.

NaN: min/max propagate NaN; the selection orders NaN above every number.
"""

import functools

import numpy as np
from numba import cuda
from numba.np import numpy_support

from gsci.kernels._launch import geometry, on_device_of, stream_of, view
from gsci.kernels.stencil import source_index

CAPACITY = 256  # window values one thread can hold; larger footprints select with the Array API engine
MAX_NDIM = 32  # NumPy's own limit on array rank


@cuda.jit(device=True, inline="always")
def window_value(x, shape, offsets, p, coords, cval, mode):
    """The value of footprint element ``p`` for the output at ``coords``: the input's, or cval."""
    ndim = shape.shape[0]
    flat, stride = 0, 1
    for a in range(ndim - 1, -1, -1):
        q = source_index(coords[a] + offsets[p * ndim + a], shape[a], mode)
        if q < 0:
            return cval
        flat += q * stride
        stride *= shape[a]
    return x[flat]


@cuda.jit(device=True, inline="always")
def unravel(flat, shape, coords):
    for a in range(shape.shape[0] - 1, -1, -1):
        coords[a] = flat % shape[a]
        flat //= shape[a]


@cuda.jit(device=True, inline="always")
def before(a, b):
    """The selection's order: numbers as usual, NaN above every number."""
    return a < b or (b != b and a == a)


@functools.cache
def extreme_source(mode):
    """The Python function of the min/max kernel for boundary ``mode`` (for compile_ptx)."""

    def extreme_over_footprint(x, shape, offsets, added, out, cval, first, minimum):
        coords = cuda.local.array(MAX_NDIM, np.int64)
        count = offsets.shape[0] // shape.shape[0]
        kind = x.dtype.type
        for flat in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
            unravel(flat, shape, coords)
            if added.shape[0] == 0:  # flat: in x's dtype
                best = window_value(x, shape, offsets, 0, coords, cval, mode)
                for p in range(1, count):
                    value = window_value(x, shape, offsets, p, coords, cval, mode)
                    if value != value or (value < best if minimum else value > best):
                        best = value
                out[flat] = best
            else:  # a structure, as SciPy adds it: the first element in float64, the others in x's dtype
                total = np.float64(window_value(x, shape, offsets, 0, coords, cval, mode)) + first
                for p in range(1, count):
                    term = np.float64(kind(window_value(x, shape, offsets, p, coords, cval, mode) + added[p]))
                    if term != term or (term < total if minimum else term > total):
                        total = term
                out[flat] = total

    extreme_over_footprint.__name__ = f"extreme_over_footprint_mode{mode}"
    return extreme_over_footprint


@functools.cache
def select_source(mode, dtype):
    """The Python function of the selection kernel for ``mode`` and NumPy ``dtype`` (for compile_ptx)."""
    item = numpy_support.from_dtype(np.dtype(dtype))

    def select_over_footprint(x, shape, offsets, out, cval, rank):
        coords = cuda.local.array(MAX_NDIM, np.int64)
        window = cuda.local.array(CAPACITY, item)
        count = offsets.shape[0] // shape.shape[0]
        for flat in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
            unravel(flat, shape, coords)
            for p in range(count):
                window[p] = window_value(x, shape, offsets, p, coords, cval, mode)
            low, high = 0, count - 1
            while low < high:  # quickselect (Hoare's partition) of position ``rank``
                pivot = window[(low + high) // 2]
                i, j = low, high
                while i <= j:
                    while before(window[i], pivot):
                        i += 1
                    while before(pivot, window[j]):
                        j -= 1
                    if i <= j:
                        window[i], window[j] = window[j], window[i]
                        i += 1
                        j -= 1
                if rank <= j:
                    high = j
                elif rank >= i:
                    low = i
                else:
                    break
            out[flat] = window[rank]

    select_over_footprint.__name__ = f"select_over_footprint_mode{mode}_{np.dtype(dtype).name}"
    return select_over_footprint


@functools.cache
def extreme_kernel(mode):
    """The compiled-on-first-launch min/max kernel for ``mode``; Numba specializes it per dtype."""
    return cuda.jit(extreme_source(mode))


@functools.cache
def select_kernel(mode, dtype):
    """The compiled-on-first-launch selection kernel for ``mode`` and ``dtype``."""
    return cuda.jit(select_source(mode, dtype))


def extreme_over_footprint(x, shape, offsets, added, out, *, mode, cval, first, minimum):
    """``out`` = min (max) over the footprint ``offsets`` of ``x`` (plus a structure's values).

    Parameters
    ----------
    x, out : 1-d contiguous arrays of one dtype (CuPy, PyTorch CUDA, or NumPy
        in the simulator), the flattened C-order input and output.
    shape, offsets : 1-d contiguous int64 arrays on the same device: the
        array's shape, and per footprint element its offset on each axis
        (``len(shape)`` values per element, the element's position minus
        the window's positions before the output).
    added : 1-d contiguous array of ``x``'s dtype on the same device, empty
        for a flat footprint; else a structure's value per footprint element,
        added in ``x``'s dtype (integers wrap around), but for the first
        element, which adds ``first`` in float64, as SciPy's C code; ``out``
        is then float64.
    mode : int
        A boundary code from `gsci._lib._boundary`.
    cval : number
        The value beyond the edges for ``CONSTANT``, of ``x``'s dtype.
    first : float
        The first footprint element's structure value (unused when flat).
    minimum : bool
        Minimum, else maximum.
    """
    blocks, threads = geometry(out.shape[0])
    with on_device_of(x):
        result = view(out, written=True)
        item = np.dtype(str(x.dtype).rpartition(".")[2])  # NumPy's, CuPy's or PyTorch's dtype
        extreme_kernel(mode)[blocks, threads, stream_of(x)](
            view(x),
            view(shape),
            view(offsets),
            view(added),
            result,
            item.type(cval),
            np.float64(first),
            bool(minimum),
        )


def select_over_footprint(x, shape, offsets, out, *, mode, cval, rank):
    """``out`` = the ``rank``-th smallest value over the footprint ``offsets`` of ``x``.

    As `extreme_over_footprint`, with ``rank`` in ``[0, elements)`` and at
    most `CAPACITY` footprint elements.
    """
    count = offsets.shape[0] // shape.shape[0]
    if count > CAPACITY:
        raise ValueError(f"select_over_footprint holds at most {CAPACITY} window values, got {count}")
    blocks, threads = geometry(out.shape[0])
    with on_device_of(x):
        result = view(out, written=True)
        select_kernel(mode, result.dtype.name)[blocks, threads, stream_of(x)](
            view(x), view(shape), view(offsets), result, result.dtype.type(cval), np.int64(rank)
        )
