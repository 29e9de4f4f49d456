"""The commands' own messages under a Spanish locale: each note, warning, error and report line
that add, edit, remove, import, export, check, init, undo, history, open, list and search print
is in Spanish, with no English word left in it."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES
from english_text import english_words, words_of
from test_spanish_interface import data_words, run_in_spanish

# Field keys and option values are written as stored and as typed (`--clear topic`, `--sort
# date`): names, not English prose, in the messages that list them.
NAMES = words_of(
    "title authors author date summary type audience topics topic countries country language "
    "publisher url isbn issn place series notes files file added id"
)

# Resources for `csec open`: each lacks what opening needs in its own way.
OPEN_CATALOGUE = """\
[[resources]]
id = "sin-enlace"
title = "Recurso sin enlace ni archivo"

[[resources]]
id = "enlace-raro"
title = "Recurso con una dirección que no es web"
url = "javascript:alert(1)"

[[resources]]
id = "archivo-perdido"
title = "Recurso cuyo archivo falta"
url = "https://www.ilo.org/"
files = ["pdf/perdido.pdf"]

[[resources]]
id = "archivo-carpeta"
title = "Recurso cuyo archivo es una carpeta"
files = ["pdf"]

[[resources]]
id = "archivo-programa"
title = "Recurso cuyo archivo es un programa"
files = ["instalar.sh"]
"""


@dataclass(frozen=True)
class Case:
    """One command run and the Spanish it must show (a regular expression, spaces as `\\s+`)."""

    args: list[str]
    expected: str
    exit_code: int = 0
    input: str | None = None
    catalogue: str = "catalogue"  # which of the cases' files --catalogue names ("" for none)


def cases() -> list[Case]:
    """In order: each may rely on what the ones before it wrote."""
    similar = "Una guia para la accion contra la explotacion sexual comercial de niños y niñas"
    return [
        # add
        Case(["add"], r"se necesita --title cuando csec add no se ejecuta en una terminal", 1),
        Case(
            ["add", "--yes", "--title", similar],
            r"el catálogo ya tiene un recurso con este título \(o uno casi igual\): "
            r"guia-accion-escnna; revíselo con `csec show ID`, o agréguelo de todos modos "
            r"con --allow-duplicate",
            1,
        ),
        Case(
            ["add", "--yes", "--title", "Manual nuevo", "--topic", "explotacion sexual"],
            r"Aviso: en temas, 'explotacion sexual' se parece al valor existente 'explotación "
            r"sexual'; se guarda tal como se dio",
        ),
        Case(
            ["add", "--yes", "--title", "Otro manual", "--file", "falta.pdf"],
            r"el archivo 'falta\.pdf' no existe \(se buscó en \S*falta\.pdf\); se guarda tal "
            r"como se dio",
        ),
        Case(
            ["add", "--yes", "--title", "Tercer manual"],
            r"Se agregó 'tercer-manual' a \S*catalogo\.toml\.",
        ),
        Case(
            ["add", "--yes", "--title", "Manual en el catálogo por defecto"],
            r"Se creó su catálogo \S*resources\.toml con los 10 recursos que trae csec; para "
            r"empezar con uno vacío: `csec undo`, `csec init` y luego vuelva a ejecutar este "
            r"comando\.",
            catalogue="",
        ),
        # edit
        Case(["edit", "eca"], r"no hay nada que cambiar: dé los valores nuevos", 1),
        Case(
            ["edit", "eca", "--date", "2001", "--clear", "date"],
            r"--date y --clear date se contradicen",
            2,
        ),
        Case(
            ["edit", "eca", "--clear", "title"],
            r"--clear: 'title' no se puede vaciar; elija uno de estos campos: author, date, "
            r".*?; p\. ej\. --clear url",
            2,
        ),
        Case(
            ["edit", "eca", "--clear", "estante"],
            r"--clear: 'estante' no es un campo que se pueda vaciar; elija uno de estos campos: "
            r"author, date, .*?; p\. ej\. --clear url",
            2,
        ),
        Case(
            ["edit", "eca", "--topic", "a", "--add-topic", "b"],
            r"--topic y --add-topic se contradicen",
            2,
        ),
        Case(
            ["edit", "eca", "--add-topic", "salud", "--remove-topic", "Salud"],
            r"--add-topic y --remove-topic nombran los dos 'salud'; deje solo uno",
            2,
        ),
        Case(
            ["edit", "eca", "--unset", "estante"],
            r"--unset: 'eca' no tiene la clave 'estante' \(claves que csec no conoce: ninguna\)",
            1,
        ),
        Case(
            ["edit", "eca", "--set", "title=Otro"],
            r"--set title: title es un campo propio de csec; cámbielo con --title",
            2,
        ),
        Case(
            ["edit", "eca", "--unset", "summary"],
            r"--unset summary: summary es un campo propio de csec; vacíelo con --clear summary",
            2,
        ),
        Case(
            ["edit", "eca", "--set", "added=2020"],
            r"added es un campo propio de csec; csec lo registra al agregar un recurso",
            2,
        ),
        Case(
            ["edit", "eca", "--type", "law"],
            r"No se cambió nada\. \('eca' ya tiene estos valores\.\)",
        ),
        Case(
            ["edit", "eca", "--publisher", "Presidência da República"],
            r"Se cambió 'eca' en \S*catalogo\.toml\.",
        ),
        # undo and history
        Case(
            ["undo"],
            r"Se deshizo `edit eca` del \d{4}-\d\d-\d\d \d\d:\d\d en \S*catalogo\.toml: vuelve a "
            r"tener 10 recursos\.\s+Se pueden deshacer 3 cambios anteriores; vea `csec history`\.",
        ),
        Case(["history"], r"No hay nada que deshacer en \S*nuevo\.toml\.", catalogue="new"),
        # remove
        Case(
            ["remove", "eca"],
            r"eliminar 'eca' requiere confirmación; agregue --yes cuando no esté en una terminal",
            1,
        ),
        Case(
            ["remove", "--yes", "eca", "masculinidad-esc"],
            r"Se eliminaron 2 recursos \('eca', 'masculinidad-esc'\) de \S*catalogo\.toml\.",
        ),
        # import
        Case(
            ["import", "lista.xyz"],
            r"no se puede deducir el formato a partir de 'lista\.xyz'; indique --format csv\|json\|ris\|bibtex",
            2,
        ),
        Case(
            ["import", "--format", "xlsx", "lista.xyz"],
            r"--format acepta uno de estos: csv, json, ris, bibtex; p\. ej\. --format csv",
            2,
        ),
        Case(["import", "carpeta.csv"], r"carpeta\.csv: es una carpeta, no un archivo", 1),
        Case(["import", "no-existe.csv"], r"no-existe\.csv: el archivo no existe", 1),
        Case(
            ["import", "latin1.csv"],
            r"latin1\.csv:2: no es texto UTF-8; guárdelo como UTF-8 \(en Excel: CSV UTF-8\)",
            1,
        ),
        Case(["import", "vacio.csv"], r"vacio\.csv no contiene recursos\."),
        Case(
            ["import", "--dry-run", "nuevos.csv"],
            r"Se agregarían: 1; se omitirían por duplicados: 1; se señalarían como parecidos: 0; "
            r"se rechazarían: 0\.",
        ),
        Case(
            ["import", "--strict", "malos.csv"],
            r"1 registro no válido en malos\.csv; no se importó nada \(--strict\)",
            1,
        ),
        Case(
            ["import", "solo-malos.csv"],
            r"solo-malos\.csv no tiene ningún registro válido; no se importó nada",
            1,
        ),
        Case(
            ["import", "nuevos.csv"],
            r"Agregados: 1; omitidos por duplicados: 1; señalados como parecidos: 0; "
            r"rechazados: 0\.",
        ),
        # export
        Case(["export"], r"export necesita --format csv\|json\|markdown", 2),
        Case(["export", "--format", "csv", "--delimiter", "x"], r"elija ',', ';' o tab", 2),
        Case(
            ["export", "--format", "json", "--delimiter", ";"],
            r"solo csv tiene delimitador, json no",
            2,
        ),
        Case(
            ["export", "--format", "csv", "-o", "carpeta.csv"],
            r"carpeta\.csv: es una carpeta; dé a --output un nombre de archivo",
            1,
        ),
        Case(
            ["export", "--format", "csv", "-o", "falta/salida.csv"],
            r"falta: la carpeta no existe; créela primero",
            1,
        ),
        Case(
            ["export", "--format", "csv", "-o", "salida.csv"],
            r"Se exportaron 9 recursos a salida\.csv \(csv\)\.",
        ),
        Case(
            ["export", "--format", "csv", "-o", "salida.csv"],
            r"salida\.csv ya existe; agregue --force para reemplazarlo",
            1,
        ),
        # list and search
        Case(["list", "--sort", "year"], r"--sort acepta 'date', 'title' o 'added'", 2),
        Case(["list", "--json", "--csv"], r"--json y --csv no se pueden combinar", 2),
        Case(
            ["list", "--since", "2010", "--until", "2000"],
            r"--since 2010 es posterior a --until 2000; ponga en --since el año menor, p\. ej\. "
            r"--since 2000 --until 2010",
            2,
        ),
        Case(["list", "--topic", "zzz"], r"Ningún recurso coincide\."),
        Case(["list"], r"El catálogo está vacío\.", catalogue="empty"),
        Case(
            ["search", "zzqxv", "--type", "study"],
            r"Ningún recurso coincide con 'zzqxv': revise la ortografía, pruebe con menos "
            r"palabras o con otras, quite algunos filtros, baje --min-score \(ahora \d+\)\.",
        ),
        # check
        Case(["check"], r"catalogo\.toml: 9 recursos válidos, 0 errores, \d+ avisos?"),
        Case(["check"], r"vacio\.toml: 0 recursos válidos, 0 errores, 0 avisos", catalogue="empty"),
        # init
        Case(
            ["init", "otro.toml"],
            r"Se creó el catálogo otro\.toml, vacío\.\s+csec usa \S*catalogo\.toml; para usar "
            r"este, indique --catalogue otro\.toml o defina CSEC_CATALOGUE=otro\.toml",
        ),
        Case(
            ["init", "--seed", "semilla.toml"],
            r"Se creó el catálogo semilla\.toml, con los 10 recursos que trae csec\.",
        ),
        Case(
            ["undo"],
            r"Se deshizo `[^`]+` del .*? en \S*semilla\.toml: se eliminó el archivo, que antes no "
            r"existía\.",
            catalogue="seeded",
        ),
        # open
        Case(
            ["open", "sin-enlace"],
            r"sin-enlace no tiene url ni archivo registrados \(`csec edit` puede agregar "
            r"cualquiera de los dos: --url, --file\)",
            1,
            catalogue="open",
        ),
        Case(
            ["open", "enlace-raro"],
            r"la url 'javascript:alert\(1\)' de enlace-raro no es una dirección http\(s\); no "
            r"se abre",
            1,
            catalogue="open",
        ),
        Case(
            ["open", "archivo-perdido"],
            r"el archivo 'pdf/perdido\.pdf' de archivo-perdido no existe \(se buscó en "
            r"\S*perdido\.pdf\); su url es https://www\.ilo\.org/",
            1,
            catalogue="open",
        ),
        Case(
            ["open", "archivo-carpeta"],
            r"el archivo 'pdf' de archivo-carpeta es una carpeta, no un archivo",
            1,
            catalogue="open",
        ),
        Case(
            ["open", "archivo-programa"],
            r"el archivo 'instalar\.sh' de archivo-programa es un programa o un lanzador, no "
            r"un documento; csec no lo abre",
            1,
            catalogue="open",
        ),
    ]


@pytest.fixture
def workplace(tmp_path: Path) -> dict[str, Path]:
    """The catalogues and files the cases name, in a folder the commands run in."""
    catalogue = tmp_path / "catalogo.toml"
    shutil.copyfile(FIXTURES / "catalogo_es.toml", catalogue)
    (tmp_path / "carpeta.csv").mkdir()
    (tmp_path / "latin1.csv").write_bytes("title\nNiñez\n".encode("latin-1"))
    (tmp_path / "vacio.csv").write_text("title,date\n", encoding="utf-8")
    (tmp_path / "nuevos.csv").write_text(
        "title,date,language\nProtocolo de atención a víctimas de trata,2012,es\n"
        "Protocolo de atención a víctimas de trata,2012,es\n",
        encoding="utf-8",
    )
    (tmp_path / "malos.csv").write_text(
        "title,date\nProtocolo de atención,2012\nSin fecha real,2012-02-30\n", encoding="utf-8"
    )
    (tmp_path / "solo-malos.csv").write_text("title,date\n,2012\n", encoding="utf-8")
    (tmp_path / "vacio.toml").write_text("# Un catálogo sin recursos.\n", encoding="utf-8")
    opening = tmp_path / "abrir" / "abrir.toml"
    (opening.parent / "pdf").mkdir(parents=True)
    opening.write_text(OPEN_CATALOGUE, encoding="utf-8")
    (opening.parent / "instalar.sh").write_text("echo\n", encoding="utf-8")
    return {
        "catalogue": catalogue,
        "new": tmp_path / "nuevo.toml",
        "empty": tmp_path / "vacio.toml",
        "seeded": tmp_path / "semilla.toml",
        "open": opening,
    }


def test_the_commands_messages_are_spanish(workplace: dict[str, Path]) -> None:
    """Each case shows its Spanish message, and the lines of that message hold no English."""
    folder = workplace["catalogue"].parent
    known = data_words(workplace["catalogue"]) | NAMES
    failures = []
    for case in cases():
        prefix = ["--catalogue", str(workplace[case.catalogue])] if case.catalogue else []
        result = run_in_spanish(*prefix, *case.args, input=case.input, cwd=folder)
        shown = result.stdout + result.stderr
        # A usage error's message is drawn in a box: its borders are no part of the text.
        lines = [" ".join(re.sub(r"[│╭╮╰╯─]", " ", line).split()) for line in shown.splitlines()]
        text = "\n".join(lines)
        found = re.search(case.expected.replace(" ", r"\s+"), text, re.DOTALL)
        where = f"csec {' '.join(case.args)} (exit {result.returncode})"
        if found is None:
            failures.append(f"{where}: no /{case.expected}/ in\n{shown}")
            continue
        # What the command's own message says, its fields filled (the "Error: " before it and
        # the example a usage error adds after it are other modules' text).
        message = found.group(0)
        if english_words(message, known):
            failures.append(f"{where}: English {english_words(message, known)} in {message}")
        elif result.returncode != case.exit_code:
            failures.append(f"{where}: expected exit {case.exit_code}\n{shown}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("code", ["en", "es"])
def test_the_date_question_offers_only_dates_csec_reads(code: str) -> None:
    """Each example date in the date question, as translated, is one csec accepts."""
    from csec_cli.commands.fields import question_of
    from csec_cli.field_values import parse_date
    from csec_cli.i18n import speaking

    with speaking(code):
        question = question_of("date")
    inside = question[question.index("(") + 1 : question.rindex(")")]
    examples = re.split(r", | or | o ", inside)
    assert len(examples) == 4, question
    for example in examples:
        parse_date(example)


# A team thesaurus with one of each fault `check` reports in a concept, and one file that is not
# TOML: ids, keys and terms are the team's own names, not English prose.
TEAM_THESAURUS = """\
extra = 1

