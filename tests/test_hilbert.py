"""hilbert against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, case_id, compiled, forbid_dask_compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci
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


H2_CASES = [
    ((6, 8), {}),
    ((5, 7), {}),
    ((4, 6), {"N": 5}),
    ((4, 6), {"N": (7, 4)}),
    ((3, 5, 6), {"axes": (0, 2)}),
    ((3, 5, 6), {"axes": (2, 1), "N": (3, 8)}),
    ((3, 4, 5), {}),
    ((9,), {}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int16"])
@pytest.mark.parametrize(("shape", "kwargs"), H2_CASES, ids=[f"{s},{case_id(k)}" for s, k in H2_CASES])
def test_hilbert2_matches_scipy(xp, dtype, shape, kwargs):
    x = signal(shape) * 100 if dtype.startswith("int") else signal(shape)
    x = x.astype(dtype)
    with gsci.backend("native"):
        actual = compiled(gsci.signal.hilbert2, xp, **kwargs)(xp.asarray(x))
    assert_matches(actual, scipy.signal.hilbert2(x, **kwargs), xp)


@pytest.mark.parametrize(
    ("x", "kwargs", "match"),
    [
        (signal((2, 2)) + 1j, {}, "x must be real"),
        (signal((4, 4)), {"N": -1}, "N must be positive"),
        (signal((4, 4)), {"N": (1, 1, 1)}, "When given as a tuple, N must hold"),
        (signal((4, 4)), {"N": (0, 1)}, "When given as a tuple, N must hold"),
        (signal((4, 4)), {"axes": (0, 1, 2)}, "axes must be a tuple of length 2"),
        (signal((4, 4)), {"axes": (0, 0)}, "axes must contain 2 distinct axes"),
        (signal((4, 4)), {"axes": (0, -2)}, "distinct axes"),  # SciPy: from its FFT
    ],
)
def test_hilbert2_bad_inputs_raise_like_scipy(xp, x, kwargs, match):
    with pytest.raises(ValueError):
        scipy.signal.hilbert2(x, **kwargs)
    with pytest.raises(ValueError, match=match), gsci.backend("native"):
        gsci.signal.hilbert2(xp.asarray(x), **kwargs)


def test_hilbert2_lazy_on_dask_other_axes_keep_their_chunks():
    da = pytest.importorskip("dask.array")
    x = signal((32, 6, 25))
    chunks = ((3, 7, 5, 17), (2, 4), (4, 9, 12))
    with forbid_dask_compute():
        analytic = gsci.signal.hilbert2(da.from_array(x, chunks=chunks), axes=(0, 2), N=(30, 26))
    assert analytic.chunks[1] == chunks[1]
    assert_matches(analytic, scipy.signal.hilbert2(x, axes=(0, 2), N=(30, 26)), Library.named("dask"))


ENVELOPE_CASES = [
    (40, {}),
    (41, {}),
    (40, {"residual": "all"}),
    (40, {"residual": None, "squared": True}),
    (41, {"bp_in": (3, 12), "n_out": 60}),
    (40, {"bp_in": (None, None), "n_out": 24, "residual": "all"}),
    (40, {"bp_in": (-5, 7), "n_out": 25}),
    (41, {"bp_in": (None, 0), "squared": True, "n_out": 13}),
    (40, {"bp_in": (-20, -3), "residual": "all", "n_out": 50}),
    (40, {"bp_in": (0, 20), "n_out": 30}),
    (1, {"bp_in": (0, 1)}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128", "int16"])
@pytest.mark.parametrize(
    ("n", "kwargs"), ENVELOPE_CASES, ids=[f"{n},{case_id(k)}" for n, k in ENVELOPE_CASES]
)
@pytest.mark.parametrize("axis", [-1, 0])
def test_envelope_matches_scipy(xp, dtype, n, kwargs, axis):
    shape = (n, 3) if axis == 0 else (2, n)
    x = signal(shape, "float64") * 100 if dtype.startswith("int") else signal(shape, "float64")
    x = (x + 1j * signal(shape, "float64", seed=1) if dtype.startswith("complex") else x).astype(dtype)
    expected = scipy.signal.envelope(x, axis=axis, **kwargs)
    with gsci.backend("native"):
        actual = compiled(gsci.signal.envelope, xp, axis=axis, **kwargs)(xp.asarray(x))
    assert_matches(actual, expected, xp)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_envelope_properties(xp, data):
    if xp.module == "jax":
        pytest.skip("a jax.jit compilation per example is slow; the parametrized tests run JAX under jit")
    n = data.draw(st.integers(1, 30), label="n")
    low = data.draw(st.one_of(st.none(), st.integers(-(n // 2), (n + 1) // 2 - 1)), label="low")
    lowest = -(n // 2) if low is None else low
    high = data.draw(st.one_of(st.none(), st.integers(lowest + 1, (n + 1) // 2)), label="high")
    kwargs = {
        "bp_in": (low, high),
        "n_out": data.draw(st.one_of(st.none(), st.integers(1, 40)), label="n_out"),
        "squared": data.draw(st.booleans(), label="squared"),
        "residual": data.draw(st.sampled_from(["lowpass", "all", None]), label="residual"),
    }
    x = signal((2, n), data.draw(st.sampled_from(["float64", "complex128"]), label="dtype"))
    expected = scipy.signal.envelope(x, **kwargs)
    with gsci.backend("native"):
        assert_matches(gsci.signal.envelope(xp.asarray(x), **kwargs), expected, xp)


@pytest.mark.parametrize(
    ("shape", "kwargs", "match"),
    [
        ((3,), {"axis": 2}, r"Invalid parameter axis=2 for z.shape="),
        ((3, 0), {"axis": 1}, r"z.shape\[axis\] not > 0"),
        ((4,), {"bp_in": (0, 1, 2)}, "isn't a 2-tuple"),
        ((4,), {"bp_in": (None, 2.0)}, "isn't a 2-tuple"),
        ((4,), {"n_out": 10.0}, "n_out=10.0 is not a positive integer"),
        ((4,), {"n_out": 0}, "is not a positive integer"),
        ((4,), {"bp_in": (-1, 3)}, r"`-n//2 <= bp_in\[0\] < bp_in\[1\] <="),
        ((4,), {"bp_in": (1, 1)}, r"`-n//2 <= bp_in\[0\]"),
        ((4,), {"bp_in": (0, 10)}, r"`-n//2 <= bp_in\[0\]"),
        ((4,), {"residual": "undefined"}, "residual='undefined' not in"),
    ],
)
def test_envelope_bad_inputs_raise_like_scipy(xp, shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        scipy.signal.envelope(np.ones(shape), **kwargs)
    with pytest.raises(ValueError, match=match), gsci.backend("native"):
        gsci.signal.envelope(xp.asarray(np.ones(shape)), **kwargs)


def test_envelope_lazy_on_dask_other_axes_keep_their_chunks():
    da = pytest.importorskip("dask.array")
    x = signal((32, 25))
    chunks = ((3, 7, 5, 17), (4, 9, 12))
    with forbid_dask_compute():
        real = gsci.signal.envelope(da.from_array(x, chunks=chunks), (2, 10), n_out=30, residual="all")
        analytic = gsci.signal.envelope(da.from_array(x + 1j, chunks=chunks), axis=0, n_out=20)
    assert real.chunks[1] == chunks[0]
    assert analytic.chunks[2] == chunks[1]
    dask_library = Library.named("dask")
    assert_matches(real, scipy.signal.envelope(x, (2, 10), n_out=30, residual="all"), dask_library)
    assert_matches(analytic, scipy.signal.envelope(x + 1j, axis=0, n_out=20), dask_library)


def test_new_functions_leave_numpy_inputs_untouched():
    base = signal((30, 4))
    x = base[::-1, ::-2]
    y = np.array(base)
    y.flags.writeable = False
    before = x.copy(), y.copy()
    with gsci.backend("native"):
        np.testing.assert_allclose(gsci.signal.hilbert2(x), scipy.signal.hilbert2(x.copy()))
        np.testing.assert_allclose(gsci.signal.envelope(y, axis=0), scipy.signal.envelope(y.copy(), axis=0))
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(y, before[1])


def test_tiny_numpy_inputs_run_scipy_and_lists_are_accepted():
    x = signal((4, 5))
    assert gsci.signal.hilbert2.declaration.scipy_when(x)
    assert gsci.signal.envelope.declaration.scipy_when(x)
    np.testing.assert_allclose(gsci.signal.hilbert2(x.tolist()), scipy.signal.hilbert2(x))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"residual": "all", "n_out": 2**15}, {"bp_in": (3, 900), "n_out": 2**17 + 2, "squared": True}],
    ids=case_id,
)
def test_envelope_long_numpy_lines_packed_fft(dtype, kwargs):
    x = signal(2**16, dtype)
    assert_matches(
        gsci.signal.envelope(x, **kwargs), scipy.signal.envelope(x, **kwargs), Library.named("numpy")
    )
