"""The GWOSC files of the LIGO binary-black-hole tutorial: where they are, how to fetch and read them.

Each event of the tutorial's ``BBH_events_v3.json`` has three files: 32 s of H1 and L1 strain at
4096 Hz and the tutorial's matched-filter template. A file is looked up in ``data_dir``, then
``$GSCI_DATA_DIR``, then the user cache (``$XDG_CACHE_HOME/gsci`` or ``~/.cache/gsci``); a file in
none of them is downloaded from GWOSC (or the mirror named by ``$GSCI_GWOSC_URL``) into the cache and
checked against its known sha256 first, with a progress bar on stderr.

The data are LIGO open data from the Gravitational Wave Open Science Center (https://gwosc.org),
released under CC BY 4.0 by the LIGO Scientific Collaboration and the Virgo Collaboration.
"""

import dataclasses
import hashlib
import http.client
import json
import os
import queue
import sys
import tempfile
import threading
import types
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gsci._lib._arrays import requested_namespace
from gsci._lib._compat import array_namespace
from gsci._lib._compat import device as device_of

__all__ = ["LigoEvent", "ligo_event"]

# The LOSC tutorial files under GWOSC's static event folders (formerly https://losc.ligo.org/s/events/
# and https://www.gw-openscience.org/s/events/): <GWOSC_URL><event>/<file>, and the JSON at the top.
GWOSC_URL = "https://gwosc.org/s/events/"
GWOSC_URL_VARIABLE = "GSCI_GWOSC_URL"  # a mirror of that layout, used instead when set
EVENTS_JSON = "BBH_events_v3.json"
TIMEOUT = 10.0  # seconds without an answer (name lookup, connection, next block) before a download fails
BLOCK = 1 << 16  # bytes read between progress updates

_FILES = {  # event -> (H1 strain, L1 strain, template)
    "GW150914": (
        "H-H1_LOSC_4_V2-1126259446-32.hdf5",
        "L-L1_LOSC_4_V2-1126259446-32.hdf5",
        "GW150914_4_template.hdf5",
    ),
    "LVT151012": (
        "H-H1_LOSC_4_V2-1128678884-32.hdf5",
        "L-L1_LOSC_4_V2-1128678884-32.hdf5",
        "LVT151012_4_template.hdf5",
    ),
    "GW151226": (
        "H-H1_LOSC_4_V2-1135136334-32.hdf5",
        "L-L1_LOSC_4_V2-1135136334-32.hdf5",
        "GW151226_4_template.hdf5",
    ),
    "GW170104": (
        "H-H1_LOSC_4_V1-1167559920-32.hdf5",
        "L-L1_LOSC_4_V1-1167559920-32.hdf5",
        "GW170104_4_template.hdf5",
    ),
}

_SHA256 = {
    EVENTS_JSON: "cf54dc8aff45e40fceaffe8bb4eaf90840650a27ef7d75733ea1f4ee513870d1",
    "H-H1_LOSC_4_V2-1126259446-32.hdf5": "fa170ebc577652bfeb5c4b9d2a2d713eef8a4b2996b198b749692446fa7a163c",
    "L-L1_LOSC_4_V2-1126259446-32.hdf5": "3fccf5c091b3542ff348e36da217afa3220ced2137a53a2838f5a3d41d622e72",
    "GW150914_4_template.hdf5": "e2c5d95b689e072b7bcd9650b7caf07669bf9ec7d54f93cf5c382b8f847517e3",
    "H-H1_LOSC_4_V2-1128678884-32.hdf5": "b93d6352ec7372eea8bce801398d72c7b6d71a6dd3dc1aba1d5e41dab671fdd7",
    "L-L1_LOSC_4_V2-1128678884-32.hdf5": "bcb93eb4c4e4313621f89427e02a4de12e3fa776d22b69b8c6bfedeba2aa742e",
    "LVT151012_4_template.hdf5": "ba714abb889eccc1deca1b54236ca212e97dda33a2ca689b9f2c760c0891b37f",
    "H-H1_LOSC_4_V2-1135136334-32.hdf5": "e0bffde7299ca064521cc9bd155a6f11565a7937e9308b743da1d62b4d8b345e",
    "L-L1_LOSC_4_V2-1135136334-32.hdf5": "108239444b4f603bd20fa6c46424f5ceb317d1e45762441ba915b139d7008d60",
    "GW151226_4_template.hdf5": "6b804ea7679f8d943bcd147a21a3f0e5cc7a4ceaf9b37c7d36dae72b2dab81a7",
    "H-H1_LOSC_4_V1-1167559920-32.hdf5": "b5feaf4bfe8efd3452e299866d53aa58225da0580e2b7ef282a7de1e33854255",
    "L-L1_LOSC_4_V1-1167559920-32.hdf5": "d95a2a3015992ebd0a910d8506c77c54ef4faae480690e46b70f497d17a38aef",
    "GW170104_4_template.hdf5": "bbbd516f9dce4e78f377f77d596c6f8efa6a754e20e53dbed9cc4b9b809824a4",
}


