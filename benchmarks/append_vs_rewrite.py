"""Time adding one resource to a large catalogue: appending its table vs rewriting the file.

Usage: python benchmarks/append_vs_rewrite.py /tmp/catalogue-10k.toml [repeats]
Both paths take the lock, load and validate the whole file (so invalid resources are refused),
and replace the file atomically; they differ only in how the new text is produced. Each run
works on a fresh copy; the median of the repeats is reported.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from csec_cli.catalogue import CatalogueLocation, append_resource, updating_catalogue
from csec_cli.models import Resource


def new_resource(number: int) -> Resource:
    """A synthetic resource to add."""
    return Resource(
        id=f"benchmark-added-{number}",
        title=f"Benchmark addition {number}",
        added=dt.datetime.now(dt.UTC).replace(microsecond=0),
    )


def by_append(location: CatalogueLocation, resource: Resource) -> None:
    """csec's add: append the table to the text as it stands."""
    append_resource(location, resource)


def by_rewrite(location: CatalogueLocation, resource: Resource) -> None:
    """The alternative: add to the parsed catalogue and write the whole file again."""
    with updating_catalogue(location, create=True) as catalogue:
        catalogue.resources.append(resource)


def median_seconds(
    source: Path, add: Callable[[CatalogueLocation, Resource], None], repeats: int
) -> float:
    """Median wall time of one add on a fresh copy of `source`."""
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(repeats):
            target = Path(folder) / f"copy-{number}.toml"
            shutil.copyfile(source, target)
            location = CatalogueLocation(target, "--catalogue")
            start = time.perf_counter()
            add(location, new_resource(number))
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    """Print the two medians and their ratio."""
    source = Path(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    append = median_seconds(source, by_append, repeats)
    rewrite = median_seconds(source, by_rewrite, repeats)
    size = source.stat().st_size / 1e6
    print(f"{source.name}: {size:.1f} MB, median of {repeats}")
    print(f"append  {append * 1000:8.0f} ms")
    print(f"rewrite {rewrite * 1000:8.0f} ms   ({rewrite / append:.2f}x append)")


if __name__ == "__main__":
    main()
