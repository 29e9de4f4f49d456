"""`csec export`: the catalogue (or a filtered, searched part of it) as csv, json, markdown, ris,
bibtex or html, on stdout or into a file."""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TextIO

import typer

from csec_cli.commands.common import (
    app_state,
    choices_completion,
    filter_resources,
    read_catalogue,
    refuse_long_query,
    with_filters,
)
from csec_cli.errors import CsecError
from csec_cli.filters import ResourceFilter, sort_resources
from csec_cli.formats import EXPORT_FORMATS, ExportOptions, Format, format_for_path, get_format
from csec_cli.formats.csv import extra_keys
from csec_cli.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, language, ngettext, speaking
from csec_cli.plain_output import terminal_safe
from csec_cli.render import print_note, track_progress
from csec_cli.search import rank_resources


def _choose_format(name: str | None, output: Path | None) -> Format:
    if name is not None:
        if name.strip().lower() not in EXPORT_FORMATS:
            raise typer.BadParameter(
                _("--format takes one of {formats}, e.g. --format csv").format(
                    formats=", ".join(EXPORT_FORMATS)
                ),
                param_hint="--format",
            )
        return get_format(name)
    if output is None:
        raise typer.BadParameter(
            _(
                "export needs --format {formats} (or an --output file name ending in one), "
                "e.g. csec export --format csv > catalogue.csv"
            ).format(formats="|".join(EXPORT_FORMATS))
        )
    guessed = format_for_path(output)
    if guessed is None:
        # No --format was given: the file name was the only clue, so say what was read in it.
        suffix = output.suffix or output.name
        raise typer.BadParameter(
            _(
                "cannot tell the format from {name}; use --format {formats}, "
                "e.g. csec export --format csv -o catalogue.csv"
            ).format(name=repr(suffix), formats="|".join(EXPORT_FORMATS))
        )
    return guessed


def _stdout_is_regular_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


NOTHING_EXPORTED = N_("Nothing was exported.")


@dataclass(frozen=True)
class _Output:
    """Where --output writes: a regular file replaced whole, or a file written into as it is."""

    path: Path
    replaced: bool  # False: a pipe, a device or a descriptor's name (/dev/stdout), written into
    exists: bool = False  # a regular file is there already, to be replaced


# Names of an open file descriptor: writing into them is writing to what the shell opened.
_DESCRIPTOR_NAME = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|\d+)/fd/\d+")


def _show_progress(output: _Output | None) -> bool:
    """A bar only goes to a terminal, and never over data being written to that same terminal
    or down a pipe, where a script reads: so a replaced --output file or `> file`, with stderr a
    terminal."""
    if not sys.stderr.isatty():
        return False
    return (output is not None and output.replaced) or _stdout_is_regular_file()


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _is_same_file(status: os.stat_result, path: Path) -> bool:
    try:
        return os.path.samestat(status, os.stat(path))
    except OSError:
        return False


def _choose_output(output: Path, catalogue_path: Path) -> _Output:
    """How to write --output, or a CsecError: never is a folder, device or pipe replaced."""
    try:
        status: os.stat_result | None = os.stat(output)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise CsecError(
            _("{path}: cannot write it ({reason})").format(path=output, reason=_os_reason(error))
        ) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise CsecError(_("{path}: is a folder; give a file name to --output").format(path=output))
    if status is not None and _is_same_file(status, catalogue_path):
        raise CsecError(
            _("{path}: is the catalogue itself; choose another --output file").format(path=output)
        )
    if status is None or stat.S_ISREG(status.st_mode):
        if status is not None and _DESCRIPTOR_NAME.fullmatch(os.path.abspath(output)):
            return _Output(output, replaced=False)
        # Through a symbolic link to the file it names, as the catalogue is written: the link
        # stays a link.
        real = Path(os.path.realpath(output))
        folder = output.parent if real == Path(os.path.abspath(output)) else real.parent
        if not folder.is_dir():
            raise CsecError(_("{folder}: no such folder; create it first").format(folder=folder))
        return _Output(real, replaced=True, exists=status is not None)
    if stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode):
        return _Output(output, replaced=False)
    if stat.S_ISBLK(status.st_mode):
        message = _(
            "{path}: is a block device; --output writes a regular file, a pipe or a character "
            "device such as /dev/null"
        )
    else:
        message = _(
            "{path}: is a socket or other special file; --output writes a regular file, a pipe "
            "or a character device such as /dev/null"
        )
    raise CsecError(message.format(path=output))


def _allow_replacing(output: Path, force: bool) -> None:
    """An existing file is replaced only when the user says so: asked on a terminal, --force
    elsewhere (a script that means to replace it says so once)."""
    from csec_cli.commands import prompting

    if force:
        return
    if not prompting.stdin_is_terminal():
        raise CsecError(_("{path} already exists; add --force to replace it").format(path=output))
    with prompting.leaving_untouched(_(NOTHING_EXPORTED)):
        if not prompting.confirm(_("Overwrite {path}?").format(path=output), default=False):
            print_note(_(NOTHING_EXPORTED))
            raise typer.Exit(1)


def _write_output(output: _Output, write: Callable[[TextIO], None]) -> None:
    """Write the export to --output; an OSError becomes one line naming the file."""
    try:
        if output.replaced:
            _replace_file(output.path, write)
        else:
            _write_into(output.path, write)
    except OSError as error:
        if output.replaced and output.path.exists():
            message = _("{path}: cannot write it ({reason}); it is unchanged")
        else:
            message = _("{path}: cannot write it ({reason})")
        raise CsecError(message.format(path=output.path, reason=_os_reason(error))) from None


