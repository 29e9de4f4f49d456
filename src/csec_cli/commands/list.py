"""`csec list`: the catalogue as a table, newest first, filtered and sorted."""

from __future__ import annotations

from typing import Annotated

import typer

from csec_cli.catalogue import first_resources
from csec_cli.commands.common import (
    JsonOption,
    LimitOption,
    app_state,
    read_catalogue,
    warn_about_problems,
    with_filters,
)
from csec_cli.filters import ResourceFilter, SortKey, sort_resources
from csec_cli.render import print_note, print_resource_table, print_resources_json


@with_filters
def list_command(
    ctx: typer.Context,
    sort: Annotated[
        str,
        typer.Option("--sort", help="date (newest first), title (A–Z) or added (latest first)."),
    ] = "date",
    limit: LimitOption = None,
    json_output: JsonOption = False,
    *,
    filters: ResourceFilter,
) -> None:
    """List resources, newest first.

    Example: csec list --audience "labour inspectors" --since 2008 --limit 20
    """
    if sort not in ("date", "title", "added"):
        raise typer.BadParameter("choose date, title or added", param_hint="--sort")
    sort_key: SortKey = sort  # type: ignore[assignment]
    if limit is not None and filters == ResourceFilter():
        # Only `limit` resources read, not the whole catalogue, when the cache is fresh.
        path = app_state(ctx).location.path_for_reading()
        chosen, problems, count = first_resources(path, sort_key, limit)
        warn_about_problems(path, problems)
    else:
        catalogue = read_catalogue(ctx)
        chosen = sort_resources(filters.apply(catalogue.resources), sort_key)[:limit]
        count = len(catalogue.resources)
    if json_output:
        print_resources_json(chosen)
    elif chosen:
        print_resource_table(chosen)
    else:
        print_note("No resources match." if count else "The catalogue is empty.")
