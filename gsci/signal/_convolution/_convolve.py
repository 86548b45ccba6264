"""convolve, correlate, choose_conv_method and correlation_lags: direct or FFT convolution, any library.

Every call reduces to one engine: the 'valid' correlation of an extended
input with taps (`correlate_extended`): the input is extended by zeros (or
by convolve2d's boundary) so that ``out[i] = sum_j taps[j] * extended[i + j]``
gives the requested mode; convolution is correlation with reversed taps,
correlation with conjugated taps. The engines: the Numba CPU kernel on
NumPy (`gsci.kernels.convolve_cpu`), one multiply-add per tap in Array API
code elsewhere (differentiable on torch), and on Dask each block with its
neighbours' margins, by either method. The FFT method is `fftconvolve`.
"""

import math
import timeit
import warnings

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._boundary import extend, mode_code
from gsci._lib._compat import (
    array_namespace,
    device,
    is_dask_namespace,
    is_numpy_namespace,
    is_torch_namespace,
    size,
)
from gsci._lib._dispatch import gsci_function
from gsci._lib._overlap import on_dask_blocks
from gsci.ndimage._filters._support import cast
from gsci.signal._convolution._fftconvolve import (
    _extended_precision,
    _overlap_add_block_fft,
    fftconvolve,
    inputs_swap_needed,
)

_MODES = ("full", "same", "valid")
_METHODS = ("auto", "direct", "fft")
_ZERO = mode_code("constant")
_EXACT_IN_FLOAT64 = 2 ** np.finfo(np.float64).nmant - 1  # SciPy's bound for integers through FFTs

# Seconds per multiply-add of the direct method, per element-log2 of each FFT pass, and the FFT route's
# fixed cost (measured here, float64, a busy 2-core machine: the Numba kernel 0.11-0.15 ns serially,
# JAX's one pass per tap 0.6 ns; FFTs 0.4-0.9 ns on JAX and NumPy, overlap-add blocks included).
_DIRECT_PER_TAP = {"numpy": 0.15e-9, "other": 0.6e-9}
_FFT_PER_POINT = 0.8e-9
_FFT_FIXED = 30e-6

# Below this many multiply-adds np.convolve (SciPy's 1-D direct method) beats the kernel's fixed cost.
_NUMPY_CONVOLVE_WORK = 2**17


# no scipy_when: gsci's fixed cost is lower than SciPy's (its choose_conv_method) even at 8 samples;
# torch CPU tensors run the NumPy kernel
@gsci_function("signal", arrays=("in1", "in2"), torch_as_numpy=True)
def convolve(in1, in2, mode="full", method="auto", *, xp):
    """Convolve two N-dimensional arrays.

    Same as `scipy.signal.convolve`, on the inputs' library and device.
    ``method="auto"`` chooses by gsci's own cost model (see
    `choose_conv_method`), not SciPy's.

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, with as many dimensions as `in1`.
    mode : {'full', 'valid', 'same'}, optional
        ``full`` (default): the whole discrete linear convolution.
        ``valid``: only the values that do not rely on zero-padding; one
        input must be at least as large as the other in every dimension.
        ``same``: the size of `in1`, centred on the ``full`` output.
    method : {'auto', 'direct', 'fft'}, optional
        ``direct``: sums of products; ``fft``: through `fftconvolve`;
        ``auto`` (default): the faster one by `choose_conv_method`.

    Returns
    -------
    out : array
        The convolution, of the inputs' result dtype (as SciPy: integers
        stay integers, rounded after an FFT).

    Notes
    -----
    The direct method computes integers and bool in int64, exactly, with
    NumPy's wrap-around in narrower dtypes; float and complex inputs in
    their own precision. SciPy's direct method refuses bool and float16
    arrays of more than one dimension; so does gsci. SciPy's warning about
    NaN or inf before an FFT is raised for NumPy input only (elsewhere it
    would read a lazy or device value). On Dask, both methods run per
    block, each with its neighbours' margins: chunks stay chunks.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import convolve
    >>> convolve(np.array([1, 2, 3]), np.array([0, 1, 2]))
    array([0, 1, 4, 7, 6])
    >>> convolve(np.ones((4, 5)), np.ones((3, 3)), mode="valid").tolist()
    [[9.0, 9.0, 9.0], [9.0, 9.0, 9.0]]
    """
    in1, in2 = as_array(in1, xp), as_array(in2, xp, like=as_array(in1, xp))
    if is_numpy_namespace(xp) and scipy_only_dtype(in1, in2):
        return scipy_function("convolve")(in1, in2, mode, method)
    if in1.ndim == in2.ndim == 0:
        return in1 * in2
    if in1.ndim != in2.ndim:
        raise ValueError(
            f"volume and kernel should have the same dimensionality; got {in1.ndim=} and {in2.ndim=}"
        )
    _check_mode_and_method(mode, method)
    if inputs_swap_needed(mode, in1.shape, in2.shape):
        in1, in2 = in2, in1  # convolution commutes; 'valid' slices with the larger input first
    return _convolution(in1, in2, mode, method, xp)


