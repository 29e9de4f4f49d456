"""Small catalogues and ranked queries for the search tests that pin one class of failure each."""

from __future__ import annotations

from csec_cli.models import Resource
from csec_cli.search import SearchHit, rank_resources


def resource(resource_id: str, title: str, language: str, **fields: object) -> Resource:
    """A resource with just what these tests need."""
    return Resource(id=resource_id, title=title, language=language, **fields)  # type: ignore[arg-type]


def ranked(resources: list[Resource], query: str) -> list[SearchHit]:
    """csec's hits for a query, best first, with the reasons."""
    return rank_resources(resources, query, explain=True)


def ids(resources: list[Resource], query: str) -> list[str]:
    """The ids csec's search ranks for a query, best first."""
    return [hit.resource.id for hit in rank_resources(resources, query)]


def concepts_matched(hit: SearchHit) -> set[str | None]:
    """The thesaurus concepts through which a hit matched."""
    return {match.concept for match in hit.matches}
