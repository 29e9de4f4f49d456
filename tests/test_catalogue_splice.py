"""Rewriting a file csec wrote itself copies unchanged blocks, with the bytes a full render gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csec_cli import toml_format
from csec_cli.catalogue import (
    CatalogueLocation,
    load_catalogue,
    render_catalogue,
    updating_catalogue,
)
from csec_cli.models import Resource
from csec_cli.toml_format import encode_text as _encode_text
from identifier_strategies import isbns, issns
from reliability.test_properties import (
    TODAY,
    added_lists,
    partial_dates,
    resources,
    unique_by_id,
    web_addresses,
)
from test_cache import fresh, snapshot

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


writable_resources = resources(
    urls=web_addresses,
    dates=partial_dates(until=TODAY),
    lists=added_lists,
    numbers=(isbns(), issns()),
)


def rewrite(path: Path, change: object) -> bytes:
    """Apply `change` to the catalogue under csec's update, and return what a full render of
    the result is (the bytes the rewrite must have written)."""
    with updating_catalogue(CatalogueLocation(path, "--catalogue")) as loaded:
        change(loaded.resources)  # type: ignore[operator]
        expected = _encode_text(render_catalogue(loaded), crlf=loaded.crlf, bom=loaded.bom)
    return expected


@pytest.mark.slow
@SETTINGS
@given(
    # Writers refuse what `csec check` calls an error (a future date, a url that is not a web
    # address), so the resources are any that check accepts.
    items=st.lists(writable_resources, min_size=1, max_size=6).map(unique_by_id),
    extra=st.lists(writable_resources, max_size=3),
    header=st.sampled_from(["", "# Our team's catalogue\n"]),
    bom=st.booleans(),
    edits=st.lists(st.tuples(st.sampled_from(["edit", "remove", "move"]), st.integers(0, 10))),
)
def test_a_rewrite_writes_what_a_full_render_writes(
    items: list[Resource],
    extra: list[Resource],
    header: str,
    bom: bool,
    edits: list[tuple[str, int]],
) -> None:
    """Edits, removals, moves and additions after a csec write give a full render's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        path.write_bytes((("\ufeff" if bom else "") + (header or "# start\n")).encode())
        with updating_catalogue(CatalogueLocation(path, "--catalogue"), create=True) as first:
            first.resources.extend(items)  # a full render: the file is now csec's own
        taken = {item.id for item in items}
        added = [item for item in unique_by_id(extra) if item.id not in taken]

        def change(listed: list[Resource]) -> None:
            for kind, number in edits:
                if not listed:
                    break
                position = number % len(listed)
                if kind == "edit":
                    listed[position] = listed[position].with_changes(
                        title="Edited " + listed[position].title
                    )
                elif kind == "remove" and len(listed) > 1:
                    del listed[position]
                elif kind == "move":
                    listed.append(listed.pop(position))
            listed.extend(added)

        expected = rewrite(path, change)
        assert path.read_bytes() == expected
        assert snapshot(load_catalogue(path)) == snapshot(fresh(path))


def test_only_changed_resources_are_rendered(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rewrite renders the edited resource alone; the others are copied as bytes."""
    rewrite(catalogue, lambda listed: None)  # the seed copy, now written by csec
    rendered: list[str] = []
    real = toml_format.render_resource

    def recording(resource: Resource) -> str:
        rendered.append(resource.id)
        return real(resource)

    monkeypatch.setattr(toml_format, "render_resource", recording)

    def edit_third(listed: list[Resource]) -> None:
        listed[2] = listed[2].with_changes(summary="A new summary.")

    expected_id = load_catalogue(catalogue).resources[2].id
    monkeypatch.setattr(toml_format, "render_resource", recording)
    with updating_catalogue(CatalogueLocation(catalogue, "--catalogue")) as loaded:
        edit_third(loaded.resources)
    assert rendered == [expected_id]
    assert snapshot(load_catalogue(catalogue)) == snapshot(fresh(catalogue))


def test_a_hand_edited_file_is_rendered_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file csec did not write is rewritten by rendering every resource (its own form)."""
    path = tmp_path / "c.toml"
    path.write_text(
        '[[resources]]\nid   =   "a"\ntitle = "A"\n\n# note\n[[resources]]\nid = "b"\ntitle = "B"\n',
        encoding="utf-8",
    )
    rendered: list[str] = []
    real = toml_format.render_resource
    monkeypatch.setattr(toml_format, "render_resource", lambda r: rendered.append(r.id) or real(r))
    with updating_catalogue(CatalogueLocation(path, "--catalogue")) as loaded:
        loaded.resources[1] = loaded.resources[1].with_changes(title="Bee")
    assert sorted(rendered) == ["a", "b"]
    assert path.read_text(encoding="utf-8") == (
        '[[resources]]\nid = "a"\ntitle = "A"\n\n[[resources]]\nid = "b"\ntitle = "Bee"\n'
    )
