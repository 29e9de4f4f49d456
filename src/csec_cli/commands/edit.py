"""`csec edit ID`: change fields of one resource, by flags or by answering with current values."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from csec_cli.catalogue import find_resource, load_catalogue, refuse_if_invalid, updating_catalogue
from csec_cli.checks import refuse_faulty_changes
from csec_cli.commands import prompting
from csec_cli.commands.common import (
    IdArgument,
    app_state,
    complete_list_field,
    noting_seed_start,
)
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
from csec_cli.field_values import (
    CLEARABLE_FIELDS,
    EDITABLE_FIELDS,
    add_items,
    file_as_stored,
    item_key,
    list_answer_text,
    parse_extra_key,
    parse_extra_setting,
    remove_items,
)
from csec_cli.i18n import N_, _
from csec_cli.models import FIELD_ORDER, LIST_FIELDS, Resource
from csec_cli.render import print_hint, print_note, print_resource_preview

NOTHING_CHANGED = N_("Nothing was changed.")
_EMPTY: dict[str, Any] = {name: () if name in LIST_FIELDS else None for name in CLEARABLE_FIELDS}
LISTS_PANEL = "Lists"
OTHER_KEYS_PANEL = "Keys csec does not know"


def _list_edit_options() -> dict[str, tuple[str, str, str, Any]]:
    """For each list field, its --add-X and --remove-X options: parameter name → (field,
    "add" or "remove", flag, annotation). Made from models.LIST_FIELDS, so a new list field
    gets both flags with no change here."""
    options: dict[str, tuple[str, str, str, Any]] = {}
    for name in LIST_FIELDS:
        singular = flag_of(name).removeprefix("--")
        for action, verb, rest in (
            ("add", "Add", "keeping the others"),
            # As field_values.item_key matches them: paths exactly, other items folded.
            (
                "remove",
                "Remove",
                "matched exactly" if name == "files" else "matched without case or accents",
            ),
        ):
            flag = f"--{action}-{singular}"
            help_text = f"{verb} one {singular}, {rest} (repeatable)."
            option = typer.Option(
                flag,
                metavar=singular.upper(),
                help=help_text,
                rich_help_panel=LISTS_PANEL,
                autocompletion=complete_list_field(name),
            )
            options[f"{action}_{name}"] = (name, action, flag, Annotated[list[str] | None, option])
    return options


_LIST_EDITS = _list_edit_options()


def with_list_edits(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give `edit` an --add-X and a --remove-X option per list field; it receives them as one
    `list_edits` argument: {field: {"add": [...], "remove": [...]}}."""
    signature = inspect.signature(command, eval_str=True)
    parameters = list(signature.parameters.values())
    kept = [parameter for parameter in parameters if parameter.name != "list_edits"]
    added = [
        inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=option[3], default=None)
        for key, option in _LIST_EDITS.items()
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        edits: dict[str, dict[str, list[str]]] = {}
        for key, (name, action, _flag, _annotation) in _LIST_EDITS.items():
            values = kwargs.pop(key, None)
            if values:
                edits.setdefault(name, {})[action] = list(values)
        return command(*args, list_edits=edits, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{key: value for key, value in command.__annotations__.items() if key != "list_edits"},
        **{key: option[3] for key, option in _LIST_EDITS.items()},
    }
    return wrapper


