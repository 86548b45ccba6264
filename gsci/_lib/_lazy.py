"""Public modules export names lazily, so ``import gsci`` stays light."""

import importlib
import sys


def lazy_exports(package, exports, submodules=()):
    """``(__all__, __getattr__, __dir__)`` for ``package``.

    ``exports`` maps a private module to the names it defines; ``submodules``
    are public subpackages imported on first access.
    """
    home = {name: module for module, names in exports.items() for name in names}
    public = sorted([*home, *submodules])

    def __getattr__(name):
        if name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        elif name in home:
            value = getattr(importlib.import_module(home[name]), name)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)  # found once: later lookups skip this function
        return value

    def __dir__():
        return public

    return public, __getattr__, __dir__
