"""The relevance benchmark (benchmarks/relevance.py) holds the figures csec search reached."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from conftest import REPO

# The figures reached when the benchmark was written (docs/design.md, "Search quality"); a change to
# ranking that loses any of them fails here.
REACHED_SUCCESS_AT_1 = 1.0
REACHED_SUCCESS_AT_3 = 1.0
REACHED_MRR = 1.0


@pytest.fixture(scope="module")
def relevance() -> ModuleType:
    """benchmarks/relevance.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location("relevance", REPO / "benchmarks" / "relevance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["relevance"] = module
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_has_enough_realistic_queries(relevance: ModuleType) -> None:
    """At least 60 queries over both catalogues, with every expected id present in its catalogue."""
    spec = relevance.load_spec()
    catalogues = relevance.load_catalogues()
    assert len(spec["query"]) >= 60
    assert {query["catalogue"] for query in spec["query"]} == {"seed", "ilo"}
    assert len(catalogues["ilo"]) == 79
    for query in spec["query"]:
        ids = {resource.id for resource in catalogues[query["catalogue"]]}
        assert set(query["expect"]) <= ids, query["text"]


def test_csec_keeps_the_relevance_it_reached(relevance: ModuleType) -> None:
    """success@1, success@3 and MRR do not fall below the reached figures; all junk is rejected."""
    figures = relevance.measure(
        relevance.rank_with_csec, relevance.load_catalogues(), relevance.load_spec()
    )
    assert figures.success_at_1 >= REACHED_SUCCESS_AT_1, figures.misses
    assert figures.success_at_3 >= REACHED_SUCCESS_AT_3, figures.misses
    assert figures.mrr >= REACHED_MRR, figures.misses
    assert figures.junk_rejected == 1.0


def test_csec_is_far_ahead_of_both_baselines(relevance: ModuleType) -> None:
    """Substring match and title-only WRatio stay at least 0.3 behind in success@1 and MRR."""
    catalogues = relevance.load_catalogues()
    spec = relevance.load_spec()
    ours = relevance.measure(relevance.rank_with_csec, catalogues, spec)
    for baseline in (relevance.rank_with_substring, relevance.rank_with_title_wratio):
        theirs = relevance.measure(baseline, catalogues, spec)
        assert ours.success_at_1 - theirs.success_at_1 >= 0.3
        assert ours.mrr - theirs.mrr >= 0.3
