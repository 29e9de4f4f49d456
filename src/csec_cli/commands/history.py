"""`csec history`: the writes `csec undo` can take back, newest first."""

from __future__ import annotations

import typer

from csec_cli.commands.common import JsonOption, app_state
from csec_cli.history import file_matches, list_versions, local_time
from csec_cli.i18n import _
from csec_cli.plain_output import print_json
from csec_cli.render import print_history_table, print_note


def history_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List csec's last writes to the catalogue, newest first: what `csec undo` takes back.

    Example: csec history
    """
    location = app_state(ctx).location
    versions = list(reversed(list_versions(location.path)))
    if json_output:
        print_json(
            [
                {
                    "when": version.when,
                    "change": version.change,
                    "resources_before": version.resources_before,
                    "resources_after": version.resources_after,
                }
                for version in versions
            ]
        )
    elif versions:
        print_history_table(
            [
                (
                    local_time(version),
                    version.change,
                    f"{version.resources_before} → {version.resources_after}",
                )
                for version in versions
            ]
        )
    else:
        print_note(_("Nothing to undo in {path}.").format(path=location.path))
    if versions and not file_matches(location.path, versions[0]):
        print_note(
            _("{path} has changed since csec last wrote it, so `csec undo` would refuse.").format(
                path=location.path
            )
        )
