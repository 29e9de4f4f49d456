"""`csec import`: validation with row numbers, duplicates, similar titles, one atomic write."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import REPO, RunCli
from csec_cli.catalogue import load_catalogue

ILO = REPO / "benchmarks" / "data" / "ilo-listings.json"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_any_case_headers_and_list_cells(run_cli: RunCli, tmp_path: Path) -> None:
    """Column names in any case; `;` splits list cells; the missing catalogue is created."""
    source = _write(
        tmp_path / "team.csv",
        "Title,DATE,Audience,Countries,Notes,Shelf\r\n"
        'Guide for inspectors,March 2009,labour inspectors; judges,"Panamá;Costa Rica",seen,B2\r\n'
        "Undated leaflet,,,,,\r\n",
    )
    target = tmp_path / "new" / "catalogue.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Added 2, skipped 0 as duplicates, flagged 0 as similar, rejected 0." in result.stderr
    guide, leaflet = load_catalogue(target).resources
    assert guide.title == "Guide for inspectors"
    assert guide.date is not None and guide.date.iso() == "2009-03"
    assert guide.audience == ("labour inspectors", "judges")
    assert guide.countries == ("Panamá", "Costa Rica")
    assert guide.notes == "seen"
    assert guide.extra == {"Shelf": "B2"}
    assert guide.added is not None and guide.added.utcoffset() is not None
    assert leaflet.date is None and leaflet.id == "undated-leaflet"


def test_bad_rows_are_reported_with_row_numbers_and_skipped(
    run_cli: RunCli, tmp_path: Path, catalogue: Path
) -> None:
    """A row without a title or with an impossible date is named by row and left out."""
    source = _write(
        tmp_path / "rows.csv",
        'title,date,summary\nGood one,2010,"two\nlines"\n,2011,no title\nBad date,2011-02-30,x\n',
    )
    before = len(load_catalogue(catalogue).resources)
    result = run_cli("import", str(source))
    assert result.exit_code == 0
    # Row 2 spans lines 2-3, so later rows name both their spreadsheet row and their line.
    assert "row 3 (line 4): has no title (rejected)" in result.stderr
    assert "row 4 (line 5): date '2011-02-30' is not a real date" in result.stderr
    assert "Added 1, skipped 0 as duplicates, flagged 0 as similar, rejected 2." in result.stderr
    assert len(load_catalogue(catalogue).resources) == before + 1


def test_strict_aborts_and_writes_nothing(run_cli: RunCli, tmp_path: Path, catalogue: Path) -> None:
    """--strict: one bad row means exit 1 and the catalogue untouched."""
    source = _write(tmp_path / "rows.csv", "title,date\nGood one,2010\nBad,someday\n")
    before = catalogue.read_bytes()
    result = run_cli("import", str(source), "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "row 3: date 'someday' is not a date" in result.stderr
    assert (
        "Error: 1 invalid record in" in result.stderr
        and "nothing imported (--strict)" in result.stderr
    )
    assert catalogue.read_bytes() == before


def test_importing_twice_adds_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    """Duplicates (same folded title and date) of the catalogue or of earlier rows are skipped."""
    source = _write(
        tmp_path / "twice.csv",
        "title,date\nThe Mekong Challenge,2005\n"
        "the mekong  challenge!,2005\nThe Mekong Challenge,2006\n",
    )
    target = tmp_path / "c.toml"
    first = run_cli("import", str(source), path=target)
    assert first.exit_code == 0, first.stderr
    assert "row 3: 'the mekong  challenge!' is already there as row 2 (skipped)" in first.stderr
    assert "row 4: 'The Mekong Challenge' is similar to row 2" in first.stderr
    assert "Added 2, skipped 1 as duplicates, flagged 1 as similar, rejected 0." in first.stderr
    written = target.read_bytes()
    second = run_cli("import", str(source), path=target)
    assert second.exit_code == 0
    assert "Added 0, skipped 3 as duplicates, flagged 0 as similar, rejected 0." in second.stderr
    assert target.read_bytes() == written


def test_similar_titles_are_flagged_or_skipped(run_cli: RunCli, tmp_path: Path) -> None:
    """A close title is imported and listed for review; --skip-similar leaves it out."""
    target = tmp_path / "c.toml"
    run_cli(
        "import", str(_write(tmp_path / "a.csv", "title\nUpdate Sialkot - Issue 1\n")), path=target
    )
    source = _write(tmp_path / "b.csv", "title\nUpdate Sialkot - Issue 2\n")
    skipped = run_cli("import", str(source), "--skip-similar", path=target)
    assert (
        "row 2: 'Update Sialkot - Issue 2' is similar to 'update-sialkot-issue-1' (skipped)"
        in skipped.stderr
    )
    assert len(load_catalogue(target).resources) == 1
    flagged = run_cli("import", str(source), path=target)
    assert "imported as 'update-sialkot-issue-2'; review it" in flagged.stderr
    assert len(load_catalogue(target).resources) == 2


def test_dry_run_changes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    """--dry-run reports what would be added and writes no file."""
    target = tmp_path / "c.toml"
    result = run_cli(
        "import", str(_write(tmp_path / "a.csv", "title\nOne\n")), "--dry-run", path=target
    )
    assert result.exit_code == 0
    assert "Would add 1, skipped 0" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("latin1.csv", b"title\ncaf\xe9\n", "not UTF-8 text"),
        ("notitle.csv", "name,date\nx,2009\n", "the CSV header has no title column"),
        ("bad.json", '{"title": "x"', "not valid JSON"),
        ("object.json", '{"title": "x"}', "must hold an array"),
        ("allbad.csv", "title,date\nx,never\n", "no valid record in"),
    ],
)
def test_unusable_files_exit_1(
    run_cli: RunCli, tmp_path: Path, name: str, text: str | bytes | None, message: str
) -> None:
    """A missing, non-UTF-8 or malformed file, or one without a valid record, is exit 1."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    elif text is not None:
        path.write_text(text, encoding="utf-8")
    result = run_cli("import", str(path), path=tmp_path / "c.toml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert not (tmp_path / "c.toml").exists()


def test_format_flag_and_unknown_extension(run_cli: RunCli, tmp_path: Path) -> None:
    """The format comes from the extension, or --format; an unknown one is a usage error."""
    source = _write(tmp_path / "list.txt", "title\nOne\n")
    assert run_cli("import", str(source), path=tmp_path / "c.toml").exit_code == 2
    assert (
        run_cli("import", str(source), "--format", "html", path=tmp_path / "c.toml").exit_code == 2
    )
    result = run_cli("import", str(source), "--format", "CSV", path=tmp_path / "c.toml")
    assert result.exit_code == 0, result.stderr


def _ilo_entries() -> list[dict[str, str | None]]:
    entries: list[dict[str, str | None]] = json.loads(ILO.read_text(encoding="utf-8"))
    return entries


def test_ilo_listings_as_json_all_79_kept(run_cli: RunCli, tmp_path: Path) -> None:
    """The 79 ILO listing entries import from JSON into an empty catalogue, undated ones kept."""
    entries = _ilo_entries()
    source = tmp_path / "ilo.json"
    source.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "c.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    assert "Added 79, skipped 0 as duplicates" in result.stderr
    resources = load_catalogue(target).resources
    assert len(resources) == 79
    undated = sum(entry["date"] is None for entry in entries)
    assert undated > 0
    assert sum(resource.date is None for resource in resources) == undated
    assert [r.title for r in resources] == [entry["title"] for entry in entries]


def test_ilo_listings_as_csv_all_79_kept(run_cli: RunCli, tmp_path: Path) -> None:
    """The same 79 entries as a spreadsheet-style CSV import alike, summaries and dates kept."""
    entries = _ilo_entries()
    source = tmp_path / "ilo.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Date", "Summary", "Listed at"])
        for entry in entries:
            writer.writerow(
                [entry["title"], entry["date"] or "", entry["summary"], entry["listed_at"]]
            )
    target = tmp_path / "c.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    resources = load_catalogue(target).resources
    assert len(resources) == 79
    for resource, entry in zip(resources, entries, strict=True):
        assert resource.date == (None if entry["date"] is None else resource.date)
        assert (resource.date.iso() if resource.date else None) == entry["date"]
        assert resource.summary == (entry["summary"] or None)
        assert resource.extra == {"Listed at": entry["listed_at"]}


