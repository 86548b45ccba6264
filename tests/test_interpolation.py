"""map_coordinates, affine_transform, shift, zoom, rotate and geometric_transform against SciPy, on every
library."""

import textwrap
import warnings

import numpy as np
import pytest
import scipy.ndimage
from helpers import (
    assert_exact,
    assert_matches,
    compiled,
    forbid_dask_compute,
    run_in_simulator,
    uneven_chunks,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci._lib._arrays import HostTransferWarning
from gsci.ndimage._interpolation._geometric import (
    affine_transform,
    geometric_transform,
    map_coordinates,
    rotate,
    shift,
    zoom,
)

MODES = ("constant", "grid-constant", "nearest", "reflect", "grid-mirror", "mirror", "grid-wrap", "wrap")
# every mode once, every order at least once
MODE_ORDERS = tuple(zip(MODES, (0, 1, 2, 3, 4, 5, 3, 2), strict=True))
OURS = {
    "map_coordinates": map_coordinates,
    "affine_transform": affine_transform,
    "shift": shift,
    "zoom": zoom,
    "rotate": rotate,
}
MATRIX = np.array([[0.9, 0.25], [-0.3, 1.1]])


@pytest.fixture(autouse=True)
def _native():
    """Small NumPy calls run SciPy itself under "auto" (`test_small_numpy_calls_run_scipy`): gsci's own
    path is what these tests compare."""
    with gsci.backend("native"):
        yield


def test_small_numpy_calls_run_scipy():
    a = _image((8, 8))
    with gsci.backend("auto"):
        for name in OURS:
            got, want = _both(name, a, a, _NUMPY, order=3)
            assert_exact(got, want)
    big = _image((70, 70))
    with gsci.backend("auto"):
        for name in OURS:
            got, want = _both(name, big, big, _NUMPY, order=1, mode="nearest")
            np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11)


def _image(shape, seed=0):
    return np.random.default_rng(seed).random(shape)


def _points(shape, count, seed=1):
    """Coordinates (len(shape), count): most inside the input, some past each edge."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(-2.5, n + 1.5, count) for n in shape])


def _arguments(name, shape):
    """The keyword arguments of a typical call of ``name`` on an input of ``shape`` (2-D), besides input."""
    return {
        "affine_transform": dict(matrix=MATRIX, offset=(0.7, -1.2)),
        "shift": dict(shift=(1.3, -2.45)),
        "zoom": dict(zoom=(1.6, 0.55)),
        "rotate": dict(angle=33.0),
    }.get(name, {})


def _both(name, a, x, xp, **kwargs):
    """``(gsci's result on x, SciPy's on a)`` for ``name``; map_coordinates samples random points."""
    if name == "map_coordinates":
        points = _points(a.shape, 23)
        want = scipy.ndimage.map_coordinates(a, points, **kwargs)
        with forbid_dask_compute():
            got = compiled(map_coordinates, xp, **kwargs)(x, xp.asarray(points, chunks=(2, (5, 11, 7))))
        return got, want
    kwargs = {**_arguments(name, a.shape), **kwargs}
    want = getattr(scipy.ndimage, name)(a, **kwargs)
    with forbid_dask_compute():
        got = compiled(OURS[name], xp, **kwargs)(x)
    return got, want


def _sample(xp, cases, count):
    """The cases a library runs: JAX compiles each call under ``jax.jit`` for seconds, so it runs the
    first ``count``; the other libraries run them all."""
    return list(cases)[:count] if xp.module == "jax" else list(cases)


def _jax_runs(xp, case, cases, count, slow=("jax",)):
    """Skip the test for JAX (``slow``) unless ``case`` is among the first ``count`` of ``cases`` (see
    `_sample`; Dask's graphs of many blocks take seconds too)."""
    if xp.module in slow and list(cases).index(case) >= count:
        pytest.skip(f"{xp.module}: {count} of these cases (a call takes seconds)")


@pytest.mark.parametrize("mode,order", MODE_ORDERS)
@pytest.mark.parametrize("name", list(OURS))
def test_functions_match_scipy_on_every_library(xp, name, mode, order):
    if xp.module == "jax" and list(OURS).index(name) != MODES.index(mode) % len(OURS):
        pytest.skip("jax: each mode with one function (a jit compile takes seconds)")
    a = _image((7, 9))
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    got, want = _both(name, a, x, xp, order=order, mode=mode, cval=0.75)
    assert_matches(got, want, xp)


@pytest.mark.parametrize("name", list(OURS))
def test_float32_and_integer_input_and_prefilter_false_on_every_library(xp, name):
    _jax_runs(xp, name, OURS, 2)
    a = _image((6, 8))
    cases = [
        (a.astype(np.float32), dict(order=3, mode="mirror")),
        ((a * 200).astype(np.uint8), dict(order=1, mode="nearest")),
        (a, dict(order=4, mode="reflect", prefilter=False)),
        (a, dict(order=2, mode="grid-constant", cval=-1.5, prefilter=False)),
    ]
    for data, kwargs in _sample(xp, cases, 1):
        got, want = _both(name, data, xp.asarray(data, chunks=uneven_chunks(data.shape)), xp, **kwargs)
        assert_matches(got, want, xp)


def test_every_order_and_mode_on_numpy():
    a = _image((6, 7))
    for name in OURS:
        for order in range(6):
            for mode in MODES:
                for prefilter in (True, False):
                    kwargs = dict(order=order, mode=mode, cval=-0.5, prefilter=prefilter)
                    got, want = _both(name, a, a, _NUMPY, **kwargs)
                    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11, err_msg=f"{name} {kwargs}")
                    assert got.dtype == want.dtype


