"""label on Dask arrays: each chunk labelled on its own, the labels merged at the chunk faces.

One compute reads, per chunk, the position of each label's first element
and the pairs of labels that touch across the chunk's faces (its one-element
margins from the neighbouring chunks, corners included); a union-find over
those pairs on the host gives each chunk's table from local to final labels,
numbered as SciPy numbers them (C order of each feature's first element).
The result relabels each chunk with its table: tasks grow with the number
of chunks only (a chunk's task holds its own table).
"""

import math

import numpy as np


def label_chunks(input, back, labelled):
    """``(labels, count)`` of Dask ``input``: ``labelled(block)`` labels one NumPy block (int64);
    ``back`` holds the structure's backward offsets, one row each."""
    import dask
    import dask.array as da

    local = input.map_blocks(labelled, dtype=np.int64)
    depth = {a: int(len(c) > 1) for a, c in enumerate(input.chunks)}
    margins = da.overlap.overlap(local, depth=depth, boundary="none")
    places = list(np.ndindex(*input.numblocks))
    width = max(math.prod(b) for b in _block_shapes(input, places)) + 1  # labels per chunk, and 0
    back = [tuple(int(v) for v in o) for o in back]
    pairs = [
        dask.delayed(_face_pairs)(margins.blocks[p], p, input.numblocks, depth, back, width) for p in places
    ]
    firsts = [dask.delayed(_first_elements)(local.blocks[p]) for p in places]
    pairs, firsts = dask.compute(pairs, firsts)
    tables, count = _tables(input, places, pairs, firsts, width)
    objects = np.empty(input.numblocks, dtype=object)
    for p, table in zip(places, tables, strict=True):
        objects[p] = table
    tables = da.from_array(objects, chunks=1)
    index = tuple(range(input.ndim))
    labels = da.blockwise(_relabel, index, local, index, tables, index, dtype=np.int64, align_arrays=False)
    return labels, count


def _block_shapes(input, places):
    return [tuple(input.chunks[a][i] for a, i in enumerate(p)) for p in places]


def _first_elements(block):
    """The flat index in ``block`` of each label's first element (labels 1.. in order)."""
    values, first = np.unique(block.reshape(-1), return_index=True)
    return first[values > 0]


def _face_pairs(extended, place, numblocks, depth, back, width):
    """Pairs (global ids ``chunk * width + label``) of touching labels across the chunk's faces."""
    ndim = extended.ndim
    low = [depth[a] if place[a] > 0 else 0 for a in range(ndim)]
    high = [depth[a] if place[a] < numblocks[a] - 1 else 0 for a in range(ndim)]
    n = [extended.shape[a] - low[a] - high[a] for a in range(ndim)]
    own = np.ravel_multi_index(place, numblocks)
    found = [np.zeros((0, 2), np.int64)]
    for offset in back:
        ranges = [range(max(0, -low[a] - o), min(n[a], n[a] + high[a] - o)) for a, o in enumerate(offset)]
        if any(len(r) == 0 for r in ranges):
            continue
        grids = np.meshgrid(*[np.arange(r.start, r.stop) for r in ranges], indexing="ij", sparse=True)
        crosses = np.zeros([len(r) for r in ranges], dtype=bool)
        for a, g in enumerate(grids):
            crosses = crosses | (g + offset[a] < 0) | (g + offset[a] >= n[a])
        here = extended[tuple(slice(low[a] + r.start, low[a] + r.stop) for a, r in enumerate(ranges))]
        shifted = [(r, o) for r, o in zip(ranges, offset, strict=True)]
        there = extended[
            tuple(slice(low[a] + r.start + o, low[a] + r.stop + o) for a, (r, o) in enumerate(shifted))
        ]
        chosen = crosses & (here != 0) & (there != 0)
        coords = np.nonzero(chosen)
        neighbour = [
            place[a]
            + (coords[a] + ranges[a].start + offset[a] >= n[a]).astype(np.int64)
            - (coords[a] + ranges[a].start + offset[a] < 0)
            for a in range(ndim)
        ]
        other = np.ravel_multi_index(neighbour, numblocks) if ndim else np.zeros(0, np.int64)
        found.append(np.stack([own * width + here[chosen], other * width + there[chosen]], axis=1))
    return np.concatenate(found)


def _tables(input, places, pairs, firsts, width):
    """Per chunk, its local-to-final label table (0 stays 0); and the feature count."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    counts = np.array([f.size for f in firsts], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)])
    total = int(starts[-1])
    if total == 0:
        return [np.zeros(1, np.int64) for _ in places], 0
    keys = np.empty(total, np.int64)
    for i, (p, first, shape) in enumerate(zip(places, firsts, _block_shapes(input, places), strict=True)):
        origin = [sum(input.chunks[a][: p[a]]) for a in range(input.ndim)]
        local = np.unravel_index(first, shape)
        keys[starts[i] : starts[i + 1]] = np.ravel_multi_index(
            tuple(c + o for c, o in zip(local, origin, strict=True)), input.shape
        )
    joined = np.concatenate(pairs)
    ends = [starts[joined[:, k] // width] + joined[:, k] % width - 1 for k in (0, 1)]  # C-order chunks
    graph = coo_matrix((np.ones(len(joined)), (ends[0], ends[1])), shape=(total, total))
    count, component = connected_components(graph, directed=False)
    first_of = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(first_of, component, keys)
    rank = np.empty(count, np.int64)
    rank[np.argsort(first_of)] = np.arange(1, count + 1)
    final = rank[component]
    return [np.concatenate([[0], final[starts[i] : starts[i + 1]]]) for i in range(len(places))], count


def _relabel(block, table):
    return table.reshape(-1)[0][block]  # the chunk's table, in a 1-element object array
