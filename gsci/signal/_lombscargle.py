"""The generalized Lomb-Scargle periodogram: `lombscargle`, SciPy 1.17's algorithm.

SciPy forms ``cos`` and ``sin`` of every (sample, frequency) pair twice:
once to find each frequency's phase ``tau``, once more at ``f x - tau``.
gsci forms them once: everything SciPy sums at ``f x - tau`` is a rotation
by ``tau`` of six sums at ``f x`` (``sum(w c)``, ``sum(w s)``,
``sum(w c c)``, ``sum(w c s)``, ``sum(w y c)``, ``sum(w y s)``), so one
pass gives every normalization, with or without the floating mean. For
NumPy input a Numba CPU kernel computes the periodogram frequency by
frequency (no ``N x F`` matrix at all); elsewhere the sums are matrix
products over blocks of frequencies, so that no intermediate holds more
than about 2**22 (sample, frequency) pairs.
"""

import functools

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import (
    array_namespace,
    device,
    is_dask_namespace,
    is_lazy_array,
    is_numpy_namespace,
    size,
)
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._warnings import warn_at_caller

_NORMALIZATIONS = ("power", "normalize", "amplitude")
_BLOCK_PAIRS = 1 << 22  # (sample, frequency) pairs a block of the Array API path: 32 MiB a float64 matrix
_EPSNEG = float(np.finfo(np.float64).epsneg)  # SciPy's floor of CC and SS
# SciPy's NumPy expressions cost less than gsci's fixed cost when every array has fewer elements (measured:
# 16 x 16 native 0.93x SciPy, 32 x 32 1.37x)
_FEW = fewer_elements(2**5)
_KEYWORDS = ("precenter", "normalize", "weights", "floating_mean")  # SciPy 1.17: positional, with a warning


try:  # SciPy's own sentinel: SciPy's path passes `precenter` on, and SciPy tells it by identity
    from scipy._lib.deprecation import _NoValue as _NO_VALUE
except ImportError:  # pragma: no cover - a SciPy without it has no precenter deprecation either

    class _NoValue:
        """The default of `precenter`: left unspecified (it warns when given)."""

        def __repr__(self):
            return "<no value>"

    _NO_VALUE = _NoValue()


def _mode(normalize):
    """``normalize`` as one of SciPy's three strings; SciPy's ValueError otherwise."""
    if isinstance(normalize, bool):
        return "normalize" if normalize else "power"
    if not isinstance(normalize, str) or normalize not in _NORMALIZATIONS:
        raise ValueError(
            f"Normalize must be: False (or 'power'), True (or 'normalize'), or 'amplitude'. Got {normalize=}"
        )
    return normalize


def _float64(a, xp):
    """``a`` as float64 (SciPy's working dtype); complex ``a`` loses its imaginary part, as NumPy warns."""
    if xp.isdtype(a.dtype, "complex floating"):
        warn_at_caller(
            "Casting complex values to real discards the imaginary part", np.exceptions.ComplexWarning
        )
        a = xp.real(a)
    return xp.astype(a, xp.float64, copy=False)


