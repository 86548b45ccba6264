"""Filter design, conversions and frequency responses against SciPy on every library."""

import functools
import inspect

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, forbid_dask_compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gsci._lib._compat import array_namespace
from gsci.signal import _filter_design, _freqz
from gsci.signal._filter_design import (
    bessel,
    butter,
    cheby1,
    cheby2,
    ellip,
    firwin,
    iirdesign,
    iirfilter,
    sos2tf,
    tf2sos,
    zpk2sos,
)
from gsci.signal._freqz import freqz, freqz_sos, sosfreqz

NUMPY = Library.named("numpy")
DESIGNS = {
    "butter": (butter, {}),
    "cheby1": (cheby1, {"rp": 1.5}),
    "cheby2": (cheby2, {"rs": 40}),
    "ellip": (ellip, {"rp": 1, "rs": 50}),
    "bessel": (bessel, {}),
    "iirfilter": (iirfilter, {"rs": 30, "ftype": "cheby2"}),
}
BANDS = {"low": 0.2, "high": 0.35, "bandpass": [0.2, 0.45], "bandstop": [0.15, 0.5]}


def _scipy(name):
    return getattr(scipy.signal, name)


def _assert_design(actual, expected, xp):
    """Arrays as arrays of ``xp``; the zpk gain as SciPy 1.17 returns it (see `_assert_gain`)."""
    if isinstance(expected, tuple) and len(expected) == 3:  # zpk
        assert_matches(actual[:2], expected[:2], xp)
        _assert_gain(actual[2], expected[2], xp)
        return
    assert_matches(actual, expected, xp)


def _assert_gain(actual, expected, xp):
    """SciPy's Python float gain stays one; its NumPy float64 is a 0-d array of ``xp`` (NumPy: itself)."""
    if type(expected) is float or xp.module == "numpy":  # not np.float64, a float subclass
        assert type(actual) is type(expected) and actual == pytest.approx(expected, rel=1e-12)
        return
    assert_matches(actual, np.asarray(expected), xp)


def _default_one(xp):
    """SciPy's default denominator ``1`` as it computes with it: the library's default float type."""
    return np.ones(1, dtype=_in_default_float(np.ones(1), xp).dtype)


def _in_default_float(expected, xp):
    """SciPy's float64 NumPy result in ``xp``'s default float type: PyTorch's may be float32."""
    if isinstance(expected, tuple):
        return tuple(_in_default_float(e, xp) for e in expected)
    if xp.module != "torch" or xp.ns.get_default_dtype() == xp.ns.float64:
        return expected
    return expected.astype(np.complex64 if np.iscomplexobj(expected) else np.float32)


@pytest.mark.parametrize("output", ["ba", "zpk", "sos"])
@pytest.mark.parametrize("btype", list(BANDS))
@pytest.mark.parametrize("name", list(DESIGNS))
def test_design_matches_scipy(name, btype, output):
    function, options = DESIGNS[name]
    for order, analog, fs in [(1, False, None), (4, True, None), (7, False, 3.0), (10, False, None)]:
        Wn = np.asarray(BANDS[btype]) * (1.5 if fs else 1.0) * (10.0 if analog else 1.0)
        kwargs = {**options, "btype": btype, "analog": analog, "output": output, "fs": fs}
        _assert_design(function(order, Wn=Wn, **kwargs), _scipy(name)(order, Wn=Wn, **kwargs), NUMPY)


@pytest.mark.parametrize("output", ["ba", "zpk", "sos"])
def test_design_in_xp_on_its_device(xp, output):
    for name, (function, options) in DESIGNS.items():
        expected = _scipy(name)(5, Wn=[0.1, 0.3], btype="bandpass", output=output, **options)
        actual = function(
            5, Wn=[0.1, 0.3], btype="bandpass", output=output, **options, xp=xp.ns, device=_device(xp)
        )
        _assert_design(actual, expected, xp)


def _lazily(xp, function, *arrays, **options):
    """``function(*arrays, **options)``: under ``jax.jit`` for JAX, without any compute for Dask."""
    if xp.module == "jax":
        import jax

        return jax.jit(functools.partial(function, **options))(*arrays)
    if xp.module == "dask":
        with forbid_dask_compute():
            return function(*arrays, **options)
    return function(*arrays, **options)


