"""A git merge driver for csec's .po files: both sides' translations kept, none lost.

Two branches that each translate messages rewrite the same catalogue, in the same order, so a
line-by-line merge conflicts everywhere although the translations never disagree. This keeps
every message of both sides; where both translated one message differently, the current
branch's wording wins. Enable it once per clone (docs/translating.md):

    git config merge.csec-po.driver "python3 tools/merge_po.py %A %B"
    git config merge.csec-mo.driver "true"   # then: python tools/translations.py update
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translations import read_catalogue, write_catalogue


def merge(current: Path, other: Path) -> None:
    ours = read_catalogue(current)
    theirs = read_catalogue(other)
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, context=message.context)
        if mine is None:
            ours[message.id] = message
        elif (not mine.string or mine.fuzzy) and message.string and not message.fuzzy:
            mine.string = message.string
            mine.flags.discard("fuzzy")
    write_catalogue(ours, current)


if __name__ == "__main__":
    merge(Path(sys.argv[1]), Path(sys.argv[2]))
