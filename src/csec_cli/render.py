"""Everything csec shows in a terminal: tables, detail panels, messages, JSON.

Catalogue text is always passed to rich as Text (never parsed as markup) after control
characters are made visible, so "[PDF] Guide" or an escape sequence in a title prints as written.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markup import escape as escape_markup
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from csec_cli.console import err, out
from csec_cli.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from rich.progress import Progress

    from csec_cli.search import Match
from csec_cli.models import (
    CONTROL_CHARACTERS,
    Resource,
    iso_datetime,
    show_control_characters,
)
from csec_cli.plain_output import (
    TABLE_CELL_LIMIT,
    aligned_lines,
    cut_note,
    date_text,
    write_text_lines,
)
from csec_cli.stats import CatalogueStats, ValueCounts

# Terminal views show this much of a value in a detail panel and say how much more there is
# (the JSON and export outputs always carry all of it): see plain_output.TABLE_CELL_LIMIT.
DETAIL_LIMIT = 100_000


def safe_text(value: str, style: str = "", *, limit: int | None = None) -> Text:
    """Catalogue text, with control characters shown as `\\x1b`-style escapes, never run.

    With `limit`, a longer value is cut there and ends with a note of how much was left out.
    """
    shown = value if limit is None or len(value) <= limit else value[:limit]
    cleaned = show_control_characters(shown)
    text = Text(cleaned, style=style)
    if len(shown) < len(value):
        text.append(cut_note(len(value) - len(shown)), style="dim")
    return text


def _limited(text: Text, limit: int) -> Text:
    """A Text cut to `limit` characters, with the same note as safe_text."""
    if len(text.plain) <= limit:
        return text
    cut = text[:limit]
    cut.append(cut_note(len(text.plain) - limit), style="dim")
    return cut


def completion_help(text: str, width: int = 60) -> str:
    """Catalogue text as the description of a shell completion: one short line, markup escaped.

    Typer renders these descriptions (zsh, fish) as rich markup and wraps them, so a title
    such as "[/x] Guide" would otherwise raise mid-completion and a long one would break lines.
    """
    line = " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
    if len(line) > width:
        line = line[: width - 1].rstrip() + "…"
    return escape_markup(line)


def one_line(message: str) -> Text:
    """A message as safe_text shows it, with any line break in it written as `\\n`.

    Messages quote what the user gave (a path, a file name, an id) and a line break there
    would split an error into lines a script takes for two messages.
    """
    return safe_text(message.replace("\n", "\\n"))


def print_error(message: str) -> None:
    """One line on stderr, `Error: …`."""
    err.print(Text.assemble((_("Error:") + " ", "bold red"), one_line(message)), soft_wrap=True)


def print_warning(message: str) -> None:
    """One line on stderr, `Warning: …`."""
    err.print(Text.assemble((_("Warning:") + " ", "yellow"), one_line(message)), soft_wrap=True)


def print_usage_error(usage: str | None, hint: str | None, message: str) -> None:
    """A usage error on stderr as Typer lays one out: the usage line, the hint, the message boxed."""
    from rich.panel import Panel

    if usage:
        err.print(Text(_("Usage:") + " " + usage, style="yellow"), soft_wrap=True)
    if hint:
        err.print(Text(hint, style="dim"), soft_wrap=True)
    err.print(Panel(one_line(message), border_style="red", title=_("Error"), title_align="left"))


def print_note(message: str) -> None:
    """A plain message on stderr (hints, confirmations of what was done)."""
    err.print(safe_text(message), soft_wrap=True)


def print_hint(message: str) -> None:
    """An indented hint under a question on stderr, wrapped at word boundaries."""
    err.print(Padding(safe_text(message), (0, 0, 0, 2)))


# Lines per rich print in print_labelled_lines: one print per line costs about 0.2 ms, which
# tens of thousands of warnings on a large catalogue turn into many seconds.
_LINES_PER_PRINT = 500


def print_labelled_lines(lines: Iterable[tuple[str, str, str]]) -> None:
    """Print each (label, label style, text) on stdout as one unwrapped line, the text shown as
    safe_text shows it.

    To a file or a pipe without colour, rich would write each line exactly as given, so csec
    writes them itself (half a million `check` lines at 100,000 resources took rich a minute);
    a line with a tab, which rich expands to its own tab stops, and every line on a terminal or
    in colour, go through rich, a few hundred lines per print.
    """
    plain = out.color_system is None and not out.is_terminal
    batch: list[Text] = []
    for label, style, text in lines:
        shown = show_control_characters(text)
        if plain and "\t" not in label + shown:
            if batch:
                out.print(Text("\n").join(batch), soft_wrap=True)
                batch = []
            sys.stdout.write(f"{label}{shown}\n")
            continue
        batch.append(Text.assemble((label, style), shown))
        if len(batch) == _LINES_PER_PRINT:
            out.print(Text("\n").join(batch), soft_wrap=True)
            batch = []
    if batch:
        out.print(Text("\n").join(batch), soft_wrap=True)
    sys.stdout.flush()


_TYPE_MAX_WIDTH = 18
_DATE_WIDTH = 10
# The layout of `list` and `search` on a terminal depends on its width alone, never on the ids or
# titles shown, so it does not flip from one result to the next: below TABLE_MIN_WIDTH each
# resource is a block; from it a table of id, date and title; from TYPE_COLUMN_MIN_WIDTH with a
# type column too. 100 columns leave a title 40 cells beside the longest id csec makes (40
# characters); the type column then needs about 20 more.
TABLE_MIN_WIDTH = 100
TYPE_COLUMN_MIN_WIDTH = 120


def resource_table(
    resources: Sequence[Resource],
    *,
    scores: Sequence[float] | None = None,
    titles: Sequence[Text] | None = None,
    width: int | None = None,
) -> Table:
    """The list/search table on a terminal: id, date, type and the title wrapped (score first
    if any), or below TABLE_MIN_WIDTH columns one block per resource: a line of id, date and
    type, then the title wrapped below it at nearly the full width.

    Only the terminal's width chooses the layout; within a table, the id column is as wide as
    the longest id, the type column as its longest word (at most 18) and the title takes the rest.
    """
    width = width or out.width
    if width < TABLE_MIN_WIDTH:
        return _stacked_table(resources, scores, titles)
    id_width = max((cell_len(resource.id) for resource in resources), default=2)
    widths = [id_width, _DATE_WIDTH] if scores is None else [_score_width(), id_width, _DATE_WIDTH]
    if width < TYPE_COLUMN_MIN_WIDTH:
        return _wide_table(resources, scores, titles, _title_width(width, widths))
    type_words = [word for resource in resources for word in (resource.type or "").split()]
    type_width = min(max((cell_len(word) for word in type_words), default=4), _TYPE_MAX_WIDTH)
    title_width = _title_width(width, [*widths, type_width])
    return _wide_table(resources, scores, titles, title_width, type_width=type_width)


def _score_width() -> int:
    """The score column: its heading ("score", "puntaje") or five cells, whichever is wider."""
    return max(5, cell_len(pgettext("column", "score")))


def _title_width(width: int, other_widths: list[int]) -> int:
    # SIMPLE_HEAD draws a one-cell edge on each side and three cells between columns. A
    # hand-made id longer than csec makes may leave little: the title still gets a narrow column.
    return max(10, width - 2 - sum(other_widths) - 3 * len(other_widths))


def _wide_table(
    resources: Sequence[Resource],
    scores: Sequence[float] | None,
    titles: Sequence[Text] | None,
    title_width: int,
    *,
    type_width: int = 0,
) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", expand=False, pad_edge=False)
    if scores is not None:
        table.add_column(
            pgettext("column", "score"),
            justify="right",
            no_wrap=True,
            style="green",
            min_width=_score_width(),
        )
    # Ids are not wrapped; a hand-made one too long for any table at this width folds onto a
    # second line rather than losing its end to an ellipsis.
    table.add_column(pgettext("column", "id"), style="cyan", no_wrap=True, overflow="fold")
    table.add_column(pgettext("column", "date"), no_wrap=True, min_width=_DATE_WIDTH)
    if type_width:
        table.add_column(pgettext("column", "type"), overflow="fold", width=type_width)
    table.add_column(pgettext("column", "title"), overflow="fold", max_width=title_width)
    for index, resource in enumerate(resources):
        row: list[Text | str] = []
        if scores is not None:
            row.append(f"{scores[index]:.0f}")
        row += [safe_text(resource.id, limit=TABLE_CELL_LIMIT), date_text(resource)]
        if type_width:
            row.append(safe_text(resource.type or "", limit=TABLE_CELL_LIMIT))
        row.append(_cell_title(resource, titles, index))
        table.add_row(*row)
    return table


def _cell_title(resource: Resource, titles: Sequence[Text] | None, index: int) -> Text:
    """The title shown in a table: the highlighted one if given, cut at TABLE_CELL_LIMIT."""
    if titles is not None:
        return _limited(titles[index], TABLE_CELL_LIMIT)
    return safe_text(resource.title, limit=TABLE_CELL_LIMIT)


def _stacked_table(
    resources: Sequence[Resource],
    scores: Sequence[float] | None,
    titles: Sequence[Text] | None,
) -> Table:
    table = Table.grid()
    table.add_column(overflow="fold")
    for index, resource in enumerate(resources):
        heading = Text()
        if scores is not None:
            # Labelled: a bare number before the id would not say what it is.
            score = _("score {score}").format(score=f"{scores[index]:.0f}")
            heading.append(score + "  ", style="green")
        heading.append_text(safe_text(resource.id, "cyan"))
        heading.append(f"  {date_text(resource)}")
        if resource.type:
            heading.append("  ")
            heading.append_text(safe_text(resource.type, "dim"))
        title = _cell_title(resource, titles, index)
        # A blank line between blocks, none after the last, so blocks read as entries.
        spacing = 1 if index < len(resources) - 1 else 0
        table.add_row(Group(heading, Padding(title, (0, 0, spacing, 2))))
    return table


def highlight_text(
    value: str, spans: Iterable[tuple[int, int]], style: str = "bold yellow"
) -> Text:
    """Catalogue text made safe (see safe_text), with the given character spans styled.

    Spans are positions in `value`; control characters are made visible first, so each span is
    mapped through the same replacement to stay on the right letters.
    """
    text = Text()
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        text.append_text(safe_text(value[cursor:start]))
        text.append_text(safe_text(value[start:end], style))
        cursor = end
    text.append_text(safe_text(value[cursor:]))
    return text


def print_search_table(
    resources: Sequence[Resource], scores: Sequence[float], titles: Sequence[Text]
) -> None:
    """Print the search results on a terminal: a table, score column first, matched words
    highlighted (a pipe or a file gets plain_output.print_plain_table instead)."""
    out.print(resource_table(resources, scores=scores, titles=titles))


def search_title_cell(
    title: str,
    spans: Iterable[tuple[int, int]],
    fragment: str = "",
    fragment_spans: Iterable[tuple[int, int]] = (),
) -> Text:
    """A search result's title, matched words highlighted, with below it the fragment of its
    summary that matched (dim) when one is given: when the title alone does not say why."""
    cell = highlight_text(title, spans)
    if fragment:
        cell.append("\n")
        shown = highlight_text(fragment, fragment_spans)
        shown.stylize("dim")
        cell.append_text(shown)
    return cell


def print_explanations(rows: Sequence[tuple[str, Sequence[Match]]]) -> None:
    """Print, under the search table, why each resource matched: its id, then one line per
    query word (explanation_line)."""
    out.print()
    out.print(Text(_("Why they matched:"), style="bold"))
    for resource_id, matches in rows:
        out.print(safe_text(resource_id, "cyan"))
        for match in matches:
            out.print(Text("  ").append_text(safe_text(explanation_line(match))))


def explanation_line(match: Match) -> str:
    """One line of --explain: "trata → trafficking (thesaurus: trafficking, title)", the how
    and the field in the interface language (--json keeps them as codes)."""
    how = _how_label(match.how)
    field = _field_label(match.field)
    if match.concept:
        return _("{query} → {matched} ({how}: {concept}, {field})").format(
            query=match.query, matched=match.matched, how=how, concept=match.concept, field=field
        )
    return _("{query} → {matched} ({how}, {field})").format(
        query=match.query, matched=match.matched, how=how, field=field
    )


def _how_label(how: str) -> str:
    """How a query word matched (search.Match.how), as a person reads it."""
    labels = {
        "exact": pgettext("match", "exact"),
        # Translators: UK or US spelling (labour, labor).
        "spelling": pgettext("match", "spelling"),
        "prefix": pgettext("match", "prefix"),
        "typo": pgettext("match", "typo"),
        # Translators: a word of the same origin in another language (inspection, inspección).
        "cognate": pgettext("match", "cognate"),
        "stem": pgettext("match", "stem"),
        "thesaurus": pgettext("match", "thesaurus"),
        # Translators: a narrower concept's term of the thesaurus (Guatemala for Central America).
        "narrower": pgettext("match", "narrower"),
        # Translators: an acronym spelled by the first letters of a title's words.
        "initials": pgettext("match", "initials"),
    }
    return labels.get(how, how)


def _field_label(field: str) -> str:
    """Where a query word matched (search.FIELD_NAMES), as a person reads it."""
    labels = {
        "title": pgettext("field", "title"),
        # Translators: a resource's other short fields: audience, topics, countries, publisher…
        "details": pgettext("field", "details"),
        "summary": pgettext("field", "summary"),
    }
    return labels.get(field, field)


def print_resource_table(resources: Sequence[Resource]) -> None:
    """Print the list on a terminal as a table (a pipe or a file gets
    plain_output.print_plain_table instead)."""
    out.print(resource_table(resources))


_READABLE_WIDTH = 88


def list_text(items: tuple[str, ...]) -> str:
    """Items joined by "; ", an item that itself holds ';' (a `check` error) in double quotes."""
    return "; ".join(f'"{item}"' if ";" in item else item for item in items)


def resource_detail(resource: Resource) -> Table:
    """Every field of one resource, labelled, summary wrapped."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    # Lines much longer than this are hard to follow back to the start of the next one.
    table.add_column(overflow="fold", max_width=_READABLE_WIDTH)
    rows: list[tuple[str, str | None]] = [
        (pgettext("field", "id"), resource.id),
        (pgettext("field", "title"), resource.title),
        (pgettext("field", "authors"), list_text(resource.authors) or None),
        (pgettext("field", "date"), resource.date.display() if resource.date else None),
        (pgettext("field", "type"), resource.type),
        (pgettext("field", "audience"), list_text(resource.audience) or None),
        (pgettext("field", "topics"), list_text(resource.topics) or None),
        (pgettext("field", "countries"), list_text(resource.countries) or None),
        (pgettext("field", "language"), resource.language),
        (pgettext("field", "publisher"), resource.publisher),
        (pgettext("field", "place"), resource.place),
        (pgettext("field", "series"), resource.series),
        (pgettext("field", "isbn"), resource.isbn),
        (pgettext("field", "issn"), resource.issn),
        (pgettext("field", "url"), resource.url),
        (pgettext("field", "files"), list_text(resource.files) or None),
        (pgettext("field", "added"), iso_datetime(resource.added) if resource.added else None),
    ]
    # A team's own fields are named as the catalogue names them: data, never translated.
    for key in sorted(resource.extra):
        rows.append((key, str(resource.extra[key])))
    for label, value in rows:
        if value is not None:
            table.add_row(
                safe_text(label, limit=TABLE_CELL_LIMIT), safe_text(value, limit=DETAIL_LIMIT)
            )
    # The two long texts come last, apart, where they can wrap over several lines.
    long_texts = (
        (pgettext("field", "summary"), resource.summary),
        (pgettext("field", "notes"), resource.notes),
    )
    for label, text in long_texts:
        if text:
            table.add_row("", "")
            table.add_row(label, safe_text(text, limit=DETAIL_LIMIT))
    return table


