"""lombscargle against SciPy on every library."""

import warnings

import numpy as np
import pytest
import scipy.signal
from helpers import Library, assert_matches, case_id, compiled, forbid_dask_compute, to_numpy, uneven_chunks
from hypothesis import given, settings
from hypothesis import strategies as st

import gsci.signal


def samples(n=150, nfreq=200, seed=0, offset=0.7):
    """Unevenly spaced times, a noisy offset harmonic at them, angular frequencies and weights."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 10 * np.pi, n))
    y = 2.0 * np.cos(1.3 * t + 0.4) + offset + 0.3 * rng.standard_normal(n)
    return t, y, np.linspace(0.05, 6.0, nfreq), rng.uniform(0.2, 2.0, n)


CASES = [
    {},
    {"floating_mean": True},
    {"normalize": True},
    {"normalize": "normalize", "floating_mean": True},
    {"normalize": "power", "floating_mean": True},
    {"normalize": "amplitude"},
    {"normalize": "amplitude", "floating_mean": True},
    {"normalize": False, "weights": True},
    {"normalize": True, "floating_mean": True, "weights": True},
    {"normalize": "amplitude", "floating_mean": True, "weights": True},
]


def _arguments(kwargs, weights, xp=None):
    kwargs = dict(kwargs)
    if kwargs.get("weights") is True:
        kwargs["weights"] = weights if xp is None else xp.asarray(weights)
    return kwargs


@pytest.mark.parametrize("kwargs", CASES, ids=case_id)
def test_lombscargle_matches_scipy(xp, kwargs):
    t, y, f, w = samples()
    expected = scipy.signal.lombscargle(t, y, f, **_arguments(kwargs, w))
    if kwargs.get("weights") is True:  # an array argument: not bound into the jitted function
        weights = xp.asarray(w)
        plain = {k: v for k, v in kwargs.items() if k != "weights"}
        function = compiled(lambda t, y, f, w: gsci.signal.lombscargle(t, y, f, weights=w, **plain), xp)
        actual = function(xp.asarray(t), xp.asarray(y), xp.asarray(f), weights)
    else:
        actual = compiled(gsci.signal.lombscargle, xp, **kwargs)(xp.asarray(t), xp.asarray(y), xp.asarray(f))
    assert_matches(actual, expected, xp)


@pytest.mark.parametrize("dtype", ["float32", "int64", "float64"])
def test_every_input_is_taken_as_float64_like_scipy(xp, dtype):
    t, y, f, _ = samples(60, 40)
    t, y, f = (np.round(a * 10).astype(dtype) if dtype == "int64" else a.astype(dtype) for a in (t, y, f))
    expected = scipy.signal.lombscargle(t, y, f, floating_mean=True)
    assert expected.dtype == np.float64
    actual = gsci.signal.lombscargle(xp.asarray(t), xp.asarray(y), xp.asarray(f), floating_mean=True)
    assert_matches(actual, expected, xp)


def test_python_sequences_and_scipys_tiny_path():
    t, y, f, w = samples(20, 10)
    for n, nfreq in ((20, 10), (200, 100)):
        t, y, f, w = samples(n, nfreq)
        expected = scipy.signal.lombscargle(t, y, f, weights=w, normalize=True)
        actual = gsci.signal.lombscargle(
            t.tolist(), y.tolist(), f.tolist(), weights=w.tolist(), normalize=True
        )
        np.testing.assert_allclose(actual, expected, rtol=1e-11, atol=1e-13)


def test_native_path_blocks_the_frequencies(monkeypatch):
    """The Array API path sums over blocks of frequencies (bounded memory): several blocks agree."""
    from gsci.signal import _lombscargle

    strict = Library.named("array_api_strict")
    pytest.importorskip(strict.module)
    t, y, f, w = samples(300, 500)
    monkeypatch.setattr(_lombscargle, "_BLOCK_PAIRS", 300 * 7)  # 7 frequencies a block, a short last one
    expected = scipy.signal.lombscargle(t, y, f, weights=w, floating_mean=True, normalize="amplitude")
    actual = gsci.signal.lombscargle(
        *(strict.asarray(a) for a in (t, y, f)),
        weights=strict.asarray(w),
        floating_mean=True,
        normalize="amplitude",
    )
    assert_matches(actual, expected, strict)


def test_edge_cases_match_scipy(xp):
    """SciPy's zero-division guards (SS or CC exactly 0), a zero frequency, a single sample."""
    cases = [
        (np.arange(1.0, 33.0), np.ones(32), np.array([2 * np.pi] * 2), {}),
        (np.arange(0, 32) * 4.0 + 1, np.ones(32), np.array([np.pi / 2] * 2), {}),
        (*samples(70, 50)[:2], np.linspace(0, 10, 50), {"normalize": True, "floating_mean": True}),
        (np.array([1.0]), np.array([2.0]), np.array([0.5, 1.0]), {}),
    ]
    for t, y, f, kwargs in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = scipy.signal.lombscargle(t, y, f, **kwargs)
            actual = gsci.signal.lombscargle(xp.asarray(t), xp.asarray(y), xp.asarray(f), **kwargs)
        scale = float(np.max(np.abs(expected)))
        assert_matches(actual, expected, xp, atol=1e-9 * scale)


