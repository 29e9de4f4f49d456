"""The cached search index: the same hits with or without it, and never stale or damaged."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import RunCli
from csec_cli import cache, search, search_index
from csec_cli.catalogue import load_catalogue
from csec_cli.search import rank_resources, search_catalogue

QUERIES = (
    "labour inspectors", "explotacion sexual", "CSEC", "sexual exploitation Mongolia", "child", "zzzz",
    "Taking action", "programme", "tourism travel",
)  # fmt: skip
PROBLEMS = """\
[[resources]]
id = "no-title"

[[resources]]
id = "labour"
title = "Labour inspectors against commercial sexual exploitation"
summary = "A guide for labour inspectors."
topics = ["child labour"]

[[resources]]
id = "labour"
title = "A duplicate id"
"""


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every build or update of a search index (a cached index needs neither)."""
    calls: list[str] = []
    real_build, real_update = search_index.build_search_index, search_index.update_search_index

    def recording_build(resources: object) -> search_index.SearchIndex:
        calls.append("build")
        return real_build(resources)  # type: ignore[arg-type]

    def recording_update(*arguments: Any) -> search_index.SearchIndex | None:
        updated = real_update(*arguments)
        if updated is not None:  # otherwise a build follows, and is recorded
            calls.append("update")
        return updated

    monkeypatch.setattr(search_index, "build_search_index", recording_build)
    monkeypatch.setattr(search_index, "update_search_index", recording_update)
    return calls


def uncached(path: Path, query: str, limit: int | None) -> list[search.SearchHit]:
    """What ranking a fresh parse of the file gives, with no cached index."""
    return rank_resources(load_catalogue(path).resources, query, limit=limit)


@pytest.mark.parametrize("limit", [None, 3])
def test_cached_index_gives_the_same_hits(catalogue: Path, builds: list[str], limit: int) -> None:
    """Every query gives exactly the hits of an uncached ranking, before and after caching."""
    expected = [uncached(catalogue, query, limit) for query in QUERIES]
    builds.clear()
    for query, hits in zip(QUERIES, expected, strict=True):
        found, problems = search_catalogue(catalogue, query, limit=limit)
        assert found == hits, query
        assert problems == []
    assert len(builds) == 1  # built by the first search, then read from the cache


def test_problems_come_back_from_the_cache(tmp_path: Path, builds: list[str]) -> None:
    """The invalid resources a search warns about are the same on a cached search."""
    path = tmp_path / "c.toml"
    path.write_text(PROBLEMS, encoding="utf-8")
    first = search_catalogue(path, "labour inspectors")
    second = search_catalogue(path, "labour inspectors")
    assert first == second
    assert second[1] == load_catalogue(path).problems
    assert [hit.resource.id for hit in second[0]] == ["labour"]
    assert len(builds) == 1


