"""CPU distance-transform kernels (Numba, all cores): the Euclidean lower-envelope passes along each axis.

Euclidean: Maurer, Qi and Raghavan's separable algorithm (the one SciPy's C
code runs), a lower envelope of parabolas per line. Each pass along axis
``d`` turns ``dist``, the squared distance to the nearest background over
axes ``0..d-1`` (``inf`` where there is none), into the same over axes
``0..d``, and moves the nearest background's coordinates with it when
``features`` is given. The arithmetic is SciPy's, term for term, so the
distances and the features (ties included) equal SciPy's bit for bit.

Lines are taken `LINES` at a time by one task: lines along an outer axis
are gathered row by row into a block (neighbouring columns share cache lines
and pages), transformed, and put back.
Everything is compiled once (float64 distances, int32 features); shapes
and sampling are arguments. Compiled code is cached on disk.
"""

import math

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

LINES = 32  # lines one task transforms: neighbouring columns are read row by row, side by side
COLUMNS = 128  # columns of the first pass one task sweeps, side by side (SIMD across them)
NO_FEATURES = np.zeros(0, dtype=np.int32)  # the ``features`` argument when none are moved


@njit(cache=True)
def _envelope(line, scale, sites, heights):
    """The sites (positions) of the lower envelope of the parabolas over ``line`` and their heights;
    returns the last index in ``sites`` (-1: the line has none). SciPy's removal test, as written."""
    last = -1
    for i in range(line.shape[0]):
        w = line[i]
        if w == np.inf:
            continue
        while last >= 1:
            v, u = sites[last], sites[last - 1]
            a = (v - u) * scale
            b = (i - v) * scale
            c = a + b
            if c * heights[last] - b * heights[last - 1] - a * w - a * b * c <= 0.0:
                break
            last -= 1
        last += 1
        sites[last] = i
        heights[last] = w
    return last


@njit(cache=True)
def _query(n, scale, sites, heights, last, distance, chosen):
    """For each position, the envelope's nearest site (the first of equals, as SciPy) and the distance."""
    k = 0
    for i in range(n):
        t = (sites[k] - i) * scale
        best = heights[k] + t * t
        while k < last:
            t = (sites[k + 1] - i) * scale
            other = heights[k + 1] + t * t
            if best <= other:
                break
            best = other
            k += 1
        distance[i] = best
        chosen[i] = sites[k]


@njit(cache=True)
def _block(dist, features, n, axis, scale, root, base, across, along, width):
    """``width`` lines of ``n`` elements, element ``(j, i)`` at ``base + j * across + i * along`` of the
    flat ``dist`` (and of each component of the flat ``features``): gathered, transformed, put back."""
    total = dist.shape[0]
    block = np.empty((width, n), np.float64)
    chosen = np.zeros((width, n), np.int64)
    reached = np.zeros(width, np.bool_)
    sites = np.empty(n, np.int64)
    heights = np.empty(n, np.float64)
    _gather(dist, block, base, across, along)
    for j in range(width):
        line = block[j]
        last = _envelope(line, scale, sites, heights)
        if last >= 0:  # else no background on the line: SciPy leaves it as it is
            reached[j] = True
            _query(n, scale, sites, heights, last, line, chosen[j])
            if root:
                for i in range(n):
                    line[i] = np.sqrt(line[i])
    _scatter(block, dist, base, across, along)
    if features.shape[0] == 0:
        return
    carried = np.empty((width, n), np.int32)
    for component in range(axis + 1):
        start = component * total + base
        _gather(features, carried, start, across, along)
        for j in range(width):
            if reached[j]:
                for i in range(n):
                    site = chosen[j, i]
                    block[j, i] = site if component == axis else carried[j, site]
        for j in range(width):
            if not reached[j]:
                for i in range(n):
                    block[j, i] = carried[j, i]
        _scatter(block, features, start, across, along)


@njit(cache=True)
def _gather(flat, block, base, across, along):
    """``block[j, i] = flat[base + j * across + i * along]``, reading ``flat`` in sequence."""
    width, n = block.shape
    if along == 1:
        for j in range(width):
            for i in range(n):
                block[j, i] = flat[base + j * across + i]
    else:
        for i in range(n):
            for j in range(width):
                block[j, i] = flat[base + j * across + i * along]


@njit(cache=True)
def _scatter(block, flat, base, across, along):
    """``flat[base + j * across + i * along] = block[j, i]``, writing ``flat`` in sequence."""
    width, n = block.shape
    if along == 1:
        for j in range(width):
            for i in range(n):
                flat[base + j * across + i] = block[j, i]
    else:
        for i in range(n):
            for j in range(width):
                flat[base + j * across + i * along] = block[j, i]


