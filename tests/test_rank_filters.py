"""The rank filters (minimum/maximum 1-D and n-D, median, rank, percentile) against SciPy on NumPy copies."""

import textwrap
import warnings

import numpy as np
import pytest
import scipy.ndimage
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
from gsci.ndimage._filters._rank import (
    maximum_filter,
    maximum_filter1d,
    median_filter,
    minimum_filter,
    minimum_filter1d,
    percentile_filter,
    rank_filter,
)
from gsci.ndimage._morphology._grey import grey_erosion

MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
FLOATS = ("float32", "float64")
CROSS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=bool)
EVEN = np.array([[1, 0, 1, 1], [0, 1, 1, 0]], dtype=bool)
RANDOM = np.random.default_rng(5).random((3, 5)) > 0.4
GSCI = {
    "minimum_filter": minimum_filter,
    "maximum_filter": maximum_filter,
    "median_filter": median_filter,
    "rank_filter": rank_filter,
    "percentile_filter": percentile_filter,
    "minimum_filter1d": minimum_filter1d,
    "maximum_filter1d": maximum_filter1d,
}


@pytest.fixture(autouse=True)
def native_path():
    """The native path everywhere: small NumPy inputs would otherwise run SciPy itself."""
    with gsci.backend("native"):
        yield


def data(shape, dtype="float64", seed=0):
    values = np.random.default_rng(seed).standard_normal(shape) * 20
    return values.astype(dtype)


def both(name, x, xp, *args, **kwargs):
    """(gsci on ``xp``, SciPy on NumPy) for filter ``name``."""
    expected = getattr(scipy.ndimage, name)(x, *args, **kwargs)
    got = GSCI[name](xp.asarray(x), *args, **kwargs)
    return got, expected


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_min_max_1d_match_scipy(xp, mode, dtype):
    x = data((6, 7, 5), dtype)
    for name in ("minimum_filter1d", "maximum_filter1d"):
        for size, axis, origin in [(3, 0, -1), (4, 1, 0), (5, -1, 2), (1, 1, 0), (9, 2, 0), (20, -1, 3)]:
            kwargs = dict(axis=axis, mode=mode, cval=1.5, origin=origin)
            assert_matches(*both(name, x, xp, size, **kwargs), xp)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["minimum_filter", "maximum_filter", "median_filter"])
def test_nd_filters_with_size_match_scipy(xp, mode, name):
    x = data((7, 9))
    for size, origin in [(3, 0), ((2, 4), (-1, 1)), (5, (1, -2)), ((1, 3), 0)]:
        assert_matches(*both(name, x, xp, size=size, mode=mode, cval=-3.0, origin=origin), xp)


