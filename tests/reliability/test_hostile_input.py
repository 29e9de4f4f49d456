"""Hostile input: odd ids, values and options, and catalogue text that would drive a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csec_cli.catalogue import (
    Catalogue,
    CatalogueLocation,
    append_resource,
    load_catalogue,
    render_catalogue,
    write_atomically,
)
from csec_cli.models import Resource

from .invocations import folder_state, run_in_process, run_installed, skip_unless_registered

# Text that would change the terminal or rich's output if it were ever interpreted.
ESCAPES = (
    "\x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 "
    "\x9b2J \u202eevil\u202c \x07"
)
MARKUP = "[bold]x[/bold] [PDF] [link=http://evil.example]click[/link]"
RAW_CONTROLS = ("\x1b", "\x9b", "\x07", "\u202e", "\u202c")


@pytest.fixture
def hostile_text_catalogue(tmp_path: Path) -> Path:
    """A catalogue whose every text field carries escape sequences and rich markup."""
    path = tmp_path / "resources.toml"
    # Rendered, not appended: a url holding spaces is an error to `csec check`, which no csec
    # write stores, yet a hand-edited file may hold it and every view must show it safely.
    escapes = Resource(
        id="labour-escapes",
        title=f"Labour {MARKUP}",
        summary=f"Summary {ESCAPES} {MARKUP}",
        type=f"manual {ESCAPES}",
        audience=(ESCAPES, MARKUP),
        topics=(f"labour {ESCAPES}",),
        countries=(MARKUP,),
        language="en",
        publisher=f"Pub {ESCAPES}",
        url=f"https://example.org/{ESCAPES}",
        extra={"note": f"Note {ESCAPES} {MARKUP}"},
    )
    plain = Resource(id="labour-plain", title=f"Labour {ESCAPES}")
    write_atomically(path, render_catalogue(Catalogue(path=path, resources=[escapes, plain])))
    return path


DISPLAYS = [
    ["list"],
    ["show", "labour-escapes"],
    ["show", "labour-plain"],
    ["check"],
    ["info"],
    ["search", "labour"],
    ["stats"],
    ["export", "--format", "markdown"],
]


@pytest.mark.parametrize("argv", DISPLAYS, ids=" ".join)
def test_control_sequences_in_the_catalogue_never_reach_the_terminal(
    argv: list[str], hostile_text_catalogue: Path
) -> None:
    """Escape sequences, C1 controls and bidi overrides from the catalogue are shown, not run."""
    skip_unless_registered(argv[0])
    result = run_in_process(hostile_text_catalogue, argv)
    assert result.exit_code in (0, 1), result.stderr  # check exits 1: the url is not a web address
    for control in RAW_CONTROLS:
        assert control not in result.stdout
        assert control not in result.stderr


@pytest.mark.parametrize("argv", [["list"], ["show", "labour-escapes"], ["search", "labour"]])
def test_rich_markup_in_the_catalogue_prints_literally(
    argv: list[str], hostile_text_catalogue: Path
) -> None:
    """A title like `[bold]x[/bold]` prints exactly as written, brackets and all."""
    skip_unless_registered(argv[0])
    result = run_in_process(hostile_text_catalogue, argv)
    assert result.exit_code == 0
    assert "[bold]x[/bold]" in result.stdout
    assert "[PDF]" in result.stdout


def test_show_makes_control_characters_visible(hostile_text_catalogue: Path) -> None:
    """show writes an escape character as the visible text `\\x1b`."""
    result = run_in_process(hostile_text_catalogue, ["show", "labour-plain"])
    assert result.exit_code == 0
    assert "Labour \\x1b[31mred\\x1b[0m" in result.stdout


@pytest.mark.parametrize(
    "argv", [["list", "--json"], ["show", "labour-escapes", "--json"], ["search", "x", "--json"]]
)
def test_json_output_is_faithful_and_holds_no_raw_controls(
    argv: list[str], hostile_text_catalogue: Path
) -> None:
    """--json gives back every character stored, with control characters escaped."""
    skip_unless_registered(argv[0])
    result = run_in_process(hostile_text_catalogue, argv)
    assert result.exit_code == 0
    for control in RAW_CONTROLS:
        assert control not in result.stdout
    data = json.loads(result.stdout)
    objects = data if isinstance(data, list) else [data]
    by_id = {item["id"]: item for item in objects}
    if "labour-escapes" in by_id:
        assert by_id["labour-escapes"]["summary"] == f"Summary {ESCAPES} {MARKUP}"
        assert by_id["labour-escapes"]["audience"] == [ESCAPES, MARKUP]
        assert by_id["labour-escapes"]["note"] == f"Note {ESCAPES} {MARKUP}"


# --- ids ----------------------------------------------------------------------------------


@pytest.fixture
def similar_ids(tmp_path: Path) -> Path:
    """A catalogue with ids that share a prefix."""
    path = tmp_path / "resources.toml"
    location = CatalogueLocation(path, "--catalogue")
    for resource_id in ("abuse-report", "abuse-response", "media"):
        append_resource(location, Resource(id=resource_id, title=f"Title of {resource_id}"))
    return path


ID_CASES = {
    "unknown": ("nothing-like-it", "no resource with id 'nothing-like-it'"),
    "ambiguous": ("abuse", "'abuse' matches several ids (abuse-report, abuse-response)"),
    "empty": ("", "give an id"),
    "escape sequence": ("\x1b[2J", "no resource with id '\\x1b[2J'"),
}
ID_COMMANDS = [
    ["show", "{id}"],
    ["edit", "{id}", "--title", "New", "--yes"],
    ["remove", "{id}", "--yes"],
]


@pytest.mark.parametrize("case", list(ID_CASES))
@pytest.mark.parametrize("command", ID_COMMANDS, ids=lambda argv: argv[0])
def test_unknown_and_ambiguous_ids_give_one_line_and_change_nothing(
    command: list[str], case: str, similar_ids: Path
) -> None:
    """An id that matches nothing, or several, is exit 1 with one line; the file is untouched."""
    skip_unless_registered(command[0])
    key, message = ID_CASES[case]
    before = folder_state(similar_ids.parent)
    result = run_in_process(similar_ids, [arg.format(id=key) for arg in command])
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ")
    assert message in line
    assert "\x1b" not in result.stderr
    assert folder_state(similar_ids.parent) == before


def test_a_unique_prefix_finds_its_resource(similar_ids: Path) -> None:
    """Any unique prefix of an id is enough."""
    result = run_in_process(similar_ids, ["show", "abuse-rep", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "abuse-report"


# --- values typed by the user -------------------------------------------------------------

VALUE_CASES = {
    "empty title": ("--title", ""),
    "blank title": ("--title", "   "),
    "100,000-character title": ("--title", "A" * 100_000),
    "title with escape sequences": ("--title", f"T {ESCAPES}"),
    "title with markup": ("--title", MARKUP),
    "title with newline and quotes": ("--title", 'Line one\nline "two" \\ \'three\' """'),
    "impossible date": ("--date", "2009-02-30"),
    "month thirteen": ("--date", "2009-13"),
    "not a date": ("--date", "soon"),
    "not a url": ("--url", "not a url"),
    "javascript url": ("--url", "javascript:alert(1)"),
    "url with escape": ("--url", "https://example.org/\x1b[31m"),
}
FIELD_OF_OPTION = {"--title": "title", "--date": "date", "--url": "url"}


