"""A usage error as a person reads it: the message inside Typer's error panel, exit code 2."""

from __future__ import annotations

from typer.testing import Result


def error_text(stderr: str) -> str:
    """The message inside typer's error panel, its lines joined."""
    inside = [line.strip("│ ").strip() for line in stderr.splitlines() if line.startswith("│")]
    return " ".join(inside)


def usage_error_text(result: Result) -> str:
    """The message of a usage error, after checking that it is one (exit 2)."""
    assert result.exit_code == 2, result.stderr
    return error_text(result.stderr)
