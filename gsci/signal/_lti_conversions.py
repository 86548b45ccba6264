"""Conversions between a linear system's representations, and analog frequency transformations.

Two kinds, by what the computation needs:

- Native (`zpk2tf`, `bilinear_zpk`, `lp2lp_zpk`, `lp2hp_zpk`, `lp2bp_zpk`, `lp2bs_zpk`): products
  of ``(x - root)`` and elementwise maps of the zeros and poles, written against the data's
  library, as SciPy 1.17 writes them: the same dtypes by the library's own promotion rules. They
  run where the zeros and poles live, stay lazy on Dask and trace under ``jax.jit``.
- On the host with SciPy (`tf2zpk`, `sos2zpk`, `bilinear`, `lp2lp`, `lp2hp`, `lp2bp`, `lp2bs`):
  roots of polynomials (`numpy.roots`) and SciPy's `normalize`, which drops leading zero
  coefficients, so that the output's shape depends on the values. The few coefficients are read
  on the host (waiting for a GPU, with `gsci.HostTransferWarning`; computing a Dask array, as
  SciPy does) and the result is returned in their library, on their device. A JAX array traced
  by ``jax.jit`` raises ``TypeError``: its values are not known (SciPy fails there too).

As in SciPy 1.17, the output's library is that of the arrays among ``z`` and ``p`` (``b`` and
``a``; ``sos``), NumPy for Python sequences; arrays of different libraries raise ``TypeError``.
A gain ``k`` stays a Python float where SciPy keeps one (`lp2lp_zpk`, `lp2bp_zpk` given a float),
else it is a 0-d array of the output's library (a NumPy scalar for NumPy). The dtypes are those
SciPy 1.17 gives for each library: for the host conversions, float64 for `bilinear` and `lp2lp`,
the floating type of ``b`` and ``a`` (integers: the library's default float) for `lp2hp`, `lp2bp`
and `lp2bs`; `tf2zpk` and `sos2zpk` give complex zeros and poles for every library but NumPy and
Dask, whose real roots stay real (`numpy.roots`).

NumPy input and Python sequences go straight to SciPy, whose code costs less on these few numbers.

Differences from SciPy 1.17: `zpk2tf` returns real polynomials for complex zeros (poles) that
come in conjugate pairs, as SciPy does, only where the values are known: under ``jax.jit`` and on
Dask the polynomials of complex roots stay complex (their imaginary parts are zero up to rounding
for conjugate pairs); reading that check's answer waits for a GPU. `lp2hp`, `lp2bp` and `lp2bs`
work on JAX arrays, where SciPy's (which assign in place) raise ``TypeError``.
"""

import numpy as np
import scipy.signal

from gsci._lib._arrays import as_array, is_array, library_of
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_numpy_namespace
from gsci._lib._dispatch import gsci_function
from gsci.signal._filter_design import _HOST_IS_FASTER, _concrete, _default_float, _host_copy, _in_namespace

__all__ = [
    "bilinear",
    "bilinear_zpk",
    "lp2bp",
    "lp2bp_zpk",
    "lp2bs",
    "lp2bs_zpk",
    "lp2hp",
    "lp2hp_zpk",
    "lp2lp",
    "lp2lp_zpk",
    "sos2zpk",
    "tf2zpk",
    "zpk2tf",
]


