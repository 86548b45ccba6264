"""Time gsci against SciPy and write BENCHMARKS.md.

Usage: ``python benchmarks/run.py [--quick] [--only TEXT] [--output BENCHMARKS.md]``

Two tables. The main one runs each case on every available library (NumPy
and PyTorch on the CPU; CuPy and PyTorch on CUDA when a GPU is visible). The
SciPy column times ``scipy.<module>.<name>`` on the same data as NumPy
arrays, measured in turns with the gsci call so machine noise hits both
alike; ratio = SciPy / gsci (above 1: gsci is faster). On CuPy rows,
``cupyx.scipy`` is timed as well. The fixed-cost table (`fixed_cost.py`)
has a tiny and a large NumPy case for every public function, and the
dispatcher's own cost per function.

Every NumPy case runs twice, in two fresh processes: one that never
imports torch, and one where torch has run work first (its thread pool
then competes with SciPy's and Numba's). A function not written yet shows
as "missing" instead of stopping the run.
"""

import argparse
import contextlib
import dataclasses
import datetime
import importlib
import inspect
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
import timeit
import tracemalloc

import fixed_cost
import numpy as np
import scipy
import scipy.signal

import gsci
from gsci._lib._backends import current_backend


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


WEIGHTS_5X5 = np.random.default_rng(5).standard_normal((5, 5))
_ROTATE_AND_SCALE = np.array([[0.9, -0.3], [0.35, 1.05]])
_DIVISOR = np.r_[8.0, np.random.default_rng(6).standard_normal(63) / 64]  # a stable divisor of 64 taps


def _filtered_image(shape, dtype, *args, **options):
    return lambda rng: ((rng.standard_normal(shape).astype(dtype), *args), options)


def _random(*shapes, extra=(), **options):
    """Random arrays of ``shapes``, then the positional ``extra``, and keyword ``options``."""
    return lambda rng: ((*(rng.standard_normal(shape) for shape in shapes), *extra), options)


def _sosfiltfilt(shape):
    """The issue's order-8 Butterworth band-pass (8 second-order sections), 20-500 Hz at 4096 Hz."""
    sos = scipy.signal.butter(8, [20, 500], btype="band", fs=4096, output="sos")
    return lambda rng: ((sos, rng.standard_normal(shape)), {})


def _binary(shape, density=0.5, **options):
    """A random binary image, True with probability ``density``."""
    return lambda rng: ((rng.random(shape) < density,), options)


def _grey_image(shape, dtype, **options):
    return lambda rng: (((rng.standard_normal(shape) * 100).astype(dtype),), options)


