"""Which of SciPy's own tests exercise which gsci functions.

A family is a group of gsci public functions and the selection of tests, in the
installed SciPy's test files, that call them. Paths are relative to SciPy's
package directory; each entry is a pytest node id (a file, a class or a test),
and ``keyword`` an optional ``-k`` expression applied to the family's selection.
Every public gsci function belongs to exactly one family (tests/test_conformance.py
checks it).
"""

from dataclasses import dataclass

import gsci.ndimage
import gsci.signal.windows

SIGNALTOOLS = "signal/tests/test_signaltools.py"
SPECTRAL = "signal/tests/test_spectral.py"
FILTER_DESIGN = "signal/tests/test_filter_design.py"
RESULT_TYPE = "signal/tests/test_result_type.py"
FIR_DESIGN = "signal/tests/test_fir_filter_design.py"


@dataclass(frozen=True)
class Family:
    functions: tuple[
        str, ...
    ]  # gsci public names, as "signal.welch", "signal.windows.hann", "ndimage.laplace"
    tests: tuple[str, ...]
    keyword: str | None = None
    suite_sample: int = 1  # the test suite runs one in this many of the tests (python -m conformance: all)
    untested: tuple[str, ...] = ()  # functions SciPy's tests never call (gsci's own tests check them)

    def selection(self):
        """The family's pytest selection arguments, paths relative to SciPy's package directory."""
        return [*self.tests, *(["-k", self.keyword] if self.keyword else [])]


WINDOWS = tuple(f"signal.windows.{name}" for name in gsci.signal.windows.__all__)  # test_windows.py, whole

# test_filters.py and test_fourier.py, whole: a test of a filter gsci lacks runs SciPy's own on both sides
NDIMAGE_FILTERS, NDIMAGE_FOURIER = (
    tuple(
        f"ndimage.{name}"
        for name in gsci.ndimage.__all__
        if getattr(gsci.ndimage, name).__module__.startswith(f"gsci.ndimage.{module}")
    )
    for module in ("_filters", "_fourier")
)
MORPHOLOGY = "ndimage/tests/test_morphology.py"
MEASUREMENTS = "ndimage/tests/test_measurements.py"
INTERPOLATION = "ndimage/tests/test_interpolation.py"
LABEL_TESTS = "test_label or find_objects or value_indices or ticket_742 or gh_issue_3025 or gh_19423"

