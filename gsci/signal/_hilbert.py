"""`hilbert`, `hilbert2` and `envelope`: analytic signals and envelopes by FFT, on any Array API library."""

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import device, is_dask_namespace, is_numpy_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import PACKED_FROM, fft_module, packed_irfft, packed_rfft
from gsci.signal._detrend import normalize_axis
from gsci.signal._resampling._resample import real_dtype as _transform_dtype
from gsci.signal._resampling._resample import resample_spectrum, whole_last_axis


def _analytic_gains(n, dtype, xp, dev):
    """Gains of the ``n // 2 + 1`` non-negative frequencies: 1 at DC (and an even ``n``'s Nyquist), else 2."""
    gains = np.full(n // 2 + 1, 2.0)
    gains[0] = 1.0
    if n % 2 == 0:
        gains[-1] = 1.0
    return xp.asarray(gains, dtype=dtype, device=dev)


# below 2^17 samples SciPy matches the native path and costs less per call (BENCHMARKS.md)
@gsci_function("signal", arrays=("x",), scipy_when=fewer_elements(2**17))
def hilbert(x, N=None, axis=-1, *, xp):
    """Analytic signal by FFT, like `scipy.signal.hilbert`.

    Parameters
    ----------
    x : array
        Real signal.
    N : int, optional
        FFT length: `x` is zero-padded or truncated to it. Default:
        ``x.shape[axis]``.
    axis : int, optional
        The axis along which to transform. Default: the last.

    Returns
    -------
    xa : array
        ``x + 1j * hilbert_transform(x)`` with ``N`` samples along `axis`:
        complex64 for float32 input, else complex128.

    Raises
    ------
    ValueError
        If `x` is complex or `N` is not positive.

    Notes
    -----
    The negative frequencies are zero, so gsci takes a real FFT and lets
    the inverse FFT zero-pad its ``N // 2 + 1`` doubled bins to ``N``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import hilbert
    >>> xa = hilbert(np.cos(np.arange(8) * np.pi / 2))
    >>> np.round(xa.imag, 12).tolist() == [0, 1, 0, -1, 0, 1, 0, -1]
    True
    """
    x = as_array(x, xp)
    if xp.isdtype(x.dtype, "complex floating"):
        raise ValueError("x must be real.")
    axis = normalize_axis(axis, x.ndim)
    n = x.shape[axis] if N is None else N
    if n <= 0:
        raise ValueError(f"N must be positive, got N={n}")
    x = xp.astype(x, _transform_dtype(x.dtype, xp), copy=False)
    if axis != x.ndim - 1:
        x = xp.moveaxis(x, axis, -1)
    x = whole_last_axis(x, xp)  # dask's FFT needs the transformed axis in one chunk
    fft = fft_module(xp)
    gains = _analytic_gains(n, x.dtype, xp, device(x))
    analytic = fft.ifft(fft.rfft(x, n=n, axis=-1) * gains, n=n, axis=-1)
    return xp.moveaxis(analytic, -1, axis) if axis != x.ndim - 1 else analytic


@gsci_function("signal", arrays=("x",), scipy_when=fewer_elements(2**12))
def hilbert2(x, N=None, axes=(-2, -1), *, xp):
    """The 2-D analytic signal of `x` ("single-orthant" transform) along `axes`.

    Same as `scipy.signal.hilbert2`.

    Parameters
    ----------
    x : array
        Real signal, at least 2-D (1-D input is read as one row).
    N : int or tuple of two ints, optional
        FFT lengths along `axes`: `x` is zero-padded or truncated to them.
        Default: the lengths of `x` along `axes`.
    axes : tuple of two ints, optional
        The two axes to transform. Default: ``(-2, -1)``.

    Returns
    -------
    xa : array
        The analytic signal: complex64 for float32 input, else complex128.

    Raises
    ------
    ValueError
        If `x` is complex, `N` is not positive or not two positive
        integers, or `axes` are not two distinct axes.

    Notes
    -----
    The spectrum keeps DC, doubles each axis' positive frequencies below
    ``(N + 1) // 2`` and zeroes the rest (an even length's Nyquist bin
    too). gsci takes a real FFT along the second axis, keeps only the bins
    that survive, and lets the inverse FFTs zero-pad back to `N`. On Dask
    the two transformed axes are rechunked into one chunk each (a global
    FFT needs a whole axis); the other axes keep their chunks.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import hilbert2
    >>> xa = hilbert2(np.ones((4, 4)))
    >>> np.allclose(xa, 1)
    True
    """
    x = as_array(x, xp)
    if x.ndim < 2:
        x = xp.reshape(x, (1,) * (2 - x.ndim) + tuple(x.shape))
    if xp.isdtype(x.dtype, "complex floating"):
        raise ValueError("x must be real.")
    axes = _two_axes(axes, x.ndim)
    lengths = _two_lengths(N, tuple(x.shape[a] for a in axes))
    x = xp.moveaxis(xp.astype(x, _transform_dtype(x.dtype, xp), copy=False), axes, (-2, -1))
    x = _whole_last_axes(x, xp)
    fft = fft_module(xp)
    (n0, n1), (k0, k1) = lengths, ((lengths[0] + 1) // 2, (lengths[1] + 1) // 2)
    spectrum = fft.fft(fft.rfft(x, n=n1, axis=-1)[..., :k1], n=n0, axis=-2)[..., :k0, :]
    dev = device(x)
    gains = _orthant_gains(k0, x.dtype, xp, dev)[:, None] * _orthant_gains(k1, x.dtype, xp, dev)
    analytic = fft.ifft(fft.ifft(_whole_last_axes(spectrum * gains, xp), n=n0, axis=-2), n=n1, axis=-1)
    return xp.moveaxis(analytic, (-2, -1), axes)


def _whole_last_axes(a, xp):
    """`a`, on Dask with its last two axes in one chunk each: the 2-D FFT needs both whole."""
    return a.rechunk({a.ndim - 2: -1, a.ndim - 1: -1}) if is_dask_namespace(xp) else a


def _two_axes(axes, ndim):
    if len(axes) != 2:
        raise ValueError("axes must be a tuple of length 2")
    if axes[0] == axes[1]:
        raise ValueError("axes must contain 2 distinct axes")
    axes = tuple(normalize_axis(a, ndim) for a in axes)
    if axes[0] == axes[1]:
        raise ValueError(f"axes must contain 2 distinct axes, got {axes=} for {ndim} dimensions")
    return axes


def _two_lengths(N, shape):
    if N is None:
        return shape
    if isinstance(N, int):
        if N <= 0:
            raise ValueError("N must be positive.")
        return (N, N)
    if len(N) != 2 or any(n <= 0 for n in N):
        raise ValueError(f"When given as a tuple, N must hold exactly two positive integers, got {N=}")
    return tuple(N)


def _orthant_gains(kept, dtype, xp, dev):
    """Gains of the `kept` non-negative frequencies of one axis: 1 at DC, 2 above."""
    return xp.concat(
        [xp.ones((1,), dtype=dtype, device=dev), xp.full((kept - 1,), 2.0, dtype=dtype, device=dev)]
    )


_RESIDUALS = ("lowpass", "all", None)


@gsci_function("signal", arrays=("z",), scipy_when=fewer_elements(2**12))
def envelope(z, bp_in=(1, None), *, n_out=None, squared=False, residual="lowpass", axis=-1, xp):
    """The envelope of a real or complex signal, with an FFT band-pass and resampling.

    Same as `scipy.signal.envelope`.

    Parameters
    ----------
    z : array
        Real or complex signal of ``n`` samples along `axis`.
    bp_in : tuple of (int or None, int or None), optional
        The band ``bp_in[0]:bp_in[1]`` of the input filter, in multiples of
        ``1 / (n T)``, within ``-n//2 <= bp_in[0] < bp_in[1] <= (n+1)//2``;
        None stands for the band's end. Default: ``(1, None)`` (no mean, no
        negative frequencies).
    n_out : int, optional
        The number of output samples (the envelope is resampled). Default:
        ``n``.
    squared : bool, optional
        Return the squared envelope. Default: False.
    residual : {'lowpass', 'all', None}, optional
        Which residual of the band-pass to return as well: the band below
        ``bp_in[0]`` (default), everything outside the band, or none.
    axis : int, optional
        The time axis. Default: the last.

    Returns
    -------
    array
        The envelope ``z_env`` (real, `z`'s shape with ``n_out`` samples), or
        with a residual ``stack((z_env, z_res))`` (complex for complex `z`).

    Raises
    ------
    ValueError
        For an invalid `axis`, an empty axis, or invalid `bp_in`, `n_out`
        or `residual`.

    Notes
    -----
    Real signals take a real FFT: only the kept half spectrum is built. On
    Dask the time axis is rechunked into one chunk (a global FFT needs the
    whole axis); the other axes keep their chunks.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import envelope
    >>> t = np.arange(64) / 64
    >>> z_env = envelope(2 * np.cos(2 * np.pi * 8 * t), residual=None)
    >>> np.allclose(z_env, 2)
    True
    """
    z = as_array(z, xp)
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"Invalid parameter {axis=} for z.shape={tuple(z.shape)}!")
    if not z.shape[axis] > 0:
        raise ValueError(f"z.shape[axis] not > 0 for z.shape={tuple(z.shape)}, {axis=}!")
    if len(bp_in) != 2 or not all(isinstance(b, int) or b is None for b in bp_in):
        raise ValueError(f"{bp_in=} isn't a 2-tuple of type (int | None, int | None)!")
    if not ((isinstance(n_out, int) and n_out > 0) or n_out is None):
        raise ValueError(f"{n_out=} is not a positive integer or None!")
    if residual not in _RESIDUALS:
        raise ValueError(f"{residual=} not in ['lowpass', 'all', None]!")
    n = z.shape[axis]
    n_out = n if n_out is None else n_out
    start = -(n // 2) if bp_in[0] is None else bp_in[0]
    stop = (n + 1) // 2 if bp_in[1] is None else bp_in[1]
    if not -n // 2 <= start < stop <= (n + 1) // 2:
        raise ValueError(f"`-n//2 <= bp_in[0] < bp_in[1] <= (n+1)//2` does not hold for n={n} and {bp_in=}!")
    z = xp.moveaxis(z, axis, -1)
    z = whole_last_axis(z, xp)
    spectrum = _Spectrum(z, n, xp)
    z_env = _envelope(spectrum, start, stop, n_out, squared, xp)
    z_env = xp.moveaxis(z_env, -1, axis)
    if residual is None:
        return z_env
    z_res = xp.moveaxis(_residual(spectrum, start, stop, n_out, residual, xp), -1, axis)
    return xp.stack((xp.astype(z_env, z_res.dtype), z_res), axis=0)


class _Spectrum:
    """The two-sided FFT ``Z`` of `envelope`'s signal; for a real one only its bins ``0 .. n // 2``."""

    def __init__(self, z, n, xp):
        self.n, self.xp, self.real = n, xp, not xp.isdtype(z.dtype, "complex floating")
        fft = fft_module(xp)
        if self.real:
            z = xp.astype(z, _transform_dtype(z.dtype, xp), copy=False)
            if _one_long_numpy_line(z, n, xp):
                self.bins = np.reshape(packed_rfft(np.ascontiguousarray(z).reshape(-1)), (*z.shape[:-1], -1))
            else:
                self.bins = fft.rfft(z, axis=-1)
        else:
            self.bins = fft.fft(z, axis=-1)

    def indices(self, count):
        return self.xp.arange(count, device=device(self.bins))

    def take(self, lo, hi):
        """``Z[..., lo:hi]`` for ``0 <= lo <= hi <= n``: a real signal's negative frequencies are zero."""
        xp, bins = self.xp, self.bins
        have = bins.shape[-1]
        part = bins[..., min(lo, have) : min(hi, have)]
        missing = hi - lo - part.shape[-1]
        if missing == 0:
            return part
        zeros = xp.zeros((*bins.shape[:-1], missing), dtype=bins.dtype, device=device(bins))
        return xp.concat([part, zeros], axis=-1)


def _envelope(spectrum, start, stop, n_out, squared, xp):
    n = spectrum.n
    if start <= 0 < stop:  # the band holds DC: its negative part wraps around
        band = xp.concat([spectrum.take(n + start, n), spectrum.take(0, stop)], axis=-1)
        lo = start
    else:
        r = range(n)[start:stop]  # Python's slice rules, as SciPy's Z[..., start:stop]
        band, lo = spectrum.take(r.start, max(r.start, r.stop)), start
    if spectrum.real:
        band = band * _analytic_band_gains(lo, band.shape[-1], start, stop, band.dtype, spectrum, xp)
    baseband = fft_module(xp).ifft(whole_last_axis(band, xp), n=n_out, axis=-1) * (n_out / n)
    if squared:
        return xp.real(baseband) ** 2 + xp.imag(baseband) ** 2
    return xp.abs(baseband)


def _analytic_band_gains(lo, count, start, stop, dtype, spectrum, xp):
    """A real signal's band made analytic: positive frequencies (those SciPy doubles) times 2."""
    first, last = (start, stop) if start > 0 else (1, stop)
    frequency = spectrum.indices(count) + lo
    doubled = (frequency >= first) & (frequency < last)
    return _choose(doubled, 2.0, 1.0, xp.float32 if dtype == xp.complex64 else xp.float64, xp)


def _choose(condition, yes, no, dtype, xp):
    """``where(condition, yes, no)`` of Python scalars `yes` and `no` as `dtype`, on `condition`'s device."""
    dev = device(condition)
    return xp.where(
        condition, xp.asarray(yes, dtype=dtype, device=dev), xp.asarray(no, dtype=dtype, device=dev)
    )


def _zeroed_ranges(n, start, stop, residual):
    """The bins (ranges of ``0 .. n - 1``) SciPy zeroes in ``Z`` to leave the residual."""
    every = range(n)
    zeroed = [every[:stop], every[start:]] if start <= 0 < stop else [every[start:stop]]
    if residual == "lowpass":
        zeroed += [every[stop : (n + 1) // 2]] if stop > 0 else [every[start:], every[0 : (n + 1) // 2]]
    return [(r.start, r.stop) for r in zeroed if len(r)]


def _residual(spectrum, start, stop, n_out, residual, xp):
    n, bins = spectrum.n, spectrum.bins
    frequency = spectrum.indices(bins.shape[-1])
    zeroed = xp.zeros(frequency.shape, dtype=xp.bool, device=device(bins))
    for lo, hi in _zeroed_ranges(n, start, stop, residual):
        zeroed = zeroed | ((frequency >= lo) & (frequency < hi))
    kept = xp.where(zeroed, xp.zeros((), dtype=bins.dtype, device=device(bins)), bins)
    if not spectrum.real:
        return resample_spectrum(kept, n_out, None, xp)
    m = min(n, n_out)
    if n_out != n and m % 2 == 0:  # the unpaired bin m // 2, as `resample`
        real = xp.float32 if kept.dtype == xp.complex64 else xp.float64
        kept = kept * _choose(frequency == m // 2, 2.0 if n_out < n else 0.5, 1.0, real, xp)
    kept = kept * (n_out / n)
    if _one_long_numpy_line(kept, n_out, xp):
        return np.reshape(packed_irfft(kept.reshape(-1), n_out), (*kept.shape[:-1], n_out))
    return fft_module(xp).irfft(whole_last_axis(kept, xp), n=n_out, axis=-1)


def _one_long_numpy_line(a, n, xp):
    """Whether `a` is one NumPy line whose real FFT of the even length `n` runs packed (faster)."""
    return is_numpy_namespace(xp) and a.size == a.shape[-1] and n % 2 == 0 and n >= PACKED_FROM
