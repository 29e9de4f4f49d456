"""Tests for the classes of search failure the held-out relevance probe found (each pinned here on
a small catalogue of its own)."""

from __future__ import annotations

from csec_cli.search import rank_resources
from search_cases import ids, resource

# --- a named body, programme or survey is not a synonym of its generic concept ---------------


def test_a_named_survey_does_not_find_every_survey() -> None:
    """The query "pnad" finds the Brazilian household survey, not a Chilean survey of children's activities."""
    catalogue = [
        resource("pnad", "Pesquisa Nacional por Amostra de Domicílios: trabalho infantil", "pt"),
        resource("eanna", "Encuesta de actividades de niños, niñas y adolescentes", "es"),
    ]
    assert ids(catalogue, "pnad") == ["pnad"]


def test_a_named_programme_does_not_find_every_social_programme() -> None:
    """The query "peti" finds Brazil's child labour eradication programme, not any cash transfer."""
    catalogue = [
        resource("peti", "Gestão do Programa de Erradicação do Trabalho Infantil", "pt"),
        resource("cash", "Transferencias monetarias condicionadas en América Latina", "es"),
    ]
    assert ids(catalogue, "peti") == ["peti"]


def test_a_named_funder_is_found_across_languages_and_not_any_donor() -> None:
    """The Spanish name of the U.S. Department of Labor finds it; a report on donors does not rank."""
    catalogue = [
        resource("usdol", "Findings from the U.S. Department of Labor", "en"),
        resource("donors", "Cooperación internacional y donantes", "es"),
    ]
    assert ids(catalogue, "departamento de trabajo de estados unidos") == ["usdol"]


# --- a series is searched like the publisher ---------------------------------------------------


def test_a_series_name_finds_the_resources_of_that_series() -> None:
    """A survey published in the "PNAD Contínua" series is found by the series' name first."""
    catalogue = [
        resource(
            "ibge",
            "Trabalho de crianças e adolescentes de 5 a 17 anos",
            "pt",
            series="PNAD Contínua",
        ),
        resource("fnpeti", "O trabalho infantil doméstico: pesquisa contínua", "pt"),
    ]
    assert ids(catalogue, "pnad continua")[0] == "ibge"


# --- a function word that is also an acronym of the field --------------------------------------


def test_suas_is_an_acronym_not_a_possessive() -> None:
    """ "peti suas" puts the PETI guide for the SUAS (Brazil's social assistance system) first."""
    catalogue = [
        resource("caderno", "PETI: caderno", "pt"),
        resource("suas", "Orientações técnicas para a gestão do PETI no SUAS", "pt"),
    ]
    assert ids(catalogue, "peti suas")[0] == "suas"


def test_suas_finds_the_system_spelled_out() -> None:
    """The acronym also finds a resource that names the Sistema Único de Assistência Social in full
    (a title with the possessive "suas" matches too: the price of keeping the word)."""
    catalogue = [
        resource("system", "Crianças no Sistema Único de Assistência Social", "pt"),
        resource("other", "Crianças e suas famílias no campo", "pt"),
    ]
    assert "system" in ids(catalogue, "suas")


# --- a concept the catalogue never names falls back to its broader concept --------------------

PERU = [
    resource("esc-peru", "Estudio sobre la explotación sexual comercial en Perú", "es"),
    resource("ti-peru", "Encuesta de trabajo infantil en Perú", "es"),
    resource("esc-mexico", "La explotación sexual comercial en México", "es"),
]


def test_a_narrower_concept_not_in_the_catalogue_finds_its_broader_one() -> None:
    """ "prostitución infantil perú" finds the Peruvian study on commercial sexual exploitation
    (child prostitution is a form of it), where it found nothing, ahead of the Mexican one; with
    a limit too. (A Peruvian child labour survey, matching "infantil" itself, still ranks near.)"""
    found = ids(PERU, "prostitucion infantil peru")
    assert "esc-peru" in found and "esc-mexico" not in found[: found.index("esc-peru")]
    limited = rank_resources(PERU, "prostitucion infantil peru", limit=2)
    assert "esc-peru" in [hit.resource.id for hit in limited]


def test_the_broader_concept_is_not_used_while_the_concept_itself_is_found() -> None:
    """Where a resource names the concept in another language, the broader one is not looked for."""
    catalogue = [*PERU, resource("child-prostitution", "Child prostitution in Peru", "en")]
    found = ids(catalogue, "prostitucion infantil peru")
    assert found[0] == "child-prostitution" and "esc-peru" not in found
