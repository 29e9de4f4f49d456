"""Round trips: export then import into an empty catalogue gives the same resources (csv, json)."""

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


@st.composite
def _resources(draw: st.DrawFn) -> list[Resource]:
    count = draw(st.integers(1, 5))
    resources: list[Resource] = []
    keys: set[tuple[str, str]] = set()
    for index in range(count):
        title = draw(_title)
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
                summary=draw(_optional),
                type=draw(_optional),
                audience=draw(_items),
                topics=draw(_items),
                countries=draw(_items),
                language=draw(_optional),
                publisher=draw(_optional),
                url=draw(_url),
                authors=draw(_items),
                isbn=draw(st.none() | isbns()),
                issn=draw(st.none() | issns()),
                place=draw(_optional),
                series=draw(_optional),
                notes=draw(_optional),
                files=draw(_items),
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


@pytest.mark.slow
@pytest.mark.parametrize("format_name", ["csv", "json"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resources=_resources())
def test_export_then_import_gives_the_same_resources(
    format_name: str, resources: list[Resource]
) -> None:
    """Every field survives csv and json export and import (except `added`, which import sets)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.toml"
        save_catalogue(Catalogue(path=source, resources=resources))
        original = load_catalogue(source).resources
        target = Path(folder) / "target.toml"
        report = export_then_import(source, target, format_name)
        assert f"Added {len(original)}," in report
        assert _comparable(load_catalogue(target).resources) == _comparable(original)


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
