"""The FFT functions native paths use: SciPy's on NumPy (all cores), else the library's; one NumPy
line's real FFTs as half-length complex ones (`packed_rfft`, `packed_irfft`); NumPy work split over
the cores (`in_pieces`)."""

import concurrent.futures
import functools
import itertools
import os
import types

import numpy as np

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


# From this many samples on, one NumPy line's real transforms run as half-length complex ones (pocketfft's
# complex FFT of n/2 points takes about half the time of its real FFT of n points); batches of lines
# gain more from scipy.fft's worker threads.
PACKED_FROM = 2**15


def packed_rfft(x, count=None, gains=None, length=None):
    """``gains * rfft(x)[:count]``, zero-padded to `length`, of one contiguous real NumPy line of even length.

    The samples, read in pairs as complex numbers, have a complex FFT of half
    the length (half the time of pocketfft's real FFT) from which the real
    FFT's bins unpack element-wise, in pieces on every core.
    """
    half = x.shape[0] // 2
    count = half + 1 if count is None else count
    complex_dtype = np.complex64 if x.dtype == np.float32 else np.complex128
    packed = _fft("fft", x.view(complex_dtype))
    packed = np.concatenate([packed, packed[:1]])  # Z[half] = Z[0]: bins k and half - k as slices
    spectrum = np.empty(count if length is None else length, dtype=complex_dtype)
    twiddles = _unpack_twiddles(half, complex_dtype)
    in_pieces(lambda lo, hi: _unpack(packed, twiddles, gains, lo, hi, spectrum[lo:hi]), count)
    spectrum[count:] = 0
    return spectrum


def packed_irfft(spectrum, n):
    """``irfft(spectrum, n)`` of one NumPy line for an even `n`, by one complex inverse FFT of ``n / 2``.

    The one-sided spectrum packs (element-wise, in pieces on every core)
    into the spectrum of the output's sample pairs read as complex numbers.
    """
    half = n // 2
    if spectrum.shape[0] != half + 1 or not spectrum.flags.writeable:
        fitted = np.zeros(half + 1, dtype=spectrum.dtype)
        kept = min(half + 1, spectrum.shape[0])
        fitted[:kept] = spectrum[:kept]
        spectrum = fitted
    spectrum[0] = spectrum[0].real  # irfft reads the real parts of DC and Nyquist only
    spectrum[-1] = spectrum[-1].real
    repacked = np.empty(half, dtype=spectrum.dtype)
    twiddles = _pack_twiddles(half, spectrum.dtype)
    in_pieces(lambda lo, hi: _pack(spectrum, twiddles, lo, hi, repacked[lo:hi]), half)
    real_dtype = np.float32 if spectrum.dtype == np.complex64 else np.float64
    return _fft("ifft", repacked, overwrite_x=True).view(real_dtype)


def _unpack(packed, twiddles, gains, lo, hi, out):
    """``out = gains * X[lo:hi]`` (X: the real FFT) from the packed FFT ``Z`` (extended by ``Z[0]``).

    ``X[k] = B + A_k (Z[k] - B)`` with ``B = conj(Z[half - k])``.
    """
    half = packed.shape[0] - 1
    behind = np.conj(packed[half - hi + 1 : half - lo + 1][::-1])
    difference = packed[lo:hi] - behind
    difference *= twiddles[lo:hi]
    if gains is None:
        np.add(difference, behind, out=out)
    else:
        difference += behind
        np.multiply(difference, gains[lo:hi], out=out)


def _pack(spectrum, twiddles, lo, hi, out):
    """``out = Z'[lo:hi]`` packing the one-sided `spectrum` ``Y`` (of ``half + 1`` bins) for a complex iFFT.

    ``Z'[k] = C + T_k (Y[k] - C)`` with ``C = conj(Y[half - k])``.
    """
    half = spectrum.shape[0] - 1
    np.conj(spectrum[half - hi + 1 : half - lo + 1][::-1], out=out)
    difference = spectrum[lo:hi] - out
    difference *= twiddles[lo:hi]
    out += difference


def in_pieces(work, count):
    """``work(lo, hi)`` over ``0 .. count`` in one piece per core (NumPy's loops release the GIL)."""
    bounds = np.linspace(0, count, _workers().cores + 1).astype(int).tolist()
    pieces = [_workers().pool.submit(work, lo, hi) for lo, hi in itertools.pairwise(bounds[:-1])]
    work(bounds[-2], bounds[-1])
    for piece in pieces:
        piece.result()


@functools.cache
def _workers():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    pool = concurrent.futures.ThreadPoolExecutor(max(cores - 1, 1), thread_name_prefix="gsci-fft")
    return types.SimpleNamespace(cores=cores, pool=pool)


@functools.lru_cache(maxsize=8)
def _unpack_twiddles(half, complex_dtype):
    """``(1 - i exp(-i pi k / half)) / 2`` for k = 0 .. half: splits a packed FFT into even and odd halves."""
    return _read_only(0.5 * (1 - 1j * np.exp(-1j * np.pi * np.arange(half + 1) / half)), complex_dtype)


@functools.lru_cache(maxsize=8)
def _pack_twiddles(half, complex_dtype):
    """``(1 + i exp(i pi k / half)) / 2`` for k = 0 .. half - 1: packs a real spectrum for a complex iFFT."""
    return _read_only(0.5 * (1 + 1j * np.exp(1j * np.pi * np.arange(half) / half)), complex_dtype)


def _read_only(values, dtype):
    values = values.astype(dtype)
    values.flags.writeable = False  # cached: shared by every call
    return values


def _fft(name, a, **kwargs):
    import scipy.fft

    workers = -1 if a.size >= PARALLEL_ELEMENTS and a.ndim > 1 else 1
    return getattr(scipy.fft, name)(a, axis=-1, workers=workers, **kwargs)
