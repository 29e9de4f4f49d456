"""The search index: built from a catalogue's resources, stored beside it, updated in place.

What ranking (search) needs to know about each resource is prepared once here: the folded titles,
for each word which resources hold it in their title, details or summary, each resource's
language, and the catalogue's words grouped by their Snowball stem in each stemming language. The index, the
catalogue's problems and each resource's bytes are cached (cache.store_derived, cache.store_rows)
for exactly the bytes they were built from; after an edit, the previous index is brought up to
date by re-indexing only the resources whose bytes changed. Nothing here knows what a score is.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from array import array
from bisect import insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from csec_cli import search_text
from csec_cli.models import Resource
from csec_cli.search_text import (
    STEM_LANGUAGES,
    STOPWORDS,
    fold_loosely,
    fold_words,
    folded_details,
    language_number,
    normalise_word,
    stem_words,
)

if TYPE_CHECKING:
    from csec_cli.cache import RowFile
    from csec_cli.catalogue import Problem
    from csec_cli.file_key import CacheKey
    from csec_cli.thesaurus_data import Thesaurus

# What a caller does with an index and its resources (rank them, for search).
_Result = TypeVar("_Result")


@dataclass
class SearchIndex:
    """What ranking needs to know about each resource, prepared once for a catalogue.

    Titles are folded (case, accents, punctuation) but keep their spelling; `postings` say which
    resources (by position) hold each word in their title, details or summary, as the bytes of
    an `array("I")` (compact, and unpacked only for the words a query matches); `variants` map
    each canonical spelling to the catalogue's words that have it. `languages` holds one byte
    per resource (search_text.language_number of its `language`); `stems` one table per
    language of STEM_LANGUAGES, from a Snowball stem to the canonical words that have it (a word
    that is its own stem is left out: it is found in `canonical_words`). Only lists, dicts,
    strings and bytes, so a caller may cache it with marshal (`as_plain`, `from_plain`). Build
    with `build_search_index`, use with search.rank_indexed.
    """

    titles: list[str]
    postings: tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]
    canonical_words: list[str]
    variants: dict[str, list[str]]
    languages: bytes
    stems: tuple[dict[str, list[str]], ...]
    # The titles holding a UK or US spelling, in canonical spelling (by position), so a title
    # compares alike with "labour" and "labor" typed.
    spelled_titles: dict[int, str]

    def positions(self, slot: int, word: str) -> array[int]:
        """The positions of the resources holding `word` in field `slot` (0 title, 1 details,
        2 summary)."""
        found = array("I")
        packed = self.postings[slot].get(word)
        if packed:
            found.frombytes(packed)
        return found

    def as_plain(self) -> tuple[Any, ...]:
        """The index in marshal's terms."""
        return (
            self.titles,
            self.postings,
            self.canonical_words,
            self.variants,
            self.languages,
            self.stems,
            self.spelled_titles,
        )

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> SearchIndex:
        """The index `as_plain` gave."""
        titles, postings, canonical_words, variants, languages, stems, spelled = plain
        return cls(
            titles, tuple(postings), canonical_words, variants, languages, tuple(stems), spelled
        )


def build_search_index(resources: Sequence[Resource]) -> SearchIndex:
    """Fold every resource's text once and note where each word occurs; linear in the catalogue."""
    titles = [fold_words(resource.title) for resource in resources]
    postings: tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]] = ({}, {}, {})
    # Millions of small lists would set off the cycle collector again and again, for nothing:
    # none of them can form a cycle.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        texts_of_fields = (
            titles,
            map(folded_details, resources),
            (fold_loosely(resource.summary or "") for resource in resources),
        )
        for texts, words_at in zip(texts_of_fields, postings, strict=True):
            table: defaultdict[str, list[int]] = defaultdict(list)
            for position, words in enumerate(map(set, map(str.split, texts))):
                for word in words:
                    table[word].append(position)
            # Dropped once here rather than from every resource's words (a set difference each).
            for word in STOPWORDS:
                table.pop(word, None)
            words_at.update(
                zip(table, map(array.tobytes, map(array, repeat("I"), table.values())), strict=True)
            )
    finally:
        if was_enabled:
            gc.enable()
    variants: defaultdict[str, list[str]] = defaultdict(list)
    for word in set().union(*postings):
        variants[normalise_word(word)].append(word)
    canonical_words = sorted(variants)
    stems: tuple[dict[str, list[str]], ...] = tuple({} for _ in STEM_LANGUAGES)
    _add_stems(stems, canonical_words)
    languages = bytes(language_number(resource.language) for resource in resources)
    spelled = _spelled_titles(titles, range(len(titles)), variants)
    return SearchIndex(titles, postings, canonical_words, dict(variants), languages, stems, spelled)


