"""Per-label reductions over a sequence of labels (``index``): one small interface, an engine per array kind.

`statistics(kind, input, labels, keys, xp)` reduces ``input`` over the
elements whose label equals each entry of ``keys`` (the flat index, already
in the dtype labels compare in), without a Python loop over labels, and
returns a dict of arrays with one value per key (see `KINDS`). Each element
belongs to one "slot": the first key equal to its label, or the last slot
(``nslots``, "no key") when there is none; duplicate keys share a slot.

Engines:

- NumPy: Numba CPU kernels (`gsci.kernels.measurements_cpu`), slots from a
  lookup table over the keys' range (integer labels), else from a binary
  search (float labels, a range much larger than the data);
- any other library (torch, JAX, array-api-strict, CuPy): slots by a sorted
  search (``sort`` + ``searchsorted``), then the library's own scatter
  (``bincount``/``index_add``/``scatter_reduce`` for torch, ``.at[]`` for
  JAX, ``cupyx.scatter_*`` for CuPy) or, in the Array API alone, a stable
  sort of the slots and cumulative sums. Runs under ``jax.jit`` (the number of
  keys sets every shape);
- Dask: each block reduces with its own library's engine into partial
  results (counts, sums, centred squares, extrema with global positions,
  histograms), which combine with Dask's reductions: lazy, chunk-parallel,
  one task per block. Medians need every value of a label at once: the
  input and labels go to one chunk first (a documented cost).
"""

import math

import numpy as np

from gsci._lib._arrays import NUMPY
from gsci._lib._compat import (
    device,
    is_dask_namespace,
    is_jax_namespace,
    is_numpy_namespace,
    is_torch_namespace,
)
from gsci._lib._torch_cpu import as_torch, numpy_views

KINDS = {
    "sums": ("count", "sum"),
    "variance": ("count", "sum", "squares"),
    "extrema": ("min", "max", "argmin", "argmax"),
    "median": ("median",),
    "histogram": ("histogram",),
}


def statistics(kind, input, labels, keys, xp, bins=None):
    """``kind``'s results (`KINDS`) for each of ``keys``: arrays of ``xp`` with ``keys.shape[0]`` rows.

    ``input`` and ``labels`` have one shape; ``keys`` is 1-D. For "histogram",
    ``bins`` is ``(edges, count)``: host bin edges and their number of bins.
    """
    if is_dask_namespace(xp):
        return _dask_statistics(kind, input, labels, keys, xp, bins)
    views = None if is_numpy_namespace(xp) else numpy_views(input, labels, keys)
    if views is not None:  # torch CPU tensors outside autograd: the Numba kernels on zero-copy views
        result = statistics(kind, *views, NUMPY, bins)
        return {name: as_torch(np.ascontiguousarray(value)) for name, value in result.items()}
    slots, gather, nslots = assign_slots(labels, keys, xp)
    per_slot = _reduce(kind, input, slots, nslots, xp, bins)
    return {name: xp.take(value, gather, axis=0) for name, value in per_slot.items()}


def assign_slots(labels, keys, xp):
    """``(slots, gather, nslots)``: each element's slot (a NumPy lookup ``(lo, table)`` or an array),
    each key's slot, and the number of keys."""
    nslots = keys.shape[0]
    if is_numpy_namespace(xp):
        return _numpy_slots(labels, keys, nslots)
    order = xp.argsort(keys, stable=True)
    ordered = xp.take(keys, order)
    flat = xp.reshape(xp.astype(labels, keys.dtype, copy=False), (-1,))
    where = xp.searchsorted(ordered, flat)
    nearest = xp.take(ordered, xp.clip(where, max=max(nslots - 1, 0))) if nslots else flat
    slots = xp.where((where < nslots) & (nearest == flat), where, nslots)
    return xp.astype(slots, xp.int64), xp.astype(xp.searchsorted(ordered, keys), xp.int64), nslots


