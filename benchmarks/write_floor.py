"""What `csec add` cannot avoid while it writes a new file and renames it over the old one.

Times, on a copy of a generated catalogue (benchmarks/generate_catalogue.py, as run.py makes
them), the steps of a copy-and-rename write that do not depend on csec's own code: copying the
file inside the kernel (copy_file_range), the fsync of that copy, the SHA-256 of its bytes, and
freeing the old file's blocks when the last reference to it goes (after the rename). Beside
them, what an append in place would cost: one block appended and fsynced. Each figure is the
median of `--repeat` runs, in one process, on the file system of `--folder`.

Example: python benchmarks/write_floor.py --size 100000 --repeat 7
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from run import generated_catalogue, machine_description

_PIECE = 1 << 20
_BLOCK = b'\n[[resources]]\nid = "write-floor"\ntitle = "A block of the usual size"\n' * 8


def copy_in_kernel(source: Path, target: Path) -> int:
    """Copy `source` to `target` with copy_file_range; the open target's descriptor."""
    reading = os.open(source, os.O_RDONLY)
    writing = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    offset = 0
    try:
        while done := os.copy_file_range(reading, writing, _PIECE, offset, offset):
            offset += done
    finally:
        os.close(reading)
    return writing


def one_write(source: Path, old: Path, new: Path) -> dict[str, float]:
    """Seconds of each step, for one copy-and-rename of a fresh `old` and one append."""
    shutil.copyfile(source, old)
    with old.open("rb+") as handle:
        os.fsync(handle.fileno())  # on the disk, as a catalogue written long ago is
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    writing = copy_in_kernel(old, new)
    seconds["copy (copy_file_range)"] = time.perf_counter() - start
    start = time.perf_counter()
    os.fsync(writing)
    seconds["fsync of the copy"] = time.perf_counter() - start
    os.close(writing)
    with old.open("rb") as handle:
        start = time.perf_counter()
        hashlib.file_digest(handle, "sha256")
        seconds["SHA-256 of the file"] = time.perf_counter() - start
        os.replace(new, old)
        # The old file's last reference is this handle: closing it frees its blocks.
        start = time.perf_counter()
        handle.close()
        seconds["freeing the old file after the rename"] = time.perf_counter() - start
    with old.open("ab") as handle:
        start = time.perf_counter()
        handle.write(_BLOCK)
        handle.flush()
        os.fsync(handle.fileno())
        seconds["append one block and fsync (in place)"] = time.perf_counter() - start
    return seconds


def main() -> None:
    """Command line: size, repetitions, folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    arguments = parser.parse_args()
    source = generated_catalogue(arguments.size, Path(tempfile.gettempdir()) / "csec-benchmark")
    runs = []
    with tempfile.TemporaryDirectory(dir=arguments.folder) as scratch:
        old, new = Path(scratch) / "old.toml", Path(scratch) / "new.toml"
        runs = [one_write(source, old, new) for _ in range(arguments.repeat)]
    size = source.stat().st_size
    print(f"Machine: {machine_description()}; {arguments.size:,} resources, {size / 1e6:.0f} MB\n")
    print("| step | median |")
    print("|---|---|")
    for name in runs[0]:
        median = statistics.median(run[name] for run in runs)
        print(f"| {name} | {1000 * median:.1f} ms |")


if __name__ == "__main__":
    sys.exit(main())
