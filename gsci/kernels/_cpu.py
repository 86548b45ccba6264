"""Plumbing shared by the Numba CPU kernels: one launch at a time, worker threads only where they pay.

Each parallel launch already uses every core, and numba's fallback threading
layer (workqueue) aborts the process on concurrent launches from several
threads: launches hold `launch_lock`.

Waking the worker threads costs tens of microseconds, and milliseconds when
other thread pools (torch's, SciPy's FFT workers) hold the cores: below
`PARALLEL_WORK` multiply-adds a call runs in the calling thread.
"""

import threading

launch_lock = threading.Lock()
PARALLEL_WORK = 1 << 17


def launcher(parallel, serial, tasks, work):
    """``parallel`` for several ``tasks`` with ``work`` multiply-adds in all, else ``serial``."""
    return parallel if tasks > 1 and work >= PARALLEL_WORK else serial
