"""`csec undo` and `csec history`: every write keeps the version it replaced, and undo puts it back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import SEED, RunCli
from csec_cli import history
from csec_cli.catalogue import catalogue_lock
from csec_cli.history import KEPT_VERSIONS, history_folder, list_versions

Run = Callable[..., subprocess.CompletedProcess[str]]


def installed(run: Run, catalogue: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed csec on `catalogue`, as a user runs it."""
    return run("--catalogue", str(catalogue), *args)


def test_remove_then_undo_restores_the_file_byte_for_byte(
    catalogue: Path, csec_process: Run
) -> None:
    """`remove --yes` by mistake, then `csec undo`: the very bytes are back, and it says so."""
    before = catalogue.read_bytes()
    removed = installed(csec_process, catalogue, "remove", "labour-inspection-csec", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert catalogue.read_bytes() != before
    undone = installed(csec_process, catalogue, "undo")
    assert undone.returncode == 0, undone.stderr
    assert catalogue.read_bytes() == before
    assert "Undid `remove labour-inspection-csec`" in undone.stderr
    assert "10 resources again" in undone.stderr
    assert list_versions(catalogue) == []


def test_undo_steps_back_through_add_edit_and_import(
    catalogue: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """Each undo takes back one more write, newest first, each time to the exact bytes."""
    versions = [catalogue.read_bytes()]
    assert run_cli("add", "--title", "A new guide", "--yes").exit_code == 0
    versions.append(catalogue.read_bytes())
    assert run_cli("edit", "new-guide", "--type", "manual", "--yes").exit_code == 0
    versions.append(catalogue.read_bytes())
    records = tmp_path / "more.csv"
    records.write_text("title\nFirst imported\nSecond imported\n", encoding="utf-8")
    assert run_cli("import", str(records)).exit_code == 0
    for expected in reversed(versions):
        result = run_cli("undo")
        assert result.exit_code == 0, result.stderr
        assert catalogue.read_bytes() == expected
    result = run_cli("undo")
    assert result.exit_code == 1
    assert "nothing to undo" in result.stderr


def test_undo_refuses_after_a_hand_edit(catalogue: Path, csec_process: Run) -> None:
    """A file changed since csec's write (by hand, by git) is left alone: one line, exit 1."""
    installed(csec_process, catalogue, "remove", "labour-inspection-csec", "--yes")
    with catalogue.open("a", encoding="utf-8") as handle:
        handle.write("\n# a note typed by hand\n")
    edited = catalogue.read_bytes()
    result = installed(csec_process, catalogue, "undo")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "changed since csec's last write" in result.stderr
    assert "remove labour-inspection-csec" in result.stderr
    assert catalogue.read_bytes() == edited
    shown = installed(csec_process, catalogue, "history")
    assert "`csec undo` would refuse" in shown.stderr


def test_undo_refuses_when_the_file_was_deleted(catalogue: Path, run_cli: RunCli) -> None:
    """A catalogue deleted by hand since csec's write is not brought back behind the user's back."""
    run_cli("remove", "labour-inspection-csec", "--yes")
    catalogue.unlink()
    result = run_cli("undo")
    assert result.exit_code == 1
    assert "changed since" in result.stderr
    assert not catalogue.exists()


def test_history_lists_writes_newest_first(catalogue: Path, run_cli: RunCli) -> None:
    """History names each write, when, and the resource count before and after; --json too."""
    run_cli("remove", "labour-inspection-csec", "--yes")
    run_cli("add", "--title", "A new guide", "--yes")
    result = run_cli("history")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if "guide" in line or "remove" in line]
    assert "add new-guide" in lines[0] and "9 → 10" in lines[0]
    assert "remove labour-inspection-csec" in lines[1] and "10 → 9" in lines[1]
    data = json.loads(run_cli("history", "--json").stdout)
    assert [entry["change"] for entry in data] == ["add new-guide", "remove labour-inspection-csec"]
    assert data[1]["resources_before"] == 10 and data[1]["resources_after"] == 9
    assert data[0]["when"].endswith("+00:00")


def test_piped_history_is_aligned_lines_without_trailing_spaces(
    catalogue: Path, run_cli: RunCli
) -> None:
    """Piped, history prints a header and a write a line, as `list` does: no padding at the ends."""
    run_cli("remove", "labour-inspection-csec", "--yes")
    lines = run_cli("history").stdout.splitlines()
    assert lines[0].split() == ["when", "change", "resources"]
    assert "remove labour-inspection-csec" in lines[1]
    assert all(line == line.rstrip() and line for line in lines)


def test_history_of_a_catalogue_never_written(catalogue: Path, run_cli: RunCli) -> None:
    """No writes yet: history says there is nothing to undo, and JSON is an empty list."""
    result = run_cli("history")
    assert result.exit_code == 0
    assert "Nothing to undo" in result.stderr
    assert json.loads(run_cli("history", "--json").stdout) == []


def test_the_bound_is_kept(catalogue: Path, run_cli: RunCli) -> None:
    """After more writes than the bound, only the last KEPT_VERSIONS are kept, copies too."""
    for number in range(KEPT_VERSIONS + 3):
        result = run_cli("edit", "labour-inspection-csec", "--publisher", f"P{number}", "--yes")
        assert result.exit_code == 0, result.stderr
    versions = list_versions(catalogue)
    assert len(versions) == KEPT_VERSIONS
    assert versions[-1].change == "edit labour-inspection-csec"
    kept = sorted(history_folder(catalogue).glob("*.toml"))
    assert len(kept) == KEPT_VERSIONS
    assert {path.name for path in kept} == {f"{version.number}.toml" for version in versions}


def test_an_append_keeps_no_copy(catalogue: Path, run_cli: RunCli) -> None:
    """`add` appends, so the version before it is the file's start: no bytes are kept."""
    before = catalogue.read_bytes()
    run_cli("add", "--title", "A new guide", "--yes")
    (version,) = list_versions(catalogue)
    assert version.kind == "prefix"
    assert list(history_folder(catalogue).glob("*.toml")) == []
    assert run_cli("undo").exit_code == 0
    assert catalogue.read_bytes() == before


def test_a_rewrite_keeps_the_old_file_as_a_hard_link(catalogue: Path, run_cli: RunCli) -> None:
    """The replaced file lives on under the history's name: nothing was copied."""
    old_inode = catalogue.stat().st_ino
    run_cli("remove", "labour-inspection-csec", "--yes")
    (version,) = list_versions(catalogue)
    kept = history_folder(catalogue) / f"{version.number}.toml"
    assert version.kind == "copy"
    assert kept.stat().st_ino == old_inode


def test_without_hard_links_the_old_file_is_copied(
    catalogue: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On another disk (no hard link possible) the old file is copied, and undo still works."""

    def refuse_link(*args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(history.os, "link", refuse_link)
    before = catalogue.read_bytes()
    run_cli("remove", "labour-inspection-csec", "--yes")
    assert run_cli("undo").exit_code == 0
    assert catalogue.read_bytes() == before


def test_a_crlf_catalogue_is_restored_exactly(catalogue: Path, run_cli: RunCli) -> None:
    """A CRLF file's add is rewritten through its text, so it keeps a copy; undo is exact."""
    catalogue.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    before = catalogue.read_bytes()
    run_cli("add", "--title", "A new guide", "--yes")
    assert run_cli("undo").exit_code == 0
    assert catalogue.read_bytes() == before


def test_undo_of_the_first_write_removes_the_file(tmp_path: Path, run_cli: RunCli) -> None:
    """The first `add` created the file, so undoing it leaves no file, as before."""
    path = tmp_path / "new.toml"
    assert run_cli("add", "--title", "A new guide", "--yes", path=path).exit_code == 0
    result = run_cli("undo", path=path)
    assert result.exit_code == 0
    assert "removed it" in result.stderr
    assert not path.exists()


def test_a_damaged_kept_version_is_refused(catalogue: Path, run_cli: RunCli) -> None:
    """A kept copy that is not what the write replaced is never put back."""
    run_cli("remove", "labour-inspection-csec", "--yes")
    after = catalogue.read_bytes()
    (kept,) = history_folder(catalogue).glob("*.toml")
    kept.write_text("# not the old catalogue\n", encoding="utf-8")
    result = run_cli("undo")
    assert result.exit_code == 1
    assert "missing or damaged" in result.stderr
    assert catalogue.read_bytes() == after


def test_a_history_folder_that_cannot_be_written_never_stops_a_write(
    catalogue: Path, run_cli: RunCli
) -> None:
    """No room for the history: the write goes on, it just cannot be undone."""
    folder = history_folder(catalogue)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the folder would go", encoding="utf-8")
    result = run_cli("remove", "labour-inspection-csec", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "labour-inspection-csec" not in catalogue.read_text(encoding="utf-8")
    assert run_cli("undo").exit_code == 1


def test_history_is_kept_per_catalogue_by_its_resolved_path(
    catalogue: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """A symbolic link to the catalogue shares its history; another catalogue has its own."""
    link = tmp_path / "link.toml"
    link.symlink_to(catalogue)
    other = tmp_path / "other.toml"
    shutil.copyfile(SEED, other)
    run_cli("remove", "labour-inspection-csec", "--yes", path=link)
    assert len(list_versions(catalogue)) == 1
    assert list_versions(other) == []
    assert run_cli("undo", path=catalogue).exit_code == 0
    assert link.is_symlink()


@pytest.mark.slow
def test_undo_waits_for_the_catalogues_lock(catalogue: Path, csec_executable: str) -> None:
    """Undo takes the catalogue's lock, so it never runs in the middle of another write."""
    before = catalogue.read_bytes()
    subprocess.run(
        [csec_executable, "-c", str(catalogue), "remove", "labour-inspection-csec", "--yes"],
        check=True,
        capture_output=True,
        env=os.environ,
    )
    removed = catalogue.read_bytes()
    with catalogue_lock(catalogue):
        undo = subprocess.Popen(
            [csec_executable, "-c", str(catalogue), "undo"],
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
        )
        time.sleep(1.5)
        assert undo.poll() is None  # waiting for the lock
        assert catalogue.read_bytes() == removed
    _, stderr = undo.communicate(timeout=60)
    assert undo.returncode == 0, stderr
    assert catalogue.read_bytes() == before


@pytest.mark.slow
def test_concurrent_writers_each_keep_their_version(catalogue: Path, csec_executable: str) -> None:
    """Six writers at once: each write is in the history, and undoing them all is exact."""
    before = catalogue.read_bytes()
    commands = [
        ["add", "--title", title, "--yes"]
        for title in ("Alpha manual", "Bravo study", "Charlie leaflet", "Delta protocol")
    ] + [
        ["remove", "labour-inspection-csec", "--yes"],
        ["edit", "belize-protocol", "--publisher", "Someone", "--yes"],
    ]
    processes = [
        subprocess.Popen(
            [csec_executable, "-c", str(catalogue), *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
        )
        for command in commands
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    versions = list_versions(catalogue)
    assert len(versions) == len(commands)
    for version, following in pairwise(versions):
        assert version.digest_after == following.digest_before  # one chain, nothing lost
    for _ in commands:
        result = subprocess.run(
            [csec_executable, "-c", str(catalogue), "undo"],
            capture_output=True,
            text=True,
            env=os.environ,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    assert catalogue.read_bytes() == before


@pytest.fixture(scope="module")
def data_folder_of_module_fixtures() -> str:
    """XDG_DATA_HOME as a module-scoped fixture sees it (they run before function fixtures)."""
    return os.environ.get("XDG_DATA_HOME", "")


def test_module_fixtures_keep_history_out_of_the_real_data_folder(
    data_folder_of_module_fixtures: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A module fixture that writes a catalogue keeps its undo history under the test's temp."""
    folder = Path(data_folder_of_module_fixtures)
    assert folder.is_relative_to(tmp_path_factory.getbasetemp())
