"""Put gsci's functions in SciPy's place inside SciPy's test modules, and nowhere else.

``scipy.signal`` itself is never touched: SciPy's internal calls, and gsci's own
calls to SciPy, reach SciPy's real functions. Only the test modules' globals
change: a function that gsci provides becomes a stand-in that calls gsci's, and a
module (``signal``, ``windows``, ``ndimage``) becomes a proxy module whose
attributes are gsci's functions where gsci has them and SciPy's otherwise.

SciPy tags the functions its tests exercise with array-api-extra's
``lazy_xp_function`` (an attribute ``_lazy_xp_function`` on the function), and
its ``xp`` fixture then runs every tagged global of the test module, and of the
modules in its ``lazy_xp_modules`` list, under ``jax.jit`` on JAX and with
``compute()`` forbidden on Dask. A stand-in carries the SciPy function's tag, so
gsci is held to the laziness SciPy claims for itself.
"""

import collections
import functools
import importlib
import sys
import types

# SciPy's public modules that gsci mirrors, as "gsci module" -> "scipy module".
MIRRORED = {"signal": "scipy.signal", "signal.windows": "scipy.signal.windows", "ndimage": "scipy.ndimage"}


def public_functions():
    """Every gsci public function, as ``{"signal.welch": function, ...}``."""
    functions = {}
    for module_name in MIRRORED:
        module = importlib.import_module(f"gsci.{module_name}")
        for name in module.__all__:
            value = getattr(module, name)
            if not isinstance(value, types.ModuleType):
                functions[f"{module_name}.{name}"] = value
    return functions


def _stand_in(scipy_function, gsci_function, names, calls):
    @functools.wraps(gsci_function)
    def stand_in(*args, **kwargs):
        calls.update(names)
        return gsci_function(*args, **kwargs)

    tags = getattr(scipy_function, "_lazy_xp_function", None)
    if tags is not None:
        stand_in._lazy_xp_function = tags
    return stand_in


class Swap:
    """gsci's replacements, by the id of what they replace: SciPy functions and SciPy modules."""

    def __init__(self):
        self.calls = collections.Counter()  # gsci function -> number of calls through a stand-in
        self._replacements = {}
        by_scipy_function = {}  # SciPy's get_window is in signal and signal.windows: one stand-in, two names
        for qualified, gsci_function in public_functions().items():
            module_name, name = qualified.rsplit(".", 1)
            scipy_function = getattr(importlib.import_module(MIRRORED[module_name]), name)
            entry = by_scipy_function.setdefault(id(scipy_function), (scipy_function, gsci_function, []))
            entry[2].append(qualified)
        for scipy_function, gsci_function, names in by_scipy_function.values():
            stand_in = _stand_in(scipy_function, gsci_function, names, self.calls)
            while scipy_function is not None:  # SciPy's public function may wrap its module's own
                self._replacements[id(scipy_function)] = stand_in
                scipy_function = getattr(scipy_function, "__wrapped__", None)
        scipy_modules = [importlib.import_module(name) for name in MIRRORED.values()]
        for module in scipy_modules:
            self._replacements[id(module)] = types.ModuleType(module.__name__, module.__doc__)
        for module in scipy_modules:  # once every proxy exists, so signal's proxy gets windows' proxy
            vars(self.replace(module)).update({name: self.replace(v) for name, v in vars(module).items()})

    def replace(self, value):
        """gsci's replacement for ``value``, or ``value`` itself when gsci has none.

        A private module of SciPy's mirrored packages (a test's ``scipy.signal._waveforms``) becomes a
        proxy module too, made on first use."""
        if id(value) not in self._replacements and _private_module(value):
            proxy = self._replacements[id(value)] = types.ModuleType(value.__name__, value.__doc__)
            vars(proxy).update({name: self.replace(v) for name, v in vars(value).items()})
        return self._replacements.get(id(value), value)

    def into_module(self, module):
        """Rebind ``module``'s globals (and its ``lazy_xp_modules`` list) to the replacements."""
        for name, value in list(vars(module).items()):
            if name == "lazy_xp_modules":
                setattr(module, name, [self.replace(m) for m in value])
            elif self.replace(value) is not value:
                setattr(module, name, self.replace(value))

    def into_parameters(self, item):
        """Replace SciPy functions passed to a test through ``pytest.mark.parametrize``."""
        params = getattr(getattr(item, "callspec", None), "params", {})
        for name, value in params.items():
            params[name] = self.replace(value)


def _private_module(value):
    return isinstance(value, types.ModuleType) and any(
        value.__name__.startswith(f"{package}._") for package in MIRRORED.values()
    )


def scipy_test_modules():
    """The imported modules of SciPy's test packages (test files and their helpers)."""
    return [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("scipy.") and ".tests." in name
    ]
