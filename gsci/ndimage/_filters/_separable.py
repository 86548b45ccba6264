"""correlate1d, convolve1d and laplace: 1-D filters along axes, with SciPy's boundary modes.

The public functions validate like SciPy and settle dtypes (integers and
bool compute in float64 and are cast back like SciPy's C code, complex goes
through real and imaginary parts); the stencil itself comes from an engine:
`_stencil_xp` (Array API code) on the native path, `_stencil_cuda` (the
Numba CUDA kernel) on the kernel path. Dtype and output rules: `_support`.
"""

import functools
import math
import numbers
import operator

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._boundary import mode_code
from gsci._lib._compat import device, is_numpy_namespace
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
    output_dtype,
    per_axis,
    quiet_numpy,
    real_cval,
    work_dtype,
)

# SciPy costs less per call until the CPU kernel has enough work for every core (BENCHMARKS.md)
_SCIPY_IS_FASTER = fewer_elements(2**16)


def _correlate1d(input, weights, axis, output, mode, cval, origin, xp, engine, promote=True):
    """``promote=False``: a real ``output`` dtype for a complex result is refused, not promoted
    (the filters that chain 1-D passes give SciPy's correlate1d an output array)."""
    input = as_array(input, xp)
    weights = as_array(weights, xp, like=input)
    if isinstance(weights, np.ndarray) and not is_numpy_namespace(xp):  # the host taps of a chained filter
        weights = xp.asarray(weights, device=device(input))
    complex_weights = is_complex(weights, xp)
    complex_output = is_complex(input, xp) or complex_weights
    out_dtype = output_dtype(output, input, xp, complex_output=complex_output, promote=promote)
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
    if math.prod(x.shape) == 0:
        return xp.zeros(x.shape, dtype=out_dtype, device=device(x))
    # float64 taps and sums, as SciPy's: float32 taps would lose the weights' normalization
    data = x if x.dtype == xp.float32 else xp.astype(x, xp.float64, copy=False)
    w = xp.astype(w, xp.float64, copy=False)
    stored = out_dtype if xp.isdtype(out_dtype, "real floating") else None  # else cast as SciPy's C
    with quiet_numpy():
        result = engine.correlate(data, w, axis, code, cval, origin, xp, stored)
        return cast(result, out_dtype, xp)


def _laplace(input, output, mode, cval, axes, xp, engine):
    input = as_array(input, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=is_complex(input, xp), promote=False)
    axes = check_axes(axes, input.ndim)
    codes = [mode_code(m) for m in per_axis(mode, len(axes))]
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
    As in SciPy, the weights and sums are float64 (float32 input is read as
    it is on NumPy), integer and bool inputs compute in float64, and the
    result is truncated to the output dtype. On CUDA arrays a Numba CUDA
    kernel runs on the current stream.

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


# ---- filters built from 1-D passes: each pass's result is stored in the output dtype, as in SciPy


def _chain(input, output, passes, xp, *, promote=False):
    """``input`` through ``passes`` (``pass_(x, dtype) -> array``), each result stored in the output
    dtype as SciPy stores it in its output array; no pass is a copy in that dtype.

    A real output dtype for complex input is promoted with a warning where ``promote`` (uniform_filter
    asks SciPy for a complex output), else refused as SciPy's first pass refuses it.
    """
    input = as_array(input, xp)
    dtype = output_dtype(output, input, xp, complex_output=is_complex(input, xp), promote=promote)
    result = input
    for pass_ in passes:
        result = pass_(result, dtype)
    if not passes:
        result = xp.astype(input, dtype, copy=True)
    return deliver(result, output, xp)


def _uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp, engine):
    input = as_array(input, xp)
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    if size < 1:
        raise RuntimeError(f"incorrect filter size: size must be at least 1, got {size=}")
    origin = operator.index(origin)
    complex_input = is_complex(input, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=complex_input)
    if size // 2 + origin < 0 or size // 2 + origin >= size:
        raise ValueError(f"invalid origin: need -(size // 2) <= origin < size - size // 2, got {origin=}")
    code = mode_code(mode)

    def real_uniform(x, w, value, dtype):
        check_supported(x.dtype, "input", xp)
        if math.prod(x.shape) == 0:
            return xp.zeros(x.shape, dtype=dtype, device=device(x))
        with quiet_numpy():
            stored = dtype if xp.isdtype(dtype, "real floating") else xp.float64  # else cast as SciPy's C
            means = engine.uniform(x, int(size), axis, code, value, origin, xp, stored)
            return cast(means, dtype, xp)

    if complex_input:
        result = complex_combination(real_uniform, input, None, cval, out_dtype, xp)
    else:
        result = real_uniform(input, None, real_cval(cval), out_dtype)
    return deliver(result, output, xp)


