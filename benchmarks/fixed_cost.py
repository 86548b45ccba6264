"""A tiny and a large case for every public function, NumPy in and out, gsci against SciPy.

Each case is ``make(rng) -> (args, kwargs)`` of NumPy arrays and options;
`run.py` times ``gsci.<function>(*args, **kwargs)`` against
``scipy.<function>`` on the same data. The tiny cases show the fixed cost
per call (where gsci declares that SciPy runs, it should match SciPy), the
large ones the throughput.
"""

import numpy as np
import scipy.ndimage
import scipy.signal

SOS_TINY = scipy.signal.butter(4, 0.2, output="sos")
SOS_LARGE = scipy.signal.butter(8, [0.1, 0.3], btype="band", output="sos")
BA_TINY = scipy.signal.butter(2, 0.2)
BA_LARGE = scipy.signal.butter(4, [0.1, 0.3], btype="band")
ZPK_TINY = scipy.signal.butter(4, 0.2, output="zpk")
ZPK_LARGE = scipy.signal.butter(16, [0.1, 0.3], btype="band", output="zpk")


def _signal(*shape, extra=None):
    def make(rng):
        return (rng.standard_normal(shape),), dict(extra or {})

    return make


def _two_signals(n, nperseg):
    return lambda rng: ((rng.standard_normal(n), rng.standard_normal(n)), {"nperseg": nperseg})


def _filtered(coefficients, *shape):
    return lambda rng: ((*coefficients, rng.standard_normal(shape)), {})


def _given(*args, **kwargs):
    return lambda rng: (args, kwargs)


def _spectra(n, nperseg):
    def make(rng):
        return (scipy.signal.stft(rng.standard_normal(n), nperseg=nperseg)[2],), {"nperseg": nperseg}

    return make


def _image(side):
    return lambda rng: ((rng.standard_normal((side, side)), [1.0, -2.0, 1.0]), {})


WEIGHTS_3X3 = np.arange(9.0).reshape(3, 3) / 36


def _picture(side, *args):
    return lambda rng: ((rng.standard_normal((side, side)), *args), {})


# The generic filters' callables are the user's code: the same (SciPy's) on both sides.
def _derivative2(x, axis, output, mode, cval):
    return scipy.ndimage.correlate1d(x, [1.0, -2.0, 1.0], axis, output, mode, cval)


def _sobel(x, axis, output, mode, cval):
    return scipy.ndimage.sobel(x, axis, output, mode, cval)


def _three_sum(line, out):
    out[:] = line[:-2] + line[1:-1] + line[2:]


def _convolved(n1, n2):
    return lambda rng: ((rng.standard_normal(n1), rng.standard_normal(n2)), {})


def _upfirdn(n):
    return lambda rng: ((rng.standard_normal(63), rng.standard_normal(n)), {"up": 2, "down": 3})


def _divided(n, taps):
    """A signal and a stable divisor of ``taps`` coefficients (a dominant first one)."""
    return lambda rng: ((rng.standard_normal(n), np.r_[8.0, rng.standard_normal(taps - 1) / taps]), {})


