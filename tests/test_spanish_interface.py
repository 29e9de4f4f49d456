"""csec under a Spanish locale: every help page, every command once and the error paths speak
Spanish, with no English left (tests/english_text.py says how English is told apart)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from conftest import FIXTURES, installed_csec
from csec_cli.cli import COMMANDS
from english_text import english_words, words_of

SPANISH = {"LANG": "es_ES.UTF-8", "COLUMNS": "200"}


def data_words(path: Path) -> frozenset[str]:
    """Every word of the catalogue's values (not its field names): data, shown as stored."""
    with path.open("rb") as file:
        resources = tomllib.load(file)["resources"]
    return words_of(" ".join(str(value) for resource in resources for value in resource.values()))


@pytest.fixture
def spanish_catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "catalogo.toml"
    shutil.copyfile(FIXTURES / "catalogo_es.toml", path)
    return path


def run_in_spanish(
    *args: str, catalogue: Path | None = None, input: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed csec under es_ES.UTF-8, as a Spanish-speaking user runs it."""
    prefix = ["--catalogue", str(catalogue)] if catalogue else []
    return subprocess.run(
        [installed_csec(), *prefix, *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **SPANISH},
        cwd=cwd,
    )


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_page_is_in_spanish(command: str) -> None:
    """`csec --help` and `csec COMMAND --help`: summary, prose, options, panels, usage."""
    result = run_in_spanish(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    # The command list names the commands, which are words of csec's own (list, search).
    assert english_words(result.stdout, frozenset(COMMANDS)) == [], result.stdout
    assert "Uso:" in result.stdout


def sweep_cases(tmp_path: Path, catalogue: Path) -> list[tuple[list[str], str | None]]:
    """(arguments, input) for every command once, with data, and for each way to go wrong."""
    broken = tmp_path / "roto.toml"
    broken.write_text('[[resources]]\nid = "x"\ntitle = "sin cerrar\n', encoding="utf-8")
    invalid = tmp_path / "invalido.toml"
    invalid.write_text('[[resources]]\nid = "x"\ndate = 2020-02-30\n', encoding="utf-8")
    to_import = tmp_path / "nuevos.csv"
    to_import.write_text(
        "title,date,language\nProtocolo de atención a víctimas de trata,2012,es\n"
        "Protocolo de atención a víctimas de trata,2012,es\n",
        encoding="utf-8",
    )
    return [
        (["list"], None),
        (["list", "--limit", "2", "--sort", "title"], None),
        (["list", "--type", "estudio"], None),
        (["show", "eca"], None),
        (["show", "orientaciones-terminologicas"], None),
        (["search", "trata de niños"], None),
        (["search", "explotacion sexual", "--explain"], None),
        (["search", "zzqxv"], None),
        (["stats"], None),
        (["info"], None),
        (["check"], None),
        (["export", "--format", "markdown"], None),
        (["history"], None),
        (
            ["add", "--yes", "--title", "Manual de prueba para inspectores", "--date", "2020-03"],
            None,
        ),
        (["add", "--yes", "--title", "Una guía para la acción contra la explotación sexual"], None),
        (["edit", "eca", "--summary", "Ley del Brasil sobre niñez y adolescencia."], None),
        (["undo", "--yes"], None),
        (["remove", "--yes", "eca"], None),
        (["import", str(to_import)], None),
        (["init", str(tmp_path / "nuevo.toml")], None),
        (["open", "masculinidad-esc"], None),
        # Errors, each with its own line
        (["show", "no-existe"], None),
        (["show", "m"], None),
        (["list", "--since", "dos mil"], None),
        (["list", "--limit", "0"], None),
        (["list", "--bogus"], None),
        (["sho"], None),
        (["show"], None),
        (["list", "extra"], None),
        (["add", "--yes", "--title", "Otro", "--date", "30 de febrero de 2020"], None),
        (["add", "--yes", "--title", "Otro", "--url", "no es una url"], None),
        (["add", "--yes"], None),
        (["edit", "eca"], None),
        (["export", "--format", "xlsx"], None),
        (["export", "--output", "salida.xlsx"], None),
        (["import", str(tmp_path / "no-existe.csv")], None),
        (["--catalogue", str(broken), "list"], None),
        (["--catalogue", str(invalid), "list"], None),
        (["--catalogue", str(invalid), "check"], None),
        (["--catalogue", str(invalid), "add", "--yes", "--title", "X"], None),
        (["--catalogue", str(tmp_path / "falta.toml"), "list"], None),
        (["remove", "masculinidad-esc"], "n\n"),
    ]


def test_every_command_and_error_speaks_spanish(spanish_catalogue: Path, tmp_path: Path) -> None:
    """Each command once, and each error path, under es_ES.UTF-8: no English in what it shows."""
    known = data_words(spanish_catalogue)
    leftovers = []
    for args, given in sweep_cases(tmp_path, spanish_catalogue):
        explicit = args[:1] == ["--catalogue"]
        result = run_in_spanish(
            *args, catalogue=None if explicit else spanish_catalogue, input=given, cwd=tmp_path
        )
        assert "Traceback" not in result.stderr, (args, result.stderr)
        found = english_words(result.stdout + "\n" + result.stderr, known)
        if found:
            leftovers.append(f"csec {' '.join(args)}: {found}\n{result.stdout}{result.stderr}")
    assert not leftovers, "\n\n".join(leftovers)
