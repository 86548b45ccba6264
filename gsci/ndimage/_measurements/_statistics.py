"""Per-label measurements: sums, means, variances, extrema, medians, positions, centres, histograms.

Every function takes SciPy's ``input, labels=None, index=None`` and reads them
as SciPy does: ``labels=None`` measures the whole array (``index`` is then
ignored, except by `histogram` and `labeled_comprehension`, which raise);
``index=None`` measures the elements with a positive label as one group; a
scalar ``index`` the elements whose label equals it; a sequence or array of
labels gives one result per entry, entries absent from ``labels`` giving 0
(NaN for `mean`, `variance` and `standard_deviation`). ``labels`` broadcasts
against ``input``.

One group (``labels`` None, ``index`` None or a scalar) reduces with the
library's own reductions over a mask; a sequence goes to the segmented
reductions of `_segments` (Numba kernels for NumPy and torch CPU, scatters or
sorts elsewhere, per-block partial results on Dask), with no Python loop over
labels and no host synchronisation: every output shape follows from the
shapes of the arguments, so all of them run under ``jax.jit`` and stay lazy
on Dask.

Results, as SciPy 1.17's under ``SCIPY_ARRAY_API=1``: scalars are 0-d arrays
of the input's library (NumPy scalars for NumPy input, as SciPy gives them),
positions tuples of them, and a sequence ``index`` gives arrays of its shape
(lists of tuples for positions and centres).
"""

import math
import operator

import numpy as np

from gsci._lib._arrays import as_array, from_host, is_array, library_of, to_host
from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._measurements._segments import comparable_dtype, statistics

# Below these sizes SciPy's lower fixed cost per call wins (measured, interleaved best of repeats, on 2
# cores): ~7 us of gsci's own per call against SciPy's 10-40 us totals; declared with a margin
_SCIPY_IS_FASTER = fewer_elements(2**10)

_ARRAYS = ("input", "labels", "index")


def _reading(input, labels, index, xp):
    """``(input, labels)`` as arrays of ``xp`` on one device, broadcast to one shape (labels may be None)."""
    input = as_array(input, xp)
    if not (xp.isdtype(input.dtype, "numeric") or xp.isdtype(input.dtype, "bool")):
        raise TypeError(f"input has dtype {input.dtype}; a numeric or boolean dtype is needed")
    if labels is None:
        return input, None
    labels = as_array(labels, xp, like=input)
    try:
        shape = np.broadcast_shapes(input.shape, labels.shape)
    except ValueError as e:
        message = "input and labels must have the same shape (excepting dimensions with width 1): "
        raise ValueError(f"{message}{input.shape} and {labels.shape}") from e
    return _broadcast(input, shape, xp), _broadcast(labels, shape, xp)


def _broadcast(a, shape, xp):
    return a if tuple(a.shape) == tuple(shape) else xp.broadcast_to(a, shape)


def _single(labels, index):
    """Whether the call measures one group (labels None, index None or a scalar)."""
    return labels is None or index is None or np.isscalar(index)


def _mask(labels, index, xp):
    """The one group's elements: all (None), positive labels, or labels equal to the scalar ``index``."""
    if labels is None:
        return None
    if xp.isdtype(labels.dtype, "bool"):
        labels = xp.astype(labels, xp.uint8)
    if index is None:
        return labels > 0
    return labels == index


def _keys(index, labels, xp, like):
    """``(keys, lossy)``: the sequence ``index`` as a flat array of the dtype labels compare in (host
    NumPy for NumPy and Dask data), and which keys a truncation changed (None if none can have).

    Integer and boolean labels compare as int64, float ``index`` values truncated toward zero as SciPy's
    ``np.asanyarray(index, np.int_)`` does; float labels compare as float64.
    """
    integer = not xp.isdtype(labels.dtype, ("real floating", "complex floating"))
    dtype = xp.int64 if integer else xp.float64
    if is_array(index) and library_of(index) != "numpy":
        flat = xp.reshape(index, (-1,))
        keys = xp.astype(flat, dtype)
        floats = integer and xp.isdtype(flat.dtype, "real floating")
        return keys, (xp.astype(keys, flat.dtype) != flat) if floats else None
    host = np.ravel(np.asarray(index))
    if host.dtype.kind not in "biuf":
        raise TypeError(f"index has dtype {host.dtype}; labels are real numbers")
    keys = host.astype(np.int64 if integer else np.float64)
    lossy = keys != host if integer and host.dtype.kind == "f" and np.any(keys != host) else None
    if is_numpy_namespace(xp) or is_dask_namespace(xp):
        return keys, lossy
    return xp.asarray(keys, device=device(like)), None if lossy is None else xp.asarray(
        lossy, device=device(like)
    )


