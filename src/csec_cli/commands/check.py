"""`csec check`: list every problem in the catalogue; exit 1 if any is an error."""

from __future__ import annotations

from pathlib import Path

import typer

from csec_cli.catalogue import load_catalogue
from csec_cli.checks import check_catalogue
from csec_cli.commands.common import app_state
from csec_cli.console import out
from csec_cli.i18n import _, ngettext, pgettext
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
    labels = _severity_labels()
    print_labelled_lines(
        (
            labels[problem.severity],
            "red" if problem.severity == "error" else "yellow",
            problem.describe(catalogue.path),
        )
        for problem in problems
    )
    count = len(catalogue.resources)
    resources = ngettext("{count} valid resource", "{count} valid resources", count)
    summary = _summary_line(catalogue.path, resources.format(count=count), errors, warnings)
    out.print(safe_text(summary), soft_wrap=True)
    thesaurus_errors = _check_team_thesaurus(catalogue.path)
    if errors or thesaurus_errors:
        raise typer.Exit(1)


def _severity_labels() -> dict[str, str]:
    """The label before each problem: `error: `, `warning: ` in the interface language."""
    return {
        "error": pgettext("severity", "error") + ": ",
        "warning": pgettext("severity", "warning") + ": ",
    }


def _summary_line(path: Path, counted: str, errors: int, warnings: int) -> str:
    """`team.toml: 10 valid resources, 0 errors, 1 warning` (`counted`: what was checked)."""
    # Translators: {counted} is "10 valid resources" or "4 team thesaurus concepts"; {errors}
    # "0 errors", {warnings} "1 warning", each translated on its own.
    return _("{path}: {counted}, {errors}, {warnings}").format(
        path=path,
        counted=counted,
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
    )


def _check_team_thesaurus(catalogue_path: Path) -> int:
    """Print the team thesaurus's problems and a summary line; return how many are errors."""
    from csec_cli.thesaurus_data import check_team_thesaurus

    checked = check_team_thesaurus(catalogue_path)
    if checked is None:
        return 0
    problems = checked.problems
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    labels = _severity_labels()
    print_labelled_lines(
        (
            labels[problem.severity],
            "red" if problem.severity == "error" else "yellow",
            str(problem),
        )
        for problem in problems
    )
    concepts = checked.concepts
    counted = ngettext(
        "{count} team thesaurus concept", "{count} team thesaurus concepts", concepts
    ).format(count=concepts)
    out.print(safe_text(_summary_line(checked.path, counted, errors, warnings)), soft_wrap=True)
    return errors
