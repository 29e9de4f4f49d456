"""Generate realistic synthetic catalogues (1,000 to 100,000 resources) for the scale benchmark.

Titles and summaries are drawn from the 79 real ILO listings in benchmarks/data and the shipped
seed, varied (a country, a year, a volume) so that ids and texts differ as in a large
documentation centre; types, audiences, topics and countries come from the seed's vocabulary.
The file is written with csec's own writer, so it is exactly what csec itself would write. The
result is benchmark data, clearly marked as synthetic in its header: never a real catalogue.

Example: python benchmarks/generate_catalogue.py 10000 /tmp/csec-10k.toml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tomllib
from pathlib import Path

from csec_cli.catalogue import Catalogue, render_catalogue, write_atomically
from csec_cli.dates import PartialDate
from csec_cli.models import Resource, make_id

HERE = Path(__file__).resolve().parent
LISTINGS = HERE / "data" / "ilo-listings.json"
SEED = HERE.parent / "data" / "resources.toml"

COUNTRIES = (
    "Belize", "Bolivia", "Brazil", "Cambodia", "Central America", "Colombia", "Costa Rica",
    "Dominican Republic", "El Salvador", "Guatemala", "Honduras", "Kenya", "Latin America",
    "Latin America and the Caribbean", "Madagascar", "Mexico", "Nicaragua", "Panama",
    "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Sri Lanka", "Thailand",
)  # fmt: skip
LANGUAGES = ("en",) * 6 + ("es",) * 3 + ("fr", "pt")
PUBLISHERS = ("ILO-IPEC", "ILO", "ILO-IPEC", None, None, None)
VARIATIONS = ("{title}", "{title}: {country}", "{title} ({year})", "{title}, volume {volume}")
HEADER = (
    "# SYNTHETIC benchmark catalogue made by benchmarks/generate_catalogue.py: {count} resources\n"
    "# varied from real ILO listings. Not real resources; never use it as a catalogue.\n"
)


def load_sources() -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """The real titles/summaries to vary, and the seed's vocabulary for the other fields."""
    listings = json.loads(LISTINGS.read_text(encoding="utf-8"))
    seed = tomllib.loads(SEED.read_text(encoding="utf-8"))["resources"]
    entries = [
        {"title": item["title"], "summary": item.get("summary") or "", "url": item["listed_at"]}
        for item in listings
    ]
    entries += [
        {"title": item["title"], "summary": item.get("summary", ""), "url": ""} for item in seed
    ]
    vocabulary: dict[str, list[str]] = {}
    for name in ("type", "audience", "topics"):
        values: set[str] = set()
        for item in seed:
            value = item.get(name)
            values.update([value] if isinstance(value, str) else value or [])
        vocabulary[name] = sorted(values)
    return entries, vocabulary


def generate_resources(count: int, seed: int = 2026) -> list[Resource]:
    """`count` varied resources with unique ids, the same for the same `count` and `seed`."""
    rng = random.Random(seed)
    entries, vocabulary = load_sources()
    taken: set[str] = set()
    resources = []
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for number in range(count):
        entry = rng.choice(entries)
        year = rng.randint(1996, 2025)
        title = rng.choice(VARIATIONS).format(
            title=entry["title"], country=rng.choice(COUNTRIES), year=year, volume=rng.randint(1, 9)
        )
        summary = entry["summary"]
        if rng.random() < 0.3:
            summary = f"{summary} {rng.choice(entries)['summary']}".strip()
        precision = rng.random()
        if precision < 0.8:
            date: PartialDate | None = PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
        elif precision < 0.9:
            date = PartialDate(year, rng.randint(1, 12))
        elif precision < 0.97:
            date = PartialDate(year)
        else:
            date = None
        # make_id copies `taken` on every call; a counter keeps 100,000 ids linear.
        base = make_id(title, ())
        identifier, suffix = base, 1
        while identifier in taken:
            suffix += 1
            identifier = f"{base}-{suffix}"
        taken.add(identifier)
        resources.append(
            Resource(
                id=identifier,
                title=title,
                date=date,
                summary=summary or None,
                type=rng.choice(vocabulary["type"]),
                audience=tuple(rng.sample(vocabulary["audience"], rng.randint(0, 2))),
                topics=tuple(rng.sample(vocabulary["topics"], rng.randint(1, 4))),
                countries=tuple(rng.sample(COUNTRIES, rng.randint(0, 3))),
                language=rng.choice(LANGUAGES),
                publisher=rng.choice(PUBLISHERS),
                url=entry["url"] or None if rng.random() < 0.5 else None,
                added=start + dt.timedelta(minutes=7 * number),
            )
        )
    return resources


def write_catalogue(path: Path, count: int, seed: int = 2026) -> None:
    """Write a synthetic catalogue of `count` resources to `path` in csec's own form."""
    catalogue = Catalogue(
        path=path, resources=generate_resources(count, seed), header=HEADER.format(count=count)
    )
    write_atomically(path, render_catalogue(catalogue))


def main() -> None:
    """Command line: the size and the file to write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of resources, e.g. 10000")
    parser.add_argument("output", type=Path, help="catalogue file to write")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same file)")
    arguments = parser.parse_args()
    write_catalogue(arguments.output, arguments.count, arguments.seed)


if __name__ == "__main__":
    main()