def _numpy_slots(labels, keys, nslots):
    flat = np.ravel(labels)
    if flat.dtype == np.bool_:
        flat = flat.view(np.uint8)
    if nslots and flat.dtype.kind in "iu":
        lo, hi = int(keys.min()), int(keys.max())
        if hi - lo < 4 * (flat.size + nslots) + 1024:  # a table no larger than a few times the data
            table = np.full(hi - lo + 1, nslots, np.int64)
            table[keys[::-1] - lo] = np.arange(nslots - 1, -1, -1)  # the first of equal keys wins
            return (flat, lo, table), table[keys - lo], nslots
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    where = np.searchsorted(ordered, flat.astype(keys.dtype, copy=False))
    nearest = ordered[np.minimum(where, max(nslots - 1, 0))] if nslots else flat
    slots = np.where(
        (where < nslots) & (nearest == flat), order[np.minimum(where, max(nslots - 1, 0))], nslots
    )
    gather = order[np.searchsorted(ordered, keys)]
    return (slots, 0, np.arange(nslots + 1, dtype=np.int64)), gather, nslots


def _reduce(kind, input, slots, nslots, xp, bins):
    if is_numpy_namespace(xp):
        return _numpy_reduce(kind, input, slots, nslots, bins)
    return _xp_reduce(kind, input, slots, nslots, xp, bins)


# --- NumPy: the Numba kernels ---------------------------------------------------------------------


def _numpy_reduce(kind, input, slots, nslots, bins):
    from gsci.kernels import measurements_cpu as kernels

    flat, lo, table = slots
    values = _kernel_values(input)
    if kind == "histogram":
        return {
            "histogram": _histogram_counts(
                np, values, _numpy_slot_array(flat, lo, table, nslots), nslots, bins
            )
        }
    if kind == "median":
        middle, _ = kernels.medians(flat, values, lo, table, nslots)
        return {"median": np.append(middle, 0.0)}
    if kind == "extrema":
        found, low, high, low_at, high_at = kernels.extrema(flat, values, lo, table, nslots)
        own = input.dtype
        return {
            "min": np.where(found, low, 0).astype(own),
            "max": np.where(found, high, 0).astype(own),
            "argmin": np.where(found, low_at, 0),
            "argmax": np.where(found, high_at, 0),
        }
    counts, sums = kernels.counts_and_sums(flat, values, lo, table, nslots)
    result = {"count": counts, "sum": sums}
    if kind == "variance":
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums / counts
        result["squares"] = kernels.centred_squares(flat, values, lo, table, means)
    return result


def _kernel_values(input):
    values = np.ravel(input)
    if values.dtype == np.bool_:
        return values.view(np.uint8)
    if values.dtype == np.float16:
        return values.astype(np.float32)
    return values


def _numpy_slot_array(flat, lo, table, nslots):
    offset = flat.astype(np.int64) - lo
    inside = (offset >= 0) & (offset < table.shape[0])
    return np.where(inside, table[np.clip(offset, 0, table.shape[0] - 1)], nslots)


# --- any Array API library --------------------------------------------------------------------


def comparable_dtype(dtype, xp):
    """The dtype in which values of ``dtype`` sort and compare everywhere: bool as uint8, and torch's
    uint16/32/64 (which its CPU reductions and sorts lack) as int64."""
    if xp.isdtype(dtype, "bool"):
        return xp.uint8
    if is_torch_namespace(xp) and xp.isdtype(dtype, "unsigned integer") and dtype != xp.uint8:
        return xp.int64
    return dtype


