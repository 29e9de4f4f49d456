"""`csec undo`: put the catalogue back as it was before csec's last write to it."""

from __future__ import annotations

import typer

from csec_cli.catalogue import undo_last_write
from csec_cli.commands.common import app_state
from csec_cli.history import list_versions, local_time
from csec_cli.i18n import _, ngettext
from csec_cli.messages import print_note


def undo_command(ctx: typer.Context) -> None:
    """Undo csec's last write (add, edit, remove, import, init) to the catalogue.

    Refused when the file has changed since (edited by hand, or by git). Run it again to go further back; `csec history` lists what it can undo. An undo cannot itself be undone.

    Example: csec undo
    """
    location = app_state(ctx).location
    undone = undo_last_write(location)
    count = undone.resources_before
    if undone.kind == "absent":
        message = _(
            "Undid `{change}` of {when} in {path}: removed it, as there was no file before."
        )
    else:
        message = ngettext(
            "Undid `{change}` of {when} in {path}: it holds {count} resource again.",
            "Undid `{change}` of {when} in {path}: it holds {count} resources again.",
            count,
        )
    print_note(
        message.format(
            change=undone.change, when=local_time(undone), path=location.path, count=count
        )
    )
    left = len(list_versions(location.path))
    if left:
        print_note(
            ngettext(
                "{count} earlier write can be undone; see `csec history`.",
                "{count} earlier writes can be undone; see `csec history`.",
                left,
            ).format(count=left)
        )
