"""chirp, gausspulse, sawtooth, square, sweep_poly and unit_impulse against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import (
    Library,
    assert_exact,
    assert_matches,
    case_id,
    compiled,
    forbid_dask_compute,
    uneven_chunks,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.signal._waveforms import _chirp_phase  # SciPy's own phase: the scale of rounding errors

import gsci.signal
from gsci.signal._waveforms import _BLOCK

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TIMES = np.linspace(-2.0, 12.0, 97)


@pytest.fixture(autouse=True)
def _dask_in_this_thread():
    """Tiny Dask graphs compute faster without the thread pool."""
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield


def times(dtype, t=TIMES):
    return (t * 4).astype(dtype) if dtype.startswith("int") else t.astype(dtype)


def on(xp, a):
    """NumPy ``a`` as ``xp``'s array, in uneven Dask chunks."""
    return xp.asarray(a, chunks=uneven_chunks(np.shape(a)))


def run(function, xp, t, *args, **kwargs):
    """``function(t, *args, **kwargs)`` in ``xp`` (under jax.jit; lazily on Dask, chunks kept)."""
    if xp.module == "dask":
        with forbid_dask_compute():
            result = function(t, *args, **kwargs)
        for r in result if isinstance(result, tuple) else (result,):
            assert r.chunks == t.chunks
        return result
    return compiled(lambda t: function(t, *args, **kwargs), xp)(t)


def rounding(dtype, scale):
    """Absolute tolerance for a cosine of a phase of magnitude ``scale`` computed in ``dtype``."""
    work = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(np.float64)
    return 64 * np.finfo(work).eps * max(1.0, scale)


CHIRPS = [
    {},
    {"method": "li", "phi": 30},
    {"method": "quadratic"},
    {"method": "quad", "vertex_zero": False, "phi": -45.5},
    {"method": "logarithmic"},
    {"method": "lo", "phi": 90, "complex": True},
    {"method": "hyperbolic"},
    {"method": "hyp", "complex": True},
    {"complex": True},
]


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("kwargs", CHIRPS, ids=case_id)
def test_chirp_matches_scipy(xp, dtype, kwargs):
    t = times(dtype)
    f0, t1, f1 = 1.5, 10.0, 7.0
    expected = scipy.signal.chirp(t, f0, t1, f1, **kwargs)
    method = kwargs.get("method", "linear")
    phase = _chirp_phase(t.astype(np.float64), f0, t1, f1, method, kwargs.get("vertex_zero", True))
    got = run(gsci.signal.chirp, xp, on(xp, t), f0, t1, f1, **kwargs)
    assert_matches(got, expected, xp, rtol=0, atol=rounding(dtype, np.max(np.abs(phase))))


@pytest.mark.parametrize("method", ["logarithmic", "hyperbolic"])
def test_chirp_equal_frequencies(xp, method):
    t = times("float64")
    expected = scipy.signal.chirp(t, 3.0, 2.0, 3.0, method=method)
    assert_matches(run(gsci.signal.chirp, xp, on(xp, t), 3.0, 2.0, 3.0, method=method), expected, xp)


def test_chirp_integer_parameters_as_floats():
    t = np.linspace(-1, 1, 11)
    assert_exact(gsci.signal.chirp(t, 10, 3, 20), scipy.signal.chirp(t, 10.0, 3.0, 20.0))


def test_chirp_numpy_scalar_phase_keeps_float32():
    t = times("float32")
    expected = scipy.signal.chirp(t, 1.0, 10.0, 2.0, phi=np.float32(10))
    assert expected.dtype == np.float32
    assert_matches(gsci.signal.chirp(t, 1.0, 10.0, 2.0, phi=np.float32(10)), expected, Library.named("numpy"))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int16"])
@pytest.mark.parametrize(("retquad", "retenv"), [(False, False), (True, False), (False, True), (True, True)])
def test_gausspulse_matches_scipy(xp, dtype, retquad, retenv):
    t = times(dtype, np.linspace(-0.004, 0.004, 61)) if dtype != "int16" else times(dtype)
    fc = 1000 if dtype != "int16" else 0.05
    expected = scipy.signal.gausspulse(t, fc=fc, bw=0.4, retquad=retquad, retenv=retenv)
    got = run(gsci.signal.gausspulse, xp, on(xp, t), fc=fc, bw=0.4, retquad=retquad, retenv=retenv)
    assert_matches(got, expected, xp, rtol=0, atol=rounding(dtype, 2 * np.pi * fc * np.max(np.abs(t))))


