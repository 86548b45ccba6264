"""Waveforms: `chirp`, `gausspulse`, `sawtooth`, `square`, `sweep_poly` and `unit_impulse`.

Each waveform is an element-wise formula in the time array ``t``, written once
against ``xp``: the result has ``t``'s library, device, shape (and, on Dask, its
chunks), and works under ``jax.jit``; on torch it is differentiable wherever
SciPy's formula is. Nothing synchronises with the host.

Values equal SciPy 1.17's: each formula takes SciPy's operations in SciPy's
order, in the precision NumPy's promotion rules give SciPy (a float32 ``t``
keeps float32 where SciPy's intermediate results do, then the result is
float64 or complex128 as in SciPy). Scalars (``f0``, ``fc``, ``phi``, ...) are
host numbers, as in SciPy, which converts them with ``float``; NumPy scalars
keep their dtype in that promotion, as in SciPy.

NumPy input (and torch CPU tensors outside autograd, as NumPy views) of more
than 2 * `_BLOCK` samples is computed in blocks that stay in cache, shared
among the cores: each formula takes several passes over its temporaries, and
SciPy's take them over memory. (Measured: torch's own CPU kernels on such
blocks ran slower than this NumPy route on the shared 2-core machine.)
"""

import functools
import math
import operator
import sys

import numpy as np

from gsci._lib._arrays import as_array
from gsci._lib._compat import device as device_of
from gsci._lib._compat import is_jax_namespace, is_numpy_namespace, is_torch_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci._lib._fft import in_pieces
from gsci.signal.windows._common import window_namespace

_CHIRP_METHODS = {
    **dict.fromkeys(("linear", "lin", "li"), "linear"),
    **dict.fromkeys(("quadratic", "quad", "q"), "quadratic"),
    **dict.fromkeys(("logarithmic", "log", "lo"), "logarithmic"),
    **dict.fromkeys(("hyperbolic", "hyp"), "hyperbolic"),
}
_BLOCK = 16384  # samples per block of the NumPy evaluation: 128 KiB of float64, cache-resident
_PI = math.pi


def _numpy_dtype(dtype):
    """The NumPy dtype of any library's ``dtype`` (torch's and array-api-strict's by name)."""
    if isinstance(dtype, np.dtype):
        return dtype
    return _named_dtype(dtype)


@functools.cache
def _named_dtype(dtype):
    return np.dtype(str(dtype).rpartition(".")[2])


@functools.cache
def _in(xp, dtype):
    """NumPy dtype ``dtype`` as ``xp``'s dtype of the same name."""
    return getattr(xp, dtype.name)


@functools.cache
def _promoted(dtype, scalar_dtype):
    """``np.result_type`` of an array's dtype and a NumPy scalar's (memoized: it costs microseconds)."""
    return np.result_type(dtype, scalar_dtype)


def _scalar_dtype(value):
    """Host number ``value`` as `np.result_type` should see it: a Python number itself (weak: it
    takes the array's precision), a NumPy scalar's dtype (strong), as NumPy promotes them in SciPy."""
    return value if isinstance(value, (bool, int, float, complex)) else np.asarray(value).dtype


def _inexact(dtype):
    """``dtype``, or float64 for bool and integer dtypes (NumPy's result of a float scalar times them)."""
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def _time(t, xp):
    """``t`` as an array of ``xp`` and its NumPy dtype."""
    t = as_array(t, xp)
    return t, _numpy_dtype(t.dtype)


def _cast(x, dtype, xp):
    """``x`` in NumPy dtype ``dtype`` (``x`` itself where it has it)."""
    target = _in(xp, dtype)
    return x if x.dtype == target else xp.astype(x, target)


