"""A subset of `scipy.signal` on any Array API library.

Each function has SciPy's signature and returns arrays of the input's
library on the input's device.
"""

from gsci._lib._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "gsci.signal._spectral": ("welch", "csd", "periodogram", "spectrogram", "stft", "istft"),
        "gsci.signal._hilbert": ("hilbert", "hilbert2", "envelope"),
        "gsci.signal._detrend": ("detrend",),
        "gsci.signal._convolution._fftconvolve": ("fftconvolve", "oaconvolve"),
        "gsci.signal._convolution._convolve": (
            "convolve",
            "correlate",
            "choose_conv_method",
            "correlation_lags",
        ),
        "gsci.signal._convolution._convolve2d": ("convolve2d", "correlate2d"),
        "gsci.signal._resampling._upfirdn": ("upfirdn",),
        "gsci.signal._resampling._resample_poly": ("resample_poly",),
        "gsci.signal._resampling._decimate": ("decimate",),
        "gsci.signal._resampling._resample": ("resample",),
        "gsci.signal._smoothing._savgol": ("savgol_coeffs", "savgol_filter"),
        "gsci.signal._smoothing._median": ("medfilt", "medfilt2d", "order_filter"),
        "gsci.signal._smoothing._wiener": ("wiener",),
        "gsci.signal._deconvolve": ("deconvolve",),
        "gsci.signal.windows._windows": ("get_window",),
        "gsci.signal._filter_design": (
            "bessel",
            "butter",
            "cheby1",
            "cheby2",
            "ellip",
            "firwin",
            "iirdesign",
            "iirfilter",
            "sos2tf",
            "tf2sos",
            "zpk2sos",
        ),
        "gsci.signal._freqz": ("freqz", "freqz_sos", "sosfreqz"),
        "gsci.signal._iir": ("lfilter", "lfilter_zi", "lfiltic", "sosfilt", "sosfilt_zi"),
        "gsci.signal._filtfilt": ("filtfilt", "sosfiltfilt"),
    },
    submodules=("windows",),
)
