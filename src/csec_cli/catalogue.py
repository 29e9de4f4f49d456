"""Find, load and safely change the one catalogue file: the storage layer commands call.

Here the other storage modules are put together: toml_format says what the file's text means,
blockwise and cache make reading a large one fast, and safe_files reads, locks and replaces it.
Reading never stops at one bad resource (it becomes a Problem), while a file that does not parse
stops everything. Writing is refused while `csec check` reports any error (so a bad table is
never written over; see checks.refuse_write_while_errors), happens under a lock for the whole read-modify-write, and replaces the file
atomically, keeping its permissions, its header comment, a UTF-8 BOM and CRLF line endings.
"""

from __future__ import annotations

import functools
import gc
import io
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, Protocol, TypeVar

from csec_cli.errors import CatalogueUnreadableError, CsecError
from csec_cli.file_key import CacheKey
from csec_cli.i18n import _, either
from csec_cli.models import Resource, ResourceProblem, resource_from_table
from csec_cli.safe_files import (
    hold_lock,
    opened_catalogue,
    read_catalogue_bytes,
    refuse_unwritable,
    replace_file,
    replacing_file,
)
from csec_cli.toml_format import (
    _BOM_BYTES,
    EMPTY_CATALOGUE_TEXT,
    Catalogue,
    Problem,
    Provenance,
    _parse_toml,
    block_starts,
    check_parses,
    decode_catalogue_text,
    encode_text,
    is_resource_block,
    parse_catalogue,
    render_catalogue,
    render_resource,
    spliced_bytes,
)

if TYPE_CHECKING:
    import hashlib

    from csec_cli import history

# What commands, tests and benchmarks have always imported from here, wherever it now lives.
__all__ = [
    "EMPTY_CATALOGUE_TEXT",
    "ENV_VAR",
    "LOCK_TIMEOUT_SECONDS",
    "Catalogue",
    "CatalogueFacts",
    "CatalogueLocation",
    "Problem",
    "append_resource",
    "catalogue_lock",
    "create_catalogue",
    "decode_catalogue_text",
    "default_catalogue_path",
    "find_resource",
    "first_resources",
    "load_catalogue",
    "locate_catalogue",
    "parse_catalogue",
    "read_catalogue_bytes",
    "refuse_if_invalid",
    "refuse_unwritable",
    "render_catalogue",
    "render_resource",
    "resource_for_id",
    "save_catalogue",
    "seed_catalogue_path",
    "undo_last_write",
    "updating_catalogue",
    "write_atomically",
]

if TYPE_CHECKING:
    from csec_cli.resource_store import StoredResources

_Answer = TypeVar("_Answer")

ENV_VAR = "CSEC_CATALOGUE"
LOCK_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class CatalogueLocation:
    """Which catalogue file a command uses, and why."""

    path: Path
    source: Literal["--catalogue", "CSEC_CATALOGUE", "default"]

    @property
    def uses_seed(self) -> bool:
        """The default catalogue has not been written yet, so reads show the shipped seed."""
        return self.source == "default" and not self.path.exists()

    def path_for_reading(self) -> Path:
        """The file reading commands open."""
        return seed_catalogue_path() if self.uses_seed else self.path


def default_catalogue_path() -> Path:
    """The per-user catalogue, outside site-packages (e.g. ~/.local/share/csec/resources.toml)."""
    from platformdirs import user_data_path

    return user_data_path("csec", appauthor=False) / "resources.toml"


def seed_catalogue_path() -> Path:
    """The shipped seed catalogue: packaged in the wheel, or data/ in a source checkout."""
    packaged = Path(__file__).parent / "seed" / "resources.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "resources.toml"


def locate_catalogue(
    option: Path | None, environ: dict[str, str] | None = None
) -> CatalogueLocation:
    """`--catalogue` beats CSEC_CATALOGUE, which beats the per-user default."""
    environ = dict(os.environ) if environ is None else environ
    if option is not None:
        return CatalogueLocation(option.expanduser(), "--catalogue")
    if environ.get(ENV_VAR):
        return CatalogueLocation(Path(environ[ENV_VAR]).expanduser(), "CSEC_CATALOGUE")
    return CatalogueLocation(default_catalogue_path(), "default")


def _reread_source(path: Path, key: CacheKey) -> bytes:
    data, mtime_ns = read_catalogue_bytes(path)
    if CacheKey.of(path, data, mtime_ns) != key:
        raise CsecError(_changed_meanwhile(path))
    return data


def _changed_meanwhile(path: Path) -> str:
    return _("{path}: the file changed while csec was using it; try again").format(path=path)


def _note_key(catalogue: Catalogue, key: CacheKey | None) -> None:
    """Record which bytes `catalogue` now stands for (None: no file holds them), and so how its
    text is read again if it was not kept."""
    loaded = catalogue._provenance
    loaded.cache_key = key
    loaded.reread = None if key is None else partial(_reread_source, catalogue.path, key)