def _write_into(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write into a pipe or a device as it is, never creating or replacing a file there."""
    # O_APPEND: a descriptor's name for a file the shell opened with `>>` keeps what it holds.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
        write(stream)


def _replace_file(output: Path, write: Callable[[TextIO], None]) -> None:
    """Write through a temporary file renamed into place, so a failed export leaves no half file."""
    # The name is cut so that the temporary name stays within the system's 255 bytes; its
    # bytes, as the system has them, since they need not be UTF-8.
    short_name = os.fsencode(output.name)[:128].decode(errors="ignore")
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{short_name}.", suffix=".tmp", dir=output.parent
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


# What --delimiter accepts, as typed, and the character each stands for.
_DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}


def _delimiter(value: str, chosen: Format) -> str:
    delimiter = _DELIMITERS.get(value.lower() if value.isalpha() else value)
    if delimiter is None:
        raise typer.BadParameter(_("choose ',', ';' or tab"), param_hint="--delimiter")
    if delimiter != "," and chosen.name != "csv":
        raise typer.BadParameter(
            _("only csv has a delimiter, not {format}").format(format=chosen.name),
            param_hint="--delimiter",
        )
    return delimiter


def _report_language(code: str | None, chosen: Format) -> str:
    """The language a report is written in: --lang's, else the interface's."""
    if code is None:
        return language()
    wanted = code.strip().lower()
    if wanted not in LANGUAGES:
        known = ", ".join(f"{name} ({LANGUAGE_NAMES[name]})" for name in LANGUAGES)
        raise typer.BadParameter(
            _("'{code}' is not one of csec's languages: {languages}; e.g. --lang es").format(
                code=code, languages=known
            ),
            param_hint="--lang",
        )
    if chosen.reports_losses:
        # Data formats carry the catalogue's words alone, in no language of csec's.
        raise typer.BadParameter(
            _(
                "only markdown and html have a language, not {format}; e.g. --format html --lang es"
            ).format(format=chosen.name),
            param_hint="--lang",
        )
    return wanted


def _report_losses(chosen: Format, options: ExportOptions) -> None:
    """One line on stderr per key the format could not carry as it is."""
    if chosen.reports_losses:
        for line in options.report.lines(chosen.name):
            print_note(line[:1].upper() + line[1:] + ".")


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
            autocompletion=choices_completion(EXPORT_FORMATS),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here instead of stdout. An existing file is replaced, whole or not at all, "
            "after asking on a terminal (elsewhere only with --force); a pipe or a device such "
            "as /dev/null is written into.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an existing --output file without asking."),
    ] = False,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            metavar="QUERY",
            help="Only resources matching this search, best first.",
        ),
    ] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="csv: start with a BOM so Excel shows accents right.")
    ] = False,
    delimiter: Annotated[
        str,
        typer.Option(
            "--delimiter",
            "-d",
            metavar="CHAR",
            help="csv: what separates cells: ',' (default), ';' (for Excel where the decimal "
            "mark is a comma) or tab (also '\\t').",
        ),
    ] = ",",
    formula_protection: Annotated[
        bool,
        typer.Option(
            "--formula-protection/--no-formula-protection",
            help="csv: prefix cells starting with = + - @ tab or CR with ' so spreadsheets "
            "show them as text (on by default).",
        ),
    ] = True,
    report_language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODE",
            help=f"markdown, html: the language of the page's own words, headings, labels and "
            f"dates ({', '.join(LANGUAGES)}; default: the interface's). The catalogue's data is "
            "written as stored; --language is the filter on the resources' language.",
            autocompletion=choices_completion(LANGUAGES),
        ),
    ] = None,
    *,
    filters: ResourceFilter,
) -> None:
    """Export resources as csv, json, markdown, ris, bibtex or html.

    Example: csec export --format csv --since 2009 --until 2009 --audience "labour inspectors"
    """
    started = time.monotonic()
    chosen = _choose_format(format_name, output)
    written_in = _report_language(report_language, chosen)
    if query is not None:
        refuse_long_query(query, "--query")
    catalogue = read_catalogue(ctx)
    target = None
    if output is not None:
        target = _choose_output(output, app_state(ctx).location.path_for_reading())
        if target.exists:
            _allow_replacing(output, force)
    resources = filter_resources(filters, catalogue.resources)
    if query is not None:
        resources = [hit.resource for hit in rank_resources(resources, query)]
    if query is None or chosen.grouped_by_year:
        resources = sort_resources(resources, "date")
    options = ExportOptions(
        excel=excel,
        protect_formulas=formula_protection,
        delimiter=_delimiter(delimiter, chosen),
        extra_keys=extra_keys(resources),
        catalogue_path=catalogue.path,
    )
    items = track_progress(
        resources,
        _("Exporting {format}").format(format=chosen.name),
        enabled=_show_progress(target),
        started=started,
    )

    def write(stream: TextIO) -> None:
        with speaking(written_in):
            chosen.write(items, stream, options)

    if target is not None:
        _write_output(target, write)
        count = len(resources)
        exported = ngettext(
            "Exported {count} resource to {path} ({format}).",
            "Exported {count} resources to {path} ({format}).",
            count,
        )
        print_note(exported.format(count=count, path=output, format=chosen.name))
        _report_losses(chosen, options)
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    # A reader that stops early (`| head`) ends csec by SIGPIPE, as for every command (cli.main).
    try:
        # On a terminal catalogue text must not act as escape sequences; elsewhere it is exact.
        shown = terminal_safe(stream, json=chosen.name == "json")
        write(shown)
        shown.flush()
    finally:
        with contextlib.suppress(OSError, ValueError):
            stream.detach()
    _report_losses(chosen, options)
