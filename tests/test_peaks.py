"""find_peaks, peak_prominences, peak_widths, argrelextrema and find_peaks_cwt against SciPy 1.17."""

import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_exact, assert_matches, compiled, to_numpy, uneven_chunks
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal._peak_finding_utils import PeakPropertyWarning

import gsci.signal as gs
from gsci._lib._arrays import device_kind, library_of
from gsci.kernels import peaks_cpu

RNG = np.random.default_rng(7)
NUMPY = Library.named("numpy")

SIGNALS = {
    "walk": RNG.standard_normal(3000).cumsum(),
    "plateaus": np.round(RNG.standard_normal(3000).cumsum() / 3),
    "levels": RNG.integers(0, 4, 3000).astype(np.float64),
    "nan": np.where(RNG.random(3000) < 0.05, np.nan, RNG.standard_normal(3000)),
}

CONDITIONS = [
    {},
    {"distance": 3},
    {"distance": 100, "prominence": 1},
    {"height": (None, None), "threshold": (None, None), "plateau_size": (None, None)},
    {"prominence": (None, None), "width": (None, None)},
    {"width": 2, "wlen": 20, "rel_height": 0.7},
    {"distance": 7.5, "prominence": 0.5, "wlen": 51.3, "width": (1, None), "height": 0, "threshold": (0, 3)},
    {"plateau_size": (2, 5), "distance": 4},
]


def _as(xp, a):
    uneven = xp.module == "dask" and np.size(a) > 0
    return xp.asarray(a, chunks=uneven_chunks(np.shape(a)) if uneven else None)


def assert_same_peaks(actual, expected, xp):
    """``find_peaks``' result equals SciPy's: indices, the dict's keys in order, dtypes, values."""
    peaks, properties = actual
    expected_peaks, expected_properties = expected
    assert_matches(peaks, expected_peaks, xp)
    assert_exact(peaks, expected_peaks)
    assert list(properties) == list(expected_properties)
    for key, value in expected_properties.items():
        assert_matches(properties[key], value, xp)
        assert_exact(properties[key], value)


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PeakPropertyWarning)
        return function(*args, **kwargs)


@pytest.mark.parametrize("signal", list(SIGNALS))
def test_find_peaks_equals_scipy_on_every_library(xp, signal):
    x = SIGNALS[signal]
    for conditions in CONDITIONS:
        expected = _quiet(scipy.signal.find_peaks, x, **conditions)
        assert_same_peaks(_quiet(gs.find_peaks, _as(xp, x), **conditions), expected, xp)


def test_condition_borders_may_be_arrays_of_the_signals_library(xp):
    x = SIGNALS["walk"]
    low, high = x - 2, np.full(x.shape, 1.5)
    expected = scipy.signal.find_peaks(x, height=(low, None), prominence=(None, high), threshold=low / 10)
    actual = gs.find_peaks(_as(xp, x), height=(_as(xp, low), None), prominence=(None, _as(xp, high)),
                           threshold=_as(xp, low / 10))  # fmt: skip
    assert_same_peaks(actual, expected, xp)


@pytest.mark.parametrize("parallel", [False, True])
def test_long_signals_take_the_parallel_kernels_and_block_skips(parallel, monkeypatch):
    if parallel:  # every kernel's parallel variant, whatever the size
        monkeypatch.setattr(peaks_cpu, "PARALLEL_WORK", 1)
        monkeypatch.setattr(peaks_cpu, "PARALLEL_SAMPLES", 1)
    # beyond 4096-sample blocks and the parallel thresholds: plateaus, NaN, wlen and widths
    walk = np.random.default_rng(1).standard_normal(300_000).cumsum()
    flat = np.round(walk / 4)
    holes = walk.copy()
    holes[np.random.default_rng(2).integers(0, walk.size, 30)] = np.nan
    for x in (walk, flat, holes):
        for conditions in (
            {"prominence": 0, "width": 0},
            {"prominence": 1, "wlen": 9001, "width": (None, None)},
        ):
            expected = _quiet(scipy.signal.find_peaks, x, rel_height=0.9, **conditions)
            actual = _quiet(gs.find_peaks, x, rel_height=0.9, **conditions)
            assert_same_peaks(actual, expected, NUMPY)


