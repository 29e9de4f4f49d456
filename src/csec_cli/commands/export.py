"""`csec export`: the catalogue (or a filtered, searched part of it) as csv, json, markdown, ris,
bibtex or html, on stdout or into a file."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TextIO

import typer

from csec_cli.commands.common import app_state, read_catalogue, with_filters
from csec_cli.errors import CsecError
from csec_cli.filters import ResourceFilter, sort_resources
from csec_cli.formats import EXPORT_FORMATS, ExportOptions, Format, format_for_path, get_format
from csec_cli.render import print_note, terminal_safe, track_progress
from csec_cli.search import rank_resources


def _choose_format(name: str | None, output: Path | None) -> Format:
    if name is not None:
        if name.strip().lower() not in EXPORT_FORMATS:
            raise typer.BadParameter(
                f"choose one of {', '.join(EXPORT_FORMATS)}", param_hint="--format"
            )
        return get_format(name)
    guessed = format_for_path(output) if output is not None else None
    if guessed is None:
        raise typer.BadParameter(
            f"give one of {', '.join(EXPORT_FORMATS)} (or an --output file name ending in one)",
            param_hint="--format",
        )
    return guessed


def _stdout_is_regular_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


def _show_progress(output: Path | None) -> bool:
    """A bar only goes to a terminal, and never over data being written to that same terminal
    or down a pipe, where a script reads: so --output or `> file`, with stderr a terminal."""
    if not sys.stderr.isatty():
        return False
    return output is not None or _stdout_is_regular_file()


def _check_output(output: Path, catalogue_path: Path) -> None:
    if output.is_dir():
        raise CsecError(f"{output}: is a folder; give a file name to --output")
    if not output.parent.is_dir():
        raise CsecError(f"{output.parent}: no such folder; create it first")
    if output.exists() and catalogue_path.exists() and output.samefile(catalogue_path):
        raise CsecError(f"{output}: is the catalogue itself; choose another --output file")


def _write_file(output: Path, write: Callable[[TextIO], None]) -> None:
    """Write through a temporary file renamed into place, so a failed export leaves no half file."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=".tmp", dir=output.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@with_filters
def export_command(
    ctx: typer.Context,
    format_name: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"One of {', '.join(EXPORT_FORMATS)} (default: from the --output extension).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query", "-q", metavar="TEXT", help="Only resources matching this search, best first."
        ),
    ] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="csv: start with a BOM so Excel shows accents right.")
    ] = False,
    formula_protection: Annotated[
        bool,
        typer.Option(
            "--formula-protection/--no-formula-protection",
            help="csv: prefix cells starting with = + - @ tab or CR with ' so spreadsheets "
            "show them as text (on by default).",
        ),
    ] = True,
    *,
    filters: ResourceFilter,
) -> None:
    """Export resources as csv, json, markdown, ris, bibtex or html.

    Example: csec export --format csv --since 2009 --until 2009 --audience "labour inspectors"
    """
    started = time.monotonic()
    chosen = _choose_format(format_name, output)
    catalogue = read_catalogue(ctx)
    if output is not None:
        _check_output(output, app_state(ctx).location.path_for_reading())
    resources = filters.apply(catalogue.resources)
    if query is not None:
        resources = [hit.resource for hit in rank_resources(resources, query)]
    if query is None or chosen.grouped_by_year:
        resources = sort_resources(resources, "date")
    options = ExportOptions(excel=excel, protect_formulas=formula_protection)
    items = track_progress(
        resources, f"Exporting {chosen.name}", enabled=_show_progress(output), started=started
    )

    def write(stream: TextIO) -> None:
        chosen.write(items, stream, options)

    if output is not None:
        _write_file(output, write)
        count = len(resources)
        print_note(f"Exported {count} resource{'s' * (count != 1)} to {output} ({chosen.name}).")
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        # On a terminal catalogue text must not act as escape sequences; elsewhere it is exact.
        shown = terminal_safe(stream, json=chosen.name == "json")
        write(shown)
        shown.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): that is its choice, not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    finally:
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.detach()
