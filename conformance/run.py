"""Run a family's SciPy tests on SciPy and on gsci, and compare the outcomes.

Each side runs in its own pytest process with ``SCIPY_ARRAY_API=1`` and SciPy's
conftest, so SciPy's ``xp`` fixture runs every test on each installed array
library. SciPy's own outcomes change only with the libraries' versions, so they
are cached in ``scipy_results.json``; gsci's always run.
"""

import contextlib
import functools
import importlib.metadata
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass

import scipy

from conformance.families import FAMILIES

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SCIPY_DIR = pathlib.Path(scipy.__file__).parent
SCIPY_RESULTS = HERE / "scipy_results.json"
DECLARED = HERE / "divergences.toml"
PASSED = ("passed", "xpassed")
# The libraries (import names) whose versions decide SciPy's outcomes; cupy adds its tests when installed.
LIBRARIES = ("scipy", "numpy", "torch", "jax", "dask", "array_api_strict", "cupy")


@functools.cache
def versions():
    """The installed version of each library in `LIBRARIES` (None when absent)."""
    distributions = importlib.metadata.packages_distributions()
    found = {}
    for module in LIBRARIES:
        names = distributions.get(module, ())
        found[module] = importlib.metadata.version(names[0]) if names else None
    return found


def run_side(family, side, every=1):
    """Run ``family``'s selection with SciPy (``side="scipy"``) or gsci in its place (``"gsci"``),
    one in ``every`` of its tests (`conformance.sample`).

    Returns the plugin's report: ``collected``, ``calls`` (gsci functions called), ``tests``
    (node id -> outcome, library, message), plus ``seconds``, the wall time.
    """
    selection = FAMILIES[family].selection()
    arguments = [f"{SCIPY_DIR}/{arg}" if "/" in arg else arg for arg in selection]
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    environment["SCIPY_ARRAY_API"] = "1"
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    with tempfile.TemporaryDirectory() as scratch:  # outside the repo: its pytest configuration stays out
        report = pathlib.Path(scratch) / "report.json"
        command = [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"),
            # SciPy's conftest as a plugin, and no conftest file found by path (it would load twice)
            *("--noconftest", "-p", "scipy.conftest", "-p", "conformance.plugin"),
            *("-o", "addopts=", "-c", os.devnull, "--rootdir", str(SCIPY_DIR)),
            *(
                f"--conformance-mode={side}",
                f"--conformance-report={report}",
                f"--conformance-sample={every}",
            ),
            *arguments,
        ]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=scratch, env=environment, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1) or not report.exists():  # 1: some tests failed; else pytest broke
            output = done.stdout[-4000:] + done.stderr[-4000:]
            raise RuntimeError(f"pytest exited {done.returncode} on {family} ({side}):\n{output}")
        result = json.loads(report.read_text())
    result["seconds"] = round(seconds, 1)
    return result


def _scipy_key(family):
    return {"versions": versions(), "selection": FAMILIES[family].selection()}


def _packed(tests):
    """``{outcome: {library: {test: [parameter ids]}}}``: node ids without repeating the test's name."""
    packed = {}
    for node, test in sorted(tests.items()):
        name, _, parameters = node.partition("[")
        packed.setdefault(test["outcome"], {}).setdefault(test["library"], {}).setdefault(name, [])
        packed[test["outcome"]][test["library"]][name].append(parameters[:-1])
    return packed


def _unpacked(packed):
    return {
        f"{name}[{parameters}]" if parameters else name: {
            "outcome": outcome,
            "library": library,
            "message": "",
        }
        for outcome, by_library in packed.items()
        for library, by_name in by_library.items()
        for name, parameter_ids in by_name.items()
        for parameters in parameter_ids
    }


def cached_scipy_side(family):
    """SciPy's cached outcomes for ``family``, or None if missing or made with other versions or tests."""
    with contextlib.suppress(FileNotFoundError):
        entry = json.loads(SCIPY_RESULTS.read_text()).get(family)
        if entry is not None and entry["key"] == _scipy_key(family):
            return {
                "collected": entry["collected"],
                "seconds": entry["seconds"],
                "tests": _unpacked(entry["tests"]),
            }
    return None


def save_scipy_sides(results):
    """Store SciPy's outcomes (``{family: result}``), without messages, in `SCIPY_RESULTS`."""
    stored = json.loads(SCIPY_RESULTS.read_text()) if SCIPY_RESULTS.exists() else {}
    for family, result in results.items():
        stored[family] = {
            "key": _scipy_key(family),
            "collected": result["collected"],
            "seconds": result["seconds"],
            "tests": _packed(result["tests"]),
        }
    SCIPY_RESULTS.write_text(json.dumps(stored, indent=0, sort_keys=True) + "\n")  # a line per entry


@dataclass(frozen=True)
class Declared:
    """A declared divergence: tests where gsci deliberately differs, and why."""

    family: str
    tests: tuple[str, ...]  # node-id patterns; '*' matches anything, every other character itself
    function: str  # the gsci function, as "signal.windows.get_window"
    reason: str
    docstring: str  # a phrase of the function's docstring that states the difference

    def matches(self, node):
        return any(re.fullmatch(".*".join(map(re.escape, p.split("*"))), node) for p in self.tests)


def declared_divergences():
    entries = tomllib.loads(DECLARED.read_text()).get("divergence", [])
    return [Declared(**{**entry, "tests": tuple(entry["tests"])}) for entry in entries]


@dataclass(frozen=True)
class Comparison:
    family: str
    scipy: dict
    gsci: dict
    divergences: dict  # node id -> gsci's test record, for each test SciPy passes and gsci does not
    declared: dict  # node id -> the Declared entry that explains it (a subset of divergences)
    stale: list  # Declared entries of this family that match no divergence

    @property
    def undeclared(self):
        return {node: test for node, test in self.divergences.items() if node not in self.declared}


def compare(family, scipy_side, gsci_side, declared):
    missing = {"outcome": "not run", "library": "", "message": "not collected in gsci mode"}
    divergences = {
        node: gsci_side["tests"].get(node, missing)
        for node, test in sorted(scipy_side["tests"].items())
        if test["outcome"] in PASSED and gsci_side["tests"].get(node, missing)["outcome"] not in PASSED
    }
    entries = [entry for entry in declared if entry.family == family]
    explained = {node: next((e for e in entries if e.matches(node)), None) for node in divergences}
    stale = [entry for entry in entries if entry not in explained.values()]
    explained = {node: entry for node, entry in explained.items() if entry is not None}
    return Comparison(family, scipy_side, gsci_side, divergences, explained, stale)
