"""welch, csd and periodogram against SciPy on every library."""

import functools
import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, case_id, compiled, forbid_dask_compute, longest_task_axis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci.signal

DTYPES = ("float32", "float64", "complex128")
REAL_DTYPES = ("float32", "float64")


def signal(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return (x + 0.5).astype(dtype)


def first_sample_removed(segments):
    """A detrend callable that every library can run: per segment, like SciPy's calls."""
    return segments - segments[..., :1]


WELCH_CASES = [
    {},
    {"nperseg": 64},
    {"nperseg": 64, "noverlap": 10, "fs": 12.5},
    {"nperseg": 50, "nfft": 81},
    {"nperseg": 64, "detrend": "linear"},
    {"nperseg": 64, "detrend": False, "scaling": "spectrum"},
    {"nperseg": 64, "average": "median"},
    {"nperseg": 40, "average": "median", "noverlap": 30},
    {"nperseg": 64, "return_onesided": False},
    {"nperseg": 63, "nfft": 63},
    {"nperseg": 64, "window": ("tukey", 0.3)},
    {"nperseg": 64, "window": "hann"},
    {"nperseg": 64, "detrend": first_sample_removed},
    {"nperseg": 32, "noverlap": -8},
]


COMPLEX_WELCH_CASES = [WELCH_CASES[i] for i in (1, 3, 4, 6, 8)]


@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [(d, k) for d in REAL_DTYPES for k in WELCH_CASES] + [("complex128", k) for k in COMPLEX_WELCH_CASES],
    ids=lambda p: p if isinstance(p, str) else case_id(p),
)
def test_welch_matches_scipy(xp, dtype, kwargs):
    x = signal((2, 300), dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # nperseg=256 > 300 is not raised; tested apart
        expected = scipy.signal.welch(x, **kwargs)
    assert_matches(compiled(gsci.signal.welch, xp, **kwargs)(xp.asarray(x)), expected, xp)


@pytest.mark.parametrize(("shape", "axis"), [((300, 2), 0), ((2, 300, 3), 1), ((2, 3, 300), -1), ((300,), 0)])
def test_welch_any_axis(xp, shape, axis):
    x = signal(shape)
    expected = scipy.signal.welch(x, nperseg=64, axis=axis, detrend="linear")
    assert_matches(gsci.signal.welch(xp.asarray(x), nperseg=64, axis=axis, detrend="linear"), expected, xp)


@pytest.mark.parametrize(("numpy_dtype", "library_dtype"), [("int64", "int64"), ("int16", "int16")])
def test_welch_integer_input_dtype(xp, numpy_dtype, library_dtype):
    x = (signal(200) * 100).astype(numpy_dtype)
    expected = scipy.signal.welch(x, nperseg=64)
    assert_matches(gsci.signal.welch(xp.asarray(x), nperseg=64), expected, xp)


def test_welch_array_window(xp):
    x, window = signal((2, 300)), np.kaiser(48, 6.0)
    expected = scipy.signal.welch(x, window=window, noverlap=12)
    assert_matches(gsci.signal.welch(xp.asarray(x), window=xp.asarray(window), noverlap=12), expected, xp)


def test_welch_python_sequences():
    x, window = signal(40).tolist(), [1.0, 2.0, 3.0, 2.0]
    expected = scipy.signal.welch(np.asarray(x), window=np.asarray(window))
    np.testing.assert_allclose(gsci.signal.welch(x, window=window)[1], expected[1], rtol=1e-12)


def test_welch_clips_nperseg_with_scipys_warning(xp):
    x = signal(100)
    with pytest.warns(UserWarning, match="nperseg=256 is greater than signal length"):
        expected = scipy.signal.welch(x)
    with pytest.warns(UserWarning, match="nperseg=256 is greater than signal length") as record:
        actual = gsci.signal.welch(xp.asarray(x))
    assert record[0].filename == __file__  # points at the caller
    assert_matches(actual, expected, xp)


@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 5)])
def test_welch_and_periodogram_empty(xp, shape):
    x = np.zeros(shape)
    assert_matches(gsci.signal.welch(xp.asarray(x)), scipy.signal.welch(x), xp)
    assert_matches(gsci.signal.periodogram(xp.asarray(x)), scipy.signal.periodogram(x), xp)


