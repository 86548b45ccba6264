"""CPU stencil kernels (Numba, all cores): a 1-D correlation and a running mean along one axis.

An array is seen, in C order, as ``(outer, n, inner)``: lines of ``n``
elements ``inner`` apart. The boundary mode arrives as ``source``, the host
index map of `gsci._lib._boundary.source_indices` (-1 reads ``cval``), so
the kernels compile once per dtype, never per mode, shape or filter length.
Compiled code is cached on disk.
"""

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

_BLOCK = 2048  # outputs per task along a row: a long line takes every core, each tap's pass in cache


@njit(parallel=True, cache=True)
def _correlate_last_axis(x, w, source, cval, out):
    """Lines are rows of ``x`` (outer, n): a block of a row per task, taps outside, elements inside."""
    blocks = -(-x.shape[1] // _BLOCK)
    for task in prange(x.shape[0] * blocks):
        _correlate_row(x, w, source, cval, out, task // blocks, task % blocks * _BLOCK)


@njit(cache=True)
def _correlate_last_axis_serially(x, w, source, cval, out):
    blocks = -(-x.shape[1] // _BLOCK)
    for task in range(x.shape[0] * blocks):
        _correlate_row(x, w, source, cval, out, task // blocks, task % blocks * _BLOCK)


@njit(cache=True)
def _correlate_row(x, w, source, cval, out, r, first):
    last, taps = min(x.shape[1], first + _BLOCK), w.shape[0]
    m = last - first
    line = np.empty(m + taps - 1, w.dtype)
    for t in range(m + taps - 1):
        s = source[first + t]
        line[t] = x[r, s] if s >= 0 else cval
    sums = np.empty(m, w.dtype)  # in w's precision whatever out's
    for i in range(m):
        sums[i] = w[0] * line[i]
    for j in range(1, taps):
        for i in range(m):
            sums[i] += w[j] * line[i + j]
    out[r, first:last] = sums


@njit(parallel=True, cache=True)
def _correlate_inner_axis(x, w, source, cval, out):
    """Lines run along axis 1 of ``x`` (outer, n, inner): one output row of ``inner`` elements per task."""
    for task in prange(x.shape[0] * x.shape[1]):
        _correlate_inner_row(x, w, source, cval, out, task)


@njit(cache=True)
def _correlate_inner_axis_serially(x, w, source, cval, out):
    for task in range(x.shape[0] * x.shape[1]):
        _correlate_inner_row(x, w, source, cval, out, task)


@njit(cache=True)
def _correlate_inner_row(x, w, source, cval, out, task):
    n, inner = x.shape[1], x.shape[2]
    o, i = task // n, task % n
    sums = np.zeros(inner, w.dtype)  # in w's precision whatever out's
    for j in range(w.shape[0]):
        s = source[i + j]
        if s >= 0:
            for k in range(inner):
                sums[k] += w[j] * x[o, s, k]
        else:
            for k in range(inner):
                sums[k] += w[j] * cval
    out[o, i, :] = sums


def correlate1d_lines(x, w, source, cval, *, n, inner, dtype=None):
    """``correlate(x, w)`` along lines of ``n`` elements ``inner`` apart; a new C-contiguous array.

    ``x`` and ``w`` are NumPy arrays of float dtypes, ``source`` the int64
    index map of length ``n + len(w) - 1``; the sums are taken in ``w``'s
    dtype (float32 ``x`` is read as it is) and stored in ``dtype`` (a float
    dtype; default ``w``'s), so a float32 result needs no float64 array.
    """
    x = np.ascontiguousarray(x)
    w = np.ascontiguousarray(w)
    out = np.empty(x.shape, dtype=w.dtype if dtype is None else dtype)
    cval = w.dtype.type(cval)
    work = x.size * w.shape[0]
    with launch_lock:
        if inner == 1:
            tasks = x.size // n * -(-n // _BLOCK)
            launch = launcher(_correlate_last_axis, _correlate_last_axis_serially, tasks, work)
            launch(x.reshape(-1, n), w, source, cval, out.reshape(-1, n))
        else:
            launch = launcher(_correlate_inner_axis, _correlate_inner_axis_serially, x.size // inner, work)
            launch(x.reshape(-1, n, inner), w, source, cval, out.reshape(-1, n, inner))
    return out


@njit(parallel=True, cache=True)
def _running_mean_last_axis(x, size, source, cval, out):
    """Lines are rows of ``x`` (outer, n): one row per task."""
    for r in prange(x.shape[0]):
        _running_mean_row(x, size, source, cval, out, r)


@njit(cache=True)
def _running_mean_last_axis_serially(x, size, source, cval, out):
    for r in range(x.shape[0]):
        _running_mean_row(x, size, source, cval, out, r)


@njit(cache=True)
def _running_mean_row(x, size, source, cval, out, r):
    n = x.shape[1]
    line = np.empty(n + size - 1, np.float64)
    for t in range(n + size - 1):
        s = source[t]
        line[t] = np.float64(x[r, s]) if s >= 0 else cval
    total = 0.0
    for t in range(size):
        total += line[t]
    out[r, 0] = total / size
    for i in range(1, n):
        total += line[i + size - 1] - line[i - 1]
        out[r, i] = total / size


_COLUMNS = 64  # columns per task along an inner axis: a running sum per column, in L1


@njit(parallel=True, cache=True)
def _running_mean_inner_axis(x, size, source, cval, out):
    """Lines run along axis 1 of ``x`` (outer, n, inner): a block of columns per task."""
    blocks = -(-x.shape[2] // _COLUMNS)
    for task in prange(x.shape[0] * blocks):
        _running_mean_columns(x, size, source, cval, out, task // blocks, task % blocks * _COLUMNS)


@njit(cache=True)
def _running_mean_inner_axis_serially(x, size, source, cval, out):
    blocks = -(-x.shape[2] // _COLUMNS)
    for task in range(x.shape[0] * blocks):
        _running_mean_columns(x, size, source, cval, out, task // blocks, task % blocks * _COLUMNS)


@njit(cache=True)
def _running_mean_columns(x, size, source, cval, out, o, first):
    n, last = x.shape[1], min(x.shape[2], first + _COLUMNS)
    total = np.zeros(last - first, np.float64)
    for t in range(size):
        s = source[t]
        for k in range(first, last):
            total[k - first] += np.float64(x[o, s, k]) if s >= 0 else cval
    for k in range(first, last):
        out[o, 0, k] = total[k - first] / size
    for i in range(1, n):
        entering, leaving = source[i + size - 1], source[i - 1]
        for k in range(first, last):
            new = np.float64(x[o, entering, k]) if entering >= 0 else cval
            old = np.float64(x[o, leaving, k]) if leaving >= 0 else cval
            total[k - first] += new - old
            out[o, i, k] = total[k - first] / size


def running_mean_lines(x, size, source, cval, *, n, inner, dtype=np.float64):
    """Means of ``size`` values along lines of ``n`` elements ``inner`` apart, as SciPy's C loop
    takes them: a float64 running sum (the first window summed, then one value in and one out per
    step), each divided by ``size``.

    ``x`` is a NumPy array of a real dtype, ``source`` the int64 index map of
    length ``n + size - 1``; the result is a new array of ``dtype`` (a float dtype).
    """
    x = np.ascontiguousarray(x)
    out = np.empty(x.shape, dtype=dtype)
    cval = np.float64(cval)
    work = 2 * x.size
    with launch_lock:
        if inner == 1:
            launch = launcher(_running_mean_last_axis, _running_mean_last_axis_serially, x.size // n, work)
            launch(x.reshape(-1, n), size, source, cval, out.reshape(-1, n))
        else:
            tasks = x.size // (n * inner) * -(-inner // _COLUMNS)
            launch = launcher(_running_mean_inner_axis, _running_mean_inner_axis_serially, tasks, work)
            launch(x.reshape(-1, n, inner), size, source, cval, out.reshape(-1, n, inner))
    return out
