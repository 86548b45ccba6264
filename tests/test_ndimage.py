"""gsci.ndimage.correlate1d, convolve1d and laplace against SciPy on NumPy copies."""

import functools

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, forbid_dask_compute
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci import ndimage

MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
FLOATS = ("float32", "float64")
WEIGHTS = np.array([0.5, -1.25, 2.0, 0.75])  # even length: the origin rule is asymmetric


def data(shape, dtype="float64", seed=0):
    values = np.random.default_rng(seed).standard_normal(shape) * 4
    return values.astype(dtype)


def float_atol(x, weights, dtype=np.float32):
    """Rounding bound of a weighted sum: float32 results are computed in float32 (SciPy: float64),
    and results that cancel to zero carry rounding of the order of the inputs, not of the result."""
    scale = float(np.abs(weights).sum()) * float(np.max(np.abs(x), initial=1.0))
    return 32 * float(np.finfo(dtype).eps) * scale


def check(actual, expected, xp, x, weights=(1.0, 2.0, 1.0)):
    inexact = np.issubdtype(expected.dtype, np.inexact)
    atol = float_atol(x, np.asarray(weights), expected.dtype) if inexact else None
    assert_matches(actual, expected, xp, atol=atol)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_correlate1d_matches_scipy(xp, mode, dtype):
    x = data((6, 5, 4), dtype)
    for axis, origin in [(0, -2), (1, 0), (-1, 1)]:
        kwargs = dict(axis=axis, mode=mode, cval=1.5, origin=origin)
        expected = scipy.ndimage.correlate1d(x, WEIGHTS, **kwargs)
        check(ndimage.correlate1d(xp.asarray(x), xp.asarray(WEIGHTS), **kwargs), expected, xp, x, WEIGHTS)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_convolve1d_matches_scipy(xp, mode, dtype):
    x = data((5, 7), dtype)
    for weights in (WEIGHTS, WEIGHTS[:3]):
        for origin in (-1, 0, 1):
            kwargs = dict(axis=0, mode=mode, cval=-0.5, origin=origin)
            expected = scipy.ndimage.convolve1d(x, weights, **kwargs)
            check(ndimage.convolve1d(xp.asarray(x), list(weights), **kwargs), expected, xp, x, weights)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_laplace_matches_scipy(xp, mode, dtype):
    x = data((6, 5, 4), dtype)
    expected = scipy.ndimage.laplace(x, mode=mode, cval=2.5)
    check(ndimage.laplace(xp.asarray(x), mode=mode, cval=2.5), expected, xp, x, [4.0] * 3)


def test_laplace_modes_per_axis_and_axes(xp):
    x = data((5, 6, 3))
    for axes, mode in [(None, ["wrap", "constant", "mirror"]), ((2, 0), ("nearest", "reflect")), (1, "wrap")]:
        expected = scipy.ndimage.laplace(x, mode=mode, cval=1.0, axes=axes)
        assert_matches(ndimage.laplace(xp.asarray(x), mode=mode, cval=1.0, axes=axes), expected, xp)
    assert_matches(ndimage.laplace(xp.asarray(x), axes=()), scipy.ndimage.laplace(x, axes=()), xp)


@pytest.mark.parametrize("shape", [(9,), (4, 5), (3, 4, 5), (2, 3, 4, 3)])
def test_every_rank_and_axis(xp, shape):
    x = data(shape)
    for axis in range(len(shape)):
        expected = scipy.ndimage.correlate1d(x, WEIGHTS, axis=axis, mode="mirror")
        assert_matches(
            ndimage.correlate1d(xp.asarray(x), xp.asarray(WEIGHTS), axis=axis, mode="mirror"), expected, xp
        )
    assert_matches(ndimage.laplace(xp.asarray(x), mode="wrap"), scipy.ndimage.laplace(x, mode="wrap"), xp)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("mode", MODES)
