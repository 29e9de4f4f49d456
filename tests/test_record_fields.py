"""Tests for the bibliographic fields on the command line: add/edit flags, show, --json, check,
the --author filter and search (issue 14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tomli

from conftest import RunCli
from csec_cli.field_values import file_as_stored, list_answer_text, split_answer

RECORD_FLAGS = [
    "--author", "Pérez, Ana María", "--author", "OIT/IPEC; UNICEF",
    "--isbn", "978-92-2-122345-0", "--issn", "2227-2704", "--place", "San José",
    "--series", "Thematic bulletin", "--notes", "Also in the Spanish edition.",
    "--file", "pdf/taking-action.pdf",
]  # fmt: skip


def table_of(path: Path, resource_id: str) -> dict[str, object]:
    """The table of one resource in a catalogue file."""
    tables = tomli.loads(path.read_text(encoding="utf-8"))["resources"]
    return next(dict(table) for table in tables if table["id"] == resource_id)


@pytest.fixture
def recorded(run_cli: RunCli, catalogue: Path) -> str:
    """The id of a resource added to the seed copy with every bibliographic field."""
    (catalogue.parent / "pdf").mkdir()
    (catalogue.parent / "pdf" / "taking-action.pdf").write_bytes(b"%PDF-1.4\n")
    result = run_cli("add", "--title", "Estudio regional", "--date", "2010", *RECORD_FLAGS, "--yes")
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_add_flags_store_each_field_in_contract_order(
    run_cli: RunCli, catalogue: Path, recorded: str
) -> None:
    """--author (repeatable, 'a; b' two), --isbn, --issn, --place, --series, --notes and --file
    are stored, after `added`, in DESIGN.md's order."""
    table = table_of(catalogue, recorded)
    assert table["authors"] == ["Pérez, Ana María", "OIT/IPEC", "UNICEF"]
    assert table["isbn"] == "978-92-2-122345-0"
    assert table["issn"] == "2227-2704"
    assert table["place"] == "San José"
    assert table["series"] == "Thematic bulletin"
    assert table["notes"] == "Also in the Spanish edition."
    assert table["files"] == ["pdf/taking-action.pdf"]
    assert list(table)[-8:] == [
        "added", "authors", "isbn", "issn", "place", "series", "notes", "files",
    ]  # fmt: skip


def test_show_has_a_line_for_each_field_and_json_carries_them(
    run_cli: RunCli, recorded: str
) -> None:
    """`show` labels every new field; `show --json` and `list --json` hold them all."""
    shown = run_cli("show", recorded).stdout
    for label, value in (
        ("authors", "Pérez, Ana María; OIT/IPEC; UNICEF"),
        ("isbn", "978-92-2-122345-0"),
        ("issn", "2227-2704"),
        ("place", "San José"),
        ("series", "Thematic bulletin"),
        ("files", "pdf/taking-action.pdf"),
        ("notes", "Also in the Spanish edition."),
    ):
        assert re.search(rf"^{label} +{re.escape(value)}", shown, re.MULTILINE), label
    data = json.loads(run_cli("show", recorded, "--json").stdout)
    assert data["authors"] == ["Pérez, Ana María", "OIT/IPEC", "UNICEF"]
    assert data["files"] == ["pdf/taking-action.pdf"]
    assert data["notes"] == "Also in the Spanish edition."
    listed = json.loads(run_cli("list", "--json").stdout)
    plain = next(item for item in listed if item["id"] == "media-strategy")
    assert plain["authors"] == [] and plain["isbn"] is None and plain["files"] == []


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--isbn", "978-92-2-122345-1", "--isbn: '978-92-2-122345-1' ends in 1, but its other "
         "digits call for the check digit 0"),
        ("--isbn", "92-2-12234", "--isbn: '92-2-12234' has 8 digits; an ISBN has 10 or 13"),
        ("--issn", "2227-2705", "--issn: '2227-2705' ends in 5"),
        ("--author", " ; ", "--author: authors has an empty item"),
    ],
)  # fmt: skip
def test_add_refuses_a_wrong_number_with_one_line(
    run_cli: RunCli, catalogue: Path, flag: str, value: str, said: str
) -> None:
    """A wrong ISBN or ISSN check digit, or an empty author, is one error line, exit 1, no write."""
    before = catalogue.read_bytes()
    result = run_cli("add", "--title", "A new title altogether", flag, value, "--yes")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {said}" + result.stderr.removeprefix(f"Error: {said}")
    assert result.stderr.count("\n") == 1
    assert catalogue.read_bytes() == before


