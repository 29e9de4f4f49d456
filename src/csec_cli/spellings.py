"""One rule for when two field values are the same value spelled another way, or nearly so.

Filters, stats, `check`, `add`, `edit` and `import` all decide it here, so a value that one of
them treats as known is treated so by all. Two values are

- *alike* when they have the same key (value_key): folded like search folds text (case,
  accents, punctuation), UK spellings in their US form, English plurals made singular. So
  "Labour Inspector", "labor inspectors" and "labour inspectors" are alike. Filters match alike
  values, stats counts them as one, `check` warns that the value is spelled several ways.
- *close* when not alike but one slip apart (keys_close): the same words but one, and that one
  a letter changed, added, dropped or two swapped ("manuel"/"manual"), or only the spacing
  differs ("childcare"/"child care"). `add`, `edit` and `import` warn, `check` warns, and a
  filter that matches nothing suggests them.

value_key is the one place to change how values fold (a stemmer, say): the rest only compares
keys. Names of people (authors) are keyed by name_key instead, folded only: "Adams" is no
plural of "Adam", nor "Louise" a UK spelling of "Louize".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import chain
from operator import attrgetter

from csec_cli.models import LIST_FIELDS, Resource
from csec_cli.search_text import fold_words, normalise_word

# English plurals that adding or dropping an "s" does not make.
_IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "person"}
# Singular words that end in "s": "business", "status", "analysis".
_SINGULAR_ENDINGS = ("ss", "us", "is")
_ES_PLURALS = ("sses", "xes", "ches", "shes", "zzes")
# A slip is only suspected in words this long: in shorter ones one letter makes another word
# ("Iran"/"Iraq", "Mali"/"Bali").
_SLIP_MIN_LENGTH = 5
# Words this long may hold two slips ("trafficing" → "trafficking" is one; "exploitaton" too).
_TWO_SLIP_LENGTH = 10


def singular(word: str) -> str:
    """A folded English word in the singular, by a small explicit rule (not a dictionary):
    "inspectors" → "inspector", "countries" → "country", "churches" → "church",
    "children" → "child"; words under four letters and "-ss", "-us", "-is" words are kept."""
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    if len(word) < 4 or not word.endswith("s") or word.endswith(_SINGULAR_ENDINGS):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(_ES_PLURALS):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=65536)
def value_key(text: str) -> str:
    """The key two alike values share: "Labour Inspectors" and "labor inspector" both give
    "labor inspector". Cached: a catalogue repeats its values many times."""
    return " ".join(singular(normalise_word(word)) for word in fold_words(text).split())


def name_key(text: str) -> str:
    """The key of a person's name: case, accents and punctuation folded, nothing more."""
    return fold_words(text)


# Fields that hold names of people, compared by name_key.
NAME_FIELDS = frozenset({"authors"})


def key_for(field_name: str) -> Callable[[str], str]:
    """How values of one field are keyed: name_key for names of people, else value_key."""
    return name_key if field_name in NAME_FIELDS else value_key


def words_close(first: str, second: str) -> bool:
    """True when two different words are one slip apart (two in words of 10 letters or more):
    letters only, at least 5 of them, the same first letter (slips rarely hit it, while
    "Gambia"/"Zambia" are two countries)."""
    from rapidfuzz.distance import OSA

    if first == second or first[:1] != second[:1]:
        return False
    if min(len(first), len(second)) < _SLIP_MIN_LENGTH:
        return False
    if not (first.isalpha() and second.isalpha()):
        return False  # "2008"/"2009", "No 5"/"No 6": a digit changed is another resource
    allowed = 1 if max(len(first), len(second)) < _TWO_SLIP_LENGTH else 2
    if abs(len(first) - len(second)) > allowed:
        return False
    return bool(OSA.distance(first, second, score_cutoff=allowed) <= allowed)


def keys_close(first: str, second: str) -> bool:
    """True when two different keys differ only in spacing, or in one word that is one slip
    away from the other's (words_close)."""
    if first == second:
        return False
    if first.replace(" ", "") == second.replace(" ", ""):
        return True
    first_words, second_words = first.split(), second.split()
    if len(first_words) != len(second_words):
        return False
    differing = [(a, b) for a, b in zip(first_words, second_words, strict=True) if a != b]
    return len(differing) == 1 and words_close(*differing[0])