def _device(xp):
    return {"torch": xp.device, "cupy": None}.get(xp.module)


def test_xp_may_be_an_array_api_compat_namespace(xp):
    namespace = array_namespace(xp.ns.empty(0))
    assert_matches(butter(3, 0.25, xp=namespace), scipy.signal.butter(3, 0.25), xp)


@pytest.mark.parametrize("output", ["ba", "zpk", "sos"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_design_follows_the_library_of_its_frequency_arrays(xp, dtype, output):
    for name, (function, options) in DESIGNS.items():
        for btype, Wn in [("low", np.asarray(0.2)), ("bandstop", np.asarray([0.1, 0.3]))]:
            Wn = Wn.astype(dtype)
            expected = _scipy(name)(5, Wn=Wn, btype=btype, output=output, **options)  # float64 whatever Wn
            actual = function(5, Wn=xp.asarray(Wn), btype=btype, output=output, **options)
            _assert_design(actual, expected, xp)
    analog = {"btype": "bandpass", "analog": True, "output": output}
    for name in ("butter", "cheby1"):  # SciPy's gain: a Python float for butter, NumPy's float64 for cheby1
        function, options = DESIGNS[name]
        Wn = np.asarray([1.0, 3.0], dtype=dtype)
        expected = _scipy(name)(3, Wn=Wn, **analog, **options)
        _assert_design(function(3, Wn=xp.asarray(Wn), **analog, **options), expected, xp)
    wp, ws = np.asarray([0.2, 0.5], dtype=dtype), np.asarray([0.1, 0.6], dtype=dtype)
    expected = scipy.signal.iirdesign(wp, ws, 1, 40, output=output)
    _assert_design(iirdesign(xp.asarray(wp), xp.asarray(ws), 1, 40, output=output), expected, xp)
    cutoff = np.asarray([0.2, 0.4], dtype=dtype)
    expected = _in_default_float(scipy.signal.firwin(21, cutoff, pass_zero=False), xp)
    assert_matches(firwin(21, xp.asarray(cutoff), pass_zero=False), expected, xp)


def test_xp_keyword_and_frequency_arrays_must_agree():
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    expected = scipy.signal.butter(3, [0.1, 0.3], "bandpass")
    torch_library = Library.named("torch")
    assert_matches(butter(3, np.asarray([0.1, 0.3]), "bandpass", xp=torch), expected, torch_library)
    assert_matches(
        butter(3, torch.asarray([0.1, 0.3], dtype=torch.float64), "bandpass", xp=torch, device="cpu"),
        expected,
        torch_library,
    )
    with pytest.raises(TypeError, match="Wn is a torch array but xp is jax"):
        butter(3, torch.asarray([0.1, 0.3]), "bandpass", xp=jnp)
    with pytest.raises(TypeError, match="ws is a jax array but xp is torch"):
        iirdesign(torch.asarray(0.2), jnp.asarray(0.3), 1, 40, xp=torch)
    with pytest.raises(TypeError, match="wp is numpy, ws is torch"):
        iirdesign(np.asarray(0.2), torch.asarray(0.3), 1, 40)
    with pytest.raises(ValueError, match="Wn is on device cpu but device='meta'"):
        butter(3, torch.asarray(0.2), device="meta")


def test_iirdesign_and_firwin_match_scipy(xp):
    for ftype in ("butter", "cheby1", "cheby2", "ellip"):
        for wp, ws, fs in [(0.2, 0.3, None), ([0.2, 0.5], [0.1, 0.6], None), (100, 150, 1000.0)]:
            expected = scipy.signal.iirdesign(wp, ws, 1, 40, ftype=ftype, output="sos", fs=fs)
            assert_matches(iirdesign(wp, ws, 1, 40, ftype=ftype, output="sos", fs=fs, xp=xp.ns), expected, xp)
    for numtaps, cutoff, kwargs in [
        (11, 0.3, {}),
        (12, 100.0, {"fs": 1000.0, "window": ("kaiser", 4.0)}),
        (31, [0.2, 0.4], {"pass_zero": False}),
        (31, [0.2, 0.4, 0.6, 0.8], {"pass_zero": "bandstop", "scale": False}),
        (25, 0.3, {"width": 0.1}),
    ]:
        expected = _in_default_float(scipy.signal.firwin(numtaps, cutoff, **kwargs), xp)
        assert_matches(firwin(numtaps, cutoff, **kwargs, xp=xp.ns), expected, xp)


def test_python_numbers_and_sequences_give_numpy(xp):
    expected = scipy.signal.butter(4, [0.1, 0.3], btype="bandpass", output="zpk")
    _assert_design(butter(4, [0.1, 0.3], btype="bandpass", output="zpk"), expected, NUMPY)
    assert_matches(firwin(9, 0.3), scipy.signal.firwin(9, 0.3), NUMPY)


def test_dask_frequencies_are_computed_as_scipy_does():
    dask = Library.named("dask")
    Wn = dask.asarray([0.1, 0.3], chunks=1)
    expected = scipy.signal.cheby2(4, 40, [0.1, 0.3], btype="bandpass", output="zpk")
    _assert_design(cheby2(4, 40, Wn, btype="bandpass", output="zpk"), expected, dask)
    with pytest.raises(ValueError, match="critical frequencies"):
        butter(4, dask.asarray([0.1, 1.3], chunks=1), btype="bandpass")


def test_traced_critical_frequency_raises_type_error():
    jax = pytest.importorskip("jax")
    with pytest.raises(TypeError, match=r"Wn is a jax array traced by jax\.jit"):
        jax.jit(lambda Wn: butter(4, Wn, output="sos"))(jax.numpy.asarray(0.2))
    with pytest.raises(TypeError, match=r"cutoff is a jax array traced by jax\.jit"):
        jax.jit(lambda cutoff: firwin(5, cutoff))(jax.numpy.asarray(0.2))


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("butter", (4, 1.2), {}),
        ("butter", (4, 0.2), {"btype": "bandpass"}),
        ("butter", (4, 0.2), {"output": "nope"}),
        ("butter", (4, 0.2), {"btype": "nope"}),
        ("butter", (4, 0.2), {"fs": [1, 2]}),
        ("butter", (4, [0.1]), {}),
        ("cheby1", (4, None, 0.2), {}),
        ("bessel", (4, 0.2), {"norm": "nope"}),
        ("iirfilter", (4, 0.2), {"ftype": "nope", "btype": "low"}),
        ("iirdesign", (0.3, 0.2, 1, 40), {"ftype": "butter", "gpass": 50}),
        ("iirdesign", ([0.2], [0.1, 0.6], 1, 40), {}),
        ("firwin", (10, 0.5), {"pass_zero": False}),
        ("firwin", (11, 1.5), {}),
        ("firwin", (11, [0.5, 0.2]), {}),
    ],
    ids=repr,
)
def test_bad_design_parameters_raise_scipys_exception(name, args, kwargs):
    with pytest.raises(Exception) as scipys:
        _scipy(name)(*args, **kwargs)
    with pytest.raises(scipys.type):
        getattr(_filter_design, name)(*args, **kwargs, xp=np)


