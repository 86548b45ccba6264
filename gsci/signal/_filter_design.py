"""IIR and FIR filter design, and conversions between filter representations.

A filter's coefficients are a few numbers computed once: the design functions (`butter`, `cheby1`,
`cheby2`, `ellip`, `bessel`, `iirfilter`, `iirdesign`, `firwin`) compute them on the host with SciPy,
exactly, and return each array once in the library and on the device asked for with ``xp=`` and
``device=`` (default: NumPy, SciPy's very return values). Their numeric parameters are design
parameters, not data: an array given for ``Wn``, ``cutoff``, ... is read on the host, and decides
nothing about the output's library.

`zpk2sos` and `tf2sos` pair poles and zeros by value, a short sequential computation: they too compute
on the host with SciPy, and return the array in the input's library and on its device. They need
concrete values, so they raise ``TypeError`` for a JAX array traced under ``jax.jit`` and for a Dask
array (call ``.compute()`` first: gsci never computes a Dask graph behind its back). `sos2tf`
multiplies polynomials, which any library does where the data lives: it is native, lazy on Dask and
traceable under ``jax.jit`` (see its Notes for the one value it reads when it can).

Differences from SciPy 1.17: the zpk gain ``k`` stays a Python or NumPy float, as SciPy returns it,
whatever ``xp`` is; integer ``sos`` in `sos2tf` gives float64 in every library (SciPy gives the
library's default float type, float32 for PyTorch).
"""

import numpy as np
import scipy.signal

from gsci._lib._arrays import from_host, is_array, library_of, requested_namespace, to_host
from gsci._lib._compat import device as device_of
from gsci._lib._dispatch import gsci_function

__all__ = [
    "bessel",
    "butter",
    "cheby1",
    "cheby2",
    "ellip",
    "firwin",
    "iirdesign",
    "iirfilter",
    "sos2tf",
    "tf2sos",
    "zpk2sos",
]

_XP_DOC = """xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy (SciPy's own return values).
    device : device, optional
        The device of the output arrays, in ``xp``'s terms (``"cuda"`` for PyTorch, ...)."""


def _host_parameter(value, name):
    """A design parameter as SciPy takes it: arrays of any library are read on the host."""
    if not is_array(value):
        return value
    library = library_of(value)
    _require_concrete(value, name)
    if library == "torch":
        return value.detach().cpu().numpy()
    if library == "cupy":
        return value.get()
    if library == "array_api_strict":
        return np.from_dlpack(value)
    return np.asarray(value)  # numpy and jax


def _concrete(x):
    """Whether the values of array ``x`` can be read now: not traced by ``jax.jit``, not a Dask graph."""
    library = library_of(x)
    if library == "dask":
        return False
    if library == "jax":
        import jax

        return not isinstance(x, jax.core.Tracer)
    return True


def _require_concrete(value, name):
    if _concrete(value):
        return
    raise TypeError(
        f"{name} is a {library_of(value)} array whose values are not known yet (traced by jax.jit, or a Dask "
        "graph); filter design is computed on the host and needs concrete values: pass them outside "
        "jax.jit, or call .compute() on a Dask array first"
    )


def _designed(name, xp, device, **arguments):
    """``scipy.signal.<name>(**arguments)`` with host parameters, its arrays in ``xp`` on ``device``."""
    host = {key: _host_parameter(value, key) for key, value in arguments.items()}
    result = getattr(scipy.signal, name)(**host)
    if xp is None and device is None:
        return result
    xp = requested_namespace(xp)
    if isinstance(result, tuple):
        return tuple(from_host(r, xp, device) for r in result)
    return from_host(result, xp, device)


