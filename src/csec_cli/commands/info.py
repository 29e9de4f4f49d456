"""`csec info`: which catalogue is in use, how many resources it holds, which csec this is."""

from __future__ import annotations

import typer

from csec_cli import __version__
from csec_cli.catalogue import load_catalogue
from csec_cli.commands.common import JsonOption, app_state
from csec_cli.console import out
from csec_cli.i18n import LANGUAGE_NAMES, LanguageChoice, _, choose_language, language
from csec_cli.plain_output import print_json
from csec_cli.render import print_note, safe_text


def info_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Show the catalogue in use (and why), its resource count and the csec version.

    Example: csec info
    """
    location = app_state(ctx).location
    catalogue = load_catalogue(location.path_for_reading())
    data = {
        "catalogue": str(location.path),
        "chosen_by": location.source,
        "exists": location.path.exists(),
        "resources": len(catalogue.resources),
        "invalid_resources": sum(p.severity == "error" for p in catalogue.problems),
        "version": __version__,
    }
    choice = choose_language()
    data["language"] = language()
    data["language_chosen_by"] = choice.source or "fallback"
    if json_output:
        print_json(data)
        return
    sources = {
        "default": _("default"),
        "--catalogue": "--catalogue",
        "CSEC_CATALOGUE": "CSEC_CATALOGUE",
    }
    rows = [
        (
            _("catalogue"),
            _("{path}  (from {source})").format(
                path=location.path, source=sources.get(location.source, location.source)
            ),
        ),
        (_("resources"), str(data["resources"])),
    ]
    if data["invalid_resources"]:
        rows.append(
            (_("invalid"), _("{count} (see `csec check`)").format(count=data["invalid_resources"]))
        )
    rows.append((_("version"), f"csec {__version__}"))
    rows.append((_("language"), _language_line(choice)))
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        out.print(safe_text(f"{label.ljust(width)}  {value}"), soft_wrap=True)
    if location.uses_seed:
        print_note(
            _(
                "The default catalogue is not created yet: you are reading the shipped seed. "
                "`csec init` starts it empty (`--seed`: with the seed); the first `csec add` or "
                "`csec import` starts it with the seed."
            )
        )


def _language_line(choice: LanguageChoice) -> str:
    """`Español (es), from LANG=es_MX.UTF-8`, and what was asked for that csec lacks."""
    name = LANGUAGE_NAMES.get(language(), language())
    if choice.source:
        line = _("{name} ({code}), from {source}").format(
            name=name, code=language(), source=choice.source
        )
    else:
        line = _("{name} ({code}), the fallback").format(name=name, code=language())
    if choice.asked_for and choice.asked_for != language():
        line += "; " + _("csec has no translation for '{code}' yet").format(code=choice.asked_for)
    return line