[[concept]]
id = "Mal"
es = ["x"]

[[concept]]
id = "uno"
broader = "uno"
es = ["trata", ""]
xx = ["y"]

[[concept]]
id = "dos"
broader = "no-existe"
es = "sola"
pt = [1]

[[concept]]
id = "dos"
es = ["otra"]

[[concept]]
id = "tres"
broader = "Tres Mal"

[[concept]]
id = "explotacion"
broader = "tourism"
es = ["explotación sexual"]
"""
TEAM_NAMES = words_of("mal uno dos tres trata no existe sola otra xx extra concept broader id")


@pytest.mark.parametrize("text", [TEAM_THESAURUS, "[[concept]\n"], ids=["faults", "not-toml"])
def test_the_team_thesaurus_problems_are_spanish(tmp_path: Path, text: str) -> None:
    """Each problem `check` finds in the team's thesaurus is worded in Spanish."""
    catalogue = tmp_path / "catalogo.toml"
    shutil.copyfile(FIXTURES / "catalogo_es.toml", catalogue)
    (tmp_path / "thesaurus.toml").write_text(text, encoding="utf-8")
    result = run_in_spanish("check", catalogue=catalogue, cwd=tmp_path)
    problems = [
        line.split("thesaurus.toml", 1)[1]
        for line in result.stdout.splitlines()
        if line.startswith(("error:", "aviso:")) and "thesaurus.toml" in line
    ]
    assert len(problems) >= (11 if text == TEAM_THESAURUS else 1), result.stdout
    known = data_words(catalogue) | NAMES | TEAM_NAMES
    leftover = {problem: english_words(problem, known) for problem in problems}
    assert not any(leftover.values()), leftover
