"""What `csec check` finds beyond what loading already reports (dates, urls, near-duplicates,
one value spelled several ways or one slip from another, as spellings.py decides), and the one
rule writers share: nothing is written while `check` would report an error."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, filterfalse
from operator import attrgetter, not_
from pathlib import Path
from urllib.parse import urlparse

from csec_cli.errors import CatalogueInvalidError
from csec_cli.i18n import _, ngettext
from csec_cli.identifiers import isbn_fault, issn_fault
from csec_cli.models import (
    FIELD_ORDER,
    LIST_FIELDS,
    LIST_ITEM_SEPARATOR,
    SUBJECT_LIST_FIELDS,
    Resource,
    field_in_prose,
    fold_text,
    is_valid_language,
    split_list_text,
)
from csec_cli.spellings import KnownValues, key_for
from csec_cli.toml_format import Catalogue, Problem

# Titles at least this similar (rapidfuzz ratio on folded text) are probably the same resource
# entered twice; below it, titles of one series ("Bulletin No. 5" / "No. 6") stay apart.
NEAR_DUPLICATE_SCORE = 95.0
# Pairwise comparison is quadratic; beyond this size only neighbours in title order are compared.
FULL_COMPARISON_LIMIT = 4000
# Comparing two multi-megabyte titles would take hours; no real title is longer than this, and
# titles the same this far are worth the warning anyway.
COMPARED_TITLE_LENGTH = 1_000


# Plain ASCII addresses, which urlparse would find a host and an http(s) scheme in: matched in C,
# since every writer checks every url in the catalogue (catalogue_errors) before it writes.
_PLAIN_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?\Z")


def is_web_address(value: str) -> bool:
    """An absolute http(s) address with a host."""
    if _PLAIN_WEB_ADDRESS.match(value):
        return True
    try:
        parsed = urlparse(value)
    except ValueError:  # "http://[x" (an unclosed IPv6 host) and the like are no address at all
        return False
    return parsed.scheme in {"http", "https"} and bool(parsed.netloc) and " " not in value


def check_catalogue(catalogue: Catalogue, today: dt.date | None = None) -> list[Problem]:
    """Every problem in the catalogue, in line order: its errors (exactly those that stop
    writes, see catalogue_errors), then the warnings."""
    today = today or dt.date.today()
    problems = catalogue_errors(catalogue, today)
    problems.extend(problem for problem in catalogue.problems if problem.severity != "error")
    folder = catalogue.path.parent
    for resource in catalogue.resources:
        problems.extend(_resource_warnings(resource))
        if resource.files:
            problems.extend(_missing_files(resource, folder))
    problems.extend(_near_duplicate_titles(catalogue.resources))
    problems.extend(_inconsistent_spellings(catalogue.resources))
    return sorted(problems, key=lambda problem: problem.line or 0)


@dataclass(frozen=True)
class _Fault:
    """A `check` error, with what the user can do about it."""

    problem: Problem
    remedy: str
    fault: str = ""  # the problem's message without the resource it is in (resource_errors)


def catalogue_errors(
    catalogue: Catalogue, today: dt.date | None = None, *, fixing: str | None = None
) -> list[Problem]:
    """The errors `csec check` reports, in line order, or with `fixing` those that stop an edit
    or remove of the resource with that id (see refuse_write_while_errors)."""
    return [fault.problem for fault in _catalogue_faults(catalogue, today, fixing)]


def refuse_write_while_errors(
    catalogue: Catalogue, *, fixing: str | None = None, today: dt.date | None = None
) -> None:
    """Stop a write while `csec check` would report an error, naming the first one, its line
    and how to fix it.

    `fixing` is the id of the resource an edit or remove is about to change. When `check`
    faults that resource, the faults of valid resources do not stop it: the edit or remove is
    how each is fixed, in turn, and what the edit writes is checked (refuse_faulty_changes). A
    resource csec could not read stops every write, as a rewrite would drop it.
    """
    faults = _catalogue_faults(catalogue, today, fixing)
    if faults:
        first = faults[0]
        problem = first.problem.describe(catalogue.path)
        if len(faults) == 1:
            raise CatalogueInvalidError(
                _("{problem}; {remedy}").format(problem=problem, remedy=first.remedy)
            )
        more = len(faults) - 1
        raise CatalogueInvalidError(
            ngettext(
                "{problem} (and {count} more); {remedy}",
                "{problem} (and {count} more); {remedy}",
                more,
            ).format(problem=problem, count=more, remedy=first.remedy)
        )


def refuse_faulty_changes(catalogue: Catalogue, changed: Iterable[Resource]) -> None:
    """Stop a write that would store a resource `csec check` reports an error in (an edit that
    left a faulty field as it was, say), naming the field and how to fix it in the same edit."""
    today = dt.date.today()
    for resource in changed:
        faults = _text_faults(resource) or _resource_faults(resource, today)
        if faults:
            # Translators: joins the edit flags that fix each fault ("--date DATE and --url URL").
            fields = _(" and ").join(fault.remedy for fault in faults)
            raise CatalogueInvalidError(
                _(
                    "{problem}; not saved, as `csec check` would report it: fix it in the same "
                    "edit (`csec edit {id} {flags}`)"
                ).format(
                    problem=faults[0].problem.describe(catalogue.path), id=resource.id, flags=fields
                )
            )


def resource_errors(resource: Resource, today: dt.date | None = None) -> list[str]:
    """What `check` would report as errors in one resource, e.g. "date 2999-01-01 is in the
    future" (for a record to import, which has no line yet)."""
    faults = _text_faults(resource) or _resource_faults(resource, today or dt.date.today())
    return [fault.fault for fault in faults]


