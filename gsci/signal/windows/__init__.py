"""A subset of `scipy.signal.windows`, created in any Array API library on any of its devices.

Each window has SciPy's signature, ending in ``*, xp=None, device=None``: the
output is a float64 array of ``xp`` (NumPy by default) on ``device``.
"""

from gsci._lib._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "gsci.signal.windows._windows": (
            "bartlett",
            "blackman",
            "boxcar",
            "flattop",
            "gaussian",
            "general_cosine",
            "general_hamming",
            "get_window",
            "hamming",
            "hann",
            "kaiser",
            "triang",
            "tukey",
        ),
    },
)
