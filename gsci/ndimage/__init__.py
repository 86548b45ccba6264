"""A subset of `scipy.ndimage` on any Array API library.

Each function has SciPy's signature and returns arrays of the input's
library on the input's device.
"""

from gsci._lib._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "gsci.ndimage._filters._separable": (
            "correlate1d",
            "convolve1d",
            "laplace",
            "uniform_filter1d",
            "uniform_filter",
            "gaussian_filter1d",
            "gaussian_filter",
            "prewitt",
            "sobel",
            "generic_laplace",
            "generic_gradient_magnitude",
            "gaussian_laplace",
            "gaussian_gradient_magnitude",
        ),
        "gsci.ndimage._filters._generic": ("generic_filter1d", "generic_filter"),
        "gsci.ndimage._filters._vectorized": ("vectorized_filter",),
        "gsci.ndimage._filters._correlate": ("correlate", "convolve"),
        "gsci.ndimage._filters._rank": (
            "minimum_filter1d",
            "maximum_filter1d",
            "minimum_filter",
            "maximum_filter",
            "median_filter",
            "rank_filter",
            "percentile_filter",
        ),
        "gsci.ndimage._fourier": (
            "fourier_gaussian",
            "fourier_uniform",
            "fourier_ellipsoid",
            "fourier_shift",
        ),
    },
)
