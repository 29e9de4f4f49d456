"""Turning records read from a file into new resources: validation, duplicates, similar titles.

Decided here once for every format. A record whose folded title (no case, accents, punctuation or
spacing) and date equal those of a resource already in the catalogue, or of an earlier record, is
a duplicate and skipped, so importing the same file twice adds nothing. A record whose title is
merely close is imported and flagged for review: a report and its executive summary, or two
issues of one series, are different resources.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from csec_cli.checks import SPELLING_FIELDS, resource_errors
from csec_cli.dates import PartialDate
from csec_cli.formats import ImportRecord
from csec_cli.i18n import _, ngettext
from csec_cli.identifiers import identifier_in, isbn_fault, issn_fault
from csec_cli.languages import language_code
from csec_cli.models import (
    FIELD_ORDER,
    LIST_FIELDS,
    TEXT_FIELDS,
    Resource,
    ResourceProblem,
    field_in_prose,
    fold_text,
    is_valid_id,
    make_id,
    resource_from_table,
    split_list_text,
)
from csec_cli.nesting import MAX_NESTING, nesting_depth, too_deep_message
from csec_cli.spellings import KnownValues

# Where import keeps a language it cannot name by an ISO 639-1 code, rather than lose it or store
# an invalid `language` (see docs/formats.md).
LANGUAGE_ORIGINAL = "language_original"
# How many different values a summary line shows before "…".
_EXAMPLES = 3

# Titles this close (rapidfuzz ratio on folded text, 0–100) are listed as possible duplicates.
# Lower than `csec check`'s 95 on purpose: an import is the moment to look, and a flag is cheap.
SIMILAR_TITLE_SCORE = 90.0


@dataclass(frozen=True)
class Rejected:
    """A record that is not a valid resource."""

    where: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A record skipped because the catalogue (or an earlier record) already holds it."""

    where: str
    title: str
    same_as: str


@dataclass(frozen=True)
class Similar:
    """A record whose title is close to another's: imported (or skipped) and worth a look."""

    where: str
    resource: Resource
    similar_to: str


@dataclass(frozen=True)
class NearMiss:
    """A value of an added record spelled like, or one slip from, one already in use (the rule
    of spellings.py, as for add, edit and check); it is kept as given."""

    where: str
    field_name: str
    value: str
    existing: str


@dataclass
class ImportPlan:
    """What an import does: the resources to add and every record it leaves out or flags."""

    added: list[Resource] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    similar: list[Similar] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    skip_similar: bool = False
    # What became of fields the file names otherwise or csec does not know, in added records:
    # (what happened, the file's name for the field, csec's key) → records, and example values.
    field_notes: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    @property
    def records(self) -> int:
        """How many records the file held."""
        skipped = len(self.similar) if self.skip_similar else 0
        return len(self.added) + len(self.duplicates) + len(self.rejected) + skipped


class _TitleIndex:
    """Titles kept in length order, so a lookup compares only titles that could score high.

    fuzz.ratio(a, b) = 100 * (1 - d / (len(a) + len(b))) with d >= |len(a) - len(b)|, so a score
    of 90 or more needs the lengths within a factor of 11/9: the rest can be skipped unread.
    """

    def __init__(self) -> None:
        self.lengths: list[int] = []
        self.texts: list[str] = []
        self.labels: list[str] = []

    def add(self, text: str, label: str) -> None:
        index = bisect.bisect_right(self.lengths, len(text))
        self.lengths.insert(index, len(text))
        self.texts.insert(index, text)
        self.labels.insert(index, label)

    def most_similar(self, text: str) -> str | None:
        from rapidfuzz import fuzz, process

        low = bisect.bisect_left(self.lengths, math.floor(len(text) * 9 / 11))
        high = bisect.bisect_right(self.lengths, math.ceil(len(text) * 11 / 9))
        if low >= high:
            return None
        best = process.extractOne(
            text, self.texts[low:high], scorer=fuzz.ratio, score_cutoff=SIMILAR_TITLE_SCORE
        )
        return self.labels[low + best[2]] if best else None


def title_key(title: str) -> str:
    """The title with case, accents, punctuation and spacing ignored."""
    return re.sub(r"[\W_]+", "", fold_text(title))


