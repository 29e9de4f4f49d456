"""Hostile content: values nested deeper than any parser takes, and text that would drive a terminal
through export, usage errors and every view."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pexpect
import pytest

from csec_cli.catalogue import load_catalogue
from csec_cli.nesting import MAX_NESTING, line_too_deep, nesting_depth

from .invocations import (
    READS,
    WRITES,
    Invocation,
    csec_executable,
    folder_state,
    run_in_process,
    run_installed,
    skip_unless_registered,
)

# --- 9. nesting -------------------------------------------------------------------------------


# Many real csec processes: CI runs them, the fast loop leaves them out.
pytestmark = pytest.mark.slow


def _array(depth: int) -> str:
    return "shelf = " + "[" * depth + "1" + "]" * depth


def _inline_tables(depth: int) -> str:
    return "shelf = " + "{a = " * depth + "1" + "}" * depth


def _dotted_key(parts: int) -> str:
    return ".".join(["shelf"] * parts) + " = 1"


def _sub_table(parts: int) -> str:
    return "[resources." + ".".join(["shelf"] * parts) + "]\nx = 1"


# name -> the too-deep lines inside one resource. 33 and 300 levels parse but would crash tomli-w
# on a rewrite (from about 250); 401 and more make tomli itself give up (RecursionError).
DEEP_VALUES = {
    "array 33": _array(MAX_NESTING + 1),
    "array 300": _array(300),
    "array 401": _array(401),
    "array 5000": _array(5000),
    "inline tables 300": _inline_tables(300),
    "inline tables 450": _inline_tables(450),
    "dotted key 450": _dotted_key(450),
    "dotted key 1200": _dotted_key(1200),
    "sub-table header 300": _sub_table(300),
}
DEEP_LINE = 9  # the line of the too-deep resource's [[resources]] header


def _catalogue_text(deep: str) -> str:
    return f"""\
# A team catalogue with one resource nested far too deeply.

[[resources]]
id = "labour-valid"
title = "Labour inspection in the face of commercial sexual exploitation"
date = 2009-03-01
type = "pamphlet"

[[resources]]
id = "deep-shelf"
title = "A resource with a value nested too deeply"
{deep}

[[resources]]
id = "second-valid"
title = "Labour market and child protection"
date = "2008"
"""


@pytest.fixture(params=list(DEEP_VALUES), ids=list(DEEP_VALUES))
def deep_catalogue(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A catalogue whose middle resource holds a value nested past the limit."""
    folder = tmp_path / "catalogue"
    folder.mkdir()
    path = folder / "resources.toml"
    path.write_text(_catalogue_text(DEEP_VALUES[request.param]), encoding="utf-8")
    return path


@pytest.fixture
def small_import(tmp_path: Path) -> Path:
    """A valid one-record JSON file to import."""
    path = tmp_path / "incoming.json"
    path.write_text(json.dumps([{"title": "Imported resource on labour inspection"}]))
    return path


@pytest.mark.parametrize("invocation", [i for i in READS if i.command != "check"], ids=str)
def test_reading_commands_skip_a_too_deep_resource_and_go_on(
    invocation: Invocation, deep_catalogue: Path
) -> None:
    """Reads name the too-deep resource with its line on stderr and go on with the rest, exit 0."""
    skip_unless_registered(invocation.command)
    before = deep_catalogue.read_bytes()
    result = run_in_process(deep_catalogue, invocation.argv(id="labour-valid", import_file=""))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    if invocation.warns:
        assert result.stderr.splitlines() == [
            f"Warning: {deep_catalogue}:{DEEP_LINE}: resource 'deep-shelf': "
            + result.stderr.split("resource 'deep-shelf': ", 1)[1].rstrip("\n")
        ]
        assert f"more than {MAX_NESTING} levels deep" in result.stderr
    assert deep_catalogue.read_bytes() == before


