"""RIS, for Zotero, Mendeley and EndNote: csec types become the nearest RIS reference types.

The csec type itself travels in M3 ("type of work"), which Zotero keeps as the item's type;
audience and countries, which RIS has no tags for, travel as "Audience: …" and "Countries: …"
notes after the resource's own, and import reads them back, also as Zotero gives them back
("<p>Audience: …</p>"). Every tag csec has no field for is kept on import as an extra
key named as rispy names it (Y2 → access_date), and export writes such keys back with their tag.
Each tag may repeat: every value is read, none is taken over by a later one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import rispy

from csec_cli.formats.records import ExportOptions, ExportReport, ImportNotes, ImportRecord
from csec_cli.i18n import _
from csec_cli.identifiers import identifier_in, isbn_fault, issn_fault
from csec_cli.models import FIELD_ORDER, Resource, fold_text

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
_NOTE_LABELS = {label: name for name, label in _NOTE_FIELDS.items()}
# A field note as csec writes it ("Audience: a; b"), or as Zotero gives it back after importing
# it (one HTML paragraph, "<p>Audience: a; b</p>"); an empty one ("Audience:") says "none".
_FIELD_NOTE = re.compile(
    r"^(?P<p><p>)?(?P<label>" + "|".join(_NOTE_LABELS) + r"):(?: (?P<value>.*?))?(?(p)</p>)$"
)
# Reference types whose series Zotero reads from T2 (series for books, series title for reports);
# every other type has it in T3.
_SERIES_IN_T2 = frozenset({"BOOK", "RPRT"})
# Tags that csec's own fields use, and so never name an extra key.
_CSEC_TAGS = frozenset(
    {"TY", "ID", "TI", "T1", "AU", "A1", "PY", "Y1", "DA", "AB", "N2", "M3", "KW", "N1", "LA",
     "PB", "CY", "SN", "T2", "T3", "L1", "UR", "ER", "UK"}
)  # fmt: skip
# An SN that is neither an ISBN nor an ISSN (Zotero writes a report's number there).
SERIAL_NUMBER = "serial_number"
# The extra key for a tag rispy does not know: ris_XX.
_UNKNOWN_PREFIX = "ris_"
_TAG_PATTERN = re.compile(r"^[A-Z][A-Z0-9]$")
_EXTRA_TAGS = {
    key: tag
    for tag, key in rispy.TAG_KEY_MAPPING.items()
    if tag not in _CSEC_TAGS and key not in FIELD_ORDER
}
_EXTRA_TAGS[SERIAL_NUMBER] = "SN"
_TAG_KEYS = {tag: key for key, tag in _EXTRA_TAGS.items() if tag != "SN"}
# Every tag is read and written as a list, so that no repeated tag overwrites another and no url
# is cut at a ';' (rispy's default for UR).
_LIST_TAGS = sorted(set(rispy.TAG_KEY_MAPPING) - {"TY", "ER", "UK"})
_READING = {"list_tags": _LIST_TAGS, "delimiter_tags_mapping": {}}


def isbn_or_issn(value: str) -> str | None:
    """ "isbn" or "issn" when the value holds one (by its length and check digit, a qualifier
    like "(pbk.)" allowed: import keeps the first valid number); else None."""
    if identifier_in(value, isbn_fault) is not None:
        return "isbn"
    return "issn" if identifier_in(value, issn_fault) is not None else None


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the "1." counter line, so entries can be written one at a time,
    and with every tag a list, so any tag can be written more than once."""

    def __init__(self) -> None:
        super().__init__(list_tags=_LIST_TAGS, delimiter_tags_mapping={})

    def set_header(self, count: int) -> str:
        return ""


def ris_type(csec_type: str | None) -> str:
    """The nearest RIS reference type."""
    return RIS_TYPES.get(fold_text(csec_type or ""), "GEN")


def _line(text: str, name: str, report: ExportReport) -> str:
    # RIS is line-based: a line break inside a value would start a bogus tag.
    one_line = " ".join(text.splitlines())
    if one_line != text:
        report.one_line[name] += 1
    return one_line