def _per_key(kind, input, labels, keys, xp, bins=None):
    """`statistics` for ``keys`` (from `_keys`). SciPy compares float index values exactly (no
    truncation) when its labels need remapping: boolean or uint64 labels, negative ones, or one above
    the labels' size; truncated keys then count as absent, decided on the device (no value check)."""
    keys, lossy = keys
    part = statistics(kind, input, labels, keys, xp, bins)
    if lossy is None:
        return part
    if xp.isdtype(labels.dtype, "bool") or labels.dtype == xp.uint64:
        remapped = xp.asarray(True, device=device(labels))
    else:
        remapped = (xp.min(labels) < 0) | (xp.max(labels) > math.prod(labels.shape))
    drop = lossy & remapped
    return {
        name: xp.where(
            drop if value.ndim == 1 else drop[:, None],
            xp.zeros((), dtype=value.dtype, device=device(value)),
            value,
        )
        for name, value in part.items()
    }


def _shape_of(index):
    return tuple(getattr(index, "shape", None) or np.shape(index))


def _scalar(value, xp):
    """A 0-d result: a NumPy scalar for NumPy (as SciPy gives), else the 0-d array."""
    return value[()] if is_numpy_namespace(xp) else value


def _shaped(value, index, xp):
    return xp.reshape(value, _shape_of(index))


def _refuse_complex(input, xp, name):
    if xp.isdtype(input.dtype, "complex floating"):
        raise TypeError(f"{name} does not support complex input (input has dtype {input.dtype})")


# --- counts, sums, means, variances --------------------------------------------------------------


def _sum_dtype(dtype, xp):
    """NumPy's ``sum`` dtype: signed integers and bool to int64, unsigned to uint64, others kept."""
    if xp.isdtype(dtype, "bool") or xp.isdtype(dtype, "signed integer"):
        return xp.int64
    if xp.isdtype(dtype, "unsigned integer"):
        return xp.uint64
    return dtype


def _group_sum(values, mask, xp, dtype=None):
    dtype = _sum_dtype(values.dtype, xp) if dtype is None else dtype
    work = comparable_dtype(dtype, xp)  # torch sums no uint64: int64, the same bits
    values = xp.astype(values, work) if values.dtype != work else values
    if mask is not None:
        values = xp.where(mask, values, xp.zeros((), dtype=work, device=device(values)))
    total = xp.sum(values, dtype=work)
    return total if work == dtype else xp.astype(total, dtype)


def _group_count(input, mask, xp):
    if mask is None:
        return xp.asarray(float(math.prod(input.shape)), dtype=xp.float64, device=device(input))
    return xp.sum(xp.astype(mask, xp.float64))


def _float_of(input, xp):
    """``input`` in the dtype its mean and variance come in: float64, complex128 for complex."""
    return xp.astype(input, xp.complex128 if xp.isdtype(input.dtype, "complex floating") else xp.float64)


def _sums(input, labels, index, xp):
    """``(count, sum)`` per group: SciPy's ``_stats``."""
    if _single(labels, index):
        mask = _mask(labels, index, xp)
        return _group_count(input, mask, xp), _group_sum(input, mask, xp)
    _refuse_complex(input, xp, "a sequence index")
    part = _per_key("sums", input, labels, _keys(index, labels, xp, input), xp)
    return _shaped(part["count"], index, xp), _shaped(part["sum"], index, xp)


