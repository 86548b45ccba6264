"""decimate: SciPy's anti-aliasing design on the host, then gsci's filters and a strided slice.

The filters are gsci's public functions (each picks its own path: Numba,
Array API, CUDA kernels, Dask), so decimate itself needs no kernel.
"""

import operator

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import is_dask_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function


def _numpy_name(dtype):
    return str(dtype).rsplit(".", 1)[-1]


def _result_dtype_name(x):
    """SciPy's: x's dtype if it is inexact (not float16), else float64."""
    name = _numpy_name(x.dtype)
    if not np.issubdtype(np.dtype(name), np.inexact) or name == "float16":
        return "float64"
    return name


def _design(ftype, n, q, dtype_name):
    """(kind, coefficients): ``("fir", (b, a))``, ``("sos", sos)`` or ``("ba", (b, a))`` as NumPy arrays."""
    import scipy.signal

    if isinstance(ftype, scipy.signal.dlti):
        return _from_system(ftype, dtype_name)
    if ftype == "fir":
        b = scipy.signal.firwin((20 * q if n is None else n) + 1, 1.0 / q, window="hamming")
        return "fir", (b.astype(dtype_name), np.ones((), dtype_name))
    if ftype == "iir":
        sos = scipy.signal.cheby1(8 if n is None else n, 0.05, 0.8 / q, output="sos")
        return "sos", sos.astype(dtype_name)
    raise ValueError(f"invalid ftype: {ftype!r}; choose 'iir', 'fir' or a dlti instance")


def _from_system(system, dtype_name):
    import scipy.signal

    zpk = system._as_zpk()
    if zpk.poles.shape[0] == 0:
        tf = system._as_tf()
        return "fir", (tf.num, tf.den)
    if np.any(np.iscomplex(zpk.poles)) or np.iscomplex(zpk.gain):  # SciPy's sosfilt takes no complex
        tf = system._as_tf()
        return "ba", (tf.num, tf.den)
    return "sos", scipy.signal.zpk2sos(zpk.zeros, zpk.poles, zpk.gain).astype(dtype_name)


def _along(axis, ndim, index):
    key = [slice(None)] * ndim
    key[axis] = index
    return tuple(key)


@gsci_function("signal", arrays=("x",), scipy_when=fewer_elements(2**15), torch_as_numpy=True)
def decimate(x, q, n=None, ftype="iir", axis=-1, zero_phase=True, *, xp):
    """Downsample the signal after applying an anti-aliasing filter.

    Same as `scipy.signal.decimate`, on any Array API library: the result is
    an array of ``x``'s library on its device.

    Parameters
    ----------
    x : array_like
        The signal to be downsampled.
    q : int
        The downsampling factor.
    n : int, optional
        The order of the filter (1 less than the length for "fir"); default
        8 for "iir" and 20 times ``q`` for "fir".
    ftype : str {'iir', 'fir'} or ``dlti`` instance, optional
        A Chebyshev type I filter of order ``n`` ("iir"), a Hamming-window
        FIR filter ("fir"), or a `scipy.signal.dlti` system. Designed on the
        host, as SciPy does.
    axis : int, optional
        The axis along which to decimate. Default -1.
    zero_phase : bool, optional
        Filter forward and backward (`sosfiltfilt`, `filtfilt`, or for FIR
        filters `resample_poly`) instead of once. Default True.

    Returns
    -------
    y : array
        The down-sampled signal.

    Notes
    -----
    The filtering runs in gsci's `sosfiltfilt`, `filtfilt`, `sosfilt`,
    `lfilter`, `resample_poly` or `upfirdn`, on ``x``'s library and device.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import decimate
    >>> decimate(np.cos(np.linspace(0, 4 * np.pi, 64)), 4).shape
    (16,)
    """
    from gsci import signal

    x = as_array(x, xp)
    q = operator.index(q)
    n = None if n is None else operator.index(n)
    dtype_name = _result_dtype_name(x)
    kind, coefficients = _design(ftype, n, q, dtype_name)
    if kind == "fir":
        b, a = coefficients
        b = b / a  # a NumPy operator: it moves to x's device
        if zero_phase:
            return signal.resample_poly(x, 1, q, axis=axis, window=b)
        y = signal.upfirdn(b, x, up=1, down=q, axis=axis)
        length = x.shape[axis]
        return y[_along(axis, x.ndim, slice(None, length // q + bool(length % q)))]
    if is_dask_namespace(xp):  # gsci's IIR filters check NumPy coefficients with Dask's all(): a compute
        coefficients = xp.asarray(coefficients) if kind == "sos" else tuple(map(xp.asarray, coefficients))
    if kind == "sos":
        y = (signal.sosfiltfilt if zero_phase else signal.sosfilt)(coefficients, x, axis=axis)
    else:
        b, a = coefficients
        y = signal.filtfilt(b, a, x, axis=axis) if zero_phase else signal.lfilter(b, a, x, axis=axis)
    return y[_along(axis, x.ndim, slice(None, None, q))]
