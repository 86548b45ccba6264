"""The spline-prefilter kernel: SciPy's B-spline recurrences along one axis, one CUDA thread per line.

The arithmetic is that of `gsci.kernels.spline_cpu` (SciPy's ``ni_splines.c``
operation for operation; ``pow`` is libdevice's): the gain, then per pole the
causal and anticausal recurrences from SciPy's boundary initialization
(``init``: 0 'mirror', 1 'wrap', 2 'reflect', as `spline_cpu.INITS`). Lines
``(o, ., k)`` of the C-order array seen as ``(outer, n, inner)``: neighbouring
threads take neighbouring ``k``, so their accesses coalesce for lines along
an outer axis. A grid-stride loop covers any number of lines; the kernel
is compiled once (float64), shapes, poles and the initialization are
arguments. Indices are 64-bit.
"""

import functools
import math

import numpy as np
from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view


@cuda.jit(device=True, inline="always")
def _causal_init(c, base, step, n, z, init):
    last = base + (n - 1) * step
    if init == 0:
        z_n_1 = math.pow(z, float(n - 1))
        acc = c[base] + z_n_1 * c[last]
        z_i = z
        for i in range(1, n - 1):
            acc += z_i * (c[base + i * step] + z_n_1 * c[last - i * step])
            z_i *= z
        c[base] = acc / (1 - z_n_1 * z_n_1)
    elif init == 1:
        acc = c[base]
        z_i = z
        for i in range(1, n):
            acc += z_i * c[base + (n - i) * step]
            z_i *= z
        c[base] = acc / (1 - z_i)
    else:  # SciPy 1.17's 'reflect': the sum runs in c[0], its last term reads the partial sum
        z_n = math.pow(z, float(n))
        acc = c[base] + z_n * c[last]
        z_i = z
        for i in range(1, n - 1):
            acc += z_i * (c[base + i * step] + z_n * c[last - i * step])
            z_i *= z
        acc += z_i * (c[last] + z_n * acc)
        c[base] += acc * (z / (1 - z_n * z_n))


@cuda.jit(device=True, inline="always")
def _anticausal_init(c, base, step, n, z, init):
    last = base + (n - 1) * step
    if init == 0:
        c[last] = (z * c[last - step] + c[last]) * z / (z * z - 1)
    elif init == 1:
        acc = c[last]
        z_i = z
        for i in range(n - 1):
            acc += z_i * c[base + i * step]
            z_i *= z
        c[last] = acc * (z / (z_i - 1))
    else:
        c[last] *= z / (z - 1)


@cuda.jit(device=True, inline="always")
def _filter_line(c, base, step, n, z1, z2, npoles, init):
    gain = (1.0 - z1) * (1.0 - 1.0 / z1)
    if npoles > 1:
        gain *= (1.0 - z2) * (1.0 - 1.0 / z2)
    for i in range(n):
        c[base + i * step] *= gain
    for p in range(npoles):
        z = z1 if p == 0 else z2
        _causal_init(c, base, step, n, z, init)
        for i in range(1, n):
            c[base + i * step] += z * c[base + (i - 1) * step]
        _anticausal_init(c, base, step, n, z, init)
        for i in range(n - 2, -1, -1):
            c[base + i * step] = z * (c[base + (i + 1) * step] - c[base + i * step])


def _source():
    def spline_filter_lines(c, outer, n, inner, z1, z2, npoles, init):
        """Every line of ``c`` (flat, C order, ``(outer, n, inner)``) filtered in place."""
        for line in range(cuda.grid(1), outer * inner, cuda.gridsize(1)):
            o, k = line // inner, line % inner
            _filter_line(c, o * n * inner + k, inner, n, z1, z2, npoles, init)

    return spline_filter_lines


@functools.cache
def _kernel():
    return cuda.jit(_source())


def spline_filter_axis(c, shape, axis, poles, init):
    """Filter the flat C-order float64 device array ``c`` of ``shape`` along ``axis``, in place.

    ``poles``: SciPy's (one or two floats); ``init``: 'mirror', 'wrap' or 'reflect'.
    Lines of one sample are left as they are (SciPy's rule).
    """
    n = shape[axis]
    outer, inner = math.prod(shape[:axis]), math.prod(shape[axis + 1 :])
    if n < 2 or outer * inner == 0:
        return
    blocks, threads = geometry(outer * inner)
    z2 = poles[1] if len(poles) > 1 else 0.0
    with on_device_of(c):
        _kernel()[blocks, threads, stream_of(c)](
            view(c, written=True),
            np.int64(outer),
            np.int64(n),
            np.int64(inner),
            np.float64(poles[0]),
            np.float64(z2),
            np.int64(len(poles)),
            np.int64(("mirror", "wrap", "reflect").index(init)),
        )
