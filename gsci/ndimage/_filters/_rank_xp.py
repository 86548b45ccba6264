"""Rank filters in Array API code: the native engine behind the minimum, maximum, median, rank and
percentile filters.

Each function takes an array ``x`` in the dtype to compute in and returns a
new array of that dtype and shape. ``before`` counts the window positions
before the output position on each axis (``size // 2 + origin``). The
boundary is extended once (`_stencil_xp.extend`); the filter then works on
shifted slices of the extended array: min/max of a box by doubling spans
along each axis, a general footprint by the elementwise min/max of its
slices, ranks by sorting the stacked slices of one slab of the output at a
time, so that at most about one input's worth of stacked values exists at once.
NumPy takes the Numba CPU kernels (`gsci.kernels.rank_cpu`) when Numba is installed;
Dask filters each block with its neighbours' margins.
"""

import functools
import math

import numpy as np

from gsci._lib._boundary import extend, source_indices
from gsci._lib._compat import array_namespace, device, is_dask_namespace, is_jax_namespace, is_numpy_namespace
from gsci._lib._overlap import on_dask_blocks


def min_or_max_1d(x, axis, size, before, code, cval, minimum, xp):
    """Running min (max) of ``size`` elements along ``axis``; NaN propagates."""
    after = size - 1 - before
    if is_numpy_namespace(xp):
        from gsci.kernels import rank_cpu

        n = x.shape[axis]
        source = source_indices(np.arange(-before, n + after), n, code)
        return rank_cpu.min_or_max_lines(x, source, cval, size, minimum, axis=axis)
    extended = extend(x, axis, before, after, code, cval, xp)
    valid = functools.partial(_valid_box, axis=axis, size=size, minimum=minimum)
    if is_dask_namespace(xp):
        befores, afters = [0] * x.ndim, [0] * x.ndim
        befores[axis], afters[axis] = before, after
        return _dask_valid(x, extended, befores, afters, valid)
    return valid(extended)


def footprint_filter(x, footprint, before, code, cval, rank, xp, structure=None):
    """The ``rank``-th smallest value (or "min" / "max") over bool NumPy ``footprint`` (x's rank).

    ``structure`` (min and max only): ``(added, first)``, what a non-flat
    structuring element adds to the window values as SciPy's C code adds it:
    the first footprint element (C order) ``first`` in float64, each other one
    its value in the NumPy array ``added`` of x's dtype, in x's dtype
    (integers wrap around). The result is then float64.
    """
    after = [f - 1 - b for f, b in zip(footprint.shape, before, strict=True)]
    if is_numpy_namespace(xp):
        from gsci.kernels import rank_cpu

        maps = [
            source_indices(np.arange(-b, n + a), n, code)
            for n, b, a in zip(x.shape, before, after, strict=True)
        ]
        return rank_cpu.select(x, footprint, maps, cval, rank, structure)
    extended = x
    for axis in range(x.ndim):
        extended = extend(extended, axis, before[axis], after[axis], code, cval, xp)
    valid = functools.partial(_valid_footprint, footprint=footprint, rank=rank, structure=structure)
    if is_dask_namespace(xp):
        return _dask_valid(x, extended, before, after, valid, None if structure is None else np.float64)
    return valid(extended)


def _along(axis, start, stop):
    return (slice(None),) * axis + (slice(start, stop), ...)


def _valid_box(extended, axis, size, minimum):
    """Running min (max) over ``size`` along ``axis`` where the window fits: spans double, then two
    overlapping spans cover each window."""
    xp = array_namespace(extended)
    if is_numpy_namespace(xp):  # Dask's NumPy blocks
        from gsci.kernels import rank_cpu

        every = np.arange(extended.shape[axis], dtype=np.int64)
        return rank_cpu.min_or_max_lines(extended, every, 0, size, minimum, axis=axis)
    pick = xp.minimum if minimum else xp.maximum
    n = extended.shape[axis] - size + 1
    run, span = extended, 1
    while 2 * span <= size:
        m = run.shape[axis] - span
        run = pick(run[_along(axis, 0, m)], run[_along(axis, span, span + m)])
        span *= 2
    if span == size:
        return run[_along(axis, 0, n)]
    return pick(run[_along(axis, 0, n)], run[_along(axis, size - span, size - span + n)])


