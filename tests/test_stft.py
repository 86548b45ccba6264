"""spectrogram, stft and istft against SciPy on every library."""

import functools
import re
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
    to_numpy,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci.signal

REAL_DTYPES = ("float32", "float64")


# gsci's warnings point at the caller. Small NumPy input runs SciPy, whose warnings point into its
# module or at its caller: the public function gsci generates, named <gsci.signal.name>.
WARNED_FROM = (
    __file__,
    scipy.signal._spectral_py.__file__,
    *(f"<gsci.signal.{f}>" for f in ("spectrogram", "stft", "istft")),
)


def signal(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return (x + 0.5).astype(dtype)


def quietly(function, *args, **kwargs):
    """``function(*args, **kwargs)`` ignoring SciPy's warnings (tested apart)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return function(*args, **kwargs)


def first_sample_removed(segments):
    return segments - segments[..., :1]


def nearest_turn(angles, expected, xp):
    """``angles`` shifted by whole turns towards SciPy's ``expected``.

    An FFT bin that is real up to a signed zero imaginary part has angle pi
    or -pi depending on the FFT library; unwrapping carries such a turn on.
    """
    turns = xp.ns.round((angles - xp.asarray(expected)) / (2 * np.pi))
    return angles - turns * (2 * np.pi)


STFT_CASES = [
    {"nperseg": 64},
    {"nperseg": 64, "boundary": "even"},
    {"nperseg": 63, "boundary": "odd", "noverlap": 20},
    {"nperseg": 40, "boundary": "constant", "nfft": 70},
    {"nperseg": 32, "boundary": None, "padded": False},
    {"nperseg": 32, "boundary": None, "padded": True, "noverlap": 5},
    {"nperseg": 50, "padded": False, "scaling": "psd", "fs": 3.0},
    {"nperseg": 48, "detrend": "linear", "window": ("kaiser", 4.0)},
    {"nperseg": 48, "detrend": "constant", "return_onesided": False},
    {"nperseg": 33, "detrend": first_sample_removed, "window": "hann"},
    {"nperseg": 16, "noverlap": -4},
]


@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [(d, k) for d in REAL_DTYPES for k in STFT_CASES] + [("complex128", STFT_CASES[i]) for i in (0, 2, 8)],
    ids=lambda p: p if isinstance(p, str) else case_id(p),
)
def test_stft_matches_scipy(xp, dtype, kwargs):
    x = signal((2, 300), dtype)
    expected = quietly(scipy.signal.stft, x, **kwargs)
    assert_matches(quietly(compiled(gsci.signal.stft, xp, **kwargs), xp.asarray(x)), expected, xp)


SPECTROGRAM_CASES = [
    {},
    {"nperseg": 64, "noverlap": 40, "nfft": 100},
    {"nperseg": 63, "detrend": "linear", "scaling": "spectrum", "fs": 2.0},
    {"nperseg": 32, "return_onesided": False, "window": "hann", "detrend": False},
]


MODES = ("psd", "complex", "magnitude", "angle", "phase")


@pytest.mark.parametrize(
    ("dtype", "kwargs", "mode"),
    [(d, SPECTROGRAM_CASES[1], m) for d in REAL_DTYPES for m in MODES]
    + [(d, k, "psd") for d in REAL_DTYPES for k in SPECTROGRAM_CASES[::2]]
    + [("float64", SPECTROGRAM_CASES[3], m) for m in ("complex", "angle", "phase")]
    + [("complex128", SPECTROGRAM_CASES[1], m) for m in ("psd", "phase")],
    ids=lambda p: p if isinstance(p, str) else case_id(p),
)
def test_spectrogram_matches_scipy(xp, dtype, kwargs, mode):
    x = signal((2, 300), dtype)
    expected = quietly(scipy.signal.spectrogram, x, mode=mode, **kwargs)
    actual = quietly(compiled(gsci.signal.spectrogram, xp, mode=mode, **kwargs), xp.asarray(x))
    if mode in ("angle", "phase"):
        actual = (*actual[:2], nearest_turn(actual[2], expected[2], xp))
    if mode == "phase" and dtype == "float32":  # unwrapping adds float32 angles: errors accumulate
        assert_matches(actual, expected, xp, rtol=1e-4)
    else:
        assert_matches(actual, expected, xp)


@pytest.mark.parametrize(("shape", "axis"), [((300, 2), 0), ((2, 300, 3), 1), ((2, 3, 300), -1), ((300,), 0)])
@pytest.mark.parametrize("mode", ["psd", "phase"])
def test_spectrogram_and_stft_any_axis(xp, shape, axis, mode):
    x = signal(shape)
    expected = scipy.signal.spectrogram(x, nperseg=64, axis=axis, mode=mode, detrend=first_sample_removed)
    spectrogram = compiled(
        gsci.signal.spectrogram, xp, nperseg=64, axis=axis, mode=mode, detrend=first_sample_removed
    )
    assert_matches(spectrogram(xp.asarray(x)), expected, xp)
    expected = scipy.signal.stft(x, nperseg=50, axis=axis, boundary="odd")
    assert_matches(
        compiled(gsci.signal.stft, xp, nperseg=50, axis=axis, boundary="odd")(xp.asarray(x)), expected, xp
    )


def test_integer_input_dtype(xp):
    x = (signal((2, 200)) * 100).astype("int16")
    assert_matches(
        compiled(gsci.signal.stft, xp, nperseg=32)(xp.asarray(x)), scipy.signal.stft(x, nperseg=32), xp
    )
    x = x.astype("int64")
    expected = scipy.signal.spectrogram(x, nperseg=32)
    assert_matches(compiled(gsci.signal.spectrogram, xp, nperseg=32)(xp.asarray(x)), expected, xp)


def test_array_windows(xp):
    x, window = signal((2, 300)), np.kaiser(48, 6.0)
    expected = scipy.signal.spectrogram(x, window=window, mode="magnitude")
    spectrogram = compiled(gsci.signal.spectrogram, xp, mode="magnitude")
    assert_matches(spectrogram(xp.asarray(x), window=xp.asarray(window)), expected, xp)
    expected = scipy.signal.stft(x, window=window, nperseg=48, noverlap=40)
    stft = compiled(gsci.signal.stft, xp, nperseg=48, noverlap=40)
    assert_matches(stft(xp.asarray(x), window=xp.asarray(window)), expected, xp)
    zxx = expected[2]
    expected = scipy.signal.istft(zxx, window=window, nperseg=48, noverlap=40)
    istft = compiled(gsci.signal.istft, xp, nperseg=48, noverlap=40)
    assert_matches(istft(xp.asarray(zxx), window=xp.asarray(window)), expected, xp)


def test_complex_input_switches_to_two_sided_with_scipys_warning(xp):
    x = signal((2, 100), "complex64")
    with pytest.warns(UserWarning, match="Input data is complex"):
        expected = scipy.signal.stft(x, nperseg=16)
    with pytest.warns(UserWarning, match="Input data is complex") as record:
        actual = compiled(gsci.signal.stft, xp, nperseg=16)(xp.asarray(x))
    assert xp.module == "jax" or record[0].filename in WARNED_FROM  # jax.jit calls from its own frames
    assert_matches(actual, expected, xp)


def test_nperseg_longer_than_signal_warns_like_scipy(xp):
    x = signal((2, 100))
    for function in (scipy.signal.spectrogram, scipy.signal.stft):
        scipys = re.escape("nperseg = 256 is greater than input length  = 100, using nperseg = 100")
        with pytest.warns(UserWarning, match=scipys):
            expected = function(x)
        with pytest.warns(UserWarning, match=scipys) as record:
            actual = compiled(getattr(gsci.signal, function.__name__), xp)(xp.asarray(x))
        assert xp.module == "jax" or record[0].filename in WARNED_FROM  # jax.jit calls from its own frames
        assert_matches(actual, expected, xp)


@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 5)])
def test_empty_input(xp, shape):
    x = np.zeros(shape)
    assert_matches(quietly(gsci.signal.stft, xp.asarray(x)), quietly(scipy.signal.stft, x), xp)
    if shape[-1] == 0:  # no samples: SciPy's spectrogram finds no window
        with pytest.raises(ValueError):
            quietly(scipy.signal.spectrogram, x)
        with pytest.raises(ValueError, match="Nx=0"):
            quietly(gsci.signal.spectrogram, xp.asarray(x))
    else:
        expected = quietly(scipy.signal.spectrogram, x)
        assert_matches(quietly(gsci.signal.spectrogram, xp.asarray(x)), expected, xp)


def cosine_of_power_two():
    """SciPy's round-trip signal: 1024 samples of a cosine of amplitude 2 at a quarter of the sample rate."""
    spectrum = np.zeros(513, dtype=complex)
    spectrum[256] = 1024
    return np.fft.irfft(spectrum)


@pytest.mark.parametrize("nperseg", [256, 255])
def test_two_sided_stft_of_real_input_is_conjugate_symmetric_like_scipys(xp, nperseg):
    x = cosine_of_power_two()
    kwargs = {"nperseg": nperseg, "boundary": "even", "scaling": "psd", "return_onesided": False}
    expected = scipy.signal.stft(x, **kwargs)
    actual = compiled(gsci.signal.stft, xp, **kwargs)(xp.asarray(x))
    assert_matches(actual, expected, xp)
    positive = nperseg // 2 + 1
    for zxx in (expected[2], to_numpy(actual[2])):  # Z(-f) = conj(Z(f)) exactly, the tiny values included
        np.testing.assert_array_equal(zxx[positive:], np.conj(zxx[nperseg - positive : 0 : -1]))
    one_sided = compiled(gsci.signal.stft, xp, **{**kwargs, "return_onesided": True})(xp.asarray(x))
    assert_matches(one_sided[2], expected[2][:positive], xp)


@pytest.mark.parametrize(
    ("scaling", "onesided"),
    [("spectrum", True), ("psd", False), ("psd", True)],
    ids=lambda v: v if isinstance(v, str) else ("one-sided" if v else "two-sided"),
)
def test_stft_round_trip_keeps_scipys_scaling(xp, scaling, onesided):
    x = cosine_of_power_two()
    stft_kwargs = {"boundary": "even", "scaling": scaling, "return_onesided": onesided}
    istft_kwargs = {"boundary": True, "scaling": scaling, "input_onesided": onesided}
    expected = scipy.signal.stft(x, **stft_kwargs)[2]
    zxx = compiled(gsci.signal.stft, xp, **stft_kwargs)(xp.asarray(x))[2]
    assert_matches(zxx, expected, xp)
    if scaling == "psd" and not onesided:  # the two-sided psd-scaled STFT keeps the signal's power, 2
        power = np.sum(np.abs(to_numpy(zxx)) ** 2, axis=0) / zxx.shape[0]
        np.testing.assert_allclose(power, np.mean(x**2))
    inverse = compiled(gsci.signal.istft, xp, **istft_kwargs)(zxx)
    assert_matches(inverse, scipy.signal.istft(expected, **istft_kwargs), xp)
    np.testing.assert_allclose(to_numpy(inverse[1]), x, atol=1e-12)


ISTFT_CASES = [
    ({"nperseg": 64}, {}),
    ({"nperseg": 64, "noverlap": 48}, {}),
    ({"nperseg": 63, "noverlap": 40}, {}),
    ({"nperseg": 40, "nfft": 70, "boundary": "odd"}, {}),
    ({"nperseg": 32, "scaling": "psd", "fs": 4.0, "window": ("tukey", 0.5)}, {}),
    ({"nperseg": 32, "return_onesided": False}, {"input_onesided": False}),
    ({"nperseg": 30, "noverlap": 29}, {}),
]


@pytest.mark.parametrize(
    ("dtype", "case"),
    [(d, c) for d in REAL_DTYPES for c in ISTFT_CASES] + [("complex128", ISTFT_CASES[i]) for i in (5,)],
    ids=lambda p: p if isinstance(p, str) else case_id({**p[0], **p[1]}),
)
def test_istft_of_scipys_stft_matches_scipy(xp, dtype, case):
    stft_kwargs, extra = case
    x = signal((2, 300), dtype)
    zxx = quietly(scipy.signal.stft, x, **stft_kwargs)[2]
    shared = {
        k: v
        for k, v in stft_kwargs.items()
        if k in ("nperseg", "noverlap", "nfft", "scaling", "fs", "window")
    }
    kwargs = {**shared, **extra}
    expected = scipy.signal.istft(zxx, **kwargs)
    assert_matches(compiled(gsci.signal.istft, xp, **kwargs)(xp.asarray(zxx)), expected, xp)
    if dtype != "complex128":
        np.testing.assert_allclose(expected[1][:, :300], x, rtol=1e-4, atol=1e-4)  # SciPy round trip holds


@pytest.mark.parametrize(
    ("shape", "time_axis", "freq_axis"),
    [((3, 33, 20), -1, -2), ((33, 3, 20), 2, 0), ((20, 3, 33), 0, -1), ((3, 20, 33), 1, 2), ((20, 33), 0, 1)],
)
def test_istft_axes(xp, shape, time_axis, freq_axis):
    zxx = signal(shape, "complex128")
    expected = scipy.signal.istft(zxx, time_axis=time_axis, freq_axis=freq_axis)
    actual = compiled(gsci.signal.istft, xp, time_axis=time_axis, freq_axis=freq_axis)(xp.asarray(zxx))
    assert_matches(actual, expected, xp)


def test_istft_real_input_and_float32(xp):
    zxx = signal((2, 17, 12), "float32")
    assert_matches(compiled(gsci.signal.istft, xp)(xp.asarray(zxx)), scipy.signal.istft(zxx), xp)


@pytest.mark.parametrize(
    ("window", "kwargs"),
    [("hann", {"boundary": False}), ("boxcar", {"noverlap": -4, "nperseg": 16})],
)
def test_istft_nola_failure_warns_like_scipy(xp, window, kwargs):
    zxx = signal((2, 9, 10), "complex128")
    with pytest.warns(UserWarning, match="NOLA condition failed"):
        expected = scipy.signal.istft(zxx, window=window, **kwargs)
    with pytest.warns(UserWarning, match="NOLA condition failed") as record:
        actual = compiled(gsci.signal.istft, xp, window=window, **kwargs)(xp.asarray(zxx))
    assert xp.module == "jax" or record[0].filename in WARNED_FROM  # jax.jit calls from its own frames
    assert_matches(actual, expected, xp)
    if xp.module in ("numpy", "torch", "array_api_strict"):  # array windows whose values are at hand
        win = scipy.signal.get_window(window, kwargs.get("nperseg", 16))
        with pytest.warns(UserWarning, match="NOLA condition failed"):
            gsci.signal.istft(xp.asarray(zxx), window=xp.asarray(win), **kwargs)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_stft_and_istft_properties(xp, data):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    ndim = data.draw(st.integers(1, 3), label="ndim")
    shape = data.draw(st.lists(st.integers(1, 3), min_size=ndim - 1, max_size=ndim - 1), label="outer")
    length = data.draw(st.integers(4, 80), label="length")
    axis = data.draw(st.integers(-ndim, ndim - 1), label="axis")
    shape.insert(axis % ndim, length)
    nperseg = data.draw(st.integers(2, length), label="nperseg")
    kwargs = {
        "nperseg": nperseg,
        "noverlap": data.draw(st.integers(0, nperseg - 1), label="noverlap"),
        "nfft": nperseg + data.draw(st.integers(0, 5), label="extra nfft"),
        "boundary": data.draw(st.sampled_from(["zeros", "even", "odd", "constant", None]), label="boundary"),
        "padded": data.draw(st.booleans(), label="padded"),
        "scaling": data.draw(st.sampled_from(["spectrum", "psd"]), label="scaling"),
        "return_onesided": data.draw(st.booleans(), label="onesided"),
        "axis": axis,
    }
    dtype = data.draw(st.sampled_from(REAL_DTYPES), label="dtype")
    x = signal(tuple(shape), dtype)
    tolerance = {"rtol": 1e-4, "atol": 1e-4} if dtype == "float32" else {"rtol": 1e-9, "atol": 1e-11}
    expected = scipy.signal.stft(x, **kwargs)
    assert_matches(compiled(gsci.signal.stft, xp, **kwargs)(xp.asarray(x)), expected, xp, **tolerance)
    inverse = {k: kwargs[k] for k in ("nperseg", "noverlap", "nfft", "scaling")}
    inverse |= {"input_onesided": kwargs["return_onesided"], "boundary": kwargs["boundary"] is not None}
    inverse |= {"freq_axis": axis % ndim, "time_axis": -1}
    expected = quietly(scipy.signal.istft, expected[2], **inverse)
    actual = quietly(
        compiled(gsci.signal.istft, xp, **inverse), xp.asarray(quietly(scipy.signal.stft, x, **kwargs)[2])
    )
    assert_matches(actual, expected, xp, **tolerance)


BAD_STFT_ARGUMENTS = [  # (function, kwargs, SciPy's message, what gsci's message adds)
    (
        "stft",
        {"nperseg": 16, "noverlap": 16},
        "noverlap must be less than nperseg.",
        "noverlap=16, nperseg=16",
    ),
    (
        "stft",
        {"nperseg": 16, "nfft": 8},
        "nfft must be greater than or equal to nperseg.",
        "nfft=8, nperseg=16",
    ),
    ("stft", {"nperseg": 0}, "nperseg must be a positive integer", "nperseg=0"),
    ("stft", {"nperseg": -256}, "nperseg must be a positive integer", "nperseg=-256"),
    (
        "stft",
        {"nperseg": 16, "scaling": "density"},
        "Parameter scaling='density' not in ['spectrum', 'psd']!",
        "",
    ),
    (
        "stft",
        {"nperseg": 16, "boundary": "reflect"},
        "Unknown boundary option 'reflect', must be one of: ['even', 'odd', 'constant', 'zeros', None]",
        "",
    ),
    ("stft", {"nperseg": 16, "detrend": "quadratic"}, "Trend type must be 'linear' or 'constant'", ""),
    (
        "stft",
        {"window": np.ones(8), "nperseg": 16},
        "value specified for nperseg is different from length of window",
        "nperseg=16",
    ),
    ("stft", {"window": np.ones(200), "nperseg": 200}, "window is longer than input signal", "200 > 100"),
    ("stft", {"window": np.ones(200)}, "window is longer than input signal", "200 > 100"),  # before nperseg's
    ("stft", {"window": np.ones((2, 8)), "nperseg": 2}, "window must be 1-D", "(2, 8)"),  # before nperseg's
    ("stft", {"window": np.ones(())}, "window must be 1-D", "()"),
    (
        "spectrogram",
        {"mode": "power"},
        "unknown value for mode power, must be one of ['psd', 'complex', 'magnitude', 'angle', 'phase']",
        "",
    ),
    ("spectrogram", {"nperseg": 16, "scaling": "power"}, "Unknown scaling: 'power'", ""),
    ("spectrogram", {"nperseg": 16, "noverlap": 20}, "noverlap must be less than nperseg.", "noverlap=20"),
    ("spectrogram", {"nperseg": -3}, "Parameter Nx=-3 is not a positive integer", ""),  # get_window's
    (
        "spectrogram",
        {"window": np.ones(8), "nperseg": 16},
        "value specified for nperseg is different from length of window",
        "nperseg=16",
    ),
    ("spectrogram", {"window": np.ones((2, 2))}, "window must be 1-D", "(2, 2)"),
]


def bad_case_id(kwargs):
    """``case_id`` with arrays shown by their shape."""
    return case_id({k: f"ones{v.shape}" if isinstance(v, np.ndarray) else v for k, v in kwargs.items()})


@pytest.mark.parametrize(
    ("function", "kwargs", "message", "values"),
    BAD_STFT_ARGUMENTS,
    ids=[f"{function}-{bad_case_id(kwargs)}" for function, kwargs, *_ in BAD_STFT_ARGUMENTS],
)
def test_bad_arguments_raise_scipys_valueerror(xp, function, kwargs, message, values):
    x = signal(100)
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(scipy.signal, function)(x, **kwargs)
    if "window" in kwargs:
        kwargs = {**kwargs, "window": xp.asarray(kwargs["window"])}
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        getattr(gsci.signal, function)(xp.asarray(x), **kwargs)
    assert xp.module == "numpy" or values in str(error.value)  # small NumPy input runs SciPy itself


BAD_ISTFT_ARGUMENTS = [  # (Zxx's shape, kwargs, SciPy's message, what gsci's message adds)
    ((10,), {}, "Input stft must be at least 2d!", "Zxx.ndim=1"),
    (
        (9, 10),
        {"time_axis": 0, "freq_axis": 0},
        "Must specify differing time and frequency axes!",
        "time_axis=0",
    ),
    ((9, 10), {"nperseg": 0}, "nperseg must be a positive integer", "nperseg=0"),
    ((9, 10), {"nperseg": 16, "nfft": 8}, "nfft must be greater than or equal to nperseg.", "nfft=8"),
    ((9, 10), {"noverlap": 16}, "noverlap must be less than nperseg.", "noverlap=16, nperseg=16"),
    ((9, 10), {"scaling": "density"}, "Parameter scaling='density' not in ['spectrum', 'psd']!", ""),
    ((9, 10), {"window": np.ones(8)}, "window must have length of 16", "got 8"),
    ((9, 10), {"window": np.ones((2, 16))}, "window must be 1-D", "(2, 16)"),
]


@pytest.mark.parametrize(
    ("zxx_shape", "kwargs", "message", "values"),
    BAD_ISTFT_ARGUMENTS,
    ids=[f"{shape}-{bad_case_id(kwargs)}" for shape, kwargs, *_ in BAD_ISTFT_ARGUMENTS],
)
def test_istft_bad_arguments_raise_scipys_valueerror(xp, zxx_shape, kwargs, message, values):
    zxx = signal(zxx_shape, "complex128")
    with pytest.raises(ValueError, match=re.escape(message)):
        scipy.signal.istft(zxx, **kwargs)
    if "window" in kwargs:
        kwargs = {**kwargs, "window": xp.asarray(kwargs["window"])}
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        gsci.signal.istft(xp.asarray(zxx), **kwargs)
    assert xp.module == "numpy" or values in str(error.value)  # small NumPy input runs SciPy itself


def test_windows_of_another_array_library_raise_typeerror():
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    x = signal(64)
    with pytest.raises(TypeError, match="x is torch, window is jax"):
        gsci.signal.stft(torch.asarray(x), window=jnp.asarray(np.hanning(16)), nperseg=16)
    with pytest.raises(TypeError, match="Zxx is torch, window is jax"):
        gsci.signal.istft(torch.asarray(signal((9, 5), "complex128")), window=jnp.asarray(np.hanning(16)))


def test_numpy_inputs_untouched_read_only_and_negative_strides():
    base = signal((2, 300))
    x = base[:, ::-1]
    y = np.array(base[::-1])
    y.flags.writeable = False
    before_x, before_y = x.copy(), y.copy()
    for boundary in ("odd", "constant", None):
        np.testing.assert_allclose(
            gsci.signal.stft(x, nperseg=64, boundary=boundary, detrend="linear")[2],
            scipy.signal.stft(x.copy(), nperseg=64, boundary=boundary, detrend="linear")[2],
            rtol=1e-11,
            atol=1e-12,
        )
    np.testing.assert_allclose(
        gsci.signal.spectrogram(y, nperseg=64, mode="phase")[2],
        scipy.signal.spectrogram(y.copy(), nperseg=64, mode="phase")[2],
        rtol=1e-11,
    )
    zxx = scipy.signal.stft(base, nperseg=64)[2][:, ::-1, :]
    zxx.flags.writeable = False
    before_zxx = zxx.copy()
    np.testing.assert_allclose(
        gsci.signal.istft(zxx, nperseg=64)[1], scipy.signal.istft(zxx.copy(), nperseg=64)[1], atol=1e-12
    )
    np.testing.assert_array_equal(x, before_x)
    np.testing.assert_array_equal(y, before_y)
    np.testing.assert_array_equal(zxx, before_zxx)


def test_nan_and_inf_propagate_like_scipy(xp):
    x = signal((3, 200))
    x[0, 10] = np.nan
    x[1, 150] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = scipy.signal.stft(x, nperseg=64)
        actual = compiled(gsci.signal.stft, xp, nperseg=64)(xp.asarray(x))
        assert_matches(actual, expected, xp, atol=1e-11 * float(np.nanmax(np.abs(expected[2][2]))))


def test_lazy_on_dask():
    da = pytest.importorskip("dask.array")
    x = signal((3, 400))
    zxx = scipy.signal.stft(x, nperseg=64, noverlap=48)[2]
    with forbid_dask_compute():
        lazy_x = da.from_array(x, chunks=(2, 90))
        spectrogram = gsci.signal.spectrogram(lazy_x, nperseg=64, mode="phase")
        stft = gsci.signal.stft(lazy_x, nperseg=50, boundary="even", detrend="linear")
        istft = gsci.signal.istft(da.from_array(zxx, chunks=(2, 10, 5)), nperseg=64, noverlap=48)
        window = da.from_array(scipy.signal.get_window("hann", 64), chunks=20)
        istft_array_window = gsci.signal.istft(
            da.from_array(zxx, chunks=(2, 10, 5)), window=window, noverlap=48
        )
    dask_library = Library.named("dask")
    assert_matches(spectrogram, scipy.signal.spectrogram(x, nperseg=64, mode="phase"), dask_library)
    expected = scipy.signal.stft(x, nperseg=50, boundary="even", detrend="linear")
    assert_matches(stft, expected, dask_library)
    assert_matches(istft, scipy.signal.istft(zxx, nperseg=64, noverlap=48), dask_library)
    assert_matches(istft_array_window, scipy.signal.istft(zxx, nperseg=64, noverlap=48), dask_library)


@pytest.mark.parametrize(("noverlap", "window"), [(None, "hann"), (75, "hann"), (0, "boxcar")])
def test_dask_segments_and_samples_stay_chunked(noverlap, window):
    """stft frames per chunk; istft overlap-adds per chunk of segments, each chunk's tail added to the
    next: no task holds the whole signal, and the output is SciPy's."""
    da = pytest.importorskip("dask.array")
    dask = Library.named("dask")
    x = signal((2, 6000))
    options = dict(window=window, nperseg=100, noverlap=noverlap)
    zxx = scipy.signal.stft(x, **options)[2]
    segments = (1, 2, 30, 1, 7, zxx.shape[-1] - 41)
    with forbid_dask_compute():
        framed = gsci.signal.stft(da.from_array(x, chunks=(1, (1, 900, 40, 3059, 2000))), **options)[2]
        restored = gsci.signal.istft(da.from_array(zxx, chunks=(1, -1, segments)), **options)[1]
    assert_matches(framed, zxx, dask)
    assert_matches(restored, scipy.signal.istft(zxx, **options)[1], dask)
    assert len(restored.chunks[-1]) > 2  # (chunks of fewer segments than a frame spans merge)
    for result in (framed, restored):
        assert longest_task_axis(result) < x.shape[-1]


def test_lazy_under_jax_jit_with_an_array_window():
    pytest.importorskip("jax")
    import jax

    jax_library = Library.named("jax")
    zxx, window = scipy.signal.stft(signal((2, 300)), nperseg=32)[2], scipy.signal.get_window("hann", 32)
    istft = jax.jit(functools.partial(gsci.signal.istft, noverlap=16))
    actual = istft(jax_library.asarray(zxx), window=jax_library.asarray(window))
    assert_matches(actual, scipy.signal.istft(zxx, window=window, noverlap=16), jax_library)


def test_torch_gradcheck():
    torch = pytest.importorskip("torch")
    x = torch.asarray(signal(24), requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: torch.view_as_real(gsci.signal.stft(t, nperseg=8)[2]), (x,))
    assert torch.autograd.gradcheck(
        lambda t: gsci.signal.spectrogram(t, nperseg=8, detrend="linear")[2], (x,)
    )
    zxx = torch.asarray(scipy.signal.stft(signal(24), nperseg=8)[2], requires_grad=True)
    assert torch.autograd.gradcheck(lambda z: gsci.signal.istft(z, nperseg=8)[1], (zxx,))
