"""Torch CPU tensors outside autograd are computed on zero-copy NumPy views (the dispatcher's rule).

Why: measured here, NumPy with SciPy's multithreaded FFT beats torch's CPU
kernels on small transforms (fftconvolve 1000 x 1000: 0.74x of SciPy in
torch, 1.06x through NumPy), and torch's CPU allocator faults in fresh pages
for every large tensor (60 ms to fill a new 2048x2048 float64 tensor, 11 ms
in NumPy). Tensors that require grad stay in torch, so gradients flow.
"""

import sys

import numpy as np

from gsci._lib._compat import is_torch_array


def numpy_views(*tensors):
    """NumPy views of ``tensors`` if all are torch CPU tensors outside autograd, else None."""
    if all(is_torch_array(t) and t.is_cpu and not t.requires_grad for t in tensors):
        return [(t.resolve_conj().resolve_neg() if t.is_conj() or t.is_neg() else t).numpy() for t in tensors]
    return None


def as_torch(array):
    """NumPy result ``array`` as a torch tensor sharing its memory (copied if its strides are negative)."""
    if any(stride < 0 for stride in array.strides):
        array = np.ascontiguousarray(array)
    return sys.modules["torch"].from_numpy(array)


def numpy_call(function, arguments, tensors):
    """``function(**arguments)`` with the torch tensors among ``arguments`` (``tensors``, by name) as
    NumPy views when all are on the CPU outside autograd, its NumPy results back as tensors; else
    NotImplemented (a function may itself return None, having written into ``output=`` arrays).
    """
    views = numpy_views(*tensors.values())
    if views is None:
        return NotImplemented
    given = dict(zip(tensors, views, strict=True))
    dtypes = {n: _numpy_dtype(v) for n, v in arguments.items() if isinstance(v, sys.modules["torch"].dtype)}
    result = function(**{**arguments, **given, **dtypes})
    return _as_tensors(result, {id(view): tensors[name] for name, view in given.items()})


def _numpy_dtype(dtype):
    """The NumPy dtype of torch dtype ``dtype`` (an ``output=`` argument, say)."""
    return sys.modules["torch"].empty(0, dtype=dtype).numpy().dtype


def _as_tensors(result, originals):
    """NumPy arrays in ``result`` (or a tuple of them) as tensors; a view of an argument is that argument.

    A NumPy scalar (what NumPy makes of 0-d results) becomes a 0-d tensor.
    """
    if isinstance(result, tuple):
        return tuple(_as_tensors(r, originals) for r in result)
    if isinstance(result, np.generic):
        return as_torch(np.asarray(result))
    if not isinstance(result, np.ndarray):
        return result
    original = originals.get(id(result))
    return as_torch(result) if original is None else original
