"""CSV: one row per resource under a header of field names, as spreadsheets read and write it.

RFC 4180 (comma, double quotes, CRLF), UTF-8; `--excel` adds a BOM so Excel shows accents right.
Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe, as OWASP advises; import removes exactly that apostrophe again.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from csec_cli.dates import PartialDate
from csec_cli.errors import ImportFileError
from csec_cli.formats.records import (
    ExportOptions,
    ExportReport,
    ImportNotes,
    ImportRecord,
    scalar_text,
)
from csec_cli.i18n import _
from csec_cli.models import FIELD_ORDER, Resource, iso_datetime

LIST_SEPARATOR = "; "
# A cell that starts like a formula, possibly after apostrophes already added: prefixing those too
# keeps the neutralisation reversible ("'=x" is written "''=x" and read back as "'=x").
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
# The first characters after which _FORMULA_START can match: one set lookup clears almost every
# cell, so the pattern only runs on the few that start like this.
_RISKY_FIRST = frozenset("'=+-@\t\r")
# Export writes rows this many at a time: few enough that a batch (about 300 kB of text) adds
# next to nothing to the peak memory of a 10,000-resource export, and still enough rows to
# spread the cost of each join and write.
_BATCH = 500
_ROW_END = "\r\n"


def neutralise_formula(cell: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it."""
    if cell[:1] not in _RISKY_FIRST:
        return cell
    return "'" + cell if _FORMULA_START.match(cell) else cell


def restore_formula(cell: str) -> str:
    """Undo neutralise_formula."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def quote_cell(cell: str, delimiter: str = ",") -> str:
    """The cell as csv.writer writes it (RFC 4180, minimal quoting): in double quotes, with inner
    quotes doubled, only when it holds the delimiter, a quote or a line break."""
    if delimiter in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


class _CellCache(dict[Any, str]):
    """Each distinct value's finished cell, made on first sight: dates, types, languages,
    publishers and lists of audiences, topics or countries repeat across a catalogue."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        cell = self[value] = self.make(value)
        return cell


def _finisher(protect: bool, delimiter: str) -> Callable[[str], str]:
    """neutralise_formula (when protecting) then quote_cell, in one call: this runs for most
    cells of an export."""

    def protected(cell: str) -> str:
        if cell[:1] in _RISKY_FIRST and _FORMULA_START.match(cell):
            cell = "'" + cell
        if delimiter in cell or '"' in cell or "\n" in cell or "\r" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    def plain(cell: str) -> str:
        if delimiter in cell or '"' in cell or "\n" in cell or "\r" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return protected if protect else plain


def _date_cell(value: PartialDate | None) -> str:
    # ISO dates and times start with a digit and hold no comma, quote or line break: they never
    # need neutralising or quoting.
    return "" if value is None else value.iso()


def _added_cell(value: dt.datetime | None) -> str:
    return "" if value is None else iso_datetime(value)


_Column = Callable[[Iterable[Any]], Iterator[str]]


def _column_makers(finish: Callable[[str], str]) -> tuple[_Column, ...]:
    """For each field in FIELD_ORDER, a function from that field's values to finished cells."""

    def text(value: str | None) -> str:
        return "" if value is None else finish(value)

    def joined(values: tuple[str, ...]) -> str:
        return finish(LIST_SEPARATOR.join(values))

    def each(make: Callable[[Any], str]) -> _Column:
        return functools.partial(map, make)

    def cached(make: Callable[[Any], str]) -> _Column:
        return functools.partial(map, _CellCache(make).__getitem__)

    # Free text (ids, titles, summaries, urls) and times are mostly unique: caching them would
    # only hold a second copy of the catalogue's text. Times are also not cached because two
    # times in different zones can be equal (the same instant) yet are written differently.
    makers = {
        "id": each(finish),
        "title": each(finish),
        "date": cached(_date_cell),
        "summary": each(text),
        "type": cached(text),
        "audience": cached(joined),
        "topics": cached(joined),
        "countries": cached(joined),
        "language": cached(text),
        "publisher": cached(text),
        "url": each(text),
        "added": each(_added_cell),
        "authors": cached(joined),
        "isbn": each(text),
        "issn": cached(text),
        "place": cached(text),
        "series": cached(text),
        "notes": each(text),
        "files": each(joined),
    }
    return tuple(makers[name] for name in FIELD_ORDER)


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def extra_keys(resources: Iterable[Resource]) -> tuple[str, ...]:
    """The keys csec does not know that any of the resources holds, A–Z: the extra columns."""
    keys: set[str] = set()
    for resource in resources:
        if resource.extra:
            keys.update(resource.extra)
    return tuple(sorted(keys))


def _column_fault(key: str) -> bool:
    # Import reads a header cell stripped and known names in any case: such a key would come
    # back as another key, or as a csec field.
    return not key or key != key.strip() or key.lower() in FIELD_ORDER


