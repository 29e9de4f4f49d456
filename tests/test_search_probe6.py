"""Tests for the classes of search failure the sixth relevance probe found (each pinned here on a
small catalogue of its own)."""

from __future__ import annotations

import pytest

from search_cases import concepts_matched, ranked, resource

# --- concepts and terms of the field the thesaurus lacked ---------------------------------------


@pytest.mark.parametrize(
    "query",
    ["menores infractores peru", "juvenile offenders peru", "adolescentes infratores peru"],
)
def test_juvenile_offenders_find_children_in_conflict_with_the_law(query: str) -> None:
    """ "Menores infractores", "juvenile offenders" and "adolescentes infratores" are what the
    literature calls children in conflict with the law, in every language."""
    catalogue = [
        resource(
            "es",
            "Justicia juvenil: adolescentes en conflicto con la ley penal",
            "es",
            summary="Estudio del sistema de justicia en Perú.",
        ),
        resource("other", "Menores de edad y trabajo infantil en Perú", "es"),
    ]
    hits = ranked(catalogue, query)
    assert hits[0].resource.id == "es"
    assert "children-in-conflict-with-the-law" in concepts_matched(hits[0])


@pytest.mark.parametrize(
    ("query", "other_language"), [("criminalidad forzada", "en"), ("forced criminality", "es")]
)
def test_forced_criminality_is_a_concept_in_every_language(query: str, other_language: str) -> None:
    """Trafficking for "the exploitation of criminal activities" is "criminalidad forzada" in
    Spanish: either name finds the other."""
    catalogue = [
        resource("en", "Child trafficking for exploitation in forced criminal activities", "en"),
        resource("es", "Niños explotados en actividades delictivas forzadas", "es"),
        resource("other", "Child labour in mining", "en"),
    ]
    hits = ranked(catalogue, query)
    assert sorted(hit.resource.id for hit in hits) == ["en", "es"]
    # The resource in the other language than the query's is reached through the concept.
    other = next(hit for hit in hits if hit.resource.id == other_language)
    assert "forced-criminality" in concepts_matched(other)


def test_colegio_is_a_school() -> None:
    """Much of Latin America says "colegio" for a school: it finds "escuelas"."""
    catalogue = [
        resource("es", "Protocolo de prevención de la violencia sexual en las escuelas", "es"),
        resource("other", "Violencia sexual en el hogar", "es"),
    ]
    hits = ranked(catalogue, "abuso sexual en colegios")
    assert hits[0].resource.id == "es"
    assert "education" in concepts_matched(hits[0])


def test_cpms_is_the_humanitarian_minimum_standards() -> None:
    """The humanitarian sector's child protection standards are "the CPMS"."""
    catalogue = [
        resource("en", "Minimum Standards for Child Protection in Humanitarian Action", "en"),
        resource("other", "Child labour in mining", "en"),
    ]
    hits = ranked(catalogue, "cpms")
    assert [hit.resource.id for hit in hits] == ["en"]
    assert "cpms" in concepts_matched(hits[0])


@pytest.mark.parametrize("query", ["terremotos", "sismo", "earthquakes"])
def test_earthquakes_are_found_in_every_language(query: str) -> None:
    """ "Terremotos" and "sismos" find "earthquakes", and the reverse."""
    catalogue = [
        resource("en", "Protecting children after earthquakes and cyclones", "en"),
        resource("es", "La niñez frente a los terremotos", "es"),
        resource("other", "Child labour in mining", "en"),
    ]
    hits = ranked(catalogue, query)
    assert sorted(hit.resource.id for hit in hits) == ["en", "es"]


@pytest.mark.parametrize("query", ["darien gap children", "tapon del darien ninos"])
def test_the_darien_gap_is_the_darien_in_every_language(query: str) -> None:
    """The English "Darien Gap" is the Spanish "Tapón del Darién" or just "el Darién"."""
    catalogue = [
        resource("es", "Los niños que cruzan el Darién", "es"),
        resource("other", "Children in the coverage gap of social protection", "en"),
    ]
    hits = ranked(catalogue, query)
    assert hits[0].resource.id == "es"
    assert "darien" in concepts_matched(hits[0])