def _labelled(shape, count):
    """Values and ``count`` random labels (0 the background), with ``index`` every label."""

    def make(rng):
        labels = rng.integers(0, count + 1, shape)
        return (rng.standard_normal(shape), labels, np.arange(1, count + 1)), {}

    return make


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
    Case(
        "ndimage",
        "gaussian_filter",
        "2048x2048 float64 sigma=3",
        _filtered_image((2048, 2048), "float64", 3.0),
    ),
    Case(
        "ndimage",
        "gaussian_filter",
        "2048x2048 float32 sigma=3",
        _filtered_image((2048, 2048), "float32", 3.0),
    ),
    Case(
        "ndimage", "uniform_filter", "2048x2048 float64 size=9", _filtered_image((2048, 2048), "float64", 9)
    ),
    Case("ndimage", "sobel", "2048x2048 float64", _filtered_image((2048, 2048), "float64")),
    Case(
        "ndimage",
        "correlate",
        "2048x2048 float64, 5x5",
        _filtered_image((2048, 2048), "float64", WEIGHTS_5X5),
    ),
    Case(
        "ndimage",
        "median_filter",
        "1024x1024 float64 size=5",
        _filtered_image((1024, 1024), "float64", size=5),
    ),
    Case(
        "ndimage",
        "median_filter",
        "1024x1024 float64 size=15",
        _filtered_image((1024, 1024), "float64", size=15),
    ),
    Case(
        "ndimage",
        "minimum_filter",
        "2048x2048 float64 size=9",
        _filtered_image((2048, 2048), "float64", size=9),
    ),
    Case(
        "ndimage",
        "percentile_filter",
        "1024x1024 float64 size=7",
        _filtered_image((1024, 1024), "float64", 30, size=7),
    ),
    Case(
        "ndimage",
        "fourier_gaussian",
        "2048x2048 complex128",
        _filtered_image((2048, 2048), "complex128", 3.0),
    ),
    Case("signal", "convolve", "2^16 x 64 direct", _random(2**16, 64, method="direct")),
    Case("signal", "correlate", "2^20 x 4096 auto", _random(2**20, 4096)),
    Case("signal", "convolve2d", "512x512 with 5x5", _random((512, 512), (5, 5))),
    Case(
        "signal",
        "correlate2d",
        "512x512 with 5x5 same symm",
        _random((512, 512), (5, 5), mode="same", boundary="symm"),
    ),
    Case("signal", "oaconvolve", "2^20 x 512", _random(2**20, 512)),
    Case("signal", "upfirdn", "2^22, 63 taps, up=2 down=3", _random(63, 2**22, up=2, down=3)),
    Case("signal", "resample_poly", "2^22 up=3 down=2", _random(2**22, extra=(3, 2))),
    Case("signal", "decimate", "2^22 q=8 iir zero-phase", _random(2**22, extra=(8,))),
    Case("signal", "resample", "2^20 -> 3*2^19", _random(2**20, extra=(3 * 2**19,))),
    Case("signal", "savgol_filter", "2^22 window 31 order 3", _random(2**22, extra=(31, 3))),
    Case("signal", "medfilt", "2^20 kernel 11", _random(2**20, extra=(11,))),
    Case("signal", "medfilt2d", "1024x1024 kernel 5", _random((1024, 1024), extra=(5,))),
    Case("signal", "order_filter", "1024x1024 3x3 rank 4", _random((1024, 1024), extra=(np.ones((3, 3)), 4))),
    Case("signal", "wiener", "1024x1024 mysize 5", _random((1024, 1024), extra=(5,))),
    Case("signal", "envelope", "2^20", _random(2**20)),
    Case("signal", "hilbert2", "1024x1024", _random((1024, 1024))),
    Case("signal", "deconvolve", "2^16 / 64 taps", lambda rng: ((rng.standard_normal(2**16), _DIVISOR), {})),
    Case(
        "signal",
        "find_peaks",
        "2^22 distance=100 prominence=1",
        _random(2**22, distance=100, prominence=1),
    ),
    Case("signal", "coherence", "2^21 nperseg=1024", _random(2**21, 2**21, nperseg=1024)),
    Case("signal", "lombscargle", "10^4 samples x 10^4 frequencies", fixed_cost.uneven_samples(10**4, 10**4)),
    Case("signal", "chirp", "2^22 linear", fixed_cost.sample_times(2**22, 1, 1, 100)),
    Case("ndimage", "binary_erosion", "2048x2048 3x3 cross", _binary((2048, 2048))),
    Case(
        "ndimage", "binary_dilation", "2048x2048 3x3 cross iterations=5", _binary((2048, 2048), iterations=5)
    ),
    Case("ndimage", "binary_fill_holes", "2048x2048 density 0.5", _binary((2048, 2048))),
    Case("ndimage", "grey_erosion", "2048x2048 float64 size=7", _grey_image((2048, 2048), "float64", size=7)),
    Case("ndimage", "grey_erosion", "2048x2048 int32 size=7", _grey_image((2048, 2048), "int32", size=7)),
    Case(
        "ndimage",
        "grey_erosion",
        "2048x2048 float64 3x3 structure",
        _grey_image((2048, 2048), "float64", structure=np.arange(9.0).reshape(3, 3) / 4),
    ),
    Case("ndimage", "label", "2048x2048 density 0.5", _binary((2048, 2048))),
    Case("ndimage", "sum_labels", "2048x2048 10^4 labels", _labelled((2048, 2048), 10**4)),
    Case("ndimage", "mean", "2048x2048 10^4 labels", _labelled((2048, 2048), 10**4)),
    Case("ndimage", "distance_transform_edt", "1024x1024 density 0.5", _binary((1024, 1024))),
    Case("ndimage", "distance_transform_edt", "1024x1024 density 0.999", _binary((1024, 1024), 0.999)),
    Case("ndimage", "spline_filter", "1024x1024 order 3", _filtered_image((1024, 1024), "float64")),
    Case("ndimage", "zoom", "1024x1024 x2 order 3", _filtered_image((1024, 1024), "float64", 2.0)),
    Case("ndimage", "rotate", "1024x1024 30 degrees order 3", _filtered_image((1024, 1024), "float64", 30.0)),
    Case(
        "ndimage",
        "shift",
        "1024x1024 (10.3, -5.7) order 3",
        _filtered_image((1024, 1024), "float64", (10.3, -5.7)),
    ),
    Case(
        "ndimage",
        "map_coordinates",
        "10^6 points order 3 on 1024x1024",
        lambda rng: ((rng.standard_normal((1024, 1024)), rng.uniform(-8, 1032, (2, 10**6))), {}),
    ),
    Case(
        "ndimage",
        "affine_transform",
        "1024x1024 rotation and scale order 1",
        _filtered_image((1024, 1024), "float64", _ROTATE_AND_SCALE, order=1),
    ),
)


