"""The separable ndimage filters (uniform, gaussian, sobel, prewitt, their generic and derivative
forms) against SciPy on NumPy copies, on every library."""

import functools
import textwrap

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, forbid_dask_compute, run_in_simulator
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci import ndimage

MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
INTEGERS = ("uint8", "int16", "int32", "int64")

# (function, positional arguments after input, keyword arguments)
CASES = [
    ("uniform_filter1d", (5,), dict(axis=0, mode="mirror", origin=1)),
    ("uniform_filter1d", (4,), dict(axis=-1, mode="constant", cval=2.5, origin=-2)),
    ("uniform_filter", (), dict(size=(3, 5), mode=("wrap", "nearest"), origin=(0, 1))),
    ("uniform_filter", (), dict(size=4, mode="grid-wrap")),
    ("gaussian_filter1d", (1.5,), dict(axis=0, order=1)),
    ("gaussian_filter1d", (0.8,), dict(order=3, mode="grid-constant", cval=-1.0, truncate=2.0)),
    ("gaussian_filter", (2.0,), dict(order=(0, 2), mode=("constant", "mirror"), cval=1.0)),
    ("gaussian_filter", ((1.0, 0.0),), dict(radius=3)),
    ("gaussian_filter", (0.7,), dict(radius=(2,), axes=(1,))),
    ("sobel", (), dict(axis=0)),
    ("sobel", (), dict(axis=-1, mode=("wrap", "constant"), cval=3.0)),
    ("prewitt", (), dict(axis=1, mode="nearest")),
    ("gaussian_laplace", (1.3,), dict()),
    ("gaussian_laplace", ((1.0, 2.0),), dict(mode=("reflect", "wrap"), truncate=3.0)),
    ("gaussian_gradient_magnitude", (1.3,), dict(mode="mirror")),
    ("gaussian_gradient_magnitude", (0.9,), dict(radius=2)),
]