CSD_EMPTY_CASES = [  # SciPy's TestCSD.test_empty_input(_other_axis), and other ranks
    ((0,), (10,), -1),
    ((10,), (0,), -1),
    ((0,), (0,), -1),
    ((3, 0), (3, 0), -1),
    ((0, 5, 2), (0, 5, 2), -1),
    ((10,), (5, 0), -1),  # the result has the broadcast shape with the shorter length at ``axis``
    ((5, 0), (10,), -1),
    ((10,), (0, 5, 2), -1),
    ((0,), (2, 3, 7), -1),
    ((3, 0), (1, 40), -1),
    ((3, 0), (3, 0), 1),
    ((0, 5, 2), (0, 5, 2), 1),
    ((10, 10, 3), (10, 0, 1), 1),
    ((10, 0, 1), (10, 10, 3), 1),
    ((3, 0, 4), (10,), 0),
]


@pytest.mark.parametrize(("x_shape", "y_shape", "axis"), CSD_EMPTY_CASES, ids=repr)
def test_csd_empty_input_gives_scipys_shape(xp, x_shape, y_shape, axis):
    x, y = np.ones(x_shape), np.ones(y_shape)
    expected = scipy.signal.csd(x, y, axis=axis)
    assert_matches(gsci.signal.csd(xp.asarray(x), xp.asarray(y), axis=axis), expected, xp)


@pytest.mark.parametrize("nfft", [64, 65])
def test_two_sided_spectra_of_real_input_match_scipys_for_even_and_odd_nfft(xp, nfft):
    x, y = signal((2, 300), seed=1), signal((2, 300), seed=2)
    kwargs = {"nperseg": 64, "nfft": nfft, "return_onesided": False, "detrend": False}
    expected = scipy.signal.csd(x, y, **kwargs)
    assert_matches(compiled(gsci.signal.csd, xp, **kwargs)(xp.asarray(x), xp.asarray(y)), expected, xp)
    expected = scipy.signal.welch(x, **kwargs)
    assert_matches(compiled(gsci.signal.welch, xp, **kwargs)(xp.asarray(x)), expected, xp)


CSD_CASES = [
    ((2, 300), (2, 300), {"nperseg": 64}),
    ((2, 300), (2, 300), {"nperseg": 64, "average": "median"}),
    ((2, 300), (2, 300), {"nperseg": 64, "detrend": "linear", "scaling": "spectrum"}),
    ((3, 300), (1, 300), {"nperseg": 64}),
    ((300,), (3, 1, 300), {"nperseg": 64}),
    ((2, 300), (2, 170), {"nperseg": 64}),
    ((2, 130), (2, 300), {"nperseg": 64, "nfft": 100, "average": "median"}),
    ((300, 2), (200, 2), {"nperseg": 32, "axis": 0}),
    ((2, 300), (2, 300), {"nperseg": 64, "return_onesided": False}),
]


@pytest.mark.parametrize(
    ("dtype", "x_shape", "y_shape", "kwargs"),
    [(d, *case) for d in REAL_DTYPES for case in CSD_CASES]
    + [("complex128", *CSD_CASES[i]) for i in (1, 5, 8)],
    ids=lambda p: p if isinstance(p, str) else repr(p),
)
def test_csd_matches_scipy(xp, dtype, x_shape, y_shape, kwargs):
    x, y = signal(x_shape, dtype, seed=1), signal(y_shape, dtype, seed=2)
    expected = scipy.signal.csd(x, y, **kwargs)
    assert_matches(compiled(gsci.signal.csd, xp, **kwargs)(xp.asarray(x), xp.asarray(y)), expected, xp)


