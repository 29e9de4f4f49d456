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

from csec_cli.cli import COMMANDS, app, load_command
from csec_cli.option_values import QuickValues

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
