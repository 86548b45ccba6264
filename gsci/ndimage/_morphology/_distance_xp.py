"""Euclidean distance transform engines: NumPy (Numba CPU kernels), Dask (the same, block by block) and
any other Array API library (a vectorized exact pass).

Every engine runs the separable transform of SciPy: one pass per axis, in
axis order, each turning the squared distance to the nearest background over
the axes already done (``inf``: none yet) into the same over one more axis,
and moving the nearest background's coordinates (``features``) along when
asked. ``edt(foreground, scales, want_features, xp)`` takes the boolean
foreground and the sampling per axis, and returns ``(distances, features)``:
float64 distances (their squares not yet rooted where the array has no
background, see `unreached`) and int32 features (``(ndim,) + shape``) or None.
"""

import math

import numpy as np

from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace, is_torch_namespace
from gsci._lib._torch_cpu import as_torch, numpy_views

# The vectorized pass compares every position of a line with every other: the candidates of at most
# this many (or the array's size, if larger) elements exist at once
_CANDIDATES = 1 << 22


def edt(foreground, scales, want_features, xp):
    """``(distances, features)`` of the bool array ``foreground`` (see the module's docstring)."""
    if is_numpy_namespace(xp):
        return _edt_numpy(foreground, scales, want_features)
    if is_dask_namespace(xp):
        return _edt_dask(foreground, scales, want_features)
    if is_torch_namespace(xp):
        views = numpy_views(foreground)  # CPU tensors outside autograd: the NumPy engine, zero copy
        if views is not None:
            dist, features = _edt_numpy(views[0], scales, want_features)
            return as_torch(dist), None if features is None else as_torch(features)
    return _edt_vectorized(foreground, scales, want_features, xp)


def _edt_numpy(foreground, scales, want_features, features=None):
    """The Numba kernels, in place in a new float64 array (and ``features``, int32, if given)."""
    from gsci.kernels import distance_cpu

    mask = np.ascontiguousarray(foreground)
    dist = np.empty(mask.shape, dtype=np.float64)
    if want_features and features is None:
        features = np.empty((mask.ndim, *mask.shape), dtype=np.int32)
    distance_cpu.first_pass(mask, dist, features, scales[0], root=mask.ndim == 1)
    for axis, scale in enumerate(scales[1:], start=1):
        distance_cpu.euclidean_pass(dist, features, axis, scale, root=axis == mask.ndim - 1)
    return dist, features


def _edt_vectorized(foreground, scales, want_features, xp):
    """Each pass compares every position of a line with every other (O(n) per element, exact), a slab
    of lines at a time; the first of equally near backgrounds wins, as in SciPy's envelope."""
    where = device(foreground)
    shape = foreground.shape
    zero = xp.zeros(shape, dtype=xp.float64, device=where)
    dist = xp.where(foreground, xp.full(shape, math.inf, dtype=xp.float64, device=where), zero)
    features = None
    if want_features:
        features = [xp.zeros(shape, dtype=xp.int32, device=where) for _ in shape]
    for axis, scale in enumerate(scales):
        dist, features = _vectorized_pass(dist, features, axis, scale, xp)
    finite = dist < math.inf
    dist = xp.where(finite, xp.sqrt(xp.where(finite, dist, zero)), dist)
    if features is not None:
        features = xp.stack(features)
    return dist, features


def _vectorized_pass(dist, features, axis, scale, xp):
    """The pass along ``axis``: per position, the least ``dist[q] + ((q - i) * scale) ** 2`` over the line."""
    where = device(dist)
    order = [a for a in range(dist.ndim) if a != axis] + [axis]
    back = [order.index(a) for a in range(dist.ndim)]
    moved_shape = tuple(dist.shape[a] for a in order)
    n = dist.shape[axis]
    lines = xp.reshape(xp.permute_dims(dist, order), (-1, n))
    positions = xp.arange(n, dtype=xp.float64, device=where)
    parabola = ((positions[None, :] - positions[:, None]) * scale) ** 2  # [i, q]
    count = lines.shape[0]
    step = max(1, max(_CANDIDATES, count * n) // max(n * n, 1))
    best, chosen = [], []
    for start in range(0, count, step):
        candidates = lines[start : min(start + step, count), None, :] + parabola[None, :, :]
        best.append(xp.min(candidates, axis=-1))
        if features is not None:
            chosen.append(xp.argmin(candidates, axis=-1))
    new = xp.concat(best, axis=0) if best else lines
    reached = new < math.inf
    new = xp.permute_dims(xp.reshape(new, moved_shape), back)
    if features is None:
        return new, None
    site = xp.concat(chosen, axis=0) if chosen else xp.zeros(lines.shape, dtype=xp.int64, device=where)
    rows = xp.arange(count, dtype=site.dtype, device=where)[:, None] * n
    flat = xp.reshape(site + rows, (-1,))
    moved = []
    for component, values in enumerate(features):
        if component > axis:
            moved.append(values)
            continue
        line_values = xp.reshape(xp.permute_dims(values, order), (-1, n))
        if component == axis:
            taken = xp.astype(site, xp.int32)
        else:
            taken = xp.reshape(xp.take(xp.reshape(line_values, (-1,)), flat), (count, n))
        kept = xp.where(reached, taken, line_values)
        moved.append(xp.permute_dims(xp.reshape(kept, moved_shape), back))
    return new, moved


def _edt_dask(foreground, scales, want_features):
    """Each pass on blocks that hold whole lines along its axis: the axis is rechunked into one chunk
    for that pass (the pass needs the whole line), the other axes keep their chunks."""
    import dask.array as da

    chunks = foreground.chunks
    ndim = foreground.ndim
    rows = 1 + ndim if want_features else 1
    state = da.map_blocks(
        _start_state, foreground, rows, dtype=np.float64, new_axis=0, chunks=((rows,), *chunks)
    )
    for axis, scale in enumerate(scales):
        state = state.rechunk({0: -1, axis + 1: -1})
        state = da.map_blocks(_state_pass, state, axis, scale, ndim, dtype=np.float64)
    state = state.rechunk(((state.shape[0],), *chunks))
    dist = state[0]
    features = state[1:].astype(np.int32) if want_features else None
    return dist, features


def _start_state(block, rows):
    """A block's pass state: squared distances (0 or ``inf``) and, if wanted, feature rows (as float64)."""
    state = np.zeros((rows, *block.shape), dtype=np.float64)
    state[0][block] = np.inf
    return state


def _state_pass(state, axis, scale, ndim):
    """The pass along ``axis`` of a block holding whole lines, with the Numba kernels."""
    from gsci.kernels import distance_cpu

    dist = np.ascontiguousarray(state[0])
    features = None
    if state.shape[0] > 1:
        features = np.ascontiguousarray(state[1:], dtype=np.int32)
    distance_cpu.euclidean_pass(dist, features, axis, scale, root=axis == ndim - 1)
    out = np.empty_like(state)
    out[0] = dist
    if features is not None:
        out[1:] = features
    return out
