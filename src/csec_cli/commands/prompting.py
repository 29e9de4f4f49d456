"""Questions on a terminal: ask again after a wrong answer, and leave cleanly on Ctrl-C or EOF.

Prompts go to stderr, so `id=$(csec add)` still captures only the new id. Only a terminal is
asked anything: on a pipe, commands take their flags or fail at once, never waiting for input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer

from csec_cli.errors import InvalidValueError
from csec_cli.messages import print_hint, print_note, print_prompt

T = TypeVar("T")

# The answer that empties a field when editing (Enter alone keeps the current value).
CLEAR_ANSWER = "-"


def stdin_is_terminal() -> bool:
    """Whether a person can answer questions (tests replace this to drive prompts with input)."""
    return sys.stdin is not None and sys.stdin.isatty()


@contextmanager
def leaving_untouched(nothing_done: str) -> Iterator[None]:
    """Turn Ctrl-C (exit 130) and end of input (exit 1) during questions into one calm line."""
    try:
        yield
    except KeyboardInterrupt:
        print_note(f"\nInterrupted. {nothing_done}")
        raise typer.Exit(130) from None
    except EOFError:
        print_note(f"\nEnd of input. {nothing_done}")
        raise typer.Exit(1) from None


def read_answer(question: str, default: str | None = None) -> str:
    """One line typed by the user, outer spaces removed (EOFError at end of input)."""
    print_prompt(question, default)
    return input().strip()


def ask(question: str, parse: Callable[[str], T], *, default: str | None = None) -> T | None:
    """Ask until `parse` accepts the answer; Enter gives `default` (None when there is none)."""
    while True:
        answer = read_answer(question, default)
        if not answer:
            if default is None:
                return None
            answer = default
        try:
            return parse(answer)
        except InvalidValueError as error:
            print_hint(f"{error}; try again.")


def ask_required(question: str, parse: Callable[[str], T]) -> T:
    """Ask until a non-empty answer is accepted."""
    while True:
        value = ask(question, parse)
        if value is not None:
            return value
        print_hint("This is required.")


def confirm(question: str, *, default: bool) -> bool:
    """A yes/no question; Enter gives `default`."""
    hint = "Y/n" if default else "y/N"
    while True:
        answer = read_answer(f"{question} [{hint}]").lower()
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        print_hint("Please answer y or n.")