def _variance(input, labels, index, xp):
    if _single(labels, index):
        mask = _mask(labels, index, xp)
        count = _group_count(input, mask, xp)
        values = _float_of(input, xp)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = _group_sum(values, mask, xp) / count
            deviation = values - mean
            squares = (
                xp.real(deviation * xp.conj(deviation))
                if xp.isdtype(values.dtype, "complex floating")
                else deviation * deviation
            )
            return _group_sum(squares, mask, xp) / count
    _refuse_complex(input, xp, "a sequence index")
    part = _per_key("variance", input, labels, _keys(index, labels, xp, input), xp)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _shaped(part["squares"] / xp.astype(part["count"], xp.float64), index, xp)


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def sum_labels(input, labels=None, index=None, *, xp):
    """Sum of the values of ``input`` per label.

    Parameters
    ----------
    input : array_like
        Values.
    labels : array_like, optional
        Labels, broadcast against ``input``; None sums the whole array.
    index : scalar or array_like, optional
        The labels to sum over; None sums every element with a positive label as one group.

    Returns
    -------
    sum : array
        A 0-d array (NumPy: a scalar) in NumPy's ``sum`` dtype for one group; float64, one value per
        entry of ``index``, for a sequence (0 where a label is absent).

    Notes
    -----
    As SciPy: a sequence ``index`` needs real input (``TypeError`` for complex). Float ``index`` values
    truncate toward zero with integer labels (SciPy compares them exactly when its labels need
    remapping: negative labels, or labels larger than the input's size).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import sum_labels
    >>> sum_labels(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 1, 2, 0]), [1, 2, 5])
    array([3., 3., 0.])
    """
    return _sum_labels(input, labels, index, xp)


def _sum_labels(input, labels, index, xp):
    input, labels = _reading(input, labels, index, xp)
    total = _sums(input, labels, index, xp)[1]
    return _scalar(total, xp) if _single(labels, index) else total


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def sum(input, labels=None, index=None, *, xp):
    """Sum of the values of ``input`` per label: `sum_labels`, under its older name.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import sum
    >>> float(sum(np.array([1.0, 2.0, 3.0]), np.array([1, 0, 1])))
    4.0
    """
    return _sum_labels(input, labels, index, xp)


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def mean(input, labels=None, index=None, *, xp):
    """Mean of the values of ``input`` per label (float64; NaN for a label absent from ``labels``).

    Parameters are those of `sum_labels`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import mean
    >>> mean(np.array([1, 2, 3, 4]), np.array([1, 1, 2, 2]), [1, 2])
    array([1.5, 3.5])
    """
    input, labels = _reading(input, labels, index, xp)
    count, total = _sums(input, labels, index, xp)
    with np.errstate(invalid="ignore", divide="ignore"):
        if _single(labels, index):
            dtype = xp.complex128 if xp.isdtype(input.dtype, "complex floating") else xp.float64
            return _scalar(xp.astype(total, dtype) / count, xp)
        return total / xp.astype(count, xp.float64)


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def variance(input, labels=None, index=None, *, xp):
    """Variance of the values of ``input`` per label (float64; NaN where a group is empty).

    Parameters are those of `sum_labels`. Computed as SciPy does, from the squared deviations from
    each group's mean (two passes over the data).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import variance
    >>> variance(np.array([1.0, 3.0, 8.0, 10.0]), np.array([1, 1, 2, 2]), [1, 2])
    array([1., 1.])
    """
    input, labels = _reading(input, labels, index, xp)
    result = _variance(input, labels, index, xp)
    return _scalar(result, xp) if _single(labels, index) else result


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def standard_deviation(input, labels=None, index=None, *, xp):
    """Standard deviation of the values of ``input`` per label: the square root of `variance`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import standard_deviation
    >>> standard_deviation(np.array([1.0, 3.0, 8.0, 10.0]), np.array([1, 1, 2, 2]), [1, 2])
    array([1., 1.])
    """
    input, labels = _reading(input, labels, index, xp)
    result = xp.sqrt(_variance(input, labels, index, xp))
    return _scalar(result, xp) if _single(labels, index) else result


# --- extrema, positions, medians ---------------------------------------------------------------


