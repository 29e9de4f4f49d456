"""What a catalogue file looks like: its TOML text parsed into a Catalogue, and rendered back.

Parsing never stops at one bad resource: it is reported as a Problem and left out (an impossible
date literal included), while a text that does not parse stops everything. Rendering gives csec's
one deterministic form of a catalogue; a file already in that form can be rendered again by
copying its unchanged resources' blocks (spliced_bytes). Nothing here reads or writes files.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any, Literal

from csec_cli.errors import CatalogueUnreadableError
from csec_cli.file_key import CacheKey
from csec_cli.i18n import _
from csec_cli.models import Resource, ResourceProblem, resource_from_table, resource_to_table
from csec_cli.nesting import MAX_NESTING, TooDeepBlock, nesting_depth, too_deep_message

_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")
_RESOURCE_HEADER = re.compile(r"\[\[[ \t]*resources[ \t]*\]\]")
_ANY_TABLE_HEADER = re.compile(r"^[ \t]*\[")
_HEADER_BYTES = b"[[resources]]"

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """Something wrong in the catalogue, with the line it starts on where known."""

    message: str
    line: int | None = None
    severity: Severity = "error"

    def describe(self, path: Path) -> str:
        """`path:line: message`, the form editors and terminals link to."""
        where = f"{path}:{self.line}" if self.line else f"{path}"
        return f"{where}: {self.message}"


@dataclass(eq=False)
class Provenance:
    """What the storage layer knows of the bytes a Catalogue was read from (or last written as):
    for reading its text again, caching, appending and splicing. Commands never need it."""

    # The file's bytes, kept only when asked for (load_catalogue's keep_source): at 100,000
    # resources they are tens of megabytes, and only appending needs them.
    source: bytes | None = None
    text: str | None = None
    # Reads the file's bytes again, checked to be the very bytes this was loaded from (set by
    # the storage layer with `cache_key`).
    reread: Callable[[], bytes] | None = None
    # Which bytes this was read from, for caching what is computed from it (cache.store_derived).
    cache_key: CacheKey | None = None
    # The cache entry this was loaded from and how many of its resources came from there, so an
    # append can cache just what it adds (cache.store_appended).
    cache_base: tuple[CacheKey, int] | None = None
    # Every resource is a `[[resources]]` table of its own, so one more can be appended.
    appendable: bool = True
    # The valid resources read from `[[resources]]` blocks, each with the digest of the block's
    # bytes (blockwise.py), so the next parse after a change can take them again. True whatever
    # later happens to `resources`: it says what those bytes gave.
    parsed_blocks: list[tuple[bytes, Resource]] = field(default_factory=list)
    # The file's bytes are exactly what render_catalogue gives for it (csec wrote them, by a
    # rewrite or an append), so a rewrite may copy unchanged resources' blocks (spliced_bytes).
    canonical: bool = False
    # The resources as loaded for a change, in the file's order, to find their blocks again.
    loaded_resources: list[Resource] | None = None

    def __eq__(self, other: object) -> bool:
        # What the bytes gave is part of a Catalogue's value; how they are held is not.
        if not isinstance(other, Provenance):
            return NotImplemented
        return (self.appendable, self.parsed_blocks) == (other.appendable, other.parsed_blocks)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Catalogue:
    """A parsed catalogue: its valid resources, the problems found, and how to write it back."""

    path: Path
    resources: list[Resource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header: str = ""
    trailer: dict[str, Any] = field(default_factory=dict)
    crlf: bool = False
    bom: bool = False
    _invalid_ids: set[str] = field(default_factory=set, repr=False)
    # The storage layer's own state (see Provenance), kept off the fields commands use.
    _provenance: Provenance = field(default_factory=Provenance, repr=False)

    @property
    def cache_key(self) -> CacheKey | None:
        """Which bytes this was read from (None if changed since, or never read), for caching
        what is computed from it (cache.store_derived)."""
        return self._provenance.cache_key

    @property
    def text(self) -> str:
        """The file's text without its BOM: kept from parsing, decoded from the bytes kept, or
        read again from the file, which must then still hold the very bytes this was loaded from
        (empty for a catalogue that was never read)."""
        loaded = self._provenance
        if loaded.text is None:
            if loaded.source is None and loaded.reread is not None:
                loaded.source = loaded.reread()
            loaded.text = (loaded.source or b"").decode("utf-8").removeprefix(_BOM)
        return loaded.text

    def ids(self) -> set[str]:
        """Every id in use, including those of invalid resources."""
        return {resource.id for resource in self.resources} | self._invalid_ids

    def invalid_ids(self) -> set[str]:
        """Ids of resources left out because they are invalid."""
        return set(self._invalid_ids)

    def block_digests(self) -> list[bytes | None]:
        """For each resource, the digest of the block it was read from, if it is still the very
        object read from there (None for one added or changed since, or read otherwise)."""
        digest_of = {id(resource): digest for digest, resource in self._provenance.parsed_blocks}
        return [digest_of.get(id(resource)) for resource in self.resources]


def decode_catalogue_text(path: Path, data: bytes) -> tuple[str, bool]:
    """The text of a catalogue's bytes without a BOM, and whether it had one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise CatalogueUnreadableError(
                _("{path}:1:1: not UTF-8 text (it is UTF-16); save the file as UTF-8").format(
                    path=path
                )
            ) from None
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise CatalogueUnreadableError(
            _(
                "{path}:{line}:{column}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
            ).format(path=path, line=line, column=column, byte=data[error.start])
        ) from None
    if text.startswith(_BOM):
        return text[1:], True
    return text, False


