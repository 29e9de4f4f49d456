"""The HTML export: one self-contained, escaped page whose filter box works in a real browser."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from csec_cli.catalogue import load_catalogue, seed_catalogue_path
from csec_cli.dates import PartialDate
from csec_cli.formats import ExportOptions
from csec_cli.formats.html import write_html
from csec_cli.models import Resource

RESOURCES = [
    Resource(
        id="inspectors",
        title="Taking action! Labour inspection <script>alert(1)</script>",
        date=PartialDate(2009, 3, 1),
        type="pamphlet",
        summary='For labour inspectors: "crimes" & victims',
        url="https://example.org/inspection?a=1&b=2",
    ),
    Resource(id="media", title="Working with the media", date=PartialDate(2008), type="manual"),
    Resource(id="evil", title="Clickable?", url="javascript:alert(1)", summary="Panamá"),
]


# Resources of the thesaurus test: two on trafficking (one says "trata", one does not), one on
# children in Spanish, one on child pornography, one on none of these.
THESAURUS_RESOURCES = [
    Resource(
        id="unbearable", title="Unbearable to the human heart: Child trafficking", language="en"
    ),
    Resource(id="ley-trata", title="Ley contra la trata de personas", language="es"),
    Resource(id="ninas", title="Niñas y adolescentes en el trabajo doméstico", language="es"),
    Resource(id="csam", title="Online child pornography: a review", language="en"),
    Resource(id="media", title="Working with the media", language="en"),
]


def _page(resources: list[Resource] = RESOURCES, catalogue_path: Path | None = None) -> str:
    stream = io.StringIO()
    write_html(resources, stream, ExportOptions(catalogue_path=catalogue_path))
    return stream.getvalue()


def _data(page: str) -> dict[str, Any]:
    """The vocabulary the page gives its filter script."""
    found = re.search(r"var DATA = (\{.*?\});\n", page)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_page_escapes_catalogue_text_and_links_only_web_addresses() -> None:
    """Markup in a title is shown as text; only http(s) urls become links."""
    collector = _Collector()
    collector.feed(_page())
    scripts = [attrs for tag, attrs in collector.tags if tag == "script"]
    assert len(scripts) == 1  # only the page's own filter script
    links = [attrs["href"] for tag, attrs in collector.tags if tag == "a"]
    assert links == ["https://example.org/inspection?a=1&b=2"]
    text = "".join(collector.text)
    assert "Taking action! Labour inspection <script>alert(1)</script>" in text
    assert 'For labour inspectors: "crimes" & victims' in text


def test_page_is_self_contained() -> None:
    """No outside script, style, image or font: the page works offline and loads nothing."""
    page = _page()
    collector = _Collector()
    collector.feed(page)
    for tag, attrs in collector.tags:
        assert "src" not in attrs, tag
        assert tag != "link"
    assert "default-src 'none'" in page


def test_page_groups_by_year_with_undated_last() -> None:
    """Sections follow the order given (callers sort newest first), undated resources last."""
    page = _page()
    assert (
        page.index("<h2>2009</h2>") < page.index("<h2>2008</h2>") < page.index("<h2>Undated</h2>")
    )


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_filter_box_hides_non_matching_resources_in_chromium() -> None:
    """Typing in the filter box in headless Chromium hides what does not match, accents ignored."""
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found (install Debian's chromium package, as .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "catalogue.html"
        page_file.write_text(_page(), encoding="utf-8")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable,
                headless=True,
                args=[
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync",
                ],
            )  # fmt: skip
            try:
                page = browser.new_page()
                dialogs: list[str] = []
                page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                page.goto(page_file.as_uri())
                resources = page.locator("article.resource")
                assert resources.count() == 3
                assert page.locator("#status").inner_text() == "3 of 3 resources shown"

                page.locator("#filter").press_sequentially("inspectors")
                visible = [r.inner_text() for r in resources.all() if r.is_visible()]
                assert len(visible) == 1 and "Labour inspection" in visible[0]
                assert not page.locator("section.year", has_text="Undated").is_visible()
                assert page.locator("#status").inner_text() == "1 of 3 resources shown"

                page.locator("#filter").fill("")
                page.locator("#filter").press_sequentially("PANAMA")
                visible = [r.inner_text() for r in resources.all() if r.is_visible()]
                assert len(visible) == 1 and "Clickable?" in visible[0]

                page.locator("#filter").fill("")
                assert sum(r.is_visible() for r in resources.all()) == 3
                assert dialogs == []  # the <script> in a title never ran
            finally:
                browser.close()


def test_only_the_page_script_may_run_and_its_hash_is_the_one_allowed() -> None:
    """The script, vocabulary included, is the one block the policy allows, by its exact hash."""
    page = _page(THESAURUS_RESOURCES)
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in page
    assert page.count("<script") == 1


def test_vocabulary_holds_only_concepts_the_resources_mention() -> None:
    """Trafficking's terms in every language are there; fisheries, mentioned nowhere, is not."""
    terms = _data(_page(THESAURUS_RESOURCES))["terms"]
    trafficking = [group.split("|") for group in terms if "human trafficking" in group.split("|")]
    assert trafficking and {"trata", "trafico de pessoas", "traite"} <= set(trafficking[0])
    assert not any("aquaculture" in group for group in terms)


