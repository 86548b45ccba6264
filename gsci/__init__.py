"""gsci: SciPy's signal and ndimage on any Array API library, on CPU and GPU.

``gsci.signal`` and ``gsci.ndimage`` mirror the SciPy functions of the same
name; the result is an array of the input's library on the input's device.
"""

from gsci._lib._arrays import HostTransferWarning
from gsci._lib._backends import backend, register_backend, set_backend
from gsci._lib._dispatch import capabilities
from gsci._lib._lazy import lazy_exports

__version__ = "0.1.0"
__all__ = [
    "HostTransferWarning",
    "backend",
    "capabilities",
    "datasets",
    "ndimage",
    "register_backend",
    "set_backend",
    "signal",
]
_, __getattr__, _ = lazy_exports(__name__, {}, submodules=("signal", "ndimage", "datasets"))
