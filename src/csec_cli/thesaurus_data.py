"""The field's thesaurus: csec's shipped file plus a team's own terms, validated and indexed.

The shipped file is src/csec_cli/thesaurus/thesaurus.toml (its header documents the schema). A team
adds terms without touching csec's files: $CSEC_THESAURUS names its file; when that variable is
unset, a `thesaurus.toml` beside the catalogue is used if there is one (an empty $CSEC_THESAURUS
turns the team file off). Problems are returned with file and line, never raised, so that search
keeps working and `csec check` can list them.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csec_cli.i18n import _
from csec_cli.models import fold_text

ENV_VAR = "CSEC_THESAURUS"
TEAM_FILE_NAME = "thesaurus.toml"
LANGUAGES = ("en", "es", "pt", "fr")
SHIPPED_PATH = Path(__file__).parent / "thesaurus" / "thesaurus.toml"

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADER_PATTERN = re.compile(r"^\s*\[\[\s*concept\s*\]\]")
_TOML_LINE_PATTERN = re.compile(r"at line (\d+)")
_TOML_PLACE_PATTERN = re.compile(r" \(at (line \d+, column \d+|end of document)\)$")
_WORD_PATTERN = re.compile(r"[^\W_]+")

# The shipped file never changes while csec runs: parse it once per process.
_shipped_cache: _Shipped | None = None


@dataclass(frozen=True)
class ThesaurusProblem:
    """One thing wrong in a thesaurus file, with the line it is on when that is known."""

    path: Path
    line: int | None
    message: str
    # "error": terms are lost (the file, a concept or a key is left out); "warning": all is
    # used, but a query may not do what the team meant.
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Concept:
    """A concept: its id, its terms per language (preferred term first) and a broader concept."""

    id: str
    terms: Mapping[str, tuple[str, ...]]
    broader: str | None = None

    def preferred(self, language: str) -> str | None:
        """The preferred term in a language, if the concept has one there."""
        terms = self.terms.get(language, ())
        return terms[0] if terms else None

    def all_terms(self) -> list[str]:
        """Every term, language by language in the order en, es, pt, fr."""
        return [term for language in LANGUAGES for term in self.terms.get(language, ())]


@dataclass
class Thesaurus:
    """The merged concepts, the problems found on the way, and a lookup by folded term."""

    concepts: dict[str, Concept]
    problems: list[ThesaurusProblem] = field(default_factory=list)
    _index: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    # What identifies the shipped file's terms (csec's version, the file's path, size and
    # modification time), when these are exactly its concepts: what is derived from them can be
    # cached under it without hashing every term (search_index.thesaurus_stem_table).
    shipped_key: tuple[str, str, int, int] | None = field(default=None, repr=False)

    @property
    def index(self) -> dict[str, tuple[str, ...]]:
        """Folded term -> ids of the concepts that have it (built on first use: ~4,000 terms)."""
        if self._index is None:
            self._index = build_index(self.concepts.values())
        return self._index

    def lookup(self, term: str) -> tuple[str, ...]:
        """Ids of the concepts a word or phrase names, in any language, any case, any accents."""
        return self.index.get(fold_term(term), ())

    def longest_phrase(self) -> int:
        """The most words any term has, so a caller knows how far to look for phrases."""
        return max((key.count(" ") + 1 for key in self.index), default=0)


def build_index(concepts: Iterable[Concept]) -> dict[str, tuple[str, ...]]:
    """Folded term -> ids of the concepts that have it, in the order the concepts come."""
    index: dict[str, list[str]] = {}
    for concept in concepts:
        for term in concept.all_terms():
            ids = index.setdefault(fold_term(term), [])
            if concept.id not in ids:
                ids.append(concept.id)
    index.pop("", None)
    return {term: tuple(ids) for term, ids in index.items()}


def fold_term(term: str) -> str:
    """A term's lookup key: lower case, no accents, words joined by single spaces, no punctuation.

    "Niños, niñas y adolescentes" and "ninos ninas y adolescentes" fold alike; so do "VIH/sida" and
    "vih sida". Fold a query phrase the same way before calling `Thesaurus.lookup`.
    """
    return " ".join(_WORD_PATTERN.findall(fold_text(term)))


def team_thesaurus_path(
    catalogue_path: Path | None, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The team's own thesaurus file: $CSEC_THESAURUS, else thesaurus.toml beside the catalogue."""
    environ = os.environ if environ is None else environ
    if ENV_VAR in environ:
        value = environ[ENV_VAR]
        return Path(value).expanduser() if value else None
    if catalogue_path is None:
        return None
    beside = catalogue_path.expanduser().parent / TEAM_FILE_NAME
    return beside if beside.is_file() else None


