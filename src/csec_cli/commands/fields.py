"""The resource fields as flags and as questions, shared by `add` and `edit`.

Flags and answers go through the same parsers (csec_cli.field_values), so a value is accepted or
refused alike however it arrives. A value close to one already in the catalogue is proposed in
its existing spelling on a terminal, and warned about on a pipe.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from csec_cli.checks import SPELLING_FIELDS, attached_file_path, known_values, propose_spelling
from csec_cli.commands.prompting import ask, ask_required, confirm
from csec_cli.errors import InvalidValueError
from csec_cli.field_values import (
    file_as_stored,
    parse_date,
    parse_isbn,
    parse_issn,
    parse_language,
    parse_list,
    parse_text,
    parse_title,
    parse_url,
    split_answer,
)
from csec_cli.i18n import N_, _, language, ngettext
from csec_cli.messages import print_hint, print_warning
from csec_cli.models import LIST_FIELDS, SUBJECT_LIST_FIELDS, Resource, field_in_prose

FIELDS_PANEL = "Fields"

TitleOption = Annotated[
    str | None,
    typer.Option(
        "--title", metavar="TITLE", help="Title, as printed.", rich_help_panel=FIELDS_PANEL
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help=(
            "Date: 2009-03-01, '01 March 2009', 'March 2009', 2009-03 or 2009. Numbers with the "
            "year first (2009/3/1) are year-month-day; 15/03/2009 is day/month/year; 03/04/2011, "
            "which reads both ways, is refused unless CSEC_DATE_ORDER=DMY or MDY says how your "
            "team writes dates."
        ),
        rich_help_panel=FIELDS_PANEL,
    ),
]
SummaryOption = Annotated[
    str | None,
    typer.Option("--summary", metavar="TEXT", help="Short summary.", rich_help_panel=FIELDS_PANEL),
]
TypeOption = Annotated[
    str | None,
    typer.Option(
        "--type",
        metavar="TYPE",
        help="Type, e.g. manual, study, leaflet.",
        rich_help_panel=FIELDS_PANEL,
    ),
]
AudienceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--audience",
        metavar="AUDIENCE",
        help="Audience (repeatable; 'a; b' is two).",
        rich_help_panel=FIELDS_PANEL,
    ),
]
TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        metavar="TOPIC",
        help="Topic (repeatable; 'a; b' is two).",
        rich_help_panel=FIELDS_PANEL,
    ),
]
CountryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--country",
        metavar="PLACE",
        help="Country or region (repeatable; 'a; b' is two).",
        rich_help_panel=FIELDS_PANEL,
    ),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        metavar="CODE",
        help="ISO 639-1 code, e.g. en, es.",
        rich_help_panel=FIELDS_PANEL,
    ),
]
PublisherOption = Annotated[
    str | None,
    typer.Option("--publisher", metavar="NAME", help="Publisher.", rich_help_panel=FIELDS_PANEL),
]
UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url", metavar="URL", help="Web address (http or https).", rich_help_panel=FIELDS_PANEL
    ),
]
AuthorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--author",
        metavar="NAME",
        help="Author: 'Surname, Given names', or an organisation (repeatable; 'a; b' is two).",
        rich_help_panel=FIELDS_PANEL,
    ),
]
IsbnOption = Annotated[
    str | None,
    typer.Option(
        "--isbn",
        metavar="ISBN",
        help="ISBN-10 or ISBN-13, hyphens optional; the check digit is verified.",
        rich_help_panel=FIELDS_PANEL,
    ),
]
IssnOption = Annotated[
    str | None,
    typer.Option(
        "--issn",
        metavar="ISSN",
        help="ISSN, e.g. 2227-2704; the check digit is verified.",
        rich_help_panel=FIELDS_PANEL,
    ),
]
PlaceOption = Annotated[
    str | None,
    typer.Option(
        "--place", metavar="TEXT", help="Place of publication.", rich_help_panel=FIELDS_PANEL
    ),
]
SeriesOption = Annotated[
    str | None,
    typer.Option("--series", metavar="TEXT", help="Series.", rich_help_panel=FIELDS_PANEL),
]
NotesOption = Annotated[
    str | None,
    typer.Option("--notes", metavar="TEXT", help="Notes.", rich_help_panel=FIELDS_PANEL),
]
FileOption = Annotated[
    list[str] | None,
    typer.Option(
        "--file",
        metavar="PATH",
        help=(
            "An attached document, its path as your shell sees it; kept relative to the "
            "catalogue's folder when inside it (repeatable; csec open opens the first)."
        ),
        rich_help_panel=FIELDS_PANEL,
    ),
]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")
]

_FLAG_OF = {
    "title": "--title", "date": "--date", "summary": "--summary", "type": "--type",
    "audience": "--audience", "topics": "--topic", "countries": "--country",
    "language": "--language", "publisher": "--publisher", "url": "--url",
    "authors": "--author", "isbn": "--isbn", "issn": "--issn", "place": "--place",
    "series": "--series", "notes": "--notes", "files": "--file",
}  # fmt: skip

# The questions are translated where they are asked (the language is chosen at run time).
_QUESTION_OF = {
    "title": N_("Title"),
    # Translators: the example dates must be ones csec reads: in Spanish "1 de marzo de 2009".
    "date": N_("Date (2009-03-01, 01 March 2009, March 2009 or 2009)"),
    "summary": N_("Summary"),
    "type": N_("Type"),
    "audience": N_("Audience (comma-separated)"),
    "topics": N_("Topics (comma-separated)"),
    "countries": N_("Countries or regions (comma-separated)"),
    "language": N_("Language (ISO 639-1)"),
    "publisher": N_("Publisher"),
    "url": N_("URL"),
    "authors": N_("Authors (Surname, Given names; ...)"),
    "isbn": N_("ISBN"),
    "issn": N_("ISSN"),
    "place": N_("Place of publication"),
    "series": N_("Series"),
    "notes": N_("Notes"),
    "files": N_("Files (paths, separated by ;)"),
}

# Fields whose existing values are offered, and checked for near-miss spellings.
_OFFERED_FIELDS = ("type", *SUBJECT_LIST_FIELDS)
# How many existing values a prompt lists (the most used); a large catalogue has hundreds.
_OFFERED_COUNT = 12


def flag_of(name: str) -> str:
    """The flag that sets a field (`topics` is set with `--topic`)."""
    return _FLAG_OF[name]


def parse_value(name: str, text: str) -> Any:
    """One field's value from text; list fields take a comma-separated answer."""
    if name == "title":
        return parse_title(text)
    if name == "date":
        return parse_date(text)
    if name == "language":
        return parse_language(text)
    if name == "url":
        return parse_url(text)
    if name == "isbn":
        return parse_isbn(text)
    if name == "issn":
        return parse_issn(text)
    if name in LIST_FIELDS:
        return parse_list(split_answer(text, name), name)
    return parse_text(text, name)


