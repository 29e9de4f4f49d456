"""`csec check`: list every problem in the catalogue; exit 1 if any is an error."""

from __future__ import annotations

from pathlib import Path

import typer

from csec_cli.catalogue import load_catalogue
from csec_cli.checks import check_catalogue
from csec_cli.commands.common import app_state
from csec_cli.console import out
from csec_cli.render import print_labelled_lines, safe_text


def check_command(ctx: typer.Context) -> None:
    """Validate the catalogue and the team's thesaurus: syntax, fields, ids, dates, duplicates.

    Errors (exit 1) in the catalogue stop csec from writing; warnings (exit 0) are worth a look.

    The team's thesaurus ($CSEC_THESAURUS, or thesaurus.toml beside the catalogue) is checked too: its errors make the exit 1 but never stop a write.

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
    thesaurus_errors = _check_team_thesaurus(catalogue.path)
    if errors or thesaurus_errors:
        raise typer.Exit(1)


def _check_team_thesaurus(catalogue_path: Path) -> int:
    """Print the team thesaurus's problems and a summary line; return how many are errors."""
    from csec_cli.thesaurus_data import check_team_thesaurus

    checked = check_team_thesaurus(catalogue_path)
    if checked is None:
        return 0
    problems = checked.problems
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    print_labelled_lines(
        (
            f"{problem.severity}: ",
            "red" if problem.severity == "error" else "yellow",
            str(problem),
        )
        for problem in problems
    )
    concepts = checked.concepts
    summary = f"{checked.path}: {concepts} team thesaurus concept{'s' * (concepts != 1)}, "
    summary += f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    out.print(safe_text(summary), soft_wrap=True)
    return errors
