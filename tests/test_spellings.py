"""The one rule for alike and close values (spellings.py), and add, edit, import, check and
stats all following it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RunCli
from csec_cli.spellings import KnownValues, keys_close, singular, value_key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("labour inspectors", "Labor Inspector"),
        ("labour inspectors", "labour inspector"),
        ("Panamá", "panama"),
        ("workers' organizations", "Workers organisation"),
        ("counselling programmes", "counseling program"),
        ("countries", "country"),
        ("children", "child"),
        ("churches", "church"),
    ],
)
def test_alike_values_share_a_key(first: str, second: str) -> None:
    """Case, accents, punctuation, UK/US spelling and English plurals make no difference."""
    assert value_key(first) == value_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [("media", "medical"), ("Austria", "Australia"), ("Niger", "Nigeria"), ("police", "judges")],
)
def test_different_values_keep_different_keys(first: str, second: str) -> None:
    """Values that differ by more than spelling stay apart."""
    assert value_key(first) != value_key(second)


@pytest.mark.parametrize("word", ["business", "status", "analysis", "gas", "bus"])
def test_singular_keeps_words_that_end_in_s_in_the_singular(word: str) -> None:
    """Only plural endings are taken off."""
    assert singular(word) == word


@pytest.mark.parametrize(
    ("first", "second", "close"),
    [
        ("manuel", "manual", True),
        ("labor inspecter", "labor inspector", True),
        ("traficking", "trafficking", True),
        ("childcare", "child care", True),
        ("media", "medical", False),
        ("gambia", "zambia", False),  # another first letter: two countries
        ("iran", "iraq", False),  # too short to tell a slip from another word
        ("southeast asia", "southwest asia", False),  # two letters in a 9-letter word
        ("bulletin no 5", "bulletin no 6", False),
        ("labor inspector", "labor inspector", False),  # the same key is alike, not close
    ],
)
def test_keys_close(first: str, second: str, close: bool) -> None:
    """Close means one slip in one word, or only the spacing differs."""
    assert keys_close(first, second) is close
    assert keys_close(second, first) is close


def test_known_values_propose_the_commonest_spelling() -> None:
    """A value alike or close to known ones gets the most used spelling; a known or new one
    gets nothing."""
    known = KnownValues(["manual", "manual", "Manual", "labour inspectors", "Gambia"])
    assert known.propose("MANUAL") == "manual"
    assert known.propose("manuel") == "manual"
    assert known.propose("Labor Inspector") == "labour inspectors"
    assert known.propose("Manual") is None
    assert known.propose("Zambia") is None
    assert known.propose("study") is None


def test_close_pairs_are_found_once_each_the_rarer_first() -> None:
    """check's pairs: every close pair once, the less used value first."""
    known = KnownValues(["manual", "manual", "manuel", "child care", "childcare", "childcare"])
    assert known.close_pairs() == [("child care", "childcare"), ("manuel", "manual")]


TWO_SPELLINGS = """
[[resources]]
id = "a"
title = "Alpha"
date = "2009"
type = "manual"
audience = ["labour inspectors"]

[[resources]]
id = "b"
title = "Beta"
date = "2009"
type = "manual"
audience = ["labour inspectors"]
"""


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """A catalogue of two resources sharing type 'manual' and audience 'labour inspectors'."""
    path = tmp_path / "two.toml"
    path.write_text(TWO_SPELLINGS, encoding="utf-8")
    return path


def test_add_check_and_stats_agree_on_an_alike_spelling(run_cli: RunCli, two: Path) -> None:
    """What add warns about, check reports (naming both spellings and their counts) and stats
    counts as one bar, in the commonest spelling."""
    added = run_cli("add", "--title", "Gamma", "--date", "2009", "--audience", "Labour Inspector",
                    "--yes", path=two)  # fmt: skip
    assert "audience 'Labour Inspector' is close to the existing 'labour inspectors'" in (
        added.stderr
    )
    check = run_cli("check", path=two)
    assert check.exit_code == 0
    assert (
        "audience is spelled several ways: 'labour inspectors' (2 resources: a, b), "
        "'Labour Inspector' (1 resource: gamma)" in check.stdout
    )
    assert "1 warning" in check.stdout
    stats = run_cli("stats", "--json", path=two)
    assert '"labour inspectors": 3' in stats.stdout
    assert "Labour Inspector" not in stats.stdout


