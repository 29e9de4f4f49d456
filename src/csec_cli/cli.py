"""The csec command line: global options, the command table and the one error boundary.

Each command lives in csec_cli/commands/<verb>.py; this module only wires them together. Core
modules raise CsecError with a message written for the user; CsecGroup.invoke turns it into one
`Error: …` line on stderr and exit 1. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csec_cli import __version__
from csec_cli.commands import add, check, edit, export, import_, info, remove, search, show, stats
from csec_cli.commands import list as list_
from csec_cli.commands import open as open_
from csec_cli.commands.common import AppState
from csec_cli.errors import CsecError
from csec_cli.render import print_error


class CsecGroup(TyperGroup):
    """Typer's group: help for a bare `csec`, CsecError turned into one line and exit code 1."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Asking for nothing is a fair way to ask what csec does: show the help and exit 0
        # (click's no_args_is_help exits 2, as for a usage error).
        if not args and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CsecError as error:
            print_error(str(error))
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=CsecGroup,
    name="csec",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"csec {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    catalogue: Annotated[
        Path | None,
        typer.Option(
            "--catalogue",
            "-c",
            metavar="PATH",
            # csec itself explains an unreadable catalogue (exit 1, one line); typer's own check
            # would make it a usage error (exit 2).
            readable=False,
            help="Catalogue file to use (default: $CSEC_CATALOGUE, else your own copy of the seed).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A catalogue of resources on commercial sexual exploitation of children and adolescents.

    Every command explains itself and shows an example: csec COMMAND --help.

    Example: csec search "labour inspectors" --since 2008
    """
    ctx.obj = AppState(catalogue_option=catalogue)


app.command("list")(list_.list_command)
app.command("show")(show.show_command)
app.command("search")(search.search_command)
app.command("check")(check.check_command)
app.command("info")(info.info_command)
app.command("add")(add.add_command)
app.command("edit")(edit.edit_command)
app.command("remove")(remove.remove_command)
app.command("stats")(stats.stats_command)
app.command("open")(open_.open_command)
app.command("export")(export.export_command)
app.command("import")(import_.import_command)


def main() -> None:
    """Entry point of the `csec` console script."""
    app()