def test_check_reports_a_too_deep_resource_with_its_line(deep_catalogue: Path) -> None:
    """`csec check` reports the too-deep resource as an error on its line and exits 1."""
    result = run_in_process(deep_catalogue, ["check"])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stdout
    assert f"{deep_catalogue}:{DEEP_LINE}: resource 'deep-shelf': " in errors[0]
    assert f"more than {MAX_NESTING} levels deep" in errors[0]
    assert "2 valid resources, 1 error" in result.stdout


@pytest.mark.parametrize("deep", [_array(401), _inline_tables(5000)], ids=["array", "tables"])
def test_check_names_the_line_of_a_value_too_deep_to_parse(tmp_path: Path, deep: str) -> None:
    """A value tomli gives up on is reported on its resource's line, naming its own line too."""
    path = tmp_path / "resources.toml"
    path.write_text(_catalogue_text(deep), encoding="utf-8")
    result = run_in_process(path, ["check"])
    assert result.exit_code == 1
    assert (
        f"error: {path}:{DEEP_LINE}: resource 'deep-shelf': the value on line {DEEP_LINE + 3} "
        f"nests lists or tables more than {MAX_NESTING} levels deep"
    ) in result.stdout.splitlines()


@pytest.mark.parametrize("invocation", WRITES, ids=str)
def test_writing_commands_refuse_a_too_deep_catalogue(
    invocation: Invocation, deep_catalogue: Path, small_import: Path
) -> None:
    """Every writer refuses with one line naming the too-deep resource's line; nothing changes."""
    skip_unless_registered(invocation.command)
    before = folder_state(deep_catalogue.parent)
    argv = invocation.argv(id="second-valid", import_file=str(small_import))
    result = run_in_process(deep_catalogue, argv)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {deep_catalogue}:{DEEP_LINE}: resource 'deep-shelf'")
    assert folder_state(deep_catalogue.parent) == before


def test_installed_csec_reads_a_deep_catalogue_twice_and_refuses_to_write(
    tmp_path: Path,
) -> None:
    """The installed csec, parsing and then from its cache, skips a 5,000-deep value cleanly."""
    path = tmp_path / "resources.toml"
    path.write_text(_catalogue_text(_array(5000)), encoding="utf-8")
    before = path.read_bytes()
    for _ in range(2):  # the second run reads the cache entry the first one wrote
        listed = run_installed(path, ["list"])
        assert listed.returncode == 0, listed.stderr
        assert "labour-valid" in listed.stdout and "second-valid" in listed.stdout
        assert "Traceback" not in listed.stderr
        assert f"{path}:{DEEP_LINE}: resource 'deep-shelf'" in listed.stderr
    checked = run_installed(path, ["check"])
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    edited = run_installed(path, ["edit", "labour-valid", "--title", "New title", "--yes"])
    assert edited.returncode == 1
    assert len(edited.stderr.splitlines()) == 1, edited.stderr
    assert path.read_bytes() == before


def test_a_value_exactly_at_the_limit_is_read_and_written_back(tmp_path: Path) -> None:
    """A value nested exactly MAX_NESTING levels is valid and survives a rewrite unchanged."""
    path = tmp_path / "resources.toml"
    path.write_text(_catalogue_text(_array(MAX_NESTING)), encoding="utf-8")
    result = run_in_process(path, ["edit", "labour-valid", "--title", "New title", "--yes"])
    assert result.exit_code == 0, result.stderr
    catalogue = load_catalogue(path)
    assert catalogue.problems == []
    deep = next(resource for resource in catalogue.resources if resource.id == "deep-shelf")
    assert nesting_depth(deep.extra["shelf"]) == MAX_NESTING


@pytest.mark.parametrize("invocation", READS, ids=str)
def test_a_too_deep_value_in_a_file_read_whole_is_one_error_line(
    invocation: Invocation, tmp_path: Path
) -> None:
    """Beside an impossible date (the file is then parsed whole), a value too deep for tomli
    makes the file unreadable: one line with the value's line, exit 1, never a traceback."""
    skip_unless_registered(invocation.command)
    path = tmp_path / "resources.toml"
    text = (
        _catalogue_text(_array(450)) + '\n[[resources]]\nid = "x"\ntitle = "X"\ndate = 2009-02-30\n'
    )
    path.write_text(text, encoding="utf-8")
    result = run_in_process(path, invocation.argv(id="labour-valid", import_file=""))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}:{DEEP_LINE + 3}:1: a value nests lists or tables more than "
        f"{MAX_NESTING} levels deep"
    ]


