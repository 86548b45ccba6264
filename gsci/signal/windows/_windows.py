"""The windows of `scipy.signal.windows` and `get_window`, created in any Array API library.

Most windows are a few element-wise operations on ``M`` samples, computed with the
target library's own functions on the target device, so building a window where it
is used costs no host-to-device copy and works under ``jax.jit`` and lazily on Dask;
`general_cosine`'s coefficients stay where they live. `kaiser`,
`kaiser_bessel_derived` (a Bessel function I0), `chebwin` (an FFT, which Dask takes
only along one chunk) and `dpss` (a tridiagonal eigenproblem) need what the Array API
lacks: they are computed with NumPy and SciPy on the host, from their scalar
parameters alone, and moved once to the target device. Integral float lengths
(``3.0``) are accepted exactly where SciPy's window accepts them.

Differences from SciPy 1.17, all deliberate:

- Every array is created on ``device``: SciPy's `lanczos`, `dpss` for ``M <= 1``
  and `kaiser_bessel_derived` for ``M < 1`` create theirs on ``xp``'s default
  device whatever ``device`` says.
- `chebwin` works on JAX and Dask, and `taylor` on JAX, where SciPy's raise
  (they assign to array items).
"""

import numbers

from gsci.signal.windows._cosine import (
    blackman,
    blackmanharris,
    flattop,
    general_cosine,
    general_cosine_in,
    general_hamming,
    hamming,
    hann,
    nuttall,
)
from gsci.signal.windows._shapes import (
    barthann,
    bartlett,
    bohman,
    boxcar,
    cosine,
    exponential,
    gaussian,
    general_gaussian,
    lanczos,
    parzen,
    triang,
    tukey,
)
from gsci.signal.windows._special import chebwin, dpss, kaiser, kaiser_bessel_derived, taylor

__all__ = [
    "barthann",
    "bartlett",
    "blackman",
    "blackmanharris",
    "bohman",
    "boxcar",
    "chebwin",
    "cosine",
    "dpss",
    "exponential",
    "flattop",
    "gaussian",
    "general_cosine",
    "general_gaussian",
    "general_hamming",
    "get_window",
    "hamming",
    "hann",
    "kaiser",
    "kaiser_bessel_derived",
    "lanczos",
    "nuttall",
    "parzen",
    "taylor",
    "triang",
    "tukey",
]

_OPTIONAL = "optional"
# SciPy's table: names -> (window, parameters): False takes none, True requires some, or optional.
_WINDOWS = {
    name: entry
    for names, entry in {
        ("barthann", "brthan", "bth"): (barthann, False),
        ("bartlett", "bart", "brt"): (bartlett, False),
        ("blackman", "black", "blk"): (blackman, False),
        ("blackmanharris", "blackharr", "bkh"): (blackmanharris, False),
        ("bohman", "bman", "bmn"): (bohman, False),
        ("boxcar", "box", "ones", "rect", "rectangular"): (boxcar, False),
        ("chebwin", "cheb"): (chebwin, True),
        ("cosine", "halfcosine"): (cosine, False),
        ("dpss",): (dpss, True),
        ("exponential", "poisson"): (exponential, _OPTIONAL),
        ("flattop", "flat", "flt"): (flattop, False),
        ("gaussian", "gauss", "gss"): (gaussian, True),
        ("general cosine", "general_cosine"): (general_cosine_in, True),
        ("general gaussian", "general_gaussian", "general gauss", "general_gauss", "ggs"): (
            general_gaussian,
            True,
        ),
        ("general hamming", "general_hamming"): (general_hamming, True),
        ("hamming", "hamm", "ham"): (hamming, False),
        ("hann", "han"): (hann, False),
        ("kaiser", "ksr"): (kaiser, True),
        ("kaiser bessel derived", "kaiser_bessel_derived", "kbd"): (kaiser_bessel_derived, True),
        ("lanczos", "sinc"): (lanczos, False),
        ("nuttall", "nutl", "nut"): (nuttall, False),
        ("parzen", "parz", "par"): (parzen, False),
        ("taylor", "taylorwin"): (taylor, _OPTIONAL),
        ("triangle", "triang", "tri"): (triang, False),
        ("tukey", "tuk"): (tukey, _OPTIONAL),
    }.items()
    for name in names
}


def _name_and_symmetry(name, fftbins):
    """``name`` without a ``'_symmetric'`` or ``'_periodic'`` suffix, and ``sym`` (the suffix wins)."""
    if name.endswith("_symmetric"):
        return name.removesuffix("_symmetric"), True
    if name.endswith("_periodic"):
        return name.removesuffix("_periodic"), False
    return name, not fftbins


