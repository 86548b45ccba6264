"""fourier_gaussian, fourier_uniform, fourier_ellipsoid and fourier_shift: filters of a Fourier transform.

The input is read as the FFT of an array (a complex FFT along every axis when
``n < 0``; along ``axis`` a real FFT of an axis of length ``n`` otherwise) and
multiplied by the transform of a Gaussian, a box, an ellipsoid or a shift.
The multiplier is built from 1-D frequency grids (``xp.arange`` on the
input's device), one per axis, broadcast against the input: the Gaussian,
box and shift multipliers are outer products of per-axis factors, the
ellipsoid's a function of the radius over the broadcast grids. The work is
elementwise and memory-bound, which every Array API library runs well, so
there is no CUDA kernel. On Dask the 1-D grids take the input's chunks, so
the product keeps them and stays lazy. NumPy input (and torch CPU tensors
outside autograd, as NumPy views) takes SciPy's C loop where it is faster,
as declared below: small arrays, and the ellipsoid at every size.
"""

import dataclasses
import math
import operator

import numpy as np

from gsci._lib._arrays import as_array, is_array
from gsci._lib._compat import device, is_dask_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._filters._support import complex_from_parts, deliver, is_complex, quiet_numpy


@dataclasses.dataclass(frozen=True)
class _fewer_elements_by_kind(fewer_elements):  # lower case, as its parent: a predicate
    """A ``scipy_when``: fewer than ``count`` elements, or ``complex_count`` for complex arrays."""

    complex_count: int = 0

    def test(self, name):
        return f"{name}.size < ({self.complex_count} if {name}.dtype.kind == 'c' else {self.count})"


# Where SciPy's C loop costs less than the Array API steps, measured on NumPy (2 cores, best of interleaved
# repeats): its fixed cost is ~3 us against ~50 us; per element the two passes over complex data here are
# only ~1.2x faster than SciPy's loop, over real data ~2x; its shift takes a sine and cosine per element.
_SCIPY_IS_FASTER_SEPARABLE = _fewer_elements_by_kind(2**15, complex_count=2**18)
_SCIPY_IS_FASTER_SHIFT = fewer_elements(2**12)
# SciPy evaluates one branch of J1 per element; the vectorized radius function costs ~5x more at every size
_SCIPY_FOR_THE_ELLIPSOID = {"numpy": "SciPy's loop evaluates one branch of J1 per element: 12x faster"}
_GAUSSIAN_CUTOFF = 50.0  # SciPy's exp(t) is 0 where |t| > 50

# Cephes' rational approximations of the Bessel function J1 (SciPy's C code uses them), highest power first
_J1_NEAR_NUMERATOR = (-8.99971225705559398224e8, 4.52228297998194034323e11, -7.27494245221818276015e13,
                      3.68295732863852883286e15)  # fmt: skip
_J1_NEAR_DENOMINATOR = (1.0, 6.20836478118054335476e2, 2.56987256757748830383e5, 8.35146791431949253037e7,
                        2.21511595479792499675e10, 4.74914122079991414898e12, 7.84369607876235854894e14,
                        8.95222336184627338078e16, 5.32278620332680085395e18)  # fmt: skip
_J1_NEAR_ROOTS = (1.46819706421238932572e1, 4.92184563216946036703e1)  # squares of J1's first two zeros
_J1_FAR_P_NUMERATOR = (7.62125616208173112003e-4, 7.31397056940917570436e-2, 1.12719608129684925192e0,
                       5.11207951146807644818e0, 8.42404590141772420927e0, 5.21451598682361504063e0,
                       1.00000000000000000254e0)  # fmt: skip
_J1_FAR_P_DENOMINATOR = (5.71323128072548699714e-4, 6.88455908754495404082e-2, 1.10514232634061696926e0,
                         5.07386386128601488557e0, 8.39985554327604159757e0, 5.20982848682361821619e0,
                         9.99999999999999997461e-1)  # fmt: skip
_J1_FAR_Q_NUMERATOR = (5.10862594750176621635e-2, 4.98213872951233449420e0, 7.58238284132545283818e1,
                       3.66779609360150777800e2, 7.10856304998926107277e2, 5.97489612400613639965e2,
                       2.11688757100572135698e2, 2.52070205858023719784e1)  # fmt: skip
