"""How search reads text, alike for the catalogue's resources and for queries: folding and spelling.

Text is folded (case, accents, punctuation), cut into words, and UK/US spellings are brought to
one form (labour/labor, organisation/organization, programme/program ...), so that a query and a
resource compare alike. The index (search_index) and the ranking (search) both read text here.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence

from csec_cli.languages import common_language
from csec_cli.models import Resource

# Function words per language (articles, prepositions, conjunctions, pronouns and the commonest
# auxiliaries, picked from Snowball's stop lists): not indexed, and dropped from queries. The query's
# language is unknown, so they are dropped alike in every language; a word that is a function word
# in one of these languages but names something in another is kept (see _CONTENT_ELSEWHERE).
STOPWORDS_BY_LANGUAGE = {
    "en": "a an and the of in on for to with by from at as its it is are or how what who why "
    "about into this that these those be was were has have do does not no than their they which "
    "been but if so such we our you your his her he she them there between through during within "
    "among against",
    "es": "a al ante con contra de del desde durante e el en entre es esa esas ese eso esos esta "
    "estas este esto estos fue ha han hacia hasta hay la las le les lo los me mediante ni no nos "
    "o para pero por porque que quien quienes se segun ser si sin sobre son su sus tras u un una "
    "unas uno unos y cual cuales cuando como donde mas",
    "pt": "a ao aos as com como da das de do dos e em entre era esta estas este estes esse essa "
    "esses essas foi ha isso isto mas na nas nem no nos num numa o os ou para pela pelas pelo "
    "pelos por porque quando que se sem ser seu seus sua suas sao sob sobre tem um uma umas uns",
    "fr": "a au aux avec c ce ces cet cette d dans de des du elle elles en est et etre eux il ils "
    "j l la le les leur leurs m mais ne ni n on ont ou par pas pour qu que qui s sa sans se ses "
    "si son sont sous sur t un une vers",
}  # fmt: skip
# "son" (a son), "sao" (São Paulo), "sur" (south: Cono Sur, América del Sur), "suas" (SUAS, Brazil's
# social assistance system, where its child labour programme sits): content words too.
_CONTENT_ELSEWHERE = frozenset({"son", "sao", "sur", "suas"})
STOPWORDS = (
    frozenset(word for words in STOPWORDS_BY_LANGUAGE.values() for word in words.split())
    - _CONTENT_ELSEWHERE
)
# Compound prepositions, folded: together their words work as one function word ("trata con fines
# de explotación" is trafficking *for* exploitation), though apart each may name something ("los
# fines del convenio", "law and order"). Only the words that are not function words already are
# listed here in effect; chosen from each language's grammar (Spanish "locuciones prepositivas",
# Portuguese "locuções prepositivas", French "locutions prépositives", English complex
# prepositions), those common in this field's titles and summaries.
LOCUTIONS_BY_LANGUAGE = {
    "en": "for the purpose of; for the purposes of; in order to; by means of; with regard to; "
    "with respect to; in relation to; in terms of; on behalf of; as well as; according to; "
    "because of; due to; in accordance with; instead of; in spite of; on the basis of; "
    "in the context of; in the framework of",
    "es": "con fines de; con fines; con el fin de; a fin de; con la finalidad de; con el objeto de; "
    "con el objetivo de; con el proposito de; por medio de; a traves de; en cuanto a; acerca de; "
    "respecto a; respecto de; con respecto a; en relacion con; en relacion a; en materia de; "
    "a partir de; en el marco de; en torno a; junto a; junto con; ademas de; a pesar de; "
    "en lugar de; en vez de; por parte de; de acuerdo con; de acuerdo a; debido a; "
    "en funcion de; a raiz de",
    "pt": "para fins de; com fins de; a fim de; com o objetivo de; com a finalidade de; "
    "por meio de; atraves de; em relacao a; no ambito de; no ambito do; no ambito da; a partir de; "
    "em materia de; de acordo com; alem de; apesar de; em vez de; por parte de; em torno de; "
    "junto a; junto com; devido a",
    "fr": "a des fins de; aux fins de; afin de; au moyen de; a travers; par le biais de; "
    "en matiere de; dans le cadre de; a partir de; en ce qui concerne; au sujet de; a l egard de; "
    "en faveur de; grace a; a cause de; en raison de; au lieu de; aupres de; au dela de",
}  # fmt: skip


def _locutions_by_first_word() -> dict[str, list[tuple[str, ...]]]:
    """The compound prepositions as word tuples, by their first word, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for language, phrases in LOCUTIONS_BY_LANGUAGE.items():
        for phrase in phrases.split(";"):
            words = tuple(phrase.split())
            table.setdefault(words[0], []).append(words)
            if language == "fr" and words[-1] == "de":
                # Elided before a vowel: "à des fins d'exploitation" folds to "... fins d ...".
                table[words[0]].append((*words[:-1], "d"))
    for starting in table.values():
        starting.sort(key=len, reverse=True)
    return table


