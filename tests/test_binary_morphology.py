"""Binary morphology against SciPy: structures, erosion, dilation and what is built from them."""

import textwrap

import numpy as np
import pytest
import scipy.ndimage as sn
from helpers import (
    Library,
    assert_matches,
    case_id,
    compiled,
    forbid_dask_compute,
    kernel_ptx,
    run_in_simulator,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.ndimage._morphology import _binary as binary
from gsci.ndimage._morphology._structure import generate_binary_structure, iterate_structure


@pytest.mark.parametrize("rank", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("connectivity", [-1, 0, 1, 2, 3, 5])
def test_generate_binary_structure(rank, connectivity):
    got = generate_binary_structure(rank, connectivity)
    expected = sn.generate_binary_structure(rank, connectivity)
    assert isinstance(got, np.ndarray) and got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("shape", [(3, 3), (3, 5), (4, 2), (2, 3, 4), (5,)])
@pytest.mark.parametrize("iterations", [0, 1, 2, 3])
def test_iterate_structure(xp, shape, iterations):
    rng = np.random.default_rng(sum(shape) + iterations)
    structure = rng.random(shape) > 0.4
    got = iterate_structure(xp.asarray(structure), iterations)
    assert_matches(got, sn.iterate_structure(structure, iterations), xp)


@pytest.mark.parametrize("origin", [1, (0, -1), [2, 1]])
def test_iterate_structure_origin(xp, origin):
    structure = np.array([[0, 1, 1], [1, 1, 0]], bool)
    got, got_origin = iterate_structure(xp.asarray(structure), 3, origin=origin)
    expected, expected_origin = sn.iterate_structure(structure, 3, origin=origin)
    assert_matches(got, expected, xp)
    assert got_origin == expected_origin


def test_iterate_structure_keeps_dtype_and_input():
    structure = np.array([[0, 2, 0], [3, 1, 0], [0, 0, 0]], np.int16)
    structure.setflags(write=False)
    for iterations in (1, 3):
        got, expected = iterate_structure(structure, iterations), sn.iterate_structure(structure, iterations)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    listed = structure.tolist()
    np.testing.assert_array_equal(iterate_structure(listed, 2), sn.iterate_structure(listed, 2))
    assert listed == structure.tolist()


def test_iterate_structure_bad_origin():
    with pytest.raises(RuntimeError, match="sequence argument must have length equal to input rank"):
        sn.iterate_structure(np.ones((3, 3)), 2, origin=(1, 2, 3))
    with pytest.raises(RuntimeError, match="sequence argument must have length equal to input rank"):
        iterate_structure(np.ones((3, 3)), 2, origin=(1, 2, 3))


# --- binary erosion, dilation and what is built from them ---------------------------------------------

BINARY = ("binary_erosion", "binary_dilation", "binary_opening", "binary_closing")
CROSS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], bool)
EVEN = np.array([[1, 1], [0, 1]], bool)
HOLLOW = np.array([[1, 0, 1], [0, 0, 0], [1, 0, 1]], bool)  # centre not in the structure


def image(shape, density=0.6, seed=0):
    return np.random.default_rng(seed).random(shape) < density


def native(function, *args, **kwargs):
    """``function`` on the native path, whatever the size (small NumPy arrays otherwise take SciPy)."""
    with gsci.backend("native"):
        return function(*args, **kwargs)


def gsci_binary(name):
    return getattr(binary, name)


CASES = [
    dict(),
    dict(structure=CROSS, iterations=2, border_value=1),
    dict(structure=EVEN, origin=(0, -1), iterations=3),
    dict(structure=np.ones((3, 3)), iterations=-1, brute_force=True),
    dict(structure=HOLLOW, iterations=2, border_value=1),
    dict(iterations=12),  # the propagation's level limit
    dict(structure=[[1, 1, 1]], axes=None, iterations=0),
]


@pytest.mark.parametrize("kwargs", CASES, ids=case_id)
@pytest.mark.parametrize("name", BINARY)
def test_binary_operations_match_scipy(xp, name, kwargs):
    x = image((23, 19), seed=len(kwargs))
    expected = getattr(sn, name)(x, **kwargs)
    function = compiled(gsci_binary(name), xp, **kwargs)
    assert_matches(native(function, xp.asarray(x, chunks=((5, 3, 9, 6), (2, 7, 4, 6)))), expected, xp)


