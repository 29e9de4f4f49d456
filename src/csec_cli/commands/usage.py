"""Usage errors in a person's words: each names the option at fault and shows a correct example.

click and Typer word a usage error for a programmer ("Input should be a valid integer, unable
to parse string as an integer"); cli.CsecGroup hands every one here before it is shown. A value
a number option cannot take says what the option takes; every message ends with an example,
the option's own when it has one (OPTION_EXAMPLES), else the command's `Example:` line. Loaded
only when there is an error to word.
"""

from __future__ import annotations

import re
from typing import Any

from csec_cli.i18n import N_, _, either

# A correct use of each option an error can name. Options missing here get the example of
# their command's help. The examples of free text are translated where shown (a Spanish title,
# a Spanish date); those of filters keep the seed's own values, which are data.
OPTION_EXAMPLES = {
    "--since": "--since 2009",
    "--until": "--until 2012",
    "--limit": "--limit 20",
    "--top": "--top 5",
    "--min-score": "--min-score 70",
    "--sort": "--sort title",
    "--type": "--type manual",
    "--audience": '--audience "labour inspectors"',
    "--country": "--country Panama",
    "--topic": '--topic "child labour"',
    "--language": "--language es",
    # Translators: the examples that follow are shown after a usage error; translate the
    # value only (the option name stays), e.g. a title or a date as your users write them.
    "--title": N_('--title "Taking action!"'),
    "--date": N_('--date "March 2009"'),
    "--summary": N_('--summary "A guide for labour inspectors."'),
    "--publisher": "--publisher ILO-IPEC",
    "--url": "--url https://www.ilo.org/",
    "--clear": "--clear url",
    "--set": N_("--set shelf=B3"),
    "--unset": N_("--unset shelf"),
    "--output": N_("--output catalogue.csv"),
    "--query": N_('--query "labour inspectors"'),
    "--catalogue": N_("--catalogue team.toml"),
}
# What a number option takes, by its metavar: "{option} takes a year".
_NUMBER_KINDS = {
    "YEAR": N_("{option} takes a year"),
    "N": N_("{option} takes a whole number"),
    "SCORE": N_("{option} takes a number from 0 to 100"),
}


def word_usage_error(error: Any) -> None:
    """Reword a click usage error in place, in the interface language: the option named, a
    correct example given."""
    param = getattr(error, "param", None)
    option = _option_name(error, param)
    example = _option_example(option) or _command_example(error)
    text = _worded(error, param, option)
    error.format_message = lambda: _with_example(text, example)


def _option_example(option: str | None) -> str | None:
    """The example of OPTION_EXAMPLES for `option`, in the interface language, else None."""
    example = OPTION_EXAMPLES.get(option or "")
    # Untranslated (data) examples are not in the catalogue and come back as they are.
    return _(example) if example else None


def _worded(error: Any, param: Any, option: str | None) -> str:
    """What went wrong, in csec's words; click's own words only for a kind csec does not know."""
    kind = type(error).__name__
    message = str(getattr(error, "message", ""))
    # click words its messages in English, whatever the language: what they say is read here
    # only to tell one kind of mistake from another.
    if kind == "BadParameter" and param is not None and _is_number(param):
        return _number_problem(message, param).format(option=option)
    if kind == "BadParameter" and param is not None and (choices := _choices(param)):
        # Typer words a refused choice as pydantic does ("Value error, 'x' is not one of …").
        from csec_cli.commands.help import metavar

        return _("{option} takes one of {choices}").format(
            option=option or metavar(param), choices=", ".join(choices)
        )
    if kind == "BadOptionUsage" and option and "requires an argument" in message:
        kind_text = _NUMBER_KINDS.get(_metavar(error, option), N_("{option} takes a value"))
        return _(kind_text).format(option=option)
    if kind == "BadOptionUsage" and option and "does not take a value" in message:
        return _("{option} does not take a value").format(option=option)
    if kind == "BadParameter" and (
        message.startswith("-") or (param is None and getattr(error, "param_hint", None) is None)
    ):
        # csec's own refusals name their option first ("--sort takes date, title or added"),
        # or say in full what is wrong: click's "Invalid value for --sort:" adds nothing.
        return message
    if kind == "BadParameter":
        return _("Invalid value for {option}: {problem}").format(
            option=option or getattr(error, "param_hint", ""), problem=message
        )
    if kind == "MissingParameter" and param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            from csec_cli.commands.help import metavar

            return _("Missing argument '{name}'.").format(name=metavar(param))
        return _("Missing option {option}.").format(option=option)
    if kind == "NoSuchOption":
        possibilities = sorted(getattr(error, "possibilities", None) or ())
        if possibilities:
            return _("No such option: {option}. Did you mean {suggestion}?").format(
                option=error.option_name, suggestion=either(possibilities)
            )
        return _("No such option: {option}").format(option=error.option_name)
    if kind == "UsageError" and (extra := _EXTRA_ARGUMENTS.match(message)):
        return _("Unexpected extra arguments: {arguments}").format(arguments=extra.group(1))
    if kind == "UsageError" and message == "Missing command.":
        return _("Missing command.")
    return str(error.format_message())


