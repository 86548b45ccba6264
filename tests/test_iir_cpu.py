"""The Numba CPU IIR kernels (`gsci.kernels.iir_cpu`) against SciPy's sosfilt, lfilter and their filtfilts."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci.kernels.iir_cpu import filter_sections, filtfilt_sections

DTYPES = ["float32", "float64"]
PADTYPES = ["odd", "even", "constant", None]


def _assert_close(actual, expected, ulps=8):
    """Same dtype and shape; values within ``ulps`` of the dtype's eps times the output's scale."""
    assert actual.dtype == expected.dtype
    assert actual.shape == expected.shape
    scale = np.max(np.abs(expected), initial=1.0)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=ulps * np.finfo(expected.dtype).eps * scale)


def _sos(sections, dtype, seed=0):
    """A stable band-pass of ``sections`` second-order sections, random band edges."""
    low, width = np.random.default_rng(seed).uniform([0.02, 0.1], [0.3, 0.5])
    return scipy.signal.butter(sections, [low, low + width], btype="band", output="sos").astype(dtype)


def _ba(order, dtype, seed=0):
    """A stable order-``order`` Chebyshev low-pass, random cut-off."""
    cutoff = np.random.default_rng(seed).uniform(0.1, 0.6)
    b, a = scipy.signal.cheby1(order, 1.0, cutoff)
    return b.astype(dtype), a.astype(dtype)


def _signal(shape, dtype, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _sosfilt(sos, x, zi_scipy):
    """The kernel on SciPy's sosfilt layout: zi (sections, ..., 2) along the last axis."""
    y, zf = filter_sections(sos[:, :3], sos[:, 3:], x, np.moveaxis(zi_scipy, 0, -2))
    return y, np.moveaxis(zf, -2, 0)


def _padlen(sos):
    return 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("sections", [1, 2, 5, 10])
@pytest.mark.parametrize("batch", [(), (1,), (3,), (2, 3)])
def test_sosfilt_with_zi_matches_scipy(dtype, sections, batch):
    sos = _sos(sections, dtype)
    x = _signal((*batch, 300), dtype)
    zi = _signal((sections, *batch, 2), dtype, seed=2)
    expected_y, expected_zf = scipy.signal.sosfilt(sos, x, zi=zi)
    y, zf = _sosfilt(sos, x, zi)
    _assert_close(y, expected_y)
    _assert_close(zf, expected_zf)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("order", range(1, 9))
def test_lfilter_with_zi_matches_scipy(dtype, order):
    b, a = _ba(order, dtype)
    x = _signal((4, 257), dtype)
    zi = _signal((4, order), dtype, seed=2)
    expected_y, expected_zf = scipy.signal.lfilter(b, a, x, zi=zi)
    y, zf = filter_sections(b[None], a[None], x, zi[:, None, :])
    _assert_close(y, expected_y)
    _assert_close(zf[:, 0, :], expected_zf)


def test_lfilter_fir_and_gain_match_scipy():
    x = _signal((2, 50), "float64")
    b = np.array([0.5, -0.25, 0.125])
    fir, _ = filter_sections(b[None], np.array([[1.0, 0.0, 0.0]]), x, np.zeros((2, 1, 2)))
    _assert_close(fir, scipy.signal.lfilter(b, [1.0], x))
    gain, zf = filter_sections(np.array([[2.0], [-3.0]]), np.ones((2, 1)), x, np.zeros((2, 2, 0)))
    _assert_close(gain, -6.0 * x)
    assert zf.shape == (2, 2, 0)


def test_cascade_of_higher_order_sections_is_the_sequence_of_lfilters():
    (b1, a1), (b2, a2) = _ba(3, "float64", seed=3), _ba(3, "float64", seed=4)
    x = _signal((3, 200), "float64")
    y, _ = filter_sections(np.stack([b1, b2]), np.stack([a1, a2]), x, np.zeros((3, 2, 3)))
    _assert_close(y, scipy.signal.lfilter(b2, a2, scipy.signal.lfilter(b1, a1, x)))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_matches_scipy(dtype):
    sos = _sos(3, "float64") * np.exp(0.3j)
    sos[:, 3] = 1
    sos = sos.astype(dtype)
    x = _signal((2, 100), "float64") + 1j * _signal((2, 100), "float64", seed=5)
    x = x.astype(dtype)
    zi = np.zeros((3, 2, 2), dtype)
    expected_y, expected_zf = scipy.signal.sosfilt(sos, x, zi=zi)
    y, zf = _sosfilt(sos, x, zi)
    # complex products round in more steps (and a compiled specialization may fuse them differently):
    # seen 11 ulps of the output's scale after 100 samples of this growing filter
    _assert_close(y, expected_y, ulps=32)
    _assert_close(zf, expected_zf, ulps=32)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("padtype", PADTYPES)
