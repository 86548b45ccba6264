"""Stencils in Array API code: the native engine behind the separable filters.

Each function takes a real floating array ``x`` in the dtype to compute in
and returns a new array of that dtype. The boundary is an index map on the
host (`gsci._lib._boundary`): the line is extended once, then the result
is a weighted sum of shifted slices (the loop runs over the filter taps).
"""

import functools
import importlib.util
import math

import numpy as np

from gsci._lib._boundary import CONSTANT, source_indices
from gsci._lib._compat import (
    array_namespace,
    device,
    is_cupy_array,
    is_dask_namespace,
    is_numpy_namespace,
    is_torch_namespace,
)

SECOND_DIFFERENCE = (1.0, -2.0, 1.0)


def correlate(x, w, axis, code, cval, origin, xp):
    """``x`` (real floating) correlated with taps ``w`` (1-d) along ``axis``, SciPy's alignment, in
    ``w``'s dtype (float32 ``x`` with float64 taps: float64 sums, read from float32 on NumPy)."""
    before = w.shape[0] // 2 + origin
    after = w.shape[0] - 1 - before
    if is_numpy_namespace(xp) and _have_numba():
        return _correlate_numba(x, w, axis, before, after, code, cval)
    x = xp.astype(x, w.dtype, copy=False)
    extended = extend(x, axis, before, after, code, cval, xp)
    if is_dask_namespace(xp):
        return on_dask_blocks(_valid_correlation, x, extended, {axis: (before, after)}, w, axis=axis)
    return _weighted_shifts(extended, w, axis, x.shape[axis], xp)


def uniform(x, size, axis, code, cval, origin, xp):
    """Means of ``size`` values along ``axis``, as SciPy's C loop takes them from float64 ``x``.

    A running sum (the first window summed, then each step adds one value and
    drops one) divided by ``size``: exact for integers, SciPy's rounding otherwise.
    """
    before = size // 2 + origin
    after = size - 1 - before
    if is_numpy_namespace(xp) and _have_numba():
        from gsci.kernels import stencil_cpu

        n = x.shape[axis]
        source = source_indices(np.arange(-before, n + after), n, code)
        return stencil_cpu.running_mean_lines(
            x, size, source, cval, n=n, inner=math.prod(x.shape[axis + 1 :])
        )
    extended = extend(x, axis, before, after, code, cval, xp)
    if is_dask_namespace(xp):
        return on_dask_blocks(_valid_running_mean, x, extended, {axis: (before, after)}, axis=axis, size=size)
    return _running_mean(extended, size, axis, x.shape[axis], xp)


def _running_mean(extended, size, axis, n, xp):
    """The running mean of ``size`` values over the extended lines: cumulative sums of the steps."""
    first = xp.cumulative_sum(extended[_along(axis, 0, size)], axis=axis)[_along(axis, size - 1, size)]
    steps = extended[_along(axis, size, size + n - 1)] - extended[_along(axis, 0, n - 1)]
    return xp.cumulative_sum(xp.concat([first, steps], axis=axis), axis=axis) / size


@functools.cache
def _have_numba():
    return importlib.util.find_spec("numba") is not None


def _correlate_numba(x, w, axis, before, after, code, cval):
    """NumPy: one parallel pass (vectorized NumPy makes 2 * taps passes, slower than SciPy on rows)."""
    from gsci.kernels import stencil_cpu

    n = x.shape[axis]
    source = source_indices(np.arange(-before, n + after), n, code)
    return stencil_cpu.correlate1d_lines(x, w, source, cval, n=n, inner=math.prod(x.shape[axis + 1 :]))


def extend(x, axis, before, after, code, cval, xp):
    """``x`` with ``before`` and ``after`` boundary values added along ``axis``."""
    n = x.shape[axis]
    head = _boundary_slab(x, axis, np.arange(-before, 0), code, cval, xp)
    tail = _boundary_slab(x, axis, np.arange(n, n + after), code, cval, xp)
    return xp.concat([head, x, tail], axis=axis)


def _boundary_slab(x, axis, positions, code, cval, xp):
    if code == CONSTANT:
        shape = list(x.shape)
        shape[axis] = positions.shape[0]
        return xp.full(tuple(shape), cval, dtype=x.dtype, device=device(x))
    indices = source_indices(positions, x.shape[axis], code)
    # dask: a NumPy index keeps the chunk sizes known (a dask index makes them unknown)
    if not is_dask_namespace(xp):
        indices = xp.asarray(indices, device=device(x))
    return xp.take(x, indices, axis=axis)


