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

import heapq
import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from csec_cli.models import Resource, fold_text

# A resource must cover about half of a query's weight in its title, or more elsewhere; a stray
# typo-level resemblance to one word of a two-word query stays below it (see README).
DEFAULT_MIN_SCORE = 55.0

TITLE_WEIGHT = 1.0
DETAILS_WEIGHT = 0.9
SUMMARY_WEIGHT = 0.8
COVERAGE_SHARE = 0.85
TITLE_SHARE = 1.0 - COVERAGE_SHARE

# Words that carry no meaning of their own in a query; dropped unless the query is only these.
_STOPWORDS = frozenset(
    "a an and the of in on for to with by from at as its it is are or how what who why about "
    "into this that these those be was were has have do does not no y de del la las el los en "
    "para por con".split()
)
_WORD = re.compile(r"[^\W_]+")

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
_ISE = re.compile(r"(?<=.{3})is(e|es|ed|ing|ation|ations|ational|er|ers)$")
# Common -ise words that are spelled -ise in US English too; left alone.
_ISE_KEPT = frozenset(
    "advise advised advises advising exercise exercised exercises otherwise revise revised "
    "supervise supervised supervising supervises promise promised promises enterprise "
    "enterprises precise concise expertise surprise surprised compromise compromised premise "
    "premises franchise merchandise disguise comprise comprised comprises devise devised "
    "televised improvise arise arises raise raised raises praise noise cruise paradise "
    "treatise demise despise wise likewise clockwise".split()
)


@dataclass(frozen=True)
class SearchHit:
    """One resource that matches a query, with its relevance from 0 to 100."""

    resource: Resource
    score: float
    matched_words: tuple[str, ...] = ()


@dataclass
class SearchIndex:
    """Normalised text of each resource (in catalogue order), and which resources hold each word.

    Only plain lists, dicts and strings, so a caller may cache it; build it with
    `build_search_index` and pass it to `rank_indexed`.
    """

    titles: list[str]
    summaries: list[str]
    details: list[str]
    vocabulary: list[str] = field(default_factory=list)
    postings: dict[str, tuple[list[int], list[int], list[int]]] = field(default_factory=dict)


def normalise_word(word: str) -> str:
    """One folded word in its canonical spelling ("labour" and "labor" both become "labor")."""
    spelled = _SPELLINGS.get(word)
    if spelled is not None:
        return spelled
    if word.startswith(("lab", "fav", "beh", "col", "hon", "nei", "har", "rum", "end", "hum")):
        for stem, us_stem in _UK_STEMS.items():
            if word.startswith(stem):
                return us_stem + word[len(stem) :]
    if "is" in word and word not in _ISE_KEPT:
        return _ISE.sub(lambda match: "iz" + match.group(1), word)
    return word


def normalise_text(text: str) -> str:
    """Folded, canonically spelled words of a text, joined by single spaces."""
    folded = text.casefold() if text.isascii() else fold_text(text)
    return " ".join(normalise_word(word) for word in _WORD.findall(folded))


def build_search_index(resources: Sequence[Resource]) -> SearchIndex:
    """Normalise every resource once; the work grows linearly with the catalogue."""
    titles = [normalise_text(resource.title) for resource in resources]
    summaries = [normalise_text(resource.summary or "") for resource in resources]
    details = [
        normalise_text(
            " ".join((resource.type or "", *resource.audience, *resource.topics, *resource.countries))
        )
        for resource in resources
    ]
    postings: dict[str, tuple[list[int], list[int], list[int]]] = {}
    for slot, texts in enumerate((titles, details, summaries)):
        for position, text in enumerate(texts):
            for word in set(text.split()):
                entry = postings.get(word)
                if entry is None:
                    entry = postings[word] = ([], [], [])
                entry[slot].append(position)
    return SearchIndex(titles, summaries, details, sorted(postings), postings)