CUTOFFS = [{}, {"tpr": -40}, {"fc": 5, "bw": 0.3, "bwr": -3, "tpr": -80}]


@pytest.mark.parametrize("kwargs", CUTOFFS, ids=case_id)
def test_gausspulse_cutoff(kwargs):
    expected = scipy.signal.gausspulse("cutoff", **kwargs)
    got = gsci.signal.gausspulse("cutoff", **kwargs)
    assert type(got) is type(expected) and got == expected


WIDTHS = [1, 0, 0.5, 0.999, -0.1, 1.5]
# every width on float64 times; float32 and integer times with a few (a float32 width keeps float32)
CASES = [(w, "float64") for w in WIDTHS] + [
    (np.float32(0.25), "float32"),
    (0.3, "float32"),
    (np.float32(1.5), "float32"),
    (1, "int32"),
    (0.5, "int32"),
]


@pytest.mark.parametrize(("width", "dtype"), CASES, ids=repr)
@pytest.mark.parametrize("function", ["sawtooth", "square"])
def test_periodic_waves_match_scipy(xp, function, width, dtype):
    t = times(dtype, np.linspace(-15.0, 15.0, 83))
    expected = getattr(scipy.signal, function)(t, width)
    single = np.result_type(t, np.asarray(width)) == np.float32  # SciPy computes in float32 then
    got = run(getattr(gsci.signal, function), xp, on(xp, t), width)
    assert_matches(got, expected, xp, rtol=1e-6 if single else None, atol=1e-6 if single else None)


@pytest.mark.parametrize("kind", ["xp", "numpy", "list"])
@pytest.mark.parametrize("function", ["sawtooth", "square"])
def test_periodic_waves_width_arrays(xp, function, kind):
    t = np.linspace(-15.0, 15.0, 83)
    width = np.linspace(-0.2, 1.2, 83)
    width[[10, 20]] = [0.0, 1.0]
    expected = getattr(scipy.signal, function)(t, width)
    given_width = {"xp": on(xp, width), "numpy": width, "list": width.tolist()}[kind]
    assert_matches(run(getattr(gsci.signal, function), xp, on(xp, t), given_width), expected, xp)


@pytest.mark.parametrize("function", ["sawtooth", "square"])
def test_periodic_waves_broadcast_and_float32(xp, function):
    t = np.linspace(0, 7, 5, dtype=np.float32)[:, None]
    width = np.array([0.0, 0.2, 0.5, 1.0], dtype=np.float32)
    expected = getattr(scipy.signal, function)(t, width)
    got = getattr(gsci.signal, function)(xp.asarray(t), xp.asarray(width))
    assert_matches(got, expected, xp, rtol=1e-6, atol=1e-6)  # float32 arithmetic, as in SciPy
    scalar_t = getattr(gsci.signal, function)(1.0, xp.asarray(width))
    assert_matches(scalar_t, getattr(scipy.signal, function)(1.0, width), xp)


@pytest.mark.parametrize("function", ["sawtooth", "square"])
def test_periodic_waves_of_python_numbers(function):
    assert_exact(getattr(gsci.signal, function)(1), getattr(scipy.signal, function)(1))
    expected = getattr(scipy.signal, function)([1, 5, 9], 0.2)
    assert_exact(getattr(gsci.signal, function)([1, 5, 9], 0.2), expected)


