"""FIR design (firwin2, firls, remez, minimum_phase, Kaiser's formulas) against SciPy on every library."""

import functools
import inspect
import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute, to_numpy, uneven_chunks
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci._lib._arrays import library_of
from gsci.signal import _fir_design
from gsci.signal._fir_design import (
    firls,
    firwin2,
    kaiser_atten,
    kaiser_beta,
    kaiserord,
    minimum_phase,
    remez,
)

NUMPY = Library.named("numpy")
DESIGNS = ("firwin2", "firls", "remez")
# (numtaps, arrays, options) of each design; the arrays' names are the frequency arguments
CASES = {
    "firwin2": [
        (11, {"freq": [0, 0.5, 1], "gain": [1, 1, 0]}, {}),
        (31, {"freq": [0, 0.5, 0.5, 1], "gain": [1, 1, 0, 0]}, {"window": ("kaiser", 8.0)}),
        (30, {"freq": [0, 100, 200, 500], "gain": [0, 1, 1, 0]}, {"fs": 1000.0, "nfreqs": 129}),
        (21, {"freq": [0, 0.3, 0.3, 0.6, 1], "gain": [0, 0, 1, 1, 0]}, {"antisymmetric": True}),
        (20, {"freq": [0, 1], "gain": [0, 1]}, {"antisymmetric": True, "window": None}),
    ],
    "firls": [
        (11, {"bands": [0, 0.3, 0.5, 1], "desired": [1, 1, 0, 0]}, {}),
        (9, {"bands": [0, 0.5, 0.55, 1], "desired": [1, 1, 0, 0], "weight": [1, 2]}, {}),
        (7, {"bands": [[0, 1], [2, 3], [4, 5]], "desired": [1, 0, 0, 1, 1, 0]}, {"fs": 20}),
        (21, {"bands": [0, 0.1, 0.9, 1], "desired": [1, 1, 0, 0]}, {}),  # rank deficient: lstsq
    ],
    "remez": [
        (11, {"bands": [0, 0.2, 0.3, 0.5], "desired": [1, 0]}, {}),
        (12, {"bands": [0, 0.3, 0.5, 1], "desired": [1, 0], "weight": [1, 3]}, {"fs": 2.0}),
        (11, {"bands": [0.1, 0.4], "desired": [1]}, {"type": "hilbert"}),
        (20, {"bands": [0, 0.4], "desired": [1]}, {"type": "differentiator", "grid_density": 20}),
    ],
}


def _scipy(name):
    return getattr(scipy.signal, name)


def _device(xp):
    return {"torch": xp.device, "cupy": None}.get(xp.module)


def _cases(name):
    return [(name, *case) for case in CASES[name]]


ALL_CASES = [case for name in DESIGNS for case in _cases(name)]


@pytest.mark.parametrize(("name", "numtaps", "arrays", "options"), ALL_CASES)
def test_designs_match_scipy_for_python_sequences(name, numtaps, arrays, options):
    expected = _scipy(name)(numtaps, **arrays, **options)
    assert_matches(getattr(_fir_design, name)(numtaps, **arrays, **options), expected, NUMPY, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("name", "numtaps", "arrays", "options"), ALL_CASES)
def test_designs_follow_the_library_of_their_arrays(xp, name, numtaps, arrays, options, dtype):
    """Arrays of any library give float64 coefficients in that library, as SciPy 1.17 (NumPy: float64 too)."""
    values = {key: np.asarray(value, dtype=dtype) for key, value in arrays.items()}
    design = functools.partial(getattr(_fir_design, name), numtaps, **options)
    repeated = name == "firwin2" and len(values["freq"]) > len(set(values["freq"].tolist()))
    if dtype == "float32" and repeated:  # SciPy moves repeated frequencies by eps of the default float:
        if xp.module != "torch":  # float64's vanishes in float32 (PyTorch's default float is float32)
            with pytest.raises(ValueError, match="too close"):
                _scipy(name)(numtaps, **values, **options)
            with pytest.raises(ValueError, match="too close"):
                design(**{k: xp.asarray(v) for k, v in values.items()})
            return
        values = {k: v.astype(np.float64) for k, v in values.items()}  # float32 values, moved apart
    expected = _scipy(name)(numtaps, **values, **options)
    assert expected.dtype == np.float64
    assert_matches(design(**{k: xp.asarray(v) for k, v in values.items()}), expected, xp)
    for key in values:  # one array among sequences sets the library too
        one = {k: (xp.asarray(v) if k == key else v.tolist()) for k, v in values.items()}
        if dtype == "float64":  # SciPy computes partly in the arrays' float32 (firls: bands / nyq)
            assert_matches(design(**one), expected, xp)


