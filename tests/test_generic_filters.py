"""generic_filter and generic_filter1d (a Python callable per window) against SciPy, on every library."""

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, forbid_dask_compute

from gsci import HostTransferWarning, ndimage

FOOTPRINT = np.array([[1, 0, 1], [0, 1, 1]], bool)


def data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape) * 3


def weighted_ends(line, out, scale=2.0):
    out[:] = line[:-3] * scale + line[3:]


def as_input(xp, x):
    """Dask arrays in uneven chunks of about a third of each axis."""
    return xp.asarray(x, chunks=tuple(n // 3 + 1 for n in x.shape)) if xp.name == "dask" else xp.asarray(x)


@pytest.mark.parametrize("mode", ["reflect", "constant", "nearest", "mirror", "wrap"])
def test_generic_filter_matches_scipy(xp, mode):
    x = data((13, 11))
    for kwargs in [
        dict(function=np.median, footprint=FOOTPRINT, origin=(0, -1)),
        dict(function=np.ptp, size=(2, 3), cval=2.0),
        dict(function=np.sum, size=3, axes=(1,), origin=1),
        dict(function=lambda v, k: v.max() - k, size=(3, 2), extra_arguments=(0.5,)),
    ]:
        expected = scipy.ndimage.generic_filter(x, mode=mode, **kwargs)
        assert_matches(ndimage.generic_filter(as_input(xp, x), mode=mode, **kwargs), expected, xp)


def test_generic_filter1d_matches_scipy(xp):
    x = data((13, 11), seed=1)
    for kwargs in [
        dict(filter_size=4, axis=0, mode="wrap", origin=1),
        dict(filter_size=4, axis=-1, mode="constant", cval=-1.0, extra_keywords={"scale": -0.5}),
    ]:
        expected = scipy.ndimage.generic_filter1d(x, weighted_ends, **kwargs)
        assert_matches(ndimage.generic_filter1d(as_input(xp, x), weighted_ends, **kwargs), expected, xp)


def test_output_dtype_and_array(xp):
    x = data((6, 7))
    expected = scipy.ndimage.generic_filter(x, np.max, size=2, output=np.float32)
    assert_matches(ndimage.generic_filter(as_input(xp, x), np.max, size=2, output=np.float32), expected, xp)
    ints = (x * 10).astype(np.int16)
    expected = scipy.ndimage.generic_filter(ints, np.mean, size=3)
    assert_matches(ndimage.generic_filter(as_input(xp, ints), np.mean, size=3), expected, xp)
    if xp.name in ("numpy", "torch"):
        out = xp.asarray(np.zeros((6, 7)))
        assert ndimage.generic_filter(xp.asarray(x), np.min, size=2, output=out) is out
        assert_matches(out, scipy.ndimage.generic_filter(x, np.min, size=2), xp)


def test_footprint_of_the_data_library(xp):
    if xp.name == "dask":
        pytest.skip("a Dask footprint would be computed: pass a NumPy one")
    x = data((8, 9))
    expected = scipy.ndimage.generic_filter(x, np.mean, footprint=FOOTPRINT)
    result = ndimage.generic_filter(xp.asarray(x), np.mean, footprint=xp.asarray(FOOTPRINT))
    assert_matches(result, expected, xp)


def test_dask_stays_lazy_and_keeps_its_chunks():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((17, 12, 5))
    lazy = xp.asarray(x, chunks=((1, 8, 2, 6), (5, 7), (2, 3)))
    with forbid_dask_compute():
        results = [
            ndimage.generic_filter(lazy, np.max, size=(3, 4, 2), mode="mirror"),
            ndimage.generic_filter(
                lazy, np.min, footprint=np.ones((2, 5), bool), axes=(0, 1), origin=(-1, 2)
            ),
            ndimage.generic_filter1d(lazy, weighted_ends, 4, axis=1, mode="nearest"),
        ]
    expected = [
        scipy.ndimage.generic_filter(x, np.max, size=(3, 4, 2), mode="mirror"),
        scipy.ndimage.generic_filter(x, np.min, footprint=np.ones((2, 5), bool), axes=(0, 1), origin=(-1, 2)),
        scipy.ndimage.generic_filter1d(x, weighted_ends, 4, axis=1, mode="nearest"),
    ]
    for result, want in zip(results, expected, strict=True):
        assert result.chunks == lazy.chunks
        assert_matches(result, want, xp)


@pytest.mark.parametrize(
    "function, kwargs",
    [
        ("generic_filter", dict(function=np.max)),
        ("generic_filter", dict(function=np.max, size=3, origin=2)),
        ("generic_filter", dict(function=np.max, footprint=np.ones((2, 2, 2), bool))),
        ("generic_filter1d", dict(function=weighted_ends, filter_size=0)),
        ("generic_filter1d", dict(function=weighted_ends, filter_size=4, origin=-3)),
        ("generic_filter1d", dict(function=weighted_ends, filter_size=4, axis=2)),
    ],
)
def test_bad_arguments_raise_like_scipy(xp, function, kwargs):
    x = data((6, 5))
    with pytest.raises(Exception) as expected:
        getattr(scipy.ndimage, function)(x, **kwargs)
    with pytest.raises(expected.type):
        getattr(ndimage, function)(as_input(xp, x), **kwargs)


def test_complex_input_raises_like_scipy():
    x = data((4, 4)) + 1j
    with pytest.raises(TypeError):
        scipy.ndimage.generic_filter(x, np.max, size=2)
    with pytest.raises(TypeError):
        ndimage.generic_filter(x, np.max, size=2)


@pytest.mark.gpu
def test_gpu_input_warns_of_the_host_round_trip(xp):
    if xp.device != "cuda":
        pytest.skip("GPU arrays only")
    x = data((6, 6))
    with pytest.warns(HostTransferWarning, match="generic_filter"):
        result = ndimage.generic_filter(xp.asarray(x), np.max, size=2)
    assert_matches(result, scipy.ndimage.generic_filter(x, np.max, size=2), xp)
