"""Tests for thesaurus_data: the shipped thesaurus, a team's own terms, validation, lookup."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from csec_cli import thesaurus_data
from csec_cli.thesaurus_data import (
    ENV_VAR,
    LANGUAGES,
    SHIPPED_PATH,
    fold_term,
    load_thesaurus,
    parse_thesaurus,
    team_thesaurus_path,
)

NO_TEAM: dict[str, str] = {ENV_VAR: ""}


def write(path: Path, text: str) -> Path:
    """Write a thesaurus file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_thesaurus_is_valid_and_broad() -> None:
    """The shipped file parses without a single problem and has at least 300 concepts."""
    thesaurus = load_thesaurus(environ=NO_TEAM)
    assert [str(problem) for problem in thesaurus.problems] == []
    assert len(thesaurus.concepts) >= 300


def test_shipped_concepts_have_terms_in_english_and_spanish() -> None:
    """Every shipped concept can be reached from English and from Spanish."""
    thesaurus = load_thesaurus(environ=NO_TEAM)
    lacking = [
        concept.id
        for concept in thesaurus.concepts.values()
        if not concept.preferred("en") or not concept.preferred("es")
    ]
    assert lacking == []


@pytest.mark.parametrize(
    ("term", "concept_id"),
    [
        ("CSEC", "csec"),
        ("ESCNNA", "csec"),
        ("ESCI", "csec"),
        ("ESC", "csec"),
        ("WFCL", "wfcl"),
        ("PFTI", "wfcl"),
        ("ILO", "ilo"),
        ("OIT", "ilo"),
        ("IPEC", "ipec"),
        ("C182", "c182"),
        ("Convenio 182", "c182"),
        ("Convenção 182", "c182"),
        ("C138", "c138"),
        ("CRC", "crc"),
        ("CDN", "crc"),
        ("Palermo Protocol", "palermo-protocol"),
        ("Optional Protocol", "opsc"),
        ("child domestic work", "child-domestic-work"),
        ("trabajo infantil doméstico", "child-domestic-work"),
        ("trata", "trafficking"),
        ("trata de personas", "trafficking"),
        ("child pornography", "csam"),
        ("pornografía infantil", "csam"),
        ("child sexual abuse material", "csam"),
        ("sex tourism", "sex-tourism"),
        ("exploitation in travel and tourism", "sex-tourism"),
        ("turismo sexual", "sex-tourism"),
        ("sale of children", "sale-of-children"),
        ("early marriage", "child-marriage"),
        ("grooming", "grooming"),
        ("labour inspection", "labour-inspection"),
        ("inspección del trabajo", "labour-inspection"),
        ("inspeção do trabalho", "labour-inspection"),
        ("trade unions", "trade-unions"),
        ("sindicatos", "trade-unions"),
        ("empleadores", "employers"),
        ("ONG", "ngos"),
        ("periodistas", "journalists"),
        ("medios de comunicación", "media"),
        ("niños", "children"),
        ("niñas", "girls"),
        ("crianças", "children"),
        ("enfants", "children"),
        ("adolescentes", "adolescents"),
        ("menores de edad", "minors"),
        ("minors", "minors"),
        ("boys", "boys"),
        ("mining", "mining"),
        ("fishing", "fishing"),
        ("agriculture", "agriculture"),
        ("brickmaking", "brickmaking"),
        ("street work", "street-work"),
        ("México", "mexico"),
        ("Mexique", "mexico"),
        ("Brésil", "brazil"),
        ("Centroamérica", "central-america"),
        ("Central America", "central-america"),
        ("América Latina y el Caribe", "latin-america-caribbean"),
        ("República Dominicana", "dominican-republic"),
        ("Belice", "belize"),
        ("Panamá", "panama"),
        ("Perú", "peru"),
    ],
)
def test_issue_terms_are_in_the_shipped_thesaurus(term: str, concept_id: str) -> None:
    """The acronyms, terms and place names the issue names lead to their concept."""
    assert concept_id in load_thesaurus(environ=NO_TEAM).lookup(term)


def test_lookup_ignores_case_accents_and_punctuation() -> None:
    """What users type without accents or commas finds the same concept as the written term."""
    thesaurus = load_thesaurus(environ=NO_TEAM)
    assert thesaurus.lookup("ninos ninas y adolescentes") == thesaurus.lookup(
        "Niños, niñas y adolescentes"
    )
    assert thesaurus.lookup("PANAMA") == thesaurus.lookup("Panamá")
    assert fold_term("  VIH/sida ") == "vih sida"


