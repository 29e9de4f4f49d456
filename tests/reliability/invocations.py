"""The table of command invocations every hostile-catalogue test runs, and how to run them.

Commands still being built on other branches are in the table already; tests skip an entry whose
command is not registered yet, so after a merge every entry runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import typer
from typer.testing import CliRunner, Result

from csec_cli.cli import app


@dataclass(frozen=True)
class Invocation:
    """One command line; `{id}` and `{import_file}` are filled in by the test."""

    args: tuple[str, ...]
    writes: bool = False
    creates: bool = False  # creates a missing catalogue file, as DESIGN.md says add/import do
    warns: bool = True  # a reading command that names each skipped resource on stderr

    @property
    def command(self) -> str:
        """The command's name, e.g. `list`."""
        return self.args[0]

    def argv(self, **values: str) -> list[str]:
        """The arguments with their placeholders filled in."""
        return [arg.format(**values) for arg in self.args]

    def __str__(self) -> str:
        return " ".join(self.args)


INVOCATIONS = (
    Invocation(("list",)),
    Invocation(("show", "{id}")),
    Invocation(("search", "labour")),
    Invocation(("export", "--format", "csv")),
    Invocation(("export", "--format", "json")),
    Invocation(("stats",)),
    Invocation(("check",)),
    Invocation(("info",), warns=False),
    Invocation(("add", "--title", "Reliability test", "--yes"), writes=True, creates=True),
    Invocation(("edit", "{id}", "--title", "Edited title", "--yes"), writes=True),
    Invocation(("remove", "{id}", "--yes"), writes=True),
    Invocation(("import", "{import_file}"), writes=True, creates=True),
)
READS = tuple(invocation for invocation in INVOCATIONS if not invocation.writes)
WRITES = tuple(invocation for invocation in INVOCATIONS if invocation.writes)


def registered_commands() -> set[str]:
    """Names of the commands this build of csec has."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return set(group.list_commands(typer.Context(group)))


def skip_unless_registered(*commands: str) -> None:
    """Skip the calling test while a command it needs is still on another branch."""
    import pytest

    missing = sorted(set(commands) - registered_commands())
    if missing:
        pytest.skip(f"csec {', '.join(missing)} is not registered on this branch yet")


def run_in_process(catalogue: Path, argv: list[str], input: str | None = None) -> Result:
    """Run csec in this process on `catalogue`, letting any exception (a bug) propagate."""
    return CliRunner().invoke(
        app, ["--catalogue", str(catalogue), *argv], input=input, catch_exceptions=False
    )


def csec_executable() -> str:
    """The installed `csec` script beside this Python."""
    return str(Path(sys.executable).parent / "csec")


def run_installed(
    catalogue: Path,
    argv: list[str],
    *,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    user: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed csec in a subprocess (as `user`, if given), with a timeout."""

    def drop_privileges() -> None:
        assert user is not None
        os.setgroups([])
        os.setgid(user)
        os.setuid(user)

    return subprocess.run(
        [csec_executable(), "--catalogue", str(catalogue), *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        preexec_fn=drop_privileges if user is not None else None,
    )


def folder_state(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder` with its bytes (None for folders), lock files aside.

    A writer may leave its empty `.lock` file (flock locks are released when the process ends,
    so it never blocks anyone); anything else new or changed is a change to the user's data.
    """
    state: dict[str, bytes | None] = {}
    for entry in sorted(folder.rglob("*")):
        if entry.name.endswith(".lock"):
            continue
        key = str(entry.relative_to(folder))
        if entry.is_dir():
            state[key] = None
        elif not entry.is_file():
            state[key] = f"special file, mode {entry.stat().st_mode:o}".encode()
        else:
            state[key] = entry.read_bytes()
    return state


@dataclass(frozen=True)
class ChildResult:
    """What a csec run in a forked child reported."""

    exit_code: int
    stdout: str
    stderr: str
    error: str  # the traceback of an unexpected exception, "" if none


def run_forked_as(user: int, catalogue: Path, argv: list[str], env: dict[str, str]) -> ChildResult:
    """Run csec in-process in a child that has dropped to `user`.

    The Python running the tests may live where that user cannot read (e.g. under /root), so
    the child keeps the modules the parent has already imported instead of starting afresh.
    """
    import json
    import traceback

    import typer.rich_utils  # noqa: F401  (usage errors need it; the child could not import it)

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        payload: dict[str, object] = {"exit_code": -1, "stdout": "", "stderr": "", "error": ""}
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(user)
            os.setuid(user)
            os.environ.update(env)
            result = CliRunner().invoke(app, ["--catalogue", str(catalogue), *argv])
            payload["exit_code"] = result.exit_code
            payload["stdout"] = result.stdout
            payload["stderr"] = result.stderr
            if result.exception and not isinstance(result.exception, SystemExit):
                info = result.exc_info
                payload["error"] = "".join(traceback.format_exception(*info)) if info else "?"
        except BaseException:
            payload["error"] = traceback.format_exc()
        finally:
            with os.fdopen(write_end, "w") as pipe:
                pipe.write(json.dumps(payload))
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        data = json.loads(pipe.read())
    os.waitpid(pid, 0)
    return ChildResult(**data)