@pytest.mark.parametrize("iterations", [1, 3, -1])
@pytest.mark.parametrize("name", BINARY)
def test_masks_and_dtypes_match_scipy(xp, name, iterations):
    rng = np.random.default_rng(iterations + 5)
    x = (rng.random((17, 21)) * 3).astype(np.int16)  # nonzero is True
    mask = rng.random((17, 21)) < 0.8
    kwargs = dict(structure=CROSS, iterations=iterations, mask=mask, border_value=1)
    expected = getattr(sn, name)(x, **kwargs)
    got = native(gsci_binary(name), xp.asarray(x), **{**kwargs, "mask": xp.asarray(mask)})
    assert_matches(got, expected, xp)


def test_propagation_fill_holes_and_hit_or_miss_match_scipy(xp):
    x = image((31, 27), 0.55, seed=3)
    seeds = image((31, 27), 0.02, seed=4)
    for name, args, kwargs in [
        ("binary_propagation", (seeds,), dict(mask=x)),
        ("binary_propagation", (seeds,), dict(mask=x, structure=np.ones((3, 3)), border_value=1)),
        ("binary_fill_holes", (x,), dict()),
        ("binary_fill_holes", (x,), dict(structure=np.ones((3, 3)))),
        ("binary_hit_or_miss", (x,), dict()),
        ("binary_hit_or_miss", (x,), dict(structure1=EVEN, structure2=[[0, 0], [1, 0]], origin1=(0, -1))),
    ]:
        expected = getattr(sn, name)(*args, **kwargs)
        moved = {k: xp.asarray(v) if k == "mask" else v for k, v in kwargs.items()}
        function = compiled(gsci_binary(name), xp, **moved) if "mask" not in kwargs else gsci_binary(name)
        got = native(function, *[xp.asarray(a) for a in args], **({} if "mask" not in kwargs else moved))
        assert_matches(got, expected, xp)


def test_three_dimensions_and_axes(xp):
    x = image((6, 9, 8), seed=7)
    for kwargs in [dict(axes=(0, 2)), dict(axes=(2, 1), structure=EVEN, origin=(-1, 0), iterations=2)]:
        for name in ("binary_erosion", "binary_dilation"):
            assert_matches(
                native(gsci_binary(name), xp.asarray(x), **kwargs), getattr(sn, name)(x, **kwargs), xp
            )
    structure = sn.generate_binary_structure(3, 2)
    assert_matches(
        native(binary.binary_fill_holes, xp.asarray(x), structure), sn.binary_fill_holes(x, structure), xp
    )


