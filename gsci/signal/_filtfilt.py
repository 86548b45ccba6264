"""Forward-backward IIR filtering: filtfilt and sosfiltfilt.

One composition serves both: extend the signal at each end (odd, even or
constant extension), filter it forward starting from the filter's step
response steady state scaled by the first sample, filter the reversed result
the same way, reverse it back and cut the extension off. The recurrence comes
from an engine of `gsci.signal._iir` (``filter_sections(b, a, x, zi, xp)``,
chosen there by `gsci.signal._iir._fastest`); on NumPy arrays the Numba CPU
kernel runs the whole composition in one call instead (`_filtfilt_on_cpu`).
"""

import functools
import operator
import string

import numpy as np

from gsci._lib._arrays import NUMPY, as_array, from_host, is_array, library_of, to_host
from gsci._lib._compat import array_namespace, device, is_dask_array, is_dask_namespace, is_numpy_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.signal._iir import (
    _at_least_1d,
    _checked_sos,
    _computed,
    _concrete,
    _fastest,
    _filter_sections_on_cpu,
    _filter_sections_on_gpu,
    _float_coefficients,
    _lfilter_computation,
    _lfilter_zi_computation,
    _normalized,
    _numpy_result_dtype,
    _runs_as_sections,
    _sections,
    _sosfilt_computation,
    _sosfilt_zi_computation,
    scipy_loop,
)

_PADTYPES = ("even", "odd", "constant", None)


def _filtfilt(b, a, x, axis, padtype, padlen, method, irlen, xp, engine):
    if method not in ("pad", "gust"):
        raise ValueError(f"method must be 'pad' or 'gust'; got {method=}")
    if method == "gust":
        return _gust_on_host(b, a, x, axis, irlen, xp)
    x = as_array(x, xp)
    b, a = _at_least_1d(as_array(b, xp, x), xp), _at_least_1d(as_array(a, xp, x), xp)
    edge = _pad_length(padtype, padlen, _length(x, axis), taps=max(a.shape[0], b.shape[0]))
    if b.ndim != 1:
        raise ValueError(f"Numerator b must be 1-D; got {b.shape=}")
    if a.ndim != 1:
        raise ValueError(f"Denominator a must be 1-D; got {a.shape=}")
    if a.shape[0] == 0:
        raise ValueError("There must be at least one nonzero `a` coefficient.")
    if b.shape[0] == 0:
        raise ValueError(f"Parameter b is not a non-empty 1d array, since {b.shape=}!")
    order = max(a.shape[0], b.shape[0]) - 1
    if order == 0:
        raise ValueError(f"filtfilt needs a filter of order 1 or more; got {b.shape=} and {a.shape=}")
    if a.shape[0] > 1 and _concrete(a, xp) and bool(a[0] == 0):
        raise ValueError("BUG: filter coefficient a[0] == 0 not supported yet")
    b, a = _float_coefficients(b, xp), _float_coefficients(a, xp)
    dtype = _result_dtype(xp, b, a, x)
    if dtype is None:
        return scipy_loop("filtfilt", b, a, x, axis, padtype, padlen)
    axis = np.lib.array_utils.normalize_axis_index(axis, x.ndim)
    static = {
        "axis": axis,
        "edge": edge,
        "padtype": padtype,
        "order": order,
        "coefficient_dtype": _numpy_result_dtype(xp, b, a)[0],
        "dtype": dtype,
        "engine": engine,
    }
    if is_dask_namespace(xp) and (is_dask_array(b) or is_dask_array(a)):
        public = functools.partial(filtfilt, axis=axis, padtype=padtype, padlen=padlen)
        return _on_dask_blocks(public, (b, a), x, axis, dtype)
    if _runs_as_sections(order, engine, b, a):
        return _computed(_filtfilt_by_sections, static, xp, b, a, x, derivatives=_filtfilt_computation)
    return _computed(_filtfilt_computation, static, xp, b, a, x)


def _filtfilt_by_sections(b, a, x, *, axis, edge, padtype, order, coefficient_dtype, dtype, engine, xp):
    """`_filtfilt_computation`, run by the filter's second-order sections (see `_runs_as_sections`).

    The same output: both passes start from the step-response steady state, whatever the realization.
    """
    sos, _, _ = _sections(b, a, order, xp, like=x)
    return _sosfiltfilt_computation(
        sos, x, axis=axis, edge=edge, padtype=padtype, dtype=dtype, engine=engine, xp=xp
    )


