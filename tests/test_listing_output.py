"""`list` and `search` for pipes and scripts (--csv, --tsv, --ids, the piped table), and a
terminal layout chosen by the terminal's width alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import RunCli
from csec_cli.catalogue import load_catalogue
from csec_cli.listing import tsv_cell
from csec_cli.models import Resource
from csec_cli.render import TABLE_MIN_WIDTH, TYPE_COLUMN_MIN_WIDTH, resource_table

ODD_TITLES = """
[[resources]]
id = "tabbed"
title = "Tab\\there, back\\\\slash"
date = 2009-03-01
type = "manual"

[[resources]]
id = "formula"
title = "=HYPERLINK(\\"x\\"), with a comma"
"""


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    """A catalogue whose titles hold a tab, a backslash, a quote, a comma and a formula."""
    path = tmp_path / "odd.toml"
    path.write_text(ODD_TITLES, encoding="utf-8")
    return path


def test_list_csv_has_a_header_and_one_resource_a_line(run_cli: RunCli, catalogue: Path) -> None:
    """`list --csv` reads back with the csv module: id, date, type, title, in list order."""
    result = run_cli("list", "--csv")
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "date", "type", "title"]
    listed = run_cli("list", "--ids").stdout.split()
    assert [row[0] for row in rows[1:]] == listed
    by_id = {resource.id: resource for resource in load_catalogue(catalogue).resources}
    for row in rows[1:]:
        assert row[3] == by_id[row[0]].title
    assert len(result.stdout.splitlines()) == len(by_id) + 1


def test_csv_quotes_and_protects_as_export_does(run_cli: RunCli, odd: Path) -> None:
    """Quotes and commas are quoted; a cell a spreadsheet would run gets an apostrophe."""
    lines = run_cli("list", "--csv", "--sort", "title", path=odd).stdout.splitlines()
    assert lines[1] == 'formula,,,"\'=HYPERLINK(""x""), with a comma"'


def test_tsv_escapes_tabs_and_backslashes(run_cli: RunCli, odd: Path) -> None:
    """A tab in a value is written \\t (and a backslash \\\\), so each line has four cells."""
    lines = run_cli("list", "--tsv", "--sort", "title", path=odd).stdout.splitlines()
    assert lines[0] == "id\tdate\ttype\ttitle"
    assert lines[2] == "tabbed\t2009-03-01\tmanual\tTab\\there, back\\\\slash"
    assert all(line.count("\t") == 3 for line in lines)
    assert tsv_cell("a\nb\rc") == "a\\nb\\rc"


def test_search_csv_and_tsv_label_the_score(run_cli: RunCli) -> None:
    """search's score is the last column, labelled, as in --json (one decimal)."""
    tsv = run_cli("search", "media", "--tsv").stdout.splitlines()
    assert tsv[0] == "id\tdate\ttype\ttitle\tscore"
    json_hits = __import__("json").loads(run_cli("search", "media", "--json").stdout)
    assert [line.split("\t")[0] for line in tsv[1:]] == [hit["id"] for hit in json_hits]
    assert [float(line.split("\t")[4]) for line in tsv[1:]] == [hit["score"] for hit in json_hits]
    csv_rows = list(csv.reader(io.StringIO(run_cli("search", "media", "--csv").stdout)))
    assert csv_rows[0][-1] == "score"


def test_ids_print_ids_alone_for_xargs(run_cli: RunCli) -> None:
    """--ids prints one id a line and nothing else; each one `show` finds."""
    result = run_cli("search", "labour inspectors", "--ids")
    assert result.stdout == "labour-inspection-csec\n"
    for resource_id in run_cli("list", "--type", "leaflet", "--ids").stdout.split():
        assert run_cli("show", resource_id).exit_code == 0


def test_nothing_found_gives_a_bare_header_or_nothing(run_cli: RunCli) -> None:
    """With no match, csv and tsv print just the header, --ids nothing; exit 0."""
    assert run_cli("search", "quantum chromodynamics", "--csv").stdout == (
        "id,date,type,title,score\n"
    )
    result = run_cli("list", "--since", "2020", "--ids")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize("flags", [["--csv", "--json"], ["--tsv", "--ids"], ["--csv", "--tsv"]])
@pytest.mark.parametrize("command", [["list"], ["search", "media"]])
def test_output_options_are_mutually_exclusive(
    run_cli: RunCli, command: list[str], flags: list[str]
) -> None:
    """Two of --json, --csv, --tsv, --ids are a usage error (exit 2) naming both."""
    result = run_cli(*command, *flags, catch=True)
    assert result.exit_code == 2
    assert "cannot be combined" in result.stderr
    assert flags[0] in result.stderr and flags[1] in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["list"], ["search", "media"]])
def test_piped_output_is_one_resource_a_line_under_a_header(
    run_cli: RunCli, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not on a terminal, at any width: a header, one line per resource, no trailing space."""
    for width in ("60", "200"):
        monkeypatch.setenv("COLUMNS", width)
        lines = run_cli(*command).stdout.splitlines()
        expected = ["id", "date", "type", "title"]
        if command[0] == "search":
            expected.insert(0, "score")
        assert lines[0].split() == expected
        assert all(line == line.rstrip() for line in lines)
        ids = run_cli(*command, "--ids").stdout.split()
        assert len(lines) == len(ids) + 1
        assert [line.split()[1 if command[0] == "search" else 0] for line in lines[1:]] == ids


TERMINAL_WIDTHS = range(60, 161, 5)


def _layout(table: object) -> tuple[bool, list[str]]:
    """Whether a table has a header, and its column headers: what the layout is."""
    columns = getattr(table, "columns")  # noqa: B009 (a rich Table)
    return bool(getattr(table, "show_header")), [str(column.header) for column in columns]  # noqa: B009


@pytest.mark.parametrize("scores", [None, [88.0, 70.0]])
def test_the_layout_depends_on_the_width_never_on_the_ids(scores: list[float] | None) -> None:
    """Short ids or the longest csec makes (40 characters): the same layout at every width."""
    short = [Resource(id="a", title="A guide", type="manual"), Resource(id="b", title="B")]
    long = [
        Resource(id="x" * 40, title="A guide " * 20, type="information system"),
        Resource(id="y" * 38, title="B"),
    ]
    for width in TERMINAL_WIDTHS:
        assert _layout(resource_table(short, scores=scores, width=width)) == _layout(
            resource_table(long, scores=scores, width=width)
        ), f"the layout flipped at {width} columns"
    assert not _layout(resource_table(short, width=TABLE_MIN_WIDTH - 1))[0]
    assert _layout(resource_table(long, width=TABLE_MIN_WIDTH))[1] == ["id", "date", "title"]
    assert "type" in _layout(resource_table(long, width=TYPE_COLUMN_MIN_WIDTH))[1]


def test_search_blocks_label_the_score(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a narrow terminal each block's heading says "score 88", not a bare number."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "80")
    first = run_cli("search", "media").stdout.splitlines()[0]
    assert first.startswith("score 88  media-strategy  2009-03-01  manual")


def test_control_characters_are_shown_in_the_piped_table_and_kept_in_csv(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The piped table shows an escape sequence as text (as the terminal table does); csv to a
    pipe carries the exact value, as `export` does."""
    path = tmp_path / "esc.toml"
    path.write_text('[[resources]]\nid = "e"\ntitle = "Red \\u001b[31m alert"\n', encoding="utf-8")
    table = run_cli("list", path=path).stdout
    assert "\x1b" not in table and "Red \\x1b[31m alert" in table
    assert run_cli("list", "--csv", path=path).stdout.splitlines()[1] == "e,,,Red \x1b[31m alert"
