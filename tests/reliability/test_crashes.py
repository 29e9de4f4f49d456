"""Writers killed with SIGKILL at random moments: the catalogue is always the old or the new one.

Each kill lands somewhere in a writer's life: starting up, reading, rendering, writing the
temporary file, renaming it. Whatever the moment, the file must parse and hold exactly the old
or the new content, and the next writer must neither block on the dead one's lock nor be
confused by its temporary file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csec_cli.catalogue import Catalogue, load_catalogue, save_catalogue
from csec_cli.dates import PartialDate
from csec_cli.models import Resource

from .invocations import csec_executable, skip_unless_registered

# Reliability tests drive many processes or examples: left out of the fast loop (-m "not slow").
pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("writer_driver.py")
RESOURCES = 2_000
TIMEOUT = 60


@pytest.fixture(scope="module")
def large_catalogue_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A catalogue of a few thousand resources, as csec writes it."""
    path = tmp_path_factory.mktemp("large") / "resources.toml"
    resources = [
        Resource(
            id=f"resource-{number}",
            title=f"Resource {number} on labour inspection and child protection",
            date=PartialDate(1990 + number % 30, 1 + number % 12, 1 + number % 28),
            summary="A summary long enough to make the file a realistic size. " * 3,
            topics=("labour inspection", "victim protection"),
            language="en",
        )
        for number in range(RESOURCES)
    ]
    save_catalogue(Catalogue(path=path, header="# a large catalogue\n", resources=resources))
    return path.read_bytes()


