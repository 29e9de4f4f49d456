"""Tests for catalogue: locating, reading with per-resource problems, and safe, faithful writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from csec_cli.catalogue import (
    CatalogueLocation,
    _appended_bytes,
    append_resource,
    decode_catalogue_text,
    find_resource,
    load_catalogue,
    locate_catalogue,
    parse_catalogue,
    render_catalogue,
    render_resource,
    save_catalogue,
    seed_catalogue_path,
    updating_catalogue,
)
from csec_cli.errors import CatalogueInvalidError, CatalogueUnreadableError, ResourceNotFoundError
from csec_cli.models import Resource

SEED = Path(__file__).resolve().parents[1] / "data" / "resources.toml"


def test_location_prefers_option_then_environment_then_default(tmp_path: Path) -> None:
    """--catalogue beats CSEC_CATALOGUE, which beats the per-user default."""
    env = {"CSEC_CATALOGUE": str(tmp_path / "env.toml")}
    assert locate_catalogue(tmp_path / "opt.toml", env).path == tmp_path / "opt.toml"
    assert locate_catalogue(None, env).source == "CSEC_CATALOGUE"
    default = locate_catalogue(None, {})
    assert default.source == "default"
    assert "site-packages" not in str(default.path)


def test_missing_default_catalogue_reads_the_shipped_seed() -> None:
    """Right after install the default reads the seed without creating anything."""
    location = locate_catalogue(None, {})
    assert location.uses_seed
    assert location.path_for_reading() == seed_catalogue_path()
    assert not location.path.exists()


def test_seed_catalogue_loads_cleanly() -> None:
    """The shipped seed has ten valid resources and no problems."""
    catalogue = load_catalogue(SEED)
    assert len(catalogue.resources) == 10
    assert catalogue.problems == []


def test_rendering_a_canonical_catalogue_reproduces_it_byte_for_byte(catalogue: Path) -> None:
    """Writes are deterministic: the seed, re-rendered, is the same text."""
    assert render_catalogue(load_catalogue(catalogue)) == catalogue.read_text(encoding="utf-8")


def test_invalid_resources_are_reported_with_lines_and_the_rest_is_read(
    fixture_catalogue: pytest.FixtureRequest,
) -> None:
    """A resource with no title is skipped with its line; the others are read."""
    path = fixture_catalogue("missing-title.toml")  # type: ignore[operator]
    loaded = load_catalogue(path)
    assert [resource.id for resource in loaded.resources] == ["alpha", "gamma"]
    assert len(loaded.problems) == 1
    assert loaded.problems[0].line == 8
    assert "has no title" in loaded.problems[0].message


def test_duplicate_id_is_a_problem_naming_the_first_line(
    fixture_catalogue: pytest.FixtureRequest,
) -> None:
    """The second use of an id is invalid and points at the first."""
    loaded = load_catalogue(fixture_catalogue("duplicate-ids.toml"))  # type: ignore[operator]
    assert [resource.title for resource in loaded.resources] == ["Alpha guide", "Gamma leaflet"]
    assert loaded.problems[0].line == 8
    assert "'alpha': duplicate id (first used on line 3)" in loaded.problems[0].message


def test_syntax_error_names_file_line_and_column(fixture_catalogue: pytest.FixtureRequest) -> None:
    """A file that does not parse stops with path:line:column."""
    path = fixture_catalogue("syntax-error.toml")  # type: ignore[operator]
    with pytest.raises(CatalogueUnreadableError, match=rf"^{path}:5:\d+: not valid TOML"):
        load_catalogue(path)


def test_wrong_shape_is_a_file_level_error(fixture_catalogue: pytest.FixtureRequest) -> None:
    """`resources` that is not an array of tables stops every command."""
    path = fixture_catalogue("wrong-shape.toml")  # type: ignore[operator]
    with pytest.raises(CatalogueUnreadableError, match="must be an array of tables"):
        load_catalogue(path)


def test_missing_file_explains_how_to_create_one(tmp_path: Path) -> None:
    """Reading a missing catalogue says how to make one."""
    with pytest.raises(CatalogueUnreadableError, match="csec add"):
        load_catalogue(tmp_path / "none.toml")


def test_writes_keep_header_unknown_keys_and_partial_dates(
    fixture_catalogue: pytest.FixtureRequest,
) -> None:
    """A full rewrite keeps the team's header, unknown keys and month-only dates."""
    path = fixture_catalogue("small.toml")  # type: ignore[operator]
    location = CatalogueLocation(path, "--catalogue")
    with updating_catalogue(location) as loaded:
        loaded.resources = [
            r.with_changes(summary="changed") if r.id == "gamma" else r for r in loaded.resources
        ]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Team header: kept through every write.\n# Second header line.\n")
    assert 'shelf = "B-12"' in text
    assert 'date = "2008-11"' in text
    reread = load_catalogue(path)
    assert find_resource(reread.resources, "gamma").summary == "changed"
    assert find_resource(reread.resources, "alpha").extra == {"shelf": "B-12"}


