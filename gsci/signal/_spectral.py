"""Spectral estimation by averaged, modified periodograms: `csd`, `welch`, `periodogram`.

One core, as in SciPy: `welch` is `csd` of a signal with itself (its real
part) and `periodogram` is `welch` with one segment spanning the signal.
The segments are framed without a loop (views on NumPy and PyTorch), each
is detrended and windowed in one expression, transformed by one batched
FFT, and the products of the spectra are averaged over the segment axis.
"""

import warnings

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import (
    device,
    is_dask_namespace,
    is_numpy_namespace,
    is_torch_namespace,
    size,
)
from gsci._lib._dispatch import gsci_function
from gsci._lib._fft import fft_module
from gsci.signal._detrend import check_trend_type, normalize_axis, remove_trend
from gsci.signal.windows._windows import get_window

_SCALINGS = ("density", "spectrum")
_AVERAGES = ("mean", "median")
_WARNING_STACKLEVEL = 6  # user -> public wrapper -> _call -> welch/csd -> _cross_spectrum -> _window


def _is_double(dtype, xp):
    """True when NumPy promotes ``dtype`` with complex64 to complex128 (SciPy's output rule)."""
    if xp.isdtype(dtype, "bool"):
        return False
    if xp.isdtype(dtype, "integral"):
        return xp.iinfo(dtype).bits >= 32
    return dtype in (xp.float64, xp.complex128)


def _working_dtypes(arrays, window, xp):
    """(real dtype, dtype the segments are transformed in) for ``arrays`` and an array ``window``."""
    real = xp.float64 if any(_is_double(a.dtype, xp) for a in arrays) else xp.float32
    complex_dtype = xp.complex128 if real == xp.float64 else xp.complex64
    complex_input = any(xp.isdtype(a.dtype, "complex floating") for a in (*arrays, window))
    return real, complex_dtype if complex_input else real


def _window(window, nperseg, n, xp, dev):
    """(window array, nperseg) as SciPy's csd resolves them, for a signal of ``n`` samples."""
    if isinstance(window, str | tuple):
        nperseg = 256 if nperseg is None else int(nperseg)
        if nperseg < 1:
            raise ValueError(f"Parameter {nperseg=} is not a positive integer!")
        if n < nperseg:
            warnings.warn(
                f"{nperseg=} is greater than signal length max(len(x), len(y)) = {n}, using nperseg = {n}",
                UserWarning,
                stacklevel=_WARNING_STACKLEVEL,
            )
            nperseg = n
        return get_window(window, nperseg, xp=xp, device=dev), nperseg
    win = xp.asarray(window, device=dev)
    if win.ndim == 0:
        raise TypeError(f"window must be a str, a tuple or a 1-D array, got {window=}")
    if nperseg is not None and nperseg != win.shape[0]:
        raise ValueError(f"{nperseg=} does not equal len(win)={win.shape[0]}")
    if win.ndim != 1:
        raise ValueError(f"Parameter win must be 1d, but {win.shape=}!")
    if n < win.shape[0]:
        raise ValueError(f"the window ({win.shape[0]} samples) is longer than the signal ({n} samples)")
    return win, win.shape[0]


def _segments(x, nperseg, step, xp):
    """Segments of ``nperseg`` samples every ``step`` along the last axis: shape (..., nseg, nperseg)."""
    nseg = (x.shape[-1] - nperseg) // step + 1
    if is_numpy_namespace(xp):  # zero-copy view
        return np.lib.stride_tricks.sliding_window_view(x, nperseg, axis=-1)[..., ::step, :]
    if is_torch_namespace(xp):  # zero-copy and differentiable
        return x.unfold(-1, nperseg, step)
    starts = xp.arange(0, nseg * step, step, device=device(x))
    index = xp.reshape(starts[:, None] + xp.arange(nperseg, device=device(x)), (-1,))
    framed = xp.take(x, index, axis=-1)
    return xp.reshape(framed, (*x.shape[:-1], nseg, nperseg))