@gsci_function("signal", arrays=("in1", "in2"), torch_as_numpy=True)
def correlate(in1, in2, mode="full", method="auto", *, xp):
    """Cross-correlate two N-dimensional arrays.

    Same as `scipy.signal.correlate`, on the inputs' library and device:
    ``z[k] = sum_l in1[l] * conj(in2[l - k + N - 1])``, the convolution of
    `in1` with `in2` reversed and conjugated. ``method="auto"`` chooses by
    gsci's cost model (see `choose_conv_method`).

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, with as many dimensions as `in1`.
    mode : {'full', 'valid', 'same'}, optional
        As in `convolve`.
    method : {'auto', 'direct', 'fft'}, optional
        As in `convolve`.

    Returns
    -------
    out : array
        The cross-correlation, of the inputs' result dtype (see `convolve`).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import correlate
    >>> correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])).tolist()
    [0.5, 2.0, 3.5, 3.0, 0.0]
    """
    in1, in2 = as_array(in1, xp), as_array(in2, xp, like=as_array(in1, xp))
    if is_numpy_namespace(xp) and scipy_only_dtype(in1, in2):
        return scipy_function("correlate")(in1, in2, mode, method)
    if in1.ndim == in2.ndim == 0:
        return in1 * _conj(in2, xp)
    if in1.ndim != in2.ndim:
        raise ValueError(f"in1 and in2 should have the same dimensionality; got {in1.ndim=} and {in2.ndim=}")
    _check_mode_and_method(mode, method)
    kernel = reverse_and_conj(in2, xp)
    if inputs_swap_needed(mode, in1.shape, kernel.shape):
        in1, kernel = kernel, in1
    return _convolution(in1, kernel, mode, method, xp)


@gsci_function("signal", arrays=("in1", "in2"))
def choose_conv_method(in1, in2, mode="full", measure=False, *, xp):
    """Find the faster convolution or correlation method for these inputs.

    Same as `scipy.signal.choose_conv_method`, with gsci's choice: the
    method that gsci's ``method="auto"`` uses for inputs of these shapes and
    dtypes on this library. It follows a cost model measured with gsci's
    engines (the direct method costs a constant per multiply-add: the Numba
    kernel on NumPy and torch CPU, one array pass per tap elsewhere; the FFT
    method a constant per element and log2 of its transform length, overlap-add
    blocks included). As in SciPy, bool inputs and integer inputs whose
    result may not be exact in float64 choose ``'direct'``: on NumPy from the
    values, as SciPy does; elsewhere from the dtypes' ranges, so that no
    device or lazy value is read (int32 and int64 then always choose
    ``'direct'``).

    Parameters
    ----------
    in1 : array_like
        First input.
    in2 : array_like
        Second input, with as many dimensions as `in1`.
    mode : {'full', 'valid', 'same'}, optional
        As in `convolve`.
    measure : bool, optional
        Time both methods with gsci and return the faster, with the times.

    Returns
    -------
    method : str
        ``'fft'`` or ``'direct'``.
    times : dict, optional
        With ``measure=True``: the seconds each method took per call.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import choose_conv_method
    >>> choose_conv_method(np.ones(2**16), np.ones(4096))
    'fft'
    >>> choose_conv_method(np.ones(1000), np.ones(3))
    'direct'
    """
    volume, kernel = as_array(in1, xp), as_array(in2, xp, like=as_array(in1, xp))
    if measure:
        times = {
            m: _seconds_per_call(lambda m=m: convolve(volume, kernel, mode=mode, method=m))
            for m in ("fft", "direct")
        }
        return ("fft" if times["fft"] < times["direct"] else "direct"), times
    if mode not in _MODES:
        raise ValueError(f"Acceptable mode flags are 'valid', 'same', or 'full', not {mode=}")
    return _choice(volume, kernel, mode, xp)


