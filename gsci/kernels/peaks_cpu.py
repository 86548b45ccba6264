"""CPU peak-finding kernels (Numba): SciPy's `find_peaks` loops, same comparisons, faster searches.

Every kernel reads a float64 signal and int64 indices, so each compiles once
(once more for a read-only signal), never per size; compiled code is cached
on disk.

- `local_maxima`: SciPy's ``_local_maxima_1d`` walk (plateaus included).
- `decided_by_distance` and `suppress_by_distance`: SciPy's
  ``_select_by_peak_distance``. Most peaks are decided without sorting them
  (a peak higher than all within the distance stays, its neighbours go);
  the rest run SciPy's loop in the order ``np.argsort`` gives them, and all
  of them do where two of the rest are equal (``np.argsort``'s order of
  equal heights over all peaks decides which of two survives, as in SciPy).
- `prominences` and `widths`: SciPy's searches from each peak outwards, over
  peaks in parallel, that skip whole blocks of 64 and 4096 samples where a
  block's maximum (prominences) or minimum (widths) shows that the element
  by element search would walk through it; a skipped block's minimum and its
  nearest position stand for the walk's. NaN blocks are never skipped. The
  results equal SciPy's bit for bit: the same comparisons decide, on the
  same values.
"""

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock

SMALL = 64  # samples per block of the first level
LARGE = SMALL * SMALL  # samples per block of the second level
_SMALL_SHIFT, _LARGE_SHIFT = 6, 12  # log2 of SMALL and LARGE: positions are never negative
_SMALL_MASK, _LARGE_MASK = SMALL - 1, LARGE - 1
# Waking the worker threads costs milliseconds on busy cores (measured: 16384 samples with prominences ran
# 0.2x SciPy in parallel, 1.7x serially; 2**22 samples ran as fast serially as in parallel on 2 busy cores)
PARALLEL_WORK = 1 << 22  # from this many samples to search (64 a peak), the parallel kernels
PARALLEL_SAMPLES = 1 << 21  # from this many samples, the block summaries in parallel


@njit(cache=True, nogil=True)
def local_maxima(x):
    """SciPy's ``_local_maxima_1d``: midpoints, left and right edges (int64) of the maxima of ``x``.

    Unsigned positions: Numba then checks no index for wraparound.
    """
    n = x.shape[0]
    room = n // 2 + 1
    middle, left, right = np.empty(room, np.int64), np.empty(room, np.int64), np.empty(room, np.int64)
    one = np.uint64(1)
    m, i = np.uint64(0), one
    i_max = np.uint64(n - 1) if n > 0 else np.uint64(0)
    while i < i_max:
        xi = x[i]
        if x[i - one] < xi:
            ahead = i + one
            while ahead < i_max and x[ahead] == xi:
                ahead += one
            if x[ahead] < xi:
                left[m] = i
                right[m] = ahead - one
                middle[m] = (i + ahead - one) // np.uint64(2)
                m += one
                i = ahead
        i += one
    return middle[:m], left[:m], right[:m]  # views: a copy would cost more than the walk


@njit(cache=True, nogil=True)
def suppress_by_distance(peaks, order, distance):
    """SciPy's ``_select_by_peak_distance`` loop: keep-flags of ``peaks``, ``order`` ascending priority."""
    n = peaks.shape[0]
    keep = np.ones(n, np.bool_)
    for i in range(n - 1, -1, -1):
        j = order[i]
        if not keep[j]:
            continue
        k = j - 1
        while k >= 0 and peaks[j] - peaks[k] < distance:
            keep[k] = False
            k -= 1
        k = j + 1
        while k < n and peaks[k] - peaks[j] < distance:
            keep[k] = False
            k += 1
    return keep


@njit(cache=True, nogil=True)
def _window_maxima(positions, values, distance, backwards):
    """Per peak, the highest of the other peaks' ``values`` less than ``distance`` before it (after
    it when ``backwards``); -inf for none. A deque of decreasing values."""
    m = positions.shape[0]
    highest = np.empty(m)
    queue = np.empty(m, np.int64)
    head = tail = 0
    for step in range(m):
        a = m - 1 - step if backwards else step
        position = positions[a]
        while head < tail and abs(position - positions[queue[head]]) >= distance:
            head += 1
        highest[a] = values[queue[head]] if head < tail else -np.inf
        value = values[a]
        while head < tail and values[queue[tail - 1]] <= value:
            tail -= 1
        queue[tail] = a
        tail += 1
    return highest


