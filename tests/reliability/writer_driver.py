"""A small program that drives the core's writers, for the crash and concurrency tests.

Run as `python writer_driver.py CATALOGUE OP ARGS...`; it prints `done` when every write is in.
The tests kill it with SIGKILL at random moments, or run dozens at once. Ops:
  append ID                 append_resource one resource
  append-many PREFIX N      append PREFIX-0 … PREFIX-(N-1), one write each
  edit ID TITLE             updating_catalogue: set ID's title
  bump ID TOKEN             updating_catalogue: add TOKEN to ID's topics (a read-modify-write)
  watch SECONDS             read repeatedly; exit 3 on any torn or shrinking read
  die-at FUNCTION ID        append ID, but SIGKILL itself when os.FUNCTION is first called
                            (fsync: temporary file written; replace: just before the rename)
  die-mid-copy ID           append ID, but SIGKILL itself once the copy of the catalogue into
                            the temporary file is under way (copied in 4 KiB pieces)
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from csec_cli import catalogue as catalogue_module
from csec_cli.catalogue import (
    CatalogueLocation,
    append_resource,
    load_catalogue,
    updating_catalogue,
)
from csec_cli.errors import CsecError
from csec_cli.models import Resource


def new_resource(resource_id: str) -> Resource:
    """A resource whose text exercises quoting, so a torn write is easy to notice."""
    return Resource(
        id=resource_id,
        title=f'Resource {resource_id}: "quoted", back\\slash, ünïcødé',
        summary=f"Written by the driver.\nSecond line of {resource_id}.",
        topics=("reliability",),
    )


def _is_catalogue_temporary(descriptor: object, catalogue_name: str) -> bool:
    """Whether an open file descriptor is the catalogue's temporary file."""
    try:
        target = os.readlink(f"/proc/self/fd/{descriptor}")
    except OSError:
        return True  # cannot tell: keep the original behaviour and die
    return Path(target).name.startswith(f".{catalogue_name}.")


def main(arguments: list[str]) -> int:
    path, op, *rest = arguments
    location = CatalogueLocation(Path(path), "--catalogue")
    if op == "append":
        append_resource(location, new_resource(rest[0]))
    elif op == "die-at":
        # Random kills rarely land inside the few milliseconds of the write itself; this lands
        # there every time.
        function, resource_id = rest

        real = getattr(os, function)
        catalogue_name = Path(path).name

        def die(*args: object, **kwargs: object) -> object:
            # Only the catalogue's own write counts: the parse cache also writes and renames
            # files (in the user's cache folder), and dying there would test nothing.
            if function == "replace" and Path(str(args[1])).name != catalogue_name:
                return real(*args, **kwargs)
            if function == "fsync" and not _is_catalogue_temporary(args[0], catalogue_name):
                return real(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
            return None

        setattr(os, function, die)
        append_resource(location, new_resource(resource_id))
    elif op == "die-mid-copy":
        real_replacing = catalogue_module.replacing_file

        class DyingWriter:
            """Passes writes on, and dies at the third: the file is partly copied."""

            def __init__(self, handle: BinaryIO) -> None:
                self.handle, self.writes = handle, 0

            def write(self, data: bytes) -> int:
                self.writes += 1
                if self.writes == 3:
                    os.kill(os.getpid(), signal.SIGKILL)
                return self.handle.write(data)

        @contextmanager
        def replacing_then_dying(target: Path) -> Iterator[DyingWriter]:
            with real_replacing(target) as handle:
                yield DyingWriter(handle)

        catalogue_module._COPY_PIECE = 4096
        catalogue_module.replacing_file = replacing_then_dying  # type: ignore[assignment]
        append_resource(location, new_resource(rest[0]))
    elif op == "append-many":
        prefix, count = rest[0], int(rest[1])
        for number in range(count):
            append_resource(location, new_resource(f"{prefix}-{number}"))
    elif op in ("edit", "bump"):
        resource_id, value = rest
        with updating_catalogue(location) as catalogue:
            for index, resource in enumerate(catalogue.resources):
                if resource.id == resource_id:
                    changed = (
                        resource.with_changes(title=value)
                        if op == "edit"
                        else resource.with_changes(topics=(*resource.topics, value))
                    )
                    catalogue.resources[index] = changed
    elif op == "watch":
        deadline = time.monotonic() + float(rest[0])
        seen, reads = 0, 0
        while time.monotonic() < deadline:
            try:
                catalogue = load_catalogue(location.path)
            except CsecError as error:
                print(f"torn read: {error}")
                return 3
            if catalogue.problems or len(catalogue.resources) < seen:
                print(f"bad read: {catalogue.problems[:1]} {len(catalogue.resources)} < {seen}")
                return 3
            seen, reads = len(catalogue.resources), reads + 1
        print(f"reads {reads}")
    else:
        raise SystemExit(f"unknown op {op}")
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
