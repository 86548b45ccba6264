"""wiener: the adaptive Wiener filter, from local means and variances over zero-padded windows."""

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._dispatch import gsci_function


# NumPy: SciPy's FFT correlations beat gsci.ndimage's uniform_filter pair here (512 x 512, 5 x 5: 0.5x)
@gsci_function("signal", arrays=("im",), scipy_for={"numpy": "SciPy's FFT sums are faster on NumPy"})
def wiener(im, mysize=None, noise=None, *, xp):
    """Perform a Wiener filter on an N-dimensional array.

    Same as `scipy.signal.wiener`, on the input's library and device. The
    local means and variances are `gsci.ndimage.uniform_filter` means over the
    windows of SciPy's ``correlate(im, ones(mysize), 'same')`` (zero-padded),
    which SciPy sums directly or by FFT: values agree to rounding (NumPy input
    runs SciPy's own code, faster there). The noise
    estimate (the mean local variance) stays an array of the input's library:
    no host synchronisation.

    Parameters
    ----------
    im : array_like
        An N-dimensional array.
    mysize : int or array_like, optional
        The size of the window in each dimension (a number: the same in each).
        Default 3 in each dimension.
    noise : float, optional
        The noise power; default the average of the local variance of `im`.

    Returns
    -------
    out : array
        The Wiener-filtered array, of the shape of `im`: float64 (complex128
        for complex input).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import wiener
    >>> wiener(np.array([[5.0, 6, 4], [3, 5, 6], [2, 3, 5]])).round(4).tolist()
    [[2.5841, 3.6192, 2.8047], [2.6667, 4.3333, 3.6192], [1.4444, 2.6667, 2.5841]]
    """
    from gsci.ndimage import uniform_filter

    im = as_array(im, xp)
    sizes = _window(mysize, im.ndim)
    wide = xp.complex128 if xp.isdtype(im.dtype, "complex floating") else xp.float64
    # as SciPy: the squares in the input's dtype, the sums in float64 (or complex128)
    values = xp.astype(im, wide)
    local_mean = uniform_filter(values, sizes, mode="constant")
    local_variance = uniform_filter(xp.astype(im**2, wide), sizes, mode="constant") - local_mean**2
    if noise is None:
        noise = xp.mean(local_variance)
    filtered = (values - local_mean) * (1 - noise / local_variance) + local_mean
    return xp.where(local_variance < noise, local_mean, filtered)


def _window(mysize, ndim):
    """The window's sizes, one per dimension of the input."""
    sizes = [3] * ndim if mysize is None else mysize
    if np.asarray(sizes).shape == ():
        sizes = [sizes] * ndim
    sizes = [int(s) for s in sizes]
    if len(sizes) != ndim:
        raise ValueError(
            f"mysize should have one size per dimension of im; got mysize={mysize!r} for {ndim}-d im"
        )
    return sizes
