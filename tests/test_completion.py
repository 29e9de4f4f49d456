"""Shell completion (commands.common): commands, options, ids and existing filter values.

Driven through Typer's own protocol (the _CSEC_COMPLETE environment variable), as the shell does.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import installed_csec
from csec_cli.cli import app


def complete_bash(words: str, *, env: dict[str, str] | None = None) -> Result:
    """Ask for bash completions of the last word of `words` (which starts with `csec`)."""
    parts = words.split(" ")
    return CliRunner().invoke(
        app,
        [],
        prog_name="csec",
        env={
            "_CSEC_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
        catch_exceptions=False,
    )


def complete_zsh(words: str, *, env: dict[str, str] | None = None) -> Result:
    """Ask for zsh completions (which carry a description) of `words`."""
    return CliRunner().invoke(
        app,
        [],
        prog_name="csec",
        env={"_CSEC_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words, **(env or {})},
        catch_exceptions=False,
    )


def suggestions(result: Result) -> list[str]:
    """The bash suggestions, one per line."""
    assert result.exit_code == 0
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def test_commands_complete() -> None:
    """`csec s<TAB>` offers the commands starting with s."""
    assert {"show", "stats"} <= set(suggestions(complete_bash("csec s")))


def test_options_complete() -> None:
    """`csec list --t<TAB>` offers --type, --topic and --tsv."""
    assert set(suggestions(complete_bash("csec list --t"))) == {"--type", "--topic", "--tsv"}


@pytest.mark.parametrize("command", ["show", "open", "edit", "remove"])
def test_ids_complete_for_commands_taking_an_id(command: str, catalogue: Path) -> None:
    """`csec show lab<TAB>` offers the ids of the catalogue in use that start with it."""
    result = complete_bash(f"csec --catalogue {catalogue} {command} media")
    assert suggestions(result) == ["media-strategy", "media-share-responsibility"]


def test_ids_come_from_the_catalogue_in_the_environment(tmp_path: Path) -> None:
    """CSEC_CATALOGUE is honoured while completing, as when running."""
    path = tmp_path / "own.toml"
    path.write_text('[[resources]]\nid = "only-one"\ntitle = "Only"\n', encoding="utf-8")
    result = complete_bash("csec show ", env={"CSEC_CATALOGUE": str(path)})
    assert suggestions(result) == ["only-one"]


def test_id_descriptions_are_titles_safe_for_the_shell(tmp_path: Path) -> None:
    """zsh gets the title as description, markup shown as written and cut to one line."""
    path = tmp_path / "markup.toml"
    path.write_text(
        '[[resources]]\nid = "bad-markup"\ntitle = "[/x] closing tag and [bold] '
        + "x" * 80
        + '"\n',
        encoding="utf-8",
    )
    result = complete_zsh(f"csec --catalogue {path} show b")
    assert result.exit_code == 0
    assert result.stdout.startswith('_arguments \'*: :(("bad-markup":"[/x] closing tag and [bold]')
    assert "…" in result.stdout
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("csec list --type pa", ["pamphlet", "paper"]),
        ("csec stats --audience lab", ["labour\\ inspectors"]),
        ("csec list --country Cos", ["Costa\\ Rica"]),
        ("csec list --topic media", ["media"]),
        ("csec list --language e", ["en"]),
    ],
)
def test_filter_values_complete_from_the_catalogue(
    words: str, expected: list[str], catalogue: Path
) -> None:
    """Filter options offer the values already in the catalogue, escaped for bash."""
    parts = words.split(" ", 1)
    result = complete_bash(f"{parts[0]} --catalogue {catalogue} {parts[1]}")
    assert suggestions(result) == expected


def test_zsh_gets_filter_values_unescaped(catalogue: Path) -> None:
    """zsh quotes completions itself, so values with spaces come as written."""
    result = complete_zsh(f"csec --catalogue {catalogue} list --audience lab")
    assert result.stdout == "_arguments '*: :((\"labour inspectors\"))'\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("missing.toml", None),
        ("broken.toml", b"[[resources]\nid = 'x'\n"),
        ("latin1.toml", b'[[resources]]\nid = "x"\ntitle = "Panam\xe1"\n'),
        ("shape.toml", b'resources = "not a table"\n'),
    ],
)
def test_a_broken_catalogue_gives_no_suggestions_and_no_traceback(
    name: str, content: bytes | None, tmp_path: Path
) -> None:
    """Completion on a catalogue that cannot be read offers nothing, silently, exit 0."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for words in (f"csec --catalogue {path} show ", f"csec --catalogue {path} list --type "):
        result = complete_bash(words)
        assert result.exit_code == 0
        assert result.stdout.strip() == ""
        assert result.stderr == ""