def _filtfilt_computation(b, a, x, *, axis, edge, padtype, order, coefficient_dtype, dtype, engine, xp):
    # SciPy's steady state is in the coefficients' precision, then scaled by samples in the result's
    if engine is _filter_sections_on_cpu:
        zi = _scipy_steady_state("lfilter_zi", b, a)[None, :]
        b, a = _normalized(xp.astype(b, dtype), xp.astype(a, dtype), order, xp)
        return _filtfilt_on_cpu(b[None, :], a[None, :], x, zi, axis, edge, padtype, dtype)
    # SciPy's steady state is in the coefficients' precision, then scaled by samples in the result's
    zi = xp.astype(_lfilter_zi_computation(b, a, order=order, dtype=coefficient_dtype, xp=xp), dtype)
    zi = xp.reshape(zi, _along(axis, x.ndim, order))
    run = functools.partial(
        _lfilter_computation, b, a, axis=axis, order=order, dtype=dtype, engine=engine, xp=xp
    )
    return _forward_backward(run, x, zi, axis=axis, edge=edge, padtype=padtype, dtype=dtype, xp=xp)


def _sosfiltfilt(sos, x, axis, padtype, padlen, xp, engine):
    x = as_array(x, xp)
    sos = _checked_sos(as_array(sos, xp, x), xp)
    if x.ndim == 0:
        raise ValueError("x must be at least 1-D")
    taps = _sos_taps(sos, xp) if padlen is None else None
    edge = _pad_length(padtype, padlen, _length(x, axis), taps=taps)
    if sos.shape[0] == 0:
        raise ValueError(f"sos must have at least one section; got {sos.shape=}")
    sos = _float_coefficients(sos, xp)
    dtype = _result_dtype(xp, sos, x)
    if dtype is None:
        return scipy_loop("sosfiltfilt", sos, x, axis, padtype, padlen)
    static = {
        "axis": np.lib.array_utils.normalize_axis_index(axis, x.ndim),
        "edge": edge,
        "padtype": padtype,
        "dtype": dtype,
        "engine": engine,
    }
    if is_dask_namespace(xp) and is_dask_array(sos):
        public = functools.partial(sosfiltfilt, axis=axis, padtype=padtype, padlen=padlen)
        return _on_dask_blocks(public, (sos,), x, static["axis"], dtype)
    if edge is None:
        return _by_first_order_sections(sos, x, static, _length(x, axis), xp)
    return _computed(_sosfiltfilt_computation, static, xp, sos, x)


def _sosfiltfilt_computation(sos, x, *, axis, edge, padtype, dtype, engine, xp):
    if engine is _filter_sections_on_cpu:
        zi = _scipy_steady_state("sosfilt_zi", sos)
        sos = xp.astype(sos, dtype)
        return _filtfilt_on_cpu(sos[:, :3], sos[:, 3:], x, zi, axis, edge, padtype, dtype)
    zi = xp.astype(_sosfilt_zi_computation(sos, xp=xp), dtype)
    zi = xp.reshape(zi, (sos.shape[0], *_along(axis, x.ndim, 2)))
    run = functools.partial(_sosfilt_computation, sos, axis=axis, dtype=dtype, engine=engine, xp=xp)
    return _forward_backward(run, x, zi, axis=axis, edge=edge, padtype=padtype, dtype=dtype, xp=xp)


def _scipy_steady_state(function, *coefficients):
    """SciPy's step-response steady state of NumPy ``coefficients``: with it, the CPU kernel's result is
    SciPy's to the bit (gsci's closed form rounds differently, and a high-order filter amplifies that)."""
    import scipy.signal

    return getattr(scipy.signal, function)(*coefficients)


def _filtfilt_on_cpu(b, a, x, zi, axis, edge, padtype, dtype):
    """Both passes in one call of the Numba CPU kernel, which pads on the fly (NumPy arrays)."""
    from gsci.kernels import iir_cpu

    cut = 0
    if x.dtype != dtype and edge > 0:  # SciPy extends in x's own dtype, then casts: so must we
        x, cut, edge, padtype = _extended(x, edge, padtype, axis, NUMPY), edge, 0, None
    along_last = np.moveaxis(x.astype(dtype, copy=False), axis, -1)
    y = np.moveaxis(iir_cpu.filtfilt_sections(b, a, along_last, zi, padtype, edge), -1, axis)
    return _part(y, axis, slice(cut, -cut)) if cut else y


