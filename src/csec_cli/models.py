"""The Resource record: validation from a catalogue table, and conversion to TOML and JSON shapes."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from csec_cli.dates import PartialDate
from csec_cli.i18n import _, pgettext
from csec_cli.nesting import MAX_NESTING, nesting_depth, too_deep_message

# The field names of the contract, in the order csec writes them.
FIELD_ORDER = (
    "id", "title", "date", "summary", "type", "audience", "topics", "countries",
    "language", "publisher", "url", "added",
    "authors", "isbn", "issn", "place", "series", "notes", "files",
)  # fmt: skip
# The lists that describe what a resource is about and for: offered as known values, checked for
# spellings, filtered by their own flags.
SUBJECT_LIST_FIELDS = ("audience", "topics", "countries")
# Every field that holds a list of strings.
LIST_FIELDS = (*SUBJECT_LIST_FIELDS, "authors", "files")
# What separates the items of a list when it is one piece of text: a CSV cell, `show`, a flag.
# An item therefore never holds it: typed or imported, "a; b" is two items.
LIST_ITEM_SEPARATOR = ";"
TEXT_FIELDS = (
    "summary", "type", "language", "publisher", "url", "isbn", "issn", "place", "series", "notes",
)  # fmt: skip
_KNOWN_FIELDS = frozenset(FIELD_ORDER)
# The fields of the bibliographic record (issue 14), and the text fields before them.
_RECORD_FIELDS = frozenset(FIELD_ORDER[FIELD_ORDER.index("authors") :])
_BASE_TEXT_FIELDS = tuple(name for name in TEXT_FIELDS if name not in _RECORD_FIELDS)

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")
# Words too common in this domain's titles to make an id worth typing.
_ID_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "from",
        "at",
        "as",
        "its",
        "it",
        "is",
        "are",
        "how",
        "what",
        "who",
        "why",
        "y",
        "de",
        "del",
        "la",
        "las",
        "el",
        "los",
        "en",
        "para",
        "por",
        "con",
    ]
)


class ResourceProblem(ValueError):
    """Why one catalogue table is not a valid resource."""


def field_in_prose(name: str) -> str:
    """A field's name in a sentence, in the interface language: "audience" → "público" (English
    says the key itself, as the file writes it)."""
    # Translators: the context "field" is a field's name inside a sentence ("the field {field}").
    names = {
        "id": pgettext("field", "id"),
        "title": pgettext("field", "title"),
        "date": pgettext("field", "date"),
        "summary": pgettext("field", "summary"),
        "type": pgettext("field", "type"),
        "audience": pgettext("field", "audience"),
        "topics": pgettext("field", "topics"),
        "countries": pgettext("field", "countries"),
        "language": pgettext("field", "language"),
        "publisher": pgettext("field", "publisher"),
        "url": pgettext("field", "url"),
        "added": pgettext("field", "added"),
        "authors": pgettext("field", "authors"),
        "isbn": pgettext("field", "isbn"),
        "issn": pgettext("field", "issn"),
        "place": pgettext("field", "place"),
        "series": pgettext("field", "series"),
        "notes": pgettext("field", "notes"),
        "files": pgettext("field", "files"),
    }
    return names.get(name, name)


@dataclass(frozen=True)
class Resource:
    """One catalogued resource; `extra` keeps keys csec does not know, value for value."""

    id: str
    title: str
    date: PartialDate | None = None
    summary: str | None = None
    type: str | None = None
    audience: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    language: str | None = None
    publisher: str | None = None
    url: str | None = None
    added: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    isbn: str | None = None
    issn: str | None = None
    place: str | None = None
    series: str | None = None
    notes: str | None = None
    files: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=True)
    line: int | None = field(default=None, compare=False)
    # List fields the file holds as an empty list (`audience = []`): the user wrote them, so a
    # rewrite keeps them, until a change to the field itself.
    written_empty: frozenset[str] = field(default=frozenset(), compare=False)

    def with_changes(self, **changes: Any) -> Resource:
        """A copy with some fields replaced."""
        if not self.written_empty.isdisjoint(changes):
            changes.setdefault("written_empty", self.written_empty.difference(changes))
        return replace(self, **changes)


def split_list_text(text: str) -> list[str]:
    """The items one piece of list text holds: split at ';', outer spaces and empty items dropped."""
    items = (piece.strip() for piece in text.split(LIST_ITEM_SEPARATOR))
    return [item for item in items if item]


def resource_from_table(table: dict[str, Any], line: int | None = None) -> Resource:
    """Validate one `[[resources]]` table; raise ResourceProblem naming the first fault."""
    raw_id = table.get("id")
    if raw_id is None:
        raise ResourceProblem(_("has no id"))
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise ResourceProblem(
            _("id must be a non-empty string, not {value}").format(value=repr(raw_id))
        )
    title = table.get("title")
    if title is None:
        raise ResourceProblem(_("{id} has no title").format(id=repr(raw_id)))
    if not isinstance(title, str) or not title.strip():
        raise ResourceProblem(
            _("{id}: title must be a non-empty string, not {value}").format(
                id=repr(raw_id), value=repr(title)
            )
        )
    values: dict[str, Any] = {"id": raw_id, "title": title, "line": line}
    if "date" in table:
        try:
            values["date"] = PartialDate.from_toml(table["date"])
        except ValueError as error:
            raise ResourceProblem(_("{id}: {fault}").format(id=repr(raw_id), fault=error)) from None
    # Most catalogues hold few of the bibliographic fields: one set operation in C skips them.
    record_fields = not table.keys().isdisjoint(_RECORD_FIELDS)
    for name in TEXT_FIELDS if record_fields else _BASE_TEXT_FIELDS:
        if name in table:
            value = table[name]
            if not isinstance(value, str):
                raise ResourceProblem(
                    _("{id}: {field} must be a string, not {value}").format(
                        id=repr(raw_id), field=field_in_prose(name), value=repr(value)
                    )
                )
            values[name] = value
    for name in LIST_FIELDS if record_fields else SUBJECT_LIST_FIELDS:
        if name in table:
            value = table[name]
            if isinstance(value, str):
                raise ResourceProblem(
                    _('{id}: {field} must be a list of strings, e.g. {key} = ["{value}"]').format(
                        id=repr(raw_id), field=field_in_prose(name), key=name, value=value
                    )
                )
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ResourceProblem(
                    _("{id}: {field} must be a list of strings").format(
                        id=repr(raw_id), field=field_in_prose(name)
                    )
                )
            values[name] = tuple(value)
            if not value:
                values["written_empty"] = values.get("written_empty", frozenset()) | {name}
    if "added" in table:
        added = table["added"]
        if not isinstance(added, dt.datetime):
            raise ResourceProblem(
                _(
                    "{id}: added must be a TOML date-time (2026-11-28T10:15:00Z), not {value}"
                ).format(id=repr(raw_id), value=repr(added))
            )
        values["added"] = added
    values["extra"] = {key: value for key, value in table.items() if key not in _KNOWN_FIELDS}
    for key, value in values["extra"].items():
        # Known fields are flat by now; a value nested deeper than any writer can take is not
        # kept (see nesting.py).
        if isinstance(value, list | dict) and nesting_depth(value) > MAX_NESTING:
            raise ResourceProblem(
                _("{id}: {fault}").format(id=repr(raw_id), fault=too_deep_message(key))
            )
    return Resource(**values)


def resource_to_table(resource: Resource) -> dict[str, Any]:
    """The TOML table for a resource: known fields in contract order, then unknown keys sorted."""
    table: dict[str, Any] = {"id": resource.id, "title": resource.title}
    if resource.date is not None:
        table["date"] = resource.date.to_toml()
    for name in ("summary", "type"):
        if getattr(resource, name) is not None:
            table[name] = getattr(resource, name)
    for name in SUBJECT_LIST_FIELDS:
        if getattr(resource, name) or name in resource.written_empty:
            table[name] = list(getattr(resource, name))
    for name in ("language", "publisher", "url"):
        if getattr(resource, name) is not None:
            table[name] = getattr(resource, name)
    if resource.added is not None:
        table["added"] = resource.added
    if resource.authors or "authors" in resource.written_empty:
        table["authors"] = list(resource.authors)
    for name in ("isbn", "issn", "place", "series", "notes"):
        if getattr(resource, name) is not None:
            table[name] = getattr(resource, name)
    if resource.files or "files" in resource.written_empty:
        table["files"] = list(resource.files)
    for key in sorted(resource.extra):
        table[key] = resource.extra[key]
    return table


def resource_to_json(resource: Resource) -> dict[str, Any]:
    """The JSON object for a resource: every contract field (null or [] when absent), ISO dates."""
    data: dict[str, Any] = {
        "id": resource.id,
        "title": resource.title,
        "date": resource.date.iso() if resource.date else None,
        "summary": resource.summary,
        "type": resource.type,
        "audience": list(resource.audience),
        "topics": list(resource.topics),
        "countries": list(resource.countries),
        "language": resource.language,
        "publisher": resource.publisher,
        "url": resource.url,
        "added": iso_datetime(resource.added) if resource.added else None,
        "authors": list(resource.authors),
        "isbn": resource.isbn,
        "issn": resource.issn,
        "place": resource.place,
        "series": resource.series,
        "notes": resource.notes,
        "files": list(resource.files),
    }
    for key in sorted(resource.extra):
        data[key] = _jsonable(resource.extra[key])
    return data


def iso_datetime(value: dt.datetime) -> str:
    """ISO 8601, with UTC written as Z."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _jsonable(value: Any) -> Any:
    """Turn TOML values kept in `extra` (dates, nested tables) into JSON-ready ones."""
    if isinstance(value, dt.datetime):
        return iso_datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        # TOML has nan and inf; JSON has neither (Python would write NaN, which no JSON reader
        # takes), so they are written as TOML spells them, as text.
        return str(value)
    return value