def test_a_directory_as_catalogue_gives_no_suggestions(tmp_path: Path) -> None:
    """A directory given as the catalogue is a broken catalogue too."""
    result = complete_bash(f"csec --catalogue {tmp_path} show ")
    assert result.exit_code == 0
    assert result.stdout.strip() == ""
    assert result.stderr == ""


def test_installed_csec_completes_in_a_real_process(csec_process, catalogue: Path) -> None:  # type: ignore[no-untyped-def]
    """The installed script answers the shell's completion request with ids, no traceback."""
    result = csec_process(
        env={
            "_CSEC_COMPLETE": "complete_bash",
            "COMP_WORDS": f"csec --catalogue {catalogue} show belize",
            "COMP_CWORD": "4",
        }
    )
    assert result.returncode == 0
    assert result.stdout.split() == ["belize-protocol"]
    assert result.stderr == ""


def test_installed_csec_shows_a_bash_completion_script() -> None:
    """`csec --show-completion bash`, typed in bash, prints the script the README tells users to
    install."""
    # Typer takes the shell from csec's parent processes, not from the word after the option, so
    # the command runs in bash, as a user's does: run straight from pytest, it would depend on
    # what started pytest ("Shell  not supported." when no shell did). The second command keeps
    # bash from replacing itself with csec.
    command = f"{shlex.quote(installed_csec())} --show-completion bash; exit $?"
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert "_CSEC_COMPLETE=complete_bash" in result.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("csec list --sort ", ["date", "title", "added"]),
        ("csec list --sort t", ["title"]),
        ("csec export --format ", ["csv", "json", "markdown", "ris", "bibtex", "html"]),
        ("csec export -f b", ["bibtex"]),
        ("csec import --format r", ["ris"]),
    ],
)
def test_choices_complete_instead_of_file_names(words: str, expected: list[str]) -> None:
    """--sort and --format offer their choices (a file name is never one)."""
    assert suggestions(complete_bash(words)) == expected


def test_value_completion_ignores_case_and_accents(tmp_path: Path) -> None:
    """`--country pan<TAB>` and `--country PAN<TAB>` find "Panamá" and "Panama"."""
    path = tmp_path / "own.toml"
    path.write_text(
        '[[resources]]\nid = "a"\ntitle = "A"\ncountries = ["Panamá", "Paraguay"]\n'
        '[[resources]]\nid = "b"\ntitle = "B"\ncountries = ["Panama"]\n',
        encoding="utf-8",
    )
    for typed in ("pan", "PAN", "paná"):
        result = complete_bash(f"csec --catalogue {path} list --country {typed}")
        assert sorted(suggestions(result)) == ["Panama", "Panamá"], typed


def test_completion_reads_the_catalogue_given_after_the_command(tmp_path: Path) -> None:
    """`csec show -c team.toml <TAB>` offers team.toml's ids."""
    path = tmp_path / "team.toml"
    path.write_text('[[resources]]\nid = "team-only"\ntitle = "Team"\n', encoding="utf-8")
    result = complete_bash(f"csec show -c {path} te")
    assert suggestions(result) == ["team-only"]


def test_add_and_remove_list_flags_complete_existing_values(catalogue: Path) -> None:
    """`csec edit ID --remove-topic LOB<TAB>` offers the catalogue's "lobbying"."""
    for flag in ("--add-topic", "--remove-topic"):
        result = complete_bash(f"csec --catalogue {catalogue} edit media-strategy {flag} LOB")
        assert suggestions(result) == ["lobbying"], flag