def test_design_signatures_are_scipys_plus_xp_and_device():
    for name in ("butter", "cheby1", "cheby2", "ellip", "bessel", "iirfilter", "iirdesign", "firwin"):
        ours = list(inspect.signature(getattr(_filter_design, name)).parameters.values())
        theirs = list(inspect.signature(_scipy(name)).parameters.values())
        assert [(p.name, p.default, p.kind) for p in ours] == [
            (p.name, p.default, p.kind) for p in theirs
        ] + [
            ("xp", None, inspect.Parameter.KEYWORD_ONLY),
            ("device", None, inspect.Parameter.KEYWORD_ONLY),
        ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(list(DESIGNS)),
    order=st.integers(1, 10),
    low=st.floats(0.02, 0.45),
    width=st.floats(0.02, 0.5),
    btype=st.sampled_from(list(BANDS)),
)
def test_design_and_response_properties(name, order, low, width, btype):
    function, options = DESIGNS[name]
    Wn = [low, low + width] if btype.startswith("band") else low
    sos = function(order, Wn=Wn, btype=btype, output="sos", **options)
    expected_sos = _scipy(name)(order, Wn=Wn, btype=btype, output="sos", **options)
    assert_matches(sos, expected_sos, NUMPY)
    assert_matches(freqz_sos(sos, worN=128), scipy.signal.freqz_sos(expected_sos, worN=128), NUMPY)
    b, a = sos2tf(sos)
    assert_matches((b, a), scipy.signal.sos2tf(expected_sos), NUMPY, atol=1e-12)


