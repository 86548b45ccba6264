"""label, find_objects and value_indices against SciPy on NumPy copies."""

import textwrap

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, kernel_ptx, run_in_simulator, to_numpy
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.ndimage._measurements import _label
from gsci.ndimage._measurements._label import find_objects, label, value_indices


@pytest.fixture(autouse=True)
def native_path():
    """The native path everywhere: small NumPy inputs would otherwise run SciPy itself."""
    with gsci.backend("native"):
        yield


def blobs(shape, density, seed=0):
    return np.random.default_rng(seed).random(shape) < density


def both_labels(x, xp, chunks=None, **kwargs):
    expected = scipy.ndimage.label(x, **kwargs)
    got = label(xp.asarray(x, chunks=chunks), **kwargs)
    return got, expected


def check_labels(got, expected, xp):
    assert got[1] == expected[1] and isinstance(got[1], int)
    assert_matches(got[0], expected[0], xp)


@pytest.mark.parametrize("connectivity", [1, 2])
@pytest.mark.parametrize("density", [0.3, 0.6, 1.0])
def test_label_matches_scipy(xp, density, connectivity):
    x = blobs((23, 31), density)
    structure = scipy.ndimage.generate_binary_structure(2, connectivity)
    got, expected = both_labels(x, xp, chunks=((5, 7, 11), (10, 9, 12)), structure=structure)
    check_labels(got, expected, xp)


def test_label_3d_values_and_dtypes(xp):
    x = np.where(blobs((9, 10, 11), 0.4, seed=1), np.arange(990.0).reshape(9, 10, 11) - 3, 0)
    for dtype in ("float32", "int16", "uint8", "bool"):
        got, expected = both_labels(x.astype(dtype), xp, chunks=((2, 3, 4), (3, 3, 4), (4, 7)))
        check_labels(got, expected, xp)
    got, expected = both_labels(x, xp, structure=np.ones((3, 3, 3)))
    check_labels(got, expected, xp)


def test_label_large_runs_strips_in_parallel():
    cases = [((1100, 1000), 0.55, 1), ((1100, 1000), 0.5, 2), ((100, 100, 110), 0.3, 3)]  # from 2**20: strips
    for shape, density, connectivity in cases:
        x = blobs(shape, density, seed=2)
        structure = scipy.ndimage.generate_binary_structure(len(shape), connectivity)
        got = label(x, structure)
        expected = scipy.ndimage.label(x, structure)
        assert got[1] == expected[1]
        np.testing.assert_array_equal(got[0], expected[0])


def structures(ndim):
    """Any centrosymmetric 3**ndim structure."""
    half = 3**ndim // 2
    return st.lists(st.booleans(), min_size=half, max_size=half).map(lambda bits: _symmetric(bits, ndim))


def _symmetric(bits, ndim):
    flat = np.zeros(3**ndim, dtype=bool)
    flat[: len(bits)] = bits
    flat[len(bits) + 1 :] = bits[::-1]
    return flat.reshape((3,) * ndim)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), ndim=st.integers(1, 4), density=st.sampled_from([0.0, 0.2, 0.5, 0.8, 1.0]))
def test_label_any_structure_shape_density(data, ndim, density):
    shape = tuple(data.draw(st.lists(st.integers(1, 9), min_size=ndim, max_size=ndim)))
    structure = data.draw(structures(ndim))
    x = blobs(shape, density, seed=data.draw(st.integers(0, 100)))
    got = label(x, structure)
    expected = scipy.ndimage.label(x, structure)
    assert got[1] == expected[1]
    np.testing.assert_array_equal(got[0], expected[0])
    assert got[0].dtype == expected[0].dtype


def test_label_all_isolated_and_one_giant_component():
    checker = np.indices((64, 64)).sum(axis=0) % 2 == 0
    for x, structure in [(checker, None), (np.ones((64, 64)), np.zeros((3, 3))), (checker, np.ones((3, 3)))]:
        got, expected = label(x, structure), scipy.ndimage.label(x, structure)
        assert got[1] == expected[1]
        np.testing.assert_array_equal(got[0], expected[0])


def test_label_int64_labels_past_the_32_bit_limit(monkeypatch):
    monkeypatch.setattr(_label, "_NEED_64_BITS", 10)  # as from 2**31 - 2 elements
    x = blobs((30, 40), 0.5)
    got = label(x)
    assert got[0].dtype == np.int64
    np.testing.assert_array_equal(got[0], scipy.ndimage.label(x)[0])


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint64", "float32", "float64", "bool"])
def test_label_output_dtype_and_array(dtype):
    x = blobs((12, 13), 0.5, seed=3)
    got, expected = label(x, output=dtype), scipy.ndimage.label(x, output=dtype)
    assert got[1] == expected[1]
    assert got[0].dtype == expected[0].dtype
    np.testing.assert_array_equal(got[0], expected[0])
    mine, theirs = np.zeros(x.shape, dtype), np.zeros(x.shape, dtype)
    assert label(x, output=mine) == scipy.ndimage.label(x, output=theirs)
    np.testing.assert_array_equal(mine, theirs)