def butter(N, Wn, btype="low", analog=False, output="ba", fs=None, *, xp=None, device=None):
    """Butterworth digital and analog filter design (`scipy.signal.butter`).

    Parameters
    ----------
    N : int
        The order of the filter.
    Wn : array_like
        The critical frequency or frequencies (a scalar for low/high pass, two for band pass/stop),
        normalized to the Nyquist frequency unless ``fs`` is given; angular frequencies for analog
        filters. Arrays of any library are read on the host.
    btype : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        The type of filter. Default is 'lowpass'.
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output: numerator/denominator ('ba'), pole-zero ('zpk'), or second-order sections
        ('sos'). Default is 'ba' for backwards compatibility, but 'sos' should be used for
        general-purpose filtering.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    b, a : array
        Numerator and denominator polynomials. Only returned if ``output='ba'``.
    z, p, k : array, array, float
        Zeros, poles and system gain. Only returned if ``output='zpk'``.
    sos : array
        Second-order sections. Only returned if ``output='sos'``.

    Examples
    --------
    >>> from gsci.signal import butter
    >>> b, a = butter(2, 0.25)
    >>> b.round(4).tolist(), a.round(4).tolist()
    ([0.0976, 0.1953, 0.0976], [1.0, -0.9428, 0.3333])
    """
    return _designed("butter", xp, device, N=N, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs)


def cheby1(N, rp, Wn, btype="low", analog=False, output="ba", fs=None, *, xp=None, device=None):
    """Chebyshev type I digital and analog filter design (`scipy.signal.cheby1`).

    Parameters
    ----------
    N : int
        The order of the filter.
    rp : float
        The maximum ripple allowed below unity gain in the passband, in decibels.
    Wn : array_like
        The critical frequency or frequencies, as in `butter`.
    btype : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        The type of filter. Default is 'lowpass'.
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output, as in `butter`.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    tuple or array
        As in `butter`.

    Examples
    --------
    >>> from gsci.signal import cheby1
    >>> cheby1(4, 1, 0.3, output="sos").shape
    (2, 6)
    """
    return _designed(
        "cheby1", xp, device, N=N, rp=rp, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs
    )


def cheby2(N, rs, Wn, btype="low", analog=False, output="ba", fs=None, *, xp=None, device=None):
    """Chebyshev type II digital and analog filter design (`scipy.signal.cheby2`).

    Parameters
    ----------
    N : int
        The order of the filter.
    rs : float
        The minimum attenuation required in the stop band, in decibels.
    Wn : array_like
        The critical frequency or frequencies (where the gain first reaches ``-rs``), as in `butter`.
    btype : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        The type of filter. Default is 'lowpass'.
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output, as in `butter`.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    tuple or array
        As in `butter`.

    Examples
    --------
    >>> from gsci.signal import cheby2
    >>> z, p, k = cheby2(3, 40, [0.2, 0.4], btype="bandpass", output="zpk")
    >>> len(z), len(p)
    (6, 6)
    """
    return _designed(
        "cheby2", xp, device, N=N, rs=rs, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs
    )


def ellip(N, rp, rs, Wn, btype="low", analog=False, output="ba", fs=None, *, xp=None, device=None):
    """Elliptic (Cauer) digital and analog filter design (`scipy.signal.ellip`).

    Parameters
    ----------
    N : int
        The order of the filter.
    rp : float
        The maximum ripple allowed below unity gain in the passband, in decibels.
    rs : float
        The minimum attenuation required in the stop band, in decibels.
    Wn : array_like
        The critical frequency or frequencies, as in `butter`.
    btype : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        The type of filter. Default is 'lowpass'.
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output, as in `butter`.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    tuple or array
        As in `butter`.

    Examples
    --------
    >>> from gsci.signal import ellip
    >>> b, a = ellip(4, 1, 60, 100, fs=1000)
    >>> b.shape, a.shape
    ((5,), (5,))
    """
    return _designed(
        "ellip", xp, device, N=N, rp=rp, rs=rs, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs
    )


