"""Dates known to the day, the month or only the year, without ever inventing the missing parts.

A resource's `date` is stored as a TOML local date when the day is known (`2009-03-01`) and as an
ISO 8601 reduced-precision string otherwise (`"2009-03"`, `"2009"`). The same ISO text is used in
JSON and CSV, so every format agrees on what is known.

Dates written only in numbers are read by one rule, never guessed: year first (`2009/3/1`,
`2009.03`) is always year-month-day; `3/2009` is a month and year; day and month before the year
(`15/03/2009`) are read day/month/year unless CSEC_DATE_ORDER=MDY, and refused with both readings
named when either order would do (`03/04/2011`) and no CSEC_DATE_ORDER says which the team uses.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Any

from csec_cli.i18n import _

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

# The environment variable naming the order a team writes numeric dates in, and its values.
DATE_ORDER_VARIABLE = "CSEC_DATE_ORDER"
DATE_ORDERS = ("DMY", "MDY")
# Text made only of digits, separators and perhaps a time: read by the rules below, never by
# dateutil, whose guesses (2009-3-1 read as 3 January) are what these rules replace.
_NUMERIC = re.compile(r"^[\d\s./:T-]+$")
# A time after the date, as spreadsheets add to a plain date ("2009-03-01 00:00:00").
_TIME = re.compile(r"^(?P<date>.*?\d)(?:\s+|T)(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_SEPARATOR = r"\s*[-/.\s]\s*"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})(?:{_SEPARATOR}(\d{{1,2}})(?:{_SEPARATOR}(\d{{1,2}}))?)?$")
_BASIC_ISO = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}){_SEPARATOR}(\d{{4}})$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{4}})$")
_SHORT_YEAR = re.compile(rf"^\d{{1,2}}{_SEPARATOR}\d{{1,2}}{_SEPARATOR}\d{{2}}$")

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
            raise ValueError(_("a day needs a month"))
        if not 1 <= self.year <= 9999:
            raise ValueError(_("year {year} is out of range").format(year=self.year))
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(_("month {month} does not exist").format(month=self.month))
        if self.day is not None:
            assert self.month is not None
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:  # 30 February; said as Python 3.11 says it, in the user's language
                raise ValueError(_("day is out of range for month")) from None

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError for anything else."""
        match = _ISO_PARTIAL.match(text.strip())
        if not match:
            raise ValueError(
                _("{text} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)").format(text=repr(text))
            )
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except ValueError as error:
            raise ValueError(_not_real(text, error)) from None

    @classmethod
    def from_toml(cls, value: Any) -> PartialDate:
        """Read a catalogue value: a TOML local date or an ISO reduced-precision string."""
        if isinstance(value, dt.datetime):
            raise ValueError(_("date must be a plain date (2009-03-01), not a date and time"))
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, str):
            return cls.from_iso(value)
        raise ValueError(
            _('date must be a TOML date or a "YYYY-MM"/"YYYY" string, not {value}').format(
                value=repr(value)
            )
        )

    @classmethod
    def parse(cls, text: str, order: str | None = None) -> PartialDate:
        """Read a date as people type it: ISO forms, "01 March 2009", "March 2009", "marzo 2009".

        Parts that are not written are left unknown rather than defaulted. `order` (DMY or MDY)
        says how to read 03/04/2011; None takes it from CSEC_DATE_ORDER, if set.
        """
        cleaned = text.strip()
        if not cleaned:
            raise ValueError(_("the date is empty"))
        if _ISO_PARTIAL.match(cleaned):
            return cls.from_iso(cleaned)
        if _NUMERIC.match(cleaned):
            return _parse_numeric_date(cleaned, order)
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
        """How people read it, in the interface language: `01 March 2009`, `March 2009` or
        `2009` (`1 de marzo de 2009`, `marzo de 2009`)."""
        if self.month is None:
            return f"{self.year}"
        month = month_name(self.month)
        if self.day is None:
            return _("{month} {year}").format(month=month, year=self.year)
        return _("{day:02d} {month} {year}").format(day=self.day, month=month, year=self.year)

    def sort_key(self) -> tuple[int, int, int]:
        """Chronological order; a year alone sorts before any month of that year."""
        return (self.year, self.month or 0, self.day or 0)

    def is_after(self, today: dt.date) -> bool:
        """True when even the earliest day this date could mean lies after `today`."""
        return (self.year, self.month or 1, self.day or 1) > (today.year, today.month, today.day)


def month_name(month: int) -> str:
    """The name of month 1-12 in the interface language, as written inside a date (`marzo`)."""
    from csec_cli.i18n import pgettext

    # Each name written out, so that the message catalogue's tools find them.
    names = (
        pgettext("month", "January"),
        pgettext("month", "February"),
        pgettext("month", "March"),
        pgettext("month", "April"),
        pgettext("month", "May"),
        pgettext("month", "June"),
        pgettext("month", "July"),
        pgettext("month", "August"),
        pgettext("month", "September"),
        pgettext("month", "October"),
        pgettext("month", "November"),
        pgettext("month", "December"),
    )
    return names[month - 1]


