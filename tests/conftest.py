"""Shared fixtures: a temporary copy of the seed catalogue, a CliRunner wrapper, the installed csec."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from csec_cli.cli import app

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "resources.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session", autouse=True)
def isolated_session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A home of the session's own before any fixture runs: module-scoped fixtures build their
    catalogues before isolated_environment, and csec's writes keep an undo history in the data
    folder, which was the user's real one."""
    home = tmp_path_factory.mktemp("session-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
        patch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        yield


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the user's real catalogue and colours."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("CSEC_CATALOGUE", raising=False)
    monkeypatch.delenv("CSEC_QUICK_VALUES", raising=False)  # the tests pin the default
    monkeypatch.delenv("CSEC_DATE_ORDER", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    # English unless a test asks for another language, whatever the developer's own locale; and
    # the language chosen afresh for each test (a process chooses it once).
    for variable in ("CSEC_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from csec_cli import i18n

    i18n.forget_language()
    # Rich reads COLUMNS once, when a Console is made (csec makes its two at import, once per
    # process): forgetting that width makes each test's COLUMNS count, not the first test's.
    from csec_cli.console import err, out

    for console in (out, err):
        monkeypatch.setattr(console, "_width", None)
        monkeypatch.setattr(console, "_height", None)


@pytest.fixture
def cache_home() -> Path:
    """This test's own cache folder (csec's parse and search caches live below it)."""
    return Path(os.environ["XDG_CACHE_HOME"])


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A temporary copy of the shipped seed catalogue (the shipped file is only ever read)."""
    path = tmp_path / "resources.toml"
    shutil.copyfile(SEED, path)
    return path


@pytest.fixture
def fixture_catalogue(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a file from tests/fixtures into tmp_path and return the copy."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(FIXTURES / name, target)
        return target

    return copy


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(catalogue: Path) -> RunCli:
    """Run csec in-process on the temporary catalogue; stdout and stderr stay separate."""

    def run(
        *args: str, input: str | None = None, catch: bool = False, path: Path | None = None
    ) -> Result:
        runner = CliRunner()
        return runner.invoke(
            app,
            ["--catalogue", str(path or catalogue), *args],
            input=input,
            catch_exceptions=catch,
        )

    return run


def installed_csec() -> str:
    """The `csec` script installed beside this Python (what a user runs)."""
    candidate = Path(sys.executable).parent / "csec"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("csec")
    if not found:
        pytest.fail("the csec command is not installed; run the README's test command")
    return found


@pytest.fixture
def csec_process() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `csec` as a real subprocess, with a timeout."""

    def run(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [installed_csec(), *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )

    return run


@pytest.fixture(autouse=True)
def shipped_seed_unchanged() -> Iterator[None]:
    """Fail, by name, any test that writes to the shipped catalogue (it is only ever read)."""
    before = SEED.read_bytes()
    yield
    assert SEED.read_bytes() == before, "this test changed data/resources.toml"


@pytest.fixture
def csec_executable() -> str:
    """The path of the installed `csec` script."""
    return installed_csec()


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path whose whole catalogue is loaded (catalogue.load_catalogue) during a test: for
    tests that check which route a reader took."""
    from csec_cli import catalogue as catalogue_module

    calls: list[Path] = []
    real = catalogue_module.load_catalogue

    def recording(path: Path, **options: object) -> object:
        calls.append(path)
        return real(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogue_module, "load_catalogue", recording)
    return calls
