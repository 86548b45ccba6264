"""Frequency responses of digital filters: `freqz` (polynomials) and `freqz_sos` (second-order sections).

Native: the response is evaluated where the coefficients live, vectorized over frequencies (and over
sections for `freqz_sos`): by FFT when SciPy uses one (an integer ``worN`` and a single denominator
coefficient), else by Horner's rule on the unit circle, one step per coefficient, as SciPy does. It
runs under ``jax.jit`` and stays lazy on Dask.

As in SciPy 1.17, the coefficients (``b`` and ``a``; ``sos``) decide the output's library and
device, not ``worN``: an array of frequencies moves to theirs. The dtypes are SciPy's: integer
coefficients count as the library's default float type (PyTorch's ``torch.get_default_dtype()``,
float64 elsewhere) and promote with the others by the library's rules (array-api-strict refuses
to promote integers with floats: ``TypeError``, as in SciPy). An integer ``worN``, also a 0-d
integer array, is a number of frequencies: an array's value is read on the host.

Differences from SciPy 1.17: `freqz_sos` checks ``sos[:, 3] == 1`` only for arrays whose values are
known (not under ``jax.jit``, not on Dask, where SciPy computes the array), and reading that check's
answer waits for a GPU; SciPy fails under ``jax.jit``. Integer ``sos`` of array-api-strict is
taken as float64 in `freqz_sos`, where SciPy raises ``TypeError``.
"""

import math
import operator
import warnings

import numpy as np
import scipy.signal

from gsci._lib import _backends
from gsci._lib._arrays import HOST_TYPES, as_array, is_array, namespace_of
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_dask_namespace, size
from gsci._lib._dispatch import Declaration, gsci_function
from gsci._lib._fft import fft_module
from gsci.signal._filter_design import _HOST_IS_FASTER, _concrete, _default_float, _host_parameter

__all__ = ["freqz", "freqz_sos", "group_delay", "sosfreqz"]


@gsci_function("signal", arrays=("b", "a"))
def freqz(b, a=1, worN=512, whole=False, plot=None, fs=2 * math.pi, include_nyquist=False, *, xp):
    """Compute the frequency response of a digital filter (`scipy.signal.freqz`).

    Given the numerator ``b`` and denominator ``a`` of a digital filter, compute
    ``H(e^jw) = B(e^jw) / A(e^jw)`` with ``B(e^jw) = b[0] + b[1] e^-jw + ... + b[M] e^-jwM``.

    Parameters
    ----------
    b : array_like
        Numerator of a linear filter. If ``b`` has more than one dimension, the coefficients are
        along the first one, and ``b.shape[1:]``, ``a.shape[1:]`` and the shape of the frequencies
        must broadcast together.
    a : array_like
        Denominator of a linear filter, laid out as ``b``.
    worN : {None, int, array_like}, optional
        An integer: compute at that many frequencies (default 512), equally spaced from 0 to the
        Nyquist frequency (``fs`` if ``whole``). An array: compute at these frequencies, in the
        units of ``fs``.
    whole : bool, optional
        Compute frequencies from 0 to ``fs`` instead of 0 to ``fs / 2``. Ignored for an array
        ``worN``.
    plot : callable, optional
        Called as ``plot(w, h)`` with the results.
    fs : float, optional
        The sampling frequency of the digital system. Defaults to ``2 * pi`` radians/sample.
    include_nyquist : bool, optional
        With ``whole=False`` and an integer ``worN``, include the Nyquist frequency as last point.

    Returns
    -------
    w : array
        The frequencies at which ``h`` was computed, in the units of ``fs``.
    h : array
        The frequency response, complex.

    Examples
    --------
    >>> from gsci.signal import freqz
    >>> w, h = freqz([0.5, 0.5], worN=3, include_nyquist=True)
    >>> abs(h).round(4).tolist()
    [1.0, 0.7071, 0.0]
    """
    like = next((v for v in (b, a) if is_array(v)), None)
    b, a = _at_least_1d(as_array(b, xp, like)), _at_least_1d(as_array(a, xp, like))
    a = _float_if_integral(a, xp)
    result_dtype = xp.result_type(b, a)  # SciPy's: before b's integers become floats
    b = _float_if_integral(b, xp)
    fs = _sampling_frequency(fs)
    n = _number_of_frequencies(worN)
    if n is not None and _fft_serves(b, a, _fft_length(n, whole, include_nyquist)):
        w = _equally_spaced(n, whole, include_nyquist, _real(result_dtype, xp), xp, device_of(b))
        h = _response_by_fft(b, a, n, whole, _fft_length(n, whole, include_nyquist), xp)
    else:
        w = _radians(worN, n, whole, include_nyquist, fs, result_dtype, xp, device_of(b))
        zm1 = _unit_circle(w, xp)
        h = _polyval(zm1, b, xp) / _polyval(zm1, a, xp)
    w = w * (fs / (2 * math.pi))
    if plot is not None:
        plot(w, h)
    return w, h


