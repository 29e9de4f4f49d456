"""Help that teaches: a bare `csec` shows the help, and every command has a purpose and an example.

The commands are discovered from the app at test time, so commands added later are covered.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

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


def help_pages() -> dict[str, str]:
    """`csec --help` and every `csec NAME --help`, as printed."""
    pages = {"": CliRunner().invoke(app, ["--help"], catch_exceptions=False).stdout}
    for name in COMMANDS:
        pages[name] = CliRunner().invoke(app, [name, "--help"], catch_exceptions=False).stdout
    return pages


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_shows_no_python_type_names(name: str) -> None:
    """No `<bool>`, `<str>`, `<path>`, `<list[str]>` or `{ID}`: metavars people read, or none."""
    page = help_pages()[name]
    for placeholder in ("<bool>", "<str>", "<path>", "<int>", "<float>", "<list", "{"):
        assert placeholder not in page, f"csec {name} --help shows {placeholder}"


def test_usage_lines_name_arguments_plainly() -> None:
    """`csec show [OPTIONS] ID`, `csec remove [OPTIONS] ID...`, `csec search [OPTIONS] QUERY`."""
    lines = {
        name: [line.strip() for line in page.splitlines()] for name, page in help_pages().items()
    }
    assert "Usage: csec show [OPTIONS] ID" in lines["show"]
    assert "Usage: csec remove [OPTIONS] ID..." in lines["remove"]
    assert "Usage: csec search [OPTIONS] QUERY" in lines["search"]
    assert "Usage: csec [OPTIONS] COMMAND [ARGS]..." in lines[""]


def test_flags_show_no_value_and_options_their_metavar() -> None:
    """A flag is its name and its help; an option shows the value it takes."""
    lines = help_pages()["list"].splitlines()
    json_line = next(line for line in lines if "--json" in line)
    assert json_line.split("--json", 1)[1].strip().startswith("Print JSON only")
    assert any(re.search(r"--limit\s+-n\s+N\s+Show at most N", line) for line in lines)
    assert any(
        re.search(r"--since\s+YEAR\s+Only dated", line)
        for line in help_pages()["list"].splitlines()
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_command_summaries_read_from_source_match_the_docstrings(name: str) -> None:
    """The root help's list, read from each command's source file, says what its docstring says."""
    from csec_cli.cli import COMMANDS as TABLE
    from csec_cli.commands.help import summary_from_source, summary_of

    assert summary_from_source(TABLE[name]) == summary_of(registered_commands()[name].help or "")


def modules_after(*arguments: str) -> set[str]:
    """The modules a fresh Python holds after running csec with `arguments`."""
    script = (
        "import sys\nfrom csec_cli.cli import app\ntry:\n"
        f"    app({list(arguments)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return set(result.stdout.split())


def test_root_help_loads_no_command_and_not_typers_rich_help() -> None:
    """`csec --help` imports no command module and not typer.rich_utils (markdown-it and all)."""
    loaded = modules_after("--help")
    assert not {module for module in loaded if module.startswith("csec_cli.commands.")} - {
        "csec_cli.commands.help"
    }
    assert "typer.rich_utils" not in loaded
    assert "markdown_it" not in loaded


def test_command_help_loads_only_that_command() -> None:
    """`csec list --help` imports the list command, and not the others nor typer.rich_utils."""
    loaded = modules_after("list", "--help")
    assert "csec_cli.commands.list" in loaded
    assert "csec_cli.commands.search" not in loaded
    assert "typer.rich_utils" not in loaded
