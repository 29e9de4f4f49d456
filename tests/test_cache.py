"""The catalogue cache: a hit equals a fresh parse, and anything stale or damaged is rebuilt."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csec_cli import blockwise, cache, catalogue
from csec_cli.catalogue import (
    EMPTY_CATALOGUE_TEXT,
    Catalogue,
    CatalogueLocation,
    append_resource,
    decode_catalogue_text,
    load_catalogue,
    parse_catalogue,
    write_atomically,
)
from csec_cli.dates import PartialDate
from csec_cli.errors import CsecError
from csec_cli.models import Resource, resource_to_table

SEED = Path(__file__).resolve().parents[1] / "data" / "resources.toml"
TRICKY = """\
# The team's own header, kept by csec.
owner = "documentation centre"

[[resources]]
id = "partial"
title = "A month-only date, and keys csec does not know"
date = "2009-03"
reviewed = 2024-05-01T10:00:00+02:00
tags = ["x", 1.5, true, 3]
seen = { seen = 2024-05-01, at = 10:30:00, local = 2024-05-01T10:30:00 }

[[resources]]
id = "no-title"

[[resources]]
id = "partial"
title = "A duplicate id"

[[resources]]
id = "dated"
title = "Día de acción — «labour inspectors»"
date = 2011-12-01
audience = ["labour inspectors"]
added = 2026-11-28T10:15:00Z

[meta]
schema = 1
"""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every real parse of a catalogue, whole or block by block (a hit parses nothing)."""
    calls: list[Path] = []
    real = catalogue.parse_catalogue
    real_blockwise = blockwise.parse_blockwise

    def recording(path: Path, text: str, bom: bool) -> Catalogue:
        calls.append(path)
        return real(path, text, bom)

    def recording_blockwise(path: Path, data: bytes, reusable: Any) -> Catalogue | None:
        parsed = real_blockwise(path, data, reusable)
        if parsed is not None:  # otherwise the whole-text parse follows, and is recorded
            calls.append(path)
        return parsed

    monkeypatch.setattr(catalogue, "parse_catalogue", recording)
    monkeypatch.setattr(blockwise, "parse_blockwise", recording_blockwise)
    return calls


def fresh(path: Path) -> Catalogue:
    """What parsing the file right now gives, bypassing the cache."""
    text, bom = decode_catalogue_text(path, path.read_bytes())
    return parse_catalogue(path, text, bom)


def snapshot(loaded: Catalogue) -> tuple[Any, ...]:
    """Everything a command can observe of a loaded catalogue."""
    return (
        loaded.path,
        loaded.resources,
        [resource.line for resource in loaded.resources],
        [type(resource.date) for resource in loaded.resources],
        loaded.problems,
        loaded.header,
        loaded.trailer,
        loaded.crlf,
        loaded.bom,
        loaded._provenance.appendable,
        loaded.ids(),
        loaded.text,
    )


def write(path: Path, text: str, *, crlf: bool = False, bom: bool = False) -> Path:
    """Write catalogue text as bytes, exactly (no newline translation)."""
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


@pytest.mark.parametrize(("crlf", "bom"), [(False, False), (True, True)])
def test_hit_equals_fresh_parse(tmp_path: Path, parses: list[Path], crlf: bool, bom: bool) -> None:
    """A cache hit gives exactly what a fresh parse gives: resources, lines, problems, header."""
    path = write(tmp_path / "tricky.toml", TRICKY, crlf=crlf, bom=bom)
    first = load_catalogue(path)
    second = load_catalogue(path)
    assert len(parses) == 1
    assert snapshot(second) == snapshot(first) == snapshot(fresh(path))
    assert len(second.problems) == 2
    assert second.resources[0].extra["reviewed"].utcoffset() == dt.timedelta(hours=2)


def test_hit_on_the_seed_copy(catalogue: Path, parses: list[Path]) -> None:
    """The shipped seed's copy loads from the cache on the second read, unchanged."""
    load_catalogue(catalogue)
    assert snapshot(load_catalogue(catalogue)) == snapshot(fresh(catalogue))
    assert parses == [catalogue]


