"""Start-up: commands are imported only when they run, and `csec --version` stays light."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from csec_cli import __version__
from csec_cli.cli import COMMANDS, load_command

HEAVY = (
    "rich",
    "rapidfuzz",
    "tomli_w",
    "platformdirs",
    "filelock",
    "dateutil",
    "importlib.metadata",
)


def imported_after(*arguments: str) -> set[str]:
    """The modules a fresh Python has imported after running csec with `arguments`."""
    script = (
        "import sys\n"
        "from csec_cli.cli import app\n"
        "try:\n"
        f"    app({list(arguments)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return set(result.stdout.split())


def test_version_imports_nothing_heavy() -> None:
    """`csec --version` loads neither rich, rapidfuzz, the writers nor any command module."""
    modules = imported_after("--version")
    assert not {name for name in modules if name.split(".")[0] in HEAVY or name in HEAVY}
    assert not {name for name in modules if name.startswith("csec_cli.commands")}


def test_installed_version_answers_before_loading_typer() -> None:
    """The console script answers `csec --version` without importing Typer at all."""
    script = (
        "import sys\n"
        "sys.argv = ['csec', '--version']\n"
        "from csec_cli.entry_point import main\n"
        "main()\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    version, *modules = result.stdout.split("\n")
    assert version == f"csec {__version__}"
    assert not {name for name in modules if name.split(".")[0] in {"typer", *HEAVY}}


def test_both_ways_to_the_version_print_the_same(csec_process: Callable[..., Any]) -> None:
    """`csec --version` alone (answered early) and with another option (by Typer) agree."""
    alone = csec_process("--version")
    with_option = csec_process("--catalogue", "none.toml", "--version")
    assert alone.returncode == with_option.returncode == 0
    assert alone.stdout == with_option.stdout == f"csec {__version__}\n"
    assert alone.stderr == with_option.stderr == ""


def test_a_command_imports_only_its_own_module(catalogue: Any) -> None:
    """Running `csec info` imports the info command's module and no other command's."""
    modules = imported_after("--catalogue", str(catalogue), "info")
    commands = {name for name in modules if name.startswith("csec_cli.commands.")}
    assert commands == {"csec_cli.commands.info", "csec_cli.commands.common"}


def test_a_scripted_add_does_not_load_rich(catalogue: Any) -> None:
    """`csec add` with flags shows one plain line, so it never loads rich (a fifth of its run),
    while an add that has a warning to show does."""
    add = ("--catalogue", str(catalogue), "add", "--yes", "--title")
    modules = imported_after(*add, "A new guide for social workers")
    assert "csec_cli.commands.add" in modules
    assert not {name for name in modules if name.split(".")[0] == "rich"}
    warned = imported_after(*add, "A new leaflet", "--audience", "labour inspector")
    assert "rich.console" in warned


def test_a_piped_search_or_list_does_not_load_rich(catalogue: Any) -> None:
    """On a pipe, `search` and `list` write plain lines, so neither loads rich (a tenth of a
    search); rich is loaded for what only it draws (here the --explain lines)."""
    on = ("--catalogue", str(catalogue))
    for arguments in (
        ("search", "labour inspectors"),
        ("search", "zzqx wqzz"),  # no hit: a note on stderr
        ("list", "--limit", "3"),
        ("list",),
    ):
        modules = imported_after(*on, *arguments)
        assert f"csec_cli.commands.{arguments[0]}" in modules
        assert not {name for name in modules if name.split(".")[0] == "rich"}, arguments
    assert "rich.console" in imported_after(*on, "search", "labour inspectors", "--explain")


@pytest.mark.parametrize("force_color", [None, "", "1"])
@pytest.mark.parametrize("tty_compatible", [None, "", "0", "1"])
@pytest.mark.parametrize("isatty", [False, True])
def test_stdout_is_a_terminal_exactly_when_rich_says_so(
    monkeypatch: pytest.MonkeyPatch,
    force_color: str | None,
    tty_compatible: str | None,
    isatty: bool,
) -> None:
    """plain_output decides "not a terminal" without rich only where rich would say the same."""
    import io

    from rich.console import Console

    from csec_cli.plain_output import stdout_is_terminal

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return isatty

    for name, value in (("FORCE_COLOR", force_color), ("TTY_COMPATIBLE", tty_compatible)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", Stream())
    assert stdout_is_terminal() == Console().is_terminal


def test_version_matches_package_metadata(csec_process: Callable[..., Any]) -> None:
    """The version written in __init__.py is the installed package's version."""
    assert importlib.metadata.version("csec-cli") == __version__
    result = csec_process("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"csec {__version__}\n", "")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_registered_command_loads(name: str) -> None:
    """Each COMMANDS entry names a real function with help text and an example."""
    command = load_command(name)
    assert command.name == name
    assert command.help and re.search(r"Examples?:\s+csec ", command.help)


def test_help_lists_every_command(run_cli: Callable[..., Any]) -> None:
    """`csec --help` lists every command, though none was imported before."""
    result = run_cli("--help")
    assert result.exit_code == 0, result.stderr
    for name in COMMANDS:
        assert f" {name} " in result.stdout


def test_unknown_command_suggests_a_lazy_one(run_cli: Callable[..., Any]) -> None:
    """A typo is a usage error that suggests the command meant, even one not yet imported."""
    result = run_cli("lst")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Did you mean 'list'?" in result.stderr
