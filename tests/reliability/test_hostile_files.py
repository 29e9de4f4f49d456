"""Hostile catalogue files: every command stops with one clear line and touches nothing."""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from csec_cli.catalogue import (
    CatalogueLocation,
    append_resource,
    load_catalogue,
    updating_catalogue,
)
from csec_cli.errors import CsecError
from csec_cli.models import Resource

from .conftest import FAULT_LINES
from .invocations import (
    INVOCATIONS,
    READS,
    WRITES,
    ChildResult,
    Invocation,
    folder_state,
    run_forked_as,
    run_in_process,
    run_installed,
    skip_unless_registered,
)

# Reliability tests drive many processes or examples: left out of the fast loop (-m "not slow").
pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[2] / "data" / "resources.toml"
NOBODY = 65534


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _make_directory(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("a file inside the folder\n")


# name -> (how to make the file, what the one error line must say)
HOSTILE_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_write(b""), r"the file is empty"),
    "blank lines only": (_write(b"\n  \n\r\n"), r"the file is empty"),
    "not toml": (_write(b"This is a list of resources.\n"), r":1:\d+: not valid TOML"),
    "random binary": (
        _write(b"\xff\xd8" + random.Random(7).randbytes(4096)),
        r":1:1: not UTF-8 text",
    ),
    "binary with NUL bytes": (
        _write(b"PK\x03\x04\x14\x00\x00\x00\x08\x00resources.toml"),
        r":1:\d+: not valid TOML",
    ),
    "html": (
        _write(b"<!DOCTYPE html>\n<html><body><h1>Resources</h1></body></html>\n"),
        r":1:1: not valid TOML",
    ),
    "resources is a string": (
        _write(b'# header\nresources = "all of them"\n'),
        r":2:1: `resources` must be an array of tables",
    ),
    "resources is one table": (
        _write(b'[resources]\nid = "a"\ntitle = "A"\n'),
        r":1:1: `resources` must be an array of tables",
    ),
    "resources are numbers": (
        _write(b"resources = [1, 2, 3]\n"),
        r":1:1: `resources` must be an array of tables",
    ),
    "a resource is not a table": (
        _write(b'resources = [{ id = "a", title = "A" }, "b"]\n'),
        r":1:1: `resources` must be an array of tables",
    ),
    "latin-1 bytes": (
        _write('[[resources]]\nid = "a"\ntitle = "Explotación"\n'.encode("latin-1")),
        r":3:\d+: not UTF-8 text \(byte 0xf3\); save the file as UTF-8",
    ),
    "utf-16": (_write(SEED.read_text("utf-8").encode("utf-16")), r":1:1: not UTF-8 text"),
    "bad date outside any resource": (
        _write(b'updated = 2009-02-30\n\n[[resources]]\nid = "a"\ntitle = "A"\n'),
        r":1:\d+: not valid TOML: Invalid date",
    ),
    "a directory": (_make_directory, r"is a directory, not a catalogue file"),
    "a named pipe": (os.mkfifo, r"not a regular file"),
    "missing": (lambda path: None, r"no such catalogue"),
}


@pytest.fixture(params=list(HOSTILE_FILES), ids=list(HOSTILE_FILES))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A hostile catalogue in a folder of its own, and the message it must produce."""
    make, message = HOSTILE_FILES[request.param]
    folder = tmp_path / "catalogue"
    folder.mkdir()
    path = folder / "resources.toml"
    make(path)
    return path, message


def assert_one_error_line(stderr: str, path: Path, message: str) -> None:
    """stderr is exactly one `Error: …` line naming the file and saying `message`."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    assert str(path) in lines[0], stderr
    assert re.search(message, lines[0]), stderr


