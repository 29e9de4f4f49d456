"""Ranking resources against a query: scoring and the cutoff, decided here only.

How a score is made (0 to 100):

1. Text is folded (case, accents), cut into words, function words of English, Spanish, Portuguese
   and French are dropped, and UK/US spellings are brought to one form, so both sides compare
   alike (search_text). The catalogue's side is prepared once, in a search index (search_index).
2. Each query word is matched against the catalogue's vocabulary of distinct words: exactly, by
   rapidfuzz's `fuzz.ratio` (typos), by prefix ("inspect" finds "inspection"), and by Snowball
   stem in each of en, es, pt and fr ("explotadas" finds "explotación"), a stem counting only in
   resources of that language (or of none given); a Spanish or Portuguese verb also finds the
   noun made from it, and the noun the verb ("detectar", "detección"), which Snowball stems
   apart. This works on distinct words, not resources.
3. Query expansion: a word or phrase the thesaurus knows (longest phrase first, so "trabajo
   infantil" is one concept) also matches the other terms of its concept in every language
   ("trata" finds "trafficking"), each worth THESAURUS_WEIGHT of a direct match.
4. A resource earns, per query word, the best similarity found in its title (weight 1.0), its
   type/audience/topics/countries/authors/publisher/series (0.9) or its summary (0.8). Words found in few resources weigh
   more than words found in most (an IDF weight). Coverage is the weighted mean over the query's
   words: matching all words beats matching some. A word found nowhere at all lowers every score
   by half its weight instead of emptying the result (a partial match).
5. The final score is 85% coverage and 15% `fuzz.token_sort_ratio` between query and title, which
   orders near-ties by how closely the title is what was typed, whatever the word order. A query
   equal to a title (after folding) scores 100 and ranks first.

Resources below `min_score` are left out, so a query that matches nothing meaningful returns
nothing rather than the least-bad resources. With a limit, the thesaurus terms' credits are
computed only for the resources that could still enter the top (bounds from direct matches:
`_best_bounded`), with the same results. With `explain`, each hit says which query words
matched which of its words, where, and how (exact, spelling, prefix, typo, stem, thesaurus).
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from itertools import compress, filterfalse, repeat
from operator import add, gt, itemgetter, mul, neg
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from csec_cli.models import Resource, fold_text
from csec_cli.search_index import (
    SearchIndex,
    build_search_index,
    thesaurus_stem_table,
    use_catalogue_index,
)
from csec_cli.search_text import (
    STEM_LANGUAGES,
    STOPWORDS,
    WORD,
    fold_loosely,
    fold_words,
    folded_details,
    locution_positions,
    meaningful_words,
    normalise_word,
    stem_words,
)

if TYPE_CHECKING:
    from pathlib import Path

    from csec_cli.catalogue import Problem
    from csec_cli.thesaurus_data import Thesaurus

# A resource must cover about half of a query's weight in its title, or more elsewhere; a stray
# typo-level resemblance to one word of a two-word query stays below it (see docs/design.md).
DEFAULT_MIN_SCORE = 55.0

TITLE_WEIGHT = 1.0
DETAILS_WEIGHT = 0.9
SUMMARY_WEIGHT = 0.8
FIELD_WEIGHTS = (TITLE_WEIGHT, DETAILS_WEIGHT, SUMMARY_WEIGHT)
FIELD_NAMES = ("title", "details", "summary")
COVERAGE_SHARE = 0.85
TITLE_SHARE = 1.0 - COVERAGE_SHARE
# A word with the query word's stem is nearly as good as the word itself; a thesaurus equivalent
# is worth less than the query's own words, so a resource using them ranks first, field for field.
STEM_SIMILARITY = 0.9
STEM_EXTENSION_SIMILARITY = 0.85
THESAURUS_WEIGHT = 0.85
# A term in another language than the one the query's phrase was found in: a translation is a
# shade further from what was typed than a synonym ("ECA" is the Estatuto da Criança e do
# Adolescente before it is any other country's children's code).
TRANSLATION_WEIGHT = 0.8
# A narrower concept's term (Guatemala for "Central America") is weaker evidence still.
NARROWER_WEIGHT = 0.7
# A broader concept's term stands in only when none of the other terms of the phrase's concepts
# (nor of their narrower ones) has all its words in the catalogue ("prostitución infantil" where
# the catalogue says "explotación sexual comercial"): weaker evidence again, not nothing. At 0.65
# a title on the broader concept alone just passes DEFAULT_MIN_SCORE ("periodistas" finds the
# seed's resources on the media, which have none for journalists); at 0.6 it fell just short.
BROADER_WEIGHT = 0.65
# A query word found nowhere (not even by typo, stem or thesaurus) costs half its weight.
MISSING_WORD_COST = 0.5
_Q_AND_A = re.compile(r"\bq\s*&\s*a\b", re.IGNORECASE)
# Snowball keeps agent nouns apart from their verbs ("inspector", "inspect"): a query stem that
# extends a catalogue word's stem by one or two letters matches too, when that stem is this long.
_SHORTEST_EXTENDED_STEM = 6


@dataclass(frozen=True)
class Match:
    """Why a resource counts for one query word (or thesaurus phrase): what matched, where, how.

    `how` is exact, spelling (UK/US), prefix, typo, stem, thesaurus or initials (an acronym
    spelled by a title's words); `matched` is the
    resource's own word (folded), or the thesaurus term it holds; `concept` the thesaurus
    concept's id when `how` is thesaurus.
    """

    query: str
    matched: str
    how: str
    field: str
    concept: str | None = None

    def as_json(self) -> dict[str, str]:
        """The match as a JSON object (`concept` only for a thesaurus match)."""
        found = {"query": self.query, "matched": self.matched, "how": self.how, "field": self.field}
        if self.concept is not None:
            found["concept"] = self.concept
        return found


@dataclass(frozen=True)
class SearchHit:
    """One resource that matches a query, with its relevance from 0 to 100.

    `matched_words` are the resource's own words (folded: lower case, no accents) that matched
    the query, title words first; `word_spans` finds them in the original text for highlighting.
    `matches` says why, query word by query word (only when ranked with `explain`).
    """

    resource: Resource
    score: float
    matched_words: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()


def search_catalogue(
    path: Path,
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    explain: bool = False,
) -> tuple[list[SearchHit], list[Problem]]:
    """The resources of the catalogue file at `path` that match `query`, best first, and the
    problems found reading it; the same as rank_resources on load_catalogue(path).resources,
    with the thesaurus of that catalogue (thesaurus_data.load_thesaurus).

    The index comes from the cache when it holds one for exactly these bytes (see
    search_index.use_catalogue_index), so a repeated search reads neither the TOML nor every
    resource: only the resources it returns are read and rebuilt.
    """
    from csec_cli.thesaurus_data import load_thesaurus

    thesaurus = load_thesaurus(path)

    def rank(index: SearchIndex, resources: Sequence[Resource]) -> list[SearchHit]:
        return rank_indexed(
            index,
            resources,
            query,
            min_score=min_score,
            limit=limit,
            thesaurus=thesaurus,
            explain=explain,
        )

    return use_catalogue_index(path, rank)


def rank_resources(
    resources: Sequence[Resource],
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    thesaurus: Thesaurus | None = None,
    explain: bool = False,
) -> list[SearchHit]:
    """The resources that match `query`, best first, none below `min_score`.

    Without a `thesaurus`, csec's own (with $CSEC_THESAURUS's terms, if set) expands the query.
    """
    return rank_indexed(
        build_search_index(resources),
        resources,
        query,
        min_score=min_score,
        limit=limit,
        thesaurus=thesaurus,
        explain=explain,
    )


def rank_indexed(
    index: SearchIndex,
    resources: Sequence[Resource],
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    thesaurus: Thesaurus | None = None,
    explain: bool = False,
) -> list[SearchHit]:
    """Like `rank_resources`, with an index built (or cached) beforehand for these resources."""
    if not resources or limit == 0:
        return []
    if limit is not None:
        # No more can be found than there are; rapidfuzz takes the limit as a C long, so
        # `--limit 10000000000000000000` would overflow there.
        limit = min(limit, len(resources))
    plans = plan_query(index, query, thesaurus)
    if not plans:
        return []
    masks = _language_masks(index)
    direct = [_best_credit(index, plan.direct, masks) for plan in plans]
    query_text = " ".join(map(normalise_word, fold_words(query).split()))
    acronyms: set[str] = set()
    best = None
    if limit is not None and all(direct):
        best = _best_bounded(index, plans, masks, direct, query_text, min_score, limit)
    if best is None:
        per_word, direct_counts = _word_credits(index, plans, masks, direct)
        acronyms = _credit_acronyms(index, query, plans, per_word, direct_counts)
        if not all(per_word) and any(per_word):
            # Part of the query is outside the catalogue's vocabulary: the rest must match by
            # more than resemblance ("kubernetes deployment" is not about employment).
            plans = [_without_typos(plan) for plan in plans]
            per_word, direct_counts = _word_credits(index, plans, masks)
        shares, kept_share = _word_shares(per_word, direct_counts, len(resources))
        if not shares:
            return []
        positions = list(set().union(*per_word))
        coverage = _coverage(positions, shares, per_word, kept_share)
        kept_positions, kept_coverage = _reaching(positions, coverage, min_score)
        if limit is None:
            scored = _score_titles(
                index, query_text, kept_positions, kept_coverage, min_score, None
            )
            best = sorted(scored, reverse=True)
        else:
            best = _best_scored(index, query_text, kept_positions, kept_coverage, min_score, limit)
    matched_words = sorted({variant for plan in plans for variant in plan.variants()})
    hits = []
    for score, _, position in best:
        resource = resources[position]
        matches = _explain(index, plans, resource, position, acronyms) if explain else ()
        hits.append(
            SearchHit(
                resource,
                round(min(score, 100.0), 1),
                _matched_words(index, resource, position, matched_words),
                matches,
            )
        )
    return hits


def _coverage(
    positions: Sequence[int],
    shares: Sequence[float],
    per_word: Sequence[dict[int, float]],
    kept_share: float,
) -> list[float]:
    """The weighted mean coverage of each resource at `positions`, summed in C (map)."""
    coverage = [0.0] * len(positions)
    for share, credit in zip(shares, per_word, strict=True):
        if share:
            coverage = list(
                map(add, coverage, map(share.__mul__, map(credit.get, positions, repeat(0.0))))
            )
    if kept_share < 1.0:
        coverage = list(map(kept_share.__mul__, coverage))
    return coverage


def _floor(min_score: float) -> float:
    """The coverage below which `min_score` is out of reach: the title similarity adds at most
    TITLE_SHARE * 100."""
    return (min_score - TITLE_SHARE * 100.0) / (COVERAGE_SHARE * 100.0)


def _reaching(
    positions: Sequence[int], coverage: Sequence[float], min_score: float
) -> tuple[list[int], list[float]]:
    """The positions (and their coverage) whose coverage can still reach `min_score`."""
    passing = list(map(_floor(min_score).__le__, coverage))
    return list(compress(positions, passing)), list(compress(coverage, passing))


_SAMPLED_TITLES = 4096


def _lower_sample(direct: list[dict[int, float]], limit: int) -> list[int]:
    """A few resources likely to be among the best by direct matches alone: any resources give
    lower bounds of the top's scores, and the best ones the highest bounds. Those matching every
    word as well as any resource does (in C: the rarest word's best first, then the others'
    within them), else all holding the rarest word; a few thousand at most.
    """
    ordered = sorted(direct, key=len)
    best = [max(credit.values()) for credit in ordered]
    sample = list(compress(ordered[0], map(best[0].__eq__, ordered[0].values())))
    for credit, value in zip(ordered[1:], best[1:], strict=True):
        sample = list(compress(sample, map(value.__eq__, map(credit.get, sample, repeat(0.0)))))
    if len(sample) < limit:
        sample = list(ordered[0])
    # A few thousand titles are enough for a bound; scoring every such title would cost as much
    # as the ranking itself when a common word's best group is large.
    return sample[: max(limit, _SAMPLED_TITLES)]


# Kept beside an upper bound so that rounding in a sum taken in another order never leaves out a
# resource that the exact sum would keep (keeping one more changes nothing).
_BOUND_MARGIN = 1e-9


def _best_bounded(
    index: SearchIndex,
    plans: list[WordPlan],
    masks: list[bytes | None],
    direct: list[dict[int, float]],
    query_text: str,
    min_score: float,
    limit: int,
) -> list[_Scored] | None:
    """The `limit` best candidates, as `_best_scored` finds them over every resource, with the
    thesaurus terms' credits computed only for the resources that could still enter the top.

    A term only raises a word's credit, and to at most its weight. So the scores by direct
    matches alone, of a sample of likely resources (_lower_sample), bound the top's from below;
    and a word's direct credit raised to its terms' weight bounds what a resource can earn for
    it. A resource lacking a strong direct match for a word of large share cannot reach the
    top; only the few left are bounded one by one, and only those within reach get their terms
    looked up ("child labour" expands to fifty terms of common words). Every word has a direct
    match here, so shares and the partial-match rules are as without terms. None when the
    bound cannot exclude enough (a resource could be found by terms alone, or no word's share
    is large enough) or an exact title is among the best: the caller then ranks every resource.
    """
    shares, kept_share = _word_shares(direct, list(map(len, direct)), len(index.titles))
    sample = _lower_sample(direct, limit)
    lower = _coverage(sample, shares, direct, kept_share)
    top = _best_scored(index, query_text, *_reaching(sample, lower, min_score), min_score, limit)
    if top and top[0][0] > 100.0:
        return None  # an exact title: ordered by its own key, left to the full ranking
    threshold = max(min_score, top[-1][0]) if len(top) == limit else min_score
    # The coverage a resource needs to reach `threshold` with a perfect title, and how far below
    # a perfect coverage (1: shares sum to 1, every word being found) that is.
    cut = (threshold - TITLE_SHARE * 100.0) / (COVERAGE_SHARE * 100.0) - _BOUND_MARGIN
    slack = kept_share - cut
    # The most a phrase's terms can give each of its words: their largest weight (a term's
    # credit is its weight times a similarity and a field weight, each at most 1).
    ceilings = [
        max((term.weight for term in plan.terms), default=0.0) if plan.phrase else 0.0
        for plan in plans
    ]
    if kept_share * sum(map(mul, shares, ceilings)) >= cut:
        return None  # a resource without any direct match could still enter the top
    # A word whose terms leave more than `slack` unearned must be matched directly, above
    # what its terms could give, by every resource that can reach the top.
    required = [
        number
        for number, (share, ceiling) in enumerate(zip(shares, ceilings, strict=True))
        if kept_share * share * (1.0 - ceiling) > slack + _BOUND_MARGIN
    ]
    if not required:
        return None
    pools = [
        set(compress(direct[number], map(ceilings[number].__lt__, direct[number].values())))
        for number in sorted(required, key=lambda number: len(direct[number]))
    ]
    pool = list(pools[0].intersection(*pools[1:]))
    upper = [0.0] * len(pool)
    for share, ceiling, credit in zip(shares, ceilings, direct, strict=True):
        values: Iterable[float] = map(credit.get, pool, repeat(0.0))
        if ceiling:
            values = map(max, values, repeat(ceiling))
        upper = list(map(add, upper, map(share.__mul__, values)))
    if kept_share < 1.0:
        upper = list(map(kept_share.__mul__, upper))
    candidates = list(compress(pool, map(cut.__le__, upper)))
    per_word = _word_credits(index, plans, masks, direct, within=set(candidates))[0]
    coverage = _coverage(candidates, shares, per_word, kept_share)
    return _best_scored(
        index, query_text, *_reaching(candidates, coverage, min_score), min_score, limit
    )


# An all-capital word of this many letters, found nowhere, may be a title's initials ("PNETP":
# Plano Nacional de Enfrentamento ao Tráfico de Pessoas); shorter ones match titles by chance.
_SHORTEST_INITIALS = 4
_ACRONYM = re.compile(rf"\b[A-Z]{{{_SHORTEST_INITIALS},10}}\b")


def _credit_acronyms(
    index: SearchIndex,
    query: str,
    plans: list[WordPlan],
    per_word: list[dict[int, float]],
    direct_counts: list[int],
) -> set[str]:
    """Credit an acronym the catalogue and thesaurus do not know to the titles whose meaningful
    words begin with its letters, in order (as a thesaurus term in the title would be credited).

    Titles are read only for such a word, so an ordinary query costs nothing more. Returns the
    words so credited."""
    acronyms = {fold_text(found) for found in _ACRONYM.findall(query)}
    credited: set[str] = set()
    for number, plan in enumerate(plans):
        if per_word[number] or plan.typed not in acronyms:
            continue
        credited.add(plan.typed)
        value = THESAURUS_WEIGHT * TITLE_WEIGHT
        found = {
            position: value
            for position, title in enumerate(index.titles)
            if plan.typed in _initials(title)
        }
        per_word[number] = found
        direct_counts[number] = len(found)
    return credited


def _initials(title: str) -> str:
    """The first letters of a folded title's meaningful words."""
    return "".join(word[0] for word in title.split() if word not in STOPWORDS)


