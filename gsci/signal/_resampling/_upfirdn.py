"""upfirdn, and the polyphase engine that resample_poly and decimate share.

`polyphase` computes a range of upfirdn's outputs along one axis: the
samples the filter reads beyond the line's ends (`boundary_samples`), then
an engine with one interface, ``engine(x, head, tail, taps, up=, down=,
first=, count=, origin=, xp=)`` on the last axis: `_on_cpu` (the Numba
kernel of `gsci.kernels.polyphase_cpu`) for NumPy, `_on_array_api` for the
other libraries and for autograd, `_on_gpu` (the CUDA kernel of
`gsci.kernels.polyphase`) on the kernel path. A Dask array runs one of them
per chunk, each chunk with the margin of samples it needs from its left
neighbour (`_on_dask_chunks`).
"""

import functools
import math

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import (
    array_namespace,
    device,
    is_dask_namespace,
    is_jax_namespace,
    is_numpy_namespace,
    is_torch_namespace,
)
from gsci._lib._dispatch import fewer_elements, gsci_function

MODES = ("constant", "wrap", "edge", "smooth", "symmetric", "reflect", "antisymmetric", "antireflect", "line")
_SUPPORTED = ("float32", "float64", "complex64", "complex128")


def check_mode(mode):
    """``mode`` in lower case; SciPy's ValueError for an unknown one."""
    mode = mode.lower()
    if mode not in MODES:
        raise ValueError(f"Unknown mode: {mode}")
    return mode


