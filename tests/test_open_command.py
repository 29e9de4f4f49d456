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
