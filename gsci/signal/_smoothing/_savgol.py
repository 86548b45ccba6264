"""savgol_coeffs and savgol_filter: Savitzky-Golay smoothing and differentiation.

The coefficients are a handful of numbers: they come from SciPy's own
`scipy.signal.savgol_coeffs` on the host, cached per parameter set, and move
to the requested namespace and device. The filter is a 1-D convolution with
them (`gsci.ndimage.convolve1d`: the Numba CPU kernel on NumPy, the CUDA
stencil kernel on GPUs, chunk-parallel on Dask). ``mode='interp'`` replaces
the outputs within half a window of each end by the least-squares polynomial
of the edge window: a small host matrix applied to the first and last
``window_length`` samples, so only the two edge blocks take part.
"""

import functools
import math

import numpy as np

from gsci._lib._arrays import as_array, is_array, requested_namespace
from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace
from gsci._lib._dispatch import gsci_function

_MODES = ("mirror", "constant", "nearest", "interp", "wrap")


def savgol_coeffs(
    window_length, polyorder, deriv=0, delta=1.0, pos=None, use="conv", *, xp=None, device=None
):
    """Compute the coefficients for a 1-D Savitzky-Golay FIR filter.

    Same as `scipy.signal.savgol_coeffs`: the coefficients are computed on the
    host in float64 (also for PyTorch, where SciPy's loses precision) and
    returned as an array of ``xp`` on ``device``.

    Parameters
    ----------
    window_length : int
        The length of the filter window (i.e., the number of coefficients).
    polyorder : int
        The order of the polynomial used to fit the samples; less than `window_length`.
    deriv : int, optional
        The order of the derivative to compute; 0 (default) filters without differentiating.
    delta : float, optional
        The spacing of the samples; only used if ``deriv > 0``.
    pos : int or None, optional
        The evaluation position within the window; default the middle of the window.
    use : {'conv', 'dot'}, optional
        'conv' (default) orders the coefficients for a convolution, 'dot' reverses them,
        for a dot product with the data.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or ``jax.numpy``, or an
        array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s default device.

    Returns
    -------
    coeffs : array
        The filter coefficients, float64 (JAX needs ``jax_enable_x64``).

    Examples
    --------
    >>> from gsci.signal import savgol_coeffs
    >>> savgol_coeffs(5, 2).round(6).tolist()
    [-0.085714, 0.342857, 0.485714, 0.342857, -0.085714]
    """
    host_delta, scale = _split_delta(delta, deriv)
    coeffs = _host_coeffs(window_length, polyorder, deriv, host_delta, pos, use)
    if xp is None and device is None and scale is None:
        return coeffs.copy()
    coeffs = requested_namespace(xp).asarray(coeffs, copy=True, device=device)
    return coeffs if scale is None else coeffs / scale**deriv


def _split_delta(delta, deriv):
    """``(host_delta, scale)``: a ``delta`` array of a library other than NumPy (a JAX tracer too)
    stays there, as ``scale``: the coefficients for ``delta=1`` are divided by ``scale**deriv``."""
    if deriv > 0 and is_array(delta) and not isinstance(delta, np.ndarray):
        return 1.0, delta
    return float(delta), None


@functools.lru_cache(maxsize=64)
def _host_coeffs(window_length, polyorder, deriv, delta, pos, use):
    import scipy.signal

    coeffs = scipy.signal.savgol_coeffs(window_length, polyorder, deriv=deriv, delta=delta, pos=pos, use=use)
    coeffs.flags.writeable = False  # shared by every call with these parameters
    return coeffs