@njit(cache=True, nogil=True)
def _near_sure(positions, sure, distance, backwards):
    """Per peak, whether a sure peak other than itself lies less than ``distance`` before it (after
    it when ``backwards``)."""
    m = positions.shape[0]
    near = np.zeros(m, np.bool_)
    seen, last = False, 0
    for step in range(m):
        a = m - 1 - step if backwards else step
        near[a] = seen and abs(positions[a] - last) < distance
        if sure[a]:
            seen, last = True, positions[a]
    return near


@njit(cache=True, nogil=True)
def decided_by_distance(peaks, priority, distance):
    """The peaks SciPy's distance rule decides without an order: ``(keep, undecided)``.

    A peak higher than every other within ``distance`` is kept whatever the order (nothing can
    remove it), and every peak within ``distance`` of it is removed (it is lower). The peaks left
    are none of these: no kept peak is near them, so the rule decides among them alone, as if the
    others were not there. Rounds repeat on them while they shrink by a quarter; ``undecided`` are
    the indices of the last ones, which the caller orders (``keep`` holds True there).
    """
    n = peaks.shape[0]
    keep = np.ones(n, np.bool_)
    candidates = np.arange(n)
    positions, values = peaks.copy(), priority.copy()
    while candidates.shape[0] > 0:
        before = _window_maxima(positions, values, distance, False)
        after = _window_maxima(positions, values, distance, True)
        m = candidates.shape[0]
        sure = (values > before) & (values > after)
        near = _near_sure(positions, sure, distance, False) | _near_sure(positions, sure, distance, True)
        left = 0
        for a in range(m):
            if sure[a]:
                continue
            if near[a]:
                keep[candidates[a]] = False
                continue
            candidates[left], positions[left], values[left] = candidates[a], positions[a], values[a]
            left += 1
        candidates, positions, values = candidates[:left], positions[:left], values[:left]
        if 4 * left > 3 * m:  # shrunk by less than a quarter (or not at all)
            break
    return keep, candidates.copy()


@njit(cache=True, nogil=True)
def _block(x, start, size):
    """A block's maximum and minimum (NaN if any value is NaN), and its minimum's first position from
    the right and from the left."""
    top, low = x[start], x[start]
    last, first = start, start
    nan = False
    for k in range(start, start + size):
        v = x[k]
        if v != v:
            nan = True
        if v > top:
            top = v
        if v < low:
            low = v
            first = k
    for k in range(start + size - 1, start - 1, -1):
        if x[k] == low:
            last = k
            break
    if nan:
        top, low = np.nan, np.nan
    return top, low, last, first


@njit(cache=True, nogil=True)
def _merged(top, low, last, first, start, size):
    """The same as `_block`, of ``size`` blocks of the level below from block ``start``."""
    t, lo = top[start], low[start]
    la, fi = last[start], first[start]
    nan = t != t
    for b in range(start + 1, start + size):
        if top[b] != top[b]:
            nan = True
        if top[b] > t:
            t = top[b]
        if low[b] < lo:
            lo, fi = low[b], first[b]
    for b in range(start + size - 1, start - 1, -1):
        if low[b] == lo:
            la = last[b]
            break
    if nan:
        t, lo = np.nan, np.nan
    return t, lo, la, fi


@njit(cache=True, nogil=True)
def _summaries(x, b, top, low, last, first):
    """`_block`'s values of block ``b`` of `SMALL` samples into the arrays."""
    top[b], low[b], last[b], first[b] = _block(x, b * SMALL, SMALL)


@njit(cache=True, nogil=True)
def _merged_summaries(top1, low1, last1, first1, b, top, low, last, first):
    """`_merged`'s values of block ``b`` of `LARGE` samples into the arrays."""
    top[b], low[b], last[b], first[b] = _merged(top1, low1, last1, first1, b * SMALL, SMALL)


