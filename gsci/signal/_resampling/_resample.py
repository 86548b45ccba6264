"""`resample`: Fourier-method resampling, on any Array API library."""

import operator

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import PACKED_FROM, fft_module, packed_irfft, packed_rfft
from gsci.signal._detrend import normalize_axis

# Below this many samples SciPy's fixed cost per call is lower than gsci's (measured, noisy 2-core machine).
_SCIPY_BELOW = 2**14


@gsci_function("signal", arrays=("x",), operators=("t", "window"), scipy_when=fewer_elements(_SCIPY_BELOW))
def resample(x, num, t=None, axis=0, window=None, domain="time", *, xp):
    """Resample `x` to `num` samples by the Fourier method along `axis`.

    Same as `scipy.signal.resample` (SciPy 1.17 semantics: the unpaired
    Nyquist bin of an even length is split or united, real input takes
    ``rfft``/``irfft``, `window` is applied in the frequency domain).

    Parameters
    ----------
    x : array
        The signal, of equidistant samples (or its FFT if ``domain='freq'``).
    num : int
        The number of output samples.
    t : array or sequence, optional
        If given, its first two entries are the first two time stamps of `x`,
        and the output's time stamps are returned too.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    axis : int, optional
        The axis to resample (ignored for 1-D `x`, as in SciPy). Default: 0.
    window : array, callable, str, float or tuple, optional
        A spectral window ``W`` applied as ``X = W * fft(x)``: an array of
        ``x.shape[axis]`` values, a callable of the frequencies
        ``fftfreq(n_x)`` (gsci passes them as an array of `x`'s library), or
        a `get_window` specification (then ``W = fftshift(get_window(window, n_x))``).
        NumPy arrays are accepted with `x` of any library.
    domain : {'time', 'freq'}, optional
        ``'freq'``: `x` is already the FFT of the signal. Default: ``'time'``.

    Returns
    -------
    x_r : array
        The `num` resampled samples (real for real `x` in the time domain;
        float32 stays float32, complex64 stays complex64 unless a float64
        window promotes it, as in SciPy).
    t_r : array, optional
        The `num` time stamps of `x_r`, returned only if `t` is given.

    Raises
    ------
    ValueError
        If `domain` is unknown, `num` is negative, the window's length is
        not ``x.shape[axis]`` or `x` has no samples along `axis`.
    ZeroDivisionError
        If `num` is 0 (as in SciPy).

    Notes
    -----
    On Dask the FFT needs the whole resampled axis: gsci rechunks that axis
    into one chunk and keeps the other axes' chunks (each line is resampled
    independently). NumPy inputs of even lengths run their real FFTs as
    complex FFTs of half the length (about 1.7 times faster than SciPy's
    ``rfft``/``irfft`` pair). For a negative `num` gsci raises ``ValueError``
    where SciPy raises ``IndexError`` for real input.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import resample
    >>> np.round(resample(np.array([1.0, 0.5, 0.0, 0.5]), 2), 12).tolist()
    [1.0, 0.0]
    """
    if domain not in ("time", "freq"):
        raise ValueError(f"Parameter {domain=} not in ('time', 'freq')!")
    x = as_array(x, xp)
    num = _sample_count(num)
    if x.ndim == 0:
        raise IndexError("x must have at least one dimension, got a 0-d array")
    axis = normalize_axis(axis, x.ndim) if x.ndim > 1 else 0
    n_x = x.shape[axis]
    if n_x == 0:
        raise ValueError(f"x has no samples along {axis=} (x.shape={x.shape})")
    if axis != x.ndim - 1:
        x = xp.moveaxis(x, axis, -1)
    x = whole_last_axis(x, xp)
    W = spectral_window(window, n_x, xp, device(x))
    if domain == "time" and not xp.isdtype(x.dtype, "complex floating"):
        x_r = _resample_real(x, num, W, xp)
    else:
        x_r = resample_spectrum(_spectrum(x, domain, xp), num, W, xp)
    if axis != x_r.ndim - 1:
        x_r = xp.moveaxis(x_r, -1, axis)
    if t is None:
        return x_r
    return x_r, _time_stamps(t, n_x, num, xp, device(x))


def whole_last_axis(a, xp):
    """`a`, on Dask with its last axis in one chunk: a global FFT needs the whole axis (others keep theirs)"""
    return a.rechunk({a.ndim - 1: -1}) if is_dask_namespace(xp) else a


def _sample_count(num):
    try:
        num = operator.index(num)
    except TypeError as e:
        raise TypeError(f"num must be an integer, got {num=!r}") from e
    if num == 0:
        raise ZeroDivisionError("num must be positive, got num=0")
    if num < 0:
        raise ValueError(f"num must be positive, got {num=}")
    return num


