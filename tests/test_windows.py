"""gsci.signal.windows and get_window against SciPy, in every library, on its device."""

import inspect
import subprocess
import sys

import numpy as np
import pytest
import scipy.signal
import scipy.signal.windows
from helpers import assert_matches, forbid_dask_compute, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsci.signal
from gsci._lib._compat import array_namespace, device
from gsci.signal import windows

# name -> parameters after M
WINDOWS = {
    "boxcar": (),
    "triang": (),
    "hann": (),
    "hamming": (),
    "blackman": (),
    "bartlett": (),
    "flattop": (),
    "tukey": (0.3,),
    "kaiser": (8.6,),
    "gaussian": (2.5,),
    "general_hamming": (0.6,),
}
LENGTHS = (0, 1, 2, 7, 64)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _dask_in_this_thread():
    """Tiny Dask graphs compute faster without the thread pool."""
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield


def skip_recompiling(xp):
    if xp.module in ("jax", "dask"):
        pytest.skip("each new M recompiles (jax) or rebuilds a graph (dask); fixed-M tests cover them")


def where(xp):
    """The device that ``xp``'s arrays are on in this test."""
    return device(xp.asarray(np.zeros(1)))


def scipy_error(call):
    """The exception type SciPy raises for ``call``."""
    try:
        call()
    except Exception as e:
        return type(e)
    raise AssertionError("SciPy accepted the call")


@pytest.mark.parametrize("sym", [True, False])
@pytest.mark.parametrize("name", WINDOWS)
def test_window_matches_scipy(xp, name, sym):
    params = WINDOWS[name]
    for M in LENGTHS:
        w = getattr(windows, name)(M, *params, sym=sym, xp=xp.ns, device=where(xp))
        assert_matches(w, getattr(scipy.signal.windows, name)(M, *params, sym=sym), xp)


@pytest.mark.parametrize("name", ["hann", "kaiser", "tukey", "triang"])
def test_window_accepts_compat_namespace(xp, name):
    params = WINDOWS[name]
    compat = array_namespace(xp.asarray(np.zeros(1)))
    w = getattr(windows, name)(16, *params, sym=False, xp=compat, device=where(xp))
    assert_matches(w, getattr(scipy.signal.windows, name)(16, *params, sym=False), xp)


def test_default_is_numpy_float64():
    for name, params in WINDOWS.items():
        w = getattr(windows, name)(9, *params)
        assert type(w) is np.ndarray and w.dtype == np.float64
        np.testing.assert_array_equal(w, getattr(scipy.signal.windows, name)(9, *params))


@pytest.mark.parametrize("sym", [True, False])
def test_general_cosine_follows_its_coefficients(xp, sym):
    a = np.array([0.3635819, 0.4891775, 0.1365995, 0.0106411])
    for M in LENGTHS:
        w = windows.general_cosine(M, xp.asarray(a), sym=sym)
        assert_matches(w, scipy.signal.windows.general_cosine(M, a, sym=sym), xp)


def test_general_cosine_of_a_sequence_is_numpy():
    w = windows.general_cosine(8, [0.5, 0.5], sym=False)
    assert type(w) is np.ndarray
    np.testing.assert_array_equal(w, scipy.signal.windows.general_cosine(8, [0.5, 0.5], sym=False))


def test_general_cosine_rejects_2d_coefficients():
    a = np.ones((2, 2))
    with pytest.raises(scipy_error(lambda: scipy.signal.windows.general_cosine(4, a))):
        windows.general_cosine(4, a)


GET_WINDOW_CASES = [
    "hann",
    "han",
    "hamming",
    "hamm",
    "ham",
    "blackman",
    "black",
    "blk",
    "bartlett",
    "bart",
    "brt",
    "flattop",
    "flat",
    "flt",
    "boxcar",
    "box",
    "ones",
    "rect",
    "rectangular",
    "triangle",
    "triang",
    "tri",
    "tukey",
    "tuk",
    ("tukey",),
    ("tukey", 0.25),
    ("kaiser", 8.6),
    ("ksr", 5.0),
    ("gaussian", 3.0),
    ("gauss", 2),
    ("gss", 1.5),
    ("general_hamming", 0.7),
    ("general hamming", 0.6),
    ("general_cosine", [0.42, 0.5, 0.08]),
    ("general cosine", (0.5, 0.5)),
    8.6,
    0,
    np.float64(4.0),
    "hann_periodic",
    "hann_symmetric",
    "boxcar_periodic",
    ("kaiser_symmetric", 8.6),
    ("tukey_periodic", 0.5),
]


@pytest.mark.parametrize("fftbins", [True, False])
def test_get_window_matches_scipy(xp, fftbins):
    for window in GET_WINDOW_CASES:
        w = gsci.signal.get_window(window, 7, fftbins, xp=xp.ns, device=where(xp))
        # SciPy refuses xp/device for general_cosine; gsci builds it in xp (documented)
        assert_matches(w, scipy.signal.get_window(window, 7, fftbins), xp)


@pytest.mark.parametrize("Nx", [1, 2, 10, 33])
def test_get_window_default_is_numpy(Nx):
    for window in GET_WINDOW_CASES:
        for fftbins in (True, False):
            w = gsci.signal.get_window(window, Nx, fftbins)
            assert type(w) is np.ndarray and w.dtype == np.float64
            np.testing.assert_array_equal(w, scipy.signal.get_window(window, Nx, fftbins))


