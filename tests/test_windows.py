"""gsci.signal.windows and get_window against SciPy, in every library, on its device."""

import inspect
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.signal
import scipy.signal.windows
from helpers import assert_matches, forbid_dask_compute, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.signal.windows._windows import _WIN_FUNCS  # SciPy's own table of names: the oracle

import gsci.signal
from gsci._lib._compat import array_namespace, device
from gsci.signal import windows
from gsci.signal.windows._windows import build_window

# name -> parameter sets after M (general_cosine's coefficients are tested on their own)
WINDOWS = {
    "barthann": [()],
    "bartlett": [()],
    "blackman": [()],
    "blackmanharris": [()],
    "bohman": [()],
    "boxcar": [()],
    "chebwin": [(100,), (-50,)],
    "cosine": [()],
    "dpss": [(1.5,), (2.5, None)],
    "exponential": [(), (None, 3.0)],
    "flattop": [()],
    "gaussian": [(2.5,)],
    "general_gaussian": [(1.5, 2.0), (0.5, 4.0)],
    "general_hamming": [(0.6,)],
    "hamming": [()],
    "hann": [()],
    "kaiser": [(8.6,), (0.5,)],
    "lanczos": [()],
    "nuttall": [()],
    "parzen": [()],
    "taylor": [(), (1,), (6, 40, False)],
    "triang": [()],
    "tukey": [(), (0.3,), (0.0,), (1.0,)],
}
# windows outside WINDOWS' symmetric/periodic loop, with one parameter set each
OTHERS = {"general_cosine": ([0.5, 0.5],), "kaiser_bessel_derived": (2.0,)}
ALL_WINDOWS = [*WINDOWS, *OTHERS]
LENGTHS = (0, 1, 2, 7, 8, 64)
FEW_LENGTHS = (0, 1, 6, 7)  # JAX compiles, Dask builds a graph, per new shape: few shapes for them
# SciPy's window tests use tolerances; CPUs and libraries differ in the last bits of cos, exp, i0
ULPS = 8 * np.finfo(np.float64).eps
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _dask_in_this_thread():
    """Tiny Dask graphs compute faster without the thread pool."""
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.fixture(autouse=True)
def _quiet_chebwin():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This window is not suitable", UserWarning)
        yield


def lengths(xp):
    return FEW_LENGTHS if xp.module in ("jax", "dask") else LENGTHS


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


def defined(name, params, M, sym):
    """Whether SciPy defines window ``name`` for these arguments (else it raises: tested with the errors)."""
    if name == "exponential":
        return not (sym and params)  # a symmetric window takes no center
    if name == "dpss":
        return M <= 1 or params[0] < M / 2
    return True


def first_parameters(name):
    return OTHERS.get(name) or WINDOWS[name][0]


def call_both(call):
    """``call(windows module)`` for SciPy, then gsci: the same exception type, or values within a few ulps."""
    try:
        expected = call(scipy.signal.windows)
    except Exception as e:
        with pytest.raises(type(e)):
            call(windows)
    else:
        np.testing.assert_allclose(call(windows), expected, rtol=ULPS, atol=ULPS)


def assert_close_to_scipy(w, expected):
    """``w`` is a NumPy float64 array within a few ulps of SciPy's ``expected``."""
    assert type(w) is np.ndarray and w.dtype == np.float64
    np.testing.assert_allclose(w, expected, rtol=ULPS, atol=ULPS)


@pytest.mark.parametrize("sym", [True, False])
@pytest.mark.parametrize("name", WINDOWS)
def test_window_matches_scipy(xp, name, sym):
    for params in WINDOWS[name]:
        for M in (M for M in lengths(xp) if defined(name, params, M, sym)):
            w = getattr(windows, name)(M, *params, sym=sym, xp=xp.ns, device=where(xp))
            assert_matches(w, getattr(scipy.signal.windows, name)(M, *params, sym=sym), xp)


