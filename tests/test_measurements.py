"""Per-label measurements (sum_labels ... histogram, labeled_comprehension) against SciPy, every library."""

import warnings

import numpy as np
import pytest
import scipy.ndimage
from helpers import assert_matches, compiled, forbid_dask_compute, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci
import gsci.ndimage

STATISTICS = ("sum_labels", "sum", "mean", "variance", "standard_deviation", "minimum", "maximum", "median")
POSITIONS = ("minimum_position", "maximum_position", "center_of_mass", "extrema")
DTYPES = ("bool", "int8", "uint8", "int32", "int64", "uint16", "float32", "float64")
INDEXES = {  # (name, labels given, index)
    "whole": (False, None),
    "positive": (True, None),
    "scalar": (True, 2),
    "absent scalar": (True, 11),
    "list": (True, [1, 2, 5, 3]),
    "absent and repeated": (True, [4, 9, 1, 4, 0]),
    "array": (True, np.array([[3, 1], [2, 7]])),
    "float": (True, [1.7, 2.0, 3.2]),
}


def _data(shape, dtype, nlabels, seed=0):
    """Distinct values (no ties: positions are unique) in ``dtype``, labels in ``range(nlabels + 1)``."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    if dtype == "bool":
        values = rng.integers(0, 2, shape).astype(bool)
    else:
        span = min(size, np.iinfo(dtype).max // 2) if np.dtype(dtype).kind in "iu" else size
        values = (rng.permutation(size) % max(span, 1)).reshape(shape).astype(dtype)
        if np.dtype(dtype).kind == "f":
            values = values / 3 - size / 7
    return values, rng.integers(0, nlabels + 1, shape)


def _library_data(xp, a, chunks):
    return xp.asarray(a, chunks=chunks) if xp.module == "dask" else xp.asarray(a)


def _index_for(xp, index):
    return xp.asarray(index) if isinstance(index, np.ndarray) and xp.module != "numpy" else index


def assert_same(actual, expected, xp, **tolerances):
    """gsci's result has SciPy's structure (lists, tuples), dtypes and values; scalars are NumPy scalars
    for NumPy and 0-d arrays of the library otherwise."""
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            assert_same(a, e, xp, **tolerances)
        return
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for a, e in zip(actual, expected, strict=True):
            assert_same(a, e, xp, **tolerances)
        return
    if xp.module == "numpy" and isinstance(expected, np.generic):
        assert isinstance(actual, np.generic), f"{type(actual)} is not a NumPy scalar"
        assert actual.dtype == expected.dtype
        np.testing.assert_allclose(actual, expected, rtol=tolerances.get("rtol") or 1e-11, equal_nan=True)
        return
    assert_matches(actual, np.asarray(expected), xp, **tolerances)


def _both(name, xp, args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with np.errstate(all="ignore"):
            expected = getattr(scipy.ndimage, name)(*args, **kwargs)
            library_args = [_library_data(xp, a, (3, 5)) if isinstance(a, np.ndarray) else a for a in args]
            actual = getattr(gsci.ndimage, name)(*library_args, **kwargs)
    return actual, expected


def _arguments(xp, dtype, case, shape=(9, 13), nlabels=6):
    values, labels = _data(shape, dtype, nlabels)
    labelled, index = INDEXES[case]
    if not labelled:
        return (values,)
    return values, labels, index


@pytest.mark.parametrize("case", list(INDEXES))
@pytest.mark.parametrize("name", STATISTICS)
def test_statistics_match_scipy(xp, name, case):
    dtypes = (
        ("bool", "int8", "uint16", "int64", "float32", "float64") if xp.module == "numpy" else DTYPES[::3]
    )
    for dtype in dtypes:
        if name in ("minimum", "maximum") and case == "absent scalar":
            continue  # SciPy raises on an empty group (see test_empty_group_gives_zero)
        args = _arguments(xp, dtype, case)
        library_args = [
            _index_for(xp, a) if not isinstance(a, np.ndarray) or (a.ndim == 2 and a.size == 4) else a
            for a in args
        ]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            with np.errstate(all="ignore"):
                expected = getattr(scipy.ndimage, name)(*args)
                data = [
                    _library_data(xp, a, (2, 5)) if isinstance(a, np.ndarray) and a.shape == (9, 13) else a
                    for a in library_args
                ]
                actual = getattr(gsci.ndimage, name)(*data)
        rtol = 2e-5 if dtype == "float32" else None
        assert_same(actual, expected, xp, rtol=rtol)


@pytest.mark.parametrize("case", [c for c in INDEXES if c != "absent scalar"])
@pytest.mark.parametrize("name", POSITIONS)
def test_positions_match_scipy(xp, name, case):
    for dtype in ("int16", "uint8", "float64") if xp.module == "numpy" else ("uint8",):
        args = _arguments(xp, dtype, case, shape=(7, 11))
        data = [
            _library_data(xp, a, (3, 4))
            if isinstance(a, np.ndarray) and a.shape == (7, 11)
            else _index_for(xp, a)
            for a in args
        ]
        expected = getattr(scipy.ndimage, name)(*args)
        actual = getattr(gsci.ndimage, name)(*data)
        assert_same(actual, expected, xp)


def test_histogram_matches_scipy(xp):
    values, labels = _data((10, 12), "float64", 4)
    data = _library_data(xp, values, (4, 5))
    lab = _library_data(xp, labels, (4, 5))
    for args in [(), (lab,), (lab, 3)]:
        host = [labels if a is lab else a for a in args]
        assert_same(
            gsci.ndimage.histogram(data, -20, 20, 7, *args),
            scipy.ndimage.histogram(values, -20, 20, 7, *host),
            xp,
        )
    expected = scipy.ndimage.histogram(values, -20, 20, 7, labels, [1, 3, 9])
    actual = gsci.ndimage.histogram(data, -20, 20, 7, lab, [1, 3, 9])
    if xp.module == "numpy":
        assert actual.dtype == object and actual[2] is None and expected[2] is None
        for a, e in zip(actual[:2], expected[:2], strict=True):
            assert_matches(a, e, xp)
    else:  # one 2-D array, zeros for the absent label
        assert_matches(actual, np.stack([expected[0], expected[1], np.zeros(7, np.int64)]), xp)


def test_labeled_comprehension_runs_scipy(xp):
    values, labels = _data((6, 7), "float64", 3)
    expected = scipy.ndimage.labeled_comprehension(values, labels, [1, 2, 5], np.max, float, -1.0)
    actual = gsci.ndimage.labeled_comprehension(
        _library_data(xp, values, (4, 3)), _library_data(xp, labels, (4, 3)), [1, 2, 5], np.max, float, -1.0
    )
    assert_matches(actual, expected, xp) if xp.module == "numpy" else np.testing.assert_allclose(
        to_numpy(actual), expected
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=3).map(tuple),
    nlabels=st.integers(0, 12),
    index=st.sampled_from(["none", "scalar", "list", "array", "float"]),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**16),
)
def test_property_matches_scipy(xp, shape, nlabels, index, dtype, seed):
    values, labels = _data(shape, dtype, nlabels, seed)
    rng = np.random.default_rng(seed)
    index = {
        "none": None,
        "scalar": int(rng.integers(0, nlabels + 2)),
        "list": list(rng.integers(-1, nlabels + 3, 4)),
        "array": rng.integers(0, nlabels + 2, 3),
        "float": list(rng.uniform(0, nlabels + 1, 3)),
    }[index]
    chunks = tuple(max(1, n // 3) for n in shape)
    data, lab = _library_data(xp, values, chunks), _library_data(xp, labels, chunks)
    for name in ("sum_labels", "mean", "variance", "maximum", "median", "minimum_position"):
        one_group = np.isscalar(index) or index is None
        empty = one_group and not np.any(labels == index if index is not None else labels > 0)
        if name in ("maximum", "minimum_position") and one_group and empty:
            continue  # SciPy raises on an empty group
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(scipy.ndimage, name)(values, labels, index)
            actual = getattr(gsci.ndimage, name)(data, lab, _index_for(xp, index))
        if name == "minimum_position" and np.unique(values).size < values.size:
            continue  # ties: SciPy's unstable sort may find any of them (test_ties_give_the_first_position)
        assert_same(actual, expected, xp, rtol=2e-5 if dtype == "float32" else None)


def test_ties_give_the_first_position(xp):
    values = np.array([[3, 1, 1], [7, 1, 7]])
    labels = np.array([[1, 1, 1], [1, 2, 2]])
    data, lab = xp.asarray(values), xp.asarray(labels)
    for index in ([1, 2], 1, None):
        low = gsci.ndimage.minimum_position(
            data, lab, _index_for(xp, np.asarray(index)) if isinstance(index, list) else index
        )
        high = gsci.ndimage.maximum_position(data, lab, index)
        low, high = (low, high) if isinstance(low, list) else ([low], [high])
        want_low, want_high = (
            ([(0, 1), (1, 1)], [(1, 0), (1, 2)]) if isinstance(index, list) else ([(0, 1)], [(1, 0)])
        )
        assert [tuple(int(c) for c in p) for p in low] == want_low
        assert [tuple(int(c) for c in p) for p in high] == want_high


def test_float_labels_compare_exactly(xp):
    values = np.arange(12.0).reshape(3, 4)
    labels = np.array([1.0, 2.5, 0.0, 4.5])
    for name in ("sum_labels", "maximum_position", "mean"):
        expected = getattr(scipy.ndimage, name)(values, labels, [1.0, 4.5, 2.0])
        actual = getattr(gsci.ndimage, name)(xp.asarray(values), xp.asarray(labels), [1.0, 4.5, 2.0])
        assert_same(actual, expected, xp)


def test_many_labels_and_uneven_chunks(xp):
    values, labels = _data((40, 37), "float64", 300)
    index = np.arange(-3, 320)
    chunks = ((7, 13, 1, 19), (5, 11, 20, 1))
    data, lab = _library_data(xp, values, chunks), _library_data(xp, labels, chunks)
    names = ("sum_labels", "mean", "variance", "minimum", "maximum", "median", "extrema", "center_of_mass")
    for name in names[:6] if xp.module == "dask" else names:  # Dask: a compute per coordinate, slow
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = getattr(scipy.ndimage, name)(values, labels, index)
            actual = getattr(gsci.ndimage, name)(data, lab, _index_for(xp, index))
        assert_same(actual, expected, xp)


@pytest.mark.parametrize(
    "name", ("sum_labels", "mean", "variance", "minimum", "maximum", "median", "extrema")
)
def test_lazy_with_an_index(xp, name):
    """A sequence index fixes every shape: JAX runs under jit, Dask builds its graph without computing."""
    values, labels = _data((12, 10), "float64", 5)
    data, lab = _library_data(xp, values, (5, 3)), _library_data(xp, labels, (5, 3))
    index = xp.asarray(np.array([1, 2, 3, 8])) if xp.module != "numpy" else np.array([1, 2, 3, 8])
    function = compiled(getattr(gsci.ndimage, name), xp)
    with forbid_dask_compute() if xp.module == "dask" else warnings.catch_warnings():
        actual = function(data, lab, index)
    with np.errstate(all="ignore"):
        assert_same(actual, getattr(scipy.ndimage, name)(values, labels, np.array([1, 2, 3, 8])), xp)


def test_labels_broadcast_against_input(xp):
    values = np.arange(12.0).reshape(3, 4)
    labels = np.array([1, 2, 0, 2])
    for index in (None, 2, [2, 1]):
        for name in ("sum_labels", "median", "maximum_position"):
            expected = getattr(scipy.ndimage, name)(values, labels, index)
            assert_same(
                getattr(gsci.ndimage, name)(xp.asarray(values), xp.asarray(labels), index), expected, xp
            )


def test_empty_group_gives_zero(xp):
    values = xp.asarray(np.array([4.0, 2.0]))
    labels = xp.asarray(np.array([1, 1]))
    assert float(gsci.ndimage.minimum(values, labels, 3)) == 0.0
    assert float(gsci.ndimage.maximum(values, labels, [3])[0]) == 0.0


def test_bad_inputs(xp):
    values = xp.asarray(np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match="same shape"):
        gsci.ndimage.sum_labels(values, xp.asarray(np.ones((3, 2), dtype=np.int64)), [1])
    with pytest.raises(ValueError, match="index without defined labels"):
        gsci.ndimage.histogram(values, 0, 5, 3, None, 1)
    with pytest.raises(ValueError, match="zero-size"):
        gsci.ndimage.minimum(xp.asarray(np.zeros((0, 3))))
    with pytest.raises(ValueError, match="without loss of precision"):
        gsci.ndimage.histogram(values, 0, 5, 3, xp.asarray(np.ones((2, 3), dtype=np.int64)), [1.5])
    complex_values = xp.asarray(np.ones((2, 3), dtype=np.complex128))
    with pytest.raises(TypeError):
        gsci.ndimage.mean(complex_values, xp.asarray(np.ones((2, 3), dtype=np.int64)), [1, 2])
    with pytest.raises(TypeError):
        scipy.ndimage.mean(np.ones((2, 3), dtype=np.complex128), np.ones((2, 3), dtype=np.int64), [1, 2])


def test_complex_input_for_one_group():
    values = np.array([1 + 2j, 3 - 1j, 2j])
    labels = np.array([1, 1, 0])
    for name in ("sum_labels", "mean"):
        assert_same(
            getattr(gsci.ndimage, name)(values, labels),
            getattr(scipy.ndimage, name)(values, labels),
            _numpy(),
        )


def _numpy():
    from helpers import Library

    return Library.named("numpy")


def test_read_only_inputs_are_not_modified():
    values, labels = _data((30, 40), "float32", 50)
    values.flags.writeable = labels.flags.writeable = False
    before = values.copy(), labels.copy()
    with gsci.backend("native"):
        for name in (*STATISTICS, *POSITIONS):
            with np.errstate(all="ignore"):
                getattr(gsci.ndimage, name)(values, labels, [1, 2, 60])
        gsci.ndimage.histogram(values, 0, 10, 4, labels, [1, 2])
    np.testing.assert_array_equal(values, before[0])
    np.testing.assert_array_equal(labels, before[1])


def test_tiny_numpy_input_runs_scipy_and_large_runs_the_kernels():
    tiny, _ = _data((16, 16), "float64", 5)
    assert gsci.ndimage.mean.declaration.scipy_when(tiny)
    big, big_labels = _data((300, 300), "float64", 500)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(
            gsci.ndimage.mean(big, big_labels, np.arange(600)),
            scipy.ndimage.mean(big, big_labels, np.arange(600)),
        )


def test_kernel_cache_does_not_grow_across_sizes():
    from gsci.kernels import measurements_cpu

    def signatures():
        return sum(
            len(getattr(measurements_cpu, k).signatures) for k in ("_counts_and_sums", "_extrema", "_medians")
        )

    with gsci.backend("native"):
        for n in (50, 400):
            values, labels = _data((n, 7), "float64", n)
            for name in ("sum_labels", "minimum", "median"):
                getattr(gsci.ndimage, name)(values, labels, np.arange(n))
            if n == 50:
                first = signatures()
    assert signatures() == first
