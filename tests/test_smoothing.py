"""savgol_coeffs, savgol_filter, medfilt, medfilt2d, order_filter, wiener: SciPy on every library."""

import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci
import gsci.signal

SAVGOL_MODES = ("interp", "mirror", "constant", "nearest", "wrap")


def signal(shape, dtype="float64", seed=0):
    values = np.random.default_rng(seed).standard_normal(shape) * 20
    return values.astype(dtype)


def uneven_chunks(shape):
    """Several uneven chunks along every axis (one for axes shorter than 4)."""
    chunks = []
    for n in shape:
        if n < 4:
            chunks.append((n,))
            continue
        cuts = sorted({1, n // 3, n // 2 + 1, n - 2})
        chunks.append(tuple(np.diff([0, *cuts, n]).tolist()))
    return tuple(chunks)


def as_library(xp, a):
    return xp.asarray(a, chunks=uneven_chunks(np.shape(a))) if xp.module == "dask" else xp.asarray(a)


# ---- savgol_coeffs


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_length": 5, "polyorder": 2},
        {"window_length": 31, "polyorder": 9, "deriv": 1},
        {"window_length": 8, "polyorder": 3, "deriv": 2, "delta": 0.25},
        {"window_length": 5, "polyorder": 2, "pos": 3, "use": "dot"},
        {"window_length": 4, "polyorder": 2, "pos": 3, "deriv": 1, "use": "dot"},
        {"window_length": 7, "polyorder": 4, "deriv": 6},
        {"window_length": 1, "polyorder": 0},
    ],
)
def test_savgol_coeffs_match_scipy(xp, kwargs):
    expected = scipy.signal.savgol_coeffs(**kwargs)
    np.testing.assert_allclose(gsci.signal.savgol_coeffs(**kwargs), expected, rtol=1e-13, atol=1e-13)
    if xp.module != "dask":  # Dask has no device-placed creation
        got = gsci.signal.savgol_coeffs(**kwargs, xp=xp.ns, device="cuda" if xp.device == "cuda" else None)
        assert_matches(got, expected, xp, atol=1e-13)


def test_savgol_coeffs_delta_array_stays_in_its_library(xp):
    if xp.module == "dask":
        pytest.skip("savgol_coeffs does not create Dask arrays")
    delta = xp.asarray(np.asarray(0.5))
    got = gsci.signal.savgol_coeffs(9, 4, deriv=2, delta=delta, xp=xp.ns)
    assert_matches(got, scipy.signal.savgol_coeffs(9, 4, deriv=2, delta=0.5), xp, rtol=1e-12)


def test_savgol_coeffs_are_fresh_arrays():
    first = gsci.signal.savgol_coeffs(5, 2)
    first[:] = 0
    np.testing.assert_allclose(gsci.signal.savgol_coeffs(5, 2), scipy.signal.savgol_coeffs(5, 2))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_length": 3, "polyorder": 3},
        {"window_length": 5, "polyorder": 2, "pos": 5},
        {"window_length": 5, "polyorder": 2, "pos": -1},
        {"window_length": 5, "polyorder": 2, "use": "convolve"},
    ],
)
def test_savgol_coeffs_bad_arguments_raise_like_scipy(kwargs):
    with pytest.raises(ValueError):
        scipy.signal.savgol_coeffs(**kwargs)
    with pytest.raises(ValueError):
        gsci.signal.savgol_coeffs(**kwargs)


# ---- savgol_filter


