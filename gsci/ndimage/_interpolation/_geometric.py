"""map_coordinates, affine_transform, shift, zoom, rotate and geometric_transform.

Each function checks its arguments as SciPy does and turns them into a mapping
(`_mapping`: where each output point samples the input, computed as SciPy's C
code computes it), prefilters the input (`_spline.prefiltered`) and lets the
engine evaluate the spline there (``engine.interpolate``: `_engines.NATIVE`,
or `_engines.CUDA` on the kernel path). The float64 result is then stored in
the output dtype as SciPy's C code stores it. Complex input runs its real and
imaginary parts in turn (with ``cval.real`` and ``cval.imag``).
`geometric_transform` calls a Python function per output point: SciPy's own
loop runs it on the host.
"""

import functools
import math

import numpy as np

from gsci._lib._arrays import as_array, from_host, host_values, is_array, library_of, to_host
from gsci._lib._compat import device, is_dask_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._warnings import warn_at_caller
from gsci.ndimage._filters._support import (
    as_uint64,
    check_supported,
    complex_from_parts,
    deliver,
    is_complex,
    per_axis,
    promoting_to_complex128,
    real_cval,
    real_if_real,
)
from gsci.ndimage._interpolation import _engines
from gsci.ndimage._interpolation._mapping import MODES, Affine, Coordinates, ZoomShift
from gsci.ndimage._interpolation._spline import prefiltered

# Below these sizes (every NumPy data array) SciPy's lower fixed cost per call wins (measured on 2 busy
# cores, best of interleaved repeats, gsci's speed / SciPy's: 32 x 32 shift order 3 0.83x, 64 x 64 1.45x;
# rotate 30 degrees 0.78x, 1.04x; map_coordinates of 2 x n**2 points 0.83x, 1.66x; affine order 1 64 x 64
# 0.91x, 128 x 128 1.43x; zoom x2 16 x 16 0.84x, 32 x 32 1.47x)
_SCIPY_IS_FASTER = fewer_elements(2**12)
_SCIPY_AFFINE_IS_FASTER = fewer_elements(2**13)
_SCIPY_ZOOM_IS_FASTER = fewer_elements(2**9)


# ---- what every function shares: checks, dtypes, the engine calls, storing the result ----------------


def _check_order(order):
    if order < 0 or order > 5:
        raise RuntimeError(f"spline order not supported: {order=} (0 to 5)")


def _check_ranks(input, output_shape):
    if input.ndim < 1 or len(output_shape) < 1:
        raise RuntimeError(f"input and output rank must be > 0: {input.ndim=}, {output_shape=}")


def _output_dtype(output, input, shape, xp):
    """SciPy's ``_get_output``: the result's dtype from ``output`` (None, a dtype or its name, an array
    of ``shape``). The dtypes the C code takes are checked apart (`_prepared`): zoom by 1 skips it."""
    complex_output = is_complex(input, xp)
    if output is None:
        return input.dtype
    if is_array(output):
        if tuple(output.shape) != tuple(shape):
            raise RuntimeError(f"output shape not correct: {tuple(output.shape)}, expected {tuple(shape)}")
        if complex_output and not is_complex(output, xp):
            raise RuntimeError(f"output must have complex dtype, got {output.dtype}")
        return output.dtype
    if isinstance(output, str):
        numpy_dtype = np.dtype(output)
        if complex_output and numpy_dtype.kind != "c":
            raise RuntimeError(f"output must have complex dtype, got {output=}")
        if not issubclass(numpy_dtype.type, np.number):
            raise RuntimeError(f"output must have numeric dtype, got {output=}")
        return getattr(xp, numpy_dtype.name)
    dtype = getattr(xp, np.dtype(output).name) if isinstance(output, type | np.dtype) else output
    if complex_output and not xp.isdtype(dtype, "complex floating"):
        warn_at_caller("promoting specified output dtype to complex")
        dtype = xp.complex128 if dtype in promoting_to_complex128(xp) else xp.complex64
    return dtype


def _prepared(input, output, shape, order, mode, cval, xp):
    """``(dtype, mode, cvals)`` after SciPy's checks: the output dtype for an output of ``shape``, the
    mode as the engines take it ('grid-mirror' is 'reflect') and ``cval`` per part (real, imaginary)."""
    _check_order(order)
    dtype = _output_dtype(output, input, shape, xp)
    check_supported(input.dtype, "input", xp)
    real_if_real(dtype, is_complex(input, xp), xp)
    return dtype, _engine_mode(mode), _cval_parts(input, cval, xp)