def test_label_output_too_narrow():
    x = np.zeros(600)
    x[::2] = 1
    for dtype in ("int8", "uint8", "bool"):
        with pytest.raises(RuntimeError, match="insufficient bit-depth"):
            scipy.ndimage.label(x, output=dtype)
        with pytest.raises(RuntimeError, match="insufficient bit-depth"):
            label(x, output=dtype)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(structure=np.ones((3, 3, 3))), RuntimeError),
        (dict(structure=np.ones((3, 2))), ValueError),
        (dict(structure=np.ones((5, 5))), ValueError),
        (dict(structure=[[0, 1, 0], [1, 1, 0], [0, 0, 0]]), AssertionError),
        (dict(output=np.zeros((3, 2))), ValueError),
        (dict(output=np.float16), TypeError),
    ],
)
def test_label_bad_arguments_raise_as_scipy(kwargs, error):
    x = np.array([[1, 1, 0], [0, 1, 1]])
    with pytest.raises(error):
        scipy.ndimage.label(x, **kwargs)
    with pytest.raises(error):
        label(x, **kwargs)


def test_label_bad_inputs(xp):
    with pytest.raises(TypeError, match="Complex"):
        label(xp.asarray(np.ones((3, 3), np.complex128)))
    with pytest.raises(TypeError, match="Complex"):
        find_objects(xp.asarray(np.ones((3, 3), np.complex128)))
    with pytest.raises(ValueError, match="integer"):
        value_indices(xp.asarray(np.ones((3, 3))))


def test_label_0d_empty_and_read_only():
    for x in (np.ones(()), np.zeros(()), np.zeros((0, 3))):
        got, expected = label(x), scipy.ndimage.label(x)
        assert got[1] == expected[1]
        np.testing.assert_array_equal(got[0], expected[0])
    x = blobs((20, 21), 0.5)
    x.flags.writeable = False
    got = label(x)
    np.testing.assert_array_equal(got[0], scipy.ndimage.label(x)[0])


def test_find_objects_matches_scipy(xp):
    labels = scipy.ndimage.label(blobs((17, 19), 0.5, seed=4))[0]
    labels[labels == 3] = 0  # a missing label
    for max_label in (0, 5, labels.max() + 2):
        expected = scipy.ndimage.find_objects(labels, max_label)
        assert find_objects(xp.asarray(labels, chunks=((4, 6, 7), (6, 5, 8))), max_label) == expected
    assert find_objects(np.array(2)) == scipy.ndimage.find_objects(np.array(2))
    floats = np.array([[0.0, 1.5], [2, 0]])
    assert find_objects(floats, 3) == scipy.ndimage.find_objects(floats, 3)
    with pytest.raises(TypeError):
        find_objects(floats)


def test_value_indices_matches_scipy(xp):
    values = np.random.default_rng(5).integers(-3, 4, size=(7, 9)).astype(np.int16)
    for ignore_value in (None, 0, 7):
        expected = scipy.ndimage.value_indices(values, ignore_value=ignore_value)
        got = value_indices(xp.asarray(values, chunks=((3, 4), (4, 5))), ignore_value=ignore_value)
        assert list(got) == list(expected)
        for key, indices in expected.items():
            assert len(got[key]) == len(indices)
            for a, e in zip(got[key], indices, strict=True):
                assert_matches(a, np.asarray(e, dtype=np.int64), xp)
    if xp.module == "numpy":
        assert all(type(k) is np.int16 for k in got)
    else:
        assert all(type(k) is int for k in got)


def test_value_indices_edge_cases():
    assert value_indices(np.zeros((0, 2), int)) == {}
    assert value_indices(np.array(5)) == {5: ()}
    with pytest.raises(OverflowError):
        value_indices(np.array([1, 2], np.int8), ignore_value=1000)


def test_results_in_the_input_library(xp):
    labels, n = label(xp.asarray(blobs((8, 9), 0.5), chunks=((3, 5), (4, 5))))
    assert n == scipy.ndimage.label(blobs((8, 9), 0.5))[1]
    np.testing.assert_array_equal(to_numpy(labels), scipy.ndimage.label(blobs((8, 9), 0.5))[0])
    if xp.module == "dask":
        assert labels.chunks == ((3, 5), (4, 5))


