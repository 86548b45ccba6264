"""`deconvolve`: polynomial division by inverse filtering, on any Array API library."""

from gsci._lib._arrays import as_array
from gsci._lib._compat import device
from gsci._lib._dispatch import fewer_elements, gsci_function


# below 2^9 samples SciPy's fixed cost per call is lower; above, its O(N^2) impulse response loses
@gsci_function("signal", arrays=("signal", "divisor"), scipy_when=fewer_elements(2**9))
def deconvolve(signal, divisor, *, xp):
    """Deconvolve `divisor` out of `signal` by inverse filtering.

    Same as `scipy.signal.deconvolve`: ``signal = convolve(divisor,
    quotient) + remainder``. Where the divisor
    is longer than the signal, gsci's native path returns an empty float64
    array as the quotient where SciPy returns an empty list.

    Parameters
    ----------
    signal : (N,) array
        The signal (the dividend's coefficients).
    divisor : (D,) array
        The divisor, e.g. the impulse response applied to the signal.

    Returns
    -------
    quotient : array
        The ``N - D + 1`` quotient coefficients (float64, complex128 for
        complex input), the recovered signal.
    remainder : array
        ``signal - convolve(divisor, quotient)``, of `signal`'s length.

    Raises
    ------
    ValueError
        If `signal` or `divisor` is not a non-empty 1-D array, or
        ``divisor[0] == 0`` (checked on values: skipped for Dask and
        under ``jax.jit``, as `lfilter` does).

    Notes
    -----
    The quotient is the start of ``lfilter(1, divisor, signal)``: SciPy
    takes the impulse response of ``signal / divisor``, the same values in
    ``O(N^2)`` operations where this costs ``O(N D)``,
    and the product ``convolve(divisor, quotient)`` an FIR `lfilter` of
    the zero-padded quotient, so both run on every library (lazily on Dask
    and under ``jax.jit``) with `lfilter`'s engines.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import deconvolve
    >>> quotient, remainder = deconvolve(np.array([0.0, 2, 1, 0, 2, 3, 1, 0, 0]), np.array([2.0, 1]))
    >>> quotient.tolist()
    [0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    >>> remainder.tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    from gsci.signal._iir import lfilter

    num = _line(as_array(signal, xp), "signal", xp)
    den = _line(as_array(divisor, xp, num), "divisor", xp)
    n, d = num.shape[0], den.shape[0]
    complex_input = xp.isdtype(num.dtype, "complex floating") or xp.isdtype(den.dtype, "complex floating")
    dtype = xp.complex128 if complex_input else xp.float64
    if d > n:
        return xp.zeros((0,), dtype=xp.float64, device=device(num)), num
    dev = device(num)
    wide_num, wide_den = xp.astype(num, dtype), xp.astype(den, dtype)  # SciPy's lfilter runs in float64
    one = xp.ones((1,), dtype=dtype, device=dev)
    # lfilter(num, den, impulse) = lfilter(1, den, num) over the first n - d + 1 samples: an all-pole filter
    quotient = lfilter(one, wide_den, wide_num)[: n - d + 1]
    padded = xp.concat([quotient, xp.zeros((d - 1,), dtype=dtype, device=dev)])
    return quotient, wide_num - lfilter(wide_den, one, padded)


def _line(a, name, xp):
    if a.ndim == 0:
        a = xp.reshape(a, (1,))
    if not (a.ndim == 1 and a.shape[0] > 0):
        raise ValueError(f"Parameter {name} must be non-empty 1d array, but its shape is {tuple(a.shape)}!")
    return a