def _tapered(segments, win, detrend, xp):
    """Detrended segments times the window: a new array."""
    if detrend is None:
        return segments * win
    if callable(detrend):
        return detrend(segments) * win
    detrended = remove_trend(segments, detrend, xp)
    if is_numpy_namespace(xp):  # detrended is ours: window it in place, without another temporary
        detrended *= win
        return detrended
    return detrended * win


def _spectra(x, win, nperseg, step, nfft, detrend, onesided, xp):
    """FFT of every tapered segment of ``x`` (time on the last axis): shape (..., nseg, nfreq)."""
    if is_dask_namespace(xp):  # segments overlap: the time axis must be one chunk to frame it
        x = x.rechunk({x.ndim - 1: -1})
    tapered = _tapered(_segments(x, nperseg, step, xp), win, detrend, xp)
    if is_dask_namespace(xp):  # dask's FFT needs the transformed axis in one chunk
        tapered = tapered.rechunk({tapered.ndim - 1: -1})
    fft = fft_module(xp)
    if onesided:
        return fft.rfft(tapered, n=nfft, axis=-1)
    if not xp.isdtype(tapered.dtype, "complex floating"):
        tapered = xp.astype(tapered, xp.complex128 if tapered.dtype == xp.float64 else xp.complex64)
    return fft.fft(tapered, n=nfft, axis=-1)


def _power_sum(spectra, xp):
    """Sum over the segment axis (-2) of ``abs(spectra)**2``, real."""
    if is_numpy_namespace(xp):  # one pass over the interleaved (re, im) floats, no temporaries
        interleaved = spectra.view(spectra.real.dtype)
        squares = np.einsum("...ij,...ij->...j", interleaved, interleaved)
        return squares[..., 0::2] + squares[..., 1::2]
    if is_torch_namespace(xp):  # a dot product over the (re, im) floats: no complex temporaries
        import torch

        interleaved = torch.view_as_real(spectra).flatten(-2)
        squares = torch.linalg.vecdot(interleaved, interleaved, dim=-2)
        return squares[..., 0::2] + squares[..., 1::2]
    return xp.sum(xp.real(spectra) ** 2 + xp.imag(spectra) ** 2, axis=-2)


