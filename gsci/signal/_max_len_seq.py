"""Maximum length sequences (`max_len_seq`): SciPy's generator, on the host.

A maximum length sequence is a bit-by-bit linear feedback shift register, inherently sequential, and
SciPy's compiled loop runs it at memory speed: gsci calls it. As SciPy, the result is NumPy whatever
the inputs (``state`` and ``taps`` may be arrays of any library: their values are read on the host,
which waits for a GPU and computes a Dask array).
"""

import scipy.signal

from gsci.signal._filter_design import _host_parameter

__all__ = ["max_len_seq"]


def max_len_seq(nbits, state=None, length=None, taps=None):
    """Maximum length sequence (MLS) generator (`scipy.signal.max_len_seq`).

    Parameters
    ----------
    nbits : int
        Number of bits to use. The length of the sequence is ``(2**nbits) - 1``.
    state : array_like, optional
        The initial state of the shift register, ``nbits`` values read as booleans; default all ones.
    length : int, optional
        Number of samples to compute; default ``(2**nbits) - 1``.
    taps : array_like, optional
        Polynomial taps to use (e.g. ``[7, 6, 1]`` for an 8-bit sequence); default SciPy's for
        ``nbits`` from 2 to 32.

    Returns
    -------
    seq : ndarray
        The resulting MLS sequence of 0's and 1's (int8, NumPy, as SciPy returns it).
    state : ndarray
        The final state of the shift register (int8, NumPy).

    Raises
    ------
    ValueError
        As SciPy: unknown ``nbits`` without ``taps``, taps out of range, a state of the wrong size or
        all zeros, a negative ``length``.
    TypeError
        For a JAX array traced by ``jax.jit`` as ``state`` or ``taps``: its values are needed.

    Examples
    --------
    >>> from gsci.signal import max_len_seq
    >>> seq, state = max_len_seq(3)
    >>> seq.tolist(), state.tolist()
    ([1, 1, 1, 0, 1, 0, 0], [1, 1, 1])
    """
    return scipy.signal.max_len_seq(
        nbits,
        state=_host_parameter(state, "state"),
        length=_host_parameter(length, "length"),
        taps=_host_parameter(taps, "taps"),
    )
