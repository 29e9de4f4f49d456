"""The first search after a hand edit: changed blocks parsed alone, never a different answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from csec_cli import search_index
from csec_cli.catalogue import load_catalogue
from csec_cli.errors import CatalogueUnreadableError
from csec_cli.search import rank_resources, search_catalogue

QUERIES = ("labour inspectors", "quokka", "sexual exploitation", "zanzibar manual")


def middle_title(text: str) -> tuple[int, int]:
    """Where the value of a title line in the middle of the file starts and ends."""
    start = text.index("\ntitle = ", len(text) // 2) + len("\ntitle = ")
    return start, text.index("\n", start)


def nth_block(text: str, number: int) -> tuple[int, int]:
    """Where block `number` (from 0) starts and ends."""
    starts = [index + 1 for index in range(len(text)) if text.startswith("\n[[resources]]", index)]
    starts.append(len(text))
    return starts[number], starts[number + 1]


def title_in_place(text: str) -> str:
    start, end = middle_title(text)
    return text[:start] + '"Quokka inspectors in Zanzibar"' + text[end:]


def two_titles(text: str) -> str:
    for number in (1, 7):
        start, end = nth_block(text, number)
        text = (
            text[:start] + text[start:end].replace('title = "', 'title = "Quokka ', 1) + text[end:]
        )
    return text


def line_added(text: str) -> str:
    start, _ = middle_title(text)
    return (
        text[:start]
        + '"Quokka guide"\npublisher = "Zanzibar Press"'
        + text[text.index("\n", start) :]
    )


def id_repeated(text: str) -> str:
    first = text[text.index('id = "') : text.index("\n", text.index('id = "'))]
    start, end = nth_block(text, 4)
    block = text[start:end]
    line = block[block.index('id = "') : block.index("\n", block.index('id = "'))]
    return text[:start] + block.replace(line, first, 1) + text[end:]


def title_removed(text: str) -> str:
    start, end = middle_title(text)
    line_start = text.rindex("\n", 0, start)
    return text[:line_start] + '\nnotes = "no title"' + text[end:]


def header_comment(text: str) -> str:
    return "# Quokka.\n" + text


def header_same_lines(text: str) -> str:
    assert text.startswith("#")
    return "# Quokka." + text[1:]


def block_appended(text: str) -> str:
    return text + '\n[[resources]]\nid = "quokka"\ntitle = "Quokka inspectors"\n'


def two_appended_and_an_edit(text: str) -> str:
    second = '\n[[resources]]\nid = "quokka-2"\ntitle = "Second quokka"\n'
    return title_in_place(block_appended(text)) + second


def appended_with_a_taken_id(text: str) -> str:
    taken = text[text.index('id = "') : text.index("\n", text.index('id = "'))]
    return text + f'\n[[resources]]\n{taken}\ntitle = "Quokka inspectors"\n'


def appended_twice_with_one_id(text: str) -> str:
    return block_appended(block_appended(text))


def appended_invalid(text: str) -> str:
    return text + '\n[[resources]]\nid = "quokka"\ntitle = 5\n'


def table_after(text: str) -> str:
    return text + '\n[team]\nname = "Quokka"\n'


def block_removed(text: str) -> str:
    start, end = nth_block(text, 3)
    return text[:start] + text[end:]


def string_unterminated(text: str) -> str:
    start, end = middle_title(text)
    return text[:start] + '"""Quokka' + text[end:]


# Edits after which only changed blocks are read (True), or the catalogue is loaded (False).
EDITS: dict[str, tuple[Callable[[str], str], bool]] = {
    "title in place": (title_in_place, True),
    "two titles": (two_titles, True),
    "header comment, same lines": (header_same_lines, True),
    "a line added": (line_added, False),
    "an id repeated": (id_repeated, False),
    "a title removed": (title_removed, False),
    "a header line added": (header_comment, False),
    "a block appended": (block_appended, True),
    "two appended and an edit": (two_appended_and_an_edit, True),
    "appended with an id taken": (appended_with_a_taken_id, False),
    "appended twice with one id": (appended_twice_with_one_id, False),
    "appended and invalid": (appended_invalid, False),
    "a table after the blocks": (table_after, False),
    "a block removed": (block_removed, False),
    "an unterminated string": (string_unterminated, False),
}