@gsci_function("signal", arrays=("sos",))
def freqz_sos(sos, worN=512, whole=False, fs=2 * math.pi, *, xp):
    """Compute the frequency response of a digital filter in SOS format (`scipy.signal.freqz_sos`).

    ``H(z)`` is the product over sections of ``B_k(z) / A_k(z)``, each evaluated at every frequency at once.

    Parameters
    ----------
    sos : array_like
        Array of second-order filter coefficients, with shape ``(n_sections, 6)``: the numerator
        in the first three columns, the denominator (``sos[:, 3] == 1``) in the last three.
    worN : {None, int, array_like}, optional
        An integer: compute at that many frequencies (default 512). An array: compute at these
        frequencies, in the units of ``fs``.
    whole : bool, optional
        Compute frequencies from 0 to ``fs`` instead of 0 to ``fs / 2``.
    fs : float, optional
        The sampling frequency of the digital system. Defaults to ``2 * pi`` radians/sample.

    Returns
    -------
    w : array
        The frequencies at which ``h`` was computed, in the units of ``fs``.
    h : array
        The frequency response, complex.

    Examples
    --------
    >>> from gsci.signal import freqz_sos
    >>> w, h = freqz_sos([[1, 1, 0, 1, 0, 0], [1, 1, 0, 1, 0, 0]], worN=2)
    >>> abs(h).round(4).tolist()
    [4.0, 2.0]
    """
    sos = _sections(as_array(sos, xp), xp)
    fs = _sampling_frequency(fs)
    n = _number_of_frequencies(worN)
    w = _radians(worN, n, whole, False, fs, sos.dtype, xp, device_of(sos))
    zm1 = _unit_circle(w, xp)
    h = None
    for k in range(sos.shape[0]):  # a few sections; section by section, as SciPy multiplies them
        section = _polyval(zm1, sos[k, :3], xp) / _polyval(zm1, sos[k, 3:], xp)
        h = section if h is None else h * section
    return w * (fs / (2 * math.pi)), h


def sosfreqz(*args, **kwargs):
    """Compute the frequency response of a digital filter in SOS format (legacy).

    An alias of `freqz_sos`, as in SciPy, where it is obsolete since version 1.15.0.

    Examples
    --------
    >>> from gsci.signal import sosfreqz
    >>> w, h = sosfreqz([[1, 1, 0, 1, 0, 0]], worN=2)
    >>> abs(h).round(4).tolist()
    [2.0, 1.4142]
    """
    return freqz_sos(*args, **kwargs)


def group_delay(system, w=512, whole=False, fs=2 * math.pi):
    """Compute the group delay of a digital filter (`scipy.signal.group_delay`).

    The group delay ``D(w) = -d/dw arg H(e^jw)`` says by how many samples the filter delays the
    amplitude envelope of each spectral component of a signal.

    Parameters
    ----------
    system : tuple of array_like (b, a)
        Numerator and denominator coefficients of a filter transfer function.
    w : {None, int, array_like}, optional
        An integer (also a 0-d integer array): compute at that many frequencies (default 512),
        equally spaced from 0 to the Nyquist frequency (``fs`` if ``whole``). An array: compute
        at these frequencies, in the units of ``fs``.
    whole : bool, optional
        Compute frequencies from 0 to ``fs`` instead of 0 to ``fs / 2``. Ignored for an array ``w``.
    fs : float, optional
        The sampling frequency of the digital system. Defaults to ``2 * pi`` radians/sample.

    Returns
    -------
    w : array
        The frequencies at which the group delay was computed, in the units of ``fs``.
    gd : array
        The group delay, in samples (float64).

    Notes
    -----
    As in SciPy 1.17, the output's library is that of the arrays among ``b``, ``a`` and ``w``
    (NumPy for Python numbers and sequences; arrays of different libraries raise ``TypeError``),
    on their device. SciPy's algorithm (Smith's: the derivative of ``B(z) conj(A(1/z))``), native:
    evaluated where the coefficients live, vectorized over frequencies by Horner's rule; it runs
    under ``jax.jit`` and stays lazy on Dask. NumPy input and Python sequences go to SciPy, whose
    code costs less per call.

    Where ``H`` has zeros or poles on the unit circle the group delay is undefined: it is set to 0
    there, as SciPy does. SciPy's warnings about such frequencies (or ones where the denominator
    is nearly zero) need the values: they are given where those are known (not under ``jax.jit``,
    not on Dask, where SciPy computes the array), and reading them waits for a GPU.

    Examples
    --------
    >>> from gsci.signal import group_delay
    >>> w, gd = group_delay(([0.0, 0.0, 1.0], [1.0]), w=3)  # a delay by two samples
    >>> gd.round(4).tolist()
    [2.0, 2.0, 2.0]
    """
    b, a = system
    if type(b) in HOST_TYPES and type(a) in HOST_TYPES and type(w) in HOST_TYPES and _backend() == "auto":
        return scipy.signal.group_delay(system, w, whole, fs)  # NumPy in and out: SciPy's own, cheaper here
    xp = namespace_of({name: v for name, v in (("b", b), ("a", a), ("w", w)) if is_array(v)})
    return _group_delay(b, a, w, whole, fs, xp)


