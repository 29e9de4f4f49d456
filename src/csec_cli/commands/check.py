"""`csec check`: list every problem in the catalogue; exit 1 if any is an error."""

from __future__ import annotations

import typer

from csec_cli.catalogue import load_catalogue
from csec_cli.checks import check_catalogue
from csec_cli.commands.common import app_state
from csec_cli.console import out
from csec_cli.render import print_labelled_lines, safe_text


def check_command(ctx: typer.Context) -> None:
    """Validate the catalogue: syntax, fields, ids, dates, near-duplicates, spellings.

    Errors (exit 1) stop csec from writing; warnings (exit 0) are worth a look.

    Example: csec --catalogue team.toml check
    """
    catalogue = load_catalogue(app_state(ctx).location.path_for_reading())
    problems = check_catalogue(catalogue)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    print_labelled_lines(
        (
            f"{problem.severity}: ",
            "red" if problem.severity == "error" else "yellow",
            problem.describe(catalogue.path),
        )
        for problem in problems
    )
    count = len(catalogue.resources)
    summary = f"{catalogue.path}: {count} valid resource{'s' * (count != 1)}, "
    summary += f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    out.print(safe_text(summary), soft_wrap=True)
    if errors:
        raise typer.Exit(1)
