"""LTI conversions, analog transformations and the group delay against SciPy on every library."""

import inspect
import math
import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, forbid_dask_compute, to_numpy, uneven_chunks
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci.signal import _lti_conversions
from gsci.signal._freqz import group_delay
from gsci.signal._lti_conversions import sos2zpk, tf2zpk, zpk2tf

NUMPY = Library.named("numpy")
ZPK_TRANSFORMS = {
    "bilinear_zpk": {"fs": 10.0},
    "lp2lp_zpk": {"wo": 3.0},
    "lp2hp_zpk": {"wo": 3.0},
    "lp2bp_zpk": {"wo": 3.0, "bw": 0.5},
    "lp2bs_zpk": {"wo": 3.0, "bw": 0.5},
}
BA_TRANSFORMS = {
    "bilinear": {"fs": 10.0},
    "lp2lp": {"wo": 3.0},
    "lp2hp": {"wo": 3.0},
    "lp2bp": {"wo": 3.0, "bw": 0.5},
    "lp2bs": {"wo": 3.0, "bw": 0.5},
}
PROTOTYPES = {  # analog low-pass prototypes in zpk form: no zeros, zeros, and a pole at 0
    "butter": scipy.signal.buttap(4),
    "cheby2": scipy.signal.cheb2ap(5, 40),
    "ellip": scipy.signal.ellipap(4, 1, 50),
}


def _lazily(xp, function, *arrays, **options):
    """``function(*arrays, **options)``: under ``jax.jit`` for JAX, without any compute for Dask."""
    if xp.module == "jax":
        import jax

        return jax.jit(lambda *a: function(*a, **options))(*arrays)
    if xp.module == "dask":
        with forbid_dask_compute():
            return function(*arrays, **options)
    return function(*arrays, **options)


def _array(xp, a):
    a = np.asarray(a)
    return xp.asarray(a, chunks=uneven_chunks(a.shape) if a.size else None)


def _assert_gain(actual, expected, xp, lazy=False, kept=False, rtol=None):
    """A gain SciPy computes with the arrays: a 0-d array of ``xp`` (a NumPy scalar for NumPy).

    ``kept``: SciPy's gain is ``k`` times a Python number, of ``k``'s own type (a JAX array out of
    ``jax.jit``).
    """
    if kept and lazy and xp.module == "jax":
        assert float(actual) == pytest.approx(float(expected), rel=1e-12)
        return
    if kept or xp.module == "numpy":
        assert type(actual) is type(expected) and actual == pytest.approx(expected, rel=1e-6)
        return
    assert_matches(actual, np.asarray(expected), xp, rtol=rtol)


def _assert_zpk(actual, expected, xp, lazy=False, rtol=None, kept=False, as_sets=False):
    if rtol is not None and xp.module not in ("numpy", "dask"):
        # float32 zeros and poles: dtypes by the library's own promotion, as SciPy's code on it gives
        expected = (
            *(e.astype(to_numpy(a).dtype) for a, e in zip(actual[:2], expected[:2], strict=True)),
            expected[2],
        )
        if not kept:
            expected = (*expected[:2], np.asarray(expected[2]).astype(to_numpy(actual[2]).dtype))
    if as_sets:
        for a, e in zip(actual[:2], expected[:2], strict=True):
            assert_matches(a, e, xp, rtol=1e300)  # library, device, shape and dtype
            np.testing.assert_allclose(_sorted(to_numpy(a)), _sorted(e), rtol=rtol or 1e-11, atol=1e-9)
    else:
        assert_matches(actual[:2], expected[:2], xp, rtol=rtol)
    _assert_gain(actual[2], expected[2], xp, lazy, kept, rtol)


def _sorted(roots):
    """Roots in an order that rounding does not change: SciPy's order depends on signed zeros."""
    return roots[np.lexsort((np.round(roots.imag, 6), np.round(roots.real, 6)))]


def _torch_float32(xp):
    return xp.module == "torch" and xp.ns.get_default_dtype() == xp.ns.float32


# Native: zpk2tf and the zpk transformations


