"""CPU binary-morphology kernels (Numba): dense erosion/dilation passes (all cores) and a propagation.

A pass reads the input framed by the border value (one copy) and gives each
output element the AND (erosion) or OR (dilation) of its window, row by row:
the window arrives as flat shifts into the framed array, so the kernels
compile once, never per shape, structure or iteration count. The repeats of
a structure that holds its centre propagate breadth-first from the elements
the first pass changed, level by level (one level per iteration), as SciPy's
coordinate-list loop does; other repeats run passes. Values are uint8 0/1.
"""

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher


@njit(cache=True)
def _pass_row(src, src_base, shifts, centre, length, mask, has_mask, erode, dst, dst_base, r):
    """Row ``r`` of one pass; whether it changed."""
    row = dst[dst_base : dst_base + length]
    if shifts.shape[0] == 0:
        row[:] = 1 if erode else 0
    else:
        first = src_base + shifts[0]
        row[:] = src[first : first + length]
        for k in range(1, shifts.shape[0]):
            start = src_base + shifts[k]
            part = src[start : start + length]
            if erode:
                for i in range(length):
                    row[i] &= part[i]
            else:
                for i in range(length):
                    row[i] |= part[i]
    old = src[src_base + centre : src_base + centre + length]
    changed = False
    if has_mask:
        keep = mask[r * length : (r + 1) * length]
        for i in range(length):
            if keep[i] == 0:
                row[i] = old[i]
    for i in range(length):
        changed |= row[i] != old[i]
    return changed


@njit(parallel=True, cache=True)
def _pass(src, src_bases, shifts, centre, length, mask, has_mask, erode, dst, dst_bases):
    changed = np.zeros(src_bases.shape[0], np.bool_)
    for r in prange(src_bases.shape[0]):
        changed[r] = _pass_row(
            src, src_bases[r], shifts, centre, length, mask, has_mask, erode, dst, dst_bases[r], r
        )
    return changed.any()


@njit(cache=True)
def _pass_serially(src, src_bases, shifts, centre, length, mask, has_mask, erode, dst, dst_bases):
    changed = False
    for r in range(src_bases.shape[0]):
        changed |= _pass_row(
            src, src_bases[r], shifts, centre, length, mask, has_mask, erode, dst, dst_bases[r], r
        )
    return changed


@njit(cache=True)
def _count_changed(src, dst, bases, centre, length):
    count = 0
    for r in range(bases.shape[0]):
        start = bases[r] + centre
        for i in range(length):
            count += src[start + i] != dst[start + i]
    return count


@njit(cache=True)
def _changed(src, dst, bases, centre, length, count):
    """The ``count`` flat framed positions where the pass changed an element."""
    found = np.empty(count, np.int64)
    count = 0
    for r in range(bases.shape[0]):
        start = bases[r] + centre
        for i in range(length):
            if src[start + i] != dst[start + i]:
                found[count] = start + i
                count += 1
    return found


@njit(cache=True)
def _set_aside(dst, bases, centre, length, mask):
    """Elements outside the mask get 2 added: the propagation, which takes only 0/1 elements, skips them."""
    for r in range(bases.shape[0]):
        start = bases[r] + centre
        for i in range(length):
            if mask[r * length + i] == 0:
                dst[start + i] += 2


@njit(cache=True)
def _propagate(out, steps, value, frontier, levels):
    """Breadth-first on the framed flat ``out`` (its frame holds ``value``, elements outside the mask
    2 or 3): from each element that took ``value``, the elements whose window holds it (flat ``steps``
    back) take it too, for ``levels`` levels (all for ``levels < 0``)."""
    other = 1 - value
    capacity = max(frontier.shape[0], 1024)
    queue = np.empty(capacity, np.int64)
    queue[: frontier.shape[0]] = frontier
    head, count, level = 0, frontier.shape[0], 0
    while count > 0 and (levels < 0 or level < levels):
        for _ in range(count):
            p = queue[head]
            head = (head + 1) % capacity
            count -= 1
            for k in range(steps.shape[0]):
                q = p - steps[k]
                if out[q] != other:
                    continue
                out[q] = value
                if count == capacity:  # the ring is full: twice as large, in order
                    grown = np.empty(2 * capacity, np.int64)
                    for i in range(count):
                        grown[i] = queue[(head + i) % capacity]
                    queue, head, capacity = grown, 0, 2 * capacity
                queue[(head + count) % capacity] = q
                count += 1
        level += 1


DENSE_REPEATS = 8  # fixed repeats up to this many run dense passes (all cores), more propagate
FRONTIER_SHARE = 1 / 16  # propagate from at most this share of changed elements (8 bytes each)