@with_list_edits
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
            help=(
                "Empty a field, named as its flag or as stored, e.g. --clear url, --clear "
                "topic (repeatable; any field but title)."
            ),
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help=(
                "Set a key csec does not know, e.g. --set shelf=B3; the value is stored as "
                "text (repeatable)."
            ),
            rich_help_panel=OTHER_KEYS_PANEL,
        ),
    ] = None,
    unset: Annotated[
        list[str] | None,
        typer.Option(
            "--unset",
            metavar="KEY",
            help="Remove a key csec does not know, e.g. --unset shelf (repeatable).",
            rich_help_panel=OTHER_KEYS_PANEL,
        ),
    ] = None,
    yes: YesOption = False,
    list_edits: dict[str, dict[str, list[str]]] | None = None,
) -> None:
    """Change one resource: the fields given as flags, or each field in turn on a terminal.

    List flags (--author, --audience, --topic, --country, --file) replace the whole list; --add-audience, --remove-author and the like change one item. The id never changes.

    Example: csec edit labour-inspection --date "March 2009" --add-topic "child labour" --yes
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
    # Paths typed now are read from the current folder; the stored ones are left as they are.
    place_files(changes, location.path)
    for given in clear or ():
        name = _cleared_field(given)
        if name in changes:
            raise typer.BadParameter(
                _("{first} and {second} contradict each other").format(
                    first=flag_of(name), second=f"--clear {given}"
                )
            )
        changes[name] = _EMPTY[name]
    # --add-file/--remove-file paths are stored (from the current folder) by _list_changes.
    changes.update(_list_changes(original, list_edits or {}, changes, location.path))
    extra = _extra_changes(original, set_ or (), unset or ())
    if extra is not None:
        changes["extra"] = extra
    interactive = prompting.stdin_is_terminal()
    if not changes and not interactive:
        raise CsecError(
            _(
                "nothing to change: give the new values as flags (see `csec edit --help`), "
                "or run csec edit on a terminal to be asked"
            )
        )
    with leaving_untouched(_(NOTHING_CHANGED)):
        if changes:
            warn_near_misses(_new_values(original, changes), catalogue.resources)
        else:
            changes = _ask_changes(original, catalogue.resources)
            place_files(changes, location.path)
        edited = original.with_changes(**changes)
        if edited == original:
            print_note(
                _("Nothing was changed. ({id} already has these values.)").format(
                    id=repr(original.id)
                )
            )
            return
        refuse_faulty_changes(catalogue, [edited])  # before asking to save what cannot be
        if interactive and not yes:
            print_resource_preview(edited, "\n" + _("The resource after your changes:"))
            if not confirm(_("Save the changes?"), default=True):
                print_note(_(NOTHING_CHANGED))
                raise typer.Exit(1)
    with (
        noting_seed_start(location),
        updating_catalogue(location, fixing=original.id, change=f"edit {original.id}") as current,
    ):
        index = _index_of(current.resources, original)
        current.resources[index] = edited
    print_note(_("Changed {id} in {path}.").format(id=repr(original.id), path=location.path))


def _cleared_field(given: str) -> str:
    """The field `--clear` names: as stored (topics) or as its flag (topic, --topic)."""
    wanted = given.strip().lower().removeprefix("--")
    for name in CLEARABLE_FIELDS:
        if wanted in (name, flag_of(name).removeprefix("--")):
            return name
    if wanted == "title":
        message = _("--clear: {field} cannot be cleared; choose from {choices}, e.g. --clear url")
    else:
        message = _(
            "--clear: {field} is not a field that can be cleared; choose from {choices}, "
            "e.g. --clear url"
        )
    choices = ", ".join(flag_of(name).removeprefix("--") for name in CLEARABLE_FIELDS)
    raise typer.BadParameter(
        message.format(field=repr(given), choices=choices), param_hint="--clear"
    )


def _list_changes(
    original: Resource,
    edits: dict[str, dict[str, list[str]]],
    changes: dict[str, Any],
    catalogue_path: Path,
) -> dict[str, tuple[str, ...]]:
    """The new lists that --add-X and --remove-X make: removals first, then additions."""
    new: dict[str, tuple[str, ...]] = {}
    for name, actions in edits.items():
        if name == "files":
            actions = _files_as_stored(actions, catalogue_path)
        singular = flag_of(name).removeprefix("--")
        flag = {action: f"--{action}-{singular}" for action in ("add", "remove")}
        if name in changes:
            replaced = flag_of(name) if changes[name] else f"--clear {singular}"
            raise typer.BadParameter(
                _("{first} and {second} contradict each other").format(
                    first=replaced, second=flag[next(iter(actions))]
                )
            )
        twice = {item_key(item, name) for item in actions.get("add", ())} & {
            item_key(item, name) for item in actions.get("remove", ())
        }
        if twice:
            raise typer.BadParameter(
                _("{add} and {remove} both name {item}; keep one").format(
                    add=flag["add"], remove=flag["remove"], item=repr(min(twice))
                )
            )
        items: tuple[str, ...] = getattr(original, name)
        for action, change in (("remove", remove_items), ("add", add_items)):
            if action in actions:
                try:
                    items = change(items, actions[action], name)
                except InvalidValueError as error:
                    raise InvalidValueError(f"{flag[action]}: {error}") from None
        new[name] = items
    return new


def _files_as_stored(actions: dict[str, list[str]], catalogue_path: Path) -> dict[str, list[str]]:
    """Typed paths (from the current folder) as `files` keeps them, as --file stores them; an
    added file that does not exist is warned about (and kept)."""
    stored = {
        action: [file_as_stored(item, catalogue_path.parent) for item in items]
        for action, items in actions.items()
    }
    if "add" in actions:
        added = {"files": tuple(actions["add"])}
        place_files(added, catalogue_path)
        stored["add"] = list(added["files"])
    return stored


def _extra_changes(
    original: Resource, settings: Iterable[str], unset: Iterable[str]
) -> dict[str, Any] | None:
    """The keys csec does not know after --set and --unset, or None when neither was given."""
    settings, unset = list(settings), list(unset)
    if not settings and not unset:
        return None
    extra = dict(original.extra)
    for text in settings:
        try:
            key, value = parse_extra_setting(text)
        except InvalidValueError as error:
            raise typer.BadParameter(f"--set: {error}", param_hint="--set") from None
        _refuse_known_key(key, "--set")
        extra[key] = value
    for text in unset:
        try:
            key = parse_extra_key(text)
        except InvalidValueError as error:
            raise typer.BadParameter(f"--unset: {error}", param_hint="--unset") from None
        _refuse_known_key(key, "--unset")
        if key not in extra:
            # Translators: what stands for an empty list of keys, as in "(keys …: none)".
            held = ", ".join(sorted(original.extra)) or _("none")
            raise InvalidValueError(
                _("--unset: {id} has no key {key} (keys csec does not know: {held})").format(
                    id=repr(original.id), key=repr(key), held=held
                )
            )
        del extra[key]
    return extra


def _refuse_known_key(key: str, option: str) -> None:
    """--set and --unset are for keys csec does not know; a field of its own has a flag."""
    if key not in FIELD_ORDER:
        return
    flag = ""
    if key == "id":
        message = _("{option} {key}: {key} is a field csec knows; an id never changes")
    elif key == "added":
        message = _(
            "{option} {key}: {key} is a field csec knows; csec sets it when a resource is added"
        )
    elif option == "--unset" and key in CLEARABLE_FIELDS:
        message = _("{option} {key}: {key} is a field csec knows; empty it with --clear {field}")
        flag = flag_of(key).removeprefix("--")
    elif key in EDITABLE_FIELDS:
        message = _("{option} {key}: {key} is a field csec knows; change it with {flag}")
        flag = flag_of(key)
    else:
        message = _("{option} {key}: {key} is a field csec knows; see csec edit --help")
    shown = message.format(option=option, key=key, flag=flag, field=flag)
    raise typer.BadParameter(shown, param_hint=option)


def _new_values(original: Resource, changes: dict[str, Any]) -> dict[str, Any]:
    """What the changes bring that the resource did not hold: for lists, only the new items
    (an item kept from before is no near miss to warn about)."""
    new = dict(changes)
    for name in LIST_FIELDS:
        if name in new:
            held = {item_key(item, name) for item in getattr(original, name)}
            new[name] = tuple(item for item in new[name] if item_key(item, name) not in held)
    return new


def _index_of(resources: list[Resource], original: Resource) -> int:
    # Questions are answered without the lock held, so the resource is looked up again under it,
    # and the edit refused if someone else changed or removed it meanwhile.
    for index, resource in enumerate(resources):
        if resource.id == original.id:
            if resource != original:
                raise CsecError(
                    _("{id} was changed by someone else meanwhile; run csec edit again").format(
                        id=repr(original.id)
                    )
                )
            return index
    raise CsecError(
        _("{id} was removed by someone else meanwhile; nothing was changed").format(
            id=repr(original.id)
        )
    )


def _ask_changes(resource: Resource, resources: list[Resource]) -> dict[str, Any]:
    print_note(
        _("Editing {id}. Enter keeps a value; {clear} empties it (not the title).").format(
            id=repr(resource.id), clear=CLEAR_ANSWER
        )
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
                print_hint(_("{problem}; try again.").format(problem=error))
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
