"""``python -m conformance [-j N] [--refresh-scipy] [FAMILY ...]``: run, compare, write CONFORMANCE.md.

Exits 1 when a divergence is undeclared or a declaration is stale. CONFORMANCE.md is
written when every family ran.
"""

import argparse
import concurrent.futures
import datetime
import sys

from conformance.families import FAMILIES
from conformance.report import markdown
from conformance.run import ROOT, cached_scipy_side, compare, declared_divergences, run_side, save_scipy_sides


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__.split("\n")[0])
    parser.add_argument("families", nargs="*", metavar="FAMILY", help=f"default: all of {list(FAMILIES)}")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="pytest processes at a time (default 1)")
    parser.add_argument("--refresh-scipy", action="store_true", help="rerun SciPy's side even when cached")
    arguments = parser.parse_args(argv)
    unknown = set(arguments.families) - set(FAMILIES)
    if unknown:
        parser.error(f"unknown families {sorted(unknown)}; choose from {list(FAMILIES)}")
    return arguments


def main(argv=None):
    arguments = _arguments(argv)
    names = arguments.families or list(FAMILIES)
    scipy_sides = {} if arguments.refresh_scipy else {name: cached_scipy_side(name) for name in names}
    with concurrent.futures.ThreadPoolExecutor(arguments.jobs) as pool:
        gsci_jobs = {name: pool.submit(run_side, name, "gsci") for name in names}
        scipy_jobs = {
            name: pool.submit(run_side, name, "scipy") for name in names if not scipy_sides.get(name)
        }
        fresh = {name: job.result() for name, job in scipy_jobs.items()}
        gsci_sides = {name: job.result() for name, job in gsci_jobs.items()}
    save_scipy_sides(fresh)
    scipy_sides.update(fresh)
    declared = declared_divergences()
    comparisons = [compare(name, scipy_sides[name], gsci_sides[name], declared) for name in names]
    for c in comparisons:
        counts = f"{len(c.divergences)} divergences, {len(c.undeclared)} undeclared, {len(c.stale)} stale"
        times = f"{c.scipy['collected']} tests, SciPy {c.scipy['seconds']} s, gsci {c.gsci['seconds']} s"
        print(f"{c.family}: {counts}; {times}")
        for node, test in c.undeclared.items():
            print(f"  undeclared: {node}: {test['outcome']}: {test['message'][:300]}")
    if set(names) == set(FAMILIES):
        (ROOT / "CONFORMANCE.md").write_text(markdown(comparisons, datetime.date.today().isoformat()))
        print(f"wrote {ROOT / 'CONFORMANCE.md'}")
    return int(any(c.undeclared or c.stale for c in comparisons))


if __name__ == "__main__":
    sys.exit(main())
