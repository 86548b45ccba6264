"""label, find_objects and value_indices.

Every result here has a size or a count that depends on the values (the
label count, the list of boxes, the dict of values), so each call reads the
values on the host once: NumPy input runs the Numba CPU kernels
(`gsci.kernels.label_cpu`) on the array itself, other libraries on a host
view or copy of it (a Dask array is computed once), and the arrays of the
result go back to the input's library and device. None of the three runs
under ``jax.jit``: their outputs' sizes or Python values depend on the data.
"""

import functools
import math
import operator

import numpy as np

from gsci._lib._arrays import as_array, host_values, library_of
from gsci._lib._compat import device, is_dask_namespace, is_writeable_array
from gsci._lib._dispatch import fewer_elements, gsci_function

_INPUT_KINDS = "biuf"  # SciPy's labelling loops: bool, integers, float32 and float64
_NEED_64_BITS = 2**31 - 2  # from this many elements SciPy labels in intp


def _supported(dtype):
    return dtype.kind in _INPUT_KINDS and dtype != np.float16 and dtype.itemsize <= 8


def _backward_offsets(structure):
    """The structure's offsets before its centre in C order: the neighbours a scan has already seen."""
    offsets = np.argwhere(structure) - 1
    before = [tuple(o) < (0,) * structure.ndim for o in offsets]
    return offsets[np.asarray(before, dtype=bool)].reshape(-1, structure.ndim)


def _check_structure(structure, ndim):
    if structure is None:
        return _cross(ndim)
    structure = np.asarray(structure, dtype=bool)
    if structure.ndim != ndim:
        raise RuntimeError(f"structure and input must have equal rank: {structure.ndim=}, input.ndim={ndim}")
    if any(n != 3 for n in structure.shape):
        raise ValueError(f"structure dimensions must be equal to 3, got {structure.shape=}")
    return structure


def _cross(ndim):
    """SciPy's default structure: connectivity one."""
    centre = np.abs(np.indices((3,) * ndim) - 1).sum(axis=0)
    return centre <= 1


def _output_dtype(output, input):
    """The NumPy dtype of the labels: SciPy's int32 (intp from 2**31 - 2 elements), or ``output``'s."""
    if output is None:
        return np.dtype(np.int64 if math.prod(input.shape) >= _NEED_64_BITS else np.int32), False
    if hasattr(output, "shape") and not isinstance(output, type | np.dtype):
        if tuple(output.shape) != tuple(input.shape):
            raise ValueError(f"output shape not correct: {output.shape=} but {input.shape=}")
        return _numpy_dtype(output.dtype), True
    return _numpy_dtype(output), False


def _numpy_dtype(dtype):
    """A dtype of any library (or its name, or a NumPy type) as a NumPy dtype."""
    try:
        return np.dtype(dtype)
    except TypeError:  # torch.int16, jax's and array-api-strict's dtypes: by name
        return np.dtype(str(dtype).rpartition(".")[2])


def _labelled(mask, structure, dtype):
    """Labels of NumPy bool ``mask`` in NumPy ``dtype``, and their count, or SciPy's RuntimeError."""
    from gsci.kernels import label_cpu

    work = np.empty(mask.shape, dtype=np.int64 if mask.size >= _NEED_64_BITS else np.int32)
    mask = np.ascontiguousarray(mask).view(np.uint8)
    count = label_cpu.label_into(mask, _backward_offsets(structure), work)
    if dtype == np.bool_:  # SciPy labels into a bool output as into uint8, then keeps labels != 0
        fits = count <= _largest_label(dtype)
        labels = work != 0
    else:
        labels = work.astype(dtype, copy=False)
        fits = labels is work or np.array_equal(labels, work)
    if not fits:
        raise RuntimeError(f"insufficient bit-depth in requested output type: {count} labels in {dtype}")
    return labels, count


def _label_kernel(input, structure=None, output=None, *, xp):
    """`label` on the kernel path: the CUDA union-find (`gsci.kernels.label`)."""
    return _label(input, structure, output, xp, kernel=True)


def _label(input, structure, output, xp, kernel):
    input = as_array(input, xp)
    if xp.isdtype(input.dtype, "complex floating"):
        raise TypeError(f"Complex type not supported: input has dtype {input.dtype}")
    structure = _check_structure(structure, input.ndim)
    dtype, into = _output_dtype(output, input)
    in_dtype = _numpy_dtype(input.dtype)
    if input.ndim == 0 or math.prod(input.shape) == 0:
        host = np.asarray(host_values(input, library_of(input)))
        count = int(host.ndim == 0 and host != 0)
        labels = xp.asarray(np.full(host.shape, count, dtype=dtype), device=device(input))
    else:
        if not _supported(in_dtype) or not (_supported(dtype) or dtype == np.bool_):
            raise TypeError(f"No matching signature found: input dtype {in_dtype}, output dtype {dtype}")
        if not np.array_equal(structure, structure[(slice(None, None, -1),) * structure.ndim]):
            raise AssertionError("Structuring element is not symmetric")
        if kernel:
            labels, count = _labelled_on_device(input, structure, dtype, xp)
        elif is_dask_namespace(xp):
            labels, count = _labelled_by_chunks(input, structure, dtype)
        else:
            host = np.asarray(host_values(input, library_of(input)))
            mask = host if host.dtype == np.bool_ else host != 0  # a bool input is its own mask
            labels, count = _labelled(mask, structure, dtype)
            labels = xp.asarray(labels, device=device(input))
    if into:
        _write(output, labels, xp)
        return count
    return labels, count