def _resolve(window, Nx, fftbins):
    """``(function, arguments, sym)`` for `get_window`'s arguments, checked as SciPy checks them."""
    if not (Nx > 0 and isinstance(Nx, numbers.Integral)):
        raise ValueError(f"Parameter {Nx=} is not a positive integer")
    if not isinstance(fftbins, bool):
        raise ValueError(f"Parameter {fftbins=} is not of type bool")
    if not isinstance(window, str | tuple):
        try:
            beta = float(window)
        except Exception as e:  # anything float() refuses, as SciPy
            raise ValueError(f"Parameter {window=} must be a tuple, a string or a float") from e
        return kaiser, (beta,), not fftbins
    if isinstance(window, tuple) and not isinstance(window[0], str):
        raise ValueError(f"First tuple entry of parameter {window=} is not a str")
    name, sym = _name_and_symmetry(window if isinstance(window, str) else window[0], fftbins)
    if name not in _WINDOWS:
        raise ValueError(f"Invalid window name '{name}' in parameter {window=}")
    function, parameters = _WINDOWS[name]
    arguments = window[1:] if isinstance(window, tuple) else ()
    if arguments and parameters is False:
        raise ValueError(f"'{name}' does not allow parameters, but {window=}")
    if not arguments and parameters is True:
        raise ValueError(f"'{name}' must have parameters, but {window=}")
    if function is dpss and len(arguments) != 1:
        raise ValueError(f"Window {name} must have one parameter (NW), but {window=}")
    return function, arguments, sym


def get_window(window, Nx, fftbins=True, *, xp=None, device=None):
    """A window of ``Nx`` points, chosen by name (and parameters), like `scipy.signal.get_window`.

    Parameters
    ----------
    window : str, tuple or float
        A window name (``'hann'``), a tuple of a name and its parameters
        (``('kaiser', 8.6)``, ``('chebwin', 100)``, ``('dpss', NW)``,
        ``('exponential', center, tau)``, ``('taylor', nbar, sll, norm)``, ...),
        or a float, the ``beta`` of a `kaiser` window. A name may end in
        ``'_periodic'`` or ``'_symmetric'``, which overrides ``fftbins``.
        Names (aliases): ``'barthann'`` (``'brthan'``, ``'bth'``), ``'bartlett'``
        (``'bart'``, ``'brt'``), ``'blackman'`` (``'black'``, ``'blk'``),
        ``'blackmanharris'`` (``'blackharr'``, ``'bkh'``), ``'bohman'``
        (``'bman'``, ``'bmn'``), ``'boxcar'`` (``'box'``, ``'ones'``,
        ``'rect'``, ``'rectangular'``), ``'chebwin'`` (``'cheb'``), ``'cosine'``
        (``'halfcosine'``), ``'dpss'`` (its first taper, ``'approximate'``
        norm), ``'exponential'`` (``'poisson'``), ``'flattop'`` (``'flat'``,
        ``'flt'``), ``'gaussian'`` (``'gauss'``, ``'gss'``), ``'general_cosine'``
        (``'general cosine'``), ``'general_gaussian'`` (``'general gaussian'``,
        ``'general gauss'``, ``'general_gauss'``, ``'ggs'``), ``'general_hamming'``
        (``'general hamming'``), ``'hamming'`` (``'hamm'``, ``'ham'``),
        ``'hann'`` (``'han'``), ``'kaiser'`` (``'ksr'``),
        ``'kaiser_bessel_derived'`` (``'kaiser bessel derived'``, ``'kbd'``),
        ``'lanczos'`` (``'sinc'``), ``'nuttall'`` (``'nutl'``, ``'nut'``),
        ``'parzen'`` (``'parz'``, ``'par'``), ``'taylor'`` (``'taylorwin'``),
        ``'triang'`` (``'triangle'``, ``'tri'``), ``'tukey'`` (``'tuk'``).
        Parameters are required for chebwin, dpss, gaussian, general_cosine,
        general_gaussian, general_hamming, kaiser and kaiser_bessel_derived,
        optional for exponential, taylor and tukey, not allowed for the others.
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
        If ``Nx`` is not a positive integer, ``fftbins`` not a bool, ``window``
        names no window or has the wrong parameters, or ``xp`` or ``device`` is
        given for ``'general_cosine'`` (whose coefficients set the library, as in
        SciPy).

    Examples
    --------
    >>> from gsci.signal import get_window
    >>> get_window("hann", 4).tolist()
    [0.0, 0.5, 1.0, 0.5]
    >>> get_window("hann_symmetric", 5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    >>> [round(v, 4) for v in get_window(("exponential", None, 1.0), 4).tolist()]
    [0.1353, 0.3679, 1.0, 0.3679]
    """
    function, arguments, sym = _resolve(window, Nx, fftbins)
    if function is general_cosine_in and not (xp is None and device is None):
        raise ValueError(
            "'general_cosine' does not accept the parameters xp and device not being None "
            f"(its coefficients set the library), got {xp=}, {device=}"
        )
    return function(Nx, *arguments, sym=sym, xp=xp, device=device)


def build_window(window, Nx, fftbins=True, *, xp=None, device=None):
    """`get_window` for gsci's own functions: it builds ``('general_cosine', a)`` in ``xp`` on ``device`` too.

    SciPy's spectral functions call ``get_window(window, nperseg)``, so they accept
    general_cosine's tuple; gsci's pass ``xp`` and ``device``, which SciPy's
    `get_window` refuses for that window.
    """
    function, arguments, sym = _resolve(window, Nx, fftbins)
    return function(Nx, *arguments, sym=sym, xp=xp, device=device)
