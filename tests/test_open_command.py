"""Tests for `csec open ID` (csec_cli/commands/open.py); no test ever starts a browser."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from conftest import RunCli

CATALOGUE = """
[[resources]]
id = "with-url"
title = "A resource with a url"
url = "https://www.ilo.org/ipec/areas/CSEC/Resources/lang--en/index.htm"

[[resources]]
id = "without-url"
title = "A resource without one"

[[resources]]
id = "file-url"
title = "A resource pointing at a local file"
url = "file:///etc/passwd"
"""


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record what would be opened instead of starting a browser; the browser 'succeeds'."""
    calls: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        calls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return calls


@pytest.fixture
def urls_catalogue(tmp_path: Path) -> Path:
    """A catalogue with one http url, one missing url and one file: url."""
    path = tmp_path / "urls.toml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path


def test_open_hands_the_url_to_the_browser(
    run_cli: RunCli, urls_catalogue: Path, opened: list[str]
) -> None:
    """`csec open ID` opens the resource's url and says so on stderr."""
    result = run_cli("open", "with-", path=urls_catalogue, catch=False)
    assert result.exit_code == 0
    assert opened == ["https://www.ilo.org/ipec/areas/CSEC/Resources/lang--en/index.htm"]
    assert result.stdout == ""
    assert "Opened https://www.ilo.org/" in result.stderr


def test_open_prints_the_url_when_no_browser_starts(
    run_cli: RunCli, urls_catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where webbrowser finds no browser, the url goes to stdout and a note to stderr."""
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)
    result = run_cli("open", "with-url", path=urls_catalogue, catch=False)
    assert result.exit_code == 0
    assert result.stdout == "https://www.ilo.org/ipec/areas/CSEC/Resources/lang--en/index.htm\n"
    assert "No web browser could be started" in result.stderr


def test_open_print_only_never_calls_the_browser(
    run_cli: RunCli, urls_catalogue: Path, opened: list[str]
) -> None:
    """--print prints the url and opens nothing."""
    result = run_cli("open", "with-url", "--print", path=urls_catalogue, catch=False)
    assert result.exit_code == 0
    assert opened == []
    assert result.stdout.strip().startswith("https://www.ilo.org/")
    assert result.stderr == ""


def test_open_without_url_says_there_is_none(
    run_cli: RunCli, urls_catalogue: Path, opened: list[str]
) -> None:
    """A resource with no url is an error line naming it, exit 1, nothing opened."""
    result = run_cli("open", "without-url", path=urls_catalogue)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: without-url has no url recorded")
    assert opened == []


def test_open_refuses_addresses_that_are_not_web_pages(
    run_cli: RunCli, urls_catalogue: Path, opened: list[str]
) -> None:
    """A file: url from a shared catalogue is never handed to the browser."""
    result = run_cli("open", "file-url", path=urls_catalogue)
    assert result.exit_code == 1
    assert "is not an http(s) address" in result.stderr
    assert opened == []


def test_open_unknown_id_is_a_clean_error(run_cli: RunCli, opened: list[str]) -> None:
    """An id that matches nothing gives one error line and exit 1."""
    result = run_cli("open", "no-such-thing")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no resource with id 'no-such-thing'")
    assert opened == []


FILES_CATALOGUE = """
[[resources]]
id = "with-file"
title = "A resource with a document kept beside the catalogue"
url = "https://www.ilo.org/ipec/areas/CSEC/Resources/lang--en/index.htm"
files = ["pdf/taking action.pdf", "pdf/second.pdf"]

[[resources]]
id = "absolute-file"
title = "A resource whose document is elsewhere"
files = ["{absolute}"]

[[resources]]
id = "missing-file"
title = "A resource whose document is gone"
url = "https://www.ilo.org/ipec/areas/CSEC/Resources/lang--en/index.htm"
files = ["pdf/gone.pdf"]

[[resources]]
id = "launcher"
title = "A resource whose document is a launcher"
files = ["pdf/run.desktop"]
"""


@pytest.fixture
def files_catalogue(tmp_path: Path) -> Path:
    """A catalogue in its own folder, with documents under pdf/ and one outside it."""
    folder = tmp_path / "team"
    (folder / "pdf").mkdir(parents=True)
    for name in ("taking action.pdf", "second.pdf", "run.desktop"):
        (folder / "pdf" / name).write_bytes(b"%PDF-1.4\n")
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"%PDF-1.4\n")
    path = folder / "catalogue.toml"
    path.write_text(FILES_CATALOGUE.replace("{absolute}", str(elsewhere)), encoding="utf-8")
    return path


def test_open_prefers_the_first_file_read_from_the_catalogues_folder(
    run_cli: RunCli, files_catalogue: Path, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attached file is opened (not the url), found from the catalogue's folder
    whatever the current folder is."""
    monkeypatch.chdir(files_catalogue.parent.parent)
    result = run_cli("open", "with-file", path=files_catalogue, catch=False)
    assert result.exit_code == 0, result.stderr
    document = files_catalogue.parent / "pdf" / "taking action.pdf"
    assert opened == [document.as_uri()]
    assert f"Opened {document}" in result.stderr


def test_open_takes_an_absolute_file_as_it_is(
    run_cli: RunCli, files_catalogue: Path, opened: list[str]
) -> None:
    """An absolute path in `files` is opened where it points."""
    result = run_cli("open", "absolute-file", path=files_catalogue, catch=False)
    assert result.exit_code == 0, result.stderr
    assert opened == [(files_catalogue.parent.parent / "elsewhere.pdf").as_uri()]


def test_open_print_gives_the_files_path(
    run_cli: RunCli, files_catalogue: Path, opened: list[str]
) -> None:
    """--print prints the file's full path and opens nothing."""
    result = run_cli("open", "with-file", "--print", path=files_catalogue, catch=False)
    assert result.exit_code == 0
    assert result.stdout == f"{files_catalogue.parent / 'pdf' / 'taking action.pdf'}\n"
    assert opened == []


def test_open_a_missing_file_is_one_line_naming_it(
    run_cli: RunCli, files_catalogue: Path, opened: list[str]
) -> None:
    """A file that is not there: one error line with where csec looked (and the url), exit 1."""
    result = run_cli("open", "missing-file", path=files_catalogue)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: missing-file's file 'pdf/gone.pdf' does not exist")
    assert str(files_catalogue.parent / "pdf" / "gone.pdf") in result.stderr
    assert "its url is https://www.ilo.org/" in result.stderr
    assert result.stderr.count("\n") == 1
    assert opened == []


def test_open_refuses_a_launcher_as_a_document(
    run_cli: RunCli, files_catalogue: Path, opened: list[str]
) -> None:
    """A shared catalogue cannot make csec start a program: a .desktop file is not opened."""
    result = run_cli("open", "launcher", path=files_catalogue)
    assert result.exit_code == 1
    assert "is a program or launcher, not a document" in result.stderr
    assert opened == []


def test_a_file_named_for_an_unknown_users_home_is_a_name_in_the_folder(tmp_path: Path) -> None:
    """`~nosuchuser/x.pdf` names no home here: it is read from the catalogue's folder, as any
    other relative name (expanding it would fail: no traceback for a value a team wrote)."""
    from csec_cli.checks import attached_file_path

    name = "~csec-no-such-user-0/report.pdf"
    assert attached_file_path(name, tmp_path) == tmp_path / name
