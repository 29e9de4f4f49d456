"""Parse a catalogue one `[[resources]]` block at a time, reusing blocks parsed before.

After an add or an edit, almost every block of a large catalogue is byte for byte what it was
when the file was last parsed. Each block is identified by a hash of its bytes, and the resource
validated from those bytes last time is taken again (only its line number can differ), so the
first command after a change parses the changed blocks, not the whole file.

This is only a faster route to what `toml_format.parse_catalogue` gives for the whole text, and it
is taken only where it is sure to give the same: the file splits at lines that start with
`[[resources]]`, every block parses on its own to exactly one resource table, and the text
above the first block parses and defines no `resources`. A split inside a multi-line string
leaves an unterminated string and fails to parse; another top-level table, a second array
header in another spelling or a bad date does not match the shape. In every such case the
caller parses the whole text instead, with its precise errors and repairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

from csec_cli.errors import CatalogueUnreadableError
from csec_cli.models import Resource
from csec_cli.nesting import TooDeepBlock
from csec_cli.toml_format import (
    Catalogue,
    Provenance,
    TomlTooDeepError,
    _header_text,
    _parse_toml,
    add_resource_tables,
    block_starts,
)

_BOM = "\ufeff".encode()


def block_digest(block: bytes) -> bytes:
    """What identifies a block: a cryptographic hash of its bytes (a collision would hand one
    resource another's fields, so a checksum is not enough)."""
    return hashlib.blake2b(block, digest_size=20).digest()


def parse_blockwise(
    path: Path, data: bytes, reusable: Mapping[bytes, Resource]
) -> Catalogue | None:
    """The catalogue in `data` (the file's bytes, known to be UTF-8), taking each block found in
    `reusable` (by digest) from there; None when the file is not in the shape this needs."""
    bom = data.startswith(_BOM)
    begin = len(_BOM) if bom else 0
    starts = block_starts(data, begin)
    head = data[begin : starts[0] if starts else len(data)].decode("utf-8")
    try:
        document = _parse_toml(path, head) if head.strip() else {}
    except CatalogueUnreadableError:
        return None
    if "resources" in document:
        return None
    header = _header_text(head)
    header_keys = set(_parse_toml(path, header)) if header.strip() else set()
    catalogue = Catalogue(
        path=path,
        header=header,
        trailer={key: value for key, value in document.items() if key not in header_keys},
        crlf=b"\r\n" in data,
        bom=bom,
        _provenance=Provenance(source=data, appendable=True),
    )
    first_line = 1 + data.count(b"\n", 0, starts[0]) if starts else 1
    try:
        add_resource_tables(catalogue, _tables(path, data, starts, first_line, reusable))
    except _NotBlockwise:
        return None
    return catalogue


class _NotBlockwise(Exception):
    """A block that does not parse alone to one resource table: the whole text must be read."""


def _tables(
    path: Path, data: bytes, starts: list[int], line: int, reusable: Mapping[bytes, Resource]
) -> Iterator[tuple[Resource | dict[str, Any] | TooDeepBlock, int, bytes | None]]:
    """Each block's resource (taken again) or table (parsed), its line and its digest."""
    for start, end in pairwise([*starts, len(data)]):
        block = data[start:end]
        digest = block_digest(block)
        known = reusable.get(digest)
        if known is not None:
            yield (known if known.line == line else _moved(known, line)), line, digest
        else:
            text = block.decode("utf-8")
            try:
                parsed = _parse_toml(path, text)
            except TomlTooDeepError as error:
                # Too deep to parse, yet only this resource is at fault: the rest is read.
                yield TooDeepBlock.of(text, line, error.value_line), line, None
                line += block.count(b"\n")
                continue
            except CatalogueUnreadableError:
                raise _NotBlockwise from None
            resources = parsed.get("resources")
            if len(parsed) != 1 or not isinstance(resources, list) or len(resources) != 1:
                raise _NotBlockwise
            yield resources[0], line, digest
        line += block.count(b"\n")


def _moved(resource: Resource, line: int) -> Resource:
    # A copy with another line; built as the cache builds resources (see cache.py), since
    # dataclasses.replace re-validates and costs seconds when 100,000 blocks move.
    moved = object.__new__(Resource)
    object.__setattr__(moved, "__dict__", {**resource.__dict__, "line": line})
    return moved
