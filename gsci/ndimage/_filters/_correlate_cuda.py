"""The n-D correlation with the CUDA kernel: the kernel engine behind correlate and convolve.

Same function as `gsci.ndimage._filters._correlate_xp`, launching
`gsci.kernels.correlate` (imported, and numba with it, on first use).
"""

import numpy as np

from gsci._lib._compat import device
from gsci.ndimage._filters import _correlate_xp
from gsci.ndimage._filters._stencil_cuda import _contiguous, _flat, _tracks_grad


def correlate(x, w, origins, code, cval, xp):
    """``x`` correlated with ``w`` (x's rank and dtype) by the CUDA kernel."""
    if _tracks_grad(x, w):
        return _correlate_xp.correlate(x, w, origins, code, cval, xp)
    from gsci.kernels import correlate as kernels

    x, w = _contiguous(x, xp), _contiguous(w, xp)
    out = xp.empty(x.shape, dtype=x.dtype, device=device(x))
    offsets = xp.asarray(tap_offsets(w.shape, origins), device=device(x))
    kernels.correlate_taps(
        _flat(x, xp), _flat(w, xp), offsets, _flat(out, xp), shape=x.shape, mode=code, cval=cval
    )
    return out


def tap_offsets(shape, origins):
    """Every tap's offset from the output element, per axis: int64 ``(prod(shape), ndim)``, C order."""
    before = np.asarray([s // 2 + o for s, o in zip(shape, origins, strict=True)], dtype=np.int64)
    return np.ascontiguousarray(np.indices(shape, dtype=np.int64).reshape(len(shape), -1).T - before)
