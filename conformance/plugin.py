"""pytest plugin: record every test's outcome as JSON; in gsci mode, test gsci in SciPy's place.

Load it with ``-p conformance.plugin`` next to ``-p scipy.conftest``.
"""

import json
import pathlib

import pytest

from conformance.sample import sampled
from conformance.swap import Swap, scipy_test_modules

PASSED = ("passed", "xpassed")
CALLS = pytest.StashKey()  # gsci mode: how often each gsci function was called


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption("--conformance-mode", choices=("scipy", "gsci"), default="scipy")
    group.addoption(
        "--conformance-report", metavar="PATH", help="write each test's outcome to this JSON file"
    )
    group.addoption(
        "--conformance-sample", type=int, default=1, metavar="N", help="run 1 in N tests (conformance.sample)"
    )


def pytest_configure(config):
    path = config.getoption("--conformance-report")
    if path:
        config.pluginmanager.register(Recorder(pathlib.Path(path)), "conformance-recorder")


@pytest.hookimpl(trylast=True)  # after -k has deselected, so only what runs is swapped and recorded
def pytest_collection_modifyitems(config, items):
    every = config.getoption("--conformance-sample")
    if every > 1:
        kept = sampled([item.nodeid for item in items], every)
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in kept])
        items[:] = [item for item in items if item.nodeid in kept]
    if config.getoption("--conformance-mode") != "gsci":
        return
    swap = Swap()
    for module in scipy_test_modules():
        swap.into_module(module)
    for item in items:
        swap.into_parameters(item)
    config.stash[CALLS] = swap.calls


def _library(item):
    """The array library of SciPy's ``xp`` parameter (``numpy`` for tests without one)."""
    xp = getattr(getattr(item, "callspec", None), "params", {}).get("xp")
    return getattr(xp, "__name__", "numpy")


def _outcome(report):
    if report.failed:
        return "failed" if report.when == "call" else "error"
    if report.skipped:
        return "xfailed" if hasattr(report, "wasxfail") else "skipped"
    if report.when == "call":
        return "xpassed" if hasattr(report, "wasxfail") else "passed"
    return None  # a setup or teardown that passed says nothing yet


def _message(report):
    if hasattr(report, "wasxfail") and not report.failed:
        return report.wasxfail
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        return report.longrepr[2]
    crash = getattr(report.longrepr, "reprcrash", None)
    return (crash.message if crash is not None else str(report.longrepr or ""))[:2000]


class Recorder:
    def __init__(self, path):
        self.path = path
        self.libraries = {}
        self.tests = {}

    def pytest_collection_finish(self, session):
        self.libraries = {item.nodeid: _library(item) for item in session.items}

    def pytest_collectreport(self, report):
        if report.failed:
            self.tests[report.nodeid] = {"outcome": "error", "library": "numpy", "message": _message(report)}

    def pytest_runtest_logreport(self, report):
        outcome = _outcome(report)
        previous = self.tests.get(report.nodeid)
        first_or_spoils_a_pass = previous is None or previous["outcome"] in PASSED  # a failing teardown
        if outcome is not None and first_or_spoils_a_pass:
            library = self.libraries.get(report.nodeid, "numpy")
            self.tests[report.nodeid] = {"outcome": outcome, "library": library, "message": _message(report)}

    def pytest_sessionfinish(self, session):
        calls = session.config.stash.get(CALLS, {})
        report = {"collected": len(self.libraries), "calls": dict(calls), "tests": self.tests}
        self.path.write_text(json.dumps(report, indent=1, sort_keys=True))