_J1_FAR_Q_DENOMINATOR = (1.0, 7.42373277035675149943e1, 1.05644886038262816351e3, 4.98641058337653607651e3,
                         9.56231892404756170795e3, 7.99704160447350683650e3, 2.82619278517639096600e3,
                         3.36093607810698293419e2)  # fmt: skip


def _output_dtype(output, input, xp, complex_result):
    """The result dtype from SciPy's ``output`` (None, a dtype or an array), checked like SciPy."""
    complex_dtypes = (xp.complex64, xp.complex128)
    if output is None:
        keep = complex_dtypes if complex_result else (*complex_dtypes, xp.float32)
        if input.dtype in keep:
            return input.dtype
        return xp.complex128 if complex_result else xp.float64
    if is_array(output):
        if tuple(output.shape) != tuple(input.shape):
            raise RuntimeError(f"output shape not correct: {output.shape=} but {input.shape=}")
        if isinstance(output, np.ndarray) and not output.flags.writeable:
            raise ValueError("output array is read-only.")
        return output.dtype
    allowed = complex_dtypes if complex_result else (*complex_dtypes, xp.float32, xp.float64)
    if isinstance(output, type | np.dtype | str):
        name = np.dtype(output).name
        dtype = getattr(xp, name) if name in ("float32", "float64", "complex64", "complex128") else None
    else:
        dtype = output
    if dtype not in allowed:
        raise RuntimeError(f"output type not supported: {output=}")
    return dtype


def _check_dtypes(input, out_dtype, xp, complex_result):
    """SciPy's C loop takes bool, integer, float32/64 and complex64/128 input, float or complex output."""
    exact = (xp.float32, xp.float64, xp.complex64, xp.complex128)
    if not (xp.isdtype(input.dtype, ("bool", "integral")) or input.dtype in exact):
        raise RuntimeError(f"data type not supported: input.dtype={input.dtype}")
    outputs = exact[2:] if complex_result or is_complex(input, xp) else exact
    if out_dtype not in outputs:
        raise RuntimeError(f"data type not supported: output dtype {out_dtype} for input.dtype={input.dtype}")


def _per_axis(value, name, ndim):
    """A number or one per axis, as Python floats (SciPy converts them with ``np.asarray``)."""
    if not isinstance(value, str) and np.iterable(value):
        values = list(value)
        if len(values) != ndim:
            raise RuntimeError(
                f"sequence argument must have length equal to input rank: {name}={value!r} for {ndim=}"
            )
    else:
        values = [value] * ndim
    return [float(v) for v in np.asarray(values, dtype=np.float64)]