def bessel(N, Wn, btype="low", analog=False, output="ba", norm="phase", fs=None, *, xp=None, device=None):
    """Bessel/Thomson digital and analog filter design (`scipy.signal.bessel`).

    Parameters
    ----------
    N : int
        The order of the filter.
    Wn : array_like
        The critical frequency or frequencies, as in `butter` (its meaning depends on ``norm``).
    btype : {'lowpass', 'highpass', 'bandpass', 'bandstop'}, optional
        The type of filter. Default is 'lowpass'.
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output, as in `butter`.
    norm : {'phase', 'delay', 'mag'}, optional
        Critical frequency normalization.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    tuple or array
        As in `butter`.

    Examples
    --------
    >>> import torch
    >>> from gsci.signal import bessel
    >>> bessel(4, 0.2, output="sos", xp=torch).dtype
    torch.float64
    """
    return _designed(
        "bessel", xp, device, N=N, Wn=Wn, btype=btype, analog=analog, output=output, norm=norm, fs=fs
    )


def iirfilter(
    N,
    Wn,
    rp=None,
    rs=None,
    btype="band",
    analog=False,
    ftype="butter",
    output="ba",
    fs=None,
    *,
    xp=None,
    device=None,
):
    """IIR digital and analog filter design given order and critical points (`scipy.signal.iirfilter`).

    Parameters
    ----------
    N : int
        The order of the filter.
    Wn : array_like
        The critical frequency or frequencies, as in `butter`.
    rp, rs : float, optional
        Passband ripple and stopband attenuation in decibels, for Chebyshev and elliptic filters.
    btype : {'bandpass', 'lowpass', 'highpass', 'bandstop'}, optional
        The type of filter. Default is 'bandpass'.
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    ftype : str, optional
        The type of IIR filter: 'butter', 'cheby1', 'cheby2', 'ellip' or 'bessel'.
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output, as in `butter`.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    tuple or array
        As in `butter`.

    Examples
    --------
    >>> from gsci.signal import iirfilter
    >>> iirfilter(4, [0.1, 0.3], rs=60, ftype="cheby2", output="sos").shape
    (4, 6)
    """
    return _designed(
        "iirfilter",
        xp,
        device,
        N=N,
        Wn=Wn,
        rp=rp,
        rs=rs,
        btype=btype,
        analog=analog,
        ftype=ftype,
        output=output,
        fs=fs,
    )


def iirdesign(
    wp, ws, gpass, gstop, analog=False, ftype="ellip", output="ba", fs=None, *, xp=None, device=None
):
    """Complete IIR digital and analog filter design from specifications (`scipy.signal.iirdesign`).

    Parameters
    ----------
    wp, ws : float or array_like
        Passband and stopband edge frequencies, as ``Wn`` in `butter`.
    gpass : float
        The maximum loss in the passband (dB).
    gstop : float
        The minimum attenuation in the stopband (dB).
    analog : bool, optional
        When True, return an analog filter, otherwise a digital filter.
    ftype : str, optional
        The type of IIR filter: 'butter', 'cheby1', 'cheby2' or 'ellip' (default).
    output : {'ba', 'zpk', 'sos'}, optional
        Type of output, as in `butter`.
    fs : float, optional
        The sampling frequency of the digital system.
    {xp}

    Returns
    -------
    tuple or array
        As in `butter`.

    Examples
    --------
    >>> from gsci.signal import iirdesign
    >>> iirdesign(0.2, 0.3, 1, 40, output="sos").shape
    (2, 6)
    """
    return _designed(
        "iirdesign",
        xp,
        device,
        wp=wp,
        ws=ws,
        gpass=gpass,
        gstop=gstop,
        analog=analog,
        ftype=ftype,
        output=output,
        fs=fs,
    )


