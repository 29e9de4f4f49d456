"""Usage errors in a person's words: each names the option at fault and shows a correct example.

click and Typer word a usage error for a programmer ("Input should be a valid integer, unable
to parse string as an integer"); cli.CsecGroup hands every one here before it is shown. A value
a number option cannot take says what the option takes; every message ends with an example,
the option's own when it has one (OPTION_EXAMPLES), else the command's `Example:` line. Loaded
only when there is an error to word.
"""

from __future__ import annotations

from typing import Any

# A correct use of each option an error can name. Options missing here get the example of
# their command's help.
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
    "--title": '--title "Taking action!"',
    "--date": '--date "March 2009"',
    "--summary": '--summary "A guide for labour inspectors."',
    "--publisher": "--publisher ILO-IPEC",
    "--url": "--url https://www.ilo.org/",
    "--clear": "--clear url",
    "--set": "--set shelf=B3",
    "--unset": "--unset shelf",
    "--output": "--output catalogue.csv",
    "--query": '--query "labour inspectors"',
    "--catalogue": "--catalogue team.toml",
}
# What a number option takes, by its metavar.
_NUMBER_KINDS = {"YEAR": "a year", "N": "a whole number", "SCORE": "a number from 0 to 100"}


def word_usage_error(error: Any) -> None:
    """Reword a click usage error in place: the option named, a correct example given."""
    param = getattr(error, "param", None)
    option = _option_name(error, param)
    example = OPTION_EXAMPLES.get(option or "") or _command_example(error)
    kind = type(error).__name__
    message = str(getattr(error, "message", ""))
    worded = error.format_message
    if kind == "BadParameter" and param is not None and _is_number(param):
        text = f"{option} {_number_problem(message, param)}"
        worded = lambda: text  # noqa: E731
    elif kind == "BadOptionUsage" and option and "requires an argument" in message:
        text = f"{option} takes {_NUMBER_KINDS.get(_metavar(error, option), 'a value')}"
        worded = lambda: text  # noqa: E731
    elif kind == "BadParameter" and (
        message.startswith("-") or (param is None and getattr(error, "param_hint", None) is None)
    ):
        # csec's own refusals name their option first ("--sort takes date, title or added"),
        # or say in full what is wrong: click's "Invalid value for --sort:" adds nothing.
        worded = lambda: message  # noqa: E731
    error.format_message = lambda: _with_example(worded(), example)


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


def _number_problem(message: str, param: Any) -> str:
    """ "must be at least 1" when the number is out of bounds, else what the option takes."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    # Typer's coercion says "greater than or equal" or "less than or equal" for a value out of
    # bounds; anything else is a value that is not a number at all.
    if "than or equal" in message and (low is not None or high is not None):
        if low is not None and high is not None:
            return f"must be from {_number(low)} to {_number(high)}"
        if low is not None:
            return f"must be at least {_number(low)}"
        return f"must be at most {_number(high or 0)}"
    kind = _NUMBER_KINDS.get(param.metavar or "")
    if kind is None:
        whole = param.type_descriptor.annotation is int
        kind = "a whole number" if whole else "a number"
    return f"takes {kind}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _command_example(error: Any) -> str | None:
    """The `Example:` line of the failing command's help (or of csec's own)."""
    ctx = getattr(error, "ctx", None)
    while ctx is not None:
        lines = [line.strip() for line in (ctx.command.help or "").splitlines()]
        for index, line in enumerate(lines):
            if line.startswith("Example: csec "):
                return line.removeprefix("Example: ")
            # An "Examples:" block: one `csec …` a line below it.
            if line == "Examples:" and index + 1 < len(lines):
                return lines[index + 1]
        ctx = ctx.parent
    return None


def _with_example(text: str, example: str | None) -> str:
    if example is None or "e.g." in text or "Example:" in text:
        return text
    if text.endswith((".", "?")):
        return f"{text} Example: {example}"
    return f"{text}, e.g. {example}"