_LOCUTIONS = _locutions_by_first_word()


def locution_positions(words: Sequence[str]) -> set[int]:
    """Where in a folded text's words the words of a compound preposition stand."""
    found: set[int] = set()
    for start, word in enumerate(words):
        for locution in _LOCUTIONS.get(word, ()):
            if tuple(words[start : start + len(locution)]) == locution:
                found.update(range(start, start + len(locution)))
                break
    return found


def meaningful_words(words: Sequence[str]) -> list[str]:
    """A folded text's words less its function words: those of STOPWORDS, and the words of its
    compound prepositions."""
    inside = locution_positions(words) if not _LOCUTIONS.keys().isdisjoint(words) else set()
    return [
        word
        for position, word in enumerate(words)
        if word not in STOPWORDS and position not in inside
    ]


WORD = re.compile(r"[^\W_]+")
# Quotes, dashes, ellipsis, guillemets, no-break space, bullets: separators, like ASCII punctuation.
_TYPOGRAPHY = "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00ab\u00bb\u00a0\u00b7\u2022"
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_ASCII_FOLD = bytes.maketrans(
    (string.ascii_uppercase + string.punctuation + string.whitespace).encode("ascii"),
    (string.ascii_lowercase + " " * len(string.punctuation + string.whitespace)).encode("ascii"),
)

# UK and US spellings found in this field's literature, brought to one (US) form. Whole words
# first; then families of words sharing a UK stem; then the -ise/-isation rule.
_SPELLINGS = {
    "programme": "program", "programmes": "programs", "programmed": "programed",
    "centre": "center", "centres": "centers", "centred": "centered",
    "catalogue": "catalog", "catalogues": "catalogs", "catalogued": "cataloged",
    "dialogue": "dialog", "dialogues": "dialogs",
    "defence": "defense", "offence": "offense", "offences": "offenses", "licence": "license",
    "practise": "practice", "practised": "practiced",
    "ageing": "aging", "judgement": "judgment", "judgements": "judgments",
    "enrolment": "enrollment", "enrolments": "enrollments", "fulfil": "fulfill",
    "paediatric": "pediatric", "foetus": "fetus", "anaemia": "anemia", "grey": "gray",
    "counselling": "counseling", "counsellor": "counselor", "counsellors": "counselors",
    "counselled": "counseled", "travelling": "traveling", "travelled": "traveled",
    "modelling": "modeling", "labelled": "labeled", "labelling": "labeling",
    "analyse": "analyze", "analysed": "analyzed", "analyses": "analyzes", "analysing": "analyzing",
    "towards": "toward",
}  # fmt: skip
_UK_STEMS = {
    "labour": "labor", "favour": "favor", "behaviour": "behavior", "colour": "color",
    "honour": "honor", "neighbour": "neighbor", "harbour": "harbor", "rumour": "rumor",
    "endeavour": "endeavor", "humour": "humor", "vigour": "vigor", "saviour": "savior",
}  # fmt: skip
_UK_STEM_STARTS = tuple({stem[:3] for stem in _UK_STEMS})
_ISE = re.compile(r"(?<=.{3})is(e|es|ed|ing|ation|ations|ational|er|ers)$")
# Common -ise words that are spelled -ise in US English too; left alone.
_ISE_KEPT = frozenset(
    "advise advised advises advising exercise exercised exercises otherwise revise revised "  # noqa: SIM905
    "supervise supervised supervising supervises promise promised promises enterprise "
    "enterprises precise concise expertise surprise surprised compromise compromised premise "
    "premises franchise merchandise disguise comprise comprised comprises devise devised "
    "televised improvise arise arises raise raised raises praise noise cruise paradise "
    "treatise demise despise wise likewise clockwise".split()
)


def normalise_word(word: str) -> str:
    """One folded word in its canonical spelling ("labour" and "labor" both become "labor")."""
    spelled = _SPELLINGS.get(word)
    if spelled is not None:
        return spelled
    if word.startswith(_UK_STEM_STARTS):
        for stem, us_stem in _UK_STEMS.items():
            if word.startswith(stem):
                return us_stem + word[len(stem) :]
    if "is" in word and word not in _ISE_KEPT:
        return _ISE.sub(lambda match: "iz" + match.group(1), word)
    return word


def fold_words(text: str) -> str:
    """Text folded for comparison: no case, accents or punctuation, words single-spaced."""
    return " ".join(fold_loosely(text).split())


