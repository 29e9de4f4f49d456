"""What every format module shares: the export options, and the raw records a reader gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ExportOptions:
    """Choices that change how a format is written."""

    excel: bool = False
    protect_formulas: bool = True
    # Where the catalogue is, for what lives beside it: the team's thesaurus (html's filter box).
    catalogue_path: Path | None = None


@dataclass(frozen=True)
class ImportRecord:
    """One record as a file gives it: raw values by field name, or why it could not be read."""

    where: str
    fields: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