@pytest.mark.parametrize(("name", "numtaps", "arrays", "options"), ALL_CASES)
def test_designs_in_xp_on_its_device(xp, name, numtaps, arrays, options):
    expected = _scipy(name)(numtaps, **arrays, **options)
    actual = getattr(_fir_design, name)(numtaps, **arrays, **options, xp=xp.ns, device=_device(xp))
    assert_matches(actual, expected, xp)
    as_numpy = {key: np.asarray(value) for key, value in arrays.items()}  # NumPy arrays with xp= too
    assert_matches(getattr(_fir_design, name)(numtaps, **as_numpy, **options, xp=xp.ns), expected, xp)


def test_xp_and_arrays_must_agree():
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    with pytest.raises(TypeError, match="freq is a torch array but xp is jax"):
        firwin2(11, torch.asarray([0.0, 0.5, 1.0]), [1, 1, 0], xp=jnp)
    with pytest.raises(TypeError, match="bands is torch, desired is jax"):
        firls(11, torch.asarray([0.0, 0.3, 0.5, 1.0]), jnp.asarray([1.0, 1, 0, 0]))
    with pytest.raises(TypeError, match="weight"):
        remez(11, torch.asarray([0.0, 0.2, 0.3, 0.5]), [1, 0], weight=jnp.asarray([1.0, 2.0]))
    with pytest.raises(ValueError, match="bands is on device cpu but device='meta'"):
        remez(11, torch.asarray([0.0, 0.2, 0.3, 0.5]), [1, 0], device="meta")


def test_dask_arrays_are_computed_as_scipy_does():
    dask = Library.named("dask")
    freq, gain = np.array([0.0, 0.2, 0.5, 0.5, 1.0]), np.array([1.0, 1.0, 0.5, 0.0, 0.0])
    expected = scipy.signal.firwin2(33, freq, gain)
    assert_matches(firwin2(33, dask.asarray(freq, chunks=2), dask.asarray(gain, chunks=3)), expected, dask)
    with pytest.raises(ValueError, match="must be nondecreasing"):
        firwin2(33, dask.asarray([0.0, 0.5, 0.4, 1.0], chunks=2), [1, 1, 0, 0])
    with pytest.raises(TypeError, match="freq is dask, gain is numpy"):  # as SciPy 1.17's TypeError
        firwin2(33, dask.asarray(freq, chunks=2), gain)


def test_traced_arrays_raise_type_error():
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    with pytest.raises(TypeError, match=r"gain is a jax array traced by jax\.jit"):
        jax.jit(lambda gain: firwin2(11, [0, 0.5, 1], gain))(jnp.asarray([1.0, 1.0, 0.0]))
    with pytest.raises(TypeError, match=r"bands is a jax array traced by jax\.jit"):
        jax.jit(lambda bands: firls(11, bands, [1, 1, 0, 0]))(jnp.asarray([0.0, 0.3, 0.5, 1.0]))
    with pytest.raises(TypeError, match=r"weight is a jax array traced by jax\.jit"):
        jax.jit(lambda w: remez(11, [0, 0.2, 0.3, 0.5], [1, 0], weight=w))(jnp.asarray([1.0, 2.0]))


