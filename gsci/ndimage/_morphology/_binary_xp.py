"""Binary erosion and dilation steps in Array API code: the native engine behind the binary morphology.

`erode_or_dilate` repeats one step: each element becomes the AND (erosion)
or the OR (dilation) of the elements at its window ``offsets``, elements
beyond the edges counting as ``border``; where ``mask`` is False an element
keeps its value. ``iterations < 1`` repeats until a step changes nothing.

- NumPy: the Numba CPU kernels (`gsci.kernels.morphology_cpu`): dense passes,
  and for the repeats of a structure whose centre is in it a breadth-first
  propagation from the elements that changed (SciPy's own algorithm).
- Other libraries: ``k`` steps on the input framed ``k`` times by the
  border, each step giving the part where its windows fit (so the frame,
  masked off, keeps the border value).
- Dask: the same steps per block with ``k`` window reaches of its
  neighbours (``map_overlap``-style); until-stable repeats need the whole
  array: Dask runs them (and 0-d arrays) on one block.
- Until stable: JAX runs ``lax.while_loop`` (jittable); other libraries
  run 1, 2, 4, ... steps between checks of the last step's change, one host
  synchronisation per check (repeating a stable step changes nothing, so the
  result is the same as checking after each step).
"""

import functools

from gsci._lib._compat import array_namespace, device, is_dask_namespace, is_jax_namespace, is_numpy_namespace
from gsci._lib._overlap import on_dask_blocks


def erode_or_dilate(x, offsets, mask, border, erode, iterations, propagate, xp):
    """``iterations`` erosion (dilation) steps of bool ``x`` over the int64 NumPy window ``offsets``
    (``(count, ndim)``); ``mask`` bool or None; ``propagate``: the window holds its centre (repeats may
    spread from the changed elements only). A new bool array."""
    if is_numpy_namespace(xp):
        from gsci.kernels import morphology_cpu

        return morphology_cpu.erode_or_dilate(x, offsets, mask, border, erode, iterations, propagate)
    before, after = _reach(offsets, x.ndim)
    if is_dask_namespace(xp):
        return _on_dask(x, offsets, before, after, mask, border, erode, iterations, propagate, xp)
    if iterations >= 1:
        return _steps(x, mask, offsets, before, after, border, erode, iterations, xp)
    step = functools.partial(
        _steps, offsets=offsets, before=before, after=after, border=border, erode=erode, count=1, xp=xp
    )
    if is_jax_namespace(xp):
        return _jax_until_stable(step, x, mask)
    return _until_stable(step, x, mask, xp)


def _reach(offsets, ndim):
    """Window elements before and after the output element on each axis."""
    if offsets.shape[0] == 0:
        return [0] * ndim, [0] * ndim
    return [max(0, int(v)) for v in -offsets.min(axis=0)], [max(0, int(v)) for v in offsets.max(axis=0)]


def _steps(x, mask, offsets, before, after, border, erode, count, xp):
    """``count`` steps: ``x`` (and ``mask``) framed ``count`` times by the border, then valid steps."""
    framed = _framed(_coded(x, mask, xp), [count * b for b in before], [count * a for a in after], border, xp)
    return _valid_steps(framed, offsets=offsets, before=before, after=after, erode=erode, count=count)


def _coded(x, mask, xp):
    """``x`` in bit 0 and where steps apply (``mask``, else everywhere) in bit 1, as uint8."""
    active = 2 if mask is None else xp.astype(mask, xp.uint8) * 2
    return xp.astype(x, xp.uint8) + active


def _framed(code, before, after, border, xp):
    """``code`` with ``before``/``after`` elements on each axis holding ``border`` and no step."""
    for axis, (b, a) in enumerate(zip(before, after, strict=True)):
        parts = []
        for width in (b, a):
            shape = list(code.shape)
            shape[axis] = width
            parts.append(xp.full(tuple(shape), int(border), dtype=xp.uint8, device=device(code)))
        if b or a:
            code = xp.concat([parts[0], code, parts[1]], axis=axis)
    return code


def _valid_steps(code, offsets, before, after, erode, count):
    """``count`` steps of a coded array, each giving the part where its windows fit: bool values."""
    xp = array_namespace(code)
    value, active = (code & 1) == 1, code >= 2
    for _ in range(count):
        shape = [n - b - a for n, b, a in zip(value.shape, before, after, strict=True)]
        centre = tuple(slice(b, b + n) for b, n in zip(before, shape, strict=True))
        combined = None
        for offset in offsets:
            part = value[
                tuple(slice(b + o, b + o + n) for b, o, n in zip(before, offset, shape, strict=True))
            ]
            combined = part if combined is None else (combined & part if erode else combined | part)
        if combined is None:
            combined = xp.full(tuple(shape), erode, dtype=xp.bool, device=device(code))
        value, active = xp.where(active[centre], combined, value[centre]), active[centre]
    return value


def _until_stable(step, x, mask, xp):
    """Steps until one changes nothing: 1, 2, 4, ... steps between host checks of the last one."""
    batch = 1
    while True:
        if batch > 1:
            x = step(x, mask, count=batch - 1)
        stepped = step(x, mask)
        if not bool(xp.any(stepped != x)):  # one host synchronisation per batch
            return stepped
        x, batch = stepped, 2 * batch


def _jax_until_stable(step, x, mask):
    """Steps until one changes nothing, as one ``lax.while_loop`` (jittable)."""
    import jax
    import jax.numpy as jnp

    def body(state):
        value, _ = state
        stepped = step(value, mask)
        return stepped, jnp.any(stepped != value)

    return jax.lax.while_loop(lambda state: state[1], body, body((x, True)))[0]


def _on_dask(x, offsets, before, after, mask, border, erode, iterations, propagate, xp):
    # until stable, the number of steps depends on every value: one block (0-d arrays have only one)
    if iterations < 1 or x.ndim == 0:
        import dask.array as da

        whole = x.rechunk(x.shape)
        arrays = (whole,) if mask is None else (whole, mask.rechunk(x.shape))
        run = functools.partial(
            _on_one_block,
            offsets=offsets,
            border=border,
            erode=erode,
            iterations=iterations,
            propagate=propagate,
            has_mask=mask is not None,
        )
        return da.map_blocks(run, *arrays, dtype=bool, meta=x._meta.astype(bool)).rechunk(x.chunks)
    befores, afters = [iterations * b for b in before], [iterations * a for a in after]
    framed = _framed(_coded(x, mask, xp), befores, afters, border, xp)
    valid = functools.partial(_valid_steps, offsets=offsets, before=before, after=after, erode=erode)
    margins = {axis: (b, a) for axis, (b, a) in enumerate(zip(befores, afters, strict=True)) if b or a}
    return on_dask_blocks(valid, x, framed, margins, dtype=bool, count=iterations)


def _on_one_block(x, *mask, offsets, border, erode, iterations, propagate, has_mask):
    block_xp = array_namespace(x)
    mask = mask[0] if has_mask else None
    return erode_or_dilate(x, offsets, mask, border, erode, iterations, propagate, block_xp)