def _group_extreme(input, mask, xp, which):
    """The minimum (maximum) of the group and its first flat position."""
    own = comparable_dtype(input.dtype, xp)
    values = xp.reshape(xp.astype(input, own, copy=False), (-1,))
    flat_mask = None if mask is None else xp.reshape(mask, (-1,))
    if math.prod(input.shape) == 0 and mask is None:
        raise ValueError(f"zero-size array to reduction operation {which}imum which has no identity")
    if flat_mask is None:
        best = xp.min(values) if which == "min" else xp.max(values)
        at = xp.argmax(xp.astype(values == best, xp.uint8))
        return xp.astype(best, input.dtype), xp.astype(at, xp.int64)
    if values.shape[0] == 0:
        zero = xp.zeros((), dtype=input.dtype, device=device(input))
        return zero, xp.zeros((), dtype=xp.int64, device=device(input))
    far = _far(own, which, xp)
    candidates = xp.where(flat_mask, values, xp.asarray(far, dtype=own, device=device(input)))
    best = xp.min(candidates) if which == "min" else xp.max(candidates)
    hits = flat_mask & (values == best)
    at = xp.argmax(xp.astype(hits, xp.uint8))
    present = xp.any(flat_mask)
    best = xp.where(present, best, xp.zeros((), dtype=own, device=device(input)))
    return xp.astype(best, input.dtype), xp.where(present, xp.astype(at, xp.int64), 0)


def _far(dtype, which, xp):
    if xp.isdtype(dtype, "real floating"):
        return math.inf if which == "min" else -math.inf
    info = xp.iinfo(dtype)
    return info.max if which == "min" else info.min


def _extrema(input, labels, index, xp):
    """``(min, max, argmin, argmax)``: scalars for one group, arrays shaped like ``index`` for a sequence."""
    _refuse_complex(input, xp, "minimum, maximum and their positions")
    if _single(labels, index):
        mask = _mask(labels, index, xp)
        low, low_at = _group_extreme(input, mask, xp, "min")
        high, high_at = _group_extreme(input, mask, xp, "max")
        return low, high, low_at, high_at
    part = _per_key("extrema", input, labels, _keys(index, labels, xp, input), xp)
    return tuple(_shaped(part[name], index, xp) for name in ("min", "max", "argmin", "argmax"))