def test_edit_replaces_authors_and_files_and_clears_each_field(
    run_cli: RunCli, catalogue: Path, recorded: str
) -> None:
    """--author replaces the whole list; --clear empties any of the new fields."""
    result = run_cli("edit", recorded, "--author", "Gómez, Luis", "--place", "Lima", "--yes")
    assert result.exit_code == 0, result.stderr
    table = table_of(catalogue, recorded)
    assert table["authors"] == ["Gómez, Luis"]
    assert table["place"] == "Lima"
    clears = [arg for name in ("authors", "isbn", "issn", "place", "series", "notes", "files")
              for arg in ("--clear", name)]  # fmt: skip
    result = run_cli("edit", recorded, *clears, "--yes")
    assert result.exit_code == 0, result.stderr
    table = table_of(catalogue, recorded)
    assert not {"authors", "isbn", "issn", "place", "series", "notes", "files"} & set(table)


def test_edit_refuses_a_wrong_isbn(run_cli: RunCli, catalogue: Path) -> None:
    """edit --isbn with a wrong check digit changes nothing and says which digit."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", "--isbn", "0-306-40615-3", "--yes")
    assert result.exit_code == 1
    assert "check digit 2" in result.stderr
    assert catalogue.read_bytes() == before


def test_add_with_a_missing_file_warns_and_keeps_it(run_cli: RunCli, catalogue: Path) -> None:
    """A --file that is not there yet is kept as given, with a warning naming where csec looked."""
    result = run_cli("add", "--title", "Scanned later", "--file", "scans/later.pdf", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Warning: file 'scans/later.pdf' does not exist" in result.stderr
    assert str(catalogue.parent / "scans" / "later.pdf") in result.stderr
    assert table_of(catalogue, "scanned-later")["files"] == ["scans/later.pdf"]


def test_file_paths_are_stored_from_the_catalogues_folder(tmp_path: Path) -> None:
    """A path typed from the current folder is kept relative to the catalogue's folder when the
    file is inside it, absolute when it is elsewhere, and as typed when there is no such file."""
    folder = tmp_path / "team"
    (folder / "pdf").mkdir(parents=True)
    inside = folder / "pdf" / "a.pdf"
    inside.write_bytes(b"")
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(b"")
    assert file_as_stored(str(inside), folder) == "pdf/a.pdf"
    assert file_as_stored(str(outside), folder) == str(outside)
    assert file_as_stored("not/there.pdf", folder) == "not/there.pdf"


def test_author_answers_split_only_at_semicolons() -> None:
    """An author's comma is part of the name; ';' separates authors, both ways."""
    assert split_answer("Pérez, Ana María", "authors") == ["Pérez, Ana María"]
    assert split_answer("Pérez, Ana; OIT/IPEC", "authors") == ["Pérez, Ana", "OIT/IPEC"]
    assert split_answer("media, lobbying", "topics") == ["media", "lobbying"]
    items = ("Pérez, Ana", "OIT/IPEC")
    assert split_answer(list_answer_text(items, "authors"), "authors") == list(items)
    assert split_answer(list_answer_text(("Pérez, Ana",), "authors"), "authors") == ["Pérez, Ana"]


BAD_RECORD = """
[[resources]]
id = "bad-numbers"
title = "A resource with a wrong ISBN"
date = 2009-03-01
authors = [" Pérez, Ana", "OIT; IPEC"]
isbn = "978-92-2-122345-1"
issn = "2227-2705"
files = ["gone.pdf", "/no/such/folder/file.pdf"]

[[resources]]
id = "other"
title = "Another resource"
date = 2009-03-01
"""


@pytest.fixture
def bad_catalogue(tmp_path: Path) -> Path:
    """A catalogue whose one resource has wrong numbers, faulty authors and missing files."""
    path = tmp_path / "bad.toml"
    path.write_text(BAD_RECORD, encoding="utf-8")
    return path


