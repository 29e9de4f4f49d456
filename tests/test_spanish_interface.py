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


def sweep_cases(tmp_path: Path, catalogue: Path) -> list[tuple[list[str], str | None, int]]:
    """(arguments, input, exit code) for every command once, with data, and for each way to go
    wrong: the exit code keeps each case doing what it is there for."""
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
        (["list"], None, 0),
        (["list", "--limit", "2", "--sort", "title"], None, 0),
        (["list", "--type", "estudio"], None, 0),
        (["show", "eca"], None, 0),
        (["show", "orientaciones-terminologicas"], None, 0),
        (["search", "trata de niños"], None, 0),
        (["search", "explotacion sexual", "--explain"], None, 0),
        (["search", "zzqxv"], None, 0),
        (["stats"], None, 0),
        (["info"], None, 0),
        (["check"], None, 0),
        (["export", "--format", "markdown"], None, 0),
        (["history"], None, 0),
        (
            ["add", "--yes", "--title", "Manual de prueba para inspectores", "--date", "2020-03"],
            None,
            0,
        ),
        (
            ["add", "--yes", "--title", "Una guía para la acción contra la explotación sexual"],
            None,
            0,
        ),
        (["edit", "eca", "--summary", "Ley del Brasil sobre niñez y adolescencia."], None, 0),
        (["undo"], None, 0),
        (["remove", "--yes", "eca"], None, 0),
        (["import", str(to_import)], None, 0),
        (["init", str(tmp_path / "nuevo.toml")], None, 0),
        (["open", "masculinidad-esc"], None, 1),
        # Errors, each with its own line
        (["show", "no-existe"], None, 1),
        (["show", "m"], None, 1),
        (["list", "--since", "dos mil"], None, 2),
        (["list", "--limit", "0"], None, 2),
        (["list", "--bogus"], None, 2),
        (["sho"], None, 2),
        (["show"], None, 2),
        (["list", "extra"], None, 2),
        (["add", "--yes", "--title", "Otro", "--date", "30 de febrero de 2020"], None, 1),
        (["add", "--yes", "--title", "Otro", "--url", "no es una url"], None, 1),
        (["add", "--yes"], None, 1),
        # eca is removed above: edit a resource still there, so that the error is "nothing to change".
        (["edit", "masculinidad-esc"], None, 1),
        (["export", "--format", "xlsx"], None, 2),
        (["export", "--output", "salida.xlsx"], None, 2),
        (["import", str(tmp_path / "no-existe.csv")], None, 1),
        (["--catalogue", str(broken), "list"], None, 1),
        (["--catalogue", str(invalid), "list"], None, 0),
        (["--catalogue", str(invalid), "check"], None, 1),
        (["--catalogue", str(invalid), "add", "--yes", "--title", "X"], None, 1),
        (["--catalogue", str(tmp_path / "falta.toml"), "list"], None, 1),
        (["remove", "masculinidad-esc"], "n\n", 1),
    ]


def test_every_command_and_error_speaks_spanish(spanish_catalogue: Path, tmp_path: Path) -> None:
    """Each command once, and each error path, under es_ES.UTF-8: no English in what it shows."""
    known = data_words(spanish_catalogue)
    leftovers = []
    for args, given, exit_code in sweep_cases(tmp_path, spanish_catalogue):
        explicit = args[:1] == ["--catalogue"]
        result = run_in_spanish(
            *args, catalogue=None if explicit else spanish_catalogue, input=given, cwd=tmp_path
        )
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode == exit_code, (args, result.stderr)
        found = english_words(result.stdout + "\n" + result.stderr, known)
        if found:
            leftovers.append(f"csec {' '.join(args)}: {found}\n{result.stdout}{result.stderr}")
    assert not leftovers, "\n\n".join(leftovers)
