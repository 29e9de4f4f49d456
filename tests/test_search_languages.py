"""Tests for search across languages: stems, function words, thesaurus expansion, partial matches,
the reasons --explain gives, and the summary fragment shown when a title does not say why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli_w

from conftest import SEED, RunCli
from csec_cli.catalogue import load_catalogue
from csec_cli.languages import COMMON_LANGUAGES, language_code
from csec_cli.models import Resource
from csec_cli.search import SearchHit, query_words, rank_resources, summary_fragment
from csec_cli.search_index import build_search_index
from csec_cli.search_text import (
    LANGUAGE_OTHER,
    STEM_LANGUAGES,
    STOPWORDS,
    language_number,
    stem_words,
)


def resource(resource_id: str, title: str, language: str | None = None, **fields: str) -> Resource:
    """A resource with just what these tests need."""
    return Resource(id=resource_id, title=title, language=language, **fields)  # type: ignore[arg-type]


def ranked(resources: list[Resource], query: str) -> list[SearchHit]:
    """The hits of a query, with their reasons."""
    return rank_resources(resources, query, explain=True)


def hows(hit: SearchHit) -> set[str]:
    """How the query's words matched one hit."""
    return {match.how for match in hit.matches}


# --- stems ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title", "language"),
    [
        ("explotadas", "La explotación de adolescentes en la frontera", "es"),
        ("trabajadores", "El trabajo de los menores en Lima", "es"),
        ("inspectors", "Guidance on inspection visits", "en"),
        ("trabalhadores", "O trabalho das crianças no Nordeste", "pt"),
        ("explorados", "Exploração de crianças no turismo", "pt"),
        ("exploites", "Les enfants et leur exploitation", "fr"),
    ],
)
def test_a_word_finds_another_form_of_it_by_its_stem(query: str, title: str, language: str) -> None:
    """An inflected query word finds the resource using another form of it, as a stem match."""
    catalogue = [
        resource("target", title, language),
        resource("other", "Annual report of the regional office", "en"),
    ]
    hits = ranked(catalogue, query)
    assert [hit.resource.id for hit in hits] == ["target"]
    assert "stem" in hows(hits[0])


@pytest.mark.parametrize(
    "written",
    [*COMMON_LANGUAGES, "Castellano", "Español", "es-MX", "pt_BR", "Français", "Deutsch", "de"],
)
def test_search_reads_a_language_as_import_does(written: str) -> None:
    """The stemmer chosen for a resource's `language` is the language import reads in it
    (one table of names, languages.COMMON_LANGUAGES), and none for another language."""
    code = language_code(written)
    expected = STEM_LANGUAGES.index(code) + 1 if code in STEM_LANGUAGES else LANGUAGE_OTHER
    assert language_number(written) == expected


def test_unaccented_portuguese_and_french_words_stem_as_accented_ones() -> None:
    """Folding takes accents away; the stem of "exploracao" is still that of "exploração"."""
    assert stem_words(["exploracao", "exploracoes"], 3) == stem_words(["explorar"], 3) * 2
    assert stem_words(["securite"], 4) == stem_words(["secur"], 4)


def test_a_stem_counts_only_in_resources_of_its_language() -> None:
    """A Spanish stem ("trabajadores" → "trabaj") matches in a Spanish resource, not in one
    marked English that happens to hold the same word."""
    catalogue = [
        resource("es", "El trabajo de los menores", "es"),
        resource("en", "El trabajo de los menores", "en"),
    ]
    hits = {hit.resource.id: hit for hit in ranked(catalogue, "trabajadores")}
    assert hows(hits["es"]) == {"stem"}
    assert "en" not in hits or "stem" not in hows(hits["en"])
    assert "en" not in hits or hits["es"].score > hits["en"].score


def test_the_index_keeps_each_languages_stems_and_each_resources_language() -> None:
    """Stems are worked out once, when the index is built (and cached with it), not per search."""
    index = build_search_index(
        [resource("a", "Explotación laboral", "es"), resource("b", "Inspections", "en-GB")]
    )
    spanish = index.stems[STEM_LANGUAGES.index("es")]
    assert "explotacion" in spanish["explot"]
    assert "inspections" in index.stems[STEM_LANGUAGES.index("en")]["inspect"]
    assert list(index.languages) == [2, 1]


