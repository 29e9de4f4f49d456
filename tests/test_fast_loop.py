"""The fast test loop: `pytest -m "not slow"` leaves out the slow tests, plain `pytest` runs all."""

from __future__ import annotations

import tomllib

from conftest import REPO


def test_the_slow_marker_is_registered_and_strict() -> None:
    """pyproject registers `slow` and makes markers strict, so a misspelt mark fails the run."""
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]
    pytest_options = options["ini_options"]
    assert "--strict-markers" in pytest_options["addopts"].split()
    assert any(marker.startswith("slow:") for marker in pytest_options["markers"])
    # Plain pytest (what CI runs) must not leave the slow tests out.
    assert "not slow" not in pytest_options["addopts"]


def test_every_reliability_module_is_marked_slow() -> None:
    """Each module of tests/reliability marks all its tests slow, bar the quick hostile input."""
    quick = {"test_hostile_input.py"}
    for module in sorted((REPO / "tests" / "reliability").glob("test_*.py")):
        if module.name not in quick:
            assert "pytestmark = pytest.mark.slow" in module.read_text(encoding="utf-8"), module
