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
from csec_cli.i18n import _, ngettext
from csec_cli.importing import ImportPlan, field_summary, plan_import
from csec_cli.models import field_in_prose
from csec_cli.render import print_note, print_warning


def _choose_format(name: str | None, path: Path) -> Format:
    if name is not None and name.strip().lower() not in IMPORT_FORMATS:
        raise typer.BadParameter(
            _("--format takes one of {formats}, e.g. --format csv").format(
                formats=", ".join(IMPORT_FORMATS)
            ),
            param_hint="--format",
        )
    chosen = get_format(name) if name is not None else format_for_path(path)
    if chosen is None:
        raise typer.BadParameter(
            _(
                "cannot tell the format from {name}; use --format {formats}, "
                "e.g. csec import --format csv {file}"
            ).format(name=repr(path.name), formats="|".join(IMPORT_FORMATS), file=path.name)
        )
    if chosen.read is None:
        raise typer.BadParameter(
            _(
                "--format: csec cannot import {format}; use one of {formats}, e.g. --format csv"
            ).format(format=chosen.name, formats=", ".join(IMPORT_FORMATS)),
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
                raise ImportFileError(_("{path}: is a folder, not a file").format(path=path))
            if not stat.S_ISREG(kind):
                # A pipe may never end and a device like /dev/zero never does.
                raise ImportFileError(
                    _(
                        "{path}: not a regular file (a pipe, device or socket); save it to a "
                        "file and import that"
                    ).format(path=path)
                )
            data = handle.read()
    except FileNotFoundError:
        raise ImportFileError(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise ImportFileError(_("{path}: is a folder, not a file").format(path=path)) from None
    except OSError as error:
        raise ImportFileError(
            _("{path}: cannot read it ({reason})").format(path=path, reason=error.strerror)
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            _("{path}:{line}: not UTF-8 text; save it as UTF-8 (in Excel: CSV UTF-8)").format(
                path=path, line=line
            )
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
        print_warning(
            _("{where}: {reason} (rejected)").format(where=rejected.where, reason=rejected.reason)
        )
    for duplicate in plan.duplicates:
        print_note(
            _("{where}: {title} is already there as {existing} (skipped)").format(
                where=duplicate.where, title=repr(duplicate.title), existing=duplicate.same_as
            )
        )
    for similar in plan.similar:
        if plan.skip_similar:
            message = _("{where}: {title} is similar to {existing} (skipped)")
        elif dry_run:
            message = _(
                "{where}: {title} is similar to {existing} (to be imported as {id}; review it)"
            )
        else:
            message = _("{where}: {title} is similar to {existing} (imported as {id}; review it)")
        print_note(
            message.format(
                where=similar.where,
                title=repr(similar.resource.title),
                existing=similar.similar_to,
                id=repr(similar.resource.id),
            )
        )
    for miss in plan.near_misses:
        print_warning(
            _("{where}: {field} {value} is close to the existing {existing}; kept as given").format(
                where=miss.where,
                field=field_in_prose(miss.field_name),
                value=repr(miss.value),
                existing=repr(miss.existing),
            )
        )
    print_note(
        _summary_text(dry_run=dry_run, skip_similar=plan.skip_similar).format(
            added=len(plan.added),
            duplicates=len(plan.duplicates),
            similar=len(plan.similar),
            rejected=len(plan.rejected),
        )
    )
    for line in field_summary(plan):
        print_note(line[:1].upper() + line[1:] + ".")


def _summary_text(*, dry_run: bool, skip_similar: bool) -> str:
    """The report's count line, one whole sentence for each case (verbs change with them)."""
    if dry_run and skip_similar:
        return _(
            "Would add {added}, skipped {duplicates} as duplicates, flagged {similar} as "
            "similar (skipped), rejected {rejected}."
        )
    if dry_run:
        return _(
            "Would add {added}, skipped {duplicates} as duplicates, flagged {similar} as "
            "similar, rejected {rejected}."
        )
    if skip_similar:
        return _(
            "Added {added}, skipped {duplicates} as duplicates, flagged {similar} as "
            "similar (skipped), rejected {rejected}."
        )
    return _(
        "Added {added}, skipped {duplicates} as duplicates, flagged {similar} as similar, "
        "rejected {rejected}."
    )


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
            ngettext(
                "{count} invalid record in {file}; nothing imported (--strict)",
                "{count} invalid records in {file}; nothing imported (--strict)",
                count,
            ).format(count=count, file=file)
        )
    if records and len(plan.rejected) == len(records):
        _report(plan, dry_run=True, read=notes.lines)
        raise CsecError(_("no valid record in {file}; nothing imported").format(file=file))
    if dry_run or not plan.added:
        _report(plan, dry_run=dry_run, read=notes.lines)
        if not records:
            print_note(_("{file} holds no resources.").format(file=file))
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