@pytest.mark.parametrize("mode", ["reflect", "constant", "nearest", "mirror", "wrap", "grid-wrap"])
@pytest.mark.parametrize(
    "footprint", [CROSS, EVEN, RANDOM, np.ones((2, 3), bool)], ids=["cross", "even", "random", "box"]
)
def test_footprints_match_scipy(xp, mode, footprint):
    x = data((8, 9), "float32")
    count = int(footprint.sum())
    kwargs = dict(footprint=footprint, mode=mode, cval=2.5)
    for name in ("minimum_filter", "maximum_filter", "median_filter"):
        assert_matches(*both(name, x, xp, **kwargs, origin=(0, -1)), xp)
    for rank in (1, count // 3, -2):
        assert_matches(*both("rank_filter", x, xp, rank, **kwargs), xp)
    for percentile in (0, 30, 62.5, -20, 100):
        assert_matches(*both("percentile_filter", x, xp, percentile, **kwargs), xp)


def test_three_dimensions_and_axes(xp):
    x = data((5, 6, 7))
    cases = [
        dict(size=3, axes=(0, 2)),
        dict(size=(2, 3), axes=(2, 1), origin=(0, -1), mode=("wrap", "nearest")),
        dict(footprint=CROSS, axes=(0, 1)),
        dict(footprint=RANDOM, axes=(1, 2), origin=(1, 0), mode="mirror"),
        dict(size=(3, 1, 4)),
        dict(size=3, axes=()),
    ]
    for kwargs in cases:
        for name in ("minimum_filter", "maximum_filter"):
            assert_matches(*both(name, x, xp, **kwargs), xp)
        single_mode = {**kwargs, "mode": "reflect"}  # SciPy's rank filters take no sequence of modes
        assert_matches(*both("median_filter", x, xp, **single_mode), xp)
        assert_matches(*both("percentile_filter", x, xp, 75, **single_mode), xp)


def test_modes_per_axis_where_scipy_allows_them(xp):
    x = data((6, 7))
    modes = ["wrap", "constant"]
    for name in ("minimum_filter", "maximum_filter"):
        assert_matches(*both(name, x, xp, size=(3, 4), mode=modes, cval=9.0), xp)
    # a rank filter that reduces to the minimum of a box takes modes per axis, as SciPy
    assert_matches(*both("rank_filter", x, xp, 0, size=3, mode=modes), xp)
    assert_matches(*both("percentile_filter", x, xp, 100, size=3, mode=modes), xp)


@pytest.mark.parametrize("dtype", ["uint8", "int16", "int32", "int64", "uint16", "bool"])
def test_integer_and_bool_inputs(xp, dtype):
    x = data((7, 8), dtype)
    for cval in (0.0, 3.0, -0.5, 2.7):
        kwargs = dict(mode="constant", cval=cval)
        for name in ("minimum_filter", "maximum_filter", "median_filter"):
            assert_matches(*both(name, x, xp, size=3, **kwargs), xp, rtol=0, atol=0)
            assert_matches(*both(name, x, xp, footprint=CROSS, **kwargs), xp, rtol=0, atol=0)
        assert_matches(*both("rank_filter", x, xp, 2, footprint=EVEN, **kwargs), xp, rtol=0, atol=0)
    # float outputs show the cval's dtype rule: float64 for a box min/max, the input's dtype otherwise
    for name, kwargs in [("minimum_filter", dict(size=3)), ("minimum_filter", dict(footprint=CROSS))]:
        got, expected = both(name, x, xp, **kwargs, mode="constant", cval=-0.5, output=np.float64)
        assert_matches(got, expected, xp)


@pytest.mark.parametrize("output", ["float32", "float64", "int32", np.dtype("uint8"), np.float32])
def test_output_dtype(xp, output):
    x = data((6, 5))
    for name in ("minimum_filter", "median_filter"):
        assert_matches(*both(name, x, xp, size=3, output=output), xp)
    assert_matches(*both("maximum_filter1d", x, xp, 3, output=output), xp)


def test_output_array_is_written_and_returned(xp):
    x = data((6, 5))
    for name, args in [("median_filter", ()), ("maximum_filter", ()), ("rank_filter", (-3,))]:
        expected = getattr(scipy.ndimage, name)(x, *args, size=3, output=np.zeros((6, 5), np.float32))
        output = xp.asarray(np.zeros((6, 5), np.float32))
        result = GSCI[name](xp.asarray(x), *args, size=3, output=output)
        assert_matches(result, expected, xp)
        if xp.module != "jax":  # JAX arrays are immutable: a new array is returned
            assert result is output


def test_output_array_may_be_the_input():
    x = data((6, 5))
    expected = scipy.ndimage.median_filter(x, size=3)
    same = x.copy()
    assert median_filter(same, size=3, output=same) is same
    np.testing.assert_array_equal(same, expected)


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_like_scipy_away_from_nan(xp, dtype):
    """SciPy's NaN results depend on its loop order (undefined, its docs say): compare windows without NaN;
    gsci's min/max give NaN for a window with NaN, ranks order NaN above every number."""
    x = data((9, 10), dtype)
    x[2, 3], x[6, 8] = np.nan, np.nan
    touched = scipy.ndimage.maximum_filter(np.isnan(x), footprint=CROSS)  # CROSS is symmetric
    for name in ("minimum_filter", "maximum_filter", "median_filter"):
        got, expected = both(name, x, xp, footprint=CROSS)
        got = to_numpy(got)
        np.testing.assert_array_equal(got[~touched], expected[~touched])
    assert np.isnan(minimum_filter(x, footprint=CROSS)[touched]).all()
    median = median_filter(x, footprint=CROSS)
    assert not np.isnan(median[touched]).any()  # one NaN among 5 values sits above the median
    box = scipy.ndimage.maximum_filter(np.isnan(x), size=3)
    got, expected = both("maximum_filter", x, xp, size=3)
    np.testing.assert_array_equal(to_numpy(got)[~box], expected[~box])


def test_nan_results_on_every_library(xp):
    x = data((6, 7))
    x[3, 3] = np.nan
    for name in ("minimum_filter", "maximum_filter"):
        got = GSCI[name](xp.asarray(x), size=3)
        np.testing.assert_array_equal(
            np.isnan(to_numpy(got)), scipy.ndimage.maximum_filter(np.isnan(x), size=3)
        )
    got, expected = both("median_filter", x, xp, size=3)
    window = scipy.ndimage.maximum_filter(np.isnan(x), size=3)
    np.testing.assert_array_equal(to_numpy(got)[~window], expected[~window])


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("minimum_filter", (), {}),
        ("median_filter", (), {}),
        ("minimum_filter", (), {"footprint": np.zeros((3, 3))}),
        ("minimum_filter", (), {"size": (3, 3, 3)}),
        ("minimum_filter", (), {"size": 3, "origin": 2}),
        ("minimum_filter", (), {"size": 3, "origin": (0, 0, 0)}),
        ("minimum_filter", (), {"size": 4, "origin": -3}),
        ("minimum_filter", (), {"footprint": CROSS, "origin": (2, 0)}),
        ("minimum_filter", (), {"footprint": CROSS, "mode": ("wrap", "reflect")}),
        ("minimum_filter", (), {"size": 3, "mode": ("wrap",)}),
        ("minimum_filter", (), {"size": 3, "mode": "unknown"}),
        ("minimum_filter", (), {"footprint": np.ones((3,), bool)}),
        ("minimum_filter", (), {"footprint": CROSS, "axes": (0,)}),
        ("minimum_filter", (), {"size": 3, "axes": (0, 0)}),
        ("minimum_filter", (), {"size": 3, "axes": (2,)}),
        ("minimum_filter", (), {"size": 3, "output": np.zeros(3)}),
        ("minimum_filter", (), {"size": 3, "output": "complex128"}),
        ("median_filter", (), {"size": 3, "mode": ["wrap", "reflect"]}),
        ("median_filter", (), {"footprint": np.zeros((2, 2), bool)}),
        ("median_filter", (), {"size": (3, 3, 3)}),
        ("median_filter", (), {"size": 3, "origin": (0, 2)}),
        ("median_filter", (), {"footprint": CROSS, "mode": "unknown"}),
        ("median_filter", (), {"footprint": CROSS, "axes": (1,)}),
        ("rank_filter", (9,), {"size": 3}),
        ("rank_filter", (-10,), {"size": 3}),
        ("rank_filter", (1.5,), {"size": 3}),
        ("percentile_filter", (101,), {"size": 3}),
        ("percentile_filter", (-101,), {"size": 3}),
        ("minimum_filter1d", (0,), {}),
        ("minimum_filter1d", (3,), {"axis": 2}),
        ("minimum_filter1d", (3,), {"origin": 2}),
        ("maximum_filter1d", (4,), {"origin": -3}),
        ("maximum_filter1d", (3,), {"mode": "unknown"}),
        ("maximum_filter1d", (3,), {"output": "bool"}),
    ],
)
def test_bad_arguments_raise_like_scipy(name, args, kwargs):
    x = data((5, 6))
    with pytest.raises(Exception) as from_scipy:
        getattr(scipy.ndimage, name)(x, *args, **kwargs)
    with pytest.raises(type(from_scipy.value)):
        GSCI[name](x, *args, **kwargs)


