"""The key of one file's exact bytes (path, size, mtime, SHA-256): has the file changed since?"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path


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
        mtime_ns = os.fstat(handle.fileno()).st_mtime_ns
        digest = hashlib.file_digest(handle, "sha256")
        return cls(str(path.absolute()), handle.tell(), mtime_ns, digest.hexdigest())