def load_catalogue(path: Path, *, keep_source: bool = False) -> Catalogue:
    """Parse and validate a catalogue; raise CatalogueUnreadableError if it cannot be used.

    The result comes from csec_cli.cache when the file's bytes are exactly those a cached
    result was built from; otherwise the file is parsed and the cache entry rebuilt. With
    `keep_source` the file's bytes are kept in the result, for a writer about to append.
    """
    from csec_cli import cache
    from csec_cli.blockwise import parse_blockwise

    if not keep_source:
        # Hashed in pieces (or known by its stat fingerprint: see file_key.settled), so a cache
        # hit never holds the whole file in memory.
        with opened_catalogue(path) as handle:
            key = cache.key_of_open_file(path, handle)
        cached = cache.load_entry(path, key, None)
        if cached is not None:
            _note_key(cached, key)
            return cached
    data, mtime_ns = read_catalogue_bytes(path)
    key = CacheKey.of(path, data, mtime_ns)
    cached = cache.load_entry(path, key, data if keep_source else None)
    if cached is not None:
        _note_key(cached, key)
        return cached
    text, _bom = decode_catalogue_text(path, data)  # proves the bytes are UTF-8
    if not text or text.isspace():
        # A zero-byte catalogue is far more often a file truncated by accident (a failed save, a
        # stray `>`) than a deliberate one; reading it as "no resources" would hide the loss.
        raise CatalogueUnreadableError(
            _(
                "{path}: the file is empty, not a catalogue; restore it from a backup, or delete "
                "it and `csec add` starts a new one"
            ).format(path=path)
        )
    # Validation makes as many young objects as parsing (see toml_format._parse_toml), and no
    # cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del text  # at 100,000 resources it is tens of megabytes; blocks are decoded one by one
        catalogue = parse_blockwise(path, data, cache.load_parsed_blocks(path))
        if catalogue is None:
            catalogue = parse_catalogue(path, *decode_catalogue_text(path, data))
        _note_key(catalogue, key)
        if not keep_source:
            del data  # before the cache entry is written: tens of megabytes at 100,000 resources
            # Read again if ever needed: see Catalogue.text.
            catalogue._provenance.source = catalogue._provenance.text = None
        cache.store_entry(key, catalogue)
    finally:
        if was_enabled:
            gc.enable()
    return catalogue


def _from_store(
    path: Path,
    use: Callable[[StoredResources], _Answer | None],
    otherwise: Callable[[Catalogue], _Answer],
) -> _Answer:
    """What `use` reads from the resource store of the file at `path` when the store holds
    exactly the file's bytes, or can be brought up to them from the changed blocks
    (_store_after_edit), and `use` can answer; else what `otherwise` makes of the loaded
    catalogue, after which the store is built for the next command."""
    from csec_cli import cache

    try:
        key = cache.key_of_file(path)
    except OSError:
        key = None  # load_catalogue explains what is wrong with the file
    if key is not None:
        answer = _answer_from_store(path, key, use)
        if answer is None and _store_after_edit(path, key):
            answer = _answer_from_store(path, key, use)
        if answer is not None:
            return answer
    catalogue = load_catalogue(path)
    _build_store(catalogue)
    return otherwise(catalogue)


def _answer_from_store(
    path: Path, key: CacheKey, use: Callable[[StoredResources], _Answer | None]
) -> _Answer | None:
    """What `use` reads from the resource store of `path` if it holds exactly the bytes of
    `key` and is not found damaged, else None."""
    from csec_cli import resource_store

    store = resource_store.StoredResources.open(path, key)
    if store is None:
        return None
    try:
        return use(store)
    except resource_store.StoreDamagedError:
        return None
    finally:
        store.close()


def _store_after_edit(path: Path, key: CacheKey) -> bool:
    """Bring the resource store of the file's previous bytes up to the bytes of `key` after a
    few resources were changed in place or added at the end (a hand edit, a `git pull`), without
    loading the catalogue: the file is read in pieces and only its changed blocks parsed
    (blockwise.changed_blocks); False, with nothing changed, when that cannot be done so.

    Taken only where it gives what loading gives, on the same terms as the search index's
    update (search_index._use_changed_blocks): the previous bytes had no problem and every
    resource was one block, each changed block is one valid resource keeping its id and each
    added one a valid resource with an id no other has, none was removed, and every unchanged
    block starts on the line it did. The new bytes are known clean by `check`'s rules
    (WriteFacts.clean) when the previous ones were, by the same rules, and `check` finds no error
    in the changed resources (its errors are each one resource's: checks._resource_faults); they
    are not known canonical.
    """
    import datetime as dt

    from csec_cli import resource_store
    from csec_cli.blockwise import changed_blocks, most_changed
    from csec_cli.checks import resource_errors, title_keys

    previous_key = resource_store.stored_key(path)
    if previous_key is None or previous_key == key:
        return False
    store = resource_store.StoredResources.open(path, previous_key)
    if store is None:
        return False
    try:
        count, facts = store.count, store.facts
        if store.problems or facts.invalid_ids or not facts.appendable or not count:
            return False
        digests = store.digests()
        if None in digests:
            return False
        changes = changed_blocks(path, key, digests, most_changed(count))
        # A trailer is checked when loaded (toml_format.add_resource_tables): load it.
        if changes is None or len(changes.digests) < count or changes.trailer:
            return False
        lines = changes.lines
        positions = sorted(changes.changed)
        # The neighbours whose lines prove that nothing moved, and the resources replaced.
        wanted = sorted(
            {0}
            | {position for position in positions if position < count}
            | {position + 1 for position in positions if position + 1 < count}
        )
        stored = dict(zip(wanted, store.at_positions(wanted), strict=True))
        if stored[0].line != lines[0]:
            return False
        added = [changes.changed[position].id for position in positions if position >= count]
        if len(set(added)) != len(added) or any(
            identifier in store.ids_from(identifier) for identifier in added
        ):
            return False
        replacements = {}
        new_keys = title_keys([changes.changed[position].title for position in positions])
        old_titles = [stored[position].title for position in positions if position < count]
        old_keys = iter(title_keys(old_titles))
        for position, new_key in zip(positions, new_keys, strict=True):
            resource = changes.changed[position]
            old = stored.get(position) if position < count else None
            if old is not None:
                follows = stored.get(position + 1)
                if resource.id != old.id or (follows and follows.line != lines[position + 1]):
                    return False
            replacements[position] = resource_store.Replacement(
                old=old,
                old_similar=None if old is None else next(old_keys),
                new=resource,
                new_similar=new_key,
                digest=changes.digests[position],
            )
    except resource_store.StoreDamagedError:
        return False
    finally:
        store.close()
    today, rules = _clean_today()
    clean = None
    if facts.clean is not None and facts.clean[1] == rules and facts.clean[0] <= today:
        checked = dt.date.fromordinal(today)
        if not any(resource_errors(change.new, checked) for change in replacements.values()):
            clean = (today, rules)
    new_facts = resource_store.WriteFacts(
        appendable=True,
        trailer=False,
        crlf=changes.crlf,
        bom=changes.bom,
        canonical=False,
        invalid_ids=(),
        clean=clean,
    )
    return resource_store.replace_changed(path, previous_key, key, replacements, new_facts)


