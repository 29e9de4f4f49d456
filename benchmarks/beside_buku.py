"""Time csec beside buku (one SQLite file) on the same generated resources, in one run.

buku and papis are not csec's dependencies: they live in a virtual environment of their own,
made on first use (`--tools-venv`, default benchmarks/.venv-tools: `python -m venv` there, then
`pip install buku papis`). Each generated catalogue (benchmarks/generate_catalogue.py, as for
run.py) is converted for buku: title → title, summary → description, type, topics and
countries → tags, url (or a made-up unique one: buku's urls are unique) → url.

Every row is median wall time · median peak RSS (wait4) of fresh processes, alternating csec and
buku run by run so both meet the same load. PYTHONDONTWRITEBYTECODE is unset for both (bytecode
is the normal state). "After an edit" is the first search after one resource in the middle was
edited by hand: csec's file with run.edit_one_resource, buku's record with one SQL UPDATE; the
same for the first `list --limit 20` after an edit.

Example: python benchmarks/beside_buku.py --sizes 10000 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import (  # noqa: E402  (a sibling script, not a package)
    ADD_ARGUMENTS,
    QUERY,
    Measurement,
    edit_one_resource,
    generated_catalogue,
    machine_description,
    run_once,
    run_token,
)

Command = list[str]


def tools_python(venv: Path) -> Path:
    """The Python of the tools' own environment, made (buku, papis) when missing."""
    python = venv / "bin" / "python"
    if not (venv / "bin" / "buku").exists():
        print(f"installing buku and papis into {venv} …", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "buku"]
        subprocess.run(pip, check=True)
        # papis only for its --help; the comparison goes on without it.
        subprocess.run([*pip[:-1], "papis"], check=False)
    return python