def test_get_window_is_exported_from_signal_and_windows():
    assert gsci.signal.get_window is windows.get_window
    assert set(windows.__all__) == {*WINDOWS, "general_cosine", "get_window"}


def test_signatures_are_scipys():
    for name in windows.__all__:
        expected = inspect.signature(getattr(scipy.signal.windows, name))
        assert inspect.signature(getattr(windows, name)) == expected, name


def test_import_does_not_load_scipy_signal():
    code = (
        "import sys, gsci.signal.windows as w; w.hann(4); w.kaiser(4, 1.0); w.get_window('hann', 4);"
        "assert 'scipy.signal' not in sys.modules, 'scipy.signal imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("M", [-1, 2.5, "3", None, 1 + 0j])
@pytest.mark.parametrize("name", WINDOWS)
def test_bad_length_raises_like_scipy(name, M):
    params = WINDOWS[name]
    expected = scipy_error(lambda: getattr(scipy.signal.windows, name)(M, *params))
    with pytest.raises(expected):
        getattr(windows, name)(M, *params)


@pytest.mark.parametrize("M", [3.0, np.float64(3.0), True])
def test_non_integer_length_is_a_type_error(M):
    # SciPy raises TypeError here too, except triang/bartlett/kaiser/gaussian accept 3.0 (documented)
    assert scipy_error(lambda: scipy.signal.windows.hann(M)) is TypeError
    for name, params in WINDOWS.items():
        with pytest.raises(TypeError, match="integer"):
            getattr(windows, name)(M, *params)


@pytest.mark.parametrize(
    "window, Nx, fftbins",
    [
        ("hann", 0, True),
        ("hann", -3, True),
        ("hann", 2.5, True),
        ("hann", 4.0, True),
        ("hann", 4, "yes"),
        ("hann", 4, 1),
        ([1, 2], 4, True),
        ("kaiser", 4, True),
        (("kaiser",), 4, True),
        (("gaussian",), 4, True),
        (("hann", 1), 4, True),
        (("boxcar_periodic", 1), 4, True),
        ((1, 2), 4, True),
        ("hanning", 4, True),
        ("no such window", 4, True),
        ("hann_periodic_symmetric", 4, True),
    ],
)
def test_get_window_errors_like_scipy(window, Nx, fftbins):
    expected = scipy_error(lambda: scipy.signal.get_window(window, Nx, fftbins))
    with pytest.raises(expected):
        gsci.signal.get_window(window, Nx, fftbins)


@pytest.mark.parametrize("window", ["nuttall", "parzen", ("chebwin", 100), ("dpss", 3), "lanczos_periodic"])
def test_scipy_windows_not_implemented_name_the_supported(window):
    assert scipy.signal.get_window(window, 8).shape == (8,)
    with pytest.raises(ValueError, match=r"gsci supports .*'hann'.*'tukey'"):
        gsci.signal.get_window(window, 8)


def test_dask_windows_stay_lazy():
    import dask.array as da

    with forbid_dask_compute():
        made = {name: getattr(windows, name)(12, *params, xp=da) for name, params in WINDOWS.items()}
        made["get_window"] = gsci.signal.get_window(("tukey", 0.25), 12, xp=da)
        made["general_cosine"] = windows.general_cosine(12, da.asarray([0.5, 0.5]))
    assert all(isinstance(w, da.Array) for w in made.values())
    np.testing.assert_allclose(to_numpy(made["get_window"]), scipy.signal.get_window(("tukey", 0.25), 12))
    np.testing.assert_allclose(to_numpy(made["hann"]), scipy.signal.windows.hann(12))


def test_windows_under_jax_jit():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    @jax.jit
    def windowed(x, a):
        return x * gsci.signal.get_window("hann", 8, xp=jnp) + windows.general_cosine(8, a, sym=False)

    got = windowed(jnp.ones(8), jnp.asarray([0.54, 0.46]))
    expected = scipy.signal.get_window("hann", 8) + scipy.signal.windows.hamming(8, sym=False)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12, atol=1e-15)
    kaiser = jax.jit(lambda: gsci.signal.get_window(("kaiser", 5.0), 8, xp=jnp))()
    np.testing.assert_allclose(np.asarray(kaiser), scipy.signal.get_window(("kaiser", 5.0), 8), rtol=1e-12)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@SETTINGS
@given(
    M=st.integers(0, 200),
    sym=st.booleans(),
    alpha=st.floats(-0.5, 1.5),
    beta=st.floats(0, 40),
    std=st.floats(0.1, 100),
    share=st.floats(0, 1),
)
def test_parametrised_windows_property(xp, M, sym, alpha, beta, std, share):
    skip_recompiling(xp)
    for name, params in [
        ("tukey", (alpha,)),
        ("kaiser", (beta,)),
        ("gaussian", (std,)),
        ("general_hamming", (share,)),
    ]:
        w = getattr(windows, name)(M, *params, sym=sym, xp=xp.ns, device=where(xp))
        assert_matches(w, getattr(scipy.signal.windows, name)(M, *params, sym=sym), xp)


@SETTINGS
@given(
    M=st.integers(0, 100),
    sym=st.booleans(),
    a=st.lists(st.floats(-2, 2), min_size=0, max_size=6),
)
def test_general_cosine_property(xp, M, sym, a):
    skip_recompiling(xp)
    a = np.asarray(a, dtype=np.float64)
    w = windows.general_cosine(M, xp.asarray(a), sym=sym)
    assert_matches(w, scipy.signal.windows.general_cosine(M, a, sym=sym), xp, atol=1e-11)