def _build_store(
    catalogue: Catalogue,
    clean: tuple[int, str] | None = None,
    ending: tuple[int, bool] | None = None,
) -> None:
    """Build the resource store for the bytes `catalogue` was read from (or written as), with
    the day its resources were found clean by `check`'s rules, if they were, and the line
    breaks of those bytes, if counted (WriteFacts)."""
    from csec_cli import checks, resource_store

    key = catalogue.cache_key
    if key is None:
        return
    if clean is None and not checks.catalogue_errors(catalogue):
        # Found clean by `check`'s rules now (0.5 s at 100,000, beside a load of seconds), so
        # the first `add` after a `list` reads the store instead of loading the catalogue.
        clean = _clean_today()
    resources = catalogue.resources
    facts = resource_store.WriteFacts(
        appendable=catalogue._provenance.appendable,
        trailer=bool(catalogue.trailer),
        crlf=catalogue.crlf,
        bom=catalogue.bom,
        canonical=catalogue._provenance.canonical,
        invalid_ids=tuple(sorted(catalogue._invalid_ids)),
        clean=clean,
        ending=ending,
    )
    known = {name: checks.known_counts(resources, name) for name in resource_store.KNOWN_FIELDS}
    similar = checks.title_keys([resource.title for resource in resources])
    digests = catalogue.block_digests()
    resource_store.build(
        catalogue.path, key, resources, catalogue.problems, facts, similar, known, digests
    )


@functools.cache
def _checks_fingerprint() -> str:
    """A hash of the rules `csec check` applies (checks.py): a catalogue found clean by other
    rules must be checked again."""
    import hashlib

    from csec_cli import checks

    return hashlib.sha256(Path(checks.__file__).read_bytes()).hexdigest()


def _clean_today() -> tuple[int, str]:
    """WriteFacts.clean for a catalogue `check` found no error in today."""
    import datetime as dt

    return dt.date.today().toordinal(), _checks_fingerprint()


class CatalogueFacts(Protocol):
    """What `add` compares a new resource with, from the loaded catalogue or from the store."""

    def similar_titles(self, title: str) -> list[Resource]:
        """The resources with (nearly) this title (checks.find_similar_titles)."""

    def known_values(self, field_name: str) -> list[str]:
        """The values used in one field, most used first (checks.known_values)."""


@dataclass
class _LoadedFacts:
    """CatalogueFacts of a loaded catalogue."""

    catalogue: Catalogue

    def similar_titles(self, title: str) -> list[Resource]:
        from csec_cli.checks import find_similar_titles

        return find_similar_titles(title, self.catalogue.resources)

    def known_values(self, field_name: str) -> list[str]:
        from csec_cli.checks import known_values

        return known_values(self.catalogue.resources, field_name)


@dataclass
class _StoredFacts:
    """CatalogueFacts read from the resource store: title keys and counts, a few rows."""

    store: StoredResources

    def similar_titles(self, title: str) -> list[Resource]:
        from csec_cli.checks import similar_title_lengths, similar_title_positions

        # Only titles of nearly this length can be near it: about a third of them.
        positions, keys = self.store.similar_keys(*similar_title_lengths(title))
        return self.store.at_positions(similar_title_positions(title, keys, positions))

    def known_values(self, field_name: str) -> list[str]:
        from csec_cli.checks import ordered_known

        return ordered_known(self.store.known(field_name))


def first_resources(
    path: Path, order: Literal["date", "title", "added"], limit: int
) -> tuple[list[Resource], list[Problem], int]:
    """The first `limit` resources of the catalogue at `path` in `order` (as
    filters.sort_resources sorts them), the problems found reading it, and how many resources
    it has: read from the resource store, so proportional to `limit`, when it is fresh."""
    from csec_cli.filters import sort_resources

    def use(store: StoredResources) -> tuple[list[Resource], list[Problem], int]:
        return store.first(order, limit), store.problems, store.count

    def otherwise(catalogue: Catalogue) -> tuple[list[Resource], list[Problem], int]:
        chosen = sort_resources(catalogue.resources, order)[:limit]
        return chosen, catalogue.problems, len(catalogue.resources)

    return _from_store(path, use, otherwise)


