"""The chirp z-transform (`czt`), its points (`czt_points`) and the zoom FFT (`zoom_fft`).

Native: Bluestein's algorithm, written against ``xp``: the chirp ``w**(k**2 / 2)`` and its FFT are made
where the data lives (``xp.arange``, ``xp.exp``, the library's FFT), then one forward FFT of the
chirped signal, a product and one inverse FFT give the transform, vectorized over every other axis.
It runs under ``jax.jit``, is differentiable on PyTorch (autograd), and stays lazy on Dask, where the
transformed axis is rechunked into one chunk: the transform is one global FFT along it (other axes
keep their chunks). NumPy input runs SciPy's own code: the same FFTs, with less fixed cost per call.

As in SciPy 1.17 (whose code is NumPy's, in float64 constants), the result is complex128 whatever the
input's dtype (integers and float32 too), in the input's library and on its device. ``w``, ``a``, ``fn``
and ``fs`` are numbers (0-d arrays of any library are read on the host). `czt_points` takes no array
and returns NumPy, as SciPy's.
"""

import cmath
import math
import numbers

import numpy as np
import scipy.signal

from gsci._lib._arrays import as_array, is_array
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_dask_namespace
from gsci._lib._dispatch import gsci_function
from gsci._lib._fft import fft_module, next_fast_len
from gsci.signal._filter_design import _host_parameter

__all__ = ["czt", "czt_points", "zoom_fft"]

# NumPy input: SciPy runs the same three FFTs with less fixed cost (measured parity from 4096 samples, SciPy
# ahead below): its own code serves NumPy
_NUMPY_TO_SCIPY = {"numpy": "the same FFTs as gsci's on NumPy, with less fixed cost per call"}


@gsci_function("signal", arrays=("x",), scipy_for=_NUMPY_TO_SCIPY)
def czt(x, m=None, w=None, a=1 + 0j, *, axis=-1, xp):
    """Compute the frequency response around a spiral in the Z plane (`scipy.signal.czt`).

    The chirp z-transform of ``x`` at the ``m`` points ``z_k = a * w**-k``, ``k = 0 .. m-1``: by
    default ``m = len(x)`` points equally spaced around the unit circle, the DFT.

    Parameters
    ----------
    x : array
        The signal to transform.
    m : int, optional
        The number of output points desired. Default: the length of the input data.
    w : complex, optional
        The ratio between points in each step. Default: equally spaced points around the circle.
    a : complex, optional
        The starting point in the complex plane. Default is 1+0j.
    axis : int, optional
        Axis over which to compute the transform. Default: the last axis.

    Returns
    -------
    out : array
        An array of the same dimensions as ``x``, but with the length of the transformed axis set
        to ``m``; complex128.

    Notes
    -----
    Native on every library, traceable under ``jax.jit`` and differentiable on PyTorch. On Dask the
    transformed axis becomes one chunk (one global FFT along it), and nothing computes. NumPy input
    runs SciPy's own code (the same FFTs, with less fixed cost per call).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import czt
    >>> np.allclose(czt(np.arange(4.0)), np.fft.fft(np.arange(4.0)))
    True
    """
    x = as_array(x, xp)
    n = x.shape[axis]
    m = _validate_sizes(n, m)
    k = xp.arange(max(m, n), dtype=xp.int64, device=device_of(x))
    squares = k * k
    if w is None:
        w = cmath.exp(-2j * math.pi / m)
        chirp = xp.exp(-(1j * math.pi * xp.astype(squares % (2 * m), xp.float64)) / m)
    else:
        w = complex(_host_parameter(w, "w"))
        chirp = _power(w, xp.astype(squares, xp.float64) / 2.0, xp)
    a = complex(_host_parameter(a, "a"))
    weights = _power(a, -xp.astype(k[:n], xp.float64), xp) * chirp[:n]
    return _bluestein(x, weights, chirp, n, m, axis, xp)


