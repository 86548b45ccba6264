"""gsci.signal.fftconvolve against scipy.signal.fftconvolve on every library."""

import functools

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, forbid_dask_compute, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gsci.signal import fftconvolve

MODES = ("full", "same", "valid")
DTYPES = ("float32", "float64", "complex64", "complex128")
_NUMPY = Library.named("numpy")


def random(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.standard_normal(shape)
    return values.astype(dtype)


def check(xp, a, b, mode="full", axes=None, **tolerance):
    expected = scipy.signal.fftconvolve(a, b, mode=mode, axes=axes)
    actual = fftconvolve(xp.asarray(a), xp.asarray(b), mode=mode, axes=axes)
    assert_matches(actual, expected, xp, **tolerance)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("shape1", "shape2", "dtype"),
    [
        ((50,), (7,), "float32"),
        ((6,), (31,), "complex128"),
        ((12, 9), (5, 4), "float64"),
        ((8, 10), (9, 3), "complex64"),
        ((6, 5, 4), (3, 2, 4), "float32"),
        ((5, 7, 6), (5, 3, 8), "float64"),
    ],
    ids=str,
)
def test_matches_scipy(xp, shape1, shape2, dtype, mode):
    a, b = random(shape1, dtype), random(shape2, dtype, seed=1)
    if mode == "valid" and not (
        np.all(np.less_equal(shape1, shape2)) or np.all(np.less_equal(shape2, shape1))
    ):
        with pytest.raises(ValueError, match="valid"):
            fftconvolve(xp.asarray(a), xp.asarray(b), mode=mode)
        return
    check(xp, a, b, mode)


@pytest.mark.parametrize(
    ("shape1", "shape2", "axes"),
    [
        ((4, 30), (4, 5), -1),
        ((4, 30), (1, 5), [1]),
        ((30, 3, 1), (6, 1, 2), 0),
        ((7, 8, 9), (3, 8, 4), (0, 2)),
        ((7, 8, 9), (3, 1, 4), [-1, 0]),
        ((5, 6), (5, 1), None),
    ],
    ids=str,
)
@pytest.mark.parametrize("mode", MODES)
def test_axes_and_broadcasting(xp, shape1, shape2, axes, mode):
    check(xp, random(shape1), random(shape2, seed=1), mode, axes)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("shape1", "shape2", "axes", "dtype"),
    [
        ((40_000,), (300,), None, "float32"),
        ((90,), (33_000,), None, "complex128"),
        ((2, 3, 34_000), (1, 3, 17), -1, "float64"),
        ((34_000, 2), (40, 1), 0, "complex64"),
    ],
    ids=str,
)
def test_long_by_short_matches_scipy(xp, shape1, shape2, axes, dtype, mode):
    """Long signals with short kernels take the overlap-add route."""
    check(xp, random(shape1, dtype), random(shape2, dtype, seed=1), mode, axes)


@pytest.mark.parametrize(
    ("dtype1", "dtype2"),
    [
        ("int64", "int64"),
        ("int32", "float32"),
        ("bool", "float64"),
        ("float32", "float64"),
        ("float32", "complex128"),
        ("float64", "complex64"),
    ],
)
def test_result_dtype_follows_scipy(xp, dtype1, dtype2):
    a = (random((9,)) * 3).astype(dtype1)
    b = (random((4,), seed=1) * 3).astype(dtype2)
    # A single-precision input is transformed in single precision, whatever the result's dtype.
    rtol = 2e-5 if {dtype1, dtype2} & {"float32", "complex64"} else None
    check(xp, a, b, rtol=rtol)
    check(xp, b, a, "same", rtol=rtol)


def test_float32_stays_float32_on_long_inputs(xp):
    actual = fftconvolve(xp.asarray(random(50_000, "float32")), xp.asarray(random(64, "float32")))
    assert actual.dtype == xp.dtype("float32")


