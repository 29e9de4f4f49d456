"""Counting resources for `csec stats`: per year, type, audience, country and language.

Values are grouped the way filters compare them (spellings.value_key: case, accents, UK/US
spelling, singular or plural), so "Panamá" and "panama", or "labour inspector" and "Labor
Inspectors", count as one, shown in their most frequent spelling. Resources without a value are
counted apart (undated, no type…) rather than dropped, so every chart adds up to the catalogue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from csec_cli.models import Resource
from csec_cli.spellings import value_key


@dataclass(frozen=True)
class ValueCounts:
    """How many resources carry each value of one field, most frequent first."""

    counts: tuple[tuple[str, int], ...]
    missing: int

    def as_dict(self) -> dict[str, int]:
        """Value → count, in the same order."""
        return dict(self.counts)


@dataclass(frozen=True)
class CatalogueStats:
    """The numbers `csec stats` draws.

    `by_year` runs from the earliest to the latest year without gaps (a year with nothing
    counts 0), so the chart's time axis is honest.
    """

    resources: int
    by_year: tuple[tuple[int, int], ...]
    undated: int
    by_type: ValueCounts
    by_audience: ValueCounts
    by_country: ValueCounts
    by_language: ValueCounts

    def to_json(self) -> dict[str, Any]:
        """The numbers as a JSON-ready object (years as string keys, JSON has no others)."""
        return {
            "resources": self.resources,
            "by_year": {str(year): count for year, count in self.by_year},
            "undated": self.undated,
            "by_type": self.by_type.as_dict(),
            "without_type": self.by_type.missing,
            "by_audience": self.by_audience.as_dict(),
            "without_audience": self.by_audience.missing,
            "by_country": self.by_country.as_dict(),
            "without_country": self.by_country.missing,
            "by_language": self.by_language.as_dict(),
            "without_language": self.by_language.missing,
        }


def count_resources(resources: Sequence[Resource]) -> CatalogueStats:
    """Count the given resources by year, type, audience, country and language."""
    years = Counter(resource.date.year for resource in resources if resource.date is not None)
    by_year: tuple[tuple[int, int], ...] = ()
    if years:
        first, last = min(years), max(years)
        by_year = tuple((year, years.get(year, 0)) for year in range(first, last + 1))
    return CatalogueStats(
        resources=len(resources),
        by_year=by_year,
        undated=sum(resource.date is None for resource in resources),
        by_type=count_values(resources, lambda resource: _present(resource.type)),
        by_audience=count_values(resources, lambda resource: resource.audience),
        by_country=count_values(resources, lambda resource: resource.countries),
        by_language=count_values(resources, lambda resource: _present(resource.language)),
    )


def count_values(
    resources: Iterable[Resource], values_of: Callable[[Resource], Iterable[str]]
) -> ValueCounts:
    """Count resources per value of a field; a resource with several values counts for each."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    missing = 0
    for resource in resources:
        keys: dict[str, str] = {}
        for value in values_of(resource):
            if value.strip():
                keys.setdefault(value_key(value), value.strip())
        if not keys:
            missing += 1
        for key, spelling in keys.items():
            counts[key] += 1
            spellings.setdefault(key, Counter())[spelling] += 1
    ordered = sorted(counts, key=lambda key: (-counts[key], key))
    named = tuple((spellings[key].most_common(1)[0][0], counts[key]) for key in ordered)
    return ValueCounts(named, missing)


def _present(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()
