"""Stencils with the CUDA kernel: the kernel engine behind the separable filters.

Same functions as `gsci.ndimage._stencil_xp`, launching
`gsci.kernels.stencil` (imported, and numba with it, on first use).
"""

import math

import numpy as np

from gsci._lib._compat import device, is_torch_namespace, size
from gsci.ndimage._filters import _stencil_xp


def correlate(x, w, axis, code, cval, origin, xp, dtype=None):
    """``x`` correlated with taps ``w`` along ``axis`` by the CUDA kernel (in ``w``'s dtype), as ``dtype``."""
    if _tracks_grad(x, w):
        return _stencil_xp.correlate(x, w, axis, code, cval, origin, xp, dtype)
    from gsci.kernels import stencil

    x, w = _contiguous(xp.astype(x, w.dtype, copy=False), xp), _contiguous(w, xp)
    out = xp.empty(x.shape, dtype=x.dtype, device=device(x))
    stencil.correlate1d_along_axis(
        _flat(x, xp),
        _flat(w, xp),
        _flat(out, xp),
        **_line_layout(x.shape, axis),
        mode=code,
        cval=cval,
        origin=origin,
        accumulate=False,
    )
    return out if dtype is None else xp.astype(out, dtype, copy=False)


def uniform(x, size, axis, code, cval, origin, xp, dtype):
    """Means of ``size`` values along ``axis``: the kernel's float64 sum of ones, divided, as ``dtype``.

    Each mean is summed afresh, where SciPy's C loop carries a running sum:
    the values agree to rounding.
    """
    ones = xp.ones(size, dtype=xp.float64, device=device(x))
    return xp.astype(correlate(x, ones, axis, code, cval, origin, xp) / size, dtype, copy=False)


def laplace(x, axes, codes, cval, xp):
    """Sum over ``axes`` of the second difference, one kernel launch per axis into one output."""
    if _tracks_grad(x):
        return _stencil_xp.laplace(x, axes, codes, cval, xp)
    from gsci.kernels import stencil

    x = _contiguous(x, xp)
    w = xp.asarray(_stencil_xp.SECOND_DIFFERENCE, dtype=x.dtype, device=device(x))
    out = xp.empty(x.shape, dtype=x.dtype, device=device(x))
    for k, (axis, code) in enumerate(zip(axes, codes, strict=True)):
        stencil.correlate1d_along_axis(
            _flat(x, xp),
            w,
            _flat(out, xp),
            **_line_layout(x.shape, axis),
            mode=code,
            cval=cval,
            origin=0,
            accumulate=k > 0,
        )
    return out


def _line_layout(shape, axis):
    """The axis as (n, inner): lines of ``n`` elements, ``inner`` apart in C order."""
    return {"n": shape[axis], "inner": math.prod(shape[axis + 1 :])}


def _flat(a, xp):
    return xp.reshape(a, (size(a),))


def _tracks_grad(*tensors):
    """Autograd cannot see inside the CUDA kernel: such tensors take torch's own operations."""
    return any(getattr(t, "requires_grad", False) for t in tensors)


def _contiguous(a, xp):
    if is_torch_namespace(xp):
        return a.contiguous()
    if isinstance(a, np.ndarray):
        return np.ascontiguousarray(a)
    import cupy

    return cupy.ascontiguousarray(a)
