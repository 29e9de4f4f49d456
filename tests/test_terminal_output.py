"""Tests that catalogue text reaches the terminal literally: no markup, no escape sequences."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

RunCli = Callable[..., Result]

HOSTILE = (
    '[[resources]]\nid = "pdf"\ntitle = "[PDF] Guide [bold]for[/bold] inspectors \\u001b[31mRED\\u001b[0m"\n'
    'date = 2009-01-01\nsummary = "Bell \\u0007 and [link=http://x]link[/link]"\n'
)


def test_markup_and_escape_sequences_in_titles_print_literally(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """ "[PDF]" and rich markup print as written; ESC and BEL are shown as \\x1b, \\x07."""
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    for command in (["list"], ["show", "pdf"]):
        result = run_cli(*command, path=path)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "[PDF]" in result.stdout
        assert "[bold]for[/bold]" in result.stdout
        assert "\\x1b[31mRED" in result.stdout
    summary = run_cli("show", "pdf", path=path).stdout
    assert "[link=http://x]link[/link]" in summary and "\\x07" in summary


def test_json_keeps_the_stored_text_exactly(run_cli: RunCli, tmp_path: Path) -> None:
    """JSON is for programs: the title comes back exactly as stored."""
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    data = json.loads(run_cli("show", "pdf", "--json", path=path).stdout)
    assert data["title"] == "[PDF] Guide [bold]for[/bold] inspectors \x1b[31mRED\x1b[0m"


def test_labelled_lines_written_plainly_are_what_rich_writes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Lines csec writes itself to a pipe equal rich's own output, escapes and tabs included."""
    import io

    from rich.console import Console
    from rich.text import Text

    from csec_cli import render
    from csec_cli.models import show_control_characters

    lines = [
        ("warning: ", "yellow", "plain words"),
        ("error: ", "red", "an escape \x1b[31m and a bell \x07 shown, never run"),
        ("warning: ", "yellow", "a\ttab, which rich expands"),
        ("warning: ", "yellow", "wide 文字 and accents: explotación " + "long " * 40),
    ] * 300
    render.print_labelled_lines(lines)
    written = capsys.readouterr().out
    reference = io.StringIO()
    console = Console(file=reference, color_system=None, highlight=False, width=80)
    for label, style, text in lines:
        console.print(Text.assemble((label, style), show_control_characters(text)), soft_wrap=True)
    assert written == reference.getvalue()
    assert "\x1b" not in written
