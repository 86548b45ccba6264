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


def footprint_filter(x, footprint, before, code, cval, rank, xp, structure=None):
    """The ``rank``-th smallest value (or "min" / "max") over bool NumPy ``footprint``, with a non-flat
    ``structure`` as `_rank_xp.footprint_filter`."""
    offsets = np.argwhere(footprint) - np.asarray(before, dtype=np.int64)
    too_many = rank not in ("min", "max") and offsets.shape[0] > CAPACITY
    if _tracks_grad(x) or too_many:
        return _rank_xp.footprint_filter(x, footprint, before, code, cval, rank, xp, structure)
    return _launch(x, offsets, code, cval, rank, xp, structure)


def _launch(x, offsets, code, cval, rank, xp, structure=None):
    from gsci.kernels import rank as kernels

    x = _contiguous(x, xp)
    out = xp.empty(x.shape, dtype=x.dtype if structure is None else xp.float64, device=device(x))
    shape = xp.asarray(np.asarray(x.shape, dtype=np.int64), device=device(x))
    offsets = xp.asarray(np.ascontiguousarray(offsets, dtype=np.int64).reshape(-1), device=device(x))
    if rank not in ("min", "max"):
        arguments = (_flat(x, xp), shape, offsets, _flat(out, xp))
        kernels.select_over_footprint(*arguments, mode=code, cval=cval, rank=rank)
        return out
    added, first = (np.zeros(0, _numpy_dtype(x.dtype)), 0.0) if structure is None else structure
    added = xp.asarray(np.ascontiguousarray(added), device=device(x))
    arguments = (_flat(x, xp), shape, offsets, added, _flat(out, xp))
    kernels.extreme_over_footprint(*arguments, mode=code, cval=cval, first=first, minimum=rank == "min")
    return out


def _numpy_dtype(dtype):
    return np.dtype(str(dtype).rpartition(".")[2])
