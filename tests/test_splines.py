"""spline_filter1d, spline_filter and the interpolations' prefilter against SciPy, on every library."""

import textwrap
import warnings

import numpy as np
import pytest
import scipy.ndimage
from helpers import (
    assert_matches,
    compiled,
    forbid_dask_compute,
    kernel_ptx,
    longest_task_axis,
    run_in_simulator,
    to_numpy,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci._lib._compat import array_namespace
from gsci.ndimage._interpolation import _engines
from gsci.ndimage._interpolation._spline import prefiltered, spline_filter, spline_filter1d

MODES = ("mirror", "reflect", "grid-mirror", "constant", "grid-constant", "nearest", "wrap", "grid-wrap")
UNEVEN = ((3, 5, 1), (4, 2, 7))  # chunks of a (9, 13) array


def _data(shape, seed=0, scale=10.0):
    return np.random.default_rng(seed).standard_normal(shape) * scale


@pytest.mark.parametrize("order", range(6))
def test_spline_filter1d_matches_scipy_every_mode_and_axis(xp, order):
    a = _data((9, 13))
    x = xp.asarray(a, chunks=UNEVEN)
    for mode in MODES:
        for axis in (0, -1):
            with forbid_dask_compute():
                got = compiled(spline_filter1d, xp, order=order, axis=axis, mode=mode)(x)
            assert_matches(got, scipy.ndimage.spline_filter1d(a, order, axis, mode=mode), xp)


@pytest.mark.parametrize("order", range(2, 6))
def test_spline_filter_matches_scipy_every_mode(xp, order):
    a = _data((5, 6, 7), seed=order)
    x = xp.asarray(a, chunks=((2, 3), (1, 5), (4, 3)))
    for mode in MODES:
        with forbid_dask_compute():
            got = compiled(spline_filter, xp, order=order, mode=mode)(x)
        assert_matches(got, scipy.ndimage.spline_filter(a, order, mode=mode), xp)


@pytest.mark.parametrize(
    ("dtype", "output"),
    [
        ("float32", np.float64),
        ("float32", np.float32),
        ("float64", "float32"),
        ("int32", np.float64),
        ("uint8", np.int16),
        ("float64", np.int32),
        ("int16", None),
        ("bool", np.float64),
        ("complex128", np.complex128),
        ("complex64", np.complex64),
        ("complex128", None),
    ],
)
def test_dtypes_and_outputs_match_scipy(xp, dtype, output):
    a = _data((9, 13), scale=40.0)
    if dtype == "bool":
        a = a > 0
    elif dtype.startswith("complex"):
        a = a + 1j * _data((9, 13), seed=1)
    else:
        a = a.astype(dtype) if dtype.startswith("float") else np.abs(a).astype(dtype)
    x = xp.asarray(a, chunks=UNEVEN)
    kind = xp.dtype(np.dtype(output).name) if isinstance(output, type) else output
    for order, function in ((3, spline_filter), (5, spline_filter1d), (1, spline_filter1d)):
        with forbid_dask_compute():
            got = compiled(function, xp, order=order, output=kind, mode="nearest")(x)
        assert_matches(got, function.declaration.scipy_function(a, order, output=output, mode="nearest"), xp)


def test_complex_input_with_a_real_output_dtype_warns_and_promotes(xp):
    a = _data((4, 5)) + 2j
    with pytest.warns(UserWarning, match="promoting"):
        want = scipy.ndimage.spline_filter(a)
    with pytest.warns(UserWarning, match="promoting"):
        got = spline_filter(xp.asarray(a, chunks=(2, 3)))
    assert_matches(got, want, xp)


@pytest.mark.parametrize("function", [spline_filter1d, spline_filter])
def test_output_array_is_written_and_returned(xp, function):
    a = _data((9, 13))
    want = np.zeros(a.shape, np.float32)
    function.declaration.scipy_function(a, 4, output=want, mode="wrap")
    out = xp.asarray(np.zeros(a.shape, np.float32), chunks=UNEVEN)
    got = function(xp.asarray(a, chunks=UNEVEN), 4, output=out, mode="wrap")
    assert_matches(got, want, xp)
    if xp.module in ("numpy", "torch", "array_api_strict"):
        assert got is out
        assert_matches(out, want, xp)


@pytest.mark.parametrize("order", range(2, 6))
def test_dask_is_exact_across_chunks_and_chunk_parallel(order):
    import dask.array as da

    a = _data((7, 300), seed=order)
    for mode in MODES:
        x = da.from_array(a, chunks=((3, 4), (70, 30, 100, 100)))
        with forbid_dask_compute():
            got = spline_filter(x, order, mode=mode)
            along = spline_filter1d(x.T, order, axis=0, mode=mode)
        np.testing.assert_allclose(
            got.compute(), scipy.ndimage.spline_filter(a, order, mode=mode), atol=1e-12
        )
        np.testing.assert_allclose(
            along.compute(), scipy.ndimage.spline_filter1d(a.T, order, axis=0, mode=mode), atol=1e-12
        )
        assert got.chunks == x.chunks
        assert longest_task_axis(got) < 300
        assert longest_task_axis(along) < 300


@pytest.mark.parametrize(("order", "mode"), [(2, "grid-wrap"), (3, "reflect"), (4, "mirror")])
def test_scans_of_long_lines_match_scipy(xp, order, mode, monkeypatch):
    from gsci.ndimage._interpolation import _spline_xp

    monkeypatch.setattr(_spline_xp, "DENSE_LINES", 4)  # lines of 9 and 13 samples then scan
    a = _data((9, 13), seed=order)
    x = xp.asarray(a, chunks=UNEVEN)
    with forbid_dask_compute():
        got = compiled(spline_filter, xp, order=order, mode=mode)(x)
    assert_matches(got, scipy.ndimage.spline_filter(a, order, mode=mode), xp)


def _scipy_prefiltered(a, order, mode, cval, axes):
    npad = 12 if mode in ("nearest", "grid-constant") else 0
    pad = [(npad, npad) if ax in axes else (0, 0) for ax in range(a.ndim)]
    if mode == "nearest":
        a = np.pad(a, pad, mode="edge")
    elif npad:
        a = np.pad(a, pad, mode="constant", constant_values=cval)
    c = a.astype(np.float64)
    for ax in axes:
        c = scipy.ndimage.spline_filter1d(c, order, ax, output=np.float64, mode=mode)
    return c, npad


@pytest.mark.parametrize("mode", ["nearest", "grid-constant", "mirror", "grid-wrap", "reflect"])
@pytest.mark.parametrize("axes", [None, (1,)])
def test_prefiltered_matches_scipys_prepad_and_filter(xp, mode, axes):
    a = _data((9, 13))
    x = xp.asarray(a, chunks=UNEVEN)
    for order in (1, 3, 5):
        with forbid_dask_compute():
            got, npad = prefiltered(x, order, mode, 1.5, array_namespace(x), _engines.NATIVE, axes)
        want, want_pad = _scipy_prefiltered(a, order, mode, 1.5, range(a.ndim) if axes is None else axes)
        if order < 2:
            want, want_pad = a, 0
        assert npad == want_pad
        assert_matches(got, want, xp)


def test_prefiltered_pads_dask_lazily_and_chunk_parallel():
    import dask.array as da

    a = _data((300, 6))
    x = da.from_array(a, chunks=((100, 120, 80), (2, 4)))
    with forbid_dask_compute():
        got, npad = prefiltered(x, 3, "nearest", 0.0, array_namespace(x), _engines.NATIVE)
    want, _ = _scipy_prefiltered(a, 3, "nearest", 0.0, (0, 1))
    np.testing.assert_allclose(got.compute(), want, atol=1e-12)
    assert npad == 12 and longest_task_axis(got) < 300


def test_torch_gradient_matches_finite_differences():
    torch = pytest.importorskip("torch")
    x = torch.asarray(_data((4, 6)), requires_grad=True)
    for mode in ("mirror", "reflect", "grid-wrap"):
        assert torch.autograd.gradcheck(lambda t, mode=mode: spline_filter(t, 3, mode=mode), (x,))
        assert torch.autograd.gradcheck(lambda t, mode=mode: spline_filter1d(t, 5, axis=0, mode=mode), (x,))
    got = spline_filter(x, 4, mode="nearest")
    assert got.requires_grad
    np.testing.assert_allclose(to_numpy(got), scipy.ndimage.spline_filter(to_numpy(x), 4, mode="nearest"))


def _raises_like_scipy(call):
    """``call(function_module)`` raises the same exception type with SciPy and with gsci."""
    with pytest.raises(Exception) as scipy_error:
        call(scipy.ndimage)
    with pytest.raises(scipy_error.type):
        call(_Gsci)


class _Gsci:
    spline_filter = staticmethod(spline_filter)
    spline_filter1d = staticmethod(spline_filter1d)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.spline_filter(np.ones((4, 4)), order=6),
        lambda m: m.spline_filter(np.ones((4, 4)), order=1),
        lambda m: m.spline_filter1d(np.ones((4, 4)), order=-1),
        lambda m: m.spline_filter1d(np.ones((4, 4)), order=6),
        lambda m: m.spline_filter(np.ones((4, 4)), output=np.zeros((4, 5))),
        lambda m: m.spline_filter1d(np.ones((4, 4)), output=np.zeros((3, 4))),
        lambda m: m.spline_filter(np.ones((4, 4)) + 1j, output=np.zeros((4, 4))),
        lambda m: m.spline_filter(np.ones((4, 4)), mode="unknown"),
        lambda m: m.spline_filter1d(np.ones((4, 4)), axis=2),
        lambda m: m.spline_filter1d(np.float64(2.0)),
        lambda m: m.spline_filter(np.ones((4, 4)), output="bool"),
        lambda m: m.spline_filter(np.ones((4, 4)) + 1j, output="float64"),
    ],
)
def test_bad_inputs_raise_scipys_exceptions(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _raises_like_scipy(call)


def test_bad_inputs_raise_on_every_library(xp):
    x = xp.asarray(np.ones((4, 5)), chunks=(2, 3))
    with pytest.raises(RuntimeError, match="order"):
        spline_filter(x, order=6)
    with pytest.raises(RuntimeError, match="order"):
        spline_filter1d(x, order=-1)
    with pytest.raises(RuntimeError, match="shape"):
        spline_filter(x, output=xp.asarray(np.ones((5, 4)), chunks=(2, 3)))


def test_inputs_are_never_modified(xp):
    a = _data((9, 13))
    a.flags.writeable = False
    x = xp.asarray(a, chunks=UNEVEN)
    for order in (0, 3, 5):
        spline_filter1d(x, order, output=None)
        spline_filter1d(a, order, output=None)
    spline_filter(x, 2)
    prefiltered(x, 3, "nearest", 0.0, array_namespace(x), _engines.NATIVE)
    np.testing.assert_array_equal(to_numpy(x), _data((9, 13)))
    np.testing.assert_array_equal(a, _data((9, 13)))


def test_zero_dimensional_and_empty_inputs_match_scipy():
    for a in (np.float64(2.5), np.zeros((0, 4)), np.zeros((3, 0))):
        assert_matches(spline_filter(a), scipy.ndimage.spline_filter(a), _numpy())
    assert_matches(
        spline_filter1d(np.zeros((0, 4)), axis=0),
        scipy.ndimage.spline_filter1d(np.zeros((0, 4)), axis=0),
        _numpy(),
    )
    assert_matches(
        spline_filter1d(np.float64(2.0), order=1),
        scipy.ndimage.spline_filter1d(np.float64(2.0), order=1),
        _numpy(),
    )


def _numpy():
    from helpers import Library

    return Library.named("numpy")


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=3),
    order=st.integers(2, 5),
    mode=st.sampled_from(MODES),
    axis=st.integers(-3, 2),
    seed=st.integers(0, 2**16),
)
def test_numba_kernel_equals_scipy_bit_for_bit_and_scan_to_rounding(shape, order, mode, axis, seed):
    import array_api_strict

    a = _data(tuple(shape), seed)
    axis = axis % a.ndim
    want = scipy.ndimage.spline_filter1d(a, order, axis, mode=mode)
    np.testing.assert_array_equal(spline_filter1d(a, order, axis, mode=mode, output=np.float64), want)
    np.testing.assert_array_equal(
        spline_filter(a + 0.0, order, mode=mode), scipy.ndimage.spline_filter(a, order, mode=mode)
    )
    got = spline_filter1d(array_api_strict.asarray(a), order, axis, mode=mode)
    np.testing.assert_allclose(to_numpy(got), want, rtol=1e-13, atol=1e-13 * np.max(np.abs(want)))


