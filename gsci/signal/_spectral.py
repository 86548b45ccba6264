"""Spectral analysis by windowed segments: `csd`, `welch`, `coherence`, `periodogram`, `spectrogram`, `stft`,
`istft`.

One core, as in SciPy: `welch` is `csd` of a signal with itself (its real
part) and `periodogram` is `welch` with one segment spanning the signal.
The segments are framed without a loop (views on NumPy and PyTorch), each
is detrended and windowed in one expression, transformed by one batched
FFT, and the products of the spectra are averaged over the segment axis.
`spectrogram` and `stft` keep every segment's spectrum instead of the
average; `istft` inverts `stft` by one batched inverse FFT and an
overlap-add whose Python loop runs once per block of ``nperseg - noverlap``
samples a segment spans, not once per segment.
"""

import functools

import numpy as np

from gsci._lib._arrays import as_array, is_array, requested_namespace
from gsci._lib._compat import (
    array_namespace,
    device,
    is_dask_namespace,
    is_lazy_array,
    is_numpy_namespace,
    is_torch_namespace,
    size,
)
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import fft_module
from gsci._lib._warnings import warn_at_caller
from gsci.signal._detrend import check_trend_type, normalize_axis, remove_trend
from gsci.signal.windows._windows import build_window

# below this SciPy costs less per call than the native path (BENCHMARKS.md)
_FEW_SAMPLES = fewer_elements(2**15)
_SCALINGS = ("density", "spectrum")
_AVERAGES = ("mean", "median")


def _window_array(window, xp, dev):
    """A window given as an array or sequence, in ``xp`` on ``dev``; sequences through NumPy (float64)."""
    return xp.asarray(window if is_array(window) else np.asarray(window), device=dev)


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
            warn_at_caller(
                f"{nperseg=} is greater than signal length max(len(x), len(y)) = {n}, using nperseg = {n}"
            )
            nperseg = n
        return build_window(window, nperseg, xp=xp, device=dev), nperseg
    win = _window_array(window, xp, dev)
    if win.ndim == 0:
        raise TypeError(f"window must be a str, a tuple or a 1-D array, got {window=}")
    if nperseg is not None and nperseg != win.shape[0]:
        raise ValueError(f"{nperseg=} does not equal len(win)={win.shape[0]}")
    if win.ndim != 1:
        raise ValueError(f"Parameter win must be 1d, but win.shape={tuple(win.shape)}!")
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
    if is_dask_namespace(xp):
        return _spectra_by_chunk(x, win, nperseg, step, nfft, detrend, onesided)
    tapered = _tapered(_segments(x, nperseg, step, xp), win, detrend, xp)
    fft = fft_module(xp)
    if xp.isdtype(tapered.dtype, "complex floating"):
        return fft.fft(tapered, n=nfft, axis=-1)
    half = fft.rfft(tapered, n=nfft, axis=-1)
    return half if onesided else _conjugate_extended(half, nfft, xp)