def _spelled_titles(
    titles: Sequence[str], positions: Iterable[int], variants: Mapping[str, list[str]]
) -> dict[int, str]:
    """The titles at `positions` that hold a word not in canonical spelling, respelled."""
    respelled = {
        variant: canonical
        for canonical, group in variants.items()
        for variant in group
        if variant != canonical
    }
    spelled = {}
    for position in positions:
        words = titles[position].split()
        if not respelled.keys().isdisjoint(words):
            spelled[position] = " ".join(map(respelled.get, words, words))
    return spelled


def _stemmable(words: Sequence[str]) -> list[str]:
    """The words worth stemming: four letters or more, no digits (2008 stays 2008)."""
    return [word for word in words if len(word) > 3 and word.isalpha()]


def _add_stems(stems: tuple[dict[str, list[str]], ...], words: Sequence[str]) -> None:
    """Note the stem of each word in each language, where it differs from the word."""
    words = _stemmable(words)
    for language, table in enumerate(stems, 1):
        for word, stem in zip(words, stem_words(words, language), strict=True):
            if stem != word:
                table.setdefault(stem, []).append(word)


def _updated_stems(
    previous: tuple[dict[str, list[str]], ...], added: Sequence[str], removed: Sequence[str]
) -> tuple[dict[str, list[str]], ...]:
    """The stem tables with words added and removed; the previous tables' lists are not changed
    (they may be shared), so only the groups that change are copied."""
    stems = tuple(dict(table) for table in previous)
    added, removed = _stemmable(added), _stemmable(removed)
    for language, table in enumerate(stems, 1):
        for word, stem in zip(removed, stem_words(removed, language), strict=True):
            group = [other for other in table.get(stem, ()) if other != word]
            if group:
                table[stem] = group
            else:
                table.pop(stem, None)
        for word, stem in zip(added, stem_words(added, language), strict=True):
            if stem != word:
                table[stem] = [*table.get(stem, ()), word]
    return stems


def update_search_index(
    previous: SearchIndex,
    previous_resources: Sequence[Resource],
    previous_digests: Sequence[bytes | None],
    resources: Sequence[Resource],
    digests: Sequence[bytes | None],
) -> SearchIndex | None:
    """The index of `resources`, made from the index of `previous_resources` by re-indexing only
    the resources whose block digest (Catalogue.block_digests) changed, and the new ones at the
    end; None when that would not pay (resources removed or moved, or many changed).

    Equal to build_search_index(resources): a resource read from the same bytes has the same
    text, so its words and their positions are as they were.
    """
    old_count, count = len(previous_digests), len(digests)
    if count < old_count or not len(previous.titles) == len(previous_resources) == old_count:
        return None
    changed = [
        position
        for position, old, new in zip(range(old_count), previous_digests, digests, strict=False)
        if old is None or old != new
    ]
    from csec_cli.blockwise import most_changed

    # Beyond this many, building the index afresh is as quick as updating it.
    if len(changed) + count - old_count > most_changed(count):
        return None
    titles = list(previous.titles)
    postings = (dict(previous.postings[0]), dict(previous.postings[1]), dict(previous.postings[2]))
    touched: set[str] = set()
    for position in changed:
        for words, words_at in zip(
            _indexed_words(previous_resources[position]), postings, strict=True
        ):
            for word in words:
                found = array("I", words_at[word])
                found.remove(position)
                if found:
                    words_at[word] = found.tobytes()
                else:
                    del words_at[word]
            touched |= words
    for position in [*changed, *range(old_count, count)]:
        resource = resources[position]
        title = fold_words(resource.title)
        if position < old_count:
            titles[position] = title
        else:
            titles.append(title)
        for words, words_at in zip(_indexed_words(resource), postings, strict=True):
            for word in words:
                found = array("I", words_at.get(word, b""))
                insort(found, position)
                words_at[word] = found.tobytes()
            touched |= words
    variants = dict(previous.variants)
    had = set(variants)
    for word in touched:
        canonical = normalise_word(word)
        group = variants.get(canonical, [])
        present = any(word in words_at for words_at in postings)
        if present and word not in group:
            variants[canonical] = [*group, word]
        elif not present and word in group:
            variants[canonical] = [variant for variant in group if variant != word]
            if not variants[canonical]:
                del variants[canonical]
    stems = _updated_stems(previous.stems, sorted(set(variants) - had), sorted(had - set(variants)))
    languages = bytearray(previous.languages)
    for position in changed:
        languages[position] = language_number(resources[position].language)
    languages.extend(
        language_number(resources[position].language) for position in range(old_count, count)
    )
    spelled = dict(previous.spelled_titles)
    for position in changed:
        spelled.pop(position, None)
    spelled.update(_spelled_titles(titles, [*changed, *range(old_count, count)], variants))
    return SearchIndex(
        titles, postings, sorted(variants), variants, bytes(languages), stems, spelled
    )


