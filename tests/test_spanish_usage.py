"""Usage errors and help under a Spanish locale (commands/usage.py, commands/help.py): each kind
of mistake click and Typer can report reads in Spanish, names the option and ends with an
example taken from the Spanish help; English stays as it was."""

from __future__ import annotations

import enum
import itertools
import re
import shlex
import sys
from pathlib import Path
from typing import Annotated, Literal

import pytest
import typer
from typer.testing import CliRunner

from conftest import REPO, RunCli
from csec_cli import i18n
from csec_cli.cli import COMMANDS, CsecCommand, CsecGroup, app, main_options
from english_text import english_words
from usage_panel import usage_error_text


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    """csec in Spanish for this test, as a user with LANG=es_ES.UTF-8 has it."""
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    i18n.forget_language()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--bogus"], "No existe la opción --bogus, p. ej. csec list "),
        (["list", "--limt", "3"], "No existe la opción --limt. ¿Quiso decir --limit? Ejemplo:"),
        (["list", "--tsvx"], "No existe la opción --tsvx. ¿Quiso decir --csv o --tsv? Ejemplo:"),
        (["list", "--cs"], "No existe la opción --cs. ¿Quiso decir --csv, --ids o --tsv? Ejemplo:"),
        (["show"], "Falta el argumento 'ID'. Ejemplo: csec show "),
        (["search"], "Falta el argumento 'CONSULTA'. Ejemplo: csec search \"inspección del"),
        (["import"], "Falta el argumento 'ARCHIVO'. Ejemplo: csec import lista-del-equipo.csv"),
        (["list", "extra", "más"], "Sobran argumentos: extra más, p. ej. csec list "),
        (["sho"], "No existe el comando 'sho'. ¿Quiso decir 'show'? Ejemplo: csec search "),
        ([], 'Falta el comando. Ejemplo: csec search "inspección del trabajo" --since 2008'),
        (["list", "--limit", "diez"], "--limit requiere un número entero, p. ej. --limit 20"),
        (["list", "-n", "0"], "--limit debe ser como mínimo 1, p. ej. --limit 20"),
        (["search", "x", "--min-score", "200"], "--min-score debe ser de 0 a 100"),
        (["search", "x", "--min-score", "alto"], "--min-score requiere un número de 0 a 100"),
        (["list", "--since", "dos mil"], "--since requiere un año, p. ej. --since 2009"),
        (["list", "--since", "99999"], "--since debe ser de 1 a 9999, p. ej. --since 2009"),
        (["list", "--until"], "--until requiere un año, p. ej. --until 2012"),
        (["list", "--type"], "--type requiere un valor, p. ej. --type manual"),
        (["list", "--json=sí"], "--json no lleva ningún valor, p. ej. csec list "),
        (["--version=3"], '--version no lleva ningún valor, p. ej. csec search "inspección del'),
        (["edit", "--yes"], "Falta el argumento 'ID'. Ejemplo: csec edit labour-inspection "),
        (["add", "--date"], '--date requiere un valor, p. ej. --date "marzo de 2009"'),
        (["export", "--query"], '--query requiere un valor, p. ej. --query "inspección del'),
    ],
)
def test_every_kind_of_usage_error_reads_in_spanish(
    spanish: None, run_cli: RunCli, args: list[str], message: str
) -> None:
    """The message, the usage line and the hint in Spanish, no English word left; exit 2."""
    result = run_cli(*args)
    assert message in usage_error_text(result)
    assert result.stderr.startswith("Uso: csec"), result.stderr
    assert "para ver la ayuda." in result.stderr
    assert english_words(result.stderr) == [], result.stderr


def test_the_hint_names_the_failing_command_in_spanish(spanish: None, run_cli: RunCli) -> None:
    """The line under the usage says where the command's help is, in Spanish."""
    result = run_cli("stats", "--top", "0")
    assert "Pruebe 'csec stats -h' para ver la ayuda." in result.stderr
    assert "Uso: csec stats [OPCIONES]" in result.stderr


def test_an_examples_block_gives_its_first_line(spanish: None, run_cli: RunCli) -> None:
    """A command whose help has an `Ejemplos:` block offers its first `csec …` line."""
    result = run_cli("stats", "--bogus")
    assert "No existe la opción --bogus, p. ej. csec stats" in usage_error_text(result)