@dataclasses.dataclass(frozen=True)
class Library:
    """An array library on a device: converts NumPy inputs and waits for queued work."""

    name: str
    device: str
    convert: object
    synchronize: object = lambda: None


def available_libraries(wanted):
    """The libraries named in ``wanted`` that are here: NumPy, PyTorch (CPU, and CUDA), CuPy.

    torch is imported only when asked for: a NumPy measurement stays free of its threads.
    """
    libraries = [Library("numpy", "cpu", lambda a: a)]
    if "torch" in wanted:
        with contextlib.suppress(ImportError):
            import torch

            libraries.append(Library("torch", "cpu", torch.from_numpy))
            if torch.cuda.is_available():
                libraries.append(
                    Library("torch", "cuda", lambda a: torch.from_numpy(a).cuda(), torch.cuda.synchronize)
                )
    if "cupy" in wanted:
        with contextlib.suppress(Exception):  # no CuPy, or a CuPy that finds no driver
            import cupy

            if cupy.cuda.runtime.getDeviceCount() > 0:
                libraries.append(Library("cupy", "cuda", cupy.asarray, cupy.cuda.Device().synchronize))
    return [library for library in libraries if library.name in wanted]


def run_torch_work():
    """Work on torch's CPU thread pool, as a process that used torch before calling gsci on NumPy."""
    import torch

    a = torch.randn(1024, 1024)
    for _ in range(3):
        (a @ a).sum()
        torch.fft.rfft(torch.randn(8, 2**16)).abs().sum()


class Missing(Exception):
    """The function does not exist (yet) in this library."""


def resolve(package, function):
    """``package.<function>`` (package: "gsci", "scipy" or "cupyx.scipy"), or raise `Missing`."""
    module, name = function.rsplit(".", 1)
    try:
        return getattr(importlib.import_module(f"{package}.{module}"), name)
    except (ImportError, AttributeError) as e:
        raise Missing(f"{package}.{function}") from e


def timed(function, args, kwargs, synchronize):
    """A no-argument callable running ``function`` once and waiting for its device."""

    def call():
        function(*args, **kwargs)
        synchronize()

    return call


def interleaved_minimum(calls, repeat, target_seconds):
    """Per-call seconds of each callable: the minimum over ``repeat`` rounds taken in turns.

    Every callable runs once first (warm-up, compilation, caches), then once
    more, timed, to size the timings: each repeats a call often enough to last
    about ``target_seconds``. (Sized by the first call, which may compile, a
    fast call was timed one call at a time: noise of tens of microseconds.)
    """
    numbers = []
    for call in calls:
        call()
        start = timeit.default_timer()
        call()
        once = max(timeit.default_timer() - start, 1e-7)
        numbers.append(max(1, round(target_seconds / once)))
    best = [float("inf")] * len(calls)
    for _ in range(repeat):
        for i, (call, number) in enumerate(zip(calls, numbers, strict=True)):
            best[i] = min(best[i], timeit.timeit(call, number=number) / number)
    return best


