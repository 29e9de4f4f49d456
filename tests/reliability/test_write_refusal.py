"""Writes refused while `csec check` reports an error, read-only files and dangling links left
alone, and empty lists the user wrote kept (issue 12, points 3 and 4, and the two "also seen")."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli

from csec_cli.catalogue import (
    CatalogueLocation,
    append_resource,
    load_catalogue,
    updating_catalogue,
)
from csec_cli.checks import catalogue_errors, check_catalogue
from csec_cli.errors import CsecError
from csec_cli.models import Resource, resource_from_table

from .invocations import folder_state, run_forked_as, run_in_process, run_installed

# Many real csec processes: CI runs them, the fast loop leaves them out.
pytestmark = pytest.mark.slow


NOBODY = 65534

GOOD = """\
# A team catalogue written by hand.

[[resources]]
id = "labour-valid"
title = "Labour inspection in the face of commercial sexual exploitation"
date = 2009-03-01
audience = []

[[resources]]
id = "second-valid"
title = "Media strategy against child trafficking"
date = "2008"
"""
# Appended to GOOD: the faulty resource's header is on line 14.
FAULTS = {
    "file url": ('url = "file:///etc/passwd"', "--url", "https://www.ilo.org/ipec", "url"),
    "future date": ("date = 2999-01-01", "--date", "2009-05", "date"),
}
FAULTY_LINE = 14


def faulty_text(fault: str) -> str:
    """GOOD with one more resource holding the given fault."""
    line = FAULTS[fault][0]
    return GOOD + f'\n[[resources]]\nid = "faulty-one"\ntitle = "A faulty resource"\n{line}\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder for the catalogue alone, so folder_state sees any file csec would leave."""
    path = tmp_path / "catalogue"
    path.mkdir()
    return path


@pytest.fixture
def import_file(tmp_path: Path) -> Path:
    """A JSON file with one good record, outside the catalogue's folder."""
    path = tmp_path / "incoming.json"
    path.write_text(json.dumps([{"title": "Imported labour guide", "date": "2009"}]))
    return path


def write_commands(import_file: Path, other: str = "second-valid") -> dict[str, list[str]]:
    """Every writing command, each touching a resource other than the faulty one."""
    return {
        "add": ["add", "--title", "A new resource on ports", "--yes"],
        "edit": ["edit", other, "--title", "Edited title", "--yes"],
        "remove": ["remove", other, "--yes"],
        "import": ["import", str(import_file)],
    }