def _divide(a, b):
    """``a / b`` in IEEE arithmetic, as SciPy's C code divides: inf or NaN where ``b`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / b)


def _frequencies(input, axis, real, xp):
    """Frequency indices along ``axis`` in FFT order: 0, 1, ... on a real-FFT axis, else 0, 1, ..., -2, -1."""
    length = input.shape[axis]
    chunks = {"chunks": (input.chunks[axis],)} if is_dask_namespace(xp) else {}  # the input's: no rechunk
    k = xp.arange(length, dtype=xp.float64, device=device(input), **chunks)
    return k if real else xp.where(k < (length + 1) // 2, k, k - length)


def _axes(input, n, axis, xp, skip_single=True):
    """``(axis, frequencies, transform length)`` of each axis; axes of length 1 left out if ``skip_single``.

    The transform length is the axis's, or ``n`` on the real-FFT axis.
    """
    found = []
    for h, length in enumerate(input.shape):
        real = h == axis and n >= 0
        if length > 1 or not skip_single:
            found.append((h, _frequencies(input, h, real, xp), n if real else length))
    return found


def _gaussian_factor(k, sigma, length, xp):
    scale = _divide(sigma * math.pi, length)
    exponent = (-2.0 * scale * scale) * k * k
    return xp.where(xp.abs(exponent) > _GAUSSIAN_CUTOFF, 0.0, xp.exp(exponent))


def _uniform_factor(k, size, length, xp):
    step = _divide(math.pi * size, length)
    zero = k == 0
    if not step > 0.0:  # SciPy's box is then 0 beyond the zero frequency
        return xp.astype(zero, xp.float64)
    x = xp.where(zero, 1.0, step * k)
    return xp.where(zero, 1.0, xp.sin(x) / x)


def _shift_factor(k, shift, length, xp):
    phase = _divide(-2.0 * math.pi * shift, length) * k
    return complex_from_parts(xp.cos(phase), xp.sin(phase), xp.complex128, xp)


def _ellipsoid_multiplier(axes, sizes, ndim, xp):
    """The transform of an ellipsoid, a function of the scaled radius (float64, broadcast)."""
    scaled = [(h, k * _divide(math.pi * sizes[h], length)) for h, k, length in axes]
    if ndim == 1:
        x = scaled[0][1]
        nonzero = x != 0
        safe = xp.where(nonzero, x, 1.0)
        return xp.where(nonzero, xp.sin(safe) / safe, 1.0)
    squared = _outer([(h, s * s) for h, s in scaled], ndim, xp, xp.add)
    radius = xp.sqrt(squared)
    positive = radius > 0.0  # False for NaN too, as in SciPy
    r = xp.where(positive, radius, 1.0)
    if ndim == 2:
        return xp.where(positive, 2.0 * _bessel_j1(r, xp) / r, 1.0)
    return xp.where(positive, 3.0 * (xp.sin(r) - r * xp.cos(r)) / (r * r * r), 1.0)


def _bessel_j1(x, xp):
    """J1(x) for x > 0, from Cephes' rational approximations (below and above x = 5)."""
    z = x * x
    root1, root2 = _J1_NEAR_ROOTS
    near = _polynomial(z, _J1_NEAR_NUMERATOR) / _polynomial(z, _J1_NEAR_DENOMINATOR)
    near = near * x * (z - root1) * (z - root2)
    far_x = xp.where(x > 5.0, x, 5.0)
    w = 5.0 / far_x
    z = w * w
    p = _polynomial(z, _J1_FAR_P_NUMERATOR) / _polynomial(z, _J1_FAR_P_DENOMINATOR)
    q = _polynomial(z, _J1_FAR_Q_NUMERATOR) / _polynomial(z, _J1_FAR_Q_DENOMINATOR)
    shifted = far_x - 3.0 * math.pi / 4.0
    far = (p * xp.cos(shifted) - w * q * xp.sin(shifted)) * math.sqrt(2.0 / math.pi) / xp.sqrt(far_x)
    return xp.where(x > 5.0, far, near)


def _polynomial(x, coefficients):
    """Horner's rule, highest power first."""
    result = coefficients[0] * x + coefficients[1]
    for c in coefficients[2:]:
        result = result * x + c
    return result


def _outer(factors, ndim, xp, combine):
    """``combine`` (multiply or add) of 1-D per-axis arrays ``[(axis, factor)]``, broadcast to ``ndim``."""
    result = None
    for h, factor in factors:
        factor = _along(factor, h, ndim, xp)
        result = factor if result is None else combine(result, factor)
    return result


def _along(factor, axis, ndim, xp):
    """1-D ``factor`` shaped to broadcast along ``axis`` of ``ndim`` dimensions."""
    shape = [1] * ndim
    shape[axis] = factor.shape[0]
    return xp.reshape(factor, tuple(shape))


def _single_precision(input, out_dtype, xp):
    """SciPy computes in float64; float32/complex64 in and out stay single (within its tolerance)."""
    single = (xp.float32, xp.complex64)
    return input.dtype in single and out_dtype in single


def _in_precision(a, single, xp):
    """Float64 or complex128 ``a`` as float32 or complex64 where ``single``."""
    if not single:
        return a
    return xp.astype(a, xp.complex64 if is_complex(a, xp) else xp.float32)


def _filtered(input, multipliers, out_dtype, single, xp):
    """``input`` times the product of the broadcastable ``multipliers`` (none, one or two), as ``out_dtype``.

    Two multipliers are applied in turn, the second in place: on NumPy two
    passes over the data are faster than one over a full-size product grid.
    """
    precision = xp.float32 if single else xp.float64
    if is_complex(input, xp):
        precision = xp.complex64 if single else xp.complex128
    x = xp.astype(input, precision, copy=False)
    if not multipliers:
        return xp.astype(x, out_dtype, copy=True)
    first, *second = multipliers
    result = x * first
    if second:
        result *= second[0]  # result is new: never the input
    return xp.astype(result, out_dtype, copy=False)