def _forward_backward(run, x, zi, *, axis, edge, padtype, dtype, xp):
    """``run(signal, initial_state) -> (y, final_state)`` forward, then backward; ``zi`` per unit sample."""
    # extended in x's own dtype, as SciPy does, then cast
    extended = xp.astype(_extended(x, edge, padtype, axis, xp), dtype, copy=False)
    y, _ = run(extended, zi * _part(extended, axis, slice(0, 1)))
    y, _ = run(xp.flip(y, axis=axis), zi * _part(y, axis, slice(-1, None)))
    y = xp.flip(y, axis=axis)
    return _part(y, axis, slice(edge, -edge)) if edge > 0 else y


def _extended(x, edge, padtype, axis, xp):
    """``x`` with ``edge`` samples added at each end along ``axis`` (SciPy's odd_ext, even_ext, const_ext)."""
    if edge == 0:
        return x
    first, last = _part(x, axis, slice(0, 1)), _part(x, axis, slice(-1, None))
    if padtype == "constant":
        shape = (*x.shape[:axis], edge, *x.shape[axis + 1 :])
        return xp.concat((xp.broadcast_to(first, shape), x, xp.broadcast_to(last, shape)), axis=axis)
    left = xp.flip(_part(x, axis, slice(1, edge + 1)), axis=axis)
    right = xp.flip(_part(x, axis, slice(-edge - 1, -1)), axis=axis)
    if padtype == "odd":
        left, right = 2 * first - left, 2 * last - right
    return xp.concat((left, x, right), axis=axis)


def _part(x, axis, part):
    return x[(slice(None),) * axis + (part, ...)]


def _along(axis, ndim, length):
    """The shape ``(1, ..., length, ..., 1)`` with ``length`` at ``axis``."""
    return tuple(length if k == axis else 1 for k in range(ndim))


def _length(x, axis):
    """``x.shape[axis]``, with Python's IndexError for an axis out of range (as SciPy)."""
    return tuple(x.shape)[axis]


def _pad_length(padtype, padlen, length, taps):
    """SciPy's ``_validate_pad``: samples added at each end (0 for none), checked against ``length``.

    None when the default pad length needs ``taps`` and they are not known yet (``taps`` None).
    """
    if padtype not in _PADTYPES:
        raise ValueError(
            f"Unknown value '{padtype}' given to padtype. padtype must be 'even', 'odd', 'constant', or None."
        )
    if padtype is not None and padlen is None and taps is None:
        return None
    edge = 0 if padtype is None else 3 * taps if padlen is None else padlen
    if length <= edge:
        raise ValueError(f"The length of the input vector x must be greater than padlen, which is {edge}.")
    return operator.index(edge) if edge > 0 else 0


def _sos_taps(sos, xp):
    """SciPy's taps of a cascade: ``2 n + 1``, less the sections of first order; None if not known yet.

    Counting first-order sections looks at values: they are not at hand for
    a Dask ``sos`` or under ``jax.jit``.
    """
    if not _concrete(sos, xp):
        return None
    sxp = array_namespace(sos)  # a NumPy sos with Dask data: NumPy's count
    first_order = min(int(sxp.count_nonzero(sos[:, 2] == 0)), int(sxp.count_nonzero(sos[:, 5] == 0)))
    return 2 * sos.shape[0] + 1 - first_order


def _on_dask_blocks(function, coefficients, x, axis, dtype):
    """Dask: ``function(*coefficients, block)`` on every block holding the whole filtered axis.

    A task has the coefficients' values in hand, so it filters exactly as
    for NumPy (or CuPy) input: the default pad length counts first-order
    sections, and the value checks run (an error raises when the graph
    computes). Batch chunks stay as they are.
    """
    import dask.array as da

    x = x.rechunk({axis: -1})
    index = string.ascii_lowercase[: x.ndim]
    pairs = []
    for position, c in enumerate(coefficients):  # each its own indices: b and a differ in length
        if is_dask_array(c):
            pairs += [c.rechunk(-1), string.ascii_uppercase[2 * position : 2 * position + c.ndim]]
        else:
            pairs += [c, None]
    return da.blockwise(
        function,
        index,
        *pairs,
        x,
        index,
        concatenate=True,
        dtype=dtype,
        meta=x._meta.astype(dtype),
    )