@pytest.mark.parametrize("invocation", INVOCATIONS, ids=str)
def test_hostile_file_stops_every_command_and_changes_nothing(
    invocation: Invocation, hostile: tuple[Path, str], import_file: Path
) -> None:
    """A file that is not a catalogue gives one line naming it, exit 1, and stays as it was."""
    skip_unless_registered(invocation.command)
    path, message = hostile
    if invocation.creates and not path.exists() and not path.is_symlink():
        pytest.skip("a missing file is created by this command; see the test below")
    before = folder_state(path.parent)
    result = run_in_process(path, invocation.argv(id="a", import_file=str(import_file)))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert_one_error_line(result.stderr, path, message)
    assert folder_state(path.parent) == before


@pytest.mark.parametrize("invocation", [i for i in WRITES if i.creates], ids=str)
def test_writing_command_creates_a_missing_catalogue(
    invocation: Invocation, tmp_path: Path, import_file: Path
) -> None:
    """add and import create a missing catalogue file, as DESIGN.md promises."""
    skip_unless_registered(invocation.command)
    path = tmp_path / "new" / "resources.toml"
    result = run_in_process(path, invocation.argv(id="a", import_file=str(import_file)))
    assert result.exit_code == 0, result.stderr
    catalogue = load_catalogue(path)
    assert catalogue.problems == []
    assert len(catalogue.resources) == 1


# --- resource-level faults ------------------------------------------------------------------


@pytest.mark.parametrize("invocation", [i for i in READS if i.command != "check"], ids=str)
def test_reading_commands_warn_about_bad_resources_and_go_on(
    invocation: Invocation, faulty_catalogue: Path, import_file: Path
) -> None:
    """Reads name each invalid resource with its line on stderr and go on with the rest, exit 0."""
    skip_unless_registered(invocation.command)
    before = faulty_catalogue.read_bytes()
    result = run_in_process(faulty_catalogue, invocation.argv(id="labour-valid", import_file=""))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()
    if invocation.warns:
        for line in FAULT_LINES.values():
            assert f"{faulty_catalogue}:{line}:" in result.stderr
        assert len(result.stderr.splitlines()) == len(FAULT_LINES)
    assert faulty_catalogue.read_bytes() == before


def test_check_lists_every_bad_resource_with_its_line(faulty_catalogue: Path) -> None:
    """`csec check` reports each resource-level fault with its line and exits 1."""
    result = run_in_process(faulty_catalogue, ["check"])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert f":{FAULT_LINES['wrong-title']}: resource 'wrong-title': title must be" in errors[0]
    assert f":{FAULT_LINES['impossible-date']}: resource 'impossible-date':" in errors[1]
    assert "is not a real date" in errors[1]
    assert f":{FAULT_LINES['duplicate']}: resource 'labour-valid': duplicate id" in errors[2]
    assert "2 valid resources, 3 errors" in result.stdout


