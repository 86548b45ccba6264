"""IIR filtering: lfilter, lfilter_zi, sosfilt and sosfilt_zi.

The public functions validate like SciPy and settle dtypes (NumPy's
promotion rules, as SciPy applies them); the recurrence comes from an engine
with one interface, ``filter_sections(b, a, x, zi, xp)`` on the time axis
last: `_filter_sections_on_cpu` (the Numba CPU kernel of
`gsci.kernels.iir_cpu`) for NumPy and torch CPU arrays, `gsci.signal._iir_xp`
(Array API code) for the other libraries, `_filter_sections_on_gpu` (the
Numba CUDA kernels of `gsci.kernels.iir`) on the kernel path.
"""

import functools

import numpy as np

from gsci._lib._arrays import as_array, is_array, library_of, to_host
from gsci._lib._compat import (
    array_namespace,
    device,
    is_dask_array,
    is_dask_namespace,
    is_jax_namespace,
    is_numpy_namespace,
    is_torch_namespace,
)
from gsci._lib._dispatch import gsci_function, one_line_or_fewer_elements
from gsci.signal import _iir_xp

_SUPPORTED = ("float32", "float64", "complex64", "complex128")


def _numpy_result_dtype(xp, *arrays):
    """The dtype NumPy (so SciPy) promotes ``arrays`` to, as ``xp``'s dtype, and its NumPy name."""
    names = [str(a.dtype).rsplit(".", 1)[-1] for a in arrays if a is not None]
    name = np.result_type(*(np.dtype(n) for n in names)).name
    return (getattr(xp, name) if name in _SUPPORTED else None), name


def scipy_loop(name, *arguments):
    """``scipy.signal.<name>`` for NumPy dtypes no gsci engine has (extended precision, object).

    SciPy's compiled loops compute them, or raise SciPy's own errors.
    """
    import scipy.signal

    return getattr(scipy.signal, name)(*arguments)


def _concrete(a, xp):
    """True when ``a``'s values can be inspected: not a Dask array, not a JAX tracer under jit.

    (A NumPy coefficient array given with Dask data is concrete.)
    """
    if is_dask_array(a):
        return False
    if is_jax_namespace(xp):
        import jax

        return not isinstance(a, jax.core.Tracer)
    return True


def _fastest(run, xp, *arrays):
    """``run(*arrays, xp=..., engine=...)`` on the fastest engine for where ``arrays`` live.

    NumPy arrays (torch CPU tensors outside autograd arrive as such: the
    dispatcher's ``torch_as_numpy``) run the Numba CPU kernel `gsci.kernels.iir_cpu`: SciPy's rounding,
    a channel per core, 1.0-2.5x SciPy's compiled loop (BENCHMARKS.md). So do
    JAX arrays on the CPU, through a callback that works under ``jax.jit``
    (`_filter_sections_on_jax_cpu`). Other arrays run `gsci.signal._iir_xp`:
    the kernel block by block on Dask, else the vectorized scan, which
    carries gradients.
    """
    if is_numpy_namespace(xp):
        return run(*arrays, xp=xp, engine=_filter_sections_on_cpu)
    if is_jax_namespace(xp) and _jax_on_cpu():
        return run(*arrays, xp=xp, engine=_filter_sections_on_jax_cpu)
    return run(*arrays, xp=xp, engine=_iir_xp.filter_sections)


def _jax_on_cpu():
    import jax

    return jax.default_backend() == "cpu"


def _filter_sections_on_jax_cpu(b, a, x, zi, xp):
    """The engine interface for JAX on the CPU: the Numba CPU kernel, called back from JAX's program.

    Derivatives come from the scan (`gsci.signal._iir_xp`), which JAX can
    differentiate in both modes: the kernel gives the values, the scan the
    derivatives of the same filter.
    """
    return _jax_cpu_engine()(b, a, x, zi)


@functools.cache
def _jax_cpu_engine():
    import jax
    import jax.numpy as jnp

    def on_host(b, a, x, zi):
        from gsci.kernels import iir_cpu

        return iir_cpu.filter_sections(*(np.asarray(v) for v in (b, a, x, zi)))

    def kernel(b, a, x, zi):
        shapes = (x.shape, (*x.shape[:-1], *b.shape[:1], b.shape[1] - 1))
        results = tuple(jax.ShapeDtypeStruct(shape, x.dtype) for shape in shapes)
        return jax.pure_callback(on_host, results, b, a, x, zi, vmap_method="sequential")

    return _differentiated_as(kernel, functools.partial(_iir_xp.filter_sections, xp=jnp))


def _filter_sections_on_cpu(b, a, x, zi, xp):
    """The engine interface on the Numba CPU kernel (NumPy arrays)."""
    from gsci.kernels import iir_cpu

    return iir_cpu.filter_sections(b, a, x, zi)


