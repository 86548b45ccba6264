"""correlate1d, convolve1d and laplace: 1-D filters along axes, with SciPy's boundary modes.

The public functions validate like SciPy and settle dtypes (integers and
bool compute in float64 and are cast back like SciPy's C code, complex goes
through real and imaginary parts); the stencil itself comes from an engine:
`gsci.ndimage._stencil_xp` (Array API code) on the native path,
`gsci.ndimage._stencil_cuda` (the Numba CUDA kernel) on the kernel path.
"""

import math
import operator
from collections.abc import Iterable

import numpy as np

from gsci._lib._arrays import as_array, is_array
from gsci._lib._compat import device, is_jax_namespace, is_torch_namespace, is_writeable_array
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._warnings import warn_at_caller
from gsci.ndimage import _stencil_cuda, _stencil_xp
from gsci.ndimage._boundary import mode_code

# SciPy costs less per call until the CPU kernel has enough work for every core (BENCHMARKS.md)
_SCIPY_IS_FASTER = fewer_elements(2**16)
_KINDS = ("bool", "signed integer", "unsigned integer", "real floating", "complex floating")


def _correlate1d(input, weights, axis, output, mode, cval, origin, xp, engine):
    input = as_array(input, xp)
    weights = as_array(weights, xp, like=input)
    complex_weights = _is_complex(weights, xp)
    out_dtype = _output_dtype(output, input, xp, complex_output=_is_complex(input, xp) or complex_weights)
    if complex_weights:  # SciPy's complex path checks cval before the weights' shape
        _check_real_cval(input, cval, xp)
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

    if _is_complex(input, xp) or complex_weights:
        result = _complex_combination(real_correlate, input, weights, cval, out_dtype, xp)
    else:
        result = real_correlate(input, weights, _real_cval(cval), out_dtype)
    return _deliver(result, output, xp)


def _real_correlate(x, w, axis, code, cval, origin, out_dtype, xp, engine):
    _check_supported(x.dtype, "input", xp)
    work = _work_dtype(x.dtype, out_dtype, xp)
    if math.prod(x.shape) == 0:
        return xp.zeros(x.shape, dtype=out_dtype, device=device(x))
    with _quiet_numpy():
        result = engine.correlate(
            xp.astype(x, work, copy=False), xp.astype(w, work, copy=False), axis, code, cval, origin, xp
        )
        return _cast(result, out_dtype, xp)


def _quiet_numpy():
    """SciPy's C loops never warn about inf/NaN arithmetic or casts; NumPy would."""
    return np.errstate(invalid="ignore", over="ignore")


def _complex_combination(real_filter, input, weights, cval, out_dtype, xp):
    """A complex filter from real ones, as SciPy does: ``real_filter(x, w, cval, part_dtype)``.

    ``weights`` is None for a filter without weights (laplace).
    """
    part = xp.float32 if out_dtype == xp.complex64 else xp.float64
    complex_weights = weights is not None and _is_complex(weights, xp)
    if not _is_complex(input, xp):
        _check_real_cval(input, cval, xp)
        real = real_filter(input, xp.real(weights), cval, part)
        imag = real_filter(input, xp.imag(weights), cval, part)
    elif not complex_weights:
        real = real_filter(xp.real(input), weights, complex(cval).real, part)
        imag = real_filter(xp.imag(input), weights, complex(cval).imag, part)
    else:
        re_x, im_x, re_w, im_w = xp.real(input), xp.imag(input), xp.real(weights), xp.imag(weights)
        re_c, im_c = complex(cval).real, complex(cval).imag
        real = real_filter(re_x, re_w, re_c, part) - real_filter(im_x, im_w, im_c, part)
        imag = real_filter(re_x, im_w, re_c, part) + real_filter(im_x, re_w, im_c, part)
    return _complex_from_parts(real, imag, out_dtype, xp)


def _check_real_cval(input, cval, xp):
    if not _is_complex(input, xp) and isinstance(cval, complex):
        raise ValueError("Cannot provide a complex-valued cval when the input is real.")