@njit(cache=True)
def _task(dist, features, outer, n, inner, axis, scale, root, task):
    if inner == 1:  # lines along the last axis: LINES consecutive rows
        first = task * LINES
        _block(dist, features, n, axis, scale, root, first * n, n, 1, min(LINES, outer - first))
    else:  # lines along an outer axis: LINES neighbouring columns, read row by row
        blocks = (inner + LINES - 1) // LINES
        o, c = task // blocks, (task % blocks) * LINES
        _block(dist, features, n, axis, scale, root, o * n * inner + c, 1, inner, min(LINES, inner - c))


@njit(cache=True)
def _tasks(outer, inner):
    if inner == 1:
        return (outer + LINES - 1) // LINES
    return outer * ((inner + LINES - 1) // LINES)


@njit(parallel=True, cache=True)
def _pass(dist, features, outer, n, inner, axis, scale, root):
    for task in prange(_tasks(outer, inner)):
        _task(dist, features, outer, n, inner, axis, scale, root, task)


@njit(cache=True)
def _pass_serially(dist, features, outer, n, inner, axis, scale, root):
    for task in range(_tasks(outer, inner)):
        _task(dist, features, outer, n, inner, axis, scale, root, task)


@njit(cache=True)
def _first_columns(mask, dist, features, scale, root, task):
    """The pass along axis 0 for COLUMNS columns of ``mask`` seen as ``(n, inner)``: the nearest
    background above (kept in ``dist`` as its row) or below, the one above on a tie, as SciPy."""
    n, inner = mask.shape
    first = task * COLUMNS
    width = min(COLUMNS, inner - first)
    last = np.full(width, -1.0)
    for i in range(n):
        for j in range(width):
            if not mask[i, first + j]:
                last[j] = i
            dist[i, first + j] = last[j]
    below = np.full(width, -1.0)
    for i in range(n - 1, -1, -1):
        for j in range(width):
            c = first + j
            if not mask[i, c]:
                below[j] = i
            above = dist[i, c]
            t = (above - i) * scale
            up = t * t if above >= 0 else np.inf
            t = (below[j] - i) * scale
            down = t * t if below[j] >= 0 else np.inf
            best = up if up <= down else down
            dist[i, c] = np.sqrt(best) if root else best
            if features.shape[0] > 0 and best < np.inf:
                features[i * inner + c] = np.int32(above if up <= down else below[j])


@njit(parallel=True, cache=True)
def _first(mask, dist, features, scale, root):
    for task in prange((mask.shape[1] + COLUMNS - 1) // COLUMNS):
        _first_columns(mask, dist, features, scale, root, task)


@njit(cache=True)
def _first_serially(mask, dist, features, scale, root):
    for task in range((mask.shape[1] + COLUMNS - 1) // COLUMNS):
        _first_columns(mask, dist, features, scale, root, task)


def euclidean_pass(dist, features, axis, scale, root):
    """One pass along ``axis`` (after the first), in place.

    Parameters
    ----------
    dist : C-contiguous float64 NumPy array
        Squared distances over the axes before ``axis`` (``inf``: none yet);
        they become those over the axes up to ``axis`` (their square roots
        when ``root``).
    features : C-contiguous int32 array of shape ``(dist.ndim,) + dist.shape``, or None
        Coordinates of the nearest background found so far (components
        ``0..axis-1``); component ``axis`` and those before it are updated.
    axis : int
    scale : float
        The sampling along ``axis`` (1.0 for none).
    root : bool
        Store square roots (the last pass).
    """
    shape = dist.shape
    outer, inner = math.prod(shape[:axis]), math.prod(shape[axis + 1 :])
    moved = NO_FEATURES if features is None else features.reshape(-1)
    with launch_lock:
        launch = launcher(_pass, _pass_serially, _tasks(outer, inner), 8 * dist.size)
        launch(dist.reshape(-1), moved, outer, shape[axis], inner, axis, float(scale), bool(root))


def first_pass(mask, dist, features, scale, root):
    """The pass along axis 0 from the bool foreground ``mask`` (C-contiguous, as ``dist``): squared
    distances to the nearest background along axis 0 into ``dist`` (``inf``: none), its row into
    ``features[0]`` (see `euclidean_pass`)."""
    n = mask.shape[0]
    inner = mask.size // max(n, 1)
    moved = NO_FEATURES if features is None else features.reshape(-1)
    with launch_lock:
        launch = launcher(_first, _first_serially, -(-inner // COLUMNS), 4 * dist.size)
        launch(mask.reshape(n, inner), dist.reshape(n, inner), moved, float(scale), bool(root))
