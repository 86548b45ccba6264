"""`hilbert`: the analytic signal by FFT, on any Array API library."""

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import device, is_dask_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import fft_module
from gsci.signal._detrend import normalize_axis


def _transform_dtype(dtype, xp):
    """The real dtype SciPy's FFT computes ``dtype`` in: float32 stays, the rest becomes float64."""
    return xp.float32 if dtype == xp.float32 else xp.float64


def _analytic_gains(n, dtype, xp, dev):
    """Gains of the ``n // 2 + 1`` non-negative frequencies: 1 at DC (and an even ``n``'s Nyquist), else 2."""
    gains = np.full(n // 2 + 1, 2.0)
    gains[0] = 1.0
    if n % 2 == 0:
        gains[-1] = 1.0
    return xp.asarray(gains, dtype=dtype, device=dev)


# below 2^17 samples SciPy matches the native path and costs less per call (BENCHMARKS.md)
@gsci_function("signal", arrays=("x",), scipy_when=fewer_elements(2**17))
def hilbert(x, N=None, axis=-1, *, xp):
    """Analytic signal by FFT, like `scipy.signal.hilbert`.

    Parameters
    ----------
    x : array
        Real signal.
    N : int, optional
        FFT length: `x` is zero-padded or truncated to it. Default:
        ``x.shape[axis]``.
    axis : int, optional
        The axis along which to transform. Default: the last.

    Returns
    -------
    xa : array
        ``x + 1j * hilbert_transform(x)`` with ``N`` samples along `axis`:
        complex64 for float32 input, else complex128.

    Raises
    ------
    ValueError
        If `x` is complex or `N` is not positive.

    Notes
    -----
    The negative frequencies are zero, so gsci takes a real FFT and lets
    the inverse FFT zero-pad its ``N // 2 + 1`` doubled bins to ``N``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import hilbert
    >>> xa = hilbert(np.cos(np.arange(8) * np.pi / 2))
    >>> np.round(xa.imag, 12).tolist() == [0, 1, 0, -1, 0, 1, 0, -1]
    True
    """
    x = as_array(x, xp)
    if xp.isdtype(x.dtype, "complex floating"):
        raise ValueError("x must be real.")
    axis = normalize_axis(axis, x.ndim)
    n = x.shape[axis] if N is None else N
    if n <= 0:
        raise ValueError(f"N must be positive, got N={n}")
    x = xp.astype(x, _transform_dtype(x.dtype, xp), copy=False)
    if axis != x.ndim - 1:
        x = xp.moveaxis(x, axis, -1)
    if is_dask_namespace(xp):  # dask's FFT needs the transformed axis in one chunk
        x = x.rechunk({x.ndim - 1: -1})
    fft = fft_module(xp)
    gains = _analytic_gains(n, x.dtype, xp, device(x))
    analytic = fft.ifft(fft.rfft(x, n=n, axis=-1) * gains, n=n, axis=-1)
    return xp.moveaxis(analytic, -1, axis) if axis != x.ndim - 1 else analytic