class _Numpy:
    """`helpers.Library`'s face for NumPy in NumPy-only tests."""

    module, device, ns = "numpy", "cpu", np

    @staticmethod
    def asarray(a, chunks=None):
        return np.array(a)


_NUMPY = _Numpy()


# ---- output dtypes and arrays ---------------------------------------------------------------------

INTEGER_OUTPUTS = ("int8", "uint64", "bool", "int32", "uint8", "int16", "uint16", "uint32", "int64")


@pytest.mark.parametrize("dtype", [*INTEGER_OUTPUTS, "float32"])
def test_integer_and_bool_outputs_round_as_scipy(xp, dtype):
    _jax_runs(xp, dtype, (*INTEGER_OUTPUTS, "float32"), 4)
    if xp.module == "torch" and dtype in ("uint16", "uint32", "uint64"):
        pytest.skip("torch has no arithmetic on uint16/32/64")
    # ties (x.5 exactly: order 1 halfway), values past every type's range, NaN, small negatives
    line = np.array([0.0, 1.0, -1.0, 2.0, -3.0, 300.0, -300.0, 7e4, -7e4, 5e9, -5e9, 2e19, -2e19, 4e19])
    a = np.stack([line, line[::-1] + 0.25, line * 0.01])
    a[1, 4] = np.nan
    x = xp.asarray(a, chunks=((1, 2), (5, 9)))
    want = scipy.ndimage.shift(a, (0.0, 0.5), output=np.dtype(dtype), order=1, mode="nearest")
    with forbid_dask_compute():
        got = compiled(shift, xp, shift=(0.0, 0.5), output=xp.dtype(dtype), order=1, mode="nearest")(x)
    assert_exact(got, want)
    if dtype != "bool" and xp.module != "jax":  # SciPy refuses 'bool' by name (not numeric)
        assert_exact(shift(x, (0, 0.5), output=dtype, order=1, mode="nearest"), want)


def test_integer_outputs_on_numpy_every_function():
    a = _image((7, 9)) * 600 - 300
    for name in OURS:
        for dtype in INTEGER_OUTPUTS:
            got, want = _both(name, a, a, _NUMPY, output=np.dtype(dtype), order=1)
            assert_exact(got, want)


