"""Ranking resources against a query: normalisation, scoring and the cutoff, decided here only.

PLACEHOLDER: plain substring scoring until the search issue lands; the interface is fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from csec_cli.models import Resource, fold_text

DEFAULT_MIN_SCORE = 50.0


@dataclass(frozen=True)
class SearchHit:
    """One resource that matches a query, with its relevance from 0 to 100."""

    resource: Resource
    score: float
    matched_words: tuple[str, ...] = ()


def rank_resources(
    resources: Sequence[Resource],
    query: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
) -> list[SearchHit]:
    """The resources that match `query`, best first, none below `min_score`."""
    words = fold_text(query).split()
    hits = []
    for resource in resources:
        text = fold_text(f"{resource.title} {resource.summary or ''}")
        found = tuple(word for word in words if word in text)
        score = 100.0 * len(found) / len(words) if words else 0.0
        if score >= min_score:
            hits.append(SearchHit(resource, score, found))
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]