def firwin(
    numtaps,
    cutoff,
    *,
    width=None,
    window="hamming",
    pass_zero=True,
    scale=True,
    fs=None,
    xp=None,
    device=None,
):
    """FIR filter design using the window method (`scipy.signal.firwin`).

    Parameters
    ----------
    numtaps : int
        Length of the filter (number of coefficients).
    cutoff : float or 1-D array_like
        Cutoff frequency or frequencies, normalized to the Nyquist frequency unless ``fs`` is given.
        Arrays of any library are read on the host.
    width : float, optional
        Approximate width of the transition region, for a Kaiser window design.
    window : str or tuple of string and parameter values, optional
        Desired window to use (see `scipy.signal.get_window`).
    pass_zero : {True, False, 'bandpass', 'lowpass', 'highpass', 'bandstop'}, optional
        Whether the frequency 0 is in the passband, or the filter type.
    scale : bool, optional
        Scale the coefficients so that the response is exactly unity at a chosen frequency.
    fs : float, optional
        The sampling frequency of the signal.
    {xp}

    Returns
    -------
    h : array
        The ``numtaps`` coefficients of the FIR filter, float64.

    Examples
    --------
    >>> from gsci.signal import firwin
    >>> firwin(3, 0.1).round(4).tolist()
    [0.068, 0.864, 0.068]
    """
    return _designed(
        "firwin",
        xp,
        device,
        numtaps=numtaps,
        cutoff=cutoff,
        width=width,
        window=window,
        pass_zero=pass_zero,
        scale=scale,
        fs=fs,
    )


for _function in (butter, cheby1, cheby2, ellip, bessel, iirfilter, iirdesign, firwin):
    _function.__doc__ = _function.__doc__.replace("{xp}", _XP_DOC)


def _on_host(function, arrays, options, xp):
    """``function(*arrays, **options)`` with SciPy on host copies, back in ``xp`` on the arrays' device.

    ``arrays`` maps parameter names to values; Python scalars and sequences pass as they are.
    """
    first = next((a for a in arrays.values() if is_array(a)), None)
    if first is None:
        return function(*arrays.values(), **options)
    library = library_of(first)
    host = []
    for name, value in arrays.items():
        if is_array(value):
            _require_concrete(value, name)
            value = to_host(value, library, f"gsci.signal.{function.__name__}")
        host.append(value)
    result = function(*host, **options)
    if isinstance(result, tuple):
        return tuple(from_host(r, xp, device_of(first)) for r in result)
    return from_host(result, xp, device_of(first))


@gsci_function("signal", arrays=("z", "p", "k"))
def zpk2sos(z, p, k, pairing=None, *, analog=False, xp):
    """Second-order sections from zeros, poles and gain of a system (`scipy.signal.zpk2sos`).

    Computed on the host with SciPy (pairing poles with zeros is a short sequential search by
    value); the result is returned in the library and on the device of the inputs.

    Parameters
    ----------
    z, p : array_like
        Zeros and poles of the transfer function.
    k : float
        System gain.
    pairing : {None, 'nearest', 'keep_odd', 'minimal'}, optional
        The method to combine pairs of poles and zeros into sections. Default: 'nearest' for a
        digital system, 'minimal' for an analog one.
    analog : bool, optional
        If True, the system is analog, otherwise discrete.

    Returns
    -------
    sos : array
        Array of second-order filter coefficients, with shape ``(n_sections, 6)``.

    Raises
    ------
    TypeError
        For a JAX array traced by ``jax.jit`` or a Dask array: the values must be known.

    Examples
    --------
    >>> from gsci.signal import zpk2sos
    >>> zpk2sos([-1, -1], [0.5, 0.25], 2.0).tolist()
    [[2.0, 4.0, 2.0, 1.0, -0.75, 0.125]]
    """
    return _on_host(
        scipy.signal.zpk2sos, {"z": z, "p": p, "k": k}, {"pairing": pairing, "analog": analog}, xp
    )


