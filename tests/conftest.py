"""The ``xp`` fixture: every installed array library, on CPU and (when visible) GPU."""

import importlib.util
import os

if os.environ.get("GSCI_KERNEL_SIM") == "1":  # before numba is imported anywhere
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import pytest
from helpers import LIBRARIES, Library, gpu_visible


def pytest_addoption(parser):
    parser.addoption(
        "--libraries",
        default=os.environ.get("GSCI_TEST_LIBRARIES", "all"),
        help="comma-separated xp libraries to test (numpy,array_api_strict,torch,jax,dask,cupy,torch-cuda); "
        "default: every installed one (env GSCI_TEST_LIBRARIES)",
    )


def _selected(config):
    wanted = config.getoption("--libraries")
    names = LIBRARIES if wanted == "all" else tuple(wanted.split(","))
    unknown = set(names) - set(LIBRARIES)
    if unknown:
        raise pytest.UsageError(f"unknown --libraries {sorted(unknown)}; choose from {LIBRARIES}")
    return [n for n in names if importlib.util.find_spec(n.split("-")[0]) is not None]


def pytest_generate_tests(metafunc):
    if "xp" in metafunc.fixturenames:
        params = [
            pytest.param(name, marks=pytest.mark.gpu, id=name) if name in ("cupy", "torch-cuda") else name
            for name in _selected(metafunc.config)
        ]
        metafunc.parametrize("xp", params, indirect=True)


def pytest_collection_modifyitems(config, items):
    if gpu_visible():
        return
    skip = pytest.mark.skip(reason="no CUDA GPU visible")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def xp(request):
    """A `helpers.Library`: the library under test, its namespace and device."""
    return Library.named(request.param)