def _indexed_words(resource: Resource) -> tuple[set[str], set[str], set[str]]:
    """The words build_search_index notes for one resource: title, details, summary."""
    texts = (
        fold_words(resource.title),
        folded_details(resource),
        fold_loosely(resource.summary or ""),
    )
    title, details, summary = (set(text.split()) - STOPWORDS for text in texts)
    return title, details, summary


def use_catalogue_index(
    path: Path, use: Callable[[SearchIndex, Sequence[Resource]], _Result]
) -> tuple[_Result, list[Problem]]:
    """What `use` makes of the index of the catalogue file at `path` and of its resources, and
    the problems found reading it; the same as `use(build_search_index(resources), resources)`
    on load_catalogue(path).resources.

    The index and the problems are cached with cache.store_derived, each resource's bytes with
    cache.store_rows, so a repeated search reads neither the TOML nor every resource: it hashes
    the file, loads the index, and `use` reads and rebuilds only the resources it asks for. Both
    are used only for exactly the bytes they were built from and only by this index code (its
    hash is stored with them). Stored bytes found damaged while `use` reads them are indexed
    again from the file, and `use` runs again.
    """
    from csec_cli import cache

    try:
        key = cache.key_of_file(path)
    except OSError:
        key = None  # load_catalogue explains what is wrong with the file
    if key is not None:
        entry = _read_entry(cache.load_derived(path, key, _CACHE_NAME))
        rows = None if entry is None else cache.RowFile.open(path, key, _ROWS_NAME)
        if entry is not None and rows is not None:
            try:
                return _use_stored(entry, rows, use)
            except cache.CacheDamagedError:
                pass  # indexed again below
            finally:
                rows.close()
        updated = _use_changed_blocks(path, key, use)
        if updated is not None:
            return updated
    return _use_loaded(path, use)


def _use_stored(
    entry: _Entry, rows: RowFile, use: Callable[[SearchIndex, Sequence[Resource]], _Result]
) -> tuple[_Result, list[Problem]]:
    from csec_cli.catalogue import Problem

    index, _, plain_problems, _ = entry
    problems = [Problem(*problem) for problem in plain_problems]
    return use(index, _StoredResources(rows)), problems


def _use_changed_blocks(
    path: Path, key: CacheKey, use: Callable[[SearchIndex, Sequence[Resource]], _Result]
) -> tuple[_Result, list[Problem]] | None:
    """use_catalogue_index after a few resources were changed in place (a hand edit, a `git
    pull`), without loading the catalogue: the file is read in pieces, only its changed blocks
    are parsed (blockwise.changed_blocks), the previous index is updated and stored with rows
    copied from the previous ones; None, with nothing stored, when it cannot be done so.

    Taken only where it gives what loading gives: the previous file had no problem and every
    resource was one block (so block and resource numbers agree), each changed block is one
    valid resource keeping its id and each added one a valid resource whose id no other has
    (so no id is repeated), none was removed, and every block starts on the line it did (so
    the stored resources of unchanged blocks are the very ones loading reads). 100,000
    resources are never all in memory: one title edited by hand took the first search from
    335 MB to about the memory of a repeated search.
    """
    from csec_cli import cache
    from csec_cli.blockwise import changed_blocks, most_changed

    found = cache.load_previous_derived(path, _CACHE_NAME)
    entry = None if found is None else _read_entry(found[1])
    if found is None or entry is None or found[0] == key:
        return None
    previous_key = found[0]
    index, count, problems, previous_digests = entry
    del found, entry  # the index's parts, which would otherwise be held twice
    if problems or None in previous_digests:
        return None
    rows = cache.RowFile.open(path, previous_key, _ROWS_NAME)
    if rows is None:
        return None
    try:
        changes = changed_blocks(path, key, previous_digests, most_changed(count))
        if changes is None or len(changes.digests) < count or len(rows) != count:
            return None
        previous = _StoredResources(rows)
        lines = changes.lines
        if count and previous[0].line != lines[0]:
            return None
        added: set[str] = set()
        for position, resource in changes.changed.items():
            if position >= count:
                added.add(resource.id)
                continue
            moved = position + 1 < count and previous[position + 1].line != lines[position + 1]
            if resource.id != previous[position].id or moved:
                return None
        if len(added) != len(changes.digests) - count:
            return None  # an id given twice among the added
        if added and not added.isdisjoint(rows.ids()):
            return None
        resources = _ChangedResources(previous, changes.changed, len(changes.digests))
        updated = update_search_index(index, previous, previous_digests, resources, changes.digests)
        if updated is None:
            return None
        del index
        cache.store_derived(
            path, key, _CACHE_NAME, _entry_parts(updated, len(resources), [], changes.digests)
        )
        changed_rows = cache.resource_rows(list(changes.changed.values()))
        cache.store_rows_changed(
            path, key, _ROWS_NAME, rows, dict(zip(changes.changed, changed_rows, strict=True))
        )
        del previous_digests, changes.digests[:], lines[:]  # ranking needs none of them
        return use(updated, resources), []
    except cache.CacheDamagedError:
        return None
    finally:
        rows.close()


