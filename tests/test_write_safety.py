"""Writes never lose data: the installed csec, run in real processes, under concurrency and SIGKILL.

These pin the catalogue guarantees of add, edit and remove: a lock held for the whole
read-modify-write, atomic replacement, header comment and unknown keys kept, permissions kept,
and refusal to write over a file that does not parse or holds an invalid resource.
"""

from __future__ import annotations

import random
import signal
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli

from conftest import installed_csec

Csec = Callable[..., subprocess.CompletedProcess[str]]

HEADER = "# Team catalogue: do not remove this comment.\n# Second header line.\n"

WITH_EXTRAS = (
    HEADER
    + """
[[resources]]
id = "kept-one"
title = "A resource with keys csec does not know"
date = 2009-03-01
isbn = "978-92-2-000000-7"
shelf = 12

[resources.loan]
to = "library"
since = 2020-01-02

[[resources]]
id = "other-one"
title = "Another resource"
date = "2010"
"""
)


def big_catalogue(count: int) -> str:
    """A valid catalogue of `count` plain resources, with the header comment."""
    blocks = [HEADER]
    for number in range(count):
        blocks.append(
            f'[[resources]]\nid = "r{number}"\ntitle = "Resource number {number} on child labour"\n'
            f'date = 2009-03-01\nsummary = "{"Summary text. " * 20}"\n'
            f'topics = [\n    "child labour",\n    "topic {number % 50}",\n]\n'
        )
    return "\n".join(blocks)


def ids_in(path: Path) -> list[str]:
    """The ids in a catalogue file, which must parse."""
    return [table["id"] for table in tomli.loads(path.read_text(encoding="utf-8"))["resources"]]