def _item(text: str) -> str:
    # A list item is one line (`csec check` says so), kept as it is, inner spaces included, so
    # that it reads back as itself; a line break is still never written.
    return " ".join(text.splitlines())


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.splitlines()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def ris_entry(resource: Resource, report: ExportReport | None = None) -> dict[str, Any]:
    """The rispy dictionary for one resource: every value a list of lines."""
    report = ExportReport() if report is None else report
    kind = ris_type(resource.type)
    entry: dict[str, Any] = {"type_of_reference": kind, "id": [resource.id]}
    entry["title"] = [_line(resource.title, "title", report)]
    if resource.authors:
        entry["authors"] = [_item(author) for author in resource.authors]
    if resource.series:
        key = "secondary_title" if kind in _SERIES_IN_T2 else "tertiary_title"
        entry[key] = [_line(resource.series, "series", report)]
    if resource.place:
        entry["place_published"] = [_line(resource.place, "place", report)]
    if resource.date:
        date = resource.date
        month = f"{date.month:02d}" if date.month else ""
        day = f"{date.day:02d}" if date.day else ""
        entry["date"] = [f"{date.year:04d}/{month}/{day}/"]
        entry["year"] = [f"{date.year:04d}"]
    if resource.summary:
        entry["abstract"] = [_line(resource.summary, "summary", report)]
    if resource.language:
        entry["language"] = [_line(resource.language, "language", report)]
    if resource.type:
        entry["type_of_work"] = [_line(resource.type, "type", report)]
    if resource.publisher:
        entry["publisher"] = [_line(resource.publisher, "publisher", report)]
    serials = [value for value in (resource.isbn, resource.issn) if value]
    if serials:
        entry["issn"] = [_line(value, "isbn", report) for value in serials]
    if resource.url:
        entry["urls"] = [_line(resource.url, "url", report)]
    if resource.files:
        entry["file_attachments1"] = [_item(path) for path in resource.files]
    if resource.topics:
        entry["keywords"] = [_item(topic) for topic in resource.topics]
    notes = _paragraphs(resource.notes) if resource.notes else []
    if resource.notes and "\n" in re.sub(r"\n\s*\n", "", resource.notes.strip()):
        report.one_line["notes"] += 1
    notes += _field_notes(resource, notes)
    if notes:
        entry["notes"] = notes
    _add_extras(entry, resource, kind, report)
    return entry


def _field_notes(resource: Resource, notes: list[str]) -> list[str]:
    """The notes that carry audience and countries, after the resource's own notes. Import takes
    the last note of each label as the field: when a paragraph of the notes begins like one
    ("Audience: see the foreword") and the resource has no such field, an empty note ("Audience:")
    comes last, so that the paragraph reads back as a note."""
    written = []
    for name, label in _NOTE_FIELDS.items():
        values = getattr(resource, name)
        if values:
            written.append(f"{label}: {'; '.join(_item(value) for value in values)}")
        elif any(_field_note(note)[0] == label for note in notes):
            written.append(f"{label}:")
    return written


def _field_note(note: str) -> tuple[str, str]:
    """(label, value) of a note that carries a field (value "" for an empty one), else ("", "")."""
    match = _FIELD_NOTE.match(note)
    if match is None:
        return "", ""
    value = match["value"] or ""
    if match["p"]:  # Zotero writes two spaces as &nbsp;&nbsp;
        value = html.unescape(value).replace("\xa0", " ")
    return match["label"], value.strip()


def _add_extras(entry: dict[str, Any], resource: Resource, kind: str, report: ExportReport) -> None:
    unknown: dict[str, list[str]] = {}
    for key in sorted(resource.extra):
        value = resource.extra[key]
        lines = [value] if isinstance(value, str) else value
        if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
            report.could_not_write(key)
            continue
        lines = [_item(line) for line in lines if line.strip()]
        tag = _EXTRA_TAGS.get(key)
        if key.startswith(_UNKNOWN_PREFIX) and _TAG_PATTERN.match(key[len(_UNKNOWN_PREFIX) :]):
            tag = key[len(_UNKNOWN_PREFIX) :]
            if tag in rispy.TAG_KEY_MAPPING:
                tag = None  # a known tag: its value would be read back under the known name
            else:
                unknown[tag] = lines
                continue
        if key == "urls" and "urls" in entry:
            entry["urls"] += lines  # further addresses, after the url
            continue
        # The title tag that does not hold the series (see _SERIES_IN_T2) can hold the other.
        if key == "secondary_title" and kind not in _SERIES_IN_T2:
            tag = "T2"
        elif key == "tertiary_title" and kind in _SERIES_IN_T2:
            tag = "T3"
        if tag is None or not lines:
            report.could_not_write(key)
            continue
        name = rispy.TAG_KEY_MAPPING[tag] if tag != "SN" else "issn"
        entry[name] = [*entry.get(name, []), *lines]
    if unknown:
        entry["unknown_tag"] = unknown