def _uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None, xp, engine):
    input = as_array(input, xp)
    axes = check_axes(axes, input.ndim)
    count = len(axes)
    per = zip(axes, per_axis(size, count), per_axis(origin, count), per_axis(mode, count), strict=True)
    passes = [
        functools.partial(
            _uniform_pass, size=int(s), axis=a, mode=m, cval=cval, origin=o, xp=xp, engine=engine
        )
        for a, s, o, m in per
        if s > 1
    ]
    return _chain(input, output, passes, xp, promote=True)


def _uniform_pass(x, dtype, *, size, axis, mode, cval, origin, xp, engine):
    return _uniform_filter1d(x, size, axis, dtype, mode, cval, origin, xp=xp, engine=engine)


def _gaussian_weights(sigma, order, truncate, radius):
    """The correlation taps of SciPy's Gaussian (derivative ``order``) of standard deviation ``sigma``."""
    sigma = float(sigma)
    if radius is None:
        radius = int(truncate * sigma + 0.5)
    if not isinstance(radius, numbers.Integral) or radius < 0:
        raise ValueError(f"Radius must be a nonnegative integer, got {radius=} (sigma={sigma}, {truncate=})")
    if order < 0:
        raise ValueError(f"order must be non-negative, got {order=}")
    x = np.arange(-radius, radius + 1)
    with np.errstate(invalid="ignore", divide="ignore"):  # sigma 0: SciPy's NaN taps
        phi = np.exp(-0.5 / (sigma * sigma) * x**2)
        phi /= phi.sum()
        # the derivative is q(x) phi(x), with q_0 = 1 and q_{k+1} = q_k' - x q_k / sigma^2
        q = np.zeros(order + 1)
        q[0] = 1.0
        for _ in range(order):
            q = np.append(q[1:] * np.arange(1, order + 1), 0.0) - np.insert(q[:-1], 0, 0.0) / (sigma * sigma)
        taps = (x[:, None] ** np.arange(order + 1)) @ q * phi
    return np.ascontiguousarray(taps[::-1])  # correlating with the reversed kernel convolves


def _gaussian_filter1d(
    input,
    sigma,
    axis=-1,
    order=0,
    output=None,
    mode="reflect",
    cval=0.0,
    truncate=4.0,
    *,
    radius=None,
    xp,
    engine,
):
    weights = _gaussian_weights(sigma, order, truncate, radius)
    return _correlate1d(input, weights, axis, output, mode, cval, 0, xp, engine)


def _gaussian_filter(
    input,
    sigma,
    order=0,
    output=None,
    mode="reflect",
    cval=0.0,
    truncate=4.0,
    *,
    radius=None,
    axes=None,
    xp,
    engine,
):
    input = as_array(input, xp)
    axes = check_axes(axes, input.ndim)
    count = len(axes)
    per = zip(
        axes,
        per_axis(sigma, count),
        per_axis(order, count),
        per_axis(mode, count),
        per_axis(radius, count),
        strict=True,
    )
    passes = [
        functools.partial(
            _correlate_pass,
            weights=_gaussian_weights(s, o, truncate, r),
            axis=a,
            mode=m,
            cval=cval,
            xp=xp,
            engine=engine,
        )
        for a, s, o, m, r in per
        if s > 1e-15
    ]
    return _chain(input, output, passes, xp)


def _correlate_pass(x, dtype, *, weights, axis, mode, cval, xp, engine):
    return _correlate1d(x, weights, axis, dtype, mode, cval, 0, xp, engine, promote=False)


_DIFFERENCE = (-1.0, 0.0, 1.0)
_PREWITT_SMOOTHING = (1.0, 1.0, 1.0)
_SOBEL_SMOOTHING = (1.0, 2.0, 1.0)


def _difference_filter(input, axis, output, mode, cval, smoothing, xp, engine):
    """The central difference along ``axis``, then ``smoothing`` along every other axis (sobel, prewitt)."""
    input = as_array(input, xp)
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    modes = per_axis(mode, input.ndim)

    def along(a, weights):
        return functools.partial(
            _correlate_pass, weights=weights, axis=a, mode=modes[a], cval=cval, xp=xp, engine=engine
        )

    passes = [along(axis, _DIFFERENCE)] + [along(a, smoothing) for a in range(input.ndim) if a != axis]
    return _chain(input, output, passes, xp)