def test_csd_mixed_precision_and_kinds(xp):
    x, y = signal(300, "complex128", seed=1), signal(300, "float32", seed=2)
    expected = scipy.signal.csd(x, y, nperseg=64)  # SciPy transforms float32 y in single precision
    assert_matches(gsci.signal.csd(xp.asarray(x), xp.asarray(y), nperseg=64), expected, xp, rtol=2e-5)
    x32, y64 = signal(300, "float32", seed=1), signal(300, seed=2)
    expected = scipy.signal.csd(x32, y64, nperseg=64)
    assert_matches(gsci.signal.csd(xp.asarray(x32), xp.asarray(y64), nperseg=64), expected, xp, rtol=2e-5)


def test_csd_of_an_array_with_itself_is_real(xp):
    x = signal((2, 300))
    a = xp.asarray(x)
    assert_matches(gsci.signal.csd(a, a, nperseg=64), scipy.signal.csd(x, x, nperseg=64), xp)


PERIODOGRAM_CASES = [
    {},
    {"nfft": 200},
    {"nfft": 400, "window": "hann"},
    {"nfft": 300},
    {"detrend": "linear", "scaling": "spectrum", "fs": 3.0},
    {"detrend": False, "return_onesided": False},
    {"window": None},
    {"window": ("kaiser", 5.0), "axis": 0},
]


@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [(d, k) for d in REAL_DTYPES for k in PERIODOGRAM_CASES]
    + [("complex128", PERIODOGRAM_CASES[i]) for i in (1, 2)],
    ids=lambda p: p if isinstance(p, str) else case_id(p),
)
def test_periodogram_matches_scipy(xp, dtype, kwargs):
    x = signal((300, 2) if kwargs.get("axis") == 0 else (2, 300), dtype)
    expected = scipy.signal.periodogram(x, **kwargs)
    assert_matches(compiled(gsci.signal.periodogram, xp, **kwargs)(xp.asarray(x)), expected, xp)


def test_periodogram_array_window(xp):
    x, window = signal((2, 300)), np.hamming(200)
    expected = scipy.signal.periodogram(x, window=window, nfft=200)
    assert_matches(gsci.signal.periodogram(xp.asarray(x), window=xp.asarray(window), nfft=200), expected, xp)
    with pytest.raises(ValueError, match="size of the window"):
        gsci.signal.periodogram(xp.asarray(x), window=xp.asarray(window))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_welch_and_csd_properties(xp, data):
    ndim = data.draw(st.integers(1, 3), label="ndim")
    shape = data.draw(st.lists(st.integers(1, 4), min_size=ndim - 1, max_size=ndim - 1), label="outer")
    length = data.draw(st.integers(2, 80), label="length")
    axis = data.draw(st.integers(-ndim, ndim - 1), label="axis")
    shape.insert(axis % ndim, length)
    nperseg = data.draw(st.integers(1, length), label="nperseg")
    kwargs = {
        "nperseg": nperseg,
        "noverlap": data.draw(st.integers(0, nperseg - 1), label="noverlap"),
        "nfft": nperseg + data.draw(st.integers(0, 9), label="extra nfft"),
        "detrend": data.draw(st.sampled_from(["constant", "linear", False]), label="detrend"),
        "scaling": data.draw(st.sampled_from(["density", "spectrum"]), label="scaling"),
        "average": data.draw(st.sampled_from(["mean", "median"]), label="average"),
        "return_onesided": data.draw(st.booleans(), label="onesided"),
        "axis": axis,
    }
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    x, y = signal(tuple(shape), dtype, seed=1), signal(tuple(shape), dtype, seed=2)
    tolerance = {"rtol": 1e-4, "atol": 1e-6} if dtype == "float32" else {"rtol": 1e-9, "atol": 1e-12}
    welch, csd = compiled(gsci.signal.welch, xp, **kwargs), compiled(gsci.signal.csd, xp, **kwargs)
    assert_matches(welch(xp.asarray(x)), scipy.signal.welch(x, **kwargs), xp, **tolerance)
    expected = scipy.signal.csd(x, y, **kwargs)
    assert_matches(csd(xp.asarray(x), xp.asarray(y)), expected, xp, **tolerance)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"nperseg": 16, "noverlap": 16}, "noverlap=16 must be less than nperseg=16"),
        ({"nperseg": 16, "nfft": 8}, "nfft=8 must be greater than or equal to nperseg=16"),
        ({"nperseg": 0}, "nperseg=0"),
        ({"nperseg": 16, "scaling": "power"}, "scaling='power'"),
        ({"nperseg": 16, "average": "mode"}, "average='mode'"),
        ({"nperseg": 16, "detrend": "quadratic"}, "Trend type"),
        ({"nperseg": 16, "detrend": 3}, "detrend=3"),
        ({"window": np.ones(8), "nperseg": 16}, "nperseg=16 does not equal"),
        ({"window": np.ones((1, 8))}, "1d"),
        ({"window": np.ones(200)}, "longer than the signal"),
    ],
)
def test_welch_bad_arguments_raise_valueerror_like_scipy(xp, kwargs, match):
    x = signal(100)
    with pytest.raises(ValueError):
        scipy.signal.welch(x, **kwargs)
    if "window" in kwargs:
        kwargs = {**kwargs, "window": xp.asarray(kwargs["window"])}
    with pytest.raises(ValueError, match=match):
        gsci.signal.welch(xp.asarray(x), **kwargs)


