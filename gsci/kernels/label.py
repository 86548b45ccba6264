"""The labelling kernels: a lock-free union-find over a C-order array of any rank.

One thread per element (grid-stride loop, 64-bit indices). ``par`` holds
each element's parent's flat index; links go from the larger root to the
smaller with ``atomic.min``, retried while another thread moved the root,
so a component's root is its first element in C order. A last pass
compresses every path to its root. The structure arrives as a device
array of backward offsets, so the kernels compile once per parent dtype
(int32, int64), never per shape, rank or structure.
"""

import functools

from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view
from gsci.kernels.rank import MAX_NDIM, unravel


@cuda.jit(device=True, inline="always")
def find_root(par, i):
    while par[i] != i:
        i = par[i]
    return i


@cuda.jit(device=True, inline="always")
def join(par, a, b):
    """Join the trees of ``a`` and ``b``: the larger root is linked to the smaller one."""
    while True:
        a, b = find_root(par, a), find_root(par, b)
        if a == b:
            return
        if a < b:
            a, b = b, a
        old = cuda.atomic.min(par, a, b)
        if old == a:
            return
        a = old  # another thread linked ``a`` first: join its new parent instead


def start_source(par, n):
    for i in range(cuda.grid(1), n, cuda.gridsize(1)):
        par[i] = i


def link_source(mask, shape, back, par):
    coords = cuda.local.array(MAX_NDIM, shape.dtype)
    ndim = shape.shape[0]
    k = back.shape[0] // ndim
    for i in range(cuda.grid(1), mask.shape[0], cuda.gridsize(1)):
        if mask[i] != 0:
            unravel(i, shape, coords)
            for t in range(k):
                j, stride, inside = 0, 1, True
                for a in range(ndim - 1, -1, -1):
                    q = coords[a] + back[t * ndim + a]
                    inside = inside and 0 <= q < shape[a]
                    j += q * stride
                    stride *= shape[a]
                if inside and mask[j] != 0:
                    join(par, i, j)


def compress_source(par, n):
    for i in range(cuda.grid(1), n, cuda.gridsize(1)):
        par[i] = find_root(par, i)


@functools.cache
def kernels():
    """The three kernels, compiled on first launch (Numba specializes them per parent dtype)."""
    return cuda.jit(start_source), cuda.jit(link_source), cuda.jit(compress_source)


def union_find(mask, shape, back, par):
    """``par`` = the flat index of each element's root (its component's first element in C order).

    Parameters
    ----------
    mask : 1-d contiguous uint8 array (CuPy, PyTorch CUDA, or NumPy in the
        simulator): the flattened C-order input, nonzero for features.
    shape, back : 1-d contiguous int64 arrays on the same device: the array's
        shape, and the structure's backward offsets (``len(shape)`` per offset).
    par : 1-d contiguous int32 or int64 array of ``mask``'s length, written.
        Background elements are their own roots.
    """
    n = par.shape[0]
    blocks, threads = geometry(n)
    start, link, compress = kernels()
    with on_device_of(mask):
        stream = stream_of(mask)
        parents = view(par, written=True)
        start[blocks, threads, stream](parents, n)
        link[blocks, threads, stream](view(mask), view(shape), view(back), parents)
        compress[blocks, threads, stream](parents, n)