def _trig_sums_by_blocks(x, w, wy, freqs, xp):
    """The six sums (F, 6) by matrix products over blocks of frequencies: Array API code."""
    left = xp.stack((w, wy))  # (2, N): one product gives the w and wy sums of a basis
    block = max(1, _BLOCK_PAIRS // x.shape[0])
    columns = []
    for start in range(0, freqs.shape[0], block):
        angles = x[:, None] * freqs[None, start : min(start + block, freqs.shape[0])]
        c, s = xp.cos(angles), xp.sin(angles)
        by_cos, by_sin = left @ c, left @ s  # rows: (w c, wy c), (w s, wy s)
        cc, cs = w @ (c * c), w @ (c * s)
        columns.append(xp.stack((by_cos[0, :], by_sin[0, :], cc, cs, by_cos[1, :], by_sin[1, :]), axis=1))
    return columns[0] if len(columns) == 1 else xp.concat(columns, axis=0)


def _floored(values, xp):
    """SciPy's ``values[values < epsneg] = epsneg`` (its guard against division by zero), out of place."""
    return xp.where(values < _EPSNEG, _EPSNEG, values)


def _periodogram(x, y, w, freqs, mode, floating_mean, xp):
    """The periodogram of float64 1-D ``x``, ``y``, normalized weights ``w`` at ``freqs``, as SciPy's.

    SciPy's second pass sums at ``f x - tau``; with ``(ct, st) = (cos tau, sin tau)``
    ``cos(f x - tau) = ct c + st s`` and ``sin(f x - tau) = ct s - st c``, so
    its sums are these rotations of the first pass's.
    """
    wy = w * y
    big_y = xp.sum(wy)  # Eq. 7
    if mode == "power":
        scale = float(x.shape[0]) / 4.0
    elif mode == "normalize":
        yy = xp.sum(wy * y)  # Eq. 10
        scale = 0.5 / (yy - big_y * big_y if floating_mean else yy)  # Eq. 20
    else:
        scale = 1.0
    if is_numpy_namespace(xp):  # the CPU kernel: the same algebra per frequency, no matrix
        from gsci.kernels import lombscargle_cpu

        code = {"power": lombscargle_cpu.POWER, "normalize": lombscargle_cpu.NORMALIZE}
        code = code.get(mode, lombscargle_cpu.AMPLITUDE)
        return lombscargle_cpu.periodogram(x, w, wy, freqs, big_y, scale, code, floating_mean)
    sums = _trig_sums_by_blocks(x, w, wy, freqs, xp)
    c1, s1, cc0, cs0, yc0, ys0 = (sums[:, i] for i in range(6))
    cc, ss, cs = cc0, 1.0 - cc0, cs0  # Eqs. 13-15, S^2 = 1 - C^2
    if floating_mean:
        cc, ss, cs = cc - c1 * c1, ss - s1 * s1, cs - c1 * s1
    tau = 0.5 * xp.atan2(2.0 * cs, cc - ss)  # Eq. 19
    ct, st = xp.cos(tau), xp.sin(tau)
    yc = ct * yc0 + st * ys0  # Eq. 11 at f x - tau
    ys = ct * ys0 - st * yc0  # Eq. 12
    cc = ct * ct * cc0 + 2.0 * ct * st * cs0 + st * st * (1.0 - cc0)  # Eq. 13, in [0.5, 1]
    ss = 1.0 - cc
    if floating_mean:
        c, s = ct * c1 + st * s1, ct * s1 - st * c1  # Eqs. 8, 9
        yc, ys = yc - big_y * c, ys - big_y * s
        cc, ss = cc - c * c, ss - s * s
    a, b = yc / _floored(cc, xp), ys / _floored(ss, xp)  # y = a cos + b sin + c, Eq. A.4
    if mode == "amplitude":  # SciPy's (a + 1j b) * exp(1j tau)
        real, imag = a * ct - b * st, a * st + b * ct
        return xp.astype(real, xp.complex128) + xp.astype(imag, xp.complex128) * 1j
    return 2.0 * (a * yc + b * ys) * scale


def _chunk_periodogram(freqs, x, y, w, *, mode, floating_mean):
    """`_periodogram` of one chunk of ``freqs`` (Dask), the samples whole."""
    return _periodogram(x, y, w, freqs, mode, floating_mean, array_namespace(freqs))


def _periodogram_by_chunk(x, y, w, freqs, mode, floating_mean):
    """`_periodogram` of Dask arrays: one task per chunk of ``freqs``, each with all the samples."""
    import dask.array as da

    x, y, w = (a.rechunk(-1) for a in (x, y, w))  # every frequency sums over all samples
    dtype = np.complex128 if mode == "amplitude" else np.float64
    return da.blockwise(
        functools.partial(_chunk_periodogram, mode=mode, floating_mean=floating_mean),
        "f",
        freqs,
        "f",
        x,
        "i",
        y,
        "i",
        w,
        "i",
        concatenate=True,
        dtype=dtype,
        meta=freqs._meta.astype(dtype),
    )


def _valid_weights(weights, xp):
    """SciPy's check: non-negative weights of positive sum; lazily (no values at hand) a 0-d bool array."""
    valid = xp.all(weights >= 0) & (xp.sum(weights) > 0)
    if is_lazy_array(valid):
        return valid
    if not bool(valid):
        raise ValueError(
            "Parameter weights must have only non-negative entries which sum to a positive value!"
        )
    return None


def _keywords_by_position(public):
    """``public`` also taking its keyword-only arguments by position, with SciPy 1.17's DeprecationWarning."""

    @functools.wraps(public)
    def lombscargle(x, y, freqs, *args, **kwargs):
        if args:
            if len(args) > len(_KEYWORDS):
                raise TypeError(f"lombscargle() takes at most {3 + len(_KEYWORDS)} positional arguments")
            warn_at_caller(
                f"You are passing as positional arguments: {', '.join(_KEYWORDS[: len(args)])}. "
                "Please change your invocation to use keyword arguments. "
                "From SciPy 1.19.0, passing these as positional arguments will result in an error.",
                DeprecationWarning,
            )
            for name, value in zip(_KEYWORDS, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"lombscargle() got multiple values for argument {name!r}")
                kwargs[name] = value
        return public(x, y, freqs, **kwargs)

    return lombscargle


@_keywords_by_position
@gsci_function("signal", arrays=("x", "y", "freqs", "weights"), scipy_when=_FEW, torch_as_numpy=True)
def lombscargle(x, y, freqs, *, precenter=_NO_VALUE, normalize=False, weights=None, floating_mean=False, xp):
    """The generalized Lomb-Scargle periodogram, like `scipy.signal.lombscargle`.

    A weighted least-squares fit of ``y = a cos(f x) + b sin(f x) (+ c)``
    at each angular frequency ``f`` (Zechmeister and Kürster's algorithm,
    as SciPy 1.17 computes it).

    Parameters
    ----------
    x : array
        Sample times, 1-D.
    y : array
        Measurements at `x`, same shape.
    freqs : array
        Angular frequencies, 1-D.
    precenter : bool, optional
        Deprecated (as in SciPy 1.17, with its ``DeprecationWarning``):
        subtract ``y.mean()`` first.
    normalize : {False, True, 'power', 'normalize', 'amplitude'}, optional
        False or 'power' (default): ``(A**2) * N / 4`` for a harmonic of
        amplitude A; True or 'normalize': the power relative to the residuals
        around the reference model; 'amplitude': the complex amplitude
        (``(a + 1j b) exp(1j tau)``).
    weights : array, optional
        Non-negative sample weights of positive sum, shape of `x`.
        Default: all equal.
    floating_mean : bool, optional
        Fit an offset ``c`` at each frequency. Default: False.

    Returns
    -------
    pgram : array
        float64 (complex128 for 'amplitude'), shape of `freqs`, in the
        inputs' library and device (all inputs are taken as float64, as
        SciPy does).

    Raises
    ------
    ValueError
        For `x`, `y`, `weights` not 1-D of one non-zero length, `freqs` not
        1-D and non-empty, negative weights or weights summing to 0, or a
        bad `normalize`: SciPy's checks and messages.
    TypeError
        For arrays of different libraries.

    Warns
    -----
    ComplexWarning
        For complex input, as SciPy: its imaginary part is discarded.

    Notes
    -----
    Paths: NumPy input (and torch CPU tensors outside autograd, as NumPy
    views) runs a Numba CPU kernel, parallel over frequencies, with memory
    ``O(len(freqs))``; under ``2**5`` samples or frequencies, SciPy.
    Every other library runs Array API code (matrix products over blocks of
    frequencies of at most ``2**22`` pairs): under ``jax.jit``,
    differentiable on PyTorch, and lazily on Dask (one task per chunk of
    `freqs`, with all the samples). The sums are SciPy's at ``f x - tau``
    rotated from those at ``f x``: one ``cos`` and ``sin`` per pair where
    SciPy takes two, equal to SciPy's within rounding.
    Host synchronisation: checking `weights` reads one boolean from the
    device; lazy weights (JAX under ``jax.jit``, Dask) are not checked,
    and invalid ones make the result NaN instead of raising.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import lombscargle
    >>> x = np.linspace(0, 10, 64)
    >>> pgram = lombscargle(x, np.sin(2.0 * x), np.array([1.0, 2.0, 3.0]))
    >>> int(np.argmax(pgram))
    1
    """
    x, y, freqs = (_float64(as_array(a, xp), xp) for a in (x, y, freqs))
    dev = device(x)
    weights_given = weights
    weights = xp.ones_like(y) if weights is None else _float64(as_array(weights, xp, like=x), xp)
    if not (x.ndim == 1 and size(x) > 0 and x.shape == y.shape == weights.shape):
        raise ValueError(
            "Parameters x, y, weights must be 1-D arrays of equal non-zero length! "
            f"Got {x.shape=}, {y.shape=}, {weights.shape=}"
        )
    if not (freqs.ndim == 1 and size(freqs) > 0):
        raise ValueError(f"Parameter freqs must be a 1-D array of non-zero length! Got {freqs.shape=}")
    lazy_check = None if weights_given is None else _valid_weights(weights, xp)
    mode = _mode(normalize)
    if precenter is not _NO_VALUE:
        warn_at_caller(
            "Use of parameter 'precenter' is deprecated as of SciPy 1.17.0 and will be removed in 1.19.0. "
            "Please leave 'precenter' unspecified. Passing True to 'precenter' can be exactly substituted "
            "by passing 'y = (y - y.mean())' into the input. "
            "Consider setting `floating_mean` to True instead.",
            DeprecationWarning,
        )
        if precenter:
            y = y - xp.mean(y)
    weights = weights * (1.0 / xp.sum(weights))
    if is_dask_namespace(xp):
        pgram = _periodogram_by_chunk(x, y, weights, freqs, mode, bool(floating_mean))
    else:
        pgram = _periodogram(x, y, weights, freqs, mode, bool(floating_mean), xp)
    if lazy_check is not None:
        pgram = xp.where(lazy_check, pgram, xp.asarray(np.nan, dtype=pgram.dtype, device=dev))
    return pgram