@njit(cache=True, nogil=True)
def _empty_levels(n):
    n1, n2 = n // SMALL, n // LARGE
    return (
        np.empty(n1), np.empty(n1), np.empty(n1, np.int64), np.empty(n1, np.int64),
        np.empty(n2), np.empty(n2), np.empty(n2, np.int64), np.empty(n2, np.int64),
    )  # fmt: skip


@njit(cache=True, nogil=True)
def _levels_serially(x):
    """Per whole block of `SMALL` and of `LARGE` samples: `_block`'s four values."""
    t1, l1, a1, f1, t2, l2, a2, f2 = levels = _empty_levels(x.shape[0])
    for b in range(t1.shape[0]):
        _summaries(x, b, t1, l1, a1, f1)
    for b in range(t2.shape[0]):
        _merged_summaries(t1, l1, a1, f1, b, t2, l2, a2, f2)
    return levels


@njit(parallel=True, cache=True, nogil=True)
def _levels_parallel(x):
    """`_levels_serially`, blocks in parallel."""
    t1, l1, a1, f1, t2, l2, a2, f2 = levels = _empty_levels(x.shape[0])
    for b in prange(t1.shape[0]):
        _summaries(x, b, t1, l1, a1, f1)
    for b in prange(t2.shape[0]):
        _merged_summaries(t1, l1, a1, f1, b, t2, l2, a2, f2)
    return levels


