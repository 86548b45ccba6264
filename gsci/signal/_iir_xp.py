"""IIR filtering in Array API code: the native engine behind lfilter and sosfilt.

A cascade of direct form II transposed sections, each of order ``N`` with
``a[0] == 1``, is the affine state recurrence

    s[t] = A s[t-1] + B x[t],    y[t] = s[t-1][0] + b[0] x[t],

with ``A`` the ``N x N`` companion matrix (first column ``-a[1:]``, ones above
the diagonal) and ``B = b[1:] - a[1:] b[0]``. Its solution for every ``t`` is a
prefix scan of affine maps, computed by doubling (Hillis-Steele): ``log2(n)``
steps, each one vectorized over all samples and channels, the ``k``-th adding
``A**(2**k)`` times the partial sums ``2**k`` samples earlier. No Python loop
runs over samples or channels; the loops run over sections and doubling steps.
"""

import functools
import string

from gsci._lib._compat import device, is_dask_namespace, is_jax_namespace


def filter_sections(b, a, x, zi, xp):
    """``x`` (..., n) through the sections ``b, a`` (S, N + 1), state ``zi`` (..., S, N).

    All arrays share one dtype; ``a[:, 0]`` is 1 and ``zi`` has ``x``'s batch
    shape. Returns ``y`` (..., n) and the final state ``zf`` (..., S, N).
    """
    if is_dask_namespace(xp):
        return _filter_sections_dask(b, a, x, zi, xp)
    if is_jax_namespace(xp):
        return _jax_compiled()(b, a, x, zi)
    return _filter_sections(b, a, x, zi, xp)


@functools.cache
def _jax_compiled():
    """JAX: a compiled program per shape, kept small by loops XLA keeps rolled (sections, doubling steps).

    Unrolled, the scan's differently shaped slices make a program that takes seconds to compile.
    """
    import jax
    import jax.numpy as jnp

    def cascade(b, a, x, zi):
        def section(y, coefficients):
            return _df2t(*coefficients[:2], y, coefficients[2], jnp, scan=_affine_prefix_scan_jax)

        y, final = jax.lax.scan(section, x, (b, a, jnp.moveaxis(zi, -2, 0)))
        return y, jnp.moveaxis(final, 0, -2)

    return jax.jit(cascade)


def _affine_prefix_scan_jax(v, transition, xp):
    """`_affine_prefix_scan` as a ``fori_loop``: each step shifts whole rows (roll, zero what wrapped)."""
    import jax

    n = v[0].shape[-1]
    positions = xp.arange(n)

    def double(k, carry):
        v, power = carry
        step = xp.left_shift(1, k)
        shifted = [xp.where(positions >= step, xp.roll(c, step, axis=-1), 0) for c in v]
        v = [c + d for c, d in zip(v, _apply(power, shifted), strict=True)]
        return v, xp.matmul(power, power)

    v, _ = jax.lax.fori_loop(0, max(n - 1, 0).bit_length(), double, (v, transition))
    return v


def _filter_sections(b, a, x, zi, xp):
    y, final = x, []
    for section in range(b.shape[0]):
        y, zf = _df2t(b[section, :], a[section, :], y, zi[..., section, :], xp)
        final.append(zf)
    return y, xp.stack(final, axis=-2)


def _df2t(b, a, x, zi, xp, scan=None):
    order = b.shape[0] - 1
    n = x.shape[-1]
    if order == 0 or n == 0:
        return b[0] * x, zi
    companion = _companion(a, xp)
    # the state as N arrays (..., n), one per component: contiguous elementwise work
    drive = [(b[i + 1] - a[i + 1] * b[0]) * x for i in range(order)]
    initial = _apply(companion, [zi[..., i : i + 1] for i in range(order)])
    v = [xp.concat((d[..., :1] + s, d[..., 1:]), axis=-1) for d, s in zip(drive, initial, strict=True)]
    states = (scan or _affine_prefix_scan)(v, companion, xp)
    previous = xp.concat((zi[..., :1], states[0][..., :-1]), axis=-1)
    return b[0] * x + previous, xp.stack([s[..., -1] for s in states], axis=-1)


def _companion(a, xp):
    """The state transition of direct form II transposed: ``A[i, 0] = -a[i + 1]``, ``A[i, i + 1] = 1``."""
    order = a.shape[0] - 1
    shift = xp.eye(order, order - 1, dtype=a.dtype, device=device(a))
    return xp.concat((-a[1:, None], shift), axis=1)


def _affine_prefix_scan(v, transition, xp):
    """``s[t] = sum_{k <= t} A**(t - k) v[k]`` for the components ``v`` (N arrays (..., n)), by doubling."""
    n = v[0].shape[-1]
    power, step = transition, 1
    while step < n:
        carried = _apply(power, [c[..., : n - step] for c in v])
        v = [xp.concat((c[..., :step], c[..., step:] + d), axis=-1) for c, d in zip(v, carried, strict=True)]
        power = xp.matmul(power, power)
        step *= 2
    return v


