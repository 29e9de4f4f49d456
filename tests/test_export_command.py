"""`csec export`: formats, filters, --query, stdout or --output, formula protection, pipes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import RunCli


def test_csv_to_stdout(run_cli: RunCli) -> None:
    """The whole seed as CSV on stdout, newest first, nothing on stderr."""
    result = run_cli("export", "--format", "csv", catch=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 10
    assert rows[0]["date"] >= rows[-1]["date"]


def test_filters_and_query_select_what_is_exported(run_cli: RunCli) -> None:
    """All 2009 resources for labour inspectors: filters and --query narrow the export."""
    result = run_cli(
        "export",
        "-f",
        "json",
        "--since",
        "2009",
        "--until",
        "2009",
        "--audience",
        "Labour Inspectors",
    )
    assert result.exit_code == 0, result.stderr
    assert [item["id"] for item in json.loads(result.stdout)] == ["labour-inspection-csec"]
    result = run_cli("export", "-f", "json", "--query", "media")
    ids = [item["id"] for item in json.loads(result.stdout)]
    assert "media-strategy" in ids and "labour-inspection-csec" not in ids
    empty = run_cli("export", "-f", "json", "--since", "2030")
    assert empty.exit_code == 0 and empty.stdout == "[]\n"


def test_output_file_and_format_from_extension(run_cli: RunCli, tmp_path: Path) -> None:
    """--output writes the file and says so on stderr; the extension picks the format."""
    target = tmp_path / "catalogue.bib"
    result = run_cli("export", "--output", str(target), catch=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"Exported 10 resources to {target} (bibtex).\n"
    assert target.read_text(encoding="utf-8").startswith("@")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_usage_errors(run_cli: RunCli, tmp_path: Path) -> None:
    """No format at all, or an unknown one, is a usage error (exit 2)."""
    assert run_cli("export").exit_code == 2
    assert run_cli("export", "-f", "xls").exit_code == 2
    assert run_cli("export", "-o", str(tmp_path / "x.unknown")).exit_code == 2


def test_refuses_to_overwrite_the_catalogue(
    run_cli: RunCli, catalogue: Path, tmp_path: Path
) -> None:
    """--output pointing at the catalogue itself, or at a folder, is exit 1 with a reason."""
    before = catalogue.read_bytes()
    result = run_cli("export", "-f", "json", "-o", str(catalogue))
    assert result.exit_code == 1
    assert "is the catalogue itself" in result.stderr
    assert catalogue.read_bytes() == before
    result = run_cli("export", "-f", "json", "-o", str(tmp_path))
    assert result.exit_code == 1 and "is a folder" in result.stderr


def test_formula_protection_and_opt_out(run_cli: RunCli, tmp_path: Path) -> None:
    """A title starting with = is exported as '=…; --no-formula-protection writes it as it is."""
    source = tmp_path / "in.csv"
    source.write_text('title\n"=HYPERLINK(""http://evil"",""x"")"\n', encoding="utf-8")
    target = tmp_path / "c.toml"
    assert run_cli("import", str(source), path=target).exit_code == 0
    protected = run_cli("export", "-f", "csv", path=target).stdout
    assert (
        next(csv.DictReader(io.StringIO(protected)))["title"] == '\'=HYPERLINK("http://evil","x")'
    )
    raw = run_cli("export", "-f", "csv", "--no-formula-protection", path=target).stdout
    assert next(csv.DictReader(io.StringIO(raw)))["title"] == '=HYPERLINK("http://evil","x")'
    excel = run_cli("export", "-f", "csv", "--excel", path=target)
    assert excel.stdout_bytes.startswith(b"\xef\xbb\xbfid,title")


def test_no_progress_bar_on_a_pipe(
    csec_process: Callable[..., subprocess.CompletedProcess[str]], catalogue: Path, tmp_path: Path
) -> None:
    """Run for real with stdout and stderr piped: data only, no bar or escape codes."""
    result = csec_process("--catalogue", str(catalogue), "export", "-f", "markdown")
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith("# Resources on commercial sexual exploitation")
    assert "\x1b" not in result.stdout
    target = tmp_path / "out.html"
    result = csec_process("--catalogue", str(catalogue), "export", "-o", str(target))
    assert result.returncode == 0
    assert result.stderr == f"Exported 10 resources to {target} (html).\n"


@pytest.mark.slow
def test_progress_bar_on_a_real_terminal(csec_executable: str, tmp_path: Path) -> None:
    """On a terminal, an export to a file that outlasts a second shows a bar on stderr."""
    import os

    import pexpect

    # 60,000 resources (about 40 MB): reading them uncached takes seconds even on a fast machine,
    # so the one-second delay before the bar has always passed by the time rows are written.
    summary = "A synthetic summary that makes each resource a realistic size. " * 8
    blocks = [
        f'[[resources]]\nid = "r{n}"\ntitle = "Resource {n}"\ndate = 2009-03-01\nsummary = "{summary}"\n'
        for n in range(60_000)
    ]
    path = tmp_path / "large.toml"
    path.write_text("\n".join(blocks), encoding="utf-8")
    target = tmp_path / "large.csv"
    session = pexpect.spawn(
        csec_executable,
        ["-c", str(path), "export", "-o", str(target)],
        env={**os.environ, "TERM": "xterm-256color", "NO_COLOR": "1"},
        encoding="utf-8",
        timeout=180,
        dimensions=(24, 100),
    )
    session.expect(r"Exporting csv")
    session.expect(r"Exported 60000 resources to .*large\.csv \(csv\)\.")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0
    with target.open(encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 60_001