def test_lines_shorter_than_the_filter(mode, n):
    x = data((2, n))
    weights = np.arange(1.0, 8.0)
    for origin in (-3, 0, 3):
        expected = scipy.ndimage.correlate1d(x, weights, mode=mode, cval=9.0, origin=origin)
        assert_matches(
            ndimage.correlate1d(x, weights, mode=mode, cval=9.0, origin=origin),
            expected,
            Library.named("numpy"),
        )
    assert_matches(
        ndimage.laplace(x, mode=mode, cval=9.0),
        scipy.ndimage.laplace(x, mode=mode, cval=9.0),
        Library.named("numpy"),
    )


@pytest.mark.parametrize("dtype", ["int16", "uint8", "int32", "int64", "bool"])
def test_integer_and_bool_inputs_truncate_like_scipy(xp, dtype):
    x = data((5, 6), dtype)
    weights = [0.5, -0.75, 0.3]
    for mode in ("reflect", "constant"):
        expected = scipy.ndimage.correlate1d(x, weights, mode=mode, cval=0.5)
        assert_matches(
            ndimage.correlate1d(xp.asarray(x), weights, mode=mode, cval=0.5), expected, xp, rtol=0, atol=0
        )
        expected = scipy.ndimage.laplace(x, mode=mode, cval=0.5)
        assert_matches(ndimage.laplace(xp.asarray(x), mode=mode, cval=0.5), expected, xp, rtol=0, atol=0)


@pytest.mark.parametrize("output", ["float32", "float64", "int32", np.dtype("float32"), np.dtype("int8")])
def test_output_dtype(xp, output):
    x = data((4, 5), "float64")
    expected = scipy.ndimage.correlate1d(x, WEIGHTS, output=output)
    check(ndimage.correlate1d(xp.asarray(x), list(WEIGHTS), output=output), expected, xp, x, WEIGHTS)
    expected = scipy.ndimage.laplace(x, output=output)
    check(ndimage.laplace(xp.asarray(x), output=output), expected, xp, x, [4.0, 4.0])


def test_output_dtype_of_the_library(xp):
    x = data((4, 5))
    dtype = xp.dtype("float32")
    got = ndimage.laplace(xp.asarray(x), output=dtype)
    check(got, scipy.ndimage.laplace(x, output=np.float32), xp, x, [4.0, 4.0])


def test_output_given_as_a_numpy_scalar_type():
    x = data((4, 5))
    result = ndimage.correlate1d(x, WEIGHTS, output=np.float32)
    assert_matches(result, scipy.ndimage.correlate1d(x, WEIGHTS, output=np.float32), Library.named("numpy"))


@pytest.mark.parametrize("function", ["correlate1d", "laplace"])
def test_output_array_is_written_and_returned(xp, function):
    x = data((4, 5))
    arguments = {"weights": list(WEIGHTS)} if function == "correlate1d" else {}
    expected = getattr(scipy.ndimage, function)(x, **arguments, output=np.zeros((4, 5), np.float32))
    output = xp.asarray(np.zeros((4, 5), np.float32))
    result = getattr(ndimage, function)(xp.asarray(x), **arguments, output=output)
    check(result, expected, xp, x, WEIGHTS)
    if xp.module != "jax":  # JAX arrays are immutable: a new array is returned
        assert result is output
        check(output, expected, xp, x, WEIGHTS)


def test_complex_input_and_weights_like_scipy():
    numpy = Library.named("numpy")
    x = data((5, 4)) + 1j * data((5, 4), seed=1)
    real = data((5, 4))
    weights = np.array([1 + 2j, -0.5j, 0.25])
    cases = [
        (x, WEIGHTS, {}),
        (x, weights, {"mode": "constant", "cval": 1 - 2j}),
        (real, weights, {"origin": 1}),
        (x.astype(np.complex64), WEIGHTS, {}),
        (real.astype(np.float32), weights, {}),
        (real.astype(np.int32), weights, {}),
    ]
    for values, w, kwargs in cases:
        for function in (ndimage.correlate1d, ndimage.convolve1d):
            expected = getattr(scipy.ndimage, function.__name__)(values, w, **kwargs)
            check(function(values, w, **kwargs), expected, numpy, np.abs(values), w)
    check(
        ndimage.laplace(x, mode="constant", cval=1j),
        scipy.ndimage.laplace(x, mode="constant", cval=1j),
        numpy,
        x,
    )


