"""`csec add` in a real pseudo-terminal: the installed csec driven by pexpect, as a person would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pexpect
import pytest
import tomli

from conftest import SEED
from terminal_session import answer, finish, spawn_csec


@pytest.fixture
def terminal_catalogue(tmp_path: Path) -> Path:
    """A copy of the seed for one terminal session."""
    path = tmp_path / "team.toml"
    shutil.copyfile(SEED, path)
    return path


def spawn_add(path: Path) -> pexpect.spawn:
    """Start `csec add` on a pseudo-terminal, plain text, 100 columns."""
    return spawn_csec(path, "add")


def test_happy_path_with_re_asked_date_and_near_miss(terminal_catalogue: Path) -> None:
    """A full session: bad date asked again, near-miss spelling taken, id printed, file updated."""
    session = spawn_add(terminal_catalogue)
    answer(session, r"Title: ", "Guide for labour inspectors on CSEC")
    answer(session, r"Authors \(.*\): ", "")
    answer(session, r"Date \(.*\): ", "2009-02-30")
    session.expect(r"'2009-02-30' is not a real date.*try again\.")
    answer(session, r"Date \(.*\): ", "01 March 2009")
    answer(session, r"Summary: ", "A guide for inspectors.")
    session.expect(r"Already used: leaflet, ")
    answer(session, r"Type: ", "manual")
    answer(session, r"Audience \(comma-separated\): ", "labour inspector")
    answer(session, r"Use the existing 'labour inspectors' for 'labour inspector'\? \[Y/n\]: ", "")
    answer(session, r"Topics \(comma-separated\): ", "child labour, labour inspection")
    answer(session, r"Countries or regions \(comma-separated\): ", "Costa Rica")
    answer(session, r"Language \(ISO 639-1\) \[en\]: ", "")
    answer(session, r"Publisher: ", "ILO-IPEC")
    for prompt in (r"Place of publication: ", r"Series: ", r"ISBN: ", r"ISSN: "):
        answer(session, prompt, "")
    answer(session, r"URL: ", "")
    answer(session, r"Files \(.*\): ", "")
    answer(session, r"Notes: ", "")
    session.expect(r"The new resource:")
    session.expect(r"date\s+01 March 2009")
    answer(session, r"Add it to the catalogue\? \[Y/n\]: ", "y")
    session.expect(r"guide-labour-inspectors-csec\r\n")
    assert finish(session) == 0
    new = tomli.loads(terminal_catalogue.read_text(encoding="utf-8"))["resources"][-1]
    assert new["id"] == "guide-labour-inspectors-csec"
    assert new["audience"] == ["labour inspectors"]
    assert new["topics"] == ["child labour", "labour inspection"]
    assert new["language"] == "en"
    assert "url" not in new


def test_record_fields_are_asked_in_order_authors_after_the_title(terminal_catalogue: Path) -> None:
    """Authors come right after the title (a comma stays inside a name), a wrong ISBN check digit
    is explained and asked again, and place, series, ISSN, files and notes are asked in turn."""
    session = spawn_add(terminal_catalogue)
    answer(session, r"Title: ", "Estudio sobre explotación sexual comercial en San José")
    answer(session, r"Authors \(Surname, Given names; \.\.\.\): ", "Pérez, Ana María; OIT/IPEC")
    answer(session, r"Date \(.*\): ", "2009")
    for prompt in (
        r"Summary: ",
        r"Type: ",
        r"Audience \(",
        r"Topics \(",
        r"Countries or regions \(",
    ):
        answer(session, prompt, "")
    answer(session, r"Language \(ISO 639-1\) \[en\]: ", "es")
    answer(session, r"Publisher: ", "OIT")
    answer(session, r"Place of publication: ", "San José")
    answer(session, r"Series: ", "Estudios")
    answer(session, r"ISBN: ", "978-92-2-122345-1")
    session.expect(r"call\s+for\s+the\s+check\s+digit\s+0:\s+one\s+digit\s+is\s+mistyped")
    answer(session, r"ISBN: ", "978-92-2-122345-0")
    answer(session, r"ISSN: ", "2227-2704")
    answer(session, r"URL: ", "")
    answer(session, r"Files \(paths, separated by ;\): ", "")
    answer(session, r"Notes: ", "Hay una versión en inglés.")
    session.expect(r"authors\s+Pérez, Ana María; OIT/IPEC")
    answer(session, r"Add it to the catalogue\? \[Y/n\]: ", "y")
    assert finish(session) == 0
    new = tomli.loads(terminal_catalogue.read_text(encoding="utf-8"))["resources"][-1]
    assert new["authors"] == ["Pérez, Ana María", "OIT/IPEC"]
    assert new["isbn"] == "978-92-2-122345-0"
    assert new["issn"] == "2227-2704"
    assert (new["place"], new["series"]) == ("San José", "Estudios")
    assert new["notes"] == "Hay una versión en inglés."
    assert "files" not in new


def test_ctrl_c_half_way_exits_130_and_leaves_the_file(terminal_catalogue: Path) -> None:
    """Ctrl-C in the middle of the questions exits 130, calmly, with the catalogue untouched."""
    before = terminal_catalogue.read_bytes()
    session = spawn_add(terminal_catalogue)
    answer(session, r"Title: ", "A resource never finished")
    answer(session, r"Authors \(.*\): ", "")
    answer(session, r"Date \(.*\): ", "2009")
    session.expect(r"Summary: ")
    session.sendintr()
    session.expect(r"Interrupted\. Nothing was added\.")
    rest = session.read()
    assert "Traceback" not in (session.before or "") + rest
    assert finish(session) == 130
    assert terminal_catalogue.read_bytes() == before
    assert list(terminal_catalogue.parent.glob("*.tmp")) == []


def test_ctrl_d_exits_1_and_leaves_the_file(terminal_catalogue: Path) -> None:
    """End of input (Ctrl-D) at a question exits 1 with the catalogue untouched."""
    before = terminal_catalogue.read_bytes()
    session = spawn_add(terminal_catalogue)
    answer(session, r"Title: ", "Another unfinished one")
    answer(session, r"Authors \(.*\): ", "")
    session.expect(r"Date \(.*\): ")
    session.sendeof()
    session.expect(r"End of input\. Nothing was added\.")
    assert finish(session) == 1
    assert terminal_catalogue.read_bytes() == before