@pytest.mark.parametrize("name", ["hann", "kaiser", "tukey", "triang", "chebwin", "dpss"])
def test_window_accepts_compat_namespace(xp, name):
    params = WINDOWS[name][0]
    compat = array_namespace(xp.asarray(np.zeros(1)))
    w = getattr(windows, name)(16, *params, sym=False, xp=compat, device=where(xp))
    assert_matches(w, getattr(scipy.signal.windows, name)(16, *params, sym=False), xp)


@pytest.mark.parametrize("M", [1, 2, 9, 33])
def test_default_is_numpy_float64(M):
    for name, parameter_sets in WINDOWS.items():
        for params in (p for p in parameter_sets if defined(name, p, M, True)):
            w = getattr(windows, name)(M, *params)
            assert_close_to_scipy(w, getattr(scipy.signal.windows, name)(M, *params))
    assert_close_to_scipy(
        windows.kaiser_bessel_derived(2 * M, 3.0), scipy.signal.windows.kaiser_bessel_derived(2 * M, 3.0)
    )


@pytest.mark.parametrize("sym", [True, False])
def test_general_cosine_follows_its_coefficients(xp, sym):
    a = np.array([0.3635819, 0.4891775, 0.1365995, 0.0106411])
    for M in lengths(xp):
        w = windows.general_cosine(M, xp.asarray(a), sym=sym)
        assert_matches(w, scipy.signal.windows.general_cosine(M, a, sym=sym), xp)


def test_general_cosine_of_a_sequence_is_numpy():
    w = windows.general_cosine(8, [0.5, 0.5], sym=False)
    assert_close_to_scipy(w, scipy.signal.windows.general_cosine(8, [0.5, 0.5], sym=False))


@pytest.mark.parametrize("a", [np.ones((2, 2)), None, 0.5], ids=["2d", "None", "scalar"])
def test_general_cosine_bad_coefficients_raise_like_scipy(a):
    with pytest.raises(scipy_error(lambda: scipy.signal.windows.general_cosine(4, a))):
        windows.general_cosine(4, a)


@pytest.mark.parametrize("M", [0, 2, 8, 64])
def test_kaiser_bessel_derived_matches_scipy(xp, M):
    w = windows.kaiser_bessel_derived(M, 4.0, xp=xp.ns, device=where(xp))
    expected = scipy.signal.windows.kaiser_bessel_derived(M, 4.0)
    if M == 0:  # SciPy's empty window has the library's default floating dtype
        assert w.shape == (0,) and w.dtype == xp.ns.asarray([]).dtype
    else:
        assert_matches(w, expected, xp)


@pytest.mark.parametrize("M, sym", [(7, True), (8, False), (2.5, True), (-3, True), (4.0, True), ("4", True)])
def test_kaiser_bessel_derived_errors_like_scipy(M, sym):
    call_both(lambda module: module.kaiser_bessel_derived(M, 4.0, sym=sym))


DPSS_CASES = [
    (16, 2.0, None, True, None),
    (16, 2.0, 3, True, None),
    (17, 3.0, 5, False, 2),
    (16, 2.5, 4, False, "approximate"),
    (16, 2.5, 2, True, "subsample"),
    (15, 1.5, None, False, "subsample"),
]


@pytest.mark.parametrize("M, NW, Kmax, sym, norm", DPSS_CASES)
def test_dpss_matches_scipy(xp, M, NW, Kmax, sym, norm):
    for return_ratios in (False, True):
        got = windows.dpss(M, NW, Kmax, sym, norm, return_ratios, xp=xp.ns, device=where(xp))
        expected = scipy.signal.windows.dpss(M, NW, Kmax, sym, norm, return_ratios)
        assert_matches(got, expected, xp)