def _engine_mode(mode):
    mode = "reflect" if mode == "grid-mirror" else mode
    if not isinstance(mode, str) or mode not in MODES:
        raise RuntimeError(f"boundary mode not supported: {mode=}")
    return mode


def _cval_parts(input, cval, xp):
    if not is_complex(input, xp):
        return (real_cval(cval),)
    value = complex(cval)
    return value.real, value.imag


def _interpolated(input, mapping, output_shape, dtype, order, mode, cvals, prefilter, xp, engine, axes=None):
    """The spline through ``input`` at ``mapping``'s points, ``(*batch, *output_shape)`` in ``dtype``.

    ``axes``: the axes interpolated (the last ``len(output_shape)``); the others are batch axes.
    Complex input: the real and imaginary parts in turn, each with its part of ``cval``.
    """
    parts = (xp.real(input), xp.imag(input)) if is_complex(input, xp) else (input,)
    values = [
        _part_values(part, mapping, output_shape, order, mode, cval, prefilter, xp, engine, axes)
        for part, cval in zip(parts, cvals, strict=True)
    ]
    return _stored(values, dtype, xp)


def _part_values(input, mapping, output_shape, order, mode, cval, prefilter, xp, engine, axes):
    """float64 ``(*batch, *output_shape)``: the spline through real ``input`` at ``mapping``'s points."""
    batch = () if axes is None else tuple(input.shape[: input.ndim - len(axes)])
    if math.prod(output_shape) == 0 or math.prod(input.shape) == 0:  # SciPy's output: cval (or garbage)
        return xp.full((*batch, *output_shape), cval, dtype=xp.float64, device=device(input))
    if prefilter and order > 1:
        coefficients, npad = prefiltered(input, order, mode, cval, xp, engine, axes=axes)
    else:
        coefficients, npad = input, 0  # the engines read it as it is: no float64 copy of a large input
    return engine.interpolate(coefficients, mapping, tuple(output_shape), order, mode, cval, npad, xp)


def _stored(parts, dtype, xp):
    """float64 ``parts`` (one, or real and imaginary) as ``dtype``, as SciPy's C code stores them."""
    if len(parts) == 2:
        part = xp.float32 if dtype == xp.complex64 else xp.float64
        return complex_from_parts(xp.astype(parts[0], part), xp.astype(parts[1], part), dtype, xp)
    values = parts[0]
    if xp.isdtype(dtype, "bool"):
        return _as_bool(values, xp)
    if xp.isdtype(dtype, "integral"):
        return _rounded(values, dtype, xp)
    return xp.astype(values, dtype, copy=False)


def _as_bool(values, xp):
    """SciPy's C ``(npy_bool)t``, as x86-64 compiles it: the low byte of ``t`` truncated to int32
    (0 for NaN and for values out of int32's range) is nonzero."""
    inside = (values > -(2.0**31) - 1) & (values < 2.0**31)  # False for NaN
    truncated = xp.astype(xp.where(inside, values, xp.zeros_like(values)), xp.int64)
    return truncated % 256 != 0


def _rounded(values, dtype, xp):
    """float64 ``values`` as integer ``dtype`` as SciPy's C stores them: rounded half away from zero
    (unsigned types: 0 for values <= 0), saturated at the type's range; NaN as x86-64 converts it
    (0; int32 and int64: their minimum)."""
    info = xp.iinfo(dtype)
    zero = xp.zeros_like(values)
    if info.min == 0:
        t = xp.where(values > 0, values + 0.5, zero)
        if info.bits == 64:
            return as_uint64(t, xp)  # exact below 2**64, 0 from there on (the C code's conversion)
        return xp.astype(xp.clip(t, max=float(info.max)), dtype)
    t = xp.where(values > 0, values + 0.5, values - 0.5)
    nan = xp.isnan(t)
    top = float(info.max) if info.bits < 64 else math.nextafter(2.0**63, 0.0)  # 2**63 is past int64
    stored = xp.astype(xp.clip(xp.where(nan, zero, t), min=float(info.min), max=top), dtype)
    if info.bits == 64:
        stored = xp.where(t > top, xp.full_like(stored, info.max), stored)
    if info.bits >= 32:
        stored = xp.where(nan, xp.full_like(stored, info.min), stored)
    return stored


def _host_floats(value):
    """A small array's or sequence's values on the host, float64 NumPy (SciPy's ``np.asarray``)."""
    if is_array(value):
        value = host_values(value, library_of(value))
    return np.asarray(value, dtype=np.float64)


