"""The `csec` console script: answers `csec --version` without loading the command line.

Importing Typer (and with it click's machinery) is most of csec's start-up, and a version check
needs none of it; scripts and package managers call it often. Everything else goes to cli.main.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the `csec` console script (and of `python -m csec_cli`)."""
    if sys.argv[1:] == ["--version"]:
        from csec_cli import __version__

        # The same line as the --version option of cli.py prints (a test holds them equal).
        sys.stdout.write(f"csec {__version__}\n")
        return
    from csec_cli.cli import main as run_command_line

    run_command_line()