def _abbreviated(title: str, acronym: str) -> str:
    """The words of a folded title whose initials spell `acronym` (function words between them
    kept), or "" when they do not."""
    words = title.split()
    meaningful = [number for number, word in enumerate(words) if word not in STOPWORDS]
    start = "".join(words[number][0] for number in meaningful).find(acronym)
    if start < 0:
        return ""
    first, last = meaningful[start], meaningful[start + len(acronym) - 1]
    return " ".join(words[first : last + 1])


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
    titles = list(
        map(index.spelled_titles.get, positions, map(index.titles.__getitem__, positions))
    )
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


# One way a catalogue word matches: similarity, the word, how, and the language (1-4) whose
# resources alone it counts in (0: any resource).
_Entry = tuple[float, str, str, int]


@dataclass
class _Term:
    """A thesaurus term a query phrase expands to: each of its words' matches in the catalogue."""

    text: str
    concept: str
    words: list[list[_Entry]]
    weight: float = THESAURUS_WEIGHT


@dataclass
class WordPlan:
    """One query word, with what it matches in the catalogue directly and through the thesaurus.

    `phrase` is the query phrase the thesaurus knew that this word belongs to (its `terms` are
    that phrase's expansions, shared by the phrase's words).
    """

    typed: str
    word: str
    direct: list[_Entry]
    phrase: str | None = None
    terms: list[_Term] = field(default_factory=list)

    def variants(self) -> set[str]:
        """Every catalogue word this query word matches, directly or through a term."""
        found = {entry[1] for entry in self.direct}
        for term in self.terms:
            for entries in term.words:
                found.update(entry[1] for entry in entries)
        return found