# NumPy's arange, as SciPy's: SciPy's own function is the quickest route (it returns NumPy, as SciPy's)
@gsci_function("signal", arrays=(), scipy_for={"numpy": "SciPy's code is NumPy's arange already"})
def correlation_lags(in1_len, in2_len, mode="full", *, xp):
    """Lag indices of a 1-D cross-correlation.

    Same as `scipy.signal.correlation_lags`: a NumPy integer array, as
    SciPy returns (it takes lengths, not arrays).

    Parameters
    ----------
    in1_len, in2_len : int
        The lengths of the first and second inputs of `correlate`.
    mode : {'full', 'valid', 'same'}, optional
        The mode given to `correlate`.

    Returns
    -------
    lags : numpy.ndarray
        The lag of each element of ``correlate(in1, in2, mode)``.

    Examples
    --------
    >>> from gsci.signal import correlation_lags
    >>> correlation_lags(4, 3).tolist()
    [-2, -1, 0, 1, 2, 3]
    >>> correlation_lags(4, 3, mode="same").tolist()
    [-1, 0, 1, 2]
    """
    if mode not in _MODES:
        raise ValueError(f"Mode {mode} is invalid")
    lags = np.arange(-in2_len + 1, in1_len)
    if mode == "same":
        start = lags.size // 2 - in1_len // 2
        return lags[start : start + in1_len]
    if mode == "valid":
        difference = in1_len - in2_len
        return np.arange(difference + 1) if difference >= 0 else np.arange(difference, 1)
    return lags


def scipy_only_dtype(in1, in2):
    """NumPy's long double (SciPy's direct method keeps it) and object arrays run SciPy's own code."""
    return _extended_precision(in1, in2) or in1.dtype.kind not in "biufc" or in2.dtype.kind not in "biufc"


def scipy_function(name):
    import scipy.signal

    return getattr(scipy.signal, name)


def result_type(in1, in2, xp):
    """The inputs' result dtype; where a library refuses to mix kinds (array-api-strict), NumPy's."""
    try:
        return xp.result_type(in1, in2)
    except TypeError:  # SciPy takes such inputs as NumPy arrays: NumPy's promotion
        names = [str(a.dtype).rsplit(".", 1)[-1] for a in (in1, in2)]
        return getattr(xp, np.result_type(*names).name)


def _check_mode_and_method(mode, method):
    if mode not in _MODES:
        raise ValueError(f"Acceptable mode flags are 'valid', 'same', or 'full'; got {mode=}")
    if method not in _METHODS:
        raise ValueError(f"Acceptable method flags are 'auto', 'direct', or 'fft'; got {method=}")


def _conj(x, xp):
    return xp.conj(x) if xp.isdtype(x.dtype, "complex floating") else x


def reverse_and_conj(x, xp):
    """``x`` reversed along every axis, conjugated if complex."""
    return _conj(xp.flip(x) if x.ndim else x, xp)


def _convolution(in1, in2, mode, method, xp):
    """``convolve(in1, in2, mode, method)`` once arguments are checked and 'valid' inputs ordered."""
    result_dtype = result_type(in1, in2, xp)
    if size(in1) == 0 or size(in2) == 0:
        return _empty_result(in1, in2, mode, result_dtype, xp)
    if method == "auto":
        method = _choice(in1, in2, mode, xp)
    if method == "fft":
        return _fft_convolution(in1, in2, mode, result_dtype, xp)
    return _direct_convolution(in1, in2, mode, result_dtype, xp)


def _empty_result(in1, in2, mode, result_dtype, xp):
    """SciPy gives an empty result only for 'same' with an empty ``in1``; other empty inputs raise."""
    if mode == "same" and size(in2) > 0:
        return xp.zeros(in1.shape, dtype=result_dtype, device=device(in1))
    raise ValueError(f"inputs cannot be empty; got in1.shape={in1.shape}, in2.shape={in2.shape} for {mode=}")


def _fft_convolution(in1, in2, mode, result_dtype, xp):
    if is_dask_namespace(xp):
        out = dask_fft_convolution(in1, in2, mode, xp)  # fftconvolve would take one chunk per axis
    else:
        out = fftconvolve(in1, in2, mode=mode)
    if is_numpy_namespace(xp) and out.size and not np.isfinite(out.flat[0]):
        warnings.warn(
            "Use of fft convolution on input with NAN or inf results in NAN or inf output. "
            "Consider using method='direct' instead.",
            RuntimeWarning,
            stacklevel=4,
        )
    if xp.isdtype(result_dtype, "integral"):
        return cast(xp.round(out), result_dtype, xp)
    return xp.astype(out, result_dtype)  # bool: nonzero, as SciPy's astype


