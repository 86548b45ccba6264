"""FIR filter design beyond `firwin`: `firwin2`, `firls`, `remez`, `minimum_phase`, and Kaiser's formulas.

`firwin2`, `firls` and `remez` compute a few coefficients by a short sequential computation (an
interpolation and one inverse FFT, a small linear solve, the Remez exchange): SciPy computes them on
the host, exactly, and gsci returns the array once in the output's library and on its device, as
`gsci.signal.firwin` does (see `gsci.signal._filter_design`). The output's library is SciPy 1.17's:
that of the arrays among ``freq`` and ``gain`` (`firwin2`) or ``bands``, ``desired`` and ``weight``
(`firls`, `remez`), NumPy when they are Python numbers or sequences; arrays of different libraries
raise ``TypeError``. They also take ``xp=`` and ``device=``. The coefficients are float64 on every
library, as SciPy's. Reading the arrays' values on the host waits for a GPU and computes a Dask
array, as SciPy does; a JAX array traced by ``jax.jit`` raises ``TypeError`` (SciPy fails there too).

`minimum_phase` transforms a filter with FFTs, which every library does where the data lives: it is
native (the input's library and device, lazy on Dask, traceable under ``jax.jit``).

`kaiser_beta`, `kaiser_atten` and `kaiserord` are SciPy's formulas on the values given: Python
floats for Python numbers, and the arithmetic's result (a NumPy scalar, a 0-d array of the input's
library) for arrays, as in SciPy.

Differences from SciPy 1.17: `firwin2` computes its window in float64 on every library (SciPy
computes it in PyTorch's default float type, float32 unless changed, before multiplying in float64);
`minimum_phase` works on JAX and array-api-strict (where SciPy fails), keeps float32 on Dask (SciPy
gives float64 there), and skips its symmetry warning on Dask and under ``jax.jit``, where the values
are not known.
"""

import dataclasses
import functools
import math

import numpy as np
import scipy.signal

from gsci._lib._arrays import HOST_TYPES, as_array, is_array, library_of
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_array_api_strict_namespace, is_numpy_namespace, is_torch_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import fft_module
from gsci.signal._filter_design import (
    _XP_DOC,
    _concrete,
    _default_float,
    _designed,
    _host_parameter,
    _output_place,
    _traced,
)
from gsci.signal._resampling._resample import whole_last_axis

__all__ = ["firls", "firwin2", "kaiser_atten", "kaiser_beta", "kaiserord", "minimum_phase", "remez"]

_kind = type  # `remez` has a parameter called ``type``


# Kaiser's formulas


def kaiser_beta(a):
    """The Kaiser window parameter ``beta`` for the attenuation ``a`` (`scipy.signal.kaiser_beta`).

    Parameters
    ----------
    a : float
        The desired attenuation in the stopband and maximum ripple in the passband, in dB (a
        positive number).

    Returns
    -------
    beta : float
        The ``beta`` parameter of a Kaiser window: a Python float for a Python number, the
        arithmetic's result for an array (a NumPy scalar, a 0-d array of its library), as SciPy.
        A 0-d JAX array traced by ``jax.jit`` gives a traced array (SciPy fails there).

    Examples
    --------
    >>> from gsci.signal import kaiser_beta
    >>> round(kaiser_beta(65), 5)
    6.20426
    """
    try:
        if a > 50:
            return 0.1102 * (a - 8.7)
        if a > 21:
            return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21)
        return 0.0
    except TypeError:  # a traced JAX array has no truth value: choose by `where` instead
        if not (is_array(a) and library_of(a) == "jax" and _traced(a)):
            raise
        import jax.numpy as jnp

        middle = 0.5842 * jnp.maximum(a - 21, 0) ** 0.4 + 0.07886 * (a - 21)
        return jnp.where(a > 50, 0.1102 * (a - 8.7), jnp.where(a > 21, middle, 0.0))


