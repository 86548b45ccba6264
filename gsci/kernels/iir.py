"""The IIR kernel: a cascade of direct form II transposed sections, one thread per channel.

One launch filters every channel through every section: thread ``c`` walks
its channel sample by sample (the recurrence is sequential in time) and keeps
the cascade's state in a local array of `MAX_STATE` elements, a compile-time
bound (``n_sections * order`` beyond it takes the native engine). ``lfilter``
is the one-section case of order ``N``; ``sosfilt`` is ``n_sections`` of order 2.

Access pattern: the signal is time-major, ``x[t, c]`` with channels
contiguous, so at each time step the threads of a warp read and write
adjacent addresses (coalesced); the caller transposes once to get there.
Few long channels leave most of the GPU idle: a blocked parallel scan over
time would serve them and is not written yet.

Compiled once per dtype (Numba specializes the one kernel); sizes, section
counts and orders are arguments. Indices are 64-bit.
"""

import functools

from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view

MAX_STATE = 32  # float64: 256 bytes of local memory per thread


def sections_df2t_channels(x, b, a, zi, y, zf):
    """The kernel. x, y: (n, channels); b, a: (sections, order + 1), a[:, 0] == 1;
    zi, zf: (channels, sections * order).
    """
    n, channels = x.shape
    sections = b.shape[0]
    order = b.shape[1] - 1
    for c in range(cuda.grid(1), channels, cuda.gridsize(1)):
        state = cuda.local.array(MAX_STATE, x.dtype)
        for k in range(sections * order):
            state[k] = zi[c, k]
        for t in range(n):
            value = x[t, c]
            for s in range(sections):
                base = s * order
                out = b[s, 0] * value + state[base]
                for i in range(order - 1):
                    state[base + i] = b[s, i + 1] * value + state[base + i + 1] - a[s, i + 1] * out
                state[base + order - 1] = b[s, order] * value - a[s, order] * out
                value = out
            y[t, c] = value
        for k in range(sections * order):
            zf[c, k] = state[k]


@functools.cache
def _compiled():
    return cuda.jit(sections_df2t_channels)


def filter_sections(b, a, x, zi, y, zf):
    """Run the cascade ``b, a`` over the time-major ``x`` into ``y``, from state ``zi`` to ``zf``.

    Parameters
    ----------
    b, a : (sections, order + 1) contiguous arrays, ``a[:, 0] == 1``, with
        ``sections * order <= MAX_STATE``.
    x, y : (n, channels) contiguous arrays (CuPy, PyTorch CUDA, or NumPy in the simulator).
    zi, zf : (channels, sections * order) contiguous arrays.
    All of one float dtype.
    """
    blocks, threads = geometry(x.shape[1])
    with on_device_of(x):
        _compiled()[blocks, threads, stream_of(x)](
            view(x), view(b), view(a), view(zi), view(y, written=True), view(zf, written=True)
        )


def ptx(dtype, cc):
    """The kernel's PTX for ``dtype`` ("float32" or "float64") and compute capability ``cc``."""
    from numba import types

    array = getattr(types, dtype)[:, ::1]
    return cuda.compile_ptx(sections_df2t_channels, (array,) * 6, cc=cc)