def test_every_language_key_is_a_known_language() -> None:
    """Concepts carry terms only under en, es, pt and fr."""
    thesaurus = load_thesaurus(environ=NO_TEAM)
    assert {key for concept in thesaurus.concepts.values() for key in concept.terms} <= set(
        LANGUAGES
    )


def test_team_file_adds_concepts_and_terms(tmp_path: Path) -> None:
    """A team file adds a new concept and new terms to a shipped concept, keeping csec's own."""
    team = write(
        tmp_path / "extra.toml",
        '[[concept]]\nid = "csec"\nes = ["explotación sexual comercial de NNA"]\n\n'
        '[[concept]]\nid = "maquila-local"\nbroader = "manufacturing"\nes = ["maquila de ropa"]\n',
    )
    thesaurus = load_thesaurus(environ={ENV_VAR: str(team)})
    assert thesaurus.problems == []
    assert thesaurus.lookup("explotacion sexual comercial de NNA") == ("csec",)
    assert "ESCNNA" in thesaurus.concepts["csec"].terms["es"]
    assert thesaurus.concepts["maquila-local"].broader == "manufacturing"
    assert thesaurus.lookup("Maquila de ropa") == ("maquila-local",)


def test_team_file_beside_the_catalogue_is_found(tmp_path: Path) -> None:
    """Without $CSEC_THESAURUS, thesaurus.toml in the catalogue's folder is the team file."""
    catalogue = tmp_path / "resources.toml"
    assert team_thesaurus_path(catalogue, environ={}) is None
    team = write(tmp_path / "thesaurus.toml", '[[concept]]\nid = "x-local"\nen = ["xylo"]\n')
    assert team_thesaurus_path(catalogue, environ={}) == team
    assert load_thesaurus(catalogue, environ={}).lookup("xylo") == ("x-local",)
    assert team_thesaurus_path(catalogue, environ=NO_TEAM) is None


def test_missing_team_file_is_a_problem(tmp_path: Path) -> None:
    """A $CSEC_THESAURUS naming no file is reported, and the shipped thesaurus still works."""
    thesaurus = load_thesaurus(environ={ENV_VAR: str(tmp_path / "nope.toml")})
    assert [problem.message for problem in thesaurus.problems] == ["no such thesaurus file"]
    assert thesaurus.lookup("OIT") == ("ilo",)


def test_validation_reports_each_problem_with_its_line(tmp_path: Path) -> None:
    """Missing ids, bad ids, duplicates, unknown languages, non-string and empty terms: each at its line."""
    text = (
        "[[concept]]\n"  # 1
        'en = ["no id"]\n'  # 2
        "\n"
        "[[concept]]\n"  # 4
        'id = "Bad Id"\n'  # 5
        'en = ["x"]\n'
        "\n"
        "[[concept]]\n"  # 8
        'id = "ok"\n'
        'en = ["fine"]\n'
        "\n"
        "[[concept]]\n"  # 12
        'id = "ok"\n'
        'en = ["again"]\n'
        "\n"
        "[[concept]]\n"  # 16
        'id = "lang"\n'
        'de = ["Kinderarbeit"]\n'  # 18
        "en = [1, 2]\n"  # 19
        "\n"
        "[[concept]]\n"  # 21
        'id = "empty"\n'
        'es = [""]\n'  # 23
    )
    path = tmp_path / "team.toml"
    concepts, problems = parse_thesaurus(text, path)
    assert [concept.id for concept in concepts] == ["ok"]
    found = [(problem.line, problem.message.split(":")[0]) for problem in problems]
    assert (1, "concept without an id") in found
    assert any(line == 5 and "Bad Id" in message for line, message in found)
    assert any(line == 12 and "duplicate concept id 'ok'" in message for line, message in found)
    assert (18, "concept 'lang'") in found
    assert (19, "concept 'lang'") in found
    assert (23, "concept 'empty'") in found
    assert any("'empty' has no terms" in problem.message for problem in problems)
    assert str(problems[0]).startswith(f"{path}:1: ")


def test_not_toml_is_one_problem_with_a_line(tmp_path: Path) -> None:
    """A syntax error gives one problem at the line tomllib names."""
    text = '[[concept]]\nid = "a"\nen = ["x",,]\n\n[[concept]]\nid = "b"\nen = ["y"]\n'
    concepts, problems = parse_thesaurus(text, tmp_path / "t.toml")
    assert concepts == []
    assert len(problems) == 1
    assert problems[0].message.startswith("not TOML")
    assert problems[0].line == 3
    _, unclosed = parse_thesaurus('[[concept]]\nid = "a"\nen = ["x"\n', tmp_path / "t.toml")
    assert unclosed[0].line == 3