def parse_catalogue(path: Path, text: str, bom: bool) -> Catalogue:
    """Parse and validate a catalogue's text (never cached: load_catalogue decides that)."""
    document, bad_literals, syntax_error = _parse_toml_with_bad_dates(path, text)
    raw_resources = document.get("resources", [])
    if not isinstance(raw_resources, list) or not all(
        isinstance(item, dict) for item in raw_resources
    ):
        key_line = _line_of_key(text, "resources")
        raise CatalogueUnreadableError(
            _("{path}:{line}:1: `resources` must be an array of tables ([[resources]])").format(
                path=path, line=key_line
            )
        )
    header_lines = _resource_header_lines(text)
    appendable = len(header_lines) == len(raw_resources)
    owners = _owners_of_bad_literals(text, header_lines, bad_literals, appendable)
    if owners is None:
        assert syntax_error is not None
        raise syntax_error
    lines: list[int | None] = list(header_lines) if appendable else [None] * len(raw_resources)
    header = _header_text(text)
    header_keys = set(_parse_toml(path, header)) if header.strip() else set()
    catalogue = Catalogue(
        path=path,
        header=header,
        trailer={k: v for k, v in document.items() if k != "resources" and k not in header_keys},
        crlf="\r\n" in text,
        bom=bom,
        _provenance=Provenance(text=text, appendable=appendable),
    )
    tables = zip(raw_resources, lines, repeat(None))
    add_resource_tables(catalogue, tables, owners=owners)
    return catalogue


