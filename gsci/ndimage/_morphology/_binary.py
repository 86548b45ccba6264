"""binary_erosion, binary_dilation, binary_opening, binary_closing, binary_hit_or_miss,
binary_propagation and binary_fill_holes.

The public functions validate like SciPy 1.17 and turn the structure into
window offsets on the host (a structure is a small operator that decides
the work's shape); the steps come from an engine: `_binary_xp` (Array API
code, Numba CPU kernels for NumPy) on the native path, `_binary_cuda` (the
CUDA kernel) on the kernel path. Both take the input as booleans (nonzero is
True) and return booleans; results are cast to an ``output`` array's dtype.

As SciPy, a dilation is the erosion's dual: the structure reflected (with
SciPy's origin shift on axes of even length), OR instead of AND. SciPy's
``brute_force=False`` loop over the changed elements and its brute-force
repeats give the same values; gsci's engines pick their own algorithm.
"""

import operator

import numpy as np

from gsci._lib._arrays import as_array, is_array
from gsci._lib._compat import device, is_dask_namespace, is_writeable_array
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._filters._support import check_axes, expanded_origins, filter_shape, is_complex, per_axis
from gsci.ndimage._morphology import _binary_cuda, _binary_xp
from gsci.ndimage._morphology._structure import generate_binary_structure

# Below this size SciPy's lower fixed cost per call wins (measured on 2 cores, interleaved best-of runs:
# gsci's fixed cost is about 90 us, SciPy's erosion 52 us at 64 x 64, 126 us at 96 x 96)
_SCIPY_IS_FASTER = fewer_elements(2**13)


def _iterations(iterations):
    try:
        return operator.index(iterations)
    except TypeError as e:
        raise TypeError(f"iterations parameter should be an integer, got {iterations=}") from e


def _default_structure(structure, axes):
    if structure is None:
        return generate_binary_structure(len(axes), 1)
    return np.asarray(structure)


def _reflected(structure, origins):
    """SciPy's dilation: the structure reversed on every axis, origins negated (less 1 on even axes)."""
    structure = structure[(slice(None, None, -1),) * structure.ndim]
    return structure, [-o - (0 if n & 1 else 1) for o, n in zip(origins, structure.shape, strict=True)]