def load_thesaurus(
    catalogue_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    team_path: Path | None = None,
) -> Thesaurus:
    """The shipped thesaurus merged with the team's file (given, or found by team_thesaurus_path)."""
    global _shipped_cache
    if _shipped_cache is None:
        _shipped_cache = _read_shipped()
    shipped, problems, shipped_index, shipped_key = _shipped_cache
    concepts = {concept.id: concept for concept in shipped}
    problems = list(problems)
    if team_path is None:
        team_path = team_thesaurus_path(catalogue_path, environ)
    team: list[Concept] = []
    if team_path is not None:
        team, team_problems = read_thesaurus_file(team_path)
        problems.extend(team_problems)
        problems.extend(_merge(concepts, team, team_path))
    problems.extend(_check_broader(concepts.values(), team_path))
    # With no team concepts the shipped index is the index; otherwise it is rebuilt on first use.
    if team:
        return Thesaurus(concepts, problems)
    return Thesaurus(concepts, problems, dict(shipped_index), shipped_key)


# The shipped file read: its concepts, problems, index, and the key of its bytes (or None).
_Shipped = tuple[
    list[Concept],
    list[ThesaurusProblem],
    dict[str, tuple[str, ...]],
    tuple[str, str, int, int] | None,
]


def _read_shipped() -> _Shipped:
    """The shipped file (concepts, problems, index, and the key of its bytes when it could be
    read: Thesaurus.shipped_key), from a marshal copy in the user's cache when that copy is
    current.

    Parsing the ~2,500-line TOML takes ~50 ms, a tenth of a whole `csec search`; the marshal copy
    loads in ~2 ms. It is used only if written by this csec for a file of the same size and
    modification time; any trouble reading or writing it just means parsing the TOML again.
    """
    import marshal

    from csec_cli import __version__

    try:
        status = SHIPPED_PATH.stat()
        key = (__version__, str(SHIPPED_PATH), status.st_size, status.st_mtime_ns)
    except OSError:
        concepts, problems = read_thesaurus_file(SHIPPED_PATH)
        return concepts, problems, build_index(concepts), None
    copy = _cache_path()
    try:
        stored_key, rows, index = marshal.loads(copy.read_bytes())
        if tuple(stored_key) == key:
            concepts = [Concept(cid, dict(terms), broader) for cid, terms, broader in rows]
            return concepts, [], dict(index), key
    except Exception:  # a missing, truncated or foreign file is a miss, never a failure
        pass
    concepts, problems = read_thesaurus_file(SHIPPED_PATH)
    index = build_index(concepts)
    if not problems:
        rows = [(c.id, dict(c.terms), c.broader) for c in concepts]
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            partial = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps((key, rows, index)))
            partial.replace(copy)  # readers see the old copy or the new one, never half
        except OSError:
            pass
    return concepts, problems, index, None if problems else key


def _cache_path() -> Path:
    """Where the marshal copy of the shipped thesaurus lives."""
    from platformdirs import user_cache_path

    return user_cache_path("csec", appauthor=False) / "thesaurus.marshal"


def read_thesaurus_file(path: Path) -> tuple[list[Concept], list[ThesaurusProblem]]:
    """The valid concepts of one file and the problems of the rest."""
    try:
        text = _read_text(path)
    except FileNotFoundError:
        return [], [ThesaurusProblem(path, None, _("no such thesaurus file"))]
    except UnicodeDecodeError:
        return [], [ThesaurusProblem(path, None, _("not UTF-8 text"))]
    except _NotRegularFile:
        return [], [
            ThesaurusProblem(path, None, _("not a regular file (a pipe, device or socket)"))
        ]
    except OSError as error:
        reason = _("cannot be read ({reason})").format(reason=error.strerror or error)
        return [], [ThesaurusProblem(path, None, reason)]
    return parse_thesaurus(text, path)


class _NotRegularFile(Exception):
    """The thesaurus path names a pipe, a device or a socket."""


def _read_text(path: Path) -> str:
    """A file's UTF-8 text; a pipe, device or socket is refused (_NotRegularFile), as reading
    one may wait forever (a pipe no one writes to) or never end (/dev/zero)."""
    # Non-blocking, so that opening a pipe returns at once; what was opened is then checked.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        kind = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(kind):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(kind):
            raise _NotRegularFile(path)
        return handle.read().decode("utf-8")


