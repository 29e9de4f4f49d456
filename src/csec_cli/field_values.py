"""Read resource fields as people type them (flags or answers to prompts) and say what is wrong.

`add` and `edit` share these, so a value is accepted or refused the same way however it arrives.
Every refusal is an InvalidValueError whose message says what to type instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from csec_cli.checks import is_web_address
from csec_cli.dates import PartialDate
from csec_cli.errors import InvalidValueError
from csec_cli.i18n import _
from csec_cli.identifiers import isbn_fault, issn_fault
from csec_cli.models import (
    LIST_ITEM_SEPARATOR,
    field_in_prose,
    fold_text,
    is_valid_language,
    split_list_text,
)

# Fields a user can set, in the order prompts ask for them.
EDITABLE_FIELDS = (
    "title", "authors", "date", "summary", "type", "audience", "topics", "countries",
    "language", "publisher", "place", "series", "isbn", "issn", "url", "files", "notes",
)  # fmt: skip
# List fields whose items hold commas ("Pérez, Ana María"), so an answer splits only at ';'.
SEMICOLON_LISTS = frozenset({"authors", "files"})
# Every field but the title may be cleared.
CLEARABLE_FIELDS = EDITABLE_FIELDS[1:]


def parse_title(text: str) -> str:
    """A title: any non-empty, single-line text, with outer spaces removed; stored as typed."""
    title = text.strip()
    if not title:
        raise InvalidValueError(_("a title is required"))
    if "\n" in title or "\r" in title:
        # A line break in a title is almost always a paste accident; refusing it says so,
        # where silently joining the lines would store something the user did not type.
        raise InvalidValueError(_("a title must be one line; remove the line break"))
    return title


def parse_date(text: str, today: dt.date | None = None) -> PartialDate:
    """A date as people write it; the parts not written stay unknown, never invented."""
    try:
        date = PartialDate.parse(text)
    except ValueError as error:
        raise InvalidValueError(str(error)) from None
    if date.is_after(today or dt.date.today()):
        raise InvalidValueError(_("{date} is in the future").format(date=date.display()))
    return date


def parse_text(text: str, name: str) -> str:
    """A free-text field (summary, type, publisher): non-empty, outer spaces removed."""
    value = text.strip()
    if not value:
        raise InvalidValueError(_("{field} is empty").format(field=field_in_prose(name)))
    return value


def parse_language(text: str) -> str:
    """An ISO 639-1 code; "EN" is read as "en"."""
    code = text.strip().lower()
    if not is_valid_language(code):
        raise InvalidValueError(
            _("{code} is not a two-letter ISO 639-1 language code (e.g. en, es, fr, pt)").format(
                code=repr(text.strip())
            )
        )
    return code


def parse_url(text: str) -> str:
    """An absolute http(s) address."""
    url = text.strip()
    if not is_web_address(url):
        raise InvalidValueError(
            _("{url} is not a web address; give it in full, e.g. https://www.ilo.org/...").format(
                url=repr(url)
            )
        )
    return url


def parse_isbn(text: str) -> str:
    """An ISBN-10 or ISBN-13, check digit verified; kept as written, hyphens and all."""
    isbn = text.strip()
    fault = isbn_fault(isbn)
    if fault:
        raise InvalidValueError(_("{number} {fault}").format(number=repr(isbn), fault=fault))
    return isbn


def parse_issn(text: str) -> str:
    """An ISSN, check digit verified; kept as written."""
    issn = text.strip()
    fault = issn_fault(issn)
    if fault:
        raise InvalidValueError(_("{number} {fault}").format(number=repr(issn), fault=fault))
    return issn


def parse_list(items: list[str], name: str) -> tuple[str, ...]:
    """List items (audience, topics, countries): each non-empty, duplicates dropped, order kept.

    ';' separates items, as in a CSV cell, so "periodistas; investigadores" is two items, whether
    given as one flag, typed at a prompt or imported: an item holding ';' could not be written
    to CSV, RIS or BibTeX and read back as itself.
    """
    kept: dict[str, str] = {}
    for item in items:
        values = [" ".join(value.split()) for value in split_list_text(item)]
        if not values:
            raise InvalidValueError(
                _("{field} has an empty item").format(field=field_in_prose(name))
            )
        for value in values:
            kept.setdefault(item_key(value, name), value)
    return tuple(kept.values())


def item_key(value: str, name: str) -> str:
    """What makes two items of a list the same: the folded text (no case, no accents), but a
    path as written, since paths differ by case on most systems ("A.pdf" is not "a.pdf")."""
    return value if name == "files" else fold_text(value)


def split_answer(text: str, name: str | None = None) -> list[str]:
    """Split an answer into its items: at ';' when it holds one (so an item may hold a comma,
    "Korea, Republic of; Chile"), else at commas; empty items are ignored. Authors and files
    split only at ';' ("Pérez, Ana María" is one author)."""
    semicolons = LIST_ITEM_SEPARATOR in text or name in SEMICOLON_LISTS
    separator = LIST_ITEM_SEPARATOR if semicolons else ","
    return [item.strip() for item in text.split(separator) if item.strip()]


def list_answer_text(items: tuple[str, ...], name: str | None = None) -> str:
    """Items as split_answer reads them back: joined by commas, or by ';' if an item has one
    (a lone such item ends in ';', which says that its comma is not a separator); authors and
    files always by ';'."""
    if name in SEMICOLON_LISTS:
        return "; ".join(items)
    if not any("," in item for item in items):
        return ", ".join(items)
    return "; ".join(items) + (";" if len(items) == 1 else "")


def add_items(current: tuple[str, ...], added: list[str], name: str) -> tuple[str, ...]:
    """`current` with the `added` items after it; one already there (the same by item_key:
    in any case or accents, a path exactly) is not added again."""
    return parse_list([*current, *added], name)


def remove_items(current: tuple[str, ...], removed: list[str], name: str) -> tuple[str, ...]:
    """`current` without the `removed` items, each matched by item_key (without case or
    accents; a path exactly).

    An item that is not there is refused, naming the ones that are: a typo would otherwise
    leave the value in place while the user believes it gone.
    """
    present = {item_key(item, name) for item in current}
    gone = {item_key(value, name) for value in parse_list(removed, name)}
    for value in parse_list(removed, name):
        if item_key(value, name) not in present:
            if current:
                held = ", ".join(repr(item) for item in current)
                message = _("{value} is not among the {field} ({items})")
            else:
                held = ""
                message = _("{value} is not among the {field} (none)")
            raise InvalidValueError(
                message.format(value=repr(value), field=field_in_prose(name), items=held)
            )
    return tuple(item for item in current if item_key(item, name) not in gone)


_EXTRA_KEY = re.compile(r"[A-Za-z0-9_-]+")


def parse_extra_key(text: str) -> str:
    """The name of a key csec does not know, as TOML writes it bare: letters, digits, _ and -."""
    key = text.strip()
    if not _EXTRA_KEY.fullmatch(key):
        raise InvalidValueError(
            _("{key} is not a key name; use letters, digits, '_' and '-', e.g. shelf").format(
                key=repr(key)
            )
        )
    return key


def parse_extra_setting(text: str) -> tuple[str, str]:
    """KEY=VALUE for a key csec does not know; the value is kept as a string, as typed."""
    key, equals, value = text.partition("=")
    if not equals:
        raise InvalidValueError(
            _("{text} has no '='; give KEY=VALUE, e.g. shelf=B3").format(text=repr(text))
        )
    key = parse_extra_key(key)
    if not value.strip():
        raise InvalidValueError(
            _("{key} has no value; --unset {key} removes the key").format(key=key)
        )
    return key, value


def file_as_stored(text: str, folder: Path) -> str:
    """A path typed on the command line (so from the current folder), the way `files` keeps it:
    relative to the catalogue's `folder` when the file is inside it, else absolute; a path
    that leads to no file is kept as typed (read from the catalogue's folder, as stored)."""
    typed = Path(text).expanduser()
    if not typed.exists():
        return text
    # abspath, not resolve: a link the user made inside the catalogue's folder stays a link.
    absolute = Path(os.path.abspath(typed))
    try:
        return absolute.relative_to(os.path.abspath(folder)).as_posix()
    except ValueError:
        return str(absolute)