def _window(structure, origins, axes, ndim):
    """The structure over every axis (bool NumPy) and its window offsets, checked like SciPy."""
    structure = np.asarray(structure, dtype=bool)
    if len(axes) < ndim:
        structure = np.reshape(structure, filter_shape(structure.shape, axes, ndim, "structure"))
    if structure.ndim != ndim:
        raise RuntimeError(
            f"structure and input must have same dimensionality: {structure.ndim=} but {ndim=}"
        )
    if structure.size < 1:
        raise RuntimeError(f"structure must not be empty: {structure.shape=}")
    origins = [operator.index(o) for o in expanded_origins(origins, axes, ndim)]
    before = [n // 2 + o for n, o in zip(structure.shape, origins, strict=True)]
    for b, n, o in zip(before, structure.shape, origins, strict=True):
        if not 0 <= b < n:  # SciPy reads outside the structure here (and may crash)
            raise ValueError(f"invalid origin: {o} for a structure of length {n}")
    offsets = np.argwhere(structure).astype(np.int64) - np.asarray(before, dtype=np.int64)
    return offsets, bool(structure[tuple(before)])


def _check_mask(mask, input, xp):
    if mask is None:
        return None
    mask = as_array(mask, xp)
    if tuple(mask.shape) != tuple(input.shape):
        raise RuntimeError(f"mask and input must have equal sizes: {mask.shape=} but {input.shape=}")
    return _nonzero(mask, xp)


def _nonzero(a, xp):
    return a if xp.isdtype(a.dtype, "bool") else a != 0


def _check_output(output, input, xp):
    if not is_array(output):
        return None  # as SciPy: an output dtype gives bool all the same
    if is_complex(output, xp):
        raise TypeError(f"Complex output type not supported: output has dtype {output.dtype}")
    if tuple(output.shape) != tuple(input.shape):
        raise RuntimeError(f"output shape not correct: {output.shape=} but {input.shape=}")
    return output


def _deliver(result, output, xp):
    """SciPy writes into an ``output`` array and returns it; immutable arrays (JAX) get a new one."""
    if output is None:
        return result
    result = xp.astype(result, output.dtype)
    if not is_writeable_array(output):
        return result
    output[...] = result
    return output


def _as_bool(input, xp):
    if is_complex(input, xp):
        raise TypeError(f"Complex type not supported: input has dtype {input.dtype}")
    return _nonzero(input, xp)


def _erosion(
    input, structure, iterations, mask, output, border_value, origin, brute_force, axes, dilate, xp, engine
):
    """SciPy's ``_binary_erosion``: ``dilate`` reflects the structure and ORs instead of ANDing."""
    iterations = _iterations(iterations)
    input = as_array(input, xp)
    x = _as_bool(input, xp)
    axes = check_axes(axes, input.ndim)
    structure = _default_structure(structure, axes)
    origins = per_axis(origin, len(axes))
    if dilate:
        structure, origins = _reflected(structure, origins)
    offsets, centre_is_true = _window(structure, origins, axes, input.ndim)
    mask = _check_mask(mask, input, xp)
    output = _check_output(output, input, xp)
    propagate = centre_is_true and not brute_force
    result = engine.erode_or_dilate(
        x, offsets, mask, bool(border_value), not dilate, iterations, propagate, xp
    )
    return _deliver(result, output, xp)


def _opening(
    input, structure, iterations, output, origin, mask, border_value, brute_force, axes, xp, engine, closing
):
    structure = _default_structure(structure, check_axes(axes, as_array(input, xp).ndim))
    first = (iterations, mask, None, border_value, origin, brute_force, axes)
    second = (iterations, mask, output, border_value, origin, brute_force, axes)
    middle = _erosion(input, structure, *first, closing, xp, engine)
    return _erosion(middle, structure, *second, not closing, xp, engine)


def _hit_or_miss(input, structure1, structure2, output, origin1, origin2, axes, xp, engine):
    input = as_array(input, xp)
    axes = check_axes(axes, input.ndim)
    structure1 = _default_structure(structure1, axes)
    if structure2 is None:
        structure2 = np.logical_not(structure1)
    origin1 = per_axis(origin1, len(axes))
    origin2 = origin1 if origin2 is None else per_axis(origin2, len(axes))
    hit = _erosion(input, structure1, 1, None, None, 0, origin1, False, axes, False, xp, engine)
    # SciPy's inverted erosion by structure2 as given (not reflected): the OR over its window
    x = _as_bool(input, xp)
    offsets, _ = _window(structure2, origin2, axes, input.ndim)
    output = _check_output(output, input, xp)
    miss = engine.erode_or_dilate(x, offsets, None, False, False, 1, False, xp)
    return _returned_only_if_new(hit & ~miss, output, xp)


def _returned_only_if_new(result, output, xp):
    """SciPy's hit_or_miss and fill_holes write an ``output`` array and return None."""
    delivered = _deliver(result, output, xp)
    return None if output is not None and delivered is output else delivered


def _fill_holes(input, structure, output, origin, axes, xp, engine):
    input = as_array(input, xp)
    output_array = _check_output(output, input, xp)
    if is_dask_namespace(xp):
        seeds = xp.zeros(input.shape, dtype=xp.bool, chunks=input.chunks)
    else:  # a view of one False: no memory of the input's size
        seeds = xp.broadcast_to(xp.zeros((), dtype=xp.bool, device=device(input)), input.shape)
    reached = _erosion(
        seeds, structure, -1, ~_nonzero(input, xp), None, 1, origin, False, axes, True, xp, engine
    )
    return _returned_only_if_new(~reached, output_array, xp)


def _declare(host_operators=("structure",), arrays=("input", "mask", "output")):
    return gsci_function(
        "ndimage",
        arrays=arrays,
        host_operators=host_operators,
        kernel_engine=_binary_cuda,
        scipy_when=_SCIPY_IS_FASTER,
        torch_as_numpy=True,
    )


@_declare()
def binary_erosion(
    input,
    structure=None,
    iterations=1,
    mask=None,
    output=None,
    border_value=0,
    origin=0,
    brute_force=False,
    *,
    axes=None,
    xp,
    engine=_binary_xp,
):
    """Multidimensional binary erosion with a given structuring element.

    Parameters
    ----------
    input : array_like
        Binary image to be eroded: nonzero elements are True (not complex).
    structure : array_like, optional
        Structuring element (nonzero is True). Its values are read on the
        host: a NumPy array or a sequence whatever `input`'s library (under
        ``jax.jit`` it must be one); a GPU array costs one transfer. Default:
        a cross (``generate_binary_structure(len(axes), 1)``).
    iterations : int, optional
        Times the erosion is repeated; below 1, until the result stops changing.
    mask : array_like, optional
        Only elements where `mask` is nonzero are modified at each step.
    output : array, optional
        Array into which the result is written (and returned); a dtype is
        ignored, as SciPy does (the result is bool).
    border_value : int (cast to 0 or 1), optional
        Value of the elements beyond the edges. Default 0.
    origin : int or sequence of int, optional
        Placement of the structure, per axis or for every axis. Default 0.
    brute_force : bool, optional
        SciPy's choice of algorithm; gsci's results are the same either way.
    axes : tuple of int or None, optional
        The axes to erode over; `structure` has as many axes.

    Returns
    -------
    binary_erosion : array of bool
        In `input`'s library and on its device (`output` when given; JAX: a
        new array of `output`'s dtype).

    Notes
    -----
    NumPy input runs Numba kernels: dense passes on all cores, and the
    repeats of a structure holding its centre (``brute_force=False``) as a
    propagation from the changed elements. CUDA arrays run a kernel per
    step; ``iterations < 1`` reads a device flag after 1, 2, 4, ... steps.
    Other libraries run Array API steps; under ``jax.jit`` fixed iterations
    are unrolled and ``iterations < 1`` is a ``lax.while_loop``. Dask runs
    fixed iterations per block with the structure's reach times
    `iterations` of its neighbours; ``iterations < 1`` needs every value, so
    Dask runs it on a single block. An `origin` placing the window's centre
    outside the structure raises ValueError (SciPy reads out of bounds).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_erosion
    >>> a = np.zeros((5, 5), dtype=bool)
    >>> a[1:4, 1:4] = True
    >>> binary_erosion(a).astype(int)
    array([[0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0]])
    """
    arguments = (iterations, mask, output, border_value, origin, brute_force, axes)
    return _erosion(input, structure, *arguments, False, xp, engine)


@_declare()
def binary_dilation(
    input,
    structure=None,
    iterations=1,
    mask=None,
    output=None,
    border_value=0,
    origin=0,
    brute_force=False,
    *,
    axes=None,
    xp,
    engine=_binary_xp,
):
    """Multidimensional binary dilation with the given structuring element.

    Parameters and results as `binary_erosion`: each element becomes True
    where the reflected structure, placed on it, meets a True element.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_dilation
    >>> binary_dilation(np.array([0, 0, 1, 0, 0, 0]), iterations=2).astype(int)
    array([1, 1, 1, 1, 1, 0])
    """
    arguments = (iterations, mask, output, border_value, origin, brute_force, axes)
    return _erosion(input, structure, *arguments, True, xp, engine)


@_declare()
def binary_opening(
    input,
    structure=None,
    iterations=1,
    output=None,
    origin=0,
    mask=None,
    border_value=0,
    brute_force=False,
    *,
    axes=None,
    xp,
    engine=_binary_xp,
):
    """Multidimensional binary opening: the dilation of the erosion, by the same structure.

    Parameters and results as `binary_erosion`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_opening
    >>> binary_opening(np.array([0, 1, 1, 1, 0, 1, 0])).astype(int)
    array([0, 1, 1, 1, 0, 0, 0])
    """
    arguments = (iterations, output, origin, mask, border_value, brute_force, axes)
    return _opening(input, structure, *arguments, xp, engine, False)


@_declare()
def binary_closing(
    input,
    structure=None,
    iterations=1,
    output=None,
    origin=0,
    mask=None,
    border_value=0,
    brute_force=False,
    *,
    axes=None,
    xp,
    engine=_binary_xp,
):
    """Multidimensional binary closing: the erosion of the dilation, by the same structure.

    Parameters and results as `binary_erosion`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_closing
    >>> binary_closing(np.array([0, 1, 1, 0, 1, 1, 0])).astype(int)
    array([0, 1, 1, 1, 1, 1, 0])
    """
    arguments = (iterations, output, origin, mask, border_value, brute_force, axes)
    return _opening(input, structure, *arguments, xp, engine, True)


@_declare(host_operators=("structure1", "structure2"), arrays=("input", "output"))
def binary_hit_or_miss(
    input,
    structure1=None,
    structure2=None,
    output=None,
    origin1=0,
    origin2=None,
    *,
    axes=None,
    xp,
    engine=_binary_xp,
):
    """Multidimensional binary hit-or-miss transform.

    Parameters
    ----------
    input : array_like
        Binary image (nonzero is True).
    structure1 : array_like, optional
        The part that must fit the foreground (default: a cross).
    structure2 : array_like, optional
        The part that must miss it entirely (default: ``~structure1``).
    output : array, optional
        Array into which the result is written; then None is returned, as
        SciPy does (JAX: the new array is returned).
    origin1, origin2 : int or sequence of int, optional
        Placements of the structures; `origin2` defaults to `origin1`.
    axes : tuple of int or None, optional
        The axes to work over.

    Returns
    -------
    binary_hit_or_miss : array of bool
        In `input`'s library and on its device, or None with `output`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_hit_or_miss
    >>> binary_hit_or_miss(np.array([0, 1, 0, 1, 1, 0]), [1], [1, 0, 1]).astype(int)
    array([0, 1, 0, 0, 0, 0])
    """
    return _hit_or_miss(input, structure1, structure2, output, origin1, origin2, axes, xp, engine)


@_declare()
def binary_propagation(
    input,
    structure=None,
    mask=None,
    output=None,
    border_value=0,
    origin=0,
    *,
    axes=None,
    xp,
    engine=_binary_xp,
):
    """Multidimensional binary propagation: dilation inside `mask` until nothing changes.

    Parameters and results as `binary_dilation` with ``iterations=-1``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_propagation
    >>> mask = np.array([1, 1, 1, 0, 1, 1])
    >>> binary_propagation(np.array([1, 0, 0, 0, 0, 0]), mask=mask).astype(int)
    array([1, 1, 1, 0, 0, 0])
    """
    arguments = (-1, mask, output, border_value, origin, False, axes)
    return _erosion(input, structure, *arguments, True, xp, engine)


@_declare(arrays=("input", "output"))
def binary_fill_holes(input, structure=None, output=None, origin=0, *, axes=None, xp, engine=_binary_xp):
    """Fill the holes in binary objects: the background not reached from the edges becomes True.

    Parameters
    ----------
    input : array_like
        Binary image (nonzero is True).
    structure : array_like, optional
        The connectivity of the background (default: a cross).
    output : array, optional
        Array into which the result is written; then None is returned, as SciPy does.
    origin : int or sequence of int, optional
        Placement of the structure.
    axes : tuple of int or None, optional
        The axes to work over.

    Returns
    -------
    binary_fill_holes : array of bool
        In `input`'s library and on its device, or None with `output`.

    Notes
    -----
    A propagation from the edges through the background (see `binary_erosion`
    for the engines; under ``jax.jit`` a ``lax.while_loop``).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import binary_fill_holes
    >>> a = np.ones((4, 4), dtype=int)
    >>> a[1:3, 1:3] = 0
    >>> binary_fill_holes(a).astype(int)
    array([[1, 1, 1, 1],
           [1, 1, 1, 1],
           [1, 1, 1, 1],
           [1, 1, 1, 1]])
    """
    return _fill_holes(input, structure, output, origin, axes, xp, engine)