def test_changed_file_is_never_answered_from_the_cache(tmp_path: Path, builds: list[str]) -> None:
    """New content with the same size and modification time is indexed again."""
    path = tmp_path / "c.toml"
    path.write_text(PROBLEMS, encoding="utf-8")
    search_catalogue(path, "labour")
    status = path.stat()
    path.write_text(PROBLEMS.replace("Labour inspectors", "Labour inspektors"), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    hits, _ = search_catalogue(path, "inspektors")
    assert [hit.resource.title for hit in hits] == [
        "Labour inspektors against commercial sexual exploitation"
    ]
    assert len(builds) == 2


def damage_flip(data: bytes) -> bytes:
    """One byte changed in the middle."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def damage_truncate(data: bytes) -> bytes:
    """Cut short, as by a crash."""
    return data[: len(data) // 3]


@pytest.mark.parametrize("damage", [damage_flip, damage_truncate, lambda _data: b""])
def test_damaged_cached_index_is_rebuilt(
    catalogue: Path, builds: list[str], damage: Callable[[bytes], bytes]
) -> None:
    """A damaged cached index is a miss: built again, same hits, and whole again afterwards."""
    expected = uncached(catalogue, "labour inspectors", None)
    builds.clear()
    search_catalogue(catalogue, "labour inspectors")
    entry = cache._derived_path(catalogue, "search")
    entry.write_bytes(damage(entry.read_bytes()))
    assert search_catalogue(catalogue, "labour inspectors")[0] == expected
    assert search_catalogue(catalogue, "labour inspectors")[0] == expected
    assert len(builds) == 2


def test_index_from_other_search_code_is_rebuilt(
    catalogue: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached index written by another version of the search code is never used."""
    search_catalogue(catalogue, "labour inspectors")
    monkeypatch.setattr(search_index, "_code_fingerprint", lambda: "other search code")
    search_catalogue(catalogue, "labour inspectors")
    assert len(builds) == 2


def test_file_key_equals_the_key_of_its_bytes(catalogue: Path) -> None:
    """Hashing the file in pieces gives the key load_catalogue gives for its whole bytes."""
    assert cache.CacheKey.of_file(catalogue) == load_catalogue(catalogue).cache_key


def test_resource_rows_round_trip(catalogue: Path) -> None:
    """Resources stored as rows come back equal, alone or all together."""
    resources = load_catalogue(catalogue).resources
    rows = cache.resource_rows(resources)
    assert cache.resources_from_rows(rows) == resources
    assert cache.resources_from_rows(rows[3:4]) == resources[3:4]
    assert cache.resources_from_rows([]) == []


def test_cli_search_same_output_first_and_repeated(run_cli: RunCli, tmp_path: Path) -> None:
    """`csec search` prints the same, warnings included, with the index built or cached."""
    path = tmp_path / "c.toml"
    path.write_text(PROBLEMS, encoding="utf-8")
    first, second = (run_cli("search", "labour inspectors", "--json", path=path) for _ in "12")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert first.stderr == second.stderr
    assert '"id": "labour"' in first.stdout
    assert "'no-title' has no title (skipped)" in first.stderr
    assert "duplicate id" in first.stderr


def comparable(index: search_index.SearchIndex) -> tuple[Any, ...]:
    """An index with the orders that do not matter taken out."""
    postings = [
        {word: sorted(index.positions(slot, word)) for word in words_at}
        for slot, words_at in enumerate(index.postings)
    ]
    variants = {canonical: set(words) for canonical, words in index.variants.items()}
    stems = [{stem: set(words) for stem, words in table.items()} for table in index.stems]
    return (
        index.titles,
        postings,
        index.canonical_words,
        variants,
        index.languages,
        stems,
        index.spelled_titles,
    )


EDITS = {
    "summary": lambda resource: resource.with_changes(summary="Nuevo resumen sobre inspección."),
    "title": lambda resource: resource.with_changes(title=resource.title + " (second edition)"),
    "topics": lambda resource: resource.with_changes(topics=("tourism", "labour inspection")),
    "emptied": lambda resource: resource.with_changes(summary=None, topics=(), audience=()),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("changed", [[0], [3, 9], [5]])
@pytest.mark.parametrize("appended", [0, 2])
def test_an_updated_index_equals_a_fresh_one(
    catalogue: Path, edit: str, changed: list[int], appended: int
) -> None:
    """Re-indexing only changed and appended resources gives exactly the index of a fresh build."""
    loaded = load_catalogue(catalogue)
    before = loaded.resources
    digests = [bytes([position]) for position in range(len(before))]
    after = list(before)
    after_digests: list[bytes | None] = list(digests)
    for position in changed:
        after[position] = EDITS[edit](before[position])
        after_digests[position] = None
    for number in range(appended):
        after.append(EDITS[edit](before[number]).with_changes(id=f"new-{number}"))
        after_digests.append(None)
    updated = search_index.update_search_index(
        search_index.build_search_index(before), before, digests, after, after_digests
    )
    assert updated is not None
    assert comparable(updated) == comparable(search_index.build_search_index(after))


def test_words_that_leave_the_catalogue_leave_the_index(catalogue: Path) -> None:
    """A word found only in an edited-away summary is gone from postings and vocabulary."""
    before = load_catalogue(catalogue).resources
    unique = before[0].with_changes(summary="Zanzibarian quokkas.")
    digests: list[bytes | None] = [bytes([n]) for n in range(len(before))]
    index = search_index.build_search_index([unique, *before[1:]])
    updated = search_index.update_search_index(
        index, [unique, *before[1:]], digests, before, [None, *digests[1:]]
    )
    assert updated is not None
    assert "quokkas" in index.canonical_words
    assert "quokkas" not in updated.canonical_words
    assert all("quokkas" not in words_at for words_at in updated.postings)


def test_removals_and_wholesale_changes_build_afresh(catalogue: Path) -> None:
    """With resources removed, or most of them changed, updating steps aside."""
    resources = load_catalogue(catalogue).resources
    index = search_index.build_search_index(resources)
    digests: list[bytes | None] = [bytes([n]) for n in range(len(resources))]
    fewer = search_index.update_search_index(index, resources, digests, resources[1:], digests[1:])
    assert fewer is None
    many = [*resources] * 20
    many_index = search_index.build_search_index(many)
    many_digests: list[bytes | None] = [bytes([n % 256, n // 256]) for n in range(len(many))]
    all_changed = search_index.update_search_index(
        many_index, many, many_digests, many, [None] * len(many)
    )
    assert all_changed is None


def test_a_search_after_an_edit_updates_the_index(
    tmp_path: Path, builds: list[str], catalogue: Path
) -> None:
    """The first search after one resource changed re-indexes it alone, with fresh results."""
    path = tmp_path / "c.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    search_catalogue(path, "labour inspectors")
    start = text.index("\ntitle = ", len(text) // 2)
    path.write_text(
        text[:start]
        + '\ntitle = "Quokka inspectors in Zanzibar"'
        + text[text.index("\n", start + 1) :],
        encoding="utf-8",
    )
    queries = ("quokka inspectors", "labour inspectors")
    expected = [uncached(path, query, None) for query in queries]
    builds.clear()
    assert [search_catalogue(path, query)[0] for query in queries] == expected
    assert expected[0][0].resource.title == "Quokka inspectors in Zanzibar"
    assert builds == ["update"]


def rows_file(path: Path) -> Path:
    """Where a search keeps each resource's bytes for `path`."""
    return cache._derived_path(path, search_index._ROWS_NAME)


def test_a_repeated_search_reads_only_the_resources_it_shows(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached search reads the stored bytes of the resources it returns, and no others."""
    search_catalogue(catalogue, "labour inspectors")
    read: list[int] = []
    real = cache.RowFile.row

    def recording(self: cache.RowFile, position: int) -> bytes:
        read.append(position)
        return real(self, position)

    monkeypatch.setattr(cache.RowFile, "row", recording)
    hits, _ = search_catalogue(catalogue, "sexual exploitation", limit=3)
    assert len(hits) == len(read) == 3


@pytest.mark.parametrize("where", ["index", "row", "truncated"])
def test_damaged_stored_resources_are_rebuilt(
    catalogue: Path, builds: list[str], where: str
) -> None:
    """Damage in the stored resources is found, and the search gives the same hits anyway."""
    expected = uncached(catalogue, "labour inspectors", None)
    builds.clear()
    search_catalogue(catalogue, "labour inspectors")
    stored = rows_file(catalogue)
    data = bytearray(stored.read_bytes())
    key = cache.CacheKey.of_file(catalogue)
    assert key is not None
    rows = cache.RowFile.open(catalogue, key, search_index._ROWS_NAME)
    assert rows is not None
    top = load_catalogue(catalogue).resources.index(expected[0].resource)
    top_row = rows._start + rows._offsets[top]  # where the best hit's bytes begin
    rows.close()
    if where == "index":
        data[rows._start - 4] ^= 0xFF  # the checksum of the offsets and checksums
    elif where == "row":
        data[top_row + 5] ^= 0xFF
    else:
        del data[top_row + 5 :]
    stored.write_bytes(bytes(data))
    for _ in range(2):
        assert search_catalogue(catalogue, "labour inspectors")[0] == expected
    # Stored resources unusable: indexed again. A damaged row alone spoils no index: the one
    # cached is brought up to date (nothing changed, so no stored row is read), and saved whole.
    assert builds == ["build", "build" if where == "index" else "update"]
