"""Hostile files to import: malformed csv, json, ris and bibtex, as a fuzzer writes them.

Each case is a file that once made `csec import` print a traceback; every one must end in a
report (records rejected or dropped, one line each) or one `Error:` line, the catalogue as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csec_cli.catalogue import load_catalogue

from .invocations import folder_state, run_in_process, run_installed

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "text",
    ["TY  - BOOK\nAB-no space around the dash\nTI  - A guide\nER  - \n"],
    ids=["line after TY without a tag"],
)
def test_ris_lines_rispy_files_under_no_tag_are_dropped_and_reported(
    text: str, catalogue: Path, tmp_path: Path
) -> None:
    """A RIS line with no tag of its own right after TY is reported as dropped; the record stays."""
    incoming = tmp_path / "incoming.ris"
    incoming.write_text(text, encoding="utf-8")
    result = run_in_process(catalogue, ["import", str(incoming)])
    assert result.exit_code == 0, result.stderr
    assert "Dropped a line with no tag in 1 record." in result.stderr
    assert "A guide" in [resource.title for resource in load_catalogue(catalogue).resources]


def test_a_ris_record_of_only_an_untagged_line_is_rejected_in_one_line(
    catalogue: Path, tmp_path: Path
) -> None:
    """A record holding nothing but a type and an untagged line has no title: one error line."""
    incoming = tmp_path / "incoming.ris"
    incoming.write_text("TY  - -1\nAB-{\\'e}\nER  - \n", encoding="utf-8")
    before = folder_state(catalogue.parent)
    result = run_in_process(catalogue, ["import", str(incoming)])
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "no valid record" in error
    assert folder_state(catalogue.parent) == before


def test_a_json_number_too_long_for_python_is_one_error_line(
    catalogue: Path, tmp_path: Path
) -> None:
    """An integer of 5,000 digits, which Python refuses to read, is one error line, not a crash."""
    incoming = tmp_path / "incoming.json"
    incoming.write_text('[{"title": "A guide", "shelf": 1' + "0" * 5000 + "}]", encoding="utf-8")
    before = folder_state(catalogue.parent)
    result = run_in_process(catalogue, ["import", str(incoming)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and "a number has more than 4300 digits" in line
    assert folder_state(catalogue.parent) == before


def test_a_csv_cell_over_128_kib_is_imported_whole(catalogue: Path, tmp_path: Path) -> None:
    """export writes a 200,000-character summary as one cell; import reads it back, and the
    rows after it too (the csv module's own limit is 128 KiB)."""
    summary = "Long summary " + "x" * 200_000
    edited = run_in_process(catalogue, ["edit", "media-strategy", "--summary", summary, "--yes"])
    assert edited.exit_code == 0, edited.stderr
    exported = tmp_path / "exported.csv"
    result = run_in_process(catalogue, ["export", "--output", str(exported)])
    assert result.exit_code == 0, result.stderr
    fresh = tmp_path / "fresh" / "resources.toml"
    result = run_in_process(fresh, ["import", str(exported)])
    assert result.exit_code == 0, result.stderr
    resources = load_catalogue(fresh).resources
    assert len(resources) == len(load_catalogue(catalogue).resources)
    [imported] = [resource for resource in resources if resource.id == "media-strategy"]
    assert imported.summary == summary


def test_a_megabyte_bibtex_field_is_imported_in_moments(catalogue: Path, tmp_path: Path) -> None:
    """A 1 MB title in BibTeX is read in well under a second; pylatexenc, which csec leaves out
    for text without LaTeX in it, took 15 s (its reader grows a string a character at a time)."""
    title = "Long " + "x" * 1_000_000
    incoming = tmp_path / "incoming.bib"
    incoming.write_text(f"@book{{k, title = {{{title}}}, year = {{2009}}}}\n", encoding="utf-8")
    result = run_installed(catalogue, ["import", str(incoming)], timeout=10)
    assert result.returncode == 0, result.stderr
    assert title in [resource.title for resource in load_catalogue(catalogue).resources]
