"""The core modules' messages in Spanish: `check`'s problems, reading errors, dates, ISBNs,
field values, import reports, file and lock errors, the system's reasons; none left in English
(tests/english_text.py), a few pinned word for word, and the English ones as they were."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from csec_cli import catalogue as storage
from csec_cli import entry_point, i18n
from csec_cli.checks import check_catalogue, refuse_faulty_changes, refuse_write_while_errors
from csec_cli.cli import describe_os_error
from csec_cli.dates import PartialDate
from csec_cli.errors import CsecError, system_reason
from csec_cli.field_values import (
    parse_date,
    parse_extra_setting,
    parse_isbn,
    parse_issn,
    parse_language,
    parse_list,
    parse_text,
    parse_title,
    parse_url,
    remove_items,
)
from csec_cli.filters import FilterMiss
from csec_cli.formats import ImportNotes, get_format
from csec_cli.formats.records import ExportReport
from csec_cli.importing import field_summary, plan_import
from csec_cli.models import FIELD_ORDER, resource_from_table
from csec_cli.safe_files import hold_lock, read_catalogue_bytes, refuse_unwritable
from english_text import english_words

TODAY = dt.date(2026, 12, 2)

# Every kind of fault `check` reports, one resource each (and a TOML file's own faults below).
FAULTY_CATALOGUE = """\
[[resources]]
id = "futuro"
title = "Guía para inspectores del trabajo"
date = 2999-01-01
isbn = "978-92-2-122345-1"
issn = "2227-2705"
audience = ["periodistas; docentes", " con espacios ", ""]
url = "ftp://ejemplo.org"

[[resources]]
id = "sin-fecha"
title = "Protocolo de atención"
type = "manual"
language = "esp"
files = ["no-esta.pdf"]

[[resources]]
id = "casi"
title = "Protocolo de atención."
type = "manuel"
date = "2010"

[[resources]]
id = "sin-titulo"

[[resources]]
id = "mala-fecha"
title = "Otro"
date = "2009-02-30"

[[resources]]
id = "lista"
title = "Otro más"
topics = "trata"

[[resources]]
id = "casi"
title = "Repetido"
"""


@pytest.fixture
def in_spanish(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """csec speaks Spanish for this test (CSEC_LANG=es, chosen afresh)."""
    monkeypatch.setenv("CSEC_LANG", "es")
    i18n.forget_language()
    yield
    i18n.forget_language()


def no_english(*messages: str, data: frozenset[str] = frozenset()) -> None:
    """Fail naming each message that still holds English words (but the words of `data`)."""
    leftovers = [(message, english_words(message, data)) for message in messages]
    assert [found for found in leftovers if found[1]] == [], leftovers


def message_of(call: Callable[[], object]) -> str:
    """The message of the CsecError or ValueError `call` raises."""
    with pytest.raises((CsecError, ValueError)) as raised:
        call()
    return str(raised.value)


def write_faulty(tmp_path: Path) -> Path:
    path = tmp_path / "catalogo.toml"
    path.write_text(FAULTY_CATALOGUE, encoding="utf-8")
    return path


def test_every_check_problem_is_in_spanish(in_spanish: None, tmp_path: Path) -> None:
    """`csec check`'s errors and warnings, and what reading reports, speak Spanish."""
    path = write_faulty(tmp_path)
    catalogue = storage.load_catalogue(path)
    problems = check_catalogue(catalogue, TODAY)
    messages = [problem.describe(path) for problem in problems]
    assert len(messages) >= 14, messages
    no_english(*messages)
    where = f"{path}:1: el recurso 'futuro': "
    assert f"{where}la fecha 2999-01-01 está en el futuro" in messages
    assert (
        f"{where}el isbn '978-92-2-122345-1' termina en 1, pero sus otras cifras piden el dígito "
        "de control 0: hay una cifra mal escrita, o dos intercambiadas"
    ) in messages
    assert f"{where}el campo público tiene un elemento vacío; elimínelo" in messages
    assert f"{path}:10: el recurso 'sin-fecha' no tiene fecha" in messages
    assert f"{path}:23: el recurso 'sin-titulo' no tiene título" in messages
    assert f"{path}:36: el recurso 'casi': id duplicado (usado por primera vez en la línea 17)" in (
        messages
    )
    assert any("en el campo tipo, 'manuel' (1 recurso: casi)" in line for line in messages)