def _prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *, xp, engine):
    return _difference_filter(input, axis, output, mode, cval, _PREWITT_SMOOTHING, xp, engine)


def _sobel(input, axis=-1, output=None, mode="reflect", cval=0.0, *, xp, engine):
    return _difference_filter(input, axis, output, mode, cval, _SOBEL_SMOOTHING, xp, engine)


def _generic_laplace(
    input,
    derivative2,
    output=None,
    mode="reflect",
    cval=0.0,
    extra_arguments=(),
    extra_keywords=None,
    *,
    axes,
    xp,
):
    input = as_array(input, xp)
    dtype = output_dtype(output, input, xp, complex_output=is_complex(input, xp), promote=False)
    axes = check_axes(axes, input.ndim)
    parts = _derivatives(derivative2, input, axes, dtype, mode, cval, extra_arguments, extra_keywords, xp)
    if not parts:
        return deliver(xp.astype(input, dtype, copy=True), output, xp)
    return deliver(_sum_in(parts, dtype, xp), output, xp)


def _generic_gradient_magnitude(
    input,
    derivative,
    output=None,
    mode="reflect",
    cval=0.0,
    extra_arguments=(),
    extra_keywords=None,
    *,
    axes,
    xp,
):
    input = as_array(input, xp)
    dtype = output_dtype(output, input, xp, complex_output=is_complex(input, xp), promote=False)
    axes = check_axes(axes, input.ndim)
    parts = _derivatives(derivative, input, axes, dtype, mode, cval, extra_arguments, extra_keywords, xp)
    if not parts:
        return deliver(xp.astype(input, dtype, copy=True), output, xp)
    with quiet_numpy():
        squares = _sum_in(_squared(parts, xp), dtype, xp)
        return deliver(_square_root_in(squares, dtype, xp), output, xp)


def _derivatives(derivative, input, axes, dtype, mode, cval, extra_arguments, extra_keywords, xp):
    """``derivative(input, axis, dtype, mode, cval, *extra_arguments, **extra_keywords)`` per axis, in
    ``dtype``. SciPy hands the first call its output array; gsci hands every call the output dtype."""
    modes = per_axis(mode, len(axes))
    keywords = extra_keywords or {}
    parts = []
    for axis, m in zip(axes, modes, strict=True):
        part = derivative(input, axis, dtype, m, cval, *extra_arguments, **keywords)
        part = xp.astype(as_array(part, xp), dtype, copy=False)
        # NumPy sums the parts in place: never into the input, nor twice into one array
        if is_numpy_namespace(xp) and any(np.may_share_memory(part, a) for a in (input, *parts)):
            part = part.copy()
        parts.append(part)
    return parts


def _sum_in(parts, dtype, xp):
    """The sum of ``parts`` in ``dtype``, as SciPy's ``output += part`` (or, for bool); in place on
    NumPy, whose parts are the derivative's own new arrays (see `_derivatives`)."""
    add = xp.logical_or if xp.isdtype(dtype, "bool") else xp.add
    total = parts[0]
    for part in parts[1:]:
        total = add(total, part, out=total) if is_numpy_namespace(xp) else add(total, part)
    return total


def _squared(parts, xp):
    return [xp.multiply(p, p, out=p) if is_numpy_namespace(xp) else p * p for p in parts]


def _square_root_in(values, dtype, xp):
    """``sqrt`` as NumPy's ufunc takes it into an integer output: in the float type NumPy picks for
    the integer dtype (float16 for 8 bits, float32 for 16, else float64), then cast back."""
    if xp.isdtype(dtype, ("real floating", "complex floating")):
        return xp.sqrt(values, out=values) if is_numpy_namespace(xp) else xp.sqrt(values)
    if dtype in (xp.bool, xp.int8, xp.uint8):
        work = getattr(xp, "float16", xp.float32)  # array-api-strict has no float16
    elif dtype in (xp.int16, xp.uint16):
        work = xp.float32
    else:
        work = xp.float64
    return cast(xp.astype(xp.sqrt(xp.astype(values, work)), xp.float64), dtype, xp)


