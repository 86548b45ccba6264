"""lfilter, lfilter_zi, sosfilt, sosfilt_zi against SciPy on every library, plus the CUDA kernel."""

import functools
import textwrap

import numpy as np
import pytest
import scipy.signal
from helpers import (
    Library,
    assert_kernel_ptx,
    assert_matches,
    forbid_dask_compute,
    longest_task_axis,
    require_ptx_compiler,
    run_in_simulator,
    to_numpy,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci
from gsci.signal._iir import lfilter, lfilter_zi, sosfilt, sosfilt_zi

SOS = scipy.signal.butter(8, [0.1, 0.3], btype="band", output="sos")
CHEBY_SOS = scipy.signal.cheby1(5, 1.0, 0.25, output="sos")
BA = scipy.signal.butter(4, 0.2)
CHEBY_BA = scipy.signal.cheby1(2, 1.0, [0.2, 0.4], btype="band")
RTOL = {"float32": 2e-4, "float64": 1e-10}  # the scan's rounding against SciPy's sequential loop


def signal(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize(("dtype", "axis"), [("float32", 0), ("float64", -1), ("float64", 1)])
def test_sosfilt_matches_scipy(xp, dtype, axis):
    for sos in (SOS, CHEBY_SOS):
        sos = sos.astype(dtype)
        x = signal((5, 6, 40), dtype).transpose(0, 2, 1) if axis == 0 else signal((5, 6, 40), dtype)
        assert_matches(
            sosfilt(xp.asarray(sos), xp.asarray(x), axis=axis),
            scipy.signal.sosfilt(sos, x, axis=axis),
            xp,
            rtol=RTOL[dtype],
        )
        start = np.take(x, [0], axis=axis)
        zi = scipy.signal.sosfilt_zi(sos).reshape((sos.shape[0],) + (1,) * (x.ndim - 1) + (2,))
        zi = np.moveaxis(zi, -1, axis % x.ndim + 1) * start
        expected = scipy.signal.sosfilt(sos, x, axis=axis, zi=zi)
        got = sosfilt(xp.asarray(sos), xp.asarray(x), axis=axis, zi=xp.asarray(zi))
        assert_matches(got, expected, xp, rtol=RTOL[dtype])


@pytest.mark.parametrize(("dtype", "axis"), [("float32", -1), ("float64", 0)])
def test_lfilter_matches_scipy(xp, dtype, axis):
    x = signal((7, 30), dtype)
    for b, a in (CHEBY_BA, ([1.0, -2.0, 0.5, 0.25], [2.0]), ([0.5], [1.0, -0.5, 0.25, -0.125])):
        b, a = np.asarray(b, dtype), np.asarray(a, dtype)
        assert_matches(
            lfilter(xp.asarray(b), xp.asarray(a), xp.asarray(x), axis=axis),
            scipy.signal.lfilter(b, a, x, axis=axis),
            xp,
            rtol=RTOL[dtype],
        )
        zi = scipy.signal.lfilter_zi(b, a)
        zi = np.expand_dims(zi, 1 - axis % 2) * np.take(x, [0], axis=axis)  # broadcasts: length 1 across
        expected = scipy.signal.lfilter(b, a, x, axis=axis, zi=zi)
        got = lfilter(xp.asarray(b), xp.asarray(a), xp.asarray(x), axis=axis, zi=xp.asarray(zi))
        assert_matches(got, expected, xp, rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_zi_functions_match_scipy(xp, dtype):
    for sos in (SOS, CHEBY_SOS, np.array([[1.0, 2.0, 1.0, 2.0, -0.5, 0.25]])):
        sos = sos.astype(dtype)
        assert_matches(sosfilt_zi(xp.asarray(sos)), scipy.signal.sosfilt_zi(sos), xp, rtol=RTOL[dtype])
    for b, a in (BA, CHEBY_BA, ([1.0, 2.0, 3.0], [2.0, 0.5]), ([1.0], [1.0, -0.5, 0.1, 0.2])):
        b, a = np.asarray(b, dtype), np.asarray(a, dtype)
        assert_matches(
            lfilter_zi(xp.asarray(b), xp.asarray(a)), scipy.signal.lfilter_zi(b, a), xp, rtol=RTOL[dtype]
        )


def test_python_sequences_and_dtype_promotion():
    x32 = signal((3, 20), "float32")
    for got, expected in [
        (sosfilt(SOS.tolist(), x32), scipy.signal.sosfilt(SOS.tolist(), x32)),
        (lfilter([1, 2], [1, -0.5], x32), scipy.signal.lfilter([1, 2], [1, -0.5], x32)),
        (lfilter([1, 2], [1, -0.5], np.arange(5)), scipy.signal.lfilter([1, 2], [1, -0.5], np.arange(5))),
        (lfilter_zi([1, 2], [2, 1]), scipy.signal.lfilter_zi([1, 2], [2, 1])),
        (lfilter_zi([1, 2], [0, 2, 1]), scipy.signal.lfilter_zi([1, 2], [0, 2, 1])),
        (sosfilt_zi([[1, 2, 1, 1, 0, 0]]), scipy.signal.sosfilt_zi([[1, 2, 1, 1, 0, 0]])),
        (
            sosfilt(SOS, x32, zi=np.zeros((8, 3, 2), np.float32)),
            scipy.signal.sosfilt(SOS, x32, zi=np.zeros((8, 3, 2), np.float32)),
        ),
    ]:
        assert_matches(got, expected, Library.named("numpy"), rtol=1e-5)


def test_complex_input_matches_scipy(xp):
    x = signal((3, 25), "float64") + 1j * signal((3, 25), "float64", seed=1)
    assert_matches(sosfilt(xp.asarray(SOS), xp.asarray(x)), scipy.signal.sosfilt(SOS, x), xp, rtol=1e-10)
    b, a = BA
    assert_matches(
        lfilter(xp.asarray(b), xp.asarray(a), xp.asarray(x)), scipy.signal.lfilter(b, a, x), xp, rtol=1e-10
    )


def test_unstable_filter_grows_like_scipy(xp):
    x = signal((2, 120), "float64")
    b, a = [1.0, 0.5], [1.0, -2.1, 1.2]  # poles of modulus sqrt(1.2)
    expected = scipy.signal.lfilter(b, a, x)
    assert np.abs(expected).max() > 1e3
    assert_matches(lfilter(xp.asarray(b), xp.asarray(a), xp.asarray(x)), expected, xp, rtol=1e-9)
    sos = np.array([[1.0, 0.5, 0.0, 1.0, -2.1, 1.2]])
    assert_matches(sosfilt(xp.asarray(sos), xp.asarray(x)), scipy.signal.sosfilt(sos, x), xp, rtol=1e-9)


def test_accuracy_on_long_signals():
    """The doubling scan multiplies powers of A: on stable filters they decay, the error stays tiny."""
    x = signal((2, 20000), "float64")
    with gsci.backend("native"):
        y = sosfilt(SOS, x)
        y_ba = lfilter(*BA, x)
    expected = scipy.signal.sosfilt(SOS, x)
    assert np.abs(y - expected).max() <= 1e-12 * np.abs(expected).max()
    expected = scipy.signal.lfilter(*BA, x)
    assert np.abs(y_ba - expected).max() <= 1e-12 * np.abs(expected).max()


@settings(max_examples=20, deadline=None)
@given(
    order=st.integers(1, 6),
    length=st.integers(1, 70),
    channels=st.integers(1, 3),
    axis=st.sampled_from([0, 1]),
    with_zi=st.booleans(),
)
def test_native_property(order, length, channels, axis, with_zi):
    shape = (length, channels) if axis == 0 else (channels, length)
    x = signal(shape, "float64")
    sos = scipy.signal.butter(order, 0.3, output="sos")
    b, a = scipy.signal.butter(min(order, 4), 0.3)
    zi_sos = np.moveaxis(np.ones((sos.shape[0], channels, 2)), -1, axis + 1) if with_zi else None
    zi_ba = np.ones(tuple(len(a) - 1 if k == axis else 1 for k in range(2))) if with_zi else None
    with gsci.backend("native"):
        got_sos = sosfilt(sos, x, axis=axis, zi=zi_sos)
        got_ba = lfilter(b, a, x, axis=axis, zi=zi_ba)
    numpy = Library.named("numpy")
    assert_matches(got_sos, scipy.signal.sosfilt(sos, x, axis=axis, zi=zi_sos), numpy, rtol=1e-10, atol=1e-10)
    if length:  # SciPy's zf for empty x with zi is not meaningful
        assert_matches(
            got_ba, scipy.signal.lfilter(b, a, x, axis=axis, zi=zi_ba), numpy, rtol=1e-10, atol=1e-10
        )


BAD_CALLS = [
    ("sosfilt", (np.ones((2, 5)), np.ones(10)), {}),
    ("sosfilt", (np.ones((2, 2, 6)), np.ones(10)), {}),
    ("sosfilt", (np.array([[1, 0, 0, 2.0, 0, 0]]), np.ones(10)), {}),
    ("sosfilt", (SOS, np.float64(1.0)), {}),
    ("sosfilt", (SOS, np.ones(10)), {"zi": np.zeros((8, 3))}),
    ("sosfilt", (SOS, np.ones((3, 10))), {"zi": np.zeros((8, 1, 2))}),
    ("sosfilt", (SOS, np.ones(10)), {"axis": 1}),
    ("sosfilt", (SOS.astype(int), np.ones(10, int)), {}),
    ("lfilter", (np.ones((1, 1)), [1.0], np.ones(3)), {}),
    ("lfilter", ([], [1.0], np.ones(3)), {}),
    ("lfilter", ([1.0], np.ones((2, 2)), np.ones(3)), {}),
    ("lfilter", ([1.0, 2.0], [0.0, 1.0], np.ones(3)), {}),
    ("lfilter", ([1.0], [1.0, 0.5], np.float64(1.0)), {}),
    ("lfilter", ([1, 2, 3], [1.0, 0.5], np.ones((3, 4))), {"zi": np.zeros((3, 3))}),
    ("lfilter", ([1, 2, 3], [1.0, 0.5], np.ones((3, 4))), {"zi": np.zeros(2)}),
    ("lfilter", ([1, 2, 3], [1.0], np.ones((3, 4))), {"zi": np.zeros((3, 2)), "axis": 0}),
    ("lfilter", ([1, 2], [1], np.arange(3)), {}),
    ("lfilter_zi", (np.ones((2, 2)), [1.0]), {}),
    ("lfilter_zi", ([1.0], np.ones((2, 2))), {}),
    ("lfilter_zi", ([1.0], []), {}),
    ("sosfilt_zi", (np.ones((2, 5)),), {}),
    ("sosfilt_zi", (np.ones(6),), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), BAD_CALLS)
def test_bad_inputs_raise_like_scipy(name, args, kwargs):
    with pytest.raises(Exception) as expected:
        getattr(scipy.signal, name)(*args, **kwargs)
    import gsci.signal._iir as iir

    with pytest.raises(expected.type):
        getattr(iir, name)(*args, **kwargs)


def test_coefficients_of_another_array_library_raise_type_error():
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    with pytest.raises(TypeError, match="x is numpy, sos is torch"):
        sosfilt(torch.asarray(SOS), np.ones(10))
    with pytest.raises(TypeError, match="x is jax, b is torch"):
        lfilter(torch.asarray(BA[0]), BA[1], jnp.ones(10))
    with pytest.raises(TypeError, match="x is torch, zi is jax"):
        sosfilt(SOS, torch.ones((2, 10)), zi=jnp.zeros((8, 2, 2)))


def test_read_only_and_strided_numpy_inputs():
    x = signal((6, 50), "float64")
    x.flags.writeable = False
    sos, zi = SOS.copy(), np.ones((8, 3, 2))
    zi.flags.writeable = False
    view = x[::-2, ::3]
    y, zf = sosfilt(sos, view, zi=zi)
    expected = scipy.signal.sosfilt(SOS, view, zi=np.ones((8, 3, 2)))
    assert_matches((y, zf), expected, Library.named("numpy"))
    np.testing.assert_array_equal(zi, 1.0)
    np.testing.assert_array_equal(x, signal((6, 50), "float64"))


def test_jax_jit_runs_the_native_path():
    jax = pytest.importorskip("jax")
    xp = Library.named("jax")
    x = signal((3, 40), "float64")
    zi = np.ones((8, 3, 2))
    y, zf = jax.jit(functools.partial(sosfilt, axis=-1))(xp.asarray(SOS), xp.asarray(x), zi=xp.asarray(zi))
    assert_matches((y, zf), scipy.signal.sosfilt(SOS, x, zi=zi), xp)
    b, a = BA
    y = jax.jit(lfilter)(xp.asarray(b), xp.asarray(a), xp.asarray(x))
    assert_matches(y, scipy.signal.lfilter(b, a, x), xp)
    assert_matches(jax.jit(sosfilt_zi)(xp.asarray(SOS)), scipy.signal.sosfilt_zi(SOS), xp)


def test_dask_stays_lazy():
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = signal((6, 4, 50), "float64")
    zi = np.ones((8, 6, 2, 50))
    with forbid_dask_compute():
        y, zf = sosfilt(
            xp.asarray(SOS), xp.asarray(x, chunks=(2, 2, 10)), axis=1, zi=xp.asarray(zi, chunks=3)
        )
        y_ba = lfilter(xp.asarray(BA[0]), xp.asarray(BA[1]), xp.asarray(x, chunks=(3, 4, 7)))
        zi_ba = lfilter_zi(xp.asarray(BA[0]), xp.asarray(BA[1]))
    assert_matches((y, zf), scipy.signal.sosfilt(SOS, x, axis=1, zi=zi), xp)
    assert_matches(y_ba, scipy.signal.lfilter(*BA, x), xp)
    assert_matches(zi_ba, scipy.signal.lfilter_zi(*BA), xp)


@pytest.mark.parametrize(
    ("b", "a"),
    [
        ([0.0, 2.0, 1.0, 0.0, 2.0], [2.0, 1.0]),
        ([0.0, 0.0, 0.0, 0.0, 1.0], [1.0, 0.5, 0.2, 0.1, 0.05]),
        ([0.0, 0.0, 1.0, 2.0], [1.0, 0.3, 0.2, 0.1, 0.1, 0.1]),
        ([0.0, 0.0, 0.0, 1.0], [1.0, 0.5]),
    ],
)
def test_leading_zeros_of_b_delay_the_output(xp, b, a):
    """The scan runs b / a as sections: SciPy's tf2sos drops b's leading zeros (a delay); gsci's keeps it."""
    x = signal((2, 40), "float64")
    zi = signal((2, max(len(a), len(b)) - 1), "float64", seed=3)
    expected = scipy.signal.lfilter(b, a, x, zi=zi)
    assert_matches(lfilter(xp.asarray(b), xp.asarray(a), xp.asarray(x), zi=xp.asarray(zi)), expected, xp)


UNEVEN = (1, 250, 17, 900, 3, 1, 828, 1000)  # one-sample chunks and chunks shorter than the state


@pytest.mark.parametrize("time_axis", [0, 1])
def test_dask_blocked_scan_keeps_the_time_chunks(time_axis):
    """Each chunk is filtered in parallel from its true entering state, carried across the chunks; no task
    holds the whole time axis, the output has the input's chunks, and zi/zf are SciPy's."""
    pytest.importorskip("dask")
    xp = Library.named("dask")
    x = np.moveaxis(signal((3, sum(UNEVEN)), "float64"), 1, time_axis)
    chunks = [(1, 2), UNEVEN] if time_axis == 1 else [UNEVEN, (1, 2)]
    b, a = BA
    sos_zi = signal((SOS.shape[0], 3, 2) if time_axis == 1 else (SOS.shape[0], 2, 3), "float64")
    ba_zi = signal((3, len(a) - 1) if time_axis == 1 else (len(a) - 1, 3), "float64")
    with forbid_dask_compute():
        lazy = xp.asarray(x, chunks=chunks)
        y_sos, zf_sos = sosfilt(SOS, lazy, axis=time_axis, zi=xp.asarray(sos_zi, chunks=(3, 1, 1)))
        y_ba, zf_ba = lfilter(xp.asarray(b), xp.asarray(a), lazy, axis=time_axis, zi=ba_zi)
    assert_matches((y_sos, zf_sos), scipy.signal.sosfilt(SOS, x, axis=time_axis, zi=sos_zi), xp)
    assert_matches((y_ba, zf_ba), scipy.signal.lfilter(b, a, x, axis=time_axis, zi=ba_zi), xp)
    for y in (y_sos, y_ba):
        assert y.chunks[time_axis] == UNEVEN
        assert longest_task_axis(y) < x.shape[time_axis]


def test_torch_gradients():
    torch = pytest.importorskip("torch")
    b_sections = torch.asarray(SOS[:2, :3]).requires_grad_()
    a_sections = torch.asarray(SOS[:2, 4:]).requires_grad_()
    x = torch.asarray(signal((2, 12), "float64")).requires_grad_()
    zi = torch.ones((2, 2, 2), dtype=torch.float64, requires_grad=True)

    def filtered(b, a, v, z):  # sos[:, 3] stays exactly 1 while gradcheck perturbs the rest
        return sosfilt(torch.cat((b, torch.ones((2, 1), dtype=b.dtype), a), dim=1), v, zi=z)

    assert torch.autograd.gradcheck(filtered, (b_sections, a_sections, x, zi))
    sos = torch.asarray(SOS[:2]).requires_grad_()
    b = torch.asarray(BA[0]).requires_grad_()
    a = torch.asarray(BA[1]).requires_grad_()
    assert torch.autograd.gradcheck(lambda b, a, v: lfilter(b, a, v, axis=0), (b, a, x))
    y = sosfilt(sos, x)
    assert_matches(y, scipy.signal.sosfilt(SOS[:2], to_numpy(x)), Library.named("torch"))


# Runs in a fresh interpreter: the simulator must be on before numba is imported.
SIMULATOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import scipy.signal
    from gsci.signal._iir import lfilter, sosfilt

    assert sosfilt.declaration.path("auto", "numpy", "cpu") == "kernel"
    assert lfilter.declaration.path("auto", "numpy", "cpu") == "kernel"
    rng = np.random.default_rng(0)
    failures = []

    def compare(name, got, want, tol):
        pairs = zip(got, want) if isinstance(got, tuple) else [(got, want)]
        for g, w in pairs:
            if g.dtype != w.dtype or g.shape != w.shape or not np.allclose(g, w, rtol=tol, atol=tol):
                failures.append(name)

    sos = scipy.signal.butter(4, [0.1, 0.3], btype="band", output="sos")
    ba = [scipy.signal.butter(3, 0.3), ([1.0, -2.0, 0.5], [2.0]), ([1.0], [1.0, -0.5]), ([3.0], [2.0])]
    for shape in [(9,), (3, 8), (2, 3, 5)]:
        for dtype in ("float32", "float64"):
            x = rng.standard_normal(shape).astype(dtype)
            tol = 1e-4 if dtype == "float32" else 1e-12
            for axis in range(len(shape)):
                s = sos.astype(dtype)
                compare(f"sosfilt {shape} {dtype} {axis}", sosfilt(s, x, axis=axis),
                        scipy.signal.sosfilt(s, x, axis=axis), tol)
                zi_shape = list(shape)
                zi_shape[axis] = 2
                zi = rng.standard_normal((4, *zi_shape)).astype(dtype)
                compare(f"sosfilt zi {shape} {dtype} {axis}", sosfilt(s, x, axis=axis, zi=zi),
                        scipy.signal.sosfilt(s, x, axis=axis, zi=zi), tol)
                for b, a in ba:
                    b, a = np.asarray(b, dtype), np.asarray(a, dtype)
                    compare(f"lfilter {shape} {dtype} {axis} {len(b)} {len(a)}", lfilter(b, a, x, axis=axis),
                            scipy.signal.lfilter(b, a, x, axis=axis), tol)
                    zi_shape[axis] = max(len(a), len(b)) - 1
                    zi = rng.standard_normal(zi_shape).astype(dtype)
                    compare(f"lfilter zi {shape} {dtype} {axis}", lfilter(b, a, x, axis=axis, zi=zi),
                            scipy.signal.lfilter(b, a, x, axis=axis, zi=zi), tol)
    from numba.core import config

    assert config.ENABLE_CUDASIM, "GSCI_KERNEL_SIM=1 must switch the simulator on"
    if failures:
        sys.exit("kernel differs from SciPy: " + "; ".join(failures))
    """
)


def test_kernel_in_simulator_matches_scipy():
    run_in_simulator(SIMULATOR_SCRIPT)


@pytest.mark.parametrize("cc", [(8, 0), (9, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kernel_compiles_to_ptx(dtype, cc):
    require_ptx_compiler()
    from gsci.kernels import iir

    ptx, return_type = iir.ptx(dtype, cc)
    assert_kernel_ptx(ptx, return_type, cc)
    assert ".local" in ptx  # the cascade's state lives in a per-thread local array


GPU_LIBRARIES = [pytest.param(name, marks=pytest.mark.gpu) for name in ("cupy", "torch-cuda")]


@pytest.mark.parametrize("name", GPU_LIBRARIES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kernel_path_on_gpu_matches_scipy(name, dtype):
    xp = Library.named(name)
    pytest.importorskip(xp.module)
    assert sosfilt.declaration.path("auto", xp.module, "cuda") == "kernel"
    x = signal((33, 5, 300), dtype)
    sos = SOS.astype(dtype)
    for axis in (0, 2):
        zi_axis = np.ones((8, *[2 if k == axis else s for k, s in enumerate(x.shape)]), dtype)
        expected = scipy.signal.sosfilt(sos, x, axis=axis, zi=zi_axis)
        got = sosfilt(xp.asarray(sos), xp.asarray(x), axis=axis, zi=xp.asarray(zi_axis))
        assert_matches(got, expected, xp, rtol=RTOL[dtype])
    for b, a in (BA, CHEBY_BA, ([1.0, 2.0], [2.0])):
        b, a = np.asarray(b, dtype), np.asarray(a, dtype)
        expected = scipy.signal.lfilter(b, a, x, axis=1)
        assert_matches(
            lfilter(xp.asarray(b), xp.asarray(a), xp.asarray(x), axis=1), expected, xp, rtol=RTOL[dtype]
        )


def test_high_order_transfer_function_matches_scipy(xp):
    """An order-8 band-pass as (b, a): the scan runs it as sections, with zi and zf mapped between forms.

    SciPy's own transfer-function and sections results differ by 1e-8 here: the tolerance.
    """
    b, a = scipy.signal.butter(4, [43 / 2048, 300 / 2048], btype="band")
    x, zi = signal((2, 3000), "float64"), signal((2, 8), "float64", seed=1)
    b_, a_, x_ = xp.asarray(b), xp.asarray(a), xp.asarray(x)
    expected = scipy.signal.lfilter(b, a, x, zi=zi)
    assert_matches(lfilter(b_, a_, x_, zi=xp.asarray(zi)), expected, xp, rtol=1e-7)
    assert_matches(lfilter(b_, a_, x_), scipy.signal.lfilter(b, a, x), xp, rtol=1e-7)
    odd_b, odd_a = scipy.signal.butter(5, 0.2)  # a first-order section: its second state never shows
    zi = signal(5, "float64", seed=2)
    assert_matches(
        lfilter(xp.asarray(odd_b), xp.asarray(odd_a), xp.asarray(x[0]), zi=xp.asarray(zi)),
        scipy.signal.lfilter(odd_b, odd_a, x[0], zi=zi),
        xp,
        rtol=1e-10,
    )


def test_jax_derivatives_match_finite_differences():
    """JAX on the CPU filters with the Numba kernel; its derivatives come from the scan, in both modes."""
    jax = pytest.importorskip("jax")
    jnp = Library.named("jax").ns
    rng = np.random.default_rng(1)
    x = jnp.asarray(rng.standard_normal((2, 120)))
    sos = jnp.asarray(scipy.signal.butter(2, 0.2, output="sos"))
    b, a = (jnp.asarray(c) for c in scipy.signal.butter(4, 0.2))  # order 4: run as sections
    weights = jnp.arange(120.0)
    cases = [
        (lambda s, x: sosfilt(s, x), (sos, x)),
        (lambda b, a, x: lfilter(b, a, x), (b, a, x)),
        (jax.jit(lambda b, a, x: gsci.signal.filtfilt(b, a, x)), (b, a, x)),
    ]
    for function, arguments in cases:

        def loss(*p, function=function):
            return jnp.sum(function(*p) ** 2 * weights)

        gradients = jax.grad(loss, argnums=tuple(range(len(arguments))))(*arguments)
        for i, (argument, gradient) in enumerate(zip(arguments, gradients, strict=True)):
            direction = rng.standard_normal(argument.shape)
            if argument.shape[-1:] == (6,):
                direction[:, 3] = 0  # a0 of every section stays 1
            step = [jnp.asarray(direction * 1e-6 if k == i else 0 * v) for k, v in enumerate(arguments)]
            up = loss(*(v + s for v, s in zip(arguments, step, strict=True)))
            down = loss(*(v - s for v, s in zip(arguments, step, strict=True)))
            numeric = (up - down) / 2e-6
            tangents = tuple(s / 1e-6 for s in step)
            forward = jax.jvp(loss, arguments, tangents)[1]
            np.testing.assert_allclose(float(jnp.sum(gradient * direction)), float(numeric), rtol=1e-6)
            np.testing.assert_allclose(float(forward), float(numeric), rtol=1e-6)


LFILTIC_CASES = [  # (b, a, y, x): y and x shorter, exact and longer than the orders; integer coefficients
    ([1.0], [1.0, -0.5], [2.0], None),
    ([0.5, 0.2, -0.1, 0.3], [2.0, -0.4, 0.1], [1.0, -2.0, 0.5, 3.0, 4.0], [0.3]),
    ([0.5, 0.5], [1.0, -0.3, 0.2, 0.1, -0.05, 0.02], [1.5, 2.5], [1.0, 2.0, 3.0, 4.0]),
    ([1, 2, 3], [2], [3], [1, 2]),
]


@pytest.mark.parametrize(("b", "a", "y", "x"), LFILTIC_CASES)
def test_lfiltic_matches_scipy(xp, b, a, y, x):
    as_xp = (
        (lambda v: v)
        if xp.module == "numpy"
        else (lambda v: None if v is None else xp.asarray(np.asarray(v)))
    )
    expected = scipy.signal.lfiltic(b, a, y, x)
    got = gsci.signal.lfiltic(as_xp(b), as_xp(a), as_xp(y), as_xp(x))
    assert_matches(got, expected, xp)
    # the state it gives continues a filtering: lfilter from it equals SciPy's
    signal_ = signal(20, "float64")
    assert_matches(
        lfilter(as_xp(b), as_xp(a), xp.asarray(signal_), zi=got),
        scipy.signal.lfilter(b, a, signal_, zi=expected),
        xp,
        rtol=1e-9,
    )


def test_lfiltic_errors_are_scipys():
    for args in (([1.0], [], [1.0]), ([1.0], np.ones((2, 2)), [1.0]), ([1.0], [0.0, 1.0], [1.0])):
        with pytest.raises(ValueError) as expected:
            scipy.signal.lfiltic(*args)
        with pytest.raises(ValueError, match=str(expected.value).split(".")[0].replace("`", ".")):
            gsci.signal.lfiltic(*args)


@pytest.mark.parametrize("dtype", [np.longdouble, np.clongdouble])
def test_extended_precision_runs_scipys_loops(dtype):
    """NumPy's extended precision has no gsci engine: SciPy computes it, in its precision."""
    x = signal((2, 60), "float64").astype(dtype)
    sos = SOS.astype(np.longdouble)
    cases = [
        (sosfilt, scipy.signal.sosfilt, (sos, x)),
        (lfilter, scipy.signal.lfilter, (*BA, x)),
        (gsci.signal.sosfiltfilt, scipy.signal.sosfiltfilt, (sos, x)),
        (gsci.signal.filtfilt, scipy.signal.filtfilt, (*BA, x)),
    ]
    for ours, theirs, args in cases:
        try:
            expected = theirs(*args)
        except TypeError:  # sosfiltfilt: sosfilt_zi solves in numpy.linalg, which has no extended precision
            with pytest.raises(TypeError):
                ours(*args)
            continue
        got = ours(*args)
        assert got.dtype == expected.dtype == np.result_type(x, np.float64)
        np.testing.assert_array_equal(got, expected)


def test_object_arrays_raise_scipys_errors():
    for args in (([1.0], [1.0], [1.0, None, 2.0]), ([1.0], [None], [1.0, 2.0, 3.0])):
        with pytest.raises(TypeError):
            scipy.signal.lfilter(*args)
        with pytest.raises(TypeError):
            lfilter(*args)


def test_complex_high_order_filter_with_broadcast_zi(xp):
    """Complex coefficients: the scan's sections pair complex roots (SciPy's tf2sos pairs conjugates only)."""
    b, a = scipy.signal.butter(8, 0.2)
    rotation = np.exp(0.3j * np.arange(9))  # a frequency shift: truly complex coefficients
    for b_, a_ in ((b.astype(complex), a.astype(complex)), (b * rotation, a * rotation)):
        x = signal((4, 5, 20), "float64") + 1j * signal((4, 5, 20), "float64", seed=3)
        zi_one = np.full((1, 1, 8), 0.5 + 0.25j)
        expected = scipy.signal.lfilter(b_, a_, x, zi=zi_one)
        got = lfilter(xp.asarray(b_), xp.asarray(a_), xp.asarray(x), zi=xp.asarray(zi_one))
        assert_matches(got, expected, xp, rtol=1e-7)
        with pytest.raises(ValueError):  # SciPy does not prepend ones to zi
            lfilter(xp.asarray(b_), xp.asarray(a_), xp.asarray(x), zi=xp.asarray(np.ones(8)))


def test_lazy_bad_sos_gives_nan():
    """Under jax.jit and on Dask the check of sos[:, 3] == 1 cannot raise: the result is NaN."""
    jax = pytest.importorskip("jax")
    bad = SOS.copy()
    bad[1, 3] = 2.0
    x = signal(50, "float64")
    with pytest.raises(ValueError, match="should be all ones"):
        scipy.signal.sosfilt(bad, x)
    jnp = Library.named("jax").ns
    assert np.isnan(np.asarray(jax.jit(sosfilt)(jnp.asarray(bad), jnp.asarray(x)))).all()
    dask = Library.named("dask")
    with forbid_dask_compute():
        y = sosfilt(dask.asarray(bad), dask.asarray(x, chunks=20))
    assert np.isnan(to_numpy(y)).all()
