"""Ranking resources against a query: normalisation, scoring and the cutoff, decided here only.

How a score is made (0 to 100):

1. Text is folded (case, accents), cut into words, and UK/US spellings are brought to one form
   (labour/labor, organisation/organization, programme/program ...), so both sides compare alike.
2. Each query word is matched against the catalogue's vocabulary of distinct words with
   rapidfuzz's `fuzz.ratio` (typos), plus prefixes ("inspect" finds "inspection"). This step works
   on distinct words, not on resources, so it costs almost nothing as the catalogue grows.
3. A resource earns, per query word, the best similarity found in its title (weight 1.0), its
   type/audience/topics/countries (0.9) or its summary (0.8). Words found in few resources weigh
   more than words found in most (an IDF weight), so "sexual exploitation Mongolia" is about
   Mongolia. Coverage is the weighted mean over the query's words: matching all words beats
   matching some.
4. The final score is 85% coverage and 15% `fuzz.token_sort_ratio` between query and title, which
   orders near-ties by how closely the title is what was typed, whatever the word order. A query
   equal to a title (after folding) scores 100 and ranks first.

Resources below `min_score` are left out, so a query that matches nothing meaningful returns
nothing rather than the least-bad resources.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import heapq
import math
import re
import string
import unicodedata
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, itemgetter, neg
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from rapidfuzz import fuzz, process

from csec_cli.models import Resource, fold_text

if TYPE_CHECKING:
    from csec_cli.cache import RowFile
    from csec_cli.catalogue import Problem

# A resource must cover about half of a query's weight in its title, or more elsewhere; a stray
# typo-level resemblance to one word of a two-word query stays below it (see README).
DEFAULT_MIN_SCORE = 55.0

TITLE_WEIGHT = 1.0
DETAILS_WEIGHT = 0.9
SUMMARY_WEIGHT = 0.8
FIELD_WEIGHTS = (TITLE_WEIGHT, DETAILS_WEIGHT, SUMMARY_WEIGHT)
COVERAGE_SHARE = 0.85
TITLE_SHARE = 1.0 - COVERAGE_SHARE

# Words that carry no meaning of their own: not indexed, and dropped from queries.
_STOPWORDS = frozenset(
    "a an and the of in on for to with by from at as its it is are or how what who why about "  # noqa: SIM905
    "into this that these those be was were has have do does not no y de del la las el los en "
    "para por con".split()
)
_WORD = re.compile(r"[^\W_]+")
# Quotes, dashes, ellipsis, guillemets, no-break space, bullets: separators, like ASCII punctuation.
_TYPOGRAPHY = "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00ab\u00bb\u00a0\u00b7\u2022"
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_ASCII_FOLD = bytes.maketrans(
    (string.ascii_uppercase + string.punctuation + string.whitespace).encode("ascii"),
    (string.ascii_lowercase + " " * len(string.punctuation + string.whitespace)).encode("ascii"),
)

# UK and US spellings found in this field's literature, brought to one (US) form. Whole words
# first; then families of words sharing a UK stem; then the -ise/-isation rule.
_SPELLINGS = {
    "programme": "program", "programmes": "programs", "programmed": "programed",
    "centre": "center", "centres": "centers", "centred": "centered",
    "catalogue": "catalog", "catalogues": "catalogs", "catalogued": "cataloged",
    "dialogue": "dialog", "dialogues": "dialogs",
    "defence": "defense", "offence": "offense", "offences": "offenses", "licence": "license",
    "practise": "practice", "practised": "practiced",
    "ageing": "aging", "judgement": "judgment", "judgements": "judgments",
    "enrolment": "enrollment", "enrolments": "enrollments", "fulfil": "fulfill",
    "paediatric": "pediatric", "foetus": "fetus", "anaemia": "anemia", "grey": "gray",
    "counselling": "counseling", "counsellor": "counselor", "counsellors": "counselors",
    "counselled": "counseled", "travelling": "traveling", "travelled": "traveled",
    "modelling": "modeling", "labelled": "labeled", "labelling": "labeling",
    "analyse": "analyze", "analysed": "analyzed", "analyses": "analyzes", "analysing": "analyzing",
    "towards": "toward",
}  # fmt: skip
_UK_STEMS = {
    "labour": "labor", "favour": "favor", "behaviour": "behavior", "colour": "color",
    "honour": "honor", "neighbour": "neighbor", "harbour": "harbor", "rumour": "rumor",
    "endeavour": "endeavor", "humour": "humor", "vigour": "vigor", "saviour": "savior",
}  # fmt: skip
_UK_STEM_STARTS = tuple({stem[:3] for stem in _UK_STEMS})
# Acronyms of this field, and the words they stand for (canonical spelling, no stopwords).
_ACRONYMS = {
    "csec": ("commercial", "sexual", "exploitation", "children"),
    "cse": ("commercial", "sexual", "exploitation"),
    "wfcl": ("worst", "forms", "child", "labor"),
}
_Q_AND_A = re.compile(r"\bq\s*&\s*a\b", re.IGNORECASE)
_ISE = re.compile(r"(?<=.{3})is(e|es|ed|ing|ation|ations|ational|er|ers)$")
# Common -ise words that are spelled -ise in US English too; left alone.
_ISE_KEPT = frozenset(
    "advise advised advises advising exercise exercised exercises otherwise revise revised "  # noqa: SIM905
    "supervise supervised supervising supervises promise promised promises enterprise "
    "enterprises precise concise expertise surprise surprised compromise compromised premise "
    "premises franchise merchandise disguise comprise comprised comprises devise devised "
    "televised improvise arise arises raise raised raises praise noise cruise paradise "
    "treatise demise despise wise likewise clockwise".split()
)


@dataclass(frozen=True)
class SearchHit:
    """One resource that matches a query, with its relevance from 0 to 100.

    `matched_words` are the resource's own words (folded: lower case, no accents) that matched
    the query, title words first; `word_spans` finds them in the original text for highlighting.
    """

    resource: Resource
    score: float
    matched_words: tuple[str, ...] = ()


@dataclass
class SearchIndex:
    """What ranking needs to know about each resource, prepared once for a catalogue.

    Titles are folded (case, accents, punctuation) but keep their spelling; `postings` say which
    resources (by position) hold each word in their title, details or summary, as the bytes of
    an `array("I")` (compact, and unpacked only for the words a query matches); `variants` map
    each canonical spelling to the catalogue's words that have it. Only lists, dicts, strings
    and bytes, so a caller may cache it with marshal (`as_plain`, `from_plain`). Build with
    `build_search_index`, use with `rank_indexed`.
    """

    titles: list[str]
    postings: tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]
    canonical_words: list[str]
    variants: dict[str, list[str]]

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
        return (self.titles, self.postings, self.canonical_words, self.variants)

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...]) -> SearchIndex:
        """The index `as_plain` gave."""
        titles, postings, canonical_words, variants = plain
        return cls(titles, tuple(postings), canonical_words, variants)


def normalise_word(word: str) -> str:
    """One folded word in its canonical spelling ("labour" and "labor" both become "labor")."""
    spelled = _SPELLINGS.get(word)
    if spelled is not None:
        return spelled
    if word.startswith(_UK_STEM_STARTS):
        for stem, us_stem in _UK_STEMS.items():
            if word.startswith(stem):
                return us_stem + word[len(stem) :]
    if "is" in word and word not in _ISE_KEPT:
        return _ISE.sub(lambda match: "iz" + match.group(1), word)
    return word


def fold_words(text: str) -> str:
    """Text folded for comparison: no case, accents or punctuation, words single-spaced."""
    return " ".join(_fold_loosely(text).split())


def _fold_loosely(text: str) -> str:
    """Like fold_words, but spaces may repeat: enough for splitting, and cheaper."""
    if not text.isascii():
        # As models.fold_text does, but with C-speed steps, and typographic quotes and dashes
        # made plain first, so that most Latin-script text then takes the ASCII path below.
        for mark in _TYPOGRAPHY:
            if mark in text:
                # str.replace scans in C; str.translate with a table is far slower on long text.
                text = text.replace(mark, " ")
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        text = _COMBINING_MARKS.sub("", decomposed)
        if not text.isascii():
            return " ".join(_WORD.findall(text))
    # One C pass over bytes: A-Z to a-z, punctuation and line breaks to spaces.
    return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")


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
            map(_folded_details, resources),
            (_fold_loosely(resource.summary or "") for resource in resources),
        )
        for texts, words_at in zip(texts_of_fields, postings, strict=True):
            table: defaultdict[str, list[int]] = defaultdict(list)
            for position, words in enumerate(map(set, map(str.split, texts))):
                for word in words:
                    table[word].append(position)
            # Dropped once here rather than from every resource's words (a set difference each).
            for word in _STOPWORDS:
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
    return SearchIndex(titles, postings, sorted(variants), dict(variants))


# Beyond this share of changed resources, building the index afresh is as quick as updating it.
_MOST_CHANGED_SHARE = 0.05
_FEWEST_CHANGED = 50


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
    if len(changed) + count - old_count > max(_FEWEST_CHANGED, _MOST_CHANGED_SHARE * count):
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
    return SearchIndex(titles, postings, sorted(variants), variants)


def _indexed_words(resource: Resource) -> tuple[set[str], set[str], set[str]]:
    """The words build_search_index notes for one resource: title, details, summary."""
    texts = (
        fold_words(resource.title),
        _folded_details(resource),
        _fold_loosely(resource.summary or ""),
    )
    title, details, summary = (set(text.split()) - _STOPWORDS for text in texts)
    return title, details, summary


def _folded_details(resource: Resource) -> str:
    return _fold_loosely(
        " ; ".join((resource.type or "", *resource.audience, *resource.topics, *resource.countries))
    )


def search_catalogue(
    path: Path,
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
) -> tuple[list[SearchHit], list[Problem]]:
    """The resources of the catalogue file at `path` that match `query`, best first, and the
    problems found reading it; the same as rank_resources on load_catalogue(path).resources.

    The index and the problems are cached with cache.store_derived, each resource's bytes with
    cache.store_rows, so a repeated search reads neither the TOML nor every resource: it hashes
    the file, loads the index, ranks, and reads and rebuilds only the resources it returns. Both
    are used only for exactly the bytes they were built from and only by this search code (its
    hash is stored with them).
    """
    from csec_cli import cache

    try:
        key = cache.CacheKey.of_file(path)
    except OSError:
        key = None  # load_catalogue explains what is wrong with the file
    if key is not None:
        entry = _read_entry(cache.load_derived(path, key, _CACHE_NAME))
        rows = None if entry is None else cache.RowFile.open(path, key, _ROWS_NAME)
        if entry is not None and rows is not None:
            try:
                return _search_stored(entry, rows, query, min_score, limit)
            except cache.CacheDamagedError:
                pass  # indexed again below
            finally:
                rows.close()
    return _search_loaded(path, query, min_score, limit)


def _search_stored(
    entry: _Entry, rows: RowFile, query: str, min_score: float, limit: int | None
) -> tuple[list[SearchHit], list[Problem]]:
    from csec_cli.catalogue import Problem

    index, _, plain_problems, _ = entry
    problems = [Problem(*problem) for problem in plain_problems]
    hits = rank_indexed(index, _StoredResources(rows), query, min_score=min_score, limit=limit)
    return hits, problems


def _search_loaded(
    path: Path, query: str, min_score: float, limit: int | None
) -> tuple[list[SearchHit], list[Problem]]:
    """search_catalogue without a usable cached index: load, index (or update the previous
    index), save both for the next search, rank."""
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
    return rank_indexed(index, resources, query, min_score=min_score, limit=limit), problems


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

    titles, postings, canonical_words, variants = index.as_plain()
    about = (_code_fingerprint(), count, problems, canonical_words, variants)
    return [about, *postings, *slices_of(titles), *slices_of(digests)]


def _read_entry(parts: list[Any] | None) -> _Entry | None:
    """The entry _entry_parts made, if these parts are one this search code saved."""
    from csec_cli.cache import join_slices

    if not parts or not isinstance(parts[0], tuple) or len(parts[0]) != 5:
        return None
    fingerprint, count, problems, canonical_words, variants = parts[0]
    if fingerprint != _code_fingerprint():
        return None
    try:
        titles, digests = join_slices(parts[4:], count, 2)
    except ValueError:
        return None
    index = SearchIndex.from_plain((titles, parts[1:4], canonical_words, variants))
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


@functools.cache
def _code_fingerprint() -> str:
    """A hash of this module: change how search indexes or ranks, and cached indexes are stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def rank_resources(
    resources: Sequence[Resource],
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
) -> list[SearchHit]:
    """The resources that match `query`, best first, none below `min_score`."""
    return rank_indexed(
        build_search_index(resources), resources, query, min_score=min_score, limit=limit
    )


