"""Drawing a help page (`csec --help`, `csec CMD --help`): usage, prose, panels of options.

Typer draws help with typer.rich_utils, whose imports (rich's Markdown, markdown-it, tracebacks)
cost more than csec's search of the seed; this draws the same kind of page with the few rich
parts csec loads anyway. What a page holds is decided in commands/help.py; this only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from csec_cli.console import out
from csec_cli.i18n import _


@dataclass
class HelpRow:
    """One option or argument: its names, the value it takes (none for a flag), its help."""

    long: str
    short: str = ""
    value: str = ""
    help: str = ""
    notes: str = ""  # "[default: date]", "[required]"
    required: bool = False


@dataclass
class HelpPanel:
    """A titled box of rows (Options, Filters, …) or of commands and their summaries."""

    title: str
    rows: list[HelpRow] = field(default_factory=list)
    commands: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class HelpPage:
    """Everything `--help` shows, in order."""

    usage: str
    summary: str
    paragraphs: list[str]
    panels: list[HelpPanel]


def print_help_page(page: HelpPage) -> None:
    """The page on stdout, as Typer lays it out: usage, summary, dimmed paragraphs, panels."""
    usage = Text(_("Usage:") + " ", style="yellow")
    usage.append(page.usage, style="bold")
    out.print(Padding(usage, 1))
    if page.summary:
        prose = Text(page.summary)
        if page.paragraphs:
            prose.append("\n\n")
            prose.append("\n\n".join(page.paragraphs), style="dim")
        out.print(Padding(prose, (0, 1, 1, 1)))
    for panel in page.panels:
        body = _commands_table(panel) if panel.commands else _options_table(panel)
        out.print(Panel(body, title=panel.title, title_align="left", border_style="dim"))


def _options_table(panel: HelpPanel) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False, expand=True)
    with_required = any(row.required for row in panel.rows)
    if with_required:
        table.add_column(no_wrap=True, style="red")
    table.add_column(no_wrap=True, style="bold cyan")
    table.add_column(no_wrap=True, style="bold green")
    table.add_column(no_wrap=True, style="bold yellow")
    table.add_column(ratio=1)
    for row in panel.rows:
        help_text = Text(row.help)
        if row.notes:
            help_text.append((" " if row.help else "") + row.notes, style="dim")
        # Text, never markup: "--[no-]formula-protection" is a name, not a style tag.
        cells = [Text(row.long), Text(row.short), Text(row.value), help_text]
        if with_required:
            cells.insert(0, Text("*" if row.required else ""))
        table.add_row(*cells)
    return table


def _commands_table(panel: HelpPanel) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False, expand=True)
    table.add_column(no_wrap=True, style="bold cyan")
    table.add_column(ratio=1)
    for name, summary in panel.commands:
        table.add_row(Text(name), Text(summary))
    return table
