"""CPU Lomb-Scargle kernel (Numba, all cores): the periodogram, one frequency per task.

For each angular frequency ``f``, sample times ``x``, normalized weights
``w`` and weighted values ``wy``, one pass over the samples sums, with
``c = cos(f x)`` and ``s = sin(f x)``::

    sum(w c), sum(w s), sum(w c c), sum(w c s), sum(wy c), sum(wy s)

and the periodogram follows from them: SciPy's second pass, at
``f x - tau``, is their rotation by ``tau`` (the same algebra as the Array
API path, `gsci.signal._lombscargle._periodogram`). No ``N x F`` matrix is
formed: memory is ``O(F)``. The kernels compile once (float64, the only
dtype SciPy computes in): sizes, the normalization and the floating mean
are arguments. Compiled code is cached on disk.
"""

import math

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

POWER, NORMALIZE, AMPLITUDE = 0, 1, 2  # the `mode` argument: SciPy's `normalize` options
_EPSNEG = float(np.finfo(np.float64).epsneg)  # SciPy's floor of CC and SS
_FAST = {"reassoc", "contract"}  # lets LLVM reorder the sums; NaN and Inf still propagate


@njit(cache=True, fastmath=_FAST)
def _sums(x, w, wy, frequency):
    c1 = s1 = cc = cs = yc = ys = 0.0
    for i in range(x.shape[0]):
        angle = frequency * x[i]
        c, s = math.cos(angle), math.sin(angle)
        wc = w[i] * c
        c1 += wc
        s1 += w[i] * s
        cc += wc * c
        cs += wc * s
        yc += wy[i] * c
        ys += wy[i] * s
    return c1, s1, cc, cs, yc, ys


@njit(cache=True)
def _frequency(x, w, wy, freqs, big_y, scale, mode, floating_mean, out, k):
    """``out[k]``: the periodogram at ``freqs[k]`` (real, imaginary parts; imaginary 0 unless amplitude)."""
    c1, s1, cc0, cs0, yc0, ys0 = _sums(x, w, wy, freqs[k])
    cc, ss, cs = cc0, 1.0 - cc0, cs0
    if floating_mean:
        cc, ss, cs = cc - c1 * c1, ss - s1 * s1, cs - c1 * s1
    tau = 0.5 * math.atan2(2.0 * cs, cc - ss)
    ct, st = math.cos(tau), math.sin(tau)
    yc, ys = ct * yc0 + st * ys0, ct * ys0 - st * yc0
    cc = ct * ct * cc0 + 2.0 * ct * st * cs0 + st * st * (1.0 - cc0)
    ss = 1.0 - cc
    if floating_mean:
        c, s = ct * c1 + st * s1, ct * s1 - st * c1
        yc, ys = yc - big_y * c, ys - big_y * s
        cc, ss = cc - c * c, ss - s * s
    a = yc / (_EPSNEG if cc < _EPSNEG else cc)
    b = ys / (_EPSNEG if ss < _EPSNEG else ss)
    if mode == AMPLITUDE:
        out[k, 0], out[k, 1] = a * ct - b * st, a * st + b * ct
    else:
        out[k, 0], out[k, 1] = 2.0 * (a * yc + b * ys) * scale, 0.0


@njit(parallel=True, cache=True)
def _periodogram_parallel(x, w, wy, freqs, big_y, scale, mode, floating_mean, out):
    for k in prange(freqs.shape[0]):
        _frequency(x, w, wy, freqs, big_y, scale, mode, floating_mean, out, k)


@njit(cache=True)
def _periodogram_serial(x, w, wy, freqs, big_y, scale, mode, floating_mean, out):
    for k in range(freqs.shape[0]):
        _frequency(x, w, wy, freqs, big_y, scale, mode, floating_mean, out, k)


def periodogram(x, w, wy, freqs, big_y, scale, mode, floating_mean):
    """The periodogram of 1-D float64 ``x``, ``w``, ``wy`` at ``freqs``: float64, complex128 if amplitude.

    ``big_y`` is ``sum(wy)``; ``scale`` multiplies the power (``N / 4`` or ``0.5 / YY``).
    """
    x, w, wy, freqs = (np.ascontiguousarray(a, dtype=np.float64) for a in (x, w, wy, freqs))
    out = np.empty((freqs.shape[0], 2))
    kernel = launcher(
        _periodogram_parallel, _periodogram_serial, freqs.shape[0], 8 * x.shape[0] * freqs.shape[0]
    )
    with launch_lock:
        kernel(x, w, wy, freqs, float(big_y), float(scale), mode, bool(floating_mean), out)
    return out.view(np.complex128)[:, 0] if mode == AMPLITUDE else np.ascontiguousarray(out[:, 0])