def add_resource_tables(
    catalogue: Catalogue,
    tables: Iterable[tuple[Resource | dict[str, Any] | TooDeepBlock, int | None, bytes | None]],
    owners: dict[int, _BadLiteral] | None = None,
) -> None:
    """Validate each resource table (with the line of its header and the digest of its block,
    if known) into `catalogue`: the valid ones join its resources, the others its problems; a
    repeated id is a problem too.

    Tables are taken one at a time, so a generator's parsed tables need not all be alive at
    once. A table may already be a Resource validated earlier from the same bytes (blockwise.py);
    digests are noted in `parsed_blocks` for the valid ones; `owners` maps a table's index to the
    impossible date it held (see _parse_toml_with_bad_dates).
    """
    first_line_of_id: dict[str, int | None] = {}
    for index, (table, table_line, digest) in enumerate(tables, start=1):
        try:
            if isinstance(table, TooDeepBlock):
                raise ResourceProblem(table.describe())
            if isinstance(table, Resource):
                resource = table
            else:
                resource = resource_from_table(table, table_line)
            if owners and index - 1 in owners:
                bad = owners[index - 1]
                partial = bad.text.count("-") < 2
                if partial:
                    message = _(
                        "{id}: {date} on line {line} is not a real date (write a month or a year "
                        'alone in quotes: "2009-03", "2009")'
                    )
                else:
                    message = _("{id}: {date} on line {line} is not a real date")
                raise ResourceProblem(
                    message.format(id=repr(resource.id), date=bad.text, line=bad.line)
                )
        except ResourceProblem as problem:
            assert not isinstance(table, Resource)
            message = _resource_fault(index, table_line, str(problem))
            catalogue.problems.append(Problem(message, table_line))
            raw_id = table.id if isinstance(table, TooDeepBlock) else table.get("id")
            if isinstance(raw_id, str):
                catalogue._invalid_ids.add(raw_id)
            continue
        if resource.id in first_line_of_id:
            first = first_line_of_id[resource.id]
            if first:
                fault = _("{id}: duplicate id (first used on line {line})")
            else:
                fault = _("{id}: duplicate id")
            fault = fault.format(id=repr(resource.id), line=first)
            message = _resource_fault(index, table_line, fault)
            catalogue.problems.append(Problem(message, table_line))
            continue
        first_line_of_id[resource.id] = table_line
        catalogue.resources.append(resource)
        if digest is not None:
            catalogue._provenance.parsed_blocks.append((digest, resource))
    for key, value in catalogue.trailer.items():
        # Written back by every rewrite, so held to the same depth as a resource's values.
        if isinstance(value, list | dict) and nesting_depth(value) > MAX_NESTING:
            catalogue.problems.append(
                Problem(_("top-level {fault}").format(fault=too_deep_message(repr(key))))
            )


def _resource_fault(index: int, line: int | None, fault: str) -> str:
    """A resource's fault, named by its place when its line is not known."""
    if line is None:
        # Translators: {fault} begins with the resource's id, or says what it lacks ("has no id").
        return _("resource #{number} {fault}").format(number=index, fault=fault)
    # Translators: {fault} begins with the resource's id, or says what it lacks ("has no id").
    return _("resource {fault}").format(fault=fault)