# Native: zeros, poles and gains


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def zpk2tf(z, p, k, *, xp):
    """Polynomial transfer function from zeros, poles and gain (`scipy.signal.zpk2tf`).

    Parameters
    ----------
    z : array_like
        Zeros of the transfer function; a 2-D array holds the zeros of several numerators, one
        per row.
    p : array_like
        Poles of the transfer function.
    k : float or array_like
        System gain (one per row of a 2-D ``z``, or one for all).

    Returns
    -------
    b : array
        Numerator polynomial coefficients (one row per row of a 2-D ``z``).
    a : array
        Denominator polynomial coefficients.

    Notes
    -----
    Native: one product per root, vectorized over the coefficients; runs under ``jax.jit`` and
    stays lazy on Dask. Complex roots in conjugate pairs give real polynomials where the values
    are known (see the module's differences from SciPy).

    Examples
    --------
    >>> from gsci.signal import zpk2tf
    >>> b, a = zpk2tf([2.0, 6.0], [1.0, 8.0], 5)
    >>> b.tolist(), a.tolist()
    ([5.0, -40.0, 60.0], [1.0, -9.0, 8.0])
    """
    z, p, like = _zeros_and_poles(z, p, xp)
    k = _gain(k, xp, like)
    k = xp.asarray(k, dtype=xp.result_type(xp.real(z), xp.real(p), k), device=device_of(like))
    if xp.isdtype(k.dtype, "integral"):
        k = xp.astype(k, xp.float64)
    k = k[None] if k.ndim == 0 else k
    if z.ndim > 1:
        dtype = _poly(z[0, ...], xp).dtype
        gains = [k[0]] * z.shape[0] if k.shape[0] == 1 else [k[i] for i in range(z.shape[0])]
        rows = [
            xp.reshape(xp.astype(xp.astype(gains[i], dtype) * _poly(z[i, ...], xp), dtype), (-1,))
            for i in range(z.shape[0])
        ]
        b = xp.stack(rows)
    else:
        b = xp.multiply(k, _poly(z, xp))
    if p.ndim > 1:
        raise ValueError(f"p must be 1-D: the poles of one denominator, got shape {tuple(p.shape)}")
    a = _poly(p, xp)
    return b, a[None] if a.ndim == 0 else a


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def bilinear_zpk(z, p, k, fs, *, xp):
    """A digital filter from an analog one by the bilinear transform (`scipy.signal.bilinear_zpk`).

    Substitutes ``2*fs*(z-1) / (z+1)`` for ``s`` (Tustin's method), zero by zero and pole by pole.

    Parameters
    ----------
    z : array_like
        Zeros of the analog filter transfer function.
    p : array_like
        Poles of the analog filter transfer function.
    k : float
        System gain of the analog filter transfer function.
    fs : float
        Sample rate, as ordinary frequency (e.g., hertz). No prewarping is done.

    Returns
    -------
    z, p : array
        Zeros and poles of the digital filter.
    k : array
        System gain of the digital filter (0-d; a NumPy scalar for NumPy).

    Examples
    --------
    >>> from gsci.signal import bilinear_zpk
    >>> z, p, k = bilinear_zpk([], [-1.0], 1.0, fs=1.0)
    >>> z.tolist(), p.tolist(), round(float(k), 4)
    ([-1.0], [0.3333333333333333], 0.3333)
    """
    z, p, like = _zeros_and_poles(z, p, xp)
    k = _gain(k, xp, like)
    fs = _sampling_frequency(fs)
    degree = _relative_degree(z, p)
    fs2 = 2.0 * fs
    z_z = (fs2 + z) / (fs2 - z)
    p_z = (fs2 + p) / (fs2 - p)
    z_z = xp.concat((z_z, -xp.ones(degree, device=device_of(like))))  # zeros at infinity go to Nyquist
    k_z = xp.real(xp.prod(fs2 - z) / xp.prod(fs2 - p)) * k  # the array first: its library's product
    return z_z, p_z, k_z


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def lp2lp_zpk(z, p, k, wo=1.0, *, xp):
    """Move a lowpass prototype's cutoff to ``wo``, in zpk form (`scipy.signal.lp2lp_zpk`).

    Parameters
    ----------
    z : array_like
        Zeros of the analog filter transfer function.
    p : array_like
        Poles of the analog filter transfer function.
    k : float
        System gain of the analog filter transfer function.
    wo : float
        Desired cutoff, as angular frequency (e.g., rad/s). Defaults to no change.

    Returns
    -------
    z, p : array
        Zeros and poles of the transformed low-pass filter.
    k : float or array
        System gain of the transformed low-pass filter (a Python float for a float ``k``).

    Examples
    --------
    >>> from gsci.signal import lp2lp_zpk
    >>> z, p, k = lp2lp_zpk([7.0, 2.0], [5.0, 13.0], 0.8, wo=0.4)
    >>> z.tolist(), p.tolist(), k
    ([2.8000000000000003, 0.8], [2.0, 5.2], 0.8)
    """
    z, p, _ = _zeros_and_poles(z, p, xp)
    wo = float(wo)  # as SciPy: no integer wraparound
    degree = _relative_degree(z, p)
    return wo * z, wo * p, k * wo**degree


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def lp2hp_zpk(z, p, k, wo=1.0, *, xp):
    """A highpass filter from a lowpass prototype, in zpk form (`scipy.signal.lp2hp_zpk`).

    Parameters
    ----------
    z : array_like
        Zeros of the analog filter transfer function.
    p : array_like
        Poles of the analog filter transfer function.
    k : float
        System gain of the analog filter transfer function.
    wo : float
        Desired cutoff, as angular frequency (e.g., rad/s). Defaults to no change.

    Returns
    -------
    z, p : array
        Zeros and poles of the high-pass filter.
    k : array
        System gain of the high-pass filter (0-d; a NumPy scalar for NumPy).

    Examples
    --------
    >>> from gsci.signal import lp2hp_zpk
    >>> z, p, k = lp2hp_zpk([], [-1.0], 1.0, wo=2.0)
    >>> z.tolist(), p.tolist(), float(k)
    ([0.0], [-2.0], 1.0)
    """
    z, p, like = _zeros_and_poles(z, p, xp)
    k = _gain(k, xp, like)
    wo = float(wo)
    degree = _relative_degree(z, p)
    z_hp = xp.concat((wo / z, xp.zeros(degree, device=device_of(like))))  # zeros at infinity go to 0
    k_hp = xp.real(xp.prod(-z) / xp.prod(-p)) * k
    return z_hp, wo / p, k_hp


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def lp2bp_zpk(z, p, k, wo=1.0, bw=1.0, *, xp):
    """A bandpass filter from a lowpass prototype, in zpk form (`scipy.signal.lp2bp_zpk`).

    Parameters
    ----------
    z : array_like
        Zeros of the analog filter transfer function.
    p : array_like
        Poles of the analog filter transfer function.
    k : float
        System gain of the analog filter transfer function.
    wo : float
        Desired passband center, as angular frequency (e.g., rad/s). Defaults to no change.
    bw : float
        Desired passband width, as angular frequency (e.g., rad/s). Defaults to 1.

    Returns
    -------
    z, p : array
        Zeros and poles of the band-pass filter (complex128).
    k : float or array
        System gain of the band-pass filter (a Python float for a float ``k``).

    Examples
    --------
    >>> from gsci.signal import lp2bp_zpk
    >>> z, p, k = lp2bp_zpk([], [-1.0], 1.0, wo=1.0, bw=2.0)
    >>> z.tolist(), p.round(4).tolist(), k
    ([0j], [(-1+0j), (-1+0j)], 2.0)
    """
    z, p, like = _zeros_and_poles(z, p, xp)
    z, p = _promoted(xp, z, p)
    wo, bw = float(wo), float(bw)
    degree = _relative_degree(z, p)
    # complex: the square roots below may be imaginary; squares as products, whose signed zeros
    # choose the branch of each root as NumPy's do
    z_lp = xp.astype(z * bw / 2, xp.complex128)
    p_lp = xp.astype(p * bw / 2, xp.complex128)
    z_bp = xp.concat((z_lp + xp.sqrt(z_lp * z_lp - wo**2), z_lp - xp.sqrt(z_lp * z_lp - wo**2)))
    p_bp = xp.concat((p_lp + xp.sqrt(p_lp * p_lp - wo**2), p_lp - xp.sqrt(p_lp * p_lp - wo**2)))
    z_bp = xp.concat((z_bp, xp.zeros(degree, device=device_of(like))))  # the other half stay at infinity
    return z_bp, p_bp, k * bw**degree