def _separable(input, values, name, n, axis, output, xp, factor, complex_result=False):
    """A filter whose multiplier is a product of per-axis factors ``factor(k, value, length, xp)``."""
    input = as_array(input, xp)
    out_dtype = _output_dtype(output, input, xp, complex_result)
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    values = _per_axis(values, name, input.ndim)
    n = operator.index(n)
    if math.prod(input.shape) == 0:
        return deliver(xp.zeros(input.shape, dtype=out_dtype, device=device(input)), output, xp)
    _check_dtypes(input, out_dtype, xp, complex_result)
    single = _single_precision(input, out_dtype, xp)
    with quiet_numpy():
        # the 1-D factors in float64, applied in the result's precision: the last axis's (contiguous) first
        factors = [
            (h, _in_precision(factor(k, values[h], length, xp), single, xp))
            for h, k, length in _axes(input, n, axis, xp)
        ]
        multipliers = [_along(f, h, input.ndim, xp) for h, f in factors[-1:]]
        if len(factors) > 1:
            multipliers.append(_outer(factors[:-1], input.ndim, xp, xp.multiply))
        return deliver(_filtered(input, multipliers, out_dtype, single, xp), output, xp)


@gsci_function(
    "ndimage", arrays=("input", "output"), scipy_when=_SCIPY_IS_FASTER_SEPARABLE, torch_as_numpy=True
)
def fourier_gaussian(input, sigma, n=-1, axis=-1, output=None, *, xp):
    """Multidimensional Gaussian Fourier filter.

    The array is multiplied by the Fourier transform of a Gaussian kernel:
    ``exp(-2 (pi sigma f / N)**2)`` per axis, for frequency index ``f`` of an
    axis of transform length ``N`` (0 where the exponent is below -50).

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex64/complex128).
    sigma : float or sequence
        The sigma of the Gaussian kernel, the same for every axis or one per axis.
    n : int, optional
        If negative (default), `input` is the result of a complex FFT along
        every axis. Otherwise it is the result of a real FFT along `axis`,
        and `n` is the length of that axis before the transform.
    axis : int, optional
        The axis of the real transform. Default -1.
    output : array or dtype, optional
        The array in which to place the result, or its dtype. By default
        float32, complex64 and complex128 inputs keep their dtype and other
        inputs give float64.

    Returns
    -------
    fourier_gaussian : array
        The filtered input, in `input`'s library and on its device. When
        `output` is an array, the result is written into it and it is
        returned (JAX arrays are immutable: a new array is returned instead).

    Notes
    -----
    As in SciPy, a complex input needs a complex output. gsci also takes a
    dtype given as a `numpy.dtype`, a name or the input library's dtype,
    where SciPy takes only NumPy's scalar types. float32 and complex64 data
    with a single-precision output are computed in single precision (SciPy:
    double), equal within single-precision tolerance. `sigma` is a host
    number or sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._fourier import fourier_gaussian
    >>> fourier_gaussian(np.ones(4), sigma=1.0).round(4)
    array([1.    , 0.2912, 0.0072, 0.2912])
    """
    return _separable(input, sigma, "sigma", n, axis, output, xp, _gaussian_factor)


@gsci_function(
    "ndimage", arrays=("input", "output"), scipy_when=_SCIPY_IS_FASTER_SEPARABLE, torch_as_numpy=True
)
def fourier_uniform(input, size, n=-1, axis=-1, output=None, *, xp):
    """Multidimensional uniform Fourier filter.

    The array is multiplied by the Fourier transform of a box of the given
    size: ``sin(pi size f / N) / (pi size f / N)`` per axis, for frequency
    index ``f`` of an axis of transform length ``N`` (0 for ``f != 0``
    where ``size <= 0``, as in SciPy).

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex64/complex128).
    size : float or sequence
        The size of the box, the same for every axis or one per axis.
    n : int, optional
        If negative (default), `input` is the result of a complex FFT along
        every axis. Otherwise it is the result of a real FFT along `axis`,
        and `n` is the length of that axis before the transform.
    axis : int, optional
        The axis of the real transform. Default -1.
    output : array or dtype, optional
        The array in which to place the result, or its dtype. By default
        float32, complex64 and complex128 inputs keep their dtype and other
        inputs give float64.

    Returns
    -------
    fourier_uniform : array
        The filtered input (see `fourier_gaussian` for `output` arrays).

    Notes
    -----
    See `fourier_gaussian` for dtypes and precision.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._fourier import fourier_uniform
    >>> fourier_uniform(np.ones(4), size=2.0).round(4)
    array([1.    , 0.6366, 0.    , 0.6366])
    """
    return _separable(input, size, "size", n, axis, output, xp, _uniform_factor)