def test_firwin2_moves_repeated_frequencies_by_the_default_floats_eps():
    """SciPy 1.17 moves them by ``eps * fs/2`` of the output library's default float: PyTorch's float32."""
    torch = pytest.importorskip("torch")
    torch_library = Library.named("torch")
    assert torch.get_default_dtype() == torch.float32
    freq = np.array([0.0, 0.5, 0.5, 1.0], dtype=np.float32)
    with pytest.raises(ValueError, match="too close"):  # NumPy's eps vanishes in float32
        scipy.signal.firwin2(31, freq, [1, 1, 0, 0])
    with pytest.raises(ValueError, match="too close"):
        firwin2(31, freq, [1, 1, 0, 0])
    expected = scipy.signal.firwin2(31, freq.astype(np.float64), [1, 1, 0, 0])
    assert_matches(firwin2(31, torch.asarray(freq), [1, 1, 0, 0]), expected, torch_library)
    assert_matches(firwin2(31, freq, [1, 1, 0, 0], xp=torch), expected, torch_library)
    close = [0.0, 0.5 - 1e-7, 0.5, 0.5, 1.0]  # apart by more than float64's eps, less than float32's
    scipy.signal.firwin2(31, close, [1, 1, 1, 0, 0])
    with pytest.raises(ValueError, match=r"too close \(within eps \* \(fs/2\): 1\.19"):
        firwin2(31, torch.asarray(close, dtype=torch.float64), [1, 1, 1, 0, 0])
    with pytest.raises(ValueError, match="0 must not be repeated"):  # SciPy's checks come first
        firwin2(31, torch.asarray([0.0, 0.0, 0.5, 1.0]), [1, 1, 0, 0])
    with pytest.raises(ValueError, match="must be nondecreasing"):
        firwin2(31, torch.asarray([0.0, 0.5, 0.5, 0.4, 1.0]), [1, 1, 0, 0, 0])


BAD = [
    ("firwin2", (50, [0, 0.5, 1], [0.0, 1.0]), {}),
    ("firwin2", (50, [0, 0.5, 1], [0.0, 1.0, 1.0]), {"nfreqs": 33}),
    ("firwin2", (50, [0, 0.5, 0.4, 1.0], [0, 0.25, 0.5, 1.0]), {}),
    ("firwin2", (50, [0, 0.1, 0.1, 0.1, 1.0], [0.0, 0.5, 0.75, 1.0, 1.0]), {}),
    ("firwin2", (50, [0.5, 1.0], [0.0, 1.0]), {}),
    ("firwin2", (50, [0.0, 0.5], [0.0, 1.0]), {}),
    ("firwin2", (50, [0.0, 0.0, 0.5, 1.0], [1.0, 1.0, 0.0, 0.0]), {}),
    ("firwin2", (50, [0.0, 0.5, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]), {}),
    ("firwin2", (16, [0.0, 0.5, 1.0], [0.0, 1.0, 1.0]), {}),  # even numtaps: zero gain at Nyquist
    ("firwin2", (17, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0]), {"antisymmetric": True}),
    ("firwin2", (16, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0]), {"antisymmetric": True}),
    ("firwin2", (11, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0]), {"fs": [1, 2]}),
    ("firwin2", (0, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0]), {}),
    ("firwin2", (11.5, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0]), {}),
    ("firwin2", (11, [0.0, 0.5, 1.0], [1.0, 1.0, 0.0]), {"window": "nope"}),
    ("firls", (10, [0.1, 0.2], [0, 0]), {}),  # even numtaps
    ("firls", (0, [0.1, 0.2], [0, 0]), {}),
    ("firls", (-1, [0.1, 0.2], [0, 0]), {}),
    ("firls", (11, [0.1, 0.2, 0.4], [0, 0, 0]), {}),
    ("firls", (11, [0.1, 0.2, 0.3, 0.4], [0, 0, 0]), {}),
    ("firls", (11, [0.2, 0.1], [0, 0]), {}),
    ("firls", (11, [0.1, 0.3, 0.2, 0.4], [0, 0, 0, 0]), {}),
    ("firls", (11, [0.1, 1.2], [0, 0]), {}),
    ("firls", (11, [0.1, 0.2], [-1, 1]), {}),
    ("firls", (11, [0.1, 0.2], [0, 0]), {"weight": [1, 2]}),
    ("firls", (11, [0.1, 0.2], [0, 0]), {"weight": [-1]}),
    ("firls", (11, [0.1, 0.2], [0, 0]), {"fs": -2}),
    ("remez", (11, [0.1, 0.4], [1]), {"type": "pooka"}),
    ("remez", (11, [0.1, 0.4, 0.3], [1]), {}),
    ("remez", (11, [0.1, 0.6], [1]), {}),
    ("remez", (11, 0.1, 1), {"fs": np.array([10, 20])}),
    ("remez", (0, [0, 0.2, 0.3, 0.5], [1, 0]), {}),
    ("remez", (11.5, [0, 0.2, 0.3, 0.5], [1, 0]), {}),
    ("remez", (11, [0, 0.2, 0.3, 0.5], [1, 0, 1]), {}),
    ("remez", (11, [0, 0.2, 0.3, 0.5], [1, 0]), {"weight": [1]}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), BAD, ids=repr)
