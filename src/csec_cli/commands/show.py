"""`csec show ID`: one resource, every field."""

from __future__ import annotations

import typer

from csec_cli.catalogue import find_resource
from csec_cli.commands.common import IdArgument, JsonOption, read_catalogue
from csec_cli.models import resource_to_json
from csec_cli.render import print_json, print_resource_detail


def show_command(
    ctx: typer.Context,
    resource_id: IdArgument,
    json_output: JsonOption = False,
) -> None:
    """Show every field of one resource.

    Example: csec show labour-inspection
    """
    catalogue = read_catalogue(ctx)
    resource = find_resource(catalogue.resources, resource_id, catalogue.invalid_ids())
    if json_output:
        print_json(resource_to_json(resource))
    else:
        print_resource_detail(resource)
