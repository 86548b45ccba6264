"""Peak finding: find_peaks, peak_prominences, peak_widths, argrelextrema (max, min), find_peaks_cwt.

How many peaks a signal has depends on its values, and so does every
result's size here: each call reads the values on the host once (a torch
CPU or NumPy array in place, a GPU array copied, a Dask array computed
once) and returns its index arrays (int64, SciPy's ``intp``) and float64
properties in the input's library and on its device. None of them runs
under ``jax.jit``: a traced array raises ``TypeError`` saying so.

`find_peaks`, `peak_prominences` and `peak_widths` follow SciPy 1.17's
``_peak_finding.py`` step for step, with its Cython loops replaced by the
Numba kernels of `gsci.kernels.peaks_cpu` (the same comparisons on the same
float64 values, so the same results bit for bit; faster searches). NumPy
signals shorter than 4096 samples run SciPy itself, whose fixed
cost is lower. `argrelextrema` compares shifted copies in the input's own
library (native) and reads the mask's nonzero positions; `find_peaks_cwt`
runs SciPy on the host.

Differences from SciPy 1.17: `peak_widths` with user-given prominence data
whose evaluation height lies above the peak reads no sample outside the
signal (SciPy reads past its ends there); prominence arrays may be of any
library and need not be C-contiguous.
"""

import math

import numpy as np
from scipy.signal._peak_finding_utils import PeakPropertyWarning

from gsci._lib._arrays import NUMPY, is_array, library_of, to_host
from gsci._lib._compat import device as device_of
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._warnings import warn_at_caller
from gsci.signal._filter_design import _traced

__all__ = [
    "argrelextrema",
    "argrelmax",
    "argrelmin",
    "find_peaks",
    "find_peaks_cwt",
    "peak_prominences",
    "peak_widths",
]

_INT64_MIN = -(2**63)


def _kernels():
    from gsci.kernels import peaks_cpu

    return peaks_cpu


def _require_values(value, name, function):
    if is_array(value) and library_of(value) == "jax" and _traced(value):
        raise TypeError(
            f"{function} cannot run under jax.jit: {name} is a traced jax array, and the size of "
            f"{function}'s result depends on its values (one host read per call); call it outside jax.jit"
        )


def _host(value, name, function):
    """``value`` as SciPy sees it: arrays of any library as NumPy arrays (GPU copied, Dask computed)."""
    if isinstance(value, np.ndarray) or not is_array(value):
        return value
    _require_values(value, name, function)
    return to_host(value, library_of(value), f"gsci.signal.{function}")


def _host_interval(value, name, function):
    """A condition (a number, an array, or a pair of them) with its arrays on the host."""
    if isinstance(value, tuple | list):
        return type(value)(_host(v, name, function) for v in value)
    return _host(value, name, function)


def _signal(x, function):
    """SciPy's ``_arg_x_as_expected``: a 1-D C-contiguous float64 NumPy array."""
    value = np.asarray(_host(x, "x", function), order="C", dtype=np.float64)
    if value.ndim != 1:
        raise ValueError("`x` must be a 1-D array")
    return value


def _peak_indices(peaks, function):
    """SciPy's ``_arg_peaks_as_expected``: a 1-D C-contiguous intp NumPy array."""
    value = np.asarray(_host(peaks, "peaks", function))
    if value.size == 0:
        value = np.array([], dtype=np.intp)
    try:
        value = value.astype(np.intp, order="C", casting="safe", subok=False, copy=False)
    except TypeError as e:
        raise TypeError("cannot safely cast `peaks` to dtype('intp')") from e
    if value.ndim != 1:
        raise ValueError("`peaks` must be a 1-D array")
    return value


def _window(value):
    """SciPy's ``_arg_wlen_as_expected``: -1 for None, else an integer above 1."""
    if value is None:
        return -1
    if value > 1:
        if isinstance(value, float):
            value = math.ceil(value)
        return int(np.intp(value))
    raise ValueError(f"`wlen` must be larger than 1, was {value}")


