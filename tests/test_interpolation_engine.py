"""The interpolation engines (`_interp_xp.interpolate`, `_interp_cuda.interpolate`) against SciPy's
map_coordinates / affine_transform / zoom / shift with prefilter=False on the same coefficients."""

import math
import textwrap

import numpy as np
import pytest
import scipy.ndimage
from helpers import assert_matches, compiled, kernel_ptx, run_in_simulator, to_numpy
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci._lib._compat import array_namespace
from gsci.ndimage._interpolation._interp_xp import interpolate
from gsci.ndimage._interpolation._mapping import MODES, Affine, Coordinates, ZoomShift

RTOL = 1e-13
EVERY_CASE = [(order, mode) for order in range(6) for mode in MODES]
# under jax.jit each case compiles: in 2-D every order and every mode once, fewer in 1-D and 3-D
JAX_CASES = [(order, MODES[order]) for order in range(6)] + [(3, MODES[6])]


def _cases(xp, ndim):
    if xp.module == "jax":
        return JAX_CASES if ndim == 2 else [(1, MODES[6]), (2, MODES[ndim])]
    return EVERY_CASE if ndim < 3 else EVERY_CASE[::3]


def _ours(xp, c, mapping, output_shape, order, mode, cval=-1.5, npad=0, **keywords):
    """``interpolate`` on ``xp``'s copies of the NumPy ``c`` (and coordinates), under jax.jit for JAX."""
    if xp.module == "dask":
        pytest.skip("Dask blocks are _interp_dask's; the engine's own block keywords are tested on NumPy")
    c = xp.asarray(c)
    space = array_namespace(c)
    if isinstance(mapping, Coordinates):

        def run(c, k):
            return interpolate(c, Coordinates(k), output_shape, order, mode, cval, npad, space, **keywords)

        return compiled(run, xp)(c, xp.asarray(mapping.coordinates))

    def run(c):
        return interpolate(c, mapping, output_shape, order, mode, cval, npad, space, **keywords)

    return compiled(run, xp)(c)


def _affine(matrix, offset):
    return Affine(tuple(tuple(float(m) for m in row) for row in matrix), tuple(float(o) for o in offset))


def _coordinates(rng, shape, points):
    """Points over the array and well beyond it, some on half-integers (order-0 ties) and integers."""
    k = rng.uniform(-2.0 * max(shape) - 3, 3.0 * max(shape) + 3, (len(shape), *points))
    flat = k.reshape(len(shape), -1)
    flat[:, :3] = np.round(flat[:, :3] * 2) / 2
    flat[:, 3:4] = np.round(flat[:, 3:4])
    flat[:, 4:5] = -1e-17
    return k


def _zoom(input_shape, output_shape, grid_mode):
    """SciPy zoom's per-axis factor for these shapes."""
    if grid_mode:
        return tuple(n / m for n, m in zip(input_shape, output_shape, strict=True))
    return tuple((n - 1) / (m - 1) if m > 1 else 1.0 for n, m in zip(input_shape, output_shape, strict=True))


