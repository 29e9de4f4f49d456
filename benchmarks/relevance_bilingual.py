"""Bilingual relevance benchmark: success@1 and MRR per kind of query, for csec and the baselines.

Run from the repository root: .venv/bin/python benchmarks/relevance_bilingual.py [-v] [--probe]
--probe measures the held-out probe set instead (relevance_probe_queries.toml against
data/probe_catalogue.toml); --queries FILE and --catalogue FILE name any other pair.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import tomli

from csec_cli.catalogue import load_catalogue
from relevance import RANKERS, Figures, measure

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "benchmarks" / "relevance_bilingual_queries.toml"
CATALOGUE = ROOT / "benchmarks" / "data" / "bilingual_catalogue.toml"
PROBE_QUERIES = ROOT / "benchmarks" / "relevance_probe_queries.toml"
PROBE_CATALOGUE = ROOT / "benchmarks" / "data" / "probe_catalogue.toml"


def load_spec(queries: Path = QUERIES) -> dict[str, list[dict[str, object]]]:
    """A queries file (the bilingual one unless told)."""
    with queries.open("rb") as handle:
        return tomli.load(handle)  # type: ignore[return-value]


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """-v, and which queries and catalogue to measure (--probe for the held-out pair)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="show the misses of every ranking")
    parser.add_argument("--probe", action="store_true", help="the held-out probe set")
    parser.add_argument("--queries", type=Path, help="a queries file")
    parser.add_argument("--catalogue", type=Path, help="the catalogue its queries are written for")
    arguments = parser.parse_args(argv)
    if arguments.probe:
        arguments.queries = arguments.queries or PROBE_QUERIES
        arguments.catalogue = arguments.catalogue or PROBE_CATALOGUE
    arguments.queries = arguments.queries or QUERIES
    arguments.catalogue = arguments.catalogue or CATALOGUE
    return arguments


def by_kind(
    spec: dict[str, list[dict[str, object]]],
) -> dict[str, dict[str, list[dict[str, object]]]]:
    """One spec per kind of query (junk queries only in the overall one)."""
    kinds: dict[str, list[dict[str, object]]] = defaultdict(list)
    for query in spec["query"]:
        kinds[str(query["kind"])].append(query)
    return {kind: {"query": queries} for kind, queries in sorted(kinds.items())}


def main(argv: list[str] | None = None) -> None:
    """Print one Markdown table per ranking (rows: kinds of query), then csec's misses."""
    arguments = parse_arguments(argv)
    spec = load_spec(arguments.queries)
    resources = load_catalogue(arguments.catalogue).resources
    catalogues = {str(query["catalogue"]): resources for query in spec["query"]}
    kinds = by_kind(spec)
    print(
        f"{len(spec['query'])} queries, {len(spec.get('junk', []))} junk queries, "
        f"{len(resources)} resources\n"
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
    shown = RANKERS if arguments.v else {"csec search": RANKERS["csec search"]}
    for name in shown:
        print(f"misses of {name}:")
        for miss in overall[name].misses:
            print("  " + miss)


if __name__ == "__main__":
    main()