def test_bad_design_parameters_raise_scipys_exception(xp, name, args, kwargs):
    with pytest.raises(Exception) as scipys:
        _scipy(name)(*args, **kwargs)
    with pytest.raises(scipys.type):
        getattr(_fir_design, name)(*args, **kwargs)
    arrays = [xp.asarray(np.asarray(a, dtype=np.float64)) if isinstance(a, list) else a for a in args[1:]]
    with pytest.raises(scipys.type):
        getattr(_fir_design, name)(args[0], *arrays, **kwargs)


def test_read_only_inputs_are_left_alone(xp):
    freq, gain = np.array([0.0, 0.5, 0.5, 1.0]), np.array([1.0, 1.0, 0.0, 0.0])
    bands, desired = np.array([0.0, 0.2, 0.3, 0.5]), np.array([1.0, 0.0])
    h = scipy.signal.remez(21, bands, desired)
    for a in (freq, gain, bands, desired, h):
        a.flags.writeable = False
    expected = (
        scipy.signal.firwin2(21, freq, gain),
        scipy.signal.remez(21, bands, desired),
        scipy.signal.firls(21, bands, [1, 1, 0, 0]),
        scipy.signal.minimum_phase(h),
    )
    assert_matches(firwin2(21, freq, gain), expected[0], NUMPY)
    assert_matches(remez(21, bands, desired), expected[1], NUMPY)
    assert_matches(firls(21, bands, [1, 1, 0, 0]), expected[2], NUMPY)
    assert_matches(minimum_phase(h), expected[3], NUMPY)
    arrays = [xp.asarray(a) for a in (freq, gain, bands, desired, h)]
    firwin2(21, arrays[0], arrays[1])
    remez(21, arrays[2], arrays[3])
    minimum_phase(arrays[4])
    for before, after in zip((freq, gain, bands, desired, h), arrays, strict=True):
        np.testing.assert_array_equal(to_numpy(after), before)


def test_signatures_are_scipys():
    for name in DESIGNS:
        ours = list(inspect.signature(getattr(_fir_design, name)).parameters.values())
        theirs = list(inspect.signature(_scipy(name)).parameters.values())
        assert [(p.name, p.default, p.kind) for p in ours] == [
            *((p.name, p.default, p.kind) for p in theirs),
            ("xp", None, inspect.Parameter.KEYWORD_ONLY),
            ("device", None, inspect.Parameter.KEYWORD_ONLY),
        ]
    for name in ("minimum_phase", "kaiserord", "kaiser_beta", "kaiser_atten"):
        ours = inspect.signature(getattr(_fir_design, name)).parameters.values()
        theirs = inspect.signature(_scipy(name)).parameters.values()
        assert [(p.name, p.default, p.kind) for p in ours] == [(p.name, p.default, p.kind) for p in theirs]


