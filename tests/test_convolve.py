"""gsci.signal convolve, correlate, oaconvolve, choose_conv_method, correlation_lags, convolve2d and
correlate2d against SciPy on every library."""

import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gsci.signal import (
    choose_conv_method,
    convolve,
    convolve2d,
    correlate,
    correlate2d,
    correlation_lags,
    oaconvolve,
)

MODES = ("full", "same", "valid")
BOUNDARIES = ("fill", "wrap", "symm")
_NUMPY = Library.named("numpy")
_PAIRS = {"convolve": (convolve, scipy.signal.convolve), "correlate": (correlate, scipy.signal.correlate)}
_PAIRS_2D = {
    "convolve2d": (convolve2d, scipy.signal.convolve2d),
    "correlate2d": (correlate2d, scipy.signal.correlate2d),
}


def random(shape, dtype="float64", seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape) * scale
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.standard_normal(shape) * scale
    if np.dtype(dtype).kind in "iub":
        values = np.abs(values) if np.dtype(dtype).kind in "ub" else values
        return np.round(values).astype(dtype)
    return values.astype(dtype)


def as_xp(xp, a):
    """``a`` in ``xp``'s library; Dask with many uneven chunks in every axis."""
    if xp.module != "dask":
        return xp.asarray(a)
    chunks = tuple(_uneven_chunks(n) for n in a.shape)
    return xp.asarray(a, chunks=chunks)


def _uneven_chunks(n):
    sizes, pattern = [], (3, 7, 5, 17)
    while sum(sizes) < n:
        sizes.append(min(pattern[len(sizes) % 4], n - sum(sizes)))
    return tuple(sizes) or (0,)


def call(xp, function, *arrays, **options):
    """``function`` on ``arrays`` of ``xp``; under jax.jit for JAX, no compute allowed for Dask."""
    converted = [as_xp(xp, a) for a in arrays]
    if xp.module == "dask":
        with forbid_dask_compute():
            return function(*converted, **options)
    if xp.module == "jax":
        return compiled(lambda *args, **kw: function(*args, **kw), xp, **options)(*converted)
    return function(*converted, **options)


def tolerance_for(dtype, method):
    if np.dtype(dtype).kind in "iub" and method == "direct":
        return {"rtol": 0, "atol": 0}
    return {}


SHAPES = [
    ((50,), (7,)),
    ((6,), (31,)),
    ((64,), (64,)),
    ((12, 9), (5, 4)),
    ((8, 10), (9, 3)),
    ((4, 6), (7, 8)),
    ((6, 5, 4), (3, 2, 4)),
]


