"""The README's promises: its commands, CI running them verbatim, ruff-clean code."""

import pathlib
import re
import subprocess
import sys

import pytest
from helpers import LIGO_DATA

ROOT = pathlib.Path(__file__).parent.parent


def _readme_commands():
    return re.findall(r"```bash\n(python -m pip install -e .*?)\n```", (ROOT / "README.md").read_text())


def test_ci_runs_the_readme_test_command_verbatim():
    demo, tests = _readme_commands()[:2]
    assert "pytest" in tests and "gsci.demo" in demo
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()


def test_demo_runs_and_checks_gsci_against_scipy(tmp_path):
    """On the LIGO data, the published SNRs; without them, the synthetic event, said so, still checked."""
    command = [sys.executable, "-m", "gsci.demo", "--output", str(tmp_path)]
    command += ["--data-dir", str(LIGO_DATA)] if LIGO_DATA.is_dir() else []
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = re.findall(r"^(.+?) +(H1|L1) +(\d+\.\d+) ", done.stdout, re.MULTILINE)
    snrs = {(library, detector): snr for library, detector, snr in rows}
    assert snrs[("numpy + scipy.signal", "H1")] == snrs[("numpy + gsci", "H1")]
    if "analysis of LIGO open data of GW150914" in done.stdout:
        assert {round(float(snr), 1) for (_, detector), snr in snrs.items() if detector == "H1"} == {18.6}
        assert {round(float(snr), 1) for (_, detector), snr in snrs.items() if detector == "L1"} == {13.2}
    else:
        assert "Using the synthetic event instead" in done.stdout
    assert "Every library agrees with NumPy + scipy.signal" in done.stdout
    assert len(list(tmp_path.glob("*.png"))) == 5


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_code_is_ruff_clean(command):
    done = subprocess.run(["ruff", *command, "."], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
