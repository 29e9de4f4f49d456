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
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import marshal
import os
import stat
import struct
import sys
import tempfile
import zlib
from collections import deque
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from csec_cli.catalogue import Catalogue, Problem
from csec_cli.dates import PartialDate
from csec_cli.models import Resource

FORMAT = 2
_MAGIC = b"csec-catalogue-cache\n"
_FRAME = struct.Struct("<QI")  # payload length, CRC-32 of the payload
_RESOURCE_FIELDS = tuple(field.name for field in dataclasses.fields(Resource))
# Fields whose values seldom repeat, so sharing equal values would not pay.
_UNIQUE = frozenset({"id", "title", "summary", "url", "added", "line", "extra"})


@dataclasses.dataclass(frozen=True)
class CacheKey:
    """What a cache entry is valid for: one catalogue path holding exactly these bytes."""

    path: str
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: Path, data: bytes, mtime_ns: int) -> CacheKey:
        """The key of `data`, read from `path` whose modification time was `mtime_ns`."""
        return cls(str(path.absolute()), len(data), mtime_ns, hashlib.sha256(data).hexdigest())

    @classmethod
    def of_file(cls, path: Path) -> CacheKey | None:
        """The key of the regular file at `path` as it is now, read in pieces (never whole into
        memory), or None if it is not a regular file. Raises OSError if it cannot be read."""
        # Checked before opening: opening a named pipe would wait for a writer, forever.
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None
            digest = hashlib.file_digest(handle, "sha256")
            size = handle.tell()
        return cls(str(path.absolute()), size, status.st_mtime_ns, digest.hexdigest())

    def as_tuple(self) -> tuple[Any, ...]:
        """The key with everything else an entry depends on: format, Python, csec's code."""
        return (
            FORMAT,
            sys.version,
            _code_fingerprint(),
            self.path,
            self.size,
            self.mtime_ns,
            self.digest,
        )


def cache_folder() -> Path:
    """Where entries live: the user's cache folder (e.g. ~/.cache/csec/catalogues)."""
    from platformdirs import user_cache_path

    return user_cache_path("csec", appauthor=False) / "catalogues"


def entry_path(catalogue_path: Path) -> Path:
    """The one cache file for a catalogue path (named by a hash of the absolute path)."""
    name = hashlib.sha256(str(catalogue_path.absolute()).encode("utf-8", "surrogatepass"))
    return cache_folder() / f"{name.hexdigest()[:32]}.marshal"


def load_entry(path: Path, key: CacheKey, source: bytes) -> Catalogue | None:
    """The cached catalogue of `path` holding `source` (whose key is `key`), or None if none is
    cached or the entry is stale or damaged."""
    # As in parsing, the cyclic collector would rescan the many young objects made here, and
    # nothing here makes a cycle, so it waits until the load is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        plain = _read_value(entry_path(path), key.as_tuple())
        return None if plain is None else _catalogue_from_plain(plain, path, source)
    except Exception:  # a damaged entry is a miss, whatever the damage
        return None
    finally:
        if was_enabled:
            gc.enable()


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
        plain = _read_value(entry_path(path), probe.as_tuple(), compare=_ENTRY_OWNER)
        if plain is None:
            return {}
        catalogue = _catalogue_from_plain(plain, path, b"")
        return {digest: resource for digest, resource in catalogue.parsed_blocks}
    except Exception:  # a damaged entry is a miss, whatever the damage
        return {}
    finally:
        if was_enabled:
            gc.enable()


def store_entry(key: CacheKey, catalogue: Catalogue) -> None:
    """Save `catalogue` as the entry for `key`, atomically; give up quietly on any failure."""
    _write_value(entry_path(catalogue.path), key, (), _catalogue_to_plain(catalogue))


def load_derived(path: Path, key: CacheKey, name: str) -> Any | None:
    """A value computed from the catalogue of `path` holding exactly the bytes of `key` (its
    `cache_key`) and saved by store_derived under `name`, or None.

    The hook for caching what commands build from a catalogue, such as a search index: the
    same key and the same checks as the catalogue's own entry, so it is never stale.
    """
    return _read_value(_derived_path(path, name), (*key.as_tuple(), name))


def load_previous_derived(path: Path, name: str) -> Any | None:
    """The value last saved by store_derived under `name` for `path`, whatever bytes the file
    held then (still whole, and written by this Python and this csec code), or None.

    For updating a derived value rather than building it again: the caller must find out for
    itself what changed (block digests, say), as the key no longer says.
    """
    probe = CacheKey(str(path.absolute()), 0, 0, "")
    return _read_value(_derived_path(path, name), (*probe.as_tuple(), name), compare=_ENTRY_OWNER)


