"""Tests for the classes of search failure the seventh relevance probe found (each pinned here on a
small catalogue of its own)."""

from __future__ import annotations

import pytest

from search_cases import concepts_matched, ids, ranked, resource

# --- concepts the thesaurus lumped together ------------------------------------------------------


def test_the_special_rapporteur_is_not_the_committee_on_the_rights_of_the_child() -> None:
    """The Special Rapporteur (a Human Rights Council mandate) and the Committee on the Rights of
    the Child (a treaty body) are two bodies: asking for one does not bring the other."""
    catalogue = [
        resource("rapporteur", "Report of the Special Rapporteur on the sale of children", "en"),
        resource(
            "committee",
            "Observaciones finales sobre Honduras",
            "es",
            publisher="Comité de los Derechos del Niño",
        ),
    ]
    assert ids(catalogue, "relatora especial") == ["rapporteur"]
    assert ids(catalogue, "comite derechos del nino") == ["committee"]


def test_truck_drivers_are_narrower_than_the_roads() -> None:
    """ "Caminhoneiros" asks for the drivers and ranks them above a study of the roads."""
    catalogue = [
        resource("roads", "Mapeamento dos pontos vulneráveis nas rodovias federais", "pt"),
        resource(
            "drivers",
            "Herói da Infância",
            "pt",
            summary="Campanha que convida caminhoneiros a denunciar a exploração sexual.",
        ),
    ]
    assert ids(catalogue, "caminhoneiros")[0] == "drivers"
    assert ids(catalogue, "camioneros")[0] == "drivers"
    assert ids(catalogue, "rodovias")[0] == "roads"


# --- concepts and terms of the field the thesaurus lacked ---------------------------------------


def test_sustainable_tourism_is_turismo_sostenible() -> None:
    """ "Sustainable tourism" is "turismo sostenible" in Spanish and "turismo sustentável" in
    Portuguese, more than any tourism."""
    catalogue = [
        resource(
            "es",
            "Prevención de la explotación sexual comercial: contribuyendo a un turismo sostenible",
            "es",
        ),
        resource("other", "Code of conduct for tourism in Costa Rica", "en"),
    ]
    hits = ranked(catalogue, "sustainable tourism")
    assert hits[0].resource.id == "es"
    assert "sustainable-tourism" in concepts_matched(hits[0])
    assert ranked(catalogue, "turismo sustentavel")[0].resource.id == "es"


@pytest.mark.parametrize(
    "query", ["ameacas online", "evaluacion de amenazas", "avaliacao de ameacas"]
)
def test_threat_assessments_are_found_in_every_language(query: str) -> None:
    """WeProtect's and Europol's threat assessments are "evaluación de amenazas" and "avaliação de
    ameaças" to Spanish and Portuguese readers."""
    catalogue = [
        resource("en", "Global Threat Assessment 2021", "en", summary="Abuse of children online."),
        resource("other", "Child labour in agriculture", "en"),
    ]
    hits = ranked(catalogue, query)
    assert hits[0].resource.id == "en"
    assert "threat-assessment" in concepts_matched(hits[0])


def test_pani_is_costa_ricas_patronato_nacional_de_la_infancia() -> None:
    """Costa Rica's child protection agency is known as PANI; texts often spell its name out."""
    catalogue = [
        resource(
            "es",
            "Estrategias desde la educación para la prevención de la explotación sexual",
            "es",
            summary="Seminario del Patronato Nacional de la Infancia y la OIT.",
        ),
        resource("other", "Prevención de la explotación sexual en el turismo", "es"),
    ]
    hits = ranked(catalogue, "pani")
    assert [hit.resource.id for hit in hits] == ["es"]
    assert "pani" in concepts_matched(hits[0])
