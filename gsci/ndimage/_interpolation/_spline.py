"""spline_filter1d and spline_filter, and `prefiltered`: the B-spline coefficients the interpolations use.

The public functions validate like SciPy and settle dtypes (every input is
filtered in float64 and cast to the output dtype as SciPy's C code casts;
complex input goes through its real and imaginary parts); the recurrences
come from an engine (`_engines.NATIVE`: `_spline_xp`; `_engines.CUDA`:
`_spline_cuda`). Dtype and output rules: `gsci.ndimage._filters._support`.
"""

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._boundary import CONSTANT, NEAREST, extend
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._filters._support import (
    cast,
    complex_from_parts,
    deliver,
    is_complex,
    output_dtype,
    quiet_numpy,
)
from gsci.ndimage._interpolation import _engines
from gsci.ndimage._interpolation._spline_xp import INIT

# Below this size SciPy's one-axis filter wins (measured on 2 busy cores, best of interleaved repeats,
# gsci's speed / SciPy's, order 3: 16 x 16 0.60x, 32 x 32 0.97x, 64 x 64 1.49x). spline_filter has
# no threshold: at 16 x 16 its native call already beats SciPy's (1.2x), whose axes each cost a pass.
_SCIPY_IS_FASTER = fewer_elements(2**11)
_PAD = 12  # SciPy's pre-padding for 'nearest' and 'grid-constant'
_NUMPY_REAL = frozenset(np.dtype(t) for t in "?bhilqBHILQfd")


def _check_order(order, lowest):
    if order < lowest or order > 5:
        raise RuntimeError(f"spline order not supported: {order=} (must be {lowest} to 5)")


def _check_mode(mode):
    if not isinstance(mode, str) or mode not in INIT:
        raise RuntimeError(f"boundary mode not supported: {mode=}; choose one of {', '.join(INIT)}")


def _filtered(input, output, xp, real_filter):
    """``real_filter(x, dtype)`` of ``input`` into SciPy's ``output``; complex input part by part."""
    input = as_array(input, xp)
    if _float64_from_numpy(input, output):
        return real_filter(input, np.float64)  # nothing to check: the checks would cost more than the filter
    complex_output = is_complex(input, xp)
    out_dtype = output_dtype(output, input, xp, complex_output=complex_output)
    with quiet_numpy():
        if complex_output:
            part = xp.float32 if out_dtype == xp.complex64 else xp.float64
            real = real_filter(xp.real(input), part)
            imag = real_filter(xp.imag(input), part)
            result = complex_from_parts(real, imag, out_dtype, xp)
        else:
            result = real_filter(input, out_dtype)
    return deliver(result, output, xp)


def _float64_from_numpy(input, output):
    """A real NumPy ``input`` and a float64 result, as by default."""
    if type(input) is not np.ndarray or input.dtype not in _NUMPY_REAL:
        return False
    return output is np.float64 or (output is None and input.dtype == np.float64)


def _copy(x, dtype, xp):
    return xp.astype(x, dtype, copy=True) if x.dtype == dtype else cast(x, dtype, xp)