# Conversions


@pytest.mark.parametrize("pairing", [None, "nearest", "keep_odd", "minimal"])
@pytest.mark.parametrize("analog", [False, True])
def test_zpk2sos_and_tf2sos_match_scipy(xp, pairing, analog):
    if analog and pairing not in (None, "minimal"):
        pytest.skip("SciPy allows only 'minimal' pairing for analog systems")
    z, p, k = scipy.signal.cheby1(5, 1, [0.2, 0.4] if not analog else [2.0, 4.0], "bandpass", analog, "zpk")
    b, a = scipy.signal.zpk2tf(z, p, k)
    expected = scipy.signal.zpk2sos(z, p, k, pairing, analog=analog)
    assert_matches(zpk2sos(xp.asarray(z), xp.asarray(p), k, pairing, analog=analog), expected, xp)
    k_array = xp.asarray(np.asarray(k))
    assert_matches(zpk2sos(xp.asarray(z), xp.asarray(p), k_array, pairing, analog=analog), expected, xp)
    expected = scipy.signal.tf2sos(b, a, pairing, analog=analog)
    assert_matches(tf2sos(xp.asarray(b), xp.asarray(a), pairing, analog=analog), expected, xp, atol=1e-9)


def test_zpk2sos_output_follows_z_and_p_not_k(xp):
    z, p, k = scipy.signal.butter(3, 0.2, output="zpk")
    expected = scipy.signal.zpk2sos(z, p, k)
    assert_matches(zpk2sos(list(z), list(p), xp.asarray(np.asarray(k))), expected, NUMPY)
    assert_matches(zpk2sos(xp.asarray(z), xp.asarray(p), np.asarray(k)), expected, xp)
    single = np.complex64
    expected = scipy.signal.zpk2sos(z.astype(single), p.astype(single), np.float32(k))  # float64, as SciPy
    assert_matches(
        zpk2sos(xp.asarray(z.astype(single)), xp.asarray(p.astype(single)), np.float32(k)), expected, xp
    )


def test_converters_take_python_sequences():
    assert_matches(
        zpk2sos([-1, -1], [0.5, 0.25], 2.0), scipy.signal.zpk2sos([-1, -1], [0.5, 0.25], 2.0), NUMPY
    )
    assert_matches(tf2sos([1, 2, 1], [1, 0.5]), scipy.signal.tf2sos([1, 2, 1], [1, 0.5]), NUMPY)
    assert_matches(sos2tf([[1, 2, 1, 1, 0, 0]]), scipy.signal.sos2tf([[1, 2, 1, 1, 0, 0]]), NUMPY)
    assert_matches(sos2tf(np.zeros((0, 6))), scipy.signal.sos2tf(np.zeros((0, 6))), NUMPY)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_sos2tf_matches_scipy(xp, dtype):
    sos = scipy.signal.ellip(7, 1, 40, 0.3, output="sos")
    sos = (sos * 4).astype(dtype) if dtype == "int64" else sos.astype(dtype)  # int64: first row all zero
    expected = scipy.signal.sos2tf(sos)
    if xp.module in ("jax", "dask") and dtype == "int64":  # lazy: every coefficient, leading zeros kept
        leading = [np.zeros(len(sos) * 2 + 1 - len(e)) for e in expected]
        expected = tuple(np.concatenate(parts) for parts in zip(leading, expected, strict=True))
    assert_matches(_lazily(xp, sos2tf, xp.asarray(sos)), expected, xp)


