"""Output for pipes, files and scripts, without rich: aligned plain lines, csv/tsv/ids, JSON.

A piped `csec search` or `csec list` writes these lines and nothing else, so it never imports
rich (about 15 ms of a 0.15 s command); tables and panels for a terminal are render's.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO, cast

from csec_cli.i18n import ngettext, pgettext
from csec_cli.models import Resource, resource_to_json, show_control_characters

# JSON escapes C0 controls itself; the rest of CONTROL_CHARACTERS passes through unless escaped.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Rich lays text out in time that grows faster than its length; a 10 MB summary would take
# minutes. Tables, on a terminal or a pipe alike, show this much of a value and say how much more
# there is (the JSON and export outputs always carry all of it).
TABLE_CELL_LIMIT = 1_000


def cut_note(left_out: int) -> str:
    """What ends a value cut short in a table: how many characters were left out, and where
    they all are."""
    note = ngettext(
        "… ({count} more character; --json shows all)",
        "… ({count} more characters; --json shows all)",
        left_out,
    )
    return " " + note.format(count=f"{left_out:,}")


def stdout_is_terminal() -> bool:
    """Whether stdout gets a terminal's tables and colour: rich's answer (console.out), found
    without importing rich when rich could only say no (not a tty, and neither TTY_COMPATIBLE=1
    nor FORCE_COLOR asks for a terminal's output)."""
    if os.environ.get("TTY_COMPATIBLE", "") != "1" and not os.environ.get("FORCE_COLOR"):
        try:
            if not sys.stdout.isatty():
                return False
        except (AttributeError, ValueError):
            return False  # rich too: no isatty, or a closed stream, is not a terminal
    from csec_cli.console import out

    return out.is_terminal


def escape_json_controls(text: str) -> str:
    """JSON text with the control characters json leaves raw written as `\\u` escapes (the
    same JSON value, shown rather than acted on)."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class TerminalStream(io.TextIOBase):
    """Export data on its way to a terminal, control characters shown as escapes.

    Only for a terminal: a file or a pipe gets the exact bytes. A line ending `\\r\\n` (csv
    writes them) is shown as a plain newline; any other control character as `safe_text` shows
    it, or for json as a `\\u` escape, so the text stays valid JSON.
    """

    def __init__(self, target: TextIO, *, json: bool = False) -> None:
        super().__init__()
        self._target = target
        self._escape = escape_json_controls if json else show_control_characters
        self._carriage_return = False  # a "\\r" held back: the "\\n" may come in the next write

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        written = len(text)
        if self._carriage_return:
            text = "\r" + text
        self._carriage_return = text.endswith("\r")
        if self._carriage_return:
            text = text[:-1]
        self._target.write(self._escape(text.replace("\r\n", "\n")))
        return written

    def flush(self) -> None:
        if self._carriage_return:
            self._carriage_return = False
            self._target.write(self._escape("\r"))
        self._target.flush()


def terminal_safe(stream: TextIO, *, json: bool = False) -> TextIO:
    """`stream` itself, or when stdout is a terminal a TerminalStream writing to it."""
    if not sys.stdout.isatty():
        return stream
    return cast(TextIO, TerminalStream(stream, json=json))


def print_json(data: Any) -> None:
    """JSON alone on stdout, UTF-8 text as written, for scripts."""
    import json  # only for --json: a table never needs it

    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = escape_json_controls(text)
    # As bytes, like `export`: JSON is UTF-8 whatever stdout's encoding, so no character is
    # ever replaced or refused on a latin-1 or ascii stdout.
    sys.stdout.flush()
    # A path that is not UTF-8 (`csec info --json` in a folder named in latin-1) reaches here
    # as lone surrogates, written as the JSON escape \udcXX they read back as.
    sys.stdout.buffer.write((text + "\n").encode("utf-8", "backslashreplace"))
    sys.stdout.flush()


def print_resources_json(resources: Iterable[Resource]) -> None:
    """A JSON array of resource objects with the contract's field names."""
    print_json([resource_to_json(resource) for resource in resources])


def date_text(resource: Resource) -> str:
    """ISO date for tables; partial dates stay partial."""
    return resource.date.iso() if resource.date else "—"


def print_plain_table(resources: Sequence[Resource], scores: Sequence[float] | None = None) -> None:
    """Print `list` or `search` on stdout for a pipe or a file (plain_table_lines)."""
    write_text_lines(plain_table_lines(resources, scores))


def plain_table_lines(
    resources: Sequence[Resource], scores: Sequence[float] | None = None
) -> Iterator[str]:
    """The table for a pipe or a file: a header, then one resource a line, the title whole,
    columns aligned with spaces and no space at the end of a line (`| grep`, `| less`)."""
    # Dates and types repeat across a catalogue: each distinct one is written once (this runs
    # for every resource of a piped `csec list`).
    dates: dict[object, str] = {}
    types: dict[str | None, str] = {}
    rows: list[list[str]] = []
    for index, resource in enumerate(resources):
        date = dates.get(resource.date)
        if date is None:
            date = dates[resource.date] = date_text(resource)
        kind = types.get(resource.type)
        if kind is None:
            kind = types[resource.type] = show_control_characters(resource.type or "")
        row = [show_control_characters(resource.id), date, kind, _plain_title(resource.title)]
        if scores is not None:
            row.insert(0, f"{scores[index]:.0f}")
        rows.append(row)
    header = [
        pgettext("column", "id"),
        pgettext("column", "date"),
        pgettext("column", "type"),
        pgettext("column", "title"),
    ]
    if scores is not None:
        header.insert(0, pgettext("column", "score"))
    # The score is a number: right-aligned under its label, as in the terminal table.
    return aligned_lines(header, rows, number_first=scores is not None)


def aligned_lines(
    header: list[str], rows: list[list[str]], *, number_first: bool = False
) -> Iterator[str]:
    """Plain lines for a pipe: the header, then a row a line, columns aligned with spaces, the
    last never padded, no space at the end of a line."""
    widths = [
        max(map(_plain_width, column))
        for column in zip(header[:-1], *[row[:-1] for row in rows], strict=True)
    ]
    for number, row in enumerate([header, *rows]):
        cells = []
        for position, cell in enumerate(row[:-1]):
            padding = " " * (widths[position] - _plain_width(cell))
            numeric = number_first and position == 0 and number > 0
            cells.append(padding + cell if numeric else cell + padding)
        yield "  ".join([*cells, row[-1]]).rstrip() + "\n"


def _plain_width(cell: str) -> int:
    """Cells a text takes in a terminal (len for ASCII, without rich's per-character work)."""
    if cell.isascii():
        return len(cell)
    from rich.cells import cell_len  # rich.cells alone, not the console

    return cell_len(cell)


def _plain_title(title: str) -> str:
    """A title as safe_text shows it in a table, as plain text: control characters shown, cut
    at TABLE_CELL_LIMIT with a note."""
    if len(title) <= TABLE_CELL_LIMIT:
        return show_control_characters(title)
    return show_control_characters(title[:TABLE_CELL_LIMIT]) + cut_note(
        len(title) - TABLE_CELL_LIMIT
    )


def print_listing(
    layout: str, resources: Sequence[Resource], scores: Sequence[float] | None = None
) -> None:
    """Print `list` or `search` as csv, tsv or ids (see listing.py) on stdout."""
    from csec_cli.listing import listing_lines

    _write_lines(listing_lines(layout, resources, scores))


def write_text_lines(lines: Iterable[str]) -> None:
    """Lines for people on stdout in its own encoding, like rich's tables: a character it
    cannot hold is replaced, and said so, at exit (entry_point); control characters are
    already shown as text (plain_table_lines)."""
    sys.stdout.writelines(lines)
    sys.stdout.flush()


def _write_lines(lines: Iterable[str]) -> None:
    """Data lines on stdout as UTF-8 whatever its encoding, like `export` (csv, tsv and ids are
    for programs); on a terminal, control characters shown."""
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        shown = terminal_safe(stream)
        shown.writelines(lines)
        shown.flush()
    finally:
        stream.detach()