def _text_faults(resource: Resource) -> list[_Fault]:
    """An error for the first value (or key) that is not Unicode text: bytes of another encoding
    given on the command line (Python keeps them as lone surrogates, U+DC80-U+DCFF) or a lone
    surrogate escaped in a JSON file to import. No UTF-8 file can hold one, so this is checked
    for what a writer is about to store, not for every resource loaded."""
    found = _first_not_text(resource)
    if found is None:
        return []
    key, key_itself = found
    fault = _(
        "{field} holds characters that are not text in UTF-8 (shown as \\udcXX), "
        "from a file or terminal in another encoding; type them again in UTF-8"
    ).format(field=repr(key) if key_itself else field_in_prose(key))
    if key in _LIST_FLAGS:
        remedy = _("{flag} ITEM").format(flag=_LIST_FLAGS[key])
    elif key in FIELD_ORDER:
        remedy = _("--{field} VALUE").format(field=key)
    elif not key_itself:
        remedy = _("--set {key}=VALUE").format(key=key)
    else:
        remedy = _("--unset {key}").format(key=repr(key)[1:-1])
    message = resource_message(resource.id, fault)
    return [_Fault(Problem(message, resource.line), remedy, fault)]


def _first_not_text(resource: Resource) -> tuple[str, bool] | None:
    """The first key whose value (False) or whose name itself (True) holds a surrogate."""
    # Read straight from the instance, ASCII passed at once: every import record goes through
    # here, and this keeps it near 3 µs a record (resource_to_table and a regex were 15 µs).
    for name, value in vars(resource).items():
        kind = type(value)
        if kind is str:
            if not value.isascii() and _SURROGATE.search(value):
                return name, False
        elif kind is tuple and not all(map(str.isascii, value)) and _holds_surrogate(value):
            return name, False
    for key, value in resource.extra.items():
        if _holds_surrogate(key):
            return key, True
        if _holds_surrogate(value):
            return key, False
    return None


def _holds_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return not value.isascii() and _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_surrogate(key) or _holds_surrogate(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_surrogate(item) for item in value)
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")


