"""The versions a catalogue had before csec's last writes, kept outside it for `csec undo`.

Each catalogue (named by its resolved path) has a folder in the user's data folder, e.g.
~/.local/share/csec/history/<hash>/, holding `versions.json` (what each write was, and the size
and SHA-256 of the file before and after it) and, for a rewrite, the file as it was before
(`<n>.toml`: a hard link to the replaced file when the folder is on the same disk, so keeping it
costs no copy, else a copy). An append keeps no bytes at all: the version before it is the start
of the file after it. The last KEPT_VERSIONS writes are kept. Everything here runs under the
catalogue's lock, and `versions.json` is replaced whole, so readers see it before or after a
write. Keeping a version is never allowed to stop a write: if the folder cannot be written, that
write just cannot be undone (`csec history` shows what can).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from csec_cli.errors import CsecError
from csec_cli.file_key import CacheKey
from csec_cli.i18n import _
from csec_cli.safe_files import replacing_file

# Enough to step back through an afternoon's work; at 100,000 resources (80 MB) each kept
# rewrite costs its size in disk space, while appends (`csec add`) cost nothing.
KEPT_VERSIONS = 20
_LOG = "versions.json"
_PIECE = 1 << 20

# copy: the old bytes are kept in <number>.toml; prefix: they are the first `size_before` bytes
# of the file as written; absent: there was no file, and undo removes it.
Kind = Literal["copy", "prefix", "absent"]


@dataclass(frozen=True)
class Version:
    """One write csec can undo: what it was, and the file before and after it."""

    number: int
    when: str  # ISO 8601, UTC
    change: str  # e.g. "remove labour-inspection-csec"
    kind: Kind
    resources_before: int
    resources_after: int
    size_before: int
    digest_before: str
    size_after: int
    digest_after: str

    @property
    def written_at(self) -> dt.datetime:
        """When the write happened, in UTC."""
        return dt.datetime.fromisoformat(self.when)


def history_folder(catalogue_path: Path) -> Path:
    """The folder of one catalogue's versions, named by a hash of its resolved path."""
    from platformdirs import user_data_path

    resolved = os.path.realpath(catalogue_path)
    name = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return user_data_path("csec", appauthor=False) / "history" / name


def list_versions(catalogue_path: Path) -> list[Version]:
    """The writes that can be undone, oldest first (an unreadable log is an empty history)."""
    try:
        log = json.loads((history_folder(catalogue_path) / _LOG).read_text(encoding="utf-8"))
        return [Version(**entry) for entry in log["versions"]]
    except (OSError, ValueError, TypeError, KeyError):
        return []


def file_matches(path: Path, version: Version) -> bool:
    """Whether the catalogue still holds exactly the bytes `version`'s write left there."""
    try:
        key = CacheKey.of_file(path) if os.path.lexists(path) else None
    except OSError:
        return False
    return key is not None and (key.size, key.digest) == (version.size_after, version.digest_after)


class KeptVersion:
    """The file as it was before one write, kept until the write is recorded or abandoned."""

    def __init__(self, path: Path, before: CacheKey | None, appended: bool) -> None:
        self.path = path
        self.folder = history_folder(path)
        self.versions = list_versions(path)
        self.number = max((version.number for version in self.versions), default=0) + 1
        self.before = before
        self.kind: Kind | None
        if before is None:
            self.kind = "absent"
        elif appended:
            self.kind = "prefix"
        else:
            self.kind = "copy" if self._keep_bytes() else None

    def _copy_path(self) -> Path:
        return self.folder / f"{self.number}.toml"

    def _keep_bytes(self) -> bool:
        target = self._copy_path()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            try:
                # The write replaces the file by renaming a new one over it, so the old bytes
                # live on under this second name and nothing is copied.
                os.link(os.path.realpath(self.path), target)
            except OSError:
                shutil.copyfile(self.path, target)
        except OSError:
            self._forget_copy()
            return False
        return True

    def _forget_copy(self) -> None:
        with contextlib.suppress(OSError):
            self._copy_path().unlink(missing_ok=True)

    def abandon(self) -> None:
        """The write failed: the file is as it was, so there is nothing to undo."""
        if self.kind == "copy":
            self._forget_copy()

    def record(self, change: str, before: int, after: int, written: CacheKey | None) -> None:
        """Note the write that just put `written` in place; forget the oldest beyond the bound."""
        if self.kind is None:
            return
        try:
            if written is None:
                written = CacheKey.of_file(self.path)
            if written is None:
                return
            version = Version(
                number=self.number,
                when=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                change=change,
                kind=self.kind,
                resources_before=before,
                resources_after=after,
                size_before=self.before.size if self.before else 0,
                digest_before=self.before.digest if self.before else "",
                size_after=written.size,
                digest_after=written.digest,
            )
            _store(self.path, [*self.versions, version][-KEPT_VERSIONS:])
        except OSError:
            self.abandon()


