"""Windows given by a closed formula in the sample index: a few element-wise operations each."""

import math

from gsci.signal.windows._common import centred_indices, indices, make_window, scipy_for_numpy, shared_docs
from gsci.signal.windows._cosine import cosine_sum


@shared_docs
def boxcar(M, sym=True, *, xp=None, device=None):
    """Boxcar (rectangular) window: all ones.

    Parameters
    ----------
    {M}
    sym : bool, optional
        Whether the window is symmetric; a boxcar is the same either way.
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import boxcar
    >>> boxcar(3).tolist()
    [1.0, 1.0, 1.0]
    """
    return make_window(M, sym, xp, device, lambda n, xp, device: xp.ones(n, dtype=xp.float64, device=device))


@shared_docs
def triang(M, sym=True, *, xp=None, device=None):
    """Triangular window, nonzero at its ends (unlike `bartlett`).

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import triang
    >>> triang(3).tolist()
    [0.5, 1.0, 0.5]
    """

    def samples(n, xp, device):
        k = indices((n + 1) // 2 + 1, xp, device, start=1)
        if n % 2 == 0:
            half = (2 * k - 1.0) / n
            return xp.concat([half, xp.flip(half)])
        half = 2 * k / (n + 1.0)
        return xp.concat([half, xp.flip(half[:-1])])

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def bartlett(M, sym=True, *, xp=None, device=None):
    """Bartlett window: triangular, zero at its ends.

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import bartlett
    >>> bartlett(5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """

    def samples(n, xp, device):
        k = indices(n, xp, device)
        return xp.where(k <= (n - 1) / 2.0, 2.0 * k / (n - 1), 2.0 - 2.0 * k / (n - 1))

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def parzen(M, sym=True, *, xp=None, device=None):
    """Parzen window: piecewise cubic, a B-spline of order 4.

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import parzen
    >>> [round(v, 4) for v in parzen(5).tolist()]
    [0.016, 0.424, 1.0, 0.424, 0.016]
    """

    def samples(n, xp, device):
        centred = xp.abs(indices(n, xp, device) - (n - 1) / 2.0)
        inner = 1 - 6 * (centred / (n / 2.0)) ** 2.0 + 6 * (centred / (n / 2.0)) ** 3.0
        outer = 2 * (1 - centred / (n / 2.0)) ** 3.0
        return xp.where(centred <= (n - 1) / 4.0, inner, outer)

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def bohman(M, sym=True, *, xp=None, device=None):
    """Bohman window: the convolution of two half-cosine lobes.

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import bohman
    >>> [round(v, 4) for v in bohman(5).tolist()]
    [0.0, 0.3183, 1.0, 0.3183, 0.0]
    """

    def samples(n, xp, device):
        x = xp.abs(xp.linspace(-1, 1, n, dtype=xp.float64, device=device)[1:-1])
        inner = (1 - x) * xp.cos(xp.pi * x) + 1.0 / xp.pi * xp.sin(xp.pi * x)
        end = xp.zeros(1, dtype=xp.float64, device=device)
        return xp.concat([end, inner, end])

    return make_window(M, sym, xp, device, samples)


@shared_docs
def barthann(M, sym=True, *, xp=None, device=None):
    """Modified Bartlett-Hann window.

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import barthann
    >>> [round(v, 2) for v in barthann(5).tolist()]
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """

    def samples(n, xp, device):
        x = xp.abs(indices(n, xp, device) / (n - 1.0) - 0.5)
        return 0.62 - 0.48 * x + 0.38 * xp.cos(2 * xp.pi * x)

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def cosine(M, sym=True, *, xp=None, device=None):
    """Cosine (sine) window: ``sin(pi (n + 0.5) / M)``.

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import cosine
    >>> [round(v, 4) for v in cosine(3).tolist()]
    [0.5, 1.0, 0.5]
    """

    def samples(n, xp, device):
        return xp.sin(xp.pi / n * (indices(n, xp, device) + 0.5))

    return make_window(M, sym, xp, device, samples, float_error=None)


@scipy_for_numpy  # SciPy's takes cosines on the ramps only: one array (one Dask chunk) here takes them all
@shared_docs
def tukey(M, alpha=0.5, sym=True, *, xp=None, device=None):
    """Tukey (tapered cosine) window.

    Parameters
    ----------
    {M}
    alpha : float, optional
        Fraction of the window inside the cosine tapered region. If zero or less,
        the window is a `boxcar`; if one or more, a `hann` window.
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import tukey
    >>> tukey(5, alpha=0.5).tolist()
    [0.0, 1.0, 1.0, 1.0, 0.0]
    """

    def samples(n, xp, device):
        if alpha <= 0:
            return xp.ones(n, dtype=xp.float64, device=device)
        if alpha >= 1.0:
            return cosine_sum([0.5, 0.5])(n, xp, device)
        k = indices(n, xp, device)
        taper = math.floor(alpha * (n - 1) / 2.0)
        t = 2.0 * k / alpha / (n - 1)
        rise = 0.5 * (1 + xp.cos(xp.pi * (-1 + t)))
        fall = 0.5 * (1 + xp.cos(xp.pi * (-2.0 / alpha + 1 + t)))
        flat = xp.where(k >= n - taper - 1, fall, 1.0)
        return xp.where(k <= taper, rise, flat)

    return make_window(M, sym, xp, device, samples)


@shared_docs
def lanczos(M, *, sym=True, xp=None, device=None):
    """Lanczos (sinc) window: the main lobe of ``sinc(2 n / (M - 1) - 1)``.

    Parameters
    ----------
    {M}
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Notes
    -----
    The right half is computed and mirrored, so the window is exactly symmetric.

    Examples
    --------
    >>> from gsci.signal.windows import lanczos
    >>> [round(v, 4) for v in lanczos(5).tolist()]
    [0.0, 0.6366, 1.0, 0.6366, 0.0]
    """

    def samples(n, xp, device):
        # x never hits 0 on the right half, so sin(pi x) / (pi x) needs no special case
        x = xp.pi * (2.0 * indices(n, xp, device, start=n // 2 + n % 2) / (n - 1) - 1.0)
        right = xp.sin(x) / x
        middle = [xp.ones(1, dtype=xp.float64, device=device)] if n % 2 else []
        return xp.concat([xp.flip(right), *middle, right])

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def exponential(M, center=None, tau=1.0, sym=True, *, xp=None, device=None):
    """Exponential (Poisson) window, ``exp(-|n - center| / tau)``.

    Parameters
    ----------
    {M}
    center : float, optional
        Where the window peaks. Default: ``(M - 1) / 2``, the only value allowed
        for a symmetric window (``ValueError`` otherwise).
    tau : float, optional
        The decay. For ``center = 0``, ``tau = -(M - 1) / ln(x)`` leaves a fraction
        ``x`` of the window at its end.
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import exponential
    >>> [round(v, 4) for v in exponential(3, tau=1.0).tolist()]
    [0.3679, 1.0, 0.3679]
    """
    if sym and center is not None:
        raise ValueError(f"If sym==True, center must be None, got {center=}")

    def samples(n, xp, device):
        offsets = centred_indices(n, xp, device) if center is None else indices(n, xp, device) - center
        return xp.exp(-xp.abs(offsets) / tau)

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def gaussian(M, std, sym=True, *, xp=None, device=None):
    """Gaussian window, ``exp(-(n - (M - 1) / 2)**2 / (2 std**2))``.

    Parameters
    ----------
    {M}
    std : float
        The standard deviation, in samples.
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import gaussian
    >>> [round(v, 4) for v in gaussian(3, std=1.0).tolist()]
    [0.6065, 1.0, 0.6065]
    """

    def samples(n, xp, device):
        centred = centred_indices(n, xp, device)
        return xp.exp(-(centred**2) / (2 * std * std))

    return make_window(M, sym, xp, device, samples, float_error=None)


@shared_docs
def general_gaussian(M, p, sig, sym=True, *, xp=None, device=None):
    """Generalized Gaussian window, ``exp(-0.5 |(n - (M - 1) / 2) / sig|**(2 p))``.

    Parameters
    ----------
    {M}
    p : float
        Shape parameter: 1 is a `gaussian`, 0.5 the shape of a Laplace distribution.
    sig : float
        The standard deviation, sigma.
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import general_gaussian
    >>> [round(v, 4) for v in general_gaussian(3, p=1.0, sig=1.0).tolist()]
    [0.6065, 1.0, 0.6065]
    """

    def samples(n, xp, device):
        centred = centred_indices(n, xp, device)
        return xp.exp(-0.5 * xp.abs(centred / sig) ** (2 * p))

    return make_window(M, sym, xp, device, samples, float_error=None)
