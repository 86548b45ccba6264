"""`scipy.signal.windows`, created in any Array API library on any of its devices.

Each window has SciPy's signature, ending in ``*, xp=None, device=None`` (except
`general_cosine`, whose coefficients set the library, as in SciPy): the output is a
float64 array of ``xp`` (NumPy by default) on ``device``. One Array API code serves
every library; for NumPy it runs in NumPy 2 itself, which makes it cheaper per call than
SciPy's windows (BENCHMARKS.md). A NumPy `dpss` or `tukey` is SciPy's own.
"""

from gsci.signal.windows._windows import *  # noqa: F403
from gsci.signal.windows._windows import __all__  # noqa: F401