@njit(cache=True, nogil=True)
def _prominence(x, peak, wlen, levels):
    """SciPy's ``_peak_prominences`` for one valid ``peak``: (prominence, left base, right base)."""
    top1, low1, last1, first1, top2, low2, last2, first2 = levels
    n = x.shape[0]
    lo, hi = 0, n - 1
    if wlen >= 2:
        lo = max(peak - wlen // 2, lo)
        hi = min(peak + wlen // 2, hi)
    h = x[peak]
    i = left = peak
    left_min = h
    while lo <= i:
        if (i + 1) & _SMALL_MASK == 0:  # a block ends here: skip it if the walk would pass it
            if (i + 1) & _LARGE_MASK == 0 and i + 1 - LARGE >= lo and top2[i >> _LARGE_SHIFT] <= h:
                b = i >> _LARGE_SHIFT
                if low2[b] < left_min:
                    left_min, left = low2[b], last2[b]
                i -= LARGE
                continue
            if i + 1 - SMALL >= lo and top1[i >> _SMALL_SHIFT] <= h:
                b = i >> _SMALL_SHIFT
                if low1[b] < left_min:
                    left_min, left = low1[b], last1[b]
                i -= SMALL
                continue
        if not x[i] <= h:
            break
        if x[i] < left_min:
            left_min, left = x[i], i
        i -= 1
    i = right = peak
    right_min = h
    while i <= hi:
        if i & _SMALL_MASK == 0:  # a block starts here (whole blocks: within hi < n)
            b = i >> _LARGE_SHIFT
            if i & _LARGE_MASK == 0 and i + LARGE - 1 <= hi and top2[b] <= h:
                if low2[b] < right_min:
                    right_min, right = low2[b], first2[b]
                i += LARGE
                continue
            b = i >> _SMALL_SHIFT
            if i + SMALL - 1 <= hi and top1[b] <= h:
                if low1[b] < right_min:
                    right_min, right = low1[b], first1[b]
                i += SMALL
                continue
        if not x[i] <= h:
            break
        if x[i] < right_min:
            right_min, right = x[i], i
        i += 1
    base = left_min  # Python's max(left_min, right_min): the first unless the second is greater
    if right_min > left_min:
        base = right_min
    return h - base, left, right


@njit(cache=True, nogil=True)
def _prominences_serially(x, peaks, wlen, levels, out, left, right):
    for p in range(peaks.shape[0]):
        out[p], left[p], right[p] = _prominence(x, peaks[p], wlen, levels)


@njit(parallel=True, cache=True, nogil=True)
def _prominences_parallel(x, peaks, wlen, levels, out, left, right):
    for p in prange(peaks.shape[0]):
        out[p], left[p], right[p] = _prominence(x, peaks[p], wlen, levels)


def levels(x):
    """The block summaries `prominences` and `widths` search with (compute once per signal)."""
    if x.shape[0] < PARALLEL_SAMPLES:
        return _levels_serially(x)
    with launch_lock:
        return _levels_parallel(x)


def prominences(x, peaks, wlen, summaries=None):
    """SciPy's ``_peak_prominences`` of valid int64 ``peaks`` in float64 ``x``: prominences and bases.

    ``wlen``: SciPy's integer window (below 2: the whole signal). Warnings are the caller's.
    """
    summaries = levels(x) if summaries is None else summaries
    n = peaks.shape[0]
    out, left, right = np.empty(n), np.empty(n, np.int64), np.empty(n, np.int64)
    if n * 64 < PARALLEL_WORK:
        _prominences_serially(x, peaks, wlen, summaries, out, left, right)
    else:
        with launch_lock:
            _prominences_parallel(x, peaks, wlen, summaries, out, left, right)
    return out, left, right


@njit(cache=True, nogil=True)
def _width(x, peak, rel_height, prominence, lo, hi, levels):
    """SciPy's ``_peak_widths`` for one peak with valid bases ``lo <= peak <= hi``.

    Returns (width, height, left ip, right ip, zero division): the last is True where SciPy 1.17
    divides by zero (it raises ZeroDivisionError).
    """
    low1, low2 = levels[1], levels[5]
    n = x.shape[0]
    height = x[peak] - prominence * rel_height
    zero = False
    i = peak
    while lo < i:
        if (i + 1) & _SMALL_MASK == 0:
            if (i + 1) & _LARGE_MASK == 0 and i + 1 - LARGE > lo and height < low2[i >> _LARGE_SHIFT]:
                i -= LARGE
                continue
            if i + 1 - SMALL > lo and height < low1[i >> _SMALL_SHIFT]:
                i -= SMALL
                continue
        if not height < x[i]:
            break
        i -= 1
    left_ip = float(i)
    if x[i] < height and i + 1 < n:
        if x[i + 1] == x[i]:
            zero = True
        else:
            left_ip += (height - x[i]) / (x[i + 1] - x[i])
    i = peak
    while i < hi:
        if i & _SMALL_MASK == 0:
            if i & _LARGE_MASK == 0 and i + LARGE - 1 < hi and height < low2[i >> _LARGE_SHIFT]:
                i += LARGE
                continue
            if i + SMALL - 1 < hi and height < low1[i >> _SMALL_SHIFT]:
                i += SMALL
                continue
        if not height < x[i]:
            break
        i += 1
    right_ip = float(i)
    if x[i] < height and i >= 1:
        if x[i - 1] == x[i]:
            zero = True
        else:
            right_ip -= (height - x[i]) / (x[i - 1] - x[i])
    return right_ip - left_ip, height, left_ip, right_ip, zero


@njit(cache=True, nogil=True)
def _widths_serially(x, peaks, rel_height, prominences, lefts, rights, levels, out, zero):
    for p in range(peaks.shape[0]):
        out[0, p], out[1, p], out[2, p], out[3, p], zero[p] = _width(
            x, peaks[p], rel_height, prominences[p], lefts[p], rights[p], levels
        )


@njit(parallel=True, cache=True, nogil=True)
def _widths_parallel(x, peaks, rel_height, prominences, lefts, rights, levels, out, zero):
    for p in prange(peaks.shape[0]):
        out[0, p], out[1, p], out[2, p], out[3, p], zero[p] = _width(
            x, peaks[p], rel_height, prominences[p], lefts[p], rights[p], levels
        )


def widths(x, peaks, rel_height, prominences, lefts, rights, summaries=None):
    """SciPy's ``_peak_widths`` of ``peaks`` with valid bases: ((widths, heights, left ips, right ips), zero).

    ``zero``: per peak, whether SciPy 1.17 would divide by zero there. Warnings are the caller's.
    """
    summaries = levels(x) if summaries is None else summaries
    n = peaks.shape[0]
    out, zero = np.empty((4, n)), np.empty(n, np.bool_)
    if n * 64 < PARALLEL_WORK:
        _widths_serially(x, peaks, float(rel_height), prominences, lefts, rights, summaries, out, zero)
    else:
        with launch_lock:
            _widths_parallel(x, peaks, float(rel_height), prominences, lefts, rights, summaries, out, zero)
    return out, zero
