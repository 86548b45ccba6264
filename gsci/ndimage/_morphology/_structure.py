"""generate_binary_structure and iterate_structure: small host-side structuring elements.

Structures are tiny operators whose values decide output shapes, so both
functions compute on the host in NumPy (as SciPy's own do) and hand
`iterate_structure`'s result back in the input's library and device.
"""

import operator

import numpy as np

from gsci._lib._arrays import from_host, host_values, is_array, library_of, namespace_of
from gsci._lib._compat import device


def generate_binary_structure(rank, connectivity):
    """Generate a binary structure for binary morphological operations.

    Parameters
    ----------
    rank : int
        Number of dimensions of the array to which the structure will be applied.
    connectivity : int
        Elements up to a squared distance of `connectivity` from the centre are
        considered neighbours; values below 1 count as 1.

    Returns
    -------
    output : ndarray of bools
        A NumPy array of shape ``(3,) * rank`` (a 0-d True array for ``rank < 1``).

    Notes
    -----
    Like SciPy, the result is always a NumPy array: it is a host operator that
    the morphology functions accept from any library.

    Examples
    --------
    >>> from gsci.ndimage import generate_binary_structure
    >>> generate_binary_structure(2, 1).astype(int)
    array([[0, 1, 0],
           [1, 1, 1],
           [0, 1, 0]])
    """
    connectivity = max(connectivity, 1)
    if rank < 1:
        return np.array(True, dtype=bool)
    distance = np.add.reduce(np.fabs(np.indices([3] * rank) - 1), 0)
    return distance <= connectivity


def iterate_structure(structure, iterations, origin=None):
    """Iterate a structure by dilating it with itself.

    Parameters
    ----------
    structure : array_like
        Structuring element (an array of any kind, converted to booleans), to be
        dilated with itself.
    iterations : int
        Number of dilations performed on the structure with itself.
    origin : int or sequence of ints, optional
        If given, the origin scaled by `iterations` is returned as well.

    Returns
    -------
    iterate_structure : ndarray of bools
        A new structuring element obtained by dilating `structure`
        (`iterations` - 1) times with itself, in `structure`'s library and
        device; ``(structure, origin)`` when `origin` is given. Below 2
        iterations, a copy of `structure` with its own dtype.

    Notes
    -----
    Computed on the host in NumPy by SciPy's own dilation (a structure is a small
    operator whose values decide the output shape): a device structure is copied to
    the host and back, and a Dask structure is computed.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import generate_binary_structure, iterate_structure
    >>> iterate_structure(generate_binary_structure(2, 1), 2).astype(int)
    array([[0, 0, 1, 0, 0],
           [0, 1, 1, 1, 0],
           [1, 1, 1, 1, 1],
           [0, 1, 1, 1, 0],
           [0, 0, 1, 0, 0]])
    """
    if not is_array(structure) or library_of(structure) == "numpy":
        import scipy.ndimage

        return scipy.ndimage.iterate_structure(structure, iterations, origin)
    xp, like = namespace_of({"structure": structure}), device(structure)
    values = np.array(host_values(structure, library_of(structure)))
    if iterations < 2:
        return from_host(values, xp, like)
    out = from_host(_self_dilated(values != 0, operator.index(iterations) - 1), xp, like)
    if origin is None:
        return out
    origin = _origin_sequence(origin, values.ndim)
    return out, [iterations * o for o in origin]


def _self_dilated(element, times):
    """``element`` dilated ``times`` times with itself: SciPy's own C dilation on this tiny host operator
    (the same values as SciPy by construction, and its speed)."""
    import scipy.ndimage

    return scipy.ndimage.iterate_structure(element, times + 1)


def _origin_sequence(origin, rank):
    if isinstance(origin, (str, bytes)) or not hasattr(origin, "__len__"):
        return [origin] * rank
    origin = list(origin)
    if len(origin) != rank:
        raise RuntimeError("sequence argument must have length equal to input rank")
    return origin
