"""Bilingual relevance benchmark: success@1 and MRR per kind of query, for csec and the baselines.

Run from the repository root: .venv/bin/python benchmarks/relevance_bilingual.py [-v]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import tomli

from csec_cli.catalogue import load_catalogue
from relevance import RANKERS, Figures, measure

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "benchmarks" / "relevance_bilingual_queries.toml"
CATALOGUE = ROOT / "benchmarks" / "data" / "bilingual_catalogue.toml"


def load_spec() -> dict[str, list[dict[str, object]]]:
    """The bilingual queries file."""
    with QUERIES.open("rb") as handle:
        return tomli.load(handle)  # type: ignore[return-value]


def by_kind(
    spec: dict[str, list[dict[str, object]]],
) -> dict[str, dict[str, list[dict[str, object]]]]:
    """One spec per kind of query (junk queries only in the overall one)."""
    kinds: dict[str, list[dict[str, object]]] = defaultdict(list)
    for query in spec["query"]:
        kinds[str(query["kind"])].append(query)
    return {kind: {"query": queries} for kind, queries in sorted(kinds.items())}


def main() -> None:
    """Print one Markdown table per ranking (rows: kinds of query), then csec's misses."""
    spec = load_spec()
    catalogues = {"bilingual": load_catalogue(CATALOGUE).resources}
    kinds = by_kind(spec)
    print(
        f"{len(spec['query'])} queries, {len(spec.get('junk', []))} junk queries, "
        f"{len(catalogues['bilingual'])} resources\n"
    )
    overall: dict[str, Figures] = {}
    for name, ranker in RANKERS.items():
        overall[name] = measure(ranker, catalogues, spec)
        print(f"{name}:\n")
        print("| kind | queries | success@1 | MRR |")
        print("|---|---|---|---|")
        for kind, kind_spec in kinds.items():
            figures = measure(ranker, catalogues, kind_spec)
            print(
                f"| {kind} | {len(kind_spec['query'])} | "
                f"{figures.success_at_1:.3f} | {figures.mrr:.3f} |"
            )
        total = overall[name]
        print(
            f"| all | {len(spec['query'])} | {total.success_at_1:.3f} | {total.mrr:.3f} |\n"
            f"\njunk rejected: {total.junk_rejected:.2f}\n"
        )
    shown = RANKERS if "-v" in sys.argv else {"csec search": RANKERS["csec search"]}
    for name in shown:
        print(f"misses of {name}:")
        for miss in overall[name].misses:
            print("  " + miss)


if __name__ == "__main__":
    main()