@gsci_function("signal", arrays=("x",))
def savgol_filter(x, window_length, polyorder, deriv=0, delta=1.0, axis=-1, mode="interp", cval=0.0, *, xp):
    """Apply a Savitzky-Golay filter to an array.

    Same as `scipy.signal.savgol_filter`, on the input's library and device.
    The polynomial fits of ``mode='interp'`` are computed in float64 on the
    host and applied in the data's precision (SciPy fits in it): float32
    results agree with SciPy's to float32 rounding.

    Parameters
    ----------
    x : array_like
        The data to be filtered. Other dtypes than float32 and float64 are
        converted to float64.
    window_length : int
        The length of the filter window. With ``mode='interp'`` at most the
        length of `x` along `axis`.
    polyorder : int
        The order of the polynomial used to fit the samples; less than `window_length`.
    deriv : int, optional
        The order of the derivative to compute; 0 (default) filters without differentiating.
    delta : float, optional
        The spacing of the samples; only used if ``deriv > 0``. Default 1.0.
    axis : int, optional
        The axis along which to filter. Default -1.
    mode : {'mirror', 'constant', 'nearest', 'wrap', 'interp'}, optional
        The extension of the signal beyond its ends ('constant' pads with
        `cval`); 'interp' (default) fits a polynomial of order `polyorder` to
        the first and last `window_length` samples and evaluates it for the
        last ``window_length // 2`` outputs at each end.
    cval : scalar, optional
        The padding value of ``mode='constant'``. Default 0.0.

    Returns
    -------
    y : array
        The filtered data, of the shape of `x`: float32 for float32 input, else float64.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import savgol_filter
    >>> x = np.array([2, 2, 5, 2, 1, 0, 1, 4, 9])
    >>> savgol_filter(x, 5, 2).round(2).tolist()
    [1.66, 3.17, 3.54, 2.86, 0.66, 0.17, 1.0, 4.0, 9.0]
    >>> savgol_filter(x, 5, 2, mode="nearest").round(2).tolist()
    [1.74, 3.03, 3.54, 2.86, 0.66, 0.17, 1.0, 4.6, 7.97]
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be 'mirror', 'constant', 'nearest' 'wrap' or 'interp'; got {mode=}")
    x = as_array(x, xp)
    if x.dtype not in (xp.float32, xp.float64):
        x = xp.astype(x, xp.float64)
    host_delta, scale = _split_delta(delta, deriv)
    coeffs = _host_coeffs(window_length, polyorder, deriv, host_delta, None, "conv")
    if scale is not None:
        coeffs = xp.asarray(coeffs, device=device(x)) / scale**deriv
    axis = np.lib.array_utils.normalize_axis_index(axis, x.ndim)
    if mode != "interp":
        return _convolve(x, coeffs, axis, mode, cval)
    if window_length > x.shape[axis]:
        raise ValueError(
            "If mode is 'interp', window_length must be less than or equal to the size of x; "
            f"got {window_length=} for {x.shape[axis]} samples along axis {axis}"
        )
    y = _convolve(x, coeffs, axis, "constant", 0.0)
    return _with_fitted_edges(x, y, window_length, polyorder, deriv, host_delta, scale, axis, xp)


def _convolve(x, coeffs, axis, mode, cval):
    """SciPy's ``convolve1d(x, coeffs, axis=axis, mode=mode, cval=cval)``."""
    from gsci.ndimage import convolve1d

    return convolve1d(x, coeffs, axis=axis, mode=mode, cval=cval)


def _with_fitted_edges(x, y, window_length, polyorder, deriv, delta, scale, axis, xp):
    """``y`` with its first and last ``window_length // 2`` values along ``axis`` replaced by the
    polynomial fits of ``x``'s first and last ``window_length`` samples."""
    half = window_length // 2
    if half == 0:
        return y
    n = x.shape[axis]
    left_fit, right_fit = _edge_fits(window_length, polyorder, deriv, delta)
    left = _apply_along(left_fit, x[_along(axis, 0, window_length)], axis, xp)
    right = _apply_along(right_fit, x[_along(axis, n - window_length, n)], axis, xp)
    if scale is not None:
        left, right = (xp.astype(edge / scale**deriv, x.dtype) for edge in (left, right))
    if is_numpy_namespace(xp):  # y is a new array: write the edges into it
        y[_along(axis, 0, half)] = left
        y[_along(axis, n - half, n)] = right
        return y
    result = xp.concat([left, y[_along(axis, half, n - half)], right], axis=axis)
    if is_dask_namespace(xp):  # the edges came as chunks of their own: back to the input's chunks
        result = result.rechunk(x.chunks)
    return result


def _apply_along(matrix, window, axis, xp):
    """``matrix @ window`` along ``axis`` of ``window``, in the window's dtype and on its device."""
    operator = xp.asarray(matrix.T.astype(_numpy_dtype(window.dtype)), device=device(window))
    lines = xp.moveaxis(window, axis, -1)
    return xp.moveaxis(xp.matmul(lines, operator), -1, axis)


def _numpy_dtype(dtype):
    return np.dtype(str(dtype).rpartition(".")[2])


@functools.lru_cache(maxsize=64)
def _edge_fits(window_length, polyorder, deriv, delta):
    """The matrices (``window_length // 2`` x ``window_length``, float64) that map the first (last)
    ``window_length`` samples to the ``deriv``-th derivative of their least-squares polynomial of
    order ``polyorder`` at the first (last) ``window_length // 2`` positions."""
    half_span = (window_length - 1) / 2 or 1.0
    u = (np.arange(window_length) - (window_length - 1) / 2) / half_span  # well-conditioned abscissae
    powers = np.arange(polyorder + 1)
    vandermonde = u[:, None] ** powers
    fit = np.linalg.pinv(vandermonde)  # samples -> coefficients of u**k
    falling = np.array([math.perm(int(k), deriv) for k in powers], dtype=np.float64)
    exponents = np.maximum(powers - deriv, 0)
    derivative = falling * u[:, None] ** exponents / (half_span * delta) ** deriv
    values = derivative @ fit
    half = window_length // 2
    return values[:half], values[window_length - half :]


def _along(axis, start, stop):
    return (slice(None),) * axis + (slice(start, stop), ...)