def _placer(x, xp):
    """The function that puts a NumPy result in ``x``'s library and on its device."""
    if not is_array(x) or isinstance(x, np.ndarray):
        return lambda a: a
    like = device_of(x)
    return lambda a: xp.asarray(a, device=like)


def _prominences(x, peaks, wlen, summaries=None):
    """SciPy's ``_peak_prominences``: validation, the kernel, the warning."""
    invalid = (peaks < 0) | (peaks >= x.shape[0])
    if invalid.any():
        raise ValueError(f"peak {peaks[np.argmax(invalid)]} is not a valid index for `x`")
    result = _kernels().prominences(x, peaks, wlen, summaries)
    if (result[0] == 0).any():
        warn_at_caller("some peaks have a prominence of 0", PeakPropertyWarning)
    return result


# Cython's names of the C types behind NumPy's dtypes, as its buffer checks write them
_C_TYPES = {"d": "double", "f": "float", "l": "long", "q": "long long", "i": "int", "h": "short", "?": "bool"}


def _buffer(value, dtype, name):
    """One of ``prominence_data``'s arrays as SciPy's typed memoryview takes it, on the host."""
    if value is None:
        raise TypeError(f"Argument '{name}' must not be None")
    if not is_array(value):
        raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'")
    value = np.asarray(value)
    if value.ndim != 1:
        raise ValueError(f"Buffer has wrong number of dimensions (expected 1, got {value.ndim})")
    if value.dtype != dtype:
        expected = "float64_t" if dtype == np.float64 else "intp_t"
        got = _C_TYPES.get(value.dtype.char, value.dtype.name)
        raise ValueError(f"Buffer dtype mismatch, expected 'const {expected}' but got {got!r}")
    return np.ascontiguousarray(value)


def _widths(x, peaks, rel_height, prominence_data, summaries=None):
    """SciPy's ``_peak_widths``: validation in its order, the kernel, the warning."""
    rel_height = float(rel_height)
    if len(prominence_data) != 3:
        raise TypeError(
            f"_peak_widths() takes exactly 6 positional arguments ({3 + len(prominence_data)} given)"
        )
    prominences, left_bases, right_bases = (
        _buffer(a, t, n)
        for a, t, n in zip(
            prominence_data,
            (np.float64, np.intp, np.intp),
            ("prominences", "left_bases", "right_bases"),
            strict=True,
        )
    )
    if rel_height < 0:
        raise ValueError("`rel_height` must be greater or equal to 0.0")
    if not (peaks.shape[0] == prominences.shape[0] == left_bases.shape[0] == right_bases.shape[0]):
        raise ValueError("arrays in `prominence_data` must have the same shape as `peaks`")
    invalid = ~(
        (left_bases >= 0) & (left_bases <= peaks) & (peaks <= right_bases) & (right_bases < x.shape[0])
    )
    first_invalid = int(np.argmax(invalid)) if invalid.any() else peaks.shape[0]
    lefts, rights = np.where(invalid, peaks, left_bases), np.where(invalid, peaks, right_bases)
    valid = np.clip(peaks, 0, max(x.shape[0] - 1, 0))  # invalid peaks are never read: only flagged
    if x.shape[0] == 0:
        if peaks.shape[0]:
            raise ValueError(f"prominence data is invalid for peak {peaks[0]}")
        return tuple(np.empty(0) for _ in range(4))
    out, zero = _kernels().widths(x, valid, rel_height, prominences, lefts, rights, summaries)
    first_zero = int(np.argmax(zero & ~invalid)) if (zero & ~invalid).any() else peaks.shape[0]
    if first_invalid < peaks.shape[0] and first_invalid <= first_zero:
        raise ValueError(f"prominence data is invalid for peak {peaks[first_invalid]}")
    if first_zero < peaks.shape[0]:
        raise ZeroDivisionError("float division")  # SciPy 1.17's loop divides by zero here
    widths, heights, left_ips, right_ips = out
    if (widths == 0).any():
        warn_at_caller("some peaks have a width of 0", PeakPropertyWarning)
    return widths, heights, left_ips, right_ips