def test_large_sample_times_like_scipy_issue_8787():
    """Times near 2e9 (SciPy's test_list_input): equal within the rounding of the angles f * t."""
    t = 1.982e9 + np.sort(np.random.default_rng(4).uniform(0, 4e5, 200))
    y = np.sin(2 * np.pi * t / 300.0) + 0.1
    f = 2 * np.pi / np.linspace(400, 120, 300)
    expected = scipy.signal.lombscargle(t, y - y.mean(), f, normalize=True)
    actual = gsci.signal.lombscargle(t, y - y.mean(), f, normalize=True)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-6 * np.max(expected))


BAD_SHAPES = [
    ((10,), (11,), (5,), None),
    ((10, 2), (10, 2), (5,), None),
    ((0,), (0,), (5,), None),
    ((10,), (10,), (0,), None),
    ((10,), (10,), (5, 1), None),
    ((10,), (10,), (5,), (9,)),
    ((10,), (10,), (5,), (10, 1)),
]


@pytest.mark.parametrize(("t_shape", "y_shape", "f_shape", "w_shape"), BAD_SHAPES, ids=repr)
def test_bad_shapes_raise_like_scipy(xp, t_shape, y_shape, f_shape, w_shape):
    t, y, f = np.ones(t_shape), np.ones(y_shape), np.ones(f_shape)
    kwargs = {} if w_shape is None else {"weights": np.ones(w_shape)}
    with pytest.raises(ValueError):
        scipy.signal.lombscargle(t, y, f, **kwargs)
    kwargs = {k: xp.asarray(v) for k, v in kwargs.items()}
    with pytest.raises(ValueError, match="1-D array"):
        gsci.signal.lombscargle(xp.asarray(t), xp.asarray(y), xp.asarray(f), **kwargs)


@pytest.mark.parametrize(
    "weights", [[1.0, -1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]], ids=["negative", "zero-sum"]
)
def test_bad_weights_raise_like_scipy(xp, weights):
    t, y, f = np.arange(4.0), np.ones(4), np.ones(3)
    with pytest.raises(ValueError):
        scipy.signal.lombscargle(t, y, f, weights=np.asarray(weights))
    arrays = (xp.asarray(t), xp.asarray(y), xp.asarray(f))
    if xp.module in ("dask", "jax"):  # lazy: not checked, the result is NaN (the docstring says so)
        with forbid_dask_compute():
            function = compiled(lambda t, y, f, w: gsci.signal.lombscargle(t, y, f, weights=w), xp)
            result = function(*arrays, xp.asarray(np.asarray(weights)))
        assert np.isnan(to_numpy(result)).all()
        return
    with pytest.raises(ValueError, match="non-negative entries"):
        gsci.signal.lombscargle(*arrays, weights=xp.asarray(np.asarray(weights)))


@pytest.mark.parametrize("normalize", ["lomb", 2, None, 1.0])
def test_bad_normalize_raises_like_scipy(xp, normalize):
    t, y, f, _ = samples(10, 5)
    with pytest.raises(ValueError):
        scipy.signal.lombscargle(t, y, f, normalize=normalize)
    with pytest.raises(ValueError, match="Normalize must be"):
        gsci.signal.lombscargle(xp.asarray(t), xp.asarray(y), xp.asarray(f), normalize=normalize)


@pytest.mark.parametrize("n", [10, 100])  # SciPy's path and gsci's
def test_complex_input_loses_its_imaginary_part_like_scipy(n):
    t, y, f, _ = samples(n, n)
    with pytest.warns(np.exceptions.ComplexWarning):
        expected = scipy.signal.lombscargle(t, y + 1j, f)
    with pytest.warns(np.exceptions.ComplexWarning):
        actual = gsci.signal.lombscargle(t, y + 1j, f)
    np.testing.assert_allclose(actual, expected, rtol=1e-11)


def test_mixed_libraries_raise_typeerror():
    torch = pytest.importorskip("torch")
    t, y, f, w = samples(10, 5)
    with pytest.raises(TypeError, match="different libraries"):
        gsci.signal.lombscargle(torch.asarray(t), y, f)
    with pytest.raises(TypeError, match="different libraries"):
        gsci.signal.lombscargle(t, y, f, weights=torch.asarray(w))


@pytest.mark.parametrize("precenter", [True, False])
def test_precenter_is_deprecated_like_scipy(xp, precenter):
    t, y, f, w = samples()
    with pytest.deprecated_call(match="leave 'precenter' unspecified"):
        expected = scipy.signal.lombscargle(t, y, f, precenter=precenter, weights=w)
    with pytest.deprecated_call(match="leave 'precenter' unspecified") as record:
        actual = gsci.signal.lombscargle(
            xp.asarray(t), xp.asarray(y), xp.asarray(f), precenter=precenter, weights=xp.asarray(w)
        )
    assert record[0].filename == __file__  # points at the caller
    assert_matches(actual, expected, xp)


