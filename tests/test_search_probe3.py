"""Tests for the classes of search failure the third relevance probe found (each pinned here on a
small catalogue of its own), and for that probe's data files."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from csec_cli.catalogue import load_catalogue
from csec_cli.models import Resource, fold_text
from csec_cli.search import SearchHit, rank_resources

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
PROBE3_CATALOGUE = BENCHMARKS / "data" / "probe3_catalogue.toml"
PROBE3_QUERIES = BENCHMARKS / "relevance_probe3_queries.toml"


def resource(resource_id: str, title: str, language: str, **fields: object) -> Resource:
    """A resource with just what these tests need."""
    return Resource(id=resource_id, title=title, language=language, **fields)  # type: ignore[arg-type]


def ranked(resources: list[Resource], query: str) -> list[SearchHit]:
    """csec's hits for a query, best first, with the reasons."""
    return rank_resources(resources, query, explain=True)


def ids(resources: list[Resource], query: str) -> list[str]:
    """The ids csec's search ranks for a query, best first."""
    return [hit.resource.id for hit in rank_resources(resources, query)]


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


# --- the third probe's data ------------------------------------------------------------------------


def test_probe3_catalogue_is_valid_and_mostly_spanish() -> None:
    """40-50 valid resources: about half Spanish, a quarter each Portuguese and English."""
    resources = load_catalogue(PROBE3_CATALOGUE).resources
    assert 40 <= len(resources) <= 50
    languages = Counter(resource.language for resource in resources)
    assert languages["es"] >= len(resources) * 0.45
    assert languages["pt"] >= 8 and languages["en"] >= 8


def test_probe3_titles_are_in_no_other_catalogue() -> None:
    """No title of the third probe is in the other benchmark catalogues or the seed."""
    others = [
        *sorted((BENCHMARKS / "data").glob("*.toml")),
        BENCHMARKS.parent / "data" / "resources.toml",
    ]
    titles = {
        resource.title.casefold()
        for path in others
        if path != PROBE3_CATALOGUE
        for resource in load_catalogue(path).resources
    }
    assert not titles & {r.title.casefold() for r in load_catalogue(PROBE3_CATALOGUE).resources}


def test_probe3_queries_parse_and_expect_resources_of_its_catalogue() -> None:
    """At least 80 queries, each expecting ids the catalogue has; at least five junk queries."""
    known = {resource.id for resource in load_catalogue(PROBE3_CATALOGUE).resources}
    with PROBE3_QUERIES.open("rb") as handle:
        spec = tomllib.load(handle)
    assert len(spec["query"]) >= 80 and len(spec["junk"]) >= 5
    assert all(query["expect"] and set(query["expect"]) <= known for query in spec["query"])
    assert {query["catalogue"] for query in spec["query"] + spec["junk"]} == {"probe3"}


def test_every_probe3_resource_names_where_its_title_was_checked() -> None:
    """Each resource block carries a `# source:` comment with a web address."""
    blocks = PROBE3_CATALOGUE.read_text(encoding="utf-8").split("[[resources]]")[1:]
    assert len(blocks) == len(load_catalogue(PROBE3_CATALOGUE).resources)
    assert all("\n# source: http" in block for block in blocks)