def start_driver(path: Path, *args: str) -> subprocess.Popen[str]:
    """Start the writer driver on `path`."""
    return subprocess.Popen(
        [sys.executable, str(DRIVER), str(path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_driver(path: Path, *args: str) -> float:
    """Run the driver to the end (it must not block on a dead writer's lock); its duration."""
    started = time.monotonic()
    process = start_driver(path, *args)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, stderr
    assert stdout.strip().endswith("done")
    return time.monotonic() - started


def kill_at_random(process: subprocess.Popen[str], latest: float, rng: random.Random) -> None:
    """SIGKILL the process at a random moment, weighted toward the end where it writes."""
    time.sleep(rng.uniform(0.3 * latest, 1.05 * latest))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=TIMEOUT)


def leftovers(folder: Path) -> list[str]:
    """Temporary files a writer left in the catalogue's folder."""
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("operation", "kills"),
    [(("append", "new-resource"), 12), (("edit", "resource-7", "A new title"), 10)],
    ids=["append_resource", "updating_catalogue"],
)
def test_a_killed_writer_leaves_the_old_or_the_new_catalogue(
    operation: tuple[str, ...], kills: int, large_catalogue_bytes: bytes, tmp_path: Path
) -> None:
    """After each SIGKILL the file is byte for byte the old or the new catalogue."""
    rng = random.Random(f"{operation[0]}-{os.getpid()}")
    path = tmp_path / "resources.toml"
    path.write_bytes(large_catalogue_bytes)
    duration = run_driver(path, *operation)
    new = path.read_bytes()
    assert new != large_catalogue_bytes
    outcomes = {"old": 0, "new": 0}
    for attempt in range(kills):
        path.write_bytes(large_catalogue_bytes)  # leftovers of earlier kills stay, on purpose
        kill_at_random(start_driver(path, *operation), duration, rng)
        after = path.read_bytes()
        assert after in (large_catalogue_bytes, new), f"kill {attempt} left a mixed file"
        outcomes["old" if after == large_catalogue_bytes else "new"] += 1
        assert load_catalogue(path).problems == []
        if attempt % 5 == 4:
            path.write_bytes(large_catalogue_bytes)
            run_driver(path, *operation)
            assert path.read_bytes() == new
            assert leftovers(tmp_path) == []
    path.write_bytes(large_catalogue_bytes)
    run_driver(path, *operation)
    assert path.read_bytes() == new
    assert leftovers(tmp_path) == []


def test_a_writer_killed_in_a_stream_of_appends_loses_only_unfinished_work(
    large_catalogue_bytes: bytes, tmp_path: Path
) -> None:
    """Killed mid-stream, the catalogue holds the original resources and a prefix of the new."""
    rng = random.Random(os.getpid())
    path = tmp_path / "resources.toml"
    path.write_bytes(large_catalogue_bytes)
    original = [resource.id for resource in load_catalogue(path).resources]
    for round_number in range(3):
        kill_at_random(start_driver(path, "append-many", f"round-{round_number}", "40"), 2, rng)
        catalogue = load_catalogue(path)
        assert catalogue.problems == []
        ids = [resource.id for resource in catalogue.resources]
        assert ids[: len(original)] == original
        added = ids[len(original) :]
        assert added == [f"round-{round_number}-{n}" for n in range(len(added))]
        original = ids
    run_driver(path, "append", "after-the-kills")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("moment", ["fsync", "replace"])
def test_a_writer_killed_inside_the_write_leaves_the_old_file_and_no_obstacle(
    moment: str, large_catalogue_bytes: bytes, tmp_path: Path
) -> None:
    """Killed after writing its temporary file, before the rename: old file; next run is clean."""
    path = tmp_path / "resources.toml"
    path.write_bytes(large_catalogue_bytes)
    process = start_driver(path, "die-at", moment, "never-written")
    process.communicate(timeout=TIMEOUT)
    assert process.returncode == -signal.SIGKILL
    assert path.read_bytes() == large_catalogue_bytes
    assert len(leftovers(tmp_path)) == 1
    assert_next_append_cleans_up(path)


def assert_next_append_cleans_up(path: Path) -> None:
    """The old file reads clean, and the next append removes the dead writer's temporary file
    and adds its resource, while the killed writer's resource is nowhere."""
    assert load_catalogue(path).problems == []
    run_driver(path, "append", "written-after")
    assert leftovers(path.parent) == []
    ids = [resource.id for resource in load_catalogue(path).resources]
    assert ids[-1] == "written-after"
    assert "never-written" not in ids


def test_a_writer_killed_while_copying_the_catalogue_leaves_the_old_file(
    large_catalogue_bytes: bytes, tmp_path: Path
) -> None:
    """Killed part-way through copying the catalogue into its temporary file (an append to an
    LF file copies it in pieces): the old file, whole; the next append cleans up and succeeds."""
    path = tmp_path / "resources.toml"
    path.write_bytes(large_catalogue_bytes)
    process = start_driver(path, "die-mid-copy", "never-written")
    process.communicate(timeout=TIMEOUT)
    assert process.returncode == -signal.SIGKILL
    assert path.read_bytes() == large_catalogue_bytes
    (leftover,) = leftovers(tmp_path)
    assert 0 < (tmp_path / leftover).stat().st_size < len(large_catalogue_bytes)
    assert_next_append_cleans_up(path)


COMMANDS = {
    "add": ["add", "--title", "Added while being killed", "--yes"],
    "edit": ["edit", "resource-7", "--title", "Edited while being killed", "--yes"],
    "remove": ["remove", "resource-7", "--yes"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_killed_csec_command_leaves_a_whole_catalogue(
    command: str, large_catalogue_bytes: bytes, tmp_path: Path
) -> None:
    """The installed add, edit and remove, killed at random, leave a whole catalogue behind."""
    skip_unless_registered(command)
    rng = random.Random(command)
    path = tmp_path / "resources.toml"
    argv = [csec_executable(), "--catalogue", str(path), *COMMANDS[command]]
    path.write_bytes(large_catalogue_bytes)
    started = time.monotonic()
    subprocess.run(argv, capture_output=True, timeout=TIMEOUT, check=True)
    duration = time.monotonic() - started
    for _attempt in range(3):
        path.write_bytes(large_catalogue_bytes)
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        kill_at_random(process, duration, rng)
        catalogue = load_catalogue(path)
        assert catalogue.problems == []
        assert len(catalogue.resources) in (RESOURCES - 1, RESOURCES, RESOURCES + 1)
    path.write_bytes(large_catalogue_bytes)
    finished = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
    assert finished.returncode == 0, finished.stderr
    assert leftovers(tmp_path) == []
