"""Tests for the classes of search failure the fifth relevance probe found (each pinned here on a
small catalogue of its own), and for that probe's data files."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from csec_cli.catalogue import load_catalogue
from csec_cli.models import Resource
from csec_cli.search import SearchHit, rank_resources

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
PROBE5_CATALOGUE = BENCHMARKS / "data" / "probe5_catalogue.toml"
PROBE5_QUERIES = BENCHMARKS / "relevance_probe5_queries.toml"


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


# --- concepts and terms of the field the thesaurus lacked ---------------------------------------


@pytest.mark.parametrize(
    "query",
    ["no acompanados", "ninos migrantes no acompanados", "desacompanhados", "unaccompanied"],
)
def test_unaccompanied_children_is_a_concept_of_its_own(query: str) -> None:
    """Texts say "unaccompanied and separated children", "many of them unaccompanied" or
    "desacompanhados" after the noun: the adjective alone names the concept, in every language."""
    catalogue = [
        resource("en", "Protecting unaccompanied and separated children", "en"),
        resource("pt", "Meninos e meninas desacompanhados na fronteira", "pt"),
        resource("other", "Child labour in mining", "en"),
    ]
    hits = ranked(catalogue, query)
    assert sorted(hit.resource.id for hit in hits) == ["en", "pt"]
    # The resource in the other language than the query's is reached through the concept.
    assert any("unaccompanied-children" in concepts_matched(hit) for hit in hits)


def test_masi_is_child_sexual_abuse_material() -> None:
    """ "MASI", the Spanish initials of "material de abuso sexual infantil", finds CSAM."""
    catalogue = [
        resource("en", "Child sexual abuse material on the internet", "en"),
        resource("other", "Child labour in mining", "en"),
    ]
    hits = ranked(catalogue, "masi")
    assert [hit.resource.id for hit in hits] == ["en"]
    assert "csam" in concepts_matched(hits[0])


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("osec", "Online Sexual Exploitation of Children in the Philippines"),
        ("osaec", "National Study on Online Sexual Abuse and Exploitation of Children"),
    ],
)
def test_osec_and_osaec_are_online_sexual_exploitation(query: str, title: str) -> None:
    """The field's lower-case-typed initials OSEC and OSAEC find online sexual exploitation."""
    catalogue = [resource("en", title, "en"), resource("other", "Child labour in mining", "en")]
    hits = ranked(catalogue, query)
    assert [hit.resource.id for hit in hits] == ["en"]
    assert "online-sexual-exploitation" in concepts_matched(hits[0])


@pytest.mark.parametrize("query", ["tip report", "informe tip", "trafficking in persons report"])
def test_the_tip_report_is_found_in_every_language(query: str) -> None:
    """The U.S. Trafficking in Persons Report is the "TIP Report", and its translations
    ("Relatório sobre o Tráfico de Pessoas") are the same report."""
    catalogue = [
        resource("pt", "Relatório sobre o Tráfico de Pessoas por País - 2012: Brasil", "pt"),
        resource("other", "Tips for parents on online safety", "en"),
    ]
    hits = ranked(catalogue, query)
    assert [hit.resource.id for hit in hits] == ["pt"]
    assert "tip-report" in concepts_matched(hits[0])


# --- the fifth probe's data ------------------------------------------------------------------------


def test_probe5_catalogue_is_valid_and_weighted_towards_portuguese_and_spanish() -> None:
    """40-50 valid resources: about 45% Portuguese, 40% Spanish, 15% English."""
    resources = load_catalogue(PROBE5_CATALOGUE).resources
    assert 40 <= len(resources) <= 50
    languages = Counter(resource.language for resource in resources)
    assert set(languages) == {"en", "es", "pt"}
    assert languages["pt"] >= len(resources) * 0.40
    assert languages["es"] >= len(resources) * 0.35
    assert languages["en"] >= len(resources) * 0.10


def test_probe5_titles_are_in_no_other_catalogue() -> None:
    """No title of the fifth probe is in the other benchmark catalogues, the ILO listings or the
    seed."""
    others = [
        *sorted((BENCHMARKS / "data").glob("*.toml")),
        BENCHMARKS.parent / "data" / "resources.toml",
    ]
    titles = {
        resource.title.casefold()
        for path in others
        if path != PROBE5_CATALOGUE
        for resource in load_catalogue(path).resources
    }
    with (BENCHMARKS / "data" / "ilo-listings.json").open(encoding="utf-8") as handle:
        titles |= {entry["title"].casefold() for entry in json.load(handle)}
    assert not titles & {r.title.casefold() for r in load_catalogue(PROBE5_CATALOGUE).resources}


def test_probe5_queries_parse_and_expect_resources_of_its_catalogue() -> None:
    """At least 80 queries, each expecting ids the catalogue has; at least five junk queries; every
    resource is expected by some query."""
    known = {resource.id for resource in load_catalogue(PROBE5_CATALOGUE).resources}
    with PROBE5_QUERIES.open("rb") as handle:
        spec = tomllib.load(handle)
    assert len(spec["query"]) >= 80 and len(spec["junk"]) >= 5
    assert all(query["expect"] and set(query["expect"]) <= known for query in spec["query"])
    assert {query["catalogue"] for query in spec["query"] + spec["junk"]} == {"probe5"}
    assert {expected for query in spec["query"] for expected in query["expect"]} == known


def test_probe5_queries_are_mostly_short() -> None:
    """Most of the fifth probe's queries are one to three words, as users type them."""
    with PROBE5_QUERIES.open("rb") as handle:
        queries = tomllib.load(handle)["query"]
    short = [query for query in queries if len(query["text"].split()) <= 3]
    assert len(short) >= len(queries) * 0.6


def test_every_probe5_resource_names_where_its_title_was_checked() -> None:
    """Each resource block carries a `# source:` comment with a web address."""
    blocks = PROBE5_CATALOGUE.read_text(encoding="utf-8").split("[[resources]]")[1:]
    assert len(blocks) == len(load_catalogue(PROBE5_CATALOGUE).resources)
    assert all("# source: http" in block for block in blocks)