# "module.name" -> (tiny label, tiny case, large label, large case)
SIGNAL = {
    "signal.bessel": ("order 4", _given(4, 0.2), "order 24 sos", _given(24, 0.2, output="sos")),
    "signal.butter": ("order 4", _given(4, 0.2), "order 24 sos", _given(24, 0.2, output="sos")),
    "signal.cheby1": ("order 4", _given(4, 1, 0.2), "order 24 sos", _given(24, 1, 0.2, output="sos")),
    "signal.cheby2": ("order 4", _given(4, 40, 0.2), "order 24 sos", _given(24, 40, 0.2, output="sos")),
    "signal.ellip": ("order 4", _given(4, 1, 40, 0.2), "order 24 sos", _given(24, 1, 40, 0.2, output="sos")),
    "signal.iirfilter": (
        "order 4",
        _given(4, [0.1, 0.3]),
        "order 24 sos",
        _given(24, [0.1, 0.3], output="sos"),
    ),
    "signal.iirdesign": (
        "ellip",
        _given(0.2, 0.3, 1, 40),
        "butter sos",
        _given(0.2, 0.22, 1, 60, ftype="butter"),
    ),
    "signal.firwin": ("31 taps", _given(31, 0.2), "4001 taps", _given(4001, 0.2)),
    "signal.csd": ("64 / 16", _two_signals(64, 16), "2^20 / 1024", _two_signals(2**20, 1024)),
    "signal.welch": (
        "64 / 16",
        _signal(64, extra={"nperseg": 16}),
        "2^20 / 1024",
        _signal(2**20, extra={"nperseg": 1024}),
    ),
    "signal.periodogram": ("64", _signal(64), "2^20", _signal(2**20)),
    "signal.spectrogram": (
        "64 / 16",
        _signal(64, extra={"nperseg": 16}),
        "2^20 / 256",
        _signal(2**20, extra={"nperseg": 256}),
    ),
    "signal.stft": (
        "64 / 16",
        _signal(64, extra={"nperseg": 16}),
        "2^20 / 256",
        _signal(2**20, extra={"nperseg": 256}),
    ),
    "signal.istft": ("64 / 16", _spectra(64, 16), "2^20 / 256", _spectra(2**20, 256)),
    "signal.hilbert": ("64", _signal(64), "2^20", _signal(2**20)),
    "signal.detrend": ("64", _signal(64), "(16, 2^16)", _signal(16, 2**16)),
    "signal.fftconvolve": ("16 x 16", _convolved(16, 16), "2^20 x 4096", _convolved(2**20, 4096)),
    "signal.oaconvolve": ("64 x 8", _convolved(64, 8), "2^20 x 512", _convolved(2**20, 512)),
    "signal.convolve": ("64 x 8", _convolved(64, 8), "2^16 x 64", _convolved(2**16, 64)),
    "signal.correlate": ("64 x 8", _convolved(64, 8), "2^20 x 4096", _convolved(2**20, 4096)),
    "signal.choose_conv_method": ("64 x 8", _convolved(64, 8), "2^20 x 4096", _convolved(2**20, 4096)),
    "signal.correlation_lags": ("64, 8", _given(64, 8), "2^20, 4096", _given(2**20, 4096)),
    "signal.convolve2d": (
        "16x16 with 3x3",
        _convolved((16, 16), (3, 3)),
        "512x512 with 5x5",
        _convolved((512, 512), (5, 5)),
    ),
    "signal.correlate2d": (
        "16x16 with 3x3",
        _convolved((16, 16), (3, 3)),
        "512x512 with 5x5",
        _convolved((512, 512), (5, 5)),
    ),
    "signal.upfirdn": ("63 taps x 64, 2/3", _upfirdn(64), "63 taps x 2^22, 2/3", _upfirdn(2**22)),
    "signal.resample_poly": (
        "64, 3/2",
        _signal(64, extra={"up": 3, "down": 2}),
        "2^22, 3/2",
        _signal(2**22, extra={"up": 3, "down": 2}),
    ),
    "signal.decimate": ("64, q=8", _signal(64, extra={"q": 8}), "2^22, q=8", _signal(2**22, extra={"q": 8})),
    "signal.resample": (
        "64 -> 96",
        _signal(64, extra={"num": 96}),
        "2^20 -> 3*2^19",
        _signal(2**20, extra={"num": 3 * 2**19}),
    ),
    "signal.savgol_coeffs": ("11 / 3", _given(11, 3), "101 / 5", _given(101, 5)),
    "signal.savgol_filter": (
        "64 / w11",
        _signal(64, extra={"window_length": 11, "polyorder": 3}),
        "2^20 / w31",
        _signal(2**20, extra={"window_length": 31, "polyorder": 3}),
    ),
    "signal.medfilt": (
        "64 / k5",
        _signal(64, extra={"kernel_size": 5}),
        "2^20 / k11",
        _signal(2**20, extra={"kernel_size": 11}),
    ),
    "signal.medfilt2d": ("16x16", _picture(16), "1024x1024 / k5", _picture(1024, 5)),
    "signal.order_filter": (
        "64 / 3",
        lambda rng: ((rng.standard_normal(64), np.ones(3), 1), {}),
        "1024x1024 / 3x3",
        _picture(1024, np.ones((3, 3)), 4),
    ),
    "signal.wiener": ("16x16", _picture(16), "1024x1024 / 5", _picture(1024, 5)),
    "signal.deconvolve": ("64 / 4", _divided(64, 4), "2^16 / 64", _divided(2**16, 64)),
    "signal.envelope": ("64", _signal(64), "2^20", _signal(2**20)),
    "signal.hilbert2": ("16 x 16", _signal(16, 16), "1024 x 1024", _signal(1024, 1024)),
    "signal.lfilter": (
        "order 2, 64",
        _filtered(BA_TINY, 64),
        "order 8, (16, 2^16)",
        _filtered(BA_LARGE, 16, 2**16),
    ),
    "signal.sosfilt": (
        "4 sections, 64",
        _filtered((SOS_TINY,), 64),
        "8 sections, (16, 2^16)",
        _filtered((SOS_LARGE,), 16, 2**16),
    ),
    "signal.filtfilt": (
        "order 2, 64",
        _filtered(BA_TINY, 64),
        "order 8, (16, 2^16)",
        _filtered(BA_LARGE, 16, 2**16),
    ),
    "signal.sosfiltfilt": (
        "4 sections, 64",
        _filtered((SOS_TINY,), 64),
        "8 sections, (16, 2^16)",
        _filtered((SOS_LARGE,), 16, 2**16),
    ),
    "signal.lfilter_zi": ("order 2", _given(*BA_TINY), "order 8", _given(*BA_LARGE)),
    "signal.lfiltic": ("order 2", _given(*BA_TINY, [1.0, 2.0]), "order 8", _given(*BA_LARGE, np.arange(8.0))),
    "signal.sosfilt_zi": ("4 sections", _given(SOS_TINY), "8 sections", _given(SOS_LARGE)),
    "signal.sos2tf": ("2 sections", _given(SOS_TINY[:2]), "8 sections", _given(SOS_LARGE)),
    "signal.tf2sos": ("order 2", _given(*BA_TINY), "order 8", _given(*BA_LARGE)),
    "signal.zpk2sos": ("order 4", _given(*ZPK_TINY), "order 32", _given(*ZPK_LARGE)),
    "signal.freqz": ("order 2, 64", _given(*BA_TINY, 64), "order 8, 2^16", _given(*BA_LARGE, 2**16)),
    "signal.freqz_sos": (
        "4 sections, 64",
        _given(SOS_TINY, 64),
        "8 sections, 2^16",
        _given(SOS_LARGE, 2**16),
    ),
    "signal.sosfreqz": ("4 sections, 64", _given(SOS_TINY, 64), "8 sections, 2^16", _given(SOS_LARGE, 2**16)),
    "signal.get_window": ("hann, 16", _given("hann", 16), "hann, 2^16", _given("hann", 2**16)),
    "ndimage.correlate1d": ("16x16", _image(16), "2048x2048", _image(2048)),
    "ndimage.convolve1d": ("16x16", _image(16), "2048x2048", _image(2048)),
    "ndimage.laplace": ("16x16", _picture(16), "2048x2048", _picture(2048)),
    "ndimage.uniform_filter1d": ("16x16, 5", _picture(16, 5), "2048x2048, 9", _picture(2048, 9)),
    "ndimage.uniform_filter": ("16x16, 3", _picture(16, 3), "2048x2048, 9", _picture(2048, 9)),
    "ndimage.gaussian_filter1d": ("16x16, 1", _picture(16, 1.0), "2048x2048, 3", _picture(2048, 3.0)),
    "ndimage.gaussian_filter": ("16x16, 1", _picture(16, 1.0), "2048x2048, 3", _picture(2048, 3.0)),
    "ndimage.sobel": ("16x16", _picture(16), "2048x2048", _picture(2048)),
    "ndimage.prewitt": ("16x16", _picture(16), "2048x2048", _picture(2048)),
    "ndimage.gaussian_laplace": ("16x16, 1", _picture(16, 1.0), "1024x1024, 2", _picture(1024, 2.0)),
    "ndimage.gaussian_gradient_magnitude": (
        "16x16, 1",
        _picture(16, 1.0),
        "1024x1024, 2",
        _picture(1024, 2.0),
    ),
    "ndimage.generic_laplace": (
        "16x16",
        _picture(16, _derivative2),
        "1024x1024",
        _picture(1024, _derivative2),
    ),
    "ndimage.generic_gradient_magnitude": (
        "16x16, sobel",
        _picture(16, _sobel),
        "1024x1024, sobel",
        _picture(1024, _sobel),
    ),
    "ndimage.correlate": (
        "16x16, 3x3",
        _picture(16, WEIGHTS_3X3),
        "2048x2048, 3x3",
        _picture(2048, WEIGHTS_3X3),
    ),
    "ndimage.convolve": (
        "16x16, 3x3",
        _picture(16, WEIGHTS_3X3),
        "2048x2048, 3x3",
        _picture(2048, WEIGHTS_3X3),
    ),
    "ndimage.minimum_filter1d": ("16x16, 5", _picture(16, 5), "2048x2048, 9", _picture(2048, 9)),
    "ndimage.maximum_filter1d": ("16x16, 5", _picture(16, 5), "2048x2048, 9", _picture(2048, 9)),
    "ndimage.minimum_filter": ("16x16, 3", _picture(16, 3), "2048x2048, 9", _picture(2048, 9)),
    "ndimage.maximum_filter": ("16x16, 3", _picture(16, 3), "2048x2048, 9", _picture(2048, 9)),
    "ndimage.median_filter": ("16x16, 3", _picture(16, 3), "1024x1024, 5", _picture(1024, 5)),
    "ndimage.rank_filter": ("16x16, 1, 3", _picture(16, 1, 3), "1024x1024, 3, 5", _picture(1024, 3, 5)),
    "ndimage.percentile_filter": (
        "16x16, 30, 3",
        _picture(16, 30, 3),
        "1024x1024, 30, 7",
        _picture(1024, 30, 7),
    ),
    "ndimage.fourier_gaussian": ("16x16", _picture(16, 2.0), "2048x2048", _picture(2048, 2.0)),
    "ndimage.fourier_uniform": ("16x16", _picture(16, 3.0), "2048x2048", _picture(2048, 3.0)),
    "ndimage.fourier_ellipsoid": ("16x16", _picture(16, 3.0), "2048x2048", _picture(2048, 3.0)),
    "ndimage.fourier_shift": ("16x16", _picture(16, 1.5), "2048x2048", _picture(2048, 1.5)),
    "ndimage.vectorized_filter": (
        "16x16, mean 3x3",
        lambda rng: ((rng.standard_normal((16, 16)), np.mean), {"size": 3}),
        "256x256, mean 3x3",
        lambda rng: ((rng.standard_normal((256, 256)), np.mean), {"size": 3}),
    ),
    "ndimage.generic_filter": (
        "16x16, max 3x3",
        _picture(16, np.max, 3),
        "128x128, max 3x3",
        _picture(128, np.max, 3),
    ),
    "ndimage.generic_filter1d": (
        "16x16, 3",
        _picture(16, _three_sum, 3),
        "512x512, 3",
        _picture(512, _three_sum, 3),
    ),
}


