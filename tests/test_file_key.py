"""The stat fingerprint that stands for a catalogue's hash: trusted only once the file settled."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from csec_cli import cache, file_key
from csec_cli.catalogue import load_catalogue
from csec_cli.file_key import CacheKey

TEXT = '[[resources]]\nid = "a"\ntitle = "Alpha one"\n'
SAME_SIZE = '[[resources]]\nid = "a"\ntitle = "Omega one"\n'


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every time a catalogue's bytes are hashed to find its key."""
    calls: list[str] = []
    real = CacheKey.hashed.__func__  # type: ignore[attr-defined]

    def recording(cls: type[CacheKey], path: Path, handle: object) -> object:
        calls.append(str(path))
        return real(cls, path, handle)

    monkeypatch.setattr(CacheKey, "hashed", classmethod(recording))
    return calls


def settled_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalogue already older than a (shortened) racy margin."""
    monkeypatch.setattr(file_key, "RACY_MARGIN_NS", 50_000_000)
    path = tmp_path / "resources.toml"
    path.write_text(TEXT, encoding="utf-8")
    time.sleep(0.1)
    return path


def test_a_settled_file_is_known_by_its_stat_without_hashing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hashes: list[str]
) -> None:
    """Once hashed after it settled, an unchanged file is not hashed on the next load."""
    path = settled_catalogue(tmp_path, monkeypatch)
    first = load_catalogue(path)
    second = load_catalogue(path)
    assert len(hashes) == 1
    assert first.cache_key == second.cache_key == CacheKey.of_file(path)


def test_a_same_size_edit_with_its_mtime_set_back_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`touch -d` back to the old time after a same-size edit cannot hide it: the ctime moved."""
    path = settled_catalogue(tmp_path, monkeypatch)
    assert load_catalogue(path).resources[0].title == "Alpha one"
    before = path.stat()
    path.write_text(SAME_SIZE, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert load_catalogue(path).resources[0].title == "Omega one"


def test_a_file_replaced_by_another_of_the_same_size_and_mtime_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's save by rename (a new inode) with size and mtime kept is a change."""
    path = settled_catalogue(tmp_path, monkeypatch)
    load_catalogue(path)
    before = path.stat()
    other = tmp_path / "saved.toml"
    other.write_text(SAME_SIZE, encoding="utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    assert load_catalogue(path).resources[0].title == "Omega one"


def test_a_racy_file_is_hashed_on_every_load_and_never_noted(
    tmp_path: Path, hashes: list[str]
) -> None:
    """A file changed within the racy margin of its hash may change again unseen in the same
    timestamp tick, so its fingerprint is never noted: each load hashes it."""
    path = tmp_path / "resources.toml"
    path.write_text(TEXT, encoding="utf-8")
    load_catalogue(path)
    load_catalogue(path)
    assert len(hashes) == 2
    assert not any(name.endswith(".stat.marshal") for name in os.listdir(cache.cache_folder()))
    # The very change the margin guards against: same size, same mtime, within the same moment.
    before = path.stat()
    path.write_text(SAME_SIZE, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert load_catalogue(path).resources[0].title == "Omega one"


def test_settled_needs_both_times_older_than_the_margin() -> None:
    """The racy rule: mtime and ctime must both be a margin older than the start of the hash."""

    def with_times(mtime_ns: int, ctime_ns: int) -> os.stat_result:
        return SimpleNamespace(st_mtime_ns=mtime_ns, st_ctime_ns=ctime_ns)  # type: ignore[return-value]

    margin = file_key.RACY_MARGIN_NS
    start = 10 * margin
    assert file_key.settled(with_times(start - margin, start - margin), start)
    assert not file_key.settled(with_times(start - margin, start - margin + 1), start)
    assert not file_key.settled(with_times(start - margin + 1, start - 2 * margin), start)


def test_a_damaged_or_foreign_stat_record_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hashes: list[str]
) -> None:
    """A stat record that is damaged, or noted for another file, sends csec back to hashing."""
    path = settled_catalogue(tmp_path, monkeypatch)
    load_catalogue(path)
    record = next(cache.cache_folder().glob("*.stat.marshal"))
    record.write_bytes(record.read_bytes()[:-3] + b"xyz")
    load_catalogue(path)
    assert len(hashes) == 2
    other = tmp_path / "other.toml"
    other.write_text(TEXT, encoding="utf-8")
    time.sleep(0.1)
    load_catalogue(other)
    other_record = cache._stat_path(other)
    os.replace(other_record, cache._stat_path(path))
    expected = CacheKey.of(path, path.read_bytes(), path.stat().st_mtime_ns)
    assert load_catalogue(path).cache_key == expected
    assert len(hashes) == 4
