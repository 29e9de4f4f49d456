"""The held-out relevance probes' data files: valid, new, sourced, and their queries well formed."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from csec_cli.catalogue import load_catalogue

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
DATA = BENCHMARKS / "data"


@dataclass(frozen=True)
class Probe:
    """One probe: its catalogue and queries, and what its brief asked of them."""

    name: str  # the `catalogue` its queries name
    catalogue: Path
    queries: Path
    resources: tuple[int, int]  # fewest and most resources
    least_share: dict[str, float]  # the least share of resources in each language
    queries_at_least: int
    junk_at_least: int
    # Whether every resource is expected by some query (asked of the fourth probe on).
    every_resource_expected: bool = True
    short_share: float = 0.0  # the least share of queries of one to three words


PROBES = [
    Probe(
        "probe",
        DATA / "probe_catalogue.toml",
        BENCHMARKS / "relevance_probe_queries.toml",
        (40, 60),
        {"es": 0.45, "en": 0.17, "pt": 0.17},
        60,
        5,
        every_resource_expected=False,
    ),
    Probe(
        "probe3",
        DATA / "probe3_catalogue.toml",
        BENCHMARKS / "relevance_probe3_queries.toml",
        (40, 50),
        {"es": 0.45, "pt": 0.18, "en": 0.18},
        80,
        5,
        every_resource_expected=False,
    ),
    Probe(
        "probe4",
        DATA / "probe4_catalogue.toml",
        BENCHMARKS / "relevance_probe4_queries.toml",
        (40, 50),
        {"en": 0.35, "es": 0.30, "pt": 0.20},
        80,
        5,
    ),
    Probe(
        "probe5",
        DATA / "probe5_catalogue.toml",
        BENCHMARKS / "relevance_probe5_queries.toml",
        (40, 50),
        {"pt": 0.40, "es": 0.35, "en": 0.10},
        80,
        5,
        short_share=0.6,
    ),
    Probe(
        "probe6",
        DATA / "probe6_catalogue.toml",
        BENCHMARKS / "relevance_probe6_queries.toml",
        (40, 50),
        {"es": 0.43, "en": 0.35, "pt": 0.15},
        80,
        5,
        short_share=0.5,
    ),
    Probe(
        "probe7",
        DATA / "probe7_catalogue.toml",
        BENCHMARKS / "relevance_probe7_queries.toml",
        (40, 50),
        {"es": 0.45, "en": 0.40, "pt": 0.10},
        80,
        5,
        short_share=0.5,
    ),
]
by_name = pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.name)


def _queries(probe: Probe) -> dict[str, Any]:
    with probe.queries.open("rb") as handle:
        return tomllib.load(handle)


@by_name
def test_a_probe_catalogue_is_valid_and_mixes_its_languages(probe: Probe) -> None:
    """Its resources load without error, in the number and language mix its brief asked for."""
    resources = load_catalogue(probe.catalogue).resources
    fewest, most = probe.resources
    assert fewest <= len(resources) <= most
    languages = Counter(resource.language for resource in resources)
    assert set(languages) == {"en", "es", "pt"}
    for language, share in probe.least_share.items():
        assert languages[language] >= len(resources) * share, language


@by_name
def test_a_probe_title_is_in_no_other_catalogue(probe: Probe) -> None:
    """Held out means new: no title is in another benchmark catalogue, the ILO listings or the
    seed."""
    others = [*sorted(DATA.glob("*.toml")), BENCHMARKS.parent / "data" / "resources.toml"]
    titles = {
        resource.title.casefold()
        for path in others
        if path != probe.catalogue
        for resource in load_catalogue(path).resources
    }
    with (DATA / "ilo-listings.json").open(encoding="utf-8") as handle:
        titles |= {entry["title"].casefold() for entry in json.load(handle)}
    own = {resource.title.casefold() for resource in load_catalogue(probe.catalogue).resources}
    assert not titles & own


@by_name
def test_a_probe_query_expects_resources_of_its_catalogue(probe: Probe) -> None:
    """Enough queries and junk queries, each naming its probe; every expected id is one of the
    catalogue's, and (where the brief asked) every resource is expected by some query."""
    known = {resource.id for resource in load_catalogue(probe.catalogue).resources}
    spec = _queries(probe)
    assert len(spec["query"]) >= probe.queries_at_least
    assert len(spec["junk"]) >= probe.junk_at_least
    for query in spec["query"]:
        assert query["expect"] and set(query["expect"]) <= known, query
    assert {query["catalogue"] for query in spec["query"] + spec["junk"]} == {probe.name}
    if probe.every_resource_expected:
        assert {id_ for query in spec["query"] for id_ in query["expect"]} == known


@by_name
def test_a_probe_queries_are_as_short_as_its_brief_asked(probe: Probe) -> None:
    """The share of one- to three-word queries (the fifth probe's brief: most of them)."""
    queries = _queries(probe)["query"]
    short = [query for query in queries if len(query["text"].split()) <= 3]
    assert len(short) >= len(queries) * probe.short_share


@by_name
def test_every_probe_resource_names_where_its_title_was_checked(probe: Probe) -> None:
    """Each resource block carries a `# source:` comment with a web address."""
    blocks = probe.catalogue.read_text(encoding="utf-8").split("[[resources]]")[1:]
    assert len(blocks) == len(load_catalogue(probe.catalogue).resources)
    assert all("\n# source: http" in block for block in blocks)
