"""The Euclidean distance transform with the CUDA kernel: `edt` as in `_distance_xp`, one thread per line.

Tensors that track gradients take the vectorized Array API engine.
"""

import math

from gsci._lib._compat import device
from gsci.ndimage._filters._stencil_cuda import _flat, _tracks_grad
from gsci.ndimage._morphology import _distance_xp


def edt(foreground, scales, want_features, xp):
    """``(distances, features)`` of the bool array ``foreground`` (see `_distance_xp`)."""
    if _tracks_grad(foreground):
        return _distance_xp.edt(foreground, scales, want_features, xp)
    from gsci.kernels import distance

    where = device(foreground)
    shape = tuple(foreground.shape)
    infinity = xp.full(shape, math.inf, dtype=xp.float64, device=where)
    dist = xp.where(foreground, infinity, xp.zeros(shape, dtype=xp.float64, device=where))
    count = math.prod(shape)
    features = xp.empty(len(shape) * count if want_features else 1, dtype=xp.int32, device=where)
    rows = max(distance.scratch_rows(count // n) for n in shape)
    sites = xp.empty((rows, max(shape)), dtype=xp.int64, device=where)
    heights = xp.empty((rows, max(shape)), dtype=xp.float64, device=where)
    flat = _flat(dist, xp)
    for axis, scale in enumerate(scales):
        distance.euclidean_pass(flat, features, shape, axis, scale, axis == len(shape) - 1, (sites, heights))
    features = xp.reshape(features, (len(shape), *shape)) if want_features else None
    return dist, features
