"""Time `csec --help` and `csec CMD --help` beside a search of the seed; print a markdown table.

The issue's yardstick: help should be as quick as `csec search "labour inspectors"` on the
shipped seed (the default catalogue, read-only, its cache warm). The commands run in turn, round
after round, so a change in the machine's load falls on all of them alike. Each cell is the
median of fresh processes: wall time, and CPU time (user + system, from wait4), which a busy
machine disturbs less. Bytecode is used, as after an install (PYTHONDONTWRITEBYTECODE is
removed from the environment, and one run of each warms the cache and the bytecode).

Example: python benchmarks/help_speed.py             (about a minute)
         python benchmarks/help_speed.py --repeat 21 --csec /path/to/another/csec
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import QUERY, machine_description

COMMANDS = {
    "csec --version": ["--version"],
    f'csec search "{QUERY}" (the seed)': ["search", QUERY],
    "csec --help": ["--help"],
    "csec list --help": ["list", "--help"],
    "csec edit --help": ["edit", "--help"],
    "csec search --help": ["search", "--help"],
}


def run_once(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process, in seconds."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        message = process.stderr.read().decode(errors="replace") if process.stderr else ""
        sys.exit(f"{' '.join(command)} failed: {message.strip()[:200]}")
    if process.stderr:
        process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    """Command line: how many rounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="rounds (default 11)")
    parser.add_argument(
        "--csec", help="the csec to time (default: the one installed beside this Python)"
    )
    arguments = parser.parse_args()
    csec = arguments.csec or str(Path(sys.executable).parent / "csec")
    if not Path(csec).exists():
        csec = shutil.which("csec") or sys.exit("csec is not installed beside this Python")
    before = machine_description()
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory() as home:
        environment = {
            **os.environ,
            "HOME": home,
            "XDG_DATA_HOME": str(Path(home) / "data"),
            "XDG_CACHE_HOME": str(Path(home) / "cache"),
            "NO_COLOR": "1",
            "COLUMNS": "100",
        }
        for name in ("CSEC_CATALOGUE", "PYTHONDONTWRITEBYTECODE"):
            environment.pop(name, None)
        for arguments_of in COMMANDS.values():  # warm: the seed's cache, the bytecode
            run_once([csec, *arguments_of], environment)
        for _round in range(arguments.repeat):
            for name, arguments_of in COMMANDS.items():
                wall, cpu = run_once([csec, *arguments_of], environment)
                walls[name].append(wall)
                cpus[name].append(cpu)
    after = machine_description().split("load average ")[1]
    print(f"Machine: {before} (load at the end: {after}); median of {arguments.repeat} runs")
    print()
    print("| command | wall time | CPU time |")
    print("|---|---|---|")
    for name in COMMANDS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"| {name} | {wall:.3f} s | {cpu:.3f} s |")


if __name__ == "__main__":
    main()
