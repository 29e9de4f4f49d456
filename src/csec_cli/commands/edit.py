"""`csec edit ID`: change fields of one resource, by flags or by answering with current values."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from csec_cli.catalogue import find_resource, load_catalogue, refuse_if_invalid, updating_catalogue
from csec_cli.checks import refuse_faulty_changes
from csec_cli.commands import prompting
from csec_cli.commands.common import IdArgument, app_state
from csec_cli.commands.fields import (
    AudienceOption,
    AuthorOption,
    CountryOption,
    DateOption,
    FileOption,
    IsbnOption,
    IssnOption,
    LanguageOption,
    NotesOption,
    PlaceOption,
    PublisherOption,
    SeriesOption,
    SummaryOption,
    TitleOption,
    TopicOption,
    TypeOption,
    UrlOption,
    YesOption,
    flag_of,
    offer_known_values,
    parse_value,
    place_files,
    question_of,
    settle_spellings,
    values_from_flags,
    warn_near_misses,
)
from csec_cli.commands.prompting import (
    CLEAR_ANSWER,
    confirm,
    leaving_untouched,
    read_answer,
)
from csec_cli.errors import CsecError, InvalidValueError
from csec_cli.field_values import CLEARABLE_FIELDS, EDITABLE_FIELDS, list_answer_text
from csec_cli.models import LIST_FIELDS, Resource
from csec_cli.render import print_hint, print_note, print_resource_preview

NOTHING_CHANGED = "Nothing was changed."
_EMPTY: dict[str, Any] = {name: () if name in LIST_FIELDS else None for name in CLEARABLE_FIELDS}


def edit_command(
    ctx: typer.Context,
    resource_id: IdArgument,
    title: TitleOption = None,
    author: AuthorOption = None,
    date: DateOption = None,
    summary: SummaryOption = None,
    type_: TypeOption = None,
    audience: AudienceOption = None,
    topic: TopicOption = None,
    country: CountryOption = None,
    language: LanguageOption = None,
    publisher: PublisherOption = None,
    url: UrlOption = None,
    isbn: IsbnOption = None,
    issn: IssnOption = None,
    place: PlaceOption = None,
    series: SeriesOption = None,
    notes: NotesOption = None,
    files: FileOption = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            metavar="FIELD",
            help="Empty a field, e.g. --clear url (repeatable; any field but title).",
        ),
    ] = None,
    yes: YesOption = False,
) -> None:
    """Change one resource: the fields given as flags, or each field in turn on a terminal.

    List flags (--author, --audience, --topic, --country, --file) replace the whole list.

    The id never changes.

    Example: csec edit labour-inspection --date "March 2009" --clear url --yes
    """
    location = app_state(ctx).location
    catalogue = load_catalogue(location.path_for_reading())
    original = find_resource(catalogue.resources, resource_id)
    # Editing the one resource `check` faults is how it gets fixed; any other fault stops it.
    refuse_if_invalid(catalogue, fixing=original.id)
    changes = values_from_flags(
        {
            "title": title, "date": date, "summary": summary, "type": type_,
            "audience": audience, "topics": topic, "countries": country,
            "language": language, "publisher": publisher, "url": url,
            "authors": author, "isbn": isbn, "issn": issn, "place": place,
            "series": series, "notes": notes, "files": files,
        }
    )  # fmt: skip
    for name in clear or ():
        if name not in CLEARABLE_FIELDS:
            raise typer.BadParameter(
                f"{name!r} cannot be cleared; choose from {', '.join(CLEARABLE_FIELDS)}",
                param_hint="--clear",
            )
        if name in changes:
            raise typer.BadParameter(f"{flag_of(name)} and --clear {name} contradict each other")
        changes[name] = _EMPTY[name]
    interactive = prompting.stdin_is_terminal()
    if not changes and not interactive:
        raise CsecError(
            "nothing to change: give the new values as flags (see `csec edit --help`), "
            "or run csec edit on a terminal to be asked"
        )
    with leaving_untouched(NOTHING_CHANGED):
        if changes:
            warn_near_misses(changes, catalogue.resources)
        else:
            changes = _ask_changes(original, catalogue.resources)
        place_files(changes, location.path)
        edited = original.with_changes(**changes)
        if edited == original:
            print_note(f"{NOTHING_CHANGED} ({original.id!r} already has these values.)")
            return
        refuse_faulty_changes(catalogue, [edited])  # before asking to save what cannot be
        if interactive and not yes:
            print_resource_preview(edited, "\nThe resource after your changes:")
            if not confirm("Save the changes?", default=True):
                print_note(NOTHING_CHANGED)
                raise typer.Exit(1)
    with updating_catalogue(location, fixing=original.id) as current:
        index = _index_of(current.resources, original)
        current.resources[index] = edited
    print_note(f"Changed {original.id!r} in {location.path}.")


def _index_of(resources: list[Resource], original: Resource) -> int:
    # Questions are answered without the lock held, so the resource is looked up again under it,
    # and the edit refused if someone else changed or removed it meanwhile.
    for index, resource in enumerate(resources):
        if resource.id == original.id:
            if resource != original:
                raise CsecError(
                    f"{original.id!r} was changed by someone else meanwhile; run csec edit again"
                )
            return index
    raise CsecError(f"{original.id!r} was removed by someone else meanwhile; nothing was changed")


def _ask_changes(resource: Resource, resources: list[Resource]) -> dict[str, Any]:
    print_note(
        f"Editing {resource.id!r}. Enter keeps a value; {CLEAR_ANSWER} empties it (not the title)."
    )
    changes: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        current = _current_text(resource, name)
        offer_known_values(name, resources)
        while True:
            answer = read_answer(question_of(name), current)
            if not answer:
                break
            if answer == CLEAR_ANSWER and name in CLEARABLE_FIELDS:
                changes[name] = _EMPTY[name]
                break
            try:
                value = parse_value(name, answer)
            except InvalidValueError as error:
                print_hint(f"{error}; try again.")
                continue
            changes[name] = settle_spellings(name, value, resources)
            break
    return changes


def _current_text(resource: Resource, name: str) -> str | None:
    value = getattr(resource, name)
    if name == "date":
        return value.display() if value else None
    if name in LIST_FIELDS:
        return list_answer_text(value, name) or None
    return str(value) if value is not None else None