def resource_for_id(path: Path, key: str, warn: Callable[[list[Problem]], None]) -> Resource:
    """The resource find_resource finds for `key` in the catalogue at `path`, after `warn` is
    given the problems found reading it: one resource read from the resource store when it is
    fresh and `key` is an id or a unique prefix of one; otherwise the whole catalogue is loaded,
    so the errors (no such id, several, invalid) are find_resource's own."""

    def use(store: StoredResources) -> Resource | None:
        found = store.find(key)
        if found is not None:
            warn(store.problems)
        return found

    def otherwise(catalogue: Catalogue) -> Resource:
        warn(catalogue.problems)
        return find_resource(catalogue.resources, key, catalogue.invalid_ids())

    return _from_store(path, use, otherwise)


def refuse_if_invalid(catalogue: Catalogue, fixing: str | None = None) -> None:
    """Writes wait until `csec check` reports no error, so a bad table is never written over;
    only an edit or remove of the faulty resource (`fixing`, its id) may go on, to fix it."""
    from csec_cli.checks import refuse_write_while_errors

    refuse_write_while_errors(catalogue, fixing=fixing)


def catalogue_lock(path: Path) -> AbstractContextManager[None]:
    """Hold the catalogue's lock file for a whole read-modify-write."""
    return hold_lock(path, LOCK_TIMEOUT_SECONDS)


def write_atomically(path: Path, text: str, *, crlf: bool = False, bom: bool = False) -> None:
    """Replace `path` with `text` so that readers see the old file or the new, never a mix."""
    check_parses(text)  # a catalogue that does not parse is never written
    replace_file(path, encode_text(text, crlf=crlf, bom=bom))


@contextmanager
def _keeping_previous(
    catalogue: Catalogue,
    change: str | Callable[[], str],
    *,
    appended: bool,
    unseen: int = 0,
) -> Iterator[None]:
    """Around a write, under the lock: keep the file as it was, for `csec undo` (history.py).

    The one place the write path meets the undo history. Before the block the file is kept
    (a hard link, or nothing when `appended` only adds bytes at the end); after it the write is
    recorded with the key of what now stands there, as the write left it in the provenance.
    `change` may be made after the write (an id made under it); `unseen` counts the resources
    the catalogue does not hold (an add from the resource store holds only the appended ones).
    """
    from csec_cli import history

    path = catalogue.path
    loaded = catalogue._provenance
    before = loaded.cache_key if os.path.lexists(path) else None
    if os.path.lexists(path) and (before is None or before.path != str(path.absolute())):
        before = CacheKey.of_file(path)  # no key, or one of other bytes (the seed's): read them
    known = loaded.loaded_resources
    count = 0 if before is None else len(catalogue.resources if known is None else known) + unseen
    kept = history.keep_previous(path, before, appended=appended)
    try:
        yield
    except BaseException:
        kept.abandon()
        raise
    named = change if isinstance(change, str) else change()
    kept.record(named, count, len(catalogue.resources) + unseen, loaded.cache_key)


def save_catalogue(catalogue: Catalogue, *, change: str = "write") -> None:
    """Write the whole catalogue back in csec's deterministic form, and cache what was written.

    A file csec wrote itself is in that form already: its unchanged resources' blocks are copied
    (toml_format.spliced_bytes), which gives the same bytes as rendering all of them. The file
    it replaces is kept for `csec undo`, the write named by `change` ("remove ID").
    """
    with _keeping_previous(catalogue, change, appended=False):
        data = spliced_bytes(catalogue)
        _note_key(catalogue, None)  # no longer the bytes it was read from
        if data is None:
            text = render_catalogue(catalogue)
            write_atomically(catalogue.path, text, crlf=catalogue.crlf, bom=catalogue.bom)
            data = encode_text(text, crlf=catalogue.crlf, bom=catalogue.bom)
        else:
            replace_file(catalogue.path, data)
        _cache_written(catalogue, data)


def _cache_written(catalogue: Catalogue, data: bytes) -> None:
    """Make `catalogue` what loading the file just written gives, and cache it as such."""
    from csec_cli import cache
    from csec_cli.blockwise import _moved, block_digest

    try:
        mtime_ns = catalogue.path.stat().st_mtime_ns
    except OSError:
        return
    loaded = catalogue._provenance
    starts = block_starts(data, len(_BOM_BYTES) if catalogue.bom else 0)
    loaded.parsed_blocks = []
    if len(starts) == len(catalogue.resources) and not catalogue.trailer:
        # A canonical file has one block per resource, in order; lines and digests follow.
        # (With other tables after the resources, the last block holds them too: not noted.)
        moved = []
        line = 1 + data.count(b"\n", 0, starts[0]) if starts else 1
        for (start, end), resource in zip(
            pairwise([*starts, len(data)]), catalogue.resources, strict=True
        ):
            resource = resource if resource.line == line else _moved(resource, line)
            moved.append(resource)
            loaded.parsed_blocks.append((block_digest(data[start:end]), resource))
            line += data.count(b"\n", start, end)
        catalogue.resources = moved
    else:
        return  # lines unknown without parsing: the next read parses and caches
    loaded.source, loaded.text, loaded.canonical = data, None, True
    loaded.appendable = True  # every resource is now a `[[resources]]` table of its own
    loaded.loaded_resources = list(catalogue.resources)
    key = CacheKey.of(catalogue.path, data, mtime_ns)
    _note_key(catalogue, key)
    cache.store_entry(key, catalogue)