def _lfilter(b, a, x, axis, zi, xp, engine):
    x = as_array(x, xp)
    b, a = as_array(b, xp, x), as_array(a, xp, x)
    zi = None if zi is None else as_array(zi, xp, x)
    b = xp.reshape(b, (1,)) if b.ndim == 0 else b
    a = xp.reshape(a, (1,)) if a.ndim == 0 else a
    if b.ndim != 1 or b.shape[0] == 0:
        raise ValueError(f"Parameter b is not a non-empty 1d array, since {b.shape=}!")
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError(f"Parameter a is not a non-empty 1d array, since {a.shape=}!")
    if x.ndim == 0:
        raise ValueError("x must be at least 1-D")
    dtype, name = _numpy_result_dtype(xp, b, a, x, zi)
    if dtype is None and is_numpy_namespace(xp):
        return scipy_loop("lfilter", b, a, x, axis, zi)
    if dtype is None:
        raise NotImplementedError(
            f"Parameter's dtypes produced result type '{name}', which is not supported!"
        )
    if a.shape[0] > 1 and _concrete(a, xp) and bool(a[0] == 0):
        raise ValueError("BUG: filter coefficient a[0] == 0 not supported yet")
    axis = np.lib.array_utils.normalize_axis_index(axis, x.ndim)
    order = max(a.shape[0], b.shape[0]) - 1
    if zi is not None:
        _checked_lfilter_zi(zi, x, axis, order)
    static = {"axis": axis, "order": order, "dtype": dtype, "engine": engine}
    if _runs_as_sections(order, engine, b, a):
        return _computed(_lfilter_by_sections, static, xp, b, a, x, zi, derivatives=_lfilter_computation)
    return _computed(_lfilter_computation, static, xp, b, a, x, zi)


def _lfilter_by_sections(b, a, x, zi, *, axis, order, dtype, engine, xp):
    """`_lfilter_computation`, run by the filter's second-order sections (see `_runs_as_sections`)."""
    sos, into_sections, from_sections = _sections(b, a, order, xp, like=x)
    static = {"axis": axis, "dtype": dtype, "engine": engine, "xp": xp}
    if zi is None:
        return _sosfilt_computation(sos, x, None, **static)
    return _lfilter_as_sections(sos, into_sections, from_sections, x, zi, **static)


def _runs_as_sections(order, engine, b, a):
    """True when the native scan should run the transfer function ``b / a`` as second-order sections.

    The scan squares the state matrix; in transfer-function form its powers
    lose all precision (an order-8 band-pass gives NaN). Coefficients that
    autograd tracks stay as they are, so their gradients flow.
    """
    tracks_grad = any(getattr(c, "requires_grad", False) for c in (b, a))
    scans = engine in (_iir_xp.filter_sections, _filter_sections_on_jax_cpu)  # JAX: for its derivatives
    return scans and order > 2 and not tracks_grad


def _sections(b, a, order, xp, like):
    """The transfer function ``b / a`` as ``(order + 1) // 2`` second-order sections (SciPy's tf2sos).

    Returns ``(sos, into_sections, from_sections)``: the sections, and the
    matrices taking a state of the transfer function's (``lfilter``'s
    ``zi``, ``order`` values) to the cascade's (``2 * sections`` values) and
    back. Computed on the host from the few coefficients, lazily where the
    values are not known yet: a task of the Dask graph, a callback under
    ``jax.jit``. Trailing identity sections fill up when the polynomials
    have leading zeros.
    """
    sections = (order + 1) // 2
    dtype = _numpy_result_dtype(xp, b, a)[0]
    shapes = ((sections, 6), (2 * sections, order), (order, 2 * sections))
    compute = functools.partial(_host_sections, sections=sections, order=order)
    if is_dask_namespace(xp):
        import dask

        results = dask.delayed(compute, nout=3)(b, a)
        return tuple(xp.from_delayed(r, shape=s, dtype=dtype) for r, s in zip(results, shapes, strict=True))
    if is_jax_namespace(xp):
        import jax

        return jax.pure_callback(compute, tuple(jax.ShapeDtypeStruct(s, dtype) for s in shapes), b, a)
    host = [to_host(c, library_of(c), "gsci.signal") for c in (b, a)]
    return tuple(xp.asarray(r, device=device(like)) for r in compute(*host))


def _host_sections(b, a, sections, order):
    """`_sections` on NumPy arrays.

    Two states are the same state when they give the same free response
    (zero input); the first ``2 * sections`` samples decide, the cascade's
    state count. Each map solves that in least squares: a first-order or
    identity section has a state that never reaches the output, which gets 0.
    """
    import scipy.signal

    b, a = np.asarray(b), np.asarray(a)
    sos = _tf2sos(b, a)
    sos = np.concatenate((sos, np.tile([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], (sections - sos.shape[0], 1))))
    silence = np.zeros((2 * sections, 2 * sections))  # 2 * sections >= order samples decide
    free_tf = scipy.signal.lfilter(b, a, silence[:order], zi=np.eye(order))[0].T
    unit_states = np.eye(2 * sections).reshape(2 * sections, sections, 2).transpose(1, 0, 2)
    free_sections = scipy.signal.sosfilt(sos, silence, zi=unit_states)[0].T
    into_sections = np.linalg.lstsq(free_sections, free_tf, rcond=None)[0]
    from_sections = np.linalg.lstsq(free_tf, free_sections, rcond=None)[0]
    dtype = np.result_type(b, a)
    return sos.astype(dtype), into_sections.astype(dtype), from_sections.astype(dtype)


