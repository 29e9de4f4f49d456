"""Issue 12, points 1 and 2: numeric dates are never guessed, and list items survive every format."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import RunCli
from csec_cli.catalogue import Catalogue, load_catalogue, save_catalogue
from csec_cli.checks import check_catalogue, list_item_fault
from csec_cli.cli import app
from csec_cli.dates import PartialDate
from csec_cli.errors import InvalidValueError
from csec_cli.field_values import list_answer_text, parse_list, split_answer
from csec_cli.models import SUBJECT_LIST_FIELDS, Resource
from terminal_session import answer, finish, spawn_csec
from test_formats_roundtrip import export_then_import

# Many real csec processes: CI runs them, the fast loop leaves them out.
pytestmark = pytest.mark.slow

# --- Dates ---------------------------------------------------------------------------------------

# Every form `--date` help and the prompt promise, the year-first forms the issue found read
# day-first, and spreadsheets' ways of writing a plain date.
READ_THE_SAME_IN_EVERY_ORDER = [
    ("2009-03-01", "2009-03-01"),
    ("01 March 2009", "2009-03-01"),
    ("March 2009", "2009-03"),
    ("2009-03", "2009-03"),
    ("2009", "2009"),
    ("marzo 2009", "2009-03"),
    ("1 de marzo de 2009", "2009-03-01"),
    ("2009/03/01", "2009-03-01"),
    ("2009-3-1", "2009-03-01"),
    ("2009.03.01", "2009-03-01"),
    ("2009-12-5", "2009-12-05"),
    ("2009/3", "2009-03"),
    ("2009.03", "2009-03"),
    ("2009 03 01", "2009-03-01"),
    ("20090301", "2009-03-01"),
    ("3/2009", "2009-03"),
    ("05/05/2011", "2011-05-05"),
    ("2009-03-01 00:00:00", "2009-03-01"),
    ("2009/3/1 0:00", "2009-03-01"),
    ("1-Mar-2009", "2009-03-01"),
]


@pytest.mark.parametrize("order", [None, "DMY", "MDY"])
@pytest.mark.parametrize(("typed", "iso"), READ_THE_SAME_IN_EVERY_ORDER)
def test_year_first_and_written_dates_mean_one_thing(
    typed: str, iso: str, order: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year-first or written date is read the same whatever order the team has set."""
    if order:
        monkeypatch.setenv("CSEC_DATE_ORDER", order)
    assert PartialDate.parse(typed).iso() == iso


def test_a_date_that_reads_both_ways_is_refused_naming_both_readings() -> None:
    """03/04/2011 without a set order names 3 April and 4 March and the ISO way to write each."""
    with pytest.raises(ValueError) as refused:
        PartialDate.parse("03/04/2011")
    message = str(refused.value)
    for part in ("3 April 2011", "4 March 2011", "2011-04-03", "2011-03-04", "CSEC_DATE_ORDER"):
        assert part in message


