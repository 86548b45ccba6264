"""gsci's n-D correlate and convolve against SciPy on NumPy copies: every library, the CUDA simulator."""

import functools
import textwrap

import numpy as np
import pytest
import scipy.ndimage
from helpers import Library, assert_matches, forbid_dask_compute, kernel_ptx, run_in_simulator
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.ndimage._filters._correlate import convolve, correlate

MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
FLOATS = ("float32", "float64")
FUNCTIONS = {"correlate": correlate, "convolve": convolve}
# (input shape, weights shape, origin): odd and even sizes, origins at both limits
CASES = [
    ((7, 6), (1, 1), 0),
    ((7, 6), (2, 2), 0),
    ((7, 6), (2, 3), (-1, 1)),
    ((7, 6), (3, 3), (1, -1)),
    ((7, 6), (4, 5), (-2, 2)),
    ((7, 6), (5, 5), 0),
    ((5, 4, 6), (3, 2, 3), (0, -1, 1)),
    ((9,), (4,), 1),
]


@pytest.fixture(autouse=True, scope="module")
def native_path_for_small_numpy_arrays():
    """Under "auto" the small NumPy arrays of these tests would run SciPy itself (`scipy_when`)."""
    with gsci.backend("native"):
        yield


def data(shape, dtype="float64", seed=0):
    values = np.random.default_rng(seed).standard_normal(shape) * 4
    return values.astype(dtype)


def check(actual, expected, xp, x, weights):
    """Within float32 rounding of the weighted sum where SciPy accumulates in float64 and gsci in float32."""
    atol = None
    if expected.dtype in (np.float32, np.complex64):
        scale = float(np.abs(weights).sum()) * float(np.max(np.abs(x), initial=1.0))
        atol = 32 * float(np.finfo(np.float32).eps) * scale
    assert_matches(actual, expected, xp, atol=atol)


def both(name, x, weights, xp, **kwargs):
    """gsci's ``name`` on ``xp`` and SciPy's on the NumPy copy, compared."""
    expected = getattr(scipy.ndimage, name)(x, weights, **kwargs)
    check(FUNCTIONS[name](xp.asarray(x), weights, **kwargs), expected, xp, x, weights)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_matches_scipy(xp, name, mode, dtype):
    for shape, wshape, origin in CASES:
        x = data(shape, dtype)
        weights = data(wshape, seed=1)
        both(name, x, weights, xp, mode=mode, cval=1.5, origin=origin)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_weights_as_arrays_of_the_library_and_sequences(xp, name):
    x = data((6, 7))
    weights = data((3, 4), seed=2)
    expected = getattr(scipy.ndimage, name)(x, weights, mode="nearest")
    assert_matches(FUNCTIONS[name](xp.asarray(x), xp.asarray(weights), mode="nearest"), expected, xp)
    assert_matches(FUNCTIONS[name](xp.asarray(x), weights.tolist(), mode="nearest"), expected, xp)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_axes(xp, name):
    x = data((5, 6, 4))
    for axes, wshape, origin in [
        ((1,), (3,), 1),
        (1, (4,), -2),
        ((0, 2), (2, 3), (-1, 1)),
        ((2, 0), (2, 3), (1, -1)),  # weights follow the sorted axes, origins the order given
        ((-1, -3), (3, 4), 0),
        ((0, 1, 2), (2, 3, 2), (0, 1, 0)),
        ((2, 1, 0), (2, 3, 2), (0, 1, 0)),  # every axis: weights and origins as they are
        ((), (), 0),
    ]:
        both(name, x, data(wshape, seed=3), xp, axes=axes, origin=origin, mode="wrap")


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "uint64", "bool"])
def test_integer_and_bool_inputs_truncate_like_scipy(xp, dtype):
    x = (np.abs(data((6, 5))) * 10).astype(dtype)  # in range: NumPy's casts of negatives to unsigned vary
    for weights in ([[0.5, -1.0, 2.0], [1.25, 0.0, -0.75]], np.ones((3, 3), dtype=np.int32)):
        for name in FUNCTIONS:
            expected = getattr(scipy.ndimage, name)(x, weights, mode="mirror")
            assert_matches(
                FUNCTIONS[name](xp.asarray(x), weights, mode="mirror"), expected, xp, rtol=0, atol=0
            )


@pytest.mark.parametrize("output", ["float32", "float64", "int16", np.dtype("uint8"), np.float32])
def test_output_dtype(xp, output):
    x = data((5, 6))
    both("correlate", x, data((3, 2), seed=4), xp, output=output)
    both("convolve", x, data((3, 2), seed=4), xp, output=output)


