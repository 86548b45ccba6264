"""The CUDA stencil kernel: simulator runs against SciPy, PTX builds, and GPU runs when a GPU is visible."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, run_in_simulator

from gsci import ndimage

# Runs in a fresh interpreter: the simulator must be on before numba is imported.
SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci import ndimage

    assert ndimage.correlate1d.declaration.path("auto", "numpy", "cpu") == "kernel"
    modes = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
    rng = np.random.default_rng(0)
    failures = []

    def compare(name, got, want, tol):
        if got.dtype != want.dtype or not np.allclose(got, want, rtol=tol, atol=tol):
            failures.append(name)

    for shape in [(7,), (7, 5), (3, 4, 2)]:
        for dtype in ("float32", "float64"):
            x = rng.standard_normal(shape).astype(dtype)
            tol = 1e-5 if dtype == "float32" else 1e-12
            for mode in modes:
                for axis in range(len(shape)):
                    for weights, origin in [([1.0, -2.0, 0.5, 3.0], -2), ([0.5, 1.5, -1.0], 1), ([2.0], 0)]:
                        kwargs = dict(axis=axis, mode=mode, cval=1.5, origin=origin)
                        compare(
                            f"correlate1d {shape} {dtype} {kwargs}",
                            ndimage.correlate1d(x, weights, **kwargs),
                            scipy.ndimage.correlate1d(x, weights, **kwargs),
                            tol,
                        )
                compare(
                    f"laplace {shape} {dtype} {mode}",
                    ndimage.laplace(x, mode=mode, cval=0.5),
                    scipy.ndimage.laplace(x, mode=mode, cval=0.5),
                    tol,
                )
    x = rng.standard_normal((5, 6))
    compare("convolve1d", ndimage.convolve1d(x, [1.0, 2.0]), scipy.ndimage.convolve1d(x, [1.0, 2.0]), 1e-12)
    ints = (x * 10).astype(np.int16)
    compare("int16", ndimage.laplace(ints), scipy.ndimage.laplace(ints), 0)
    compare("modes per axis", ndimage.laplace(x, mode=["wrap", "mirror"]),
            scipy.ndimage.laplace(x, mode=["wrap", "mirror"]), 1e-12)
    output = np.zeros((5, 6), np.float32)
    assert ndimage.correlate1d(x, [1.0, 3.0], output=output) is output
    want = scipy.ndimage.correlate1d(x, [1.0, 3.0], output=np.float32)
    compare("output array", output, want, 1e-5)
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


def test_import_gsci_imports_no_numba():
    script = (
        "import sys, numpy as np, gsci, gsci.kernels\n"
        "from gsci.ndimage import correlate1d, convolve1d, laplace\n"
        "laplace(np.ones((3, 3)))\n"
        "assert 'numba' not in sys.modules, 'numba imported'\n"
    )
    environment = {
        k: v for k, v in os.environ.items() if k not in ("GSCI_KERNEL_SIM", "NUMBA_ENABLE_CUDASIM")
    }
    run = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def _in_simulator():
    from numba.core import config

    return config.ENABLE_CUDASIM


@pytest.mark.parametrize("mode", range(5))  # gsci.kernels.stencil.MODES, without importing numba here
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kernels_compile_to_ptx(dtype, cc, mode):
    pytest.importorskip("numba.cuda")
    if _in_simulator():
        pytest.skip("compile_ptx needs numba's real CUDA target, not the simulator")
    from numba import cuda, types

    from gsci.kernels import stencil

    scalar = getattr(types, dtype)
    signature = (
        scalar[::1],
        scalar[::1],
        scalar[::1],
        types.int64,
        types.int64,
        types.int64,
        scalar,
        types.boolean,
    )
    assert mode in stencil.MODES
    ptx, return_type = cuda.compile_ptx(stencil.correlate1d_source(mode), signature, cc=cc)
    assert return_type == types.void
    assert f".target sm_{cc[0]}{cc[1]}" in ptx
    assert "mul.wide" in ptx or ".s64" in ptx  # 64-bit index arithmetic


def test_launch_geometry_is_one_patchable_setting(monkeypatch):
    pytest.importorskip("numba.cuda")
    if _in_simulator():
        pytest.skip("the simulator has its own geometry")
    from gsci.kernels import _launch

    monkeypatch.setattr(_launch, "THREADS_PER_BLOCK", 64)
    assert _launch.geometry(1) == (1, 64)
    assert _launch.geometry(129) == (3, 64)
    assert _launch.geometry(2**40) == (_launch.MAX_BLOCKS, 64)  # the grid-stride loop covers the rest


def gpu_library(name):
    library = Library.named(name)
    pytest.importorskip(library.module)
    return library


GPU_LIBRARIES = [pytest.param(name, marks=pytest.mark.gpu) for name in ("cupy", "torch-cuda")]
MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")


@pytest.mark.parametrize("name", GPU_LIBRARIES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kernel_path_on_gpu_matches_scipy(name, dtype):
    xp = gpu_library(name)
    assert ndimage.laplace.declaration.path("auto", xp.module, "cuda") == "kernel"
    x = np.random.default_rng(0).standard_normal((33, 17, 5)).astype(dtype)
    weights = np.array([0.5, -1.0, 2.0, 0.25])
    atol = 1e-4 if dtype == "float32" else None
    for mode in MODES:
        for axis in range(3):
            kwargs = dict(axis=axis, mode=mode, cval=1.5, origin=-1)
            expected = scipy.ndimage.correlate1d(x, weights, **kwargs)
            assert_matches(
                ndimage.correlate1d(xp.asarray(x), xp.asarray(weights), **kwargs), expected, xp, atol=atol
            )
        expected = scipy.ndimage.laplace(x, mode=mode, cval=0.5)
        assert_matches(ndimage.laplace(xp.asarray(x), mode=mode, cval=0.5), expected, xp, atol=atol)
    strided = x[::-2, 1::3]
    assert_matches(
        ndimage.convolve1d(xp.asarray(x)[::-2, 1::3], list(weights), axis=1),
        scipy.ndimage.convolve1d(strided, weights, axis=1),
        xp,
        atol=atol,
    )


@pytest.mark.parametrize("name", GPU_LIBRARIES)
def test_kernels_compile_once_per_dtype_and_mode(name):
    xp = gpu_library(name)
    from gsci.kernels import stencil

    kernel = stencil.correlate1d_kernel(stencil.MODES[1])  # wrap
    ndimage.correlate1d(xp.asarray(np.ones((4, 3))), [1.0], mode="wrap")
    compiled = len(kernel.overloads)
    for shape, taps in [((8, 9), 3), ((5, 4, 7), 5), ((100,), 2)]:
        x = xp.asarray(np.ones(shape))
        ndimage.correlate1d(x, list(range(1, taps + 1)), mode="wrap", axis=0, cval=float(taps))
    assert len(kernel.overloads) == compiled


@pytest.mark.parametrize("name", GPU_LIBRARIES)
def test_kernel_runs_on_the_current_stream(name, monkeypatch):
    xp = gpu_library(name)
    from gsci.kernels import stencil

    used = []
    original = stencil.stream_of

    def recording(array):
        stream = original(array)
        used.append(int(stream))
        return stream

    monkeypatch.setattr(stencil, "stream_of", recording)
    x = np.random.default_rng(1).standard_normal((64, 48))
    if xp.module == "cupy":
        import cupy

        stream = cupy.cuda.Stream(non_blocking=True)
        with stream:
            result = ndimage.laplace(xp.asarray(x))
            stream.synchronize()
        expected_handle = stream.ptr
    else:
        import torch

        stream = torch.cuda.Stream()
        with torch.cuda.stream(stream):
            result = ndimage.laplace(xp.asarray(x))
        stream.synchronize()
        expected_handle = stream.cuda_stream
    assert used and all(handle == expected_handle for handle in used)
    assert_matches(result, scipy.ndimage.laplace(x), xp)
