"""Make the docs' pictures: SVG screenshots of csec, drawn by rich's own export.

Each command runs as a user would run it (the installed `csec`, colour forced, a fixed width,
the shipped seed catalogue read only); its output is replayed into a recording rich Console and
saved as docs/<name>.svg. Re-run after any change to the output:

    .venv/bin/python docs/screenshots.py

A command that fails (e.g. one not merged yet) is reported and skipped; the others are still made.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

DOCS = Path(__file__).resolve().parent
SEED = DOCS.parent / "data" / "resources.toml"

# (file name, command arguments, terminal width)
SHOTS = [
    ("list", ["list"], 120),
    ("search", ["search", "labour inspectors"], 120),
    ("stats", ["stats"], 90),
]


def installed_csec() -> str:
    """The csec script beside this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "csec"
    found = str(beside) if beside.exists() else shutil.which("csec")
    if not found:
        sys.exit("csec is not installed in this environment: pip install -e . first")
    return found


def capture(arguments: list[str], width: int) -> subprocess.CompletedProcess[str]:
    """Run csec on the seed catalogue as on a colour terminal `width` columns wide."""
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env.update(FORCE_COLOR="1", COLUMNS=str(width), LINES="200", TERM="xterm-256color")
    return subprocess.run(
        [installed_csec(), "--catalogue", str(SEED), *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def save_screenshot(name: str, arguments: list[str], width: int) -> bool:
    """Write docs/<name>.svg; False (and a message) if the command failed."""
    result = capture(arguments, width)
    if result.returncode != 0:
        print(f"skipped {name}.svg: csec {' '.join(arguments)} exited {result.returncode}: "
              f"{result.stderr.strip()[:200]}", file=sys.stderr)  # fmt: skip
        return False
    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True)
    shown = " ".join(f'"{arg}"' if " " in arg else arg for arg in arguments)
    console.print(Text.assemble(("$ ", "bold green"), f"csec {shown}"))
    console.print(Text.from_ansi(result.stdout.rstrip("\n")), soft_wrap=True)
    console.save_svg(str(DOCS / f"{name}.svg"), title=f"csec {shown}")
    print(f"wrote docs/{name}.svg")
    return True


def main() -> int:
    """Make every screenshot; exit 1 if any was skipped."""
    made = [save_screenshot(name, arguments, width) for name, arguments, width in SHOTS]
    return 0 if all(made) else 1


if __name__ == "__main__":
    sys.exit(main())