def _assert_stored_faithfully_or_refused(
    result_code: int,
    stderr: str,
    path: Path,
    before: dict[str, bytes | None],
    option: str,
    value: str,
    resource_id: str | None,
) -> None:
    assert "Traceback" not in stderr
    if result_code != 0:
        assert result_code in (1, 2), stderr
        assert stderr.strip(), "a refusal must say why"
        assert folder_state(path.parent) == before
        return
    catalogue = load_catalogue(path)
    assert catalogue.problems == []
    if resource_id is None:
        old_ids = {r.id for r in load_catalogue_from_bytes(before, path).resources}
        [resource] = [r for r in catalogue.resources if r.id not in old_ids]
    else:
        [resource] = [r for r in catalogue.resources if r.id == resource_id]
    stored = getattr(resource, FIELD_OF_OPTION[option])
    if option == "--date":
        assert stored is not None and stored.iso() == value
    else:
        assert stored == value
    shown = run_in_process(path, ["list"])
    assert "\x1b" not in shown.stdout


def load_catalogue_from_bytes(state: dict[str, bytes | None], path: Path) -> object:
    """The catalogue as it was in a folder_state snapshot."""
    copy = path.with_name("before.toml")
    data = state[path.name]
    assert data is not None
    copy.write_bytes(data)
    try:
        return load_catalogue(copy)
    finally:
        copy.unlink()