def test_show_of_a_skipped_resource_says_it_is_invalid(faulty_catalogue: Path) -> None:
    """Asking for an invalid resource by id says why it is missing, not that it does not exist."""
    result = run_in_process(faulty_catalogue, ["show", "wrong-title"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: resource 'wrong-title' is invalid, so it was skipped; `csec check` says what to fix"
    )


@pytest.mark.parametrize("invocation", WRITES, ids=str)
def test_writing_commands_refuse_a_catalogue_with_bad_resources(
    invocation: Invocation, faulty_catalogue: Path, import_file: Path
) -> None:
    """Writes refuse with one line pointing at the first bad resource; nothing changes."""
    skip_unless_registered(invocation.command)
    before = folder_state(faulty_catalogue.parent)
    argv = invocation.argv(id="second-valid", import_file=str(import_file))
    result = run_in_process(faulty_catalogue, argv)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert_one_error_line(
        result.stderr, faulty_catalogue, rf":{FAULT_LINES['wrong-title']}: .*csec check"
    )
    assert folder_state(faulty_catalogue.parent) == before


@pytest.mark.parametrize("writer", ["append_resource", "updating_catalogue"])
def test_core_writers_refuse_a_catalogue_with_bad_resources(
    writer: str, faulty_catalogue: Path
) -> None:
    """The two writers every writing command uses refuse, leaving the file as it was."""
    before = folder_state(faulty_catalogue.parent)
    location = CatalogueLocation(faulty_catalogue, "--catalogue")
    with pytest.raises(CsecError, match="fix it"):
        if writer == "append_resource":
            append_resource(location, Resource(id="new", title="New"))
        else:
            with updating_catalogue(location) as catalogue:
                catalogue.resources.clear()
    assert folder_state(faulty_catalogue.parent) == before


@pytest.mark.parametrize(
    ("literal", "hint"),
    [
        ("2009-02-30", False),
        ("2009-13-01", False),
        ("2009-03", True),
        ("2009-02-29T10:00:00Z", False),
        ("2009-3-1", False),
    ],
)
def test_an_impossible_date_literal_is_a_fault_of_its_resource_only(
    literal: str, hint: bool, tmp_path: Path
) -> None:
    """An unquoted impossible date invalidates its resource (with its line); the rest reads."""
    path = tmp_path / "resources.toml"
    path.write_text(
        '[[resources]]\nid = "good"\ntitle = "Good"\n\n'
        f'[[resources]]\nid = "bad"\ntitle = "Bad"\nmade = {literal}  # typed by hand\n\n'
        '[[resources]]\nid = "also-good"\ntitle = "Also good"\n',
        encoding="utf-8",
    )
    catalogue = load_catalogue(path)
    assert [resource.id for resource in catalogue.resources] == ["good", "also-good"]
    [problem] = catalogue.problems
    assert problem.line == 5
    assert f"{literal} on line 8 is not a real date" in problem.message
    assert ('"2009-03"' in problem.message) is hint
    assert catalogue.ids() == {"good", "bad", "also-good"}


def test_an_impossible_date_in_an_inline_array_stays_a_file_fault(tmp_path: Path) -> None:
    """Only a `key = date` line can be pinned on a resource; other places stop the file."""
    path = tmp_path / "resources.toml"
    path.write_text('[[resources]]\nid = "a"\ntitle = "A"\nseen = [2009-02-30]\n', encoding="utf-8")
    with pytest.raises(CsecError, match=r":4:\d+: not valid TOML"):
        load_catalogue(path)


# --- permissions --------------------------------------------------------------------------


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder any user can enter, holding a copy of the seed (tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="csec-permissions-"))
    os.chmod(folder, 0o777)
    home = folder / "home"
    home.mkdir(mode=0o777)
    os.chmod(home, 0o777)
    catalogue = folder / "catalogue"
    catalogue.mkdir()
    shutil.copyfile(SEED, catalogue / "resources.toml")
    yield catalogue / "resources.toml"
    shutil.rmtree(folder)


def _other_user() -> int | None:
    """Root reads and writes everything, so permission tests run as `nobody` under root."""
    return NOBODY if os.geteuid() == 0 else None


PERMISSION_CASES = {
    # name -> (file mode, folder mode, what reads do, what writes do)
    "unreadable file": (0o200, 0o777, "refuse", "refuse"),
    "read-only file": (0o644, 0o777, "work", "refuse"),
    "read-only folder": (0o666, 0o755, "work", "refuse"),
}