def test_a_too_deep_top_level_table_stops_writers(tmp_path: Path) -> None:
    """A value nested too deeply outside any resource is an error of check, and writers refuse."""
    path = tmp_path / "resources.toml"
    path.write_text(
        _catalogue_text('type = "report"') + "\n[team]\n" + _array(300) + "\n", encoding="utf-8"
    )
    before = path.read_bytes()
    checked = run_in_process(path, ["check"])
    assert checked.exit_code == 1
    assert "top-level 'team' nests lists or tables more than" in checked.stdout
    edited = run_in_process(path, ["edit", "labour-valid", "--title", "New title", "--yes"])
    assert edited.exit_code == 1
    assert edited.stderr.startswith("Error: ") and len(edited.stderr.splitlines()) == 1
    assert path.read_bytes() == before


def _deep_json(depth: int, opening: str = "[", closing: str = "]") -> str:
    deep = opening * depth + "1" + closing * depth
    return f'[{{"title": "Deep record", "shelf": {deep}}}, {{"title": "A plain record"}}]'


@pytest.mark.parametrize(
    "text",
    [_deep_json(MAX_NESTING + 1), _deep_json(250), _deep_json(900), _deep_json(600, '{"a":', "}")],
    ids=["array 33", "array 250", "array 900", "objects 600"],
)
def test_import_rejects_a_too_deep_record_and_imports_the_rest(tmp_path: Path, text: str) -> None:
    """The installed csec rejects a too-deep JSON record with one warning and imports the other."""
    path = tmp_path / "resources.toml"
    path.write_text(_catalogue_text('type = "report"'), encoding="utf-8")
    incoming = tmp_path / "incoming.json"
    incoming.write_text(text, encoding="utf-8")
    result = run_installed(path, ["import", str(incoming)])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"entry 1: shelf nests lists or tables more than {MAX_NESTING} levels" in result.stderr
    titles = [resource.title for resource in load_catalogue(path).resources]
    assert "A plain record" in titles and "Deep record" not in titles


def test_import_refuses_json_too_deep_to_read(tmp_path: Path) -> None:
    """JSON nested beyond what the json module reads is one error line; nothing is written."""
    path = tmp_path / "resources.toml"
    path.write_text(_catalogue_text('type = "report"'), encoding="utf-8")
    before = folder_state(tmp_path)
    incoming = tmp_path / "incoming.json"
    incoming.write_text(_deep_json(100_000), encoding="utf-8")
    before = folder_state(tmp_path)
    result = run_installed(path, ["import", str(incoming)])
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1
    assert "too deeply" in result.stderr
    assert folder_state(tmp_path) == before


def test_nesting_depth_counts_lists_and_tables() -> None:
    """A scalar is 0 levels, each list or table one more; line_too_deep ignores strings."""
    assert nesting_depth(1) == 0
    assert nesting_depth([1, [2, {"a": [3]}]]) == 4
    assert nesting_depth([[[[1]]]], limit=2) == 3  # counting stops past the limit
    assert line_too_deep('a = "[[[[[[["\nb = [[[1]]]\n', limit=2) == 2
    assert line_too_deep("# [[[[[[[\nb = '[[[[[['\n", limit=2) is None


# --- 10. export to a terminal -------------------------------------------------------------------

# A clipboard write, a screen clear, a C1 CSI, a bidi override and isolate, a line separator.
TERMINAL_ATTACKS = "\x1b]52;c;ZXZpbA==\x07 \x1b[2J \x9b6n \u202egnp.exe\u202c \u2066x\u2069 \u2028"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u2028")
EXPORT_FORMATS = ("csv", "json", "ris", "bibtex", "html", "markdown")


