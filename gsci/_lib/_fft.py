"""The FFT functions native paths use: SciPy's on NumPy (all cores), else the library's."""

import functools
import types

from gsci._lib._compat import is_numpy_namespace

_FUNCTIONS = ("fft", "ifft", "rfft", "irfft", "fftn", "ifftn", "rfftn", "irfftn")


def fft_module(xp):
    """An ``xp.fft``-like module; for NumPy, ``scipy.fft`` on every core for large transforms."""
    return _scipy_fft() if is_numpy_namespace(xp) else xp.fft


# Measured here: handing a batch of transforms to worker threads costs about 20 µs, and pays
# from about this many input elements (a 4096 x 256 batch runs twice as fast on 2 cores).
PARALLEL_ELEMENTS = 1 << 17


@functools.cache
def _scipy_fft():
    import scipy.fft

    def threaded(transform):
        @functools.wraps(transform)
        def run(x, *args, **kwargs):
            return transform(x, *args, workers=-1 if x.size >= PARALLEL_ELEMENTS else 1, **kwargs)

        return run

    functions = {name: threaded(getattr(scipy.fft, name)) for name in _FUNCTIONS}
    return types.SimpleNamespace(**functions, rfftfreq=scipy.fft.rfftfreq, fftfreq=scipy.fft.fftfreq)


def next_fast_len(n, real=False):
    """The smallest length >= ``n`` that the FFTs handle fast (a host integer)."""
    return _scipy_next_fast_len()(n, real)


@functools.cache
def _scipy_next_fast_len():
    import scipy.fft

    return scipy.fft.next_fast_len
