"""Which library and device an array lives on, and the host round trip."""

import numpy as np

from gsci._lib._compat import (
    array_namespace,
    device,
    is_array_api_obj,
    is_cupy_array,
    is_dask_array,
    is_jax_array,
    is_numpy_array,
    is_torch_array,
)
from gsci._lib._warnings import warn_at_caller

LIBRARIES = ("numpy", "array_api_strict", "torch", "jax", "dask", "cupy")
NUMPY = array_namespace(np.empty(0))
# Types of NumPy data and host values: a call with only these is a NumPy call (the dispatcher's fast path).
HOST_TYPES = frozenset(
    {np.ndarray, type(None), bool, int, float, complex, str, list, tuple, type, *np.sctypeDict.values()}
)


class HostTransferWarning(UserWarning):
    """A GPU array made a round trip through host memory (the SciPy path)."""


def library_of(x):
    """The name of the array library that owns ``x`` (one of `LIBRARIES`)."""
    return _library_and_namespace(x)[0]


_by_type = {}


def _library_and_namespace(x):
    """Both depend only on the array's type: worked out once per type."""
    kind = type(x)
    if kind not in _by_type:
        _by_type[kind] = (_library(x), array_namespace(x))
    return _by_type[kind]


def _library(x):
    if is_numpy_array(x):
        return "numpy"
    if is_torch_array(x):
        return "torch"
    if is_cupy_array(x):
        return "cupy"
    if is_jax_array(x):
        return "jax"
    if is_dask_array(x):
        return "dask"
    if type(x).__module__.startswith("array_api_strict"):
        return "array_api_strict"
    raise TypeError(f"gsci does not support arrays of type {type(x).__module__}.{type(x).__name__}")


def device_kind(x, library):
    """'cuda' when ``x`` lives in GPU memory, else 'cpu'."""
    if library == "cupy":
        return "cuda"
    if library == "torch":
        return "cuda" if x.is_cuda else "cpu"
    if library == "jax":
        placed = device(x)  # None for a tracer under jax.jit: XLA places it later
        return "cuda" if placed is not None and placed.platform == "gpu" else "cpu"
    if library == "dask":
        return device_kind(x._meta, library_of(x._meta))
    return "cpu"


def is_array(value):
    """An array object of a supported library; Python scalars are not."""
    kind = type(value)
    if kind in HOST_TYPES:  # first: a NumPy scalar's type may be in _by_type too (library_of takes them)
        return kind is np.ndarray
    if kind in _by_type:  # an array type seen before
        return True
    # type: a dtype such as np.float32; np.generic: a NumPy scalar, a number like SciPy's
    scalar = isinstance(value, (int, float, complex, bool, type, np.generic))
    return is_array_api_obj(value) and not scalar


def requested_namespace(xp):
    """The compat namespace for an ``xp=`` argument: None (NumPy), a library module or a compat namespace."""
    if xp is None:
        return NUMPY
    return _library_and_namespace(xp.empty(0))[1]


def as_array(value, xp, like=None):
    """Arrays as they are; Python scalars and sequences as arrays of ``xp`` on ``like``'s device.

    Sequences go through NumPy, as SciPy's ``np.asarray`` takes them: Python
    floats become float64 in every library (torch would make float32).
    (``xp.asarray`` on an array is no cheaper, and torch's warns about autograd.)
    """
    if is_array(value):
        return value
    return xp.asarray(np.asarray(value), device=None if like is None else device(like))


def namespace_of(named_arrays):
    """The namespace shared by ``named_arrays`` (name -> array), NumPy's for none; see `placement`."""
    return placement(named_arrays)[0]


def placement(data, operators=None):
    """``(xp, library, first)`` for the data arrays ``data`` (parameter name -> array).

    ``xp`` is the namespace of ``data``'s library, ``first`` the first data
    array (None if there is none). Mixed libraries raise ``TypeError`` and
    mixed devices ``ValueError``, each naming the parameters. ``operators``
    (parameter name -> array) may also be NumPy arrays, whatever the data's
    library; with no data array, they set the namespace.
    """
    operators = operators or {}
    if not data:
        data = {n: a for n, a in operators.items() if not isinstance(a, np.ndarray)} or operators
    if not data:
        return NUMPY, "numpy", None
    found = {name: _library_and_namespace(x) for name, x in data.items()}
    (library, xp), *others = found.values()
    given = {n: a for n, a in operators.items() if n not in data}
    same = {n: a for n, a in given.items() if _library_and_namespace(a)[0] == library}
    foreign = {n: a for n, a in given.items() if n not in same and not isinstance(a, np.ndarray)}
    if foreign or any(other_library != library for other_library, _ in others):
        named = {**found, **{n: _library_and_namespace(a) for n, a in foreign.items()}}
        libraries = ", ".join(f"{name} is {lib}" for name, (lib, _) in named.items())
        raise TypeError(
            f"arrays from different libraries: {libraries}; pass arrays of one library "
            "(coefficients may also be NumPy arrays or sequences)"
        )
    if others or same:
        _check_one_device({**data, **same})
    return xp, library, next(iter(data.values()))


def moved_operators(operators, xp, like):
    """The NumPy arrays among ``operators``, as arrays of ``xp`` on ``like``'s device (copies)."""
    host = {n: a for n, a in operators.items() if isinstance(a, np.ndarray)}
    return {n: xp.asarray(a, copy=True, device=device(like)) for n, a in host.items()}


def _check_one_device(named_arrays):
    placed = {name: _device(x) for name, x in named_arrays.items()}
    placed = {name: d for name, d in placed.items() if d is not None}  # None: a tracer under jax.jit
    first, *others = placed.values() or [None]
    if any(d != first for d in others):
        devices = ", ".join(f"{name} on {d}" for name, d in placed.items())
        raise ValueError(f"arrays on different devices: {devices}; move them to one device")


def _device(x):
    """``device(x)``; a torch tensor's own attribute (array-api-compat's lookup costs a microsecond)."""
    return x.device if is_torch_array(x) else device(x)


def to_host(x, library, function):
    """``x`` as a NumPy array, warning once if it came from a GPU."""
    if library == "numpy":
        return x
    if device_kind(x, library) == "cuda":
        warn_at_caller(
            f"{function} copies its {library} input from the GPU to host memory and back (no GPU path yet)",
            HostTransferWarning,
        )
    return host_values(x, library)


def host_values(x, library):
    """``x`` (of ``library``) as a NumPy array: a view where it can be, else a copy."""
    if library == "numpy":
        return x
    if library == "torch":
        return x.detach().cpu().resolve_conj().resolve_neg().numpy()
    if library == "cupy":
        return x.get()
    if library == "array_api_strict":
        return np.from_dlpack(x)
    return np.asarray(x)  # jax and dask: dask computes here (declared: scipy path)


def from_host(y, xp, like_device):
    """NumPy result ``y`` back in namespace ``xp`` on ``like_device``."""
    if not isinstance(y, np.ndarray):
        return y
    return xp.asarray(y, device=like_device)