def store_derived(path: Path, key: CacheKey, name: str, value: Any) -> None:
    """Save a marshal-able value computed from the catalogue of `path` holding `key`'s bytes."""
    _write_value(_derived_path(path, name), key, (name,), value)


def _derived_path(path: Path, name: str) -> Path:
    entry = entry_path(path)
    return entry.with_name(f"{entry.stem}.{hashlib.sha256(name.encode()).hexdigest()[:8]}.marshal")


def _write_value(target: Path, key: CacheKey, extra_key: tuple[Any, ...], value: Any) -> None:
    try:
        payload = marshal.dumps(value)
        header = marshal.dumps((*key.as_tuple(), *extra_key))
    except (ValueError, OSError):  # a value marshal cannot hold, or csec's code unreadable
        return
    parts = (
        _MAGIC,
        struct.pack("<I", len(header)),
        header,
        _FRAME.pack(len(payload), zlib.crc32(payload)),
        payload,
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.writelines(parts)
        # No fsync: an entry cut short by a crash fails its checksum and is rebuilt.
        os.replace(temporary, target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


# How many leading items of a key tuple say whose an entry is (format, Python, code, path),
# before those that say which bytes it was built from.
_ENTRY_OWNER = 4


def _read_value(target: Path, header: tuple[Any, ...], compare: int | None = None) -> Any | None:
    """The value stored at `target` if its key equals `header` (or its first `compare` items)."""
    try:
        with target.open("rb") as handle:
            data = bytearray(os.fstat(handle.fileno()).st_size)
            if handle.readinto(data) != len(data):
                return None
    except (OSError, ValueError):
        return None
    try:
        return _unframe(data, header, compare)
    except Exception:  # a damaged entry is a miss, whatever the damage
        return None


def _unframe(data: bytearray, header: tuple[Any, ...], compare: int | None) -> Any | None:
    if not data.startswith(_MAGIC):
        return None
    offset = len(_MAGIC)
    (header_length,) = struct.unpack_from("<I", data, offset)
    offset += 4
    stored = marshal.loads(data[offset : offset + header_length])
    if not isinstance(stored, tuple) or stored[:compare] != header[:compare]:
        return None
    offset += header_length
    payload_length, checksum = _FRAME.unpack_from(data, offset)
    offset += _FRAME.size
    with memoryview(data) as view:
        payload = view[offset:]
        if len(payload) != payload_length or zlib.crc32(payload) != checksum:
            return None
        value = marshal.loads(payload)
        payload.release()
    data.clear()  # the entry's bytes are not needed while the result is built: lower peak
    return value


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


def _catalogue_to_plain(catalogue: Catalogue) -> tuple[Any, ...]:
    # One list per Resource field: marshal loads a few long lists far faster than many small
    # records. Repeated values (a type, a list of topics, a date) are stored once and shared.
    columns = _plain_columns(catalogue.resources, {})
    problems = [(problem.message, problem.line, problem.severity) for problem in catalogue.problems]
    return (
        columns,
        catalogue.block_digests(),
        problems,
        catalogue.header,
        _plain_value(catalogue.trailer),
        catalogue.crlf,
        catalogue.bom,
        catalogue.appendable,
        sorted(catalogue._invalid_ids),
    )


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


def _catalogue_from_plain(plain: tuple[Any, ...], path: Path, source: bytes) -> Catalogue:
    columns, digests, problems, header, trailer, crlf, bom, appendable, invalid_ids = plain
    resources = _resources_from_columns(columns)
    catalogue = Catalogue(
        path=path,
        resources=resources,
        problems=[Problem(message, line, severity) for message, line, severity in problems],
        header=header,
        trailer=_typed_value(trailer),
        crlf=crlf,
        bom=bom,
        appendable=appendable,
    )
    catalogue._invalid_ids = set(invalid_ids)
    catalogue.parsed_blocks = [
        (digest, resource)
        for digest, resource in zip(digests, resources, strict=True)
        if digest is not None
    ]
    catalogue.source = source
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


def _code_fingerprint() -> str:
    """A hash of the code that turns a file into a Catalogue: change it and entries are stale."""
    global _fingerprint
    if _fingerprint is None:
        from csec_cli import blockwise, catalogue, dates, models

        digest = hashlib.sha256(repr(_RESOURCE_FIELDS).encode())
        for module in (blockwise, catalogue, dates, models, sys.modules[__name__]):
            if module.__file__:
                digest.update(Path(module.__file__).read_bytes())
        _fingerprint = digest.hexdigest()
    return _fingerprint
