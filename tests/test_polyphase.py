"""gsci.signal.upfirdn, resample_poly and decimate against SciPy on every library, and their kernels."""

import textwrap

import numpy as np
import pytest
import scipy.signal
from helpers import (
    Library,
    assert_matches,
    compiled,
    forbid_dask_compute,
    kernel_ptx,
    run_in_simulator,
    to_numpy,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.signal import decimate, resample_poly, upfirdn
from gsci.signal._resampling import _upfirdn

MODES = _upfirdn.MODES
_NUMPY = Library.named("numpy")
# SciPy reads undefined memory (or divides by zero) for these modes on one-sample lines
_UNDEFINED_ON_ONE_SAMPLE = ("smooth", "reflect", "antireflect")


def random(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.standard_normal(shape)
    if np.dtype(dtype).kind in "iu":
        values = values * 10
    return values.astype(dtype)


def uneven_chunks(shape):
    """Many uneven chunks along every axis (a single chunk for short axes)."""
    chunks = []
    for n in shape:
        sizes, pattern, i = [], (3, 7, 5, 17), 0
        while sum(sizes) < n:
            sizes.append(min(pattern[i % 4], n - sum(sizes)))
            i += 1
        chunks.append(tuple(sizes) or (0,))
    return tuple(chunks)


def native(function, xp, *arrays, **kwargs):
    """``function`` on ``xp``'s arrays under the native backend (tiny NumPy calls would run SciPy)."""
    converted = [
        xp.asarray(a, chunks=uneven_chunks(np.shape(a))) if xp.module == "dask" else xp.asarray(a)
        for a in arrays
    ]
    with gsci.backend("native"):
        if xp.module == "dask":
            with forbid_dask_compute():
                return function(*converted, **kwargs)
        if xp.module == "jax":
            return compiled(lambda *a: function(*a, **kwargs), xp)(*converted)
        return function(*converted, **kwargs)


# upfirdn


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("up", "down"), [(1, 1), (3, 2), (2, 3), (1, 4), (5, 1)])
def test_upfirdn_matches_scipy(xp, mode, up, down):
    x, h = random((3, 29)), random(7, seed=1)
    expected = scipy.signal.upfirdn(h, x, up, down, mode=mode, cval=0.5)
    assert_matches(native(upfirdn, xp, h, x, up=up, down=down, mode=mode, cval=0.5), expected, xp)


@pytest.mark.parametrize(
    ("shape", "axis", "taps"),
    [((40,), -1, 1), ((6, 13), 0, 30), ((4, 5, 11), 1, 4), ((3, 2, 19), -1, 63), ((9, 1, 2), 0, 2)],
    ids=str,
)
@pytest.mark.parametrize("mode", ["constant", "line", "antisymmetric", "wrap"])
def test_upfirdn_any_axis_and_length(xp, shape, axis, taps, mode):
    x, h = random(shape), random(taps, seed=2)
    expected = scipy.signal.upfirdn(h, x, 3, 4, axis=axis, mode=mode)
    assert_matches(native(upfirdn, xp, h, x, up=3, down=4, axis=axis, mode=mode), expected, xp)


@pytest.mark.parametrize(
    ("h_dtype", "x_dtype"),
    [
        ("float64", "float32"),
        ("float32", "float32"),
        ("float32", "int64"),
        ("float32", "int8"),
        ("int64", "int32"),
        ("float32", "complex64"),
        ("complex128", "float32"),
        ("float32", "bool"),
    ],
)
def test_upfirdn_result_dtype_follows_scipy(xp, h_dtype, x_dtype):
    x, h = random(25, x_dtype), random(6, h_dtype, seed=3)
    if x_dtype == "bool":
        x = x > 0
    expected = scipy.signal.upfirdn(h, x, 2, 3, mode="symmetric")
    assert_matches(native(upfirdn, xp, h, x, up=2, down=3, mode="symmetric"), expected, xp)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 40),
    taps=st.integers(1, 40),
    up=st.integers(1, 7),
    down=st.integers(1, 7),
    mode=st.sampled_from(MODES),
)
def test_upfirdn_engines_match_scipy_on_any_lengths(n, taps, up, down, mode):
    if n == 1 and mode in _UNDEFINED_ON_ONE_SAMPLE:
        mode = "edge"
    x, h = random((2, n)), random(taps, seed=n)
    expected = scipy.signal.upfirdn(h, x, up, down, mode=mode, cval=-1.5)
    for engine in (_upfirdn._on_cpu, _upfirdn._on_array_api):
        actual = _upfirdn._upfirdn(h, x, up, down, -1, mode, -1.5, engine, gsci._lib._arrays.NUMPY)
        assert_matches(actual, expected, _NUMPY)


