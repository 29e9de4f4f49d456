"""What csec draws, in Spanish: table headings, `show` labels, `stats`, --explain, and the
markdown and html reports, which follow the interface language or `export --lang`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from conftest import RunCli
from csec_cli import i18n
from csec_cli.dates import PartialDate
from csec_cli.formats import ExportOptions
from csec_cli.formats.html import write_html
from csec_cli.formats.markdown import write_markdown
from csec_cli.models import Resource
from csec_cli.render import (
    BarChart,
    explanation_line,
    resource_detail,
    resource_table,
    safe_text,
    stats_view,
)
from csec_cli.search import Match
from csec_cli.stats import count_resources
from english_text import english_words, words_of

UNDATED_AND_DATED = [
    Resource(id="inspeccion", title="Guía de inspección", date=PartialDate(2009, 3, 1)),
    Resource(id="sin-fecha", title="Volante sin fecha", type="volante"),
]


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    """csec run by a user whose locale is Spanish."""
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    i18n.forget_language()


@pytest.fixture
def spanish_catalogue(fixture_catalogue: Callable[[str], Path]) -> Path:
    return fixture_catalogue("catalogo_es.toml")


def data_words(path: Path) -> frozenset[str]:
    """Every word of the catalogue's values: data, shown as stored, never translated."""
    with path.open("rb") as file:
        resources = tomllib.load(file)["resources"]
    return words_of(" ".join(str(value) for resource in resources for value in resource.values()))


def drawn(renderable: object, width: int = 130) -> str:
    """What rich draws for `renderable` at this width, as plain text."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_piped_list_has_spanish_headings(
    spanish: None, run_cli: RunCli, spanish_catalogue: Path
) -> None:
    """`csec list | less`: the heading row is for people, in Spanish; nothing else is English."""
    result = run_cli("list", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    assert re.match(r"id +fecha +tipo +título\n", result.stdout)
    assert english_words(result.stdout, data_words(spanish_catalogue)) == []


def test_csv_and_tsv_headers_stay_field_names(
    spanish: None, run_cli: RunCli, spanish_catalogue: Path
) -> None:
    """--csv and --tsv are for programs: their headers are the contract's field names."""
    assert run_cli("list", "--csv", path=spanish_catalogue).stdout.startswith(
        "id,date,type,title\n"
    )
    searched = run_cli("search", "trabajo infantil", "--tsv", path=spanish_catalogue).stdout
    assert searched.startswith("id\tdate\ttype\ttitle\tscore\n")


@pytest.mark.parametrize("width", [90, 110, 130])
def test_terminal_tables_have_spanish_headings(spanish: None, width: int) -> None:
    """The list and search tables on a terminal, stacked, wide or with a type column."""
    with_scores = drawn(resource_table(UNDATED_AND_DATED, scores=[90.0, 60.0], width=width), width)
    plain = drawn(resource_table(UNDATED_AND_DATED, width=width), width)
    if width < 100:
        assert "puntaje 90" in with_scores
    else:
        assert re.search(r"puntaje +id +fecha", with_scores)
        assert re.search(r"id +fecha", plain) and "título" in plain
    if width >= 120:
        assert "tipo" in plain
    words = words_of(" ".join(resource.title for resource in UNDATED_AND_DATED))
    assert english_words(with_scores + plain, words) == []


def test_show_labels_and_date_are_spanish(spanish: None) -> None:
    """`show`: every label in Spanish, the date as Spanish writes it, a team's own field as named."""
    resource = Resource(
        id="inspeccion",
        title="Guía de inspección",
        date=PartialDate(2009, 3, 1),
        type="manual",
        audience=("inspectores del trabajo",),
        topics=("trata",),
        countries=("Panamá",),
        language="es",
        publisher="OIT",
        summary="Para inspectores.",
        notes="Revisar.",
        extra={"shelf": "B3"},
    )
    text = drawn(resource_detail(resource))
    for label in ("título", "fecha", "tipo", "público", "temas", "países", "idioma", "editor"):
        assert re.search(rf"^{label} ", text, re.MULTILINE), label
    assert "1 de marzo de 2009" in text
    assert re.search(r"^resumen +Para inspectores\.", text, re.MULTILINE)
    assert re.search(r"^notas +Revisar\.", text, re.MULTILINE)
    assert re.search(r"^shelf +B3", text, re.MULTILINE)
    assert english_words(text, frozenset({"manual"})) == []


