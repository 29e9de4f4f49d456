"""`csec edit` item by item: --add-X / --remove-X per list field, --clear by flag name, --set and
--unset for keys csec does not know; `csec remove` of several ids in one write."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

from conftest import RunCli
from csec_cli.commands import prompting
from csec_cli.commands.fields import flag_of
from csec_cli.models import LIST_FIELDS


def table_of(path: Path, resource_id: str) -> dict[str, object] | None:
    """The table of one resource in a catalogue file, or None."""
    for table in tomli.loads(path.read_text(encoding="utf-8"))["resources"]:
        if table["id"] == resource_id:
            return dict(table)
    return None


@pytest.mark.parametrize("name", LIST_FIELDS)
def test_every_list_field_has_add_and_remove_flags(run_cli: RunCli, name: str) -> None:
    """Each list field (models.LIST_FIELDS, authors included once it is one) gets both flags."""
    singular = flag_of(name).removeprefix("--")
    result = run_cli("edit", "--help")
    assert result.exit_code == 0
    assert f"--add-{singular}" in result.stdout
    assert f"--remove-{singular}" in result.stdout


def test_add_and_remove_change_one_item_each(run_cli: RunCli, catalogue: Path) -> None:
    """--add-topic appends, --remove-topic drops a value matched without case; others stay."""
    before = table_of(catalogue, "media-strategy")
    assert before is not None
    assert before["topics"] == ["media", "lobbying", "public debate"]
    result = run_cli(
        "edit", "media-strategy", "--add-topic", "child protection", "--remove-topic", "LOBBYING",
        "--add-audience", "journalists", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = table_of(catalogue, "media-strategy")
    assert after == {
        **before,
        "topics": ["media", "public debate", "child protection"],
        "audience": ["institutions and organizations", "journalists"],
    }


def test_adding_a_value_already_there_changes_nothing(run_cli: RunCli, catalogue: Path) -> None:
    """An item the list holds already (in another case) is not added twice; nothing is written."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", "--add-topic", "Media", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Nothing was changed." in result.stderr
    assert catalogue.read_bytes() == before


def test_removing_a_value_not_there_is_an_error(run_cli: RunCli, catalogue: Path) -> None:
    """A value the list does not hold: one line naming the flag and the items held, exit 1."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", "--remove-audience", "nurses", "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --remove-audience: 'nurses' is not among the audience "
        "('institutions and organizations')\n"
    )
    assert catalogue.read_bytes() == before


def test_removing_is_accent_insensitive(run_cli: RunCli, catalogue: Path) -> None:
    """--remove-country panama removes a stored "Panamá"."""
    run_cli("edit", "media-strategy", "--country", "Panamá", "--country", "Chile", "--yes")
    result = run_cli("edit", "media-strategy", "--remove-country", "panama", "--yes")
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, "media-strategy")["countries"] == ["Chile"]  # type: ignore[index]


@pytest.mark.parametrize("given", ["topic", "topics", "--topic", "Topic"])
def test_clear_takes_the_flag_name_or_the_field_name(
    run_cli: RunCli, catalogue: Path, given: str
) -> None:
    """--clear topic works as --clear topics does."""
    result = run_cli("edit", "media-strategy", "--clear", given, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "topics" not in table_of(catalogue, "media-strategy")  # type: ignore[operator]


def test_clear_country_and_a_wrong_name(run_cli: RunCli, catalogue: Path) -> None:
    """--clear country clears countries; an unknown name lists the flag names, exit 2."""
    result = run_cli("edit", "labour-inspection", "--clear", "country", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "countries" not in table_of(catalogue, "labour-inspection-csec")  # type: ignore[operator]
    result = run_cli("edit", "labour-inspection", "--clear", "countrys", "--yes")
    assert result.exit_code == 2
    assert "'countrys' is not a field that can be cleared" in result.stderr
    assert "country" in result.stderr


def test_set_and_unset_a_key_csec_does_not_know(run_cli: RunCli, catalogue: Path) -> None:
    """--set stores text under a new key (a number stays text); --unset removes it again."""
    before = table_of(catalogue, "media-strategy")
    result = run_cli("edit", "media-strategy", "--set", "shelf=3", "--set", "box=A=1", "--yes")
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, "media-strategy") == {**before, "shelf": "3", "box": "A=1"}  # type: ignore[dict-item]
    result = run_cli("edit", "media-strategy", "--unset", "shelf", "--unset", "box", "--yes")
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, "media-strategy") == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--set", "date=2009"], 2, "date is a field csec knows; change it with --date"),
        (["--set", "id=x"], 2, "an id never changes"),
        (["--unset", "url"], 2, "empty it with --clear url"),
        (["--set", "shelf"], 2, "give KEY=VALUE, e.g. shelf=B3"),
        (["--set", "my shelf=3"], 2, "is not a key name"),
        (["--set", "shelf="], 2, "--unset shelf removes the key"),
        (["--unset", "shelf"], 1, "has no key 'shelf'"),
    ],
)
def test_set_and_unset_refusals(
    run_cli: RunCli, catalogue: Path, args: list[str], code: int, message: str
) -> None:
    """Known fields point to their flag; malformed settings say how to write one."""
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", *args, "--yes")
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert catalogue.read_bytes() == before


def test_remove_several_ids_in_one_write(run_cli: RunCli, catalogue: Path) -> None:
    """remove A B --yes removes both (prefixes work, a repeated one counts once)."""
    result = run_cli("remove", "media-strategy", "belize", "belize-protocol", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"Removed 2 resources ('media-strategy', 'belize-protocol') from {catalogue}.\n"
    )
    assert table_of(catalogue, "media-strategy") is None
    assert table_of(catalogue, "belize-protocol") is None
    assert len(tomli.loads(catalogue.read_text(encoding="utf-8"))["resources"]) == 8


def test_remove_with_one_unknown_id_removes_nothing(run_cli: RunCli, catalogue: Path) -> None:
    """All or nothing: one id that matches nothing stops the whole removal."""
    before = catalogue.read_bytes()
    result = run_cli("remove", "media-strategy", "no-such-thing", "--yes")
    assert result.exit_code == 1
    assert "no resource with id 'no-such-thing'" in result.stderr
    assert catalogue.read_bytes() == before


def test_remove_several_asks_once_listing_them(
    run_cli: RunCli, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the confirmation lists every id and title, and no keeps them all."""
    monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)
    before = catalogue.read_bytes()
    result = run_cli("remove", "media-strategy", "belize-protocol", input="\n")
    assert result.exit_code == 1
    assert "media-strategy  How to work strategically with the media?" in result.stderr
    assert "belize-protocol  " in result.stderr
    assert "Remove 2 resources ('media-strategy', 'belize-protocol') from the catalogue? [y/N]" in (
        result.stderr
    )
    assert catalogue.read_bytes() == before