def keep_previous(path: Path, before: CacheKey | None, *, appended: bool) -> KeptVersion:
    """Keep the catalogue at `path` as it is now, before a write replaces it.

    `before` is the key of its bytes as read under the lock (None: there is no file yet);
    `appended` says the write only adds bytes at the end, so none need keeping.
    """
    return KeptVersion(path, before, appended)


def _store(path: Path, versions: list[Version]) -> None:
    """Write the log, then remove the kept copies no version refers to any more."""
    folder = history_folder(path)
    folder.mkdir(parents=True, exist_ok=True)
    log: dict[str, Any] = {
        "catalogue": os.path.realpath(path),
        "versions": [asdict(version) for version in versions],
    }
    # Renamed into place, so a killed run leaves the old log or the new, but not fsynced: that
    # would double the time a write spends waiting for the disk, and what a power cut can cost
    # here is the history (digests make a wrong undo impossible), never the catalogue.
    descriptor, temporary = tempfile.mkstemp(prefix=".versions.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            # ASCII, with \u escapes: a path that is not UTF-8 (a surrogate here) is kept, not an error.
            handle.write(json.dumps(log, indent=1).encode("ascii"))
        os.replace(temporary, folder / _LOG)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    kept = {f"{version.number}.toml" for version in versions if version.kind == "copy"}
    # Under the catalogue's lock, so a temporary log here is one a killed run left.
    for leftover in [*folder.glob("*.toml"), *folder.glob(".versions.*.tmp")]:
        if leftover.name not in kept:
            leftover.unlink(missing_ok=True)


def undo_last(path: Path) -> Version:
    """Put back the catalogue as it was before csec's last write to it; call under its lock.

    Refused when there is nothing to undo, or when the file is no longer what that write left
    (edited by hand, or by a `git pull`): undoing then would lose that change.
    """
    versions = list_versions(path)
    if not versions:
        raise CsecError(
            _("{path}: nothing to undo; csec keeps the versions of its own writes only").format(
                path=path
            )
        )
    last = versions[-1]
    if not file_matches(path, last):
        raise CsecError(
            _(
                "{path} changed since csec's last write to it (`{change}`, {time}); undo would "
                "lose that change, so the file is left as it is"
            ).format(path=path, change=last.change, time=local_time(last))
        )
    if last.kind == "absent":
        Path(os.path.realpath(path)).unlink()
    else:
        source = history_folder(path) / f"{last.number}.toml" if last.kind == "copy" else path
        _restore(path, source, last)
    _store(path, versions[:-1])
    return last


def _restore(path: Path, source: Path, version: Version) -> None:
    """Replace the catalogue with the first `size_before` bytes of `source`, checked."""
    digest = hashlib.sha256()
    try:
        with source.open("rb") as reading, replacing_file(path) as target:
            left = version.size_before
            while left and (piece := reading.read(min(_PIECE, left))):
                target.write(piece)
                digest.update(piece)
                left -= len(piece)
            if left or digest.hexdigest() != version.digest_before:
                raise _Damaged
    except (_Damaged, FileNotFoundError):
        raise CsecError(
            _(
                "{path}: the kept version from before `{change}` is missing or damaged; the file "
                "is left as it is"
            ).format(path=path, change=version.change)
        ) from None


class _Damaged(Exception):
    """The kept bytes are not those the write replaced."""


def local_time(version: Version) -> str:
    """When a version's write happened, in local time to the minute, as people read it."""
    return version.written_at.astimezone().strftime("%Y-%m-%d %H:%M")
