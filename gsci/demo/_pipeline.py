"""The GWOSC "LOSC Event tutorial" analysis of a binary-black-hole event, written once against the Array API.

Every step takes the signal-processing module as a parameter: with `scipy.signal` on NumPy arrays it is
the tutorial's NumPy+SciPy computation, the reference; with `gsci.signal` on torch, JAX or CuPy arrays it
is gsci's, on the arrays' device. Both detectors are processed at once, as the two rows of one array,
and no step reads an array's values on the host.
"""

import dataclasses
import math
from typing import Any

import numpy as np

from gsci._lib._arrays import library_of
from gsci._lib._compat import array_namespace, device
from gsci._lib._fft import fft_module

__all__ = [
    "DETECTORS",
    "Analysis",
    "MatchedFilter",
    "aligned_template",
    "analyze",
    "bandpass",
    "host_array",
    "interpolate_uniform",
    "matched_filter",
    "noise_psd",
    "whiten",
    "whitened_spectrogram",
]

DETECTORS = ("H1", "L1")
PSD_SECONDS = 4  # the tutorial's NFFT = 4 * fs: PSD samples are 1/4 Hz apart
BANDPASS_ORDER = 4
SPECTROGRAM_SECONDS = 5  # the tutorial's deltat: the spectrogram covers tevent +- 5 s
HORIZON_SNR = 8  # the horizon is the distance at which the template would have this SNR


@dataclasses.dataclass(frozen=True)
class MatchedFilter:
    """The matched filter's output, one row per detector, arrays of the data's library and device.

    Attributes
    ----------
    snr_complex : array
        Complex SNR time series, shape (rows, n), rolled so that sample ``i`` is the template's merger
        (its middle) at sample ``i`` of the data.
    snr : array
        ``abs(snr_complex)``.
    peak_index : array
        Sample of the SNR maximum, integer, shape (rows,).
    peak_snr, sigma, d_eff, horizon, phase : array
        SNR at the peak; the template's noise-weighted norm; effective distance ``sigma / peak_snr``
        and horizon ``sigma / 8`` in Mpc (the template is at 1 Mpc); phase of the complex SNR at the
        peak. Float64, shape (rows,).
    """

    snr_complex: Any
    snr: Any
    peak_index: Any
    peak_snr: Any
    sigma: Any
    d_eff: Any
    horizon: Any
    phase: Any


