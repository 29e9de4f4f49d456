"""What the HTML page's filter box knows: UK/US spellings and the thesaurus terms of its resources.

The page must work offline, so what it knows travels inside it: the spelling rules search uses
(search_text), and the terms of the thesaurus concepts that the exported resources mention, with
their broader concepts. A concept no resource mentions is left out: typing one of its terms could
only find the resources that contain the words typed, which the box finds anyway.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from csec_cli.models import Resource
from csec_cli.search_text import normalise_word, spelling_rules
from csec_cli.thesaurus_data import Thesaurus

# Letters and digits, as the page's script splits words (/[\p{L}\p{N}]+/gu).
_WORD = re.compile(r"[^\W_]+")


def page_words(text: str) -> list[str]:
    """Words as the page's script reads them: no case, no accents, UK/US spelling made one."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return [normalise_word(word) for word in _WORD.findall(plain)]


def page_key(term: str) -> str:
    """A term as the page looks it up: its page words, single-spaced."""
    return " ".join(page_words(term))


def resource_text(resource: Resource) -> str:
    """The text of a resource the page shows, which is the text its filter box searches."""
    parts = [resource.title, resource.type or "", resource.summary or ""]
    return " ".join([*parts, *resource.audience, *resource.topics, *resource.countries])


def concepts_mentioned(resources: Iterable[Resource], thesaurus: Thesaurus) -> set[str]:
    """Ids of the concepts whose terms occur, as whole words, in the resources' shown text."""
    terms: dict[str, set[str]] = {}
    for concept in thesaurus.concepts.values():
        for term in concept.all_terms():
            key = page_key(term)
            if key:
                terms.setdefault(key, set()).add(concept.id)
    # Every first part of a term, so a scan stops as soon as no term can start this way.
    prefixes = {
        " ".join(key.split()[:size]) for key in terms for size in range(1, key.count(" ") + 1)
    }
    longest = max((key.count(" ") + 1 for key in terms), default=0)
    found: set[str] = set()
    for resource in resources:
        words = page_words(resource_text(resource))
        for start in range(len(words)):
            for end in range(start + 1, min(start + longest, len(words)) + 1):
                phrase = " ".join(words[start:end])
                found.update(terms.get(phrase, ()))
                if phrase not in prefixes:
                    break
    return found


def filter_vocabulary(resources: Iterable[Resource], thesaurus: Thesaurus) -> dict[str, Any]:
    """The page's data: spelling rules, and each mentioned concept's terms and broader concept.

    `terms[i]` is concept i's page keys joined by "|"; `broader[i]` is the index of its broader
    concept, or -1. The broader concepts of mentioned ones come too, so that typing "sexual
    exploitation" also shows a resource that only says "child pornography".
    """
    mentioned = concepts_mentioned(resources, thesaurus)
    order: list[str] = []
    for concept_id in sorted(mentioned):
        seen: set[str] = set()
        while concept_id and concept_id not in seen and concept_id in thesaurus.concepts:
            seen.add(concept_id)
            if concept_id not in order:
                order.append(concept_id)
            concept_id = thesaurus.concepts[concept_id].broader or ""
    position = {concept_id: index for index, concept_id in enumerate(order)}
    terms = []
    broader = []
    for concept_id in order:
        concept = thesaurus.concepts[concept_id]
        keys = dict.fromkeys(key for key in map(page_key, concept.all_terms()) if key)
        terms.append("|".join(keys))
        broader.append(position.get(concept.broader or "", -1))
    spellings, stems, kept, ise = spelling_rules()
    return {
        "spellings": spellings,
        "stems": [part for stem in stems.items() for part in stem],
        "kept": " ".join(sorted(kept)),
        "ise": ise,
        "terms": terms,
        "broader": broader,
    }