@pytest.mark.parametrize("sections", [1, 4, 8])
def test_sosfiltfilt_matches_scipy(dtype, padtype, sections):
    sos = _sos(sections, dtype)
    x = _signal((3, 400), dtype)
    padlen = 0 if padtype is None else _padlen(sos)
    expected = scipy.signal.sosfiltfilt(sos, x, padtype=padtype)
    y = filtfilt_sections(sos[:, :3], sos[:, 3:], x, scipy.signal.sosfilt_zi(sos), padtype, padlen)
    _assert_close(y, expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("order", [1, 2, 5, 8])
@pytest.mark.parametrize("padlen", [0, 1, 30, 99])
def test_filtfilt_matches_scipy(dtype, order, padlen):
    b, a = _ba(order, dtype)
    x = _signal((2, 100), dtype)
    expected = scipy.signal.filtfilt(b, a, x, padlen=padlen)
    zi = scipy.signal.lfilter_zi(b, a).astype(dtype)
    y = filtfilt_sections(b[None], a[None], x, zi[None], "odd", padlen)
    _assert_close(y, expected, ulps=64)


@pytest.mark.parametrize(
    "view",
    [lambda x: x[:, ::2], lambda x: x[:, ::-1], lambda x: x[::-1, 1:], lambda x: x.T.copy().T],
    ids=["strided", "reversed", "channels-reversed", "fortran"],
)
def test_non_contiguous_input(view):
    sos = _sos(3, "float64")
    x = view(_signal((4, 301), "float64"))
    zi = np.zeros((3, x.shape[0], 2))
    _assert_close(_sosfilt(sos, x, zi)[0], scipy.signal.sosfilt(sos, x))
    y = filtfilt_sections(sos[:, :3], sos[:, 3:], x, scipy.signal.sosfilt_zi(sos), "odd", _padlen(sos))
    _assert_close(y, scipy.signal.sosfiltfilt(sos, x))


def test_broadcast_state():
    sos = _sos(2, "float64")
    x = _signal((3, 100), "float64")
    zi = _signal((2, 1, 2), "float64", seed=2)
    y, zf = filter_sections(sos[:, :3], sos[:, 3:], x, np.broadcast_to(np.moveaxis(zi, 0, -2), (3, 2, 2)))
    expected_y, expected_zf = scipy.signal.sosfilt(sos, x, zi=np.broadcast_to(zi, (2, 3, 2)))
    _assert_close(y, expected_y)
    _assert_close(np.moveaxis(zf, -2, 0), expected_zf)


def test_no_channels_matches_scipy():
    sos = _sos(2, "float64")
    x = np.zeros((0, 10))
    expected_y, expected_zf = scipy.signal.sosfilt(sos, x, zi=np.zeros((2, 0, 2)))
    y, zf = _sosfilt(sos, x, np.zeros((2, 0, 2)))
    _assert_close(y, expected_y)
    _assert_close(zf, expected_zf)
    assert filtfilt_sections(sos[:, :3], sos[:, 3:], x, np.zeros((2, 2)), "odd", 3).shape == (0, 10)


@pytest.mark.parametrize("shape", [(3, 0), (0,)])
def test_no_samples_keep_the_state(shape):
    """SciPy raises on zero samples (its reshape); the engine returns the empty output and ``zf == zi``."""
    sos = _sos(2, "float64")
    zi = _signal((*shape[:-1], 2, 2), "float64")
    y, zf = filter_sections(sos[:, :3], sos[:, 3:], np.zeros(shape), zi)
    assert y.shape == shape
    np.testing.assert_array_equal(zf, zi)
    y = filtfilt_sections(sos[:, :3], sos[:, 3:], np.zeros(shape), np.zeros((2, 2)), None, 0)
    assert y.shape == shape


def test_inputs_are_read_only_and_untouched():
    sos = _sos(3, "float64")
    b, a = sos[:, :3].copy(), sos[:, 3:].copy()
    x = _signal((2, 100), "float64")
    zi = _signal((2, 3, 2), "float64")
    zi_steady = scipy.signal.sosfilt_zi(sos)
    arrays = (b, a, x, zi, zi_steady)
    copies = [v.copy() for v in arrays]
    for v in arrays:
        v.flags.writeable = False
    filter_sections(b, a, x, zi)
    filtfilt_sections(b, a, x, zi_steady, "odd", 10)
    for v, copy in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(v, copy)


def test_nan_and_inf_propagate_like_scipy():
    sos = _sos(2, "float64")
    x = _signal((3, 50), "float64")
    x[0, 10], x[1, 20] = np.nan, np.inf
    zi = np.zeros((2, 3, 2))
    np.testing.assert_array_equal(_sosfilt(sos, x, zi)[0], scipy.signal.sosfilt(sos, x))


@settings(max_examples=30, deadline=None)
@given(
    sections=st.integers(1, 10),
    channels=st.integers(0, 5),
    n=st.integers(1, 200),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**16),
)
def test_sosfilt_property(sections, channels, n, dtype, seed):
    sos = _sos(sections, dtype, seed=seed)
    x = _signal((channels, n), dtype, seed=seed)
    zi = _signal((sections, channels, 2), dtype, seed=seed + 1)
    expected_y, expected_zf = scipy.signal.sosfilt(sos, x, zi=zi)
    y, zf = _sosfilt(sos, x, zi)
    _assert_close(y, expected_y)
    _assert_close(zf, expected_zf)


@settings(max_examples=30, deadline=None)
@given(
    sections=st.integers(1, 6),
    channels=st.integers(1, 4),
    n=st.integers(2, 120),
    padtype=st.sampled_from(PADTYPES),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**16),
)
def test_sosfiltfilt_property(sections, channels, n, padtype, dtype, seed):
    sos = _sos(sections, dtype, seed=seed)
    x = _signal((channels, n), dtype, seed=seed)
    padlen = 0 if padtype is None else min(_padlen(sos), n - 1)
    expected = scipy.signal.sosfiltfilt(sos, x, padtype=padtype, padlen=padlen)
    y = filtfilt_sections(sos[:, :3], sos[:, 3:], x, scipy.signal.sosfilt_zi(sos), padtype, padlen)
    _assert_close(y, expected)