def _mask(side, *args, **options):
    return lambda rng: ((rng.random((side, side)) < 0.5, *args), options)


def _indexed(side, count):
    def make(rng):
        values, labels = rng.standard_normal((side, side)), rng.integers(0, count + 1, (side, side))
        return (values, labels, np.arange(1, count + 1)), {}

    return make


MORPHOLOGY = {
    **{
        f"ndimage.{name}": ("16x16", _mask(16), "2048x2048", _mask(2048))
        for name in (
            "binary_erosion",
            "binary_dilation",
            "binary_opening",
            "binary_closing",
            "binary_propagation",
            "binary_fill_holes",
            "label",
            "distance_transform_edt",
        )
    },
    "ndimage.binary_hit_or_miss": ("16x16", _mask(16), "1024x1024", _mask(1024)),
    "ndimage.distance_transform_cdt": ("16x16", _mask(16), "1024x1024", _mask(1024)),
    **{
        f"ndimage.{name}": ("16x16, 3", _picture(16, 3), "2048x2048, 7", _picture(2048, 7))
        for name in (
            "grey_erosion",
            "grey_dilation",
            "grey_opening",
            "grey_closing",
            "morphological_gradient",
            "morphological_laplace",
            "white_tophat",
            "black_tophat",
        )
    },
    **{
        f"ndimage.{name}": (
            "16x16, 10 labels",
            _indexed(16, 10),
            "2048x2048, 10^4 labels",
            _indexed(2048, 10**4),
        )
        for name in (
            "sum_labels",
            "mean",
            "variance",
            "standard_deviation",
            "minimum",
            "maximum",
            "median",
            "extrema",
            "minimum_position",
            "maximum_position",
            "center_of_mass",
        )
    },
    "ndimage.find_objects": (
        "16x16, 10 labels",
        lambda rng: ((rng.integers(0, 11, (16, 16)),), {}),
        "2048x2048, 10^4 labels",
        lambda rng: ((rng.integers(0, 10**4 + 1, (2048, 2048)),), {}),
    ),
}