@pytest.mark.parametrize("format_name", ["ris", "bibtex"])
def test_reference_formats_import_back(run_cli: RunCli, tmp_path: Path, format_name: str) -> None:
    """RIS and BibTeX exports of the seed import into an empty catalogue with ids, types, dates."""
    exported = tmp_path / f"seed.{format_name}"
    assert run_cli("export", "-f", format_name, "-o", str(exported)).exit_code == 0
    seed = run_cli("list", "--json")
    target = tmp_path / "c.toml"
    result = run_cli("import", str(exported), path=target)
    assert result.exit_code == 0, result.stderr
    imported = {r.id: r for r in load_catalogue(target).resources}
    for original in json.loads(seed.stdout):
        resource = imported[original["id"]]
        assert resource.title == original["title"]
        assert resource.type == original["type"]
        assert (resource.date.iso() if resource.date else None) == original["date"]
        assert list(resource.topics) == original["topics"]
        assert list(resource.countries) == original["countries"]
        assert list(resource.audience) == original["audience"]


def test_broken_bibtex_and_ris_entries_are_named_by_line(run_cli: RunCli, tmp_path: Path) -> None:
    """Unreadable or title-less entries are rejected with the line they start on."""
    ris = _write(
        tmp_path / "a.ris", "TY  - RPRT\nTI  - Good\nER  - \n\nTY  - RPRT\nPY  - 2009\nER  - \n"
    )
    result = run_cli("import", str(ris), path=tmp_path / "c.toml")
    assert "line 5: has no title (rejected)" in result.stderr
    bib = _write(
        tmp_path / "a.bib", "@misc{good,\n title = {Good two}\n}\n\n@misc{bad,\n year = {2009}\n}\n"
    )
    result = run_cli("import", str(bib), path=tmp_path / "c.toml")
    assert "line 5: has no title (rejected)" in result.stderr
    assert "Added 1," in result.stderr