ZPK2TF_CASES = {
    "conjugate poles": scipy.signal.cheby1(5, 1, [0.2, 0.4], "bandpass", output="zpk"),
    "no zeros": scipy.signal.butter(4, 2.0, analog=True, output="zpk"),
    "complex roots": (np.array([1j, 0.5]), np.array([0.5 + 0.5j, -0.25]), 2.0),
    "no roots": (np.zeros(0), np.zeros(0), 3.0),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", list(ZPK2TF_CASES))
def test_zpk2tf_matches_scipy(xp, case, dtype):
    z, p, k = ZPK2TF_CASES[case]
    single = dtype == "float32"
    z, p = (r.astype(np.complex64 if np.iscomplexobj(r) else np.float32) if single else r for r in (z, p))
    rtol = 1e-4 if single else None
    for gain in (k, np.asarray(k)):  # a 0-d float64 array promotes float32 roots (NumPy 2's rules)
        weak = xp.module == "torch"  # torch's 0-d tensors promote as Python numbers do
        expected = scipy.signal.zpk2tf(z, p, k if weak else gain)
        if xp.module == "dask":  # values unknown: complex roots keep complex polynomials
            expected = _complex_where_complex(expected, (z, p))
        gain = xp.asarray(gain) if isinstance(gain, np.ndarray) else gain
        actual = zpk2tf(_array(xp, z), _array(xp, p), gain)
        if single and xp.module not in ("numpy", "dask"):  # dtypes by the library's own promotion
            expected = tuple(e.astype(to_numpy(a).dtype) for a, e in zip(actual, expected, strict=True))
        assert_matches(actual, expected, xp, rtol=rtol)
    if xp.module == "jax":  # under jax.jit too
        expected = _complex_where_complex(scipy.signal.zpk2tf(z, p, k), (z, p))
        assert_matches(_lazily(xp, zpk2tf, _array(xp, z), _array(xp, p), k=k), expected, xp, rtol=rtol)


def _complex_where_complex(polynomials, roots):
    """SciPy's polynomials of complex roots as complex ones: what gsci gives where values are unknown."""
    complex_ = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}
    return tuple(
        e.astype(complex_[e.dtype]) if np.iscomplexobj(r) and e.dtype in complex_ else e
        for e, r in zip(polynomials, roots, strict=True)
    )


def test_zpk2tf_of_several_numerators(xp):
    z = np.array([[1.0, -1.0], [0.5, -0.5], [2.0, 3.0]])
    p = np.array([0.5, -0.25, 0.1])
    for k in (2.0, np.array([1.0, 2.0, 3.0])):
        expected = scipy.signal.zpk2tf(z, p, k)
        k_array = _array(xp, k) if isinstance(k, np.ndarray) else k
        assert_matches(zpk2tf(_array(xp, z), _array(xp, p), k_array), expected, xp)


def test_zpk2tf_takes_python_sequences():
    assert_matches(zpk2tf([2, 6], [1, 8], 5), scipy.signal.zpk2tf([2, 6], [1, 8], 5), NUMPY)
    torch = Library.named("torch")
    pytest.importorskip("torch")
    expected = scipy.signal.zpk2tf([2.0, 6.0], [1.0, 8.0], 5)
    assert_matches(zpk2tf([2.0, 6.0], torch.asarray(np.array([1.0, 8.0])), 5), expected, torch)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("prototype", list(PROTOTYPES))
@pytest.mark.parametrize("name", list(ZPK_TRANSFORMS))
def test_zpk_transforms_match_scipy(xp, name, prototype, dtype):
    z, p, k = PROTOTYPES[prototype]
    if dtype == "float32":
        z, p = z.astype(np.complex64), p.astype(np.complex64)
        z = z.real.copy() if not np.iscomplexobj(PROTOTYPES[prototype][0]) or not z.size else z
    options = ZPK_TRANSFORMS[name]
    expected = getattr(scipy.signal, name)(z, p, k, **options)
    if _torch_float32(xp) and name in ("bilinear_zpk", "lp2hp_zpk"):  # torch's zeros(...) is float32
        expected = (expected[0].astype(np.result_type(z.dtype, np.float32)), *expected[1:])
    function = getattr(_lti_conversions, name)
    rtol = 1e-4 if dtype == "float32" else None
    kept = name in ("lp2lp_zpk", "lp2bp_zpk")  # SciPy's gain: k times a Python float
    # the branch of each square root follows the signed zeros of each library's complex arithmetic
    as_sets = name in ("lp2bp_zpk", "lp2bs_zpk") and xp.module != "numpy"
    check = {"rtol": rtol, "kept": kept, "as_sets": as_sets}
    _assert_zpk(function(_array(xp, z), _array(xp, p), k, **options), expected, xp, **check)
    lazy = _lazily(xp, function, _array(xp, z), _array(xp, p), k=k, **options)
    _assert_zpk(lazy, expected, xp, lazy=True, **check)
    k_array = np.asarray(k, dtype=np.float64)
    expected = getattr(scipy.signal, name)(z, p, k_array, **options)
    if _torch_float32(xp) and name in ("bilinear_zpk", "lp2hp_zpk"):
        expected = (expected[0].astype(np.result_type(z.dtype, np.float32)), *expected[1:])
    if xp.module in ("torch", "jax", "array_api_strict") and dtype == "float32" and not kept:
        expected = (*expected[:2], np.float32(expected[2]))  # a 0-d float64 array is weak there
    actual = function(_array(xp, z), _array(xp, p), xp.asarray(k_array), **options)
    gain = expected[2] if xp.module == "numpy" else np.asarray(expected[2])
    _assert_zpk(actual, (*expected[:2], gain), xp, rtol=rtol, as_sets=as_sets)