def test_positional_keywords_are_deprecated_like_scipy():
    t, y, f, _ = samples(40, 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = scipy.signal.lombscargle(t, y, f, False, True)
    with pytest.deprecated_call(match="use keyword arguments"):
        actual = gsci.signal.lombscargle(t, y, f, False, True)
    np.testing.assert_allclose(actual, expected, rtol=1e-11)
    with pytest.deprecated_call(match="use keyword arguments"):
        gsci.signal.lombscargle(t, y, f, False)
    with pytest.raises(TypeError, match="multiple values"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        gsci.signal.lombscargle(t, y, f, False, True, normalize=True)


def test_inputs_untouched():
    t, y, f, w = samples()
    t, y = t[::-1], np.array(y[::-1])
    y.flags.writeable = False
    before = [a.copy() for a in (t, y, f, w)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        actual = gsci.signal.lombscargle(t, y, f, precenter=True, weights=w, floating_mean=True)
        expected = scipy.signal.lombscargle(
            t.copy(), y.copy(), f, precenter=True, weights=w.copy(), floating_mean=True
        )
    np.testing.assert_allclose(actual, expected, rtol=1e-11)
    for a, b in zip((t, y, f, w), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_nan_propagates_like_scipy(xp):
    t, y, f, _ = samples(50, 20)
    y[3] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = scipy.signal.lombscargle(t, y, f)
    assert_matches(gsci.signal.lombscargle(xp.asarray(t), xp.asarray(y), xp.asarray(f)), expected, xp)


@pytest.mark.parametrize("kwargs", [CASES[3], CASES[9]], ids=case_id)
def test_dask_stays_lazy_one_task_per_frequency_chunk(kwargs):
    da = pytest.importorskip("dask.array")
    t, y, f, w = samples(150, 300)
    dask_library = Library.named("dask")
    with forbid_dask_compute():
        lazy = [da.from_array(a, chunks=uneven_chunks(a.shape)) for a in (t, y, f, w)]
        actual = gsci.signal.lombscargle(*lazy[:3], **_arguments(kwargs, lazy[3], None))
    assert actual.chunks == lazy[2].chunks  # frequency chunks as they came
    assert_matches(actual, scipy.signal.lombscargle(t, y, f, **_arguments(kwargs, w)), dask_library)


def test_torch_gradcheck():
    torch = pytest.importorskip("torch")
    t, y, f, w = samples(20, 8)
    arrays = [torch.asarray(a, requires_grad=True) for a in (t, y, f, w)]

    def periodogram(t, y, f, w):
        return gsci.signal.lombscargle(t, y, f, weights=w, floating_mean=True, normalize=True)

    assert torch.autograd.gradcheck(periodogram, arrays)
    assert torch.autograd.gradcheck(
        lambda y: torch.view_as_real(gsci.signal.lombscargle(arrays[0], y, arrays[2], normalize="amplitude")),
        (arrays[1],),
    )


def test_cpu_kernel_compiles_once():
    from gsci.kernels import lombscargle_cpu

    def compiled_count():
        kernels = (lombscargle_cpu._periodogram_parallel, lombscargle_cpu._periodogram_serial)
        return sum(len(kernel.signatures) for kernel in kernels)

    gsci.signal.lombscargle(*samples(40, 40)[:3])  # one thread
    gsci.signal.lombscargle(*samples(2000, 500)[:3])  # all cores
    before = compiled_count()
    assert before >= 2
    for n, nfreq in ((33, 1000), (3000, 77), (500, 500)):
        t, y, f, w = samples(n, nfreq)
        gsci.signal.lombscargle(t.astype(np.float32), y, f[::2], weights=w, floating_mean=True)
        gsci.signal.lombscargle(t, y.astype(np.int32), f, normalize="amplitude")
    assert compiled_count() == before


@settings(max_examples=20, deadline=None)
@given(
    n=st.integers(4, 80),  # 1 sample: SS is 0 at every frequency and 'amplitude' is rounding noise
    nfreq=st.integers(1, 80),
    floating_mean=st.booleans(),
    normalize=st.sampled_from([False, True, "amplitude"]),
    weighted=st.booleans(),
)
def test_property_matches_scipy(n, nfreq, floating_mean, normalize, weighted):
    t, y, f, w = samples(n, nfreq, seed=n * 100 + nfreq)
    kwargs = {"floating_mean": floating_mean, "normalize": normalize, "weights": w if weighted else None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = scipy.signal.lombscargle(t, y, f, **kwargs)
        actual = gsci.signal.lombscargle(t, y, f, **kwargs)
    np.testing.assert_allclose(actual, expected, rtol=1e-8, atol=1e-8 * np.nanmax(np.abs(expected)))
