"""Tests for the classes of search failure the fifth relevance probe found (each pinned here on a
small catalogue of its own)."""

from __future__ import annotations

import pytest

from search_cases import concepts_matched, ranked, resource

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