def fresh_answer(path: Path, query: str) -> Any:
    """What ranking a fresh parse gives, with its problems; or the error loading raises."""
    try:
        loaded = load_catalogue(path)
    except CatalogueUnreadableError as error:
        return str(error)
    return rank_resources(loaded.resources, query), loaded.problems


def searched(path: Path, query: str) -> Any:
    """What csec's search gives, cache and all; or the error it raises."""
    try:
        return search_catalogue(path, query)
    except CatalogueUnreadableError as error:
        return str(error)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_search_after_a_hand_edit_answers_as_a_fresh_load(
    tmp_path: Path, catalogue: Path, loads: list[Path], edit: str
) -> None:
    """Whatever the edit, the first and the next search give what a fresh parse gives; only
    edits that keep every block a valid resource on its line skip loading the catalogue."""
    change, blocks_only = EDITS[edit]
    path = tmp_path / "edited.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8"))
    searched(path, "labour")  # the index of the file before the edit, cached
    edited = change(text)
    assert edited != text
    path.write_bytes(edited.encode("utf-8"))
    loads.clear()
    first = searched(path, QUERIES[0])
    assert (loads == []) is blocks_only
    assert first == fresh_answer(path, QUERIES[0])
    for query in QUERIES:
        assert searched(path, query) == fresh_answer(path, query)


@pytest.mark.parametrize(
    "encoded",
    [lambda text: text.replace("\n", "\r\n").encode(), lambda text: ("\ufeff" + text).encode()],
    ids=["crlf", "bom"],
)
def test_line_endings_and_a_bom_take_the_same_route(
    tmp_path: Path, catalogue: Path, loads: list[Path], encoded: Callable[[str], bytes]
) -> None:
    """A CRLF file or one with a BOM, edited in place, is read block by block as well."""
    path = tmp_path / "edited.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_bytes(encoded(text))
    searched(path, "labour")
    path.write_bytes(encoded(title_in_place(text)))
    loads.clear()
    assert searched(path, "quokka") == fresh_answer(path, "quokka")
    assert loads == []


@pytest.mark.parametrize(
    "change",
    [lambda text: two_titles(title_in_place(text)), two_appended_and_an_edit],
    ids=["edits", "appends"],
)
def test_the_stored_index_after_an_edit_equals_a_fresh_one(
    tmp_path: Path, catalogue: Path, change: Callable[[str], str]
) -> None:
    """The index and rows stored after reading changed blocks are those a fresh build stores."""
    from test_search_cache import comparable

    path = tmp_path / "edited.toml"
    text = catalogue.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    searched(path, "labour")
    path.write_text(change(text), encoding="utf-8")
    searched(path, "labour")
    stored: list[Any] = []
    search_index.use_catalogue_index(path, lambda index, rows: stored.append((index, list(rows))))
    index, rows = stored[0]
    resources = load_catalogue(path).resources
    assert comparable(index) == comparable(search_index.build_search_index(resources))
    assert rows == resources
    assert [row.line for row in rows] == [resource.line for resource in resources]


def test_many_changed_blocks_load_the_catalogue(
    tmp_path: Path, catalogue: Path, loads: list[Path]
) -> None:
    """Past the share of changes worth updating, the catalogue is loaded and indexed afresh."""
    path = tmp_path / "many.toml"
    text = catalogue.read_text(encoding="utf-8")
    head, blocks = text[: text.index("[[resources]]")], text[text.index("[[resources]]") :]
    copies = [blocks.replace('id = "', f'id = "n{number}-') for number in range(8)]
    path.write_text(head + "\n".join(copies), encoding="utf-8")
    searched(path, "labour")
    path.write_text(head + "\n".join(copies).replace('title = "', 'title = "Quokka '), "utf-8")
    loads.clear()
    assert searched(path, "quokka") == fresh_answer(path, "quokka")
    assert loads
