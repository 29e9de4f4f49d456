"""Everything csec shows in a terminal: tables, detail panels, messages, JSON.

Catalogue text is always passed to rich as Text (never parsed as markup) after control
characters are made visible, so "[PDF] Guide" or an escape sequence in a title prints as written.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from csec_cli.console import err, out
from csec_cli.models import Resource, iso_datetime, resource_to_json

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# JSON escapes C0 controls itself; C1 controls and bidi overrides pass through unless escaped.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Rich lays text out in time that grows faster than its length; a 10 MB summary would take
# minutes. Terminal views show this much of a value and say how much more there is (the JSON and
# export outputs always carry all of it).
TABLE_CELL_LIMIT = 1_000
DETAIL_LIMIT = 100_000


def safe_text(value: str, style: str = "", *, limit: int | None = None) -> Text:
    """Catalogue text, with control characters shown as `\\x1b`-style escapes, never run.

    With `limit`, a longer value is cut there and ends with a note of how much was left out.
    """
    shown = value if limit is None or len(value) <= limit else value[:limit]
    cleaned = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", shown)
    text = Text(cleaned, style=style)
    if len(shown) < len(value):
        text.append(_cut_note(len(value) - len(shown)), style="dim")
    return text


def _cut_note(left_out: int) -> str:
    return f" … ({left_out:,} more characters; --json shows all)"


def _limited(text: Text, limit: int) -> Text:
    """A Text cut to `limit` characters, with the same note as safe_text."""
    if len(text.plain) <= limit:
        return text
    cut = text[:limit]
    cut.append(_cut_note(len(text.plain) - limit), style="dim")
    return cut


def print_error(message: str) -> None:
    """One line on stderr, `Error: …`."""
    err.print(Text.assemble(("Error: ", "bold red"), safe_text(message)), soft_wrap=True)


def print_warning(message: str) -> None:
    """One line on stderr, `Warning: …`."""
    err.print(Text.assemble(("Warning: ", "yellow"), safe_text(message)), soft_wrap=True)


def print_note(message: str) -> None:
    """A plain message on stderr (hints, confirmations of what was done)."""
    err.print(safe_text(message), soft_wrap=True)


def print_json(data: Any) -> None:
    """JSON alone on stdout, UTF-8 text as written, for scripts."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def print_resources_json(resources: Iterable[Resource]) -> None:
    """A JSON array of resource objects with the contract's field names."""
    print_json([resource_to_json(resource) for resource in resources])


def date_text(resource: Resource) -> str:
    """ISO date for tables; partial dates stay partial."""
    return resource.date.iso() if resource.date else "—"


def resource_table(
    resources: Sequence[Resource],
    *,
    scores: Sequence[float] | None = None,
    titles: Sequence[Text] | None = None,
) -> Table:
    """The list/search table: id, date, type, title wrapped to the terminal (score first if any)."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", expand=False, pad_edge=False)
    if scores is not None:
        table.add_column("score", justify="right", no_wrap=True, style="green")
    table.add_column("id", no_wrap=True, style="cyan", overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("type", overflow="fold", max_width=18)
    table.add_column("title", overflow="fold", ratio=1, min_width=20)
    for index, resource in enumerate(resources):
        row: list[Text | str] = []
        if scores is not None:
            row.append(f"{scores[index]:.0f}")
        if titles is not None:
            title = _limited(titles[index], TABLE_CELL_LIMIT)
        else:
            title = safe_text(resource.title, limit=TABLE_CELL_LIMIT)
        row += [
            safe_text(resource.id, limit=TABLE_CELL_LIMIT),
            date_text(resource),
            safe_text(resource.type or "", limit=TABLE_CELL_LIMIT),
            title,
        ]
        table.add_row(*row)
    return table


def print_resource_table(resources: Sequence[Resource]) -> None:
    """Print the list table on stdout."""
    out.print(resource_table(resources))


def resource_detail(resource: Resource) -> Table:
    """Every field of one resource, labelled, summary wrapped."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    rows: list[tuple[str, str | None]] = [
        ("id", resource.id),
        ("title", resource.title),
        ("date", resource.date.display() if resource.date else None),
        ("type", resource.type),
        ("audience", "; ".join(resource.audience) or None),
        ("topics", "; ".join(resource.topics) or None),
        ("countries", "; ".join(resource.countries) or None),
        ("language", resource.language),
        ("publisher", resource.publisher),
        ("url", resource.url),
        ("added", iso_datetime(resource.added) if resource.added else None),
    ]
    for key in sorted(resource.extra):
        rows.append((key, str(resource.extra[key])))
    for label, value in rows:
        if value is not None:
            table.add_row(
                safe_text(label, limit=TABLE_CELL_LIMIT), safe_text(value, limit=DETAIL_LIMIT)
            )
    if resource.summary:
        table.add_row("", "")
        table.add_row("summary", safe_text(resource.summary, limit=DETAIL_LIMIT))
    return table


def print_resource_detail(resource: Resource) -> None:
    """Print `show`'s view of one resource on stdout."""
    out.print(resource_detail(resource))
