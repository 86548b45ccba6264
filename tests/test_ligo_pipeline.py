"""The GWOSC tutorial's analysis of GW150914 (`gsci.demo`): the published numbers, and gsci against SciPy.

The reference is the same pipeline run with `scipy.signal` on NumPy, itself checked against a plain
transcription of the tutorial's NumPy+SciPy code, in this file.
"""

import dataclasses

import numpy as np
import pytest
import scipy.signal
from helpers import LIGO_DATA, Library, assert_matches, forbid_dask_compute, to_numpy

import gsci.datasets
import gsci.signal
from gsci.demo import DETECTORS, analyze

DATA_DIR = LIGO_DATA
TUTORIAL_PEAK_TIMES = {"H1": 1126259462.4395, "L1": 1126259462.4324}  # printed by the GWOSC tutorial
RTOL = 1e-6


@pytest.fixture(scope="module")
def event():
    if not (DATA_DIR / "H-H1_LOSC_4_V2-1126259446-32.hdf5").is_file():
        pytest.skip(f"no GW150914 data in {DATA_DIR} (set GSCI_DATA_DIR to a folder holding the GWOSC files)")
    return gsci.datasets.ligo_event("GW150914", data_dir=DATA_DIR, download=False)


@pytest.fixture(scope="module")
def reference(event):
    """The pipeline with scipy.signal on NumPy."""
    return analyze(event, scipy.signal)


def _tutorial_matched_filter(event, detector):
    """The tutorial's matched filter, transcribed line by line with NumPy and SciPy."""
    fs = event.fs
    data = event.strain[detector]
    nfft = int(4 * fs)
    template = event.h_plus + event.h_cross * 1.0j
    datafreq = np.fft.fftfreq(template.size) * fs
    df = np.abs(datafreq[1] - datafreq[0])
    dwindow = scipy.signal.windows.tukey(template.size, alpha=1.0 / 8)
    template_fft = np.fft.fft(template * dwindow) / fs
    freqs, data_psd = scipy.signal.welch(
        data, fs=fs, window=np.blackman(nfft), nperseg=nfft, noverlap=nfft // 2, detrend=False
    )
    data_fft = np.fft.fft(data * dwindow) / fs
    power_vec = np.interp(np.abs(datafreq), freqs, data_psd)
    optimal_time = 2 * np.fft.ifft(data_fft * template_fft.conjugate() / power_vec) * fs
    sigma = np.sqrt(np.abs((template_fft * template_fft.conjugate() / power_vec).sum() * df))
    return np.roll(optimal_time / sigma, data.size // 2), sigma


def _tutorial_whitened_bandpassed(event, detector):
    """The tutorial's PSD (mlab.psd: Hann, no overlap), whitening and (b, a) band-pass, in NumPy, SciPy."""
    fs, fband = event.fs, event.fband
    strain = event.strain[detector]
    nfft = int(4 * fs)
    freqs, psd = scipy.signal.welch(
        strain, fs=fs, window=np.hanning(nfft), nperseg=nfft, noverlap=0, detrend=False
    )
    white_hf = np.fft.rfft(strain) / np.sqrt(
        np.interp(np.fft.rfftfreq(strain.size, 1 / fs), freqs, psd) * fs / 2
    )
    b, a = scipy.signal.butter(4, [fband[0] * 2.0 / fs, fband[1] * 2.0 / fs], btype="band")
    normalization = np.sqrt((fband[1] - fband[0]) / (fs / 2))
    return scipy.signal.filtfilt(b, a, np.fft.irfft(white_hf, n=strain.size)) / normalization


@pytest.mark.parametrize("row", range(2), ids=DETECTORS)
def test_reference_is_the_tutorials_computation(event, reference, row):
    detector = DETECTORS[row]
    snr_complex, sigma = _tutorial_matched_filter(event, detector)
    np.testing.assert_allclose(
        reference.matched.snr_complex[row], snr_complex, rtol=0, atol=1e-9 * np.abs(snr_complex).max()
    )
    np.testing.assert_allclose(reference.matched.sigma[row], sigma, rtol=1e-12)
    assert reference.matched.peak_index[row] == np.argmax(np.abs(snr_complex))
    expected = _tutorial_whitened_bandpassed(event, detector)
    # second-order sections in the pipeline, the ill-conditioned (b, a) form in the tutorial
    np.testing.assert_allclose(
        reference.whitened_bandpassed[row], expected, rtol=0, atol=1e-7 * np.abs(expected).max()
    )


def test_reference_gives_the_published_numbers(event, reference):
    matched = reference.matched
    table = {
        detector: (f"{matched.peak_snr[row]:.1f}", f"{matched.d_eff[row]:.1f}", f"{matched.horizon[row]:.1f}")
        for row, detector in enumerate(DETECTORS)
    }
    assert table == {"H1": ("18.6", "814.4", "1889.6"), "L1": ("13.2", "999.7", "1650.6")}
    for row, detector in enumerate(DETECTORS):
        assert abs(reference.peak_time[row] - TUTORIAL_PEAK_TIMES[detector]) < 1e-3


def _on(event, xp):
    """``event`` with its arrays in ``xp``'s library and device."""
    return dataclasses.replace(
        event,
        strain={detector: xp.asarray(event.strain[detector]) for detector in DETECTORS},
        h_plus=xp.asarray(event.h_plus),
        h_cross=xp.asarray(event.h_cross),
    )


def test_gsci_matches_numpy_and_scipy(event, reference, xp):
    with forbid_dask_compute():  # on Dask the whole pipeline is one lazy graph
        result = analyze(_on(event, xp), gsci.signal)
    arrays = result.arrays()
    if xp.module == "dask":  # every output lazy; then one computation for all, so the graph runs once
        import dask

        assert all(isinstance(a, xp.ns.Array) for a in arrays.values())
        arrays = dict(zip(arrays, dask.compute(*arrays.values()), strict=True))
        xp = Library.named("numpy")
    expected = reference.arrays()
    for name, actual in arrays.items():
        if name == "peak_time":  # ~1e9 s: compare seconds from the start instead
            continue
        assert_matches(actual, expected[name], xp, rtol=RTOL, atol=0 if name.endswith("peak_index") else None)
    from_start = to_numpy(arrays["peak_time"]) - event.gps_start
    np.testing.assert_allclose(from_start, reference.peak_time - event.gps_start, rtol=0, atol=1e-9)


def test_synthetic_event_recovers_the_injection():
    event = gsci.datasets.synthetic_event(seed=3, snr=20.0)
    expected = analyze(event, scipy.signal)
    result = analyze(event, gsci.signal)
    np.testing.assert_allclose(result.matched.snr, expected.matched.snr, rtol=0, atol=RTOL * 20)
    injected_snr, distance = event.metadata["snr"], event.metadata["distance_mpc"]
    np.testing.assert_allclose(result.matched.peak_snr, injected_snr, rtol=0.2)
    np.testing.assert_allclose(result.matched.d_eff, distance, rtol=0.2)
    np.testing.assert_allclose(result.peak_time, event.tevent, atol=1e-3)