def _direct_convolution(in1, in2, mode, result_dtype, xp):
    if in1.ndim > 1 and (result_dtype == xp.bool or _is_float16(result_dtype, xp)):
        raise ValueError(f"Unsupported type {result_dtype} for the direct method on {in1.ndim}-d arrays")
    if is_numpy_namespace(xp) and _numpy_convolve_is_faster(in1, in2, mode):
        return np.convolve(in1, in2, mode)  # SciPy's own direct method, quicker on few multiply-adds
    if mode == "full" and size(in2) > size(in1):
        in1, in2 = in2, in1  # same result; the kernel loops over the smaller input's taps
    work = _work_dtype(result_dtype, xp)
    x, taps = xp.astype(in1, work), xp.flip(xp.astype(in2, work))
    out = correlate_extended(x, taps, _margins(mode, in1.shape, in2.shape), _ZERO, 0, xp)
    if result_dtype == xp.bool:
        return out != 0
    return xp.astype(out, result_dtype)


def _numpy_convolve_is_faster(in1, in2, mode):
    """1-D, as `np.convolve` takes them (its 'same' has the larger input's length), with little work."""
    one_dimensional = in1.ndim == 1 and (mode != "same" or in1.size >= in2.size)
    return one_dimensional and in1.size * in2.size < _NUMPY_CONVOLVE_WORK


def _work_dtype(result_dtype, xp):
    """Integers and bool compute in int64 (exact, wrapping like NumPy's narrow dtypes); float16 in float32."""
    if xp.isdtype(result_dtype, ("bool", "integral")):
        return xp.int64
    return xp.float32 if _is_float16(result_dtype, xp) else result_dtype


def _is_float16(dtype, xp):
    return hasattr(xp, "float16") and dtype == xp.float16  # array-api-strict has none


