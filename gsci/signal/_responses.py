"""Frequency responses of analog filters (`freqs`, `freqs_zpk`), of digital ones in zpk form (`freqz_zpk`),
and the frequencies that show an analog response (`findfreqs`).

Native: a response is a polynomial (Horner's rule, one step per coefficient) or a product over zeros and
poles, evaluated at every frequency at once where the coefficients live. It runs under ``jax.jit`` and
stays lazy on Dask whenever the frequencies are given (an array ``worN``) or, for `freqz_zpk`, equally
spaced (an integer ``worN``).

An integer (or None) ``worN`` of `freqs` and `freqs_zpk` asks `findfreqs` for logarithmically spaced
frequencies around the poles and zeros: their number is known, their range depends on the values. From
zeros and poles (`freqs_zpk`, ``kind='zp'``) that range is a masked maximum and minimum: native, lazy on
Dask, traceable under ``jax.jit``. From polynomials (`freqs`, ``kind='ba'``) it needs their roots, an
eigenvalue problem outside the Array API: NumPy's `numpy.roots` computes them on the host, which waits
for a GPU (a short copy of the coefficients); on Dask the range is one small delayed task of the graph
(nothing computes); under ``jax.jit`` the roots are ``jax.numpy.roots`` (JAX's CPU eigenvalue solver),
which keeps leading zero coefficients (NumPy drops them).

Difference from SciPy 1.17: on Dask, float32 (or complex64) polynomials give float32 frequencies from
`findfreqs`; `numpy.roots` makes SciPy's float64 for some of them (a monomial, as a Butterworth band
pass numerator), a dtype a lazy graph cannot know before computing.

The output's library and device are those of the coefficients (and of an array ``worN`` for `freqs`, as
in SciPy 1.17, where it joins the namespace); the dtypes are SciPy's. NumPy input of fewer than 64
coefficients and 4096 frequencies runs SciPy itself, whose fixed cost per call is lower there (measured
crossover); larger NumPy input runs the native code.
"""

import math

import numpy as np
import scipy.signal

from gsci._lib._arrays import HOST_TYPES, NUMPY, as_array, is_array, library_of
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_dask_namespace, is_jax_namespace, is_numpy_namespace, size
from gsci._lib._dispatch import gsci_function
from gsci.signal._filter_design import _concrete, _default_float, _host_parameter
from gsci.signal._freqz import _equally_spaced, _number_of_frequencies, _polyval, _sampling_frequency

__all__ = ["findfreqs", "freqs", "freqs_zpk", "freqz_zpk"]

# NumPy input below this many coefficients and frequencies: SciPy's call costs less (measured here)
_SCIPY_BELOW = 64
_SCIPY_FREQUENCIES_BELOW = 4096


@gsci_function("signal", arrays=("b", "a", "worN"))
def freqs(b, a, worN=200, plot=None, *, xp):
    """Compute the frequency response of an analog filter (`scipy.signal.freqs`).

    Given the numerator ``b`` and denominator ``a`` of an analog filter, compute
    ``H(w) = (b[0] (jw)^M + ... + b[M]) / (a[0] (jw)^N + ... + a[N])``.

    Parameters
    ----------
    b : array_like
        Numerator of a linear filter, highest power first.
    a : array_like
        Denominator of a linear filter, highest power first.
    worN : {None, int, array_like}, optional
        None: 200 frequencies around the interesting part of the response (see `findfreqs`). An
        integer: that many such frequencies. Otherwise, the angular frequencies (rad/s) at which to
        compute the response; an array joins ``b`` and ``a`` in setting the output's library.
    plot : callable, optional
        Called as ``plot(w, h)`` with the results.

    Returns
    -------
    w : array
        The angular frequencies at which ``h`` was computed.
    h : array
        The frequency response, complex.

    Notes
    -----
    An integer or None ``worN`` finds the frequencies from the roots of ``b`` and ``a``: computed on
    the host by `numpy.roots` (waits for a GPU), a delayed task on Dask, ``jax.numpy.roots`` under
    ``jax.jit``. An array ``worN`` is native everywhere, under ``jax.jit`` and lazily on Dask.

    Examples
    --------
    >>> from gsci.signal import freqs
    >>> w, h = freqs([1.0], [1.0, 1.0], worN=[0.0, 1.0])
    >>> abs(h).round(4).tolist()
    [1.0, 0.7071]
    """
    if is_numpy_namespace(xp) and _small(xp, b, a, worN=worN, default=200):
        return scipy.signal.freqs(b, a, worN=worN, plot=plot)
    like = next((v for v in (b, a, worN) if is_array(v)), None)
    b, a = _at_least_1d(as_array(b, xp, like), xp), _at_least_1d(as_array(a, xp, like), xp)
    w = _analog_frequencies(worN, b, a, "ba", like, xp)
    s = 1j * w
    h = _descending(b, s, xp) / _descending(a, s, xp)
    if plot is not None:
        plot(w, h)
    return w, h


