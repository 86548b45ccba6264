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
        "gsci.ndimage._morphology._structure": ("generate_binary_structure", "iterate_structure"),
        "gsci.ndimage._morphology._binary": (
            "binary_erosion",
            "binary_dilation",
            "binary_opening",
            "binary_closing",
            "binary_propagation",
            "binary_fill_holes",
            "binary_hit_or_miss",
        ),
        "gsci.ndimage._morphology._grey": (
            "grey_erosion",
            "grey_dilation",
            "grey_opening",
            "grey_closing",
            "morphological_gradient",
            "morphological_laplace",
            "white_tophat",
            "black_tophat",
        ),
        "gsci.ndimage._measurements._label": ("label", "find_objects", "value_indices"),
        "gsci.ndimage._measurements._statistics": (
            "sum_labels",
            "sum",
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
            "histogram",
            "labeled_comprehension",
        ),
        "gsci.ndimage._morphology._distance": (
            "distance_transform_edt",
            "distance_transform_cdt",
            "distance_transform_bf",
        ),
        "gsci.ndimage._measurements._watershed": ("watershed_ift",),
        "gsci.ndimage._interpolation._spline": ("spline_filter1d", "spline_filter"),
        "gsci.ndimage._interpolation._geometric": (
            "geometric_transform",
            "map_coordinates",
            "affine_transform",
            "shift",
            "zoom",
            "rotate",
        ),
    },
)
