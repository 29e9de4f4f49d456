"""How deeply a catalogue value may nest, and finding values that nest deeper.

No real resource nests lists or tables more than a few levels, while every reader and writer
csec uses (tomli, tomli-w, json, the cache) recurses once per level and fails somewhere between
250 and 1,000 levels with a RecursionError. So csec reads at most MAX_NESTING levels in a value:
a deeper one makes its resource invalid (a problem with its line), which also keeps every writer
from ever being handed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from csec_cli.i18n import _

# Far above real use (a list of tables of lists is 3), far below any parser's recursion limit.
MAX_NESTING = 32


def nesting_depth(value: Any, limit: int = MAX_NESTING) -> int:
    """Levels of lists and tables in `value` (a scalar is 0, `[[1]]` is 2), counted without
    recursion and only up to `limit + 1`: beyond the limit the exact depth does not matter."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        pending.extend((child, depth) for child in children)
    return deepest


def too_deep_message(name: str | None = None) -> str:
    """What is wrong with a value nested too deeply, and what to do about it."""
    if name is None:
        return _("a value nests lists or tables more than {limit} levels deep").format(
            limit=MAX_NESTING
        )
    return _("{name} nests lists or tables more than {limit} levels deep").format(
        name=name, limit=MAX_NESTING
    )


# What can hold a bracket that is not nesting: strings of the four kinds, and comments.
_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""(?!")'
    r"|'''.*?'''(?!')"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|[\[\]{}]",
    re.DOTALL,
)


def line_too_deep(text: str, limit: int = MAX_NESTING) -> int | None:
    """The line (from 1) where brackets and braces in TOML text first nest deeper than `limit`,
    or None. Only for saying where: the parser's own verdict is what counts."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


_PLAIN_ID = re.compile(r'^[ \t]*id[ \t]*=[ \t]*"([^"\\\n]*)"', re.MULTILINE)


@dataclass(frozen=True)
class TooDeepBlock:
    """A `[[resources]]` block the parser gave up on for its nesting: the id it plainly gives,
    if any (so the resource can still be named), and the line of the value at fault."""

    id: str | None
    value_line: int | None

    @classmethod
    def of(cls, text: str, line: int, value_line: int | None) -> TooDeepBlock:
        """The block `text`, starting on `line` of the file; `value_line` counts within it."""
        found = _PLAIN_ID.search(text)
        return cls(
            found.group(1) if found else None,
            None if value_line is None else line + value_line - 1,
        )

    def describe(self) -> str:
        """The problem, worded as for a resource read in full."""
        if self.value_line:
            message = _(
                "the value on line {line} nests lists or tables more than {limit} levels deep"
            ).format(line=self.value_line, limit=MAX_NESTING)
        else:
            message = too_deep_message()
        return (
            _("{id}: {fault}").format(id=repr(self.id), fault=message)
            if self.id is not None
            else message
        )
