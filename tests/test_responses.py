"""freqs, freqs_zpk, freqz_zpk and findfreqs against SciPy on every library."""

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, compiled, forbid_dask_compute, uneven_chunks

import gsci.signal
from gsci.signal import _responses

NUMPY = Library.named("numpy")
DTYPES = ("float32", "float64")
# analog designs: (b, a) and (z, p, k) of the same filter
ANALOG = {
    "cheby1": {"N": 4, "rp": 5, "Wn": 100.0},
    "butter_band": {"N": 3, "Wn": [2.0, 30.0], "btype": "bandpass"},
    "ellip_high": {"N": 3, "rp": 1, "rs": 40, "Wn": 0.5, "btype": "highpass"},
}
WORN = {"default": None, "count": 37, "frequencies": np.geomspace(0.01, 300, 41)}


@pytest.fixture(autouse=True)
def native_numpy(monkeypatch):
    """NumPy input takes the native path too (tiny NumPy input runs SciPy: tested apart)."""
    monkeypatch.setattr(_responses, "_SCIPY_BELOW", 0)


def _design(name, output):
    options = dict(ANALOG[name])
    function = {"cheby1": scipy.signal.cheby1, "ellip_high": scipy.signal.ellip}.get(
        name, scipy.signal.butter
    )
    return function(**options, analog=True, output=output)


def _as(xp, arrays, dtype, chunks=False):
    """NumPy arrays as ``xp``'s, of ``dtype`` (complex arrays of its complex kin); uneven Dask chunks."""
    out = []
    for a in arrays:
        a = np.asarray(a)
        kind = dtype if not np.iscomplexobj(a) else {"float32": "complex64", "float64": "complex128"}[dtype]
        a = a.astype(kind)
        out.append(xp.asarray(a, chunks=uneven_chunks(a.shape) if chunks else None))
    return out


def _single(xp, expected, dtype):
    """SciPy's dtype where the gain counts as the library's default float (PyTorch's float32)."""
    if xp.module == "torch" and dtype == "float32" and xp.ns.get_default_dtype() == xp.ns.float32:
        return expected.astype(np.complex64)
    return expected


def _scipy_worN(worN, dtype):
    return worN if not isinstance(worN, np.ndarray) else worN.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("worN", list(WORN))
@pytest.mark.parametrize("design", ["cheby1", "butter_band"])
def test_freqs_matches_scipy(xp, design, worN, dtype):
    b, a = (c.astype(dtype) for c in _design(design, "ba"))
    frequencies = _scipy_worN(WORN[worN], dtype)
    expected = scipy.signal.freqs(b, a, worN=frequencies)
    if xp.module == "dask" and dtype == "float32" and not isinstance(frequencies, np.ndarray):
        # numpy.roots of a monomial gives float64: Dask's graph fixes the dtype before (documented)
        expected = tuple(e.astype(np.complex64 if np.iscomplexobj(e) else np.float32) for e in expected)
    given = frequencies if not isinstance(frequencies, np.ndarray) else _as(xp, [frequencies], dtype)[0]
    gb, ga = _as(xp, [b, a], dtype)
    rtol = 2e-4 if dtype == "float32" else None  # the response near the poles amplifies rounding
    assert_matches(gsci.signal.freqs(gb, ga, worN=given), expected, xp, rtol=rtol)
    np.testing.assert_array_equal(b, np.asarray(_design(design, "ba")[0], dtype=dtype))  # b left as it was


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("worN", list(WORN))
@pytest.mark.parametrize("design", ["cheby1", "ellip_high"])
def test_freqs_zpk_matches_scipy(xp, design, worN, dtype):
    z, p, k = _design(design, "zpk")
    z, p = (np.asarray(r).astype({"float32": "complex64", "float64": "complex128"}[dtype]) for r in (z, p))
    frequencies = _scipy_worN(WORN[worN], dtype)
    if xp.module == "torch":  # SciPy takes the gain in PyTorch's default float type
        k = float(np.asarray(k, dtype=str(xp.ns.get_default_dtype()).split(".")[1]))
    w, h = scipy.signal.freqs_zpk(z, p, k, worN=frequencies)
    given = frequencies if not isinstance(frequencies, np.ndarray) else _as(xp, [frequencies], dtype)[0]
    gz, gp = _as(xp, [z, p], dtype)
    rtol = 2e-4 if dtype == "float32" else None
    assert_matches(gsci.signal.freqs_zpk(gz, gp, k, worN=given), (w, _single(xp, h, dtype)), xp, rtol=rtol)