@pytest.mark.parametrize("dtype", ["float64", "float32", "int16"])
@pytest.mark.parametrize("mode", SAVGOL_MODES)
@pytest.mark.parametrize(
    ("shape", "kwargs"),
    [
        ((3, 60), {"window_length": 7, "polyorder": 3}),
        ((3, 60), {"window_length": 8, "polyorder": 3, "deriv": 1, "delta": 0.5}),
        ((41, 4), {"window_length": 11, "polyorder": 2, "deriv": 2, "axis": 0}),
        ((5, 30, 3), {"window_length": 5, "polyorder": 4, "axis": 1, "cval": 2.5}),
        ((25,), {"window_length": 25, "polyorder": 5}),
        ((9,), {"window_length": 4, "polyorder": 1}),
        ((9,), {"window_length": 1, "polyorder": 0}),
    ],
)
def test_savgol_filter_matches_scipy(xp, dtype, mode, shape, kwargs):
    x = signal(shape, dtype)
    expected = scipy.signal.savgol_filter(x, mode=mode, **kwargs)
    with forbid_dask_compute():
        got = compiled(gsci.signal.savgol_filter, xp, mode=mode, **kwargs)(as_library(xp, x))
    assert_matches(got, expected, xp, rtol=1e-4 if dtype == "float32" else 1e-10)
    if xp.module == "dask":
        assert got.chunks == uneven_chunks(shape)


def test_savgol_filter_delta_array(xp):
    x = signal((2, 40))
    delta = xp.asarray(np.asarray(0.1))
    expected = scipy.signal.savgol_filter(x, 9, 3, deriv=1, delta=0.1)
    got = compiled(gsci.signal.savgol_filter, xp, window_length=9, polyorder=3, deriv=1)(
        xp.asarray(x), delta=delta
    )
    assert_matches(got, expected, xp, rtol=1e-10)


def test_savgol_filter_recovers_polynomials_at_the_edges(xp):
    t = np.linspace(-5, 5, 21)
    x = np.stack([t, 3 * t**2, t**3 - t])
    got = gsci.signal.savgol_filter(xp.asarray(x), 7, 3, deriv=1, delta=t[1] - t[0])
    expected = np.stack([np.ones_like(t), 6 * t, 3 * t**2 - 1])
    assert_matches(got, expected, xp, atol=1e-11)
    assert_matches(got, scipy.signal.savgol_filter(x, 7, 3, deriv=1, delta=t[1] - t[0]), xp, atol=1e-11)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_savgol_filter_properties(xp, data):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    n = data.draw(st.integers(1, 40), label="n")
    window_length = data.draw(st.integers(1, n), label="window_length")
    # higher orders: SciPy's own edge fits are ill-conditioned (it warns), and differ by more than rounding
    polyorder = data.draw(st.integers(0, min(window_length - 1, 5)), label="polyorder")
    deriv = data.draw(st.integers(0, 3), label="deriv")
    mode = data.draw(st.sampled_from(SAVGOL_MODES), label="mode")
    x = signal((2, n), seed=n)
    expected = scipy.signal.savgol_filter(x, window_length, polyorder, deriv=deriv, mode=mode)
    got = gsci.signal.savgol_filter(as_library(xp, x), window_length, polyorder, deriv=deriv, mode=mode)
    assert_matches(got, expected, xp, rtol=1e-9)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((7, 3), {"mode": "reflect"}, "mode must be"),
        ((3, 3), {}, "polyorder must be less than window_length"),
        ((41, 3), {}, "window_length must be less than or equal"),
        ((11, 3), {"axis": 0}, "window_length must be less than or equal"),
    ],
)
def test_savgol_filter_bad_arguments_raise_like_scipy(xp, args, kwargs, match):
    x = signal((4, 40))
    with pytest.raises(ValueError, match=match):
        scipy.signal.savgol_filter(x, *args, **kwargs)
    with pytest.raises(ValueError, match=match):
        gsci.signal.savgol_filter(xp.asarray(x), *args, **kwargs)


@pytest.mark.parametrize("mode", SAVGOL_MODES)
@pytest.mark.parametrize(
    ("shape", "axis", "window_length", "dtype"),
    [((2, 70001), -1, 31, "float64"), ((66001, 2), 0, 8, "float32"), ((2**16,), 0, 5, "int32")],
)
def test_savgol_filter_long_lines(mode, shape, axis, window_length, dtype):
    # NumPy lines of 2**16 samples and more convolve in blocks
    x = signal(shape, dtype)
    expected = scipy.signal.savgol_filter(x, window_length, 3, axis=axis, mode=mode, cval=1.5)
    got = gsci.signal.savgol_filter(x, window_length, 3, axis=axis, mode=mode, cval=1.5)
    assert_matches(got, expected, Library.named("numpy"), rtol=1e-4 if dtype == "float32" else 1e-10)