class _TomlSyntaxError(CatalogueUnreadableError):
    """A file that is not TOML, with the line of the fault for the bad-date repair."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class TomlTooDeepError(_TomlSyntaxError):
    """TOML text nesting lists, tables or keys too deeply for the parser (see nesting.py)."""

    def __init__(self, path: Path, text: str) -> None:
        from csec_cli.nesting import line_too_deep

        self.value_line = line_too_deep(text)
        line = self.value_line or 1
        super().__init__(
            _("{path}:{line}:1: {fault}").format(path=path, line=line, fault=too_deep_message()),
            line,
        )


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomli

    # The cyclic garbage collector dominates parsing large files (it keeps rescanning the young
    # objects the parser creates); nothing in a parse makes cycles, so pausing it is safe.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or 1
        column = getattr(error, "colno", None) or 1
        reason = toml_reason(getattr(error, "msg", str(error)))
        raise _TomlSyntaxError(
            _("{path}:{line}:{column}: not valid TOML: {reason}").format(
                path=path, line=line, column=column, reason=reason
            ),
            line,
        ) from None
    except RecursionError:
        # tomli's own limit on nesting (400 levels, or 1,000 parts in a dotted key).
        raise TomlTooDeepError(path, text) from None
    finally:
        if was_enabled:
            gc.enable()


def toml_reason(reason: str) -> str:
    """The TOML parser's reason for a fault (tomli words it in English), in the interface
    language; one csec does not know is kept as the parser words it."""
    fixed = {
        "Invalid statement": _("Invalid statement"),
        "Expected newline or end of document after a statement": _(
            "Expected newline or end of document after a statement"
        ),
        "Expected ']' at the end of a table declaration": _(
            "Expected ']' at the end of a table declaration"
        ),
        "Expected ']]' at the end of an array declaration": _(
            "Expected ']]' at the end of an array declaration"
        ),
        "Cannot overwrite a value": _("Cannot overwrite a value"),
        "Expected '=' after a key in a key/value pair": _(
            "Expected '=' after a key in a key/value pair"
        ),
        "Invalid initial character for a key part": _("Invalid initial character for a key part"),
        "Unclosed array": _("Unclosed array"),
        "Unclosed inline table": _("Unclosed inline table"),
        "Unescaped '\\' in a string": _("Unescaped '\\' in a string"),
        "Invalid hex value": _("Invalid hex value"),
        "Escaped character is not a Unicode scalar value": _(
            "Escaped character is not a Unicode scalar value"
        ),
        "Unterminated string": _("Unterminated string"),
        "Invalid date or datetime": _("Invalid date or datetime"),
        "Invalid value": _("Invalid value"),
    }
    if reason in fixed:
        return fixed[reason]
    for pattern, message in (
        (r"Expected (?P<value>.+)", _("Expected {value}")),
        (r"Found invalid character (?P<value>.+)", _("Found invalid character {value}")),
        (r"Illegal character (?P<value>.+)", _("Illegal character {value}")),
        (r"Cannot declare (?P<value>.+) twice", _("Cannot declare {value} twice")),
        (
            r"Cannot mutate immutable namespace (?P<value>.+)",
            _("Cannot mutate immutable namespace {value}"),
        ),
        (r"Cannot redefine namespace (?P<value>.+)", _("Cannot redefine namespace {value}")),
        (r"Duplicate inline table key (?P<value>.+)", _("Duplicate inline table key {value}")),
    ):
        found = re.fullmatch(pattern, reason)
        if found:
            return message.format(value=found["value"])
    return reason


@dataclass(frozen=True)
class _BadLiteral:
    """An unquoted date-like value that is not a real TOML date, e.g. `date = 2009-02-30`."""

    line: int
    text: str


# `key = 2009-02-30` (or 2009-3, or with a time) on a line of its own, comment allowed.
_DATE_LIKE_VALUE = re.compile(
    r"^(?P<key>[ \t]*[^\s=#\[][^=]*=[ \t]*)"
    r"(?P<value>\d{4}-\d{1,2}(?:-\d{1,2})?(?:[Tt ]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?"
    r"(?:[Zz]|[+-]\d{1,2}:\d{2})?)?)"
    r"(?P<rest>[ \t]*(?:#.*)?)$"
)
# Beyond this many impossible dates the file is treated as not TOML (each costs a re-parse).
_MAX_BAD_DATES = 50


def _parse_toml_with_bad_dates(
    path: Path, text: str
) -> tuple[dict[str, Any], list[_BadLiteral], CatalogueUnreadableError | None]:
    """Parse, treating an impossible date literal as a fault of its resource, not of the file.

    TOML rejects the whole document over `date = 2009-02-30`, yet DESIGN.md makes an impossible
    date a resource-level fault: the other resources must still be read. So such a literal is
    quoted in a private copy and parsed again; the caller marks the resource holding it invalid.
    """
    bad: list[_BadLiteral] = []
    # Split into lines only once a repair is needed: at 100,000 resources the lines and their
    # joined copy would cost more memory than the text itself, twice over.
    lines: list[str] | None = None
    candidate = text
    first_error: _TomlSyntaxError | None = None
    while True:
        try:
            return _parse_toml(path, candidate), bad, first_error
        except TomlTooDeepError:
            raise  # no repair helps; its line says where (see parse_blockwise for the usual case)
        except _TomlSyntaxError as error:
            first_error = first_error or error
            if lines is None:
                lines = text.split("\n")
            repaired = _quote_bad_date(lines, error.line)
            if repaired is None or len(bad) >= _MAX_BAD_DATES:
                raise first_error from None
            bad.append(_BadLiteral(error.line, repaired))
            candidate = "\n".join(lines)


def _quote_bad_date(lines: list[str], line: int) -> str | None:
    """Quote the date-like value on `line` if it is not a valid TOML value; return it."""
    import tomli

    if not 1 <= line <= len(lines):
        return None
    original = lines[line - 1]
    body, ending = (original[:-1], "\r") if original.endswith("\r") else (original, "")
    match = _DATE_LIKE_VALUE.match(body)
    if not match:
        return None
    value = match["value"]
    try:
        tomli.loads(f"v = {value}")
        return None  # a valid date: the fault on this line is something else
    except tomli.TOMLDecodeError:
        pass
    lines[line - 1] = f'{match["key"]}"{value}"{match["rest"]}{ending}'
    return value


def _owners_of_bad_literals(
    text: str, header_lines: list[int], bad: list[_BadLiteral], appendable: bool
) -> dict[int, _BadLiteral] | None:
    """Which resource (by index) holds each impossible date; None if one lies outside them all."""
    if not bad:
        return {}
    other_tables = [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if _ANY_TABLE_HEADER.match(line)
        and not re.match(r"^[ \t]*\[{1,2}[ \t]*resources[ \t]*[.\]]", line)
    ]
    owners: dict[int, _BadLiteral] = {}
    for literal in bad:
        starts = [start for start in header_lines if start < literal.line]
        ends = [end for end in other_tables if end < literal.line]
        if not appendable or not starts or (ends and ends[-1] > starts[-1]):
            return None
        owners.setdefault(len(starts) - 1, literal)
    return owners


def _resource_header_lines(text: str) -> list[int]:
    # Finding each `[[resources]]` and then checking its line is many times faster on large
    # files than matching every line. Lines are counted as TOML and editors count them (\n).
    numbers = []
    line, position = 1, 0
    for match in _RESOURCE_HEADER.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        rest = text[match.end() : len(text) if end < 0 else end].rstrip("\r").lstrip(" \t")
        if text[start : match.start()].strip(" \t") or (rest and not rest.startswith("#")):
            continue
        line += text.count("\n", position, start)
        position = start
        numbers.append(line)
    return numbers


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^[ \t]*\[*[ \t]*{re.escape(key)}\b", line):
            return number
    return 1


def _header_text(text: str) -> str:
    """Everything above the first table: the team's own comments (and any top-level keys)."""
    kept: list[str] = []
    for line in text.splitlines():
        if _ANY_TABLE_HEADER.match(line):
            break
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


