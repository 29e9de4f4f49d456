"""Tests for the bilingual relevance benchmark data: a valid catalogue and queries that point into it."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

from csec_cli.catalogue import load_catalogue

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
CATALOGUE = BENCHMARKS / "data" / "bilingual_catalogue.toml"
QUERIES = BENCHMARKS / "relevance_bilingual_queries.toml"
KINDS = {
    "cross-language en->es",
    "cross-language es->en",
    "cross-language pt",
    "synonym",
    "acronym",
    "morphology",
    "unaccented",
}


def test_catalogue_is_valid_and_mostly_spanish_and_portuguese() -> None:
    """At least 60 valid resources, with Spanish and Portuguese ones beside English."""
    resources = load_catalogue(CATALOGUE).resources
    assert len(resources) >= 60
    languages = Counter(resource.language for resource in resources)
    assert languages["es"] > languages["en"] and languages["pt"] >= 10


def test_queries_name_existing_resources_and_known_kinds() -> None:
    """At least 80 queries, each expecting resources of the catalogue, each of a known kind."""
    ids = {resource.id for resource in load_catalogue(CATALOGUE).resources}
    with QUERIES.open("rb") as handle:
        spec = tomllib.load(handle)
    queries = spec["query"]
    assert len(queries) >= 80
    assert {query["kind"] for query in queries} == KINDS
    assert all(query["expect"] and set(query["expect"]) <= ids for query in queries)
    assert all(query["catalogue"] == "bilingual" for query in queries + spec["junk"])


def test_every_resource_names_where_its_title_was_checked() -> None:
    """Each resource block carries a `# source:` comment with a web address a reader can open."""
    blocks = CATALOGUE.read_text(encoding="utf-8").split("[[resources]]")[1:]
    assert len(blocks) == len(load_catalogue(CATALOGUE).resources)
    unsourced = [
        block.split('id = "', 1)[1].split('"', 1)[0]
        for block in blocks
        if not any(line.startswith("# source: http") for line in block.splitlines() if line.strip())
    ]
    assert unsourced == []
