"""IIR and FIR filter design, and conversions between filter representations.

A filter's coefficients are a few numbers computed once by a short sequential computation: the
design functions (`butter`, `cheby1`, `cheby2`, `ellip`, `bessel`, `iirfilter`, `iirdesign`,
`firwin`) and the converters `zpk2sos` and `tf2sos` (which pair poles and zeros by value) compute
them on the host with SciPy, exactly, and return each array once in the output's library and on
its device.

The output's library is SciPy 1.17's: that of the arrays among the frequency arguments (``Wn``;
``wp`` and ``ws`` for `iirdesign`; ``cutoff`` for `firwin`) or the coefficients (``z`` and ``p``
for `zpk2sos`, not ``k``; ``b`` and ``a`` for `tf2sos`), NumPy when they are Python numbers or
sequences; arrays of different libraries raise ``TypeError``. The design functions also take
``xp=`` and ``device=`` (see `butter`). The dtypes are SciPy's too: float64 (complex128 zeros and
poles) whatever the input's dtype, the library's default float type for `firwin` (PyTorch's
``torch.get_default_dtype()``, float64 elsewhere). So is the zpk gain ``k``: a Python
float where SciPy returns one (some analog designs), else a NumPy float64 scalar for NumPy output
and a 0-d float64 array of the output's library otherwise.

Reading the arrays' values on the host waits for a GPU (the converters warn once with
`gsci.HostTransferWarning`, as a host round trip), and computes a Dask array, as SciPy does
(these are a few numbers; the result is a Dask array again). A JAX array traced under
``jax.jit`` has no values to read: a ``TypeError`` says so (SciPy fails there too).

`sos2tf` multiplies polynomials, which any library does where the data lives: it is native, lazy
on Dask and traceable under ``jax.jit`` (see its Notes for the values it reads when it can).

Differences from SciPy 1.17: `firwin` computes in float64 and rounds once to PyTorch's default
float type where that is float32 (SciPy computes in float32); `sos2tf` gives float64 for integer
``sos`` of array-api-strict too, where SciPy raises ``TypeError``.
"""

import numpy as np
import scipy.signal

from gsci._lib._arrays import HOST_TYPES, is_array, library_of, namespace_of, requested_namespace, to_host
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_numpy_namespace, is_torch_namespace
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

# NumPy input: SciPy's own code on these few coefficients costs less per call (BENCHMARKS.md)
_HOST_IS_FASTER = {"numpy": "a few coefficients: SciPy's host code costs less per call"}

_XP_DOC = """xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: the library of the frequency arguments when they
        are arrays (as in SciPy 1.17), else NumPy. Given ``xp``, the frequency arguments may be
        arrays of ``xp``, NumPy arrays or sequences; arrays of another library raise ``TypeError``.
    device : device, optional
        The device of the output arrays, in ``xp``'s terms (``"cuda"`` for PyTorch, ...). Default:
        that of the frequency arguments when they are arrays of the output's library; another
        device than theirs raises ``ValueError``."""


def _default_float(xp):
    """SciPy's default float dtype of namespace ``xp``: PyTorch's default, float64 elsewhere."""
    if is_torch_namespace(xp):
        return xp.get_default_dtype()
    return xp.float64


def _concrete(x):
    """Whether the values of array ``x`` can be read now: not traced by ``jax.jit``, not a Dask graph."""
    library = library_of(x)
    if library == "dask":
        return False
    return library != "jax" or not _traced(x)


def _traced(x):
    import jax

    return isinstance(x, jax.core.Tracer)


def _require_values(value, name):
    """Raise ``TypeError`` for a JAX array traced by ``jax.jit``: its values are not known."""
    if library_of(value) == "jax" and _traced(value):
        raise TypeError(
            f"{name} is a jax array traced by jax.jit, whose values are not known: filter design "
            "computes on the host with SciPy and needs them (SciPy fails under jax.jit too); call it "
            "outside jax.jit"
        )


def _host_parameter(value, name):
    """A parameter as SciPy takes it: arrays of any library read on the host (a Dask array computes)."""
    if not is_array(value):
        return value
    _require_values(value, name)
    library = library_of(value)
    if library == "torch":
        return value.detach().cpu().resolve_conj().resolve_neg().numpy()
    if library == "cupy":
        return value.get()
    if library == "array_api_strict":
        return np.from_dlpack(value)
    return np.asarray(value)  # numpy, jax, and dask (which computes)