@pytest.mark.parametrize("M", [0, 1])
def test_dpss_of_at_most_one_point_returns_scipys_structure(xp, M):
    for Kmax in (None, 4):
        tapers, ratios = windows.dpss(M, 1.0, Kmax, return_ratios=True, xp=xp.ns, device=where(xp))
        expected_tapers, expected_ratios = scipy.signal.windows.dpss(M, 1.0, Kmax, return_ratios=True)
        assert_matches(tapers, expected_tapers, xp)
        if Kmax is None:
            assert ratios == expected_ratios == 1.0 and type(ratios) is float
        else:
            assert_matches(ratios, expected_ratios, xp)
    assert_matches(windows.dpss(M, 1.0, xp=xp.ns, device=where(xp)), scipy.signal.windows.dpss(M, 1.0), xp)


@pytest.mark.parametrize(
    "args",
    [
        *[(4, 1.5, -1), (4, 1.5, 0), (4, 1.5, 5), (4, 1.5, 1.1), (4, 1.5, "2"), (3, 1.5, 3), (3, -1, 3)],
        *[(3, 0, 3), (-1, 1, 3), (8, 5, 1.5), (8, 2, None, True, "x"), (8, 2, None, True, 3), (8.0, 2)],
        (1.0, 0.5),
    ],
)
def test_dpss_errors_like_scipy(args):
    with pytest.raises(scipy_error(lambda: scipy.signal.windows.dpss(*args))):
        windows.dpss(*args)


