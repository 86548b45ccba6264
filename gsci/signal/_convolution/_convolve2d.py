"""convolve2d and correlate2d: direct 2-D convolution with SciPy's boundaries, on any library.

The input is extended by the boundary (fill, wrap, symm: ndimage's
constant, wrap and reflect) and correlated with the taps by the engine of
`convolve` (`_convolve.correlate_extended`): the Numba CPU kernel on NumPy,
Array API code elsewhere, each block with its neighbours' margins on Dask.
"""

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._boundary import CONSTANT, REFLECT, WRAP
from gsci._lib._compat import is_numpy_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.signal._convolution._convolve import (
    correlate_extended,
    inputs_swap_needed,
    result_type,
    scipy_function,
    scipy_only_dtype,
)

_MODES = ("full", "same", "valid")
_BOUNDARIES = {"fill": CONSTANT, "pad": CONSTANT, "wrap": WRAP, "circular": WRAP, "symm": REFLECT}
_BOUNDARIES["symmetric"] = REFLECT

# below 32x32 elements SciPy's fixed cost is lower (measured 16x16 with 3x3: 10 us against gsci's 48 us;
# 32x32: 100 us against 65 us); torch CPU tensors run the NumPy kernel
_TINY = fewer_elements(1024)


@gsci_function(
    "signal", arrays=("in1", "in2"), host_operators=("fillvalue",), scipy_when=_TINY, torch_as_numpy=True
)
def convolve2d(in1, in2, mode="full", boundary="fill", fillvalue=0, *, xp):
    """Convolve two 2-dimensional arrays.

    Same as `scipy.signal.convolve2d`, on the inputs' library and device.

    Parameters
    ----------
    in1 : array_like
        First input, 2-D.
    in2 : array_like
        Second input, 2-D.
    mode : {'full', 'valid', 'same'}, optional
        As in `convolve`: the whole convolution, the part that does not
        depend on the boundary, or the size of `in1`, centred.
    boundary : {'fill', 'wrap', 'symm'}, optional
        How `in1` is extended: by `fillvalue` (``'fill'``, ``'pad'``),
        periodically (``'wrap'``, ``'circular'``) or mirrored with its edge
        repeated (``'symm'``, ``'symmetric'``).
    fillvalue : scalar, optional
        The value past the edges for ``boundary='fill'``. Default 0.

    Returns
    -------
    out : array
        The convolution, of the inputs' result dtype (integers stay
        integers; computed in int64, exact, with NumPy's wrap-around).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import convolve2d
    >>> convolve2d(np.array([[1, 2], [3, 4]]), np.array([[1, 1]]))
    array([[1, 3, 2],
           [3, 7, 4]])
    >>> convolve2d(np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((2, 2)), mode="same", boundary="wrap")
    array([[10., 10.],
           [10., 10.]])
    """
    return _convolve2d(in1, in2, mode, boundary, fillvalue, True, "convolve2d", xp)


@gsci_function(
    "signal", arrays=("in1", "in2"), host_operators=("fillvalue",), scipy_when=_TINY, torch_as_numpy=True
)
def correlate2d(in1, in2, mode="full", boundary="fill", fillvalue=0, *, xp):
    """Cross-correlate two 2-dimensional arrays.

    Same as `scipy.signal.correlate2d`, on the inputs' library and device,
    SciPy's alignment included: ``'same'`` is centred as SciPy's C code
    centres it (on ``in2.shape // 2``, not `correlate`'s ``(in2.shape - 1) // 2``),
    and complex inputs swapped for ``'valid'`` (`in2` the larger) give the
    conjugate of `correlate`'s result, as SciPy's do.

    Parameters
    ----------
    in1 : array_like
        First input, 2-D.
    in2 : array_like
        Second input, 2-D; it is conjugated.
    mode : {'full', 'valid', 'same'}, optional
        As in `convolve2d`.
    boundary : {'fill', 'wrap', 'symm'}, optional
        As in `convolve2d`.
    fillvalue : scalar, optional
        As in `convolve2d`.

    Returns
    -------
    out : array
        The cross-correlation, of the inputs' result dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import correlate2d
    >>> correlate2d(np.array([[1, 2], [3, 4]]), np.array([[1, 2]]))
    array([[ 2,  5,  2],
           [ 6, 11,  4]])
    """
    return _convolve2d(in1, in2, mode, boundary, fillvalue, False, "correlate2d", xp)


def _convolve2d(in1, in2, mode, boundary, fillvalue, convolution, name, xp):
    in1 = as_array(in1, xp)
    in2 = as_array(in2, xp, like=in1)
    if is_numpy_namespace(xp) and scipy_only_dtype(in1, in2):
        return scipy_function(name)(in1, in2, mode, boundary, fillvalue)
    if not in1.ndim == in2.ndim == 2:
        raise ValueError(f"{name} inputs must both be 2-D arrays; got {in1.ndim=} and {in2.ndim=}")
    swapped = inputs_swap_needed(mode, in1.shape, in2.shape)
    if swapped:
        in1, in2 = in2, in1
    if mode not in _MODES:
        raise ValueError(f"Acceptable mode flags are 'valid', 'same', or 'full'; got {mode=}")
    code = _boundary_code(boundary)
    result_dtype = result_type(in1, in2, xp)
    if result_dtype == xp.bool or (hasattr(xp, "float16") and result_dtype == xp.float16):
        raise ValueError(f"{name} not available for this type: {result_dtype}")
    cval = _fill(fillvalue, result_dtype, xp)
    work = xp.int64 if xp.isdtype(result_dtype, "integral") else result_dtype
    x, taps = xp.astype(in1, work), xp.astype(in2, work)
    taps = xp.flip(taps) if convolution else _conj(taps, xp)
    out = correlate_extended(x, taps, _margins(mode, in2.shape, convolution), code, cval, xp)
    if swapped and not convolution:
        out = xp.flip(out)  # SciPy reverses the swapped correlation without conjugating it
    return xp.astype(out, result_dtype)


def _boundary_code(boundary):
    if boundary == "reflect":
        raise ValueError("Incorrect boundary value: boundary='reflect'")  # SciPy's C code refuses it
    if boundary not in _BOUNDARIES:
        raise ValueError(
            "Acceptable boundary flags are 'fill', 'circular' (or 'wrap'), and 'symmetric' (or 'symm'); "
            f"got {boundary=}"
        )
    return _BOUNDARIES[boundary]


def _fill(fillvalue, result_dtype, xp):
    """SciPy's fillvalue: one value, made complex, then cast (truncated) to the result's type."""
    values = np.asarray(fillvalue)
    if values.size != 1:
        raise ValueError(f"`fillvalue` must be scalar or an array with one element; got {fillvalue=}")
    value = complex(values.reshape(-1)[0])
    if xp.isdtype(result_dtype, "complex floating"):
        return value
    if value.imag != 0:
        raise ValueError(
            "could not cast `fillvalue` directly to the output type (it was first converted to complex); "
            f"got {fillvalue=}"
        )
    return int(value.real) if xp.isdtype(result_dtype, "integral") else value.real


def _conj(x, xp):
    return xp.conj(x) if xp.isdtype(x.dtype, "complex floating") else x


def _margins(mode, shape2, convolution):
    """How far the taps reach before and after each output element, per axis."""
    if mode == "full":
        return [(k - 1, k - 1) for k in shape2]
    if mode == "same":
        before = [k // 2 if convolution else (k - 1) // 2 for k in shape2]
        return [(b, k - 1 - b) for b, k in zip(before, shape2, strict=True)]
    return [(0, 0), (0, 0)]