def _tf2sos(b, a):
    """SciPy's ``tf2sos``; for complex coefficients, which it pairs only as conjugates, complex sections.

    A complex section takes two poles, ordered by distance to the unit
    circle as SciPy orders them, and the two remaining zeros nearest to them.
    """

    if not (np.any(np.imag(b)) or np.any(np.imag(a))):
        return _real_tf2sos(np.real(b), np.real(a))
    order = max(b.shape[0], a.shape[0]) - 1
    b, a = _padded_host(b, order + 1), _padded_host(a, order + 1)
    zeros, poles = list(np.roots(b)), np.roots(a)
    poles = poles[np.argsort(np.abs(1 - np.abs(poles)))[::-1]]
    # in powers of 1/z a zero at infinity (b0 == 0, a delay) is the factor [0, 1]
    factors = [[1, -z] for z in zeros] + [[0, 1]] * (order - len(zeros))
    sections = []
    for start in range(0, order, 2):
        pair = poles[start : start + 2]
        nearest = sorted(range(len(factors)), key=lambda i: min(abs(factors[i][1] + p) for p in pair))
        chosen = [factors[i] for i in nearest[: len(pair)]]
        factors = [f for i, f in enumerate(factors) if i not in nearest[: len(pair)]]
        numerator = np.convolve(*chosen) if len(chosen) == 2 else np.append(chosen[0], 0)
        denominator = np.poly(pair) if len(pair) == 2 else np.append(np.poly(pair), 0)
        sections.append(np.concatenate((numerator, denominator)))
    sos = np.array(sections, dtype=np.result_type(b, a))
    sos[0, :3] *= b[np.flatnonzero(b)[0]] / a[0]
    return sos