def assert_one_line(stderr: str, *parts: str) -> None:
    """stderr is one `Error: …` line holding every part, and no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    for part in parts:
        assert part in lines[0], stderr


# --- point 3: check errors stop writes ----------------------------------------------------


@pytest.mark.parametrize("command", ["add", "edit", "remove", "import"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_check_error_stops_every_write(
    fault: str, command: str, folder: Path, import_file: Path
) -> None:
    """The installed csec refuses to write, naming the resource, its line and the fix."""
    path = folder / "resources.toml"
    path.write_text(faulty_text(fault), encoding="utf-8")
    before = folder_state(folder)
    result = run_installed(path, write_commands(import_file)[command])
    assert result.returncode == 1, (result.stdout, result.stderr)
    flag = FAULTS[fault][1]
    assert_one_line(
        result.stderr, f"{path}:{FAULTY_LINE}:", "'faulty-one'", f"csec edit faulty-one {flag}"
    )
    assert folder_state(folder) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_an_edit_that_fixes_the_faulty_resource_is_written(fault: str, folder: Path) -> None:
    """Editing the faulty field of the faulty resource is how it is fixed: it succeeds."""
    path = folder / "resources.toml"
    path.write_text(faulty_text(fault), encoding="utf-8")
    _line, flag, value, _name = FAULTS[fault]
    result = run_installed(path, ["edit", "faulty-one", flag, value, "--yes"])
    assert result.returncode == 0, result.stderr
    assert catalogue_errors(load_catalogue(path)) == []
    assert run_installed(path, ["check"]).returncode == 0


@pytest.mark.parametrize("fault", list(FAULTS))
def test_an_edit_that_leaves_the_fault_is_refused(fault: str, folder: Path) -> None:
    """An edit of the faulty resource that keeps its fault is refused, saying what to add."""
    path = folder / "resources.toml"
    path.write_text(faulty_text(fault), encoding="utf-8")
    before = folder_state(folder)
    result = run_installed(path, ["edit", "faulty-one", "--title", "Renamed", "--yes"])
    assert result.returncode == 1, result.stderr
    flag = FAULTS[fault][1]
    assert_one_line(
        result.stderr, f"{path}:{FAULTY_LINE}:", "same edit", f"csec edit faulty-one {flag}"
    )
    assert folder_state(folder) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_removing_the_faulty_resource_is_written(fault: str, folder: Path) -> None:
    """Removing the faulty resource fixes the catalogue: it succeeds."""
    path = folder / "resources.toml"
    path.write_text(faulty_text(fault), encoding="utf-8")
    result = run_installed(path, ["remove", "faulty-one", "--yes"])
    assert result.returncode == 0, result.stderr
    assert [r.id for r in load_catalogue(path).resources] == ["labour-valid", "second-valid"]


def test_two_faulty_resources_are_fixed_one_after_the_other(folder: Path) -> None:
    """With two faulty resources, editing either one is allowed, so neither blocks the other."""
    path = folder / "resources.toml"
    text = faulty_text("file url") + '\n[[resources]]\nid = "later"\ntitle = "L"\n'
    path.write_text(text + "date = 2999-01-01\n", encoding="utf-8")
    assert run_installed(path, ["add", "--title", "Blocked", "--yes"]).returncode == 1
    first = run_installed(path, ["edit", "later", "--date", "2009", "--yes"])
    assert first.returncode == 0, first.stderr
    second = run_installed(path, ["edit", "faulty-one", "--clear", "url", "--yes"])
    assert second.returncode == 0, second.stderr
    assert run_installed(path, ["add", "--title", "Now allowed", "--yes"]).returncode == 0


def test_an_unreadable_resource_stops_even_an_edit_of_a_faulty_one(folder: Path) -> None:
    """A resource csec could not read would be lost by a rewrite, so it stops every write."""
    path = folder / "resources.toml"
    text = faulty_text("file url") + '\n[[resources]]\nid = "broken"\ntitle = 42\n'
    path.write_text(text, encoding="utf-8")
    before = folder_state(folder)
    result = run_installed(path, ["edit", "faulty-one", "--clear", "url", "--yes"])
    assert result.returncode == 1
    assert_one_line(result.stderr, "'broken'", "csec check")
    assert folder_state(folder) == before


@pytest.mark.parametrize("writer", ["append_resource", "updating_catalogue"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_core_writers_refuse_a_check_error_under_the_lock(
    fault: str, writer: str, folder: Path
) -> None:
    """The writers themselves refuse (the scripted add's only read is under the lock)."""
    path = folder / "resources.toml"
    path.write_text(faulty_text(fault), encoding="utf-8")
    before = folder_state(folder)
    location = CatalogueLocation(path, "--catalogue")
    with pytest.raises(CsecError, match=f":{FAULTY_LINE}: resource 'faulty-one'"):
        if writer == "append_resource":
            append_resource(location, Resource(id="new", title="New"))
        else:
            with updating_catalogue(location) as catalogue:
                catalogue.resources.pop(0)
    assert folder_state(folder) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_core_writers_never_store_a_faulty_resource(fault: str, folder: Path) -> None:
    """A resource `check` would fault is not written by either writer, even on a clean file."""
    path = folder / "resources.toml"
    path.write_text(GOOD, encoding="utf-8")
    before = folder_state(folder)
    location = CatalogueLocation(path, "--catalogue")
    table = tomli.loads(faulty_text(fault))["resources"][-1]
    faulty = resource_from_table(table)
    with pytest.raises(CsecError, match="resource 'faulty-one'"):
        append_resource(location, faulty)
    with (
        pytest.raises(CsecError, match="resource 'faulty-one'"),
        updating_catalogue(location) as catalogue,
    ):
        catalogue.resources.append(faulty)
    assert folder_state(folder) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_import_rejects_a_record_check_would_fault(
    fault: str, folder: Path, tmp_path: Path
) -> None:
    """An imported record with a future date or a non-web url is rejected; the rest go in."""
    path = folder / "resources.toml"
    path.write_text(GOOD, encoding="utf-8")
    bad = {"title": "Faulty record", "date": "2009"}
    bad.update({"url": "file:///etc/passwd"} if fault == "file url" else {"date": "2999-01-01"})
    incoming = tmp_path / "incoming.json"
    incoming.write_text(json.dumps([bad, {"title": "Good record on ports", "date": "2009"}]))
    result = run_installed(path, ["import", str(incoming)])
    assert result.returncode == 0, result.stderr
    assert "(rejected)" in result.stderr
    titles = [resource.title for resource in load_catalogue(path).resources]
    assert "Good record on ports" in titles and "Faulty record" not in titles
    assert run_installed(path, ["check"]).returncode == 0


def test_warnings_never_stop_a_write(folder: Path) -> None:
    """No date, a near-duplicate title and a bad language code are warnings: writes go on."""
    path = folder / "resources.toml"
    extra = '\n[[resources]]\nid = "dup"\ntitle = "Media strategy against child trafficking."\n'
    path.write_text(GOOD + extra + 'language = "english"\n', encoding="utf-8")
    assert catalogue_errors(load_catalogue(path)) == []
    assert check_catalogue(load_catalogue(path))  # there are warnings
    result = run_installed(path, ["add", "--title", "Ports and harbours", "--yes"])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        faulty_text("file url"),
        faulty_text("future date"),
        faulty_text("future date") + '\n[[resources]]\nid = "x"\ntitle = 1\n',
        GOOD + '\n[[resources]]\nid = "v6"\ntitle = "Unclosed host"\nurl = "http://[bad"\n',
    ],
)
def test_check_and_the_writers_use_the_same_errors(text: str, folder: Path) -> None:
    """The errors `check` lists are exactly those that stop writes (one function for both)."""
    path = folder / "resources.toml"
    path.write_text(text, encoding="utf-8")
    catalogue = load_catalogue(path)
    listed = [problem for problem in check_catalogue(catalogue) if problem.severity == "error"]
    assert listed == catalogue_errors(catalogue)


