"""render_resource: each resource block reads back as exactly its table, wherever appended."""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from csec_cli.catalogue import render_resource
from csec_cli.models import Resource, resource_to_table

_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
_key = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(
    lambda key: key not in {"id", "title", "date", "summary", "type", "audience", "topics",
                            "countries", "language", "publisher", "url", "added"}
)  # fmt: skip
_scalar = st.one_of(_text, st.integers(-1000, 1000), st.booleans())
_extra_value = st.one_of(
    _scalar,
    st.lists(_scalar.filter(lambda value: isinstance(value, str)), max_size=3),
    st.dictionaries(_key, _scalar, min_size=1, max_size=3),
    st.lists(st.dictionaries(_key, _scalar, min_size=1, max_size=3), min_size=1, max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(
    title=_text,
    summary=st.none() | _text,
    audience=st.lists(_text, max_size=3),
    extra=st.dictionaries(_key, _extra_value, max_size=4),
)
def test_block_reads_back_after_other_resources(
    title: str, summary: str | None, audience: list[str], extra: dict[str, Any]
) -> None:
    """Short or long, with unknown keys or sub-tables, a block appended stays its own resource."""
    resource = Resource(
        id="new",
        title=title,
        summary=summary,
        audience=tuple(audience),
        added=dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.UTC),
        extra=extra,
    )
    before = '[[resources]]\nid = "old"\ntitle = "Old"\n\n[resources.note]\nx = 1\n\n'
    document = tomli.loads(before + render_resource(resource))
    assert document["resources"][0] == {"id": "old", "title": "Old", "note": {"x": 1}}
    assert document["resources"][1] == resource_to_table(resource)
    assert len(document) == 1
