"""What `--help` shows for csec and each command, in names people read.

Typer 0.29 labels values by Python type (`<bool>`, `<str>`, `<path>`) and marks a required
argument `{ID}`; csec's pages show each option's metavar (QUERY, ID, PATH, YEAR), nothing for a
flag, and `ID` or `ID...` in the usage line. The page is drawn by help_render, without
typer.rich_utils, so that help is as quick as a search. `csec --help` lists the commands with
the first paragraph of each docstring, read from the command's source file rather than by
importing its module and all it needs (command_summary; a test holds the two equal).
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from typing import Any

from csec_cli.help_render import HelpPage, HelpPanel, HelpRow, print_help_page

ARGUMENTS_PANEL = "Arguments"
OPTIONS_PANEL = "Options"
COMMANDS_PANEL = "Commands"


def print_help(command: Any, ctx: Any) -> None:
    """Draw the help page of a click command or group on stdout."""
    print_help_page(help_page(command, ctx))


def help_page(command: Any, ctx: Any) -> HelpPage:
    """The page for a click command (or the csec group) in the context `ctx`."""
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    first, *rest = text.split("\n\n") if text else [""]
    # As Typer orders them: arguments, then options, each default panel before the named ones.
    arguments = {ARGUMENTS_PANEL: HelpPanel(ARGUMENTS_PANEL)}
    options = {OPTIONS_PANEL: HelpPanel(OPTIONS_PANEL)}
    for parameter in command.get_params(ctx):
        if getattr(parameter, "hidden", False):
            continue
        is_argument = parameter.param_type_name == "argument"
        panels = arguments if is_argument else options
        title = getattr(parameter, "rich_help_panel", None) or next(iter(panels))
        panels.setdefault(title, HelpPanel(title)).rows.append(_row(parameter))
    ordered = [*arguments.values(), *options.values()]
    listed = _command_list(command, ctx)
    if listed:
        ordered.append(HelpPanel(COMMANDS_PANEL, commands=listed))
    return HelpPage(
        usage=usage_line(command, ctx),
        summary=" ".join(first.split("\n")).strip(),
        paragraphs=rest,
        panels=[panel for panel in ordered if panel.rows or panel.commands],
    )


def usage_line(command: Any, ctx: Any) -> str:
    """`csec edit [OPTIONS] ID`: ID for a required argument, [ID] for an optional one."""
    pieces = [ctx.command_path, "[OPTIONS]"]
    for parameter in command.get_params(ctx):
        if parameter.param_type_name == "argument":
            name = parameter.metavar or parameter.name.upper()
            if parameter.nargs != 1 and not name.endswith("..."):
                name += "..."
            pieces.append(name if parameter.required else f"[{name}]")
    if hasattr(command, "list_commands"):
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def _row(parameter: Any) -> HelpRow:
    """A parameter as people read it: its flags, its metavar (none for a flag), its help."""
    notes = []
    if parameter.param_type_name == "argument":
        name = parameter.metavar or parameter.name.upper()
        if parameter.required:
            notes.append("[required]")
        return HelpRow(
            long=name, help=parameter.help or "", notes=" ".join(notes), required=parameter.required
        )
    long = [name for name in parameter.opts if name.startswith("--")]
    short = [name for name in parameter.opts if not name.startswith("--")]
    if parameter.secondary_opts:
        # --formula-protection/--no-formula-protection: one switch, shown as one name.
        long = [f"--[no-]{long[0].removeprefix('--')}"]
    is_flag = getattr(parameter, "is_flag", False)
    value = "" if is_flag else (parameter.metavar or parameter.name.upper())
    default = _default_text(parameter)
    if default:
        notes.append(f"[default: {default}]")
    if parameter.required:
        notes.append("[required]")
    return HelpRow(
        long=", ".join(long),
        short=", ".join(short),
        value=value,
        help=parameter.help or "",
        notes=" ".join(notes),
        required=parameter.required,
    )


def _default_text(parameter: Any) -> str:
    """The default worth saying: a value, or which side of a --x/--no-x switch is on."""
    default = parameter.default
    if not getattr(parameter, "show_default", True) or default is None:
        return ""
    if getattr(parameter, "is_flag", False):
        if parameter.secondary_opts and isinstance(default, bool):
            chosen = parameter.opts[0] if default else parameter.secondary_opts[0]
            return str(chosen.removeprefix("--"))
        return ""
    if isinstance(default, list | tuple):
        return ", ".join(str(item) for item in default)
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    return str(default)


def _command_list(group: Any, ctx: Any) -> list[tuple[str, str]]:
    """Each command of a group with its summary, without importing the commands' modules."""
    if not hasattr(group, "list_commands"):
        return []
    listed = []
    for name in group.list_commands(ctx):
        summary = group.command_summary(ctx, name) if hasattr(group, "command_summary") else None
        if summary is None:
            command = group.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            summary = summary_of(command.help or "")
        listed.append((name, summary))
    return listed


def summary_of(help_text: str) -> str:
    """The first paragraph of a docstring, on one line (as a command list shows it)."""
    first = inspect.cleandoc(help_text).partition("\f")[0].split("\n\n")[0]
    return " ".join(first.split())


def summary_from_source(target: str) -> str | None:
    """The summary of the function `module:function`, read from its source file, or None."""
    module_name, _, function_name = target.partition(":")
    spec = importlib.util.find_spec(module_name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    try:
        with open(spec.origin, encoding="utf-8") as source:
            text = source.read()
    except OSError:
        return None
    found = re.search(
        rf"^def {re.escape(function_name)}\(.*?\) -> [^\n]+:\n\s+\"\"\"(.*?)(?:\"\"\"|\n\s*\n)",
        text,
        re.DOTALL | re.MULTILINE,
    )
    return summary_of(found.group(1)) if found else None