def query_words(query: str) -> list[str]:
    """The distinct meaningful words of a query, in canonical spelling, in the order typed."""
    return list(dict.fromkeys(map(normalise_word, meaningful_words(_query_tokens(query)))))


_DEFAULT: dict[tuple[object, ...], Thesaurus] = {}


def _default_thesaurus() -> Thesaurus:
    """csec's thesaurus with $CSEC_THESAURUS's terms, loaded once while that file is unchanged."""
    import os

    from csec_cli.thesaurus_data import ENV_VAR, load_thesaurus

    named = os.environ.get(ENV_VAR)
    try:
        status = os.stat(named) if named else None
    except OSError:
        status = None
    key = (named, status and (status.st_size, status.st_mtime_ns))
    if key not in _DEFAULT:
        _DEFAULT.clear()
        _DEFAULT[key] = load_thesaurus()
    return _DEFAULT[key]


def _query_tokens(query: str) -> list[str]:
    """Every folded word of a query, function words too (thesaurus phrases hold them)."""
    return fold_words(_Q_AND_A.sub(" questions and answers ", query)).split()


def plan_query(index: SearchIndex, query: str, thesaurus: Thesaurus | None) -> list[WordPlan]:
    """The query's meaningful words, each with its direct matches in the index and the
    thesaurus terms of the phrase it belongs to (found longest phrase first)."""
    if thesaurus is None:
        thesaurus = _default_thesaurus()
    tokens = _query_tokens(query)
    phrases = _thesaurus_phrases(tokens, thesaurus)
    plans: dict[str, WordPlan] = {}
    term_cache: dict[tuple[str, int], list[_Entry]] = {}
    # "fines" in "con fines de" is a function word, not a word to look for (thesaurus phrases,
    # found above, still see it: "trata con fines de explotación sexual" is a term).
    inside_locutions = locution_positions(tokens)
    for position, typed in enumerate(tokens):
        if typed in STOPWORDS or position in inside_locutions:
            continue
        word = normalise_word(typed)
        if word in plans:
            continue
        plan = WordPlan(typed, word, _direct_entries(index, typed, word, thesaurus))
        found = phrases.get(position)
        if found is not None:
            phrase, terms = found
            plan.phrase = phrase
            plan.terms = [
                _Term(
                    text,
                    concept,
                    [_term_entries(index, part, language, term_cache, thesaurus) for part in words],
                    weight,
                )
                for text, concept, language, words, weight in terms
            ]
            if not any(all(term.words) for term in plan.terms):
                plan.terms += _broader_terms(index, thesaurus, plan.terms, term_cache)
        plans[word] = plan
    return list(plans.values())