def _by_first_order_sections(sos, x, static, length, xp):
    """Under ``jax.jit``: `_sosfiltfilt_computation` for the default pad length of ``sos``'s values.

    That length counts the first-order sections: ``jax.lax.switch`` picks
    among the ``n_sections + 1`` possible lengths. A length not less than
    ``length`` gives NaN (SciPy raises; XLA cannot); if every one would,
    this raises SciPy's ValueError.
    """
    import jax

    sections = sos.shape[0]
    edges = [3 * (2 * sections + 1 - k) for k in range(sections + 1)]
    if length <= edges[-1]:
        raise ValueError(
            f"The length of the input vector x must be greater than padlen, which is at least {edges[-1]}."
        )

    def branch(edge):
        if length <= edge:
            return lambda sos, x: xp.full(x.shape, xp.nan, dtype=static["dtype"])
        return functools.partial(_computed, _sosfiltfilt_computation, {**static, "edge": edge}, xp)

    first_order = xp.minimum(xp.count_nonzero(sos[:, 2] == 0), xp.count_nonzero(sos[:, 5] == 0))
    return jax.lax.switch(first_order, [branch(edge) for edge in edges], sos, x)


def _result_dtype(xp, *arrays):
    """NumPy's promotion of the (float) coefficients and ``x``; TypeError where gsci has no engine.

    None for NumPy input of a dtype no engine has (extended precision, object): SciPy's loops take it.
    """
    dtype, name = _numpy_result_dtype(xp, *arrays)
    if dtype is None and not is_numpy_namespace(xp):
        raise TypeError(f"forward-backward filtering does not support the result dtype {name}")
    return dtype


def _gust_on_host(b, a, x, axis, irlen, xp):
    """``method="gust"``: SciPy's filtfilt on host copies, the result back in ``xp`` on ``x``'s device."""
    given = {"b": b, "a": a, "x": x}
    arrays = {name: value for name, value in given.items() if is_array(value)}
    if arrays:
        library = library_of(next(iter(arrays.values())))
        arrays = {
            name: to_host(value, library, "gsci.signal.filtfilt(method='gust')")
            for name, value in arrays.items()
        }
    import scipy.signal

    # SciPy may return a reversed view; torch tensors have no negative strides
    y = np.ascontiguousarray(
        scipy.signal.filtfilt(**{**given, **arrays}, axis=axis, method="gust", irlen=irlen)
    )
    like = next((value for value in given.values() if is_array(value)), None)
    return from_host(y, xp, None if like is None else device(like))


def _filtfilt_kernel(b, a, x, axis=-1, padtype="odd", padlen=None, method="pad", irlen=None, *, xp):
    """`filtfilt` on the kernel path (the CUDA IIR kernel)."""
    return _filtfilt(b, a, x, axis, padtype, padlen, method, irlen, xp, _filter_sections_on_gpu)


def _sosfiltfilt_kernel(sos, x, axis=-1, padtype="odd", padlen=None, *, xp):
    """`sosfiltfilt` on the kernel path (the CUDA IIR kernel)."""
    return _sosfiltfilt(sos, x, axis, padtype, padlen, xp, _filter_sections_on_gpu)


