"""CLI tests for list, show, check and info: exit codes, stdout and stderr kept apart."""

from __future__ import annotations

import json
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path

import pytest
from typer.testing import Result

RunCli = Callable[..., Result]


def test_list_shows_every_seed_resource_newest_first(run_cli: RunCli) -> None:
    """`csec list` prints the ten ids with the 2009 ones before the 2008 ones."""
    result = run_cli("list")
    assert result.exit_code == 0
    assert result.stderr == ""
    seed_ids = [item["id"] for item in json.loads(run_cli("list", "--json").stdout)]
    assert len(seed_ids) == 10
    for resource_id in seed_ids:
        assert resource_id in result.stdout
    assert result.stdout.index("media-strategy") < result.stdout.index("belize-protocol")


def test_list_json_is_only_json_with_contract_fields(run_cli: RunCli) -> None:
    """--json prints a parseable array of objects with ISO dates and nothing else."""
    result = run_cli("list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data) == 10
    assert data[0]["date"] == "2009-03-01"
    assert set(data[0]) >= {
        "id",
        "title",
        "date",
        "summary",
        "type",
        "audience",
        "topics",
        "countries",
        "language",
        "publisher",
        "url",
        "added",
    }


def test_list_filters_combine(run_cli: RunCli) -> None:
    """Filters ignore case and accents, repeat as "any of", and combine as "all of"."""
    result = run_cli(
        "list", "--json", "--country", "central america", "--type", "leaflet", "--type", "PAMPHLET"
    )
    assert sorted(item["id"] for item in json.loads(result.stdout)) == [
        "labour-inspection-csec",
        "workers-organizations",
    ]
    result = run_cli("list", "--json", "--since", "2009", "--audience", "media")
    assert [item["id"] for item in json.loads(result.stdout)] == ["media-share-responsibility"]
    result = run_cli("list", "--json", "--until", "2008", "--topic", "Victim Care")
    assert [item["id"] for item in json.loads(result.stdout)] == ["belize-protocol"]


def test_list_sort_and_limit(run_cli: RunCli) -> None:
    """--sort title orders A–Z and --limit cuts the list."""
    result = run_cli("list", "--json", "--sort", "title", "--limit", "2")
    titles = [item["title"] for item in json.loads(result.stdout)]
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 2
    assert titles[0].startswith("A shared responsibility")


def test_list_with_no_match_says_so_on_stderr(run_cli: RunCli) -> None:
    """An empty selection is not an error: exit 0, a note on stderr, nothing on stdout."""
    result = run_cli("list", "--since", "2020")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "No resources match" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--sort", "size"],
        ["list", "--limit", "zero"],
        ["list", "--since", "2010", "--until", "2000"],
        ["list", "--bogus"],
    ],
)
def test_usage_errors_exit_2(run_cli: RunCli, args: list[str]) -> None:
    """Options of the wrong kind are usage errors (exit 2) with no traceback."""
    result = run_cli(*args, catch=True)
    assert result.exit_code == 2
    assert ("Traceback" not in result.stderr and result.exception is None) or isinstance(
        result.exception, SystemExit
    )


def test_show_by_prefix_prints_every_field(run_cli: RunCli) -> None:
    """`csec show labour` finds the only id starting so and shows its fields and summary."""
    result = run_cli("show", "labour")
    assert result.exit_code == 0
    for text in (
        "labour-inspection-csec",
        "01 March 2009",
        "pamphlet",
        "Dominican Republic",
        "summary",
    ):
        assert text in result.stdout


def test_show_json_is_one_object(run_cli: RunCli) -> None:
    """`csec show ID --json` prints one object."""
    data = json.loads(run_cli("show", "belize-protocol", "--json").stdout)
    assert data["countries"] == ["Belize"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("media", "matches several ids"),
        ("belise", "did you mean belize-protocol"),
        ("zzz", "no resource with id 'zzz'"),
    ],
)
def test_show_unknown_or_ambiguous_id_is_one_error_line(
    run_cli: RunCli, key: str, message: str
) -> None:
    """Unknown and ambiguous ids exit 1 with one line on stderr that helps."""
    result = run_cli("show", key)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")


def test_check_passes_on_the_seed(run_cli: RunCli) -> None:
    """The seed copy checks clean: exit 0 and a summary line."""
    result = run_cli("check")
    assert result.exit_code == 0
    assert "10 valid resources, 0 errors, 0 warnings" in result.stdout


def test_check_finds_future_dates_bad_urls_missing_dates_and_spellings(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Errors make check exit 1; warnings are listed too."""
    path = tmp_path / "c.toml"
    path.write_text(
        '[[resources]]\nid = "a"\ntitle = "Alpha guide to labour inspection"\ndate = 2999-01-01\naudience = ["Labour inspectors"]\n\n'
        '[[resources]]\nid = "b"\ntitle = "Alpha guide to labour inspections"\nurl = "not a url"\naudience = ["labour inspectors"]\nlanguage = "English"\n',
        encoding="utf-8",
    )
    result = run_cli("check", path=path)
    assert result.exit_code == 1
    out = result.stdout
    assert f"error: {path}:1: resource 'a': date 2999-01-01 is in the future" in out
    assert "url 'not a url' is not an http(s) address" in out
    assert "warning: " in out and "has no date" in out
    assert "nearly the same title as 'a' (line 1)" in out
    assert "audience is spelled several ways" in out
    assert "not a two-letter ISO 639-1 code" in out


def test_check_lists_every_problem_of_a_large_catalogue_in_order(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """More problems than one print takes (render prints lines in batches): one line each, in order."""
    path = tmp_path / "c.toml"
    blocks = [
        f'[[resources]]\nid = "r{number:04d}"\ntitle = "{sha256(str(number).encode()).hexdigest()}"\n'
        for number in range(1203)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    result = run_cli("check", path=path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:-1] == [
        f"warning: {path}:{1 + 4 * number}: resource 'r{number:04d}' has no date"
        for number in range(1203)
    ]
    assert lines[-1] == f"{path}: 1203 valid resources, 0 errors, 1203 warnings"


def test_info_names_the_catalogue_count_and_version(run_cli: RunCli, catalogue: Path) -> None:
    """`csec info` tells which file, why, how many resources, which version."""
    result = run_cli("info", "--json")
    data = json.loads(result.stdout)
    assert data["catalogue"] == str(catalogue)
    assert data["chosen_by"] == "--catalogue"
    assert data["resources"] == 10
    assert data["version"]
    assert str(catalogue) in run_cli("info").stdout
