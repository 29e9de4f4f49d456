"""Help that teaches: a bare `csec` shows the help, and every command has a purpose and an example.

The commands are discovered from the app at test time, so commands added later are covered.
"""

from __future__ import annotations

import inspect

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from csec_cli.cli import app


def registered_commands() -> dict[str, typer.core.TyperCommand]:
    """Every command of the app as click sees it (name → command)."""
    group = get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    # Commands load lazily (cli.COMMANDS), so ask the group for each one as click would.
    context = typer.Context(group)
    return {name: group.get_command(context, name) for name in group.list_commands(context)}  # type: ignore[misc]


COMMANDS = sorted(registered_commands())


def test_bare_csec_prints_the_help_and_exits_0() -> None:
    """`csec` with nothing else shows the usage and every command, on stdout, exit 0."""
    result = CliRunner().invoke(app, [], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Usage: csec" in result.stdout
    for name in COMMANDS:
        assert name in result.stdout


def test_bare_csec_in_a_real_process_exits_0(csec_process) -> None:  # type: ignore[no-untyped-def]
    """The installed csec, run alone, exits 0 with the help (click's default would exit 2)."""
    result = csec_process()
    assert result.returncode == 0
    assert "Usage: csec" in result.stdout
    assert result.stderr == ""


def test_the_root_help_has_an_example() -> None:
    """`csec --help` itself shows an example invocation."""
    result = CliRunner().invoke(app, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example: csec " in result.stdout


def test_commands_were_found() -> None:
    """Discovery works: the foundation's commands are among those walked."""
    assert {"list", "show", "check", "info", "stats", "open"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_help_has_a_purpose_and_an_example(name: str) -> None:
    """`csec NAME --help` starts with a one-line purpose and shows a `csec ...` example."""
    command = registered_commands()[name]
    docstring = inspect.cleandoc(command.help or "")
    purpose = docstring.split("\n\n")[0]
    assert purpose, f"{name} has no help text"
    assert "\n" not in purpose, f"{name}'s purpose should be one line: {purpose!r}"
    assert purpose.endswith("."), f"{name}'s purpose should be a sentence: {purpose!r}"

    result = CliRunner().invoke(app, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    shown = [line.strip() for line in result.stdout.splitlines()]
    assert purpose in " ".join(shown), f"{name} --help does not show its purpose"
    examples = [
        line
        for line in shown
        if line.startswith(("Example: csec ", "csec ")) and not line.startswith("csec [")
    ]
    assert examples, f"{name} --help shows no example invocation (add 'Example: csec {name} ...')"


@pytest.mark.parametrize("name", COMMANDS)
def test_help_paragraphs_are_not_broken_mid_sentence(name: str) -> None:
    """Typer's rich help keeps single line breaks after the first paragraph, so prose must not wrap.

    A docstring paragraph wrapped at 100 columns would show a ragged break in `--help`; only
    example blocks (lines starting with `csec` after an "Examples:" line) may span lines.
    """
    command = registered_commands()[name]
    paragraphs = inspect.cleandoc(command.help or "").partition("\f")[0].split("\n\n")[1:]
    for paragraph in paragraphs:
        lines = paragraph.splitlines()
        if len(lines) > 1:
            assert lines[0].rstrip().endswith(":") and all(
                line.strip().startswith("csec ") for line in lines[1:]
            ), f"{name}: this help paragraph would render with hard line breaks: {paragraph!r}"
