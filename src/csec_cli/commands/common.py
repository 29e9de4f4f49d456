"""What every command shares: the chosen catalogue, reading it with warnings, and the filters."""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from csec_cli.catalogue import (
    Catalogue,
    CatalogueLocation,
    Problem,
    load_catalogue,
    locate_catalogue,
)
from csec_cli.errors import CsecError
from csec_cli.filters import ResourceFilter, filter_misses
from csec_cli.i18n import _
from csec_cli.messages import print_note, print_warning
from csec_cli.models import Resource, fold_text

FILTERS_PANEL = "Filters"
_BASH_SPECIAL = re.compile(r"[^\w./@%+,:=-]")


@dataclass
class AppState:
    """Global options, set by the app callback and read by every command."""

    catalogue_option: Path | None = None

    @property
    def location(self) -> CatalogueLocation:
        """The catalogue this run uses."""
        return locate_catalogue(self.catalogue_option)


def app_state(ctx: typer.Context) -> AppState:
    """The AppState of this run (a fresh one when a command is invoked on its own)."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


def read_catalogue(ctx: typer.Context) -> Catalogue:
    """Load the catalogue for a reading command, warning on stderr about each invalid resource."""
    location = app_state(ctx).location
    catalogue = load_catalogue(location.path_for_reading())
    warn_about_problems(catalogue.path, catalogue.problems)
    return catalogue


def warn_about_problems(path: Path, problems: Iterable[Problem]) -> None:
    """One warning on stderr per invalid resource of the catalogue at `path`, left out."""
    for problem in problems:
        print_warning(_("{problem} (skipped)").format(problem=problem.describe(path)))


@contextmanager
def noting_seed_start(location: CatalogueLocation) -> Iterator[None]:
    """Around a write: when it started the default catalogue from the shipped seed, say so in
    one line, and how to start empty instead (the seed's resources are no one's own)."""
    from_seed = location.uses_seed
    yield
    if from_seed and location.path.exists():
        from csec_cli.catalogue import seed_catalogue_path

        count = len(load_catalogue(seed_catalogue_path()).resources)
        print_note(
            _(
                "Started your catalogue {path} with the {count} resources shipped with csec; "
                "to start empty instead: `csec undo`, `csec init`, then run this again."
            ).format(path=location.path, count=count)
        )


def filter_resources(filters: ResourceFilter, resources: list[Resource]) -> list[Resource]:
    """The resources that pass the filters. A filter value no resource has is named on stderr
    with the stored values close to it ("did you mean …?"); the command goes on (exit 0)."""
    for miss in filter_misses(filters, resources):
        print_note(miss.describe())
    return filters.apply(resources)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, for scripts.")]
CsvOption = Annotated[
    bool,
    typer.Option(
        "--csv", help="Print id, date, type and title as CSV: a header row, one resource a line."
    ),
]
TsvOption = Annotated[
    bool,
    typer.Option(
        "--tsv",
        help="Print id, date, type and title separated by tabs: a header row, one resource a "
        "line (tabs and line breaks in values written as \\t and \\n).",
    ),
]
IdsOption = Annotated[
    bool, typer.Option("--ids", help="Print only the ids, one a line (e.g. | xargs csec show).")
]


class _CombinedLayouts(typer.BadParameter):
    """A usage error (exit 2) said as it is: "Invalid value for --ids" would suggest the flag
    takes a value. (Typer exports no plain UsageError.)"""

    def format_message(self) -> str:
        return self.message


# The most words a search query may have. Planning a query costs a few milliseconds a word
# (each may start a thesaurus phrase, looked up by its stems in four languages), so this keeps
# any search near a second, while a pasted title or summary still fits.
MAX_QUERY_WORDS = 256


def refuse_long_query(query: str, name: str) -> None:
    """A usage error for a query of more than MAX_QUERY_WORDS words (`name`: QUERY, --query)."""
    count = len(query.split())
    if count > MAX_QUERY_WORDS:
        raise typer.BadParameter(
            _(
                "{count} words is more than csec searches with ({limit}); keep the telling ones"
            ).format(count=count, limit=MAX_QUERY_WORDS),
            param_hint=name,
        )


def output_layout(*, json: bool, csv: bool, tsv: bool, ids: bool) -> str | None:
    """Which of --json, --csv, --tsv and --ids was given ("json" …), None for the table; a
    usage error when more than one was."""
    given = [name for name, on in (("json", json), ("csv", csv), ("tsv", tsv), ("ids", ids)) if on]
    if len(given) > 1:
        raise _CombinedLayouts(
            _(
                "{first} and {second} cannot be combined; give one of --json, --csv, --tsv "
                "or --ids (e.g. csec list --csv)"
            ).format(first=f"--{given[0]}", second=f"--{given[1]}")
        )
    return given[0] if given else None


LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N resources.")
]


def _catalogue_for_completion(ctx: typer.Context) -> Catalogue | None:
    """The catalogue the command line being completed points at, or None if it cannot be read.

    The app callback does not run while the shell completes, so --catalogue is read from the
    parsed root parameters. A broken catalogue means no suggestions, never a traceback in the
    middle of the user's prompt.
    """
    # --catalogue after the command (cli._catalogue_after_the_command) wins, as when running.
    option = app_state(ctx).catalogue_option or ctx.find_root().params.get("catalogue")
    try:
        return load_catalogue(locate_catalogue(option).path_for_reading())
    except CsecError:
        return None


def _shell_word(value: str) -> str:
    # bash inserts a completion as typed text, so spaces and quotes must come escaped (with
    # backslashes, not quotes: Typer keeps only completions that start with the typed text);
    # zsh and fish escape completions themselves.
    if os.environ.get("_CSEC_COMPLETE", "").endswith("bash"):
        return _BASH_SPECIAL.sub(r"\\\g<0>", value)
    return value


def complete_resource_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for an ID argument: the ids starting with what is typed, with titles."""
    from csec_cli.render import completion_help

    catalogue = _catalogue_for_completion(ctx)
    if catalogue is None:
        return []
    return [
        (resource.id, completion_help(resource.title))
        for resource in catalogue.resources
        if resource.id.startswith(incomplete)
    ]