@pytest.mark.parametrize("shape", [(7,), (5, 6), (3, 4, 5)], ids=lambda s: f"{len(s)}d")
def test_every_mapping_matches_scipy(xp, shape):
    rng = np.random.default_rng(len(shape))
    c = rng.standard_normal(shape)
    ndim = len(shape)
    for order, mode in _cases(xp, ndim):
        k = _coordinates(rng, shape, (4, 3))
        want = scipy.ndimage.map_coordinates(c, k, order=order, mode=mode, cval=-1.5, prefilter=False)
        assert_matches(_ours(xp, c, Coordinates(k), (4, 3), order, mode), want, xp, rtol=RTOL)

        matrix, offset = rng.uniform(-1.5, 1.5, (ndim, ndim)), rng.uniform(-4, 4, ndim)
        out_shape = tuple(n + 1 for n in shape)
        want = scipy.ndimage.affine_transform(
            c, matrix, offset, output_shape=out_shape, order=order, mode=mode, cval=-1.5, prefilter=False
        )
        assert_matches(_ours(xp, c, _affine(matrix, offset), out_shape, order, mode), want, xp, rtol=RTOL)

        shift = rng.uniform(-2.5, 2.5, ndim) * np.asarray(shape)
        want = scipy.ndimage.shift(c, shift, order=order, mode=mode, cval=-1.5, prefilter=False)
        assert_matches(_ours(xp, c, ZoomShift(None, tuple(-shift)), shape, order, mode), want, xp, rtol=RTOL)

        grid_mode = mode.startswith("grid")
        out_shape = tuple(2 * n - 1 for n in shape)
        want = scipy.ndimage.zoom(
            c,
            [m / n for m, n in zip(out_shape, shape, strict=True)],
            order=order,
            mode=mode,
            cval=-1.5,
            prefilter=False,
            grid_mode=grid_mode,
        )
        mapping = ZoomShift(_zoom(shape, out_shape, grid_mode), None, grid_mode)
        assert_matches(_ours(xp, c, mapping, out_shape, order, mode), want, xp, rtol=RTOL)


@pytest.mark.parametrize("grid_mode", [False, True])
def test_zoom_with_shift_is_scipys_zoom_shift(grid_mode):
    """A 1-D matrix in affine_transform: SciPy's zoom_shift with zoom and shift both given."""
    import array_api_compat.numpy as xp

    c = np.random.default_rng(5).standard_normal((6, 7))
    for order, mode in EVERY_CASE[::4]:
        matrix, offset = np.array([0.7, 1.6]), np.array([1.3, -2.1])
        want = scipy.ndimage.affine_transform(
            c, matrix, offset, output_shape=(5, 9), order=order, mode=mode, prefilter=False, cval=0.5
        )
        if grid_mode:  # no public SciPy call: the mapping's own arithmetic, as map_coordinates' points
            index = np.indices((5, 9), dtype=np.float64)
            points = [(index[a] + offset[a] / matrix[a] + 0.5) * matrix[a] - 0.5 for a in range(2)]
            want = scipy.ndimage.map_coordinates(c, points, order=order, mode=mode, prefilter=False, cval=0.5)
        mapping = ZoomShift(tuple(matrix), tuple(offset / matrix), grid_mode)
        got = interpolate(c, mapping, (5, 9), order, mode, 0.5, 0, xp)
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=RTOL)