def _spectra_by_chunk(x, win, nperseg, step, nfft, detrend, onesided):
    """`_spectra` of a Dask ``x``, chunk-parallel: each time chunk frames the segments that start in it
    (on the global grid of starts), borrowing the ``nperseg - 1`` samples after it from its neighbours,
    so the segment axis comes out chunked as the time axis went in; no chunk spans the signal."""
    import dask.array as da

    time = x.ndim - 1
    nseg = (x.shape[-1] - nperseg) // step + 1
    reach = nperseg - 1
    # a chunk shorter than the reach is merged with its neighbours, so one neighbour's samples suffice
    if x.shape[time] <= reach:
        x = x.rechunk({time: -1})
    else:
        x = x.rechunk({time: da.overlap.ensure_minimum_chunksize(max(reach, 1), x.chunks[time])})
    bounds = np.cumsum((0, *x.chunks[time]))
    firsts = np.minimum(-(-bounds[:-1] // step), nseg)  # the first segment starting in each chunk
    counts = np.minimum(-(-bounds[1:] // step), nseg) - firsts
    overlapped = x
    if x.numblocks[time] > 1:
        overlapped = da.overlap.overlap(x, depth={time: (0, reach)}, boundary={time: "none"})
    nfreq = nfft // 2 + 1 if onesided and not np.iscomplexobj(x._meta) else nfft
    dtype = np.result_type(x.dtype, np.complex64)
    return da.map_blocks(
        _chunk_spectra,
        overlapped,
        chunks=(*x.chunks[:-1], tuple(int(c) for c in counts), (nfreq,)),
        new_axis=x.ndim,
        dtype=dtype,
        meta=x._meta.astype(dtype)[..., None],
        win=win,
        starts=firsts * step - bounds[:-1],
        counts=counts,
        nperseg=nperseg,
        step=step,
        nfft=nfft,
        nfreq=nfreq,
        detrend=detrend,
        onesided=onesided,
    )


def _chunk_spectra(block, *, win, starts, counts, nperseg, step, nfft, nfreq, detrend, onesided, block_id):
    """The spectra of the segments that start in time chunk ``block_id[-2]``: ``counts`` of them, the
    first ``starts`` samples into ``block``."""
    xp = array_namespace(block)
    start, count = int(starts[block_id[-2]]), int(counts[block_id[-2]])
    if count == 0:
        dtype = np.result_type(block.dtype, np.complex64)
        return xp.zeros((*block.shape[:-1], 0, nfreq), dtype=dtype, device=device(block))
    span = block[..., start : start + (count - 1) * step + nperseg]
    return _spectra(span, win, nperseg, step, nfft, detrend, onesided, xp)


def _conjugate_extended(half, nfft, xp):
    """The ``nfft``-point spectrum of real data from its one-sided ``half``: negative frequencies conjugated.

    SciPy's FFT of real data is built so, exactly conjugate-symmetric; a complex FFT of the data is not.
    """
    negative = xp.conj(xp.flip(half[..., 1 : (nfft + 1) // 2], axis=-1))
    return xp.concat((half, negative), axis=-1)


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
    return scale * _doubling(nfft, nfreq, onesided, scale.dtype, xp, device(win))


def _doubling(nfft, nfreq, onesided, dtype, xp, dev):
    """2 at the frequencies a one-sided spectrum folds (all but DC and an even ``nfft``'s Nyquist), else 1."""
    doubling = np.ones(nfreq)
    if onesided:
        doubling[1 : nfreq - 1 if nfft % 2 == 0 else nfreq] = 2
    return xp.asarray(doubling, dtype=dtype, device=dev)


def _empty(shape, xp, dev, count=2):
    """SciPy's result for empty input: ``count`` empty float64 arrays of ``shape``."""
    return (xp.empty(shape, dtype=xp.float64, device=dev),) * count


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
    x,
    y,
    fs,
    window,
    nperseg,
    noverlap,
    nfft,
    detrend,
    return_onesided,
    scaling,
    axis,
    average,
    xp,
    *,
    reduce=None,
):
    """(f, Pxy) of SciPy's csd; ``y is x`` gives the real auto spectrum (welch).

    ``reduce(x_spectra, y_spectra, weights, xp)``, if given, replaces the
    weighted average of the segments' spectra (``y_spectra`` None when ``y is x``).
    """
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
    if size(x) == 0 or size(y) == 0:  # the shorter length at position ``axis`` of the broadcast shape
        shape = (*outer, min(x.shape[x_axis], y.shape[y_axis]))
        return _empty(np.moveaxis(np.empty(shape), -1, axis).shape, xp, dev)

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
    if reduce is not None:
        pxy = reduce(x_spectra, y_spectra, weights, xp)
    else:
        pxy = _average(x_spectra, y_spectra, average, xp) * weights
    if not same and reduce is None:
        complex_dtype = xp.complex128 if real_dtype == xp.float64 else xp.complex64
        pxy = xp.astype(pxy, complex_dtype, copy=False)
    if x_axis != x.ndim - 1:
        pxy = xp.moveaxis(pxy, -1, x_axis - x.ndim)
    return _frequencies(nfft, fs, onesided, xp, dev), pxy


@gsci_function("signal", arrays=("x", "y"), operators=("window",))
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
        A window array may also be NumPy's or a sequence: it moves to the data's device.
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


@gsci_function("signal", arrays=("x",), operators=("window",))
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


@gsci_function("signal", arrays=("x",), operators=("window",))
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
        A window array may also be NumPy's or a sequence: it moves to the data's device.
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


def _squared_magnitude(z, xp):
    """``abs(z)**2``, without a square root (and differentiable at 0)."""
    if xp.isdtype(z.dtype, "complex floating"):
        return xp.real(z) ** 2 + xp.imag(z) ** 2
    return z * z


def _coherence_of_spectra(x_spectra, y_spectra, weights, xp):
    """SciPy's ``abs(Pxy)**2 / Pxx / Pyy`` from the segments' spectra of x and y (None: y is x)."""
    y_spectra = x_spectra if y_spectra is None else y_spectra
    pxx = _average(x_spectra, None, "mean", xp) * weights
    pyy = pxx if y_spectra is x_spectra else _average(y_spectra, None, "mean", xp) * weights
    pxy = _average(x_spectra, y_spectra, "mean", xp) * weights
    return _squared_magnitude(pxy, xp) / pxx / pyy


@gsci_function("signal", arrays=("x", "y"), operators=("window",))
def coherence(
    x,
    y,
    fs=1.0,
    window="hann_periodic",
    nperseg=None,
    noverlap=None,
    nfft=None,
    detrend="constant",
    axis=-1,
    *,
    xp,
):
    """Magnitude squared coherence by Welch's method, like `scipy.signal.coherence`.

    ``Cxy = abs(Pxy)**2 / Pxx / Pyy`` with `Pxx`, `Pyy` the `welch` spectra
    of `x` and `y` and `Pxy` their `csd`. When `x` and `y` have the same
    length, each signal's segments are transformed once and the three
    averages come from those spectra (SciPy transforms each signal twice);
    otherwise it is SciPy's three calls.

    Parameters
    ----------
    x, y : array
        Time series; the other axes broadcast.
    fs, window, nperseg, noverlap, nfft, detrend, axis
        As in `csd`.

    Returns
    -------
    f : array
        Sample frequencies, float64.
    Cxy : array
        Magnitude squared coherence: float32 for single-precision input,
        else float64.

    Raises
    ------
    ValueError
        As `csd`: bad `nperseg`, `noverlap`, `nfft`, `detrend`, window, or
        shapes that do not broadcast.
    TypeError
        If `x`, `y` and `window` belong to different array libraries.

    Notes
    -----
    Every library runs the native path (the work is `csd`'s: one batched
    FFT per signal); nothing synchronises with the host, it runs under
    ``jax.jit``, lazily and chunk-parallel on Dask (segment averages
    reduce per-chunk partial sums), and is differentiable on PyTorch.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import coherence
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(4096)
    >>> f, cxy = coherence(x, x + 0.1 * rng.standard_normal(4096), nperseg=256)
    >>> f.shape, cxy.dtype, bool(cxy.min() > 0.9)
    ((129,), dtype('float64'), True)
    """
    x = as_array(x, xp)
    y = x if y is x else as_array(y, xp, like=x)
    x_axis, y_axis = normalize_axis(axis, x.ndim), normalize_axis(axis, y.ndim)
    if xp.isdtype(x.dtype, "complex floating") != xp.isdtype(y.dtype, "complex floating"):
        # SciPy: a real signal has a one-sided spectrum, a complex one a two-sided; they do not broadcast
        raise ValueError(f"x and y must both be real or both complex, got {x.dtype=} and {y.dtype=}")
    arguments = (fs, window, nperseg, noverlap, nfft, detrend, True, "density", axis, "mean", xp)
    if x.shape[x_axis] == y.shape[y_axis] and size(x) > 0 and size(y) > 0:
        return _cross_spectrum(x, y, *arguments, reduce=_coherence_of_spectra)
    # different lengths: SciPy's welch of each signal alone (its own length), and their csd (padded)
    f, pxx = _cross_spectrum(x, x, *arguments)
    _, pyy = _cross_spectrum(y, y, *arguments)
    _, pxy = _cross_spectrum(x, y, *arguments)
    return f, _squared_magnitude(pxy, xp) / pxx / pyy


_MODES = ("psd", "complex", "magnitude", "angle", "phase")
_BOUNDARIES = ("even", "odd", "constant", "zeros", None)
_STFT_SCALINGS = ("spectrum", "psd")
_NOLA_TOLERANCE = 1e-10  # SciPy's: a squared-window sum at or below it counts as zero


def _check_boundary(boundary):
    if boundary not in _BOUNDARIES:
        raise ValueError(f"Unknown boundary option '{boundary}', must be one of: {list(_BOUNDARIES)}")


def _checked_nperseg(nperseg):
    """``nperseg`` as an int, SciPy's legacy ValueError unless positive; None stays None."""
    if nperseg is None:
        return None
    nperseg = int(nperseg)
    if nperseg < 1:
        raise ValueError(f"nperseg must be a positive integer, got {nperseg=}")
    return nperseg


def _checked_nfft(nfft, nperseg, default):
    """``nfft`` as an int (``default`` if None), SciPy's legacy ValueError if below ``nperseg``."""
    if nfft is None:
        return default
    if nfft < nperseg:
        raise ValueError(f"nfft must be greater than or equal to nperseg. Got {nfft=}, {nperseg=}")
    return int(nfft)


def _checked_noverlap(noverlap, nperseg):
    """``noverlap`` as an int (default ``nperseg // 2``), SciPy's legacy ValueError unless < ``nperseg``."""
    noverlap = nperseg // 2 if noverlap is None else int(noverlap)
    if noverlap >= nperseg:
        raise ValueError(f"noverlap must be less than nperseg. Got {noverlap=}, {nperseg=}")
    return noverlap


def _triaged_window(window, nperseg, n, xp, dev):
    """(window array, nperseg) as SciPy's legacy ``_triage_segments`` resolves them for ``n`` samples.

    The checks, their order and their messages are SciPy's (`stft` and `spectrogram` use them).
    """
    if isinstance(window, str | tuple):
        nperseg = 256 if nperseg is None else nperseg
        if nperseg > n:
            warn_at_caller(f"nperseg = {nperseg} is greater than input length  = {n}, using nperseg = {n}")
            nperseg = n
        return build_window(window, nperseg, xp=xp, device=dev), nperseg
    win = _window_array(window, xp, dev)
    if win.ndim != 1:
        raise ValueError(f"window must be 1-D, got a window of shape {tuple(win.shape)}")
    if n < win.shape[0]:
        raise ValueError(f"window is longer than input signal: {win.shape[0]} > {n} samples")
    if nperseg is not None and nperseg != win.shape[0]:
        raise ValueError(
            "value specified for nperseg is different from length of window: "
            f"{nperseg=}, len(window)={win.shape[0]}"
        )
    return win, win.shape[0]


def _extended(x, n, boundary, xp):
    """``x`` extended by ``n`` samples at both ends of its last axis, as SciPy's ``<boundary>_ext``."""
    if boundary is None or n < 1:
        return x
    if boundary == "zeros":
        zeros = xp.zeros((*x.shape[:-1], n), dtype=x.dtype, device=device(x))
        return xp.concat((zeros, x, zeros), axis=-1)
    first, last = x[..., :1], x[..., -1:]
    if boundary == "constant":
        shape = (*x.shape[:-1], n)
        return xp.concat((xp.broadcast_to(first, shape), x, xp.broadcast_to(last, shape)), axis=-1)
    if n > x.shape[-1] - 1:
        raise ValueError(
            f"The extension length n ({n}) is too big. "
            f"It must not exceed x.shape[axis]-1, which is {x.shape[-1] - 1}."
        )
    left, right = xp.flip(x[..., 1 : n + 1], axis=-1), xp.flip(x[..., -n - 1 : -1], axis=-1)
    if boundary == "odd":
        left, right = 2 * first - left, 2 * last - right
    return xp.concat((left, x, right), axis=-1)


def _legacy_detrend(detrend, axis, xp):
    """SciPy's legacy `detrend` rule: falsy means none; a callable sees time on ``axis`` unless it is -1."""
    if not detrend:
        return None
    if callable(detrend) and axis != -1:

        def on_axis(segments):
            return xp.moveaxis(detrend(xp.moveaxis(segments, -1, axis)), axis, -1)

        return on_axis
    return _detrend_kind(detrend)


def _segment_times(length, nperseg, step, fs, boundary, xp, dev):
    """SciPy's segment centres for a (extended, padded) signal of ``length`` samples, float64."""
    times = np.arange(nperseg / 2, length - nperseg / 2 + 1, step) / float(fs)
    if boundary is not None:
        times -= (nperseg / 2) / fs
    return xp.asarray(times, dtype=xp.float64, device=dev)


def _legacy_scale(win, fs, scaling, xp):
    """SciPy's legacy scale, ``1 / (fs * sum(win**2))`` or ``1 / sum(win)**2`` (complex windows: complex)."""
    if scaling == "density":
        return 1.0 / (fs * xp.sum(win * win))
    if scaling == "spectrum":
        return 1.0 / xp.sum(win) ** 2
    raise ValueError(f"Unknown scaling: {scaling!r}")


def _short_time_spectra(
    x, axis, fs, win, nperseg, noverlap, nfft, detrend, return_onesided, scaling, mode, boundary, padded, xp
):
    """(f, t, spectra) as SciPy's legacy ``_spectral_helper`` computes them for one signal.

    ``axis`` is ``x``'s time axis (non-negative), ``win`` the resolved window
    of ``nperseg`` samples, ``detrend`` None, a trend type or a callable.
    ``mode`` 'psd' gives scaled periodograms, 'stft' scaled spectra; either
    is laid out (..., segment, frequency).
    """
    nfft = _checked_nfft(nfft, nperseg, nperseg)
    noverlap = _checked_noverlap(noverlap, nperseg)
    complex_input = xp.isdtype(x.dtype, "complex floating")
    if return_onesided and complex_input:
        warn_at_caller("Input data is complex, switching to return_onesided=False")
    onesided = bool(return_onesided) and not complex_input
    real_dtype = xp.float64 if _is_double(x.dtype, xp) else xp.float32
    complex_dtype = xp.complex128 if real_dtype == xp.float64 else xp.complex64
    complex_window = xp.isdtype(win.dtype, "complex floating")
    win = xp.astype(win, complex_dtype if complex_window else real_dtype, copy=False)
    scale = _legacy_scale(win, fs, scaling, xp)
    if onesided and complex_window:  # the segments are real: Re(win * s) = Re(win) * s, as SciPy keeps
        win = xp.real(win)
    two_sided_complex = complex_input or (complex_window and not onesided)
    x = xp.astype(x, complex_dtype if two_sided_complex else real_dtype, copy=False)
    if axis != x.ndim - 1:
        x = xp.moveaxis(x, axis, -1)
    x = _extended(x, nperseg // 2, boundary, xp)
    step = nperseg - noverlap
    if padded:
        x = _padded(x, x.shape[-1] + (-(x.shape[-1] - nperseg) % step) % nperseg, xp)
    spectra = _spectra(x, win, nperseg, step, nfft, detrend, onesided, xp)
    dev = device(spectra)
    frequencies = _frequencies(nfft, fs, onesided, xp, dev)
    times = _segment_times(x.shape[-1], nperseg, step, fs, boundary, xp, dev)
    if mode == "stft":
        return frequencies, times, spectra * xp.sqrt(scale)
    scale = xp.real(scale) if complex_window else scale
    weights = scale * _doubling(nfft, spectra.shape[-1], onesided, real_dtype, xp, dev)
    return frequencies, times, (xp.real(spectra) ** 2 + xp.imag(spectra) ** 2) * weights


def _frequency_on_axis(spectra, axis, xp):
    """``spectra`` (..., segment, frequency) with frequency moved to ``axis``, time last, as SciPy returns."""
    return xp.moveaxis(spectra, -1, axis) if axis != spectra.ndim - 1 else spectra


def _unwrapped(phase, xp):
    """`numpy.unwrap` along the last axis (jumps over pi become their 2 pi complement)."""
    jumps = phase[..., 1:] - phase[..., :-1]
    wrapped = xp.remainder(jumps + np.pi, 2 * np.pi) - np.pi
    wrapped = xp.where((wrapped == -np.pi) & (jumps > 0), np.pi, wrapped)
    correction = xp.where(xp.abs(jumps) < np.pi, 0.0, wrapped - jumps)
    return xp.concat((phase[..., :1], phase[..., 1:] + xp.cumulative_sum(correction, axis=-1)), axis=-1)


def _spectrogram_values(spectra, mode, xp):
    """Scaled spectra in the form ``mode`` asks for (the frequency axis last)."""
    if mode == "magnitude":
        return xp.abs(spectra)
    if mode in ("angle", "phase"):
        angle = xp.atan2(xp.imag(spectra), xp.real(spectra))
        return _unwrapped(angle, xp) if mode == "phase" else angle
    return spectra


@gsci_function("signal", arrays=("x",), operators=("window",), scipy_when=_FEW_SAMPLES)
def spectrogram(
    x,
    fs=1.0,
    window=("tukey_periodic", 0.25),
    nperseg=None,
    noverlap=None,
    nfft=None,
    detrend="constant",
    return_onesided=True,
    scaling="density",
    axis=-1,
    mode="psd",
    *,
    xp,
):
    """Spectrogram by consecutive Fourier transforms, like `scipy.signal.spectrogram`.

    Parameters
    ----------
    x : array
        Time series.
    fs : float, optional
        Sampling frequency. Default: 1.0.
    window : str, tuple or array, optional
        A window name or (name, parameters) tuple for `get_window`, or the
        window itself: a 1-D array of the input's library. Default: a
        periodic Tukey window with shape parameter 0.25.
        A window array may also be NumPy's or a sequence: it moves to the data's device.
    nperseg : int, optional
        Samples per segment. Default: the window's length for an array
        window, else 256, reduced (with a ``UserWarning``) to the signal's
        length when longer.
    noverlap : int, optional
        Samples shared by consecutive segments. Default: ``nperseg // 8``.
    nfft : int, optional
        FFT length, ``>= nperseg``. Default: ``nperseg``.
    detrend : {'constant', 'linear'}, callable or False, optional
        Trend removed from each segment. A callable receives all segments at
        once (time on the last axis when `axis` is -1, else on `axis`).
        Default: ``'constant'``.
    return_onesided : bool, optional
        One-sided spectrum for real data (default); complex `x` always gives
        a two-sided one (with SciPy's ``UserWarning``).
    scaling : {'density', 'spectrum'}, optional
        Power spectral density (V**2/Hz, default) or power spectrum (V**2);
        modes other than 'psd' take the square root of this scale.
    axis : int, optional
        Time axis of `x`. Default: the last.
    mode : {'psd', 'complex', 'magnitude', 'angle', 'phase'}, optional
        The power (default), the complex spectra, their magnitude, their
        angle, or the angle unwrapped along the frequency axis.

    Returns
    -------
    f : array
        Sample frequencies, float64.
    t : array
        Segment centres, float64.
    Sxx : array
        The spectrogram, frequency on `axis` and segment time last: complex
        for mode 'complex' (complex64 for single-precision input, else
        complex128), else real (float32 for single-precision input).

    Raises
    ------
    ValueError
        For bad `mode`, `scaling`, `detrend`, `nperseg`, `noverlap`
        (``>= nperseg``), `nfft` (``< nperseg``) or window, checked in
        SciPy's order with SciPy's messages (followed by the values).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import spectrogram
    >>> f, t, sxx = spectrogram(np.sin(np.arange(1024) * 0.5), nperseg=128)
    >>> sxx.shape, round(float(f[np.argmax(sxx[:, 0])]), 3)
    ((65, 9), 0.078)
    """
    if mode not in _MODES:
        raise ValueError(f"unknown value for mode {mode}, must be one of {list(_MODES)}")
    x = as_array(x, xp)
    time_axis = normalize_axis(axis, x.ndim)
    win, nperseg = _triaged_window(window, nperseg, x.shape[time_axis], xp, device(x))
    if size(x) == 0:  # after the window, as SciPy: no samples along the axis give no window (ValueError)
        return _empty(x.shape, xp, device(x), count=3)
    nperseg = _checked_nperseg(nperseg)
    noverlap = nperseg // 8 if noverlap is None else noverlap
    f, t, spectra = _short_time_spectra(
        x,
        time_axis,
        fs,
        win,
        nperseg,
        noverlap,
        nfft,
        _legacy_detrend(detrend, axis, xp),
        return_onesided,
        scaling,
        "psd" if mode == "psd" else "stft",
        None,
        False,
        xp,
    )
    return f, t, _frequency_on_axis(_spectrogram_values(spectra, mode, xp), time_axis, xp)


@gsci_function("signal", arrays=("x",), operators=("window",), scipy_when=_FEW_SAMPLES)
def stft(
    x,
    fs=1.0,
    window="hann_periodic",
    nperseg=256,
    noverlap=None,
    nfft=None,
    detrend=False,
    return_onesided=True,
    boundary="zeros",
    padded=True,
    axis=-1,
    scaling="spectrum",
    *,
    xp,
):
    """Short-time Fourier transform, like `scipy.signal.stft`.

    Parameters
    ----------
    x : array
        Time series.
    fs : float, optional
        Sampling frequency. Default: 1.0.
    window : str, tuple or array, optional
        A window name or (name, parameters) tuple for `get_window`, or the
        window itself: a 1-D array of ``nperseg`` samples of the input's
        library. Default: ``'hann_periodic'``.
        A window array may also be NumPy's or a sequence: it moves to the data's device.
    nperseg : int, optional
        Samples per segment, reduced (with a ``UserWarning``) to the
        signal's length when longer. Default: 256.
    noverlap : int, optional
        Samples shared by consecutive segments. Default: ``nperseg // 2``.
    nfft : int, optional
        FFT length, ``>= nperseg``. Default: ``nperseg``.
    detrend : {'constant', 'linear'}, callable or False, optional
        Trend removed from each segment (see `spectrogram`). Default: False.
    return_onesided : bool, optional
        One-sided spectrum for real data (default); complex `x` always gives
        a two-sided one (with SciPy's ``UserWarning``).
    boundary : {'zeros', 'even', 'odd', 'constant', None}, optional
        How `x` is extended by ``nperseg // 2`` samples at both ends, so the
        first segment is centred on the first sample; None extends nothing.
        Default: ``'zeros'``.
    padded : bool, optional
        Zero-pad the (extended) signal at the end to a whole number of
        segments. Default: True.
    axis : int, optional
        Time axis of `x`. Default: the last.
    scaling : {'spectrum', 'psd'}, optional
        Scale the spectra so their magnitude is an amplitude spectrum
        (default) or so their squared magnitude is a power spectral density.

    Returns
    -------
    f : array
        Sample frequencies, float64.
    t : array
        Segment times, float64.
    Zxx : array
        The STFT, frequency on `axis` and segment time last: complex64 for
        single-precision input, else complex128.

    Raises
    ------
    ValueError
        For bad `scaling`, `boundary`, `detrend`, `nperseg`, `noverlap`
        (``>= nperseg``), `nfft` (``< nperseg``) or window (not 1-D, longer
        than the signal, or not `nperseg` long), or an odd or even extension
        longer than the signal: SciPy's checks in SciPy's order, with
        SciPy's messages followed by the values.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import stft
    >>> f, t, zxx = stft(np.ones(100), nperseg=16)
    >>> zxx.shape, t[:3].tolist()
    ((9, 14), [0.0, 8.0, 16.0])
    """
    if scaling not in _STFT_SCALINGS:
        raise ValueError(f"Parameter {scaling=} not in {list(_STFT_SCALINGS)}!")
    _check_boundary(boundary)
    x = as_array(x, xp)
    if size(x) == 0:
        return _empty(x.shape, xp, device(x), count=3)
    time_axis = normalize_axis(axis, x.ndim)
    win, nperseg = _triaged_window(window, _checked_nperseg(nperseg), x.shape[time_axis], xp, device(x))
    f, t, spectra = _short_time_spectra(
        x,
        time_axis,
        fs,
        win,
        nperseg,
        noverlap,
        nfft,
        _legacy_detrend(detrend, axis, xp),
        return_onesided,
        "density" if scaling == "psd" else scaling,
        "stft",
        boundary,
        padded,
        xp,
    )
    return f, t, _frequency_on_axis(spectra, time_axis, xp)


def _overlap_add(frames, step, xp):
    """Sum of ``frames`` (..., nseg, nperseg), frame i starting at sample ``i * step``.

    A frame spans ``ceil(nperseg / step)`` blocks of ``step`` samples and its
    block b lands b blocks after its first, so one shifted add per block
    offset sums every frame, however many there are.
    """
    if is_dask_namespace(xp):
        return _overlap_add_by_chunk(frames, step)
    *outer, nseg, nperseg = frames.shape
    blocks = -(-nperseg // step)
    frames = xp.reshape(_padded(frames, blocks * step, xp), (*outer, nseg, blocks, step))
    if is_numpy_namespace(xp):  # adds in place into one output: no shifted copies
        total = np.zeros((*outer, nseg + blocks - 1, step), dtype=frames.dtype)
        for block in range(blocks):
            total[..., block : block + nseg, :] += frames[..., block, :]
        return total.reshape(*outer, -1)[..., : (nseg - 1) * step + nperseg]
    dev = device(frames)
    total = None
    for block in range(blocks):
        before = xp.zeros((*outer, block, step), dtype=frames.dtype, device=dev)
        after = xp.zeros((*outer, blocks - 1 - block, step), dtype=frames.dtype, device=dev)
        shifted = xp.concat((before, frames[..., block, :], after), axis=-2)
        total = shifted if total is None else total + shifted
    summed = xp.reshape(total, (*outer, (nseg + blocks - 1) * step))
    return summed[..., : (nseg - 1) * step + nperseg]


def _overlap_add_by_chunk(frames, step):
    """`_overlap_add` of Dask ``frames``, chunk-parallel: each chunk of segments sums its own frames; the
    last ``nperseg - step`` samples of its sum (its tail) are added to the start of the next chunk's, so
    the samples come out chunked like the segments."""
    import dask.array as da

    segment_axis = frames.ndim - 2
    nperseg = frames.shape[-1]
    tail = nperseg - step
    # chunks of at least ceil(nperseg / step) segments: a tail then lands in the next chunk only
    spanned = -(-nperseg // step)
    sizes = frames.chunks[segment_axis]
    if frames.shape[segment_axis] <= spanned:
        sizes = (frames.shape[segment_axis],)
    else:
        sizes = da.overlap.ensure_minimum_chunksize(spanned, sizes)
    frames = frames.rechunk({segment_axis: sizes, frames.ndim - 1: -1})
    index = tuple(range(frames.ndim))
    sums = da.blockwise(
        functools.partial(_overlap_add, step=step, xp=np),
        index[:-1],
        frames,
        index,
        concatenate=True,
        adjust_chunks={segment_axis: tuple(n * step + tail for n in sizes)},
        dtype=frames.dtype,
        meta=frames._meta.sum(axis=-1),
    )
    if tail == 0 or len(sizes) == 1:
        return sums
    with_previous_tail = da.overlap.overlap(
        sums, depth={segment_axis: (tail, 0)}, boundary={segment_axis: "none"}
    )
    lengths = [n * step for n in sizes[:-1]] + [sizes[-1] * step + tail]
    return da.map_blocks(
        _with_previous_tail,
        with_previous_tail,
        chunks=(*with_previous_tail.chunks[:-1], tuple(lengths)),
        dtype=frames.dtype,
        meta=frames._meta.sum(axis=-1),
        tail=tail,
        chunk_count=len(sizes),
    )


def _with_previous_tail(block, *, tail, chunk_count, block_id):
    """A chunk's sum (after the previous chunk's tail unless first): its head plus that tail, and its own
    tail if last."""
    first, last = block_id[-1] == 0, block_id[-1] == chunk_count - 1
    total = block if first else block[..., tail:].copy()
    if not first:
        total[..., :tail] += block[..., :tail]
    return total if last else total[..., :-tail]


def _as_complex(z, xp):
    """``z + 0j`` in NumPy's promotion: float32 becomes complex64, other real dtypes complex128."""
    if xp.isdtype(z.dtype, "complex floating"):
        return z
    return xp.astype(z, xp.complex64 if z.dtype == xp.float32 else xp.complex128)


def _inverse_lengths(nfreq, nperseg, noverlap, nfft, input_onesided):
    """(nperseg, noverlap, nfft) as SciPy's istft resolves them from ``nfreq`` frequencies."""
    default = 2 * (nfreq - 1) if input_onesided else nfreq
    nperseg = default if nperseg is None else _checked_nperseg(nperseg)
    odd = input_onesided and nperseg == default + 1  # odd nperseg, no FFT padding
    nfft = _checked_nfft(nfft, nperseg, nperseg if odd else default)
    return nperseg, _checked_noverlap(noverlap, nperseg), nfft


def _inverse_frames(zxx, time_axis, freq_axis, nfft, nperseg, input_onesided, xp):
    """Inverse FFT of every segment's spectrum: shape (..., nseg, nperseg), the other axes in order."""
    outer = [a for a in range(zxx.ndim) if a not in (time_axis, freq_axis)]
    zxx = xp.permute_dims(zxx, (*outer, time_axis, freq_axis))
    if is_dask_namespace(xp):  # dask's FFT needs the transformed axis in one chunk
        zxx = zxx.rechunk({zxx.ndim - 1: -1})
    fft = fft_module(xp)
    inverse = fft.irfft if input_onesided else fft.ifft
    return inverse(zxx, n=nfft, axis=-1)[..., :nperseg]


def _synthesis_window(window, nperseg, xp, dev):
    """``window`` resolved as SciPy's istft does: a str or tuple by `get_window`, else a 1-D array."""
    if isinstance(window, str | tuple):
        return build_window(window, nperseg, xp=xp, device=dev)
    win = _window_array(window, xp, dev)
    if win.ndim != 1:
        raise ValueError(f"window must be 1-D, got a window of shape {tuple(win.shape)}")
    if win.shape[0] != nperseg:
        raise ValueError(f"window must have length of {nperseg}, got {win.shape[0]}")
    return win


def _trimmed(x, nperseg, boundary):
    """``x`` without the ``nperseg // 2`` samples `stft` added at each end (SciPy's slice, also for 0)."""
    return x[..., nperseg // 2 : -(nperseg // 2)] if boundary else x


def _window_norm(window, win, nperseg, step, nseg, boundary, xp):
    """The overlap-added squared window (1 where it is tiny); warns as SciPy when NOLA fails.

    A window given by name is summed on the host, so the NOLA check reads
    no device values; an array window is summed where it lives and checked
    unless it is lazy (Dask, JAX), which would need a computation.
    """
    host = requested_namespace(None)
    on_host = isinstance(window, str | tuple)
    ns = host if on_host else xp
    squared = build_window(window, nperseg) ** 2 if on_host else win * win
    if ns.isdtype(squared.dtype, "complex floating"):  # SciPy divides by a complex sum: its real part here
        squared = ns.real(squared)
    frames = ns.broadcast_to(ns.reshape(squared, (1, nperseg)), (nseg, nperseg))
    norm = _trimmed(_overlap_add(frames, step, ns), nperseg, boundary)
    concrete = on_host or not is_lazy_array(norm)
    if concrete and not bool(ns.all(norm > _NOLA_TOLERANCE)):
        warn_at_caller(
            "NOLA condition failed, STFT may not be invertible."
            + ("" if boundary else " Possibly due to missing boundary")
        )
    norm = ns.where(norm > _NOLA_TOLERANCE, norm, 1.0)
    return xp.asarray(norm, device=device(win)) if on_host else norm


@gsci_function("signal", arrays=("Zxx",), operators=("window",), scipy_when=fewer_elements(2**11))
def istft(
    Zxx,
    fs=1.0,
    window="hann_periodic",
    nperseg=None,
    noverlap=None,
    nfft=None,
    input_onesided=True,
    boundary=True,
    time_axis=-1,
    freq_axis=-2,
    scaling="spectrum",
    *,
    xp,
):
    """Inverse short-time Fourier transform, like `scipy.signal.istft`.

    Parameters
    ----------
    Zxx : array
        STFT of the signal (real arrays are taken as complex).
    fs : float, optional
        Sampling frequency. Default: 1.0.
    window : str, tuple or array, optional
        The window `stft` used: a name or (name, parameters) tuple for
        `get_window`, or a 1-D array of ``nperseg`` samples. Default:
        ``'hann_periodic'``.
        A window array may also be NumPy's or a sequence: it moves to the data's device.
    nperseg : int, optional
        Samples per segment; needed when it was odd or ``nfft > nperseg``.
        Default: ``2 * (Zxx.shape[freq_axis] - 1)`` for one-sided input,
        else ``Zxx.shape[freq_axis]``.
    noverlap : int, optional
        Samples shared by consecutive segments. Default: ``nperseg // 2``.
    nfft : int, optional
        FFT length the STFT used, ``>= nperseg``.
    input_onesided : bool, optional
        `Zxx` holds one-sided spectra of a real signal (default), else
        two-sided spectra.
    boundary : bool, optional
        The STFT extended the signal at both ends (`stft`'s `boundary`):
        remove ``nperseg // 2`` samples from each end. Default: True.
    time_axis, freq_axis : int, optional
        Axes of `Zxx` holding segments and frequencies. Default: -1 and -2.
    scaling : {'spectrum', 'psd'}, optional
        The scaling `stft` used. Default: ``'spectrum'``.

    Returns
    -------
    t : array
        Sample times, float64. Like SciPy, of length ``x.shape[0]``: the
        signal's length only when `x` is 1-D.
    x : array
        The signal, time on the axis `Zxx`'s segments were on: real (float32
        for complex64 input, else float64) if `input_onesided`, else complex.

    Raises
    ------
    ValueError
        For `Zxx` of fewer than 2 dimensions, equal `time_axis` and
        `freq_axis`, or bad `nperseg`, `noverlap`, `nfft`, `scaling` or
        window.

    Warns
    -----
    UserWarning
        When the window fails the nonzero overlap-add (NOLA) constraint, as
        SciPy does. gsci checks an array window only when its values are at
        hand: not for lazy Dask or JAX windows (named windows always).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import istft, stft
    >>> x = np.sin(np.arange(200) * 0.1)
    >>> t, y = istft(stft(x, nperseg=32)[2], nperseg=32)
    >>> bool(np.allclose(y[:200], x))
    True
    """
    zxx = _as_complex(as_array(Zxx, xp), xp)
    if zxx.ndim < 2:
        raise ValueError(f"Input stft must be at least 2d! Got Zxx.ndim={zxx.ndim}")
    time_axis, freq_axis = normalize_axis(int(time_axis), zxx.ndim), normalize_axis(int(freq_axis), zxx.ndim)
    if time_axis == freq_axis:
        raise ValueError(f"Must specify differing time and frequency axes! Got {time_axis=}, {freq_axis=}")
    if scaling not in _STFT_SCALINGS:
        raise ValueError(f"Parameter {scaling=} not in {list(_STFT_SCALINGS)}!")
    nseg = zxx.shape[time_axis]
    nperseg, noverlap, nfft = _inverse_lengths(zxx.shape[freq_axis], nperseg, noverlap, nfft, input_onesided)
    frames = _inverse_frames(zxx, time_axis, freq_axis, nfft, nperseg, input_onesided, xp)
    win = _synthesis_window(window, nperseg, xp, device(frames))
    step = nperseg - noverlap
    norm = _window_norm(window, win, nperseg, step, nseg, boundary, xp)
    if xp.isdtype(win.dtype, "complex floating") and not xp.isdtype(frames.dtype, "complex floating"):
        win = xp.real(win)  # SciPy casts the window to the real frames' dtype
    win = xp.astype(win, frames.dtype, copy=False)
    gain = xp.sum(win) if scaling == "spectrum" else xp.sqrt(fs * xp.sum(win * win))
    x = _trimmed(_overlap_add(frames * (win * gain), step, xp), nperseg, boundary)
    x = x / xp.astype(norm, x.dtype)
    if x.ndim > 1 and time_axis != zxx.ndim - 1:
        x = xp.moveaxis(x, -1, time_axis - 1 if freq_axis < time_axis else time_axis)
    return xp.asarray(np.arange(x.shape[0]) / float(fs), dtype=xp.float64, device=device(x)), x
