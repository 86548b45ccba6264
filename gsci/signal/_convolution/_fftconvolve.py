"""fftconvolve and oaconvolve: linear convolution through FFTs (overlap-add blocks), on any library."""

import functools
import operator
from numbers import Number

from gsci._lib._arrays import as_array
from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace, size
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import fft_module, next_fast_len

_MODES = ("full", "same", "valid")
_MIN_BLOCK_FFT = 2**14  # shorter overlap-add blocks cost more in per-transform overhead than they save


# below 64 elements SciPy's fixed cost is lower; torch CPU tensors run NumPy's multithreaded FFTs
@gsci_function("signal", arrays=("in1", "in2"), scipy_when=fewer_elements(64), torch_as_numpy=True)
def fftconvolve(in1, in2, mode="full", axes=None, *, xp):
    """Convolve two N-dimensional arrays using FFTs.

    Same as `scipy.signal.fftconvolve`, on the inputs' library and device.
    When one input is much longer than the other along the only convolved
    axis, gsci convolves by overlap-add (as `scipy.signal.oaconvolve` does):
    the values agree with SciPy's to rounding, and it is several times faster.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, with as many dimensions as `in1`.
    mode : {'full', 'valid', 'same'}, optional
        ``full`` (default): the whole discrete linear convolution.
        ``valid``: only the values that do not rely on zero-padding; one
        input must be at least as large as the other in every convolved axis.
        ``same``: the size of `in1`, centred on the ``full`` output.
    axes : int or sequence of int or None, optional
        Axes to convolve over; default all. Along the other axes the inputs
        must have equal lengths or one of them length 1 (broadcasting).

    Returns
    -------
    out : array
        The convolution: float64 for integer inputs, otherwise the inputs'
        floating (or complex, if either is complex) precision. NumPy's
        extended precision (``np.longdouble``) runs SciPy's own code, which
        keeps it.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import fftconvolve
    >>> fftconvolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 0.5])).round(6).tolist()
    [1.0, 3.0, 5.5, 4.0, 1.5]
    >>> fftconvolve(np.ones((4, 5)), np.ones((3, 3)), mode="valid").shape
    (2, 3)
    """
    return _fftconvolve(in1, in2, mode, axes, xp, scipy_function="fftconvolve")


# below 64 elements SciPy's fixed cost is lower; torch CPU tensors run NumPy's multithreaded FFTs
@gsci_function("signal", arrays=("in1", "in2"), scipy_when=fewer_elements(64), torch_as_numpy=True)
def oaconvolve(in1, in2, mode="full", axes=None, *, xp):
    """Convolve two N-dimensional arrays using the overlap-add method.

    Same as `scipy.signal.oaconvolve`, on the inputs' library and device. It
    shares `fftconvolve`'s code: one axis convolved with one input much
    longer than the other runs overlap-add blocks (of gsci's own length,
    a power of two), other inputs one FFT of the whole; the values agree
    with SciPy's to rounding. On Dask, with every axis convolved, each block
    is convolved by FFT with its neighbours' margins (overlap-save): the
    chunks stay chunks.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, with as many dimensions as `in1`.
    mode : {'full', 'valid', 'same'}, optional
        As in `fftconvolve`.
    axes : int or sequence of int or None, optional
        Axes to convolve over; default all (see `fftconvolve`).

    Returns
    -------
    out : array
        The convolution, of `fftconvolve`'s dtype (float64 for integers).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import oaconvolve
    >>> oaconvolve(np.ones(6), np.array([1.0, -1.0])).round(6).tolist()
    [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0]
    """
    return _fftconvolve(in1, in2, mode, axes, xp, scipy_function="oaconvolve")


def _fftconvolve(in1, in2, mode, axes, xp, scipy_function):
    in1 = as_array(in1, xp)
    in2 = as_array(in2, xp, like=in1)
    if is_numpy_namespace(xp) and _extended_precision(in1, in2):
        import scipy.signal

        # SciPy's FFT keeps NumPy's long double
        return getattr(scipy.signal, scipy_function)(in1, in2, mode, axes)
    if in1.ndim == in2.ndim == 0:
        return _multiply(in1, in2, xp)
    if in1.ndim != in2.ndim:
        raise ValueError(
            f"in1 and in2 should have the same dimensionality; got in1.ndim={in1.ndim}, in2.ndim={in2.ndim}"
        )
    if size(in1) == 0 or size(in2) == 0:
        return xp.empty(0, dtype=xp.float64, device=device(in1))
    if mode not in _MODES:
        raise ValueError(f"acceptable mode flags are 'valid', 'same', or 'full'; got {mode=}")
    axes = _convolved_axes(in1.shape, in2.shape, axes)
    if inputs_swap_needed(mode, in1.shape, in2.shape, axes):
        in1, in2 = in2, in1  # convolution commutes; 'valid' slices with the larger input first
    if is_dask_namespace(xp) and len(axes) == in1.ndim:  # every axis convolved (none broadcast)
        from gsci.signal._convolution._convolve import dask_fft_convolution

        if mode == "full" and size(in2) > size(in1):
            in1, in2 = in2, in1  # the smaller operand is the one every block reads whole
        return dask_fft_convolution(in1, in2, mode, xp)  # overlap-save per block: chunks kept
    full = _full_convolution(in1, in2, axes, xp)
    return _apply_mode(full, in1.shape, in2.shape, mode, axes)


