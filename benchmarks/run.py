"""Time whole `csec` processes on catalogues of 1,000 to 100,000 resources; print a markdown table.

Each cell is the median wall time and the median peak memory (RSS, from wait4) of fresh `csec`
processes, beside a floor (`python -c "import typer, rich, rapidfuzz"`) timed in the same run.
Commands that this build of csec does not have are reported as n/a, so the script runs
unchanged as commands are added. The cache lives in a temporary folder of its own. "First run
after an edit" is the first run after one resource in the middle of the file was changed (its
title edited in place, as `csec edit` or a text editor would), so the cached catalogue and search
index are stale; "cold" a run with no cache at all (a catalogue never read on this machine, or
the first run after upgrading csec); "repeated" a run after another on the same file. `add` runs on its own
copy of the catalogue, read once beforehand as in daily use; each timed add then appends one
more resource. Generated catalogues are kept in the temporary folder between runs.

Example: python benchmarks/run.py            (about 5 minutes on 2 cores)
         python benchmarks/run.py --sizes 1000 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "labour inspectors"
# The flags `csec add` takes for a resource without prompting (see `csec add --help`). Each run's
# title is a new one ({token} differs from run to run), as in most real adds: the near-duplicate
# check compares it with every title and passes. (--allow-duplicate would skip the check.)
ADD_ARGUMENTS = (
    "--title", "Benchmark resource {token} on labour inspection and commercial sexual exploitation",
    "--date", "2026-03", "--type", "manual", "--language", "en", "--yes",
)  # fmt: skip
TARGETS = {
    'floor: python -c "import typer, rich, rapidfuzz"': "",
    "floor + pydantic (Typer 0.29 imports it to read options)": "",
    "csec --version": "≤ 0.12 s",
    "csec info (cold: no cache)": "",
    "csec info (first run after an edit)": "",
    "csec info (repeated)": "",
    "csec list --limit 20": "",
    f'csec search "{QUERY}" (cold: no cache)': "",
    f'csec search "{QUERY}" (first run after an edit)': "10k ≤ 0.8 s",
    f'csec search "{QUERY}" (repeated)': "10k ≤ 0.25 s, 100k ≤ 0.8 s",
    "csec add (flags)": "10k ≤ 0.3 s",
    "csec export --format csv": "100k ≤ 4 s; memory 100k ≤ 400 MB",
}


@dataclass
class Measurement:
    """One command at one size: wall times (s) and peak RSS (MB) of each run, or why none."""

    seconds: list[float]
    megabytes: list[float]
    note: str = ""

    def cell(self) -> str:
        """`0.21 s · 48 MB`, or the note (n/a, an error)."""
        if self.note:
            return self.note
        return (
            f"{statistics.median(self.seconds):.2f} s · {statistics.median(self.megabytes):.0f} MB"
        )


def run_once(command: list[str], environment: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall time, peak RSS in MB, exit code and the start of stderr of one fresh process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            env=environment,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read(300).decode("utf-8", "replace").strip().splitlines()
    return seconds, usage.ru_maxrss / 1024, process.returncode, message[-1] if message else ""


def run_token(number: int) -> str:
    """A word for run `number`, unlike every other run's (hex digits of a hash)."""
    return hashlib.sha256(str(number).encode()).hexdigest()[:32]


def measure(
    command: list[str],
    environment: dict[str, str],
    repeat: int,
    before_each: Callable[[int], None] | None = None,
) -> Measurement:
    """Run `command` `repeat` times (calling `before_each(i)` first, if given); `{n}` in it
    becomes the run's number, `{token}` its run_token."""
    result = Measurement([], [])
    for number in range(repeat):
        if before_each is not None:
            before_each(number)
        seconds, megabytes, code, message = run_once(
            [part.format(n=number, token=run_token(number)) for part in command], environment
        )
        if code != 0:
            return Measurement([], [], f"error (exit {code}: {message[:60]})")
        result.seconds.append(seconds)
        result.megabytes.append(megabytes)
    return result


def has_command(csec: str, name: str, environment: dict[str, str]) -> bool:
    """Whether this csec has the command `name`."""
    probe = [csec, name, "--help"]
    return subprocess.run(probe, capture_output=True, env=environment, check=False).returncode == 0


def generated_catalogue(size: int, folder: Path) -> Path:
    """The synthetic catalogue of `size` resources, generated once per generator version."""
    version = hashlib.sha256((HERE / "generate_catalogue.py").read_bytes()).hexdigest()[:12]
    path = folder / f"catalogue-{size}-{version}.toml"
    if not path.exists():
        print(f"generating {size:,} resources …", file=sys.stderr, flush=True)
        # In a child process: a forked child's peak RSS counts its parent's memory, so this
        # process stays small to keep the measured peaks honest.
        generator = [sys.executable, str(HERE / "generate_catalogue.py"), str(size), str(path)]
        subprocess.run(generator, check=True)
    return path


def edit_one_resource(path: Path, number: int) -> None:
    """Change the title of the resource in the middle of the file, differently each time.

    Done in pieces, never reading the file whole: the csec processes this script starts begin
    as copies of it, so its own size would show in the peak memory measured for small commands.
    """
    middle = path.stat().st_size // 2
    with path.open("rb") as source:
        source.seek(middle)
        window = source.read(1 << 16)
    start = middle + window.index(b"\ntitle = ") + len(b"\ntitle = ")
    end = middle + window.index(b"\n", start - middle)
    title = re.sub(rb" \(edited \d+\)\"$", b'"', window[start - middle : end - middle])
    temporary = path.with_name(path.name + ".editing")
    with path.open("rb") as source, temporary.open("wb") as target:
        remaining = start
        while remaining:
            chunk = source.read(min(remaining, 1 << 20))
            target.write(chunk)
            remaining -= len(chunk)
        target.write(title[:-1] + b' (edited %d)"' % number)
        source.seek(end)
        shutil.copyfileobj(source, target, 1 << 20)
    os.replace(temporary, path)


