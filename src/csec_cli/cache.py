"""A disposable cache of parsed, validated catalogues, so large catalogues load in a blink.

Parsing TOML is the slow part of every command on a big catalogue (about 0.3 s for 10,000
resources, several seconds for 100,000); loading the same result from `marshal` takes a tenth of
that. The cache is never the source of truth: an entry is used only when the catalogue file's
bytes are exactly those it was built from (same size, modification time and SHA-256 of the
content, all checked on every load), and only if the entry is whole (its own length and
checksum), written by this Python and by this csec code. Anything else is a miss, and the
catalogue is parsed again and the entry rewritten. Entries live in the user's cache folder
(never beside the team's catalogue), one per catalogue path, and are written to a temporary file
and renamed, so concurrent runs see a whole entry or none. Any error reading or writing the
cache is a miss, never a failure: csec works the same with an unwritable or deleted cache.

An entry is a sequence of parts, each marshalled and checksummed on its own, and long lists are
cut into slices of _SLICE items: so neither writing nor reading ever holds a whole entry's bytes
beside the objects they stand for, which at 100,000 resources would be tens of megabytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import io
import marshal
import os
import stat
import struct
import sys
import tempfile
import zlib
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import accumulate, chain, pairwise, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, BinaryIO

from csec_cli.dates import PartialDate
from csec_cli.file_key import CacheKey as CacheKey  # where callers have always found it
from csec_cli.file_key import Fingerprint, fingerprint
from csec_cli.models import Resource
from csec_cli.toml_format import Catalogue, Problem, Provenance

FORMAT = 4
_MAGIC = b"csec-catalogue-cache\n"
_FRAME = struct.Struct("<QI")  # payload length, CRC-32 of the payload
_COUNT = struct.Struct("<I")
# Items per slice of a long list (see the module's docstring).
_SLICE = 5000
_RESOURCE_FIELDS = tuple(field.name for field in dataclasses.fields(Resource))
# Fields whose values seldom repeat, so sharing equal values would not pay.
_UNIQUE = frozenset({"id", "title", "summary", "url", "added", "line", "extra"})


def _key_tuple(key: CacheKey) -> tuple[Any, ...]:
    """The key with everything else an entry depends on: format, Python, csec's code and the
    interface language (a catalogue's problems are kept worded in it)."""
    return (
        FORMAT,
        sys.version,
        (_code_fingerprint(), *_messages_fingerprint()),
        key.path,
        key.size,
        key.mtime_ns,
        key.digest,
    )


def cache_folder() -> Path:
    """Where entries live: the user's cache folder (e.g. ~/.cache/csec/catalogues)."""
    from platformdirs import user_cache_path

    return user_cache_path("csec", appauthor=False) / "catalogues"


def entry_path(catalogue_path: Path) -> Path:
    """The one cache file for a catalogue path (named by a hash of the absolute path)."""
    name = hashlib.sha256(str(catalogue_path.absolute()).encode("utf-8", "surrogatepass"))
    return cache_folder() / f"{name.hexdigest()[:32]}.marshal"


def key_of_open_file(path: Path, handle: io.BufferedReader) -> CacheKey:
    """The key of the file at `path`, open as `handle` at its start: the hash noted for its stat
    fingerprint when that still matches (see file_key.settled), else hashed in pieces, and the
    fingerprint noted for next time if the file had settled."""
    noted = fingerprint(os.fstat(handle.fileno()))
    known = _noted_key(path, noted)
    if known is not None:
        return known
    key, settled = CacheKey.hashed(path, handle)
    if settled is not None:
        _write_value(_stat_path(path), key, (_STAT_NAME,), [settled])
    return key


def key_of_file(path: Path) -> CacheKey | None:
    """key_of_open_file for the regular file at `path`, or None if it is not one. Raises OSError
    if it cannot be read."""
    # Checked before opening: opening a named pipe would wait for a writer, forever.
    if not stat.S_ISREG(path.stat().st_mode):
        return None
    with path.open("rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return key_of_open_file(path, handle)


_STAT_NAME = "stat"


def _stat_path(path: Path) -> Path:
    entry = entry_path(path)
    return entry.with_name(f"{entry.stem}.stat.marshal")


def _noted_key(path: Path, noted: Fingerprint) -> CacheKey | None:
    """The key noted for `path` with exactly the stat fingerprint `noted`, or None."""
    probe = CacheKey(str(path.absolute()), 0, 0, "")
    header = (*_key_tuple(probe), _STAT_NAME)
    found = _read_value_and_key(_stat_path(path), header, compare=_ENTRY_OWNER)
    if found is None:
        return None
    stored, parts = found
    key = CacheKey(*stored[_PATH_ITEM : _PATH_ITEM + 4])
    if stored[-1] != _STAT_NAME or parts != [noted]:
        return None
    if (key.size, key.mtime_ns) != (noted[2], noted[3]):
        return None
    return key


def load_entry(path: Path, key: CacheKey, source: bytes | None) -> Catalogue | None:
    """The cached catalogue of `path` whose bytes have the key `key` (and are `source`, if
    given, for its `source`), or None if none is cached or the entry is stale or damaged."""
    # As in parsing, the cyclic collector would rescan the many young objects made here, and
    # nothing here makes a cycle, so it waits until the load is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        parts = _read_value(entry_path(path), _key_tuple(key))
        if parts is None:
            return _load_with_appended(path, key, source)
        catalogue = _catalogue_from_parts(parts, path, source)
        catalogue._provenance.cache_base = (key, len(catalogue.resources))
        return catalogue
    except Exception:  # a damaged entry is a miss, whatever the damage
        return None
    finally:
        if was_enabled:
            gc.enable()


def _load_with_appended(path: Path, key: CacheKey, source: bytes | None) -> Catalogue | None:
    """The catalogue of `key` as an entry of earlier bytes plus the resources appended since
    (see store_appended), or None."""
    wanted = _key_tuple(key)
    found = _read_value_and_key(_appended_path(path), wanted, compare=len(wanted))
    if found is None:
        return None
    stored, (about, *slices) = found
    base = CacheKey(key.path, *stored[len(wanted) :])
    base_parts = _read_value(entry_path(path), _key_tuple(base))
    if base_parts is None:
        return None
    catalogue = _catalogue_from_parts(base_parts, path, source)
    base_count = len(catalogue.resources)
    *columns, digests = join_slices(slices, about[0], len(_RESOURCE_FIELDS) + 1)
    appended = _resources_from_columns(columns)
    catalogue.resources.extend(appended)
    catalogue._provenance.canonical = about[1]
    catalogue._provenance.parsed_blocks.extend(
        (digest, resource)
        for digest, resource in zip(digests, appended, strict=True)
        if digest is not None
    )
    catalogue._provenance.cache_base = (base, base_count)
    return catalogue


def load_parsed_blocks(path: Path) -> dict[bytes, Resource]:
    """The resources of the entry last stored for `path`, whatever bytes the file held then, by
    the digest of the block each was read from (blockwise.py): nothing if there is none.

    The catalogue file has changed since (else load_entry would have found the entry), but a
    block with the same digest has the same bytes, so it gives the same resource. The entry must
    still be whole and written by this Python and this csec code.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        probe = CacheKey(str(path.absolute()), 0, 0, "")
        parts = _read_value(entry_path(path), _key_tuple(probe), compare=_ENTRY_OWNER)
        if parts is None:
            return {}
        catalogue = _catalogue_from_parts(parts, path, None)
        blocks = dict(catalogue._provenance.parsed_blocks)
        # Resources appended since that entry (store_appended): each is known by its own block's
        # digest too, whatever the entry it was appended to.
        appended = _read_value(_appended_path(path), _key_tuple(probe), compare=_ENTRY_OWNER)
        if appended is not None:
            about, *slices = appended
            *columns, digests = join_slices(slices, about[0], len(_RESOURCE_FIELDS) + 1)
            resources = _resources_from_columns(columns)
            blocks.update(
                (digest, resource)
                for digest, resource in zip(digests, resources, strict=True)
                if digest is not None
            )
        return blocks
    except Exception:  # a damaged entry is a miss, whatever the damage
        return {}
    finally:
        if was_enabled:
            gc.enable()


def store_entry(key: CacheKey, catalogue: Catalogue) -> None:
    """Save `catalogue` as the entry for `key`, atomically; give up quietly on any failure.

    Entries of catalogues that no longer exist are deleted at the same time, so trying csec on
    temporary files does not leave the cache folder growing for ever.
    """
    _write_value(entry_path(catalogue.path), key, (), _catalogue_to_parts(catalogue))
    prune_entries()


# Beyond this many resources appended since the last whole entry, the next append writes a whole
# entry again (loading appended resources costs as much as loading stored ones).
_MOST_APPENDED = 1000


MOST_APPENDED = _MOST_APPENDED


def appended_since(path: Path, key: CacheKey) -> tuple[CacheKey, list[Resource], list[Any]] | None:
    """How the cached catalogue of `key` is stored: (key, [], []) for a whole entry, (the key of
    its entry, the resources appended since and their block digests) for an entry and the
    resources appended to it (store_appended), or None if it is not cached. Reads only the
    entry's key and the appended resources, so `add` can extend it without loading the rest
    (load_entry still checks every part when it loads)."""
    wanted = _key_tuple(key)
    if _stored_header(entry_path(path)) == wanted:
        return key, [], []
    found = _read_value_and_key(_appended_path(path), wanted, compare=len(wanted))
    if found is None:
        return None
    stored, (about, *slices) = found
    base = CacheKey(key.path, *stored[len(wanted) :])
    if _stored_header(entry_path(path)) != _key_tuple(base):
        return None
    *columns, digests = join_slices(slices, about[0], len(_RESOURCE_FIELDS) + 1)
    return base, _resources_from_columns(columns), digests


def _stored_header(target: Path) -> Any:
    try:
        with target.open("rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                return None
            (length,) = _COUNT.unpack(handle.read(_COUNT.size))
            return marshal.loads(handle.read(length))
    except Exception:  # unreadable or damaged: a miss
        return None


def store_appended(key: CacheKey, catalogue: Catalogue, *, whole_if_needed: bool = True) -> None:
    """Save `catalogue`, which is a cached catalogue with resources appended, for `key`.

    Rewriting the whole entry would cost more than the append itself at 10,000 resources. So
    only the appended resources are written, to a second file whose key names the entry they
    extend; load_entry takes both only when both are whole and that entry is still the one
    named. Falls back to store_entry when there is no such entry, or too much was appended
    (without `whole_if_needed`, for a catalogue holding only the appended resources, it writes
    nothing then).
    """
    base = catalogue._provenance.cache_base
    path_text = str(catalogue.path.absolute())
    if (
        base is None
        or base[0].path != path_text
        or not 0 < len(catalogue.resources) - base[1] <= _MOST_APPENDED
    ):
        if whole_if_needed:
            store_entry(key, catalogue)
        return
    base_key, base_count = base
    appended = catalogue.resources[base_count:]
    columns = [*_plain_columns(appended, {}), catalogue.block_digests()[base_count:]]
    about = (len(appended), catalogue._provenance.canonical)
    parts = [about, *(part for column in columns for part in slices_of(column))]
    extends = (base_key.size, base_key.mtime_ns, base_key.digest)
    _write_value(_appended_path(catalogue.path), key, extends, parts)


def _appended_path(path: Path) -> Path:
    entry = entry_path(path)
    return entry.with_name(f"{entry.stem}.appended.marshal")


def prune_entries() -> None:
    """Delete every cache file (entries and derived values) whose catalogue file is gone."""
    try:
        files = list(cache_folder().glob("*.marshal"))
    except OSError:
        return
    for file in files:
        try:
            with file.open("rb") as handle:
                if handle.read(len(_MAGIC)) != _MAGIC:
                    continue  # not csec's: left alone
                (length,) = _COUNT.unpack(handle.read(_COUNT.size))
                owner = marshal.loads(handle.read(length))[_PATH_ITEM]
            if isinstance(owner, str) and not os.path.lexists(owner):
                file.unlink()
        except Exception:  # unreadable or damaged: rewritten on its next use, if any
            continue


def load_derived(path: Path, key: CacheKey, name: str) -> list[Any] | None:
    """The parts of a value computed from the catalogue of `path` holding exactly the bytes of
    `key` (its `cache_key`) and saved by store_derived under `name`, or None.

    The hook for caching what commands build from a catalogue, such as a search index: the
    same key and the same checks as the catalogue's own entry, so it is never stale.
    """
    return _read_value(_derived_path(path, name), (*_key_tuple(key), name))


def load_previous_derived(path: Path, name: str) -> tuple[CacheKey, list[Any]] | None:
    """The parts last saved by store_derived under `name` for `path`, whatever bytes the file
    held then (still whole, and written by this Python and this csec code), with the key of
    those bytes; or None.

    For updating a derived value rather than building it again: the caller must find out for
    itself what changed (block digests, say), as the key no longer says.
    """
    probe = CacheKey(str(path.absolute()), 0, 0, "")
    header = (*_key_tuple(probe), name)
    found = _read_value_and_key(_derived_path(path, name), header, compare=_ENTRY_OWNER)
    if found is None:
        return None
    stored, parts = found
    return CacheKey(*stored[_PATH_ITEM : _PATH_ITEM + 4]), parts


def store_derived(path: Path, key: CacheKey, name: str, parts: Sequence[Any]) -> None:
    """Save marshal-able parts of a value computed from the catalogue of `path` holding `key`'s
    bytes (long lists best given in slices: see slices_of)."""
    _write_value(_derived_path(path, name), key, (name,), parts)


def slices_of(values: Sequence[Any]) -> list[Sequence[Any]]:
    """A long list as parts of a cache entry: slices of _SLICE items (join them with
    itertools.chain when loading)."""
    return [values[start : start + _SLICE] for start in range(0, len(values), _SLICE)]


def join_slices(slices: Sequence[Sequence[Any]], count: int, lists: int) -> list[list[Any]]:
    """`lists` lists of `count` items each, from the slices_of of each, one after another."""
    per_list = -(-count // _SLICE)
    if len(slices) != per_list * lists:
        raise ValueError("a damaged cache entry")  # the caller's miss
    return [
        list(chain.from_iterable(slices[number * per_list : (number + 1) * per_list]))
        for number in range(lists)
    ]


def _derived_path(path: Path, name: str) -> Path:
    entry = entry_path(path)
    return entry.with_name(f"{entry.stem}.{hashlib.sha256(name.encode()).hexdigest()[:8]}.marshal")


def _write_value(
    target: Path, key: CacheKey, extra_key: tuple[Any, ...], parts: Sequence[Any]
) -> None:
    try:
        header = marshal.dumps((*_key_tuple(key), *extra_key))
    except (ValueError, OSError):  # csec's code unreadable
        return
    with _replacing(target) as handle:
        if handle is None:
            return
        handle.writelines((_MAGIC, _COUNT.pack(len(header)), header, _COUNT.pack(len(parts))))
        for part in parts:
            payload = marshal.dumps(part)
            handle.writelines((_FRAME.pack(len(payload), zlib.crc32(payload)), payload))
            del payload  # one part's bytes at a time


@contextmanager
def _replacing(target: Path) -> Iterator[BinaryIO | None]:
    """A temporary file beside `target`, renamed over it if the block ends without an error;
    None (and nothing written) if it cannot be made. Failures are quiet: it is only a cache."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
    except OSError:
        yield None
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        # No fsync: an entry cut short by a crash fails its checksum and is rebuilt.
        os.replace(temporary, target)
    except (ValueError, OSError):  # a value marshal cannot hold, or a full disk
        Path(temporary).unlink(missing_ok=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# How many leading items of a key tuple say whose an entry is (format, Python, code, path),
# before those that say which bytes it was built from.
_ENTRY_OWNER = 4
_PATH_ITEM = 3


def _read_value(
    target: Path, header: tuple[Any, ...], compare: int | None = None
) -> list[Any] | None:
    """The parts stored at `target` if its key equals `header` (or its first `compare` items)
    and every part is whole, else None."""
    found = _read_value_and_key(target, header, compare)
    return None if found is None else found[1]


def _read_value_and_key(
    target: Path, header: tuple[Any, ...], compare: int | None = None
) -> tuple[tuple[Any, ...], list[Any]] | None:
    """Like _read_value, with the key stored in the file."""
    try:
        with target.open("rb") as handle:
            return _read_parts(handle, header, compare)
    except Exception:  # unreadable or damaged: a miss, whatever the damage
        return None


def _read_parts(
    handle: BinaryIO, header: tuple[Any, ...], compare: int | None
) -> tuple[tuple[Any, ...], list[Any]] | None:
    if handle.read(len(_MAGIC)) != _MAGIC:
        return None
    (header_length,) = _COUNT.unpack(handle.read(_COUNT.size))
    stored = marshal.loads(handle.read(header_length))
    if not isinstance(stored, tuple) or stored[:compare] != header[:compare]:
        return None
    (count,) = _COUNT.unpack(handle.read(_COUNT.size))
    parts = []
    for _ in range(count):
        length, checksum = _FRAME.unpack(handle.read(_FRAME.size))
        payload = handle.read(length)
        if len(payload) != length or zlib.crc32(payload) != checksum:
            return None
        parts.append(marshal.loads(payload))
    if handle.read(1):  # something after the last part: not an entry this code wrote
        return None
    return stored, parts


class CacheDamagedError(Exception):
    """A cache file found damaged after it was opened: the caller builds what it held again."""


# Rows copied at a time by RowFile._copy_rows: a megabyte or so of typical resources.
_ROWS_COPIED = 2000


class RowFile:
    """Rows of bytes (such as resource_rows) saved so that any few can be read back without
    reading the rest: a repeated search at 100,000 resources shows ten of them.

    The file holds the key it was saved for, each row's offset and CRC-32 (and a CRC-32 of that
    index), then the rows. It stays open while rows are read, so a newer file renamed over it
    meanwhile is never mixed in; a row whose checksum fails raises CacheDamagedError.
    """

    def __init__(self, handle: BinaryIO, offsets: array[int], checksums: array[int]) -> None:
        self._handle = handle
        self._start = handle.tell()
        self._offsets = offsets
        self._checksums = checksums

    def __len__(self) -> int:
        return len(self._checksums)

    @classmethod
    def open(cls, path: Path, key: CacheKey, name: str) -> RowFile | None:
        """The rows saved by store_rows for the catalogue of `path` holding `key`'s bytes, or
        None if there are none, or they are stale or damaged. Close it when done."""
        handle = None
        try:
            handle = _derived_path(path, name).open("rb")
            header = (*_key_tuple(key), name)
            if handle.read(len(_MAGIC)) != _MAGIC:
                raise ValueError
            (length,) = _COUNT.unpack(handle.read(_COUNT.size))
            if marshal.loads(handle.read(length)) != header:
                raise ValueError
            (count,) = _COUNT.unpack(handle.read(_COUNT.size))
            offsets, checksums = array("Q"), array("I")
            offsets.frombytes(handle.read(8 * (count + 1)))
            checksums.frombytes(handle.read(4 * count))
            (index_checksum,) = _COUNT.unpack(handle.read(_COUNT.size))
            whole = len(offsets) == count + 1 and len(checksums) == count
            if not whole or zlib.crc32(checksums, zlib.crc32(offsets)) != index_checksum:
                raise ValueError
            return cls(handle, offsets, checksums)
        except Exception:  # missing, stale or damaged: a miss
            if handle is not None:
                handle.close()
            return None

    def row(self, position: int) -> bytes:
        """Row number `position`, checked."""
        start, end = self._offsets[position], self._offsets[position + 1]
        self._handle.seek(self._start + start)
        data = self._handle.read(end - start)
        if len(data) != end - start or zlib.crc32(data) != self._checksums[position]:
            raise CacheDamagedError(f"row {position} of {self._handle.name} is damaged")
        return data

    def _pieces(self, start: int, end: int) -> Iterator[tuple[bytes, list[memoryview]]]:
        """Rows `start` to `end` (excluded), checked, a piece of the file at a time: its bytes
        and each row's view of them."""
        self._handle.seek(self._start + self._offsets[start])
        for first in range(start, end, _ROWS_COPIED):
            last = min(first + _ROWS_COPIED, end)
            data = self._handle.read(self._offsets[last] - self._offsets[first])
            view, base = memoryview(data), self._offsets[first]
            rows = []
            for position in range(first, last):
                row = view[self._offsets[position] - base : self._offsets[position + 1] - base]
                if zlib.crc32(row) != self._checksums[position]:
                    raise CacheDamagedError(f"row {position} of {self._handle.name} is damaged")
                rows.append(row)
            yield data, rows

    def _copy_rows(self, start: int, end: int, target: BinaryIO) -> None:
        """Write rows `start` to `end` (excluded) to `target` as they are stored, checked."""
        for data, _rows in self._pieces(start, end):
            target.write(data)

    def ids(self) -> Iterator[str]:
        """The id of each row's resource (rows of resource_rows), without rebuilding them."""
        at = _RESOURCE_FIELDS.index("id")
        for _data, rows in self._pieces(0, len(self)):
            for row in rows:
                yield marshal.loads(row)[at]

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def store_rows(path: Path, key: CacheKey, name: str, rows: Sequence[bytes]) -> None:
    """Save `rows` for the catalogue of `path` holding `key`'s bytes, to be read back a few at a
    time with RowFile; give up quietly on any failure."""
    offsets = array("Q", accumulate(map(len, rows), initial=0))
    checksums = array("I", map(zlib.crc32, rows))
    index_checksum = zlib.crc32(checksums, zlib.crc32(offsets))
    try:
        header = marshal.dumps((*_key_tuple(key), name))
    except (ValueError, OSError):
        return
    with _replacing(_derived_path(path, name)) as handle:
        if handle is None:
            return
        handle.writelines((_MAGIC, _COUNT.pack(len(header)), header, _COUNT.pack(len(rows))))
        handle.writelines((offsets.tobytes(), checksums.tobytes(), _COUNT.pack(index_checksum)))
        handle.writelines(rows)


def store_rows_changed(
    path: Path, key: CacheKey, name: str, base: RowFile, changed: Mapping[int, bytes]
) -> None:
    """store_rows for the rows of `base` with those at the positions of `changed` replaced (or,
    past its end, added in order): unchanged rows are copied as bytes, a piece at a time, so
    the rows are never all held. Quiet on any failure, as store_rows."""
    count = max(len(base), max(changed, default=-1) + 1)
    if any(position not in changed for position in range(len(base), count)):
        return
    lengths = array("Q", (end - start for start, end in pairwise(base._offsets)))
    lengths.extend([0] * (count - len(base)))
    checksums = array("I", base._checksums)
    checksums.extend([0] * (count - len(base)))
    for position, row in changed.items():
        lengths[position], checksums[position] = len(row), zlib.crc32(row)
    offsets = array("Q", accumulate(lengths, initial=0))
    index_checksum = zlib.crc32(checksums, zlib.crc32(offsets))
    try:
        header = marshal.dumps((*_key_tuple(key), name))
    except (ValueError, OSError):
        return
    with _replacing(_derived_path(path, name)) as handle:
        if handle is None:
            return
        handle.writelines((_MAGIC, _COUNT.pack(len(header)), header, _COUNT.pack(count)))
        handle.writelines((offsets.tobytes(), checksums.tobytes(), _COUNT.pack(index_checksum)))
        copied = 0  # base rows before this position are written
        for position in [*sorted(changed), count]:
            if position > copied:
                base._copy_rows(copied, min(position, len(base)), handle)
            if position < count:
                handle.write(changed[position])
            copied = position + 1


def resource_rows(resources: Sequence[Resource]) -> list[bytes]:
    """Each resource in marshal's bytes on its own, so that a few can be rebuilt without the
    rest (resources_from_rows); for values cached with store_derived."""
    return list(map(marshal.dumps, zip(*_plain_columns(resources, None), strict=True)))


def resources_from_rows(rows: Iterable[bytes]) -> list[Resource]:
    """The resources of some of resource_rows' bytes."""
    records = list(map(marshal.loads, rows))
    if not records:
        return []
    return _resources_from_columns([list(column) for column in zip(*records, strict=True)])


def _catalogue_to_parts(catalogue: Catalogue) -> list[Any]:
    # One list per Resource field (in slices): marshal loads a few long lists far faster than
    # many small records. Repeated values (a type, a list of topics, a date) are stored once
    # per part and shared.
    columns = [*_plain_columns(catalogue.resources, {}), catalogue.block_digests()]
    problems = [(problem.message, problem.line, problem.severity) for problem in catalogue.problems]
    about = (
        len(catalogue.resources),
        problems,
        catalogue.header,
        _plain_value(catalogue.trailer),
        catalogue.crlf,
        catalogue.bom,
        catalogue._provenance.appendable,
        sorted(catalogue._invalid_ids),
        catalogue._provenance.canonical,
    )
    return [about, *(part for column in columns for part in slices_of(column))]


def _plain_columns(resources: Sequence[Resource], shared: dict[Any, Any] | None) -> list[list[Any]]:
    """One list per Resource field, in marshal's terms; equal values shared through `shared`."""
    columns = []
    for name in _RESOURCE_FIELDS:
        values = list(map(attrgetter(name), resources))
        if name == "date":
            values = [
                None if date is None else (date.year, date.month, date.day) for date in values
            ]
        elif name == "added":
            values = [None if added is None else added.isoformat() for added in values]
        elif name == "extra":
            values = [_plain_value(extra) if extra else None for extra in values]
        if shared is not None and name not in _UNIQUE:
            values = list(map(shared.setdefault, values, values))
        columns.append(values)
    return columns


def _catalogue_from_parts(parts: list[Any], path: Path, source: bytes | None) -> Catalogue:
    about, *slices = parts
    count, problems, header, trailer, crlf, bom, appendable, invalid_ids, canonical = about
    *columns, digests = join_slices(slices, count, len(_RESOURCE_FIELDS) + 1)
    del slices
    resources = _resources_from_columns(columns)
    catalogue = Catalogue(
        path=path,
        resources=resources,
        problems=[Problem(message, line, severity) for message, line, severity in problems],
        header=header,
        trailer=_typed_value(trailer),
        crlf=crlf,
        bom=bom,
        _invalid_ids=set(invalid_ids),
        _provenance=Provenance(
            source=source,
            appendable=appendable,
            canonical=canonical,
            parsed_blocks=[
                (digest, resource)
                for digest, resource in zip(digests, resources, strict=True)
                if digest is not None
            ],
        ),
    )
    return catalogue


def _resources_from_columns(columns: list[list[Any]]) -> list[Resource]:
    # Resource's own __init__ (and PartialDate's validation) would cost more than the rest of
    # the load at 100,000 resources. These values were validated when the entry was built, so
    # each object is given its attribute dictionary directly, in loops that run inside C
    # (map and zip); distinct dates and times are converted once and shared.
    by_name = dict(zip(_RESOURCE_FIELDS, columns, strict=True))
    dates = {key: None if key is None else _partial_date(*key) for key in set(by_name["date"])}
    by_name["date"] = list(map(dates.__getitem__, by_name["date"]))
    times = {
        key: None if key is None else dt.datetime.fromisoformat(key)
        for key in set(by_name["added"])
    }
    by_name["added"] = list(map(times.__getitem__, by_name["added"]))
    by_name["extra"] = [{} if extra is None else _typed_value(extra) for extra in by_name["extra"]]
    attributes = map(dict, map(zip, repeat(_RESOURCE_FIELDS), zip(*by_name.values(), strict=True)))
    resources = list(map(object.__new__, repeat(Resource, len(by_name["id"]))))
    deque(map(object.__setattr__, resources, repeat("__dict__"), attributes), maxlen=0)
    return resources


def _partial_date(year: int, month: int | None, day: int | None) -> PartialDate:
    date = object.__new__(PartialDate)
    object.__setattr__(date, "__dict__", {"year": year, "month": month, "day": day})
    return date


def _plain_value(value: Any) -> Any:
    """A TOML value in marshal's terms: dates and times become tagged tuples (TOML has none)."""
    if isinstance(value, dt.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, dt.time):
        return ("time", value.isoformat())
    if isinstance(value, dict):
        return {key: _plain_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_value(item) for item in value]
    return value


def _typed_value(value: Any) -> Any:
    if isinstance(value, tuple):
        kind, text = value
        if kind == "datetime":
            return dt.datetime.fromisoformat(text)
        if kind == "date":
            return dt.date.fromisoformat(text)
        return dt.time.fromisoformat(text)
    if isinstance(value, dict):
        return {key: _typed_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed_value(item) for item in value]
    return value


_fingerprint: str | None = None
# The code that turns a file into a Catalogue, and this module that stores one.
_FINGERPRINTED = (
    "blockwise.py",
    "catalogue.py",
    "dates.py",
    "file_key.py",
    "models.py",
    "toml_format.py",
    "cache.py",
    "resource_store.py",
)


def _messages_fingerprint() -> tuple[Any, ...]:
    """The interface language, and which message catalogue of it words the problems kept."""
    from csec_cli.i18n import language

    return _catalogue_of_language(language())


@functools.cache
def _catalogue_of_language(code: str) -> tuple[Any, ...]:
    from csec_cli.i18n import DOMAIN, ENGLISH, LOCALE_DIR

    if code == ENGLISH:
        return (code,)
    try:
        found = (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo").stat()
    except OSError:
        return (code,)
    return (code, found.st_size, found.st_mtime_ns)


def _code_fingerprint() -> str:
    """A hash of the code that turns a file into a Catalogue: change it and entries are stale."""
    global _fingerprint
    if _fingerprint is None:
        # Read as files, not imported: catalogue.py builds entries too (after a write), but this
        # module must not import the layer above it.
        folder = Path(__file__).parent
        digest = hashlib.sha256(repr(_RESOURCE_FIELDS).encode())
        for name in _FINGERPRINTED:
            digest.update((folder / name).read_bytes())
        _fingerprint = digest.hexdigest()
    return _fingerprint
