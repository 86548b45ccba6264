"""A fixed sample of a family's tests, the same on SciPy's side and on gsci's.

The test suite runs a sample of the largest families (``python -m conformance``
runs them whole): every test function keeps its first case (by node id) and one
in ``every`` of the others, chosen by a hash of the node id, so the sample does
not depend on the order of collection and covers every test function.
"""

import zlib


def sampled(nodes, every):
    """The node ids of ``nodes`` in the sample of one in ``every``."""
    first = {}
    for node in nodes:
        name = node.partition("[")[0]
        first[name] = min(first.get(name, node), node)
    keep = set(first.values())
    return keep | {node for node in nodes if zlib.crc32(node.encode()) % every == 0}