def _broader_terms(
    index: SearchIndex,
    thesaurus: Thesaurus,
    terms: list[_Term],
    cache: dict[tuple[str, int], list[_Entry]],
) -> list[_Term]:
    """The terms of the broader concepts of a phrase's own concepts, weighing BROADER_WEIGHT."""
    own = {term.concept for term in terms if term.weight > NARROWER_WEIGHT}
    broader = {thesaurus.concepts[concept].broader for concept in own}
    return [
        _Term(
            text,
            concept,
            [_term_entries(index, part, language, cache, thesaurus) for part in words],
            BROADER_WEIGHT,
        )
        for concept in sorted(filter(None, broader - own))
        for language, code in enumerate(STEM_LANGUAGES, 1)
        for text in thesaurus.concepts[concept].terms.get(code, ())
        if (words := _content_words(text))
    ]


# What ranking derives from a thesaurus, once per thesaurus object: its stemmed lookup table, its
# longest term in words, and each concept's narrower concepts. (The object is kept beside it, so
# its id cannot be reused while the entry stands.)
_PREPARED: dict[int, tuple[Thesaurus, dict[str, tuple[str, ...]], int, dict[str, list[str]]]] = {}


def _prepared(
    thesaurus: Thesaurus,
) -> tuple[dict[str, tuple[str, ...]], int, dict[str, list[str]]]:
    """The stemmed lookup table, the longest phrase and the narrower concepts of a thesaurus."""
    entry = _PREPARED.get(id(thesaurus))
    if entry is None or entry[0] is not thesaurus:
        narrower: dict[str, list[str]] = {}
        for concept in thesaurus.concepts.values():
            if concept.broader is not None:
                narrower.setdefault(concept.broader, []).append(concept.id)
        if len(_PREPARED) > 8:
            _PREPARED.clear()
        entry = (thesaurus, thesaurus_stem_table(thesaurus), thesaurus.longest_phrase(), narrower)
        _PREPARED[id(thesaurus)] = entry
    return entry[1], entry[2], entry[3]


# A thesaurus term a query phrase expands to: its text, concept, language, words and weight.
_Expansion = tuple[str, str, int, list[str], float]


def _thesaurus_phrases(
    tokens: list[str], thesaurus: Thesaurus
) -> dict[int, tuple[str, list[_Expansion]]]:
    """For each query word inside a phrase the thesaurus knows: the phrase, and the other terms of
    its concepts (text, concept id, language number, canonical words).

    Phrases are found left to right, longest first, exactly (folded) or by the stems of their
    words in one language, so "adolescentes explotados" and "trabajos infantiles" are found.
    """
    stem_table, longest, _ = _prepared(thesaurus)
    found: dict[int, tuple[str, list[_Expansion]]] = {}
    start = 0
    while start < len(tokens):
        if tokens[start] in STOPWORDS:
            start += 1
            continue
        for end in range(min(len(tokens), start + longest), start, -1):
            if tokens[end - 1] in STOPWORDS:
                continue
            phrase = " ".join(tokens[start:end])
            concepts = thesaurus.lookup(phrase) or _stemmed_lookup(stem_table, tokens[start:end])
            if concepts:
                terms = _expansions(thesaurus, concepts, tokens[start:end], phrase)
                for position in range(start, end):
                    found[position] = (phrase, terms)
                start = end
                break
        else:
            start += 1
    return found


def _stemmed_lookup(stem_table: dict[str, tuple[str, ...]], words: list[str]) -> tuple[str, ...]:
    """Concepts with a term whose meaningful words have these words' stems in its language."""
    content = [normalise_word(word) for word in words if word not in STOPWORDS]
    for language in range(1, len(STEM_LANGUAGES) + 1):
        concepts = stem_table.get(f"{language} {' '.join(stem_words(content, language))}")
        if concepts:
            return concepts
    return ()


def _expansions(
    thesaurus: Thesaurus, concepts: tuple[str, ...], typed: list[str], phrase: str
) -> list[_Expansion]:
    """The terms of these concepts in every language, as canonical words, but the one typed
    (those in the languages that have the typed phrase weigh THESAURUS_WEIGHT, the others
    TRANSLATION_WEIGHT); then those of their narrower concepts, one level down, weighing less
    (NARROWER_WEIGHT)."""
    from csec_cli.thesaurus_data import fold_term

    own = [normalise_word(word) for word in typed if word not in STOPWORDS]
    own_stems = {
        language: stem_words(own, language) for language in range(1, len(STEM_LANGUAGES) + 1)
    }
    typed_in = {
        language
        for concept_id in concepts
        for language, code in enumerate(STEM_LANGUAGES, 1)
        for text in thesaurus.concepts[concept_id].terms.get(code, ())
        if fold_term(text) == phrase
        or stem_words(_content_words(text), language) == own_stems[language]
    }
    narrower = _prepared(thesaurus)[2]
    weights = dict.fromkeys(concepts, THESAURUS_WEIGHT)
    for concept_id in concepts:
        for child in narrower.get(concept_id, ()):
            weights.setdefault(child, NARROWER_WEIGHT)
    terms: dict[tuple[int, tuple[str, ...]], tuple[str, str, float]] = {}
    for concept_id, weight in weights.items():
        concept = thesaurus.concepts[concept_id]
        for language, code in enumerate(STEM_LANGUAGES, 1):
            if weight == THESAURUS_WEIGHT and typed_in and language not in typed_in:
                weight_here = TRANSLATION_WEIGHT
            else:
                weight_here = weight
            for text in concept.terms.get(code, ()):
                words = _content_words(text)
                # A term holding every word typed earns less than those words themselves.
                if words and not set(own) <= set(words):
                    terms.setdefault((language, tuple(words)), (text, concept_id, weight_here))
    # A term holding all the words of another term that weighs as much can earn no more than
    # it (a term earns its weakest word's credit): leave it out, it would only cost time.
    kept: list[_Expansion] = []
    ranked = sorted(terms.items(), key=lambda item: (len(set(item[0][1])), -item[1][2]))
    for (language, term_words), (text, concept_id, weight) in ranked:
        held = set(term_words)
        if any(
            other_language == language and set(other) <= held and other_weight >= weight
            for _, _, other_language, other, other_weight in kept
        ):
            continue
        kept.append((text, concept_id, language, list(term_words), weight))
    return kept


