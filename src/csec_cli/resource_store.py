"""A derived SQLite store of a catalogue's resources, so `list --limit` and `show` read a few.

`csec list --limit 20` needs the first 20 resources in one sort order and `csec show ID` one
resource; loading all 100,000 from the cache costs a second and 250 MB. This store keeps each
resource's cached bytes (cache.resource_rows) with its position, id and the keys of each sort
order (filters.sort_resources), indexed, so either command reads what it shows. Like every cache
file it lives in the user's cache folder and is never the truth: it is used only for the exact
bytes of the key it was built for (with the same Python and csec code, cache._key_tuple), every
row carries a CRC-32, and anything missing, stale, foreign or damaged is a miss. A full build
goes to a temporary file renamed into place; an append (`csec add`) inserts its row and moves
the key in one SQLite transaction, so a reader sees the old store or the new.
"""

from __future__ import annotations

import bisect
import contextlib
import marshal
import os
import sqlite3
import tempfile
import zlib
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from csec_cli import cache
from csec_cli.file_key import CacheKey
from csec_cli.models import Resource, fold_text
from csec_cli.toml_format import Problem

SortOrder = Literal["date", "title", "added"]

_SCHEMA = """
CREATE TABLE about (name TEXT PRIMARY KEY, value BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE resources (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    undated INTEGER NOT NULL, date_key INTEGER NOT NULL,
    title_key TEXT NOT NULL,
    unadded INTEGER NOT NULL, added_key REAL NOT NULL,
    row BLOB NOT NULL, crc INTEGER NOT NULL,
    digest BLOB
);
CREATE TABLE similar (
    length INTEGER PRIMARY KEY, positions BLOB NOT NULL, keys TEXT NOT NULL, crc INTEGER NOT NULL
);
CREATE TABLE known (
    field TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (field, value)
);
CREATE INDEX by_id ON resources (id);
CREATE INDEX by_date ON resources (undated, date_key DESC, position);
CREATE INDEX by_title ON resources (title_key, position);
CREATE INDEX by_added ON resources (unadded, added_key DESC, position);
CREATE INDEX by_digest ON resources (position, digest);
"""
# by_digest covers StoredResources.digests: read from the table, the digests of 100,000 rows
# take every page of their rows (77 MB, 0.14 s); from this index 2.6 MB (0.05 s).
# filters.sort_resources' orders: newest first with undated last, A to Z by folded title, latest
# added first; ties keep the file's order, as Python's stable sort does.
_ORDER_BY = {
    "date": "undated, date_key DESC, position",
    "title": "title_key, position",
    "added": "unadded, added_key DESC, position",
}


# Near-duplicate keys of titles are kept by their length, those of one length in one row joined
# by line breaks (which they cannot hold: see checks.title_keys), with their positions: a title
# can be near only titles of nearly its length (checks.similar_title_lengths), so `add` reads
# about a third of them. Reading 100,000 of them row by row took 0.3 s.
# The fields whose values `add` compares a new value with (commands/fields.py warn_near_misses).
KNOWN_FIELDS = ("type", "language", "publisher", "audience", "topics", "countries", "authors")


@dataclass(frozen=True)
class WriteFacts:
    """What `add` must know of the file before appending, found when the store was built.

    `clean` is the day (an ordinal) on which `csec check` found no error in the valid resources,
    with a hash of the code that checked: a date in the future only grows less so, so a catalogue
    clean on one day is clean on every later day, by the same rules. `ending` is how many line
    breaks the file holds and whether it ends with one, where an append counted them: the line
    the next appended block starts on, without counting 77 MB again.
    """

    appendable: bool
    trailer: bool
    crlf: bool
    bom: bool
    canonical: bool
    invalid_ids: tuple[str, ...]
    clean: tuple[int, str] | None = None
    ending: tuple[int, bool] | None = None


class StoreDamagedError(Exception):
    """A row or the store's facts failed their check: the caller loads the catalogue instead."""


def store_path(path: Path) -> Path:
    """The store of the catalogue at `path`, beside its cache entry."""
    entry = cache.entry_path(path)
    return entry.with_name(f"{entry.stem}.resources.sqlite")


def _sort_values(resource: Resource, position: int) -> tuple[Any, ...]:
    date, added = resource.date, resource.added
    date_key = 0 if date is None else date.year * 10000 + (date.month or 0) * 100 + (date.day or 0)
    return (
        position,
        resource.id,
        int(date is None),
        date_key,
        fold_text(resource.title),
        int(added is None),
        0.0 if added is None else added.timestamp(),
    )


