"""`csec undo`: put the catalogue back as it was before csec's last write to it."""

from __future__ import annotations

import typer

from csec_cli.catalogue import undo_last_write
from csec_cli.commands.common import app_state
from csec_cli.history import list_versions, local_time
from csec_cli.messages import print_note


def undo_command(ctx: typer.Context) -> None:
    """Undo csec's last write (add, edit, remove, import, init) to the catalogue.

    Refused when the file has changed since (edited by hand, or by git). Run it again to go further back; `csec history` lists what it can undo. An undo cannot itself be undone.

    Example: csec undo
    """
    location = app_state(ctx).location
    undone = undo_last_write(location)
    if undone.kind == "absent":
        state = "removed it, as there was no file before"
    else:
        count = undone.resources_before
        state = f"it holds {count} resource{'s' * (count != 1)} again"
    print_note(f"Undid `{undone.change}` of {local_time(undone)} in {location.path}: {state}.")
    left = len(list_versions(location.path))
    if left:
        print_note(f"{left} earlier write{'s' * (left != 1)} can be undone; see `csec history`.")
