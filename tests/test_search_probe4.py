"""Tests for the classes of search failure the fourth relevance probe found (each pinned here on a
small catalogue of its own)."""

from __future__ import annotations

import pytest

from search_cases import concepts_matched, ids, ranked, resource

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