@settings(max_examples=15, deadline=None)
@given(
    numtaps=st.integers(3, 40).map(lambda n: n | 1),
    edge=st.floats(0.05, 0.35),
    width=st.floats(0.02, 0.1),
    weight=st.floats(0.1, 10),
)
def test_design_properties(numtaps, edge, width, weight):
    bands = [0, edge, edge + width, 0.5]
    assert_matches(
        remez(numtaps, bands, [1, 0], weight=[1, weight]),
        scipy.signal.remez(numtaps, bands, [1, 0], weight=[1, weight]),
        NUMPY,
    )
    expected = scipy.signal.firls(numtaps, bands, [1, 1, 0, 0], fs=1)
    assert_matches(firls(numtaps, bands, [1, 1, 0, 0], fs=1), expected, NUMPY)
    freq, gain = [0, 2 * edge, 2 * edge + width, 1], [1, 1, 0, 0]
    assert_matches(firwin2(numtaps, freq, gain), scipy.signal.firwin2(numtaps, freq, gain), NUMPY)


# Kaiser's formulas


def test_kaiser_formulas_match_scipy_for_python_numbers():
    for a in (10, 21, 21.5, 30, 50, 58.7, 65, 120.0):
        assert type(kaiser_beta(a)) is type(scipy.signal.kaiser_beta(a))
        assert kaiser_beta(a) == scipy.signal.kaiser_beta(a)
    for numtaps, width in [(1, 1.0), (2, 1 / np.pi), (211, 0.0375), (10, 0.1)]:
        assert kaiser_atten(numtaps, width) == scipy.signal.kaiser_atten(numtaps, width)
    edge = 2.285 + 7.95 - 0.001
    for ripple, width in [(65, 24 / 500), (-40, 0.05), (8, 0.3), (edge, 1 / np.pi), (120, 0.01)]:
        ours, theirs = kaiserord(ripple, width), scipy.signal.kaiserord(ripple, width)
        assert ours == theirs and [type(v) for v in ours] == [type(v) for v in theirs]
    with pytest.raises(ValueError, match="too small for the Kaiser formula"):
        kaiserord(1.0, 1.0)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_kaiser_formulas_on_arrays_as_scipy(xp, dtype):
    """SciPy's arithmetic on 0-d arrays: the result's type is the library's (Python 0.0 below 21 dB)."""
    for a in (10.0, 30.0, 65.0):
        value = xp.asarray(np.asarray(a, dtype=dtype))
        ours, theirs = kaiser_beta(value), scipy.signal.kaiser_beta(value)
        _assert_same_scalar(ours, theirs)
    numtaps, width = 21, xp.asarray(np.asarray(0.05, dtype=dtype))
    _assert_same_scalar(kaiser_atten(numtaps, width), scipy.signal.kaiser_atten(numtaps, width))
    ours, theirs = (
        kaiserord(xp.asarray(np.asarray(-65.0, dtype=dtype)), 0.05),
        scipy.signal.kaiserord(xp.asarray(np.asarray(-65.0, dtype=dtype)), 0.05),
    )
    assert ours[0] == theirs[0] and type(ours[0]) is int
    _assert_same_scalar(ours[1], theirs[1])
    with pytest.raises(ValueError, match="too small"):
        kaiserord(xp.asarray(np.asarray(5.0, dtype=dtype)), 0.05)


def _assert_same_scalar(ours, theirs):
    """Python floats, NumPy scalars of one dtype, or 0-d arrays of one library and dtype; equal values."""
    assert type(ours) is type(theirs)
    if not isinstance(theirs, float):
        assert library_of(ours) == library_of(theirs)
        assert to_numpy(ours).dtype == to_numpy(theirs).dtype
    if isinstance(theirs, float):
        assert ours == theirs
    else:
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), rtol=1e-6)