# On the host: tf2zpk, sos2zpk and the ba transformations


def _tf2zpk_expected(expected, xp):
    """SciPy 1.17's roots: real where real for NumPy and Dask, complex for the other libraries."""
    if xp.module in ("numpy", "dask"):
        return expected
    z, p, k = expected
    complex_ = np.complex64 if k.dtype == np.float32 else np.complex128
    return z.astype(complex_), p.astype(complex_), k


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tf2zpk_and_sos2zpk_match_scipy(xp, dtype):
    for b, a in [
        scipy.signal.cheby1(4, 1, 0.3),
        scipy.signal.ellip(3, 1, 40, [0.2, 0.4], "bandpass"),
        (np.array([3.0, 0.0, 0.0]), np.array([1.0, 5.0, 13.0])),
        (np.array([1.0, -3.0, 2.0]), np.array([1.0, 0.5])),
        (np.array([2.0]), np.array([0.0, 1.0, 0.5])),
    ]:
        b, a = b.astype(dtype), a.astype(dtype)
        expected = scipy.signal.tf2zpk(b, a)
        rtol = 1e-4 if dtype == "float32" else 1e-9
        _assert_zpk(tf2zpk(_array(xp, b), _array(xp, a)), _tf2zpk_expected(expected, xp), xp, rtol=rtol)
    sos = scipy.signal.ellip(6, 1, 50, 0.3, output="sos").astype(dtype)
    expected = scipy.signal.sos2zpk(sos)
    _assert_zpk(sos2zpk(_array(xp, sos)), expected, xp, rtol=1e-4 if dtype == "float32" else 1e-9)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("name", list(BA_TRANSFORMS))
def test_ba_transforms_match_scipy(xp, name, dtype):
    options = BA_TRANSFORMS[name]
    function = getattr(_lti_conversions, name)
    for b, a in [
        scipy.signal.zpk2tf(*PROTOTYPES["butter"]),
        scipy.signal.zpk2tf(*PROTOTYPES["ellip"]),
        (np.array([1.0, 2.0]), np.array([1.0, 3.0, 2.0])),
        (np.array([1.0, 0.0, 0.0]), np.array([1.0, 1.0])),
    ]:
        b, a = (np.round(b * 4) if dtype == "int64" else b).astype(dtype), a.astype(dtype)
        if dtype == "int64" and (xp.module == "array_api_strict" or not b.any()):
            continue  # array-api-strict mixes no integers with floats, in SciPy as in gsci
        expected = getattr(scipy.signal, name)(b, a, **options)
        if dtype == "int64" and _torch_float32(xp) and name not in ("bilinear", "lp2lp"):
            expected = tuple(e.astype(np.float32) for e in expected)  # torch's default float
        rtol = 1e-4 if dtype == "float32" or (dtype == "int64" and _torch_float32(xp)) else 1e-9
        assert_matches(function(_array(xp, b), _array(xp, a), **options), expected, xp, rtol=rtol)


def test_host_conversions_read_jax_values_only_outside_jit():
    jax = pytest.importorskip("jax")
    b, a = jax.numpy.asarray([1.0, 2.0]), jax.numpy.asarray([1.0, 3.0, 2.0])
    with pytest.raises(TypeError, match=r"b is a jax array traced by jax\.jit"):
        jax.jit(lambda b, a: tf2zpk(b, a)[1])(b, a)
    with pytest.raises(TypeError, match=r"b is a jax array traced by jax\.jit"):
        jax.jit(lambda b, a: _lti_conversions.lp2hp(b, a)[0])(b, a)


