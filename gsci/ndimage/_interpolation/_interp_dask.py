"""Interpolation on Dask arrays: a chunked graph, each output chunk one task.

Each output chunk's task evaluates the spline with the engine of its blocks
(`_interp_xp.interpolate`, with ``input_shape``/``input_origin``/
``output_origin``) on the box of coefficients it maps from, and nothing else:

- `ZoomShift`: per axis, the input coordinates of the chunk's first and last
  output index (the mapping is monotone along each axis);
- `Affine`: the bounding box of the images of the ``2**rank`` corners of the
  chunk's output box (the exact bounding box of an affine image of a box);

each widened by the spline's support (``order // 2 + 1``) and one sample for
rounding. Where a box would leave the coefficient array along an axis, the
task takes that whole axis: the boundary modes read mirrored, reflected,
clamped or wrapped indices there, all of which lie on that axis, so this is
exact for every mode (a chunk whose box leaves along every axis, such as a
corner of a rotation, reads the whole array). The box's pieces are Dask
getitems of the coefficients' chunks it overlaps, joined inside the task;
along the axes a task takes whole it reads the coefficients rechunked to one
chunk there (one rechunk per set of such axes, shared by all its tasks). So
the graph grows with the output chunks times the few input chunks each box
overlaps, plus those rechunks: never output chunks times input chunks.

`Coordinates`: where a chunk reads depends on the coordinates' values, so
the coefficients are rechunked to one chunk along their spatial axes (each
batch chunk apart) and every output task gets that whole block with its
chunk of the coordinates (rechunked to one chunk along their first axis).
"""

import bisect
import itertools
import math

import numpy as np

from gsci._lib._compat import array_namespace
from gsci.ndimage._interpolation._mapping import Affine, Coordinates, ZoomShift


def interpolate(coefficients, mapping, output_shape, order, mode, cval, npad, xp, chunks=None):
    """The spline with Dask ``coefficients`` (real, ``(*batch, *padded spatial)``) at the mapped points.

    Parameters
    ----------
    coefficients : dask.array.Array
        The spline coefficients, padded by ``npad`` samples on each side of every spatial axis.
    mapping : Coordinates, Affine or ZoomShift
        Where each output point lies in the (unpadded) input.
    output_shape : tuple of int
        The spatial shape of the output (its rank may differ from the input's: `Affine` with a
        non-square matrix, `Coordinates`).
    order, mode, cval, npad
        As `_interp_xp.interpolate`.
    xp : namespace
        The Dask namespace.
    chunks : optional
        The output's spatial chunks. Default: the coordinates' spatial chunks (`Coordinates`), the
        input's (unpadded) spatial chunks where the output shape is the input's, else chunks of about
        the input's chunk size per axis. The batch axes keep the coefficients' chunks.

    Returns
    -------
    dask.array.Array
        Lazy float64, shape ``(*batch, *output_shape)``; building it computes nothing.
    """
    output_shape = tuple(int(n) for n in output_shape)
    nbatch = coefficients.ndim - _input_rank(mapping, output_shape)
    spatial = _output_chunks(coefficients.chunks[nbatch:], mapping, output_shape, npad, chunks)
    options = {"order": order, "mode": mode, "cval": cval, "npad": npad}
    if isinstance(mapping, Coordinates):
        return _from_coordinates(coefficients, nbatch, mapping.coordinates, spatial, options)
    return _from_boxes(coefficients, nbatch, mapping, spatial, options)


def _input_rank(mapping, output_shape):
    if isinstance(mapping, Coordinates):
        return int(mapping.coordinates.shape[0])
    if isinstance(mapping, Affine):
        return len(mapping.matrix)
    return len(output_shape)


def _output_chunks(padded, mapping, output_shape, npad, chunks):
    """The output's spatial chunks (``padded``: the coefficients' spatial chunks)."""
    from dask.array.core import normalize_chunks

    if chunks is not None:
        return normalize_chunks(chunks, output_shape, dtype=np.float64)
    if isinstance(mapping, Coordinates) and hasattr(mapping.coordinates, "chunks"):
        return mapping.coordinates.chunks[1:]
    unpadded = tuple(_unpadded(c, npad) for c in padded)
    if tuple(map(sum, unpadded)) == output_shape:
        return unpadded
    sizes = tuple(max(c, default=1) or 1 for c in unpadded)
    if len(sizes) == len(output_shape):
        return normalize_chunks(sizes, output_shape, dtype=np.float64)
    # another rank: chunks of about as many points as the input's largest chunk
    limit = 8 * math.prod(sizes)
    return normalize_chunks("auto", output_shape, limit=limit, dtype=np.float64)