def _labelled_by_chunks(input, structure, dtype):
    """Dask: chunks labelled on their own, merged at their faces (`_label_dask`); one compute."""
    from gsci.ndimage._measurements._label_dask import label_chunks

    labelled = functools.partial(_block_labels, structure=structure)
    labels, count = label_chunks(input, _backward_offsets(structure), labelled)
    if count > _largest_label(dtype):
        raise RuntimeError(f"insufficient bit-depth in requested output type: {count} labels in {dtype}")
    return (labels != 0) if dtype == np.bool_ else labels.astype(dtype), count


def _largest_label(dtype):
    """The most labels an output of NumPy ``dtype`` takes without SciPy's RuntimeError."""
    if dtype == np.bool_:
        return 254
    if dtype.kind == "f":
        return 2 ** (np.finfo(dtype).nmant + 1)
    return np.iinfo(dtype).max


def _block_labels(block, structure):
    if block.size == 0:
        return np.zeros(block.shape, dtype=np.int64)
    return _labelled(block != 0, structure, np.dtype(np.int64))[0]


def _labelled_on_device(input, structure, dtype, xp):
    """Labels on ``input``'s GPU: union-find kernels, then roots numbered by a cumulative sum (one
    host read: the count)."""
    from gsci.kernels import label as kernels

    n = math.prod(input.shape)
    where = device(input)
    index = xp.int64 if n >= _NEED_64_BITS else xp.int32
    mask = xp.reshape(xp.astype(input != 0, xp.uint8), (-1,))
    par = xp.empty((n,), dtype=index, device=where)
    shape = xp.asarray(np.asarray(input.shape, dtype=np.int64), device=where)
    back = xp.asarray(_backward_offsets(structure).reshape(-1).astype(np.int64), device=where)
    kernels.union_find(mask, shape, back, par)
    feature = mask != 0
    roots = feature & (par == xp.arange(n, dtype=index, device=where))
    numbers = xp.cumulative_sum(xp.astype(roots, index))
    work = xp.reshape(xp.where(feature, xp.take(numbers, par), xp.zeros_like(par)), input.shape)
    count = int(numbers[-1])
    if dtype == np.bool_:
        if count > _largest_label(dtype):
            raise RuntimeError(f"insufficient bit-depth in requested output type: {count} labels in bool")
        return work != 0, count
    labels = xp.astype(work, getattr(xp, dtype.name))
    if labels.dtype != work.dtype and not bool(xp.all(xp.astype(labels, index) == work)):
        raise RuntimeError(f"insufficient bit-depth in requested output type: {count} labels in {dtype}")
    return labels, count


@gsci_function(
    "ndimage",
    arrays=("input", "output"),
    host_operators=("structure",),
    kernel=_label_kernel,
    scipy_when=fewer_elements(2**15),  # measured: SciPy's fixed cost is lower up to about 180 x 180
)
def label(input, structure=None, output=None, *, xp):
    """Label features in an array.

    Parameters
    ----------
    input : array_like
        Nonzero elements are features, zeros the background (bool, integer,
        float32 or float64; not complex).
    structure : array_like, optional
        The connectivity: a centrosymmetric structure of shape ``(3,) * input.ndim``
        (read on the host). Default: connectivity one (no diagonals).
    output : dtype or array, optional
        The labels' dtype, or an array (of `input`'s shape) to write them into.
        It must hold the largest label, else RuntimeError.

    Returns
    -------
    label : array
        The labels (int32, int64 from 2**31 - 2 elements, or `output`'s dtype),
        1, 2, ... in C order of each feature's first element, as SciPy numbers
        them; only returned when `output` is not an array.
    num_features : int
        How many features were found.

    Notes
    -----
    NumPy and CPU arrays: a union-find labelling on the host (Numba, strips
    of lines in parallel). CuPy and PyTorch CUDA arrays: a lock-free
    union-find on the GPU (`gsci.kernels.label`), roots numbered by a
    cumulative sum. The count is a Python int: one host read per call, so
    not under ``jax.jit``. Dask: each chunk is labelled on its own and the
    labels merged at the chunk faces (a union-find over the touching pairs
    on the host); the count needs one compute, which labels every chunk, and
    computing the result labels them again (a task per chunk). A JAX
    `output` array cannot be written: only the count is returned, as SciPy
    returns for an `output` array. A bool `output` raises from 255 features
    (SciPy raises when its provisional labels pass 254, which a few inputs
    with fewer features reach).

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import label
    >>> labels, n = label(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 0, 0, 1]]))
    >>> n
    3
    >>> labels
    array([[0, 1, 1, 0],
           [2, 0, 1, 0],
           [2, 0, 0, 3]], dtype=int32)
    """
    return _label(input, structure, output, xp, kernel=False)


