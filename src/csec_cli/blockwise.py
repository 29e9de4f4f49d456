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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from csec_cli.errors import CatalogueUnreadableError
from csec_cli.file_key import CacheKey
from csec_cli.models import Resource, ResourceProblem, resource_from_table
from csec_cli.nesting import TooDeepBlock
from csec_cli.toml_format import (
    _HEADER_BYTES,
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
    catalogue = Catalogue(
        path=path,
        header=header,
        trailer=_trailer(path, header, document),
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


def _trailer(path: Path, header: str, document: Mapping[str, Any]) -> dict[str, Any]:
    """What the text above the first block defines beyond its header (_header_text): tables a
    rewrite keeps after the resources."""
    header_keys = set(_parse_toml(path, header)) if header.strip() else set()
    return {key: value for key, value in document.items() if key not in header_keys}


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


@dataclass
class ChangedBlocks:
    """What changed_blocks found in a file: each block's digest and first line, in the file's
    order, and the resources of the blocks that are not the previous ones at their place; and
    of the file as a whole, whether it starts with a BOM, has CRLF line breaks, and defines
    anything above its first block beyond the header (a trailer: see _trailer)."""

    digests: list[bytes]
    lines: list[int]
    changed: dict[int, Resource]
    bom: bool = False
    crlf: bool = False
    trailer: bool = False


# Beyond this share of changed resources (or this few), reading the whole file is as quick.
_MOST_CHANGED_SHARE = 0.05
_FEWEST_CHANGED = 50


def most_changed(count: int) -> int:
    """How many of `count` blocks may change for changed_blocks to pay, beside a whole load."""
    return int(max(_FEWEST_CHANGED, _MOST_CHANGED_SHARE * count))


# Read in pieces this big: the file is never held whole (77 MB at 100,000 resources).
_PIECE = 1 << 20
_MARKER = b"\n" + _HEADER_BYTES


def changed_blocks(
    path: Path, key: CacheKey, previous: Sequence[bytes | None], most: int
) -> ChangedBlocks | None:
    """The blocks of the file at `path`, compared place by place with the digests `previous`,
    read in pieces; the changed blocks (or new ones past the end) parsed and validated. None
    when that cannot stand for loading the file: it no longer holds the bytes of `key`, has no
    block, more than `most` blocks changed, the text above the first block defines `resources`
    or does not parse alone, or a changed block is not one valid resource table on its own (so
    the caller loads the catalogue, with its precise errors and problems).

    For a reader that keeps what it derives per resource by block digest, as the search index
    does: after a hand edit it parses one block and holds one piece of the file at a time.
    """
    whole = hashlib.sha256()
    size = 0
    bom = crlf = False

    def pieces() -> Iterator[bytes]:
        nonlocal size, bom, crlf
        with path.open("rb") as handle:
            last = b""
            while piece := handle.read(_PIECE):
                whole.update(piece)
                if not size and piece.startswith(_BOM):
                    bom = True
                    size += len(_BOM)
                    piece = piece[len(_BOM) :]
                size += len(piece)
                # A CRLF may be cut between two pieces.
                crlf = crlf or b"\r\n" in piece or (last == b"\r" and piece[:1] == b"\n")
                last = piece[-1:]
                yield piece

    try:
        parts = _split_at_headers(pieces())
        head = next(parts)[1:]  # without the line break put before the text
        line = 1 + head.count(b"\n")
        trailer = _head_trailer(path, head)
        if trailer is None:
            return None
        found = ChangedBlocks([], [], {}, trailer=trailer)
        for position, block in enumerate(parts):
            digest = block_digest(block)
            found.lines.append(line)
            known = previous[position] if position < len(previous) else None
            if known is not None and known == digest:
                found.digests.append(known)  # one object for both lists, not two
            else:
                found.digests.append(digest)
                resource = _resource_alone(path, block, line)
                if resource is None or len(found.changed) >= most:
                    return None
                found.changed[position] = resource
            line += block.count(b"\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not found.digests or size != key.size or whole.hexdigest() != key.digest:
        return None
    found.bom, found.crlf = bom, crlf
    return found


def _split_at_headers(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """A line break and the text above the first block, then each block, cut as block_starts
    cuts the pieces joined: at every line that starts with `[[resources]]`."""
    # The line break put first makes a block at the very start found like every other.
    buffer, cut, searched = b"\n", 0, 0
    for piece in pieces:
        buffer = buffer[cut:] + piece
        searched, cut = searched - cut, 0
        while (found := buffer.find(_MARKER, searched)) >= 0:
            yield buffer[cut : found + 1]
            cut = found + 1
            searched = cut
        # A marker may begin in this piece and end in the next.
        searched = max(cut, len(buffer) - len(_MARKER) + 1)
    yield buffer[cut:]


def _head_trailer(path: Path, head: bytes) -> bool | None:
    """Whether the text above the first block defines a trailer (see _trailer); None when it
    does not parse alone or defines `resources` itself."""
    text = head.decode("utf-8")
    if not text.strip():
        return False
    try:
        document = _parse_toml(path, text)
        if "resources" in document:
            return None
        return bool(_trailer(path, _header_text(text), document))
    except CatalogueUnreadableError:
        return None


def _resource_alone(path: Path, block: bytes, line: int) -> Resource | None:
    """The valid resource that `block` alone holds as one `[[resources]]` table, or None."""
    try:
        parsed = _parse_toml(path, block.decode("utf-8"))
    except CatalogueUnreadableError:
        return None
    tables = parsed.get("resources")
    if len(parsed) != 1 or not isinstance(tables, list) or len(tables) != 1:
        return None
    try:
        return resource_from_table(tables[0], line)
    except ResourceProblem:
        return None