def test_converter_bad_inputs_raise_scipys_exceptions(xp):
    z, p, k = np.array([-1.0, -1.0]), np.array([0.5, 0.25]), 1.0
    for function, args, kwargs in [
        (zpk2sos, (z, p, k), {"pairing": "nope"}),
        (zpk2sos, (z, p, k), {"pairing": "nearest", "analog": True}),
        (zpk2sos, (np.array([1.0, 2.0, 3.0]), p, k), {"analog": True}),
        (tf2sos, (np.array([1.0, 2.0, 1.0]), np.array([1.0, 0.5])), {"pairing": "nope"}),
    ]:
        with pytest.raises(Exception) as scipys:
            getattr(scipy.signal, function.__name__)(*args, **kwargs)
        with pytest.raises(scipys.type):
            function(*(xp.asarray(a) for a in args[:2]), *args[2:], **kwargs)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="z is numpy, p is torch"):
        zpk2sos(np.ones(2), torch.ones(2), 1.0)
    with pytest.raises(TypeError, match="b is numpy, a is torch"):
        tf2sos(np.ones(3), torch.ones(3))
    with pytest.raises(TypeError, match="b is torch, a is numpy"):
        freqz(torch.ones(3), np.ones(2))


def test_frequencies_of_another_library_follow_the_coefficients():
    torch = pytest.importorskip("torch")
    sos = scipy.signal.butter(2, 0.3, output="sos")
    b, a = scipy.signal.butter(2, 0.3)
    w = np.linspace(0, 1, 5)
    assert_matches(freqz_sos(sos, worN=torch.asarray(w)), scipy.signal.freqz_sos(sos, worN=w), NUMPY)
    assert_matches(freqz(b, a, worN=torch.asarray(w)), scipy.signal.freqz(b, a, worN=w), NUMPY)
    torch_library = Library.named("torch")
    assert_matches(freqz(torch.asarray(b), worN=w), scipy.signal.freqz(b, worN=w), torch_library)


def test_converters_under_jit():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    sos = scipy.signal.butter(6, 0.3, output="sos")
    b, a = jax.jit(sos2tf)(jax.numpy.asarray(sos))
    assert_matches((b, a), scipy.signal.sos2tf(sos), Library.named("jax"))
    with pytest.raises(TypeError, match=r"z is a jax array traced by jax\.jit"):
        jax.jit(lambda z: zpk2sos(z, z, 1.0))(jax.numpy.ones(2))


def test_sos2tf_stays_lazy_on_dask():
    dask = Library.named("dask")
    sos = scipy.signal.butter(6, 0.3, output="sos")
    with forbid_dask_compute():
        b, a = sos2tf(dask.asarray(sos, chunks=(1, 6)))
    assert_matches((b, a), scipy.signal.sos2tf(sos), dask)


# Frequency responses