def test_upfirdn_on_empty_and_one_sample_lines(xp):
    assert_matches(
        native(upfirdn, xp, [1.0, 2, 3], np.zeros(0), up=2, cval=3.0),
        scipy.signal.upfirdn([1.0, 2, 3], np.zeros(0), 2, cval=3.0),
        xp,
    )
    x = random((3, 1))
    for mode in ("constant", "edge", "wrap", "symmetric", "antisymmetric", "line"):
        expected = scipy.signal.upfirdn([1.0, 0.5, 0.25], x, 2, mode=mode)
        assert_matches(native(upfirdn, xp, [1.0, 0.5, 0.25], x, up=2, mode=mode), expected, xp)


def test_upfirdn_on_long_lines_takes_the_kernel():
    x, h = random((2, 50_000)), random(63, seed=4)
    assert_matches(upfirdn(h, x, 2, 3), scipy.signal.upfirdn(h, x, 2, 3), _NUMPY)
    assert_matches(upfirdn(h, x.T, 3, 2, axis=0), scipy.signal.upfirdn(h, x.T, 3, 2, axis=0), _NUMPY)


@pytest.mark.parametrize(
    ("h", "x", "kwargs", "error"),
    [
        ([], np.ones(3), {}, ValueError),
        ([[1.0]], np.ones(3), {}, ValueError),
        ([1.0], np.ones(3), {"up": 0}, ValueError),
        ([1.0], np.ones(3), {"down": 0}, ValueError),
        ([1.0], np.ones(3), {"mode": "foo"}, ValueError),
        ([1.0], np.ones(3), {"axis": 1}, IndexError),
    ],
)
def test_upfirdn_bad_inputs_raise_like_scipy(xp, h, x, kwargs, error):
    with pytest.raises(error):
        scipy.signal.upfirdn(h, x, **kwargs)
    with pytest.raises(error):
        upfirdn(h, xp.asarray(x), **kwargs)


def test_upfirdn_takes_upper_case_modes_and_float_factors():
    x = random(20)
    expected = scipy.signal.upfirdn([1.0, 2.0], x, 2.0, mode="EDGE")
    assert_matches(upfirdn([1.0, 2.0], x, 2.0, mode="EDGE"), expected, _NUMPY)


def test_upfirdn_dask_output_chunks_follow_the_input():
    da = pytest.importorskip("dask.array")
    x, h = random((3, 200)), random(9, seed=5)
    chunked = da.from_array(x, chunks=((1, 2), (30, 7, 50, 13, 100)))
    with forbid_dask_compute():
        y = upfirdn(h, chunked, 3, 2, mode="reflect")
    assert len(y.chunks[1]) >= 5, "the filtered axis must stay chunked"
    np.testing.assert_allclose(y.compute(), scipy.signal.upfirdn(h, x, 3, 2, mode="reflect"))


def test_upfirdn_is_differentiable_on_torch():
    torch = pytest.importorskip("torch")
    x = torch.asarray(random((2, 17)), requires_grad=True)
    h = torch.asarray(random(5, seed=6), requires_grad=True)
    assert torch.autograd.gradcheck(lambda h, x: upfirdn(h, x, 3, 2, mode="antireflect"), (h, x))
    y = upfirdn(h.detach(), x, 3, 2, mode="antireflect")
    expected = scipy.signal.upfirdn(random(5, seed=6), random((2, 17)), 3, 2, mode="antireflect")
    np.testing.assert_allclose(to_numpy(y), expected)


def test_numpy_inputs_are_untouched_and_views_work():
    x, h = random((30, 20)), random(8, seed=7)
    x_copy = x.copy()
    x.flags.writeable = False
    h.flags.writeable = False
    for view in (x, x[::-1, ::2], x.T):
        for axis in (0, -1):
            expected = scipy.signal.upfirdn(h, view, 2, 3, axis=axis, mode="line")
            with gsci.backend("native"):
                assert_matches(
                    upfirdn(h[::-1], view, 2, 3, axis=axis, mode="line"),
                    scipy.signal.upfirdn(h[::-1], view, 2, 3, axis=axis, mode="line"),
                    _NUMPY,
                )
            assert_matches(upfirdn(h, view, 2, 3, axis=axis, mode="line"), expected, _NUMPY)
            assert_matches(
                resample_poly(view, 3, 2, axis=axis),
                scipy.signal.resample_poly(view, 3, 2, axis=axis),
                _NUMPY,
            )
    np.testing.assert_array_equal(x, x_copy)


# resample_poly


