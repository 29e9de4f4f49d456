"""Tests for option_values: csec reads option values as Typer's pydantic adapters would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click.exceptions import BadParameter, UsageError
from typer._coercion import build_runtime_param

from conftest import RunCli
from csec_cli import option_values
from csec_cli.cli import COMMANDS, app, load_command
from csec_cli.option_values import QuickValues, read_values_quickly

SAMPLES: tuple[Any, ...] = (
    None, (), ("a", "b c"), ["x"], "", " ", "0", "1", "-3", "007", "10", "9999", "10000", "1.5",
    "1e3", " 5", "+5", "5_0", "abc", "55.0", "100", "100.5", "-0", "labour inspectors", "~/x.toml",
    "relative/path.toml", "/", True, False, 0, 3, 55.0, 7.5, Path("p.toml"),
)  # fmt: skip


def all_parameters() -> list[Any]:
    """Every Typer parameter of csec: the global options and each command's."""
    group = typer.main.get_command(app)
    commands = [group, *(load_command(name) for name in COMMANDS)]
    return [
        parameter
        for command in commands
        for parameter in command.params
        if getattr(parameter, "type_descriptor", None) is not None
    ]


def outcome(coerce: Any, value: Any, parameter: Any) -> tuple[str, Any]:
    """What coercing `value` gives: the value (with its type), or the error message."""
    try:
        result = coerce(value, param=parameter, ctx=None)
    except (BadParameter, UsageError) as error:
        return ("error", error.format_message())
    return ("value", (type(result), result))


@pytest.mark.parametrize("parameter", all_parameters(), ids=lambda parameter: parameter.name)
def test_values_read_as_typer_reads_them(parameter: Any) -> None:
    """Every sample value gives the same result (or the same error) as Typer's own coercion."""
    quick = QuickValues(parameter)
    typer_own = build_runtime_param(parameter.type_descriptor)
    for value in SAMPLES:
        assert outcome(quick.coerce, value, parameter) == outcome(
            typer_own.coerce, value, parameter
        ), value


def test_reading_commands_do_not_import_pydantic(catalogue: Path) -> None:
    """A search with options, in a fresh process, runs without importing pydantic."""
    code = (
        "import sys\n"
        "from csec_cli.cli import main\n"
        f"sys.argv = ['csec', '--catalogue', {str(catalogue)!r}, 'search', 'labour',"
        " '--limit', '3', '--min-score', '40', '--type', 'manual', '--since', '2000', '--json']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[")
    assert result.stderr.strip().splitlines()[-1] == "False"


# Help, ordinary values of every kind, and values Typer refuses, across the commands.
INVOCATIONS: tuple[tuple[str, ...], ...] = (
    ("--help",), *((name, "--help") for name in sorted(COMMANDS)),
    ("list", "--since", "2000", "--until", "2020", "--type", "manual", "--limit", "3", "--json"),
    ("list", "--sort", "title", "--audience", "labour inspectors", "--country", "Brazil"),
    ("search", "labour inspectors", "--limit", "2", "--min-score", "40.5", "--json"),
    ("stats", "--top", "2", "--language", "en"), ("show", "no-such-id"),
    ("list", "--limit", "abc"), ("list", "--limit", "0"), ("list", "--since", "10000"),
    ("list", "--since", "1e3"), ("search", "labour", "--min-score", "101"),
    ("search", "labour", "--min-score", "x"), ("stats", "--top", "-1"), ("list", "--nonsense"),
    ("export", "--format", "json", "--output", ""), ("export", "--format", "nope"),
)  # fmt: skip


@pytest.mark.parametrize("arguments", INVOCATIONS, ids=" ".join)
def test_csec_behaves_the_same_with_the_shortcut_off(
    arguments: tuple[str, ...], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With CSEC_QUICK_VALUES=0, help, parsed values and errors are exactly as with it on."""
    with_shortcut = run_cli(*arguments, catch=True)
    monkeypatch.setenv(option_values.SWITCH, "0")
    without = run_cli(*arguments, catch=True)
    assert (without.exit_code, without.stdout, without.stderr) == (
        with_shortcut.exit_code,
        with_shortcut.stdout,
        with_shortcut.stderr,
    )
    assert without.exception is None or isinstance(without.exception, SystemExit)


def test_the_switch_leaves_typer_coercion_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """CSEC_QUICK_VALUES=0 installs no QuickValues; unset, every Typer parameter gets one."""
    monkeypatch.setenv(option_values.SWITCH, "0")
    parameters = all_parameters()
    read_values_quickly(parameters)
    assert not any(isinstance(p._runtime_param, QuickValues) for p in parameters)
    monkeypatch.delenv(option_values.SWITCH)
    read_values_quickly(parameters)
    assert all(isinstance(p._runtime_param, QuickValues) for p in parameters)


def test_an_untested_typer_gets_no_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a Typer release outside TESTED_TYPER, csec uses Typer's own coercion only."""
    assert option_values.quick_values_enabled()  # the installed Typer is a tested one
    monkeypatch.setattr(typer, "__version__", "0.30.0")
    assert not option_values.quick_values_enabled()