def _gaussian_laplace(
    input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None, xp, engine, **kwargs
):
    input = as_array(input, xp)
    axes = check_axes(axes, input.ndim)
    sigmas = [0] * input.ndim
    for axis, s in zip(axes, per_axis(sigma, len(axes)), strict=True):
        sigmas[axis] = s

    def derivative2(x, axis, dtype, mode, cval, sigma, **keywords):
        order = [2 if a == axis else 0 for a in range(x.ndim)]
        return _gaussian_filter(x, sigma, order, dtype, mode, cval, **keywords, xp=xp, engine=engine)

    return _generic_laplace(input, derivative2, output, mode, cval, (sigmas,), kwargs, axes=axes, xp=xp)


def _gaussian_gradient_magnitude(
    input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None, xp, engine, **kwargs
):
    def derivative(x, axis, dtype, mode, cval, sigma, **keywords):
        order = [1 if a == axis else 0 for a in range(x.ndim)]
        return _gaussian_filter(x, sigma, order, dtype, mode, cval, **keywords, xp=xp, engine=engine)

    return _generic_gradient_magnitude(
        input, derivative, output, mode, cval, (sigma,), kwargs, axes=axes, xp=xp
    )


def _documented(function):
    """Fill the shared parts of ``function``'s docstring."""
    function.__doc__ = function.__doc__.format(
        returns=_RETURNS,
        derivative=_DERIVATIVE_CALLABLE.format(name="derivative"),
        derivative2=_DERIVATIVE_CALLABLE.format(name="derivative2"),
    )
    return function


def _on_cuda(implementation):
    """The kernel path of ``implementation``: the same code on the CUDA stencil engine."""
    return functools.partial(implementation, engine=_stencil_cuda)


_RETURNS = """Returns
    -------
    result : array
        The filtered array, with the shape of `input`, in `input`'s library and
        on its device; written into `output` when it is an array (see
        `correlate1d`, which also states the dtype rules)."""

