"""The resource store behind `list --limit` and `show`: a few rows read, the same answers."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csec_cli import cache, resource_store
from csec_cli import catalogue as catalogue_module
from csec_cli.catalogue import (
    CatalogueFacts,
    CatalogueLocation,
    append_resource,
    decode_catalogue_text,
    find_resource,
    first_resources,
    load_catalogue,
    parse_catalogue,
    resource_for_id,
)
from csec_cli.dates import PartialDate
from csec_cli.errors import CatalogueInvalidError, CsecError, ResourceNotFoundError
from csec_cli.filters import sort_resources
from csec_cli.models import Resource

# Ties in every order, undated and never-added resources, accents and case in titles, and one
# invalid resource (its problem must be reported from the store too).
MIXED = """\
[[resources]]
id = "b-tie"
title = "Zebra crossing"
date = "2009-03"
added = 2026-01-02T10:00:00Z

[[resources]]
id = "a-tie"
title = "zebra crossing"
date = "2009-03"
added = 2026-01-02T10:00:00Z

[[resources]]
id = "undated"
title = "Árbol de problemas"

[[resources]]
id = "year"
title = "arbol de problemas"
date = "2009"
added = 2025-12-31T23:59:59Z

[[resources]]
id = "bad"
title = 5

[[resources]]
id = "labour-one"
title = "Labour inspection"
date = 2009-03-01

[[resources]]
id = "labour-two"
title = "Labour inspection, again"
date = 2011-06-30
added = 2026-02-01T08:00:00Z
"""


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A catalogue of MIXED."""
    path = tmp_path / "mixed.toml"
    path.write_text(MIXED, encoding="utf-8")
    return path


def ids(resources: list[Resource]) -> list[str]:
    """The ids, in order."""
    return [resource.id for resource in resources]


@pytest.mark.parametrize("order", ["date", "title", "added"])
@pytest.mark.parametrize("limit", [1, 3, 20])
def test_the_store_lists_what_sorting_the_loaded_catalogue_gives(
    mixed: Path, order: str, limit: int
) -> None:
    """First resources from the store equal sort_resources on the whole catalogue, ties too."""
    loaded = load_catalogue(mixed)
    expected = sort_resources(loaded.resources, order)[:limit]  # type: ignore[arg-type]
    built = first_resources(mixed, order, limit)  # type: ignore[arg-type]
    assert resource_store.store_path(mixed).exists()
    stored = first_resources(mixed, order, limit)  # type: ignore[arg-type]
    for chosen, problems, count in (built, stored):
        assert chosen == expected
        assert problems == loaded.problems
        assert count == len(loaded.resources)


def test_show_reads_one_resource_by_id_or_unique_prefix(mixed: Path) -> None:
    """An id or a unique prefix is found in the store; the problems are passed on first."""
    first_resources(mixed, "date", 1)  # builds the store
    warned: list[object] = []
    assert resource_for_id(mixed, "year", warned.append).id == "year"
    assert resource_for_id(mixed, "und", warned.append).id == "undated"
    assert warned and all(problems == load_catalogue(mixed).problems for problems in warned)


@pytest.mark.parametrize("key", ["labour", "nothing-like-it", "bad", ""])
def test_show_errors_are_find_resources_own(mixed: Path, key: str) -> None:
    """Several matches, no match or an invalid id: the store steps aside for find_resource."""
    first_resources(mixed, "date", 1)
    loaded = load_catalogue(mixed)
    with pytest.raises(ResourceNotFoundError) as expected:
        find_resource(loaded.resources, key, loaded.invalid_ids())
    with pytest.raises(ResourceNotFoundError) as found:
        resource_for_id(mixed, key, lambda _problems: None)
    assert str(found.value) == str(expected.value)


def test_a_stale_store_is_never_used(mixed: Path) -> None:
    """After the file changed, the store built for its old bytes is not read."""
    first_resources(mixed, "date", 1)
    mixed.write_text(MIXED.replace("Labour inspection, again", "Changed"), encoding="utf-8")
    chosen, _problems, _count = first_resources(mixed, "date", 1)
    assert chosen[0].title == "Changed"


def test_a_damaged_row_sends_the_command_back_to_the_catalogue(mixed: Path) -> None:
    """A row whose checksum fails is never shown: the catalogue is loaded instead."""
    first_resources(mixed, "date", 7)
    with sqlite3.connect(resource_store.store_path(mixed)) as db:
        db.execute("UPDATE resources SET row = zeroblob(length(row)) WHERE id = 'labour-two'")
    chosen, _problems, _count = first_resources(mixed, "date", 1)
    assert ids(chosen) == ["labour-two"]
    assert chosen[0].title == "Labour inspection, again"


