"""CPU IIR kernels (Numba, all cores): cascades of direct form II transposed sections.

A cascade is ``b, a`` of shape ``(sections, order + 1)`` with ``a[:, 0] == 1``;
its state is ``(sections, order)`` per channel. Each channel is one parallel
task that walks its samples once and, at every sample, runs the value through
all sections (the cascade fused): the state stays in a small per-task array,
the signal is read and written once. The out-of-order core overlaps the
sections' recurrences, so one channel runs as fast as SciPy's loop and many
channels use every core.

Rounding follows SciPy's loops operation for operation: second-order
sections as ``scipy.signal.sosfilt`` (``z0 = (b1 x - a1 y) + z1``), any other
order as ``scipy.signal.lfilter`` (``z[k] = (z[k+1] + x b[k+1]) - y a[k+1]``).
Numba emits no fused multiply-adds without ``fastmath``, so results equal
SciPy's bit for bit on x86-64 (an order-2 ``lfilter`` differs by an ulp or so).

Compiled once per dtype and array layout, cached on disk; shapes, section
counts and orders are arguments.
"""

import math

import numpy as np
from numba import njit, prange

from gsci.kernels._cpu import launch_lock, launcher

_PAD_CODES = {None: 0, "odd": 1, "even": 2, "constant": 3}


@njit(cache=True, nogil=True)
def _sos_line(b, a, z, x, y):
    """Second-order sections over the 1-D ``x`` into ``y`` (may be ``x``); state ``z`` (sections, 2)."""
    sections = b.shape[0]
    for t in range(x.shape[0]):
        value = x[t]
        for s in range(sections):
            out = b[s, 0] * value + z[s, 0]
            z[s, 0] = b[s, 1] * value - a[s, 1] * out + z[s, 1]
            z[s, 1] = b[s, 2] * value - a[s, 2] * out
            value = out
        y[t] = value


@njit(cache=True, nogil=True)
def _df2t_line(b, a, z, x, y):
    """Sections of any order over the 1-D ``x`` into ``y`` (may be ``x``); state ``z`` (sections, order)."""
    sections, order = z.shape
    for t in range(x.shape[0]):
        value = x[t]
        for s in range(sections):
            if order == 0:
                out = b[s, 0] * value
            else:
                out = z[s, 0] + b[s, 0] * value
                for k in range(order - 1):
                    z[s, k] = z[s, k + 1] + b[s, k + 1] * value - a[s, k + 1] * out
                z[s, order - 1] = b[s, order] * value - a[s, order] * out
            value = out
        y[t] = value


@njit(cache=True, nogil=True)
def _cascade_line(b, a, z, x, y):
    if z.shape[1] == 2:
        _sos_line(b, a, z, x, y)
    else:
        _df2t_line(b, a, z, x, y)


@njit(parallel=True, cache=True, nogil=True)
def _filter_channels(b, a, x, zi, y, zf):
    """x, y: (channels, n); zi, zf: (channels, sections, order). One channel per task."""
    for c in prange(x.shape[0]):
        _filter_channel(b, a, x, zi, y, zf, c)


@njit(cache=True, nogil=True)
def _filter_channels_serially(b, a, x, zi, y, zf):
    """`_filter_channels` in the calling thread."""
    for c in range(x.shape[0]):
        _filter_channel(b, a, x, zi, y, zf, c)


@njit(cache=True, nogil=True)
def _filter_channel(b, a, x, zi, y, zf, c):
    z = zi[c].copy()
    _cascade_line(b, a, z, x[c], y[c])
    zf[c] = z


@njit(cache=True, nogil=True)
def _edge(x, padtype, padlen, left):
    """The ``padlen`` samples SciPy's ``odd_ext``/``even_ext``/``const_ext`` put before (after) ``x``."""
    n = x.shape[0]
    end = x[0] if left else x[n - 1]
    edge = np.empty(padlen, x.dtype)
    for j in range(padlen):
        # left: ext[j] mirrors x[padlen - j]; right: ext[n + j] mirrors x[n - 2 - j]
        mirrored = x[padlen - j] if left else x[n - 2 - j]
        if padtype == 1:
            edge[j] = (end + end) - mirrored
        elif padtype == 2:
            edge[j] = mirrored
        else:
            edge[j] = end
    return edge


@njit(parallel=True, cache=True, nogil=True)
def _filtfilt_channels(b, a, x, zi, padtype, padlen, y):
    """x, y: (channels, n); zi: (sections, order), the steady state for a unit step."""
    for c in prange(x.shape[0]):
        _filtfilt_channel(b, a, x[c], zi, padtype, padlen, y[c])


@njit(cache=True, nogil=True)
def _filtfilt_channels_serially(b, a, x, zi, padtype, padlen, y):
    """`_filtfilt_channels` in the calling thread."""
    for c in range(x.shape[0]):
        _filtfilt_channel(b, a, x[c], zi, padtype, padlen, y[c])


