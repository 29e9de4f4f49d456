"""Tests for the classes of search failure the fourth relevance probe found (each pinned here on a
small catalogue of its own), and for that probe's data files."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

from csec_cli.catalogue import load_catalogue

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
PROBE4_CATALOGUE = BENCHMARKS / "data" / "probe4_catalogue.toml"
PROBE4_QUERIES = BENCHMARKS / "relevance_probe4_queries.toml"


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