def test_check_reports_wrong_numbers_and_authors_as_errors_and_missing_files_as_warnings(
    run_cli: RunCli, bad_catalogue: Path
) -> None:
    """ISBN and ISSN check digits and faulty author items are errors; absent files are warnings."""
    result = run_cli("check", path=bad_catalogue)
    assert result.exit_code == 1
    text = result.stdout + result.stderr
    assert (
        "isbn '978-92-2-122345-1' ends in 1, but its other digits call for the check digit 0"
        in text
    )
    assert "issn '2227-2705' ends in 5, but its other digits call for the check digit 4" in text
    assert "authors ' Pérez, Ana' has spaces around it; write it as 'Pérez, Ana'" in text
    assert "authors 'OIT; IPEC' holds ';'" in text
    errors = [line for line in text.splitlines() if line.lower().startswith("error")]
    warnings = [line for line in text.splitlines() if line.lower().startswith("warning")]
    assert len(errors) == 4
    assert any("file 'gone.pdf' does not exist" in line for line in warnings)
    assert any("file '/no/such/folder/file.pdf' does not exist" in line for line in warnings)
    assert str(bad_catalogue.parent / "gone.pdf") in text


def test_a_wrong_isbn_stops_writes_until_the_edit_that_fixes_it(
    run_cli: RunCli, bad_catalogue: Path
) -> None:
    """While check reports the wrong ISBN, other writes are refused naming the remedy; the edit
    of that resource that fixes every fault is accepted."""
    refused = run_cli("edit", "other", "--place", "Lima", "--yes", path=bad_catalogue)
    assert refused.exit_code == 1
    assert "--isbn ISBN (or --clear isbn)" in refused.stderr
    fixed = run_cli(
        "edit", "bad-numbers", "--isbn", "978-92-2-122345-0", "--clear", "issn",
        "--author", "Pérez, Ana", "--author", "OIT/IPEC", "--yes", path=bad_catalogue,
    )  # fmt: skip
    assert fixed.exit_code == 0, fixed.stderr
    assert run_cli("edit", "other", "--place", "Lima", "--yes", path=bad_catalogue).exit_code == 0


AUTHORS = """
[[resources]]
id = "perez-study"
title = "Estudio sobre explotación sexual comercial"
date = 2009-03-01
authors = ["Pérez, Ana María"]

[[resources]]
id = "ipec-leaflet"
title = "Leaflet on commercial sexual exploitation"
date = 2008-11-01
type = "leaflet"
authors = ["OIT/IPEC"]

[[resources]]
id = "no-author"
title = "Manual without any author recorded"
date = 2008-09-01
"""


@pytest.fixture
def authors_catalogue(tmp_path: Path) -> Path:
    """Three resources: by a person, by an organisation, and with no author."""
    path = tmp_path / "authors.toml"
    path.write_text(AUTHORS, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (["perez"], ["perez-study"]),
        (["PÉREZ"], ["perez-study"]),
        (["ana pérez"], ["perez-study"]),
        (["Pérez, Ana"], ["perez-study"]),
        (["maria"], ["perez-study"]),
        (["OIT"], ["ipec-leaflet"]),
        (["ipec"], ["ipec-leaflet"]),
        (["perez", "oit"], ["perez-study", "ipec-leaflet"]),
        (["gomez"], []),
    ],
)
def test_author_filter_matches_any_part_of_a_name(
    run_cli: RunCli, authors_catalogue: Path, values: list[str], found: list[str]
) -> None:
    """--author finds a name by any part of it, without case or accents; several mean any."""
    flags = [arg for value in values for arg in ("--author", value)]
    result = run_cli("list", *flags, "--json", path=authors_catalogue)
    assert result.exit_code == 0, result.stderr
    assert [item["id"] for item in json.loads(result.stdout)] == found


def test_author_filter_works_on_search_export_and_stats(
    run_cli: RunCli, authors_catalogue: Path
) -> None:
    """The same --author filter narrows search, export and stats, and combines with the others."""
    searched = run_cli(
        "search", "sexual exploitation", "--author", "perez", "--json", path=authors_catalogue
    )
    assert [item["id"] for item in json.loads(searched.stdout)] == ["perez-study"]
    exported = run_cli(
        "export", "--format", "json", "--author", "oit", "--type", "leaflet", path=authors_catalogue
    )
    assert exported.exit_code == 0, exported.stderr
    assert [item["id"] for item in json.loads(exported.stdout)] == ["ipec-leaflet"]
    stats = run_cli("stats", "--author", "perez", "--json", path=authors_catalogue)
    assert stats.exit_code == 0, stats.stderr
    assert json.loads(stats.stdout)["resources"] == 1