_values = st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, np.nan, np.inf, -np.inf, 1.5])


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(_values, min_size=0, max_size=60),
    distance=st.none() | st.sampled_from([1, 1.5, 2, 3, 7, np.inf]),
    height=st.none() | st.sampled_from([0.5, (None, 2.0), (None, None)]),
    threshold=st.none() | st.sampled_from([0, (None, 1.0), (None, None)]),
    prominence=st.none() | st.sampled_from([0, 1.0, (None, 2.0), (None, None)]),
    width=st.none() | st.sampled_from([0, 1.5, (None, None)]),
    wlen=st.none() | st.sampled_from([2, 3, 4.5, 10]),
    rel_height=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
    plateau_size=st.none() | st.sampled_from([1, (2, None), (None, None)]),
)
def test_find_peaks_equals_scipy_over_plateaus_ties_nan_and_every_condition(
    x, distance, height, threshold, prominence, width, wlen, rel_height, plateau_size
):
    x = np.asarray(x, dtype=np.float64)
    conditions = dict(distance=distance, height=height, threshold=threshold, prominence=prominence,
                      width=width, wlen=wlen, rel_height=rel_height, plateau_size=plateau_size)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = scipy.signal.find_peaks(x, **conditions)
        # the native path whatever the size (SciPy's own runs short NumPy signals)
        actual = gs.find_peaks.declaration.native(x, **conditions, xp=None)
    assert_same_peaks(actual, expected, NUMPY)


@settings(max_examples=40, deadline=None)
@given(
    x=st.lists(_values, min_size=1, max_size=40),
    data=st.data(),
    wlen=st.none() | st.sampled_from([2, 3, 5.5, 9]),
    rel_height=st.sampled_from([0.0, 0.25, 0.5, 1.0, 3.0]),
)
def test_prominences_and_widths_of_any_peaks_equal_scipy(x, data, wlen, rel_height):
    x = np.asarray(x, dtype=np.float64)
    peaks = np.asarray(data.draw(st.lists(st.integers(0, x.size - 1), max_size=10)), dtype=np.intp)
    native_prominences = gs.peak_prominences.declaration.native
    native_widths = gs.peak_widths.declaration.native
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = scipy.signal.peak_prominences(x, peaks, wlen)
        actual = native_prominences(x, peaks, wlen, xp=None)
        for a, e in zip(actual, expected, strict=True):
            assert_exact(a, e)
        try:
            expected = scipy.signal.peak_widths(x, peaks, rel_height, wlen=wlen)
        except ZeroDivisionError:
            with pytest.raises(ZeroDivisionError):
                native_widths(x, peaks, rel_height, wlen=wlen, xp=None)
            return
        for a, e in zip(native_widths(x, peaks, rel_height, wlen=wlen, xp=None), expected, strict=True):
            assert_exact(a, e)


def test_prominences_and_widths_equal_scipy_on_every_library(xp):
    x = SIGNALS["walk"]
    peaks, _ = scipy.signal.find_peaks(x)
    for wlen in (None, 50):
        expected = scipy.signal.peak_prominences(x, peaks, wlen=wlen)
        actual = gs.peak_prominences(_as(xp, x), _as(xp, peaks), wlen=wlen)
        assert_matches(actual, expected, xp)
        for a, e in zip(actual, expected, strict=True):
            assert_exact(a, e)
        for rel_height in (0.25, 1.0):
            expected_widths = scipy.signal.peak_widths(x, peaks, rel_height, wlen=wlen)
            assert_matches(
                gs.peak_widths(_as(xp, x), _as(xp, peaks), rel_height, wlen=wlen), expected_widths, xp
            )
            given = tuple(_as(xp, a) for a in expected)
            assert_matches(
                gs.peak_widths(_as(xp, x), peaks, rel_height, prominence_data=given), expected_widths, xp
            )


def test_a_numpy_peaks_array_goes_with_a_signal_of_any_library(xp):
    x = SIGNALS["walk"]
    peaks = scipy.signal.find_peaks(x)[0]
    assert_matches(gs.peak_prominences(_as(xp, x), peaks), scipy.signal.peak_prominences(x, peaks), xp)


