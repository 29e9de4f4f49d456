"""docs/reference.md is csec's own `--help`, regenerated: this fails when it has gone stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_command_reference_matches_the_help_csec_prints() -> None:
    """docs/make_reference.py --check finds docs/reference.md equal to what it would write now."""
    result = subprocess.run(
        [sys.executable, str(REPO / "docs" / "make_reference.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{result.stderr.strip()}\n(regenerate with: .venv/bin/python docs/make_reference.py)"
    )