def _real_tf2sos(b, a):
    """SciPy's ``tf2sos``, keeping the delay of leading zeros in ``b``, which SciPy drops (it reads
    ``b`` as a polynomial in z): each delay moves a section's numerator one tap later where its last tap
    is free (leading zeros leave as many free taps as they delay)."""
    import scipy.signal

    delay = int(np.argmax(b != 0)) if np.any(b) else 0
    sos = scipy.signal.tf2sos(b[delay:], a)
    for row in sos:
        while delay and row[2] == 0:
            row[:3] = (0.0, row[0], row[1])
            delay -= 1
    if delay:  # no section had a free tap: one more, a pure delay of one or two samples each
        two, one = [0.0, 0.0, 1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0, 0.0, 0.0]
        sos = np.concatenate((sos, np.array([two] * (delay // 2) + [one] * (delay % 2), dtype=sos.dtype)))
    return sos


def _padded_host(c, length):
    return np.concatenate((c, np.zeros(length - c.shape[0], dtype=c.dtype)))


def _lfilter_as_sections(sos, into_sections, from_sections, x, zi, *, axis, dtype, engine, xp):
    """`lfilter` with ``zi`` run by the sections of the same filter: ``zi`` mapped in, ``zf`` mapped back."""
    batch = x.shape[:axis] + x.shape[axis + 1 :]
    order = into_sections.shape[1]
    state = xp.broadcast_to(xp.moveaxis(xp.astype(zi, dtype), axis, -1), (*batch, order))
    cascade = xp.reshape(state @ xp.astype(into_sections, dtype).T, (*batch, sos.shape[0], 2))
    sos = xp.astype(sos, dtype)
    x_last = xp.moveaxis(xp.astype(x, dtype, copy=False), axis, -1)
    y, zf = engine(sos[:, :3], sos[:, 3:], x_last, cascade, xp)
    zf = xp.reshape(zf, (*batch, 2 * sos.shape[0])) @ xp.astype(from_sections, dtype).T
    return xp.moveaxis(y, -1, axis), xp.moveaxis(zf, -1, axis)


def _computed(computation, static, xp, *arrays, derivatives=None):
    """``computation(*arrays, **static, xp=xp)``; on JAX one compiled program per shape and options.

    On Dask, NumPy coefficients (left as they are by the dispatcher, so that
    their values could be checked) become arrays of the graph here.

    Eagerly, JAX compiles every operation for every new shape: one program
    compiles faster. ``derivatives``, a computation of the same function by
    the scan, gives JAX the derivatives where ``computation`` calls back to
    the host.
    """
    if is_jax_namespace(xp):
        return _jax_program(computation, derivatives, tuple(static.items()))(*arrays)
    if is_dask_namespace(xp):  # NumPy coefficients (checked on the host) join the graph
        arrays = [xp.asarray(a) if isinstance(a, np.ndarray) else a for a in arrays]
    return computation(*arrays, **static, xp=xp)


@functools.cache
def _jax_program(computation, derivatives, static):
    import jax
    import jax.numpy as jnp

    program = functools.partial(computation, **dict(static), xp=jnp)
    if derivatives is not None:
        scan = {**dict(static), "engine": _iir_xp.filter_sections}
        program = _differentiated_as(program, functools.partial(derivatives, **scan, xp=jnp))
    return jax.jit(program)


def _differentiated_as(values, reference):
    """``values`` for JAX, with the derivatives of ``reference``: the same function, differentiable."""
    import jax

    function = jax.custom_jvp(values)

    @function.defjvp
    def jvp(primals, tangents):
        return values(*primals), jax.jvp(reference, primals, tangents)[1]

    return function


def _lfilter_computation(b, a, x, zi, *, axis, order, dtype, engine, xp):
    batch = x.shape[:axis] + x.shape[axis + 1 :]
    if zi is None:
        state = xp.zeros((*batch, order), dtype=dtype, device=device(x))
    else:
        state = xp.broadcast_to(xp.moveaxis(xp.astype(zi, dtype), axis, -1), (*batch, order))
    b, a = _normalized(xp.astype(b, dtype), xp.astype(a, dtype), order, xp)
    x_last = xp.moveaxis(xp.astype(x, dtype, copy=False), axis, -1)
    y, zf = engine(b[None, :], a[None, :], x_last, state[..., None, :], xp)
    y = xp.moveaxis(y, -1, axis)
    if zi is None:
        return y
    return y, xp.moveaxis(zf[..., 0, :], -1, axis)


def _checked_lfilter_zi(zi, x, axis, order):
    """SciPy's rule: ``x``'s rank, ``order`` along ``axis``, other lengths equal or 1."""
    expected = (*x.shape[:axis], order, *x.shape[axis + 1 :])
    fits = zi.ndim == x.ndim and all(
        z == e or (k != axis and z == 1) for k, (z, e) in enumerate(zip(zi.shape, expected, strict=True))
    )
    if not fits:
        raise ValueError(f"Unexpected shape for zi: expected {expected}, found {tuple(zi.shape)}.")
    return zi


def _normalized(b, a, order, xp):
    """``b`` and ``a`` of length ``order + 1`` (zero-padded), divided by ``a[0]``."""
    b = _padded(b, order + 1, xp)
    a = _padded(a, order + 1, xp)
    return b / a[0], a / a[0]


def _padded(c, length, xp):
    if c.shape[0] == length:
        return c
    return xp.concat((c, xp.zeros(length - c.shape[0], dtype=c.dtype, device=device(c))))


def _sosfilt(sos, x, axis, zi, xp, engine):
    x = as_array(x, xp)
    sos = as_array(sos, xp, x)
    zi = None if zi is None else as_array(zi, xp, x)
    if x.ndim == 0:
        raise ValueError("x must be at least 1-D")
    sos = _checked_sos(sos, xp)
    dtype, name = _numpy_result_dtype(xp, sos, x, zi)
    if dtype is None and is_numpy_namespace(xp):
        return scipy_loop("sosfilt", sos, x, axis, zi)
    if dtype is None:
        raise NotImplementedError(f"input type '{name}' not supported")
    sections = sos.shape[0]
    axis_given = axis
    axis = np.lib.array_utils.normalize_axis_index(axis, x.ndim)
    if zi is not None:
        expected = (sections, *x.shape[:axis], 2, *x.shape[axis + 1 :])
        if tuple(zi.shape) != expected:
            raise ValueError(
                f"Invalid zi shape. With axis={axis_given!r}, an input with shape {tuple(x.shape)!r}, "
                f"and an sos array with {sections} sections, zi must have shape {expected!r}, "
                f"got {tuple(zi.shape)!r}."
            )
    static = {"axis": axis, "dtype": dtype, "engine": engine}
    return _computed(_sosfilt_computation, static, xp, sos, x, zi)


def _checked_sos(sos, xp):
    """``sos`` as a 2-D array of rows ``[b0, b1, b2, 1, a1, a2]``, checked as SciPy does.

    The check of ``a0 == 1`` looks at values: on Dask and under ``jax.jit``,
    where they are not at hand, a bad ``sos`` becomes all NaN instead.
    """
    if sos.ndim < 2:
        sos = xp.reshape(sos, (1,) * (2 - sos.ndim) + tuple(sos.shape))
    if sos.ndim != 2:
        raise ValueError(f"sos array must be 2D, got {sos.shape=}")
    if sos.shape[1] != 6:
        raise ValueError(f"sos array must be shape (n_sections, 6), got {sos.shape=}")
    if not _concrete(sos, xp):
        return xp.where(xp.all(sos[:, 3] == 1), sos, xp.nan)
    if not bool(array_namespace(sos).all(sos[:, 3] == 1)):  # (a NumPy sos with Dask data: NumPy's all)
        raise ValueError("sos[:, 3] should be all ones")
    return sos


def _sosfilt_computation(sos, x, zi, *, axis, dtype, engine, xp):
    batch = x.shape[:axis] + x.shape[axis + 1 :]
    if zi is None:
        state = xp.zeros((*batch, sos.shape[0], 2), dtype=dtype, device=device(x))
    else:
        state = xp.moveaxis(xp.astype(zi, dtype), (0, axis + 1), (-2, -1))
    sos = xp.astype(sos, dtype)
    x_last = xp.moveaxis(xp.astype(x, dtype, copy=False), axis, -1)
    y, zf = engine(sos[:, :3], sos[:, 3:], x_last, state, xp)
    y = xp.moveaxis(y, -1, axis)
    if zi is None:
        return y
    return y, xp.moveaxis(zf, (-2, -1), (0, axis + 1))


def _filter_sections_on_gpu(b, a, x, zi, xp):
    """The engine interface on the CUDA kernels; torch's own operations where autograd tracks a tensor.

    Many channels run one thread each; few long ones a blocked scan over
    time chunks (`gsci.kernels.iir.chunking` decides). Complex dtypes,
    cascades with more state than the kernels' local array
    (`gsci.kernels.iir.MAX_STATE`), and the trivial cases (no state, no
    samples) take the native engine.
    """
    from gsci.kernels import iir

    tracks_grad = any(getattr(t, "requires_grad", False) for t in (b, a, x, zi))
    sections, order = b.shape[0], b.shape[1] - 1
    state_size = sections * order
    trivial = state_size == 0 or 0 in x.shape
    if tracks_grad or trivial or state_size > iir.MAX_STATE or x.dtype not in (xp.float32, xp.float64):
        return _iir_xp.filter_sections(b, a, x, zi, xp)
    batch, n = x.shape[:-1], x.shape[-1]
    channels = int(np.prod(batch))
    signals = xp.reshape(x, (channels, n))
    state = _contiguous(xp.reshape(zi, (channels, state_size)), xp)
    b, a = _contiguous(b, xp), _contiguous(a, xp)
    chunking = iir.chunking(channels, n)
    if chunking is None:
        y, zf = _filter_channels_on_gpu(b, a, signals, state, xp)
    else:
        y, zf = _filter_chunks_on_gpu(b, a, signals, state, *chunking, xp)
    return xp.reshape(y, (*batch, n)), xp.reshape(zf, (*batch, sections, order))


def _filter_channels_on_gpu(b, a, signals, state, xp):
    """One thread per channel: ``signals`` (channels, n) from ``state`` (channels, size)."""
    from gsci.kernels import iir

    # time-major (n, channels): at each step the threads of a warp read adjacent channels (coalesced)
    x_time_major = _contiguous(xp.permute_dims(signals, (1, 0)), xp)
    y = _empty_like_data(x_time_major.shape, signals, xp)
    zf = _empty_like_data(state.shape, signals, xp)
    iir.filter_sections(b, a, x_time_major, state, y, zf)
    return xp.permute_dims(y, (1, 0)), zf


def _filter_chunks_on_gpu(b, a, signals, state, count, length, xp):
    """The blocked scan: ``signals`` (channels, n) as ``count`` chunks of ``length`` samples each."""
    from gsci.kernels import iir

    (channels, n), size = signals.shape, state.shape[1]
    lanes = channels * count
    padding = count * length - n
    if padding:
        zeros = xp.zeros((channels, padding), dtype=signals.dtype, device=device(signals))
        signals = xp.concat((signals, zeros), axis=1)
    # time-major within chunks (length, lanes), lane c * count + k for chunk k of channel c (coalesced)
    chunks = _contiguous(xp.permute_dims(xp.reshape(signals, (lanes, length)), (1, 0)), xp)
    finals = _empty_like_data((lanes, size), signals, xp)
    transition = _empty_like_data((size, size), signals, xp)
    iir.chunk_final_states_into(b, a, chunks, finals, transition)
    entering = _empty_like_data((lanes, size), signals, xp)
    iir.chunk_carries_into(finals, transition, state, entering)
    y = _empty_like_data(chunks.shape, signals, xp)
    zf = _empty_like_data((lanes, size), signals, xp)
    last_length = n - (count - 1) * length
    iir.filter_sections(b, a, chunks, entering, y, zf, chunks_per_channel=count, last_length=last_length)
    y = xp.reshape(xp.permute_dims(y, (1, 0)), (channels, count * length))[:, :n]
    return y, xp.reshape(zf, (channels, count, size))[:, -1, :]


def _empty_like_data(shape, like, xp):
    return xp.empty(shape, dtype=like.dtype, device=device(like))


def _contiguous(a, xp):
    if is_torch_namespace(xp):
        return a.contiguous()
    if is_numpy_namespace(xp):
        return np.ascontiguousarray(a)
    import cupy

    return cupy.ascontiguousarray(a)


# NumPy data for which SciPy's loop is faster (measured, BENCHMARKS.md): one line, or little work. On one
# line the recurrence is latency-bound, so SciPy's compiled loop is as fast as any kernel and costs less
# per call; the kernel gains by filtering lines on every core, which pays from about 2^15 samples.
_ONE_LINE_OR_LITTLE = one_line_or_fewer_elements(2**15)


# a few coefficients: SciPy's host code costs less per call than array code (BENCHMARKS.md)
_FEW_COEFFICIENTS = {"numpy": "a few coefficients: SciPy's host code costs less per call"}


def _lfilter_kernel(b, a, x, axis=-1, zi=None, *, xp):
    """`lfilter` on the kernel path (the CUDA IIR kernel)."""
    return _lfilter(b, a, x, axis, zi, xp, _filter_sections_on_gpu)


def _sosfilt_kernel(sos, x, axis=-1, zi=None, *, xp):
    """`sosfilt` on the kernel path (the CUDA IIR kernel)."""
    return _sosfilt(sos, x, axis, zi, xp, _filter_sections_on_gpu)


@gsci_function(
    "signal",
    arrays=("x",),
    operators=("b", "a", "zi"),
    kernel=_lfilter_kernel,
    scipy_when=_ONE_LINE_OR_LITTLE,
    torch_as_numpy=True,
)
def lfilter(b, a, x, axis=-1, zi=None, *, xp):
    """Filter data along one dimension with an IIR or FIR filter (`scipy.signal.lfilter`).

    Direct form II transposed:
    ``a[0] y[n] = sum_k b[k] x[n - k] - sum_{k >= 1} a[k] y[n - k]``.

    Parameters
    ----------
    b : array_like
        The numerator coefficient vector in a 1-D sequence.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    a : array_like
        The denominator coefficient vector in a 1-D sequence. If ``a[0]`` is
        not 1, both `a` and `b` are normalized by ``a[0]``.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    x : array_like
        An N-dimensional input array.
    axis : int, optional
        The axis of the input data array along which to apply the filter.
        Default is -1.
    zi : array_like, optional
        Initial conditions for the filter delays, of ``x``'s shape with
        ``x.shape[axis]`` replaced by ``max(len(a), len(b)) - 1`` (other
        lengths may be 1). None (default) means initial rest.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.

    Returns
    -------
    y : array
        The output of the digital filter.
    zf : array, optional
        The final filter delay values, returned only when `zi` is given.

    Notes
    -----
    NumPy arrays, torch CPU tensors outside autograd and JAX arrays on the
    CPU (called back from JAX's program, so it works under ``jax.jit``; JAX
    differentiates the scan below instead) run a Numba CPU kernel with
    SciPy's rounding, a channel per core; so does each block of a Dask
    array, lazily and chunk-parallel along time (a blocked scan: each chunk
    filtered from zero state, the true states carried across the chunks by
    tiny tasks, each chunk filtered again from its own). On CUDA arrays a Numba
    kernel runs one thread per channel, or a blocked scan over time chunks
    for few long channels. Elsewhere (array-api-strict, autograd, JAX on a
    GPU) the recurrence runs as a vectorized prefix scan of the state's affine
    maps (``log2(len(x))`` steps over all samples): its rounding differs
    from SciPy's sequential loop by a few ulps times the filter's condition.
    There a filter of order above 2 runs as second-order sections (SciPy's
    ``tf2sos`` of the coefficients, on the host, or lazily on Dask and under
    ``jax.jit``; `zi` and `zf` are mapped between the two forms' states):
    the scan loses all precision on the transfer-function form of, e.g., an
    order-8 band-pass. The result then differs from SciPy's by the rounding
    of SciPy's transfer-function recurrence (1e-8 relative for that
    band-pass). Coefficients that autograd tracks keep the transfer-function
    form, so their gradients flow. The checks of ``a[0] == 0`` look at
    values: they are skipped for Dask and under ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal._iir import lfilter
    >>> lfilter([1.0], [1.0, -0.5], np.ones(4))
    array([1.   , 1.5  , 1.75 , 1.875])
    """
    return _fastest(lambda b, a, x, zi, xp, engine: _lfilter(b, a, x, axis, zi, xp, engine), xp, b, a, x, zi)


@gsci_function(
    "signal",
    arrays=("x",),
    operators=("sos", "zi"),
    kernel=_sosfilt_kernel,
    scipy_when=_ONE_LINE_OR_LITTLE,
    torch_as_numpy=True,
)
def sosfilt(sos, x, axis=-1, zi=None, *, xp):
    """Filter data along one dimension using cascaded second-order sections (`scipy.signal.sosfilt`).

    Parameters
    ----------
    sos : array_like
        Array of second-order filter coefficients, shape ``(n_sections, 6)``:
        ``[b0, b1, b2, a0, a1, a2]`` per row, with ``a0 == 1``.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    x : array_like
        An N-dimensional input array.
    axis : int, optional
        The axis of the input data array along which to apply the filter.
        Default is -1.
    zi : array_like, optional
        Initial conditions for the cascaded filter delays, of shape
        ``(n_sections, ..., 2, ...)``: ``x``'s shape with ``x.shape[axis]``
        replaced by 2, after a leading ``n_sections``.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.

    Returns
    -------
    y : array
        The output of the digital filter.
    zf : array, optional
        The final filter delay values, returned only when `zi` is given.

    Notes
    -----
    Paths as in `lfilter`. The check ``sos[:, 3] == 1`` looks at values: on
    Dask and under ``jax.jit``, where they are not at hand, a bad `sos`
    gives NaN instead of SciPy's ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal._iir import sosfilt
    >>> sosfilt([[1.0, 0.0, 0.0, 1.0, -0.5, 0.0]], np.ones(4))
    array([1.   , 1.5  , 1.75 , 1.875])
    """
    return _fastest(lambda sos, x, zi, xp, engine: _sosfilt(sos, x, axis, zi, xp, engine), xp, sos, x, zi)


@gsci_function("signal", arrays=("y", "x"), operators=("b", "a"), scipy_for=_FEW_COEFFICIENTS)
def lfiltic(b, a, y, x=None, *, xp):
    """Construct initial conditions for lfilter given input and output vectors (`scipy.signal.lfiltic`).

    Parameters
    ----------
    b, a : array_like
        The filter's numerator and denominator coefficients (1-D).
        NumPy arrays and sequences are accepted with `y` of any library: they move to its device.
    y : array_like
        The past outputs, newest first: ``y = [y[-1], y[-2], ..., y[-N]]``
        with ``N = len(a) - 1``; zero-padded if shorter.
    x : array_like, optional
        The past inputs, newest first: ``x = [x[-1], ..., x[-M]]`` with
        ``M = len(b) - 1``; zero-padded if shorter. None (default) means zeros.

    Returns
    -------
    zi : array
        The state for `lfilter`, of length ``max(M, N)``.

    Notes
    -----
    The state is ``H(b) x - H(a) y`` for the two Hankel matrices of the
    coefficients, computed where the arrays live. The check ``a[0] != 0``
    looks at values: on Dask and under ``jax.jit`` it is skipped, and
    ``a[0] == 0`` gives inf or NaN.

    Examples
    --------
    >>> from gsci.signal._iir import lfiltic
    >>> lfiltic([1.0], [1.0, -0.5], [2.0]).tolist()
    [1.0]
    """
    like = next((v for v in (b, a, y, x) if is_array(v)), np.empty(0))
    b, a = _at_least_1d(as_array(b, xp, like), xp), _at_least_1d(as_array(a, xp, like), xp)
    if a.ndim > 1:
        raise ValueError("Filter coefficients `a` must be 1-D.")
    if b.ndim > 1:
        raise ValueError("Filter coefficients `b` must be 1-D.")
    if a.shape[0] == 0:
        raise ValueError("There must be at least one `a` coefficient.")
    y = as_array(y, xp, like)
    x = None if x is None else as_array(x, xp, like)
    dtype = xp.result_type(*(c for c in (b, a, y, x) if c is not None))
    if xp.isdtype(dtype, ("bool", "integral")):
        dtype = xp.float64
    inputs, outputs = b.shape[0] - 1, a.shape[0] - 1
    size = max(inputs, outputs)
    zi = -_hankel(a, size, outputs, dtype, xp) @ _exactly(xp.reshape(y, (-1,)), outputs, dtype, xp)
    if x is not None:
        zi = zi + _hankel(b, size, inputs, dtype, xp) @ _exactly(xp.reshape(x, (-1,)), inputs, dtype, xp)
    if _concrete(a, xp) and bool(a[0] == 0):
        raise ValueError("First `a` filter coefficient must be non-zero.")
    return zi / xp.astype(a[0], dtype)


def _hankel(c, rows, columns, dtype, xp):
    """``H[m, k] = c[m + 1 + k]``, zero past the end of ``c``: the (rows, columns) matrix lfiltic sums."""
    tail = _padded(xp.astype(c[1:], dtype), rows + columns, xp)
    indices = xp.arange(rows, device=device(c))[:, None] + xp.arange(columns, device=device(c))[None, :]
    return xp.reshape(xp.take(tail, xp.reshape(indices, (-1,))), (rows, columns))


def _exactly(v, length, dtype, xp):
    """``v`` cut or zero-padded to ``length`` samples, as ``dtype``."""
    return _padded(xp.astype(v[: min(length, v.shape[0])], dtype), length, xp)


def _at_least_1d(c, xp):
    return xp.reshape(c, (1,)) if c.ndim == 0 else c


@gsci_function("signal", arrays=("b", "a"), scipy_for=_FEW_COEFFICIENTS)
def lfilter_zi(b, a, *, xp):
    """Construct initial conditions for lfilter for step response steady-state (`scipy.signal.lfilter_zi`).

    Parameters
    ----------
    b, a : array_like (1-D)
        The IIR filter coefficients.

    Returns
    -------
    zi : 1-D array
        The initial state for the filter: ``lfilter(b, a, ones, zi=zi)`` is
        constant.

    Notes
    -----
    Solved in closed form (SciPy solves the linear system ``(I - A) zi = B``).
    Leading zeros of `a` are stripped as in SciPy when its values can be
    inspected (not for Dask or under ``jax.jit``, where they stay).

    Examples
    --------
    >>> from gsci.signal._iir import lfilter_zi
    >>> lfilter_zi([1.0], [1.0, -0.5]).tolist()
    [1.0]
    """
    like = next((v for v in (b, a) if is_array(v)), np.empty(0))
    b, a = (
        _float_coefficients(as_array(b, xp, like), xp),
        _float_coefficients(as_array(a, xp, like), xp),
    )
    b = xp.reshape(b, (1,)) if b.ndim == 0 else b
    a = xp.reshape(a, (1,)) if a.ndim == 0 else a
    if b.ndim != 1:
        raise ValueError("Numerator b must be 1-D.")
    if a.ndim != 1:
        raise ValueError("Denominator a must be 1-D.")
    if a.shape[0] == 0:
        raise ValueError("There must be at least one nonzero `a` coefficient.")
    if _concrete(a, xp) and a.shape[0] > 1:
        nonzero = [bool(a[i] != 0) for i in range(a.shape[0] - 1)]
        a = a[nonzero.index(True) if True in nonzero else a.shape[0] - 1 :]
    order = max(a.shape[0], b.shape[0]) - 1
    dtype, _ = _numpy_result_dtype(xp, b, a)
    return _computed(_lfilter_zi_computation, {"order": order, "dtype": dtype}, xp, b, a)


def _lfilter_zi_computation(b, a, *, order, dtype, xp):
    b, a = _normalized(xp.astype(b, dtype), xp.astype(a, dtype), order, xp)
    return _steady_state(b, a, xp)


def _float_coefficients(c, xp):
    """Integer and bool coefficients compute in float64, as SciPy's division makes them."""
    return c if xp.isdtype(c.dtype, ("real floating", "complex floating")) else xp.astype(c, xp.float64)


def _steady_state(b, a, xp):
    """The state ``zi`` with ``zi = A zi + B`` for sections ``b, a`` (..., N + 1), ``a[..., 0] == 1``.

    Closed form: ``zi[0] = sum(B) / sum(a)``, ``zi[k] = (a[0] + ... + a[k]) zi[0] - (B[0] + ... + B[k-1])``.
    """
    drive = b[..., 1:] - a[..., 1:] * b[..., :1]
    first = xp.sum(drive, axis=-1, keepdims=True) / xp.sum(a, axis=-1, keepdims=True)
    a_sums = xp.cumulative_sum(a[..., :-1], axis=-1)
    drive_sums = xp.cumulative_sum(drive[..., :-1], axis=-1, include_initial=True)
    return a_sums * first - drive_sums


@gsci_function("signal", arrays=("sos",))
def sosfilt_zi(sos, *, xp):
    """Construct initial conditions for sosfilt for step response steady-state (`scipy.signal.sosfilt_zi`).

    Parameters
    ----------
    sos : array_like
        Second-order sections, shape ``(n_sections, 6)``.

    Returns
    -------
    zi : array
        Initial conditions, shape ``(n_sections, 2)``: ``sosfilt(sos, ones,
        zi=zi)`` is constant.

    Examples
    --------
    >>> from gsci.signal._iir import sosfilt_zi
    >>> sosfilt_zi([[1.0, 0.0, 0.0, 1.0, -0.5, 0.0]]).tolist()
    [[1.0, 0.0]]
    """
    sos = _float_coefficients(as_array(sos, xp, np.empty(0)), xp)
    if sos.ndim != 2 or sos.shape[1] != 6:
        raise ValueError(f"sos must be shape (n_sections, 6), got {sos.shape=}")
    return _computed(_sosfilt_zi_computation, {}, xp, sos)


def _sosfilt_zi_computation(sos, *, xp):
    b, a = sos[:, :3] / sos[:, 3:4], sos[:, 3:] / sos[:, 3:4]
    zi = _steady_state(b, a, xp)
    gains = xp.sum(sos[:, :3], axis=-1) / xp.sum(sos[:, 3:], axis=-1)
    scales, scale = [], xp.ones((), dtype=sos.dtype, device=device(sos))
    for section in range(sos.shape[0]):  # few sections; the scale is the product of the gains before
        scales.append(scale)
        scale = scale * gains[section]
    if not scales:
        return zi
    return xp.stack(scales)[:, None] * zi
