"""Stencils in Array API code: the native engine behind the separable filters.

Each function takes a real floating array ``x`` in the dtype to compute in
and returns a new array of that dtype. The boundary is an index map on the
host (`gsci._lib._boundary`): the line is extended once, then the result
is a weighted sum of shifted slices (the loop runs over the filter taps).
"""

import math

import numpy as np

from gsci._lib._boundary import boundary_slab, extend, source_indices
from gsci._lib._compat import (
    array_namespace,
    device,
    is_cupy_array,
    is_dask_namespace,
    is_numpy_namespace,
    is_torch_namespace,
)
from gsci._lib._overlap import on_dask_blocks

SECOND_DIFFERENCE = (1.0, -2.0, 1.0)


def correlate(x, w, axis, code, cval, origin, xp, dtype=None):
    """``x`` (real floating) correlated with taps ``w`` (1-d) along ``axis``, SciPy's alignment:
    sums in ``w``'s dtype (float32 ``x`` with float64 taps: read from float32 on NumPy), the result
    in ``dtype`` (a real floating dtype; default ``w``'s)."""
    before = w.shape[0] // 2 + origin
    after = w.shape[0] - 1 - before
    if is_numpy_namespace(xp):
        return _correlate_numba(x, w, axis, before, after, code, cval, dtype)
    x = xp.astype(x, w.dtype, copy=False)
    extended = extend(x, axis, before, after, code, cval, xp)
    if is_dask_namespace(xp):
        result = on_dask_blocks(_valid_correlation, x, extended, {axis: (before, after)}, w, axis=axis)
    else:
        result = _weighted_shifts(extended, w, axis, x.shape[axis], xp)
    return result if dtype is None else xp.astype(result, dtype, copy=False)


def uniform(x, size, axis, code, cval, origin, xp, dtype):
    """Means of ``size`` values along ``axis`` of real ``x``, as SciPy's C loop takes them in float64,
    stored in ``dtype`` (a real floating dtype).

    A running sum (the first window summed, then each step adds one value and
    drops one) divided by ``size``: exact for integers, SciPy's rounding otherwise.
    """
    before = size // 2 + origin
    after = size - 1 - before
    if is_numpy_namespace(xp):
        from gsci.kernels import stencil_cpu

        n = x.shape[axis]
        source = source_indices(np.arange(-before, n + after), n, code)
        inner = math.prod(x.shape[axis + 1 :])
        return stencil_cpu.running_mean_lines(x, size, source, cval, n=n, inner=inner, dtype=dtype)
    x = xp.astype(x, xp.float64)
    extended = extend(x, axis, before, after, code, cval, xp)
    if is_dask_namespace(xp):
        margins = {axis: (before, after)}
        means = on_dask_blocks(_valid_running_mean, x, extended, margins, axis=axis, size=size)
    else:
        means = _running_mean(extended, size, axis, x.shape[axis], xp)
    return xp.astype(means, dtype, copy=False)


def _running_mean(extended, size, axis, n, xp):
    """The running mean of ``size`` values over the extended lines: cumulative sums of the steps."""
    first = xp.cumulative_sum(extended[_along(axis, 0, size)], axis=axis)[_along(axis, size - 1, size)]
    steps = extended[_along(axis, size, size + n - 1)] - extended[_along(axis, 0, n - 1)]
    return xp.cumulative_sum(xp.concat([first, steps], axis=axis), axis=axis) / size


def _correlate_numba(x, w, axis, before, after, code, cval, dtype):
    """NumPy: one parallel pass (vectorized NumPy makes 2 * taps passes, slower than SciPy on rows)."""
    from gsci.kernels import stencil_cpu

    n = x.shape[axis]
    source = source_indices(np.arange(-before, n + after), n, code)
    inner = math.prod(x.shape[axis + 1 :])
    return stencil_cpu.correlate1d_lines(x, w, source, cval, n=n, inner=inner, dtype=dtype)


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
        _add_into(out[_along(axis, None, 1)], boundary_slab(x, axis, np.array([-1]), code, cval, xp))
        _add_into(out[_along(axis, n - 1, None)], boundary_slab(x, axis, np.array([n]), code, cval, xp))
    return out


def _updates_views_in_place(x, xp):
    return is_numpy_namespace(xp) or is_torch_namespace(xp) or is_cupy_array(x)


def _add_into(view, values):
    view += values
