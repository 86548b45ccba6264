"""Spline interpolation engines: NumPy and torch CPU (Numba CPU kernels), Dask (`_interp_dask`) and any
other Array API library (a vectorized gather, one tap at a time).

``interpolate`` evaluates the B-spline with the given coefficients at the
input point of every output point, as SciPy's ``NI_GeometricTransform`` and
``NI_ZoomShift`` do: the same mapped coordinates, tap indices, boundary
handling and weights (`gsci.kernels.interpolate_cpu` states them). The
vectorized engine builds, per axis, the taps' indices, weights and cval
flags as arrays of the output's shape, then sums the ``(order + 1) ** ndim``
products gathered with ``take`` (memory O(output)); its weights are
polynomials of the coordinates, so torch differentiates it with respect to
the coefficients and, for `Coordinates`, the coordinates. No value is
read on the host, so it traces under ``jax.jit``.
"""

import itertools
import math

import numpy as np

from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace, is_torch_namespace
from gsci._lib._torch_cpu import as_torch, numpy_views
from gsci.ndimage._interpolation._mapping import MODES, Affine, Coordinates, ZoomShift


def interpolate(
    coefficients,
    mapping,
    output_shape,
    order,
    mode,
    cval,
    npad,
    xp,
    *,
    input_shape=None,
    input_origin=None,
    output_origin=None,
):
    """The spline with ``coefficients`` (``(*batch, *block)``, real, read as float64) at the mapped points.

    ``input_shape``/``input_origin``: the whole coefficient array's shape and where the block starts in it
    (Dask blocks); ``output_origin``: the global output index of the first output point.
    Returns float64, shape ``(*batch, *output_shape)``.

    The input's rank is the mapping's: ``coordinates.shape[0]``, ``len(matrix)``, or
    ``len(output_shape)`` for `ZoomShift`; the leading axes beyond it are the batch.
    """
    if is_dask_namespace(xp):
        from gsci.ndimage._interpolation._interp_dask import interpolate as on_dask

        return on_dask(coefficients, mapping, output_shape, order, mode, cval, npad, xp)
    case = _Case.of(coefficients, mapping, output_shape, input_shape, input_origin, output_origin)
    if is_numpy_namespace(xp):
        return _on_numpy(coefficients, mapping, case, order, mode, cval, npad)
    if is_torch_namespace(xp):
        tensors = (coefficients, mapping.coordinates) if isinstance(mapping, Coordinates) else (coefficients,)
        views = numpy_views(*tensors)  # CPU tensors outside autograd: the NumPy engine, zero copy
        if views is not None:
            if isinstance(mapping, Coordinates):
                mapping = Coordinates(views[1])
            return as_torch(_on_numpy(views[0], mapping, case, order, mode, cval, npad))
    return _vectorized(coefficients, mapping, case, order, mode, cval, npad, xp)


class _Case:
    """The shapes of one call: ``irank`` input axes, ``batch`` and ``block`` (the coefficients' shape),
    the global ``shape`` and the block's ``origin`` in it, ``output_shape`` and ``output_origin``."""

    def __init__(self, irank, batch, block, shape, origin, output_shape, output_origin):
        self.irank, self.batch, self.block = irank, batch, block
        self.shape, self.origin = shape, origin
        self.output_shape, self.output_origin = output_shape, output_origin

    @classmethod
    def of(cls, coefficients, mapping, output_shape, input_shape, input_origin, output_origin):
        output_shape = tuple(int(n) for n in output_shape)
        if isinstance(mapping, Coordinates):
            irank = mapping.coordinates.shape[0]
        elif isinstance(mapping, Affine):
            irank = len(mapping.matrix)
        else:
            irank = len(output_shape)
        full = tuple(coefficients.shape)
        batch, block = full[: len(full) - irank], full[len(full) - irank :]
        shape = block if input_shape is None else tuple(int(n) for n in input_shape)
        origin = (0,) * irank if input_origin is None else tuple(int(o) for o in input_origin)
        output_origin = (
            (0,) * len(output_shape) if output_origin is None else tuple(int(o) for o in output_origin)
        )
        return cls(irank, batch, block, shape, origin, output_shape, output_origin)


