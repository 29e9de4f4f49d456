"""`export --output` onto a file that exists: asked on a terminal, refused elsewhere without --force."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pexpect

from conftest import installed_csec
from terminal_session import finish, spawn_csec

Run = Callable[..., subprocess.CompletedProcess[str]]
TIMEOUT = 30


def export_to(
    run: Run, catalogue: Path, output: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """The installed csec exporting csv to `output`, its stdin not a terminal."""
    return run("--catalogue", str(catalogue), "export", "-o", str(output), *args, input="")


def test_an_existing_file_is_refused_without_force(
    catalogue: Path, tmp_path: Path, csec_process: Run
) -> None:
    """Off a terminal, an existing file is left as it is: one line naming --force, exit 1."""
    output = tmp_path / "team.csv"
    output.write_text("our own spreadsheet\n", encoding="utf-8")
    result = export_to(csec_process, catalogue, output)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert f"{output} already exists" in result.stderr and "--force" in result.stderr
    assert output.read_text(encoding="utf-8") == "our own spreadsheet\n"


def test_force_replaces_an_existing_file(
    catalogue: Path, tmp_path: Path, csec_process: Run
) -> None:
    """--force replaces the file without a question."""
    output = tmp_path / "team.csv"
    output.write_text("old\n", encoding="utf-8")
    result = export_to(csec_process, catalogue, output, "--force")
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").startswith("id,title,")


def test_a_new_file_needs_no_force(catalogue: Path, tmp_path: Path, csec_process: Run) -> None:
    """Nothing is there yet: the export is written, no question, no flag."""
    output = tmp_path / "new.csv"
    result = export_to(csec_process, catalogue, output)
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").startswith("id,title,")


def test_devices_are_not_files_to_ask_about(catalogue: Path, csec_process: Run) -> None:
    """/dev/null is written into, as ever: it is not an existing file to protect."""
    result = export_to(csec_process, catalogue, Path(os.devnull), "--format", "csv")
    assert result.returncode == 0, result.stderr


def test_dev_stdout_onto_a_file_is_not_asked_about(catalogue: Path, tmp_path: Path) -> None:
    """`-o /dev/stdout > file`: the shell chose the file, so csec writes, asking nothing."""
    output = tmp_path / "out.csv"
    with output.open("w", encoding="utf-8") as stdout:
        result = subprocess.run(
            [installed_csec(), "-c", str(catalogue), "export", "-f", "csv", "-o", "/dev/stdout"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=TIMEOUT,
        )
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").startswith("id,title,")


def test_a_fifo_is_not_asked_about(catalogue: Path, tmp_path: Path) -> None:
    """A named pipe is written into for whoever reads it: no question, no --force."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [installed_csec(), "-c", str(catalogue), "export", "-f", "csv", "-o", str(fifo)],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    with fifo.open(encoding="utf-8") as reading:
        received = reading.read()
    _, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, stderr
    assert received.startswith("id,title,")


def spawn_export(catalogue: Path, output: Path) -> pexpect.spawn:
    """`csec export -o OUTPUT` on a pseudo-terminal, as a person types it."""
    return spawn_csec(catalogue, "export", "-o", str(output), columns=200)


def test_on_a_terminal_yes_replaces_the_file(catalogue: Path, tmp_path: Path) -> None:
    """Asked "Overwrite X? [y/N]" and answering y, the file is replaced."""
    output = tmp_path / "team.csv"
    output.write_text("old\n", encoding="utf-8")
    session = spawn_export(catalogue, output)
    session.expect(rf"Overwrite {output}\? \[y/N\]")
    session.sendline("y")
    session.expect("Exported 10 resources")
    assert finish(session) == 0
    assert output.read_text(encoding="utf-8").startswith("id,title,")


def test_on_a_terminal_enter_keeps_the_file(catalogue: Path, tmp_path: Path) -> None:
    """Enter takes the default, no: nothing is exported, exit 1, the file as it was."""
    output = tmp_path / "team.csv"
    output.write_text("old\n", encoding="utf-8")
    session = spawn_export(catalogue, output)
    session.expect(r"Overwrite .*\? \[y/N\]")
    session.sendline("")
    session.expect("Nothing was exported.")
    assert finish(session) == 1
    assert output.read_text(encoding="utf-8") == "old\n"


def test_on_a_terminal_ctrl_c_keeps_the_file(catalogue: Path, tmp_path: Path) -> None:
    """Ctrl-C at the question: exit 130, one calm line, the file as it was."""
    output = tmp_path / "team.csv"
    output.write_text("old\n", encoding="utf-8")
    session = spawn_export(catalogue, output)
    session.expect(r"Overwrite .*\? \[y/N\]")
    session.sendcontrol("c")
    session.expect("Interrupted. Nothing was exported.")
    assert finish(session) == 130
    assert output.read_text(encoding="utf-8") == "old\n"
