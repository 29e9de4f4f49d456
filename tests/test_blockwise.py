"""Block-by-block parsing gives exactly what parsing the whole file gives, or steps aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csec_cli import blockwise, cache
from csec_cli.blockwise import parse_blockwise
from csec_cli.catalogue import (
    Catalogue,
    decode_catalogue_text,
    load_catalogue,
    parse_catalogue,
    render_resource,
)
from csec_cli.models import Resource
from reliability.test_properties import resources, unique_by_id
from test_cache import snapshot

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parents[1] / "data" / "resources.toml"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BLOCK_A = '[[resources]]\nid = "a"\ntitle = "First"\ndate = 2009-03-01\n'
BLOCK_B = '[[resources]]\nid = "b"\ntitle = "Second"\nsummary = "About labour inspectors."\n'
BLOCK_C = '[[resources]]\nid = "c"\ntitle = "Third"\ntopics = ["trafficking"]\n'


def whole(path: Path, data: bytes) -> Catalogue:
    """The whole-text parse, the reference block-by-block parsing must equal."""
    return parse_catalogue(path, *decode_catalogue_text(path, data))


def reusable(parsed: Catalogue) -> dict[bytes, Resource]:
    """What a cache entry of `parsed` offers the next parse."""
    return dict(parsed._provenance.parsed_blocks)


# Pieces put between blocks: harmless ones keep the block route open, the others must close it.
NOISE = st.sampled_from(
    [
        "",
        "\n",
        "# a comment between resources\n",
        "\n\n   \n",
        '[resources.loan]\nseen = "yes"\n',  # a sub-table of the resource above: still one block
        "[meta]\nschema = 1\n",  # another top-level table: whole-text route
        "[[ resources ]]\nid = 'spaced'\ntitle = 'Spaced header'\n",  # another spelling
        "[[resources]]\nid = 'bad-date'\ntitle = 'Bad date'\ndate = 2009-02-30\n",
        '[[resources]]\nid = "no-title"\n',  # an invalid resource: a problem, not a fallback
        'summary = """\n[[resources]]\nid = "inside"\n"""\n',  # a header inside a string
        "not toml at all\n",
    ]
)
HEADERS = st.sampled_from(["", "# Our catalogue\n", '# Team list\nowner = "centre"\n\n', "x = [\n"])


@st.composite
def catalogue_bytes(draw: st.DrawFn) -> bytes:
    """A catalogue file much like csec writes one, sometimes with something odd in it."""
    items = draw(st.lists(resources(), max_size=5).map(unique_by_id))
    parts = [draw(HEADERS)]
    for item in items:
        parts.append(render_resource(item))
        parts.append(draw(NOISE))
    text = "\n".join(parts)
    if draw(st.booleans()):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return (("\ufeff" if draw(st.booleans()) else "") + text).encode("utf-8")


def parses_as_toml(path: Path, data: bytes) -> Catalogue | None:
    """The whole-text parse, or None where the file is not a catalogue at all."""
    from csec_cli.errors import CatalogueUnreadableError

    try:
        return whole(path, data)
    except CatalogueUnreadableError:
        return None


@pytest.mark.slow
@SETTINGS
@given(data=catalogue_bytes())
def test_blockwise_equals_the_whole_parse_or_steps_aside(data: bytes) -> None:
    """On any file, block-by-block parsing either gives what the whole parse gives or None."""
    path = Path("c.toml")
    reference = parses_as_toml(path, data)
    blocks = parse_blockwise(path, data, {})
    if blocks is None:
        return
    assert reference is not None, "a file that is not TOML was read block by block"
    assert snapshot(blocks) == snapshot(reference)


@pytest.mark.slow
@SETTINGS
@given(before=catalogue_bytes(), after=catalogue_bytes())
def test_reused_blocks_give_what_a_fresh_parse_gives(before: bytes, after: bytes) -> None:
    """Taking blocks from an earlier parse of another file never changes the result."""
    path = Path("c.toml")
    earlier = parse_blockwise(path, before, {})
    # Both files' blocks on offer: some of `after`'s blocks are then found, some are not.
    offered = reusable(earlier) if earlier else {}
    combined = before + after if before.endswith(b"\n") or not before else before + b"\n" + after
    for data in (after, combined):
        fresh = parse_blockwise(path, data, {})
        again = parse_blockwise(path, data, offered)
        assert (fresh is None) == (again is None)
        if fresh is not None and again is not None:
            assert snapshot(again) == snapshot(fresh)


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param("[meta]\nschema = 1\n", id="a table after the resources"),
        pytest.param("[[ resources ]]\nid = 'x'\ntitle = 'X'\n", id="a header spelt otherwise"),
        pytest.param("[[resources]]\nid = 'x'\ntitle = 'X'\ndate = 2009-02-30\n", id="bad date"),
        pytest.param('summary = """\n[[resources]]\n"""\n', id="a header inside a string"),
        pytest.param("id = 'duplicate key'\n", id="a duplicate key"),
    ],
)
def test_odd_files_take_the_whole_text_route(odd: str) -> None:
    """Anything but plain `[[resources]]` blocks is left to the whole-text parse."""
    data = (BLOCK_A + "\n" + BLOCK_B + odd).encode()
    assert parse_blockwise(Path("c.toml"), data, {}) is None


def test_a_header_that_defines_resources_takes_the_whole_text_route() -> None:
    """Top-level text that defines `resources` itself cannot be read block by block."""
    data = ("resources = []\n\n" + BLOCK_A).encode()
    assert parse_blockwise(Path("c.toml"), data, {}) is None


@pytest.mark.parametrize(
    "path", [SEED, *sorted(FIXTURES.glob("*.toml"))], ids=lambda path: path.name
)
def test_shipped_and_fixture_catalogues(path: Path) -> None:
    """The seed and every test catalogue read block by block as a whole parse reads them."""
    data = path.read_bytes()
    reference = parses_as_toml(path, data)
    blocks = parse_blockwise(path, data, {})
    if path == SEED:
        assert blocks is not None  # csec's own files must take the fast route
    if blocks is not None:
        assert reference is not None
        assert snapshot(blocks) == snapshot(reference)


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the text of every TOML parse block-by-block parsing makes."""
    texts: list[str] = []
    real = blockwise._parse_toml

    def recording(path: Path, text: str) -> dict[str, Any]:
        texts.append(text)
        return real(path, text)

    monkeypatch.setattr(blockwise, "_parse_toml", recording)
    return texts


