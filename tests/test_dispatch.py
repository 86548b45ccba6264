"""The dispatch core: namespaces, devices, backends, declarations, capabilities."""

import importlib
import inspect
import pathlib
import subprocess
import sys
import threading
import types
import warnings

import numpy as np
import pytest
import scipy
from helpers import Library, assert_matches

import gsci
from gsci._lib import _backends
from gsci._lib._dispatch import PATHS, capability_markdown, declarations

ROOT = pathlib.Path(__file__).parent.parent


def test_import_gsci_imports_no_array_or_gpu_library():
    heavy = ("numba", "cupy", "torch", "jax", "dask", "scipy.signal", "scipy.ndimage")
    code = f"import sys, gsci, gsci.signal, gsci.ndimage; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("name", sorted(declarations()))
def test_signature_is_scipys(name):
    module, function = name.split(".")
    ours = inspect.signature(getattr(getattr(gsci, module), function))
    theirs = inspect.signature(getattr(importlib.import_module(f"scipy.{module}"), function))
    assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == [
        (p.name, p.default, p.kind) for p in theirs.parameters.values()
    ]


def test_mixed_libraries_raise_type_error_naming_parameters():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="x is numpy, y is torch"):
        gsci.signal.csd(np.ones(16), torch.ones(16), nperseg=8)


def test_mixed_devices_raise_value_error_naming_parameters():
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="x on cpu, y on meta"):
        gsci.signal.csd(torch.ones(16), torch.ones(16, device="meta"), nperseg=8)


def test_numpy_scalars_stay_numbers_after_their_type_was_looked_up():
    torch = pytest.importorskip("torch")
    from gsci._lib._arrays import is_array, library_of

    library_of(np.float64(2.0))  # remembers np.float64's library: it must not make the scalar an array
    assert not is_array(np.float64(2.0))
    x = np.arange(6.0)
    got = gsci.ndimage.correlate(torch.asarray(x), np.float64(2.0), axes=())
    assert_matches(got, scipy.ndimage.correlate(x, np.float64(2.0), axes=()), Library.named("torch"))


def test_unsupported_array_type_raises_type_error():
    class NotAnArray:
        __array_namespace__ = None

    with pytest.raises(TypeError, match="does not support arrays of type"):
        gsci.signal.welch(NotAnArray())


def test_unknown_backend_raises_value_error_listing_known_ones():
    with pytest.raises(ValueError, match=r"unknown backend 'nope'.*'auto'"):
        gsci.set_backend("nope")
    with pytest.raises(TypeError, match="must be a str"):
        gsci.set_backend(None)


def test_backend_context_restores_and_does_not_leak_to_threads():
    seen = []
    with gsci.backend("scipy"):
        thread = threading.Thread(target=lambda: seen.append(_backends.current_backend()))
        thread.start()
        thread.join()
        assert _backends.current_backend() == "scipy"
    assert _backends.current_backend() == "auto"
    assert seen == ["auto"]


def test_set_backend_stays_in_force_until_changed():
    try:
        gsci.set_backend("native")
        assert _backends.current_backend() == "native"
    finally:
        gsci.set_backend("auto")


def test_scipy_backend_round_trips_through_scipy(xp):
    x = np.random.default_rng(0).standard_normal(4096)
    with gsci.backend("scipy"):
        result = gsci.signal.welch(xp.asarray(x), nperseg=256)
    assert_matches(result, scipy.signal.welch(x, nperseg=256), xp)


def test_scipy_path_warns_only_for_gpu_arrays(xp):
    x = xp.asarray(np.random.default_rng(0).standard_normal(512))
    with warnings.catch_warnings(record=True) as caught, gsci.backend("scipy"):
        warnings.simplefilter("always")
        gsci.signal.welch(x, nperseg=64)
    transfers = [w for w in caught if issubclass(w.category, gsci.HostTransferWarning)]
    assert len(transfers) == (xp.device == "cuda")
    if transfers:
        assert "gsci.signal.welch copies its" in str(transfers[0].message)