def _catalogue_faults(
    catalogue: Catalogue, today: dt.date | None, fixing: str | None
) -> list[_Fault]:
    today = today or dt.date.today()
    unread = [
        _Fault(problem, _("fix it (see `csec check`) before changing the catalogue"))
        for problem in catalogue.problems
        if problem.severity == "error"
    ]
    faulty: list[_Fault] = []
    fixes_a_fault = False
    for resource in _suspects(catalogue.resources, today):
        found = _resource_faults(resource, today)
        fixes_a_fault = fixes_a_fault or (bool(found) and resource.id == fixing)
        faulty.extend(
            _Fault(
                fault.problem,
                _(
                    "fix it first with `csec edit {id} {flags}`, or remove it (see `csec "
                    "check`); csec writes nothing while `check` reports an error"
                ).format(id=resource.id, flags=fault.remedy),
            )
            for fault in found
        )
    faults = unread if fixes_a_fault else unread + faulty
    return sorted(faults, key=lambda fault: fault.problem.line or 0)


def _suspects(resources: list[Resource], today: dt.date) -> list[Resource]:
    """The resources that may have a fault: a date this year or later, a url that is not a
    plain web address, a faulty list item, ISBN or ISSN. Every writer runs this over the whole
    catalogue, so the usual answer (none) is found in loops that run inside C (map, filter,
    max, set)."""
    dates = filter(None, map(attrgetter("date"), resources))
    late = max(map(attrgetter("year"), dates), default=0) >= today.year
    urls = set(map(attrgetter("url"), resources))
    urls.discard(None)
    odd = set(filterfalse(_PLAIN_WEB_ADDRESS.match, urls))
    badly_listed = _resources_with_faulty_items(resources)
    bad_isbns = _faulty_numbers(resources, "isbn")
    bad_issns = _faulty_numbers(resources, "issn")
    if not late and not odd and not badly_listed and not bad_isbns and not bad_issns:
        return []
    return [
        resource
        for resource in resources
        if resource.url in odd
        or (resource.date is not None and resource.date.year >= today.year)
        or id(resource) in badly_listed
        or resource.isbn in bad_isbns
        or resource.issn in bad_issns
    ]


def _faulty_numbers(resources: list[Resource], field_name: str) -> set[str]:
    """The distinct ISBNs (or ISSNs) in the catalogue whose check digit is wrong; each distinct
    number is judged once, and gathering them runs in C (map, set)."""
    fault_of = isbn_fault if field_name == "isbn" else issn_fault
    numbers = set(map(attrgetter(field_name), resources))
    numbers.discard(None)
    return {number for number in numbers if fault_of(number) is not None}


def _resources_with_faulty_items(resources: list[Resource]) -> set[int]:
    """The `id()`s of resources holding a list item that would not round-trip (list_item_fault)."""
    found: set[int] = set()
    # Items repeat across a catalogue (a few hundred distinct among 100,000 resources): each
    # distinct one is judged once.
    sound: set[str] = set()
    for resource in resources:
        for field_name in LIST_FIELDS:
            for item in getattr(resource, field_name):
                if item in sound:
                    continue
                if list_item_fault(field_name, item) is None:
                    sound.add(item)
                else:
                    found.add(id(resource))
    return found


def _resource_faults(resource: Resource, today: dt.date) -> list[_Fault]:
    """The errors `check` reports in one resource; each remedy is the edit flags that fix it."""
    found: list[_Fault] = []

    def add(fault: str, remedy: str) -> None:
        message = resource_message(resource.id, fault)
        found.append(_Fault(Problem(message, resource.line), remedy, fault))

    if resource.date is not None and resource.date.is_after(today):
        add(
            _("date {date} is in the future").format(date=resource.date.iso()),
            _("--date DATE"),
        )
    if resource.url is not None and not is_web_address(resource.url):
        add(
            _("url {url} is not an http(s) address").format(url=repr(resource.url)),
            _("--url URL (or --clear url)"),
        )
    for field_name, fault_of in (("isbn", isbn_fault), ("issn", issn_fault)):
        number = getattr(resource, field_name)
        fault = None if number is None else fault_of(number)
        if fault is not None:
            add(
                # Translators: {field} is isbn or issn; {fault} says what is wrong with it.
                _("{field} {number} {fault}").format(
                    field=field_name, number=repr(number), fault=fault
                ),
                _("--{field} {metavar} (or --clear {field})").format(
                    field=field_name, metavar=field_name.upper()
                ),
            )
    for field_name in LIST_FIELDS:
        for item in getattr(resource, field_name):
            fault = list_item_fault(field_name, item)
            if fault is not None:
                flag = _LIST_FLAGS[field_name]
                add(fault, _("{flag} ITEM {flag} ITEM (one flag an item)").format(flag=flag))
    return found