def test_complex_and_unsupported_dtypes_raise_like_scipy():
    for x, error in [(data((4, 5)) + 1j, TypeError), (data((4, 5), "float16"), RuntimeError)]:
        for name in ("minimum_filter", "median_filter"):
            with pytest.raises(error):
                getattr(scipy.ndimage, name)(x, size=3)
            with pytest.raises(error):
                GSCI[name](x, size=3)
        with pytest.raises(error if error is TypeError else Exception):
            minimum_filter1d(x, 3)


def test_size_and_footprint_warn_like_scipy():
    x = data((5, 6))
    for name in ("minimum_filter", "median_filter"):
        with pytest.warns(UserWarning, match="ignoring size"):
            expected = getattr(scipy.ndimage, name)(x, size=2, footprint=CROSS)
        with pytest.warns(UserWarning, match="ignoring size"):
            got = GSCI[name](x, size=2, footprint=CROSS)
        np.testing.assert_array_equal(got, expected)


def test_zero_d_empty_and_single_element_inputs():
    numpy = Library.named("numpy")
    for x in (np.zeros((0, 4)), np.float64(2.0) * np.ones(()), np.ones((1, 1)) * 3):
        for name in ("minimum_filter", "maximum_filter", "median_filter"):
            assert_matches(GSCI[name](x, size=3), getattr(scipy.ndimage, name)(x, size=3), numpy)