def _coordinates(side, points):
    return lambda rng: ((rng.standard_normal((side, side)), rng.uniform(-2, side + 2, (2, points))), {})


def _half_shift(
    output_coordinates,
):  # geometric_transform's callable: the user's code, the same on both sides
    return tuple(c - 0.5 for c in output_coordinates)


TRANSFORM = np.array([[0.9, -0.3], [0.35, 1.05]])
INTERPOLATION = {
    "ndimage.spline_filter1d": ("16x16", _picture(16), "1024x1024", _picture(1024)),
    "ndimage.spline_filter": ("16x16", _picture(16), "1024x1024", _picture(1024)),
    "ndimage.map_coordinates": (
        "16x16, 256 points",
        _coordinates(16, 256),
        "1024x1024, 10^6 points",
        _coordinates(1024, 10**6),
    ),
    "ndimage.affine_transform": ("16x16", _picture(16, TRANSFORM), "1024x1024", _picture(1024, TRANSFORM)),
    "ndimage.shift": ("16x16", _picture(16, (1.3, -0.7)), "1024x1024", _picture(1024, (10.3, -5.7))),
    "ndimage.zoom": ("16x16 x2", _picture(16, 2.0), "1024x1024 x2", _picture(1024, 2.0)),
    "ndimage.rotate": ("16x16 30 degrees", _picture(16, 30.0), "1024x1024 30 degrees", _picture(1024, 30.0)),
    "ndimage.geometric_transform": (
        "16x16",
        lambda rng: ((rng.standard_normal((16, 16)), _half_shift), {}),
        "256x256",
        lambda rng: ((rng.standard_normal((256, 256)), _half_shift), {}),
    ),
}

