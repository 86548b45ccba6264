"""What the ndimage filters share: SciPy's dtype, output, cval, axes and mode rules.

Integers and bool compute in float64 and are cast back as SciPy's C code
casts; complex input goes through real and imaginary parts; an ``output``
array is written into and returned.
"""

import operator
from collections.abc import Iterable

import numpy as np

from gsci._lib._arrays import is_array
from gsci._lib._compat import device, is_jax_namespace, is_torch_namespace, is_writeable_array
from gsci._lib._warnings import warn_at_caller

_KINDS = ("bool", "signed integer", "unsigned integer", "real floating", "complex floating")


def quiet_numpy():
    """SciPy's C loops never warn about inf/NaN arithmetic or casts; NumPy would."""
    return np.errstate(invalid="ignore", over="ignore")


def complex_combination(real_filter, input, weights, cval, out_dtype, xp):
    """A complex filter from real ones, as SciPy does: ``real_filter(x, w, cval, part_dtype)``.

    ``weights`` is None for a filter without weights (laplace).
    """
    part = xp.float32 if out_dtype == xp.complex64 else xp.float64
    complex_weights = weights is not None and is_complex(weights, xp)
    if not is_complex(input, xp):
        check_real_cval(input, cval, xp)
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
    return complex_from_parts(real, imag, out_dtype, xp)


def check_real_cval(input, cval, xp):
    if not is_complex(input, xp) and isinstance(cval, complex):
        raise ValueError("Cannot provide a complex-valued cval when the input is real.")


def complex_from_parts(real, imag, dtype, xp):
    if is_torch_namespace(xp):
        import torch

        return torch.complex(real, imag)
    if is_jax_namespace(xp):
        import jax

        return jax.lax.complex(real, imag)
    # elsewhere real + 1j * imag: an infinite imaginary part gives a NaN real part
    return xp.astype(real, dtype) + xp.astype(imag, dtype) * 1j


def real_cval(cval):
    if isinstance(cval, complex):
        raise TypeError(f"{cval=} must be a real number for real input and weights")
    return float(cval)


def is_complex(a, xp):
    return xp.isdtype(a.dtype, "complex floating")


def check_supported(dtype, name, xp):
    """SciPy's C code takes bool, integers, float32/64 (and complex, split in parts)."""
    unsupported_float = xp.isdtype(dtype, "real floating") and dtype not in (xp.float32, xp.float64)
    if unsupported_float or not xp.isdtype(dtype, _KINDS):
        raise RuntimeError(f"array type {dtype} not supported ({name})")


def work_dtype(in_dtype, out_dtype, xp):
    """SciPy computes in float64; float32 in and out stays float32 (within float32 tolerance)."""
    return xp.float32 if in_dtype == xp.float32 and out_dtype == xp.float32 else xp.float64


def cast(result, dtype, xp):
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
        return as_uint64(result, xp)
    if xp.isdtype(dtype, "integral") and dtype not in (xp.int32, xp.int64):
        return xp.astype(xp.astype(result, xp.int64), dtype)
    return xp.astype(result, dtype)


def as_uint64(result, xp):
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


def output_dtype(output, input, xp, complex_output, promote=True):
    """The result dtype from SciPy's ``output``: None, a dtype (or its name) or an array.

    A real dtype given for a complex result is promoted with a warning, or
    refused when not ``promote`` (laplace: SciPy makes the output array first).
    """
    if output is None:
        dtype = input.dtype
        check_supported(dtype, "input", xp)
        if complex_output and not is_complex(input, xp):
            dtype = xp.complex128 if input.dtype in promoting_to_complex128(xp) else xp.complex64
        return dtype
    if is_array(output):
        if tuple(output.shape) != tuple(input.shape):
            raise RuntimeError(f"output shape not correct: {output.shape=} but {input.shape=}")
        if complex_output and not is_complex(output, xp):
            raise RuntimeError(f"output must have complex dtype, got {output.dtype=}")
        return real_if_real(output.dtype, complex_output, xp)
    if isinstance(output, str):
        numpy_dtype = np.dtype(output)
        if complex_output and numpy_dtype.kind != "c":
            raise RuntimeError(f"output must have complex dtype, got {output=}")
        if not issubclass(numpy_dtype.type, np.number):
            raise RuntimeError(f"output must have numeric dtype, got {output=}")
        return real_if_real(getattr(xp, numpy_dtype.name), complex_output, xp)
    dtype = getattr(xp, np.dtype(output).name) if isinstance(output, type | np.dtype) else output
    if complex_output and not xp.isdtype(dtype, "complex floating"):
        if not promote:
            raise RuntimeError(f"output must have complex dtype, got {output=}")
        warn_at_caller("promoting specified output dtype to complex")
        dtype = xp.complex128 if dtype in promoting_to_complex128(xp) else xp.complex64
    return real_if_real(dtype, complex_output, xp)


def real_if_real(dtype, complex_output, xp):
    """SciPy's real filters do not write complex outputs."""
    check_supported(dtype, "output", xp)
    if not complex_output and xp.isdtype(dtype, "complex floating"):
        raise RuntimeError(f"array type {dtype} not supported (output) for real input and weights")
    return dtype


def promoting_to_complex128(xp):
    """Real dtypes that NumPy promotes with complex64 to complex128."""
    return (xp.float64, xp.int32, xp.int64, xp.uint32, xp.uint64)


def deliver(result, output, xp):
    """SciPy writes into an ``output`` array and returns it; immutable arrays (JAX) get a new one."""
    if not is_array(output):
        return result
    if not is_writeable_array(output):
        return result
    output[...] = result
    return output


def check_axes(axes, ndim):
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


def per_axis(value, count):
    """``value`` (a mode, size, sigma, origin, ...) once per axis: repeated, or a sequence of ``count``."""
    if isinstance(value, str) or not np.iterable(value):
        return [value] * count
    values = list(value)
    if len(values) != count:
        raise RuntimeError(
            f"sequence argument must have length equal to input rank: {value=} for {count} axes"
        )
    return values


def expanded_origins(origin, axes, ndim):
    """SciPy's origin on each axis of an ``ndim``-d array for a filter over ``axes``: as given for
    ``axes`` (one for all, or one each), 0 on the others. With every axis filtered SciPy keeps the
    order given, whatever the order of ``axes``."""
    origins = per_axis(origin, len(axes))
    return origins if len(axes) == ndim else _over_all_axes(origins, axes, ndim, 0)


def expanded_modes(mode, axes, ndim):
    """A sequence of modes over every axis ('constant' on those not filtered); a single mode as it is."""
    if isinstance(mode, str) or not isinstance(mode, Iterable):
        return mode
    return _over_all_axes(per_axis(mode, len(axes)), axes, ndim, "constant")


def _over_all_axes(values, axes, ndim, fill):
    spread = [fill] * ndim
    for ax, value in zip(axes, values, strict=True):
        spread[ax] = value
    return spread


def filter_shape(shape, axes, ndim, name):
    """The shape of a filter (``name``: "footprint", "weights") given over ``axes`` on an ``ndim``-d array:
    its axes on ``axes`` in increasing order (as SciPy places them), length 1 on the others."""
    if len(axes) == ndim:
        return tuple(shape)
    if len(shape) != len(axes):
        raise RuntimeError(f"{name}.ndim ({len(shape)}) must match len(axes) ({len(axes)})")
    sizes = iter(shape)
    return tuple(next(sizes) if ax in axes else 1 for ax in range(ndim))