def _margins(mode, shape1, shape2):
    """Per axis, how far the taps reach before and after each output element of ``mode``'s output."""
    if mode == "full":
        return [(k - 1, k - 1) for k in shape2]
    if mode == "same":
        return [(k // 2, k - 1 - k // 2) for k in shape2]
    return [(0, 0)] * len(shape1)


def correlate_extended(x, taps, margins, code, cval, xp):
    """``out[i] = sum_j taps[j] * ext[i + j]``, ``ext`` being ``x`` extended by ``margins`` per axis
    (boundary ``code``, ``cval``) and cut to the output: ``x.shape + before + after - taps.shape + 1``.

    ``x`` and ``taps`` share the dtype to compute in.
    """
    if is_dask_namespace(xp):
        return _dask_extended(x, taps, margins, code, cval, "direct")
    extended = _extended(x, margins, code, cval, xp)
    return valid_correlation(extended, taps, xp)


def _extended(x, margins, code, cval, xp):
    for axis, (before, after) in enumerate(margins):
        if before or after:
            x = extend(x, axis, before, after, code, cval, xp)
    return x


def valid_correlation(extended, taps, xp):
    """``out[i] = sum_j taps[j] * extended[i + j]`` over every tap (shape ``extended - taps + 1``)."""
    if is_numpy_namespace(xp):
        from gsci.kernels import convolve_cpu

        return convolve_cpu.correlate_valid(extended, taps)
    shape = tuple(e - t + 1 for e, t in zip(extended.shape, taps.shape, strict=True))
    out = None
    for position in np.ndindex(*taps.shape):  # one array pass per tap; differentiable on torch
        window = tuple(slice(p, p + n) for p, n in zip(position, shape, strict=True))
        term = extended[window] * taps[position]
        out = term if out is None else out + term
    return out


def dask_fft_convolution(in1, in2, mode, xp):
    """`fftconvolve` of Dask ``in1`` (the larger for 'valid') over every axis: overlap-save per block.

    Each block, with its neighbours' margins, is convolved by FFT ('valid'):
    the chunks stay chunks. The precision is `fftconvolve`'s.
    """
    complex_result = xp.isdtype(in1.dtype, "complex floating") or xp.isdtype(in2.dtype, "complex floating")
    single = all(a.dtype in (xp.float32, xp.complex64) for a in (in1, in2))
    if complex_result:
        work = xp.complex64 if single else xp.complex128
    else:
        work = xp.float32 if single else xp.float64
    taps = xp.flip(xp.astype(in2, work))
    margins = _margins(mode, in1.shape, in2.shape)
    return _dask_extended(xp.astype(in1, work), taps, margins, _ZERO, 0, "fft")


def _dask_extended(x, taps, margins, code, cval, method):
    """`correlate_extended` of Dask ``x``: each block with its neighbours' margins, then its valid part."""
    import dask.array as da

    xp = array_namespace(x)
    taps = da.asarray(taps).rechunk(-1)  # the taps are operator-sized: one chunk
    extended = _extended(x, margins, code, cval, xp)
    # the output is ``extended`` less the taps' reach; each output element reads (k - 1) more
    befores = [before for before, _ in margins]
    reach = {axis: (b, k - 1 - b) for axis, (b, k) in enumerate(zip(befores, taps.shape, strict=True))}
    out_shape = tuple(e - k + 1 for e, k in zip(extended.shape, taps.shape, strict=True))
    core = extended[tuple(slice(b, b + n) for (b, _), n in zip(reach.values(), out_shape, strict=True))]
    return on_dask_blocks(_valid_block, core, extended, reach, taps, method=method)


def _valid_block(block, taps, method):
    xp = array_namespace(block)
    if method == "fft":
        return fftconvolve(block, xp.flip(taps), mode="valid")
    return valid_correlation(block, taps, xp)


def _choice(in1, in2, mode, xp):
    """gsci's 'auto' method for these inputs (see `choose_conv_method`)."""
    if in1.dtype == xp.bool and in2.dtype == xp.bool:
        return "direct"
    exact = [xp.isdtype(a.dtype, ("bool", "integral")) for a in (in1, in2)]
    if any(exact) and not _fft_is_exact(in1, in2, xp):
        return "direct"
    return (
        "fft"
        if _fft_seconds(in1.shape, in2.shape) < _direct_seconds(in1.shape, in2.shape, mode, xp)
        else "direct"
    )


def _fft_is_exact(in1, in2, xp):
    """Whether the products' sums fit float64's mantissa: from the values on NumPy, else the dtypes."""
    count = min(size(in1), size(in2))
    if is_numpy_namespace(xp):
        largest = [int(np.max(np.abs(a), initial=0)) if a.size else 0 for a in (in1, in2)]
    else:
        largest = [_largest_magnitude(a.dtype, xp) for a in (in1, in2)]
    return largest[0] * largest[1] * count <= _EXACT_IN_FLOAT64


def _largest_magnitude(dtype, xp):
    if dtype == xp.bool:
        return 1
    if xp.isdtype(dtype, "integral"):
        info = xp.iinfo(dtype)
        return max(-int(info.min), int(info.max))
    return 0  # floats: not exact anyway, no reason to refuse FFTs


def _direct_seconds(shape1, shape2, mode, xp):
    if mode == "full":
        out = math.prod(n + k - 1 for n, k in zip(shape1, shape2, strict=True))
        taps = min(math.prod(shape1), math.prod(shape2))
    elif mode == "same":
        out, taps = math.prod(shape1), math.prod(shape2)
    else:
        out = math.prod(abs(n - k) + 1 for n, k in zip(shape1, shape2, strict=True))
        taps = min(math.prod(shape1), math.prod(shape2))
    per_tap = _DIRECT_PER_TAP["numpy" if _runs_the_cpu_kernel(xp) else "other"]
    return per_tap * out * taps


def _runs_the_cpu_kernel(xp):
    """NumPy, torch CPU tensors (as NumPy) and Dask blocks run the Numba kernel; the rest one pass per tap."""
    return is_numpy_namespace(xp) or is_dask_namespace(xp) or is_torch_namespace(xp)


def _fft_seconds(shape1, shape2):
    """Three transforms of the full length, or overlap-add blocks where `fftconvolve` takes them."""
    axes = [a for a in range(len(shape1)) if shape1[a] != 1 and shape2[a] != 1]
    full = math.prod(n + k - 1 for n, k in zip(shape1, shape2, strict=True))
    if len(axes) == 1:
        n1, n2 = shape1[axes[0]], shape2[axes[0]]
        if block := _overlap_add_block_fft(n1, n2):
            steps = block - min(n1, n2) + 1
            return _FFT_FIXED + _FFT_PER_POINT * 2 * full * (block / steps) * math.log2(block)
    return _FFT_FIXED + _FFT_PER_POINT * 3 * full * math.log2(max(full, 2))


def _seconds_per_call(call):
    """The best of three timings of ``call``, repeated until one takes at least 5 ms."""
    timer = timeit.Timer(call)
    number, seconds = 1, timer.timeit(1)
    while seconds < 5e-4 and number < 10**6:
        number *= 10
        seconds = timer.timeit(number)
    if seconds > 1:
        return seconds / number
    return min(timer.repeat(3, number * 10)) / (number * 10)