@pytest.mark.parametrize("mode", ["nearest", "grid-constant"])
def test_npad_is_scipys_prepad(xp, mode):
    """SciPy's prefiltered path: pad 12, filter, map with coordinate + 12 on the padded shape."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 5))
    k = _coordinates(rng, x.shape, (9,))
    for order in (2, 3, 5):
        padded = np.pad(x, 12, mode="edge") if mode == "nearest" else np.pad(x, 12, constant_values=-1.5)
        c = scipy.ndimage.spline_filter(padded, order, mode=mode)
        want = scipy.ndimage.map_coordinates(x, k, order=order, mode=mode, cval=-1.5)
        assert_matches(_ours(xp, c, Coordinates(k), (9,), order, mode, npad=12), want, xp, rtol=1e-12)
        want = scipy.ndimage.shift(x, (0.4, -7.3), order=order, mode=mode, cval=-1.5)
        got = _ours(xp, c, ZoomShift(None, (-0.4, 7.3)), x.shape, order, mode, npad=12)
        assert_matches(got, want, xp, rtol=1e-12)


def test_batch_axes_are_independent_images(xp):
    rng = np.random.default_rng(3)
    c = rng.standard_normal((2, 3, 5, 6))
    k = _coordinates(rng, (5, 6), (7,))
    matrix, offset = rng.uniform(-1, 1, (2, 2)), rng.uniform(-2, 2, 2)
    for order, mode in [(3, "reflect"), (1, "grid-constant"), (0, "wrap")]:
        planes = [(b, p) for b in range(2) for p in range(3)]
        want = np.stack(
            [
                scipy.ndimage.map_coordinates(c[i], k, order=order, mode=mode, cval=-1.5, prefilter=False)
                for i in planes
            ]
        ).reshape(2, 3, 7)
        assert_matches(_ours(xp, c, Coordinates(k), (7,), order, mode), want, xp, rtol=RTOL)
        want = np.stack(
            [
                scipy.ndimage.affine_transform(
                    c[i], matrix, offset, order=order, mode=mode, cval=-1.5, prefilter=False
                )
                for i in planes
            ]
        ).reshape(c.shape)
        assert_matches(_ours(xp, c, _affine(matrix, offset), (5, 6), order, mode), want, xp, rtol=RTOL)
        want = np.stack(
            [
                scipy.ndimage.shift(c[i], (0.6, -1.2), order=order, mode=mode, cval=-1.5, prefilter=False)
                for i in planes
            ]
        ).reshape(c.shape)
        assert_matches(_ours(xp, c, ZoomShift(None, (-0.6, 1.2)), (5, 6), order, mode), want, xp, rtol=RTOL)


def test_input_of_another_rank():
    """map_coordinates' output rank is the coordinates', affine_transform's the matrix's columns."""
    import array_api_compat.numpy as xp

    rng = np.random.default_rng(4)
    c = rng.standard_normal((5, 6))
    k = _coordinates(rng, c.shape, (2, 3, 2))
    want = scipy.ndimage.map_coordinates(c, k, order=3, mode="mirror", prefilter=False)
    np.testing.assert_allclose(
        interpolate(c, Coordinates(k), (2, 3, 2), 3, "mirror", 0.0, 0, xp), want, rtol=RTOL
    )
    matrix = rng.uniform(-1, 1, (2, 4))  # (2, 3) would be homogeneous
    want = scipy.ndimage.affine_transform(
        c, matrix, (0.5, 1.0), output_shape=(3, 4, 2, 2), order=2, prefilter=False
    )
    got = interpolate(c, _affine(matrix, (0.5, 1.0)), (3, 4, 2, 2), 2, "constant", 0.0, 0, xp)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=RTOL)


@pytest.mark.parametrize("mode", MODES)
def test_dask_block_keywords(mode):
    """A block of the coefficients (``input_origin`` in ``input_shape``) and a block of the output
    (``output_origin``) give that part of the whole result; boundaries are the whole array's."""
    import array_api_compat.numpy as xp

    rng = np.random.default_rng(6)
    whole = rng.standard_normal((11, 12))
    order = 3
    # the output's corner block (rows 0-3, columns 0-4) reads inside the coefficients' corner (0:8, 0:9)
    corner = np.s_[:4, :5]
    block, origin = whole[:8, :9], (0, 0)
    # an inner output block (rows 5-7, columns 6-9) reads inside whole[3:11, 4:12]
    inner = np.s_[5:8, 6:10]
    inner_block, inner_origin = whole[3:11, 4:12], (3, 4)
    keywords = {"input_shape": whole.shape}
    shift = ZoomShift(None, (0.35, -0.4))
    zoom = ZoomShift((0.93, 0.96), (0.2, 0.1))
    affine = _affine([[0.97, 0.05], [-0.04, 1.02]], (0.3, -0.2))
    for mapping in (shift, zoom, affine):
        full = interpolate(whole, mapping, whole.shape, order, mode, -1.5, 0, xp)
        parts = [(inner, inner_block, inner_origin)]
        if "wrap" not in mode:  # wrapping reads the far side: not in the corner's block
            parts.append((corner, block, origin))
        for part, c, at in parts:
            out_shape = full[part].shape
            output_origin = (part[0].start or 0, part[1].start or 0)
            got = interpolate(
                c,
                mapping,
                out_shape,
                order,
                mode,
                -1.5,
                0,
                xp,
                input_origin=at,
                output_origin=output_origin,
                **keywords,
            )
            np.testing.assert_allclose(got, full[part], rtol=RTOL, atol=RTOL)
    want = scipy.ndimage.map_coordinates(
        whole, [[6.2, 8.9], [5.5, 8.8]], order=order, mode=mode, cval=-1.5, prefilter=False
    )
    k = np.array([[6.2, 8.9], [5.5, 8.8]])
    got = interpolate(
        inner_block, Coordinates(k), (2,), order, mode, -1.5, 0, xp, input_origin=inner_origin, **keywords
    )
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=RTOL)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    order=st.integers(0, 5),
    mode=st.sampled_from(MODES),
    factor=st.floats(0.2, 3.0),
    entries=st.lists(st.floats(-2.0, 2.0), min_size=12, max_size=12),
    library=st.sampled_from(["numpy", "array_api_strict"]),
)
def test_hypothesis_matches_scipy(shape, order, mode, factor, entries, library):
    import array_api_compat.numpy as cnp
    import array_api_strict

    xp = cnp if library == "numpy" else array_api_strict
    ndim = len(shape)
    rng = np.random.default_rng(sum(shape) + order)
    c = rng.standard_normal(shape)
    matrix = np.reshape(entries[: ndim * ndim], (ndim, ndim))
    offset = np.asarray(entries[9 : 9 + ndim])
    out_shape = tuple(max(1, round(n * factor)) for n in shape)

    def ours(mapping):
        if isinstance(mapping, Coordinates):
            mapping = Coordinates(xp.asarray(mapping.coordinates))
        return to_numpy(interpolate(xp.asarray(c), mapping, out_shape, order, mode, 0.25, 0, xp))

    def check(got, want):
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=RTOL * max(1.0, np.abs(want).max(initial=0)))

    want = scipy.ndimage.affine_transform(
        c, matrix, offset, output_shape=out_shape, order=order, mode=mode, cval=0.25, prefilter=False
    )
    check(ours(_affine(matrix, offset)), want)
    grid_mode = mode.startswith("grid")
    zoom = _zoom(shape, out_shape, grid_mode)
    want = scipy.ndimage.zoom(
        c,
        [m / n for m, n in zip(out_shape, shape, strict=True)],
        order=order,
        mode=mode,
        cval=0.25,
        prefilter=False,
        grid_mode=grid_mode,
    )
    if want.shape == out_shape:  # SciPy rounds the zoomed shape itself
        check(ours(ZoomShift(zoom, None, grid_mode)), want)
    k = _coordinates(rng, shape, out_shape)
    want = scipy.ndimage.map_coordinates(c, k, order=order, mode=mode, cval=0.25, prefilter=False)
    check(ours(Coordinates(k)), want)