def test_vocabulary_cannot_close_the_script_block() -> None:
    """A team term holding "</script>" reaches the page escaped, so the block stays whole."""
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "resources.toml"
        (Path(folder) / "thesaurus.toml").write_text(
            '[[concept]]\nid = "media"\nen = ["media", "x</script><b>"]\n', encoding="utf-8"
        )
        page = _page(THESAURUS_RESOURCES, catalogue_path=catalogue)
    assert page.count("</script>") == 1
    assert any("x script b" in group.split("|") for group in _data(page)["terms"])


def test_team_terms_reach_the_filter() -> None:
    """A term from the team's thesaurus beside the catalogue is known to the page's filter."""
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "resources.toml"
        (Path(folder) / "thesaurus.toml").write_text(
            '[[concept]]\nid = "trafficking"\nes = ["tratantes"]\n', encoding="utf-8"
        )
        terms = _data(_page(THESAURUS_RESOURCES, catalogue_path=catalogue))["terms"]
    assert any("tratantes" in group.split("|") for group in terms)


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Callable[[str], Any]]:
    """Open an HTML text in headless Chromium; the browser is started once for the module."""
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium found (install Debian's chromium package, as .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    with tempfile.TemporaryDirectory() as folder, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )  # fmt: skip
        opened: list[Any] = []

        def open_page(html: str) -> Any:
            page_file = Path(folder) / f"page{len(opened)}.html"
            page_file.write_text(html, encoding="utf-8")
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text))
            page.goto(page_file.as_uri())
            page.errors = errors
            opened.append(page)
            return page

        try:
            yield open_page
        finally:
            browser.close()


def _shown(page: Any, typed: str) -> list[str]:
    """The ids of the resources the filter shows once `typed` is in the box."""
    page.locator("#filter").fill("")
    page.locator("#filter").press_sequentially(typed)
    titles = [
        article.inner_text() for article in page.locator("article.resource").all()
        if article.is_visible()
    ]  # fmt: skip
    return titles


@pytest.mark.slow
def test_filter_finds_labour_and_labor_alike_on_the_seed(browser_page: Any) -> None:
    """On the seed, "labor" and "labour" show the same resources, those saying labour or labor."""
    resources = load_catalogue(seed_catalogue_path()).resources
    page = browser_page(_page(resources))
    labour = _shown(page, "labour")
    assert labour == _shown(page, "labor") == _shown(page, "LABOR")
    saying = [r for r in resources if re.search(r"labou?r", f"{r.title} {r.summary}", re.I)]
    assert len(labour) >= len(saying) >= 2
    assert _shown(page, "organisations") == _shown(page, "organizations") != []
    assert page.errors == []


@pytest.mark.slow
def test_filter_knows_the_thesaurus(browser_page: Any) -> None:
    """Typing "trata" shows both trafficking resources, "niños" the children ones, any accents."""
    page = browser_page(_page(THESAURUS_RESOURCES))
    trafficking = _shown(page, "trata")
    assert len(trafficking) == 2 and "Child trafficking" in trafficking[0]
    assert _shown(page, "human trafficking") == trafficking
    children = _shown(page, "niños")
    assert len(children) == 3 and not any("media" in title for title in children)
    assert _shown(page, "ninos") == children
    # A broader concept finds a narrower one: child pornography is sexual exploitation.
    assert [t for t in _shown(page, "explotación sexual") if "pornography" in t]
    # Words the thesaurus does not know still filter as typed, part words included.
    media = _shown(page, "medi")
    assert len(media) == 1 and "Working with the media" in media[0]
    assert _shown(page, "trata media") == []
    assert page.locator("#status").inner_text() == "0 of 5 resources shown"
    assert page.errors == []
