"""The csec command line: global options, the command table and the one error boundary.

Each command lives in csec_cli/commands/<verb>.py and is imported only when it runs (COMMANDS,
at the end), so start-up stays fast however many commands and libraries csec grows. Core
modules raise CsecError with a message written for the user; CsecGroup.invoke turns it, and an
OSError naming a file the system refused, into one `Error: …` line on stderr and exit 1. What
stdout does (a closed pipe, a full disk, an encoding) is entry_point's. Anything else is a bug
and keeps its traceback. Usage errors (exit 2) pass through commands/usage.py, which words
them for a person; help pages are drawn by commands/help.py, not by Typer's rich_utils.
"""

from __future__ import annotations

import gc
import importlib
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo

from csec_cli import __version__
from csec_cli.errors import CsecError
from csec_cli.option_values import read_values_quickly


def print_error(message: str) -> None:
    """render.print_error, imported only when there is an error to show (rich is not cheap)."""
    from csec_cli.render import print_error as print_rendered_error

    print_rendered_error(message)


class CsecCommand(TyperCommand):
    """Typer's command, reading its option values without pydantic (see option_values), with
    csec's own help page (commands/help.py)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from csec_cli.commands.help import print_help

        print_help(self, ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The summary zsh and fish show beside the command's name, in the interface language."""
        from csec_cli.commands.help import summary_of

        shorten = sys.modules[TyperCommand.__mro__[1].__module__].make_default_short_help
        return str(shorten(summary_of(self.help or ""), limit))

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return _with_translated_help(super().shell_complete(ctx, incomplete))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        read_values_quickly(self.get_params(ctx))
        try:
            return super().parse_args(ctx, args)
        except ClickException as error:
            # click's parser raises some usage errors without their context; the wording
            # (commands/usage.py) needs it to find the option and the command's example.
            if getattr(error, "ctx", False) is None:
                error.ctx = ctx  # type: ignore[attr-defined]
            raise


def _with_translated_help(items: list[Any]) -> list[Any]:
    """Completions of option names with their help in the interface language (zsh and fish
    show it); the help of a value (a resource's title) is data and stays as it is."""
    from csec_cli.i18n import _

    for item in items:
        if item.help and item.value.startswith("-"):
            item.help = _(item.help)
    return items


# click's base of every usage error, found through a class typer exports: newer typer versions
# carry their own copy of click, older ones use the click package.
ClickException: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)


def _show_usage_error(error: Any) -> typer.Exit:
    """Show a usage error worded for a person (commands/usage.py), in the interface language,
    and return the exit that ends the command with its code (2).

    click's messages quote what was typed as it is; the message is printed as text with control
    characters shown as escapes, so a bidi override or a terminal escape in an argument shows
    rather than acts.
    """
    from csec_cli.commands.usage import print_usage_error, word_usage_error

    word_usage_error(error)
    print_usage_error(error)
    return typer.Exit(error.exit_code)


class CsecGroup(TyperGroup):
    """Typer's group: help for a bare `csec`, CsecError turned into one line and exit code 1."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except ClickException as error:
            raise _show_usage_error(error) from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Asking for nothing is a fair way to ask what csec does: show the help and exit 0
        # (click's no_args_is_help exits 2, as for a usage error).
        if not args and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        # Here rather than in __init__: Typer adds the completion and help options later.
        read_values_quickly(self.get_params(ctx))
        for parameter in self.params:
            parameter.callback = COMPLETION_CALLBACKS.get(parameter.name, parameter.callback)
        try:
            return super().parse_args(ctx, args)
        except ClickException as error:
            # As CsecCommand.parse_args: `csec --version=3` gets its usage line and example.
            if getattr(error, "ctx", False) is None:
                error.ctx = ctx  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CsecError as error:
            print_error(str(error))
            raise typer.Exit(1) from None
        except OSError as error:
            # The system refused a file csec was given (a name too long, a folder it may not
            # enter): that is the user's to fix, like a CsecError. An OSError naming no file is
            # stdout failing, which entry_point reports once the command has stopped.
            if error.filename is None or isinstance(error, BrokenPipeError):
                raise
            print_error(describe_os_error(error))
            raise typer.Exit(1) from None
        except ClickException as error:
            raise _show_usage_error(error) from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from csec_cli.commands.help import print_help

        print_help(self, ctx)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return _with_translated_help(super().shell_complete(ctx, incomplete))

    def command_summary(self, ctx: Any, name: str) -> str | None:
        """A command's one-line summary for the help's list, without loading its module."""
        if name in self.commands or name not in COMMANDS:
            return None
        from csec_cli.commands.help import summary_from_source

        return summary_from_source(COMMANDS[name])

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in COMMANDS if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(load_command(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and name not in COMMANDS and name not in self.commands and name[0] != "-":
            from csec_cli.commands.usage import no_such_command

            raise typer.BadParameter(no_such_command(name, self.list_commands(ctx)), ctx=ctx)
        return super().resolve_command(ctx, args)


def _install_completion(ctx: Any, parameter: Any, value: Any) -> Any:
    """Typer's --install-completion, saying what it did in the interface language."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    from csec_cli.i18n import _

    shell, path = install(shell=_completion_shell(value))
    typer.secho(
        _("{shell} completion installed in {path}").format(shell=shell, path=path), fg="green"
    )
    typer.echo(_("Completion will take effect once you restart the terminal"))
    raise typer.Exit(0)


