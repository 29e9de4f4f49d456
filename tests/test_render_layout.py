"""How catalogue text is laid out in the terminal (render.resource_table, resource_detail).

Titles must wrap at word boundaries and never be cut, and every line must fit, at any width
from 60 columns up; `show` keeps summaries to a readable line length.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import RunCli
from csec_cli.catalogue import load_catalogue

WIDTHS = [60, 80, 120]


@pytest.fixture(autouse=True)
def as_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lay out as on a terminal (TTY_COMPATIBLE is rich's switch): piped, csec prints one
    resource a line instead (see test_listing_output.py)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm")  # rich draws a "dumb" terminal 80 columns wide


LONG_WORD_CATALOGUE = """
[[resources]]
id = "a-rather-long-identifier-made-by-hand-for-this-test"
title = \"""Indicators and information system for LAC to monitor the international \\
commitments regarding the prevention and elimination of CSE of children and adolescents - \\
DevInfo LAC CSE\"""
date = 2008-09-01
type = "information system"

[[resources]]
id = "short"
title = "[PDF] Guide"
type = "manual"
"""


def words_of(text: str) -> list[str]:
    """The words of a text, as the layout may only break between them."""
    return text.split()


def rendered_words(stdout: str) -> set[str]:
    """Every whitespace-separated word that appears in the output."""
    return set(stdout.split())


@pytest.mark.parametrize("width", WIDTHS)
def test_list_titles_are_never_cut_and_lines_fit(
    width: int, run_cli: RunCli, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`csec list` at 60, 80 and 120 columns: every word of every title is shown whole."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("list", catch=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    shown = rendered_words(result.stdout)
    for resource in load_catalogue(catalogue).resources:
        missing = [word for word in words_of(resource.title) if word not in shown]
        assert not missing, f"at {width} columns, words of {resource.id!r} were cut: {missing}"
        assert resource.id in shown, f"at {width} columns the id {resource.id!r} was cut"


@pytest.mark.parametrize("width", WIDTHS)
def test_title_gets_most_of_the_width(
    width: int, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titles wrap in a column at least half the terminal wide (what the widest line shows)."""
    monkeypatch.setenv("COLUMNS", str(width))
    lines = run_cli("list", catch=False).stdout.splitlines()
    header = lines[1] if len(lines) > 1 and lines[1].split()[:1] == ["id"] else ""
    if header:
        start = header.index("title")
        title_lines = [line[start:].rstrip() for line in lines[3:]]
    else:
        title_lines = [line.rstrip() for line in lines if line.startswith("  ")]
    assert max(len(line) for line in title_lines) >= width // 2


@pytest.mark.parametrize("width", WIDTHS)
def test_long_ids_and_markup_like_titles(
    width: int, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long hand-made id stays whole, and '[PDF] Guide' prints as written."""
    path = tmp_path / "long.toml"
    path.write_text(LONG_WORD_CATALOGUE, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("list", path=path, catch=False)
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= width
    shown = rendered_words(result.stdout)
    assert "a-rather-long-identifier-made-by-hand-for-this-test" in shown
    assert "[PDF] Guide" in result.stdout
    assert "DevInfo" in shown and "adolescents" in shown


def test_wide_terminals_get_a_table_with_a_type_column(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 120 columns the list is a table with id, date, type and title headers."""
    monkeypatch.setenv("COLUMNS", "120")
    header = run_cli("list", catch=False).stdout.splitlines()[1].split()
    assert header == ["id", "date", "type", "title"]


def test_narrow_terminals_get_one_block_per_resource(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 columns each resource is a heading line then its title indented below."""
    monkeypatch.setenv("COLUMNS", "60")
    lines = run_cli("list", "--limit", "2", catch=False).stdout.splitlines()
    assert re.match(r"^media-strategy\s+2009-03-01\s+manual\s*$", lines[0])
    assert lines[1].rstrip() == "  How to work strategically with the media?"
    assert lines[2].strip() == ""
    assert lines[3].startswith("costa-rica-national-plan  2009-03-01  paper")


@pytest.mark.parametrize("width", WIDTHS)
def test_show_summary_wraps_whole_words_within_a_readable_width(
    width: int, run_cli: RunCli, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`csec show` wraps the summary at word boundaries, lines no longer than ~100 cells."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("show", "labour-inspection-csec", catch=False)
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert max(len(line) for line in lines) <= min(width, 100)
    resource = next(
        r for r in load_catalogue(catalogue).resources if r.id == "labour-inspection-csec"
    )
    assert resource.summary is not None
    missing = [
        word for word in words_of(resource.summary) if word not in set(result.stdout.split())
    ]
    assert not missing
