"""`csec init [PATH]`: start a catalogue on purpose, empty or as a copy of the shipped seed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csec_cli.catalogue import create_catalogue
from csec_cli.commands.common import app_state
from csec_cli.i18n import _
from csec_cli.messages import print_note


def init_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="Where to create it (default: the catalogue csec uses; see `csec info`).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        bool,
        typer.Option("--seed", help="Start with the ten resources shipped with csec."),
    ] = False,
) -> None:
    """Start a new catalogue: empty, or with --seed a copy of the shipped ten.

    Never replaces a file that exists. Missing folders on the way are created.

    Example: csec init ~/team/resources.toml
    """
    location = app_state(ctx).location
    target = location.path if path is None else path.expanduser()
    catalogue = create_catalogue(target, seed=seed)
    count = len(catalogue.resources)
    if seed:
        created = _("Created the catalogue {path}, with the {count} shipped resources.")
    else:
        created = _("Created the catalogue {path}, empty.")
    print_note(created.format(path=target, count=count))
    if path is not None and Path(target).absolute() != location.path.absolute():
        print_note(
            _(
                "csec uses {current}; to use this one, give --catalogue {path} "
                "or set CSEC_CATALOGUE={path}"
            ).format(current=location.path, path=target)
        )
