"""Analog lowpass prototypes (`buttap`, `cheb1ap`, `cheb2ap`, `ellipap`, `besselap`), the band-stop order
objective `band_stop_obj`, and the transfer-function normalization `normalize`.

The prototypes are a few zeros and poles found by a short sequential computation (elliptic functions,
polynomial roots for Bessel): SciPy computes them on the host and gsci returns them once in the output's
library and on its device, with SciPy 1.17's ``xp=`` and ``device=`` (NumPy by default) and SciPy's
dtypes (float64 zeros, complex128 poles). The gain ``k`` is a Python float where SciPy returns one, a
NumPy float64 for NumPy output, else a 0-d float64 array of the output's library (as SciPy's ``xp.real``
of a product gives it).

`band_stop_obj` is NumPy code in SciPy (it assigns into a copy of ``passb``): arrays of any library are
read on the host (a GPU waits; a Dask array computes) and the objective comes back as a NumPy float64 for
NumPy input, else as a 0-d float64 array of the input's library and device.

`normalize` divides by the first nonzero denominator coefficient where the coefficients live (native).
Trimming leading zeros (of ``a``, and of ``b``'s columns within 1e-14 of zero) gives a shape that depends
on the values: gsci reads them on the host (waits for a GPU). Under ``jax.jit`` and on Dask, whose values
are unknown, nothing is trimmed and nothing is checked: the same polynomials with their leading zeros,
and no `BadCoefficients` warning (SciPy computes a Dask array there and fails under ``jax.jit``).
"""

import numpy as np
import scipy.signal

from gsci._lib._arrays import HOST_TYPES, as_array, is_array
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_numpy_namespace
from gsci._lib._dispatch import gsci_function
from gsci._lib._warnings import warn_at_caller
from gsci.signal._filter_design import _concrete, _designed, _host_parameter, _output_place

_SCIPY = {
    name: getattr(scipy.signal, name) for name in ("buttap", "cheb1ap", "cheb2ap", "ellipap", "besselap")
}
_scipy_band_stop_obj = scipy.signal.band_stop_obj

__all__ = ["band_stop_obj", "besselap", "buttap", "cheb1ap", "cheb2ap", "ellipap", "normalize"]

_PROTOTYPE_XP_DOC = """xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy (as in SciPy 1.17).
    device : device, optional
        The device of the output arrays, in ``xp``'s terms (``"cuda"`` for PyTorch, ...)."""

_RETURNS = """z : array
        Zeros of the transfer function (float64; empty where the prototype has none).
    p : array
        Poles of the transfer function (complex128).
    k : float or array
        Gain of the transfer function: a Python float, or a NumPy float64 (a 0-d float64 array of
        the output's library) where SciPy computes it."""


def buttap(N, *, xp=None, device=None):
    """Zeros, poles and gain of an Nth-order Butterworth analog lowpass prototype (`scipy.signal.buttap`).

    The filter has an angular (e.g. rad/s) cutoff frequency of 1.

    Parameters
    ----------
    N : int
        The order of the filter.
    {xp}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> from gsci.signal import buttap
    >>> z, p, k = buttap(2)
    >>> p.round(4).tolist(), k
    ([(-0.7071+0.7071j), (-0.7071-0.7071j)], 1.0)
    """
    if xp is None and device is None:
        return _SCIPY["buttap"](N)  # NumPy out: SciPy's very result
    return _designed("buttap", (), xp, device, N=N)


def cheb1ap(N, rp, *, xp=None, device=None):
    """Zeros, poles and gain of a Chebyshev type I analog lowpass prototype (`scipy.signal.cheb1ap`).

    The prototype has ``rp`` decibels of ripple in the passband; its cutoff (where the gain first
    drops below ``-rp``) is 1 rad/s.

    Parameters
    ----------
    N : int
        The order of the filter.
    rp : float
        The ripple intensity, in decibels.
    {xp}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> from gsci.signal import cheb1ap
    >>> z, p, k = cheb1ap(3, 1)
    >>> round(float(k), 4)
    0.4913
    """
    if xp is None and device is None:
        return _SCIPY["cheb1ap"](N, rp)  # NumPy out: SciPy's very result
    return _designed("cheb1ap", (), xp, device, N=N, rp=rp)