@pytest.mark.parametrize(
    "poly",
    [[2.0], [0.1, -0.2, 1.0], [1, 2, 3, 4], np.poly1d([0.025, -0.36, 1.25, 2.0]), [], [1 + 1j, 0.5]],
    ids=repr,
)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_sweep_poly_matches_scipy(xp, poly, dtype):
    t = times(dtype, np.linspace(-2.0, 5.0, 57))
    given_poly = poly if isinstance(poly, (list, np.poly1d)) else xp.asarray(poly)
    with np.errstate(over="ignore"):  # complex coefficients: cos grows as cosh
        expected = scipy.signal.sweep_poly(t, poly, phi=20)
        got = run(gsci.signal.sweep_poly, xp, on(xp, t), given_poly, phi=20)
        scale = np.max(np.abs(np.polyval(np.polyint(poly), t.astype(np.float64)))) * 2 * np.pi
        assert_matches(got, expected, xp, rtol=1e-11, atol=rounding("float64", scale))


def test_sweep_poly_coefficients_of_the_library(xp):
    t = np.linspace(0, 3, 41)
    poly = np.array([0.5, -1.0, 2.0])
    expected = scipy.signal.sweep_poly(t, poly)
    assert_matches(run(gsci.signal.sweep_poly, xp, on(xp, t), on(xp, poly)), expected, xp)
    assert_matches(gsci.signal.sweep_poly(on(xp, t), poly), expected, xp)


@pytest.mark.parametrize(
    ("shape", "idx", "dtype"),
    [
        (7, None, float),
        ((3, 3), None, float),
        (10, 3, float),
        ((3, 3), (1, 1), float),
        ((4, 4), 2, float),
        ((3, 3), "mid", float),
        (9, "mid", float),
        (5, 3, int),
        ((5, 2), (3, 1), complex),
        ((2, 3, 4), (-1, 0, -2), "float32"),
        ((3, 4), (1,), float),
        (0, None, float),
    ],
)
def test_unit_impulse_matches_scipy(xp, shape, idx, dtype):
    if shape == 0:  # SciPy indexes the empty array
        for function in (scipy.signal.unit_impulse, gsci.signal.unit_impulse):
            with pytest.raises(IndexError):
                function(shape, idx, dtype)
        with pytest.raises(IndexError):
            gsci.signal.unit_impulse(shape, idx, dtype, xp=xp.ns)
        return
    expected = scipy.signal.unit_impulse(shape, idx, dtype)
    if xp.module == "jax":
        import jax

        got = jax.jit(lambda: gsci.signal.unit_impulse(shape, idx, dtype, xp=xp.ns))()
    else:
        got = gsci.signal.unit_impulse(shape, idx, dtype, xp=xp.ns, device=_device(xp))
    assert_matches(got, expected, xp)
    assert_exact(got, expected)


def _device(xp):
    if xp.module == "torch":
        import torch

        return torch.device(xp.device)
    return None


def test_unit_impulse_is_numpy_by_default():
    for args in [(7,), ((3, 3), "mid"), (5, 3, int), ((2, 2), (slice(None), 0))]:
        got = gsci.signal.unit_impulse(*args)
        assert type(got) is np.ndarray
        assert_exact(got, scipy.signal.unit_impulse(*args))


def test_unit_impulse_takes_the_library_dtype():
    import torch

    got = gsci.signal.unit_impulse(4, 1, torch.float32, xp=torch)
    assert got.dtype == torch.float32 and got.tolist() == [0.0, 1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("shape", "idx", "error"),
    [
        (4, 4, IndexError),
        (4, -5, IndexError),
        ((2, 2), (0, 0, 0), IndexError),
        (3, "x", IndexError),
        (-1, None, ValueError),
    ],
)
def test_unit_impulse_bad_inputs_raise_like_scipy(xp, shape, idx, error):
    with pytest.raises(error):
        scipy.signal.unit_impulse(shape, idx)
    with pytest.raises(error):
        gsci.signal.unit_impulse(shape, idx, xp=xp.ns)
    with pytest.raises(error):
        gsci.signal.unit_impulse(shape, idx)


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "error"),
    [
        ("chirp", (1.0, 1.0, 2.0), {"method": "cubic"}, ValueError),
        ("chirp", (1.0, 1.0, 2.0), {"method": None}, ValueError),
        ("chirp", (0.0, 1.0, 2.0), {"method": "log"}, ValueError),
        ("chirp", (-1.0, 1.0, 2.0), {"method": "logarithmic"}, ValueError),
        ("chirp", (0.0, 1.0, 2.0), {"method": "hyp"}, ValueError),
        ("chirp", (1.0, 1.0, 0.0), {"method": "hyperbolic"}, ValueError),
        ("gausspulse", (), {"fc": -1}, ValueError),
        ("gausspulse", (), {"bw": 0}, ValueError),
        ("gausspulse", (), {"bwr": 0}, ValueError),
        ("sweep_poly", (3.0,), {}, TypeError),
        ("sweep_poly", ([[1.0, 2.0], [3.0, 4.0]],), {}, ValueError),
        ("sawtooth", (1j,), {}, TypeError),
        ("square", ("a",), {}, TypeError),
    ],
)
def test_bad_inputs_raise_like_scipy(xp, function, args, kwargs, error):
    t = np.linspace(0, 1, 5)
    with pytest.raises(error):
        getattr(scipy.signal, function)(t, *args, **kwargs)
    with pytest.raises(error):
        getattr(gsci.signal, function)(xp.asarray(t), *args, **kwargs)