def kaiser_atten(numtaps, width):
    """The attenuation in dB of a Kaiser FIR filter (`scipy.signal.kaiser_atten`).

    Kaiser's formula ``a = 2.285 * (numtaps - 1) * pi * width + 7.95``.

    Parameters
    ----------
    numtaps : int
        The number of taps in the FIR filter.
    width : float
        The width of the transition region, as a fraction of the Nyquist frequency.

    Returns
    -------
    a : float
        The attenuation of the ripple, in dB: a Python float for Python numbers, else the
        arithmetic's result for arrays (traceable under ``jax.jit``), as SciPy.

    Examples
    --------
    >>> from gsci.signal import kaiser_atten
    >>> round(kaiser_atten(211, 0.0375), 4)
    64.481
    """
    return 2.285 * (numtaps - 1) * np.pi * width + 7.95


def kaiserord(ripple, width):
    """The Kaiser window's length and ``beta`` for a ripple and a transition width (`scipy.signal.kaiserord`).

    Parameters
    ----------
    ripple : float
        Upper bound for the deviation (in dB) of the magnitude of the filter's response from the
        desired one, outside the transition intervals.
    width : float
        Width of the transition region, as a fraction of the Nyquist frequency.

    Returns
    -------
    numtaps : int
        The length of the Kaiser window.
    beta : float
        The ``beta`` parameter of the Kaiser window, as `kaiser_beta` returns it.

    Raises
    ------
    ValueError
        If ``abs(ripple) < 8``, where Kaiser's formula does not hold. The values are read: a GPU
        array waits, a Dask array computes, and a JAX array traced by ``jax.jit`` raises
        ``TypeError`` (as in SciPy: ``numtaps`` is a Python int).

    Examples
    --------
    >>> from gsci.signal import kaiserord
    >>> numtaps, beta = kaiserord(65, 24 / 500)
    >>> numtaps, round(beta, 5)
    (167, 6.20426)
    """
    A = abs(ripple)  # SciPy's names
    if A < 8:
        message = f"Requested maximum ripple attenuation {float(A):f} is too small for the Kaiser formula."
        raise ValueError(message)  # float(A): array-api-strict's arrays take no format (SciPy fails there)
    beta = kaiser_beta(A)
    numtaps = (A - 7.95) / 2.285 / (np.pi * width) + 1
    return math.ceil(numtaps), beta


# Designs computed on the host


def firwin2(
    numtaps,
    freq,
    gain,
    *,
    nfreqs=None,
    window="hamming",
    antisymmetric=False,
    fs=None,
    xp=None,
    device=None,
):
    """FIR filter design from gains at frequencies, by the window method (`scipy.signal.firwin2`).

    Parameters
    ----------
    numtaps : int
        The number of taps in the FIR filter (less than ``nfreqs``).
    freq : array_like, 1-D
        The frequency sampling points, nondecreasing from 0 to ``fs/2`` (a value may be repeated
        once, for a discontinuity; 0 and ``fs/2`` may not). An array sets the output's library and
        device (see ``xp``).
    gain : array_like
        The filter gains at the frequency sampling points. An array sets the output's library and
        device too.
    nfreqs : int, optional
        The size of the interpolation mesh. Default: the smallest power of 2 not less than
        ``numtaps``, plus 1.
    window : str or tuple of string and parameter values, or None, optional
        The window to use (see `scipy.signal.get_window`); None for no window. Default: 'hamming'.
    antisymmetric : bool, optional
        Whether the filter is antisymmetric (types III and IV) or symmetric (types I and II).
    fs : float, optional
        The sampling frequency of the signal. Default: 2.
    {xp}

    Returns
    -------
    taps : array
        The ``numtaps`` filter coefficients, float64.

    Raises
    ------
    ValueError
        For frequencies or gains that do not make a filter of the requested type, as SciPy.
    TypeError
        For arrays of different libraries, or a JAX array traced by ``jax.jit``.

    Notes
    -----
    A repeated frequency moves apart by ``eps * fs/2``, with the ``eps`` of the output library's
    default float type, as in SciPy: float32's for PyTorch unless its default is float64.

    Examples
    --------
    >>> from gsci.signal import firwin2
    >>> firwin2(5, [0, 0.5, 1], [1, 1, 0]).round(4).tolist()
    [-0.0085, 0.1108, 0.75, 0.1108, -0.0085]
    """
    if xp is None and device is None and _kind(freq) in HOST_TYPES and _kind(gain) in HOST_TYPES:
        return scipy.signal.firwin2(  # NumPy in and out: SciPy's very result
            numtaps, freq, gain, nfreqs=nfreqs, window=window, antisymmetric=antisymmetric, fs=fs
        )
    arguments = {
        "numtaps": numtaps,
        "freq": freq,
        "gain": gain,
        "nfreqs": nfreqs,
        "window": window,
        "antisymmetric": antisymmetric,
        "fs": fs,
    }
    arrays = {key: arguments[key] for key in ("freq", "gain") if is_array(arguments[key])}
    xp, device = _output_place(arrays, xp, device)
    if is_torch_namespace(xp):  # SciPy moves repeated frequencies by eps of the default float type
        eps = float(xp.finfo(_default_float(xp)).eps)
        if eps != np.finfo(np.float64).eps:
            arguments["freq"] = _apart(_host_parameter(freq, "freq"), eps, fs)
    return _designed("firwin2", (), xp, device, **arguments)


