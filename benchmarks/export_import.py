"""Time `csec export` in every format and `csec import` of csv and json at catalogue scale.

Builds a catalogue of N resources from the 79 ILO listing entries (each copied with a serial
number in its title, so no two are duplicates), then runs the installed csec on it.

Usage: .venv/bin/python benchmarks/export_import.py [N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from csec_cli.catalogue import Catalogue, save_catalogue
from csec_cli.dates import PartialDate
from csec_cli.models import Resource

DATA = Path(__file__).parent / "data" / "ilo-listings.json"
CSEC = str(Path(sys.executable).parent / "csec")


def build_resources(count: int) -> list[Resource]:
    """`count` resources cycling through the ILO entries, each title numbered."""
    entries = json.loads(DATA.read_text(encoding="utf-8"))
    resources = []
    for index in range(count):
        entry = entries[index % len(entries)]
        resources.append(
            Resource(
                id=f"r{index}",
                title=f"{entry['title']} (no. {index})",
                date=PartialDate.from_iso(entry["date"]) if entry["date"] else None,
                summary=entry["summary"] or None,
                url=entry["listed_at"],
            )
        )
    return resources


def timed(*args: str) -> float:
    """Seconds one csec run takes; fail loudly if it fails."""
    started = time.perf_counter()
    subprocess.run([CSEC, *args], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.toml"
        save_catalogue(Catalogue(path=source, resources=build_resources(count)))
        print(f"{count} resources")
        for name in ("csv", "json", "markdown", "ris", "bibtex", "html"):
            output = Path(folder) / f"export.{name}"
            seconds = timed("--catalogue", str(source), "export", "-f", name, "-o", str(output))
            print(f"export {name:8} {seconds:6.2f} s  {output.stat().st_size / 1e6:6.1f} MB")
        for name in ("csv", "json"):
            target = Path(folder) / f"import-{name}.toml"
            exported = Path(folder) / f"export.{name}"
            seconds = timed("--catalogue", str(target), "import", str(exported))
            print(f"import {name:8} {seconds:6.2f} s  into an empty catalogue")


if __name__ == "__main__":
    main()
