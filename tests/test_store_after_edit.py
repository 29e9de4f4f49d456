"""`list` and `show` after a hand edit: the resource store updated from the changed blocks alone."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from csec_cli import cache, resource_store
from csec_cli.catalogue import (
    CatalogueLocation,
    append_resource,
    find_resource,
    first_resources,
    load_catalogue,
    resource_for_id,
)
from csec_cli.errors import CatalogueUnreadableError, CsecError
from csec_cli.filters import sort_resources
from csec_cli.models import Resource
from test_resource_store import add_by_flags
from test_search_after_edit import EDITS, title_in_place, two_titles

ORDERS = ("date", "title", "added")


def listed(path: Path) -> Any:
    """What `list --limit` gives in every order (and `show` of the middle resource), store and
    all; or the error reading raises."""
    try:
        answers = [first_resources(path, order, 5) for order in ORDERS]  # type: ignore[arg-type]
        middle = answers[0][0][len(answers[0][0]) // 2].id
        return answers, resource_for_id(path, middle, lambda _problems: None)
    except (CatalogueUnreadableError, CsecError) as error:
        return str(error)


def fresh(path: Path) -> Any:
    """What a fresh load gives for the same questions; or the error loading raises."""
    try:
        loaded = load_catalogue(path)
    except CatalogueUnreadableError as error:
        return str(error)
    resources, problems = loaded.resources, loaded.problems
    answers = [
        (sort_resources(resources, order)[:5], problems, len(resources))  # type: ignore[arg-type]
        for order in ORDERS
    ]
    middle = answers[0][0][len(answers[0][0]) // 2].id
    return answers, find_resource(resources, middle, loaded.invalid_ids())


def stored_tables(path: Path) -> dict[str, Any]:
    """Everything the store of `path` holds, in a form that does not depend on how it was
    written: each resource row read back (marshal's bytes depend on how objects are shared), a
    row of near-duplicate keys as a set of (position, key) pairs."""
    with sqlite3.connect(resource_store.store_path(path)) as db:
        resources = [
            (*columns[:7], *cache.resources_from_rows([row]), digest)
            for *columns, row, _crc, digest in db.execute(
                "SELECT * FROM resources ORDER BY position"
            )
        ]
        similar = {}
        for row in db.execute("SELECT * FROM similar"):
            positions, keys = resource_store._checked_similar_row(row)
            similar[row[0]] = set(zip(positions, keys, strict=True))
        known = db.execute("SELECT * FROM known ORDER BY field, value").fetchall()
        about = {
            name: marshal.loads(value) for name, value, _crc in db.execute("SELECT * FROM about")
        }
    return {"resources": resources, "similar": similar, "known": known, "about": about}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_list_and_show_after_a_hand_edit_answer_as_a_fresh_load(
    tmp_path: Path, catalogue: Path, loads: list[Path], edit: str
) -> None:
    """Whatever the edit, list and show give what a fresh parse gives, the first time and the
    next; only edits that keep every block a valid resource on its line skip loading."""
    change, blocks_only = EDITS[edit]
    path = tmp_path / "edited.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8"))
    listed(path)  # the store of the file before the edit
    path.write_bytes(change(text).encode("utf-8"))
    loads.clear()
    first = listed(path)
    assert (loads == []) is blocks_only
    loads.clear()
    assert first == fresh(path)
    assert listed(path) == first
    assert loads == [] or not blocks_only


@pytest.mark.parametrize(
    "change",
    [
        title_in_place,
        lambda text: two_titles(title_in_place(text)),
        lambda text: text + '\n[[resources]]\nid = "quokka"\ntitle = "Quokka"\ntopics = ["x"]\n',
        lambda text: text.replace('language = "en"', 'language = "es"', 1),
        lambda text: text.replace('type = "brochure"', 'type = "quokka"', 1),
    ],
    ids=["a title", "three titles", "an appended block", "a known value", "a value's last use"],
)
def test_the_updated_store_is_the_store_a_fresh_build_makes(
    tmp_path: Path, catalogue: Path, change: Callable[[str], str]
) -> None:
    """Rows, sort keys, block digests, title keys, value counts and facts after the update are
    those a build from a fresh load stores."""
    path = tmp_path / "edited.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    listed(path)
    edited = change(text)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    listed(path)
    updated = stored_tables(path)
    resource_store.store_path(path).unlink()
    listed(path)  # built afresh from a load
    assert updated == stored_tables(path)


@pytest.mark.parametrize(
    "encoded",
    [lambda text: text.replace("\n", "\r\n").encode(), lambda text: ("\ufeff" + text).encode()],
    ids=["crlf", "bom"],
)
def test_line_endings_and_a_bom_are_noted_as_a_load_notes_them(
    tmp_path: Path, catalogue: Path, loads: list[Path], encoded: Callable[[str], bytes]
) -> None:
    """A CRLF file or one with a BOM is read block by block too, and the store says so, as
    `add` must know it (WriteFacts)."""
    path = tmp_path / "edited.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    listed(path)
    path.write_bytes(encoded(title_in_place(text)))
    loads.clear()
    assert listed(path) == fresh(path)
    assert loads == []
    updated = stored_tables(path)
    resource_store.store_path(path).unlink()
    listed(path)
    assert updated == stored_tables(path)


def test_a_touched_file_is_known_again_without_loading(catalogue: Path, loads: list[Path]) -> None:
    """Same bytes, a new modification time (`touch`, a checkout): the store is only re-keyed."""
    listed(catalogue)
    status = catalogue.stat()
    os.utime(catalogue, ns=(status.st_atime_ns, status.st_mtime_ns + 5_000_000_000))
    loads.clear()
    assert listed(catalogue) == fresh(catalogue)
    assert loads == []


def store_facts(path: Path) -> resource_store.WriteFacts:
    """The facts the store of `path` holds for its current bytes."""
    key = cache.key_of_file(path)
    assert key is not None
    store = resource_store.StoredResources.open(path, key)
    assert store is not None
    try:
        return store.facts
    finally:
        store.close()


@pytest.mark.parametrize(
    ("date", "stays_clean"),
    [('"2001-05"', True), ('"2999-01"', False)],
    ids=["a clean edit", "a date in the future"],
)
def test_known_clean_only_while_check_finds_no_error_in_the_changed_resources(
    catalogue: Path, loads: list[Path], date: str, stays_clean: bool
) -> None:
    """A store known clean by `check`'s rules (after an add) stays so after an edit that
    `check` finds no error in, and not after one it does."""
    added = Resource(id="fresh-one", title="A fresh one", date=None)
    append_resource(CatalogueLocation(catalogue, "--catalogue"), added)
    assert store_facts(catalogue).clean is not None
    text = catalogue.read_text(encoding="utf-8")
    start = text.index("\ndate = ", len(text) // 2) + 1
    end = text.index("\n", start)
    catalogue.write_text(text[:start] + f"date = {date}" + text[end:], encoding="utf-8")
    loads.clear()
    listed(catalogue)
    assert loads == []
    clean = store_facts(catalogue).clean
    assert (clean is not None) is stays_clean
    if clean is not None:
        assert clean[0] == dt.date.today().toordinal()
    # An add after the edit gives what it gives after loading: refused for the future date.
    later = Resource(id="later-one", title="A later one", date=None)
    if stays_clean:
        append_resource(CatalogueLocation(catalogue, "--catalogue"), later)
        assert load_catalogue(catalogue).resources[-1].id == "later-one"
    else:
        with pytest.raises(CsecError):
            append_resource(CatalogueLocation(catalogue, "--catalogue"), later)


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM similar",
        "DELETE FROM resources WHERE position = 1",
        "UPDATE resources SET position = 1000 WHERE position = 1",
        "DROP TABLE known",
    ],
    ids=["title keys gone", "a row gone", "a row moved", "a table gone"],
)
def test_a_damaged_store_is_never_updated_from(
    catalogue: Path, loads: list[Path], damage: str
) -> None:
    """A store missing its title keys, a row or a table is not brought up to date: the
    catalogue is loaded instead, and the answers are a fresh load's."""
    listed(catalogue)
    with sqlite3.connect(resource_store.store_path(catalogue)) as db:
        db.execute(damage)
    catalogue.write_text(two_titles(catalogue.read_text(encoding="utf-8")), encoding="utf-8")
    loads.clear()
    assert listed(catalogue) == fresh(catalogue)
    assert loads


def added_after(path: Path, title: str) -> Any:
    """What `csec add --yes` gives for `title` in the catalogue at `path` (see add_by_flags):
    the resource added, or the error, with the folder of the file left out."""
    try:
        return add_by_flags(path, title)
    except (CsecError, CatalogueUnreadableError) as error:
        return type(error).__name__, str(error).replace(str(path.parent), "FOLDER")


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_add_right_after_a_hand_edit_does_what_it_does_without_a_cache(
    tmp_path: Path, catalogue: Path, loads: list[Path], edit: str
) -> None:
    """Right after a hand edit, `add` updates the store from the changed blocks and appends from
    it without loading the catalogue, where list would; it adds (or refuses) exactly as on a
    copy csec never read, and leaves the same bytes."""
    change, blocks_only = EDITS[edit]
    warm, cold = tmp_path / "warm" / "c.toml", tmp_path / "cold" / "c.toml"
    warm.parent.mkdir()
    cold.parent.mkdir()
    warm.write_text(catalogue.read_text(encoding="utf-8"), encoding="utf-8")
    add_by_flags(warm, "A first resource, so that the store knows the file clean")
    edited = change(warm.read_text(encoding="utf-8"))
    warm.write_text(edited, encoding="utf-8")
    cold.write_text(edited, encoding="utf-8")
    loads.clear()
    outcome = added_after(warm, "Quokka inspectors, added after the edit")
    assert (loads == []) is blocks_only
    assert outcome == added_after(cold, "Quokka inspectors, added after the edit")
    assert warm.read_bytes() == cold.read_bytes()
    assert listed(warm) == fresh(warm)