def test_integers_multiply_without_fft_like_scipy(xp):
    """Where every convolved axis has length 1 in one input, SciPy multiplies and keeps integers."""
    a = np.arange(6).reshape(2, 3)
    check(xp, a, np.array([[2], [3]]), "same")
    check(xp, a, np.array([[2, 1, 3]]), "full", 0)


def test_scalars_and_python_sequences():
    two, three = np.float32(2.0), np.float32(3.0)
    assert_matches(fftconvolve(two, three), scipy.signal.fftconvolve(two, three), _NUMPY)
    expected = scipy.signal.fftconvolve([1, 2, 3], [0, 1, 0.5])
    assert_matches(fftconvolve([1, 2, 3], [0, 1, 0.5]), expected, _NUMPY)


@pytest.mark.parametrize(("shape1", "shape2"), [((0,), (3,)), ((4, 0), (2, 2)), ((3,), (0,))])
def test_empty_inputs_give_scipys_empty_result(xp, shape1, shape2):
    check(xp, np.ones(shape1), np.ones(shape2), "valid")


@pytest.mark.parametrize(
    ("shape1", "shape2", "mode", "axes", "match"),
    [
        ((5,), (3, 3), "full", None, "dimensionality"),
        ((5,), (3,), "middle", None, "mode"),
        ((5,), (3,), None, None, "mode"),
        ((5, 4), (3, 6), "valid", None, "valid"),
        ((5, 4), (3, 6), "full", 2, "exceeds"),
        ((5, 4), (3, 6), "full", -3, "exceeds"),
        ((5, 4), (3, 6), "full", [1, -1], "unique"),
        ((5, 4), (3, 6), "full", [], "empty"),
        ((5, 4), (3, 6), "full", 0, "incompatible"),
        ((5, 4), (3, 6), "full", 1.5, "integers"),
        ((5, 4), (3, 6), "full", "a", "integers"),
        ((5, 4), (3, 6), "full", [[0]], "integers"),
    ],
)
def test_bad_inputs_raise_like_scipy(xp, shape1, shape2, mode, axes, match):
    a, b = np.ones(shape1), np.ones(shape2)
    with pytest.raises(ValueError):
        scipy.signal.fftconvolve(a, b, mode=mode, axes=axes)
    with pytest.raises(ValueError, match=match):
        fftconvolve(xp.asarray(a), xp.asarray(b), mode=mode, axes=axes)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="in1 is numpy, in2 is torch"):
        fftconvolve(np.ones(5), torch.ones(3))


def test_numpy_inputs_are_untouched_and_views_work():
    a = random((40, 60))
    b = random((7, 5), seed=1)
    a_copy, b_copy = a.copy(), b.copy()
    a.flags.writeable = False
    b.flags.writeable = False
    for view_a, view_b in [(a, b), (a[::-1, ::2], b[:, ::-1]), (a.T, b.T)]:
        expected = scipy.signal.fftconvolve(view_a, view_b, mode="same")
        assert_matches(fftconvolve(view_a, view_b, mode="same"), expected, _NUMPY)
    long = random(40_000)[::-1]
    long.flags.writeable = False
    assert_matches(fftconvolve(long, b[0]), scipy.signal.fftconvolve(long, b[0]), _NUMPY)
    np.testing.assert_array_equal(a, a_copy)
    np.testing.assert_array_equal(b, b_copy)


def test_nan_and_inf_propagate_like_scipy():
    a = random(20)
    a[3], a[10] = np.nan, np.inf
    expected = scipy.signal.fftconvolve(a, random(4, seed=1))
    actual = fftconvolve(a, random(4, seed=1))
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("shape1", "shape2"), [((30, 20), (5, 3)), ((40_000,), (129,))], ids=str)
def test_jax_jit(mode, shape1, shape2):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    a, b = random(shape1), random(shape2, seed=1)
    native = functools.partial(fftconvolve.declaration.native, mode=mode, axes=None, xp=jax.numpy)
    actual = jax.jit(native)(jax.numpy.asarray(a), jax.numpy.asarray(b))
    np.testing.assert_allclose(np.asarray(actual), scipy.signal.fftconvolve(a, b, mode=mode), atol=1e-10)


