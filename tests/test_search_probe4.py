"""Tests for the classes of search failure the fourth relevance probe found (each pinned here on a
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
PROBE4_CATALOGUE = BENCHMARKS / "data" / "probe4_catalogue.toml"
PROBE4_QUERIES = BENCHMARKS / "relevance_probe4_queries.toml"


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


@pytest.mark.parametrize("query", ["health", "salud", "saude"])
def test_health_is_a_concept_in_every_language(query: str) -> None:
    """ "health" finds a Spanish paper on child labour and health ("salud"), and the other way."""
    catalogue = [
        resource("es", "Trabajo infantil y salud", "es"),
        resource("en", "Child labour and health", "en"),
        resource("other", "Trabajo infantil en la minería", "es"),
    ]
    assert sorted(ids(catalogue, query)) == ["en", "es"]


def test_paediatricians_are_health_workers() -> None:
    """ "pediatras" (Spanish and Portuguese) finds an English text by paediatricians."""
    catalogue = [resource("en", "A statement by paediatricians on child labour", "en")]
    hits = ranked(catalogue, "pediatras")
    assert [hit.resource.id for hit in hits] == ["en"]
    assert "health-workers" in concepts_matched(hits[0])


def test_education_for_all_is_found_by_its_initials_and_is_not_any_education() -> None:
    """ "EFA" finds the resource on Education for All, and only it: the movement is a narrower
    concept of education, not one of its synonyms."""
    catalogue = [
        resource("efa", "Child Labour and Education for All", "en"),
        resource("school", "Schooling for working children", "en"),
    ]
    assert ids(catalogue, "efa") == ["efa"]
    assert ids(catalogue, "educacion para todos")[0] == "efa"


@pytest.mark.parametrize("query", ["casas ajenas", "casa de terceiros", "other people's homes"])
def test_third_party_households_are_one_concept(query: str) -> None:
    """Where child domestic work is done has several names: "en casas ajenas", "hogares de
    terceros" (ILO-IPEC), "casa de terceiros", "other people's homes"."""
    catalogue = [
        resource("tid", "Trabajo infantil doméstico en hogares de terceros en Paraguay", "es"),
        resource("other", "Trabajo infantil en la agricultura", "es"),
    ]
    assert ids(catalogue, query) == ["tid"]


def test_domestic_servants_are_domestic_workers() -> None:
    """ "domestic servants", as older English texts say, finds domestic work in any language."""
    catalogue = [resource("pt", "O trabalho doméstico no Brasil", "pt")]
    hits = ranked(catalogue, "domestic servants")
    assert [hit.resource.id for hit in hits] == ["pt"]
    assert "domestic-work" in concepts_matched(hits[0])


def test_child_brides_are_child_marriage() -> None:
    """ "child brides" finds a Spanish text on child marriage through the concept, not only
    through the word "child"."""
    catalogue = [resource("es", "Matrimonio infantil y uniones tempranas", "es")]
    hits = ranked(catalogue, "child brides")
    assert [hit.resource.id for hit in hits] == ["es"]
    assert "child-marriage" in concepts_matched(hits[0])


# --- the fourth probe's data -----------------------------------------------------------------------


def test_probe4_catalogue_is_valid_and_weighted_towards_english() -> None:
    """40-50 valid resources: about 40% English, 35% Spanish, 25% Portuguese."""
    resources = load_catalogue(PROBE4_CATALOGUE).resources
    assert 40 <= len(resources) <= 50
    languages = Counter(resource.language for resource in resources)
    assert set(languages) == {"en", "es", "pt"}
    assert languages["en"] >= len(resources) * 0.35
    assert languages["es"] >= len(resources) * 0.30
    assert languages["pt"] >= len(resources) * 0.20


def test_probe4_titles_are_in_no_other_catalogue() -> None:
    """No title of the fourth probe is in the other benchmark catalogues, the ILO listings or the
    seed."""
    others = [
        *sorted((BENCHMARKS / "data").glob("*.toml")),
        BENCHMARKS.parent / "data" / "resources.toml",
    ]
    titles = {
        resource.title.casefold()
        for path in others
        if path != PROBE4_CATALOGUE
        for resource in load_catalogue(path).resources
    }
    with (BENCHMARKS / "data" / "ilo-listings.json").open(encoding="utf-8") as handle:
        titles |= {entry["title"].casefold() for entry in json.load(handle)}
    assert not titles & {r.title.casefold() for r in load_catalogue(PROBE4_CATALOGUE).resources}


def test_probe4_queries_parse_and_expect_resources_of_its_catalogue() -> None:
    """At least 80 queries, each expecting ids the catalogue has; at least five junk queries; every
    resource is expected by some query."""
    known = {resource.id for resource in load_catalogue(PROBE4_CATALOGUE).resources}
    with PROBE4_QUERIES.open("rb") as handle:
        spec = tomllib.load(handle)
    assert len(spec["query"]) >= 80 and len(spec["junk"]) >= 5
    assert all(query["expect"] and set(query["expect"]) <= known for query in spec["query"])
    assert {query["catalogue"] for query in spec["query"] + spec["junk"]} == {"probe4"}
    assert {expected for query in spec["query"] for expected in query["expect"]} == known


def test_every_probe4_resource_names_where_its_title_was_checked() -> None:
    """Each resource block carries a `# source:` comment with a web address."""
    blocks = PROBE4_CATALOGUE.read_text(encoding="utf-8").split("[[resources]]")[1:]
    assert len(blocks) == len(load_catalogue(PROBE4_CATALOGUE).resources)
    assert all("\n# source: http" in block for block in blocks)


@pytest.mark.parametrize(
    "query", ["explotacion laboral de niñas", "exploração do trabalho infantil"]
)
def test_labour_exploitation_of_children_is_child_labour(query: str) -> None:
    """ "Explotación laboral infantil" / "exploração do trabalho infantil" name child labour: they
    find a study of child domestic work above one on sexual exploitation that shares the word
    "explotación"."""
    catalogue = [
        resource("sexual", "Explotación sexual de niñas en el Paraguay", "es"),
        resource("work", "Trabajo infantil doméstico en el Paraguay", "es"),
    ]
    hits = ranked(catalogue, query)
    assert hits[0].resource.id == "work"
    assert "child-labour" in concepts_matched(hits[0])


# --- a short stem joins only a word's singular and plural ----------------------------------------


@pytest.mark.parametrize("query", ["casadas", "casados"])
def test_a_short_stem_does_not_join_words_of_other_lemmas(query: str) -> None:
    """Snowball stems casado, casa and caso all to "cas": "casadas" (married) must not find a
    case study or a house."""
    catalogue = [
        resource("case", "Estudio de caso en Lima", "es"),
        resource("house", "La casa como lugar de trabajo", "es"),
    ]
    assert ids(catalogue, query) == []


@pytest.mark.parametrize(
    ("query", "title"),
    [("casas", "La casa como lugar de trabajo"), ("leyes", "Una ley contra la trata")],
)
def test_a_short_stem_still_joins_singular_and_plural(query: str, title: str) -> None:
    """The plural still finds the singular when their stem is short (casas, casa; leyes, ley)."""
    assert ids([resource("one", title, "es")], query) == ["one"]
