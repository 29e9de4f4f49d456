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
from csec_cli.formats.records import ExportOptions, ImportRecord
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


def quote_cell(cell: str) -> str:
    """The cell as csv.writer writes it (RFC 4180, minimal quoting): in double quotes, with inner
    quotes doubled, only when it holds a comma, a quote or a line break."""
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
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


def _finish_protected(cell: str) -> str:
    # neutralise_formula then quote_cell, in one call: this runs for most cells of an export.
    if cell[:1] in _RISKY_FIRST and _FORMULA_START.match(cell):
        cell = "'" + cell
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _date_cell(value: PartialDate | None) -> str:
    # ISO dates and times start with a digit and hold no comma, quote or line break: they never
    # need neutralising or quoting.
    return "" if value is None else value.iso()


def _added_cell(value: dt.datetime | None) -> str:
    return "" if value is None else iso_datetime(value)


_Column = Callable[[Iterable[Any]], Iterator[str]]


def _column_makers(protect: bool) -> tuple[_Column, ...]:
    """For each field in FIELD_ORDER, a function from that field's values to finished cells."""
    finish = _finish_protected if protect else quote_cell

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


def write_csv(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """Header row, then one row per resource; byte for byte what csv.writer would write.

    Rows are built a batch at a time, column by column, in loops that run inside C (map, zip,
    join): at 100,000 resources csv.writer's per-character work and a Python call per row cost
    seconds.
    """
    if options.excel:
        stream.write("\ufeff")
    stream.write(",".join(FIELD_ORDER) + _ROW_END)
    makers = _column_makers(options.protect_formulas)
    fields = operator.attrgetter(*FIELD_ORDER)
    remaining = iter(resources)
    while batch := list(itertools.islice(remaining, _BATCH)):
        values = zip(*map(fields, batch), strict=True)
        columns = [make(column) for make, column in zip(makers, values, strict=True)]
        stream.write(_ROW_END.join(map(",".join, zip(*columns, strict=True))) + _ROW_END)


def read_csv(text: str) -> Iterator[ImportRecord]:
    """Rows as records keyed by lower-case column name; `row N` counts the header as row 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(
            "the CSV file is empty; it needs a header row with a title column"
        ) from None
    except csv.Error as error:
        raise ImportFileError(f"line 1: not readable as CSV ({error})") from None
    names = [name.strip() for name in header]
    known = {name.lower(): name for name in FIELD_ORDER}
    columns: list[str] = []
    for name in names:
        column = known.get(name.lower(), name)
        if column and column in columns:
            raise ImportFileError(f"line 1: the column {name!r} appears twice")
        columns.append(column)
    if "title" not in columns:
        raise ImportFileError(
            "the CSV header has no title column; the first row must name the columns "
            f"({', '.join(FIELD_ORDER)})"
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
                f"row {row_number + 1} (line {line})", problem=f"not readable as CSV ({error})"
            )
            return
        row_number += 1
        where = f"row {row_number}" if line == row_number else f"row {row_number} (line {line})"
        line = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            yield ImportRecord(
                where, problem=f"has {len(cells)} cells but the header names {len(columns)}"
            )
            continue
        fields = {
            column: restore_formula(cell)
            for column, cell in zip(columns, cells, strict=False)
            if column
        }
        yield ImportRecord(where, fields)
