"""Analog prototypes, band_stop_obj and normalize against SciPy on every library."""

import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute, uneven_chunks

import gsci.signal
from gsci._lib._compat import array_namespace

NUMPY = Library.named("numpy")
PROTOTYPES = {
    "buttap": {},
    "cheb1ap": {"rp": 1.5},
    "cheb2ap": {"rs": 30},
    "ellipap": {"rp": 1, "rs": 40},
    "besselap": {},
    "besselap-delay": {"norm": "delay"},
    "besselap-mag": {"norm": "mag"},
}


def _assert_zpk(actual, expected, xp):
    """Arrays as ``xp``'s; the gain a Python float where SciPy's is, else NumPy's or a 0-d array of ``xp``."""
    assert_matches(actual[:2], expected[:2], xp)
    k, expected_k = actual[2], expected[2]
    if type(expected_k) is float:
        assert type(k) is float and k == pytest.approx(expected_k, rel=1e-13)
    elif xp.module == "numpy":
        assert type(k) is type(expected_k) and k == pytest.approx(expected_k, rel=1e-13)
    else:
        assert_matches(k, np.asarray(expected_k), xp)


@pytest.mark.parametrize("order", [0, 1, 4, 7])
@pytest.mark.parametrize("name", list(PROTOTYPES))
def test_prototypes_match_scipy(xp, name, order):
    function = name.split("-")[0]
    expected = getattr(scipy.signal, function)(order, **PROTOTYPES[name])
    given = {} if xp.module == "numpy" else {"xp": xp.ns}
    if xp.device == "cuda":
        given["device"] = "cuda"
    _assert_zpk(getattr(gsci.signal, function)(order, **PROTOTYPES[name], **given), expected, xp)


@pytest.mark.parametrize("name", list(PROTOTYPES))
def test_prototypes_take_compat_namespaces(xp, name):
    """SciPy's tests pass array-api-compat namespaces as ``xp``."""
    function = name.split("-")[0]
    namespace = array_namespace(xp.asarray(np.zeros(1)))
    expected = getattr(scipy.signal, function)(5, **PROTOTYPES[name])
    _assert_zpk(getattr(gsci.signal, function)(5, **PROTOTYPES[name], xp=namespace), expected, xp)


def test_prototypes_default_to_numpy():
    for name, options in PROTOTYPES.items():
        function = name.split("-")[0]
        z, p, k = getattr(gsci.signal, function)(3, **options)
        assert isinstance(z, np.ndarray) and isinstance(p, np.ndarray)
        _assert_zpk((z, p, k), getattr(scipy.signal, function)(3, **options), NUMPY)


def test_prototype_bad_inputs():
    for function, extra in (("buttap", ()), ("cheb1ap", (1,)), ("cheb2ap", (20,)), ("ellipap", (1, 20))):
        for order in (-1, 2.5):
            with pytest.raises(ValueError, match="nonnegative integer"):
                getattr(gsci.signal, function)(order, *extra)
            with pytest.raises(ValueError, match="nonnegative integer"):
                getattr(scipy.signal, function)(order, *extra)
    with pytest.raises(ValueError):
        gsci.signal.besselap(3, norm="bad")
    with pytest.raises(ValueError):
        scipy.signal.besselap(3, norm="bad")


@pytest.mark.parametrize("kind", ["butter", "cheby", "ellip"])
def test_band_stop_obj_matches_scipy(xp, kind):
    passb, stopb = np.array([0.2, 0.6]), np.array([0.3, 0.5])
    for ind, wp in ((0, 0.25), (1, 0.55)):
        expected = scipy.signal.band_stop_obj(wp, ind, passb.copy(), stopb, 3, 40, kind)
        result = gsci.signal.band_stop_obj(wp, ind, xp.asarray(passb), xp.asarray(stopb), 3, 40, kind)
        if xp.module == "numpy":
            assert type(result) is type(expected) and result == pytest.approx(expected, rel=1e-13)
        else:
            assert_matches(result, np.asarray(expected), xp)


def test_band_stop_obj_bad_inputs():
    passb, stopb = np.array([0.2, 0.6]), np.array([0.3, 0.5])
    for gpass, gstop in ((-1, 40), (3, -1), (50, 40)):
        with pytest.raises(ValueError):
            scipy.signal.band_stop_obj(0.25, 0, passb, stopb, gpass, gstop, "butter")
        with pytest.raises(ValueError):
            gsci.signal.band_stop_obj(0.25, 0, passb, stopb, gpass, gstop, "butter")


