"""gsci's fourier_gaussian, fourier_uniform, fourier_ellipsoid and fourier_shift against SciPy (NumPy copies).

NumPy input runs SciPy under "auto" where the declarations say so (small
arrays, the ellipsoid): the comparisons run under ``gsci.backend("native")``
so that gsci's own code is what they test.
"""

import functools

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, compiled, forbid_dask_compute, to_numpy
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.ndimage import _fourier

FUNCTIONS = ("fourier_gaussian", "fourier_uniform", "fourier_ellipsoid", "fourier_shift")
PARAMETER = {
    "fourier_gaussian": "sigma",
    "fourier_uniform": "size",
    "fourier_ellipsoid": "size",
    "fourier_shift": "shift",
}
INEXACT = ("float32", "float64", "complex64", "complex128")
INTEGERS = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
SHAPES = ((9,), (6, 5), (4, 5, 3))


def data(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape) * 4
    if dtype.startswith("complex"):
        values = values + 1j * rng.standard_normal(shape) * 4
    return values.astype(dtype)


def gsci_function(name):
    return getattr(_fourier, name)


def scipy_function(name):
    return getattr(scipy.ndimage, name)


def native(function, xp, *args, **kwargs):
    """``function(*args, **kwargs)`` on gsci's native path (under ``jax.jit`` for JAX)."""
    with gsci.backend("native"):
        return compiled(function, xp, **kwargs)(*args)


def cases(shape):
    """``(n, axis, value)`` for every axis: complex and real FFTs, scalar and per-axis values."""
    per_axis = (1.5, 2.25, 0.75)[: len(shape)]
    for axis in range(-1, len(shape)):
        for n in (-1, 2 * shape[axis] - 1):
            for value in (2.5, per_axis):
                yield n, axis, value


@pytest.mark.parametrize("dtype", INEXACT)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_matches_scipy(xp, name, dtype):
    for shape in SHAPES:
        x = data(shape, dtype)
        for n, axis, value in cases(shape):
            kwargs = {PARAMETER[name]: value, "n": n, "axis": axis}
            expected = scipy_function(name)(x, **kwargs)
            assert_matches(native(gsci_function(name), xp, xp.asarray(x), **kwargs), expected, xp)


@pytest.mark.parametrize("dtype", INTEGERS)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_integer_and_bool_inputs(xp, name, dtype):
    if getattr(xp.ns, dtype, None) is None:
        pytest.skip(f"{xp} has no {dtype}")
    x = np.abs(data((5, 6))).astype(dtype)
    kwargs = {PARAMETER[name]: (1.5, 3.0), "n": 9, "axis": 0}
    expected = scipy_function(name)(x, **kwargs)
    assert_matches(native(gsci_function(name), xp, xp.asarray(x), **kwargs), expected, xp)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_numpy_auto_path_matches_scipy(name):
    numpy = Library.named("numpy")
    for shape in ((8, 8), (600, 600)):  # below and above the sizes where SciPy runs
        for dtype in ("float64", "complex128"):
            x = data(shape, dtype)
            kwargs = {PARAMETER[name]: (3.0, 1.5), "n": 1100, "axis": 1}
            assert_matches(gsci_function(name)(x, **kwargs), scipy_function(name)(x, **kwargs), numpy)


@pytest.mark.parametrize(
    ("name", "value", "kwargs"),
    [
        ("fourier_gaussian", 0.0, {}),
        ("fourier_gaussian", 40.0, {}),  # exponents past SciPy's cutoff of -50
        ("fourier_gaussian", -2.0, {"n": 0}),
        ("fourier_gaussian", np.nan, {}),
        ("fourier_uniform", 0.0, {}),
        ("fourier_uniform", -3.0, {"n": 7}),
        ("fourier_uniform", 2.0, {"n": 0}),
        ("fourier_uniform", 1e300, {}),
        ("fourier_ellipsoid", -3.0, {}),
        ("fourier_ellipsoid", 0.0, {}),
        ("fourier_ellipsoid", 2.0, {"n": 0, "axis": 0}),
        ("fourier_ellipsoid", 60.0, {}),  # radii on both sides of J1's two approximations
        ("fourier_shift", -7.5, {"n": 12}),
        ("fourier_shift", 0.0, {}),
    ],
)
def test_edge_parameters_like_scipy(name, value, kwargs):
    numpy = Library.named("numpy")
    for shape in ((7,), (1, 8), (6, 5), (5, 1, 4)):
        x = data(shape, "complex128")
        expected = scipy_function(name)(x, value, **kwargs)
        assert_matches(
            native(gsci_function(name), numpy, x, **{PARAMETER[name]: value}, **kwargs), expected, numpy
        )