def test_kaiser_formulas_under_jit():
    jax = pytest.importorskip("jax")
    Library.named("jax")  # 64-bit
    jnp = jax.numpy
    for a in (10.0, 30.0, 65.0):
        beta = float(jax.jit(kaiser_beta)(jnp.asarray(a)))
        assert beta == pytest.approx(scipy.signal.kaiser_beta(a), rel=1e-14)
    attenuation = float(jax.jit(kaiser_atten)(21, jnp.asarray(0.05)))
    assert attenuation == pytest.approx(scipy.signal.kaiser_atten(21, 0.05), rel=1e-14)
    with pytest.raises(TypeError):  # numtaps is a Python int, as in SciPy
        jax.jit(kaiserord)(jnp.asarray(65.0), jnp.asarray(0.05))


# minimum_phase

FILTERS = {
    "remez21": scipy.signal.remez(21, [0, 0.2, 0.3, 0.5], [1, 0]),
    "remez12": scipy.signal.remez(12, [0, 0.3, 0.5, 1], [1, 0], fs=2.0),
    "firwin30": scipy.signal.firwin(30, 0.3),
    "linear": np.convolve([1.0, -0.5, 0.25], [0.25, -0.5, 1.0]),
}
PHASE_OPTIONS = [
    {},
    {"half": False},
    {"n_fft": 64},
    {"n_fft": 1023, "half": False},
    {"method": "hilbert"},
    {"method": "hilbert", "n_fft": 2**12 + 3},
]


def _phase_tolerance(options, xp, dtype):
    """The Hilbert method's taps hang on the rounding of the response next to its minimum (``sqrt`` of a
    difference near 0): other FFTs than SciPy's NumPy ones (SciPy's own on PyTorch too) move them by ~1e-3."""
    if options.get("method") == "hilbert" and (xp.module != "numpy" or dtype == "int64"):
        return {"rtol": 2e-3, "atol": 2e-3}
    return {"rtol": 2e-5 if dtype == "float32" else 1e-9}