@gsci_function("signal", arrays=("z", "p"), scipy_for=_HOST_IS_FASTER)
def lp2bs_zpk(z, p, k, wo=1.0, bw=1.0, *, xp):
    """A bandstop filter from a lowpass prototype, in zpk form (`scipy.signal.lp2bs_zpk`).

    Parameters
    ----------
    z : array_like
        Zeros of the analog filter transfer function.
    p : array_like
        Poles of the analog filter transfer function.
    k : float
        System gain of the analog filter transfer function.
    wo : float
        Desired stopband center, as angular frequency (e.g., rad/s). Defaults to no change.
    bw : float
        Desired stopband width, as angular frequency (e.g., rad/s). Defaults to 1.

    Returns
    -------
    z, p : array
        Zeros and poles of the band-stop filter (complex128).
    k : array
        System gain of the band-stop filter (0-d; a NumPy scalar for NumPy).

    Examples
    --------
    >>> from gsci.signal import lp2bs_zpk
    >>> z, p, k = lp2bs_zpk([], [-1.0], 1.0, wo=1.0, bw=2.0)
    >>> z.tolist(), p.round(4).tolist(), float(k)
    ([1j, -1j], [(-1+0j), (-1+0j)], 1.0)
    """
    z, p, like = _zeros_and_poles(z, p, xp)
    z, p = _promoted(xp, z, p)
    k = _gain(k, xp, like)
    wo, bw = float(wo), float(bw)
    degree = _relative_degree(z, p)
    z_hp = xp.astype((bw / 2) / z, xp.complex128)  # complex, squared as products: as in lp2bp_zpk
    p_hp = xp.astype((bw / 2) / p, xp.complex128)
    z_bs = xp.concat((z_hp + xp.sqrt(z_hp * z_hp - wo**2), z_hp - xp.sqrt(z_hp * z_hp - wo**2)))
    p_bs = xp.concat((p_hp + xp.sqrt(p_hp * p_hp - wo**2), p_hp - xp.sqrt(p_hp * p_hp - wo**2)))
    device = device_of(like)
    # zeros at infinity go to the center of the stopband, +wo and -wo
    z_bs = xp.concat(
        (z_bs, xp.full(degree, +1j * wo, device=device), xp.full(degree, -1j * wo, device=device))
    )
    k_bs = xp.real(xp.prod(-z) / xp.prod(-p)) * k
    return z_bs, p_bs, k_bs