def test_cpu_kernel_is_compiled_once_for_every_shape():
    from gsci.kernels import spline_cpu

    for shape in ((40, 50), (7,), (3, 4, 5), (600, 300)):
        for axis in range(len(shape)):
            spline_filter1d(_data(shape), 3, axis)
    assert len(spline_cpu._filter_serially.signatures) == 1
    assert len(spline_cpu._filter.signatures) <= 1


SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.ndimage
    from gsci.kernels import spline
    from gsci.ndimage._interpolation._spline import spline_filter, spline_filter1d
    from numba.core import config

    modes = ("mirror", "reflect", "grid-mirror", "constant", "grid-constant", "nearest", "wrap", "grid-wrap")
    rng = np.random.default_rng(0)
    failures = []
    for shape in ((6, 7), (5,), (2, 3, 4)):
        a = rng.standard_normal(shape)
        for order in range(2, 6):
            for mode in modes:
                want = scipy.ndimage.spline_filter(a, order, mode=mode)
                got = spline_filter(a, order, mode=mode)
                if not np.allclose(got, want, rtol=1e-13, atol=1e-13):
                    failures.append(f"spline_filter {shape} {order} {mode}")
                want = scipy.ndimage.spline_filter1d(a, order, 0, output=np.float32, mode=mode)
                got = spline_filter1d(a, order, 0, output=np.float32, mode=mode)
                if got.dtype != np.float32 or not np.allclose(got, want, rtol=1e-6, atol=1e-6):
                    failures.append(f"spline_filter1d {shape} {order} {mode}")
    from gsci._lib._compat import array_namespace
    from gsci.ndimage._interpolation import _engines
    from gsci.ndimage._interpolation._spline import prefiltered

    a = rng.standard_normal((5, 6))
    for mode in ("nearest", "grid-constant", "grid-wrap"):
        got = prefiltered(a, 4, mode, 1.5, array_namespace(a), _engines.CUDA, axes=(1,))
        want = prefiltered(a, 4, mode, 1.5, array_namespace(a), _engines.NATIVE, axes=(1,))
        if got[1] != want[1] or not np.allclose(got[0], want[0], rtol=1e-13, atol=1e-13):
            failures.append(f"prefiltered {mode}")
    # one kernel for every shape, order and mode
    assert spline._kernel.cache_info().currsize == 1
    assert len(spline._kernel().overloads) <= 1, spline._kernel().overloads.keys()
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

    from gsci.kernels import spline

    i64 = types.int64
    signature = (types.float64[::1], i64, i64, i64, types.float64, types.float64, i64, i64)
    kernel_ptx(spline._source(), signature, cc)


@pytest.mark.gpu
@pytest.mark.parametrize("name", ["torch-cuda", "cupy"])
def test_kernel_on_gpu_matches_scipy(name):
    from helpers import Library

    library = Library.named(name)
    pytest.importorskip(library.module)
    a = _data((300, 200))
    for order in range(2, 6):
        for mode in MODES:
            got = spline_filter(library.asarray(a), order, mode=mode)
            assert_matches(got, scipy.ndimage.spline_filter(a, order, mode=mode), library)
