"""Hypothesis strategies for valid ISBNs and ISSNs, check digits worked out here, apart from csec."""

from __future__ import annotations

from hypothesis import strategies as st


def _isbn13_check(body: str) -> str:
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return str(-total % 10)


def _mod11_check(body: str) -> str:
    # ISBN-10 and ISSN weigh the digits down to 2 and take the remainder from 11; 10 is X.
    top = len(body) + 1
    total = sum(int(digit) * (top - index) for index, digit in enumerate(body))
    value = -total % 11
    return "X" if value == 10 else str(value)


@st.composite
def isbns(draw: st.DrawFn) -> str:
    """A valid ISBN-10 or ISBN-13, compact or grouped by hyphens or spaces."""
    if draw(st.booleans()):
        body = draw(st.sampled_from(["978", "979"])) + draw(
            st.from_regex(r"[0-9]{9}", fullmatch=True)
        )
        digits = body + _isbn13_check(body)
        parts = [digits[:3], digits[3:5], digits[5:9], digits[9:12], digits[12]]
    else:
        body = draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
        digits = body + _mod11_check(body)
        parts = [digits[:2], digits[2:5], digits[5:9], digits[9]]
    return draw(st.sampled_from(["", "-", " "])).join(parts)


@st.composite
def issns(draw: st.DrawFn) -> str:
    """A valid ISSN, usually written with its hyphen."""
    body = draw(st.from_regex(r"[0-9]{7}", fullmatch=True))
    digits = body + _mod11_check(body)
    return draw(st.sampled_from(["-", ""])).join([digits[:4], digits[4:]])