def data(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iub":
        return rng.integers(0, 120, shape).astype(dtype)
    return (rng.standard_normal(shape) * 4).astype(dtype)


def tolerance(expected):
    """float32 computes in float32 (SciPy: float64): a bound of the order of the inputs' scale."""
    if expected.dtype == np.float32:
        return dict(rtol=1e-5, atol=1e-4 * max(1.0, float(np.abs(expected).max())))
    if expected.dtype.kind in "iub":
        return dict(rtol=0, atol=0)
    return dict(rtol=1e-10, atol=1e-10 * max(1.0, float(np.abs(expected).max())))


def chunked(xp, x, chunks):
    return xp.asarray(x, chunks=chunks) if xp.name == "dask" else xp.asarray(x)


def case_id(case):
    name, args, kwargs = case
    return f"{name}{args}{kwargs}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("dtype", ["float64", "float32", "uint8", "int16"])
def test_matches_scipy(xp, case, dtype):
    name, args, kwargs = case
    x = data((19, 23), dtype)
    expected = getattr(scipy.ndimage, name)(x, *args, **kwargs)
    result = getattr(ndimage, name)(chunked(xp, x, (5, 9)), *args, **kwargs)
    assert_matches(result, expected, xp, **tolerance(expected))


@pytest.mark.parametrize("mode", MODES)
def test_every_mode(xp, mode):
    x = data((9, 8))
    for name, args, kwargs in [
        ("uniform_filter1d", (4,), dict(axis=0, origin=1)),
        ("gaussian_filter", (1.2,), {}),
        ("sobel", (), dict(axis=1)),
        ("prewitt", (), dict(axis=0)),
    ]:
        expected = getattr(scipy.ndimage, name)(x, *args, mode=mode, cval=0.5, **kwargs)
        result = getattr(ndimage, name)(xp.asarray(x), *args, mode=mode, cval=0.5, **kwargs)
        assert_matches(result, expected, xp, **tolerance(expected))


@pytest.mark.parametrize("shape", [(11,), (6, 5, 4), (3, 4, 3, 5)])
def test_every_rank(xp, shape):
    x = data(shape, seed=2)
    for name, args in [("uniform_filter", ()), ("gaussian_filter", (1.0,)), ("sobel", ()), ("prewitt", ())]:
        expected = getattr(scipy.ndimage, name)(x, *args)
        assert_matches(getattr(ndimage, name)(xp.asarray(x), *args), expected, xp, **tolerance(expected))
    for axis in range(len(shape)):
        expected = scipy.ndimage.uniform_filter1d(x, 3, axis=axis)
        assert_matches(ndimage.uniform_filter1d(xp.asarray(x), 3, axis=axis), expected, xp)


@pytest.mark.parametrize("dtype", INTEGERS)
def test_integer_means_are_exact_as_in_scipy(xp, dtype):
    """SciPy divides an exact running sum: integer outputs truncate the exact means."""
    x = data((40, 33), dtype, seed=5)
    for size, axis in [(3, 0), (5, 1), (7, 0)]:
        expected = scipy.ndimage.uniform_filter1d(x, size, axis=axis, mode="mirror")
        assert_matches(ndimage.uniform_filter1d(xp.asarray(x), size, axis=axis, mode="mirror"), expected, xp)
    expected = scipy.ndimage.uniform_filter(x, (3, 4))
    assert_matches(ndimage.uniform_filter(xp.asarray(x), (3, 4)), expected, xp)


def test_intermediate_results_are_stored_in_the_output_dtype(xp):
    """SciPy's chained passes write into the output array: an 8-bit output wraps after each pass."""
    x = data((12, 10), "uint8", seed=3)
    chains = [("sobel", ()), ("prewitt", ()), ("gaussian_filter", ((1.0, 2.0),)), ("uniform_filter", (3,))]
    for name, args in chains:
        expected = getattr(scipy.ndimage, name)(x, *args)
        assert_matches(getattr(ndimage, name)(xp.asarray(x), *args), expected, xp)
        expected = getattr(scipy.ndimage, name)(x, *args, output=np.float32)
        result = getattr(ndimage, name)(xp.asarray(x), *args, output=np.float32)
        assert_matches(result, expected, xp, **tolerance(expected))


@pytest.mark.parametrize("output", ["float32", "float64", "int32", "uint8"])
def test_output_dtype_and_array(xp, output):
    x = data((8, 9), seed=4)
    expected = scipy.ndimage.gaussian_gradient_magnitude(x, 1.0, output=output)
    result = ndimage.gaussian_gradient_magnitude(xp.asarray(x), 1.0, output=output)
    assert_matches(result, expected, xp, **tolerance(expected))
    if xp.name in ("numpy", "torch"):
        out = xp.asarray(np.zeros((8, 9), dtype=output))
        assert ndimage.uniform_filter(xp.asarray(x), 3, output=out) is out
        expected = scipy.ndimage.uniform_filter(x, 3, output=output)
        assert_matches(out, expected, xp, **tolerance(expected))


def test_complex_input_like_scipy(xp):
    if xp.name == "array_api_strict":
        pytest.skip("array-api-strict's complex arithmetic is covered by the NumPy path of test_ndimage")
    x = data((7, 6)) + 1j * data((7, 6), seed=9)
    for name, args, kwargs in [
        ("uniform_filter1d", (3,), dict(cval=1 + 2j, mode="constant")),
        ("uniform_filter", (), dict(size=(2, 3))),
        ("gaussian_filter", (1.0,), {}),
        ("sobel", (), {}),
    ]:
        expected = getattr(scipy.ndimage, name)(x, *args, **kwargs)
        assert_matches(getattr(ndimage, name)(xp.asarray(x), *args, **kwargs), expected, xp)


def second_difference(library):
    def derivative2(x, axis, output, mode, cval, scale=1.0):
        return library.correlate1d(x, [scale, -2.0 * scale, scale], axis, output, mode, cval)

    return derivative2


def test_generic_filters_call_the_derivative_per_axis(xp):
    x = data((9, 7))
    expected = scipy.ndimage.generic_laplace(
        x, second_difference(scipy.ndimage), mode=("wrap", "mirror"), extra_keywords={"scale": 0.5}
    )
    result = ndimage.generic_laplace(
        xp.asarray(x), second_difference(ndimage), mode=("wrap", "mirror"), extra_keywords={"scale": 0.5}
    )
    assert_matches(result, expected, xp)
    expected = scipy.ndimage.generic_gradient_magnitude(x, scipy.ndimage.sobel, axes=(1,))
    assert_matches(ndimage.generic_gradient_magnitude(xp.asarray(x), ndimage.sobel, axes=(1,)), expected, xp)
    ints = data((9, 7), "int16")
    expected = scipy.ndimage.generic_gradient_magnitude(ints, scipy.ndimage.prewitt)
    assert_matches(ndimage.generic_gradient_magnitude(xp.asarray(ints), ndimage.prewitt), expected, xp)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int32"])
def test_gradient_magnitude_square_root_in_numpys_float_for_the_dtype(dtype):
    """np.sqrt takes 8-bit integers in float16 and 16-bit ones in float32; SciPy casts that back."""
    x = data((30, 30), dtype, seed=11)
    expected = scipy.ndimage.generic_gradient_magnitude(x, scipy.ndimage.sobel)
    assert_matches(ndimage.generic_gradient_magnitude(x, ndimage.sobel), expected, Library.named("numpy"))


@pytest.mark.parametrize(
    "function, args, kwargs",
    [
        ("uniform_filter1d", (0,), {}),
        ("uniform_filter1d", (3,), dict(origin=2)),
        ("uniform_filter1d", (4,), dict(origin=-3)),
        ("uniform_filter1d", (3,), dict(mode="bogus")),
        ("uniform_filter1d", (3,), dict(axis=2)),
        ("uniform_filter", (), dict(size=(3, 3, 3))),
        ("gaussian_filter1d", (-1.0,), {}),
        ("gaussian_filter1d", (1.0,), dict(order=-1)),
        ("gaussian_filter1d", (1.0,), dict(radius=-2)),
        ("gaussian_filter1d", (1.0,), dict(radius=1.5)),
        ("gaussian_filter", ((1.0, 2.0, 3.0),), {}),
        ("gaussian_filter", (1.0,), dict(mode=("wrap",))),
        ("gaussian_filter", (1.0,), dict(axes=(0, 0))),
        ("sobel", (), dict(axis=3)),
        ("prewitt", (), dict(mode=("wrap", "reflect", "nearest"))),
        ("gaussian_laplace", ((1.0, 2.0, 3.0),), {}),
        ("uniform_filter", (3,), dict(output="complex128")),
        ("gaussian_filter", (1.0,), dict(cval=1j, mode="constant")),
    ],
)
def test_bad_arguments_raise_like_scipy(xp, function, args, kwargs):
    x = data((5, 6))
    with pytest.raises(Exception) as expected:
        getattr(scipy.ndimage, function)(x, *args, **kwargs)
    with pytest.raises(expected.type):
        getattr(ndimage, function)(xp.asarray(x), *args, **kwargs)


@pytest.mark.parametrize("name, args", [("gaussian_filter", (1.0,)), ("sobel", ()), ("prewitt", ())])
def test_complex_input_into_a_real_output_is_refused_like_scipy(name, args):
    x = data((5, 6)) + 0j
    with pytest.raises(RuntimeError):
        getattr(scipy.ndimage, name)(x, *args, output=np.float64)
    with pytest.raises(RuntimeError):
        getattr(ndimage, name)(x, *args, output=np.float64)


@pytest.mark.parametrize(
    "name, args", [("uniform_filter", ()), ("uniform_filter1d", (3,)), ("gaussian_filter1d", (1,))]
)
def test_complex_input_into_a_real_output_dtype_is_promoted_like_scipy(name, args):
    x = data((5, 6)) + 1j
    with pytest.warns(UserWarning, match="promoting"):
        expected = getattr(scipy.ndimage, name)(x, *args, output=np.float64)
    with pytest.warns(UserWarning, match="promoting"):
        result = getattr(ndimage, name)(x, *args, output=np.float64)
    assert_matches(result, expected, Library.named("numpy"))


def test_inputs_are_untouched_read_only_and_strided():
    x = data((12, 14))
    x.flags.writeable = False
    strided = x[::-2, 1::3]
    for name, args in [("uniform_filter", (3,)), ("gaussian_filter", (1.5,)), ("sobel", ()), ("prewitt", ())]:
        before = strided.copy()
        expected = getattr(scipy.ndimage, name)(strided, *args)
        result = getattr(ndimage, name)(strided, *args)
        np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(strided, before)
        assert not np.shares_memory(result, x)


def test_no_filtered_axis_returns_a_copy(xp):
    x = data((5, 4))
    for name, kwargs in [("gaussian_filter", dict(sigma=0.0)), ("uniform_filter", dict(size=1))]:
        result = getattr(ndimage, name)(xp.asarray(x), **kwargs)
        assert_matches(result, getattr(scipy.ndimage, name)(x, **kwargs), xp)


def test_dask_stays_lazy_and_keeps_its_chunks():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((23, 17, 9))
    chunks = ((4, 9, 2, 8), (5, 5, 7), (2, 4, 3))
    lazy = xp.asarray(x, chunks=chunks)
    calls = [
        ("uniform_filter", (), dict(size=(5, 3, 4), mode=("mirror", "wrap", "constant"))),
        ("uniform_filter1d", (6,), dict(axis=1, origin=2)),
        ("gaussian_filter", (2.0,), dict(order=(1, 0, 0))),
        ("sobel", (), dict(axis=2)),
        ("gaussian_laplace", (1.0,), {}),
        ("gaussian_gradient_magnitude", (1.5,), dict(mode="nearest")),
    ]
    with forbid_dask_compute():
        results = [getattr(ndimage, name)(lazy, *args, **kwargs) for name, args, kwargs in calls]
    for (name, args, kwargs), result in zip(calls, results, strict=True):
        assert result.chunks == lazy.chunks, name
        assert_matches(result, getattr(scipy.ndimage, name)(x, *args, **kwargs), xp)


def test_native_path_under_jax_jit():
    jax = pytest.importorskip("jax")
    xp = Library.named("jax")
    x = data((10, 9))
    for name, kwargs in [
        ("gaussian_filter", dict(sigma=1.5, mode="mirror")),
        ("uniform_filter", dict(size=(3, 4), origin=(1, 0))),
        ("uniform_filter1d", dict(size=5, axis=0)),
        ("sobel", dict(axis=0)),
        ("gaussian_gradient_magnitude", dict(sigma=1.0)),
    ]:
        compiled = jax.jit(functools.partial(getattr(ndimage, name), **kwargs))
        assert_matches(compiled(xp.asarray(x)), getattr(scipy.ndimage, name)(x, **kwargs), xp)


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.gpu)])
def test_gradcheck(device):
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((5, 6), seed=7), requires_grad=True, device=device)
    for name, kwargs in [
        ("gaussian_filter", dict(sigma=1.0, mode="wrap")),
        ("uniform_filter", dict(size=(2, 3), mode="mirror")),
        ("sobel", dict(axis=0)),
        ("gaussian_laplace", dict(sigma=0.8)),
    ]:
        function = functools.partial(getattr(ndimage, name), **kwargs)
        assert torch.autograd.gradcheck(function, (x,))


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=3),
    size=st.integers(1, 7),
    sigma=st.floats(0.3, 3.0),
    mode=st.sampled_from(MODES),
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_property(shape, size, sigma, mode, seed, data_):
    x = data(tuple(shape), seed=seed)
    origin = data_.draw(st.integers(-(size // 2), (size - 1) // 2))
    axis = data_.draw(st.integers(0, len(shape) - 1))
    xp = Library.named("numpy")
    expected = scipy.ndimage.uniform_filter1d(x, size, axis=axis, mode=mode, origin=origin)
    assert_matches(ndimage.uniform_filter1d(x, size, axis=axis, mode=mode, origin=origin), expected, xp)
    expected = scipy.ndimage.gaussian_filter(x, sigma, mode=mode)
    assert_matches(ndimage.gaussian_filter(x, sigma, mode=mode), expected, xp)


SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci import ndimage
    from gsci.kernels import stencil

    assert ndimage.gaussian_filter.declaration.path("auto", "numpy", "cpu") == "kernel"
    rng = np.random.default_rng(0)
    failures = []
    cases = [
        ("uniform_filter1d", (4,), dict(axis=0, mode="mirror", origin=1)),
        ("uniform_filter", (), dict(size=(3, 2), mode="wrap")),
        ("gaussian_filter1d", (1.2,), dict(order=1, mode="constant", cval=2.0)),
        ("gaussian_filter", (1.5,), dict(mode="nearest")),
        ("sobel", (), dict(axis=0)),
        ("prewitt", (), dict(axis=1, mode="reflect")),
        ("gaussian_laplace", (1.0,), {}),
        ("gaussian_gradient_magnitude", (1.0,), {}),
    ]
    for dtype in ("float32", "float64", "int16"):
        x = (rng.standard_normal((7, 6)) * 10).astype(dtype)
        for name, args, kwargs in cases:
            got = getattr(ndimage, name)(x, *args, **kwargs)
            want = getattr(scipy.ndimage, name)(x, *args, **kwargs)
            tol = {"float32": 1e-4, "float64": 1e-10, "int16": 1}[dtype]
            if got.dtype != want.dtype or not np.allclose(got, want, rtol=tol, atol=tol):
                failures.append(f"{name} {dtype} {kwargs}")
    kernel = stencil.correlate1d_kernel(stencil.MODES[4])  # constant
    ndimage.gaussian_filter(np.ones((5, 4)), 1.0, mode="constant")
    compiled = len(kernel.overloads)
    for shape, sigma in [((9, 3), 0.5), ((4, 11, 2), 2.5), ((30,), 4.0)]:
        ndimage.gaussian_filter(np.ones(shape), sigma, mode="constant")
        ndimage.uniform_filter(np.ones(shape), size=int(sigma * 2) + 1, mode="constant")
    if len(kernel.overloads) != compiled:
        failures.append(f"kernel cache grew from {compiled} to {len(kernel.overloads)}")
    if failures:
        sys.exit("kernel path differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_path_in_simulator_matches_scipy_and_compiles_once():
    run_in_simulator(SIMULATOR_SCRIPT)


def test_generic_filters_never_write_into_the_input(xp):
    """A derivative may return its input (or one array twice): the sums must not land in it."""
    import gsci

    x = data((30, 20))
    given = xp.asarray(x)
    with gsci.backend("native"):
        laplace = ndimage.generic_laplace(given, lambda i, axis, output, mode, cval: i)
        magnitude = ndimage.generic_gradient_magnitude(given, lambda i, axis, output, mode, cval: i)
    assert_matches(given, x, xp)
    assert_matches(laplace, 2 * x, xp)
    assert_matches(magnitude, np.sqrt(2 * x * x), xp)