def parse_thesaurus(text: str, path: Path) -> tuple[list[Concept], list[ThesaurusProblem]]:
    """Parse and validate a thesaurus text; a concept with a problem is left out, the rest kept."""
    import tomllib  # only when a thesaurus is needed: most commands never read one

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE_PATTERN.search(str(error))
        if found:
            line: int | None = int(found.group(1))
        else:  # "at end of document": an unclosed table or array
            line = max(len(text.splitlines()), 1) if "end of document" in str(error) else None
        from csec_cli.toml_format import toml_reason

        # The parser's reason, in the interface language, without the place it names: the
        # problem's line says where.
        reason = toml_reason(_TOML_PLACE_PATTERN.sub("", str(error)))
        return [], [ThesaurusProblem(path, line, _("not TOML: {error}").format(error=reason))]
    lines = text.splitlines()
    headers = [number for number, line in enumerate(lines, 1) if _HEADER_PATTERN.match(line)]
    problems: list[ThesaurusProblem] = []
    for key in data:
        if key != "concept":
            line = _line_of_key(lines, 0, len(lines), key)
            problems.append(
                ThesaurusProblem(
                    path,
                    line,
                    _("unknown table or key {key}: use [[concept]]").format(key=repr(key)),
                )
            )
    tables = data.get("concept", [])
    if not isinstance(tables, list):
        problems.append(ThesaurusProblem(path, None, _("`concept` must be [[concept]] tables")))
        return [], problems
    concepts: list[Concept] = []
    seen: dict[str, int | None] = {}
    for position, table in enumerate(tables):
        start = headers[position] if position < len(headers) else None
        end = headers[position + 1] - 1 if position + 1 < len(headers) else len(lines)
        concept, concept_problems = _concept_from_table(table, path, lines, start, end)
        problems.extend(concept_problems)
        if concept is None:
            continue
        if concept.id in seen:
            first = seen[concept.id]
            problems.append(
                ThesaurusProblem(
                    path,
                    start,
                    _("duplicate concept id {id} (first at line {line})").format(
                        id=repr(concept.id), line=first
                    )
                    if first
                    else _("duplicate concept id {id}").format(id=repr(concept.id)),
                )
            )
            continue
        seen[concept.id] = start
        concepts.append(concept)
    return concepts, problems


def _concept_from_table(
    table: Any, path: Path, lines: list[str], start: int | None, end: int
) -> tuple[Concept | None, list[ThesaurusProblem]]:
    """One [[concept]] table as a Concept, or None and why not."""

    def problem(message: str, key: str | None = None) -> ThesaurusProblem:
        line = _line_of_key(lines, start or 0, end, key) if key else None
        return ThesaurusProblem(path, line or start, message)

    if not isinstance(table, dict):
        return None, [problem(_("a concept must be a table"))]
    problems: list[ThesaurusProblem] = []
    concept_id = table.get("id")
    if concept_id is None:
        return None, [problem(_("concept without an id"))]
    if not isinstance(concept_id, str) or not _ID_PATTERN.match(concept_id):
        return None, [
            problem(
                _("concept id {id} must be lower-case letters, digits and hyphens").format(
                    id=repr(concept_id)
                ),
                "id",
            )
        ]
    label = _concept_label(concept_id)
    broader = table.get("broader")
    if broader is not None and (not isinstance(broader, str) or not _ID_PATTERN.match(broader)):
        problems.append(
            problem(_("{concept}: broader must be a concept id").format(concept=label), "broader")
        )
        broader = None
    if broader == concept_id:
        problems.append(
            problem(
                _("{concept}: a concept cannot be broader than itself").format(concept=label),
                "broader",
            )
        )
        broader = None
    terms: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if key in ("id", "broader"):
            continue
        if key not in LANGUAGES:
            problems.append(
                problem(
                    _(
                        "{concept}: unknown key {key} (languages are {languages}; other keys "
                        "are id and broader)"
                    ).format(concept=label, key=repr(key), languages=", ".join(LANGUAGES)),
                    key,
                )
            )
            continue
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(term, str) for term in values):
            problems.append(
                problem(
                    _("{concept}: {key} must be a list of strings").format(concept=label, key=key),
                    key,
                )
            )
            continue
        cleaned = [" ".join(term.split()) for term in values]
        if not all(fold_term(term) for term in cleaned):
            empty = problem(
                _("{concept}: {key} has an empty term (left out)").format(concept=label, key=key),
                key,
            )
            problems.append(ThesaurusProblem(empty.path, empty.line, empty.message, "warning"))
            cleaned = [term for term in cleaned if fold_term(term)]
        if cleaned:
            terms[key] = tuple(dict.fromkeys(cleaned))
    if not terms:
        problems.append(
            problem(
                _("{concept} has no terms: give at least one in en, es, pt or fr").format(
                    concept=label
                )
            )
        )
        return None, problems
    return Concept(concept_id, terms, broader), problems


