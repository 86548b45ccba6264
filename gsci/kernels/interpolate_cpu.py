"""CPU spline-interpolation kernels (Numba, all cores): the B-spline of given coefficients at mapped points.

The arithmetic is that of SciPy's ``ni_interpolation.c`` (``map_coordinate``,
``get_spline_interpolation_weights``, the start index of odd and even
orders, the edge taps mapped with the spline's boundary mode, 'constant'
giving cval outside ``[0, n - 1]`` and 'grid-constant' reading cval in taps
outside the array), so the mapped points, tap indices and weights are
SciPy's bit for bit. The sum over the ``(order + 1) ** ndim`` taps: a 2-D
point adds SciPy's very terms in SciPy's order, in registers; other ranks
add one line of taps (along the last axis) at a time, the leading axes'
weights multiplied first: rounded within a few ulps of SciPy's sum.

The scalar functions (`device_functions`) are written once and compiled
here with ``njit`` and by `gsci.kernels.interpolate` for CUDA. They take and
return numbers only (an inlined Numba function that takes arrays costs two
atomic reference-count updates per array and call): the CPU kernels call
them inside loops over points. The point kernel (`Coordinates`, `Affine`)
fills, for `CHUNK` consecutive output points (C order) at a time, per axis
and tap the taps' element offsets, weights and cval flags, each step one
loop over the points with the order's and mode's branches outside it, then
sums the taps line by line (1-D outputs, ``map_coordinates``' point lists,
spread over the cores too). The zoom/shift kernel builds NI_ZoomShift's
per-axis tables once and sums along output lines.

Every kernel is compiled per coefficients' dtype (float64, float32); rank, order, mode,
shapes and mapping are arguments. Compiled code is cached on disk.
"""

import math

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

# SciPy's boundary-mode codes (NI_ExtendMode), the order of `_mapping.MODES`
NEAREST, WRAP, REFLECT, MIRROR, CONSTANT, GRID_WRAP, GRID_CONSTANT = range(7)
CHUNK = 256  # output points whose tap tables are built and summed together
TASK = 16 * CHUNK  # output points one task evaluates
COORDINATES, AFFINE = range(2)  # the point kernel's mappings