def test_unknown_broader_and_unknown_top_level_key(tmp_path: Path) -> None:
    """A broader id that names nothing, and a table other than [[concept]], are reported."""
    team = write(
        tmp_path / "team.toml",
        'title = "ours"\n\n[[concept]]\nid = "ours"\nbroader = "no-such"\nen = ["our term"]\n',
    )
    thesaurus = load_thesaurus(environ={ENV_VAR: str(team)})
    messages = [str(problem) for problem in thesaurus.problems]
    assert any("unknown table or key 'title'" in message for message in messages)
    assert any("broader concept 'no-such' does not exist" in message for message in messages)
    assert thesaurus.lookup("our term") == ("ours",)


def test_team_file_cannot_change_a_shipped_broader(tmp_path: Path) -> None:
    """Adding terms is allowed; moving a shipped concept under another broader one is reported."""
    team = write(tmp_path / "team.toml", '[[concept]]\nid = "csam"\nbroader = "ilo"\n')
    thesaurus = load_thesaurus(environ={ENV_VAR: str(team)})
    assert thesaurus.concepts["csam"].broader == "csec"
    assert any("has no terms" in str(problem) for problem in thesaurus.problems)


def test_importing_the_module_does_not_parse_toml() -> None:
    """Importing thesaurus_data is cheap: tomllib is loaded only when a thesaurus is read."""
    code = "import sys, csec_cli.thesaurus_data; print('tomllib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_wheel_ships_the_thesaurus(tmp_path: Path) -> None:
    """The built wheel carries the thesaurus file beside the loader."""
    pytest.importorskip("hatchling")
    repo = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(repo),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "csec_cli/thesaurus/thesaurus.toml" in archive.namelist()
    assert SHIPPED_PATH.is_file()


def test_shipped_thesaurus_is_cached_and_a_bad_copy_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The marshal copy in the cache folder gives the same thesaurus; a damaged one is re-parsed."""
    monkeypatch.setattr(thesaurus_data, "_shipped_cache", None)
    parsed = load_thesaurus(environ=NO_TEAM)
    copy = thesaurus_data._cache_path()
    assert copy.is_file()
    monkeypatch.setattr(thesaurus_data, "_shipped_cache", None)
    cached = load_thesaurus(environ=NO_TEAM)
    assert cached.concepts == parsed.concepts
    assert cached.index == parsed.index
    copy.write_bytes(b"not marshal at all")
    monkeypatch.setattr(thesaurus_data, "_shipped_cache", None)
    assert load_thesaurus(environ=NO_TEAM).concepts == parsed.concepts


def test_cached_index_is_not_used_when_a_team_adds_terms(tmp_path: Path) -> None:
    """A team's terms appear in the lookup even though the shipped index came from the cache."""
    load_thesaurus(environ=NO_TEAM)
    team = write(tmp_path / "team.toml", '[[concept]]\nid = "ilo"\nes = ["la Organización"]\n')
    assert load_thesaurus(environ={ENV_VAR: str(team)}).lookup("la organizacion") == ("ilo",)


def test_cached_copy_for_another_file_version_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy written for another size or modification time of the shipped file is not used."""
    import marshal

    copy = thesaurus_data._cache_path()
    copy.parent.mkdir(parents=True, exist_ok=True)
    stale = (("0", str(SHIPPED_PATH), 1, 1), [("stale", {"en": ("stale term",)}, None)], {})
    copy.write_bytes(marshal.dumps(stale))
    monkeypatch.setattr(thesaurus_data, "_shipped_cache", None)
    thesaurus = load_thesaurus(environ=NO_TEAM)
    assert "stale" not in thesaurus.concepts
    assert len(thesaurus.concepts) >= 300


def test_the_stem_table_of_csec_own_terms_is_cached_by_their_file(tmp_path: Path) -> None:
    """The shipped terms' stem table is kept under the key of their file, and is the table
    computed from the terms themselves; a team's terms are never looked up under that key."""
    import dataclasses

    from csec_cli.search_index import thesaurus_stem_table

    shipped = load_thesaurus(environ=NO_TEAM)
    assert shipped.shipped_key is not None
    keyed = thesaurus_stem_table(shipped)
    assert thesaurus_stem_table(dataclasses.replace(shipped, shipped_key=None)) == keyed
    team = write(tmp_path / "team.toml", '[[concept]]\nid = "lustrabotas"\nes = ["lustrabotas"]\n')
    with_team = load_thesaurus(environ={ENV_VAR: str(team)})
    assert with_team.shipped_key is None
    assert thesaurus_stem_table(with_team)["2 lustrabot"] == ("lustrabotas",)
    assert "2 lustrabot" not in keyed
