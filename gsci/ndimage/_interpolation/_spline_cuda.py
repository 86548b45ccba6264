"""The spline prefilter with the CUDA kernel: `spline_filter` as in `_spline_xp`, one thread per line.

Tensors that track gradients take the Array API engine (autograd cannot see
inside the kernel).
"""

from gsci.ndimage._filters._stencil_cuda import _contiguous, _flat, _tracks_grad
from gsci.ndimage._interpolation import _spline_xp


def spline_filter(x, order, mode, axes, xp):
    """``x`` (real float64) filtered along each of ``axes`` in turn: the B-spline coefficients."""
    if _tracks_grad(x):
        return _spline_xp.spline_filter(x, order, mode, axes, xp)
    from gsci.kernels import spline

    shape = tuple(x.shape)
    c = _contiguous(xp.astype(x, xp.float64, copy=True), xp)  # filtered in place: a copy
    flat = _flat(c, xp)
    for axis in axes:
        spline.spline_filter_axis(flat, shape, axis, _spline_xp.POLES[order], _spline_xp.INIT[mode])
    return c
