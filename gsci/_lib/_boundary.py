"""SciPy's boundary modes for 1-D filters: small integer codes, index maps and extension.

A filter reads positions ``p`` outside ``[0, n)`` of a line of length ``n``;
each mode maps such a ``p`` to an index inside the line, or to ``-1`` for
"use cval". The CUDA kernels use the same codes (`gsci.kernels.stencil`).
"""

import numpy as np

from gsci._lib._compat import device, is_dask_namespace

NEAREST, WRAP, REFLECT, MIRROR, CONSTANT = range(5)

# For 1-D filters SciPy treats the grid-* modes like their plain namesakes.
_CODES = {
    "nearest": NEAREST,
    "wrap": WRAP,
    "grid-wrap": WRAP,
    "reflect": REFLECT,
    "grid-mirror": REFLECT,
    "mirror": MIRROR,
    "constant": CONSTANT,
    "grid-constant": CONSTANT,
}


def mode_code(mode):
    """The integer code of boundary ``mode``; SciPy's RuntimeError for an unknown one."""
    if not isinstance(mode, str) or mode not in _CODES:
        raise RuntimeError(f"boundary mode not supported: {mode=}; choose one of {', '.join(_CODES)}")
    return _CODES[mode]


def source_indices(positions, n, code):
    """Where each position of a line of length ``n`` reads from (host int64; -1: cval)."""
    p = np.asarray(positions, dtype=np.int64)
    if code == NEAREST:
        return np.clip(p, 0, n - 1)
    if code == WRAP:
        return p % n
    if code == REFLECT:
        q = p % (2 * n)
        return np.where(q < n, q, 2 * n - 1 - q)
    if code == MIRROR:
        if n == 1:
            return np.zeros_like(p)
        q = p % (2 * n - 2)
        return np.where(q < n, q, 2 * n - 2 - q)
    return np.where((p >= 0) & (p < n), p, -1)


def extend(x, axis, before, after, code, cval, xp):
    """``x`` with ``before`` and ``after`` boundary values added along ``axis``."""
    n = x.shape[axis]
    head = boundary_slab(x, axis, np.arange(-before, 0), code, cval, xp)
    tail = boundary_slab(x, axis, np.arange(n, n + after), code, cval, xp)
    return xp.concat([head, x, tail], axis=axis)


def boundary_slab(x, axis, positions, code, cval, xp):
    """The values ``x`` takes at ``positions`` along ``axis`` (outside the line: by boundary ``code``)."""
    if code == CONSTANT:
        shape = list(x.shape)
        shape[axis] = positions.shape[0]
        return xp.full(tuple(shape), cval, dtype=x.dtype, device=device(x))
    indices = source_indices(positions, x.shape[axis], code)
    # dask: a NumPy index keeps the chunk sizes known (a dask index makes them unknown)
    if not is_dask_namespace(xp):
        indices = xp.asarray(indices, device=device(x))
    return xp.take(x, indices, axis=axis)
