"""Relevance benchmark: does csec search put the resource a person meant first? Two baselines too.

Run from the repository root: .venv/bin/python benchmarks/relevance.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tomli
from rapidfuzz import fuzz, process, utils

from csec_cli.catalogue import load_catalogue
from csec_cli.dates import PartialDate
from csec_cli.models import Resource, make_id
from csec_cli.search import rank_resources

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "benchmarks" / "relevance_queries.toml"
SEED = ROOT / "data" / "resources.toml"
ILO_LISTINGS = ROOT / "benchmarks" / "data" / "ilo-listings.json"

Ranker = Callable[[Sequence[Resource], str], list[str]]


@dataclass(frozen=True)
class Figures:
    """Success@1, success@3 and mean reciprocal rank over a query set, and junk rejected."""

    success_at_1: float
    success_at_3: float
    mrr: float
    junk_rejected: float
    misses: tuple[str, ...]


def load_ilo_catalogue() -> list[Resource]:
    """The 79 ILO listing entries as resources, with ids made as `csec add` would make them."""
    entries = json.loads(ILO_LISTINGS.read_text(encoding="utf-8"))
    resources: list[Resource] = []
    for entry in entries:
        resource_id = make_id(entry["title"], (resource.id for resource in resources))
        resources.append(
            Resource(
                id=resource_id,
                title=entry["title"],
                date=PartialDate.from_toml(entry["date"]) if entry["date"] else None,
                summary=entry["summary"] or None,
            )
        )
    return resources


def load_catalogues() -> dict[str, list[Resource]]:
    """The two catalogues the queries are written for."""
    return {"seed": load_catalogue(SEED).resources, "ilo": load_ilo_catalogue()}


def rank_with_csec(resources: Sequence[Resource], query: str) -> list[str]:
    """csec's own ranking, default cutoff."""
    return [hit.resource.id for hit in rank_resources(resources, query)]


def rank_with_substring(resources: Sequence[Resource], query: str) -> list[str]:
    """Baseline: resources whose title, then whose summary, contains the query (any case)."""
    wanted = query.casefold()
    in_title = [r.id for r in resources if wanted in r.title.casefold()]
    in_summary = [r.id for r in resources if wanted in (r.summary or "").casefold()]
    return in_title + [resource_id for resource_id in in_summary if resource_id not in in_title]


def rank_with_title_wratio(resources: Sequence[Resource], query: str) -> list[str]:
    """Baseline: rapidfuzz WRatio of the query against titles alone, cutoff 50."""
    titles = [resource.title for resource in resources]
    found = process.extract(
        query,
        titles,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=50,
        limit=None,
    )
    return [resources[index].id for _, _, index in found]


RANKERS: dict[str, Ranker] = {
    "csec search": rank_with_csec,
    "substring": rank_with_substring,
    "WRatio on title": rank_with_title_wratio,
}


def measure(
    ranker: Ranker, catalogues: dict[str, list[Resource]], spec: dict[str, list[dict[str, object]]]
) -> Figures:
    """Run every query and junk query of the spec through one ranker."""
    first = third = reciprocal = 0.0
    misses = []
    queries = spec["query"]
    for query in queries:
        ranked = ranker(catalogues[str(query["catalogue"])], str(query["text"]))
        expected = set(query["expect"])  # type: ignore[call-overload]
        rank = next((place for place, found in enumerate(ranked, 1) if found in expected), None)
        if rank == 1:
            first += 1
        else:
            misses.append(f"{query['text']!r} -> {ranked[:3]} (rank {rank})")
        if rank is not None and rank <= 3:
            third += 1
        reciprocal += 1.0 / rank if rank else 0.0
    junk = spec.get("junk", [])
    rejected = sum(
        not ranker(catalogues[str(item["catalogue"])], str(item["text"])) for item in junk
    )
    count = len(queries)
    return Figures(
        first / count,
        third / count,
        reciprocal / count,
        rejected / len(junk) if junk else 1.0,
        tuple(misses),
    )


def load_spec() -> dict[str, list[dict[str, object]]]:
    """The queries file."""
    with QUERIES.open("rb") as handle:
        return tomli.load(handle)  # type: ignore[return-value]


def main() -> None:
    """Print the table (Markdown, for docs/design.md), then csec's misses."""
    spec = load_spec()
    catalogues = load_catalogues()
    print(f"{len(spec['query'])} queries, {len(spec.get('junk', []))} junk queries\n")
    print("| ranking | success@1 | success@3 | MRR | junk rejected |")
    print("|---|---|---|---|---|")
    results = {name: measure(ranker, catalogues, spec) for name, ranker in RANKERS.items()}
    for name, figures in results.items():
        print(
            f"| {name} | {figures.success_at_1:.3f} | {figures.success_at_3:.3f} | "
            f"{figures.mrr:.3f} | {figures.junk_rejected:.2f} |"
        )
    if "-v" in sys.argv:
        for name, figures in results.items():
            print(f"\nmisses of {name}:")
            for miss in figures.misses:
                print("  " + miss)
    else:
        print("\ncsec misses:" if results["csec search"].misses else "")
        for miss in results["csec search"].misses:
            print("  " + miss)


if __name__ == "__main__":
    main()
