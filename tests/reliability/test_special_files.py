"""Special files and the operating system: devices, pipes, long names, full disks, encodings.

Every test runs the installed csec. None writes to the machine's own /dev: devices are made
with mknod in tmp_path (the tests run as root; without the right they skip), and a full stdout
is the machine's /dev/full opened for writing, never named as --output.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .invocations import csec_executable, folder_state, run_installed

# Many real csec processes: CI runs them, the fast loop leaves them out.
pytestmark = pytest.mark.slow


REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "data" / "resources.toml"
NULL, ZERO, FULL = (1, 3), (1, 5), (1, 7)  # Linux's memory devices: major, minor
LONG_NAME = "a" * 300  # past the 255 bytes a file name may have

# One resource whose text holds characters latin-1 has (ó, ñ) and some it has not (—, 日本).
ACCENTED = """
[[resources]]
id = "explotacion-ninas"
title = "Explotación sexual — niñas y adolescentes (日本)"
date = 2010-05-01
type = "manual"
audience = ["periodistas"]
url = "https://example.org/explotacion"
"""
ACCENTED_TITLE = "Explotación sexual — niñas y adolescentes (日本)"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A copy of the seed with one resource in Spanish and Japanese."""
    path = tmp_path / "resources.toml"
    path.write_text(SEED.read_text(encoding="utf-8") + ACCENTED, encoding="utf-8")
    return path


def make_device(path: Path, kind: int, numbers: tuple[int, int]) -> Path:
    """A device node at `path` (a character or block device), or skip where that is not allowed."""
    try:
        os.mknod(path, kind | 0o666, os.makedev(*numbers))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 1, nothing but one `Error: …` line on stderr, holding each fragment."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def assert_is_device(path: Path, kind: int, numbers: tuple[int, int]) -> None:
    """`path` is still the device it was made as (not replaced by a regular file)."""
    status = os.lstat(path)
    assert stat.S_IFMT(status.st_mode) == kind
    assert (os.major(status.st_rdev), os.minor(status.st_rdev)) == numbers


# 5. export --output writes into pipes and devices, refuses other special files.


def test_export_writes_into_a_null_device(catalogue: Path, tmp_path: Path) -> None:
    """`-o` naming a character device like /dev/null writes into it; the node stays a device."""
    device = make_device(tmp_path / "devnull", stat.S_IFCHR, NULL)
    result = run_installed(catalogue, ["export", "--format", "csv", "-o", str(device)])
    assert result.returncode == 0, result.stderr
    assert_is_device(device, stat.S_IFCHR, NULL)


def test_export_into_a_full_device_is_one_line(catalogue: Path, tmp_path: Path) -> None:
    """A device that refuses the data (a full disk) gives one line and exit 1, and stays."""
    device = make_device(tmp_path / "devfull", stat.S_IFCHR, FULL)
    result = run_installed(catalogue, ["export", "--format", "json", "-o", str(device)])
    assert_one_line_error(result, "devfull", "no space left on device")
    assert_is_device(device, stat.S_IFCHR, FULL)


def test_export_writes_into_a_named_pipe(catalogue: Path, tmp_path: Path) -> None:
    """`-o` naming a FIFO sends the export to whoever reads it; the FIFO stays a FIFO."""
    fifo = tmp_path / "exports.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        result = run_installed(catalogue, ["export", "--format", "csv", "-o", str(fifo)])
    finally:
        if reader.is_alive():  # csec did not open the FIFO: release the reader
            with open(fifo, "wb"):
                pass
        reader.join(10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].decode("utf-8").startswith("id,title,")
    assert ACCENTED_TITLE in received[0].decode("utf-8")


