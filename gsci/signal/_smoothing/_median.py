"""medfilt, medfilt2d and order_filter: rank filters over zero-padded windows.

As in SciPy, these are `gsci.ndimage.rank_filter` with ``mode='constant'``
(zero padding): the Numba CPU kernel on NumPy, the CUDA kernel on GPUs,
chunk-parallel on Dask. Kernel sizes and domains are read on the host
(they decide the window's shape).
"""

import math

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._warnings import warn_at_caller

# below this size SciPy's fixed cost per call is lower (gsci.ndimage's rank filters run SciPy's there too)
_SCIPY_IS_FASTER = fewer_elements(2**12)


def _check_dtype(a, function, xp):
    """SciPy's dtypes for the rank filters of `scipy.signal`: integers, float32 and float64."""
    if not (xp.isdtype(a.dtype, "integral") or a.dtype in (xp.float32, xp.float64)):
        raise ValueError(f"dtype={a.dtype} is not supported by {function}")


def _kernel_sizes(kernel_size, ndim, too_few):
    """``kernel_size`` (None, a number or a sequence) as a NumPy array of sizes, the first ``ndim``
    checked to be odd; fewer than ``ndim`` raise ``too_few`` (SciPy's exception type)."""
    sizes = np.asarray([3] * ndim if kernel_size is None else kernel_size)
    if sizes.shape == ():
        sizes = np.repeat(sizes, ndim)
    if sizes.ndim != 1 or sizes.shape[0] < ndim:
        raise too_few(f"kernel_size must be a number or a sequence of {ndim} numbers; got {kernel_size=}")
    if np.any(sizes[:ndim] % 2 != 1):
        raise ValueError(f"Each element of kernel_size should be odd; got {kernel_size=}")
    return sizes


def _median(volume, sizes):
    from gsci.ndimage import rank_filter

    sizes = tuple(int(k) for k in sizes)
    return rank_filter(volume, math.prod(sizes) // 2, size=sizes, mode="constant")


@gsci_function("signal", arrays=("volume",), host_operators=("kernel_size",), scipy_when=_SCIPY_IS_FASTER)
def medfilt(volume, kernel_size=None, *, xp):
    """Perform a median filter on an N-dimensional array.

    Same as `scipy.signal.medfilt`, on the input's library and device: the
    median of each window, the array zero-padded beyond its edges. In windows
    with NaN, gsci's filter sorts NaN above every number (as ``np.sort``);
    SciPy's results there depend on where the NaN is (small NumPy inputs run
    SciPy's code).

    Parameters
    ----------
    volume : array_like
        An N-dimensional array of integers, float32 or float64.
    kernel_size : int or array_like, optional
        The odd size of the window in each dimension (a number: the same in
        each). Default 3 in each dimension.

    Returns
    -------
    out : array
        The median-filtered array, of the shape and dtype of `volume`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import medfilt
    >>> medfilt(np.array([2.0, 80.0, 6.0, 3.0, 1.0]), 3).tolist()
    [2.0, 6.0, 6.0, 3.0, 1.0]
    """
    volume = as_array(volume, xp)
    if volume.ndim == 0:
        volume = xp.reshape(volume, (1,))
    _check_dtype(volume, "medfilt", xp)
    sizes = _kernel_sizes(kernel_size, volume.ndim, IndexError)
    if any(k > s for k, s in zip(sizes, volume.shape, strict=False)):
        warn_at_caller("kernel_size exceeds volume extent: the volume will be zero-padded.")
    return _median(volume, sizes)


@gsci_function("signal", arrays=("input",), host_operators=("kernel_size",), scipy_when=_SCIPY_IS_FASTER)
def medfilt2d(input, kernel_size=3, *, xp):
    """Median filter a 2-dimensional array.

    Same as `scipy.signal.medfilt2d`, on the input's library and device: the
    median of each window, the array zero-padded beyond its edges. SciPy runs
    its own C code for uint8, float32 and float64 and `medfilt` for other
    dtypes; gsci runs `medfilt`'s rank filter for all. In windows with NaN,
    gsci's filter sorts NaN above every number (as ``np.sort``); SciPy's
    results there depend on where the NaN is (small NumPy inputs run SciPy's
    rank filter).

    Parameters
    ----------
    input : array_like
        A 2-dimensional array (uint8, float32 or float64; `medfilt` takes other
        integer dtypes, in any dimension).
    kernel_size : int or array_like, optional
        The odd size of the window in each dimension (a number: the same in
        both). Default 3.

    Returns
    -------
    out : array
        The median-filtered array, of the shape and dtype of `input`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import medfilt2d
    >>> medfilt2d(np.arange(9.0).reshape(3, 3)).tolist()
    [[0.0, 1.0, 0.0], [1.0, 4.0, 2.0], [0.0, 4.0, 0.0]]
    """
    input = as_array(input, xp)
    if input.dtype not in (xp.uint8, xp.float32, xp.float64):  # as SciPy: medfilt's rules for these
        return medfilt(input, kernel_size)
    if input.ndim != 2:
        raise ValueError(f"medfilt2d filters 2-D arrays; got input.ndim={input.ndim}")
    sizes = _kernel_sizes(kernel_size, 2, ValueError)
    return _median(input, sizes[:2])  # as SciPy's C code: sizes past the second are not read


@gsci_function("signal", arrays=("a",), host_operators=("domain",), scipy_when=_SCIPY_IS_FASTER)
def order_filter(a, domain, rank, *, xp):
    """Perform an order filter on an N-D array.

    Same as `scipy.signal.order_filter`, on the input's library and device:
    the `rank`-th smallest value among the elements of each window selected
    by the non-zero elements of `domain`, the array zero-padded beyond its
    edges.

    Parameters
    ----------
    a : array_like
        An N-dimensional array of integers, float32 or float64.
    domain : array_like
        A mask array with the dimensions of `a` and an odd number of elements
        along each dimension.
    rank : int
        Which element of the sorted selection to take (0 is the smallest).

    Returns
    -------
    out : array
        The filtered array, of the shape and dtype of `a`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import order_filter
    >>> order_filter(np.arange(5.0), np.ones(3), 2).tolist()
    [1.0, 2.0, 3.0, 4.0, 4.0]
    """
    from gsci.ndimage import rank_filter

    domain = np.asarray(domain)
    if any(n % 2 != 1 for n in domain.shape):
        raise ValueError(
            f"Each dimension of domain argument should have an odd number of elements; got {domain.shape=}"
        )
    a = as_array(a, xp)
    _check_dtype(a, "order_filter", xp)
    return rank_filter(a, rank, footprint=domain, mode="constant")
