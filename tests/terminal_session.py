"""The installed csec on a real pseudo-terminal, driven by pexpect as a person answers it."""

from __future__ import annotations

import os
from pathlib import Path

import pexpect

from conftest import installed_csec

TIMEOUT = 30
# The variables that would choose the language over LANG (csec reads them as gettext does).
_LANGUAGE_CHOOSERS = ("CSEC_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")


def spawn_csec(
    catalogue: Path, *args: str, locale: str | None = None, columns: int = 100
) -> pexpect.spawn:
    """Start `csec -c CATALOGUE ARGS…` on a pseudo-terminal, plain text, `columns` wide; under
    `locale` (LANG, with nothing set to override it) when given, else the test's environment."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": str(columns)}
    if locale is not None:
        env["LANG"] = locale
        for variable in _LANGUAGE_CHOOSERS:
            env.pop(variable, None)
    return pexpect.spawn(
        installed_csec(),
        ["-c", str(catalogue), *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, columns),
    )


def answer(session: pexpect.spawn, prompt: str, text: str) -> None:
    """Wait for a prompt (a regular expression) and type a line."""
    session.expect(prompt)
    session.sendline(text)


def finish(session: pexpect.spawn) -> int:
    """Wait for csec to exit and return its exit code (128+N for a signal)."""
    session.expect(pexpect.EOF)
    session.close()
    if session.exitstatus is None:
        return 128 + int(session.signalstatus)
    return int(session.exitstatus)
