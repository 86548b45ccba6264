"""The n-D correlation in Array API code: the native engine behind correlate and convolve.

``correlate(x, w, origins, code, cval, xp)`` takes a real floating array
``x`` in the dtype to compute in, weights ``w`` of that dtype and rank, and
returns a new array of that dtype. The input is extended once, axis by
axis, with the boundary mode (`_stencil_xp.extend`); the result is the
weighted sum of shifted slices over the nonzero weights, as SciPy's C code
skips weights no larger than float64's epsilon.
"""

import numpy as np

from gsci._lib._boundary import extend, source_indices
from gsci._lib._compat import (
    array_namespace,
    device,
    is_dask_namespace,
    is_numpy_namespace,
)
from gsci._lib._overlap import on_dask_blocks

# SciPy's C code drops the weights with |w| <= DBL_EPSILON from the footprint.
NEGLIGIBLE = float(np.finfo(np.float64).eps)


def correlate(x, w, origins, code, cval, xp):
    """``x`` correlated with ``w`` (x's rank and dtype); SciPy's alignment, per-axis ``origins``."""
    before = [s // 2 + o for s, o in zip(w.shape, origins, strict=True)]
    after = [s - 1 - b for s, b in zip(w.shape, before, strict=True)]
    if is_numpy_namespace(xp):
        return _correlate_numba(x, w, before, after, code, cval)
    extended = x
    for axis in range(x.ndim):
        if before[axis] or after[axis]:
            extended = extend(extended, axis, before[axis], after[axis], code, cval, xp)
    if is_dask_namespace(xp):
        return _correlate_dask(x, extended, w, before, after)
    if isinstance(w, np.ndarray):
        return valid_correlation(extended, w, xp)
    return _valid_correlation_of_array_weights(extended, w, xp)


def host_taps(w):
    """The nonzero taps of NumPy weights ``w``: positions (C order, int64 ``(taps, ndim)``), weights."""
    positions = np.argwhere(np.abs(w) > NEGLIGIBLE)
    return positions, w[tuple(positions.T)]


def _correlate_numba(x, w, before, after, code, cval):
    """NumPy: one parallel pass (NumPy's shifted slices cost a pass over the array per tap)."""
    from gsci.kernels import correlate_cpu

    positions, weights = host_taps(w)
    maps = [
        source_indices(np.arange(-b, n + a), n, code) for n, b, a in zip(x.shape, before, after, strict=True)
    ]
    return correlate_cpu.correlate_taps(x, weights, positions - np.asarray(before), maps, before, cval)


def _window(position, shape):
    return tuple(slice(p, p + n) for p, n in zip(position, shape, strict=True))


def valid_correlation(extended, w, xp):
    """``sum_t w[t] * extended[t : t + n]`` over the nonzero taps of NumPy weights ``w``."""
    shape = tuple(e - s + 1 for e, s in zip(extended.shape, w.shape, strict=True))
    positions, weights = host_taps(w)
    out = xp.zeros(shape, dtype=extended.dtype, device=device(extended))
    if is_numpy_namespace(xp):  # one scratch array instead of two temporaries per tap
        scratch = np.empty_like(out)
        for position, weight in zip(positions, weights, strict=True):
            out += np.multiply(extended[_window(position, shape)], weight, out=scratch)
        return out
    for position, weight in zip(positions, weights.tolist(), strict=True):
        out = out + extended[_window(position, shape)] * weight
    return out


def _valid_correlation_of_array_weights(extended, w, xp):
    """As `valid_correlation` for weights on the array's device: every tap, the negligible ones masked."""
    shape = tuple(e - s + 1 for e, s in zip(extended.shape, w.shape, strict=True))
    zero = xp.zeros((), dtype=extended.dtype, device=device(extended))
    out = xp.zeros(shape, dtype=extended.dtype, device=device(extended))
    for position in np.ndindex(*w.shape):
        weight = w[position]
        term = extended[_window(position, shape)] * weight
        out = out + xp.where(xp.abs(weight) > NEGLIGIBLE, term, zero)
    return out


def _correlate_dask(x, extended, w, before, after):
    """Blockwise correlation of the extended dask array, each block with its neighbours' margins."""
    margins = {axis: (b, a) for axis, (b, a) in enumerate(zip(before, after, strict=True))}
    return on_dask_blocks(_valid_block, x, extended, margins, w)


def _valid_block(block, w):
    xp = array_namespace(block)
    with np.errstate(invalid="ignore", over="ignore"):  # as SciPy: no warnings about inf/NaN
        return valid_correlation(block, np.asarray(w), xp)