def rank_indexed(
    index: SearchIndex,
    resources: Sequence[Resource],
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
) -> list[SearchHit]:
    """Like `rank_resources`, with an index built (or cached) beforehand for these resources."""
    words = query_words(query)
    if not words or not resources or limit == 0:
        return []
    matched: set[str] = set()
    per_word = [_word_credit(index, word, matched) for word in words]
    shares = _word_shares(per_word, len(resources))
    if not shares:
        return []

    # Weighted mean coverage of every resource that matched any word, summed in C (map).
    positions = list(set().union(*per_word))
    coverage = [0.0] * len(positions)
    for share, credit in zip(shares, per_word, strict=True):
        coverage = list(
            map(add, coverage, map(share.__mul__, map(credit.get, positions, repeat(0.0))))
        )

    # The title similarity adds at most TITLE_SHARE * 100: below `floor`, min_score is out of reach.
    floor = (min_score - TITLE_SHARE * 100.0) / (COVERAGE_SHARE * 100.0)
    passing = list(map(floor.__le__, coverage))
    kept_positions = list(compress(positions, passing))
    kept_coverage = list(compress(coverage, passing))
    query_text = fold_words(query)
    matched_words = sorted(matched)
    if limit is None:
        scored = _score_titles(index, query_text, kept_positions, kept_coverage, min_score, None)
        best = sorted(scored, reverse=True)
    else:
        best = _best_scored(index, query_text, kept_positions, kept_coverage, min_score, limit)
    return [
        SearchHit(
            resources[position],
            round(min(score, 100.0), 1),
            _matched_words(index, resources[position], position, matched_words),
        )
        for score, _, position in best
    ]


