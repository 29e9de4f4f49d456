"""Tests for csec_cli.stats: what `csec stats` counts, and how."""

from __future__ import annotations

from csec_cli.dates import PartialDate
from csec_cli.models import Resource
from csec_cli.stats import count_resources


def make(resource_id: str, year: int | None = None, **fields: object) -> Resource:
    """A resource with just the fields a test needs."""
    date = PartialDate(year) if year is not None else None
    return Resource(id=resource_id, title=resource_id, date=date, **fields)  # type: ignore[arg-type]


def test_years_run_without_gaps_and_undated_are_counted_apart() -> None:
    """Years from first to last each get a count (0 included); undated resources are not lost."""
    stats = count_resources([make("a", 2005), make("b", 2008), make("c", 2008), make("d")])
    assert stats.by_year == ((2005, 1), (2006, 0), (2007, 0), (2008, 2))
    assert stats.undated == 1
    assert stats.resources == 4


def test_no_dated_resource_gives_no_years() -> None:
    """A catalogue with no dates has an empty year chart, not a crash."""
    stats = count_resources([make("a"), make("b")])
    assert stats.by_year == ()
    assert stats.undated == 2


def test_values_group_without_case_or_accents_in_their_commonest_spelling() -> None:
    """'Panamá', 'panama' and 'Panamá' count as one country, named as most resources spell it."""
    resources = [
        make("a", countries=("Panamá",)),
        make("b", countries=("panama",)),
        make("c", countries=("Panamá", "Belize")),
        make("d"),
    ]
    stats = count_resources(resources)
    assert stats.by_country.counts == (("Panamá", 3), ("Belize", 1))
    assert stats.by_country.missing == 1


def test_a_resource_counts_once_per_value_and_ties_sort_alphabetically() -> None:
    """Multi-valued fields count each value; equal counts are listed A to Z."""
    resources = [
        make("a", audience=("trainers", "labour inspectors")),
        make("b", audience=("labour inspectors", "Labour inspectors")),
    ]
    stats = count_resources(resources)
    assert stats.by_audience.counts == (("labour inspectors", 2), ("trainers", 1))


def test_json_shape_has_every_count_and_what_is_missing() -> None:
    """to_json gives scripts every number, years as string keys, and the counts without a value."""
    stats = count_resources([make("a", 2009, type="manual", language="en"), make("b")])
    assert stats.to_json() == {
        "resources": 2,
        "by_year": {"2009": 1},
        "undated": 1,
        "by_type": {"manual": 1},
        "without_type": 1,
        "by_audience": {},
        "without_audience": 2,
        "by_country": {},
        "without_country": 2,
        "by_language": {"en": 1},
        "without_language": 1,
    }
