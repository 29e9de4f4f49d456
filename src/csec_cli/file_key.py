"""The key of one file's exact bytes (path, size, mtime, SHA-256): has the file changed since?

Hashing a catalogue of 100,000 resources (about 80 MB) costs 0.1-0.3 s on every command, a stat
2 microseconds. So, as git's index does, a file's stat fingerprint (device, inode, size,
modification and change times in nanoseconds) may stand for the hash its bytes had, but only
when the fingerprint was noted well after the file last changed (`settled`): git's answer to
"racy" timestamps. A file changed again within the same timestamp tick as the hash would keep
its fingerprint; one whose times were already RACY_MARGIN_NS old when hashing began cannot,
since any later write sets its change time to a later tick (and nothing, not `touch -d`, sets
a change time back).
"""

from __future__ import annotations

import io
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

# How old a file's modification and change times must be, when its hash begins, for its stat
# fingerprint to stand for the hash: beyond the 2 s granularity of FAT times and the few
# milliseconds by which the kernel's timestamps lag the clock, with room for a little clock skew
# between a network file server and this machine.
RACY_MARGIN_NS = 2_000_000_000

Fingerprint = tuple[int, int, int, int, int]


def fingerprint(status: os.stat_result) -> Fingerprint:
    """What stands for a file's bytes while it is unchanged: device, inode, size, mtime, ctime."""
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def settled(status: os.stat_result, hashed_from_ns: int) -> bool:
    """Whether the file with `status` was last changed long enough before `hashed_from_ns` (when
    reading it for its hash began, by time.time_ns) for its fingerprint to stand for that hash."""
    latest = max(status.st_mtime_ns, status.st_ctime_ns)
    return latest + RACY_MARGIN_NS <= hashed_from_ns


@dataclass(frozen=True)
class CacheKey:
    """What a cache entry is valid for: one catalogue path holding exactly these bytes."""

    path: str
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: Path, data: bytes, mtime_ns: int) -> CacheKey:
        """The key of `data`, read from `path` whose modification time was `mtime_ns`."""
        import hashlib  # here, not at the top: loading OpenSSL costs `csec --help` 20-40 ms

        return cls(str(path.absolute()), len(data), mtime_ns, hashlib.sha256(data).hexdigest())

    @classmethod
    def of_file(cls, path: Path) -> CacheKey | None:
        """The key of the regular file at `path` as it is now, read in pieces (never whole into
        memory), or None if it is not a regular file. Raises OSError if it cannot be read."""
        # Checked before opening: opening a named pipe would wait for a writer, forever.
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return cls.of_handle(path, handle)

    @classmethod
    def of_handle(cls, path: Path, handle: io.BufferedReader) -> CacheKey:
        """The key of the file at `path`, open as `handle` at its start, read in pieces."""
        return cls.hashed(path, handle)[0]

    @classmethod
    def hashed(cls, path: Path, handle: io.BufferedReader) -> tuple[CacheKey, Fingerprint | None]:
        """The key of the file open as `handle` at its start (read in pieces), and its stat
        fingerprint if that may stand for the hash from now on (see `settled`), else None."""
        import hashlib

        started = time.time_ns()
        before = os.fstat(handle.fileno())
        digest = hashlib.file_digest(handle, "sha256")
        key = cls(str(path.absolute()), handle.tell(), before.st_mtime_ns, digest.hexdigest())
        after = os.fstat(handle.fileno())
        noted = fingerprint(before)
        if noted != fingerprint(after) or not settled(before, started) or key.size != noted[2]:
            return key, None
        return key, noted
