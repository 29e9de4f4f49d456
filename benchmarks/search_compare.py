"""Whole `csec search` processes, before and after a change, run side by side: a markdown table.

Times `csec --catalogue FILE search QUERY` on generated catalogues for two source trees (this
checkout and `--before`, e.g. an older commit's `src` from `git archive`), alternating between
them run by run so both see the same machine load. "Repeated" runs on a cached index; "after a
change" is the first run after one resource in the middle of the file was edited (see run.py).
Each tree has its own cache folder. Each cell is the median wall time. Output goes to a pipe, as
in a script; with `--terminal` rich draws the table as it does for a person at a terminal.

Example: git archive HEAD~3 src | tar -x -C /tmp/before
         python benchmarks/search_compare.py --before /tmp/before/src --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from run import edit_one_resource, generated_catalogue, machine_description, run_once

HERE = Path(__file__).resolve().parent
QUERIES = ("labour inspectors", "trata de niños", "child labour survey Thailand")


def main() -> None:
    """Command line: the tree to compare with, sizes, repetitions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other tree's src folder")
    parser.add_argument(
        "--after", type=Path, default=HERE.parent / "src", help="this tree's src (the default)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "csec-benchmark"
    )
    parser.add_argument(
        "--terminal",
        action="store_true",
        help="output as on a terminal: rich draws its table (TTY_COMPATIBLE=1), as people see it",
    )
    arguments = parser.parse_args()
    csec = str(Path(sys.executable).parent / "csec")
    trees = {"before": arguments.before.resolve(), "after": arguments.after.resolve()}
    arguments.folder.mkdir(parents=True, exist_ok=True)
    output = "a terminal's table (TTY_COMPATIBLE=1)" if arguments.terminal else "a pipe"
    print(f"Machine: {machine_description()}; output to {output}\n")
    print("| size | run | query | before | after | after / before |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        environments = {}
        for name, tree in trees.items():
            environment = {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1"}
            if arguments.terminal:
                environment["TTY_COMPATIBLE"] = "1"
            environment["XDG_CACHE_HOME"] = str(Path(scratch) / f"cache-{name}")
            environment.pop("CSEC_CATALOGUE", None)
            environment.pop("CSEC_THESAURUS", None)
            environments[name] = environment
        for size in arguments.sizes:
            source = generated_catalogue(size, arguments.folder)
            files = {name: Path(scratch) / f"{name}-{size}.toml" for name in trees}
            for name, path in files.items():
                shutil.copyfile(source, path)
                run_once([csec, "--catalogue", str(path), "search", "x"], environments[name])
            for kind in ("repeated", "after a change"):
                queries = QUERIES if kind == "repeated" else QUERIES[:1]
                for query in queries:
                    seconds: dict[str, list[float]] = {name: [] for name in trees}
                    for number in range(arguments.repeat):
                        for name, path in files.items():
                            if kind == "after a change":
                                edit_one_resource(path, number)
                            command = [csec, "--catalogue", str(path), "search", query]
                            elapsed, _, code, message = run_once(command, environments[name])
                            if code != 0:
                                sys.exit(f"{name}: exit {code}: {message}")
                            seconds[name].append(elapsed)
                    before = statistics.median(seconds["before"])
                    after = statistics.median(seconds["after"])
                    print(
                        f"| {size:,} | {kind} | {query} | {before:.2f} s | {after:.2f} s "
                        f"| {after / before:.2f} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
