"""vectorized_filter: a vectorized callable over every window at once, in the input's own library.

SciPy (1.17) moves torch and JAX input to NumPy and hands the callable NumPy
windows; gsci hands it windows of the input's library on its device (so
``torch.median`` or ``jnp.mean`` run where the data is, under ``jax.jit`` too).
NumPy windows are a zero-copy sliding view, as in SciPy; elsewhere they are the
window's shifted slices stacked on new trailing axes, built a batch of
``batch_memory`` bytes at a time along the first axis.
"""

import itertools
import math
import numbers

import numpy as np

from gsci._lib._arrays import as_array, is_array
from gsci._lib._boundary import CONSTANT, MIRROR, NEAREST, REFLECT, WRAP, extend
from gsci._lib._compat import array_namespace, is_dask_namespace, is_numpy_namespace, is_writeable_array
from gsci._lib._dispatch import gsci_function
from gsci._lib._overlap import on_dask_blocks

# np.pad's names, as SciPy's vectorized_filter maps them: 'grid-mirror' is 'mirror' here
_MODES = {
    "reflect": REFLECT,
    "grid-mirror": MIRROR,
    "mirror": MIRROR,
    "nearest": NEAREST,
    "wrap": WRAP,
    "grid-wrap": WRAP,
    "constant": CONSTANT,
    "grid-constant": CONSTANT,
    "valid": None,
}


def _window(size, footprint, n_axes):
    """The window shape and the footprint as a host bool array (or None), checked as SciPy checks them."""
    if size is None and footprint is None:
        raise ValueError("Either `size` or `footprint` must be provided.")
    if size is not None and footprint is not None:
        raise ValueError("Either `size` or `footprint` may be provided, not both.")
    if footprint is not None:
        footprint = np.asarray(footprint, dtype=bool)  # host_operators: on the host
        return footprint.shape, footprint
    size = (size,) * n_axes if np.isscalar(size) else tuple(size)
    if not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in size):
        raise ValueError("All elements of `size` must be positive integers.")
    return size, None


def _checked_axes(axes, ndim, n_window):
    axes = tuple(range(-ndim, 0)) if axes is None else (axes,) if np.isscalar(axes) else tuple(axes)
    if len(axes) > ndim:
        raise ValueError("The length of `axes` may not exceed the dimensionality of `input`(`input.ndim`).")
    if len(axes) != n_window:
        raise ValueError(
            "`axes` must be compatible with the dimensionality "
            "of the window specified by `size` or `footprint`."
        )
    return axes


def _checked_origin(origin, n_axes):
    if origin is None:
        return (0,) * n_axes
    origin = (origin,) * n_axes if np.isscalar(origin) else tuple(origin)
    if not all(isinstance(o, numbers.Integral) for o in origin):
        raise ValueError("All elements of `origin` must be integers.")
    if len(origin) != n_axes:
        raise ValueError(
            "`origin` must be an integer or tuple of integers with length equal to the number of axes."
        )
    return origin


def _checked_mode_and_cval(mode, cval, origin):
    if mode not in _MODES:
        raise ValueError(f"`mode` must be one of {set(_MODES)}.")
    code = _MODES[mode]
    if code is None and any(origin):
        raise ValueError("`mode='valid'` is incompatible with use of `origin`.")
    if cval is None:
        return code, 0.0
    if code != CONSTANT:
        raise ValueError("Use of `cval` is compatible only with `mode='constant'`.")
    if not isinstance(cval, numbers.Number) or isinstance(cval, bool):
        raise ValueError("`cval` must include only numbers.")
    return code, cval


def _bordered(x, size, origin, code, cval, xp):
    """``x`` extended along its last ``len(size)`` axes for windows of ``size`` shifted by ``origin``."""
    if code is None:
        return x
    for k, (length, shift) in enumerate(zip(size, origin, strict=True)):
        before, after = length // 2 + shift, (length - 1) // 2 - shift
        if before < 0 or after < 0:
            raise ValueError(f"index can't contain negative values: {origin=} for a window of {size}")
        x = extend(x, x.ndim - len(size) + k, before, after, code, cval, xp)
    return x


