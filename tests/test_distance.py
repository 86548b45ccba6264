"""distance_transform_edt / cdt / bf and watershed_ift against SciPy, on every library."""

import textwrap

import numpy as np
import pytest
import scipy.ndimage
from helpers import (
    assert_exact,
    assert_matches,
    compiled,
    forbid_dask_compute,
    kernel_ptx,
    run_in_simulator,
    uneven_chunks,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci.ndimage import distance_transform_bf, distance_transform_cdt, distance_transform_edt, watershed_ift


def _image(shape, background, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random(shape) >= background


def _chunks(shape):
    return tuple(tuple(c for c in (max(1, n // 3), max(1, n // 2)) if c) or (n,) for n in shape)


@pytest.mark.parametrize("sampling", [None, 1.5, (0.7, 2.0)])
@pytest.mark.parametrize("background", [0.5, 0.97])
def test_edt_matches_scipy_on_every_library(xp, sampling, background):
    a = _image((13, 17), background)
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    want = scipy.ndimage.distance_transform_edt(a, sampling=sampling, return_indices=True)
    with forbid_dask_compute():
        got = compiled(distance_transform_edt, xp, sampling=sampling, return_indices=True)(x)
        only = compiled(distance_transform_edt, xp, sampling=sampling)(x)
        indices = compiled(
            distance_transform_edt, xp, sampling=sampling, return_distances=False, return_indices=True
        )(x)
    assert_matches(got, want, xp)
    assert_matches(only, want[0], xp)
    assert_exact(indices, want[1])
    if sampling is None or xp.module in ("numpy", "torch", "dask"):  # the Numba kernels: bit for bit
        assert_exact(got[0], want[0])
        assert_exact(got[1], want[1])


@pytest.mark.parametrize(
    "metric", ["chessboard", "taxicab", np.array([[0, 1, 0], [1, 1, 1], [0, 1, 1]], bool)]
)
def test_cdt_matches_scipy_on_every_library(xp, metric):
    a = _image((9, 12), 0.8)
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    want = scipy.ndimage.distance_transform_cdt(a, metric=metric, return_indices=True)
    with forbid_dask_compute():
        got = distance_transform_cdt(x, metric=metric, return_indices=True)
    assert_matches(got, want, xp)


def test_bf_and_watershed_match_scipy_on_every_library(xp):
    a = _image((7, 8), 0.7)
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    with forbid_dask_compute():
        got = distance_transform_bf(x, metric="taxicab", return_indices=True)
    assert_matches(got, scipy.ndimage.distance_transform_bf(a, metric="taxicab", return_indices=True), xp)
    image = (np.random.default_rng(1).random((8, 9)) * 200).astype(np.uint8)
    markers = np.zeros((8, 9), np.int8)
    markers[1, 1], markers[6, 7], markers[0, 8] = 1, 2, -1
    with forbid_dask_compute():
        labels = watershed_ift(xp.asarray(image, chunks=(3, 4)), xp.asarray(markers, chunks=(3, 4)))
    assert_matches(labels, scipy.ndimage.watershed_ift(image, markers), xp)


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=4),
    background=st.sampled_from([0.0, 0.03, 0.3, 0.7, 1.0]),
    sampled=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_edt_and_cdt_equal_scipy_bit_for_bit(shape, background, sampled, seed):
    a = _image(tuple(shape), background, seed)
    sampling = tuple(np.random.default_rng(seed).random(len(shape)) + 0.25) if sampled else None
    want = scipy.ndimage.distance_transform_edt(a, sampling=sampling, return_indices=True)
    got = distance_transform_edt(a, sampling=sampling, return_indices=True)
    assert_exact(got[0], want[0])
    assert_exact(got[1], want[1])
    for metric in ("chessboard", "taxicab"):
        want = scipy.ndimage.distance_transform_cdt(a, metric=metric, return_indices=True)
        got = distance_transform_cdt(a, metric=metric, return_indices=True)
        assert_exact(got[0], want[0])
        assert_exact(got[1], want[1])


@settings(max_examples=15, deadline=None)
@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    background=st.sampled_from([0.0, 0.2, 0.6, 1.0]),
    seed=st.integers(0, 2**16),
)
def test_edt_vectorized_engine_matches_scipy(shape, background, seed):
    import array_api_strict

    a = _image(tuple(shape), background, seed)
    want = scipy.ndimage.distance_transform_edt(a, return_indices=True)
    got = distance_transform_edt(array_api_strict.asarray(a), return_indices=True)
    assert_exact(got[0], want[0])
    assert_exact(got[1], want[1])


def test_edt_output_arrays():
    a = _image((6, 7), 0.6)
    want = scipy.ndimage.distance_transform_edt(a, return_indices=True)
    distances, indices = np.zeros(a.shape), np.zeros((2, *a.shape), np.int32)
    assert distance_transform_edt(a, return_indices=True, distances=distances, indices=indices) is None
    assert_exact(distances, want[0])
    assert_exact(indices, want[1])
    indices = np.zeros((2, *a.shape), np.int32)
    assert_exact(distance_transform_edt(a, return_indices=True, indices=indices), want[0])
    assert_exact(indices, want[1])
    for bad, message in [
        (dict(indices=np.zeros((2, 6, 6), np.int32)), "wrong shape"),
        (dict(indices=np.zeros((2, 6, 7), np.int64)), "int32"),
        (dict(distances=np.zeros((6, 6))), "wrong shape"),
        (dict(distances=np.zeros((6, 7), np.float32)), "float64"),
        (dict(return_distances=False), "at least one"),
    ]:
        for module in (scipy.ndimage, None):
            function = scipy.ndimage.distance_transform_edt if module else distance_transform_edt
            with pytest.raises(RuntimeError, match=message):
                function(a, return_indices="indices" in bad, **bad)


def test_edt_without_background_follows_scipy():
    a = np.ones((3, 4))
    for kwargs in ({}, {"sampling": (2.0, 0.5)}):
        want = scipy.ndimage.distance_transform_edt(a, return_indices=True, **kwargs)
        got = distance_transform_edt(a, return_indices=True, **kwargs)
        assert_exact(got[0], want[0])
        assert_exact(got[1], want[1])
    given_ = np.full((2, 3, 4), 5, np.int32)
    expected = given_.copy()
    distances = scipy.ndimage.distance_transform_edt(a, return_indices=True, indices=expected)
    assert_exact(distance_transform_edt(a, return_indices=True, indices=given_), distances)
    assert_exact(given_, expected)


def test_edt_bad_inputs_and_read_only_input():
    a = _image((5, 6), 0.5)
    with pytest.raises(RuntimeError, match="sequence argument"):
        distance_transform_edt(a, sampling=(1.0, 2.0, 3.0))
    with pytest.raises(RuntimeError, match="sequence argument"):
        scipy.ndimage.distance_transform_edt(a, sampling=(1.0, 2.0, 3.0))
    frozen = a.copy()
    frozen.flags.writeable = False
    assert_exact(distance_transform_edt(frozen), scipy.ndimage.distance_transform_edt(a))
    assert_exact(distance_transform_cdt(frozen), scipy.ndimage.distance_transform_cdt(a))
    assert np.array_equal(frozen, a)
    for value in (np.array(0.0), np.array(3), np.zeros((0, 4)), np.array([np.nan, 0.0, 2.0])):
        assert_exact(distance_transform_edt(value), scipy.ndimage.distance_transform_edt(value))
    big = _image((40, 50), 0.5)  # past the tiny-input SciPy shortcut
    assert_exact(distance_transform_edt(big.astype(np.float32)), scipy.ndimage.distance_transform_edt(big))


def test_cdt_bad_inputs_and_outputs():
    a = _image((5, 6), 0.5)
    for kwargs, error in [
        (dict(metric="euclidean"), ValueError),
        (dict(metric=np.ones((3, 4))), ValueError),
        (dict(distances=np.zeros((5, 6), np.float64)), ValueError),
        (dict(distances=np.zeros((5, 5), np.int32)), ValueError),
        (dict(return_distances=False), RuntimeError),
    ]:
        with pytest.raises(error):
            scipy.ndimage.distance_transform_cdt(a, **kwargs)
        with pytest.raises(error):
            distance_transform_cdt(a, **kwargs)
    given_ = np.arange(2 * a.size, dtype=np.int32).reshape(2, *a.shape)
    distances, indices = np.zeros(a.shape, np.int32), given_.copy()
    assert distance_transform_cdt(a, return_indices=True, distances=distances, indices=indices) is None
    want = np.zeros(a.shape, np.int32), given_.copy()  # SciPy gathers from the given array's values
    scipy.ndimage.distance_transform_cdt(a, return_indices=True, distances=want[0], indices=want[1])
    assert_exact(distances, want[0])
    assert_exact(indices, want[1])
    weird = np.array([[0, 2, 0], [1, 1, 0], [0, 0, 0.5]])  # SciPy reads its bytes as booleans
    assert_exact(
        distance_transform_cdt(a, metric=weird), scipy.ndimage.distance_transform_cdt(a, metric=weird)
    )


def test_edt_on_large_lines_matches_scipy():
    a = _image((3, 70, 45), 0.9, seed=3)
    want = scipy.ndimage.distance_transform_edt(a, sampling=(1.0, 0.5, 2.0), return_indices=True)
    got = distance_transform_edt(a, sampling=(1.0, 0.5, 2.0), return_indices=True)
    assert_exact(got[0], want[0])
    assert_exact(got[1], want[1])


def test_torch_output_arrays_are_written():
    torch = pytest.importorskip("torch")
    a = _image((20, 30), 0.6)
    distances = torch.zeros(a.shape, dtype=torch.float64)
    indices = torch.zeros((2, *a.shape), dtype=torch.int32)
    assert (
        distance_transform_edt(torch.asarray(a), return_indices=True, distances=distances, indices=indices)
        is None
    )
    want = scipy.ndimage.distance_transform_edt(a, return_indices=True)
    assert_exact(distances, want[0])
    assert_exact(indices, want[1])


SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci.kernels import distance
    from gsci.ndimage._morphology import _distance
    from numba.core import config

    rng = np.random.default_rng(0)
    failures = []
    for shape, sampling in [((6, 7), None), ((5,), 2.0), ((3, 4, 5), (1.0, 0.5, 2.0)), ((4, 9), None)]:
        for background in (0.5, 0.95):
            a = rng.random(shape) >= background
            want = scipy.ndimage.distance_transform_edt(a, sampling=sampling, return_indices=True)
            got = _distance.distance_transform_edt(a, sampling=sampling, return_indices=True)
            if not (np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])):
                failures.append(f"{shape} {sampling} {background}")
            only = _distance.distance_transform_edt(a, sampling=sampling)
            if not np.array_equal(only, want[0]):
                failures.append(f"distances {shape} {sampling} {background}")
    ones = np.ones((3, 4))
    if not np.array_equal(_distance.distance_transform_edt(ones), scipy.ndimage.distance_transform_edt(ones)):
        failures.append("no background")
    # one kernel for every shape, sampling and option
    assert distance._kernel.cache_info().currsize == 1
    assert len(distance._kernel().overloads) <= 2, distance._kernel().overloads.keys()
    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
def test_kernel_compiles_to_ptx(cc):
    from numba import types

    from gsci.kernels import distance

    i64 = types.int64
    signature = (types.float64[::1], types.int32[::1], i64, i64, i64, i64, types.float64, types.boolean)
    signature += (types.int64[:, ::1], types.float64[:, ::1])
    kernel_ptx(distance._source(), signature, cc)


@pytest.mark.gpu
@pytest.mark.parametrize("name", ["torch-cuda", "cupy"])
def test_kernel_on_gpu_matches_scipy(name):
    from helpers import Library

    library = Library.named(name)
    pytest.importorskip(library.module)
    a = _image((300, 200), 0.9)
    x = library.asarray(a)
    want = scipy.ndimage.distance_transform_edt(a, sampling=(1.0, 0.5), return_indices=True)
    got = distance_transform_edt(x, sampling=(1.0, 0.5), return_indices=True)
    assert_matches(got, want, library)
    assert_exact(got[1], want[1])