@dataclasses.dataclass(frozen=True, eq=False)
class LigoEvent:
    """One event: strain of each detector, the tutorial's template and the event's metadata.

    Attributes
    ----------
    name : str
        The event's name, e.g. ``"GW150914"``.
    strain : Mapping[str, array]
        Detector name (``"H1"``, ``"L1"``) -> float64 strain, one sample every ``1 / fs`` seconds.
    gps_start : float
        GPS time of the first strain sample, in seconds.
    fs : float
        Sampling frequency in Hz.
    h_plus, h_cross : array
        The matched-filter template's two polarizations (float32, as GWOSC stores them), as long as
        the strain; the tutorial slides it with an offset of half its length.
    metadata : Mapping[str, Any]
        The event's entry of ``BBH_events_v3.json`` (``tevent``, ``fband``, ``m1``, ``m2``, ...), read
        only; its lists are tuples.
    """

    name: str
    strain: Mapping[str, Any]
    gps_start: float
    fs: float
    h_plus: Any
    h_cross: Any
    metadata: Mapping[str, Any]

    @property
    def tevent(self):
        """GPS time of the event, in seconds."""
        return self.metadata["tevent"]

    @property
    def fband(self):
        """The tutorial's band-pass ``(low, high)`` for this event, in Hz."""
        return self.metadata["fband"]

    def times(self):
        """GPS time of each strain sample, a float64 array of the strain's library on its device."""
        first = next(iter(self.strain.values()))
        xp = array_namespace(first)
        samples = xp.arange(first.shape[0], dtype=xp.float64, device=device_of(first))
        return self.gps_start + samples / self.fs


