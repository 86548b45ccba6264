"""On torch, the operations per call do not grow with the data: no Python loop over segments or rows."""

import numpy as np
import pytest

import gsci

torch = pytest.importorskip("torch")
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402


class CountOps(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.count = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.count += 1
        return func(*args, **(kwargs or {}))


CALLS = {
    "welch": lambda x: gsci.signal.welch(x, nperseg=64),
    "welch median linear": lambda x: gsci.signal.welch(x, nperseg=64, detrend="linear", average="median"),
    "csd": lambda x: gsci.signal.csd(x, x * 2, nperseg=64),
    "periodogram": lambda x: gsci.signal.periodogram(x),
    "detrend": lambda x: gsci.signal.detrend(x, bp=[10, 100]),
    "fftconvolve": lambda x: gsci.signal.fftconvolve(x, x[..., :31], axes=-1),
    "laplace": lambda x: gsci.ndimage.laplace(x),
    "correlate1d": lambda x: gsci.ndimage.correlate1d(x, [1.0, -2.0, 3.0], mode="mirror"),
}


def operations(call, shape):
    # requires_grad keeps every function on torch's own operations (no NumPy views)
    x = torch.asarray(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    with CountOps() as counter:
        call(x)
    return counter.count


@pytest.mark.parametrize("name", CALLS)
def test_operation_count_is_independent_of_length_and_batch(name):
    small = operations(CALLS[name], (2, 1024))
    assert small > 0
    assert operations(CALLS[name], (2, 16384)) == small, "more operations for a longer signal"
    assert operations(CALLS[name], (16, 1024)) == small, "more operations for a larger batch"