def _xp_reduce(kind, input, slots, nslots, xp, bins):
    values = xp.reshape(input, (-1,))
    if kind == "median":
        values = xp.astype(values, comparable_dtype(values.dtype, xp), copy=False)
    n = nslots + 1
    if kind == "histogram":
        return {"histogram": _histogram_counts(xp, values, slots, nslots, bins)}
    if kind == "median":
        return {"median": _xp_medians(values, slots, n, xp)}
    counts = _add(slots, xp.ones(slots.shape, dtype=xp.int64, device=device(values)), n, xp)
    if kind == "extrema":
        return _xp_extrema(values, slots, counts, n, xp)
    sums = _add(slots, xp.astype(values, xp.float64), n, xp)
    result = {"count": counts, "sum": sums}
    if kind == "variance":
        means = sums / xp.astype(counts, xp.float64)
        deviation = xp.astype(values, xp.float64) - xp.take(means, slots)
        result["squares"] = _add(slots, deviation * deviation, n, xp)
    return result


def _xp_extrema(values, slots, counts, n, xp):
    found = counts > 0
    flat_positions = xp.arange(values.shape[0], dtype=xp.int64, device=device(values))
    own = comparable_dtype(values.dtype, xp)
    v = xp.astype(values, own)
    low, high = _min(slots, v, n, xp), _max(slots, v, n, xp)
    past = values.shape[0]
    low_at = _min(slots, xp.where(v == xp.take(low, slots), flat_positions, past), n, xp)
    high_at = _min(slots, xp.where(v == xp.take(high, slots), flat_positions, past), n, xp)
    zero = xp.zeros((), dtype=own, device=device(values))
    return {
        "min": xp.astype(xp.where(found, low, zero), values.dtype),
        "max": xp.astype(xp.where(found, high, zero), values.dtype),
        "argmin": xp.where(found, low_at, 0),
        "argmax": xp.where(found, high_at, 0),
    }