NORMALIZE_CASES = {
    "plain": ([3.0, -2, 5], [2.0, 3, 1]),
    "leading zero": ([0.0, 3, 6], [2.0, -5, 4]),
    "denominator zeros": ([1.0, 2], [0.0, 0, 4, 2]),
    "matrix": ([[0.0, 1, 2], [0, 3, 4]], [2.0, 1]),
    "all zero numerator": ([0.0, 0], [1.0, 2]),
    "integers": ([1, 2], [3, 4]),
}


@pytest.mark.parametrize("case", list(NORMALIZE_CASES))
def test_normalize_matches_scipy(xp, case):
    b, a = (np.asarray(c) for c in NORMALIZE_CASES[case])
    with warnings.catch_warnings(record=True) as scipy_warnings:
        warnings.simplefilter("always")
        expected = scipy.signal.normalize(b, a)
    if xp.module == "array_api_strict" and np.issubdtype(b.dtype, np.integer):
        with pytest.raises(TypeError):  # integer division, refused as in SciPy (SCIPY_ARRAY_API=1)
            gsci.signal.normalize(xp.asarray(b), xp.asarray(a))
        return
    with warnings.catch_warnings(record=True) as gsci_warnings:
        warnings.simplefilter("always")
        result = gsci.signal.normalize(xp.asarray(b), xp.asarray(a))
    if xp.module == "dask":  # values unknown: nothing trimmed, no warning (documented)
        lead = a[np.flatnonzero(a)[0]]
        expected, scipy_warnings = (b / lead, a / lead), []
    if xp.module == "torch" and np.issubdtype(b.dtype, np.integer):  # into torch's default float
        expected = tuple(e.astype(str(xp.ns.get_default_dtype()).split(".")[1]) for e in expected)
    assert_matches(result, expected, xp)
    assert [w.category for w in gsci_warnings] == [w.category for w in scipy_warnings]
    np.testing.assert_array_equal(b, np.asarray(NORMALIZE_CASES[case][0]))


def test_normalize_sequences_and_ragged():
    assert_matches(gsci.signal.normalize([1, 2], [2, 4]), scipy.signal.normalize([1, 2], [2, 4]), NUMPY)
    torch = Library.named("torch")
    expected = scipy.signal.normalize([[1.0, 2.0]], np.asarray([2.0, 1.0]))
    assert_matches(
        gsci.signal.normalize([[1.0, 2.0]], torch.asarray(np.asarray([2.0, 1.0]))), expected, torch
    )
    for function in (scipy.signal.normalize, gsci.signal.normalize):
        with pytest.raises(ValueError):  # ragged numerators
            function([[1.0, 2.0, 3.0], [4.0]], np.asarray([2.0, 1.0]))


def test_normalize_bad_inputs(xp):
    for b, a, message in (
        ([1.0, 2], [0.0], "at least on nonzero"),
        ([1.0, 2], [[1.0]], "rank-1 array"),
        ([[[1.0, 2]]], [1.0], "rank-1 or rank-2"),
    ):
        with pytest.raises(ValueError, match=message):
            scipy.signal.normalize(np.asarray(b), np.asarray(a))
        if xp.module == "dask" and message.startswith("at least"):
            continue  # a value check: Dask's values are unknown (documented)
        with pytest.raises(ValueError, match=message):
            gsci.signal.normalize(xp.asarray(np.asarray(b)), xp.asarray(np.asarray(a)))


def test_normalize_lazy():
    """Dask and jax.jit: divided by the first nonzero coefficient, nothing trimmed (documented)."""
    b, a = np.asarray([[0.0, 1, 2], [0, 3, 4]]), np.asarray([0.0, 2, 1, 0.5])
    with pytest.warns(scipy.signal.BadCoefficients):
        num, den = scipy.signal.normalize(b, a)
    untrimmed = (np.concatenate((np.zeros((2, 0)), b / 2), axis=1), a / 2)
    dask = Library.named("dask")
    with forbid_dask_compute():
        result = gsci.signal.normalize(*(dask.asarray(c, chunks=uneven_chunks(c.shape)) for c in (b, a)))
    assert_matches(result, untrimmed, dask)
    jax = Library.named("jax")
    assert_matches(compiled(gsci.signal.normalize, jax)(jax.asarray(b), jax.asarray(a)), untrimmed, jax)
    np.testing.assert_allclose(untrimmed[1][1:], den)  # the same polynomials as SciPy's
    np.testing.assert_allclose(untrimmed[0][:, 1:], num)