def test_savgol_filter_long_signal_on_many_dask_chunks():
    da = pytest.importorskip("dask.array")
    x = signal(5000)
    chunks = ((700, 13, 1500, 1, 2786),)
    with forbid_dask_compute():
        got = gsci.signal.savgol_filter(da.from_array(x, chunks=chunks), 31, 3)
    assert got.chunks == chunks
    assert_matches(got, scipy.signal.savgol_filter(x, 31, 3), Library.named("dask"))


# ---- medfilt, medfilt2d


INTEGER_AND_FLOAT = ["uint8", "int16", "int32", "int64", "uint16", "float32", "float64"]


@pytest.mark.parametrize("dtype", INTEGER_AND_FLOAT)
@pytest.mark.parametrize(
    ("shape", "kernel_size"),
    [((50,), None), ((50,), 11), ((9, 10), (7, 3)), ((9, 10), 5), ((4, 5, 6), (3, 1, 5)), ((7,), 9)],
)
def test_medfilt_matches_scipy(xp, dtype, shape, kernel_size):
    if xp.module == "torch" and dtype == "uint16":
        pytest.skip("torch has no uint16 arithmetic")
    x = (signal(shape) + 50).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kernel_size exceeds volume extent, on both sides
        expected = scipy.signal.medfilt(x, kernel_size)
        with forbid_dask_compute():
            got = compiled(gsci.signal.medfilt, xp, kernel_size=kernel_size)(as_library(xp, x))
    assert_matches(got, expected, xp, rtol=0)


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64", "int16"])
@pytest.mark.parametrize("kernel_size", [3, (5, 3), (1, 7), [3, 3, 9], None])
def test_medfilt2d_matches_scipy(xp, dtype, kernel_size):
    if dtype == "int16" and kernel_size == [3, 3, 9]:
        pytest.skip("medfilt (SciPy's route for int16) refuses a third size for 2-D input")
    x = (signal((12, 15)) + 50).astype(dtype)
    expected = scipy.signal.medfilt2d(x, kernel_size)
    with forbid_dask_compute():
        got = compiled(gsci.signal.medfilt2d, xp, kernel_size=kernel_size)(as_library(xp, x))
    assert_matches(got, expected, xp, rtol=0)


def test_kernel_size_as_an_array_of_the_library(xp):
    x = signal((10, 10))
    kernel_size = xp.asarray(np.array([7, 3]))
    assert_matches(gsci.signal.medfilt(xp.asarray(x), kernel_size), scipy.signal.medfilt(x, [7, 3]), xp)
    assert_matches(gsci.signal.medfilt2d(xp.asarray(x), kernel_size), scipy.signal.medfilt2d(x, [7, 3]), xp)


def test_medfilt_0d_input_becomes_1d(xp):
    x = np.asarray(4.0)
    assert_matches(gsci.signal.medfilt(xp.asarray(x), 1), scipy.signal.medfilt(x, 1), xp)


def test_medfilt_warns_like_scipy_when_the_kernel_exceeds_the_volume():
    with pytest.warns(UserWarning, match="kernel_size exceeds volume extent"):
        scipy.signal.medfilt(signal(5), 7)
    with pytest.warns(UserWarning, match="kernel_size exceeds volume extent"):
        gsci.signal.medfilt(signal(5), 7)  # SciPy's own code, for so small an input
    with (
        gsci.backend("native"),
        pytest.warns(UserWarning, match="kernel_size exceeds volume extent") as record,
    ):
        gsci.signal.medfilt(signal(5), 7)
    assert record[0].filename == __file__


@pytest.mark.parametrize("function", ["medfilt", "medfilt2d"])
@pytest.mark.parametrize("dtype", ["bool", "complex128", "float16"])
def test_unsupported_dtypes_raise_like_scipy(xp, function, dtype):
    if xp.module == "array_api_strict" and dtype == "float16":
        pytest.skip("array_api_strict has no float16")
    x = np.ones((5, 5), dtype=dtype)
    with pytest.raises(ValueError, match="not supported"):
        getattr(scipy.signal, function)(x)
    with pytest.raises(ValueError, match="not supported"):
        getattr(gsci.signal, function)(xp.asarray(x))


