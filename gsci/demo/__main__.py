"""``python -m gsci.demo``: the LIGO GW150914 tutorial with gsci on every array library installed.

Loads the GWOSC data of GW150914, downloaded (about 3 MB) into the cache on the first run (offline or
with ``--offline``: a synthetic event, saying why); runs the tutorial's analysis with `scipy.signal` on
NumPy as the reference and with `gsci.signal` on NumPy, torch, JAX and, when a GPU is visible, CuPy
and torch CUDA; prints each detector's SNR, time of peak, effective distance and horizon with the
wall time per library, saves the figures, and exits with status 1 if a library's results differ from
the reference by more than 1e-6 (relative).
"""

import argparse
import dataclasses
import importlib.util
import math
import os
import pathlib
import sys
import time

import numpy as np
import scipy.signal

import gsci
import gsci.datasets
import gsci.signal
from gsci.demo._pipeline import DETECTORS, analyze

TOLERANCE = 1e-6
REPEATS = 2
DEFAULT_OUTPUT = "gsci-demo-figures"


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m gsci.demo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", default=DEFAULT_OUTPUT, help=f"folder for the figures (default ./{DEFAULT_OUTPUT})"
    )
    parser.add_argument("--data-dir", help="folder holding the GWOSC files (default: see below)")
    parser.add_argument(
        "--offline", action="store_true", help="never download; without the files, use the synthetic event"
    )
    parser.epilog = (
        "Data are looked up in --data-dir (else, in a checkout, ../shared/data/ligo beside the repository), "
        "$GSCI_DATA_DIR and the user cache ($XDG_CACHE_HOME/gsci, default ~/.cache/gsci); files found "
        "nowhere are downloaded into the cache from https://gwosc.org/s/events/ (or $GSCI_GWOSC_URL) and "
        "checked against their sha256. Offline or unreachable, the demo says why and uses a synthetic event."
    )
    return parser.parse_args(argv)


def _checkout_data_dir():
    """``../shared/data/ligo`` relative to the repository, when gsci runs from a checkout."""
    root = pathlib.Path(gsci.__file__).resolve().parent.parent
    folder = root.parent / "shared" / "data" / "ligo"
    return folder if (root / "pyproject.toml").is_file() and folder.is_dir() else None


def _event(data_dir, offline):
    """(event, description): GW150914 from the files found or downloaded, else the synthetic event.

    Any reason the files cannot be had (offline, unreachable, a checksum mismatch, no h5py) is printed,
    and the synthetic event is used instead.
    """
    data_dir = data_dir or _checkout_data_dir()
    try:
        event = gsci.datasets.ligo_event("GW150914", data_dir=data_dir, download=not offline)
    except (OSError, ImportError) as e:
        unless = " and --offline forbids downloading them" if offline else ""
        print(f"No GW150914 data{unless}: {e}")
        print("Using the synthetic event instead (gsci.datasets.synthetic_event).\n")
        return gsci.datasets.synthetic_event(), "synthetic event: Gaussian noise + injected chirp, SNR 20"
    return event, f"LIGO open data of GW150914 ({event.name}, GWOSC, CC BY 4.0)"


def _libraries():
    """(label, to_library, synchronize) for each array library present, NumPy first."""
    yield "numpy", lambda a: a, lambda result: None
    if importlib.util.find_spec("torch"):
        import torch

        yield "torch cpu", torch.from_numpy, lambda result: None
        if torch.cuda.is_available():
            yield "torch cuda", lambda a: torch.from_numpy(a).cuda(), lambda result: torch.cuda.synchronize()
    if importlib.util.find_spec("jax"):
        import jax

        jax.config.update("jax_enable_x64", True)
        yield "jax", jax.numpy.asarray, lambda result: jax.block_until_ready(list(result.arrays().values()))
    if importlib.util.find_spec("cupy"):
        import cupy

        if cupy.cuda.runtime.getDeviceCount():
            yield "cupy", cupy.asarray, lambda result: cupy.cuda.Device().synchronize()


def _converted(event, to_library):
    """``event`` with every array converted by ``to_library``."""
    return dataclasses.replace(
        event,
        strain={detector: to_library(event.strain[detector]) for detector in DETECTORS},
        h_plus=to_library(event.h_plus),
        h_cross=to_library(event.h_cross),
    )