def test_function_words_of_each_language_are_dropped() -> None:
    """Articles and prepositions of en, es, pt and fr are stop words; São Paulo's "sao" is not."""
    assert {"the", "los", "das", "des", "pelo", "une"} <= STOPWORDS
    assert "sao" not in STOPWORDS and "sur" not in STOPWORDS


@pytest.mark.parametrize(
    ("query", "meaningful"),
    [
        ("trata con fines de explotación laboral", ["trata", "explotacion", "laboral"]),
        ("tráfico para fins de exploração", ["trafico", "exploracao"]),
        ("traite à des fins d'exploitation", ["traite", "exploitation"]),
        ("trafficking for the purpose of exploitation", ["trafficking", "exploitation"]),
        ("a través de la escuela", ["escuela"]),
    ],
)
def test_the_words_of_a_compound_preposition_are_function_words(
    query: str, meaningful: list[str]
) -> None:
    """ "fines" in "con fines de", "purpose" in "for the purpose of" work as a preposition does,
    in every language: they are not words to look for."""
    assert query_words(query) == meaningful


def test_a_word_of_a_compound_preposition_counts_on_its_own() -> None:
    """Outside the locution the word names something ("los fines del convenio")."""
    assert query_words("los fines del convenio") == ["fines", "convenio"]
    assert query_words("law and order") == ["law", "order"]


def test_a_compound_preposition_does_not_decide_the_ranking() -> None:
    """The resource on labour exploitation ranks above one sharing only "fines" and a word."""
    catalogue = [
        resource("sexual", "La trata con fines de explotación sexual", "es"),
        resource("labour", "Explotación laboral de adolescentes en la trata", "es"),
        resource("fines", "Los fines del convenio sobre la trata", "es"),
    ]
    hits = ranked(catalogue, "trata con fines de explotación laboral")
    assert hits[0].resource.id == "labour"
    assert all(match.query != "fines" for hit in hits for match in hit.matches)


def test_stems_do_not_join_what_the_thesaurus_keeps_apart() -> None:
    """ "niñas" (girls) and "niños" (children) share a Spanish stem, but the thesaurus files them
    under different concepts: a query for girls finds the girls' resource first."""
    catalogue = [
        resource("ninos", "Los niños en la minería", "es"),
        resource("girls", "Las niñas en la minería", "es"),
    ]
    hits = ranked(catalogue, "niñas minería")
    assert hits[0].resource.id == "girls"
    assert all(match.matched != "ninos" for match in hits[-1].matches if match.how == "stem")


def test_a_word_the_thesaurus_knows_gets_no_typo_matches() -> None:
    """ "minas" is a word of the field, not a misspelling of "niñas"."""
    catalogue = [resource("girls", "Niñas trabajadoras", "es")]
    assert ranked(catalogue, "minas") == []


# --- thesaurus ------------------------------------------------------------------------------


def test_a_query_finds_its_translation_through_the_thesaurus() -> None:
    """ "trata" finds the English resource on trafficking, and --explain says why."""
    catalogue = [
        resource("en", "Trafficking in persons: a handbook", "en"),
        resource("other", "Annual report of the regional office", "en"),
    ]
    hits = ranked(catalogue, "trata")
    assert [hit.resource.id for hit in hits] == ["en"]
    (match,) = hits[0].matches
    assert (match.query, match.how, match.field) == ("trata", "thesaurus", "title")
    assert match.matched.casefold().startswith("trafficking")
    assert match.concept == "trafficking"


def test_a_direct_match_outranks_a_thesaurus_match() -> None:
    """A resource using the query's own words ranks above one using an equivalent term."""
    catalogue = [
        resource("en", "Trafficking in persons in Mexico", "en"),
        resource("es", "Trata de personas en México", "es"),
    ]
    assert [hit.resource.id for hit in ranked(catalogue, "trata mexico")] == ["es", "en"]
    assert [hit.resource.id for hit in ranked(catalogue, "trafficking mexico")] == ["en", "es"]


