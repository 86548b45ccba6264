"""A subset of `scipy.signal` on any Array API library.

Each function has SciPy's signature and returns arrays of the input's
library on the input's device.
"""

from gsci._lib._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "gsci.signal._spectral": ("welch", "csd", "periodogram", "spectrogram", "stft", "istft"),
        "gsci.signal._hilbert": ("hilbert",),
        "gsci.signal._detrend": ("detrend",),
        "gsci.signal._convolve": ("fftconvolve",),
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