def fold_loosely(text: str) -> str:
    """Like fold_words, but spaces may repeat: enough for splitting, and cheaper."""
    if not text.isascii():
        # As models.fold_text does, but with C-speed steps, and typographic quotes and dashes
        # made plain first, so that most Latin-script text then takes the ASCII path below.
        for mark in _TYPOGRAPHY:
            if mark in text:
                # str.replace scans in C; str.translate with a table is far slower on long text.
                text = text.replace(mark, " ")
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        text = _COMBINING_MARKS.sub("", decomposed)
        if not text.isascii():
            return " ".join(WORD.findall(text))
    # One C pass over bytes: A-Z to a-z, punctuation and line breaks to spaces.
    return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")


def folded_details(resource: Resource) -> str:
    """A resource's type, audience, topics, countries, authors, publisher and series, folded
    loosely into one text (people look for "OIT" or "UNICEF" as often as for a subject, and for a
    series by its name: "PNAD Contínua", "¡Ya es hora!")."""
    return fold_loosely(
        " ; ".join(
            (
                resource.type or "",
                *resource.audience,
                *resource.topics,
                *resource.countries,
                *resource.authors,
                resource.publisher or "",
                resource.series or "",
            )
        )
    )


def spelling_rules() -> tuple[dict[str, str], dict[str, str], frozenset[str], str]:
    """normalise_word's rules as data (whole words, UK stems, -ise words kept, the -ise pattern).

    The HTML export's filter script applies them in the browser, so that "labor" typed there finds
    "labour" as search does.
    """
    return dict(_SPELLINGS), dict(_UK_STEMS), _ISE_KEPT, _ISE.pattern


# The languages search stems in: a resource's by its `language` field, a query's in all of them.
STEM_LANGUAGES = ("en", "es", "pt", "fr")
_SNOWBALL_NAMES = ("english", "spanish", "portuguese", "french")
# How a resource's `language` names a stemming language (0 = not known, so any may apply; 5 = a
# language csec has no stemmer for). Codes are read loosely: "es", "es-MX", "spa", "Spanish"
# (languages.common_language).
LANGUAGE_UNKNOWN, LANGUAGE_OTHER = 0, 5
# Folding takes away accents that some Snowball suffix rules look for (Portuguese -ção, -ável,
# French -ité, -ée), and people type queries without them; so those endings get them back before
# stemming, and "exploracao" stems as "exploração" does.
_ACCENTED_ENDINGS = (
    (),
    (),
    (
        ("acoes", "ações"), ("acao", "ação"), ("ucoes", "uções"), ("ucao", "ução"),
        ("ancias", "âncias"), ("ancia", "ância"), ("encias", "ências"), ("encia", "ência"),
        ("aveis", "áveis"), ("avel", "ável"), ("iveis", "íveis"), ("ivel", "ível"),
        ("oes", "ões"), ("aes", "ães"), ("ao", "ão"),
    ),
    (("ites", "ités"), ("ite", "ité"), ("ees", "ées"), ("ee", "ée")),
)  # fmt: skip
_stemmers: list[object] = []


def language_number(language: str | None) -> int:
    """Which of STEM_LANGUAGES (1-4) a resource's `language` field names; 0 unknown, 5 other."""
    if not language:
        return LANGUAGE_UNKNOWN
    code = common_language(language)
    return STEM_LANGUAGES.index(code) + 1 if code in STEM_LANGUAGES else LANGUAGE_OTHER


def stem_words(words: list[str], language: int) -> list[str]:
    """The Snowball stems (folded) of folded words, in one of STEM_LANGUAGES (numbered 1-4)."""
    if not _stemmers:
        import Stemmer  # C, ~1 ms to import; only a search that stems pays it

        for name in _SNOWBALL_NAMES:
            stemmer = Stemmer.Stemmer(name)
            # Its cache costs more than it saves: stemming is about a microsecond a word.
            stemmer.maxCacheSize = 0
            _stemmers.append(stemmer)
    endings = _ACCENTED_ENDINGS[language - 1]
    if endings:
        words = [_accented(word, endings) for word in words]
    stems: list[str] = _stemmers[language - 1].stemWords(words)  # type: ignore[attr-defined]
    return [stem if stem.isascii() else fold_words(stem) for stem in stems]


def _accented(word: str, endings: tuple[tuple[str, str], ...]) -> str:
    """A folded word with the accents of its ending put back, where a suffix rule needs them."""
    for plain, accented in endings:
        if word.endswith(plain) and len(word) > len(plain) + 2:
            return word[: -len(plain)] + accented
    return word