def _readable(value):
    """Whether ``value``'s values can be read on the host now: all but a JAX tracer (Dask computes)."""
    if not is_array(value) or library_of(value) != "jax":
        return True
    import jax

    return not isinstance(value, jax.core.Tracer)


def _as_rank(mapping, output_shape, ndim, xp):
    """``(mapping, shape)`` with an output of ``ndim`` axes, as the engines take it: points of another
    rank (a `Coordinates` mapping) lie along the last axis (reshape the result to ``output_shape``)."""
    if len(output_shape) == ndim:
        return mapping, tuple(output_shape)
    flat = (1,) * (ndim - 1) + (math.prod(output_shape),)
    return Coordinates(xp.reshape(mapping.coordinates, (ndim, *flat))), flat


def _run(input, mapping, output_shape, output, dtype, order, mode, cvals, prefilter, xp, engine):
    """The spline at ``mapping``'s points for an output of ``output_shape``, delivered into ``output``."""
    mapping, shape = _as_rank(mapping, output_shape, input.ndim, xp)
    result = _interpolated(input, mapping, shape, dtype, order, mode, cvals, prefilter, xp, engine)
    if shape != tuple(output_shape):
        result = xp.reshape(result, tuple(output_shape))
    return deliver(result, output, xp)


# ---- affine_transform's matrix and offset -------------------------------------------------------------


def _affine_mapping(matrix, offset, ndim, output_shape, xp, like):
    """SciPy's checks of ``matrix`` and ``offset`` and the mapping they make, for ``ndim``-d input.

    Values readable on the host make SciPy's own mapping (`Affine`, or `ZoomShift` for a 1-D matrix:
    its C path); values that are not (under ``jax.jit``) make `Coordinates` with ``xp``.
    """
    if _readable(matrix) and _readable(offset):
        return _host_affine(_host_floats(matrix), offset, ndim, output_shape, xp, like)
    return _lazy_affine(matrix, offset, ndim, output_shape, xp, like)


def _host_affine(matrix, offset, ndim, output_shape, xp, like):
    _check_matrix(matrix.shape)
    if _is_homogeneous(matrix.shape, ndim):
        if matrix.shape[0] == ndim + 1 and not np.all(matrix[ndim] == [0] * ndim + [1]):
            raise ValueError(
                f"Expected homogeneous transformation matrix with shape {matrix.shape} for image shape "
                f"{like.shape}, but bottom row was not equal to {[0] * ndim + [1]}"
            )
        offset, matrix = matrix[:ndim, ndim], matrix[:ndim, :ndim]
    _check_columns(matrix.shape, ndim, len(output_shape))
    offset = _host_offset(offset, ndim)
    if matrix.ndim == 1:
        return ZoomShift(zoom=tuple(matrix.tolist()), shift=tuple((offset / matrix).tolist()))
    if matrix.shape[1] == ndim:
        return Affine(tuple(map(tuple, matrix.tolist())), tuple(offset.tolist()))
    matrix, offset = (xp.asarray(a, device=device(like)) for a in (matrix, offset))
    return Coordinates(_affine_points(matrix, offset, output_shape, xp))


def _lazy_affine(matrix, offset, ndim, output_shape, xp, like):
    """`Coordinates` from ``matrix`` and ``offset`` with ``xp`` ops (a homogeneous matrix's bottom row
    cannot be checked: its values are not known yet)."""
    matrix = xp.astype(as_array(matrix, xp, like=like), xp.float64)
    _check_matrix(tuple(matrix.shape))
    if _is_homogeneous(tuple(matrix.shape), ndim):
        offset, matrix = matrix[:ndim, ndim], matrix[:ndim, :ndim]
    _check_columns(tuple(matrix.shape), ndim, len(output_shape))
    if _readable(offset):
        offset = xp.asarray(_host_offset(offset, ndim), device=device(like))
    else:
        offset = xp.astype(offset, xp.float64)
        if offset.ndim == 0:
            offset = xp.broadcast_to(offset, (ndim,))
        if offset.ndim != 1 or offset.shape[0] != ndim:
            raise RuntimeError(f"sequence argument must have length equal to input rank: {offset.shape=}")
    return Coordinates(_affine_points(matrix, offset, output_shape, xp))


def _check_matrix(shape):
    if len(shape) not in (1, 2) or shape[0] < 1:
        raise RuntimeError(f"no proper affine matrix provided: matrix of shape {shape}")