def _raises_as_scipy(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as expected:
            call(scipy.signal, *args, **kwargs)
        with pytest.raises(expected.type) as actual:
            call(gs, *args, **kwargs)
    return str(actual.value), str(expected.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.find_peaks(np.arange(300.0), distance=0.5),
        lambda m: m.find_peaks(np.zeros((2, 300))),
        lambda m: m.find_peaks(np.arange(300.0), prominence=1, wlen=1),
        lambda m: m.find_peaks(np.sin(np.arange(300.0)), width=1, rel_height=-1),
        lambda m: m.find_peaks(np.arange(300.0), height=np.ones(3)),
        lambda m: m.find_peaks(np.arange(300.0), threshold=(None, np.ones(3))),
        lambda m: m.peak_prominences(np.arange(300.0), [300]),
        lambda m: m.peak_prominences(np.arange(300.0), [-1]),
        lambda m: m.peak_prominences(np.arange(300.0), [1.5]),
        lambda m: m.peak_prominences(np.arange(300.0), [[1]]),
        lambda m: m.peak_widths(np.arange(300.0), [1], rel_height=-1),
        lambda m: m.peak_widths(np.arange(300.0), [5], prominence_data=(None, None, None)),
        lambda m: m.peak_widths(
            np.arange(300.0), [5], prominence_data=(np.ones(1), np.zeros(1), np.ones(1) * 9)
        ),
        lambda m: m.peak_widths(
            np.arange(300.0), [5], prominence_data=(np.ones(2), np.zeros(2, int), np.ones(2, int))
        ),
        lambda m: m.peak_widths(
            np.arange(300.0), [5], prominence_data=(np.ones(1), np.ones(1, int) * 6, np.ones(1, int))
        ),
        lambda m: m.peak_widths(
            np.r_[0.0, 1, 1, 0, np.zeros(296)],
            [1],
            prominence_data=(-np.ones(1), np.zeros(1, int), np.ones(1, int) * 3),
        ),
        lambda m: m.argrelmax(np.arange(10.0), order=0),
        lambda m: m.argrelmax(np.arange(10.0), order=1.5),
        lambda m: m.argrelmax(np.arange(10.0), mode="raise"),
        lambda m: m.argrelmax(np.arange(10.0), mode="nearest"),
    ],
)
def test_bad_arguments_raise_as_scipy(call):
    ours, theirs = _raises_as_scipy(call)
    assert ours == theirs


def test_warnings_as_scipy(xp):
    with pytest.warns(PeakPropertyWarning, match="some peaks have a prominence of 0"):
        gs.peak_prominences(_as(xp, np.arange(300.0)), np.array([5]))
    with pytest.warns(PeakPropertyWarning, match="some peaks have a width of 0"):
        gs.peak_widths(_as(xp, np.sin(np.arange(300.0))), np.array([8]), rel_height=0)


def test_traced_under_jax_jit_raises_a_clear_type_error():
    jax = pytest.importorskip("jax")
    x = jax.numpy.asarray(SIGNALS["walk"])
    for function, kwargs in (
        (gs.find_peaks, {}),
        (gs.peak_prominences, {"peaks": np.array([3])}),
        (gs.argrelmax, {}),
    ):
        with pytest.raises(TypeError, match=r"jax\.jit"):
            jax.jit(lambda v, f=function, k=kwargs: f(v, **k))(x)


def test_compiled_helper_agrees_outside_jax(xp):
    if xp.module == "jax":
        pytest.skip("find_peaks cannot run under jax.jit (tested above)")
    x = SIGNALS["walk"]
    assert_same_peaks(
        compiled(gs.find_peaks, xp, distance=5)(_as(xp, x)), scipy.signal.find_peaks(x, distance=5), xp
    )


@pytest.mark.parametrize("mode", ["clip", "wrap"])
def test_argrelextrema_equals_scipy_on_every_library(xp, mode):
    data = np.round(RNG.standard_normal((7, 40)) * 2)
    given = _as(xp, data)
    for axis, order in ((0, 1), (1, 3), (-1, 1)):
        for ours, theirs in ((gs.argrelmax, scipy.signal.argrelmax), (gs.argrelmin, scipy.signal.argrelmin)):
            expected = theirs(data, axis=axis, order=order, mode=mode)
            assert_matches(ours(given, axis=axis, order=order, mode=mode), expected, xp)
    expected = scipy.signal.argrelextrema(data, np.greater_equal, 1, 2, mode)
    assert_matches(gs.argrelextrema(given, np.greater_equal, 1, 2, mode), expected, xp)


