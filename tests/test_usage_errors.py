"""Usage errors in a person's words (commands/usage.py): the option named, a correct example
given, exit 2; and --catalogue / -c accepted after the command as well as before it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import RunCli
from csec_cli.cli import COMMANDS, app
from test_help import registered_commands
from usage_panel import usage_error_text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--since", "2009-03"], "--since takes a year, e.g. --since 2009"),
        (["list", "--until", "soon"], "--until takes a year, e.g. --until 2012"),
        (["list", "--limit", "0"], "--limit must be at least 1, e.g. --limit 20"),
        (["list", "-n", "ten"], "--limit takes a whole number, e.g. --limit 20"),
        (["list", "--since"], "--since takes a year, e.g. --since 2009"),
        (["search", "x", "--min-score", "200"], "--min-score must be from 0 to 100"),
        (["stats", "--top", "0"], "--top must be at least 1, e.g. --top 5"),
        (["list", "--sort", "size"], "--sort takes date, title or added, e.g. --sort title"),
        (["export", "-f", "xlsx"], "--format takes one of csv, json, markdown, ris, bibtex, html"),
        (
            ["export", "-o", "cat.xlsx"],
            "cannot tell the format from '.xlsx'; use --format csv|json|markdown|ris|bibtex|html, "
            "e.g. csec export --format csv -o catalogue.csv",
        ),
        (["list", "--since", "2010", "--until", "2009"], "--since 2010 is later than --until 2009"),
        (["show"], "Missing argument 'ID'. Example: csec show "),
        (["list", "--bogus"], "No such option: --bogus, e.g. csec list "),
        (["list", "--tsvx"], "No such option: --tsvx. Did you mean --csv or --tsv? Example:"),
        (["list", "--cs"], "No such option: --cs. Did you mean --csv, --ids or --tsv? Example:"),
    ],
)
def test_usage_errors_name_the_option_and_show_an_example(
    run_cli: RunCli, catalogue: Path, args: list[str], message: str
) -> None:
    """Each of the issue's examples, and their kin, reads as a person would say it; exit 2."""
    result = run_cli(*args)
    assert message in usage_error_text(result)
    assert "Input should be" not in result.stderr
    assert "Invalid value for --format" not in result.stderr or "-f" in args


def number_options() -> list[tuple[str, str]]:
    """(command, option) for every option of every command that takes a number."""
    found = []
    for name, command in registered_commands().items():
        for parameter in command.params:
            annotation = getattr(parameter.type_descriptor, "annotation", None)
            if parameter.param_type_name == "option" and annotation in (int, float):
                found.append((name, parameter.opts[0]))
    return found


@pytest.mark.parametrize(("command", "option"), number_options())
@pytest.mark.parametrize("value", ["x", "-100000"])
def test_every_number_option_says_what_it_takes(
    run_cli: RunCli, command: str, option: str, value: str
) -> None:
    """A word or a number out of bounds: the option named first, an example, exit 2."""
    needs = {"show": ["x"], "search": ["x"], "open": ["x"], "edit": ["x"], "remove": ["x"]}
    text = usage_error_text(run_cli(command, *needs.get(command, []), option, value))
    assert text.startswith(option), text
    assert ", e.g. " in text, text


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_usage_error_gives_an_example(run_cli: RunCli, name: str) -> None:
    """An unknown option on any command is answered with a correct example."""
    text = usage_error_text(run_cli(name, "--no-such-option"))
    assert "No such option: --no-such-option" in text
    assert "e.g. csec " in text, text


@pytest.mark.parametrize("name", list(COMMANDS))
def test_catalogue_option_after_every_command(name: str) -> None:
    """`csec NAME --help` lists --catalogue / -c: every command takes it after its name."""
    result = CliRunner().invoke(app, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "--catalogue" in result.stdout
    assert "-c" in result.stdout


def test_catalogue_after_the_command_is_used(catalogue: Path, tmp_path: Path) -> None:
    """`csec list -c team.toml` reads team.toml; after the command it wins over before it."""
    team = tmp_path / "team.toml"
    team.write_text('[[resources]]\nid = "only-one"\ntitle = "Only one"\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["list", "-c", str(team), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert '"only-one"' in result.stdout
    result = runner.invoke(
        app, ["-c", str(catalogue), "info", "--catalogue", str(team)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert str(team) in result.stdout
