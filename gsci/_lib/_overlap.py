"""Local operations on Dask arrays: each block with its neighbours' margins, chunks kept."""


def on_dask_blocks(valid_part, x, extended, margins, *arrays, dtype=None, **options):
    """``valid_part(block, *arrays, **options)`` of each block of the Dask array ``extended``, which is
    ``x`` extended by ``margins`` (axis -> (before, after)): each block comes with its neighbours'
    margins and gives its valid part, so the output has ``x``'s chunks (and dtype, unless given)."""
    import dask.array as da

    dtype = x.dtype if dtype is None else dtype

    chunks, out_chunks = {}, {}
    for axis, (before, after) in margins.items():
        sizes = list(x.chunks[axis])
        sizes[0] += before
        sizes[-1] += after
        sizes = da.overlap.ensure_minimum_chunksize(max(before, after, 1), tuple(sizes))
        chunks[axis] = sizes
        out_chunks[axis] = list(sizes)
        out_chunks[axis][0] -= before
        out_chunks[axis][-1] -= after
    extended = extended.rechunk(chunks)
    overlapped = da.overlap.overlap(extended, depth=margins, boundary={axis: "none" for axis in margins})
    index = tuple(range(x.ndim))
    result = da.blockwise(
        valid_part,
        index,
        overlapped,
        index,
        *[part for a in arrays for part in (a, tuple(range(x.ndim, x.ndim + a.ndim)))],
        concatenate=True,
        adjust_chunks={axis: tuple(sizes) for axis, sizes in out_chunks.items()},
        dtype=dtype,
        meta=x._meta.astype(dtype),
        **options,
    )
    # chunks shorter than the margins were merged for the overlap: split them as they came
    return result if result.chunks == x.chunks else result.rechunk(x.chunks)