def _blockwise(formula, t, xp):
    """``formula(t)`` (an array or a tuple of arrays), element-wise in ``t``.

    NumPy ``t`` of many samples runs in blocks of `_BLOCK` samples, so that the
    formula's temporaries stay in cache, the blocks shared among the cores
    (NumPy's loops release the GIL); other libraries take it whole.
    """
    if not (is_numpy_namespace(xp) and t.size > 2 * _BLOCK):
        return formula(t)
    flat = np.ravel(t)
    first = formula(flat[:_BLOCK])
    single = not isinstance(first, tuple)
    outputs = [np.empty(flat.shape, p.dtype) for p in ((first,) if single else first)]

    def blocks(lo, hi):
        for block in range(lo, hi):
            start, stop = block * _BLOCK, (block + 1) * _BLOCK
            parts = formula(flat[start:stop]) if block else first
            for out, part in zip(outputs, (parts,) if single else parts, strict=True):
                out[start:stop] = part

    in_pieces(blocks, -(-flat.size // _BLOCK))
    outputs = tuple(out.reshape(t.shape) for out in outputs)
    return outputs[0] if single else outputs


def _check_chirp(f0, f1, method):
    """SciPy's checks of ``f0`` and ``f1`` for ``method``, before any work."""
    if method == "logarithmic" and f0 * f1 <= 0.0:
        raise ValueError("For a logarithmic chirp, f0 and f1 must be nonzero and have the same sign.")
    if method == "hyperbolic" and (f0 == 0 or f1 == 0):
        raise ValueError("For a hyperbolic chirp, f0 and f1 must be nonzero.")


def _chirp_phase(t, dtype, f0, t1, f1, method, vertex_zero, xp):
    """SciPy's ``_chirp_phase`` for ``t`` of NumPy dtype ``dtype``, in the dtype SciPy's phase has."""
    work = _inexact(dtype)
    t = _cast(t, work, xp)
    if method == "linear":
        beta = (f1 - f0) / t1
        return 2 * _PI * (f0 * t + 0.5 * beta * t * t)
    if method == "quadratic":
        beta = (f1 - f0) / (t1**2)
        if vertex_zero:
            return 2 * _PI * (f0 * t + beta * _cube(t, dtype, xp) / 3)
        return 2 * _PI * (f1 * t + beta * ((t1 - t) ** 3 - t1**3) / 3)
    if f0 == f1:  # logarithmic or hyperbolic: a constant frequency
        return 2 * _PI * f0 * t
    if method == "logarithmic":
        beta = t1 / np.log(f1 / f0)  # a NumPy float64, as in SciPy: the phase is float64 whatever t's dtype
        scale = 2 * _PI * beta * f0
        return _cast((f1 / f0) ** (t / t1) - 1.0, np.result_type(work, scale), xp) * float(scale)
    sing = -f1 * t1 / (f0 - f1)  # the instantaneous frequency blows up at t == sing
    return 2 * _PI * (-sing * f0) * xp.log(xp.abs(1 - t / sing))


def _cube(t, dtype, xp):
    """``t ** 3`` as SciPy takes it: integers cubed as integers (NumPy's wrap-around included)."""
    return xp.astype(_cast(t, dtype, xp) ** 3, t.dtype) if dtype.kind in "iu" else t**3


def _chirp_method(method):
    name = _CHIRP_METHODS.get(method) if isinstance(method, str) else None
    if name is None:
        raise ValueError(
            "method must be 'linear', 'quadratic', 'logarithmic', or 'hyperbolic', "
            f"but a value of {method!r} was given."
        )
    return name


def _oscillation(phase, complex, xp):
    """``exp(1j * phase)`` or ``cos(phase)``."""
    return xp.exp(1j * phase) if complex else xp.cos(phase)


# Below 2**16 samples SciPy's NumPy calls are gsci's (same values), at less cost per call; above,
# gsci's blocks stay in cache and share the cores (measured: 1.1x SciPy at 2**22 on a loaded 2-core machine).
@gsci_function("signal", arrays=("t",), scipy_when=fewer_elements(2**16), torch_as_numpy=True)
def chirp(t, f0, t1, f1, method="linear", phi=0, vertex_zero=True, *, complex=False, xp):
    r"""Frequency-swept cosine, like `scipy.signal.chirp`.

    Parameters
    ----------
    t : array
        Times at which to evaluate the waveform.
    f0 : float
        Frequency (cycles per unit of `t`) at ``t = 0``.
    t1 : float
        Time at which `f1` is specified.
    f1 : float
        Frequency at ``t = t1``.
    method : {'linear', 'quadratic', 'logarithmic', 'hyperbolic'}, optional
        Kind of sweep (abbreviations ``'lin'``, ``'li'``, ``'quad'``, ``'q'``,
        ``'log'``, ``'lo'``, ``'hyp'``). Default: ``'linear'``. The
        instantaneous frequency is ``f0 + (f1 - f0) t / t1`` (linear),
        ``f0 + (f1 - f0) t**2 / t1**2`` (quadratic, vertex at ``t = 0``; at
        ``t = t1`` if `vertex_zero` is False), ``f0 (f1 / f0)**(t / t1)``
        (logarithmic: `f0` and `f1` nonzero, of one sign) or
        ``f0 f1 t1 / ((f0 - f1) t + f1 t1)`` (hyperbolic: both nonzero).
    phi : float, optional
        Phase offset in degrees. Default: 0.
    vertex_zero : bool, optional
        For ``'quadratic'`` only: whether the parabola's vertex is at ``t = 0``
        (default) or at ``t = t1``.
    complex : bool, optional
        Return the analytic signal ``exp(1j * phase)`` instead of ``cos(phase)``.
        Default: False.

    Returns
    -------
    y : array
        ``cos(phase + phi)`` (or ``exp(1j * (phase + phi))``), ``phase`` the
        integral of ``2 pi f(t)`` from 0: float64 (complex128), as in SciPy,
        whatever `t`'s dtype; a float32 `t` gives SciPy's float32 phase.

    Raises
    ------
    ValueError
        If `method` names no sweep, or `f0` and `f1` do not suit it.

    Notes
    -----
    NumPy input of fewer than 2**16 samples runs SciPy's code (it costs less
    per call, and its operations are gsci's, so values are the same); larger
    NumPy input, and torch CPU tensors outside autograd, run gsci's formula on
    NumPy in cache-sized blocks shared among the cores. Other libraries run it natively on their device:
    under ``jax.jit``, lazily on Dask (``t``'s chunks), differentiably on torch.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import chirp
    >>> t = np.linspace(0, 1, 5)
    >>> np.round(chirp(t, f0=1, t1=1, f1=3), 6).tolist()
    [1.0, -0.382683, -0.0, -0.382683, 1.0]
    """
    f0, t1, f1 = float(f0), float(t1), float(f1)
    method = _chirp_method(method)
    _check_chirp(f0, f1, method)
    t, dtype = _time(t, xp)
    offset = np.deg2rad(phi)  # a NumPy scalar, as in SciPy: it sets the result's dtype
    offset_dtype = offset.dtype
    add = None if offset == 0 else float(offset)  # adding 0 changes no cosine

    def formula(t):
        phase = _chirp_phase(t, dtype, f0, t1, f1, method, vertex_zero, xp)
        phase = _cast(phase, _promoted(_numpy_dtype(phase.dtype), offset_dtype), xp)
        return _oscillation(phase if add is None else phase + add, complex, xp)

    return _blockwise(formula, t, xp)


# below 2**9 samples SciPy's few NumPy calls cost less than gsci's (measured; same values)
@gsci_function("signal", arrays=("t",), scipy_when=fewer_elements(2**9), torch_as_numpy=True)
def gausspulse(t, fc=1000, bw=0.5, bwr=-6, tpr=-60, retquad=False, retenv=False, *, xp):
    """Gaussian-modulated sinusoid ``exp(-a t**2) exp(2j pi fc t)``, like `scipy.signal.gausspulse`.

    Parameters
    ----------
    t : array or the string 'cutoff'
        Times; or ``'cutoff'``, for the time at which the envelope falls below
        `tpr`.
    fc : float, optional
        Centre frequency. Default: 1000.
    bw : float, optional
        Fractional bandwidth of the pulse in frequency. Default: 0.5.
    bwr : float, optional
        Reference level (dB) at which `bw` is measured. Default: -6.
    tpr : float, optional
        For ``t='cutoff'``: the level (dB) of the cutoff. Default: -60.
    retquad : bool, optional
        Also return the quadrature (imaginary) part. Default: False.
    retenv : bool, optional
        Also return the envelope. Default: False.

    Returns
    -------
    yI : array
        The real part, float64 as in SciPy.
    yQ : array
        The quadrature part, if `retquad`.
    yenv : array
        The envelope, if `retenv`.
    tc : numpy.float64
        For ``t='cutoff'``: the cutoff time, a host number.

    Raises
    ------
    ValueError
        If ``fc < 0``, ``bw <= 0``, ``bwr >= 0``, or ``t`` is a string other
        than ``'cutoff'`` (or it is, with ``tpr >= 0``).

    Notes
    -----
    Paths as for `chirp`: SciPy below 512 NumPy samples, gsci's formula on
    NumPy (torch CPU outside autograd) above, natively elsewhere (``jax.jit``,
    lazy Dask, torch autograd).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import gausspulse
    >>> i, e = gausspulse(np.array([0.0, 0.00025]), fc=1000, retenv=True)
    >>> np.round(i, 6).tolist(), np.round(e, 6).tolist()
    ([1.0, 0.0], [1.0, 0.945717])
    >>> round(float(gausspulse("cutoff")), 6)
    0.002781
    """
    if fc < 0:
        raise ValueError(f"Center frequency (fc={fc:.2f}) must be >=0.")
    if bw <= 0:
        raise ValueError(f"Fractional bandwidth (bw={bw:.2f}) must be > 0.")
    if bwr >= 0:
        raise ValueError(f"Reference level for bandwidth (bwr={bwr:.2f}) must be < 0 dB")
    ref = pow(10.0, bwr / 20.0)
    a = -((_PI * fc * bw) ** 2) / (4.0 * np.log(ref))  # a NumPy float64, as in SciPy
    if isinstance(t, str):
        if t != "cutoff":
            raise ValueError("If `t` is a string, it must be 'cutoff'")
        if tpr >= 0:
            raise ValueError("Reference level for time cutoff must be < 0 dB")
        return np.sqrt(-np.log(pow(10.0, tpr / 20.0)) / a)
    t, dtype = _time(t, xp)
    envelope_dtype = _inexact(np.result_type(dtype, a))
    omega = 2 * _PI * fc
    carrier_dtype = _inexact(np.result_type(dtype, _scalar_dtype(omega)))
    minus_a, omega = float(-a), float(omega)

    def formula(t):
        wide = _cast(t, envelope_dtype, xp)
        yenv = xp.exp(minus_a * wide * wide)
        angle = omega * _cast(t, carrier_dtype, xp)
        result = (yenv * xp.cos(angle),)
        if retquad:
            result += (yenv * xp.sin(angle),)
        return (*result, yenv) if retenv else result

    result = _blockwise(formula, t, xp)
    return result if len(result) > 1 else result[0]


def _is_number(value):
    return isinstance(value, (bool, int, float, complex, np.generic))


def _width(width, t, xp, name):
    """``width`` (or ``duty``): a host number, or an array of ``t``'s library; with the working dtype."""
    if _is_number(width):
        w_dtype = np.asarray(width).dtype  # SciPy's asarray(width): strong, as an array
    else:
        width = as_array(width, xp, t)
        w_dtype = _numpy_dtype(width.dtype)
    t_dtype = _numpy_dtype(t.dtype)
    if t_dtype.kind == "b":
        raise TypeError(f"t must not be boolean, got t of dtype {t_dtype} (SciPy subtracts t from itself)")
    try:
        work = np.result_type(t_dtype, w_dtype)
    except TypeError as e:
        raise TypeError(f"{name} of dtype {w_dtype} does not combine with t of dtype {t_dtype}") from e
    if work.kind not in "biuf":
        raise TypeError(f"{name} and t must be real numbers, got dtypes {w_dtype} and {t_dtype}")
    return width, _inexact(work)


def _modulo_two_pi(t, xp):
    """``t mod 2 pi`` in ``[0, 2 pi]`` as NumPy takes it: ``fmod``, then ``2 pi`` added to a negative one.

    torch's ``remainder`` subtracts ``2 pi floor(t / 2 pi)`` instead, which differs for large ``t``.
    """
    if not is_torch_namespace(xp):
        return xp.remainder(t, 2 * _PI)
    torch = sys.modules["torch"]
    r = torch.fmod(t, 2 * _PI)
    return torch.where(r < 0, r + 2 * _PI, r)


@gsci_function("signal", arrays=("t",), operators=("width",), torch_as_numpy=True)
def sawtooth(t, width=1, *, xp):
    """Periodic sawtooth or triangle wave of period ``2 pi``, like `scipy.signal.sawtooth`.

    Parameters
    ----------
    t : array
        Time.
    width : float or array, optional
        The rising ramp's share of each period, in ``[0, 1]``: 1 (default) a
        rising ramp, 0 a falling one, 0.5 a triangle. An array broadcast with
        `t` (an array of `t`'s library, a NumPy array or a sequence) shapes
        each sample. Samples whose width is outside ``[0, 1]`` are NaN.

    Returns
    -------
    y : array
        The wave, float64, of `t` and `width` broadcast together: it rises
        from -1 to 1 on ``[0, 2 pi width)`` and falls back to -1 on
        ``[2 pi width, 2 pi)``.

    Raises
    ------
    TypeError
        If `t` is boolean, or `t` or `width` complex.

    Notes
    -----
    SciPy picks the samples of each piece out and places them back; gsci
    evaluates both pieces and selects, in SciPy's arithmetic (a float32 `t`
    with a float32 `width` is computed in float32, as in SciPy). NumPy input
    (torch CPU outside autograd) runs on NumPy, other libraries natively
    (``jax.jit``, lazy Dask, torch autograd).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import sawtooth
    >>> sawtooth(np.pi * np.array([0.0, 0.5, 1.0, 1.5]), width=0.5).tolist()
    [-1.0, 0.0, 1.0, 0.0]
    """
    t = as_array(t, xp)
    width, work = _width(width, t, xp, "width")
    t = _cast(t, work, xp)
    if _is_number(width):  # a host number: its branches are chosen here
        w = np.asarray(width, work)
        if w > 1 or w < 0:
            return xp.full_like(t, math.nan, dtype=xp.float64)
        below, rise = float(w * 2 * _PI), float(_PI * w)
        top, fall = float(_PI * (w + 1)), float(_PI * (1 - w))
        return _blockwise(lambda t: _ramps(_modulo_two_pi(t, xp), below, rise, top, fall, xp), t, xp)
    w = _cast(width, work, xp)
    y = _ramps(_modulo_two_pi(t, xp), w * 2 * _PI, _PI * w, _PI * (w + 1), _PI * (1 - w), xp)
    return xp.where((w > 1) | (w < 0), math.nan, y)


def _ramps(tmod, below, rise, top, fall, xp):
    """SciPy's pieces: ``tmod / rise - 1`` where ``tmod < below``, else ``(top - tmod) / fall`` (float64).

    One division of the piece's numerator by its denominator: the piece not taken
    never divides (a width of 0 or 1 divides no 0, a small one overflows nothing).
    """
    rising = tmod < below
    if not hasattr(fall, "shape"):  # host numbers: xp.where of two would take torch's default dtype
        fall = xp.full_like(tmod, fall)
    quotient = xp.where(rising, tmod, top - tmod) / xp.where(rising, rise, fall)
    return _cast(xp.where(rising, quotient - 1, quotient), np.dtype(np.float64), xp)


@gsci_function("signal", arrays=("t",), operators=("duty",), torch_as_numpy=True)
def square(t, duty=0.5, *, xp):
    """Periodic square wave of period ``2 pi``, like `scipy.signal.square`.

    Parameters
    ----------
    t : array
        Time.
    duty : float or array, optional
        Duty cycle, in ``[0, 1]``: the share of each period at +1. Default:
        0.5. An array broadcast with `t` (an array of `t`'s library, a NumPy
        array or a sequence) sets each sample's. Samples whose duty is
        outside ``[0, 1]`` are NaN.

    Returns
    -------
    y : array
        The wave, float64, of `t` and `duty` broadcast together: +1 on
        ``[0, 2 pi duty)`` and -1 on ``[2 pi duty, 2 pi)``.

    Raises
    ------
    TypeError
        If `t` is boolean, or `t` or `duty` complex.

    Notes
    -----
    Paths as for `sawtooth`.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import square
    >>> square(np.pi * np.array([0.0, 0.5, 1.0, 1.5]), duty=0.25).tolist()
    [1.0, -1.0, -1.0, -1.0]
    """
    t = as_array(t, xp)
    duty, work = _width(duty, t, xp, "duty")
    t = _cast(t, work, xp)
    if _is_number(duty):
        w = np.asarray(duty, work)
        if w > 1 or w < 0:
            return xp.full_like(t, math.nan, dtype=xp.float64)
        high = float(w * 2 * _PI)
        return _blockwise(lambda t: _plus_minus_one(_modulo_two_pi(t, xp) < high, xp), t, xp)
    w = _cast(duty, work, xp)
    y = _plus_minus_one(_modulo_two_pi(t, xp) < w * 2 * _PI, xp)
    return xp.where((w > 1) | (w < 0), math.nan, y)


def _plus_minus_one(high, xp):
    """1.0 where ``high``, else -1.0 (float64)."""
    return 2 * xp.astype(high, xp.float64) - 1


# below 2**16 samples SciPy's polyval costs what gsci's Horner loop does (measured; same values)
@gsci_function(
    "signal", arrays=("t",), operators=("poly",), scipy_when=fewer_elements(2**16), torch_as_numpy=True
)
def sweep_poly(t, poly, phi=0, *, xp):
    """Cosine whose instantaneous frequency is a polynomial in time, like `scipy.signal.sweep_poly`.

    Parameters
    ----------
    t : array
        Times at which to evaluate the waveform.
    poly : 1-D array or numpy.poly1d
        The frequency's polynomial coefficients, highest power first
        (``f(t) = poly[0] t**(n-1) + ... + poly[n-1]``), or a `numpy.poly1d`:
        an array of `t`'s library, a NumPy array or a sequence.
    phi : float, optional
        Phase offset in degrees. Default: 0.

    Returns
    -------
    y : array
        ``cos(phase + phi)``, ``phase`` the integral of ``2 pi f(t)`` from 0:
        float64 (complex128 for complex coefficients), as in SciPy.

    Raises
    ------
    TypeError
        If `poly` is a scalar.
    ValueError
        If `poly` has more than one dimension.

    Notes
    -----
    The integral's coefficients are computed in `t`'s library (on its device,
    no host synchronisation) and evaluated by Horner's scheme as in NumPy's
    ``polyval``. Paths as for `chirp` (SciPy below 2**16 NumPy samples).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import sweep_poly
    >>> np.round(sweep_poly(np.array([0.0, 0.25, 0.5]), [2.0]), 6).tolist()
    [1.0, -1.0, 1.0]
    """
    coefficients = poly.coeffs if isinstance(poly, np.poly1d) else poly
    t, dtype = _time(t, xp)
    if not hasattr(coefficients, "shape"):
        coefficients = np.asarray(coefficients)
    if coefficients.ndim == 0:
        raise TypeError(f"poly must be 1-D coefficients or a numpy.poly1d, got a scalar {poly=}")
    if coefficients.ndim != 1:
        raise ValueError(
            f"poly must be 1-D coefficients or a numpy.poly1d, got shape {tuple(coefficients.shape)}"
        )
    c_dtype = _inexact(np.result_type(_numpy_dtype(coefficients.dtype), np.int64))  # polyint: / int64 powers
    n = coefficients.shape[0]
    if isinstance(coefficients, np.ndarray):  # host coefficients: Python numbers (constants of a Dask graph)
        terms = (coefficients.astype(c_dtype) / np.arange(n, 0, -1)).tolist()
    else:  # in t's library, on its device: no synchronisation
        powers = xp.arange(n, 0, -1, dtype=xp.float64, device=device_of(coefficients))
        integral = _cast(coefficients, c_dtype, xp) / powers
        terms = [integral[k] for k in range(n)]
    work = np.result_type(dtype, c_dtype)
    offset = phi * (_PI / 180)
    offset = complex(offset) if np.iscomplexobj(offset) else float(offset)

    def formula(t):
        t = _cast(t, work, xp)
        y = t * 0  # polyval starts from zeros_like(t) times t: NaN and inf stay NaN
        if terms:
            y = y + terms[0]
        for c in terms[1:]:
            y = y * t + c
        y = y * t  # times t, plus the integral's constant term, 0
        return xp.cos(2 * _PI * y + offset)

    return _blockwise(formula, t, xp)


def unit_impulse(shape, idx=None, dtype=float, *, xp=None, device=None):
    r"""Unit impulse (discrete delta) or unit basis vector, like `scipy.signal.unit_impulse`.

    Parameters
    ----------
    shape : int or tuple of int
        Number of samples (1-D), or the output's shape.
    idx : None, int, tuple of int or 'mid', optional
        Index of the 1: None (default) the first element, ``'mid'`` the
        centre (``shape // 2`` on every axis), an int that index on every
        axis.
    dtype : data-type, optional
        The output's dtype: a NumPy dtype or type (``float``, ``int``,
        ``complex``: float64, int64, complex128) or one of `xp`'s dtypes.
        Default: float64.
    xp : namespace, optional
        The array library of the output: a module such as ``torch`` or
        ``jax.numpy``, or an array-api-compat namespace. Default: NumPy.
    device : device, optional
        The device of the output, one of ``xp``'s devices. Default: ``xp``'s
        default device.

    Returns
    -------
    y : array
        Zeros but for a 1 at `idx`.

    Raises
    ------
    IndexError
        If `idx` is out of bounds or not an index.
    ValueError
        If `shape` is negative.

    Notes
    -----
    ``xp`` and ``device`` are gsci's additions (SciPy returns NumPy arrays):
    the impulse is made on the device. With neither, it is SciPy's NumPy
    array. On JAX it works under ``jax.jit`` (``shape`` and ``idx`` static).

    Examples
    --------
    >>> from gsci.signal import unit_impulse
    >>> unit_impulse(5, 2).tolist()
    [0.0, 0.0, 1.0, 0.0, 0.0]
    >>> unit_impulse((3, 3), "mid", dtype=int).tolist()
    [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    """
    if xp is None and device is None:
        out = np.zeros(shape, dtype)
        out[_impulse_index(shape, idx)] = 1
        return out
    namespace = window_namespace(xp)
    try:
        numpy_dtype = np.dtype(dtype)
    except TypeError:  # already one of xp's dtypes (torch.float32, ...)
        numpy_dtype = None
    if numpy_dtype is not None:
        if not hasattr(namespace, numpy_dtype.name):
            raise TypeError(f"{dtype=} has no counterpart in {namespace.__name__}")
        dtype = _in(namespace, numpy_dtype)
    sizes = (operator.index(shape),) if np.ndim(shape) == 0 else tuple(operator.index(n) for n in shape)
    if any(n < 0 for n in sizes):
        raise ValueError(f"negative dimensions are not allowed, got {shape=}")
    index = _checked_index(_impulse_index(shape, idx), sizes)
    out = namespace.zeros(sizes, dtype=dtype, device=device)
    if is_jax_namespace(namespace):
        return out.at[index].set(1)
    out[index] = 1
    return out


def _impulse_index(shape, idx):
    """SciPy's index of the impulse: zeros, ``shape // 2`` (``'mid'``), or ``idx`` on every axis."""
    sizes = np.atleast_1d(shape)
    if idx is None:
        return (0,) * len(sizes)
    if isinstance(idx, str) and idx == "mid":
        return tuple(sizes // 2)
    if not hasattr(idx, "__iter__"):
        return (idx,) * len(sizes)
    return idx


def _checked_index(index, sizes):
    """``index`` as Python ints, checked as NumPy checks it (JAX would clamp an index out of bounds)."""
    index = tuple(index) if isinstance(index, (tuple, list)) else (index,)
    if len(index) > len(sizes):
        raise IndexError(
            f"too many indices for array: array is {len(sizes)}-dimensional, but {len(index)} were indexed"
        )
    checked = []
    for axis, (i, n) in enumerate(zip(index, sizes[: len(index)], strict=True)):
        try:
            i = operator.index(i)
        except TypeError as e:
            raise IndexError(
                f"only integers are valid indices of the impulse, got {i!r} for axis {axis}"
            ) from e
        if not -n <= i < n:
            raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
        checked.append(i % n)
    return (*checked, ...) if len(checked) < len(sizes) else tuple(checked)  # the rest whole, as NumPy