def test_inputs_are_untouched_read_only_and_strided():
    numpy = Library.named("numpy")
    base = data((12, 14))
    read_only = base.copy()
    read_only.flags.writeable = False
    for x in (base[::2, 1::3], base[::-1, ::-2], base.T, read_only):
        before = x.copy()
        for name, kwargs in [
            ("median_filter", dict(size=3)),
            ("minimum_filter", dict(footprint=CROSS)),
            ("maximum_filter", dict(size=(2, 3))),
            ("percentile_filter", dict(percentile=40, footprint=RANDOM)),
        ]:
            assert_matches(GSCI[name](x, **kwargs), getattr(scipy.ndimage, name)(x, **kwargs), numpy)
        assert_matches(minimum_filter1d(x, 4, axis=0), scipy.ndimage.minimum_filter1d(x, 4, axis=0), numpy)
        np.testing.assert_array_equal(x, before)


def test_torch_inputs_are_untouched():
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((6, 5)))
    before = x.clone()
    median_filter(x, size=3)
    minimum_filter(x[::2], footprint=torch.asarray(CROSS))
    assert torch.equal(x, before)


def test_torch_autograd_flows_to_the_selected_values():
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((6, 7)), requires_grad=True)
    for name, kwargs in [("median_filter", dict(size=3)), ("minimum_filter", dict(footprint=CROSS))]:
        result = GSCI[name](x, **kwargs)
        expected = getattr(scipy.ndimage, name)(x.detach().numpy(), **kwargs)
        np.testing.assert_array_equal(result.detach().numpy(), expected)
        (gradient,) = torch.autograd.grad(result.sum(), x)
        assert float(gradient.sum()) == x.numel()  # each output is one of the input's values


def test_large_integers_stay_exact():
    """Declared divergence: SciPy rounds int64 beyond 2**53 through float64; gsci selects exactly."""
    x = np.array([[2**60 + 1, 2**60 + 3, 2**60 + 5]])
    np.testing.assert_array_equal(minimum_filter(x, size=(1, 2)), [[2**60 + 1, 2**60 + 1, 2**60 + 3]])
    np.testing.assert_array_equal(median_filter(x, size=(1, 3)), x)