class Colour(enum.StrEnum):
    """A choice of values, as Typer turns an Enum into one."""

    red = "red"
    blue = "blue"


def choosy_app() -> typer.Typer:
    """An app built as csec's is, with the kinds of parameter csec itself has none of yet: an
    Enum, a Literal and a required option."""
    choosy = typer.Typer(cls=CsecGroup)

    @choosy.command(cls=CsecCommand)
    def paint(
        need: Annotated[str, typer.Option("--need")],
        colour: Annotated[Colour, typer.Option("--colour")] = Colour.red,
        shade: Annotated[Literal["light", "dark"] | None, typer.Option("--shade")] = None,
    ) -> None:
        """Paint.

        Example: csec paint --need x --colour red
        """

    @choosy.command(cls=CsecCommand)
    def other() -> None:
        """Another command, so that `paint` is a command of a group."""

    return choosy


@pytest.mark.parametrize(
    ("args", "english", "spanish"),
    [
        (
            ["paint", "--need", "x", "--colour", "green"],
            "--colour takes one of red, blue, e.g. csec paint --need x --colour red",
            "--colour acepta uno de estos valores: red, blue, p. ej. csec paint --need x",
        ),
        (
            ["paint", "--need", "x", "--shade", "mid"],
            "--shade takes one of light, dark",
            "--shade acepta uno de estos valores: light, dark",
        ),
        (["paint"], "Missing option --need. Example: csec paint", "Falta la opción --need."),
    ],
)
def test_a_refused_choice_and_a_missing_option_read_as_people_say_them(
    monkeypatch: pytest.MonkeyPatch, args: list[str], english: str, spanish: str
) -> None:
    """No pydantic words ("Value error, 'green' is not one of"), in either language."""
    result = CliRunner().invoke(choosy_app(), args)
    assert english in usage_error_text(result)
    assert "Value error" not in result.stderr
    monkeypatch.setenv("CSEC_LANG", "es")
    i18n.forget_language()
    result = CliRunner().invoke(choosy_app(), args)
    assert spanish in usage_error_text(result)
    assert english_words(result.stderr) == [], result.stderr


def test_every_help_option_and_panel_is_in_spanish(spanish: None) -> None:
    """click's --help, Typer's completion options and the page's own words, in Spanish."""
    result = CliRunner().invoke(app, ["--help"], catch_exceptions=False)
    page = result.stdout
    assert "Muestra esta ayuda y termina." in page
    assert "Instala el autocompletado para el shell en uso." in page
    assert "Uso: csec [OPCIONES] COMANDO [ARGUMENTOS]..." in page
    for title in ("Opciones", "Comandos"):
        assert f"─ {title} ─" in page
    assert 'Ejemplo: csec search "inspección del trabajo" --since 2008' in page
    result = CliRunner().invoke(app, ["edit", "--help"], catch_exceptions=False)
    assert "Uso: csec edit [OPCIONES] ID" in result.stdout
    for title in ("Argumentos", "Campos", "Listas", "Claves que csec no conoce"):
        assert f"─ {title} ─" in result.stdout
    assert "--add-country" in result.stdout and "PAÍS" in result.stdout