def ligo_event(name="GW150914", *, data_dir=None, xp=None, device=None, download=True):
    """Load a LIGO event of the GWOSC binary-black-hole tutorial into any array library.

    Parameters
    ----------
    name : {"GW150914", "LVT151012", "GW151226", "GW170104"}
        The event.
    data_dir : str or os.PathLike, optional
        A folder holding the event's files; searched first.
    xp : array namespace, optional
        The library of the returned arrays (``numpy``, ``torch``, ``jax.numpy``, ``cupy``,
        ``dask.array``, ``array_api_strict`` or an array-api-compat namespace); default NumPy.
        JAX keeps float64 only with ``jax_enable_x64`` on.
    device : device, optional
        The device of the returned arrays; default the library's default device.
    download : bool, optional
        Download files found nowhere from GWOSC into the cache (default), with a progress bar on
        stderr. With ``False`` a missing file raises ``FileNotFoundError`` and nothing is fetched.

    Returns
    -------
    LigoEvent
        H1 and L1 strain (131072 float64 samples, 32 s at 4096 Hz), GPS start, ``fs``, the template's
        ``h_plus`` and ``h_cross`` and the event's metadata.

    Raises
    ------
    ValueError
        ``name`` is not an event of the tutorial.
    FileNotFoundError
        A file is in no searched folder and was not (or could not be) downloaded: offline, the server
        unreachable or silent for 10 s, an HTTP error, or a body cut short. The message says where
        gsci looked, the URL, what went wrong and how to provide the file by hand.
    OSError
        A downloaded file's sha256 differs from the known one (the message names both).
    ImportError
        h5py, which reads the HDF5 files, is not installed (``pip install h5py``).

    Notes
    -----
    Files are looked up in ``data_dir``, then the folder named by the environment variable
    ``GSCI_DATA_DIR``, then the cache ``$XDG_CACHE_HOME/gsci`` (default ``~/.cache/gsci``); the first
    folder holding a file wins. A missing file is downloaded from ``<url><event>/<file>`` (the events
    JSON from ``<url>BBH_events_v3.json``), where ``<url>`` is the environment variable
    ``GSCI_GWOSC_URL`` if set (a mirror, or a local server), else ``https://gwosc.org/s/events/``. It is
    written beside the cache's files under a temporary name, checked against its known sha256 and
    only then renamed into the cache: a failed, cut-short or mismatching download leaves nothing
    there. A download gives up after 10 s without an answer (name lookup included) or without data.
    The data are LIGO open data from GWOSC (https://gwosc.org), CC BY 4.0.
    Without data or network, `synthetic_event` gives data of the same form.

    Examples
    --------
    The first call downloads about 3 MB from GWOSC into the cache:

    >>> import gsci.datasets
    >>> event = gsci.datasets.ligo_event("GW150914")  # doctest: +SKIP
    >>> event.strain["H1"].shape, event.fs, event.gps_start, event.fband  # doctest: +SKIP
    ((131072,), 4096.0, 1126259446.0, (43.0, 300.0))

    `synthetic_event` returns the same form with no file or network:

    >>> event = gsci.datasets.synthetic_event()
    >>> event.strain["H1"].shape, event.fs, event.h_plus.dtype
    ((131072,), 4096.0, dtype('float32'))
    """
    if name not in _FILES:
        raise ValueError(f"unknown LIGO event {name=}; choose one of {sorted(_FILES)}")
    try:
        import h5py  # only needed here: keeps `import gsci.datasets` light
    except ImportError as e:
        raise ImportError("gsci.datasets.ligo_event reads HDF5 files with h5py: pip install h5py") from e
    h1_file, l1_file, template_file = (_locate(file, name, data_dir, download) for file in _FILES[name])
    metadata = _read_metadata(_locate(EVENTS_JSON, name, data_dir, download), name)
    xp = requested_namespace(xp)
    h1, h1_start, h1_fs = _read_strain(h5py, h1_file)
    l1, l1_start, l1_fs = _read_strain(h5py, l1_file)
    if (h1_start, h1_fs) != (l1_start, l1_fs):
        raise ValueError(
            f"{h1_file} and {l1_file} disagree: GPS start {h1_start} vs {l1_start}, fs {h1_fs} vs {l1_fs}"
        )
    with h5py.File(template_file, "r") as f:
        h_plus, h_cross = f["template"][...]
    return LigoEvent(
        name=name,
        strain=types.MappingProxyType({"H1": to_library(h1, xp, device), "L1": to_library(l1, xp, device)}),
        gps_start=h1_start,
        fs=h1_fs,
        h_plus=to_library(h_plus, xp, device),
        h_cross=to_library(h_cross, xp, device),
        metadata=metadata,
    )


def to_library(a, xp, device):
    """NumPy array ``a`` as an array of namespace ``xp`` on ``device``."""
    return xp.asarray(a, device=device)


def read_only_metadata(entry):
    """A JSON object as a read-only mapping whose lists are tuples."""
    return types.MappingProxyType({k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()})


def _read_metadata(path, name):
    with open(path, encoding="utf-8") as f:
        return read_only_metadata(json.load(f)[name])


def _read_strain(h5py, path):
    """(samples, GPS start, fs) of a GWOSC strain file."""
    with h5py.File(path, "r") as f:
        strain = f["strain/Strain"]
        return strain[...], float(f["meta/GPSstart"][()]), 1.0 / float(strain.attrs["Xspacing"])


def cache_dir():
    """gsci's download cache: ``$XDG_CACHE_HOME/gsci``, by default ``~/.cache/gsci``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gsci"


def gwosc_url():
    """The folder URL the tutorial files are downloaded from: ``$GSCI_GWOSC_URL`` if set, else GWOSC's."""
    return (os.environ.get(GWOSC_URL_VARIABLE) or GWOSC_URL).rstrip("/") + "/"


def _url(file, event):
    return gwosc_url() + (file if file == EVENTS_JSON else f"{event}/{file}")


def _folders(data_dir):
    """(description, folder) in lookup order."""
    folders = [] if data_dir is None else [(f"data_dir={os.fspath(data_dir)!r}", Path(data_dir))]
    if os.environ.get("GSCI_DATA_DIR"):
        folders.append((f"GSCI_DATA_DIR={os.environ['GSCI_DATA_DIR']!r}", Path(os.environ["GSCI_DATA_DIR"])))
    return [*folders, (f"the cache {os.fspath(cache_dir())!r}", cache_dir())]