def _text_crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


# The layout of the store's tables and facts: a store of another layout is a miss.
_STORE_FORMAT = 4


def _key_value(key: CacheKey) -> bytes:
    return marshal.dumps((*cache._key_tuple(key), _STORE_FORMAT))


def _about_rows(
    key: CacheKey, problems: Sequence[Problem], count: int, facts: WriteFacts
) -> list[tuple[Any, ...]]:
    plain = [(problem.message, problem.line, problem.severity) for problem in problems]
    values = {
        "key": _key_value(key),
        "facts": marshal.dumps((count, plain, astuple(facts))),
    }
    return [(name, value, zlib.crc32(value)) for name, value in values.items()]


def build(
    path: Path,
    key: CacheKey,
    resources: Sequence[Resource],
    problems: list[Problem],
    facts: WriteFacts,
    similar_keys: Sequence[str],
    known: Mapping[str, Mapping[str, int]],
    digests: Sequence[bytes | None],
) -> None:
    """Store `resources` (and the problems found reading them, what `add` must know, each
    title's checks.title_keys, the use counts of KNOWN_FIELDS' values and each resource's block
    digest, Catalogue.block_digests) for the bytes of `key`; give up quietly on any failure: it
    is only a cache."""
    target = store_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        os.close(descriptor)
    except OSError:
        return
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            connection.executescript(_SCHEMA)
            rows = cache.resource_rows(resources)
            if len(digests) != len(resources):
                raise ValueError("one block digest per resource")
            connection.executemany(
                "INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (*_sort_values(resource, position), row, zlib.crc32(row), digest)
                    for position, (resource, row, digest) in enumerate(
                        zip(resources, rows, digests, strict=True)
                    )
                ),
            )
            del rows
            if len(similar_keys) != len(resources):
                raise ValueError("one near-duplicate key per resource")
            by_length: dict[int, tuple[array[int], list[str]]] = {}
            for position, similar_key in enumerate(similar_keys):
                group = by_length.setdefault(len(similar_key), (array("I"), []))
                group[0].append(position)
                group[1].append(similar_key)
            connection.executemany(
                "INSERT INTO similar VALUES (?, ?, ?, ?)",
                (
                    _similar_row(length, positions.tobytes(), "\n".join(keys))
                    for length, (positions, keys) in by_length.items()
                ),
            )
            connection.executemany(
                "INSERT INTO known VALUES (?, ?, ?)",
                (
                    (field, value, count)
                    for field, counts in known.items()
                    for value, count in counts.items()
                ),
            )
            connection.executemany(
                "INSERT INTO about VALUES (?, ?, ?)",
                _about_rows(key, problems, len(resources), facts),
            )
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, target)
    except (sqlite3.Error, OSError, ValueError):
        Path(temporary).unlink(missing_ok=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def extend(
    path: Path,
    old: CacheKey,
    new: CacheKey,
    resource: Resource,
    similar_key: str,
    clean: tuple[int, str] | None,
    ending: tuple[int, bool] | None = None,
    digest: bytes | None = None,
) -> bool:
    """Bring the store of `old`'s bytes to `new`'s, which are those bytes with `resource`
    appended (csec add), in one transaction; False (nothing done) if the store is not `old`'s.

    `clean` is the day `add` found the old bytes clean by `check`'s rules (WriteFacts), if it
    checked: the new resource passed the same rules before it was written. `ending` is the new
    bytes' WriteFacts.ending, if the append counted it; `digest` the appended block's.
    """

    def append(
        connection: sqlite3.Connection, count: int, plain: Any, facts: WriteFacts
    ) -> list[tuple[Any, ...]]:
        _insert_resource(connection, count, resource, digest)
        _add_similar(connection, count, similar_key)
        _count_known(connection, resource, 1)
        facts = replace(facts, clean=clean or facts.clean, ending=ending)
        return _about_rows(new, [Problem(*problem) for problem in plain], count + 1, facts)

    return _changed_in_one_transaction(path, old, append)


@dataclass(frozen=True)
class Replacement:
    """One resource of the store changed by hand (see replace_changed): the one stored at its
    position and its near-duplicate key (checks.title_keys), the new one, its key and the digest
    of its block; `old` is None for a resource added after the last one."""

    old: Resource | None
    old_similar: str | None
    new: Resource
    new_similar: str
    digest: bytes


def replace_changed(
    path: Path,
    old: CacheKey,
    new: CacheKey,
    replacements: Mapping[int, Replacement],
    facts: WriteFacts,
) -> bool:
    """Bring the store of `old`'s bytes to `new`'s, which are those bytes with the resources at
    some positions changed in place or added after the last (a hand edit, a `git pull`), in one
    transaction, with the new bytes' `facts`; False (nothing done) if the store is not `old`'s.

    The caller proved what this trusts: `new`'s bytes hold every other resource in the very
    block, and on the very line, it was stored for, and no id twice (see
    catalogue._store_after_edit).
    """

    def replace_rows(
        connection: sqlite3.Connection, count: int, _plain: Any, _facts: WriteFacts
    ) -> list[tuple[Any, ...]]:
        for position, change in sorted(replacements.items()):
            if change.old is None:
                if position != count:
                    raise ValueError("a resource added past the end of the store")
                count += 1
            else:
                connection.execute("DELETE FROM resources WHERE position = ?", (position,))
                _remove_similar(connection, position, change.old_similar or "")
                _count_known(connection, change.old, -1)
            _insert_resource(connection, position, change.new, change.digest)
            _add_similar(connection, position, change.new_similar)
            _count_known(connection, change.new, 1)
        return _about_rows(new, [], count, facts)

    return _changed_in_one_transaction(path, old, replace_rows)


# A change to the store of one key's bytes: given the connection and the store's count,
# problems (as stored) and facts, it changes the rows and gives the new `about` rows.
_StoreChange = Callable[[sqlite3.Connection, int, Any, WriteFacts], list[tuple[Any, ...]]]


def _changed_in_one_transaction(path: Path, old: CacheKey, change: _StoreChange) -> bool:
    """Apply `change` to the store of `path` in one transaction if the store holds exactly
    `old`'s bytes, so a reader sees the old store or the new; False, with nothing changed,
    otherwise or on any failure (it is only a cache)."""
    try:
        connection = sqlite3.connect(store_path(path), timeout=2.0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("BEGIN IMMEDIATE")
        found = _checked_facts(connection, old)
        if found is None:
            connection.execute("ROLLBACK")
            return False
        about = change(connection, *found)
        connection.executemany("INSERT OR REPLACE INTO about VALUES (?, ?, ?)", about)
        connection.execute("COMMIT")
        return True
    except (sqlite3.Error, StoreDamagedError, ValueError, TypeError):
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def _insert_resource(
    connection: sqlite3.Connection, position: int, resource: Resource, digest: bytes | None
) -> None:
    (row,) = cache.resource_rows([resource])
    connection.execute(
        "INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_sort_values(resource, position), row, zlib.crc32(row), digest),
    )


def _add_similar(connection: sqlite3.Connection, position: int, similar_key: str) -> None:
    """Note a resource's near-duplicate key in the row of its length, in position order."""
    length = len(similar_key)
    found = connection.execute("SELECT * FROM similar WHERE length = ?", (length,)).fetchone()
    positions, keys = (array("I"), []) if found is None else _checked_similar_row(found)
    at = bisect.bisect(positions, position)
    positions.insert(at, position)
    keys.insert(at, similar_key)
    connection.execute(
        "INSERT OR REPLACE INTO similar VALUES (?, ?, ?, ?)",
        _similar_row(length, positions.tobytes(), "\n".join(keys)),
    )


def _remove_similar(connection: sqlite3.Connection, position: int, similar_key: str) -> None:
    """Forget the near-duplicate key noted for a position; StoreDamagedError if it is not there."""
    length = len(similar_key)
    found = connection.execute("SELECT * FROM similar WHERE length = ?", (length,)).fetchone()
    if found is None:
        raise StoreDamagedError("a stored title key is missing")
    positions, keys = _checked_similar_row(found)
    try:
        at = positions.index(position)
    except ValueError:
        raise StoreDamagedError("a stored title key is missing") from None
    if keys[at] != similar_key:
        raise StoreDamagedError("a stored title key is not the title's")
    del positions[at], keys[at]
    if keys:
        connection.execute(
            "INSERT OR REPLACE INTO similar VALUES (?, ?, ?, ?)",
            _similar_row(length, positions.tobytes(), "\n".join(keys)),
        )
    else:
        connection.execute("DELETE FROM similar WHERE length = ?", (length,))


def _count_known(connection: sqlite3.Connection, resource: Resource, step: int) -> None:
    """Count (step 1) or uncount (step -1) a resource's values of KNOWN_FIELDS, as
    checks.known_counts counts them: each item of a list, a plain value when it is not empty."""
    for field in KNOWN_FIELDS:
        value = getattr(resource, field)
        for item in value if isinstance(value, tuple) else filter(None, (value,)):
            connection.execute(
                "INSERT INTO known VALUES (?, ?, ?) ON CONFLICT (field, value) "
                "DO UPDATE SET count = count + excluded.count",
                (field, item, step),
            )
            if step < 0:  # a value no longer used is not kept (a fresh build has no such row)
                connection.execute(
                    "DELETE FROM known WHERE field = ? AND value = ? AND count <= 0",
                    (field, item),
                )


def _similar_row(length: int, positions: bytes, keys: str) -> tuple[int, bytes, str, int]:
    """A row of the `similar` table, with its checksum."""
    return length, positions, keys, zlib.crc32(positions, _text_crc(keys))


def _checked_similar_row(row: tuple[int, bytes, str, int]) -> tuple[array[int], list[str]]:
    """The positions and keys of a row of the `similar` table, checked."""
    _length, packed, text, crc = row
    if zlib.crc32(packed, _text_crc(text)) != crc:
        raise StoreDamagedError("the stored title keys are damaged")
    positions, keys = array("I"), text.split("\n")
    positions.frombytes(packed)
    if len(positions) != len(keys):
        raise StoreDamagedError("the stored title keys do not match their positions")
    return positions, keys


def _checked_facts(
    connection: sqlite3.Connection, key: CacheKey
) -> tuple[int, Any, WriteFacts] | None:
    """The store's count, problems and WriteFacts if it holds exactly the bytes of `key`."""
    about = {name: (value, crc) for name, value, crc in connection.execute("SELECT * FROM about")}
    if set(about) != {"key", "facts"}:
        return None
    if any(zlib.crc32(value) != crc for value, crc in about.values()):
        raise StoreDamagedError("the store's facts are damaged")
    if about["key"][0] != _key_value(key):
        return None
    count, problems, facts = marshal.loads(about["facts"][0])
    appendable, trailer, crlf, bom, canonical, invalid_ids, clean, ending = facts
    return (
        count,
        problems,
        WriteFacts(appendable, trailer, crlf, bom, canonical, tuple(invalid_ids), clean, ending),
    )


def _read_only(path: Path) -> sqlite3.Connection | None:
    """The store of `path` opened for reading (never created), or None when there is none."""
    target = store_path(path)
    try:
        if not target.is_file():
            return None
        return sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True, timeout=2.0)
    except (sqlite3.Error, OSError, ValueError):
        return None


def stored_key(path: Path) -> CacheKey | None:
    """The key of the bytes the store of `path` was built for, by this Python and csec code, or
    None: for a writer that proves the file still holds them by hashing its copy (csec add)."""
    connection = _read_only(path)
    if connection is None:
        return None
    try:
        found = connection.execute("SELECT value, crc FROM about WHERE name = 'key'").fetchone()
        if found is None or zlib.crc32(found[0]) != found[1]:
            return None
        stored = marshal.loads(found[0])
        owner = cache._key_tuple(CacheKey(str(path.absolute()), 0, 0, ""))[: cache._ENTRY_OWNER]
        if not isinstance(stored, tuple) or stored[: cache._ENTRY_OWNER] != owner:
            return None
        if stored[-1] != _STORE_FORMAT:
            return None
        return CacheKey(*stored[cache._PATH_ITEM : cache._PATH_ITEM + 4])
    except (sqlite3.Error, ValueError, TypeError, EOFError):
        return None
    finally:
        connection.close()


class StoredResources:
    """An open store for the bytes of one key: a few resources read at a time. Close it."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        count: int,
        problems: list[Problem],
        facts: WriteFacts,
    ) -> None:
        self._connection = connection
        self.count = count
        self.problems = problems
        self.facts = facts

    @classmethod
    def open(cls, path: Path, key: CacheKey) -> StoredResources | None:
        """The store of `path` if it was built for exactly the bytes of `key`, else None."""
        connection = _read_only(path)
        if connection is None:
            return None
        try:
            # Read in one transaction, so an append committed meanwhile is never half seen.
            connection.execute("BEGIN")
            facts = _checked_facts(connection, key)
            if facts is not None:
                count, plain, write_facts = facts
                problems = [Problem(*problem) for problem in plain]
                return cls(connection, count, problems, write_facts)
        except (sqlite3.Error, StoreDamagedError, ValueError, TypeError, EOFError):
            pass
        connection.close()
        return None

    def first(self, order: SortOrder, limit: int) -> list[Resource]:
        """The first `limit` resources in `order`, as filters.sort_resources gives them."""
        query = f"SELECT row, crc FROM resources ORDER BY {_ORDER_BY[order]} LIMIT ?"
        return self._resources(self._connection.execute(query, (limit,)))

    def find(self, key: str) -> Resource | None:
        """The resource whose id is `key`, or the only one whose id starts with it; None for
        no such resource or several (catalogue.find_resource says which, and why)."""
        found = self._connection.execute(
            "SELECT row, crc FROM resources WHERE id = ? LIMIT 1", (key,)
        ).fetchall()
        if not found and key:
            # Every id starting with `key` sorts from `key` up to `key` followed by the highest
            # character (SQLite compares UTF-8 bytes, in code point order).
            found = self._connection.execute(
                "SELECT row, crc FROM resources WHERE id >= ? AND id < ? LIMIT 2",
                (key, key + "\U0010ffff"),
            ).fetchall()
        return self._resources(found)[0] if len(found) == 1 else None

    def ids_from(self, start: str) -> set[str]:
        """The ids of valid resources that start with `start`."""
        found = self._connection.execute(
            "SELECT id FROM resources WHERE id >= ? AND id < ?", (start, start + "\U0010ffff")
        )
        return {identifier for (identifier,) in found}

    def similar_keys(
        self, shortest: int = 0, longest: int | None = None
    ) -> tuple[array[int], list[str]]:
        """The checks.title_keys of the resources whose key is `shortest` to `longest`
        characters long (all of them by default), and their positions, in no special order."""
        positions: array[int] = array("I")
        keys: list[str] = []
        rows = self._connection.execute(
            "SELECT * FROM similar WHERE length BETWEEN ? AND ?",
            (shortest, (1 << 62) if longest is None else longest),
        )
        for row in rows:
            found_positions, found_keys = _checked_similar_row(row)
            positions.extend(found_positions)
            keys.extend(found_keys)
        if longest is None and shortest <= 0 and len(keys) != self.count:
            raise StoreDamagedError("the stored title keys do not match the resources")
        if positions and max(positions) >= self.count:
            raise StoreDamagedError("the stored title keys do not match the resources")
        return positions, keys

    def at_positions(self, positions: Sequence[int]) -> list[Resource]:
        """The resources at these positions in the file's order, in the order given."""
        try:
            found = [
                self._resources(
                    self._connection.execute(
                        "SELECT row, crc FROM resources WHERE position = ?", (position,)
                    )
                )
                for position in positions
            ]
        except sqlite3.Error:
            raise StoreDamagedError("the store cannot be read") from None
        if any(len(resources) != 1 for resources in found):
            raise StoreDamagedError("a stored resource is missing")
        return [resources[0] for resources in found]

    def digests(self) -> list[bytes | None]:
        """Each resource's block digest (Catalogue.block_digests), in the file's order."""
        try:
            found = self._connection.execute("SELECT digest FROM resources ORDER BY position")
            digests = [digest for (digest,) in found]
        except sqlite3.Error:
            raise StoreDamagedError("the store cannot be read") from None
        if len(digests) != self.count:
            raise StoreDamagedError("the stored resources do not match their count")
        return digests

    def known(self, field: str) -> dict[str, int]:
        """How many times each value of `field` (one of KNOWN_FIELDS) is used."""
        if field not in KNOWN_FIELDS:
            # Not counted here (a field new to `add`'s warnings): add loads the catalogue.
            raise StoreDamagedError(f"{field!r} is not counted in the store")
        found = self._connection.execute("SELECT value, count FROM known WHERE field = ?", (field,))
        return dict(found.fetchall())

    def _resources(self, found: Any) -> list[Resource]:
        rows = []
        for row, crc in found:
            if zlib.crc32(row) != crc:
                raise StoreDamagedError("a stored resource is damaged")
            rows.append(row)
        return cache.resources_from_rows(rows)

    def close(self) -> None:
        """Close the store."""
        self._connection.close()