def test_writes_refuse_while_a_resource_is_invalid(
    fixture_catalogue: pytest.FixtureRequest,
) -> None:
    """A bad resource is never written over: the update is refused and the file unchanged."""
    path = fixture_catalogue("missing-title.toml")  # type: ignore[operator]
    before = path.read_bytes()
    with (
        pytest.raises(CatalogueInvalidError, match=r"missing-title.toml:8: .*csec check"),
        updating_catalogue(CatalogueLocation(path, "--catalogue")),
    ):
        pytest.fail("the block must not run")
    with pytest.raises(CatalogueInvalidError):
        append_resource(CatalogueLocation(path, "--catalogue"), Resource(id="new", title="New"))
    assert path.read_bytes() == before


def test_failed_block_writes_nothing(catalogue: Path) -> None:
    """An exception inside an update leaves the file as it was."""
    before = catalogue.read_bytes()
    with (
        pytest.raises(RuntimeError),
        updating_catalogue(CatalogueLocation(catalogue, "--catalogue")) as loaded,
    ):
        loaded.resources.clear()
        raise RuntimeError("interrupted")
    assert catalogue.read_bytes() == before


def test_append_keeps_existing_text_and_matches_a_full_rewrite(catalogue: Path) -> None:
    """Appending one table keeps every byte before it and equals the canonical rewrite."""
    before = catalogue.read_text(encoding="utf-8")
    append_resource(
        CatalogueLocation(catalogue, "--catalogue"), Resource(id="new", title="New one")
    )
    after = catalogue.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after == render_catalogue(load_catalogue(catalogue))
    assert load_catalogue(catalogue).resources[-1].id == "new"


@pytest.mark.parametrize(
    "text",
    [
        '[[resources]]\nid = "a"\ntitle = "Á"\n',
        '[[resources]]\nid = "a"\ntitle = "A"',  # no final line break
        '# header\n\n[[resources]]\nid = "a"\ntitle = "A"\n\n# a last comment\n\n',
        "# A catalogue with nothing in it yet.\n",
    ],
)
@pytest.mark.parametrize("bom", [False, True])
def test_appending_to_the_bytes_read_equals_appending_to_the_text(
    tmp_path: Path, text: str, bom: bool
) -> None:
    """Extending the file's bytes as read gives the same bytes and block line as extending its
    decoded text, and the written file reads back with the new resource on that line."""
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    path = tmp_path / "c.toml"
    path.write_bytes(data)
    decoded, has_bom = decode_catalogue_text(path, data)
    through_text = parse_catalogue(path, decoded, has_bom)
    through_text._provenance.source = b""  # only the text: the slower way round
    through_bytes = parse_catalogue(path, decoded, has_bom)
    through_bytes._provenance.source, through_bytes._provenance.text = data, None
    block = render_resource(Resource(id="new", title="New one"))
    expected = _appended_bytes(through_text, block)
    assert _appended_bytes(through_bytes, block) == expected
    appended, line = expected
    path.write_bytes(appended)
    assert load_catalogue(path).resources[-1] == Resource(id="new", title="New one")
    assert load_catalogue(path).resources[-1].line == line


def test_append_refuses_an_id_in_use(catalogue: Path) -> None:
    """Ids stay unique."""
    with pytest.raises(Exception, match="already in use"):
        append_resource(
            CatalogueLocation(catalogue, "--catalogue"), Resource(id="belize-protocol", title="X")
        )


def test_first_write_to_default_starts_from_the_seed() -> None:
    """The per-user catalogue is created from the seed on its first write, never in the package."""
    location = locate_catalogue(None, {})
    append_resource(location, Resource(id="mine", title="My own resource"))
    created = load_catalogue(location.path)
    assert len(created.resources) == 11
    assert seed_catalogue_path().read_bytes() == SEED.read_bytes()