def _unpack_condition_args(interval, x, peaks):
    """SciPy's: the interval's borders, arrays of `x`'s size taken at ``peaks``."""
    try:
        imin, imax = interval
    except (TypeError, ValueError):
        imin, imax = (interval, None)
    if isinstance(imin, np.ndarray):
        if imin.size != x.size:
            raise ValueError("array size of lower interval border must match x")
        imin = imin[peaks]
    if isinstance(imax, np.ndarray):
        if imax.size != x.size:
            raise ValueError("array size of upper interval border must match x")
        imax = imax[peaks]
    return imin, imax


def _select_by_property(peak_properties, pmin, pmax):
    keep = np.ones(peak_properties.size, dtype=bool)
    if pmin is not None:
        keep &= pmin <= peak_properties
    if pmax is not None:
        keep &= peak_properties <= pmax
    return keep


def _select_by_peak_threshold(x, peaks, tmin, tmax):
    stacked_thresholds = np.vstack([x[peaks] - x[peaks - 1], x[peaks] - x[peaks + 1]])
    keep = np.ones(peaks.size, dtype=bool)
    if tmin is not None:
        keep &= tmin <= np.min(stacked_thresholds, axis=0)
    if tmax is not None:
        keep &= np.max(stacked_thresholds, axis=0) <= tmax
    return keep, stacked_thresholds[0], stacked_thresholds[1]


def _select_by_peak_distance(peaks, priority, distance):
    """SciPy's: which peaks stay, the highest first; equal heights in ``np.argsort``'s order, as SciPy."""
    rounded = math.ceil(distance) if math.isfinite(distance) else None
    if rounded is None or not _INT64_MIN <= rounded < 2**63:
        rounded = (
            _INT64_MIN  # SciPy's cast to intp gives this for NaN, inf and out of range: nothing is removed
        )
    kernels = _kernels()
    if rounded <= 1:  # no two peaks are closer than 1: all stay
        return np.ones(peaks.shape[0], dtype=bool)
    keep, undecided = kernels.decided_by_distance(peaks, priority, rounded)
    if undecided.size:
        rest = priority[undecided]
        order = np.argsort(rest)
        ordered = rest[order]
        if (ordered[1:] == ordered[:-1]).any():  # equal heights: SciPy's order of all peaks decides
            return kernels.suppress_by_distance(peaks, np.argsort(priority), rounded)
        keep[undecided] = kernels.suppress_by_distance(peaks[undecided], order, rounded)
    return keep