def _unpadded(chunks, npad):
    """The chunks of an axis without its ``npad`` samples on each side (empty chunks dropped)."""
    size = sum(chunks) - 2 * npad
    ends = [min(max(e - npad, 0), size) for e in itertools.accumulate(chunks)]
    kept = tuple(b - a for a, b in zip([0, *ends[:-1]], ends, strict=True) if b > a)
    return kept or (0,)


def _from_coordinates(coefficients, nbatch, coordinates, spatial, options):
    import dask.array as da

    irank = coefficients.ndim - nbatch
    coordinates = da.asarray(coordinates).astype(np.float64).rechunk(((irank,), *spatial))
    # where a chunk reads depends on the coordinates' values: each task gets the whole spatial block
    whole = coefficients.rechunk({a: -1 for a in range(nbatch, coefficients.ndim)})
    batch = tuple(f"b{a}" for a in range(nbatch))
    space = tuple(f"s{a}" for a in range(irank))
    out = tuple(f"o{a}" for a in range(len(spatial)))
    return da.blockwise(
        _coordinates_block,
        batch + out,
        whole,
        batch + space,
        coordinates,
        ("c", *out),
        dtype=np.float64,
        concatenate=True,
        meta=coefficients._meta.astype(np.float64),
        **options,
    )


def _coordinates_block(block, coordinates, order, mode, cval, npad):
    from gsci.ndimage._interpolation import _interp_xp

    xp = array_namespace(block)
    output_shape = tuple(coordinates.shape[1:])
    return _interp_xp.interpolate(block, Coordinates(coordinates), output_shape, order, mode, cval, npad, xp)


def _from_boxes(coefficients, nbatch, mapping, spatial, options):
    import dask.array as da
    from dask._task_spec import List, Task, TaskRef
    from dask.base import tokenize
    from dask.highlevelgraph import HighLevelGraph

    shape = coefficients.shape[nbatch:]
    name = f"interpolate-{tokenize(coefficients.name, mapping, spatial, options)}"
    piece_name = f"{name}-piece"
    out_starts = [_starts(c) for c in spatial]
    sources = {}  # per set of axes read whole: the coefficients in one chunk along them
    graph = {}
    for place in itertools.product(*(range(len(c)) for c in spatial)):
        origin = tuple(starts[i] for starts, i in zip(out_starts, place, strict=True))
        size = tuple(c[i] for c, i in zip(spatial, place, strict=True))
        box = _box(mapping, origin, size, shape, options["order"], options["npad"])
        source, in_starts = _source(coefficients, nbatch, box, sources)
        axes = [_axis_pieces(starts, lo, hi) for starts, (lo, hi) in zip(in_starts, box, strict=True)]
        for batch in itertools.product(*(range(len(c)) for c in coefficients.chunks[:nbatch])):
            refs = []
            for pieces in itertools.product(*axes):
                key = (source.name, *batch, *(i for i, _, _ in pieces))
                if not all(whole for _, _, whole in pieces):
                    index = (slice(None),) * nbatch + tuple(part for _, part, _ in pieces)
                    piece = (piece_name, *batch, *place, *key[1 + nbatch :])
                    graph[piece] = Task(piece, _getitem, TaskRef(key), index)
                    key = piece
                refs.append(TaskRef(key))
            key = (name, *batch, *place)
            graph[key] = Task(
                key,
                _box_block,
                List(*refs),
                tuple(map(len, axes)),
                nbatch,
                mapping,
                size,
                shape,
                tuple(lo for lo, _ in box),
                origin,
                **options,
            )
    dependencies = [source for source, _ in sources.values()]
    layers = HighLevelGraph.from_collections(name, graph, dependencies=dependencies)
    chunks = (*coefficients.chunks[:nbatch], *spatial)
    return da.Array(layers, name, chunks, meta=coefficients._meta.astype(np.float64))


