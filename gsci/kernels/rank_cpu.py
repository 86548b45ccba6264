"""CPU rank-filter kernels (Numba, all cores): running min/max along an axis, selection over a footprint.

Boundary modes arrive as host index maps (`gsci._lib._boundary.source_indices`,
-1 reads ``cval``), footprints as offset arrays, a non-flat structure as the
values it adds per footprint element, and the selection as a comparator
network (pairs of wires), so the kernels compile once per dtype (and, with a
structure, once more for its float64 result), never per mode, shape, size,
footprint, structure or rank. Compiled code is cached on disk.

NaN: the running min/max propagate NaN (as ``np.minimum``); the comparator
network orders NaN above every number (as ``np.sort``).
"""

import functools

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

SEGMENT = 256  # output elements of one row that one task selects, side by side (SIMD across them)
SHORT = 16  # running min/max along rows up to this size sweep once per offset (SIMD), longer ones van Herk
COLUMNS = 64  # columns of an inner axis that one running min/max task handles, side by side


@njit(inline="always")
def _replaces(best, value, minimum):
    """Whether ``value`` replaces ``best`` in a running min (max); NaN always does, and then stays.

    Without branches (``|``, not ``or``), so that loops of it vectorize."""
    return (value != value) | ((value < best) if minimum else (value > best))


@njit(parallel=True, cache=True)
def _min_max_rows(x, source, cval, size, minimum, out):
    for r in prange(out.shape[0]):
        _min_max_row(x, source, cval, size, minimum, out, r)


@njit(cache=True)
def _min_max_rows_serially(x, source, cval, size, minimum, out):
    for r in range(out.shape[0]):
        _min_max_row(x, source, cval, size, minimum, out, r)


@njit(cache=True)
def _min_max_row(x, source, cval, size, minimum, out, r):
    """A short running min (max) along a row: one sweep per window offset, the row's outputs side by side."""
    line = np.empty(source.shape[0], x.dtype)
    for t in range(source.shape[0]):
        s = source[t]
        line[t] = x[r, s] if s >= 0 else cval
    row = out[r]
    row[:] = line[: row.shape[0]]
    for t in range(1, size):
        for i in range(row.shape[0]):
            value = line[i + t]
            row[i] = value if _replaces(row[i], value, minimum) else row[i]