def _load_for_update(
    location: CatalogueLocation,
    create: bool,
    *,
    keep_source: bool = True,
    fixing: str | None = None,
) -> Catalogue:
    path = location.path
    if not path.exists():
        if location.uses_seed:
            seed = load_catalogue(seed_catalogue_path(), keep_source=True)
            seed.path = path
            return seed
        if create:
            return Catalogue(path=path)
    catalogue = load_catalogue(path, keep_source=keep_source)
    catalogue._provenance.loaded_resources = list(catalogue.resources)
    refuse_if_invalid(catalogue, fixing)
    return catalogue


@contextmanager
def updating_catalogue(
    location: CatalogueLocation,
    *,
    create: bool = False,
    fixing: str | None = None,
    change: str = "write",
) -> Iterator[Catalogue]:
    """Lock, load and validate; yield for changes; write back only if the block succeeds and
    left no resource `csec check` reports an error in.

    The default catalogue starts as a copy of the shipped seed on its first write; with `create`,
    a missing file at any other path starts empty. `fixing` is the id of the one resource an
    edit or remove may change while it has an error (see refuse_if_invalid). `change` names the
    write in `csec history` ("remove ID").
    """
    from csec_cli.checks import refuse_faulty_changes

    refuse_unwritable(location.path)
    with catalogue_lock(location.path):
        catalogue = _load_for_update(location, create, fixing=fixing)
        yield catalogue
        # The rest passed the check on loading: only what changed, and `fixing`, need it now.
        loaded = {id(resource) for resource in catalogue._provenance.loaded_resources or ()}
        refuse_faulty_changes(
            catalogue,
            (r for r in catalogue.resources if id(r) not in loaded or r.id == fixing),
        )
        save_catalogue(catalogue, change=change)


# What `csec init` writes for an empty catalogue: a header that stays true as the file grows.
NEW_CATALOGUE_HEADER = (
    "# A csec catalogue. Lines above the first [[resources]] are the team's own: csec keeps them.\n"
)


def create_catalogue(path: Path, *, seed: bool) -> Catalogue:
    """Start a catalogue at `path`: empty, or a copy of the shipped seed; never over a file.

    Missing folders on the way are created, as for every write.
    """
    refuse_unwritable(path)
    with catalogue_lock(path):
        if os.path.lexists(path):
            raise CsecError(
                _(
                    "{path} already exists; csec init never replaces a catalogue (delete the "
                    "file yourself first, or choose another PATH)"
                ).format(path=path)
            )
        if seed:
            catalogue = load_catalogue(seed_catalogue_path(), keep_source=True)
            catalogue.path = path
        else:
            catalogue = Catalogue(path=path, header=NEW_CATALOGUE_HEADER)
        save_catalogue(catalogue, change="init --seed" if seed else "init")
        return catalogue


def undo_last_write(location: CatalogueLocation) -> history.Version:
    """Put the catalogue back as it was before csec's last write to it, under its lock.

    Refused (CsecError) when there is nothing to undo, or when the file has changed since that
    write; see history.undo_last.
    """
    from csec_cli import history

    refuse_unwritable(location.path)
    with catalogue_lock(location.path):
        return history.undo_last(location.path)


def append_resource(
    location: CatalogueLocation,
    resource: Resource,
    *,
    fresh_id: bool = False,
    check: Callable[[Catalogue], None] | None = None,
    check_facts: Callable[[CatalogueFacts], None] | None = None,
    change: str | None = None,
) -> Catalogue:
    """Add one resource by appending its table to the file as it stands (comments kept).

    Cheaper than a full rewrite, and the result is the same text a rewrite would give for a
    catalogue already in csec's form. Falls back to a rewrite when the file's resources are not
    all `[[resources]]` tables (an inline array cannot be extended by appending).

    With `fresh_id`, the id is made from the title against the ids in the file under the lock,
    so concurrent adds of similar titles never clash; the added resource is the last one of the
    catalogue returned.

    `check` is called under the lock with the catalogue as it stands, before anything is
    written, and raises to stop the append: what it checks against (a near-duplicate title,
    say) cannot change until the new resource is in the file. `check_facts` is the same with
    only CatalogueFacts: then, when the resource store holds the file's bytes, the catalogue is
    not loaded at all (_append_from_store), and the catalogue returned holds only the resources
    appended since the cache's last whole entry, the new one last. `change` names the write in
    `csec history` (default: "add ID").
    """
    from csec_cli.checks import refuse_faulty_changes
    from csec_cli.models import make_id

    refuse_unwritable(location.path)
    with catalogue_lock(location.path):
        if check is None and check_facts is not None:
            appended = _append_from_store(location, resource, fresh_id, check_facts, change)
            if appended is not None:
                return appended
        # Without the file's bytes: an append to an LF file copies them in pieces instead
        # (_append_streamed), and any other reads them again, checked, when it needs them.
        catalogue = _load_for_update(location, create=True, keep_source=False)
        if check is not None:
            check(catalogue)
        if check_facts is not None:
            check_facts(_LoadedFacts(catalogue))
        taken = catalogue.ids()
        if fresh_id:
            resource = resource.with_changes(id=make_id(resource.title, taken))
        if resource.id in taken:
            raise CsecError(_id_in_use(resource.id))
        refuse_faulty_changes(catalogue, [resource])
        change = change or f"add {resource.id}"
        block = render_resource(resource)
        appendable = catalogue._provenance.appendable
        if appendable and not catalogue.trailer and is_resource_block(block):
            # Only an LF file keeps its bytes as they were before the block (see
            # _appended_bytes), so only there is the version before it the file's start.
            with _keeping_previous(catalogue, change, appended=not catalogue.crlf):
                # `check`'s rules found no error on loading, under this lock (refuse_if_invalid).
                _append_to_file(catalogue, block, clean=_clean_today())
        else:
            catalogue.resources.append(resource)
            save_catalogue(catalogue, change=change)
        return catalogue