def _write(output, labels, xp):
    """Labels into the caller's ``output`` array (not JAX's: immutable)."""
    if is_writeable_array(output):
        output[...] = labels


@gsci_function(
    "ndimage",
    arrays=("input",),
    scipy_for={"numpy": "SciPy's C code builds the list of slices 1.5-2x faster (2048 x 2048, 280k labels)"},
    torch_as_numpy=True,
)
def find_objects(input, max_label=0, *, xp):
    """Find objects in a labeled array.

    Parameters
    ----------
    input : array_like
        Labels (integers; float labels are truncated, as SciPy). Labels below 1 are ignored.
    max_label : int, optional
        The largest label to look for; default (below 1): ``input``'s maximum.

    Returns
    -------
    object_slices : list of tuples
        Per label ``l`` (index ``l - 1``), the slices of the smallest box
        holding it, None for a label not found.

    Notes
    -----
    One pass of a Numba kernel over the labels on the host (a GPU array is
    copied, a Dask array computed): the list's length and slices are Python
    values. Not under ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import find_objects
    >>> find_objects(np.array([[1, 1, 0], [0, 0, 3]]))
    [(slice(0, 1, None), slice(0, 2, None)), None, (slice(1, 2, None), slice(2, 3, None))]
    """
    input = as_array(input, xp)
    if xp.isdtype(input.dtype, "complex floating"):
        raise TypeError(f"Complex type not supported: input has dtype {input.dtype}")
    host = np.asarray(host_values(input, library_of(input)))
    if max_label < 1:
        max_label = host.max()
    max_label = operator.index(max_label)  # as SciPy's C code: a float or bool maximum is a TypeError
    from gsci.kernels import label_cpu

    low, high, seen = label_cpu.bounding_boxes(host.astype(np.int64), max_label)
    return [
        tuple(map(slice, lo, hi)) if found else None
        for lo, hi, found in zip(low.tolist(), high.tolist(), seen.tolist(), strict=True)
    ]


@gsci_function(
    "ndimage",
    arrays=("arr",),
    scipy_for={"numpy": "SciPy's C code is 3x faster than a stable sort (2048 x 2048, 100 values)"},
)
def value_indices(arr, *, ignore_value=None, xp):
    """Find indices of each distinct value in given array.

    Parameters
    ----------
    arr : array of ints
        The values (an integer dtype, else ValueError).
    ignore_value : int, optional
        A value left out of the result (cast to `arr`'s dtype as SciPy; out
        of its range: OverflowError). Default: none.

    Returns
    -------
    indices : dict
        Per distinct value, a tuple of index arrays (int64 for NumPy: intp)
        of its elements in C order, arrays of `arr`'s library and device.
        Keys are NumPy scalars of `arr`'s dtype for NumPy input (as SciPy),
        Python ints for other libraries (as SciPy under ``SCIPY_ARRAY_API=1``).

    Notes
    -----
    A stable sort of the values on the host (a GPU array is copied, a Dask
    array computed): the dict's keys are Python values. Not under ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import value_indices
    >>> found = value_indices(np.array([[2, 0], [2, 1]]), ignore_value=0)
    >>> sorted(int(k) for k in found)
    [1, 2]
    >>> found[2]
    (array([0, 1]), array([0, 0]))
    """
    arr = as_array(arr, xp)
    host = np.asarray(host_values(arr, library_of(arr)))
    if host.dtype.kind not in "iu":
        raise ValueError(f"Parameter 'arr' must be an integer array, got dtype {arr.dtype}")
    flat = host.reshape(-1)
    order = np.argsort(flat, kind="stable")
    values = flat[order]
    starts = np.flatnonzero(np.concatenate([np.ones(min(flat.size, 1), bool), values[1:] != values[:-1]]))
    coords = np.unravel_index(order, host.shape) if host.ndim else ()
    ends = np.append(starts[1:], flat.size)[: starts.size]
    ignored = None if ignore_value is None else host.dtype.type(ignore_value)
    numpy = library_of(arr) == "numpy"
    where = device(arr)
    found = {}
    for start, end in zip(starts, ends, strict=True):
        value = values[start]
        if ignored is not None and value == ignored:
            continue
        key = value if numpy else value.item()
        found[key] = tuple(c[start:end] if numpy else xp.asarray(c[start:end], device=where) for c in coords)
    return found