def test_relative_path_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue named by a relative path keeps that name on a hit, so messages agree."""
    write(tmp_path / "team.toml", TRICKY)
    monkeypatch.chdir(tmp_path)
    load_catalogue(Path("team.toml"))
    assert load_catalogue(Path("team.toml")).path == Path("team.toml")


def test_same_size_and_mtime_but_new_content_is_rebuilt(tmp_path: Path, parses: list[Path]) -> None:
    """An edit that keeps the size and the modification time is caught by the content hash."""
    path = write(tmp_path / "c.toml", TRICKY)
    load_catalogue(path)
    before = path.stat()
    write(path, TRICKY.replace('id = "dated"', 'id = "other"'))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    loaded = load_catalogue(path)
    assert [resource.id for resource in loaded.resources] == ["partial", "other"]
    assert len(parses) == 2


def test_new_size_is_rebuilt(tmp_path: Path, parses: list[Path]) -> None:
    """A catalogue that grew is parsed again."""
    path = write(tmp_path / "c.toml", TRICKY)
    load_catalogue(path)
    write(path, TRICKY + '\n[[resources]]\nid = "more"\ntitle = "More"\n')
    assert "more" in {resource.id for resource in load_catalogue(path).resources}
    assert len(parses) == 2


def test_touched_file_is_rebuilt(tmp_path: Path, parses: list[Path]) -> None:
    """A new modification time alone is enough to parse again (and then hit again)."""
    path = write(tmp_path / "c.toml", TRICKY)
    load_catalogue(path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert snapshot(load_catalogue(path)) == snapshot(fresh(path))
    load_catalogue(path)
    assert len(parses) == 2


def damage_truncate(data: bytes) -> bytes:
    """Cut the entry in the middle of its payload."""
    return data[: len(data) // 2]


def damage_flip(data: bytes) -> bytes:
    """Change one byte near the end of the payload."""
    return data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]


def damage_garbage(_data: bytes) -> bytes:
    """Replace the entry with bytes that are not a cache entry at all."""
    return b"\x00not a cache entry\xff" * 10


def damage_empty(_data: bytes) -> bytes:
    """An empty file, as a crash between create and write could leave."""
    return b""


@pytest.mark.parametrize("damage", [damage_truncate, damage_flip, damage_garbage, damage_empty])
def test_damaged_entry_is_rebuilt_silently(
    tmp_path: Path, parses: list[Path], damage: Callable[[bytes], bytes]
) -> None:
    """A truncated, corrupted or foreign cache file is a miss: parsed again, entry rewritten."""
    path = write(tmp_path / "c.toml", TRICKY)
    load_catalogue(path)
    entry = cache.entry_path(path)
    entry.write_bytes(damage(entry.read_bytes()))
    assert snapshot(load_catalogue(path)) == snapshot(fresh(path))
    assert len(parses) == 2
    load_catalogue(path)
    assert len(parses) == 2  # the rebuilt entry is whole again


def test_entry_for_other_bytes_is_never_used(tmp_path: Path) -> None:
    """A whole, valid entry built from other content is ignored: the TOML file is the truth."""
    path = write(tmp_path / "c.toml", TRICKY)
    load_catalogue(path)
    stale_entry = cache.entry_path(path).read_bytes()
    write(path, '[[resources]]\nid = "only"\ntitle = "The file says this"\n')
    cache.entry_path(path).write_bytes(stale_entry)
    assert [resource.id for resource in load_catalogue(path).resources] == ["only"]


def test_entry_from_other_code_is_never_used(
    tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry written by other csec code (or another Python) is rebuilt, not trusted."""
    path = write(tmp_path / "c.toml", TRICKY)
    load_catalogue(path)
    monkeypatch.setattr(cache, "_fingerprint", "other code")
    load_catalogue(path)
    assert len(parses) == 2