def test_add_and_remove_an_author(run_cli: RunCli, catalogue: Path) -> None:
    """--add-author keeps a comma inside a name; --remove-author matches without accents."""
    result = run_cli(
        "edit", "media-strategy", "--add-author", "Pérez, Ana María", "--add-author", "OIT/IPEC",
        "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, "media-strategy")["authors"] == ["Pérez, Ana María", "OIT/IPEC"]  # type: ignore[index]
    result = run_cli("edit", "media-strategy", "--remove-author", "perez, ana maria", "--yes")
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, "media-strategy")["authors"] == ["OIT/IPEC"]  # type: ignore[index]


def test_add_and_remove_a_file_keep_paths_exact(
    run_cli: RunCli, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--add-file stores the path as --file does; --remove-file matches case, not folded."""
    (catalogue.parent / "pdf").mkdir()
    (catalogue.parent / "pdf" / "a.pdf").write_bytes(b"%PDF")
    monkeypatch.chdir(catalogue.parent)
    result = run_cli("edit", "media-strategy", "--add-file", "pdf/a.pdf", "--yes")
    assert result.exit_code == 0, result.stderr
    assert table_of(catalogue, "media-strategy")["files"] == ["pdf/a.pdf"]  # type: ignore[index]
    before = catalogue.read_bytes()
    result = run_cli("edit", "media-strategy", "--remove-file", "pdf/A.pdf", "--yes")
    assert result.exit_code == 1
    assert "'pdf/A.pdf' is not among the files" in result.stderr
    assert catalogue.read_bytes() == before
    result = run_cli(
        "edit", "media-strategy", "--remove-file", str(catalogue.parent / "pdf" / "a.pdf"), "--yes"
    )
    assert result.exit_code == 0, result.stderr
    assert "files" not in table_of(catalogue, "media-strategy")  # type: ignore[operator]


def test_clear_author_by_its_flag_name(run_cli: RunCli, catalogue: Path) -> None:
    """--clear author clears authors, as --clear topic clears topics."""
    run_cli("edit", "media-strategy", "--author", "OIT/IPEC", "--yes")
    result = run_cli("edit", "media-strategy", "--clear", "author", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "authors" not in table_of(catalogue, "media-strategy")  # type: ignore[operator]
