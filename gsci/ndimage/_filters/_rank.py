"""minimum/maximum_filter1d, minimum/maximum_filter, median_filter, rank_filter and percentile_filter.

The public functions validate like SciPy 1.17 and settle dtypes; the filter
itself comes from an engine: `_rank_xp` (Array API code, Numba CPU kernels
for NumPy) on the native path, `_rank_cuda` (the Numba CUDA kernels) on the
kernel path. Engines take the values in the dtype to compute in and return
an array of that dtype.

Dtype rules, as SciPy's C code: a box minimum/maximum (``size``, or an
all-True footprint) runs as 1-D passes that compare in float64 with a float64
``cval``; other footprints and the rank filters first cast ``cval`` to the
input's dtype and select among the input's own values (bool as uint8); a
non-flat ``structure`` (grey morphology) adds its values as SciPy's C code
does, the first footprint element's in float64 and the others cast to the
input's dtype first, and gives float64 results. Results are cast to
the output dtype as SciPy's C casts do (`_support.cast`). Integers beyond
2**53 stay exact (SciPy's C code rounds them through float64 on most paths).
"""

import dataclasses
import math
import operator
from collections.abc import Iterable

import numpy as np

from gsci._lib._arrays import NUMPY, as_array
from gsci._lib._boundary import CONSTANT, mode_code
from gsci._lib._compat import device
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._warnings import warn_at_caller
from gsci.ndimage._filters import _rank_cuda, _rank_xp
from gsci.ndimage._filters._support import (
    cast,
    check_axes,
    check_supported,
    deliver,
    expanded_modes,
    expanded_origins,
    filter_shape,
    is_complex,
    output_dtype,
    per_axis,
    quiet_numpy,
    work_dtype,
)

# Below these sizes SciPy's lower fixed cost per call wins (measured on 2 cores, best of interleaved
# repeats): selections pay off from about 48 x 48, running minima and maxima from about 128 x 128 to
# 180 x 180; declared with a margin, as the shared machine's timings are noisy


@dataclasses.dataclass(frozen=True)
class _several_lines_and_fewer_elements(fewer_elements):
    """A ``scipy_when``: more than one axis and fewer than ``count`` elements. SciPy 1.17's 1-D rank
    selection (median, rank, percentile) reads outside the line when the window is longer than the
    line (scipy/scipy#23075 fixed only some cases): values vary from call to call, so gsci never
    hands it 1-D input."""

    def test(self, name):
        return f"({name}.ndim > 1 and {name}.size < {self.count})"


_SCIPY_SELECTS_FASTER = _several_lines_and_fewer_elements(2**12)
_SCIPY_IS_FASTER = fewer_elements(2**16)


def _min_or_max_1d(input, size, axis, output, mode, cval, origin, minimum, xp, engine):
    input = as_array(input, xp)
    _refuse_complex(input, xp)
    axis = np.lib.array_utils.normalize_axis_index(axis, input.ndim)
    if size < 1:
        raise RuntimeError(f"incorrect filter size: {size=}")
    out_dtype = output_dtype(output, input, xp, complex_output=False)
    _check_origin(origin, size)
    passes = [(axis, operator.index(size), operator.index(origin), mode_code(mode))]
    return deliver(_box(input, passes, cval, minimum, out_dtype, xp, engine), output, xp)