def test_output_array_is_written_and_returned(xp):
    x = data((5, 6))
    weights = data((2, 3), seed=5)
    output = xp.asarray(np.zeros((5, 6), np.float32))
    got = correlate(xp.asarray(x), weights, output=output)
    if xp.module != "jax":  # JAX arrays are immutable: a new array comes back
        assert got is output
    assert_matches(got, scipy.ndimage.correlate(x, weights, output=np.float32), xp, atol=1e-4)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_input_and_weights_like_scipy(xp, name, dtype):
    rng = np.random.default_rng(6)
    x = (rng.standard_normal((5, 6)) + 1j * rng.standard_normal((5, 6))).astype(dtype)
    weights = rng.standard_normal((3, 2)) - 2j * rng.standard_normal((3, 2))
    for args, cval in [((x, weights), 1.0 + 2.0j), ((x, weights.real), -1j), ((x.real, weights), 0.5)]:
        kwargs = dict(mode="constant", cval=cval)
        expected = getattr(scipy.ndimage, name)(*args, **kwargs)
        got = FUNCTIONS[name](xp.asarray(args[0]), args[1], **kwargs)
        check(got, expected, xp, np.abs(args[0]), np.abs(args[1]))


def test_complex_cval_and_output_rules_like_scipy():
    x, weights = data((4, 5)), data((3, 3), seed=7)
    for call, error in [
        (lambda m: m.correlate(x, weights + 1j, cval=1j), ValueError),
        (lambda m: m.correlate(x, weights, cval=1j), TypeError),
        (lambda m: m.correlate(x, weights, output=np.complex128), RuntimeError),
        (lambda m: m.correlate(x + 0j, weights, output=np.zeros((4, 5))), RuntimeError),
    ]:
        with pytest.raises(error):
            call(scipy.ndimage)
        with pytest.raises(error):
            call(_GsciModule)
    with pytest.warns(UserWarning, match="promoting"):
        got = correlate(x + 1j, weights, output=np.float32)
    with pytest.warns(UserWarning, match="promoting"):
        expected = scipy.ndimage.correlate(x + 1j, weights, output=np.float32)
    assert_matches(got, expected, Library.named("numpy"), rtol=1e-5)


class _GsciModule:
    correlate = staticmethod(correlate)
    convolve = staticmethod(convolve)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("correlate", {"weights": np.ones(3)}),  # rank mismatch
        ("correlate", {"weights": np.ones((3, 3, 1))}),
        ("correlate", {"weights": np.ones((0, 3))}),
        ("correlate", {"weights": np.ones((3, 3)), "axes": (1,)}),
        ("correlate", {"weights": np.ones(3), "axes": (0, 0)}),
        ("correlate", {"weights": np.ones(3), "axes": (2,)}),
        ("correlate", {"weights": np.ones((3, 3)), "origin": 2}),
        ("correlate", {"weights": np.ones((3, 3)), "origin": (0, -2)}),
        ("correlate", {"weights": np.ones((2, 2)), "origin": 1}),
        ("correlate", {"weights": np.ones((3, 3)), "origin": (1, 1, 1)}),
        ("correlate", {"weights": np.ones((3, 3)), "origin": 0.5}),
        ("correlate", {"weights": np.ones((3, 3)), "mode": ["reflect", "wrap"]}),  # SciPy: one mode
        ("correlate", {"weights": np.ones((3, 3)), "mode": "unknown"}),
        ("correlate", {"weights": np.ones((3, 3)), "output": np.zeros((3, 3))}),
        ("correlate", {"weights": np.ones((3, 3)), "output": "float16"}),
        ("convolve", {"weights": np.ones((4, 4)), "origin": 2}),  # -2 - 1 after the flip
        ("convolve", {"weights": np.ones((3,))}),
        ("convolve", {"weights": np.ones((3, 3)), "mode": ("wrap",)}),
    ],
)
def test_bad_arguments_raise_like_scipy(name, kwargs):
    x = data((4, 5))
    with pytest.raises(Exception) as from_scipy:
        getattr(scipy.ndimage, name)(x, **kwargs)
    with pytest.raises(type(from_scipy.value)):
        FUNCTIONS[name](x, **kwargs)


@pytest.mark.parametrize("dtype", ["float16", "longdouble"])
def test_unsupported_dtypes_raise_like_scipy(dtype):
    x = data((4, 5), dtype)
    with pytest.raises(RuntimeError):
        scipy.ndimage.correlate(x, np.ones((2, 2)))
    with pytest.raises(RuntimeError, match="not supported"):
        correlate(x, np.ones((2, 2)))