@settings(max_examples=40, deadline=None)
@given(
    sshape=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    iterations=st.sampled_from([-1, 0, 1, 2, 3, 10]),
    border_value=st.integers(0, 1),
    brute_force=st.booleans(),
    with_mask=st.booleans(),
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_binary_property(sshape, iterations, border_value, brute_force, with_mask, seed, data_):
    """Inputs longer than the structure on every axis: there SciPy's loop over the changed elements
    agrees with its brute force (see test_structure_longer_than_the_input_gives_the_brute_force_values)."""
    rng = np.random.default_rng(seed)
    shape = [data_.draw(st.integers(n + 1, n + 8)) for n in sshape]
    structure = rng.random(sshape) < 0.5
    origin = [data_.draw(st.integers(-(n // 2), (n - 1) // 2)) for n in sshape]
    centre = tuple(n // 2 + o for n, o in zip(sshape, origin, strict=True))
    if iterations < 1:
        structure[centre] = True  # SciPy's repeats need not end otherwise
    x = rng.random(shape) < rng.random()
    mask = rng.random(shape) < 0.7 if with_mask else None
    kwargs = dict(
        structure=structure,
        iterations=iterations,
        mask=mask,
        border_value=border_value,
        origin=origin,
        brute_force=brute_force,
    )
    numpy_library = Library.named("numpy")
    for name in BINARY:
        assert_matches(native(gsci_binary(name), x, **kwargs), getattr(sn, name)(x, **kwargs), numpy_library)
    if structure[centre]:
        kwargs = dict(structure=structure, mask=mask, border_value=border_value, origin=origin)
        assert_matches(
            native(binary.binary_propagation, x, **kwargs), sn.binary_propagation(x, **kwargs), numpy_library
        )
        got = native(binary.binary_fill_holes, x, structure, origin=origin)
        assert_matches(got, sn.binary_fill_holes(x, structure, origin=origin), numpy_library)
    hit = native(binary.binary_hit_or_miss, x, structure, origin1=origin)
    assert_matches(hit, sn.binary_hit_or_miss(x, structure, origin1=origin), numpy_library)


@pytest.mark.parametrize(
    "name, args, kwargs, error, message",
    [
        (
            "binary_erosion",
            (np.ones((4, 4)),),
            dict(structure=np.ones(3)),
            RuntimeError,
            "same dimensionality",
        ),
        (
            "binary_dilation",
            (np.ones((4, 4)),),
            dict(structure=np.ones((0, 3))),
            RuntimeError,
            "must not be empty",
        ),
        ("binary_erosion", (np.ones((4, 4)),), dict(mask=np.ones((4, 3))), RuntimeError, "equal sizes"),
        ("binary_erosion", (np.ones((4, 4), complex),), dict(), TypeError, "Complex type not supported"),
        ("binary_dilation", (np.ones((4, 4)),), dict(iterations=1.5), TypeError, "should be an integer"),
        ("binary_opening", (np.ones((4, 4)),), dict(iterations="2"), TypeError, "should be an integer"),
        (
            "binary_erosion",
            (np.ones((4, 4)),),
            dict(output=np.ones((4, 4), complex)),
            TypeError,
            "Complex output",
        ),
        ("binary_erosion", (np.ones((4, 4)),), dict(output=np.ones((3, 4))), RuntimeError, "output shape"),
        (
            "binary_erosion",
            (np.ones((4, 4)),),
            dict(structure=CROSS, axes=(0,)),
            RuntimeError,
            "len\\(axes\\)",
        ),
        ("binary_erosion", (np.ones((4, 4)),), dict(origin=(1, 2, 3)), RuntimeError, "length equal"),
    ],
)
def test_bad_inputs_raise_like_scipy(name, args, kwargs, error, message):
    with pytest.raises(error):
        getattr(sn, name)(*args, **kwargs)
    for backend in ("auto", "native"):
        with gsci.backend(backend), pytest.raises(error, match=message):
            gsci_binary(name)(*args, **kwargs)


def test_structure_longer_than_the_input_gives_the_brute_force_values():
    """SciPy's loop over the changed elements (brute_force=False) goes wrong, and may crash, when the
    structure is as long as the input on an axis; gsci gives its brute-force values."""
    structure = np.array([[[1, 0, 1], [1, 1, 0]], [[1, 1, 0], [0, 0, 1]]], bool)
    x = image((4, 5, 2), 0.5, seed=16)
    kwargs = dict(structure=structure, origin=(-1, -1, -1), iterations=-1)
    expected = sn.binary_dilation(x, **kwargs, brute_force=True)
    np.testing.assert_array_equal(native(binary.binary_dilation, x, **kwargs), expected)
    np.testing.assert_array_equal(
        native(binary.binary_propagation, x, structure, origin=(-1, -1, -1)), expected
    )


def test_origin_outside_the_structure_raises():
    with pytest.raises(ValueError, match="invalid origin"):
        native(binary.binary_dilation, np.ones((4, 4)), origin=2)  # SciPy reads out of bounds here


def test_read_only_inputs_are_untouched_and_outputs_written():
    x = image((40, 30), seed=9)
    mask = image((40, 30), 0.8, seed=10)
    for a in (x, mask):
        a.setflags(write=False)
    saved = x.copy(), mask.copy()
    for name in BINARY:
        for kwargs, dtype in [
            (dict(structure=EVEN, iterations=-1, mask=mask, border_value=1), bool),
            (dict(structure=EVEN, iterations=2, brute_force=True), np.float32),
        ]:
            # SciPy's loop over the changed elements reads a non-bool output as bool (values vary):
            # non-bool outputs are compared on its other loops only
            output = np.zeros(x.shape, dtype)
            expected = getattr(sn, name)(x, **kwargs, output=np.zeros(x.shape, dtype))
            assert native(gsci_binary(name), x, **kwargs, output=output) is output
            np.testing.assert_array_equal(output, expected)
        assert native(gsci_binary(name), x, output=np.int8).dtype == bool  # as SciPy: a dtype is ignored
    np.testing.assert_array_equal(x, saved[0])
    np.testing.assert_array_equal(mask, saved[1])
    for name in ("binary_fill_holes", "binary_hit_or_miss"):  # SciPy writes the output and returns None
        output = np.zeros(x.shape, bool)
        assert native(gsci_binary(name), x, output=output) is None
        np.testing.assert_array_equal(output, getattr(sn, name)(x))
    inplace = x.copy()  # output overlapping the input: SciPy uses a temporary
    native(binary.binary_dilation, inplace, iterations=2, output=inplace)
    np.testing.assert_array_equal(inplace, sn.binary_dilation(x, iterations=2))


def test_zero_d_empty_and_one_element_inputs():
    for x in (np.array(True), np.zeros((0, 3), bool), np.ones((1,), bool)):
        for name in BINARY:
            np.testing.assert_array_equal(native(gsci_binary(name), x), getattr(sn, name)(x))


def test_zero_d_on_every_library(xp):
    for value in (False, True):
        for name in BINARY:
            assert_matches(
                gsci_binary(name)(xp.asarray(np.array(value))), getattr(sn, name)(np.array(value)), xp
            )


def test_dask_stays_lazy_with_uneven_chunks():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = image((26, 31), seed=11)
    mask = image((26, 31), 0.9, seed=12)
    chunks = ((4, 9, 2, 6, 5), (3, 8, 1, 12, 7))
    cases = [
        ("binary_erosion", dict(iterations=3, border_value=1)),
        ("binary_dilation", dict(structure=EVEN, origin=(-1, 0), iterations=2)),
        ("binary_closing", dict(structure=np.ones((3, 3)), iterations=2)),
        ("binary_dilation", dict(iterations=-1)),  # until stable: one block
        ("binary_fill_holes", dict()),
    ]
    with forbid_dask_compute():
        results = [gsci_binary(name)(xp.asarray(x, chunks=chunks), **kwargs) for name, kwargs in cases]
        masked = binary.binary_propagation(
            xp.asarray(x & ~mask, chunks=chunks), mask=xp.asarray(mask, chunks=chunks)
        )
    for result, (name, kwargs) in zip(results, cases, strict=True):
        assert result.chunks == chunks
        assert_matches(result, getattr(sn, name)(x, **kwargs), xp)
    assert_matches(masked, sn.binary_propagation(x & ~mask, mask=mask), xp)


def test_jax_jit_with_fixed_and_until_stable_iterations():
    pytest.importorskip("jax")
    xp = Library.named("jax")
    x = image((20, 22), seed=13)
    for name, kwargs in [
        ("binary_erosion", dict(iterations=3, structure=EVEN)),
        ("binary_dilation", dict(iterations=-1, border_value=1)),
        ("binary_opening", dict(iterations=2)),
        ("binary_fill_holes", dict()),
    ]:
        function = compiled(gsci_binary(name), xp, **kwargs)
        assert_matches(function(xp.asarray(x)), getattr(sn, name)(x, **kwargs), xp)


def test_small_numpy_inputs_take_scipy_under_auto():
    for name in (*BINARY, "binary_propagation", "binary_fill_holes", "binary_hit_or_miss"):
        declaration = gsci_binary(name).declaration
        assert declaration.scipy_when(np.ones((16, 16)))
        assert not declaration.scipy_when(np.ones((128, 128)))


def test_peak_extra_memory_is_at_most_three_inputs():
    import tracemalloc

    x = image((512, 512), 0.5, seed=14)
    for function, kwargs in [
        (binary.binary_erosion, dict()),
        (binary.binary_dilation, dict(iterations=3)),
        (binary.binary_fill_holes, dict()),
        (binary.binary_erosion, dict(iterations=-1, structure=np.ones((3, 3)))),
    ]:
        function(x, **kwargs)
        tracemalloc.start()
        function(x, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak <= 3.2 * x.nbytes, f"{function.__name__}: {peak / x.nbytes:.2f} inputs"


def test_cpu_kernels_compile_once():
    from gsci.kernels import morphology_cpu

    kernels = (morphology_cpu._pass, morphology_cpu._pass_serially, morphology_cpu._propagate)

    def run_all(shape, structure, iterations, seed):
        x = image(shape, seed=seed)
        mask = image(shape, 0.8, seed=seed + 1)
        for name in BINARY:
            native(gsci_binary(name), x, structure, iterations=iterations, mask=mask)
        native(binary.binary_fill_holes, x)

    run_all((300, 301), CROSS, -1, 0)
    run_all((6, 7), CROSS, 12, 0)
    compiled_before = [len(kernel.signatures) for kernel in kernels]
    for shape, structure, iterations, seed in [
        ((250, 260), np.ones((3, 3)), 2, 1),
        ((9, 8, 7), np.ones((2, 3, 1)), -1, 2),
        ((40,), [1, 1, 0, 1], 20, 3),
    ]:
        run_all(shape, structure, iterations, seed)
    assert [len(kernel.signatures) for kernel in kernels] == compiled_before


# Runs in a fresh interpreter: the simulator must be on before numba is imported.
SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci.ndimage._morphology import _binary
    from gsci.kernels import morphology

    assert _binary.binary_erosion.declaration.path("auto", "numpy", "cpu") == "kernel"
    rng = np.random.default_rng(0)
    failures = []

    def compare(name, *args, **kwargs):
        got = getattr(_binary, name)(*args, **kwargs)
        want = getattr(scipy.ndimage, name)(*args, **kwargs)
        if got.dtype != want.dtype or not np.array_equal(got, want):
            failures.append(f"{name} {kwargs}")

    x = rng.random((7, 9)) < 0.6
    mask = rng.random((7, 9)) < 0.8
    even = np.array([[1, 1], [0, 1]], bool)
    for name in ("binary_erosion", "binary_dilation", "binary_opening", "binary_closing"):
        compare(name, x)
        compare(name, x, even, iterations=2, mask=mask, border_value=1, origin=(0, -1))
        compare(name, x, iterations=-1, mask=mask)
    compare("binary_propagation", rng.random((7, 9)) < 0.05, mask=x)
    compare("binary_fill_holes", x)
    compare("binary_hit_or_miss", x)
    compare("binary_erosion", rng.random((3, 4, 5)) < 0.7, np.ones((3, 1, 3)), iterations=3)
    output = np.zeros((7, 9), np.uint8)
    assert _binary.binary_dilation(x, output=output) is output
    # one kernel, whatever the shape, structure, mask, border or iteration count
    made = morphology.step_kernel.cache_info().currsize
    cases = [((5, 4), np.ones((3, 3)), 2), ((6,), [1, 1, 0], -1), ((2, 3, 4), None, 4)]
    for shape, structure, iterations in cases:
        y = rng.random(shape) < 0.5
        _binary.binary_erosion(y, structure, iterations=iterations, border_value=1)
        _binary.binary_dilation(y, structure, iterations=iterations, mask=y)
    assert made == morphology.step_kernel.cache_info().currsize == 1
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
def test_step_kernel_compiles_to_ptx(cc):
    from numba import types

    from gsci.kernels import morphology

    u8 = types.uint8[::1]
    signature = (
        u8,
        types.int64[::1],
        types.int64[::1],
        u8,
        u8,
        u8,
        types.uint8,
        types.boolean,
        types.boolean,
    )
    kernel_ptx(morphology.step_source(), signature, cc)


@pytest.mark.parametrize(
    "name", [pytest.param("torch-cuda", marks=pytest.mark.gpu), pytest.param("cupy", marks=pytest.mark.gpu)]
)
def test_kernel_on_gpu_matches_scipy_and_compiles_once(name):
    xp = Library.named(name)
    pytest.importorskip(xp.module)
    from gsci.kernels import morphology

    x = image((301, 257), 0.6, seed=15)
    for function, kwargs in [
        ("binary_erosion", dict(iterations=3)),
        ("binary_dilation", dict(iterations=-1, mask=x)),
        ("binary_fill_holes", dict()),
        ("binary_closing", dict(structure=np.ones((3, 3)), iterations=2)),
    ]:
        moved = {k: xp.asarray(v) if k == "mask" else v for k, v in kwargs.items()}
        expected = getattr(sn, function)(x & (np.arange(257) % 7 > 0), **kwargs)
        assert_matches(gsci_binary(function)(xp.asarray(x & (np.arange(257) % 7 > 0)), **moved), expected, xp)
    kernel = morphology.step_kernel()
    compiled_before = len(kernel.overloads)
    for shape in [(8, 9), (5, 4, 7), (100,)]:
        binary.binary_erosion(xp.asarray(image(shape)), iterations=2)
    assert len(kernel.overloads) == compiled_before