@pytest.mark.parametrize(
    ("function", "x", "kernel_size", "error"),
    [
        ("medfilt", np.ones((5, 5)), 4, ValueError),
        ("medfilt", np.ones((5, 5)), (3, 4), ValueError),
        ("medfilt", np.ones((5, 5)), (3,), IndexError),
        ("medfilt", np.ones((5, 5)), (3, 3, 3), RuntimeError),
        ("medfilt2d", np.ones((5, 5)), 4, ValueError),
        ("medfilt2d", np.ones((5, 5)), (3,), ValueError),
        ("medfilt2d", np.ones((5, 5, 5)), 3, ValueError),
        ("medfilt2d", np.ones(5), 3, ValueError),
    ],
)
def test_bad_kernel_sizes_raise_like_scipy(xp, function, x, kernel_size, error):
    with pytest.raises(error):
        getattr(scipy.signal, function)(x, kernel_size)
    with pytest.raises(error):
        getattr(gsci.signal, function)(xp.asarray(x), kernel_size)


def test_medfilt_of_none_raises():
    with pytest.raises((ValueError, TypeError)):
        scipy.signal.medfilt(None)
    with pytest.raises((ValueError, TypeError)):
        gsci.signal.medfilt(None)


def sorted_window_medians(x, kernel_size):
    """Medians of the zero-padded windows, NaN sorting above every number (as ``np.sort``)."""
    padded = np.pad(x, [(k // 2, k // 2) for k in kernel_size])
    windows = np.lib.stride_tricks.sliding_window_view(padded, kernel_size)
    ordered = np.sort(windows.reshape(*x.shape, -1), axis=-1)
    return ordered[..., ordered.shape[-1] // 2]


def test_nan_sorts_above_every_number_in_median_windows(xp):
    # SciPy's medians of windows with NaN depend on where the NaN is (and differ between medfilt and
    # medfilt2d); gsci's sort NaN last, as np.sort
    x = signal((70, 60))  # large enough for gsci's own filter on NumPy (smaller ones run SciPy's)
    x[2, 3] = x[4, 0] = x[40, 33] = np.nan
    expected = sorted_window_medians(x, (3, 5))
    assert_matches(gsci.signal.medfilt(xp.asarray(x), (3, 5)), expected, xp)
    assert_matches(gsci.signal.medfilt2d(xp.asarray(x), (3, 5)), expected, xp)


# ---- order_filter

DOMAINS = [
    np.array([1, 0, 1]),
    np.eye(3),
    np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0]]),
    np.ones((3, 5), dtype=bool),
    np.ones((1, 3, 3)),
]


def as_domain(xp, domain):
    """The domain as an array of the library; NumPy for Dask, whose domain gsci would compute to read it."""
    return domain if xp.module == "dask" else xp.asarray(domain)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "float32", "float64"])
@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: "x".join(map(str, d.shape)))
def test_order_filter_matches_scipy(xp, dtype, domain):
    shape = {1: (30,), 2: (9, 11), 3: (3, 8, 9)}[domain.ndim]
    x = (signal(shape) + 40).astype(dtype)
    count = int(np.count_nonzero(domain))
    for rank in sorted({0, count // 2, count - 1}):
        expected = scipy.signal.order_filter(x, domain, rank)
        with forbid_dask_compute():
            filter_ = compiled(gsci.signal.order_filter, xp, domain=as_domain(xp, domain), rank=rank)
            got = filter_(as_library(xp, x))
        assert_matches(got, expected, xp, rtol=0)


def test_order_filter_reads_a_dask_domain():
    da = pytest.importorskip("dask.array")
    x = signal((9, 11))
    domain = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]])
    got = gsci.signal.order_filter(da.from_array(x, chunks=(4, 5)), da.from_array(domain), 2)
    assert_matches(got, scipy.signal.order_filter(x, domain, 2), Library.named("dask"), rtol=0)


