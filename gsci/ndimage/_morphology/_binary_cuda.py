"""Binary erosion and dilation with the CUDA kernel: the kernel engine behind the binary morphology.

Same function as `gsci.ndimage._morphology._binary_xp`, launching
`gsci.kernels.morphology` (imported, and numba with it, on first use) once
per step between two device buffers. A fixed number of steps never
synchronises with the host. Until-stable repeats keep the kernel's
"changed" flag on the device, clear it before the last step of each batch
of 1, 2, 4, ... steps and read it after (a step that changes nothing stays
stable, so extra steps change nothing either), so a call that runs
``s`` steps synchronises about ``log2(s)`` times, never once per step.
"""

import numpy as np

from gsci._lib._compat import device
from gsci.ndimage._filters._stencil_cuda import _contiguous, _flat


def erode_or_dilate(x, offsets, mask, border, erode, iterations, propagate, xp):
    """As `gsci.ndimage._morphology._binary_xp.erode_or_dilate` (``propagate`` needs nothing here)."""
    from gsci.kernels import morphology

    shape = x.shape
    where = device(x)
    current = _flat(_contiguous(xp.astype(x, xp.uint8, copy=True), xp), xp)
    spare = xp.empty(current.shape, dtype=xp.uint8, device=where)
    keep = None if mask is None else _flat(_contiguous(xp.astype(mask, xp.uint8), xp), xp)
    extent = xp.asarray(np.asarray(shape if shape else (1,), dtype=np.int64), device=where)
    flat_offsets = np.ascontiguousarray(offsets, dtype=np.int64).reshape(-1)
    window = xp.asarray(flat_offsets if shape else np.zeros(offsets.shape[0], np.int64), device=where)
    changed = xp.zeros((1,), dtype=xp.uint8, device=where)

    def step(source, target):
        morphology.binary_step(source, extent, window, keep, target, changed, border=border, erode=erode)

    if current.shape[0] == 0:
        return xp.zeros(shape, dtype=xp.bool, device=where)
    if iterations >= 1:
        for _ in range(iterations):
            step(current, spare)
            current, spare = spare, current
        return xp.reshape(current != 0, shape)
    batch = 1
    while True:
        for _ in range(batch - 1):
            step(current, spare)
            current, spare = spare, current
        changed[0] = 0
        step(current, spare)
        current, spare = spare, current
        if not bool(changed[0] != 0):  # the call's host synchronisation, once per batch
            return xp.reshape(current != 0, shape)
        batch *= 2
