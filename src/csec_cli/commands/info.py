"""`csec info`: which catalogue is in use, how many resources it holds, which csec this is."""

from __future__ import annotations

import typer

from csec_cli import __version__
from csec_cli.catalogue import load_catalogue
from csec_cli.commands.common import JsonOption, app_state
from csec_cli.console import out
from csec_cli.render import print_json, print_note, safe_text


def info_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show the catalogue in use (and why), its resource count and the csec version.

    Example: csec info
    """
    location = app_state(ctx).location
    catalogue = load_catalogue(location.path_for_reading())
    data = {
        "catalogue": str(location.path),
        "chosen_by": location.source,
        "exists": location.path.exists(),
        "resources": len(catalogue.resources),
        "invalid_resources": sum(p.severity == "error" for p in catalogue.problems),
        "version": __version__,
    }
    if json_output:
        print_json(data)
        return
    out.print(safe_text(f"catalogue  {location.path}  (from {location.source})"), soft_wrap=True)
    out.print(f"resources  {data['resources']}")
    if data["invalid_resources"]:
        out.print(f"invalid    {data['invalid_resources']} (see `csec check`)")
    out.print(f"version    csec {__version__}")
    if location.uses_seed:
        print_note(
            "The default catalogue is not created yet: you are reading the shipped seed. "
            "`csec init` starts it empty (`--seed`: with the seed); the first `csec add` or "
            "`csec import` starts it with the seed."
        )
