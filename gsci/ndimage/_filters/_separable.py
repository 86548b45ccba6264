"""correlate1d, convolve1d and laplace: 1-D filters along axes, with SciPy's boundary modes.

The public functions validate like SciPy and settle dtypes (integers and
bool compute in float64 and are cast back like SciPy's C code, complex goes
through real and imaginary parts); the stencil itself comes from an engine:
`_stencil_xp` (Array API code) on the native path, `_stencil_cuda` (the
Numba CUDA kernel) on the kernel path. Dtype and output rules: `_support`.
"""

import math
import operator

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._boundary import mode_code
from gsci._lib._compat import device
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._filters import _stencil_cuda, _stencil_xp
from gsci.ndimage._filters._support import (
    cast,
    check_axes,
    check_real_cval,
    check_supported,
    complex_combination,
    deliver,
    is_complex,
    modes_per_axis,
    output_dtype,
    quiet_numpy,
    real_cval,
    work_dtype,
)

# SciPy costs less per call until the CPU kernel has enough work for every core (BENCHMARKS.md)
_SCIPY_IS_FASTER = fewer_elements(2**16)


def _correlate1d(input, weights, axis, output, mode, cval, origin, xp, engine):
    input = as_array(input, xp)
    weights = as_array(weights, xp, like=input)
    complex_weights = is_complex(weights, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=is_complex(input, xp) or complex_weights)
    if complex_weights:  # SciPy's complex path checks cval before the weights' shape
        check_real_cval(input, cval, xp)
    if weights.ndim != 1 or weights.shape[0] < 1:
        raise RuntimeError(
            f"no filter weights given: weights must be 1-d and not empty, got {weights.shape=}"
        )
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    taps = weights.shape[0]
    if origin < -(taps // 2) or origin > (taps - 1) // 2:
        raise ValueError(
            f"Invalid origin; origin must satisfy -(len(weights) // 2) <= origin <= (len(weights)-1) // 2, "
            f"got {origin=} with len(weights)={taps}"
        )
    origin = operator.index(origin)
    code = mode_code(mode)
    if complex_weights:
        weights = xp.conj(weights)

    def real_correlate(x, w, value, dtype):
        return _real_correlate(x, w, axis, code, value, origin, dtype, xp, engine)

    if is_complex(input, xp) or complex_weights:
        result = complex_combination(real_correlate, input, weights, cval, out_dtype, xp)
    else:
        result = real_correlate(input, weights, real_cval(cval), out_dtype)
    return deliver(result, output, xp)


def _real_correlate(x, w, axis, code, cval, origin, out_dtype, xp, engine):
    check_supported(x.dtype, "input", xp)
    work = work_dtype(x.dtype, out_dtype, xp)
    if math.prod(x.shape) == 0:
        return xp.zeros(x.shape, dtype=out_dtype, device=device(x))
    with quiet_numpy():
        result = engine.correlate(
            xp.astype(x, work, copy=False), xp.astype(w, work, copy=False), axis, code, cval, origin, xp
        )
        return cast(result, out_dtype, xp)


def _laplace(input, output, mode, cval, axes, xp, engine):
    input = as_array(input, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=is_complex(input, xp), promote=False)
    axes = check_axes(axes, input.ndim)
    codes = [mode_code(m) for m in modes_per_axis(mode, len(axes))]
    if not axes:
        return deliver(xp.astype(input, out_dtype, copy=True), output, xp)
    if is_complex(input, xp):

        def real_laplace(x, w, value, dtype):
            return _real_laplace(x, axes, codes, value, dtype, xp, engine)

        result = complex_combination(real_laplace, input, None, cval, out_dtype, xp)
    else:
        result = _real_laplace(input, axes, codes, real_cval(cval), out_dtype, xp, engine)
    return deliver(result, output, xp)


def _real_laplace(x, axes, codes, cval, out_dtype, xp, engine):
    check_supported(x.dtype, "input", xp)
    if math.prod(x.shape) == 0:
        return xp.zeros(x.shape, dtype=out_dtype, device=device(x))
    if xp.isdtype(out_dtype, "real floating"):
        work = work_dtype(x.dtype, out_dtype, xp)
        with quiet_numpy():
            return cast(engine.laplace(xp.astype(x, work, copy=False), axes, codes, cval, xp), out_dtype, xp)
    # integer and bool results: SciPy casts each axis's second difference, then adds in that dtype
    w = xp.asarray(_stencil_xp.SECOND_DIFFERENCE, device=device(x))
    parts = [
        _real_correlate(x, w, axis, code, cval, 0, out_dtype, xp, engine)
        for axis, code in zip(axes, codes, strict=True)
    ]
    total = parts[0]
    for part in parts[1:]:
        total = xp.logical_or(total, part) if xp.isdtype(out_dtype, "bool") else total + part
    return total


def _convolution_as_correlation(input, weights, origin, xp):
    """Reversed weights and SciPy's origin shift: convolve1d is correlate1d with these."""
    weights = as_array(weights, xp, like=as_array(input, xp))
    if weights.ndim == 0:
        raise IndexError(f"weights must be 1-d, got a 0-d {weights=}")
    if weights.ndim != 1:
        return weights, origin
    origin = -origin - (1 - weights.shape[0] % 2)
    weights = xp.flip(weights)
    # correlate1d conjugates complex weights; convolution must not
    return (xp.conj(weights) if is_complex(weights, xp) else weights), origin


def _correlate1d_kernel(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp):
    """`correlate1d` on the kernel path (the CUDA stencil kernel)."""
    return _correlate1d(input, weights, axis, output, mode, cval, origin, xp, _stencil_cuda)


def _convolve1d_kernel(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp):
    """`convolve1d` on the kernel path (the CUDA stencil kernel)."""
    weights, origin = _convolution_as_correlation(input, weights, origin, xp)
    return _correlate1d(input, weights, axis, output, mode, cval, origin, xp, _stencil_cuda)


def _laplace_kernel(input, output=None, mode="reflect", cval=0.0, *, axes=None, xp):
    """`laplace` on the kernel path (the CUDA stencil kernel)."""
    return _laplace(input, output, mode, cval, axes, xp, _stencil_cuda)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    operators=("weights",),
    kernel=_correlate1d_kernel,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def correlate1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp):
    """Calculate a 1-D correlation along the given axis.

    The lines of the array along the given axis are correlated with the
    given weights: ``out[i] = sum_j weights[j] * input[i + j - len(weights) // 2 - origin]``,
    with positions outside the array filled by `mode`.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    weights : array_like
        1-D sequence of numbers.
        NumPy arrays and sequences are accepted with `input` of any library: they move to its device.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. By default an array of the same dtype as `input` is created.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'grid-constant', 'grid-mirror', \
'grid-wrap'}, optional
        How the input is extended beyond its boundaries (SciPy's modes;
        'grid-constant', 'grid-mirror' and 'grid-wrap' act like 'constant',
        'reflect' and 'wrap'). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int, optional
        Shifts the filter; ``-(len(weights) // 2) <= origin <= (len(weights) - 1) // 2``.

    Returns
    -------
    result : array
        Correlation result, with the shape of `input`, in `input`'s library
        and on its device. When `output` is an array, the result is written
        into it and it is returned (JAX arrays are immutable: a new array of
        `output`'s dtype is returned instead).

    Notes
    -----
    As in SciPy, integer and bool inputs compute in float64 and the result
    is truncated to the output dtype. float32 input and output compute in
    float32 (SciPy accumulates in float64): results agree within float32
    precision. On CUDA arrays a Numba CUDA kernel runs on the current stream.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import correlate1d
    >>> correlate1d(np.array([2, 8, 0, 4, 1, 9, 9, 0]), weights=[1, 3])
    array([ 8, 26,  8, 12,  7, 28, 36,  9])
    """
    return _correlate1d(input, weights, axis, output, mode, cval, origin, xp, _stencil_xp)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    operators=("weights",),
    kernel=_convolve1d_kernel,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def convolve1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp):
    """Calculate a 1-D convolution along the given axis.

    The lines of the array along the given axis are convolved with the
    given weights: `correlate1d` with the weights reversed.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    weights : array_like
        1-D sequence of numbers.
        NumPy arrays and sequences are accepted with `input` of any library: they move to its device.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. By default an array of the same dtype as `input` is created.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'grid-constant', 'grid-mirror', \
'grid-wrap'}, optional
        How the input is extended beyond its boundaries. Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int, optional
        Shifts the filter, as in SciPy. Default 0.

    Returns
    -------
    convolve1d : array
        Convolved array with the same shape as `input` (see `correlate1d`
        for `output` arrays, dtypes and precision).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import convolve1d
    >>> convolve1d(np.array([2, 8, 0, 4, 1, 9, 9, 0]), weights=[1, 3])
    array([14, 24,  4, 13, 12, 36, 27,  0])
    """
    weights, origin = _convolution_as_correlation(input, weights, origin, xp)
    return _correlate1d(input, weights, axis, output, mode, cval, origin, xp, _stencil_xp)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_laplace_kernel,
    scipy_when=fewer_elements(2**15),
    torch_as_numpy=True,
)
def laplace(input, output=None, mode="reflect", cval=0.0, *, axes=None, xp):
    """N-D Laplace filter based on approximate second derivatives.

    The sum over `axes` of the second difference ``[1, -2, 1]`` along each.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. By default an array of the same dtype as `input` is created.
    mode : str or sequence, optional
        The boundary mode (see `correlate1d`), or one per axis in `axes`.
        Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    axes : tuple of int or None
        The axes over which to apply the filter. If a `mode` tuple is
        provided, its length must match the number of axes.

    Returns
    -------
    laplace : array
        Filtered array, with the shape of `input`, in `input`'s library and
        on its device (see `correlate1d` for `output` arrays).

    Notes
    -----
    Real floating outputs are computed in one pass over the axes (float32
    stays float32); integer and bool outputs follow SciPy exactly: each
    axis's second difference is cast to the output dtype, then they are added.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import laplace
    >>> laplace(np.array([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]]))
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]])
    """
    return _laplace(input, output, mode, cval, axes, xp, _stencil_xp)