def test_search_finds_a_resource_by_its_author(run_cli: RunCli, authors_catalogue: Path) -> None:
    """An author's name is searched like the list fields: "perez" finds Pérez's study."""
    result = run_cli("search", "perez", "--json", path=authors_catalogue)
    assert result.exit_code == 0, result.stderr
    assert [item["id"] for item in json.loads(result.stdout)][:1] == ["perez-study"]


def test_interactive_edit_shows_authors_with_semicolons_and_reads_them_back(
    run_cli: RunCli, catalogue: Path, recorded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the authors are offered joined by ';' (a name keeps its comma); Enter keeps
    them, and a new answer is split at ';' only."""
    from csec_cli.commands import prompting
    from csec_cli.field_values import EDITABLE_FIELDS

    monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)
    kept = run_cli("edit", recorded, input="\n" * len(EDITABLE_FIELDS))
    assert kept.exit_code == 0, kept.stderr
    assert (
        "Authors (Surname, Given names; ...) [Pérez, Ana María; OIT/IPEC; UNICEF]:" in kept.stderr
    )
    assert "Nothing was changed." in kept.stderr
    answers = ["", "Gómez, Luis; Pérez, Ana María"] + [""] * (len(EDITABLE_FIELDS) - 2) + ["y"]
    changed = run_cli("edit", recorded, input="\n".join(answers) + "\n")
    assert changed.exit_code == 0, changed.stderr
    assert table_of(catalogue, recorded)["authors"] == ["Gómez, Luis", "Pérez, Ana María"]


def test_import_rejects_a_record_whose_isbn_check_digit_is_wrong(
    run_cli: RunCli, catalogue: Path, tmp_path: Path
) -> None:
    """Import reads authors and the other fields from CSV columns, and rejects (with its reason)
    a record that `check` would fault for a wrong ISBN, as add does."""
    source = tmp_path / "team.csv"
    source.write_text(
        "title,authors,isbn,place\r\n"
        'Estudio uno,"Pérez, Ana María; OIT/IPEC",978-92-2-122345-0,San José\r\n'
        "Estudio dos,,978-92-2-122345-1,\r\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(source))
    assert result.exit_code == 0, result.stderr
    assert "rejected 1" in result.stderr
    assert "check digit 0" in result.stderr
    table = table_of(catalogue, "estudio-uno")
    assert table["authors"] == ["Pérez, Ana María", "OIT/IPEC"]
    assert (table["isbn"], table["place"]) == ("978-92-2-122345-0", "San José")


def test_files_differing_only_in_case_are_two_files_while_authors_are_one() -> None:
    """Duplicates are dropped without case or accents for authors, but paths keep their case."""
    from csec_cli.field_values import parse_list

    assert parse_list(["pdf/A.pdf", "pdf/a.pdf"], "files") == ("pdf/A.pdf", "pdf/a.pdf")
    assert parse_list(["Pérez, Ana", "PEREZ, ANA"], "authors") == ("Pérez, Ana",)


def test_edit_add_file_stores_the_typed_path_from_the_catalogues_folder_and_keeps_the_rest(
    run_cli: RunCli, catalogue: Path, recorded: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """--add-file reads the new path from the current folder and stores it relative to the
    catalogue's folder; the paths already stored are left exactly as they were."""
    (catalogue.parent / "pdf" / "annex.pdf").write_bytes(b"%PDF-1.4\n")
    elsewhere = tmp_path / "work"
    (elsewhere / "pdf").mkdir(parents=True)
    (elsewhere / "pdf" / "taking-action.pdf").write_bytes(b"")  # same name, another file
    monkeypatch.chdir(elsewhere)
    result = run_cli("edit", recorded, "--add-file", str(catalogue.parent / "pdf" / "annex.pdf"))
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, recorded)["files"] == ["pdf/taking-action.pdf", "pdf/annex.pdf"]
    assert "Warning" not in result.stderr
