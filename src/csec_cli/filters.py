"""The filters shared by list, search, export and stats, and the orders resources are listed in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from csec_cli.i18n import _, either, pgettext
from csec_cli.models import Resource, fold_text
from csec_cli.spellings import KnownValues, count_field_values, value_key

SortKey = Literal["date", "title", "added"]
# The filters that compare text, by option name: the field each reads.
TEXT_FILTERS = {
    "type": "type",
    "audience": "audience",
    "country": "countries",
    "topic": "topics",
    "language": "language",
}


@dataclass(frozen=True)
class ResourceFilter:
    """Which resources a command works on; a value matches the values alike to it
    (spellings.value_key: case, accents, UK/US spelling, singular or plural).

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

    def text_values(self) -> list[tuple[str, tuple[str, ...]]]:
        """(option name, values given) for each text filter, in TEXT_FILTERS order."""
        given = {
            "type": self.types,
            "audience": self.audiences,
            "country": self.countries,
            "topic": self.topics,
            "language": self.languages,
        }
        return [(option, values) for option, values in given.items() if values]


@dataclass(frozen=True)
class FilterMiss:
    """A filter value that no resource has, with the stored values close to it."""

    option: str
    value: str
    suggestions: tuple[str, ...]

    def describe(self) -> str:
        """ "No resource has audience 'x'; did you mean 'y'?" (one line for stderr)."""
        option = _filter_in_prose(self.option)
        if self.suggestions:
            # Translators: {suggestions} are values joined as "'a', 'b' or 'c'" (its own message).
            return _("No resource has {option} {value}; did you mean {suggestions}?").format(
                option=option,
                value=repr(self.value),
                suggestions=either([repr(suggestion) for suggestion in self.suggestions]),
            )
        return _("No resource has {option} {value}.").format(option=option, value=repr(self.value))


def _filter_in_prose(option: str) -> str:
    """A filter's name in a sentence, in the interface language (English: the option's name)."""
    names = {
        "type": pgettext("filter", "type"),
        "audience": pgettext("filter", "audience"),
        "country": pgettext("filter", "country"),
        "topic": pgettext("filter", "topic"),
        "language": pgettext("filter", "language"),
    }
    return names.get(option, option)


# More suggestions than this for one value are more noise than help.
_SUGGESTIONS = 3


def filter_misses(chosen: ResourceFilter, resources: Sequence[Resource]) -> list[FilterMiss]:
    """The filter values no resource has (before any other filter narrows the set), each with
    the close stored values (spellings.keys_close) in their most used spelling."""
    misses: list[FilterMiss] = []
    for option, wanted in chosen.text_values():
        # Counted by spelling first: a catalogue repeats a few hundred values many times over.
        spellings = count_field_values(resources, TEXT_FILTERS[option])
        stored = {value_key(spelling) for spelling in spellings}
        missing = [value for value in wanted if value_key(value) not in stored]
        if not missing:
            continue
        known = KnownValues()
        for spelling, uses in spellings.items():
            known.add(spelling, uses)
        for value in missing:
            key = value_key(value)
            close = known.close_keys(key)[:_SUGGESTIONS]
            misses.append(FilterMiss(option, value, tuple(known.preferred(k) for k in close)))
    return misses


def _any_equal(wanted: Sequence[str], values: Sequence[str]) -> bool:
    # A value that folds to nothing ("", "!!!") is no value: it matches no resource.
    keys = {value_key(value) for value in values} - {""}
    return any(value_key(item) in keys for item in wanted)


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