@gsci_function("signal", arrays=("x",), scipy_for=_NUMPY_TO_SCIPY)
def zoom_fft(x, fn, m=None, *, fs=2, endpoint=False, axis=-1, xp):
    """Compute the DFT of ``x`` only for frequencies in range ``fn`` (`scipy.signal.zoom_fft`).

    Parameters
    ----------
    x : array
        The signal to transform.
    fn : array_like
        A length-2 sequence ``[f1, f2]`` giving the frequency range, or a scalar, for which the
        range ``[0, fn]`` is assumed.
    m : int, optional
        The number of points to evaluate. The default is the length of ``x``.
    fs : float, optional
        The sampling frequency (default 2: ``f1`` and ``f2`` in ``[0, 1]`` stay below Nyquist).
    endpoint : bool, optional
        If True, ``f2`` is the last sample. Otherwise, it is not included. Default is False.
    axis : int, optional
        Axis over which to compute the FFT. Default: the last axis.

    Returns
    -------
    out : array
        The transformed signal, at ``f1, f1 + df, ..., f2`` with ``df = (f2 - f1) / m``; complex128.

    Notes
    -----
    As `czt`: native, under ``jax.jit``, differentiable on PyTorch; on Dask the transformed axis
    becomes one chunk (one global FFT along it). ``fn`` is read on the host when it is an array.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import zoom_fft
    >>> x = np.arange(8.0)
    >>> np.allclose(zoom_fft(x, 2), np.fft.fft(x))
    True
    """
    x = as_array(x, xp)
    n = x.shape[axis]
    m = _validate_sizes(n, m)
    fn = _host_parameter(fn, "fn")
    if np.size(fn) == 2:
        f1, f2 = (float(f) for f in np.ravel(fn))
    elif np.size(fn) == 1:
        f1, f2 = 0.0, float(np.ravel(fn)[0])
    else:
        raise ValueError("fn must be a scalar or 2-length sequence")
    scale = ((f2 - f1) * m) / (fs * (m - 1)) if endpoint else (f2 - f1) / fs
    k = xp.arange(max(m, n), dtype=xp.int64, device=device_of(x))
    chirp = xp.exp(-(1j * math.pi * scale * xp.astype(k * k, xp.float64)) / m)
    start = xp.exp(-2j * math.pi * f1 / fs * xp.astype(k[:n], xp.float64))
    return _bluestein(x, start * chirp[:n], chirp, n, m, axis, xp)


def czt_points(m, w=None, a=1 + 0j):
    """Return the points at which the chirp z-transform is computed (`scipy.signal.czt_points`).

    Parameters
    ----------
    m : int
        The number of points desired.
    w : complex, optional
        The ratio between points in each step. Default: equally spaced points around the circle.
    a : complex, optional
        The starting point in the complex plane. Default is 1+0j.

    Returns
    -------
    out : ndarray
        The points ``a * w**-k`` in the Z plane, complex; NumPy (as SciPy: nothing here is an array).

    Examples
    --------
    >>> from gsci.signal import czt_points
    >>> import numpy as np
    >>> np.allclose(czt_points(4), [1, 1j, -1, -1j])
    True
    """
    if is_array(w) or is_array(a):
        w, a = _host_parameter(w, "w"), _host_parameter(a, "a")
    return scipy.signal.czt_points(m, w=w, a=a)


def _validate_sizes(n, m):
    """SciPy's checks of the input length ``n`` and the number of points ``m`` (default ``n``)."""
    if n < 1 or not isinstance(n, numbers.Integral):
        raise ValueError(
            f"Invalid number of CZT data points ({n}) specified. n must be positive and integer type."
        )
    if m is None:
        return n
    if m < 1 or not isinstance(m, numbers.Integral):
        raise ValueError(
            f"Invalid number of CZT output points ({m}) specified. m must be positive and integer type."
        )
    return int(m)


def _power(base, exponent, xp):
    """``base ** exponent`` (complex128) for a number ``base`` and a real array ``exponent``, as NumPy's."""
    place = device_of(exponent)
    if base == 1:
        return xp.ones(exponent.shape, dtype=xp.complex128, device=place)
    if base.imag == 0 and base.real > 0:  # a real power: exact for powers of two, as NumPy's
        real = xp.pow(xp.asarray(base.real, dtype=xp.float64, device=place), exponent)
        return xp.astype(real, xp.complex128)
    complex_base = xp.asarray(base, dtype=xp.complex128, device=place)
    return xp.pow(complex_base, xp.astype(exponent, xp.complex128))


def _bluestein(x, weights, chirp, n, m, axis, xp):
    """Bluestein's transform of ``x`` along ``axis``: ``chirp[:m] * (F * (x * weights))[n-1 : n+m-1]``."""
    if xp.isdtype(x.dtype, "integral") or x.dtype == xp.bool:
        x = xp.astype(x, xp.float64)
    x = xp.moveaxis(x, axis, -1)
    reciprocal = 1 / xp.concat((xp.flip(chirp[1:n]), chirp[:m]))
    if is_dask_namespace(xp):  # one global FFT along the transformed axis
        x, reciprocal = x.rechunk({x.ndim - 1: -1}), reciprocal.rechunk(-1)
    nfft = next_fast_len(n + m - 1)
    fft = fft_module(xp)
    kernel = fft.fft(reciprocal, n=nfft)
    y = fft.ifft(kernel * fft.fft(x * weights, n=nfft, axis=-1), axis=-1)
    y = y[..., n - 1 : n + m - 1] * chirp[:m]
    return xp.moveaxis(y, -1, axis)