def test_host_conversions_compute_dask_as_scipy_does():
    dask = Library.named("dask")
    b, a = scipy.signal.zpk2tf(*PROTOTYPES["ellip"])
    expected = scipy.signal.lp2bs(b, a, 2.0, 0.5)
    assert_matches(
        _lti_conversions.lp2bs(dask.asarray(b, chunks=2), dask.asarray(a, chunks=3), 2.0, 0.5), expected, dask
    )


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("zpk2tf", ([1.0, 2.0], [[1.0], [2.0]], 1.0), {}),
        ("bilinear_zpk", ([1.0, 2.0], [1.0], 1.0, 10.0), {}),
        ("bilinear_zpk", ([1.0], [1.0], 1.0, None), {}),
        ("bilinear_zpk", ([1.0], [1.0], 1.0, [1.0, 2.0]), {}),
        ("lp2lp_zpk", ([1.0, 2.0], [1.0], 1.0), {}),
        ("lp2hp_zpk", ([1.0, 2.0], [1.0], 1.0), {}),
        ("lp2bp_zpk", ([1.0, 2.0], [1.0], 1.0), {}),
        ("lp2bs_zpk", ([1.0, 2.0], [1.0], 1.0), {}),
        ("tf2zpk", ([1.0, 2.0], [0.0, 0.0]), {}),
        ("tf2zpk", ([1.0, 2.0], [[1.0, 2.0]]), {}),
        ("bilinear", ([1.0], [[1.0, 2.0]]), {}),
        ("bilinear", ([1.0], [1.0, 2.0]), {"fs": None}),
        ("lp2hp", ([1.0], [0.0, 0.0]), {}),
        ("sos2zpk", ([[1.0, 2.0, 1.0, 0.0, 0.0, 0.0]],), {}),
    ],
    ids=repr,
)
def test_bad_inputs_raise_scipys_exception(xp, name, args, kwargs):
    with pytest.raises(Exception) as scipys, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        getattr(scipy.signal, name)(*args, **kwargs)
    arrays = 1 if name == "sos2zpk" else 2
    args = (*(xp.asarray(np.asarray(a)) for a in args[:arrays]), *args[arrays:])
    with pytest.raises(scipys.type), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        getattr(_lti_conversions, name)(*args, **kwargs)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="z is numpy, p is torch"):
        zpk2tf(np.ones(2), torch.ones(2), 1.0)
    with pytest.raises(TypeError, match="b is torch, a is numpy"):
        tf2zpk(torch.ones(3), np.ones(3))
    with pytest.raises(TypeError, match="b is torch, a is torch, w is numpy"):
        group_delay((torch.ones(3), torch.ones(1)), w=np.ones(2))


def test_signatures_are_scipys():
    for name in (*_lti_conversions.__all__, "group_delay"):
        ours = inspect.signature(getattr(_lti_conversions, name, group_delay))
        assert str(ours) == str(inspect.signature(getattr(scipy.signal, name)))


def test_inputs_are_not_modified():
    z, p = np.array([1.0, -1.0]), np.array([0.5 + 0.5j, 0.5 - 0.5j, -0.2])
    torch = Library.named("torch")
    pytest.importorskip("torch")
    zt, pt = torch.asarray(z), torch.asarray(p)
    for name, options in ZPK_TRANSFORMS.items():
        getattr(_lti_conversions, name)(zt, pt, 1.0, **options)
    zpk2tf(zt, pt, 1.0)
    np.testing.assert_array_equal(zt.numpy(), z)
    np.testing.assert_array_equal(pt.numpy(), p)


@settings(max_examples=20, deadline=None)
@given(order=st.integers(1, 8), wo=st.floats(0.1, 10.0), bw=st.floats(0.1, 5.0), fs=st.floats(1.0, 100.0))
def test_transform_chains_match_scipy(order, wo, bw, fs):
    z, p, k = scipy.signal.cheb1ap(order, 1.0)
    for name in ("lp2bp_zpk", "lp2bs_zpk"):
        ours = getattr(_lti_conversions, name)(z, p, k, wo, bw)
        theirs = getattr(scipy.signal, name)(z, p, k, wo, bw)
        ours = _lti_conversions.bilinear_zpk(*ours, fs)
        theirs = scipy.signal.bilinear_zpk(*theirs, fs)
        _assert_zpk(ours, theirs, NUMPY)
        assert_matches(zpk2tf(*ours), scipy.signal.zpk2tf(*theirs), NUMPY)