def _apply(matrix, components):
    """``matrix @ s`` for states given as their components (a list of arrays)."""
    rows, columns = matrix.shape
    result = []
    for i in range(rows):
        total = matrix[i, 0] * components[0]
        for j in range(1, columns):
            total = total + matrix[i, j] * components[j]
        result.append(total)
    return result


def _filter_sections_dask(b, a, x, zi, xp):
    """Dask, chunk-parallel: the blocked scan.

    Each time chunk is filtered from zero state for its final state; a short
    chain of tiny tasks carries the true state across the chunks (the state
    entering chunk ``c + 1`` is its zero-state final state plus ``A**m_c``
    times the state entering chunk ``c``, ``A`` the cascade's transition over
    one sample); each chunk is then filtered again from its true entering
    state. Twice the arithmetic of one pass, every chunk in parallel, no
    chunk spanning the signal. Blocks are NumPy arrays: they run the Numba
    CPU kernel, as NumPy input does.
    """
    import dask.array as da

    sections, order = b.shape[0], b.shape[1] - 1
    batch, width = x.shape[:-1], sections * order
    state = xp.reshape(zi, (*batch, width)).rechunk((*x.chunks[:-1], -1))
    b, a = b.rechunk(-1), a.rechunk(-1)
    index = string.ascii_lowercase[: x.ndim]
    batch_index, time = index[:-1], index[-1]
    filtered = functools.partial(_chunk_filtered, sections=sections, order=order)
    if width == 0:
        return da.blockwise(
            filtered,
            index,
            x,
            index,
            state,
            batch_index + "Z",
            b,
            "YX",
            a,
            "YX",
            concatenate=True,
            dtype=x.dtype,
            meta=x._meta,
        ), zi
    zero_finals = da.blockwise(
        functools.partial(filtered, final=True),
        index,
        x,
        index,
        da.zeros_like(state),
        batch_index + "Z",
        *(b, "YX", a, "YX"),
        adjust_chunks={time: width},
        concatenate=True,
        align_arrays=False,
        dtype=x.dtype,
        meta=x._meta,
    )
    entering = [state]
    for c, length in enumerate(x.chunks[-1][:-1]):
        zero_final = zero_finals[..., c * width : (c + 1) * width]
        entering.append(
            da.blockwise(
                functools.partial(_carried, length=length, sections=sections, order=order),
                batch_index + "Z",
                zero_final,
                batch_index + "Z",
                entering[-1],
                batch_index + "Z",
                *(b, "YX", a, "YX"),
                concatenate=True,
                dtype=x.dtype,
                meta=x._meta,
            )
        )
    states = da.concatenate(entering, axis=-1)
    y = da.blockwise(
        filtered,
        index,
        x,
        index,
        states,
        index,
        b,
        "YX",
        a,
        "YX",
        concatenate=True,
        align_arrays=False,
        dtype=x.dtype,
        meta=x._meta,
    )
    final = da.blockwise(
        functools.partial(_carried, length=x.chunks[-1][-1], sections=sections, order=order),
        batch_index + "Z",
        zero_finals[..., -width:],
        batch_index + "Z",
        entering[-1],
        batch_index + "Z",
        *(b, "YX", a, "YX"),
        concatenate=True,
        dtype=x.dtype,
        meta=x._meta,
    )
    return y, xp.reshape(final, (*batch, sections, order))


def _chunk_filtered(x, state, b, a, *, sections, order, final=False):
    """One chunk of ``x`` through the cascade from the packed ``state`` (..., S * N): ``y``, or the final
    state packed likewise."""
    import numpy as np

    from gsci.kernels import iir_cpu

    y, zf = iir_cpu.filter_sections(b, a, x, np.reshape(state, (*state.shape[:-1], sections, order)))
    return np.reshape(zf, (*zf.shape[:-2], sections * order)) if final else y


def _carried(zero_final, entering, b, a, *, length, sections, order):
    """The state leaving a chunk of ``length`` samples: its zero-state final state plus the entering
    state carried through ``A**length``."""
    import numpy as np

    power = np.linalg.matrix_power(_cascade_transition(b, a, sections, order), length)
    return zero_final + np.astype(entering @ power.T, zero_final.dtype)


def _cascade_transition(b, a, sections, order):
    """The cascade's state transition over one sample with no input (S * N square, in double precision):
    column j is the state one zero sample after unit state j."""
    import numpy as np

    from gsci.kernels import iir_cpu

    width = sections * order
    dtype = np.result_type(b.dtype, a.dtype, np.float64)
    units = np.reshape(np.eye(width, dtype=dtype), (width, sections, order))
    _, after = iir_cpu.filter_sections(b.astype(dtype), a.astype(dtype), np.zeros((width, 1), dtype), units)
    return np.reshape(after, (width, width)).T
