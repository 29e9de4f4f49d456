"""Write a synthetic catalogue of N resources (default 10,000) for write and scale benchmarks.

Usage: python benchmarks/make_catalogue.py 10000 /tmp/catalogue-10k.toml
The resources are plainly synthetic (numbered titles), never mistakable for real ones.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from csec_cli.catalogue import Catalogue, render_catalogue
from csec_cli.dates import PartialDate
from csec_cli.models import Resource

TYPES = ("manual", "study", "leaflet", "protocol", "bulletin")
TOPICS = ("child labour", "trafficking", "prevention", "victim care", "media", "public policy")


def synthetic_resources(count: int) -> list[Resource]:
    """`count` resources with every field filled, dates of each precision."""
    added = dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.UTC)
    resources = []
    for number in range(count):
        month = number % 12 + 1
        date = [PartialDate(2000 + number % 25, month, 1), PartialDate(2000 + number % 25, month),
                PartialDate(2000 + number % 25)][number % 3]  # fmt: skip
        resources.append(
            Resource(
                id=f"synthetic-{number}",
                title=f"Synthetic resource number {number} for benchmarks",
                date=date,
                summary="Synthetic summary text for benchmarking only. " * 6,
                type=TYPES[number % len(TYPES)],
                audience=("labour inspectors", "trade unions"),
                topics=(TOPICS[number % len(TOPICS)], TOPICS[(number + 1) % len(TOPICS)]),
                countries=("Costa Rica",),
                language="en",
                publisher="Synthetic publisher",
                url=f"https://example.org/resource/{number}",
                added=added,
            )
        )
    return resources


def main() -> None:
    """Write the catalogue named on the command line."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"catalogue-{count}.toml")
    header = f"# Synthetic catalogue of {count} resources, for benchmarks only.\n"
    catalogue = Catalogue(path=target, resources=synthetic_resources(count), header=header)
    target.write_text(render_catalogue(catalogue), encoding="utf-8")
    print(f"{target}: {count} resources, {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