@gsci_function(
    "signal",
    arrays=("x",),
    scipy_when=fewer_elements(4096),  # measured: SciPy's fixed cost per call is lower below (see Notes)
)
def find_peaks(
    x,
    height=None,
    threshold=None,
    distance=None,
    prominence=None,
    width=None,
    wlen=None,
    rel_height=0.5,
    plateau_size=None,
    *,
    xp,
):
    """Find peaks inside a signal based on peak properties.

    Parameters
    ----------
    x : array_like
        A 1-D signal (read as float64).
    height, threshold, prominence, width, plateau_size : number or array or sequence, optional
        Required interval of each property: a number (the minimum), an
        array of `x`'s size, or a pair ``(min, max)`` of these (None: open).
        Arrays may be of any library.
    distance : number, optional
        Required minimal distance (>= 1) in samples between neighbouring
        peaks; lower peaks are removed first.
    wlen : int, optional
        The window of the prominence search (see `peak_prominences`).
    rel_height : float, optional
        The relative height of the width evaluation (see `peak_widths`).

    Returns
    -------
    peaks : array
        Indices (int64) of the peaks that meet every condition.
    properties : dict
        SciPy's keys, in SciPy's order, for the conditions given:
        ``plateau_sizes``, ``left_edges``, ``right_edges`` (int64),
        ``peak_heights``, ``left_thresholds``, ``right_thresholds``,
        ``prominences`` (float64), ``left_bases``, ``right_bases`` (int64),
        ``widths``, ``width_heights``, ``left_ips``, ``right_ips`` (float64).

    Warns
    -----
    PeakPropertyWarning
        SciPy's, where a prominence or width is 0.

    Notes
    -----
    The conditions are evaluated in SciPy's order (plateau size, height,
    threshold, distance, prominence, width) by SciPy's algorithm on the
    float64 values: local maxima (a plateau's middle, rounded down), the
    distance rule by height (equal heights in ``np.argsort``'s order, as
    SciPy), prominences and widths by the Numba kernels of
    `gsci.kernels.peaks_cpu`, whose searches skip blocks of samples they
    would only walk through (a random walk of 2**22 samples with
    ``distance=100, prominence=1``: several times SciPy's speed).

    Where it runs: NumPy arrays in place; below 4096 samples SciPy itself
    (its fixed cost is lower: 1024 samples with ``prominence=1, width=2``
    ran 0.5x SciPy natively). Every other library: the values are read on
    the host once per call, because the number of peaks depends on them
    (torch CPU tensors and array-api-strict arrays without a copy, GPU
    arrays copied, Dask arrays computed once); the results are arrays of
    `x`'s library on its device. Not under ``jax.jit``: the result's size
    depends on the values, which a traced array does not have; a traced
    `x` raises ``TypeError``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import find_peaks
    >>> x = np.array([0.0, 2.0, 1.0, 3.0, 3.0, 0.0, 1.0, 0.5])
    >>> peaks, properties = find_peaks(x, prominence=1)
    >>> peaks
    array([1, 3])
    >>> properties["prominences"]
    array([1., 3.])
    """
    place = _placer(x, xp)
    x = _signal(x, "find_peaks")
    if distance is not None and distance < 1:
        raise ValueError("`distance` must be greater or equal to 1")
    kernels = _kernels()
    peaks, left_edges, right_edges = kernels.local_maxima(x)
    properties = {}

    if plateau_size is not None:
        plateau_sizes = right_edges - left_edges + 1
        pmin, pmax = _unpack_condition_args(
            _host_interval(plateau_size, "plateau_size", "find_peaks"), x, peaks
        )
        keep = _select_by_property(plateau_sizes, pmin, pmax)
        peaks = peaks[keep]
        properties["plateau_sizes"] = plateau_sizes
        properties["left_edges"] = left_edges
        properties["right_edges"] = right_edges
        properties = {key: array[keep] for key, array in properties.items()}

    if height is not None:
        peak_heights = x[peaks]
        hmin, hmax = _unpack_condition_args(_host_interval(height, "height", "find_peaks"), x, peaks)
        keep = _select_by_property(peak_heights, hmin, hmax)
        peaks = peaks[keep]
        properties["peak_heights"] = peak_heights
        properties = {key: array[keep] for key, array in properties.items()}

    if threshold is not None:
        tmin, tmax = _unpack_condition_args(_host_interval(threshold, "threshold", "find_peaks"), x, peaks)
        keep, left_thresholds, right_thresholds = _select_by_peak_threshold(x, peaks, tmin, tmax)
        peaks = peaks[keep]
        properties["left_thresholds"] = left_thresholds
        properties["right_thresholds"] = right_thresholds
        properties = {key: array[keep] for key, array in properties.items()}

    if distance is not None:
        keep = _select_by_peak_distance(peaks, x[peaks], float(distance))
        peaks = peaks[keep]
        properties = {key: array[keep] for key, array in properties.items()}

    summaries = None
    if prominence is not None or width is not None:
        wlen = _window(_host(wlen, "wlen", "find_peaks"))
        summaries = kernels.levels(x)
        properties.update(
            zip(
                ["prominences", "left_bases", "right_bases"],
                _prominences(x, peaks, wlen, summaries),
                strict=True,
            )
        )

    if prominence is not None:
        pmin, pmax = _unpack_condition_args(_host_interval(prominence, "prominence", "find_peaks"), x, peaks)
        keep = _select_by_property(properties["prominences"], pmin, pmax)
        peaks = peaks[keep]
        properties = {key: array[keep] for key, array in properties.items()}

    if width is not None:
        data = (properties["prominences"], properties["left_bases"], properties["right_bases"])
        properties.update(
            zip(
                ["widths", "width_heights", "left_ips", "right_ips"],
                _widths(x, peaks, rel_height, data, summaries),
                strict=True,
            )
        )
        wmin, wmax = _unpack_condition_args(_host_interval(width, "width", "find_peaks"), x, peaks)
        keep = _select_by_property(properties["widths"], wmin, wmax)
        peaks = peaks[keep]
        properties = {key: array[keep] for key, array in properties.items()}

    return place(peaks), {key: place(array) for key, array in properties.items()}


