"""The Dask interpolation graphs (`_interp_dask.interpolate`) against SciPy with ``prefilter=False``.

The coefficients are NumPy data given to SciPy as they are (``prefilter=False``) and to gsci as a Dask
array of uneven chunks; every graph is built under `forbid_dask_compute`.
"""

import itertools
import math

import hypothesis.strategies as st
import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, forbid_dask_compute
from hypothesis import given, settings

from gsci.ndimage._interpolation import _interp_dask, _interp_xp
from gsci.ndimage._interpolation._mapping import MODES, Affine, Coordinates, ZoomShift

da = pytest.importorskip("dask.array")

DASK = Library.named("dask")
ORDERS = range(6)
SHAPE = (11, 13)
CHUNKS = ((3, 1, 5, 2), (4, 1, 6, 2))  # a one-sample chunk in every axis


def _data(shape=SHAPE, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _uneven(n):
    """Uneven chunks (1, 6, 3, 1, 6, 3, ...) of an axis of length ``n``."""
    sizes, total = [], 0
    for size in itertools.cycle((1, 6, 3)):
        if total >= n:
            return tuple(sizes) or (0,)
        sizes.append(min(size, n - total))
        total += sizes[-1]


def _lazy(
    coefficients, mapping, output_shape, order, mode, cval=0.0, npad=0, *, chunks=None, input_chunks=CHUNKS
):
    """The Dask graph of the spline with NumPy ``coefficients`` (chunked ``input_chunks``), built lazily."""
    with forbid_dask_compute():
        x = da.from_array(coefficients, chunks=input_chunks)
        return _interp_dask.interpolate(x, mapping, output_shape, order, mode, cval, npad, da, chunks=chunks)


def _zoom_mapping(shape, output_shape, grid_mode):
    """SciPy's zoom factors for ``output_shape`` (as `scipy.ndimage.zoom` computes them)."""
    den = np.array(output_shape) - (0 if grid_mode else 1)
    num = np.array(shape) - (0 if grid_mode else 1)
    zoom = np.divide(num, den, out=np.ones(len(shape)), where=den != 0)
    return ZoomShift(tuple(float(z) for z in zoom), None, grid_mode)


ZOOMS = {"up": ((1.7, 1.4), False), "down": ((0.5, 0.6), False), "grid up": ((1.5, 2.0), True)}


@pytest.mark.filterwarnings("ignore:It is recommended to use mode")
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", ZOOMS)
def test_zoom_matches_scipy(order, mode, case):
    factors, grid_mode = ZOOMS[case]
    x = _data()
    expected = scipy.ndimage.zoom(
        x, factors, order=order, mode=mode, cval=0.3, prefilter=False, grid_mode=grid_mode
    )
    mapping = _zoom_mapping(SHAPE, expected.shape, grid_mode)
    chunks = tuple(_uneven(n) for n in expected.shape)
    assert_matches(_lazy(x, mapping, expected.shape, order, mode, 0.3, chunks=chunks), expected, DASK)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode", MODES)
def test_shift_matches_scipy(order, mode):
    x = _data()
    expected = scipy.ndimage.shift(x, (2.3, -4.6), order=order, mode=mode, cval=-0.7, prefilter=False)
    lazy = _lazy(x, ZoomShift(None, (-2.3, 4.6)), SHAPE, order, mode, -0.7)
    assert lazy.chunks == CHUNKS  # the input's chunks, where the output has the input's shape
    assert_matches(lazy, expected, DASK)


def test_zoom_output_chunks_of_about_the_input_chunk_size():
    x = _data()
    expected = scipy.ndimage.zoom(x, (20 / 11, 7 / 13), order=3, mode="grid-mirror", prefilter=False)
    lazy = _lazy(x, _zoom_mapping(SHAPE, (20, 7), False), (20, 7), 3, "reflect")
    assert lazy.chunks == ((5, 5, 5, 5), (6, 1))  # the input's largest chunks are (5, 6)
    assert_matches(lazy, expected, DASK)


@pytest.mark.parametrize("order", [0, 3, 5])
def test_diagonal_affine_transform_as_zoom_and_shift(order):
    # SciPy's affine_transform with a 1-D matrix is a ZoomShift of zoom matrix, shift offset / matrix
    x = _data()
    matrix, offset, output_shape = np.array([0.7, 1.3]), np.array([1.5, -2.0]), (14, 9)
    expected = scipy.ndimage.affine_transform(
        x, matrix, offset, output_shape, order=order, mode="mirror", prefilter=False
    )
    mapping = ZoomShift(tuple(matrix.tolist()), tuple((offset / matrix).tolist()))
    lazy = _lazy(x, mapping, output_shape, order, "mirror", chunks=tuple(_uneven(n) for n in output_shape))
    assert_matches(lazy, expected, DASK)


def _rotation(degrees):
    a = np.deg2rad(degrees)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


MATRICES = {
    "rotation": (_rotation(30), np.array([3.0, -2.5]), (14, 12)),
    "shear": (np.array([[1.0, 0.4], [0.0, 0.9]]), np.array([-1.0, 0.5]), SHAPE),
    "onto a line": (np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([0.0, 1.0]), (9, 10)),
    "onto a point": (np.zeros((2, 2)), np.array([4.2, 7.7]), (6, 7)),
}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", MATRICES)
def test_affine_transform_matches_scipy(order, mode, case):
    matrix, offset, output_shape = MATRICES[case]
    x = _data()
    expected = scipy.ndimage.affine_transform(
        x, matrix, offset, output_shape, order=order, mode=mode, cval=1.5, prefilter=False
    )
    mapping = Affine(tuple(map(tuple, matrix.tolist())), tuple(offset.tolist()))
    chunks = tuple(_uneven(n) for n in output_shape)
    assert_matches(_lazy(x, mapping, output_shape, order, mode, 1.5, chunks=chunks), expected, DASK)


RANK_CHANGES = {
    "2 to 4 axes": (np.array([[0.5, 0.3, 0.2, 0.1], [0.1, -0.4, 0.9, 0.2]]), (4, 3, 5, 2)),
    "2 to 1 axis": (np.array([[0.5], [-0.9]]), (9,)),
}


@pytest.mark.parametrize(("order", "mode"), [(0, "nearest"), (3, "mirror"), (5, "grid-wrap")])
@pytest.mark.parametrize("case", RANK_CHANGES)
def test_affine_transform_to_another_rank(order, mode, case):
    matrix, output_shape = RANK_CHANGES[case]
    x = _data()
    expected = scipy.ndimage.affine_transform(
        x, matrix, (1.0, 2.0), output_shape, order=order, mode=mode, prefilter=False
    )
    mapping = Affine(tuple(map(tuple, matrix.tolist())), (1.0, 2.0))
    assert_matches(_lazy(x, mapping, output_shape, order, mode), expected, DASK)


@pytest.mark.parametrize(
    ("input_chunks", "output_chunks"),
    [(CHUNKS, ((4, 5),)), (CHUNKS, ((2, 1), (3,), (1, 3))), (((5, 1, 11),), ((2,), (3, 1)))],
)
def test_map_coordinates_to_another_rank(input_chunks, output_chunks):
    shape = tuple(map(sum, input_chunks))
    x = _data(shape)
    output_shape = tuple(map(sum, output_chunks))
    coordinates = np.random.default_rng(6).uniform(-2.0, 16.0, (len(shape), *output_shape))
    expected = scipy.ndimage.map_coordinates(x, coordinates, order=3, mode="reflect", prefilter=False)
    with forbid_dask_compute():
        lazy_coordinates = da.from_array(coordinates, chunks=(1, *output_chunks))
        lazy = _lazy(x, Coordinates(lazy_coordinates), output_shape, 3, "reflect", input_chunks=input_chunks)
    assert lazy.chunks == output_chunks
    assert_matches(lazy, expected, DASK)


def test_affine_transform_in_three_dimensions():
    x = _data((6, 7, 5))
    matrix = np.array([[0.9, 0.2, -0.1], [-0.2, 1.1, 0.3], [0.1, 0.0, 0.8]])
    offset = np.array([0.5, -1.0, 1.5])
    expected = scipy.ndimage.affine_transform(x, matrix, offset, order=3, mode="reflect", prefilter=False)
    mapping = Affine(tuple(map(tuple, matrix.tolist())), tuple(offset.tolist()))
    lazy = _lazy(x, mapping, x.shape, 3, "reflect", input_chunks=((2, 1, 3), (3, 4), (1, 2, 2)))
    assert_matches(lazy, expected, DASK)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("mode", MODES)
def test_map_coordinates_matches_scipy(order, mode):
    x = _data()
    coordinates = np.random.default_rng(1).uniform(-3.0, 15.0, (2, 7, 5))
    expected = scipy.ndimage.map_coordinates(
        x, coordinates, order=order, mode=mode, cval=2.0, prefilter=False
    )
    with forbid_dask_compute():
        lazy_coordinates = da.from_array(coordinates, chunks=((1, 1), (3, 1, 3), (2, 3)))
        lazy = _lazy(x, Coordinates(lazy_coordinates), (7, 5), order, mode, 2.0)
    assert lazy.chunks == ((3, 1, 3), (2, 3))  # the coordinates' chunks
    assert_matches(lazy, expected, DASK)


def test_map_coordinates_with_output_chunks():
    x = _data()
    coordinates = np.random.default_rng(2).uniform(-1.0, 12.0, (2, 6, 8))
    expected = scipy.ndimage.map_coordinates(x, coordinates, order=3, mode="grid-wrap", prefilter=False)
    with forbid_dask_compute():
        lazy_coordinates = da.from_array(coordinates, chunks=(1, 6, (5, 3)))
        lazy = _lazy(x, Coordinates(lazy_coordinates), (6, 8), 3, "grid-wrap", chunks=((1, 5), (2, 2, 4)))
    assert lazy.chunks == ((1, 5), (2, 2, 4))
    assert_matches(lazy, expected, DASK)


def _padded_grid(mapping, output_shape, npad):
    """SciPy's input coordinates of every output point, in the array padded by ``npad``."""
    index = np.indices(output_shape, dtype=np.float64)
    if isinstance(mapping, Affine):
        grid = np.tensordot(np.array(mapping.matrix), index, axes=1)
        grid += np.reshape(mapping.offset, (-1,) + (1,) * len(output_shape))
        return grid + npad
    return np.stack([(k + s) * z for k, s, z in zip(index, mapping.shift, mapping.zoom, strict=True)]) + npad


PADDED = {
    "zoom-shift": ZoomShift((0.8, 1.1), (0.5, -3.0)),
    "affine": Affine(((0.9, -0.3), (0.3, 0.9)), (2.0, -1.0)),
    "coordinates": np.random.default_rng(7).uniform(-16.0, 28.0, (2, *SHAPE)),  # beyond the padding too
}


@pytest.mark.parametrize("mode", ["nearest", "grid-constant"])
@pytest.mark.parametrize("kind", PADDED)
def test_padded_coefficients(mode, kind):
    # the prefilter's 12 samples of padding ('nearest', 'grid-constant'), chunked on their own and merged
    npad, mapping = 12, PADDED[kind]
    if mode == "nearest":
        padded = np.pad(_data(), npad, mode="edge")
    else:
        padded = np.pad(_data(), npad, constant_values=0.25)
    if kind == "coordinates":
        grid, mapping = mapping + npad, Coordinates(da.from_array(mapping, chunks=(1, *CHUNKS)))
    else:
        grid = _padded_grid(mapping, SHAPE, npad)
    expected = scipy.ndimage.map_coordinates(padded, grid, order=3, mode=mode, cval=0.25, prefilter=False)
    chunks = ((12, 3, 1, 5, 2, 12), (16, 1, 6, 14))
    lazy = _lazy(padded, mapping, SHAPE, 3, mode, 0.25, npad=npad, input_chunks=chunks)
    assert lazy.chunks == CHUNKS  # the unpadded input's chunks (the coordinates' for Coordinates)
    assert_matches(lazy, expected, DASK)


@pytest.mark.parametrize("kind", ["zoom", "affine", "coordinates"])
def test_batch_axes_keep_their_chunks(kind):
    x = _data((3, 2, *SHAPE))
    output_shape = (8, 9)
    if kind == "coordinates":
        coordinates = np.random.default_rng(4).uniform(-2.0, 13.0, (2, *output_shape))
        mapping = Coordinates(da.from_array(coordinates, chunks=(2, (3, 5), (4, 5))))
    elif kind == "affine":
        mapping = Affine(((0.8, 0.2), (-0.1, 1.1)), (1.0, 0.5))
        coordinates = _padded_grid(mapping, output_shape, 0)
    else:
        mapping = _zoom_mapping(SHAPE, output_shape, False)
        mapping = ZoomShift(mapping.zoom, (0.0, 0.0))
        coordinates = _padded_grid(mapping, output_shape, 0)
    expected = np.stack(
        [
            [
                scipy.ndimage.map_coordinates(b, coordinates, order=2, mode="wrap", prefilter=False)
                for b in row
            ]
            for row in x
        ]
    )
    lazy = _lazy(x, mapping, output_shape, 2, "wrap", input_chunks=((2, 1), (1, 1), *CHUNKS))
    assert lazy.chunks[:2] == ((2, 1), (1, 1))
    assert_matches(lazy, expected, DASK)


def _chunking(n, seed):
    """Random uneven chunks of an axis of length ``n``."""
    rng = np.random.default_rng(seed)
    cuts = np.unique(rng.integers(0, n + 1, rng.integers(0, 4)))
    return tuple(int(c) for c in np.diff([0, *cuts, n]) if c) or (n,)


@pytest.mark.filterwarnings("ignore:It is recommended to use mode")
@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 8), min_size=1, max_size=3),
    sizes=st.lists(st.integers(1, 9), min_size=3, max_size=3),
    kind=st.sampled_from(["zoom", "grid zoom", "shift", "affine", "degenerate affine"]),
    order=st.integers(0, 5),
    mode=st.sampled_from(MODES),
    seed=st.integers(0, 2**16),
)
def test_random_mappings_and_chunks_match_scipy(shape, sizes, kind, order, mode, seed):
    shape = tuple(shape)
    ndim, rng = len(shape), np.random.default_rng(seed)
    x = _data(shape, seed)
    output_shape = tuple(sizes[:ndim])  # zoom to size 1 included
    kwargs = {"order": order, "mode": mode, "cval": 0.5, "prefilter": False}
    if kind in ("zoom", "grid zoom"):
        grid_mode = kind == "grid zoom"
        factors = np.array(output_shape) / np.array(shape)
        expected = scipy.ndimage.zoom(x, factors, grid_mode=grid_mode, **kwargs)
        mapping = _zoom_mapping(shape, expected.shape, grid_mode)
    elif kind == "shift":
        shift = rng.uniform(-4.0, 4.0, ndim)
        expected, output_shape = scipy.ndimage.shift(x, shift, **kwargs), shape
        mapping = ZoomShift(None, tuple((-shift).tolist()))
    else:
        matrix, offset = rng.uniform(-1.5, 1.5, (ndim, ndim)), rng.uniform(-3.0, 3.0, ndim)
        if kind == "degenerate affine":
            matrix[rng.integers(0, ndim)] = 0.0  # an axis of the output mapped to one plane
            matrix[:, 0] = matrix[:, -1]
        expected = scipy.ndimage.affine_transform(x, matrix, offset, output_shape, **kwargs)
        mapping = Affine(tuple(map(tuple, matrix.tolist())), tuple(offset.tolist()))
    chunks = tuple(_chunking(n, seed + a) for a, n in enumerate(expected.shape))
    input_chunks = tuple(_chunking(n, seed + 7 + a) for a, n in enumerate(shape))
    lazy = _lazy(x, mapping, expected.shape, order, mode, 0.5, chunks=chunks, input_chunks=input_chunks)
    assert_matches(lazy, expected, DASK)