FAMILIES = {
    "windows": Family(
        functions=(*WINDOWS, "signal.get_window"),
        tests=("signal/tests/test_windows.py",),
    ),
    "spectral": Family(
        functions=("signal.welch", "signal.csd", "signal.periodogram"),
        tests=(
            f"{SPECTRAL}::TestWelch",
            f"{SPECTRAL}::TestCSD",
            f"{SPECTRAL}::TestPeriodogram",
            f"{SPECTRAL}::TestSampledSpectralRepresentations",
            "signal/tests/test_short_time_fft.py::test_average_all_segments",
        ),
    ),
    "stft/spectrogram": Family(
        functions=("signal.stft", "signal.istft", "signal.spectrogram"),
        tests=(
            f"{SPECTRAL}::TestSpectrogram",
            f"{SPECTRAL}::TestSTFT",
            "signal/tests/test_short_time_fft.py::test_tutorial_stft_legacy_stft",
            "signal/tests/test_short_time_fft.py::test_tutorial_stft_legacy_spectrogram",
        ),
    ),
    "lfilter": Family(
        functions=("signal.lfilter", "signal.lfilter_zi", "signal.lfiltic"),
        tests=(
            f"{SIGNALTOOLS}::TestLinearFilterFloat32",
            f"{SIGNALTOOLS}::TestLinearFilterFloat64",
            f"{SIGNALTOOLS}::TestLinearFilterFloatExtended",
            f"{SIGNALTOOLS}::TestLinearFilterComplex64",
            f"{SIGNALTOOLS}::TestLinearFilterComplex128",
            f"{SIGNALTOOLS}::TestLinearFilterComplexExtended",
            f"{SIGNALTOOLS}::TestLFilterZI",
            f"{SIGNALTOOLS}::test_lfilter_bad_object",
            f"{SIGNALTOOLS}::test_lfilter_notimplemented_input",
            f"{RESULT_TYPE}::test_lfilter_zi",
            f"{RESULT_TYPE}::test_lfiltic",
        ),
        suite_sample=3,
    ),
    "sosfilt": Family(
        functions=("signal.sosfilt", "signal.sosfilt_zi"),
        tests=(f"{SIGNALTOOLS}::TestSOSFilt", f"{RESULT_TYPE}::test_sosfilt_zi"),
    ),
    "filtfilt": Family(
        functions=("signal.filtfilt", "signal.sosfiltfilt"),
        tests=(
            f"{SIGNALTOOLS}::TestFiltFilt",
            f"{SIGNALTOOLS}::TestSOSFiltFilt",
            f"{SIGNALTOOLS}::test_filtfilt_gust",
        ),
    ),
    "iir design": Family(
        functions=(
            "signal.bessel",
            "signal.butter",
            "signal.cheby1",
            "signal.cheby2",
            "signal.ellip",
            "signal.iirdesign",
            "signal.iirfilter",
        ),
        tests=(
            f"{FILTER_DESIGN}::TestBessel",
            f"{FILTER_DESIGN}::TestButter",
            f"{FILTER_DESIGN}::TestCheby1",
            f"{FILTER_DESIGN}::TestCheby2",
            f"{FILTER_DESIGN}::TestEllip",
            f"{FILTER_DESIGN}::TestIIRDesign",
            f"{FILTER_DESIGN}::TestIIRFilter",
            f"{FILTER_DESIGN}::test_sos_consistency",
        ),
        suite_sample=8,
    ),
    "sos conversion": Family(
        functions=("signal.tf2sos", "signal.sos2tf", "signal.zpk2sos"),
        tests=(
            f"{FILTER_DESIGN}::TestSos2Tf",
            f"{FILTER_DESIGN}::TestTf2Sos",
            f"{FILTER_DESIGN}::TestZpk2Sos",
            f"{RESULT_TYPE}::test_sos2tf",
        ),
    ),
    "freqz": Family(
        functions=("signal.freqz", "signal.freqz_sos", "signal.sosfreqz"),
        tests=(f"{FILTER_DESIGN}::TestFreqz", f"{FILTER_DESIGN}::TestFreqz_sos"),
        suite_sample=3,
    ),
    "firwin": Family(
        functions=("signal.firwin",),
        tests=(
            f"{FIR_DESIGN}::TestFirwin",
            f"{FIR_DESIGN}::TestFirWinMore",
            f"{FIR_DESIGN}::Testfirwin_2d",
        ),
    ),
    "peaks": Family(
        functions=(
            "signal.find_peaks",
            "signal.peak_prominences",
            "signal.peak_widths",
            "signal.argrelextrema",
            "signal.argrelmax",
            "signal.argrelmin",
            "signal.find_peaks_cwt",
        ),
        tests=("signal/tests/test_peak_finding.py",),
        untested=("signal.argrelextrema",),  # tests/test_peaks.py (SciPy tests its private helper)
    ),
    "waveforms": Family(
        functions=(
            "signal.chirp",
            "signal.gausspulse",
            "signal.sawtooth",
            "signal.square",
            "signal.sweep_poly",
            "signal.unit_impulse",
        ),
        tests=("signal/tests/test_waveforms.py",),
        untested=("signal.sweep_poly",),  # tests/test_waveforms.py (SciPy tests its private phase)
    ),
    "coherence": Family(functions=("signal.coherence",), tests=(f"{SPECTRAL}::TestCoherence",)),
    "lombscargle": Family(functions=("signal.lombscargle",), tests=(f"{SPECTRAL}::TestLombscargle",)),
    "iir notch and comb": Family(
        functions=("signal.iirnotch", "signal.iirpeak", "signal.iircomb", "signal.gammatone"),
        tests=(
            f"{FILTER_DESIGN}::TestIIRNotch",
            f"{FILTER_DESIGN}::TestIIRPeak",
            f"{FILTER_DESIGN}::TestIIRComb",
            f"{FILTER_DESIGN}::TestGammatone",
        ),
    ),
    "filter order": Family(
        functions=("signal.buttord", "signal.cheb1ord", "signal.cheb2ord", "signal.ellipord"),
        tests=(
            f"{FILTER_DESIGN}::TestButtord",
            f"{FILTER_DESIGN}::TestCheb1ord",
            f"{FILTER_DESIGN}::TestCheb2ord",
            f"{FILTER_DESIGN}::TestEllipord",
        ),
    ),
    "lti conversion": Family(
        functions=(
            "signal.zpk2tf",
            "signal.tf2zpk",
            "signal.sos2zpk",
            "signal.bilinear",
            "signal.bilinear_zpk",
            "signal.lp2lp",
            "signal.lp2hp",
            "signal.lp2bp",
            "signal.lp2bs",
            "signal.lp2lp_zpk",
            "signal.lp2hp_zpk",
            "signal.lp2bp_zpk",
            "signal.lp2bs_zpk",
        ),
        tests=(
            f"{FILTER_DESIGN}::TestTf2zpk",
            f"{FILTER_DESIGN}::TestZpk2Tf",
            f"{FILTER_DESIGN}::TestSos2Zpk",
            f"{FILTER_DESIGN}::TestLp2lp",
            f"{FILTER_DESIGN}::TestLp2hp",
            f"{FILTER_DESIGN}::TestLp2bp",
            f"{FILTER_DESIGN}::TestLp2bs",
            f"{FILTER_DESIGN}::TestBilinear",
            f"{FILTER_DESIGN}::TestLp2lp_zpk",
            f"{FILTER_DESIGN}::TestLp2hp_zpk",
            f"{FILTER_DESIGN}::TestLp2bp_zpk",
            f"{FILTER_DESIGN}::TestLp2bs_zpk",
            f"{FILTER_DESIGN}::TestBilinear_zpk",
        ),
    ),
    "group delay": Family(functions=("signal.group_delay",), tests=(f"{FILTER_DESIGN}::TestGroupDelay",)),
    "fir design": Family(
        functions=(
            "signal.firwin2",
            "signal.firls",
            "signal.remez",
            "signal.minimum_phase",
            "signal.kaiserord",
            "signal.kaiser_beta",
            "signal.kaiser_atten",
        ),
        tests=(
            f"{FIR_DESIGN}::TestFirwin2",
            f"{FIR_DESIGN}::TestRemez",
            f"{FIR_DESIGN}::TestFirls",
            f"{FIR_DESIGN}::TestMinimumPhase",
            f"{FIR_DESIGN}::test_kaiser_beta",
            f"{FIR_DESIGN}::test_kaiser_atten",
            f"{FIR_DESIGN}::test_kaiserord",
        ),
    ),
    "analog responses": Family(
        functions=("signal.freqs", "signal.freqs_zpk", "signal.freqz_zpk", "signal.findfreqs"),
        tests=(
            f"{FILTER_DESIGN}::TestFreqs",
            f"{FILTER_DESIGN}::TestFreqs_zpk",
            f"{FILTER_DESIGN}::TestFreqz_zpk",
        ),
        untested=("signal.findfreqs",),  # tests/test_responses.py
    ),
    "prototypes": Family(
        functions=(
            "signal.buttap",
            "signal.cheb1ap",
            "signal.cheb2ap",
            "signal.ellipap",
            "signal.besselap",
            "signal.band_stop_obj",
            "signal.normalize",
        ),
        tests=(f"{FILTER_DESIGN}::TestPrototypeType", f"{FILTER_DESIGN}::TestNormalize"),
        untested=("signal.band_stop_obj",),  # tests/test_prototypes.py
    ),
    "czt": Family(
        functions=("signal.czt", "signal.czt_points", "signal.zoom_fft"),
        tests=("signal/tests/test_czt.py",),
    ),
    "max_len_seq": Family(functions=("signal.max_len_seq",), tests=("signal/tests/test_max_len_seq.py",)),
    "fftconvolve": Family(
        functions=("signal.fftconvolve",),
        tests=(
            f"{SIGNALTOOLS}::TestFFTConvolve",
            f"{SIGNALTOOLS}::TestAllFreqConvolves",
            f"{SIGNALTOOLS}::test_convolve_longdtype_input",
        ),
        keyword="not oaconvolve",  # TestAllFreqConvolves runs on fftconvolve and oaconvolve
        suite_sample=10,
    ),
    "convolve": Family(
        functions=(
            "signal.convolve",
            "signal.correlate",
            "signal.oaconvolve",
            "signal.choose_conv_method",
            "signal.correlation_lags",
            "signal.convolve2d",
            "signal.correlate2d",
        ),
        tests=(
            f"{SIGNALTOOLS}::TestConvolve",
            f"{SIGNALTOOLS}::TestConvolve2d",
            f"{SIGNALTOOLS}::TestOAConvolve",
            f"{SIGNALTOOLS}::TestAllFreqConvolves",
            f"{SIGNALTOOLS}::TestCorrelateReal",
            f"{SIGNALTOOLS}::TestCorrelate",
            f"{SIGNALTOOLS}::TestCorrelateComplex",
            f"{SIGNALTOOLS}::TestCorrelate2d",
            f"{SIGNALTOOLS}::test_correlation_lags",
            f"{SIGNALTOOLS}::test_correlation_lags_invalid_mode",
            f"{SIGNALTOOLS}::test_choose_conv_method",
            f"{SIGNALTOOLS}::test_choose_conv_method_2",
        ),
        keyword="not (TestAllFreqConvolves and fftconvolve)",  # the fftconvolve family runs those
        suite_sample=100,
    ),
    "resampling": Family(
        functions=("signal.upfirdn", "signal.resample_poly", "signal.resample", "signal.decimate"),
        tests=(
            "signal/tests/test_upfirdn.py",
            f"{SIGNALTOOLS}::TestResample",
            f"{SIGNALTOOLS}::TestDecimate",
        ),
        suite_sample=50,
    ),
    "smoothing": Family(
        functions=(
            "signal.savgol_coeffs",
            "signal.savgol_filter",
            "signal.medfilt",
            "signal.medfilt2d",
            "signal.order_filter",
            "signal.wiener",
        ),
        tests=(
            "signal/tests/test_savitzky_golay.py",
            f"{SIGNALTOOLS}::TestMedFilt",
            f"{SIGNALTOOLS}::TestOrderFilt",
            f"{SIGNALTOOLS}::TestWiener",
        ),
        suite_sample=4,
    ),
    "hilbert": Family(
        functions=("signal.hilbert", "signal.hilbert2", "signal.envelope"),
        tests=(f"{SIGNALTOOLS}::TestHilbert", f"{SIGNALTOOLS}::TestHilbert2", f"{SIGNALTOOLS}::TestEnvelope"),
    ),
    "deconvolve": Family(functions=("signal.deconvolve",), tests=(f"{SIGNALTOOLS}::TestDeconvolve",)),
    "detrend": Family(functions=("signal.detrend",), tests=(f"{SIGNALTOOLS}::TestDetrend",)),
    "ndimage filters": Family(
        functions=NDIMAGE_FILTERS,
        tests=("ndimage/tests/test_filters.py",),
        suite_sample=50,
    ),
    "ndimage fourier": Family(
        functions=NDIMAGE_FOURIER,
        tests=("ndimage/tests/test_fourier.py",),
    ),
    "binary morphology": Family(
        functions=(
            "ndimage.generate_binary_structure",
            "ndimage.iterate_structure",
            "ndimage.binary_erosion",
            "ndimage.binary_dilation",
            "ndimage.binary_opening",
            "ndimage.binary_closing",
            "ndimage.binary_propagation",
            "ndimage.binary_fill_holes",
            "ndimage.binary_hit_or_miss",
        ),
        tests=(MORPHOLOGY,),
        keyword="binary or structure or hit_or_miss or TestDilateFix",
        suite_sample=6,
    ),
    "grey morphology": Family(
        functions=(
            "ndimage.grey_erosion",
            "ndimage.grey_dilation",
            "ndimage.grey_opening",
            "ndimage.grey_closing",
            "ndimage.morphological_gradient",
            "ndimage.morphological_laplace",
            "ndimage.white_tophat",
            "ndimage.black_tophat",
        ),
        tests=(MORPHOLOGY,),
        keyword="grey or morphological or tophat",
        suite_sample=6,
    ),
    "distance transforms": Family(
        functions=(
            "ndimage.distance_transform_edt",
            "ndimage.distance_transform_cdt",
            "ndimage.distance_transform_bf",
        ),
        tests=(MORPHOLOGY,),
        keyword="distance_transform",
        suite_sample=3,
    ),
    "label": Family(
        functions=("ndimage.label", "ndimage.find_objects", "ndimage.value_indices"),
        tests=(MEASUREMENTS,),
        keyword=LABEL_TESTS,
    ),
    "measurements": Family(
        functions=(
            "ndimage.sum_labels",
            "ndimage.sum",
            "ndimage.mean",
            "ndimage.variance",
            "ndimage.standard_deviation",
            "ndimage.minimum",
            "ndimage.maximum",
            "ndimage.median",
            "ndimage.extrema",
            "ndimage.minimum_position",
            "ndimage.maximum_position",
            "ndimage.center_of_mass",
            "ndimage.histogram",
            "ndimage.labeled_comprehension",
        ),
        tests=(MEASUREMENTS,),
        keyword=f"not ({LABEL_TESTS} or Watershed)",
        untested=("ndimage.labeled_comprehension",),  # tests/test_measurements.py
        suite_sample=3,
    ),
    "watershed": Family(functions=("ndimage.watershed_ift",), tests=(MEASUREMENTS,), keyword="Watershed"),
    "splines": Family(
        functions=("ndimage.spline_filter1d", "ndimage.spline_filter"),
        tests=("ndimage/tests/test_splines.py", f"{INTERPOLATION}::TestSpline"),
        suite_sample=2,
    ),
    "interpolation": Family(
        functions=(
            "ndimage.geometric_transform",
            "ndimage.map_coordinates",
            "ndimage.affine_transform",
            "ndimage.shift",
            "ndimage.zoom",
            "ndimage.rotate",
        ),
        tests=(INTERPOLATION,),
        keyword="not TestSpline",
        suite_sample=12,
    ),
}