def write_ris(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """One TY … ER block per resource, separated by a blank line."""
    writer = _Writer()
    for index, resource in enumerate(resources):
        entry = ris_entry(resource, options.report)
        stream.write(("\n" if index else "") + writer.formats([entry]))


class _Fields:
    """The fields of one record as they are found, with the file's name for each."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.dropped: list[str] = []

    def set(self, name: str, value: Any, source: str) -> None:
        self.values[name] = value
        self.sources[name] = source

    def first(self, name: str, values: list[str], source: str) -> None:
        """The first value as the field; a further, different one is reported as dropped."""
        if values:
            self.set(name, values[0], source)
        if any(value != values[0] for value in values[1:]):
            self.dropped.append(_("a second {tag}").format(tag=source))

    def extra(self, key: str, values: list[str], source: str) -> None:
        kept = [value for value in values if value]
        if kept:
            self.set(key, kept[0] if len(kept) == 1 else kept, source)


def _record_fields(entry: dict[str, Any]) -> _Fields:
    found = _Fields()
    lines: dict[str, list[str]] = {
        key: [str(item).strip() for item in value if str(item).strip()]
        for key, value in entry.items()
        if isinstance(value, list)
    }
    kind = str(entry.get("type_of_reference", "")).strip()
    for key, tag in (("title", "TI"), ("primary_title", "T1")):
        if lines.get(key) and "title" not in found.values:
            found.first("title", lines[key], tag)
    date = next(
        (
            (_ris_date(value), tag)
            for key, tag in (("date", "DA"), ("year", "PY"), ("publication_year", "Y1"))
            for value in lines.get(key, [])[:1]
            if _ris_date(value)
        ),
        None,
    )
    if date:
        found.set("date", date[0], date[1])
    for key, tag in (("abstract", "AB"), ("notes_abstract", "N2")):
        if lines.get(key) and "summary" not in found.values:
            found.set("summary", "\n\n".join(lines[key]), tag)
    if lines.get("type_of_work"):
        found.first("type", lines["type_of_work"], "M3")
    elif CSEC_TYPES.get(kind):
        found.set("type", CSEC_TYPES[kind], "TY")
    if lines.get("keywords"):
        found.set("topics", lines["keywords"], "KW")
    authors = [*lines.get("authors", []), *lines.get("first_authors", [])]
    if authors:
        found.set("authors", authors, "AU" if lines.get("authors") else "A1")
    notes: list[str] = []
    given = lines.get("notes", [])
    # The last note of each label is the field (csec writes them after the notes); an earlier
    # one is a paragraph of the notes that happens to begin like it.
    last = {_field_note(note)[0]: index for index, note in enumerate(given)}
    for index, note in enumerate(given):
        label, value = _field_note(note)
        if not label or last[label] != index:
            notes.append(note)
        elif value:
            found.set(_NOTE_LABELS[label], value, "N1")
    if notes:
        found.set("notes", "\n\n".join(notes), "N1")
    for key, name, tag in (
        ("language", "language", "LA"),
        ("publisher", "publisher", "PB"),
        ("place_published", "place", "CY"),
        ("id", "id", "ID"),
    ):
        found.first(name, lines.get(key, []), tag)
    series_key, series_tag = (
        ("secondary_title", "T2") if kind in _SERIES_IN_T2 else ("tertiary_title", "T3")
    )
    found.first("series", lines.get(series_key, []), series_tag)
    other_key, other_tag = (
        ("tertiary_title", "T3") if kind in _SERIES_IN_T2 else ("secondary_title", "T2")
    )
    found.extra(other_key, lines.get(other_key, []), other_tag)
    serials: list[str] = []
    for value in lines.get("issn", []):
        kind_of = isbn_or_issn(value)
        if kind_of is not None and kind_of not in found.values:
            found.set(kind_of, value, "SN")
        else:
            serials.append(value)
    found.extra(SERIAL_NUMBER, serials, "SN")
    urls = lines.get("urls", [])
    if urls:
        found.set("url", urls[0], "UR")
        found.extra("urls", urls[1:], "UR")
    if lines.get("file_attachments1"):
        found.set("files", lines["file_attachments1"], "L1")
    for key, values in lines.items():
        extra_tag = _EXTRA_TAGS.get(key)
        if extra_tag is not None and extra_tag not in ("SN", "T2", "T3"):
            found.extra(key, values, extra_tag)
    for tag, values in (entry.get("unknown_tag") or {}).items():
        if tag is None:
            # rispy files here a line that follows TY without a tag of its own (`AB-text`,
            # the separator mistyped): no field to give it, so it is reported, not kept.
            found.dropped.append(_("a line with no tag"))
            continue
        found.extra(_UNKNOWN_PREFIX + tag, [str(value).strip() for value in values], tag)
    return found


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


def read_ris(text: str, notes: ImportNotes) -> Iterator[ImportRecord]:
    """Each TY … ER block is one record, `line N` being where its TY tag is."""
    del notes
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
        yield ImportRecord(
            _("line {line}").format(line=start), problem=_("has no closing `ER  -` line")
        )


def _read_block(block: list[str], start: int) -> ImportRecord:
    where = _("line {line}").format(line=start)
    if not re.match(r"^TY  - ", block[0]):
        return ImportRecord(where, problem=_("does not start with a `TY  - ` line"))
    try:
        entries = rispy.loads("\n".join(block) + "\n", **_READING)
    except (OSError, ValueError) as error:  # what rispy raises for a malformed block
        return ImportRecord(where, problem=_("not readable as RIS ({error})").format(error=error))
    if len(entries) != 1:
        return ImportRecord(where, problem=_("not readable as one RIS entry"))
    found = _record_fields(entries[0])
    return ImportRecord(where, found.values, sources=found.sources, dropped=tuple(found.dropped))