# Sort key: score (an exact title counts as _EXACT_TITLE_KEY), -position (earlier first), position.
_Scored = tuple[float, int, int]
_EXACT_TITLE_KEY = 1100.0


def _score_titles(
    index: SearchIndex,
    query_text: str,
    positions: Sequence[int],
    coverage: Sequence[float],
    min_score: float,
    limit: int | None,
) -> list[_Scored]:
    """Final scores of candidates (or of the `limit` with the most title-like titles), in C."""
    scored: list[_Scored] = []
    titles = list(map(index.titles.__getitem__, positions))
    for title, similarity, slot in process.extract(
        query_text, titles, scorer=fuzz.token_sort_ratio, processor=None, limit=limit
    ):
        position = positions[slot]
        if title == query_text:
            # An exact title (after folding) ranks first whatever else matches.
            scored.append((_EXACT_TITLE_KEY, -position, position))
            continue
        score = COVERAGE_SHARE * 100.0 * coverage[slot] + TITLE_SHARE * similarity
        if score >= min_score:
            scored.append((score, -position, position))
    return scored


def _best_scored(
    index: SearchIndex,
    query_text: str,
    positions: Sequence[int],
    coverage: Sequence[float],
    min_score: float,
    limit: int,
) -> list[_Scored]:
    """The `limit` best candidates, scoring titles only while they could still enter the top.

    Candidates are taken in groups of equal coverage, best first; a group whose coverage plus a
    perfect title cannot beat the current limit-th score ends the search. So a common word in a
    large catalogue costs one C pass over the best group, not a Python step per resource.
    """
    ranked = sorted(zip(map(neg, coverage), positions, strict=True))
    negated = list(map(itemgetter(0), ranked))
    ordered = list(map(itemgetter(1), ranked))
    best: list[_Scored] = []
    start = 0
    while start < len(ordered):
        value = -negated[start]
        ceiling = COVERAGE_SHARE * 100.0 * value + TITLE_SHARE * 100.0
        if len(best) == limit and ceiling < best[0][0]:
            break
        end = bisect_right(negated, negated[start], lo=start)
        group = ordered[start:end]
        for item in _score_titles(index, query_text, group, [value] * len(group), min_score, limit):
            if len(best) < limit:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        start = end
    return sorted(best, reverse=True)