def _windows(bordered, size, xp):
    """Every window of ``size`` over the last ``len(size)`` axes: shape ``(*out, *size)``."""
    n = len(size)
    core = bordered.shape[-n:] if n else ()
    out = [c - s + 1 for c, s in zip(core, size, strict=True)]
    if is_numpy_namespace(xp):
        return np.lib.stride_tricks.sliding_window_view(bordered, size, axis=tuple(range(-n, 0)))
    lead = (slice(None),) * (bordered.ndim - n)
    shifted = [
        bordered[lead + tuple(slice(o, o + m) for o, m in zip(offset, out, strict=True))]
        for offset in itertools.product(*(range(s) for s in size))
    ]
    stacked = xp.stack(shifted, axis=-1)
    return xp.reshape(stacked, (*stacked.shape[:-1], *size))


def _apply(function, windows, footprint, n_axes, xp):
    if footprint is None:
        return function(windows, axis=tuple(range(-n_axes, 0)))
    flat = xp.reshape(windows, (*windows.shape[: windows.ndim - n_axes], -1))
    return function(xp.take(flat, xp.asarray(np.flatnonzero(footprint)), axis=-1), axis=-1)


def _filtered(bordered, function, size, footprint, per_batch, xp):
    """``function`` over the windows, ``per_batch`` rows of the first output axis at a time."""
    n = len(size)
    overlap = size[0] - 1 if n == bordered.ndim else 0  # the first axis is a window axis
    rows = bordered.shape[0] - overlap
    if n == 0 or per_batch >= rows:
        return _apply(function, _windows(bordered, size, xp), footprint, n, xp)
    batches = [bordered[i : min(i + per_batch, rows) + overlap, ...] for i in range(0, rows, per_batch)]
    return xp.concat([_apply(function, _windows(b, size, xp), footprint, n, xp) for b in batches], axis=0)


def _rows_per_batch(shape, size, dtype, batch_memory, xp):
    """How many rows of the first output axis fit ``batch_memory`` bytes of windows (SciPy's rule)."""
    n = len(size)
    out_shape = (
        *shape[: len(shape) - n],
        *(c - s + 1 for c, s in zip(shape[len(shape) - n :], size, strict=True)),
    )
    if not out_shape:
        return 1
    per_batch = min(
        out_shape[0], batch_memory // (math.prod(out_shape[1:]) * math.prod(size) * _itemsize(dtype, xp))
    )
    if per_batch < 1:
        raise ValueError("`batch_memory` is insufficient for minimum chunk size.")
    return per_batch


def _itemsize(dtype, xp):
    if xp.isdtype(dtype, "bool"):
        return 1
    if xp.isdtype(dtype, "complex floating"):
        return 2 * xp.finfo(dtype).bits // 8
    return (xp.finfo(dtype) if xp.isdtype(dtype, "real floating") else xp.iinfo(dtype)).bits // 8


