"""Notch, peak, comb and gammatone filters, and the minimum orders of IIR designs.

These are a few coefficients from a short scalar computation: each is computed on the host with
SciPy, exactly, and returned once in the output's library and on its device (see
`gsci.signal._filter_design` for the shared rules).

The output's library is SciPy 1.17's:

- `iirnotch`, `iirpeak`, `iircomb` and `gammatone` take ``xp=`` and ``device=`` as in SciPy
  (default NumPy, whatever the type of ``w0``, ``Q`` or ``freq``, which are read on the host);
  their coefficients are the library's default float type (PyTorch's
  ``torch.get_default_dtype()``, float64 elsewhere), as SciPy makes them.
- `buttord`, `cheb1ord`, `cheb2ord` and `ellipord` return the order as a Python int and the natural
  frequency ``wn`` in the library of ``wp`` and ``ws`` (NumPy for Python numbers and sequences; a
  NumPy float64 scalar for scalar NumPy input, a 0-d array of the library otherwise), with SciPy's
  dtype: float64, float32 for float32 input. They take ``xp=`` and ``device=`` as the design
  functions do (see `gsci.signal.butter`).

Reading an array's values waits for a GPU and computes a Dask array, as SciPy does; a JAX array
traced by ``jax.jit`` raises ``TypeError`` (its values are not known; SciPy fails there too). NumPy
input and Python numbers go straight to SciPy.

Differences from SciPy 1.17: `iircomb` with ``xp=jax.numpy`` returns the comb's coefficients,
where SciPy's (which updates JAX's immutable arrays in place) returns zeros but for ``a[0]``.
"""

import numpy as np
import scipy.signal

from gsci._lib._arrays import HOST_TYPES as _HOST
from gsci._lib._arrays import is_array
from gsci._lib._compat import is_numpy_namespace
from gsci.signal._filter_design import _XP_DOC, _designed, _output_place

__all__ = ["buttord", "cheb1ord", "cheb2ord", "ellipord", "gammatone", "iircomb", "iirnotch", "iirpeak"]

_OUTPUT_DOC = """xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy (as in SciPy 1.17, whatever the type of the
        other arguments, which are read on the host).
    device : device, optional
        The device of the output arrays, in ``xp``'s terms (``"cuda"`` for PyTorch, ...)."""


def iirnotch(w0, Q, fs=2.0, *, xp=None, device=None):
    """Design a second-order IIR notch digital filter (`scipy.signal.iirnotch`).

    Parameters
    ----------
    w0 : float
        Frequency to remove from a signal, in the units of ``fs`` (normalized to the Nyquist
        frequency by default).
    Q : float
        Quality factor: ``w0`` over the -3 dB bandwidth.
    fs : float, optional
        The sampling frequency of the digital system.
    {output}

    Returns
    -------
    b, a : array, array
        Numerator and denominator polynomials of the IIR filter.

    Examples
    --------
    >>> from gsci.signal import iirnotch
    >>> b, a = iirnotch(60.0, 30.0, fs=1000.0)
    >>> b.round(4).tolist()
    [0.9938, -1.8479, 0.9938]
    """
    if xp is None and device is None and type(w0) in _HOST and type(Q) in _HOST and type(fs) in _HOST:
        return scipy.signal.iirnotch(w0, Q, fs)  # NumPy out: SciPy's own, with no cost of ours
    return _designed("iirnotch", (), xp, device, w0=w0, Q=Q, fs=fs)


def iirpeak(w0, Q, fs=2.0, *, xp=None, device=None):
    """Design a second-order IIR peak (resonant) digital filter (`scipy.signal.iirpeak`).

    Parameters
    ----------
    w0 : float
        Frequency to keep in a signal, in the units of ``fs`` (normalized to the Nyquist
        frequency by default).
    Q : float
        Quality factor: ``w0`` over the -3 dB bandwidth.
    fs : float, optional
        The sampling frequency of the digital system.
    {output}

    Returns
    -------
    b, a : array, array
        Numerator and denominator polynomials of the IIR filter.

    Examples
    --------
    >>> import torch
    >>> from gsci.signal import iirpeak
    >>> b, a = iirpeak(0.2, 10.0, xp=torch)
    >>> type(b).__name__, tuple(a.shape)
    ('Tensor', (3,))
    """
    if xp is None and device is None and type(w0) in _HOST and type(Q) in _HOST and type(fs) in _HOST:
        return scipy.signal.iirpeak(w0, Q, fs)
    return _designed("iirpeak", (), xp, device, w0=w0, Q=Q, fs=fs)


