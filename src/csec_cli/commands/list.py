"""`csec list`: the catalogue as a table, newest first, filtered and sorted."""

from __future__ import annotations

from typing import Annotated

import typer

from csec_cli.catalogue import first_resources
from csec_cli.commands.common import (
    CsvOption,
    IdsOption,
    JsonOption,
    LimitOption,
    TsvOption,
    app_state,
    choices_completion,
    filter_resources,
    output_layout,
    read_catalogue,
    warn_about_problems,
    with_filters,
)
from csec_cli.filters import ResourceFilter, SortKey, sort_resources
from csec_cli.i18n import _
from csec_cli.messages import print_note
from csec_cli.plain_output import (
    print_listing,
    print_plain_table,
    print_resources_json,
    stdout_is_terminal,
)


@with_filters
def list_command(
    ctx: typer.Context,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="ORDER",
            help="date (newest first), title (A–Z) or added (latest first).",
            autocompletion=choices_completion(("date", "title", "added")),
        ),
    ] = "date",
    limit: LimitOption = None,
    json_output: JsonOption = False,
    csv_output: CsvOption = False,
    tsv_output: TsvOption = False,
    ids_output: IdsOption = False,
    *,
    filters: ResourceFilter,
) -> None:
    """List resources, newest first.

    On a terminal a table; piped, one resource a line under a header. --csv, --tsv and --ids are for scripts and spreadsheets.

    Examples:
      csec list --audience "labour inspectors" --since 2008 --limit 20
      csec list --type manual --ids | xargs -n1 csec show
    """
    if sort not in ("date", "title", "added"):
        raise typer.BadParameter(_("--sort takes date, title or added"), param_hint="--sort")
    sort_key: SortKey = sort  # type: ignore[assignment]
    layout = output_layout(json=json_output, csv=csv_output, tsv=tsv_output, ids=ids_output)
    if limit is not None and filters == ResourceFilter():
        # Only `limit` resources read, not the whole catalogue, when the cache is fresh.
        path = app_state(ctx).location.path_for_reading()
        chosen, problems, count = first_resources(path, sort_key, limit)
        warn_about_problems(path, problems)
    else:
        catalogue = read_catalogue(ctx)
        chosen = sort_resources(filter_resources(filters, catalogue.resources), sort_key)[:limit]
        count = len(catalogue.resources)
    if layout == "json":
        print_resources_json(chosen)
    elif layout is not None:
        print_listing(layout, chosen)
    elif chosen and not stdout_is_terminal():
        print_plain_table(chosen)
    elif chosen:
        from csec_cli.render import print_resource_table  # rich, only for a terminal

        print_resource_table(chosen)
    else:
        print_note(_("No resources match.") if count else _("The catalogue is empty."))
