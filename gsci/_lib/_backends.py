"""Backend control: which path a gsci call takes.

The built-in names pick a path inside gsci: ``"auto"`` (per-function
declarations), ``"native"`` (Array API code, CUDA kernels on GPUs) and
``"scipy"`` (SciPy on the host). Any other name is a *delegating* backend: a
callable ``impl(module, name, arguments)`` that returns the result, or
``NotImplemented`` to let ``"auto"`` take the call. ``"cupyx"`` is one.
"""

import contextlib
import contextvars
import importlib
import importlib.metadata
import importlib.util

from gsci._lib._compat import is_cupy_array

PATH_BACKENDS = ("auto", "native", "scipy")

_current = contextvars.ContextVar("gsci_backend", default="auto")
_delegates = {}


def _cupyx(module, name, arguments):
    """Send calls with CuPy arrays to ``cupyx.scipy.<module>.<name>``."""
    if not any(is_cupy_array(v) for v in arguments.values()):
        return NotImplemented
    function = getattr(importlib.import_module(f"cupyx.scipy.{module}"), name, None)
    if function is None:
        return NotImplemented
    return function(**arguments)


def _require_cupy():
    if importlib.util.find_spec("cupy") is None:
        raise ImportError(
            "the 'cupyx' backend delegates to cupyx.scipy and needs CuPy; "
            "install it with `pip install gsci[cuda12]` (or cuda13)"
        )


_delegates["cupyx"] = _cupyx
_requirements = {"cupyx": _require_cupy}


def register_backend(name, impl):
    """Register a delegating backend under ``name``.

    Parameters
    ----------
    name : str
        The name to pass to `set_backend` or `backend`.
    impl : callable
        ``impl(module, name, arguments)`` gets the SciPy module (``"signal"``
        or ``"ndimage"``), the function name and the call's arguments as a
        dict of parameter name to value. It returns the result, or
        ``NotImplemented`` to hand the call to gsci's ``"auto"`` path.

    Examples
    --------
    >>> import gsci
    >>> gsci.register_backend("echo", lambda module, name, arguments: NotImplemented)
    >>> with gsci.backend("echo"):
    ...     gsci.signal.get_window("hann", 4).tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    if name in PATH_BACKENDS:
        raise ValueError(f"{name!r} is a built-in backend and cannot be replaced")
    if not callable(impl):
        raise TypeError(f"impl must be callable, got {type(impl).__name__}")
    _delegates[name] = impl


def _resolve(name):
    if not isinstance(name, str):
        raise TypeError(f"backend name must be a str, got {type(name).__name__}")
    if name not in PATH_BACKENDS and name not in _delegates:
        for entry in importlib.metadata.entry_points(group="gsci.backends", name=name):
            _delegates[name] = entry.load()
    if name not in PATH_BACKENDS and name not in _delegates:
        known = ", ".join(repr(n) for n in (*PATH_BACKENDS, *_delegates))
        raise ValueError(f"unknown backend {name!r}; known backends: {known}")
    _requirements.get(name, lambda: None)()
    return name


def set_backend(name):
    """Use backend ``name`` in this thread or task from now on.

    Parameters
    ----------
    name : str
        ``"auto"`` (default), ``"native"``, ``"scipy"``, ``"cupyx"``, or a
        name given to `register_backend` or to the ``gsci.backends``
        entry-point group.
    """
    _current.set(_resolve(name))


@contextlib.contextmanager
def backend(name):
    """Use backend ``name`` inside a ``with`` block (see `set_backend`).

    Examples
    --------
    >>> import numpy as np, gsci
    >>> with gsci.backend("scipy"):
    ...     f, p = gsci.signal.welch(np.ones(8), nperseg=4)
    >>> f.tolist()
    [0.0, 0.25, 0.5]
    """
    token = _current.set(_resolve(name))
    try:
        yield
    finally:
        _current.reset(token)


def current_backend():
    """The name of the backend in force."""
    return _current.get()


def current_backend_getter():
    """`current_backend` without its Python frame: the bound ``get`` of the context variable."""
    return _current.get


def delegate(name):
    """The delegating backend called ``name``, or None for a path backend."""
    return _delegates.get(name)
