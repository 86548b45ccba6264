"""The FFT functions native paths use: SciPy's on NumPy (all cores), else the library's."""

import functools
import types

from gsci._lib._compat import is_numpy_namespace

_FUNCTIONS = ("fft", "ifft", "rfft", "irfft", "fftn", "ifftn", "rfftn", "irfftn")


def fft_module(xp):
    """An ``xp.fft``-like module; for NumPy, ``scipy.fft`` with ``workers=-1``."""
    return _scipy_fft() if is_numpy_namespace(xp) else xp.fft


@functools.cache
def _scipy_fft():
    import scipy.fft

    parallel = {name: functools.partial(getattr(scipy.fft, name), workers=-1) for name in _FUNCTIONS}
    return types.SimpleNamespace(**parallel, rfftfreq=scipy.fft.rfftfreq, fftfreq=scipy.fft.fftfreq)


def next_fast_len(n, real=False):
    """The smallest length >= ``n`` that the FFTs handle fast (a host integer)."""
    import scipy.fft

    return scipy.fft.next_fast_len(n, real=real)
