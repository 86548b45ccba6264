"""gsci on a signal larger than any worker's memory: Dask on a LocalCluster, and the table in BENCHMARKS.md.

Usage: ``python benchmarks/dask_scale.py [--log2-samples 28] [--output BENCHMARKS.md]``

A cluster of 2 worker processes (1 thread, ``memory_limit="1GiB"`` each)
processes a float64 signal of ``2**28`` samples (2 GiB, chunks of ``2**22``)
generated lazily by ``dask.array.random``: `welch` (nperseg ``2**14``),
`sosfiltfilt` (order-8 band-pass) and `fftconvolve` (4096 taps, "same"), the
last two reduced to their mean square so that the output is not gathered.
Each row reports the wall time, the largest memory any worker reported while
it ran (sampled from the scheduler every 0.2 s), the number of tasks, and the
same computation on a ``2**26``-sample NumPy array in this process, scaled by
the ratio of lengths. Before timing, each function is
checked on the cluster against SciPy on the first ``2**24`` samples in memory.
"""

import argparse
import contextlib
import pathlib
import threading
import time

import dask.array as da
import distributed
import numpy as np
import scipy.signal

import gsci.signal

SECTION = "## Larger than memory: Dask on a LocalCluster"
SOS = scipy.signal.butter(8, [0.1, 0.3], btype="band", output="sos")
CHUNK = 2**22
WORKER_MEMORY = 2**30


def _welch(x, signal):
    return signal.welch(x, nperseg=2**14)[1]


def _sosfiltfilt_mean_square(x, signal):
    y = signal.sosfiltfilt(SOS, x)
    return (y**2).mean()


def _fftconvolve_mean_square(x, signal):
    taps = np.hanning(4096) / 2048
    taps = da.from_array(taps) if isinstance(x, da.Array) else taps  # both operands of one library
    y = signal.fftconvolve(x, taps, mode="same")
    return (y**2).mean()


CASES = {
    "welch nperseg=2^14": _welch,
    "sosfiltfilt order 8, mean square": _sosfiltfilt_mean_square,
    "fftconvolve 4096 taps same, mean square": _fftconvolve_mean_square,
}


@contextlib.contextmanager
def _peak_worker_memory(client, found):
    """Sample every worker's memory from the scheduler while the block runs; the peak goes in ``found``."""
    done = threading.Event()

    def sample():
        while not done.is_set():
            workers = client.scheduler_info()["workers"].values()
            found.append(max(w["metrics"]["memory"] for w in workers))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield
    finally:
        done.set()
        sampler.join()


def _checked(client, function, signal):
    """The function on the cluster equals SciPy's in memory on a signal of ``2**24`` samples."""
    x = da.random.default_rng(1).standard_normal(2**24, chunks=CHUNK)
    expected = function(x.compute(), scipy.signal)
    got = client.compute(function(x, gsci.signal)).result()
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12 * np.max(np.abs(expected)))


def _in_memory(function, log2_samples):
    """Seconds for the same computation on a ``2**26``-sample NumPy array, scaled to ``2**log2_samples``."""
    x = np.random.default_rng(2).standard_normal(2**26)
    start = time.perf_counter()
    function(x, gsci.signal)
    return (time.perf_counter() - start) * 2.0 ** (log2_samples - 26)


def measure(log2_samples):
    rows = []
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit=WORKER_MEMORY,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        x = da.random.default_rng(0).standard_normal(2**log2_samples, chunks=CHUNK)
        for name, function in CASES.items():
            _checked(client, function, gsci.signal)
            lazy = function(x, gsci.signal)
            peaks = []
            with _peak_worker_memory(client, peaks):
                start = time.perf_counter()
                value = client.compute(lazy).result()
                seconds = time.perf_counter() - start
            assert np.all(np.isfinite(value)), name
            rows.append(
                {
                    "case": name,
                    "seconds": seconds,
                    "peak": max(peaks),
                    "tasks": len(lazy.__dask_graph__()),
                    "numpy": _in_memory(function, log2_samples),
                }
            )
    return rows


def table(rows, log2_samples):
    signal_bytes = 8 * 2**log2_samples
    lines = [
        SECTION,
        "",
        f"{2**log2_samples:,} float64 samples ({signal_bytes / 2**30:.1f} GiB, chunks of 2^22) from "
        "`dask.array.random` on a LocalCluster of 2 worker processes, 1 thread and "
        f"`memory_limit={WORKER_MEMORY / 2**30:.0f}GiB` each (`python benchmarks/dask_scale.py`). "
        '"peak worker memory" is the most any worker reported while the call ran; "in memory, '
        'scaled" is gsci on a 2^26-sample NumPy array in one process times the ratio of lengths. '
        "Each function was first checked on the cluster against SciPy on 2^24 samples in memory.",
        "",
        "| computation | wall time | peak worker memory | tasks | in memory, scaled |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['seconds']:.1f} s | {r['peak'] / 2**20:.0f} MiB "
            f"(limit {WORKER_MEMORY / 2**20:.0f}) | {r['tasks']} | {r['numpy']:.1f} s |"
        )
    return "\n".join(lines) + "\n"


def replaced_section(text, section):
    """``text`` with its scale section (from its header to the next ``## `` or the end) replaced."""
    start = text.find(SECTION)
    if start < 0:
        return text.rstrip() + "\n\n" + section
    end = text.find("\n## ", start + len(SECTION))
    return text[:start] + section + ("" if end < 0 else text[end:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log2-samples", type=int, default=28)
    parser.add_argument("--output", help="replace (or add) this section of the given file")
    options = parser.parse_args(argv)
    section = table(measure(options.log2_samples), options.log2_samples)
    print(section)
    if options.output:
        path = pathlib.Path(options.output)
        path.write_text(replaced_section(path.read_text() if path.exists() else "", section))


if __name__ == "__main__":
    main()
