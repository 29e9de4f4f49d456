"""Time csec's start-up under an English and a Spanish locale, now and before issue 18; a table.

Issue 18's yardstick: `csec --version`, `csec search "labour inspectors"` and `csec list` on the
shipped seed stay within 1.05× of their time before the Spanish interface, under a Spanish
locale. Each command runs as a fresh process under LANG=C.UTF-8 and under LANG=es_ES.UTF-8 (the
other locale variables and CSEC_LANG removed, so LANG decides), on a temporary copy of the seed,
with its cache warm. Given `--before` (the csec of a checkout of commit ce575b3, the last one
before issue 18), the same commands run with it too. Every command, locale and csec runs in
turn, round after round, so a change in the machine's load falls on all of them alike. Each cell
is the median of fresh processes: wall time, and CPU time (user + system, from wait4), which a
busy machine disturbs less. Bytecode is used, as after an install (PYTHONDONTWRITEBYTECODE is
removed from the environment, and one run of each warms the cache and the bytecode).

Example: python benchmarks/startup_language.py --repeat 21 --before /tmp/before-18/.venv/bin/csec
         (the before tree: git worktree add /tmp/before-18 ce575b3, then a venv with
         `pip install -e .` in it)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from help_speed import run_once
from run import QUERY, machine_description

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "resources.toml"  # the seed csec ships, read only
TARGET = 1.05
LOCALES = {"en": "C.UTF-8", "es": "es_ES.UTF-8"}
# The commands, after `csec`; {catalogue} is the temporary copy of the seed.
COMMANDS = {
    "csec --version": ["--version"],
    f'csec search "{QUERY}"': ["--catalogue", "{catalogue}", "search", QUERY],
    "csec list": ["--catalogue", "{catalogue}", "list"],
}
# The variables that would choose the language before LANG does.
LANGUAGE_VARIABLES = ("CSEC_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")


def environments(home: Path) -> dict[str, dict[str, str]]:
    """One environment per locale, each with its own home, cache and data folders."""
    found = {}
    for code, locale_name in LOCALES.items():
        environment = {
            **os.environ,
            "HOME": str(home / code),
            "XDG_DATA_HOME": str(home / code / "data"),
            "XDG_CACHE_HOME": str(home / code / "cache"),
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "LANG": locale_name,
        }
        for name in ("CSEC_CATALOGUE", "PYTHONDONTWRITEBYTECODE", *LANGUAGE_VARIABLES):
            environment.pop(name, None)
        found[code] = environment
    return found


def check_language(csec: str, environments_by_code: dict[str, dict[str, str]]) -> None:
    """Stop unless csec speaks each locale's language: else the table would compare nothing."""
    for code, environment in environments_by_code.items():
        shown = subprocess.run(
            [csec, "info", "--json"], capture_output=True, text=True, env=environment, check=True
        )
        spoken = json.loads(shown.stdout).get("language")
        if spoken != code:
            sys.exit(f"under LANG={LOCALES[code]} csec speaks {spoken!r}, not {code!r}")


def ratio(numerator: list[float], denominator: list[float]) -> str:
    """The ratio of two medians, as `1.02×`."""
    return f"{statistics.median(numerator) / statistics.median(denominator):.2f}×"


def main() -> None:
    """Command line: how many rounds, which csec now and which before."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="rounds (default 11)")
    parser.add_argument(
        "--csec", help="the csec to time (default: the one installed beside this Python)"
    )
    parser.add_argument(
        "--before", help="the csec of a checkout before issue 18 (commit ce575b3), to compare with"
    )
    arguments = parser.parse_args()
    csec = arguments.csec or str(Path(sys.executable).parent / "csec")
    if not Path(csec).exists():
        csec = shutil.which("csec") or sys.exit("csec is not installed beside this Python")
    if arguments.before and not Path(arguments.before).exists():
        sys.exit(f"--before {arguments.before}: no such file")
    trees = {"now": csec, **({"before": arguments.before} if arguments.before else {})}
    before = machine_description()
    # (tree, locale code, command name) → wall times, CPU times
    walls: dict[tuple[str, str, str], list[float]] = {}
    cpus: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        runs = []
        for tree, program in trees.items():
            # Each csec its own copy: the two versions' caches of one file would replace each other.
            catalogue = home / f"{tree}.toml"
            shutil.copyfile(SEED, catalogue)
            by_code = environments(home / tree)
            if tree == "now":
                check_language(program, by_code)
            for code, environment in by_code.items():
                for name, arguments_of in COMMANDS.items():
                    command = [program, *(a.format(catalogue=catalogue) for a in arguments_of)]
                    runs.append(((tree, code, name), command, environment))
        for key, command, environment in runs:  # warm: the cache, the bytecode
            run_once(command, environment)
            walls[key], cpus[key] = [], []
        for _round in range(arguments.repeat):
            for key, command, environment in runs:
                wall, cpu = run_once(command, environment)
                walls[key].append(wall)
                cpus[key].append(cpu)
    after = machine_description().split("load average ")[1]
    print(f"Machine: {before} (load at the end: {after}); median of {arguments.repeat} runs")
    print()
    columns = [(tree, code) for tree in ("before", "now") if tree in trees for code in LOCALES]
    headings = [f"{tree}, LANG={LOCALES[code]}: wall · CPU" for tree, code in columns]
    ratios = ["es now ÷ en now: wall · CPU"]
    if "before" in trees:
        ratios.append("es now ÷ en before: wall · CPU")
    print("| command | " + " | ".join(headings + ratios) + " |")
    print("|---" * (1 + len(headings) + len(ratios)) + "|")
    for name in COMMANDS:
        cells = []
        for tree, code in columns:
            wall = statistics.median(walls[tree, code, name])
            cpu = statistics.median(cpus[tree, code, name])
            cells.append(f"{wall:.3f} s · {cpu:.3f} s")
        spanish = ("now", "es", name)
        for base in [("now", "en", name)] + ([("before", "en", name)] if "before" in trees else []):
            cells.append(
                f"{ratio(walls[spanish], walls[base])} · {ratio(cpus[spanish], cpus[base])}"
            )
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print()
    print(f"Target: es now ÷ en before within {TARGET:.2f}× (issue 18).")


if __name__ == "__main__":
    main()