@gsci_function("signal", arrays=("x",), operators=("peaks",), scipy_when=fewer_elements(4096))
def peak_prominences(x, peaks, wlen=None, *, xp):
    """Calculate the prominence of each peak in a signal.

    Parameters
    ----------
    x : array_like
        A 1-D signal (read as float64).
    peaks : array_like
        Indices of peaks in `x` (safely castable to int64).
    wlen : int, optional
        A window length in samples around each peak (rounded up to an odd
        number) that bounds the search; default: the whole signal.

    Returns
    -------
    prominences : array
        The prominences (float64).
    left_bases, right_bases : array
        The bases (int64) on each side.

    Warns
    -----
    PeakPropertyWarning
        If a prominence is 0 (`peaks` not all local maxima, or `wlen`
        shorter than a plateau).

    Notes
    -----
    SciPy's search from each peak outwards, in parallel over peaks, skipping
    blocks of 64 and 4096 samples no higher than the peak (the Numba kernel
    of `gsci.kernels.peaks_cpu`); the results equal SciPy's. NumPy signals
    below 4096 samples run SciPy itself. Other libraries: one host read of
    `x` and `peaks` per call (a GPU array copied, a Dask array computed),
    results in `x`'s library and on its device. Not under ``jax.jit``
    (a traced array raises ``TypeError``).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import peak_prominences
    >>> peak_prominences(np.array([0, 1, 0, 3, 1, 3, 0, 4, 0]), [5])
    (array([3.]), array([2]), array([6]))
    """
    place = _placer(x, xp)
    x = _signal(x, "peak_prominences")
    peaks = _peak_indices(peaks, "peak_prominences")
    wlen = _window(_host(wlen, "wlen", "peak_prominences"))
    return tuple(place(a) for a in _prominences(x, peaks, wlen))


@gsci_function("signal", arrays=("x",), operators=("peaks",), scipy_when=fewer_elements(4096))
def peak_widths(x, peaks, rel_height=0.5, prominence_data=None, wlen=None, *, xp):
    """Calculate the width of each peak in a signal.

    Parameters
    ----------
    x : array_like
        A 1-D signal (read as float64).
    peaks : array_like
        Indices of peaks in `x` (safely castable to int64).
    rel_height : float, optional
        The evaluation height as a fraction of the prominence (>= 0).
    prominence_data : tuple of arrays, optional
        ``(prominences, left_bases, right_bases)`` as `peak_prominences`
        returns them (float64, int64; arrays of any library); computed when
        not given.
    wlen : int, optional
        The prominence search window when `prominence_data` is not given.

    Returns
    -------
    widths, width_heights, left_ips, right_ips : array
        The widths in samples, the evaluation heights and the interpolated
        left and right intersection points (float64).

    Warns
    -----
    PeakPropertyWarning
        If a width is 0.

    Notes
    -----
    SciPy's search and interpolation, in parallel over peaks, skipping
    blocks of samples above the evaluation height (the Numba kernel of
    `gsci.kernels.peaks_cpu`); the results equal SciPy's. Where an
    intersection would divide by zero (user-given prominences that put the
    evaluation height above the peak), SciPy 1.17 raises
    ``ZeroDivisionError``, and so does gsci. NumPy signals below 4096
    samples run SciPy itself. Other libraries: one host read of the arrays
    per call (a GPU array copied, a Dask array computed), results in `x`'s
    library and on its device. Not under ``jax.jit`` (a traced array raises
    ``TypeError``).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import peak_widths
    >>> peak_widths(np.array([1, 0, 1, 2, 1, 0, -1]), [3])
    (array([2.]), array([1.]), array([2.]), array([4.]))
    """
    place = _placer(x, xp)
    x = _signal(x, "peak_widths")
    peaks = _peak_indices(peaks, "peak_widths")
    summaries = None
    if prominence_data is None:
        wlen = _window(_host(wlen, "wlen", "peak_widths"))
        summaries = _kernels().levels(x)
        prominence_data = _prominences(x, peaks, wlen, summaries)
    else:
        prominence_data = tuple(_host(a, "prominence_data", "peak_widths") for a in prominence_data)
    return tuple(place(a) for a in _widths(x, peaks, rel_height, prominence_data, summaries))