def cheb2ap(N, rs, *, xp=None, device=None):
    """Zeros, poles and gain of a Chebyshev type II analog lowpass prototype (`scipy.signal.cheb2ap`).

    The prototype attenuates by at least ``rs`` decibels in the stopband, which begins at 1 rad/s.

    Parameters
    ----------
    N : int
        The order of the filter.
    rs : float
        The attenuation in the stopband, in decibels.
    {xp}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> from gsci.signal import cheb2ap
    >>> z, p, k = cheb2ap(4, 40)
    >>> z.shape, p.shape
    ((4,), (4,))
    """
    if xp is None and device is None:
        return _SCIPY["cheb2ap"](N, rs)  # NumPy out: SciPy's very result
    return _designed("cheb2ap", (), xp, device, N=N, rs=rs)


def ellipap(N, rp, rs, *, xp=None, device=None):
    """Zeros, poles and gain of an Nth-order elliptic analog lowpass prototype (`scipy.signal.ellipap`).

    Parameters
    ----------
    N : int
        The order of the filter.
    rp : float
        The ripple in the passband, in decibels.
    rs : float
        The attenuation in the stopband, in decibels.
    {xp}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> import torch
    >>> from gsci.signal import ellipap
    >>> z, p, k = ellipap(4, 1, 40, xp=torch)
    >>> z.dtype, p.dtype, type(k).__name__
    (torch.complex128, torch.complex128, 'float')
    """
    if xp is None and device is None:
        return _SCIPY["ellipap"](N, rp, rs)  # NumPy out: SciPy's very result
    return _designed("ellipap", (), xp, device, N=N, rp=rp, rs=rs)


def besselap(N, norm="phase", *, xp=None, device=None):
    """Zeros, poles and gain of a Bessel/Thomson analog lowpass prototype (`scipy.signal.besselap`).

    Parameters
    ----------
    N : int
        The order of the filter.
    norm : {'phase', 'delay', 'mag'}, optional
        Frequency normalization (see `scipy.signal.besselap`).
    {xp}

    Returns
    -------
    {returns}

    Examples
    --------
    >>> from gsci.signal import besselap
    >>> z, p, k = besselap(3, norm="delay")
    >>> p.shape, k
    ((3,), 15.0)
    """
    if xp is None and device is None:
        return _SCIPY["besselap"](N, norm)  # NumPy out: SciPy's very result
    return _designed("besselap", (), xp, device, N=N, norm=norm)


for _function in (buttap, cheb1ap, cheb2ap, ellipap, besselap):
    _function.__doc__ = _function.__doc__.replace("{xp}", _PROTOTYPE_XP_DOC).replace("{returns}", _RETURNS)


def _as_output(value, arrays, xp, device):
    """SciPy's NumPy float64 ``value`` as a 0-d array of the output's library (NumPy: as it is)."""
    if not isinstance(value, np.generic):
        return value
    xp, device = _output_place(arrays, xp, device)
    return value if is_numpy_namespace(xp) else xp.asarray(value, device=device)


def band_stop_obj(wp, ind, passb, stopb, gpass, gstop, type):
    """Band-stop objective function for order minimization (`scipy.signal.band_stop_obj`).

    The order of a band-stop filter when the passband edge ``passb[ind]`` moves to ``wp``.

    Parameters
    ----------
    wp : scalar
        Edge of the passband ``passb``.
    ind : int, {0, 1}
        Index specifying which ``passb`` edge to vary (0 or 1).
    passb : array
        Two-element sequence of fixed passband edges.
    stopb : array
        Two-element sequence of fixed stopband edges.
    gpass : float
        Amount of ripple in the passband in dB.
    gstop : float
        Amount of attenuation in the stopband in dB.
    type : {'butter', 'cheby', 'ellip'}
        Type of filter.

    Returns
    -------
    n : scalar
        Filter order (possibly non-integer): a NumPy float64 for NumPy input (as SciPy's), else a
        0-d float64 array of the library and device of ``passb`` and ``stopb``. Computed on the
        host (see the module's notes).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import band_stop_obj
    >>> round(float(band_stop_obj(2.0, 0, np.array([1.0, 10.0]), np.array([3.0, 7.0]), 3, 40, "butter")), 4)
    7.0017
    """
    if passb.__class__ in HOST_TYPES and stopb.__class__ in HOST_TYPES and wp.__class__ in HOST_TYPES:
        return _scipy_band_stop_obj(wp, ind, passb, stopb, gpass, gstop, type)
    n = _designed(
        "band_stop_obj",
        ("passb", "stopb"),
        None,
        None,
        wp=wp,
        ind=ind,
        passb=passb,
        stopb=stopb,
        gpass=gpass,
        gstop=gstop,
        type=type,
    )
    arrays = {name: v for name, v in (("passb", passb), ("stopb", stopb)) if is_array(v)}
    return _as_output(n, arrays, None, None)