class _Frame:
    """The framed layout of an array (``reach`` elements of frame on each side of each axis): row bases,
    the window's flat shifts and the centre's position in a framed copy."""

    def __init__(self, shape, offsets, reach):
        self.shape, self.reach = shape, reach
        self.framed_shape = [n + 2 * r for n, r in zip(shape, reach, strict=True)]
        strides = np.cumprod([1, *self.framed_shape[::-1]])[:-1][::-1].astype(np.int64)
        self.length = shape[-1]
        bases = np.zeros(1, np.int64)
        for n, stride in zip(shape[:-1], strides[:-1], strict=True):
            bases = (bases[:, None] + np.arange(n, dtype=np.int64) * stride).reshape(-1)
        self.bases = bases
        self.shifts = ((offsets + np.asarray(reach, np.int64)) @ strides).astype(np.int64)
        self.centre = int(np.dot(reach, strides))
        self.steps = self.shifts - self.centre  # the window's offsets as flat steps
        self.rows = np.arange(bases.shape[0], dtype=np.int64) * self.length

    def framed(self, values, fill):
        return np.pad(values, [(r, r) for r in self.reach], constant_values=np.uint8(fill)).reshape(-1)

    def interior(self, flat):
        framed = flat.reshape(self.framed_shape)
        return framed[tuple(slice(r, r + n) for n, r in zip(self.shape, self.reach, strict=True))]

    def fill_frame(self, flat, fill):
        framed = flat.reshape(self.framed_shape)
        for axis, r in enumerate(self.reach):
            if r:
                framed[(slice(None),) * axis + (slice(0, r),)] = fill
                framed[(slice(None),) * axis + (slice(-r, None),)] = fill


def erode_or_dilate(x, offsets, mask, border, erode, iterations, propagate):
    """The binary erosion (dilation) of bool NumPy ``x`` over window ``offsets`` (int64, ``(count, ndim)``,
    each element's window positions minus its own), ``iterations`` times (until stable below 1).

    ``mask`` (bool or None): elements where it is False keep their value. ``propagate``: the window
    holds its centre, so repeats may spread from the elements that changed. Returns a new bool array.
    """
    shape = x.shape
    if x.ndim == 0:
        x, offsets = x.reshape(1), np.zeros((offsets.shape[0], 1), np.int64)
        mask = None if mask is None else mask.reshape(1)
    if x.size == 0:
        return np.zeros(shape, bool)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    reach = [int(r) for r in np.abs(offsets).max(axis=0, initial=0)]
    frame = _Frame(x.shape, offsets, reach)
    values = x.view(np.uint8) if x.dtype == np.bool_ else x.astype(np.uint8)
    flat_mask = None if mask is None else np.ascontiguousarray(mask).view(np.uint8).reshape(-1)
    keep = np.zeros(1, np.uint8) if mask is None else flat_mask
    arguments = (frame.shifts, frame.centre, frame.length, keep, mask is not None, erode)
    if iterations == 1:
        out = np.empty(x.size, np.uint8)
        _run(frame.framed(values, border), frame, arguments, out, frame.rows)
        return out.reshape(shape).view(np.bool_)
    if propagate and (iterations < 1 or iterations > DENSE_REPEATS):  # the framed copy is passed on, not kept
        out = _propagated(
            frame.framed(values, border), frame, arguments, flat_mask, border, erode, iterations
        )
    else:
        out = _passes(frame.framed(values, border), frame, arguments, iterations, border)
    return (frame.interior(out) & 1).reshape(shape).view(np.bool_)


def _run(src, frame, arguments, dst, dst_bases):
    tasks = frame.bases.shape[0]
    # a byte-wide AND/OR costs about an eighth of the multiply-add that PARALLEL_WORK counts (measured)
    work = tasks * frame.length * max(1, frame.shifts.shape[0]) // 8
    with launch_lock:
        return launcher(_pass, _pass_serially, tasks, work)(src, frame.bases, *arguments, dst, dst_bases)


def _passes(src, frame, arguments, passes, border):
    """``passes`` passes (until stable below 1) from framed ``src``: the framed result."""
    dst = np.full_like(src, np.uint8(border))  # its frame keeps the border value
    done = 0
    while passes < 1 or done < passes:
        changed = _run(src, frame, arguments, dst, frame.bases + frame.centre)
        src, dst, done = dst, src, done + 1
        if passes < 1 and not changed:
            break
    return src


def _propagated(src, frame, arguments, flat_mask, border, erode, iterations):
    """One pass, then breadth-first from the elements it changed: the framed result (0/1). When more
    than `FRONTIER_SHARE` of the elements changed, the rest are dense passes: the positions would take
    more memory than the input."""
    dst = np.full_like(src, np.uint8(border))
    _run(src, frame, arguments, dst, frame.bases + frame.centre)
    with launch_lock:
        count = _count_changed(src, dst, frame.bases, frame.centre, frame.length)
    if count > src.shape[0] * FRONTIER_SHARE:
        del src
        return _passes(dst, frame, arguments, iterations - 1 if iterations > 1 else 0, border)
    with launch_lock:
        frontier = _changed(src, dst, frame.bases, frame.centre, frame.length, count)
    del src
    value = 0 if erode else 1
    frame.fill_frame(dst, value)  # never taken again: the propagation needs no bounds checks
    levels = iterations - 1 if iterations > 1 else -1
    with launch_lock:
        if flat_mask is not None:
            _set_aside(dst, frame.bases, frame.centre, frame.length, flat_mask)
        _propagate(dst, frame.steps, value, frontier, levels)
    return dst