def resource_message(resource_id: str, fault: str) -> str:
    """ "resource 'x': date 2999-01-01 is in the future": a fault, named by its resource."""
    return _("resource {id}: {fault}").format(id=repr(resource_id), fault=fault)


# The edit flag that sets each list field, for the remedy a write refusal names.
_LIST_FLAGS = {
    "audience": "--audience", "topics": "--topic", "countries": "--country",
    "authors": "--author", "files": "--file",
}  # fmt: skip


def list_item_fault(field_name: str, item: str) -> str | None:
    """Why a stored list item would not come back as itself from csv, ris or bibtex, or None.

    Such an item can only be written by hand: add, edit and import take ';' as a separator and
    drop outer spaces. It is an error, not a warning, because an export would silently change it.
    """
    if LIST_ITEM_SEPARATOR in item:
        items = json.dumps(split_list_text(item), ensure_ascii=False)
        return _(
            "{field} {item} holds ';', which separates list items in CSV and every other "
            "format; write them as separate items: {key} = {items}"
        ).format(field=field_in_prose(field_name), key=field_name, item=repr(item), items=items)
    if not item.strip():
        return _("{field} has an empty item; remove it").format(field=field_in_prose(field_name))
    if item.splitlines() != [item]:
        return _("{field} {item} has a line break; write it on one line").format(
            field=field_in_prose(field_name), item=repr(item)
        )
    if item != item.strip():
        return _("{field} {item} has spaces around it; write it as {stripped}").format(
            field=field_in_prose(field_name), item=repr(item), stripped=repr(item.strip())
        )
    return None


def _resource_warnings(resource: Resource) -> list[Problem]:
    found: list[Problem] = []
    if resource.date is None:
        message = _("resource {id} has no date").format(id=repr(resource.id))
        found.append(Problem(message, resource.line, "warning"))
    if resource.language is not None and not is_valid_language(resource.language):
        fault = _("language {code} is not a two-letter ISO 639-1 code").format(
            code=repr(resource.language)
        )
        found.append(Problem(resource_message(resource.id, fault), resource.line, "warning"))
    return found


def _missing_files(resource: Resource, folder: Path) -> list[Problem]:
    """A warning for each attached file that is not there (relative paths from `folder`)."""
    found = []
    for item in resource.files:
        path = attached_file_path(item, folder)
        if not path.exists():
            found.append(
                Problem(
                    resource_message(
                        resource.id,
                        _("file {file} does not exist (looked for {path})").format(
                            file=repr(item), path=path.absolute()
                        ),
                    ),
                    resource.line,
                    "warning",
                )
            )
    return found


def attached_file_path(item: str, folder: Path) -> Path:
    """Where an item of `files` points: an absolute path as it is, a relative one from the
    catalogue's folder (so a catalogue and its documents can move together)."""
    try:
        path = Path(item).expanduser()
    except RuntimeError:  # "~name" for a user this system does not know: a name like any other
        path = Path(item)
    return path if path.is_absolute() else folder / path


def _near_duplicate_titles(resources: list[Resource]) -> list[Problem]:
    from rapidfuzz import fuzz, process

    titles = [fold_text(resource.title[:COMPARED_TITLE_LENGTH]) for resource in resources]
    pairs: set[tuple[int, int]] = set()
    if len(resources) <= FULL_COMPARISON_LIMIT:
        for first, title in enumerate(titles):
            later = titles[first + 1 :]
            matches = process.extract(
                title, later, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE, limit=None
            )
            pairs.update((first, first + 1 + offset) for _match, _score, offset in matches)
    else:
        order = sorted(range(len(titles)), key=titles.__getitem__)
        for position, first in enumerate(order):
            for second in order[position + 1 : position + 8]:
                if fuzz.ratio(titles[first], titles[second]) >= NEAR_DUPLICATE_SCORE:
                    pairs.add((min(first, second), max(first, second)))
    found = []
    for first, second in sorted(pairs):
        a, b = resources[first], resources[second]
        if a.line:
            message = _("resource {id} has nearly the same title as {other} (line {line})")
        else:
            message = _("resource {id} has nearly the same title as {other}")
        message = message.format(id=repr(b.id), other=repr(a.id), line=a.line)
        found.append(Problem(message, b.line, "warning"))
    return found