def test_only_changed_blocks_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, unchanged blocks are taken again, moved to their new lines."""
    path = Path("c.toml")
    before = "\n".join(["# header\n", BLOCK_A, BLOCK_B, BLOCK_C]).encode()
    earlier = parse_blockwise(path, before, {})
    assert earlier is not None
    edited_b = BLOCK_B + '# two lines longer now\npublisher = "ILO"\n'
    after = "\n".join(["# header\n", BLOCK_A, edited_b, BLOCK_C]).encode()
    texts = counting_parses(monkeypatch)
    again = parse_blockwise(path, after, reusable(earlier))
    assert again is not None
    assert texts == ["# header\n\n", "# header\n", edited_b + "\n"]
    assert snapshot(again) == snapshot(whole(path, after))
    assert [resource.line for resource in again.resources] == [3, 8, 15]


def test_a_block_with_the_same_size_but_other_bytes_is_parsed_again() -> None:
    """Blocks are known by a hash of their bytes, so an edit of equal length is seen."""
    path = Path("c.toml")
    earlier = parse_blockwise(path, (BLOCK_A + "\n" + BLOCK_B).encode(), {})
    assert earlier is not None
    changed = BLOCK_B.replace("Second", "Secund")
    again = parse_blockwise(path, (BLOCK_A + "\n" + changed).encode(), reusable(earlier))
    assert again is not None
    assert [resource.title for resource in again.resources] == ["First", "Secund"]


def test_load_reuses_the_previous_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first load after a change parses only the changed block, and equals a fresh parse."""
    path = tmp_path / "c.toml"
    path.write_text("\n".join([BLOCK_A, BLOCK_B, BLOCK_C]), encoding="utf-8")
    load_catalogue(path)
    path.write_text("\n".join([BLOCK_A, BLOCK_B.replace("Second", "2nd"), BLOCK_C]), "utf-8")
    texts = counting_parses(monkeypatch)
    loaded = load_catalogue(path)
    assert texts == [BLOCK_B.replace("Second", "2nd") + "\n"]
    assert snapshot(loaded) == snapshot(whole(path, path.read_bytes()))


def test_an_entry_of_other_code_offers_nothing(tmp_path: Path) -> None:
    """Blocks are taken only from an entry this csec and this Python wrote."""
    path = tmp_path / "c.toml"
    path.write_text(BLOCK_A, encoding="utf-8")
    load_catalogue(path)
    assert set(cache.load_parsed_blocks(path)) == {blockwise.block_digest(BLOCK_A.encode())}
    entry = cache.entry_path(path)
    entry.write_bytes(entry.read_bytes().replace(cache._code_fingerprint().encode(), b"0" * 64))
    assert cache.load_parsed_blocks(path) == {}


def test_a_damaged_entry_offers_nothing(tmp_path: Path) -> None:
    """A cut or altered entry is never a source of blocks."""
    path = tmp_path / "c.toml"
    path.write_text(BLOCK_A + "\n" + BLOCK_B, encoding="utf-8")
    load_catalogue(path)
    entry = cache.entry_path(path)
    whole_entry = entry.read_bytes()
    entry.write_bytes(whole_entry[:-7])
    assert cache.load_parsed_blocks(path) == {}
    flipped = bytearray(whole_entry)
    flipped[-20] ^= 0xFF
    entry.write_bytes(bytes(flipped))
    assert cache.load_parsed_blocks(path) == {}


def test_the_digest_is_cryptographic() -> None:
    """Two blocks are the same only if their bytes are: the digest is a 160-bit BLAKE2b."""
    assert len(blockwise.block_digest(b"x")) == 20
    assert blockwise.block_digest(b"x") != blockwise.block_digest(b"y")


@pytest.mark.parametrize("crlf", [False, True])
def test_an_appended_block_is_known_by_its_bytes(tmp_path: Path, crlf: bool) -> None:
    """After `append_resource`, the cache knows the new block by the digest a fresh split gives."""
    from csec_cli.catalogue import CatalogueLocation, append_resource

    path = tmp_path / "c.toml"
    text = BLOCK_A + "\n" + BLOCK_B
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode())
    load_catalogue(path)
    append_resource(CatalogueLocation(path, "--catalogue"), Resource(id="new", title="New one"))
    fresh = parse_blockwise(path, path.read_bytes(), {})
    assert fresh is not None
    last_digest, last = fresh._provenance.parsed_blocks[-1]
    assert last.id == "new"
    assert cache.load_parsed_blocks(path)[last_digest] == last
