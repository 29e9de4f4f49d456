"""Find, read, validate and safely write the one TOML file that is the catalogue.

Reading never stops at one bad resource: it is reported as a Problem and left out, while a file
that does not parse stops everything. Writing is refused while `csec check` reports any error (so
a bad table is never written over; see checks.refuse_write_while_errors), happens under a lock
for the whole read-modify-write, and replaces the file atomically (temporary file in the same
folder, fsync, rename), keeping its permissions, its header comment, a UTF-8 BOM and CRLF line
endings if it had them.
"""

from __future__ import annotations

import gc
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from csec_cli.errors import CatalogueUnreadableError, CsecError
from csec_cli.models import Resource, ResourceProblem, resource_from_table, resource_to_table
from csec_cli.nesting import MAX_NESTING, TooDeepBlock, nesting_depth, too_deep_message

if TYPE_CHECKING:
    from csec_cli.cache import CacheKey

ENV_VAR = "CSEC_CATALOGUE"
LOCK_TIMEOUT_SECONDS = 60.0
_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")
_RESOURCE_HEADER = re.compile(r"\[\[[ \t]*resources[ \t]*\]\]")
_ANY_TABLE_HEADER = re.compile(r"^[ \t]*\[")

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
    appendable: bool = True
    # The file's bytes, kept only when asked for (load_catalogue's keep_source): at 100,000
    # resources they are tens of megabytes, and only appending needs them.
    source: bytes | None = field(default=None, repr=False, compare=False)
    _text: str | None = field(default=None, repr=False, compare=False)
    # Which bytes this was read from, for caching what is computed from it (cache.store_derived).
    cache_key: CacheKey | None = field(default=None, repr=False, compare=False)
    # The cache entry this was loaded from and how many of its resources came from there, so an
    # append can cache just what it adds (cache.store_appended).
    cache_base: tuple[CacheKey, int] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The file's text without its BOM: kept from parsing, decoded from `source`, or read
        again from the file, which must then still hold the very bytes this was loaded from
        (empty for a catalogue that was never read)."""
        if self._text is None:
            if self.source is None and self.cache_key is not None:
                self.source = _reread_source(self.path, self.cache_key)
            self._text = (self.source or b"").decode("utf-8").removeprefix(_BOM)
        return self._text

    def ids(self) -> set[str]:
        """Every id in use, including those of invalid resources."""
        return {resource.id for resource in self.resources} | self._invalid_ids

    def invalid_ids(self) -> set[str]:
        """Ids of resources left out because they are invalid."""
        return set(self._invalid_ids)

    def block_digests(self) -> list[bytes | None]:
        """For each resource, the digest of the block it was read from, if it is still the very
        object read from there (None for one added or changed since, or read otherwise)."""
        digest_of = {id(resource): digest for digest, resource in self.parsed_blocks}
        return [digest_of.get(id(resource)) for resource in self.resources]

    _invalid_ids: set[str] = field(default_factory=set, repr=False)
    # The valid resources read from `[[resources]]` blocks, each with the digest of the block's
    # bytes (blockwise.py), so the next parse after a change can take them again. True whatever
    # later happens to `resources`: it says what those bytes gave.
    parsed_blocks: list[tuple[bytes, Resource]] = field(default_factory=list, repr=False)
    # The file's bytes are exactly what render_catalogue gives for it (csec wrote them, by a
    # rewrite or an append), so a rewrite may copy unchanged resources' blocks (save_catalogue).
    canonical: bool = field(default=False, repr=False, compare=False)
    # The resources as loaded for a change, in the file's order, to find their blocks again.
    loaded_resources: list[Resource] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class CatalogueLocation:
    """Which catalogue file a command uses, and why."""

    path: Path
    source: Literal["--catalogue", "CSEC_CATALOGUE", "default"]

    @property
    def uses_seed(self) -> bool:
        """The default catalogue has not been written yet, so reads show the shipped seed."""
        return self.source == "default" and not self.path.exists()

    def path_for_reading(self) -> Path:
        """The file reading commands open."""
        return seed_catalogue_path() if self.uses_seed else self.path


def default_catalogue_path() -> Path:
    """The per-user catalogue, outside site-packages (e.g. ~/.local/share/csec/resources.toml)."""
    from platformdirs import user_data_path

    return user_data_path("csec", appauthor=False) / "resources.toml"


def seed_catalogue_path() -> Path:
    """The shipped seed catalogue: packaged in the wheel, or data/ in a source checkout."""
    packaged = Path(__file__).parent / "seed" / "resources.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "resources.toml"


def locate_catalogue(
    option: Path | None, environ: dict[str, str] | None = None
) -> CatalogueLocation:
    """`--catalogue` beats CSEC_CATALOGUE, which beats the per-user default."""
    environ = dict(os.environ) if environ is None else environ
    if option is not None:
        return CatalogueLocation(option.expanduser(), "--catalogue")
    if environ.get(ENV_VAR):
        return CatalogueLocation(Path(environ[ENV_VAR]).expanduser(), "CSEC_CATALOGUE")
    return CatalogueLocation(default_catalogue_path(), "default")


@contextmanager
def _opened_catalogue(path: Path) -> Iterator[io.BufferedReader]:
    """The catalogue file open for reading; any failure to open or read it is one clear line."""
    try:
        kind = path.stat().st_mode
    except OSError:
        kind = None  # opening it below gives the precise error
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        # Reading a pipe would wait forever, and a device like /dev/zero never ends.
        raise CatalogueUnreadableError(f"{path}: not a regular file (a pipe, device or socket)")
    try:
        with path.open("rb") as handle:
            yield handle
    except FileNotFoundError:
        if path.is_symlink():
            raise CatalogueUnreadableError(_dangling_link(path)) from None
        raise CatalogueUnreadableError(
            f"{path}: no such catalogue; create it with `csec add` or `csec import FILE`"
        ) from None
    except IsADirectoryError:
        raise CatalogueUnreadableError(f"{path}: is a directory, not a catalogue file") from None
    except PermissionError:
        raise CatalogueUnreadableError(f"{path}: permission denied; cannot read it") from None
    except OSError as error:
        raise CatalogueUnreadableError(f"{path}: cannot read it ({error.strerror})") from None


def read_catalogue_bytes(path: Path) -> tuple[bytes, int]:
    """The file's bytes and their modification time (both from one open file, so they agree)."""
    with _opened_catalogue(path) as handle:
        return handle.read(), os.fstat(handle.fileno()).st_mtime_ns


