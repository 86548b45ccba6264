"""Launch plumbing shared by the kernels: geometry, device views, streams, devices.

Arrays reach kernels zero-copy through ``__cuda_array_interface__``, and
kernels run on the caller's current CuPy or PyTorch stream. In the simulator
(``GSCI_KERNEL_SIM=1``) NumPy arrays go to the kernels as they are.
"""

import contextlib

from numba import cuda
from numba.core import config

from gsci._lib._arrays import library_of

THREADS_PER_BLOCK = 256  # patchable: tests and tuning set it
MAX_BLOCKS = 65535  # grid-stride loops cover any size with at most this many blocks
# The simulator runs every thread as a Python thread: few, and the grid-stride loop does the rest.
SIMULATOR_THREADS_PER_BLOCK = 8
SIMULATOR_MAX_BLOCKS = 2


def geometry(work_items, threads_per_block=None):
    """``(blocks, threads_per_block)`` for a grid-stride loop over ``work_items``.

    ``threads_per_block`` sets the block size (a kernel's own choice, or its threads cooperate),
    else the setting's.
    """
    if config.ENABLE_CUDASIM:
        threads, most = SIMULATOR_THREADS_PER_BLOCK, SIMULATOR_MAX_BLOCKS
    else:
        threads, most = THREADS_PER_BLOCK, MAX_BLOCKS
    threads = threads_per_block or threads
    return min(max(1, -(-work_items // threads)), most), threads


def view(a, *, written=False):
    """``a`` as a kernel argument: a zero-copy Numba device array.

    In the simulator a NumPy array goes as it is when the kernel writes it,
    else as ``cuda.In`` (the simulator copies plain arrays back, even read-only ones).
    """
    if library_of(a) == "numpy":
        return a if written else cuda.In(a)
    return cuda.as_cuda_array(a, sync=False)  # the kernel runs on the stream that produced ``a``


def stream_of(a):
    """The caller's current stream for ``a``'s library and device (0 in the simulator)."""
    library = library_of(a)
    if library == "torch":
        import torch

        return cuda.external_stream(torch.cuda.current_stream(a.device).cuda_stream)
    if library == "cupy":
        import cupy

        return cuda.external_stream(cupy.cuda.get_current_stream().ptr)
    return 0


def on_device_of(a):
    """Context that makes ``a``'s GPU Numba's current device."""
    library = library_of(a)
    if library == "torch":
        return cuda.gpus[a.device.index]
    if library == "cupy":
        return cuda.gpus[a.device.id]
    return contextlib.nullcontext()