def test_create_makes_a_missing_catalogue(tmp_path: Path) -> None:
    """Writing commands may create a catalogue that does not exist yet."""
    path = tmp_path / "sub" / "new.toml"
    with updating_catalogue(CatalogueLocation(path, "--catalogue"), create=True) as loaded:
        loaded.resources.append(Resource(id="a", title="A"))
    assert [r.id for r in load_catalogue(path).resources] == ["a"]


def test_crlf_and_bom_survive_a_write(tmp_path: Path) -> None:
    """Files saved by Windows editors keep their BOM and CRLF line endings."""
    path = tmp_path / "win.toml"
    path.write_bytes(b'\xef\xbb\xbf# header\r\n\r\n[[resources]]\r\nid = "a"\r\ntitle = "A"\r\n')
    append_resource(CatalogueLocation(path, "--catalogue"), Resource(id="b", title="B"))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# header\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert [r.id for r in load_catalogue(path).resources] == ["a", "b"]


def test_non_utf8_file_is_named_as_such(tmp_path: Path) -> None:
    """Latin-1 bytes give a clear "not UTF-8" message with the line."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[[resources]]\nid = "a"\ntitle = "Panam\xe1"\n')
    with pytest.raises(CatalogueUnreadableError, match=r"latin1.toml:3:15: not UTF-8"):
        load_catalogue(path)


def test_permissions_are_kept_through_a_write(catalogue: Path) -> None:
    """A catalogue made group-writable stays so after csec rewrites it."""
    os.chmod(catalogue, 0o664)
    append_resource(CatalogueLocation(catalogue, "--catalogue"), Resource(id="n", title="N"))
    assert stat.S_IMODE(catalogue.stat().st_mode) == 0o664


def test_no_temporary_or_stale_files_are_left(catalogue: Path) -> None:
    """After a write only the catalogue and its lock file remain; old temp files are cleared."""
    leftover = catalogue.with_name(f".{catalogue.name}.dead.tmp")
    leftover.write_text("torn")
    append_resource(CatalogueLocation(catalogue, "--catalogue"), Resource(id="n", title="N"))
    assert sorted(p.name for p in catalogue.parent.iterdir()) == [
        "resources.toml",
        "resources.toml.lock",
    ]


def test_find_resource_by_prefix_and_with_suggestions() -> None:
    """Unique prefixes work; ambiguous and unknown ids explain themselves."""
    resources = load_catalogue(SEED).resources
    assert find_resource(resources, "belize").id == "belize-protocol"
    with pytest.raises(ResourceNotFoundError, match="matches several ids"):
        find_resource(resources, "media")
    with pytest.raises(ResourceNotFoundError, match="did you mean belize-protocol"):
        find_resource(resources, "belise-protocol")


def test_several_close_ids_read_as_a_sentence() -> None:
    """An unknown id close to several is answered "did you mean a, b or c?"."""
    resources = [Resource(id=f"guide-{year}", title=f"Guide {year}") for year in (2009, 2010, 2011)]
    with pytest.raises(
        ResourceNotFoundError, match=r"did you mean guide-2011, guide-2010 or guide-2009\?$"
    ):
        find_resource(resources, "guide-2012")


def test_catalogue_that_would_not_parse_is_never_written(catalogue: Path) -> None:
    """save_catalogue checks its own output parses before replacing the file."""
    loaded = load_catalogue(catalogue)
    loaded.header = "this is not toml\n"
    before = catalogue.read_bytes()
    with pytest.raises(ValueError):  # tomli's TOMLDecodeError is a ValueError
        save_catalogue(loaded)
    assert catalogue.read_bytes() == before


def test_removing_the_last_resource_leaves_a_readable_catalogue(tmp_path: Path) -> None:
    """A catalogue csec empties is written as a comment, never as a zero-byte file."""
    path = tmp_path / "one.toml"
    path.write_text('[[resources]]\nid = "a"\ntitle = "A"\n', encoding="utf-8")
    with updating_catalogue(CatalogueLocation(path, "--catalogue")) as loaded:
        loaded.resources.clear()
    assert path.read_text(encoding="utf-8").strip()
    assert load_catalogue(path).resources == []
