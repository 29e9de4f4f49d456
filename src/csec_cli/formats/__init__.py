"""The registry of export and import formats: one module per format, looked up by name or extension.

Writers stream: they take an iterable of resources and write each one as it comes, so a large
export never builds the whole text in memory. Readers turn a file's text into raw records
(field name → value, plus where in the file the record is); validating them into resources and
finding duplicates is decided once, in csec_cli.importing, for every format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from csec_cli.errors import CsecError
from csec_cli.formats.records import ExportOptions, ExportReport, ImportNotes, ImportRecord
from csec_cli.models import Resource

# The format modules import these from records.py (importing them from here would be a cycle).
__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportOptions",
    "ExportReport",
    "Format",
    "ImportNotes",
    "ImportRecord",
    "Reader",
    "Writer",
    "format_for_path",
    "get_format",
]


Writer = Callable[[Iterable[Resource], TextIO, ExportOptions], None]
# A reader gets the file's text and notes what it says once about the whole file.
Reader = Callable[[str, ImportNotes], Iterator[ImportRecord]]


@dataclass(frozen=True)
class Format:
    """A format csec can write, and perhaps read."""

    name: str
    extensions: tuple[str, ...]
    write: Writer
    read: Reader | None = None
    grouped_by_year: bool = False
    # Data formats report what they cannot carry; markdown and html are reports for people.
    reports_losses: bool = True


def _registry() -> dict[str, Format]:
    from csec_cli.formats import bibtex, html, json, markdown, ris
    from csec_cli.formats import csv as csv_format

    formats = [
        Format("csv", (".csv",), csv_format.write_csv, csv_format.read_csv),
        Format("json", (".json",), json.write_json, json.read_json),
        Format(
            "markdown",
            (".md", ".markdown"),
            markdown.write_markdown,
            grouped_by_year=True,
            reports_losses=False,
        ),
        Format("ris", (".ris",), ris.write_ris, ris.read_ris),
        Format("bibtex", (".bib", ".bibtex"), bibtex.write_bibtex, bibtex.read_bibtex),
        Format(
            "html", (".html", ".htm"), html.write_html, grouped_by_year=True, reports_losses=False
        ),
    ]
    return {item.name: item for item in formats}


EXPORT_FORMATS = ("csv", "json", "markdown", "ris", "bibtex", "html")
IMPORT_FORMATS = ("csv", "json", "ris", "bibtex")


def get_format(name: str) -> Format:
    """The format called `name` (any case)."""
    formats = _registry()
    chosen = formats.get(name.strip().lower())
    if chosen is None:
        from csec_cli.i18n import _

        raise CsecError(
            _("unknown format {name}; choose one of {formats}").format(
                name=repr(name), formats=", ".join(EXPORT_FORMATS)
            )
        )
    return chosen


def format_for_path(path: Path) -> Format | None:
    """The format a file name's extension suggests, if any."""
    suffix = path.suffix.lower()
    for candidate in _registry().values():
        if suffix in candidate.extensions:
            return candidate
    return None
