"""`csec remove ID`: delete one resource, after showing it and asking (or with --yes)."""

from __future__ import annotations

import typer

from csec_cli.catalogue import find_resource, load_catalogue, refuse_if_invalid, updating_catalogue
from csec_cli.commands import prompting
from csec_cli.commands.common import IdArgument, app_state, noting_seed_start
from csec_cli.commands.fields import YesOption
from csec_cli.commands.prompting import confirm, leaving_untouched
from csec_cli.errors import CsecError
from csec_cli.render import print_note, print_resource_preview

NOTHING_REMOVED = "Nothing was removed."


def remove_command(
    ctx: typer.Context,
    resource_id: IdArgument,
    yes: YesOption = False,
) -> None:
    """Remove one resource from the catalogue (asks first unless --yes).

    Example: csec remove media-strategy --yes
    """
    location = app_state(ctx).location
    catalogue = load_catalogue(location.path_for_reading())
    resource = find_resource(catalogue.resources, resource_id)
    # Removing the one resource `check` faults fixes it; any other fault stops the removal.
    refuse_if_invalid(catalogue, fixing=resource.id)
    if not yes:
        if not prompting.stdin_is_terminal():
            raise CsecError(
                f"removing {resource.id!r} needs confirmation; add --yes when not on a terminal"
            )
        with leaving_untouched(NOTHING_REMOVED):
            print_resource_preview(resource)
            if not confirm(f"Remove {resource.id!r} from the catalogue?", default=False):
                print_note(NOTHING_REMOVED)
                raise typer.Exit(1)
    with (
        noting_seed_start(location),
        updating_catalogue(location, fixing=resource.id, change=f"remove {resource.id}") as current,
    ):
        kept = [item for item in current.resources if item.id != resource.id]
        if len(kept) == len(current.resources):
            raise CsecError(f"{resource.id!r} was removed by someone else meanwhile")
        current.resources[:] = kept
    print_note(f"Removed {resource.id!r} from {location.path}.")