# Characters a terminal or a text viewer would act on rather than show: C0 controls but tab and
# newline, DEL, C1 controls, bidi marks, embeddings, overrides and isolates that reorder what is
# shown (U+061C, U+200E/F, U+202A-E, U+2066-9), and the line and paragraph separators U+2028/9
# that break a line where nothing shows one.
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def show_control_characters(text: str) -> str:
    """Text with each control character written out as `\\x1b` / `\\u202e`, so it is seen, not run."""
    return CONTROL_CHARACTERS.sub(_escape_control, text)


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def fold_text(text: str) -> str:
    """Case- and accent-insensitive form of a value: "Panamá" and "panama" fold alike."""
    if text.isascii():
        # ASCII has nothing to decompose or drop: the same result, without a step per letter.
        return text.casefold().strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def make_id(title: str, taken: Iterable[str]) -> str:
    """A short, typable, unique id from the first meaningful words of a title."""
    words = re.findall(r"[a-z0-9]+", fold_text(title))
    meaningful = [word for word in words if word not in _ID_STOPWORDS] or words or ["resource"]
    base = ""
    for word in meaningful[:5]:
        candidate = f"{base}-{word}" if base else word
        if len(candidate) > 40 and base:
            break
        base = candidate[:40]
    taken_ids = set(taken)
    if base not in taken_ids:
        return base
    counter = 2
    while f"{base}-{counter}" in taken_ids:
        counter += 1
    return f"{base}-{counter}"


def is_valid_id(value: str) -> bool:
    """Ids csec makes: lower-case letters, digits and hyphens."""
    return bool(_ID_PATTERN.match(value))


def is_valid_language(value: str) -> bool:
    """An ISO 639-1 code: two lower-case letters."""
    return bool(_LANGUAGE_PATTERN.match(value))
