"""What every command shares: the chosen catalogue, reading it with warnings, and the filters."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from csec_cli.catalogue import Catalogue, CatalogueLocation, load_catalogue, locate_catalogue
from csec_cli.filters import ResourceFilter
from csec_cli.render import print_warning

FILTERS_PANEL = "Filters"


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
    for problem in catalogue.problems:
        print_warning(f"{problem.describe(catalogue.path)} (skipped)")
    return catalogue


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, for scripts.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N resources.")
]

_FILTER_PARAMETERS: dict[str, Any] = {
    "filter_type": Annotated[
        list[str] | None,
        typer.Option("--type", help="Only this type, e.g. manual (repeatable).", rich_help_panel=FILTERS_PANEL),
    ],
    "filter_audience": Annotated[
        list[str] | None,
        typer.Option("--audience", help="Only for this audience (repeatable).", rich_help_panel=FILTERS_PANEL),
    ],
    "filter_country": Annotated[
        list[str] | None,
        typer.Option("--country", help="Only about this country or region (repeatable).", rich_help_panel=FILTERS_PANEL),
    ],
    "filter_topic": Annotated[
        list[str] | None,
        typer.Option("--topic", help="Only on this topic (repeatable).", rich_help_panel=FILTERS_PANEL),
    ],
    "filter_language": Annotated[
        list[str] | None,
        typer.Option("--language", help="Only in this language, e.g. en (repeatable).", rich_help_panel=FILTERS_PANEL),
    ],
    "filter_since": Annotated[
        int | None,
        typer.Option("--since", metavar="YEAR", min=1, max=9999, help="Only dated this year or later.", rich_help_panel=FILTERS_PANEL),
    ],
    "filter_until": Annotated[
        int | None,
        typer.Option("--until", metavar="YEAR", min=1, max=9999, help="Only dated this year or earlier.", rich_help_panel=FILTERS_PANEL),
    ],
}  # fmt: skip

F = TypeVar("F", bound=Callable[..., Any])


def with_filters(command: F) -> F:
    """Give a command the shared filter options; it receives them as one `filters` argument.

    Declaring the seven options once here keeps list, search, export and stats in step.
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
            since=values["filter_since"],
            until=values["filter_until"],
        )
        chosen = kwargs["filters"]
        if chosen.since and chosen.until and chosen.since > chosen.until:
            raise typer.BadParameter("--since is later than --until", param_hint="--since")
        return command(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{key: value for key, value in command.__annotations__.items() if key != "filters"},
        **_FILTER_PARAMETERS,
    }
    return wrapper  # type: ignore[return-value]