def test_output_arrays_are_written_and_returned(xp):
    a = _image((5, 6))
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    for name in _sample(xp, OURS, 2):
        kwargs = _arguments(name, a.shape)
        points = _points(a.shape, 4)
        host = {**kwargs, "coordinates": points} if name == "map_coordinates" else kwargs
        want = getattr(scipy.ndimage, name)(a, **host, output=np.float32)
        output = xp.asarray(np.zeros(want.shape, np.float32))
        data = (x, xp.asarray(points)) if name == "map_coordinates" else (x,)
        with forbid_dask_compute():
            got = compiled(OURS[name], xp, **kwargs, output=output)(*data)
        assert_matches(got, want, xp)
        if xp.module in ("numpy", "torch", "array_api_strict"):  # writable arrays: written in and returned
            assert got is output
            assert_matches(output, want, xp)


def test_output_shape_and_dtype_errors_as_scipy():
    a = _image((5, 6))
    for kwargs in [
        dict(output=np.zeros((5, 5))),
        dict(output=np.float16),
        dict(output="bool"),
        dict(output=np.complex128),
        dict(output="complex64"),
        dict(output=np.zeros((5, 6), complex)),
    ]:
        for function in (scipy.ndimage.shift, shift):
            with pytest.raises(RuntimeError):
                function(a, 0.5, **kwargs)
    for function in (scipy.ndimage.shift, shift):
        with pytest.raises(RuntimeError):
            function(a.astype(np.float16), 0.5)
        with pytest.raises(RuntimeError, match="rank"):
            function(np.array(2.0), 0.5)
    for function in (scipy.ndimage.affine_transform, affine_transform):
        with pytest.raises(RuntimeError, match="shape"):
            function(a, np.eye(2), output_shape=(4, 4), output=np.zeros((5, 6)))


# ---- complex input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(OURS))
def test_complex_input_on_every_library(xp, name):
    _jax_runs(xp, name, list(OURS)[::-1], 2)
    a = _image((6, 7)) + 1j * _image((6, 7), seed=3)
    cases = [(a, dict(cval=0.5 - 2j, order=3)), (a.astype(np.complex64), dict(order=1, mode="wrap"))]
    for data, kwargs in _sample(xp, cases, 1):
        got, want = _both(name, data, xp.asarray(data, chunks=uneven_chunks(data.shape)), xp, **kwargs)
        assert_matches(got, want, xp)


def test_complex_errors_and_promotion_as_scipy():
    a = _image((5, 6))
    c = a + 1j
    for function in (shift, scipy.ndimage.shift):
        with pytest.raises(TypeError):
            function(a, 0.5, cval=1j)  # a complex cval for real input
        with pytest.raises(RuntimeError, match="complex"):
            function(c, 0.5, output="float64")
        with pytest.raises(RuntimeError, match="complex"):
            function(c, 0.5, output=np.zeros((5, 6)))
        with pytest.warns(UserWarning, match="promoting"):
            result = function(c, 0.5, output=np.float32)
        assert result.dtype == np.complex64
    for function in (map_coordinates, scipy.ndimage.map_coordinates):
        with pytest.raises(TypeError, match="Complex"):
            function(a, np.zeros((2, 3), complex))


# ---- rotate, zoom and affine_transform specifics ----------------------------------------------------

ROTATIONS = [
    ((0, 2), True),
    ((2, 1), False),
    ((1, 0), True),
    ((-1, -3), False),
    ((1, 2), True),
    ((0, 1), False),
]


@pytest.mark.parametrize("axes,reshape", ROTATIONS)
def test_rotate_3d_planes_on_every_library(xp, axes, reshape):
    _jax_runs(xp, (axes, reshape), ROTATIONS, 2)
    _jax_runs(xp, (axes, reshape), ROTATIONS, 3, slow=("dask",))
    a = _image((4, 5, 6))
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    kwargs = dict(angle=-70.0, axes=axes, reshape=reshape, order=2, mode="nearest")
    want = scipy.ndimage.rotate(a, **kwargs)
    with forbid_dask_compute():
        got = compiled(rotate, xp, **kwargs)(x)
    assert_matches(got, want, xp)


def test_rotate_angles_and_4d_match_scipy():
    a = _image((5, 8))
    for angle in (0.0, 90.0, 180.0, -270.0, 45.0, 1e-3, 359.5):
        for reshape in (True, False):
            want = scipy.ndimage.rotate(a, angle, reshape=reshape, order=3)
            got = rotate(a, angle, reshape=reshape, order=3)
            np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11)
    b = _image((2, 3, 4, 5))
    for axes in ((1, 3), (0, 2)):
        want = scipy.ndimage.rotate(b + 1j * b, 20, axes=axes, order=1, cval=1j)
        np.testing.assert_allclose(rotate(b + 1j * b, 20, axes=axes, order=1, cval=1j), want, atol=1e-12)