def _extra_cell(value: Any, key: str, finish: Callable[[str], str], report: ExportReport) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return finish(value)
    text = scalar_text(value)
    if text is None and isinstance(value, list):
        items = [item if isinstance(item, str) else scalar_text(item) for item in value]
        if all(item is not None for item in items):
            text = LIST_SEPARATOR.join(item for item in items if item is not None)
    if text is None:
        report.could_not_write(key)
        return ""
    report.wrote_as_text(key)
    return finish(text)


def write_csv(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """Header row, then one row per resource; byte for byte what csv.writer would write.

    The contract's columns come first, in FIELD_ORDER, then one column per key csec does not know,
    A–Z. Rows are built a batch at a time, column by column, in loops that run inside C (map,
    zip, join): at 100,000 resources csv.writer's per-character work and a Python call per row
    cost seconds.
    """
    delimiter = options.delimiter
    finish = _finisher(options.protect_formulas, delimiter)
    if options.extra_keys is None:
        resources = list(resources)
        keys = extra_keys(resources)
    else:
        keys = options.extra_keys
    columns_extra = tuple(key for key in keys if not _column_fault(key))
    left_out = frozenset(keys) - frozenset(columns_extra)
    if options.excel:
        stream.write("\ufeff")
    header = [*FIELD_ORDER, *(finish(key) for key in columns_extra)]
    stream.write(delimiter.join(header) + _ROW_END)
    makers = _column_makers(finish)
    fields = operator.attrgetter(*FIELD_ORDER)
    remaining = iter(resources)
    report = options.report
    while batch := list(itertools.islice(remaining, _BATCH)):
        values = zip(*map(fields, batch), strict=True)
        columns: list[Iterable[str]] = [
            make(column) for make, column in zip(makers, values, strict=True)
        ]
        if keys:
            with_extra = [resource for resource in batch if resource.extra]
            for resource in with_extra:
                for key in left_out.intersection(resource.extra):
                    report.could_not_write(key)
            columns += [
                [
                    _extra_cell(resource.extra.get(key), key, finish, report)
                    if resource.extra
                    else ""
                    for resource in batch
                ]
                for key in columns_extra
            ]
        rows = map(delimiter.join, zip(*columns, strict=True))
        stream.write(_ROW_END.join(rows) + _ROW_END)


def sniff_delimiter(text: str) -> str:
    """The delimiter whose header row names a title column: comma, semicolon (what Excel writes
    where the decimal mark is a comma) or tab; else the one giving the most columns."""
    best = ","
    best_score = (False, 0)
    for delimiter in DELIMITER_NAMES:
        try:
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        names = {restore_formula(name.strip()).lower() for name in header}
        score = ("title" in names, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _delimiter_note(delimiter: str) -> str:
    """ "read as comma-separated", for the import's report."""
    notes = {
        ",": _("read as comma-separated"),
        ";": _("read as semicolon-separated"),
        "\t": _("read as tab-separated"),
    }
    return notes[delimiter]


def read_csv(text: str, notes: ImportNotes) -> Iterator[ImportRecord]:
    """Rows as records keyed by lower-case column name; `row N` counts the header as row 1."""
    # The csv module refuses a cell over 128 KiB, which `export` writes for a long summary: no
    # cell is longer than the file, so that is the limit (the module's one, for the process).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    delimiter = sniff_delimiter(text)
    notes.lines.append(_delimiter_note(delimiter))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(
            _("the CSV file is empty; it needs a header row with a title column")
        ) from None
    except csv.Error as error:
        raise ImportFileError(
            _("line 1: not readable as CSV ({error})").format(error=error)
        ) from None
    names = [restore_formula(name.strip()) for name in header]
    known = {name.lower(): name for name in FIELD_ORDER}
    columns: list[str] = []
    for name in names:
        column = known.get(name.lower(), name)
        if column and column in columns:
            raise ImportFileError(
                _("line 1: the column {name} appears twice").format(name=repr(name))
            )
        columns.append(column)
    if "title" not in columns:
        raise ImportFileError(
            _(
                "the CSV header has no title column; the first row must name the columns "
                "({columns})"
            ).format(columns=", ".join(FIELD_ORDER))
        )
    row_number = 1
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield ImportRecord(
                _("row {row} (line {line})").format(row=row_number + 1, line=line),
                problem=_("not readable as CSV ({error})").format(error=error),
            )
            return
        row_number += 1
        if line == row_number:
            where = _("row {row}").format(row=row_number)
        else:
            where = _("row {row} (line {line})").format(row=row_number, line=line)
        line = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            yield ImportRecord(
                where,
                problem=_("has {cells} cells but the header names {columns}").format(
                    cells=len(cells), columns=len(columns)
                ),
            )
            continue
        fields = {
            column: restore_formula(cell)
            for column, cell in zip(columns, cells, strict=False)
            if column
        }
        yield ImportRecord(where, fields)