@gsci_function("signal", arrays=("z", "p"))
def freqs_zpk(z, p, k, worN=200, *, xp):
    """Compute the frequency response of an analog filter in zpk form (`scipy.signal.freqs_zpk`).

    ``H(w) = k * prod(jw - z[i]) / prod(jw - p[j])``.

    Parameters
    ----------
    z : array_like
        Zeros of a linear filter.
    p : array_like
        Poles of a linear filter.
    k : scalar
        Gain of a linear filter (a number or an array of one element, of any library; it does not
        decide the output's library).
    worN : {None, int, array_like}, optional
        None: 200 frequencies around the interesting part of the response (see `findfreqs`). An
        integer: that many such frequencies. Otherwise, the angular frequencies (rad/s).

    Returns
    -------
    w : array
        The angular frequencies at which ``h`` was computed.
    h : array
        The frequency response, complex; SciPy's dtype (the gain counts as the library's default
        float type).

    Notes
    -----
    Native for every ``worN``: the frequencies `findfreqs` finds from zeros and poles are a masked
    maximum and minimum, so this runs under ``jax.jit`` and lazily on Dask.

    Examples
    --------
    >>> from gsci.signal import freqs_zpk
    >>> w, h = freqs_zpk([], [-1.0], 1.0, worN=[0.0, 1.0])
    >>> abs(h).round(4).tolist()
    [1.0, 0.7071]
    """
    if is_numpy_namespace(xp) and _small(xp, z, p, worN=worN, default=200):
        return scipy.signal.freqs_zpk(z, p, k, worN=worN)
    like = next((v for v in (z, p) if is_array(v)), None)
    z, p = _at_least_1d(as_array(z, xp, like), xp), _at_least_1d(as_array(p, xp, like), xp)
    k = _gain(k, _default_float(xp), z, xp)
    w = _analog_frequencies(worN, z, p, "zp", like, xp)
    s = 1j * w
    return w, k * _from_roots(s, z, xp) / _from_roots(s, p, xp)


@gsci_function("signal", arrays=("z", "p"))
def freqz_zpk(z, p, k, worN=512, whole=False, fs=2 * math.pi, *, xp):
    """Compute the frequency response of a digital filter in zpk form (`scipy.signal.freqz_zpk`).

    ``H(z) = k * prod(z - Z[i]) / prod(z - P[j])`` on the unit circle.

    Parameters
    ----------
    z : array_like
        Zeros of a linear filter.
    p : array_like
        Poles of a linear filter.
    k : scalar
        Gain of a linear filter (a number or an array of one element, of any library).
    worN : {None, int, array_like}, optional
        An integer: compute at that many frequencies (default 512), equally spaced from 0 to the
        Nyquist frequency (excluded; ``fs`` if ``whole``). An array: compute at these frequencies,
        in the units of ``fs``.
    whole : bool, optional
        Compute frequencies from 0 to ``fs`` instead of 0 to ``fs / 2``. Ignored for an array
        ``worN``.
    fs : float, optional
        The sampling frequency of the digital system. Defaults to ``2 * pi`` radians/sample.

    Returns
    -------
    w : array
        The frequencies at which ``h`` was computed, in the units of ``fs``.
    h : array
        The frequency response, complex.

    Notes
    -----
    Native: runs under ``jax.jit`` and lazily on Dask, and syncs with nothing (an integer ``worN``
    given as a 0-d array is read on the host). As SciPy 1.17: ``w`` is float32 unless ``z`` and ``p``
    promote to float64 or complex128 (integers give float32).

    Examples
    --------
    >>> from gsci.signal import freqz_zpk
    >>> w, h = freqz_zpk([-1.0], [0.0], 0.5, worN=2)
    >>> abs(h).round(4).tolist()
    [1.0, 0.7071]
    """
    if is_numpy_namespace(xp) and _small(xp, z, p, worN=worN, default=512):
        return scipy.signal.freqz_zpk(z, p, k, worN=worN, whole=whole, fs=fs)
    like = next((v for v in (z, p) if is_array(v)), None)
    z, p = _at_least_1d(as_array(z, xp, like), xp), _at_least_1d(as_array(p, xp, like), xp)
    dtype = xp.float64 if xp.result_type(z, p) in (xp.float64, xp.complex128) else xp.float32
    fs = _sampling_frequency(fs)
    n = _number_of_frequencies(worN)
    if n is not None:
        w = _equally_spaced(n, whole, False, dtype, xp, device_of(z))
    else:
        w = _at_least_1d(xp.asarray(as_array(worN, xp, like), device=device_of(z)), xp)
        if xp.isdtype(w.dtype, "integral"):
            w = xp.astype(w, _default_float(xp))
        w = 2 * math.pi * w / fs
    unit = xp.exp(1j * w)
    h = _gain(k, dtype, z, xp) * _from_roots(unit, z, xp) / _from_roots(unit, p, xp)
    return w * (fs / (2 * math.pi)), h