def _extended_precision(*arrays):
    """True for NumPy arrays of ``np.longdouble`` wider than float64 (and their complex kind)."""
    return any(a.dtype.kind in "fc" and a.dtype.itemsize > (8 if a.dtype.kind == "f" else 16) for a in arrays)


def _convolved_axes(shape1, shape2, axes):
    """``axes`` as a list of non-negative ints, less those where an input has length 1."""
    ndim = len(shape1)
    axes = list(range(ndim)) if axes is None else _as_axis_list(axes, ndim)
    # An axis where one input has length 1 needs no FFT: multiplication broadcasts along it.
    axes = [a for a in axes if shape1[a] != 1 and shape2[a] != 1]
    for a in range(ndim):
        if a not in axes and shape1[a] != shape2[a] and 1 not in (shape1[a], shape2[a]):
            raise ValueError(f"incompatible shapes for in1 and in2: {shape1} and {shape2}")
    return axes


def _as_axis_list(axes, ndim):
    given = axes
    if isinstance(axes, Number):
        axes = (axes,)
    try:
        axes = [operator.index(a) for a in axes]
    except TypeError as e:
        raise ValueError(f"axes must be a scalar or iterable of integers; got axes={given!r}") from e
    if not axes:
        raise ValueError("when provided, axes cannot be empty")
    axes = [a + ndim if a < 0 else a for a in axes]
    if any(a < 0 or a >= ndim for a in axes):
        raise ValueError(f"axes exceeds dimensionality of input: axes={given!r} for {ndim}-d inputs")
    if len(set(axes)) != len(axes):
        raise ValueError(f"all axes must be unique; got axes={given!r}")
    return axes


def inputs_swap_needed(mode, shape1, shape2, axes=None):
    """SciPy's rule: 'valid' takes the larger input first (compared over ``axes``, default all);
    neither larger in every axis is an error."""
    if mode != "valid":
        return False
    axes = range(len(shape1)) if axes is None else axes
    in1_larger = all(shape1[a] >= shape2[a] for a in axes)
    in2_larger = all(shape2[a] >= shape1[a] for a in axes)
    if not (in1_larger or in2_larger):
        over = "" if len(axes) == len(shape1) else f" over axes {axes}"
        raise ValueError(
            "For 'valid' mode, one must be at least as large as the other in every dimension; "
            f"got shapes {shape1} and {shape2}{over}"
        )
    return not in1_larger


def _multiply(in1, in2, xp):
    """``in1 * in2``; an integer operand meeting a float one becomes float64 (as NumPy's int64 does)."""
    exact1 = xp.isdtype(in1.dtype, ("bool", "integral"))
    exact2 = xp.isdtype(in2.dtype, ("bool", "integral"))
    if exact1 and not exact2:
        in1 = xp.astype(in1, xp.float64)
    if exact2 and not exact1:
        in2 = xp.astype(in2, xp.float64)
    return in1 * in2


def _full_convolution(in1, in2, axes, xp):
    """The 'full' convolution over ``axes``; the other axes broadcast."""
    if not axes:
        return _multiply(in1, in2, xp)
    complex_result = xp.isdtype(in1.dtype, "complex floating") or xp.isdtype(in2.dtype, "complex floating")
    in1 = _as_fft_input(in1, complex_result, xp)
    in2 = _as_fft_input(in2, complex_result, xp)
    if is_dask_namespace(xp):
        # dask: its FFTs need each transformed axis in one chunk; one FFT of it, not re-split blocks.
        in1 = in1.rechunk({a: -1 for a in axes})
        in2 = in2.rechunk({a: -1 for a in axes})
    elif len(axes) == 1 and (block_fft := _overlap_add_block_fft(in1.shape[axes[0]], in2.shape[axes[0]])):
        return _overlap_add(in1, in2, axes[0], block_fft, complex_result, xp)
    full_shape = [in1.shape[a] + in2.shape[a] - 1 for a in axes]
    fast_shape = [next_fast_len(n, real=not complex_result) for n in full_shape]
    forward, inverse = _transform_pair(xp, complex_result, axes, fast_shape)
    full = inverse(forward(in1) * forward(in2))
    kept = dict(zip(axes, full_shape, strict=True))
    return full[tuple(slice(0, kept.get(a, n)) for a, n in enumerate(full.shape))]