def _on_numpy(coefficients, mapping, case, order, mode, cval, npad):
    """The Numba kernels on NumPy arrays."""
    out = np.empty(case.batch + case.output_shape, dtype=np.float64)
    if out.size == 0:
        return out
    from gsci.kernels import interpolate_cpu

    c = np.reshape(coefficients, (-1, *case.block))
    flat = out.reshape(c.shape[0], -1)
    common = (c, flat, case.shape, case.origin, order, MODES.index(mode), cval, npad)
    if isinstance(mapping, ZoomShift):
        interpolate_cpu.zoom_shift(
            *common,
            out_shape=case.output_shape,
            out_origin=case.output_origin,
            zoom=mapping.zoom,
            shift=mapping.shift,
            grid_mode=mapping.grid_mode,
        )
    elif isinstance(mapping, Affine):
        affine = (mapping.matrix, mapping.offset, case.output_shape, case.output_origin)
        interpolate_cpu.at_points(*common, affine=affine)
    else:
        coordinates = np.reshape(mapping.coordinates, (case.irank, -1))
        interpolate_cpu.at_points(*common, coordinates=coordinates)
    return out


def _vectorized(coefficients, mapping, case, order, mode, cval, npad, xp):
    """The Array API engine: per axis the taps' tables (flat over the output's points), then one
    ``take`` per tap, its value times the weights axis by axis (SciPy's order of operations)."""
    where = device(coefficients)
    flat = xp.reshape(coefficients, (*case.batch, math.prod(case.block)))
    cval = xp.asarray(cval, dtype=xp.float64, device=where)
    offsets, weights, flags, constant = [], [], [], None
    for a, cc in enumerate(_coordinates(mapping, case, xp, where)):
        indices, w, outside, zero = _axis_taps(
            cc + npad, case.shape[a], case.origin[a], case.block[a], order, mode, xp
        )
        stride = math.prod(case.block[a + 1 :])
        offsets.append([_flat(i * stride, case, xp) for i in indices])
        weights.append([_flat(v, case, xp) for v in w] if w is not None else None)
        flags.append([_flat(f, case, xp) for f in outside] if outside is not None else None)
        if zero is not None:
            constant = zero if constant is None else constant | zero
    total = None
    for taps in itertools.product(range(order + 1), repeat=case.irank):
        index = offsets[0][taps[0]]
        for a in range(1, case.irank):
            index = index + offsets[a][taps[a]]
        value = xp.astype(xp.take(flat, index, axis=-1), xp.float64, copy=False)
        if mode == "grid-constant":
            outside = flags[0][taps[0]]
            for a in range(1, case.irank):
                outside = outside | flags[a][taps[a]]
            value = xp.where(outside, cval, value)
        if order > 0:
            for a in range(case.irank):
                value = value * weights[a][taps[a]]
        total = value if total is None else total + value
    if constant is not None:
        total = xp.where(_flat(constant, case, xp), cval, total)
    return xp.reshape(total, (*case.batch, *case.output_shape))


def _flat(a, case, xp):
    """``a`` (broadcastable to the output's shape) as the output's points."""
    return xp.reshape(xp.broadcast_to(a, case.output_shape), (math.prod(case.output_shape),))


def _coordinates(mapping, case, xp, where):
    """The input coordinate along each input axis, as float64 arrays broadcastable to the output's shape
    (npad not yet added), as SciPy's C code computes them.

    `ZoomShift` and `Affine` coordinates are sums of per-axis tables computed on the host (the products
    and SciPy's first sum exactly as its C code rounds them), joined with additions only: a compiler
    that recomputes them inside each fusion (XLA) cannot contract a product into an FMA there, which
    would round the taps' and the weights' coordinate differently.
    """
    if isinstance(mapping, Coordinates):
        k = xp.astype(mapping.coordinates, xp.float64, copy=False)
        return [xp.reshape(k[a, ...], case.output_shape) for a in range(case.irank)]
    grids = [
        np.arange(o, o + n, dtype=np.float64)
        for n, o in zip(case.output_shape, case.output_origin, strict=True)
    ]
    if isinstance(mapping, ZoomShift):
        rows = [{a: _zoom_shift_table(grid, mapping, a)} for a, grid in enumerate(grids)]
    else:
        rows = []
        for row, offset in zip(mapping.matrix, mapping.offset, strict=True):
            tables = {j: grid * float(m) for j, (grid, m) in enumerate(zip(grids, row, strict=True))}
            tables[0] = float(offset) + tables[0]
            rows.append(tables)
    return [_joined_tables(tables, len(case.output_shape), xp, where) for tables in rows]


def _zoom_shift_table(grid, mapping, a):
    if mapping.shift is not None:
        grid = grid + float(mapping.shift[a])
    if mapping.zoom is not None:
        zoom = float(mapping.zoom[a])
        grid = (grid + 0.5) * zoom - 0.5 if mapping.grid_mode else grid * zoom
    return grid


def _joined_tables(tables, rank, xp, where):
    """The sum, in axis order, of host tables ``{axis: values along it}`` broadcast over ``rank`` axes."""
    total = None
    for axis, table in sorted(tables.items()):
        shape = [1] * rank
        shape[axis] = table.shape[0]
        term = xp.reshape(xp.asarray(table, device=where), tuple(shape))
        total = term if total is None else total + term
    return total