def test_unknown_average_with_one_segment_is_accepted_like_scipy(xp):
    x = signal(16)
    expected = scipy.signal.welch(x, nperseg=16, average="mode")
    assert_matches(gsci.signal.welch(xp.asarray(x), nperseg=16, average="mode"), expected, xp)


def test_csd_bad_shapes_and_complex_y(xp):
    with pytest.raises(ValueError, match="broadcast"):
        gsci.signal.csd(xp.asarray(signal((3, 50))), xp.asarray(signal((2, 50))))
    x, y = signal(64), signal(64, "complex128")
    with pytest.raises(ValueError):
        scipy.signal.csd(x, y, nperseg=16)
    with pytest.raises(ValueError, match="return_onesided"):
        gsci.signal.csd(xp.asarray(x), xp.asarray(y), nperseg=16)


def test_zero_dimensional_input_raises_like_scipy(xp):
    with pytest.raises(IndexError):
        gsci.signal.welch(xp.asarray(np.float64(1.0)))


def test_mixed_libraries_raise_typeerror():
    torch = pytest.importorskip("torch")
    x = signal(64)
    with pytest.raises(TypeError, match="different libraries"):
        gsci.signal.csd(x, torch.asarray(x), nperseg=16)
    with pytest.raises(TypeError, match="x is torch, window is jax"):
        gsci.signal.welch(torch.asarray(x), window=pytest.importorskip("jax.numpy").asarray(np.hanning(16)))


def test_numpy_inputs_untouched_read_only_and_negative_strides():
    base = signal((2, 300))
    x = base[:, ::-1]
    y = np.array(base[::-1])
    y.flags.writeable = False
    before_x, before_y = x.copy(), y.copy()
    for detrend in ("constant", "linear", False):
        np.testing.assert_allclose(
            gsci.signal.csd(x, y, nperseg=64, detrend=detrend)[1],
            scipy.signal.csd(x.copy(), y.copy(), nperseg=64, detrend=detrend)[1],
            rtol=1e-11,
        )
        np.testing.assert_allclose(
            gsci.signal.welch(y, nperseg=64, detrend=detrend)[1],
            scipy.signal.welch(y.copy(), nperseg=64, detrend=detrend)[1],
            rtol=1e-11,
        )
    np.testing.assert_array_equal(x, before_x)
    np.testing.assert_array_equal(y, before_y)


@pytest.mark.parametrize("average", ["mean", "median"])
def test_nan_and_inf_propagate_like_scipy(xp, average):
    x = signal((3, 200))
    x[0, 10] = np.nan
    x[1, 150] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = scipy.signal.welch(x, nperseg=64, average=average)
        actual = gsci.signal.welch(xp.asarray(x), nperseg=64, average=average)
        assert_matches(actual, expected, xp, atol=1e-11 * float(np.nanmax(expected[1][2])))


