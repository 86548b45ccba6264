"""Time gsci against SciPy and print one Markdown table.

Usage: ``python benchmarks/run.py [--quick] [--libraries numpy,torch] [--output BENCHMARKS.md]``

Each case runs on every available library (NumPy and PyTorch on the CPU;
CuPy and PyTorch on CUDA when a GPU is visible). The SciPy column times
``scipy.<module>.<name>`` on the same data as NumPy arrays, measured in turns
with the gsci call so machine noise hits both alike; ratio = SciPy / gsci
(above 1: gsci is faster). On CuPy rows, ``cupyx.scipy`` is timed as well.
A function not written yet shows as "missing" instead of stopping the run.
"""

import argparse
import contextlib
import dataclasses
import datetime
import functools
import importlib
import inspect
import os
import pathlib
import platform
import sys
import timeit

import numpy as np
import scipy
import scipy.signal

import gsci
from gsci._lib._backends import current_backend
from gsci._lib._compat import array_namespace


@dataclasses.dataclass(frozen=True)
class Case:
    """One function on one input size: ``make(rng)`` gives NumPy arrays and keyword options."""

    module: str
    name: str
    label: str
    make: object

    @property
    def function(self):
        return f"{self.module}.{self.name}"


def _welch(n, nperseg):
    return lambda rng: ((rng.standard_normal(n),), {"nperseg": nperseg})


def _fftconvolve(n1, n2):
    return lambda rng: ((rng.standard_normal(n1), rng.standard_normal(n2)), {})


def _laplace(shape, dtype):
    return lambda rng: ((rng.standard_normal(shape).astype(dtype),), {})


def _sosfiltfilt(shape):
    """The issue's order-8 Butterworth band-pass (8 second-order sections), 20-500 Hz at 4096 Hz."""
    sos = scipy.signal.butter(8, [20, 500], btype="band", fs=4096, output="sos")
    return lambda rng: ((sos, rng.standard_normal(shape)), {})


CASES = (
    Case("signal", "welch", "n=2^21 nperseg=16384", _welch(2**21, 16384)),
    Case("signal", "welch", "n=2^21 nperseg=1024", _welch(2**21, 1024)),
    Case("signal", "welch", "n=2^16 nperseg=256", _welch(2**16, 256)),
    Case("signal", "welch", "n=1024 nperseg=256", _welch(1024, 256)),
    Case("signal", "fftconvolve", "2^21 x 4096", _fftconvolve(2**21, 4096)),
    Case("signal", "fftconvolve", "2^16 x 256", _fftconvolve(2**16, 256)),
    Case("signal", "fftconvolve", "1000 x 1000", _fftconvolve(1000, 1000)),
    Case("signal", "sosfiltfilt", "order 8 band-pass (1, 2^22)", _sosfiltfilt((1, 2**22))),
    Case("signal", "sosfiltfilt", "order 8 band-pass (64, 2^16)", _sosfiltfilt((64, 2**16))),
    Case("signal", "sosfiltfilt", "order 8 band-pass (1024, 4096)", _sosfiltfilt((1024, 4096))),
    Case("ndimage", "laplace", "2048x2048 float64", _laplace((2048, 2048), "float64")),
    Case("ndimage", "laplace", "2048x2048 float32", _laplace((2048, 2048), "float32")),
)


@dataclasses.dataclass(frozen=True)
class Library:
    """An array library on a device: converts NumPy inputs and waits for queued work."""

    name: str
    device: str
    convert: object
    synchronize: object = lambda: None


def available_libraries():
    """NumPy and PyTorch on the CPU, plus CuPy and PyTorch on CUDA when a GPU is visible."""
    libraries = [Library("numpy", "cpu", lambda a: a)]
    with contextlib.suppress(ImportError):
        import torch

        libraries.append(Library("torch", "cpu", torch.from_numpy))
        if torch.cuda.is_available():
            libraries.append(
                Library("torch", "cuda", lambda a: torch.from_numpy(a).cuda(), torch.cuda.synchronize)
            )
    with contextlib.suppress(Exception):  # no CuPy, or a CuPy that finds no driver
        import cupy

        if cupy.cuda.runtime.getDeviceCount() > 0:
            libraries.append(Library("cupy", "cuda", cupy.asarray, cupy.cuda.Device().synchronize))
    return libraries