def test_show_command_in_spanish(spanish: None, run_cli: RunCli, spanish_catalogue: Path) -> None:
    """`csec show eca` under a Spanish locale: Spanish labels, "julio de 1990", data as stored."""
    result = run_cli("show", "eca", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    assert "julio de 1990" in result.stdout
    assert re.search(r"^título +Estatuto da Criança", result.stdout, re.MULTILINE)
    assert english_words(result.stdout, data_words(spanish_catalogue)) == []


def test_explain_says_how_in_spanish_and_json_keeps_codes(
    spanish: None, run_cli: RunCli, spanish_catalogue: Path
) -> None:
    """--explain tells how each word matched in Spanish; --json's `matches` stay English codes."""
    shown = run_cli("search", "explotacion sexual", "--explain", path=spanish_catalogue)
    assert shown.exit_code == 0, shown.stderr
    assert "Por qué coinciden:" in shown.stdout
    assert "explotacion → explotacion (exacta, título)" in shown.stdout
    assert english_words(shown.stdout, data_words(spanish_catalogue)) == []
    found = run_cli("search", "explotacion sexual", "--explain", "--json", path=spanish_catalogue)
    matches = json.loads(found.stdout)[0]["matches"]
    assert {"query": "explotacion", "matched": "explotacion", "how": "exact", "field": "title"} in (
        matches
    )


@pytest.mark.parametrize(
    ("match", "line"),
    [
        (Match("trata", "trafficking", "thesaurus", "title", "trafficking"),
         "trata → trafficking (tesauro: trafficking, título)"),
        (Match("labor", "labour", "spelling", "summary"), "labor → labour (grafía, resumen)"),
        (Match("inspect", "inspection", "prefix", "details"),
         "inspect → inspection (prefijo, detalles)"),
        (Match("explotacon", "explotacion", "typo", "title"),
         "explotacon → explotacion (error de tipeo, título)"),
        (Match("explotadas", "explotacion", "stem", "title"),
         "explotadas → explotacion (raíz, título)"),
        (Match("PNETP", "plan nacional", "initials", "title"),
         "PNETP → plan nacional (iniciales, título)"),
    ],
)  # fmt: skip
def test_each_way_of_matching_is_told_in_spanish(spanish: None, match: Match, line: str) -> None:
    """Each `how` of search has its Spanish word, the concept (data) as stored."""
    assert explanation_line(match) == line


def test_explanation_in_english_is_unchanged() -> None:
    """In English the line reads as before the translation."""
    line = explanation_line(Match("trata", "trafficking", "thesaurus", "title", "trafficking"))
    assert line == "trata → trafficking (thesaurus: trafficking, title)"


def test_stats_in_spanish(spanish: None, run_cli: RunCli, spanish_catalogue: Path) -> None:
    """`csec stats`: the count, every chart's title and the grey bars in Spanish."""
    result = run_cli("stats", "--top", "2", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    for text in ("7 recursos", "Por año", "Por tipo", "Por público", "sin público"):
        assert text in result.stdout, text
    assert "Por país o región" in result.stdout and "Por idioma" in result.stdout
    assert re.search(r"… y \d+ más \(vea --json, o --top\)", result.stdout)
    assert english_words(result.stdout, data_words(spanish_catalogue)) == []


def test_stats_undated_and_empty_charts_in_spanish(spanish: None) -> None:
    """An undated resource's grey bar, a chart with nothing to count, one resource."""
    text = drawn(stats_view(count_resources(UNDATED_AND_DATED[1:])))
    assert "1 recurso\n" in text and "sin fecha" in text and "sin tipo" not in text
    assert "(nada que contar)" in drawn(BarChart("Por año", []))
    assert english_words(text, frozenset({"volante"})) == []


def test_cut_note_in_spanish(spanish: None) -> None:
    """A long value cut on screen says in Spanish how much more there is."""
    assert safe_text("a" * 1_234, limit=10).plain.endswith(
        " … (1,224 caracteres más; --json lo muestra todo)"
    )
    assert safe_text("a" * 11, limit=10).plain.endswith(
        " … (1 carácter más; --json lo muestra todo)"
    )


def test_history_headings_in_spanish(
    spanish: None, run_cli: RunCli, spanish_catalogue: Path
) -> None:
    """`csec history`: the table's headings in Spanish."""
    run_cli("add", "--yes", "--title", "Manual de prueba", path=spanish_catalogue)
    result = run_cli("history", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    assert re.match(r"cuándo +cambio +recursos\n", result.stdout)


def _markdown(resources: list[Resource]) -> str:
    stream = io.StringIO()
    write_markdown(resources, stream, ExportOptions())
    return stream.getvalue()


def _html(resources: list[Resource]) -> str:
    stream = io.StringIO()
    write_html(resources, stream, ExportOptions())
    return stream.getvalue()


def test_markdown_report_in_spanish(spanish: None) -> None:
    """The markdown report's heading, undated section and label in Spanish; data as stored."""
    report = _markdown(UNDATED_AND_DATED)
    assert report.startswith(
        "# Recursos sobre explotación sexual comercial de niñas, niños y adolescentes\n"
    )
    assert "\n## 2009\n" in report and "\n## Sin fecha\n" in report
    assert "- sin fecha · volante · **Volante sin fecha**" in report
    assert _markdown([]).endswith("\nNingún recurso.\n")
    assert english_words(report + _markdown([])) == []


def test_html_page_in_spanish(spanish: None) -> None:
    """The page's language, heading, filter box and its script's words, dates in Spanish."""
    page = _html(UNDATED_AND_DATED)
    assert '<html lang="es">' in page
    assert "<title>Recursos sobre explotación sexual comercial" in page
    assert '<label for="filter">Filtrar</label>' in page
    assert (
        'placeholder="Escriba palabras de un título, resumen, tipo, público, tema o país"' in page
    )
    assert "<h2>Sin fecha</h2>" in page
    assert '<div class="meta">1 de marzo de 2009</div>' in page
    assert '<div class="meta">Sin fecha · volante</div>' in page
    assert '"status":"{shown} de 2 recursos mostrados"' in page
    # The page's own words, not its script's code or the vocabulary the filter carries.
    text = re.sub(r"<script>.*?</script>|<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert english_words(text, words_of("Guía de inspección Volante sin fecha volante")) == []


def test_html_page_in_english_is_as_before() -> None:
    """In English: lang="en", "Filter", "Undated", "01 March 2009", "… of 2 resources shown"."""
    page = _html(UNDATED_AND_DATED)
    assert '<html lang="en">' in page and '<label for="filter">Filter</label>' in page
    assert "<h2>Undated</h2>" in page and '<div class="meta">01 March 2009</div>' in page
    assert '"status":"{shown} of 2 resources shown"' in page


def test_html_status_counts_one_resource_in_the_singular(spanish: None) -> None:
    """A page of one resource says so in the singular."""
    assert '"status":"{shown} de 1 recurso mostrado"' in _html(UNDATED_AND_DATED[:1])


def test_export_follows_the_locale(spanish: None, run_cli: RunCli, spanish_catalogue: Path) -> None:
    """`csec export --format html` under a Spanish locale writes the page in Spanish."""
    result = run_cli("export", "--format", "html", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    assert '<html lang="es">' in result.stdout and "julio de 2016" in result.stdout
    markdown = run_cli("export", "--format", "markdown", path=spanish_catalogue).stdout
    assert markdown.startswith("# Recursos sobre explotación sexual comercial")


def test_export_lang_en_under_a_spanish_locale(
    spanish: None, run_cli: RunCli, spanish_catalogue: Path
) -> None:
    """`--lang en` writes the page in English whatever the interface; data stays as stored."""
    page = run_cli("export", "--format", "html", "--lang", "en", path=spanish_catalogue).stdout
    assert '<html lang="en">' in page and "Filter" in page and "July 2016" in page
    assert "Orientaciones terminológicas" in page and "Filtrar" not in page
    markdown = run_cli(
        "export", "--format", "markdown", "--lang", "EN", path=spanish_catalogue
    ).stdout
    assert markdown.startswith("# Resources on commercial sexual exploitation")


def test_export_lang_es_under_an_english_locale(run_cli: RunCli, spanish_catalogue: Path) -> None:
    """`--lang es` writes the page in Spanish for an English-speaking user."""
    page = run_cli("export", "--format", "html", "--lang", "es", path=spanish_catalogue).stdout
    assert '<html lang="es">' in page and "Filtrar" in page and "julio de 2016" in page


def test_export_lang_to_a_file(
    spanish: None, run_cli: RunCli, spanish_catalogue: Path, tmp_path: Path
) -> None:
    """--lang also chooses the language of a page written with --output."""
    page = tmp_path / "pagina.html"
    result = run_cli("export", "-o", str(page), "--lang", "en", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    assert '<html lang="en">' in page.read_text(encoding="utf-8")


def test_unknown_lang_is_a_usage_error_naming_the_languages(
    run_cli: RunCli, spanish_catalogue: Path
) -> None:
    """`--lang pt`: csec names the languages it has, and writes nothing."""
    result = run_cli("export", "--format", "html", "--lang", "pt", path=spanish_catalogue)
    assert result.exit_code == 2 and result.stdout == ""
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "'pt' is not one of csec's languages: en (English), es (español); e.g. --lang es" in (
        message
    )
    assert "Traceback" not in result.stderr


def test_unknown_lang_in_spanish(spanish: None, run_cli: RunCli, spanish_catalogue: Path) -> None:
    """The same error for a Spanish-speaking user, in Spanish."""
    result = run_cli(
        "export", "--format", "markdown", "--lang", "portugués", path=spanish_catalogue
    )
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "'portugués' no es uno de los idiomas de csec: en (English), es (español)" in message


def test_lang_is_only_for_reports(run_cli: RunCli, spanish_catalogue: Path) -> None:
    """A data format has no words of csec's: --lang with csv says which formats take it."""
    result = run_cli("export", "--format", "csv", "--lang", "es", path=spanish_catalogue)
    assert result.exit_code == 2 and result.stdout == ""
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "only markdown and html have a language, not csv" in message


def test_installed_csec_draws_in_spanish(
    csec_process: Callable[..., subprocess.CompletedProcess[str]], spanish_catalogue: Path
) -> None:
    """The installed csec under es_ES.UTF-8, as a user runs it: search --explain, stats and the
    html page, with no English word of csec's own."""
    known = data_words(spanish_catalogue)
    spanish_env = {"LANG": "es_ES.UTF-8", "COLUMNS": "200"}
    for args in (["search", "explotacion sexual", "--explain"], ["stats"], ["list"]):
        result = csec_process("--catalogue", str(spanish_catalogue), *args, env=spanish_env)
        assert result.returncode == 0, result.stderr
        assert english_words(result.stdout, known) == [], (args, result.stdout)
    result = csec_process(
        "--catalogue", str(spanish_catalogue), "export", "--format", "html", env=spanish_env
    )
    assert '<html lang="es">' in result.stdout
    text = re.sub(
        r"<script>.*?</script>|<style>.*?</style>|<[^>]+>", " ", result.stdout, flags=re.S
    )
    assert english_words(text, known) == []


@pytest.mark.parametrize("width", [100, 120, 160])
def test_spanish_search_table_fits_the_terminal(
    spanish: None,
    run_cli: RunCli,
    spanish_catalogue: Path,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
) -> None:
    """On a terminal, the longer Spanish headings ("puntaje") still leave every line within the
    width and every title word whole."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("search", "explotación sexual comercial", path=spanish_catalogue)
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert re.match(r" *puntaje +id +fecha", lines[0]) and "título" in lines[0]
    assert max(len(line.rstrip()) for line in lines) <= width
    shown = set(result.stdout.split())
    with spanish_catalogue.open("rb") as file:
        titles = {item["id"]: item["title"] for item in tomllib.load(file)["resources"]}
    for line in lines[2:]:
        found = re.match(r" *\d+ +(\S+) ", line)
        if found and found.group(1) in titles:
            assert set(titles[found.group(1)].split()) <= shown, found.group(1)
