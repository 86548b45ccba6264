"""The CUDA kernels (stencil; IIR blocked scan): simulator runs against SciPy, PTX builds, GPU runs."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from helpers import (
    Library,
    assert_kernel_ptx,
    assert_matches,
    kernel_ptx,
    require_ptx_compiler,
    run_in_simulator,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci import ndimage
from gsci.signal._iir import lfilter, sosfilt

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
    from numba import types

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
    ptx = kernel_ptx(stencil.correlate1d_source(mode), signature, cc)
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


# The IIR kernels' blocked scan over time chunks, forced onto short signals (the simulator is slow).
# Tolerance tied to the filter's conditioning: gsci's error against SciPy in float64 stays within a
# factor of the error SciPy's own sequential loop makes in float32 (scaled to the dtype's epsilon).
BLOCKED_SCAN_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.signal
    from gsci.kernels import iir
    from gsci.signal._iir import lfilter, sosfilt

    assert sosfilt.declaration.path("auto", "numpy", "cpu") == "kernel"
    iir.BLOCKED_FROM_LENGTH = 64
    iir.FULL_GPU_LANES = 12  # 12, 6 or 4 chunks for 1, 2 or 3 channels: few carry steps, each slow here
    carries = []  # one per launch of the blocked scan's carry kernel
    launch_carries = iir.chunk_carries_into
    iir.chunk_carries_into = lambda *arrays: carries.append(arrays) or launch_carries(*arrays)
    rng = np.random.default_rng(0)
    failures = []

    def relative_error(got, want):
        return np.max(np.abs(got - want)) / np.max(np.abs(want))

    def run(function, arrays, dtype):
        return function(*(a.astype(dtype) for a in arrays[:-1]), zi=arrays[-1].astype(dtype))

    def compare(name, filtered, oracle, arrays, dtype):
        want = run(oracle, arrays, np.float64)
        single = run(oracle, arrays, np.float32)
        conditioning = max(relative_error(s, w) for s, w in zip(single, want))
        eps = np.finfo(dtype).eps
        tol = 20 * conditioning * eps / np.finfo(np.float32).eps + 10 * eps
        for g, w in zip(run(filtered, arrays, dtype), want):
            error = relative_error(g, w)
            if g.dtype != dtype or g.shape != w.shape or error > tol:
                failures.append(f"{name} {dtype}: {g.dtype} {g.shape} error {error:.1e} > {tol:.1e}")

    cases = 0
    for size in range(1, 9):
        channels, n = (size % 3 + 1), 60 + 13 * size  # 1-3 channels, a ragged last chunk
        x = rng.standard_normal((channels, n))
        if FORM == "sos":
            sos = scipy.signal.butter(size, [0.1, 0.4], btype="band", output="sos")
            zi = rng.standard_normal((size, channels, 2))
            arrays, filtered, oracle = (sos, x, zi), sosfilt, scipy.signal.sosfilt
        else:
            b, a = scipy.signal.cheby1(size, 1, 0.4)
            zi = rng.standard_normal((channels, size))
            arrays, filtered, oracle = (b, a, x, zi), lfilter, scipy.signal.lfilter
        for dtype in (np.float32, np.float64):
            compare(f"{FORM} {size} {channels}x{n}", filtered, oracle, arrays, dtype)
            cases += 1
    x = rng.standard_normal((70, 2)).astype(np.float32)  # time on axis 0, no zi
    sos = scipy.signal.butter(3, 0.2, output="sos").astype(np.float32)
    got, want = sosfilt(sos, x, axis=0), scipy.signal.sosfilt(sos, x, axis=0)
    if got.dtype != want.dtype or not np.allclose(got, want, rtol=1e-4, atol=1e-5):
        failures.append("axis=0 without zi")
    if len(carries) != cases + 1:
        failures.append(f"the blocked scan ran {len(carries)} times for {cases + 1} calls")
    if failures:
        sys.exit("blocked scan differs from SciPy: " + "; ".join(failures))
    """
)


@pytest.mark.parametrize("form", ["sos", "ba"])
def test_iir_blocked_scan_in_simulator_matches_scipy(form):
    run_in_simulator(f"FORM = {form!r}\n" + BLOCKED_SCAN_SCRIPT)


IIR_KERNELS = ("sections_df2t_chunks", "chunk_final_states", "chunk_carries")  # without importing numba here


