"""Tests for csec_cli.search (ranking) and the `csec search` command built on it."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from conftest import REPO, SEED, RunCli
from csec_cli import search
from csec_cli.catalogue import load_catalogue
from csec_cli.models import Resource
from csec_cli.render import highlight_text
from csec_cli.search import (
    DEFAULT_MIN_SCORE,
    match_vocabulary,
    rank_indexed,
    rank_resources,
    word_spans,
)
from csec_cli.search_index import build_search_index
from csec_cli.search_text import normalise_word


@pytest.fixture(scope="module")
def seed() -> list[Resource]:
    """The shipped seed catalogue's resources (read only)."""
    return load_catalogue(SEED).resources


def top_ids(resources: list[Resource], query: str, **options: float) -> list[str]:
    """Ids of the ranked hits, best first."""
    return [hit.resource.id for hit in rank_resources(resources, query, **options)]  # type: ignore[arg-type]


def write_catalogue(path: Path, *tables: dict[str, object]) -> Path:
    """A catalogue file holding exactly these resource tables."""
    path.write_text(tomli_w.dumps({"resources": list(tables)}), encoding="utf-8")
    return path


# --- ranking --------------------------------------------------------------------------------


def test_labour_inspectors_ranks_the_labour_inspection_pamphlet_first(seed: list[Resource]) -> None:
    """The issue's own example: title says "Labour Inspection", summary "labour inspectors"."""
    assert top_ids(seed, "labour inspectors")[0] == "labour-inspection-csec"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("labour inspecter", "labour-inspection-csec"),
        ("strategicaly media", "media-strategy"),
        ("Belise protocol", "belize-protocol"),
    ],
)
def test_typos_still_find_the_resource(seed: list[Resource], query: str, expected: str) -> None:
    """A misspelt word still matches its catalogue word."""
    assert top_ids(seed, query)[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("labor inspection", "labour-inspection-csec"),
        ("workers organisations", "workers-organizations"),
        ("institutionalisation", "costa-rica-national-plan"),
        ("victim care programmes", "belize-protocol"),
    ],
)
def test_uk_and_us_spellings_match_each_other(
    seed: list[Resource], query: str, expected: str
) -> None:
    """labour/labor, organisation/organization, -isation/-ization, programme/program match."""
    assert top_ids(seed, query)[0] == expected


def test_uk_and_us_spellings_score_the_same(seed: list[Resource]) -> None:
    """Neither spelling is penalised: both give the same ranking and scores."""
    uk = [(hit.resource.id, hit.score) for hit in rank_resources(seed, "labour organisations")]
    us = [(hit.resource.id, hit.score) for hit in rank_resources(seed, "labor organizations")]
    assert uk == us


@pytest.mark.parametrize(
    ("word", "canonical"),
    [
        ("labour", "labor"),
        ("labourers", "laborers"),
        ("organisation", "organization"),
        ("organisations", "organizations"),
        ("programme", "program"),
        ("centre", "center"),
        ("counselling", "counseling"),
        ("advise", "advise"),
        ("crisis", "crisis"),
    ],
)
def test_normalise_word_brings_spellings_to_one_form(word: str, canonical: str) -> None:
    """UK forms map to US ones; -ise words spelled alike in both are left alone."""
    assert normalise_word(word) == canonical


def test_accents_and_case_are_ignored_both_ways() -> None:
    """ "explotacion" finds "explotación" and "Panamá" finds "Panama"."""
    resources = [
        Resource(id="es", title="Explotación sexual comercial en Panama"),
        Resource(id="other", title="Child labour in agriculture"),
    ]
    assert top_ids(resources, "EXPLOTACION") == ["es"]
    assert top_ids(resources, "Panamá") == ["es"]


def test_word_order_does_not_matter(seed: list[Resource]) -> None:
    """Swapped words rank the same resource first."""
    assert top_ids(seed, "media work strategically")[0] == "media-strategy"
    assert top_ids(seed, "inspection labour")[0] == "labour-inspection-csec"