def iircomb(w0, Q, ftype="notch", fs=2.0, *, pass_zero=False, xp=None, device=None):
    """Design an IIR notching or peaking digital comb filter (`scipy.signal.iircomb`).

    Parameters
    ----------
    w0 : float
        The fundamental frequency of the comb, in the units of ``fs``; ``fs`` must be a multiple
        of it.
    Q : float
        Quality factor: ``w0`` over the -3 dB bandwidth of each notch or peak.
    ftype : {'notch', 'peak'}, optional
        A comb that removes (notch, default) or keeps (peak) the harmonics of ``w0``.
    fs : float, optional
        The sampling frequency of the digital system.
    pass_zero : bool, optional
        If False (default), the notches (peaks) of the filter are centered on the frequencies
        ``[0, w0, 2*w0, ...]``; if True, on ``[w0/2, 3*w0/2, ...]``.
    {output}

    Returns
    -------
    b, a : array, array
        Numerator and denominator polynomials of the IIR filter, of length ``fs // w0 + 1``.

    Examples
    --------
    >>> from gsci.signal import iircomb
    >>> b, a = iircomb(100.0, 30.0, fs=1000.0)
    >>> b.shape, a[[0, -1]].round(4).tolist()
    ((11,), [1.0, -0.9004])
    """
    if xp is None and device is None and type(w0) in _HOST and type(Q) in _HOST and type(fs) in _HOST:
        return scipy.signal.iircomb(w0, Q, ftype, fs, pass_zero=pass_zero)
    return _designed("iircomb", (), xp, device, w0=w0, Q=Q, ftype=ftype, fs=fs, pass_zero=pass_zero)


def gammatone(freq, ftype, order=None, numtaps=None, fs=None, *, xp=None, device=None):
    """Gammatone filter design (`scipy.signal.gammatone`).

    Parameters
    ----------
    freq : float
        Center frequency of the filter, in the units of ``fs``.
    ftype : {'fir', 'iir'}
        The type of filter: a finite (FIR) or infinite (IIR, order 4) impulse response.
    order : int, optional
        The order of an FIR filter (default 4; from 1 to 24). Ignored for 'iir'.
    numtaps : int, optional
        The length of an FIR filter (default ``fs * 0.015``). Ignored for 'iir'.
    fs : float, optional
        The sampling frequency of the signal (default 2).
    {output}

    Returns
    -------
    b, a : array, array
        Numerator and denominator polynomials of the filter.

    Examples
    --------
    >>> from gsci.signal import gammatone
    >>> b, a = gammatone(440.0, "iir", fs=16000.0)
    >>> b.shape, a.shape
    ((5,), (9,))
    """
    if xp is None and device is None and type(freq) in _HOST and type(fs) in _HOST:
        return scipy.signal.gammatone(freq, ftype, order, numtaps, fs)
    return _designed("gammatone", (), xp, device, freq=freq, ftype=ftype, order=order, numtaps=numtaps, fs=fs)


def buttord(wp, ws, gpass, gstop, analog=False, fs=None, *, xp=None, device=None):
    """Butterworth filter order selection (`scipy.signal.buttord`).

    Returns the order of the lowest order digital or analog Butterworth filter that loses no more
    than ``gpass`` dB in the passband and has at least ``gstop`` dB attenuation in the stopband.

    Parameters
    ----------
    wp, ws : float or array_like
        Passband and stopband edge frequencies (one for low/high pass, two for band pass/stop),
        normalized to the Nyquist frequency unless ``fs`` is given; angular frequencies for
        analog filters. Arrays set the output's library and device (see ``xp``).
    gpass : float
        The maximum loss in the passband (dB).
    gstop : float
        The minimum attenuation in the stopband (dB).
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    ord : int
        The lowest order for a Butterworth filter which meets the specifications.
    wn : array or float
        The Butterworth natural frequency (the "3 dB frequency"), for `butter`.

    Examples
    --------
    >>> from gsci.signal import buttord
    >>> N, wn = buttord(0.2, 0.3, 3, 40)
    >>> N, round(float(wn), 4)
    (11, 0.2)
    """
    if xp is None and device is None and type(wp) in _HOST and type(ws) in _HOST:
        return scipy.signal.buttord(wp, ws, gpass, gstop, analog, fs)  # NumPy out: SciPy's own
    return _order("buttord", xp, device, wp=wp, ws=ws, gpass=gpass, gstop=gstop, analog=analog, fs=fs)