def test_lazy_under_jax_jit():
    pytest.importorskip("jax")
    jax_library = Library.named("jax")
    import jax

    x, y = signal((2, 300)), signal((2, 200), seed=3)
    welch = jax.jit(functools.partial(gsci.signal.welch, nperseg=64, average="median", detrend="linear"))
    expected = scipy.signal.welch(x, nperseg=64, average="median", detrend="linear")
    assert_matches(welch(jax_library.asarray(x)), expected, jax_library)
    csd = jax.jit(functools.partial(gsci.signal.csd, nperseg=64))
    expected = scipy.signal.csd(x, y, nperseg=64)
    assert_matches(csd(jax_library.asarray(x), jax_library.asarray(y)), expected, jax_library)
    periodogram = jax.jit(functools.partial(gsci.signal.periodogram, nfft=250))
    assert_matches(periodogram(jax_library.asarray(x)), scipy.signal.periodogram(x, nfft=250), jax_library)


def test_lazy_on_dask():
    da = pytest.importorskip("dask.array")
    x, y = signal((3, 400)), signal((3, 250), seed=3)
    with forbid_dask_compute():
        lazy_x, lazy_y = da.from_array(x, chunks=(2, 90)), da.from_array(y, chunks=(1, 100))
        welch = gsci.signal.welch(lazy_x, nperseg=64, average="median")
        csd = gsci.signal.csd(lazy_x, lazy_y, nperseg=64, detrend="linear", average="median")
        periodogram = gsci.signal.periodogram(lazy_x, nfft=300)
    dask_library = Library.named("dask")
    assert_matches(welch, scipy.signal.welch(x, nperseg=64, average="median"), dask_library)
    expected = scipy.signal.csd(x, y, nperseg=64, detrend="linear", average="median")
    assert_matches(csd, expected, dask_library)
    assert_matches(periodogram, scipy.signal.periodogram(x, nfft=300), dask_library)


@pytest.mark.parametrize(
    "kwargs",
    [dict(nperseg=64), dict(nperseg=100, noverlap=90, average="median"), dict(nperseg=300, detrend="linear")],
    ids=case_id,
)
def test_dask_frames_each_chunk_with_its_neighbours_samples(kwargs):
    """Segments start on the global grid; each chunk frames those that start in it (chunks shorter than
    a segment, one-sample chunks included), and no task ever holds the whole time axis."""
    da = pytest.importorskip("dask.array")
    x, y = signal((2, 3000)), signal(3000, seed=4)
    chunks = ((1, 1), (1, 250, 17, 900, 3, 1, 828, 1000))
    lazy_x, lazy_y = da.from_array(x, chunks=chunks), da.from_array(y, chunks=(700, 1, 1299, 1000))
    dask_library = Library.named("dask")
    with forbid_dask_compute():
        welch = gsci.signal.welch(lazy_x, **kwargs)
        csd = gsci.signal.csd(lazy_x, lazy_y, **kwargs)
    assert_matches(welch, scipy.signal.welch(x, **kwargs), dask_library)
    assert_matches(csd, scipy.signal.csd(x, y, **kwargs), dask_library)
    framed = gsci.signal.spectrogram(lazy_x, nperseg=kwargs["nperseg"])[2]
    assert len(framed.chunks[-1]) > 2  # the segment axis stays chunked (short chunks merge)
    for result in (welch[1], csd[1], framed):
        assert longest_task_axis(result) < x.shape[-1]


def test_torch_gradcheck():
    torch = pytest.importorskip("torch")
    x = torch.asarray(signal(48), requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: gsci.signal.welch(t, nperseg=16)[1], (x,))
    assert torch.autograd.gradcheck(
        lambda t: gsci.signal.welch(t, nperseg=16, detrend="linear", average="median")[1], (x,)
    )


def test_general_cosine_tuple_window_builds_in_the_data_library(xp):
    """SciPy's spectral functions accept ``('general_cosine', a)``; get_window refuses it with ``xp``."""
    x = signal(2000)
    window = ("general_cosine", [0.5, 0.4, 0.1])
    assert_matches(gsci.signal.welch(xp.asarray(x), window=window), scipy.signal.welch(x, window=window), xp)