# Runs in a fresh interpreter: the simulator must be on before numba is imported.
SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import numpy as np, scipy.ndimage, sys
    import gsci
    from gsci.kernels import label as kernels
    from gsci.ndimage._measurements._label import label
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    rng = np.random.default_rng(0)
    failures = []
    with gsci.backend("native"):
        cases = [((7, 9), 1, 0.5), ((7, 9), 2, 0.6), ((3, 4, 5), 3, 0.4), ((11,), 1, 0.5), ((6, 6), 1, 1.0)]
        for shape, connectivity, density in cases:
            x = rng.random(shape) < density
            structure = scipy.ndimage.generate_binary_structure(len(shape), connectivity)
            got, expected = label(x, structure), scipy.ndimage.label(x, structure)
            if got[1] != expected[1] or not np.array_equal(got[0], expected[0]) or got[0].dtype != np.int32:
                failures.append(f"{shape} {connectivity}")
        checker = np.indices((5, 6)).sum(axis=0) % 2 == 0
        if label(checker)[1] != 15:
            failures.append("checkerboard")
        wide = label(checker, output=np.int8)
        if wide[0].dtype != np.int8 or not np.array_equal(wide[0], scipy.ndimage.label(checker)[0]):
            failures.append("output=int8")
        # one compilation per parent dtype: new shapes and structures reuse it
        made = [len(k.overloads) for k in kernels.kernels()]
        label(rng.random((4, 3, 2)) < 0.5, np.ones((3, 3, 3)))
        label(rng.random((9,)) < 0.5)
        if made != [len(k.overloads) for k in kernels.kernels()]:
            failures.append("kernels recompiled for a new shape or structure")
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernels_in_simulator_match_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("index", ["int32", "int64"])
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
def test_union_find_kernels_compile_to_ptx(cc, index):
    from numba import types

    from gsci.kernels import label as kernels

    item = getattr(types, index)
    signatures = [
        (kernels.start_source, (item[::1], types.int64)),
        (kernels.link_source, (types.uint8[::1], types.int64[::1], types.int64[::1], item[::1])),
        (kernels.compress_source, (item[::1], types.int64)),
    ]
    for source, signature in signatures:
        kernel_ptx(source, signature, cc)


@pytest.mark.parametrize(
    "name", [pytest.param("torch-cuda", marks=pytest.mark.gpu), pytest.param("cupy", marks=pytest.mark.gpu)]
)
def test_label_on_gpu_matches_scipy(name):
    xp = Library.named(name)
    pytest.importorskip(xp.module)
    for shape, connectivity in [((300, 301), 1), ((300, 301), 2), ((20, 30, 40), 3)]:
        x = blobs(shape, 0.5, seed=6)
        structure = scipy.ndimage.generate_binary_structure(len(shape), connectivity)
        check_labels(label(xp.asarray(x), structure), scipy.ndimage.label(x, structure), xp)


def test_dask_labels_across_many_uneven_chunks_with_one_compute():
    import dask
    import dask.array as da

    x = blobs((37, 41, 9), 0.45, seed=7)
    chunks = ((3, 10, 1, 23), (8, 2, 20, 11), (4, 5))
    computes = []
    with (
        dask.config.set(delayed_optimize=None),
        dask.callbacks.Callback(start=lambda dsk: computes.append(1)),
    ):
        got = label(da.from_array(x, chunks=chunks), np.ones((3, 3, 3)))
    assert len(computes) == 1  # the count's compute
    expected = scipy.ndimage.label(x, np.ones((3, 3, 3)))
    assert got[1] == expected[1] and got[0].chunks == chunks
    np.testing.assert_array_equal(got[0].compute(), expected[0])


def test_dask_graph_grows_with_the_chunks_only():
    import dask.array as da

    x = blobs((64, 64), 0.5, seed=8)
    sizes = [len(label(da.from_array(x, chunks=c))[0].__dask_graph__()) for c in (16, 8)]
    assert sizes[1] <= 4.5 * sizes[0]  # 4x the chunks


def test_dask_output_too_narrow():
    import dask.array as da

    x = np.zeros(600)
    x[::2] = 1
    with pytest.raises(RuntimeError, match="insufficient bit-depth"):
        label(da.from_array(x, chunks=50), output=np.int8)


def chunking(n):
    """Uneven chunks that add up to ``n``."""
    return st.lists(st.integers(1, 4), min_size=1, max_size=n).map(lambda sizes: _cut(sizes, n))


def _cut(sizes, n):
    chunks, left = [], n
    for size in sizes:
        if left > size:
            chunks.append(size)
            left -= size
    return (*chunks, left)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), ndim=st.integers(1, 3), density=st.sampled_from([0.2, 0.5, 0.8, 1.0]))
def test_dask_any_chunks_structure_density(data, ndim, density):
    import dask.array as da

    shape = tuple(data.draw(st.lists(st.integers(1, 9), min_size=ndim, max_size=ndim)))
    chunks = tuple(data.draw(chunking(n)) for n in shape)
    structure = data.draw(structures(ndim))
    x = blobs(shape, density, seed=data.draw(st.integers(0, 100)))
    got = label(da.from_array(x, chunks=chunks), structure)
    expected = scipy.ndimage.label(x, structure)
    assert got[1] == expected[1]
    np.testing.assert_array_equal(got[0].compute(), expected[0])
