"""Grey morphology (flat and non-flat structuring elements) against SciPy on every library."""

import numpy as np
import pytest
import scipy.ndimage as sndi
from helpers import Library, assert_matches, compiled, forbid_dask_compute
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.ndimage._morphology import _grey

NAMES = [
    "grey_erosion",
    "grey_dilation",
    "grey_opening",
    "grey_closing",
    "morphological_gradient",
    "morphological_laplace",
    "white_tophat",
    "black_tophat",
]
MODES = ("reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap")
FOOTPRINT = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 0]], dtype=bool)
STRUCTURE = np.array([[0.0, 3.5, -2.0], [1.0, 7.25, 0.5], [-4.0, 2.0, 1.0], [0.0, 5.0, -1.5]])
CASES = [
    dict(size=3),
    dict(size=(2, 4)),
    dict(footprint=FOOTPRINT),
    dict(footprint=FOOTPRINT, origin=(1, -1)),
    dict(size=4, mode="constant", cval=7),
    dict(size=(2,), axes=(1,)),
    dict(structure=STRUCTURE),
    dict(structure=STRUCTURE, footprint=FOOTPRINT, mode="constant", cval=-3.5, origin=(-1, 0)),
    dict(structure=STRUCTURE[:, :2], mode="wrap"),
    dict(structure=[[1, 0, 2]], axes=(1, 0), mode="nearest"),
]


@pytest.fixture(autouse=True)
def native_path():
    """The native path everywhere: small NumPy inputs would otherwise run SciPy itself."""
    with gsci.backend("native"):
        yield


def data(shape=(17, 23), dtype="float64", seed=0):
    return (np.random.default_rng(seed).random(shape) * 100 - 20).astype(dtype)


def case_id(kwargs):
    return ",".join(f"{k}={'array' if isinstance(v, np.ndarray | list) else v}" for k, v in kwargs.items())


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kwargs", CASES, ids=case_id)
@pytest.mark.parametrize("dtype", ["int32", "float64", "uint8"])
def test_numpy_matches_scipy(name, kwargs, dtype):
    x = data(dtype=dtype)
    expected = getattr(sndi, name)(x, **kwargs)
    result = getattr(_grey, name)(x, **kwargs)
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "uint16", "int16", "uint32", "int64", "float32", "bool"])
def test_structure_sums_as_scipy_in_every_dtype(dtype):
    """SciPy adds the first footprint element's value in float64, the others cast to the input's
    dtype first (integers wrap around): wrapped values take part in the minimum and maximum."""
    x = data((9, 11), dtype)
    structure = np.array([[0.0, 30.7, -2.5], [500.0, -1.2, 3.0]])
    for name in ("grey_erosion", "grey_dilation", "white_tophat"):
        for mode, cval in [("constant", 3.7), ("reflect", 0.0)]:
            expected = getattr(sndi, name)(x, structure=structure, mode=mode, cval=cval)
            np.testing.assert_allclose(
                getattr(_grey, name)(x, structure=structure, mode=mode, cval=cval), expected, rtol=1e-6
            )


@pytest.mark.parametrize("name", ["white_tophat", "black_tophat"])
def test_bool_tophat_is_exclusive_or(xp, name):
    """With a structure, SciPy's bool opening (closing) reads its bool erosion's (dilation's) bytes,
    which are not only 0 and 1, as numbers: gsci carries them on as uint8."""
    x = np.random.default_rng(1).random((15, 12)) > 0.5
    for kwargs in (dict(size=3), dict(structure=np.ones((2, 3))), dict(structure=STRUCTURE, mode="constant")):
        assert_matches(getattr(_grey, name)(xp.asarray(x), **kwargs), getattr(sndi, name)(x, **kwargs), xp)


@pytest.mark.parametrize("name", NAMES)
def test_every_library_matches_scipy(xp, name):
    x = data((11, 16))
    for kwargs in (dict(size=(2, 3)), dict(structure=STRUCTURE, mode="mirror"), dict(footprint=FOOTPRINT)):
        expected = getattr(sndi, name)(x, **kwargs)
        assert_matches(getattr(_grey, name)(xp.asarray(x), **kwargs), expected, xp)


@pytest.mark.parametrize("name", NAMES)
def test_output_arrays_are_written_and_returned(xp, name):
    x = data((7, 9), "int16")
    for output_dtype, kwargs in [("float32", dict(size=3)), ("int32", dict(structure=STRUCTURE))]:
        expected = getattr(sndi, name)(x, **kwargs, output=np.zeros(x.shape, output_dtype))
        output = xp.asarray(np.zeros(x.shape, output_dtype))
        result = getattr(_grey, name)(xp.asarray(x), **kwargs, output=output)
        assert_matches(result, expected, xp)
        if xp.module != "jax":  # JAX arrays are immutable: a new array is returned
            assert result is output


@pytest.mark.parametrize("name", NAMES)
def test_output_dtypes_as_scipy(name):
    """A dtype: honoured by erosion, dilation, opening, closing and the tophats, ignored (as SciPy) by
    the gradient and the laplace."""
    x = data((6, 8), "uint8")
    for output in ("float64", np.int16):
        expected = getattr(sndi, name)(x, size=3, output=output)
        result = getattr(_grey, name)(x, size=3, output=output)
        assert result.dtype == expected.dtype
        np.testing.assert_array_equal(result, expected)


