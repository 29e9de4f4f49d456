"""The one user-facing error type; the CLI turns it into a single line on stderr and exit 1."""


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