def _show_completion(ctx: Any, parameter: Any, value: Any) -> Any:
    """Typer's --show-completion, with a shell it cannot complete in refused in csec's words."""
    if not value or ctx.resilient_parsing:
        return value
    from typer.completion import show_callback

    return show_callback(ctx, parameter, _completion_shell(value))


def _completion_shell(value: Any) -> str:
    """The shell to complete in: the one named, else the user's; exit 1 if csec cannot."""
    from typer._completion_shared import _get_shell_name

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        from csec_cli.i18n import _

        print_error(
            _(
                "cannot complete in the shell {shell}: csec completes in bash, zsh, fish and "
                "PowerShell"
            ).format(shell=shell or "?")
        )
        raise typer.Exit(1)
    return str(shell)


# Typer's completion options, by name, and the callbacks csec gives them (see parse_args).
COMPLETION_CALLBACKS = {
    "install_completion": _install_completion,
    "show_completion": _show_completion,
}


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


CatalogueOption = Annotated[
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
]


@app.callback()
def main_options(
    ctx: typer.Context,
    catalogue: CatalogueOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A catalogue of resources on commercial sexual exploitation of children and adolescents.

    Every command explains itself and shows an example: csec COMMAND --help.

    Example: csec search "labour inspectors" --since 2008
    """
    from csec_cli.commands.common import AppState

    ctx.obj = AppState(catalogue_option=catalogue)


# Every command, as "module:function". A command's module (and what it imports: rich tables,
# rapidfuzz, format libraries) is loaded only when that command runs or help lists them all.
COMMANDS = {
    "list": "csec_cli.commands.list:list_command",
    "show": "csec_cli.commands.show:show_command",
    "search": "csec_cli.commands.search:search_command",
    "add": "csec_cli.commands.add:add_command",
    "edit": "csec_cli.commands.edit:edit_command",
    "remove": "csec_cli.commands.remove:remove_command",
    "import": "csec_cli.commands.import_:import_command",
    "export": "csec_cli.commands.export:export_command",
    "check": "csec_cli.commands.check:check_command",
    "stats": "csec_cli.commands.stats:stats_command",
    "info": "csec_cli.commands.info:info_command",
    "open": "csec_cli.commands.open:open_command",
    "init": "csec_cli.commands.init:init_command",
    "undo": "csec_cli.commands.undo:undo_command",
    "history": "csec_cli.commands.history:history_command",
}


def load_command(name: str) -> Any:
    """The click command for one entry of COMMANDS, built by Typer from its function."""
    module_name, _, function_name = COMMANDS[name].partition(":")
    callback = getattr(importlib.import_module(module_name), function_name)
    from csec_cli.commands.common import fold_completions

    command = _command_from(name, callback)
    command.params.append(_catalogue_after_the_command())
    fold_completions(command)
    return command


def _command_from(name: str, callback: Any) -> Any:
    return typer.main.get_command_from_info(
        CommandInfo(name=name, callback=callback, cls=CsecCommand),
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


def _catalogue_after_the_command() -> Any:
    """--catalogue / -c for a command, as given after it (`csec list -c team.toml`).

    People type options where they think of them; this one sets what the global option sets,
    and when both are given the later one, after the command, wins.
    """

    def takes_catalogue(catalogue: CatalogueOption = None) -> None:
        """Only here to have Typer build the option."""

    parameter = _command_from("catalogue", takes_catalogue).params[0]
    parameter.expose_value = False
    parameter.callback = _set_catalogue
    return parameter


def _set_catalogue(ctx: Any, _parameter: Any, value: Path | None) -> None:
    from csec_cli.commands.common import app_state

    if value is not None:
        app_state(ctx).catalogue_option = value


def describe_os_error(error: OSError) -> str:
    """One line for an OSError: the file it names, or csec's output, and the system's reason."""
    from csec_cli.errors import system_reason
    from csec_cli.i18n import _

    reason = system_reason(error).lower()
    if error.filename is None:
        return _("cannot write the output ({reason})").format(reason=reason)
    return _("{path}: {reason}").format(path=error.filename, reason=reason)


def main() -> None:
    """Entry point of the `csec` console script."""
    # Python ignores SIGPIPE and raises BrokenPipeError instead, except where a large write is
    # cut short, when it drops the rest and carries on; either way a command would go on and
    # end with whatever exit code it reached. Dying of SIGPIPE, as other Unix tools do, stops
    # every command at once and alike when its reader has gone (`csec check | head -1`).
    if hasattr(signal, "SIGPIPE"):  # not on Windows
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A csec run lasts a moment and makes no garbage cycles worth collecting, while the cyclic
    # collector would rescan every object of a large catalogue again and again (about 0.3 s at
    # 100,000 resources). Reference counting still frees everything as usual.
    gc.disable()
    app()