@pytest.mark.parametrize(("shape2", "axes"), [((6, 17), None), ((1, 17), -1), ((6, 300), [0])], ids=str)
@pytest.mark.parametrize("mode", MODES)
def test_dask_stays_lazy(mode, shape2, axes):
    da = pytest.importorskip("dask.array")
    a, b = random((40, 300)), random(shape2, seed=1)
    with forbid_dask_compute():
        actual = fftconvolve(da.from_array(a, chunks=(10, 70)), da.from_array(b, chunks=(3, 5)), mode, axes)
    assert isinstance(actual, da.Array)
    expected = scipy.signal.fftconvolve(a, b, mode=mode, axes=axes)
    np.testing.assert_allclose(to_numpy(actual), expected, rtol=1e-11, atol=1e-11 * np.abs(expected).max())


@pytest.mark.parametrize(("shape1", "shape2"), [((9,), (4,)), ((4, 3), (2, 3)), ((2, 5), (1, 3))], ids=str)
def test_torch_gradcheck(shape1, shape2):
    torch = pytest.importorskip("torch")
    a = torch.asarray(random(shape1), requires_grad=True)
    b = torch.asarray(random(shape2, seed=1), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, y: fftconvolve(x, y, mode="same"), (a, b))


def test_torch_gradient_through_overlap_add():
    """Too long for gradcheck: the gradients of sum(w * (a conv b)) are w correlated with b and with a."""
    torch = pytest.importorskip("torch")
    a, b, w = random(40_000), random(300, seed=1), random(40_299, seed=2)
    ta, tb = torch.asarray(a, requires_grad=True), torch.asarray(b, requires_grad=True)
    (fftconvolve(ta, tb) * torch.asarray(w)).sum().backward()
    np.testing.assert_allclose(ta.grad.numpy(), scipy.signal.fftconvolve(w, b[::-1], "valid"), atol=1e-10)
    np.testing.assert_allclose(tb.grad.numpy(), scipy.signal.fftconvolve(w, a[::-1], "valid"), atol=1e-9)


@st.composite
def convolution_problems(draw):
    ndim = draw(st.integers(1, 3))
    shape1 = draw(hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=1, max_side=9))
    shape2 = tuple(draw(st.sampled_from([1, n, max(1, n - 3), n + 2])) for n in shape1)
    axes = draw(
        st.none()
        | st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim, unique_by=_axis_id(ndim))
    )
    mode = draw(st.sampled_from(MODES))
    return shape1, shape2, axes, mode


def _axis_id(ndim):
    return lambda axis: axis % ndim


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(problem=convolution_problems(), dtype=st.sampled_from(DTYPES))
def test_property_matches_scipy(xp, problem, dtype):
    shape1, shape2, axes, mode = problem
    a, b = random(shape1, dtype), random(shape2, dtype, seed=1)
    try:
        expected = scipy.signal.fftconvolve(a, b, mode=mode, axes=axes)
    except ValueError:
        with pytest.raises(ValueError):
            fftconvolve(xp.asarray(a), xp.asarray(b), mode=mode, axes=axes)
        return
    assert_matches(fftconvolve(xp.asarray(a), xp.asarray(b), mode=mode, axes=axes), expected, xp)


@pytest.mark.parametrize("dtype", [np.longdouble, np.clongdouble])
def test_numpy_extended_precision_keeps_its_dtype(dtype):
    a, b = np.arange(40).astype(dtype) / 7, np.arange(9).astype(dtype) / 3
    expected = scipy.signal.fftconvolve(a, b)
    got = fftconvolve(a, b)
    assert got.dtype == expected.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=1e-15)
