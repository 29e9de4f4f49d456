"""The Spanish guide (docs/es/guia.md) shows only real csec commands, and they work on the seed."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO, SEED
from csec_cli import i18n
from csec_cli.cli import app

GUIDE = REPO / "docs" / "es" / "guia.md"
# Where a shell line stops being csec's arguments: a pipe, a redirection, the next command.
SHELL_OPERATOR_CHARACTERS = "|&;<>"
# A BibTeX record as Zotero exports one, for the guide's `csec import zotero.bib`.
ZOTERO_BIBTEX = """@techreport{garcia2012,
  title = {Protocolo de atención a víctimas de trata},
  author = {García, Luis},
  year = {2012},
  institution = {UNICEF},
  address = {Guatemala},
  language = {es}
}
"""


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Each fenced block of a markdown text: its language tag and its body."""
    return re.findall(r"^ *```(\w*)\n(.*?)^ *```", text, flags=re.MULTILINE | re.DOTALL)


def guide_commands() -> list[str]:
    """Every line of the guide's code blocks that runs csec, in the order the guide shows them."""
    lines = []
    for _language, body in code_blocks(GUIDE.read_text(encoding="utf-8")):
        lines += [line.strip() for line in body.splitlines() if line.strip().startswith("csec ")]
    return lines


def csec_arguments(line: str) -> list[str]:
    """The arguments a shell line gives csec (after `csec`, up to a pipe or a redirection)."""
    # Not posix: the words keep their quotes, so a quoted ";" is told from the shell's ;.
    lexer = shlex.shlex(line, posix=False, punctuation_chars=SHELL_OPERATOR_CHARACTERS)
    lexer.whitespace_split = True
    words = []
    for word in list(lexer)[1:]:
        if set(word) <= set(SHELL_OPERATOR_CHARACTERS):
            break
        words += shlex.split(word)
    return words


def needs_a_terminal(arguments: list[str]) -> bool:
    """`csec add` and `csec edit ID` with no field flags ask their questions on a terminal."""
    return arguments == ["add"] or (arguments[:1] == ["edit"] and len(arguments) == 2)


def test_the_guide_shows_the_everyday_commands() -> None:
    """The guide's code blocks run every everyday task, so the other tests below cover them."""
    shown = {csec_arguments(line)[0] for line in guide_commands()}
    expected = {"search", "list", "show", "add", "edit", "remove", "export", "import", "check"}
    assert expected | {"undo", "history", "info", "stats"} <= shown


@pytest.mark.parametrize("line", guide_commands())
def test_every_command_in_the_guide_is_a_real_command_with_real_options(line: str) -> None:
    """`LINE --help` exits 0: the command exists and csec knows every option the line gives."""
    result = CliRunner().invoke(app, [*csec_arguments(line), "--help"], catch_exceptions=False)
    assert result.exit_code == 0, f"{line}\n{result.output}"


def test_the_guide_commands_work_on_the_seed_in_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run in the guide's order on a copy of the seed, in Spanish, every command exits 0."""
    catalogue = tmp_path / "resources.toml"
    shutil.copyfile(SEED, catalogue)
    shutil.copyfile(SEED, tmp_path / "equipo.toml")  # the guide's team catalogue
    ris = [body for language, body in code_blocks(GUIDE.read_text("utf-8")) if "TY  -" in body]
    assert ris, "the guide shows a RIS record"
    (tmp_path / "zotero.ris").write_text(ris[0], encoding="utf-8")
    (tmp_path / "zotero.bib").write_text(ZOTERO_BIBTEX, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSEC_CATALOGUE", str(catalogue))
    monkeypatch.setenv("CSEC_LANG", "es")
    i18n.forget_language()
    ran = 0
    for line in guide_commands():
        arguments = csec_arguments(line)
        if needs_a_terminal(arguments):
            continue
        result = CliRunner().invoke(app, arguments, catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        ran += 1
    assert ran >= 25
    assert i18n.language() == "es"


@pytest.mark.parametrize(
    "page", [GUIDE, REPO / "docs" / "es" / "README.md", REPO / "docs" / "translating.md"]
)
def test_the_pages_link_only_to_files_that_exist(page: Path) -> None:
    """Every relative link of the Spanish pages and of docs/translating.md names a real file."""
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
    local = [target for target in targets if "://" not in target]
    assert local
    missing = [target for target in local if not (page.parent / target).exists()]
    assert not missing, missing
