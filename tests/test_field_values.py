"""Field parsing shared by add and edit, and the similarity checks they rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csec_cli.checks import (
    _title_key,
    _title_keys,
    find_similar_titles,
    known_values,
    propose_spelling,
)
from csec_cli.dates import PartialDate
from csec_cli.errors import InvalidValueError
from csec_cli.field_values import parse_date, parse_language, parse_list, parse_title, parse_url
from csec_cli.models import Resource, fold_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2009-03-01", PartialDate(2009, 3, 1)),
        ("01 March 2009", PartialDate(2009, 3, 1)),
        ("March 2009", PartialDate(2009, 3)),
        ("2009-03", PartialDate(2009, 3)),
        ("2009", PartialDate(2009)),
    ],
)
def test_parse_date_never_invents_parts(text: str, expected: PartialDate) -> None:
    """Each accepted form keeps exactly the parts written."""
    assert parse_date(text, today=dt.date(2026, 11, 28)) == expected


@pytest.mark.parametrize("text", ["2009-02-30", "someday", "", "2027"])
def test_parse_date_refuses_impossible_empty_and_future(text: str) -> None:
    """Impossible, empty and future dates are refused with a message."""
    with pytest.raises(InvalidValueError):
        parse_date(text, today=dt.date(2026, 11, 28))


def test_simple_parsers() -> None:
    """Titles keep what was typed but outer spaces, languages are lower-cased, urls must be
    http(s), lists deduplicated."""
    assert parse_title("  Taking   action! ") == "Taking   action!"
    assert parse_language(" ES ") == "es"
    assert parse_url("https://www.ilo.org/x") == "https://www.ilo.org/x"
    assert parse_list(["Panamá", "panama", " Belize "], "countries") == ("Panamá", "Belize")
    for bad in (
        lambda: parse_title("  "),
        lambda: parse_title("Line one\nline two"),
        lambda: parse_language("spa"),
        lambda: parse_url("ftp://x"),
    ):
        with pytest.raises(InvalidValueError):
            bad()


KNOWN = ["labour inspectors", "child labour", "media", "Costa Rica"]


@pytest.mark.parametrize(
    ("value", "proposal"),
    [
        ("labour inspector", "labour inspectors"),
        ("child labor", "child labour"),
        ("costa rica", "Costa Rica"),
        ("medical", None),
        ("media", None),
        ("trafficking", None),
    ],
)
def test_propose_spelling(value: str, proposal: str | None) -> None:
    """Near misses and case variants get the existing spelling; new or exact values do not."""
    assert propose_spelling(value, KNOWN) == proposal


def test_find_similar_titles_ignores_case_accents_and_punctuation() -> None:
    """A title differing only in case, accents, punctuation or a small word is found."""
    resources = [
        Resource(id="a", title="How to work strategically with the media?"),
        Resource(id="b", title="Bulletin No. 5: Prevención"),
    ]
    assert [
        r.id for r in find_similar_titles("how to work strategically with media", resources)
    ] == ["a"]
    assert [r.id for r in find_similar_titles("BULLETIN NO 5 PREVENCION", resources)] == ["b"]
    assert find_similar_titles("A study of something else", resources) == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=1),
            st.text(min_size=1),
            st.sampled_from([" Señales ", "ﬁnal ǅ", "STRAẞE", "\x1c title \x1f", "a\u0301"]),
        ),
        max_size=20,
    )
)
def test_title_keys_of_many_titles_equal_each_title_keyed_alone(titles: list[str]) -> None:
    """Keying all titles at once (ASCII ones in C) gives exactly each title's own key."""
    resources = [Resource(id=f"r{n}", title=title) for n, title in enumerate(titles)]
    assert _title_keys(resources) == [_title_key(title) for title in titles]


def test_known_values_most_used_first() -> None:
    """Existing values are offered most used first."""
    resources = [
        Resource(id="a", title="A", audience=("judges", "police")),
        Resource(id="b", title="B", audience=("police",)),
    ]
    assert known_values(resources, "audience") == ["police", "judges"]


WORDS = st.sampled_from(["manual", "Manual", "study", "Study", "leaflet", "Guía", "guia", ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | WORDS, st.lists(WORDS, max_size=3)), max_size=30))
def test_known_values_counts_every_use_of_a_text_or_list_field(
    fields: list[tuple[str | None, list[str]]],
) -> None:
    """Each value is counted once per use (an empty or missing text value is no value), most
    used first, ties in folded alphabetical order."""
    resources = [
        Resource(id=f"r{n}", title="T", type=type_, topics=tuple(topics))
        for n, (type_, topics) in enumerate(fields)
    ]
    for name, uses in [
        ("type", [type_ for type_, _ in fields if type_]),
        ("topics", [topic for _, topics in fields for topic in topics]),
    ]:
        counts = {value: uses.count(value) for value in uses}
        expected = sorted(counts, key=lambda value: (-counts[value], fold_text(value)))
        assert known_values(resources, name) == expected