def _along(axis, start, stop):
    return (slice(None),) * axis + (slice(start, stop), ...)


def _weighted_shifts(extended, w, axis, n, xp):
    """sum_j w[j] * extended[j : j + n] along ``axis``."""
    out = extended[_along(axis, 0, n)] * w[0]
    if is_numpy_namespace(xp):  # NumPy: reuse one scratch array instead of two temporaries per tap
        scratch = np.empty_like(out)
        for j in range(1, w.shape[0]):
            out += np.multiply(extended[_along(axis, j, j + n)], w[j], out=scratch)
        return out
    if is_torch_namespace(xp):
        for j in range(1, w.shape[0]):
            out.addcmul_(extended[_along(axis, j, j + n)], w[j])
        return out
    for j in range(1, w.shape[0]):
        out = out + extended[_along(axis, j, j + n)] * w[j]
    return out


def on_dask_blocks(valid_part, x, extended, margins, *arrays, dtype=None, **options):
    """``valid_part(block, *arrays, **options)`` of each block of the Dask array ``extended``, which is
    ``x`` extended by ``margins`` (axis -> (before, after)): each block comes with its neighbours'
    margins and gives its valid part, so the output has ``x``'s chunks (and dtype, unless given)."""
    import dask.array as da

    dtype = x.dtype if dtype is None else dtype

    chunks, out_chunks = {}, {}
    for axis, (before, after) in margins.items():
        sizes = list(x.chunks[axis])
        sizes[0] += before
        sizes[-1] += after
        sizes = da.overlap.ensure_minimum_chunksize(max(before, after, 1), tuple(sizes))
        chunks[axis] = sizes
        out_chunks[axis] = list(sizes)
        out_chunks[axis][0] -= before
        out_chunks[axis][-1] -= after
    extended = extended.rechunk(chunks)
    overlapped = da.overlap.overlap(extended, depth=margins, boundary={axis: "none" for axis in margins})
    index = tuple(range(x.ndim))
    result = da.blockwise(
        valid_part,
        index,
        overlapped,
        index,
        *[part for a in arrays for part in (a, tuple(range(x.ndim, x.ndim + a.ndim)))],
        concatenate=True,
        adjust_chunks={axis: tuple(sizes) for axis, sizes in out_chunks.items()},
        dtype=dtype,
        meta=x._meta.astype(dtype),
        **options,
    )
    # chunks shorter than the margins were merged for the overlap: split them as they came
    return result if result.chunks == x.chunks else result.rechunk(x.chunks)


def _valid_correlation(block, w, axis):
    xp = array_namespace(block)
    with np.errstate(invalid="ignore", over="ignore"):  # as SciPy: no warnings about inf/NaN
        return _weighted_shifts(block, xp.asarray(w), axis, block.shape[axis] - w.shape[0] + 1, xp)


def _valid_running_mean(block, axis, size):
    xp = array_namespace(block)
    with np.errstate(invalid="ignore", over="ignore"):
        return _running_mean(block, size, axis, block.shape[axis] - size + 1, xp)


def laplace(x, axes, codes, cval, xp):
    """Sum over ``axes`` of the second difference [1, -2, 1], each axis with its boundary code."""
    if not _updates_views_in_place(x, xp):
        w = xp.asarray(SECOND_DIFFERENCE, dtype=x.dtype, device=device(x))
        parts = [correlate(x, w, axis, code, cval, 0, xp) for axis, code in zip(axes, codes, strict=True)]
        return sum(parts[1:], start=parts[0])
    # NumPy, CuPy and torch: one output array updated in place through views, no padded copy
    out = x * (-2.0 * len(axes))
    for axis, code in zip(axes, codes, strict=True):
        n = x.shape[axis]
        _add_into(out[_along(axis, 1, None)], x[_along(axis, None, n - 1)])
        _add_into(out[_along(axis, None, n - 1)], x[_along(axis, 1, None)])
        _add_into(out[_along(axis, None, 1)], _boundary_slab(x, axis, np.array([-1]), code, cval, xp))
        _add_into(out[_along(axis, n - 1, None)], _boundary_slab(x, axis, np.array([n]), code, cval, xp))
    return out


def _updates_views_in_place(x, xp):
    return is_numpy_namespace(xp) or is_torch_namespace(xp) or is_cupy_array(x)


def _add_into(view, values):
    view += values
