"""Everything csec shows in a terminal: tables, detail panels, messages, JSON.

Catalogue text is always passed to rich as Text (never parsed as markup) after control
characters are made visible, so "[PDF] Guide" or an escape sequence in a title prints as written.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from csec_cli.console import err, out
from csec_cli.models import Resource, iso_datetime, resource_to_json

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(value: str, style: str = "") -> Text:
    """Catalogue text, with control characters shown as `\\x1b`-style escapes, never run."""
    cleaned = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
    return Text(cleaned, style=style)


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
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
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
        title = titles[index] if titles is not None else safe_text(resource.title)
        row += [safe_text(resource.id), date_text(resource), safe_text(resource.type or ""), title]
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
            table.add_row(label, safe_text(value))
    if resource.summary:
        table.add_row("", "")
        table.add_row("summary", safe_text(resource.summary))
    return table


def print_resource_detail(resource: Resource) -> None:
    """Print `show`'s view of one resource on stdout."""
    out.print(resource_detail(resource))


T = TypeVar("T")
PROGRESS_DELAY_SECONDS = 1.0


def track_progress(
    items: Sequence[T],
    description: str,
    *,
    enabled: bool,
    delay: float = PROGRESS_DELAY_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    started: float | None = None,
    console: Console | None = None,
) -> Iterator[T]:
    """Yield the items; when enabled and the work outlasts `delay`, show a bar on stderr.

    Work that ends within the delay never flashes a bar, and a bar, once shown, is removed when
    the work is done (transient), so only the command's own messages stay on screen. `started`
    (a `clock()` reading) counts earlier work, such as loading the catalogue, towards the delay.
    """
    if not enabled:
        yield from items
        return
    started = clock() if started is None else started
    progress: Progress | None = None
    task = None
    try:
        for done, item in enumerate(items):
            if progress is None and clock() - started >= delay:
                progress = Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=console or err,
                    transient=True,
                )
                progress.start()
                task = progress.add_task(description, total=len(items), completed=done)
                progress.refresh()
            yield item
            if progress is not None and task is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()