def _complex_from_parts(real, imag, dtype, xp):
    if is_torch_namespace(xp):
        import torch

        return torch.complex(real, imag)
    if is_jax_namespace(xp):
        import jax

        return jax.lax.complex(real, imag)
    # elsewhere real + 1j * imag: an infinite imaginary part gives a NaN real part
    return xp.astype(real, dtype) + xp.astype(imag, dtype) * 1j


def _real_cval(cval):
    if isinstance(cval, complex):
        raise TypeError(f"{cval=} must be a real number for real input and weights")
    return float(cval)


def _is_complex(a, xp):
    return xp.isdtype(a.dtype, "complex floating")


def _check_supported(dtype, name, xp):
    """SciPy's C code takes bool, integers, float32/64 (and complex, split in parts)."""
    unsupported_float = xp.isdtype(dtype, "real floating") and dtype not in (xp.float32, xp.float64)
    if unsupported_float or not xp.isdtype(dtype, _KINDS):
        raise RuntimeError(f"array type {dtype} not supported ({name})")


def _work_dtype(in_dtype, out_dtype, xp):
    """SciPy computes in float64; float32 in and out stays float32 (within float32 tolerance)."""
    return xp.float32 if in_dtype == xp.float32 and out_dtype == xp.float32 else xp.float64


def _cast(result, dtype, xp):
    """Float ``result`` as ``dtype``, as SciPy's C casts do on x86-64.

    Truncation toward zero; narrow integers keep the low bits of the 64-bit
    integer (so NaN and overflow give 0), int32 and int64 their own minimum.
    bool is the low byte being nonzero.
    """
    if result.dtype == dtype:
        return result
    if xp.isdtype(dtype, "bool"):
        return xp.astype(xp.astype(xp.astype(result, xp.int64), xp.uint8), xp.bool)
    if dtype == xp.uint64:
        return _as_uint64(result, xp)
    if xp.isdtype(dtype, "integral") and dtype not in (xp.int32, xp.int64):
        return xp.astype(xp.astype(result, xp.int64), dtype)
    return xp.astype(result, dtype)


def _as_uint64(result, xp):
    """x86-64's float64 -> uint64 conversion, which SciPy's C cast compiles to, in every library.

    Modular below 2^63 (negative values wrap), exact up to 2^64, 0 from 2^64
    on, 2^63 for NaN and below -2^63. Libraries differ out of int64's range
    (saturating, or not), so the values there are chosen explicitly.
    """
    top = 2.0**63
    high = result >= top
    shifted = xp.where(high, result - top, result)
    exact = (shifted >= -top) & (shifted < top)  # False for NaN
    # the bits are worked out as int64 (its arithmetic exists everywhere), then reinterpreted
    bits = xp.astype(xp.where(exact, shifted, 0.0), xp.int64)
    lowest = xp.asarray(-(1 << 63), dtype=xp.int64, device=device(result))  # the bit pattern of 2^63
    bits = xp.where(high, bits + lowest, bits)
    bits = xp.where(exact, bits, xp.where(high, xp.zeros_like(bits), lowest))
    return xp.astype(bits, xp.uint64)


def _output_dtype(output, input, xp, complex_output, promote=True):
    """The result dtype from SciPy's ``output``: None, a dtype (or its name) or an array.

    A real dtype given for a complex result is promoted with a warning, or
    refused when not ``promote`` (laplace: SciPy makes the output array first).
    """
    if output is None:
        dtype = input.dtype
        _check_supported(dtype, "input", xp)
        if complex_output and not _is_complex(input, xp):
            dtype = xp.complex128 if input.dtype in _promoting_to_complex128(xp) else xp.complex64
        return dtype
    if is_array(output):
        if tuple(output.shape) != tuple(input.shape):
            raise RuntimeError(f"output shape not correct: {output.shape=} but {input.shape=}")
        if complex_output and not _is_complex(output, xp):
            raise RuntimeError(f"output must have complex dtype, got {output.dtype=}")
        return _real_if_real(output.dtype, complex_output, xp)
    if isinstance(output, str):
        numpy_dtype = np.dtype(output)
        if complex_output and numpy_dtype.kind != "c":
            raise RuntimeError(f"output must have complex dtype, got {output=}")
        if not issubclass(numpy_dtype.type, np.number):
            raise RuntimeError(f"output must have numeric dtype, got {output=}")
        return _real_if_real(getattr(xp, numpy_dtype.name), complex_output, xp)
    dtype = getattr(xp, np.dtype(output).name) if isinstance(output, type | np.dtype) else output
    if complex_output and not xp.isdtype(dtype, "complex floating"):
        if not promote:
            raise RuntimeError(f"output must have complex dtype, got {output=}")
        warn_at_caller("promoting specified output dtype to complex")
        dtype = xp.complex128 if dtype in _promoting_to_complex128(xp) else xp.complex64
    return _real_if_real(dtype, complex_output, xp)


