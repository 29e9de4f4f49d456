"""Round trips: export then import into an empty catalogue gives the same resources, every field
csec knows included, in csv, json, ris and bibtex."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csec_cli.catalogue import Catalogue, load_catalogue, save_catalogue
from csec_cli.checks import list_item_fault
from csec_cli.cli import app
from csec_cli.dates import PartialDate
from csec_cli.importing import title_key
from csec_cli.models import Resource
from identifier_strategies import isbns, issns

# Pieces that break naive writers and readers: separators, quotes, line breaks, accents, emoji,
# a leading formula sign, the apostrophe that neutralises it.
_PIECES = [",", '"', "\n", "é", "Ñ", "ü", "😀", "🇵🇾", "=", "+", "-", "@", "'", " ", "a", "Z", "1"]
_piece_text = st.lists(st.sampled_from(_PIECES) | st.text(min_size=1, max_size=4), max_size=12).map(
    "".join
)


def _clean(text: str) -> str:
    # The catalogue keeps text without surrounding spaces (import strips them). Control
    # characters other than newline and tab are left out: a carriage return does not survive the
    # catalogue's own TOML write and read (a foundation matter, not an export one).
    kept = "".join(c for c in text if c in "\n\t" or c.isprintable())
    return kept.strip()


_text = _piece_text.map(_clean)
# RIS is line-based and BibTeX readers join lines: csec writes text there on one line (and says
# so), so those round trips draw one-line text, and notes as paragraphs (RIS: one N1 each).
_one_line = _piece_text.map(lambda text: _clean(" ".join(text.splitlines())))
_title = _text.filter(bool)
_optional = st.none() | _text.filter(bool)
# Items `csec check` accepts (import rejects the rest): no ';', no line break, no outer spaces.
_item = _text.map(lambda value: value.replace(";", ",").strip()).filter(
    lambda item: list_item_fault("audience", item) is None
)
_items = st.lists(_item, max_size=3).map(tuple)
_dates = st.none() | st.builds(
    lambda year, month, day: PartialDate(year, month, day if month else None),
    st.integers(1900, 2030),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
).filter(lambda date: not date.is_after(dt.date.today()))  # import rejects what check faults
# Import rejects a url `csec check` faults too, so the text varies inside a web address.
_url = st.none() | _text.map(lambda text: "https://example.org/" + quote(text))
# Import stores a language as its ISO 639-1 code: the codes it reads back as themselves.
_language = st.none() | st.sampled_from(["en", "es", "pt", "fr", "qu", "gn", "ht", "de"])
_authors = st.lists(
    st.sampled_from(["Pérez, Ana María", "OIT/IPEC", "Save the Children and UNICEF", "Núñez, J."])
    | _item,
    max_size=3,
).map(tuple)
_files = st.lists(
    st.sampled_from(["pdf/informe.pdf", "C:\\Docs\\a:b.pdf", "files/12/Pérez - 2009.pdf"]) | _item,
    max_size=2,
).map(tuple)


_isbns = st.none() | isbns()
_issns = st.none() | issns()
# Extra keys each format carries: any value in json; text in csv; rispy's names in ris; BibTeX
# field names in bibtex.
_extra_text = _text.filter(bool)
_EXTRAS = {
    "json": st.dictionaries(
        st.sampled_from(["shelf", "Notas internas", "listed_at"]),
        _extra_text
        | st.integers(-5, 5)
        | st.booleans()
        | st.lists(_extra_text, min_size=1, max_size=2),
        max_size=2,
    ),
    "csv": st.dictionaries(
        st.sampled_from(["shelf", "Shelf mark", "listed_at"]), _extra_text, max_size=2
    ),
    "ris": st.dictionaries(
        st.sampled_from(["access_date", "edition", "call_number", "ris_ZZ"]),
        _one_line.filter(bool),
        max_size=2,
    ),
    "bibtex": st.dictionaries(
        st.sampled_from(["urldate", "edition", "shelf"]), _one_line.filter(bool), max_size=2
    ),
}


@st.composite
def _resources(draw: st.DrawFn, format_name: str = "json") -> list[Resource]:
    line_based = format_name in ("ris", "bibtex")
    text = _one_line if line_based else _text
    optional = st.none() | text.filter(bool)
    # A paragraph may begin as RIS's audience and countries notes do, which it must not become.
    paragraph = _one_line.filter(bool) | st.sampled_from(
        ["Audience: see the foreword", "Countries:", "<p>Audience: teachers</p>"]
    )
    notes = (
        st.none() | st.lists(paragraph, min_size=1, max_size=3).map("\n\n".join)
        if line_based
        else optional
    )
    count = draw(st.integers(1, 4))
    resources: list[Resource] = []
    keys: set[tuple[str, str]] = set()
    for index in range(count):
        title = draw(text.filter(bool))
        date = draw(_dates)
        key = (title_key(title), date.iso() if date else "")
        if key in keys:
            continue  # the same title and date twice is a duplicate, which import skips by design
        keys.add(key)
        resources.append(
            Resource(
                id=f"resource-{index}",
                title=title,
                date=date,
                summary=draw(optional),
                type=draw(optional),
                audience=draw(_items),
                topics=draw(_items),
                countries=draw(_items),
                language=draw(_language),
                publisher=draw(optional),
                url=draw(_url),
                authors=draw(_authors),
                isbn=draw(_isbns),
                issn=draw(_issns),
                place=draw(optional),
                series=draw(optional),
                notes=draw(notes),
                files=draw(_files),
                extra=draw(_EXTRAS[format_name]),
            )
        )
    return resources


def _comparable(resources: list[Resource]) -> list[Resource]:
    return sorted((r.with_changes(added=None) for r in resources), key=lambda r: r.id)


def export_then_import(source: Path, target: Path, format_name: str) -> str:
    """Export `source` in a format and import the file into `target`, as a user would; both
    must succeed. Gives the import's report (its stderr)."""
    exported = target.with_name(f"export.{format_name}")
    runner = CliRunner()
    result = runner.invoke(
        app, ["-c", str(source), "export", "-f", format_name, "-o", str(exported)],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(
        app, ["-c", str(target), "import", str(exported)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stderr


def _same_after_import(resources: list[Resource], format_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.toml"
        save_catalogue(Catalogue(path=source, resources=resources))
        original = load_catalogue(source).resources
        target = Path(folder) / "target.toml"
        report = export_then_import(source, target, format_name)
        assert f"Added {len(original)}," in report
        assert _comparable(load_catalogue(target).resources) == _comparable(original)


@pytest.mark.slow
@pytest.mark.parametrize("format_name", ["csv", "json"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_export_then_import_gives_the_same_resources(format_name: str, data: st.DataObject) -> None:
    """Every field survives csv and json export and import (except `added`, which import sets),
    and so do the extra keys each carries."""
    _same_after_import(data.draw(_resources(format_name)), format_name)


@pytest.mark.slow
@pytest.mark.parametrize("format_name", ["ris", "bibtex"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_ris_and_bibtex_round_trips_keep_every_field(format_name: str, data: st.DataObject) -> None:
    """Every field csec knows survives ris and bibtex export and import, one-line text and
    paragraphs of notes included, and so do the extra keys the format has a place for."""
    _same_after_import(data.draw(_resources(format_name)), format_name)


def test_json_export_leaves_no_garbage_behind_with_the_collector_off() -> None:
    """Writing JSON with csec's collector off frees the encoder's cycles as it goes."""
    import gc
    import io
    from types import FunctionType

    from csec_cli.formats import ExportOptions
    from csec_cli.formats import json as json_format

    def encoder_functions() -> int:
        return sum(
            1
            for item in gc.get_objects()
            if isinstance(item, FunctionType) and item.__qualname__.startswith("_make_iterencode.")
        )

    resources = [
        Resource(id=f"r{n}", title=f"Resource {n}") for n in range(3 * json_format.COLLECT_EVERY)
    ]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        before = encoder_functions()
        json_format.write_json(resources, io.StringIO(), ExportOptions())
        left = encoder_functions() - before
    finally:
        if was_enabled:
            gc.enable()
    assert left < json_format.COLLECT_EVERY
