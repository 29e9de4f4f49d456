"""The two consoles: `out` for data on stdout, `err` for messages on stderr.

Rich looks up sys.stdout/sys.stderr at write time, leaves out colour when the stream is not a
terminal, and honours NO_COLOR, so these two objects serve every command and test.
"""

from __future__ import annotations

from rich.console import Console

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