@pytest.mark.parametrize("library", ["torch", "jax"])
def test_complex_input_other_libraries(library):
    pytest.importorskip(library)
    xp = Library.named(library)
    x = data((5, 4)) + 1j * data((5, 4), seed=1)
    weights = np.array([1 + 2j, -0.5j, 0.25])
    for values in (x, x.real):
        expected = scipy.ndimage.correlate1d(values, weights, mode="wrap")
        assert_matches(
            ndimage.correlate1d(xp.asarray(values), xp.asarray(weights), mode="wrap"), expected, xp
        )
        expected = scipy.ndimage.convolve1d(values, weights)
        assert_matches(ndimage.convolve1d(xp.asarray(values), xp.asarray(weights)), expected, xp)
    assert_matches(ndimage.laplace(xp.asarray(x)), scipy.ndimage.laplace(x), xp)


def test_complex_output_dtype_warns_and_refuses_like_scipy():
    x = data((4, 3)) + 1j
    with pytest.warns(UserWarning, match="promoting"):
        result = ndimage.correlate1d(x, WEIGHTS, output=np.dtype("float32"))
    assert result.dtype == np.complex64
    with pytest.raises(RuntimeError, match="complex"):
        ndimage.correlate1d(x, WEIGHTS, output="float64")
    with pytest.raises(RuntimeError, match="complex"):
        ndimage.laplace(x, output=np.dtype("float64"))
    with pytest.raises(RuntimeError):
        ndimage.correlate1d(x.real, WEIGHTS, output="complex128")


@pytest.mark.parametrize(
    ("function", "kwargs"),
    [
        ("correlate1d", {"weights": []}),
        ("correlate1d", {"weights": [[1.0, 2.0]]}),
        ("correlate1d", {"weights": [1.0, 2.0], "axis": 2}),
        ("correlate1d", {"weights": [1.0, 2.0], "axis": -3}),
        ("correlate1d", {"weights": [1.0, 2.0, 3.0], "origin": 2}),
        ("correlate1d", {"weights": [1.0, 2.0], "origin": -2}),
        ("correlate1d", {"weights": [1.0, 2.0, 3.0], "origin": 0.5}),
        ("correlate1d", {"weights": [1.0, 2.0], "mode": "unknown"}),
        ("correlate1d", {"weights": [1.0, 2.0], "mode": 3}),
        ("correlate1d", {"weights": [1.0, 2.0], "output": np.zeros(3)}),
        ("correlate1d", {"weights": [1.0, 2.0], "output": "bool"}),
        ("correlate1d", {"weights": [1.0, 2.0], "output": "float16"}),
        ("correlate1d", {"weights": [1.0, 2.0], "cval": 1j}),
        ("correlate1d", {"weights": [1.0, 2.0j], "cval": 1j}),
        ("convolve1d", {"weights": []}),
        ("convolve1d", {"weights": 3.0}),
        ("convolve1d", {"weights": [1.0, 2.0], "origin": 1}),
        ("laplace", {"axes": (0, 0)}),
        ("laplace", {"axes": (2,)}),
        ("laplace", {"axes": "ab"}),
        ("laplace", {"mode": ["wrap"]}),
        ("laplace", {"mode": "unknown"}),
        ("laplace", {"output": np.zeros((2, 2))}),
    ],
)
def test_bad_arguments_raise_like_scipy(function, kwargs):
    x = data((4, 5))
    with pytest.raises(Exception) as from_scipy:
        getattr(scipy.ndimage, function)(x, **kwargs)
    with pytest.raises(type(from_scipy.value)):
        getattr(ndimage, function)(x, **kwargs)


@pytest.mark.parametrize("dtype", ["float16", "longdouble"])
def test_unsupported_dtypes_raise_like_scipy(dtype):
    x = data((4, 5), dtype)
    for call in (
        lambda module: module.correlate1d(x, [1.0, 2.0]),
        lambda module: module.laplace(x),
    ):
        with pytest.raises(RuntimeError):
            call(scipy.ndimage)
        with pytest.raises(RuntimeError, match="not supported"):
            call(ndimage)