def _locate(file, event, data_dir, download):
    """The path of ``file`` in the first folder holding it, downloading it into the cache if none does."""
    folders = _folders(data_dir)
    for _, folder in folders:
        if (folder / file).is_file():
            return folder / file
    url = _url(file, event)
    missing = f"{event} needs {file}, which is in none of: {', '.join(text for text, _ in folders)}"
    advice = "into a folder and set the environment variable GSCI_DATA_DIR to that folder (or pass data_dir=)"
    if not download:
        raise FileNotFoundError(f"{missing}; download {url} {advice}")
    try:
        return _download(file, url, cache_dir())
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as e:
        # offline, unreachable, refused, not there or cut short
        raise FileNotFoundError(
            f"{missing}, and downloading {url} failed ({_reason(e)}); download it by hand {advice}"
        ) from e


def _reason(error):
    """What went wrong, as ``"ConnectionRefusedError: [Errno 111] Connection refused"``."""
    if type(error) is urllib.error.URLError and isinstance(error.reason, BaseException):
        error = error.reason
    return f"{type(error).__name__}: {error}"


def _download(file, url, folder):
    """Fetch ``url`` into ``folder / file`` after checking its sha256; a bad or broken download is deleted."""
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Downloading {url} into {folder}", file=sys.stderr, flush=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f"{file}.", suffix=".part", delete=False) as part:
        try:
            with _open(url) as response:
                _copy(response, part, digest)
        except BaseException:
            part.close()
            os.unlink(part.name)
            raise
    if digest.hexdigest() != _SHA256[file]:
        os.unlink(part.name)
        raise OSError(
            f"checksum mismatch for {file} downloaded from {url}: expected sha256 {_SHA256[file]}, "
            f"got {digest.hexdigest()}; the download was deleted"
        )
    os.replace(part.name, folder / file)
    return folder / file


def _open(url):
    """``urlopen(url)``, given up after `TIMEOUT` s even while the name lookup hangs, which has no timeout."""
    answer = queue.SimpleQueue()

    def request():
        try:
            answer.put(urllib.request.urlopen(url, timeout=TIMEOUT))
        except BaseException as e:  # raised in the caller's thread
            answer.put(e)

    threading.Thread(target=request, name=f"gsci: open {url}", daemon=True).start()
    try:
        response = answer.get(timeout=TIMEOUT)
    except queue.Empty:
        host = urllib.parse.urlsplit(url).netloc
        raise TimeoutError(f"no answer from {host} within {TIMEOUT:g} s") from None
    if isinstance(response, BaseException):
        raise response
    return response


def _copy(response, part, digest):
    """Write the body of ``response`` to ``part`` and into ``digest``, drawing a progress bar on stderr.

    A body shorter than its Content-Length raises ``ConnectionError`` (``read`` just stops there).
    """
    size = _content_length(response)
    start_of_line = "\r" if sys.stderr.isatty() else ""  # redraw on a terminal; one final line in a log
    received = 0
    try:
        for block in iter(lambda: response.read(BLOCK), b""):
            digest.update(block)
            part.write(block)
            received += len(block)
            if start_of_line:
                print(f"\r  {_progress_bar(received, size)}", end="", file=sys.stderr, flush=True)
    finally:
        print(f"{start_of_line}  {_progress_bar(received, size)}", file=sys.stderr, flush=True)
    if size is not None and received < size:
        raise ConnectionError(f"the connection closed after {received} of {size} bytes")


def _content_length(response):
    """The body's announced size in bytes, or None."""
    length = response.headers.get("Content-Length", "")
    return int(length) if length.isdigit() else None


def _progress_bar(received, size, width=30):
    """``[#######-----------------------]  25%  0.3 of 1.0 MB``, or ``0.3 MB`` when the size is unknown."""
    scale, unit = (1e6, "MB") if max(received, size or 0) >= 1e6 else (1e3, "kB")
    if not size:
        return f"{received / scale:.1f} {unit}"
    fraction = min(received / size, 1.0)
    bar = "#" * round(width * fraction)
    return f"[{bar:-<{width}}] {fraction:4.0%}  {received / scale:.1f} of {size / scale:.1f} {unit}"