def _content_words(text: str) -> list[str]:
    """A term's meaningful words, folded, in canonical spelling."""
    return list(map(normalise_word, meaningful_words(fold_words(text).split())))


def _direct_entries(
    index: SearchIndex, typed: str, word: str, thesaurus: Thesaurus
) -> list[_Entry]:
    """How a query word matches catalogue words: exactly, by spelling, prefix, typo, cognate
    ending or stem.

    A word the thesaurus knows is spelt right: it gets no typo matches ("minas" is not
    "niñas"). A stem does not join two words the thesaurus files under different concepts
    ("niñas" are girls, "niños" children): the thesaurus relates those itself.
    """
    concepts = _concepts_of(thesaurus, typed)
    entries: list[_Entry] = []
    for canonical, (similarity, how) in _vocabulary_matches(index.canonical_words, word).items():
        if how == "typo" and concepts:
            continue
        for variant in index.variants[canonical]:
            if how == "exact" and variant != typed:
                entries.append((similarity, variant, "spelling", 0))
            else:
                entries.append((similarity, variant, how, 0))
    # Typo matches may be dropped later (_without_typos): a better kind of match stays beside them.
    known = {entry[1]: entry[0] for entry in entries if entry[2] != "typo"}
    for cognate in _cognates(word):
        if _in_vocabulary(index.canonical_words, cognate):
            for variant in index.variants[cognate]:
                if known.get(variant, 0.0) < STEM_SIMILARITY:
                    entries.append((STEM_SIMILARITY, variant, "cognate", 0))
    if len(word) > 3 and word.isalpha():
        for language in range(1, len(STEM_LANGUAGES) + 1):
            for canonical, similarity in _stem_matches(index, word, language):
                for variant in index.variants[canonical]:
                    if known.get(variant, 0.0) < similarity and _may_conflate(
                        thesaurus, concepts, variant
                    ):
                        entries.append((similarity, variant, "stem", language))
        for language, stem in _derived_stems(word):
            for canonical in _with_stem(index, stem, language):
                for variant in index.variants[canonical]:
                    if known.get(variant, 0.0) < STEM_EXTENSION_SIMILARITY and _may_conflate(
                        thesaurus, concepts, variant
                    ):
                        entries.append((STEM_EXTENSION_SIMILARITY, variant, "stem", language))
    return entries


# Spanish and Portuguese make nouns of verbs with endings that Snowball stems apart: "detectar"
# → "detect" but "detección" → "deteccion", "prevenir" → "preven" but "prevenção" → "prevenca".
# A verb with one of these endings also matches the stem of its noun, and a noun its verb's, in
# that language only, as any stem does: per language, its number, the plural ending of those
# nouns with its singular ("detecciones", "prevenções"), then verb and noun endings, folded.
_DERIVATIONS = (
    (
        STEM_LANGUAGES.index("es") + 1,
        ("ciones", "cion"),
        (
            ("ctar", "ccion"),
            ("ger", "ccion"),
            ("nir", "ncion"),
            ("nder", "ncion"),
            ("ducir", "duccion"),
        ),
    ),
    (
        STEM_LANGUAGES.index("pt") + 1,
        ("coes", "cao"),
        (("ctar", "ccao"), ("ger", "cao"), ("nir", "ncao"), ("nder", "ncao"), ("duzir", "ducao")),
    ),
)
# A derived stem shorter than this joins words by chance ("mención" is no noun of "menir").
_SHORTEST_DERIVED_STEM = 5


def _derived_stems(word: str) -> list[tuple[int, str]]:
    """The stems, with their language, of the nouns a folded verb makes or of the verbs a folded
    noun comes from (see _DERIVATIONS)."""
    found: list[tuple[int, str]] = []
    for language, (plural, singular), pairs in _DERIVATIONS:
        noun = word[: -len(plural)] + singular if word.endswith(plural) else word
        for verb_ending, noun_ending in pairs:
            for source, ending, made in (
                (word, verb_ending, noun_ending),
                (noun, noun_ending, verb_ending),
            ):
                if source.endswith(ending) and len(source) > len(ending) + 2:
                    (stem,) = stem_words([source[: -len(ending)] + made], language)
                    if len(stem) >= _SHORTEST_DERIVED_STEM:
                        found.append((language, stem))
    return found


def _with_stem(index: SearchIndex, stem: str, language: int) -> list[str]:
    """The catalogue's words (canonical) with this stem in one language, the stem itself too when
    it is a word."""
    found = list(index.stems[language - 1].get(stem, ()))
    if _in_vocabulary(index.canonical_words, stem):
        found.append(stem)
    return found


def _may_conflate(thesaurus: Thesaurus, concepts: tuple[str, ...], variant: str) -> bool:
    """Whether a stem may join a query word (of these concepts) and a catalogue word."""
    if not concepts:
        return True
    others = _concepts_of(thesaurus, variant)
    return not others or not set(others).isdisjoint(concepts)


def _concepts_of(thesaurus: Thesaurus, word: str) -> tuple[str, ...]:
    """The concepts a folded word names, in either spelling (labour, labor)."""
    return thesaurus.lookup(word) or thesaurus.lookup(normalise_word(word))


# Endings that English, Spanish, Portuguese and French share word for word (folded): education,
# educación, educação; vulnerability, vulnerabilidad, vulnerabilidade, vulnérabilité; violence,
# violencia; tolerance, tolerancia. A word with one of them also matches its cognates.
_COGNATE_FAMILIES = (
    ("tion", "cion", "cao"),
    ("tions", "ciones", "coes"),
    ("ity", "idad", "idade", "ite"),
    ("ities", "idades", "ites"),
    ("ance", "ancia"),
    ("ances", "ancias"),
    ("ence", "encia"),
    ("ences", "encias"),
)
_COGNATE_ENDINGS = sorted(
    ((ending, family) for family in _COGNATE_FAMILIES for ending in family),
    key=lambda pair: -len(pair[0]),
)