def cheb1ord(wp, ws, gpass, gstop, analog=False, fs=None, *, xp=None, device=None):
    """Chebyshev type I filter order selection (`scipy.signal.cheb1ord`).

    Parameters
    ----------
    wp, ws : float or array_like
        Passband and stopband edge frequencies, as in `buttord`.
    gpass : float
        The maximum loss in the passband (dB).
    gstop : float
        The minimum attenuation in the stopband (dB).
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    ord : int
        The lowest order for a Chebyshev type I filter that meets the specifications.
    wn : array or float
        The Chebyshev natural frequency, for `cheby1`.

    Examples
    --------
    >>> from gsci.signal import cheb1ord
    >>> cheb1ord(0.2, 0.3, 3, 40)[0]
    6
    """
    if xp is None and device is None and type(wp) in _HOST and type(ws) in _HOST:
        return scipy.signal.cheb1ord(wp, ws, gpass, gstop, analog, fs)  # NumPy out: SciPy's own
    return _order("cheb1ord", xp, device, wp=wp, ws=ws, gpass=gpass, gstop=gstop, analog=analog, fs=fs)


def cheb2ord(wp, ws, gpass, gstop, analog=False, fs=None, *, xp=None, device=None):
    """Chebyshev type II filter order selection (`scipy.signal.cheb2ord`).

    Parameters
    ----------
    wp, ws : float or array_like
        Passband and stopband edge frequencies, as in `buttord`.
    gpass : float
        The maximum loss in the passband (dB).
    gstop : float
        The minimum attenuation in the stopband (dB).
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    ord : int
        The lowest order for a Chebyshev type II filter that meets the specifications.
    wn : array or float
        The Chebyshev natural frequency (the "3 dB frequency"), for `cheby2`.

    Examples
    --------
    >>> from gsci.signal import cheb2ord
    >>> cheb2ord([0.1, 0.6], [0.02, 0.7], 3, 40)[0]
    6
    """
    if xp is None and device is None and type(wp) in _HOST and type(ws) in _HOST:
        return scipy.signal.cheb2ord(wp, ws, gpass, gstop, analog, fs)  # NumPy out: SciPy's own
    return _order("cheb2ord", xp, device, wp=wp, ws=ws, gpass=gpass, gstop=gstop, analog=analog, fs=fs)


def ellipord(wp, ws, gpass, gstop, analog=False, fs=None, *, xp=None, device=None):
    """Elliptic (Cauer) filter order selection (`scipy.signal.ellipord`).

    Parameters
    ----------
    wp, ws : float or array_like
        Passband and stopband edge frequencies, as in `buttord`.
    gpass : float
        The maximum loss in the passband (dB).
    gstop : float
        The minimum attenuation in the stopband (dB).
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    ord : int
        The lowest order for an elliptic filter that meets the specifications.
    wn : array or float
        The natural frequency, for `ellip`.

    Examples
    --------
    >>> from gsci.signal import ellipord
    >>> ellipord(0.2, 0.3, 3, 60)[0]
    5
    """
    if xp is None and device is None and type(wp) in _HOST and type(ws) in _HOST:
        return scipy.signal.ellipord(wp, ws, gpass, gstop, analog, fs)  # NumPy out: SciPy's own
    return _order("ellipord", xp, device, wp=wp, ws=ws, gpass=gpass, gstop=gstop, analog=analog, fs=fs)


def _order(name, xp, device, **arguments):
    """SciPy's ``(order, wn)``: the order a Python int, ``wn`` in the library of ``wp`` and ``ws``."""
    order, wn = _designed(name, ("wp", "ws"), xp, device, **arguments)
    if isinstance(wn, np.generic):  # SciPy's NumPy scalar ``wn``: a 0-d array of any other library
        arrays = {key: arguments[key] for key in ("wp", "ws") if is_array(arguments[key])}
        xp, device = _output_place(arrays, xp, device)
        if not is_numpy_namespace(xp):
            wn = xp.asarray(wn, device=device)
    return order, wn


for _function in (iirnotch, iirpeak, iircomb, gammatone, buttord, cheb1ord, cheb2ord, ellipord):
    _function.__doc__ = _function.__doc__.replace("{output}", _OUTPUT_DOC).replace("{xp}", _XP_DOC)
