"""Windows that are weighted sums of cosines: `general_cosine` and its named members."""

from gsci._lib._arrays import is_array
from gsci._lib._compat import array_namespace
from gsci._lib._compat import device as device_of
from gsci.signal.windows._common import make_window, shared_docs

_BLACKMAN = (0.42, 0.50, 0.08)
_NUTTALL = (0.3635819, 0.4891775, 0.1365995, 0.0106411)
_BLACKMANHARRIS = (0.35875, 0.48829, 0.14128, 0.01168)
_FLATTOP = (0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368)


def cosine_sum(a):
    """``samples`` for the sum of ``a[k] * cos(k * x)`` over ``x`` evenly spaced in [-pi, pi]."""

    def samples(n, xp, device):
        coefficients = xp.asarray(a, dtype=xp.float64, device=device)
        if coefficients.ndim == 0:  # SciPy's error: it takes the length of a
            raise IndexError(f"coefficients a must be a sequence, got {a=}")
        if coefficients.ndim != 1:
            raise ValueError(f"coefficients a must be one-dimensional, got shape {coefficients.shape}")
        x = xp.linspace(-xp.pi, xp.pi, n, dtype=xp.float64, device=device)
        w = xp.zeros(n, dtype=xp.float64, device=device)
        for k in range(coefficients.shape[0]):  # term by term, SciPy's order: the same rounding
            w = w + coefficients[k] * xp.cos(k * x)
        return w

    return samples


@shared_docs
def general_cosine(M, a, sym=True):
    """Generic weighted sum of cosine terms window.

    Parameters
    ----------
    {M}
    a : array_like
        Sequence of weighting coefficients, centred on the origin (typically all
        positive). An array sets the output's library and device, as in SciPy; a
        Python sequence gives a NumPy array.
    {sym}

    Returns
    -------
    w : array
        The window, float64, in the library and on the device of ``a``.

    Examples
    --------
    >>> from gsci.signal.windows import general_cosine
    >>> general_cosine(5, [0.5, 0.5]).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return general_cosine_in(M, a, sym)


def general_cosine_in(M, a, sym=True, *, xp=None, device=None):
    """`general_cosine` in ``xp`` on ``device``; by default where ``a`` lives (NumPy for a sequence)."""
    if xp is None and device is None and is_array(a):
        xp, device = array_namespace(a), device_of(a)
    return make_window(M, sym, xp, device, cosine_sum(a))


@shared_docs
def general_hamming(M, alpha, sym=True, *, xp=None, device=None):
    """Generalized Hamming window, ``alpha - (1 - alpha) * cos(2 pi n / (M - 1))``.

    Parameters
    ----------
    {M}
    alpha : float
        The window coefficient.
    {sym}
    {xp_device}

    Returns
    -------
    {w}

    Examples
    --------
    >>> from gsci.signal.windows import general_hamming
    >>> general_hamming(3, 0.75).tolist()
    [0.5, 1.0, 0.5]
    """
    return make_window(M, sym, xp, device, cosine_sum([alpha, 1.0 - alpha]))


@shared_docs
def hann(M, sym=True, *, xp=None, device=None):
    """Hann window: `general_hamming` with ``alpha=0.5``.

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
    >>> from gsci.signal.windows import hann
    >>> hann(4, sym=False).tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    return general_hamming(M, 0.5, sym, xp=xp, device=device)


@shared_docs
def hamming(M, sym=True, *, xp=None, device=None):
    """Hamming window: `general_hamming` with ``alpha=0.54``.

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
    >>> from gsci.signal.windows import hamming
    >>> [round(v, 2) for v in hamming(3).tolist()]
    [0.08, 1.0, 0.08]
    """
    return general_hamming(M, 0.54, sym, xp=xp, device=device)


@shared_docs
def blackman(M, sym=True, *, xp=None, device=None):
    """Blackman window: `general_cosine` with coefficients ``[0.42, 0.50, 0.08]``.

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
    >>> from gsci.signal.windows import blackman
    >>> [round(v, 2) for v in blackman(5).tolist()[1:-1]]
    [0.34, 1.0, 0.34]
    """
    return make_window(M, sym, xp, device, cosine_sum(_BLACKMAN))


@shared_docs
def nuttall(M, sym=True, *, xp=None, device=None):
    """Minimum 4-term Blackman-Harris window according to Nuttall.

    `general_cosine` with coefficients
    ``[0.3635819, 0.4891775, 0.1365995, 0.0106411]``.

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
    >>> from gsci.signal.windows import nuttall
    >>> [round(v, 4) for v in nuttall(3).tolist()]
    [0.0004, 1.0, 0.0004]
    """
    return make_window(M, sym, xp, device, cosine_sum(_NUTTALL))


@shared_docs
def blackmanharris(M, sym=True, *, xp=None, device=None):
    """Minimum 4-term Blackman-Harris window.

    `general_cosine` with coefficients ``[0.35875, 0.48829, 0.14128, 0.01168]``.

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
    >>> from gsci.signal.windows import blackmanharris
    >>> [round(v, 5) for v in blackmanharris(3).tolist()]
    [6e-05, 1.0, 6e-05]
    """
    return make_window(M, sym, xp, device, cosine_sum(_BLACKMANHARRIS))


@shared_docs
def flattop(M, sym=True, *, xp=None, device=None):
    """Flat top window: `general_cosine` with five coefficients that flatten the passband.

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
    >>> from gsci.signal.windows import flattop
    >>> [round(v, 4) for v in flattop(3).tolist()]
    [-0.0004, 1.0, -0.0004]
    """
    return make_window(M, sym, xp, device, cosine_sum(_FLATTOP))
