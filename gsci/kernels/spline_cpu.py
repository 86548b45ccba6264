"""CPU spline-prefilter kernel (Numba, all cores): SciPy's B-spline recurrences along one axis, in place.

Each line is multiplied by the filter's gain, then for each pole ``z`` runs
the causal recurrence ``c[i] += z * c[i-1]`` and the anticausal one
``c[i] = z * (c[i+1] - c[i])``, each started by SciPy's boundary
initialization (`INITS`: 'mirror', 'wrap', 'reflect' as in SciPy's
``ni_splines.c``, or 'zero': the line is taken as zero beyond its ends, for
blocks whose ends were padded by the caller). The arithmetic is SciPy's,
operation for operation (Numba emits no fused multiply-adds without
``fastmath``), so results equal SciPy's on x86-64.

Lines run `WIDTH` side by side, so every step is a SIMD loop across lines:
each task gathers `WIDTH` lines into a block, a line per column
(neighbouring columns of an outer axis row by row, rows of the last axis
transposed), filters it and puts it back. Compiled
once (float64); shapes, poles and the boundary kind are arguments; cached on
disk.
"""

import math

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

INITS = ("mirror", "wrap", "reflect", "zero")
WIDTH = 32  # lines filtered side by side by one task
_MIRROR, _WRAP, _REFLECT, _ZERO = range(4)


def _column_filter(width):
    """The recurrences over a block of lines side by side, one per column: ``width`` columns (a
    compile-time constant: SIMD loops of known length), or 0 for as many as the block has."""

    @njit(cache=True)
    def _causal_init(b, z, init, acc):
        """SciPy's first causal coefficient of each column of the block ``b`` (a line per column)."""
        n = b.shape[0]
        if init == _MIRROR:
            z_n_1 = math.pow(z, float(n - 1))  # libm's pow, as SciPy (an int exponent multiplies)
            for j in range(width or b.shape[1]):
                acc[j] = b[0, j] + z_n_1 * b[n - 1, j]
            z_i = z
            for i in range(1, n - 1):
                for j in range(width or b.shape[1]):
                    acc[j] += z_i * (b[i, j] + z_n_1 * b[n - 1 - i, j])
                z_i *= z
            for j in range(width or b.shape[1]):
                b[0, j] = acc[j] / (1 - z_n_1 * z_n_1)
        elif init == _WRAP:
            z_i = z
            for i in range(1, n):
                for j in range(width or b.shape[1]):
                    b[0, j] += z_i * b[n - i, j]
                z_i *= z
            for j in range(width or b.shape[1]):
                b[0, j] /= 1 - z_i
        elif init == _REFLECT:
            # SciPy 1.17's sum runs in c[0] itself: its last term reads the partial sum (SciPy 1.18 fixed it)
            z_n = math.pow(z, float(n))
            for j in range(width or b.shape[1]):
                acc[j] = b[0, j] + z_n * b[n - 1, j]
            z_i = z
            for i in range(1, n - 1):
                for j in range(width or b.shape[1]):
                    acc[j] += z_i * (b[i, j] + z_n * b[n - 1 - i, j])
                z_i *= z
            for j in range(width or b.shape[1]):
                acc[j] += z_i * (b[n - 1, j] + z_n * acc[j])
                b[0, j] += acc[j] * (z / (1 - z_n * z_n))

    @njit(cache=True)
    def _anticausal_init(b, z, init):
        """SciPy's last anticausal coefficient of each column of ``b``."""
        n = b.shape[0]
        if init == _MIRROR:
            for j in range(width or b.shape[1]):
                b[n - 1, j] = (z * b[n - 2, j] + b[n - 1, j]) * z / (z * z - 1)
        elif init == _WRAP:
            z_i = z
            for i in range(n - 1):
                for j in range(width or b.shape[1]):
                    b[n - 1, j] += z_i * b[i, j]
                z_i *= z
            for j in range(width or b.shape[1]):
                b[n - 1, j] *= z / (z_i - 1)
        elif init == _REFLECT:
            for j in range(width or b.shape[1]):
                b[n - 1, j] *= z / (z - 1)
        else:
            for j in range(width or b.shape[1]):
                b[n - 1, j] = z * (0.0 - b[n - 1, j])

    @njit(cache=True)
    def _filter_columns(b, poles, init, acc):
        """The recurrences of the lines of the block ``b`` (a line per column, times the gain) side by side,
        in place."""
        n = b.shape[0]
        for z in poles:
            _causal_init(b, z, init, acc)
            for i in range(1, n):
                for j in range(width or b.shape[1]):
                    b[i, j] += z * b[i - 1, j]
            _anticausal_init(b, z, init)
            for i in range(n - 2, -1, -1):
                for j in range(width or b.shape[1]):
                    b[i, j] = z * (b[i + 1, j] - b[i, j])

    return _filter_columns


