"""Tests for the classes of search failure the third relevance probe found (each pinned here on a
small catalogue of its own)."""

from __future__ import annotations

import pytest

from csec_cli.models import fold_text
from search_cases import ids, ranked, resource

# --- concepts of the field the thesaurus lacked -------------------------------------------------


def test_online_harassment_is_found_by_its_spanish_name() -> None:
    """ "acoso en línea" finds the report on online harassment of girls first, not a resource that
    only shares "en línea" and "redes" with the query."""
    catalogue = [
        resource("harassment", "Girls' experiences of online harassment", "en"),
        resource("networks", "Explotación sexual en línea y redes sociales", "es"),
    ]
    assert ids(catalogue, "acoso en linea niñas redes")[0] == "harassment"


def test_harassment_alone_crosses_languages() -> None:
    """ "acoso" (Spanish) and "assédio" (Portuguese) find an English title on harassment."""
    catalogue = [resource("harassment", "Harassment of girls on social media", "en")]
    assert ids(catalogue, "acoso") == ["harassment"]
    assert ids(catalogue, "assedio") == ["harassment"]


def test_a_summit_is_a_meeting_in_every_language() -> None:
    """ "cumbre" (Spanish for summit) puts the summit's report above a paper on the same subject."""
    catalogue = [
        resource(
            "paper", "The need for a global analysis of the sexual exploitation of boys", "en"
        ),
        resource("summit", "Global Boys Summit Report", "en", topics=["sexual exploitation"]),
    ]
    assert ids(catalogue, "cumbre mundial varones explotacion")[0] == "summit"


def test_internet_safety_finds_its_portuguese_name() -> None:
    """ "internet safety" finds a guide on "segurança na internet", through the word "segurança"."""
    catalogue = [
        resource("guide", "Navegar com segurança", "pt", topics=["segurança na internet"]),
        resource("abuse", "Abuso sexual de menores en Internet", "es"),
    ]
    hits = ranked(catalogue, "internet safety guide")
    assert hits[0].resource.id == "guide"
    assert any("seguranca" in fold_text(match.matched) for match in hits[0].matches)


def test_an_annual_report_is_not_any_report() -> None:
    """ "informe anual" finds the annual report first: a report that is not annual no longer earns
    the word "anual" for being a report (here it holds every other word of the query in Spanish)."""
    catalogue = [
        resource(
            "other",
            "Redes que atrapan: la explotación sexual en entornos digitales",
            "es",
            type="report",
            summary="Informe sobre cómo las redes sociales facilitan explotar sexualmente a niñas.",
            topics=["explotación sexual en línea", "material de abuso sexual infantil"],
        ),
        resource(
            "annual",
            "Once upon a year: The Internet Watch Foundation Annual Report 2018",
            "en",
            type="report",
            summary="Yearly report of the UK hotline that assesses reports of abuse images.",
            topics=["child sexual abuse material", "hotline"],
        ),
    ]
    assert ids(catalogue, "informe anual material de abuso sexual infantil")[0] == "annual"


def test_a_report_still_finds_annual_reports() -> None:
    """Annual reports are reports: "relatório" still finds one (a narrower concept's term)."""
    catalogue = [resource("annual", "Internet Watch Foundation Annual Report 2018", "en")]
    assert ids(catalogue, "relatorio") == ["annual"]


@pytest.mark.parametrize("query", ["ai", "ia", "ai generated"])
def test_artificial_intelligence_is_found_by_its_initials(query: str) -> None:
    """AI and IA (and "AI-generated") find Spanish and Portuguese titles on artificial
    intelligence, and nothing else."""
    catalogue = [
        resource("es", "Abuso sexual infantil e inteligencia artificial", "es"),
        resource("pt", "A inteligência artificial e a exploração sexual", "pt"),
        resource("other", "Explotación sexual en entornos digitales", "es"),
    ]
    assert sorted(ids(catalogue, query)) == ["es", "pt"]


def test_a_national_law_is_found_by_the_acronym_it_is_known_by() -> None:
    """ "lepina" finds El Salvador's Ley de Protección Integral de la Niñez y Adolescencia."""
    catalogue = [
        resource("lepina", "Ley de Protección Integral de la Niñez y Adolescencia", "es"),
        resource("other", "Informe sobre la niñez en El Salvador", "es"),
    ]
    assert ids(catalogue, "lepina") == ["lepina"]


def test_cyberbullying_finds_the_spanish_and_portuguese_spelling() -> None:
    """ "cyberbullying" is a term the thesaurus knows, so it gets no typo matches: "ciberbullying",
    as Spanish and Portuguese texts write it, must be a term of its own."""
    catalogue = [
        resource(
            "cartilha",
            "Preocupado com o que acontece na Internet?",
            "pt",
            summary="Riscos como o ciberbullying e o vazamento de imagens íntimas.",
        ),
    ]
    assert ids(catalogue, "cyberbullying") == ["cartilha"]


# --- a verb finds the noun made from it ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title", "language"),
    [
        ("detectar victimas", "Guía de detección de víctimas de trata", "es"),
        ("prevenir violencia", "Prevención de la violencia sexual", "es"),
        ("proteger niños", "Protección de niños y niñas", "es"),
        ("detectar vitimas", "Guia de detecção de vítimas", "pt"),
        ("prevenir violencia", "Prevenção da violência sexual", "pt"),
        ("produzir dados", "Produção de dados sobre trabalho infantil", "pt"),
        ("atender victimas", "Atención a víctimas de trata", "es"),
    ],
)
def test_a_spanish_or_portuguese_verb_finds_its_noun(query: str, title: str, language: str) -> None:
    """A verb finds the -ción / -ção noun made from it, which Snowball stems apart ("detectar" →
    "detect", "detección" → "deteccion")."""
    catalogue = [
        resource("noun", title, language),
        resource("other", "Encuesta nacional de hogares", language),
    ]
    hits = ranked(catalogue, query)
    assert [hit.resource.id for hit in hits] == ["noun"]
    assert any(match.how == "stem" for match in hits[0].matches)


def test_a_noun_finds_the_verb_it_is_made_from() -> None:
    """The other way round: "detección" finds a title that says "detectar"."""
    catalogue = [resource("verb", "Cómo detectar a las víctimas de trata", "es")]
    hits = ranked(catalogue, "deteccion victimas")
    assert [hit.resource.id for hit in hits] == ["verb"]
    assert any(
        (match.query, match.matched) == ("deteccion", "detectar") for match in hits[0].matches
    )


def test_a_verb_finds_its_noun_only_in_resources_of_that_language() -> None:
    """Like any stem, the Spanish noun of a Spanish verb counts only in Spanish resources (and in
    those of no language)."""
    catalogue = [resource("en", "Deteccion: a field guide", "en")]
    assert ids(catalogue, "detectar") == []


def test_a_title_with_the_noun_ranks_above_a_summary_with_the_verb() -> None:
    """A title with the noun ranks above a summary with the verb, as title words weigh more."""
    catalogue = [
        resource(
            "summary",
            "La trata infantil con fines sexuales",
            "es",
            summary="Útil para detectar e identificar a las víctimas.",
        ),
        resource("title", "Guía de detección de víctimas de trata de personas", "es"),
    ]
    assert ids(catalogue, "detectar victimas de trata")[0] == "title"