def test_write_refusals_are_in_spanish(in_spanish: None, tmp_path: Path) -> None:
    """A write refused while `check` reports an error says so, and how to fix it, in Spanish."""
    path = write_faulty(tmp_path)
    catalogue = storage.load_catalogue(path)
    refused = message_of(lambda: refuse_write_while_errors(catalogue, today=TODAY))
    assert refused == (
        f"{path}:1: el recurso 'futuro': la fecha 2999-01-01 está en el futuro (y 10 más); "
        "corríjalo primero con `csec edit futuro --date FECHA`, o elimínelo (vea `csec check`); "
        "csec no escribe nada mientras `check` señale un error"
    )
    changed = resource_from_table({"id": "nuevo", "title": "Nuevo", "url": "no es url"})
    unsaved = message_of(lambda: refuse_faulty_changes(catalogue, [changed]))
    assert unsaved == (
        f"{path}: el recurso 'nuevo': la url 'no es url' no es una dirección http(s); no se "
        "guardó, porque `csec check` lo señalaría: corríjalo en la misma edición (`csec edit "
        "nuevo --url URL (o --clear url)`)"
    )
    no_english(refused, unsaved)


def test_cached_problems_follow_the_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A catalogue's problems are kept in the cache worded in one language: a run in another
    language words them in its own, and English is as it was."""
    path = write_faulty(tmp_path)
    english = [problem.message for problem in storage.load_catalogue(path).problems]
    assert "resource 'sin-titulo' has no title" in english
    monkeypatch.setenv("CSEC_LANG", "es")
    i18n.forget_language()
    spanish = [problem.message for problem in storage.load_catalogue(path).problems]
    assert "el recurso 'sin-titulo' no tiene título" in spanish
    monkeypatch.setenv("CSEC_LANG", "en")
    i18n.forget_language()
    assert [problem.message for problem in storage.load_catalogue(path).problems] == english


# Waits 0.1 s for the lock of the catalogue named on the command line; prints the refusal.
_TAKE_LOCK = """
import sys
from pathlib import Path
from csec_cli.errors import CsecError
from csec_cli.safe_files import hold_lock
try:
    with hold_lock(Path(sys.argv[1]), timeout=0.1):
        print("taken")
except CsecError as error:
    print(error)