def _median(values, xp):
    """Median over axis -2 of real ``values``; NaN where a NaN enters, like `numpy.median`."""
    if is_numpy_namespace(xp):
        return np.median(values, axis=-2)
    if is_dask_namespace(xp):  # the median needs the whole segment axis in one chunk
        values = values.rechunk({values.ndim - 2: -1})
    ordered = xp.sort(values, axis=-2)
    count = values.shape[-2]
    middle = ordered[..., count // 2, :]
    if count % 2 == 0:
        middle = (ordered[..., count // 2 - 1, :] + middle) / 2
    return xp.where(xp.any(xp.isnan(values), axis=-2), xp.nan, middle)


def _median_bias(count):
    """SciPy's bias of the median of ``count`` periodograms relative to their mean."""
    even = 2 * np.arange(1.0, (count - 1) // 2 + 1)
    return float(1 + np.sum(1.0 / (even + 1) - 1.0 / even))


def _average(x_spectra, y_spectra, average, xp):
    """Average over segments of ``conj(X) * Y`` (``abs(X)**2`` when ``y_spectra`` is None)."""
    count = x_spectra.shape[-2]
    if count > 1 and average not in _AVERAGES:
        raise ValueError(f"Parameter {average=} must be 'median' or 'mean'!")
    if average == "median" and count > 1:
        if y_spectra is None:
            return _median(xp.real(x_spectra) ** 2 + xp.imag(x_spectra) ** 2, xp) / _median_bias(count)
        products = xp.conj(x_spectra) * y_spectra
        real, imag = _median(xp.real(products), xp), _median(xp.imag(products), xp)
        return (xp.astype(real, products.dtype) + xp.astype(imag, products.dtype) * 1j) / _median_bias(count)
    if y_spectra is None:
        return _power_sum(x_spectra, xp) / count
    return xp.vecdot(x_spectra, y_spectra, axis=-2) / count


def _frequencies(nfft, fs, onesided, xp, dev):
    """SciPy's sample frequencies, float64."""
    spacing = 1.0 / fs
    f = np.fft.rfftfreq(nfft, spacing) if onesided else np.fft.fftfreq(nfft, spacing)
    return xp.asarray(f, dtype=xp.float64, device=dev)


def _weights(win, fs, scaling, nfft, nfreq, onesided, xp):
    """Per-frequency factor: SciPy's density or spectrum scale, doubled off DC/Nyquist if one-sided."""
    if scaling not in _SCALINGS:
        raise ValueError(f"Parameter {scaling=} not in {{'spectrum': 'magnitude', 'density': 'psd'}}!")
    magnitude = xp.abs(win)
    if scaling == "density":
        scale = 1.0 / (fs * xp.sum(magnitude * magnitude))
    else:
        scale = 1.0 / xp.abs(xp.sum(win)) ** 2
    doubling = np.ones(nfreq)
    if onesided:
        doubling[1 : nfreq - 1 if nfft % 2 == 0 else nfreq] = 2
    return scale * xp.asarray(doubling, dtype=scale.dtype, device=device(win))


def _empty(shape, xp, dev):
    empty = xp.empty(shape, dtype=xp.float64, device=dev)
    return empty, empty


def _padded(x, n, xp):
    """``x`` zero-padded at the end of its last axis to ``n`` samples."""
    if x.shape[-1] == n:
        return x
    zeros = xp.zeros((*x.shape[:-1], n - x.shape[-1]), dtype=x.dtype, device=device(x))
    return xp.concat((x, zeros), axis=-1)


def _detrend_kind(detrend):
    """``detrend`` as None (no detrending), a trend type or a callable; else SciPy's ValueError."""
    if detrend is False or detrend is None:
        return None
    if isinstance(detrend, str):
        check_trend_type(detrend)
        return detrend
    if callable(detrend):
        return detrend
    raise ValueError(f"Parameter {detrend=} is not a str, function or False!")


def _cross_spectrum(
    x, y, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling, axis, average, xp
):
    """(f, Pxy) of SciPy's csd; ``y is x`` gives the real auto spectrum (welch)."""
    same = y is x
    x = as_array(x, xp)
    y = x if same else as_array(y, xp, like=x)
    dev = device(x)
    x_axis, y_axis = normalize_axis(axis, x.ndim), normalize_axis(axis, y.ndim)
    x_outer = x.shape[:x_axis] + x.shape[x_axis + 1 :]
    y_outer = y.shape[:y_axis] + y.shape[y_axis + 1 :]
    try:
        outer = np.broadcast_shapes(x_outer, y_outer)
    except ValueError as e:
        raise ValueError(f"x and y cannot be broadcast together: {x.shape=}, {y.shape=}, {axis=}") from e
    if same and size(x) == 0:
        return _empty(x.shape, xp, dev)
    if size(x) == 0 or size(y) == 0:
        shape = (*outer, min(x.shape[x_axis], y.shape[y_axis]))
        return _empty(tuple(np.moveaxis(np.empty(shape), -1, x_axis).shape), xp, dev)

    n = max(x.shape[x_axis], y.shape[y_axis])
    win, nperseg = _window(window, nperseg, n, xp, dev)
    nfft = nperseg if nfft is None else int(nfft)
    if nfft < nperseg:
        raise ValueError(f"{nfft=} must be greater than or equal to {nperseg=}!")
    noverlap = nperseg // 2 if noverlap is None else int(noverlap)
    if noverlap >= nperseg:
        raise ValueError(f"{noverlap=} must be less than {nperseg=}!")
    onesided = bool(return_onesided) and not xp.isdtype(x.dtype, "complex floating")
    if onesided and not same and xp.isdtype(y.dtype, "complex floating"):
        raise ValueError("complex y needs a two-sided spectrum: pass return_onesided=False (or a complex x)")
    detrend = _detrend_kind(detrend)
    weights = _weights(win, fs, scaling, nfft, nfft // 2 + 1 if onesided else nfft, onesided, xp)

    real_dtype, dtype = _working_dtypes((x, y), win, xp)
    if onesided and dtype not in (xp.float32, xp.float64):
        raise TypeError("a complex window needs a two-sided spectrum: pass return_onesided=False")
    win = xp.conj(win) if xp.isdtype(win.dtype, "complex floating") else win
    win = xp.astype(win, dtype, copy=False)
    weights = xp.astype(weights, real_dtype, copy=False)
    step = nperseg - noverlap

    def spectra(signal, signal_axis):
        signal = xp.astype(signal, dtype, copy=False)
        if signal_axis != signal.ndim - 1:
            signal = xp.moveaxis(signal, signal_axis, -1)
        signal = _padded(signal, n, xp)
        return _spectra(signal, win, nperseg, step, nfft, detrend, onesided, xp)

    x_spectra = spectra(x, x_axis)
    y_spectra = None if same else spectra(y, y_axis)
    pxy = _average(x_spectra, y_spectra, average, xp) * weights
    if not same:
        complex_dtype = xp.complex128 if real_dtype == xp.float64 else xp.complex64
        pxy = xp.astype(pxy, complex_dtype, copy=False)
    if x_axis != x.ndim - 1:
        pxy = xp.moveaxis(pxy, -1, x_axis - x.ndim)
    return _frequencies(nfft, fs, onesided, xp, dev), pxy


@gsci_function("signal", arrays=("x", "y", "window"))
def csd(
    x,
    y,
    fs=1.0,
    window="hann_periodic",
    nperseg=None,
    noverlap=None,
    nfft=None,
    detrend="constant",
    return_onesided=True,
    scaling="density",
    axis=-1,
    average="mean",
    *,
    xp,
):
    """Cross power spectral density by Welch's method, like `scipy.signal.csd`.

    Parameters
    ----------
    x, y : array
        Time series. The shorter is zero-padded at the end to the length of
        the longer; the other axes broadcast.
    fs : float, optional
        Sampling frequency. Default: 1.0.
    window : str, tuple or array, optional
        A window name or (name, parameters) tuple for `get_window` (periodic
        windows), or the window itself: a 1-D array of ``nperseg`` samples of
        the input's library. Default: ``'hann_periodic'``.
    nperseg : int, optional
        Samples per segment. Default: the window's length for an array
        window, else 256, reduced (with a ``UserWarning``) to the signal's
        length when longer.
    noverlap : int, optional
        Samples shared by consecutive segments. Default: ``nperseg // 2``.
    nfft : int, optional
        FFT length, ``>= nperseg`` (zero-padding the segments). Default: ``nperseg``.
    detrend : {'constant', 'linear'}, callable or False, optional
        Trend removed from each segment. A callable receives all segments
        at once, an array of shape ``(..., nseg, nperseg)`` (time on the
        last axis), and returns an array of that shape. Default: ``'constant'``.
    return_onesided : bool, optional
        One-sided spectrum for real data (default); complex `x` always gives
        a two-sided one.
    scaling : {'density', 'spectrum'}, optional
        Cross spectral density (V**2/Hz, default) or cross spectrum (V**2).
    axis : int, optional
        Time axis of `x` and `y`. Default: the last.
    average : {'mean', 'median'}, optional
        How the segments' periodograms are averaged; the median (bias
        corrected) is taken of real and imaginary parts separately.

    Returns
    -------
    f : array
        Sample frequencies, float64.
    Pxy : array
        Cross spectral density or cross spectrum, ``conj(X) * Y`` averaged:
        complex64 for single-precision input, else complex128 (real when
        `y` is `x`, like SciPy).

    Raises
    ------
    ValueError
        For bad `nperseg`, `noverlap` (``>= nperseg``), `nfft` (``< nperseg``),
        `detrend`, `scaling` or `average`, a window of the wrong length or
        shape, or shapes that do not broadcast.
    TypeError
        If `x`, `y` and `window` belong to different array libraries.

    Notes
    -----
    SciPy calls a `detrend` callable once per segment; gsci calls it once
    with all segments. Inputs of different lengths whose other axes differ
    (but broadcast) are accepted, where SciPy raises.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import csd
    >>> t = np.arange(64)
    >>> f, pxy = csd(np.sin(t), np.cos(t), nperseg=16)
    >>> f.shape, pxy.dtype
    ((9,), dtype('complex128'))
    """
    return _cross_spectrum(
        x, y, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling, axis, average, xp
    )


@gsci_function("signal", arrays=("x", "window"))
def welch(
    x,
    fs=1.0,
    window="hann_periodic",
    nperseg=None,
    noverlap=None,
    nfft=None,
    detrend="constant",
    return_onesided=True,
    scaling="density",
    axis=-1,
    average="mean",
    *,
    xp,
):
    """Power spectral density by Welch's method, like `scipy.signal.welch`.

    The real part of ``csd(x, x)``: see `csd` for the parameters (all but
    `y`) and the notes.

    Parameters
    ----------
    x : array
        Time series.
    fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling, axis, average
        As in `csd`.

    Returns
    -------
    f : array
        Sample frequencies, float64.
    Pxx : array
        Power spectral density or power spectrum: float32 for
        single-precision input, else float64.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import welch
    >>> f, pxx = welch(np.ones(1024) + np.sin(np.arange(1024)), nperseg=256)
    >>> int(np.argmax(pxx)), round(float(f[np.argmax(pxx)]), 3)
    (41, 0.16)
    """
    return _cross_spectrum(
        x, x, fs, window, nperseg, noverlap, nfft, detrend, return_onesided, scaling, axis, average, xp
    )


@gsci_function("signal", arrays=("x", "window"))
def periodogram(
    x,
    fs=1.0,
    window="boxcar",
    nfft=None,
    detrend="constant",
    return_onesided=True,
    scaling="density",
    axis=-1,
    *,
    xp,
):
    """Power spectral density by a (modified) periodogram, like `scipy.signal.periodogram`.

    One segment spanning the signal: `welch` with ``nperseg`` the signal's
    length and no overlap.

    Parameters
    ----------
    x : array
        Time series.
    fs : float, optional
        Sampling frequency. Default: 1.0.
    window : str, tuple, array or None, optional
        As in `csd`; an array must have ``x.shape[axis]`` samples (``nfft``
        if shorter). Default: ``'boxcar'`` (also for None).
    nfft : int, optional
        FFT length: longer than the signal zero-pads it, shorter truncates
        it. Default: the signal's length.
    detrend, return_onesided, scaling, axis
        As in `csd`.

    Returns
    -------
    f : array
        Sample frequencies, float64.
    Pxx : array
        Power spectral density or power spectrum: float32 for
        single-precision input, else float64.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import periodogram
    >>> f, pxx = periodogram(np.array([1.0, -1.0, 1.0, -1.0]))
    >>> f.tolist(), pxx.tolist()
    ([0.0, 0.25, 0.5], [0.0, 0.0, 4.0])
    """
    x = as_array(x, xp)
    if size(x) == 0:
        return _empty(x.shape, xp, device(x))
    axis = normalize_axis(axis, x.ndim)
    n = x.shape[axis]
    nperseg = n if nfft is None else min(n, nfft)
    if nfft is not None and nfft < n:
        x = x[(slice(None),) * axis + (slice(0, nfft),)]
        nfft = None
    if window is None:
        window = "boxcar"
    if not isinstance(window, str | tuple) and size(xp.asarray(window)) != nperseg:
        raise ValueError(
            f"the size of the window must be the same size of the input on the specified axis ({nperseg})"
        )
    return _cross_spectrum(
        x, x, fs, window, nperseg, 0, nfft, detrend, return_onesided, scaling, axis, "mean", xp
    )