def _is_homogeneous(shape, ndim):
    return len(shape) == 2 and shape[1] == ndim + 1 and shape[0] in (ndim, ndim + 1)


def _check_columns(shape, ndim, output_ndim):
    if shape[0] != ndim:
        raise RuntimeError(f"affine matrix has wrong number of rows: {shape[0]} for {ndim=}")
    if len(shape) == 2 and shape[1] != output_ndim:
        raise RuntimeError(f"affine matrix has wrong number of columns: {shape[1]} for {output_ndim=}")
    if len(shape) == 1 and output_ndim != ndim:
        raise NotImplementedError(
            f"a 1-D matrix with an output of another rank ({output_ndim=} for {ndim=}): "
            "SciPy reads past its zoom factors there"
        )


def _host_offset(offset, ndim):
    if is_array(offset):
        offset = host_values(offset, library_of(offset))
    offset = np.asarray(per_axis(offset, ndim), dtype=np.float64)
    if offset.ndim != 1 or offset.shape[0] < 1:
        raise RuntimeError(f"no proper offset provided: {offset=}")
    return offset


def _affine_points(matrix, offset, output_shape, xp):
    """The input point of every output point, ``(ndim, *output_shape)``, summed as SciPy's C code sums:
    ``offset[i]``, then ``+ out[j] * matrix[i, j]`` for each ``j`` in turn (a 1-D matrix: SciPy's zoom
    and shift, ``(out[i] + offset[i] / matrix[i]) * matrix[i]``)."""
    rank = len(output_shape)
    where = device(matrix)
    grids = [
        xp.reshape(xp.arange(n, dtype=xp.float64, device=where), (n,) + (1,) * (rank - 1 - j))
        for j, n in enumerate(output_shape)
    ]
    rows = []
    for i in range(offset.shape[0]):
        if matrix.ndim == 1:
            row = (grids[i] + offset[i] / matrix[i]) * matrix[i]
        else:
            row = offset[i]
            for j in range(rank):
                row = row + grids[j] * matrix[i, j]
        rows.append(xp.broadcast_to(row, tuple(output_shape)))
    return xp.stack(rows)


# ---- the public functions ---------------------------------------------------------------------------


@gsci_function(
    "ndimage",
    arrays=("input", "coordinates", "output"),
    kernel_engine=_engines.CUDA,
    scipy_when=_SCIPY_IS_FASTER,
)
def map_coordinates(
    input,
    coordinates,
    output=None,
    order=3,
    mode="constant",
    cval=0.0,
    prefilter=True,
    *,
    xp,
    engine=_engines.NATIVE,
):
    """Map the input array to new coordinates by spline interpolation.

    Each output value is the spline of order `order` through `input`,
    evaluated at the input point that `coordinates` gives for it.

    Parameters
    ----------
    input : array_like
        The input array (real or complex: complex input runs its real and
        imaginary parts separately).
    coordinates : array_like
        The input point of every output point, shape
        ``(input.ndim, *output_shape)``, in `input`'s library.
    output : array or dtype, optional
        The array to place the output in, or the dtype of the returned array.
        Default: `input`'s dtype.
    order : int, optional
        The spline order, 0 to 5. Default 3.
    mode : {'constant', 'grid-constant', 'nearest', 'reflect', 'grid-mirror', 'mirror', 'grid-wrap', 'wrap'}
        How the input extends past its edges (SciPy's modes). Default 'constant'.
    cval : scalar, optional
        The value past the edges in 'constant' and 'grid-constant' modes. Default 0.0.
    prefilter : bool, optional
        Whether to prefilter `input` with `spline_filter` first (order > 1);
        False when `input` holds spline coefficients already. Default True.

    Returns
    -------
    map_coordinates : array
        The result, of shape ``coordinates.shape[1:]``, in `input`'s library
        and on its device (`output` itself when given as a writable array).

    Notes
    -----
    Integer outputs are rounded half away from zero and saturated, as
    SciPy's C code stores them. On torch, gradients flow to `input` and, for
    order >= 1, to `coordinates`, as far as the engine carries them.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._interpolation._geometric import map_coordinates
    >>> a = np.arange(12.0).reshape(4, 3)
    >>> map_coordinates(a, [[0.5, 2.0], [0.5, 1.0]], order=1)
    array([2., 7.])
    """
    _check_order(order)
    input = as_array(input, xp)
    coordinates = as_array(coordinates, xp, like=input)
    if is_complex(coordinates, xp):
        raise TypeError(f"Complex type not supported: coordinates of {coordinates.dtype}")
    output_shape = tuple(coordinates.shape[1:])
    _check_ranks(input, output_shape)
    if coordinates.shape[0] != input.ndim:
        shape = tuple(coordinates.shape)
        raise RuntimeError(f"invalid shape for coordinate array: {shape} for {input.ndim=}")
    dtype, mode, cvals = _prepared(input, output, output_shape, order, mode, cval, xp)
    mapping = Coordinates(xp.astype(coordinates, xp.float64))
    return _run(input, mapping, output_shape, output, dtype, order, mode, cvals, prefilter, xp, engine)


