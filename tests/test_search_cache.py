"""The cached search index: the same hits with or without it, and never stale or damaged."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import RunCli
from csec_cli import cache, search
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
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record every build of a search index (a cached index builds nothing)."""
    calls: list[int] = []
    real = search.build_search_index

    def recording(resources: object) -> search.SearchIndex:
        calls.append(1)
        return real(resources)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "build_search_index", recording)
    return calls


def uncached(path: Path, query: str, limit: int | None) -> list[search.SearchHit]:
    """What ranking a fresh parse of the file gives, with no cached index."""
    return rank_resources(load_catalogue(path).resources, query, limit=limit)


@pytest.mark.parametrize("limit", [None, 3])
def test_cached_index_gives_the_same_hits(catalogue: Path, builds: list[int], limit: int) -> None:
    """Every query gives exactly the hits of an uncached ranking, before and after caching."""
    expected = [uncached(catalogue, query, limit) for query in QUERIES]
    builds.clear()
    for query, hits in zip(QUERIES, expected, strict=True):
        found, problems = search_catalogue(catalogue, query, limit=limit)
        assert found == hits, query
        assert problems == []
    assert len(builds) == 1  # built by the first search, then read from the cache


def test_problems_come_back_from_the_cache(tmp_path: Path, builds: list[int]) -> None:
    """The invalid resources a search warns about are the same on a cached search."""
    path = tmp_path / "c.toml"
    path.write_text(PROBLEMS, encoding="utf-8")
    first = search_catalogue(path, "labour inspectors")
    second = search_catalogue(path, "labour inspectors")
    assert first == second
    assert second[1] == load_catalogue(path).problems
    assert [hit.resource.id for hit in second[0]] == ["labour"]
    assert len(builds) == 1


def test_changed_file_is_never_answered_from_the_cache(tmp_path: Path, builds: list[int]) -> None:
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
    catalogue: Path, builds: list[int], damage: Callable[[bytes], bytes]
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
    catalogue: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached index written by another version of the search code is never used."""
    search_catalogue(catalogue, "labour inspectors")
    monkeypatch.setattr(search, "_code_fingerprint", lambda: "other search code")
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
