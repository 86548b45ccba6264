"""The windows of `scipy.signal.windows` and `get_window`, created in any Array API library.

Each window is computed with the target library's own functions on the target device: a window is a
few element-wise operations on M samples, so building it where it is used costs no host-to-device copy
and keeps `general_cosine`'s coefficients where they live, even under ``jax.jit``; only `kaiser`
evaluates its Bessel function I0, which the Array API lacks, with NumPy on the host.

Differences from SciPy 1.17, all deliberate:

- ``M`` must be an integer: an integral float such as ``3.0`` raises ``TypeError`` in every window
  (SciPy's `triang`, `bartlett`, `kaiser` and `gaussian` happen to accept it, its other windows raise
  ``TypeError`` too).
- `get_window` knows only the windows defined here; SciPy's other names (``'chebwin'``, ``'dpss'``,
  ``'nuttall'``, ...) raise ``ValueError`` naming the supported ones.
- ``get_window(('general_cosine', a), Nx, xp=xp, device=device)`` builds the window in ``xp`` on
  ``device``, where SciPy raises ``ValueError``.
"""

import math
import numbers
import operator

import numpy as np

from gsci._lib._arrays import is_array, requested_namespace
from gsci._lib._compat import array_namespace
from gsci._lib._compat import device as device_of

__all__ = [
    "bartlett",
    "blackman",
    "boxcar",
    "flattop",
    "gaussian",
    "general_cosine",
    "general_hamming",
    "get_window",
    "hamming",
    "hann",
    "kaiser",
    "triang",
    "tukey",
]

_BLACKMAN = (0.42, 0.50, 0.08)
_FLATTOP = (0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368)


def _window_length(M):
    """``M`` as an int; ``ValueError`` (SciPy's) if negative or fractional, ``TypeError`` if no integer."""
    if int(M) != M or M < 0:
        raise ValueError(f"Window length M must be a non-negative integer, got {M=}")
    message = f"Window length M must be an integer, got {type(M).__name__} {M=}"
    if isinstance(M, bool):
        raise TypeError(message)
    try:
        return operator.index(M)
    except TypeError as e:
        raise TypeError(message) from e


def _window(M, sym, xp, device, samples):
    """The window of length ``M``: ``samples(n, xp, device)`` computes the symmetric window of ``n`` points.

    A periodic window (``sym=False``) is the symmetric window of ``M + 1`` points without its last one.
    """
    xp = requested_namespace(xp)
    M = _window_length(M)
    if M <= 1:
        return xp.ones(M, dtype=xp.float64, device=device)
    n = M if sym else M + 1
    w = samples(n, xp, device)
    return w if sym else w[:-1]


def _indices(n, xp, device, start=0):
    return xp.arange(start, n, dtype=xp.float64, device=device)


def _cosine_sum(a):
    """``samples`` for the sum of ``a[k] * cos(k * x)`` over ``x`` evenly spaced in [-pi, pi]."""

    def samples(n, xp, device):
        coefficients = xp.asarray(a, dtype=xp.float64, device=device)
        if coefficients.ndim != 1:
            raise ValueError(f"coefficients a must be one-dimensional, got shape {coefficients.shape}")
        x = xp.linspace(-xp.pi, xp.pi, n, dtype=xp.float64, device=device)
        w = xp.zeros(n, dtype=xp.float64, device=device)
        for k in range(coefficients.shape[0]):  # term by term, SciPy's order: the same rounding
            w = w + coefficients[k] * xp.cos(k * x)
        return w

    return samples


def general_cosine(M, a, sym=True):
    """Generic weighted sum of cosine terms window.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    a : array_like
        Sequence of weighting coefficients. An array sets the output's library and
        device; a Python sequence gives a NumPy array.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.

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
    return _general_cosine(M, a, sym)


def _general_cosine(M, a, sym=True, *, xp=None, device=None):
    """`general_cosine` in ``xp`` on ``device``; by default where ``a`` lives (NumPy for a sequence)."""
    if xp is None and device is None and is_array(a):
        xp, device = array_namespace(a), device_of(a)
    return _window(M, sym, xp, device, _cosine_sum(a))


def general_hamming(M, alpha, sym=True, *, xp=None, device=None):
    """Generalized Hamming window, ``alpha - (1 - alpha) * cos(2 pi n / (M - 1))``.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    alpha : float
        The window coefficient.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import general_hamming
    >>> general_hamming(3, 0.75).tolist()
    [0.5, 1.0, 0.5]
    """
    return _window(M, sym, xp, device, _cosine_sum([alpha, 1.0 - alpha]))


def hann(M, sym=True, *, xp=None, device=None):
    """Hann window: `general_hamming` with ``alpha=0.5``.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import hann
    >>> hann(4, sym=False).tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    return general_hamming(M, 0.5, sym, xp=xp, device=device)


def hamming(M, sym=True, *, xp=None, device=None):
    """Hamming window: `general_hamming` with ``alpha=0.54``.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import hamming
    >>> [round(v, 2) for v in hamming(3).tolist()]
    [0.08, 1.0, 0.08]
    """
    return general_hamming(M, 0.54, sym, xp=xp, device=device)