_backend = _backends.current_backend_getter()


def _group_delay(b, a, w, whole, fs, xp):
    like = next((v for v in (b, a, w) if is_array(v)), None)
    b, a = _at_least_1d(as_array(b, xp, like)), _at_least_1d(as_array(a, xp, like))
    device = device_of(b)
    fs = _sampling_frequency(fs)
    n = _number_of_frequencies(w)
    if n is not None:
        w = xp.linspace(
            0.0, 2 * math.pi if whole else math.pi, n, endpoint=False, dtype=xp.float64, device=device
        )
    else:
        w = _at_least_1d(as_array(w, xp, like))
        if not xp.isdtype(w.dtype, "real floating"):  # NumPy's promotion of 2 pi w / fs
            w = xp.astype(w, xp.float64)
        w = 2 * math.pi * w / fs
    c = _convolve(b, xp.flip(xp.conj(a) if xp.isdtype(a.dtype, "complex floating") else a), xp)
    c = xp.astype(c, xp.complex128 if xp.isdtype(c.dtype, "complex floating") else xp.float64)
    cr = c * xp.arange(c.shape[0], dtype=xp.float64, device=device)
    z = _unit_circle(w, xp)  # complex64 for float32 frequencies, as NumPy computes it
    num, den = _polyval(z, cr, xp), _polyval(z, c, xp)
    gd = xp.real(num / den) - (a.shape[0] - 1)
    singular = ~xp.isfinite(gd)
    gd = xp.where(singular, 0.0, gd)
    if _concrete(b) and _concrete(w):
        _warn_if_singular(w, singular, xp.abs(den) < 10 * _EPSILON)
    return w * (fs / (2 * math.pi)), gd


_EPSILON = 2e-16  # SciPy's threshold for a nearly zero denominator


def _convolve(x, y, xp):
    """The full discrete convolution of 1-D ``x`` and ``y`` (few coefficients), as `numpy.convolve`."""
    if x.shape[0] < y.shape[0]:
        x, y = y, x
    # integers as float64: NumPy's promotion of them with the floats below
    dtype = xp.result_type(
        *(
            a.dtype if xp.isdtype(a.dtype, ("real floating", "complex floating")) else xp.float64
            for a in (x, y)
        )
    )
    x, y = xp.astype(x, dtype), xp.astype(y, dtype)
    m = y.shape[0]
    zeros = xp.zeros(m - 1, dtype=dtype, device=device_of(x))
    total = None
    for j in range(m):  # one shifted copy of the longer sequence per coefficient of the shorter
        term = xp.concat((zeros[:j], x * y[j], zeros[: m - 1 - j]))
        total = term if total is None else total + term
    return total


def _warn_if_singular(w, singular, near_singular):
    """SciPy's warnings about frequencies where the group delay is (nearly) singular; reads values."""
    w, singular, near = (_host_parameter(v, "w") for v in (w, singular, near_singular))
    if singular.any():
        frequencies = ", ".join(f"{f:.3f}" for f in w[singular])
        warnings.warn(
            f"The group delay is singular at frequencies [{frequencies}], setting to 0", stacklevel=4
        )
    elif near.any():
        frequencies = ", ".join(f"{f:.3f}" for f in w[near])
        warnings.warn(
            f"The filter's denominator is extremely small at frequencies [{frequencies}], "
            "around which a singularity may be present",
            stacklevel=4,
        )


group_delay.declaration = Declaration(
    "signal", "group_delay", ("system",), _group_delay, scipy_for=_HOST_IS_FASTER
)


def _at_least_1d(c):
    return c[None] if c.ndim == 0 else c


def _float_if_integral(c, xp):
    """Integer coefficients in the library's default float type, as SciPy computes with them."""
    return xp.astype(c, _default_float(xp)) if xp.isdtype(c.dtype, "integral") else c