def _axis_taps(cc, n, origin, length, order, mode, xp):
    """One axis's tables for coordinates ``cc`` (npad included) on an axis of global length ``n``, whose
    block (``length`` long) starts at ``origin``: the taps' indices in the block, their weights, their
    cval flags ('grid-constant', else None) and the points taking cval ('constant'-like, else None)."""
    zero = None
    if mode not in ("grid-constant", "nearest"):
        cc = _map_coordinate(cc, n, mode, xp)
        zero = ~(cc > -1.0)
        cc = xp.where(zero, xp.zeros_like(cc), cc)  # no index from cval points (nor NaN)
    rounded = xp.floor(cc if order & 1 else cc + 0.5)
    start = xp.astype(rounded, xp.int64) - order // 2
    spline_mode = "mirror" if mode in ("constant", "wrap") else mode
    indices, flags = [], [] if mode == "grid-constant" else None
    for j in range(order + 1):
        index = start + j
        if mode == "grid-constant":
            flags.append((index < 0) | (index >= n))
        else:
            index = xp.astype(_map_coordinate(xp.astype(index, xp.float64), n, spline_mode, xp), xp.int64)
        indices.append(xp.clip(index - origin, 0, length - 1))
    weights = _spline_weights(cc - rounded, order, xp) if order > 0 else None
    return indices, weights, flags, zero


def _map_coordinate(x, n, mode, xp):
    """SciPy's ``map_coordinate`` on an array (see `gsci.kernels.interpolate_cpu`)."""
    if mode == "nearest":
        return xp.clip(x, 0.0, float(n - 1))
    if n <= 1 and mode != "constant":
        return xp.where((x < 0) | (x > n - 1), xp.zeros_like(x), x)
    below, above = _map_below(x, n, mode, xp), _map_above(x, n, mode, xp)
    return xp.where(x < 0, below, xp.where(x > n - 1, above, x))


def _map_below(x, n, mode, xp):
    if mode == "constant":
        return xp.full_like(x, -1.0)
    if mode == "mirror":
        sz2 = 2 * n - 2
        x = sz2 * xp.trunc(-x / sz2) + x
        return xp.where(x <= 1 - n, x + sz2, -x)
    if mode == "reflect":
        sz2 = 2 * n
        x = xp.where(x < -sz2, sz2 * xp.trunc(-x / sz2) + x, x)
        return xp.where(x < -n, x + sz2, xp.where(x > -1e-15, xp.full_like(x, 1e-15), -x) - 1)
    if mode == "wrap":
        sz = n - 1
        return x + sz * (xp.trunc(-x / sz) + 1)
    return x + n * (xp.trunc((-1 - x) / n) + 1)  # grid-wrap


def _map_above(x, n, mode, xp):
    if mode == "constant":
        return xp.full_like(x, -1.0)
    if mode == "mirror":
        sz2 = 2 * n - 2
        x = x - sz2 * xp.trunc(x / sz2)
        return xp.where(x >= n, sz2 - x, x)
    if mode == "reflect":
        sz2 = 2 * n
        x = x - sz2 * xp.trunc(x / sz2)
        return xp.where(x >= n, sz2 - x - 1, x)
    if mode == "wrap":
        sz = n - 1
        return x - sz * xp.trunc(x / sz)
    return x - n * xp.trunc(x / n)  # grid-wrap


def _spline_weights(x, order, xp):
    """SciPy's ``get_spline_interpolation_weights`` for the offsets ``x`` from the middle knot."""
    y, z = x, 1.0 - x
    if order == 1:
        w = [1.0 - x]
    elif order == 2:
        y = 0.5 - x
        w = [0.5 * y * y, 0.75 - x * x]
    elif order == 3:
        w = [z * z * z / 6.0, (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0, (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0]
    elif order == 4:
        t = x * x
        middle = t * (t * 0.25 - 0.625) + 115.0 / 192.0
        y = 1.0 + x
        left = y * (y * (y * (5.0 - y) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        right = z * (z * (z * (5.0 - z) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
        t = (0.5 - x) * (0.5 - x)
        w = [t * t / 24.0, left, middle, right]
    else:
        t = y * y
        two = t * (t * (0.25 - y / 12.0) - 0.5) + 0.55
        t = z * z
        three = t * (t * (0.25 - z / 12.0) - 0.5) + 0.55
        y, z = y + 1.0, z + 1.0
        one = y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
        four = z * (z * (z * (z * (z / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
        y = 1.0 - x
        t = y * y
        w = [y * t * t / 120.0, one, two, three, four]
    last = 1.0 - w[0]
    for other in w[1:]:
        last = last - other
    return [*w, last]
