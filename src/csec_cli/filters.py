"""The filters shared by list, search, export and stats, and the orders resources are listed in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from csec_cli.models import Resource, fold_text

SortKey = Literal["date", "title", "added"]


@dataclass(frozen=True)
class ResourceFilter:
    """Which resources a command works on; values compare without case or accents.

    Several values of one option mean "any of these"; different options must all hold.
    """

    types: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None

    def matches(self, resource: Resource) -> bool:
        """True when the resource passes every filter given."""
        if self.types and not _any_equal(self.types, (resource.type or "",)):
            return False
        if self.audiences and not _any_equal(self.audiences, resource.audience):
            return False
        if self.countries and not _any_equal(self.countries, resource.countries):
            return False
        if self.topics and not _any_equal(self.topics, resource.topics):
            return False
        if self.languages and not _any_equal(self.languages, (resource.language or "",)):
            return False
        if self.authors and not _any_author(self.authors, resource.authors):
            return False
        if self.since is not None or self.until is not None:
            # An undated resource cannot be said to fall in a range of years.
            if resource.date is None:
                return False
            if self.since is not None and resource.date.year < self.since:
                return False
            if self.until is not None and resource.date.year > self.until:
                return False
        return True

    def apply(self, resources: Iterable[Resource]) -> list[Resource]:
        """The resources that pass, in their original order."""
        return [resource for resource in resources if self.matches(resource)]


def _any_equal(wanted: Sequence[str], values: Sequence[str]) -> bool:
    folded = {fold_text(value) for value in values}
    return any(fold_text(item) in folded for item in wanted)


def _any_author(wanted: Sequence[str], authors: Sequence[str]) -> bool:
    """Any wanted name is part of an author's: each of its words appears in one author's name,
    in any order, so "perez" and "ana pérez" find "Pérez, Ana María", "OIT" finds "OIT/IPEC"."""
    names = [fold_text(author) for author in authors]
    for value in wanted:
        words = fold_text(value).replace(",", " ").split()
        if any(all(word in name for word in words) for name in names):
            return True
    return False


def sort_resources(resources: Iterable[Resource], key: SortKey = "date") -> list[Resource]:
    """Newest first for date and added (undated last); A to Z for title."""
    items = list(resources)
    if key == "title":
        return sorted(items, key=lambda resource: fold_text(resource.title))
    if key == "added":
        dated = [resource for resource in items if resource.added is not None]
        undated = [resource for resource in items if resource.added is None]
        return (
            sorted(dated, key=lambda r: r.added.timestamp() if r.added else 0, reverse=True)
            + undated
        )
    with_date = [resource for resource in items if resource.date is not None]
    without_date = [resource for resource in items if resource.date is None]
    with_date.sort(
        key=lambda resource: resource.date.sort_key() if resource.date else (0, 0, 0), reverse=True
    )
    return with_date + without_date