def _apart(freq, eps, fs):
    """SciPy's move of `firwin2`'s repeated frequencies, by ``eps * fs/2``, for a valid ``freq``.

    A ``freq`` that SciPy rejects before moving them, or one without repeated values, stays as it is
    (SciPy then raises, or moves none); one whose values come too close raises SciPy's ``ValueError``.
    """
    freq = np.asarray(freq)
    try:
        nyq = 0.5 * (2 if fs is None else float(fs))
    except (TypeError, ValueError):  # SciPy's own check of ``fs`` raises
        return freq
    if freq.ndim != 1 or freq.shape[0] < 3:
        return freq
    d = np.diff(freq)
    valid = freq[0] == 0 and freq[-1] == nyq and freq[1] != 0 and freq[-2] != nyq
    if not (valid and (d >= 0).all() and (d[:-1] + d[1:] != 0).all() and (d == 0).any()):
        return freq
    moved = freq.copy()
    for k in range(moved.shape[0] - 1):  # as SciPy (the pairs are disjoint: no value thrice)
        if moved[k] == moved[k + 1]:
            moved[k] = moved[k] - eps * nyq
            moved[k + 1] = moved[k + 1] + eps * nyq
    if (np.diff(moved) <= 0).any():
        raise ValueError(
            "freq cannot contain numbers that are too close (within eps * (fs/2): "
            f"{eps * nyq}) to a repeated value"
        )
    return moved


def firls(numtaps, bands, desired, *, weight=None, fs=None, xp=None, device=None):
    """FIR filter design by least-squares error minimization (`scipy.signal.firls`).

    Parameters
    ----------
    numtaps : int
        The number of taps in the FIR filter (odd).
    bands : array_like
        A nondecreasing sequence of band edges (pairs), between 0 and ``fs/2``; or an ``(n, 2)``
        array of them. An array sets the output's library and device (see ``xp``), as do arrays of
        ``desired`` and ``weight``.
    desired : array_like
        The desired gain at the start and end of each band, of the size of ``bands``.
    weight : array_like, optional
        A relative weight for each band, half the size of ``bands``.
    fs : float, optional
        The sampling frequency of the signal. Default: 2.
    {xp}

    Returns
    -------
    coeffs : array
        The ``numtaps`` coefficients of the optimal filter (in the least-squares sense), float64.

    Raises
    ------
    ValueError
        For an even ``numtaps``, or bands, gains or weights that SciPy rejects.
    TypeError
        For arrays of different libraries, or a JAX array traced by ``jax.jit``.

    Examples
    --------
    >>> from gsci.signal import firls
    >>> firls(5, [0, 0.3, 0.5, 1], [1, 1, 0, 0]).round(4).tolist()
    [0.0942, 0.2874, 0.383, 0.2874, 0.0942]
    """
    return _designed(
        "firls",
        ("bands", "desired", "weight"),
        xp,
        device,
        numtaps=numtaps,
        bands=bands,
        desired=desired,
        weight=weight,
        fs=fs,
    )