def _zeros_and_poles(z, p, xp):
    """``z`` and ``p`` as arrays of ``xp`` (at least 1-D) on the device of the first array among them."""
    like = next((v for v in (z, p) if is_array(v)), None)
    z, p = as_array(z, xp, like), as_array(p, xp, like)
    like = z if like is None else like
    return (z[None] if z.ndim == 0 else z), (p[None] if p.ndim == 0 else p), like


def _gain(k, xp, like):
    """A gain as SciPy computes with it: a Python number as it is, an array in ``xp`` on ``like``'s device."""
    if isinstance(k, np.generic) and library_of(like) == "array_api_strict":
        return k.item()  # it takes Python numbers, not NumPy's
    if not is_array(k) or library_of(k) == library_of(like):
        return k
    return xp.asarray(_host_copy(k, "k", "gain"), device=device_of(like))


def _poly(roots, xp):
    """The monic polynomial with ``roots`` (highest power first), as SciPy's ``poly``.

    Complex roots in conjugate pairs give a real polynomial where their values are known.
    """
    device = device_of(roots)
    if roots.shape[0] == 0:
        return xp.asarray(1.0, dtype=xp.real(roots).dtype, device=device)
    zero = xp.zeros((1,), dtype=roots.dtype, device=device)
    a = xp.ones((1,), dtype=roots.dtype, device=device)
    for i in range(roots.shape[0]):  # one product by (x - root) per root: few of them
        a = xp.concat((a, zero)) - xp.concat((zero, a * roots[i]))
    if xp.isdtype(a.dtype, "complex floating") and _concrete(roots):
        imag = xp.imag(xp.astype(roots, xp.complex128))
        if bool(xp.all(xp.sort(imag) == xp.sort(-imag))):  # conjugate pairs
            a = xp.real(a)
    return a