def spectral_window(window, n_x, xp, dev):
    """The two-sided spectral window ``W`` (an array of ``n_x`` values) of `resample`'s `window`, or None."""
    if window is None:
        return None
    if callable(window):
        freqs = xp.arange(n_x, dtype=xp.float64, device=dev)
        freqs = xp.where(freqs < (n_x + 1) // 2, freqs, freqs - n_x) / n_x  # fftfreq(n_x)
        return as_array(window(freqs), xp, freqs)
    if hasattr(window, "shape"):
        if tuple(window.shape) != (n_x,):
            raise ValueError(
                f"window.shape={tuple(window.shape)} != ({n_x},), i.e., window length "
                "is not equal to number of frequency bins!"
            )
        return window
    from gsci.signal.windows import get_window

    return xp.asarray(np.fft.fftshift(get_window(window, n_x)), device=dev)


def real_dtype(dtype, xp):
    """The real dtype SciPy's FFTs compute ``dtype`` in: float32 and float16 stay single, the rest double."""
    single = dtype == xp.float32 or (hasattr(xp, "float16") and dtype == xp.float16)
    return xp.float32 if single else xp.float64


def _spectrum(x, domain, xp):
    """``fft(x)`` along the last axis (or `x` itself for ``domain='freq'``), complex."""
    if domain == "freq":
        if xp.isdtype(x.dtype, "complex floating"):
            return x
        complex_dtype = xp.complex64 if real_dtype(x.dtype, xp) == xp.float32 else xp.complex128
        return xp.astype(x, complex_dtype)
    return fft_module(xp).fft(x, axis=-1)


def _resample_real(x, num, W, xp):
    """`resample` of real `x` along its last axis: ``irfft(gains * rfft(x)[:m // 2 + 1], num)``."""
    x = xp.astype(x, real_dtype(x.dtype, xp), copy=False)
    n_x = x.shape[-1]
    m2 = min(n_x, num) // 2 + 1
    if is_numpy_namespace(xp):
        gains = _real_gains(n_x, num, W, x.dtype, np, None)
        if n_x % 2 == 0 and num % 2 == 0 and x.size == n_x >= PACKED_FROM:
            return _packed_real_resample(np.ascontiguousarray(x), num, gains)
        fft = fft_module(xp)
        spectrum = fft.rfft(x, axis=-1)[..., :m2]
        spectrum *= gains
        return fft.irfft(spectrum, n=num, axis=-1, overwrite_x=True)
    fft = fft_module(xp)
    gains = _real_gains(n_x, num, W, x.dtype, xp, device(x))
    return fft.irfft(whole_last_axis(fft.rfft(x, axis=-1)[..., :m2] * gains, xp), n=num, axis=-1)


def _real_gains(n_x, num, W, dtype, xp, dev):
    """Gains of the ``m // 2 + 1`` kept one-sided bins: ``num / n_x``, the unpaired bin's factor, window."""
    m = min(n_x, num)
    m2 = m // 2 + 1
    scale = num / n_x
    gains = xp.full((m2,), scale, dtype=dtype, device=dev)
    if m % 2 == 0 and num != n_x:  # the unpaired bin m // 2: united (down-sampling) or split (up-sampling)
        nyquist = xp.full((1,), scale * (2.0 if num < n_x else 0.5), dtype=dtype, device=dev)
        gains = xp.concat([gains[:-1], nyquist])
    if W is not None:
        gains = gains * xp.astype(_folded(xp.asarray(W, device=dev), n_x, xp)[:m2], dtype)
    return gains


def _folded(W, n_x, xp):
    """The one-sided window of a two-sided one: ``(W[l] + W[-l]) / 2`` for ``l > 0``, ``W[0]`` at DC."""
    W = xp.astype(W, xp.float64) if not xp.isdtype(W.dtype, ("real floating", "complex floating")) else W
    n_half = n_x // 2 + 1
    positive = (W[1:n_half] + xp.flip(W[n_x - n_half + 1 :], axis=0)) / 2
    return xp.concat([W[:1], positive])


def resample_spectrum(X, num, W, xp):
    """``ifft`` to `num` samples of the two-sided spectrum `X` (last axis), its unpaired bins split or united.

    SciPy's two-sided `resample` step (also the complex residual of `envelope`).
    """
    n_x = X.shape[-1]
    m = min(num, n_x)
    m2 = m // 2 + 1
    X = X * (num / n_x if W is None else W * (num / n_x))
    positive, negative = X[..., :m2], X[..., n_x - (m - m2) :]
    middle = num - m
    if m % 2 == 0 and num < n_x:  # down-sampling: the bin pair +-m/2 becomes one unpaired bin
        nyquist = positive[..., -1:] + X[..., n_x - m // 2 : n_x - m // 2 + 1]
        positive = xp.concat([positive[..., :-1], nyquist], axis=-1)
    elif m % 2 == 0 and n_x < num:  # up-sampling: the unpaired bin m/2 becomes a bin pair
        half = positive[..., -1:] / 2
        positive = xp.concat([positive[..., :-1], half], axis=-1)
        negative = xp.concat([half, negative], axis=-1)
        middle -= 1
    zeros = xp.zeros((*X.shape[:-1], middle), dtype=X.dtype, device=device(X))
    return fft_module(xp).ifft(whole_last_axis(xp.concat([positive, zeros, negative], axis=-1), xp), axis=-1)


def _time_stamps(t, n_x, num, xp, dev):
    """``t[0] + (t[1] - t[0]) * n_x / num * arange(num)``, as in SciPy."""
    return t[0] + (t[1] - t[0]) * (n_x / num) * xp.arange(num, dtype=xp.float64, device=dev)


def _packed_real_resample(x, num, gains):
    """NumPy `resample` of one contiguous real line `x` (even length) to an even `num`, by complex FFTs."""
    shape = x.shape
    spectrum = packed_rfft(x.reshape(-1), gains.shape[0], gains, num // 2 + 1)
    return packed_irfft(spectrum, num).reshape((*shape[:-1], num))