def blackman(M, sym=True, *, xp=None, device=None):
    """Blackman window: `general_cosine` with coefficients ``[0.42, 0.50, 0.08]``.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import blackman
    >>> [round(v, 2) for v in blackman(5).tolist()[1:-1]]
    [0.34, 1.0, 0.34]
    """
    return _window(M, sym, xp, device, _cosine_sum(_BLACKMAN))


def flattop(M, sym=True, *, xp=None, device=None):
    """Flat top window: `general_cosine` with five coefficients that flatten the passband.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import flattop
    >>> [round(v, 4) for v in flattop(3).tolist()]
    [-0.0004, 1.0, -0.0004]
    """
    return _window(M, sym, xp, device, _cosine_sum(_FLATTOP))


def boxcar(M, sym=True, *, xp=None, device=None):
    """Boxcar (rectangular) window: all ones.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        Whether the window is symmetric; a boxcar is the same either way.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import boxcar
    >>> boxcar(3).tolist()
    [1.0, 1.0, 1.0]
    """
    return _window(M, sym, xp, device, lambda n, xp, device: xp.ones(n, dtype=xp.float64, device=device))


def triang(M, sym=True, *, xp=None, device=None):
    """Triangular window, nonzero at its ends (unlike `bartlett`).

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import triang
    >>> triang(3).tolist()
    [0.5, 1.0, 0.5]
    """

    def samples(n, xp, device):
        k = _indices((n + 1) // 2 + 1, xp, device, start=1)
        if n % 2 == 0:
            half = (2 * k - 1.0) / n
            return xp.concat([half, xp.flip(half)])
        half = 2 * k / (n + 1.0)
        return xp.concat([half, xp.flip(half[:-1])])

    return _window(M, sym, xp, device, samples)


def bartlett(M, sym=True, *, xp=None, device=None):
    """Bartlett window: triangular, zero at its ends.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import bartlett
    >>> bartlett(5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """

    def samples(n, xp, device):
        k = _indices(n, xp, device)
        return xp.where(k <= (n - 1) / 2.0, 2.0 * k / (n - 1), 2.0 - 2.0 * k / (n - 1))

    return _window(M, sym, xp, device, samples)


def tukey(M, alpha=0.5, sym=True, *, xp=None, device=None):
    """Tukey (tapered cosine) window.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    alpha : float, optional
        Fraction of the window inside the cosine tapered region. If zero or less,
        the window is a `boxcar`; if one or more, a `hann` window.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

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
            return _cosine_sum([0.5, 0.5])(n, xp, device)
        k = _indices(n, xp, device)
        taper = math.floor(alpha * (n - 1) / 2.0)
        rise = 0.5 * (1 + xp.cos(xp.pi * (-1 + 2.0 * k / alpha / (n - 1))))
        fall = 0.5 * (1 + xp.cos(xp.pi * (-2.0 / alpha + 1 + 2.0 * k / alpha / (n - 1))))
        flat = xp.where(k >= n - taper - 1, fall, 1.0)
        return xp.where(k <= taper, rise, flat)

    return _window(M, sym, xp, device, samples)


def kaiser(M, beta, sym=True, *, xp=None, device=None):
    """Kaiser window, ``I0(beta * sqrt(1 - (2 n / (M - 1) - 1)**2)) / I0(beta)``.

    The Array API has no modified Bessel function I0, so this window is
    computed with NumPy (``np.i0``) on the host, from ``M`` and ``beta``
    alone, and moved once to ``device`` with ``xp.asarray``.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    beta : float
        Shape parameter: 0 is a `boxcar`, 5 is close to `hamming`, 6 to `hann`,
        8.6 to `blackman`.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import kaiser
    >>> [round(v, 4) for v in kaiser(3, beta=8.6).tolist()]
    [0.0013, 1.0, 0.0013]
    """

    def samples(n, xp, device):
        k = np.arange(n, dtype=np.float64)
        middle = (n - 1) / 2.0
        w = np.i0(beta * np.sqrt(1 - ((k - middle) / middle) ** 2.0)) / np.i0(np.float64(beta))
        return xp.asarray(w, device=device)

    return _window(M, sym, xp, device, samples)


def gaussian(M, std, sym=True, *, xp=None, device=None):
    """Gaussian window, ``exp(-(n - (M - 1) / 2)**2 / (2 std**2))``.

    Parameters
    ----------
    M : int
        Number of points in the output window. If zero, an empty array is returned.
    std : float
        The standard deviation, in samples.
    sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    w : array
        The window, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal.windows import gaussian
    >>> [round(v, 4) for v in gaussian(3, std=1.0).tolist()]
    [0.6065, 1.0, 0.6065]
    """

    def samples(n, xp, device):
        centred = _indices(n, xp, device) - (n - 1.0) / 2.0
        return xp.exp(-(centred**2) / (2 * std * std))

    return _window(M, sym, xp, device, samples)


# name -> (window, parameters): False takes none, True requires some, None allows both (SciPy's table).
_WINDOWS = {
    **dict.fromkeys(("bartlett", "bart", "brt"), (bartlett, False)),
    **dict.fromkeys(("blackman", "black", "blk"), (blackman, False)),
    **dict.fromkeys(("boxcar", "box", "ones", "rect", "rectangular"), (boxcar, False)),
    **dict.fromkeys(("flattop", "flat", "flt"), (flattop, False)),
    **dict.fromkeys(("gaussian", "gauss", "gss"), (gaussian, True)),
    **dict.fromkeys(("general cosine", "general_cosine"), (_general_cosine, True)),
    **dict.fromkeys(("general hamming", "general_hamming"), (general_hamming, True)),
    **dict.fromkeys(("hamming", "hamm", "ham"), (hamming, False)),
    **dict.fromkeys(("hann", "han"), (hann, False)),
    **dict.fromkeys(("kaiser", "ksr"), (kaiser, True)),
    **dict.fromkeys(("triangle", "triang", "tri"), (triang, False)),
    **dict.fromkeys(("tukey", "tuk"), (tukey, None)),
}


def _name_and_symmetry(name, fftbins):
    """``name`` without a ``'_symmetric'`` or ``'_periodic'`` suffix, and ``sym`` (the suffix wins)."""
    if name.endswith("_symmetric"):
        return name.removesuffix("_symmetric"), True
    if name.endswith("_periodic"):
        return name.removesuffix("_periodic"), False
    return name, not fftbins


def get_window(window, Nx, fftbins=True, *, xp=None, device=None):
    """A window of ``Nx`` points, chosen by name (and parameters), like `scipy.signal.get_window`.

    Parameters
    ----------
    window : str, tuple or float
        A window name (``'hann'``), a tuple of a name and its parameters
        (``('kaiser', 8.6)``, ``('tukey', 0.25)``, ``('gaussian', std)``,
        ``('general_cosine', a)``, ``('general_hamming', alpha)``), or a float,
        the ``beta`` of a `kaiser` window. A name may end in ``'_periodic'`` or
        ``'_symmetric'``, which overrides ``fftbins``. Names and aliases:
        ``'bartlett'`` (``'bart'``, ``'brt'``), ``'blackman'`` (``'black'``,
        ``'blk'``), ``'boxcar'`` (``'box'``, ``'ones'``, ``'rect'``,
        ``'rectangular'``), ``'flattop'`` (``'flat'``, ``'flt'``),
        ``'gaussian'`` (``'gauss'``, ``'gss'``), ``'general_cosine'``
        (``'general cosine'``), ``'general_hamming'`` (``'general hamming'``),
        ``'hamming'`` (``'hamm'``, ``'ham'``), ``'hann'`` (``'han'``),
        ``'kaiser'`` (``'ksr'``), ``'triang'`` (``'triangle'``, ``'tri'``),
        ``'tukey'`` (``'tuk'``).
    Nx : int
        The number of samples in the window.
    fftbins : bool, optional
        If True (default), create a periodic window, for spectral analysis; if
        False, a symmetric one, for filter design.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    get_window : array
        The window, float64, of ``Nx`` samples.

    Raises
    ------
    ValueError
        If ``Nx`` is not a positive integer, ``fftbins`` not a bool, or ``window``
        names no window defined here or has the wrong parameters.

    Notes
    -----
    SciPy's other windows (``'chebwin'``, ``'dpss'``, ``'nuttall'``, ...) raise
    ``ValueError`` here. ``('general_cosine', a)`` accepts ``xp`` and ``device``,
    where SciPy raises ``ValueError``.

    Examples
    --------
    >>> from gsci.signal import get_window
    >>> get_window("hann", 4).tolist()
    [0.0, 0.5, 1.0, 0.5]
    >>> get_window("hann_symmetric", 5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    if not (Nx > 0 and isinstance(Nx, numbers.Integral)):
        raise ValueError(f"Parameter {Nx=} is not a positive integer")
    if not isinstance(fftbins, bool):
        raise ValueError(f"Parameter {fftbins=} is not of type bool")
    if not isinstance(window, str | tuple):
        try:
            beta = float(window)
        except (TypeError, ValueError) as e:
            raise ValueError(f"Parameter {window=} must be a tuple, a string or a float") from e
        return kaiser(Nx, beta, not fftbins, xp=xp, device=device)
    if isinstance(window, tuple) and not isinstance(window[0], str):
        raise ValueError(f"First tuple entry of parameter {window=} is not a str")
    name, sym = _name_and_symmetry(window if isinstance(window, str) else window[0], fftbins)
    if name not in _WINDOWS:
        supported = ", ".join(repr(n) for n in _WINDOWS)
        raise ValueError(f"Invalid window name {name!r} in parameter {window=}; gsci supports {supported}")
    function, parameters = _WINDOWS[name]
    arguments = window[1:] if isinstance(window, tuple) else ()
    if arguments and parameters is False:
        raise ValueError(f"{name!r} does not allow parameters, but {window=}")
    if not arguments and parameters is True:
        raise ValueError(f"{name!r} must have parameters, but {window=}")
    return function(Nx, *arguments, sym=sym, xp=xp, device=device)