@pytest.mark.parametrize("order", [1, 3, 5])
@pytest.mark.parametrize("mode", ["reflect", "grid-constant", "nearest"])
def test_torch_gradients(order, mode):
    """Finite differences on the Array API engine (tensors requiring grad): with respect to the
    coefficients for every mapping, and to the coordinates."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(order)
    import array_api_compat.torch as xp

    c = torch.asarray(rng.standard_normal((4, 5)), requires_grad=True)
    k = torch.asarray(rng.uniform(-2, 6, (2, 3)), requires_grad=True)

    def at_points(c, k):
        return interpolate(c, Coordinates(k), (3,), order, mode, 0.5, 0, xp)

    assert torch.autograd.gradcheck(at_points, (c, k))
    affine = _affine([[0.9, 0.3], [-0.2, 1.1]], (0.4, -0.7))
    assert torch.autograd.gradcheck(lambda c: interpolate(c, affine, (3, 4), order, mode, 0.5, 0, xp), (c,))
    zoom = ZoomShift((0.7, 1.3), (0.2, -0.1))
    assert torch.autograd.gradcheck(lambda c: interpolate(c, zoom, (5, 3), order, mode, 0.5, 0, xp), (c,))
    want = scipy.ndimage.map_coordinates(
        to_numpy(c), to_numpy(k), order=order, mode=mode, cval=0.5, prefilter=False
    )
    np.testing.assert_allclose(to_numpy(at_points(c, k)), want, rtol=RTOL, atol=RTOL)


def test_cpu_kernels_compile_once():
    """Shapes, ranks, orders, modes, zoom factors and coordinates shapes are arguments: one compilation
    per coefficients' dtype."""
    import array_api_compat.numpy as xp

    from gsci.kernels import interpolate_cpu as kernels

    dispatchers = (
        kernels._tasks,
        kernels._tasks_serially,
        kernels._zoom_shift,
        kernels._zoom_shift_serially,
        kernels._zoom_shift_tables,
    )

    def run(shape, order, mode, points, factor, dtype=np.float64):
        c = np.ones(shape, dtype)
        k = np.ones((len(shape), *points))
        c.flags.writeable = k.flags.writeable = False
        interpolate(c, Coordinates(k), points, order, mode, 0.0, 0, xp)
        interpolate(c, _affine(np.eye(len(shape)), [0.5] * len(shape)), shape, order, mode, 0.0, 0, xp)
        interpolate(c, ZoomShift((factor,) * len(shape), None), shape, order, mode, 0.0, 0, xp)

    run((5, 6), 3, "reflect", (4,), 0.5)
    run((300, 400), 1, "constant", (100, 1000), 0.9)  # on every core
    run((6, 5), 1, "mirror", (3,), 0.7, np.float32)  # float32 coefficients: read as they are
    before = [len(d.signatures) for d in dispatchers]
    run((7,), 0, "grid-wrap", (2, 3), 1.7)
    run((3, 4, 5), 5, "grid-constant", (9,), 0.3)
    run((200, 300), 2, "nearest", (3, 30000), 1.1)
    assert [len(d.signatures) for d in dispatchers] == before
    run((40, 30), 0, "wrap", (5, 7), 2.5, np.float32)
    assert [len(d.signatures) for d in dispatchers] == before
    assert max(before) <= 2  # one per coefficients' dtype (float64, float32)


SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage as nd
    import array_api_compat.numpy as xp
    from gsci.kernels import interpolate as kernel
    from gsci.ndimage._interpolation import _interp_cuda
    from gsci.ndimage._interpolation._mapping import MODES, Affine, Coordinates, ZoomShift
    from numba.core import config

    run = _interp_cuda.interpolate

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    rng = np.random.default_rng(0)
    failures = []

    def check(name, got, want):
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-13, atol=1e-13 * np.abs(want).max()):
            failures.append(name)

    for shape in [(6,), (4, 5), (3, 2, 4)]:
        ndim = len(shape)
        for order in range(6):
            for mode in MODES if ndim == 2 else MODES[order : order + 1] + MODES[order + 6 :]:
                a = rng.standard_normal(shape)
                k = rng.uniform(-8, 14, (ndim, 4))
                k[:, 0] = 0.5
                k[:, 1] = 2.0
                want = nd.map_coordinates(a, k, order=order, mode=mode, cval=-1.5, prefilter=False)
                got = run(a, Coordinates(k), (4,), order, mode, -1.5, 0, xp)
                check(f"coordinates {shape} {order} {mode}", got, want)
                m, off = rng.uniform(-1.5, 1.5, (ndim, ndim)), rng.uniform(-3, 3, ndim)
                out_shape = tuple(n - 1 or 1 for n in shape)
                want = nd.affine_transform(
                    a, m, off, output_shape=out_shape, order=order, mode=mode, cval=-1.5, prefilter=False
                )
                got = run(a, Affine(tuple(map(tuple, m)), tuple(off)), out_shape, order, mode,
                                               -1.5, 0, xp)
                check(f"affine {shape} {order} {mode}", got, want)
                s = rng.uniform(-3, 3, ndim)
                want = nd.shift(a, s, order=order, mode=mode, cval=-1.5, prefilter=False)
                got = run(a, ZoomShift(None, tuple(-s)), shape, order, mode, -1.5, 0, xp)
                check(f"shift {shape} {order} {mode}", got, want)
                grid = mode.startswith("grid")
                out_shape = tuple(2 * n for n in shape)
                zoom = tuple(n / m if grid else (n - 1) / (m - 1) for n, m in zip(shape, out_shape))
                want = nd.zoom(a, 2, order=order, mode=mode, cval=-1.5, prefilter=False, grid_mode=grid)
                got = run(a, ZoomShift(zoom, None, grid), out_shape, order, mode, -1.5, 0, xp)
                check(f"zoom {shape} {order} {mode}", got, want)
    # batch planes and a block of a larger array
    a = rng.standard_normal((2, 5, 6))
    want = np.stack([nd.shift(p, (0.3, -0.6), order=3, mode="mirror", prefilter=False) for p in a])
    check("batch", run(a, ZoomShift(None, (-0.3, 0.6)), (5, 6), 3, "mirror", 0.0, 0, xp), want)
    whole = rng.standard_normal((9, 10))
    full = run(whole, ZoomShift(None, (0.3, -0.2)), (9, 10), 3, "reflect", 0.0, 0, xp)
    part = run(whole[3:9, 4:10], ZoomShift(None, (0.3, -0.2)), (3, 4), 3, "reflect", 0.0, 0, xp,
                                    input_shape=(9, 10), input_origin=(3, 4), output_origin=(5, 6))
    check("block", part, full[5:8, 6:10])
    # one kernel for every rank, order, mode, mapping and shape
    assert kernel._kernel.cache_info().currsize == 1
    assert len(kernel._kernel().overloads) <= 1, kernel._kernel().overloads.keys()
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
def test_kernel_compiles_to_ptx(cc):
    from numba import types

    from gsci.kernels import interpolate as kernel

    vector, i64 = types.float64[::1], types.int64
    signature = (
        (vector, vector, vector, types.int64[::1], vector) + (i64,) * 6 + (types.float64, types.float64, i64)
    )
    kernel_ptx(kernel._source(), signature, cc)


