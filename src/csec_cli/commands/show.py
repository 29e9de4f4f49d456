"""`csec show ID`: one resource, every field."""

from __future__ import annotations

from functools import partial

import typer

from csec_cli.catalogue import resource_for_id
from csec_cli.commands.common import IdArgument, JsonOption, app_state, warn_about_problems
from csec_cli.models import resource_to_json
from csec_cli.plain_output import print_json
from csec_cli.render import print_resource_detail


def show_command(
    ctx: typer.Context,
    resource_id: IdArgument,
    json_output: JsonOption = False,
) -> None:
    """Show every field of one resource.

    Example: csec show labour-inspection
    """
    # One resource read, not the whole catalogue, when the cache is fresh.
    path = app_state(ctx).location.path_for_reading()
    resource = resource_for_id(path, resource_id, partial(warn_about_problems, path))
    if json_output:
        print_json(resource_to_json(resource))
    else:
        print_resource_detail(resource)