def test_a_translated_title_matches_on_its_everyday_words_too() -> None:
    """ "La respuesta de la OIT a la ESC" finds "… the ILO's response" first: through the
    thesaurus it matches every word of the query in its title, while each Spanish resource lacks
    one of them ("OIT", or "respuesta") and has the others directly."""
    catalogue = [
        resource("en", "Commercial sexual exploitation of children: the ILO's response", "en"),
        resource(
            "es-response",
            "La explotación sexual comercial de niñas, niños y adolescentes en Guatemala",
            "es",
            summary="Entrevistas con adolescentes: causas, circunstancias y la respuesta del país.",
        ),
        resource(
            "es-ilo",
            "Explotación sexual comercial: guía para periodistas",
            "es",
            publisher="OIT/IPEC",
        ),
    ]
    hits = ranked(catalogue, "la respuesta de la OIT a la explotación sexual comercial")
    assert [hit.resource.id for hit in hits] == ["en", "es-ilo", "es-response"]
    assert ("respuesta", "response", "thesaurus", "title") in {
        (match.query, match.matched, match.how, match.field) for match in hits[0].matches
    }


@pytest.mark.parametrize(
    ("query", "title", "language", "concept"),
    [
        ("respuesta", "The ILO's response to child labour", "en", "response"),
        ("desafíos", "Challenges in the fight against child labour", "en", "challenges"),
        ("tendencias", "Global trends in child labour", "en", "trends"),
        ("role", "El papel de los empleadores", "es", "role"),
        ("action", "Guía para la acción institucional", "es", "action"),
        ("systematization", "Sistematización de experiencias en Nicaragua", "es", "systematization"),
        ("boletín temático", "Thematic bulletin on child labour", "en", "bulletin"),
        ("preguntas y respuestas", "Questions and answers on child labour", "en",
         "questions-and-answers"),
    ],
)  # fmt: skip
def test_the_everyday_words_of_titles_find_their_translations(
    query: str, title: str, language: str, concept: str
) -> None:
    """The words titles of this literature are made of ("response", "challenges", "guide for
    action") find their translations through the thesaurus, not by a chance resemblance."""
    hits = ranked([resource("r", title, language)], query)
    assert [hit.resource.id for hit in hits] == ["r"]
    assert ("thesaurus", concept) in {(match.how, match.concept) for match in hits[0].matches}


def test_questions_and_answers_is_not_a_response() -> None:
    """ "preguntas y respuestas" is one concept, so it does not find a title on a response."""
    catalogue = [
        resource("qa", "Questions and answers on child labour", "en"),
        resource("response", "The ILO's response to child labour", "en"),
    ]
    assert [hit.resource.id for hit in ranked(catalogue, "preguntas y respuestas")] == ["qa"]


def test_child_trafficking_does_not_expand_to_the_trafficking_of_adults() -> None:
    """Trafficking for sexual exploitation is a form of trafficking in persons, not of child
    trafficking: "trata infantil" finds the resource on children only."""
    catalogue = [
        resource("sex", "Sex trafficking in Europe", "en"),
        resource("children", "Trafficking in children in Europe", "en"),
    ]
    assert [hit.resource.id for hit in ranked(catalogue, "trata infantil")] == ["children"]


def test_acronyms_find_what_they_stand_for() -> None:
    """ "ESCNNA" finds the English title on commercial sexual exploitation of children."""
    catalogue = [
        resource("csec", "Commercial sexual exploitation of children in Central America", "en"),
        resource("other", "Child labour in agriculture", "en"),
    ]
    hits = ranked(catalogue, "ESCNNA")
    assert [hit.resource.id for hit in hits] == ["csec"]
    assert hits[0].matches[0].how == "thesaurus"


def test_a_phrase_the_thesaurus_knows_is_one_concept() -> None:
    """ "trabajo infantil" is found as child labour, not as "trabajo" and "infantil" apart."""
    catalogue = [
        resource("child-labour", "Child labour in the coffee harvest", "en"),
        resource("work", "Decent work for young people", "en"),
    ]
    hits = ranked(catalogue, "trabajo infantil")
    assert hits[0].resource.id == "child-labour"
    phrase = hits[0].matches[0]
    assert (phrase.query, phrase.how, phrase.concept) == (
        "trabajo infantil",
        "thesaurus",
        "child-labour",
    )
    assert len(hits[0].matches) == 1