# The fields whose values `check` compares for spellings (spellings.py decides what is alike or
# close), and the ids it names for each spelling before "…".
SPELLING_FIELDS = ("type", *SUBJECT_LIST_FIELDS, "authors", "language", "publisher")
_NAMED_IDS = 3


def _inconsistent_spellings(resources: list[Resource]) -> list[Problem]:
    """A warning for each value spelled several ways (alike: one key), and for each pair of
    values one slip apart (close), naming the spellings and how many resources use each."""
    found = []
    for field_name in SPELLING_FIELDS:
        # The resources are looked up only for the few spellings a warning names.
        known = KnownValues.of_field(resources, field_name)
        several = [key for key in known.keys_by_use() if len(known.spellings(key)) > 1]
        close = known.close_pairs()
        if not several and not close:
            continue
        named = {spelling for key in several for spelling, _uses in known.spellings(key)}
        named.update(
            spelling for pair in close for key in pair for spelling, _uses in known.spellings(key)
        )
        users = _users_of(resources, field_name, named)
        for key in several:
            spellings = [spelling for spelling, _uses in known.spellings(key)]
            described = ", ".join(_uses(spelling, users[spelling]) for spelling in spellings)
            # Reported where the first other spelling than the commonest is used.
            first_other = min(
                (users[spelling][0] for spelling in spellings[1:]),
                key=lambda resource: resource.line or 0,
            )
            found.append(
                Problem(
                    _("{field} is spelled several ways: {spellings}").format(
                        field=field_in_prose(field_name), spellings=described
                    ),
                    first_other.line,
                    "warning",
                )
            )
        for rarer, commoner in close:
            rare_users = [r for spelling, _uses in known.spellings(rarer) for r in users[spelling]]
            common_users = [
                r for spelling, _uses in known.spellings(commoner) for r in users[spelling]
            ]
            found.append(
                Problem(
                    _(
                        "{field} {rarer} is close to {commoner}; if they are one value, use one "
                        "spelling"
                    ).format(
                        field=field_in_prose(field_name),
                        rarer=_uses(known.preferred(rarer), rare_users),
                        commoner=_uses(known.preferred(commoner), common_users),
                    ),
                    rare_users[0].line,
                    "warning",
                )
            )
    return found


def _users_of(
    resources: list[Resource], field_name: str, spellings: set[str]
) -> dict[str, list[Resource]]:
    """The resources using each of `spellings` in one field, in catalogue order."""
    users: dict[str, list[Resource]] = defaultdict(list)
    for resource in resources:
        value = getattr(resource, field_name)
        values = value if isinstance(value, tuple) else ((value,) if value else ())
        for item in dict.fromkeys(values):
            if item in spellings:
                users[item].append(resource)
    return users


def _uses(spelling: str, using: list[Resource]) -> str:
    """ "'manual' (2 resources: a, b)"."""
    ids = ", ".join(resource.id for resource in using[:_NAMED_IDS])
    more = ", …" if len(using) > _NAMED_IDS else ""
    return ngettext(
        "{spelling} ({count} resource: {ids})", "{spelling} ({count} resources: {ids})", len(using)
    ).format(spelling=repr(spelling), count=len(using), ids=ids + more)


# `add` asks before storing a title at least this similar to one already catalogued. Lower than
# NEAR_DUPLICATE_SCORE: asking costs one keypress, while a missed duplicate stays in the file.
SIMILAR_TITLE_SCORE = 90.0
# How many of the similar titles `add` names.
_SIMILAR_TITLES_SHOWN = 5


