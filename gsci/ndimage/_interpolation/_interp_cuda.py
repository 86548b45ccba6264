"""Spline interpolation with the CUDA kernel: `interpolate` as in `_interp_xp`, one thread per output point.

Tensors that track gradients, ranks above the kernel's `MAX_DIMS` and Dask
arrays take `_interp_xp`'s engines.
"""

import math

import numpy as np

from gsci._lib._compat import device, is_dask_namespace
from gsci.ndimage._filters._stencil_cuda import _tracks_grad
from gsci.ndimage._interpolation import _interp_xp
from gsci.ndimage._interpolation._mapping import MODES, Affine, Coordinates, ZoomShift

MAX_DIMS = 8  # gsci.kernels.interpolate.MAX_DIMS (not imported: numba loads with it)


def interpolate(
    coefficients,
    mapping,
    output_shape,
    order,
    mode,
    cval,
    npad,
    xp,
    *,
    input_shape=None,
    input_origin=None,
    output_origin=None,
):
    """The spline with ``coefficients`` (``(*batch, *block)``, float64) at the mapped points.

    ``input_shape``/``input_origin``: the whole coefficient array's shape and where the block starts in it
    (Dask blocks); ``output_origin``: the global output index of the first output point.
    Returns float64, shape ``(*batch, *output_shape)`` (see `_interp_xp.interpolate`).
    """
    keywords = {"input_shape": input_shape, "input_origin": input_origin, "output_origin": output_origin}
    case = _interp_xp._Case.of(coefficients, mapping, output_shape, input_shape, input_origin, output_origin)
    tensors = (coefficients, mapping.coordinates) if isinstance(mapping, Coordinates) else (coefficients,)
    if is_dask_namespace(xp) or _tracks_grad(*tensors) or max(case.irank, len(case.output_shape)) > MAX_DIMS:
        return _interp_xp.interpolate(
            coefficients, mapping, output_shape, order, mode, cval, npad, xp, **keywords
        )
    from gsci.kernels import interpolate as kernel

    where = device(coefficients)
    out = xp.empty((*case.batch, *case.output_shape), dtype=xp.float64, device=where)
    if math.prod(out.shape) == 0:
        return out
    flat_out = xp.reshape(out, (-1,))
    c = xp.reshape(xp.astype(coefficients, xp.float64, copy=False), (-1,))
    ints = list(case.shape) + list(case.origin) + _strides(case.block) + list(case.output_shape)
    ints += list(case.output_origin)
    floats, kind, flags = _mapping_arguments(mapping, case, kernel)
    if isinstance(mapping, Coordinates):
        coordinates = xp.reshape(xp.astype(mapping.coordinates, xp.float64, copy=False), (-1,))
    else:
        coordinates = xp.zeros(1, dtype=xp.float64, device=where)
    kernel.interpolate(
        c,
        flat_out,
        coordinates,
        xp.asarray(np.asarray(ints, dtype=np.int64), device=where),
        xp.asarray(np.asarray([*floats, 0.0], dtype=np.float64), device=where),
        irank=case.irank,
        orank=len(case.output_shape),
        kind=kind,
        flags=flags,
        order=order,
        mode=MODES.index(mode),
        cval=cval,
        npad=npad,
        block=math.prod(case.block),
    )
    return out


def _strides(block):
    return [math.prod(block[a + 1 :]) for a in range(len(block))]


def _mapping_arguments(mapping, case, kernel):
    """``(floats, kind, flags)``: the mapping as the kernel takes it."""
    if isinstance(mapping, Coordinates):
        return [], kernel.COORDINATES, 0
    if isinstance(mapping, Affine):
        return (
            [float(m) for row in mapping.matrix for m in row] + [float(o) for o in mapping.offset],
            kernel.AFFINE,
            0,
        )
    assert isinstance(mapping, ZoomShift)
    flags = kernel.GRID_MODE if mapping.grid_mode else 0
    floats = [1.0] * case.irank if mapping.zoom is None else [float(z) for z in mapping.zoom]
    floats += [0.0] * case.irank if mapping.shift is None else [float(s) for s in mapping.shift]
    flags |= (kernel.HAS_ZOOM if mapping.zoom is not None else 0) | (
        kernel.HAS_SHIFT if mapping.shift is not None else 0
    )
    return floats, kernel.ZOOM_SHIFT, flags