def _as_fft_input(x, complex_result, xp):
    """``x`` in the precision SciPy transforms it in: float64 for integers, at least float32."""
    double = x.dtype in (xp.float64, xp.complex128) or xp.isdtype(x.dtype, ("bool", "integral"))
    if complex_result:
        dtype = xp.complex128 if double else xp.complex64
    else:
        dtype = xp.float64 if double else xp.float32
    return x if x.dtype == dtype else xp.astype(x, dtype)


def _transform_pair(xp, complex_result, axes, lengths):
    """The forward and inverse FFT over ``axes`` at ``lengths``, real or complex.

    One axis takes the 1-D transforms: on NumPy they cost less per call than n-D ones.
    """
    fft = fft_module(xp)
    if len(axes) == 1:
        names, options = ("fft", "ifft", "rfft", "irfft"), {"n": lengths[0], "axis": axes[0]}
    else:
        names, options = ("fftn", "ifftn", "rfftn", "irfftn"), {"s": lengths, "axes": axes}
    pair = names[:2] if complex_result else names[2:]
    return tuple(functools.partial(getattr(fft, name), **options) for name in pair)


def _overlap_add_block_fft(n1, n2):
    """FFT length of overlap-add blocks, or None when one FFT of the whole axis is as fast.

    Blocks at least 4x the shorter input spend at most a quarter of each
    transform on overlap; a power of two is a fast length for every library.
    """
    block_fft = max(_MIN_BLOCK_FFT, 4 << (min(n1, n2) - 1).bit_length())
    return block_fft if max(n1, n2) >= 2 * block_fft else None


def _overlap_add(in1, in2, axis, block_fft, complex_result, xp):
    """The 'full' convolution along ``axis``: the longer input in blocks, each convolved by FFT."""
    if in1.shape[axis] < in2.shape[axis]:
        in1, in2 = in2, in1
    signal = xp.moveaxis(in1, axis, -1)
    kernel = xp.moveaxis(in2, axis, -1)
    n, k = signal.shape[-1], kernel.shape[-1]
    step = block_fft - (k - 1)
    count = -(-n // step)
    blocks = _pad_last(signal, count * step - n, xp)
    blocks = xp.reshape(blocks, (*blocks.shape[:-1], count, step))
    forward, inverse = _transform_pair(xp, complex_result, [-1], [block_fft])
    convolved = inverse(forward(blocks) * xp.expand_dims(forward(kernel), axis=-2))
    # Each block's last k - 1 values overlap the start of the next block's.
    heads = convolved[..., :step]
    tails = _pad_last(convolved[..., step:], step - (k - 1), xp)
    empty_row = xp.zeros((*convolved.shape[:-2], 1, step), dtype=convolved.dtype, device=device(convolved))
    summed = xp.concat([heads, empty_row], axis=-2) + xp.concat([empty_row, tails], axis=-2)
    full = xp.reshape(summed, (*summed.shape[:-2], (count + 1) * step))[..., : n + k - 1]
    return xp.moveaxis(full, -1, axis)


def _pad_last(x, extra, xp):
    """``x`` with ``extra`` zeros appended along its last axis."""
    if extra == 0:
        return x
    zeros = xp.zeros((*x.shape[:-1], extra), dtype=x.dtype, device=device(x))
    return xp.concat([x, zeros], axis=-1)


def _apply_mode(full, shape1, shape2, mode, axes):
    """The part of the 'full' convolution that ``mode`` keeps."""
    if mode == "full":
        return full
    if mode == "same":
        return _centered(full, shape1)
    valid = [shape1[a] - shape2[a] + 1 if a in axes else n for a, n in enumerate(full.shape)]
    return _centered(full, valid)


def _centered(x, shape):
    starts = [(have - want) // 2 for have, want in zip(x.shape, shape, strict=True)]
    return x[tuple(slice(start, start + want) for start, want in zip(starts, shape, strict=True))]
