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
import math
import os

import numpy as np

from gsci._lib import _backends
from gsci._lib._arrays import (
    HOST_TYPES,
    LIBRARIES,
    NUMPY,
    device,
    device_kind,
    from_host,
    host_values,
    is_array,
    library_of,
    moved_operators,
    placement,
    to_host,
)
from gsci._lib._torch_cpu import numpy_call

PATHS = ("native", "kernel", "scipy")
_KERNEL_LIBRARIES = ("cupy", "torch")  # they expose __cuda_array_interface__


@dataclasses.dataclass(frozen=True)
class Declaration:
    """What a public function supports.

    module, name : the SciPy function it mirrors (``scipy.<module>.<name>``).
    arrays : data parameters; their arrays set the namespace and device.
    operators : small operator parameters (filter coefficients, windows,
        weights): arrays of the data's library, or NumPy arrays and
        sequences, which move to the data's namespace and device.
    kernel : implementation launching CUDA kernels, same signature as native
        (made from the native function where it takes an ``engine``; see `gsci_function`).
    scipy_for : libraries whose "auto" path on the CPU is SciPy, each with the
        reason.
    scipy_when : a `fewer_elements` (or kin): NumPy data arrays (or None)
        for which it holds run SciPy's compiled code under "auto", where
        its fixed cost per call is lower, or its loop as fast as gsci's
        (measured in BENCHMARKS.md).
    torch_as_numpy : torch CPU tensors outside autograd run as NumPy arrays
        (zero-copy views; results back as tensors): for functions whose dtype
        rules are NumPy's whatever the library, where NumPy's route is faster.
    host_operators : small parameters whose values the function reads on the
        host (a footprint decides the filter's shape): arrays of any library
        or sequences; arrays arrive as NumPy arrays (a GPU one is copied).
    """

    module: str
    name: str
    arrays: tuple
    native: object
    kernel: object = None
    scipy_for: dict = dataclasses.field(default_factory=dict)
    operators: tuple = ()
    scipy_when: object = None
    torch_as_numpy: bool = False
    host_operators: tuple = ()

    def path(self, backend, library, device):
        """The path a call takes under ``backend`` for this library and device."""
        if backend == "scipy":
            return "scipy"
        if self.kernel is not None and _kernel_serves(library, device):
            return "kernel"
        if backend == "auto" and device == "cpu" and library in self.scipy_for:
            return "scipy"
        return "native"

    @functools.cached_property
    def scipy_function(self):
        """``scipy.<module>.<name>``, imported on first use."""
        return getattr(importlib.import_module(f"scipy.{self.module}"), self.name)


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


def gsci_function(
    module,
    arrays,
    *,
    operators=(),
    kernel=None,
    kernel_engine=None,
    scipy_for=None,
    scipy_when=None,
    torch_as_numpy=False,
    host_operators=(),
):
    """Make ``native`` (SciPy's signature plus keyword-only ``xp``) a public function.

    ``arrays``, ``operators`` and ``host_operators`` name the parameters that
    may hold arrays (see `Declaration`). A native function whose core comes
    from an engine takes it as a keyword-only ``engine`` (its default: the
    native engine); ``kernel_engine`` is the one the kernel path passes (the
    CUDA kernels), in place of a separate ``kernel`` function.
    """

    def decorate(native):
        declaration = Declaration(
            module,
            native.__name__,
            tuple(arrays),
            native,
            kernel if kernel_engine is None else functools.partial(native, engine=kernel_engine),
            scipy_for or {},
            tuple(operators),
            scipy_when,
            torch_as_numpy,
            tuple(host_operators),
        )
        signature = inspect.signature(native)
        public_signature = signature.replace(
            parameters=[p for p in signature.parameters.values() if p.name not in ("xp", "engine")]
        )
        public = functools.wraps(native)(_wrapper(declaration, public_signature))
        public.__signature__ = public_signature
        public.declaration = declaration
        return public

    return decorate


@dataclasses.dataclass(frozen=True)
class fewer_elements:  # lower case: it reads as the predicate it is
    """A ``scipy_when``: every data array has fewer than ``count`` elements.

    A ``scipy_when`` gives the test as Python source for one array (`test`),
    which the generated wrapper inlines: at a few microseconds per small
    call, a function call would cost a tenth of it.
    """

    count: int

    def test(self, name):
        return f"{name}.size < {self.count}"

    def __call__(self, *data):
        """Whether it holds for NumPy arrays (or None) ``data``: the same test, evaluated."""
        return all(a is None or eval(self.test("a"), {}, {"a": a}) for a in data)


@dataclasses.dataclass(frozen=True)
class one_line_or_fewer_elements(fewer_elements):
    """A ``scipy_when``: every data array is one line (one axis longer than 1) or has fewer than ``count``."""

    def test(self, name):
        return f"({name}.ndim <= 1 or {name}.size == max({name}.shape) or {name}.size < {self.count})"


