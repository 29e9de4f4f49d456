"""`csec edit` and `csec remove`: flags, prompts with current values, confirmation, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tomli

from conftest import RunCli
from csec_cli.commands import prompting
from csec_cli.field_values import EDITABLE_FIELDS


def table_of(path: Path, resource_id: str) -> dict[str, object] | None:
    """The table of one resource in a catalogue file, or None."""
    for table in tomli.loads(path.read_text(encoding="utf-8"))["resources"]:
        if table["id"] == resource_id:
            return dict(table)
    return None


@pytest.fixture
def on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make csec believe a person is at a terminal, so CliRunner input answers its questions."""
    monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)


def test_edit_with_flags_changes_only_those_fields(run_cli: RunCli, catalogue: Path) -> None:
    """Flags replace their fields (lists whole); id, added and other fields stay."""
    before = table_of(catalogue, "media-strategy")
    assert before is not None
    result = run_cli(
        "edit", "media-str", "--date", "2009", "--audience", "journalists",
        "--publisher", "ILO-IPEC", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"Changed 'media-strategy' in {catalogue}.\n"
    after = table_of(catalogue, "media-strategy")
    assert after == {**before, "date": "2009", "audience": ["journalists"], "publisher": "ILO-IPEC"}


def test_edit_clear_empties_a_field(run_cli: RunCli, catalogue: Path) -> None:
    """--clear FIELD removes the field from the resource."""
    result = run_cli(
        "edit", "media-strategy", "--clear", "topics", "--clear", "date", "--clear", "type",
        "--audience", "journalists", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = table_of(catalogue, "media-strategy")
    assert after is not None
    assert not {"topics", "date", "type"} & set(after)
    assert after["audience"] == ["journalists"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clear", "title"], "'title' cannot be cleared"),
        (["--clear", "url", "--url", "https://a.org"], "--url and --clear url contradict"),
        (["--topic", "a", "--add-topic", "b"], "--topic and --add-topic contradict each other"),
        (["--clear", "topic", "--remove-topic", "media"], "--clear topic and --remove-topic"),
        (["--add-topic", "x", "--remove-topic", "X"], "both name 'x'"),
    ],
)
def test_edit_refuses_contradictory_flags(
    run_cli: RunCli, catalogue: Path, args: list[str], message: str
) -> None:
    """Clearing the title, setting and clearing a field at once, or replacing, clearing and
    changing one list item at once (or adding and removing one value) is a usage error (exit 2)."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", *args, "--yes")
    assert result.exit_code == 2
    assert message in result.stderr
    assert catalogue.read_bytes() == before


def test_edit_without_changes_on_a_pipe_fails_at_once(run_cli: RunCli, catalogue: Path) -> None:
    """With no flags and no terminal there is nothing to do: exit 1, never wait for input."""
    result = run_cli("edit", "media-strategy")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing to change")


def test_edit_unknown_id_suggests_close_ones(run_cli: RunCli, catalogue: Path) -> None:
    """An id that matches nothing is an error that proposes near ids."""
    result = run_cli("edit", "media-stratgy", "--date", "2009", "--yes")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: no resource with id 'media-stratgy'; did you mean media-strategy?\n"
    )


def test_edit_bad_value_names_the_flag(run_cli: RunCli, catalogue: Path) -> None:
    """A wrong value is refused with its flag named; the file is unchanged."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", "--date", "31 February 2009", "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --date: ")
    assert catalogue.read_bytes() == before


def test_interactive_edit_offers_current_values(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """On a terminal each field is asked with its current value; Enter keeps, - clears."""
    answers = [
        "",  # title kept
        "",  # authors
        "bad date",  # explained, asked again
        "March 2009",
        "",  # summary kept
        "",  # type kept
        "-",  # audience cleared
        "",  # topics kept
        "",  # countries
        "",  # language kept
        "ILO-IPEC",  # publisher set
        "",  # place
        "",  # series
        "",  # isbn
        "",  # issn
        "",  # url
        "",  # files
        "",  # notes
        "y",
    ]
    before = table_of(catalogue, "media-strategy")
    assert before is not None
    result = run_cli("edit", "media-strategy", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Title [How to work strategically with the media?]: " in result.stderr
    assert "'bad date' is not a date" in result.stderr
    assert "Save the changes? [Y/n]" in result.stderr
    expected = {key: value for key, value in before.items() if key != "audience"}
    assert table_of(catalogue, "media-strategy") == {
        **expected,
        "date": "2009-03",
        "publisher": "ILO-IPEC",
    }


def test_interactive_edit_with_no_answer_changes_nothing(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """Keeping every value writes nothing and says so."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", input="\n" * len(EDITABLE_FIELDS))
    assert result.exit_code == 0, result.stderr
    assert "Nothing was changed." in result.stderr
    assert catalogue.read_bytes() == before


def test_interactive_edit_ctrl_d_leaves_the_file(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """End of input half way through an edit exits 1 and writes nothing."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", input="New title\n")
    assert result.exit_code == 1
    assert "End of input. Nothing was changed." in result.stderr
    assert catalogue.read_bytes() == before


def test_remove_with_yes_removes_only_that_resource(run_cli: RunCli, catalogue: Path) -> None:
    """remove --yes deletes the one resource and keeps the rest and the header."""
    header = catalogue.read_text(encoding="utf-8").split("[[resources]]")[0]
    result = run_cli("remove", "media-strategy", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"Removed 'media-strategy' from {catalogue}.\n"
    text = catalogue.read_text(encoding="utf-8")
    assert text.startswith(header)
    assert table_of(catalogue, "media-strategy") is None
    assert len(tomli.loads(text)["resources"]) == 9


def test_remove_on_a_pipe_needs_yes(run_cli: RunCli, catalogue: Path) -> None:
    """Without a terminal, remove refuses to guess a confirmation."""
    before = catalogue.read_bytes()
    result = run_cli("remove", "media-strategy")
    assert result.exit_code == 1
    assert "add --yes" in result.stderr
    assert catalogue.read_bytes() == before


@pytest.mark.parametrize(("answer", "code", "kept"), [("y\n", 0, False), ("\n", 1, True)])
def test_remove_on_a_terminal_asks_first(
    run_cli: RunCli, catalogue: Path, on_terminal: None, answer: str, code: int, kept: bool
) -> None:
    """remove shows the resource and asks; the default answer is no."""
    result = run_cli("remove", "media-strategy", input=answer)
    assert result.exit_code == code
    assert "Remove 'media-strategy' from the catalogue? [y/N]" in result.stderr
    assert (table_of(catalogue, "media-strategy") is not None) == kept


def test_edited_resource_keeps_its_added_time(run_cli: RunCli, catalogue: Path) -> None:
    """An edit never touches the `added` timestamp."""
    run_cli("edit", "media-strategy", "--type", "guide", "--yes")
    after = table_of(catalogue, "media-strategy")
    assert after is not None
    assert after["added"] == dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)
    assert after["type"] == "guide"
