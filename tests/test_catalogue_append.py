"""Tests for appending to an LF catalogue by copying it in pieces (catalogue._append_streamed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csec_cli import catalogue as catalogue_module
from csec_cli.cache import CacheKey
from csec_cli.catalogue import (
    Catalogue,
    CatalogueLocation,
    _appended_bytes,
    append_resource,
    decode_catalogue_text,
    load_catalogue,
    parse_catalogue,
    render_resource,
)
from csec_cli.errors import CsecError
from csec_cli.models import Resource

NEW = Resource(id="new", title="New one", summary="Two lines,\nand “quotes”.")

TEXTS = {
    "final-newline": '[[resources]]\nid = "a"\ntitle = "Á"\n',
    "no-final-newline": '[[resources]]\nid = "a"\ntitle = "A"',
    "comments-and-blank-lines": (
        '# header\n\n[[resources]]\nid = "a"\ntitle = "A"\n\n# a last comment\n\n'
    ),
    "header-only": "# A catalogue with nothing in it yet.\n",
    "header-only-no-newline": "# A catalogue with nothing in it yet.",
}


def _never(*_args: Any) -> Any:
    raise AssertionError("the in-memory append was used")


@pytest.fixture
def streamed_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the in-memory append fail, so a passing append proves it was streamed."""
    monkeypatch.setattr(catalogue_module, "_appended_bytes", _never)


def _fresh_parse(path: Path) -> Catalogue:
    """The catalogue parsed the whole-text way from the file's bytes, bypassing every cache."""
    return parse_catalogue(path, *decode_catalogue_text(path, path.read_bytes()))


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
@pytest.mark.parametrize("bom", [False, True], ids=["utf8", "bom"])
@pytest.mark.parametrize("piece", [1 << 20, 7], ids=["one-piece", "many-pieces"])
def test_streamed_append_writes_the_same_bytes_as_the_in_memory_append(
    tmp_path: Path, text: str, bom: bool, piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copying the file in pieces and appending gives byte for byte what the in-memory path
    gives for the same file, with the block starting on the same line."""
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    streamed, in_memory = tmp_path / "streamed.toml", tmp_path / "in-memory.toml"
    streamed.write_bytes(data)
    in_memory.write_bytes(data)
    expected, line = _appended_bytes(
        load_catalogue(in_memory, keep_source=True), render_resource(NEW)
    )
    monkeypatch.setattr(catalogue_module, "_appended_bytes", _never)
    monkeypatch.setattr(catalogue_module, "_COPY_PIECE", piece)
    returned = append_resource(CatalogueLocation(streamed, "--catalogue"), NEW)
    assert streamed.read_bytes() == expected
    assert returned.resources[-1] == NEW
    assert returned.resources[-1].line == line
    assert returned._provenance.source is None
    assert load_catalogue(streamed).resources[-1].line == line


@pytest.mark.usefixtures("streamed_only")
def test_a_streamed_append_reads_back_equal_to_a_fresh_parse(catalogue: Path) -> None:
    """The catalogue an append returns, and the cached one read next, equal a fresh parse of
    the new file; its cache key is the new file's, so its text can be read again."""
    returned = append_resource(CatalogueLocation(catalogue, "--catalogue"), NEW)
    fresh = _fresh_parse(catalogue)
    for candidate in (returned, load_catalogue(catalogue)):
        assert candidate.resources == fresh.resources
        assert [r.line for r in candidate.resources] == [r.line for r in fresh.resources]
        assert candidate.problems == fresh.problems
        assert candidate.header == fresh.header
    assert returned.cache_key == CacheKey.of_file(catalogue)
    assert returned.text == catalogue.read_text(encoding="utf-8").removeprefix("\ufeff")


@pytest.mark.usefixtures("streamed_only")
def test_several_streamed_appends_in_a_row_stay_in_step_with_the_file(catalogue: Path) -> None:
    """Each append starts from the key the previous one computed without reading the file."""
    location = CatalogueLocation(catalogue, "--catalogue")
    for number in range(3):
        append_resource(location, Resource(id=f"new-{number}", title=f"New {number}"))
    assert [r.id for r in load_catalogue(catalogue).resources][-3:] == ["new-0", "new-1", "new-2"]
    assert load_catalogue(catalogue).resources == _fresh_parse(catalogue).resources


@pytest.mark.parametrize("same_size", [True, False], ids=["same-size", "other-size"])
def test_a_file_changed_behind_csecs_back_is_refused_and_left_as_it_is(
    catalogue: Path, same_size: bool
) -> None:
    """An edit made without the lock between loading and appending stops the append: the
    edited file stays exactly as edited, and no temporary file is left."""
    original = catalogue.read_bytes()
    edited = original.replace(b"Belize", b"Belice") if same_size else original + b"# more\n"
    assert edited != original

    def edit_behind_the_lock(_loaded: Catalogue) -> None:
        catalogue.write_bytes(edited)

    with pytest.raises(CsecError) as raised:
        append_resource(
            CatalogueLocation(catalogue, "--catalogue"), NEW, check=edit_behind_the_lock
        )
    assert str(raised.value) == (
        f"{catalogue}: the file changed while csec was using it; try again"
    )
    assert catalogue.read_bytes() == edited
    assert (
        sorted(entry.name for entry in catalogue.parent.iterdir() if entry.suffix == ".tmp") == []
    )


def test_a_crlf_catalogue_is_still_appended_through_its_text(tmp_path: Path) -> None:
    """A CRLF file is not copied as it is: the block is written with CRLF endings too."""
    path = tmp_path / "win.toml"
    path.write_bytes(b'# header\r\n\r\n[[resources]]\r\nid = "a"\r\ntitle = "A"')
    append_resource(CatalogueLocation(path, "--catalogue"), NEW)
    data = path.read_bytes()
    assert data.startswith(b'# header\r\n\r\n[[resources]]\r\nid = "a"\r\ntitle = "A"\r\n\r\n')
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert load_catalogue(path).resources[-1] == NEW
