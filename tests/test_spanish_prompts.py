"""`csec add`, `edit` and `remove` in Spanish in a real pseudo-terminal: the installed csec under
es_ES.UTF-8, driven by pexpect as a Spanish-speaking user answers its questions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pexpect
import pytest
import tomli

from conftest import FIXTURES
from terminal_session import answer, finish, spawn_csec


@pytest.fixture
def catalogo(tmp_path: Path) -> Path:
    """A copy of the Spanish test catalogue for one terminal session."""
    path = tmp_path / "catalogo.toml"
    shutil.copyfile(FIXTURES / "catalogo_es.toml", path)
    return path


def spawn_in_spanish(path: Path, *args: str) -> pexpect.spawn:
    """Start csec on a pseudo-terminal under es_ES.UTF-8 (no CSEC_LANG: the locale decides)."""
    return spawn_csec(path, *args, locale="es_ES.UTF-8")


# Each question `edit` asks after the title, in Spanish, with the current value if there is one.
EDIT_PROMPTS_AFTER_TITLE = [
    rf"{question}(?: \[[^\]]*\])?: "
    for question in (
        r"Autores \(Apellidos, Nombres; \.\.\.\)",
        r"Fecha \(2009-03-01, 1 de marzo de 2009, marzo de 2009 o 2009\)",
        r"Resumen",
        r"Tipo",
        r"Público \(separado por comas\)",
        r"Temas \(separados por comas\)",
        r"Países o regiones \(separados por comas\)",
        r"Idioma \(código ISO 639-1\)",
        r"Editor",
        r"Lugar de publicación",
        r"Serie",
        r"ISBN",
        r"ISSN",
        r"URL",
        r"Archivos \(rutas, separadas por ;\)",
        r"Notas",
    )
]


def resource_of(path: Path, resource_id: str) -> dict[str, object] | None:
    """The table of one resource in a catalogue file, or None."""
    for table in tomli.loads(path.read_text(encoding="utf-8"))["resources"]:
        if table["id"] == resource_id:
            return dict(table)
    return None


def test_add_asks_in_spanish_and_saves(catalogo: Path) -> None:
    """Every question in Spanish; a wrong date asked again; an existing spelling taken with "s"
    and another refused with "no"; the language offered is Spanish, the interface's; "sí" adds
    the resource, whose id is printed."""
    session = spawn_in_spanish(catalogo, "add")
    answer(session, r"Título: ", "Guía para inspectores del trabajo sobre la trata")
    answer(session, r"Autores \(Apellidos, Nombres; \.\.\.\): ", "Pérez, Ana María")
    date_prompt = r"Fecha \(2009-03-01, 1 de marzo de 2009, marzo de 2009 o 2009\): "
    answer(session, date_prompt, "30 de febrero de 2020")
    session.expect(r"intente\s+de\s+nuevo\.")
    answer(session, date_prompt, "1 de marzo de 2009")
    answer(session, r"Resumen: ", "Guía breve para la inspección del trabajo.")
    session.expect(r"Ya en uso: study, ")
    answer(session, r"Tipo: ", "guide")
    answer(session, r"Público \(separado por comas\): ", "inspectores del trabajo")
    session.expect(r"Ya en uso: explotación sexual comercial, ")
    answer(session, r"Temas \(separados por comas\): ", "explotacion sexual, trata")
    answer(
        session,
        r"¿Usar el valor existente 'explotación sexual' en lugar de 'explotacion sexual'\? "
        r"\[S/n\]: ",
        "s",
    )
    answer(session, r"Países o regiones \(separados por comas\): ", "Panama")
    answer(session, r"¿Usar el valor existente 'Panamá' en lugar de 'Panama'\? \[S/n\]: ", "no")
    # The language offered is the interface language: Enter takes it.
    answer(session, r"Idioma \(código ISO 639-1\) \[es\]: ", "")
    answer(session, r"Editor: ", "OIT")
    for prompt in (r"Lugar de publicación: ", r"Serie: ", r"ISBN: ", r"ISSN: ", r"URL: "):
        answer(session, prompt, "")
    answer(session, r"Archivos \(rutas, separadas por ;\): ", "")
    answer(session, r"Notas: ", "")
    session.expect(r"El recurso nuevo:")
    session.expect(r"1 de marzo de 2009")
    answer(session, r"¿Agregarlo al catálogo\? \[S/n\]: ", "sí")
    session.expect(r"Se agregó 'guia-inspectores-trabajo-sobre-trata' a .*catalogo\.toml\.")
    session.expect(r"guia-inspectores-trabajo-sobre-trata\r\n")
    assert finish(session) == 0
    added = resource_of(catalogo, "guia-inspectores-trabajo-sobre-trata")
    assert added is not None
    assert added["date"] == dt.date(2009, 3, 1)
    assert added["topics"] == ["explotación sexual", "trata"]
    assert added["countries"] == ["Panama"]
    assert added["language"] == "es"


def test_add_refused_after_a_similar_title_changes_nothing(catalogo: Path) -> None:
    """A title like an existing one is shown; "no" to adding anyway (default no: [s/N]) leaves
    the file as it was and says so in Spanish."""
    before = catalogo.read_bytes()
    session = spawn_in_spanish(catalogo, "add")
    # The title of guia-accion-escnna, typed without its accents.
    title = "Una guia para la accion contra la explotacion sexual comercial de niños y niñas"
    answer(session, r"Título: ", title)
    session.expect(r"Ya está en el catálogo, con un título parecido:")
    session.expect(r"guia-accion-escnna")
    answer(session, r"¿Agregar el nuevo de todos modos\? \[s/N\]: ", "no")
    session.expect(r"No se agregó nada\.")
    assert finish(session) == 1
    assert catalogo.read_bytes() == before


def test_edit_asks_in_spanish_with_current_values_and_saves(catalogo: Path) -> None:
    """Each field asked in Spanish with its current value; Enter keeps, - empties; an answer
    that is neither yes nor no is explained, and "s" saves."""
    session = spawn_in_spanish(catalogo, "edit", "riesgos-salud")
    session.expect(r"Editando 'riesgos-salud-peru'\. Enter deja un valor como está; - lo vacía")
    answer(session, r"Título \[Trabajo infantil y riesgos en salud[^\]]*\]: ", "")
    answer(session, r"Autores \(Apellidos, Nombres; \.\.\.\): ", "")
    answer(session, r"Fecha \([^)]*\) \[2015\]: ", "marzo de 2016")
    answer(session, r"Resumen \[[^\]]*\]: ", "")
    answer(session, r"Tipo \[study\]: ", "")
    answer(session, r"Público \(separado por comas\): ", "")
    answer(session, r"Temas \(separados por comas\) \[[^\]]*\]: ", "-")
    answer(session, r"Países o regiones \(separados por comas\) \[[^\]]*\]: ", "")
    answer(session, r"Idioma \(código ISO 639-1\) \[es\]: ", "")
    answer(session, r"Editor \[[^\]]*\]: ", "OIT")
    for prompt in (r"Lugar de publicación: ", r"Serie: ", r"ISBN: ", r"ISSN: ", r"URL: "):
        answer(session, prompt, "")
    answer(session, r"Archivos \(rutas, separadas por ;\): ", "")
    answer(session, r"Notas: ", "")
    session.expect(r"El recurso con sus cambios:")
    session.expect(r"marzo de 2016")
    answer(session, r"¿Guardar los cambios\? \[S/n\]: ", "quizás")
    session.expect(r"Responda s \(sí\) o n \(no\)\.")
    answer(session, r"¿Guardar los cambios\? \[S/n\]: ", "s")
    session.expect(r"Se cambió 'riesgos-salud-peru' en .*catalogo\.toml\.")
    assert finish(session) == 0
    edited = resource_of(catalogo, "riesgos-salud-peru")
    assert edited is not None
    assert edited["date"] == "2016-03"
    assert edited["publisher"] == "OIT"
    assert "topics" not in edited


def test_edit_answered_no_changes_nothing(catalogo: Path) -> None:
    """ "no" to saving: nothing written, "No se cambió nada.", exit 1."""
    before = catalogo.read_bytes()
    session = spawn_in_spanish(catalogo, "edit", "eca")
    answer(session, r"Título \[[^\]]*\]: ", "Estatuto da Criança e do Adolescente (Brasil)")
    for prompt in EDIT_PROMPTS_AFTER_TITLE:  # every other field kept
        answer(session, prompt, "")
    answer(session, r"¿Guardar los cambios\? \[S/n\]: ", "no")
    session.expect(r"No se cambió nada\.")
    assert finish(session) == 1
    assert catalogo.read_bytes() == before


def test_remove_asks_in_spanish(catalogo: Path) -> None:
    """remove shows the resource and asks "¿Eliminar …? [s/N]"; "s" removes it."""
    session = spawn_in_spanish(catalogo, "remove", "eca")
    answer(session, r"¿Eliminar 'eca' del catálogo\? \[s/N\]: ", "s")
    session.expect(r"Se eliminó 'eca' de .*catalogo\.toml\.")
    assert finish(session) == 0
    assert resource_of(catalogo, "eca") is None


def test_ctrl_c_during_add_says_so_in_spanish(catalogo: Path) -> None:
    """Ctrl-C half way through the questions: one calm Spanish line, exit 130, file untouched."""
    before = catalogo.read_bytes()
    session = spawn_in_spanish(catalogo, "add")
    answer(session, r"Título: ", "Un recurso a medias")
    session.expect(r"Autores \(Apellidos, Nombres; \.\.\.\): ")
    session.sendintr()
    session.expect(r"Interrumpido\. No se agregó nada\.")
    assert finish(session) == 130
    assert catalogo.read_bytes() == before