def findfreqs(num, den, N, kind="ba"):
    """Find frequencies for computing the response of an analog filter (`scipy.signal.findfreqs`).

    Parameters
    ----------
    num, den : array_like, 1-D
        The polynomial coefficients of the numerator and denominator of the transfer function,
        highest degree first (``kind='ba'``), or its zeros and poles (``kind='zp'``).
    N : int
        The length of the array to be computed.
    kind : {'ba', 'zp'}, optional
        Whether ``num`` and ``den`` are polynomial coefficients or roots.

    Returns
    -------
    w : (N,) array
        Logarithmically spaced frequencies, in the library and on the device of ``num`` and ``den``.

    Notes
    -----
    ``kind='zp'`` is native (a masked maximum and minimum), lazy on Dask and traceable under
    ``jax.jit``. ``kind='ba'`` needs the polynomials' roots: `numpy.roots` on the host, which waits
    for a GPU; a delayed task on Dask (nothing computes); ``jax.numpy.roots`` under ``jax.jit``.
    NumPy input (and sequences) runs SciPy's own code.

    Examples
    --------
    >>> from gsci.signal import findfreqs
    >>> findfreqs([1, 0], [1, 8, 25], N=3).tolist()
    [0.01, 1.0, 100.0]
    """
    if type(num) in HOST_TYPES and type(den) in HOST_TYPES:
        return scipy.signal.findfreqs(num, den, N, kind)  # NumPy: SciPy's own code costs less per call
    return _findfreqs(num, den, N, kind)


@gsci_function("signal", arrays=("num", "den"))
def _findfreqs(num, den, N, kind="ba", *, xp):
    like = next((v for v in (num, den) if is_array(v)), None)
    num, den = as_array(num, xp, like), as_array(den, xp, like)
    return _find_frequencies(num, den, N, kind, xp)


def _small(xp, *coefficients, worN, default):
    """Whether NumPy input is tiny enough for SciPy's own call to cost less (measured crossover)."""
    if not all(np.size(c) < _SCIPY_BELOW for c in coefficients):
        return False
    n = default if worN is None else worN if isinstance(worN, int) else np.size(worN)
    return n < _SCIPY_FREQUENCIES_BELOW


def _at_least_1d(c, xp):
    return xp.reshape(c, (1,)) if c.ndim == 0 else c


def _analog_frequencies(worN, num, den, kind, like, xp):
    """``worN``'s frequencies: `findfreqs`'s for a number of them (200 for None), else its values."""
    n = 200 if worN is None else _number_of_frequencies(worN)
    if n is not None:
        return _find_frequencies(num, den, n, kind, xp)
    return _at_least_1d(as_array(worN, xp, like), xp)


def _descending(c, x, xp):
    """``c[0] x^(m-1) + ... + c[m-1]`` (`numpy.polyval`): zero for no coefficients."""
    if c.shape[0] == 0:
        return xp.zeros_like(x)
    return _polyval(x, xp.flip(c, axis=0), xp)


def _from_roots(x, r, xp):
    """``prod(x - r[i])`` at every ``x``: one product per root (a filter has few), no (roots, x) temporary."""
    if r.shape[0] == 0:
        return xp.ones(x.shape, dtype=xp.result_type(x, r), device=device_of(x))
    value = x - r[0]
    for i in range(1, r.shape[0]):
        value = value * (x - r[i])
    return value


def _gain(k, dtype, like, xp):
    """The gain ``k`` as a ``dtype`` array of ``xp`` on ``like``'s device, checked to be one number."""
    if is_array(k) and library_of(k) != library_of(like):
        k = _host_parameter(k, "k")  # a number of another library: read it
    k = xp.asarray(k, dtype=dtype, device=device_of(like))
    if size(k) > 1:
        raise ValueError("k must be a single scalar gain")
    return k


def _find_frequencies(num, den, n, kind, xp):
    """`findfreqs`: ``n`` frequencies, log-spaced around the roots (``kind='ba'``) or zeros and poles."""
    if kind not in ("ba", "zp"):
        raise ValueError("input must be one of {'ba', 'zp'}")
    if n < 0:
        raise ValueError(f"Number of samples, {n}, must be non-negative.")
    if kind == "zp":
        low, high = _log_range(_at_least_1d(den, xp), _at_least_1d(num, xp), xp)
    elif is_dask_namespace(xp):
        low, high = _delayed_log_range(num, den, xp)
    elif is_jax_namespace(xp) and not (_concrete(num) and _concrete(den)):
        low, high = _log_range(_jax_roots(den, xp), _jax_roots(num, xp), xp)
    else:
        host_num, host_den = _host_parameter(num, "num"), _host_parameter(den, "den")
        low, high = _log_range(_host_roots(host_den), _host_roots(host_num), NUMPY)
        low, high = (xp.asarray(v, device=device_of(num)) for v in (low, high))
    return 10.0 ** _linspace(low, high, n, xp)