# measured: the same take-and-compare as SciPy's, 0.83x of SciPy natively on 2**20 samples, 0.1x on 64
_RELATIVE_ON_NUMPY = {"numpy": "SciPy's take-and-compare is the native path's, less the namespace layer"}

_COMPARATORS = {
    np.greater: "greater",
    np.less: "less",
    np.greater_equal: "greater_equal",
    np.less_equal: "less_equal",
    np.equal: "equal",
    np.not_equal: "not_equal",
}


def _relative_extrema(data, comparator, axis, order, mode, xp, function):
    """SciPy's ``_boolrelextrema`` and ``np.nonzero`` in ``data``'s library."""
    if (int(order) != order) or (order < 1):
        raise ValueError("Order must be an int >= 1")
    _require_values(data, "data", function)
    library = library_of(data)
    if library == "dask":  # the positions' count is a value: the comparisons run on the computed array
        found = _relative_extrema(np.asarray(data), comparator, axis, order, mode, NUMPY, function)
        return tuple(xp.asarray(i) for i in found)
    compare = getattr(xp, _COMPARATORS[comparator]) if comparator in _COMPARATORS else comparator
    n = data.shape[axis]
    like = device_of(data)
    locs = xp.arange(n, device=like)
    results = xp.ones(data.shape, dtype=xp.bool, device=like)
    for shift in range(1, order + 1):
        plus = xp.take(data, _positions(locs + shift, n, mode, xp), axis=axis)
        minus = xp.take(data, _positions(locs - shift, n, mode, xp), axis=axis)
        results = results & compare(data, plus) & compare(data, minus)
        if not bool(xp.any(results)):
            break
    return tuple(xp.nonzero(results))


def _positions(indices, n, mode, xp):
    """numpy.take's index modes, for the shifted positions of an axis of ``n`` samples."""
    if n == 0:
        return indices
    if mode == "clip":
        return xp.clip(indices, 0, n - 1)
    if mode == "wrap":
        return indices % n
    if mode == "raise":
        bad = xp.any((indices < 0) | (indices >= n))
        if bool(bad):
            position = int(xp.max(indices)) if bool(xp.any(indices >= n)) else int(xp.min(indices))
            raise IndexError(f"index {position} is out of bounds for axis 0 with size {n}")
        return indices
    raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")


