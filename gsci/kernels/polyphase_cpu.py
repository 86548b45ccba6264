"""CPU polyphase kernel (Numba, all cores): upsample, FIR filter and downsample lines.

Lines are the rows of ``x`` (rows, n), extended by ``head`` (rows, H) before
and ``tail`` (rows, T) after; ``x[:, 0]`` is sample ``origin`` of the line.
``taps`` holds the filter by phase, each phase reversed
(``taps[p, K - 1 - k] = h[p + up * k]``, zero past ``h``), so an output is
one contiguous dot product of ``K`` taps with ``K`` consecutive samples.
Output ``j`` is sample ``first + j`` of the full upfirdn output. The kernels
compile once per dtype: factors, lengths and taps are arguments. Compiled
code is cached on disk.
"""

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock

_FAST = {"reassoc", "contract"}  # lets LLVM vectorize the sums; NaN and Inf still propagate
_SPAN = 1 << 14  # input samples per task: its copy of them stays in L1/L2
# Below this many multiply-adds (about a millisecond in one thread) waking the worker threads costs
# more than they save: measured here, milliseconds when other processes hold the cores.
PARALLEL_WORK = 1 << 21


@njit(cache=True)
def _blocks(count, up, block):
    """Tasks per row: blocks of ``block`` outputs of each phase."""
    per_phase = (count + up - 1) // up
    return (per_phase + block - 1) // block


@njit(parallel=True, cache=True, fastmath=_FAST)
def _polyphase_rows(x, head, tail, taps, out, up, down, first, origin, block):
    blocks = _blocks(out.shape[1], up, block)
    for task in prange(x.shape[0] * blocks):
        b, r = task % blocks, task // blocks
        _polyphase_block(x, head, tail, taps, out, up, down, first, origin, block, r, b)


@njit(cache=True, fastmath=_FAST)
def _polyphase_rows_serially(x, head, tail, taps, out, up, down, first, origin, block):
    blocks = _blocks(out.shape[1], up, block)
    for task in range(x.shape[0] * blocks):
        b, r = task % blocks, task // blocks
        _polyphase_block(x, head, tail, taps, out, up, down, first, origin, block, r, b)


@njit(cache=True, fastmath=_FAST)
def _polyphase_block(x, head, tail, taps, out, up, down, first, origin, block, r, b):
    """Outputs ``j = rr + up * m`` for ``m`` in block ``b`` of row ``r``, every ``rr < up``.

    The outputs of one ``rr`` share a phase of the filter and read samples
    ``down`` apart; the block's samples, split into ``down`` streams
    (``split[d, i]`` = line sample ``low + d + down * i``), make each tap's
    contribution one contiguous multiply-add over the block's outputs.
    """
    count, per_phase = out.shape[1], taps.shape[1]
    m0 = b * block
    m1 = min(-(-count // up), m0 + block)
    shift = head.shape[1] - origin - per_phase + 1  # line index of an output's oldest sample, less its base
    low = (first * down) // up + down * m0 + shift
    high = ((first + up - 1) * down) // up + down * (m1 - 1) + shift + per_phase
    split = _split_samples(x, head, tail, r, low, high, down)
    acc = np.empty(m1 - m0, out.dtype)
    for rr in range(up):
        outputs = min(m1, -(-(count - rr) // up)) - m0
        if outputs <= 0:
            continue
        t = (first + rr) * down
        weights = taps[t % up]
        start = t // up + down * m0 + shift - low
        sums = acc[:outputs]
        sums[:] = 0
        k = 0
        while k + 4 <= per_phase:  # four taps per pass: a quarter of the loads and stores of the sums
            s0 = _stream(split, start + k, down, outputs)
            s1 = _stream(split, start + k + 1, down, outputs)
            s2 = _stream(split, start + k + 2, down, outputs)
            s3 = _stream(split, start + k + 3, down, outputs)
            w0, w1, w2, w3 = weights[k], weights[k + 1], weights[k + 2], weights[k + 3]
            for m in range(outputs):
                sums[m] += w0 * s0[m] + w1 * s1[m] + w2 * s2[m] + w3 * s3[m]
            k += 4
        for rest in range(k, per_phase):
            source, w = _stream(split, start + rest, down, outputs), weights[rest]
            for m in range(outputs):
                sums[m] += w * source[m]
        row = out[r]
        for m in range(outputs):
            row[rr + up * (m0 + m)] = acc[m]


@njit(cache=True, inline="always")
def _stream(split, e, down, outputs):
    """The ``outputs`` samples ``e, e + down, ...`` (relative to the block's first) of ``split``."""
    return split[e % down, e // down : e // down + outputs]


@njit(cache=True)
def _split_samples(x, head, tail, r, low, high, down):
    """Line samples ``low .. high - 1`` of row ``r`` (head, x, tail) as ``down`` streams, zeros after."""
    before, n = head.shape[1], x.shape[1]
    split = np.zeros((down, -(-(high - low) // down) + 1), x.dtype)
    for d in range(down):
        stream = split[d]
        for i in range(stream.shape[0]):
            e = low + d + down * i  # branches, not a function call: no reference counting per sample
            if e < before:
                stream[i] = head[r, e]
            elif e < before + n:
                stream[i] = x[r, e - before]
            elif e < before + n + tail.shape[1]:
                stream[i] = tail[r, e - before - n]
    return split


def polyphase_lines(x, head, tail, taps, *, up, down, first, count, origin):
    """Outputs ``first .. first + count - 1`` of upfirdn along the rows of ``x``: a new (rows, count) array.

    ``x``, ``head``, ``tail`` and ``taps`` are 2-D NumPy arrays of one dtype
    (see the module's docstring); the sums are taken in that dtype.
    """
    x, head, tail, taps = (np.ascontiguousarray(a) for a in (x, head, tail, taps))
    out = np.empty((x.shape[0], count), dtype=taps.dtype)
    if out.size == 0:
        return out
    block = max(8, min(1024, _SPAN // max(up, down)))  # outputs of one phase per task
    work = out.size * taps.shape[1]
    tasks = x.shape[0] * _blocks(count, up, block)
    with launch_lock:
        launch = _polyphase_rows if tasks > 1 and work >= PARALLEL_WORK else _polyphase_rows_serially
        launch(x, head, tail, taps, out, up, down, first, origin, block)
    return out
