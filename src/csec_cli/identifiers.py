"""ISBN and ISSN: whether a number is written right, its check digit included, said in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable

from csec_cli.i18n import _

# Hyphens and spaces group the digits as publishers print them ("978-92-2-122345-0"); they carry
# no meaning, so any grouping is accepted.
_GROUPING = re.compile(r"[\s\-‐‑‒–]")
_ISBN_SHAPE = re.compile(r"^(?:[0-9]{13}|[0-9]{9}[0-9X])$")
_ISSN_SHAPE = re.compile(r"^[0-9]{7}[0-9X]$")


def _compact(text: str) -> str:
    return _GROUPING.sub("", text).upper()


def isbn_fault(text: str) -> str | None:
    """Why `text` is not an ISBN-10 or ISBN-13, or None when it is one (check digit included)."""
    odd = [char for char in _GROUPING.sub("", text) if char not in "0123456789Xx"]
    if odd:
        shown = ", ".join(repr(char) for char in dict.fromkeys(odd))
        return _(
            "holds {characters}; an ISBN has only digits, grouped by hyphens or spaces (an "
            "ISBN-10 may end in X)"
        ).format(characters=shown)
    digits = _compact(text)
    if len(digits) not in (10, 13):
        return _("has {count} digits; an ISBN has 10 or 13").format(count=len(digits))
    if not _ISBN_SHAPE.match(digits):
        return _("has an X before its end; only the last character of an ISBN-10 can be X")
    if len(digits) == 13:
        if digits[:3] not in ("978", "979"):
            return _("starts with {prefix}; an ISBN-13 starts with 978 or 979").format(
                prefix=digits[:3]
            )
        total = sum(int(char) * (3 if index % 2 else 1) for index, char in enumerate(digits[:12]))
        expected = str((10 - total % 10) % 10)
    else:
        total = sum(int(char) * (10 - index) for index, char in enumerate(digits[:9]))
        remainder = (11 - total % 11) % 11
        expected = "X" if remainder == 10 else str(remainder)
    return _check_digit_fault(digits[-1], expected)


def issn_fault(text: str) -> str | None:
    """Why `text` is not an ISSN (eight characters, the last a check digit or X), or None."""
    digits = _compact(text)
    if not _ISSN_SHAPE.match(digits):
        return _("is not eight digits, as an ISSN is (written 1234-5679; the last may be X)")
    total = sum(int(char) * (8 - index) for index, char in enumerate(digits[:7]))
    remainder = (11 - total % 11) % 11
    return _check_digit_fault(digits[-1], "X" if remainder == 10 else str(remainder))


def _check_digit_fault(given: str, expected: str) -> str | None:
    if given == expected:
        return None
    return _(
        "ends in {given}, but its other digits call for the check digit {expected}: one digit is "
        "mistyped, or two are swapped"
    ).format(given=given, expected=expected)


# How reference managers write more than a number in one ISBN/ISSN field: "ISBN 978-… (pbk.)",
# two editions "978-… ; 978-…", or a label ("ISSN: 2227-2704").
_LABEL = re.compile(r"(?i)\b(?:isbn|issn)(?:-1[03])?\s*:?\s*")
_QUALIFIER = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PIECES = re.compile(r"[,;/|]|\s{2,}|\s(?=[0-9][0-9\-]{7,}[0-9Xx](?:\s|$))")


def identifier_in(text: str, fault: Callable[[str], str | None]) -> str | None:
    """The first valid ISBN or ISSN (by `fault`: isbn_fault or issn_fault) that a field holds,
    written as given; None when it holds none. A field that is one valid number is returned whole.
    """
    if fault(text) is None:
        return text
    plain = _QUALIFIER.sub(" ", _LABEL.sub(" ", text))
    for piece in (plain, *_PIECES.split(plain)):
        candidate = piece.strip(" .:-")
        if candidate and fault(candidate) is None:
            return candidate
    return None