@gsci_function("signal", arrays=("b", "a"))
def tf2sos(b, a, pairing=None, *, analog=False, xp):
    """Second-order sections from a transfer function's polynomials (`scipy.signal.tf2sos`).

    Computed on the host with SciPy (roots, then `zpk2sos`); the result is returned in the library
    and on the device of the inputs.

    Parameters
    ----------
    b : array_like
        Numerator polynomial coefficients.
    a : array_like
        Denominator polynomial coefficients.
    pairing : {None, 'nearest', 'keep_odd', 'minimal'}, optional
        The method to combine pairs of poles and zeros into sections (see `zpk2sos`).
    analog : bool, optional
        If True, the system is analog, otherwise discrete.

    Returns
    -------
    sos : array
        Array of second-order filter coefficients, with shape ``(n_sections, 6)``.

    Raises
    ------
    TypeError
        For a JAX array traced by ``jax.jit`` or a Dask array: the values must be known.

    Examples
    --------
    >>> from gsci.signal import tf2sos
    >>> tf2sos([1, 2, 1], [1, -0.75, 0.125]).tolist()
    [[1.0, 2.0, 1.0, 1.0, -0.75, 0.125]]
    """
    return _on_host(scipy.signal.tf2sos, {"b": b, "a": a}, {"pairing": pairing, "analog": analog}, xp)


@gsci_function("signal", arrays=("sos",))
def sos2tf(sos, *, xp):
    """A transfer function's polynomials from second-order sections (`scipy.signal.sos2tf`).

    Parameters
    ----------
    sos : array_like
        Array of second-order filter coefficients, with shape ``(n_sections, 6)``.

    Returns
    -------
    b : array
        Numerator polynomial coefficients.
    a : array
        Denominator polynomial coefficients.

    Notes
    -----
    As SciPy, each section's polynomials lose their leading zeros before they multiply, so the
    length of ``b`` and ``a`` depends on the values: reading them waits for a GPU. Under ``jax.jit``
    and on Dask, where values are unknown, ``b`` and ``a`` keep every coefficient,
    ``2 * n_sections + 1`` of them (the same polynomials with leading zeros).

    Examples
    --------
    >>> from gsci.signal import sos2tf
    >>> b, a = sos2tf([[1, 1, 0, 1, -0.5, 0], [1, 1, 0, 1, 0.5, 0]])
    >>> b.tolist(), a.tolist()
    ([1.0, 2.0, 1.0, 0.0, 0.0], [1.0, 0.0, -0.25, 0.0, 0.0])
    """
    sos = xp.asarray(sos)
    if xp.isdtype(sos.dtype, "integral"):
        sos = xp.astype(sos, xp.float64)
    one = xp.ones(1, dtype=sos.dtype, device=device_of(sos))
    b, a = one, one
    for section in range(sos.shape[0]):  # one product per section: a filter has few
        b = _times_quadratic(b, sos[section, :3], xp)
        a = _times_quadratic(a, sos[section, 3:], xp)
    if not _concrete(sos):
        return b, a
    host = _host_parameter(sos, "sos")
    return b[b.shape[0] - _scipy_length(host[:, :3]) :], a[a.shape[0] - _scipy_length(host[:, 3:]) :]


def _scipy_length(factors):
    """The length of SciPy's product of polynomials ``factors`` (rows, highest power first).

    SciPy drops the leading zeros of both operands of each product: of each factor, and of the
    product so far (all but one zero of a zero polynomial).
    """
    nonzero = factors != 0
    is_zero = ~nonzero.any(axis=1)
    trimmed = np.where(is_zero, 1, factors.shape[1] - nonzero.argmax(axis=1))
    length, zero_so_far = 1, False
    for factor_length, factor_is_zero in zip(trimmed.tolist(), is_zero.tolist(), strict=True):
        length = (1 if zero_so_far else length) + factor_length - 1
        zero_so_far = zero_so_far or factor_is_zero
    return length


def _times_quadratic(polynomial, quadratic, xp):
    """The coefficients of ``polynomial * quadratic`` (highest power first), as `numpy.convolve`."""
    zeros = xp.zeros(2, dtype=polynomial.dtype, device=device_of(polynomial))
    terms = [polynomial * quadratic[i] for i in range(3)]
    return (
        xp.concat((terms[0], zeros))
        + xp.concat((zeros[:1], terms[1], zeros[:1]))
        + xp.concat((zeros, terms[2]))
    )