@njit(cache=True, nogil=True)
def _filtfilt_channel(b, a, line, zi, padtype, padlen, out):
    left = _edge(line, padtype, padlen, True)
    right = _edge(line, padtype, padlen, False)
    first = left[0] if padlen > 0 else line[0]
    z = zi * first
    scratch = np.empty(padlen, line.dtype)
    _cascade_line(b, a, z, left, scratch)
    _cascade_line(b, a, z, line, out)
    _cascade_line(b, a, z, right, right)
    last = right[padlen - 1] if padlen > 0 else out[out.shape[0] - 1]
    z = zi * last
    # backward: the reversed right edge only sets the state; the left edge's output is cut away
    _cascade_line(b, a, z, right[::-1], scratch)
    _cascade_line(b, a, z, out[::-1], out[::-1])


def _rows(x):
    """``x`` as a C-contiguous (channels, n), a view where it is one: one compiled layout for all strides."""
    return np.ascontiguousarray(x.reshape(math.prod(x.shape[:-1]), x.shape[-1]))


def _cast(coefficients, dtype):
    return np.ascontiguousarray(coefficients, dtype=dtype)


def filter_sections(b, a, x, zi):
    """Filter ``x`` along its last axis through a cascade of direct form II transposed sections.

    The engine interface of `gsci.signal._iir` on NumPy arrays: ``lfilter`` is
    one section of order ``N``, ``sosfilt`` ``n_sections`` of order 2.

    Parameters
    ----------
    b, a : ndarray, shape (sections, order + 1)
        Numerators and denominators, normalized (``a[:, 0] == 1``).
    x : ndarray, shape (..., n)
        float32, float64, complex64 or complex128; any strides.
    zi : ndarray, shape (..., sections, order)
        Initial state per channel (may be a broadcast view).

    Returns
    -------
    y : ndarray, shape (..., n)
        The output, C-contiguous, of ``x``'s dtype.
    zf : ndarray, shape (..., sections, order)
        The final state.

    Notes
    -----
    ``b``, ``a`` and ``zi`` are cast to ``x``'s dtype. Inputs are never
    written.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.kernels.iir_cpu import filter_sections
    >>> y, zf = filter_sections(np.array([[1.0, 0.0]]), np.array([[1.0, -0.5]]), np.ones(4), np.zeros((1, 1)))
    >>> y
    array([1.   , 1.5  , 1.75 , 1.875])
    """
    sections, order = b.shape[0], b.shape[1] - 1
    batch, n = x.shape[:-1], x.shape[-1]
    rows = _rows(x)
    state = np.broadcast_to(zi, (*batch, sections, order)).reshape(rows.shape[0], sections, order)
    state = _cast(state, x.dtype)
    y = np.empty((rows.shape[0], n), dtype=x.dtype)
    zf = np.empty_like(state)
    launch = launcher(_filter_channels, _filter_channels_serially, rows.shape[0], rows.size * b.size)
    with launch_lock:
        launch(_cast(b, x.dtype), _cast(a, x.dtype), rows, state, y, zf)
    return y.reshape(*batch, n), zf.reshape(*batch, sections, order)


def filtfilt_sections(b, a, x, zi, padtype, padlen):
    """Forward-backward filtering of ``x`` along its last axis, as ``sosfiltfilt`` and ``filtfilt``'s "pad".

    One pass per channel does what SciPy does with array operations: extend
    ``x`` by ``padlen`` samples at each end (``padtype``), filter forward from
    the state ``zi * ext[0]``, filter the reversed result from
    ``zi * forward[-1]``, reverse and cut the extension away. The extension
    is computed on the fly; no temporary of ``x``'s size is made.

    Parameters
    ----------
    b, a : ndarray, shape (sections, order + 1)
        Normalized cascade (``a[:, 0] == 1``): ``sos[:, :3], sos[:, 3:]`` or
        ``b[None], a[None]`` padded to one length.
    x : ndarray, shape (..., n)
        float32, float64, complex64 or complex128; any strides.
    zi : ndarray, shape (sections, order)
        The step response's steady state: ``sosfilt_zi(sos)``, or
        ``lfilter_zi(b, a)[None]``.
    padtype : {"odd", "even", "constant", None}
        The extension, as SciPy's ``odd_ext``, ``even_ext``, ``const_ext``.
    padlen : int
        Samples added at each end; ``0 <= padlen < n`` (``padlen == 0`` if
        ``padtype`` is None), checked by the caller.

    Returns
    -------
    y : ndarray, shape (..., n)
        The filtered signal, C-contiguous, of ``x``'s dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.kernels.iir_cpu import filtfilt_sections
    >>> b, a = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
    >>> filtfilt_sections(b, a, np.arange(5.0), np.array([[0.5]]), "odd", 2)
    array([0., 1., 2., 3., 4.])
    """
    n = x.shape[-1]
    rows = _rows(x)
    y = np.empty(rows.shape, dtype=x.dtype)
    launch = launcher(_filtfilt_channels, _filtfilt_channels_serially, rows.shape[0], 2 * rows.size * b.size)
    if n > 0:
        with launch_lock:
            launch(
                _cast(b, x.dtype),
                _cast(a, x.dtype),
                rows,
                _cast(zi, x.dtype),
                _PAD_CODES[padtype],
                padlen,
                y,
            )
    return y.reshape(x.shape)