def test_zoom_grid_mode_size_one_and_identity(xp):
    a = _image((6, 5)) * 10
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    cases = [
        dict(zoom=(1.5, 2.2), grid_mode=True, mode="grid-constant", cval=0.3),
        dict(zoom=(1 / 6, 0.2)),  # to one point per axis
        dict(zoom=1.0, output="int16"),  # SciPy's early exit: a plain cast
        dict(zoom=(0.7, 1.3), grid_mode=True, mode="grid-wrap"),
        dict(zoom=(0.7, 1.3), grid_mode=True, mode="reflect", order=1),
        dict(zoom=(1 / 6, 0.2), grid_mode=True, mode="mirror"),
        dict(zoom=(0.1, 2.0)),  # to no point along axis 0
        dict(zoom=1.0, prefilter=False),
    ]
    for kwargs in _sample(xp, cases, 3):
        want = scipy.ndimage.zoom(a, **kwargs)
        with forbid_dask_compute():
            got = compiled(zoom, xp, **kwargs)(x)
        assert_matches(got, want, xp)


def test_zoom_grid_mode_warnings_as_scipy():
    a = _image((4, 5))
    for mode in ("constant", "wrap"):
        for function in (zoom, scipy.ndimage.zoom):
            with pytest.warns(UserWarning, match=f"grid-{mode}"):
                function(a, 1.5, mode=mode, grid_mode=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zoom(a, 1.5, mode="grid-constant", grid_mode=True)
    c = a + 1j * a  # SciPy 1.17 drops grid_mode for complex input: so does gsci
    np.testing.assert_allclose(zoom(c, 1.5, grid_mode=True), scipy.ndimage.zoom(c, 1.5, grid_mode=True))


MATRICES = {
    "diagonal (ndim,)": (np.array([0.8, 1.3]), 0.5),
    "square": (MATRIX, (0.25, -1.0)),
    "(ndim, ndim + 1)": (np.array([[0.9, 0.2, 1.45], [-0.1, 1.2, -0.55]]), 0.0),
    "homogeneous": (np.array([[0.9, 0.2, 1.45], [-0.1, 1.2, -0.55], [0.0, 0.0, 1.0]]), 0.0),
    "singular": (np.array([[1.0, 2.0], [0.5, 1.0]]), (1.1, 0.3)),
    "zero": (np.zeros((2, 2)), (2.2, 3.0)),
    "list and array offset": ([[1.0, 0.3], [0.0, 0.7]], np.array([0.4, -0.6])),
}


@pytest.mark.parametrize("case", list(MATRICES))
def test_affine_matrix_shapes_on_every_library(xp, case):
    _jax_runs(xp, case, MATRICES, 4)
    matrix, offset = MATRICES[case]
    a = _image((6, 7))
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    cases = [dict(order=3, mode="constant"), dict(order=1, mode="grid-wrap", output_shape=(4, 9))]
    for kwargs in _sample(xp, cases, 1):
        want = scipy.ndimage.affine_transform(a, matrix, offset, **kwargs)
        with forbid_dask_compute():
            got = compiled(affine_transform, xp, matrix=matrix, offset=offset, **kwargs)(x)
        assert_matches(got, want, xp)


def test_affine_matrix_of_the_data_library_and_traced(xp):
    a = _image((6, 7))
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    cases = [
        (MATRIX, np.array([0.5, -0.25])),
        (MATRICES["homogeneous"][0], 0.0),
        (np.array([1.2, 0.7]), 0.3),
    ]
    for matrix, offset in _sample(xp, cases, 2):
        want = scipy.ndimage.affine_transform(a, matrix, offset, order=1)
        m, o = xp.asarray(matrix), xp.asarray(np.asarray(offset))
        if xp.module == "jax":  # traced matrix and offset: the input points come from jax ops
            import jax

            got = jax.jit(lambda x, m, o: affine_transform(x, m, o, order=1))(x, m, o)
        else:
            got = affine_transform(x, m, o, order=1)
            if xp.module == "dask":  # a Dask matrix is computed (a few numbers), the data is not
                affine_transform(_uncomputable(x), m, o, order=1)
        assert_matches(got, want, xp)


def test_homogeneous_matrix_of_the_data_library_is_checked(xp):
    """SciPy's ValueError for a bottom row other than (0, ..., 0, 1), whatever the matrix's library."""
    x = xp.asarray(_image((3, 4)), chunks=(2, 3))
    matrix = xp.asarray(np.array([[1.0, 0, -1], [0, 1, -1], [5, 2, 1]]))
    with pytest.raises(ValueError, match="bottom row"):
        affine_transform(x, matrix)
    with pytest.raises(ValueError, match="bottom row"):
        scipy.ndimage.affine_transform(_image((3, 4)), np.array([[1.0, 0, -1], [0, 1, -1], [5, 2, 1]]))


def _uncomputable(data):
    """Dask ``data`` whose blocks fail the test when computed."""

    def computed(block):
        raise AssertionError("gsci computed the data; only the matrix may be computed")

    return data.map_blocks(computed, dtype=data.dtype)


def test_affine_matrix_of_another_rank():
    a = _image((5, 6))
    rng = np.random.default_rng(0)
    for matrix, shape in [(np.ones((2, 1)), (4,)), (rng.random((2, 4)), (2, 3, 4, 2))]:
        want = scipy.ndimage.affine_transform(a, matrix, 0.5, output_shape=shape, order=1)
        np.testing.assert_allclose(affine_transform(a, matrix, 0.5, output_shape=shape, order=1), want)
    b = _image((4, 5, 3))
    matrix = rng.random((3, 2)) * 3
    want = scipy.ndimage.affine_transform(b, matrix, (0.5, 0.0, 1.0), output_shape=(3, 4), order=3)
    np.testing.assert_allclose(
        affine_transform(b, matrix, (0.5, 0.0, 1.0), output_shape=(3, 4), order=3), want
    )


def test_empty_inputs_and_outputs(xp):
    empty = np.zeros((0, 4))
    for got, want in [
        (shift(xp.asarray(empty), 0.5), scipy.ndimage.shift(empty, 0.5)),
        (zoom(xp.asarray(_image((3, 4))), (0.1, 1.0)), scipy.ndimage.zoom(_image((3, 4)), (0.1, 1.0))),
        (
            affine_transform(xp.asarray(empty), np.eye(2), output_shape=(2, 3), cval=2.0, order=1),
            scipy.ndimage.affine_transform(empty, np.eye(2), output_shape=(2, 3), cval=2.0, order=1),
        ),
        (
            map_coordinates(xp.asarray(_image((3, 4))), xp.asarray(np.zeros((2, 0)))),
            scipy.ndimage.map_coordinates(_image((3, 4)), np.zeros((2, 0))),
        ),
    ]:
        assert_matches(got, want, xp)


def test_map_coordinates_of_other_ranks_and_dtypes(xp):
    a = _image((5, 6))
    cases = [
        (_points(a.shape, 24).reshape(2, 2, 3, 4), np.float64),
        (_points(a.shape, 7), np.float32),
        (_points(a.shape, 6)[:, :1], np.int64),
        (_points(a.shape, 9).reshape(2, 3, 3), np.float64),
    ]
    for points, dtype in _sample(xp, cases, 1):
        p = points.astype(dtype)
        want = scipy.ndimage.map_coordinates(a, p, order=2, mode="reflect")
        with forbid_dask_compute():
            got = compiled(map_coordinates, xp, order=2, mode="reflect")(xp.asarray(a), xp.asarray(p))
        assert_matches(got, want, xp)


@pytest.mark.parametrize("shape", [(7, 9), (9, 7), (16, 11)])
@pytest.mark.parametrize("order", [1, 3, 5])
def test_jit_at_points_on_samples_matches_scipy(shape, order):
    """Rotations map some output points onto samples: under jax.jit the taps and the weights must come
    from one rounding of the mapped coordinate (XLA recomputes it in each fusion, and may contract an
    FMA in one of them)."""
    jax = pytest.importorskip("jax")
    from helpers import Library

    xp = Library.named("jax")
    a = _image(shape)
    for angle in (33.0, 45.0):
        got = jax.jit(lambda v, angle=angle: rotate(v, angle, order=order))(xp.asarray(a))
        assert_matches(got, scipy.ndimage.rotate(a, angle, order=order), xp)
    matrix = np.array([[0.5, 0.25], [-0.25, 0.75]])
    got = jax.jit(lambda v: affine_transform(v, matrix, offset=(1.0, -0.5), order=order))(xp.asarray(a))
    assert_matches(got, scipy.ndimage.affine_transform(a, matrix, offset=(1.0, -0.5), order=order), xp)


# ---- properties over shapes, orders, modes and parameters (NumPy: the engines' own arithmetic) ------

_MODES = st.sampled_from(MODES)
_ORDERS = st.integers(0, 5)


def _close(got, want):
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    assert got.dtype == want.dtype and got.shape == want.shape


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
    order=_ORDERS,
    mode=_MODES,
    factor=st.floats(0.2, 2.5),
    move=st.floats(-4, 4),
    grid_mode=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_zoom_and_shift_properties(shape, order, mode, factor, move, grid_mode, seed):
    a = _image(tuple(shape), seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SciPy's advice on grid_mode's modes
        want = scipy.ndimage.zoom(a, factor, order=order, mode=mode, grid_mode=grid_mode)
        _close(zoom(a, factor, order=order, mode=mode, grid_mode=grid_mode), want)
    _close(
        shift(a, move, order=order, mode=mode, cval=0.5),
        scipy.ndimage.shift(a, move, order=order, mode=mode, cval=0.5),
    )


@settings(max_examples=25, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 8), st.integers(1, 8)),
    order=_ORDERS,
    mode=_MODES,
    angle=st.floats(-360, 360),
    reshape=st.booleans(),
    matrix=st.lists(st.sampled_from([0.0, 1.0, -0.5, 0.3, 2.0, 0.7]), min_size=6, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_rotate_and_affine_properties(shape, order, mode, angle, reshape, matrix, seed):
    a = _image(shape, seed)
    want = scipy.ndimage.rotate(a, angle, reshape=reshape, order=order, mode=mode)
    _close(rotate(a, angle, reshape=reshape, order=order, mode=mode), want)
    m = np.reshape(matrix, (2, 3))  # (ndim, ndim + 1): often singular or degenerate
    _close(
        affine_transform(a, m, order=order, mode=mode),
        scipy.ndimage.affine_transform(a, m, order=order, mode=mode),
    )


@settings(max_examples=20, deadline=None)
@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    count=st.integers(1, 9),
    order=_ORDERS,
    mode=_MODES,
    seed=st.integers(0, 2**16),
)
def test_map_coordinates_properties(shape, count, order, mode, seed):
    a = _image(tuple(shape), seed)
    points = _points(a.shape, count, seed)
    want = scipy.ndimage.map_coordinates(a, points, order=order, mode=mode, cval=-1.0)
    _close(map_coordinates(a, points, order=order, mode=mode, cval=-1.0), want)


# ---- bad inputs -------------------------------------------------------------------------------------

A = _image((5, 6))
BAD_CALLS = [
    ("shift", (A, 0.5), dict(order=6), RuntimeError),
    ("zoom", (A, 2.0), dict(order=-1), RuntimeError),
    ("zoom", (A, 1.0), dict(order=6), RuntimeError),
    ("map_coordinates", (A, np.zeros((2, 3))), dict(order=7), RuntimeError),
    ("rotate", (A, 10.0), dict(order=6), RuntimeError),
    ("shift", (A, 0.5), dict(mode="unknown"), RuntimeError),
    ("shift", (A, 0.5), dict(mode="unknown", order=1), RuntimeError),
    ("shift", (A, (0.5, 1.0, 2.0)), {}, RuntimeError),
    ("shift", (A, "ab"), {}, TypeError),
    ("zoom", (A, (2.0, 1.0, 1.0)), {}, RuntimeError),
    ("map_coordinates", (A, np.zeros((3, 4))), {}, RuntimeError),
    ("map_coordinates", (A, np.zeros((1, 4))), {}, RuntimeError),
    ("map_coordinates", (A, np.zeros(2)), {}, RuntimeError),
    ("map_coordinates", (A, np.zeros((2, 4), complex)), {}, TypeError),
    ("affine_transform", (A, np.eye(3)[:, :2]), {}, RuntimeError),
    ("affine_transform", (A, np.ones((2, 2, 2))), {}, RuntimeError),
    ("affine_transform", (A, np.ones((0,))), {}, RuntimeError),
    ("affine_transform", (A, np.ones((2, 1))), {}, RuntimeError),
    ("affine_transform", (A, np.ones((3,))), {}, RuntimeError),
    ("affine_transform", (A, np.eye(2), (1.0, 2.0, 3.0)), {}, RuntimeError),
    ("affine_transform", (A, np.eye(2), [[1.0, 2.0], [3.0, 4.0]]), {}, RuntimeError),
    ("affine_transform", (A, np.ones((3, 3))), {}, ValueError),
    ("affine_transform", (A, np.eye(2)), dict(cval=1j), TypeError),
    ("rotate", (A[0], 10.0), {}, ValueError),
    ("rotate", (A, 10.0), dict(axes=(0,)), ValueError),
    ("rotate", (A, 10.0), dict(axes=(0, 2)), ValueError),
    ("rotate", (A, 10.0), dict(axes=(0.5, 1)), ValueError),
    ("rotate", (A, 10.0), dict(axes=(-3, 1)), ValueError),
]


@pytest.mark.parametrize(
    "name,args,kwargs,error", BAD_CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_CALLS)]
)
def test_bad_inputs_raise_scipy_exceptions(name, args, kwargs, error):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(error):
            getattr(scipy.ndimage, name)(*args, **kwargs)
        with pytest.raises(error):
            OURS[name](*args, **kwargs)