def _real_if_real(dtype, complex_output, xp):
    """SciPy's real filters do not write complex outputs."""
    _check_supported(dtype, "output", xp)
    if not complex_output and xp.isdtype(dtype, "complex floating"):
        raise RuntimeError(f"array type {dtype} not supported (output) for real input and weights")
    return dtype


def _promoting_to_complex128(xp):
    """Real dtypes that NumPy promotes with complex64 to complex128."""
    return (xp.float64, xp.int32, xp.int64, xp.uint32, xp.uint64)


def _deliver(result, output, xp):
    """SciPy writes into an ``output`` array and returns it; immutable arrays (JAX) get a new one."""
    if not is_array(output):
        return result
    if not is_writeable_array(output):
        return result
    output[...] = result
    return output


def _check_axes(axes, ndim):
    """SciPy's axes rule: None is every axis; an int or ints in range, each at most once."""
    if axes is None:
        return tuple(range(ndim))
    if np.isscalar(axes):
        axes = (operator.index(axes),)
    elif isinstance(axes, Iterable):
        axes = tuple(operator.index(ax) for ax in axes)
        for ax in axes:
            if ax < -ndim or ax > ndim - 1:
                raise ValueError(f"specified axis: {ax} is out of range for {ndim=}")
        axes = tuple(ax % ndim for ax in axes)
    else:
        raise ValueError(f"axes must be an integer, iterable of integers, or None, got {axes=}")
    if len(set(axes)) != len(axes):
        raise ValueError(f"axes must be unique, got {axes=}")
    return axes


def _modes_per_axis(mode, count):
    if isinstance(mode, str) or not np.iterable(mode):
        return [mode] * count
    modes = list(mode)
    if len(modes) != count:
        raise RuntimeError(
            f"sequence argument must have length equal to input rank: {mode=} for {count} axes"
        )
    return modes


def _laplace(input, output, mode, cval, axes, xp, engine):
    input = as_array(input, xp)
    out_dtype = _output_dtype(output, input, xp, complex_output=_is_complex(input, xp), promote=False)
    axes = _check_axes(axes, input.ndim)
    codes = [mode_code(m) for m in _modes_per_axis(mode, len(axes))]
    if not axes:
        return _deliver(xp.astype(input, out_dtype, copy=True), output, xp)
    if _is_complex(input, xp):

        def real_laplace(x, w, value, dtype):
            return _real_laplace(x, axes, codes, value, dtype, xp, engine)

        result = _complex_combination(real_laplace, input, None, cval, out_dtype, xp)
    else:
        result = _real_laplace(input, axes, codes, _real_cval(cval), out_dtype, xp, engine)
    return _deliver(result, output, xp)


def _real_laplace(x, axes, codes, cval, out_dtype, xp, engine):
    _check_supported(x.dtype, "input", xp)
    if math.prod(x.shape) == 0:
        return xp.zeros(x.shape, dtype=out_dtype, device=device(x))
    if xp.isdtype(out_dtype, "real floating"):
        work = _work_dtype(x.dtype, out_dtype, xp)
        with _quiet_numpy():
            return _cast(engine.laplace(xp.astype(x, work, copy=False), axes, codes, cval, xp), out_dtype, xp)
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
    return (xp.conj(weights) if _is_complex(weights, xp) else weights), origin


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
