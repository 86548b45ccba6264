"""Grey morphology: erosion, dilation and their compositions.

Grey erosion and dilation are `gsci.ndimage._filters._rank.min_or_max`, the
minimum and maximum filters, with a non-flat ``structure`` as values added per
footprint element; so every library, Dask and the CUDA kernels come from the
rank filters' engines. Each public function is one composition of
`_Window.erode` and `_Window.dilate`, made public by `_grey_function`.
"""

import dataclasses

import numpy as np

from gsci._lib._arrays import as_array, is_array
from gsci._lib._dispatch import fewer_elements, gsci_function
from gsci.ndimage._filters import _rank_cuda, _rank_xp
from gsci.ndimage._filters._rank import min_or_max
from gsci.ndimage._filters._support import check_axes, deliver, per_axis

# Below 2**16 elements SciPy's lower fixed cost per call wins (as for minimum_filter; measured on
# 2 cores, best of interleaved repeats)
_SCIPY_IS_FASTER = fewer_elements(2**16)


@dataclasses.dataclass(frozen=True)
class _Window:
    """A grey operation's structuring element and boundary, and the engine that filters with it."""

    size: object
    footprint: object
    structure: object
    mode: object
    cval: object
    origin: object
    axes: object
    xp: object
    engine: object

    def erode(self, input, output=None):
        """SciPy's grey erosion of ``input``; ``output`` as SciPy's."""
        arguments = (self.size, self.footprint, output, self.mode, self.cval, self.origin, self.axes)
        return min_or_max(input, *arguments, True, self.xp, self.engine, self.structure)

    def dilate(self, input, output=None):
        """SciPy's grey dilation: the maximum over the reflected footprint and structure, the origin
        reflected too (and shifted by one on axes of even width)."""
        footprint, structure = _reflected(self.footprint), _reflected(self.structure)
        origins = per_axis(self.origin, len(check_axes(self.axes, input.ndim)))
        for axis, origin in enumerate(origins):
            origins[axis] = -origin - (1 - self._width(footprint, structure, axis) % 2)
        arguments = (self.size, footprint, output, self.mode, self.cval, origins, self.axes)
        return min_or_max(input, *arguments, False, self.xp, self.engine, structure)

    def open(self, input, output=None):
        """SciPy's grey opening: the erosion, then the dilation."""
        inner, outer = self._steps(input, output)
        return self.dilate(self.erode(input, inner), outer)

    def close(self, input, output=None):
        """SciPy's grey closing: the dilation, then the erosion."""
        inner, outer = self._steps(input, output)
        return self.erode(self.dilate(input, inner), outer)

    def _steps(self, input, output):
        """The outputs of an opening's or closing's two steps. A bool input with a structure goes on
        as uint8: SciPy writes bytes other than 0 and 1 into its bool intermediate (the sums' low
        bytes), which its second step reads as numbers."""
        if self.structure is None or not self.xp.isdtype(input.dtype, "bool"):
            return None, output
        return self.xp.uint8, input.dtype if output is None else output

    def _width(self, footprint, structure, axis):
        if footprint is not None:
            return footprint.shape[axis]
        if structure is not None:
            return structure.shape[axis]
        return self.size if np.isscalar(self.size) else self.size[axis]


def _reflected(operator):
    if operator is None:
        return None
    operator = np.asarray(operator)  # a host array (host_operators)
    return operator[(slice(None, None, -1),) * operator.ndim]


def _into(dtype, operation, left, right, xp):
    """``operation(left, right)`` as NumPy's ``operation(left, right, out=<array of dtype>)``: in the
    promoted dtype, then cast to ``dtype``."""
    common = np.result_type(_numpy_dtype(left.dtype), _numpy_dtype(right.dtype))
    common = getattr(xp, common.name)
    result = operation(xp.astype(left, common, copy=False), xp.astype(right, common, copy=False))
    return xp.astype(result, dtype, copy=False)


def _numpy_dtype(dtype):
    return np.dtype(str(dtype).rpartition(".")[2])