class _NotTheStoredBytes(Exception):
    """The file does not hold the bytes the resource store was built for: add loads it."""


def _append_from_store(
    location: CatalogueLocation,
    resource: Resource,
    fresh_id: bool,
    check_facts: Callable[[CatalogueFacts], None],
    change: str | None,
) -> Catalogue | None:
    """append_resource without loading the catalogue, under its lock, when the resource store
    was built for the file's exact bytes and knows them to be appendable and clean by `check`'s
    rules (as of today or earlier); None, with nothing written, when it cannot be done so.

    The file is copied and hashed as in every streamed append, and only once the copy proves
    that the file holds the bytes of the store's key are ids, near-duplicate titles and known
    values read from the store (`check_facts`) and the block made: so the file is read once, not
    hashed for its key and then again for the copy, and nothing stale is ever shown or used.
    """
    from csec_cli import cache, resource_store
    from csec_cli.checks import refuse_faulty_changes
    from csec_cli.models import make_id

    path = location.path
    if location.uses_seed or not path.is_file():
        return None
    key = resource_store.stored_key(path)
    try:
        status = path.stat()
        if key is not None and (key.size, key.mtime_ns) != (status.st_size, status.st_mtime_ns):
            # Changed by hand since the store was made: brought up to date from the changed
            # blocks, if it can be (the copy below proves the bytes again, under this lock).
            current = cache.key_of_file(path)
            if current is not None and _store_after_edit(path, current):
                key = resource_store.stored_key(path)
    except OSError:
        return None
    if key is None or (key.size, key.mtime_ns) != (status.st_size, status.st_mtime_ns):
        return None
    store = resource_store.StoredResources.open(path, key)
    if store is None:
        return None
    try:
        facts = store.facts
        today, rules = _clean_today()
        if (
            not facts.appendable
            or facts.trailer
            or facts.crlf
            or key.size <= len(_BOM_BYTES)
            or facts.clean is None
            or facts.clean[1] != rules
            or facts.clean[0] > today
            or any(problem.severity == "error" for problem in store.problems)
        ):
            return None
        base = cache.appended_since(path, key)
        if base is not None and len(base[1]) >= cache.MOST_APPENDED:
            return None
        # No cache entry for these bytes (the store was brought up to them after a hand edit):
        # the main cache is left to the next load, which parses the changed blocks only.
        base_key, previous, digests = base if base is not None else (None, [], [])
        invalid = set(facts.invalid_ids)

        def block() -> str:
            # Called once the copy proved the file holds the store's bytes.
            try:
                check_facts(_StoredFacts(store))
                made = resource
                if fresh_id:
                    start = make_id(made.title, ())
                    taken = store.ids_from(start) | {i for i in invalid if i.startswith(start)}
                    made = made.with_changes(id=make_id(made.title, taken))
                if made.id in invalid or made.id in store.ids_from(made.id):
                    raise CsecError(_id_in_use(made.id))
            except resource_store.StoreDamagedError:
                raise _NotTheStoredBytes from None
            refuse_faulty_changes(Catalogue(path=path), [made])
            added.append(made.id)
            text = render_resource(made)
            if not is_resource_block(text):
                raise _NotTheStoredBytes
            return text

        catalogue = Catalogue(
            path=path,
            resources=previous,
            bom=facts.bom,
            _invalid_ids=invalid,
            _provenance=Provenance(
                cache_base=None if base_key is None else (base_key, 0),
                canonical=facts.canonical,
                parsed_blocks=[
                    (digest, found)
                    for digest, found in zip(digests, previous, strict=True)
                    if digest is not None
                ],
            ),
        )
        _note_key(catalogue, key)
        added: list[str] = []
        recorded = _keeping_previous(
            catalogue,
            lambda: change or f"add {added[0]}",
            appended=True,
            unseen=store.count - len(previous),
        )
        try:
            with recorded:
                _append_to_file(
                    catalogue,
                    block,
                    clean=facts.clean,
                    ending=facts.ending,
                    whole=False,
                    changed=_NotTheStoredBytes,
                    before_caching=store.close,
                )
        except _NotTheStoredBytes:
            return None
    finally:
        store.close()
    return catalogue