def min_or_max(input, size, footprint, output, mode, cval, origin, axes, minimum, xp, engine, structure=None):
    """SciPy's ``_min_or_max_filter``: the minimum (maximum) filter, or with a non-flat ``structure``
    (a host array) the minimum of ``input - structure`` (maximum of ``input + structure``) over the
    footprint, each sum computed in float64 and cast to the input's dtype as SciPy's C code does."""
    if size is not None and footprint is not None:
        warn_at_caller("ignoring size because footprint is set")
    if structure is not None:
        structure = np.asarray(structure, dtype=np.float64)
        if footprint is None:
            footprint = np.ones(structure.shape, dtype=bool)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint provided: give size or footprint")
    else:
        footprint = np.asarray(footprint, dtype=bool)  # a host array (host_operators)
        if not footprint.any():  # (SciPy crashes on an all-zero footprint with a structure)
            raise ValueError("All-zero footprint is not supported.")
        if footprint.all() and structure is None:
            size, footprint = footprint.shape, None
    input = as_array(input, xp)
    _refuse_complex(input, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=False)
    axes = check_axes(axes, input.ndim)
    if footprint is None:
        sizes = per_axis(size, len(axes))
        origins, modes = per_axis(origin, len(axes)), per_axis(mode, len(axes))
        passes = []
        for axis, n, o, m in zip(axes, sizes, origins, modes, strict=True):
            if n > 1:  # SciPy skips axes of size 1 without checking their origin or mode
                _check_origin(o, n)
                passes.append((axis, operator.index(n), operator.index(o), mode_code(m)))
        result = _box(input, passes, cval, minimum, out_dtype, xp, engine)
    else:
        given = footprint.shape
        footprint = _expand_footprint(footprint, axes, input.ndim)
        origins = _expand_origins(origin, axes, input.ndim, footprint.shape)
        added = None if structure is None else _added(structure, given, footprint, minimum)
        if not isinstance(mode, str) and isinstance(mode, Iterable):
            raise RuntimeError(f"A sequence of modes is not supported for non-separable footprints: {mode=}")
        rank = "min" if minimum else "max"
        result = _select(input, footprint, origins, mode_code(mode), cval, rank, out_dtype, xp, engine, added)
    return deliver(result, output, xp)


def _added(structure, given, footprint, minimum):
    """The value each footprint element adds to its window values: the structure's, negated for the
    minimum (as SciPy), in the footprint's C order."""
    if structure.shape != given:  # (SciPy reads past a smaller structure)
        raise RuntimeError(f"structure array has incorrect shape: {structure.shape=} but footprint's {given}")
    added = np.reshape(structure, footprint.shape)[footprint]
    return -added if minimum else added


def _rank_filter(input, rank, size, footprint, output, mode, cval, origin, axes, operation, xp, engine):
    if size is not None and footprint is not None:
        warn_at_caller("ignoring size because footprint is set")
    input = as_array(input, xp)
    _refuse_complex(input, xp)
    axes = check_axes(axes, input.ndim)
    if footprint is None:
        if size is None:
            raise RuntimeError("no footprint or filter size provided")
        footprint = np.ones(per_axis(size, len(axes)), dtype=bool)
    else:
        footprint = np.asarray(footprint, dtype=bool)  # a host array (host_operators)
    footprint = _expand_footprint(footprint, axes, input.ndim)
    origins = _expand_origins(origin, axes, input.ndim, footprint.shape)
    mode = expanded_modes(mode, axes, input.ndim)
    count = int(np.count_nonzero(footprint))
    rank = _rank_of(rank, count, operation)
    if rank == 0 or rank == count - 1:  # as SciPy: the minimum or maximum filter, separable for a box
        return min_or_max(input, None, footprint, output, mode, cval, origins, None, rank == 0, xp, engine)
    out_dtype = output_dtype(output, input, xp, complex_output=False)
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError(f"A sequence of modes is not supported by non-separable rank filters: {mode=}")
    result = _select(input, footprint, origins, mode_code(mode), cval, rank, out_dtype, xp, engine)
    return deliver(result, output, xp)


def _rank_of(rank, count, operation):
    """SciPy's rank in the sorted window values for ``operation`` (median, percentile or rank)."""
    if operation == "median":
        rank = count // 2
    elif operation == "percentile":
        percentile = rank + 100.0 if rank < 0.0 else rank
        if percentile < 0 or percentile > 100:
            raise RuntimeError(f"invalid percentile: {percentile=}")
        rank = count - 1 if percentile == 100.0 else int(float(count) * percentile / 100.0)
    if rank < 0:
        rank += count
    if rank < 0 or rank >= count:
        raise RuntimeError(f"rank not within filter footprint size: {rank=} for {count} elements")
    return rank