def _host_copy(value, name, function):
    """A coefficient array as a NumPy array for SciPy, warning once if it came from a GPU."""
    if not is_array(value):
        return value
    _require_values(value, name)
    return to_host(value, library_of(value), f"gsci.signal.{function}")


def _in_namespace(result, xp, device, dtype=None):
    """SciPy's NumPy ``result`` (an array, a gain or a tuple of them) in ``xp`` on ``device``."""
    if isinstance(result, tuple):
        return tuple(_in_namespace(r, xp, device, dtype) for r in result)
    if type(result) in (int, float) or (isinstance(result, np.generic) and is_numpy_namespace(xp)):
        return result  # a zpk gain or filter order that SciPy returns as a Python number, or NumPy's scalar
    return xp.asarray(result, dtype=dtype, device=device)


def _output_place(arrays, xp, device):
    """The namespace and device of a design's output, from ``xp=``, ``device=`` and the arrays.

    ``arrays`` maps the names of the frequency arguments that are arrays to their values.
    """
    if xp is None:
        xp = namespace_of(arrays)  # NumPy's for no arrays; TypeError for several libraries
    else:
        xp = requested_namespace(xp)
        _require_library_of(xp, arrays)
    library = library_of(xp.empty(0))
    own = [a for a in arrays.values() if library_of(a) == library]
    if not own:
        return xp, device
    if device is None:
        return xp, device_of(own[0])
    if device_of(xp.empty(0, device=device)) != device_of(own[0]):
        name = next(n for n, a in arrays.items() if a is own[0])
        raise ValueError(
            f"{name} is on device {device_of(own[0])} but device={device!r}: "
            "pass arrays on that device, or leave device out"
        )
    return xp, device


def _require_library_of(xp, arrays):
    """Raise ``TypeError`` for an array of neither ``xp``'s library nor NumPy's among ``arrays``."""
    library = library_of(xp.empty(0))
    for name, value in arrays.items():
        if library_of(value) not in (library, "numpy"):
            raise TypeError(
                f"{name} is a {library_of(value)} array but xp is {library}: pass arrays of xp's "
                "library, NumPy arrays or sequences, or leave xp out"
            )


def _designed(name, frequencies, xp, device, **arguments):
    """``scipy.signal.<name>(**arguments)`` on the host, in the output's namespace on its device.

    ``frequencies`` names the arguments whose arrays decide the output's namespace and device.
    """
    if xp is None and device is None and all(type(v) in HOST_TYPES for v in arguments.values()):
        return getattr(scipy.signal, name)(**arguments)  # NumPy in and out: SciPy's very result
    arrays = {key: arguments[key] for key in frequencies if is_array(arguments[key])}
    xp, device = _output_place(arrays, xp, device)
    host = {key: _host_parameter(value, key) for key, value in arguments.items()}
    result = getattr(scipy.signal, name)(**host)
    return _in_namespace(result, xp, device, _default_float(xp) if name in _IN_DEFAULT_FLOAT else None)


# designs whose output SciPy 1.17 makes in the library's default float type (PyTorch's may be float32)
_IN_DEFAULT_FLOAT = frozenset({"firwin", "iirnotch", "iirpeak", "iircomb", "gammatone"})