@pytest.mark.parametrize(
    ("order", "typed", "iso"),
    [
        ("DMY", "03/04/2011", "2011-04-03"),
        ("MDY", "03/04/2011", "2011-03-04"),
        ("dmy", "3.4.2011", "2011-04-03"),
        ("MDY", "03/15/2015", "2015-03-15"),
        (None, "15/03/2015", "2015-03-15"),
        ("DMY", "15-03-2015", "2015-03-15"),
    ],
)
def test_the_team_order_reads_day_and_month(
    order: str | None, typed: str, iso: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSEC_DATE_ORDER decides 03/04/2011; day/month/year is read when it is the one reading."""
    if order:
        monkeypatch.setenv("CSEC_DATE_ORDER", order)
    assert PartialDate.parse(typed).iso() == iso


@pytest.mark.parametrize(
    ("order", "typed", "says"),
    [
        (None, "03/15/2015", "set CSEC_DATE_ORDER=MDY"),
        ("DMY", "03/15/2015", "CSEC_DATE_ORDER is DMY"),
        ("MDY", "15/03/2015", "CSEC_DATE_ORDER is MDY"),
    ],
)
def test_a_date_valid_only_in_the_other_order_is_not_fixed(
    order: str | None, typed: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """03/15/2015 is refused, not silently read month-first, and the refusal says what to write."""
    if order:
        monkeypatch.setenv("CSEC_DATE_ORDER", order)
    with pytest.raises(ValueError) as refused:
        PartialDate.parse(typed)
    assert "2015-03-15" in str(refused.value)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    "typed", ["03/04/11", "2009-03-01 10:30", "39873", "2009-3-1-2", "2009/2/30", "13/2009"]
)
def test_numbers_that_are_not_one_clear_date_are_refused(typed: str) -> None:
    """Two-digit years, times of day, serial numbers and impossible dates are refused."""
    with pytest.raises(ValueError):
        PartialDate.parse(typed)


def test_an_unknown_date_order_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """CSEC_DATE_ORDER=YMD is named as wrong rather than ignored."""
    monkeypatch.setenv("CSEC_DATE_ORDER", "YMD")
    with pytest.raises(ValueError, match="CSEC_DATE_ORDER must be DMY or MDY"):
        PartialDate.parse("03/04/2011")


def _stored(path: Path, resource_id: str) -> dict[str, object]:
    resources = tomli.loads(path.read_text(encoding="utf-8"))["resources"]
    return next(table for table in resources if table["id"] == resource_id)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2009/03/01", dt.date(2009, 3, 1)),
        ("2009-3-1", dt.date(2009, 3, 1)),
        ("2009.03.01", dt.date(2009, 3, 1)),
        ("2009-12-5", dt.date(2009, 12, 5)),
        ("2009/3", "2009-03"),
    ],
)
def test_add_stores_a_year_first_date_as_year_month_day(
    run_cli: RunCli, catalogue: Path, typed: str, stored: object
) -> None:
    """`add --date` keeps year, month and day in the order they were written."""
    result = run_cli("add", "--title", "Dated on the record", "--date", typed, "--yes")
    assert result.exit_code == 0, result.stderr
    assert _stored(catalogue, result.stdout.strip())["date"] == stored


def test_add_refuses_an_ambiguous_date_and_leaves_the_file(
    run_cli: RunCli, catalogue: Path
) -> None:
    """03/04/2011 is one line on stderr, exit 1, and the catalogue is byte for byte unchanged."""
    before = catalogue.read_bytes()
    result = run_cli("add", "--title", "Ambiguous", "--date", "03/04/2011", "--yes")
    assert result.exit_code == 1
    assert "could be 3 April 2011 or 4 March 2011" in result.stderr
    assert "Traceback" not in result.stderr
    assert catalogue.read_bytes() == before


def test_add_and_edit_follow_the_team_order(
    run_cli: RunCli, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With CSEC_DATE_ORDER=MDY, add and edit read 03/04/2011 as 4 March."""
    monkeypatch.setenv("CSEC_DATE_ORDER", "MDY")
    result = run_cli("add", "--title", "Team order", "--date", "03/04/2011", "--yes")
    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert _stored(catalogue, new_id)["date"] == dt.date(2011, 3, 4)
    result = run_cli("edit", new_id, "--date", "12/01/2010", "--yes")
    assert result.exit_code == 0, result.stderr
    assert _stored(catalogue, new_id)["date"] == dt.date(2010, 12, 1)


def test_edit_stores_a_year_first_date_as_year_month_day(run_cli: RunCli, catalogue: Path) -> None:
    """`edit --date 2009-12-5` is 5 December, not 12 May."""
    first_id = tomli.loads(catalogue.read_text(encoding="utf-8"))["resources"][0]["id"]
    result = run_cli("edit", first_id, "--date", "2009-12-5", "--yes")
    assert result.exit_code == 0, result.stderr
    assert _stored(catalogue, first_id)["date"] == dt.date(2009, 12, 5)
    result = run_cli("edit", first_id, "--date", "03/15/2015", "--yes")
    assert result.exit_code == 1
    assert "no month 15" in result.stderr


def test_import_reads_csv_dates_by_the_same_rule(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV's year-first dates are year-month-day; its ambiguous date is rejected with its row."""
    rows = [
        "title,date",
        "Year first with slashes,2009/03/01",
        "Year first short,2009-12-5",
        "Reads both ways,03/04/2011",
        "Day first,15/03/2015",
        "Spreadsheet midnight,2009-3-1 00:00:00",
    ]
    source = tmp_path / "incoming.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    target = tmp_path / "imported.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    assert "row 4" in result.stderr and "could be 3 April 2011 or 4 March 2011" in result.stderr
    dates = {
        table["title"]: table["date"]
        for table in tomli.loads(target.read_text(encoding="utf-8"))["resources"]
    }
    assert dates == {
        "Year first with slashes": dt.date(2009, 3, 1),
        "Year first short": dt.date(2009, 12, 5),
        "Day first": dt.date(2015, 3, 15),
        "Spreadsheet midnight": dt.date(2009, 3, 1),
    }
    monkeypatch.setenv("CSEC_DATE_ORDER", "DMY")
    second = tmp_path / "second.toml"
    result = run_cli("import", str(source), path=second)
    assert result.exit_code == 0, result.stderr
    tables = tomli.loads(second.read_text(encoding="utf-8"))["resources"]
    assert {"title": "Reads both ways", "date": dt.date(2011, 4, 3)}.items() <= next(
        table for table in tables if table["title"] == "Reads both ways"
    ).items()


def test_date_help_documents_the_rule_and_the_setting() -> None:
    """`csec add --help` says how numbers are read and names CSEC_DATE_ORDER."""
    result = CliRunner().invoke(app, ["add", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "year-month-day" in text and "CSEC_DATE_ORDER=DMY or MDY" in text


# --- The prompt, on a real terminal --------------------------------------------------------------


def test_prompt_reads_dates_and_list_separators_like_the_flags(tmp_path: Path) -> None:
    """At the prompt 03/04/2011 is asked again, 2009.03.01 is 1 March and ';' separates items."""
    path = tmp_path / "new.toml"
    session = spawn_csec(path, "add")
    answer(session, r"Title: ", "Prompted resource")
    answer(session, r"Authors \(.*\): ", "")
    answer(session, r"Date \(.*\): ", "03/04/2011")
    session.expect(r"could be 3 April 2011 or 4 March 2011")
    answer(session, r"Date \(.*\): ", "2009.03.01")
    answer(session, r"Summary: ", "")
    answer(session, r"Type: ", "")
    answer(session, r"Audience \(.*\): ", "periodistas; investigadores")
    answer(session, r"Topics \(.*\): ", "trata, explotación; turismo")
    answer(session, r"Countries or regions \(.*\): ", "Paraguay, Bolivia")
    answer(session, r"Language \(ISO 639-1\) \[en\]: ", "es")
    answer(session, r"Publisher: ", "")
    for prompt in (r"Place of publication: ", r"Series: ", r"ISBN: ", r"ISSN: ", r"URL: "):
        answer(session, prompt, "")
    answer(session, r"Files \(.*\): ", "")
    answer(session, r"Notes: ", "")
    session.expect(r"date\s+01 March 2009")
    answer(session, r"Add it to the catalogue\? \[Y/n\]: ", "y")
    assert finish(session) == 0
    table = tomli.loads(path.read_text(encoding="utf-8"))["resources"][0]
    assert table["date"] == dt.date(2009, 3, 1)
    assert table["audience"] == ["periodistas", "investigadores"]
    assert table["topics"] == ["trata, explotación", "turismo"]
    assert table["countries"] == ["Paraguay", "Bolivia"]


# --- List items ----------------------------------------------------------------------------------


def test_a_flag_holding_a_semicolon_is_two_items_in_add_and_edit(
    run_cli: RunCli, catalogue: Path
) -> None:
    """`--audience "periodistas; investigadores"` stores the two items a CSV cell would give."""
    result = run_cli(
        "add", "--title", "Two audiences", "--audience", "periodistas; investigadores", "--yes"
    )
    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert _stored(catalogue, new_id)["audience"] == ["periodistas", "investigadores"]
    result = run_cli("edit", new_id, "--topic", "trata;  turismo ;", "--yes")
    assert result.exit_code == 0, result.stderr
    assert _stored(catalogue, new_id)["topics"] == ["trata", "turismo"]
    result = run_cli("edit", new_id, "--country", " ; ", "--yes")
    assert result.exit_code == 1
    assert "empty item" in result.stderr


def test_json_import_splits_an_item_holding_a_semicolon(run_cli: RunCli, tmp_path: Path) -> None:
    """A JSON list item "a; b" is imported as two items, as the same CSV cell would be."""
    source = tmp_path / "incoming.json"
    record = {"title": "Listed", "audience": ["periodistas; investigadores", "jueces"]}
    source.write_text(json.dumps([record]), encoding="utf-8")
    target = tmp_path / "imported.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    table = tomli.loads(target.read_text(encoding="utf-8"))["resources"][0]
    assert table["audience"] == ["periodistas", "investigadores", "jueces"]


HAND_WRITTEN = """\
# A team's catalogue, edited by hand.

[[resources]]
id = "hand-written"
title = "A list item written by hand"
date = 2009-03-01
audience = ["periodistas; investigadores", "jueces"]
"""


def test_check_reports_a_hand_written_item_holding_a_semicolon(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """`check` names the resource, its line and the two items to write; exit 1."""
    path = tmp_path / "hand.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run_cli("check", path=path)
    assert result.exit_code == 1
    assert "hand.toml:3: resource 'hand-written': audience" in result.stdout
    assert '["periodistas", "investigadores"]' in result.stdout


def test_show_quotes_an_item_holding_a_semicolon(run_cli: RunCli, tmp_path: Path) -> None:
    """`show` keeps one hand-written item "a; b" visibly one item, apart from the next."""
    path = tmp_path / "hand.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = run_cli("show", "hand-written", path=path)
    assert result.exit_code == 0, result.stderr
    assert '"periodistas; investigadores"; jueces' in result.stdout


# Characters that break naive list writers and readers: separators of every format, LaTeX's
# specials and ligatures (-- `` '' !` ?`), quotes, a formula start, the apostrophe, accents.
_PIECES = [",", ";", '"', "'", "`", "-", "--", "!", "?", "^", "~", "\\", "{", "}", "%", "$", "#"]
_PIECES += ["&", "_", "@", "=", "+", " ", "  ", "\t", "\n", "é", "Ñ", "😀", "a", "Z", "1", "ER  -"]
_raw_item = st.lists(
    st.sampled_from(_PIECES) | st.text(st.characters(exclude_categories=("Cs",)), max_size=3),
    min_size=1,
    max_size=8,
).map("".join)


def _storable(text: str) -> bool:
    # The catalogue's own TOML write and read keeps all but control characters (tab aside);
    # those are a foundation matter (see tests/test_formats_roundtrip.py).
    return all(char == "\t" or unicodedata.category(char) != "Cc" for char in text)


def _accepted(text: str) -> str:
    # Any text made into an item `csec check` accepts: one line, no ';', no outer spaces.
    return " ".join(text.replace(";", "").splitlines()).strip()


_item = _raw_item.map(_accepted).filter(lambda text: bool(text) and _storable(text))
_items = st.lists(_item, max_size=3).map(tuple)


def _catalogue_of(lists: list[tuple[tuple[str, ...], ...]], folder: Path) -> Path:
    resources = [
        Resource(
            id=f"resource-{index}",
            title=f"Resource number {index}",
            date=PartialDate(2009, 3, 1),
            **dict(zip(SUBJECT_LIST_FIELDS, values, strict=True)),
        )
        for index, values in enumerate(lists)
    ]
    path = folder / "source.toml"
    save_catalogue(Catalogue(path=path, resources=resources))
    return path


def _lists(path: Path) -> list[tuple[tuple[str, ...], ...]]:
    resources = sorted(load_catalogue(path).resources, key=lambda resource: resource.id)
    return [
        tuple(getattr(resource, name) for name in SUBJECT_LIST_FIELDS) for resource in resources
    ]


@pytest.mark.parametrize("format_name", ["csv", "json", "ris", "bibtex"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lists=st.lists(st.tuples(_items, _items, _items), min_size=1, max_size=3))
@example(lists=[(("a, b", "c"), ("child labour, forced", "x--y", "``quoted''"), ("^~",))])
@example(lists=[((), ("trata, explotación",), ("a  b", "c\u00a0d"))])
def test_every_list_item_check_accepts_comes_back_from_every_format(
    format_name: str, lists: list[tuple[tuple[str, ...], ...]]
) -> None:
    """Export then import gives back every audience, topic and country exactly, item for item."""
    with tempfile.TemporaryDirectory() as folder:
        source = _catalogue_of(lists, Path(folder))
        original = _lists(source)
        assert not [p for p in check_catalogue(load_catalogue(source)) if p.severity == "error"]
        target = Path(folder) / "target.toml"
        export_then_import(source, target, format_name)
        assert _lists(target) == original


@given(typed=st.lists(_raw_item, min_size=1, max_size=4))
def test_whatever_add_stores_is_an_item_check_accepts(typed: list[str]) -> None:
    """Items from flags or prompts never hold ';', a line break or outer spaces, so they survive."""
    try:
        items = parse_list(typed, "audience")
    except InvalidValueError:
        return  # an empty item, refused
    assert all(list_item_fault("audience", item) is None for item in items)


@given(item=st.tuples(_raw_item, _raw_item).map(";".join).filter(_storable))
def test_check_calls_every_item_holding_a_semicolon_an_error(item: str) -> None:
    """A hand-written item with ';' inside is a check error, so no export silently splits it."""
    fault = list_item_fault("audience", item)
    assert fault is not None and "separates list items" in fault


@given(items=st.lists(_item, min_size=1, max_size=4).map(tuple))
def test_the_current_value_edit_shows_reads_back_as_the_same_items(items: tuple[str, ...]) -> None:
    """`edit` shows current items joined so that retyping them gives the same items back."""
    assert tuple(split_answer(list_answer_text(items))) == items