_DERIVATIVE_CALLABLE = """The derivative is called as ``{name}(input, axis, output, mode, cval,
        *extra_arguments, **extra_keywords)`` once per axis and must return its
        result: gsci passes ``output`` as the output dtype (SciPy passes its
        output array to the first call, whose return value it ignores). It gets
        arrays of `input`'s library; for torch CPU tensors outside autograd,
        NumPy arrays (the NumPy route they take), as SciPy gives."""


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_uniform_filter1d),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp):
    """Calculate a 1-D uniform filter along the given axis: the mean of `size` values.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    size : int
        Length of the uniform filter.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str, optional
        The boundary mode (see `correlate1d`). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int, optional
        Shifts the filter; ``-(size // 2) <= origin < size - size // 2``. Default 0.

    {returns}

    Notes
    -----
    As in SciPy, each mean is a float64 running sum (the first window summed,
    then one value in and one out per step) divided by `size`: exact for
    integers. On CUDA arrays each sum is taken afresh: equal to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import uniform_filter1d
    >>> uniform_filter1d(np.array([2, 8, 0, 4, 1, 9, 9, 0]), size=3)
    array([4, 3, 4, 1, 4, 6, 6, 3])
    """
    return _uniform_filter1d(input, size, axis, output, mode, cval, origin, xp=xp, engine=_stencil_xp)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_uniform_filter),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None, xp):
    """Multidimensional uniform filter: 1-D uniform filters along each axis in turn.

    Parameters
    ----------
    input : array_like
        The input array.
    size : int or sequence of ints, optional
        The sizes of the uniform filter, one for all axes or one per axis in `axes`.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. The intermediate results are stored in this dtype too, as in SciPy.
    mode : str or sequence of str, optional
        The boundary mode (see `correlate1d`), or one per axis in `axes`.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int or sequence of ints, optional
        Shifts the filter, one for all axes or one per axis. Default 0.
    axes : tuple of int or None, optional
        The axes to filter; default all.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import uniform_filter
    >>> uniform_filter(np.arange(9.0).reshape(3, 3), size=2)
    array([[0. , 0.5, 1.5],
           [1.5, 2. , 3. ],
           [4.5, 5. , 6. ]])
    """
    return _uniform_filter(input, size, output, mode, cval, origin, axes=axes, xp=xp, engine=_stencil_xp)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_gaussian_filter1d),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def gaussian_filter1d(
    input, sigma, axis=-1, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0, *, radius=None, xp
):
    """1-D Gaussian filter (or the convolution with a derivative of a Gaussian).

    Parameters
    ----------
    input : array_like
        The input array.
    sigma : scalar
        Standard deviation of the Gaussian kernel, in samples.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    order : int, optional
        0 (default) convolves with a Gaussian; a positive order with that
        derivative of a Gaussian.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str, optional
        The boundary mode (see `correlate1d`). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    truncate : float, optional
        Truncate the filter at this many standard deviations. Default is 4.0.
    radius : None or int, optional
        Radius of the Gaussian kernel; if given, it overrides `truncate`
        (the kernel has ``2 * radius + 1`` taps).

    {returns}

    Notes
    -----
    The taps are computed on the host from `sigma` (a host number) and
    passed to the stencil as data: no new compilation for a new `sigma`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import gaussian_filter1d
    >>> gaussian_filter1d(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 1).round(4).tolist()
    [1.427, 2.0678, 3.0, 3.9322, 4.573]
    """
    return _gaussian_filter1d(
        input, sigma, axis, order, output, mode, cval, truncate, radius=radius, xp=xp, engine=_stencil_xp
    )


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_gaussian_filter),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def gaussian_filter(
    input, sigma, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0, *, radius=None, axes=None, xp
):
    """Multidimensional Gaussian filter: 1-D Gaussian filters along each axis in turn.

    Parameters
    ----------
    input : array_like
        The input array.
    sigma : scalar or sequence of scalars
        Standard deviation of the Gaussian, one for all axes or one per axis
        in `axes`; axes with ``sigma <= 1e-15`` are not filtered.
    order : int or sequence of ints, optional
        The derivative order along each axis (see `gaussian_filter1d`). Default 0.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. The intermediate results are stored in this dtype too, as in SciPy.
    mode : str or sequence of str, optional
        The boundary mode (see `correlate1d`), or one per axis in `axes`.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    truncate : float, optional
        Truncate the filter at this many standard deviations. Default is 4.0.
    radius : None or int or sequence of ints, optional
        Radius of the Gaussian kernel, one for all axes or one per axis; it
        overrides `truncate`.
    axes : tuple of int or None, optional
        The axes to filter; default all.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import gaussian_filter
    >>> gaussian_filter(np.arange(9.0).reshape(3, 3), sigma=1).round(3)
    array([[1.688, 2.266, 2.844],
           [3.422, 4.   , 4.578],
           [5.156, 5.734, 6.312]])
    """
    return _gaussian_filter(
        input, sigma, order, output, mode, cval, truncate, radius=radius, axes=axes, xp=xp, engine=_stencil_xp
    )


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_prewitt),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *, xp):
    """Prewitt filter: the central difference along `axis`, smoothed by ``[1, 1, 1]`` along the others.

    Parameters
    ----------
    input : array_like
        The input array.
    axis : int, optional
        The axis of the difference. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array (also that of the intermediate results, as in SciPy).
    mode : str or sequence of str, optional
        The boundary mode (see `correlate1d`), or one per axis of `input`.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import prewitt
    >>> prewitt(np.array([[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]), axis=1)
    array([[0, 3, 3, 0],
           [0, 3, 3, 0],
           [0, 3, 3, 0]])
    """
    return _prewitt(input, axis, output, mode, cval, xp=xp, engine=_stencil_xp)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_sobel),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0, *, xp):
    """Sobel filter: the central difference along `axis`, smoothed by ``[1, 2, 1]`` along the others.

    Parameters
    ----------
    input : array_like
        The input array.
    axis : int, optional
        The axis of the difference. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array (also that of the intermediate results, as in SciPy).
    mode : str or sequence of str, optional
        The boundary mode (see `correlate1d`), or one per axis of `input`.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import sobel
    >>> sobel(np.array([[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]), axis=1)
    array([[0, 4, 4, 0],
           [0, 4, 4, 0],
           [0, 4, 4, 0]])
    """
    return _sobel(input, axis, output, mode, cval, xp=xp, engine=_stencil_xp)


