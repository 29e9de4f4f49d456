"""Markdown: a readable report grouped by year (date, type, title linked to its url, summary).

Catalogue text is escaped so a title like "*Draft* [v2]" or "<b>" prints as written and cannot
start a heading, a list or raw HTML; only http(s) addresses become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

from csec_cli.formats.grouping import (
    REPORT_TITLE,
    group_by_year,
    is_web_link,
    section_heading,
)
from csec_cli.formats.records import ExportOptions
from csec_cli.i18n import _
from csec_cli.models import CONTROL_CHARACTERS, Resource, show_control_characters

# Parentheses and "!" need no escape: with "[" escaped they can never form a link or an image.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Text as literal Markdown: specials backslash-escaped, line breaks as spaces.

    Control characters are written out (`\\x1b`), since a report is often read with `cat`.
    """
    flat = show_control_characters(" ".join(text.split()))
    return _BLOCK_START.sub(r"\1\\\2", _INLINE_SPECIAL.sub(r"\\\1", flat))


def _summary_paragraphs(summary: str) -> list[str]:
    paragraphs = re.split(r"\n\s*\n", summary.strip())
    return [escape_markdown(paragraph) for paragraph in paragraphs if paragraph.strip()]


def markdown_item(resource: Resource) -> str:
    """One resource as a list item, its summary indented under it."""
    title = escape_markdown(resource.title)
    if resource.url and is_web_link(resource.url):
        address = CONTROL_CHARACTERS.sub(lambda match: quote(match.group()), resource.url)
        address = address.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
        title = f"[{title}](<{address}>)"
    else:
        title = f"**{title}**"
    parts = [resource.date.iso() if resource.date else _("undated")]
    if resource.type:
        parts.append(escape_markdown(resource.type))
    lines = [f"- {' · '.join(parts)} · {title}"]
    for paragraph in _summary_paragraphs(resource.summary or ""):
        lines += ["", f"  {paragraph}"]
    return "\n".join(lines) + "\n"


def write_markdown(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """A level-one heading, then a section per year (undated last), resources in given order,
    in the interface language (`export --lang` chooses another)."""
    del options
    stream.write(f"# {_(REPORT_TITLE)}\n")
    count = 0
    for heading, items in group_by_year(resources):
        stream.write(f"\n## {section_heading(heading)}\n\n")
        for index, resource in enumerate(items):
            stream.write(("\n" if index else "") + markdown_item(resource))
            count += 1
    if not count:
        stream.write("\n" + _("No resources.") + "\n")