# matrix and offset are neither operators nor host_operators: the function reads them itself, on the host
# when it can (as operators, NumPy ones would become tracers under jax.jit; host_operators refuse tracers)
@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel_engine=_engines.CUDA,
    scipy_when=_SCIPY_AFFINE_IS_FASTER,
)
def affine_transform(
    input,
    matrix,
    offset=0.0,
    output_shape=None,
    output=None,
    order=3,
    mode="constant",
    cval=0.0,
    prefilter=True,
    *,
    xp,
    engine=_engines.NATIVE,
):
    """Apply an affine transformation.

    The output point ``o`` takes the spline's value at the input point
    ``matrix @ o + offset`` ("pull" resampling, as SciPy).

    Parameters
    ----------
    input : array_like
        The input array (real or complex).
    matrix : array_like
        The transformation: ``(ndim,)`` (a diagonal matrix: per axis zoom),
        ``(ndim, output_ndim)``, or homogeneous ``(ndim, ndim + 1)`` or
        ``(ndim + 1, ndim + 1)`` (then `offset` is its last column). An array
        of any library or a sequence; under ``jax.jit`` it may be traced.
    offset : float or sequence, optional
        The offset, one for all axes or one per axis. Default 0.0.
    output_shape : tuple of ints, optional
        The output's shape. Default: `output`'s shape if an array, else `input`'s.
    output : array or dtype, optional
        The array to place the output in, or the dtype of the returned array.
    order : int, optional
        The spline order, 0 to 5. Default 3.
    mode : {'constant', 'grid-constant', 'nearest', 'reflect', 'grid-mirror', 'mirror', 'grid-wrap', 'wrap'}
        How the input extends past its edges. Default 'constant'.
    cval : scalar, optional
        The value past the edges in 'constant' and 'grid-constant' modes. Default 0.0.
    prefilter : bool, optional
        Whether to prefilter `input` first (order > 1). Default True.

    Returns
    -------
    affine_transform : array
        The transformed input, in `input`'s library and on its device.

    Notes
    -----
    The matrix's values are read on the host (a GPU matrix costs a copy, a
    Dask one is computed: a few numbers, and the output's chunks then read
    only the input chunks they map from) and the input points computed with
    SciPy's float operations in its order. A matrix or offset traced by
    ``jax.jit`` gives the input points as an array computed with JAX
    instead; a homogeneous matrix's bottom row is then not checked. On
    torch, gradients flow to `input`, not to a matrix read on the host.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._interpolation._geometric import affine_transform
    >>> a = np.arange(12.0).reshape(3, 4)
    >>> affine_transform(a, [[1, 0], [0, 2]], order=1)
    array([[ 0.,  2.,  0.,  0.],
           [ 4.,  6.,  0.,  0.],
           [ 8., 10.,  0.,  0.]])
    """
    _check_order(order)
    input = as_array(input, xp)
    if output_shape is None:
        output_shape = output.shape if is_array(output) else input.shape
    output_shape = tuple(output_shape)
    _check_ranks(input, output_shape)
    dtype, mode, cvals = _prepared(input, output, output_shape, order, mode, cval, xp)
    mapping = _affine_mapping(matrix, offset, input.ndim, output_shape, xp, input)
    return _run(input, mapping, output_shape, output, dtype, order, mode, cvals, prefilter, xp, engine)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    host_operators=("shift",),
    kernel_engine=_engines.CUDA,
    scipy_when=_SCIPY_IS_FASTER,
)
def shift(
    input,
    shift,
    output=None,
    order=3,
    mode="constant",
    cval=0.0,
    prefilter=True,
    *,
    xp,
    engine=_engines.NATIVE,
):
    """Shift an array.

    The output at ``o`` is the spline's value at the input point ``o - shift``.

    Parameters
    ----------
    input : array_like
        The input array (real or complex).
    shift : float or sequence
        The shift, one for all axes or one per axis (read on the host).
    output : array or dtype, optional
        The array to place the output in, or the dtype of the returned array.
    order : int, optional
        The spline order, 0 to 5. Default 3.
    mode : {'constant', 'grid-constant', 'nearest', 'reflect', 'grid-mirror', 'mirror', 'grid-wrap', 'wrap'}
        How the input extends past its edges. Default 'constant'.
    cval : scalar, optional
        The value past the edges in 'constant' and 'grid-constant' modes. Default 0.0.
    prefilter : bool, optional
        Whether to prefilter `input` first (order > 1). Default True.

    Returns
    -------
    shift : array
        The shifted input, in `input`'s library and on its device.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._interpolation._geometric import shift
    >>> shift(np.array([1.0, 2.0, 3.0, 4.0]), 1.5, order=1, mode="nearest")
    array([1. , 1. , 1.5, 2.5])
    """
    _check_order(order)
    input = as_array(input, xp)
    if input.ndim < 1:
        raise RuntimeError(f"input and output rank must be > 0: {input.ndim=}")
    dtype, mode, cvals = _prepared(input, output, input.shape, order, mode, cval, xp)
    shifts = np.asarray([-s for s in per_axis(shift, input.ndim)], dtype=np.float64)
    mapping = ZoomShift(zoom=None, shift=tuple(shifts.tolist()))
    return _run(input, mapping, tuple(input.shape), output, dtype, order, mode, cvals, prefilter, xp, engine)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    host_operators=("zoom",),
    kernel_engine=_engines.CUDA,
    scipy_when=_SCIPY_ZOOM_IS_FASTER,
)
def zoom(
    input,
    zoom,
    output=None,
    order=3,
    mode="constant",
    cval=0.0,
    prefilter=True,
    *,
    grid_mode=False,
    xp,
    engine=_engines.NATIVE,
):
    """Zoom an array.

    The output has ``round(input.shape * zoom)`` points per axis, the
    spline through `input` sampled evenly between its first and last
    points (``grid_mode=False``) or over the pixels' full extents
    (``grid_mode=True``).

    Parameters
    ----------
    input : array_like
        The input array (real or complex).
    zoom : float or sequence
        The zoom factor, one for all axes or one per axis (read on the host).
    output : array or dtype, optional
        The array to place the output in, or the dtype of the returned array.
    order : int, optional
        The spline order, 0 to 5. Default 3.
    mode : {'constant', 'grid-constant', 'nearest', 'reflect', 'grid-mirror', 'mirror', 'grid-wrap', 'wrap'}
        How the input extends past its edges. Default 'constant'.
    cval : scalar, optional
        The value past the edges in 'constant' and 'grid-constant' modes. Default 0.0.
    prefilter : bool, optional
        Whether to prefilter `input` first (order > 1). Default True.
    grid_mode : bool, optional
        Whether the zoom spans the pixels' full extents (edge to edge) rather
        than their centres. Default False.

    Returns
    -------
    zoom : array
        The zoomed input, in `input`'s library and on its device.

    Notes
    -----
    As SciPy: a zoom of 1 on every axis with `prefilter` returns a copy of
    the input in the output dtype (a plain cast), and complex input ignores
    `grid_mode` (SciPy 1.17 does not pass it to the parts).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._interpolation._geometric import zoom
    >>> zoom(np.array([0.0, 1.0, 2.0]), 5 / 3, order=1)
    array([0. , 0.5, 1. , 1.5, 2. ])
    """
    _check_order(order)
    input = as_array(input, xp)
    if input.ndim < 1:
        raise RuntimeError(f"input and output rank must be > 0: {input.ndim=}")
    zoom = per_axis(zoom, input.ndim)
    output_shape = tuple(round(n * z) for n, z in zip(input.shape, zoom, strict=True))
    if all(z == 1 for z in zoom) and prefilter:  # SciPy returns the input as it is, cast
        return deliver(xp.astype(input, _output_dtype(output, input, output_shape, xp)), output, xp)
    dtype, engine_mode, cvals = _prepared(input, output, output_shape, order, mode, cval, xp)
    grid_mode = grid_mode and not is_complex(input, xp)
    if grid_mode and mode in ("constant", "wrap"):
        warn_at_caller(
            f"It is recommended to use mode = grid-{mode} instead of {mode} when grid_mode is True."
        )
    factors = _zoom_factors(input.shape, output_shape, grid_mode)
    mapping = ZoomShift(zoom=factors, shift=None, grid_mode=grid_mode)
    return _run(input, mapping, output_shape, output, dtype, order, engine_mode, cvals, prefilter, xp, engine)


