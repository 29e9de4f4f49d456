"""CSV: one row per resource under a header of field names, as spreadsheets read and write it.

RFC 4180 (comma, double quotes, CRLF), UTF-8; `--excel` adds a BOM so Excel shows accents right.
Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe, as OWASP advises; import removes exactly that apostrophe again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from csec_cli.errors import ImportFileError
from csec_cli.formats import ExportOptions, ImportRecord
from csec_cli.models import FIELD_ORDER, LIST_FIELDS, Resource, iso_datetime

LIST_SEPARATOR = "; "
# A cell that starts like a formula, possibly after apostrophes already added: prefixing those too
# keeps the neutralisation reversible ("'=x" is written "''=x" and read back as "'=x").
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise_formula(cell: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it."""
    return "'" + cell if _FORMULA_START.match(cell) else cell


def restore_formula(cell: str) -> str:
    """Undo neutralise_formula."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def csv_row(resource: Resource) -> list[str]:
    """The cells of one resource, in FIELD_ORDER."""
    cells: dict[str, str] = {
        "id": resource.id,
        "title": resource.title,
        "date": resource.date.iso() if resource.date else "",
        "added": iso_datetime(resource.added) if resource.added else "",
    }
    for name in ("summary", "type", "language", "publisher", "url"):
        cells[name] = getattr(resource, name) or ""
    for name in LIST_FIELDS:
        cells[name] = LIST_SEPARATOR.join(getattr(resource, name))
    return [cells[name] for name in FIELD_ORDER]


def write_csv(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """Header row, then one row per resource."""
    if options.excel:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(FIELD_ORDER)
    for resource in resources:
        row = csv_row(resource)
        if options.protect_formulas:
            row = [neutralise_formula(cell) for cell in row]
        writer.writerow(row)


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