def print_resource_detail(resource: Resource) -> None:
    """Print `show`'s view of one resource on stdout."""
    out.print(resource_detail(resource))


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar_text(count: int, largest: int, width: int, *, ascii_only: bool = False) -> str:
    """A horizontal bar of `width` cells at most, in eighths of a cell, never empty for count>0.

    With `ascii_only` (an output whose encoding has no block characters) it is drawn in `#`.
    """
    if largest <= 0 or count <= 0 or width <= 0:
        return ""
    if ascii_only:
        return "#" * max(1, round(count / largest * width))
    eighths = max(1, round(count / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


@dataclass(frozen=True)
class BarChart:
    """Labelled horizontal bars sized to the console: label, bar, count on one line each.

    Labels are catalogue text: shown safely, cut with an ellipsis rather than wrapped, so one
    bar is always one line. `dimmed` rows (undated, no type…) are drawn grey.
    """

    title: str
    rows: Sequence[tuple[str, int]]
    dimmed: Sequence[tuple[str, int]] = ()
    hidden: int = 0
    style: str = "cyan"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.title, style="bold")
        everything = [*self.rows, *self.dimmed]
        if not everything:
            yield Text("  " + _("(nothing to count)"), style="dim")
            return
        width = options.max_width
        label_width = min(
            max(cell_len(label) for label, count in everything), max(8, width * 2 // 5)
        )
        count_width = max(len(str(count)) for label, count in everything)
        # Past ~60 cells a longer bar tells nothing more and only pushes the count out of sight.
        bar_width = min(60, max(4, width - label_width - count_width - 6))
        largest = max(count for label, count in everything)
        for rows, style in ((self.rows, self.style), (self.dimmed, "dim")):
            for label, count in rows:
                line = Text("  ")
                label_text = safe_text(_fit(label, label_width))
                label_text.set_length(label_width)
                line.append_text(label_text)
                line.append("  ")
                line.append(
                    bar_text(count, largest, bar_width, ascii_only=options.ascii_only),
                    style=style,
                )
                line.append(f" {count}", style="bold" if style != "dim" else "dim")
                yield line
        if self.hidden:
            more = _("… and {count} more (see --json, or --top)").format(count=self.hidden)
            yield Text("  " + more, style="dim")


def _fit(label: str, width: int) -> str:
    """The label cut to `width` cells with an ellipsis."""
    if cell_len(label) <= width:
        return label
    text = Text(label)
    text.truncate(width, overflow="ellipsis")
    return text.plain


def stats_view(stats: CatalogueStats, top: int = 10) -> Group:
    """`csec stats`: resources per year, then the most frequent types, audiences, countries and
    languages, each as bars; resources without a value are shown as their own grey bar."""
    total = ngettext("{count} resource", "{count} resources", stats.resources)
    charts: list[BarChart | Text] = [
        Text(total.format(count=stats.resources), style="bold"),
        Text(""),
        BarChart(
            _("Per year"),
            [(str(year), count) for year, count in stats.by_year],
            [(_("undated"), stats.undated)] if stats.undated else (),
            style="green",
        ),
    ]
    fields = (
        (_("By type"), stats.by_type, _("no type")),
        (_("By audience"), stats.by_audience, _("no audience")),
        (_("By country or region"), stats.by_country, _("no country")),
        (_("By language"), stats.by_language, _("no language")),
    )
    for title, counts, missing_label in fields:
        charts += [Text(""), _value_chart(title, counts, missing_label, top)]
    return Group(*charts)


def _value_chart(title: str, counts: ValueCounts, missing_label: str, top: int) -> BarChart:
    shown = counts.counts[:top]
    dimmed = [(missing_label, counts.missing)] if counts.missing else []
    return BarChart(title, shown, dimmed, hidden=len(counts.counts) - len(shown))


def print_stats(stats: CatalogueStats, top: int = 10) -> None:
    """Print `csec stats`'s charts on stdout."""
    out.print(stats_view(stats, top))


def print_prompt(question: str, default: str | None = None) -> None:
    """A question on stderr, the cursor left after it (`Title: `, `Language [en]: `)."""
    text = safe_text(question, "bold")
    if default:
        text.append(" [")
        text.append_text(safe_text(default, "cyan"))
        text.append("]")
    text.append(": ")
    err.print(text, end="", soft_wrap=True)
    err.file.flush()


def print_resource_preview(resource: Resource, heading: str | None = None) -> None:
    """A resource shown on stderr before a question about it (stdout stays for data)."""
    if heading:
        err.print(safe_text(heading, "bold"), soft_wrap=True)
    err.print(resource_detail(resource))


T = TypeVar("T")
PROGRESS_DELAY_SECONDS = 1.0
# Items between two updates of a shown bar: it redraws ten times a second whatever the count, and
# an update per item would cost a noticeable part of a 100,000-resource export.
PROGRESS_STEP = 200


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
    Disabled, it is the plain iterator of the items, costing nothing per item.
    """
    if not enabled:
        return iter(items)
    return _tracked(
        items, description, delay, clock, clock() if started is None else started, console
    )


def _tracked(
    items: Sequence[T],
    description: str,
    delay: float,
    clock: Callable[[], float],
    started: float,
    console: Console | None,
) -> Iterator[T]:
    progress: Progress | None = None
    task = None
    done = 0
    try:
        for item in items:
            if progress is None:
                if clock() - started >= delay:
                    # Imported here: only a long export shows a bar, and rich.progress is not
                    # cheap to import (about 0.01 s of every command that renders).
                    from rich.progress import (
                        BarColumn,
                        MofNCompleteColumn,
                        Progress,
                        TextColumn,
                        TimeRemainingColumn,
                    )

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
            elif task is not None and done % PROGRESS_STEP == 0:
                progress.update(task, completed=done)
            yield item
            done += 1
    finally:
        if progress is not None:
            if task is not None:
                progress.update(task, completed=done)
            progress.stop()


def print_history_table(rows: Sequence[tuple[str, str, str]]) -> None:
    """The writes `csec undo` can take back, newest (the next undone) first: a table on a
    terminal, plain aligned lines elsewhere (as `list` prints them)."""
    headings = (
        pgettext("column", "when"),
        pgettext("column", "change"),
        pgettext("column", "resources"),
    )
    if not out.is_terminal:
        shown = [[show_control_characters(cell) for cell in row] for row in rows]
        write_text_lines(aligned_lines(list(headings), shown))
        return
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", expand=False, pad_edge=False)
    for heading in headings:
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(*(safe_text(cell) for cell in row))
    out.print(table)