def test_registered_backend_gets_the_call_and_may_decline():
    calls = []

    def spy(module, name, arguments):
        calls.append((module, name, sorted(arguments)))
        return "handled" if arguments["nperseg"] == 8 else NotImplemented

    gsci.register_backend("spy", spy)
    x = np.arange(32.0)
    with gsci.backend("spy"):
        assert gsci.signal.welch(x, nperseg=8) == "handled"
        declined = gsci.signal.welch(x, nperseg=16)
    assert_matches(declined, scipy.signal.welch(x, nperseg=16), _numpy())
    assert calls[0][:2] == ("signal", "welch")
    assert calls[0][2] == sorted(inspect.signature(scipy.signal.welch).parameters)


def test_register_backend_rejects_builtins_and_non_callables():
    with pytest.raises(ValueError, match="built-in"):
        gsci.register_backend("scipy", lambda *a: NotImplemented)
    with pytest.raises(TypeError, match="callable"):
        gsci.register_backend("bad", 42)


def test_entry_point_backend_is_loaded_by_name(monkeypatch):
    entry = types.SimpleNamespace(name="plugged", load=lambda: lambda module, name, arguments: "plugged in")
    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        lambda group, name: [entry] if (group, name) == ("gsci.backends", "plugged") else [],
    )
    monkeypatch.delitem(_backends._delegates, "plugged", raising=False)
    with gsci.backend("plugged"):
        assert gsci.signal.welch(np.ones(16)) == "plugged in"


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed")
def test_cupyx_backend_without_cupy_says_how_to_install():
    with pytest.raises(ImportError, match=r"needs CuPy.*pip install gsci\[cuda12\]"):
        gsci.set_backend("cupyx")
    assert _backends.current_backend() == "auto"


def test_cupyx_backend_delegates_cupy_arrays_to_cupyx(monkeypatch):
    class FakeCupyArray:
        pass

    fake_cupy = types.ModuleType("cupy")
    fake_cupy.ndarray = FakeCupyArray
    fake_signal = types.ModuleType("cupyx.scipy.signal")
    fake_signal.welch = lambda **arguments: ("cupyx.welch", arguments["x"])
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy)
    monkeypatch.setitem(sys.modules, "cupyx", types.ModuleType("cupyx"))
    monkeypatch.setitem(sys.modules, "cupyx.scipy", types.ModuleType("cupyx.scipy"))
    monkeypatch.setitem(sys.modules, "cupyx.scipy.signal", fake_signal)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())
    x = FakeCupyArray()
    assert _backends._cupyx("signal", "welch", {"x": x}) == ("cupyx.welch", x)
    assert _backends._cupyx("signal", "no_such_function", {"x": x}) is NotImplemented
    assert _backends._cupyx("signal", "welch", {"x": np.ones(3)}) is NotImplemented


def test_capabilities_cover_every_function_library_and_device():
    table = gsci.capabilities()
    functions = {function for function, _, _ in table}
    assert functions == set(declarations())
    assert set(table.values()) <= set(PATHS)
    for function in functions:
        assert table[function, "numpy", "cpu"] in ("native", "scipy")
        assert table[function, "torch", "cpu"] == "native"


def test_readme_shows_the_current_capability_table():
    readme = (ROOT / "README.md").read_text()
    assert capability_markdown() in readme, "regenerate the README table with capability_markdown()"


def _numpy():
    from helpers import Library

    return Library.named("numpy")


def test_declaration_paths_follow_backend_library_and_device(monkeypatch):
    from gsci._lib._dispatch import Declaration

    monkeypatch.delenv("GSCI_KERNEL_SIM", raising=False)
    declared = Declaration(
        "signal", "f", ("x",), native=None, kernel=object(), scipy_for={"numpy": "measured"}
    )
    assert declared.path("auto", "numpy", "cpu") == "scipy"
    assert declared.path("native", "numpy", "cpu") == "native"
    assert declared.path("scipy", "torch", "cuda") == "scipy"
    assert declared.path("auto", "torch", "cpu") == "native"
    assert declared.path("auto", "jax", "cuda") == "native"  # no __cuda_array_interface__: XLA runs it
    assert Declaration("signal", "f", ("x",), None, scipy_for={"cupy": "m"}).path("auto", "cupy", "cuda") == (
        "native"  # a declared SciPy path is for CPU arrays: never a hidden round trip from the GPU
    )
    monkeypatch.setenv("GSCI_KERNEL_SIM", "1")
    assert declared.path("auto", "numpy", "cpu") == "kernel"


