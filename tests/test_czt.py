"""czt, zoom_fft and czt_points against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute, uneven_chunks

import gsci
import gsci.signal

CZT_CASES = [
    {},
    {"m": 37},
    {"m": 5, "w": 0.98534 + 0.17055j, "a": 1.1},
    {"m": 20, "w": np.exp(-0.05j), "a": np.exp(0.3j)},
    {"m": 11, "w": 1.01, "a": 1},
    {"a": 2},
    {"axis": 0},
]
ZOOM_CASES = [
    {"fn": 2},
    {"fn": [0.1, 0.4]},
    {"fn": [0.1, 0.4], "m": 50, "endpoint": True},
    {"fn": [10.0, 20.0], "fs": 100.0, "m": 17},
    {"fn": np.array([0.2, 0.3]), "axis": 0},
]


@pytest.fixture(autouse=True)
def native_numpy(request):
    """NumPy input takes the native path too (SciPy serves NumPy input under "auto": tested apart)."""
    if request.node.name.startswith("test_tiny"):
        yield
        return
    with gsci.backend("native"):
        yield


def signal(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128", "int64"])
@pytest.mark.parametrize("case", range(len(CZT_CASES)))
def test_czt_matches_scipy(xp, case, dtype):
    options = CZT_CASES[case]
    x = signal((3, 24), "float64") * (10 if dtype == "int64" else 1)
    x = x.astype(dtype)
    expected = scipy.signal.czt(x, **options)
    given = xp.asarray(x, chunks=uneven_chunks(x.shape))
    assert_matches(gsci.signal.czt(given, **options), expected, xp, rtol=1e-9)
    np.testing.assert_array_equal(x, signal((3, 24)).astype(dtype) if dtype != "int64" else x)


@pytest.mark.parametrize("dtype", ["float32", "complex128"])
@pytest.mark.parametrize("case", range(len(ZOOM_CASES)))
def test_zoom_fft_matches_scipy(xp, case, dtype):
    options = ZOOM_CASES[case]
    x = signal((4, 30), dtype)
    expected = scipy.signal.zoom_fft(x, **options)
    given = xp.asarray(x, chunks=uneven_chunks(x.shape))
    assert_matches(gsci.signal.zoom_fft(given, **options), expected, xp, rtol=1e-9)


def test_fn_of_the_signal_library(xp):
    x = signal(40)
    expected = scipy.signal.zoom_fft(x, [0.1, 0.5], 12)
    assert_matches(gsci.signal.zoom_fft(xp.asarray(x), xp.asarray(np.array([0.1, 0.5])), 12), expected, xp)


def test_long_transform_equals_fft():
    x = signal(10007)
    assert_matches(gsci.signal.czt(x), scipy.signal.czt(x), Library.named("numpy"), rtol=1e-9)
    np.testing.assert_allclose(gsci.signal.czt(x), np.fft.fft(x), rtol=1e-9, atol=1e-9 * np.abs(x).sum())


def test_dask_stays_lazy():
    dask = Library.named("dask")
    x = signal((5, 40), "complex128")
    given = dask.asarray(x, chunks=uneven_chunks(x.shape))
    with forbid_dask_compute():
        y = gsci.signal.czt(given, m=30, w=np.exp(-0.04j), a=np.exp(0.2j), axis=-1)
        zoomed = gsci.signal.zoom_fft(given, [0.2, 0.6], 25, axis=0)
    assert y.chunks[0] == given.chunks[0]  # the other axis keeps its chunks
    assert_matches(y, scipy.signal.czt(x, m=30, w=np.exp(-0.04j), a=np.exp(0.2j)), dask, rtol=1e-9)
    assert_matches(zoomed, scipy.signal.zoom_fft(x, [0.2, 0.6], 25, axis=0), dask, rtol=1e-9)


def test_under_jax_jit():
    jax = Library.named("jax")
    x = signal((2, 33))
    run = compiled(gsci.signal.czt, jax, m=21, w=np.exp(-0.1j), a=1.05)
    assert_matches(run(jax.asarray(x)), scipy.signal.czt(x, m=21, w=np.exp(-0.1j), a=1.05), jax, rtol=1e-9)
    run = compiled(gsci.signal.zoom_fft, jax, fn=[0.1, 0.3], m=16, endpoint=True)
    expected = scipy.signal.zoom_fft(x, [0.1, 0.3], 16, endpoint=True)
    assert_matches(run(jax.asarray(x)), expected, jax, rtol=1e-9)


def test_torch_gradient():
    torch = pytest.importorskip("torch")
    x = torch.asarray(signal(16), requires_grad=True)
    y = gsci.signal.czt(x, m=10, w=np.exp(-0.2j), a=1.0)
    y.abs().pow(2).sum().backward()
    # d/dx sum |C x|^2 = 2 Re(C^H C x), C the transform's matrix (from SciPy on the identity)
    matrix = scipy.signal.czt(np.eye(16), m=10, w=np.exp(-0.2j), a=1.0, axis=0)
    expected = 2 * np.real(matrix.conj().T @ (matrix @ signal(16)))
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-9)
    x.grad = None
    gsci.signal.zoom_fft(x, [0.1, 0.2], 8).real.sum().backward()
    assert x.grad is not None and x.grad.shape == (16,)


def test_tiny_numpy_runs_scipy():  # every NumPy input, in fact
    assert "numpy" in gsci.signal.czt.declaration.scipy_for
    x = signal(12)
    np.testing.assert_array_equal(gsci.signal.czt(x, 9, 0.99 + 0.1j), scipy.signal.czt(x, 9, 0.99 + 0.1j))
    np.testing.assert_array_equal(gsci.signal.zoom_fft(x, [0.1, 0.2]), scipy.signal.zoom_fft(x, [0.1, 0.2]))


@pytest.mark.parametrize("case", [{"m": 5}, {"m": 7, "w": 2.0}, {"m": 11, "w": 0.9 + 0.1j, "a": 2j}])
def test_czt_points_match_scipy(case):
    assert_matches(gsci.signal.czt_points(**case), scipy.signal.czt_points(**case), Library.named("numpy"))


def test_bad_inputs(xp):
    empty = xp.asarray(np.zeros(0))
    for function, extra in ((gsci.signal.czt, ()), (gsci.signal.zoom_fft, (0.5,))):
        with pytest.raises(ValueError, match="Invalid number of CZT"):
            function(empty, *extra)
        for m in (0, -3, 5.5, 4.0):
            with pytest.raises(ValueError, match="Invalid number of CZT"):
                function(xp.asarray(signal(8)), *extra, m=m)
        with pytest.raises(ValueError, match="Invalid number of CZT"):
            scipy.signal.czt(np.zeros(8), m=4.0)  # SciPy's own
    with pytest.raises(IndexError):
        gsci.signal.czt(xp.asarray(np.asarray(5.0)))
    with pytest.raises(ValueError, match="2-length sequence"):
        gsci.signal.zoom_fft(xp.asarray(signal(8)), [1, 2, 3])
    with pytest.raises(ValueError, match="Invalid number of CZT"):
        gsci.signal.czt_points(0)