def test_bad_inputs_on_other_libraries_raise_the_same(xp):
    x = xp.asarray(A)
    with pytest.raises(RuntimeError):
        map_coordinates(x, xp.asarray(np.zeros((3, 4))))
    with pytest.raises(RuntimeError):
        shift(x, 0.5, order=6)
    with pytest.raises(RuntimeError):
        affine_transform(x, xp.asarray(np.ones((2, 2, 2))))


def test_read_only_input_untouched():
    for data in (_image((6, 7)), (_image((6, 7)) * 100).astype(np.int16), _image((6, 7)) + 1j):
        frozen = data.copy()
        frozen.flags.writeable = False
        for name in OURS:
            got, want = _both(name, data, frozen, _NUMPY, order=3, mode="nearest")
            np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-9)
            np.testing.assert_array_equal(frozen, data)
        points = _points(data.shape, 5)
        points.flags.writeable = False
        map_coordinates(frozen, points)
        np.testing.assert_array_equal(points, _points(data.shape, 5))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
def test_without_a_prefilter_the_input_is_read_as_it_is(dtype):
    """No float64 copy of the input where no prefilter runs (SciPy's test_map_coordinates_large_data
    interpolates a 30000 x 30000 float32 image): a few points allocate next to nothing."""
    import tracemalloc

    a = (_image((1500, 1600)) * 50 + 100).astype(dtype)
    points = np.array([[1498.5, 3.25], [2.75, 1598.0]])
    want = scipy.ndimage.map_coordinates(a, points, order=1)
    map_coordinates(a, points, order=1)  # the kernels compiled for the dtype (not measured)
    tracemalloc.start()
    try:
        got = map_coordinates(a, points, order=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(got, want, rtol=1e-6)
    limit = a.nbytes / 8 if dtype != np.uint8 else a.size * 8 * 1.01  # uint8: the kernels read float64
    assert peak < limit, f"{peak} bytes allocated for a {a.nbytes}-byte input"


# ---- torch autograd ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(OURS))
def test_torch_gradients_match_finite_differences(name):
    torch = pytest.importorskip("torch")
    a = torch.asarray(_image((4, 5)), requires_grad=True)
    kwargs = {**_arguments(name, (4, 5)), "order": 3, "mode": "mirror"}
    if name == "map_coordinates":
        points = torch.asarray(_points((4, 5), 6).clip(0.2, 3.7), requires_grad=True)
        assert torch.autograd.gradcheck(
            lambda x, p: map_coordinates(x, p, order=3, mode="mirror"), (a, points)
        )
        assert torch.autograd.gradcheck(
            lambda x, p: map_coordinates(x, p, order=1, mode="nearest"), (a, points)
        )
    else:
        assert torch.autograd.gradcheck(lambda x: OURS[name](x, **kwargs), (a,))


# ---- geometric_transform: SciPy's loop ---------------------------------------------------------------


def _mapping(point, step=0.5):
    return (point[0] * 0.9 + step, point[1] - step)


def test_geometric_transform_on_every_library(xp):
    a = _image((6, 7))
    x = xp.asarray(a, chunks=uneven_chunks(a.shape))
    cases = [
        dict(order=3, mode="nearest"),
        dict(order=1, output_shape=(4, 9), output=np.float32, extra_arguments=(0.25,)),
        dict(order=2, mode="grid-wrap", cval=2.0, extra_keywords={"step": -1.5}),
    ]
    for kwargs in cases:
        want = scipy.ndimage.geometric_transform(a, _mapping, **kwargs)
        context = pytest.warns(HostTransferWarning) if xp.device == "cuda" else warnings.catch_warnings()
        with forbid_dask_compute(), context:
            got = geometric_transform(x, _mapping, **kwargs)
        assert_matches(got, want, xp)
    c = a + 1j * a
    want = scipy.ndimage.geometric_transform(c, _mapping, order=1, cval=1j)
    assert_matches(geometric_transform(xp.asarray(c, chunks=(3, 7)), _mapping, order=1, cval=1j), want, xp)


def test_geometric_transform_output_array_and_errors():
    a = _image((5, 6))
    output = np.zeros((5, 6), np.float32)
    assert geometric_transform(a, _mapping, output=output) is output
    np.testing.assert_allclose(output, scipy.ndimage.geometric_transform(a, _mapping, output=np.float32))
    for function in (geometric_transform, scipy.ndimage.geometric_transform):
        with pytest.raises(RuntimeError):
            function(a, _mapping, order=6)


# ---- the CUDA kernels, in Numba's simulator ----------------------------------------------------------

SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import gsci.kernels  # switches the simulator on before numba is imported
    import numpy as np
    import scipy.ndimage
    from gsci.ndimage._interpolation import _geometric
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    rng = np.random.default_rng(0)
    a = rng.random((5, 6))
    points = np.stack([rng.uniform(-1.5, 6.5, 7), rng.uniform(-1.5, 7.5, 7)])
    calls = {
        "map_coordinates": (points,),
        "affine_transform": (np.array([[0.9, 0.2], [-0.3, 1.1]]), (0.5, -1.0)),
        "shift": ((1.3, -0.6),),
        "zoom": ((1.5, 0.7),),
        "rotate": (30.0,),
    }
    cases = [(0, "constant"), (1, "grid-constant"), (2, "nearest"), (3, "reflect"), (4, "mirror"),
             (5, "grid-wrap"), (3, "wrap"), (1, "grid-mirror")]
    failures = []
    for name, args in calls.items():
        for order, mode in cases:
            for data in (a, a.astype(np.float32)):
                want = getattr(scipy.ndimage, name)(data, *args, order=order, mode=mode, cval=0.5)
                got = getattr(_geometric, name)(data, *args, order=order, mode=mode, cval=0.5)
                tolerance = 1e-5 if data.dtype == np.float32 else 1e-11
                if got.dtype != want.dtype or not np.allclose(got, want, rtol=tolerance, atol=tolerance):
                    failures.append(f"{name} order={order} mode={mode} {data.dtype}")
        want = getattr(scipy.ndimage, name)(a * 300, *args, order=1, output=np.uint8)
        if not np.array_equal(getattr(_geometric, name)(a * 300, *args, order=1, output=np.uint8), want):
            failures.append(f"{name} uint8")
    if failures:
        sys.exit("kernel path differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_path_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)
