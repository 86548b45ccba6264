"""max_len_seq against SciPy: NumPy output, as SciPy's, for arguments of every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_exact, compiled

import gsci.signal


@pytest.mark.parametrize(
    "kwargs",
    [
        {"nbits": 3},
        {"nbits": 10},
        {"nbits": 8, "length": 100},
        {"nbits": 5, "state": [1, 0, 0, 1, 1]},
        {"nbits": 6, "taps": [5, 2], "length": 20},
        {"nbits": 4, "length": 0},
    ],
)
def test_matches_scipy(xp, kwargs):
    expected = scipy.signal.max_len_seq(**kwargs)
    given = {k: xp.asarray(np.asarray(v)) if k in ("state", "taps") else v for k, v in kwargs.items()}
    seq, state = gsci.signal.max_len_seq(**given)
    assert type(seq) is np.ndarray and type(state) is np.ndarray  # NumPy, as SciPy returns
    assert_exact(seq, expected[0])
    assert_exact(state, expected[1])


def test_state_is_not_modified():
    state = np.array([1, 0, 1, 1], dtype=np.int8)
    gsci.signal.max_len_seq(4, state=state, length=9)
    np.testing.assert_array_equal(state, [1, 0, 1, 1])


def test_bad_inputs():
    cases = [
        {"nbits": 1},  # no default taps
        {"nbits": 4, "taps": [5]},
        {"nbits": 4, "taps": []},
        {"nbits": 4, "state": [1, 0]},
        {"nbits": 4, "state": [0, 0, 0, 0]},
        {"nbits": 4, "length": -1},
    ]
    for kwargs in cases:
        with pytest.raises(ValueError):
            scipy.signal.max_len_seq(**kwargs)
        with pytest.raises(ValueError):
            gsci.signal.max_len_seq(**kwargs)


def test_traced_state_raises_type_error():
    jax = Library.named("jax")
    run = compiled(lambda state: gsci.signal.max_len_seq(4, state=state)[0], jax)
    with pytest.raises(TypeError, match=r"jax\.jit"):
        run(jax.asarray(np.ones(4, dtype=np.int8)))