class Missing(Exception):
    """The function does not exist (yet) in this library."""


def resolve(package, case):
    """``package.<module>.<name>`` (package: "gsci", "scipy" or "cupyx.scipy"), or raise `Missing`."""
    try:
        return getattr(importlib.import_module(f"{package}.{case.module}"), case.name)
    except (ImportError, AttributeError) as e:
        raise Missing(f"{package}.{case.function}") from e


def timed(function, args, kwargs, synchronize):
    """A no-argument callable running ``function`` once and waiting for its device."""

    def call():
        function(*args, **kwargs)
        synchronize()

    return call


def interleaved_minimum(calls, repeat, target_seconds):
    """Per-call seconds of each callable: the minimum over ``repeat`` rounds taken in turns.

    Every callable runs once first (warm-up, compilation, caches); each
    timing repeats a call often enough to last about ``target_seconds``.
    """
    numbers = []
    for call in calls:
        start = timeit.default_timer()
        call()
        once = max(timeit.default_timer() - start, 1e-7)
        numbers.append(max(1, round(target_seconds / once)))
    best = [float("inf")] * len(calls)
    for _ in range(repeat):
        for i, (call, number) in enumerate(zip(calls, numbers, strict=True)):
            best[i] = min(best[i], timeit.timeit(call, number=number) / number)
    return best


@dataclasses.dataclass
class Row:
    case: Case
    library: Library
    path: str = ""
    gsci: object = None  # seconds, or a note such as "missing"
    scipy: object = None
    cupyx: object = None


def measure(case, library, rng_seed, repeat, target_seconds):
    """One table row: gsci on ``library`` against SciPy on the same data in NumPy."""
    row = Row(case, library)
    host_args, kwargs = case.make(np.random.default_rng(rng_seed))
    scipy_call = timed(resolve("scipy", case), host_args, kwargs, lambda: None)
    try:
        function = resolve("gsci", case)
        args = tuple(library.convert(a) for a in host_args)
        row.path = function.declaration.path(current_backend(), library.name, library.device)
        calls = [timed(function, args, kwargs, library.synchronize), scipy_call]
        if library.name == "cupy":
            calls.append(timed(resolve("cupyx.scipy", case), args, kwargs, library.synchronize))
        times = interleaved_minimum(calls, repeat, target_seconds)
    except Missing as e:
        row.gsci = f"missing: {e}"
        (row.scipy,) = interleaved_minimum([scipy_call], repeat, target_seconds)
        return row
    except Exception as e:  # a broken function is a row to fix, not a reason to lose the table
        row.gsci = f"failed: {type(e).__name__}: {str(e)[:80]}"
        return row
    row.gsci, row.scipy = times[:2]
    row.cupyx = times[2] if len(times) > 2 else None
    return row


PIPELINE = Case("demo", "analyze", "GW150914 tutorial, H1 + L1, 32 s at 4096 Hz", None)


def ligo_event():
    """GW150914 from the LIGO open data (``$GSCI_DATA_DIR`` or a checkout's ``../shared/data/ligo``),
    else the synthetic event."""
    import gsci.datasets

    checkout = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "ligo"
    try:
        return gsci.datasets.ligo_event(data_dir=checkout if checkout.is_dir() else None, download=False)
    except FileNotFoundError:
        return gsci.datasets.synthetic_event()


def measure_pipeline(event, library, repeat, target_seconds):
    """The tutorial's whole analysis with `gsci.signal` on ``library`` against `scipy.signal` on NumPy."""
    from gsci.demo import DETECTORS, analyze

    converted = dataclasses.replace(
        event,
        strain={d: library.convert(event.strain[d]) for d in DETECTORS},
        h_plus=library.convert(event.h_plus),
        h_cross=library.convert(event.h_cross),
    )
    calls = [timed(analyze, (converted, gsci.signal), {}, library.synchronize)]
    calls.append(timed(analyze, (event, scipy.signal), {}, lambda: None))
    row = Row(PIPELINE, library, path="native")
    row.gsci, row.scipy = interleaved_minimum(calls, repeat, target_seconds)
    return row