@njit(parallel=True, cache=True)
def _min_max_inner(x, source, cval, size, minimum, out):
    blocks = (x.shape[2] + COLUMNS - 1) // COLUMNS
    for task in prange(x.shape[0] * blocks):
        _min_max_columns(x, source, cval, size, minimum, out, task // blocks, (task % blocks) * COLUMNS)


@njit(cache=True)
def _min_max_inner_serially(x, source, cval, size, minimum, out):
    blocks = (x.shape[2] + COLUMNS - 1) // COLUMNS
    for task in range(x.shape[0] * blocks):
        _min_max_columns(x, source, cval, size, minimum, out, task // blocks, (task % blocks) * COLUMNS)


@njit(cache=True)
def _min_max_columns(x, source, cval, size, minimum, out, o, first):
    """van Herk / Gil-Werman on up to COLUMNS lines side by side (columns of ``x[o]``): prefix and
    suffix extremes within blocks of ``size``, two of them per output."""
    length, width = source.shape[0], min(COLUMNS, x.shape[2] - first)
    prefix = np.empty((length, width), x.dtype)
    for t in range(length):
        s = source[t]
        for c in range(width):
            prefix[t, c] = x[o, s, first + c] if s >= 0 else cval
    suffix = prefix.copy()
    for t in range(1, length):
        if t % size != 0:
            for c in range(width):
                if not _replaces(prefix[t - 1, c], prefix[t, c], minimum):
                    prefix[t, c] = prefix[t - 1, c]
    for t in range(length - 2, -1, -1):
        if (t + 1) % size != 0:
            for c in range(width):
                if not _replaces(suffix[t + 1, c], suffix[t, c], minimum):
                    suffix[t, c] = suffix[t + 1, c]
    for i in range(out.shape[1]):
        for c in range(width):
            a, b = suffix[i, c], prefix[i + size - 1, c]
            out[o, i, first + c] = b if _replaces(a, b, minimum) else a


def min_or_max_lines(x, source, cval, size, minimum, *, axis):
    """Running min (max) of ``size`` along ``axis`` of NumPy array ``x``; a new C-contiguous array.

    ``source`` is the int64 index map of the extended lines (length
    ``n_out + size - 1``, values in ``[-1, x.shape[axis])``); the result has
    ``n_out`` elements along ``axis``. Long lines along the last axis are taken
    COLUMNS at a time, as columns of their transpose, so that they too run side by side.
    """
    x = np.ascontiguousarray(x)
    n_out = source.shape[0] - size + 1
    before, after = x.shape[:axis], x.shape[axis + 1 :]
    out = np.empty((*before, n_out, *after), dtype=x.dtype)
    inner = int(np.prod(after))
    if inner == 1 and size <= SHORT:
        rows = x.size // max(x.shape[axis], 1)
        with launch_lock:
            launch = launcher(_min_max_rows, _min_max_rows_serially, rows, out.size * size)
            launch(
                x.reshape(-1, x.shape[axis]),
                source,
                x.dtype.type(cval),
                size,
                minimum,
                out.reshape(-1, n_out),
            )
        return out
    if inner == 1:
        lines, results = x.reshape(-1, x.shape[axis]).T[None], out.reshape(-1, n_out).T[None]
    else:
        lines, results = x.reshape(-1, x.shape[axis], inner), out.reshape(-1, n_out, inner)
    tasks = lines.shape[0] * -(-lines.shape[2] // COLUMNS)
    with launch_lock:
        launch = launcher(_min_max_inner, _min_max_inner_serially, tasks, out.size)
        launch(lines, source, x.dtype.type(cval), size, minimum, results)
    return out


@njit(parallel=True, cache=True)
def _select_rows(x, rows, last, points, low, high, rank, cval, out):
    segments = (out.shape[1] + SEGMENT - 1) // SEGMENT
    for task in prange(out.shape[0] * segments):
        _select_segment(x, rows, last, points, low, high, rank, cval, out, task)


@njit(cache=True)
def _select_rows_serially(x, rows, last, points, low, high, rank, cval, out):
    segments = (out.shape[1] + SEGMENT - 1) // SEGMENT
    for task in range(out.shape[0] * segments):
        _select_segment(x, rows, last, points, low, high, rank, cval, out, task)


@njit(cache=True)
def _select_segment(x, rows, last, points, low, high, rank, cval, out, task):
    """Up to SEGMENT outputs of one row: the window values side by side, then the network on them.

    ``points`` holds each footprint element's row and shift along the row, and a structure's
    values (`_structured`; none for a flat footprint). A negative ``rank`` asks for the minimum
    (-1) or maximum (-2) instead of a network.
    """
    point_row, point_shift, added, first = points
    segments = (out.shape[1] + SEGMENT - 1) // SEGMENT
    r, start = task // segments, (task % segments) * SEGMENT
    width = min(SEGMENT, out.shape[1] - start)
    values = np.empty((point_row.shape[0], width), x.dtype)
    for p in range(point_row.shape[0]):
        row = rows[r, point_row[p]]
        shift = start + point_shift[p]
        first_source = last[shift]
        if row >= 0 and first_source >= 0 and last[shift + width - 1] - first_source == width - 1:
            # a run inside the row (an index map steps by at most +1, so by +1 throughout): one copy
            values[p, :] = x[row, first_source : first_source + width]
            continue
        for j in range(width):
            s = last[shift + j]
            values[p, j] = x[row, s] if row >= 0 and s >= 0 else cval
    if added.shape[0] != 0:
        _structured(values, added, first, rank == -1, out[r, start : start + width])
        return
    if rank < 0:
        minimum = rank == -1
        for p in range(1, point_row.shape[0]):
            for j in range(width):
                if _replaces(values[0, j], values[p, j], minimum):
                    values[0, j] = values[p, j]
        rank = 0
    for c in range(low.shape[0]):
        a_row, b_row = values[low[c]], values[high[c]]
        for j in range(width):
            a, b = a_row[j], b_row[j]
            swap = (b < a) | (a != a)  # NaN moves up: it orders above every number
            a_row[j] = b if swap else a
            b_row[j] = a if swap else b
    for j in range(width):
        out[r, start + j] = values[rank, j]


@njit(inline="always")
def _structured(values, added, first, minimum, out):
    """SciPy's min (max) with a non-flat structure, in float64 ``out``: the first footprint element
    plus ``first`` in float64, every other one plus its ``added`` in the values' own dtype
    (integers wrap around)."""
    kind = values.dtype.type
    for j in range(out.shape[0]):
        out[j] = np.float64(values[0, j]) + first
    for p in range(1, values.shape[0]):
        addend = added[p]
        for j in range(out.shape[0]):
            value = np.float64(kind(values[p, j] + addend))
            out[j] = value if _replaces(out[j], value, minimum) else out[j]


def select(x, footprint, maps, cval, rank, structure=None):
    """The ``rank``-th smallest value over ``footprint`` at every position; a new C-contiguous array.

    ``x`` is a NumPy array, ``footprint`` a NumPy bool array of the same
    rank, ``maps[a]`` the int64 index map of axis ``a`` (length
    ``n_out[a] + footprint.shape[a] - 1``); ``rank`` is an int, or "min" / "max".
    ``structure`` (min and max only): ``(added, first)``, the values a non-flat
    structure adds per footprint element in C order (``added`` of x's dtype,
    the first element's ``first`` a float), as SciPy adds them; the result is then float64.
    """
    x = np.ascontiguousarray(x)
    n_out = tuple(m.shape[0] - f + 1 for m, f in zip(maps, footprint.shape, strict=True))
    points = np.argwhere(footprint)
    rows, point_row = _source_rows(x.shape, footprint.shape, maps, points)
    low, high, code = _network(points.shape[0], rank)
    added, first = (np.zeros(0, x.dtype), 0.0) if structure is None else structure
    out = np.empty(n_out, dtype=x.dtype if structure is None else np.float64)
    out_rows = out.reshape(-1, n_out[-1])
    tasks = out_rows.shape[0] * -(-n_out[-1] // SEGMENT)
    work = out.size * max(low.shape[0], points.shape[0])
    point_shift = np.ascontiguousarray(points[:, -1])
    with launch_lock:
        launch = launcher(_select_rows, _select_rows_serially, tasks, work)
        launch(
            x.reshape(-1, x.shape[-1]),
            rows,
            maps[-1],
            (point_row, point_shift, np.ascontiguousarray(added, dtype=x.dtype), float(first)),
            low,
            high,
            code,
            x.dtype.type(cval),
            out_rows,
        )
    return out


def _source_rows(shape, footprint_shape, maps, points):
    """For each output row and each leading offset of the footprint, the input row it reads (-1: cval).

    Rows are positions on every axis but the last, flattened in C order.
    """
    leading = footprint_shape[:-1]
    if not leading:
        return np.zeros((1, 1), dtype=np.int64), np.zeros(points.shape[0], dtype=np.int64)
    offsets = np.indices(leading).reshape(len(leading), -1).T  # every leading offset combination
    out_leading = tuple(m.shape[0] - f + 1 for m, f in zip(maps[:-1], leading, strict=True))
    coords = np.indices(out_leading).reshape(len(leading), -1).T
    rows = np.zeros((coords.shape[0], offsets.shape[0]), dtype=np.int64)
    outside = np.zeros(rows.shape, dtype=bool)
    stride = 1
    for a in range(len(leading) - 1, -1, -1):
        source = maps[a][coords[:, a, None] + offsets[None, :, a]]
        outside |= source < 0
        rows += source * stride
        stride *= shape[a]
    rows[outside] = -1
    point_row = np.ravel_multi_index(tuple(points[:, :-1].T), leading)
    return rows, np.ascontiguousarray(point_row, dtype=np.int64)


@functools.lru_cache(maxsize=256)
def _network(count, rank):
    """Comparator wires ``(low, high)`` that bring the ``rank``-th smallest of ``count`` values to wire
    ``rank``, and the kernel's rank code; min and max need none (codes -1, -2)."""
    if rank in ("min", "max") or count == 1:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, {"min": -1, "max": -2}.get(rank, 0)
    pairs = [(i, j) for i, j in _batcher_pairs(1 << (count - 1).bit_length()) if j < count]
    needed, kept = {rank}, []
    for i, j in reversed(pairs):  # only comparators that feed wire ``rank``
        if i in needed or j in needed:
            needed.update((i, j))
            kept.append((i, j))
    kept.reverse()
    low, high = (np.array(wires, dtype=np.int64) for wires in zip(*kept, strict=True))
    return low, high, rank


def _batcher_pairs(n):
    """Batcher's odd-even merge sort of ``n`` (a power of 2) wires; missing wires act as +inf."""
    pairs, p = [], 1
    while p < n:
        k = p
        while k >= 1:
            for j in range(k % p, n - k, 2 * k):
                for i in range(min(k, n - j - k)):
                    if (i + j) // (2 * p) == (i + j + k) // (2 * p):
                        pairs.append((i + j, i + j + k))
            k //= 2
        p *= 2
    return pairs