def _append_to_file(
    catalogue: Catalogue,
    block: str | Callable[[], str],
    *,
    clean: tuple[int, str] | None = None,
    ending: tuple[int, bool] | None = None,
    whole: bool = True,
    changed: type[Exception] | None = None,
    before_caching: Callable[[], None] | None = None,
) -> None:
    """Append one resource's block to the file as it stands; refresh the cache for the result.

    `clean` is the day the file's resources were found clean by `check`'s rules, if they were
    (for the resource store); `ending` the file's line breaks, if the store knows them
    (WriteFacts.ending: a streamed append then need not count them). Without `whole`, `catalogue` holds only the resources appended
    since the cache's last whole entry (_append_from_store), so it is never cached as a whole.
    A callable `block` is called once the copy of the file is proven to hold the bytes of the
    catalogue's key (a streamed append only); if it does not, `changed` is raised, if given.
    `before_caching` is called once the file is written, before the caches are updated.

    The file's bytes parsed (load_catalogue proved it, under this lock), its resources are all
    `[[resources]]` tables, nothing follows them, and the block is one `[[resources]]` table that
    parses on its own: so the block extends the array and changes nothing above it, and checking
    the block is checking the whole file, at a tiny fraction of the cost of parsing it all again.
    The new resource is read back from the block exactly as a fresh load reads it, so the cache
    entry equals a fresh parse of the new file.
    """
    from csec_cli import cache
    from csec_cli.blockwise import block_digest

    tables: list[dict[str, Any]] = []

    def checked(text: str) -> str:
        (table,) = _parse_toml(catalogue.path, text)["resources"]
        try:
            resource_from_table(table)  # before anything is written; its line is known below
        except ResourceProblem as problem:
            raise CsecError(_("cannot add resource {fault}").format(fault=problem)) from None
        tables.append(table)
        return text

    if not callable(block):
        block = checked(block)  # before anything is written, as its table is
    loaded = catalogue._provenance
    key = read_as = loaded.cache_key
    # Only for the bytes-as-read case of _appended_bytes: a CRLF file is rewritten through its
    # text, and a catalogue with only its text kept (or none, being new) has no file to copy.
    if (
        key is not None
        and key.size > len(_BOM_BYTES)
        and not catalogue.crlf
        and loaded.source is None
        and loaded.text is None
    ):
        if callable(block):
            made = block
            make: Callable[[], str] = lambda: checked(made())  # noqa: E731
        else:
            make = partial(str, block)
        size, digest, line, block, ending = _append_streamed(
            catalogue.path, key, make, changed, ending
        )
        data = None
    else:
        assert not callable(block), "a block made after proving the bytes needs a streamed append"
        data, line = _appended_bytes(catalogue, block)
        replace_file(catalogue.path, data)
        ending = None
    if before_caching is not None:
        before_caching()
    (table,) = tables
    catalogue.resources.append(resource_from_table(table, line))
    # The block ends the file, so the next read after a change finds it by these very bytes.
    written = encode_text(block, crlf=catalogue.crlf, bom=False)
    digest_of_block = None
    if data is None or data.endswith(written):
        digest_of_block = block_digest(written)
        loaded.parsed_blocks.append((digest_of_block, catalogue.resources[-1]))
    loaded.source, loaded.text = data, None
    _note_key(catalogue, None)
    try:
        mtime_ns = catalogue.path.stat().st_mtime_ns
    except OSError:
        return
    if data is None:
        key = CacheKey(str(catalogue.path.absolute()), size, mtime_ns, digest)
    else:
        key = CacheKey.of(catalogue.path, data, mtime_ns)
    _note_key(catalogue, key)
    cache.store_appended(key, catalogue, whole_if_needed=whole)
    from csec_cli import resource_store
    from csec_cli.checks import title_keys

    # One row more, in place: the next `list --limit`, `show` or `add` reads a few rows, not all.
    added = catalogue.resources[-1]
    (similar,) = title_keys([added.title])
    extended = read_as is not None and resource_store.extend(
        catalogue.path, read_as, key, added, similar, clean, ending, digest_of_block
    )
    if not extended and whole:
        _build_store(catalogue, clean, ending)


# Big enough that copying costs little more than the read itself, small beside the file.
_COPY_PIECE = 1 << 20


def _append_streamed(
    path: Path,
    key: CacheKey,
    block: Callable[[], str],
    changed: type[Exception] | None = None,
    ending: tuple[int, bool] | None = None,
) -> tuple[int, str, int, str, tuple[int, bool]]:
    """Write the file at `path` with the block `block()` gives appended, as _appended_bytes
    would, copying the file in pieces rather than holding it: its size, SHA-256, the line the
    block starts on, the block, and the new file's line breaks (WriteFacts.ending). With the
    old file's `ending` known, its line breaks are not counted again (the hash proves the
    bytes are those it was counted for).

    The file must still hold the bytes of `key` (an LF catalogue with something in it), read
    under this lock: anyone who changed it since did so without the lock, and their change and
    this append cannot both be kept (`changed` is raised, if given, else a CsecError). `block`
    is called only once that is proven, and before anything is renamed: what it raises leaves
    the file as it was.
    """
    with opened_catalogue(path) as source, replacing_file(path) as target:
        counting = ending is None
        copied = _copied_in_kernel(source, target, counting)
        if copied is None:
            copied = _copied_by_reading(source, target, counting)
        digest, size, newlines, last = copied
        if ending is not None:
            newlines, last = ending[0], b"\n" if ending[1] else b""
        if size != key.size or digest.hexdigest() != key.digest:
            if changed is not None:
                raise changed
            raise CsecError(_changed_meanwhile(path))
        text = block()
        separator = b"" if last == b"\n" else b"\n"
        appended = b"".join((separator, b"\n", text.encode("utf-8")))
        target.write(appended)
        digest.update(appended)
    line = newlines + len(separator) + 2
    after = (newlines + appended.count(b"\n"), appended.endswith(b"\n"))
    return size + len(appended), digest.hexdigest(), line, text, after


# What a copy hashed: its SHA-256, size, newlines and last byte.
_Copied = tuple["hashlib._Hash", int, int, bytes]


def _copied_by_reading(source: BinaryIO, target: BinaryIO, counting: bool = True) -> _Copied:
    """Copy `source` into `target` in pieces, hashing each piece as it is written (and counting
    its line breaks, if `counting`)."""
    import hashlib

    digest = hashlib.sha256()
    size = newlines = 0
    last = b""
    while piece := source.read(_COPY_PIECE):
        target.write(piece)
        digest.update(piece)
        size += len(piece)
        if counting:
            newlines += piece.count(b"\n")
        last = piece[-1:]
    return digest, size, newlines, last