@pytest.mark.parametrize("name", FUNCTIONS)
def test_output_dtype(xp, name):
    real, complex_ = data((4, 6), "float32"), data((4, 6), "complex128")
    complex_outputs = ("complex64", "complex128")
    outputs = complex_outputs if name == "fourier_shift" else ("float32", "float64", *complex_outputs)
    for x, allowed in ((real, outputs), (complex_, complex_outputs)):
        for output in allowed:
            kwargs = {PARAMETER[name]: 2.0, "n": 7, "axis": 1}
            expected = scipy_function(name)(x, output=getattr(np, output), **kwargs)
            for given_as in (getattr(np, output), np.dtype(output), output, xp.dtype(output)):
                got = native(gsci_function(name), xp, xp.asarray(x), output=given_as, **kwargs)
                assert_matches(got, expected, xp)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_output_array_is_written_and_returned(xp, name):
    x = data((4, 6), "complex64")
    kwargs = {PARAMETER[name]: (1.0, 2.0)}
    expected = scipy_function(name)(x, output=np.zeros((4, 6), np.complex128), **kwargs)
    output = xp.asarray(np.zeros((4, 6), np.complex128))
    with gsci.backend("native"):
        result = gsci_function(name)(xp.asarray(x), output=output, **kwargs)
    assert_matches(result, expected, xp)
    if xp.module != "jax":  # JAX arrays are immutable: a new array is returned
        assert result is output


BAD_CALLS = [
    ("complex128", (4, 5), {"value": [1.0, 2.0, 3.0]}),
    ("complex128", (4, 5), {"value": [1.0]}),
    ("complex128", (4, 5), {"value": [1j, 2.0]}),
    ("complex128", (4, 5), {"value": "a"}),
    ("complex128", (4, 5), {"axis": 2}),
    ("complex128", (4, 5), {"axis": -3}),
    ("complex128", (4, 5), {"axis": 1.0}),
    ("complex128", (4, 5), {"n": 2.0}),
    ("complex128", (4, 5), {"n": None}),
    ("complex128", (4, 5), {"output": np.int32}),
    ("complex128", (4, 5), {"output": np.float16}),
    ("complex128", (4, 5), {"output": np.float64}),
    ("complex128", (4, 5), {"output": np.zeros((4, 5))}),
    ("complex128", (4, 5), {"output": np.zeros((5, 4), complex)}),
    ("float64", (4, 5), {"output": np.zeros((4, 5), np.int32)}),
    ("float64", (4, 5), {"output": np.zeros((4, 5), np.float16)}),
    ("float64", (4, 5), {"output": np.zeros((4, 5), np.float64)}),  # refused by fourier_shift only
    ("float64", (4, 5), {"output": np.float32}),  # refused by fourier_shift only
    ("float16", (4, 5), {}),
    ("longdouble", (4, 5), {}),
    ("float64", (), {}),
    ("complex128", (2, 3, 2, 2), {}),  # refused by fourier_ellipsoid only
]


@pytest.mark.parametrize(("dtype", "shape", "kwargs"), BAD_CALLS)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_bad_arguments_raise_like_scipy(name, dtype, shape, kwargs):
    x = np.ones(shape, dtype)
    kwargs = dict(kwargs)
    value = kwargs.pop("value", 2.0)
    try:
        scipy_function(name)(x, value, **kwargs)
    except Exception as from_scipy:
        with pytest.raises(type(from_scipy)):
            gsci_function(name)(x, value, **kwargs)
        with gsci.backend("native"), pytest.raises(type(from_scipy)):
            gsci_function(name)(x, value, **kwargs)
    else:
        numpy = Library.named("numpy")
        expected = scipy_function(name)(x, value, **kwargs)
        assert_matches(native(gsci_function(name), numpy, x, value, **kwargs), expected, numpy)


def test_read_only_output_raises_like_scipy():
    output = np.zeros((4, 5))
    output.flags.writeable = False
    for name in FUNCTIONS[:3]:
        with pytest.raises(ValueError, match="read-only"):
            scipy_function(name)(np.ones((4, 5)), 1.0, output=output)
        with gsci.backend("native"), pytest.raises(ValueError, match="read-only"):
            gsci_function(name)(np.ones((4, 5)), 1.0, output=output)