def test_an_unclosed_ipv6_url_is_a_check_error_not_a_crash(folder: Path) -> None:
    """`url = "http://[bad"` made urlparse raise inside check; it is a url error now."""
    path = folder / "resources.toml"
    path.write_text(
        GOOD + '\n[[resources]]\nid = "v6"\ntitle = "Unclosed host"\nurl = "http://[bad"\n'
    )
    result = run_installed(path, ["check"])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is not an http(s) address" in result.stdout + result.stderr


# --- point 4: a read-only catalogue is not written, by root either ------------------------


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder any user can enter and write in (tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="csec-read-only-"))
    os.chmod(folder, 0o777)
    (folder / "home").mkdir(mode=0o777)
    os.chmod(folder / "home", 0o777)
    catalogue = folder / "catalogue"
    catalogue.mkdir(mode=0o777)
    os.chmod(catalogue, 0o777)
    yield catalogue
    shutil.rmtree(folder)


def _read_only_catalogue(folder: Path, owner: int | None) -> Path:
    path = folder / "resources.toml"
    path.write_text(GOOD, encoding="utf-8")
    if owner is not None:
        os.chown(path, owner, owner)
    os.chmod(path, 0o444)
    return path


@pytest.mark.parametrize("command", ["add", "edit", "remove", "import"])
@pytest.mark.parametrize("who", ["this user", "the owner, not root"])
def test_a_read_only_catalogue_is_never_written(
    who: str, command: str, shared_folder: Path, import_file: Path
) -> None:
    """chmod 444 stops every write with one line, for its owner and for root alike."""
    if who == "the owner, not root" and os.geteuid() != 0:
        pytest.skip("this user is the owner, not root, already")
    user = NOBODY if who == "the owner, not root" else None
    path = _read_only_catalogue(shared_folder, user)
    shutil.copyfile(import_file, shared_folder.parent / "incoming.json")
    os.chmod(shared_folder.parent / "incoming.json", 0o644)
    before = folder_state(shared_folder)
    argv = write_commands(shared_folder.parent / "incoming.json")[command]
    home = str(shared_folder.parent / "home")
    env = {"HOME": home, "XDG_DATA_HOME": home, "XDG_CACHE_HOME": home}
    if user is None:
        done = run_installed(path, argv, env=env)
        code, stderr = done.returncode, done.stderr
    else:
        # As in test_hostile_files: the child keeps the modules this process has imported,
        # since `nobody` cannot read the Python under /root; a writable copy warms them up.
        warm_up = shared_folder.parent / "warm-up.toml"
        warm_up.write_text(GOOD, encoding="utf-8")
        run_in_process(warm_up, argv)
        child = run_forked_as(user, path, argv, env)
        assert child.error == ""
        code, stderr = child.exit_code, child.stderr
    assert code == 1, stderr
    assert_one_line(stderr, str(path), "read-only", "chmod u+w")
    assert folder_state(shared_folder) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_catalogue_writable_by_its_owner_is_still_written(shared_folder: Path) -> None:
    """Only the owner's write bit is read this way: 0o644 is written as before."""
    path = _read_only_catalogue(shared_folder, None)
    os.chmod(path, 0o644)
    result = run_installed(path, ["add", "--title", "Ports and harbours", "--yes"])
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# --- also seen: a dangling symbolic link, an explicit empty list --------------------------