def test_a_phrase_from_the_summary_finds_the_resource(seed: list[Resource]) -> None:
    """Words found only in a summary are enough."""
    assert top_ids(seed, "telephone numbers of institutions")[0] == "labour-inspection-csec"
    assert top_ids(seed, "trade union leaders")[0] == "workers-organizations"


def test_a_country_finds_the_resources_about_it(seed: list[Resource]) -> None:
    """Countries (a list field) are searched too."""
    assert top_ids(seed, "Dominican Republic")[0] == "labour-inspection-csec"
    assert top_ids(seed, "Latin America and the Caribbean")[0] == "devinfo-lac-cse"


def test_resources_matching_every_word_rank_above_those_matching_some() -> None:
    """A multi-word query prefers the resource that has all of its words."""
    resources = [
        Resource(id="agriculture", title="Child labour in agriculture"),
        Resource(id="mining-safety", title="Safety in mining"),
        Resource(id="mining", title="Child labour in mining"),
    ]
    assert top_ids(resources, "child labour mining")[0] == "mining"


def test_the_title_counts_more_than_the_summary() -> None:
    """The same word ranks a resource higher when it is in the title."""
    resources = [
        Resource(id="summary", title="A report", summary="On trafficking in the region."),
        Resource(id="title", title="Trafficking in the region"),
    ]
    assert top_ids(resources, "trafficking") == ["title", "summary"]


@pytest.mark.parametrize("query", ["zzqxv", "quantum chromodynamics", "chocolate cake recipe"])
def test_junk_queries_return_nothing(seed: list[Resource], query: str) -> None:
    """A query that matches nothing meaningful returns no resources, not the least bad ones."""
    assert rank_resources(seed, query) == []


def test_an_exact_title_ranks_first() -> None:
    """A query equal to a title (any case, accents, punctuation) ranks it first, with score 100."""
    resources = [
        Resource(
            id="longer",
            title="World Report on Child Labour: Economic vulnerability - Executive Summary",
            summary="World report on child labour, world report, economic vulnerability.",
        ),
        Resource(id="exact", title="World Report on Child Labour: Economic vulnerability"),
    ]
    hits = rank_resources(resources, "world report on child labour economic vulnerability")
    assert hits[0].resource.id == "exact"
    assert hits[0].score == 100.0
    assert hits[1].score < 100.0


def test_min_score_adjusts_the_cutoff(seed: list[Resource]) -> None:
    """Lowering min_score admits weaker matches; raising it to 100 keeps only exact titles."""
    default = rank_resources(seed, "media prevention")
    loose = rank_resources(seed, "media prevention", min_score=0)
    assert len(loose) > len(default) > 0
    assert all(hit.score >= DEFAULT_MIN_SCORE for hit in default)
    assert rank_resources(seed, "media prevention", min_score=100) == []
    exact = rank_resources(
        seed,
        "Belize Protocol. How to care for child and adolescent victims of commercial sexual "
        "exploitation",
        min_score=100,
    )
    assert [hit.resource.id for hit in exact] == ["belize-protocol"]


def test_limit_keeps_the_best_hits_only(seed: list[Resource]) -> None:
    """limit=N returns the first N hits of the full ranking."""
    full = rank_resources(seed, "commercial sexual exploitation")
    assert len(full) > 3
    assert rank_resources(seed, "commercial sexual exploitation", limit=3) == full[:3]


def test_scores_are_between_0_and_100_and_descending(seed: list[Resource]) -> None:
    """Every score lies in 0..100 and hits come best first."""
    hits = rank_resources(seed, "children media", min_score=0)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)


def test_an_empty_or_stopword_query_returns_nothing(seed: list[Resource]) -> None:
    """Nothing meaningful to look for means no hits (rather than everything)."""
    assert rank_resources(seed, "") == []
    assert rank_resources(seed, "  of the  ") == []
    assert rank_resources([], "labour") == []