def _zoom_factors(input_shape, output_shape, grid_mode):
    """SciPy's factors: ``(in - 1) / (out - 1)`` per axis (``in / out`` in grid mode), 1 for an output of one
    point."""
    numerator, divisor = np.array(tuple(input_shape)), np.array(output_shape)
    if not grid_mode:
        numerator, divisor = numerator - 1, divisor - 1
    factors = np.divide(numerator, divisor, out=np.ones(len(output_shape)), where=divisor != 0)
    return tuple(factors.tolist())


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel_engine=_engines.CUDA,
    scipy_when=_SCIPY_IS_FASTER,
)
def rotate(
    input,
    angle,
    axes=(1, 0),
    reshape=True,
    output=None,
    order=3,
    mode="constant",
    cval=0.0,
    prefilter=True,
    *,
    xp,
    engine=_engines.NATIVE,
):
    """Rotate an array in the plane of two axes.

    Parameters
    ----------
    input : array_like
        The input array (real or complex), at least 2-D.
    angle : float
        The rotation angle in degrees (read on the host).
    axes : tuple of 2 ints, optional
        The two axes spanning the plane of rotation. Default (1, 0).
    reshape : bool, optional
        Whether the output's plane grows to hold the whole rotated input.
        Default True.
    output : array or dtype, optional
        The array to place the output in, or the dtype of the returned array.
    order : int, optional
        The spline order, 0 to 5. Default 3.
    mode : {'constant', 'grid-constant', 'nearest', 'reflect', 'grid-mirror', 'mirror', 'grid-wrap', 'wrap'}
        How the input extends past its edges. Default 'constant'.
    cval : scalar, optional
        The value past the edges in 'constant' and 'grid-constant' modes. Default 0.0.
    prefilter : bool, optional
        Whether to prefilter `input` first (order > 1). Default True.

    Returns
    -------
    rotate : array
        The rotated input, in `input`'s library and on its device.

    Notes
    -----
    The rotation matrix and offset are SciPy's, computed with the same float
    operations. Every plane parallel to `axes` is rotated in one engine call
    (the other axes are batch axes).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._interpolation._geometric import rotate
    >>> rotate(np.arange(6.0).reshape(2, 3), 90, order=1)
    array([[2., 5.],
           [1., 4.],
           [0., 3.]])
    """
    input = as_array(input, xp)
    ndim = input.ndim
    if ndim < 2:
        raise ValueError(f"input array should be at least 2D: {input.ndim=}")
    axes = _plane_axes(axes, ndim)
    mapping, plane_shape = _rotation(angle, (input.shape[axes[0]], input.shape[axes[1]]), reshape)
    output_shape = list(input.shape)
    output_shape[axes[0]], output_shape[axes[1]] = plane_shape
    dtype, mode, cvals = _prepared(input, output, tuple(output_shape), order, mode, cval, xp)
    if ndim == 2:
        return _run(input, mapping, plane_shape, output, dtype, order, mode, cvals, prefilter, xp, engine)
    planes = xp.moveaxis(input, axes, (-2, -1))  # the other axes lead: batch axes of the engines
    last = (ndim - 2, ndim - 1)
    arguments = (dtype, order, mode, cvals, prefilter, xp, engine, last)
    rotated = _interpolated(planes, mapping, plane_shape, *arguments)
    return deliver(xp.moveaxis(rotated, (-2, -1), axes), output, xp)


