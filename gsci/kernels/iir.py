"""The IIR kernels: a cascade of direct form II transposed sections, per channel or as a blocked scan.

``lfilter`` is the one-section case of order ``N``; ``sosfilt`` is
``n_sections`` of order 2. The cascade's state (``sections * order``
values) lives in a per-thread local array of `MAX_STATE` elements, a
compile-time bound (larger cascades take the native engine).

Many channels: one thread per channel walks it sample by sample
(`sections_df2t_chunks` with one chunk per channel), one launch for all
sections.

Few long channels: one thread per channel would leave the GPU idle, so
each channel is cut into ``count`` chunks of ``length`` samples and the
recurrence runs as a blocked scan. The cascade is linear: from entering
state ``s`` a chunk ends in state ``A s + f``, where ``A`` is the
state-transition matrix of ``length`` samples and ``f`` the chunk's final
state from zero state. Three launches:

1. `chunk_final_states`: every chunk from zero state gives its ``f``; a few
   more threads in the same launch run ``length`` steps of zero input from
   each unit state, which gives ``A`` column by column, in the arithmetic of
   the recurrence itself.
2. `chunk_carries`: per channel, the entering states ``s[k] = A s[k-1] +
   f[k-1]`` (``s[0] = zi``), one block per channel, one thread per state
   element (at most a warp), in the data's dtype.
3. `sections_df2t_chunks`: every chunk again, from its true entering state,
   so each output sample comes from SciPy's own recurrence.

Rounding: outputs differ from SciPy's single sequential loop only through
the entering states, whose error is about ``eps * |A| |s|``. For chunks
much longer than the filter's memory ``A`` has decayed and the result is as
accurate as SciPy's (a NumPy emulation of the three passes on 2**22 samples
of an order-16 band-pass SOS in float32: 1.3e-5 vs SciPy's 2.1e-5, relative
to the float64 result). For
chunks shorter than that, high-order direct-form filters (``lfilter`` with
``len(a) > 7``), whose transition matrices are far from normal, lose more:
``butter(8, 0.1)`` as ``b, a`` in float32 with 64-sample chunks is 8x
worse than SciPy's (already poor) float32 result. Chunks here have at least
``sqrt(BLOCKED_FROM_LENGTH) = 64`` samples.

Access pattern: the signal is time-major, ``x[t, lane]`` with lanes
(channels, or chunks) contiguous, so at each time step the threads of a warp
read and write adjacent addresses (coalesced); the caller transposes once to
get there.

Compiled once per dtype (Numba specializes each kernel); sizes, section
counts, orders and chunk lengths are arguments. Indices are 64-bit.
"""

import functools
import math

import numpy as np
from numba import cuda

from gsci.kernels._launch import geometry, on_device_of, stream_of, view

MAX_STATE = 32  # float64: 256 bytes of local memory per thread
FULL_GPU_LANES = 2**15  # about 8 warps on each of an H100's 132 SMs
BLOCKED_FROM_LENGTH = 2**12  # patchable: tests lower it to run the blocked scan on small signals
# Lanes (channels or chunks) are few next to elementwise work: small blocks spread them over every SM
# (8192 chunks of one channel make 128 blocks; 32 blocks of 64 still fill an SM).
LANES_PER_BLOCK = 64