def _use_loaded(
    path: Path, use: Callable[[SearchIndex, Sequence[Resource]], _Result]
) -> tuple[_Result, list[Problem]]:
    """use_catalogue_index without a usable cached index: load, index (or update the previous
    index), save both for the next search, use."""
    from csec_cli import cache
    from csec_cli.catalogue import load_catalogue

    catalogue = load_catalogue(path)
    resources, problems, built_from = catalogue.resources, catalogue.problems, catalogue.cache_key
    digests = catalogue.block_digests()
    del catalogue  # and all it holds that ranking does not need
    index = _updated_index(path, resources, digests) or build_search_index(resources)
    if built_from is not None:
        plain_problems = [(problem.message, problem.line, problem.severity) for problem in problems]
        parts = _entry_parts(index, len(resources), plain_problems, digests)
        cache.store_derived(path, built_from, _CACHE_NAME, parts)
        del parts
        cache.store_rows(path, built_from, _ROWS_NAME, cache.resource_rows(resources))
    return use(index, resources), problems


_CACHE_NAME = "search"
_ROWS_NAME = "search-resources"
# The index, how many resources it covers, the catalogue's problems, its block digests.
_Entry = tuple[SearchIndex, int, list[tuple[Any, ...]], list[bytes | None]]


def _entry_parts(
    index: SearchIndex,
    count: int,
    problems: list[tuple[Any, ...]],
    digests: Sequence[bytes | None],
) -> list[Any]:
    """What the search cache keeps, as cache parts (see _Entry)."""
    from csec_cli.cache import slices_of

    titles, postings, canonical_words, variants, languages, stems, spelled = index.as_plain()
    about = (
        _code_fingerprint(),
        count,
        problems,
        canonical_words,
        variants,
        languages,
        stems,
        spelled,
    )
    return [about, *postings, *slices_of(titles), *slices_of(digests)]


def _read_entry(parts: list[Any] | None) -> _Entry | None:
    """The entry _entry_parts made, if these parts are one this search code saved."""
    from csec_cli.cache import join_slices

    if not parts or not isinstance(parts[0], tuple) or len(parts[0]) != 8:
        return None
    fingerprint, count, problems, canonical_words, variants, languages, stems, spelled = parts[0]
    if fingerprint != _code_fingerprint():
        return None
    try:
        titles, digests = join_slices(parts[4:], count, 2)
    except ValueError:
        return None
    index = SearchIndex.from_plain(
        (titles, parts[1:4], canonical_words, variants, languages, stems, spelled)
    )
    return index, count, problems, digests


def _updated_index(
    path: Path, resources: Sequence[Resource], digests: Sequence[bytes | None]
) -> SearchIndex | None:
    """The index of the file's previous contents brought up to date, if there is one and that
    is quicker than building it (see update_search_index)."""
    from csec_cli import cache

    found = cache.load_previous_derived(path, _CACHE_NAME)
    entry = None if found is None else _read_entry(found[1])
    if found is None or entry is None:
        return None
    rows = cache.RowFile.open(path, found[0], _ROWS_NAME)
    if rows is None or len(rows) != entry[1]:
        return None
    index, _, _, previous_digests = entry
    try:
        return update_search_index(
            index, _StoredResources(rows), previous_digests, resources, digests
        )
    except cache.CacheDamagedError:
        return None
    finally:
        rows.close()