def _timed(event, signal, label, synchronize):
    """(analysis on the host, first run's seconds, best seconds of the repeats), printing each step."""

    def step(name):
        print(f"  {label}: {name}", flush=True)

    start = time.perf_counter()
    result = analyze(event, signal, progress=step)
    synchronize(result)
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        synchronize(analyze(event, signal))
        best = min(best, time.perf_counter() - start)
    return result.on_host(), first, best


def _relative_differences(result, reference, gps_start):
    """Largest difference of each array from the reference, relative to the reference's largest value.

    A NaN or infinity where the reference has none is an infinite difference.
    """
    got, expected = result.arrays(), reference.arrays()
    # GPS times are ~1e9 s: compare seconds from the start, where a sample is 1/4096 of the scale
    got["peak_time"], expected["peak_time"] = got["peak_time"] - gps_start, expected["peak_time"] - gps_start
    differences = {}
    for name, value in expected.items():
        error = np.max(np.abs(got[name] - value)) / max(np.max(np.abs(value)), 1e-300)
        differences[name] = float(error) if np.isfinite(error) else math.inf
    return differences


def _print_rows(label, result, first, best, worst):
    matched = result.matched
    for row, detector in enumerate(DETECTORS):
        check = "reference" if worst is None else f"{worst:.1e}"
        print(
            f"{label:22} {detector:3} {matched.peak_snr[row]:7.2f} {result.peak_time[row]:17.4f} "
            f"{matched.d_eff[row]:8.1f} {matched.horizon[row]:8.1f} {first:8.3f} {best:8.3f}  {check}"
        )


def _save_figures(label, result, event, output):
    if importlib.util.find_spec("matplotlib") is None:
        print("matplotlib is not installed: no figures (pip install matplotlib)")
        return
    import matplotlib

    matplotlib.use("Agg")
    from gsci.demo._figures import save_figures

    paths = save_figures(result, event, pathlib.Path(output))
    print(f"Figures of the {label} run written to {os.path.abspath(output)}:")
    print(f"  {', '.join(path.name for path in paths)}")


def main(argv=None):
    """Run the demo; returns the exit status: 0 when every library agrees with the reference."""
    options = _arguments(argv)
    event, description = _event(options.data_dir, options.offline)
    print(f"gsci {gsci.__version__}: the GWOSC tutorial's analysis of {description}")
    print(f"Every library's results are checked against NumPy + scipy.signal (tolerance {TOLERANCE:g}).\n")
    runs = [("numpy + scipy.signal", event, scipy.signal, lambda result: None)]
    runs += [
        (f"{label} + gsci", _converted(event, convert), gsci.signal, sync)
        for label, convert, sync in _libraries()
    ]
    results = []
    for label, library_event, signal, synchronize in runs:
        print(f"{label}:", flush=True)
        results.append((label, *_timed(library_event, signal, label, synchronize)))
    reference = results[0][1]
    header = f"{'library':22} {'det':3} {'SNR':>7} {'time of peak (GPS)':>17} {'D_eff':>8} {'horizon':>8}"
    print(f"\n{header} {'first s':>8} {'best s':>8}  max rel. diff")
    print(f"{'':22} {'':3} {'':>7} {'':>17} {'Mpc':>8} {'Mpc':>8} {'':>8} {f'of {REPEATS}':>8}")
    failed = []
    for index, (label, result, first, best) in enumerate(results):
        differences = None if index == 0 else _relative_differences(result, reference, event.gps_start)
        worst = None if differences is None else max(differences.values())
        _print_rows(label, result, first, best, worst)
        if worst is not None and worst > TOLERANCE:
            failed.append(f"{label}: {', '.join(n for n, d in differences.items() if d > TOLERANCE)}")
    print()
    _save_figures(results[-1][0], results[-1][1], event, options.output)
    if failed:
        print(f"\nDISAGREEMENT with NumPy + scipy.signal beyond {TOLERANCE:g}: {'; '.join(failed)}")
        return 1
    print(f"\nEvery library agrees with NumPy + scipy.signal within {TOLERANCE:g}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
