"""deconvolve against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci
import gsci.signal


def coefficients(n, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) + 0.5
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(n)
    return (np.round(x * 10) if dtype.startswith("int") else x).astype(dtype)


def well_conditioned_divisor(d, dtype="float64"):
    """A leading coefficient larger than the others' sum: a stable inverse filter, a bounded quotient."""
    tail = (
        np.random.default_rng(1).integers(-1, 2, d - 1)
        if dtype.startswith("int")
        else coefficients(d - 1) / d
    )
    return np.concatenate([[8], tail]).astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128", "int64"])
@pytest.mark.parametrize(("n", "d"), [(9, 2), (30, 4), (12, 12), (5, 1), (1, 1), (40, 7)])
def test_deconvolve_matches_scipy(xp, dtype, n, d):
    signal, divisor = coefficients(n, dtype), well_conditioned_divisor(d, dtype)
    expected = scipy.signal.deconvolve(signal, divisor)
    with gsci.backend("native"):
        actual = compiled(gsci.signal.deconvolve, xp)(xp.asarray(signal), xp.asarray(divisor))
    scale = float(np.max(np.abs(signal)))  # remainders near 0: absolute tolerance of the signal's size
    assert_matches(actual, expected, xp, rtol=1e-10, atol=1e-12 * scale)


def test_recovers_the_convolved_signal(xp):
    original, impulse_response = np.array([0.0, 1, 0, 0, 1, 1, 0, 0]), np.array([2.0, 1])
    recorded = np.convolve(impulse_response, original)
    expected = scipy.signal.deconvolve(recorded, impulse_response)
    np.testing.assert_allclose(expected[0], original)
    with gsci.backend("native"):
        actual = gsci.signal.deconvolve(xp.asarray(recorded), xp.asarray(impulse_response))
    assert_matches(actual, expected, xp, atol=1e-12)


def test_divisor_longer_than_signal_returns_signal_as_remainder(xp):
    signal, divisor = np.array([0, 1, 2]), np.array([0, 1, 2, 4, 5])
    expected_quotient, expected_remainder = scipy.signal.deconvolve(signal, divisor)
    with gsci.backend("native"):
        quotient, remainder = gsci.signal.deconvolve(xp.asarray(signal), xp.asarray(divisor))
    assert np.asarray(expected_quotient).size == 0  # SciPy's is an empty list; gsci's an empty array
    assert_matches(quotient, np.zeros(0), xp)
    assert_matches(remainder, expected_remainder, xp)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 30), d=st.integers(1, 8))
def test_deconvolve_properties(xp, n, d):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    signal, divisor = coefficients(n), well_conditioned_divisor(d)
    expected = scipy.signal.deconvolve(signal, divisor)
    with gsci.backend("native"):
        actual = gsci.signal.deconvolve(xp.asarray(signal), xp.asarray(divisor))
    if d > n:
        assert_matches(actual[1], expected[1], xp)
    else:
        assert_matches(actual, expected, xp, rtol=1e-10, atol=1e-12 * float(np.max(np.abs(signal))))


@pytest.mark.parametrize(
    ("signal", "divisor", "match"),
    [
        (np.zeros((2, 2)), np.zeros(2), "^Parameter signal must be non-empty"),
        (np.zeros(2), np.zeros((2, 2)), "^Parameter divisor must be non-empty"),
        (np.zeros(0), np.ones(2), "^Parameter signal must be non-empty"),
        (np.ones(3), np.zeros(0), "^Parameter divisor must be non-empty"),
    ],
)
def test_bad_shapes_raise_like_scipy(xp, signal, divisor, match):
    with pytest.raises(ValueError, match=match):
        scipy.signal.deconvolve(signal, divisor)
    with pytest.raises(ValueError, match=match), gsci.backend("native"):
        gsci.signal.deconvolve(xp.asarray(signal), xp.asarray(divisor))


def test_leading_zero_divisor_raises_like_scipy():
    with pytest.raises(ValueError):
        scipy.signal.deconvolve(np.ones(4), np.array([0.0, 1.0]))
    with pytest.raises(ValueError), gsci.backend("native"):
        gsci.signal.deconvolve(np.ones(4), np.array([0.0, 1.0]))


def test_python_sequences_and_scalars():
    for signal, divisor in (([0.0, 2, 1, 0, 2, 3, 1, 0, 0], [2, 1]), (3.0, 2.0)):
        for actual, expected in zip(
            gsci.signal.deconvolve(signal, divisor), scipy.signal.deconvolve(signal, divisor), strict=True
        ):
            np.testing.assert_allclose(actual, expected)


def test_numpy_inputs_untouched_read_only_and_negative_strides():
    signal = coefficients(40)[::-2]
    divisor = np.array(well_conditioned_divisor(4))
    divisor.flags.writeable = False
    before = signal.copy(), divisor.copy()
    with gsci.backend("native"):
        actual = gsci.signal.deconvolve(signal, divisor)
    assert_matches(actual, scipy.signal.deconvolve(signal.copy(), divisor.copy()), Library.named("numpy"))
    np.testing.assert_array_equal(signal, before[0])
    np.testing.assert_array_equal(divisor, before[1])


def test_lazy_on_dask():
    da = pytest.importorskip("dask.array")
    signal, divisor = coefficients(32), well_conditioned_divisor(5)
    with forbid_dask_compute():
        actual = gsci.signal.deconvolve(
            da.from_array(signal, chunks=((3, 7, 5, 17),)), da.from_array(divisor, chunks=((2, 3),))
        )
    assert_matches(actual, scipy.signal.deconvolve(signal, divisor), Library.named("dask"))