def test_export_to_a_descriptor_name_writes_to_that_descriptor(catalogue: Path) -> None:
    """`-o /proc/self/fd/1` (like /dev/stdout) writes to csec's stdout as it is."""
    result = run_installed(catalogue, ["export", "--format", "csv", "-o", "/proc/self/fd/1"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("id,title,")
    assert ACCENTED_TITLE in result.stdout


def test_export_to_dev_stdout_redirected_to_a_file_keeps_the_file(
    catalogue: Path, tmp_path: Path
) -> None:
    """`-o /proc/self/fd/1 >> file` adds to that very file: it is neither replaced nor emptied."""
    target = tmp_path / "out.csv"
    target.write_text("already here\n", encoding="utf-8")
    inode = target.stat().st_ino
    with target.open("a") as stdout:
        result = subprocess.run(
            [
                csec_executable(),
                "-c",
                str(catalogue),
                "export",
                "-o",
                "/proc/self/fd/1",
                "-f",
                "csv",
            ],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert target.stat().st_ino == inode
    text = target.read_text(encoding="utf-8")
    assert text.startswith("already here\nid,title,")


@pytest.mark.parametrize("kind", ["block device", "socket"])
def test_export_refuses_other_special_files(catalogue: Path, tmp_path: Path, kind: str) -> None:
    """A block device or a socket is never written to nor replaced: one line, exit 1."""
    target = tmp_path / "special"
    if kind == "block device":
        make_device(target, stat.S_IFBLK, (7, 0))
        server = None
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    try:
        before = os.lstat(target)
        result = run_installed(catalogue, ["export", "--format", "csv", "-o", str(target)])
        assert_one_line_error(result, str(target), kind)
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    finally:
        if server is not None:
            server.close()


def test_export_through_a_symbolic_link_keeps_the_link(catalogue: Path, tmp_path: Path) -> None:
    """`-o link` writes the file the link names; the link itself stays a link."""
    target = tmp_path / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    result = run_installed(catalogue, ["export", "-o", str(link), "--force"])
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("id,title,")


def test_export_help_says_an_existing_file_is_replaced(catalogue: Path) -> None:
    """`csec export --help` says what --output does to a file that is already there."""
    result = run_installed(catalogue, ["export", "--help"], env={"COLUMNS": "200"})
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    assert "An existing file is replaced" in help_text
    assert "/dev/null is written into" in help_text


# 6. import refuses what is not a regular file.


def limited_memory() -> None:
    """In the child: at most 2 GiB of address space, so a runaway read fails instead of the
    machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_import(
    catalogue: Path, source: Path, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    """`csec import SOURCE --format csv` on `catalogue`, its memory bounded."""
    return subprocess.run(
        [csec_executable(), "-c", str(catalogue), "import", str(source), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limited_memory,
    )


def test_import_refuses_a_named_pipe_at_once(catalogue: Path, tmp_path: Path) -> None:
    """Importing a FIFO no one writes to is one line and exit 1, not a wait forever."""
    fifo = tmp_path / "incoming.csv"
    os.mkfifo(fifo)
    before = folder_state(catalogue.parent)
    result = run_import(catalogue, fifo, timeout=15)
    assert_one_line_error(result, str(fifo), "not a regular file")
    assert folder_state(catalogue.parent) == before


@pytest.mark.parametrize("numbers", [ZERO, NULL], ids=["zero", "null"])
def test_import_refuses_a_character_device(
    catalogue: Path, tmp_path: Path, numbers: tuple[int, int]
) -> None:
    """A device (an endless /dev/zero, an empty /dev/null) is refused, not read."""
    device = make_device(tmp_path / "device.csv", stat.S_IFCHR, numbers)
    before = folder_state(catalogue.parent)
    result = run_import(catalogue, device)
    assert_one_line_error(result, str(device), "not a regular file")
    assert folder_state(catalogue.parent) == before


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("argv", [["search", "labour"], ["check"]], ids=" ".join)
def test_a_thesaurus_that_is_a_pipe_or_device_is_reported_not_read(
    catalogue: Path, tmp_path: Path, kind: str, argv: list[str]
) -> None:
    """CSEC_THESAURUS naming a FIFO or /dev/zero: search goes on, check reports it, no wait."""
    if kind == "fifo":
        thesaurus = tmp_path / "thesaurus.toml"
        os.mkfifo(thesaurus)
    else:
        thesaurus = make_device(tmp_path / "thesaurus.toml", stat.S_IFCHR, ZERO)
    result = run_installed(catalogue, argv, timeout=15, env={"CSEC_THESAURUS": str(thesaurus)})
    assert "Traceback" not in result.stderr
    if argv[0] == "check":
        assert result.returncode == 1
        assert f"{thesaurus}: not a regular file" in result.stdout
    else:
        assert result.returncode == 0, result.stderr


def test_import_still_reads_a_regular_file_given_as_stdin(catalogue: Path, tmp_path: Path) -> None:
    """`csec import /dev/stdin < file.csv` reads the file (stdin is a regular file there)."""
    incoming = tmp_path / "incoming.csv"
    incoming.write_text("title,date\nA new guide for labour inspectors,2011\n", encoding="utf-8")
    with incoming.open("rb") as stdin:
        result = subprocess.run(
            [csec_executable(), "-c", str(catalogue), "import", "/dev/stdin", "--format", "csv"],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert "A new guide for labour inspectors" in catalogue.read_text(encoding="utf-8")


# 7. Names too long, full disks, stdout encodings.


@pytest.mark.parametrize(
    "argv",
    [
        ["--catalogue", f"{LONG_NAME}.toml", "list"],
        ["--catalogue", f"{LONG_NAME}.toml", "add", "--title", "A guide", "--yes"],
        ["--catalogue", f"{LONG_NAME}.toml", "import", "{import_file}"],
        ["--catalogue", f"{LONG_NAME}/resources.toml", "add", "--title", "A guide", "--yes"],
        ["--catalogue", "{catalogue}", "export", "--format", "csv", "-o", f"{LONG_NAME}.csv"],
        ["--catalogue", "{catalogue}", "export", "-o", f"{LONG_NAME}/x.csv"],
        ["--catalogue", "{catalogue}", "import", f"{LONG_NAME}.csv"],
    ],
    ids=lambda argv: " ".join(argv).replace(LONG_NAME, "LONG"),
)
def test_a_name_too_long_is_one_line(catalogue: Path, tmp_path: Path, argv: list[str]) -> None:
    """A file name past 255 bytes, as catalogue, output or import file: one line, exit 1."""
    incoming = tmp_path / "incoming.csv"
    incoming.write_text("title\nA guide\n", encoding="utf-8")
    filled = [arg.format(catalogue=catalogue, import_file=incoming) for arg in argv]
    before = folder_state(tmp_path)
    result = subprocess.run(
        [csec_executable(), *filled],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert_one_line_error(result, "too long")
    assert folder_state(tmp_path) == before


@pytest.fixture
def full_device(tmp_path: Path) -> Iterator[Path]:
    """A device that takes no data (ENOSPC): the machine's /dev/full, or one made in tmp_path."""
    if Path("/dev/full").exists() and stat.S_ISCHR(os.stat("/dev/full").st_mode):
        yield Path("/dev/full")
    else:
        yield make_device(tmp_path / "full", stat.S_IFCHR, FULL)


STDOUT_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "explotacion-ninas"],
    ["search", "labour"],
    ["export", "--format", "json"],
    ["export", "--format", "csv"],
    ["stats"],
    ["stats", "--json"],
    ["check"],
    ["info"],
    ["--version"],
]


@pytest.mark.parametrize("argv", STDOUT_COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_line(catalogue: Path, full_device: Path, argv: list[str]) -> None:
    """`csec … > /dev/full`: one line saying the output could not be written, exit 1."""
    with full_device.open("w") as stdout:
        result = subprocess.run(
            [csec_executable(), "-c", str(catalogue), *argv],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert_one_line_error(result, "cannot write the output (no space left on device)")


def run_with_closed(
    catalogue: Path, argv: list[str], *numbers: int
) -> subprocess.CompletedProcess[str]:
    """The installed csec run with the standard descriptors `numbers` closed, as `>&-` does."""

    def close() -> None:
        for number in numbers:
            os.close(number)

    return subprocess.run(
        [csec_executable(), "-c", str(catalogue), *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if 1 not in numbers else None,
        stderr=subprocess.PIPE if 2 not in numbers else None,
        text=True,
        timeout=60,
        preexec_fn=close,
    )


@pytest.mark.parametrize("argv", STDOUT_COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_one_line(catalogue: Path, argv: list[str]) -> None:
    """`csec … >&-`: one line saying the output could not be written, exit 1, as GNU tools do;
    no traceback, and the catalogue is as it was."""
    before = catalogue.read_bytes()
    result = run_with_closed(catalogue, argv, 1)
    assert_one_line_error(result, "cannot write the output (bad file descriptor)")
    assert catalogue.read_bytes() == before


def test_a_closed_stdout_or_stderr_never_takes_a_file_csec_opens(catalogue: Path) -> None:
    """The closed descriptors are held by the null device, so no file csec opens gets number 1
    or 2 and nothing meant for them lands in the catalogue. An add with stdout closed adds the
    resource, then says in one line that it could not write the id; with stderr closed, it
    succeeds without a word."""
    added = ["add", "--yes", "--title", "A guide written with closed streams"]
    first = run_with_closed(catalogue, added, 1)
    assert first.returncode == 1 and "Traceback" not in first.stderr
    assert first.stderr.splitlines() == [
        f"Added 'guide-written-closed-streams' to {catalogue}.",
        "Error: cannot write the output (bad file descriptor)",
    ]
    second = ["add", "--yes", "--title", "A second guide with no stderr"]
    assert run_with_closed(catalogue, second, 2).returncode == 0
    result = subprocess.run(
        [csec_executable(), "-c", str(catalogue), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = catalogue.read_text(encoding="utf-8")
    assert "A guide written with closed streams" in text and "A second guide" in text
    assert "Added" not in text and "a-second-guide-with-no-stderr\n" not in text


def test_a_closed_stderr_still_gives_the_exit_status(catalogue: Path) -> None:
    """With stderr closed, a failing command cannot say why, but still exits 1, quietly."""
    result = run_with_closed(catalogue, ["show", "no-such-resource"], 2)
    assert result.returncode == 1


TEXT_COMMANDS = [["list"], ["show", "explotacion-ninas"], ["search", "explotación"], ["stats"]]


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("argv", TEXT_COMMANDS, ids=" ".join)
def test_text_on_a_stdout_that_is_not_utf8_replaces_what_it_cannot_show(
    catalogue: Path, argv: list[str], encoding: str
) -> None:
    """Tables and charts on a latin-1 or ascii stdout: shown, `?` for the rest, noted, exit 0."""
    result = subprocess.run(
        [csec_executable(), "-c", str(catalogue), *argv],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "200"},
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    text = result.stdout.decode(encoding)  # every byte is of that encoding
    if argv[0] == "stats":
        assert "#" in text  # bars drawn in a character the encoding has
    else:
        # The dash has a plain look-alike; what has none is a question mark.
        shown = ACCENTED_TITLE.replace("—", "-").encode(encoding, "replace").decode(encoding)
        assert shown in " ".join(text.split())
        assert "cannot be written in" in stderr and "PYTHONIOENCODING=utf-8" in stderr


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize(
    "argv",
    [["list", "--json"], ["search", "explotación", "--json"], ["export", "--format", "json"]],
    ids=" ".join,
)
def test_data_on_a_stdout_that_is_not_utf8_stays_exact_utf8(
    catalogue: Path, argv: list[str], encoding: str
) -> None:
    """JSON on a latin-1 or ascii stdout is UTF-8, exactly what the catalogue holds."""
    import json

    result = subprocess.run(
        [csec_executable(), "-c", str(catalogue), *argv],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    titles = [item["title"] for item in json.loads(result.stdout.decode("utf-8"))]
    assert ACCENTED_TITLE in titles


# 8. A reader that stops early ends every command alike: quietly, by SIGPIPE (status 141).

READING_COMMANDS = [*STDOUT_COMMANDS, ["open", "--print", "explotacion-ninas"]]


def run_into_closed_pipe(argv: list[str], catalogue: Path) -> subprocess.CompletedProcess[bytes]:
    """Run csec with stdout a pipe whose reader has already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [csec_executable(), "-c", str(catalogue), *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("argv", READING_COMMANDS, ids=" ".join)
def test_every_command_stops_quietly_on_a_closed_pipe(catalogue: Path, argv: list[str]) -> None:
    """Writing to a pipe nobody reads: killed by SIGPIPE like any Unix tool, nothing on stderr."""
    result = run_into_closed_pipe(argv, catalogue)
    assert result.returncode == -signal.SIGPIPE, result.stderr
    assert result.stderr == b""


@pytest.fixture(scope="module")
def large_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated catalogue of 3,000 resources, whose every listing outgrows a pipe's buffer."""
    path = tmp_path_factory.mktemp("large") / "resources.toml"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate_catalogue.py"), "3000", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["search", "labour", "--limit", "3000"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["check"],
    ],
    ids=" ".join,
)
def test_a_reader_closing_early_ends_every_command_alike(
    large_catalogue: Path, tmp_path: Path, argv: list[str]
) -> None:
    """`csec … | head -c 100` on a large catalogue: SIGPIPE and silence, whatever the command."""
    copy = tmp_path / "resources.toml"
    shutil.copyfile(large_catalogue, copy)
    process = subprocess.Popen(
        [csec_executable(), "-c", str(copy), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert len(process.stdout.read(100)) == 100
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(60) == -signal.SIGPIPE, stderr
    assert stderr == b""


def test_check_read_to_the_end_still_exits_1_for_errors(tmp_path: Path) -> None:
    """A complete `check` through a pipe keeps its verdict: exit 1 while an error stands."""
    broken = tmp_path / "resources.toml"
    broken.write_text('[[resources]]\nid = "x"\ntitle = 42\n', encoding="utf-8")
    result = run_installed(broken, ["check"])
    assert result.returncode == 1
    assert "error" in result.stdout