def remez(
    numtaps,
    bands,
    desired,
    *,
    weight=None,
    type="bandpass",
    maxiter=25,
    grid_density=16,
    fs=None,
    xp=None,
    device=None,
):
    """The minimax optimal filter by the Remez exchange algorithm (`scipy.signal.remez`).

    Parameters
    ----------
    numtaps : int
        The number of taps in the filter.
    bands : array_like
        A monotonic sequence of band edges, between 0 and ``fs/2``. An array sets the output's
        library and device (see ``xp``), as do arrays of ``desired`` and ``weight``.
    desired : array_like
        The desired gain in each band, half the size of ``bands``.
    weight : array_like, optional
        A relative weight for each band, half the size of ``bands``.
    type : {'bandpass', 'differentiator', 'hilbert'}, optional
        The type of filter. Default: 'bandpass'.
    maxiter : int, optional
        The maximum number of iterations of the algorithm. Default: 25.
    grid_density : int, optional
        The density of the grid, as in SciPy. Default: 16.
    fs : float, optional
        The sampling frequency of the signal. Default: 1.
    {xp}

    Returns
    -------
    out : array
        The ``numtaps`` coefficients of the optimal filter, float64.

    Raises
    ------
    ValueError
        For an unknown ``type`` or bands SciPy rejects; SciPy's errors when it does not converge.
    TypeError
        For arrays of different libraries, or a JAX array traced by ``jax.jit``.

    Examples
    --------
    >>> from gsci.signal import remez
    >>> remez(5, [0, 0.1, 0.2, 0.5], [1, 0]).round(4).tolist()
    [0.1723, 0.2726, 0.2813, 0.2726, 0.1723]
    """
    if (
        xp is None
        and device is None
        and _kind(bands) in HOST_TYPES
        and _kind(desired) in HOST_TYPES
        and _kind(weight) in HOST_TYPES
    ):  # NumPy in and out: SciPy's very result (a few µs saved on a short design)
        return scipy.signal.remez(
            numtaps,
            bands,
            desired,
            weight=weight,
            type=type,
            maxiter=maxiter,
            grid_density=grid_density,
            fs=fs,
        )
    return _designed(
        "remez",
        ("bands", "desired", "weight"),
        xp,
        device,
        numtaps=numtaps,
        bands=bands,
        desired=desired,
        weight=weight,
        type=type,
        maxiter=maxiter,
        grid_density=grid_density,
        fs=fs,
    )


for _function in (firwin2, firls, remez):
    _function.__doc__ = _function.__doc__.replace("{xp}", _XP_DOC)


# Minimum phase, native


@dataclasses.dataclass(frozen=True)
class _short_transforms(fewer_elements):  # lower case: it reads as the predicate it is
    """`minimum_phase`'s ``scipy_when``: an ``n_fft`` given below ``count`` (``hilbert_count`` for
    'hilbert'), where SciPy's four FFTs and few operations cost less per call than the native path's
    (measured: the default ``n_fft`` is 512 or more, where the native path is as fast or faster).

    Its `test` reads the wrapper's parameters ``n_fft`` and ``method``, not only the array ``h``.
    """

    hilbert_count: int = 64

    def test(self, name):
        limit = f"({self.hilbert_count} if method == 'hilbert' else {self.count})"
        return f"(_type(n_fft) is int and n_fft < {limit})"

    def __call__(self, h, n_fft=None, method="homomorphic"):
        """Whether it holds for NumPy ``h`` and these parameters: the same test, evaluated."""
        return eval(self.test("h"), {"_type": type}, {"h": h, "n_fft": n_fft, "method": method})


