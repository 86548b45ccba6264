"""vectorized_filter against SciPy's, with the input library's own reductions, on every library."""

import functools

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, forbid_dask_compute

from gsci import ndimage
from gsci._lib._compat import array_namespace

FOOTPRINT = np.array([[1, 0, 1], [0, 1, 1]], bool)


def reduction(name):
    """``name`` (mean, max, min, ...) over ``axis`` in the windows' own library."""

    def reduce(windows, axis):
        return getattr(array_namespace(windows), name)(windows, axis=axis)

    reduce.numpy = getattr(np, name)
    return reduce


def data(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape) * 3


CASES = [
    ("mean", dict(size=3)),
    ("max", dict(size=(2, 3), axes=(0, 2), mode="mirror", origin=(0, 1))),
    ("min", dict(footprint=FOOTPRINT, axes=(1, 2), mode="constant", cval=1.5)),
    ("mean", dict(size=2, mode="valid")),
    ("max", dict(size=(2, 2, 2), mode="grid-mirror", batch_memory=20_000)),
    ("mean", dict(size=(1, 4), axes=(2, 0), mode="nearest")),
    ("sum", dict(size=3, axes=1, mode="wrap")),
]


@pytest.mark.parametrize("name, kwargs", CASES)
def test_matches_scipy(xp, name, kwargs):
    x = data((9, 8, 5))
    function = reduction(name)
    expected = scipy.ndimage.vectorized_filter(x, function.numpy, **kwargs)
    given = xp.asarray(x, chunks=(4, 3, 2)) if xp.name == "dask" else xp.asarray(x)
    assert_matches(ndimage.vectorized_filter(given, function, **kwargs), expected, xp)


def test_dask_stays_lazy_and_keeps_its_chunks():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((13, 11))
    lazy = xp.asarray(x, chunks=((1, 6, 6), (4, 2, 5)))
    with forbid_dask_compute():
        result = ndimage.vectorized_filter(lazy, reduction("max"), size=(4, 3), mode="reflect", origin=(1, 0))
    assert result.chunks == lazy.chunks
    expected = scipy.ndimage.vectorized_filter(x, np.max, size=(4, 3), mode="reflect", origin=(1, 0))
    assert_matches(result, expected, xp)


def test_under_jax_jit():
    jax = pytest.importorskip("jax")
    xp = Library.named("jax")
    x = data((7, 6))
    compiled = jax.jit(functools.partial(ndimage.vectorized_filter, function=reduction("mean"), size=(3, 2)))
    assert_matches(compiled(xp.asarray(x)), scipy.ndimage.vectorized_filter(x, np.mean, size=(3, 2)), xp)


def test_output_array_and_empty_input(xp):
    x = data((5, 6))
    expected = scipy.ndimage.vectorized_filter(x, np.max, size=2)
    if xp.name in ("numpy", "torch"):
        out = xp.asarray(np.zeros((5, 6)))
        assert ndimage.vectorized_filter(xp.asarray(x), reduction("max"), size=2, output=out) is out
        assert_matches(out, expected, xp)
    empty = np.zeros((0, 3))
    result = ndimage.vectorized_filter(xp.asarray(empty), reduction("max"), size=2)
    assert_matches(result, scipy.ndimage.vectorized_filter(empty, np.max, size=2), xp)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(size=2, footprint=FOOTPRINT),
        dict(size=0),
        dict(size=2.5),
        dict(size=(2, 2, 2)),
        dict(size=(2,), axes=(0, 1)),
        dict(size=2, origin=0.5),
        dict(size=2, origin=(0, 0, 0)),
        dict(size=2, mode="bogus"),
        dict(size=2, mode="valid", origin=1),
        dict(size=2, cval=1.0),
        dict(size=2, mode="constant", cval="a"),
        dict(size=2, batch_memory=0),
        dict(size=2, batch_memory=8),
        dict(size=3, origin=2),
    ],
)
def test_bad_arguments_raise_like_scipy(xp, kwargs):
    x = data((5, 6))
    with pytest.raises(Exception) as expected:
        scipy.ndimage.vectorized_filter(x, np.max, **kwargs)
    with pytest.raises(expected.type):
        ndimage.vectorized_filter(xp.asarray(x), reduction("max"), **kwargs)


def test_function_must_be_callable():
    with pytest.raises(ValueError, match="callable"):
        ndimage.vectorized_filter(data((3, 3)), "max", size=2)
