"""The spline prefilter's native engine: ``spline_filter(x, order, mode, axes, xp)``.

The filter is SciPy's (``ni_splines.c``): along each axis, every line of two
samples or more is multiplied by the gain, then for each pole ``z`` runs
the causal recurrence ``c[i] += z c[i-1]`` and the anticausal one
``c[i] = z (c[i+1] - c[i])``, each started from SciPy's boundary
initialization for the mode (`INIT`: 'mirror', 'wrap' or 'reflect').

- NumPy, torch CPU tensors outside autograd: the Numba CPU kernel
  (`gsci.kernels.spline_cpu`), SciPy's arithmetic operation for operation.
- Dask: exact across chunks, chunk-parallel (`_dask_filter`).
- Any other library (array-api-strict, JAX under ``jax.jit``, tensors that
  track gradients): Array API code, each first-order recurrence a doubling
  scan (`_scan`), differentiable and traceable.

Every recurrence's response decays as ``|z|**k`` (``|z| <= 0.4306``, order
5): terms below ``2**-60`` of the scale (`margin`) are dropped where that
saves work, so results equal SciPy's to rounding.
"""

import functools
import math

import numpy as np

from gsci._lib._compat import array_namespace, device, is_dask_namespace, is_numpy_namespace
from gsci._lib._torch_cpu import as_torch, numpy_views

# SciPy's poles per order (ni_splines.c)
POLES = {
    2: (-0.171572875253809902396622551580603843,),
    3: (-0.267949192431122706472553658494127633,),
    4: (-0.361341225900220177092212841325675255, -0.013725429297339121360331226939128204),
    5: (-0.430575347099973791851434783493520110, -0.043096288203264653822712376822550182),
}
_POLE_ARRAYS = {order: np.array(poles) for order, poles in POLES.items()}
# SciPy's boundary initialization of the filter per mode (its spline_filter1d's mode codes)
INIT = {
    "mirror": "mirror",
    "constant": "mirror",
    "grid-constant": "mirror",
    "wrap": "mirror",
    "grid-wrap": "wrap",
    "nearest": "reflect",
    "reflect": "reflect",
    "grid-mirror": "reflect",
}
# the extension of the samples that each initialization assumes, as NumPy's pad modes
_EXTENSION = {"mirror": "reflect", "reflect": "symmetric", "wrap": "wrap"}
_NEGLIGIBLE_BITS = 60
DENSE_LINES = 128  # patchable: tests lower it to run the scans on short lines


def margin(order):
    """Samples after which every recurrence's response is below ``2**-60`` of the scale."""
    return math.ceil(_NEGLIGIBLE_BITS / -math.log2(abs(POLES[order][0])))


def spline_filter(x, order, mode, axes, xp):
    """``x`` (real float64) filtered along each of ``axes`` in turn: the B-spline coefficients.

    ``order``: 2-5; ``mode``: a SciPy mode name (it picks the boundary initialization).
    """
    init = INIT[mode]
    if is_numpy_namespace(xp):
        return _numpy_filter(x, order, init, axes)
    if is_dask_namespace(xp):
        for axis in axes:
            x = _dask_filter(x, order, init, axis)
        return x
    views = numpy_views(x)  # torch CPU tensors outside autograd: the NumPy engine, zero copy
    if views is not None:
        return as_torch(_numpy_filter(views[0], order, init, axes))
    for axis in axes:
        x = filter_axis(x, axis, POLES[order], init, xp)
    return x


def _numpy_filter(x, order, init, axes):
    from gsci.kernels import spline_cpu

    c = np.array(x, dtype=np.float64, order="C", copy=True)
    spline_cpu.spline_filter(c, tuple(axes), _POLE_ARRAYS[order], init)
    return c