def test_a_store_built_for_another_file_is_not_trusted(mixed: Path, tmp_path: Path) -> None:
    """A store copied from another catalogue's entry names other bytes: it is a miss."""
    other = tmp_path / "other.toml"
    other.write_text('[[resources]]\nid = "other"\ntitle = "Other"\n', encoding="utf-8")
    first_resources(other, "date", 1)
    resource_store.store_path(other).replace(resource_store.store_path(mixed))
    assert ids(first_resources(mixed, "title", 1)[0]) == ["undated"]


def test_an_add_extends_the_store_in_place(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `add`, the store holds the new resource for the new bytes, without a rebuild."""
    mixed.write_text(MIXED.replace('id = "bad"\ntitle = 5', 'id = "ok"\ntitle = "Fine"'))
    first_resources(mixed, "date", 1)
    builds: list[Path] = []
    monkeypatch.setattr(resource_store, "build", lambda path, *_rest: builds.append(path))
    added = Resource(id="newest", title="A newer one", date=None)
    append_resource(CatalogueLocation(mixed, "--catalogue"), added)
    chosen, _problems, count = first_resources(mixed, "title", 20)
    assert not builds
    assert count == 8
    assert ids(chosen) == ids(sort_resources(load_catalogue(mixed).resources, "title"))
    assert resource_for_id(mixed, "newest", lambda _problems: None).line == (
        load_catalogue(mixed).resources[-1].line
    )


def add_by_flags(path: Path, title: str, **fields: object) -> Resource:
    """Append as `csec add --yes` does: fresh id, near-duplicate check on the facts."""

    def check(facts: CatalogueFacts) -> None:
        if facts.similar_titles(title):
            raise CsecError("similar")

    resource = Resource(id="placeholder", title=title, **fields)  # type: ignore[arg-type]
    location = CatalogueLocation(path, "--catalogue")
    return append_resource(location, resource, fresh_id=True, check_facts=check).resources[-1]


def test_an_add_with_a_fresh_store_loads_nothing_and_caches_what_a_parse_gives(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once an add found the file clean, the next adds read ids and titles from the store only,
    and the cache they leave equals a fresh parse of the file."""
    add_by_flags(catalogue, "A first resource on something new")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the catalogue was loaded")

    with monkeypatch.context() as patched:
        patched.setattr(catalogue_module, "load_catalogue", refuse)
        patched.setattr(cache, "load_entry", refuse)
        second = add_by_flags(catalogue, "A first resource on something new, again and again")
        third = add_by_flags(catalogue, "Yet another title entirely", date=PartialDate(2001))
        with pytest.raises(CsecError, match="similar"):
            add_by_flags(catalogue, "Yet another title entirely!")
    assert (second.id, third.id) == (
        "first-resource-something-new-again",
        "yet-another-title-entirely",
    )
    cached = load_catalogue(catalogue)
    fresh = parse_catalogue(catalogue, *decode_catalogue_text(catalogue, catalogue.read_bytes()))
    assert cached.resources == fresh.resources
    assert cached.problems == fresh.problems
    assert first_resources(catalogue, "added", 50)[0] == sort_resources(fresh.resources, "added")


def test_a_fresh_id_from_the_store_never_clashes(catalogue: Path) -> None:
    """Ids made from the store's ids starting like the new one get the next free suffix."""
    first = add_by_flags(catalogue, "Zzyzx one")
    second = add_by_flags(catalogue, "The zzyzx of one")  # the same id words as the first
    third = add_by_flags(catalogue, "A zzyzx for one")
    assert [first.id, second.id, third.id] == ["zzyzx-one", "zzyzx-one-2", "zzyzx-one-3"]


def test_a_store_that_never_saw_the_file_checked_sends_add_to_the_full_check(
    catalogue: Path,
) -> None:
    """A store built by a reader (list) knows nothing of `check`: the add loads and checks, so a
    catalogue with an error is refused as before."""
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(
        text + '\n[[resources]]\nid = "later"\ntitle = "Later"\ndate = 2999-01-01\n'
    )
    first_resources(catalogue, "date", 1)
    with pytest.raises(CatalogueInvalidError, match="in the future"):
        add_by_flags(catalogue, "Something to add to a faulty catalogue")


def test_a_store_built_by_list_for_a_clean_catalogue_lets_the_first_add_skip_loading(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list` checks what it loaded by `check`'s rules when it builds the store, so the first
    add after it reads the store only, and the resource lands where a load would put it."""
    first_resources(catalogue, "date", 1)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the catalogue was loaded")

    with monkeypatch.context() as patched:
        patched.setattr(catalogue_module, "load_catalogue", refuse)
        added = add_by_flags(catalogue, "A resource added right after a list")
    assert load_catalogue(catalogue).resources[-1] == added


def test_title_keys_survive_titles_with_line_breaks(tmp_path: Path) -> None:
    """The store keeps title keys joined by line breaks; a title holding one still lines up."""
    from csec_cli.checks import title_keys

    path = tmp_path / "breaks.toml"
    path.write_text(
        '[[resources]]\nid = "a"\ntitle = "One\\ntwo"\n\n'
        '[[resources]]\nid = "b"\ntitle = "Three\\u2028four"\n\n'
        '[[resources]]\nid = "c"\ntitle = "!!!"\n',
        encoding="utf-8",
    )
    first_resources(path, "date", 1)
    key = load_catalogue(path).cache_key
    assert key is not None
    store = resource_store.StoredResources.open(path, key)
    assert store is not None
    try:
        titles = [resource.title for resource in load_catalogue(path).resources]
        positions, keys = store.similar_keys()
        assert [key for _position, key in sorted(zip(positions, keys, strict=True))] == title_keys(
            titles
        )
    finally:
        store.close()


def test_a_hand_edit_keeping_size_and_mtime_is_proven_by_the_copy_before_any_check(
    catalogue: Path,
) -> None:
    """The store's facts are used only once the copy's hash proves the file holds its bytes: a
    same-size edit with its mtime set back sends add to the loaded catalogue, which sees it."""
    add_by_flags(catalogue, "Quarterly bulletin on inspection matters")
    before = catalogue.stat()
    text = catalogue.read_text(encoding="utf-8")
    edited = text.replace(
        "Quarterly bulletin on inspection matters", "Quarterly bulletin on inspection mattery"
    )
    assert len(edited) == len(text)
    catalogue.write_text(edited, encoding="utf-8")
    os.utime(catalogue, ns=(before.st_atime_ns, before.st_mtime_ns))
    # The store still names the old bytes by size and mtime; only the hash tells them apart.
    assert resource_store.stored_key(catalogue) is not None
    added = add_by_flags(catalogue, "Entirely unrelated manual")
    assert "mattery" in catalogue.read_text(encoding="utf-8")
    assert load_catalogue(catalogue).resources[-1] == added
    assert resource_store.stored_key(catalogue) == load_catalogue(catalogue).cache_key


def test_the_store_counts_every_field_add_compares_spellings_in() -> None:
    """add warns about near-miss spellings in SPELLING_FIELDS: the store counts each of them."""
    from csec_cli.checks import SPELLING_FIELDS

    assert set(SPELLING_FIELDS) <= set(resource_store.KNOWN_FIELDS)


@pytest.mark.parametrize("final_newline", [True, False], ids=["newline", "no-newline"])
def test_adds_from_the_store_start_each_block_on_the_line_a_parse_finds(
    catalogue: Path, final_newline: bool
) -> None:
    """The store keeps the file's line breaks from one add to the next, so later adds need not
    count them: what it keeps is the file's own count, and every line is a fresh parse's."""
    text = catalogue.read_text(encoding="utf-8").rstrip("\n")
    catalogue.write_text(text + ("\n" if final_newline else ""), encoding="utf-8")
    for title in ("Quokka census", "Bulletin on wombats", "Manual for lorikeets", "Emu survey"):
        add_by_flags(catalogue, title)
        data = catalogue.read_bytes()
        key = load_catalogue(catalogue).cache_key
        assert key is not None
        store = resource_store.StoredResources.open(catalogue, key)
        assert store is not None
        try:
            assert store.facts.ending == (data.count(b"\n"), data.endswith(b"\n"))
        finally:
            store.close()
    cached = load_catalogue(catalogue)
    fresh = parse_catalogue(catalogue, *decode_catalogue_text(catalogue, catalogue.read_bytes()))
    assert [r.line for r in cached.resources] == [r.line for r in fresh.resources]
    assert cached.resources == fresh.resources


@settings(max_examples=300, deadline=None)
@given(
    titles=st.lists(st.text(alphabet="abcé D-", max_size=24), min_size=1, max_size=30),
    title=st.text(alphabet="abcé D-", max_size=24),
)
def test_only_titles_of_nearly_the_same_length_can_be_near(titles: list[str], title: str) -> None:
    """Comparing a title with the keys of similar_title_lengths alone finds exactly what
    comparing it with every key finds, in the same order (the store reads only those)."""
    from csec_cli.checks import similar_title_lengths, similar_title_positions, title_keys

    keys = title_keys(titles)
    shortest, longest = similar_title_lengths(title)
    # The store hands them over grouped by length, not in the file's order.
    near = sorted(
        ((len(key), position, key) for position, key in enumerate(keys)),
        key=lambda item: (item[0] % 3, -item[1]),
    )
    near = [item for item in near if shortest <= item[0] <= longest]
    found = similar_title_positions(
        title, [key for _length, _position, key in near], [item[1] for item in near]
    )
    assert found == similar_title_positions(title, keys)