def count_field_values(resources: Iterable[Resource], field_name: str) -> Counter[str]:
    """How often each spelling is used in one field (type, audience, …), counted in C (map,
    chain, Counter): filters, check and import count whole catalogues."""
    values = map(attrgetter(field_name), resources)
    if field_name in LIST_FIELDS:
        return Counter(chain.from_iterable(values))
    return Counter(filter(None, values))


class KnownValues:
    """The values one field has, counted by spelling and grouped by key, to answer "is this
    value known, alike or close to a known one?" without comparing it with every value.

    Close keys are found through buckets of keys equal but for one word (and that word's first
    letter), so a catalogue's few thousand distinct values are never compared pairwise.
    """

    @classmethod
    def of_field(cls, resources: Iterable[Resource], field_name: str) -> KnownValues:
        """The values one field has in `resources`, keyed as that field is (key_for)."""
        known = cls(key=key_for(field_name))
        for spelling, uses in count_field_values(resources, field_name).items():
            known.add(spelling, uses)
        return known

    def __init__(
        self, values: Iterable[str] = (), *, key: Callable[[str], str] = value_key
    ) -> None:
        self._key = key
        self.counts: Counter[str] = Counter()
        self._spellings: dict[str, Counter[str]] = {}
        self._buckets: dict[tuple[int, int, tuple[str, ...], str], dict[str, str]] = {}
        self._unspaced: dict[str, set[str]] = {}
        for value in values:
            self.add(value)

    def add(self, value: str, uses: int = 1) -> None:
        """Count `uses` more uses of `value` as spelled."""
        key = self._key(value)
        if not key:
            return
        if key not in self._spellings:
            self._spellings[key] = Counter()
            words = key.split()
            for position, word in enumerate(words):
                rest = (*words[:position], *words[position + 1 :])
                bucket = (len(words), position, rest, word[:1])
                self._buckets.setdefault(bucket, {})[word] = key
            self._unspaced.setdefault(key.replace(" ", ""), set()).add(key)
        self._spellings[key][value] += uses
        self.counts[key] += uses

    def __contains__(self, key: object) -> bool:
        return key in self._spellings

    def keys_by_use(self) -> list[str]:
        """Every key, most used first (ties in key order)."""
        return sorted(self._spellings, key=lambda key: (-self.counts[key], key))

    def spellings(self, key: str) -> list[tuple[str, int]]:
        """The spellings of one key with their counts, most used first (ties: the first
        added, which in a catalogue is the one used first)."""
        return self._spellings.get(key, Counter()).most_common()

    def preferred(self, key: str) -> str:
        """The key's most used spelling: the one to propose and to show."""
        return self.spellings(key)[0][0]

    def close_keys(self, key: str) -> list[str]:
        """The known keys close to `key` (keys_close), most used first."""
        found = set(self._unspaced.get(key.replace(" ", ""), ()))
        words = key.split()
        for position, word in enumerate(words):
            rest = (*words[:position], *words[position + 1 :])
            bucket = self._buckets.get((len(words), position, rest, word[:1]), {})
            found.update(known for other, known in bucket.items() if words_close(word, other))
        found.discard(key)
        return sorted(found, key=lambda known: (-self.counts[known], known))

    def close_pairs(self) -> list[tuple[str, str]]:
        """Every pair of close keys, each once, the less used first."""
        pairs: set[tuple[str, str]] = set()
        for keys in self._unspaced.values():
            pairs.update((a, b) for a in keys for b in keys if a < b)
        for bucket in self._buckets.values():
            words = sorted(bucket)
            for index, word in enumerate(words):
                for other in words[index + 1 :]:
                    if words_close(word, other):
                        pairs.add(tuple(sorted((bucket[word], bucket[other]))))  # type: ignore[arg-type]
        ordered = [
            (a, b) if (self.counts[a], b) <= (self.counts[b], a) else (b, a) for a, b in pairs
        ]
        return sorted(ordered, key=lambda pair: (pair[1], pair[0]))

    def propose(self, value: str) -> str | None:
        """The known spelling to use for `value`: None when it is known as spelled or new;
        else the preferred spelling of its alike key, or of the most used close key."""
        key = self._key(value)
        if key in self._spellings:
            return None if value in self._spellings[key] else self.preferred(key)
        close = self.close_keys(key)
        return self.preferred(close[0]) if close else None
