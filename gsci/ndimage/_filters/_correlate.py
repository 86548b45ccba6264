"""correlate and convolve: n-D filters with SciPy's boundary modes.

The public functions validate like SciPy (weights expanded over the axes
not filtered, origins per axis) and settle dtypes (`_support`: integers and
bool compute in float64 and are cast back like SciPy's C code, complex goes
through real and imaginary parts); the correlation itself comes from an
engine: `_correlate_xp` (Array API code, or the Numba CPU kernel on NumPy)
on the native path, `_correlate_cuda` (the Numba CUDA kernel) on the kernel
path.
"""

import math
import operator
from collections.abc import Iterable

import numpy as np

from gsci._lib._arrays import NUMPY, as_array, is_array
from gsci._lib._boundary import mode_code
from gsci._lib._compat import device, is_dask_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._filters import _correlate_cuda, _correlate_xp
from gsci.ndimage._filters._support import (
    cast,
    check_axes,
    check_supported,
    complex_combination,
    deliver,
    expanded_origins,
    filter_shape,
    is_complex,
    output_dtype,
    quiet_numpy,
    real_cval,
    work_dtype,
)

# SciPy costs less per call below 128x128 elements (measured: 3x3 and 5x5 weights, float64, 2 cores)
_SCIPY_IS_FASTER = fewer_elements(2**14)


def _correlate(input, weights, output, mode, cval, origin, axes, convolution, xp, engine):
    input = as_array(input, xp)
    weights = _weights(weights, input, xp)
    wxp = NUMPY if isinstance(weights, np.ndarray) else xp  # Dask keeps NumPy weights on the host

    def real_correlate(x, w, value, dtype):
        return _real_correlate(
            x, w, axes, origin, mode, real_cval(value), convolution, dtype, xp, wxp, engine
        )

    if not (is_complex(input, xp) or is_complex(weights, wxp)):
        out_dtype = output_dtype(output, input, xp, complex_output=False)
        return deliver(real_correlate(input, weights, cval, out_dtype), output, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=True)
    if is_complex(weights, wxp) and not convolution:
        weights = wxp.conj(weights)  # as np.correlate: the weights are conjugated, not the input
    return deliver(complex_combination(real_correlate, input, weights, cval, out_dtype, xp), output, xp)


def _weights(weights, input, xp):
    if is_array(weights):
        return weights
    if is_dask_namespace(xp):
        return np.asarray(weights)
    return as_array(weights, xp, like=input)


def _real_correlate(x, w, axes, origin, mode, cval, convolution, out_dtype, xp, wxp, engine):
    check_supported(x.dtype, "input", xp)
    axes = check_axes(axes, x.ndim)
    w, origins = _expanded(w, origin, axes, x.ndim, wxp)
    if convolution:
        w, origins = _as_correlation(w, origins, wxp)
    origins = _checked_origins(origins, w.shape)
    code = _mode_code(mode)
    if math.prod(x.shape) == 0 or math.prod(w.shape) == 0:
        return xp.zeros(x.shape, dtype=out_dtype, device=device(x))
    work = work_dtype(x.dtype, out_dtype, xp)
    x, w = xp.astype(x, work, copy=False), wxp.astype(w, work, copy=False)
    with quiet_numpy():
        if x.ndim == 0:  # the engines take arrays of one axis or more
            one = engine.correlate(xp.reshape(x, (1,)), wxp.reshape(w, (1,)), (0,), code, cval, xp)
            return cast(xp.reshape(one, ()), out_dtype, xp)
        return cast(engine.correlate(x, w, origins, code, cval, xp), out_dtype, xp)


def _expanded(w, origin, axes, ndim, wxp):
    """SciPy's weights of rank ``len(axes)`` as weights of rank ``ndim``, and the origin of every axis."""
    w = wxp.reshape(w, filter_shape(w.shape, axes, ndim, "weights"))
    if sum(s > 0 for s in w.shape) != ndim:
        raise RuntimeError(f"weights.ndim ({w.ndim}) must match len(axes) ({len(axes)}), got {w.shape=}")
    return w, expanded_origins(origin, axes, ndim)


def _as_correlation(w, origins, wxp):
    """Reversed weights and SciPy's origin shift for even sizes: convolve is correlate with these."""
    origins = [-o - (1 - s % 2) for o, s in zip(origins, w.shape, strict=False)]
    return wxp.flip(w), origins