def test_chebwin_warns_like_scipy():
    with pytest.warns(UserWarning, match="not suitable for spectral analysis"):
        scipy.signal.windows.chebwin(8, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.warns(UserWarning, match="not suitable for spectral analysis"):
            windows.chebwin(8, 30)
        windows.chebwin(8, 60)


@pytest.mark.parametrize("args", [(8, 0), (8, -2), (8, 2.5), (8, None), (8, 4, None), (1, 0), (8, 4, -10)])
def test_taylor_parameters_like_scipy(args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a negative sll: NaN, as in SciPy
        call_both(lambda module: module.taylor(*args))


def test_exponential_symmetric_takes_no_center():
    with pytest.raises(scipy_error(lambda: scipy.signal.windows.exponential(8, 2))):
        windows.exponential(8, 2)


def window_arguments(name):
    """Parameters that let ``get_window`` build the window that SciPy's table names ``name``."""
    function = _WIN_FUNCS[name][0].__name__
    return {
        "chebwin": (100,),
        "dpss": (2.0,),
        "gaussian": (3.0,),
        "general_cosine": ([0.42, 0.5, 0.08],),
        "general_gaussian": (1.5, 2.0),
        "general_hamming": (0.7,),
        "kaiser": (8.6,),
        "kaiser_bessel_derived": (4.0,),
    }.get(function, ())


GET_WINDOW_CASES = [
    *[(name, *window_arguments(name)) if window_arguments(name) else name for name in _WIN_FUNCS],
    ("tukey",),
    ("tukey", 0.25),
    ("exponential", None, 3.0),
    ("poisson", None),
    ("taylor", 3, 20, False),
    ("taylorwin", 5),
    ("gauss", 2),
    ("general cosine", (0.5, 0.5)),
    8.6,
    0,
    np.float64(4.0),
    "hann_periodic",
    "hann_symmetric",
    "boxcar_periodic",
    ("kaiser_symmetric", 8.6),
    ("tukey_periodic", 0.5),
    ("dpss_periodic", 1.5),
    ("cheb_symmetric", 60),
]


def scipy_window(window, Nx, fftbins):
    """SciPy's ``get_window(window, Nx, fftbins)``; None where SciPy refuses it (KBD is only symmetric)."""
    try:
        return scipy.signal.get_window(window, Nx, fftbins)
    except ValueError:
        return None


@pytest.mark.parametrize("fftbins", [True, False])
def test_get_window_matches_scipy(xp, fftbins):
    for window in GET_WINDOW_CASES:
        expected = scipy_window(window, 8, fftbins)
        is_cosine = isinstance(window, tuple) and window[0] in ("general_cosine", "general cosine")
        if expected is None:
            with pytest.raises(ValueError, match="symmetric"):
                gsci.signal.get_window(window, 8, fftbins, xp=xp.ns, device=where(xp))
        elif is_cosine:  # its coefficients set the library, as in SciPy
            w = gsci.signal.get_window((window[0], xp.asarray(np.asarray(window[1]))), 8, fftbins)
            assert_matches(w, expected, xp)
        else:
            w = gsci.signal.get_window(window, 8, fftbins, xp=xp.ns, device=where(xp))
            assert_matches(w, expected, xp)


@pytest.mark.parametrize("Nx", [1, 2, 10, 33])
def test_get_window_default_is_numpy(Nx):
    for window in GET_WINDOW_CASES:
        for fftbins in (True, False):
            expected = scipy_window(window, Nx, fftbins)
            if expected is None:
                with pytest.raises(ValueError):
                    gsci.signal.get_window(window, Nx, fftbins)
            else:
                assert_close_to_scipy(gsci.signal.get_window(window, Nx, fftbins), expected)


def test_get_window_refuses_xp_for_general_cosine_like_scipy():
    for kwargs in ({"xp": np}, {"device": "cpu"}):
        with pytest.raises(ValueError, match=r"^'general_cosine' does not accept"):
            scipy.signal.get_window(("general cosine", [1, 2]), 5, **kwargs)
        with pytest.raises(ValueError, match=r"^'general_cosine' does not accept"):
            gsci.signal.get_window(("general cosine", [1, 2]), 5, **kwargs)


def test_build_window_builds_general_cosine_in_xp(xp):
    w = build_window(("general_cosine", [0.5, 0.3, 0.2]), 8, xp=xp.ns, device=where(xp))
    assert_matches(w, scipy.signal.get_window(("general_cosine", [0.5, 0.3, 0.2]), 8), xp)
    assert_matches(build_window("hann", 8, False, xp=xp.ns), scipy.signal.get_window("hann", 8, False), xp)


def test_get_window_is_exported_from_signal_and_windows():
    assert gsci.signal.get_window is windows.get_window
    assert set(windows.__all__) == set(scipy.signal.windows.__all__)


@pytest.mark.parametrize("name", scipy.signal.windows.__all__)
def test_signatures_are_scipys(name):
    assert inspect.signature(getattr(windows, name)) == inspect.signature(getattr(scipy.signal.windows, name))


def test_import_does_not_load_scipy_signal():
    """Importing the windows is light; NumPy windows import SciPy's on first use (they are SciPy's)."""
    code = "import sys, gsci.signal.windows; assert 'scipy.signal' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_numpy_windows_are_scipys_and_other_libraries_compute_their_own(xp):
    for name, parameters in (("chebwin", (60,)), ("kaiser", (8.6,)), ("tukey", (0.3,)), ("dpss", (3,))):
        expected = getattr(scipy.signal.windows, name)(33, *parameters)
        got = getattr(windows, name)(33, *parameters, xp=None if xp.module == "numpy" else xp.ns)
        assert_matches(got, expected, xp, rtol=1e-13)


@pytest.mark.parametrize("M", [-1, 2.5, 3.0, 4.0, np.float64(5.0), 1.0, 0.0, True, "3", None, 1 + 0j])
@pytest.mark.parametrize("name", ALL_WINDOWS)
def test_bad_length_raises_like_scipy(name, M):
    """SciPy takes an integral float above 1 in some windows, raises ``TypeError`` in others: so does gsci."""
    call_both(lambda module: getattr(module, name)(M, *first_parameters(name)))


@pytest.mark.parametrize(
    "window, Nx, fftbins",
    [
        ("hann", 0, True),
        ("hann", -3, True),
        ("hann", 2.5, True),
        ("hann", 4.0, True),
        ("hann", np.float64(3), True),
        ("hann", "4", True),
        ("hann", 4, "yes"),
        ("hann", 4, 1),
        ([1, 2], 4, True),
        (None, 4, True),
        ("kaiser", 4, True),
        (("kaiser",), 4, True),
        (("gaussian",), 4, True),
        ("dss", 4, True),
        (("dpss", 1, 2), 8, True),
        (("hann", 1), 4, True),
        (("boxcar_periodic", 1), 4, True),
        ((1, 2), 4, True),
        ("hanning", 4, True),
        ("INVALID", 4, True),
        ("hann_periodic_symmetric", 4, True),
        (("exponential", 1, 2.0), 8, False),
        (("kbd", 2.0), 8, True),
        (("general_gaussian", 1.5), 8, True),
    ],
)
def test_get_window_errors_like_scipy(window, Nx, fftbins):
    try:
        scipy.signal.get_window(window, Nx, fftbins)
    except Exception as e:  # the same type, and the same message up to its values
        with pytest.raises(type(e), match=f"^{re.escape(str(e)[:12])}"):
            gsci.signal.get_window(window, Nx, fftbins)
    else:
        raise AssertionError("SciPy accepted the call")


def test_dask_windows_stay_lazy():
    import dask.array as da

    with forbid_dask_compute():
        made = {name: getattr(windows, name)(12, *WINDOWS[name][0], xp=da) for name in WINDOWS}
        made["kaiser_bessel_derived"] = windows.kaiser_bessel_derived(12, 2.0, xp=da)
        made["general_cosine"] = windows.general_cosine(12, da.asarray([0.5, 0.5]))
        made["get_window"] = gsci.signal.get_window(("tukey", 0.25), 12, xp=da)
    assert all(isinstance(w, da.Array) for w in made.values())
    np.testing.assert_allclose(to_numpy(made["get_window"]), scipy.signal.get_window(("tukey", 0.25), 12))
    np.testing.assert_allclose(to_numpy(made["taylor"]), scipy.signal.windows.taylor(12), rtol=1e-12)


def test_windows_under_jax_jit():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    @jax.jit
    def every_window(a):
        made = {name: getattr(windows, name)(8, *WINDOWS[name][0], xp=jnp) for name in WINDOWS}
        made["general_cosine"] = windows.general_cosine(8, a, sym=False)
        made["kaiser_bessel_derived"] = windows.kaiser_bessel_derived(8, 2.0, xp=jnp)
        made["get_window"] = gsci.signal.get_window(("kaiser", 5.0), 8, xp=jnp)
        return made

    got = every_window(jnp.asarray([0.54, 0.46]))
    expected = {name: getattr(scipy.signal.windows, name)(8, *WINDOWS[name][0]) for name in WINDOWS}
    expected["general_cosine"] = scipy.signal.windows.hamming(8, sym=False)
    expected["kaiser_bessel_derived"] = scipy.signal.windows.kaiser_bessel_derived(8, 2.0)
    expected["get_window"] = scipy.signal.get_window(("kaiser", 5.0), 8)
    for name, w in got.items():
        np.testing.assert_allclose(np.asarray(w), expected[name], rtol=1e-12, atol=1e-15, err_msg=name)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@SETTINGS
@given(
    M=st.integers(0, 200),
    sym=st.booleans(),
    alpha=st.floats(-0.5, 1.5),
    beta=st.floats(0, 40),
    std=st.floats(0.1, 100),
    share=st.floats(0, 1),
    p=st.floats(0.25, 4),
    at=st.floats(45, 200),
    nbar=st.integers(1, 8),
    sll=st.floats(10, 80),
)
def test_parametrised_windows_property(xp, M, sym, alpha, beta, std, share, p, at, nbar, sll):
    skip_recompiling(xp)
    for name, params in [
        ("tukey", (alpha,)),
        ("kaiser", (beta,)),
        ("gaussian", (std,)),
        ("general_gaussian", (p, std)),
        ("general_hamming", (share,)),
        ("exponential", (None, std)),
        ("chebwin", (at,)),
        ("taylor", (nbar, sll)),
    ]:
        w = getattr(windows, name)(M, *params, sym=sym, xp=xp.ns, device=where(xp))
        expected = getattr(scipy.signal.windows, name)(M, *params, sym=sym)
        assert_matches(w, expected, xp, atol=1e-10 if name == "chebwin" else None)


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