def test_argrelextrema_of_empty_and_flat_arrays(xp):
    for data in (np.zeros(0), np.ones(5), np.zeros((0, 3))):
        assert_matches(gs.argrelmax(_as(xp, data)), scipy.signal.argrelmax(data), xp)


def test_argrelextrema_takes_a_callable_of_the_data_library():
    data = np.round(RNG.standard_normal(50))
    expected = scipy.signal.argrelextrema(data, lambda a, b: a > b)
    assert_exact(gs.argrelextrema(data, lambda a, b: a > b)[0], expected[0])


def test_find_peaks_cwt_equals_scipy_on_every_library(xp):
    x = np.sin(np.linspace(0, 6 * np.pi, 400)) + 0.1 * np.random.default_rng(3).standard_normal(400)
    widths = np.arange(1, 20)
    expected = scipy.signal.find_peaks_cwt(x, widths)
    actual = gs.find_peaks_cwt(_as(xp, x), widths)
    assert_matches(actual, expected, xp)


def test_results_keep_the_device_and_inputs_are_untouched(xp):
    x = SIGNALS["plateaus"]
    given = _as(xp, x)
    peaks, properties = gs.find_peaks(given, prominence=0, width=0, plateau_size=1)
    for result in (peaks, *properties.values()):
        assert library_of(result) == xp.module
        assert device_kind(result, xp.module) == xp.device
    np.testing.assert_array_equal(to_numpy(given), x)


def test_read_only_and_strided_signals():
    x = np.repeat(SIGNALS["walk"], 2)[::2]
    x.flags.writeable = False
    expected = scipy.signal.find_peaks(x, prominence=0.5, width=1)
    assert_same_peaks(gs.find_peaks(x, prominence=0.5, width=1), expected,
                      NUMPY)  # fmt: skip


def test_small_numpy_signals_run_scipy_and_larger_ones_the_kernels(monkeypatch):
    calls = []
    monkeypatch.setattr(
        peaks_cpu, "local_maxima", lambda x, f=peaks_cpu.local_maxima: calls.append(1) or f(x)
    )
    gs.find_peaks(np.sin(np.arange(64.0)))
    assert calls == []
    gs.find_peaks(np.sin(np.arange(4096.0)))
    assert calls == [1]


def test_kernels_compile_once_whatever_the_size():
    kernels = [
        peaks_cpu.local_maxima,
        peaks_cpu.suppress_by_distance,
        peaks_cpu.decided_by_distance,
        peaks_cpu._levels_serially,
        peaks_cpu._levels_parallel,
        peaks_cpu._prominences_serially,
        peaks_cpu._prominences_parallel,
        peaks_cpu._widths_serially,
        peaks_cpu._widths_parallel,
    ]

    def compiled_count():
        return [len(k.signatures) for k in kernels]

    gs.find_peaks(
        np.random.default_rng(0).standard_normal(200_000).cumsum(), distance=3, prominence=0, width=0
    )
    gs.find_peaks(np.random.default_rng(0).standard_normal(1000), distance=3, prominence=0, width=0)
    before = compiled_count()
    for n in (300, 5000, 70_000, 150_000):
        gs.find_peaks(
            np.random.default_rng(n).standard_normal(n).cumsum(), distance=n // 50, prominence=0, width=0
        )
    assert compiled_count() == before


def test_equal_peaks_within_the_distance_follow_scipys_order():
    for x in ([0.0, 1, 0, 1, 0], [0.0, 2, 0, 1, 0, 1, 0, 2, 0], [0.0, 1, 0, 1, 0, 1, 0]):
        for distance in (2, 3, 5):
            expected = scipy.signal.find_peaks(x, distance=distance)
            actual = gs.find_peaks.declaration.native(x, distance=distance, xp=None)
            assert_same_peaks(actual, expected, NUMPY)
