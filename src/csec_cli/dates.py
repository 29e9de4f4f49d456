"""Dates known to the day, the month or only the year, without ever inventing the missing parts.

A resource's `date` is stored as a TOML local date when the day is known (`2009-03-01`) and as an
ISO 8601 reduced-precision string otherwise (`"2009-03"`, `"2009"`). The same ISO text is used in
JSON and CSV, so every format agrees on what is known.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Spanish and Portuguese month names: many of our users catalogue Latin American material and
# copy dates from it as printed.
_EXTRA_MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6,
    "julho": 7, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
}  # fmt: skip


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date whose month and day may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
        if self.day is not None:
            assert self.month is not None
            dt.date(self.year, self.month, self.day)  # raises ValueError for 30 February

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError for anything else."""
        match = _ISO_PARTIAL.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date: {error}") from None

    @classmethod
    def from_toml(cls, value: Any) -> PartialDate:
        """Read a catalogue value: a TOML local date or an ISO reduced-precision string."""
        if isinstance(value, dt.datetime):
            raise ValueError("date must be a plain date (2009-03-01), not a date and time")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, str):
            return cls.from_iso(value)
        raise ValueError(f'date must be a TOML date or a "YYYY-MM"/"YYYY" string, not {value!r}')

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read a date as people type it: ISO forms, "01 March 2009", "March 2009", "marzo 2009".

        Parts that are not written are left unknown rather than defaulted.
        """
        cleaned = text.strip()
        if not cleaned:
            raise ValueError("the date is empty")
        if _ISO_PARTIAL.match(cleaned):
            return cls.from_iso(cleaned)
        return _parse_written_date(cleaned)

    def to_toml(self) -> dt.date | str:
        """The value written to the catalogue."""
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        return self.iso()

    def iso(self) -> str:
        """`2009-03-01`, `2009-03` or `2009`."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """How people read it: `01 March 2009`, `March 2009` or `2009`."""
        if self.month is None:
            return f"{self.year}"
        if self.day is None:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{self.day:02d} {MONTH_NAMES[self.month - 1]} {self.year}"

    def sort_key(self) -> tuple[int, int, int]:
        """Chronological order; a year alone sorts before any month of that year."""
        return (self.year, self.month or 0, self.day or 0)

    def is_after(self, today: dt.date) -> bool:
        """True when even the earliest day this date could mean lies after `today`."""
        return (self.year, self.month or 1, self.day or 1) > (today.year, today.month, today.day)


def _parse_written_date(text: str) -> PartialDate:
    """Parse free text with dateutil, detecting which parts were really given."""
    from dateutil import parser as date_parser

    normalised = text.lower()
    for name, number in _EXTRA_MONTHS.items():
        normalised = re.sub(rf"\b{name}\b", MONTH_NAMES[number - 1], normalised)
    normalised = re.sub(r"\bde(l)?\b", " ", normalised)  # "1 de marzo de 2009"

    # Parsing against two different defaults reveals which fields came from the text: a field
    # that differs between the two results was filled in by the default, not by the user.
    first_default = dt.datetime(2000, 1, 1)
    second_default = dt.datetime(2001, 2, 2)
    try:
        first = date_parser.parse(normalised, default=first_default, dayfirst=True)
        second = date_parser.parse(normalised, default=second_default, dayfirst=True)
    except (ValueError, OverflowError) as error:
        if "out of range" in str(error):
            raise ValueError(f"{text!r} is not a real date: that day does not exist") from None
        raise ValueError(
            f"{text!r} is not a date (try 2009-03-01, 01 March 2009, March 2009 or 2009)"
        ) from None
    if first.year != second.year:
        raise ValueError(f"{text!r} has no year (try 2009-03-01, 01 March 2009 or March 2009)")
    month = first.month if first.month == second.month else None
    day = first.day if first.day == second.day else None
    if month is None:
        day = None
    if first.time() != dt.time(0) or first.tzinfo is not None:
        raise ValueError(f"{text!r} has a time of day; give only the date")
    return PartialDate(first.year, month, day)