def _promoted(xp, *arrays):
    """``arrays`` in their common floating dtype (integers: the library's default float), as SciPy's."""
    dtype = _floating(xp, *arrays)
    return tuple(xp.astype(a, dtype) for a in arrays)


def _floating(xp, *arrays):
    """The common floating dtype of ``arrays``, integers counting as the library's default float."""
    floating = ("real floating", "complex floating")
    return xp.result_type(*(a.dtype if xp.isdtype(a.dtype, floating) else _default_float(xp) for a in arrays))


def _relative_degree(z, p):
    degree = p.shape[0] - z.shape[0]
    if degree < 0:
        raise ValueError("Improper transfer function. Must have at least as many poles as zeros.")
    return degree


def _sampling_frequency(fs):
    if fs is None:
        raise ValueError("Sampling frequency can not be none.")
    if not np.isscalar(fs):
        raise ValueError(f"Sampling frequency fs must be a single scalar, got {type(fs).__name__}")
    return float(fs)


# On the host: roots and normalized polynomials, whose lengths depend on the values


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def tf2zpk(b, a, *, xp):
    """Zeros, poles and gain from a transfer function's polynomials (`scipy.signal.tf2zpk`).

    Computed on the host with SciPy (`numpy.roots`), returned in the library and on the device of
    ``b`` and ``a``.

    Parameters
    ----------
    b : array_like
        Numerator polynomial coefficients.
    a : array_like
        Denominator polynomial coefficients.

    Returns
    -------
    z : array
        Zeros of the transfer function (complex but for NumPy and Dask, where real roots stay real).
    p : array
        Poles of the transfer function (likewise).
    k : array
        System gain (0-d; a NumPy scalar for NumPy).

    Raises
    ------
    TypeError
        For a JAX array traced by ``jax.jit``: the values must be known (a Dask array computes).

    Examples
    --------
    >>> from gsci.signal import tf2zpk
    >>> z, p, k = tf2zpk([3, 0, 0], [1, 5, 13])
    >>> z.tolist(), p.round(4).tolist(), float(k)
    ([0.0, 0.0], [(-2.5+2.5981j), (-2.5-2.5981j)], 3.0)
    """
    like, host = _on_host({"b": b, "a": a}, "tf2zpk")
    z, p, k = scipy.signal.tf2zpk(*host)
    if like is None or library_of(like) in ("numpy", "dask"):  # SciPy's Dask path is NumPy's
        return _in_namespace((z, p, _scalar(k, xp)), xp, device_of(like))
    real = _floating(xp, *_as_arrays(xp, like, b, a))
    complex_ = _complex_of(real, xp)
    k = _in_namespace(np.asarray(k), xp, device_of(like), real)
    return (*_in_namespace((z, p), xp, device_of(like), complex_), k)