def _value_completion(values_of: Callable[[Resource], Iterable[str]]) -> Callable[..., list[str]]:
    """A completion function offering the values a field already has in the catalogue."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        catalogue = _catalogue_for_completion(ctx)
        if catalogue is None:
            return []
        found = {
            value.strip()
            for resource in catalogue.resources
            for value in values_of(resource)
            if value.strip()
        }
        return [
            _shell_word(value)
            for value in sorted(found, key=lambda value: (fold_text(value), value))
            if _shell_word(value).startswith(incomplete)
        ]

    return complete


complete_type = _value_completion(lambda resource: (resource.type or "",))
complete_audience = _value_completion(lambda resource: resource.audience)
complete_country = _value_completion(lambda resource: resource.countries)
complete_topic = _value_completion(lambda resource: resource.topics)
complete_language = _value_completion(lambda resource: (resource.language or "",))
complete_author = _value_completion(lambda resource: resource.authors)


def complete_list_field(name: str) -> Callable[..., list[str]]:
    """Completion of the values a list field (models.LIST_FIELDS) holds in the catalogue."""
    return _value_completion(lambda resource: getattr(resource, name))


def choices_completion(choices: Iterable[str]) -> Callable[[], list[str]]:
    """A completion function offering fixed choices (--sort, --format), not file names."""
    offered = list(choices)
    return lambda: offered


def fold_completions(command: Any) -> None:
    """Make a command's value completion case- and accent-insensitive (`pan` finds "Panamá").

    Typer keeps only the completions that start with the typed text exactly; so each
    completion function is asked for every value, and they are kept here by their folded form.
    """
    for parameter in command.params:
        complete = getattr(parameter, "_custom_shell_complete", None)
        if complete is not None:
            parameter._custom_shell_complete = _folding(complete)


def _folding(complete: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    def complete_folded(ctx: Any, parameter: Any, incomplete: str) -> list[Any]:
        wanted = fold_text(incomplete)
        found = complete(ctx, parameter, "")
        return [item for item in found if fold_text(item.value).startswith(wanted)]

    return complete_folded


IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="An id, or any unique prefix of one.",
        autocompletion=complete_resource_id,
    ),
]
IdsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...",
        help="One or more ids, or unique prefixes of them.",
        autocompletion=complete_resource_id,
    ),
]


def _filter_option(name: str, metavar: str, help_text: str, complete: Any) -> Any:
    return typer.Option(
        name,
        metavar=metavar,
        # Said once here rather than in each help line: every text filter takes several values.
        help=f"{help_text} Repeat for any of several.",
        rich_help_panel=FILTERS_PANEL,
        autocompletion=complete,
    )


_FILTER_PARAMETERS: dict[str, Any] = {
    "filter_type": Annotated[
        list[str] | None,
        _filter_option("--type", "TYPE", "Only this type, e.g. manual.", complete_type),
    ],
    "filter_audience": Annotated[
        list[str] | None,
        _filter_option("--audience", "AUDIENCE", "Only for this audience.", complete_audience),
    ],
    "filter_country": Annotated[
        list[str] | None,
        _filter_option(
            "--country", "PLACE", "Only about this country or region.", complete_country
        ),
    ],
    "filter_topic": Annotated[
        list[str] | None,
        _filter_option("--topic", "TOPIC", "Only on this topic.", complete_topic),
    ],
    "filter_language": Annotated[
        list[str] | None,
        _filter_option("--language", "CODE", "Only in this language, e.g. en.", complete_language),
    ],
    "filter_author": Annotated[
        list[str] | None,
        _filter_option(
            "--author",
            "NAME",
            "Only by an author whose name holds this, e.g. perez.",
            complete_author,
        ),
    ],
    "filter_since": Annotated[
        int | None,
        typer.Option(
            "--since",
            metavar="YEAR",
            min=1,
            max=9999,
            help="Only dated this year or later.",
            rich_help_panel=FILTERS_PANEL,
        ),
    ],
    "filter_until": Annotated[
        int | None,
        typer.Option(
            "--until",
            metavar="YEAR",
            min=1,
            max=9999,
            help="Only dated this year or earlier.",
            rich_help_panel=FILTERS_PANEL,
        ),
    ],
}

F = TypeVar("F", bound=Callable[..., Any])


def with_filters(command: F) -> F:
    """Give a command the shared filter options; it receives them as one `filters` argument.

    Declaring the eight options once here keeps list, search, export and stats in step.
    """
    signature = inspect.signature(command, eval_str=True)
    kept = [parameter for parameter in signature.parameters.values() if parameter.name != "filters"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=None)
        for name, annotation in _FILTER_PARAMETERS.items()
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name, None) for name in _FILTER_PARAMETERS}
        kwargs["filters"] = ResourceFilter(
            types=tuple(values["filter_type"] or ()),
            audiences=tuple(values["filter_audience"] or ()),
            countries=tuple(values["filter_country"] or ()),
            topics=tuple(values["filter_topic"] or ()),
            languages=tuple(values["filter_language"] or ()),
            authors=tuple(values["filter_author"] or ()),
            since=values["filter_since"],
            until=values["filter_until"],
        )
        since, until = kwargs["filters"].since, kwargs["filters"].until
        if since and until and since > until:
            raise typer.BadParameter(
                _(
                    "--since {since} is later than --until {until}; give the earlier year to "
                    "--since, e.g. --since {until} --until {since}"
                ).format(since=since, until=until),
                param_hint="--since",
            )
        return command(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{key: value for key, value in command.__annotations__.items() if key != "filters"},
        **_FILTER_PARAMETERS,
    }
    return wrapper  # type: ignore[return-value]
