"""Tests for `csec stats` (csec_cli/commands/stats.py): charts, filters, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RunCli


def write_catalogue(path: Path, body: str) -> Path:
    """A small catalogue file for one test."""
    path.write_text(body, encoding="utf-8")
    return path


def test_stats_draws_bars_for_every_chart_on_the_seed(run_cli: RunCli) -> None:
    """The seed's ten resources are drawn per year and per type, audience, country, language."""
    result = run_cli("stats", catch=False)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "10 resources"
    for heading in ("Per year", "By type", "By audience", "By country or region", "By language"):
        assert heading in lines
    year_lines = [line for line in lines if line.strip().startswith(("2008", "2009"))]
    assert len(year_lines) == 2
    assert all("█" in line for line in year_lines)
    assert any(line.split()[:1] == ["en"] and line.endswith(" 10") for line in lines)
    assert any(line.strip().startswith("no type") for line in lines)


def test_stats_json_counts_the_seed(run_cli: RunCli) -> None:
    """--json prints only JSON with the seed's real counts."""
    result = run_cli("stats", "--json", catch=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["resources"] == 10
    assert data["by_year"] == {"2008": 5, "2009": 5}
    assert data["by_language"] == {"en": 10}
    assert data["by_type"]["leaflet"] == 2
    assert data["without_type"] == 1
    assert sum(data["by_year"].values()) + data["undated"] == data["resources"]


def test_stats_applies_the_shared_filters(run_cli: RunCli) -> None:
    """--since and --type narrow what is counted."""
    result = run_cli("stats", "--json", "--since", "2009", "--type", "leaflet", catch=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["resources"] == 1
    assert data["by_year"] == {"2009": 1}
    assert data["by_type"] == {"leaflet": 1}


def test_stats_counts_undated_resources_and_draws_them(run_cli: RunCli, tmp_path: Path) -> None:
    """An undated resource is counted as undated, in JSON and as its own bar."""
    path = write_catalogue(
        tmp_path / "undated.toml",
        '[[resources]]\nid = "a"\ntitle = "A"\ndate = "2001"\n\n'
        '[[resources]]\nid = "b"\ntitle = "B"\n',
    )
    data = json.loads(run_cli("stats", "--json", path=path, catch=False).stdout)
    assert data["undated"] == 1
    assert data["by_year"] == {"2001": 1}
    text = run_cli("stats", path=path, catch=False).stdout
    assert any(
        line.split()[:1] == ["undated"] and line.endswith(" 1") for line in text.splitlines()
    )


def test_stats_top_hides_the_rest_and_says_so(run_cli: RunCli) -> None:
    """--top 2 draws two types and says how many more there are."""
    result = run_cli("stats", "--top", "2", catch=False)
    assert result.exit_code == 0
    assert "… and 6 more (see --json, or --top)" in result.stdout


def test_stats_on_no_match_says_there_is_nothing_to_count(run_cli: RunCli) -> None:
    """A filter matching nothing gives empty charts, exit 0."""
    result = run_cli("stats", "--country", "Atlantis", catch=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "0 resources"
    assert "(nothing to count)" in result.stdout


def test_stats_lines_fit_narrow_terminals(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60 columns no chart line is wider than the terminal."""
    monkeypatch.setenv("COLUMNS", "60")
    result = run_cli("stats", catch=False)
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


def test_stats_shows_catalogue_text_as_written(run_cli: RunCli, tmp_path: Path) -> None:
    """A value like '[bold]x' is printed literally, never as markup."""
    path = write_catalogue(
        tmp_path / "markup.toml", '[[resources]]\nid = "a"\ntitle = "A"\ntype = "[bold]x"\n'
    )
    result = run_cli("stats", path=path, catch=False)
    assert "[bold]x" in result.stdout