def _merge(
    concepts: dict[str, Concept], team: Iterable[Concept], path: Path
) -> list[ThesaurusProblem]:
    """Add the team's concepts; a shipped id gets the team's terms after its own."""
    problems: list[ThesaurusProblem] = []
    for concept in team:
        shipped = concepts.get(concept.id)
        if shipped is None:
            concepts[concept.id] = concept
            continue
        terms = dict(shipped.terms)
        for language, extra in concept.terms.items():
            terms[language] = tuple(dict.fromkeys(terms.get(language, ()) + extra))
        broader = shipped.broader
        if concept.broader is not None and concept.broader != shipped.broader:
            if shipped.broader is None:
                broader = concept.broader
            else:
                problems.append(
                    ThesaurusProblem(
                        path,
                        None,
                        _(
                            "{concept}: csec's thesaurus gives broader {broader}; a team file "
                            "adds terms, it cannot change that"
                        ).format(concept=_concept_label(concept.id), broader=repr(shipped.broader)),
                        "warning",
                    )
                )
        concepts[concept.id] = Concept(concept.id, terms, broader)
    return problems


def _check_broader(concepts: Iterable[Concept], team_path: Path | None) -> list[ThesaurusProblem]:
    """Every broader id names a concept that exists."""
    known = {concept.id for concept in concepts}
    return [
        ThesaurusProblem(
            team_path or SHIPPED_PATH,
            None,
            _missing_broader(concept),
        )
        for concept in concepts
        if concept.broader is not None and concept.broader not in known
    ]


def _concept_label(concept_id: object) -> str:
    """How a problem names a concept: "concept 'my-trafficking'"."""
    return _("concept {id}").format(id=repr(concept_id))


def _missing_broader(concept: Concept) -> str:
    """The problem of a concept whose broader id names no concept (the one wording that
    _check_broader writes and check_team_thesaurus finds the line of)."""
    return _("{concept}: broader concept {broader} does not exist").format(
        concept=_concept_label(concept.id), broader=repr(concept.broader)
    )


def _line_of_key(lines: list[str], start: int, end: int, key: str | None) -> int | None:
    """The line (1-based) within [start, end] where `key =` is written, if it is."""
    if key is None:
        return None
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(max(start, 1), min(end, len(lines)) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None


@dataclass(frozen=True)
class TeamThesaurusCheck:
    """What `csec check` says of the team's thesaurus: which file, its concepts, its problems."""

    path: Path
    concepts: int
    problems: list[ThesaurusProblem]


def check_team_thesaurus(
    catalogue_path: Path | None, environ: Mapping[str, str] | None = None
) -> TeamThesaurusCheck | None:
    """Validate the team's thesaurus file, if one is in use; None when there is none.

    Besides what reading finds (not TOML, unknown keys, bad ids, empty terms ...), a team term
    that also names another concept is a warning: a query with it finds both concepts.
    """
    path = team_thesaurus_path(catalogue_path, environ)
    if path is None:
        return None
    team, problems = read_thesaurus_file(path)
    merged = load_thesaurus(team_path=path)
    lines = _text_lines(path)
    # _check_broader knows no lines: a missing broader id is pointed at where it is written.
    broader_lines = {
        _missing_broader(concept): _line_of_term(lines, concept.broader)
        for concept in team
        if concept.broader
    }
    for problem in merged.problems:
        if problem.path == path and problem not in problems:
            line = problem.line or broader_lines.get(problem.message)
            problems.append(ThesaurusProblem(path, line, problem.message, problem.severity))
    for concept in team:
        for term in concept.all_terms():
            others = [cid for cid in merged.lookup(term) if cid != concept.id]
            if others:
                names = ", ".join(repr(other) for other in others)
                message = _(
                    "{concept}: term {term} also names {names}; a query with it finds both"
                ).format(concept=_concept_label(concept.id), term=repr(term), names=names)
                problems.append(
                    ThesaurusProblem(path, _line_of_term(lines, term), message, "warning")
                )
    return TeamThesaurusCheck(path, len(team), problems)


def _text_lines(path: Path) -> list[str]:
    """A file's lines, or none if it cannot be read as text."""
    try:
        return _read_text(path).splitlines()
    except (OSError, UnicodeDecodeError, _NotRegularFile):
        return []


def _line_of_term(lines: list[str], term: str) -> int | None:
    """The first line (1-based) where a term is written as a quoted string."""
    for quoted in (f'"{term}"', f"'{term}'"):
        for number, line in enumerate(lines, 1):
            if quoted in line:
                return number
    return None
