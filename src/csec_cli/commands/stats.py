"""`csec stats`: how the catalogue spreads over years, types, audiences, countries, languages."""

from __future__ import annotations

from typing import Annotated

import typer

from csec_cli.commands.common import JsonOption, filter_resources, read_catalogue, with_filters
from csec_cli.filters import ResourceFilter
from csec_cli.plain_output import print_json
from csec_cli.render import print_stats
from csec_cli.stats import count_resources


@with_filters
def stats_command(
    ctx: typer.Context,
    top: Annotated[
        int,
        typer.Option("--top", min=1, metavar="N", help="Draw the N most frequent values of each."),
    ] = 10,
    json_output: JsonOption = False,
    *,
    filters: ResourceFilter,
) -> None:
    """Count resources per year, type, audience, country and language, drawn as bars.

    Resources with no date, type, audience, country or language get a grey bar of their own.

    Examples:
      csec stats
      csec stats --since 2005 --country "Costa Rica"
      csec stats --json
    """
    resources = filter_resources(filters, read_catalogue(ctx).resources)
    stats = count_resources(resources)
    if json_output:
        print_json(stats.to_json())
    else:
        print_stats(stats, top)
