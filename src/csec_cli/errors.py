"""The one user-facing error type; the CLI turns it into a single line on stderr and exit 1."""

import functools


class CsecError(Exception):
    """A problem the user can fix; its message says what happened and what to do."""


class CatalogueUnreadableError(CsecError):
    """The catalogue file is missing, unreadable, not UTF-8, not TOML or of the wrong shape."""


class CatalogueInvalidError(CsecError):
    """The catalogue holds invalid resources, so commands that write refuse to touch it."""


class ResourceNotFoundError(CsecError):
    """No resource (or more than one) answers to the id or prefix the user gave."""


class InvalidValueError(CsecError):
    """A value the user typed (a date, a url, a title…) cannot be stored."""


class ImportFileError(CsecError):
    """A file given to `csec import` cannot be read as the format it claims to be."""


def system_reason(error: OSError) -> str:
    """The operating system's reason for `error` ("Permission denied"), in the interface
    language when csec's catalogue has it (the C library gives it in English), else as the
    system words it."""
    system = error.strerror or str(error)
    wanted = _system_reasons().get(error.errno) if isinstance(error.errno, int) else None
    if wanted is None:
        return system
    from csec_cli.i18n import _

    translated = _(wanted)
    # In English the catalogue gives the text back as it is: the system's own words are kept.
    return system if translated == wanted else translated


@functools.cache
def _system_reasons() -> dict[int, str]:
    import errno

    from csec_cli.i18n import N_

    # The C library's words (glibc's), by the errno each is for; those a platform lacks are left
    # out.
    reasons = {
        "ENOENT": N_("No such file or directory"),
        "EACCES": N_("Permission denied"),
        "EPERM": N_("Operation not permitted"),
        "EISDIR": N_("Is a directory"),
        "ENOTDIR": N_("Not a directory"),
        "ENAMETOOLONG": N_("File name too long"),
        "ENOSPC": N_("No space left on device"),
        "EDQUOT": N_("Disk quota exceeded"),
        "EROFS": N_("Read-only file system"),
        "EEXIST": N_("File exists"),
        "ELOOP": N_("Too many levels of symbolic links"),
        "EBUSY": N_("Device or resource busy"),
        "ETXTBSY": N_("Text file busy"),
        "EIO": N_("Input/output error"),
        "EBADF": N_("Bad file descriptor"),
        "EMFILE": N_("Too many open files"),
        "ENFILE": N_("Too many open files in system"),
        "EXDEV": N_("Invalid cross-device link"),
        "ENOTEMPTY": N_("Directory not empty"),
        "EINVAL": N_("Invalid argument"),
        "EFBIG": N_("File too large"),
        "ENXIO": N_("No such device or address"),
        "ENODEV": N_("No such device"),
        "EAGAIN": N_("Resource temporarily unavailable"),
        "ETIMEDOUT": N_("Connection timed out"),
        "ESTALE": N_("Stale file handle"),
    }
    return {getattr(errno, name): text for name, text in reasons.items() if hasattr(errno, name)}
