"""The message catalogues and the choice of language (csec_cli.i18n, tools/translations.py)."""

from __future__ import annotations

import gettext
import sys

import pytest

from conftest import REPO
from csec_cli import i18n
from csec_cli.dates import PartialDate

sys.path.insert(0, str(REPO / "tools"))
import translations


@pytest.fixture(scope="module")
def catalogue_problems() -> list[str]:
    return translations.problems()


def test_every_message_has_a_spanish_translation(catalogue_problems: list[str]) -> None:
    """Every message of the code and of the help pages is translated in every .po (not fuzzy)."""
    missing = [line for line in catalogue_problems if "no translation" in line]
    assert not missing, "\n".join(missing[:50]) + f"\n({len(missing)} in all)"


def test_translations_keep_the_placeholders_of_the_original(catalogue_problems: list[str]) -> None:
    differing = [line for line in catalogue_problems if "placeholders differ" in line]
    assert not differing, "\n".join(differing)


def test_the_compiled_catalogue_matches_the_po(catalogue_problems: list[str]) -> None:
    """The .mo csec reads holds exactly what the .po says (compile it after every change)."""
    stale = [line for line in catalogue_problems if ".mo" in line]
    assert not stale, "\n".join(stale)


def test_the_placeholder_check_sees_a_changed_field() -> None:
    """The check above can fail: a renamed or dropped field is told apart."""
    assert translations.placeholders("{count} resources in {path}") == ["{count}", "{path}"]
    assert translations.placeholders("{cuenta} recursos en {path}") != translations.placeholders(
        "{count} resources in {path}"
    )
    assert translations.placeholders("%(name)s y %s") == ["%(name)s", "%s"]


def test_the_languages_csec_speaks_are_the_catalogues_it_ships() -> None:
    shipped = {path.parent.parent.name for path in i18n.LOCALE_DIR.glob("*/LC_MESSAGES/csec.mo")}
    assert set(i18n.LANGUAGES) == {"en", *shipped}
    assert set(i18n.LANGUAGE_NAMES) == set(i18n.LANGUAGES)


@pytest.mark.parametrize(
    ("environ", "code", "source"),
    [
        ({}, "en", ""),
        ({"LANG": "es_MX.UTF-8"}, "es", "LANG=es_MX.UTF-8"),
        ({"LANG": "es"}, "es", "LANG=es"),
        ({"LANG": "C.UTF-8"}, "en", "LANG=C.UTF-8"),
        ({"LANG": "POSIX"}, "en", "LANG=POSIX"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "es_AR.UTF-8"}, "es", "LC_MESSAGES=es_AR.UTF-8"),
        ({"LANG": "es_ES.UTF-8", "LC_ALL": "C"}, "en", "LC_ALL=C"),
        ({"LANG": "es_ES.UTF-8", "LC_ALL": "", "LANGUAGE": ""}, "es", "LANG=es_ES.UTF-8"),
        ({"LANGUAGE": "pt_BR:es:en", "LANG": "en_US.UTF-8"}, "es", "LANGUAGE=pt_BR:es:en"),
        ({"LANGUAGE": "fr", "LANG": "es_ES.UTF-8"}, "en", ""),
        ({"LANG": "es_ES.UTF-8", "CSEC_LANG": "en"}, "en", "CSEC_LANG=en"),
        ({"LANG": "en_US.UTF-8", "CSEC_LANG": "es"}, "es", "CSEC_LANG=es"),
        ({"CSEC_LANG": "ES-mx"}, "es", "CSEC_LANG=ES-mx"),
        ({"CSEC_LANG": "pt", "LANG": "es_CO.UTF-8"}, "es", "LANG=es_CO.UTF-8"),
        ({"LANG": "es_ES@euro"}, "es", "LANG=es_ES@euro"),
    ],
)
def test_the_language_comes_from_csec_lang_then_the_locale_as_gettext_reads_it(
    environ: dict[str, str], code: str, source: str
) -> None:
    choice = i18n.choose_language(environ)
    assert (choice.code, choice.source) == (code, source)


def test_a_language_csec_cannot_speak_is_remembered_for_info() -> None:
    assert i18n.choose_language({"CSEC_LANG": "pt"}).asked_for == "pt"
    assert i18n.choose_language({"LANG": "fr_FR.UTF-8"}) == i18n.LanguageChoice("en", "", "fr")


def test_messages_follow_the_language_and_english_needs_no_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    i18n.forget_language()
    assert i18n._("Usage:") == "Uso:"
    with i18n.speaking("en"):
        assert i18n._("Usage:") == "Usage:"
    assert i18n.language() == "es"
    monkeypatch.setenv("CSEC_LANG", "en")
    i18n.forget_language()
    assert i18n._("Usage:") == "Usage:"
    assert isinstance(i18n._catalogue("en"), gettext.NullTranslations)
    assert not isinstance(i18n._catalogue("en"), gettext.GNUTranslations)


def test_dates_are_written_the_way_each_language_writes_them() -> None:
    with i18n.speaking("es"):
        assert PartialDate(2009, 3, 1).display() == "1 de marzo de 2009"
        assert PartialDate(2009, 3).display() == "marzo de 2009"
        assert PartialDate(2009).display() == "2009"
    with i18n.speaking("en"):
        assert PartialDate(2012, 8, 15).display() == "15 August 2012"
        assert PartialDate(2009, 3).display() == "March 2009"


def test_yes_and_no_are_taken_in_spanish_and_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    from csec_cli.commands import prompting

    answers: list[str] = []
    monkeypatch.setattr(prompting, "read_answer", lambda question, default=None: answers.pop(0))
    monkeypatch.setattr(prompting, "print_hint", lambda message: None)
    with i18n.speaking("es"):
        for typed, meant in [("s", True), ("sí", True), ("SI", True), ("y", True), ("n", False),
                             ("no", False), ("", True)]:  # fmt: skip
            answers.append(typed)
            assert prompting.confirm("¿Seguir?", default=True) is meant, typed
        answers.extend(["quizás", "n"])
        assert prompting.confirm("¿Seguir?", default=True) is False
    with i18n.speaking("en"):
        answers.append("s")
        answers.append("yes")
        assert prompting.confirm("Go on?", default=False) is True  # "s" is asked again


def test_on_windows_without_a_locale_the_display_language_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows sets no LANG: csec asks Windows for the user's display language instead."""
    import ctypes
    import types

    spanish_mexico = 0x080A  # the LANGID Windows gives for Spanish (Mexico)
    kernel32 = types.SimpleNamespace(GetUserDefaultUILanguage=lambda: spanish_mexico)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False)
    assert i18n.choose_language({}) == i18n.LanguageChoice("es", "Windows")
    assert i18n.choose_language({"LANG": "en_US.UTF-8"}).code == "en"
    assert i18n.choose_language({"CSEC_LANG": "en"}).code == "en"