@pytest.mark.parametrize("whole", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("worN", [None, 64, "frequencies"])
def test_freqz_zpk_matches_scipy(xp, worN, dtype, whole):
    z, p, k = scipy.signal.ellip(5, 1, 50, [0.2, 0.45], btype="bandpass", output="zpk")
    z, p = z.astype({"float32": "complex64", "float64": "complex128"}[dtype]), p.astype(z.dtype)
    p = p.astype(z.dtype)
    options = {"whole": whole, "fs": 100.0}
    frequencies = np.linspace(0, 50, 33).astype(dtype) if worN == "frequencies" else worN
    expected = scipy.signal.freqz_zpk(z, p, k, worN=frequencies, **options)
    given = _as(xp, [frequencies], dtype)[0] if worN == "frequencies" else worN
    gz, gp = _as(xp, [z, p], dtype)
    rtol = 5e-4 if dtype == "float32" else None
    assert_matches(gsci.signal.freqz_zpk(gz, gp, k, worN=given, **options), expected, xp, rtol=rtol)


@pytest.mark.parametrize("kind", ["ba", "zp"])
def test_findfreqs_matches_scipy(xp, kind):
    cases = [([1, 0], [1, 8, 25]), ([1.0], [1.0, 1.0]), ([1.0], [1.0]), ([0.5, 2, 3], [1, 0.1, 4, 0.2])]
    if kind == "zp":
        cases = [(np.roots(n).astype(complex), np.roots(d).astype(complex)) for n, d in cases]
        cases.append(([], [-1.0, -2.0]))
    kind_of = complex if kind == "zp" else float
    for num, den in cases:
        num, den = np.asarray(num, kind_of), np.asarray(den, kind_of)
        expected = scipy.signal.findfreqs(num, den, 11, kind=kind)
        num_, den_ = _as(xp, [num, den], "float64")
        assert_matches(gsci.signal.findfreqs(num_, den_, 11, kind=kind), expected, xp)


def test_findfreqs_sequences():
    expected = scipy.signal.findfreqs([1, 0], [1, 8, 25], 9)
    assert_matches(gsci.signal.findfreqs([1, 0], [1, 8, 25], 9), expected, NUMPY)
    # the native code on NumPy, as the other libraries run it
    assert_matches(_responses._findfreqs([1, 0], [1, 8, 25], 9), expected, NUMPY)
    zeros, poles = np.asarray([0j]), np.asarray([-4 + 3j, -4 - 3j])
    expected = scipy.signal.findfreqs(zeros, poles, 9, kind="zp")
    assert_matches(_responses._findfreqs(zeros, poles, 9, kind="zp"), expected, NUMPY)


def test_types_of_worN():
    """SciPy's: integers of every kind count frequencies; a float or complex is one frequency."""
    for n in (8, np.int8(8), np.int64(8), np.array(8)):
        assert_matches(
            gsci.signal.freqs([1.0], [1.0], worN=n), scipy.signal.freqs([1.0], [1.0], worN=n), NUMPY
        )
        expected = scipy.signal.freqs_zpk([], [], 1, worN=n)
        assert_matches(gsci.signal.freqs_zpk([], [], 1, worN=n), expected, NUMPY)
    for w in (8.0, 8.0 + 0j, [0.5, 2]):
        assert_matches(
            gsci.signal.freqs([1.0], [1.0, 1], worN=w), scipy.signal.freqs([1.0], [1.0, 1], worN=w), NUMPY
        )
        expected = scipy.signal.freqs_zpk([], [-1.0], 1, worN=w)
        assert_matches(gsci.signal.freqs_zpk([], [-1.0], 1, worN=w), expected, NUMPY)
    for z, p in (([1, 2], [0, 3]), ([0.5], [0.25 + 0.5j])):  # integer zeros and poles give float32 w
        expected = scipy.signal.freqz_zpk(np.asarray(z), np.asarray(p), 2, worN=5)
        assert_matches(gsci.signal.freqz_zpk(np.asarray(z), np.asarray(p), 2, worN=5), expected, NUMPY)


def test_plot_is_called():
    seen = []
    gsci.signal.freqs([1.0], [1.0, 1.0], worN=4, plot=lambda w, h: seen.append((w, h)))
    assert len(seen) == 1 and seen[0][0].shape == (4,)
    with pytest.raises(ZeroDivisionError):
        gsci.signal.freqs([1.0], [1.0], worN=8, plot=lambda w, h: 1 / 0)


@pytest.mark.parametrize("function", ["freqs_zpk", "freqz_zpk"])
def test_gain_of_any_library(xp, function):
    z, p = _as(xp, [np.asarray([-1.0 + 0j]), np.asarray([-0.5 + 0.5j, -0.5 - 0.5j])], "float64")
    expected = getattr(scipy.signal, function)([-1.0 + 0j], [-0.5 + 0.5j, -0.5 - 0.5j], [2.0], worN=16)
    for k in (2.0, [2.0], np.float64(2.0), Library.named("torch").asarray(np.asarray(2.0))):
        assert_matches(getattr(gsci.signal, function)(z, p, k, worN=16), expected, xp)


def test_dask_stays_lazy():
    dask = Library.named("dask")
    b, a = _design("cheby1", "ba")
    z, p, k = _design("ellip_high", "zpk")
    frequencies = np.geomspace(1, 300, 29)
    calls = {
        "freqs array": (gsci.signal.freqs, (b, a), frequencies, scipy.signal.freqs),
        "freqs count": (gsci.signal.freqs, (b, a), 23, scipy.signal.freqs),
        "freqs default": (gsci.signal.freqs, (b, a), None, scipy.signal.freqs),
        "freqs_zpk count": (gsci.signal.freqs_zpk, (z, p, k), 23, scipy.signal.freqs_zpk),
        "freqz_zpk count": (gsci.signal.freqz_zpk, (z, p, k), 23, scipy.signal.freqz_zpk),
        "freqz_zpk array": (gsci.signal.freqz_zpk, (z, p, k), frequencies / 1000, scipy.signal.freqz_zpk),
    }
    for name, (function, args, worN, reference) in calls.items():
        arrays = [dask.asarray(c, chunks=uneven_chunks(c.shape) if c.size else None) for c in args[:2]]
        given = (
            worN if not isinstance(worN, np.ndarray) else dask.asarray(worN, chunks=uneven_chunks(worN.shape))
        )
        with forbid_dask_compute():
            result = function(*arrays, *args[2:], worN=given)
        assert_matches(result, reference(*args, worN=worN), dask), name
    expected = scipy.signal.findfreqs(b, a, 17)
    with forbid_dask_compute():
        result = gsci.signal.findfreqs(*(dask.asarray(c, chunks=uneven_chunks(c.shape)) for c in (b, a)), 17)
    assert_matches(result, expected, dask)


@pytest.mark.parametrize("worN", [None, 25, "frequencies"])
def test_under_jax_jit(worN):
    jax = Library.named("jax")
    b, a = _design("butter_band", "ba")
    z, p, k = _design("butter_band", "zpk")
    frequencies = np.geomspace(0.5, 60, 19) if worN == "frequencies" else worN
    given = jax.asarray(frequencies) if worN == "frequencies" else worN
    jb, ja, jz, jp = (jax.asarray(c) for c in (b, a, z, p))
    if worN == "frequencies":  # an array of frequencies: a jax.jit argument
        result = compiled(lambda b, a, w: gsci.signal.freqs(b, a, worN=w), jax)(jb, ja, given)
        result_zpk = compiled(lambda z, p, k, w: gsci.signal.freqs_zpk(z, p, k, worN=w), jax)(
            jz, jp, k, given
        )
    else:
        result = compiled(gsci.signal.freqs, jax, worN=given)(jb, ja)
        result_zpk = compiled(gsci.signal.freqs_zpk, jax, worN=given)(jz, jp, k)
    assert_matches(result, scipy.signal.freqs(b, a, worN=frequencies), jax, rtol=1e-9)
    assert_matches(result_zpk, scipy.signal.freqs_zpk(z, p, k, worN=frequencies), jax)
    digital = scipy.signal.butter(4, [0.1, 0.3], btype="bandpass", output="zpk")
    dz, dp = (jax.asarray(c) for c in digital[:2])
    number = 25 if worN is None else worN
    if worN == "frequencies":
        number = jax.asarray(frequencies / 200)
        run = compiled(lambda z, p, k, w: gsci.signal.freqz_zpk(z, p, k, worN=w, whole=True), jax)
        result = run(dz, dp, digital[2], number)
        number = frequencies / 200
    else:
        result = compiled(gsci.signal.freqz_zpk, jax, worN=number, whole=True)(dz, dp, digital[2])
    assert_matches(result, scipy.signal.freqz_zpk(*digital, worN=number, whole=True), jax)


def test_findfreqs_under_jax_jit():
    jax = Library.named("jax")
    for kind, (num, den) in {"ba": ([1.0, 0], [1.0, 8, 25]), "zp": ([0j], [-4 + 3j, -4 - 3j])}.items():
        expected = scipy.signal.findfreqs(np.asarray(num), np.asarray(den), 9, kind=kind)
        result = compiled(gsci.signal.findfreqs, jax, N=9, kind=kind)(jax.asarray(num), jax.asarray(den))
        assert_matches(result, expected, jax)


def test_tiny_numpy_runs_scipy(monkeypatch):
    monkeypatch.setattr(_responses, "_SCIPY_BELOW", 64)
    b, a = _design("cheby1", "ba")
    z, p, k = _design("cheby1", "zpk")
    for gsci_result, scipy_result in (
        (gsci.signal.freqs(b, a, worN=8), scipy.signal.freqs(b, a, worN=8)),
        (gsci.signal.freqs_zpk(z, p, k), scipy.signal.freqs_zpk(z, p, k)),
        (gsci.signal.freqz_zpk(z, p, k, worN=32), scipy.signal.freqz_zpk(z, p, k, worN=32)),
    ):
        for g, s in zip(gsci_result, scipy_result, strict=True):
            np.testing.assert_array_equal(g, s)


def test_bad_inputs(xp):
    z, p = _as(xp, [np.asarray([1.0]), np.asarray([0.5])], "float64")
    with pytest.raises(ValueError, match="single scalar gain"):
        gsci.signal.freqs_zpk(z, p, [1.0, 2.0], worN=4)
    with pytest.raises(ValueError, match="single scalar gain"):
        gsci.signal.freqz_zpk(z, p, [1.0, 2.0], worN=4)
    with pytest.raises(ValueError, match="must be one of"):
        gsci.signal.findfreqs(z, p, 4, kind="xx")
    with pytest.raises(ValueError, match="can not be none"):
        gsci.signal.freqz_zpk(z, p, 1.0, fs=None)
    with pytest.raises(ValueError):
        gsci.signal.freqz_zpk(z, p, 1.0, worN=-1)
    with pytest.raises(ValueError):
        gsci.signal.freqs(z, p, worN=-1)
    with pytest.raises(ValueError):  # SciPy's too
        scipy.signal.freqs(np.asarray([1.0]), np.asarray([0.5]), worN=-1)
    if xp.module != "numpy":
        with pytest.raises(TypeError, match="different libraries"):
            gsci.signal.freqs(z, np.asarray([1.0, 1.0]), worN=4)
