"""CPU labelling kernels (Numba, all cores): union-find connected components numbered as SciPy does.

The array is seen in C order as lines along its last axis. The neighbours
arrive as the structure's backward offsets (those before the centre in C
order), so the kernels compile once per label dtype (int32, int64), never
per shape, rank or structure. Compiled code is cached on disk.

Provisional labels are issued in C order (each strip of lines from its
first element's index on) into a union-find table; links always go to the
smaller label, so a component's root is the label of its first element in
C order, and numbering roots in order gives SciPy's labels. Strips of lines
are labelled in parallel, joined across their borders in one short serial
pass, then numbered and relabelled in parallel (a root's number is stored
negated until every label has read it).
"""

import numpy as np
from numba import get_num_threads, njit, prange

from gsci.kernels._cpu import launch_lock

# Strips in parallel pay only on large arrays, and only on free cores: measured on 2 shared cores,
# 2048 x 2048 at 50% took 30 ms in parallel against 43 ms serially when idle, but 63-75 ms against
# 45 ms with other processes busy, and a 256 x 256 parallel call stalled up to 28 ms under load
PARALLEL_ELEMENTS = 1 << 20


@njit(inline="always")
def _find(table, p):
    """The root of provisional label ``p``, halving the path (one writer: the strip's thread, or the
    serial border pass)."""
    while table[p] != p:
        q = table[p]
        table[p] = table[q]
        p = q
    return p


@njit(inline="always")
def _merge(table, a, b):
    """Join the trees of labels ``a`` and ``b``; returns (root, whether two trees became one)."""
    ra, rb = _find(table, a), _find(table, b)
    if ra == rb:
        return ra, False
    if ra < rb:
        ra, rb = rb, ra
    table[ra] = rb
    return rb, True


@njit(inline="always")
def _line_neighbours(m, shape, back, line_strides, ok, neighbour_line):
    """For line ``m``: which backward offsets stay inside the array on the leading axes, and the line
    each one reads."""
    lead = shape.shape[0] - 1
    for t in range(back.shape[0]):
        inside, rest, line = True, m, m
        for a in range(lead - 1, -1, -1):
            c = rest % shape[a]
            rest //= shape[a]
            q = c + back[t, a]
            if q < 0 or q >= shape[a]:
                inside = False
            line += back[t, a] * line_strides[a]
        ok[t] = inside
        neighbour_line[t] = line


@njit(inline="always")
def _usable(m, first, crossing, shape, back, line_strides, starts, lows, highs):
    """The backward offsets of line ``m`` inside the array and inside lines ``>= first`` (not
    ``crossing``) or before them (``crossing``), as neighbour starts and x ranges; returns their count."""
    k, ndim, length = back.shape[0], shape.shape[0], shape[-1]
    ok = np.empty(k, np.bool_)
    neighbour_line = np.empty(k, np.int64)
    _line_neighbours(m, shape, back, line_strides, ok, neighbour_line)
    used = 0
    for t in range(k):
        if ok[t] and (neighbour_line[t] < first) == crossing:
            shift = back[t, ndim - 1]
            starts[used] = neighbour_line[t] * length + shift
            lows[used] = max(0, -shift)
            highs[used] = min(length, length - shift)
            used += 1
    return used


@njit(cache=True)
def _label_strip(mask, shape, back, line_strides, out, table, first, last):
    """Provisional labels for lines ``[first, last)`` (from ``first * length + 1`` on, in C order),
    joining neighbours on those lines only; returns the count of roots among them and the last label."""
    length, k = shape[-1], back.shape[0]
    starts, lows, highs = np.empty(k, np.int64), np.empty(k, np.int64), np.empty(k, np.int64)
    following = first * length
    roots = 0
    for m in range(first, last):
        used = _usable(m, first, False, shape, back, line_strides, starts, lows, highs)
        base = m * length
        for x in range(length):
            i = base + x
            if mask[i] == 0:
                out[i] = 0
                continue
            label = 0
            inner = 0 < x < length - 1  # every offset's neighbour lies inside the line
            for t in range(used):
                if inner or lows[t] <= x < highs[t]:
                    other = out[starts[t] + x]
                    if other != 0 and other != label:
                        if label == 0:
                            label = _find(table, other)
                        else:
                            label, joined = _merge(table, label, other)
                            roots -= joined
            if label == 0:
                following += 1
                label = following
                table[label] = label
                roots += 1
            out[i] = label
    return roots, following