@gsci_function("signal", arrays=("h",), scipy_when=_short_transforms(512))
def minimum_phase(h, method="homomorphic", n_fft=None, *, half=True, xp):
    """A linear-phase FIR filter converted to minimum phase (`scipy.signal.minimum_phase`).

    Parameters
    ----------
    h : array
        Linear-phase FIR filter coefficients (real, 1-D, at least 3).
    method : {'homomorphic', 'hilbert'}, optional
        'homomorphic' (default) works best with an odd number of taps: the result's magnitude
        response approximates the square root of ``h``'s with half the taps (``half=True``), or
        ``h``'s with as many taps (``half=False``). 'hilbert' is designed for equiripple filters
        (from `remez`) with unity or zero gain regions.
    n_fft : int, optional
        The number of points of the FFTs, at least ``len(h)``. Default: the power of 2 from
        ``2 * (len(h) - 1) / 0.01``.
    half : bool, optional
        Whether to return a filter of half the length, with the square root of ``h``'s magnitude
        response (only True for 'hilbert'). Default: True.

    Returns
    -------
    h_minimum : array
        The minimum-phase filter, of ``(len(h) + 1) // 2`` taps (``half=True``) or ``len(h)``;
        SciPy's dtype: for 'homomorphic' float32 for float16 and float32 ``h``, the library's
        default float type (PyTorch's, float64 elsewhere) for integers, else ``h``'s; float64 for
        'hilbert' (long double for long double NumPy ``h``).

    Raises
    ------
    ValueError
        For complex ``h``, ``h`` not 1-D or shorter than 3, an unknown ``method``,
        ``half=False`` with 'hilbert', or ``n_fft < len(h)``.

    Warns
    -----
    RuntimeWarning
        When ``h`` does not look symmetric, as SciPy. This reads one boolean of the values (a GPU
        waits for it); it is skipped on Dask and under ``jax.jit``, where the values are unknown.

    Notes
    -----
    Native on every library: the FFTs run where ``h`` lives, lazily on Dask (``h`` in one
    chunk: the FFT needs it whole) and under ``jax.jit``. The homomorphic method takes real FFTs
    where SciPy takes complex ones (the spectra are real and even), the same values in half the
    work. NumPy input with an ``n_fft`` given below 512 (64 for 'hilbert') runs SciPy itself, whose
    fixed cost per call is lower there.

    The Hilbert method's taps hang on the rounding of the response next to its minimum (the
    square root of a difference near 0): other FFTs than SciPy's on NumPy (SciPy's own on PyTorch
    too) move them by about 1e-3 of the largest tap. NumPy input gives SciPy's values.

    Examples
    --------
    >>> from gsci.signal import minimum_phase, remez
    >>> h = remez(11, [0, 0.2, 0.3, 0.5], [1, 0])
    >>> minimum_phase(h).shape
    (6,)
    """
    h = as_array(h, xp)
    if xp.isdtype(h.dtype, "complex floating"):
        raise ValueError("Complex filters not supported")
    if h.ndim != 1 or h.shape[0] <= 2:
        raise ValueError("h must be 1-D and at least 2 samples long")
    n = h.shape[0]
    n_half = n // 2
    h = whole_last_axis(xp.astype(h, _transform_dtype(h.dtype, xp), copy=False), xp)
    if _concrete(h) and not bool(_maybe_symmetric(h, n_half, xp)):
        import warnings

        warnings.warn("h does not appear to by symmetric, conversion may fail", RuntimeWarning, stacklevel=3)
    if not isinstance(method, str) or method not in ("homomorphic", "hilbert"):
        raise ValueError(f'method must be "homomorphic" or "hilbert", got {method!r}')
    if method == "hilbert" and not half:
        raise ValueError("`half=False` is only supported when `method='homomorphic'`")
    if n_fft is None:
        n_fft = 2 ** math.ceil(math.log2(2 * (n - 1) / 0.01))
    n_fft = int(n_fft)
    if n_fft < n:
        raise ValueError(f"n_fft must be at least len(h)=={n}")
    h_minimum = (_hilbert if method == "hilbert" else _homomorphic)(h, n_fft, n_half, half, xp)
    return h_minimum[: (n_half + n % 2) if half else n]


def _transform_dtype(dtype, xp):
    """The real dtype SciPy's FFTs take ``h`` in: float16 and float32 single, integers the default float."""
    if xp.isdtype(dtype, "real floating"):
        single = dtype == xp.float32 or (hasattr(xp, "float16") and dtype == xp.float16)
        return xp.float32 if single else dtype  # float64, or NumPy's long double
    return _default_float(xp)


def _maybe_symmetric(h, n_half, xp):
    """SciPy's test: some pair of mirrored taps is close (it warns when none is)."""
    first = h[:n_half]
    return xp.any(xp.flip(h[h.shape[0] - n_half :]) - first <= 1e-8 + 1e-6 * xp.abs(first))