def chunking(channels, n):
    """``(count, length)`` of the blocked scan's chunks per channel, or None for one thread per channel.

    About ``sqrt(n)`` chunks per channel (the chunk passes and the carry's
    sequential walk over chunks then take about as many steps), no more than
    `FULL_GPU_LANES` chunks in all.
    """
    # Block when the channels leave room for 4 or more chunks each on a full GPU (fewer chunks barely
    # shorten the sequential walk, and the scan does twice the work) and are long enough to cut.
    if channels > FULL_GPU_LANES // 4 or n < BLOCKED_FROM_LENGTH:
        return None
    count = min(math.isqrt(n - 1) + 1, -(-FULL_GPU_LANES // channels))
    length = -(-n // count)
    return -(-n // length), length  # the count again, so the last chunk is not empty


@cuda.jit(device=True, inline="always")
def _cascade_step(b, a, state, value):
    """One sample ``value`` through every section; updates ``state``, returns the output."""
    order = b.shape[1] - 1
    for s in range(b.shape[0]):
        base = s * order
        out = b[s, 0] * value + state[base]
        for i in range(order - 1):
            state[base + i] = b[s, i + 1] * value + state[base + i + 1] - a[s, i + 1] * out
        state[base + order - 1] = b[s, order] * value - a[s, order] * out
        value = out
    return value


def sections_df2t_chunks(x, b, a, zi, y, zf, chunks_per_channel, last_length):
    """The filtering kernel. x, y: (rows, lanes); b, a: (sections, order + 1), a[:, 0] == 1;
    zi, zf: (lanes, sections * order). Lane ``j`` filters ``rows`` samples from state ``zi[j]``,
    or ``last_length`` when it is the last chunk of its channel (``j % chunks_per_channel``).
    """
    rows, lanes = x.shape
    size = zi.shape[1]
    state = cuda.local.array(MAX_STATE, x.dtype)
    for lane in range(cuda.grid(1), lanes, cuda.gridsize(1)):
        last = lane % chunks_per_channel == chunks_per_channel - 1
        for k in range(size):
            state[k] = zi[lane, k]
        for t in range(last_length if last else rows):
            y[t, lane] = _cascade_step(b, a, state, x[t, lane])
        for k in range(size):
            zf[lane, k] = state[k]


def chunk_final_states(x, b, a, finals, transition):
    """Pass 1 of the blocked scan. x: (length, lanes) chunks; finals: (lanes, size), each chunk's
    final state from zero state; transition: (size, size), row ``m`` the final state from unit
    state ``m`` and zero input, i.e. column ``m`` of the chunk's state-transition matrix.
    """
    rows, lanes = x.shape
    size = finals.shape[1]
    state = cuda.local.array(MAX_STATE, x.dtype)
    zero = x.dtype.type(0)
    for lane in range(cuda.grid(1), lanes + size, cuda.gridsize(1)):
        unit = lane - lanes  # a transition lane when >= 0
        for k in range(size):
            state[k] = 1 if k == unit else 0
        for t in range(rows):
            _cascade_step(b, a, state, x[t, lane] if unit < 0 else zero)
        for k in range(size):
            if unit < 0:
                finals[lane, k] = state[k]
            else:
                transition[unit, k] = state[k]


def chunk_carries(finals, transition, zi, entering):
    """Pass 2 of the blocked scan: ``entering[c * K + k] = A entering[c * K + k - 1] + finals[c * K + k - 1]``
    from ``entering[c * K] = zi[c]``, with ``A[i, m] = transition[m, i]`` and ``K`` chunks per channel.
    One block per channel, of one thread per state element: thread ``i`` computes element ``i``.
    """
    channels, size = zi.shape
    count = finals.shape[0] // channels
    i = cuda.threadIdx.x
    row = cuda.local.array(MAX_STATE, finals.dtype)
    for m in range(size):
        row[m] = transition[m, i]
    states = cuda.shared.array((2, MAX_STATE), finals.dtype)  # chunk k writes row k % 2, reads the other
    for c in range(cuda.blockIdx.x, channels, cuda.gridDim.x):
        first = c * count
        value = zi[c, i]
        for k in range(count):
            if k > 0:
                value = finals[first + k - 1, i]
                for m in range(size):
                    value += row[m] * states[(k - 1) % 2, m]
            states[k % 2, i] = value
            entering[first + k, i] = value
            cuda.syncthreads()  # the next chunk reads what every thread wrote


@functools.cache
def _compiled(kernel):
    return cuda.jit(kernel)


def filter_sections(b, a, x, zi, y, zf, *, chunks_per_channel=1, last_length=None):
    """Run the cascade ``b, a`` over the time-major ``x`` into ``y``, from states ``zi`` to ``zf``.

    Parameters
    ----------
    b, a : (sections, order + 1) contiguous arrays, ``a[:, 0] == 1``, with
        ``sections * order <= MAX_STATE``.
    x, y : (rows, lanes) contiguous arrays (CuPy, PyTorch CUDA, or NumPy in the simulator).
    zi, zf : (lanes, sections * order) contiguous arrays.
    chunks_per_channel, last_length : int
        Lanes are the chunks of channels, ``chunks_per_channel`` each; the
        last chunk of a channel has ``last_length`` samples (default: all rows).
    All arrays of one float dtype.
    """
    rows, lanes = x.shape
    last_length = rows if last_length is None else last_length
    _launch(
        sections_df2t_chunks,
        geometry(lanes, LANES_PER_BLOCK),
        x,
        (view(x), view(b), view(a), view(zi), view(y, written=True), view(zf, written=True)),
        (np.int64(chunks_per_channel), np.int64(last_length)),
    )


def chunk_final_states_into(b, a, x, finals, transition):
    """Blocked scan, pass 1: ``finals`` (lanes, size) of the chunks ``x`` (length, lanes) from zero
    state, and the chunk's state-transition matrix, transposed, into ``transition`` (size, size).
    """
    views = (view(x), view(b), view(a), view(finals, written=True), view(transition, written=True))
    _launch(chunk_final_states, geometry(x.shape[1] + finals.shape[1], LANES_PER_BLOCK), x, views, ())


def chunk_carries_into(finals, transition, zi, entering):
    """Blocked scan, pass 2: the state ``entering`` (channels * K, size) each chunk starts from,
    given the channels' initial states ``zi`` (channels, size).
    """
    views = (view(finals), view(transition), view(zi), view(entering, written=True))
    size = zi.shape[1]
    _launch(chunk_carries, geometry(zi.shape[0] * size, size), finals, views, ())


def _launch(kernel, launch_geometry, like, views, scalars):
    blocks, threads = launch_geometry
    with on_device_of(like):
        _compiled(kernel)[blocks, threads, stream_of(like)](*views, *scalars)


KERNELS = {  # name: (kernel, number of 2-d array arguments, number of integer arguments)
    "sections_df2t_chunks": (sections_df2t_chunks, 6, 2),
    "chunk_final_states": (chunk_final_states, 5, 0),
    "chunk_carries": (chunk_carries, 4, 0),
}


def ptx(dtype, cc, kernel="sections_df2t_chunks"):
    """The PTX of ``kernel`` (a name in `KERNELS`) for ``dtype`` ("float32" or "float64") and ``cc``."""
    from numba import types

    function, arrays, integers = KERNELS[kernel]
    signature = (getattr(types, dtype)[:, ::1],) * arrays + (types.int64,) * integers
    return cuda.compile_ptx(function, signature, cc=cc)