def test_dask_stays_lazy_with_uneven_chunks():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = data((19, 23))
    chunked = xp.asarray(x, chunks=((5, 3, 7, 4), (6, 2, 9, 1, 5)))
    cases = [
        dict(size=(3, 4), mode="wrap"),
        dict(footprint=FOOTPRINT, origin=(1, 0)),
        dict(structure=STRUCTURE, mode="constant", cval=2.5),
        dict(structure=STRUCTURE[:3], footprint=FOOTPRINT[:3], mode="mirror"),
    ]
    with forbid_dask_compute():
        results = {
            (name, i): getattr(_grey, name)(chunked, **kwargs)
            for name in NAMES
            for i, kwargs in enumerate(cases)
        }
    for (name, i), result in results.items():
        assert result.chunks == chunked.chunks
        assert_matches(result, getattr(sndi, name)(x, **cases[i]), xp)


def test_native_path_under_jax_jit():
    pytest.importorskip("jax")
    xp = Library.named("jax")
    x = data((9, 10))
    for name in NAMES:
        for kwargs in (dict(size=(2, 3)), dict(structure=STRUCTURE, mode="nearest")):
            function = compiled(getattr(_grey, name), xp, **kwargs)
            assert_matches(function(xp.asarray(x)), getattr(sndi, name)(x, **kwargs), xp)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(structure=np.ones(3)),
        dict(structure=np.ones((3, 3)), axes=(0,)),
        dict(structure=np.ones((3, 3)), origin=2),
        dict(structure=np.ones((3, 3)), origin=(0, 0, 0)),
        dict(structure=np.ones((3, 3)), mode=["reflect", "wrap"]),
        dict(structure=np.ones((3, 3)), mode="unknown"),
        dict(size=3, origin=-2),
        dict(footprint=np.zeros((2, 2))),
        dict(size=3, output=np.zeros((2, 2))),
        dict(size=(3, 3, 3)),
    ],
    ids=case_id,
)
@pytest.mark.parametrize("name", NAMES)
def test_bad_arguments_raise_like_scipy(name, kwargs):
    x = data((5, 6))
    with pytest.raises(Exception) as from_scipy:
        getattr(sndi, name)(x, **kwargs)
    with pytest.raises(type(from_scipy.value)):
        getattr(_grey, name)(x, **kwargs)


def test_complex_input_and_bool_gradient_raise_like_scipy():
    for name in NAMES:
        with pytest.raises(TypeError):
            getattr(_grey, name)(data((4, 5)) + 1j, size=3)
    for name in ("morphological_gradient", "morphological_laplace"):
        with pytest.raises(TypeError):
            getattr(sndi, name)(data((4, 5)) > 0, size=3)
        with pytest.raises(TypeError):
            getattr(_grey, name)(data((4, 5)) > 0, size=3)


def test_where_gsci_refuses_what_scipy_misreads():
    """Declared divergence: SciPy reads past a structure smaller than the footprint, and crashes on
    an all-False footprint with a structure; gsci raises."""
    x = data((5, 6))
    with pytest.raises(RuntimeError, match="structure array has incorrect shape"):
        _grey.grey_erosion(x, structure=np.ones((2, 2)), footprint=np.ones((3, 3)))
    with pytest.raises(ValueError, match="All-zero footprint"):
        _grey.grey_dilation(x, structure=np.ones((2, 2)), footprint=np.zeros((2, 2)))


def test_size_and_footprint_warn_like_scipy():
    for name in NAMES:
        with pytest.warns(UserWarning, match="ignoring size"):
            getattr(_grey, name)(data((5, 6)), size=2, footprint=FOOTPRINT)


def test_inputs_are_untouched_read_only_and_strided():
    base = data((12, 14))
    read_only = base.copy()
    read_only.flags.writeable = False
    for x in (read_only, base[::2, 1::3], base[::-1, ::-2], base.T):
        before = x.copy()
        for name in NAMES:
            for kwargs in (dict(size=3), dict(structure=STRUCTURE)):
                expected = getattr(sndi, name)(x, **kwargs)
                np.testing.assert_array_equal(getattr(_grey, name)(x, **kwargs), expected)
        np.testing.assert_array_equal(x, before)


def test_small_numpy_inputs_take_scipy_under_auto():
    for name in NAMES:
        function = getattr(_grey, name)
        assert function.declaration.scipy_when(np.ones((16, 16)))
        assert not function.declaration.scipy_when(np.ones((256, 256)))
    with gsci.backend("auto"):
        x = data((16, 16))
        np.testing.assert_array_equal(_grey.grey_erosion(x, size=3), sndi.grey_erosion(x, size=3))


def test_public_exports():
    from gsci import ndimage

    for name in NAMES:
        assert getattr(ndimage, name) is getattr(_grey, name)


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
    mode=st.sampled_from(MODES),
    flat=st.booleans(),
    dtype=st.sampled_from(["float64", "int16", "uint8"]),
    seed=st.integers(0, 2**16),
    data_=st.data(),
)
def test_grey_property(shape, mode, flat, dtype, seed, data_):
    ndim = len(shape)
    rng = np.random.default_rng(seed)
    fshape = data_.draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    footprint = rng.random(fshape) > 0.3
    footprint.flat[0] = True
    origin = [data_.draw(st.integers(-(f // 2), (f - 1) // 2)) for f in fshape]
    kwargs = dict(footprint=footprint, mode=mode, cval=1.5, origin=origin)
    if not flat:
        kwargs["structure"] = (rng.random(fshape) * 20 - 10).round(1)
    x = data(shape, dtype, seed)
    name = data_.draw(st.sampled_from(NAMES))
    expected = getattr(sndi, name)(x, **kwargs)
    result = getattr(_grey, name)(x, **kwargs)
    assert result.dtype == expected.dtype
    np.testing.assert_allclose(result, expected, rtol=1e-12)