def test_the_english_detector_still_sees_english_where_it_looks_past_values() -> None:
    """Backticks and a default note hide a key or a value, never the prose around them."""
    assert english_words("Vacía un campo, p. ej. `--clear topic`.") == []
    assert english_words("[predeterminado: date]") == []
    assert english_words("[default: date]") == ["default"]
    assert english_words("`title` is required") == ["is"]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "bash completion installed in /casa/.bash_completions/csec.sh"),
        ("es", "Autocompletado de bash instalado en /casa/.bash_completions/csec.sh"),
    ],
)
def test_installing_completion_says_so_in_the_interface_language(
    monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    """Typer's --install-completion, whose own words are English only, speaks csec's language;
    a shell it cannot complete in is one error line, exit 1."""
    import typer._completion_shared as completion

    installed: list[str] = []

    def install(shell: str) -> tuple[str, Path]:
        installed.append(shell)
        return shell, Path("/casa/.bash_completions/csec.sh")

    monkeypatch.setattr(completion, "install", install)
    monkeypatch.setattr(completion, "_get_shell_name", lambda: "bash")
    monkeypatch.setenv("CSEC_LANG", language)
    i18n.forget_language()
    result = CliRunner().invoke(app, ["--install-completion"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert installed == ["bash"]
    assert said in result.stdout
    if language == "es":
        assert english_words(result.stdout) == [], result.stdout
    monkeypatch.setattr(completion, "_get_shell_name", lambda: "tcsh")
    for option in ("--install-completion", "--show-completion"):
        result = CliRunner().invoke(app, [option], catch_exceptions=False)
        assert result.exit_code == 1
        assert "tcsh" in result.stderr and installed == ["bash"]
        assert result.stdout == ""
        if language == "es":
            assert "no se puede autocompletar en el shell tcsh" in result.stderr


def test_showing_completion_prints_the_script_for_the_users_shell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--show-completion, through csec's check of the shell, still prints Typer's script."""
    import typer._completion_shared as completion

    monkeypatch.setattr(completion, "_get_shell_name", lambda: "zsh")
    result = CliRunner().invoke(app, ["--show-completion"], prog_name="csec")
    assert result.exit_code == 0, result.stderr
    assert "compdef _csec_completion csec" in result.stdout


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_every_spanish_help_page_keeps_its_example(spanish: None, name: str) -> None:
    """The translated help still shows a `csec …` example, under the label usage errors read
    it by (`Ejemplo:` or an `Ejemplos:` block)."""
    result = CliRunner().invoke(app, [*([name] if name else []), "--help"])
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert any(line.startswith("Ejemplo: csec ") for line in lines) or any(
        line == "Ejemplos:" and after.startswith("csec ")
        for line, after in itertools.pairwise(lines)
    ), result.stdout


def spanish_search_examples() -> list[str]:
    """The `csec search …` lines of the Spanish help that differ from the English ones."""
    from csec_cli.commands.help import docstring_paragraphs
    from csec_cli.commands.search import search_command

    found = []
    for callback in (main_options, search_command):
        for paragraph in docstring_paragraphs(callback.__doc__ or ""):
            with i18n.speaking("es"):
                spanish_text = i18n._(paragraph)
            english = set(paragraph.splitlines())
            for line in spanish_text.splitlines():
                example = line.strip().removeprefix("Ejemplo: ")
                if example.startswith("csec search ") and line not in english:
                    found.append(example)
    return found


def test_the_spanish_search_examples_find_resources_in_the_seed(run_cli: RunCli) -> None:
    """A query the Spanish help suggests finds something in the shipped seed (through the
    thesaurus: the seed is in English)."""
    examples = spanish_search_examples()
    assert examples
    for example in examples:
        result = run_cli(*shlex.split(example)[1:], "--ids")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.split(), example


@pytest.mark.parametrize(
    ("typed", "name", "spanish_text"),
    [("csec ", "search", "Busca en títulos"), ("csec list --t", "--type", "Solo de este tipo")],
)
def test_zsh_completions_describe_commands_and_options_in_spanish(
    spanish: None, typed: str, name: str, spanish_text: str
) -> None:
    """zsh shows a description beside each command and option: the translated summary or help."""
    result = CliRunner().invoke(
        app,
        [],
        prog_name="csec",
        env={"_CSEC_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": typed},
        catch_exceptions=False,
    )
    described = dict(re.findall(r'"([^"]+)":"((?:[^"\\]|\\.)*)"', result.stdout))
    assert described[name].startswith(spanish_text), result.stdout
    for description in described.values():
        assert english_words(description) == [], description


def test_help_texts_are_collected_with_their_own_source_and_clicks_help_option() -> None:
    """tools/translations.py finds each help text where it is written (not in Typer's wrapper),
    and the --help option's text, which click adds to every page."""
    sys.path.insert(0, str(REPO / "tools"))
    import translations

    collected = list(translations.help_messages())
    assert {message.location[0] for message in collected} <= {
        f"src/csec_cli/{path.relative_to(REPO / 'src' / 'csec_cli')}"
        for path in (REPO / "src" / "csec_cli").rglob("*.py")
    }
    texts = {message.id for message in collected}
    assert "Show this message and exit." in texts
    assert "Install completion for the current shell." in texts
    searching = [
        message for message in collected if message.id == "Words to look for, in any order."
    ]
    assert searching[0].location[0] == "src/csec_cli/commands/search.py"