def _reread_source(path: Path, key: CacheKey) -> bytes:
    from csec_cli import cache

    data, mtime_ns = read_catalogue_bytes(path)
    if cache.CacheKey.of(path, data, mtime_ns) != key:
        raise CsecError(f"{path}: the file changed while csec was using it; try again")
    return data


def decode_catalogue_text(path: Path, data: bytes) -> tuple[str, bool]:
    """The text of a catalogue's bytes without a BOM, and whether it had one."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise CatalogueUnreadableError(
                f"{path}:1:1: not UTF-8 text (it is UTF-16); save the file as UTF-8"
            ) from None
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise CatalogueUnreadableError(
            f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[error.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    if text.startswith(_BOM):
        return text[1:], True
    return text, False


def load_catalogue(path: Path, *, keep_source: bool = False) -> Catalogue:
    """Parse and validate a catalogue; raise CatalogueUnreadableError if it cannot be used.

    The result comes from csec_cli.cache when the file's bytes are exactly those a cached
    result was built from; otherwise the file is parsed and the cache entry rebuilt. With
    `keep_source` the file's bytes are kept in the result, for a writer about to append.
    """
    from csec_cli import cache
    from csec_cli.blockwise import parse_blockwise

    if not keep_source:
        # Hashed in pieces, so a cache hit never holds the whole file in memory.
        with _opened_catalogue(path) as handle:
            key = cache.CacheKey.of_handle(path, handle)
        cached = cache.load_entry(path, key, None)
        if cached is not None:
            cached.cache_key = key
            return cached
    data, mtime_ns = read_catalogue_bytes(path)
    key = cache.CacheKey.of(path, data, mtime_ns)
    cached = cache.load_entry(path, key, data if keep_source else None)
    if cached is not None:
        cached.cache_key = key
        return cached
    text, _ = decode_catalogue_text(path, data)  # proves the bytes are UTF-8
    if not text or text.isspace():
        # A zero-byte catalogue is far more often a file truncated by accident (a failed save, a
        # stray `>`) than a deliberate one; reading it as "no resources" would hide the loss.
        raise CatalogueUnreadableError(
            f"{path}: the file is empty, not a catalogue; restore it from a backup, "
            "or delete it and `csec add` starts a new one"
        )
    # Validation makes as many young objects as parsing (see _parse_toml), and no cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del text  # at 100,000 resources it is tens of megabytes; blocks are decoded one by one
        catalogue = parse_blockwise(path, data, cache.load_parsed_blocks(path))
        if catalogue is None:
            catalogue = parse_catalogue(path, *decode_catalogue_text(path, data))
        catalogue.cache_key = key
        if not keep_source:
            del data  # before the cache entry is written: tens of megabytes at 100,000 resources
            catalogue.source = catalogue._text = None  # read again if ever needed: see `text`
        cache.store_entry(key, catalogue)
    finally:
        if was_enabled:
            gc.enable()
    return catalogue


def parse_catalogue(path: Path, text: str, bom: bool) -> Catalogue:
    """Parse and validate a catalogue's text (never cached: load_catalogue decides that)."""
    document, bad_literals, syntax_error = _parse_toml_with_bad_dates(path, text)
    raw_resources = document.get("resources", [])
    if not isinstance(raw_resources, list) or not all(
        isinstance(item, dict) for item in raw_resources
    ):
        key_line = _line_of_key(text, "resources")
        raise CatalogueUnreadableError(
            f"{path}:{key_line}:1: `resources` must be an array of tables ([[resources]])"
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
        appendable=appendable,
        _text=text,
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
        where = f"resource #{index}" if table_line is None else "resource"
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
                hint = ' (write a month or a year alone in quotes: "2009-03", "2009")'
                raise ResourceProblem(
                    f"{resource.id!r}: {bad.text} on line {bad.line} is not a real date"
                    + (hint if partial else "")
                )
        except ResourceProblem as problem:
            assert not isinstance(table, Resource)
            catalogue.problems.append(Problem(f"{where} {problem}", table_line))
            raw_id = table.id if isinstance(table, TooDeepBlock) else table.get("id")
            if isinstance(raw_id, str):
                catalogue._invalid_ids.add(raw_id)
            continue
        if resource.id in first_line_of_id:
            first = first_line_of_id[resource.id]
            also = f" (first used on line {first})" if first else ""
            catalogue.problems.append(
                Problem(f"{where} {resource.id!r}: duplicate id{also}", table_line)
            )
            continue
        first_line_of_id[resource.id] = table_line
        catalogue.resources.append(resource)
        if digest is not None:
            catalogue.parsed_blocks.append((digest, resource))
    for key, value in catalogue.trailer.items():
        # Written back by every rewrite, so held to the same depth as a resource's values.
        if isinstance(value, list | dict) and nesting_depth(value) > MAX_NESTING:
            catalogue.problems.append(Problem(f"top-level {too_deep_message(repr(key))}"))


class _TomlSyntaxError(CatalogueUnreadableError):
    """A file that is not TOML, with the line of the fault for the bad-date repair."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class TomlTooDeepError(_TomlSyntaxError):
    """TOML text nesting lists, tables or keys too deeply for the parser (see nesting.py)."""

    def __init__(self, path: Path, text: str) -> None:
        from csec_cli.nesting import line_too_deep, too_deep_message

        self.value_line = line_too_deep(text)
        line = self.value_line or 1
        super().__init__(f"{path}:{line}:1: {too_deep_message()}", line)


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
        reason = getattr(error, "msg", str(error))
        raise _TomlSyntaxError(f"{path}:{line}:{column}: not valid TOML: {reason}", line) from None
    except RecursionError:
        # tomli's own limit on nesting (400 levels, or 1,000 parts in a dotted key).
        raise TomlTooDeepError(path, text) from None
    finally:
        if was_enabled:
            gc.enable()


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
        # A zero-byte file reads as an accident (see load_catalogue), so a catalogue csec has
        # emptied on purpose says so.
        parts.append(EMPTY_CATALOGUE_TEXT)
    parts.extend(render_resource(resource) for resource in catalogue.resources)
    if catalogue.trailer:
        multiline = _multiline_safe(catalogue.trailer)
        parts.append(tomli_w.dumps(catalogue.trailer, multiline_strings=multiline))
    return "\n".join(parts)


def refuse_if_invalid(catalogue: Catalogue, fixing: str | None = None) -> None:
    """Writes wait until `csec check` reports no error, so a bad table is never written over;
    only an edit or remove of the faulty resource (`fixing`, its id) may go on, to fix it."""
    from csec_cli.checks import refuse_write_while_errors

    refuse_write_while_errors(catalogue, fixing=fixing)


@contextmanager
def catalogue_lock(path: Path) -> Iterator[None]:
    """Hold the catalogue's lock file for a whole read-modify-write."""
    from filelock import FileLock, Timeout

    path = _real_path(path)
    lock_path = path.with_name(path.name + ".lock")
    lock = FileLock(lock_path, timeout=LOCK_TIMEOUT_SECONDS)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise CsecError(
            f"{path}: another csec process has held the lock for {LOCK_TIMEOUT_SECONDS:.0f} s; "
            "try again when it has finished"
        ) from None
    except PermissionError:
        raise CsecError(f"{path.parent}: permission denied; cannot write the catalogue") from None
    except OSError as error:
        raise CsecError(
            f"{path.parent}: cannot write the catalogue here ({error.strerror or error})"
        ) from None
    # Only taking the lock is guarded above: an error inside the block keeps its own message.
    try:
        _remove_stale_temporary_files(path)
        yield
    finally:
        lock.release()


def _real_path(path: Path) -> Path:
    """The file a symbolic link points to: renaming over the link itself would cut it off from
    the file the user keeps (in a synced folder or a git checkout, say)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _remove_stale_temporary_files(path: Path) -> None:
    # Under the lock no other writer is between writing and renaming, so any temporary file left
    # here belongs to a writer that was killed.
    if not path.parent.is_dir():
        return
    for leftover in path.parent.glob(f"{_temporary_prefix(path)}*.tmp"):
        leftover.unlink(missing_ok=True)


def write_atomically(path: Path, text: str, *, crlf: bool = False, bom: bool = False) -> None:
    """Replace `path` with `text` so that readers see the old file or the new, never a mix."""
    _check_parses(text)  # a catalogue that does not parse is never written
    _replace_file(path, _encode_text(text, crlf=crlf, bom=bom))


def _check_parses(text: str) -> None:
    import tomli

    # A failure here is a bug in csec's writer, not the user's doing: let it raise (traceback).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        tomli.loads(text)
    finally:
        if was_enabled:
            gc.enable()


def _encode_text(text: str, *, crlf: bool, bom: bool) -> bytes:
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return ((_BOM if bom else "") + text).encode("utf-8")


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`."""
    with _replacing_file(path) as handle:
        handle.write(data)


@contextmanager
def _replacing_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path`, open for writing: when the block succeeds it is fsynced,
    given `path`'s permissions and renamed over it; when anything fails it is removed, and an
    OSError becomes one line saying the catalogue is unchanged."""
    path = _real_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        descriptor, temporary = tempfile.mkstemp(
            prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise _write_failed(path, error) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_failed(path, error) from None
        raise
    _fsync_directory(path.parent)


def _write_failed(path: Path, error: OSError) -> CsecError:
    """A write that failed part-way (disk full, say): the catalogue is as it was before."""
    reason = error.strerror or str(error)
    return CsecError(f"{path}: could not write the catalogue ({reason}); it is unchanged")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def save_catalogue(catalogue: Catalogue) -> None:
    """Write the whole catalogue back in csec's deterministic form, and cache what was written.

    A file csec wrote itself is in that form already (`canonical`): its unchanged resources'
    blocks are copied as bytes, and only new or changed resources rendered and checked, which
    gives the same bytes as rendering all of them at a small part of the cost.
    """
    data = _spliced_bytes(catalogue)
    catalogue.cache_key = None  # no longer the bytes it was read from
    if data is None:
        text = render_catalogue(catalogue)
        write_atomically(catalogue.path, text, crlf=catalogue.crlf, bom=catalogue.bom)
        data = _encode_text(text, crlf=catalogue.crlf, bom=catalogue.bom)
    else:
        _replace_file(catalogue.path, data)
    _cache_written(catalogue, data)


def _spliced_bytes(catalogue: Catalogue) -> bytes | None:
    """The bytes render_catalogue would give, from the canonical file's own blocks where the
    resource is unchanged; None where that cannot be done plainly (see save_catalogue)."""
    from csec_cli.blockwise import _block_starts

    loaded, source = catalogue.loaded_resources, catalogue.source
    if (
        not catalogue.canonical
        or loaded is None
        or source is None
        or catalogue.crlf
        or catalogue.trailer
        or not catalogue.resources
    ):
        return None
    begin = len(_BOM_BYTES) if catalogue.bom else 0
    starts = _block_starts(source, begin)
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
        if not _is_resource_block(block):
            return None
        pieces.append(block.encode("utf-8"))
    head = source[: starts[0]] if starts else source
    return head + b"\n".join(pieces)


def _cache_written(catalogue: Catalogue, data: bytes) -> None:
    """Make `catalogue` what loading the file just written gives, and cache it as such."""
    from csec_cli import cache
    from csec_cli.blockwise import _block_starts, _moved, block_digest

    try:
        mtime_ns = catalogue.path.stat().st_mtime_ns
    except OSError:
        return
    starts = _block_starts(data, len(_BOM_BYTES) if catalogue.bom else 0)
    catalogue.parsed_blocks = []
    if len(starts) == len(catalogue.resources) and not catalogue.trailer:
        # A canonical file has one block per resource, in order; lines and digests follow.
        # (With other tables after the resources, the last block holds them too: not noted.)
        moved = []
        line = 1 + data.count(b"\n", 0, starts[0]) if starts else 1
        for (start, end), resource in zip(
            pairwise([*starts, len(data)]), catalogue.resources, strict=True
        ):
            resource = resource if resource.line == line else _moved(resource, line)
            moved.append(resource)
            catalogue.parsed_blocks.append((block_digest(data[start:end]), resource))
            line += data.count(b"\n", start, end)
        catalogue.resources = moved
    else:
        return  # lines unknown without parsing: the next read parses and caches
    catalogue.source, catalogue._text, catalogue.canonical = data, None, True
    catalogue.appendable = True  # every resource is now a `[[resources]]` table of its own
    catalogue.loaded_resources = list(catalogue.resources)
    catalogue.cache_key = cache.CacheKey.of(catalogue.path, data, mtime_ns)
    cache.store_entry(catalogue.cache_key, catalogue)


def _load_for_update(
    location: CatalogueLocation,
    create: bool,
    *,
    keep_source: bool = True,
    fixing: str | None = None,
) -> Catalogue:
    path = location.path
    if not path.exists():
        if location.uses_seed:
            seed = load_catalogue(seed_catalogue_path(), keep_source=True)
            seed.path = path
            return seed
        if create:
            return Catalogue(path=path)
    catalogue = load_catalogue(path, keep_source=keep_source)
    catalogue.loaded_resources = list(catalogue.resources)
    refuse_if_invalid(catalogue, fixing)
    return catalogue


def refuse_unwritable(path: Path) -> None:
    """Stop before locking when the file cannot be replaced by this user.

    The atomic rename would succeed on a read-only file in a writable folder; a file its owner
    made read-only is meant to stay as it is. So its owner's write bit decides for every user,
    root too (for whom os.access says yes to everything). A dangling symbolic link is refused,
    never followed to create a folder and a file where it points.
    """
    if path.is_dir():
        raise CatalogueUnreadableError(f"{path}: is a directory, not a catalogue file")
    if path.is_symlink() and not path.exists():
        raise CatalogueUnreadableError(_dangling_link(path))
    if path.exists() and not os.stat(path).st_mode & stat.S_IWUSR:
        raise CatalogueUnreadableError(
            f"{path}: the file is read-only (its owner has no write permission); "
            f"`chmod u+w {path}` lets csec change it"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CatalogueUnreadableError(f"{path}: permission denied; the file is read-only for you")


def _dangling_link(path: Path) -> str:
    return (
        f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
        "create that file, or point the link at the catalogue"
    )


@contextmanager
def updating_catalogue(
    location: CatalogueLocation, *, create: bool = False, fixing: str | None = None
) -> Iterator[Catalogue]:
    """Lock, load and validate; yield for changes; write back only if the block succeeds and
    left no resource `csec check` reports an error in.

    The default catalogue starts as a copy of the shipped seed on its first write; with `create`,
    a missing file at any other path starts empty. `fixing` is the id of the one resource an
    edit or remove may change while it has an error (see refuse_if_invalid).
    """
    from csec_cli.checks import refuse_faulty_changes

    refuse_unwritable(location.path)
    with catalogue_lock(location.path):
        catalogue = _load_for_update(location, create, fixing=fixing)
        yield catalogue
        # The rest passed the check on loading: only what changed, and `fixing`, need it now.
        loaded = {id(resource) for resource in catalogue.loaded_resources or ()}
        refuse_faulty_changes(
            catalogue,
            (r for r in catalogue.resources if id(r) not in loaded or r.id == fixing),
        )
        save_catalogue(catalogue)


def append_resource(
    location: CatalogueLocation,
    resource: Resource,
    *,
    fresh_id: bool = False,
    check: Callable[[Catalogue], None] | None = None,
) -> Catalogue:
    """Add one resource by appending its table to the file as it stands (comments kept).

    Cheaper than a full rewrite, and the result is the same text a rewrite would give for a
    catalogue already in csec's form. Falls back to a rewrite when the file's resources are not
    all `[[resources]]` tables (an inline array cannot be extended by appending).

    With `fresh_id`, the id is made from the title against the ids in the file under the lock,
    so concurrent adds of similar titles never clash; the added resource is the last one of the
    catalogue returned.

    `check` is called under the lock with the catalogue as it stands, before anything is
    written, and raises to stop the append: what it checks against (a near-duplicate title,
    say) cannot change until the new resource is in the file.
    """
    from csec_cli.checks import refuse_faulty_changes
    from csec_cli.models import make_id

    refuse_unwritable(location.path)
    with catalogue_lock(location.path):
        # Without the file's bytes: an append to an LF file copies them in pieces instead
        # (_append_streamed), and any other reads them again, checked, when it needs them.
        catalogue = _load_for_update(location, create=True, keep_source=False)
        if check is not None:
            check(catalogue)
        taken = catalogue.ids()
        if fresh_id:
            resource = resource.with_changes(id=make_id(resource.title, taken))
        if resource.id in taken:
            raise CsecError(f"id {resource.id!r} is already in use")
        refuse_faulty_changes(catalogue, [resource])
        block = render_resource(resource)
        if catalogue.appendable and not catalogue.trailer and _is_resource_block(block):
            _append_to_file(catalogue, block)
        else:
            catalogue.resources.append(resource)
            save_catalogue(catalogue)
        return catalogue


def _is_resource_block(block: str) -> bool:
    """True when `block` is exactly one `[[resources]]` table (with any sub-tables of its own)."""
    import tomli

    if not block.startswith("[[resources]]\n"):
        return False
    document = tomli.loads(block)
    return set(document) == {"resources"} and len(document["resources"]) == 1


def _append_to_file(catalogue: Catalogue, block: str) -> None:
    """Append one resource's block to the file as it stands; refresh the cache for the result.

    The file's bytes parsed (load_catalogue proved it, under this lock), its resources are all
    `[[resources]]` tables, nothing follows them, and the block is one `[[resources]]` table that
    parses on its own: so the block extends the array and changes nothing above it, and checking
    the block is checking the whole file, at a tiny fraction of the cost of parsing it all again.
    The new resource is read back from the block exactly as a fresh load reads it, so the cache
    entry equals a fresh parse of the new file.
    """
    from csec_cli import cache
    from csec_cli.blockwise import block_digest

    (table,) = _parse_toml(catalogue.path, block)["resources"]
    try:
        resource_from_table(table)  # before anything is written; its line is known below
    except ResourceProblem as problem:
        raise CsecError(f"cannot add resource {problem}") from None
    key = catalogue.cache_key
    # Only for the bytes-as-read case of _appended_bytes: a CRLF file is rewritten through its
    # text, and a catalogue with only its text kept (or none, being new) has no file to copy.
    if (
        key is not None
        and key.size > len(_BOM_BYTES)
        and not catalogue.crlf
        and catalogue.source is None
        and catalogue._text is None
    ):
        size, digest, line = _append_streamed(catalogue.path, key, block)
        data = None
    else:
        data, line = _appended_bytes(catalogue, block)
        _replace_file(catalogue.path, data)
    catalogue.resources.append(resource_from_table(table, line))
    # The block ends the file, so the next read after a change finds it by these very bytes.
    written = _encode_text(block, crlf=catalogue.crlf, bom=False)
    if data is None or data.endswith(written):
        catalogue.parsed_blocks.append((block_digest(written), catalogue.resources[-1]))
    catalogue.source, catalogue._text, catalogue.cache_key = data, None, None
    try:
        mtime_ns = catalogue.path.stat().st_mtime_ns
    except OSError:
        return
    if data is None:
        catalogue.cache_key = cache.CacheKey(str(catalogue.path.absolute()), size, mtime_ns, digest)
    else:
        catalogue.cache_key = cache.CacheKey.of(catalogue.path, data, mtime_ns)
    cache.store_appended(catalogue.cache_key, catalogue)


# Big enough that copying costs little more than the read itself, small beside the file.
_COPY_PIECE = 1 << 20


def _append_streamed(path: Path, key: CacheKey, block: str) -> tuple[int, str, int]:
    """Write the file at `path` with `block` appended, as _appended_bytes would, copying the file
    in pieces rather than holding it: its size, SHA-256 and the line the block starts on.

    The file must still hold the bytes of `key` (an LF catalogue with something in it), read
    under this lock: anyone who changed it since did so without the lock, and their change and
    this append cannot both be kept.
    """
    import hashlib

    digest = hashlib.sha256()
    size = newlines = 0
    last = b""
    with _opened_catalogue(path) as source, _replacing_file(path) as target:
        while piece := source.read(_COPY_PIECE):
            target.write(piece)
            digest.update(piece)
            size += len(piece)
            newlines += piece.count(b"\n")
            last = piece[-1:]
        if size != key.size or digest.hexdigest() != key.digest:
            raise CsecError(f"{path}: the file changed while csec was using it; try again")
        ending = b"" if last == b"\n" else b"\n"
        appended = b"".join((ending, b"\n", block.encode("utf-8")))
        target.write(appended)
        digest.update(appended)
    return size + len(appended), digest.hexdigest(), newlines + len(ending) + 2


def _appended_bytes(catalogue: Catalogue, block: str) -> tuple[bytes, int]:
    """The file's bytes with `block` appended after one blank line, and the line it starts on."""
    source = catalogue.source
    body = source.removeprefix(_BOM_BYTES) if source is not None else b""
    if source is not None and body and not catalogue.crlf:
        # The bytes as read, extended: the same bytes as going through the text below, without
        # decoding and encoding the whole file (tens of megabytes at 100,000 resources).
        ending = b"" if body.endswith(b"\n") else b"\n"
        line = body.count(b"\n") + len(ending) + 2
        return b"".join((source, ending, b"\n", block.encode("utf-8"))), line
    text = catalogue.text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    line = text.count("\n") + 2 if text else 1
    text = f"{text}\n{block}" if text else block
    return _encode_text(text, crlf=catalogue.crlf, bom=catalogue.bom), line


def find_resource(resources: list[Resource], key: str, invalid_ids: Iterable[str] = ()) -> Resource:
    """The resource whose id is `key`, or the only one whose id starts with it.

    `invalid_ids` (of resources left out as invalid) turns "no such id" into the real reason.
    """
    from rapidfuzz import fuzz

    from csec_cli.errors import ResourceNotFoundError

    if not key.strip():
        raise ResourceNotFoundError("give an id, or the start of one; `csec list` shows the ids")
    for resource in resources:
        if resource.id == key:
            return resource
    matches = [resource for resource in resources if resource.id.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(resource.id for resource in matches[:6])
        more = ", …" if len(matches) > 6 else ""
        raise ResourceNotFoundError(f"{key!r} matches several ids ({shown}{more}); type more of it")
    if key in set(invalid_ids):
        raise ResourceNotFoundError(
            f"resource {key!r} is invalid, so it was skipped; `csec check` says what to fix"
        )
    # Compare with each whole id and with its start, so a typo in a prefix ("belise") still
    # finds the id it was meant to begin ("belize-protocol").
    scored = sorted(
        (max(fuzz.ratio(key, resource.id), fuzz.ratio(key, resource.id[: len(key)])), resource.id)
        for resource in resources
    )
    close = [found for score, found in reversed(scored) if score >= 70][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `csec list` shows the ids"
    raise ResourceNotFoundError(f"no resource with id {key!r}{hint}")