def _wrapper(declaration, signature):
    """The public function: SciPy's ``signature``, generated so that Python itself binds the call.

    NumPy input under "auto" (every array parameter holds a NumPy array, a
    sequence, a scalar or None) goes straight to the native function, or to
    SciPy where the declaration says so (``scipy_for`` NumPy, ``scipy_when``):
    a few type checks, well under the 2 µs the design allows. Anything else
    goes through `_call`.
    """
    parameters = list(signature.parameters.values())
    header, call, arguments = [], [], []
    for i, p in enumerate(parameters):
        if p.kind is p.VAR_KEYWORD:  # passed on as they came (gaussian_laplace's **kwargs)
            header.append(f"**{p.name}")
            call.append(f"**{p.name}")
            arguments.append(f"**{p.name}")
            continue
        if p.kind is p.KEYWORD_ONLY and "*" not in header:
            header.append("*")
        header.append(p.name if p.default is p.empty else f"{p.name}=_defaults[{i}]")
        call.append(p.name if p.kind is p.POSITIONAL_OR_KEYWORD else f"{p.name}={p.name}")
        arguments.append(f"{p.name!r}: {p.name}")
    call = ", ".join(call)
    checked = (*declaration.arrays, *declaration.operators, *declaration.host_operators)
    host = " and ".join(f"_type({n}) in _host" for n in checked)
    numpy_path = declaration.path("auto", "numpy", "cpu")
    lines = [f"def {declaration.name}({', '.join(header)}):"]
    if numpy_path == "scipy":
        lines.append(f"    if {host or 'True'} and _backend() == 'auto':")
        lines.append(f"        return _scipy({call})")
    if numpy_path == "native":
        if declaration.scipy_when is not None:  # tested first: the data's type checks are then its own
            small = " and ".join(
                f"({n} is None or _type({n}) is _ndarray and {declaration.scipy_when.test(n)}"
                f" or _isinstance({n}, _dtypes))"  # an output given as a dtype
                for n in declaration.arrays
            )
            operators = "".join(
                f" and _type({n}) in _host" for n in (*declaration.operators, *declaration.host_operators)
            )
            lines.append(f"    if {small}{operators} and _backend() == 'auto':")
            lines.append(f"        return _scipy({call})")
        lines.append(f"    if {host or 'True'} and _backend() == 'auto':")
        lines.append(f"        return _native({call}, xp=_numpy)")
    lines.append(f"    return _call(_declaration, {declaration.name}, {{{', '.join(arguments)}}})")
    scope = {
        "_defaults": [p.default for p in parameters],
        "_type": type,  # a parameter may be called "type" (detrend)
        "_host": HOST_TYPES,
        "_ndarray": np.ndarray,
        "_isinstance": isinstance,
        "_dtypes": (type, np.dtype, str),
        "_backend": _backends.current_backend_getter(),
        "_declaration": declaration,
        "_native": declaration.native,
        "_numpy": NUMPY,
        "_call": _call,
    }
    if numpy_path == "scipy" or declaration.scipy_when is not None:
        scope["_scipy"] = declaration.scipy_function  # imports scipy.<module> with the function's own module
    exec(compile("\n".join(lines), f"<gsci.{declaration.module}.{declaration.name}>", "exec"), scope)
    return scope[declaration.name]


def _call(declaration, public, arguments):
    backend = _backends.current_backend()
    delegate = _backends.delegate(backend)
    if delegate is not None:
        result = delegate(declaration.module, declaration.name, arguments)
        if result is not NotImplemented:
            return result
        backend = "auto"
    for name in declaration.host_operators:
        if is_array(arguments[name]):
            arguments[name] = host_values(arguments[name], library_of(arguments[name]))
    data = {n: arguments[n] for n in declaration.arrays if is_array(arguments[n])}
    operators = {n: arguments[n] for n in declaration.operators if is_array(arguments[n])}
    xp, library, first = placement(data, operators)
    path = declaration.path(backend, library, "cpu" if first is None else device_kind(first, library))
    if path == "scipy":
        return _call_scipy(declaration, arguments, {**data, **operators}, xp, first)
    if library == "torch" and path == "native" and declaration.torch_as_numpy:
        # torch CPU tensors outside autograd run as NumPy (zero copy): NumPy's route, SciPy's where declared
        tensors = {n: a for n, a in {**data, **operators}.items() if not isinstance(a, np.ndarray)}
        run = public if backend == "auto" else functools.partial(declaration.native, xp=NUMPY)
        writable = {n: a.copy() for n, a in operators.items() if n not in tensors and not a.flags.writeable}
        result = numpy_call(run, {**arguments, **writable}, tensors)  # SciPy's loops refuse read-only
        if result is not NotImplemented:
            return result
    if library == "dask":
        _check_known_chunks({**data, **operators})
    elif library != "numpy":  # Dask takes NumPy operators as they are: constants of its graph
        arguments.update(moved_operators(operators, xp, first))
    implementation = declaration.kernel if path == "kernel" else declaration.native
    return implementation(**arguments, xp=xp)


def _check_known_chunks(named_arrays):
    """gsci plans a Dask graph from its chunk sizes: unknown ones (NaN, after boolean indexing) raise."""
    for name, a in named_arrays.items():
        if any(math.isnan(c) for sizes in getattr(a, "chunks", ()) for c in sizes):
            raise ValueError(
                f"{name} has unknown chunk sizes {a.chunks}: call {name}.compute_chunk_sizes() first "
                "(gsci builds its graph from the chunk sizes)"
            )


def _call_scipy(declaration, arguments, named_arrays, xp, first):
    where = f"gsci.{declaration.module}.{declaration.name}"
    host = {n: to_host(a, library_of(a), where) for n, a in named_arrays.items()}
    result = declaration.scipy_function(**{**arguments, **host})
    like = None if first is None else device(first)
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
    """`capabilities` as the Markdown table the README shows.

    "native*" marks NumPy input that runs SciPy where its declared
    ``scipy_when`` holds (small arrays, one IIR line).
    """
    table = capabilities()
    found = declarations()
    columns = sorted({(library, place) for _, library, place in table}, key=lambda c: _column_order(*c))
    functions = sorted({function for function, _, _ in table})
    lines = [
        "| function | " + " | ".join(f"{library} {place}" for library, place in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for function in functions:
        paths = [table[function, library, place] for library, place in columns]
        if found[function].scipy_when is not None and paths[0] == "native":
            paths[0] = "native*"
        lines.append(f"| `{function}` | " + " | ".join(paths) + " |")
    return "\n".join(lines)


def _column_order(library, place):
    return LIBRARIES.index(library), place != "cpu"
