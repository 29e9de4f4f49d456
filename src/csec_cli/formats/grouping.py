"""What the report formats (markdown, html) share: sections by year, and which urls become links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from urllib.parse import urlparse

from csec_cli.models import Resource

UNDATED = "Undated"


def year_heading(resource: Resource) -> str:
    """The section a resource belongs to: its year, or "Undated"."""
    return str(resource.date.year) if resource.date else UNDATED


def group_by_year(resources: Iterable[Resource]) -> Iterator[tuple[str, Iterator[Resource]]]:
    """Consecutive resources of one year together (callers sort by date first), lazily."""
    return groupby(resources, key=year_heading)


def is_web_link(url: str) -> bool:
    """Only http(s) addresses become links: a `javascript:` url must never be clickable."""
    parsed = urlparse(url.strip())
    return parsed.scheme.lower() in {"http", "https"} and bool(parsed.netloc)