def test_even_sizes_and_origins_of_convolve_follow_scipy():
    numpy = Library.named("numpy")
    x = data((8, 9))
    for wshape in [(2, 2), (4, 3), (2, 5)]:
        weights = data(wshape, seed=8)
        a, b = wshape
        for origin in [(-(a // 2), (b - 1) // 2), ((a - 1) // 2, -(b // 2)), (0, 0)]:
            for name in FUNCTIONS:
                kwargs = dict(origin=origin, mode="reflect")
                expected = getattr(scipy.ndimage, name)(x, weights, **kwargs)
                assert_matches(FUNCTIONS[name](x, weights, **kwargs), expected, numpy)


def test_zero_d_and_empty_inputs_like_scipy():
    numpy = Library.named("numpy")
    scalar = np.float64(3.0)
    assert_matches(
        correlate(scalar, np.float64(2.0)), scipy.ndimage.correlate(scalar, np.float64(2.0)), numpy
    )
    for x, weights in [(np.zeros((0, 3)), np.ones((2, 2))), (np.ones(4), np.ones((3, 0)))]:
        assert_matches(correlate(x, weights), scipy.ndimage.correlate(x, weights), numpy)


def test_mixed_libraries_raise_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="different libraries"):
        correlate(np.ones((5, 5)), torch.ones((3, 3)))
    with pytest.raises(TypeError, match="different libraries"):
        convolve(np.ones((5, 5)), np.ones((3, 3)), output=torch.zeros((5, 5)))


def test_inputs_are_untouched_read_only_and_strided():
    numpy = Library.named("numpy")
    base = data((9, 10))
    read_only = base.copy()
    read_only.flags.writeable = False
    weights = data((3, 4), seed=9)[::-1, ::2]  # a strided view too
    for x in (base[::2, 1::3], base[::-1, ::-2], base.T, read_only):
        before = x.copy()
        for name in FUNCTIONS:
            expected = getattr(scipy.ndimage, name)(x, weights)
            assert_matches(FUNCTIONS[name](x, weights), expected, numpy)
        np.testing.assert_array_equal(x, before)


def test_torch_inputs_are_untouched():
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((6, 5)))
    weights = torch.asarray(data((3, 3), seed=1))
    before = x.clone(), weights.clone()
    correlate(x, weights)
    convolve(x.flip(0), weights)
    assert torch.equal(x, before[0]) and torch.equal(weights, before[1])


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_inf_and_zero_weights_like_scipy(xp, dtype):
    """SciPy skips weights with |w| <= float64's epsilon: an inf beside such a weight stays out."""
    x = data((6, 7), dtype)
    x[1, 2], x[3, 0], x[5, 6] = np.nan, np.inf, -np.inf
    weights = np.array([[1.0, 0.0, 2.0], [0.0, 1e-17, -1.0]])
    for name in FUNCTIONS:
        expected = getattr(scipy.ndimage, name)(x, weights, mode="nearest")
        assert_matches(
            FUNCTIONS[name](xp.asarray(x), xp.asarray(weights), mode="nearest"), expected, xp, atol=1e-4
        )
    expected = scipy.ndimage.correlate(x, weights, mode="constant", cval=np.inf)
    assert_matches(correlate(xp.asarray(x), weights, mode="constant", cval=np.inf), expected, xp, atol=1e-4)


def test_native_path_under_jax_jit():
    jax = pytest.importorskip("jax")
    xp = Library.named("jax")
    x, weights = data((6, 5)), data((3, 2), seed=10)
    for name in FUNCTIONS:
        function = jax.jit(functools.partial(FUNCTIONS[name], mode="mirror", origin=(1, 0)))
        expected = getattr(scipy.ndimage, name)(x, weights, mode="mirror", origin=(1, 0))
        assert_matches(function(xp.asarray(x), xp.asarray(weights)), expected, xp)
    function = jax.jit(functools.partial(correlate, weights=weights[:, 0], axes=0, mode="wrap"))
    assert_matches(
        function(xp.asarray(x)), scipy.ndimage.correlate(x, weights[:, 0], axes=0, mode="wrap"), xp
    )


@pytest.mark.parametrize("wshape", [(1, 1, 1), (2, 3, 4), (5, 1, 3)])
def test_dask_stays_lazy_and_keeps_its_chunks(wshape):
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((13, 11, 9))
    weights = data(wshape, seed=11)
    chunked = xp.asarray(x, chunks=((3, 5, 1, 4), (4, 2, 5), (2, 3, 3, 1)))
    calls = [
        ("correlate", dict(mode="reflect")),
        ("convolve", dict(mode="wrap")),
        ("correlate", dict(mode="constant", cval=2.0, origin=tuple((s - 1) // 2 for s in wshape))),
        ("convolve", dict(mode="mirror", origin=tuple(-(s // 2) for s in wshape))),
    ]
    with forbid_dask_compute():
        results = [FUNCTIONS[name](chunked, weights, **kwargs) for name, kwargs in calls]
        results.append(correlate(chunked, xp.asarray(weights), mode="nearest"))
    calls.append(("correlate", dict(mode="nearest")))
    for result, (name, kwargs) in zip(results, calls, strict=True):
        assert result.chunks == chunked.chunks
        assert_matches(result, getattr(scipy.ndimage, name)(x, weights, **kwargs), xp)
    with forbid_dask_compute():
        along_one = correlate(chunked, weights[0, :, 0], axes=1, mode="grid-wrap")
    assert along_one.chunks == chunked.chunks
    assert_matches(along_one, scipy.ndimage.correlate(x, weights[0, :, 0], axes=1, mode="grid-wrap"), xp)


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.gpu)])
def test_gradcheck_of_input_and_weights(device):
    torch = pytest.importorskip("torch")
    x = torch.asarray(data((5, 4), seed=12), requires_grad=True, device=device)
    weights = torch.asarray(data((3, 2), seed=13), requires_grad=True, device=device)
    for name in FUNCTIONS:
        for mode in ("reflect", "constant", "wrap"):

            def run(t, w, name=name, mode=mode):
                return FUNCTIONS[name](t, w, mode=mode, cval=0.5, origin=(1, 0))

            assert torch.autograd.gradcheck(run, (x, weights))
    expected = scipy.ndimage.correlate(x.detach().cpu().numpy(), weights.detach().cpu().numpy())
    assert_matches(
        correlate(x, weights).detach(), expected, Library.named("torch" if device == "cpu" else "torch-cuda")
    )


def test_cpu_kernel_compiles_once_per_dtype():
    """Ranks, shapes, weights and modes are arguments of the Numba CPU kernel, never compiled in."""
    pytest.importorskip("numba")
    from gsci.kernels import correlate_cpu

    def compiled():
        kernels = (correlate_cpu._correlate_rows, correlate_cpu._correlate_rows_serially)
        return sum(len(kernel.signatures) for kernel in kernels)

    for dtype in FLOATS:  # both variants, both dtypes
        correlate(data((300, 300), dtype), np.ones((3, 3)))
        correlate(data((4, 5), dtype), np.ones((3, 3)))
    before = compiled()
    for shape, wshape, mode in [
        ((9,), (4,), "wrap"),
        ((5, 6, 7), (2, 1, 3), "constant"),
        ((400, 350), (5, 5), "mirror"),
    ]:
        for dtype in FLOATS:
            correlate(data(shape, dtype), data(wshape, seed=1), mode=mode)
    assert compiled() == before


def test_small_numpy_calls_take_scipy(monkeypatch):
    """Below the declared size SciPy's fixed cost is lower (the measured crossover): no gsci engine runs."""
    from gsci.ndimage._filters import _correlate_xp

    monkeypatch.setattr(_correlate_xp, "correlate", None)
    x = data((16, 16))
    with gsci.backend("auto"):
        for name in FUNCTIONS:
            expected = getattr(scipy.ndimage, name)(x, np.ones((3, 3)))
            assert_matches(FUNCTIONS[name](x, np.ones((3, 3))), expected, Library.named("numpy"))
    assert not correlate.declaration.scipy_when(np.ones((128, 128)))


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
    mode=st.sampled_from(MODES),
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_property_against_scipy(shape, mode, seed, data_):
    # weights up to 7 wide: SciPy's reflect maps positions of 4 line lengths and more beyond the start to cval
    wshape = data_.draw(st.lists(st.integers(1, 7), min_size=len(shape), max_size=len(shape)))
    origin = tuple(data_.draw(st.integers(-(s // 2), (s - 1) // 2)) for s in wshape)
    x = data(shape, seed=seed)
    weights = data(wshape, seed=seed + 1)
    numpy = Library.named("numpy")
    kwargs = dict(mode=mode, cval=-0.75, origin=origin)  # valid for convolve too
    assert_matches(correlate(x, weights, **kwargs), scipy.ndimage.correlate(x, weights, **kwargs), numpy)
    assert_matches(convolve(x, weights, **kwargs), scipy.ndimage.convolve(x, weights, **kwargs), numpy)


# Runs in a fresh interpreter: the simulator must be on before numba is imported.
SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci.ndimage._filters._correlate import convolve, correlate
    from gsci.kernels import correlate as kernels

    assert correlate.declaration.path("auto", "numpy", "cpu") == "kernel"
    modes = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
    rng = np.random.default_rng(0)
    failures = []

    def compare(name, got, want, tol):
        if got.dtype != want.dtype or not np.allclose(got, want, rtol=tol, atol=tol):
            failures.append(name)

    for shape, wshape, origin in [((7,), (4,), 1), ((5, 6), (3, 2), (1, -1)), ((3, 4, 2), (2, 3, 3), 0)]:
        for dtype in ("float32", "float64"):
            x = rng.standard_normal(shape).astype(dtype)
            weights = rng.standard_normal(wshape)
            weights.flat[0] = 0.0
            tol = 1e-4 if dtype == "float32" else 1e-12
            for mode in modes:
                for name, function in (("correlate", correlate), ("convolve", convolve)):
                    kwargs = dict(mode=mode, cval=1.5, origin=origin)
                    compare(f"{name} {shape} {wshape} {dtype} {kwargs}", function(x, weights, **kwargs),
                            getattr(scipy.ndimage, name)(x, weights, **kwargs), tol)
    x = rng.standard_normal((5, 6))
    taps = [1.0, 2.0, -1.0]
    compare("axes", correlate(x, taps, axes=1), scipy.ndimage.correlate(x, taps, axes=1), 1e-12)
    ints = (x * 10).astype(np.int16)
    compare("int16", convolve(ints, np.ones((2, 2))), scipy.ndimage.convolve(ints, np.ones((2, 2))), 0)
    z = x + 1j * x[::-1]
    compare("complex", correlate(z, [[1j, 2.0]]), scipy.ndimage.correlate(z, [[1j, 2.0]]), 1e-12)
    output = np.zeros((5, 6), np.float32)
    assert correlate(x, np.ones((3, 3)), output=output) is output
    compare("output array", output, scipy.ndimage.correlate(x, np.ones((3, 3)), output=np.float32), 1e-5)
    # one kernel per mode: shapes, weights sizes and origins are arguments
    compiled = kernels.correlate_kernel.cache_info().currsize
    for shape, wshape in [((9, 4), (5, 1)), ((6, 11), (2, 7)), ((3, 3), (3, 3))]:
        correlate(rng.standard_normal(shape), rng.standard_normal(wshape), mode="wrap")
    assert kernels.correlate_kernel.cache_info().currsize == compiled, "a kernel compiled per shape"
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("mode", range(5))  # gsci.kernels.stencil.MODES, without importing numba here
@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("ndim", [1, 3])
def test_kernel_compiles_to_ptx(dtype, cc, mode, ndim):
    from numba import types

    from gsci.kernels import correlate as kernels

    scalar = getattr(types, dtype)
    signature = (
        scalar[::1],
        scalar[::1],
        types.int64[:, ::1],
        scalar[::1],
        types.UniTuple(types.int64, ndim),
        scalar,
        scalar,
    )
    ptx = kernel_ptx(kernels.correlate_source(mode), signature, cc)
    assert "mul.wide" in ptx or ".s64" in ptx  # 64-bit index arithmetic


GPU_LIBRARIES = [pytest.param(name, marks=pytest.mark.gpu) for name in ("cupy", "torch-cuda")]


def gpu_library(name):
    library = Library.named(name)
    pytest.importorskip(library.module)
    return library


@pytest.mark.parametrize("name", GPU_LIBRARIES)
@pytest.mark.parametrize("dtype", FLOATS)
def test_kernel_path_on_gpu_matches_scipy(name, dtype):
    xp = gpu_library(name)
    assert correlate.declaration.path("auto", xp.module, "cuda") == "kernel"
    for mode in MODES:
        for shape, wshape, origin in CASES:
            x = data(shape, dtype)
            weights = data(wshape, seed=1)
            both("correlate", x, xp.asarray(weights), xp, mode=mode, cval=1.5, origin=origin)
            both("convolve", x, weights, xp, mode=mode, cval=1.5, origin=origin)


@pytest.mark.parametrize("name", GPU_LIBRARIES)
def test_kernel_compiles_once_per_dtype_mode_and_rank(name):
    xp = gpu_library(name)
    from gsci.kernels import correlate as kernels

    kernel = kernels.correlate_kernel(1)  # wrap
    correlate(xp.asarray(np.ones((4, 3))), np.ones((1, 1)), mode="wrap")
    compiled = len(kernel.overloads)
    for shape, wshape in [((8, 9), (3, 3)), ((50, 7), (5, 2)), ((100, 1), (1, 1))]:
        correlate(xp.asarray(np.ones(shape)), np.ones(wshape), mode="wrap", cval=2.0)
    assert len(kernel.overloads) == compiled