def test_torch_footprint_of_the_data_library():
    torch = pytest.importorskip("torch")
    xp = Library.named("torch")
    x = data((6, 7))
    got = median_filter(torch.asarray(x), footprint=torch.asarray(RANDOM))
    assert_matches(got, scipy.ndimage.median_filter(x, footprint=RANDOM), xp)


def test_one_d_footprint_is_honoured_where_scipy_ignores_it(xp):
    """Declared divergence: SciPy 1.17's 1-D rank code ignores the footprint's False elements;
    gsci filters 1-D input as SciPy filters the same line as a 2-D array."""
    x = data(12)
    footprint = [1, 0, 0, 1, 1]
    for name, args in [("rank_filter", (1,)), ("median_filter", ()), ("percentile_filter", (70,))]:
        expected = getattr(scipy.ndimage, name)(x[None], *args, footprint=[footprint])[0]
        assert_matches(GSCI[name](xp.asarray(x), *args, footprint=footprint), expected, xp)


def test_large_footprint_in_slabs():
    """The Array API engine sorts one slab at a time; many slabs give the same result."""
    strict = Library.named("array_api_strict")
    x = data((40, 30))
    expected = scipy.ndimage.median_filter(x, size=(7, 5), mode="mirror")
    assert_matches(median_filter(strict.ns.asarray(x), size=(7, 5), mode="mirror"), expected, strict)


