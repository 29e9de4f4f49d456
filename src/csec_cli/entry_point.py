"""The `csec` console script: the process around the command line.

It answers `csec --version` without loading the command line (importing Typer is most of csec's
start-up, and scripts and package managers ask for the version often), and it owns what only a
real process has: its stdout. Three promises are kept here, once for every command:

- A reader that stops early (`csec check | head -1`) ends csec at once, quietly, as it ends `cat`:
  csec dies of SIGPIPE, which a shell reports as exit status 141, whatever the command.
- Output that cannot be written (a full disk, `> /dev/full`) is one line on stderr and exit 1.
- A standard stream the shell closed (`csec list >&-`) is opened on the null device, so no file
  csec opens takes its number; output for a closed stdout fails as on a closed descriptor (one
  line, exit 1, as GNU tools do), and what would go to a closed stderr is dropped.
- On a stdout whose encoding is not UTF-8 (`PYTHONIOENCODING=latin-1`), text for people shows
  the characters it cannot represent as `?` and says so once on stderr; data (`--json`,
  `export`) is always written as UTF-8, its own encoding, never altered.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys

# The error handler that writes `?` for what stdout's encoding cannot represent (and notes it).
REPLACE_ERRORS = "csec-replace"
_replaced: list[str] = []
# Punctuation csec's own layout uses (a dash for no date, an ellipsis for a cut title), shown as
# its plain look-alike without a note: one cell each, so tables stay aligned.
_LOOK_ALIKES = str.maketrans("—–‘’“”…•", "--''\"\".*")


def main() -> None:
    """Entry point of the `csec` console script (and of `python -m csec_cli`)."""
    _stand_in_for_closed_streams()
    _replace_what_stdout_cannot_encode()
    try:
        if sys.argv[1:] == ["--version"]:
            from csec_cli import __version__

            # The same line as the --version option of cli.py prints (a test holds them equal).
            sys.stdout.write(f"csec {__version__}\n")
        else:
            from csec_cli.cli import main as run_command_line

            run_command_line()
    except BrokenPipeError:
        # Only --version gets here: the command line dies of SIGPIPE before (see cli.main).
        die_of_broken_pipe()
    except OSError as error:
        _fail_to_write(error)
    finally:
        _flush_stdout()


class _ClosedOutput(io.TextIOBase):
    """sys.stdout when the shell closed it: every write fails as writing to a closed
    descriptor does (EBADF), text or bytes (`.buffer`), so it is reported as one line."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, number: int) -> None:
        super().__init__()
        self._number = number
        self.buffer = _ClosedBytes()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not text:
            return 0  # click probes a stream with empty writes
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def fileno(self) -> int:
        return self._number  # the null device now holds the number (see _fail_to_write)

    def isatty(self) -> bool:
        return False


class _ClosedBytes(io.RawIOBase):
    """The bytes side of _ClosedOutput."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if data == b"":
            return 0
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def _stand_in_for_closed_streams() -> None:
    """Open the null device on each standard descriptor the shell closed (Python then has no
    sys.stdin, sys.stdout or sys.stderr), lowest first, so that no file csec opens later (the
    catalogue, its new copy) takes that number and a child process's output cannot land in it.
    A closed stdin reads as empty, a closed stderr drops what is written to it, and a closed
    stdout fails every write (_ClosedOutput)."""
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        if getattr(sys, name) is not None:
            continue
        try:
            descriptor = os.open(os.devnull, os.O_RDWR)
        except OSError:
            continue
        if descriptor != number:
            os.dup2(descriptor, number)
            os.close(descriptor)
        if name == "stdout":
            sys.stdout = _ClosedOutput(number)
        else:
            setattr(sys, name, open(os.devnull, "r+", encoding="utf-8"))  # noqa: SIM115


def die_of_broken_pipe() -> None:
    """End the process as SIGPIPE ends any Unix tool whose reader has gone: no message, 141."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(141)  # where there is no SIGPIPE (Windows): the status a shell would show for it


def _flush_stdout() -> None:
    """Write what is still buffered now, while a failure can still be reported as one line."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        die_of_broken_pipe()
    except OSError as error:
        _fail_to_write(error)
    if _replaced:
        from csec_cli.i18n import _
        from csec_cli.messages import print_note

        encoding = _replaced[0]
        _replaced.clear()
        print_note(
            _(
                "Some characters cannot be written in {encoding}, the encoding of this output, "
                "and show as '?'; a UTF-8 terminal shows them (PYTHONIOENCODING=utf-8), and "
                "--json and export write them exactly."
            ).format(encoding=encoding)
        )


def _fail_to_write(error: OSError) -> None:
    """One line for output the operating system would not take, then exit 1."""
    from csec_cli.cli import describe_os_error, print_error

    # Whatever stdout still holds would fail again when Python flushes it on the way out, with
    # an "Exception ignored" traceback and exit 120: let that last flush go nowhere.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    print_error(describe_os_error(error))
    raise SystemExit(1)


def _replace_what_stdout_cannot_encode() -> None:
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        is_utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return
    # A user who chose an error handler (PYTHONIOENCODING=latin-1:backslashreplace) keeps it.
    if is_utf8 or getattr(stream, "errors", "strict") != "strict":
        return

    def replace(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        shown = error.object[error.start : error.end].translate(_LOOK_ALIKES)
        shown = "".join(character if character.isascii() else "?" for character in shown)
        if "?" in shown and not _replaced:
            _replaced.append(encoding)
        return shown, error.end

    codecs.register_error(REPLACE_ERRORS, replace)
    stream.reconfigure(errors=REPLACE_ERRORS)  # type: ignore[union-attr]
