"""CPU per-label reductions (Numba, all cores): counts and sums, centred squares, extrema, medians.

Each element's group ("slot") comes from a lookup table indexed by the label
minus ``lo`` (labels outside the table go to the last slot, ``nslots``), so a
pass over the data costs one load and one add per element, with no sort and
no search. Labels that do not suit a table (floats, a huge range) arrive as
precomputed slots, with ``lo = 0`` and the identity table. Each worker thread
reduces its own contiguous part into its own row of partial results, and the
rows combine in order, so ties resolve to the first position in flat order.
Compiled once per dtype; never per size or label count (cached on disk).
"""

import numba
import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import PARALLEL_WORK, launch_lock


def _parts(size):
    """How many contiguous parts (one per worker thread) a pass over ``size`` elements splits into."""
    return numba.get_num_threads() if size >= PARALLEL_WORK else 1


@njit(cache=True)
def _accumulate(labels, values, lo, table, nslots, means, acc):
    """Counts and sums (``means`` None), else centred squares, into ``acc`` (``(nslots + 1, 2)``)."""
    size = np.uint64(table.shape[0])
    for i in range(labels.shape[0]):
        offset = np.uint64(np.int64(labels[i]) - lo)  # below lo wraps past the table's end
        s = table[offset] if offset < size else nslots
        if means is None:
            acc[s, 0] += 1.0
            acc[s, 1] += values[i]
        else:
            d = values[i] - means[s]
            acc[s, 0] += d * d


@njit(parallel=True, cache=True)
def _counts_and_sums(labels, values, lo, table, nslots, parts):
    acc = np.zeros((parts, nslots + 1, 2), np.float64)
    n = labels.shape[0]
    for p in prange(parts):
        start, stop = p * n // parts, (p + 1) * n // parts
        _accumulate(labels[start:stop], values[start:stop], lo, table, nslots, None, acc[p])
    total = acc.sum(axis=0)
    return total[:, 0].astype(np.int64), total[:, 1].copy()


@njit(parallel=True, cache=True)
def _centred_squares(labels, values, lo, table, means, parts):
    nslots = means.shape[0] - 1
    acc = np.zeros((parts, nslots + 1, 2), np.float64)
    n = labels.shape[0]
    for p in prange(parts):
        start, stop = p * n // parts, (p + 1) * n // parts
        _accumulate(labels[start:stop], values[start:stop], lo, table, nslots, means, acc[p])
    return acc.sum(axis=0)[:, 0].copy()


@njit(parallel=True, cache=True)
def _extrema(labels, values, lo, table, nslots, parts):
    """Per slot: whether it has elements, its minimum and maximum, and their first flat positions.

    NaN as SciPy's sort-based extrema: a minimum skips NaN (unless every value is NaN), a maximum is NaN
    once one is present.
    """
    found = np.zeros((parts, nslots + 1), np.bool_)
    low = np.zeros((parts, nslots + 1), values.dtype)
    high = np.zeros((parts, nslots + 1), values.dtype)
    low_at = np.zeros((parts, nslots + 1), np.int64)
    high_at = np.zeros((parts, nslots + 1), np.int64)
    n = labels.shape[0]
    for p in prange(parts):
        for i in range(p * n // parts, (p + 1) * n // parts):
            offset = np.int64(labels[i]) - lo
            s = table[offset] if 0 <= offset < table.shape[0] else nslots
            v = values[i]
            if not found[p, s]:
                found[p, s] = True
                low[p, s], high[p, s], low_at[p, s], high_at[p, s] = v, v, i, i
                continue
            if _lower(v, low[p, s]):
                low[p, s], low_at[p, s] = v, i
            if _higher(v, high[p, s]):
                high[p, s], high_at[p, s] = v, i
    for p in range(1, parts):
        for s in range(nslots + 1):
            if not found[p, s]:
                continue
            if not found[0, s]:
                found[0, s] = True
                low[0, s], high[0, s], low_at[0, s], high_at[0, s] = (
                    low[p, s],
                    high[p, s],
                    low_at[p, s],
                    high_at[p, s],
                )
                continue
            if _lower(low[p, s], low[0, s]):
                low[0, s], low_at[0, s] = low[p, s], low_at[p, s]
            if _higher(high[p, s], high[0, s]):
                high[0, s], high_at[0, s] = high[p, s], high_at[p, s]
    return found[0], low[0], high[0], low_at[0], high_at[0]


@njit(inline="always")
def _lower(v, best):
    return v < best or (best != best and v == v)


@njit(inline="always")
def _higher(v, best):
    return v > best or (v != v and best == best)


@njit(parallel=True, cache=True)
def _medians(labels, values, lo, table, nslots):
    """Per slot: the median (mean of the two middle values, NaN sorted last) and the element count."""
    n = labels.shape[0]
    slots = np.empty(n, np.int64)
    counts = np.zeros(nslots + 1, np.int64)
    for i in range(n):
        offset = np.int64(labels[i]) - lo
        s = table[offset] if 0 <= offset < table.shape[0] else nslots
        slots[i] = s
        counts[s] += 1
    starts = np.zeros(nslots + 2, np.int64)
    starts[1:] = np.cumsum(counts)
    grouped = np.empty(n, values.dtype)
    filled = starts[:-1].copy()
    for i in range(n):
        s = slots[i]
        if s < nslots:
            grouped[filled[s]] = values[i]
            filled[s] += 1
    middle = np.zeros(nslots, np.float64)
    for s in prange(nslots):
        if counts[s] > 0:
            part = np.sort(grouped[starts[s] : starts[s + 1]])
            k = counts[s]
            middle[s] = (np.float64(part[(k - 1) // 2]) + np.float64(part[k // 2])) / 2.0
    return middle, counts[:nslots]


def counts_and_sums(labels, values, lo, table, nslots):
    """Element counts (int64) and float64 sums per slot, ``nslots + 1`` of each."""
    with launch_lock:
        return _counts_and_sums(labels, values, lo, table, nslots, _parts(labels.shape[0]))


def centred_squares(labels, values, lo, table, means):
    """Sums of squared deviations from ``means`` (one per slot, ``nslots + 1``), float64."""
    with launch_lock:
        return _centred_squares(labels, values, lo, table, means, _parts(labels.shape[0]))


def extrema(labels, values, lo, table, nslots):
    """``(found, minima, maxima, argmin, argmax)`` per slot (``nslots + 1`` each)."""
    with launch_lock:
        return _extrema(labels, values, lo, table, nslots, _parts(labels.shape[0]))


def medians(labels, values, lo, table, nslots):
    """``(medians, counts)`` of the first ``nslots`` slots (float64 medians, empty slots 0)."""
    with launch_lock:
        return _medians(labels, values, lo, table, nslots)