def device_functions(jit):
    """The scalar functions shared by the CPU and CUDA kernels, compiled with decorator ``jit``.

    Returns ``(mapped, first_tap, tap_index, spline_weights)``; see their docstrings.
    """

    @jit
    def map_coordinate(x, n, mode):
        """SciPy's ``map_coordinate``: ``x`` outside ``[0, n - 1]`` mapped back by boundary ``mode``."""
        if x < 0:
            if mode == NEAREST:
                return 0.0
            if mode == CONSTANT:
                return -1.0
            if n <= 1:
                return 0.0
            if mode == MIRROR:
                sz2 = 2 * n - 2
                x = sz2 * int(-x / sz2) + x
                return x + sz2 if x <= 1 - n else -x
            if mode == REFLECT:
                sz2 = 2 * n
                if x < -sz2:
                    x = sz2 * int(-x / sz2) + x
                if x < -n:
                    return x + sz2
                return (1e-15 if x > -1e-15 else -x) - 1  # SciPy's guard: -x - 1 is never -1
            if mode == WRAP:
                sz = n - 1
                return x + sz * (int(-x / sz) + 1)
            return x + n * (int((-1 - x) / n) + 1)  # GRID_WRAP
        if x > n - 1:
            if mode == NEAREST:
                return n - 1.0
            if mode == CONSTANT:
                return -1.0
            if n <= 1:
                return 0.0
            if mode == MIRROR:
                sz2 = 2 * n - 2
                x -= sz2 * int(x / sz2)
                return sz2 - x if x >= n else x
            if mode == REFLECT:
                sz2 = 2 * n
                x -= sz2 * int(x / sz2)
                return sz2 - x - 1 if x >= n else x
            if mode == WRAP:
                sz = n - 1
                return x - sz * int(x / sz)
            return x - n * int(x / n)  # GRID_WRAP
        return x

    @jit
    def mapped(cc, n, mode):
        """``(inside, cc)``: coordinate ``cc`` (npad included) on an axis of ``n`` mapped by ``mode``
        (not for 'nearest' and 'grid-constant'); ``inside`` False where the point takes cval."""
        if mode == GRID_CONSTANT or mode == NEAREST:  # noqa: SIM109 (plain comparisons on every target)
            return True, cc
        cc = map_coordinate(cc, n, mode)
        return cc > -1.0, cc

    @jit
    def first_tap(cc, order):
        """The index of the first of the ``order + 1`` taps at ``cc``."""
        return math.floor(cc if order & 1 else cc + 0.5) - order // 2

    @jit
    def tap_index(index, n, mode):
        """Tap ``index`` in ``[0, n)``, mapped by the spline's boundary mode; -1: cval ('grid-constant')."""
        if 0 <= index < n:
            return index
        if mode == GRID_CONSTANT:
            return -1
        spline_mode = MIRROR if mode == CONSTANT or mode == WRAP else mode  # noqa: SIM109
        return int(map_coordinate(float(index), n, spline_mode))

    @jit
    def spline_weights(x, order):
        """SciPy's ``get_spline_interpolation_weights``: the ``order + 1`` weights at ``x`` (the first
        ``order + 1`` of six; order 0: one weight of 1)."""
        x -= math.floor(x if order & 1 else x + 0.5)
        y = x
        z = 1.0 - x
        w0 = w1 = w2 = w3 = w4 = 0.0
        if order == 1:
            w0 = 1.0 - x
        elif order == 2:
            w1 = 0.75 - x * x
            y = 0.5 - x
            w0 = 0.5 * y * y
        elif order == 3:
            w1 = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0
            w2 = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0
            w0 = z * z * z / 6.0
        elif order == 4:
            t = x * x
            w2 = t * (t * 0.25 - 0.625) + 115.0 / 192.0
            y = 1.0 + x
            w1 = y * (y * (y * (5.0 - y) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
            w3 = z * (z * (z * (5.0 - z) / 6.0 - 1.25) + 5.0 / 24.0) + 55.0 / 96.0
            y = 0.5 - x
            t = y * y
            w0 = t * t / 24.0
        elif order == 5:
            t = y * y
            w2 = t * (t * (0.25 - y / 12.0) - 0.5) + 0.55
            t = z * z
            w3 = t * (t * (0.25 - z / 12.0) - 0.5) + 0.55
            y += 1.0
            w1 = y * (y * (y * (y * (y / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
            z += 1.0
            w4 = z * (z * (z * (z * (z / 24.0 - 0.375) + 1.25) - 1.75) + 0.625) + 0.425
            y = 1.0 - x
            t = y * y
            w0 = y * t * t / 120.0
        # the last weight is 1 minus the others, subtracted in order
        if order == 0:
            return 1.0, 0.0, 0.0, 0.0, 0.0, 0.0
        if order == 1:
            return w0, 1.0 - w0, 0.0, 0.0, 0.0, 0.0
        if order == 2:
            return w0, w1, 1.0 - w0 - w1, 0.0, 0.0, 0.0
        if order == 3:
            return w0, w1, w2, 1.0 - w0 - w1 - w2, 0.0, 0.0
        if order == 4:
            return w0, w1, w2, w3, 1.0 - w0 - w1 - w2 - w3, 0.0
        return w0, w1, w2, w3, w4, 1.0 - w0 - w1 - w2 - w3 - w4

    return mapped, first_tap, tap_index, spline_weights


_mapped, _first_tap, _tap_index, _spline_weights = device_functions(njit(inline="always"))


@njit(cache=True)
def _task(task, c, out, block, geometry, kind, coordinates, affine, order, mode, cval, npad):
    """Output points ``task * TASK`` on, of every batch plane, `CHUNK` at a time (see `at_points`)."""
    shape, out_shape = geometry[0], affine[2]
    irank, orank, n = shape.shape[0], out_shape.shape[0], order + 1
    points = out.shape[0] // (c.shape[0] // block)
    # per axis and tap, per point of the chunk: element offset, weight, cval flag
    off, w, cv = (
        np.zeros((irank, n, CHUNK), np.int64),
        np.ones((irank, n, CHUNK)),
        np.zeros((irank, n, CHUNK), np.bool_),
    )
    inside, index = np.empty(CHUNK, np.bool_), np.empty((orank, CHUNK), np.int64)
    # the sum's prefixes over the leading axes: offset, weight product, cval flag
    po, pw, pcv = (
        np.zeros((irank, CHUNK), np.int64),
        np.ones((irank, CHUNK)),
        np.zeros((irank, CHUNK), np.bool_),
    )
    total, k, x = np.empty(CHUNK), np.zeros(irank, np.int64), np.empty(CHUNK)
    for first in range(task * TASK, min(points, (task + 1) * TASK), CHUNK):
        size = min(CHUNK, points - first)
        _output_index(first, size, out_shape, index)
        _taps(
            first, size, index, geometry, kind, coordinates, affine, order, mode, npad, off, w, cv, inside, x
        )
        for b in range(c.shape[0] // block):
            if irank == 2:
                _plane_sum(c, b * block, off, w, cv, size, order, cval, mode == GRID_CONSTANT, total)
                for p in range(size):
                    out[b * points + first + p] = total[p] if inside[p] else cval
                continue
            total[:size] = 0.0
            for p in range(size):
                po[0, p] = b * block
            d = 0
            while d >= 0:
                for e in range(d, irank - 1):
                    q = k[e]
                    for p in range(size):
                        po[e + 1, p] = po[e, p] + off[e, q, p]
                        pw[e + 1, p] = pw[e, p] * w[e, q, p]
                        pcv[e + 1, p] = pcv[e, p] | cv[e, q, p]
                _line(
                    c,
                    off[irank - 1],
                    w[irank - 1],
                    cv[irank - 1],
                    po[irank - 1],
                    pw[irank - 1],
                    pcv[irank - 1],
                    size,
                    n,
                    cval,
                    mode == GRID_CONSTANT,
                    total,
                )
                d = _next_line(k, irank - 2, n)
            for p in range(size):
                out[b * points + first + p] = total[p] if inside[p] else cval


@njit(inline="always")
def _next_line(k, last, n):
    """The next line of taps: ``k[: last + 1]`` (each ``0 <= k[d] < n``) advanced as an odometer.
    Returns the axis whose tap changed (the axes after it are back at 0), -1 after the last line."""
    d = last
    while d >= 0:
        k[d] += 1
        if k[d] < n:
            return d
        k[d] = 0
        d -= 1
    return d


@njit(cache=True)
def _output_index(first, size, out_shape, index):
    """The output indices (C order) of points ``first`` to ``first + size`` into ``index[:, :size]``."""
    flat = first
    for a in range(out_shape.shape[0] - 1, -1, -1):
        index[a, 0] = flat % out_shape[a]
        flat //= out_shape[a]
    for p in range(1, size):
        a = out_shape.shape[0] - 1
        for e in range(a + 1):
            index[e, p] = index[e, p - 1]
        index[a, p] += 1
        while a > 0 and index[a, p] == out_shape[a]:
            index[a, p] = 0
            a -= 1
            index[a, p] += 1


@njit(cache=True)
def _taps(first, size, index, geometry, kind, coordinates, affine, order, mode, npad, off, w, cv, inside, x):
    """The tap tables of points ``first`` to ``first + size`` at output indices ``index``; ``inside``
    False where a point takes cval (its taps then read the block's first element). ``x``: scratch.

    Each step is a loop over the points, the order's and mode's branches outside it."""
    shape, origin, strides = geometry
    matrix, offset, out_shape, out_origin = affine
    inside[:size] = True
    for i in range(shape.shape[0]):
        if kind == COORDINATES:
            x[:size] = coordinates[i, first : first + size]
        else:
            x[:size] = offset[i]
            for j in range(out_shape.shape[0]):
                for p in range(size):
                    x[p] += (index[j, p] + out_origin[j]) * matrix[i, j]
        _map_points(x, size, npad, shape[i], mode, inside)
        _weights(x, size, order, w[i])
        for p in range(size):
            start = _first_tap(x[p], order)
            for j in range(order + 1):
                q = start + j
                if not 0 <= q < shape[i]:
                    q = _tap_index(q, shape[i], mode)
                off[i, j, p] = (q - origin[i]) * strides[i] if q >= 0 else 0
                cv[i, j, p] = q < 0


@njit(inline="always")
def _map_points_as(x, size, npad, n, mode, inside):
    for p in range(size):
        found, x[p] = _mapped(x[p] + npad, n, mode)
        inside[p] &= found
        if not found:
            x[p] = 0.0  # any coordinate whose taps lie in the array


@njit(cache=True)
def _map_points(x, size, npad, n, mode, inside):
    """``x`` plus npad, mapped by ``mode``; ``inside`` False where a point takes cval."""
    if mode == NEAREST:
        _map_points_as(x, size, npad, n, NEAREST, inside)
    elif mode == WRAP:
        _map_points_as(x, size, npad, n, WRAP, inside)
    elif mode == REFLECT:
        _map_points_as(x, size, npad, n, REFLECT, inside)
    elif mode == MIRROR:
        _map_points_as(x, size, npad, n, MIRROR, inside)
    elif mode == CONSTANT:
        _map_points_as(x, size, npad, n, CONSTANT, inside)
    elif mode == GRID_WRAP:
        _map_points_as(x, size, npad, n, GRID_WRAP, inside)
    else:
        _map_points_as(x, size, npad, n, GRID_CONSTANT, inside)


@njit(inline="always")
def _weights_as(x, size, order, w):
    for p in range(size):
        weights = _spline_weights(x[p], order)
        for j in range(order + 1):
            w[j, p] = weights[j]


@njit(cache=True)
def _weights(x, size, order, w):
    """The weights of the taps at ``x`` into ``w`` ((order + 1, >= size))."""
    if order == 0:
        _weights_as(x, size, 0, w)
    elif order == 1:
        _weights_as(x, size, 1, w)
    elif order == 2:
        _weights_as(x, size, 2, w)
    elif order == 3:
        _weights_as(x, size, 3, w)
    elif order == 4:
        _weights_as(x, size, 4, w)
    else:
        _weights_as(x, size, 5, w)


@njit(inline="always")
def _plane_sum_as(c, base, off, w, cv, size, n, cval, grid_constant, total):
    for p in range(size):
        s = 0.0
        for q in range(n):
            row, wq = base + off[0, q, p], w[0, q, p]
            for j in range(n):
                if grid_constant and (cv[0, q, p] or cv[1, j, p]):
                    s += cval * wq * w[1, j, p]
                else:
                    s += c[row + off[1, j, p]] * wq * w[1, j, p]
        total[p] = s


@njit(cache=True)
def _plane_sum(c, base, off, w, cv, size, order, cval, grid_constant, total):
    """The sums of 2-D points over their taps, in registers, in `_line`'s order (so its roundings):
    unrolled per order."""
    if order == 0:
        _plane_sum_as(c, base, off, w, cv, size, 1, cval, grid_constant, total)
    elif order == 1:
        _plane_sum_as(c, base, off, w, cv, size, 2, cval, grid_constant, total)
    elif order == 2:
        _plane_sum_as(c, base, off, w, cv, size, 3, cval, grid_constant, total)
    elif order == 3:
        _plane_sum_as(c, base, off, w, cv, size, 4, cval, grid_constant, total)
    elif order == 4:
        _plane_sum_as(c, base, off, w, cv, size, 5, cval, grid_constant, total)
    else:
        _plane_sum_as(c, base, off, w, cv, size, 6, cval, grid_constant, total)


@njit(cache=True)
def _line(c, off, w, cv, po, pw, pcv, size, n, cval, grid_constant, total):
    """Adds the taps of the last axis, the leading axes' taps fixed (prefixes ``po``, ``pw``, ``pcv``)."""
    for j in range(n):
        if grid_constant:
            for p in range(size):
                v = cval if pcv[p] | cv[j, p] else c[po[p] + off[j, p]]
                total[p] += v * pw[p] * w[j, p]
        else:
            for p in range(size):
                total[p] += c[po[p] + off[j, p]] * pw[p] * w[j, p]


@njit(parallel=True, cache=True)
def _tasks(tasks, c, out, block, geometry, kind, coordinates, affine, order, mode, cval, npad):
    for task in prange(tasks):
        _task(task, c, out, block, geometry, kind, coordinates, affine, order, mode, cval, npad)


@njit(cache=True)
def _tasks_serially(tasks, c, out, block, geometry, kind, coordinates, affine, order, mode, cval, npad):
    for task in range(tasks):
        _task(task, c, out, block, geometry, kind, coordinates, affine, order, mode, cval, npad)


@njit(cache=True)
def _zoom_shift_tables(geometry, out_shape, out_origin, zoom, shift, grid_mode, npad, order, mode):
    """NI_ZoomShift's per-axis tables, column ``first[d] + k`` for output index ``k`` along axis ``d``
    (``zoom``, ``shift``: empty when absent): per tap the element offset, weight and cval flag
    ((order + 1, columns) each), and ``zero``, True where the points take cval."""
    shape, origin, strides = geometry
    first = np.zeros(shape.shape[0], np.int64)
    for d in range(1, shape.shape[0]):
        first[d] = first[d - 1] + out_shape[d - 1]
    columns, n = first[-1] + out_shape[-1], order + 1
    off, w, cv = np.zeros((n, columns), np.int64), np.ones((n, columns)), np.zeros((n, columns), np.bool_)
    zero = np.zeros(columns, np.bool_)
    for d in range(shape.shape[0]):
        for k in range(out_shape[d]):
            cc = float(k + out_origin[d])
            if shift.shape[0]:
                cc += shift[d]
            if zoom.shape[0]:
                cc = (cc + 0.5) * zoom[d] - 0.5 if grid_mode else cc * zoom[d]
            column = first[d] + k
            inside, cc = _mapped(cc + npad, shape[d], mode)
            zero[column] = not inside
            if inside:
                start = _first_tap(cc, order)
                weights = _spline_weights(cc, order)
                for j in range(n):
                    q = _tap_index(start + j, shape[d], mode)
                    off[j, column] = (q - origin[d]) * strides[d] if q >= 0 else 0
                    cv[j, column] = q < 0
                    w[j, column] = weights[j]
    return off, w, cv, zero, first


@njit(cache=True)
def _zoom_shift_task(task, c, out, block, tables, out_shape, order, mode, cval):
    """`CHUNK` output points of one output line (along the last axis), of every batch plane: the last
    axis's taps from consecutive table columns, the leading axes' fixed along the line."""
    off, w, cv, zero, first = tables
    irank, n = out_shape.shape[0], order + 1
    length = out_shape[irank - 1]
    points = out.shape[0] // (c.shape[0] // block)
    segments = -(-length // CHUNK)
    line, start = task // segments, task % segments * CHUNK
    size = min(CHUNK, length - start)
    lead = np.empty(irank, np.int64)  # the leading axes' table columns (the last: its first column)
    lead[irank - 1] = first[irank - 1] + start
    flat, skip = line, False
    for d in range(irank - 2, -1, -1):
        lead[d] = first[d] + flat % out_shape[d]
        flat //= out_shape[d]
        skip |= zero[lead[d]]
    at = line * length + start
    last = lead[irank - 1]
    total, k = np.empty(size), np.zeros(irank, np.int64)
    for b in range(c.shape[0] // block):
        if skip:
            out[b * points + at : b * points + at + size] = cval
            continue
        total[:] = 0.0
        d = 0
        while d >= 0:
            base, weight, outside = b * block, 1.0, False
            for e in range(irank - 1):
                base += off[k[e], lead[e]]
                weight *= w[k[e], lead[e]]
                outside |= cv[k[e], lead[e]]
            for j in range(n):
                if mode == GRID_CONSTANT:
                    for p in range(size):
                        v = cval if outside or cv[j, last + p] else c[base + off[j, last + p]]
                        total[p] += v * weight * w[j, last + p]
                else:
                    for p in range(size):
                        total[p] += c[base + off[j, last + p]] * weight * w[j, last + p]
            d = _next_line(k, irank - 2, n)
        for p in range(size):
            out[b * points + at + p] = cval if zero[last + p] else total[p]


@njit(parallel=True, cache=True)
def _zoom_shift(tasks, c, out, block, tables, out_shape, order, mode, cval):
    for task in prange(tasks):
        _zoom_shift_task(task, c, out, block, tables, out_shape, order, mode, cval)


@njit(cache=True)
def _zoom_shift_serially(tasks, c, out, block, tables, out_shape, order, mode, cval):
    for task in range(tasks):
        _zoom_shift_task(task, c, out, block, tables, out_shape, order, mode, cval)


def _geometry(shape, origin, block_shape):
    strides = np.ones(len(block_shape), np.int64)
    for a in range(len(block_shape) - 2, -1, -1):
        strides[a] = strides[a + 1] * block_shape[a + 1]
    return np.asarray(shape, np.int64), np.asarray(origin, np.int64), strides


def _argument(a, dtype=np.float64):
    """``a`` as a kernel's array type: C-contiguous writeable ``dtype`` (read-only arrays are another Numba
    type, which would compile the kernels again)."""
    return np.require(a, dtype, ["C", "W"])


def _coefficients(c):
    """The coefficients as the kernels take them: float32 as they are (no float64 copy of a large
    input), else float64."""
    return _argument(c, np.float32 if c.dtype == np.float32 else np.float64)


def _launch(kernels, tasks, c, out, arguments, taps):
    """Run ``kernels`` (parallel, serial) on every core unless the work is small; ``c``
    ((batch, *block)) and ``out`` ((batch, points)) C-contiguous float64."""
    with launch_lock:
        launch = launcher(*kernels, tasks, out.size * taps)
        launch(tasks, _coefficients(c).reshape(-1), out.reshape(-1), math.prod(c.shape[1:]), *arguments)


def at_points(c, out, shape, origin, order, mode, cval, npad, *, coordinates=None, affine=None):
    """The spline with coefficients ``c`` ((batch, *block), real) at mapped points,
    into ``out`` ((batch, points), float64).

    ``shape``: the global shape (npad included), ``origin``: where the block starts in it;
    ``mode``: a code; ``coordinates``: float64 (irank, points), or ``affine``: ``(matrix, offset,
    out_shape, out_origin)`` (float64 (irank, orank) and (irank,), int (orank,) twice) mapping
    the output index (C order) to the input coordinate as SciPy's affine transform does.
    """
    geometry = _geometry(shape, origin, c.shape[1:])
    if coordinates is None:
        kind, coordinates = AFFINE, np.zeros((0, 0))
        matrix, offset, out_shape, out_origin = affine
        affine = (np.ascontiguousarray(matrix, np.float64), np.asarray(offset, np.float64))
        affine += (np.asarray(out_shape, np.int64), np.asarray(out_origin, np.int64))
    else:
        kind, coordinates = COORDINATES, _argument(coordinates)
        points = np.asarray([coordinates.shape[1]], np.int64)
        affine = (np.zeros((0, 0)), np.zeros(0), points, np.zeros(1, np.int64))
    arguments = (geometry, kind, coordinates, affine, int(order), int(mode), float(cval), float(npad))
    _launch((_tasks, _tasks_serially), -(-out.shape[1] // TASK), c, out, arguments, (order + 1) ** len(shape))


def zoom_shift(
    c, out, shape, origin, order, mode, cval, npad, *, out_shape, out_origin, zoom, shift, grid_mode
):
    """As `at_points`, the output index ``k`` mapped per axis as SciPy's zoom_shift: ``k + shift``, then
    times ``zoom`` (``grid_mode``: about the pixels' centres); ``zoom``, ``shift``: None when absent."""
    geometry = _geometry(shape, origin, c.shape[1:])
    zoom = np.zeros(0) if zoom is None else np.asarray(zoom, np.float64)
    shift = np.zeros(0) if shift is None else np.asarray(shift, np.float64)
    out_shape, out_origin = np.asarray(out_shape, np.int64), np.asarray(out_origin, np.int64)
    tables = _zoom_shift_tables(
        geometry, out_shape, out_origin, zoom, shift, bool(grid_mode), float(npad), int(order), int(mode)
    )
    tasks = math.prod(out_shape[:-1]) * -(-int(out_shape[-1]) // CHUNK)
    arguments = (tables, out_shape, int(order), int(mode), float(cval))
    _launch((_zoom_shift, _zoom_shift_serially), tasks, c, out, arguments, (order + 1) ** len(shape))