FREQZ_CASES = [
    {},
    {"worN": 64, "whole": True},
    {"worN": 65, "whole": True},
    {"worN": 9, "include_nyquist": True},
    {"worN": 1, "include_nyquist": True},
    {"worN": 0},
    {"worN": None, "fs": 1000.0},
    {"worN": np.array([0.0, 0.1, 1.5, 3.0])},
    {"worN": [0.0, 100.0, 250.0], "fs": 500.0},
    {"worN": np.array([1, 2])},
    {"worN": 0.5},
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", FREQZ_CASES, ids=repr)
def test_freqz_matches_scipy(xp, dtype, kwargs):
    b, a = (c.astype(dtype) for c in scipy.signal.butter(5, 0.3))
    fir = scipy.signal.firwin(21, 0.3).astype(dtype)
    worN = kwargs.get("worN")
    kwargs = {**kwargs, "worN": xp.asarray(worN) if isinstance(worN, np.ndarray) else worN}
    expected = {
        "iir": scipy.signal.freqz(b, a, **{**kwargs, "worN": worN}),
        "fir": scipy.signal.freqz(fir, _default_one(xp), **{**kwargs, "worN": worN}),
    }
    rtol = 1e-4 if dtype == "float32" else None
    assert_matches(_lazily(xp, freqz, xp.asarray(b), xp.asarray(a), **kwargs), expected["iir"], xp, rtol=rtol)
    assert_matches(_lazily(xp, freqz, xp.asarray(fir), **kwargs), expected["fir"], xp, rtol=rtol)


@pytest.mark.parametrize("kwargs", [{"worN": 8}, {"worN": 8, "whole": True}, {"worN": [0.1, 0.2]}], ids=repr)
def test_freqz_of_many_filters_and_complex_coefficients(xp, kwargs):
    rng = np.random.default_rng(0)
    many = rng.standard_normal((6, 3, 1))  # three FIR filters: FFT path, h of shape (3, n)
    assert_matches(_lazily(xp, freqz, xp.asarray(many), **kwargs), scipy.signal.freqz(many, **kwargs), xp)
    b, a = rng.standard_normal((3, 2)), np.array([[1.0, 1.0], [-0.25, -0.5]])[..., None]
    expected = scipy.signal.freqz(b[..., None], a, **kwargs)
    assert_matches(_lazily(xp, freqz, xp.asarray(b[..., None]), xp.asarray(a), **kwargs), expected, xp)
    complex_b = np.array([1.0, 1j, 0.5 - 0.25j])
    expected = scipy.signal.freqz(complex_b, [1, 0.5], **kwargs)
    assert_matches(_lazily(xp, freqz, xp.asarray(complex_b), a=[1, 0.5], **kwargs), expected, xp)
    integer_b = np.array([1, 2, 1])
    if xp.module == "array_api_strict":  # it promotes no integers with floats, in SciPy as in gsci
        with pytest.raises(TypeError, match="cannot be type promoted"):
            freqz(xp.asarray(integer_b), a=2, **kwargs)
        return
    expected = _in_default_float(scipy.signal.freqz(integer_b, 2, **kwargs), xp)
    assert_matches(_lazily(xp, freqz, xp.asarray(integer_b), a=2, **kwargs), expected, xp)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", FREQZ_CASES, ids=repr)
def test_freqz_sos_matches_scipy(xp, dtype, kwargs):
    kwargs = {k: v for k, v in kwargs.items() if k != "include_nyquist"}
    sos = scipy.signal.ellip(8, 1, 60, 0.25, output="sos").astype(dtype)
    worN = kwargs.get("worN")
    expected = scipy.signal.freqz_sos(sos, **kwargs)
    kwargs = {**kwargs, "worN": xp.asarray(worN) if isinstance(worN, np.ndarray) else worN}
    rtol = 1e-4 if dtype == "float32" else None
    assert_matches(_lazily(xp, freqz_sos, xp.asarray(sos), **kwargs), expected, xp, rtol=rtol)


def test_integer_coefficients_count_as_the_default_float(xp):
    sos = np.array([[1, 2, 1, 1, 0, 0], [2, -1, 3, 1, 1, 1]])
    for worN in (8, np.array([0.5, 1])):
        expected = _in_default_float(scipy.signal.freqz_sos(sos, worN=worN), xp)
        worN = xp.asarray(worN) if isinstance(worN, np.ndarray) else worN
        assert_matches(freqz_sos(xp.asarray(sos), worN=worN), expected, xp)
        b, a = np.array([1, 2, 1]), np.array([2, 1])
        if xp.module == "array_api_strict":  # it promotes no integers with floats, in SciPy as in gsci
            with pytest.raises(TypeError, match="cannot be type promoted"):
                freqz(xp.asarray(b), xp.asarray(a), worN=worN)
            continue
        expected = _in_default_float(scipy.signal.freqz(b, a, worN=worN), xp)
        assert_matches(freqz(xp.asarray(b), xp.asarray(a), worN=worN), expected, xp)


def test_integer_numerator_promotes_with_the_denominator_as_in_scipy():
    b, a = np.array([1, 2, 1], dtype=np.int8), np.array([1.0, 0.5], dtype=np.float32)
    for worN in (
        8,
        np.array([0.5, 1.0]),
        16,
    ):  # w float32, h complex128: NumPy's promotion of int8 and float32
        assert_matches(freqz(b, a, worN=worN), scipy.signal.freqz(b, a, worN=worN), NUMPY, rtol=1e-5)
        assert_matches(freqz(b, worN=worN), scipy.signal.freqz(b, worN=worN), NUMPY)


def test_zero_dimensional_integer_worN_counts_frequencies(xp):
    b = scipy.signal.firwin(9, 0.3)
    for n in (7, 8):
        expected = scipy.signal.freqz(b, worN=n)
        assert_matches(freqz(xp.asarray(b), worN=xp.asarray(n)), expected, xp)
        expected = scipy.signal.freqz_sos([[1, 2, 1, 1, 0.5, 0.1]], worN=n)
        assert_matches(freqz_sos(xp.asarray([[1, 2, 1, 1, 0.5, 0.1]]), worN=xp.asarray(n)), expected, xp)


def test_numpy_integer_worN_counts_frequencies():
    b = scipy.signal.firwin(9, 0.3)
    expected = scipy.signal.freqz(b, worN=np.int64(7), whole=True)
    assert_matches(freqz(b, worN=np.int64(7), whole=True), expected, NUMPY)
    assert_matches(
        freqz_sos([[1, 2, 1, 1, 0.5, 0.1]], np.int64(5)),
        scipy.signal.freqz_sos([[1, 2, 1, 1, 0.5, 0.1]], np.int64(5)),
        NUMPY,
    )


def test_freqz_calls_plot_with_the_results():
    seen = []
    w, h = freqz([1, 1], worN=4, plot=lambda *args: seen.append(args))
    assert len(seen) == 1 and seen[0][0] is w and seen[0][1] is h


def test_freqz_leaves_read_only_and_strided_inputs_alone():
    b = scipy.signal.firwin(41, 0.2)[::-2]
    b.flags.writeable = False
    copy = b.copy()
    for kwargs in ({"worN": 32}, {"worN": 32, "whole": True}, {"worN": np.linspace(0, 3, 5)}):
        assert_matches(freqz(b, [1.0, 0.2], **kwargs), scipy.signal.freqz(copy, [1.0, 0.2], **kwargs), NUMPY)
        assert_matches(freqz(b, **kwargs), scipy.signal.freqz(copy, **kwargs), NUMPY)
    np.testing.assert_array_equal(b, copy)


def test_freqz_nan_propagates_like_scipy():
    b = np.array([1.0, np.nan, 1.0])
    for kwargs in ({"worN": 8}, {"worN": [0.1, 1.0]}):
        assert_matches(freqz(b, **kwargs), scipy.signal.freqz(b, **kwargs), NUMPY)
        assert_matches(freqz(b, b, **kwargs), scipy.signal.freqz(b, b, **kwargs), NUMPY)


@pytest.mark.parametrize(
    ("function", "args", "kwargs"),
    [
        ("freqz", ([1.0, 1.0],), {"worN": -1}),
        ("freqz", ([1.0, 1.0],), {"fs": np.array([1.0, 2.0])}),
        ("freqz", ([1.0, 1.0],), {"fs": None}),
        ("freqz_sos", (np.ones((2, 5)),), {}),
        ("freqz_sos", (np.ones((2, 6, 1)),), {}),
        ("freqz_sos", (np.full((2, 6), 2.0),), {}),
        ("freqz_sos", (np.zeros((0, 6)),), {}),
        ("freqz_sos", (np.ones((1, 6)),), {"worN": -3}),
        ("freqz_sos", (np.ones((1, 6)),), {"fs": [1.0]}),
    ],
    ids=repr,
)
def test_response_bad_inputs_raise_scipys_exception(xp, function, args, kwargs):
    with pytest.raises(Exception) as scipys:
        getattr(scipy.signal, function)(*args, **kwargs)
    if xp.module in ("jax", "dask") and "sos[:, 3]" in str(scipys.value):
        pytest.skip("the leading denominator coefficient is checked only where values are known")
    with pytest.raises(scipys.type):
        getattr(_freqz, function)(*(xp.asarray(a) for a in args), **kwargs)


def test_sosfreqz_forwards_like_scipys(xp):
    assert str(inspect.signature(sosfreqz)) == str(inspect.signature(scipy.signal.sosfreqz))
    sos = scipy.signal.butter(4, 0.2, output="sos")
    expected = scipy.signal.sosfreqz(sos, 16, True, 10.0)
    assert_matches(_lazily(xp, sosfreqz, xp.asarray(sos), worN=16, whole=True, fs=10.0), expected, xp)