def _difference(left, right, dtype, xp):
    """``left - right`` as `_into`; the exclusive-or of two bool arrays, as SciPy's tophats."""
    if xp.isdtype(left.dtype, "bool") and xp.isdtype(right.dtype, "bool"):
        return left ^ right
    return _into(dtype, xp.subtract, left, right, xp)


def _grey_function(operation):
    """The public function of SciPy's grey signature ``(input, size=None, footprint=None,
    structure=None, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None)`` that returns
    ``operation(input, output, window)``: with the Array API and Numba CPU engine on the native path,
    the CUDA kernels on the kernel path."""

    def grey(
        input,
        size=None,
        footprint=None,
        structure=None,
        output=None,
        mode="reflect",
        cval=0.0,
        origin=0,
        *,
        axes=None,
        xp,
        engine=_rank_xp,
    ):
        if size is None and footprint is None and structure is None:
            raise ValueError("size, footprint, or structure must be specified")
        window = _Window(size, footprint, structure, mode, cval, origin, axes, xp, engine)
        return operation(as_array(input, xp), output, window)

    grey.__name__ = grey.__qualname__ = operation.__name__
    grey.__doc__, grey.__module__ = operation.__doc__, operation.__module__
    return gsci_function(
        "ndimage",
        arrays=("input", "output"),
        host_operators=("footprint", "structure"),
        kernel_engine=_rank_cuda,
        scipy_when=_SCIPY_IS_FASTER,
        torch_as_numpy=True,
    )(grey)


@_grey_function
def grey_erosion(input, output, window):
    """Calculate a greyscale erosion, using either a structuring element, or a footprint
    corresponding to a flat structuring element.

    Parameters
    ----------
    input : array_like
        The input array (bool, integer or float32/float64; not complex).
    size : tuple of ints, optional
        Shape of a flat and full structuring element. Optional if `footprint`
        or `structure` is given.
    footprint : array of ints, optional
        The positions of the structuring element's elements (non-zero). Its
        values are read on the host: a NumPy array or a sequence whatever
        `input`'s library (under ``jax.jit`` it must be one).
    structure : array of ints, optional
        The values of a non-flat structuring element, read on the host as
        `footprint`. Its shape is the footprint's.
    output : array or dtype, optional
        The array in which to place the output, or the dtype of the returned array.
    mode : {'reflect', 'constant', 'nearest', 'mirror', 'wrap', 'grid-constant', 'grid-mirror', \
'grid-wrap'}, optional
        How the input is extended beyond its boundaries (one per axis for a
        box). Default is 'reflect'.
    cval : scalar, optional
        Value to fill past edges of input if `mode` is 'constant'. Default 0.0.
    origin : int or sequence, optional
        Shifts the structuring element, per axis or for every axis. Default 0.
    axes : tuple of int or None, optional
        The axes to filter; `size`, `origin`, `footprint` and `structure` match its length.

    Returns
    -------
    grey_erosion : array
        The erosion, with the shape of `input`, in `input`'s library and on
        its device. When `output` is an array the result is written into it
        and it is returned (JAX: a new array of `output`'s dtype instead).

    Notes
    -----
    The minimum over the footprint of ``input - structure`` (`minimum_filter`
    for a flat one). As SciPy, each difference is computed in float64 and cast
    to the input's dtype (integers truncate and wrap around), ``cval`` cast to
    it first. Where gsci differs from SciPy: a `footprint` of another shape
    than `structure`, or all False, raises (SciPy reads past the structure, or
    crashes); a difference beyond int32's range wraps (SciPy gives int32's
    minimum); NaN in a window gives NaN (SciPy's result is undefined there).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import grey_erosion
    >>> grey_erosion(np.array([3, 1, 4, 1, 5, 9]), size=3)
    array([1, 1, 1, 1, 1, 5])
    >>> grey_erosion(np.array([3, 1, 4, 1, 5, 9]), structure=[0, 1, 0])
    array([1, 0, 1, 0, 1, 5])
    """
    return window.erode(input, output)