def test_cache_lives_outside_the_catalogue_folder(tmp_path: Path, cache_home: Path) -> None:
    """Reading a catalogue adds no file beside it; the entry is in the user's cache folder."""
    folder = tmp_path / "team"
    folder.mkdir()
    path = write(folder / "c.toml", TRICKY)
    load_catalogue(path)
    assert [item.name for item in folder.iterdir()] == ["c.toml"]
    assert cache.entry_path(path).is_relative_to(cache_home / "csec")
    assert cache.entry_path(path).is_file()


def test_unwritable_cache_folder_still_works(
    tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the cache folder cannot be made, every load parses and nothing fails."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = write(tmp_path / "c.toml", TRICKY)
    assert snapshot(load_catalogue(path)) == snapshot(fresh(path))
    assert snapshot(load_catalogue(path)) == snapshot(fresh(path))
    assert len(parses) == 2


def test_concurrent_readers_while_entries_are_written(tmp_path: Path) -> None:
    """Threads loading while others rewrite the entry always get the catalogue as it is."""
    path = write(tmp_path / "c.toml", TRICKY)
    expected = snapshot(fresh(path))
    key = cache.CacheKey.of(path, path.read_bytes(), path.stat().st_mtime_ns)
    results: list[tuple[Any, ...]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                results.append(snapshot(load_catalogue(path)))
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    def rewrite() -> None:
        for _ in range(20):
            cache.store_entry(key, fresh(path))

    threads = [threading.Thread(target=read) for _ in range(3)]
    threads += [threading.Thread(target=rewrite) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 60
    assert all(result == expected for result in results)


def test_concurrent_processes_build_one_whole_entry(tmp_path: Path, cache_home: Path) -> None:
    """Several csec processes missing the cache at once all read right and leave a whole entry."""
    path = write(tmp_path / "c.toml", TRICKY)
    script = (
        "import sys; from pathlib import Path; from csec_cli.catalogue import load_catalogue; "
        "print(sorted(r.id for r in load_catalogue(Path(sys.argv[1])).resources))"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert outputs == ["['dated', 'partial']\n"] * 4
    key = cache.CacheKey.of(path, path.read_bytes(), path.stat().st_mtime_ns)
    hit = cache.load_entry(path, key, path.read_bytes())
    assert hit is not None and snapshot(hit) == snapshot(fresh(path))
    assert not list(cache.entry_path(path).parent.glob("*.tmp"))


def test_append_refreshes_the_cache(catalogue: Path, parses: list[Path]) -> None:
    """After an append the next load is a hit, and equals a fresh parse of the new file."""
    location = CatalogueLocation(catalogue, "--catalogue")
    load_catalogue(catalogue)
    added = Resource(
        id="new-one",
        title="Guidelines for labour inspectors on commercial sexual exploitation, second edition",
        date=PartialDate(2020, 5),
        topics=("labour inspection",),
    )
    returned = append_resource(location, added)
    loaded = load_catalogue(catalogue)
    assert len(parses) == 1
    assert snapshot(loaded) == snapshot(fresh(catalogue)) == snapshot(returned)
    assert loaded.resources[-1] == added


def test_append_to_crlf_file_keeps_line_numbers(tmp_path: Path, parses: list[Path]) -> None:
    """Appending to a CRLF file with a BOM gives the line a fresh parse gives."""
    path = write(
        tmp_path / "c.toml", TRICKY.split('[[resources]]\nid = "no-title"')[0], crlf=True, bom=True
    )
    append_resource(CatalogueLocation(path, "--catalogue"), Resource(id="x", title="X " * 60))
    assert snapshot(load_catalogue(path)) == snapshot(fresh(path))
    assert path.read_bytes().count(b"\n") == path.read_bytes().count(b"\r\n")


def test_append_refuses_an_invalid_resource(catalogue: Path) -> None:
    """A resource that would not load back is not written (the block is validated first)."""
    before = catalogue.read_bytes()
    with pytest.raises(CsecError, match="title"):
        append_resource(
            CatalogueLocation(catalogue, "--catalogue"), Resource(id="x", title=" " * 120)
        )
    assert catalogue.read_bytes() == before


text_values = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
toml_scalars = st.one_of(
    text_values,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    st.dates(),
    st.times().map(lambda value: value.replace(microsecond=0)),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))])).map(
        lambda value: value.replace(microsecond=0)
    ),
)
partial_dates = st.one_of(
    st.none(),
    st.builds(PartialDate, st.integers(1, 9999)),
    st.builds(PartialDate, st.integers(1, 9999), st.integers(1, 12)),
    st.dates().map(lambda day: PartialDate(day.year, day.month, day.day)),
)