def test_a_prebuilt_index_ranks_like_rank_resources(seed: list[Resource]) -> None:
    """rank_indexed with a cached index gives exactly what rank_resources gives."""
    index = build_search_index(seed)
    for query in ("labour inspectors", "media", "zzqxv", "Belize"):
        assert rank_indexed(index, seed, query) == rank_resources(seed, query)


def test_matched_words_locate_the_title_words_to_highlight(seed: list[Resource]) -> None:
    """matched_words holds the resource's own words, so word_spans finds them in the title."""
    hit = rank_resources(seed, "labor inspecter")[0]
    title = hit.resource.title
    found = [title[start:end] for start, end in word_spans(title, hit.matched_words)]
    assert "Labour" in found
    assert "Inspection" not in found or "inspection" in hit.matched_words


def test_highlight_text_styles_spans_and_keeps_markup_literal() -> None:
    """Highlighted titles keep "[...]" as text and show control characters as escapes."""
    title = "[bold]Guide[/bold] \x1b[31m labour"
    text = highlight_text(title, word_spans(title, ["labour"]))
    assert text.plain == "[bold]Guide[/bold] \\x1b[31m labour"
    assert [text.plain[span.start : span.end] for span in text.spans] == ["labour"]


# --- the command ----------------------------------------------------------------------------


