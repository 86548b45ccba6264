"""A fixed sample of a family's tests, the same on SciPy's side and on gsci's.

The test suite runs a sample of the largest families (``python -m conformance``
runs them whole): every test function keeps its first case (by node id) on each
array library and one in ``every`` of the others, chosen by a hash of the node
id, so the sample does not depend on the order of collection and covers every
test function on every library.
"""

import zlib

# SciPy's ids of its ``xp`` parameter: one of a case's parameter ids
LIBRARY_IDS = {"numpy", "array_api_strict", "torch", "jax.numpy", "dask.array", "cupy"}


def _function_and_library(node):
    name, _, parameters = node.partition("[")
    return name, next((p for p in parameters.rstrip("]").split("-") if p in LIBRARY_IDS), None)


def sampled(nodes, every):
    """The node ids of ``nodes`` in the sample of one in ``every``."""
    first = {}
    for node in nodes:
        key = _function_and_library(node)
        first[key] = min(first.get(key, node), node)
    keep = set(first.values())
    return keep | {node for node in nodes if zlib.crc32(node.encode()) % every == 0}