ANALOG_BA_TINY = scipy.signal.butter(4, 1.0, analog=True)
ANALOG_BA_LARGE = scipy.signal.butter(8, 1.0, analog=True)  # order 16 is badly conditioned as b, a
# zeros inside the unit circle (on it, the group delay is singular: SciPy warns)
POLES_8 = (np.array([1.0, 0.5, 0.25]), scipy.signal.cheby1(8, 1, 0.3)[1])
ANALOG_ZPK_TINY = scipy.signal.butter(4, 1.0, analog=True, output="zpk")
ANALOG_ZPK_LARGE = scipy.signal.butter(16, 1.0, analog=True, output="zpk")


def _with_peaks(n):
    """A signal and its peaks, for the peak-property functions."""

    def make(rng):
        x = rng.standard_normal(n)
        return (x, scipy.signal.find_peaks(x)[0]), {}

    return make


def uneven_samples(n, frequencies):
    """Lomb-Scargle input: ``n`` uneven sample times, a noisy sine there, ``frequencies`` angular ones."""

    def make(rng):
        t = np.sort(rng.uniform(0, 100, n))
        y = np.sin(2.1 * t) + 0.3 * rng.standard_normal(n)
        return (t, y, np.linspace(0.01, 10, frequencies)), {}

    return make


def sample_times(n, *args, **options):
    return lambda rng: ((np.linspace(0, 1, n), *args), options)


def _phases(n, *args):
    return lambda rng: ((np.linspace(0, 20 * np.pi, n), *args), {})


