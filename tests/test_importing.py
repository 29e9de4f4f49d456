"""importing.py: what counts as the same title, and how raw values become resource fields."""

from __future__ import annotations

import datetime as dt

from csec_cli.formats import ImportRecord
from csec_cli.importing import plan_import, title_key

NOW = dt.datetime(2026, 11, 28, 18, 0, tzinfo=dt.UTC)


def test_title_key_ignores_case_accents_punctuation_and_spacing() -> None:
    """ "Niños: la  RESPUESTA!" and "ninos la respuesta" are one title; different words are not."""
    assert title_key("Niños: la  RESPUESTA!") == title_key("ninos la respuesta")
    assert title_key("Bulletin No. 5") != title_key("Bulletin No. 6")


def test_json_values_of_the_wrong_kind_are_rejected() -> None:
    """A number where a list of text belongs, or a title that is not text, rejects the record."""
    records = [
        ImportRecord("entry 1", {"title": "Fine", "topics": ["a", " b "], "date": 2009}),
        ImportRecord("entry 2", {"title": "Bad topics", "topics": 5}),
        ImportRecord("entry 3", {"title": ["not", "text"]}),
        ImportRecord("entry 4", problem="is not an object with field names"),
    ]
    plan = plan_import(records, [], set(), now=NOW)
    assert [r.title for r in plan.added] == ["Fine"]
    assert plan.added[0].topics == ("a", "b")
    assert plan.added[0].date is not None and plan.added[0].date.iso() == "2009"
    assert plan.added[0].added == NOW
    assert [r.where for r in plan.rejected] == ["entry 2", "entry 3", "entry 4"]


def test_given_ids_are_kept_when_valid_and_free() -> None:
    """A record's own id is kept if it is valid and unused; otherwise one is made from the title."""
    records = [
        ImportRecord("entry 1", {"id": "my-id", "title": "First"}),
        ImportRecord("entry 2", {"id": "taken", "title": "Second title"}),
        ImportRecord("entry 3", {"id": "Not Valid!", "title": "Third title"}),
    ]
    plan = plan_import(records, [], {"taken"}, now=NOW)
    assert [r.id for r in plan.added] == ["my-id", "second-title", "third-title"]


def test_similar_titles_found_among_titles_of_other_lengths() -> None:
    """The length window skips only titles that cannot reach the threshold, never a close one."""
    existing_titles = ["x" * 5, "Update Sialkot - Issue 1", "y" * 200, "Tracer Study - PARAGUAY"]
    records = [
        ImportRecord(f"row {n}", {"title": title})
        for n, title in enumerate([*existing_titles, "Update Sialkot - Issue 2", "z" * 40], start=2)
    ]
    plan = plan_import(records, [], set(), now=NOW)
    assert [(s.where, s.similar_to) for s in plan.similar] == [("row 6", "row 3")]