def _positions(flat, shape, many, xp):
    """Flat positions as SciPy's tuples of coordinates (a list of them for a sequence index)."""
    flat = xp.astype(flat, xp.int64)
    strides = [math.prod(shape[k + 1 :]) for k in range(len(shape))]
    if is_numpy_namespace(xp):
        coordinates = [(flat // s) % n for s, n in zip(strides, shape, strict=True)]
        if not many:
            return tuple(c[()] for c in coordinates)
        return list(zip(*(np.reshape(c, (-1,)) for c in coordinates), strict=True))
    if not many:
        return tuple((flat // s) % n for s, n in zip(strides, shape, strict=True))
    flat = xp.reshape(flat, (-1,))
    columns = [(flat // s) % n for s, n in zip(strides, shape, strict=True)]
    return [tuple(c[i] for c in columns) for i in range(flat.shape[0])]


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def minimum(input, labels=None, index=None, *, xp):
    """Minimum of the values of ``input`` per label, in the input's dtype (0 for an absent label).

    Parameters are those of `sum_labels`.

    Notes
    -----
    SciPy raises ``ValueError`` for an empty group; gsci does for an empty ``input`` without labels,
    and returns 0 for a group that the labels leave empty (no value check, no host synchronisation).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import minimum
    >>> minimum(np.array([5, 3, 8, 1]), np.array([1, 1, 2, 2]), [1, 2, 3])
    array([3, 1, 0])
    """
    input, labels = _reading(input, labels, index, xp)
    low = _extrema(input, labels, index, xp)[0]
    return _scalar(low, xp) if _single(labels, index) else low


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def maximum(input, labels=None, index=None, *, xp):
    """Maximum of the values of ``input`` per label, in the input's dtype (0 for an absent label).

    Parameters and notes are those of `minimum`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import maximum
    >>> maximum(np.array([5, 3, 8, 1]), np.array([1, 1, 2, 2]), [1, 2, 3])
    array([5, 8, 0])
    """
    input, labels = _reading(input, labels, index, xp)
    high = _extrema(input, labels, index, xp)[1]
    return _scalar(high, xp) if _single(labels, index) else high


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def minimum_position(input, labels=None, index=None, *, xp):
    """Coordinates of the minimum of ``input`` per label: a tuple, a list of them for a sequence index.

    Ties resolve to the first position in flat (C) order. SciPy does so for one group; for a sequence
    index its unstable sort may pick another of the tied positions. Absent labels give zeros.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import minimum_position
    >>> minimum_position(np.array([[5, 3], [8, 1]]), np.array([[1, 1], [2, 2]]), [1, 2])
    [(np.int64(0), np.int64(1)), (np.int64(1), np.int64(1))]
    """
    input, labels = _reading(input, labels, index, xp)
    at = _extrema(input, labels, index, xp)[2]
    return _positions(at, input.shape, not _single(labels, index), xp)


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def maximum_position(input, labels=None, index=None, *, xp):
    """Coordinates of the maximum of ``input`` per label: a tuple, a list of them for a sequence index.

    Ties resolve to the first position in flat (C) order (see `minimum_position`).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import maximum_position
    >>> maximum_position(np.array([[5, 3], [8, 1]]), np.array([[1, 1], [2, 2]]), 2)
    (np.int64(1), np.int64(0))
    """
    input, labels = _reading(input, labels, index, xp)
    at = _extrema(input, labels, index, xp)[3]
    return _positions(at, input.shape, not _single(labels, index), xp)


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def extrema(input, labels=None, index=None, *, xp):
    """``(minimum, maximum, minimum_position, maximum_position)`` of ``input`` per label, in one pass.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import extrema
    >>> extrema(np.array([[5, 3], [8, 1]]))
    (np.int64(1), np.int64(8), (np.int64(1), np.int64(1)), (np.int64(1), np.int64(0)))
    """
    input, labels = _reading(input, labels, index, xp)
    low, high, low_at, high_at = _extrema(input, labels, index, xp)
    many = not _single(labels, index)
    if not many:
        low, high = _scalar(low, xp), _scalar(high, xp)
    return low, high, _positions(low_at, input.shape, many, xp), _positions(high_at, input.shape, many, xp)


def _median_dtype(dtype, xp):
    return dtype if xp.isdtype(dtype, "real floating") else xp.float64


def _group_median(input, mask, xp):
    dtype = _median_dtype(input.dtype, xp)
    if is_numpy_namespace(xp):  # host data: NumPy's selection (no sort)
        with np.errstate(invalid="ignore"):
            values = input if mask is None else input[mask]
            return np.asarray(np.median(values) if values.size else np.nan, dtype=dtype)
    own = comparable_dtype(input.dtype, xp)
    values = xp.reshape(xp.astype(input, own, copy=False), (-1,))
    if values.shape[0] == 0:
        return xp.asarray(math.nan, dtype=dtype, device=device(input))
    if mask is None:
        count = xp.asarray(values.shape[0], device=device(input))
    else:  # the others as the largest value: the group's order statistics stay where they are
        flat_mask = xp.reshape(mask, (-1,))
        count = xp.sum(xp.astype(flat_mask, xp.int64))
        far = xp.asarray(_far(own, "min", xp), dtype=own, device=device(input))
        values = xp.where(flat_mask, values, far)
    ordered = xp.sort(values)
    last = values.shape[0] - 1
    lower = xp.take(ordered, xp.reshape(xp.clip((count - 1) // 2, 0, last), (1,)))
    upper = xp.take(ordered, xp.reshape(xp.clip(count // 2, 0, last), (1,)))
    middle = (xp.astype(lower, xp.float64) + xp.astype(upper, xp.float64)) / 2.0
    middle = xp.where(count > 0, middle, math.nan)
    return xp.astype(xp.reshape(middle, ()), dtype)


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def median(input, labels=None, index=None, *, xp):
    """Median of the values of ``input`` per label: float64, or the input's float dtype.

    Parameters are those of `sum_labels`. As SciPy, a label absent from ``labels`` gives the smallest
    value among the elements with the smallest label (what SciPy's sorted search finds there). Dask
    gathers ``input`` and ``labels`` into one chunk first (a median needs all of a label's values).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import median
    >>> median(np.array([1, 2, 3, 4, 10]), np.array([1, 1, 1, 2, 2]), [1, 2])
    array([2., 7.])
    """
    input, labels = _reading(input, labels, index, xp)
    _refuse_complex(input, xp, "median")
    dtype = _median_dtype(input.dtype, xp)
    if _single(labels, index):
        return _scalar(_group_median(input, _mask(labels, index, xp), xp), xp)
    keys = _keys(index, labels, xp, input)
    part = _per_key("median", input, labels, keys, xp)
    counts = _per_key("sums", input, labels, keys, xp)["count"] if math.prod(input.shape) else None
    middle = part["median"]
    if counts is not None:
        middle = xp.where(counts > 0, middle, _absent_median(input, labels, xp))
    return _shaped(xp.astype(middle, dtype), index, xp)


def _absent_median(input, labels, xp):
    """SciPy's median for an absent label: the first value of its (label, value) sort, as float64."""
    flat_labels, values = xp.reshape(labels, (-1,)), xp.reshape(input, (-1,))
    own = comparable_dtype(values.dtype, xp)
    values = xp.astype(values, own, copy=False)
    lowest = flat_labels == xp.min(flat_labels)
    candidates = xp.where(lowest, values, xp.asarray(_far(own, "min", xp), dtype=own, device=device(input)))
    return xp.astype(xp.min(candidates), xp.float64)


# --- centres of mass, histograms, comprehensions ---------------------------------------------------


def _coordinate(input, axis, xp):
    """Each element's coordinate along ``axis`` (float64), broadcastable against ``input``."""
    n = input.shape[axis]
    shape = [1] * input.ndim
    shape[axis] = n
    if is_dask_namespace(xp):
        import dask.array as da

        return da.arange(n, dtype=np.float64, chunks=(input.chunks[axis],)).reshape(shape)
    return xp.reshape(xp.arange(n, dtype=xp.float64, device=device(input)), tuple(shape))


# NumPy: SciPy's bincounts match one segmented sum per axis (measured 2048 x 2048, 10**4 labels: 0.87x)
_COORDINATE_SUMS = {"numpy": "SciPy's bincount per axis is as fast as gsci's sums per axis"}


@gsci_function("ndimage", arrays=_ARRAYS, scipy_for=_COORDINATE_SUMS)
def center_of_mass(input, labels=None, index=None, *, xp):
    """Centre of mass of ``input`` per label: a tuple of float64 coordinates, a list for a sequence index.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import center_of_mass
    >>> center_of_mass(np.array([[0.0, 1.0], [0.0, 3.0]]))
    (np.float64(0.75), np.float64(1.0))
    """
    input, labels = _reading(input, labels, index, xp)
    _refuse_complex(input, xp, "center_of_mass")
    weights = xp.astype(input, xp.float64)
    single = _single(labels, index)
    with np.errstate(invalid="ignore", divide="ignore"):
        if single:
            mask = _mask(labels, index, xp)
            total = _group_sum(weights, mask, xp)
            return tuple(
                _scalar(_group_sum(weights * _coordinate(input, k, xp), mask, xp) / total, xp)
                for k in range(input.ndim)
            )
        keys = _keys(index, labels, xp, input)
        total = _per_key("sums", weights, labels, keys, xp)["sum"]
        centres = [
            _per_key("sums", weights * _coordinate(input, k, xp), labels, keys, xp)["sum"] / total
            for k in range(input.ndim)
        ]
    # SciPy's [tuple(v) for v in np.array(results).T], with results shaped like index
    table = xp.stack([xp.reshape(c, _shape_of(index)) for c in centres])
    table = xp.permute_dims(table, tuple(range(table.ndim - 1, -1, -1)))
    return [
        tuple(table[i, j, ...] if table.ndim > 2 else table[i, j] for j in range(table.shape[1]))
        for i in range(table.shape[0])
    ]


@gsci_function("ndimage", arrays=_ARRAYS, scipy_when=_SCIPY_IS_FASTER)
def histogram(input, min, max, bins, labels=None, index=None, *, xp):
    """Histogram of the values of ``input`` per label: ``bins`` equal bins over ``[min, max]``.

    Parameters
    ----------
    input : array_like
        Values.
    min, max : float
        The range: values outside it are not counted (``max`` itself is, in the last bin).
    bins : int
        The number of bins.
    labels, index : optional
        As `sum_labels` (``index`` without ``labels`` raises ``ValueError``, as in SciPy).

    Returns
    -------
    hist : array or list
        int64 counts for one group. For a sequence index NumPy input gets SciPy's object array of
        count arrays (None for an absent label); other libraries get one 2-D int64 array, a row per
        entry of ``index`` (zeros for an absent label): their arrays hold no objects.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import histogram
    >>> histogram(np.array([0.5, 1.5, 1.7, 3.9]), 0, 4, 4)
    array([1, 2, 0, 1])
    """
    if labels is None and index is not None:
        raise ValueError("index without defined labels")
    input, labels = _reading(input, labels, index, xp)
    _refuse_complex(input, xp, "histogram")
    count = operator.index(bins)
    edges = (np.linspace(min, max, count + 1), count)
    single = _single(labels, index)
    if single:
        mask = _mask(labels, index, xp)
        flat = xp.reshape(input, (-1,))
        slots = xp.zeros(flat.shape, dtype=xp.int64, device=device(input))
        if mask is not None:
            slots = xp.astype(~xp.reshape(mask, (-1,)), xp.int64)
        counts = _histogram_of(flat, slots, edges, xp)[0, :]
        if is_numpy_namespace(xp) and np.isscalar(index) and labels is not None and not np.any(mask):
            return None  # SciPy's default for an absent label (NumPy only: a value check)
        return counts
    _check_index_cast(index, labels, xp)
    keys = _keys(index, labels, xp, input)
    counts = _per_key("histogram", input, labels, keys, xp, edges)["histogram"]
    if not is_numpy_namespace(xp):
        return counts
    present = _per_key("sums", input, labels, keys, xp)["count"] > 0
    result = np.empty(keys[0].shape[0], dtype=object)
    result[:] = [row if found else None for row, found in zip(counts, present, strict=True)]
    return np.reshape(result, _shape_of(index))


def _histogram_of(flat, slots, edges, xp):
    from gsci.ndimage._measurements._segments import _histogram_counts

    return _histogram_counts(xp, flat, slots, 1, edges)


def _check_index_cast(index, labels, xp):
    """SciPy's check that ``index`` converts to the labels' dtype without loss (host indexes only)."""
    if is_array(index) and library_of(index) != "numpy":
        return
    host = np.asarray(index)
    labels_dtype = np.dtype(str(labels.dtype).rpartition(".")[2])
    if np.any(host.astype(labels_dtype).astype(host.dtype) != host):
        raise ValueError(
            f"Cannot convert index values from <{host.dtype}> to <{labels_dtype}> "
            "(labels' type) without loss of precision"
        )


_CALLABLE = "func is a Python callable: SciPy's loop runs it on host arrays"


@gsci_function(
    "ndimage",
    arrays=_ARRAYS,
    scipy_for={"numpy": _CALLABLE},  # other libraries: the native function makes the same host call
)
def labeled_comprehension(input, labels, index, func, out_dtype, default, pass_positions=False, *, xp):
    """``func`` applied to the values of ``input`` per label: SciPy's own loop, on host copies.

    ``func`` is a Python callable, so the values go to the host (NumPy) whatever the library
    (`gsci.HostTransferWarning` for GPU arrays; no ``jax.jit``, and Dask computes); an array result
    comes back to the input's library and device.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import labeled_comprehension
    >>> labeled_comprehension(np.array([1, 2, 3, 4]), np.array([1, 1, 2, 2]), [1, 2], np.max, int, 0)
    array([2, 4])
    """
    import scipy.ndimage

    where = "gsci.ndimage.labeled_comprehension"
    host = {
        n: to_host(a, library_of(a), where) if is_array(a) else a
        for n, a in (("input", input), ("labels", labels), ("index", index))
    }
    result = scipy.ndimage.labeled_comprehension(
        host["input"], host["labels"], host["index"], func, out_dtype, default, pass_positions
    )
    like = device(input) if is_array(input) else None
    return (
        from_host(result, xp, like) if isinstance(result, np.ndarray) and result.dtype != object else result
    )
