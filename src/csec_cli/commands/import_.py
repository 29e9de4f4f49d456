"""`csec import FILE`: add the resources of a csv, json, ris or bibtex file in one atomic write."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Annotated

import typer

from csec_cli.catalogue import (
    Catalogue,
    CatalogueLocation,
    load_catalogue,
    refuse_if_invalid,
    seed_catalogue_path,
    updating_catalogue,
)
from csec_cli.commands.common import app_state, choices_completion, noting_seed_start
from csec_cli.errors import CsecError, ImportFileError
from csec_cli.formats import (
    IMPORT_FORMATS,
    Format,
    ImportNotes,
    ImportRecord,
    format_for_path,
    get_format,
)
from csec_cli.importing import ImportPlan, field_summary, plan_import
from csec_cli.render import print_note, print_warning


def _choose_format(name: str | None, path: Path) -> Format:
    if name is not None and name.strip().lower() not in IMPORT_FORMATS:
        raise typer.BadParameter(
            f"--format takes one of {', '.join(IMPORT_FORMATS)}, e.g. --format csv",
            param_hint="--format",
        )
    chosen = get_format(name) if name is not None else format_for_path(path)
    if chosen is None:
        raise typer.BadParameter(
            f"cannot tell the format from {path.name!r}; use --format "
            f"{'|'.join(IMPORT_FORMATS)}, e.g. csec import --format csv {path.name}"
        )
    if chosen.read is None:
        raise typer.BadParameter(
            f"--format: csec cannot import {chosen.name}; use one of "
            f"{', '.join(IMPORT_FORMATS)}, e.g. --format csv",
            param_hint="--format",
        )
    return chosen


def read_import_file(path: Path) -> str:
    """The file's UTF-8 text (a BOM dropped); one clear error when it cannot be read."""
    try:
        # Non-blocking, so that opening a named pipe no one writes to returns at once; what was
        # opened is then checked, not the name, which could change in between.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        with os.fdopen(descriptor, "rb") as handle:
            kind = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(kind):
                raise ImportFileError(f"{path}: is a folder, not a file")
            if not stat.S_ISREG(kind):
                # A pipe may never end and a device like /dev/zero never does.
                raise ImportFileError(
                    f"{path}: not a regular file (a pipe, device or socket); save it to a file "
                    "and import that"
                )
            data = handle.read()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            f"{path}:{line}: not UTF-8 text; save it as UTF-8 (in Excel: CSV UTF-8)"
        ) from None


def _current_catalogue(location: CatalogueLocation) -> Catalogue:
    """What the import would add to, without locking: the file, the seed, or nothing yet."""
    if location.path.exists():
        catalogue = load_catalogue(location.path)
        refuse_if_invalid(catalogue)
        return catalogue
    if location.uses_seed:
        return load_catalogue(seed_catalogue_path())
    return Catalogue(path=location.path)


def _report(plan: ImportPlan, *, dry_run: bool, read: list[str]) -> None:
    # What the reader said about the whole file comes first, and only with the report, so that
    # an error stays the one line it is.
    for line in read:
        print_note(line[:1].upper() + line[1:] + ".")
    for rejected in plan.rejected:
        print_warning(f"{rejected.where}: {rejected.reason} (rejected)")
    for duplicate in plan.duplicates:
        print_note(
            f"{duplicate.where}: {duplicate.title!r} is already there "
            f"as {duplicate.same_as} (skipped)"
        )
    for similar in plan.similar:
        if plan.skip_similar:
            outcome = "skipped"
        else:
            outcome = f"{'to be ' if dry_run else ''}imported as {similar.resource.id!r}; review it"
        print_note(
            f"{similar.where}: {similar.resource.title!r} "
            f"is similar to {similar.similar_to} ({outcome})"
        )
    for miss in plan.near_misses:
        print_warning(
            f"{miss.where}: {miss.field_name} {miss.value!r} is close to the existing "
            f"{miss.existing!r}; kept as given"
        )
    verb = "Would add" if dry_run else "Added"
    print_note(
        f"{verb} {len(plan.added)}, skipped {len(plan.duplicates)} as duplicates, "
        f"flagged {len(plan.similar)} as similar{' (skipped)' if plan.skip_similar else ''}, "
        f"rejected {len(plan.rejected)}."
    )
    for line in field_summary(plan):
        print_note(line[:1].upper() + line[1:] + ".")


def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A csv, json, ris or bibtex file.")],
    format_name: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv, json, ris or bibtex (default: from the extension).",
            autocompletion=choices_completion(IMPORT_FORMATS),
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would happen; change nothing.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Import nothing if any record is invalid.")
    ] = False,
    skip_similar: Annotated[
        bool,
        typer.Option(
            "--skip-similar", help="Also skip records whose titles are close to existing ones."
        ),
    ] = False,
) -> None:
    """Import resources from a csv, json, ris or bibtex file, skipping duplicates.

    Every record is validated; invalid ones are reported with their row or line and left out (--strict: nothing is imported). Exit 1 if the file cannot be read or none of its records is valid.

    Example: csec import team-list.csv --dry-run
    """
    chosen = _choose_format(format_name, file)
    assert chosen.read is not None
    notes = ImportNotes()
    records: list[ImportRecord] = list(chosen.read(read_import_file(file), notes))
    location = app_state(ctx).location
    current = _current_catalogue(location)
    plan = plan_import(records, current.resources, current.ids(), skip_similar=skip_similar)
    if strict and plan.rejected:
        _report(plan, dry_run=True, read=notes.lines)
        count = len(plan.rejected)
        raise CsecError(
            f"{count} invalid record{'s' * (count != 1)} in {file}; nothing imported (--strict)"
        )
    if records and len(plan.rejected) == len(records):
        _report(plan, dry_run=True, read=notes.lines)
        raise CsecError(f"no valid record in {file}; nothing imported")
    if dry_run or not plan.added:
        _report(plan, dry_run=dry_run, read=notes.lines)
        if not records:
            print_note(f"{file} holds no resources.")
        return
    with (
        noting_seed_start(location),
        updating_catalogue(location, create=True, change=f"import {file.name}") as catalogue,
    ):
        if catalogue.cache_key != current.cache_key:
            # Another csec wrote between the first look and the lock: plan against what is there.
            plan = plan_import(
                records, catalogue.resources, catalogue.ids(), skip_similar=skip_similar
            )
        catalogue.resources.extend(plan.added)
    _report(plan, dry_run=False, read=notes.lines)