def _plane_axes(axes, ndim):
    """SciPy's checks of rotate's ``axes``: two integral values in range; sorted, nonnegative."""
    axes = list(axes)
    if len(axes) != 2:
        raise ValueError(f"axes should contain exactly two values: {axes=}")
    if not all(float(ax).is_integer() for ax in axes):
        raise ValueError(f"axes should contain only integer values: {axes=}")
    axes = [int(ax) + ndim if ax < 0 else int(ax) for ax in axes]
    if any(ax < 0 or ax >= ndim for ax in axes):
        raise ValueError(f"invalid rotation plane specified: {axes=} for {ndim=}")
    return sorted(axes)


def _rotation(angle, plane, reshape):
    """``(Affine, output plane shape)``: SciPy's rotation of the plane of shape ``plane``, its float
    operations in its order."""
    from scipy import special

    if is_array(angle):
        angle = host_values(angle, library_of(angle))
    c, s = special.cosdg(angle), special.sindg(angle)
    matrix = np.array([[c, s], [-s, c]])
    in_plane = np.asarray(plane)
    if reshape:
        iy, ix = in_plane
        bounds = matrix @ [[0, 0, iy, iy], [0, ix, 0, ix]]
        out_plane = (np.ptp(bounds, axis=1) + 0.5).astype(int)
    else:
        out_plane = in_plane
    offset = (in_plane - 1) / 2 - matrix @ ((out_plane - 1) / 2)
    mapping = Affine(tuple(map(tuple, matrix.tolist())), tuple(offset.tolist()))
    return mapping, tuple(out_plane.tolist())