def run_csec(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed csec, stdin closed so it can never wait for input."""
    return subprocess.run(
        [installed_csec(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_twenty_concurrent_adds_all_land(tmp_path: Path) -> None:
    """20 `csec add` processes at once give 20 new resources, unique ids, a valid file."""
    path = tmp_path / "team.toml"
    path.write_text(big_catalogue(20), encoding="utf-8")
    before = ids_in(path)
    processes = [
        subprocess.Popen(
            # Half the titles are the same, so ids must be made under the lock to stay unique.
            [
                installed_csec(),
                "-c",
                str(path),
                "add",
                "--title",
                f"Concurrent resource {number if number % 2 else 'same'}",
                "--allow-duplicate",
                "--yes",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(20)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 20, outputs
    printed = {stdout.strip() for stdout, _stderr in outputs}
    after = ids_in(path)
    assert len(after) == len(before) + 20
    assert len(set(after)) == len(after)
    assert after[: len(before)] == before
    assert printed == set(after[len(before) :])
    assert path.read_text(encoding="utf-8").startswith(HEADER)
    check = run_csec("-c", str(path), "check")
    assert "0 errors" in check.stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", ["add", "edit", "remove"])
def test_writer_killed_at_random_moments_leaves_old_or_new_file(
    tmp_path: Path, command: str
) -> None:
    """SIGKILL at any moment leaves the old or the new catalogue, and the next write works."""
    path = tmp_path / "team.toml"
    path.write_text(big_catalogue(2000), encoding="utf-8")
    randomness = random.Random(4)
    for attempt in range(5):
        old_text = path.read_text(encoding="utf-8")
        old = tomli.loads(old_text)["resources"]
        target = old[attempt]["id"]
        args = {
            "add": ["add", "--title", f"Killed writer {attempt}", "--yes"],
            "edit": ["edit", target, "--type", f"kind {attempt}", "--yes"],
            "remove": ["remove", target, "--yes"],
        }[command]
        process = subprocess.Popen(
            [installed_csec(), "-c", str(path), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Start-up takes about half a second; the read-modify-write of 2000 resources follows.
        time.sleep(randomness.uniform(0.3, 1.8))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = tomli.loads(path.read_text(encoding="utf-8"))["resources"]
        if command == "add":
            assert now == old or (
                now[:-1] == old and now[-1]["title"] == f"Killed writer {attempt}"
            )
        elif command == "edit":
            changed = [{**table, "type": f"kind {attempt}"} if table["id"] == target else table
                       for table in old]  # fmt: skip
            assert now in (old, changed)
        else:
            assert now in (old, [table for table in old if table["id"] != target])
        assert path.read_text(encoding="utf-8").startswith(HEADER)
    # No lock or temporary file left by a killed writer blocks or survives the next write.
    result = run_csec("-c", str(path), "add", "--title", "After the kills", "--yes")
    assert result.returncode == 0, result.stderr
    assert ids_in(path)[-1] == "after-kills"
    assert list(tmp_path.glob(".team.toml.*.tmp")) == []


def test_leftover_temporary_file_is_cleaned_and_ignored(tmp_path: Path) -> None:
    """A temporary file from a dead writer does not block the next write and is removed by it."""
    path = tmp_path / "team.toml"
    path.write_text(WITH_EXTRAS, encoding="utf-8")
    leftover = tmp_path / ".team.toml.abc123.tmp"
    leftover.write_text("[[resources]]\nid = 'torn", encoding="utf-8")
    (tmp_path / "team.toml.lock").write_text("", encoding="utf-8")
    result = run_csec("-c", str(path), "add", "--title", "Fresh", "--yes")
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()


WRITES = [
    ["add", "--title", "Brand new resource", "--yes"],
    ["edit", "other-one", "--title", "Another resource, renamed", "--yes"],
    ["edit", "kept-one", "--type", "manual", "--yes"],
    ["remove", "other-one", "--yes"],
]


@pytest.mark.slow
def test_header_and_unknown_keys_survive_every_write(tmp_path: Path) -> None:
    """After add, edit (of that very resource) and remove, the header and unknown keys remain."""
    path = tmp_path / "team.toml"
    path.write_text(WITH_EXTRAS, encoding="utf-8")
    kept = tomli.loads(WITH_EXTRAS)["resources"][0]
    for args in WRITES:
        result = run_csec("-c", str(path), *args)
        assert result.returncode == 0, (args, result.stderr)
        text = path.read_text(encoding="utf-8")
        assert text.startswith(HEADER), args
        now = next(t for t in tomli.loads(text)["resources"] if t["id"] == "kept-one")
        assert {key: now[key] for key in ("isbn", "shelf", "loan")} == {
            key: kept[key] for key in ("isbn", "shelf", "loan")
        }, args


@pytest.mark.slow
@pytest.mark.parametrize("mode", [0o640])
def test_permissions_are_kept(tmp_path: Path, mode: int) -> None:
    """Every write keeps the catalogue's permission bits."""
    path = tmp_path / "team.toml"
    path.write_text(WITH_EXTRAS, encoding="utf-8")
    path.chmod(mode)
    for args in WRITES:
        assert run_csec("-c", str(path), *args).returncode == 0
        assert stat.S_IMODE(path.stat().st_mode) == mode, args


@pytest.mark.parametrize("args", WRITES)
def test_unparseable_catalogue_is_never_written(tmp_path: Path, args: list[str]) -> None:
    """A file that is not valid TOML stops every write: exit 1, file:line:col, bytes unchanged."""
    path = tmp_path / "team.toml"
    broken = WITH_EXTRAS.replace("shelf = 12", "shelf = = 12")
    path.write_text(broken, encoding="utf-8")
    result = run_csec("-c", str(path), *args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}:9:9: ")
    assert "not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == broken


@pytest.mark.parametrize("args", WRITES)
def test_invalid_resource_makes_writes_refuse(tmp_path: Path, args: list[str]) -> None:
    """One invalid resource (here a date that does not exist) makes every write refuse."""
    path = tmp_path / "team.toml"
    invalid = WITH_EXTRAS + '\n[[resources]]\nid = "bad"\ntitle = "Bad"\ndate = "2009-02-30"\n'
    path.write_text(invalid, encoding="utf-8")
    result = run_csec("-c", str(path), *args)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "'bad'" in result.stderr and "csec check" in result.stderr
    assert path.read_text(encoding="utf-8") == invalid


def test_add_appends_without_rewriting_comments(tmp_path: Path) -> None:
    """Adding keeps comments between resources, since the new table is appended."""
    path = tmp_path / "team.toml"
    text = WITH_EXTRAS.replace(
        '[[resources]]\nid = "other-one"', '# a note\n[[resources]]\nid = "other-one"'
    )
    path.write_text(text, encoding="utf-8")
    assert run_csec("-c", str(path), "add", "--title", "Appended", "--yes").returncode == 0
    new_text = path.read_text(encoding="utf-8")
    assert new_text.startswith(text)
    added = tomli.loads(new_text)["resources"][-1]["added"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert new_text[len(text) :] == (
        f'\n[[resources]]\nid = "appended"\ntitle = "Appended"\nadded = {added}\n'
    )


@pytest.mark.parametrize(
    "args",
    [["add", "--date", "2009"], ["edit", "kept-one"], ["remove", "kept-one"]],
)
def test_open_pipe_never_waits_for_input(tmp_path: Path, args: list[str]) -> None:
    """With stdin an open pipe that never sends anything, csec fails at once instead of waiting."""
    path = tmp_path / "team.toml"
    path.write_text(WITH_EXTRAS, encoding="utf-8")
    process = subprocess.Popen(
        [installed_csec(), "-c", str(path), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # wait(), not communicate(): communicate would close stdin and so send end of input.
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.stdout is not None and process.stderr is not None and process.stdin is not None
    stdout, stderr = process.stdout.read(), process.stderr.read()
    process.stdin.close()
    assert process.returncode == 1
    assert stdout == ""
    assert stderr.startswith("Error: ")
    assert path.read_text(encoding="utf-8") == WITH_EXTRAS