def _host_roots(c):
    """SciPy's roots of NumPy polynomial ``c``: `numpy.roots`, of ``c``'s float dtype."""
    c = np.atleast_1d(c)
    dtype = c.dtype if np.issubdtype(c.dtype, np.inexact) else np.float64
    if c.shape[0] < 2:
        return np.asarray([], dtype=dtype)
    roots = np.roots(c)
    return roots.astype(np.result_type(roots.dtype, dtype), copy=False)


def _jax_roots(c, xp):
    """Roots of a traced polynomial: ``jax.numpy.roots`` keeping leading zeros (their count is fixed)."""
    import jax.numpy as jnp

    c = _at_least_1d(c, xp)
    if not xp.isdtype(c.dtype, ("real floating", "complex floating")):
        c = xp.astype(c, xp.float64)
    if c.shape[0] < 2:
        return xp.asarray([], dtype=c.dtype)
    return jnp.roots(c, strip_zeros=False)


def _delayed_log_range(num, den, xp):
    """The log range from the roots, as one delayed host task of the Dask graph."""
    import dask

    def log_range(host_num, host_den):
        return np.stack(_log_range(_host_roots(host_den), _host_roots(host_num), NUMPY)).astype(dtype)

    single = all(c.dtype in (np.float32, np.complex64) for c in (num, den))
    dtype = np.float32 if single else np.float64  # the roots' real dtype, as `_host_roots` gives them
    bounds = xp.from_delayed(dask.delayed(log_range)(num, den), shape=(2,), dtype=dtype)
    return bounds[0], bounds[1]


def _complex(c, xp):
    if xp.isdtype(c.dtype, "complex floating"):
        return c
    if not xp.isdtype(c.dtype, "real floating"):
        c = xp.astype(c, _default_float(xp))
    return xp.astype(c, xp.complex64 if c.dtype == xp.float32 else xp.complex128)


def _log_range(poles, zeros, xp):
    """SciPy's decades ``(low, high)`` (0-d arrays) spanning the upper-half-plane poles and finite zeros.

    SciPy selects those roots by boolean indexing; here masked reductions over every root do it, so the
    shapes never depend on values (``jax.jit``, Dask).
    """
    poles, zeros = _complex(poles, xp), _complex(zeros, xp)
    if poles.shape[0] == 0:
        poles = xp.asarray([-1000], dtype=poles.dtype, device=device_of(poles))
    roots = xp.concat((poles, xp.astype(zeros, xp.result_type(poles, zeros))))
    poles = xp.astype(poles, roots.dtype)
    chosen = xp.concat((xp.imag(poles) >= 0, (xp.abs(zeros) < 1e5) & (xp.imag(zeros) >= 0)))
    integrator = xp.astype(xp.abs(roots) < 1e-10, xp.real(roots).dtype)
    scale = xp.abs(xp.real(roots) + integrator)
    upper = xp.max(xp.where(chosen, 3 * scale + 1.5 * xp.imag(roots), -math.inf))
    lower = xp.min(xp.where(chosen, scale + 2 * xp.imag(roots), math.inf))
    high = _round_as_numpy(xp.log10(upper) + 0.5, xp)
    low = _round_as_numpy(xp.log10(0.1 * lower) - 0.5, xp)
    return low, high


def _round_as_numpy(v, xp):
    """``round(v)`` (half to even), with ``v`` within 1e-12 of a half taken as that half.

    NumPy's `numpy.log10` of a power of ten is exact, so SciPy's decades are halves rounded to even;
    other libraries' logarithms may miss by an ulp and round the other way (SciPy nudges JAX's down,
    which differs from NumPy at positive halves).
    """
    if is_numpy_namespace(xp):
        return xp.round(v)
    half = xp.round(2 * v) / 2
    return xp.round(xp.where(xp.abs(v - half) < 1e-12, half, v))


def _linspace(low, high, n, xp):
    """`numpy.linspace` from 0-d array ``low`` to ``high``: ``arange * step + low``, ending at ``high``."""
    step = (high - low) / max(n - 1, 1)
    y = xp.arange(n, dtype=low.dtype, device=device_of(low)) * step + low
    if n < 2:
        return y
    return xp.concat((y[:-1], xp.reshape(high, (1,))))
