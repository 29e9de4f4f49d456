"""Filters match values the way search folds them, and say which stored values are close when
a value matches nothing."""

from __future__ import annotations

import pytest

from conftest import RunCli
from csec_cli.filters import FilterMiss, ResourceFilter, filter_misses
from csec_cli.models import Resource

RESOURCES = [
    Resource(id="a", title="A", audience=("labour inspectors",), type="manual"),
    Resource(id="b", title="B", audience=("judges",), countries=("Panamá",)),
]


@pytest.mark.parametrize(
    "audience", ["labour inspectors", "labor inspectors", "labour inspector", "LABOR INSPECTOR"]
)
def test_audience_filter_forgives_spelling_case_and_number(audience: str) -> None:
    """UK/US spelling, case and singular/plural all find 'labour inspectors'."""
    assert [r.id for r in ResourceFilter(audiences=(audience,)).apply(RESOURCES)] == ["a"]


def test_filters_still_compare_whole_values() -> None:
    """'inspectors' alone is not 'labour inspectors': filters are not substring searches."""
    assert ResourceFilter(audiences=("inspectors",)).apply(RESOURCES) == []
    assert [r.id for r in ResourceFilter(countries=("panama",)).apply(RESOURCES)] == ["b"]


def test_a_value_that_folds_to_nothing_matches_nothing() -> None:
    """`--type ''` does not select the resources that have no type."""
    assert ResourceFilter(types=("",)).apply(RESOURCES) == []
    assert ResourceFilter(types=("!!",)).apply(RESOURCES) == []


def test_filter_misses_name_close_stored_values() -> None:
    """A value no resource has is reported with the close stored values; a found one is not."""
    misses = filter_misses(
        ResourceFilter(audiences=("labour inspecter", "judge"), types=("manuel", "zzz")),
        RESOURCES,
    )
    assert [miss.describe() for miss in misses] == [
        "No resource has type 'manuel'; did you mean 'manual'?",
        "No resource has type 'zzz'.",
        "No resource has audience 'labour inspecter'; did you mean 'labour inspectors'?",
    ]


def test_several_suggestions_read_as_a_sentence() -> None:
    """Two close values are "'a' or 'b'", three "'a', 'b' or 'c'"."""
    two = FilterMiss("type", "manul", ("manual", "annual")).describe()
    three = FilterMiss("type", "manul", ("manual", "annual", "menu")).describe()
    assert two == "No resource has type 'manul'; did you mean 'manual' or 'annual'?"
    assert three == "No resource has type 'manul'; did you mean 'manual', 'annual' or 'menu'?"


@pytest.mark.parametrize("audience", ["labor inspectors", "labour inspector"])
def test_list_finds_the_stored_audience_in_another_spelling(run_cli: RunCli, audience: str) -> None:
    """`csec list --audience` finds 'labour inspectors' however it is spelled."""
    result = run_cli("list", "--audience", audience, "--ids")
    assert result.stdout == "labour-inspection-csec\n"
    assert result.stderr == ""


@pytest.mark.parametrize(
    "command", [["list"], ["search", "labour"], ["stats"], ["export", "--format", "json"]]
)
def test_a_filter_matching_nothing_suggests_on_stderr_and_exits_0(
    run_cli: RunCli, command: list[str]
) -> None:
    """Every filtering command names the close stored value on stderr; stdout keeps its data."""
    result = run_cli(*command, "--audience", "labour inspecter")
    assert result.exit_code == 0
    assert (
        "No resource has audience 'labour inspecter'; did you mean 'labour inspectors'?"
        in result.stderr
    )
    assert "did you mean" not in result.stdout
