"""What every command shares: the chosen catalogue, reading it with warnings, and the filters."""

from __future__ import annotations

import functools
import inspect
import os
import re
from collections.abc import Callable, Iterable
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
from csec_cli.filters import ResourceFilter
from csec_cli.messages import print_warning
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
        print_warning(f"{problem.describe(path)} (skipped)")


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, for scripts.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N resources.")
]


def _catalogue_for_completion(ctx: typer.Context) -> Catalogue | None:
    """The catalogue the command line being completed points at, or None if it cannot be read.

    The app callback does not run while the shell completes, so --catalogue is read from the
    parsed root parameters. A broken catalogue means no suggestions, never a traceback in the
    middle of the user's prompt.
    """
    option = ctx.find_root().params.get("catalogue")
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

IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="An id, or any unique prefix of one.",
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
            raise typer.BadParameter("--since is later than --until", param_hint="--since")
        return command(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{key: value for key, value in command.__annotations__.items() if key != "filters"},
        **_FILTER_PARAMETERS,
    }
    return wrapper  # type: ignore[return-value]
