"""Keep csec's message catalogues in step with its code: extract, update, compile, check.

    python tools/translations.py update   # new messages into every .po, then compile the .mo files
    python tools/translations.py compile  # only compile each .po into its .mo
    python tools/translations.py check    # exit 1 naming what is missing, wrong or stale

Messages are found two ways. Babel reads the source for the gettext markers of csec_cli.i18n
(`_`, `N_`, `ngettext`, `pgettext`). The help pages' texts (each command's docstring, each
option's help, panel titles and metavars) are Typer parameters rather than calls, so they are
read from the command line itself, loaded as `csec --help` loads it. A translator edits only the
.po files (with Poedit, or any editor); this script, from the Babel package of the test
dependencies, does the rest.
"""

from __future__ import annotations

import argparse
import inspect
import io
import re
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "csec_cli"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "csec"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METAVAR_CONTEXT = "metavar"


@dataclass(frozen=True)
class Message:
    """One text to translate, where it comes from, and its context (None for most)."""

    id: str | tuple[str, str]  # (singular, plural) for ngettext
    location: tuple[str, int]
    context: str | None = None
    comments: tuple[str, ...] = ()  # notes for the translator (`# Translators: …` in the code)


def source_messages() -> Iterator[Message]:
    """The messages marked in csec's source, as Babel finds them."""
    for filename, line, text, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        yield Message(text, (f"src/csec_cli/{filename}", line), context, tuple(comments))


def help_messages() -> Iterator[Message]:
    """Every text a help page shows that is not a marked call: docstrings, option help, panels."""
    sys.path.insert(0, str(REPO / "src"))
    from csec_cli import cli
    from csec_cli.commands.help import docstring_paragraphs

    def where(callback: object) -> tuple[str, int]:
        # Typer wraps each command's function; the translator wants the function's own file.
        callback = inspect.unwrap(callback)  # type: ignore[arg-type]
        path = Path(inspect.getsourcefile(callback) or "")  # type: ignore[arg-type]
        line = inspect.getsourcelines(callback)[1]  # type: ignore[arg-type]
        return (str(path.relative_to(REPO)), line)

    commands = [(cli.main_options, None)] + [
        (None, cli.load_command(name)) for name in cli.COMMANDS
    ]
    for callback, command in commands:
        if command is not None:
            callback = command.callback
        location = where(callback)
        for paragraph in docstring_paragraphs(inspect.getdoc(callback) or ""):
            yield Message(paragraph, location)
        params = _command_params(command) if command is not None else _group_params(cli)
        for parameter in params:
            if getattr(parameter, "hidden", False):
                continue
            if parameter.help:
                yield Message(parameter.help, location)
            panel = getattr(parameter, "rich_help_panel", None)
            if panel:
                yield Message(panel, location)
            if parameter.metavar:
                yield Message(parameter.metavar, location, METAVAR_CONTEXT)


def _command_params(command: Any) -> list[Any]:
    """A command's parameters as its help page lists them: its own, then click's --help."""
    import typer

    return list(command.get_params(typer.Context(command, info_name=command.name)))


def _group_params(cli: Any) -> list[Any]:
    """csec's own options, Typer's completion options and --help, as `csec --help` lists them."""
    import typer

    group = typer.main.get_command(cli.app)
    return list(group.get_params(typer.Context(group, info_name="csec")))


def template() -> Catalog:
    """Every message csec can show, as a catalogue with no translations (a .pot)."""
    catalog = Catalog(domain=DOMAIN, project="csec", charset="utf-8")
    for message in [*source_messages(), *help_messages()]:
        catalog.add(
            message.id,
            locations=[message.location],
            context=message.context,
            auto_comments=message.comments,
        )
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalogue(path: Path) -> Catalog:
    """A .po file; its language from where it lies (locale/es/LC_MESSAGES), else its header."""
    locale = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else None
    with path.open("rb") as file:
        return read_po(file, locale=locale, domain=DOMAIN)


def write_catalogue(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, include_previous=False)
    path.write_bytes(buffer.getvalue())


def compile_catalogue(path: Path) -> None:
    """Write the .mo beside the .po, leaving out untranslated and fuzzy messages."""
    catalog = read_catalogue(path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    path.with_suffix(".mo").write_bytes(buffer.getvalue())


def update() -> None:
    """Bring every .po up to the template: new messages in, gone ones out; then compile."""
    pot = template()
    for path in po_files():
        catalog = read_catalogue(path)
        # Dates in the header would change on every run and make every merge of two branches
        # conflict: the header keeps what it says.
        pot.creation_date = catalog.creation_date
        revised = catalog.revision_date
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.revision_date = revised
        catalog.obsolete.clear()
        catalog.fuzzy = False
        write_catalogue(catalog, path)
        compile_catalogue(path)
        print(f"{path.relative_to(REPO)}: {len(catalog)} messages")


def placeholders(text: str) -> list[str]:
    """The str.format fields and %-conversions of `text`, sorted, as translations must keep them."""
    found = []
    try:
        found += [
            f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name is not None
        ]
    except ValueError:
        found.append("<unbalanced braces>")
    found += re.findall(r"%(?:\([a-z_]+\))?[sdr]", text)
    return sorted(found)


def problems() -> list[str]:
    """Each way the catalogues fall short of the code, one line each (none when all is well)."""
    found = []
    pot = template()
    for path in po_files():
        name = path.relative_to(REPO)
        catalog = read_catalogue(path)
        for message in pot:
            if not message.id:
                continue
            translated = catalog.get(message.id, context=message.context)
            shown = message.id if isinstance(message.id, str) else message.id[0]
            if translated is None or translated.fuzzy or not _all_strings(translated.string):
                found.append(f"{name}: no translation for {shown!r}")
                continue
            originals = message.id if isinstance(message.id, tuple) else (message.id,)
            for text in _strings(translated.string):
                # a plural form may leave the count out ("un recurso"), never add a field
                expected = set(placeholders(originals[-1]))
                if not set(placeholders(text)) <= expected | set(placeholders(originals[0])) or (
                    isinstance(message.id, str) and placeholders(text) != placeholders(message.id)
                ):
                    found.append(f"{name}: placeholders differ in the translation of {shown!r}")
        found += _stale_mo(path, catalog)
    return found


def _strings(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _all_strings(value: str | tuple[str, ...] | list[str]) -> bool:
    return all(_strings(value))


def _stale_mo(path: Path, catalog: Catalog) -> list[str]:
    """The compiled .mo must hold exactly the .po's translations."""
    import gettext

    mo = path.with_suffix(".mo")
    if not mo.exists():
        return [f"{mo.relative_to(REPO)} is missing: run python tools/translations.py compile"]
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    expected = gettext.GNUTranslations(buffer)._catalog  # type: ignore[attr-defined]
    compiled.pop("", None)
    expected.pop("", None)
    if compiled != expected:
        return [f"{mo.relative_to(REPO)} is stale: run python tools/translations.py compile"]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["update", "compile", "check"])
    action = parser.parse_args().action
    if action == "update":
        update()
    elif action == "compile":
        for path in po_files():
            compile_catalogue(path)
    else:
        found = problems()
        for line in found:
            print(line)
        sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