def measure(function, label, make, library, repeat, target_seconds):
    """One table row (a dict): gsci on ``library`` against SciPy on the same data in NumPy."""
    row = {"function": function, "case": label, "library": library.name, "device": library.device}
    host_args, kwargs = make(np.random.default_rng(0))
    scipy_call = timed(resolve("scipy", function), host_args, kwargs, lambda: None)
    try:
        ours = resolve("gsci", function)
        args = tuple(library.convert(a) if isinstance(a, np.ndarray) else a for a in host_args)
        row["path"] = route(ours, library, args, kwargs)
        calls = [timed(ours, args, kwargs, library.synchronize), scipy_call]
        if library.name == "cupy":
            calls.append(timed(resolve("cupyx.scipy", function), args, kwargs, library.synchronize))
        times = interleaved_minimum(calls, repeat, target_seconds)
    except Missing as e:
        row["gsci"] = f"missing: {e}"
        (row["scipy"],) = interleaved_minimum([scipy_call], repeat, target_seconds)
        return row
    except Exception as e:  # a broken function is a row to fix, not a reason to lose the table
        row["gsci"] = f"failed: {type(e).__name__}: {str(e)[:80]}"
        return row
    row["gsci"], row["scipy"] = times[:2]
    row["cupyx"] = times[2] if len(times) > 2 else None
    if library.name == "numpy":
        row["memory"] = peak_memory(ours, args, kwargs)
    return row


