"""Dask at scale: gsci's graphs on a real ``dask.distributed`` cluster, and Dask's own bad inputs.

The cluster has worker processes (2 workers, 1 thread each, a memory limit): each task runs where
gsci is imported afresh, its NumPy blocks pickled between processes, as on a real cluster.
"""

import pathlib

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from helpers import Library, assert_matches, forbid_dask_compute

import gsci.ndimage
import gsci.signal

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

SOS = scipy.signal.butter(8, [0.1, 0.3], btype="band", output="sos")
BA = scipy.signal.butter(4, 0.2)
UNEVEN = ((1, 2), (1, 700, 33, 2000, 3, 1263))  # a one-sample chunk, chunks shorter than a segment


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, memory_limit="1GiB", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


CASES = {
    "welch": (
        lambda x: gsci.signal.welch(x, nperseg=256)[1],
        lambda x: scipy.signal.welch(x, nperseg=256)[1],
    ),
    "welch median": (
        lambda x: gsci.signal.welch(x, nperseg=200, noverlap=150, average="median")[1],
        lambda x: scipy.signal.welch(x, nperseg=200, noverlap=150, average="median")[1],
    ),
    "spectrogram": (
        lambda x: gsci.signal.spectrogram(x, nperseg=128)[2],
        lambda x: scipy.signal.spectrogram(x, nperseg=128)[2],
    ),
    "sosfilt": (lambda x: gsci.signal.sosfilt(SOS, x), lambda x: scipy.signal.sosfilt(SOS, x)),
    "sosfiltfilt": (lambda x: gsci.signal.sosfiltfilt(SOS, x), lambda x: scipy.signal.sosfiltfilt(SOS, x)),
    "lfilter": (lambda x: gsci.signal.lfilter(*BA, x), lambda x: scipy.signal.lfilter(*BA, x)),
    "filtfilt": (lambda x: gsci.signal.filtfilt(*BA, x), lambda x: scipy.signal.filtfilt(*BA, x)),
    "gaussian_filter": (
        lambda x: gsci.ndimage.gaussian_filter(x, 3.0),
        lambda x: scipy.ndimage.gaussian_filter(x, 3.0),
    ),
    "median_filter": (
        lambda x: gsci.ndimage.median_filter(x, size=(1, 7)),
        lambda x: scipy.ndimage.median_filter(x, size=(1, 7)),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_chunk_parallel_functions_on_a_local_cluster(client, name):
    gsci_call, scipy_call = CASES[name]
    x = np.random.default_rng(3).standard_normal((3, sum(UNEVEN[1])))
    with forbid_dask_compute():  # building the graph computes nothing
        lazy = gsci_call(da.from_array(x, chunks=UNEVEN))
    assert_matches(client.compute(lazy).result(), scipy_call(x), Library.named("numpy"))
    assert_matches(lazy, scipy_call(x), Library.named("dask"))  # (the client is the default scheduler)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: gsci.signal.welch(x, nperseg=64),
        lambda x: gsci.signal.sosfilt(SOS, x),
        lambda x: gsci.signal.hilbert(x),
        lambda x: gsci.ndimage.laplace(x),
    ],
)
def test_unknown_chunk_sizes_raise_a_valueerror_naming_the_parameter(call):
    x = da.from_array(np.arange(100.0), chunks=10)
    unknown = x[x > 3]  # boolean indexing: chunk sizes NaN until computed
    with pytest.raises(ValueError, match=r"unknown chunk sizes .*compute_chunk_sizes\(\)"):
        call(unknown)


def test_readme_larger_than_memory_example_runs():
    readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
    section = readme.split("## Larger than memory", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})


@pytest.mark.parametrize("name", CASES)
def test_task_counts_grow_linearly_with_the_chunks(name):
    """No all-to-all step: doubling the chunks of a signal at most doubles the graph (plus a constant)."""
    gsci_call, _ = CASES[name]
    tasks = []
    for chunks in (2**10, 2**9, 2**8):
        lazy = gsci_call(da.zeros((2, 2**13), chunks=(1, chunks)))
        tasks.append(len(lazy.__dask_graph__()))
    assert tasks[2] - tasks[1] <= 2.2 * (tasks[1] - tasks[0]) + 8, tasks
    assert tasks[2] > tasks[1] > tasks[0], tasks  # the chunks stay chunks