def _homomorphic(h, n_fft, n_half, half, xp):
    """The real cepstrum of ``|H|`` (of ``sqrt(|H|)`` for ``half``), folded onto causal quefrencies.

    SciPy's complex FFTs of a real ``h`` and of real, even spectra: here their real FFTs.
    """
    fft = fft_module(xp)
    dev = device_of(h)
    magnitude = xp.abs(fft.rfft(h, n=n_fft))
    infinity = xp.asarray(math.inf, dtype=magnitude.dtype, device=dev)
    smallest = xp.min(xp.where(magnitude > 0, magnitude, infinity))
    log_magnitude = xp.log(magnitude + 1e-7 * smallest)  # don't let log blow up
    if half:
        log_magnitude = log_magnitude * 0.5
    cepstrum = fft.irfft(_fft_input(log_magnitude, xp), n=n_fft)
    cepstrum = cepstrum * _constant(_fold(n_fft), h.dtype, xp, dev)
    return fft.irfft(xp.exp(fft.rfft(cepstrum)), n=n_fft)


def _fft_input(a, xp):
    """``a``, complex for array-api-strict, whose FFTs take complex input only (the others take real)."""
    if not is_array_api_strict_namespace(xp):
        return a
    return xp.astype(a, xp.complex64 if a.dtype == xp.float32 else xp.complex128)


def _constant(values, dtype, xp, dev):
    """The cached, read-only NumPy ``values`` as ``dtype`` in ``xp`` on ``dev`` (copied but for NumPy)."""
    if is_numpy_namespace(xp):
        return values.astype(dtype, copy=False)
    return xp.asarray(values.copy(), dtype=dtype, device=dev)


@functools.lru_cache(maxsize=16)
def _fold(n_fft):
    """SciPy's homomorphic window: 1 at 0, 2 up to ``n_fft // 2`` (1 there for an odd ``n_fft``), then 0."""
    window = np.zeros(n_fft)
    stop = n_fft // 2
    window[0] = 1
    window[1:stop] = 2
    if n_fft % 2:
        window[stop] = 1
    window.flags.writeable = False  # cached: shared by every call
    return window


def _hilbert(h, n_fft, n_half, half, xp):
    """SciPy's Hilbert method: the zero-phase response scaled into ``[0, 1]``, its square root's phase
    by the discrete Hilbert transform of its log, in float64 (long double for long double ``h``)."""
    fft = fft_module(xp)
    dev = device_of(h)
    wide = xp.float64 if h.dtype == xp.float32 else h.dtype
    spectrum = fft.fft(_fft_input(h, xp), n=n_fft)  # in h's precision, as SciPy's
    H = xp.real(spectrum * _constant(_turns(n_fft, n_half), xp.complex128, xp, dev))
    dp = xp.max(H) - 1
    ds = 0 - xp.min(H)
    S = 4.0 / (xp.sqrt(1 + dp + ds) + xp.sqrt(1 - dp + ds)) ** 2
    magnitude = xp.sqrt((H + ds) * S) + 1e-10  # ensure that the log does not explode
    signs = _constant(_hilbert_signs(n_fft), wide, xp, dev)
    cepstrum = fft.ifft(_fft_input(xp.log(magnitude), xp))
    phase = fft.fft(signs * cepstrum)
    return xp.real(fft.ifft(magnitude * xp.exp(phase)))


@functools.lru_cache(maxsize=16)
def _turns(n_fft, n_half):
    """SciPy's ``exp(1j * w)`` of its phases ``w = 2 pi k n_half / n_fft`` (float64), by NumPy as SciPy's."""
    turns = np.exp(1j * (np.arange(n_fft, dtype=np.float64) * (2 * math.pi / n_fft * n_half)))
    turns.flags.writeable = False  # cached: shared by every call
    return turns


@functools.lru_cache(maxsize=16)
def _hilbert_signs(n_fft):
    """SciPy's discrete Hilbert transform's signs: 1 below the middle, -1 above, 0 at DC and the middle."""
    signs = np.zeros(n_fft)
    middle = n_fft // 2
    signs[1:middle] = 1
    signs[middle + 1 :] = -1
    signs.flags.writeable = False  # cached: shared by every call
    return signs
