"""`detrend`: remove a constant or (piecewise) linear trend along an axis.

The least-squares line of each piece has a closed form (mean and slope
against centred sample positions), so one pass of reductions fits every
channel at once; `remove_trend` is shared with the spectral estimators.
"""

import itertools

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import device
from gsci._lib._dispatch import gsci_function

TREND_TYPES = ("linear", "l", "constant", "c")


def normalize_axis(axis, ndim):
    """``axis`` as a non-negative index into ``ndim`` axes; out of range raises ``AxisError``."""
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(f"{axis=} is out of bounds for an array of dimension {ndim}")
    return axis % ndim


def check_trend_type(type):
    """Raise SciPy's ``ValueError`` unless ``type`` names a trend `detrend` removes."""
    if not (isinstance(type, str) and type in TREND_TYPES):
        raise ValueError(f"Trend type must be 'linear' or 'constant', got {type=}.")


def remove_trend(x, type, xp):
    """``x`` minus its constant or linear least-squares trend along the last axis (a new array)."""
    mean = xp.mean(x, axis=-1, keepdims=True)
    length = x.shape[-1]
    if type in ("constant", "c") or length < 2:
        return x - mean
    real_dtype = xp.float32 if x.dtype in (xp.float32, xp.complex64) else xp.float64
    centred = xp.arange(length, dtype=real_dtype, device=device(x)) - (length - 1) / 2
    centred = xp.astype(centred, x.dtype, copy=False)
    sum_of_squares = length * (length * length - 1) / 12  # sum of centred**2, in closed form
    slope = xp.vecdot(centred, x, axis=-1)[..., None] / sum_of_squares
    return x - mean - slope * centred


def _breakpoints(bp, length):
    """Sorted, unique piece boundaries from ``bp`` (host integers: they shape the computation)."""
    inner = np.asarray(bp).ravel()
    if inner.size and not np.issubdtype(inner.dtype, np.integer):
        raise TypeError(f"breakpoints {bp=} must be integers")
    if np.any(inner > length) or np.any(inner < 0):
        raise ValueError(f"Breakpoints must be less than length of data along given axis, got {bp=}.")
    return np.unique(np.concatenate(([0], inner, [length]))).tolist()


def _working_dtype(dtype, type, xp):
    """SciPy's result dtype: floats (complex) kept; other dtypes become float64 (float16 too, if linear)."""
    if xp.isdtype(dtype, "complex floating"):
        return dtype
    if xp.isdtype(dtype, "real floating") and (type in ("constant", "c") or xp.finfo(dtype).bits > 16):
        return dtype
    return xp.float64


@gsci_function("signal", arrays=("data",))
def detrend(data, axis=-1, type="linear", bp=0, overwrite_data=False, *, xp):
    """Remove a linear or constant trend along an axis, like `scipy.signal.detrend`.

    Parameters
    ----------
    data : array
        The data.
    axis : int, optional
        The axis along which to detrend. Default: the last.
    type : {'linear', 'constant'}, optional
        ``'linear'`` (``'l'``, default) subtracts the least-squares line of
        each piece; ``'constant'`` (``'c'``) subtracts the mean.
    bp : int or sequence of int, optional
        Breakpoints of a piecewise linear fit (``type='linear'`` only): the
        pieces are ``data[bp[i]:bp[i+1]]`` along `axis`.
    overwrite_data : bool, optional
        Accepted for SciPy compatibility and ignored: gsci never modifies its
        input.

    Returns
    -------
    ret : array
        The detrended data, of `data`'s library and device. Floating dtypes
        are kept; other dtypes give float64, like SciPy.

    Raises
    ------
    ValueError
        If `type` is unknown or a breakpoint lies outside ``[0, data.shape[axis]]``.
    TypeError
        If the breakpoints are not integers.

    Notes
    -----
    The breakpoints are read on the host (they decide the pieces). Empty
    data returns an empty result, where SciPy raises for ``type='linear'``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import detrend
    >>> detrend(np.array([1.0, 3.0, 5.0, 8.0])).round(2).tolist()
    [0.2, -0.1, -0.4, 0.3]
    """
    check_trend_type(type)
    data = as_array(data, xp)
    axis = normalize_axis(axis, data.ndim)
    data = xp.moveaxis(xp.astype(data, _working_dtype(data.dtype, type, xp), copy=False), axis, -1)
    if type in ("constant", "c"):
        result = remove_trend(data, type, xp)
    else:
        bounds = _breakpoints(bp, data.shape[-1])
        # One iteration per piece: the count of breakpoints, a parameter, not the data size.
        pieces = [remove_trend(data[..., a:b], type, xp) for a, b in itertools.pairwise(bounds)]
        result = xp.concat(pieces, axis=-1) if len(pieces) > 1 else pieces[0] if pieces else data
    return xp.moveaxis(result, -1, axis)