@pytest.mark.parametrize(
    "padtype", ["constant", "line", "mean", "median", "maximum", "minimum", "symmetric", "wrap"]
)
@pytest.mark.parametrize(("up", "down"), [(3, 2), (2, 5), (4, 4), (1, 3), (7, 1)])
def test_resample_poly_matches_scipy(xp, up, down, padtype):
    x = random((37, 3))
    expected = scipy.signal.resample_poly(x, up, down, padtype=padtype)
    assert_matches(native(resample_poly, xp, x, up=up, down=down, padtype=padtype), expected, xp)


@pytest.mark.parametrize("window", [("kaiser", 8.0), "hann", "coefficients"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "int64"])
def test_resample_poly_windows_and_dtypes(xp, window, dtype):
    x = random((2, 45), dtype)
    coefficients = random(11, seed=8)
    given = window
    if window == "coefficients":
        window, given = coefficients, xp.asarray(coefficients) if xp.module != "dask" else coefficients
    expected = scipy.signal.resample_poly(x, 5, 3, axis=-1, window=window, cval=1.5)
    with gsci.backend("native"):
        actual = resample_poly(xp.asarray(x), 5, 3, axis=-1, window=given, cval=1.5)
    assert_matches(actual, expected, xp)


def test_resample_poly_with_a_list_window_and_large_factors():
    x = random(300)
    expected = scipy.signal.resample_poly(x, 160, 147, window=list(random(21, seed=9)))
    assert_matches(resample_poly(x, 160, 147, window=list(random(21, seed=9))), expected, _NUMPY)
    assert_matches(resample_poly(x, 320, 441), scipy.signal.resample_poly(x, 320, 441), _NUMPY)


def test_resample_poly_with_equal_factors_copies(xp):
    x = random((6, 4), "int64")
    assert_matches(native(resample_poly, xp, x, up=3, down=3), scipy.signal.resample_poly(x, 3, 3), xp)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"up": 1.5, "down": 1}, ValueError),
        ({"up": 2, "down": 0}, ValueError),
        ({"up": 2, "down": 1, "padtype": "line", "cval": 1.0}, ValueError),
        ({"up": 2, "down": 1, "padtype": "foo"}, ValueError),
        ({"up": 2, "down": 1, "window": np.ones((2, 2))}, ValueError),
    ],
)
def test_resample_poly_bad_inputs_raise_like_scipy(xp, kwargs, error):
    x = np.ones(10)
    with pytest.raises(error):
        scipy.signal.resample_poly(x, **kwargs)
    with pytest.raises(error):
        resample_poly(xp.asarray(x), **kwargs)


def test_resample_poly_is_differentiable_on_torch():
    torch = pytest.importorskip("torch")
    x = torch.asarray(random(20), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: resample_poly(x, 3, 2, padtype="mean"), (x,))


def test_resample_poly_dask_stays_chunked():
    da = pytest.importorskip("dask.array")
    x = random((500, 2))
    with forbid_dask_compute():
        y = resample_poly(da.from_array(x, chunks=((60, 3, 200, 37, 200), 1)), 3, 2, padtype="line")
    assert len(y.chunks[0]) > 1
    np.testing.assert_allclose(y.compute(), scipy.signal.resample_poly(x, 3, 2, padtype="line"))


# decimate


def _systems():
    return {
        "iir": "iir",
        "fir": "fir",
        "dlti_iir": scipy.signal.dlti(*scipy.signal.cheby1(4, 0.05, 0.2)),
        "dlti_fir": scipy.signal.dlti([0.25, 0.5, 0.25], [1.0]),
        "dlti_complex": scipy.signal.dlti([1.0], [1.0, -0.5j]),
    }


@pytest.mark.parametrize("ftype", list(_systems()))
@pytest.mark.parametrize("zero_phase", [True, False])
def test_decimate_matches_scipy(xp, ftype, zero_phase):
    x = random((2, 120))
    system = _systems()[ftype]
    expected = scipy.signal.decimate(x, 3, ftype=system, zero_phase=zero_phase)
    assert_matches(native(decimate, xp, x, q=3, ftype=system, zero_phase=zero_phase), expected, xp)


@pytest.mark.parametrize("dtype", ["float32", "int64", "complex128"])
@pytest.mark.parametrize("ftype", ["iir", "fir"])
def test_decimate_dtypes_axis_and_order(xp, dtype, ftype):
    x = random((70, 3), dtype)
    expected = scipy.signal.decimate(x, 4, n=6, ftype=ftype, axis=0)
    rtol = 1e-4 if dtype == "float32" else None
    with gsci.backend("native"):
        actual = decimate(xp.asarray(x), 4, n=6, ftype=ftype, axis=0)
    assert_matches(actual, expected, xp, rtol=rtol)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"q": 2.5}, TypeError), ({"q": 2, "n": 3.5}, TypeError), ({"q": 2, "ftype": "foo"}, ValueError)],
)
def test_decimate_bad_inputs_raise_like_scipy(xp, kwargs, error):
    x = np.ones(30)
    with pytest.raises(error):
        scipy.signal.decimate(x, **kwargs)
    with pytest.raises(error):
        decimate(xp.asarray(x), **kwargs)


