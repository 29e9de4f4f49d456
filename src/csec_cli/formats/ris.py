"""RIS, for Zotero, Mendeley and EndNote: csec types become the nearest RIS reference types.

The csec type itself travels in M3 ("type of work"), which Zotero keeps as the item's type;
audience and countries, which RIS has no tags for, travel as "Audience: …" and "Countries: …"
notes, and import reads them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import rispy

from csec_cli.formats.records import ExportOptions, ImportRecord
from csec_cli.models import Resource, fold_text

# csec type (folded) → RIS reference type; anything else is GEN (generic).
RIS_TYPES = {
    "manual": "BOOK", "book": "BOOK", "guide": "BOOK", "handbook": "BOOK", "toolkit": "BOOK",
    "study": "RPRT", "report": "RPRT", "paper": "RPRT", "research": "RPRT", "survey": "RPRT",
    "assessment": "RPRT", "rapid assessment": "RPRT", "protocol": "RPRT", "guidelines": "RPRT",
    "pamphlet": "PAMP", "leaflet": "PAMP", "brochure": "PAMP", "booklet": "PAMP",
    "bulletin": "PAMP", "newsletter": "PAMP", "poster": "PAMP",
    "information system": "DBASE", "database": "DBASE",
    "article": "JOUR", "journal article": "JOUR", "video": "VIDEO", "film": "VIDEO",
    "website": "ELEC", "web page": "ELEC", "law": "STAT", "legislation": "STAT",
}  # fmt: skip
# RIS reference type → csec type, for files without an M3 tag.
CSEC_TYPES = {
    "BOOK": "book", "RPRT": "report", "PAMP": "pamphlet", "DBASE": "database", "JOUR": "article",
    "VIDEO": "video", "ELEC": "web page", "STAT": "law", "THES": "thesis", "CHAP": "chapter",
}  # fmt: skip
_NOTE_FIELDS = {"audience": "Audience", "countries": "Countries"}


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the "1." counter line, so entries can be written one at a time."""

    def set_header(self, count: int) -> str:
        return ""


def ris_type(csec_type: str | None) -> str:
    """The nearest RIS reference type."""
    return RIS_TYPES.get(fold_text(csec_type or ""), "GEN")


def _line(text: str) -> str:
    # RIS is line-based: a line break inside a value would start a bogus tag.
    return " ".join(text.split())


def _item(text: str) -> str:
    # A list item is one line (`csec check` says so), kept as it is, inner spaces included, so
    # that it reads back as itself; a line break is still never written.
    return " ".join(text.splitlines())


def ris_entry(resource: Resource) -> dict[str, Any]:
    """The rispy dictionary for one resource."""
    entry: dict[str, Any] = {"type_of_reference": ris_type(resource.type), "id": resource.id}
    entry["title"] = _line(resource.title)
    if resource.date:
        date = resource.date
        entry["year"] = f"{date.year:04d}"
        month = f"{date.month:02d}" if date.month else ""
        day = f"{date.day:02d}" if date.day else ""
        entry["date"] = f"{date.year:04d}/{month}/{day}/"
    if resource.summary:
        entry["abstract"] = _line(resource.summary)
    if resource.type:
        entry["type_of_work"] = _line(resource.type)
    if resource.topics:
        entry["keywords"] = [_item(topic) for topic in resource.topics]
    notes = [
        f"{label}: {'; '.join(_item(value) for value in getattr(resource, name))}"
        for name, label in _NOTE_FIELDS.items()
        if getattr(resource, name)
    ]
    if notes:
        entry["notes"] = notes
    for name, key in (("language", "language"), ("publisher", "publisher")):
        if getattr(resource, name):
            entry[key] = _line(getattr(resource, name))
    if resource.url:
        entry["urls"] = [_line(resource.url)]
    return entry


def write_ris(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """One TY … ER block per resource, separated by a blank line."""
    del options
    writer = _Writer()
    for index, resource in enumerate(resources):
        stream.write(("\n" if index else "") + writer.formats([ris_entry(resource)]))


def _record_fields(entry: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    title = entry.get("title") or entry.get("primary_title")
    if title:
        fields["title"] = title
    date = (
        _ris_date(entry.get("date"))
        or _ris_date(entry.get("year"))
        or _ris_date(entry.get("publication_year"))
    )
    if date:
        fields["date"] = date
    summary = entry.get("abstract") or entry.get("notes_abstract")
    if summary:
        fields["summary"] = summary
    kind = entry.get("type_of_work") or CSEC_TYPES.get(str(entry.get("type_of_reference", "")))
    if kind:
        fields["type"] = kind
    if entry.get("keywords"):
        fields["topics"] = list(entry["keywords"])
    for note in entry.get("notes") or []:
        for name, label in _NOTE_FIELDS.items():
            if note.startswith(f"{label}: "):
                fields[name] = note[len(label) + 2 :]
    for key in ("language", "publisher", "id"):
        if entry.get(key):
            fields[key] = entry[key]
    if entry.get("urls"):
        fields["url"] = entry["urls"][0]
    return fields


def _ris_date(value: Any) -> str | None:
    """RIS dates are "YYYY/MM/DD/other", any part possibly empty; keep only what is given."""
    if not isinstance(value, str) or not value.strip():
        return None
    parts = value.strip().split("/")
    if not re.fullmatch(r"\d{4}", parts[0]):
        return value.strip()
    kept = [parts[0]]
    for part in parts[1:3]:
        if not part.isdigit():
            break
        kept.append(f"{int(part):02d}")
    return "-".join(kept)


def read_ris(text: str) -> Iterator[ImportRecord]:
    """Each TY … ER block is one record, `line N` being where its TY tag is."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not block and not line.strip():
            continue
        if not block:
            start = number
        block.append(line)
        if re.match(r"^ER  -", line):
            yield _read_block(block, start)
            block = []
    if any(line.strip() for line in block):
        yield ImportRecord(f"line {start}", problem="has no closing `ER  -` line")


def _read_block(block: list[str], start: int) -> ImportRecord:
    where = f"line {start}"
    if not re.match(r"^TY  - ", block[0]):
        return ImportRecord(where, problem="does not start with a `TY  - ` line")
    try:
        entries = rispy.loads("\n".join(block) + "\n")
    except (OSError, ValueError) as error:  # what rispy raises for a malformed block
        return ImportRecord(where, problem=f"not readable as RIS ({error})")
    if len(entries) != 1:
        return ImportRecord(where, problem="not readable as one RIS entry")
    return ImportRecord(where, _record_fields(entries[0]))
