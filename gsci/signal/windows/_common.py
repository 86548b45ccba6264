"""What every window shares: the length check, symmetric/periodic construction, docstring parts."""

import functools
import operator

import numpy as np

from gsci._lib._arrays import HOST_TYPES, NUMPY, requested_namespace

# NumPy 2 itself has every function the windows use, and its creation functions cost
# half of array-api-compat's wrappers: a third of a tiny window's time.
_NUMPY_ITSELF = np if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else NUMPY

_DOC_PARTS = {
    "M": """M : int
        Number of points in the output window. If zero, an empty array is
        returned. ``ValueError`` if it is negative or fractional.""",
    "sym": """sym : bool, optional
        When True (default), generates a symmetric window, for use in filter design.
        When False, generates a periodic window, for use in spectral analysis.""",
    "xp_device": """xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.""",
    "w": """w : array
        The window, float64 (JAX needs ``jax_enable_x64``), with its maximum value
        normalized to 1 (though the value 1 does not appear if ``M`` is even and
        ``sym`` is True).""",
}


def shared_docs(function):
    """Fill the ``{M}``, ``{sym}``, ``{xp_device}`` and ``{w}`` parts of ``function``'s docstring."""
    function.__doc__ = function.__doc__.format(**_DOC_PARTS)
    return function


def scipy_for_numpy(window):
    """``window``, whose NumPy calls (no ``xp`` or ``device``, host arguments only) run SciPy's own window.

    For `dpss`, whose tapers come from NumPy code on the host either way
    (SciPy's is the oracle and costs less per call), and `tukey` (SciPy's
    takes cosines on its ramps only).
    """
    name = window.__name__

    @functools.wraps(window)
    def public(*args, **kwargs):
        if kwargs and ("xp" in kwargs or "device" in kwargs):
            if kwargs.get("xp") is not None or kwargs.get("device") is not None:
                return window(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k not in ("xp", "device")}
        if _host(args) and _host(kwargs.values()):
            return _scipy_window(name)(*args, **kwargs)
        return window(*args, **kwargs)

    return public


@functools.cache
def _scipy_window(name):
    import scipy.signal.windows

    return getattr(scipy.signal.windows, name)


def _host(values):
    """Every value is a host value; tuples and lists (window specs, coefficients) looked into."""
    for v in values:
        kind = type(v)
        if kind not in HOST_TYPES or ((kind is tuple or kind is list) and not _host(v)):
            return False
    return True


def window_length(M, float_error=TypeError):
    """``M`` as an int, checked as SciPy checks it.

    ``ValueError`` if ``M`` is negative or fractional. An integral float (``3.0``)
    above 1 is accepted where SciPy's window accepts it (``float_error=None``),
    else it raises ``float_error``, as SciPy's window does; at most 1, it raises
    ``TypeError``, as all of SciPy's windows do.
    """
    if type(M) is int and M >= 0:
        return M
    if int(M) != M or M < 0:
        raise ValueError(f"Window length M must be a non-negative integer, got {M=}")
    if isinstance(M, bool):
        raise TypeError(f"Window length M must be an integer, not a bool, got {M=}")
    try:
        return operator.index(M)
    except TypeError as e:
        error = TypeError if M <= 1 else float_error
        if error is None:
            return int(M)
        raise error(f"Window length M must be an integer, got {M=}") from e


def window_namespace(xp):
    """The namespace a window is built in, for an ``xp=`` argument: NumPy 2 itself for NumPy."""
    xp = requested_namespace(xp)
    return _NUMPY_ITSELF if xp is NUMPY else xp


def make_window(M, sym, xp, device, samples, float_error=TypeError):
    """The window of length ``M``; ``samples(n, xp, device)`` computes the symmetric one of ``n > 1`` points.

    A periodic window (``sym=False``) is the symmetric window of ``M + 1`` points
    without its last one; windows of 0 and 1 points are empty and ``[1.0]``.
    """
    xp = window_namespace(xp)
    M = window_length(M, float_error)
    if M <= 1:
        return xp.ones(M, dtype=xp.float64, device=device)
    w = samples(M if sym else M + 1, xp, device)
    return w if sym else w[:-1]


def indices(n, xp, device, start=0):
    """``start, ..., n - 1`` as float64."""
    return xp.arange(start, n, dtype=xp.float64, device=device)


def centred_indices(n, xp, device):
    """``indices(n) - (n - 1) / 2``, in one call: half-integers, exact."""
    return xp.arange(-(n - 1) / 2, n / 2, dtype=xp.float64, device=device)