def _filter_axes(x, order, mode, axes, dtype, xp, engine):
    """``x`` filtered along ``axes`` in turn, cast to ``dtype`` after each (SciPy's intermediate arrays
    have the output's dtype); float64 outputs go through the engine once."""
    _check_mode(mode)
    if dtype == xp.float64:
        return engine.spline_filter(xp.astype(x, xp.float64, copy=False), order, mode, axes, xp)
    for axis in axes:
        x = engine.spline_filter(xp.astype(x, xp.float64, copy=False), order, mode, (axis,), xp)
        x = cast(x, dtype, xp)
    return x


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel_engine=_engines.CUDA,
    scipy_when=_SCIPY_IS_FASTER,
    torch_as_numpy=True,
)
def spline_filter1d(input, order=3, axis=-1, output=np.float64, mode="mirror", *, xp, engine=_engines.NATIVE):
    """Calculate a 1-D spline filter along the given axis.

    The lines of the array along `axis` are turned into the coefficients of
    the B-spline of `order` that interpolates them.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    order : int, optional
        The order of the spline, 0 to 5 (0 and 1 copy the input). Default 3.
    axis : int, optional
        The axis along which to filter. Default is the last axis.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. Default is float64.
    mode : {'mirror', 'reflect', 'grid-mirror', 'constant', 'grid-constant', 'nearest', 'wrap', \
'grid-wrap'}, optional
        How the input is taken to extend beyond its ends, which sets the
        filter's boundary conditions, as in SciPy: 'mirror', 'constant',
        'grid-constant' and 'wrap' start the recurrences as for a mirrored
        line, 'reflect', 'grid-mirror' and 'nearest' as for a reflected one,
        'grid-wrap' as for a periodic one. Default 'mirror'.

    Returns
    -------
    spline_filter1d : array
        The filtered input, in `input`'s library and on its device. When
        `output` is an array, the result is written into it and it is
        returned (JAX arrays are immutable: a new array is returned instead).

    Notes
    -----
    SciPy's filter: the gain, then per pole a causal and an anticausal
    first-order recurrence, each started by SciPy's boundary initialization
    (that of SciPy 1.17 for 'reflect', whose sum reads its own partial value
    on short lines). Computed in float64 and cast to the output dtype.
    NumPy and torch CPU arrays run a Numba kernel (all cores) with SciPy's
    arithmetic operation for operation; CUDA arrays one CUDA thread per line;
    JAX (under ``jax.jit`` too), array-api-strict and tensors that track
    gradients Array API code, each recurrence a doubling scan
    (differentiable); Dask arrays stay lazy and chunk-parallel, exact across
    chunks: each chunk is filtered with 24 to 50 samples (by order) of its
    neighbours on each side, past which the recurrences' response is below
    ``2**-60``, the array's ends extended as the mode's initialization
    assumes, so chunked results equal SciPy's to rounding (axes no longer
    than that margin are filtered whole). Complex input is filtered part by
    part.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import spline_filter1d
    >>> spline_filter1d(np.array([0.0, 0.0, 6.0, 0.0, 0.0]))
    array([ 1.5, -3. , 10.5, -3. ,  1.5])
    >>> spline_filter1d(np.array([[1, 2], [3, 4]]), order=1, axis=0, output=np.float32)
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    _check_order(order, 0)

    def real_filter(x, dtype):
        if order < 2:
            return _copy(x, dtype, xp)
        axes = (np.lib.array_utils.normalize_axis_index(axis, x.ndim),)
        return _filter_axes(x, order, mode, axes, dtype, xp, engine)

    return _filtered(input, output, xp, real_filter)


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    kernel_engine=_engines.CUDA,
    torch_as_numpy=True,
)
def spline_filter(input, order=3, output=np.float64, mode="mirror", *, xp, engine=_engines.NATIVE):
    """Multidimensional spline filter.

    `spline_filter1d` along every axis in turn: the coefficients of the
    B-spline of `order` that interpolates `input`.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer, float32/float64 or complex).
    order : int, optional
        The order of the spline, 2 to 5. Default 3.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned
        array. Default is float64.
    mode : str, optional
        The boundary mode, as in `spline_filter1d`. Default 'mirror'.

    Returns
    -------
    spline_filter : array
        The filtered input, with `input`'s shape, in its library and on its
        device (into `output` when it is an array, as `spline_filter1d`).

    Notes
    -----
    As in SciPy, the array between the axes' filters has the output's
    dtype: outputs of limited precision (float32, integers) are rounded
    after every axis. Engines and exactness as in `spline_filter1d`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import spline_filter
    >>> spline_filter(np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    array([[ 1., -2.,  1.],
           [-2.,  4., -2.],
           [ 1., -2.,  1.]])
    """
    _check_order(order, 2)

    def real_filter(x, dtype):
        if x.ndim == 0:
            return _copy(x, dtype, xp)
        return _filter_axes(x, order, mode, tuple(range(x.ndim)), dtype, xp, engine)

    return _filtered(input, output, xp, real_filter)


def prefiltered(input, order, mode, cval, xp, engine, axes=None):
    """``(coefficients, npad)``: SciPy's prefilter of the real array ``input`` for ``order`` and ``mode``.

    ``input``: a real array of ``xp``; ``axes``: the axes to filter (default all; the others are batch axes,
    neither padded nor filtered). As SciPy: 'nearest' and 'grid-constant' first pad 12 samples on each
    side of every filtered axis (edge values / ``cval``) and return npad = 12, else npad = 0. Order < 2
    returns ``input`` as float64 with npad 0. ``engine``: `_engines.NATIVE` or `_engines.CUDA`.
    The padding is Array API code (lazy on Dask, on the data's device).
    """
    axes = tuple(range(input.ndim)) if axes is None else tuple(axes)
    x = xp.astype(input, xp.float64)
    if order < 2:
        return x, 0
    npad = _PAD if mode in ("nearest", "grid-constant") else 0
    for axis in axes if npad else ():
        if mode == "nearest" and x.shape[axis] == 0:
            raise ValueError("can't extend empty axis using modes other than 'constant' or 'empty'")
        x = extend(x, axis, npad, npad, NEAREST if mode == "nearest" else CONSTANT, float(cval), xp)
    return engine.spline_filter(x, order, mode, axes, xp), npad