@gsci_function("signal", arrays=("sos",), scipy_for=_HOST_IS_FASTER)
def sos2zpk(sos, *, xp):
    """Zeros, poles and gain of a series of second-order sections (`scipy.signal.sos2zpk`).

    Computed on the host with SciPy, section by section (`tf2zpk`), returned in the library and
    on the device of ``sos``.

    Parameters
    ----------
    sos : array_like
        Array of second-order filter coefficients, with shape ``(n_sections, 6)``.

    Returns
    -------
    z, p : array
        Zeros and poles of the transfer function, ``2 * n_sections`` of each (complex128).
    k : array
        System gain (0-d; a NumPy scalar for NumPy).

    Raises
    ------
    TypeError
        For a JAX array traced by ``jax.jit``: the values must be known (a Dask array computes).

    Examples
    --------
    >>> from gsci.signal import sos2zpk
    >>> z, p, k = sos2zpk([[1, 2, 1, 1, -0.5, 0]])
    >>> z.tolist(), p.tolist(), float(k)
    ([(-1+0j), (-1+0j)], [(0.5+0j), 0j], 1.0)
    """
    like, (host,) = _on_host({"sos": sos}, "sos2zpk")
    z, p, k = scipy.signal.sos2zpk(host)
    if like is None or library_of(like) in ("numpy", "dask"):
        return _in_namespace((z, p, _scalar(k, xp)), xp, device_of(like))
    real = _floating(xp, *_as_arrays(xp, like, sos))
    k = _in_namespace(np.asarray(k), xp, device_of(like), real)
    return (*_in_namespace((z, p), xp, device_of(like)), k)


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def bilinear(b, a, fs=1.0, *, xp):
    """A digital filter from an analog one by the bilinear transform (`scipy.signal.bilinear`).

    Computed on the host with SciPy (its polynomials lose their leading zeros), returned in the
    library and on the device of ``b`` and ``a``, float64 (complex128 for complex input) as SciPy
    1.17 returns them.

    Parameters
    ----------
    b : array_like
        Numerator of the analog transfer function (1-D).
    a : array_like
        Denominator of the analog transfer function (1-D).
    fs : float
        Sample rate, as ordinary frequency (e.g., hertz). No prewarping is done.

    Returns
    -------
    beta, alpha : array
        Numerator and denominator of the digital transfer function.

    Examples
    --------
    >>> from gsci.signal import bilinear
    >>> b, a = bilinear([1.0], [1.0, 1.0], fs=0.5)
    >>> b.tolist(), a.tolist()
    ([0.5, 0.5], [1.0, 0.0])
    """
    like, host = _on_host({"b": b, "a": a}, "bilinear")
    return _in_namespace(scipy.signal.bilinear(*host, fs=fs), xp, device_of(like))


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def lp2lp(b, a, wo=1.0, *, xp):
    """Move a lowpass prototype's cutoff to ``wo``, in ba form (`scipy.signal.lp2lp`).

    Computed on the host with SciPy (normalized polynomials), returned in the library and on the
    device of ``b`` and ``a``, float64 (complex128 for complex input) as SciPy 1.17 returns them.

    Parameters
    ----------
    b : array_like
        Numerator polynomial coefficients.
    a : array_like
        Denominator polynomial coefficients.
    wo : float
        Desired cutoff, as angular frequency (e.g. rad/s). Defaults to no change.

    Returns
    -------
    b, a : array
        Numerator and denominator of the transformed low-pass filter.

    Examples
    --------
    >>> from gsci.signal import lp2lp
    >>> b, a = lp2lp([1.0], [1.0, 1.0], wo=2.0)
    >>> b.tolist(), a.tolist()
    ([2.0], [1.0, 2.0])
    """
    like, host = _on_host({"b": b, "a": a}, "lp2lp")
    return _in_namespace(scipy.signal.lp2lp(*host, wo=_host_copy(wo, "wo", "lp2lp")), xp, device_of(like))


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def lp2hp(b, a, wo=1.0, *, xp):
    """A highpass filter from a lowpass prototype, in ba form (`scipy.signal.lp2hp`).

    Computed on the host with SciPy (normalized polynomials), returned in the library and on the
    device of ``b`` and ``a``, in their floating dtype (integers: the library's default float).

    Parameters
    ----------
    b : array_like
        Numerator polynomial coefficients.
    a : array_like
        Denominator polynomial coefficients.
    wo : float
        Desired cutoff, as angular frequency (e.g., rad/s). Defaults to no change.

    Returns
    -------
    b, a : array
        Numerator and denominator of the high-pass filter.

    Examples
    --------
    >>> from gsci.signal import lp2hp
    >>> b, a = lp2hp([1.0], [1.0, 1.0], wo=2.0)
    >>> b.tolist(), a.tolist()
    ([1.0, 0.0], [1.0, 2.0])
    """
    return _transformed("lp2hp", xp, b, a, wo=wo)


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def lp2bp(b, a, wo=1.0, bw=1.0, *, xp):
    """A bandpass filter from a lowpass prototype, in ba form (`scipy.signal.lp2bp`).

    Computed on the host with SciPy (normalized polynomials), returned in the library and on the
    device of ``b`` and ``a``, in their floating dtype (integers: the library's default float).

    Parameters
    ----------
    b : array_like
        Numerator polynomial coefficients.
    a : array_like
        Denominator polynomial coefficients.
    wo : float
        Desired passband center, as angular frequency (e.g., rad/s). Defaults to no change.
    bw : float
        Desired passband width, as angular frequency (e.g., rad/s). Defaults to 1.

    Returns
    -------
    b, a : array
        Numerator and denominator of the band-pass filter.

    Examples
    --------
    >>> from gsci.signal import lp2bp
    >>> b, a = lp2bp([1.0], [1.0, 1.0], wo=1.0, bw=2.0)
    >>> b.tolist(), a.tolist()
    ([2.0, 0.0], [1.0, 2.0, 1.0])
    """
    return _transformed("lp2bp", xp, b, a, wo=wo, bw=bw)