def _copied_in_kernel(source: BinaryIO, target: BinaryIO, counting: bool = True) -> _Copied | None:
    """Copy `source` into `target` (both at their start) inside the kernel, hashing the copy as
    it grows: what is hashed is read back from the copy, so it is what will be renamed into
    place. None, with nothing written, where the kernel cannot (another system, another kind
    of file or file system): the caller copies by reading.

    Copying and hashing run side by side (the copy in a thread: copy_file_range, fsync and
    hashing all release the GIL), no piece passes through Python on its way to the copy, and
    the copy is written to the disk while its end is still being hashed: at 100,000 resources
    (77 MB) this takes copying, hashing and the fsync from about 0.15 s to 0.1 s.
    """
    import hashlib
    import threading

    copy_range = getattr(os, "copy_file_range", None)
    if copy_range is None or not isinstance(target, io.BufferedWriter):
        return None
    source_descriptor, target_descriptor = source.fileno(), target.fileno()
    try:
        os.pread(target_descriptor, 0, 0)  # the copy must be readable, to be hashed
    except OSError:
        return None
    progress = threading.Condition()
    copied = 0
    finished = False
    failure: list[OSError] = []

    def copy() -> None:
        nonlocal copied, finished
        offset = 0
        try:
            while done := copy_range(
                source_descriptor, target_descriptor, _COPY_PIECE, offset, offset
            ):
                offset += done
                with progress:
                    copied = offset
                    progress.notify()
            # Most of what replacing_file's fsync would write, written while the copy is hashed.
            os.fsync(target_descriptor)
        except OSError as error:
            failure.append(error)
        finally:
            with progress:
                finished = True
                progress.notify()

    copying = threading.Thread(target=copy, daemon=True)
    copying.start()
    digest = hashlib.sha256()
    hashed = newlines = 0
    last = b""
    try:
        while True:
            with progress:
                progress.wait_for(lambda seen=hashed: finished or copied > seen)  # type: ignore[misc]
                ready, over = copied, finished
            while hashed < ready:
                piece = os.pread(target_descriptor, min(_COPY_PIECE, ready - hashed), hashed)
                if not piece:
                    raise OSError("the copy is shorter than what was copied")
                digest.update(piece)
                hashed += len(piece)
                if counting:
                    newlines += piece.count(b"\n")
                last = piece[-1:]
            if over and hashed == copied:
                break
    finally:
        copying.join()
    if failure:
        if hashed == 0:
            return None  # the kernel copies nothing of this kind: copy by reading instead
        raise failure[0]
    target.seek(hashed)
    return digest, hashed, newlines, last


def _appended_bytes(catalogue: Catalogue, block: str) -> tuple[bytes, int]:
    """The file's bytes with `block` appended after one blank line, and the line it starts on."""
    source = catalogue._provenance.source
    body = source.removeprefix(_BOM_BYTES) if source is not None else b""
    if source is not None and body and not catalogue.crlf:
        # The bytes as read, extended: the same bytes as going through the text below, without
        # decoding and encoding the whole file (tens of megabytes at 100,000 resources).
        ending = b"" if body.endswith(b"\n") else b"\n"
        line = body.count(b"\n") + len(ending) + 2
        return b"".join((source, ending, b"\n", block.encode("utf-8"))), line
    text = catalogue.text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    line = text.count("\n") + 2 if text else 1
    text = f"{text}\n{block}" if text else block
    return encode_text(text, crlf=catalogue.crlf, bom=catalogue.bom), line


def _id_in_use(resource_id: str) -> str:
    return _("id {id} is already in use").format(id=repr(resource_id))


def find_resource(resources: list[Resource], key: str, invalid_ids: Iterable[str] = ()) -> Resource:
    """The resource whose id is `key`, or the only one whose id starts with it.

    `invalid_ids` (of resources left out as invalid) turns "no such id" into the real reason.
    """
    from rapidfuzz import fuzz

    from csec_cli.errors import ResourceNotFoundError

    if not key.strip():
        raise ResourceNotFoundError(_("give an id, or the start of one; `csec list` shows the ids"))
    for resource in resources:
        if resource.id == key:
            return resource
    matches = [resource for resource in resources if resource.id.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(resource.id for resource in matches[:6])
        more = ", …" if len(matches) > 6 else ""
        raise ResourceNotFoundError(
            _("{key} matches several ids ({ids}); type more of it").format(
                key=repr(key), ids=shown + more
            )
        )
    if key in set(invalid_ids):
        raise ResourceNotFoundError(
            _("resource {id} is invalid, so it was skipped; `csec check` says what to fix").format(
                id=repr(key)
            )
        )
    # Compare with each whole id and with its start, so a typo in a prefix ("belise") still
    # finds the id it was meant to begin ("belize-protocol").
    scored = sorted(
        (max(fuzz.ratio(key, resource.id), fuzz.ratio(key, resource.id[: len(key)])), resource.id)
        for resource in resources
    )
    close = [found for score, found in reversed(scored) if score >= 70][:3]
    if close:
        message = _("no resource with id {id}; did you mean {ids}?")
    else:
        message = _("no resource with id {id}; `csec list` shows the ids")
    raise ResourceNotFoundError(message.format(id=repr(key), ids=either(close)))