def _on_dask(input, function, size, footprint, origin, code, cval, n_axes, xp):
    """Each block with margins of its neighbours (the mode at the array's outer edges), filtered."""
    margins = {}
    for k, (length, shift) in enumerate(zip(size, origin, strict=True)):
        margins[input.ndim - n_axes + k] = (length // 2 + shift, (length - 1) // 2 - shift)
    bordered = _bordered(input, size, origin, code, cval, xp)

    def valid(block):
        block_xp = array_namespace(block)
        return _apply(function, _windows(block, size, block_xp), footprint, n_axes, block_xp)

    sample = array_namespace(input._meta).zeros((1, *size), dtype=input.dtype)
    dtype = _apply(function, sample, footprint, n_axes, array_namespace(sample)).dtype
    return on_dask_blocks(valid, input, bordered, margins, dtype=dtype)


@gsci_function("ndimage", arrays=("input", "output"), host_operators=("footprint",))
def vectorized_filter(
    input,
    function,
    *,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=None,
    origin=None,
    axes=None,
    batch_memory=1073741824,
    xp,
):
    """Filter an array with a vectorized callable applied to every window at once.

    ``function(windows, axis=axes_of_the_window)`` reduces the window axes,
    like ``np.mean`` or ``torch.amax``; with `footprint`, it gets the
    footprint's elements on one last axis (``axis=-1``).

    Parameters
    ----------
    input : array
        The input array.
    function : callable
        The vectorized reduction, called with arrays of `input`'s library.
    size : int or tuple of int, optional
        The window shape over `axes`, if `footprint` is not given.
    footprint : array, optional
        Boolean array: the window's elements passed to `function`.
    output : array, optional
        An array to write the result into (NumPy, torch, CuPy); it is returned.
    mode : str, optional
        'reflect' (default), 'mirror', 'grid-mirror', 'nearest', 'wrap',
        'grid-wrap', 'constant', 'grid-constant', or 'valid' (no padding: the
        output is smaller). As in SciPy, 'grid-mirror' is 'mirror' here.
    cval : scalar, optional
        The value past the edges for 'constant' (only there); default 0.
    origin : int or tuple of int, optional
        Shifts the window, per axis. Default 0.
    axes : tuple of int, optional
        The axes the window spans; default the last ``len(size)`` axes.
    batch_memory : int, optional
        The most bytes of windows built at once. Default 1 GiB.

    Returns
    -------
    output : array
        The filtered array, in `input`'s library and on its device.

    Notes
    -----
    SciPy (1.17) hands `function` NumPy windows for torch and JAX input;
    gsci hands it windows of the input's library, on its device. Dask input
    is filtered block by block (lazily, keeping its chunks, except for
    ``mode='valid'``); `batch_memory` applies to each block there.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import vectorized_filter
    >>> vectorized_filter(np.array([1.0, 5.0, 2.0, 8.0]), np.max, size=2)
    array([1., 5., 5., 8.])
    """
    input = as_array(input, xp)
    if not callable(function):
        raise ValueError("`function` must be a callable.")
    size, footprint = _window(size, footprint, input.ndim if axes is None else len(np.atleast_1d(axes)))
    axes = _checked_axes(axes, input.ndim, len(size))
    origin = _checked_origin(origin, len(axes))
    code, cval = _checked_mode_and_cval(mode, cval, origin)
    if not isinstance(batch_memory, numbers.Real) or isinstance(batch_memory, bool) or batch_memory <= 0:
        raise ValueError("`batch_memory` must be positive number.")
    if math.prod(input.shape) == 0:
        return input
    if input.ndim == 0 and size == ():  # SciPy's answer: the function over no axis, as an array
        window = input if footprint is None else input[bool(footprint)]
        return xp.asarray(function(window, axis=()))
    ends = tuple(range(-len(axes), 0))
    moved = xp.moveaxis(input, axes, ends)
    shape = moved.shape[: moved.ndim - len(size)] + tuple(
        n + (s - 1 if code is not None else 0)
        for n, s in zip(moved.shape[moved.ndim - len(size) :], size, strict=True)
    )
    per_batch = _rows_per_batch(shape, size, input.dtype, batch_memory, xp)
    if is_dask_namespace(xp) and code is not None:
        result = _on_dask(moved, function, size, footprint, origin, code, cval, len(axes), xp)
    else:
        bordered = _bordered(moved, size, origin, code, cval, xp)
        result = _filtered(bordered, function, size, footprint, per_batch, xp)
    result = xp.moveaxis(result, ends, axes)
    if is_array(output) and is_writeable_array(output):
        output[...] = result
        return output
    return result
