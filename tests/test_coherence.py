"""coherence against SciPy on every library."""

import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import (
    Library,
    assert_matches,
    case_id,
    compiled,
    forbid_dask_compute,
    longest_task_axis,
    uneven_chunks,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci.signal


def signal(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return (x + 0.5).astype(dtype)


def related(x, seed=1):
    """A signal partly coherent with ``x``: a smoothed copy plus noise."""
    noise = signal(x.shape, str(x.dtype), seed)
    return (np.cumsum(x, axis=-1) * 0.1 + noise).astype(x.dtype)


CASES = [
    {},
    {"nperseg": 64},
    {"nperseg": 64, "noverlap": 10, "fs": 12.5},
    {"nperseg": 50, "nfft": 81},
    {"nperseg": 64, "detrend": "linear"},
    {"nperseg": 64, "detrend": False},
    {"nperseg": 63, "window": ("tukey", 0.3)},
    {"nperseg": 64, "window": "hann"},
    {"nperseg": 32, "noverlap": -8},
]


@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [(d, k) for d in ("float32", "float64") for k in CASES] + [("complex128", k) for k in CASES[1:5]],
    ids=lambda p: p if isinstance(p, str) else case_id(p),
)
def test_coherence_matches_scipy(xp, dtype, kwargs):
    x = signal((2, 300), dtype)
    y = related(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # nperseg=256 > 300 is not raised; tested apart
        expected = scipy.signal.coherence(x, y, **kwargs)
        actual = compiled(gsci.signal.coherence, xp, **kwargs)(xp.asarray(x), xp.asarray(y))
    assert_matches(actual, expected, xp)


@pytest.mark.parametrize(
    ("x_shape", "y_shape", "axis"),
    [((300, 2), (300, 2), 0), ((2, 300, 3), (300, 1), -2), ((3, 300), (300,), -1), ((300,), (2, 300), -1)],
    ids=repr,
)
def test_coherence_broadcasts_and_any_axis(xp, x_shape, y_shape, axis):
    x, y = signal(x_shape), signal(y_shape, seed=2)
    expected = scipy.signal.coherence(x, y, nperseg=64, axis=axis)
    assert_matches(gsci.signal.coherence(xp.asarray(x), xp.asarray(y), nperseg=64, axis=axis), expected, xp)


def test_coherence_of_different_lengths_is_scipys_three_spectra(xp):
    """Pxx and Pyy of each signal alone (its own length), Pxy of the zero-padded pair."""
    x, y = signal((2, 500)), signal((2, 300), seed=2)
    expected = scipy.signal.coherence(x, y, nperseg=64)
    assert_matches(gsci.signal.coherence(xp.asarray(x), xp.asarray(y), nperseg=64), expected, xp)


def test_coherence_mixed_precision_and_integers(xp):
    x = signal(400, "float32")
    y = (signal(400, seed=3) * 100).astype("int16")
    expected = scipy.signal.coherence(x, y, nperseg=64)
    assert_matches(gsci.signal.coherence(xp.asarray(x), xp.asarray(y), nperseg=64), expected, xp)
    z = related(x).astype("float64")
    expected = scipy.signal.coherence(x, z, nperseg=64)  # float64, from SciPy's float32 Pxx: float32-accurate
    assert_matches(gsci.signal.coherence(xp.asarray(x), xp.asarray(z), nperseg=64), expected, xp, rtol=2e-5)


def test_coherence_of_a_signal_with_itself(xp):
    x = signal(400)
    expected = scipy.signal.coherence(x, x, nperseg=64)
    lazy = xp.asarray(x)
    assert_matches(gsci.signal.coherence(lazy, lazy, nperseg=64), expected, xp)


def test_coherence_array_window(xp):
    x, window = signal((2, 300)), np.kaiser(48, 6.0)
    y = related(x)
    expected = scipy.signal.coherence(x, y, window=window, noverlap=12)
    actual = gsci.signal.coherence(xp.asarray(x), xp.asarray(y), window=xp.asarray(window), noverlap=12)
    assert_matches(actual, expected, xp)
    actual = gsci.signal.coherence(xp.asarray(x), xp.asarray(y), window=window, noverlap=12)  # NumPy window
    assert_matches(actual, expected, xp)


def test_coherence_clips_nperseg_with_scipys_warning(xp):
    x = signal(100)
    y = related(x)
    with pytest.warns(UserWarning, match="nperseg=256 is greater than signal length"):
        expected = scipy.signal.coherence(x, y)
    with pytest.warns(UserWarning, match="nperseg=256 is greater than signal length"):
        actual = gsci.signal.coherence(xp.asarray(x), xp.asarray(y))
    assert_matches(actual, expected, xp)


@pytest.mark.parametrize(("x_shape", "y_shape"), [((0,), (0,)), ((3, 0), (3, 0)), ((0, 5), (0, 5))], ids=repr)
def test_coherence_empty(xp, x_shape, y_shape):
    x, y = np.zeros(x_shape), np.zeros(y_shape)
    expected = scipy.signal.coherence(x, y)
    assert_matches(gsci.signal.coherence(xp.asarray(x), xp.asarray(y)), expected, xp)


BAD = [
    {"nperseg": 0},
    {"nperseg": 64, "noverlap": 64},
    {"nperseg": 64, "nfft": 10},
    {"nperseg": 64, "detrend": "quadratic"},
    {"nperseg": 64, "detrend": 3},
    {"window": np.ones(10), "nperseg": 20},
    {"window": np.ones((4, 4))},
]


@pytest.mark.parametrize("kwargs", BAD, ids=case_id)
def test_bad_arguments_raise_like_scipy(xp, kwargs):
    x = signal(300)
    y = related(x)
    with pytest.raises(ValueError):
        scipy.signal.coherence(x, y, **kwargs)
    with pytest.raises(ValueError):
        gsci.signal.coherence(xp.asarray(x), xp.asarray(y), **kwargs)


@pytest.mark.parametrize("complex_one", ["x", "y"])
def test_one_complex_signal_raises_like_scipy(complex_one):
    x, z = signal(300), signal(300, "complex128", seed=2)
    pair = (z, x) if complex_one == "x" else (x, z)
    with pytest.raises(ValueError):
        scipy.signal.coherence(*pair, nperseg=64)
    with pytest.raises(ValueError, match="both be real or both complex"):
        gsci.signal.coherence(*pair, nperseg=64)


def test_shapes_that_do_not_broadcast_raise():
    with pytest.raises(ValueError, match="broadcast"):
        gsci.signal.coherence(signal((2, 300)), signal((3, 300)), nperseg=64)


def test_mixed_libraries_raise_typeerror():
    torch = pytest.importorskip("torch")
    x = signal(300)
    with pytest.raises(TypeError, match="different libraries"):
        gsci.signal.coherence(x, torch.asarray(x), nperseg=16)


def test_numpy_inputs_untouched_read_only_and_negative_strides():
    base = signal((2, 300))
    x = base[:, ::-1]
    y = related(base)[::-1]
    y.flags.writeable = False
    before_x, before_y = x.copy(), y.copy()
    for detrend in ("constant", "linear", False):
        np.testing.assert_allclose(
            gsci.signal.coherence(x, y, nperseg=64, detrend=detrend)[1],
            scipy.signal.coherence(x.copy(), y.copy(), nperseg=64, detrend=detrend)[1],
            rtol=1e-11,
        )
    np.testing.assert_array_equal(x, before_x)
    np.testing.assert_array_equal(y, before_y)


def test_nan_propagates_like_scipy(xp):
    x = signal((3, 200))
    y = related(x)
    x[0, 10] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = scipy.signal.coherence(x, y, nperseg=64)
        actual = gsci.signal.coherence(xp.asarray(x), xp.asarray(y), nperseg=64)
    assert_matches(actual, expected, xp)


@pytest.mark.parametrize(
    "kwargs",
    [{"nperseg": 64}, {"nperseg": 100, "noverlap": 90, "detrend": "linear"}, {"nperseg": 300}],
    ids=case_id,
)
def test_dask_stays_lazy_and_chunk_parallel(kwargs):
    da = pytest.importorskip("dask.array")
    x = signal((3, 2000))
    y = related(x)
    dask_library = Library.named("dask")
    with forbid_dask_compute():
        lazy_x = da.from_array(x, chunks=uneven_chunks(x.shape))
        lazy_y = da.from_array(y, chunks=((1, 2), (700, 1, 1299)))
        actual = gsci.signal.coherence(lazy_x, lazy_y, **kwargs)
    assert_matches(actual, scipy.signal.coherence(x, y, **kwargs), dask_library)
    assert longest_task_axis(actual[1]) < x.shape[-1]  # no task holds the whole time axis


def test_lazy_under_jax_jit():
    pytest.importorskip("jax")
    jax_library = Library.named("jax")
    x = signal((2, 300))
    y = related(x)
    coherence = compiled(gsci.signal.coherence, jax_library, nperseg=64, detrend="linear")
    expected = scipy.signal.coherence(x, y, nperseg=64, detrend="linear")
    assert_matches(coherence(jax_library.asarray(x), jax_library.asarray(y)), expected, jax_library)


def test_torch_gradcheck():
    torch = pytest.importorskip("torch")
    x = torch.asarray(signal(48), requires_grad=True)
    y = torch.asarray(related(signal(48)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: gsci.signal.coherence(a, b, nperseg=16)[1], (x, y))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(8, 200),
    nperseg=st.integers(4, 64),  # 2 samples detrended linearly are 0: SciPy's and gsci's spectra are noise
    overlap=st.floats(0, 0.9),
    pad=st.integers(0, 20),
    detrend=st.sampled_from(["constant", "linear", False]),
)
def test_property_matches_scipy(n, nperseg, overlap, pad, detrend):
    x = signal((2, n), seed=n)
    y = related(x)
    nperseg = min(nperseg, n)
    kwargs = {"nperseg": nperseg, "noverlap": int(overlap * nperseg), "nfft": nperseg + pad}
    kwargs["detrend"] = detrend
    expected = scipy.signal.coherence(x, y, **kwargs)
    np.testing.assert_allclose(gsci.signal.coherence(x, y, **kwargs)[1], expected[1], rtol=1e-9, atol=1e-12)