def _valid_footprint(extended, footprint, rank, structure=None):
    """The footprint filter where the window fits in ``extended``."""
    xp = array_namespace(extended)
    if is_numpy_namespace(xp):  # Dask's NumPy blocks
        from gsci.kernels import rank_cpu

        every = [np.arange(n, dtype=np.int64) for n in extended.shape]
        return rank_cpu.select(extended, footprint, every, 0, rank, structure)
    out_shape = tuple(e - f + 1 for e, f in zip(extended.shape, footprint.shape, strict=True))
    points = [tuple(int(o) for o in p) for p in np.argwhere(footprint)]
    if rank not in ("min", "max"):
        return _sorted_by_slabs(extended, points, out_shape, rank, xp)
    pick = xp.minimum if rank == "min" else xp.maximum
    out = _structured(_shifted(extended, points[0], out_shape), 0, structure, xp)
    for p, point in enumerate(points[1:], start=1):
        out = pick(out, _structured(_shifted(extended, point, out_shape), p, structure, xp))
    return out


def _structured(values, p, structure, xp):
    """The window values of footprint element ``p`` plus a structure's, as SciPy's C code adds them:
    the first element's in float64, the others' in the values' own dtype; ``values`` if flat."""
    if structure is None:
        return values
    added, first = structure
    if p == 0:
        return xp.astype(values, xp.float64) + first
    return xp.astype(values + added[p].item(), xp.float64)


def _shifted(extended, point, shape, axis=0, start=0, stop=None):
    """``extended`` from ``point`` on, ``shape`` long; only ``[start, stop)`` of the output on ``axis``."""
    index = [slice(p, p + n) for p, n in zip(point, shape, strict=True)]
    if stop is not None:
        index[axis] = slice(point[axis] + start, point[axis] + stop)
    return extended[tuple(index)]


def _sorted_by_slabs(extended, points, out_shape, rank, xp):
    """Sort the stacked window values of one slab of the output at a time (on its longest axis):
    slabs are sized so that the stacked values of one slab hold about half an output's elements."""
    if math.prod(out_shape) == 0:
        return xp.zeros(out_shape, dtype=extended.dtype)
    axis = int(np.argmax(out_shape))
    length = out_shape[axis]
    step = max(1, length // (2 * len(points)))
    slabs = [(start, min(start + step, length)) for start in range(0, length, step)]

    def slab(start, stop):
        stacked = xp.stack([_shifted(extended, p, out_shape, axis, start, stop) for p in points])
        return xp.sort(stacked, axis=0)[rank, ...]

    if len(slabs) == 1:
        return slab(*slabs[0])
    if is_jax_namespace(xp):  # immutable: one concatenation
        return xp.concat([slab(start, stop) for start, stop in slabs], axis=axis)
    out = xp.empty(out_shape, dtype=extended.dtype, device=device(extended))
    for start, stop in slabs:  # written at once: a kept view would keep its whole sorted slab alive
        out[_along(axis, start, stop)] = slab(start, stop)
    return out


def _dask_valid(x, extended, before, after, valid, dtype=None):
    """``valid`` on each block of the extended Dask array with its neighbours' margins; x's chunks
    (and dtype, unless given)."""
    margins = {axis: (b, a) for axis, (b, a) in enumerate(zip(before, after, strict=True)) if b or a}
    return on_dask_blocks(functools.partial(_quietly, valid=valid), x, extended, margins, dtype=dtype)


def _quietly(block, valid):
    with np.errstate(invalid="ignore"):  # as SciPy: no warnings about NaN
        return valid(block)
