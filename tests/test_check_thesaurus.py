"""`csec check` validates the team's own thesaurus: errors exit 1, warnings do not, writes go on."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RunCli


def team_file(catalogue: Path, text: str) -> Path:
    """Write the team's thesaurus beside the catalogue, where csec looks for it."""
    path = catalogue.parent / "thesaurus.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problem_lines(output: str) -> list[str]:
    """The error and warning lines of check's output."""
    return [line for line in output.splitlines() if line.startswith(("error: ", "warning: "))]


def test_no_team_file_changes_nothing(run_cli: RunCli) -> None:
    """Without a team thesaurus, check says nothing about thesauri."""
    result = run_cli("check")
    assert result.exit_code == 0
    assert "thesaurus" not in result.stdout


def test_a_valid_team_file_is_counted(run_cli: RunCli, catalogue: Path) -> None:
    """A clean team file gets one summary line and exit 0."""
    path = team_file(
        catalogue, '[[concept]]\nid = "chicle-sellers"\nes = ["vendedores de chicle"]\n'
    )
    result = run_cli("check")
    assert result.exit_code == 0, result.stdout
    assert problem_lines(result.stdout) == []
    assert f"{path}: 1 team thesaurus concept, 0 errors, 0 warnings" in result.stdout


def test_a_malformed_team_file_is_one_line_naming_file_and_line(
    run_cli: RunCli, catalogue: Path
) -> None:
    """A team file that is not TOML: one error line with its path and line, exit 1."""
    path = team_file(catalogue, '[[concept]]\nid = "x"\nen = ["foo"\nes = ["bar"]\n')
    result = run_cli("check")
    assert result.exit_code == 1
    lines = problem_lines(result.stdout)
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}:4: not TOML")
    assert "Traceback" not in result.stdout + result.stderr
    assert "10 valid resources, 0 errors" in result.stdout  # the catalogue itself is fine


def test_unknown_language_key_is_an_error_at_its_line(run_cli: RunCli, catalogue: Path) -> None:
    """A key that is no language (say "sp" for "es") loses terms, so it is an error."""
    path = team_file(catalogue, '[[concept]]\nid = "x"\nen = ["foo"]\nsp = ["bar"]\n')
    result = run_cli("check")
    assert result.exit_code == 1
    (line,) = problem_lines(result.stdout)
    assert line.startswith(f"error: {path}:4: concept 'x': unknown key 'sp'")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[concept]]\nid = "x"\nen = ["foo", " "]\n', ":3: concept 'x': en has an empty term"),
        (
            '[[concept]]\nid = "my-trafficking"\nes = ["trata"]\n',
            ":3: concept 'my-trafficking': term 'trata' also names 'trafficking'",
        ),
    ],
    ids=["empty term", "term in two concepts"],
)
def test_harmless_surprises_are_warnings(
    run_cli: RunCli, catalogue: Path, text: str, expected: str
) -> None:
    """An empty term and a term that also names another concept warn; the exit stays 0."""
    path = team_file(catalogue, text)
    result = run_cli("check")
    assert result.exit_code == 0, result.stdout
    (line,) = problem_lines(result.stdout)
    assert line.startswith(f"warning: {path}{expected}")


def test_missing_broader_concept_is_an_error_at_its_line(run_cli: RunCli, catalogue: Path) -> None:
    """A broader id that names no concept is an error pointing at where it is written."""
    path = team_file(catalogue, '[[concept]]\nid = "x"\nbroader = "nowhere"\nen = ["foo"]\n')
    result = run_cli("check")
    assert result.exit_code == 1
    (line,) = problem_lines(result.stdout)
    assert line == f"error: {path}:3: concept 'x': broader concept 'nowhere' does not exist"


def test_named_team_file_that_is_missing_is_an_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$CSEC_THESAURUS naming no file is an error: the team's terms would be silently absent."""
    missing = tmp_path / "nowhere.toml"
    monkeypatch.setenv("CSEC_THESAURUS", str(missing))
    result = run_cli("check")
    assert result.exit_code == 1
    assert problem_lines(result.stdout) == [f"error: {missing}: no such thesaurus file"]


def test_thesaurus_errors_never_stop_a_write(run_cli: RunCli, catalogue: Path) -> None:
    """A broken team thesaurus makes check exit 1 but csec still adds a resource."""
    team_file(catalogue, "not toml at all [")
    result = run_cli("add", "--title", "A new guide", "--date", "2024")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "A new guide" in catalogue.read_text(encoding="utf-8")