@dataclasses.dataclass(frozen=True)
class Analysis:
    """Everything the tutorial computes for an event, rows in `DETECTORS` order.

    Attributes
    ----------
    freqs, psd : array
        Frequencies in Hz, shape (nfreq,), and each detector's noise PSD (symmetric Hann window, 4 s
        segments), shape (2, nfreq); the amplitude spectral density is ``sqrt(psd)``.
    whitened_bandpassed : array
        Whitened, band-passed strain in units of the noise's standard deviation, shape (2, n).
    spectrogram_times, spectrogram_freqs, spectrogram : array
        Spectrogram of the whitened strain within 5 s of ``tevent``: segment times in s from
        ``tevent``, frequencies in Hz and power, shape (2, nfreq, ntimes).
    matched : MatchedFilter
        The matched filter's SNR and what follows from it.
    peak_time : array
        GPS time of each detector's SNR maximum, shape (2,).
    template_match : array
        The whitened, band-passed template moved to the peak's time and phase and scaled to the
        effective distance, to lay over ``whitened_bandpassed``, shape (2, n).
    """

    freqs: Any
    psd: Any
    whitened_bandpassed: Any
    spectrogram_times: Any
    spectrogram_freqs: Any
    spectrogram: Any
    matched: MatchedFilter
    peak_time: Any
    template_match: Any

    def arrays(self):
        """Every array of the analysis by name; the matched filter's are named ``matched.<field>``."""
        own = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "matched"}
        matched = {
            f"matched.{f.name}": getattr(self.matched, f.name) for f in dataclasses.fields(MatchedFilter)
        }
        return {**own, **matched}

    def on_host(self):
        """The same analysis with NumPy copies of its arrays."""
        matched = MatchedFilter(
            **{f.name: host_array(getattr(self.matched, f.name)) for f in dataclasses.fields(MatchedFilter)}
        )
        own = {
            f.name: host_array(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "matched"
        }
        return Analysis(**own, matched=matched)


def host_array(a):
    """A NumPy copy of ``a``, an array of any supported library on any device."""
    library = library_of(a)
    if library == "torch":
        return a.detach().cpu().numpy()
    if library == "cupy":
        return a.get()
    return np.array(a)


def interpolate_uniform(x, step, values, *, xp):
    """`numpy.interp` at ``x`` of ``values`` (along the last axis) sampled at ``0, step, 2 step, ...``.

    Beyond the grid the end values hold, as in `numpy.interp`. On a uniform grid no search is needed:
    the sample below ``x`` is ``floor(x / step)``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci._lib._compat import array_namespace
    >>> x = np.array([-1.0, 0.5, 2.25, 9.0])
    >>> interpolate_uniform(x, 1.0, np.array([0.0, 10.0, 20.0, 30.0]), xp=array_namespace(x))
    array([ 0. ,  5. , 22.5, 30. ])
    """
    last = values.shape[-1] - 1
    position = xp.clip(x / step, 0.0, float(last))
    below = xp.clip(xp.astype(xp.floor(position), xp.int64), 0, last - 1)
    weight = position - xp.astype(below, position.dtype)
    return xp.take(values, below, axis=-1) * (1.0 - weight) + xp.take(values, below + 1, axis=-1) * weight


def noise_psd(strain, fs, window, overlap, *, signal, xp):
    """Welch PSD of ``strain`` (last axis) over 4 s segments of the symmetric ``window``, not detrended.

    The tutorial takes ``"hann"`` without overlap (``mlab.psd``'s defaults) for the amplitude spectral
    density and the whitening, ``"blackman"`` with ``overlap=0.5`` for the matched filter. Returns
    ``(freqs, psd)``: frequencies ``0, 1/4, ..., fs/2`` Hz.

    Examples
    --------
    >>> import numpy as np, scipy.signal
    >>> from gsci._lib._compat import array_namespace
    >>> strain = np.random.default_rng(0).standard_normal((2, 4096 * 8))
    >>> freqs, psd = noise_psd(strain, 4096.0, "hann", 0.0, signal=scipy.signal, xp=array_namespace(strain))
    >>> freqs[1], psd.shape
    (np.float64(0.25), (2, 8193))
    """
    nperseg = int(PSD_SECONDS * fs)
    taper = signal.windows.get_window(window, nperseg, fftbins=False, xp=xp, device=device(strain))
    noverlap = int(nperseg * overlap)
    return signal.welch(strain, fs=fs, window=taper, nperseg=nperseg, noverlap=noverlap, detrend=False)


def whiten(strain, psd, fs, *, xp):
    """``strain`` (last axis) divided by the noise amplitude ``sqrt(psd * fs / 2)`` in the frequency domain.

    ``psd`` is `noise_psd`'s, one row per row of ``strain`` or a single row for all, interpolated
    linearly at the strain's frequencies. The result is in units of the noise's standard deviation.
    """
    n = strain.shape[-1]
    fft = fft_module(xp)
    strain_freqs = xp.arange(n // 2 + 1, dtype=xp.float64, device=device(strain)) * (fs / n)
    noise = interpolate_uniform(strain_freqs, 1.0 / PSD_SECONDS, psd, xp=xp)
    return fft.irfft(fft.rfft(strain, axis=-1) / xp.sqrt(noise) * math.sqrt(2.0 / fs), n=n, axis=-1)


def bandpass(x, fband, fs, *, signal, xp):
    """The tutorial's band-pass: order-4 Butterworth over ``fband`` (Hz), forward and backward.

    Divided by ``sqrt(bandwidth / Nyquist)`` so that white noise of unit variance keeps unit variance.
    The tutorial filters with ``filtfilt(b, a, x)``; this is the same filter as second-order sections
    (``sosfiltfilt``), which agrees with it within 5e-9 in double precision: the (b, a) form of an
    order-8 band-pass this narrow is ill-conditioned, and a parallel scan over it overflows.
    """
    low, high = fband
    sos = signal.butter(BANDPASS_ORDER, [low * 2 / fs, high * 2 / fs], btype="band", output="sos")
    return signal.sosfiltfilt(xp.asarray(sos, device=device(x)), x, axis=-1) / math.sqrt(
        (high - low) / (fs / 2)
    )


def whitened_spectrogram(whitened, event_offset, fs, *, signal, xp):
    """Spectrogram of ``whitened`` within 5 s of ``event_offset`` seconds after its first sample.

    The tutorial's: Blackman window of 1/16 s, 15/16 overlap, not detrended. Returns
    ``(times, freqs, power)`` with times in seconds from the event.
    """
    nperseg = int(fs / 16)
    first = math.ceil((event_offset - SPECTROGRAM_SECONDS) * fs)
    stop = math.ceil((event_offset + SPECTROGRAM_SECONDS) * fs)
    taper = signal.windows.blackman(nperseg, sym=True, xp=xp, device=device(whitened))
    freqs, times, power = signal.spectrogram(
        whitened[..., first:stop],
        fs=fs,
        window=taper,
        nperseg=nperseg,
        noverlap=nperseg * 15 // 16,
        detrend=False,
    )
    return times + (first / fs - event_offset), freqs, power


def matched_filter(strain, template, psd, fs, *, signal, xp):
    """The tutorial's frequency-domain matched filter of each row of ``strain`` against ``template``.

    ``template`` is complex (``h_plus + 1j h_cross``), as long as the strain and centred on its middle;
    ``psd`` is `noise_psd`'s Blackman PSD. Data and template are tapered by a Tukey window
    (``alpha=1/8``); the SNR is normalized to unit variance in Gaussian noise.
    """
    n = strain.shape[-1]
    fft = fft_module(xp)
    taper = signal.windows.tukey(n, alpha=1 / 8, xp=xp, device=device(strain))
    template_fft = fft.fft(template * taper) / fs
    data_fft = (
        fft.fft(xp.astype(strain * taper, xp.complex128), axis=-1) / fs
    )  # the Array API's fft takes complex
    sample = xp.arange(n, dtype=xp.float64, device=device(strain))
    power = interpolate_uniform(xp.minimum(sample, n - sample) * (fs / n), 1.0 / PSD_SECONDS, psd, xp=xp)
    optimal_time = 2 * fft.ifft(data_fft * xp.conj(template_fft) / power, axis=-1) * fs
    template_power = xp.real(template_fft) ** 2 + xp.imag(template_fft) ** 2
    sigma = xp.sqrt(xp.sum(template_power / power, axis=-1) * (fs / n))
    snr_complex = xp.roll(optimal_time / sigma[..., None], n // 2, axis=-1)
    snr = xp.abs(snr_complex)
    peak_index = xp.argmax(snr, axis=-1)
    peak_snr = xp.max(snr, axis=-1)
    peak = peak_index[..., None]
    real, imag = (
        _gather_rows(part, peak, xp)[..., 0] for part in (xp.real(snr_complex), xp.imag(snr_complex))
    )
    return MatchedFilter(
        snr_complex=snr_complex,
        snr=snr,
        peak_index=peak_index,
        peak_snr=peak_snr,
        sigma=sigma,
        d_eff=sigma / peak_snr,
        horizon=sigma / HORIZON_SNR,
        phase=xp.atan2(imag, real),
    )


def aligned_template(whitened_plus, whitened_cross, matched, *, xp):
    """The whitened template at each detector's SNR peak: its phase, time and effective distance.

    ``real((plus + 1j cross) exp(1j phase))`` rolled by the peak's offset from the middle (the
    tutorial's ``np.roll``, as a gather since the offset is an array) and divided by ``d_eff``.
    """
    n = whitened_plus.shape[-1]
    phase = matched.phase[..., None]
    turned = whitened_plus * xp.cos(phase) - whitened_cross * xp.sin(phase)
    offset = matched.peak_index - n // 2
    source = (xp.arange(n, device=device(turned)) - offset[..., None]) % n
    return _gather_rows(turned, source, xp) / matched.d_eff[..., None]


def _gather_rows(values, index, xp):
    """``values[r, index[r, j]]`` for 2-D ``values`` and ``index``."""
    rows, n = values.shape
    row_start = xp.arange(rows, device=device(values))[:, None] * n
    flat = xp.take(xp.reshape(values, (-1,)), xp.reshape(index + row_start, (-1,)))
    return xp.reshape(flat, index.shape)


def analyze(event, signal, progress=None):
    """The tutorial's analysis of ``event`` (a `gsci.datasets.LigoEvent`) with the module ``signal``.

    Parameters
    ----------
    event : LigoEvent
        Strain of H1 and L1, the template and ``fband``, ``tevent``, in any array library.
    signal : module
        `gsci.signal`, or `scipy.signal` for NumPy arrays (the NumPy+SciPy reference).
    progress : callable, optional
        Called with the name of each step before it runs.

    Returns
    -------
    Analysis
        Arrays of the event's library on its device.

    Examples
    --------
    >>> import scipy.signal
    >>> import gsci.datasets
    >>> event = gsci.datasets.synthetic_event(seed=1, snr=20.0)
    >>> result = analyze(event, scipy.signal)
    >>> [f"{snr:.0f}" for snr in result.matched.peak_snr]  # injected: 20 in each detector
    ['19', '19']
    """
    report = progress or (lambda step: None)
    xp = array_namespace(event.strain[DETECTORS[0]])
    fs = event.fs
    strain = xp.stack([event.strain[detector] for detector in DETECTORS])
    report("PSDs")
    freqs, psd = noise_psd(strain, fs, "hann", 0.0, signal=signal, xp=xp)
    _, matched_psd = noise_psd(strain, fs, "blackman", 0.5, signal=signal, xp=xp)
    report("whitening")
    whitened = whiten(strain, psd, fs, xp=xp)
    report("band-pass")
    whitened_bandpassed = bandpass(whitened, event.fband, fs, signal=signal, xp=xp)
    report("spectrogram")
    spectrogram_times, spectrogram_freqs, spectrogram = whitened_spectrogram(
        whitened, event.tevent - event.gps_start, fs, signal=signal, xp=xp
    )
    report("matched filter")
    plus, cross = (xp.astype(h, xp.float64) for h in (event.h_plus, event.h_cross))
    template = xp.astype(plus, xp.complex128) + 1j * cross
    matched = matched_filter(strain, template, matched_psd, fs, signal=signal, xp=xp)
    report("template overlay")
    # The tutorial whitens the template with H1's PSD for both detectors.
    whitened_template = whiten(xp.stack([plus, cross]), psd[:1, :], fs, xp=xp)
    template_bandpassed = bandpass(whitened_template, event.fband, fs, signal=signal, xp=xp)
    return Analysis(
        freqs=freqs,
        psd=psd,
        whitened_bandpassed=whitened_bandpassed,
        spectrogram_times=spectrogram_times,
        spectrogram_freqs=spectrogram_freqs,
        spectrogram=spectrogram,
        matched=matched,
        peak_time=event.gps_start + xp.astype(matched.peak_index, xp.float64) / fs,
        template_match=aligned_template(template_bandpassed[0, :], template_bandpassed[1, :], matched, xp=xp),
    )