def output_length(taps, n, up, down):
    """The length of upfirdn's output for ``taps`` filter taps and ``n`` input samples."""
    return max(0, ((n - 1) * up + taps - 1) // down + 1)


def result_dtype(xp, *arrays):
    """SciPy's ``np.result_type(h, x, np.float32)``, as ``xp``'s dtype; TypeError for others."""
    name = np.result_type(*(numpy_dtype(a.dtype) for a in arrays), np.float32).name
    if name not in _SUPPORTED:
        raise TypeError(f"upfirdn does not support the result dtype {name}")
    return getattr(xp, name)


def numpy_dtype(dtype):
    """The NumPy dtype of any library's ``dtype``."""
    return dtype if isinstance(dtype, np.dtype) else np.dtype(str(dtype).rsplit(".", 1)[-1])


def checked_axis(axis, ndim):
    """``axis`` as a non-negative index; SciPy's IndexError when ``x`` has no such axis."""
    if not -ndim <= axis < ndim:
        raise IndexError(f"{axis=} is out of range for an array of {ndim} dimensions")
    return axis % ndim


def polyphase(h, x, *, up, down, axis, mode, cval, first, count, engine, xp):
    """Outputs ``first .. first + count - 1`` of ``upfirdn(h, x, up, down, axis, mode, cval)``.

    ``h`` and ``x`` are arrays of ``xp`` of the result dtype, ``mode`` a
    checked mode name, ``engine`` one of this module's engines (None: the
    fastest for ``x``).
    """
    options = {"up": up, "down": down, "axis": axis, "mode": mode, "first": first, "count": count}
    if is_jax_namespace(xp):  # one compiled program: eagerly, JAX compiles every slice of every phase
        return _jax_polyphase(engine, **options)(h, x, cval)
    return _polyphase(h, x, cval, **options, engine=engine, xp=xp)


@functools.cache
def _jax_polyphase(engine, **options):
    import jax
    import jax.numpy as jnp

    return jax.jit(functools.partial(_polyphase, **options, engine=engine, xp=jnp))


def _polyphase(h, x, cval, *, up, down, axis, mode, first, count, engine, xp):
    taps = phase_taps(h, up, xp)
    x = xp.moveaxis(x, axis, -1)
    n, before = x.shape[-1], taps.shape[1] - 1
    last = ((first + count - 1) * down) // up  # the newest sample the last output reads
    after = max(0, last - n + 1) if count > 0 else 0
    head = boundary_samples(x, np.arange(-before, 0), mode, cval, xp)
    tail = boundary_samples(x, np.arange(n, n + after), mode, cval, xp)
    options = {"up": up, "down": down, "first": first, "count": count}
    if is_dask_namespace(xp):
        y = _on_dask_chunks(x, head, tail, taps, **options, xp=xp)
    else:
        engine = engine or _fastest(xp)
        y = engine(x, head, tail, taps, **options, origin=0, xp=xp)
    return xp.moveaxis(y, -1, axis)


def phase_taps(h, up, xp):
    """``h`` as ``(up, K)`` taps by phase, each phase reversed: ``[p, K - 1 - k] = h[p + up * k]``."""
    per_phase = -(-h.shape[0] // up)
    padding = xp.zeros(per_phase * up - h.shape[0], dtype=h.dtype, device=device(h))
    by_phase = xp.reshape(xp.concat([h, padding]), (per_phase, up)).T
    return xp.flip(by_phase, axis=1)


def boundary_samples(x, positions, mode, cval, xp):
    """The values of ``x``'s lines (last axis) at ``positions``, all before or all after the line.

    Linear in ``x``: a gathered sample, with sign and multiples of the end
    samples for the anti-symmetric modes, or the end sample plus a slope.
    Where SciPy reads undefined memory (a single sample with "smooth",
    "reflect" or "antireflect"; no sample in a mode other than "constant"),
    gsci extends the one sample, or ``cval``.
    """
    n, width = x.shape[-1], positions.shape[0]
    shape = (*x.shape[:-1], width)
    if width == 0:
        return x[..., :0]
    if mode == "constant" or n == 0:
        return xp.full(shape, cval, dtype=x.dtype, device=device(x))
    if mode in ("line", "smooth"):
        return _continued_line(x, positions, mode, xp)
    indices, signs, last, first = _mirror_map(positions, n, mode)
    values = _take(x, indices, xp)
    if signs is not None:
        values = _host(signs, x, xp) * values
    if last is not None:
        values = values + _host(last, x, xp) * x[..., -1:] + _host(first, x, xp) * x[..., :1]
    return values


def _mirror_map(positions, n, mode):
    """(indices, signs, multiples of the last and first samples) of ``positions`` (host arrays)."""
    p = positions
    if mode == "wrap":
        return p % n, None, None, None
    if mode == "edge" or (n == 1 and mode in ("reflect", "antireflect")):
        return np.clip(p, 0, n - 1), None, None, None
    if mode in ("symmetric", "antisymmetric"):
        q = p % (2 * n)
        indices = np.where(q < n, q, 2 * n - 1 - q)
        return indices, (np.where(q < n, 1, -1) if mode == "antisymmetric" else None), None, None
    period = 2 * n - 2  # reflect and antireflect repeat with it
    k, q = np.divmod(p, period)
    indices = np.where(q < n, q, period - q)
    if mode == "reflect":
        return indices, None, None, None
    # antireflect: a point reflection about each end; each period adds 2 (last - first)
    return indices, np.where(q < n, 1, -1), 2 * k + np.where(q < n, 0, 2), -2 * k


def _continued_line(x, positions, mode, xp):
    """ "line" and "smooth": the end sample plus a slope (last minus first over n - 1, or the end step)."""
    n = x.shape[-1]
    before = positions[0] < 0
    end = x[..., :1] if before else x[..., -1:]
    if n == 1:
        slope = xp.zeros_like(end) if mode == "smooth" else xp.full(end.shape, xp.nan, dtype=end.dtype)
    elif mode == "line":
        slope = (x[..., -1:] - x[..., :1]) / (n - 1)
    else:
        slope = x[..., 1:2] - x[..., :1] if before else x[..., -1:] - x[..., -2:-1]
    steps = positions if before else positions - (n - 1)
    return end + _host(steps, x, xp) * slope


def _host(values, x, xp):
    """A host array of numbers as ``x``'s real dtype, on ``x``'s device."""
    real = xp.real(x[..., :0]).dtype if xp.isdtype(x.dtype, "complex floating") else x.dtype
    if is_dask_namespace(xp):
        return np.asarray(values, dtype=str(real))
    return xp.asarray(values, dtype=real, device=device(x))


def _take(x, indices, xp):
    # dask: a NumPy index keeps the chunk sizes known
    if not is_dask_namespace(xp):
        indices = xp.asarray(indices, device=device(x))
    return xp.take(x, indices, axis=x.ndim - 1)


def _fastest(xp):
    """The CPU kernel for NumPy; the Array API engine for the others (torch CPU in autograd, JAX, ...)."""
    return _on_cpu if is_numpy_namespace(xp) else _on_array_api


def _on_array_api(x, head, tail, taps, *, up, down, first, count, origin, xp):
    """The engine written against ``xp``: per output phase, a sum of strided slices times taps.

    Outputs ``first + r + up * m`` (one ``r`` < ``up``) share a phase of the
    filter and read samples ``down`` apart: for each tap, one strided slice.
    The phases' outputs are interleaved at the end.
    """
    line = xp.concat([head, x, tail], axis=-1)
    per_phase = taps.shape[1]
    offset = head.shape[-1] - origin - per_phase + 1  # line index of an output's oldest sample
    longest = -(-count // up)
    phases = []
    for r in range(up):
        outputs = -(-(count - r) // up) if r < count else 0
        t = (first + r) * down
        phase, low = t % up, t // up + offset
        acc = xp.zeros((*x.shape[:-1], outputs), dtype=taps.dtype, device=device(x))
        for k in range(per_phase if outputs else 0):
            acc = acc + taps[phase, k] * line[..., low + k : low + k + down * (outputs - 1) + 1 : down]
        if outputs < longest:
            padding = xp.zeros((*x.shape[:-1], longest - outputs), dtype=taps.dtype, device=device(x))
            acc = xp.concat([acc, padding], axis=-1)
        phases.append(acc)
    if up == 1:
        return phases[0]
    interleaved = xp.reshape(xp.stack(phases, axis=-1), (*x.shape[:-1], longest * up))
    return interleaved[..., :count]


def _on_cpu(x, head, tail, taps, *, up, down, first, count, origin, xp):
    """The Numba CPU kernel on NumPy arrays (rows of the last axis)."""
    from gsci.kernels import polyphase_cpu

    rows = math.prod(x.shape[:-1])
    y = polyphase_cpu.polyphase_lines(
        *(np.reshape(a, (rows, a.shape[-1])) for a in (x, head, tail)),
        taps,
        up=up,
        down=down,
        first=first,
        count=count,
        origin=origin,
    )
    return np.reshape(y, (*x.shape[:-1], count))


def _on_gpu(x, head, tail, taps, *, up, down, first, count, origin, xp):
    """The CUDA kernel (CuPy, PyTorch CUDA; NumPy in the simulator); autograd takes `_on_array_api`."""
    if any(getattr(a, "requires_grad", False) for a in (x, head, tail, taps)):
        return _on_array_api(
            x, head, tail, taps, up=up, down=down, first=first, count=count, origin=origin, xp=xp
        )
    from gsci.kernels import polyphase as kernels

    flat = [_contiguous_flat(a, xp) for a in (x, head, tail, taps)]
    out = xp.empty((math.prod(x.shape[:-1]) * count,), dtype=taps.dtype, device=device(x))
    kernels.polyphase_lines(
        *flat,
        out,
        count=count,
        n=x.shape[-1],
        before=head.shape[-1],
        after=tail.shape[-1],
        up=up,
        down=down,
        first=first,
        origin=origin,
    )
    return xp.reshape(out, (*x.shape[:-1], count))


def _contiguous_flat(a, xp):
    if is_torch_namespace(xp):
        return a.contiguous().reshape(-1)
    if isinstance(a, np.ndarray):
        return np.ascontiguousarray(a).reshape(-1)
    import cupy

    return cupy.ascontiguousarray(a).reshape(-1)


def _on_dask_chunks(x, head, tail, taps, *, up, down, first, count, xp):
    """Each chunk of the extended lines gives the outputs whose newest sample it holds.

    A chunk needs the ``K - 1`` samples before it (its left neighbour's, so
    chunks are at least that long); output chunks start where the chunks'
    first samples fall in the output (multiples of ``down / up``).
    """
    import dask.array as da

    line = da.concatenate([head, x, tail], axis=-1)
    axis, margin, before = line.ndim - 1, taps.shape[1] - 1, head.shape[-1]
    line = line.rechunk({axis: da.overlap.ensure_minimum_chunksize(max(margin, 1), line.chunks[axis])})
    starts = np.cumsum((0, *line.chunks[axis])) - before  # sample index of each chunk's first sample
    begins = np.clip(-(-np.maximum(starts, 0) * up // down), first, first + count)
    begins[-1] = first + count
    counts = np.diff(begins)
    origins = starts[:-1] - np.where(np.arange(counts.shape[0]) > 0, margin, 0)
    if margin:
        line = da.overlap.overlap(line, depth={axis: (margin, 0)}, boundary={axis: "none"})
    return da.map_blocks(
        _chunk_outputs,
        line,
        chunks=(*line.chunks[:-1], tuple(int(c) for c in counts)),
        dtype=taps.dtype,
        meta=x._meta.astype(taps.dtype),
        taps=taps,
        plan=tuple(zip(origins.tolist(), begins[:-1].tolist(), counts.tolist(), strict=True)),
        up=up,
        down=down,
    )


def _chunk_outputs(block, taps, plan, up, down, block_id=None):
    """The outputs of one chunk of the extended lines (already holding its left margin)."""
    origin, first, count = plan[block_id[-1]]
    xp = array_namespace(block)
    empty = block[..., :0]
    engine = _fastest(xp) if isinstance(block, np.ndarray) else _on_array_api
    taps = xp.asarray(taps)
    return engine(block, empty, empty, taps, up=up, down=down, first=first, count=count, origin=origin, xp=xp)


def _upfirdn(h, x, up, down, axis, mode, cval, engine, xp):
    x = as_array(x, xp)
    h = as_array(h, xp, like=x)
    if h.ndim != 1 or h.shape[0] == 0:
        raise ValueError("h must be 1-D with non-zero length")
    dtype = result_dtype(xp, h, x)
    up, down = int(up), int(down)
    if up < 1 or down < 1:
        raise ValueError("Both up and down must be >= 1")
    mode = check_mode(mode)
    axis = checked_axis(axis, x.ndim)
    count = output_length(h.shape[0], x.shape[axis], up, down)
    return polyphase(
        xp.astype(h, dtype, copy=False),
        xp.astype(x, dtype, copy=False),
        up=up,
        down=down,
        axis=axis,
        mode=mode,
        cval=cval,
        first=0,
        count=count,
        engine=engine,
        xp=xp,
    )


def _upfirdn_kernel(h, x, up=1, down=1, axis=-1, mode="constant", cval=0, *, xp):
    """`upfirdn` on the kernel path (the CUDA kernel)."""
    return _upfirdn(h, x, up, down, axis, mode, cval, _on_gpu, xp)


@gsci_function(
    "signal",
    arrays=("x",),
    operators=("h",),
    kernel=_upfirdn_kernel,
    scipy_when=fewer_elements(2**14),
    torch_as_numpy=True,
)
def upfirdn(h, x, up=1, down=1, axis=-1, mode="constant", cval=0, *, xp):
    """Upsample, FIR filter, and downsample.

    Same as `scipy.signal.upfirdn`, on any Array API library: the result is
    an array of ``x``'s library on its device.

    Parameters
    ----------
    h : array_like
        1-D FIR filter coefficients (an array of ``x``'s library, a NumPy
        array or a sequence; it moves to ``x``'s device).
    x : array_like
        Input signal array.
    up, down : int, optional
        Upsampling and downsampling rates. Default 1.
    axis : int, optional
        The axis of ``x`` to filter. Default -1.
    mode : str, optional
        The signal extension: ``"constant"``, ``"wrap"``, ``"edge"``,
        ``"smooth"``, ``"symmetric"``, ``"reflect"``, ``"antisymmetric"``,
        ``"antireflect"`` or ``"line"``, as in SciPy.
    cval : float, optional
        The value beyond the edges for ``mode="constant"``.

    Returns
    -------
    y : array
        The output signal, of dtype ``result_type(h, x, float32)``.

    Notes
    -----
    Outputs are computed directly from the polyphase decomposition of ``h``
    (each costs ``len(h) / up`` multiply-adds). Where SciPy reads undefined
    memory (a one-sample ``x`` with ``"smooth"``, ``"reflect"`` or
    ``"antireflect"``; an empty ``x`` in a mode other than ``"constant"``),
    gsci extends the one sample, or uses ``cval``. Dask arrays stay lazy,
    chunk by chunk; torch tensors that require grad are differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import upfirdn
    >>> upfirdn([0.5, 1, 0.5], np.arange(10.0), 2, 3)
    array([0. , 1. , 2.5, 4. , 5.5, 7. , 8.5])
    """
    return _upfirdn(h, x, up, down, axis, mode, cval, None, xp)