def test_zero_d_and_empty_inputs_like_scipy():
    numpy = Library.named("numpy")
    scalar = np.float64(3.0)
    assert_matches(ndimage.laplace(scalar), scipy.ndimage.laplace(scalar), numpy)
    with pytest.raises(np.exceptions.AxisError):
        ndimage.correlate1d(scalar, [1.0])
    empty = np.zeros((0, 3))
    assert_matches(
        ndimage.correlate1d(empty, [1.0, 2.0]), scipy.ndimage.correlate1d(empty, [1.0, 2.0]), numpy
    )
    assert_matches(ndimage.laplace(empty), scipy.ndimage.laplace(empty), numpy)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="different libraries"):
        ndimage.correlate1d(np.ones(5), torch.ones(3))
    with pytest.raises(TypeError, match="different libraries"):
        ndimage.laplace(np.ones(5), output=torch.zeros(5))


def test_inputs_are_untouched_read_only_and_strided():
    numpy = Library.named("numpy")
    base = data((8, 10))
    views = [base[::2, 1::3], base[::-1, ::-2], base.T]
    read_only = base.copy()
    read_only.flags.writeable = False
    weights = WEIGHTS[::-1]
    for x in (*views, read_only):
        before = x.copy()
        assert_matches(
            ndimage.correlate1d(x, weights, axis=0), scipy.ndimage.correlate1d(x, weights, axis=0), numpy
        )
        assert_matches(ndimage.convolve1d(x, weights), scipy.ndimage.convolve1d(x, weights), numpy)
        assert_matches(ndimage.laplace(x), scipy.ndimage.laplace(x), numpy)
        np.testing.assert_array_equal(x, before)