@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_add_stores_hostile_values_faithfully_or_refuses_clearly(
    case: str, catalogue: Path
) -> None:
    """add keeps a value exactly as typed, or refuses with a message and writes nothing."""
    skip_unless_registered("add")
    option, value = VALUE_CASES[case]
    argv = ["add", "--yes", option, value]
    if option != "--title":
        argv += ["--title", "Hostile input"]
    before = folder_state(catalogue.parent)
    result = run_in_process(catalogue, argv)
    _assert_stored_faithfully_or_refused(
        result.exit_code, result.stderr, catalogue, before, option, value, None
    )
    if case in ("empty title", "blank title", "impossible date", "month thirteen", "not a date"):
        assert result.exit_code != 0


@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_edit_stores_hostile_values_faithfully_or_refuses_clearly(
    case: str, catalogue: Path
) -> None:
    """edit keeps a value exactly as typed, or refuses with a message and writes nothing."""
    skip_unless_registered("edit")
    option, value = VALUE_CASES[case]
    before = folder_state(catalogue.parent)
    result = run_in_process(catalogue, ["edit", "media-strategy", "--yes", option, value])
    _assert_stored_faithfully_or_refused(
        result.exit_code, result.stderr, catalogue, before, option, value, "media-strategy"
    )
    if case in ("empty title", "blank title", "impossible date", "month thirteen", "not a date"):
        assert result.exit_code != 0


# --- options ------------------------------------------------------------------------------

USAGE_ERRORS = [
    ["list", "--limit", "abc"],
    ["list", "--limit", "0"],
    ["list", "--since", "abc"],
    ["list", "--since", "2020", "--until", "2010"],
    ["list", "--sort", "nonsense"],
    ["list", "--no-such-option"],
    ["show"],
    ["show", "media-strategy", "extra-argument"],
    ["info", "--json", "--json=maybe"],
    ["search"],
    ["search", "labour", "--limit", "many"],
    ["export", "--format", "pdf"],
    ["stats", "--since", "last-year"],
    ["add", "--yes", "--title", "T", "--no-such-option"],
    ["edit"],
    ["remove"],
    ["import"],
    ["nonsense-command"],
]


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=" ".join)
def test_options_of_the_wrong_type_are_usage_errors(argv: list[str], catalogue: Path) -> None:
    """A malformed command line is exit 2 with a usage message, and the catalogue is untouched."""
    if argv[0] != "nonsense-command":
        skip_unless_registered(argv[0])
    before = folder_state(catalogue.parent)
    result = run_in_process(catalogue, argv)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "Usage:" in result.stderr or "Error" in result.stderr
    assert folder_state(catalogue.parent) == before


# --- the environment ----------------------------------------------------------------------

NARROW_ERRORS = {
    "usage error": (["list", "--limit", "abc"], 2, "--limit takes a whole number"),
    "error": (["show", "no-such-id"], 1, "no resource with id 'no-such-id'"),
}


@pytest.mark.slow  # real csec processes
@pytest.mark.parametrize("columns", ["0", "1", "5"])
@pytest.mark.parametrize("case", list(NARROW_ERRORS))
def test_a_tiny_or_zero_columns_still_shows_the_whole_message(
    case: str, columns: str, catalogue: Path
) -> None:
    """COLUMNS=0 or a few columns never swallows an error: every word of it reaches stderr."""
    argv, code, message = NARROW_ERRORS[case]
    result = run_installed(catalogue, argv, env={"COLUMNS": columns})
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    words = " ".join(line.strip(" │╭╮╰╯─") for line in result.stderr.splitlines())
    assert message in " ".join(words.split())