_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", re.DOTALL)


def no_such_command(name: str, known: list[str]) -> str:
    """The message for a command csec does not have, with the nearest one it has."""
    import difflib

    text = _("No such command '{name}'.").format(name=name)
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        text += " " + _("Did you mean '{command}'?").format(command=close[0])
    return text


def print_usage_error(error: Any) -> None:
    """The usage line, where to find help, and the error in a box, on stderr."""
    from csec_cli.commands.help import usage_line
    from csec_cli.render import print_usage_error as print_box

    ctx = getattr(error, "ctx", None)
    usage = hint = None
    if ctx is not None:
        usage = usage_line(ctx.command, ctx)
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
    print_box(usage, hint, error.format_message())


def _option_name(error: Any, param: Any) -> str | None:
    """The option the error is about, as its long flag (--limit, not -n)."""
    if param is not None and getattr(param, "param_type_name", "") == "option":
        names = [name for name in param.opts if name.startswith("--")] or param.opts
        return str(names[0])
    hint = getattr(error, "param_hint", None) or getattr(error, "option_name", None)
    if isinstance(hint, str) and hint.startswith("-"):
        command = getattr(getattr(error, "ctx", None), "command", None)
        for candidate in getattr(command, "params", ()):
            if hint in getattr(candidate, "opts", ()):
                names = [name for name in candidate.opts if name.startswith("--")]
                return str(names[0]) if names else hint
        return hint
    return None


def _metavar(error: Any, option: str) -> str:
    """The metavar of the number option `option` of the failing command, else ""."""
    command = getattr(getattr(error, "ctx", None), "command", None)
    for candidate in getattr(command, "params", ()):
        if option in getattr(candidate, "opts", ()) and _is_number(candidate):
            return str(candidate.metavar or "")
    return ""


def _is_number(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    return getattr(descriptor, "annotation", None) in (int, float)


def _choices(param: Any) -> list[str]:
    """The values a parameter is limited to (an Enum or a Literal), else []."""
    import enum
    import types
    import typing

    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(
            (each for each in typing.get_args(annotation) if each is not type(None)), None
        )
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(value) for value in typing.get_args(annotation)]
    return []


def _number_problem(message: str, param: Any) -> str:
    """ "{option} must be at least 1" when the number is out of bounds, else what the option
    takes; translated, with {option} left to fill."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    # Typer's coercion says "greater than or equal" or "less than or equal" for a value out of
    # bounds; anything else is a value that is not a number at all. The bounds are filled in
    # here and {option} is kept as a field for the caller ({{option}} survives one format).
    if "than or equal" in message and (low is not None or high is not None):
        if low is not None and high is not None:
            return _("{option} must be from {low} to {high}").format(
                option="{option}", low=_number(low), high=_number(high)
            )
        if low is not None:
            return _("{option} must be at least {low}").format(option="{option}", low=_number(low))
        return _("{option} must be at most {high}").format(
            option="{option}", high=_number(high or 0)
        )
    kind = _NUMBER_KINDS.get(param.metavar or "")
    if kind is None:
        whole = param.type_descriptor.annotation is int
        kind = N_("{option} takes a whole number") if whole else N_("{option} takes a number")
    return _(kind)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _command_example(error: Any) -> str | None:
    """The `Example:` line of the failing command's help (or of csec's own), as its help page
    shows it in the interface language: a translated example may search in Spanish."""
    from csec_cli.commands.help import docstring_paragraphs

    example_labels = {"Example:", _("Example:")}
    examples_labels = {"Examples:", _("Examples:")}
    ctx = getattr(error, "ctx", None)
    while ctx is not None:
        paragraphs = [_(paragraph) for paragraph in docstring_paragraphs(ctx.command.help or "")]
        lines = [line.strip() for line in "\n\n".join(paragraphs).splitlines()]
        for index, line in enumerate(lines):
            label, _space, rest = line.partition(" ")
            if label in example_labels and rest.startswith("csec "):
                return rest
            # An "Examples:" block: one `csec …` a line below it.
            if line in examples_labels and index + 1 < len(lines):
                return lines[index + 1]
        ctx = ctx.parent
    return None


def _with_example(text: str, example: str | None) -> str:
    if example is None or any(
        marker in text for marker in ("e.g.", "Example:", _("e.g."), _("Example:"))
    ):
        return text
    if text.endswith((".", "?")):
        return _("{message} Example: {example}").format(message=text, example=example)
    return _("{message}, e.g. {example}").format(message=text, example=example)
