"""Tests for models: validating catalogue tables and converting resources to TOML and JSON."""

from __future__ import annotations

import datetime as dt

import pytest

from csec_cli.dates import PartialDate
from csec_cli.models import (
    Resource,
    ResourceProblem,
    fold_text,
    make_id,
    resource_from_table,
    resource_to_json,
    resource_to_table,
)


def test_valid_table_becomes_a_resource_with_unknown_keys_kept() -> None:
    """Known fields are typed; keys csec does not know go to `extra` untouched."""
    resource = resource_from_table(
        {"id": "a", "title": "T", "date": "2009-03", "audience": ["x"], "shelf": {"row": 2}}, 7
    )
    assert resource.date == PartialDate(2009, 3)
    assert resource.audience == ("x",)
    assert resource.extra == {"shelf": {"row": 2}}
    assert resource.line == 7


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"title": "T"}, "has no id"),
        ({"id": 3, "title": "T"}, "id must be a non-empty string"),
        ({"id": "a"}, "has no title"),
        ({"id": "a", "title": 42}, "title must be a non-empty string"),
        ({"id": "a", "title": "  "}, "title must be a non-empty string"),
        ({"id": "a", "title": "T", "date": "2009-02-30"}, "not a real date"),
        ({"id": "a", "title": "T", "audience": "inspectors"}, "must be a list of strings"),
        ({"id": "a", "title": "T", "topics": [1]}, "must be a list of strings"),
        ({"id": "a", "title": "T", "url": 5}, "url must be a string"),
        ({"id": "a", "title": "T", "added": "yesterday"}, "added must be a TOML date-time"),
    ],
)
def test_invalid_tables_are_refused_with_a_reason(table: dict[str, object], fragment: str) -> None:
    """Each kind of fault gives a ResourceProblem that names it."""
    with pytest.raises(ResourceProblem, match=fragment):
        resource_from_table(table)


def test_table_order_is_contract_order_then_unknown_keys_sorted() -> None:
    """Writes are deterministic: known fields first in a fixed order, then extras A–Z."""
    resource = Resource(
        id="a", title="T", language="en", summary="S", extra={"zeta": 1, "alpha": 2},
        date=PartialDate(2009, 3, 1), countries=("Belize",),
    )  # fmt: skip
    assert list(resource_to_table(resource)) == [
        "id", "title", "date", "summary", "countries", "language", "alpha", "zeta",
    ]  # fmt: skip


def test_json_has_every_field_with_iso_dates() -> None:
    """JSON objects carry all contract fields, null or [] when absent, dates as ISO text."""
    added = dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.UTC)
    data = resource_to_json(Resource(id="a", title="T", date=PartialDate(2009, 3), added=added))
    assert data["date"] == "2009-03"
    assert data["added"] == "2026-11-28T10:15:00Z"
    assert data["audience"] == [] and data["url"] is None


_RECORD_TABLE = {
    "id": "a",
    "title": "T",
    "notes": "Also in Spanish.",
    "authors": ["Pérez, Ana María", "OIT/IPEC"],
    "isbn": "978-92-2-122345-0",
    "issn": "2227-2704",
    "place": "San José",
    "series": "Thematic bulletin",
    "files": ["pdf/a.pdf"],
    "added": dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.UTC),
}


def test_bibliographic_fields_are_read_and_written_in_contract_order() -> None:
    """authors, isbn, issn, place, series, notes and files come after `added`, in that order."""
    resource = resource_from_table(_RECORD_TABLE)
    assert resource.authors == ("Pérez, Ana María", "OIT/IPEC")
    assert resource.files == ("pdf/a.pdf",)
    assert resource.extra == {}
    assert list(resource_to_table(resource)) == [
        "id", "title", "added", "authors", "isbn", "issn", "place", "series", "notes", "files",
    ]  # fmt: skip
    assert resource_from_table(resource_to_table(resource)) == resource


def test_json_carries_the_bibliographic_fields_null_or_empty() -> None:
    """JSON has every new field, null or [] when the resource has none."""
    assert resource_to_json(resource_from_table(_RECORD_TABLE))["authors"] == [
        "Pérez, Ana María",
        "OIT/IPEC",
    ]
    data = resource_to_json(Resource(id="a", title="T"))
    assert data["authors"] == [] and data["files"] == []
    assert [data[name] for name in ("isbn", "issn", "place", "series", "notes")] == [None] * 5


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"authors": "Pérez, Ana"}, "authors must be a list of strings"),
        ({"files": [3]}, "files must be a list of strings"),
        ({"isbn": 9789221223450}, "isbn must be a string"),
        ({"notes": ["a"]}, "notes must be a string"),
    ],
)
def test_bibliographic_fields_of_the_wrong_type_are_refused(
    table: dict[str, object], fragment: str
) -> None:
    """A new field of the wrong TOML type makes the resource invalid, naming the field."""
    with pytest.raises(ResourceProblem, match=fragment):
        resource_from_table({"id": "a", "title": "T", **table})


def test_fold_text_ignores_case_and_accents() -> None:
    """ "Panamá" and "PANAMA" fold to the same text."""
    assert fold_text("Panamá") == fold_text("PANAMA") == "panama"
    assert fold_text("Explotación") == "explotacion"


def test_make_id_is_short_readable_and_unique() -> None:
    """Ids come from meaningful title words and get a number when taken."""
    title = "The Labour Inspection in the face of crimes of commercial sexual exploitation"
    first = make_id(title, [])
    assert first == "labour-inspection-face-crimes-commercial"
    assert make_id(title, [first]) == f"{first}-2"
    assert make_id(title, [first, f"{first}-2"]) == f"{first}-3"
    assert make_id("¿Qué?", []) == "que"
    assert make_id("!!!", []) == "resource"