@pytest.mark.parametrize("method", ["direct", "fft", "auto"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("shape1", "shape2"), SHAPES, ids=str)
@pytest.mark.parametrize("name", _PAIRS)
def test_matches_scipy(xp, name, shape1, shape2, mode, method):
    ours, scipys = _PAIRS[name]
    a, b = random(shape1), random(shape2, seed=1)
    try:
        expected = scipys(a, b, mode, method)
    except ValueError:
        with pytest.raises(ValueError, match="valid"):
            call(xp, ours, a, b, mode=mode, method=method)
        return
    assert_matches(call(xp, ours, a, b, mode=mode, method=method), expected, xp)


@pytest.mark.parametrize("method", ["direct", "fft"])
@pytest.mark.parametrize(
    ("dtype1", "dtype2"),
    [
        ("int16", "int16"),
        ("int8", "int8"),
        ("uint8", "int8"),
        ("int64", "int32"),
        ("bool", "int8"),
        ("float32", "float32"),
        ("float32", "float64"),
        ("int16", "float32"),
        ("complex64", "complex64"),
        ("float64", "complex128"),
    ],
)
@pytest.mark.parametrize("name", _PAIRS)
def test_dtypes_follow_scipy(xp, name, dtype1, dtype2, method):
    """Direct keeps integers exactly (narrow ones wrap, as NumPy's); FFT rounds them."""
    ours, scipys = _PAIRS[name]
    a, b = random((40,), dtype1, scale=30), random((9,), dtype2, seed=1, scale=30)
    expected = scipys(a, b, "full", method)
    rtol = 2e-5 if {dtype1, dtype2} & {"float32", "complex64"} else None
    tolerance = tolerance_for(expected.dtype, method) or {"rtol": rtol}
    assert_matches(
        call(xp, ours, a, b, mode="same", method=method), scipys(a, b, "same", method), xp, **tolerance
    )
    assert_matches(call(xp, ours, a, b, method=method), expected, xp, **tolerance)


@pytest.mark.parametrize("name", _PAIRS)
def test_integers_exact_in_n_dimensions(xp, name):
    ours, scipys = _PAIRS[name]
    a, b = random((9, 7), "int64", scale=1e5), random((3, 4), "int64", seed=1, scale=1e5)
    for mode in MODES:
        assert_matches(call(xp, ours, a, b, mode=mode), scipys(a, b, mode), xp, rtol=0, atol=0)


def test_bool_one_dimension_like_numpy(xp):
    a, b = random((30,), "bool"), random((5,), "bool", seed=1)
    for mode in MODES:
        expected = scipy.signal.convolve(a, b, mode, "direct")
        assert_matches(call(xp, convolve, a, b, mode=mode, method="direct"), expected, xp)


def test_direct_refuses_nd_bool_and_float16_like_scipy():
    for dtype in ("bool", "float16"):
        a = np.ones((3, 3), dtype)
        with pytest.raises(ValueError):
            scipy.signal.convolve(a, a, method="direct")
        with pytest.raises(ValueError, match="Unsupported"):
            convolve(a, a, method="direct")


def test_tiny_weights_are_not_dropped():
    """Unlike ndimage's footprint, signal's direct method uses every tap, however small."""
    a, b = random(100), random(5, seed=1) * 1e-20
    assert_matches(convolve(a, b, method="direct"), scipy.signal.convolve(a, b, method="direct"), _NUMPY)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", ["direct", "fft"])
def test_long_inputs(mode, method):
    a, b = random(2**15 + 7), random(129, seed=1)
    for ours, scipys in _PAIRS.values():
        assert_matches(ours(a, b, mode, method), scipys(a, b, mode, method), _NUMPY)


def test_zero_dimensional_and_scalars():
    for ours, scipys in _PAIRS.values():
        a, b = np.float32(2.0), np.complex64(3 - 1j)
        assert_matches(ours(a, b), scipys(a, b), _NUMPY)
        assert_matches(ours([1, 2, 3], [0, 1, 0.5]), scipys([1, 2, 3], [0, 1, 0.5]), _NUMPY)


def test_empty_same_keeps_in1_shape():
    expected = scipy.signal.convolve(np.zeros((0,)), np.ones(3), "same")
    assert_matches(convolve(np.zeros((0,)), np.ones(3), "same"), expected, _NUMPY)


@pytest.mark.parametrize(("shape1", "shape2"), [((0,), (3,)), ((3,), (0,))])
@pytest.mark.parametrize("name", _PAIRS)
def test_empty_inputs_raise_value_error(xp, name, shape1, shape2):
    ours, scipys = _PAIRS[name]
    with pytest.raises(ValueError):
        scipys(np.ones(shape1), np.ones(shape2), "full", "direct")
    with pytest.raises(ValueError, match="empty"):
        ours(xp.asarray(np.ones(shape1)), xp.asarray(np.ones(shape2)))


@pytest.mark.parametrize(
    ("a", "b", "options"),
    [
        (np.ones(3), np.ones((2, 2)), {}),
        (np.ones(3), np.ones(2), {"mode": "middle"}),
        (np.ones(3), np.ones(2), {"method": "slow"}),
        (np.ones((3, 2)), np.ones((2, 3)), {"mode": "valid"}),
    ],
    ids=["ndim", "mode", "method", "valid"],
)
@pytest.mark.parametrize("name", _PAIRS)
def test_bad_inputs_raise_like_scipy(xp, name, a, b, options):
    ours, scipys = _PAIRS[name]
    with pytest.raises(ValueError):
        scipys(a, b, **options)
    with pytest.raises(ValueError):
        ours(xp.asarray(a), xp.asarray(b), **options)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="in1 is numpy, in2 is torch"):
        convolve(np.ones(5), torch.ones(3))


