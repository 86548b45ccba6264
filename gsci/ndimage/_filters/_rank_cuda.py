"""Rank filters with the CUDA kernels: the kernel engine behind the minimum, maximum, median, rank and
percentile filters.

Same functions as `gsci.ndimage._filters._rank_xp`, launching
`gsci.kernels.rank` (imported, and numba with it, on first use). Tensors that
track gradients, and selections over more than `gsci.kernels.rank.CAPACITY`
footprint elements (a thread's window buffer), take the Array API engine.
"""

import numpy as np

from gsci._lib._compat import device
from gsci.ndimage._filters import _rank_xp
from gsci.ndimage._filters._stencil_cuda import _contiguous, _flat, _tracks_grad

CAPACITY = 256  # gsci.kernels.rank.CAPACITY, known here without importing numba


def min_or_max_1d(x, axis, size, before, code, cval, minimum, xp):
    """Running min (max) of ``size`` along ``axis``: the min/max kernel over a line footprint."""
    if _tracks_grad(x):
        return _rank_xp.min_or_max_1d(x, axis, size, before, code, cval, minimum, xp)
    offsets = np.zeros((size, x.ndim), dtype=np.int64)
    offsets[:, axis] = np.arange(size) - before
    return _launch(x, offsets, code, cval, "min" if minimum else "max", xp)


def footprint_filter(x, footprint, before, code, cval, rank, xp):
    """The ``rank``-th smallest value (or "min" / "max") over bool NumPy ``footprint``."""
    offsets = np.argwhere(footprint) - np.asarray(before, dtype=np.int64)
    too_many = rank not in ("min", "max") and offsets.shape[0] > CAPACITY
    if _tracks_grad(x) or too_many:
        return _rank_xp.footprint_filter(x, footprint, before, code, cval, rank, xp)
    return _launch(x, offsets, code, cval, rank, xp)


def _launch(x, offsets, code, cval, rank, xp):
    from gsci.kernels import rank as kernels

    x = _contiguous(x, xp)
    out = xp.empty(x.shape, dtype=x.dtype, device=device(x))
    shape = xp.asarray(np.asarray(x.shape, dtype=np.int64), device=device(x))
    offsets = xp.asarray(np.ascontiguousarray(offsets, dtype=np.int64).reshape(-1), device=device(x))
    arguments = (_flat(x, xp), shape, offsets, _flat(out, xp))
    if rank in ("min", "max"):
        kernels.extreme_over_footprint(*arguments, mode=code, cval=cval, minimum=rank == "min")
    else:
        kernels.select_over_footprint(*arguments, mode=code, cval=cval, rank=rank)
    return out
