"""Messages: the notes written without rich are exactly the lines rich writes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from csec_cli import messages, render

SAMPLES = [
    "Added 'guide-labour-inspectors' to /tmp/team catalogue.toml.",
    "[bold]not markup[/bold] \x1b[31mred\x1b[0m \u202eevil \x07 bell",
    "\nInterrupted. Nothing was added.",
    "a\ttab  and trailing spaces   ",
    "wide 漢字 and emoji 👩‍👩‍👧 and e\u0301",
    "",
]


@pytest.fixture(params=["pipe", "colour terminal"])
def rich_errors(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """render's stderr console as on a pipe, or as on a colour terminal of 40 columns."""
    if request.param == "colour terminal":
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm-256color")
        terminal = Console(
            stderr=True, highlight=False, force_terminal=True, color_system="truecolor", width=40
        )
        monkeypatch.setattr(render, "err", terminal)
        render.print_warning("styled")
        assert "\x1b[" in capsys.readouterr().err  # a terminal rich colours


def written(capsys: pytest.CaptureFixture[str], show: object, message: str) -> str:
    """What `show(message)` writes on stderr (nothing on stdout)."""
    capsys.readouterr()
    show(message)  # type: ignore[operator]
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize("message", SAMPLES)
def test_note_without_rich_is_the_line_rich_writes(
    capsys: pytest.CaptureFixture[str], rich_errors: None, message: str
) -> None:
    """A note is written exactly as render.print_note writes it, on a pipe or a terminal."""
    plain = written(capsys, messages.print_note, message)
    assert plain == written(capsys, render.print_note, message)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text())
def test_any_note_without_rich_is_the_line_rich_writes(
    capsys: pytest.CaptureFixture[str], rich_errors: None, message: str
) -> None:
    """Whatever the text, the note is the same characters render.print_note writes."""
    plain = written(capsys, messages.print_note, message)
    assert plain == written(capsys, render.print_note, message)
