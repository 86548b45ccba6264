"""CPU kernel (Numba, all cores): the n-D correlation of ``correlate``, as a sum over its nonzero taps.

An array is seen, in C order, as rows along its last axis. The taps come
grouped by the row they read (their offsets along every axis but the last):
for each group the source row is extended once into a line buffer, then
each of its taps adds a shifted line to the output row. The boundary mode
arrives as host index maps (`gsci._lib._boundary.source_indices`, -1 reads
``cval``), so the kernel compiles once per dtype, never per mode, rank,
shape or weights. Compiled code is cached on disk.
"""

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

# Rows shorter than this are not split further between tasks.
_LEAST_COLUMNS_PER_TASK = 1024
_TASKS_PER_LONG_ROW = 16


@njit(parallel=True, cache=True)
def _correlate_rows(x, out, plan, cval, block):
    for task in prange(_task_count(x, block)):
        _correlate_part(x, out, plan, cval, block, task)


@njit(cache=True)
def _correlate_rows_serially(x, out, plan, cval, block):
    for task in range(_task_count(x, block)):
        _correlate_part(x, out, plan, cval, block, task)


@njit(cache=True)
def _task_count(x, block):
    return x.shape[0] * ((x.shape[1] + block - 1) // block)


@njit(cache=True)
def _correlate_part(x, out, plan, cval, block, task):
    """Output columns ``[start, stop)`` of one row: the ``task``-th piece of the output (see `_plan`)."""
    outer_shape, row_maps, row_zero, group_rows, group_starts, weights, shifts, columns, before = plan
    n = x.shape[1]
    blocks = (n + block - 1) // block
    r, start = task // blocks, (task % blocks) * block
    stop = min(n, start + block)
    index = _row_index(r, outer_shape)
    extent = columns.shape[0] - n  # columns beyond the row's own, both sides together
    line = np.empty(stop - start + extent, x.dtype)
    row = out[r]
    row[start:stop] = 0
    for g in range(group_rows.shape[0]):
        source = _source_row(index, g, outer_shape, row_maps, row_zero, group_rows)
        _extend_row(x, source, columns, before, start, cval, line)
        _add_group(row[start:stop], line, weights, shifts, group_starts[g], group_starts[g + 1])


@njit(cache=True)
def _add_group(target, line, weights, shifts, first, last):
    """``target += weights[k] * line[shifts[k]:]`` for taps ``first`` to ``last``, in order, 4 per pass."""
    m, k = target.shape[0], first
    while k + 4 <= last:
        a, b, c, d = line[shifts[k] :], line[shifts[k + 1] :], line[shifts[k + 2] :], line[shifts[k + 3] :]
        _add_scaled4(target, a, b, c, d, weights[k], weights[k + 1], weights[k + 2], weights[k + 3], m)
        k += 4
    while k < last:
        _add_scaled(target, line[shifts[k] :], weights[k], m)
        k += 1


@njit(cache=True)
def _extend_row(x, source, columns, before, start, cval, line):
    """``line[t]`` = row ``source`` of ``x`` at column ``start - before + t`` (mapped outside the row)."""
    if source < 0:
        line[:] = cval
        return
    first = start - before
    inside_from = min(max(0, -first), line.shape[0])
    inside_to = max(inside_from, min(line.shape[0], x.shape[1] - first))
    for t in range(inside_from):
        line[t] = _mapped(x, source, columns[start + t], cval)
    line[inside_from:inside_to] = x[source, first + inside_from : first + inside_to]
    for t in range(inside_to, line.shape[0]):
        line[t] = _mapped(x, source, columns[start + t], cval)


@njit(cache=True)
def _mapped(x, source, column, cval):
    return x[source, column] if column >= 0 else cval


@njit(cache=True)
def _add_scaled4(target, a, b, c, d, wa, wb, wc, wd, m):
    """Four taps in one pass: one load and store of ``target`` per element, the sum in SciPy's order."""
    for i in range(m):
        t = target[i]
        t += wa * a[i]
        t += wb * b[i]
        t += wc * c[i]
        t += wd * d[i]
        target[i] = t


@njit(cache=True)
def _add_scaled(target, values, w, m):
    """``target[:m] += w * values[:m]``; indices from 0 up, which lets LLVM vectorize the loop."""
    for i in range(m):
        target[i] += w * values[i]


@njit(cache=True)
def _row_index(r, outer_shape):
    """The indices along the leading axes of row ``r``."""
    index = np.empty(outer_shape.shape[0], np.int64)
    for d in range(outer_shape.shape[0] - 1, -1, -1):
        index[d] = r % outer_shape[d]
        r //= outer_shape[d]
    return index


@njit(cache=True)
def _source_row(index, g, outer_shape, row_maps, row_zero, group_rows):
    """The row that group ``g`` reads for the row at ``index``; -1 when it lies in cval."""
    source = 0
    for d in range(outer_shape.shape[0]):
        s = row_maps[row_zero[d] + index[d] + group_rows[g, d]]
        if s < 0:
            return -1
        source = source * outer_shape[d] + s
    return source


def correlate_taps(x, weights, offsets, maps, before, cval):
    """``sum_t weights[t] * x[i + offsets[t]]`` at every ``i``: a new C-contiguous array.

    Parameters
    ----------
    x : numpy.ndarray
        At least 1-d, of one float dtype (the dtype to compute in).
    weights : numpy.ndarray
        The nonzero taps, 1-d, of ``x``'s dtype, in C order of their offsets.
    offsets : numpy.ndarray
        int64 ``(taps, x.ndim)``: where each tap reads, relative to the output element.
    maps : sequence of numpy.ndarray
        Per axis, the int64 index map of positions ``-before[d]`` on (-1 reads ``cval``).
    before : sequence of int
        Per axis, how far the taps reach below index 0.
    cval : float
        The value read where a map says -1.
    """
    x = np.ascontiguousarray(x)
    out = np.empty(x.shape, dtype=x.dtype)
    if weights.shape[0] == 0:
        out[...] = 0
        return out
    n = x.shape[-1]
    rows = x.size // n
    # a long row is split between tasks when there are too few rows for the cores
    block = n if rows >= _TASKS_PER_LONG_ROW else max(_LEAST_COLUMNS_PER_TASK, -(-n // _TASKS_PER_LONG_ROW))
    launch = launcher(
        _correlate_rows, _correlate_rows_serially, rows * -(-n // block), x.size * weights.shape[0]
    )
    plan = _plan(x.shape, weights.astype(x.dtype), offsets, maps, before)
    with launch_lock:
        launch(x.reshape(rows, n), out.reshape(rows, n), plan, x.dtype.type(cval), block)
    return out


def _plan(shape, weights, offsets, maps, before):
    """The kernel's view of the taps: grouped by the row they read, with the index maps.

    ``(outer_shape, row_maps, row_zero, group_rows, group_starts, weights, shifts, columns, before)``:
    the leading axes' shape; their index maps end to end, and where position 0 of each is;
    each group's row offsets and where its taps start; the taps' weights and their shifts
    into the extended line; the last axis's index map, and how far it reaches below 0.
    """
    lead = len(shape) - 1
    group_rows, group_starts = _groups(offsets[:, :lead])
    map_starts = np.cumsum([0, *(m.shape[0] for m in maps[:lead])])[:lead]
    return (
        np.asarray(shape[:-1], dtype=np.int64),
        np.concatenate([np.zeros(0, np.int64), *maps[:lead]]),
        (map_starts + np.asarray(before[:lead], np.int64)).astype(np.int64),
        group_rows,
        group_starts,
        np.ascontiguousarray(weights),
        np.ascontiguousarray(offsets[:, -1] + before[-1], dtype=np.int64),
        np.ascontiguousarray(maps[-1], dtype=np.int64),
        np.int64(before[-1]),
    )


def _groups(row_offsets):
    """Runs of consecutive taps that read the same row: their row offsets and where each run starts."""
    rows = [tuple(r) for r in row_offsets.tolist()]  # a few taps: Python is quicker than NumPy's calls
    starts = [t for t in range(len(rows)) if t == 0 or rows[t] != rows[t - 1]]
    group_rows = np.array([rows[t] for t in starts], dtype=np.int64).reshape(
        len(starts), row_offsets.shape[1]
    )
    return group_rows, np.array([*starts, len(rows)], dtype=np.int64)
