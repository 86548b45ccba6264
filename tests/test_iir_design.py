"""Notch, peak, comb and gammatone filters and IIR order selection against SciPy on every library."""

import inspect

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches
from hypothesis import given, settings
from hypothesis import strategies as st

from gsci.signal import _iir_design
from gsci.signal._iir_design import (
    buttord,
    cheb1ord,
    cheb2ord,
    ellipord,
    iirnotch,
)

NUMPY = Library.named("numpy")

SHAPED = {  # name: [(args, kwargs), ...], each a filter SciPy designs
    "iirnotch": [((0.3, 30.0), {}), ((60.0, 20.0), {"fs": 1000.0}), ((0.05, 0.5), {})],
    "iirpeak": [((0.3, 30.0), {}), ((1000.0, 5.0), {"fs": 8000.0})],
    "iircomb": [
        ((100.0, 30.0), {"fs": 1000.0}),
        ((100.0, 30.0), {"ftype": "peak", "fs": 1000.0}),
        ((50.0, 10.0), {"fs": 1000.0, "pass_zero": True}),
        ((0.1, 20.0), {"ftype": "peak", "pass_zero": True}),
    ],
    "gammatone": [
        ((440.0, "fir"), {"fs": 16000.0}),
        ((440.0, "iir"), {"fs": 16000.0}),
        ((100.0, "fir"), {"order": 2, "numtaps": 40, "fs": 1000.0}),
        ((0.3, "iir"), {}),
    ],
}
ORDERS = {"buttord": buttord, "cheb1ord": cheb1ord, "cheb2ord": cheb2ord, "ellipord": ellipord}
SPECS = [  # (wp, ws, gpass, gstop, kwargs)
    (0.2, 0.3, 3, 40, {}),
    (0.3, 0.2, 1, 60, {}),
    ([0.2, 0.5], [0.1, 0.6], 2, 50, {}),
    ([0.1, 0.6], [0.2, 0.5], 1, 40, {}),
    (100.0, 150.0, 1, 40, {"fs": 1000.0}),
    (1.0, 3.0, 1, 40, {"analog": True}),
    ([2.0, 5.0], [1.0, 7.0], 3, 30, {"analog": True}),
]


def _default_float(expected, xp):
    """SciPy's float64 coefficients in ``xp``'s default float type: PyTorch's may be float32."""
    if xp.module != "torch" or xp.ns.get_default_dtype() == xp.ns.float64:
        return expected
    return tuple(e.astype(np.float32) for e in expected)


def _device(xp):
    return {"torch": xp.device, "cupy": None}.get(xp.module)


def _assert_order(actual, expected, xp):
    """The order a Python int; ``wn`` as SciPy 1.17 returns it for ``xp``'s arrays (see the module)."""
    assert type(actual[0]) is int and actual[0] == expected[0]
    if xp.module == "numpy":
        assert type(actual[1]) is type(expected[1])
    assert_matches(actual[1], np.asarray(expected[1]), xp)


@pytest.mark.parametrize("name", list(SHAPED))
def test_shaped_filters_match_scipy(name):
    for args, kwargs in SHAPED[name]:
        assert_matches(
            getattr(_iir_design, name)(*args, **kwargs), getattr(scipy.signal, name)(*args, **kwargs), NUMPY
        )


@pytest.mark.parametrize("name", list(SHAPED))
def test_shaped_filters_in_xp_on_its_device(xp, name):
    for args, kwargs in SHAPED[name]:
        expected = _default_float(getattr(scipy.signal, name)(*args, **kwargs), xp)
        actual = getattr(_iir_design, name)(*args, **kwargs, xp=xp.ns, device=_device(xp))
        assert_matches(actual, expected, xp)


@pytest.mark.parametrize("name", list(SHAPED))
def test_shaped_filters_read_array_parameters_and_give_numpy(xp, name):
    """As SciPy 1.17: arrays among ``w0``, ``Q`` (``freq``) are read; the output is NumPy's unless ``xp``."""
    (first, second), kwargs = SHAPED[name][0]
    expected = getattr(scipy.signal, name)(first, second, **kwargs)
    second = xp.asarray(np.asarray(second)) if name != "gammatone" else second
    assert_matches(
        getattr(_iir_design, name)(xp.asarray(np.asarray(first)), second, **kwargs), expected, NUMPY
    )


@pytest.mark.parametrize("name", list(ORDERS))
def test_orders_match_scipy(name):
    for wp, ws, gpass, gstop, kwargs in SPECS:
        expected = getattr(scipy.signal, name)(wp, ws, gpass, gstop, **kwargs)
        _assert_order(ORDERS[name](wp, ws, gpass, gstop, **kwargs), expected, NUMPY)
        wp_array, ws_array = np.asarray(wp), np.asarray(ws)
        expected = getattr(scipy.signal, name)(wp_array, ws_array, gpass, gstop, **kwargs)
        _assert_order(ORDERS[name](wp_array, ws_array, gpass, gstop, **kwargs), expected, NUMPY)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(ORDERS))
