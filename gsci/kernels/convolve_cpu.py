"""CPU kernel (Numba, all cores): the 'valid' n-D correlation of signal's direct convolve and correlate.

``out[i] = sum_j taps[j] * extended[i + j]`` over every tap (none is skipped,
unlike ndimage's footprint), for an input already extended by the caller
(zeros, or convolve2d's boundary). The arrays are seen, in C order, as rows
along the last axis: one task is a piece of an output row, accumulated in
an L1-sized tile, one tap row of ``extended`` after the other, each tap a
contiguous multiply-add that LLVM vectorizes. It compiles once per dtype
(int64, float32/64, complex64/128), never per shape or tap count. Compiled
code is cached on disk.
"""

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock

_TILE = 512  # output elements accumulated together: tile, one input row piece and taps stay in L1
_COLUMNS_PER_TASK = 8192
# A parallel launch waits for its slowest thread: when other processes hold the cores, a thread
# descheduled for a time slice costs milliseconds (measured: 2^16 x 64 took 6 ms parallel, 0.4 ms
# serially, on a busy 2-core machine). Below this many multiply-adds (about 2 ms serially) one thread runs.
_PARALLEL_WORK = 1 << 24


@njit(parallel=True, cache=True, fastmath=True)
def _valid_rows(extended, taps, out, plan):
    for task in prange(_task_count(out, plan)):
        _valid_part(extended, taps, out, plan, task)


@njit(cache=True, fastmath=True)
def _valid_rows_serially(extended, taps, out, plan):
    for task in range(_task_count(out, plan)):
        _valid_part(extended, taps, out, plan, task)


@njit(cache=True)
def _task_count(out, plan):
    block = plan[3]
    return out.shape[0] * ((out.shape[1] + block - 1) // block)


@njit(cache=True, fastmath=True)
def _valid_part(extended, taps, out, plan, task):
    """Columns ``[start, stop)`` of output row ``r``, the ``task``-th piece of the output."""
    out_lead_shape, row_strides, tap_rows, block = plan
    n = out.shape[1]
    pieces = (n + block - 1) // block
    r, start = task // pieces, (task % pieces) * block
    stop = min(n, start + block)
    base = _first_source_row(r, out_lead_shape, row_strides)
    acc = np.empty(_TILE, out.dtype)
    for tile in range(start, stop, _TILE):
        m = min(_TILE, stop - tile)
        acc[:m] = 0
        for t in range(tap_rows.shape[0]):
            _add_tap_row(acc, extended[base + tap_rows[t]], taps[t], tile, m)
        out[r, tile : tile + m] = acc[:m]


@njit(cache=True, fastmath=True)
def _add_tap_row(acc, source, weights, tile, m):
    """``acc[:m] += sum_j weights[j] * source[tile + j : tile + j + m]``, four taps at a time (a
    quarter of the tile's loads and stores: 1.7x faster than tap by tap), then the rest one by one."""
    taps, j = weights.shape[0], 0
    while j + 4 <= taps:
        w0, w1, w2, w3 = weights[j], weights[j + 1], weights[j + 2], weights[j + 3]
        values = source[tile + j : tile + j + m + 3]
        for i in range(m):
            acc[i] += w0 * values[i] + w1 * values[i + 1] + w2 * values[i + 2] + w3 * values[i + 3]
        j += 4
    for k in range(j, taps):
        w = weights[k]
        values = source[tile + k : tile + k + m]
        for i in range(m):
            acc[i] += w * values[i]


@njit(cache=True)
def _first_source_row(r, out_lead_shape, row_strides):
    """The row of ``extended`` under output row ``r`` at tap row 0 (rows counted in C order)."""
    row = 0
    for d in range(out_lead_shape.shape[0] - 1, -1, -1):
        row += (r % out_lead_shape[d]) * row_strides[d]
        r //= out_lead_shape[d]
    return row


def correlate_valid(extended, taps):
    """``out[i] = sum_j taps[j] * extended[i + j]``: a new C-contiguous array of ``extended``'s dtype.

    Parameters
    ----------
    extended : numpy.ndarray
        At least 1-d, of the dtype to compute in (int64, float32/64, complex64/128).
    taps : numpy.ndarray
        Same rank and dtype, no larger than ``extended`` along any axis.

    Returns
    -------
    numpy.ndarray
        Shape ``extended.shape - taps.shape + 1``.
    """
    extended = np.ascontiguousarray(extended)
    taps = np.ascontiguousarray(taps, dtype=extended.dtype)
    shape = tuple(e - t + 1 for e, t in zip(extended.shape, taps.shape, strict=True))
    out = np.empty(shape, dtype=extended.dtype)
    if out.size == 0:
        return out
    n, columns = shape[-1], extended.shape[-1]
    rows = out.size // n
    block = (
        n if rows >= 16 else max(_COLUMNS_PER_TASK, -(-n // 16))
    )  # long rows split when rows are too few for the cores
    plan = _plan(extended.shape, taps.shape, shape, block)
    work = out.size * taps.size
    tasks = rows * -(-n // block)
    launch = _valid_rows if tasks > 1 and work >= _PARALLEL_WORK else _valid_rows_serially
    with launch_lock:
        launch(extended.reshape(-1, columns), taps.reshape(-1, taps.shape[-1]), out.reshape(rows, n), plan)
    return out


def _plan(extended_shape, taps_shape, out_shape, block):
    """``(out_lead_shape, row_strides, tap_rows, block)``: the output's leading shape, how many rows of
    ``extended`` one step along each leading axis moves, and where each tap row starts (in rows)."""
    lead = extended_shape[:-1]
    row_strides = np.ones(len(lead), dtype=np.int64)
    for d in range(len(lead) - 2, -1, -1):
        row_strides[d] = row_strides[d + 1] * lead[d + 1]
    tap_rows = np.zeros(1, np.int64)
    if lead:
        tap_index = np.indices(taps_shape[:-1], dtype=np.int64).reshape(len(lead), -1)
        tap_rows = np.ascontiguousarray(row_strides @ tap_index)
    return (np.asarray(out_shape[:-1], dtype=np.int64), row_strides, tap_rows, np.int64(block))
