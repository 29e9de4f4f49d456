"""What every format module shares: the export options, the raw records a reader gives, and the
tallies of what a format could not carry as it is, which the commands report in one line each."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csec_cli.i18n import _, ngettext
from csec_cli.models import iso_datetime


@dataclass
class ExportReport:
    """What a writer left out or changed, counted in resources per (key, outcome)."""

    left_out: Counter[str] = field(default_factory=Counter)
    as_text: Counter[str] = field(default_factory=Counter)
    one_line: Counter[str] = field(default_factory=Counter)

    def could_not_write(self, key: str) -> None:
        """One more resource whose `key` the format has no place for."""
        self.left_out[key] += 1

    def wrote_as_text(self, key: str) -> None:
        """One more resource whose `key` (a number, date or list) the format can only hold as text."""
        self.as_text[key] += 1

    def lines(self, format_name: str) -> list[str]:
        """One line per key, for stderr."""
        found = [
            _(
                "could not write {key} in {format} for {resources} (the format has no place for "
                "it; json keeps every key)"
            ).format(key=repr(key), format=format_name, resources=_resources(count))
            for key, count in sorted(self.left_out.items())
        ]
        found += [
            _("wrote {key} as text in {format} for {resources} (it reads back as text)").format(
                key=repr(key), format=format_name, resources=_resources(count)
            )
            for key, count in sorted(self.as_text.items())
        ]
        found += [
            _(
                "wrote {key} on one line in {format} for {resources} (the format has no line "
                "breaks)"
            ).format(key=repr(key), format=format_name, resources=_resources(count))
            for key, count in sorted(self.one_line.items())
        ]
        return found


def _resources(count: int) -> str:
    return ngettext("{count} resource", "{count} resources", count).format(count=count)


@dataclass(frozen=True)
class ExportOptions:
    """Choices that change how a format is written, and the report a writer fills in."""

    excel: bool = False
    protect_formulas: bool = True
    delimiter: str = ","
    # The extra keys the resources hold, when the caller has counted them (csv writes a column
    # for each); None: the writer counts them itself.
    extra_keys: tuple[str, ...] | None = None
    report: ExportReport = field(default_factory=ExportReport, compare=False)
    # Where the catalogue is, for what lives beside it: the team's thesaurus (html's filter box).
    catalogue_path: Path | None = None


@dataclass(frozen=True)
class ImportRecord:
    """One record as a file gives it: raw values by field name, or why it could not be read.

    `sources` names, for a key of `fields`, what the file calls it when that differs ("AU" for
    authors, "J2" for the extra key alternate_title1), so the import can say what became of it;
    `dropped` names what the reader read but could not keep at all.
    """

    where: str
    fields: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()


@dataclass
class ImportNotes:
    """What a reader says once about the whole file ("read as semicolon-separated")."""

    lines: list[str] = field(default_factory=list)


def scalar_text(value: Any) -> str | None:
    """A number, truth value, date or time as the text a cell or field holds; None for others."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return iso_datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return None
