"""`csec init [PATH]`, and the first write to a default catalogue that does not exist yet."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import tomli

from conftest import SEED, RunCli
from csec_cli.catalogue import default_catalogue_path, load_catalogue

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_init_makes_an_empty_catalogue_csec_reads(tmp_path: Path, csec_process: Run) -> None:
    """`csec init PATH`: a file with one header comment and no resources, which csec reads."""
    path = tmp_path / "team.toml"
    result = csec_process("init", str(path))
    assert result.returncode == 0, result.stderr
    assert "Created the catalogue" in result.stderr and "empty" in result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ") and text.count("\n") == 1
    assert tomli.loads(text) == {}
    listed = csec_process("--catalogue", str(path), "list")
    assert listed.returncode == 0
    assert "The catalogue is empty." in listed.stderr
    assert csec_process("--catalogue", str(path), "check").returncode == 0


def test_the_header_stays_true_as_the_catalogue_grows(tmp_path: Path, run_cli: RunCli) -> None:
    """The header init writes is kept by later writes, and says nothing that stops being so."""
    path = tmp_path / "team.toml"
    run_cli("init", str(path))
    header = path.read_text(encoding="utf-8")
    assert run_cli("add", "--title", "A new guide", "--yes", path=path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(header)
    assert "no resources" not in header


def test_init_seed_copies_the_shipped_resources(tmp_path: Path, run_cli: RunCli) -> None:
    """`--seed` starts with the shipped ten, as the default catalogue would."""
    path = tmp_path / "team.toml"
    result = run_cli("init", str(path), "--seed")
    assert result.exit_code == 0, result.stderr
    assert "with the 10 shipped resources" in result.stderr
    assert load_catalogue(path).resources == load_catalogue(SEED).resources


def test_init_refuses_an_existing_file(catalogue: Path, csec_process: Run) -> None:
    """A file already there is never replaced: one line, exit 1, the file as it was."""
    before = catalogue.read_bytes()
    result = csec_process("init", str(catalogue))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "already exists" in result.stderr and "delete the file yourself" in result.stderr
    assert catalogue.read_bytes() == before


def test_init_creates_missing_folders(tmp_path: Path, run_cli: RunCli) -> None:
    """Folders on the way are created, as for every write."""
    path = tmp_path / "team" / "shared" / "resources.toml"
    assert run_cli("init", str(path)).exit_code == 0
    assert path.is_file()


def test_init_without_path_uses_the_catalogue_csec_would_use(
    tmp_path: Path, csec_process: Run
) -> None:
    """No PATH: --catalogue, else CSEC_CATALOGUE, else the per-user default."""
    chosen = tmp_path / "chosen.toml"
    from_env = tmp_path / "from-env.toml"
    assert csec_process("--catalogue", str(chosen), "init").returncode == 0
    assert chosen.is_file()
    assert csec_process("init", env={"CSEC_CATALOGUE": str(from_env)}).returncode == 0
    assert from_env.is_file()
    result = csec_process("init")
    assert result.returncode == 0, result.stderr
    assert default_catalogue_path().is_file()
    assert "--catalogue" not in result.stderr  # it is the one csec uses: no hint needed


def test_init_elsewhere_says_how_to_use_it(tmp_path: Path, csec_process: Run) -> None:
    """A PATH csec would not use on its own: the note says how to point csec at it."""
    path = tmp_path / "team.toml"
    result = csec_process("init", str(path))
    assert f"--catalogue {path}" in result.stderr
    assert f"CSEC_CATALOGUE={path}" in result.stderr


def test_first_import_into_the_default_catalogue_says_it_started_from_the_seed(
    tmp_path: Path, csec_process: Run
) -> None:
    """The issue's case: `csec import my.csv` on a fresh install says the ten came along."""
    records = tmp_path / "my.csv"
    records.write_text("title\nFirst\nSecond\nThird\n", encoding="utf-8")
    result = csec_process("import", str(records))
    assert result.returncode == 0, result.stderr
    assert "with the 10 resources shipped with csec" in result.stderr
    assert "`csec init`" in result.stderr
    assert len(load_catalogue(default_catalogue_path()).resources) == 13
    again = csec_process("add", "--title", "A fourth one", "--yes")
    assert "shipped with csec" not in again.stderr  # said once, on the write that started it


def test_the_way_to_start_empty_that_the_note_gives_works(
    tmp_path: Path, csec_process: Run
) -> None:
    """`csec undo`, `csec init`, then the import again: three resources, none of the seed's."""
    records = tmp_path / "my.csv"
    records.write_text("title\nFirst\nSecond\nThird\n", encoding="utf-8")
    csec_process("import", str(records))
    assert csec_process("undo").returncode == 0
    assert not default_catalogue_path().exists()
    assert csec_process("init").returncode == 0
    result = csec_process("import", str(records))
    assert result.returncode == 0
    assert "shipped with csec" not in result.stderr
    titles = [r.title for r in load_catalogue(default_catalogue_path()).resources]
    assert titles == ["First", "Second", "Third"]


def test_a_catalogue_given_by_path_starts_empty_without_a_note(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Only the default catalogue starts from the seed; a named new file starts empty, silently."""
    path = tmp_path / "new.toml"
    result = run_cli("add", "--title", "A new guide", "--yes", path=path)
    assert result.exit_code == 0
    assert "shipped with csec" not in result.stderr
    assert len(load_catalogue(path).resources) == 1


def test_info_tells_how_to_start(csec_process: Run) -> None:
    """Before any write, `csec info` names `csec init` as the way to start empty."""
    result = csec_process("info", env={"COLUMNS": "200"})
    assert "csec init" in " ".join(result.stderr.split())
    assert not os.path.exists(default_catalogue_path())
