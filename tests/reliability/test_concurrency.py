"""Dozens of writers and readers at once: no update lost, no torn read, nobody waits forever."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from csec_cli.catalogue import Catalogue, load_catalogue, save_catalogue
from csec_cli.checks import check_catalogue
from csec_cli.errors import CsecError
from csec_cli.models import Resource

from .invocations import csec_executable, skip_unless_registered

# Reliability tests drive many processes or examples: left out of the fast loop (-m "not slow").
pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("writer_driver.py")
# Every process must finish well inside this; the lock itself gives up after 60 s.
TIMEOUT = 120
APPENDERS, APPENDS_EACH = 16, 3
BUMPERS = 10
READERS = 6


@pytest.fixture
def shared_catalogue(tmp_path: Path) -> Path:
    """A catalogue of 300 resources, one of them the `counter` every bumper changes."""
    path = tmp_path / "resources.toml"
    resources = [Resource(id="counter", title="Counter", topics=())]
    resources += [
        Resource(id=f"resource-{n}", title=f"Resource {n} on labour inspection", summary="x" * 200)
        for n in range(300)
    ]
    save_catalogue(Catalogue(path=path, resources=resources))
    return path


def python_driver(path: Path, *args: str) -> list[str]:
    """The command line that runs the writer driver."""
    return [sys.executable, str(DRIVER), str(path), *args]


def run_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once and wait for each, failing any that outlives TIMEOUT."""
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]
    results = []
    for command, process in zip(commands, processes, strict=True):
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            for other in processes:
                other.kill()
            pytest.fail(f"{command} was still waiting after {TIMEOUT} s")
        results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
    return results


def test_concurrent_core_writers_and_readers_lose_nothing(shared_catalogue: Path) -> None:
    """Appenders, read-modify-write editors and readers together: every change is in the end."""
    commands = [
        python_driver(shared_catalogue, "append-many", f"writer-{n}", str(APPENDS_EACH))
        for n in range(APPENDERS)
    ]
    commands += [
        python_driver(shared_catalogue, "bump", "counter", f"token-{n}") for n in range(BUMPERS)
    ]
    commands += [python_driver(shared_catalogue, "watch", "4") for _ in range(READERS)]
    commands += [
        [csec_executable(), "--catalogue", str(shared_catalogue), "list", "--json"]
        for _ in range(READERS)
    ]
    results = run_all(commands)
    for result in results:
        assert result.returncode == 0, (result.args, result.stdout, result.stderr)
        if result.args[-2:] == ["list", "--json"]:
            assert len(json.loads(result.stdout)) >= 301  # a whole file, never a torn one
    catalogue = load_catalogue(shared_catalogue)
    ids = {resource.id for resource in catalogue.resources}
    for n in range(APPENDERS):
        for m in range(APPENDS_EACH):
            assert f"writer-{n}-{m}" in ids
    [counter] = [resource for resource in catalogue.resources if resource.id == "counter"]
    assert sorted(counter.topics) == sorted(f"token-{n}" for n in range(BUMPERS))
    assert len(catalogue.resources) == 301 + APPENDERS * APPENDS_EACH
    assert [p for p in check_catalogue(catalogue) if p.severity == "error"] == []
    assert not list(shared_catalogue.parent.glob("*.tmp"))


def test_concurrent_csec_commands_lose_nothing(shared_catalogue: Path, tmp_path: Path) -> None:
    """The installed add, edit, remove and import, run together with readers, lose nothing."""
    skip_unless_registered("add", "edit", "remove", "import", "search", "export")
    csec = [csec_executable(), "--catalogue", str(shared_catalogue)]
    imports = []
    for n in range(4):
        incoming = tmp_path / f"incoming-{n}.json"
        incoming.write_text(json.dumps([{"title": f"Imported number {n} on child protection"}]))
        imports.append(incoming)
    commands = [
        [*csec, "add", "--title", f"Added number {n} by a writer", "--yes", "--allow-duplicate"]
        for n in range(8)
    ]
    commands += [
        [*csec, "edit", f"resource-{n}", "--title", f"Edited {n}", "--yes"] for n in range(6)
    ]
    commands += [[*csec, "remove", f"resource-{n}", "--yes"] for n in range(100, 106)]
    commands += [[*csec, "import", str(incoming)] for incoming in imports]
    commands += [[*csec, "list", "--json"] for _ in range(3)]
    commands += [[*csec, "search", "labour", "--json"] for _ in range(3)]
    commands += [[*csec, "export", "--format", "json"] for _ in range(3)]
    for result in run_all(commands):
        assert result.returncode == 0, (result.args, result.stderr)
        if "--json" in result.args or "export" in result.args:
            json.loads(result.stdout)
    catalogue = load_catalogue(shared_catalogue)
    assert catalogue.problems == []
    titles = {resource.title for resource in catalogue.resources}
    ids = {resource.id for resource in catalogue.resources}
    assert all(f"Added number {n} by a writer" in titles for n in range(8))
    assert all(f"Edited {n}" in titles for n in range(6))
    assert all(f"Imported number {n} on child protection" in titles for n in range(4))
    assert not any(f"resource-{n}" in ids for n in range(100, 106))
    assert len(catalogue.resources) == 301 + 8 - 6 + 4


def test_concurrent_adds_of_one_title_add_it_once(shared_catalogue: Path) -> None:
    """Scripted adds of nearly the same title at once: the check runs under the lock, so one
    is added and every other is refused as a near-duplicate of it."""
    skip_unless_registered("add")
    csec = [csec_executable(), "--catalogue", str(shared_catalogue), "add", "--yes"]
    titles = [f"Guide for labour inspectors on trafficking{'.' * n}" for n in range(6)]
    results = run_all([[*csec, "--title", title] for title in titles])
    added = [result for result in results if result.returncode == 0]
    assert len(added) == 1, [(result.returncode, result.stderr) for result in results]
    [new_id] = added[0].stdout.split()
    for result in results:
        if result.returncode != 0:
            assert result.returncode == 1
            assert result.stderr.startswith("Error: the catalogue already has a resource with")
            assert new_id in result.stderr
    catalogue = load_catalogue(shared_catalogue)
    assert [r.id for r in catalogue.resources if r.title in titles] == [new_id]


def test_a_writer_gives_up_on_a_lock_held_too_long(
    shared_catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer waits for a stuck lock holder only so long, then says so and changes nothing."""
    import csec_cli.catalogue

    lock_path = shared_catalogue.with_name(shared_catalogue.name + ".lock")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"handle = open({str(lock_path)!r}, 'a')\n"
            "fcntl.flock(handle, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        before = shared_catalogue.read_bytes()
        monkeypatch.setattr(csec_cli.catalogue, "LOCK_TIMEOUT_SECONDS", 0.5)
        location = csec_cli.catalogue.CatalogueLocation(shared_catalogue, "--catalogue")
        with pytest.raises(CsecError, match="another csec process has held the lock"):
            csec_cli.catalogue.append_resource(location, Resource(id="late", title="Late"))
        assert shared_catalogue.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
