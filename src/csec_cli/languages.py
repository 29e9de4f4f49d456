"""Languages as files name them ("Spanish", "español", "Português", "en-US", "spa") read as ISO 639-1 codes.

The names and codes come from langcodes and its language-data (the CLDR's names of every language
in every language), imported on first use: only `import` needs them, never start-up. The
languages csec's users catalogue in most are also named in a small table read without them,
which search uses to tell the language of a resource.
"""

from __future__ import annotations

import functools
import re

from csec_cli.models import fold_text

# The codes and names of the four languages of the thesaurus and the stemmers, folded (no case
# or accents), as people write them in English, Spanish, Portuguese and French. Read without
# langcodes, so that search costs nothing more to start; and the CLDR lacks some of them:
# "castellano", and the names typed without their accents ("espanol", "portugues").
COMMON_LANGUAGES = {
    "en": "en", "eng": "en", "english": "en", "ingles": "en",
    "es": "es", "spa": "es", "spanish": "es", "espanol": "es", "castellano": "es",
    "pt": "pt", "por": "pt", "portuguese": "pt", "portugues": "pt",
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "frances": "fr", "francais": "fr",
}  # fmt: skip
# The patterns below are compiled on first use (re keeps them): search imports this module for
# COMMON_LANGUAGES, and a catalogue's stored codes never need them.
_WORD = r"[^\W_]+"
# A value naming more than one language ("Spanish; English", "es/en") is not one language: the
# name lookup would quietly keep its first word.
_SEVERAL = r"(?i)[;,/&+]|\s(?:and|y|e|et|ou|o|or)\s"
# What a language tag looks like (BCP 47: "es", "spa", "en-US", "pt_BR", "zh-Hans-CN").
_TAG = r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$"


def common_language(value: str) -> str | None:
    """The code of one of COMMON_LANGUAGES that a value names by its first word ("es-MX",
    "Spanish (Mexico)" → es), else None; quick, and loose: for telling which stemmer applies."""
    code = COMMON_LANGUAGES.get(value)  # most values are stored codes ("es")
    if code is None:
        first = re.search(_WORD, fold_text(value))
        code = COMMON_LANGUAGES.get(first.group()) if first else None
    return code


@functools.lru_cache(maxsize=512)
def language_code(value: str) -> str | None:
    """The ISO 639-1 code a language tag or name stands for, or None when it names no language
    that has one (a typo, several languages, or a language with only a three-letter code)."""
    text = " ".join(value.split())
    if not text or re.search(_SEVERAL, text):
        return None
    common = COMMON_LANGUAGES.get(fold_text(text))
    if common is not None:
        return common
    import langcodes

    if re.match(_TAG, text):
        try:
            tag = langcodes.Language.get(text.replace("_", "-"))
        except (ValueError, LookupError):  # a malformed tag: it may still be a name ("Ewe")
            tag = None
        if tag is not None and tag.language and tag.is_valid():
            return tag.language if len(tag.language) == 2 else None
    try:
        found = langcodes.find(text)
    except LookupError:
        return None
    code = found.language
    return code if code is not None and len(code) == 2 else None