ANALYSIS = {  # peaks, coherence and Lomb-Scargle, the rest of filter design, waveforms
    "signal.find_peaks": (
        "64, distance 5",
        _signal(64, extra={"distance": 5, "prominence": 0.5}),
        "2^20, distance 100",
        _signal(2**20, extra={"distance": 100, "prominence": 1}),
    ),
    "signal.peak_prominences": ("64", _with_peaks(64), "2^20", _with_peaks(2**20)),
    "signal.peak_widths": ("64", _with_peaks(64), "2^20", _with_peaks(2**20)),
    "signal.argrelextrema": (
        "64",
        lambda rng: ((rng.standard_normal(64), np.greater), {}),
        "2^20",
        lambda rng: ((rng.standard_normal(2**20), np.greater), {}),
    ),
    "signal.argrelmax": ("64, order 3", _signal(64, extra={"order": 3}), "2^20", _signal(2**20)),
    "signal.argrelmin": ("64, order 3", _signal(64, extra={"order": 3}), "2^20", _signal(2**20)),
    "signal.find_peaks_cwt": (
        "64, widths 1-4",
        _signal(64, extra={"widths": np.arange(1, 5)}),
        "2^12, widths 1-9",
        _signal(2**12, extra={"widths": np.arange(1, 10)}),
    ),
    "signal.coherence": ("64 / 16", _two_signals(64, 16), "2^21 / 1024", _two_signals(2**21, 1024)),
    "signal.lombscargle": ("64 x 64", uneven_samples(64, 64), "2000 x 2000", uneven_samples(2000, 2000)),
    "signal.iirnotch": ("w0 0.1", _given(0.1, 30), "60 Hz at 16384 Hz", _given(60, 30, fs=16384)),
    "signal.iirpeak": ("w0 0.1", _given(0.1, 30), "60 Hz at 16384 Hz", _given(60, 30, fs=16384)),
    "signal.iircomb": (
        "60 Hz at 1000 Hz",
        _given(60, 30, fs=1200),
        "60 Hz at 48 kHz",
        _given(60, 30, fs=48000),
    ),
    "signal.gammatone": ("iir", _given(440, "iir", fs=16000), "fir", _given(440, "fir", fs=16000)),
    "signal.buttord": (
        "low-pass",
        _given(0.2, 0.3, 3, 40),
        "band-pass",
        _given([0.2, 0.5], [0.1, 0.6], 3, 40),
    ),
    "signal.cheb1ord": (
        "low-pass",
        _given(0.2, 0.3, 3, 40),
        "band-pass",
        _given([0.2, 0.5], [0.1, 0.6], 3, 40),
    ),
    "signal.cheb2ord": (
        "low-pass",
        _given(0.2, 0.3, 3, 40),
        "band-pass",
        _given([0.2, 0.5], [0.1, 0.6], 3, 40),
    ),
    "signal.ellipord": (
        "low-pass",
        _given(0.2, 0.3, 3, 40),
        "band-pass",
        _given([0.2, 0.5], [0.1, 0.6], 3, 40),
    ),
    "signal.zpk2tf": ("order 4", _given(*ZPK_TINY), "order 32", _given(*ZPK_LARGE)),
    "signal.tf2zpk": ("order 2", _given(*BA_TINY), "order 8", _given(*BA_LARGE)),
    "signal.sos2zpk": ("4 sections", _given(SOS_TINY), "8 sections", _given(SOS_LARGE)),
    "signal.bilinear": ("order 4", _given(*ANALOG_BA_TINY, 10.0), "order 8", _given(*ANALOG_BA_LARGE, 10.0)),
    "signal.bilinear_zpk": (
        "order 4",
        _given(*ANALOG_ZPK_TINY, 10.0),
        "order 16",
        _given(*ANALOG_ZPK_LARGE, 10.0),
    ),
    "signal.lp2lp": ("order 4", _given(*ANALOG_BA_TINY, 2.0), "order 8", _given(*ANALOG_BA_LARGE, 2.0)),
    "signal.lp2hp": ("order 4", _given(*ANALOG_BA_TINY, 2.0), "order 8", _given(*ANALOG_BA_LARGE, 2.0)),
    "signal.lp2bp": (
        "order 4",
        _given(*ANALOG_BA_TINY, 2.0, 1.0),
        "order 8",
        _given(*ANALOG_BA_LARGE, 2.0, 1.0),
    ),
    "signal.lp2bs": (
        "order 4",
        _given(*ANALOG_BA_TINY, 2.0, 1.0),
        "order 8",
        _given(*ANALOG_BA_LARGE, 2.0, 1.0),
    ),
    "signal.lp2lp_zpk": (
        "order 4",
        _given(*ANALOG_ZPK_TINY, 2.0),
        "order 16",
        _given(*ANALOG_ZPK_LARGE, 2.0),
    ),
    "signal.lp2hp_zpk": (
        "order 4",
        _given(*ANALOG_ZPK_TINY, 2.0),
        "order 16",
        _given(*ANALOG_ZPK_LARGE, 2.0),
    ),
    "signal.lp2bp_zpk": (
        "order 4",
        _given(*ANALOG_ZPK_TINY, 2.0, 1.0),
        "order 16",
        _given(*ANALOG_ZPK_LARGE, 2.0, 1.0),
    ),
    "signal.lp2bs_zpk": (
        "order 4",
        _given(*ANALOG_ZPK_TINY, 2.0, 1.0),
        "order 16",
        _given(*ANALOG_ZPK_LARGE, 2.0, 1.0),
    ),
    "signal.group_delay": (
        "order 2, 64",
        _given((BA_TINY[1][::-1], BA_TINY[1]), 64),
        "order 8, 2^16",
        _given(POLES_8, 2**16),
    ),
    "signal.firwin2": (
        "31 taps",
        _given(31, [0, 0.5, 1], [1, 1, 0]),
        "4001 taps",
        _given(4001, [0, 0.5, 1], [1, 1, 0]),
    ),
    "signal.firls": (
        "31 taps",
        _given(31, [0, 0.3, 0.4, 1], [1, 1, 0, 0]),
        "501 taps",
        _given(501, [0, 0.3, 0.4, 1], [1, 1, 0, 0]),
    ),
    "signal.remez": (
        "31 taps",
        _given(31, [0, 0.2, 0.3, 0.5], [1, 0]),
        "127 taps",
        _given(127, [0, 0.2, 0.25, 0.5], [1, 0]),
    ),
    "signal.minimum_phase": (
        "31 taps",
        _given(scipy.signal.firwin(31, 0.2)),
        "4001 taps",
        _given(scipy.signal.firwin(4001, 0.2)),
    ),
    "signal.kaiserord": ("60 dB", _given(60, 0.01), "120 dB", _given(120, 0.001)),
    "signal.kaiser_beta": ("60 dB", _given(60), "20 dB", _given(20)),
    "signal.kaiser_atten": ("31 taps", _given(31, 0.1), "4001 taps", _given(4001, 0.01)),
    "signal.chirp": ("64", sample_times(64, 1, 1, 100), "2^22", sample_times(2**22, 1, 1, 100)),
    "signal.gausspulse": ("64", sample_times(64, fc=5), "2^22", sample_times(2**22, fc=5)),
    "signal.sawtooth": ("64", _phases(64, 0.5), "2^22", _phases(2**22, 0.5)),
    "signal.square": ("64", _phases(64, 0.3), "2^22", _phases(2**22, 0.3)),
    "signal.sweep_poly": (
        "64",
        sample_times(64, [1.0, 0.0, 2.0]),
        "2^22",
        sample_times(2**22, [1.0, 0.0, 2.0]),
    ),
    "signal.unit_impulse": ("64", _given(64, "mid"), "2^22", _given(2**22, "mid")),
}

WINDOW_PARAMETERS = {  # the parameters after M of the windows that need them
    "chebwin": (100,),
    "dpss": (3,),
    "gaussian": (2.5,),
    "general_cosine": ([0.5, 0.5],),
    "general_gaussian": (1.5, 2.0),
    "general_hamming": (0.6,),
    "kaiser": (8.6,),
    "kaiser_bessel_derived": (8.6,),
}


def cases():
    """``(function, label, make)`` for every case: the table above, then every window at M = 16 and 2^16."""
    import gsci.signal.windows

    found = []
    for function, (tiny_label, tiny, large_label, large) in {
        **SIGNAL,
        **ANALYSIS,
        **MORPHOLOGY,
        **INTERPOLATION,
    }.items():
        found += [(function, tiny_label, tiny), (function, large_label, large)]
    for name in gsci.signal.windows.__all__:
        if name == "get_window":
            continue
        parameters = WINDOW_PARAMETERS.get(name, ())
        for m in (16, 2**16):
            found.append((f"signal.windows.{name}", f"M={m}", _given(m, *parameters)))
    return found