@gsci_function(
    "signal", arrays=("b", "a"), scipy_for={"numpy": "a few coefficients: SciPy's loop costs less"}
)
def normalize(b, a, *, xp):
    """Normalize a continuous-time transfer function's numerator and denominator (`scipy.signal.normalize`).

    Leading zeros of ``a`` are removed, then ``b`` and ``a`` divided by ``a``'s first coefficient;
    leading columns of ``b`` within 1e-14 of zero are removed with a `BadCoefficients` warning.

    Parameters
    ----------
    b : array_like
        Numerator of the transfer function, highest power first; 2-D for several numerators.
    a : array_like
        Denominator of the transfer function, at most 1-D.

    Returns
    -------
    num : array
        The normalized numerator: at least 1-D, 2-D for a 2-D ``b``.
    den : 1-D array
        The normalized denominator.

    Notes
    -----
    Native: the division runs where the coefficients live. The trimmed lengths depend on the values,
    read on the host (waits for a GPU); under ``jax.jit`` and on Dask nothing is trimmed or checked
    (see the module's notes). NumPy input runs SciPy's own code.

    Examples
    --------
    >>> from gsci.signal import normalize
    >>> num, den = normalize([3, -2, 5], [2, 3, 1])
    >>> num.tolist(), den.tolist()
    ([1.5, -1.0, 2.5], [1.0, 1.5, 0.5])
    """
    like = next((v for v in (b, a) if is_array(v)), None)
    den = as_array(a, xp, like)
    den = xp.reshape(den, (1,)) if den.ndim == 0 else den
    num = _numerators(b, xp, like)
    if den.ndim != 1:
        raise ValueError("Denominator polynomial must be rank-1 array.")
    if num.ndim > 2:
        raise ValueError("Numerator polynomial must be rank-1 or rank-2 array.")
    known = _concrete(den) and _concrete(num)
    if known:
        host_den = np.asarray(_host_parameter(den, "a"))
        if np.all(host_den == 0):
            raise ValueError("Denominator must have at least on nonzero element.")
        den = den[int(np.argmax(host_den != 0)) :]
        lead = den[0]
    else:  # values unknown: the first nonzero coefficient, selected without reading it
        first = xp.argmax(xp.astype(den != 0, xp.int8))
        positions = xp.arange(den.shape[0], device=device_of(den))
        lead = xp.sum(xp.where(positions == first, den, xp.zeros_like(den)))
    num, den = num / lead, den / lead
    if known:
        small = np.asarray(_host_parameter(xp.all(xp.abs(num) <= 1e-14, axis=0), "b"))
        leading = int(np.argmin(small)) if not small.all() else small.shape[0]
        if leading > 0:
            warn_at_caller(
                "Badly conditioned filter coefficients (numerator): the results may be meaningless",
                scipy.signal.BadCoefficients,
            )
            num = num[:, min(leading, num.shape[1] - 1) :]
    if num.shape[0] == 1:
        num = num[0, :]
    return num, den


def _numerators(b, xp, like):
    """``b`` as a 2-D array of numerators (ragged sequences raise ``ValueError``, as in SciPy 1.17)."""
    num = as_array(b, xp, like)
    if not xp.isdtype(num.dtype, "numeric"):
        raise ValueError("dtype of numerator is non-numeric")
    return xp.reshape(num, (1,) * (2 - num.ndim) + num.shape) if num.ndim < 2 else num
