"""Windows that need more than element-wise operations: a Bessel function, an FFT, an eigenproblem.

`kaiser`, `kaiser_bessel_derived`, `chebwin` and `dpss` are computed with NumPy (and
SciPy's tridiagonal eigensolver) on the host, from their scalar parameters alone, and
moved once to the requested library and device: the Array API has no Bessel function
I0 and no eigensolver, and Dask takes an FFT only along one chunk. `taylor` is built
in the target library.
"""

import operator
import warnings

import numpy as np
import scipy.special

from gsci.signal.windows._common import (
    indices,
    make_window,
    scipy_for_numpy,
    shared_docs,
    window_length,
    window_namespace,
)


def _kaiser_on_host(n, beta):
    """The symmetric Kaiser window of ``n > 1`` points, as a NumPy array."""
    k = np.arange(n, dtype=np.float64)
    middle = (n - 1) / 2.0
    i0 = scipy.special.i0  # SciPy's ufunc: NumPy's np.i0 is Python code, 20 times slower on small windows
    return i0(beta * np.sqrt(1 - ((k - middle) / middle) ** 2.0)) / i0(np.float64(beta))


@shared_docs
def kaiser(M, beta, sym=True, *, xp=None, device=None):
    """Kaiser window, ``I0(beta * sqrt(1 - (2 n / (M - 1) - 1)**2)) / I0(beta)``.

    The Array API has no modified Bessel function I0, so this window is
    computed with SciPy's ``scipy.special.i0`` on the host, from ``M`` and ``beta``
    alone, and moved once to ``device`` with ``xp.asarray``.

    Parameters
    ----------
    {M}
    beta : float
        Shape parameter: 0 is a `boxcar`, 5 is close to `hamming`, 6 to `hann`,
        8.6 to `blackman`.
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import kaiser
    >>> [round(v, 4) for v in kaiser(3, beta=8.6).tolist()]
    [0.0013, 1.0, 0.0013]
    """

    def samples(n, xp, device):
        return xp.asarray(_kaiser_on_host(n, beta), device=device)

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def kaiser_bessel_derived(M, beta, *, sym=True, xp=None, device=None):
    """Kaiser-Bessel derived window, for the modified discrete cosine transform (MDCT).

    Computed with NumPy on the host from ``M`` and ``beta`` alone, as `kaiser`
    is, and moved once to ``device``.

    Parameters
    ----------
    M : int
        Number of points in the output window, even. Below 1, an empty array is
        returned (of ``xp``'s default floating dtype, as SciPy returns).
    beta : float
        Kaiser window shape parameter.
    sym : bool, optional
        Must be True (``ValueError`` otherwise): the window is only defined as
        symmetric; the parameter exists for `get_window`.
    {xp_device}

    Returns
    -------
    w : array
        The window, float64, normalized to fulfil the Princen-Bradley condition.

    Examples
    --------
    >>> from gsci.signal.windows import kaiser_bessel_derived
    >>> [round(v, 4) for v in kaiser_bessel_derived(4, beta=1.5).tolist()]
    [0.5237, 0.8519, 0.8519, 0.5237]
    """
    xp = window_namespace(xp)
    if not sym:
        raise ValueError(f"Kaiser-Bessel Derived windows are only defined for symmetric shapes, got {sym=}")
    if M < 1:
        return xp.asarray([], device=device)
    if M % 2:
        raise ValueError(
            f"Kaiser-Bessel Derived windows are only defined for even number of points, got {M=}"
        )
    cumulative = np.cumsum(_kaiser_on_host(window_length(M // 2 + 1, float_error=None), beta))
    half = np.sqrt(cumulative[:-1] / cumulative[-1])
    return xp.asarray(np.concatenate([half, half[::-1]]), device=device)


def _chebwin_on_host(n, at):
    """The symmetric Dolph-Chebyshev window of ``n > 1`` points, as a NumPy array.

    The real part of the DFT of the Chebyshev polynomial ``T_{n-1}`` sampled on the unit circle.
    """
    order = n - 1.0
    beta = np.cosh(1.0 / order * np.arccosh(10 ** (abs(at) / 20.0)))
    k = np.arange(n, dtype=np.float64)
    x = beta * np.cos(np.pi * k / n)
    p = np.empty(n)
    inside = np.abs(x) <= 1  # each branch evaluated only where its argument is in its domain
    p[inside] = np.cos(order * np.arccos(x[inside]))
    outside = x[~inside]
    p[~inside] = np.where(outside > 1, 1, 2 * (n % 2) - 1) * np.cosh(order * np.arccosh(np.abs(outside)))
    if n % 2:
        w = np.fft.rfft(p).real
        w = np.concatenate([w[:0:-1], w])
    else:
        w = np.fft.fft(p * np.exp(1j * np.pi / n * k))[: n // 2 + 1].real
        w = np.concatenate([w[:0:-1], w[1:]])
    return w / np.max(w)


@shared_docs
def chebwin(M, at, sym=True, *, xp=None, device=None):
    """Dolph-Chebyshev window: the narrowest main lobe for a given side-lobe attenuation.

    Computed with NumPy on the host from ``M`` and ``at`` alone (an FFT, which
    Dask takes only on one chunk) and moved once to ``device``.

    Parameters
    ----------
    {M}
    at : float
        Attenuation of the side lobes, in dB. Below 45 dB, a ``UserWarning`` says
        the window does not suit spectral analysis (as SciPy's).
    {sym}
    {xp_device}

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``), with its maximum value
        always normalized to 1.

    Examples
    --------
    >>> from gsci.signal.windows import chebwin
    >>> [round(v, 4) for v in chebwin(5, at=100).tolist()]
    [0.1687, 0.6687, 1.0, 0.6687, 0.1687]
    """
    if abs(at) < 45:
        warnings.warn(
            "This window is not suitable for spectral analysis for attenuation values lower than "
            "about 45dB because the equivalent noise bandwidth of a Chebyshev window does not grow "
            "monotonically with increasing sidelobe attenuation when the attenuation is smaller "
            f"than about 45 dB, got {at=}.",
            stacklevel=2,
        )

    def samples(n, xp, device):
        return xp.asarray(_chebwin_on_host(n, at), device=device)

    return make_window(M, sym, xp, device, samples)


def _taylor_coefficients(nbar, sll):
    """The ``nbar - 1`` cosine coefficients ``Fm`` of a Taylor window (NumPy, on the host)."""
    nbar = operator.index(nbar)
    if nbar < 1:
        raise ValueError(f"nbar must be a positive integer, got {nbar=}")
    A = np.arccosh(np.float64(10 ** (sll / 20))) / np.pi
    s2 = nbar**2 / (A**2 + (nbar - 0.5) ** 2)
    ma = np.arange(1, nbar, dtype=np.float64)
    m2 = ma * ma
    signs = np.where(ma % 2 == 1, 1.0, -1.0)
    numerators = signs * np.prod(1 - m2[:, None] / s2 / (A**2 + (ma - 0.5) ** 2), axis=1)
    ratios = 1 - m2[:, None] / m2
    np.fill_diagonal(ratios, 1.0)  # the product skips m == m'
    return numerators / (2 * np.prod(ratios, axis=1))


@shared_docs
def taylor(M, nbar=4, sll=30, norm=True, sym=True, *, xp=None, device=None):
    """Taylor window, used in radar: ``nbar`` near side lobes at ``-sll`` dB.

    Its ``nbar - 1`` coefficients are computed from ``nbar`` and ``sll`` with
    NumPy on the host; the window is built from them in ``xp`` on ``device``.

    Parameters
    ----------
    {M}
    nbar : int, optional
        Number of nearly constant level side lobes adjacent to the main lobe.
    sll : float, optional
        Desired suppression of the side lobes, in dB relative to the DC gain of
        the main lobe (a positive number).
    norm : bool, optional
        When True (default), the window is divided by its value in the middle
        (between the two middle samples for an even length), so it peaks at 1.
        When False, the DC gain is 1 (0 dB) and the side lobes ``sll`` dB down.
    {sym}
    {xp_device}

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``); with ``norm``, its
        maximum value is normalized to 1.

    Examples
    --------
    >>> from gsci.signal.windows import taylor
    >>> [round(v, 4) for v in taylor(5, nbar=2, sll=15).tolist()]
    [0.758, 0.9076, 1.0, 0.9076, 0.758]
    """

    def samples(n, xp, device):
        coefficients = _taylor_coefficients(nbar, sll)
        ma = indices(coefficients.shape[0] + 1, xp, device, start=1)
        phase = 2 * xp.pi * ma[:, None] * (indices(n, xp, device) - n / 2.0 + 0.5) / n
        w = 1 + 2 * xp.matmul(xp.asarray(coefficients, device=device), xp.cos(phase))
        return w * (1.0 / (1 + 2 * float(np.sum(coefficients)))) if norm else w

    return make_window(M, sym, xp, device, samples, float_error=None)


_DPSS_NORMS = (2, "approximate", "subsample")


def _dpss_on_host(n, NW, Kmax, norm, return_ratios):
    """SciPy's DPSS tapers of ``n`` points (``(Kmax, n)``) and their concentration ratios, in NumPy."""
    from scipy.linalg import eigh_tridiagonal

    half_bandwidth = float(NW) / n
    k = np.arange(n, dtype=np.float64)
    diagonal = ((n - 1 - 2 * k) / 2.0) ** 2 * np.cos(2 * np.pi * half_bandwidth)
    off_diagonal = k[1:] * (n - k[1:]) / 2.0
    _, tapers = eigh_tridiagonal(diagonal, off_diagonal, select="i", select_range=(n - Kmax, n - 1))
    tapers = tapers[:, ::-1].T.copy()
    # Percival and Walden's signs: symmetric tapers average positive, antisymmetric ones start positive
    tapers[::2][tapers[::2].sum(axis=1) < 0] *= -1
    odd = tapers[1::2]
    first = np.argmax(odd * odd > max(1e-7, 1.0 / n), axis=1)
    odd[odd[np.arange(odd.shape[0]), first] < 0] *= -1
    ratios = _concentrations(tapers, half_bandwidth) if return_ratios else None
    if norm != 2:
        tapers /= tapers.max()
        if n % 2 == 0:
            tapers *= _even_correction(tapers[0], n, NW, norm)
    return tapers, ratios


def _concentrations(tapers, half_bandwidth):
    """Each taper's energy in the band, from its autocorrelation (Percival and Walden, p. 390)."""
    n = tapers.shape[1]
    spectrum = np.fft.rfft(tapers, 2 * n - 1, axis=-1)
    autocorrelation = np.fft.irfft(spectrum * spectrum.conj(), n=2 * n - 1)[:, :n]
    r = 4 * half_bandwidth * np.sinc(2 * half_bandwidth * np.arange(n))
    r[0] = 2 * half_bandwidth
    return autocorrelation @ r


def _even_correction(taper, n, NW, norm):
    """The scale an even-length taper normalized by its maximum needs: approximate, or by subsample shift."""
    if norm == "approximate":
        return n**2 / float(n**2 + NW)
    s = np.fft.rfft(taper)
    shift = -(1 - 1.0 / n) * np.arange(1, n // 2 + 1, dtype=np.float64)
    s[1:] *= 2 * np.exp(-1j * np.pi * shift)
    return n / s.real.sum()


@scipy_for_numpy
@shared_docs
def dpss(M, NW, Kmax=None, sym=True, norm=None, return_ratios=False, *, xp=None, device=None):
    """Discrete prolate spheroidal sequences (DPSS, Slepian tapers).

    The tapers solve a symmetric tridiagonal eigenproblem, which the Array API
    cannot: they are computed with NumPy and SciPy (`scipy.linalg.eigh_tridiagonal`)
    on the host, from the scalar parameters alone, and moved once to ``device``.

    Parameters
    ----------
    {M}
    NW : float
        Standardized half bandwidth, ``2 * NW = BW / f0 = BW * M * dt`` with
        ``dt = 1``; positive and less than ``M / 2``.
    Kmax : int or None, optional
        Number of tapers to return (orders ``0`` to ``Kmax - 1``), ``0 < Kmax <= M``.
        If None (default), return one window of shape ``(M,)`` instead of an array
        of shape ``(Kmax, M)``.
    {sym}
    norm : {{2, 'approximate', 'subsample'}}, optional
        ``'approximate'`` or ``'subsample'``: normalized by the maximum, with a
        correction for even lengths, ``M**2 / (M**2 + NW)`` or an FFT-based
        subsample shift. 2: the l2 norm. Default: ``'approximate'`` when ``Kmax``
        is None, else 2.
    return_ratios : bool, optional
        If True, also return the concentration ratios.
    {xp_device}

    Returns
    -------
    v : array, shape (Kmax, M) or (M,)
        The tapers, float64; 1-D if ``Kmax`` is None.
    r : array, shape (Kmax,) or ()
        The concentration ratios, only if ``return_ratios``; 0-D if ``Kmax`` is
        None. For ``M <= 1``, as in SciPy: the float ``1.0`` if ``Kmax`` is None,
        else ``[1.0]`` (and the window is ``ones(M)`` whatever ``Kmax``).

    Examples
    --------
    >>> from gsci.signal.windows import dpss
    >>> [round(v, 4) for v in dpss(5, 1.5).tolist()]
    [0.2608, 0.7408, 1.0, 0.7408, 0.2608]
    >>> tapers, ratios = dpss(16, 2.0, Kmax=3, return_ratios=True)
    >>> tapers.shape, [round(r, 3) for r in ratios.tolist()]
    ((3, 16), [1.0, 0.998, 0.962])
    """
    xp = window_namespace(xp)
    if norm is None:
        norm = "approximate" if Kmax is None else 2
    if norm not in _DPSS_NORMS:
        raise ValueError(f"norm must be one of {_DPSS_NORMS}, got {norm=}")
    singleton = Kmax is None
    Kmax = 1 if singleton else Kmax
    M = window_length(M, float_error=ValueError)
    if M <= 1:
        ones = xp.ones(M, dtype=xp.float64, device=device)
        if not return_ratios:
            return ones
        return (ones, 1.0) if singleton else (ones, xp.ones(1, dtype=xp.float64, device=device))
    Kmax = _checked_dpss_parameters(M, NW, Kmax)
    tapers, ratios = _dpss_on_host(M if sym else M + 1, NW, Kmax, norm, return_ratios)
    tapers = tapers if sym else tapers[:, :-1]
    tapers = xp.asarray(tapers[0] if singleton else tapers, device=device)
    if not return_ratios:
        return tapers
    return tapers, xp.asarray(ratios[0] if singleton else ratios, device=device)


def _checked_dpss_parameters(M, NW, Kmax):
    """``Kmax`` as an int, after SciPy's checks of ``Kmax`` and ``NW``."""
    try:
        Kmax = operator.index(Kmax)
    except TypeError as e:
        raise TypeError(f"Kmax must be an integer, got {Kmax=}") from e
    if not 0 < Kmax <= M:
        raise ValueError(f"Kmax must be greater than 0 and less than M, got {Kmax=}, {M=}")
    if NW >= M / 2.0:
        raise ValueError(f"NW must be less than M/2., got {NW=}, {M=}")
    if NW <= 0:
        raise ValueError(f"NW must be positive, got {NW=}")
    return Kmax
