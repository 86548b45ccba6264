"""hilbert against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci.signal


def signal(shape, dtype="float64", seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) + 0.5).astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int16", "int64"])
@pytest.mark.parametrize(
    ("shape", "kwargs"),
    [
        ((2, 64), {}),
        ((2, 63), {}),
        ((2, 50), {"N": 80}),
        ((2, 50), {"N": 31}),
        ((40, 3), {"axis": 0}),
        ((2, 33, 3), {"axis": 1, "N": 40}),
        ((1,), {}),
    ],
)
def test_hilbert_matches_scipy(xp, dtype, shape, kwargs):
    x = signal(shape) * 100 if dtype.startswith("int") else signal(shape)
    x = x.astype(dtype)
    assert_matches(
        compiled(gsci.signal.hilbert, xp, **kwargs)(xp.asarray(x)), scipy.signal.hilbert(x, **kwargs), xp
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hilbert_properties(xp, data):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    ndim = data.draw(st.integers(1, 3), label="ndim")
    shape = tuple(data.draw(st.lists(st.integers(1, 12), min_size=ndim, max_size=ndim), label="shape"))
    axis = data.draw(st.integers(-ndim, ndim - 1), label="axis")
    n = data.draw(st.one_of(st.none(), st.integers(1, 20)), label="N")
    x = signal(shape, data.draw(st.sampled_from(["float32", "float64"]), label="dtype"))
    expected = scipy.signal.hilbert(x, N=n, axis=axis)
    assert_matches(gsci.signal.hilbert(xp.asarray(x), N=n, axis=axis), expected, xp)


def test_real_part_is_the_signal(xp):
    x = signal((3, 50))
    np.testing.assert_allclose(np.real(scipy.signal.hilbert(x)), x, atol=1e-12)
    assert_matches(gsci.signal.hilbert(xp.asarray(x)), scipy.signal.hilbert(x), xp)


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "match"),
    [
        (signal(8) + 1j, {}, ValueError, "x must be real"),
        (signal(8), {"N": 0}, ValueError, "N must be positive"),
        (signal(8), {"N": -3}, ValueError, "N must be positive"),
        (signal(8), {"axis": 1}, IndexError, "axis|index out of range"),  # gsci names it, SciPy not
        (np.float64(1.0), {}, IndexError, ""),
    ],
)
def test_bad_inputs_raise_like_scipy(xp, x, kwargs, error, match):
    with pytest.raises(error):
        scipy.signal.hilbert(np.asarray(x), **kwargs)
    with pytest.raises(error, match=match):
        gsci.signal.hilbert(xp.asarray(np.asarray(x)), **kwargs)


def test_python_sequences():
    x = signal(10).tolist()
    np.testing.assert_allclose(gsci.signal.hilbert(x), scipy.signal.hilbert(x), rtol=1e-12)


def test_nan_and_inf_propagate_like_scipy(xp):
    x = signal((2, 32))
    x[0, 3], x[1, 7] = np.nan, np.inf
    with np.errstate(invalid="ignore"):
        expected = scipy.signal.hilbert(x)
    assert_matches(compiled(gsci.signal.hilbert, xp)(xp.asarray(x)), expected, xp)


def test_numpy_inputs_untouched_read_only_and_negative_strides():
    base = signal((3, 40))
    x = base[::-1, ::-2]
    y = np.array(base)
    y.flags.writeable = False
    before_x, before_y = x.copy(), y.copy()
    np.testing.assert_allclose(
        gsci.signal.hilbert(x, axis=0), scipy.signal.hilbert(x.copy(), axis=0), atol=1e-12
    )
    np.testing.assert_allclose(gsci.signal.hilbert(y, N=50), scipy.signal.hilbert(y.copy(), N=50), atol=1e-12)
    np.testing.assert_array_equal(x, before_x)
    np.testing.assert_array_equal(y, before_y)


def test_lazy_on_dask():
    da = pytest.importorskip("dask.array")
    x = signal((4, 90))
    with forbid_dask_compute():
        analytic = gsci.signal.hilbert(da.from_array(x, chunks=(3, 40)), N=100)
        along_rows = gsci.signal.hilbert(da.from_array(x, chunks=(3, 40)), axis=0)
    dask_library = Library.named("dask")
    assert_matches(analytic, scipy.signal.hilbert(x, N=100), dask_library)
    assert_matches(along_rows, scipy.signal.hilbert(x, axis=0), dask_library)


def test_torch_gradcheck():
    torch = pytest.importorskip("torch")
    x = torch.asarray(signal(15), requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: torch.view_as_real(gsci.signal.hilbert(t, N=20)), (x,))
