"""gsci.datasets: the LIGO tutorial files (checked against h5py), lookup, download, synthetic data."""

import dataclasses
import hashlib
import http.server
import io
import json
import pathlib
import re
import shutil
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest
import scipy.signal
from helpers import LIGO_DATA, assert_matches, to_numpy

import gsci.demo.__main__ as demo
from gsci._lib._compat import device
from gsci.datasets import LigoEvent, _ligo, aligo_psd, ligo_event, synthetic_event

DATA = LIGO_DATA
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"the LIGO tutorial files are not in {DATA}")
H1_FILE, L1_FILE, TEMPLATE_FILE = (
    "H-H1_LOSC_4_V2-1126259446-32.hdf5",
    "L-L1_LOSC_4_V2-1126259446-32.hdf5",
    "GW150914_4_template.hdf5",
)
EVENTS_JSON = "BBH_events_v3.json"
GWOSC_FILES = (H1_FILE, L1_FILE, TEMPLATE_FILE, EVENTS_JSON)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No network (127.0.0.1 and the never-resolving ``.invalid`` names only), none of the user's settings
    and a cache of the test's own."""
    real_urlopen = urllib.request.urlopen

    def local_only(url, *args, **kwargs):
        host = urllib.parse.urlsplit(url).hostname
        assert host == "127.0.0.1" or host.endswith(".invalid"), f"a test tried to reach the network: {url}"
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", local_only)
    for variable in ("GSCI_DATA_DIR", "GSCI_GWOSC_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def h5py():
    return pytest.importorskip("h5py", reason="reading the LIGO files needs h5py")


def where(xp):
    """The device that ``xp``'s arrays are on in this test."""
    return device(xp.asarray(np.zeros(1)))


def read_directly(h5py, name, folder=DATA):
    with h5py.File(folder / name, "r") as f:
        if "template" in f:
            return f["template"][...]
        return f["strain/Strain"][...]


@needs_data
def test_gw150914_equals_the_files_read_with_h5py(h5py, xp):
    event = ligo_event("GW150914", data_dir=DATA, xp=xp.ns, device=where(xp))
    assert isinstance(event, LigoEvent) and event.name == "GW150914"
    assert_matches(event.strain["H1"], read_directly(h5py, H1_FILE), xp)
    assert_matches(event.strain["L1"], read_directly(h5py, L1_FILE), xp)
    h_plus, h_cross = read_directly(h5py, TEMPLATE_FILE)
    assert_matches(event.h_plus, h_plus, xp)
    assert_matches(event.h_cross, h_cross, xp)
    assert event.strain["H1"].shape == event.h_plus.shape == (131072,)
    assert event.fs == 4096.0
    assert event.gps_start == 1126259446.0
    assert event.tevent == event.metadata["tevent"] == 1126259462.44
    assert event.fband == (43.0, 300.0)
    assert_matches(event.times(), 1126259446.0 + np.arange(131072) / 4096.0, xp)


@needs_data
@pytest.mark.parametrize("name", ["GW150914", "LVT151012", "GW151226", "GW170104"])
def test_every_tutorial_event_loads_with_its_json_entry(h5py, name):
    entry = json.loads((DATA / "BBH_events_v3.json").read_text())[name]
    event = ligo_event(name, data_dir=DATA)
    gps_start = int(entry["fn_H1"].split("-")[2])
    assert event.gps_start == gps_start and event.fs == entry["fs"] == 4096
    assert gps_start < event.tevent < gps_start + 32
    assert dict(event.metadata) == {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
    np.testing.assert_array_equal(event.strain["L1"], read_directly(h5py, entry["fn_L1"]))
    np.testing.assert_array_equal(event.h_cross, read_directly(h5py, entry["fn_template"])[1])


def test_unknown_event_is_a_value_error():
    with pytest.raises(ValueError, match=r"GW170817.*GW150914"):
        ligo_event("GW170817")


def test_event_is_read_only():
    event = synthetic_event()
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.fs = 1.0
    with pytest.raises(TypeError):
        event.metadata["tevent"] = 0.0
    with pytest.raises(TypeError):
        event.strain["H1"] = event.strain["L1"]


def write_fake_files(h5py, folder, value, *, by_event=False):
    """Small files in the layout of GW150914's, strain all ``value``; in GWOSC's folders if ``by_event``."""
    files = folder / "GW150914" if by_event else folder
    files.mkdir(parents=True, exist_ok=True)
    for name in (H1_FILE, L1_FILE):
        with h5py.File(files / name, "w") as f:
            f.create_dataset("strain/Strain", data=np.full(16, value)).attrs["Xspacing"] = 1 / 4096
            f["meta/GPSstart"] = 1126259446
    with h5py.File(files / TEMPLATE_FILE, "w") as f:
        f["template"] = np.full((2, 16), value, dtype=np.float32)
    entry = {"GW150914": {"tevent": 1126259462.44, "fband": [43.0, 300.0]}}
    (folder / "BBH_events_v3.json").write_text(json.dumps(entry))
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.rglob("*.*")}


def test_data_dir_beats_gsci_data_dir_beats_the_cache(h5py, tmp_path, monkeypatch):
    for value, folder in enumerate(["data_dir", "env", "xdg-cache/gsci"], start=1):
        write_fake_files(h5py, tmp_path / folder, float(value))
    monkeypatch.setenv("GSCI_DATA_DIR", str(tmp_path / "env"))
    assert ligo_event(data_dir=tmp_path / "data_dir", download=False).strain["H1"][0] == 1.0
    assert ligo_event(download=False).strain["L1"][0] == 2.0
    monkeypatch.delenv("GSCI_DATA_DIR")
    event = ligo_event(download=False)
    assert event.h_plus[0] == 3.0 and event.tevent == 1126259462.44


def test_a_file_missing_from_the_first_folder_is_taken_from_the_next(h5py, tmp_path, monkeypatch):
    write_fake_files(h5py, tmp_path / "env", 2.0)
    write_fake_files(h5py, tmp_path / "data_dir", 1.0)
    (tmp_path / "data_dir" / L1_FILE).unlink()
    monkeypatch.setenv("GSCI_DATA_DIR", str(tmp_path / "env"))
    event = ligo_event(data_dir=tmp_path / "data_dir", download=False)
    assert (event.strain["H1"][0], event.strain["L1"][0]) == (1.0, 2.0)


def test_detectors_that_disagree_on_the_start_time_are_a_value_error(h5py, tmp_path):
    write_fake_files(h5py, tmp_path, 1.0)
    with h5py.File(tmp_path / L1_FILE, "r+") as f:
        f["meta/GPSstart"][()] = 1126259447
    with pytest.raises(ValueError, match=f"{H1_FILE} and .*{L1_FILE} disagree: GPS start"):
        ligo_event(data_dir=tmp_path, download=False)


def test_offline_without_the_files_says_where_it_looked_and_how_to_get_them(h5py, tmp_path, monkeypatch):
    monkeypatch.setenv("GSCI_DATA_DIR", str(tmp_path / "env"))
    with pytest.raises(FileNotFoundError) as error:
        ligo_event("GW150914", data_dir=tmp_path / "mine", download=False)
    message = str(error.value)
    for expected in (
        H1_FILE,
        f"data_dir='{tmp_path / 'mine'}'",
        f"GSCI_DATA_DIR='{tmp_path / 'env'}'",
        str(tmp_path / "xdg-cache" / "gsci"),
        f"https://gwosc.org/s/events/GW150914/{H1_FILE}",
        "set the environment variable GSCI_DATA_DIR",
    ):
        assert expected in message


class GwoscServer(http.server.ThreadingHTTPServer):
    """A stand-in for GWOSC on 127.0.0.1 serving ``folder``; a file named in ``cut_short`` stops halfway."""

    def __init__(self, folder):
        self.folder, self.cut_short = folder, set()
        super().__init__(("127.0.0.1", 0), GwoscHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/"


class GwoscHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, request, client_address, server):
        super().__init__(request, client_address, server, directory=server.folder)

    def do_GET(self):
        path = pathlib.Path(self.translate_path(self.path))
        if path.name not in self.server.cut_short:
            return super().do_GET()
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True

    def log_message(self, format, *args):  # keeps the test output clean
        pass


@pytest.fixture
def gwosc(h5py, tmp_path, monkeypatch):
    """A local GWOSC named by GSCI_GWOSC_URL, with GW150914's files: copies of the real ones where the
    shared data are, else fake ones whose checksums are patched in."""
    folder = tmp_path / "gwosc"
    if DATA.is_dir():
        (folder / "GW150914").mkdir(parents=True)
        for name in (H1_FILE, L1_FILE, TEMPLATE_FILE):
            shutil.copy(DATA / name, folder / "GW150914" / name)
        shutil.copy(DATA / EVENTS_JSON, folder / EVENTS_JSON)
    else:
        for name, digest in write_fake_files(h5py, folder, 7.0, by_event=True).items():
            monkeypatch.setitem(_ligo._SHA256, name, digest)
    server = GwoscServer(folder)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    monkeypatch.setenv("GSCI_GWOSC_URL", server.url)
    yield server
    server.shutdown()
    server.server_close()


def cached(tmp_path):
    """Names of the files in the test's cache."""
    return sorted(path.name for path in (tmp_path / "xdg-cache" / "gsci").glob("*"))


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unused_url():
    """An http URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("terminal", [False, True], ids=["stderr-a-log", "stderr-a-terminal"])
def test_download_fills_the_cache_with_checked_files_and_draws_progress(
    h5py, gwosc, tmp_path, monkeypatch, terminal
):
    stderr = Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    event = ligo_event("GW150914")
    served = gwosc.folder / "GW150914"
    np.testing.assert_array_equal(event.strain["H1"], read_directly(h5py, H1_FILE, served))
    np.testing.assert_array_equal(event.strain["L1"], read_directly(h5py, L1_FILE, served))
    np.testing.assert_array_equal(event.h_cross, read_directly(h5py, TEMPLATE_FILE, served)[1])
    assert event.tevent == 1126259462.44
    cache = tmp_path / "xdg-cache" / "gsci"
    assert cached(tmp_path) == sorted(GWOSC_FILES)
    assert {name: sha256(cache / name) for name in GWOSC_FILES} == {n: _ligo._SHA256[n] for n in GWOSC_FILES}
    log = stderr.getvalue()
    for url in (f"{gwosc.url}GW150914/{H1_FILE}", f"{gwosc.url}{EVENTS_JSON}"):
        assert f"Downloading {url} into {cache}\n" in log
    assert (
        len(re.findall(rf"  \[{'#' * 30}\] 100%  [0-9.]+ of [0-9.]+ [kM]B\n", log)) == 4
    )  # a last line each
    assert log.count("\r") > 4 if terminal else "\r" not in log  # redrawn as it grows
    monkeypatch.setenv("GSCI_GWOSC_URL", unused_url())
    assert ligo_event("GW150914").h_plus.shape == event.h_plus.shape
    assert stderr.getvalue() == log


def test_a_checksum_mismatch_leaves_no_file_in_the_cache_and_names_both_digests(gwosc, tmp_path, monkeypatch):
    actual = sha256(gwosc.folder / "GW150914" / L1_FILE)
    monkeypatch.setitem(_ligo._SHA256, L1_FILE, "0" * 64)
    url = f"{gwosc.url}GW150914/{L1_FILE}"
    with pytest.raises(OSError, match=re.escape(f"from {url}: expected sha256 {'0' * 64}, got {actual}")):
        ligo_event("GW150914")
    assert cached(tmp_path) == [H1_FILE]


def test_a_download_cut_short_leaves_no_file_in_the_cache_and_says_so(gwosc, tmp_path):
    gwosc.cut_short.add(TEMPLATE_FILE)
    size = (gwosc.folder / "GW150914" / TEMPLATE_FILE).stat().st_size
    url = f"{gwosc.url}GW150914/{TEMPLATE_FILE}"
    failure = (
        f"downloading {url} failed (ConnectionError: the connection closed after {size // 2} of {size} bytes)"
    )
    with pytest.raises(FileNotFoundError, match=re.escape(failure)):
        ligo_event("GW150914")
    assert cached(tmp_path) == sorted([H1_FILE, L1_FILE])


def test_a_file_the_server_lacks_is_a_file_not_found_error_with_the_http_status(gwosc, tmp_path):
    (gwosc.folder / EVENTS_JSON).unlink()
    failure = f"downloading {gwosc.url}{EVENTS_JSON} failed (HTTPError: HTTP Error 404: File not found)"
    with pytest.raises(FileNotFoundError, match=re.escape(failure)):
        ligo_event("GW150914")
    assert cached(tmp_path) == sorted([H1_FILE, L1_FILE, TEMPLATE_FILE])


def test_a_refused_connection_is_a_file_not_found_error_naming_the_url(h5py, tmp_path, monkeypatch):
    url = unused_url()
    monkeypatch.setenv("GSCI_GWOSC_URL", url.rstrip("/"))  # the trailing slash is optional
    failure = f"downloading {url}GW150914/{H1_FILE} failed (ConnectionRefusedError: "
    with pytest.raises(FileNotFoundError, match=re.escape(failure)):
        ligo_event("GW150914")
    assert cached(tmp_path) == []


def test_a_server_that_never_answers_times_out(h5py, tmp_path, monkeypatch):
    monkeypatch.setattr(_ligo, "TIMEOUT", 0.5)
    start = time.perf_counter()
    with socket.create_server(("127.0.0.1", 0)) as silent:  # connections wait in its backlog, unanswered
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        monkeypatch.setenv("GSCI_GWOSC_URL", url)
        with pytest.raises(
            FileNotFoundError, match=re.escape(f"downloading {url}GW150914/{H1_FILE} failed (TimeoutError: ")
        ):
            ligo_event("GW150914")
    assert time.perf_counter() - start < 5
    assert cached(tmp_path) == []


def test_a_name_lookup_that_hangs_times_out(h5py, tmp_path, monkeypatch):
    monkeypatch.setattr(_ligo, "TIMEOUT", 0.5)
    released = threading.Event()

    def hanging_lookup(*args, **kwargs):
        released.wait()
        raise socket.gaierror("released by the test")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
    monkeypatch.setenv("GSCI_GWOSC_URL", "https://gwosc.invalid/s/events/")
    failure = "failed (TimeoutError: no answer from gwosc.invalid within 0.5 s)"
    try:
        with pytest.raises(FileNotFoundError, match=re.escape(failure)):
            ligo_event("GW150914")
    finally:
        released.set()
    assert cached(tmp_path) == []


def test_files_in_a_searched_folder_are_not_downloaded(h5py, tmp_path, monkeypatch, capsys):
    write_fake_files(h5py, tmp_path / "mine", 1.0)
    monkeypatch.setenv("GSCI_GWOSC_URL", unused_url())
    assert ligo_event(data_dir=tmp_path / "mine").strain["H1"][0] == 1.0
    assert capsys.readouterr().err == ""


def test_demo_downloads_gw150914_when_no_folder_has_it(gwosc, tmp_path, capsys):
    event, description = demo._event(str(tmp_path / "empty"), offline=False)
    assert event.name == "GW150914" and description.startswith("LIGO open data of GW150914")
    assert cached(tmp_path) == sorted(GWOSC_FILES)
    assert "synthetic" not in capsys.readouterr().out


def test_demo_falls_back_to_the_synthetic_event_saying_why_when_gwosc_is_unreachable(
    h5py, tmp_path, monkeypatch, capsys
):
    url = unused_url()
    monkeypatch.setenv("GSCI_GWOSC_URL", url)
    event, description = demo._event(str(tmp_path / "empty"), offline=False)
    assert event.name == "synthetic" and description.startswith("synthetic event")
    out = capsys.readouterr().out
    assert f"No GW150914 data: GW150914 needs {H1_FILE}" in out
    assert f"downloading {url}GW150914/{H1_FILE} failed (ConnectionRefusedError: " in out
    assert "Using the synthetic event instead" in out


def test_demo_offline_never_downloads(h5py, tmp_path, monkeypatch, capsys):
    def no_download(url, *args, **kwargs):
        raise AssertionError(f"--offline downloaded {url}")

    monkeypatch.setattr(urllib.request, "urlopen", no_download)
    options = demo._arguments(["--offline", "--data-dir", str(tmp_path / "empty")])
    event, _ = demo._event(options.data_dir, options.offline)
    assert event.name == "synthetic"
    printed = capsys.readouterr()
    assert f"No GW150914 data and --offline forbids downloading them: GW150914 needs {H1_FILE}" in printed.out
    assert "Using the synthetic event instead" in printed.out
    assert printed.err == "" and cached(tmp_path) == []


@needs_data
def test_the_known_checksums_are_those_of_the_tutorial_files():
    for name in _ligo._SHA256:
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == _ligo._SHA256[name], name


def test_synthetic_event_is_deterministic_and_lands_in_any_library(xp):
    reference = synthetic_event(seed=3)
    event = synthetic_event(seed=3, xp=xp.ns, device=where(xp))
    for detector in ("H1", "L1"):
        assert_matches(event.strain[detector], reference.strain[detector], xp, rtol=0, atol=0)
    assert_matches(event.h_plus, reference.h_plus, xp, rtol=0, atol=0)
    assert_matches(event.times(), np.arange(131072) / 4096.0, xp)
    assert reference.h_cross.dtype == np.float32 and reference.strain["H1"].dtype == np.float64
    assert not np.array_equal(synthetic_event(seed=4).strain["H1"], reference.strain["H1"])
    assert not np.array_equal(reference.strain["H1"], reference.strain["L1"])


def design_fit(f):
    x = f / 215.0
    return 1e-49 * (x**-4.14 - 5 / x**2 + 111 * (1 - x**2 + x**4 / 2) / (1 + x**2 / 2))


def test_aligo_psd_is_the_design_fit_held_flat_below_10_hz(xp):
    psd = aligo_psd(xp.asarray(np.array([0.0, 5.0, 10.0, 215.0, 1000.0])))
    expected = np.array([design_fit(10.0)] * 3 + [33e-49, design_fit(1000.0)])
    assert_matches(psd, expected, xp)


def test_synthetic_noise_follows_the_design_psd():
    event = synthetic_event(seed=0, snr=0.0001)
    f, welch = scipy.signal.welch(event.strain["H1"], fs=event.fs, nperseg=1024)
    band = (f >= 20) & (f <= 1500)
    ratio = welch[band] / aligo_psd(f[band])
    assert 0.95 < np.median(ratio) < 1.05
    assert ratio.min() > 0.7 and ratio.max() < 1.4


def matched_filter_snr(event, detector):
    """The tutorial's complex matched filter against the model PSD: |SNR| at each sample time."""
    data = to_numpy(event.strain[detector])
    template = to_numpy(event.h_plus) + 1j * to_numpy(event.h_cross)
    n, fs = data.shape[0], event.fs
    psd = aligo_psd(np.abs(np.fft.fftfreq(n, 1 / fs)))
    data_fft, template_fft = np.fft.fft(data) / fs, np.fft.fft(template) / fs
    optimal = 2 * np.fft.ifft(data_fft * template_fft.conj() / psd) * fs
    sigma = np.sqrt(np.sum(np.abs(template_fft) ** 2 / psd) * fs / n)
    return np.roll(np.abs(optimal) / sigma, n // 2)


def test_the_synthetic_chirp_is_found_at_its_injection_time_with_its_snr():
    event = synthetic_event(seed=1, snr=20.0)
    for detector in ("H1", "L1"):
        snr = matched_filter_snr(event, detector)
        peak = np.argmax(snr)
        assert abs(peak / event.fs - event.tevent) < 0.002
        assert 16 < snr[peak] < 24
