"""Languages as files name them ("Spanish", "español", "Português", "en-US", "spa") read as ISO 639-1 codes.

The names and codes come from langcodes and its language-data (the CLDR's names of every language
in every language), imported on first use: only `import` needs them, never start-up.
"""

from __future__ import annotations

import functools
import re

# A value naming more than one language ("Spanish; English", "es/en") is not one language: the
# name lookup would quietly keep its first word.
_SEVERAL = re.compile(r"[;,/&+]|\s(?:and|y|e|et|ou|o|or)\s", re.IGNORECASE)
# What a language tag looks like (BCP 47: "es", "spa", "en-US", "pt_BR", "zh-Hans-CN").
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


@functools.lru_cache(maxsize=512)
def language_code(value: str) -> str | None:
    """The ISO 639-1 code a language tag or name stands for, or None when it names no language
    that has one (a typo, several languages, or a language with only a three-letter code)."""
    text = " ".join(value.split())
    if not text or _SEVERAL.search(text):
        return None
    import langcodes

    if _TAG.match(text):
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