def _cognates(word: str) -> list[str]:
    """The word with its ending as the other languages write it (folded)."""
    for ending, family in _COGNATE_ENDINGS:
        if word.endswith(ending) and len(word) >= len(ending) + 4:
            base = word[: -len(ending)]
            return [base + form for form in family if form != ending]
    return []


def _stem_matches(index: SearchIndex, word: str, language: int) -> list[tuple[str, float]]:
    """Catalogue words (canonical) sharing the word's stem in one language, or whose stem it
    extends by a letter or two."""
    (stem,) = stem_words([word], language)
    found: list[tuple[str, float]] = []
    table = index.stems[language - 1]
    for cut, similarity in (
        (0, STEM_SIMILARITY),
        (1, STEM_EXTENSION_SIMILARITY),
        (2, STEM_EXTENSION_SIMILARITY),
    ):
        shorter = stem[: len(stem) - cut]
        if cut and len(shorter) < _SHORTEST_EXTENDED_STEM:
            break
        if len(shorter) < 3:
            break
        found.extend((canonical, similarity) for canonical in table.get(shorter, ()))
        if _in_vocabulary(index.canonical_words, shorter):
            found.append((shorter, similarity))
    return [
        (canonical, similarity)
        for canonical, similarity in found
        if canonical != word
        and (len(stem) >= _SHORTEST_TRUSTED_STEM or _in_number(word, canonical))
    ]


# A stem shorter than this holds too little of a word to tell its lemmas apart: Snowball makes
# "cas" of casa, caso and casado, "cas" of casas and casadas. Words with such a stem match only
# their own singular or plural (casa, casas; ley, leyes).
_SHORTEST_TRUSTED_STEM = 4


def _in_number(first: str, second: str) -> bool:
    """Whether two folded words are one word in the singular and the plural (an added -s or -es)."""
    shorter, longer = sorted((first, second), key=len)
    return longer in (shorter + "s", shorter + "es")


def _in_vocabulary(vocabulary: Sequence[str], word: str) -> bool:
    """Whether a sorted vocabulary holds the word."""
    position = bisect_left(vocabulary, word)
    return position < len(vocabulary) and vocabulary[position] == word


def _term_entries(
    index: SearchIndex,
    word: str,
    language: int,
    cache: dict[tuple[str, int], list[_Entry]],
    thesaurus: Thesaurus,
) -> list[_Entry]:
    """How one word of a thesaurus term matches catalogue words: exactly or by stem, no typos."""
    key = (word, language)
    if key not in cache:
        entries: list[_Entry] = []
        if _in_vocabulary(index.canonical_words, word):
            entries.extend((1.0, variant, "thesaurus", 0) for variant in index.variants[word])
        if len(word) > 3 and word.isalpha():
            concepts = _concepts_of(thesaurus, word)
            for canonical, similarity in _stem_matches(index, word, language):
                if similarity == STEM_SIMILARITY:
                    entries.extend(
                        (similarity, variant, "thesaurus", language)
                        for variant in index.variants[canonical]
                        if _may_conflate(thesaurus, concepts, variant)
                    )
        cache[key] = entries
    return cache[key]


def match_vocabulary(vocabulary: Sequence[str], word: str) -> dict[str, float]:
    """Words of a sorted vocabulary close to a query word, with a similarity from 0 to 1."""
    return {
        candidate: similarity
        for candidate, (similarity, _) in _vocabulary_matches(vocabulary, word).items()
    }


