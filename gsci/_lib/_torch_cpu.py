"""Torch CPU tensors outside autograd are computed on zero-copy NumPy views.

Why: measured here, NumPy with SciPy's multithreaded FFT beats torch's CPU
kernels on small transforms (fftconvolve 1000 x 1000: 0.74x of SciPy in
torch, 1.06x through NumPy), and torch's CPU allocator faults in fresh pages
for every large tensor (60 ms to fill a new 2048x2048 float64 tensor, 11 ms
in NumPy). Tensors that require grad stay in torch, so gradients flow.
"""

import sys

import numpy as np

from gsci._lib._compat import array_namespace, is_torch_array

NUMPY = array_namespace(np.empty(0))


def numpy_views(*tensors):
    """NumPy views of ``tensors`` if all are torch CPU tensors outside autograd, else None."""
    if all(is_torch_array(t) and t.device.type == "cpu" and not t.requires_grad for t in tensors):
        return [t.resolve_conj().resolve_neg().numpy() for t in tensors]
    return None


def as_torch(array):
    """NumPy result ``array`` as a torch tensor sharing its memory."""
    return sys.modules["torch"].from_numpy(array)