def test_a_line_break_in_a_path_stays_on_the_error_line(tmp_path: Path) -> None:
    """A catalogue path holding a line break is quoted as `\\n`: the error stays one line."""
    missing = tmp_path / "team\nfinal.toml"
    result = run_in_process(missing, ["list"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and "team\\nfinal.toml" in line


def test_a_line_break_in_an_argument_stays_on_its_line_of_a_usage_error(catalogue: Path) -> None:
    """A usage error quoting an argument with a line break shows it as `\\n`, not a new line."""
    result = run_in_process(catalogue, ["import", "team\nlist"])
    assert result.exit_code == 2
    assert "team\\nlist" in result.stderr
    assert not any(line.strip(" │") == "list" for line in result.stderr.splitlines())


# --- bytes that are not UTF-8 -------------------------------------------------------------

# What Python makes of the latin-1 bytes of "Niñez" on the command line: a lone surrogate.
NOT_UTF8 = "Ni\udcf1ez"
NOT_UTF8_VALUES = {
    "title": ["add", "--yes", "--title", NOT_UTF8],
    "author": ["add", "--yes", "--title", "Valid title", "--author", NOT_UTF8],
    "attached file": ["add", "--yes", "--title", "Valid title", "--file", NOT_UTF8 + ".pdf"],
    "edited summary": ["edit", "media-strategy", "--yes", "--summary", NOT_UTF8],
    "added topic": ["edit", "media-strategy", "--yes", "--add-topic", NOT_UTF8],
    "unknown key's value": ["edit", "media-strategy", "--yes", "--set", f"shelf={NOT_UTF8}"],
}


@pytest.mark.slow  # real csec processes
@pytest.mark.parametrize("case", list(NOT_UTF8_VALUES))
def test_a_value_that_is_not_utf8_is_refused_in_one_line(case: str, catalogue: Path) -> None:
    """Bytes of another encoding in a value are refused with one line; nothing is written."""
    before = folder_state(catalogue.parent)
    result = run_installed(catalogue, NOT_UTF8_VALUES[case])
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("Warning:")]
    [line] = errors
    assert line.startswith("Error: ") and "not text in UTF-8" in line
    assert folder_state(catalogue.parent) == before


@pytest.mark.slow  # real csec processes
def test_an_imported_lone_surrogate_is_a_rejected_record(catalogue: Path, tmp_path: Path) -> None:
    """A JSON record whose title escapes a lone surrogate is rejected, the others imported."""
    incoming = tmp_path / "incoming.json"
    incoming.write_text(
        '[{"title": "Bad \\udcf1 title"}, {"title": "Imported on child labour"}]',
        encoding="ascii",
    )
    result = run_installed(catalogue, ["import", str(incoming)])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "entry 1: title holds characters that are not text in UTF-8" in result.stderr
    titles = [resource.title for resource in load_catalogue(catalogue).resources]
    assert "Imported on child labour" in titles
    assert not any("Bad" in title for title in titles)


@pytest.mark.slow  # real csec processes
def test_paths_that_are_not_utf8_work_everywhere(catalogue: Path, tmp_path: Path) -> None:
    """A catalogue, import or export file named in another encoding is used as named."""
    folder = tmp_path / f"equipo-{NOT_UTF8}"
    folder.mkdir()
    path = folder / f"{NOT_UTF8}.toml"
    path.write_bytes(catalogue.read_bytes())
    info = run_installed(path, ["info", "--json"])
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["catalogue"] == str(path)
    exported = folder / f"{NOT_UTF8}.csv"
    result = run_installed(path, ["export", "--output", str(exported)])
    assert result.returncode == 0, result.stderr
    assert exported.read_text(encoding="utf-8").startswith("id,")
    created = folder / f"nuevo-{NOT_UTF8}.toml"
    result = run_installed(created, ["init"])
    assert result.returncode == 0, result.stderr
    history = run_installed(created, ["history", "--json"])
    assert history.returncode == 0, history.stderr
    assert len(json.loads(history.stdout)) == 1


HUGE = str(10**30)


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "labour", "--limit", HUGE],
        ["search", "labour", "--limit", str(2**63)],
        ["search", "labour", "--explain", "--limit", HUGE],
        ["list", "--limit", HUGE],
        ["stats", "--top", HUGE],
    ],
    ids=" ".join,
)
def test_a_limit_larger_than_any_machine_number_means_no_limit(
    argv: list[str], catalogue: Path
) -> None:
    """`--limit 10**30` is larger than the catalogue: everything is shown, nothing overflows."""
    result = run_in_process(catalogue, argv)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()


@pytest.mark.slow  # real csec processes
@pytest.mark.parametrize(
    "argv",
    [["search", " ".join(["labour"] * 5000)], ["export", "-f", "csv", "-q", "niños " * 5000]],
    ids=["search", "export --query"],
)
def test_a_query_of_thousands_of_words_is_refused_at_once(argv: list[str], catalogue: Path) -> None:
    """A query of 5,000 words is a usage error, not minutes of planning (a few ms a word)."""
    result = run_installed(catalogue, argv, timeout=10)
    assert result.returncode == 2, result.stderr
    assert "5000 words is more than csec searches with (256)" in " ".join(result.stderr.split())


def test_a_query_of_the_most_words_still_searches(catalogue: Path) -> None:
    """A pasted title or summary, up to 256 words, is searched as usual."""
    query = " ".join(["labour", "inspection"] * 128)
    result = run_in_process(catalogue, ["search", query, "--ids"])
    assert result.exit_code == 0, result.stderr
    assert "labour-inspection-csec" in result.stdout.split()