def butter(N, Wn, btype="low", analog=False, output="ba", fs=None, *, xp=None, device=None):
    """Butterworth digital and analog filter design (`scipy.signal.butter`).

    Parameters
    ----------
    N : int
        The order of the filter.
    Wn : array_like
        The critical frequency or frequencies (a scalar for low/high pass, two for band pass/stop),
        normalized to the Nyquist frequency unless ``fs`` is given; angular frequencies for analog
        filters. An array sets the output's library and device (see ``xp``).
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
    z, p, k : array, array, float or array
        Zeros, poles and system gain. Only returned if ``output='zpk'``. The gain is a Python
        float where SciPy returns one, else a NumPy float64 for NumPy output and a 0-d array of
        the output's library otherwise.
    sos : array
        Second-order sections. Only returned if ``output='sos'``.

    Examples
    --------
    >>> from gsci.signal import butter
    >>> b, a = butter(2, 0.25)
    >>> b.round(4).tolist(), a.round(4).tolist()
    ([0.0976, 0.1953, 0.0976], [1.0, -0.9428, 0.3333])
    """
    return _designed(
        "butter", ("Wn",), xp, device, N=N, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs
    )


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
        "cheby1", ("Wn",), xp, device, N=N, rp=rp, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs
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
        "cheby2", ("Wn",), xp, device, N=N, rs=rs, Wn=Wn, btype=btype, analog=analog, output=output, fs=fs
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
        "ellip",
        ("Wn",),
        xp,
        device,
        N=N,
        rp=rp,
        rs=rs,
        Wn=Wn,
        btype=btype,
        analog=analog,
        output=output,
        fs=fs,
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
        "bessel", ("Wn",), xp, device, N=N, Wn=Wn, btype=btype, analog=analog, output=output, norm=norm, fs=fs
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
        ("Wn",),
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
        Passband and stopband edge frequencies, as ``Wn`` in `butter`; arrays of them set the
        output's library and device (see ``xp``).
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
        ("wp", "ws"),
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
        An array sets the output's library and device (see ``xp``).
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
        The ``numtaps`` coefficients of the FIR filter, in the library's default float type
        (``torch.get_default_dtype()`` for PyTorch, float64 elsewhere).

    Examples
    --------
    >>> from gsci.signal import firwin
    >>> firwin(3, 0.1).round(4).tolist()
    [0.068, 0.864, 0.068]
    """
    return _designed(
        "firwin",
        ("cutoff",),
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


def _converted(function, like, xp, arguments, options):
    """``function(*arguments, **options)`` by SciPy on host copies, in ``xp`` on the device of ``like``.

    ``arguments`` maps parameter names to values; Python scalars and sequences pass as they are.
    """
    host = [_host_copy(value, name, function.__name__) for name, value in arguments.items()]
    return _in_namespace(function(*host, **options), xp, None if like is None else device_of(like))


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def zpk2sos(z, p, k, pairing=None, *, analog=False, xp):
    """Second-order sections from zeros, poles and gain of a system (`scipy.signal.zpk2sos`).

    Computed on the host with SciPy (pairing poles with zeros is a short sequential search by
    value); the result is float64, in the library and on the device of ``z`` and ``p`` (NumPy for
    Python sequences), as SciPy 1.17 returns it.

    Parameters
    ----------
    z, p : array_like
        Zeros and poles of the transfer function.
    k : float or 0-d array
        System gain, of any library (read on the host).
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
        For a JAX array traced by ``jax.jit``: the values must be known (a Dask array computes).

    Examples
    --------
    >>> from gsci.signal import zpk2sos
    >>> zpk2sos([-1, -1], [0.5, 0.25], 2.0).tolist()
    [[2.0, 4.0, 2.0, 1.0, -0.75, 0.125]]
    """
    like = next((v for v in (z, p) if is_array(v)), None)
    options = {"pairing": pairing, "analog": analog}
    return _converted(scipy.signal.zpk2sos, like, xp, {"z": z, "p": p, "k": k}, options)


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def tf2sos(b, a, pairing=None, *, analog=False, xp):
    """Second-order sections from a transfer function's polynomials (`scipy.signal.tf2sos`).

    Computed on the host with SciPy (roots, then `zpk2sos`); the result is float64, in the library
    and on the device of ``b`` and ``a`` (NumPy for Python sequences), as SciPy 1.17 returns it.

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
        For a JAX array traced by ``jax.jit``: the values must be known (a Dask array computes).

    Examples
    --------
    >>> from gsci.signal import tf2sos
    >>> tf2sos([1, 2, 1], [1, -0.75, 0.125]).tolist()
    [[1.0, 2.0, 1.0, 1.0, -0.75, 0.125]]
    """
    like = next((v for v in (b, a) if is_array(v)), None)
    options = {"pairing": pairing, "analog": analog}
    return _converted(scipy.signal.tf2sos, like, xp, {"b": b, "a": a}, options)


@gsci_function("signal", arrays=("sos",), scipy_for=_HOST_IS_FASTER)
def sos2tf(sos, *, xp):
    """A transfer function's polynomials from second-order sections (`scipy.signal.sos2tf`).

    Parameters
    ----------
    sos : array_like
        Array of second-order filter coefficients, with shape ``(n_sections, 6)``.

    Returns
    -------
    b : array
        Numerator polynomial coefficients, of ``sos``'s dtype (float64 for integers).
    a : array
        Denominator polynomial coefficients, of ``sos``'s dtype (float64 for integers).

    Notes
    -----
    As SciPy, each section's polynomials lose their leading zeros before they multiply, so the
    length of ``b`` and ``a`` depends on the values: reading them waits for a GPU. Under ``jax.jit``
    and on Dask, where values are unknown, ``b`` and ``a`` keep every coefficient,
    ``2 * n_sections + 1`` of them (the same polynomials with leading zeros; SciPy computes a Dask
    array there and fails under ``jax.jit``).

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
