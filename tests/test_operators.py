"""Host coefficients with device data: NumPy arrays and sequences as operators, data of any library.

Filter coefficients, windows and weights are small: users design them with
SciPy (NumPy) and apply them to torch, JAX, Dask or CuPy data. Each case runs
the public function with every operator as a NumPy array and as a Python
list, the data as an array of the library under test (Dask in uneven chunks
along every axis), against SciPy on NumPy copies.
"""

import warnings

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from helpers import assert_matches

import gsci

RNG = np.random.default_rng(5)
SOS = scipy.signal.butter(5, 0.2, output="sos")
B, A = scipy.signal.butter(3, 0.2)
X = RNG.standard_normal((3, 200))
IMAGE = RNG.standard_normal((20, 30))
WEIGHTS = np.array([1.0, -2.0, 0.5])

# name -> (function, operators by name, data arrays, call(function, operators, data))
CASES = {
    "sosfilt": (
        "signal.sosfilt",
        {"sos": SOS, "zi": RNG.standard_normal((3, 3, 2))},
        (X,),
        lambda f, o, d: f(o["sos"], d[0], zi=o["zi"]),
    ),
    "lfilter": (
        "signal.lfilter",
        {"b": B, "a": A, "zi": RNG.standard_normal((3, 3))},
        (X,),
        lambda f, o, d: f(o["b"], o["a"], d[0], zi=o["zi"]),
    ),
    "filtfilt": ("signal.filtfilt", {"b": B, "a": A}, (X,), lambda f, o, d: f(o["b"], o["a"], d[0])),
    "sosfiltfilt": ("signal.sosfiltfilt", {"sos": SOS}, (X,), lambda f, o, d: f(o["sos"], d[0])),
    "lfiltic": (
        "signal.lfiltic",
        {"b": B, "a": A},
        (X[0, :3], X[1, :2]),
        lambda f, o, d: f(o["b"], o["a"], *d),
    ),
    "correlate1d": (
        "ndimage.correlate1d",
        {"weights": WEIGHTS},
        (IMAGE,),
        lambda f, o, d: f(d[0], o["weights"], axis=0),
    ),
    "convolve1d": (
        "ndimage.convolve1d",
        {"weights": WEIGHTS},
        (IMAGE,),
        lambda f, o, d: f(d[0], o["weights"], mode="wrap"),
    ),
}


def _resolve(package, dotted):
    module, name = dotted.split(".")
    return getattr(getattr(package, module), name)


def _uneven(a):
    """Dask chunks of uneven sizes along every axis."""
    return tuple((max(1, n // 3), n - max(1, n // 3)) if n > 1 else (n,) for n in a.shape)


@pytest.mark.parametrize("as_list", [False, True], ids=["numpy", "list"])
@pytest.mark.parametrize("name", CASES)
def test_host_operators_with_data_of_every_library(xp, name, as_list):
    dotted, operators, data, call = CASES[name]
    expected = call(_resolve(scipy, dotted), operators, data)
    host = {k: v.tolist() if as_list else v.copy() for k, v in operators.items()}
    got = call(_resolve(gsci, dotted), host, tuple(xp.asarray(d, chunks=_uneven(d)) for d in data))
    assert_matches(got, expected, xp)
    for k, v in host.items():  # the caller's coefficients are neither modified nor shared
        np.testing.assert_array_equal(np.asarray(v), operators[k])


def test_read_only_coefficients_move_without_warnings():
    torch = pytest.importorskip("torch")
    from helpers import Library

    sos = SOS.copy()
    sos.flags.writeable = False  # torch warns when it shares a read-only NumPy buffer; a copy does not
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = gsci.signal.sosfilt(sos, torch.asarray(X))
    assert_matches(y, scipy.signal.sosfilt(SOS, X), Library.named("torch"))


SPECTRAL_WINDOW = scipy.signal.get_window("hann", 32)


@pytest.mark.parametrize("as_list", [False, True], ids=["numpy", "list"])
@pytest.mark.parametrize("name", ["welch", "periodogram", "spectrogram", "stft", "csd"])
def test_host_window_arrays_with_data_of_every_library(xp, name, as_list):
    x = RNG.standard_normal((2, 256))
    window = SPECTRAL_WINDOW.tolist() if as_list else SPECTRAL_WINDOW.copy()
    data = (x, x[::-1] * 0.5) if name == "csd" else (x,)
    options = {} if name == "periodogram" else {"nperseg": 32}
    if name == "periodogram":
        window = np.hanning(256)
    expected = getattr(scipy.signal, name)(*data, window=np.asarray(window), **options)
    given = tuple(xp.asarray(d, chunks=_uneven(d)) for d in data)
    got = getattr(gsci.signal, name)(*given, window=window, **options)
    assert_matches(got, expected, xp)


def test_host_window_with_istft_of_every_library(xp):
    _, _, spectra = scipy.signal.stft(RNG.standard_normal(512), window=SPECTRAL_WINDOW, nperseg=32)
    expected = scipy.signal.istft(spectra, window=SPECTRAL_WINDOW, nperseg=32)
    got = gsci.signal.istft(xp.asarray(spectra, chunks=_uneven(spectra)), window=SPECTRAL_WINDOW, nperseg=32)
    assert_matches(got, expected, xp)


def test_zero_dimensional_torch_results_stay_tensors():
    """NumPy makes 0-d results scalars; a torch CPU call run as NumPy gives 0-d tensors back."""
    torch = pytest.importorskip("torch")
    from helpers import Library

    got = gsci.signal.fftconvolve(
        torch.tensor(2.0, dtype=torch.float64), torch.tensor(3.0, dtype=torch.float64)
    )
    assert_matches(got, scipy.signal.fftconvolve(np.float64(2.0), np.float64(3.0)), Library.named("torch"))
