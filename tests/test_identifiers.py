"""Tests for identifiers: ISBN-10, ISBN-13 and ISSN check digits, and what is said when one is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csec_cli.identifiers import identifier_in, isbn_fault, issn_fault
from identifier_strategies import isbns, issns


@pytest.mark.parametrize(
    "isbn",
    ["978-92-2-122345-0", "9789221223450", "978 92 2 122345 0", "0-306-40615-2", "0-8044-2957-X",
     "0-8044-2957-x", "979-10-90636-07-1"],
)  # fmt: skip
def test_valid_isbns_pass_however_they_are_grouped(isbn: str) -> None:
    """ISBN-10 and ISBN-13, with hyphens, spaces or none, and X as an ISBN-10's last digit."""
    assert isbn_fault(isbn) is None


@pytest.mark.parametrize(
    ("isbn", "said"),
    [
        ("978-92-2-122345-1", "ends in 1, but its other digits call for the check digit 0"),
        ("0-306-40615-3", "ends in 3, but its other digits call for the check digit 2"),
        ("0-8044-2957-0", "call for the check digit X"),
        ("978-92-2-12234", "has 11 digits; an ISBN has 10 or 13"),
        ("ISBN 978-92-2-122345-0", "holds 'I', 'S', 'B', 'N'"),
        ("977-92-2-122345-0", "starts with 977; an ISBN-13 starts with 978 or 979"),
        ("12X4567890", "only the last character of an ISBN-10 can be X"),
    ],
)
def test_wrong_isbns_say_what_is_wrong(isbn: str, said: str) -> None:
    """Each fault is named plainly, the check digit with the one the other digits call for."""
    fault = isbn_fault(isbn)
    assert fault is not None and said in fault


def test_a_swapped_pair_of_digits_is_caught_and_explained() -> None:
    """Two neighbouring digits typed the wrong way round fail the check digit, and it says so."""
    fault = isbn_fault("978-92-2-123245-0")
    assert fault is not None and "two are swapped" in fault


@pytest.mark.parametrize("issn", ["2227-2704", "22272704", "0317-8471", "2434-561X", "2434-561x"])
def test_valid_issns_pass(issn: str) -> None:
    """An ISSN with or without its hyphen, X allowed as the check digit."""
    assert issn_fault(issn) is None


@pytest.mark.parametrize(
    ("issn", "said"),
    [
        ("2227-2705", "ends in 5, but its other digits call for the check digit 4"),
        ("2434-5610", "call for the check digit X"),
        ("227-2704", "is not eight digits"),
        ("X227-2704", "is not eight digits"),
    ],
)
def test_wrong_issns_say_what_is_wrong(issn: str, said: str) -> None:
    """A wrong check digit names the right one; a wrong shape says what an ISSN looks like."""
    fault = issn_fault(issn)
    assert fault is not None and said in fault


def _mistype(number: str, position: int, shift: int) -> str:
    """The number with its `position`-th digit (counting digits only) changed by `shift`."""
    digit_places = [index for index, char in enumerate(number) if char.isdigit()]
    place = digit_places[position % len(digit_places)]
    changed = str((int(number[place]) + shift) % 10)
    return number[:place] + changed + number[place + 1 :]


@settings(max_examples=40)
@given(isbns(), st.integers(0, 12), st.integers(1, 9))
def test_every_valid_isbn_passes_and_any_one_mistyped_digit_is_caught(
    isbn: str, position: int, shift: int
) -> None:
    """Check digits worked out apart from csec pass; changing any one digit fails the check."""
    assert isbn_fault(isbn) is None
    assert isbn_fault(_mistype(isbn, position, shift)) is not None


@settings(max_examples=40)
@given(issns(), st.integers(0, 7), st.integers(1, 9))
def test_every_valid_issn_passes_and_any_one_mistyped_digit_is_caught(
    issn: str, position: int, shift: int
) -> None:
    """An ISSN's check digit catches any single mistyped digit."""
    assert issn_fault(issn) is None
    assert issn_fault(_mistype(issn, position, shift)) is not None


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("978-92-2-122345-0", "978-92-2-122345-0"),
        ("978 92 2 122345 0", "978 92 2 122345 0"),
        ("ISBN 978-92-2-122345-0", "978-92-2-122345-0"),
        ("978-92-2-122345-0 (pbk.)", "978-92-2-122345-0"),
        ("ISBN: 978-92-2-122345-0 (print)  978-92-2-122346-7 (web PDF)", "978-92-2-122345-0"),
        ("9789221223450; 9221223450", "9789221223450"),
        ("978-92-2-122345-1 (pbk.)", None),
        ("pbk.", None),
    ],
)
def test_the_first_valid_isbn_is_found_in_a_field_as_reference_managers_fill_it(
    field: str, expected: str | None
) -> None:
    """A label, a qualifier in brackets or a second edition's number does not hide an ISBN."""
    assert identifier_in(field, isbn_fault) == expected


def test_the_first_valid_issn_is_found_beside_a_qualifier() -> None:
    """'2227-2704 (online)' holds the ISSN 2227-2704; a wrong check digit is no ISSN."""
    assert identifier_in("ISSN 2227-2704 (online)", issn_fault) == "2227-2704"
    assert identifier_in("1234-5678 (print)", issn_fault) is None