@pytest.mark.parametrize(
    ("x", "domain", "rank", "error"),
    [
        (np.ones((5, 5)), np.ones((2, 3)), 0, ValueError),
        (np.ones(5), np.ones(4), 0, ValueError),
        (np.ones(5, dtype=bool), np.ones(3), 0, ValueError),
        (np.ones(5, dtype=complex), np.ones(3), 0, ValueError),
        (np.ones(5), np.ones(3), 3, RuntimeError),
    ],
)
def test_order_filter_bad_arguments_raise_like_scipy(xp, x, domain, rank, error):
    with pytest.raises(error):
        scipy.signal.order_filter(x, domain, rank)
    with pytest.raises(error):
        gsci.signal.order_filter(xp.asarray(x), domain, rank)


# ---- wiener


@pytest.mark.parametrize("dtype", ["float64", "float32", "int16", "uint8"])
@pytest.mark.parametrize(
    ("shape", "kwargs"),
    [
        ((12, 13), {}),
        ((12, 13), {"mysize": 5}),
        ((12, 13), {"mysize": (2, 4)}),
        ((12, 13), {"mysize": [5, 1], "noise": 30.0}),
        ((40,), {"mysize": 7}),
        ((4, 9, 10), {"mysize": (3, 2, 5)}),
    ],
)
def test_wiener_matches_scipy(xp, dtype, shape, kwargs):
    x = (np.abs(signal(shape)) * 3).astype(dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = scipy.signal.wiener(x, **kwargs)
        with forbid_dask_compute():
            got = compiled(gsci.signal.wiener, xp, **kwargs)(as_library(xp, x))
    # SciPy's FFT sums of float32 input are float32-accurate; gsci's float64 sums are more accurate
    assert_matches(got, expected, xp, rtol=1e-6 if dtype == "float32" else 1e-9)


def test_wiener_constant_image(xp):
    x = np.ones((5, 6))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = scipy.signal.wiener(x)
        got = gsci.signal.wiener(xp.asarray(x))
    assert_matches(got, expected, xp, rtol=1e-12)


def test_wiener_bad_window_raises_like_scipy(xp):
    with pytest.raises(ValueError):
        scipy.signal.wiener(np.ones((5, 5)), [3, 3, 3])
    with pytest.raises(ValueError):
        gsci.signal.wiener(xp.asarray(np.ones((5, 5))), [3, 3, 3])


# ---- every function


CALLS = [
    ("savgol_filter", (11, 3), {"axis": 0}),
    ("savgol_filter", (6, 2), {"mode": "mirror"}),
    ("medfilt", ((5, 3),), {}),
    ("medfilt2d", ((3, 5),), {}),
    ("order_filter", (np.eye(3), 1), {}),
    ("wiener", ((5, 3),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
def test_numpy_inputs_untouched_read_only_and_negative_strides(name, args, kwargs):
    base = signal((30, 24))
    reversed_view = base[::-1, ::-2]
    read_only = np.array(base)
    read_only.flags.writeable = False
    before = base.copy()
    for x in (reversed_view, read_only):
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = getattr(scipy.signal, name)(x.copy(), *args, **kwargs)
            got = getattr(gsci.signal, name)(x, *args, **kwargs)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-9)
    np.testing.assert_array_equal(base, before)
    np.testing.assert_array_equal(read_only, before)


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
def test_python_sequences(name, args, kwargs):
    x = signal((12, 11)).round(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = getattr(scipy.signal, name)(x.tolist(), *args, **kwargs)
        got = getattr(gsci.signal, name)(x.tolist(), *args, **kwargs)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-9)
    assert np.asarray(got).dtype == np.asarray(expected).dtype


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
def test_large_inputs_on_every_library(xp, name, args, kwargs):
    # past the sizes where NumPy input runs SciPy's own code: gsci's native path on every library
    x = signal((300, 280))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = getattr(scipy.signal, name)(x, *args, **kwargs)
        with forbid_dask_compute():
            got = getattr(gsci.signal, name)(as_library(xp, x), *args, **kwargs)
    assert_matches(got, expected, xp, rtol=1e-9)
    assert to_numpy(got).shape == x.shape