def test_a_misspelled_type_is_warned_about_by_add_edit_and_check(
    run_cli: RunCli, two: Path, tmp_path: Path
) -> None:
    """`--type manuel` beside `manual`: add and edit warn, check names both and their counts."""
    fresh = tmp_path / "fresh.toml"
    fresh.write_bytes(two.read_bytes())
    added = run_cli("add", "--title", "Gamma", "--date", "2009", "--type", "manuel", "--yes",
                    path=fresh)  # fmt: skip
    assert "type 'manuel' is close to the existing 'manual'; kept as given" in added.stderr
    edited = run_cli("edit", "a", "--type", "manuel", "--yes", path=two)
    assert "type 'manuel' is close to the existing 'manual'; kept as given" in edited.stderr
    check = run_cli("check", path=two)
    assert check.exit_code == 0
    assert (
        "type 'manuel' (1 resource: a) is close to 'manual' (1 resource: b); "
        "if they are one value, use one spelling" in check.stdout
    )


def test_import_warns_about_values_close_to_existing_ones(
    run_cli: RunCli, two: Path, tmp_path: Path
) -> None:
    """An imported value alike or close to one in use is kept, with a warning naming its row."""
    source = tmp_path / "in.csv"
    source.write_text(
        "title,date,type,audience\nGamma,2009,manuel,Labour Inspector\nDelta,2008,manuel,\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(source), path=two)
    assert result.exit_code == 0, result.stderr
    assert "row 2: type 'manuel' is close to the existing 'manual'; kept as given" in result.stderr
    assert "row 2: audience 'Labour Inspector' is close to the existing 'labour inspectors'" in (
        result.stderr
    )
    # Said once per spelling: row 3's 'manuel' is the same slip again.
    assert "row 3" not in result.stderr


def test_check_is_quiet_about_values_merely_alike_in_other_fields(
    run_cli: RunCli, catalogue: Path
) -> None:
    """The seed catalogue has no near-miss spellings: check still reports no warnings."""
    result = run_cli("check")
    assert "0 warnings" in result.stdout


def test_add_warns_about_a_publisher_spelled_another_way(run_cli: RunCli, two: Path) -> None:
    """Every field check compares is warned about by add too: here the publisher."""
    run_cli("add", "--title", "Gamma", "--publisher", "ILO-IPEC", "--yes", path=two)
    result = run_cli("add", "--title", "Delta", "--publisher", "ILO IPEC", "--yes", path=two)
    assert "publisher 'ILO IPEC' is close to the existing 'ILO-IPEC'; kept as given" in (
        result.stderr
    )


def test_stats_keeps_merely_close_values_apart(run_cli: RunCli, two: Path) -> None:
    """'manuel' beside 'manual' is a likely slip, not certainly one: two bars (check warns)."""
    run_cli("edit", "a", "--type", "manuel", "--yes", path=two)
    stats = __import__("json").loads(run_cli("stats", "--json", path=two).stdout)
    assert stats["by_type"] == {"manuel": 1, "manual": 1}


def test_names_of_people_fold_but_keep_their_endings(run_cli: RunCli, tmp_path: Path) -> None:
    """Authors compare without case or accents, but "Adams" is no plural of "Adam"."""
    path = tmp_path / "authors.toml"
    path.write_text(
        '[[resources]]\nid = "a"\ntitle = "A"\ndate = "2009"\nauthors = ["Adams, Jo", "Pérez, Ana"]\n\n'
        '[[resources]]\nid = "b"\ntitle = "B"\ndate = "2009"\nauthors = ["Adam, Jo", "Perez, Ana"]\n',
        encoding="utf-8",
    )
    out = run_cli("check", path=path).stdout
    assert "authors is spelled several ways: 'Pérez, Ana' (1 resource: a), 'Perez, Ana'" in out
    assert "Adam" not in out
    assert "1 warning" in out