@gsci_function("ndimage", arrays=("input", "output"), scipy_for=_SCIPY_FOR_THE_ELLIPSOID, torch_as_numpy=True)
def fourier_ellipsoid(input, size, n=-1, axis=-1, output=None, *, xp):
    """Multidimensional ellipsoid Fourier filter.

    The array is multiplied by the Fourier transform of an ellipsoid of the
    given sizes, a function of the radius ``r = sqrt(sum((pi size f / N)**2))``:
    ``sin(r) / r`` in 1-D, ``2 J1(r) / r`` in 2-D, ``3 (sin(r) - r cos(r)) / r**3``
    in 3-D.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex64/complex128), 1-D to 3-D.
    size : float or sequence
        The size of the ellipsoid, the same for every axis or one per axis.
    n : int, optional
        If negative (default), `input` is the result of a complex FFT along
        every axis. Otherwise it is the result of a real FFT along `axis`,
        and `n` is the length of that axis before the transform.
    axis : int, optional
        The axis of the real transform. Default -1.
    output : array or dtype, optional
        The array in which to place the result, or its dtype. By default
        float32, complex64 and complex128 inputs keep their dtype and other
        inputs give float64.

    Returns
    -------
    fourier_ellipsoid : array
        The filtered input (see `fourier_gaussian` for `output` arrays).

    Raises
    ------
    NotImplementedError
        If `input` has more than 3 dimensions, as in SciPy.

    Notes
    -----
    The multiplier is computed in float64 (J1 by Cephes' approximations, as
    SciPy's), then applied in the result's precision; see `fourier_gaussian`
    for dtypes.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._fourier import fourier_ellipsoid
    >>> fourier_ellipsoid(np.ones(4), size=2.0).round(4)
    array([1.    , 0.6366, 0.    , 0.6366])
    """
    input = as_array(input, xp)
    if input.ndim > 3:
        raise NotImplementedError(f"Only 1d, 2d and 3d inputs are supported, got {input.ndim=}")
    out_dtype = _output_dtype(output, input, xp, complex_result=False)
    if math.prod(input.shape) == 0:  # before the other checks, as in SciPy
        return deliver(xp.zeros(input.shape, dtype=out_dtype, device=device(input)), output, xp)
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    sizes = _per_axis(size, "size", input.ndim)
    n = operator.index(n)
    _check_dtypes(input, out_dtype, xp, complex_result=False)
    single = _single_precision(input, out_dtype, xp)
    with quiet_numpy():
        axes = _axes(input, n, axis, xp, skip_single=False)
        multiplier = _in_precision(_ellipsoid_multiplier(axes, sizes, input.ndim, xp), single, xp)
        return deliver(_filtered(input, [multiplier], out_dtype, single, xp), output, xp)


@gsci_function("ndimage", arrays=("input", "output"), scipy_when=_SCIPY_IS_FASTER_SHIFT, torch_as_numpy=True)
def fourier_shift(input, shift, n=-1, axis=-1, output=None, *, xp):
    """Multidimensional Fourier shift filter.

    The array is multiplied by the Fourier transform of a shift:
    ``exp(-2j pi shift f / N)`` per axis, for frequency index ``f`` of an
    axis of transform length ``N``.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex64/complex128).
    shift : float or sequence
        The shift, the same for every axis or one per axis.
    n : int, optional
        If negative (default), `input` is the result of a complex FFT along
        every axis. Otherwise it is the result of a real FFT along `axis`,
        and `n` is the length of that axis before the transform.
    axis : int, optional
        The axis of the real transform. Default -1.
    output : array or dtype, optional
        The array in which to place the result, or its complex dtype. By
        default complex64 and complex128 inputs keep their dtype and other
        inputs give complex128.

    Returns
    -------
    fourier_shift : array
        The shifted input, complex (see `fourier_gaussian` for `output` arrays).

    Notes
    -----
    The multiplier is the outer product of per-axis phase factors (SciPy
    takes the sine and cosine of the summed phase), equal within rounding.
    See `fourier_gaussian` for dtypes and precision.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._fourier import fourier_shift
    >>> fourier_shift(np.ones(4), shift=1.0).round(4)
    array([ 1.+0.j,  0.-1.j, -1.+0.j,  0.+1.j])
    """
    return _separable(input, shift, "shift", n, axis, output, xp, _shift_factor, complex_result=True)