def thesaurus_stem_table(thesaurus: Thesaurus) -> dict[str, tuple[str, ...]]:
    """The thesaurus's terms by the stems of their meaningful words in their own language:
    "LANGUAGE STEM STEM ..." (LANGUAGE the number of search_text.STEM_LANGUAGES) -> concept ids.

    Stemming its ~5,000 terms takes ~25 ms, a tenth of a repeated search; so the table is kept
    in the user's cache for exactly these terms (a hash of them, or for csec's own terms alone
    the key of their file: Thesaurus.shipped_key) and this code, and read back in ~2 ms. Any
    trouble reading or writing that copy just means stemming again.
    """
    import marshal

    from csec_cli import cache

    if thesaurus.shipped_key is not None:
        terms: str | tuple[str, str, int, int] = (
            thesaurus.shipped_key
        )  # csec's own terms alone: no need to hash them
    else:
        rows = sorted(
            (concept.id, sorted(concept.terms.items())) for concept in thesaurus.concepts.values()
        )
        terms = hashlib.sha256(marshal.dumps(rows)).hexdigest()
    key = (terms, _code_fingerprint())
    copy = cache.cache_folder().parent / "thesaurus-stems.marshal"
    try:
        stored_key, table = marshal.loads(copy.read_bytes())
        if tuple(stored_key) == key and isinstance(table, dict):
            return table
    except Exception:  # a missing, truncated or foreign file is a miss, never a failure
        pass
    table = _stem_table(thesaurus)
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps((key, table)))
        partial.replace(copy)  # readers see the old copy or the new one, never half
    except OSError:
        pass
    return table


def _stem_table(thesaurus: Thesaurus) -> dict[str, tuple[str, ...]]:
    """thesaurus_stem_table, computed."""
    table: dict[str, list[str]] = {}
    for language, code in enumerate(STEM_LANGUAGES, 1):
        owners: list[str] = []
        phrases: list[list[str]] = []
        for concept in thesaurus.concepts.values():
            for term in concept.terms.get(code, ()):
                words = [
                    normalise_word(word)
                    for word in fold_words(term).split()
                    if word not in STOPWORDS
                ]
                if words:
                    owners.append(concept.id)
                    phrases.append(words)
        stems = iter(stem_words([word for words in phrases for word in words], language))
        for owner, words in zip(owners, phrases, strict=True):
            key = f"{language} {' '.join(next(stems) for _ in words)}"
            ids = table.setdefault(key, [])
            if owner not in ids:
                ids.append(owner)
    return {key: tuple(ids) for key, ids in table.items()}


class _StoredResources(Sequence[Resource]):
    """Resources kept in a cache.RowFile, each read and rebuilt only when asked for."""

    def __init__(self, rows: RowFile) -> None:
        self._rows = rows
        self._built: dict[int, Resource] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, position: int) -> Resource: ...
    @overload
    def __getitem__(self, position: slice) -> Sequence[Resource]: ...
    def __getitem__(self, position: int | slice) -> Resource | Sequence[Resource]:
        from csec_cli.cache import resources_from_rows

        if isinstance(position, slice):
            return [self[number] for number in range(len(self))[position]]
        if position < 0:
            position += len(self)
        if position not in self._built:
            self._built[position] = resources_from_rows([self._rows.row(position)])[0]
        return self._built[position]


class _ChangedResources(Sequence[Resource]):
    """Resources as stored (a _StoredResources), but for those at some positions, changed or
    added after them (`count` in all)."""

    def __init__(
        self, stored: Sequence[Resource], changed: Mapping[int, Resource], count: int
    ) -> None:
        self._stored = stored
        self._changed = changed
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, position: int) -> Resource: ...
    @overload
    def __getitem__(self, position: slice) -> Sequence[Resource]: ...
    def __getitem__(self, position: int | slice) -> Resource | Sequence[Resource]:
        if isinstance(position, slice):
            return [self[number] for number in range(len(self))[position]]
        if position < 0:
            position += len(self)
        changed = self._changed.get(position)
        return self._stored[position] if changed is None else changed


@functools.cache
def _code_fingerprint() -> str:
    """A hash of the code that decides what an index holds (this module and search_text): change
    how resources are read or indexed, and cached indexes are stale."""
    digest = hashlib.sha256()
    for module in (__file__, search_text.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()
