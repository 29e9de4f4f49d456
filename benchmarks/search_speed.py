"""Search speed: index build and query time on synthetic catalogues drawn from the ILO listings.

Run from the repository root: .venv/bin/python benchmarks/search_speed.py [SIZE ...]
"""

from __future__ import annotations

import argparse
import json
import random
import time
import timeit
from pathlib import Path

from csec_cli.models import Resource
from csec_cli.search import rank_indexed
from csec_cli.search_index import build_search_index

ILO_LISTINGS = Path(__file__).resolve().parent / "data" / "ilo-listings.json"
QUERIES = (
    "labour inspectors",
    "child labour survey",
    "trafficking Thailand",
    "psychosocial counseling trafficked youth",
    "zzqxv",
    "commercial sexual exploitation of children",
)


def synthetic_catalogue(size: int, seed: int = 7) -> list[Resource]:
    """`size` resources whose titles and summaries are real listing texts, shuffled and numbered."""
    entries = json.loads(ILO_LISTINGS.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    resources = []
    for number in range(size):
        entry = rng.choice(entries)
        other = rng.choice(entries)
        title_words = entry["title"].split()
        rng.shuffle(title_words)
        resources.append(
            Resource(
                id=f"r{number}",
                title=f"{' '.join(title_words)} {number}",
                summary=(entry["summary"] + " " + other["summary"]).strip() or None,
                topics=("child labour",) if number % 3 else ("trafficking", "victim care"),
                countries=(rng.choice(("Thailand", "Nepal", "Costa Rica", "Belize")),),
            )
        )
    return resources


def main() -> None:
    """Print build time and per-query times (best of 3), with a limit of 10 and with none."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes",
        type=int,
        nargs="*",
        default=[1_000, 10_000, 100_000],
        metavar="SIZE",
        help="catalogue sizes to time (default: 1000 10000 100000)",
    )
    sizes = parser.parse_args().sizes
    # A yardstick for the machine (and its load): ~10 ms on an idle recent CPU with CPython 3.11.
    yardstick = min(timeit.repeat("sum(range(10**6))", number=1, repeat=5))
    print(f"yardstick: sum(range(10**6)) takes {yardstick * 1000:.1f} ms here")
    for size in sizes:
        resources = synthetic_catalogue(size)
        started = time.perf_counter()
        index = build_search_index(resources)
        built = time.perf_counter() - started
        print(f"{size:>7} resources: index built in {built:.3f} s")
        for query in QUERIES:
            for limit in (10, None):
                timings = []
                for _ in range(3):
                    started = time.perf_counter()
                    hits = rank_indexed(index, resources, query, limit=limit)
                    timings.append(time.perf_counter() - started)
                print(f"    {query!r:45} limit={limit!s:5} {min(timings):.4f} s  {len(hits)} hits")


if __name__ == "__main__":
    main()
