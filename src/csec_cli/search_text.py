"""How search reads text, alike for the catalogue's resources and for queries: folding and spelling.

Text is folded (case, accents, punctuation), cut into words, and UK/US spellings are brought to
one form (labour/labor, organisation/organization, programme/program ...), so that a query and a
resource compare alike. The index (search_index) and the ranking (search) both read text here.
"""

from __future__ import annotations

import re
import string
import unicodedata

from csec_cli.models import Resource

# Words that carry no meaning of their own: not indexed, and dropped from queries.
STOPWORDS = frozenset(
    "a an and the of in on for to with by from at as its it is are or how what who why about "  # noqa: SIM905
    "into this that these those be was were has have do does not no y de del la las el los en "
    "para por con".split()
)
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
    """A resource's type, audience, topics, countries and authors, folded loosely into one text."""
    return fold_loosely(
        " ; ".join(
            (
                resource.type or "",
                *resource.audience,
                *resource.topics,
                *resource.countries,
                *resource.authors,
            )
        )
    )


def spelling_rules() -> tuple[dict[str, str], dict[str, str], frozenset[str], str]:
    """normalise_word's rules as data (whole words, UK stems, -ise words kept, the -ise pattern).

    The HTML export's filter script applies them in the browser, so that "labor" typed there finds
    "labour" as search does.
    """
    return dict(_SPELLINGS), dict(_UK_STEMS), _ISE_KEPT, _ISE.pattern