def _dask_filter(x, order, init, axis):
    """The filter along ``axis`` of the Dask array ``x``, exact across chunks.

    The mode's boundary initialization is exact for the samples extended
    beyond the ends as the mode says (SciPy 1.17's 'reflect' to within
    ``|z|**(2n)``): the array is padded by `margin` samples so extended, and
    each chunk, with `margin` samples of its neighbours on each side, runs
    the recurrences from zero beyond its ends. What the chunk's own samples
    then miss is below ``2**-60`` of the scale: SciPy's values to rounding,
    every chunk in parallel, no chunk longer than it was plus the margins.
    Axes no longer than the margin (where the extension would wrap on
    itself) are filtered whole, one chunk along them.
    """
    import dask.array as da

    from gsci._lib._overlap import on_dask_blocks

    n, m = x.shape[axis], margin(order)
    meta = x._meta.astype(np.float64)
    if n < 2:
        return x
    if x.numblocks[axis] == 1 or n <= m + 1:
        whole = x.rechunk({axis: -1})
        result = da.map_blocks(_whole_lines, whole, axis, order, init, dtype=np.float64, meta=meta)
        return result if result.chunks == x.chunks else result.rechunk(x.chunks)
    pad = [(m, m) if a == axis else (0, 0) for a in range(x.ndim)]
    extended = da.pad(x, pad, mode=_EXTENSION[init])
    return on_dask_blocks(_valid_lines, x, extended, {axis: (m, m)}, axis=axis, order=order, dtype=np.float64)


def _whole_lines(block, axis, order, init):
    return _block_filter(block, axis, order, init)


def _valid_lines(block, axis, order):
    """A block with `margin` samples beyond each end along ``axis``, filtered from zero beyond them,
    without the margins."""
    m = margin(order)
    c = _block_filter(block, axis, order, "zero")
    valid = [slice(m, c.shape[axis] - m) if a == axis else slice(None) for a in range(c.ndim)]
    return c[tuple(valid)]


def _block_filter(block, axis, order, init):
    if isinstance(block, np.ndarray):
        from gsci.kernels import spline_cpu

        c = np.array(block, dtype=np.float64, order="C", copy=True)
        spline_cpu.spline_filter(c, (axis,), _POLE_ARRAYS[order], init)
        return c
    xp = array_namespace(block)  # blocks of another library (CuPy)
    return filter_axis(xp.astype(block, xp.float64), axis, POLES[order], init, xp)


def filter_axis(x, axis, poles, init, xp):
    """The filter along ``axis`` in Array API operations (``init``: an `INIT` value or 'zero').

    Lines of at most `DENSE_LINES` samples are multiplied by the filter's
    matrix (SciPy's filter of the identity, by the CPU kernel): one small
    program (quick to compile under ``jax.jit``), as exact as the sum of
    that many products. Longer lines run the recurrences as doubling scans.
    """
    n = x.shape[axis]
    if n < 2 or math.prod(x.shape) == 0:
        return x
    order = list(range(x.ndim))
    order.append(order.pop(axis))
    back = [order.index(a) for a in range(x.ndim)]
    y = xp.permute_dims(x, order)
    if n <= DENSE_LINES:
        matrix = xp.asarray(_matrix(n, tuple(poles), init).T.copy(), device=device(x))
        return xp.permute_dims(xp.matmul(y, matrix), back)
    y = y * _gain(poles)
    for z in poles:
        first = _causal_start(y, z, init, xp)
        y = _scan(xp.concat([first[..., None], y[..., 1:]], axis=-1), z, 1, xp)
        last = _anticausal_start(y, z, init, xp)
        y = _scan(xp.concat([-z * y[..., :-1], last[..., None]], axis=-1), z, -1, xp)
    return xp.permute_dims(y, back)


@functools.lru_cache(maxsize=64)
def _matrix(n, poles, init):
    """The filter of lines of ``n`` samples as a matrix: its column ``j`` filters the unit line ``j``."""
    from gsci.kernels import spline_cpu

    identity = np.eye(n)
    spline_cpu.spline_filter(identity, (0,), np.array(poles), init)
    return identity


def _gain(poles):
    gain = 1.0
    for z in poles:
        gain *= (1.0 - z) * (1.0 - 1.0 / z)
    return gain