def _box(input, passes, cval, minimum, out_dtype, xp, engine):
    """Running min (max) passes ``(axis, size, origin, code)``, compared as SciPy does in float64."""
    check_supported(input.dtype, "input", xp)
    if not passes:
        return xp.astype(input, out_dtype, copy=True)
    if math.prod(input.shape) == 0:
        return xp.zeros(input.shape, dtype=out_dtype, device=device(input))
    x = input
    with quiet_numpy():
        for axis, size, origin, code in passes:  # as SciPy: each pass is written to the output dtype
            work = xp.astype(x, _box_dtype(x.dtype, out_dtype, code, cval, xp), copy=False)
            x = cast(
                engine.min_or_max_1d(work, axis, size, size // 2 + origin, code, cval, minimum, xp),
                out_dtype,
                xp,
            )
    return x


def _box_dtype(in_dtype, out_dtype, code, cval, xp):
    """Floats as `work_dtype`; integers and bool in their own dtype (bool as uint8) when ``cval`` is
    one of its values, as comparing in float64 then gives the same result; else float64."""
    if xp.isdtype(in_dtype, "real floating"):
        return work_dtype(in_dtype, out_dtype, xp)
    own = xp.uint8 if xp.isdtype(in_dtype, "bool") else in_dtype
    info = xp.iinfo(own)
    cval = float(cval)
    if code != CONSTANT or (cval.is_integer() and info.min <= cval <= info.max):
        return own
    return xp.float64


def _select(input, footprint, origins, code, cval, rank, out_dtype, xp, engine, added=None):
    """The footprint filter in the input's own dtype (bool as uint8), ``cval`` cast to it first;
    ``added``: the float64 values a non-flat structure adds per footprint element (min and max
    only), the first in float64, the others cast to the input's dtype first (SciPy's C code)."""
    check_supported(input.dtype, "input", xp)
    if math.prod(input.shape) == 0:
        return xp.zeros(input.shape, dtype=out_dtype, device=device(input))
    own = xp.uint8 if xp.isdtype(input.dtype, "bool") else input.dtype
    value = _as_input_value(cval, own)  # (as SciPy's npy_bool, a bool cval of 3.7 is 3)
    before = tuple(f // 2 + o for f, o in zip(footprint.shape, origins, strict=True))
    structure = None if added is None else (_as_input_values(added, own), float(added[0]))
    x = xp.astype(input, own, copy=False)
    with quiet_numpy():
        result = engine.footprint_filter(x, footprint, before, code, value, rank, xp, structure)
        return cast(result, out_dtype, xp)


def _as_input_values(values, dtype):
    """Float64 NumPy ``values`` as SciPy's C code casts them to ``dtype``'s NumPy dtype."""
    with quiet_numpy():
        return cast(np.asarray(values, dtype=np.float64), _numpy_dtype(dtype), NUMPY)


def _numpy_dtype(dtype):
    """The NumPy dtype of any library's ``dtype`` (or a NumPy scalar type)."""
    try:
        return np.dtype(dtype)
    except TypeError:
        return np.dtype(str(dtype).rpartition(".")[2])


def _as_input_value(cval, dtype):
    """``cval`` as SciPy's C code casts it to the input's dtype, as a Python number."""
    value = _as_input_values(float(cval), dtype)
    return int(value) if value.dtype.kind in "biu" else float(value)


def _refuse_complex(input, xp):
    if is_complex(input, xp):
        raise TypeError(f"Complex type not supported: input has dtype {input.dtype}")


def _check_origin(origin, size):
    if size // 2 + origin < 0 or size // 2 + origin >= size:
        raise ValueError(f"invalid origin: {origin=} for a filter of size {size}")


def _expand_footprint(footprint, axes, ndim):
    """The footprint over every axis (length 1 on the axes not filtered), checked against ``axes``."""
    footprint = np.reshape(footprint, filter_shape(footprint.shape, axes, ndim, "footprint"))
    if len([n for n in footprint.shape if n > 0]) != ndim:
        raise RuntimeError(f"footprint.ndim ({footprint.ndim}) must match len(axes) ({len(axes)})")
    return np.array(footprint, order="C")  # (ascontiguousarray would make a 0-d footprint 1-d)


def _expand_origins(origin, axes, ndim, shape):
    """One origin per axis (0 on the axes not filtered), each within the footprint."""
    origins = expanded_origins(origin, axes, ndim)
    for o, n in zip(origins, shape, strict=True):
        _check_origin(o, n)
    return [operator.index(o) for o in origins]


def _declare(scipy_when=_SCIPY_SELECTS_FASTER):
    return gsci_function(
        "ndimage",
        arrays=("input", "output"),
        host_operators=("footprint",),
        kernel_engine=_rank_cuda,
        scipy_when=scipy_when,
        torch_as_numpy=True,
    )


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel_engine=_rank_cuda,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def minimum_filter1d(
    input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp, engine=_rank_xp
):
    """Calculate a 1-D minimum filter along the given axis.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer or float32/float64; not complex).
    size : int
        Length along which to calculate the 1-D minimum.
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
        Shifts the filter; ``-(size // 2) <= origin <= (size - 1) // 2``. Default 0.

    Returns
    -------
    result : array
        Filtered array with the shape of `input`, in `input`'s library and on
        its device. When `output` is an array, the result is written into it
        and it is returned (JAX: a new array of `output`'s dtype instead).

    Notes
    -----
    A van Herk / Gil-Werman running minimum: O(n) whatever the size.
    NaN in a window gives NaN (SciPy's result is undefined there).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import minimum_filter1d
    >>> minimum_filter1d(np.array([2, 8, 0, 4, 1, 9, 9, 0]), size=3)
    array([2, 0, 0, 0, 1, 1, 0, 0])
    """
    return _min_or_max_1d(input, size, axis, output, mode, cval, origin, True, xp, engine)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel_engine=_rank_cuda,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def maximum_filter1d(
    input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *, xp, engine=_rank_xp
):
    """Calculate a 1-D maximum filter along the given axis.

    Parameters and results as `minimum_filter1d`, with the maximum.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import maximum_filter1d
    >>> maximum_filter1d(np.array([2, 8, 0, 4, 1, 9, 9, 0]), size=3)
    array([8, 8, 8, 4, 9, 9, 9, 9])
    """
    return _min_or_max_1d(input, size, axis, output, mode, cval, origin, False, xp, engine)


@_declare(_SCIPY_IS_FASTER)
def minimum_filter(
    input,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    *,
    axes=None,
    xp,
    engine=_rank_xp,
):
    """Calculate a multidimensional minimum filter.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer or float32/float64; not complex).
    size : scalar or tuple, optional
        The shape of a box footprint; ignored (with a warning) if `footprint` is given.
    footprint : array, optional
        Boolean array of the window's elements. Either `size` or `footprint`
        must be given. Its values are read on the host (they decide the
        filter's shape): a NumPy array or a sequence whatever `input`'s
        library (under ``jax.jit`` it must be one); a GPU array costs one transfer.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : str or sequence, optional
        The boundary mode (see `minimum_filter1d`), or one per axis in `axes`
        (a box footprint only, as SciPy). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int or sequence, optional
        Shifts the filter, per axis or for every axis. Default 0.
    axes : tuple of int or None, optional
        The axes to filter; tuples for `size`, `origin` and `mode` match its length.

    Returns
    -------
    minimum_filter : array
        Filtered array with the shape of `input` (see `minimum_filter1d` for `output` arrays).

    Notes
    -----
    A box footprint runs as running-minimum passes along each axis, any other
    footprint as the minimum over the footprint's shifted values. int64 and
    uint64 values beyond 2**53 stay exact (SciPy rounds them through float64).
    NaN in a window gives NaN (SciPy's result is undefined there).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import minimum_filter
    >>> minimum_filter(np.array([[2, 8, 0, 4], [1, 9, 9, 0], [5, 3, 7, 6]]), size=2)
    array([[2, 2, 0, 0],
           [1, 1, 0, 0],
           [1, 1, 3, 0]])
    """
    return min_or_max(input, size, footprint, output, mode, cval, origin, axes, True, xp, engine)


@_declare(_SCIPY_IS_FASTER)
def maximum_filter(
    input,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    *,
    axes=None,
    xp,
    engine=_rank_xp,
):
    """Calculate a multidimensional maximum filter.

    Parameters and results as `minimum_filter`, with the maximum.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import maximum_filter
    >>> maximum_filter(np.array([[2, 8, 0, 4], [1, 9, 9, 0], [5, 3, 7, 6]]), footprint=[[1, 0], [0, 1]])
    array([[2, 8, 8, 4],
           [2, 9, 9, 0],
           [5, 3, 9, 9]])
    """
    return min_or_max(input, size, footprint, output, mode, cval, origin, axes, False, xp, engine)


@_declare()
def median_filter(
    input,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    *,
    axes=None,
    xp,
    engine=_rank_xp,
):
    """Calculate a multidimensional median filter.

    The value at index ``n // 2`` of the sorted window values, ``n`` the
    number of elements in the footprint (as SciPy; not the mean of the two
    middle values for even ``n``).

    Parameters
    ----------
    input, size, footprint, output, mode, cval, origin, axes
        As `minimum_filter`; a sequence of modes is refused (RuntimeError)
        unless the filter reduces to a minimum or maximum, as SciPy.

    Returns
    -------
    median_filter : array
        Filtered array with the shape of `input`.

    Notes
    -----
    For 1-D input SciPy 1.17 ignores the footprint's False elements (its
    1-D code takes a box of ``footprint.size``); gsci honours the footprint,
    as SciPy does for 2-D and higher input.
    NumPy input runs a Numba kernel that sorts each window's values with a
    comparator network pruned to the wanted rank, many windows side by side;
    other libraries sort the stacked window values one slab of the array at
    a time (at most about one input's worth of stacked values at once).
    NaN: SciPy's result is undefined with NaN in a window; gsci orders NaN
    above every number (as ``sort``). Windows without NaN agree with SciPy.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import median_filter
    >>> median_filter(np.array([[2, 8, 0, 4], [1, 9, 9, 0], [5, 3, 7, 6]]), size=3)
    array([[2, 2, 4, 4],
           [3, 5, 6, 4],
           [5, 5, 6, 6]])
    """
    return _rank_filter(input, 0, size, footprint, output, mode, cval, origin, axes, "median", xp, engine)


@_declare()
def rank_filter(
    input,
    rank,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    *,
    axes=None,
    xp,
    engine=_rank_xp,
):
    """Calculate a multidimensional rank filter.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer or float32/float64; not complex).
    rank : int
        The index in the sorted window values; negative counts from the
        largest (-1 is the maximum).
    size, footprint, output, mode, cval, origin, axes
        As `median_filter`.

    Returns
    -------
    rank_filter : array
        Filtered array with the shape of `input`.

    Notes
    -----
    See `median_filter` for the algorithms and NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import rank_filter
    >>> rank_filter(np.array([[2, 8, 0, 4], [1, 9, 9, 0], [5, 3, 7, 6]]), rank=1, size=(1, 3))
    array([[2, 2, 4, 4],
           [1, 9, 9, 0],
           [5, 5, 6, 6]])
    """
    rank = operator.index(rank)
    return _rank_filter(input, rank, size, footprint, output, mode, cval, origin, axes, "rank", xp, engine)


@_declare()
def percentile_filter(
    input,
    percentile,
    size=None,
    footprint=None,
    output=None,
    mode="reflect",
    cval=0.0,
    origin=0,
    *,
    axes=None,
    xp,
    engine=_rank_xp,
):
    """Calculate a multidimensional percentile filter.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer or float32/float64; not complex).
    percentile : scalar
        Between -100 and 100; negative counts from the top (-20 is 80).
        The rank is ``int(n * percentile / 100)`` of ``n`` window values (``n - 1`` for 100).
    size, footprint, output, mode, cval, origin, axes
        As `median_filter`.

    Returns
    -------
    percentile_filter : array
        Filtered array with the shape of `input`.

    Notes
    -----
    See `median_filter` for the algorithms and NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import percentile_filter
    >>> percentile_filter(np.array([[2, 8, 0, 4], [1, 9, 9, 0], [5, 3, 7, 6]]), 20, size=3, mode="nearest")
    array([[1, 0, 0, 0],
           [1, 1, 0, 0],
           [1, 3, 3, 0]])
    """
    return _rank_filter(
        input, percentile, size, footprint, output, mode, cval, origin, axes, "percentile", xp, engine
    )
