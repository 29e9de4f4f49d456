"""The HTML export: one self-contained, escaped page whose filter box works in a real browser."""

from __future__ import annotations

import io
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

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


def _page(resources: list[Resource] = RESOURCES) -> str:
    stream = io.StringIO()
    write_html(resources, stream, ExportOptions())
    return stream.getvalue()


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
