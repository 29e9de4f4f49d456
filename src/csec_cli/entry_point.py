"""The `csec` console script: the process around the command line.

It answers `csec --version` without loading the command line (importing Typer is most of csec's
start-up, and scripts and package managers ask for the version often), and it owns what only a
real process has: its stdout. Three promises are kept here, once for every command:

- A reader that stops early (`csec check | head -1`) ends csec at once, quietly, as it ends `cat`:
  csec dies of SIGPIPE, which a shell reports as exit status 141, whatever the command.
- Output that cannot be written (a full disk, `> /dev/full`) is one line on stderr and exit 1.
- On a stdout whose encoding is not UTF-8 (`PYTHONIOENCODING=latin-1`), text for people shows
  the characters it cannot represent as `?` and says so once on stderr; data (`--json`,
  `export`) is always written as UTF-8, its own encoding, never altered.
"""

from __future__ import annotations

import codecs
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