def _source(coefficients, nbatch, box, sources):
    """The coefficients that a task with ``box`` reads from, and their chunks' starts per spatial axis.

    Along the axes the box takes whole, one chunk (a rechunk shared by all such tasks), so that a
    task's references grow with the chunks of its box along the other axes only.
    """
    chunks = coefficients.chunks[nbatch:]
    whole = tuple(
        a
        for a, (c, (lo, hi)) in enumerate(zip(chunks, box, strict=True))
        if len(c) > 1 and (lo, hi) == (0, sum(c))
    )
    if whole not in sources:
        source = coefficients.rechunk({nbatch + a: -1 for a in whole}) if whole else coefficients
        sources[whole] = source, [_starts(c) for c in source.chunks[nbatch:]]
    return sources[whole]


def _starts(chunks):
    return [0, *itertools.accumulate(chunks)]


def _axis_pieces(starts, lo, hi):
    """``(index, slice, whole)`` for each chunk of an axis (chunks begin at ``starts``) that ``[lo, hi)``
    overlaps: the part of the chunk inside it, and whether that is the whole chunk (the first chunk's
    empty part if ``[lo, hi)`` is empty)."""
    if hi <= lo:
        return [(0, slice(0, 0), starts[1] == 0)]
    first, last = bisect.bisect_right(starts, lo) - 1, bisect.bisect_left(starts, hi) - 1
    return [
        (
            i,
            slice(max(lo, starts[i]) - starts[i], min(hi, starts[i + 1]) - starts[i]),
            _within(starts, i, lo, hi),
        )
        for i in range(first, last + 1)
    ]


def _within(starts, i, lo, hi):
    return lo <= starts[i] and starts[i + 1] <= hi


def _getitem(block, index):
    return block[index]


def _box_block(pieces, counts, nbatch, mapping, size, shape, input_origin, output_origin, **options):
    """One output chunk from the C-ordered ``pieces`` (``counts`` per spatial axis) of its input box."""
    from gsci.ndimage._interpolation import _interp_xp

    xp = array_namespace(pieces[0])
    if 0 in size:
        return xp.zeros((*pieces[0].shape[:nbatch], *size), dtype=xp.float64)
    return _interp_xp.interpolate(
        _joined(pieces, counts, nbatch, xp),
        mapping,
        size,
        options["order"],
        options["mode"],
        options["cval"],
        options["npad"],
        xp,
        input_shape=shape,
        input_origin=input_origin,
        output_origin=output_origin,
    )


def _joined(pieces, counts, axis, xp):
    """The block of ``pieces`` (C order over ``counts`` per axis, from ``axis`` on), concatenated."""
    if not counts:
        return pieces[0]
    step = math.prod(counts[1:])
    rows = [_joined(pieces[i * step : (i + 1) * step], counts[1:], axis + 1, xp) for i in range(counts[0])]
    return rows[0] if len(rows) == 1 else xp.concat(rows, axis=axis)


def _box(mapping, origin, size, shape, order, npad):
    """Per spatial axis, ``(lo, hi)``: the coefficients an output chunk reads (the whole axis where its box
    would leave the array)."""
    if 0 in size:
        return tuple((0, 0) for _ in shape)
    ends = [(o, o + n - 1) for o, n in zip(origin, size, strict=True)]
    corners = [_coordinates(mapping, point) for point in itertools.product(*ends)]
    margin = order // 2 + 2  # the spline's support on each side, and one for rounding
    box = []
    for axis, n in enumerate(shape):
        values = [c[axis] + npad for c in corners]
        if not all(math.isfinite(v) for v in values):
            box.append((0, n))
            continue
        lo, hi = math.floor(min(values)) - margin, math.ceil(max(values)) + margin + 1
        box.append((lo, hi) if lo >= 0 and hi <= n else (0, n))
    return tuple(box)


def _coordinates(mapping, point):
    """The input coordinates (unpadded) of output index ``point``, as `_mapping` computes them."""
    if isinstance(mapping, Affine):
        values = []
        for row, offset in zip(mapping.matrix, mapping.offset, strict=True):
            v = float(offset)
            for m, k in zip(row, point, strict=True):
                v += m * k
            values.append(v)
        return values
    if not isinstance(mapping, ZoomShift):
        raise TypeError(f"unknown mapping {type(mapping).__name__}")
    values = []
    for axis, k in enumerate(point):
        v = float(k)
        if mapping.shift is not None:
            v += mapping.shift[axis]
        if mapping.zoom is not None:
            z = mapping.zoom[axis]
            v = (v + 0.5) * z - 0.5 if mapping.grid_mode else v * z
        values.append(v)
    return values