def buku_database(catalogue: Path, folder: Path) -> Path:
    """A buku database (buku's own schema) holding the catalogue's resources, made once."""
    target = folder / f"{catalogue.stem}.buku" / "bookmarks.db"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Converted in a child process, so this one stays small (its children's peaks count it).
    script = f"""
import sqlite3, tomllib
resources = tomllib.loads(open({str(catalogue)!r}, encoding="utf-8").read())["resources"]
db = sqlite3.connect({str(target) + ".tmp"!r})
db.execute("CREATE TABLE bookmarks (id integer PRIMARY KEY, URL text NOT NULL UNIQUE, "
           "metadata text default '', tags text default ',', desc text default '', "
           "flags integer default 0)")
rows = []
for r in resources:
    tags = [r.get("type", ""), *r.get("topics", []), *r.get("countries", [])]
    tags = "," + ",".join(t.lower().replace(",", " ") for t in tags if t) + ","
    url = f"{{r.get('url') or 'https://example.invalid/r'}}#{{r['id']}}"
    rows.append((url, r["title"], tags, r.get("summary", "")))
db.executemany("INSERT INTO bookmarks (URL, metadata, tags, desc) VALUES (?, ?, ?, ?)", rows)
db.commit()
db.close()
"""
    subprocess.run([sys.executable, "-c", script], check=True)
    os.replace(str(target) + ".tmp", target)
    return target


def middle_id(catalogue: Path) -> str:
    """The id of a resource half-way through the file, for `show` (found in a child process)."""
    script = (
        "import sys, tomllib; r = tomllib.load(open(sys.argv[1], 'rb'))['resources'];"
        "print(r[len(r) // 2]['id'])"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, str(catalogue)], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def edit_buku_record(database: Path, number: int) -> None:
    """Change the title of the record in the middle, as a hand edit of csec's file does."""
    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT max(id) FROM bookmarks").fetchone()
        db.execute(
            "UPDATE bookmarks SET metadata = metadata || ? WHERE id = ?",
            (f" (edited {number})", count // 2),
        )


def ratio(csec: Measurement, other: Measurement) -> str:
    """csec's median time over the other's, e.g. `0.42×`."""
    if csec.note or other.note or not csec.seconds or not other.seconds:
        return ""
    return f"{statistics.median(csec.seconds) / statistics.median(other.seconds):.2f}×"


def benchmark_size(
    size: int, csec: str, tools: Path, folder: Path, environment: dict[str, str], repeat: int
) -> list[tuple[str, Measurement, str, Measurement]]:
    """Each compared pair of commands at one size: (csec's row, its result, buku's, its result)."""
    source = generated_catalogue(size, folder)
    database = buku_database(source, folder)
    work = folder / f"beside-{size}.toml"
    shutil.copyfile(source, work)
    buku_dir = folder / f"beside-{size}.buku"
    shutil.rmtree(buku_dir, ignore_errors=True)
    buku_dir.mkdir()
    shutil.copyfile(database, buku_dir / "bookmarks.db")
    buku_environment = {**environment, "BUKU_DEFAULT_DBDIR": str(buku_dir)}
    buku = [str(tools / "bin" / "buku"), "--nostdin"]
    on = [csec, "--catalogue", str(work)]
    identifier = middle_id(source)
    with sqlite3.connect(buku_dir / "bookmarks.db") as db:
        (count,) = db.execute("SELECT max(id) FROM bookmarks").fetchone()
    print(f"timing {size:,} resources beside buku …", file=sys.stderr, flush=True)
    run_once([*on, "list", "--limit", "1"], environment)  # the cache, as after any earlier use

    def pair(csec_command: Command, buku_command: Command, **kwargs: Callable[[int], None]) -> Any:
        # buku reads its own environment (its database folder); csec the benchmark's.
        results = (Measurement([], []), Measurement([], []))
        before = kwargs.get("before_each")
        for number in range(repeat):
            if before is not None:
                before(number)
            for command, result, env in (
                (csec_command, results[0], environment),
                (buku_command, results[1], buku_environment),
            ):
                line = [part.format(token=run_token(number + 100 * size)) for part in command]
                seconds, megabytes, code, message = run_once(line, env)
                if code != 0 and not result.note:
                    result.note = f"error (exit {code}: {message[:60]})"
                result.seconds.append(seconds)
                result.megabytes.append(megabytes)
        return results

    rows = []
    listed = pair([*on, "list", "--limit", "20"], [*buku, "-p", "-20", "--np", "--nc"])
    rows.append(("`csec list --limit 20`", listed[0], "`buku -p -20`", listed[1]))
    shown = pair([*on, "show", identifier], [*buku, "-p", str(count // 2), "--np", "--nc"])
    rows.append(("`csec show ID`", shown[0], "`buku -p N`", shown[1]))
    buku_add = [
        *buku, "--offline", "-a", "https://example.invalid/added/{token}", "--title",
        "Benchmark resource {token} on labour inspection and commercial sexual exploitation",
        "--tag", "manual", "--np", "--nc",
    ]  # fmt: skip
    added = pair([*on, "add", *ADD_ARGUMENTS], buku_add)
    rows.append(("`csec add` (flags)", added[0], "`buku -a` (--offline)", added[1]))
    search = [*on, "search", QUERY]
    buku_search = [*buku, "-s", *QUERY.split(), "--np", "--nc"]

    def edit_both(number: int) -> None:
        edit_one_resource(work, number)
        edit_buku_record(buku_dir / "bookmarks.db", number)

    after_edit = pair(search, buku_search, before_each=edit_both)
    rows.append(("`csec search` after a hand edit", after_edit[0], "`buku -s`", after_edit[1]))
    listed_after_edit = pair(
        [*on, "list", "--limit", "20"],
        [*buku, "-p", "-20", "--np", "--nc"],
        before_each=lambda number: edit_both(number + repeat),
    )
    rows.append(
        (
            "`csec list --limit 20` after a hand edit",
            listed_after_edit[0],
            "`buku -p -20`",
            listed_after_edit[1],
        )
    )
    repeated = pair(search, buku_search)
    rows.append(("`csec search` repeated", repeated[0], "`buku -s`", repeated[1]))
    return rows


def main() -> None:
    """Command line: sizes, repetitions, where generated files and the tools' venv live."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per cell (default 5)")
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "csec-benchmark"
    )
    parser.add_argument("--tools-venv", type=Path, default=HERE / ".venv-tools")
    arguments = parser.parse_args()
    csec = str(Path(sys.executable).parent / "csec")
    if not Path(csec).exists():
        csec = shutil.which("csec") or sys.exit("csec is not installed beside this Python")
    tools = tools_python(arguments.tools_venv).parent.parent
    arguments.folder.mkdir(parents=True, exist_ok=True)
    before = machine_description()
    results = {}
    with tempfile.TemporaryDirectory() as cache_home:
        environment = {**os.environ, "XDG_CACHE_HOME": cache_home, "NO_COLOR": "1"}
        environment.pop("CSEC_CATALOGUE", None)
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        for size in arguments.sizes:
            results[size] = benchmark_size(
                size, csec, tools, arguments.folder, environment, arguments.repeat
            )
        papis = tools / "bin" / "papis"
        helps = (Measurement([], []), Measurement([], [], "" if papis.exists() else "n/a"))
        for _ in range(arguments.repeat):
            for command, result in (
                ([csec, "--help"], helps[0]),
                ([str(papis), "--help"], helps[1]),
            ):
                if result.note:
                    continue
                seconds, megabytes, _code, _message = run_once(command, environment)
                result.seconds.append(seconds)
                result.megabytes.append(megabytes)
    after = machine_description().split("load average ")[1]
    print(f"Machine: {before} (load at the end: {after}), repeat {arguments.repeat}")
    print()
    sizes = arguments.sizes
    print(
        "| command | " + " | ".join(f"{size:,}: csec · other · csec/other" for size in sizes) + " |"
    )
    print("|---|" + "---|" * len(sizes))
    for index, (csec_row, _m, other_row, _o) in enumerate(results[sizes[0]]):
        cells = []
        for size in sizes:
            _r, mine, _name, theirs = results[size][index]
            cells.append(f"{mine.cell()} · {theirs.cell()} · {ratio(mine, theirs)}")
        print(f"| {csec_row} vs {other_row} | " + " | ".join(cells) + " |")
    cell = f"{helps[0].cell()} · {helps[1].cell()} · {ratio(*helps)}"
    print(f"| `csec --help` vs `papis --help` (any size) | {cell} |" + " |" * (len(sizes) - 1))


if __name__ == "__main__":
    main()
