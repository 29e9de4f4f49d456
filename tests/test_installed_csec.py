"""Real subprocess runs of the installed `csec`, as a user runs it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_version_and_info(csec_process: Run) -> None:
    """`csec --version` prints the version; `csec info` names the default catalogue."""
    version = csec_process("--version")
    assert version.returncode == 0 and version.stdout.startswith("csec ")
    info = csec_process("info")
    assert info.returncode == 0
    assert "resources  10" in info.stdout
    assert "shipped seed" in info.stderr


def test_default_catalogue_works_from_any_directory(csec_executable: str, tmp_path: Path) -> None:
    """Right after install, `csec list` in an unrelated folder shows the ten seed resources."""
    result = subprocess.run(
        [csec_executable, "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 10


def test_environment_variable_chooses_the_catalogue(csec_process: Run, catalogue: Path) -> None:
    """CSEC_CATALOGUE is used when --catalogue is not given."""
    result = csec_process("info", "--json", env={"CSEC_CATALOGUE": str(catalogue)})
    assert json.loads(result.stdout)["catalogue"] == str(catalogue)


def test_piped_output_has_no_ansi_codes_even_without_no_color(
    csec_process: Run, catalogue: Path
) -> None:
    """Output to a pipe is plain text: no colour codes, whatever the environment."""
    result = csec_process(
        "--catalogue", str(catalogue), "list", env={"NO_COLOR": "", "TERM": "xterm-256color"}
    )
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr


def test_errors_are_one_line_without_traceback(csec_process: Run, tmp_path: Path) -> None:
    """A bad file is one `Error:` line on stderr and exit 1, in a real process."""
    path = tmp_path / "bad.toml"
    path.write_text("resources = [\n", encoding="utf-8")
    result = csec_process("--catalogue", str(path), "list")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_python_dash_m_runs_the_same_cli(catalogue: Path) -> None:
    """`python -m csec_cli` is the same program."""
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "csec_cli", "--catalogue", str(catalogue), "list", "--json", "--limit", "1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 1