@pytest.fixture
def attack_catalogue(tmp_path: Path) -> Path:
    """A catalogue whose title, summary and publisher hold terminal control sequences."""
    path = tmp_path / "resources.toml"
    attack = json.dumps(TERMINAL_ATTACKS)  # a TOML basic string takes JSON's escapes
    path.write_text(
        f"""\
[[resources]]
id = "labour-attack"
title = {json.dumps("Labour inspection " + TERMINAL_ATTACKS)}
date = 2009-03-01
summary = {attack}
publisher = {attack}
audience = [{attack}]
""",
        encoding="utf-8",
    )
    return path


def _export_in_terminal(path: Path, format_name: str) -> str:
    session = pexpect.spawn(
        csec_executable(),
        ["-c", str(path), "export", "--format", format_name],
        env={**os.environ, "NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "100"},
        timeout=30,
        dimensions=(40, 100),
    )
    session.expect(pexpect.EOF)
    output = session.before
    session.close()
    assert session.exitstatus == 0, output
    assert isinstance(output, bytes)
    return output.decode("utf-8")


@pytest.mark.parametrize("format_name", EXPORT_FORMATS)
def test_export_to_a_terminal_shows_control_characters_as_escapes(
    attack_catalogue: Path, format_name: str
) -> None:
    """In a real pty, no escape, C1 or bidi control from the catalogue reaches the terminal."""
    shown = _export_in_terminal(attack_catalogue, format_name)
    for control in RAW_CONTROLS:
        assert control not in shown, (format_name, control)
    assert "Labour inspection" in shown
    if format_name == "json":
        # Still JSON, with the same values (the terminal turned each \n into \r\n).
        exported = json.loads(shown)
        assert exported[0]["title"] == "Labour inspection " + TERMINAL_ATTACKS
    else:
        assert "\\x1b" in shown and "\\u202e" in shown  # shown, not acted on


@pytest.mark.parametrize("format_name", EXPORT_FORMATS)
def test_export_to_a_pipe_or_file_stays_exact(
    attack_catalogue: Path, format_name: str, tmp_path: Path
) -> None:
    """Down a pipe the bytes are exactly those written to --output, control characters and all."""
    piped = subprocess.run(
        [csec_executable(), "-c", str(attack_catalogue), "export", "--format", format_name],
        capture_output=True,
        timeout=60,
        check=True,
    )
    target = tmp_path / f"export.{format_name}"
    run_installed(attack_catalogue, ["export", "--format", format_name, "-o", str(target)])
    assert piped.stdout == target.read_bytes()
    if format_name in ("csv", "json"):
        # These formats keep every character: the attack arrives whole, for the program to judge.
        assert "\x1b]52;c;" in piped.stdout.decode() or "\\u001b]52;c;" in piped.stdout.decode()
        assert "\u202e" in piped.stdout.decode()


# --- 11. bidi controls and line separators --------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["--\u202eevil\u202c"], "No such option: --\\u202eevil\\u202c"),
        (["\u2066list\u2069"], "No such command '\\u2066list\\u2069'"),
        (["list", "--x\u2028y"], "No such option: --x\\u2028y"),
        (["list", "extra\u200e\u061c"], "extra\\u200e\\u061c"),
        (["--\x1b]52;c;ZXZpbA\x07"], "No such option: --\\x1b]52;c;ZXZpbA\\x07"),
    ],
    ids=["option", "command", "command option", "extra argument", "escape sequence"],
)
def test_usage_errors_show_control_characters_as_escapes(argv: list[str], shown: str) -> None:
    """The installed csec's usage errors quote what was typed with its controls escaped."""
    result = subprocess.run(
        [csec_executable(), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 2, result.stderr
    for control in (*RAW_CONTROLS, "\u200e", "\u061c"):
        assert control not in result.stderr, repr(result.stderr)
    assert shown in result.stderr, repr(result.stderr)


SEPARATED = "Labour\u2028inspection\u2029and \u061cmarkets \u2066isolated\u2069"


@pytest.fixture
def separator_catalogue(tmp_path: Path) -> Path:
    """A catalogue whose fields hold line and paragraph separators and bidi marks."""
    path = tmp_path / "resources.toml"
    value = json.dumps(SEPARATED)
    url = json.dumps("https://example.org/a\u2028b")
    path.write_text(
        f"""\
[[resources]]
id = "labour-separated"
title = {value}
date = 2009-03-01
summary = {value}
type = {value}
publisher = {value}
audience = [{value}]
topics = [{value}]
countries = [{value}]
url = {url}
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["show", "labour-separated"],
        ["search", "labour"],
        ["stats"],
        ["open", "labour-separated", "--print"],
    ],
    ids=" ".join,
)
def test_views_show_separators_and_bidi_controls_as_escapes(
    separator_catalogue: Path, argv: list[str]
) -> None:
    """list, show, search, stats and open --print never send U+2028/9 or bidi controls raw."""
    skip_unless_registered(argv[0])
    result = run_in_process(separator_catalogue, argv)
    assert result.exit_code == 0, result.stderr
    for control in ("\u2028", "\u2029", "\u061c", "\u2066", "\u2069"):
        assert control not in result.stdout + result.stderr, (argv, control)
    assert "\\u2028" in result.stdout
    if "--json" in argv:
        assert json.loads(result.stdout)[0]["title"] == SEPARATED


# --- values urllib cannot parse -----------------------------------------------------------

# urlparse raises on these (an unclosed IPv6 host); `check` reports them as not web addresses.
UNPARSABLE_URLS = ("http://[x", "https://[::1/path")


@pytest.mark.parametrize("url", UNPARSABLE_URLS)
@pytest.mark.parametrize(
    "argv",
    [["list"], ["show", "bad-url"], ["search", "labour"], ["stats"], ["open", "bad-url", "--print"]]
    + [["export", "--format", name] for name in EXPORT_FORMATS],
    ids=" ".join,
)
def test_a_url_urllib_cannot_parse_is_shown_never_a_crash(
    tmp_path: Path, argv: list[str], url: str
) -> None:
    """A hand-written url like `http://[x` is data to show (and `check` to report), not a bug."""
    path = tmp_path / "resources.toml"
    path.write_text(
        f'[[resources]]\nid = "bad-url"\ntitle = "Labour inspection"\ndate = 2009-03-01\n'
        f"url = {json.dumps(url)}\n",
        encoding="utf-8",
    )
    result = run_in_process(path, argv)
    # open refuses the url with one line (exit 1); every other command shows it.
    assert result.exit_code == (1 if argv[0] == "open" else 0), result.stderr
    if argv[0] == "export" and argv[2] == "html":
        assert f'href="{url}"' not in result.stdout


# --- values JSON has no word for ----------------------------------------------------------


def _strict_json(text: str) -> object:
    """JSON as the standard has it: NaN and Infinity, which Python writes, are refused."""

    def refuse(constant: str) -> object:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--json"],
        ["show", "labour-nan", "--json"],
        ["search", "labour", "--json"],
        ["export", "--format", "json"],
    ],
    ids=" ".join,
)
def test_toml_nan_and_inf_in_an_unknown_key_stay_valid_json(
    tmp_path: Path, argv: list[str]
) -> None:
    """`shelf = nan` (valid TOML) is written to --json and export as the text "nan"."""
    path = tmp_path / "resources.toml"
    path.write_text(
        '[[resources]]\nid = "labour-nan"\ntitle = "Labour inspection"\ndate = 2009-03-01\n'
        "shelf = nan\nrange = [inf, -inf]\nnested = {ratio = nan}\n",
        encoding="utf-8",
    )
    result = run_in_process(path, argv)
    assert result.exit_code == 0, result.stderr
    data = _strict_json(result.stdout)
    [resource] = data if isinstance(data, list) else [data]
    assert isinstance(resource, dict)
    assert resource["shelf"] == "nan"
    assert resource["range"] == ["inf", "-inf"]
    assert resource["nested"] == {"ratio": "nan"}