def _sections(sos, xp):
    """``sos`` checked as SciPy does, of shape ``(n_sections, 6)``; integers as the default float."""
    if sos.ndim < 2:
        sos = xp.reshape(sos, (1,) * (2 - sos.ndim) + sos.shape)
    if sos.ndim != 2:
        raise ValueError(f"sos array must be 2D, got shape {sos.shape}")
    if sos.shape[1] != 6:
        raise ValueError(f"sos array must be shape (n_sections, 6), got shape {sos.shape}")
    if _concrete(sos) and not bool(xp.all(sos[:, 3] == 1)):
        raise ValueError("sos[:, 3] should be all ones")
    if sos.shape[0] == 0:
        raise ValueError("Cannot compute frequencies with no sections")
    return _float_if_integral(sos, xp)


def _sampling_frequency(fs):
    if fs is None:
        raise ValueError("Sampling frequency can not be none.")
    if not np.isscalar(fs):
        raise ValueError(f"Sampling frequency fs must be a single scalar, got {type(fs).__name__}")
    return float(fs)


def _number_of_frequencies(worN):
    """The number of frequencies when ``worN`` is an integer or a 0-d integer array (None: 512), else None."""
    if worN is None:
        return 512
    if np.ndim(worN) != 0:
        return None
    try:
        n = operator.index(worN)
    except TypeError:
        return None
    if n < 0:
        raise ValueError(f"worN must be nonnegative, got {n}")
    return n


def _real(dtype, xp):
    return xp.float32 if dtype in (xp.float32, xp.complex64) else xp.float64


def _fft_length(n, whole, include_nyquist):
    if whole:
        return n
    return 2 * (n - 1) if include_nyquist else 2 * n


def _fft_serves(b, a, n_fft):
    """SciPy's choice: an FFT of ``b`` when the denominator is one number and ``b`` fits in it."""
    one_dimensional = b.ndim == 1 or b.shape[-1] == 1
    return size(a) == 1 and one_dimensional and n_fft >= b.shape[0] and n_fft > 0


def _equally_spaced(n, whole, include_nyquist, dtype, xp, device):
    """``n`` frequencies in radians/sample from 0 to pi (2 pi if ``whole``)."""
    stop = 2 * math.pi if whole else math.pi
    endpoint = include_nyquist and not whole
    return xp.linspace(0.0, stop, n, endpoint=endpoint, dtype=dtype, device=device)


def _radians(worN, n, whole, include_nyquist, fs, dtype, xp, device):
    """The frequencies in radians/sample: equally spaced for an integer ``worN``, else ``worN``'s."""
    if n is not None:
        return _equally_spaced(n, whole, include_nyquist, _real(dtype, xp), xp, device)
    if isinstance(worN, complex):
        worN = worN.real
    w = xp.asarray(worN, dtype=dtype, device=device)
    w = w[None] if w.ndim == 0 else w
    return 2 * math.pi * w / fs


def _unit_circle(w, xp):
    """``exp(-1j * w)``."""
    if not xp.isdtype(w.dtype, "complex floating"):
        w = xp.astype(w, xp.complex64 if w.dtype == xp.float32 else xp.complex128)
    return xp.exp(-1j * w)


def _polyval(x, c, xp):
    """``c[0] x^(m-1) + ... + c[m-1]`` by Horner's rule; ``c.shape[1:]`` broadcasts with ``x``'s shape."""
    value, _ = xp.broadcast_arrays(xp.astype(c[-1, ...], xp.result_type(c, x)), x)
    for i in range(2, c.shape[0] + 1):  # one step per coefficient; frequencies are vectorized
        value = c[-i, ...] + value * x
    return value


def _response_by_fft(b, a, n, whole, n_fft, xp):
    """``B / a`` at ``n`` equally spaced frequencies by one FFT of ``b`` (``a`` has one element)."""
    real = xp.isdtype(b.dtype, "real floating") and xp.isdtype(a.dtype, "real floating")
    if is_dask_namespace(xp):
        b = b.rechunk({0: -1})  # dask's FFT needs the transformed axis in one chunk
    fft = fft_module(xp)
    h = (fft.rfft if real else fft.fft)(b, n=n_fft, axis=0)
    h = h[: min(n, h.shape[0]), ...]
    h = xp.astype(h / a, h.dtype)  # SciPy divides in place: h keeps the FFT's precision
    if real and whole:
        # the negative frequencies mirror the positive ones, without DC (and Nyquist when n_fft is even)
        stop = None if n_fft % 2 == 1 else -1
        h = xp.concat((h, xp.conj(xp.flip(h[1:stop, ...], axis=0))))
    if b.ndim > 1:
        h = xp.moveaxis(h[..., 0], 0, -1)
    return h