def query_words(query: str) -> list[str]:
    """The distinct meaningful words of a query, in canonical spelling, in the order typed."""
    query = _Q_AND_A.sub(" questions and answers ", query)
    words = [word for word in dict.fromkeys(fold_words(query).split()) if word not in _STOPWORDS]
    return list(dict.fromkeys(normalise_word(word) for word in words))


def match_vocabulary(vocabulary: Sequence[str], word: str) -> dict[str, float]:
    """Words of a sorted vocabulary close to a query word, with a similarity from 0 to 1.

    Short words and numbers must match exactly (2008 is not 2009; "war" is not "law"); longer
    words allow typos in proportion to their length, and may be the start of a longer word.
    """
    found: dict[str, float] = {}
    start = bisect_left(vocabulary, word)
    if start < len(vocabulary) and vocabulary[start] == word:
        found[word] = 1.0
    if len(word) <= 3 or any(char.isdigit() for char in word):
        return found
    # The start of a longer word: "inspect" for "inspection", "child" for "children".
    for position in range(start, len(vocabulary)):
        candidate = vocabulary[position]
        if not candidate.startswith(word):
            break
        found.setdefault(candidate, 0.85 + 0.15 * len(word) / len(candidate))
    # A longer form of a catalogue word: "strategically" for "strategic".
    for cut in range(len(word) - 1, max(len(word) // 2, 4) - 1, -1):
        stem = word[:cut]
        position = bisect_left(vocabulary, stem)
        if position < len(vocabulary) and vocabulary[position] == stem and cut >= 0.6 * len(word):
            found.setdefault(stem, 0.8 + 0.15 * cut / len(word))
    # Typos: one wrong letter in five is tolerated, a little more in longer words.
    cutoff = 80.0 if len(word) <= 5 else 75.0 if len(word) <= 8 else 70.0
    for candidate, similarity, _ in process.extract(
        word, vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
    ):
        if similarity / 100.0 > found.get(candidate, 0.0):
            found[candidate] = similarity / 100.0
    return found


def _word_credit(index: SearchIndex, word: str, matched: set[str]) -> dict[int, float]:
    """What each resource earns for one query word; adds the catalogue words it matched.

    An acronym of the field ("CSEC") also earns, where better, the mean of what its spelt-out
    words earn, since many titles spell it out and many people type it short.
    """
    similar = {
        variant: similarity
        for canonical, similarity in match_vocabulary(index.canonical_words, word).items()
        for variant in index.variants[canonical]
    }
    matched.update(similar)
    credit = _best_credit(index, similar)
    expansion = _ACRONYMS.get(word)
    if not expansion:
        return credit
    parts = [_word_credit(index, part, matched) for part in expansion]
    positions = list(set().union(*parts))
    total = [0.0] * len(positions)
    for part in parts:
        total = list(map(add, total, map(part.get, positions, repeat(0.0))))
    spelt_out = dict(zip(positions, map((1.0 / len(parts)).__mul__, total), strict=True))
    for position, value in credit.items():
        if value > spelt_out.get(position, 0.0):
            spelt_out[position] = value
    return spelt_out


def _best_credit(index: SearchIndex, similar: dict[str, float]) -> dict[int, float]:
    """For each resource holding a similar word, the best field-weighted similarity it earns."""
    weighted = sorted(
        (similarity * weight, slot, word)
        for word, similarity in similar.items()
        for slot, weight in enumerate(FIELD_WEIGHTS)
    )
    credit: dict[int, float] = {}
    # Ascending order, so the best value for a resource is the one written last (all in C).
    for value, slot, word in weighted:
        positions = index.positions(slot, word)
        if positions:
            credit.update(dict.fromkeys(positions, value))
    return credit


def _word_shares(per_word: list[dict[int, float]], total: int) -> list[float]:
    """Each query word's share of the score: rarer words weigh more (inverse document frequency).

    A word found nowhere weighs as much as the average word, so one unknown word lowers every
    score without swamping the words that did match. No share at all when nothing matched.
    """
    weights = [math.log(1.0 + total / len(credit)) if credit else 0.0 for credit in per_word]
    known = [weight for weight in weights if weight]
    if not known:
        return []
    mean_weight = sum(known) / len(known)
    weights = [weight or mean_weight for weight in weights]
    return [weight / sum(weights) for weight in weights]


def _matched_words(
    index: SearchIndex, resource: Resource, position: int, matched: list[str]
) -> tuple[str, ...]:
    """The resource's own folded words that matched the query: title words first, in order.

    `matched` is sorted; other fields are searched with C substring tests, not split into words.
    """
    title = [word for word in dict.fromkeys(index.titles[position].split()) if word in matched]
    summary = _fold_loosely(resource.summary or "")
    elsewhere = f" {_folded_details(resource)} {summary} "
    rest = [word for word in matched if word not in title and f" {word} " in elsewhere]
    return (*title, *rest)


def word_spans(text: str, matched_words: Iterable[str]) -> list[tuple[int, int]]:
    """Where in `text` the words of a SearchHit's `matched_words` stand, for highlighting."""
    wanted = set(matched_words)
    spans = []
    for match in _WORD.finditer(text):
        word = match.group()
        if (word.casefold() if word.isascii() else fold_text(word)) in wanted:
            spans.append(match.span())
    return spans
