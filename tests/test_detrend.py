"""detrend against SciPy on every library."""

import functools

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, forbid_dask_compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci.signal


def data(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) + np.linspace(0, 5, shape[-1] if shape else 1)
    if dtype.startswith("complex"):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype) if dtype.startswith(("float", "complex")) else (x * 10).astype(dtype)


CASES = [
    {},
    {"type": "l"},
    {"type": "constant"},
    {"type": "c"},
    {"bp": 20},
    {"bp": [10, 25, 25, 40]},
    {"bp": np.array([0, 50])},
    {"axis": 0},
    {"axis": 0, "type": "constant"},
    {"overwrite_data": True},
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128", "int64"])
@pytest.mark.parametrize("kwargs", CASES, ids=repr)
def test_detrend_matches_scipy(xp, dtype, kwargs):
    x = data((3, 50), dtype)
    assert_matches(gsci.signal.detrend(xp.asarray(x), **kwargs), scipy.signal.detrend(x, **kwargs), xp)


@pytest.mark.parametrize(("shape", "axis"), [((7,), -1), ((4, 5, 6), 1), ((4, 5, 6), -3)])
def test_detrend_any_axis(xp, shape, axis):
    x = data(shape)
    for type in ("linear", "constant"):
        expected = scipy.signal.detrend(x, axis=axis, type=type)
        assert_matches(gsci.signal.detrend(xp.asarray(x), axis=axis, type=type), expected, xp)


def test_detrend_python_list():
    np.testing.assert_allclose(gsci.signal.detrend([1, 2, 4]), scipy.signal.detrend([1, 2, 4]), rtol=1e-12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.data())
def test_detrend_properties(values):
    ndim = values.draw(st.integers(1, 3))
    shape = values.draw(st.lists(st.integers(1, 12), min_size=ndim, max_size=ndim))
    axis = values.draw(st.integers(-ndim, ndim - 1))
    length = shape[axis]
    bp = values.draw(st.lists(st.integers(0, length), min_size=1, max_size=3))
    type = values.draw(st.sampled_from(["linear", "constant"]))
    x = data(tuple(shape), values.draw(st.sampled_from(["float32", "float64"])))
    expected = scipy.signal.detrend(x, axis=axis, type=type, bp=bp)
    assert_matches(
        gsci.signal.detrend(x, axis=axis, type=type, bp=bp), expected, Library.named("numpy"), atol=1e-5
    )


def test_detrend_bad_arguments(xp):
    x = data((2, 10))
    for kwargs, error in [
        ({"type": "quadratic"}, ValueError),
        ({"bp": 11}, ValueError),
        ({"bp": [-1, 4]}, ValueError),
        ({"bp": 3.5}, TypeError),
        ({"axis": 2}, IndexError),
    ]:
        with pytest.raises(error):
            scipy.signal.detrend(x, **kwargs)
        with pytest.raises(error):
            gsci.signal.detrend(xp.asarray(x), **kwargs)


def test_detrend_inputs_untouched_read_only_and_negative_strides():
    x = data((4, 30))[:, ::-1]
    y = np.array(data((4, 30), seed=1))
    y.flags.writeable = False
    before_x, before_y = x.copy(), y.copy()
    for kwargs in ({}, {"type": "constant"}, {"bp": [7]}, {"overwrite_data": True}):
        np.testing.assert_allclose(gsci.signal.detrend(x, **kwargs), scipy.signal.detrend(x.copy(), **kwargs))
        np.testing.assert_allclose(gsci.signal.detrend(y, **kwargs), scipy.signal.detrend(y.copy(), **kwargs))
    np.testing.assert_array_equal(x, before_x)
    np.testing.assert_array_equal(y, before_y)


def test_detrend_nan_propagates_like_scipy(xp):
    x = data((3, 20))
    x[1, 4] = np.nan
    expected = scipy.signal.detrend(x, type="constant")
    assert_matches(gsci.signal.detrend(xp.asarray(x), type="constant"), expected, xp, atol=1e-12)


def test_detrend_lazy_under_jax_jit_and_on_dask():
    pytest.importorskip("jax")
    pytest.importorskip("dask")
    import jax

    jax_library, dask_library = Library.named("jax"), Library.named("dask")
    x = data((4, 40))
    expected = scipy.signal.detrend(x, bp=[13, 30], axis=-1)
    detrend = jax.jit(functools.partial(gsci.signal.detrend, bp=[13, 30]))
    assert_matches(detrend(jax_library.asarray(x)), expected, jax_library)
    with forbid_dask_compute():
        lazy = gsci.signal.detrend(dask_library.asarray(x, chunks=(2, 15)), bp=[13, 30])
    assert_matches(lazy, expected, dask_library)


def test_detrend_torch_gradcheck():
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((2, 12)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: gsci.signal.detrend(t, bp=[5]), (x,))