_UTC_ADDED_LINE = re.compile(
    r"^added = (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)\+00:00$", re.MULTILINE
)


def _is_table_like(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)
    )


def _multiline_safe(value: Any) -> bool:
    """Whether tomli-w may write this value's strings as multi-line ones without changing them.

    TOML readers turn a CRLF inside a multi-line string into LF, so a string holding a carriage
    return must stay a one-line string, where it is written as the escape `\\r`.
    """
    if isinstance(value, str):
        return "\r" not in value
    if isinstance(value, dict):
        return all(_multiline_safe(item) for item in value.values())
    if isinstance(value, list):
        return all(_multiline_safe(item) for item in value)
    return True


def render_resource(resource: Resource) -> str:
    """One `[[resources]]` block exactly as csec writes it."""
    import tomli_w

    # The header is written here, not left to tomli-w: it renders a short enough array of tables
    # as an inline `resources = [{...}]`, which inside a file of `[[resources]]` blocks would
    # become a key of the previous resource (or a duplicate key).
    table = resource_to_table(resource)
    nested = {key: value for key, value in table.items() if _is_table_like(value)}
    flat = {key: value for key, value in table.items() if key not in nested}
    text = "[[resources]]\n" + tomli_w.dumps(flat, multiline_strings=_multiline_safe(flat))
    if nested:
        # Sub-tables of an unknown key must be headed [resources.key] to stay in this resource;
        # keys tomli-w still puts under a plain [resources] header belong to the block itself.
        rendered = tomli_w.dumps({"resources": nested})
        plain_header = "[resources]\n"
        if rendered.startswith(plain_header):
            text += rendered[len(plain_header) :]
        else:
            text += "\n" + rendered
    # tomli-w writes UTC times as "2026-11-28 10:15:00+00:00"; the contract's form is the
    # equivalent, more familiar "2026-11-28T10:15:00Z".
    return _UTC_ADDED_LINE.sub(r"added = \1T\2Z", text)