@gsci_function("signal", arrays=("data",), scipy_for=_RELATIVE_ON_NUMPY)
def argrelextrema(data, comparator, axis=0, order=1, mode="clip", *, xp):
    """Calculate the relative extrema of `data`.

    Parameters
    ----------
    data : array
        The array (any dimension).
    comparator : callable
        Compares two arrays elementwise: NumPy's comparison ufuncs
        (``np.greater``, ``np.less``, ...) stand for the same comparison of
        `data`'s library; any other callable is called with `data`'s arrays.
    axis : int, optional
        The axis along which to compare.
    order : int, optional
        How many points on each side to compare (>= 1).
    mode : str, optional
        How the edges are treated: ``'clip'`` (the edge sample repeats) or
        ``'wrap'``, as `numpy.take`.

    Returns
    -------
    extrema : tuple of arrays
        The indices of the extrema along each axis of `data` (int64 for
        NumPy), arrays of `data`'s library and device.

    Notes
    -----
    NumPy arrays run SciPy (the same comparisons, declared: native is 0.83x
    of SciPy on 2**20 samples). Other libraries, native: the shifted
    comparisons run in `data`'s library, on its device;
    between shifts, whether any extremum is left is read on the host (as
    SciPy stops early), and the positions' count is a value too. Dask: the
    array is computed once, the indices come back as Dask arrays. Not under
    ``jax.jit``: the result's size depends on the values (a traced array
    raises ``TypeError``).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import argrelextrema
    >>> argrelextrema(np.array([2, 1, 2, 3, 2, 0, 1, 0]), np.greater)
    (array([3, 6]),)
    """
    return _relative_extrema(data, comparator, axis, order, mode, xp, "argrelextrema")


@gsci_function("signal", arrays=("data",), scipy_for=_RELATIVE_ON_NUMPY)
def argrelmax(data, axis=0, order=1, mode="clip", *, xp):
    """Calculate the relative maxima of `data`.

    `argrelextrema` with ``np.greater``: strict maxima only (flat maxima are
    not found; `find_peaks` finds them in 1-D). Same paths and host reads as
    `argrelextrema`; not under ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import argrelmax
    >>> argrelmax(np.array([[1, 2, 1, 2], [2, 2, 0, 0], [5, 3, 4, 4]]), axis=1)
    (array([0]), array([1]))
    """
    return _relative_extrema(data, np.greater, axis, order, mode, xp, "argrelmax")


@gsci_function("signal", arrays=("data",), scipy_for=_RELATIVE_ON_NUMPY)
def argrelmin(data, axis=0, order=1, mode="clip", *, xp):
    """Calculate the relative minima of `data`.

    `argrelextrema` with ``np.less``: strict minima only. Same paths and host
    reads as `argrelextrema`; not under ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import argrelmin
    >>> argrelmin(np.array([2, 1, 2, 3, 2, 0, 1, 0]))
    (array([1, 5]),)
    """
    return _relative_extrema(data, np.less, axis, order, mode, xp, "argrelmin")


_CWT_ON_HOST = "ridge lines are followed by Python loops over a few rows: SciPy's code on the host values"


@gsci_function(
    "signal",
    arrays=("vector",),
    scipy_for={"numpy": _CWT_ON_HOST},  # the native path runs the same code on the host values
)
def find_peaks_cwt(
    vector,
    widths,
    wavelet=None,
    max_distances=None,
    gap_thresh=None,
    min_length=None,
    min_snr=1,
    noise_perc=10,
    window_size=None,
    *,
    xp,
):
    """Find peaks in a 1-D array with wavelet transformation.

    SciPy's `scipy.signal.find_peaks_cwt`, on the host values: NumPy input
    takes the declared SciPy path, the native path of other libraries runs
    the same code on their host values (GPU arrays, CuPy and torch CUDA,
    copied to the host and back, warning once with
    `gsci.HostTransferWarning`).
    The indices come back in `vector`'s library and on its device. Not
    under ``jax.jit`` (the number of peaks depends on the values).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import find_peaks_cwt
    >>> find_peaks_cwt(np.sin(np.arange(0, np.pi, 0.05)), np.arange(1, 10))
    array([32])
    """
    import scipy.signal

    place = _placer(vector, xp)
    host = {
        name: _host(value, name, "find_peaks_cwt")
        for name, value in (("vector", vector), ("widths", widths), ("max_distances", max_distances))
    }
    return place(
        scipy.signal.find_peaks_cwt(
            host["vector"],
            host["widths"],
            wavelet,
            host["max_distances"],
            gap_thresh,
            min_length,
            min_snr,
            noise_perc,
            window_size,
        )
    )