def test_search_command_ranks_labour_inspection_first(run_cli: RunCli) -> None:
    """`csec search "labour inspectors"` shows the pamphlet first, with its score."""
    result = run_cli("search", "labour inspectors")
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = [line for line in result.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert rows[0].split()[1] == "labour-inspection-csec"
    assert "score" in result.stdout


def test_search_json_prints_resources_with_a_numeric_score(run_cli: RunCli) -> None:
    """--json prints the ranked resource objects, each with a numeric score from 0 to 100."""
    result = run_cli("search", "media", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert len(data) >= 3
    assert data[0]["id"] == "media-strategy"
    for item in data:
        assert isinstance(item["score"], float | int)
        assert 0 <= item["score"] <= 100
        assert {"id", "title", "date", "summary", "countries"} <= set(item)
    assert [item["score"] for item in data] == sorted(
        (item["score"] for item in data), reverse=True
    )


def test_search_junk_says_so_on_stderr(run_cli: RunCli) -> None:
    """Nothing matching prints nothing on stdout, a helpful line on stderr, and exits 0."""
    result = run_cli("search", "zzqxv")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No resources match 'zzqxv'" in result.stderr
    assert "--min-score" in result.stderr


def test_search_junk_with_json_prints_an_empty_list(run_cli: RunCli) -> None:
    """With --json, no match is the empty JSON array and nothing else."""
    result = run_cli("search", "quantum chromodynamics", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr == ""


def test_search_limit_caps_the_rows(run_cli: RunCli) -> None:
    """--limit 2 shows the two best hits only."""
    result = run_cli("search", "commercial sexual exploitation", "--limit", "2", "--json")
    full = run_cli("search", "commercial sexual exploitation", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(full.stdout)[:2]


def test_search_limit_defaults_to_ten(run_cli: RunCli, tmp_path: Path) -> None:
    """Without --limit at most ten resources are shown."""
    tables = [{"id": f"survey-{n}", "title": f"Child labour survey {n}"} for n in range(12)]
    path = write_catalogue(tmp_path / "surveys.toml", *tables)
    result = run_cli("search", "child labour survey", "--json", path=path)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 10


def test_search_min_score_option_changes_the_cutoff(run_cli: RunCli) -> None:
    """--min-score 0 admits weaker hits; --min-score 101 is a usage error."""
    default = json.loads(run_cli("search", "media prevention", "--json").stdout)
    loose = json.loads(run_cli("search", "media prevention", "--min-score", "0", "--json").stdout)
    assert len(loose) > len(default)
    assert run_cli("search", "media", "--min-score", "101").exit_code == 2


def test_search_applies_the_shared_filters(run_cli: RunCli) -> None:
    """--type, --country and the other list filters narrow the hits."""
    result = run_cli("search", "media", "--type", "leaflet", "--json")
    assert result.exit_code == 0
    assert [item["id"] for item in json.loads(result.stdout)] == ["media-share-responsibility"]
    nothing = run_cli("search", "media", "--country", "Belize")
    assert nothing.exit_code == 0
    assert nothing.stdout == ""
    assert "drop some filters" in nothing.stderr


def test_search_prints_markup_and_escapes_in_titles_literally(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A title with rich markup or an escape sequence prints as written, never interpreted."""
    path = write_catalogue(
        tmp_path / "odd.toml",
        {"id": "pdf-guide", "title": "[PDF] [bold]Guide[/bold] for labour inspectors \x1b[31m"},
    )
    result = run_cli("search", "labour inspectors guide", path=path)
    assert result.exit_code == 0
    assert "[PDF] [bold]Guide[/bold]" in result.stdout
    assert "\x1b" not in result.stdout
    assert "\\x1b[31m" in result.stdout


def test_search_help_has_an_example(run_cli: RunCli) -> None:
    """The command's help explains itself with an example."""
    result = run_cli("search", "--help")
    assert result.exit_code == 0
    assert 'csec search "labour inspectors" --since 2008' in result.stdout


def test_installed_csec_searches(csec_process, catalogue: Path) -> None:  # type: ignore[no-untyped-def]
    """The installed `csec` script runs a search in a real process."""
    result = csec_process("--catalogue", str(catalogue), "search", "labour inspectors", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "labour-inspection-csec"


def test_a_limit_never_changes_the_order_of_the_best_hits() -> None:
    """With many near-ties (the 79 ILO listings), limit=N gives the first N of the full list."""
    listings = json.loads((REPO / "benchmarks" / "data" / "ilo-listings.json").read_text("utf-8"))
    resources = [
        Resource(id=f"r{number}", title=entry["title"], summary=entry["summary"] or None)
        for number, entry in enumerate(listings)
    ]
    for query in ("child labour", "child labour survey", "trafficking", "report", "children work"):
        full = rank_resources(resources, query)
        for limit in (1, 3, 10):
            assert rank_resources(resources, query, limit=limit) == full[:limit], (query, limit)


def copies_of_the_listings(copies: int) -> list[Resource]:
    """The 79 ILO listings `copies` times over, in English, Spanish or no language in turn: a
    catalogue with many near-ties."""
    listings = json.loads((REPO / "benchmarks" / "data" / "ilo-listings.json").read_text("utf-8"))
    return [
        Resource(
            id=f"r{copy}-{number}",
            title=entry["title"],
            summary=entry["summary"] or None,
            language=("en", "es", None)[(copy + number) % 3],
        )
        for copy in range(copies)
        for number, entry in enumerate(listings)
    ]


def test_bounding_the_thesaurus_terms_by_the_top_changes_no_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a limit, terms are looked up only for resources that could enter the top; the hits
    are those of ranking every resource, and the first N of the full list."""
    resources = copies_of_the_listings(12)
    index = build_search_index(resources)
    queries = (
        "child labour survey Thailand",
        "commercial sexual exploitation of children",
        "child labour Philippines",
        "trafficking children Mekong",
        "labour inspectors",
    )
    bounded = search._best_bounded
    used = []

    def spied(*arguments: Any, **options: Any) -> Any:
        found = bounded(*arguments, **options)
        used.append(found is not None)
        return found

    for limit in (1, 3, 10):
        for query in queries:
            monkeypatch.setattr(search, "_best_bounded", spied)
            fast = rank_indexed(index, resources, query, limit=limit)
            monkeypatch.setattr(search, "_best_bounded", lambda *_, **__: None)
            every = rank_indexed(index, resources, query, limit=limit)
            full = rank_indexed(index, resources, query)
            assert fast == every == full[:limit], (query, limit)
    assert any(used)  # the bound did the work for some queries, not only the fallback


def test_merging_terms_that_differ_in_one_word_changes_no_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Terms of one weight that differ in a single word are looked up as one term; every hit
    and score is what looking up each term on its own gives, and some terms were merged."""
    resources = copies_of_the_listings(3)
    index = build_search_index(resources)
    merged = search._merged_terms
    fewer = []

    def counted(terms: list[Any]) -> Any:
        found = merged(terms)
        fewer.append(len(found) < len([term for term in terms if all(term.words)]))
        return found

    def one_by_one(terms: list[Any]) -> Any:
        return [
            (term.weight, [tuple(entries) for entries in term.words])
            for term in terms
            if all(term.words)
        ]

    queries = (
        "trata de niños",
        "child labour survey Thailand",
        "explotación sexual comercial de niños",
        "trabajo infantil",
        "trafficking in children",
        "peores formas de trabajo infantil",
    )
    for query in queries:
        for limit in (None, 3):
            monkeypatch.setattr(search, "_merged_terms", counted)
            fast = rank_indexed(index, resources, query, limit=limit)
            monkeypatch.setattr(search, "_merged_terms", one_by_one)
            assert rank_indexed(index, resources, query, limit=limit) == fast, (query, limit)
    assert any(fewer)


def test_the_field_acronym_finds_titles_that_spell_it_out(seed: list[Resource]) -> None:
    """ "Q&A on CSEC" finds "Commercial sexual exploitation of children - Questions & Answers"."""
    assert top_ids(seed, "Q&A on CSEC")[0] == "questions-answers"


def test_matched_title_words_are_highlighted_on_a_colour_terminal(
    csec_process, catalogue: Path
) -> None:  # type: ignore[no-untyped-def]
    """With colour on, the title words that matched are styled and the others are not."""
    result = csec_process(
        "--catalogue",
        str(catalogue),
        "search",
        "labour inspectors",
        env={"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color"},
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b[1;33mLabour\x1b[0m" in result.stdout
    assert "\x1b[1;33mInspection\x1b[0m" in result.stdout
    assert "\x1b[1;33mcrimes" not in result.stdout


def test_a_typo_matches_a_related_word_when_the_exact_word_is_absent() -> None:
    """ "labour inspecter" finds a title that has only "inspection", not "inspectors"."""
    resources = [
        Resource(id="statistics", title="Labour statistics"),
        Resource(id="inspection", title="Labour inspection manual"),
    ]
    assert top_ids(resources, "labour inspecter")[0] == "inspection"


@pytest.mark.parametrize(
    ("query", "unrelated"),
    [("stolen", "toleran"), ("respuesta", "encuesta"), ("sindicatos", "indicadores")],
)
def test_a_typo_keeps_the_first_letter(query: str, unrelated: str) -> None:
    """A word is not taken for a misspelling of one that starts with another letter."""
    assert unrelated not in match_vocabulary(sorted([unrelated, "otro"]), query)


def test_a_typo_in_a_later_letter_still_matches() -> None:
    """ "inspecter" is still "inspection", and a letter dropped after the first still matches."""
    vocabulary = sorted(["inspection", "exploitation", "labour"])
    assert "inspection" in match_vocabulary(vocabulary, "inspecter")
    assert "exploitation" in match_vocabulary(vocabulary, "exploitaton")


def imported_modules(module: str) -> set[str]:
    """The modules a csec_cli module's source imports, by name (at top level or in functions)."""
    tree = ast.parse((REPO / "src" / "csec_cli" / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_search_modules_depend_one_way() -> None:
    """Ranking uses the index and the text folding; the index uses only the folding, never the
    ranking; the folding uses neither, so a change of scoring never touches the index code."""
    assert "csec_cli.search_index" in imported_modules("search")
    assert "csec_cli.search_text" in imported_modules("search_index")
    assert not {"csec_cli.search", "rapidfuzz"} & imported_modules("search_index")
    assert not {"csec_cli.search", "csec_cli.search_index"} & imported_modules("search_text")
