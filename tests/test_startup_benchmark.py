"""benchmarks/startup_language.py runs and prints its table of start-up times and ratios."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, installed_csec


@pytest.mark.slow
def test_the_startup_benchmark_prints_every_command_with_its_ratios() -> None:
    """One round, with this csec standing in for the one before issue 18: a row per command."""
    csec = installed_csec()
    result = subprocess.run(
        [sys.executable, "startup_language.py", "--repeat", "1", "--csec", csec, "--before", csec],
        cwd=REPO / "benchmarks",
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CSEC_LANG": "en"},  # the script removes it: LANG must decide
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `csec")]
    assert [row.split("`")[1] for row in rows] == [
        "csec --version",
        'csec search "labour inspectors"',
        "csec list",
    ]
    # before en, before es, now en, now es, then the two ratios
    assert all(row.count(" s · ") == 4 and row.count("×") == 4 for row in rows), rows
