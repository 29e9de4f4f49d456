"""The interface language: which one the user reads, and csec's messages in it (gettext).

The language comes from CSEC_LANG, else from the locale as gettext reads it (LANGUAGE, then
LC_ALL, LC_MESSAGES, LANG: the first one set), else, on Windows, from the user's display
language; English is the fallback. Messages are written in English in the code, marked with
`_()` (or `N_()` where the text is only named, to be translated where it is shown), and looked
up in the message catalogue of the chosen language: locale/<code>/LC_MESSAGES/csec.mo, compiled
from the csec.po beside it. Nothing is read for English, and a catalogue is read once, on the
first message that needs it, so a command that prints only data pays nothing for it.
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DOMAIN = "csec"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
# The languages a person can read csec in: English, and every language with a catalogue.
# Kept as a literal (a test holds it equal to locale/) so that choosing costs no directory scan.
LANGUAGES = ("en", "es")
# Each language by its own name, as a person looks for it in a list.
LANGUAGE_NAMES = {"en": "English", "es": "español"}
# The locale variables gettext reads, in the order it reads them.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class LanguageChoice:
    """The language in use and where it came from, as `csec info` reports it."""

    code: str  # one of LANGUAGES
    source: str  # "CSEC_LANG=es", "LANG=es_MX.UTF-8", "Windows", or "" for the fallback
    asked_for: str = ""  # a language asked for that csec cannot speak yet ("pt"), else ""


def choose_language(environ: dict[str, str] | os._Environ[str] | None = None) -> LanguageChoice:
    """The interface language for `environ` (the process's environment by default)."""
    environ = os.environ if environ is None else environ
    asked_for = ""
    wanted = environ.get("CSEC_LANG", "").strip()
    if wanted:
        code = _language_of(wanted)
        if code in LANGUAGES:
            return LanguageChoice(code, f"CSEC_LANG={wanted}")
        asked_for = code or wanted
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "").strip()
        if not value:
            continue
        # LANGUAGE is a list in order of preference (es_MX:es:en); the others hold one locale.
        for entry in value.split(":") if variable == "LANGUAGE" else [value]:
            code = _language_of(entry)
            if code in LANGUAGES:
                return LanguageChoice(code, f"{variable}={value}", asked_for)
            if code and not asked_for:
                asked_for = code
        # As gettext: the first variable set decides, even when csec has none of its languages.
        return LanguageChoice(ENGLISH, "", asked_for)
    windows = _windows_display_language()
    if windows in LANGUAGES:
        return LanguageChoice(windows, "Windows", asked_for)
    return LanguageChoice(ENGLISH, "", asked_for)


def _language_of(locale_name: str) -> str:
    """The language code of a locale name: es_MX.UTF-8 → es, pt-BR → pt, C and POSIX → en."""
    name = locale_name.strip().split(".")[0].split("@")[0].replace("-", "_")
    if name.upper() in ("C", "POSIX"):
        return ENGLISH
    return name.split("_")[0].lower()


def _windows_display_language() -> str:
    """The language of Windows' display language (es for Spanish (Mexico)), else ""."""
    if sys.platform != "win32":
        return ""
    import ctypes
    import locale

    try:
        language_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()
    except (AttributeError, OSError):
        return ""
    return _language_of(locale.windows_locale.get(language_id, ""))


# The language in use: chosen once per process, changed only by `speaking`.
_current: list[str] = []


def language() -> str:
    """The code of the interface language in use (en, es)."""
    if not _current:
        _current.append(choose_language().code)
    return _current[-1]


def forget_language() -> None:
    """Choose the language again on the next message (for tests, which change the locale)."""
    _current.clear()


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Messages in `code` for the duration (an export written in another language)."""
    language()
    _current.append(code if code in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _current.pop()


@cache
def _catalogue(code: str) -> _gettext.NullTranslations:
    if code == ENGLISH:
        return _gettext.NullTranslations()
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as file:
            return _gettext.GNUTranslations(file)
    except OSError:
        # A build without the catalogue (it is compiled from the .po) still works, in English.
        return _gettext.NullTranslations()


def _(message: str) -> str:
    """`message` in the interface language."""
    return _catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the interface language."""
    return _catalogue(language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the sense `context` gives it ("month", "metavar"), translated."""
    return _catalogue(language()).pgettext(context, message)


def either(alternatives: Sequence[str]) -> str:
    """Alternatives as a sentence says them, in the interface language: "a", "a or b",
    "a, b or c" ("a, b o c" in Spanish), for every "did you mean …?"."""
    if len(alternatives) < 2:
        return "".join(alternatives)
    # Translators: the last of several alternatives ("--limit, --list or --lang"); {others} are
    # the ones before it, already joined by ", ".
    return _("{others} or {last}").format(
        others=", ".join(alternatives[:-1]), last=alternatives[-1]
    )


def N_(message: str) -> str:
    """Mark `message` for translation where it is shown, leaving it as it is here."""
    return message