# below 2^17 samples SciPy costs less per call; above, the fused kernel is faster (BENCHMARKS.md)
@gsci_function(
    "signal",
    arrays=("x",),
    operators=("b", "a"),
    kernel=_filtfilt_kernel,
    scipy_when=fewer_elements(2**17),
    torch_as_numpy=True,
)
def filtfilt(b, a, x, axis=-1, padtype="odd", padlen=None, method="pad", irlen=None, *, xp):
    """Apply a digital filter forward and backward to a signal (`scipy.signal.filtfilt`).

    The combined filter has zero phase and twice the original order. Prefer
    `sosfiltfilt` (second-order sections) for all but low-order filters:
    the transfer-function form loses precision as the order grows.

    Parameters
    ----------
    b : (N,) array_like
        The numerator coefficient vector of the filter.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    a : (N,) array_like
        The denominator coefficient vector of the filter. If ``a[0]`` is not
        1, both `a` and `b` are normalized by ``a[0]``.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    x : array_like
        The array of data to be filtered.
    axis : int, optional
        The axis of `x` to which the filter is applied. Default is -1.
    padtype : str or None, optional
        ``'odd'``, ``'even'``, ``'constant'`` or None: the extension added at
        both ends of the signal before filtering. None means no padding.
        Default is ``'odd'``.
    padlen : int or None, optional
        The number of elements by which to extend `x` at both ends of `axis`
        before filtering; it must be less than ``x.shape[axis]``. None
        (default) means ``3 * max(len(a), len(b))``.
    method : str, optional
        ``'pad'`` (default) pads the signal and starts each pass from the
        filter's steady state; ``'gust'`` uses Gustafsson's method to choose
        the initial conditions so that forward-backward equals
        backward-forward.
    irlen : int or None, optional
        With ``method='gust'``, the length of the impulse response that is
        not negligible. None (default) means no part of it is ignored.

    Returns
    -------
    y : array
        The filtered output, of `x`'s shape.

    Notes
    -----
    NumPy arrays, and torch CPU tensors outside autograd, run both passes
    in one call of a Numba CPU kernel with SciPy's rounding, which pads on
    the fly, a channel per core. Elsewhere the padding, steady state and
    both passes run as `lfilter` does (the CPU kernel for JAX on the CPU,
    the IIR kernels on CUDA arrays, else the scan; compiled as one program
    on JAX; on Dask lazily and chunk-parallel along time, padded only at the
    outer ends, when `b` and `a` are host arrays or sequences; Dask `b`, `a`
    are looked at in the tasks of blocks holding the whole time axis). The scan
    runs a filter of order above 2 as second-order sections (SciPy's
    ``tf2sos`` of the few coefficients): it loses all precision on the
    transfer-function form of, e.g., an order-8 band-pass. The result then
    differs from SciPy's by the rounding of SciPy's transfer-function
    recurrence (1e-8 relative for that band-pass), not by gsci's. Coefficients
    that autograd tracks stay in transfer-function form, so their gradients
    flow.

    ``method='gust'`` always runs SciPy on host copies of the inputs, returned
    in the input's library and device: a GPU array warns
    (`gsci.HostTransferWarning`), a Dask array is computed, it fails under
    ``jax.jit`` and gradients do not flow through it.

    The check ``a[0] == 0`` looks at values: it is skipped for Dask and under
    ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal._filtfilt import filtfilt
    >>> filtfilt([0.5, 0.5], [1.0], np.arange(8.0), padlen=2)
    array([0., 1., 2., 3., 4., 5., 6., 7.])
    """

    def run(b, a, x, xp, engine):
        return _filtfilt(b, a, x, axis, padtype, padlen, method, irlen, xp, engine)

    return _fastest(run, xp, b, a, x)


@gsci_function("signal", arrays=("x",), operators=("sos",), kernel=_sosfiltfilt_kernel, torch_as_numpy=True)
def sosfiltfilt(sos, x, axis=-1, padtype="odd", padlen=None, *, xp):
    """A forward-backward digital filter using cascaded second-order sections (`scipy.signal.sosfiltfilt`).

    Parameters
    ----------
    sos : array_like
        Array of second-order filter coefficients, shape ``(n_sections, 6)``:
        ``[b0, b1, b2, a0, a1, a2]`` per row, with ``a0 == 1``.
        NumPy arrays and sequences are accepted with `x` of any library: they move to its device.
    x : array_like
        The array of data to be filtered.
    axis : int, optional
        The axis of `x` to which the filter is applied. Default is -1.
    padtype : str or None, optional
        ``'odd'``, ``'even'``, ``'constant'`` or None: the extension added at
        both ends of the signal before filtering. None means no padding.
        Default is ``'odd'``.
    padlen : int or None, optional
        The number of elements by which to extend `x` at both ends of `axis`
        before filtering; it must be less than ``x.shape[axis]``. None
        (default) means ``3 * (2 * len(sos) + 1 - k)``, with ``k`` the number
        of first-order sections (``b2 == a2 == 0``).

    Returns
    -------
    y : array
        The filtered output, of `x`'s shape.

    Notes
    -----
    Paths as in `filtfilt`. The default `padlen` counts the first-order
    sections, and ``sos[:, 3] == 1`` is checked, by looking at values. A Dask
    `sos` is looked at in the task of each block, which then holds the whole
    time axis, so a bad one raises when the graph computes; a host `sos` keeps
    the time chunks. Under ``jax.jit`` every possible default `padlen` is
    compiled and ``jax.lax.switch`` picks the one `sos` has; where that
    `padlen` is not shorter than `x`, the result is NaN (SciPy raises
    ``ValueError``), and ``sos[:, 3]`` other than 1 also gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal._filtfilt import sosfiltfilt
    >>> sosfiltfilt([[0.5, 0.5, 0.0, 1.0, 0.0, 0.0]], np.arange(8.0), padlen=2)
    array([0., 1., 2., 3., 4., 5., 6., 7.])
    """

    def run(sos, x, xp, engine):
        return _sosfiltfilt(sos, x, axis, padtype, padlen, xp, engine)

    return _fastest(run, xp, sos, x)