def test_orders_follow_the_library_of_their_frequency_arrays(xp, name, dtype):
    for wp, ws, gpass, gstop, kwargs in SPECS[:5]:
        wp, ws = np.asarray(wp, dtype=dtype), np.asarray(ws, dtype=dtype)
        expected = getattr(scipy.signal, name)(wp, ws, gpass, gstop, **kwargs)  # wn float32 for float32
        _assert_order(ORDERS[name](xp.asarray(wp), xp.asarray(ws), gpass, gstop, **kwargs), expected, xp)
        expected = getattr(scipy.signal, name)(wp, ws.tolist(), gpass, gstop, **kwargs)
        _assert_order(ORDERS[name](xp.asarray(wp), ws.tolist(), gpass, gstop, **kwargs), expected, xp)


@pytest.mark.parametrize("name", list(ORDERS))
def test_orders_in_xp_on_its_device(xp, name):
    for wp, ws, gpass, gstop, kwargs in SPECS:
        expected = getattr(scipy.signal, name)(wp, ws, gpass, gstop, **kwargs)
        actual = ORDERS[name](wp, ws, gpass, gstop, **kwargs, xp=xp.ns, device=_device(xp))
        _assert_order(actual, expected, xp)


def test_orders_xp_and_frequency_arrays_must_agree():
    torch = pytest.importorskip("torch")
    jnp = pytest.importorskip("jax.numpy")
    with pytest.raises(TypeError, match="wp is a torch array but xp is jax"):
        buttord(torch.asarray(0.2), 0.3, 1, 40, xp=jnp)
    with pytest.raises(TypeError, match="wp is torch, ws is jax"):
        ellipord(torch.asarray(0.2), jnp.asarray(0.3), 1, 40)


def test_traced_frequencies_raise_type_error():
    jax = pytest.importorskip("jax")
    with pytest.raises(TypeError, match=r"wp is a jax array traced by jax\.jit"):
        jax.jit(lambda wp: buttord(wp, 0.3, 1, 40)[1])(jax.numpy.asarray(0.2))
    with pytest.raises(TypeError, match=r"w0 is a jax array traced by jax\.jit"):
        jax.jit(lambda w0: iirnotch(w0, 30.0)[0])(jax.numpy.asarray(0.2))


def test_dask_frequencies_are_computed_as_scipy_does():
    dask = Library.named("dask")
    wp, ws = dask.asarray([0.2, 0.5], chunks=1), dask.asarray([0.1, 0.6], chunks=1)
    _assert_order(cheb2ord(wp, ws, 1, 40), scipy.signal.cheb2ord([0.2, 0.5], [0.1, 0.6], 1, 40), dask)


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("iirnotch", (1.2, 30.0), {}),
        ("iirnotch", (0.3, 30.0), {"fs": None}),
        ("iirpeak", (-0.5, 30.0), {}),
        ("iircomb", (300.0, 30.0), {"fs": 1000.0}),
        ("iircomb", (100.0, 30.0), {"fs": 1000.0, "ftype": "nope"}),
        ("iircomb", (33.0, 30.0), {"fs": 1000.0}),
        ("gammatone", (440.0, "nope"), {"fs": 16000.0}),
        ("gammatone", (440.0, "fir"), {"fs": 16000.0, "order": 30}),
        ("gammatone", (9000.0, "iir"), {"fs": 16000.0}),
        ("buttord", (0.2, 0.3, 40, 3), {}),
        ("buttord", ([0.2, 0.5], 0.3, 1, 40), {}),
        ("cheb1ord", (0.2, 0.3, 1, 40), {"analog": True, "fs": 10.0}),
        ("cheb2ord", (1.2, 1.3, 1, 40), {}),
        ("ellipord", (0.2, 0.3, 0, 40), {}),
        ("ellipord", (0.2, 0.3, 1, -40), {}),
    ],
    ids=repr,
)
def test_bad_parameters_raise_scipys_exception(xp, name, args, kwargs):
    with pytest.raises(Exception) as scipys:
        getattr(scipy.signal, name)(*args, **kwargs)
    if name.endswith("ord"):
        args = (xp.asarray(np.asarray(args[0])), *args[1:])
    with pytest.raises(scipys.type):
        getattr(_iir_design, name)(*args, **kwargs)


def test_signatures_are_scipys():
    extra = [
        ("xp", None, inspect.Parameter.KEYWORD_ONLY),
        ("device", None, inspect.Parameter.KEYWORD_ONLY),
    ]
    for name in (*SHAPED, *ORDERS):
        ours = [
            (p.name, p.default, p.kind)
            for p in inspect.signature(getattr(_iir_design, name)).parameters.values()
        ]
        theirs = [
            (p.name, p.default, p.kind)
            for p in inspect.signature(getattr(scipy.signal, name)).parameters.values()
        ]
        assert ours == (
            theirs if name in SHAPED else theirs + extra
        )  # SciPy's shaped filters take xp already


@settings(max_examples=20, deadline=None)
@given(
    name=st.sampled_from(list(ORDERS)),
    low=st.floats(0.05, 0.4),
    gap=st.floats(0.02, 0.3),
    gpass=st.floats(0.5, 3.0),
    gstop=st.floats(20.0, 80.0),
)
def test_order_designs_meet_the_specification(name, low, gap, gpass, gstop):
    order, wn = ORDERS[name](low, low + gap, gpass, gstop)
    expected = getattr(scipy.signal, name)(low, low + gap, gpass, gstop)
    _assert_order((order, wn), expected, NUMPY)