@pytest.mark.parametrize("library", ["numpy", "array_api_strict"])  # the Numba kernel; the Array API engine
def test_peak_extra_memory_is_at_most_three_inputs(library):
    import tracemalloc

    host = data((256, 256))
    x = Library.named(library).ns.asarray(host)  # strict wraps NumPy arrays: tracemalloc sees them
    for name, args, kwargs in [
        ("median_filter", (), dict(size=7)),
        ("percentile_filter", (20,), dict(footprint=RANDOM)),
        ("minimum_filter", (), dict(footprint=CROSS)),
    ]:
        GSCI[name](x, *args, **kwargs)
        tracemalloc.start()
        GSCI[name](x, *args, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak <= 3.2 * host.nbytes, f"{name}: {peak / host.nbytes:.2f} inputs"  # and a few index rows


def test_cpu_kernels_compile_once_per_dtype():
    from gsci.kernels import rank_cpu

    kernels = (rank_cpu._select_rows, rank_cpu._select_rows_serially, rank_cpu._min_max_rows)
    kernels += (rank_cpu._min_max_rows_serially, rank_cpu._min_max_inner, rank_cpu._min_max_inner_serially)

    def run_all(shape, size, mode, seed):
        x = data(shape, seed=seed)
        footprint = np.random.default_rng(seed).random((size,) * len(shape)) > 0.5
        footprint.flat[0] = True
        median_filter(x, footprint=footprint, mode=mode)
        rank_filter(x, -2, size=size, mode=mode)
        minimum_filter(x, footprint=footprint, mode=mode)
        maximum_filter(x, size=size, mode=mode)
        grey_erosion(x, structure=np.where(footprint, x.flat[0], 0.0), mode=mode)  # a non-flat structure
        for axis in range(len(shape)):
            minimum_filter1d(x, 20, axis=axis, mode=mode)
            maximum_filter1d(x, 3, axis=axis, mode=mode)

    run_all((300, 301), 3, "reflect", 0)  # large enough for the parallel kernels
    run_all((6, 7), 3, "reflect", 0)  # and small, for the serial ones
    compiled = [len(kernel.signatures) for kernel in kernels]
    for shape, size, mode, seed in [
        ((250, 260), 5, "wrap", 1),
        ((9, 8, 7), 2, "constant", 2),
        ((40,), 4, "mirror", 3),
    ]:
        run_all(shape, size, mode, seed)
    assert [len(kernel.signatures) for kernel in kernels] == compiled


def test_dask_stays_lazy_with_uneven_chunks():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((17, 19, 6))
    chunked = xp.asarray(x, chunks=((5, 3, 6, 3), (4, 7, 2, 6), (2, 3, 1)))
    cases = [
        ("minimum_filter", (), dict(size=3, mode="wrap")),
        ("maximum_filter", (), dict(size=(4, 2, 3), origin=(1, 0, -1), mode="mirror")),
        ("median_filter", (), dict(footprint=CROSS[:, :, None], mode="constant", cval=2.0)),
        ("rank_filter", (3,), dict(size=(2, 3, 2), mode="nearest")),
        ("percentile_filter", (70,), dict(footprint=RANDOM[:, :, None], axes=None)),
        ("minimum_filter1d", (5,), dict(axis=1, mode="reflect")),
        ("maximum_filter1d", (2,), dict(axis=0, mode="constant", cval=50.0)),
    ]
    with forbid_dask_compute():
        results = [GSCI[name](chunked, *args, **kwargs) for name, args, kwargs in cases]
    for result, (name, args, kwargs) in zip(results, cases, strict=True):
        assert result.chunks == chunked.chunks
        assert_matches(result, getattr(scipy.ndimage, name)(x, *args, **kwargs), xp)


def test_native_path_under_jax_jit():
    pytest.importorskip("jax")
    xp = Library.named("jax")
    x = data((7, 8))
    for name, args, kwargs in [
        ("median_filter", (), dict(size=(3, 4), mode="mirror", origin=(0, 1))),
        ("minimum_filter", (), dict(footprint=CROSS, mode="constant", cval=1.0)),
        ("maximum_filter", (), dict(size=3, mode=("wrap", "nearest"))),
        ("maximum_filter1d", (), dict(size=4, axis=0)),
    ]:
        function = compiled(GSCI[name], xp, **kwargs)
        assert_matches(function(xp.asarray(x), *args), getattr(scipy.ndimage, name)(x, *args, **kwargs), xp)
    percentile = compiled(percentile_filter, xp, percentile=30, footprint=RANDOM)
    assert_matches(percentile(xp.asarray(x)), scipy.ndimage.percentile_filter(x, 30, footprint=RANDOM), xp)


def test_small_numpy_inputs_take_scipy_under_auto():
    for function in GSCI.values():
        assert function.declaration.scipy_when(np.ones((16, 16)))
        assert not function.declaration.scipy_when(np.ones((256, 256)))
    x = data((64, 64))
    with gsci.backend("auto"):
        for size in (16, 64):
            assert_matches(
                median_filter(x[:size, :size], size=5),
                scipy.ndimage.median_filter(x[:size, :size], size=5),
                Library.named("numpy"),
            )


MODES_STRATEGY = st.sampled_from(MODES)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
    mode=MODES_STRATEGY,
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_rank_filters_property(shape, mode, seed, data_):
    ndim = len(shape)
    fshape = data_.draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    footprint = np.random.default_rng(seed).random(fshape) > 0.3
    footprint.flat[0] = True
    if ndim == 1:  # SciPy's 1-D rank code takes a box of footprint.size (test_one_d_footprint_...)
        footprint[...] = True
    origin = [data_.draw(st.integers(-(f // 2), (f - 1) // 2)) for f in fshape]
    rank = data_.draw(st.integers(0, int(footprint.sum()) - 1))
    x = data(shape, seed=seed)
    numpy = Library.named("numpy")
    kwargs = dict(footprint=footprint, mode=mode, cval=0.5, origin=origin)
    assert_matches(rank_filter(x, rank, **kwargs), _scipy("rank_filter", x, rank, **kwargs), numpy)
    box = dict(size=fshape, mode=mode, cval=0.5, origin=origin)
    for name in ("minimum_filter", "maximum_filter", "median_filter"):
        assert_matches(GSCI[name](x, **box), _scipy(name, x, **box), numpy)


def _scipy(name, x, *args, footprint=None, size=None, origin, **kwargs):
    """SciPy's filter; a 1-D ``x`` as the one line of a 2-D array, as SciPy 1.17's own 1-D rank selection
    reads outside lines shorter than the window (its values change from call to call)."""
    function = getattr(scipy.ndimage, name)
    if x.ndim == 1:
        x, origin = x[None], [0, *origin]
        footprint = None if footprint is None else np.asarray(footprint)[None]
        size = None if size is None else [1, *size]
        return function(x, *args, footprint=footprint, size=size, origin=origin, **kwargs)[0]
    return function(x, *args, footprint=footprint, size=size, origin=origin, **kwargs)


def test_one_d_windows_longer_than_the_line_match_scipy_on_one_row(xp):
    """SciPy 1.17's 1-D median/rank/percentile give varying values here; gsci gives its 2-D code's."""
    x = data(2)
    for name, args in [("median_filter", ()), ("rank_filter", (1,)), ("percentile_filter", (30,))]:
        for mode in ("mirror", "reflect", "wrap"):
            expected = getattr(scipy.ndimage, name)(x[None], *args, size=(1, 5), mode=mode, origin=(0, 1))[0]
            got = GSCI[name](xp.asarray(x), *args, size=5, mode=mode, origin=1)
            assert_matches(got, expected, xp)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 30),
    size=st.integers(1, 12),
    mode=MODES_STRATEGY,
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_min_max_1d_property(n, size, mode, seed, data_):
    origin = data_.draw(st.integers(-(size // 2), (size - 1) // 2))
    x = data((3, n), "int32", seed=seed)
    kwargs = dict(mode=mode, cval=-7.0, origin=origin)
    numpy = Library.named("numpy")
    for name in ("minimum_filter1d", "maximum_filter1d"):
        expected = getattr(scipy.ndimage, name)(x, size, **kwargs)
        assert_matches(GSCI[name](x, size, **kwargs), expected, numpy, rtol=0, atol=0)


def test_scipy_warnings_are_not_raised_on_nan():
    x = data((5, 5))
    x[2, 2] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        median_filter(x, size=3)
        minimum_filter(x, size=3)


# Runs in a fresh interpreter: the simulator must be on before numba is imported.
SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci.ndimage._filters import _rank
    from gsci.kernels import rank

    assert _rank.median_filter.declaration.path("auto", "numpy", "cpu") == "kernel"
    modes = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
    rng = np.random.default_rng(0)
    cross = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], bool)
    failures = []

    def compare(name, *args, **kwargs):
        got = getattr(_rank, name)(*args, **kwargs)
        want = getattr(scipy.ndimage, name)(*args, **kwargs)
        if got.dtype != want.dtype or not np.array_equal(got, want, equal_nan=True):
            failures.append(f"{name} {kwargs}")

    x = rng.standard_normal((5, 6)) * 10
    for mode in modes:
        compare("median_filter", x, size=(2, 3), mode=mode, cval=1.5, origin=(0, 1))
        compare("rank_filter", x, 2, footprint=cross, mode=mode, cval=-1.0)
        compare("minimum_filter", x, footprint=cross, mode=mode, cval=4.0, origin=(1, 0))
        compare("maximum_filter", x, size=3, mode=mode, cval=4.0)
        compare("minimum_filter1d", x, 4, axis=0, mode=mode, cval=2.0, origin=1)
    compare("percentile_filter", x.astype(np.float32), 30, size=3)
    compare("median_filter", (x * 3).astype(np.int16), size=3, mode="constant", cval=-2.5)
    compare("maximum_filter", x > 0, footprint=cross)
    compare("median_filter", rng.standard_normal((3, 4, 3)), size=(2, 2, 3), mode="wrap")
    compare("median_filter", x, size=3, axes=(1,))
    compare("median_filter", rng.standard_normal(7), size=3)
    # a non-flat structure: SciPy's sums (the first in float64, the others in the input's dtype)
    from gsci.ndimage._morphology import _grey

    structure = np.array([[0.0, 30.7, -2.5], [4.0, -500.0, 1.5]])
    for dtype in ("uint8", "int16", "float32", "float64"):
        y = (rng.random((6, 7)) * 120).astype(dtype)
        for name in ("grey_erosion", "grey_dilation"):
            for mode in ("constant", "wrap"):
                got = getattr(_grey, name)(y, structure=structure, mode=mode, cval=3.7)
                want = getattr(scipy.ndimage, name)(y, structure=structure, mode=mode, cval=3.7)
                if got.dtype != want.dtype or not np.allclose(got, want, rtol=1e-6):
                    failures.append(f"{name} {dtype} {mode}")
    # past a thread's window buffer the selection takes the Array API engine; min/max need no buffer
    from gsci.ndimage._filters import _rank_cuda

    assert rank.CAPACITY == _rank_cuda.CAPACITY
    wide = rng.standard_normal((18, 17))
    compare("median_filter", wide, size=(17, 17))
    compare("minimum_filter", wide[:1, :3], footprint=~np.eye(1, 258, dtype=bool))  # 257 elements, not a box
    output = np.zeros((5, 6), np.float32)
    assert _rank.median_filter(x, size=3, output=output) is output
    # kernels are made once per (mode, dtype): new shapes, sizes, footprints and ranks reuse them
    _rank.median_filter(x, size=3)
    _rank.minimum_filter(x, footprint=cross)
    made = (rank.select_kernel.cache_info().currsize, rank.extreme_kernel.cache_info().currsize)
    for shape, size in [((4, 7), 2), ((3, 2, 5), 3), ((9,), 5)]:
        y = rng.standard_normal(shape)
        _rank.median_filter(y, size=size)
        _rank.rank_filter(y, 1, size=size)
        _rank.minimum_filter(y, size=size)
        _rank.maximum_filter(y, footprint=np.ones((size,) * len(shape), bool))
        _grey.grey_erosion(y, structure=rng.random((size,) * len(shape)))
    assert made == (rank.select_kernel.cache_info().currsize, rank.extreme_kernel.cache_info().currsize)
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernels_in_simulator_match_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("mode", range(5))  # gsci._lib._boundary's codes
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
def test_selection_kernel_compiles_to_ptx(cc, mode):
    from numba import types

    from gsci.kernels import rank

    item = types.float64
    signature = (item[::1], types.int64[::1], types.int64[::1], item[::1], item, types.int64)
    kernel_ptx(rank.select_source(mode, "float64"), signature, cc)


@pytest.mark.parametrize("dtype", ["float32", "uint8"])
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
def test_min_max_kernel_compiles_to_ptx(cc, dtype):
    from numba import types

    from gsci.kernels import rank

    item = getattr(types, dtype)
    for out in (item, types.float64):  # flat, and a non-flat structure's float64 result
        signature = (item[::1], types.int64[::1], types.int64[::1], item[::1], out[::1], item)
        signature += (types.float64, types.boolean)
        kernel_ptx(rank.extreme_source(4), signature, cc)


GPU_LIBRARIES = [
    pytest.param("torch-cuda", marks=pytest.mark.gpu),
    pytest.param("cupy", marks=pytest.mark.gpu),
]


@pytest.mark.parametrize("name", GPU_LIBRARIES)
def test_kernels_on_gpu_match_scipy_and_compile_once(name):
    xp = Library.named(name)
    pytest.importorskip(xp.module)
    from gsci.kernels import rank

    x = data((37, 41), "float32")
    for kwargs in (
        dict(size=3),
        dict(size=(15, 15)),
        dict(size=(17, 17)),
        dict(footprint=RANDOM, mode="wrap"),
    ):
        assert_matches(*both("median_filter", x, xp, **kwargs), xp)
        assert_matches(*both("minimum_filter", x, xp, **kwargs), xp)
    kernel = rank.select_kernel(2, "float32")  # reflect
    compiled_before = len(kernel.overloads)
    for shape, size in [((8, 9), 3), ((5, 4, 7), 2), ((100,), 5)]:
        median_filter(xp.asarray(data(shape, "float32")), size=size)
    assert len(kernel.overloads) == compiled_before