def test_a_region_finds_its_countries_below_the_region_itself() -> None:
    """A narrower concept counts too ("Central America" finds Guatemala), below the region."""
    catalogue = [
        resource("guatemala", "Child labour survey", "en", countries=("Guatemala",)),  # type: ignore[arg-type]
        resource("region", "Child labour survey", "en", countries=("Central America",)),  # type: ignore[arg-type]
    ]
    hits = ranked(catalogue, "child labour survey central america")
    assert [hit.resource.id for hit in hits] == ["region", "guatemala"]
    assert "narrower" in hows(hits[1])


# --- partial matches ------------------------------------------------------------------------


SIALKOT = [
    resource("football", "Sialkot football stitching: a survey", "en"),
    resource("sialkot", "Update on the Sialkot project", "en"),
    resource("other", "Child labour in agriculture", "en"),
]


def test_a_word_the_catalogue_lacks_leaves_the_rest_of_the_query_working() -> None:
    """ "sialkot cricket" still finds what "sialkot" finds, each resource scoring lower."""
    alone = {hit.resource.id: hit.score for hit in ranked(SIALKOT, "sialkot")}
    partial = {hit.resource.id: hit.score for hit in ranked(SIALKOT, "sialkot cricket")}
    assert set(partial) == set(alone) == {"football", "sialkot"}
    assert all(partial[key] < alone[key] for key in partial)


def test_full_matches_rank_above_partial_ones() -> None:
    """With a word the catalogue lacks, the resource matching every other word outranks the
    one matching some."""
    hits = ranked(SIALKOT, "sialkot football cricket")
    assert [hit.resource.id for hit in hits][:1] == ["football"]
    everything = rank_resources(SIALKOT, "sialkot football cricket", min_score=0)
    assert [hit.resource.id for hit in everything][:2] == ["football", "sialkot"]


@pytest.mark.parametrize("query", ["qwxz zzkj", "kubernetes deployment", "sialkot"[::-1]])
def test_nonsense_still_finds_nothing(query: str) -> None:
    """A query none of whose words the catalogue knows finds nothing; nor does one whose only
    known-looking word is a typo-level resemblance ("deployment" for "employment")."""
    catalogue = [*SIALKOT, resource("jobs", "Youth employment programmes", "en")]
    assert ranked(catalogue, query) == []


# --- reasons and fragments ------------------------------------------------------------------


def test_summary_fragment_cuts_around_the_first_matched_word() -> None:
    """The fragment holds the matched word, marked where it stands, with "…" where it was cut."""
    summary = " ".join(["filler"] * 40 + ["labour", "inspectors", "visit"] + ["filler"] * 40)
    fragment, spans = summary_fragment(summary, ["inspectors"], width=60)
    assert fragment.startswith("…") and fragment.endswith("…")
    assert [fragment[start:end] for start, end in spans] == ["inspectors"]
    assert len(fragment) <= 62


def test_summary_fragment_is_empty_when_the_summary_does_not_match() -> None:
    """No matched word in the summary: no fragment."""
    assert summary_fragment("Nothing relevant here.", ["labour"]) == ("", [])
    assert summary_fragment(None, ["labour"]) == ("", [])


def write_catalogue(path: Path, *tables: dict[str, object]) -> Path:
    """A catalogue file holding exactly these resource tables."""
    path.write_text(tomli_w.dumps({"resources": list(tables)}), encoding="utf-8")
    return path


@pytest.fixture
def bilingual(tmp_path: Path) -> Path:
    """A small catalogue of a Spanish and an English resource."""
    return write_catalogue(
        tmp_path / "resources.toml",
        {
            "id": "trata-mexico",
            "title": "Diagnóstico nacional sobre la situación en México",
            "summary": "Estudio de la trata de personas con fines de explotación en el país.",
            "language": "es",
        },
        {
            "id": "trafficking-guide",
            "title": "Trafficking in persons: a handbook",
            "language": "en",
        },
    )


