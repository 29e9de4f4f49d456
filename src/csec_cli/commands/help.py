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
from csec_cli.i18n import N_, _, pgettext

ARGUMENTS_PANEL = N_("Arguments")
OPTIONS_PANEL = N_("Options")
COMMANDS_PANEL = N_("Commands")
# The gettext context of a metavar (QUERY, PATH), a word that alone could mean something else.
METAVAR_CONTEXT = "metavar"


def print_help(command: Any, ctx: Any) -> None:
    """Draw the help page of a click command or group on stdout."""
    print_help_page(help_page(command, ctx))


def help_page(command: Any, ctx: Any) -> HelpPage:
    """The page for a click command (or the csec group) in the context `ctx`."""
    first, *rest = [_(paragraph) for paragraph in docstring_paragraphs(command.help or "")] or [""]
    # As Typer orders them: arguments, then options, each default panel before the named ones.
    arguments = {ARGUMENTS_PANEL: HelpPanel(_(ARGUMENTS_PANEL))}
    options = {OPTIONS_PANEL: HelpPanel(_(OPTIONS_PANEL))}
    for parameter in command.get_params(ctx):
        if getattr(parameter, "hidden", False):
            continue
        is_argument = parameter.param_type_name == "argument"
        panels = arguments if is_argument else options
        title = getattr(parameter, "rich_help_panel", None) or next(iter(panels))
        panels.setdefault(title, HelpPanel(_(title))).rows.append(_row(parameter))
    ordered = [*arguments.values(), *options.values()]
    listed = _command_list(command, ctx)
    if listed:
        ordered.append(HelpPanel(_(COMMANDS_PANEL), commands=listed))
    return HelpPage(
        usage=usage_line(command, ctx),
        summary=" ".join(first.split("\n")).strip(),
        paragraphs=rest,
        panels=[panel for panel in ordered if panel.rows or panel.commands],
    )


def usage_line(command: Any, ctx: Any) -> str:
    """`csec edit [OPTIONS] ID`: ID for a required argument, [ID] for an optional one."""
    pieces = [ctx.command_path, _("[OPTIONS]")]
    for parameter in command.get_params(ctx):
        if parameter.param_type_name == "argument":
            name = metavar(parameter)
            if parameter.nargs != 1 and not name.endswith("..."):
                name += "..."
            pieces.append(name if parameter.required else f"[{name}]")
    if hasattr(command, "list_commands"):
        pieces.append(_("COMMAND [ARGS]..."))
    return " ".join(pieces)


def metavar(parameter: Any) -> str:
    """The name of the value a parameter takes (QUERY, PATH), in the interface language."""
    if parameter.metavar:
        return pgettext(METAVAR_CONTEXT, parameter.metavar)
    return str(parameter.name.upper())


def docstring_paragraphs(help_text: str) -> list[str]:
    """A command's help text as the paragraphs translated one by one (the help page's order)."""
    text = inspect.cleandoc(help_text).partition("\f")[0]
    return [paragraph.strip("\n") for paragraph in text.split("\n\n") if paragraph.strip()]


def _row(parameter: Any) -> HelpRow:
    """A parameter as people read it: its flags, its metavar (none for a flag), its help."""
    notes = []
    help_text = _(parameter.help) if parameter.help else ""
    if parameter.param_type_name == "argument":
        if parameter.required:
            notes.append(_("[required]"))
        return HelpRow(
            long=metavar(parameter),
            help=help_text,
            notes=" ".join(notes),
            required=parameter.required,
        )
    long = [name for name in parameter.opts if name.startswith("--")]
    short = [name for name in parameter.opts if not name.startswith("--")]
    if parameter.secondary_opts:
        # --formula-protection/--no-formula-protection: one switch, shown as one name.
        long = [f"--[no-]{long[0].removeprefix('--')}"]
    is_flag = getattr(parameter, "is_flag", False)
    value = "" if is_flag else metavar(parameter)
    default = _default_text(parameter)
    if default:
        notes.append(_("[default: {value}]").format(value=default))
    if parameter.required:
        notes.append(_("[required]"))
    return HelpRow(
        long=", ".join(long),
        short=", ".join(short),
        value=value,
        help=help_text,
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
    """The first paragraph of a docstring, translated, on one line (as a command list shows it)."""
    paragraphs = docstring_paragraphs(help_text)
    return " ".join(_(paragraphs[0]).split()) if paragraphs else ""


def summary_from_source(target: str) -> str | None:
    """The summary of the function `module:function`, read from its source file, or None."""
    module_name, _colon, function_name = target.partition(":")
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