@pytest.mark.parametrize("command", ["add", "edit", "remove", "import"])
def test_a_dangling_link_is_refused_and_nothing_is_created(
    command: str, tmp_path: Path, import_file: Path
) -> None:
    """A catalogue path that is a link to nothing is refused; no folder or file appears."""
    link = tmp_path / "link.toml"
    target = tmp_path / "missing-folder" / "resources.toml"
    link.symlink_to(target)
    result = run_installed(link, write_commands(import_file, other="labour-valid")[command])
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_one_line(result.stderr, f"{link} is a symbolic link to {target}, which does not exist")
    assert not target.parent.exists()
    assert link.is_symlink()


@pytest.mark.parametrize(
    "args",
    [
        ["edit", "second-valid", "--title", "Edited", "--yes"],
        ["remove", "second-valid", "--yes"],
        ["add", "--title", "Ports and harbours", "--yes"],
    ],
)
def test_an_empty_list_the_user_wrote_is_kept(args: list[str], folder: Path) -> None:
    """`audience = []` survives a rewrite (or an append) of a hand-written file, as written."""
    path = folder / "resources.toml"
    path.write_text(GOOD, encoding="utf-8")
    result = run_installed(path, args)
    assert result.returncode == 0, result.stderr
    (kept,) = [t for t in tomli.loads(path.read_text())["resources"] if t["id"] == "labour-valid"]
    assert kept["audience"] == []
    again = run_installed(path, ["edit", "labour-valid", "--title", "Again", "--yes"])
    assert again.returncode == 0, again.stderr
    assert "audience = []" in path.read_text()


def test_changing_the_list_drops_the_empty_one(folder: Path) -> None:
    """Once the user changes that list, it is written as any other: `--clear` removes it."""
    path = folder / "resources.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert run_installed(path, ["edit", "labour-valid", "--audience", "judges"]).returncode == 0
    assert run_installed(path, ["edit", "labour-valid", "--clear", "audience"]).returncode == 0
    (table,) = [t for t in tomli.loads(path.read_text())["resources"] if t["id"] == "labour-valid"]
    assert "audience" not in table