@pytest.mark.gpu
@pytest.mark.parametrize("name", ["torch-cuda", "cupy"])
def test_kernel_on_gpu_matches_scipy(name):
    from helpers import Library

    from gsci.ndimage._interpolation import _interp_cuda

    library = Library.named(name)
    pytest.importorskip(library.module)
    rng = np.random.default_rng(7)
    c = rng.standard_normal((3, 40, 50))
    for order, mode in EVERY_CASE:
        shift = (-2.3, 7.7)
        want = np.stack(
            [scipy.ndimage.shift(p, shift, order=order, mode=mode, cval=0.5, prefilter=False) for p in c]
        )
        got = _interp_cuda.interpolate(
            library.asarray(c),
            ZoomShift(None, (2.3, -7.7)),
            (40, 50),
            order,
            mode,
            0.5,
            0,
            array_namespace(c),
        )
        assert_matches(got, want, library, rtol=1e-12)
        k = _coordinates(rng, (40, 50), (300,))
        want = scipy.ndimage.map_coordinates(c[0], k, order=order, mode=mode, cval=0.5, prefilter=False)
        got = _interp_cuda.interpolate(
            library.asarray(c[0]),
            Coordinates(library.asarray(k)),
            (300,),
            order,
            mode,
            0.5,
            0,
            array_namespace(c),
        )
        assert_matches(got, want, library, rtol=1e-12)
    assert math.isfinite(float(to_numpy(got).sum()))
