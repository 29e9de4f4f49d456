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
from csec_cli.i18n import _
from csec_cli.messages import print_hint, print_note, print_prompt
from csec_cli.models import fold_text

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
        print_note("\n" + _("Interrupted. {nothing_done}").format(nothing_done=nothing_done))
        raise typer.Exit(130) from None
    except EOFError:
        print_note("\n" + _("End of input. {nothing_done}").format(nothing_done=nothing_done))
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
            print_hint(_("{problem}; try again.").format(problem=error))


def ask_required(question: str, parse: Callable[[str], T]) -> T:
    """Ask until a non-empty answer is accepted."""
    while True:
        value = ask(question, parse)
        if value is not None:
            return value
        print_hint(_("This is required."))


def confirm(question: str, *, default: bool) -> bool:
    """A yes/no question; Enter gives `default`. The answers of the interface language are
    taken, and English y/yes/n/no always (people type them from habit, and scripts do)."""
    # The hint shows the default in capitals: [Y/n], in Spanish [S/n].
    hint = _("Y/n") if default else _("y/N")
    # Translators: every answer that means yes, separated by commas ("s, si, sí"); the first
    # letters must match the hint "Y/n" and the words of "Please answer y or n.".
    yes = {"y", "yes", *answer_words(_("y, yes"))}
    no = {"n", "no", *answer_words(_("n, no"))}
    while True:
        answer = fold_text(read_answer(f"{question} [{hint}]").strip().lower())
        if not answer:
            return default
        if answer in yes:
            return True
        if answer in no:
            return False
        print_hint(_("Please answer y or n."))


def answer_words(text: str) -> set[str]:
    """The answers a translation lists ("s, si, sí"), folded as typed answers are."""
    return {fold_text(word.strip().lower()) for word in text.split(",") if word.strip()}