def date_order(environ: dict[str, str] | None = None) -> str | None:
    """The order CSEC_DATE_ORDER gives for day and month (DMY or MDY), or None when unset."""
    value = (os.environ if environ is None else environ).get(DATE_ORDER_VARIABLE, "").strip()
    if not value:
        return None
    if value.upper() not in DATE_ORDERS:
        raise ValueError(
            _("{variable} must be DMY or MDY, not {value}").format(
                variable=DATE_ORDER_VARIABLE, value=repr(value)
            )
        )
    return value.upper()


def _written(day: int, month: int, year: int) -> str:
    # Translators: a date in an error message, the day without a leading zero (3 April 2011).
    return _("{day} {month} {year}").format(day=day, month=month_name(month), year=year)


def _not_real(text: str, error: ValueError) -> str:
    return _("{text} is not a real date: {reason}").format(text=repr(text), reason=error)


def _time_of_day(text: str) -> str:
    return _("{text} has a time of day; give only the date").format(text=repr(text))


def _real(year: int, month: int | None, day: int | None = None) -> PartialDate | None:
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _parse_numeric_date(text: str, order: str | None) -> PartialDate:
    """A date written only in numbers; see the module docstring for the rules."""
    date_text = text
    time = _TIME.match(text)
    if time:
        # Only midnight, which spreadsheets append to every plain date, is not a time of day.
        if any(digit != "0" for digit in time.group("time") if digit.isdigit()):
            raise ValueError(_time_of_day(text))
        date_text = time.group("date")
    if match := _YEAR_FIRST.match(date_text) or _BASIC_ISO.match(date_text):
        year, month, day = (int(part) if part else None for part in match.groups())
        return _checked(text, year, month, day)
    if match := _MONTH_YEAR.match(date_text):
        month, year = (int(part) for part in match.groups())
        return _checked(text, year, month)
    if match := _DAY_MONTH_YEAR.match(date_text):
        first, second, year = (int(part) for part in match.groups())
        return _day_and_month(text, first, second, year, order or date_order())
    if _SHORT_YEAR.match(date_text):
        raise ValueError(
            _("{text} has a two-digit year; write the year in full, e.g. 2011-04-03").format(
                text=repr(text)
            )
        )
    if ":" in text:
        raise ValueError(_time_of_day(text))
    raise ValueError(
        _("{text} is not a date (write it year first: 2009-03-01, 2009-03 or 2009)").format(
            text=repr(text)
        )
    )


def _checked(text: str, year: int | None, month: int | None, day: int | None = None) -> PartialDate:
    assert year is not None
    try:
        return PartialDate(year, month, day)
    except ValueError as error:
        raise ValueError(_not_real(text, error)) from None


def _day_and_month(text: str, first: int, second: int, year: int, order: str | None) -> PartialDate:
    """Day and month before the year: read in the team's order, else only when unambiguous."""
    day_first = _real(year, second, first)
    month_first = _real(year, first, second)
    if first == second or (day_first is None and month_first is None):
        # Nothing to choose between: the one reading is used, or the team's order names the fault.
        return _checked(text, year, *((first, second) if order == "MDY" else (second, first)))
    if day_first and month_first and order is None:
        raise ValueError(
            _(
                "{text} could be {one} or {other}; write {one_iso} or {other_iso}, or set "
                "{variable}=DMY or MDY to say which order your team uses"
            ).format(
                text=repr(text),
                one=_written(first, second, year),
                other=_written(second, first, year),
                one_iso=day_first.iso(),
                other_iso=month_first.iso(),
                variable=DATE_ORDER_VARIABLE,
            )
        )
    # Without a setting, day/month/year is the order read: the one our users' countries use.
    wanted, wanted_name = (
        (month_first, _("month/day/year")) if order == "MDY" else (day_first, _("day/month/year"))
    )
    if wanted is not None:
        return wanted
    other = month_first if order != "MDY" else day_first
    assert other is not None and other.day is not None and other.month is not None
    month = first if order == "MDY" else second
    advice = (
        _("{variable} is {order}").format(variable=DATE_ORDER_VARIABLE, order=order)
        if order
        else _("set {variable}=MDY if your team writes month/day/year").format(
            variable=DATE_ORDER_VARIABLE
        )
    )
    raise ValueError(
        _(
            "{text} is not a {order} date (there is no month {month}); for {date} write {iso} "
            "({advice})"
        ).format(
            text=repr(text),
            order=wanted_name,
            month=month,
            date=_written(other.day, other.month, year),
            iso=other.iso(),
            advice=advice,
        )
    )


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
            raise ValueError(
                _("{text} is not a real date: that day does not exist").format(text=repr(text))
            ) from None
        raise ValueError(
            _("{text} is not a date (try 2009-03-01, 01 March 2009, March 2009 or 2009)").format(
                text=repr(text)
            )
        ) from None
    if first.year != second.year:
        raise ValueError(
            _("{text} has no year (try 2009-03-01, 01 March 2009 or March 2009)").format(
                text=repr(text)
            )
        )
    month = first.month if first.month == second.month else None
    day = first.day if first.day == second.day else None
    if month is None:
        day = None
    if first.time() != dt.time(0) or first.tzinfo is not None:
        raise ValueError(_time_of_day(text))
    return PartialDate(first.year, month, day)
