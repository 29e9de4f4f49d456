"""`list` and `search` as lines for pipes and scripts: the same few columns as csv, tsv or ids.

The columns are the table's: id, date, type and title, and for `search` a `score` (0–100, as in
`--json`). Every record is one line under a header row; `export` is there for every field.

- csv quotes a cell as `export --format csv` does (RFC 4180: in double quotes only when it holds
  a comma, a quote or a line break) and, as export does by default, puts an apostrophe before a
  cell a spreadsheet would run as a formula. Lines end in "\\n", the way pipes expect.
- tsv never quotes: a tab, line break or backslash in a value is written `\\t`, `\\n`, `\\r`,
  `\\\\` (the convention of PostgreSQL's text format and "linear TSV"), so a line is always one
  resource and `cut -f4` gives the titles.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from csec_cli.models import Resource

COLUMNS = ("id", "date", "type", "title")
SCORE_COLUMN = "score"
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def listing_rows(
    resources: Sequence[Resource], scores: Sequence[float] | None = None
) -> Iterator[list[str]]:
    """The header, then one row of cells per resource (undated and untyped cells empty)."""
    yield [*COLUMNS, SCORE_COLUMN] if scores is not None else list(COLUMNS)
    for index, resource in enumerate(resources):
        row = [
            resource.id,
            resource.date.iso() if resource.date else "",
            resource.type or "",
            resource.title,
        ]
        if scores is not None:
            row.append(f"{scores[index]:.1f}")
        yield row


def csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    """Each row as a CSV line, quoted and formula-protected as export's csv is."""
    from csec_cli.formats.csv import neutralise_formula, quote_cell

    for row in rows:
        yield ",".join(quote_cell(neutralise_formula(cell)) for cell in row) + "\n"


def tsv_cell(value: str) -> str:
    """A value as one tsv cell: backslash, tab, line feed and carriage return escaped."""
    return value.translate(_TSV_ESCAPES)


def tsv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    """Each row as a tab-separated line."""
    for row in rows:
        yield "\t".join(map(tsv_cell, row)) + "\n"


def id_lines(resources: Sequence[Resource]) -> Iterator[str]:
    """Each id on its own line, for `| xargs csec show`."""
    for resource in resources:
        yield resource.id + "\n"


def listing_lines(
    layout: str, resources: Sequence[Resource], scores: Sequence[float] | None = None
) -> Iterator[str]:
    """The lines of one layout: "csv", "tsv" or "ids"."""
    if layout == "ids":
        return id_lines(resources)
    rows = listing_rows(resources, scores)
    return csv_lines(rows) if layout == "csv" else tsv_lines(rows)