def rank_resources(
    resources: Sequence[Resource],
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
) -> list[SearchHit]:
    """The resources that match `query`, best first, none below `min_score`."""
    return rank_indexed(build_search_index(resources), resources, query, min_score=min_score, limit=limit)


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
    if not words or not resources:
        return []
    total = len(resources)
    per_word: list[dict[int, float]] = []
    matched_vocabulary: set[str] = set()
    for word in words:
        similar = match_vocabulary(index.vocabulary, word)
        matched_vocabulary.update(similar)
        per_word.append(_best_credit(index, similar))
    # A word found nowhere weighs as much as the average word, so one unknown word lowers
    # every score without swamping the words that did match.
    weights = [math.log(1.0 + total / len(credit)) if credit else 0.0 for credit in per_word]
    known = [weight for weight in weights if weight]
    if not known:
        return []
    mean_weight = sum(known) / len(known)
    weights = [weight or mean_weight for weight in weights]
    weight_sum = sum(weights)

    candidates: dict[int, float] = {}
    for weight, credit in zip(weights, per_word, strict=True):
        share = weight / weight_sum
        for position, value in credit.items():
            candidates[position] = candidates.get(position, 0.0) + share * value

    query_text = " ".join(words)
    # The title share can add at most TITLE_SHARE * 100, so weaker candidates cannot pass.
    floor = (min_score - TITLE_SHARE * 100.0) / (COVERAGE_SHARE * 100.0)
    positions = [position for position, coverage in candidates.items() if coverage >= floor]
    titles = [index.titles[position] for position in positions]
    scored: list[tuple[float, int, int]] = []
    for title, similarity, slot in process.extract(
        query_text, titles, scorer=fuzz.token_sort_ratio, processor=None, limit=None
    ):
        position = positions[slot]
        exact = title == query_text or index.titles[position] == normalise_text(query)
        score = 100.0 if exact else COVERAGE_SHARE * 100.0 * candidates[position] + TITLE_SHARE * similarity
        if score >= min_score:
            # Exact titles first, then score, then catalogue order, so ties are stable.
            scored.append((score + (1000.0 if exact else 0.0), -position, position))
    best = heapq.nlargest(limit, scored) if limit is not None else sorted(scored, reverse=True)
    return [
        SearchHit(
            resources[position],
            round(min(key, 100.0), 1),
            _matched_words(index, position, matched_vocabulary),
        )
        for key, _, position in best
    ]


def query_words(query: str) -> list[str]:
    """The distinct meaningful words of a query, normalised, in the order typed."""
    words = list(dict.fromkeys(normalise_text(query).split()))
    meaningful = [word for word in words if word not in _STOPWORDS]
    return meaningful or words


def match_vocabulary(vocabulary: Sequence[str], word: str) -> dict[str, float]:
    """Catalogue words close to a query word, with a similarity from 0 to 1.

    Short words and numbers must match exactly (2008 is not 2009; "war" is not "law"); longer
    words allow typos in proportion to their length, and may be the start of a longer word.
    """
    found: dict[str, float] = {}
    start = bisect_left(vocabulary, word)
    if start < len(vocabulary) and vocabulary[start] == word:
        found[word] = 1.0
    if len(word) <= 3 or any(char.isdigit() for char in word):
        return found
    # Prefixes: "inspect" for "inspection", "child" for "children".
    for position in range(start, len(vocabulary)):
        candidate = vocabulary[position]
        if not candidate.startswith(word):
            break
        found.setdefault(candidate, 0.85 + 0.15 * len(word) / len(candidate))
    # The query word inflected longer than the catalogue's: "strategically" for "strategic".
    for cut in range(len(word) - 1, max(len(word) // 2, 4) - 1, -1):
        stem = word[:cut]
        position = bisect_left(vocabulary, stem)
        if position < len(vocabulary) and vocabulary[position] == stem and len(stem) >= 0.6 * len(word):
            found.setdefault(stem, 0.8 + 0.15 * cut / len(word))
    cutoff = 80.0 if len(word) <= 5 else 75.0
    for candidate, similarity, _ in process.extract(
        word, vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
    ):
        if similarity / 100.0 > found.get(candidate, 0.0):
            found[candidate] = similarity / 100.0
    return found


def _best_credit(index: SearchIndex, similar: dict[str, float]) -> dict[int, float]:
    """For each resource holding a similar word, the best weighted similarity it earns."""
    weighted = [
        (similarity * weight, slot, word)
        for word, similarity in similar.items()
        for slot, weight in enumerate((TITLE_WEIGHT, DETAILS_WEIGHT, SUMMARY_WEIGHT))
    ]
    weighted.sort()
    credit: dict[int, float] = {}
    # Ascending order, so the best value for a resource is the one written last (all in C).
    for value, slot, word in weighted:
        positions = index.postings[word][slot]
        if positions:
            credit.update(dict.fromkeys(positions, value))
    return credit


def _matched_words(index: SearchIndex, position: int, matched: set[str]) -> tuple[str, ...]:
    """The resource's own (normalised) words that matched the query, title words first."""
    found: dict[str, None] = {}
    for text in (index.titles[position], index.details[position], index.summaries[position]):
        for word in text.split():
            if word in matched:
                found[word] = None
    return tuple(found)


def word_spans(text: str, matched_words: Iterable[str]) -> list[tuple[int, int]]:
    """Where in `text` the words of a SearchHit's `matched_words` stand, for highlighting."""
    wanted = set(matched_words)
    spans = []
    for match in _WORD.finditer(text):
        word = match.group()
        folded = word.casefold() if word.isascii() else fold_text(word)
        if normalise_word(folded) in wanted:
            spans.append(match.span())
    return spans
