"""One declaration per public function decides its path: native, kernel or scipy.

A public gsci function is its native implementation, written against ``xp``
with SciPy's signature plus a keyword-only ``xp``, wrapped by `gsci_function`.
The wrapper binds the call, finds the namespace once, picks the path from the
declaration and the backend in force, and runs it.
"""

import dataclasses
import functools
import importlib
import importlib.util
import inspect
import os

from gsci._lib import _backends
from gsci._lib._arrays import (
    LIBRARIES,
    device,
    device_kind,
    from_host,
    is_array,
    library_of,
    namespace_of,
    to_host,
)

PATHS = ("native", "kernel", "scipy")
_KERNEL_LIBRARIES = ("cupy", "torch")  # they expose __cuda_array_interface__


@dataclasses.dataclass(frozen=True)
class Declaration:
    """What a public function supports.

    module, name : the SciPy function it mirrors (``scipy.<module>.<name>``).
    arrays : parameters that may hold arrays; they set the namespace.
    kernel : implementation launching CUDA kernels, same signature as native.
    scipy_for : libraries whose "auto" path on the CPU is SciPy, each with the
        reason.
    """

    module: str
    name: str
    arrays: tuple
    native: object
    kernel: object = None
    scipy_for: dict = dataclasses.field(default_factory=dict)

    def path(self, backend, library, device):
        """The path a call takes under ``backend`` for this library and device."""
        if backend == "scipy":
            return "scipy"
        if self.kernel is not None and _kernel_serves(library, device):
            return "kernel"
        if backend == "auto" and device == "cpu" and library in self.scipy_for:
            return "scipy"
        return "native"


def kernel_sim():
    """True when ``GSCI_KERNEL_SIM=1``: NumPy input runs the CUDA kernels in Numba's simulator."""
    return os.environ.get("GSCI_KERNEL_SIM") == "1"


def _kernel_serves(library, device):
    if library == "numpy" and kernel_sim():
        return True
    return device == "cuda" and library in _KERNEL_LIBRARIES and _have_numba_cuda()


@functools.cache
def _have_numba_cuda():
    return importlib.util.find_spec("numba_cuda") is not None


def gsci_function(module, arrays, *, kernel=None, scipy_for=None):
    """Make ``native`` (SciPy's signature plus keyword-only ``xp``) a public function."""

    def decorate(native):
        declaration = Declaration(module, native.__name__, tuple(arrays), native, kernel, scipy_for or {})
        signature = inspect.signature(native)
        public_signature = signature.replace(
            parameters=[p for p in signature.parameters.values() if p.name != "xp"]
        )
        bind = _binder(native.__name__, public_signature)

        @functools.wraps(native)
        def public(*args, **kwargs):
            return _call(declaration, bind(*args, **kwargs))

        public.__signature__ = public_signature
        public.declaration = declaration
        return public

    return decorate


def _binder(name, signature):
    """A function with ``signature`` returning its arguments as a dict.

    Python itself binds the call, with its own error messages, in a tenth of
    the time `inspect.Signature.bind` takes (the wrapper's main cost).
    """
    defaults = [p.default for p in signature.parameters.values()]
    source, keyword_only = [], False
    for i, p in enumerate(signature.parameters.values()):
        if p.kind is p.KEYWORD_ONLY and not keyword_only:
            source.append("*")
            keyword_only = True
        source.append(p.name if p.default is p.empty else f"{p.name}=_defaults[{i}]")
    names = ", ".join(f"{p!r}: {p}" for p in signature.parameters)
    scope = {"_defaults": defaults}
    exec(f"def {name}({', '.join(source)}):\n    return {{{names}}}", scope)
    return scope[name]


def _call(declaration, arguments):
    backend = _backends.current_backend()
    delegate = _backends.delegate(backend)
    if delegate is not None:
        result = delegate(declaration.module, declaration.name, arguments)
        if result is not NotImplemented:
            return result
        backend = "auto"
    named_arrays = {n: arguments[n] for n in declaration.arrays if is_array(arguments[n])}
    xp = namespace_of(named_arrays)
    first = next(iter(named_arrays.values()), None)
    library = "numpy" if first is None else library_of(first)
    path = declaration.path(backend, library, "cpu" if first is None else device_kind(first, library))
    if path == "scipy":
        return _call_scipy(declaration, arguments, named_arrays, xp, library)
    implementation = declaration.kernel if path == "kernel" else declaration.native
    return implementation(**arguments, xp=xp)


def _call_scipy(declaration, arguments, named_arrays, xp, library):
    where = f"gsci.{declaration.module}.{declaration.name}"
    host = {n: to_host(a, library, where) for n, a in named_arrays.items()}
    scipy_function = getattr(importlib.import_module(f"scipy.{declaration.module}"), declaration.name)
    result = scipy_function(**{**arguments, **host})
    like = device(next(iter(named_arrays.values()))) if named_arrays else None
    if isinstance(result, tuple):
        return tuple(from_host(r, xp, like) for r in result)
    return from_host(result, xp, like)


_DEVICES = {"numpy": ("cpu",), "array_api_strict": ("cpu",), "cupy": ("cuda",)}


def capabilities():
    """The path each function takes under ``"auto"``, per library and device.

    Returns
    -------
    dict
        ``{(function, library, device): path}``, with ``function`` such as
        ``"signal.welch"`` and ``path`` one of ``"native"``, ``"kernel"``
        (native with CUDA kernels) or ``"scipy"`` (a host round trip).
        Generated from the same declarations that route the calls.

    Examples
    --------
    >>> import gsci
    >>> gsci.capabilities()[("ndimage.laplace", "torch", "cuda")]
    'kernel'
    """
    table = {}
    for function, declaration in sorted(declarations().items()):
        for library in LIBRARIES:
            for place in _DEVICES.get(library, ("cpu", "cuda")):
                table[function, library, place] = declaration.path("auto", library, place)
    return table


def declarations():
    """Every public function's `Declaration`, by ``"module.name"``."""
    found = {}
    for module in ("signal", "ndimage"):
        public = importlib.import_module(f"gsci.{module}")
        for name in public.__all__:
            declaration = getattr(getattr(public, name), "declaration", None)
            if declaration is not None:
                found[f"{module}.{name}"] = declaration
    return found


def capability_markdown():
    """`capabilities` as the Markdown table the README shows."""
    table = capabilities()
    columns = sorted({(library, place) for _, library, place in table}, key=lambda c: _column_order(*c))
    functions = sorted({function for function, _, _ in table})
    lines = [
        "| function | " + " | ".join(f"{library} {place}" for library, place in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for function in functions:
        paths = (table[function, library, place] for library, place in columns)
        lines.append(f"| `{function}` | " + " | ".join(paths) + " |")
    return "\n".join(lines)


def _column_order(library, place):
    return LIBRARIES.index(library), place != "cpu"