def _scan(u, z, direction, xp):
    """``y[i] = u[i] + z y[i - direction]`` along the last axis, as a doubling scan: after the step of
    shift ``s``, every ``y[i]`` holds its first ``2s`` terms (later ones are dropped below ``2**-64``)."""
    n = u.shape[-1]
    s = 1
    while s < n and abs(z) ** s >= 2.0**-64:
        if direction > 0:
            u = xp.concat([u[..., :s], u[..., s:] + z**s * u[..., :-s]], axis=-1)
        else:
            u = xp.concat([u[..., :-s] + z**s * u[..., s:], u[..., -s:]], axis=-1)
        s *= 2
    return u


def _weighted(y, head, tail, xp):
    """``sum(y[..., j] * w[j])`` over the last axis, for weights ``head`` on the first samples and
    ``tail`` on the last ones (host float64 vectors; the line may be shorter than both together)."""
    n = y.shape[-1]
    where = device(y)
    if len(head) + len(tail) >= n:  # one weight vector over the whole line
        w = np.zeros(n)
        w[: min(len(head), n)] += head[:n]
        w[n - min(len(tail), n) :] += tail[len(tail) - min(len(tail), n) :]
        return xp.sum(y * xp.asarray(w, device=where), axis=-1)
    total = xp.sum(y[..., : len(head)] * xp.asarray(head, device=where), axis=-1)
    if len(tail):
        total = total + xp.sum(y[..., n - len(tail) :] * xp.asarray(tail, device=where), axis=-1)
    return total


@functools.lru_cache(maxsize=64)
def _powers(z, count):
    """``z**k`` for ``k < count``, and how many of them matter (``|z|**k >= 2**-64``)."""
    k = np.arange(count, dtype=np.float64)
    powers = np.power(z, k)
    return powers, int(np.count_nonzero(np.abs(powers) >= 2.0**-64))


def _causal_start(y, z, init, xp):
    """SciPy's first causal coefficient of each line (the last axis) of ``y``."""
    n = y.shape[-1]
    powers, keep = _powers(z, n + 1)
    if init == "zero":
        return y[..., 0]
    if init == "mirror":  # z^j y[j], plus z^(2n-2-j) y[j] for 0 < j < n-1
        z_n_1 = math.pow(z, n - 1)
        t = min(keep, n - 1) - 1
        tail = np.concatenate([powers[1 : t + 1][::-1] * z_n_1, [0.0]])
        return _weighted(y, powers[: min(keep, n)], tail, xp) / (1 - z_n_1 * z_n_1)
    if init == "wrap":  # y[0] plus z^(n-j) y[j] for j > 0
        t = min(keep, n) - 1
        return _weighted(y, np.ones(1), powers[1 : t + 1][::-1], xp) / (1 - math.pow(z, n))
    # SciPy 1.17's 'reflect' sums in c[0] itself: its last term reads the partial sum
    z_n, z_last = math.pow(z, n), math.pow(z, n - 1)
    t = min(keep, n - 1) - 1
    partial = _weighted(y[..., :-1], powers[: min(keep, n - 1)], powers[1 : t + 1][::-1] * z_n, xp)
    partial = partial + z_n * y[..., -1]
    total = partial * (1 + z_last * z_n) + z_last * y[..., -1]
    return y[..., 0] + total * (z / (1 - z_n * z_n))


def _anticausal_start(y, z, init, xp):
    """SciPy's last anticausal coefficient of each line (the last axis) of the causal ``y``."""
    n = y.shape[-1]
    if init == "mirror":
        return (z * y[..., -2] + y[..., -1]) * z / (z * z - 1)
    if init == "reflect":
        return y[..., -1] * (z / (z - 1))
    if init == "wrap":  # y[n-1] plus z^(i+1) y[i] for i < n-1
        powers, keep = _powers(z, n + 1)
        head = powers[1 : min(keep, n - 1) + 1]
        return (y[..., -1] + _weighted(y[..., :-1], head, np.zeros(0), xp)) * (z / (math.pow(z, n) - 1))
    return -z * y[..., -1]