# ---- geometric_transform: a Python function per point, SciPy's loop -----------------------------------

# NumPy input calls SciPy's function directly: the same loop, without the host round trip's steps
_SCIPY_FOR_NUMPY = {"numpy": "SciPy's loop calls the Python mapping per output point on the host"}


@gsci_function("ndimage", arrays=("input", "output"), scipy_for=_SCIPY_FOR_NUMPY, torch_as_numpy=True)
def geometric_transform(
    input,
    mapping,
    output_shape=None,
    output=None,
    order=3,
    mode="constant",
    cval=0.0,
    prefilter=True,
    extra_arguments=(),
    extra_keywords=None,
    *,
    xp,
):
    """Apply an arbitrary geometric transform.

    ``mapping(output_coordinates, *extra_arguments, **extra_keywords)``
    returns the input coordinates (a tuple of floats) of each output point;
    the spline of order `order` through `input` is evaluated there.

    Parameters
    ----------
    input : array_like
        The input array (real or complex).
    mapping : callable or scipy.LowLevelCallable
        The output-to-input point mapping.
    output_shape : tuple of ints, optional
        The output's shape. Default: `input`'s.
    output : array or dtype, optional
        The array to place the output in, or the dtype of the returned array.
    order : int, optional
        The spline order, 0 to 5. Default 3.
    mode : {'constant', 'grid-constant', 'nearest', 'reflect', 'grid-mirror', 'mirror', 'grid-wrap', 'wrap'}
        How the input extends past its edges. Default 'constant'.
    cval : scalar, optional
        The value past the edges in 'constant' and 'grid-constant' modes. Default 0.0.
    prefilter : bool, optional
        Whether to prefilter `input` first (order > 1). Default True.
    extra_arguments : tuple, optional
        Extra positional arguments for `mapping`.
    extra_keywords : dict, optional
        Extra keyword arguments for `mapping`.

    Returns
    -------
    geometric_transform : array
        The transformed input, in `input`'s library and on its device.

    Notes
    -----
    SciPy's own loop calls `mapping` on the host: a GPU input makes a round
    trip through host memory (`gsci.HostTransferWarning`), and the call
    cannot be traced by ``jax.jit``. Dask input stays lazy: one task runs
    SciPy on the whole input (the mapping may reach any point of it).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage._interpolation._geometric import geometric_transform
    >>> geometric_transform(np.arange(4.0), lambda out: (out[0] - 0.5,), order=1)
    array([0. , 0.5, 1.5, 2.5])
    """
    arguments = dict(
        mapping=mapping,
        output_shape=output_shape,
        order=order,
        mode=mode,
        cval=cval,
        prefilter=prefilter,
        extra_arguments=extra_arguments,
        extra_keywords=extra_keywords,
    )
    input = as_array(input, xp)
    shape = tuple(input.shape if output_shape is None else output_shape)
    dtype = _numpy_dtype(_output_dtype(output, input, shape, xp))
    if is_dask_namespace(xp):
        return _geometric_on_dask(input, shape, dtype, arguments)
    import scipy.ndimage

    host = to_host(input, library_of(input), "gsci.ndimage.geometric_transform")
    result = scipy.ndimage.geometric_transform(host, output=dtype, **arguments)
    return deliver(from_host(result, xp, device(input)), output, xp)


def _numpy_dtype(dtype):
    """NumPy's dtype of the same name as a library's ``dtype`` (torch's and array-api-strict's are named)."""
    try:
        return np.dtype(dtype)
    except TypeError:
        return np.dtype(str(dtype).rpartition(".")[2])


def _geometric_on_dask(input, shape, dtype, arguments):
    import dask
    import dask.array

    run = functools.partial(_scipy_transform, dtype=dtype, arguments=arguments)
    return dask.array.from_delayed(dask.delayed(run)(input), shape=shape, dtype=dtype)


def _scipy_transform(input, dtype, arguments):
    import scipy.ndimage

    return scipy.ndimage.geometric_transform(np.asarray(input), output=dtype, **arguments)