@_grey_function
def grey_dilation(input, output, window):
    """Calculate a greyscale dilation, using either a structuring element, or a footprint
    corresponding to a flat structuring element.

    Parameters as `grey_erosion`.

    Returns
    -------
    grey_dilation : array
        The maximum over the reflected footprint of ``input + structure``
        (reflected too), as `grey_erosion`'s result.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import grey_dilation
    >>> grey_dilation(np.array([3, 1, 4, 1, 5, 9]), size=2)
    array([3, 4, 4, 5, 9, 9])
    >>> grey_dilation(np.array([3, 1, 4, 1, 5, 9]), structure=[0, 2])
    array([ 5,  4,  6,  5,  9, 11])
    """
    return window.dilate(input, output)


@_grey_function
def grey_opening(input, output, window):
    """Multidimensional grey opening: the erosion, then the dilation.

    Parameters as `grey_erosion`.

    Returns
    -------
    grey_opening : array
        The opening, as `grey_erosion`'s result.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import grey_opening
    >>> grey_opening(np.array([0, 5, 0, 3, 3, 0]), size=2)
    array([0, 0, 0, 3, 3, 0])
    """
    return window.open(input, output)


@_grey_function
def grey_closing(input, output, window):
    """Multidimensional grey closing: the dilation, then the erosion.

    Parameters as `grey_erosion`.

    Returns
    -------
    grey_closing : array
        The closing, as `grey_erosion`'s result.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import grey_closing
    >>> grey_closing(np.array([5, 0, 5, 3, 0, 3]), size=2)
    array([5, 5, 5, 3, 3, 3])
    """
    return window.close(input, output)


@_grey_function
def morphological_gradient(input, output, window):
    """Multidimensional morphological gradient: the dilation minus the erosion.

    Parameters as `grey_erosion`; as SciPy, an `output` dtype (not an array) is ignored.

    Returns
    -------
    morphological_gradient : array
        The gradient, in `input`'s dtype (in `output`'s when it is an array).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import morphological_gradient
    >>> morphological_gradient(np.array([0, 0, 4, 0, 0]), size=3)
    array([0, 4, 4, 4, 0])
    """
    xp = window.xp
    if not is_array(output):
        return window.dilate(input) - window.erode(input)
    eroded = window.erode(input, output)
    return deliver(_into(output.dtype, xp.subtract, window.dilate(input), eroded, xp), output, xp)


@_grey_function
def morphological_laplace(input, output, window):
    """Multidimensional morphological laplace: the dilation plus the erosion minus twice the input.

    Parameters as `grey_erosion`; as SciPy, an `output` dtype (not an array) is ignored.

    Returns
    -------
    morphological_laplace : array
        The laplace, in `input`'s dtype (in `output`'s when it is an array),
        each step cast to it as SciPy's (integers wrap around).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import morphological_laplace
    >>> morphological_laplace(np.array([0, 0, 4, 0, 0]), size=3)
    array([ 0,  4, -4,  4,  0])
    """
    xp = window.xp
    dtype = output.dtype if is_array(output) else input.dtype
    result = _into(dtype, xp.add, window.dilate(input), window.erode(input, output), xp)
    result = _into(dtype, xp.subtract, _into(dtype, xp.subtract, result, input, xp), input, xp)
    return deliver(result, output, xp)


@_grey_function
def white_tophat(input, output, window):
    """Multidimensional white tophat: the input minus its opening.

    Parameters as `grey_erosion`.

    Returns
    -------
    white_tophat : array
        The tophat (the exclusive-or of the input and its opening for bool),
        in `output`'s dtype, else `input`'s.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import white_tophat
    >>> white_tophat(np.array([0, 0, 4, 0, 0]), size=3)
    array([0, 0, 4, 0, 0])
    """
    opened = window.open(input, output)
    return deliver(_difference(input, opened, opened.dtype, window.xp), output, window.xp)


@_grey_function
def black_tophat(input, output, window):
    """Multidimensional black tophat: the closing minus the input.

    Parameters as `grey_erosion`.

    Returns
    -------
    black_tophat : array
        The tophat (the exclusive-or of the closing and the input for bool),
        in `output`'s dtype, else `input`'s.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import black_tophat
    >>> black_tophat(np.array([4, 4, 0, 4, 4]), size=3)
    array([0, 0, 4, 0, 0])
    """
    closed = window.close(input, output)
    return deliver(_difference(closed, input, closed.dtype, window.xp), output, window.xp)