@pytest.mark.parametrize("kernel", IIR_KERNELS)
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_iir_kernels_compile_to_ptx(dtype, cc, kernel):
    require_ptx_compiler()
    from gsci.kernels import iir

    assert set(iir.KERNELS) == set(IIR_KERNELS)
    ptx, return_type = iir.ptx(dtype, cc, kernel)
    assert_kernel_ptx(ptx, return_type, cc)
    assert ".local" in ptx  # the cascade's state (or the carry's row of A) lives in a local array
    assert "mul.wide" in ptx or ".s64" in ptx  # 64-bit index arithmetic
    if dtype == "float32":
        assert ".f64" not in ptx, "float32 data must be filtered in float32, as SciPy does"
    if kernel == "chunk_carries":
        assert ".shared" in ptx and "bar.sync" in ptx  # the state vector, shared by one block per channel


@settings(max_examples=50, deadline=None)
@given(channels=st.integers(1, 2**17), n=st.integers(1, 2**34))
def test_iir_chunking_rule(channels, n):
    pytest.importorskip("numba.cuda")
    from gsci.kernels import iir

    chunking = iir.chunking(channels, n)
    if channels > iir.FULL_GPU_LANES // 4 or n < iir.BLOCKED_FROM_LENGTH:
        assert chunking is None  # many channels fill the GPU one thread each; short ones need no scan
        return
    count, length = chunking
    assert count >= 4 and (count - 1) * length < n <= count * length  # the last chunk is not empty
    assert count * channels < iir.FULL_GPU_LANES + channels  # no more chunks than the GPU runs at once
    assert count <= length + 1  # the carry's walk over chunks is no longer than a chunk


def test_iir_chunking_of_one_long_channel():
    pytest.importorskip("numba.cuda")
    from gsci.kernels import iir

    assert iir.chunking(1, 2**26) == (2**13, 2**13)
    assert iir.chunking(4, 2**26) == (2**13, 2**13)
    assert iir.chunking(1000, 2**26) == (33, 2033602)
    assert iir.chunking(iir.FULL_GPU_LANES // 4, 2**26) == (4, 2**24)
    assert iir.chunking(iir.FULL_GPU_LANES // 4 + 1, 2**26) is None
    assert iir.chunking(1, iir.BLOCKED_FROM_LENGTH - 1) is None


def _conditioned_tolerance(oracle, arrays, dtype):
    """Relative tolerance for the blocked scan in ``dtype``: 20 times the error SciPy's own float32
    recurrence makes on ``arrays`` (measured against its float64 result), scaled to ``dtype``'s epsilon.
    """
    want = oracle(*arrays[:-1], zi=arrays[-1])
    single = oracle(*(a.astype(np.float32) for a in arrays[:-1]), zi=arrays[-1].astype(np.float32))
    conditioning = max(np.max(np.abs(s - w)) / np.max(np.abs(w)) for s, w in zip(single, want, strict=True))
    eps = np.finfo(dtype).eps
    return want, 20 * conditioning * eps / np.finfo(np.float32).eps + 10 * eps


@pytest.mark.parametrize("name", GPU_LIBRARIES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_iir_blocked_scan_on_gpu_matches_scipy(name, dtype):
    xp = gpu_library(name)
    from gsci.kernels import iir

    n = 2**22
    assert iir.chunking(1, n) is not None, "one long channel takes the blocked scan"
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, n))
    sos = scipy.signal.butter(8, [0.1, 0.3], btype="band", output="sos")
    b, a = scipy.signal.cheby1(8, 1, 0.4)
    cases = [
        (sosfilt, scipy.signal.sosfilt, (sos, x, rng.standard_normal((8, 1, 2)))),
        (lfilter, scipy.signal.lfilter, (b, a, x[:, : n // 4], rng.standard_normal((1, 8)))),
    ]
    for filtered, oracle, arrays in cases:
        want, rtol = _conditioned_tolerance(oracle, arrays, dtype)
        got = filtered(
            *(xp.asarray(v.astype(dtype)) for v in arrays[:-1]), zi=xp.asarray(arrays[-1].astype(dtype))
        )
        for g, w in zip(got, want, strict=True):
            assert_matches(g, w.astype(dtype), xp, rtol=0, atol=rtol * np.max(np.abs(w)))
    assert_matches(sosfilt(xp.asarray(sos), xp.asarray(x[0])), scipy.signal.sosfilt(sos, x[0]), xp, rtol=1e-9)
