"""Messages on stderr for command modules, loading rich only when one is shown.

A scripted `csec add` shows one plain line, "Added …", and importing rich would be a fifth of
its run; so these stand in for csec_cli.render's functions of the same names, importing it on
first use, and print_note writes a line that rich would write unchanged without it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from csec_cli.models import show_control_characters

if TYPE_CHECKING:
    from csec_cli.models import Resource


def print_note(message: str) -> None:
    """render.print_note: the message on stderr as written, control characters made visible."""
    text = show_control_characters(message)
    if "\t" in text:  # rich expands tabs to its own tab stops: leave that to it
        from csec_cli import render

        render.print_note(message)
        return
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def print_warning(message: str) -> None:
    """render.print_warning: `Warning: …` on stderr."""
    from csec_cli import render

    render.print_warning(message)


def print_hint(message: str) -> None:
    """render.print_hint: an indented hint under a question."""
    from csec_cli import render

    render.print_hint(message)


def print_prompt(question: str, default: str | None = None) -> None:
    """render.print_prompt: a question, the cursor left after it."""
    from csec_cli import render

    render.print_prompt(question, default)


def print_resource_preview(resource: Resource, heading: str | None = None) -> None:
    """render.print_resource_preview: a resource shown before a question about it."""
    from csec_cli import render

    render.print_resource_preview(resource, heading)
