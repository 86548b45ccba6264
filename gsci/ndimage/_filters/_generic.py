"""generic_filter and generic_filter1d: a Python callable per window, so SciPy's own loop runs them.

The callable sees host (NumPy) buffers, whatever the input's library: the input
goes to the host and the result comes back to the input's library and device
(`gsci.HostTransferWarning` for GPU arrays; it cannot run under ``jax.jit``).
Dask arrays stay lazy and chunk-parallel: each block, with margins of its
neighbours (the filter's own mode at the array's outer edges), runs SciPy's
filter, and the output has the input's chunks.
"""

import functools
import math

import numpy as np

from gsci._lib._arrays import from_host, is_array, library_of, to_host
from gsci._lib._boundary import extend, mode_code
from gsci._lib._compat import device, is_dask_namespace
from gsci._lib._dispatch import gsci_function
from gsci._lib._overlap import on_dask_blocks
from gsci.ndimage._filters._support import check_axes, per_axis


def _scipy_filter(name):
    import scipy.ndimage

    return getattr(scipy.ndimage, name)


def _on_host(name, input, output, xp, **arguments):
    """SciPy's ``name`` on a host copy of ``input``; the result in ``xp`` on ``input``'s device."""
    where = f"gsci.ndimage.{name}"
    host = to_host(input, library_of(input), where)
    result = _scipy_filter(name)(host, output=_host_output(output), **arguments)
    result = from_host(result, xp, device(input))
    if is_array(output) and library_of(output) != "jax":
        output[...] = result
        return output
    return result


def _host_output(output):
    """SciPy's ``output`` argument for a host call: an array becomes its dtype (written back after)."""
    if not is_array(output):
        return output
    return np.dtype(str(output.dtype).removeprefix("torch."))


def _margins(shape, origins):
    """``(before, after)`` per axis of a window of ``shape`` shifted by ``origins``, SciPy's 'invalid
    origin' ValueError when an origin moves the window off its centre element."""
    margins = []
    for length, origin in zip(shape, origins, strict=True):
        if length // 2 + origin < 0 or length // 2 + origin >= length:
            raise ValueError(f"invalid origin: {origin=} for a window of {length} along an axis")
        before = length // 2 + origin
        margins.append((before, length - 1 - before))
    return margins


def _on_dask(name, input, output, margins, mode, cval, xp, **arguments):
    """SciPy's ``name`` on each block of ``input`` with its margins, the outer edges extended by ``mode``."""
    extended = input
    for axis, (before, after) in margins.items():
        extended = extend(extended, axis, before, after, mode_code(mode), cval, xp)
    valid = functools.partial(_valid_part, name=name, margins=margins, arguments=arguments)
    result = on_dask_blocks(valid, input, extended, margins)
    return result if output is None else xp.astype(result, _output_dtype(output, xp))


def _valid_part(block, name, margins, arguments):
    filtered = _scipy_filter(name)(block, mode="constant", **arguments)
    interior = [slice(None)] * block.ndim
    for axis, (before, after) in margins.items():
        interior[axis] = slice(before, block.shape[axis] - after)
    return filtered[tuple(interior)]


def _output_dtype(output, xp):
    if is_array(output):
        return output.dtype
    return getattr(xp, np.dtype(output).name)


# NumPy input calls SciPy's function directly: the same loop, without the host round trip's steps
_SCIPY_FOR_NUMPY = {"numpy": "SciPy's loop calls the Python function on host buffers"}


