"""The engines of the interpolation functions, one object each, passed as a native function's ``engine``.

`NATIVE` runs Numba CPU kernels on NumPy and torch CPU arrays, chunked graphs
on Dask and Array API code elsewhere; `CUDA` runs the CUDA kernels (the
kernel path). Each has ``spline_filter`` (the prefilter recurrence) and
``interpolate`` (evaluate the spline at mapped points).
"""

import types

from gsci.ndimage._interpolation import _interp_cuda, _interp_xp, _spline_cuda, _spline_xp

NATIVE = types.SimpleNamespace(spline_filter=_spline_xp.spline_filter, interpolate=_interp_xp.interpolate)
CUDA = types.SimpleNamespace(spline_filter=_spline_cuda.spline_filter, interpolate=_interp_cuda.interpolate)
