"""The two consoles: `out` for data on stdout, `err` for messages on stderr.

Rich looks up sys.stdout/sys.stderr at write time, leaves out colour when the stream is not a
terminal, and honours NO_COLOR, so these two objects serve every command and test.
"""

from __future__ import annotations

from rich.console import Console, ConsoleDimensions

# Rich takes COLUMNS as it is: at 0 it writes nothing at all (an error would exit silently),
# and a usage error's box a few cells wide has no room left for its message. A width of 0 means
# "unknown", as rich already reads a terminal that reports 0; anything else narrower than
# MIN_WIDTH is laid out at MIN_WIDTH, wider than the window but every word still there.
MIN_WIDTH = 20
UNKNOWN_WIDTH = 80


class _Console(Console):
    """Rich's console, never narrower than MIN_WIDTH."""

    def _usable_size(self) -> ConsoleDimensions:
        width, height = Console.size.fget(self)  # type: ignore[attr-defined]
        if width >= MIN_WIDTH:
            return ConsoleDimensions(width, height)
        return ConsoleDimensions(UNKNOWN_WIDTH if width <= 0 else MIN_WIDTH, height)

    size = property(_usable_size, Console.size.fset)  # type: ignore[attr-defined]


out: Console = _Console(highlight=False)
err: Console = _Console(stderr=True, highlight=False)
