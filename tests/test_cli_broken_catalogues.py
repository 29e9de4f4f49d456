"""CLI tests on broken catalogues: one clear line, the valid rest still read, the file untouched."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

RunCli = Callable[..., Result]
CopyFixture = Callable[[str], Path]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("syntax-error.toml", r"syntax-error.toml:5:\d+: not valid TOML"),
        ("wrong-shape.toml", r"wrong-shape.toml:2:1: `resources` must be an array of tables"),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["show", "alpha"], ["check"], ["info"]])
def test_unparsable_file_stops_every_command(
    run_cli: RunCli, fixture_catalogue: CopyFixture, name: str, message: str, command: list[str]
) -> None:
    """A file that does not parse: exit 1, one line naming file, line and column, file unchanged."""
    path = fixture_catalogue(name)
    before = path.read_bytes()
    result = run_cli(*command, path=path)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    import re

    assert re.search(message, lines[0])
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "line", "kept"),
    [
        ("missing-title.toml", 8, ["alpha", "gamma"]),
        ("duplicate-ids.toml", 8, ["alpha", "gamma"]),
        ("wrong-type.toml", 8, ["alpha"]),
    ],
)
def test_invalid_resource_is_reported_and_reading_goes_on(
    run_cli: RunCli, fixture_catalogue: CopyFixture, name: str, line: int, kept: list[str]
) -> None:
    """A bad resource is a warning with its line on stderr; list shows the rest and exits 0."""
    path = fixture_catalogue(name)
    before = path.read_bytes()
    result = run_cli("list", "--json", path=path)
    assert result.exit_code == 0
    assert sorted(item["id"] for item in json.loads(result.stdout)) == kept
    assert f"Warning: {path}:{line}: resource" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["missing-title.toml", "duplicate-ids.toml", "wrong-type.toml"])
def test_check_lists_every_problem_and_fails(
    run_cli: RunCli, fixture_catalogue: CopyFixture, name: str
) -> None:
    """`csec check` lists each invalid resource with its line and exits 1."""
    path = fixture_catalogue(name)
    result = run_cli("check", path=path)
    assert result.exit_code == 1
    assert f"error: {path}:8: resource" in result.stdout
    if name == "wrong-type.toml":
        assert "audience must be a list of strings" in result.stdout


def test_missing_catalogue_explains_how_to_create_one(run_cli: RunCli, tmp_path: Path) -> None:
    """Reading a file that does not exist says how to start one."""
    result = run_cli("list", path=tmp_path / "nothing.toml")
    assert result.exit_code == 1
    assert (
        "no such catalogue; create it with `csec init`, `csec add` or `csec import FILE`"
        in result.stderr
    )