def test_decimate_on_long_lines():
    x = random(20_000)
    for ftype in ("iir", "fir"):
        assert_matches(decimate(x, 8, ftype=ftype), scipy.signal.decimate(x, 8, ftype=ftype), _NUMPY)


# kernels

SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import scipy.signal
    from gsci.signal import decimate, resample_poly, upfirdn
    from gsci.kernels import polyphase

    assert upfirdn.declaration.path("auto", "numpy", "cpu") == "kernel"
    rng = np.random.default_rng(0)
    failures = []
    for mode in ("constant", "line", "antireflect", "symmetric", "wrap", "smooth"):
        cases = [((13,), -1, 3, 2, 7), ((4, 9), 0, 2, 3, 5), ((2, 3, 11), 1, 1, 4, 9)]
        for shape, axis, up, down, taps in cases:
            for dtype in ("float32", "float64", "complex128"):
                x = rng.standard_normal(shape).astype(dtype)
                h = rng.standard_normal(taps)
                got = upfirdn(h, x, up, down, axis=axis, mode=mode, cval=0.5)
                want = scipy.signal.upfirdn(h, x, up, down, axis=axis, mode=mode, cval=0.5)
                tol = 1e-4 if dtype == "float32" else 1e-10
                if got.dtype != want.dtype or not np.allclose(got, want, rtol=tol, atol=tol):
                    failures.append((mode, shape, dtype))
    x = rng.standard_normal((40, 2))
    for padtype in ("constant", "mean", "line"):
        want = scipy.signal.resample_poly(x, 3, 2, padtype=padtype)
        if not np.allclose(resample_poly(x, 3, 2, padtype=padtype), want):
            failures.append(("resample_poly", padtype))
    if not np.allclose(decimate(x, 3, ftype="fir", axis=0), scipy.signal.decimate(x, 3, ftype="fir", axis=0)):
        failures.append("decimate")
    assert polyphase.upfirdn_kernel.cache_info().currsize == 1, "one kernel, whatever the lengths and factors"
    assert not failures, failures
    """
)


def test_kernel_matches_scipy_in_the_simulator():
    pytest.importorskip("numba.cuda")
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
def test_kernel_compiles_to_ptx(dtype, cc):
    from numba import types

    from gsci.kernels import polyphase

    scalar = getattr(types, dtype)
    signature = (scalar[::1],) * 5 + (types.int64,) * 9
    ptx = kernel_ptx(polyphase.upfirdn_lines, signature, cc)
    assert "mul.wide" in ptx or ".s64" in ptx  # 64-bit index arithmetic
    if dtype == "float32":
        assert ".f64" not in ptx, "float32 data must be filtered in float32, as SciPy does"


def test_cpu_kernel_compiles_once_per_dtype():
    from gsci.kernels import polyphase_cpu

    def compiled():
        kernels = (polyphase_cpu._polyphase_rows, polyphase_cpu._polyphase_rows_serially)
        return sum(len(kernel.signatures) for kernel in kernels)

    upfirdn(np.ones(63), random(20_000), 2, 3)  # one thread
    upfirdn(np.ones(63), random((2, 200_000)), 2, 3)  # all cores
    before = compiled()
    assert before >= 2
    cases = [(30_000, 5, 1, 1), (25_000, 64, 3, 2), (40_000, 200, 7, 11), (150_000, 9, 5, 7)]
    for n, taps, up, down in cases:
        upfirdn(np.ones(taps), random((2, n)), up, down, mode="reflect")
        resample_poly(random(n), up, down)
    assert compiled() == before


GPU_LIBRARIES = [pytest.param(name, marks=pytest.mark.gpu) for name in ("cupy", "torch-cuda")]


@pytest.mark.parametrize("name", GPU_LIBRARIES)
def test_gpu_kernel_compiles_once_per_dtype(name):
    xp = Library.named(name)
    pytest.importorskip(xp.module)
    from gsci.kernels import polyphase

    upfirdn(np.ones(3), xp.asarray(random(100)), 2, 3)
    kernel = polyphase.upfirdn_kernel()
    compiled = len(kernel.overloads)
    for n, taps, up, down in [(1000, 5, 1, 1), (2**16, 64, 3, 2), (77, 200, 7, 11)]:
        y = upfirdn(np.ones(taps), xp.asarray(random((2, n))), up, down, mode="reflect")
        assert_matches(y, scipy.signal.upfirdn(np.ones(taps), random((2, n)), up, down, mode="reflect"), xp)
    assert len(kernel.overloads) == compiled