@pytest.mark.parametrize("options", PHASE_OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_minimum_phase_matches_scipy(xp, dtype, options):
    for name, h in FILTERS.items():
        if name == "linear" and options.get("method") == "hilbert":
            continue  # not unity gain: the Hilbert method's scaling takes the root of a negative number
        if xp.module != "numpy" and name in ("remez12", "linear"):
            continue  # an odd and an even length are enough (each shape compiles anew under jax.jit)
        h = h.astype(dtype)
        expected = scipy.signal.minimum_phase(h, **options)  # float32 stays float32 on Dask too
        actual = _lazily(xp, minimum_phase, xp.asarray(h, chunks=uneven_chunks(h.shape)), **options)
        assert_matches(actual, expected, xp, **_phase_tolerance(options, xp, dtype))


def _lazily(xp, function, *arrays, **options):
    """``function(*arrays, **options)``: under ``jax.jit`` for JAX, without any compute for Dask."""
    if xp.module == "dask":
        with forbid_dask_compute():
            return function(*arrays, **options)
    return compiled(function, xp, **options)(*arrays)


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt")  # 'hilbert' of a gain of 64: NaN
@pytest.mark.parametrize("method", ["homomorphic", "hilbert"])
def test_minimum_phase_dtypes_are_scipys(xp, method):
    """float32 stays float32 (homomorphic), integers take the default float type; 'hilbert': float64."""
    h = np.round(FILTERS["remez21"] * 64).astype(np.int64)
    expected = scipy.signal.minimum_phase(h.astype(np.float64), method)
    actual = minimum_phase(xp.asarray(h), method)
    default = "float32" if xp.module == "torch" and method == "homomorphic" else "float64"
    assert str(to_numpy(actual).dtype) == default
    tolerance = _phase_tolerance({"method": method}, xp, "")
    if default == "float32":
        tolerance = {"rtol": 2e-5}
    tolerance.setdefault("atol", tolerance["rtol"] * np.max(np.abs(expected)))
    np.testing.assert_allclose(to_numpy(actual), expected, **tolerance)
    assert_matches(minimum_phase(h, method), scipy.signal.minimum_phase(h, method), NUMPY)
    h16 = FILTERS["remez21"].astype(np.float16)  # SciPy's FFTs take float16 as float32
    assert_matches(minimum_phase(h16, method), scipy.signal.minimum_phase(h16, method), NUMPY, rtol=1e-6)
    if method == "homomorphic":
        wide = FILTERS["remez21"].astype(np.longdouble)
        assert_matches(minimum_phase(wide), scipy.signal.minimum_phase(wide), NUMPY, rtol=1e-12)


def test_minimum_phase_bad_arguments_raise_scipys_exceptions(xp):
    for args, kwargs in [
        ([1.0], {}),
        ([1.0, 1.0], {}),
        (np.full(10, 1j), {}),
        (np.ones((3, 3)), {}),
        (np.ones(10), {"n_fft": 8}),
        (np.ones(10), {"method": "foo"}),
        (np.ones(10), {"method": 1}),
        (np.ones(3), {"method": "hilbert", "half": False}),
    ]:
        with pytest.raises(Exception) as scipys:
            scipy.signal.minimum_phase(args, **kwargs)
        with pytest.raises(scipys.type, match=str(scipys.value)[:20].replace("(", r"\(").replace("[", r"\[")):
            minimum_phase(args, **kwargs)
        with pytest.raises(scipys.type):
            minimum_phase(xp.asarray(np.asarray(args)), **kwargs)
    with pytest.raises((ValueError, TypeError)):
        minimum_phase("foo")


def test_minimum_phase_warns_for_asymmetric_filters_where_values_are_known(xp):
    h = np.arange(5.0)
    with pytest.warns(RuntimeWarning, match="does not appear to by symmetric"):
        scipy.signal.minimum_phase(h)
    if xp.module in ("dask", "jax"):  # unknown values (Dask; traced under jax.jit): no warning
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _lazily(xp, minimum_phase, xp.asarray(h))
        return
    with pytest.warns(RuntimeWarning, match="does not appear to by symmetric"):
        assert_matches(minimum_phase(xp.asarray(h)), scipy.signal.minimum_phase(h), xp, rtol=1e-9)


def test_minimum_phase_takes_sequences_and_runs_scipy_for_short_transforms():
    h = FILTERS["remez21"]
    assert_matches(minimum_phase(h.tolist()), scipy.signal.minimum_phase(h), NUMPY, rtol=1e-9)
    declaration = minimum_phase.declaration.scipy_when
    assert declaration(h, 64) and declaration(h, 32, "hilbert")
    assert not declaration(h) and not declaration(h, 4096) and not declaration(h, 64, "hilbert")
    expected = scipy.signal.minimum_phase(h, n_fft=64)
    assert_matches(minimum_phase(h, n_fft=64), expected, NUMPY, rtol=0, atol=0)  # SciPy itself


@settings(max_examples=15, deadline=None)
@given(
    taps=st.lists(st.floats(-1, 1).filter(lambda v: abs(v) > 1e-3), min_size=2, max_size=12),
    extra=st.integers(0, 300),
    half=st.booleans(),
)
def test_minimum_phase_recovers_magnitudes(taps, extra, half):
    """As SciPy's test: the minimum phase filter of ``h * h[::-1]`` has ``h``'s magnitude response."""
    h = np.asarray(taps)
    linear = np.convolve(h, h[::-1])
    n_fft = 2 ** int(np.ceil(np.log2(2 * (len(linear) - 1) / 0.01))) + extra
    expected = scipy.signal.minimum_phase(linear, n_fft=n_fft, half=half)
    actual = minimum_phase(linear, n_fft=n_fft, half=half)
    assert_matches(actual, expected, NUMPY, rtol=1e-7, atol=1e-9)