def test_explain_prints_why_each_resource_matched(run_cli: RunCli, bilingual: Path) -> None:
    """--explain lists, under the table, each hit's query words and how they matched."""
    result = run_cli("search", "trata", "--explain", path=bilingual)
    assert result.exit_code == 0, result.stderr
    why = result.stdout.split("Why they matched:")[1]
    assert "trata → trata (exact, summary)" in why
    assert "trata → trafficking (thesaurus: trafficking, title)" in why


def test_explain_json_carries_the_matches(run_cli: RunCli, bilingual: Path) -> None:
    """--explain --json gives each hit a `matches` list; plain --json keeps its shape."""
    result = run_cli("search", "trata", "--explain", "--json", path=bilingual)
    assert result.exit_code == 0, result.stderr
    data = {item["id"]: item for item in json.loads(result.stdout)}
    assert data["trafficking-guide"]["matches"] == [
        {
            "query": "trata",
            "matched": "trafficking",
            "how": "thesaurus",
            "field": "title",
            "concept": "trafficking",
        }
    ]
    assert 0 <= data["trata-mexico"]["score"] <= 100
    plain = json.loads(run_cli("search", "trata", "--json", path=bilingual).stdout)
    assert all("matches" not in item for item in plain)


def test_the_table_shows_the_summary_fragment_when_the_title_does_not_match(
    run_cli: RunCli, bilingual: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, a hit found by its summary shows the matching part of the summary under
    its title (piped output stays one resource a line, for grep)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich's switch: lay out as on a terminal
    result = run_cli("search", "trata", path=bilingual)
    assert result.exit_code == 0, result.stderr
    assert "Estudio de la trata de personas" in result.stdout
    assert "a handbook" in result.stdout
    assert result.stdout.count("Estudio") == 1


# --- acronyms -------------------------------------------------------------------------------


def test_an_unknown_acronym_finds_the_title_it_abbreviates() -> None:
    """An all-capital word found nowhere matches a title whose meaningful words begin with its
    letters, in order, function words skipped."""
    resources = [
        resource("plan", "II Plano Nacional de Enfrentamento ao Tráfico de Pessoas", "pt"),
        resource("other", "Plano de ação para a educação de pessoas", "pt"),
    ]
    hits = ranked(resources, "PNETP")
    assert [hit.resource.id for hit in hits] == ["plan"]
    assert [(match.matched, match.how) for match in hits[0].matches] == [
        ("plano nacional de enfrentamento ao trafico de pessoas", "initials")
    ]
    assert not ranked(resources, "pnetp")  # a lower-case word is a word, not initials
    assert not ranked(resources, "PNQZ")


@pytest.mark.parametrize(
    ("query", "title", "language"),
    [
        ("sex trade", "El comercio sexual con personas menores de edad", "es"),
        ("recogen basura", "Child scavenging on garbage dumps", "en"),
    ],
)
def test_the_field_s_common_wordings_are_in_the_thesaurus(
    query: str, title: str, language: str
) -> None:
    """Wordings the literature uses for a concept ("sex trade", "recoger basura") find its
    other terms."""
    assert [hit.resource.id for hit in ranked([resource("r", title, language)], query)] == ["r"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("niños", {"questions-answers", "ilo-response", "belize-protocol"}),
        ("medios de comunicación", {"media-strategy", "media-share-responsibility"}),
        # No resource of the seed is for journalists: those on the media, their broader concept.
        ("periodistas", {"media-strategy", "media-share-responsibility", "time-is-now-bulletin-6"}),
        ("sindicatos", {"workers-organizations"}),
    ],
)
def test_the_issue_s_spanish_queries_find_the_seed_s_english_resources(
    query: str, expected: set[str]
) -> None:
    """The queries issue 16 found nothing for on the seed (or an indicators system, for
    "sindicatos") find the English resources they are about, first."""
    hits = rank_resources(load_catalogue(SEED).resources, query)
    assert hits and hits[0].resource.id in expected, [hit.resource.id for hit in hits]
