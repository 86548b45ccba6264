"""SciPy's own tests pass on gsci wherever they pass on SciPy, except the declared divergences.

Each family's gsci side runs here (SciPy's side comes from conformance/scipy_results.json, and runs
too when that cache is missing or was made with other versions); the largest families run a fixed
sample of their tests (``suite_sample``, `conformance.sample`), the same on both sides.
CONFORMANCE.md is the full report: ``python -m conformance -j 2`` runs every test, and rewrites it
and the cache.
"""

import inspect
import pathlib
import sys
import warnings

import pytest

ROOT = pathlib.Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))  # the conformance package lives beside gsci, not inside it

from conformance.families import FAMILIES  # noqa: E402
from conformance.run import Declared, cached_scipy_side, compare, declared_divergences, run_side  # noqa: E402
from conformance.sample import sampled  # noqa: E402
from conformance.swap import public_functions  # noqa: E402


def _listed(nodes, limit=60):
    lines = [
        f"  {node} ({test['outcome']}): {' '.join(test['message'].split())[:200]}"
        for node, test in list(nodes.items())[:limit]
    ]
    return "\n".join(lines + ([f"  ... and {len(nodes) - limit} more"] if len(nodes) > limit else []))


def test_every_public_function_is_in_exactly_one_family():
    in_families = [name for family in FAMILIES.values() for name in family.functions]
    assert sorted(set(public_functions()) - set(in_families)) == [], "public functions in no family"
    assert sorted(set(in_families) - set(public_functions())) == [], "family functions gsci does not export"
    assert len(in_families) == len(set(in_families)), "a function in two families"


def test_compare_tells_undeclared_declared_and_stale_divergences():
    def side(**outcomes):
        tests = {
            f"t.py::{name}": {"outcome": o, "library": "numpy", "message": ""} for name, o in outcomes.items()
        }
        return {"tests": tests}

    scipy_side = side(a="passed", b="passed", c="failed", d="xpassed", e="passed")
    gsci_side = side(a="failed", b="error", c="failed", d="skipped")  # e missing: not run
    declared = [
        Declared("f", ("t.py::b",), "signal.welch", "why", "phrase"),
        Declared("f", ("t.py::z[*]",), "signal.welch", "gone", "phrase"),
        Declared("other", ("t.py::a",), "signal.welch", "another family", "phrase"),
    ]
    comparison = compare("f", scipy_side, gsci_side, declared)
    assert list(comparison.divergences) == ["t.py::a", "t.py::b", "t.py::d", "t.py::e"]
    assert comparison.divergences["t.py::e"]["outcome"] == "not run"
    assert list(comparison.declared) == ["t.py::b"]
    assert list(comparison.undeclared) == ["t.py::a", "t.py::d", "t.py::e"]
    assert comparison.stale == [declared[1]]
    assert Declared("f", ("t.py::x[*-torch]",), "", "", "").matches("t.py::x[float32-torch]")
    assert not Declared("f", ("t.py::x[*]",), "", "", "").matches("t.py::x")


def test_sample_keeps_each_test_functions_first_case_per_library_and_is_order_free():
    nodes = [f"t.py::f[{i}]" for i in range(200)] + ["t.py::g[b]", "t.py::g[a]", "t.py::h"]
    nodes += [f"t.py::k[{xp}-{i}]" for xp in ("numpy", "torch") for i in range(9)]
    kept = sampled(nodes, 10)
    assert {"t.py::f[0]", "t.py::g[a]", "t.py::h", "t.py::k[numpy-0]", "t.py::k[torch-0]"} <= kept
    assert 10 < len(kept) < 50
    assert sampled(nodes[::-1], 10) == kept
    assert sampled(nodes, 1) == set(nodes)


@pytest.mark.parametrize(
    "entry", declared_divergences(), ids=lambda entry: f"{entry.family}-{entry.function}"
)
def test_declared_divergence_is_stated_in_the_docstring(entry):
    assert entry.family in FAMILIES
    assert entry.function in FAMILIES[entry.family].functions
    docstring = " ".join(inspect.getdoc(public_functions()[entry.function]).split())
    assert " ".join(entry.docstring.split()) in docstring


@pytest.mark.parametrize("family", FAMILIES)
def test_scipy_tests_pass_on_gsci_where_they_pass_on_scipy(family):
    every = FAMILIES[family].suite_sample
    gsci_side = run_side(family, "gsci", every)
    scipy_side = cached_scipy_side(family)
    if scipy_side is None:
        warnings.warn(
            f"{family}: no SciPy results cached for these versions; run python -m conformance", stacklevel=1
        )
        scipy_side = run_side(family, "scipy", every)
    kept = sampled(scipy_side["tests"], every)
    scipy_side = {**scipy_side, "tests": {node: t for node, t in scipy_side["tests"].items() if node in kept}}
    assert scipy_side["collected"] > 0 and gsci_side["collected"] > 0, f"{family} selects no test"
    expected = set(FAMILIES[family].functions) - set(FAMILIES[family].untested)
    uncalled = sorted(name for name in expected if not gsci_side["calls"].get(name))
    assert uncalled == [], f"{family}: no selected test calls {uncalled}"
    called_untested = sorted(name for name in FAMILIES[family].untested if gsci_side["calls"].get(name))
    assert called_untested == [], f"{family}: SciPy's tests call {called_untested}: not untested"
    comparison = compare(family, scipy_side, gsci_side, declared_divergences())
    problems = []
    if comparison.undeclared:
        problems.append(f"SciPy passes, gsci does not, undeclared:\n{_listed(comparison.undeclared)}")
    stale = [entry for entry in comparison.stale if any(map(entry.matches, scipy_side["tests"]))]  # sampled
    if stale:
        problems.append(f"declared divergences that no longer occur: {[e.tests for e in stale]}")
    assert not problems, f"{family}:\n" + "\n".join(problems)