@pytest.mark.parametrize("t", ["cut", "cutoff"])
def test_gausspulse_bad_strings_raise_like_scipy(t):
    for function in (scipy.signal.gausspulse, gsci.signal.gausspulse):
        with pytest.raises(ValueError):
            function(t, tpr=0 if t == "cutoff" else -60)


@pytest.mark.parametrize("function", ["sawtooth", "square"])
def test_boolean_and_complex_times_raise_like_scipy(xp, function):
    for t in (np.array([True, False]), np.array([1j, 2.0])):
        if xp.module == "array_api_strict" and t.dtype.kind == "c":
            t = t.astype(np.complex128)
        with pytest.raises(TypeError):
            getattr(scipy.signal, function)(t)
        with pytest.raises(TypeError):
            getattr(gsci.signal, function)(xp.asarray(t))


def test_read_only_and_negative_stride_times():
    t = np.linspace(-3, 9, 4 * _BLOCK + 17)
    t.flags.writeable = False
    reversed_t = t[::-1]
    for call in (
        lambda m, t: m.chirp(t, 1.0, 4.0, 3.0, method="quadratic"),
        lambda m, t: m.gausspulse(t, fc=2, retquad=True, retenv=True),
        lambda m, t: m.sawtooth(t, 0.4),
        lambda m, t: m.square(t, np.full(t.shape, 0.3)),
        lambda m, t: m.sweep_poly(t, [0.2, 1.0]),
    ):
        for view in (t, reversed_t, reversed_t[:40], t[:4096:3]):
            assert_matches(call(gsci.signal, view), call(scipy.signal, view), Library.named("numpy"))
        assert np.array_equal(t, np.linspace(-3, 9, 4 * _BLOCK + 17))


@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_many_samples_in_blocks(library):
    """Large inputs (gsci's blocked NumPy evaluation, torch CPU as NumPy views) equal SciPy's, N-d too."""
    xp = Library.named(library)
    t = np.linspace(-5, 30, 3 * (2 * _BLOCK + 5)).reshape(3, -1)
    for kwargs in CHIRPS:
        expected = scipy.signal.chirp(t, 1.0, 10.0, 4.0, **kwargs)
        got = gsci.signal.chirp(xp.asarray(t), 1.0, 10.0, 4.0, **kwargs)
        method, vertex_zero = kwargs.get("method", "linear"), kwargs.get("vertex_zero", True)
        phase = _chirp_phase(t, 1.0, 10.0, 4.0, method, vertex_zero)
        assert_matches(got, expected, xp, rtol=0, atol=rounding("float64", np.max(np.abs(phase))))
    expected = scipy.signal.gausspulse(t, fc=0.2, retquad=True, retenv=True)
    assert_matches(gsci.signal.gausspulse(xp.asarray(t), fc=0.2, retquad=True, retenv=True), expected, xp)
    expected = scipy.signal.sweep_poly(t, [0.01, 0.5])
    assert_matches(gsci.signal.sweep_poly(xp.asarray(t), [0.01, 0.5]), expected, xp)
    for function in ("sawtooth", "square"):
        expected = getattr(scipy.signal, function)(t, 0.7)
        assert_matches(getattr(gsci.signal, function)(xp.asarray(t), 0.7), expected, xp)