@pytest.mark.parametrize("shape", [(0,), (0, 10), (10, 0)])
@pytest.mark.parametrize("dtype", [*INEXACT, "float16"])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_empty_inputs_like_scipy(xp, name, dtype, shape):
    if getattr(xp.ns, dtype, None) is None:
        pytest.skip(f"{xp} has no {dtype}")
    x = np.ones(shape, dtype)
    expected = scipy_function(name)(x, 3)
    assert_matches(native(gsci_function(name), xp, xp.asarray(x), **{PARAMETER[name]: 3}), expected, xp)
    if name == "fourier_ellipsoid":  # SciPy returns before it checks the axis
        with gsci.backend("native"):
            gsci_function(name)(xp.asarray(x), 3, axis=7)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_dask_stays_lazy_and_keeps_chunks(name):
    pytest.importorskip("dask")
    xp = Library.named("dask")
    for dtype in ("float32", "complex128"):
        x = data((11, 9, 7), dtype)
        chunked = xp.asarray(x, chunks=((3, 1, 4, 3), (2, 5, 2), (1, 3, 3)))
        kwargs = {PARAMETER[name]: (2.0, 1.0, 3.5), "n": 13, "axis": 2}
        with forbid_dask_compute():
            result = gsci_function(name)(chunked, **kwargs)
        assert result.chunks == chunked.chunks
        assert_matches(result, scipy_function(name)(x, **kwargs), xp)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_under_jax_jit(name):
    jax = pytest.importorskip("jax")
    xp = Library.named("jax")
    x = data((6, 5), "complex64")
    kwargs = {PARAMETER[name]: (2.0, 1.5), "n": 8, "axis": 0}
    jitted = jax.jit(functools.partial(gsci_function(name), **kwargs))
    assert_matches(jitted(xp.asarray(x)), scipy_function(name)(x, **kwargs), xp)


def test_inputs_are_untouched_read_only_and_strided():
    numpy = Library.named("numpy")
    base = data((8, 10), "complex128")
    read_only = base.copy()
    read_only.flags.writeable = False
    for x in (base[::2, 1::3], base[::-1, ::-2], base.T, read_only, base.real):
        before = x.copy()
        for name in FUNCTIONS:
            expected = scipy_function(name)(x, 2.0, n=15, axis=0)
            assert_matches(native(gsci_function(name), numpy, x, 2.0, n=15, axis=0), expected, numpy)
            assert_matches(gsci_function(name)(x, 2.0, n=15, axis=0), expected, numpy)
        np.testing.assert_array_equal(x, before)


def test_all_axes_of_length_one_give_a_copy(xp):
    x = xp.asarray(data((1, 1), "complex128"))
    for name in ("fourier_gaussian", "fourier_uniform", "fourier_shift"):
        with gsci.backend("native"):
            result = gsci_function(name)(x, 3.0)
        assert_matches(result, scipy_function(name)(to_numpy(x), 3.0), xp)
        assert result is not x


def test_torch_inputs_are_untouched_and_gradients_flow():
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((6, 5), "complex128"))
    before = x.clone()
    for name in FUNCTIONS:
        expected = scipy_function(name)(x.numpy(), 2.0)
        assert_matches(gsci_function(name)(x, 2.0), expected, Library.named("torch"))
    assert torch.equal(x, before)
    leaf = torch.asarray(data((4, 5)), requires_grad=True)
    for name in FUNCTIONS:
        filtered = functools.partial(gsci_function(name), **{PARAMETER[name]: (1.5, 2.0)}, n=7, axis=0)
        assert torch.autograd.gradcheck(filtered, (leaf,))


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(FUNCTIONS),
    shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
    complex_input=st.booleans(),
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_property(name, shape, complex_input, seed, data_):
    axis = data_.draw(st.integers(-len(shape), len(shape) - 1))
    n = data_.draw(st.sampled_from([-1, 0, 1, 2 * shape[axis] - 1, 2 * shape[axis]]))
    values = data_.draw(st.lists(st.floats(-20, 20), min_size=len(shape), max_size=len(shape)))
    x = data(tuple(shape), "complex128" if complex_input else "float64", seed)
    numpy = Library.named("numpy")
    kwargs = {PARAMETER[name]: values, "n": n, "axis": axis}
    assert_matches(native(gsci_function(name), numpy, x, **kwargs), scipy_function(name)(x, **kwargs), numpy)