@gsci_function("ndimage", arrays=("input", "output"), scipy_for=_SCIPY_FOR_NUMPY, torch_as_numpy=True)
def generic_filter1d(
    input,
    function,
    filter_size,
    axis=-1,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    extra_arguments=(),
    extra_keywords=None,
    *,
    xp,
):
    """Calculate a 1-D filter along the given axis with a Python function per line.

    ``function(input_line, output_line, *extra_arguments, **extra_keywords)``
    receives each line extended by `mode` (float64, ``filter_size - 1`` longer
    than the output line) and writes the output line in place.

    Parameters
    ----------
    input : array_like
        The input array (real).
    function : callable
        The function applied to each line.
    filter_size : int
        Length of the filter.
    axis : int, optional
        The axis of `input` along which to calculate. Default is -1.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str, optional
        The boundary mode (see `correlate1d`). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int, optional
        Shifts the filter. Default 0.
    extra_arguments : sequence, optional
        Extra positional arguments for `function`.
    extra_keywords : dict, optional
        Extra keyword arguments for `function`.

    Returns
    -------
    result : array
        The filtered array, in `input`'s library and on its device.

    Notes
    -----
    SciPy's own loop calls `function` on host buffers: a GPU input makes a
    round trip through host memory (`gsci.HostTransferWarning`), and the call
    cannot be traced by ``jax.jit``. Dask input is filtered block by block,
    lazily, keeping its chunks.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import generic_filter1d
    >>> def running_sum(line, out):
    ...     out[:] = line[:-2] + line[1:-1] + line[2:]
    >>> generic_filter1d(np.array([1.0, 2.0, 3.0, 4.0]), running_sum, 3)
    array([ 4.,  6.,  9., 11.])
    """
    arguments = dict(
        function=function,
        filter_size=filter_size,
        axis=axis,
        origin=origin,
        extra_arguments=extra_arguments,
        extra_keywords=extra_keywords,
    )
    if not is_dask_namespace(xp):
        return _on_host("generic_filter1d", input, output, xp, mode=mode, cval=cval, **arguments)
    if filter_size < 1:
        raise RuntimeError(f"invalid filter size: {filter_size=}")
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    margins = {axis: _margins([filter_size], [origin])[0]}
    return _on_dask("generic_filter1d", input, output, margins, mode, cval, xp, **arguments)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    host_operators=("footprint",),
    scipy_for=_SCIPY_FOR_NUMPY,
    torch_as_numpy=True,
)
def generic_filter(
    input,
    function,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    extra_arguments=(),
    extra_keywords=None,
    *,
    axes=None,
    xp,
):
    """Calculate a multidimensional filter with a Python function per window.

    ``function(values, *extra_arguments, **extra_keywords)`` receives the
    values under the footprint as a 1-D float64 array and returns a number.

    Parameters
    ----------
    input : array_like
        The input array (real).
    function : callable or scipy.LowLevelCallable
        The function applied to each window.
    size : scalar or tuple, optional
        The window shape (one length for all axes in `axes`, or one per axis),
        if `footprint` is not given.
    footprint : array, optional
        Boolean array: the elements of the window passed to `function`.
        An array of any library or a sequence (it is read on the host).
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str, optional
        The boundary mode (see `correlate1d`). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int or sequence, optional
        Shifts the window, one value for all axes or one per axis. Default 0.
    extra_arguments : sequence, optional
        Extra positional arguments for `function`.
    extra_keywords : dict, optional
        Extra keyword arguments for `function`.
    axes : tuple of int or None, optional
        The axes the window spans; default all.

    Returns
    -------
    result : array
        The filtered array, in `input`'s library and on its device.

    Notes
    -----
    As `generic_filter1d`: SciPy's own loop runs on host buffers (a GPU
    round trip with `gsci.HostTransferWarning`; not under ``jax.jit``), and
    Dask input is filtered block by block, lazily, keeping its chunks.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import generic_filter
    >>> generic_filter(np.arange(6.0).reshape(2, 3), np.max, size=2)
    array([[0., 1., 2.],
           [3., 4., 5.]])
    """
    arguments = dict(
        function=function,
        origin=origin,
        extra_arguments=extra_arguments,
        extra_keywords=extra_keywords,
        axes=axes,
    )
    host_footprint = None if footprint is None else np.asarray(footprint)  # host_operators: on the host
    if not is_dask_namespace(xp):
        return _on_host(
            "generic_filter",
            input,
            output,
            xp,
            size=size,
            footprint=host_footprint,
            mode=mode,
            cval=cval,
            **arguments,
        )
    axes = check_axes(axes, input.ndim)
    if host_footprint is not None:
        shape = host_footprint.shape
    elif size is not None:
        shape = per_axis(size, len(axes))
    else:
        raise RuntimeError("no footprint or filter size provided")
    if len(shape) != len(axes):
        raise RuntimeError(f"footprint.ndim ({len(shape)}) must match len(axes) ({len(axes)})")
    margins = dict(zip(axes, _margins(shape, per_axis(origin, len(axes))), strict=True))
    if math.prod(input.shape) == 0:
        margins = {}
    return _on_dask(
        "generic_filter",
        input,
        output,
        margins,
        mode,
        cval,
        xp,
        size=size,
        footprint=host_footprint,
        **arguments,
    )