@gsci_function("ndimage", arrays=("input", "output"), scipy_when=_SCIPY_IS_FASTER, torch_as_numpy=True)
@_documented
def generic_laplace(
    input,
    derivative2,
    output=None,
    mode="reflect",
    cval=0.0,
    extra_arguments=(),
    extra_keywords=None,
    *,
    axes=None,
    xp,
):
    """N-D Laplace filter from a second-derivative function: the sum of its results over `axes`.

    Parameters
    ----------
    input : array_like
        The input array.
    derivative2 : callable
        The second derivative along one axis. {derivative2}
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str or sequence of str, optional
        The boundary mode, or one per axis in `axes`. Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    extra_arguments : sequence, optional
        Extra positional arguments for `derivative2`.
    extra_keywords : dict, optional
        Extra keyword arguments for `derivative2`.
    axes : tuple of int or None, optional
        The axes to filter; default all.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import correlate1d, generic_laplace
    >>> def second_difference(x, axis, output, mode, cval):
    ...     return correlate1d(x, [1.0, -2.0, 1.0], axis, output, mode, cval)
    >>> x = np.zeros((5, 5))
    >>> x[2, 2] = 1.0
    >>> generic_laplace(x, second_difference)[2]
    array([ 0.,  1., -4.,  1.,  0.])
    """
    return _generic_laplace(
        input, derivative2, output, mode, cval, extra_arguments, extra_keywords, axes=axes, xp=xp
    )


@gsci_function("ndimage", arrays=("input", "output"), scipy_when=_SCIPY_IS_FASTER, torch_as_numpy=True)
@_documented
def generic_gradient_magnitude(
    input,
    derivative,
    output=None,
    mode="reflect",
    cval=0.0,
    extra_arguments=(),
    extra_keywords=None,
    *,
    axes=None,
    xp,
):
    """Gradient magnitude from a first-derivative function: the root of the sum of its squares over `axes`.

    Parameters
    ----------
    input : array_like
        The input array.
    derivative : callable
        The first derivative along one axis (`sobel` and `prewitt` fit). {derivative}
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array: the squares are summed in it, as in SciPy.
    mode : str or sequence of str, optional
        The boundary mode, or one per axis in `axes`. Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    extra_arguments : sequence, optional
        Extra positional arguments for `derivative`.
    extra_keywords : dict, optional
        Extra keyword arguments for `derivative`.
    axes : tuple of int or None, optional
        The axes to filter; default all.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import generic_gradient_magnitude, sobel
    >>> x = np.zeros((5, 5))
    >>> x[2, 2] = 1.0
    >>> generic_gradient_magnitude(x, sobel)[2]
    array([0., 2., 0., 2., 0.])
    """
    return _generic_gradient_magnitude(
        input, derivative, output, mode, cval, extra_arguments, extra_keywords, axes=axes, xp=xp
    )


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_gaussian_laplace),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def gaussian_laplace(input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None, xp, **kwargs):
    """Multidimensional Laplace filter using Gaussian second derivatives.

    Parameters
    ----------
    input : array_like
        The input array.
    sigma : scalar or sequence of scalars
        Standard deviation of the Gaussian, one for all axes or one per axis in `axes`.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str or sequence of str, optional
        The boundary mode, or one per axis in `axes`. Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    axes : tuple of int or None, optional
        The axes to filter; default all.
    **kwargs
        Passed to `gaussian_filter` (``truncate``, ``radius``).

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import gaussian_laplace
    >>> x = np.zeros((5, 5))
    >>> x[2, 2] = 1.0
    >>> gaussian_laplace(x, sigma=1).round(3)[2]
    array([ 0.055, -0.096, -0.318, -0.096,  0.055])
    """
    return _gaussian_laplace(input, sigma, output, mode, cval, axes=axes, xp=xp, engine=_stencil_xp, **kwargs)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel=_on_cuda(_gaussian_gradient_magnitude),
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
@_documented
def gaussian_gradient_magnitude(
    input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None, xp, **kwargs
):
    """Multidimensional gradient magnitude using Gaussian derivatives.

    Parameters
    ----------
    input : array_like
        The input array.
    sigma : scalar or sequence of scalars
        Standard deviation of the Gaussian, one for all axes or one per axis
        of `input` (it goes to `gaussian_filter` as given, as in SciPy).
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str or sequence of str, optional
        The boundary mode, or one per axis in `axes`. Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    axes : tuple of int or None, optional
        The axes to filter; default all.
    **kwargs
        Passed to `gaussian_filter` (``truncate``, ``radius``).

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import gaussian_gradient_magnitude
    >>> x = np.zeros((5, 5))
    >>> x[2, 2] = 1.0
    >>> gaussian_gradient_magnitude(x, sigma=1).round(3)[2]
    array([0.038, 0.096, 0.   , 0.096, 0.038])
    """
    return _gaussian_gradient_magnitude(
        input, sigma, output, mode, cval, axes=axes, xp=xp, engine=_stencil_xp, **kwargs
    )