@njit(inline="always")
def _join_border(mask, shape, back, line_strides, out, table, bounds, s, roots):
    """Join strip ``s``'s first lines to the strips before it; the losing root's strip has one fewer."""
    length, k = shape[-1], back.shape[0]
    starts, lows, highs = np.empty(k, np.int64), np.empty(k, np.int64), np.empty(k, np.int64)
    for m in range(bounds[s], bounds[s + 1]):
        used = _usable(m, bounds[s], True, shape, back, line_strides, starts, lows, highs)
        if used == 0:
            return
        for x in range(length):
            i = m * length + x
            if mask[i] == 0:
                continue
            for t in range(used):
                if lows[t] <= x < highs[t]:
                    other = out[starts[t] + x]
                    if other != 0:
                        a, b = _find(table, out[i]), _find(table, other)
                        if a != b:
                            loser = max(a, b)
                            table[loser] = min(a, b)
                            roots[np.searchsorted(bounds, (loser - 1) // length, side="right") - 1] -= 1


@njit(cache=True)
def _number_roots(table, start, stop, offset):
    """Labels ``[start, stop)``: roots numbered from ``offset + 1`` (stored negated), every other
    label pointed straight at its root (reading only: other strips are numbered meanwhile)."""
    count = offset
    for p in range(start, stop):
        q = p
        while table[q] > 0 and table[q] != q:
            q = table[q]
        if q == p:
            count += 1
            table[p] = -count
        else:
            table[p] = q


@njit(cache=True)
def _final_labels(table, start, stop):
    for p in range(start, stop):
        v = table[p]
        table[p] = -v if v < 0 else -table[v] if table[v] < 0 else table[v]


@njit(cache=True)
def _relabel(out, table, start, stop):
    for i in range(start, stop):
        out[i] = table[out[i]]


@njit(cache=True)
def _joined(mask, shape, back, line_strides, out, table, bounds, roots):
    """Join the strips across their borders; returns each strip's first label number minus one."""
    strips = bounds.shape[0] - 1
    for s in range(1, strips):
        _join_border(mask, shape, back, line_strides, out, table, bounds, s, roots)
    offsets = np.zeros(strips + 1, np.int64)
    for s in range(strips):
        offsets[s + 1] = offsets[s] + roots[s]
    table[0] = 0
    return offsets


@njit(parallel=True, cache=True)
def _label_parallel(mask, shape, back, line_strides, out, table, bounds):
    strips, length = bounds.shape[0] - 1, shape[-1]
    roots, issued = np.zeros(strips, np.int64), np.zeros(strips, np.int64)
    for s in prange(strips):
        first, last = bounds[s], bounds[s + 1]
        roots[s], issued[s] = _label_strip(mask, shape, back, line_strides, out, table, first, last)
    offsets = _joined(mask, shape, back, line_strides, out, table, bounds, roots)
    for s in range(strips):  # serially: the table is small beside the array, and a barrier costs more
        _number_roots(table, bounds[s] * length + 1, issued[s] + 1, offsets[s])
    for s in range(strips):
        _final_labels(table, bounds[s] * length + 1, issued[s] + 1)
    pieces = 4 * strips
    piece = -(-out.shape[0] // pieces)
    for c in prange(pieces):
        _relabel(out, table, c * piece, min(out.shape[0], (c + 1) * piece))
    return offsets[strips]


@njit(cache=True)
def _label_serially(mask, shape, back, line_strides, out, table, bounds):
    roots, issued = _label_strip(mask, shape, back, line_strides, out, table, 0, bounds[1])
    offsets = _joined(mask, shape, back, line_strides, out, table, bounds, np.full(1, roots))
    _number_roots(table, 1, issued + 1, 0)
    _final_labels(table, 1, issued + 1)
    _relabel(out, table, 0, out.shape[0])
    return offsets[1]


def label_into(mask, back, out):
    """Label the nonzero elements of C-contiguous uint8 ``mask`` into ``out``; returns the count.

    ``back`` is the int64 ``(k, ndim)`` array of the structure's backward
    offsets (each in {-1, 0, 1}, C order before the centre); ``out`` a
    C-contiguous int32 or int64 array of ``mask``'s shape (int64 from 2**31
    elements), overwritten with labels 1, 2, ... in C order of each
    component's first element, 0 for the background.
    """
    shape = np.asarray(mask.shape, dtype=np.int64)
    lines = mask.size // mask.shape[-1]
    line_strides = np.ones(max(mask.ndim - 1, 0), dtype=np.int64)
    for a in range(mask.ndim - 3, -1, -1):
        line_strides[a] = line_strides[a + 1] * mask.shape[a + 1]
    back = np.ascontiguousarray(back, dtype=np.int64).reshape(-1, mask.ndim)
    with launch_lock:
        launch = _label_parallel if lines > 1 and mask.size >= PARALLEL_ELEMENTS else _label_serially
        strips = min(lines, 4 * get_num_threads()) if launch is _label_parallel else 1
        bounds = np.linspace(0, lines, strips + 1).astype(np.int64)
        table = np.empty(mask.size + 1, dtype=out.dtype)  # pages are touched only for labels issued
        return int(launch(mask.reshape(-1), shape, back, line_strides, out.reshape(-1), table, bounds))


@njit(cache=True)
def _boxes(labels, shape, low, high, seen):
    ndim = shape.shape[0]
    coords = np.zeros(ndim, np.int64)
    for i in range(labels.shape[0]):
        label = labels[i]
        if 0 < label <= low.shape[0]:
            seen[label - 1] = True
            for a in range(ndim):
                low[label - 1, a] = min(low[label - 1, a], coords[a])
                high[label - 1, a] = max(high[label - 1, a], coords[a] + 1)
        for a in range(ndim - 1, -1, -1):  # the next element's coordinates, in C order
            coords[a] += 1
            if coords[a] < shape[a]:
                break
            coords[a] = 0


def bounding_boxes(labels, max_label):
    """Per label ``1..max_label`` of int64 array ``labels``: (low, high) ``(max_label, ndim)`` int64
    arrays of the smallest box holding it, and whether it was found (bool ``(max_label,)``)."""
    labels = np.asarray(labels, order="C")  # (ascontiguousarray would make 0-d labels 1-d)
    ndim = labels.ndim
    low = np.full((max_label, ndim), np.iinfo(np.int64).max, dtype=np.int64)
    high = np.zeros((max_label, ndim), dtype=np.int64)
    seen = np.zeros(max_label, dtype=bool)
    with launch_lock:
        _boxes(labels.reshape(-1), np.asarray(labels.shape, dtype=np.int64), low, high, seen)
    return low, high, seen
