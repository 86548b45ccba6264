"""``python -m gsci.demo``: gsci next to SciPy on every array library present.

Runs `gsci.signal.welch` on a noisy tone and `gsci.ndimage.laplace` on an
image, for NumPy and for each other installed library (torch, JAX, CuPy;
on the GPU when one is visible), checks each result against SciPy on the
same data and prints the timings side by side.
"""

import importlib.util
import time

import numpy as np
import scipy.ndimage
import scipy.signal

import gsci
from gsci._lib._arrays import library_of

FS = 4096.0
TONE_HZ = 440.0


def _libraries():
    """(label, to_library, to_numpy, synchronize) for each library present."""
    yield "numpy", np.asarray, np.asarray, lambda: None
    if importlib.util.find_spec("torch"):
        import torch

        yield "torch cpu", torch.from_numpy, lambda t: t.numpy(), lambda: None
        if torch.cuda.is_available():
            yield (
                "torch cuda",
                lambda a: torch.from_numpy(a).cuda(),
                lambda t: t.cpu().numpy(),
                torch.cuda.synchronize,
            )
    if importlib.util.find_spec("jax"):
        import jax

        jax.config.update("jax_enable_x64", True)
        yield "jax", jax.numpy.asarray, np.asarray, lambda: None
    if importlib.util.find_spec("cupy"):
        import cupy

        if cupy.cuda.runtime.getDeviceCount():
            yield "cupy", cupy.asarray, cupy.asnumpy, cupy.cuda.Device().synchronize


def _best_time(function, synchronize, repeats=5):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        synchronize()
        best = min(best, time.perf_counter() - start)
    return best, result


def _cases():
    rng = np.random.default_rng(1234)
    t = np.arange(2**20) / FS
    tone = np.sin(2 * np.pi * TONE_HZ * t) + rng.standard_normal(t.size)
    image = rng.standard_normal((2048, 2048)).astype(np.float32)
    return [
        (
            "welch 2^20 samples, nperseg=1024",
            tone,
            lambda x: gsci.signal.welch(x, fs=FS, nperseg=1024),
            lambda x: scipy.signal.welch(x, fs=FS, nperseg=1024),
        ),
        ("laplace 2048x2048 float32", image, gsci.ndimage.laplace, scipy.ndimage.laplace),
    ]


def main():
    print(f"gsci {gsci.__version__}: each row checks gsci against SciPy on the same data\n")
    print(f"{'case':34} {'library':11} {'gsci ms':>9} {'scipy ms':>9} {'speedup':>8}  max rel. diff")
    cases = _cases()
    for label, data, ours, theirs in cases:
        scipy_time, expected = _best_time(lambda data=data, theirs=theirs: theirs(data), lambda: None)
        expected = expected[-1] if isinstance(expected, tuple) else expected
        for library, convert, to_numpy, synchronize in _libraries():
            x = convert(data)
            gsci_time, result = _best_time(lambda x=x, ours=ours: ours(x), synchronize)
            result = result[-1] if isinstance(result, tuple) else result
            assert library_of(result) == library_of(x), "gsci returned another library's array"
            got = to_numpy(result)
            error = np.max(np.abs(got - expected)) / np.max(np.abs(expected))
            print(
                f"{label:34} {library:11} {gsci_time * 1e3:9.2f} {scipy_time * 1e3:9.2f} "
                f"{scipy_time / gsci_time:7.1f}x  {error:.1e}"
            )
    f, pxx = gsci.signal.welch(cases[0][1], fs=FS, nperseg=1024)
    print(f"\nwelch finds the {TONE_HZ:.0f} Hz tone at {f[np.argmax(pxx)]:.1f} Hz")


if __name__ == "__main__":
    main()
