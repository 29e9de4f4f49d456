"""`csec add`: a new resource, asked for field by field on a terminal or given as flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from csec_cli.catalogue import (
    Catalogue,
    CatalogueFacts,
    CatalogueLocation,
    append_resource,
    load_catalogue,
    refuse_if_invalid,
)
from csec_cli.checks import find_similar_titles
from csec_cli.commands import prompting
from csec_cli.commands.common import app_state, noting_seed_start
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
    ask_new_value,
    place_files,
    settle_spellings,
    values_from_flags,
    warn_near_misses,
)
from csec_cli.commands.prompting import confirm, leaving_untouched
from csec_cli.errors import CsecError
from csec_cli.field_values import EDITABLE_FIELDS
from csec_cli.i18n import N_, _
from csec_cli.messages import print_note, print_resource_preview
from csec_cli.models import Resource, make_id

NOTHING_ADDED = N_("Nothing was added.")


def add_command(
    ctx: typer.Context,
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
    yes: YesOption = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="Add even if a resource has nearly the same title."),
    ] = False,
) -> None:
    """Add a resource: on a terminal csec asks for each field; every field is also a flag.

    Prints the new resource's id on stdout.

    Example: csec add --title "Taking action!" --date "March 2009" --type pamphlet --yes
    """
    location = app_state(ctx).location
    values = values_from_flags(
        {
            "title": title, "date": date, "summary": summary, "type": type_,
            "audience": audience, "topics": topic, "countries": country,
            "language": language, "publisher": publisher, "url": url,
            "authors": author, "isbn": isbn, "issn": issn, "place": place,
            "series": series, "notes": notes, "files": files,
        }
    )  # fmt: skip
    place_files(values, location.path)
    interactive = prompting.stdin_is_terminal()
    if "title" not in values and not interactive:
        raise CsecError(_("--title is required when csec add is not run on a terminal"))
    with noting_seed_start(location):
        if "title" in values and (yes or not interactive):
            added = _add_without_questions(location, values, allow_duplicate)
        else:
            added = _add_with_questions(location, values, yes, allow_duplicate)
    print_note(_("Added {id} to {path}.").format(id=repr(added.id), path=location.path))
    typer.echo(added.id)


def _add_without_questions(
    location: CatalogueLocation, values: dict[str, Any], allow_duplicate: bool
) -> Resource:
    """The title came as a flag and nothing is to be asked (--yes, or no terminal): the
    catalogue is read once, under the lock, and the near-duplicate check and the spelling
    warnings run on it there, so a similar title another process added a moment earlier is
    refused too."""

    def check(facts: CatalogueFacts) -> None:
        # Facts rather than resources: with a fresh cache, the catalogue is not loaded at all.
        if not allow_duplicate:
            _refuse_similar(facts.similar_titles(values["title"]))
        warn_near_misses(values, [], facts.known_values)

    resource = _new_resource(values, taken_ids=())  # the id is made under the lock
    return append_resource(location, resource, fresh_id=True, check_facts=check).resources[-1]


def _add_with_questions(
    location: CatalogueLocation, values: dict[str, Any], yes: bool, allow_duplicate: bool
) -> Resource:
    """Ask for what the flags left out, offering the values already in use, then confirm."""
    catalogue = _catalogue_before_adding(location.path_for_reading())
    refuse_if_invalid(catalogue)
    with leaving_untouched(_(NOTHING_ADDED)):
        if "title" not in values:
            values["title"] = ask_new_value("title", catalogue.resources)
            _allow_similar_titles(values["title"], catalogue, yes, allow_duplicate)
            for name in EDITABLE_FIELDS[1:]:
                if name not in values:
                    values[name] = ask_new_value(name, catalogue.resources)
                    if name == "files":
                        place_files(values, location.path)
                else:
                    values[name] = settle_spellings(name, values[name], catalogue.resources)
        else:
            _allow_similar_titles(values["title"], catalogue, yes, allow_duplicate)
            warn_near_misses(values, catalogue.resources)
        resource = _new_resource(values, catalogue.ids())
        if not yes:
            print_resource_preview(resource, "\n" + _("The new resource:"))
            if not confirm(_("Add it to the catalogue?"), default=True):
                print_note(_(NOTHING_ADDED))
                raise typer.Exit(1)

    # The answers took a while: a title another process wrote meanwhile was never weighed, so
    # it is checked under the lock, and a similar one refused (asking about it there would keep
    # every other writer waiting for this user).
    weighed = {resource.title for resource in catalogue.resources}

    def check(current: Catalogue) -> None:
        if not allow_duplicate:
            written_meanwhile = [found for found in current.resources if found.title not in weighed]
            _refuse_similar_titles(values["title"], written_meanwhile, meanwhile=True)

    # Appending loads the catalogue again, under the lock: the copy read here is let go first
    # (at 100,000 resources each copy is some 280 MB).
    del catalogue
    return append_resource(location, resource, fresh_id=True, check=check).resources[-1]


def _catalogue_before_adding(path: Path) -> Catalogue:
    # Read without the lock to offer existing values and find duplicates while the user types;
    # the write itself reloads under the lock. A missing file is a catalogue yet to be created.
    if not path.exists():
        return Catalogue(path=path)
    return load_catalogue(path)


def _refuse_similar_titles(
    title: str, resources: list[Resource], *, meanwhile: bool = False
) -> None:
    _refuse_similar(find_similar_titles(title, resources), meanwhile=meanwhile)


def _refuse_similar(similar: list[Resource], *, meanwhile: bool = False) -> None:
    if not similar:
        return
    ids = ", ".join(resource.id for resource in similar)
    if meanwhile:
        message = _(
            "while you answered, another csec added a resource with (nearly) this title: "
            "{ids}; check with `csec show ID`, or add it anyway with --allow-duplicate"
        )
    else:
        message = _(
            "the catalogue already has a resource with (nearly) this title: {ids}; "
            "check with `csec show ID`, or add it anyway with --allow-duplicate"
        )
    raise CsecError(message.format(ids=ids))


def _allow_similar_titles(
    title: str, catalogue: Catalogue, yes: bool, allow_duplicate: bool
) -> None:
    """Show the resources with a similar title and ask whether to add anyway (--yes refuses)."""
    if allow_duplicate:
        return
    if yes:
        _refuse_similar_titles(title, catalogue.resources)
        return
    similar = find_similar_titles(title, catalogue.resources)
    for resource in similar:
        print_resource_preview(
            resource, "\n" + _("Already in the catalogue, with a similar title:")
        )
    if similar and not confirm(_("Add the new one anyway?"), default=False):
        print_note(_(NOTHING_ADDED))
        raise typer.Exit(1)


def _new_resource(values: dict[str, Any], taken_ids: Iterable[str]) -> Resource:
    fields = {name: value for name, value in values.items() if value not in (None, ())}
    return Resource(
        id=make_id(fields["title"], taken_ids),
        added=dt.datetime.now(dt.UTC).replace(microsecond=0),
        **fields,
    )