EMPTY_CATALOGUE_TEXT = "# A csec catalogue with no resources yet.\n"


def render_catalogue(catalogue: Catalogue) -> str:
    """The whole file: header, resources in order, then any other top-level tables."""
    import tomli_w

    parts = [catalogue.header] if catalogue.header else []
    if not parts and not catalogue.resources and not catalogue.trailer:
        # A zero-byte file reads as an accident (see catalogue.load_catalogue), so a catalogue
        # csec has emptied on purpose says so.
        parts.append(EMPTY_CATALOGUE_TEXT)
    parts.extend(render_resource(resource) for resource in catalogue.resources)
    if catalogue.trailer:
        multiline = _multiline_safe(catalogue.trailer)
        parts.append(tomli_w.dumps(catalogue.trailer, multiline_strings=multiline))
    return "\n".join(parts)


def is_resource_block(block: str) -> bool:
    """True when `block` is exactly one `[[resources]]` table (with any sub-tables of its own)."""
    import tomli

    if not block.startswith("[[resources]]\n"):
        return False
    document = tomli.loads(block)
    return set(document) == {"resources"} and len(document["resources"]) == 1


def block_starts(data: bytes, begin: int) -> list[int]:
    """Where each line that starts with `[[resources]]` starts.

    Such a line is a resource's header, or else not TOML at all (`[[resources]]x`), or inside a
    multi-line string: the block it would end then fails to parse, so no check is needed here.
    """
    starts = [begin] if data.startswith(_HEADER_BYTES, begin) else []
    marker = b"\n" + _HEADER_BYTES
    found = data.find(marker, begin)
    while found >= 0:
        starts.append(found + 1)
        found = data.find(marker, found + len(marker))
    return starts


def spliced_bytes(catalogue: Catalogue) -> bytes | None:
    """The bytes render_catalogue would give, from the canonical file's own blocks where the
    resource is unchanged; None where that cannot be done plainly.

    A file csec wrote itself is in that form already (`canonical`): its unchanged resources'
    blocks are copied as bytes, and only new or changed resources rendered and checked, which
    gives the same bytes as rendering all of them at a small part of the cost.
    """
    loaded, source = catalogue._provenance.loaded_resources, catalogue._provenance.source
    if (
        not catalogue._provenance.canonical
        or loaded is None
        or source is None
        or catalogue.crlf
        or catalogue.trailer
        or not catalogue.resources
    ):
        return None
    begin = len(_BOM_BYTES) if catalogue.bom else 0
    starts = block_starts(source, begin)
    if len(starts) != len(loaded):
        return None
    # render_catalogue joins the header and each resource's block with "\n": every block but
    # the last is followed by that separator, which is not part of the resource's own text.
    ends = [start - 1 for start in starts[1:]] + [len(source)]
    position_of = {id(resource): position for position, resource in enumerate(loaded)}
    pieces = []
    for resource in catalogue.resources:
        position = position_of.get(id(resource))
        if position is not None:
            pieces.append(source[starts[position] : ends[position]])
            continue
        block = render_resource(resource)
        if not is_resource_block(block):
            return None
        pieces.append(block.encode("utf-8"))
    head = source[: starts[0]] if starts else source
    return head + b"\n".join(pieces)


def check_parses(text: str) -> None:
    """Raise if `text` is not TOML: csec never writes a catalogue that does not parse."""
    import tomli

    # A failure here is a bug in csec's writer, not the user's doing: let it raise (traceback).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        tomli.loads(text)
    finally:
        if was_enabled:
            gc.enable()


def encode_text(text: str, *, crlf: bool, bom: bool) -> bytes:
    """The bytes of a catalogue's text as written: with CRLF line endings and a BOM if asked."""
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return ((_BOM if bom else "") + text).encode("utf-8")
