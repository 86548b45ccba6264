"""The README's promises: its commands, CI running them verbatim, ruff-clean code."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).parent.parent


def _readme_commands():
    return re.findall(r"```bash\n(python -m pip install -e .*?)\n```", (ROOT / "README.md").read_text())


def test_ci_runs_the_readme_test_command_verbatim():
    demo, tests = _readme_commands()[:2]
    assert "pytest" in tests and "gsci.demo" in demo
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()


def test_demo_runs_and_checks_gsci_against_scipy():
    done = subprocess.run([sys.executable, "-m", "gsci.demo"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "numpy" in done.stdout and "welch finds the 440 Hz tone at 440.0 Hz" in done.stdout


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_code_is_ruff_clean(command):
    done = subprocess.run(["ruff", *command, "."], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