def test_numpy_inputs_untouched_and_views():
    a, b = random((40, 60)), random((7, 5), seed=1)
    a_copy, b_copy = a.copy(), b.copy()
    a.flags.writeable = b.flags.writeable = False
    for view_a, view_b in [(a, b), (a[::-1, ::2], b[:, ::-1]), (a.T, b.T)]:
        for ours, scipys in (*_PAIRS.values(), *_PAIRS_2D.values()):
            assert_matches(ours(view_a, view_b, "same"), scipys(view_a, view_b, "same"), _NUMPY)
    np.testing.assert_array_equal(a, a_copy)
    np.testing.assert_array_equal(b, b_copy)


def test_fft_warns_about_nan_like_scipy():
    a = random(20)
    a[0] = np.nan
    with pytest.warns(RuntimeWarning, match="NAN or inf"):
        scipy.signal.convolve(a, np.ones(3), method="fft")
    with pytest.warns(RuntimeWarning, match="NAN or inf"):
        convolve(a, np.ones(3), method="fft")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        actual = convolve(a, np.ones(3), method="direct")
    np.testing.assert_array_equal(
        np.isnan(actual), np.isnan(scipy.signal.convolve(a, np.ones(3), method="direct"))
    )


@pytest.mark.parametrize("method", ["direct", "fft"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", _PAIRS)
def test_dask_keeps_chunks(name, mode, method):
    da = pytest.importorskip("dask.array")
    ours, scipys = _PAIRS[name]
    a, b = random((37, 61), "complex128"), random((5, 8), "complex128", seed=1)
    x = da.from_array(a, chunks=((3, 7, 5, 17, 5), (13, 7, 20, 21)))
    with forbid_dask_compute():
        actual = ours(x, da.from_array(b, chunks=(2, 3)), mode, method)
    assert isinstance(actual, da.Array)
    assert all(len(c) > 1 for c in actual.chunks)
    if mode == "same":
        assert actual.chunks == x.chunks
    assert_matches(actual, scipys(a, b, mode, method), Library.named("dask"))


@pytest.mark.parametrize(("shape1", "shape2"), [((9,), (4,)), ((4, 5), (2, 3))], ids=str)
@pytest.mark.parametrize("method", ["direct", "fft"])
@pytest.mark.parametrize("name", _PAIRS)
def test_torch_gradcheck(name, shape1, shape2, method):
    torch = pytest.importorskip("torch")
    ours, _ = _PAIRS[name]
    a = torch.asarray(random(shape1), requires_grad=True)
    b = torch.asarray(random(shape2, seed=1), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, y: ours(x, y, mode="same", method=method), (a, b))


@st.composite
def problems(draw):
    ndim = draw(st.integers(1, 3))
    shape1 = tuple(draw(st.integers(1, 12)) for _ in range(ndim))
    shape2 = tuple(draw(st.sampled_from([1, n, max(1, n - 3), n + 2])) for n in shape1)
    return shape1, shape2, draw(st.sampled_from(MODES)), draw(st.sampled_from(["direct", "fft"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(problem=problems(), name=st.sampled_from(sorted(_PAIRS)), dtype=st.sampled_from(["float64", "int32"]))
def test_property_matches_scipy(xp, problem, name, dtype):
    shape1, shape2, mode, method = problem
    ours, scipys = _PAIRS[name]
    a, b = random(shape1, dtype, scale=9), random(shape2, dtype, seed=1, scale=9)
    try:
        expected = scipys(a, b, mode, method)
    except ValueError:
        with pytest.raises(ValueError):
            call(xp, ours, a, b, mode=mode, method=method)
        return
    tolerance = tolerance_for(expected.dtype, method)
    assert_matches(call(xp, ours, a, b, mode=mode, method=method), expected, xp, **tolerance)


# --- choose_conv_method ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape1", "shape2", "kernel_expects", "elsewhere_expects"),
    [
        ((2**20,), (4096,), "fft", "fft"),
        ((2**16,), (64,), "direct", "fft"),
        ((1000,), (3,), "direct", "direct"),
        ((512, 512), (64, 64), "fft", "fft"),
        ((512, 512), (5, 5), "direct", "direct"),
    ],
    ids=str,
)
def test_choose_conv_method_follows_the_cost_model(xp, shape1, shape2, kernel_expects, elsewhere_expects):
    """NumPy, torch CPU and Dask blocks run the Numba kernel: cheaper direct sums than one pass per tap."""
    a, b = xp.asarray(np.ones(shape1)), xp.asarray(np.ones(shape2))
    kernel = xp.module in ("numpy", "torch", "dask")
    assert choose_conv_method(a, b) == (kernel_expects if kernel else elsewhere_expects)


def test_choose_conv_method_keeps_integers_exact_like_scipy():
    big = np.array([2**40, 1], dtype=np.int64)
    assert scipy.signal.choose_conv_method(big, big) == "direct"
    assert choose_conv_method(big, big) == "direct"
    assert choose_conv_method(np.ones(2**20, bool), np.ones(4096, bool)) == "direct"
    assert choose_conv_method(np.ones(2**20, np.int16), np.ones(4096, np.int16)) == "fft"


def test_choose_conv_method_integers_elsewhere_from_dtype_ranges():
    torch = pytest.importorskip("torch")
    long = torch.ones(2**20, dtype=torch.int64)
    assert choose_conv_method(long, long[:4096]) == "direct"
    short = torch.ones(2**20, dtype=torch.int8)
    assert choose_conv_method(short, short[:4096]) == "fft"


def test_choose_conv_method_measures():
    a, b = random(500), random(20, seed=1)
    method, times = choose_conv_method(a, b, measure=True)
    assert set(times) == {"fft", "direct"} and all(t > 0 for t in times.values())
    assert method == min(times, key=times.get)


def test_choose_conv_method_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        choose_conv_method(np.ones(4), np.ones(3), mode="middle")


# --- correlation_lags -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("n1", "n2"), [(10, 3), (3, 10), (7, 7), (8, 3), (1, 5)])
def test_correlation_lags_matches_scipy(n1, n2, mode):
    expected = scipy.signal.correlation_lags(n1, n2, mode)
    np.testing.assert_array_equal(correlation_lags(n1, n2, mode), expected)
    assert correlation_lags(n1, n2, mode).dtype == expected.dtype


def test_correlation_lags_bad_mode():
    with pytest.raises(ValueError, match="Mode asdfgh is invalid"):
        correlation_lags(100, 100, mode="asdfgh")


# --- oaconvolve -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("shape1", "shape2", "axes", "dtype"),
    [
        ((3000,), (40,), None, "float64"),
        ((40_000,), (300,), None, "float32"),
        ((20, 30), (5, 4), None, "complex128"),
        ((2, 3, 3000), (1, 3, 17), -1, "float64"),
        ((7, 8, 9), (3, 8, 4), (0, 2), "float64"),
        ((5,), (5,), None, "int32"),
    ],
    ids=str,
)
def test_oaconvolve_matches_scipy(xp, shape1, shape2, axes, dtype, mode):
    a, b = random(shape1, dtype, scale=5), random(shape2, dtype, seed=1, scale=5)
    expected = scipy.signal.oaconvolve(a, b, mode=mode, axes=axes)
    assert_matches(call(xp, oaconvolve, a, b, mode=mode, axes=axes), expected, xp)


def test_oaconvolve_errors_and_edges_like_scipy():
    assert_matches(
        oaconvolve(np.ones(0), np.ones(3)), scipy.signal.oaconvolve(np.ones(0), np.ones(3)), _NUMPY
    )
    assert_matches(oaconvolve(np.float64(2), np.float64(3)), scipy.signal.oaconvolve(2.0, 3.0), _NUMPY)
    for args in [(np.ones(3), np.ones((2, 2))), (np.ones((3, 2)), np.ones((2, 3)), "valid")]:
        with pytest.raises(ValueError):
            scipy.signal.oaconvolve(*args)
        with pytest.raises(ValueError):
            oaconvolve(*args)


def test_oaconvolve_dask_keeps_chunks():
    da = pytest.importorskip("dask.array")
    a, b = random((300, 41)), random((9, 4), seed=1)
    x = da.from_array(a, chunks=((30, 70, 50, 150), (13, 28)))
    for mode in MODES:
        with forbid_dask_compute():
            actual = oaconvolve(x, da.from_array(b), mode)
        assert len(actual.chunks[0]) > 1
        assert_matches(actual, scipy.signal.oaconvolve(a, b, mode), Library.named("dask"))


# --- convolve2d / correlate2d ---------------------------------------------------------------------


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("shape1", "shape2"), [((7, 9), (3, 4)), ((6, 5), (4, 2)), ((3, 4), (6, 6)), ((1, 4), (1, 21))], ids=str
)
@pytest.mark.parametrize("name", _PAIRS_2D)
def test_2d_matches_scipy(xp, name, shape1, shape2, mode, boundary):
    ours, scipys = _PAIRS_2D[name]
    a, b = random(shape1, "complex128"), random(shape2, "complex128", seed=1)
    fill = 1.5 - 0.5j if boundary == "fill" else 0
    expected = scipys(a, b, mode, boundary, fill)
    assert_matches(call(xp, ours, a, b, mode=mode, boundary=boundary, fillvalue=fill), expected, xp)


@pytest.mark.parametrize("dtype", ["int16", "uint8", "int64", "float32", "float64"])
@pytest.mark.parametrize("name", _PAIRS_2D)
def test_2d_dtypes_follow_scipy(xp, name, dtype):
    ours, scipys = _PAIRS_2D[name]
    a, b = random((12, 10), dtype, scale=40), random((3, 5), dtype, seed=1, scale=40)
    for mode, boundary, fill in [("full", "fill", 2.7), ("same", "wrap", 0), ("valid", "symm", 0)]:
        expected = scipys(a, b, mode, boundary, fill)
        actual = call(xp, ours, a, b, mode=mode, boundary=boundary, fillvalue=fill)
        assert_matches(actual, expected, xp, **tolerance_for(dtype, "direct"))


@pytest.mark.parametrize(
    ("a", "b", "options", "match"),
    [
        (np.ones(3), np.ones((2, 2)), {}, "2-D"),
        (np.ones((3, 3)), np.ones((2, 2)), {"boundary": "reflect"}, "boundary"),
        (np.ones((3, 3)), np.ones((2, 2)), {"boundary": "edge"}, "boundary"),
        (np.ones((3, 3)), np.ones((2, 2)), {"mode": "middle"}, "mode"),
        (np.ones((3, 2)), np.ones((2, 3)), {"mode": "valid"}, "valid"),
        (np.ones((1, 1)), np.ones((1, 2)), {"fillvalue": 1j}, "fillvalue"),
        (np.ones((1, 1)), np.ones((1, 2)), {"fillvalue": [1, 2]}, "fillvalue"),
        (np.ones((1, 1)), np.ones((1, 2)), {"fillvalue": []}, "fillvalue"),
        (np.ones((3, 3), bool), np.ones((2, 2), bool), {}, "type"),
    ],
    ids=[
        "ndim",
        "reflect",
        "boundary",
        "mode",
        "valid",
        "complex-fill",
        "fill-sequence",
        "fill-empty",
        "bool",
    ],
)
@pytest.mark.parametrize("name", _PAIRS_2D)
def test_2d_bad_inputs_raise_like_scipy(xp, name, a, b, options, match):
    ours, scipys = _PAIRS_2D[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        with pytest.raises(ValueError):
            scipys(a, b, **options)
    with pytest.raises(ValueError, match=match):
        ours(xp.asarray(a), xp.asarray(b), **options)


@pytest.mark.parametrize("name", _PAIRS_2D)
def test_2d_torch_gradcheck(name):
    torch = pytest.importorskip("torch")
    ours, _ = _PAIRS_2D[name]
    a = torch.asarray(random((5, 6)), requires_grad=True)
    b = torch.asarray(random((2, 3), seed=1), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, y: ours(x, y, "same", "symm"), (a, b))


def test_2d_large_image_uses_the_kernel_like_scipy():
    a, b = random((200, 300)), random((5, 5), seed=1)
    for ours, scipys in _PAIRS_2D.values():
        for boundary in BOUNDARIES:
            assert_matches(ours(a, b, "same", boundary), scipys(a, b, "same", boundary), _NUMPY)


def test_kernel_compiles_once_per_dtype():
    from gsci.kernels import convolve_cpu

    convolve(random(300), random(7), method="direct")
    before = len(convolve_cpu._valid_rows_serially.signatures) + len(convolve_cpu._valid_rows.signatures)
    for n, k in [(500, 3), (2000, 33), (70, 70)]:
        convolve(random(n), random(k), method="direct")
        convolve2d(random((n // 10, 9)), random((3, 2)))
    after = len(convolve_cpu._valid_rows_serially.signatures) + len(convolve_cpu._valid_rows.signatures)
    assert after <= before + 1  # at most the other launcher (serial or parallel) for float64