_filter_full_block = _column_filter(WIDTH)
_filter_narrow_block = _column_filter(0)


@njit(cache=True)
def _filter_block(block, poles, init, acc):
    if block.shape[1] == WIDTH:
        _filter_full_block(block, poles, init, acc)
    else:
        _filter_narrow_block(block, poles, init, acc)


@njit(cache=True)
def _task(flat, outer, n, inner, poles, init, task):
    """One block of up to ``WIDTH`` lines: gathered as columns, filtered, put back."""
    gain = 1.0
    for z in poles:
        gain *= (1.0 - z) * (1.0 - 1.0 / z)
    acc = np.empty(WIDTH, np.float64)
    if inner == 1:  # consecutive rows, read side by side: sequential streams
        first = task * WIDTH
        width = min(WIDTH, outer - first)
        block = np.empty((n, width), np.float64)
        base = first * n
        for i in range(n):
            for j in range(width):
                block[i, j] = flat[base + j * n + i] * gain
        _filter_block(block, poles, init, acc)
        for i in range(n):
            for j in range(width):
                flat[base + j * n + i] = block[i, j]
    else:  # neighbouring columns, read row by row
        blocks = (inner + WIDTH - 1) // WIDTH
        o, first = task // blocks, (task % blocks) * WIDTH
        width = min(WIDTH, inner - first)
        block = np.empty((n, width), np.float64)
        base = o * n * inner + first
        for i in range(n):
            for j in range(width):
                block[i, j] = flat[base + i * inner + j] * gain
        _filter_block(block, poles, init, acc)
        for i in range(n):
            for j in range(width):
                flat[base + i * inner + j] = block[i, j]


@njit(cache=True)
def _tasks(outer, inner):
    if inner == 1:
        return (outer + WIDTH - 1) // WIDTH
    return outer * ((inner + WIDTH - 1) // WIDTH)


@njit(cache=True)
def _line_layout(shape, axis):
    """``(outer, n, inner)``: the array seen as lines along ``axis``."""
    outer, inner = 1, 1
    for a in range(axis):
        outer *= shape[a]
    for a in range(axis + 1, shape.shape[0]):
        inner *= shape[a]
    return outer, shape[axis], inner


@njit(parallel=True, cache=True)
def _filter(flat, layout, poles, init):
    """``layout``: the array's shape, then the axes to filter."""
    shape, axes = layout[: layout.shape[0] - layout[-1] - 1], layout[layout.shape[0] - layout[-1] - 1 : -1]
    for axis in axes:
        outer, n, inner = _line_layout(shape, axis)
        if n > 1:
            for task in prange(_tasks(outer, inner)):
                _task(flat, outer, n, inner, poles, init, task)


@njit(cache=True)
def _filter_serially(flat, layout, poles, init):
    shape, axes = layout[: layout.shape[0] - layout[-1] - 1], layout[layout.shape[0] - layout[-1] - 1 : -1]
    for axis in axes:
        outer, n, inner = _line_layout(shape, axis)
        if n > 1:
            for task in range(_tasks(outer, inner)):
                _task(flat, outer, n, inner, poles, init, task)


def spline_filter(c, axes, poles, init):
    """Filter the lines of ``c`` along each of ``axes`` in turn, in place.

    Parameters
    ----------
    c : C-contiguous float64 NumPy array
        The samples; they become the B-spline coefficients along ``axes``.
    axes : tuple of int
        Non-negative axes.
    poles : float64 NumPy array
        The filter's poles (SciPy's, one or two).
    init : str
        The boundary initialization, one of `INITS`.

    Lines of one sample are left as they are (SciPy's rule).
    """
    if c.size == 0 or not axes:
        return
    layout = np.array((*c.shape, *axes, len(axes)), dtype=np.int64)
    lines = c.size // max(c.shape[axes[0]], 1)
    with launch_lock:
        launch = launcher(_filter, _filter_serially, lines // WIDTH, 8 * len(poles) * c.size)
        launch(c.reshape(-1), layout, poles, INITS.index(init))