@pytest.mark.parametrize("library", ["cupy", "torch"])
def test_cuda_arrays_take_the_kernel_path_when_numba_cuda_is_installed(library):
    declared = gsci.ndimage.laplace.declaration
    expected = "kernel" if importlib.util.find_spec("numba_cuda") else "native"
    assert declared.path("auto", library, "cuda") == expected


def test_numpy_fast_path_follows_the_declaration():
    """NumPy input under "auto" skips `_call`: SciPy where ``scipy_when`` holds, else native."""
    from gsci._lib._dispatch import fewer_elements, gsci_function

    def welch(x, fs=1.0, *, xp):
        return ("native", xp.__name__)

    declared = gsci_function("signal", arrays=("x",), scipy_when=fewer_elements(100))(welch)
    tiny, large = np.arange(16.0), np.arange(1000.0)
    np.testing.assert_array_equal(declared(tiny, 2.0)[1], scipy.signal.welch(tiny, 2.0)[1])
    assert declared(large) == ("native", "array_api_compat.numpy")
    assert declared(list(tiny))[0] == "native"  # a sequence has no size to compare: native
    with gsci.backend("native"):
        assert declared(tiny)[0] == "native"
    torch = pytest.importorskip("torch")
    assert declared(torch.asarray(tiny))[0] == "native"


def test_scipy_when_takes_an_output_given_as_a_dtype():
    """``output`` as a dtype (a type, a ``np.dtype`` or its name) is no array: the data decide the path."""
    from gsci._lib._dispatch import fewer_elements, gsci_function

    def laplace(input, output=np.float64, mode="reflect", cval=0.0, *, xp):
        return "native"

    declared = gsci_function("ndimage", arrays=("input", "output"), scipy_when=fewer_elements(100))(laplace)
    tiny, large = np.arange(16.0).reshape(4, 4), np.zeros((20, 20))
    want = scipy.ndimage.laplace(tiny, output=np.float32)
    for output in (np.float32, np.dtype("float32"), "float32"):
        got = declared(tiny, output)
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.float32
        assert declared(large, output) == "native"
    assert isinstance(declared(tiny), np.ndarray)  # the default dtype: SciPy too
    out = np.zeros((4, 4), np.float32)
    assert declared(tiny, out) is out and np.array_equal(out, want)  # a small output array: SciPy's


def test_torch_as_numpy_runs_once_when_the_function_returns_none():
    """A function that writes into its ``output=`` array and returns None runs once, as NumPy."""
    torch = pytest.importorskip("torch")
    from gsci._lib._dispatch import gsci_function

    calls = []

    def laplace(input, output=None, mode="reflect", cval=0.0, *, xp):
        calls.append(type(input))
        output[...] = 2 * input
        return None

    declared = gsci_function("ndimage", arrays=("input", "output"), torch_as_numpy=True)(laplace)
    out = torch.zeros(4, dtype=torch.float64)
    assert declared(torch.arange(4.0, dtype=torch.float64), out) is None
    assert calls == [np.ndarray]
    assert out.tolist() == [0.0, 2.0, 4.0, 6.0]


def test_numpy_fast_path_takes_declared_scipy_paths():
    from gsci._lib._dispatch import gsci_function

    def detrend(data, *, xp):
        return "native"

    declared = gsci_function("signal", arrays=("data",), scipy_for={"numpy": "measured"})(detrend)
    data = np.arange(5.0) ** 2
    np.testing.assert_array_equal(declared(data), scipy.signal.detrend(data))
    torch = pytest.importorskip("torch")
    assert declared(torch.arange(5.0)) == "native"
