"""resample_poly: SciPy's low-pass design on the host, then the polyphase engine of `_upfirdn`.

Only the outputs SciPy keeps are computed: the engine starts at the first
kept sample, so the filter needs no padding after its taps.
"""

import math

from gsci._lib._arrays import as_array, is_array
from gsci._lib._compat import device, is_dask_namespace
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.signal._resampling._upfirdn import MODES, _on_gpu, checked_axis, polyphase, result_dtype

_BACKGROUNDS = ("mean", "median", "minimum", "maximum")


def _integer(value, name):
    if value != int(value):
        raise ValueError(f"{name} must be an integer")
    return int(value)


def lowpass_taps(window, up, down, x, xp):
    """The filter taps (times ``up``) and their half length: ``window``'s own, or SciPy's firwin design."""
    if isinstance(window, list) or is_array(window):
        h = as_array(window, xp, like=x)
        if h.ndim > 1:
            raise ValueError("window must be 1-D")
        return h * up, (h.shape[0] - 1) // 2
    import scipy.signal

    half_len = 10 * max(up, down)
    h = scipy.signal.firwin(2 * half_len + 1, 1.0 / max(up, down), window=window)
    if xp.isdtype(x.dtype, ("real floating", "complex floating")):
        h = h.astype(str(x.dtype).rsplit(".", 1)[-1])
    return xp.asarray(h * up, device=device(x)), half_len


def _background(x, padtype, axis, xp):
    """The value ``padtype`` assumes beyond the ends: the mean, median, minimum or maximum along ``axis``."""
    if padtype in ("mean", "median") and not xp.isdtype(x.dtype, ("real floating", "complex floating")):
        x = xp.astype(x, xp.float64)  # NumPy's mean and median of integers
    if padtype == "mean":
        return xp.mean(x, axis=axis, keepdims=True)
    if padtype == "minimum":
        return xp.min(x, axis=axis, keepdims=True)
    if padtype == "maximum":
        return xp.max(x, axis=axis, keepdims=True)
    if is_dask_namespace(xp):  # a median needs the whole axis: dask gathers it
        import dask.array as da

        return da.median(x, axis=axis, keepdims=True)
    ordered = xp.sort(x, axis=axis)
    n = x.shape[axis]
    middle = xp.take(ordered, xp.asarray([(n - 1) // 2, n // 2], device=device(x)), axis=axis)
    return xp.mean(middle, axis=axis, keepdims=True)


def _extension(padtype, cval):
    """upfirdn's (mode, cval) for ``padtype``."""
    if padtype in _BACKGROUNDS:
        return "constant", 0
    if padtype in MODES:
        return padtype, (0 if cval is None else cval)
    raise ValueError(
        f"padtype must be one of: maximum, mean, median, minimum, {', '.join(MODES)}; got {padtype!r}"
    )


def _resample_poly(x, up, down, axis, window, padtype, cval, engine, xp):
    x = as_array(x, xp)
    up, down = _integer(up, "up"), _integer(down, "down")
    if up < 1 or down < 1:
        raise ValueError(f"up and down must be >= 1; got {up=}, {down=}")
    if cval is not None and padtype != "constant":
        raise ValueError(f"cval has no effect when padtype is {padtype!r}")
    common = math.gcd(up, down)
    up, down = up // common, down // common
    if up == down == 1:
        return xp.asarray(x, copy=True)
    axis = checked_axis(axis, x.ndim)
    n_out = -(-x.shape[axis] * up // down)
    h, half_len = lowpass_taps(window, up, down, x, xp)
    pre_pad = down - half_len % down
    h = xp.concat([xp.zeros(pre_pad, dtype=h.dtype, device=device(x)), h])
    mode, cval = _extension(padtype, cval)
    background = _background(x, padtype, axis, xp) if padtype in _BACKGROUNDS else None
    if background is not None:
        x = x - background
    dtype = result_dtype(xp, h, x)
    y = polyphase(
        xp.astype(h, dtype, copy=False),
        xp.astype(x, dtype, copy=False),
        up=up,
        down=down,
        axis=axis,
        mode=mode,
        cval=cval,
        first=(half_len + pre_pad) // down,
        count=n_out,
        engine=engine,
        xp=xp,
    )
    return y if background is None else y + xp.astype(background, y.dtype)


def _resample_poly_kernel(x, up, down, axis=0, window=("kaiser", 5.0), padtype="constant", cval=None, *, xp):
    """`resample_poly` on the kernel path (the CUDA kernel)."""
    return _resample_poly(x, up, down, axis, window, padtype, cval, _on_gpu, xp)


@gsci_function(
    "signal",
    arrays=("x",),
    operators=("window",),
    kernel=_resample_poly_kernel,
    scipy_when=fewer_elements(2**13),
    torch_as_numpy=True,
)
def resample_poly(x, up, down, axis=0, window=("kaiser", 5.0), padtype="constant", cval=None, *, xp):
    """Resample `x` along the given axis using polyphase filtering.

    Same as `scipy.signal.resample_poly`, on any Array API library: the
    result is an array of ``x``'s library on its device.

    Parameters
    ----------
    x : array_like
        The data to be resampled.
    up, down : int
        The upsampling and downsampling factors.
    axis : int, optional
        The axis of ``x`` that is resampled. Default 0.
    window : str, tuple or array_like, optional
        The window of SciPy's low-pass design (``firwin``, on the host), or
        the FIR filter's coefficients (an array of ``x``'s library, a NumPy
        array or a list).
    padtype : str, optional
        ``"constant"``, ``"line"``, ``"mean"``, ``"median"``, ``"maximum"``,
        ``"minimum"`` or another mode of `upfirdn`.
    cval : float, optional
        The value beyond the edges for ``padtype="constant"`` (default 0).

    Returns
    -------
    resampled_x : array
        The resampled array, ``ceil(n * up / down)`` samples along ``axis``.

    Notes
    -----
    Only the outputs SciPy keeps are computed. Dask arrays stay lazy, chunk
    by chunk, except that ``padtype="median"`` gathers the axis for the
    median; torch tensors that require grad are differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.signal import resample_poly
    >>> resample_poly(np.arange(4.0), 2, 1, window=[0.25, 0.5, 0.25])  # linear interpolation
    array([0. , 0.5, 1. , 1.5, 2. , 2.5, 3. , 1.5])
    """
    return _resample_poly(x, up, down, axis, window, padtype, cval, None, xp)
