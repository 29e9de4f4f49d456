"""What the report formats (markdown, html) share: title, sections by year, which urls are links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from urllib.parse import urlparse

from csec_cli.i18n import N_, _
from csec_cli.models import Resource

# The heading of a report (markdown, html), translated where it is written.
REPORT_TITLE = N_("Resources on commercial sexual exploitation of children and adolescents")
# The key of the undated resources' section (translated where it is shown: section_heading).
UNDATED = N_("Undated")


def year_heading(resource: Resource) -> str:
    """The section a resource belongs to: its year, or "Undated"."""
    return str(resource.date.year) if resource.date else UNDATED


def section_heading(key: str) -> str:
    """A section's heading as a reader sees it: the year, or "Undated" in the page's language."""
    return _(UNDATED) if key == UNDATED else key


def group_by_year(resources: Iterable[Resource]) -> Iterator[tuple[str, Iterator[Resource]]]:
    """Consecutive resources of one year together (callers sort by date first), lazily."""
    return groupby(resources, key=year_heading)


def is_web_link(url: str) -> bool:
    """Only http(s) addresses become links: a `javascript:` url must never be clickable."""
    try:
        parsed = urlparse(url.strip())
    except ValueError:  # "http://[x" (an unclosed IPv6 host), which `check` reports: no link
        return False
    return parsed.scheme.lower() in {"http", "https"} and bool(parsed.netloc)