def _xp_medians(values, slots, n, xp):
    """The median per slot: values sorted within slots (two stable sorts), the middle one or two."""
    by_value = xp.argsort(values, stable=True)
    order = xp.take(by_value, xp.argsort(xp.take(slots, by_value), stable=True))
    ordered = xp.take(values, order)
    counts = _add(slots, xp.ones(slots.shape, dtype=xp.int64, device=device(values)), n, xp)
    starts = xp.cumulative_sum(counts) - counts
    last = max(values.shape[0] - 1, 0)
    lower = xp.take(ordered, xp.clip(starts + (counts - 1) // 2, 0, last))
    upper = xp.take(ordered, xp.clip(starts + counts // 2, 0, last))
    middle = (xp.astype(lower, xp.float64) + xp.astype(upper, xp.float64)) / 2.0
    return xp.where(counts > 0, middle, 0.0)


def _add(keys, weights, n, xp):
    """Sums of ``weights`` per key in ``range(n)`` (a scatter-add)."""
    if is_jax_namespace(xp):
        return xp.zeros(n, dtype=weights.dtype).at[keys].add(weights)
    name = type(keys).__module__.split(".")[0]
    if name == "torch":
        return xp.zeros(n, dtype=weights.dtype, device=device(keys)).index_add_(0, keys, weights)
    if name == "cupy":
        import cupyx

        out = xp.zeros(n, dtype=weights.dtype)
        cupyx.scatter_add(out, keys, weights)
        return out
    return _sorted_segments(keys, weights, n, xp, "add")


def _min(keys, values, n, xp):
    return _extreme(keys, values, n, xp, "min")


def _max(keys, values, n, xp):
    return _extreme(keys, values, n, xp, "max")


def _extreme(keys, values, n, xp, which):
    """The minimum (maximum) of ``values`` per key in ``range(n)``; keys with no value get any value."""
    if is_jax_namespace(xp):
        start = xp.full(n, _far(values.dtype, which, xp), dtype=values.dtype)
        return getattr(start.at[keys], which)(values)
    name = type(keys).__module__.split(".")[0]
    if name == "torch":
        out = xp.zeros(n, dtype=values.dtype, device=device(keys))
        return out.scatter_reduce(0, keys, values, "amin" if which == "min" else "amax", include_self=False)
    if name == "cupy":
        import cupyx

        out = xp.full(n, _far(values.dtype, which, xp), dtype=values.dtype)
        getattr(cupyx, f"scatter_{which}")(out, keys, values)
        return out
    return _sorted_segments(keys, values, n, xp, which)


def _far(dtype, which, xp):
    """The value no element of ``dtype`` passes: +inf (the dtype's maximum) for a minimum, else -inf."""
    if xp.isdtype(dtype, "real floating"):
        return math.inf if which == "min" else -math.inf
    info = xp.iinfo(dtype)
    return info.max if which == "min" else info.min


def _sorted_segments(keys, values, n, xp, which):
    """The scatter in the Array API alone: a stable sort by key, then segment ends by a sorted search."""
    order = xp.argsort(keys, stable=True)
    if which != "add":  # within a key, values in order: a segment's first (last) is its minimum (maximum)
        by_value = xp.argsort(values, stable=True)
        order = xp.take(by_value, xp.argsort(xp.take(keys, by_value), stable=True))
    ordered_keys = xp.take(keys, order)
    ordered = xp.take(values, order)
    bounds = xp.searchsorted(ordered_keys, xp.arange(n + 1, dtype=keys.dtype, device=device(keys)))
    if which == "add":
        totals = xp.cumulative_sum(ordered, include_initial=True)
        return xp.take(totals, bounds[1:]) - xp.take(totals, bounds[:-1])
    last = max(values.shape[0] - 1, 0)
    ends = bounds[:-1] if which == "min" else bounds[1:] - 1
    if values.shape[0] == 0:
        return xp.zeros(n, dtype=values.dtype, device=device(values))
    return xp.take(ordered, xp.clip(ends, 0, last))


def _histogram_counts(xp, values, slots, nslots, bins):
    """Counts per slot and bin, ``(nslots + 1, count)``: NumPy's ``histogram`` edges (the last bin closed)."""
    edges, count = bins
    edges_xp = xp.asarray(edges, device=device(values))
    floats = xp.astype(values, xp.float64)
    at = xp.searchsorted(edges_xp, floats, side="right") - 1
    at = xp.where(floats == edges_xp[-1], count - 1, at)
    inside = (at >= 0) & (at < count)
    keys = xp.astype(slots, xp.int64) * count + xp.where(inside, at, 0)
    keys = xp.where(inside, keys, (nslots + 1) * count)
    ones = xp.ones(keys.shape, dtype=xp.int64, device=device(values))
    if is_numpy_namespace(xp):
        totals = np.bincount(keys, minlength=(nslots + 1) * count + 1)
    else:
        totals = _add(keys, ones, (nslots + 1) * count + 1, xp)
    return xp.reshape(totals[: (nslots + 1) * count], (nslots + 1, count))


# --- Dask: per-block partial results, combined lazily ---------------------------------------------


def _dask_statistics(kind, input, labels, keys, xp, bins):
    import dask.array as da

    labels = da.broadcast_to(labels, input.shape, chunks=input.chunks)
    host_keys = keys if isinstance(keys, np.ndarray) else keys.rechunk(-1).to_delayed().ravel()[0]
    nkeys = keys.shape[0]
    if kind == "median":  # every value of a label at once: one chunk
        whole = input.rechunk(-1), labels.rechunk(-1)
        parts = _blocks(whole[0], whole[1], host_keys, nkeys, "median", np.float64, 1, bins)
        return {"median": parts.reshape((nkeys,))}
    if kind == "histogram":
        count = bins[1]
        parts = _blocks(input, labels, host_keys, nkeys * count, "histogram", np.int64, 1, bins)
        return {"histogram": da.reshape(parts.sum(axis=tuple(range(input.ndim)))[0], (nkeys, count))}
    if kind == "extrema":
        return _dask_extrema(input, labels, host_keys, nkeys)
    parts = _blocks(input, labels, host_keys, nkeys, kind, np.float64, len(KINDS[kind]), bins)
    axes = tuple(range(input.ndim))
    counts, sums = parts[..., 0, :], parts[..., 1, :]
    total = counts.sum(axis=axes)
    result = {"count": total.astype(np.int64), "sum": sums.sum(axis=axes)}
    if kind == "variance":  # Chan et al.: the blocks' centred squares plus their means' spread
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = result["sum"] / total
            block_means = da.where(counts > 0, sums / da.where(counts > 0, counts, 1), 0.0)
            spread = da.where(counts > 0, counts * (block_means - mean) ** 2, 0.0)
        result["squares"] = parts[..., 2, :].sum(axis=axes) + spread.sum(axis=axes)
    return result


def _dask_extrema(input, labels, host_keys, nkeys):
    import dask.array as da

    axes = tuple(range(input.ndim))
    values = _blocks(input, labels, host_keys, nkeys, "extrema-values", input.dtype, 2, None)
    places = _blocks(input, labels, host_keys, nkeys, "extrema-places", np.int64, 3, None)
    found = places[..., 2, :] > 0
    past = max(math.prod(input.shape), 1)
    result = {}
    for i, (name, which) in enumerate((("min", "min"), ("max", "max"))):
        far = _far(values.dtype, which, np) if values.dtype != np.bool_ else which == "min"
        candidates = da.where(found, values[..., i, :], far)
        best = candidates.min(axis=axes) if which == "min" else candidates.max(axis=axes)
        at = da.where(found & (values[..., i, :] == best), places[..., i, :], past).min(axis=axes)
        anywhere = found.any(axis=axes)
        result[name] = da.where(anywhere, best, 0).astype(input.dtype)
        result[f"arg{which}"] = da.where(anywhere, at, 0)
    return result


def _blocks(input, labels, host_keys, width, kind, dtype, fields, bins):
    """Each block's partial results ``(1,) * ndim + (fields, width)``, as a Dask array."""
    import dask.array as da

    ndim = input.ndim
    chunks = (*((1,) * len(c) for c in input.chunks), (fields,), (width,))

    def partial(x, lab, keys, block_info=None):
        start = [s for s, _ in block_info[0]["array-location"]]
        return _block_partial(kind, x, lab, np.asarray(keys), start, input.shape, bins)[(None,) * ndim]

    return da.map_blocks(
        partial,
        input,
        labels,
        host_keys,
        new_axis=[ndim, ndim + 1],
        chunks=chunks,
        dtype=dtype,
        meta=np.empty((0,) * (ndim + 2), dtype),
    )


def _block_partial(kind, x, lab, keys, start, shape, bins):
    """One NumPy block's partial results, ``(fields, width)``; positions are global flat positions."""
    if kind.startswith("extrema"):
        part = statistics("extrema", x, lab, keys, NUMPY)
        if kind == "extrema-values":
            return np.stack([part["min"], part["max"]])
        counts = statistics("sums", x, lab, keys, NUMPY)["count"]
        return np.stack(
            [
                _global(part["argmin"], x.shape, start, shape),
                _global(part["argmax"], x.shape, start, shape),
                counts,
            ]
        )
    if kind == "histogram":
        return statistics("histogram", x, lab, keys, NUMPY, bins)["histogram"].reshape(1, -1)
    if kind == "median":
        return statistics("median", x, lab, keys, NUMPY)["median"][None]
    part = statistics(kind, x, lab, keys, NUMPY)
    fields = [part["count"].astype(np.float64), part["sum"]]
    if kind == "variance":
        fields.append(np.nan_to_num(part["squares"]))
    return np.stack(fields)


def _global(flat, block_shape, start, shape):
    """Flat positions in a block of ``block_shape`` at ``start`` as flat positions in ``shape``."""
    if not block_shape:
        return flat
    where = np.unravel_index(flat, block_shape)
    return np.ravel_multi_index(tuple(w + s for w, s in zip(where, start, strict=True)), shape)
