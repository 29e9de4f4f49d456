"""Round-trip properties: whatever csec accepts survives write → read → write unchanged."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csec_cli.catalogue import (
    CatalogueLocation,
    append_resource,
    load_catalogue,
    render_resource,
    save_catalogue,
)
from csec_cli.checks import check_catalogue
from csec_cli.dates import PartialDate
from csec_cli.field_values import parse_list
from csec_cli.models import FIELD_ORDER, Resource, resource_from_table
from identifier_strategies import isbns, issns

# Reliability tests drive many processes or examples: left out of the fast loop (-m "not slow").
pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Examples that write files cost more; fewer of them still cover the shapes that matter.
FILE_SETTINGS = settings(SETTINGS, max_examples=60)
TODAY = dt.date(2026, 11, 28)

# Any text at all: unicode, quotes, newlines, CR, backslashes, control characters, `"""`, `[`.
_pieces = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(['"', "'", "\\", "\n", "\r", "\r\n", '"""', "\n[[resources]]\n", "#", "="]),
)
any_text = st.lists(_pieces, max_size=30).map("".join)
title_text = any_text.filter(lambda text: bool(text.strip()))
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)


@st.composite
def partial_dates(draw: st.DrawFn, until: dt.date = dt.date(9999, 12, 31)) -> PartialDate:
    """A date known to the day, the month or only the year, not after `until`."""
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=until))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


added_times = st.one_of(
    st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))]),
    ),
    st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
extra_keys = any_text.filter(lambda key: key not in FIELD_ORDER)
extra_values = st.recursive(
    st.one_of(
        any_text,
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.booleans(),
        st.floats(allow_nan=False),
        st.dates(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(any_text, inner, max_size=3)
    ),
    max_leaves=6,
)


def resources(
    text: st.SearchStrategy[str] = any_text,
    urls: st.SearchStrategy[str] = any_text,
    dates: st.SearchStrategy[PartialDate] | None = None,
    extras: bool = True,
    lists: st.SearchStrategy[tuple[str, ...]] | None = None,
    numbers: tuple[st.SearchStrategy[str], st.SearchStrategy[str]] | None = None,
) -> st.SearchStrategy[Resource]:
    """Valid resources, every optional field sometimes absent; `numbers` draws the ISBN and
    ISSN (any text by default: only `check` looks at their check digits)."""
    optional = lambda strategy: st.none() | strategy  # noqa: E731
    texts = lists if lists is not None else st.lists(text, max_size=3).map(tuple)
    return st.builds(
        Resource,
        id=ids,
        title=title_text,
        date=optional(dates if dates is not None else partial_dates()),
        summary=optional(text),
        type=optional(text),
        audience=texts,
        topics=texts,
        countries=texts,
        language=optional(st.from_regex(r"[a-z]{2}", fullmatch=True)),
        publisher=optional(text),
        url=optional(urls),
        added=optional(added_times),
        authors=texts,
        isbn=optional(numbers[0] if numbers else text),
        issn=optional(numbers[1] if numbers else text),
        place=optional(text),
        series=optional(text),
        notes=optional(text),
        files=texts,
        extra=st.dictionaries(extra_keys, extra_values, max_size=3) if extras else st.just({}),
    )


@SETTINGS
@given(resources())
def test_any_valid_resource_survives_write_read_write(resource: Resource) -> None:
    """A resource written as TOML reads back equal and writes again to the same text."""
    text = render_resource(resource)
    [table] = tomli.loads(text)["resources"]
    again = resource_from_table(table)
    assert again == resource
    assert render_resource(again) == text


def unique_by_id(items: list[Resource]) -> list[Resource]:
    """The resources with the first of each id only (append refuses a duplicate)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            kept.append(item)
    return kept


plain_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=30)
web_addresses = plain_text.map(lambda path: "https://example.org/" + quote(path))


def _as_added(typed: list[str]) -> tuple[str, ...]:
    # The items add stores for these flags: ';' separates, spaces are tidied, blanks refused.
    return parse_list([item for item in typed if item.replace(";", " ").split()], "topics")


added_lists = st.lists(plain_text, max_size=3).map(_as_added)


@FILE_SETTINGS
@given(
    # What `csec check` calls an error (a future date, a url that is not a web address, a wrong
    # ISBN) is never written; any value at all round-trips in test_any_valid_resource_survives_….
    items=st.lists(
        resources(
            urls=web_addresses,
            dates=partial_dates(until=TODAY),
            lists=added_lists,
            numbers=(isbns(), issns()),
        ),
        min_size=1,
        max_size=4,
    ).map(unique_by_id),
    header=st.sampled_from(["", "# Our team's catalogue\n# kept in git\n"]),
    crlf=st.booleans(),
    bom=st.booleans(),
)
def test_a_catalogue_built_by_appends_reads_back_and_rewrites_unchanged(
    items: list[Resource], header: str, crlf: bool, bom: bool
) -> None:
    """Appended resources read back equal, and a full rewrite gives the very same bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "resources.toml"
        if header:  # else the file does not exist yet and the first append creates it
            start = header.replace("\n", "\r\n") if crlf else header
            path.write_bytes(("\ufeff" if bom else "").encode() + start.encode())
        location = CatalogueLocation(path, "--catalogue")
        for item in items:
            append_resource(location, item)
        written = path.read_bytes()
        catalogue = load_catalogue(path)
        assert catalogue.problems == []
        assert catalogue.resources == items
        save_catalogue(catalogue)
        assert load_catalogue(path).resources == items
        assert path.read_bytes() == written


@FILE_SETTINGS
@given(
    st.lists(
        resources(
            text=plain_text,
            urls=web_addresses,
            dates=partial_dates(until=TODAY),
            extras=False,
            lists=added_lists,
            numbers=(isbns(), issns()),
        ),
        min_size=1,
        max_size=5,
    ).map(unique_by_id)
)
def test_any_catalogue_csec_writes_passes_check(items: list[Resource]) -> None:
    """A catalogue written by csec from values add accepts has no errors in `csec check`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "resources.toml"
        location = CatalogueLocation(path, "--catalogue")
        for item in items:
            append_resource(location, item)
        problems = check_catalogue(load_catalogue(path), today=TODAY)
        assert [problem for problem in problems if problem.severity == "error"] == []
