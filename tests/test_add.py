"""`csec add`: flags for scripts, prompts (driven through CliRunner input), duplicates, ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import tomli

from conftest import SEED, RunCli
from csec_cli.catalogue import render_resource
from csec_cli.commands import prompting
from csec_cli.field_values import EDITABLE_FIELDS
from csec_cli.models import Resource


def resources_in(path: Path) -> list[dict[str, object]]:
    """The resource tables of a catalogue file."""
    tables = tomli.loads(path.read_text(encoding="utf-8"))["resources"]
    assert isinstance(tables, list)
    return tables


@pytest.fixture
def on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make csec believe a person is at a terminal, so CliRunner input answers its questions."""
    monkeypatch.setattr(prompting, "stdin_is_terminal", lambda: True)


def test_add_with_flags_stores_every_field_and_prints_the_id(
    run_cli: RunCli, catalogue: Path
) -> None:
    """Every field given as a flag is stored, and stdout holds only the new id."""
    before = len(resources_in(catalogue))
    result = run_cli(
        "add",
        "--title", "Guide for labour inspectors",
        "--date", "March 2009",
        "--summary", "A short guide.",
        "--type", "manual",
        "--audience", "labour inspectors",
        "--audience", "trade unions",
        "--topic", "child labour",
        "--country", "Costa Rica",
        "--language", "ES",
        "--publisher", "ILO-IPEC",
        "--url", "https://www.ilo.org/guide",
        "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "guide-labour-inspectors\n"
    assert "Added 'guide-labour-inspectors'" in result.stderr
    tables = resources_in(catalogue)
    assert len(tables) == before + 1
    new = tables[-1]
    assert new["id"] == "guide-labour-inspectors"
    assert new["date"] == "2009-03"
    assert new["audience"] == ["labour inspectors", "trade unions"]
    assert new["topics"] == ["child labour"]
    assert new["countries"] == ["Costa Rica"]
    assert new["language"] == "es"
    assert new["publisher"] == "ILO-IPEC"
    assert new["url"] == "https://www.ilo.org/guide"
    added = new["added"]
    assert isinstance(added, dt.datetime) and added.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - added) < dt.timedelta(minutes=5)


def test_add_keeps_a_day_month_or_year_as_given(run_cli: RunCli, catalogue: Path) -> None:
    """A full date is a TOML date; a month or a year alone stays partial, never invented."""
    for title, date in [
        ("Alpha study", "01 March 2009"),
        ("Beta study", "2009-03"),
        ("Gamma", "2009"),
    ]:
        assert run_cli("add", "--title", title, "--date", date, "--yes").exit_code == 0
    dates = [table.get("date") for table in resources_in(catalogue)[-3:]]
    assert dates == [dt.date(2009, 3, 1), "2009-03", "2009"]


def test_add_without_title_on_a_pipe_fails_at_once(run_cli: RunCli, catalogue: Path) -> None:
    """With no terminal, a missing title is an error straight away, never a wait for input."""
    before = catalogue.read_bytes()
    result = run_cli("add", "--date", "2009")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: --title is required when csec add is not run on a terminal\n"
    assert catalogue.read_bytes() == before


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--date", "2009-02-30"], "--date: '2009-02-30' is not a real date"),
        (["--date", "soon"], "--date: 'soon' is not a date"),
        (["--language", "english"], "--language: 'english' is not a two-letter ISO 639-1"),
        (["--url", "www.ilo.org"], "--url: 'www.ilo.org' is not a web address"),
        (["--date", "2999"], "--date: 2999 is in the future"),
        (["--type", "  "], "--type: type is empty"),
    ],
)
def test_add_refuses_a_bad_flag_value(
    run_cli: RunCli, catalogue: Path, flags: list[str], message: str
) -> None:
    """A wrong value names its flag and says what is wrong; the catalogue is untouched."""
    before = catalogue.read_bytes()
    result = run_cli("add", "--title", "Some new title", *flags, "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}")
    assert catalogue.read_bytes() == before