@gsci_function("signal", arrays=("b", "a"), scipy_for=_HOST_IS_FASTER)
def lp2bs(b, a, wo=1.0, bw=1.0, *, xp):
    """A bandstop filter from a lowpass prototype, in ba form (`scipy.signal.lp2bs`).

    Computed on the host with SciPy (normalized polynomials), returned in the library and on the
    device of ``b`` and ``a``, in their floating dtype (integers: the library's default float).

    Parameters
    ----------
    b : array_like
        Numerator polynomial coefficients.
    a : array_like
        Denominator polynomial coefficients.
    wo : float
        Desired stopband center, as angular frequency (e.g., rad/s). Defaults to no change.
    bw : float
        Desired stopband width, as angular frequency (e.g., rad/s). Defaults to 1.

    Returns
    -------
    b, a : array
        Numerator and denominator of the band-stop filter.

    Examples
    --------
    >>> from gsci.signal import lp2bs
    >>> b, a = lp2bs([1.0], [1.0, 1.0], wo=1.0, bw=2.0)
    >>> b.tolist(), a.tolist()
    ([1.0, 0.0, 1.0], [1.0, 2.0, 1.0])
    """
    return _transformed("lp2bs", xp, b, a, wo=wo, bw=bw)


def _on_host(named, function):
    """The first array among ``named`` (name -> value) and every value as SciPy takes it, on the host."""
    like = next((v for v in named.values() if is_array(v)), None)
    return like, [_host_copy(value, name, function) for name, value in named.items()]


def _scalar(k, xp):
    """SciPy's NumPy scalar gain: itself for NumPy, a 0-d array for any other library."""
    return k if is_numpy_namespace(xp) else np.asarray(k)


def _as_arrays(xp, like, *values):
    return [as_array(v, xp, like) for v in values]


def _complex_of(dtype, xp):
    if xp.isdtype(dtype, "complex floating"):
        return dtype
    return xp.complex64 if dtype == xp.float32 else xp.complex128


def _transformed(name, xp, b, a, **frequencies):
    """``scipy.signal.<name>(b, a, **frequencies)`` on the host, in the floating dtype of ``b`` and ``a``."""
    like, host = _on_host({"b": b, "a": a}, name)
    frequencies = {key: _host_copy(value, key, name) for key, value in frequencies.items()}
    dtype = _floating(xp, *_as_arrays(xp, like, b, a))
    return _in_namespace(getattr(scipy.signal, name)(*host, **frequencies), xp, device_of(like), dtype)