def test_torch_gradients():
    torch = pytest.importorskip("torch")
    t = torch.linspace(0.1, 2.9, 13, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(lambda t: gsci.signal.chirp(t, 1.0, 3.0, 2.0, method="quadratic"), (t,))
    torch.autograd.gradcheck(lambda t: gsci.signal.chirp(t, 1.0, 3.0, 2.0, method="log", complex=True), (t,))
    torch.autograd.gradcheck(lambda t: gsci.signal.gausspulse(t - 1.5, fc=1.0, retquad=True), (t,))
    torch.autograd.gradcheck(lambda t: gsci.signal.sawtooth(t, 0.5), (t,))
    poly = torch.tensor([0.3, -0.2, 1.0], dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(lambda t, p: gsci.signal.sweep_poly(t, p, phi=10), (t, poly))
    result = gsci.signal.chirp(t, 1.0, 3.0, 2.0)
    assert result.requires_grad
    assert_matches(result, scipy.signal.chirp(t.detach().numpy(), 1.0, 3.0, 2.0), Library.named("torch"))


def test_no_warnings_at_the_edges_of_width():
    import warnings

    t = np.linspace(-7, 7, 51)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for width in (0, 1, np.array([0.0, 1.0] * 25 + [0.5])):
            gsci.signal.sawtooth(t, width)
            gsci.signal.square(t, width)


@SETTINGS
@given(data=st.data())
def test_waveform_properties(xp, data):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    low = data.draw(st.floats(-1e3, 1e3), label="low")
    span = data.draw(st.floats(1e-3, 1e3), label="span")
    n = data.draw(st.integers(1, 40), label="n")
    t = np.linspace(low, low + span, n)
    f0 = data.draw(st.floats(0.1, 20), label="f0")
    f1 = data.draw(st.floats(0.1, 20), label="f1")
    t1 = data.draw(st.floats(0.5, 50), label="t1")
    method = data.draw(st.sampled_from(["linear", "quadratic", "logarithmic", "hyperbolic"]), label="method")
    phi = data.draw(st.floats(-360, 360), label="phi")
    vertex_zero = data.draw(st.booleans(), label="vertex_zero")
    with np.errstate(all="ignore"):
        expected = scipy.signal.chirp(t, f0, t1, f1, method, phi, vertex_zero)
        phase = _chirp_phase(t, f0, t1, f1, method, vertex_zero)
    finite = np.isfinite(phase)
    got = gsci.signal.chirp(xp.asarray(t), f0, t1, f1, method, phi, vertex_zero)
    scale = np.max(np.abs(phase[finite]), initial=1.0)
    if scale < 1e9:
        assert_matches(got, expected, xp, rtol=0, atol=rounding("float64", scale))
    width = data.draw(st.floats(-0.5, 1.5), label="width")
    assert_matches(gsci.signal.sawtooth(xp.asarray(t), width), scipy.signal.sawtooth(t, width), xp, atol=1e-9)
    assert_matches(gsci.signal.square(xp.asarray(t), width), scipy.signal.square(t, width), xp)
    fc = data.draw(st.floats(0.0, 5.0), label="fc")
    pulse_t = t / max(1.0, np.max(np.abs(t)))
    expected = scipy.signal.gausspulse(pulse_t, fc=fc, retquad=True, retenv=True) if fc > 0 else None
    if expected is not None:
        got = gsci.signal.gausspulse(xp.asarray(pulse_t), fc=fc, retquad=True, retenv=True)
        assert_matches(got, expected, xp)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    t = np.linspace(0, 1, 8)
    with pytest.raises(TypeError, match="t is numpy"):
        gsci.signal.sawtooth(t, torch.full((8,), 0.5, dtype=torch.float64))
    with pytest.raises(TypeError, match="t is numpy"):
        gsci.signal.sweep_poly(t, torch.tensor([1.0, 2.0]))
    result = gsci.signal.square(torch.asarray(t), np.full(8, 0.5))  # NumPy parameters move to t's library
    assert isinstance(result, torch.Tensor)