@pytest.mark.parametrize("case", list(PERMISSION_CASES))
@pytest.mark.parametrize("invocation", INVOCATIONS, ids=str)
def test_permissions_are_respected_with_one_clear_line(
    case: str, invocation: Invocation, shared_folder: Path
) -> None:
    """A file the user may not read or write gives `permission denied`, exit 1, no change."""
    skip_unless_registered(invocation.command)
    file_mode, folder_mode, reads, writes = PERMISSION_CASES[case]
    import_file = shared_folder.parent.parent / "incoming.json"
    import_file.write_text('[{"title": "Imported resource", "date": "2009-03-01"}]')
    os.chmod(import_file, 0o644)
    argv = invocation.argv(id="media-strategy", import_file=str(import_file))
    home = str(shared_folder.parent.parent / "home")
    env = {"HOME": home, "XDG_DATA_HOME": home}
    # Warm up: the child cannot import modules from where the root-owned Python lives.
    run_in_process(shared_folder.parent.parent / "warm-up.toml", ["list"])
    warm_up_copy = shared_folder.parent.parent / "warm-up-copy.toml"
    shutil.copyfile(SEED, warm_up_copy)  # the shipped seed is only ever read
    run_in_process(warm_up_copy, argv)
    os.chmod(shared_folder, file_mode)
    os.chmod(shared_folder.parent, folder_mode)
    before = folder_state(shared_folder.parent)
    if os.geteuid() == 0:
        result = run_forked_as(NOBODY, shared_folder, argv, env)
    else:
        done = run_in_process(shared_folder, argv)
        result = ChildResult(done.exit_code, done.stdout, done.stderr, "")
    assert result.error == ""
    expected = writes if invocation.writes else reads
    if expected == "work":
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 1, (result.stdout, result.stderr)
        assert_one_error_line(result.stderr, shared_folder.parent, "permission denied")
    os.chmod(shared_folder, file_mode | stat.S_IRUSR)
    assert folder_state(shared_folder.parent) == before


# --- big fields, BOM and CRLF -------------------------------------------------------------

TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def huge_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue whose resource has a 10 MB summary and a 1 MB title, among ordinary ones."""
    path = tmp_path_factory.mktemp("huge") / "resources.toml"
    summary = ("labour inspection " * (TEN_MB // 18 + 1))[:TEN_MB]
    title = ("Huge " * 210_000)[:1_000_000]
    shutil.copyfile(SEED, path)
    append_resource(
        CatalogueLocation(path, "--catalogue"), Resource(id="huge", title=title, summary=summary)
    )
    return path


@pytest.mark.parametrize("invocation", READS, ids=str)
def test_a_10_mb_field_is_simply_handled_by_reading_commands(
    invocation: Invocation, huge_catalogue: Path
) -> None:
    """Every reading command copes with a 10 MB summary (a real process, with a time limit)."""
    skip_unless_registered(invocation.command)
    result = run_installed(huge_catalogue, invocation.argv(id="huge", import_file=""), timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""


def test_a_10_mb_field_survives_show_json_and_a_rewrite(huge_catalogue: Path) -> None:
    """show --json prints the whole 10 MB value, and a rewrite keeps it byte for byte."""
    result = run_installed(huge_catalogue, ["show", "huge", "--json"])
    assert result.returncode == 0
    assert len(result.stdout) > TEN_MB
    before = load_catalogue(huge_catalogue)
    with updating_catalogue(CatalogueLocation(huge_catalogue, "--catalogue")):
        pass
    after = load_catalogue(huge_catalogue)
    assert after.resources == before.resources


def test_show_cuts_a_huge_value_and_says_so(huge_catalogue: Path) -> None:
    """The terminal view of a 10 MB summary is cut at 100,000 characters with a note."""
    result = run_in_process(huge_catalogue, ["show", "huge"])
    assert result.exit_code == 0
    assert "more characters; --json shows all)" in result.stdout
    assert len(result.stdout) < 300_000


def _windows_copy(path: Path) -> None:
    text = SEED.read_text("utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def test_bom_and_crlf_catalogue_reads_like_the_plain_one(tmp_path: Path) -> None:
    """A catalogue saved by a Windows editor (BOM, CRLF) reads exactly like the original."""
    windows = tmp_path / "windows.toml"
    _windows_copy(windows)
    plain = run_in_process(SEED, ["list", "--json"])
    result = run_in_process(windows, ["list", "--json"])
    assert result.exit_code == 0
    assert result.stdout == plain.stdout
    assert run_in_process(windows, ["check"]).exit_code == 0


@pytest.mark.parametrize("writer", ["append_resource", "updating_catalogue"])
def test_bom_and_crlf_are_written_back(writer: str, tmp_path: Path) -> None:
    """After a write the file still starts with its BOM and every line ends in CRLF."""
    windows, plain = tmp_path / "windows.toml", tmp_path / "plain.toml"
    _windows_copy(windows)
    shutil.copyfile(SEED, plain)
    new = Resource(id="new-one", title='Line one\nline "two" \\ three', summary="a\r\nb")
    for path in (windows, plain):
        location = CatalogueLocation(path, "--catalogue")
        if writer == "append_resource":
            append_resource(location, new)
        else:
            with updating_catalogue(location) as catalogue:
                catalogue.resources[0] = catalogue.resources[0].with_changes(title="Changed")
                catalogue.resources.append(new)
    data = windows.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    expected = b"\xef\xbb\xbf" + plain.read_bytes().replace(b"\n", b"\r\n")
    assert data == expected
    assert load_catalogue(windows).resources == load_catalogue(plain).resources
    assert load_catalogue(windows).resources[-1] == new


@pytest.mark.parametrize("invocation", WRITES, ids=str)
def test_bom_and_crlf_survive_writing_commands(
    invocation: Invocation, tmp_path: Path, import_file: Path
) -> None:
    """Each writing command keeps the BOM and CRLF line endings of a Windows-edited file."""
    skip_unless_registered(invocation.command)
    windows = tmp_path / "windows.toml"
    _windows_copy(windows)
    argv = invocation.argv(id="media-strategy", import_file=str(import_file))
    result = run_in_process(windows, argv)
    assert result.exit_code == 0, result.stderr
    data = windows.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert load_catalogue(windows).problems == []


def test_writing_through_a_symbolic_link_updates_the_file_it_points_to(tmp_path: Path) -> None:
    """A catalogue kept as a symlink stays a symlink; the file it points to gets the change."""
    real = tmp_path / "synced" / "resources.toml"
    real.parent.mkdir()
    shutil.copyfile(SEED, real)
    link = tmp_path / "here" / "resources.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    location = CatalogueLocation(link, "--catalogue")
    append_resource(location, Resource(id="through-the-link", title="Through the link"))
    with updating_catalogue(location) as catalogue:
        catalogue.resources[0] = catalogue.resources[0].with_changes(title="Edited via link")
    assert link.is_symlink()
    resources = load_catalogue(real).resources
    assert resources[-1].id == "through-the-link"
    assert resources[0].title == "Edited via link"
    assert not list(tmp_path.rglob("*.tmp"))


def _disk_full(*_args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("writer", ["append_resource", "updating_catalogue"])
def test_a_full_disk_gives_one_line_and_leaves_the_catalogue_as_it_was(
    writer: str, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails part-way (no space left) is a clear error; nothing is half-written."""
    before = folder_state(catalogue.parent)
    monkeypatch.setattr(os, "fsync", _disk_full)
    location = CatalogueLocation(catalogue, "--catalogue")
    with pytest.raises(CsecError, match=r"could not write the catalogue \(No space left"):
        if writer == "append_resource":
            append_resource(location, Resource(id="new", title="New"))
        else:
            with updating_catalogue(location) as loaded:
                loaded.resources.pop()
    assert folder_state(catalogue.parent) == before


@pytest.mark.parametrize("invocation", WRITES, ids=str)
def test_a_full_disk_stops_writing_commands_with_one_line(
    invocation: Invocation, catalogue: Path, import_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every writing command reports a failed write as one line, exit 1, catalogue unchanged."""
    skip_unless_registered(invocation.command)
    before = folder_state(catalogue.parent)
    monkeypatch.setattr(os, "fsync", _disk_full)
    argv = invocation.argv(id="media-strategy", import_file=str(import_file))
    result = run_in_process(catalogue, argv)
    assert result.exit_code == 1, result.stderr
    assert_one_error_line(result.stderr, catalogue, "No space left on device")
    assert folder_state(catalogue.parent) == before
