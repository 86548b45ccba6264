"""The notebooks run from top to bottom on the real data (on torch when installed: gsci, not just NumPy)."""

import importlib.util
import pathlib
import re

import pytest
from helpers import LIGO_DATA

nbformat = pytest.importorskip("nbformat", reason="reading notebooks needs nbformat (pip install nbclient)")
nbclient = pytest.importorskip("nbclient", reason="executing notebooks needs nbclient and ipykernel")

ROOT = pathlib.Path(__file__).parent.parent
LIGO_NOTEBOOK = ROOT / "notebooks" / "ligo_gw150914.ipynb"
LIBRARY_LINE = re.compile(r'^LIBRARY = "numpy"', re.MULTILINE)


def test_notebooks_are_stored_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        code = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
        assert all(not cell.outputs and cell.execution_count is None for cell in code), path.name


def test_ligo_notebook_runs_and_finds_the_published_snrs(monkeypatch):
    library = "torch" if importlib.util.find_spec("torch") else "numpy"
    data_dir = LIGO_DATA.resolve()
    if not (data_dir / "BBH_events_v3.json").is_file():
        pytest.skip(f"no LIGO data in {data_dir}")
    monkeypatch.setenv("GSCI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(LIGO_NOTEBOOK, as_version=4)
    selector = next(cell for cell in notebook.cells if LIBRARY_LINE.search(cell.source))
    selector.source = LIBRARY_LINE.sub(f'LIBRARY = "{library}"', selector.source)
    nbclient.NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert re.search(r"^H1 +18\.6 +1126259462\.4395 +814\.4 +1889\.6$", printed, re.MULTILINE), printed
    assert re.search(r"^L1 +13\.2 +1126259462\.4324 +999\.7 +1650\.6$", printed, re.MULTILINE), printed
    assert f"gsci on {library}" in printed
