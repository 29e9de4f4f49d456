"""render.track_progress: a bar only when enabled and only once the work outlasts the delay."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from csec_cli.render import track_progress


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=80), buffer


def test_quick_work_shows_no_bar() -> None:
    """Work that finishes within the delay never draws anything."""
    console, buffer = _terminal()
    clock = _Clock()
    items = []
    for item in track_progress(
        list(range(5)), "Exporting", enabled=True, clock=clock, console=console
    ):
        clock.now += 0.1
        items.append(item)
    assert items == [0, 1, 2, 3, 4]
    assert buffer.getvalue() == ""


def test_slow_work_shows_a_bar_after_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the delay a bar with a count appears on the given (terminal) console."""
    monkeypatch.setenv("TERM", "xterm-256color")  # rich draws no live display on a dumb terminal
    console, buffer = _terminal()
    clock = _Clock()
    for _item in track_progress(
        list(range(10)), "Exporting", enabled=True, clock=clock, console=console
    ):
        clock.now += 0.5
    assert "Exporting" in buffer.getvalue()
    assert " 2/10" in buffer.getvalue()  # appeared after two items (1 s at 0.5 s each)
    assert "10/10" in buffer.getvalue()


def test_earlier_work_counts_towards_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a start time 2 s back (loading the catalogue), the bar shows from the first item."""
    monkeypatch.setenv("TERM", "xterm-256color")
    console, buffer = _terminal()
    clock = _Clock()
    clock.now = 2.0
    for _item in track_progress(
        list(range(3)), "Exporting", enabled=True, clock=clock, console=console, started=0.0
    ):
        pass
    assert " 0/3" in buffer.getvalue()


def test_disabled_shows_nothing_however_slow() -> None:
    """Disabled (a pipe), even slow work draws nothing."""
    console, buffer = _terminal()
    clock = _Clock()
    for _item in track_progress(
        list(range(10)), "Exporting", enabled=False, clock=clock, console=console
    ):
        clock.now += 5
    assert buffer.getvalue() == ""