"""


def test_file_errors_are_in_spanish(in_spanish: None, tmp_path: Path) -> None:
    """A missing, empty, broken, non-UTF-8 or read-only catalogue, a folder, a held lock."""
    missing = tmp_path / "falta.toml"
    empty = tmp_path / "vacio.toml"
    empty.write_text("", encoding="utf-8")
    broken = tmp_path / "roto.toml"
    broken.write_text('[[resources]]\nid = "x"\ntitle = "sin cerrar\n', encoding="utf-8")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('title = "Niñez"\n'.encode("latin-1"))
    not_tables = tmp_path / "no-tablas.toml"
    not_tables.write_text('resources = "ninguno"\n', encoding="utf-8")
    utf16 = tmp_path / "utf16.toml"
    utf16.write_bytes('title = "x"\n'.encode("utf-16"))
    read_only = tmp_path / "solo-lectura.toml"
    read_only.write_text("", encoding="utf-8")
    read_only.chmod(0o444)
    messages = [
        message_of(lambda: read_catalogue_bytes(missing)),
        message_of(lambda: storage.load_catalogue(empty)),
        message_of(lambda: storage.load_catalogue(broken)),
        message_of(lambda: storage.load_catalogue(latin)),
        message_of(lambda: refuse_unwritable(read_only)),
        message_of(lambda: read_catalogue_bytes(tmp_path)),
        message_of(lambda: storage.load_catalogue(not_tables)),
        message_of(lambda: storage.load_catalogue(utf16)),
    ]
    assert messages[6] == (
        f"{not_tables}:1:1: «resources» debe ser un arreglo de tablas («[[resources]]»)"
    )
    assert messages[0] == (
        f"{missing}: no existe ese catálogo; créelo con `csec init`, `csec add` o `csec import "
        "ARCHIVO`"
    )
    assert messages[2] == f"{broken}:3:20: no es TOML válido: carácter no permitido '\\n'"
    assert messages[5] == f"{tmp_path}: es una carpeta, no un archivo de catálogo"
    with hold_lock(missing, timeout=5):
        # Another process waits for the lock, and gives up.
        waiting = subprocess.run(
            [sys.executable, "-c", _TAKE_LOCK, str(missing)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CSEC_LANG": "es"},
        )
    messages.append(waiting.stdout.strip())
    assert messages[-1] == (
        f"{missing}: otro proceso de csec tiene el bloqueo desde hace 0 s; vuelva a intentarlo "
        "cuando haya terminado"
    ), waiting.stderr
    no_english(*messages)


def test_date_errors_are_in_spanish(in_spanish: None) -> None:
    """Each way a typed date is refused, in Spanish, months and all."""
    typed = [
        "",
        "30/02/2020",
        "03/04/2011",
        "13/25/2011",
        "3/4/11",
        "2009-03-01 10:30",
        "marzo",
        "el día del trabajo",
        "2009-13",
        "3000",
    ]
    messages = [message_of(lambda text=text: parse_date(text, TODAY)) for text in typed]
    messages.append(message_of(lambda: PartialDate.from_toml(dt.datetime(2009, 3, 1, 10))))
    assert messages[2] == (
        "'03/04/2011' podría ser el 3 de abril de 2011 o el 4 de marzo de 2011; escriba "
        "2011-04-03 o 2011-03-04, o defina CSEC_DATE_ORDER=DMY o MDY para indicar qué orden usa "
        "su equipo"
    )
    assert messages[1] == "'30/02/2020' no es una fecha real: ese día no existe en ese mes"
    assert messages[-2] == "3000 está en el futuro"
    no_english(*messages)


def test_field_value_errors_are_in_spanish(in_spanish: None) -> None:
    """What add and edit refuse, with the field named in Spanish."""
    messages = [
        message_of(lambda: parse_title(" ")),
        message_of(lambda: parse_title("dos\nlíneas")),
        message_of(lambda: parse_text(" ", "summary")),
        message_of(lambda: parse_language("español")),
        message_of(lambda: parse_url("www.oit.org")),
        message_of(lambda: parse_isbn("978-92-2-12234")),
        message_of(lambda: parse_isbn("979-92-2-12234-5X")),
        message_of(lambda: parse_isbn("123-4-56789-012-3")),
        message_of(lambda: parse_issn("2227")),
        message_of(lambda: parse_list(["; "], "audience")),
        message_of(lambda: remove_items(("periodistas",), ["docentes"], "audience")),
        message_of(lambda: remove_items((), ["docentes"], "topics")),
        message_of(lambda: parse_extra_setting("estante")),
        message_of(lambda: parse_extra_setting("estante=")),
        message_of(lambda: parse_extra_setting("mal nombre=B3")),
    ]
    assert messages[2] == "el campo resumen está vacío"
    assert messages[5] == "'978-92-2-12234' tiene 11 cifras; un ISBN tiene 10 o 13"
    assert messages[10] == "'docentes' no está entre los valores de público ('periodistas')"
    no_english(*messages)


def test_filter_misses_are_in_spanish(in_spanish: None) -> None:
    """A filter value no resource has, with and without a suggestion."""
    close = FilterMiss("country", "Bolivi", ("Bolivia",)).describe()
    none = FilterMiss("topic", "zzz", ()).describe()
    several = FilterMiss("country", "Bolivi", ("Bolivia", "Bélice", "Brasil")).describe()
    assert close == "Ningún recurso tiene el país 'Bolivi'; ¿quiso decir 'Bolivia'?"
    assert none == "Ningún recurso tiene el tema 'zzz'."
    assert several.endswith("¿quiso decir 'Bolivia', 'Bélice' o 'Brasil'?")


def test_readers_and_import_reports_are_in_spanish(in_spanish: None) -> None:
    """Each reader's errors and faulty records, and the import's report on the fields kept."""
    failures = [
        message_of(lambda: list(get_format("csv").read("", ImportNotes()))),
        message_of(lambda: list(get_format("csv").read("titulo,fecha\nx,2009\n", ImportNotes()))),
        message_of(lambda: list(get_format("csv").read("title,Title\nx,y\n", ImportNotes()))),
        message_of(lambda: list(get_format("json").read("[{]", ImportNotes()))),
        message_of(lambda: list(get_format("json").read("{}", ImportNotes()))),
        message_of(lambda: get_format("xlsx")),
    ]
    assert failures[3] == (
        "línea 1, columna 3: no es JSON válido (se esperaba un nombre de propiedad entre comillas "
        "dobles)"
    )
    csv_notes = ImportNotes()
    rows = list(
        get_format("csv").read(
            "title,date,language,estante,isbn\n"
            "Guía,2009-02-30,es,,\n"
            ",2009,es,,\n"
            "Manual,2010,maya,B3,ISBN 978-92-2-122345-0 (pbk.)\n"
            "Otro,2011,Spanish,,\n"
            "Uno,2012,es,,,sobra\n",
            csv_notes,
        )
    )
    ris = list(
        get_format("ris").read(
            "TY  - BOOK\nTI  - Guía\nPY  - 2009\nAU  - Pérez, Ana\nLA  - es\nLA  - en\nER  - \n"
            "TI  - Sin tipo\nER  - \n"
            "TY  - BOOK\nTI  - Sin cierre\n",
            ImportNotes(),
        )
    )
    json_records = list(get_format("json").read('[1, {"title": "x"}]', ImportNotes()))
    plan = plan_import(
        [*rows, *ris, *json_records], [], [], now=dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    )
    rejected = [f"{rejection.where}: {rejection.reason}" for rejection in plan.rejected]
    summary = field_summary(plan)
    assert "fila 6: tiene 6 celdas, pero el encabezado nombra 5" in rejected
    assert "línea 8: no empieza con una línea `TY  - `" in rejected
    assert "entrada 1: no es un objeto con nombres de campo" in rejected
    assert "se guardó 'estante', que csec no conoce, como clave adicional en 1 registro" in summary
    assert csv_notes.lines == ["leído como separado por comas"]
    # The CSV header's column names are the contract's field names, written as the file has them.
    no_english(*failures, *rejected, *summary, *csv_notes.lines, data=frozenset(FIELD_ORDER))


def test_export_report_is_in_spanish(in_spanish: None) -> None:
    """What an export could not write as it is, said in Spanish."""
    report = ExportReport()
    report.could_not_write("estante")
    report.wrote_as_text("prestado")
    report.wrote_as_text("prestado")
    lines = report.lines("ris")
    assert lines[1] == (
        "se escribió 'prestado' como texto en ris para 2 recursos (se vuelve a leer como texto)"
    )
    no_english(*lines)


def test_system_reasons_are_in_spanish_by_errno(in_spanish: None) -> None:
    """The C library's English reasons are said in Spanish by errno; one csec does not know
    keeps the system's words."""
    denied = PermissionError(errno.EACCES, "Permission denied", "/tmp/x.toml")
    full = OSError(errno.ENOSPC, "No space left on device")
    assert system_reason(denied) == "Permiso denegado"
    assert describe_os_error(denied) == "/tmp/x.toml: permiso denegado"
    assert (
        describe_os_error(full)
        == "no se puede escribir la salida (no queda espacio en el dispositivo)"
    )
    for name in (
        "ENOENT",
        "EPERM",
        "EISDIR",
        "ENOTDIR",
        "ENAMETOOLONG",
        "EROFS",
        "EEXIST",
        "ELOOP",
        "EBUSY",
    ):
        number = getattr(errno, name)
        no_english(system_reason(OSError(number, os.strerror(number))))
    assert system_reason(OSError(errno.EDOM, "Numerical argument out of domain")) == (
        "Numerical argument out of domain"
    )


def test_system_reasons_stay_the_systems_in_english() -> None:
    """In English the reason is the system's own text, whatever the catalogue says."""
    denied = PermissionError(errno.EACCES, "Permission denied (as this system words it)", "x")
    assert system_reason(denied) == "Permission denied (as this system words it)"
    assert describe_os_error(denied) == "x: permission denied (as this system words it)"


def test_the_encoding_note_is_in_spanish(
    in_spanish: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note for characters the output's encoding cannot show."""
    monkeypatch.setattr(entry_point, "_replaced", ["latin-1"])
    entry_point._flush_stdout()
    note = capsys.readouterr().err
    assert note.startswith("Algunos caracteres no se pueden escribir en latin-1, la codificación")
    no_english(note)
