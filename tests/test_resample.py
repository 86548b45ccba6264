"""resample (Fourier method) against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, case_id, compiled, forbid_dask_compute, tolerance
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci
import gsci.signal


def signal(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) + 0.5
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return (x * 100 if dtype.startswith("int") else x).astype(dtype)


def spectral(f):
    return 1 / (1 + 10 * f**2)


CASES = [
    ((40,), 60, {}),
    ((40,), 25, {}),
    ((41,), 64, {}),
    ((41,), 17, {}),
    ((2, 32), 48, {"axis": 1}),
    ((2, 32), 16, {"axis": -1}),
    ((33, 3), 50, {}),
    ((4, 9, 3), 14, {"axis": 1}),
    ((40,), 60, {"window": "hann"}),
    ((41,), 20, {"window": ("kaiser", 8.0)}),
    ((2, 32), 47, {"axis": 1, "window": spectral}),
    ((36,), 36, {}),
    ((36,), 36, {"domain": "freq"}),
    ((2, 30), 45, {"axis": 1, "domain": "freq"}),
    ((2, 30), 14, {"axis": 1, "domain": "freq", "window": "hamming"}),
    ((1,), 5, {}),
    ((6,), 1, {}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128", "int16"])
@pytest.mark.parametrize(
    ("shape", "num", "kwargs"), CASES, ids=[f"{s}->{n},{case_id(k)}" for s, n, k in CASES]
)
def test_resample_matches_scipy(xp, dtype, shape, num, kwargs):
    if dtype == "int16" and kwargs.get("domain") == "freq":
        pytest.skip("SciPy fails on an integer spectrum (in-place division of an int16 array)")
    x = signal(shape, dtype)
    expected = scipy.signal.resample(x, num, **kwargs)
    with gsci.backend("native"):
        actual = compiled(gsci.signal.resample, xp, num=num, **kwargs)(xp.asarray(x))
    assert_matches(actual, expected, xp, rtol=tolerance(x.dtype))  # a float64 window promotes single FFTs


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
def test_window_array_of_the_library_and_numpy(xp, dtype):
    x = signal((3, 20), dtype)
    window = np.linspace(0.5, 1.5, 20).astype("float32")
    expected = scipy.signal.resample(x, 31, axis=1, window=window)
    for spectral_window in (xp.asarray(window), window):
        with gsci.backend("native"):
            actual = gsci.signal.resample(xp.asarray(x), 31, axis=1, window=spectral_window)
        assert_matches(actual, expected, xp, rtol=tolerance(x.dtype))


@pytest.mark.parametrize("t", [[10, 12], [0.5, 0.75], np.array([1.0, 3.0], dtype="float32")])
def test_time_stamps(xp, t):
    x = signal(16)
    expected = scipy.signal.resample(x, 24, t=t)
    given = xp.asarray(t) if isinstance(t, np.ndarray) else t
    with gsci.backend("native"):
        actual = gsci.signal.resample(xp.asarray(x), 24, t=given)
    assert_matches(actual, expected, xp)


@pytest.mark.parametrize(
    ("n", "num"), [(2**15, 3 * 2**14), (2**15, 2**14 + 2), (2**15 + 2, 2**16), (2**15, 2**15)]
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_long_numpy_lines_packed_fft(n, num, dtype):
    x = signal(n, dtype)
    window = scipy.signal.get_window("hann", n)
    assert_matches(gsci.signal.resample(x, num), scipy.signal.resample(x, num), Library.named("numpy"))
    assert_matches(
        gsci.signal.resample(x, num, window=window),
        scipy.signal.resample(x, num, window=window),
        Library.named("numpy"),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_resample_properties(xp, data):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    n = data.draw(st.integers(1, 40), label="n")
    num = data.draw(st.integers(1, 60), label="num")
    dtype = data.draw(st.sampled_from(["float64", "complex128"]), label="dtype")
    window = data.draw(st.sampled_from([None, "hann", spectral]), label="window")
    x = signal((3, n), dtype)
    expected = scipy.signal.resample(x, num, axis=1, window=window)
    with gsci.backend("native"):
        assert_matches(gsci.signal.resample(xp.asarray(x), num, axis=1, window=window), expected, xp)


@pytest.mark.parametrize(
    ("x", "num", "kwargs", "error"),
    [
        (signal(8), 4, {"domain": "INVALID"}, ValueError),
        (signal(8), 4, {"window": np.ones(7)}, ValueError),
        (signal(8), 4, {"window": "nonsense"}, ValueError),
        (signal(8), 4, {"window": [1.0] * 8}, ValueError),
        (signal(8), 0, {}, ZeroDivisionError),
        (signal(8) + 1j, -2, {}, ValueError),
        (signal(8), 4.0, {}, TypeError),
        (signal((2, 8)), 4, {"axis": 2}, IndexError),
        (np.float64(1.0), 4, {}, IndexError),
        (signal((2, 0)), 4, {"axis": 1}, ValueError),
    ],
)
def test_bad_inputs_raise_like_scipy(xp, x, num, kwargs, error):
    with pytest.raises(error):
        scipy.signal.resample(np.asarray(x), num, **kwargs)
    with pytest.raises(error), gsci.backend("native"):
        gsci.signal.resample(xp.asarray(np.asarray(x)), num, **kwargs)


def test_one_dimensional_input_ignores_axis_like_scipy():
    x = signal(10)
    np.testing.assert_allclose(gsci.signal.resample(x, 15, axis=3), scipy.signal.resample(x, 15, axis=3))


def test_python_sequences_and_tiny_numpy_inputs_run_scipy():
    x = signal(10)
    np.testing.assert_allclose(gsci.signal.resample(x.tolist(), 7), scipy.signal.resample(x, 7), rtol=1e-12)
    assert gsci.signal.resample.declaration.scipy_when(x)


def test_numpy_inputs_untouched_read_only_and_negative_strides():
    base = signal((40, 3))
    x = base[::-2, ::-1]
    y = np.array(base)
    y.flags.writeable = False
    window = np.hanning(20)
    window.flags.writeable = False
    before = x.copy(), y.copy(), window.copy()
    with gsci.backend("native"):
        np.testing.assert_allclose(
            gsci.signal.resample(x, 30, window=window), scipy.signal.resample(x.copy(), 30, window=window)
        )
        np.testing.assert_allclose(gsci.signal.resample(y, 50, axis=0), scipy.signal.resample(y.copy(), 50))
    for now, then in zip((x, y, window), before, strict=True):
        np.testing.assert_array_equal(now, then)


def test_lazy_on_dask_other_axes_keep_their_chunks():
    da = pytest.importorskip("dask.array")
    x = signal((32, 25))
    chunks = ((3, 7, 5, 17), (4, 9, 12))
    with forbid_dask_compute():
        along_rows = gsci.signal.resample(da.from_array(x, chunks=chunks), 40, axis=1, window="hann")
        along_columns = gsci.signal.resample(da.from_array(x, chunks=chunks), 20, t=[0.0, 0.5])
    assert along_rows.chunks[0] == chunks[0]
    assert along_columns[0].chunks[1] == chunks[1]
    dask_library = Library.named("dask")
    assert_matches(along_rows, scipy.signal.resample(x, 40, axis=1, window="hann"), dask_library)
    assert_matches(along_columns, scipy.signal.resample(x, 20, t=[0.0, 0.5]), dask_library)


def test_torch_gradcheck():
    torch = pytest.importorskip("torch")
    x = torch.asarray(signal(12), requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: gsci.signal.resample(t, 18), (x,))