def _checked_origins(origins, shape):
    sizes = [s for s in shape if s > 0]
    for o, size in zip(origins, sizes, strict=False):
        if o < -(size // 2) or o > (size - 1) // 2:
            raise ValueError(
                "Invalid origin; origin must satisfy -(weights.shape[k] // 2) <= origin[k] <= "
                f"(weights.shape[k]-1) // 2, got origin={list(origins)} with weights.shape={tuple(shape)}"
            )
    return tuple(operator.index(o) for o in origins)


def _mode_code(mode):
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError(f"A sequence of modes is not supported, got {mode=}")
    return mode_code(mode)


def _correlate_kernel(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None, xp):
    """`correlate` on the kernel path (the CUDA correlate kernel)."""
    return _correlate(input, weights, output, mode, cval, origin, axes, False, xp, _correlate_cuda)


def _convolve_kernel(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None, xp):
    """`convolve` on the kernel path (the CUDA correlate kernel)."""
    return _correlate(input, weights, output, mode, cval, origin, axes, True, xp, _correlate_cuda)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    operators=("weights",),
    kernel=_correlate_kernel,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None, xp):
    """Multidimensional correlation.

    The array is correlated with the given kernel:
    ``out[i] = sum_j weights[j] * input[i + j - k]``, with ``k`` the center
    of `weights` (``weights.shape // 2``, shifted by `origin`) and positions
    outside the array filled by `mode`.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    weights : array_like
        Array of weights, same number of dimensions as `input` (or as `axes`).
        NumPy arrays and sequences are accepted with `input` of any library: they move to its device.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. By default an array of the same dtype as `input` is created.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'grid-constant', 'grid-mirror', \
'grid-wrap'}, optional
        How the input is extended beyond its boundaries (SciPy's modes;
        'grid-constant', 'grid-mirror' and 'grid-wrap' act like 'constant',
        'reflect' and 'wrap'); one mode for every axis, as in SciPy.
        Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int or sequence, optional
        Shifts the filter, per axis with a sequence (one value per axis in
        `axes`): ``-(weights.shape[k] // 2) <= origin[k] <= (weights.shape[k] - 1) // 2``.
    axes : tuple of int or None, optional
        The axes to filter; None is every axis. With fewer axes than
        `input` has, `weights` has one axis per entry of `axes`.

    Returns
    -------
    result : array
        The correlation, with the shape of `input`, in `input`'s library and
        on its device. When `output` is an array, the result is written into
        it and it is returned (JAX arrays are immutable: a new array of
        `output`'s dtype is returned instead).

    Notes
    -----
    As in SciPy, integer and bool inputs compute in float64 and the result
    is truncated to the output dtype, and weights with ``|w| <= 2**-52``
    are skipped. float32 input and output compute in float32 (SciPy
    accumulates in float64): results agree within float32 precision.
    Where a 'reflect' filter reaches more than twice an axis's length
    beyond its start, SciPy reads `cval` at some positions; gsci reflects.
    On CUDA arrays a Numba CUDA kernel runs on the current stream.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import correlate
    >>> a = np.array([[2, 0, 0, 1], [0, 8, 4, 0], [3, 0, 0, 5]])
    >>> correlate(a, [[1, 0], [0, 2]])
    array([[ 6,  2,  0,  2],
           [ 2, 18,  8,  0],
           [ 6,  0,  8, 14]])
    >>> correlate(a, [1, 2, 1], axes=1)
    array([[ 6,  2,  1,  3],
           [ 8, 20, 16,  4],
           [ 9,  3,  5, 15]])
    """
    return _correlate(input, weights, output, mode, cval, origin, axes, False, xp, _correlate_xp)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    operators=("weights",),
    kernel=_convolve_kernel,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None, xp):
    """Multidimensional convolution.

    The array is convolved with the given kernel: `correlate` with the
    weights reversed along every axis (and not conjugated), with SciPy's
    origin shift for even sizes.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    weights : array_like
        Array of weights, same number of dimensions as `input` (or as `axes`).
        NumPy arrays and sequences are accepted with `input` of any library: they move to its device.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. By default an array of the same dtype as `input` is created.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'grid-constant', 'grid-mirror', \
'grid-wrap'}, optional
        How the input is extended beyond its boundaries (see `correlate`).
        Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int or sequence, optional
        Shifts the filter, per axis with a sequence, as in SciPy. Default 0.
    axes : tuple of int or None, optional
        The axes to filter; None is every axis (see `correlate`).

    Returns
    -------
    result : array
        The convolution, with the shape of `input` (see `correlate` for
        `output` arrays, dtypes and precision).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import convolve
    >>> a = np.array([[2, 0, 0, 1], [0, 8, 4, 0], [3, 0, 0, 5]])
    >>> convolve(a, [[1, 0], [0, 2]])
    array([[12,  4,  0,  2],
           [ 0, 16, 13,  5],
           [ 6,  0,  5, 15]])
    """
    return _correlate(input, weights, output, mode, cval, origin, axes, True, xp, _correlate_xp)
