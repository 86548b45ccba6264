"""Test helpers: libraries under test, conversions and SciPy-oracle comparisons."""

import contextlib
import dataclasses
import functools
import importlib
import os
import pathlib

import numpy as np

from gsci._lib._arrays import device_kind, library_of

LIGO_DATA = pathlib.Path(
    os.environ.get("GSCI_DATA_DIR")
    or pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "ligo"
)  # the LIGO open data: $GSCI_DATA_DIR, else ../shared/data/ligo beside the repository

LIBRARIES = ("numpy", "array_api_strict", "torch", "jax", "dask", "cupy", "torch-cuda")


@functools.cache
def gpu_visible():
    """True when CuPy or PyTorch sees a CUDA device."""
    for probe in (_cupy_gpus, _torch_gpus):
        with contextlib.suppress(Exception):
            if probe():
                return True
    return False


def _cupy_gpus():
    return importlib.import_module("cupy").cuda.runtime.getDeviceCount() > 0


def _torch_gpus():
    return importlib.import_module("torch").cuda.is_available()


@dataclasses.dataclass(frozen=True)
class Library:
    """One array library on one device, as the tests see it."""

    name: str  # test id: "numpy", "torch", "torch-cuda", ...
    module: str  # what gsci's library_of reports
    device: str  # "cpu" or "cuda"

    @classmethod
    def named(cls, name):
        module = name.split("-")[0]
        if module == "jax":
            importlib.import_module("jax").config.update("jax_enable_x64", True)
        device = "cuda" if name in ("cupy", "torch-cuda") else "cpu"
        return cls(name, module, device)

    def __str__(self):
        return self.name

    @property
    def ns(self):
        """The library's own namespace (``torch``, ``jax.numpy``, ...)."""
        return importlib.import_module(
            {"jax": "jax.numpy", "dask": "dask.array"}.get(self.module, self.module)
        )

    def asarray(self, a, chunks=None):
        """NumPy array ``a`` (copied) as an array of this library and device."""
        a = np.array(a, copy=True)
        if self.module == "torch":
            return self.ns.asarray(a, device=self.device)
        if self.module == "dask":
            return self.ns.from_array(a, chunks=chunks or "auto")
        return self.ns.asarray(a)

    def dtype(self, name):
        """This library's dtype called ``name`` ("float32", ...)."""
        return getattr(self.ns, name)


def to_numpy(a):
    """Any supported array (or tuple of them) as NumPy, for comparison."""
    if isinstance(a, tuple):
        return tuple(to_numpy(x) for x in a)
    library = library_of(a)
    if library == "torch":
        return a.detach().cpu().resolve_conj().numpy()
    if library == "cupy":
        return a.get()
    if library == "dask":
        return np.asarray(a.compute())
    if library == "array_api_strict":
        return np.from_dlpack(a)
    return np.asarray(a)


def tolerance(dtype):
    """Relative tolerance for results of ``dtype`` against SciPy."""
    return 2e-5 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-11


def assert_matches(actual, expected, xp, *, rtol=None, atol=None):
    """``actual`` is an array of ``xp``'s library and device equal to SciPy's ``expected``.

    Checks library, device, shape and dtype exactly, values within the
    dtype's tolerance (absolute tolerance scaled by the largest value).
    """
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            assert_matches(a, e, xp, rtol=rtol, atol=atol)
        return
    library = library_of(actual)
    assert library == xp.module, f"result is a {library} array, expected {xp.module}"
    assert device_kind(actual, library) == xp.device, f"result left the {xp.device} device"
    got = to_numpy(actual)
    expected = np.asarray(expected)
    assert got.shape == expected.shape, f"shape {got.shape} != SciPy's {expected.shape}"
    assert got.dtype == expected.dtype, f"dtype {got.dtype} != SciPy's {expected.dtype}"
    rtol = tolerance(expected.dtype) if rtol is None else rtol
    if atol is None:
        finite = np.abs(expected[np.isfinite(expected)])
        atol = rtol * float(np.max(finite, initial=0.0))
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)


def assert_exact(actual, expected):
    """``actual`` (any library) equals NumPy's ``expected`` bit for bit, with its dtype and shape."""
    actual, expected = to_numpy(actual), np.asarray(expected)
    assert (actual.dtype, actual.shape) == (expected.dtype, expected.shape), (
        f"{actual.dtype} {actual.shape} != {expected.dtype} {expected.shape}"
    )
    np.testing.assert_array_equal(actual, expected)


def uneven_chunks(shape):
    """Several uneven chunks per axis of ``shape`` (sizes 2, 3, 4, ...; the whole axis where it is short)."""
    chunks = []
    for n in shape:
        sizes, left, step = [], n, 1
        while left > 0:
            sizes.append(min(left, step + 1))
            left -= sizes[-1]
            step += 1
        chunks.append(tuple(sizes))
    return tuple(chunks)


def compiled(function, xp, **kwargs):
    """``function`` with ``kwargs`` bound; under ``jax.jit`` for JAX (the laziness check)."""
    bound = functools.partial(function, **kwargs)
    if xp.module == "jax":
        return importlib.import_module("jax").jit(bound)
    return bound


def case_id(kwargs):
    """A test id naming the keyword arguments of a case."""
    return ",".join(f"{k}={getattr(v, '__name__', v)}" for k, v in kwargs.items()) or "defaults"


def forbid_dask_compute():
    """Context in which any Dask computation fails the test (laziness check)."""
    import dask

    def scheduler(*args, **kwargs):
        raise AssertionError("gsci computed a Dask array; it must stay lazy")

    return dask.config.set(scheduler=scheduler)


def longest_task_axis(array):
    """The longest axis of any array a task computes for the Dask ``array`` (computed synchronously,
    every task's result looked at): a chunk-parallel graph never holds a whole long axis in one task."""
    import dask
    from dask.callbacks import Callback

    longest = 0

    def looked_at(key, result, dsk, state, worker_id):
        nonlocal longest
        if not str(key).startswith("finalize-"):  # the result gathered for the caller
            longest = max(longest, *getattr(result, "shape", ()), 0)

    with Callback(posttask=looked_at), dask.config.set(scheduler="sync"):
        array.compute()
    return longest


def run_in_simulator(script):
    """Run ``script`` in a fresh interpreter with ``GSCI_KERNEL_SIM=1``; fail with its output.

    A fresh process, because the simulator must be on before numba is imported.
    """
    import os
    import subprocess
    import sys

    environment = {**os.environ, "GSCI_KERNEL_SIM": "1"}
    environment.pop("NUMBA_ENABLE_CUDASIM", None)
    run = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr


def require_ptx_compiler():
    """Skip unless numba's real CUDA target is here (``compile_ptx`` needs it; the simulator replaces it)."""
    import pytest

    pytest.importorskip("numba.cuda")
    from numba.core import config

    if config.ENABLE_CUDASIM:
        pytest.skip("compile_ptx needs numba's real CUDA target, not the simulator")


def assert_kernel_ptx(ptx, return_type, cc):
    """``ptx`` is a kernel (returns nothing) compiled for compute capability ``cc``."""
    from numba import types

    assert return_type == types.void
    assert f".target sm_{cc[0]}{cc[1]}" in ptx


def kernel_ptx(source, signature, cc):
    """The kernel ``source`` compiled to PTX for ``signature`` and compute capability ``cc``, checked."""
    require_ptx_compiler()
    from numba import cuda

    ptx, return_type = cuda.compile_ptx(source, signature, cc=cc)
    assert_kernel_ptx(ptx, return_type, cc)
    return ptx
