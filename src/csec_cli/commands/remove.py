"""`csec remove ID...`: delete resources, after showing them and asking (or with --yes)."""

from __future__ import annotations

import typer

from csec_cli.catalogue import find_resource, load_catalogue, refuse_if_invalid, updating_catalogue
from csec_cli.checks import resource_errors
from csec_cli.commands import prompting
from csec_cli.commands.common import IdsArgument, app_state, noting_seed_start
from csec_cli.commands.fields import YesOption
from csec_cli.commands.prompting import confirm, leaving_untouched
from csec_cli.errors import CsecError
from csec_cli.i18n import N_, _, ngettext
from csec_cli.models import Resource
from csec_cli.render import print_note, print_resource_preview

NOTHING_REMOVED = N_("Nothing was removed.")


def remove_command(
    ctx: typer.Context,
    resource_ids: IdsArgument,
    yes: YesOption = False,
) -> None:
    """Remove resources from the catalogue, all in one write (asks first unless --yes).

    Every id must be found, or nothing is removed.

    Example: csec remove media-strategy belize-protocol --yes
    """
    location = app_state(ctx).location
    catalogue = load_catalogue(location.path_for_reading())
    # Every id is looked up before anything is changed: one that matches nothing stops them all.
    found = [find_resource(catalogue.resources, key) for key in resource_ids]
    targets = list({resource.id: resource for resource in found}.values())
    ids = [resource.id for resource in targets]
    # Removing a resource `check` faults fixes it; any other fault stops the removal.
    fixing = next((resource.id for resource in targets if resource_errors(resource)), ids[0])
    refuse_if_invalid(catalogue, fixing=fixing)
    if not yes:
        if not prompting.stdin_is_terminal():
            raise CsecError(
                _("removing {names} needs confirmation; add --yes when not on a terminal").format(
                    names=_names(ids)
                )
            )
        with leaving_untouched(_(NOTHING_REMOVED)):
            _show(targets)
            question = _("Remove {names} from the catalogue?").format(names=_names(ids))
            if not confirm(question, default=False):
                print_note(_(NOTHING_REMOVED))
                raise typer.Exit(1)
    with (
        noting_seed_start(location),
        updating_catalogue(location, fixing=fixing, change=f"remove {' '.join(ids)}") as current,
    ):
        held = {resource.id for resource in current.resources}
        gone = [resource_id for resource_id in ids if resource_id not in held]
        if gone:
            raise CsecError(
                ngettext(
                    "{names} was removed by someone else meanwhile; nothing was removed",
                    "{names} were removed by someone else meanwhile; nothing was removed",
                    len(gone),
                ).format(names=_names(gone))
            )
        removed = set(ids)
        current.resources[:] = [item for item in current.resources if item.id not in removed]
    removed_note = ngettext(
        "Removed {names} from {path}.", "Removed {names} from {path}.", len(ids)
    )
    print_note(removed_note.format(names=_names(ids), path=location.path))


def _names(ids: list[str]) -> str:
    """'a' for one id; "3 resources ('a', 'b', 'c')" for several."""
    quoted = ", ".join(repr(resource_id) for resource_id in ids)
    if len(ids) == 1:
        return quoted
    return ngettext("{count} resource ({ids})", "{count} resources ({ids})", len(ids)).format(
        count=len(ids), ids=quoted
    )


def _show(resources: list[Resource]) -> None:
    """The resources about to go: each in full for one, an id and title a line for several."""
    if len(resources) == 1:
        print_resource_preview(resources[0])
        return
    for resource in resources:
        print_note(f"  {resource.id}  {resource.title}")