def _similarity_text(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", fold_text(title)).split())


def _clean_text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ResourceProblem(
            _("{field} must be text, not {value}").format(
                field=field_in_prose(name), value=repr(value)
            )
        )
    text = str(value).strip()
    return text or None


def _clean_list(name: str, value: Any) -> list[str]:
    # The same items `add` would store for the same text: ';' separates items in every format.
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ResourceProblem(
            _("{field} must be a list of text or text separated by ';'").format(
                field=field_in_prose(name)
            )
        )
    cleaned = [_clean_text(name, item) for item in items]
    return [piece for item in cleaned if item for piece in split_list_text(item)]


def _clean_extra(value: Any) -> Any:
    """A value TOML can keep; None (JSON null, an empty cell) means absent."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return [item for item in (_clean_extra(item) for item in value) if item is not None]
    if isinstance(value, dict):
        return {
            str(k): v for k, v in ((k, _clean_extra(v)) for k, v in value.items()) if v is not None
        }
    return value


@dataclass(frozen=True)
class FieldNote:
    """One thing import did with one field of one record, for the summary."""

    kind: str  # "kept" (an extra key), "language" (a name read as a code), "language_unknown"
    source: str  # what the file calls the field
    key: str  # the key it was kept under
    example: str = ""


def _language(value: str, source: str, table: dict[str, Any], notes: list[FieldNote]) -> None:
    code = language_code(value)
    if code is None:
        table.setdefault(LANGUAGE_ORIGINAL, value)
        notes.append(FieldNote("language_unknown", source, LANGUAGE_ORIGINAL, repr(value)))
        return
    table["language"] = code
    if code != value:
        notes.append(FieldNote("language", source, "language", f"{value!r} → {code}"))


_IDENTIFIER_FAULTS = {"isbn": isbn_fault, "issn": issn_fault}


def _identifier(
    name: str, value: str, source: str, table: dict[str, Any], notes: list[FieldNote]
) -> None:
    """An ISBN or ISSN field as reference managers fill it ("978-… (pbk.)", two editions): the
    first valid number is the field, and the whole text is kept beside it as `NAME_original`.
    One that holds no valid number is left as given, for `check`'s rule to reject with its
    reason."""
    found = identifier_in(value, _IDENTIFIER_FAULTS[name])
    if found is None or found == value:
        table[name] = value
        return
    table[name] = found
    table.setdefault(f"{name}_original", value)
    notes.append(FieldNote("identifier", source, name, f"{value!r} → {found!r}"))


def record_table(
    record: ImportRecord, taken_ids: set[str], notes: list[FieldNote] | None = None
) -> dict[str, Any]:
    """The catalogue table for a record; raise ResourceProblem saying what is wrong with it.

    A record's own id is kept when it is valid and free (so an export imported elsewhere keeps
    its ids); otherwise one is made from the title. `added` is always now, set by the caller.
    A language is stored as its ISO 639-1 code; one that has none is kept as
    `language_original`. `notes` receives what the summary says about the record's fields.
    """
    notes = [] if notes is None else notes
    fields = record.fields
    title = _clean_text("title", fields.get("title"))
    if title is None:
        raise ResourceProblem(_("has no title"))
    table: dict[str, Any] = {"title": title}
    date_text = _clean_text("date", fields.get("date"))
    if date_text is not None:
        try:
            table["date"] = PartialDate.parse(date_text).to_toml()
        except ValueError as error:
            raise ResourceProblem(_("date {fault}").format(fault=error)) from None
    for name in TEXT_FIELDS:
        value = _clean_text(name, fields.get(name))
        if value is None:
            continue
        if name == "language":
            _language(value, record.sources.get(name, name), table, notes)
        elif name in _IDENTIFIER_FAULTS:
            _identifier(name, value, record.sources.get(name, name), table, notes)
        else:
            table[name] = value
    for name in LIST_FIELDS:
        values = _clean_list(name, fields.get(name))
        if values:
            table[name] = values
    for key, value in fields.items():
        if key in FIELD_ORDER or not key.strip():
            continue
        if isinstance(value, list | dict) and nesting_depth(value) > MAX_NESTING:
            # Before _clean_extra, which recurses once per level.
            raise ResourceProblem(too_deep_message(key))
        kept = _clean_extra(value)
        if kept not in (None, [], {}):
            table[key] = kept
            notes.append(FieldNote("kept", record.sources.get(key, key), key))
    given_id = _clean_text("id", fields.get("id"))
    if given_id is not None and is_valid_id(given_id) and given_id not in taken_ids:
        table["id"] = given_id
    else:
        table["id"] = make_id(title, taken_ids)
    return table


def plan_import(
    records: Iterable[ImportRecord],
    existing: Sequence[Resource],
    taken_ids: Iterable[str],
    *,
    now: dt.datetime | None = None,
    skip_similar: bool = False,
) -> ImportPlan:
    """Validate every record and sort it into added, duplicate, similar or rejected."""
    added_at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    plan = ImportPlan(skip_similar=skip_similar)
    taken = set(taken_ids)
    known: dict[tuple[str, str], str] = {}
    index = _TitleIndex()
    by_title: dict[str, str] = {}
    wheres: list[str] = []  # where each added resource's record was
    for resource in existing:
        key = title_key(resource.title)
        known.setdefault((key, resource.date.iso() if resource.date else ""), repr(resource.id))
        by_title.setdefault(key, repr(resource.id))
        index.add(_similarity_text(resource.title), repr(resource.id))
    for record in records:
        if record.problem is not None:
            plan.rejected.append(Rejected(record.where, record.problem))
            continue
        notes: list[FieldNote] = []
        try:
            table = record_table(record, taken, notes)
            table["added"] = added_at
            resource = resource_from_table(table)
        except ResourceProblem as problem:
            plan.rejected.append(Rejected(record.where, str(problem)))
            continue
        faults = resource_errors(resource, dt.date.today())
        if faults:
            # What `check` would report an error in is never written (see checks.py).
            plan.rejected.append(Rejected(record.where, faults[0]))
            continue
        key = title_key(resource.title)
        date = resource.date.iso() if resource.date else ""
        if (key, date) in known:
            plan.duplicates.append(Duplicate(record.where, resource.title, known[(key, date)]))
            continue
        text = _similarity_text(resource.title)
        similar_to = by_title.get(key)
        if similar_to is None:
            similar_to = index.most_similar(text)
        if similar_to is not None:
            plan.similar.append(Similar(record.where, resource, similar_to))
            if skip_similar:
                continue
        plan.added.append(resource)
        _count_notes(plan, notes, record.dropped)
        wheres.append(record.where)
        taken.add(resource.id)
        known[(key, date)] = record.where
        by_title.setdefault(key, record.where)
        index.add(text, record.where)
    plan.near_misses = find_near_misses(list(zip(wheres, plan.added, strict=True)), existing)
    return plan


def _count_notes(plan: ImportPlan, notes: list[FieldNote], dropped: Iterable[str]) -> None:
    for note in notes:
        key = (note.kind, note.source, note.key)
        plan.field_notes[key] += 1
        examples = plan.examples.setdefault(key, [])
        if note.example and note.example not in examples and len(examples) <= _EXAMPLES:
            examples.append(note.example)
    for source in dict.fromkeys(dropped):
        plan.field_notes[("dropped", source, "")] += 1


def field_summary(plan: ImportPlan) -> list[str]:
    """One line per field of the file that did not land in a csec field of its own name: kept as
    an extra key, a language read as its code or kept as written, or dropped."""
    lines = []
    for (kind, source, key), count in sorted(
        plan.field_notes.items(), key=lambda item: item[0][1:]
    ):
        records = ngettext("{count} record", "{count} records", count).format(count=count)
        shown = plan.examples.get((kind, source, key), [])
        examples = ", ".join(shown[:_EXAMPLES]) + (", …" if len(shown) > _EXAMPLES else "")
        if kind == "kept" and source == key:
            line = _("kept {field}, which csec does not know, as an extra key in {records}")
        elif kind == "kept":
            line = _("kept {field} as the extra key {key} in {records}")
        elif kind == "language":
            line = _("read {field} as an ISO 639-1 code in {records} ({examples})")
        elif kind == "identifier":
            line = _(
                "read the first valid {name} of {field} in {records} ({examples}); kept the whole "
                "text as {original}"
            )
        elif kind == "language_unknown":
            # Translators: {examples} are the values, e.g. 'Mayan', 'Bilingual'.
            line = ngettext(
                "kept {field} as {key} in {records}: {examples} names no single language with an "
                "ISO 639-1 code",
                "kept {field} as {key} in {records}: {examples} name no single language with an "
                "ISO 639-1 code",
                len(shown),
            )
        else:
            line = _("dropped {field} in {records}")
        lines.append(
            line.format(
                field=repr(source) if kind == "kept" and source == key else source,
                key=repr(key),
                records=records,
                examples=examples,
                name=key.upper(),
                original=repr(key + "_original"),
            )
        )
    return lines


def find_near_misses(
    added: Sequence[tuple[str, Resource]], existing: Sequence[Resource]
) -> list[NearMiss]:
    """Each value of the added resources (each with where its record was) alike or close to
    one already used in the catalogue or by an earlier added resource, once per spelling."""
    found: list[NearMiss] = []
    for field_name in SPELLING_FIELDS:
        known = KnownValues.of_field(existing, field_name)
        seen: set[str] = set()
        for where, resource in added:
            given = getattr(resource, field_name)
            for value in given if isinstance(given, tuple) else (given,) if given else ():
                if value not in seen:
                    seen.add(value)
                    proposal = known.propose(value)
                    if proposal is not None:
                        found.append(NearMiss(where, field_name, value, proposal))
                known.add(value)
    return found