def _title_key(title: str) -> str:
    from rapidfuzz import utils

    return str(utils.default_process(fold_text(title)))


def _title_keys(resources: Sequence[Resource]) -> list[str]:
    """_title_key of every resource's title: `add` checks a new title against every title in
    the catalogue before it writes."""
    return title_keys(list(map(attrgetter("title"), resources)))


def title_keys(titles: list[str]) -> list[str]:
    """_title_key of each title, with no Python step per ASCII title (most of them); also kept
    in add's cache (resource_store), so that a new title is compared without the resources."""
    from rapidfuzz import utils

    # For ASCII, fold_text is casefold() and strip(), and default_process trims the ends anyway.
    folded = list(map(str.casefold, titles))
    for index in compress(range(len(titles)), map(not_, map(str.isascii, titles))):
        folded[index] = fold_text(titles[index])
    return list(map(utils.default_process, folded))


def find_similar_titles(title: str, resources: list[Resource]) -> list[Resource]:
    """Resources whose title is the same as `title` or nearly so, most similar first."""
    return [resources[index] for index in similar_title_positions(title, _title_keys(resources))]


def similar_title_positions(
    title: str, keys: Sequence[str], places: Sequence[int] | None = None
) -> list[int]:
    """Where in `keys` (title_keys of each title) the titles near `title` are, most similar
    first: find_similar_titles, for titles kept apart from their resources (`add`'s cache).

    With `places` (where each key's title is in the catalogue, in any order), those places
    instead, as comparing with every title in order gives them (ties in the catalogue's order).
    """
    from rapidfuzz import fuzz, process

    found = process.extract(
        _title_key(title),
        keys,
        scorer=fuzz.ratio,
        score_cutoff=SIMILAR_TITLE_SCORE,
        limit=_SIMILAR_TITLES_SHOWN if places is None else None,
    )
    if places is None:
        return [index for _key, _score, index in found]
    # process.extract orders ties by their index in `keys`; here by their place.
    ranked = sorted((-score, places[index]) for _key, score, index in found)
    return [place for _score, place in ranked[:_SIMILAR_TITLES_SHOWN]]


def similar_title_lengths(title: str) -> tuple[int, int]:
    """The shortest and longest title_keys that similar_title_positions can find near `title`.

    fuzz.ratio is 100 × (1 − d / (m + n)) for keys of m and n characters, and the edit distance
    d is at least |m − n|; so a score of s % needs n between m·s / (2 − s) and m·(2 − s) / s
    (one character more either way, for rounding).
    """
    length, share = len(_title_key(title)), SIMILAR_TITLE_SCORE / 100
    return (
        max(0, math.floor(length * share / (2 - share)) - 1),
        math.ceil(length * (2 - share) / share) + 1,
    )


def known_values(resources: list[Resource], field_name: str) -> list[str]:
    """The values used in one field, most used first (ties alphabetical)."""
    # Counted in C (map, chain, Counter): `add` counts them in the whole catalogue, under the
    # lock, for every field given.
    return ordered_known(known_counts(resources, field_name))


def known_counts(resources: Sequence[Resource], field_name: str) -> Counter[str]:
    """How many times each value of one field is used (for known_values, or to cache)."""
    values = map(attrgetter(field_name), resources)
    if field_name in LIST_FIELDS:
        return Counter(chain.from_iterable(values))
    return Counter(filter(None, values))


def ordered_known(counts: Mapping[str, int]) -> list[str]:
    """The values of known_counts, most used first (ties alphabetical)."""
    return sorted(counts, key=lambda item: (-counts[item], fold_text(item)))


def propose_spelling(value: str, known: list[str], field_name: str = "") -> str | None:
    """The existing spelling to propose for `value`, or None if it is new or already used as
    is: the rule of spellings.py (alike, else close) for that field, preferring the earlier of
    `known`."""
    values = KnownValues(key=key_for(field_name))
    for rank, item in enumerate(known):
        # known_values lists the most used first; uses in reverse rank keep that preference.
        values.add(item, len(known) - rank)
    return values.propose(value)
