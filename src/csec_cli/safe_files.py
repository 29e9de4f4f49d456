"""Open, lock and atomically replace the catalogue file: every failure one clear line, never a mix.

Nothing here knows what a catalogue holds: it reads bytes, holds the lock file for a whole
read-modify-write, and replaces a file through a temporary file in the same folder (fsync,
rename, the old file's permissions kept), so readers see the old file or the new.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from csec_cli.errors import CatalogueUnreadableError, CsecError, system_reason
from csec_cli.i18n import _


@contextmanager
def opened_catalogue(path: Path) -> Iterator[io.BufferedReader]:
    """The catalogue file open for reading; any failure to open or read it is one clear line."""
    try:
        kind = path.stat().st_mode
    except OSError:
        kind = None  # opening it below gives the precise error
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        # Reading a pipe would wait forever, and a device like /dev/zero never ends.
        raise CatalogueUnreadableError(
            _("{path}: not a regular file (a pipe, device or socket)").format(path=path)
        )
    try:
        with path.open("rb") as handle:
            yield handle
    except FileNotFoundError:
        if path.is_symlink():
            raise CatalogueUnreadableError(_dangling_link(path)) from None
        raise CatalogueUnreadableError(
            _(
                "{path}: no such catalogue; create it with `csec init`, `csec add` or `csec "
                "import FILE`"
            ).format(path=path)
        ) from None
    except IsADirectoryError:
        raise CatalogueUnreadableError(_is_a_directory(path)) from None
    except PermissionError:
        raise CatalogueUnreadableError(
            _("{path}: permission denied; cannot read it").format(path=path)
        ) from None
    except OSError as error:
        raise CatalogueUnreadableError(
            _("{path}: cannot read it ({reason})").format(path=path, reason=system_reason(error))
        ) from None


def read_catalogue_bytes(path: Path) -> tuple[bytes, int]:
    """The file's bytes and their modification time (both from one open file, so they agree)."""
    with opened_catalogue(path) as handle:
        return handle.read(), os.fstat(handle.fileno()).st_mtime_ns


def refuse_unwritable(path: Path) -> None:
    """Stop before locking when the file cannot be replaced by this user.

    The atomic rename would succeed on a read-only file in a writable folder; a file its owner
    made read-only is meant to stay as it is. So its owner's write bit decides for every user,
    root too (for whom os.access says yes to everything). A dangling symbolic link is refused,
    never followed to create a folder and a file where it points.
    """
    if path.is_dir():
        raise CatalogueUnreadableError(_is_a_directory(path))
    if path.is_symlink() and not path.exists():
        raise CatalogueUnreadableError(_dangling_link(path))
    if path.exists() and not os.stat(path).st_mode & stat.S_IWUSR:
        raise CatalogueUnreadableError(
            _(
                "{path}: the file is read-only (its owner has no write permission); `chmod u+w "
                "{path}` lets csec change it"
            ).format(path=path)
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CatalogueUnreadableError(
            _("{path}: permission denied; the file is read-only for you").format(path=path)
        )


def _is_a_directory(path: Path) -> str:
    return _("{path}: is a directory, not a catalogue file").format(path=path)


def _dangling_link(path: Path) -> str:
    return _(
        "{path} is a symbolic link to {target}, which does not exist; create that file, or "
        "point the link at the catalogue"
    ).format(path=path, target=os.readlink(path))


@contextmanager
def hold_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock file beside `path` for a whole read-modify-write, waiting up to `timeout`
    seconds for another holder; temporary files a killed writer left are removed under it."""
    path = _real_path(path)
    lock_path = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        release = _flocked(lock_path, timeout)
        if release is None:
            release = _locked_by_filelock(lock_path, timeout)
    except _LockTimeout:
        raise CsecError(
            _(
                "{path}: another csec process has held the lock for {seconds:.0f} s; try again "
                "when it has finished"
            ).format(path=path, seconds=timeout)
        ) from None
    except PermissionError:
        raise CsecError(
            _("{folder}: permission denied; cannot write the catalogue").format(folder=path.parent)
        ) from None
    except OSError as error:
        raise CsecError(
            _("{folder}: cannot write the catalogue here ({reason})").format(
                folder=path.parent, reason=system_reason(error)
            )
        ) from None
    # Only taking the lock is guarded above: an error inside the block keeps its own message.
    try:
        _remove_stale_temporary_files(path)
        yield
    finally:
        release()


class _LockTimeout(Exception):
    """Another process held the lock for the whole timeout."""


# How often a waiting writer tries the lock again (filelock's default too).
_LOCK_POLL_SECONDS = 0.05
# What flock says when another process holds the lock (EACCES on some file systems).
_HELD_ELSEWHERE = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK})


def _flocked(lock_path: Path, timeout: float) -> Callable[[], None] | None:
    """Take flock on the lock file (the kernel releases it when a process dies), waiting up to
    `timeout` seconds; what releases it, or None where flock cannot be used here (another
    system, a file system without flock, a lock file that is a link): filelock then decides.

    The same lock filelock takes on POSIX, without importing filelock, which costs every write
    12 ms (a tenth of `csec add` on 10,000 resources).
    """
    try:
        import fcntl
    except ImportError:
        return None
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(lock_path, flags, 0o666)
    except PermissionError:
        raise
    except OSError:
        return None
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError as error:
            if error.errno not in _HELD_ELSEWHERE:
                os.close(descriptor)
                return None
        if time.monotonic() >= deadline:
            os.close(descriptor)
            raise _LockTimeout
        time.sleep(_LOCK_POLL_SECONDS)

    def release() -> None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    return release


def _locked_by_filelock(lock_path: Path, timeout: float) -> Callable[[], None]:
    """The lock taken by filelock, for where flock cannot be used directly."""
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise _LockTimeout from None
    return lock.release


def _real_path(path: Path) -> Path:
    """The file a symbolic link points to: renaming over the link itself would cut it off from
    the file the user keeps (in a synced folder or a git checkout, say)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _remove_stale_temporary_files(path: Path) -> None:
    # Under the lock no other writer is between writing and renaming, so any temporary file left
    # here belongs to a writer that was killed.
    if not path.parent.is_dir():
        return
    for leftover in path.parent.glob(f"{_temporary_prefix(path)}*.tmp"):
        leftover.unlink(missing_ok=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`."""
    with replacing_file(path) as handle:
        handle.write(data)


@contextmanager
def replacing_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path`, open for writing: when the block succeeds it is fsynced,
    given `path`'s permissions and renamed over it; when anything fails it is removed, and an
    OSError becomes one line saying the catalogue is unchanged."""
    path = _real_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        descriptor, temporary = tempfile.mkstemp(
            prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise _write_failed(path, error) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_failed(path, error) from None
        raise
    _fsync_directory(path.parent)


def _write_failed(path: Path, error: OSError) -> CsecError:
    """A write that failed part-way (disk full, say): the catalogue is as it was before."""
    return CsecError(
        _("{path}: could not write the catalogue ({reason}); it is unchanged").format(
            path=path, reason=system_reason(error)
        )
    )


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