def test_empty_output():
    x = _data()
    expected = scipy.ndimage.affine_transform(x, np.eye(2), output_shape=(0, 5), order=3, prefilter=False)
    assert_matches(
        _lazy(x, Affine(((1.0, 0.0), (0.0, 1.0)), (0.0, 0.0)), (0, 5), 3, "constant"), expected, DASK
    )


@pytest.mark.parametrize(
    "mapping", [ZoomShift(None, (1.5, -2.5)), ZoomShift((0.9, 1.2), None)], ids=["shift", "zoom"]
)
def test_interior_chunks_read_only_their_box(monkeypatch, mapping):
    """Each task's block is its output chunk's box (plus the spline's margin), not the whole input,
    except along an axis where the box reaches the array's edge."""
    import dask

    shape, size, order = (60, 48), 6, 5
    blocks = []
    engine = _interp_xp.interpolate

    def recording(coefficients, *args, **kwargs):
        blocks.append((coefficients.shape, args[1]))
        return engine(coefficients, *args, **kwargs)

    monkeypatch.setattr(_interp_xp, "interpolate", recording)
    x = _data(shape)
    lazy = _lazy(x, mapping, shape, order, "mirror", chunks=size, input_chunks=size)
    with dask.config.set(scheduler="sync"):
        got = lazy.compute()
    grid = _padded_grid(ZoomShift(mapping.zoom or (1.0, 1.0), mapping.shift or (0.0, 0.0)), shape, 0)
    np.testing.assert_allclose(
        got, scipy.ndimage.map_coordinates(x, grid, order=order, mode="mirror", prefilter=False)
    )
    assert len(blocks) == (shape[0] // size) * (shape[1] // size)
    zoom = mapping.zoom or (1.0, 1.0)
    widest = [int(np.ceil(size * z)) + 2 * (order // 2 + 3) for z in zoom]
    whole = [0, 0]
    for block, out in blocks:
        assert out == (size, size)
        for axis, n in enumerate(block):
            if n == shape[axis]:
                whole[axis] += 1
            else:
                assert n <= widest[axis]
    # only chunks whose box reaches an edge take the whole axis: a few rows and columns of chunks
    assert whole[0] <= 3 * (shape[1] // size) and whole[1] <= 3 * (shape[0] // size)


@pytest.mark.parametrize(
    ("mapping", "output_shape"),
    [
        (ZoomShift(None, (0.5, 0.5)), (60, 60)),
        (Affine(tuple(map(tuple, _rotation(30).tolist())), (-10.0, 20.0)), (85, 85)),  # corners outside
    ],
    ids=["shift", "rotation"],
)
def test_graph_grows_with_the_output_chunks(mapping, output_shape):
    x = da.from_array(_data((60, 60)), chunks=5)
    with forbid_dask_compute():
        lazy = _interp_dask.interpolate(x, mapping, output_shape, 3, "constant", 0.0, 0, da)
    outputs, inputs = math.prod(lazy.numblocks), math.prod(x.numblocks)
    # per output chunk: its task and the pieces of the (at most 4 x 4) input chunks its box overlaps, the
    # axes it reads whole in one chunk (a rechunk shared by all); tasks that each read the whole input
    # chunk by chunk would make outputs x inputs
    assert len(lazy.dask.layers[lazy.name]) < 20 * outputs
    assert len(lazy.dask) < 20 * outputs + 3 * inputs


def test_on_a_local_cluster():
    distributed = pytest.importorskip("distributed")
    x = _data()
    coordinates = np.random.default_rng(5).uniform(-1.0, 12.0, (2, 5, 6))
    mapping = Affine(tuple(map(tuple, _rotation(20).tolist())), (1.0, -2.0))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        lazies = [
            _lazy(x, mapping, SHAPE, 3, "reflect"),
            _lazy(x, ZoomShift((0.5, 0.7), (1.0, 0.0)), (7, 6), 4, "nearest", chunks=(3, 4)),
            _lazy(x, Coordinates(da.from_array(coordinates, chunks=(1, 2, 3))), (5, 6), 1, "constant"),
        ]
        results = client.compute(lazies, sync=True)
    expected = [
        scipy.ndimage.affine_transform(
            x, _rotation(20), (1.0, -2.0), order=3, mode="reflect", prefilter=False
        ),
        scipy.ndimage.map_coordinates(
            x,
            _padded_grid(ZoomShift((0.5, 0.7), (1.0, 0.0)), (7, 6), 0),
            order=4,
            mode="nearest",
            prefilter=False,
        ),
        scipy.ndimage.map_coordinates(x, coordinates, order=1, mode="constant", prefilter=False),
    ]
    for got, want in zip(results, expected, strict=True):
        assert_matches(got, want, Library.named("numpy"))