def without_cache(environment: dict[str, str]) -> None:
    """Delete every cache entry csec has made."""
    shutil.rmtree(Path(environment["XDG_CACHE_HOME"]) / "csec", ignore_errors=True)


def benchmark_size(
    size: int, csec: str, folder: Path, environment: dict[str, str], repeat: int
) -> dict[str, Measurement]:
    """Every row of the table for one catalogue size."""
    source = generated_catalogue(size, folder)
    path = folder / f"work-{size}.toml"
    shutil.copyfile(source, path)
    on = [csec, "--catalogue", str(path)]
    present = {name: has_command(csec, name, environment) for name in ("search", "add", "export")}
    missing = Measurement([], [], "n/a")
    rows: dict[str, Measurement] = {}
    print(f"timing {size:,} resources …", file=sys.stderr, flush=True)
    rows['floor: python -c "import typer, rich, rapidfuzz"'] = measure(
        [sys.executable, "-c", "import typer, rich, rapidfuzz"], environment, repeat
    )
    with_pydantic = "import typer, rich, rapidfuzz, typer._adapters"
    rows["floor + pydantic (Typer 0.29 imports it to read options)"] = measure(
        [sys.executable, "-c", with_pydantic], environment, repeat
    )
    rows["csec --version"] = measure([csec, "--version"], environment, repeat)
    run_once([*on, "list", "--limit", "1"], environment)  # builds the cache, as any earlier use
    rows["csec list --limit 20"] = measure([*on, "list", "--limit", "20"], environment, repeat)
    # info loads and validates the whole catalogue and shows little: the cost of reading.
    info = [*on, "info"]
    rows["csec info (cold: no cache)"] = measure(
        info, environment, repeat, lambda _n: without_cache(environment)
    )
    rows["csec info (first run after an edit)"] = measure(
        info, environment, repeat, lambda n: edit_one_resource(path, n)
    )
    rows["csec info (repeated)"] = measure(info, environment, repeat)
    search = [*on, "search", QUERY]
    cold = f'csec search "{QUERY}" (cold: no cache)'
    first = f'csec search "{QUERY}" (first run after an edit)'
    repeated = f'csec search "{QUERY}" (repeated)'
    if present["search"]:
        rows[cold] = measure(search, environment, repeat, lambda _n: without_cache(environment))
        rows[first] = measure(search, environment, repeat, lambda n: edit_one_resource(path, n))
        rows[repeated] = measure(search, environment, repeat)
    else:
        rows[cold] = rows[first] = rows[repeated] = missing
    if present["add"]:
        copy = folder / f"add-{size}.toml"
        shutil.copyfile(source, copy)
        run_once([csec, "--catalogue", str(copy), "info"], environment)
        add = [csec, "--catalogue", str(copy), "add", *ADD_ARGUMENTS]
        rows["csec add (flags)"] = measure(add, environment, repeat)
        copy.unlink()
    else:
        rows["csec add (flags)"] = missing
    export = [*on, "export", "--format", "csv"]
    rows["csec export --format csv"] = (
        measure(export, environment, repeat) if present["export"] else missing
    )
    return rows


def machine_description() -> str:
    """CPU, cores, Python and load, so the figures can be read in context."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load}, {dt.date.today().isoformat()}"
    )


def main() -> None:
    """Command line: sizes, repetitions, folder for generated catalogues."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per cell (default 5)")
    parser.add_argument("--repeat-large", type=int, default=3, help="runs per cell at 100,000+")
    parser.add_argument(
        "--folder",
        type=Path,
        default=Path(tempfile.gettempdir()) / "csec-benchmark",
        help="where generated catalogues are kept",
    )
    arguments = parser.parse_args()
    csec = str(Path(sys.executable).parent / "csec")
    if not Path(csec).exists():
        csec = shutil.which("csec") or sys.exit("csec is not installed beside this Python")
    arguments.folder.mkdir(parents=True, exist_ok=True)
    before = machine_description()
    results: dict[int, dict[str, Measurement]] = {}
    with tempfile.TemporaryDirectory() as cache_home:
        environment = {**os.environ, "XDG_CACHE_HOME": cache_home, "NO_COLOR": "1"}
        environment.pop("CSEC_CATALOGUE", None)
        for size in arguments.sizes:
            repeat = arguments.repeat_large if size >= 100_000 else arguments.repeat
            results[size] = benchmark_size(size, csec, arguments.folder, environment, repeat)
    print(f"Machine: {before} (load at the end: {machine_description().split('load average ')[1]})")
    print()
    print(
        "| command | "
        + " | ".join(f"{size:,} resources" for size in arguments.sizes)
        + " | target |"
    )
    print("|---|" + "---|" * len(arguments.sizes) + "---|")
    for row, target in TARGETS.items():
        cells = [results[size][row].cell() for size in arguments.sizes]
        print(f"| {row} | " + " | ".join(cells) + f" | {target} |")


if __name__ == "__main__":
    main()
