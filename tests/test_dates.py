"""Tests for dates.PartialDate: parsing what people type, storing without inventing parts."""

from __future__ import annotations

import datetime as dt

import pytest

from csec_cli.dates import PartialDate


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2009-03-01", "2009-03-01"),
        ("01 March 2009", "2009-03-01"),
        ("1 march 2009", "2009-03-01"),
        ("March 2009", "2009-03"),
        ("2009-03", "2009-03"),
        ("2009", "2009"),
        ("marzo 2009", "2009-03"),
        ("1 de marzo de 2009", "2009-03-01"),
    ],
)
def test_parse_accepts_the_forms_people_type(typed: str, iso: str) -> None:
    """Each written form is read to exactly the precision it gives."""
    assert PartialDate.parse(typed).iso() == iso


@pytest.mark.parametrize(
    "typed", ["2009-02-30", "2009-13", "hello", "March", "", "2009-03-01 10:00"]
)
def test_parse_rejects_impossible_or_incomplete_dates(typed: str) -> None:
    """Impossible dates, text without a year and times are refused with a ValueError."""
    with pytest.raises(ValueError):
        PartialDate.parse(typed)


def test_month_only_date_is_stored_as_string_and_full_date_as_toml_date() -> None:
    """A day is never invented: only full dates become TOML dates."""
    assert PartialDate(2009, 3).to_toml() == "2009-03"
    assert PartialDate(2009).to_toml() == "2009"
    assert PartialDate(2009, 3, 1).to_toml() == dt.date(2009, 3, 1)


def test_from_toml_reads_dates_and_partial_strings_but_not_datetimes() -> None:
    """The catalogue may hold a TOML date or an ISO partial string, nothing else."""
    assert PartialDate.from_toml(dt.date(2008, 11, 1)) == PartialDate(2008, 11, 1)
    assert PartialDate.from_toml("2008-11") == PartialDate(2008, 11)
    with pytest.raises(ValueError):
        PartialDate.from_toml(dt.datetime(2008, 11, 1, 10, 0))
    with pytest.raises(ValueError):
        PartialDate.from_toml(2008)


def test_display_shows_only_known_parts() -> None:
    """People read `01 March 2009`, `March 2009` or `2009`."""
    assert PartialDate(2009, 3, 1).display() == "01 March 2009"
    assert PartialDate(2009, 3).display() == "March 2009"
    assert PartialDate(2009).display() == "2009"


def test_sort_key_puts_year_only_before_its_months() -> None:
    """Chronological order treats a bare year as its earliest moment."""
    dates = [PartialDate(2009, 3, 1), PartialDate(2009), PartialDate(2009, 2)]
    assert sorted(dates, key=PartialDate.sort_key) == [
        PartialDate(2009),
        PartialDate(2009, 2),
        PartialDate(2009, 3, 1),
    ]


def test_is_after_compares_with_the_earliest_day_meant() -> None:
    """A date is in the future only if even its first possible day is."""
    today = dt.date(2026, 11, 28)
    assert PartialDate(2026, 12).is_after(today)
    assert not PartialDate(2026).is_after(today)
    assert not PartialDate(2026, 11, 28).is_after(today)


def test_a_day_that_does_not_exist_is_named_as_such() -> None:
    """ "30 February 2010" is explained as an impossible day, not as unreadable text."""
    with pytest.raises(ValueError, match="not a real date: that day does not exist"):
        PartialDate.parse("30 February 2010")