def test_torch_inputs_are_untouched():
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((6, 5)))
    before = x.clone()
    ndimage.laplace(x)
    ndimage.correlate1d(x[::2], torch.asarray(WEIGHTS), axis=0)
    assert torch.equal(x, before)


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_and_inf_like_scipy(xp, dtype):
    x = data((5, 6), dtype)
    x[1, 2], x[3, 0], x[4, 5] = np.nan, np.inf, -np.inf
    atol = 1e-5 if dtype == "float32" else 1e-12
    expected = scipy.ndimage.correlate1d(x, [1.0, 0.0, 2.0], axis=0)
    assert_matches(ndimage.correlate1d(xp.asarray(x), [1.0, 0.0, 2.0], axis=0), expected, xp, atol=atol)
    expected = scipy.ndimage.laplace(x, mode="constant", cval=np.inf)
    assert_matches(ndimage.laplace(xp.asarray(x), mode="constant", cval=np.inf), expected, xp, atol=atol)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    taps=st.integers(1, 9),
    mode=st.sampled_from(MODES),
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_correlate1d_property(shape, taps, mode, seed, data_):
    axis = data_.draw(st.integers(-len(shape), len(shape) - 1))
    origin = data_.draw(st.integers(-(taps // 2), (taps - 1) // 2))
    x = data(shape, seed=seed)
    weights = data(taps, seed=seed + 1)
    kwargs = dict(axis=axis, mode=mode, cval=0.25, origin=origin)
    numpy = Library.named("numpy")
    assert_matches(
        ndimage.correlate1d(x, weights, **kwargs), scipy.ndimage.correlate1d(x, weights, **kwargs), numpy
    )
    assert_matches(
        ndimage.convolve1d(x, weights, **kwargs), scipy.ndimage.convolve1d(x, weights, **kwargs), numpy
    )


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    modes=st.lists(st.sampled_from(MODES), min_size=4, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_laplace_property(shape, modes, seed):
    x = data(shape, seed=seed)
    modes = modes[: len(shape)]
    expected = scipy.ndimage.laplace(x, mode=modes, cval=-1.0)
    got = ndimage.laplace(x, mode=modes, cval=-1.0)
    check(got, expected, Library.named("numpy"), x, [1.0, -2.0, 1.0] * len(shape))


def test_native_path_under_jax_jit():
    jax = pytest.importorskip("jax")
    xp = Library.named("jax")
    x = data((6, 5))
    correlate = jax.jit(functools.partial(ndimage.correlate1d, axis=0, mode="mirror", origin=1))
    expected = scipy.ndimage.correlate1d(x, WEIGHTS, axis=0, mode="mirror", origin=1)
    assert_matches(correlate(xp.asarray(x), xp.asarray(WEIGHTS)), expected, xp)
    laplace = jax.jit(functools.partial(ndimage.laplace, mode=("wrap", "constant"), cval=2.0))
    assert_matches(laplace(xp.asarray(x)), scipy.ndimage.laplace(x, mode=("wrap", "constant"), cval=2.0), xp)


@pytest.mark.parametrize("taps", [1, 4, 11])
def test_dask_stays_lazy(taps):
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((9, 8, 5))
    weights = data(taps, seed=3)
    chunked = xp.asarray(x, chunks=(3, 4, 2))
    with forbid_dask_compute():
        results = [
            ndimage.correlate1d(chunked, list(weights), axis=axis, mode="wrap", origin=-(taps // 2))
            for axis in range(3)
        ]
        results.append(ndimage.correlate1d(chunked, xp.asarray(weights), axis=1, mode="constant", cval=3.0))
        results.append(ndimage.laplace(chunked, mode="mirror"))
    expected = [
        scipy.ndimage.correlate1d(x, weights, axis=axis, mode="wrap", origin=-(taps // 2))
        for axis in range(3)
    ]
    expected.append(scipy.ndimage.correlate1d(x, weights, axis=1, mode="constant", cval=3.0))
    expected.append(scipy.ndimage.laplace(x, mode="mirror"))
    for result, want in zip(results, expected, strict=True):
        assert_matches(result, want, xp)
    assert results[-1].chunks == chunked.chunks


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.gpu)])
def test_laplace_gradcheck(device):
    torch = pytest.importorskip("torch")
    for mode in ("reflect", "wrap", "constant", "mirror", "nearest"):
        x = torch.asarray(data((4, 5), seed=7), requires_grad=True, device=device)
        assert torch.autograd.gradcheck(lambda t, mode=mode: ndimage.laplace(t, mode=mode, cval=1.0), (x,))
    weights = torch.asarray(WEIGHTS, requires_grad=True, device=device)
    assert torch.autograd.gradcheck(lambda t, w: ndimage.correlate1d(t, w, axis=0), (x, weights))


def test_uint64_output_wraps_as_scipys_c_cast(xp):
    """Negative and overflowing results wrap and saturate in uint64 exactly as SciPy's C cast does."""
    image = np.array([[3, 2, 5, 1, 4], [5, 8, 3, 7, 1], [5, 6, 9, 3, 5]], dtype=np.uint64)
    once = scipy.ndimage.correlate1d(image, [-1.0, 0.0, 1.0], 0)  # negative: wraps to near 2^64
    twice = scipy.ndimage.correlate1d(once, [1.0, 2.0, 1.0], 1)  # beyond 2^64: 0
    got = ndimage.correlate1d(xp.asarray(image), [-1.0, 0.0, 1.0], 0)
    assert_matches(got, once, xp, rtol=0, atol=0)
    assert_matches(ndimage.correlate1d(got, [1.0, 2.0, 1.0], 1), twice, xp, rtol=0, atol=0)


def test_complex_cval_with_real_input_is_checked_before_the_weights_shape(xp):
    """SciPy's complex path rejects the cval first: 2-D complex weights give ValueError, not RuntimeError."""
    image, weights = xp.asarray(np.ones((2, 3))), xp.asarray(np.array([[1, 0], [0, 1 + 1j]]))
    for function in (ndimage.correlate1d, ndimage.convolve1d):
        with pytest.raises(ValueError):
            getattr(scipy.ndimage, function.__name__)(np.ones((2, 3)), [[1, 0], [0, 1 + 1j]], cval=5 + 1j)
        with pytest.raises(ValueError, match="complex-valued cval"):
            function(image, weights, mode="constant", cval=5.0 + 1.0j, output=xp.dtype("complex64"))
