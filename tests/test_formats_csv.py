"""The csv writer: byte for byte what csv.writer writes for the same cells, however cells are made."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csec_cli.dates import PartialDate
from csec_cli.formats import ExportOptions
from csec_cli.formats import csv as csv_format
from csec_cli.formats.csv import neutralise_formula, quote_cell, write_csv
from csec_cli.models import FIELD_ORDER, LIST_FIELDS, TEXT_FIELDS, Resource, iso_datetime

# Characters that change how a cell is written: separators, quotes, both line breaks, every
# formula start, the apostrophe that neutralises one, and a few non-ASCII letters.
_PIECES = [",", '"', "\n", "\r", "\r\n", "\t", "=", "+", "-", "@", "'", ";", " ", "é", "😀", "a"]
_text = st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=8).map("".join)
_optional = st.none() | _text
_items = st.lists(_text, max_size=3).map(tuple)
_dates = st.none() | st.builds(
    lambda year, month, day: PartialDate(year, month, day if month else None),
    st.integers(1, 9999),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
)
_zones = st.sampled_from(
    [None, dt.UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-5))]
)
_added = st.none() | st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    _zones,
)
_resource = st.builds(
    Resource,
    id=_text.filter(bool),
    title=_text.filter(bool),
    date=_dates,
    summary=_optional,
    type=_optional,
    audience=_items,
    topics=_items,
    countries=_items,
    language=_optional,
    publisher=_optional,
    url=_optional,
    added=_added,
    authors=_items,
    isbn=_optional,
    issn=_optional,
    place=_optional,
    series=_optional,
    notes=_optional,
    files=_items,
)


def _reference_csv(resources: list[Resource], options: ExportOptions) -> str:
    """The writer as it was before it was tuned: csv.writer, one row per resource."""
    stream = io.StringIO(newline="")
    if options.excel:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(FIELD_ORDER)
    for resource in resources:
        cells = {
            "id": resource.id,
            "title": resource.title,
            "date": resource.date.iso() if resource.date else "",
            "added": iso_datetime(resource.added) if resource.added else "",
        }
        for name in TEXT_FIELDS:
            cells[name] = getattr(resource, name) or ""
        for name in LIST_FIELDS:
            cells[name] = "; ".join(getattr(resource, name))
        row = [cells[name] for name in FIELD_ORDER]
        if options.protect_formulas:
            row = [neutralise_formula(cell) for cell in row]
        writer.writerow(row)
    return stream.getvalue()


def _written(resources: list[Resource], options: ExportOptions) -> str:
    stream = io.StringIO(newline="")
    write_csv(iter(resources), stream, options)
    return stream.getvalue()


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    st.lists(_resource, max_size=6),
    st.builds(ExportOptions, excel=st.booleans(), protect_formulas=st.booleans()),
)
def test_same_bytes_as_csv_writer(resources: list[Resource], options: ExportOptions) -> None:
    """Any resources, with any options, are written exactly as csv.writer writes their cells."""
    assert _written(resources, options) == _reference_csv(resources, options)


def test_same_bytes_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows written in several batches, repeating values drawn from a cache, come out unchanged."""
    monkeypatch.setattr(csv_format, "_BATCH", 2)
    resources = [
        Resource(
            id=f"r{number}",
            title=["=SUM(A1)", "Plain", 'Say "hi", twice'][number % 3],
            date=[PartialDate(2009, 3, 1), PartialDate(2009), None][number % 3],
            topics=[("=x", "y"), (), ("line\nbreak",)][number % 2],
            publisher=["-ILO", None][number % 2],
        )
        for number in range(7)
    ]
    for options in (ExportOptions(), ExportOptions(excel=True, protect_formulas=False)):
        assert _written(resources, options) == _reference_csv(resources, options)


def test_equal_instants_in_different_zones_keep_their_own_text() -> None:
    """Two `added` times that are the same instant in different zones are each written as given."""
    utc = dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.UTC)
    resources = [
        Resource(id="a", title="A", added=utc),
        Resource(id="b", title="B", added=utc.astimezone(dt.timezone(dt.timedelta(hours=2)))),
        Resource(id="c", title="C", added=utc.replace(tzinfo=None)),
    ]
    rows = _written(resources, ExportOptions()).split("\r\n")
    added = FIELD_ORDER.index("added")
    assert [row.split(",")[added] for row in rows[1:4]] == [
        "2026-01-02T10:00:00Z",
        "2026-01-02T12:00:00+02:00",
        "2026-01-02T10:00:00",
    ]


def test_rows_end_in_crlf_and_line_breaks_inside_cells_are_kept() -> None:
    """Rows end in CRLF; a line break inside a cell is kept as it is, inside quotes."""
    resource = Resource(id="a", title="Two\nlines", summary="Windows\r\nbreak")
    text = _written([resource], ExportOptions())
    empty_after_summary = "," * (len(FIELD_ORDER) - 4)
    assert text.endswith(f'a,"Two\nlines",,"Windows\r\nbreak"{empty_after_summary}\r\n')
    assert text.count("\r\n") == 3


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("plain", "plain"),
        ("", ""),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("a\nb", '"a\nb"'),
        ("a\rb", '"a\rb"'),
        (" spaced ", " spaced "),
        ("a;b", "a;b"),
    ],
)
def test_quote_cell_quotes_only_what_needs_it(cell: str, written: str) -> None:
    """Quotes only around a comma, a quote or a line break; inner quotes are doubled."""
    assert quote_cell(cell) == written
    stream = io.StringIO(newline="")
    csv.writer(stream, lineterminator="\r\n").writerow([cell, "x"])
    assert stream.getvalue() == f"{written},x\r\n"