def values_from_flags(flags: dict[str, Any]) -> dict[str, Any]:
    """The fields given as flags, parsed; an InvalidValueError names the flag at fault."""
    values: dict[str, Any] = {}
    for name, given in flags.items():
        if given is None or (name in LIST_FIELDS and not given):
            continue
        try:
            if name in LIST_FIELDS:
                values[name] = parse_list(list(given), name)
            else:
                values[name] = parse_value(name, given)
        except InvalidValueError as error:
            raise InvalidValueError(f"{flag_of(name)}: {error}") from None
    return values


def place_files(values: dict[str, Any], catalogue_path: Path) -> None:
    """Store typed file paths from the catalogue's folder, warning about any that is missing
    (kept all the same: the document may be copied there later, and `check` will remind)."""
    if not values.get("files"):
        return
    folder = catalogue_path.parent
    values["files"] = tuple(dict.fromkeys(file_as_stored(item, folder) for item in values["files"]))
    for item in values["files"]:
        path = attached_file_path(item, folder)
        if not path.exists():
            print_warning(
                _("file {file} does not exist (looked for {path}); kept as given").format(
                    file=repr(item), path=path.absolute()
                )
            )


def warn_near_misses(
    values: dict[str, Any],
    resources: list[Resource],
    known_of: Callable[[str], list[str]] | None = None,
) -> None:
    """On a pipe, point out values alike or close to an existing spelling (they are kept as
    given), in every field `check` compares; `known_of` gives each field's known_values when the
    resources are not at hand."""
    for name in SPELLING_FIELDS:
        if values.get(name) in (None, ()):
            continue
        known = known_values(resources, name) if known_of is None else known_of(name)
        items = values[name] if name in LIST_FIELDS else (values[name],)
        for item in items:
            proposal = propose_spelling(item, known, name)
            if proposal:
                print_warning(
                    _("{field} {value} is close to the existing {existing}; kept as given").format(
                        field=field_in_prose(name), value=repr(item), existing=repr(proposal)
                    )
                )


def settle_spellings(name: str, value: Any, resources: list[Resource]) -> Any:
    """On a terminal, offer the existing spelling for each near miss in a type or list answer."""
    if name not in _OFFERED_FIELDS or value is None:
        return value
    known = known_values(resources, name)
    items = list(value) if name in LIST_FIELDS else [value]
    for index, item in enumerate(items):
        proposal = propose_spelling(item, known, name)
        if not proposal:
            continue
        question = _("Use the existing {existing} for {given}?").format(
            existing=repr(proposal), given=repr(item)
        )
        if confirm("  " + question, default=True):
            items[index] = proposal
    return parse_list(items, name) if name in LIST_FIELDS else items[0]


def offer_known_values(name: str, resources: list[Resource]) -> None:
    """List the values already used in a field, most used first, before asking for it."""
    if name not in _OFFERED_FIELDS:
        return
    known = known_values(resources, name)
    if known:
        shown = ", ".join(known[:_OFFERED_COUNT])
        left = len(known) - _OFFERED_COUNT
        if left > 0:
            shown += ", … " + ngettext("({count} more)", "({count} more)", left).format(count=left)
        print_hint(_("Already used: {values}").format(values=shown))


def ask_new_value(name: str, resources: list[Resource]) -> Any:
    """Ask for one field of a new resource; None when left empty (the title is required)."""
    if name == "title":
        return ask_required(question_of(name), parse_title)
    offer_known_values(name, resources)
    # The language offered is the one the person reads csec in: a team working in Spanish
    # mostly catalogues Spanish documents, and the catalogue's most common language would keep
    # offering English to a team that started from the (English) seed.
    default = language() if name == "language" else None
    value = ask(question_of(name), lambda text: parse_value(name, text), default=default)
    return settle_spellings(name, value, resources)


def question_of(name: str) -> str:
    """The prompt text for a field, in the interface language."""
    return _(_QUESTION_OF[name])