# Group delay


GROUP_DELAY_FILTERS = {
    "fir": (np.array([1.0, 0.5, 0.25, -0.1, 0.05]), np.array([1.0])),
    "iir": scipy.signal.butter(4, 0.3),
    "complex": (np.array([1.0, 0.5j, 0.25]), np.array([1.0, -0.5 + 0.1j])),
}
GROUP_DELAY_CASES = [
    {"w": 64},
    {"w": 65, "whole": True},
    {"w": None, "fs": 1000.0},
    {"w": np.array([0.0, 0.1, 1.5, 2.5])},
    {"w": np.array([0.0, 0.1, 1.5, 2.5], dtype=np.float32)},
    {"w": 0.5},
]


def _away_from_nyquist(expected, kwargs):
    """The frequencies SciPy itself computes well: a low-pass's group delay near Nyquist is rounding noise."""
    w = expected[0]
    return np.abs(w * 2 * math.pi / kwargs.get("fs", 2 * math.pi) - math.pi) > 0.6


@pytest.mark.parametrize("kwargs", GROUP_DELAY_CASES, ids=repr)
@pytest.mark.parametrize("name", list(GROUP_DELAY_FILTERS))
def test_group_delay_matches_scipy(xp, name, kwargs):
    b, a = GROUP_DELAY_FILTERS[name]
    w = kwargs.get("w")
    expected = scipy.signal.group_delay((b, a), **kwargs)
    keep = _away_from_nyquist(expected, kwargs)
    kwargs = {**kwargs, "w": _array(xp, w) if isinstance(w, np.ndarray) else w}
    for actual in (
        group_delay((_array(xp, b), _array(xp, a)), **kwargs),
        _lazily(
            xp, lambda b, a, **options: group_delay((b, a), **options), _array(xp, b), _array(xp, a), **kwargs
        ),
    ):
        assert_matches(actual[0], expected[0], xp)
        got = actual[1][_array(xp, keep)] if xp.module != "dask" else actual[1].compute()[keep]
        assert_matches(got if xp.module != "dask" else _array(xp, got), expected[1][keep], xp, atol=1e-9)


def test_group_delay_takes_python_sequences_and_integers(xp):
    expected = scipy.signal.group_delay(([1, 2, 1], [2, 1]), w=8)
    assert_matches(group_delay(([1, 2, 1], [2, 1]), w=8), expected, NUMPY)
    if xp.module == "array_api_strict":
        return  # it promotes no integers with floats (SciPy's NumPy code does)
    assert_matches(group_delay((_array(xp, [1, 2, 1]), [2, 1]), w=xp.asarray(np.asarray(8))), expected, xp)


def test_group_delay_warns_and_zeroes_singular_frequencies(xp):
    if xp.module == "dask":
        pytest.skip("the warnings need the values: Dask stays lazy (SciPy computes it)")
    b, a = np.array([1.0, 1.0]), np.array([1.0])
    w = np.array([0.0, math.pi / 2, math.pi])
    with pytest.warns(UserWarning) as scipys:
        expected = scipy.signal.group_delay((b, a), w=w)
    with pytest.warns(UserWarning) as ours:
        actual = group_delay((_array(xp, b), _array(xp, a)), w=_array(xp, w))
    assert [str(r.message) for r in ours] == [str(r.message) for r in scipys]
    assert_matches(actual, expected, xp)
    b, a = np.array([1.0, 0.0, 1.0]), np.array([1.0])  # zeros at +-i: singular at pi/2
    with pytest.warns(UserWarning, match="singular") as scipys:
        expected = scipy.signal.group_delay((b, a), w=w)
    with pytest.warns(UserWarning, match="singular") as ours:
        actual = group_delay((_array(xp, b), _array(xp, a)), w=_array(xp, w))
    assert [str(r.message) for r in ours] == [str(r.message) for r in scipys]
    assert_matches(actual, expected, xp)


def test_group_delay_bad_inputs_raise_scipys_exception(xp):
    b, a = np.array([1.0, 1.0]), np.array([1.0])
    for kwargs in ({"w": -1}, {"fs": None}, {"fs": np.array([1.0, 2.0])}):
        with pytest.raises(Exception) as scipys:
            scipy.signal.group_delay((b, a), **kwargs)
        with pytest.raises(scipys.type):
            group_delay((_array(xp, b), _array(xp, a)), **kwargs)
