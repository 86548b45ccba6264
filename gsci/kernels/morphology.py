"""The binary-morphology kernel: one erosion or dilation step, with a "changed" flag kept on the device.

One thread computes one output element (grid-stride loop) of a C-order
array of any rank: the AND (erosion) or OR (dilation) of the input at the
window offsets (a device array, one row of per-axis offsets per structure
element), elements beyond the edges reading ``border``; where the mask is 0
the element keeps its value. A thread whose element changes stores 1 in
``changed[0]``, so repeats need no host synchronisation until the caller
reads the flag. Values are uint8 0/1: the kernel compiles once, never per
shape, structure, mask, border or iteration count. Indices are 64-bit.
"""

import functools

import numpy as np
from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view
from gsci.kernels.rank import MAX_NDIM, unravel


@cuda.jit(device=True, inline="always")
def window_value(x, shape, offsets, p, coords, border):
    """The value of structure element ``p`` for the output at ``coords``: the input's, or ``border``."""
    ndim = shape.shape[0]
    flat = 0
    for a in range(ndim):
        q = coords[a] + offsets[p * ndim + a]
        if q < 0 or q >= shape[a]:
            return border
        flat = flat * shape[a] + q
    return x[flat]


def step_source():
    """The Python function of the step kernel (for compile_ptx)."""

    def binary_step(x, shape, offsets, mask, out, changed, border, erode, has_mask):
        coords = cuda.local.array(MAX_NDIM, np.int64)
        count = offsets.shape[0] // shape.shape[0]
        for flat in range(cuda.grid(1), out.shape[0], cuda.gridsize(1)):
            old = x[flat]
            result = old
            if not has_mask or mask[flat] != 0:
                unravel(flat, shape, coords)
                result = np.uint8(1) if erode else np.uint8(0)
                for p in range(count):
                    value = window_value(x, shape, offsets, p, coords, border)
                    if erode and value == 0:
                        result = np.uint8(0)
                        break
                    if not erode and value != 0:
                        result = np.uint8(1)
                        break
            out[flat] = result
            if result != old:
                changed[0] = 1

    return binary_step


@functools.cache
def step_kernel():
    """The compiled-on-first-launch step kernel (uint8 arrays only: one compilation)."""
    return cuda.jit(step_source())


def binary_step(x, shape, offsets, mask, out, changed, *, border, erode):
    """``out`` = one erosion (dilation) step of ``x``; ``changed[0]`` set to 1 if an element changed.

    Parameters
    ----------
    x, out : 1-d contiguous uint8 arrays (CuPy, PyTorch CUDA, or NumPy in the
        simulator), the flattened C-order input and output, values 0 or 1.
    shape, offsets : 1-d contiguous int64 arrays on the same device: the
        array's shape, and per structure element its window offset on each axis.
    mask : 1-d contiguous uint8 array like ``x``, or None (no mask).
    changed : 1-element uint8 array on the device; only ever set to 1 here.
    border : bool
        The value of elements beyond the edges.
    erode : bool
        Erosion (AND over the window), else dilation (OR).
    """
    blocks, threads = geometry(out.shape[0])
    with on_device_of(x):
        result, flag = view(out, written=True), view(changed, written=True)
        step_kernel()[blocks, threads, stream_of(x)](
            view(x),
            view(shape),
            view(offsets),
            view(x if mask is None else mask),
            result,
            flag,
            np.uint8(border),
            bool(erode),
            mask is not None,
        )