@st.composite
def resources(draw: st.DrawFn, index: int) -> Resource:
    """Any valid resource, with unknown keys of every TOML type."""
    words = st.lists(text_values.filter(str.strip), max_size=3).map(tuple)
    return Resource(
        id=f"r{index}",
        title=draw(text_values.filter(str.strip)),
        date=draw(partial_dates),
        summary=draw(st.none() | text_values),
        type=draw(st.none() | st.sampled_from(["manual", "study"])),
        audience=draw(words),
        topics=draw(words),
        countries=draw(words),
        language=draw(st.none() | st.just("es")),
        added=draw(
            st.none()
            | st.datetimes(timezones=st.just(dt.UTC)).map(lambda v: v.replace(microsecond=0))
        ),
        extra=draw(
            st.dictionaries(
                st.from_regex(r"[a-z]{1,8}", fullmatch=True).filter(
                    lambda key: key not in Resource.__dataclass_fields__
                ),
                toml_scalars | st.lists(toml_scalars, max_size=3),
                max_size=3,
            )
        ),
    )


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_round_trip_through_the_cache(data: st.DataObject) -> None:
    """Any catalogue csec writes loads from the cache exactly as it parses."""
    count = data.draw(st.integers(0, 4))
    items = [data.draw(resources(index)) for index in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
        # Each table written under its own header (tomli-w alone would inline short ones).
        blocks = ["[[resources]]\n" + tomli_w.dumps(resource_to_table(item)) for item in items]
        write_atomically(path, "\n".join(blocks) or EMPTY_CATALOGUE_TEXT)
        first = load_catalogue(path)
        second = load_catalogue(path)
        assert cache.entry_path(path).is_file()
        assert snapshot(second) == snapshot(first) == snapshot(fresh(path))
        assert second.resources == items


def test_shipped_seed_is_only_read(shipped_seed_unchanged: None) -> None:
    """Loading the shipped seed twice (the second from the cache) leaves it as it was."""
    load_catalogue(SEED)
    assert snapshot(load_catalogue(SEED)) == snapshot(fresh(SEED))


def test_append_to_a_new_file(tmp_path: Path, parses: list[Path]) -> None:
    """The first resource of a new catalogue is on line 1, as a fresh parse says."""
    path = tmp_path / "new.toml"
    resource = Resource(id="first", title="The first resource of a brand new team catalogue " * 2)
    append_resource(CatalogueLocation(path, "--catalogue"), resource)
    assert snapshot(load_catalogue(path)) == snapshot(fresh(path))
    assert load_catalogue(path).resources[0].line == 1
    assert parses == []


def test_derived_value_is_kept_for_the_same_bytes_only(tmp_path: Path) -> None:
    """A value stored with a catalogue's cache_key comes back until the file changes."""
    path = write(tmp_path / "c.toml", TRICKY)
    loaded = load_catalogue(path)
    assert loaded.cache_key is not None
    cache.store_derived(path, loaded.cache_key, "search-index", [{"words": ["labour"]}, [1, 2]])
    again = load_catalogue(path)
    assert again.cache_key is not None
    assert cache.load_derived(path, again.cache_key, "search-index") == [
        {"words": ["labour"]},
        [1, 2],
    ]
    assert cache.load_derived(path, again.cache_key, "other") is None
    write(path, TRICKY.replace("A duplicate id", "A duplicate id, edited"))
    changed = load_catalogue(path)
    assert changed.cache_key is not None
    assert cache.load_derived(path, changed.cache_key, "search-index") is None


def test_derived_value_damaged_is_a_miss(tmp_path: Path) -> None:
    """A damaged derived entry is ignored, never returned."""
    path = write(tmp_path / "c.toml", TRICKY)
    key = load_catalogue(path).cache_key
    assert key is not None
    cache.store_derived(path, key, "search-index", cache.slices_of(list(range(12000))))
    entry = cache._derived_path(path, "search-index")
    entry.write_bytes(damage_flip(entry.read_bytes()))
    assert cache.load_derived(path, key, "search-index") is None


def test_entries_cut_into_many_slices_load_whole(
    catalogue: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalogue stored in many slices per field (as large ones are) loads back equal."""
    monkeypatch.setattr(cache, "_SLICE", 3)
    load_catalogue(catalogue)
    assert snapshot(load_catalogue(catalogue)) == snapshot(fresh(catalogue))
    assert parses == [catalogue]


def test_an_entry_missing_its_last_parts_or_with_more_is_a_miss(tmp_path: Path) -> None:
    """Parts lost at a boundary, or bytes after the last part, make the entry a miss."""
    path = write(tmp_path / "c.toml", TRICKY)
    key = load_catalogue(path).cache_key
    assert key is not None
    cache.store_derived(path, key, "index", [["first"], ["second"]])
    entry = cache._derived_path(path, "index")
    whole = entry.read_bytes()
    last_part = cache._FRAME.size + len(marshal.dumps(["second"]))
    entry.write_bytes(whole[:-last_part])
    assert cache.load_derived(path, key, "index") is None
    entry.write_bytes(whole + b"\0")
    assert cache.load_derived(path, key, "index") is None
    entry.write_bytes(whole)
    assert cache.load_derived(path, key, "index") == [["first"], ["second"]]


def test_slices_join_back_or_refuse() -> None:
    """Lists cut by slices_of join back; a count that does not fit the slices is refused."""
    first, second = list(range(12_000)), [str(number) for number in range(12_000)]
    slices = [*cache.slices_of(first), *cache.slices_of(second)]
    assert cache.join_slices(slices, 12_000, 2) == [first, second]
    assert cache.join_slices([], 0, 2) == [[], []]
    with pytest.raises(ValueError):
        cache.join_slices(slices[:-1], 12_000, 2)


def test_readers_do_not_hold_the_file_but_can_read_it_again(tmp_path: Path) -> None:
    """A reading load keeps no copy of the file's bytes; its text is read again, checked."""
    path = write(tmp_path / "c.toml", TRICKY)
    for _ in range(2):  # a parse, then a cache hit
        loaded = load_catalogue(path)
        assert loaded._provenance.source is None
        assert loaded.text == TRICKY
    stale = load_catalogue(path)
    write(path, TRICKY.replace("A duplicate id", "Changed meanwhile"))
    with pytest.raises(CsecError, match="changed while csec was using it"):
        _ = stale.text


def test_writers_keep_the_bytes_they_loaded(tmp_path: Path) -> None:
    """A load for writing keeps the text it read, whatever happens to the file later."""
    plain = TRICKY[: TRICKY.index("[meta]")]  # read block by block; TRICKY as a whole is not
    for number, text in enumerate([TRICKY, plain]):
        path = write(tmp_path / f"c{number}.toml", text, crlf=True, bom=True)
        loaded = [load_catalogue(path, keep_source=True) for _ in range(2)]  # parse, cache hit
        write(path, "# replaced\n")
        assert [catalogue.text for catalogue in loaded] == [text.replace("\n", "\r\n")] * 2


def test_entries_of_deleted_catalogues_are_pruned(tmp_path: Path) -> None:
    """Writing an entry deletes the entries (and indexes) of catalogues that are gone."""
    kept, gone = write(tmp_path / "kept.toml", TRICKY), write(tmp_path / "gone.toml", TRICKY)
    for path in (kept, gone):
        key = load_catalogue(path).cache_key
        assert key is not None
        cache.store_derived(path, key, "index", [["words"]])
    stranger = cache.cache_folder() / "not-csec.marshal"
    stranger.write_bytes(b"something else")
    gone.unlink()
    write(kept, TRICKY.replace("A duplicate id", "Edited"))
    load_catalogue(kept)  # a miss: the entry is written, and the folder pruned
    assert cache.entry_path(kept).exists()
    assert cache._derived_path(kept, "index").exists()
    assert not cache.entry_path(gone).exists()
    assert not cache._derived_path(gone, "index").exists()
    assert stranger.read_bytes() == b"something else"


def append_some(path: Path, count: int, start: int = 0) -> None:
    """Append `count` resources with csec's own append."""
    for number in range(start, start + count):
        resource = Resource(id=f"added-{number}", title=f"Appended resource number {number}")
        append_resource(CatalogueLocation(path, "--catalogue"), resource)


def test_appends_are_cached_beside_the_entry_they_extend(
    catalogue: Path, parses: list[Path]
) -> None:
    """After appends, the next read is a hit built from the entry and what was appended."""
    load_catalogue(catalogue)
    append_some(catalogue, 3)
    assert cache._appended_path(catalogue).exists()
    loaded = load_catalogue(catalogue)
    assert snapshot(loaded) == snapshot(fresh(catalogue))
    assert [resource.id for resource in loaded.resources[-3:]] == [f"added-{n}" for n in range(3)]
    assert parses == [catalogue]
    blocks = cache.load_parsed_blocks(catalogue)
    assert {resource.id for resource in blocks.values()} >= {"added-0", "added-1", "added-2"}


def test_appended_resources_are_never_put_on_another_entry(
    catalogue: Path, parses: list[Path]
) -> None:
    """If the entry they extend was replaced meanwhile, appended resources are not used."""
    load_catalogue(catalogue)
    append_some(catalogue, 2)
    appended_bytes, appended_time = catalogue.read_bytes(), catalogue.stat().st_mtime_ns
    text = appended_bytes.decode("utf-8")
    catalogue.write_text(text.replace("Taking action", "Taking more action"), encoding="utf-8")
    load_catalogue(catalogue)  # a whole entry for other bytes replaces the one extended
    catalogue.write_bytes(appended_bytes)  # the very file the appended resources were cached for
    os.utime(catalogue, ns=(appended_time, appended_time))
    parses.clear()
    assert snapshot(load_catalogue(catalogue)) == snapshot(fresh(catalogue))
    assert parses == [catalogue]


def test_a_damaged_file_of_appended_resources_is_a_miss(
    catalogue: Path, parses: list[Path]
) -> None:
    """Appended resources whose file is damaged are never used: the catalogue is parsed."""
    load_catalogue(catalogue)
    append_some(catalogue, 2)
    appended = cache._appended_path(catalogue)
    appended.write_bytes(damage_flip(appended.read_bytes()))
    parses.clear()
    assert snapshot(load_catalogue(catalogue)) == snapshot(fresh(catalogue))
    assert parses == [catalogue]


def test_many_appends_write_a_whole_entry_again(
    catalogue: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a limit, an append rewrites the whole entry and reads stay hits."""
    monkeypatch.setattr(cache, "_MOST_APPENDED", 2)
    load_catalogue(catalogue)
    entry = cache.entry_path(catalogue)
    first = entry.read_bytes()
    append_some(catalogue, 2)
    assert entry.read_bytes() == first
    append_some(catalogue, 1, start=2)
    assert entry.read_bytes() != first
    assert snapshot(load_catalogue(catalogue)) == snapshot(fresh(catalogue))
    assert parses == [catalogue]