def _vocabulary_matches(vocabulary: Sequence[str], word: str) -> dict[str, tuple[float, str]]:
    """Words of a sorted vocabulary close to a query word: similarity (0 to 1), and how.

    Short words and numbers must match exactly (2008 is not 2009; "war" is not "law"); longer
    words allow typos in proportion to their length, and may be the start of a longer word.
    """
    found: dict[str, tuple[float, str]] = {}
    start = bisect_left(vocabulary, word)
    if start < len(vocabulary) and vocabulary[start] == word:
        found[word] = (1.0, "exact")
    if len(word) <= 3 or any(char.isdigit() for char in word):
        return found
    # The start of a longer word: "inspect" for "inspection", "child" for "children".
    for position in range(start, len(vocabulary)):
        candidate = vocabulary[position]
        if not candidate.startswith(word):
            break
        found.setdefault(candidate, (0.85 + 0.15 * len(word) / len(candidate), "prefix"))
    # A longer form of a catalogue word: "strategically" for "strategic".
    for cut in range(len(word) - 1, max(len(word) // 2, 4) - 1, -1):
        stem = word[:cut]
        position = bisect_left(vocabulary, stem)
        if position < len(vocabulary) and vocabulary[position] == stem and cut >= 0.6 * len(word):
            found.setdefault(stem, (0.8 + 0.15 * cut / len(word), "prefix"))
    # Typos: one wrong letter in five is tolerated, a little more in longer words, but not in the
    # first letter, which people seldom get wrong (Lucene's fuzzy queries can require such a
    # non-fuzzy prefix: Elasticsearch's `prefix_length`): without this rule "stolen" found
    # "toleran", "respuesta" "encuesta", "sindicatos" "indicadores". The vocabulary is sorted, so
    # the words with that first letter are one slice.
    cutoff = 80.0 if len(word) <= 5 else 75.0 if len(word) <= 8 else 70.0
    same_start = vocabulary[
        bisect_left(vocabulary, word[0]) : bisect_left(vocabulary, chr(ord(word[0]) + 1))
    ]
    for candidate, similarity, _ in process.extract(
        word, same_start, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
    ):
        if similarity / 100.0 > found.get(candidate, (0.0, ""))[0]:
            found[candidate] = (similarity / 100.0, "typo")
    return found


def _language_masks(index: SearchIndex) -> list[bytes | None]:
    """Per language number (0-4): which resources a match in that language may count in (a byte
    per resource, 1 where it may), or None for all of them."""
    masks: list[bytes | None] = [None]
    for language in range(1, len(STEM_LANGUAGES) + 1):
        allowed = bytes(1 if code in (0, language) else 0 for code in range(256))
        mask = index.languages.translate(allowed)
        masks.append(None if 0 not in mask else mask)
    return masks


def _word_credits(
    index: SearchIndex,
    plans: list[WordPlan],
    masks: list[bytes | None],
    direct: list[dict[int, float]] | None = None,
    within: set[int] | None = None,
) -> tuple[list[dict[int, float]], list[int]]:
    """What each resource earns for each query word: its direct matches, or what the thesaurus
    terms of its phrase earn (THESAURUS_WEIGHT times the weakest of a term's words), if more;
    and how many resources match each word directly. `direct` is each word's direct credit, if
    already known; with `within`, a word's credit is right only for those resources (the others
    may be left out)."""
    if direct is None:
        direct = [_best_credit(index, plan.direct, masks) for plan in plans]
    by_phrase: dict[str, dict[int, float]] = {}
    credits = []
    for plan, credit in zip(plans, direct, strict=True):
        if plan.terms and plan.phrase is not None:
            if plan.phrase not in by_phrase:
                words = [
                    other
                    for other, plan_of in zip(direct, plans, strict=True)
                    if plan_of.phrase == plan.phrase
                ]
                if within is None:
                    found = _terms_credit(index, plan.terms, masks, _saturated(words))
                else:
                    unsaturated = _unsaturated(words, within)
                    found = _terms_credit(index, plan.terms, masks, within=unsaturated)
                by_phrase[plan.phrase] = found
            if within is None:
                credit = _larger(credit, by_phrase[plan.phrase])
            elif by_phrase[plan.phrase]:
                # Only `within` counts: copying those credits is cheaper than the whole dict.
                ordered = list(within)
                credit = dict(zip(ordered, map(credit.get, ordered, repeat(0.0)), strict=True))
                _raise_to(credit, by_phrase[plan.phrase])
        credits.append(credit)
    return credits, list(map(len, direct))


def _unsaturated(words: list[dict[int, float]], within: set[int]) -> set[int]:
    """The resources of `within` that a phrase's thesaurus terms could raise (see _saturated)."""
    ordered = list(within)
    reached = [
        set(compress(ordered, map(THESAURUS_WEIGHT.__le__, map(word.get, ordered, repeat(0.0)))))
        for word in words
    ]
    return within.difference(reached[0].intersection(*reached[1:]))


def _saturated(words: list[dict[int, float]]) -> set[int]:
    """The resources a phrase's thesaurus terms cannot raise: those whose direct credit for every
    word of the phrase already reaches what a term can give (THESAURUS_WEIGHT). In C."""
    reached = [set(compress(word, map(THESAURUS_WEIGHT.__le__, word.values()))) for word in words]
    return reached[0].intersection(*reached[1:])


def _without_typos(plan: WordPlan) -> WordPlan:
    """The plan with its typo matches left out."""
    direct = [entry for entry in plan.direct if entry[2] != "typo"]
    return WordPlan(plan.typed, plan.word, direct, plan.phrase, plan.terms)


def _terms_credit(
    index: SearchIndex,
    terms: list[_Term],
    masks: list[bytes | None],
    saturated: set[int] | None = None,
    within: set[int] | None = None,
) -> dict[int, float]:
    """The best a resource earns through any of the terms (its weight times its weakest word's
    credit): all of a term's words must be there. Resources in `saturated` are left out, and
    only those `within` are looked at, when given."""
    if within is not None and not within:
        return {}
    by_weight: dict[float, dict[int, float]] = {}
    word_credit: dict[_Word, dict[int, float]] = {}
    for weight, words in _merged_terms(terms):
        # The rarest word's credit first (kept for other terms); each other word is then looked
        # up only in the resources every word so far holds, so a common word ("child", "work")
        # costs a C set pass over its postings, not a credit built for each of its resources.
        ordered = sorted(words, key=lambda entries: _postings_size(index, entries))
        first = ordered[0]
        if first not in word_credit:
            word_credit[first] = _best_credit(index, first, masks, saturated, within)
        parts = [word_credit[first]]
        for entries in ordered[1:]:
            if not parts[-1]:
                break
            parts.append(_best_credit(index, entries, masks, within=set(parts[-1])))
        if not all(parts):
            continue
        if len(parts) == 1:
            found = parts[0]
        else:
            shared = list(parts[-1])
            found = dict(
                zip(
                    shared,
                    map(min, *(map(part.__getitem__, shared) for part in parts)),
                    strict=True,
                )
            )
        _raise_to(by_weight.setdefault(weight, {}), found)
    best: dict[int, float] = {}
    for weight, found in by_weight.items():
        _raise_to(best, dict(zip(found, map(weight.__mul__, found.values()), strict=True)))
    return best


# A term's word as ranking sees it: its matches in the catalogue, in a fixed order.
_Word = tuple[_Entry, ...]


def _merged_terms(terms: list[_Term]) -> list[tuple[float, list[_Word]]]:
    """The weight and words of each term that can earn anything (every word matched somewhere),
    with terms of one weight that differ in a single word made one term.

    Through two such terms a resource earns max(min(a, rest), min(b, rest)), which is
    min(max(a, b), rest): one term whose differing word has both words' matches, since a word's
    credit is its best match (_best_credit). So "trafficking in children" and "trafficked
    children" cost one pass over the postings of "children", not two. Words are compared in
    sorted order: a term's credit does not depend on the order of its words.
    """
    kept: list[tuple[float, list[_Word]] | None] = []
    by_rest: dict[tuple[float, tuple[_Word, ...]], int] = {}

    def rests(weight: float, words: list[_Word]) -> list[tuple[float, tuple[_Word, ...]]]:
        return [(weight, tuple(words[:cut] + words[cut + 1 :])) for cut in range(len(words))]

    for term in terms:
        if not all(term.words):
            continue
        weight, words = term.weight, sorted(map(tuple, term.words))
        while True:
            found = next(
                ((rest, by_rest[rest]) for rest in rests(weight, words) if rest in by_rest), None
            )
            if found is None:
                break
            rest, number = found
            other = kept[number]
            assert other is not None
            kept[number] = None
            for key in rests(*other):
                if by_rest.get(key) == number:
                    del by_rest[key]
            (theirs,) = _without(other[1], rest[1])
            (ours,) = _without(words, rest[1])
            words = sorted([*rest[1], _either_word(ours, theirs)])
        for key in rests(weight, words):
            by_rest.setdefault(key, len(kept))
        kept.append((weight, words))
    return [term for term in kept if term is not None]


def _without(words: list[_Word], rest: tuple[_Word, ...]) -> list[_Word]:
    """The words left when those of `rest` are taken out, one for one."""
    left = list(words)
    for word in rest:
        left.remove(word)
    return left


def _either_word(first: _Word, second: _Word) -> _Word:
    """One word matching what either matches: each catalogue word (in each language it counts
    in) at the better of its two similarities."""
    best: dict[tuple[str, int], _Entry] = {}
    for entry in (*first, *second):
        key = (entry[1], entry[3])
        if key not in best or entry[0] > best[key][0]:
            best[key] = entry
    return tuple(sorted(best.values()))


def _postings_size(index: SearchIndex, entries: Iterable[_Entry]) -> int:
    """How many postings a word's matches have in all fields (bytes, read without unpacking)."""
    return sum(
        len(postings.get(word, b"")) for _, word, _, _ in entries for postings in index.postings
    )


def _larger(first: dict[int, float], second: dict[int, float]) -> dict[int, float]:
    """Per resource, the larger of two credits (a new dict; compared and merged in C)."""
    if not first:
        return second
    if not second:
        return first
    merged = dict(first)
    _raise_to(merged, second)
    return merged


def _raise_to(best: dict[int, float], other: dict[int, float]) -> None:
    """Raise `best`'s credits to `other`'s where those are larger (in C: no Python step per
    resource)."""
    # One lazy pass: each key's old credit is read before that key (and only it) is written,
    # and `other`, not `best`, is what is iterated.
    best.update(compress(other.items(), map(gt, other.values(), map(best.get, other, repeat(0.0)))))


# Looking up one resource in a postings list (a bisection, from Python) costs about as much as
# scanning this many of its entries in C.
_LOOKUPS_PER_SCAN = 16


def _best_credit(
    index: SearchIndex,
    entries: Iterable[_Entry],
    masks: list[bytes | None],
    saturated: set[int] | None = None,
    within: set[int] | None = None,
) -> dict[int, float]:
    """For each resource holding a matched word, the best field-weighted similarity it earns;
    a stem match counts only in resources of the stem's language (or of none given). Resources
    in `saturated` are left out, and only those `within` are looked at, when given."""
    weighted = sorted(
        (similarity * weight, slot, word, language)
        for similarity, word, _, language in entries
        for slot, weight in enumerate(FIELD_WEIGHTS)
    )
    credit: dict[int, float] = {}
    ordered_within: list[int] = []
    # Ascending order, so the best value for a resource is the one written last (all in C; pairs
    # from zip are written in one pass, a third faster than a dict.fromkeys merged).
    for value, slot, word, language in weighted:
        held = index.positions(slot, word)
        positions: Iterable[int] = held
        if within is not None and len(within) * _LOOKUPS_PER_SCAN < len(held):
            # A few resources in a long postings list: look each up (the list is sorted).
            ordered_within = ordered_within or sorted(within)
            positions = [
                position
                for position, found in zip(
                    ordered_within, map(bisect_left, repeat(held), ordered_within), strict=True
                )
                if found < len(held) and held[found] == position
            ]
        elif within is not None:
            positions = list(within.intersection(held))
        elif saturated:
            positions = list(filterfalse(saturated.__contains__, positions))
        if positions:
            mask = masks[language]
            if mask is None:
                credit.update(zip(positions, repeat(value)))
            else:
                credit.update(
                    zip(compress(positions, map(mask.__getitem__, positions)), repeat(value))
                )
    return credit


def _word_shares(
    per_word: list[dict[int, float]], direct_counts: list[int], total: int
) -> tuple[list[float], float]:
    """Each query word's share of the score (rarer words weigh more: inverse document
    frequency), and what is left of a perfect score when some words are found nowhere.

    A word's rarity is that of its own matches when it has any: the thesaurus widens what a word
    finds, not how common the word is ("survivors" stays rare though "victims" is common).

    A word found nowhere weighs as much as the average word and gets no share: the score is the
    coverage of the other words, less MISSING_WORD_COST of that word's weight, so "sialkot
    football" still finds what "sialkot" finds, ranked lower. Nothing at all when nothing matched.
    """
    weights = [
        math.log(1.0 + total / (direct or len(credit))) if credit else 0.0
        for credit, direct in zip(per_word, direct_counts, strict=True)
    ]
    known = [weight for weight in weights if weight]
    if not known:
        return [], 0.0
    mean_weight = sum(known) / len(known)
    missing = mean_weight * (len(weights) - len(known))
    kept = 1.0 - MISSING_WORD_COST * missing / (sum(known) + missing)
    return [weight / sum(known) for weight in weights], kept


def _explain(
    index: SearchIndex,
    plans: list[WordPlan],
    resource: Resource,
    position: int,
    acronyms: Set[str] = frozenset(),
) -> tuple[Match, ...]:
    """Why a resource matched: for each query word (or thesaurus phrase), its best match; an
    acronym credited by initials, the title words it abbreviates."""
    fields = (
        set(index.titles[position].split()),
        set(folded_details(resource).split()),
        set(fold_loosely(resource.summary or "").split()),
    )
    language = index.languages[position]

    def best(entries: list[_Entry]) -> tuple[float, str, str, str]:
        found = (0.0, "", "", "")
        for similarity, word, how, only in entries:
            if only and language not in (0, only):
                continue
            for slot, words in enumerate(fields):
                value = similarity * FIELD_WEIGHTS[slot]
                if word in words and value > found[0]:
                    found = (value, word, how, FIELD_NAMES[slot])
        return found

    matches: list[Match] = []
    # What a phrase's best thesaurus term earns: each word of the phrase earns at least that.
    through_phrase: dict[str, float] = {}
    for plan in plans:
        value, word, how, where = best(plan.direct)
        phrase = plan.phrase
        if phrase is not None and phrase in through_phrase:
            if value > through_phrase[phrase]:
                matches.append(Match(plan.typed, word, how, where))
            continue
        through: tuple[float, _Term | None, str] = (0.0, None, "")
        for candidate in plan.terms:
            weakest = min((best(entries) for entries in candidate.words), default=(0.0, "", "", ""))
            if weakest[0] * candidate.weight > through[0]:
                through = (weakest[0] * candidate.weight, candidate, weakest[3])
        term = through[1]
        if phrase is not None and term is not None and through[0] > value:
            through_phrase[phrase] = through[0]
            how = "narrower" if term.weight == NARROWER_WEIGHT else "thesaurus"
            matches.append(Match(phrase, term.text, how, through[2], term.concept))
        elif value:
            matches.append(Match(plan.typed, word, how, where))
        elif plan.typed in acronyms:
            spelled = _abbreviated(index.titles[position], plan.typed)
            if spelled:
                matches.append(Match(plan.typed, spelled, "initials", "title"))
    return tuple(matches)


def _matched_words(
    index: SearchIndex, resource: Resource, position: int, matched: list[str]
) -> tuple[str, ...]:
    """The resource's own folded words that matched the query: title words first, in order.

    `matched` is sorted; other fields are searched with C substring tests, not split into words.
    """
    wanted = set(matched)
    title = [word for word in dict.fromkeys(index.titles[position].split()) if word in wanted]
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


def summary_fragment(
    summary: str | None, matched_words: Iterable[str], width: int = 100
) -> tuple[str, list[tuple[int, int]]]:
    """The part of a summary around its first matched word, about `width` characters, with
    "…" where it was cut, and where the matched words stand in it; ("", []) if none is there."""
    if not summary:
        return "", []
    spans = word_spans(summary, matched_words)
    if not spans:
        return "", []
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        # Begin at a word: after the space before `start`, unless that cuts off the match.
        space = summary.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    end = min(len(summary), start + width)
    if end < len(summary):
        space = summary.rfind(" ", max(first + 1, start), end)
        end = space if space > first else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(summary) else ""
    fragment = " ".join(summary[start:end].split(" "))
    shift = len(prefix) - start
    inside = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return f"{prefix}{fragment}{suffix}", inside