def dispatch_overhead(repeat, target_seconds):
    """Microseconds of a 1024-sample welch through gsci's wrapper, and of its native function alone.

    Both under the "native" backend, so both run the same code: the
    difference is what binding, namespace discovery and path choice cost.
    """
    welch = resolve("gsci", Case("signal", "welch", "", None))
    x = np.random.default_rng(0).standard_normal(1024)
    bound = inspect.signature(welch).bind(x, nperseg=256)
    bound.apply_defaults()
    native = functools.partial(welch.declaration.native, **bound.arguments, xp=array_namespace(x))
    with gsci.backend("native"):
        public, direct = interleaved_minimum([lambda: welch(x, nperseg=256), native], repeat, target_seconds)
    return public * 1e6, direct * 1e6


def format_time(seconds):
    if not isinstance(seconds, float):
        return "—" if seconds is None else str(seconds)
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def format_ratio(row):
    if isinstance(row.gsci, float) and isinstance(row.scipy, float):
        return f"{row.scipy / row.gsci:.2f}x"
    return "—"


def table(rows):
    lines = [
        "| function | case | library | device | gsci path | gsci | SciPy (NumPy) | SciPy / gsci "
        "| cupyx.scipy |",
        "|---|---|---|---|---|---|---|---:|---|",
    ]
    for row in rows:
        cells = (
            row.case.function,
            row.case.label,
            row.library.name,
            row.library.device,
            row.path or "—",
            format_time(row.gsci),
            format_time(row.scipy),
            format_ratio(row),
            format_time(row.cupyx),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine():
    """One paragraph naming the CPU, GPU and library versions, and the date."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    versions = [f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    versions.append(f"SciPy {scipy.__version__}")
    gpu = "none"
    with contextlib.suppress(ImportError):
        import torch

        versions.append(f"PyTorch {torch.__version__}")
        if torch.cuda.is_available():
            gpu = torch.cuda.get_device_name()
    with contextlib.suppress(ImportError):
        import cupy

        versions.append(f"CuPy {cupy.__version__}")
    versions.append(f"gsci {gsci.__version__}")
    return (
        f"Machine: {cpu}, {os.cpu_count()} cores; GPU: {gpu}. {', '.join(versions)}. "
        f"Run on {datetime.date.today().isoformat()}."
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter repeats (noisier)")
    parser.add_argument("--libraries", help="comma-separated subset of numpy,torch,cupy (default: all found)")
    parser.add_argument("--only", help="run only the cases whose function name contains this text")
    parser.add_argument("--output", help="also write the table, with a header naming the machine, here")
    options = parser.parse_args(argv)
    repeat, target = (3, 0.02) if options.quick else (9, 0.2)
    libraries = available_libraries()
    if options.libraries:
        libraries = [lib for lib in libraries if lib.name in options.libraries.split(",")]
    rows = []
    for case in CASES:
        if options.only and options.only not in case.function:
            continue
        for library in libraries:
            rows.append(measure(case, library, 0, repeat, target))
            print(f"{case.function} {case.label} {library.name}/{library.device}: done", file=sys.stderr)
    if not options.only or options.only in PIPELINE.function:
        event = ligo_event()
        for library in libraries:
            rows.append(measure_pipeline(event, library, repeat, target))
            print(f"{PIPELINE.function} {library.name}/{library.device}: done", file=sys.stderr)
    try:
        public, direct = dispatch_overhead(repeat, target)
        overhead = (
            f'Dispatch overhead, `welch` on 1024 NumPy samples (nperseg=256, backend "native"): '
            f"{public:.1f} µs per call through gsci, {direct:.1f} µs calling its native function "
            f"directly, so {public - direct:.1f} µs of dispatch."
        )
    except Missing as e:
        overhead = f"Dispatch overhead: not measured ({e} is missing)."
    report = f"{table(rows)}\n\n{overhead}\n"
    print(report)
    if options.output:
        with open(options.output, "w") as out:
            out.write(f"# gsci benchmarks\n\n{machine()}\n\n{_legend()}\n\n{report}")


def _legend():
    return (
        "Times are the minimum over repeated runs, gsci and SciPy measured in turns on the same data "
        "(SciPy always on NumPy on the CPU). SciPy / gsci above 1 means gsci is faster. "
        "The `demo.analyze` rows time the whole GW150914 tutorial (`gsci.demo.analyze`) with "
        "`gsci.signal` on each library against the same code with `scipy.signal` on NumPy. "
        "`python benchmarks/run.py --output BENCHMARKS.md` regenerates this file."
    )


if __name__ == "__main__":
    main()
