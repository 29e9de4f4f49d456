"""Ranking resources against a query: scoring and the cutoff, decided here only.

How a score is made (0 to 100):

1. Text is folded (case, accents), cut into words, and UK/US spellings are brought to one form
   (labour/labor, organisation/organization, programme/program ...), so both sides compare alike
   (search_text). The catalogue's side is prepared once, in a search index (search_index).
2. Each query word is matched against the catalogue's vocabulary of distinct words with
   rapidfuzz's `fuzz.ratio` (typos), plus prefixes ("inspect" finds "inspection"). This step works
   on distinct words, not on resources, so it costs almost nothing as the catalogue grows.
3. A resource earns, per query word, the best similarity found in its title (weight 1.0), its
   type/audience/topics/countries/authors (0.9) or summary (0.8). Words found in few resources weigh
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

import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, itemgetter, neg
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from csec_cli.models import Resource, fold_text
from csec_cli.search_index import SearchIndex, build_search_index, use_catalogue_index
from csec_cli.search_text import (
    STOPWORDS,
    WORD,
    fold_loosely,
    fold_words,
    folded_details,
    normalise_word,
)

if TYPE_CHECKING:
    from pathlib import Path

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

# Acronyms of this field, and the words they stand for (canonical spelling, no stopwords).
_ACRONYMS = {
    "csec": ("commercial", "sexual", "exploitation", "children"),
    "cse": ("commercial", "sexual", "exploitation"),
    "wfcl": ("worst", "forms", "child", "labor"),
}
_Q_AND_A = re.compile(r"\bq\s*&\s*a\b", re.IGNORECASE)


@dataclass(frozen=True)
class SearchHit:
    """One resource that matches a query, with its relevance from 0 to 100.

    `matched_words` are the resource's own words (folded: lower case, no accents) that matched
    the query, title words first; `word_spans` finds them in the original text for highlighting.
    """

    resource: Resource
    score: float
    matched_words: tuple[str, ...] = ()


def search_catalogue(
    path: Path,
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
) -> tuple[list[SearchHit], list[Problem]]:
    """The resources of the catalogue file at `path` that match `query`, best first, and the
    problems found reading it; the same as rank_resources on load_catalogue(path).resources.

    The index comes from the cache when it holds one for exactly these bytes (see
    search_index.use_catalogue_index), so a repeated search reads neither the TOML nor every
    resource: only the resources it returns are read and rebuilt.
    """

    def rank(index: SearchIndex, resources: Sequence[Resource]) -> list[SearchHit]:
        return rank_indexed(index, resources, query, min_score=min_score, limit=limit)

    return use_catalogue_index(path, rank)


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
    words = [word for word in dict.fromkeys(fold_words(query).split()) if word not in STOPWORDS]
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
    summary = fold_loosely(resource.summary or "")
    elsewhere = f" {folded_details(resource)} {summary} "
    rest = [word for word in matched if word not in title and f" {word} " in elsewhere]
    return (*title, *rest)


def word_spans(text: str, matched_words: Iterable[str]) -> list[tuple[int, int]]:
    """Where in `text` the words of a SearchHit's `matched_words` stand, for highlighting."""
    wanted = set(matched_words)
    spans = []
    for match in WORD.finditer(text):
        word = match.group()
        if (word.casefold() if word.isascii() else fold_text(word)) in wanted:
            spans.append(match.span())
    return spans
