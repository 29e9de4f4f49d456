"""Tests pinning the shipped seed catalogue to what the ILO-IPEC page says, and no more."""

from __future__ import annotations

import re
from pathlib import Path

from csec_cli.catalogue import load_catalogue
from csec_cli.checks import check_catalogue

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "resources.toml"
PAGE = REPO.parent / "shared" / "seed" / "ilo-csec-resources-page.txt"


def _page_titles() -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    return [match.strip() for match in re.findall(r"^\s+\d+\. (.+)$", text, re.MULTILINE)]


def test_seed_holds_the_ten_titles_of_the_page_exactly() -> None:
    """Every title on the page is in the seed, word for word, and nothing else."""
    titles = [resource.title for resource in load_catalogue(SEED).resources]
    if PAGE.exists():
        assert titles == _page_titles()
    assert len(titles) == 10


def test_seed_summaries_come_from_the_page_with_the_encoding_slip_fixed() -> None:
    """Summaries are the page's text; "workers¿ organizations" is repaired; one has none."""
    resources = {resource.id: resource for resource in load_catalogue(SEED).resources}
    assert "workers' organizations throughout Central America" in (
        resources["workers-organizations"].summary or ""
    )
    assert resources["questions-answers"].summary is None
    if PAGE.exists():
        page = PAGE.read_text(encoding="utf-8").replace(
            "workers¿ organizations", "workers' organizations"
        )
        for resource in resources.values():
            if resource.summary:
                assert resource.summary in page


def test_seed_invents_no_urls_or_publishers_and_checks_clean() -> None:
    """The page states no url or publisher; the seed passes `check` with no problem at all."""
    catalogue = load_catalogue(SEED)
    assert all(
        resource.url is None and resource.publisher is None for resource in catalogue.resources
    )
    assert check_catalogue(catalogue) == []


def test_seed_derived_fields_follow_the_summaries() -> None:
    """Type, audience and countries are those the summaries state."""
    labour = {r.id: r for r in load_catalogue(SEED).resources}["labour-inspection-csec"]
    assert labour.type == "pamphlet"
    assert labour.audience == ("labour inspectors",)
    assert labour.countries == ("Central America", "Dominican Republic")


def test_seed_records_no_authors_or_identifiers_the_page_does_not_state() -> None:
    """The page names no author, place, series, ISBN, ISSN or document: the seed holds none."""
    for resource in load_catalogue(SEED).resources:
        assert resource.authors == () and resource.files == ()
        assert (resource.isbn, resource.issn, resource.place, resource.series) == (None,) * 4