def peak_memory(function, args, kwargs):
    """The peak of memory one call allocates (tracemalloc: NumPy's arrays, not Numba's task buffers),
    as a multiple of its array arguments' size."""
    size = sum(a.nbytes for a in args if isinstance(a, np.ndarray))
    tracemalloc.start()
    try:
        function(*args, **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / size if size else None


def route(function, library, args, kwargs):
    """The path this call takes under the backend in force: native, kernel or scipy ("host" undeclared)."""
    declaration = getattr(function, "declaration", None)
    if declaration is None:  # filter design and windows: NumPy calls of design and dpss are SciPy's own
        if function.__module__.endswith("_filter_design"):
            return "scipy" if library.name == "numpy" else "host"
        return "scipy" if library.name == "numpy" and function.__name__ in ("dpss", "tukey") else "native"
    path = declaration.path(current_backend(), library.name, library.device)
    if path == "native" and library.name == "numpy" and declaration.scipy_when is not None:
        bound = inspect.signature(function).bind(*args, **kwargs)
        data = [bound.arguments.get(name) for name in declaration.arrays]
        if all(d is None or isinstance(d, np.ndarray) for d in data) and declaration.scipy_when(*data):
            return "scipy"
    return path


PIPELINE = ("demo.analyze", "GW150914 tutorial, H1 + L1, 32 s at 4096 Hz")


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
    row = {"function": PIPELINE[0], "case": PIPELINE[1], "library": library.name, "device": library.device}
    row["path"] = "native"
    row["gsci"], row["scipy"] = interleaved_minimum(calls, repeat, target_seconds)
    return row


def dispatch_overheads(repeat):
    """Per public function: microseconds of a call through its gsci wrapper, and of its native function.

    The wrapper is rebuilt by `gsci_function` from the function's own
    declaration and signature around a native function that returns at once,
    so the difference is exactly what binding, type checks and the path
    choice cost (on a small NumPy input, the fast path).
    """
    from gsci._lib._arrays import namespace_of
    from gsci._lib._dispatch import declarations, gsci_function

    xp = namespace_of({})
    overheads = {}
    for name, declaration in declarations().items():
        cases = [case for function, _, case in fixed_cost.cases() if function == name]
        if not cases:
            continue
        args, kwargs = cases[-1](np.random.default_rng(0))  # the large case: native under "auto"

        def native(*args, xp, **kwargs):
            return None

        native.__signature__ = inspect.signature(declaration.native)
        native.__name__ = declaration.name
        public = gsci_function(
            declaration.module,
            declaration.arrays,
            operators=declaration.operators,
            kernel=declaration.kernel,
        )(native)  # no SciPy route: the wrapper's checks, then the native function
        through = timed(public, args, kwargs, lambda: None)
        direct = timed(native, args, {**kwargs, "xp": xp}, lambda: None)
        timings = interleaved_minimum([through, direct], repeat, 0.02)
        overheads[name] = tuple(t * 1e6 for t in timings)
    return overheads


def format_time(seconds):
    if not isinstance(seconds, float):
        return "—" if seconds is None else str(seconds)
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def ratio(row):
    if row is not None and isinstance(row.get("gsci"), float) and isinstance(row.get("scipy"), float):
        return f"{row['scipy'] / row['gsci']:.2f}x"
    return "—"


def main_table(rows, after_torch):
    lines = [
        "| function | case | library | device | gsci path | gsci | SciPy (NumPy) | SciPy / gsci "
        "| after torch | cupyx.scipy | peak memory |",
        "|---|---|---|---|---|---|---|---:|---:|---|---:|",
    ]
    for row in rows:
        cells = (
            row["function"],
            row["case"],
            row["library"],
            row["device"],
            row.get("path") or "—",
            format_time(row.get("gsci")),
            format_time(row.get("scipy")),
            ratio(row),
            ratio(after_torch.get(_key(row))),
            format_time(row.get("cupyx")),
            "—" if row.get("memory") is None else f"{row['memory']:.2f}x",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fixed_cost_table(rows, after_torch, overheads):
    lines = [
        "| function | case | gsci path | gsci | SciPy | SciPy / gsci | after torch "
        "| dispatch (wrapper, native) |",
        "|---|---|---|---|---|---:|---:|---|",
    ]
    for row in rows:
        wrapper = overheads.get(row["function"].removeprefix("signal.windows."), None)
        dispatch = (
            "—"
            if wrapper is None
            else f"{wrapper[0] - wrapper[1]:+.2f} µs ({wrapper[0]:.2f}, {wrapper[1]:.2f})"
        )
        cells = (
            row["function"],
            row["case"],
            row.get("path") or "—",
            format_time(row.get("gsci")),
            format_time(row.get("scipy")),
            ratio(row),
            ratio(after_torch.get(_key(row))),
            dispatch if row["case"] == _first_case(rows, row["function"]) else "",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _first_case(rows, function):
    return next(r["case"] for r in rows if r["function"] == function)


def _key(row):
    return row["function"], row["case"], row["library"], row["device"]


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


def selected(options, function):
    """Whether ``--only`` (texts separated by commas) selects ``function``: one of them is in its name."""
    return not options.only or any(text in function for text in options.only.split(","))


def measure_all(libraries, options, repeat, target, fixed):
    """The main table's rows for ``libraries``, then (``fixed``) the fixed-cost rows."""
    rows = []
    for case in CASES:
        if not selected(options, case.function):
            continue
        for library in libraries:
            rows.append(measure(case.function, case.label, case.make, library, repeat, target))
            print(f"{case.function} {case.label} {library.name}/{library.device}: done", file=sys.stderr)
    if selected(options, PIPELINE[0]):
        event = ligo_event()
        for library in libraries:
            rows.append(measure_pipeline(event, library, repeat, target))
    fixed_rows = []
    if fixed:
        numpy = libraries[0]
        for function, label, make in fixed_cost.cases():
            if selected(options, function):
                fixed_rows.append(measure(function, label, make, numpy, max(3, repeat // 2), target / 4))
    return rows, fixed_rows


def in_fresh_process(options, after_torch):
    """The NumPy rows measured by a fresh interpreter (``after_torch``: once torch has run work)."""
    with tempfile.TemporaryDirectory() as folder:
        output = pathlib.Path(folder) / "rows.json"
        command = [sys.executable, __file__, "--numpy-rows", str(output)]
        command += ["--quick"] if options.quick else []
        command += ["--only", options.only] if options.only else []
        command += ["--after-torch"] if after_torch else []
        subprocess.run(command, check=True)
        return json.loads(output.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter repeats (noisier)")
    parser.add_argument(
        "--only", help="run only the cases whose function name contains this text (or one of a,b,...)"
    )
    parser.add_argument("--output", help="also write the tables, with a header naming the machine, here")
    parser.add_argument("--numpy-rows", help=argparse.SUPPRESS)  # a child: NumPy rows as JSON, here
    parser.add_argument("--after-torch", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    repeat, target = (3, 0.02) if options.quick else (9, 0.2)
    if options.numpy_rows:
        if options.after_torch:
            run_torch_work()
        rows, fixed_rows = measure_all(available_libraries(("numpy",)), options, repeat, target, fixed=True)
        pathlib.Path(options.numpy_rows).write_text(json.dumps({"rows": rows, "fixed": fixed_rows}))
        return
    clean = in_fresh_process(options, after_torch=False)
    torch_first = in_fresh_process(options, after_torch=True)
    after_torch = {_key(r): r for r in torch_first["rows"] + torch_first["fixed"]}
    others, _ = measure_all(available_libraries(("torch", "cupy")), options, repeat, target, fixed=False)
    numpy_rows = {(r["function"], r["case"]): r for r in clean["rows"]}
    rows = []
    for row in others:  # each case's NumPy row first, then the other libraries'
        numpy_row = numpy_rows.pop((row["function"], row["case"]), None)
        rows += [numpy_row] if numpy_row else []
        rows.append(row)
    rows += list(numpy_rows.values())
    overheads = dispatch_overheads(repeat)
    report = (
        f"{main_table(rows, after_torch)}\n\n"
        "## Fixed cost: a tiny and a large case of every public function\n\n"
        f"{_fixed_legend()}\n\n{fixed_cost_table(clean['fixed'], after_torch, overheads)}\n"
    )
    print(report)
    if options.output:
        path = pathlib.Path(options.output)
        text = f"# gsci benchmarks\n\n{machine()}\n\n{_legend()}\n\n{report}"
        if path.exists():  # dask_scale.py's section stays as that script last wrote it
            from dask_scale import SECTION, replaced_section

            previous = path.read_text()
            if SECTION in previous:
                kept = previous[previous.index(SECTION) :].split("\n## ", 1)[0]
                text = replaced_section(text, kept.rstrip() + "\n")
        path.write_text(text)


def _legend():
    return (
        "Times are the minimum over repeated runs, gsci and SciPy measured in turns on the same data "
        "(SciPy always on NumPy on the CPU). SciPy / gsci above 1 means gsci is faster. Every NumPy row "
        'is measured in a fresh process that never imports torch; "after torch" is the same ratio in '
        "a fresh process where torch has run work first (matrix products and FFTs on its thread pool). "
        "The `demo.analyze` rows time the whole GW150914 tutorial (`gsci.demo.analyze`) with "
        "`gsci.signal` on each library against the same code with `scipy.signal` on NumPy. "
        '"peak memory" is the most one NumPy call allocates at once (tracemalloc: NumPy\'s arrays, the '
        "output included; not the Numba kernels' per-task line buffers of a few KiB), as a multiple of "
        "the size of its array arguments. "
        "`python benchmarks/run.py --output BENCHMARKS.md` regenerates this file."
    )


def _fixed_legend():
    return (
        'NumPy input. "gsci path" is the route of that call under "auto": `scipy` where the '
        "function declares SciPy faster for such input (a small array, one IIR line, a few "
        "coefficients), and for every NumPy call of filter design, `dpss` and `tukey` (SciPy's own). "
        '"dispatch" is '
        "the cost of gsci's wrapper alone: the function's declaration and signature rebuilt around a "
        "native function that returns at once, called through the wrapper and directly "
        "(microseconds per call, the large case's arguments)."
    )


if __name__ == "__main__":
    main()