def test_add_refuses_a_near_duplicate_title_with_yes(run_cli: RunCli, catalogue: Path) -> None:
    """With --yes a title close to an existing one is refused, naming the existing id."""
    before = catalogue.read_bytes()
    result = run_cli("add", "--title", "How to work strategically with media", "--yes")
    assert result.exit_code == 1
    assert "media-strategy" in result.stderr
    assert "--allow-duplicate" in result.stderr
    assert catalogue.read_bytes() == before


def test_allow_duplicate_adds_with_a_distinct_id(run_cli: RunCli, catalogue: Path) -> None:
    """--allow-duplicate adds the resource anyway, under an id of its own."""
    title = "How to work strategically with the media?"
    result = run_cli("add", "--title", title, "--yes", "--allow-duplicate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "work-strategically-media\n"
    ids = [table["id"] for table in resources_in(catalogue)]
    assert len(ids) == len(set(ids))
    assert result.stdout.strip() in ids


def test_add_warns_about_a_near_miss_spelling_on_a_pipe(run_cli: RunCli, catalogue: Path) -> None:
    """A flag value close to an existing spelling is kept as given, with a warning."""
    result = run_cli("add", "--title", "New leaflet", "--audience", "labour inspector", "--yes")
    assert result.exit_code == 0, result.stderr
    assert (
        "Warning: audience 'labour inspector' is close to the existing 'labour inspectors'"
        in result.stderr
    )
    assert resources_in(catalogue)[-1]["audience"] == ["labour inspector"]


def test_add_creates_a_missing_catalogue(run_cli: RunCli, tmp_path: Path) -> None:
    """The first add to a path that does not exist creates the catalogue there."""
    path = tmp_path / "new" / "team.toml"
    result = run_cli("add", "--title", "First resource", "--yes", path=path)
    assert result.exit_code == 0, result.stderr
    assert [table["id"] for table in resources_in(path)] == ["first-resource"]


def test_add_to_default_catalogue_copies_the_seed_first(
    tmp_path: Path, shipped_seed_unchanged: None
) -> None:
    """Without --catalogue, the first add writes the user's copy of the seed plus the new one."""
    from typer.testing import CliRunner

    from csec_cli.catalogue import default_catalogue_path
    from csec_cli.cli import app

    result = CliRunner().invoke(app, ["add", "--title", "Own resource", "--yes"])
    assert result.exit_code == 0, result.stderr
    own = default_catalogue_path()
    assert len(resources_in(own)) == len(resources_in(SEED)) + 1


ANSWERS = "\n".join(
    [
        "Guide for labour inspectors on CSEC",  # title
        "Pérez, Ana María; OIT/IPEC",  # authors: split at ';' only
        "2009-02-30",  # impossible date: asked again
        "March 2009",
        "A guide.",  # summary
        "manual",  # type
        "labour inspector, trade unions",  # audience, one near miss
        "y",  # take the existing spelling
        "child labour",  # topics
        "",  # countries
        "",  # language: default en
        "ILO-IPEC",  # publisher
        "San José",  # place
        "",  # series
        "978-92-2-122345-1",  # wrong check digit: asked again
        "978-92-2-122345-0",
        "",  # issn
        "ilo.org",  # not a web address: asked again
        "https://www.ilo.org/guide",
        "",  # files
        "",  # notes
        "y",  # confirm
    ]
)


def test_interactive_add_asks_each_field_and_re_asks_wrong_answers(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """On a terminal every field is asked, wrong answers explained and asked again."""
    result = run_cli("add", input=ANSWERS + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "guide-labour-inspectors-csec\n"
    assert "'2009-02-30' is not a real date" in result.stderr
    assert "Use the existing 'labour inspectors' for 'labour inspector'?" in result.stderr
    assert "'ilo.org' is not a web address" in result.stderr
    assert "Already used: leaflet, brochure" in result.stderr
    new = resources_in(catalogue)[-1]
    assert new["title"] == "Guide for labour inspectors on CSEC"
    assert new["date"] == "2009-03"
    assert new["audience"] == ["labour inspectors", "trade unions"]
    assert new["language"] == "en"
    assert "countries" not in new
    assert new["url"] == "https://www.ilo.org/guide"
    assert new["authors"] == ["Pérez, Ana María", "OIT/IPEC"]
    assert new["place"] == "San José"
    assert new["isbn"] == "978-92-2-122345-0"
    assert "call for the check digit 0" in result.stderr
    assert "series" not in new and "files" not in new


def test_interactive_add_declined_leaves_the_catalogue(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """Answering no at the confirmation adds nothing and exits 1."""
    before = catalogue.read_bytes()
    answers = ANSWERS.rsplit("\n", 1)[0] + "\nn\n"
    result = run_cli("add", input=answers)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.rstrip().endswith("Nothing was added.")
    assert catalogue.read_bytes() == before


def test_interactive_add_end_of_input_exits_1_untouched(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """End of input half way exits 1 with one calm line, no traceback, nothing written."""
    before = catalogue.read_bytes()
    result = run_cli("add", input="A title never finished\n2009\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "End of input. Nothing was added." in result.stderr
    assert "Traceback" not in result.stderr
    assert catalogue.read_bytes() == before


def test_interactive_add_shows_duplicates_and_asks(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """A near-duplicate title shows the existing resource; answering no adds nothing."""
    before = catalogue.read_bytes()
    result = run_cli("add", input="How to work strategically with media\nn\n")
    assert result.exit_code == 1
    assert "Already in the catalogue, with a similar title:" in result.stderr
    assert "media-strategy" in result.stderr
    assert "Add the new one anyway? [y/N]" in result.stderr
    assert catalogue.read_bytes() == before


def test_interactive_add_requires_a_title(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """An empty title is asked again rather than accepted."""
    answers = "\n" + "Unique new title\n" + "\n" * (len(EDITABLE_FIELDS) - 1) + "y\n"
    result = run_cli("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "This is required." in result.stderr
    assert resources_in(catalogue)[-1]["title"] == "Unique new title"


def test_add_with_title_on_a_terminal_asks_only_to_confirm(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """Given --title on a terminal, csec shows the resource and asks once, nothing else."""
    result = run_cli("add", "--title", "Quick entry", "--date", "2010", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("?") == 1
    assert "Add it to the catalogue? [Y/n]" in result.stderr
    assert resources_in(catalogue)[-1]["id"] == "quick-entry"


@pytest.fixture
def writes_before_the_lock(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, bytes], None]:
    """Have another writer replace the catalogue just before csec's own writer takes the lock
    (as a concurrent `csec` finishing its write at that moment would)."""
    import csec_cli.catalogue

    real_lock = csec_cli.catalogue.catalogue_lock

    def arrange(path: Path, data: bytes) -> None:
        @contextmanager
        def lock_after_the_other_writer(locked: Path) -> Iterator[None]:
            path.write_bytes(data)
            with real_lock(locked):
                yield

        monkeypatch.setattr(csec_cli.catalogue, "catalogue_lock", lock_after_the_other_writer)

    return arrange


def with_resource(path: Path, resource_id: str, title: str) -> bytes:
    """The catalogue file's bytes with one more resource appended, as another csec writes it."""
    block = render_resource(Resource(id=resource_id, title=title))
    return path.read_bytes() + b"\n" + block.encode("utf-8")


def test_add_with_flags_reads_the_catalogue_only_under_the_lock(
    run_cli: RunCli, catalogue: Path, writes_before_the_lock: Callable[[Path, bytes], None]
) -> None:
    """A scripted add reads nothing before it locks: a file another writer is replacing at
    that moment (broken a moment earlier) does not stop it, and its result is kept."""
    repaired = catalogue.read_bytes()
    catalogue.write_text("[[resources]\nhalf written", encoding="utf-8")
    writes_before_the_lock(catalogue, repaired)
    result = run_cli("add", "--title", "Guide for labour inspectors", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "guide-labour-inspectors\n"
    assert catalogue.read_bytes().startswith(repaired)
    assert resources_in(catalogue)[-1]["title"] == "Guide for labour inspectors"


def test_add_with_flags_refuses_a_near_duplicate_added_while_it_waited_for_the_lock(
    run_cli: RunCli, catalogue: Path, writes_before_the_lock: Callable[[Path, bytes], None]
) -> None:
    """The near-duplicate check runs under the lock: a similar title another writer added a
    moment before is refused, and the catalogue keeps only the other writer's resource."""
    theirs = with_resource(catalogue, "theirs", "Guide for labour inspectors on CSEC")
    writes_before_the_lock(catalogue, theirs)
    result = run_cli("add", "--title", "Guide for labour inspectors on CSEC.", "--yes")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: the catalogue already has a resource with (nearly)")
    assert "theirs" in result.stderr
    assert catalogue.read_bytes() == theirs


def test_add_with_allow_duplicate_adds_beside_a_similar_title_added_meanwhile(
    run_cli: RunCli, catalogue: Path, writes_before_the_lock: Callable[[Path, bytes], None]
) -> None:
    """--allow-duplicate still adds when the similar title arrived while csec waited."""
    writes_before_the_lock(catalogue, with_resource(catalogue, "theirs", "Guide on CSEC"))
    result = run_cli("add", "--title", "Guide on CSEC", "--yes", "--allow-duplicate")
    assert result.exit_code == 0, result.stderr
    assert [table["id"] for table in resources_in(catalogue)[-2:]] == ["theirs", "guide-csec"]


def test_interactive_add_refuses_a_near_duplicate_added_while_the_user_answered(
    run_cli: RunCli,
    catalogue: Path,
    on_terminal: None,
    writes_before_the_lock: Callable[[Path, bytes], None],
) -> None:
    """Answers take a while: a similar title written meanwhile is refused under the lock,
    saying so, rather than added unseen."""
    theirs = with_resource(catalogue, "theirs", "Guide for labour inspectors on CSEC")
    writes_before_the_lock(catalogue, theirs)
    result = run_cli("add", input=ANSWERS + "\n")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "Error: while you answered, another csec added a resource with (nearly) this title: "
        "theirs;" in result.stderr
    )
    assert catalogue.read_bytes() == theirs


def test_interactive_add_keeps_a_similar_title_the_user_accepted(
    run_cli: RunCli, catalogue: Path, on_terminal: None
) -> None:
    """A similar title shown and accepted is not refused again when the add is written."""
    answers = (
        "How to work strategically with media\ny\n" + "\n" * (len(EDITABLE_FIELDS) - 1) + "y\n"
    )
    result = run_cli("add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "media-strategy" in result.stderr
    assert resources_in(catalogue)[-1]["title"] == "How to work strategically with media"


@pytest.mark.parametrize(
    ("interface", "fixture", "offered"),
    [("es", "resources.toml", "es"), ("en", "catalogo_es.toml", "en")],
)
def test_interactive_add_offers_the_interface_language(
    run_cli: RunCli,
    catalogue: Path,
    fixture_catalogue: Callable[[str], Path],
    on_terminal: None,
    monkeypatch: pytest.MonkeyPatch,
    interface: str,
    fixture: str,
    offered: str,
) -> None:
    """The language offered (taken by Enter) is the interface's, whatever most resources are in:
    Spanish on the English seed, English on a Spanish catalogue."""
    monkeypatch.setenv("CSEC_LANG", interface)
    path = catalogue if fixture == "resources.toml" else fixture_catalogue(fixture)
    answers = "A resource in no particular language\n" + "\n" * (len(EDITABLE_FIELDS) - 1) + "y\n"
    result = run_cli("add", input=answers, path=path)
    assert result.exit_code == 0, result.stderr
    assert f"ISO 639-1) [{offered}]: " in result.stderr
    assert resources_in(path)[-1]["language"] == offered
