"""HTML: one self-contained page like the ILO list, grouped by year, with a filter-as-you-type box.

The page needs no network: its style and script are inline, and a Content-Security-Policy allows
only those two exact blocks (by hash), so nothing else can load or run even if a title held
markup. All catalogue text is HTML-escaped; only http(s) urls become links.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from html import escape
from typing import TextIO

from csec_cli.formats.grouping import group_by_year, is_web_link
from csec_cli.formats.records import ExportOptions
from csec_cli.models import Resource

PAGE_TITLE = "Resources on commercial sexual exploitation of children and adolescents"

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
  line-height: 1.45; color: #222; }
h1 { font-size: 1.5rem; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
#filter { width: 100%; font-size: 1rem; padding: .4rem; box-sizing: border-box; }
.resource { margin: 1rem 0; }
.meta { color: #555; font-size: .9rem; }
.title { font-weight: bold; }
.tags { color: #555; font-size: .85rem; }
[hidden] { display: none !important; }
"""

_SCRIPT = """
(function () {
  var box = document.getElementById("filter");
  var status = document.getElementById("status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".resource"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  function fold(text) {
    return text.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  }
  items.forEach(function (item) { item.dataset.text = fold(item.textContent); });
  function apply() {
    var words = fold(box.value).split(/\\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var match = words.every(function (word) { return item.dataset.text.indexOf(word) >= 0; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".resource:not([hidden])");
    });
    status.textContent = shown + " of " + items.length + " resources shown";
  }
  box.addEventListener("input", apply);
  apply();
})();
"""


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_POLICY = f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(_SCRIPT)}"


def _text(value: str) -> str:
    return escape(value, quote=True)


def html_item(resource: Resource) -> str:
    """One resource as an article: date and type, the title (a link if it has an http(s) url)."""
    title = _text(resource.title)
    if resource.url and is_web_link(resource.url):
        title = f'<a href="{_text(resource.url.strip())}">{title}</a>'
    meta = [resource.date.display() if resource.date else "Undated"]
    if resource.type:
        meta.append(_text(resource.type))
    parts = [
        '<article class="resource">',
        f'<div class="meta">{" · ".join(meta)}</div>',
        f'<div class="title">{title}</div>',
    ]
    if resource.summary:
        parts.append(f'<p class="summary">{_text(resource.summary)}</p>')
    tags = [*resource.audience, *resource.topics, *resource.countries]
    if tags:
        parts.append(f'<div class="tags">{_text(" · ".join(tags))}</div>')
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def write_html(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """The page: heading, filter box, a section per year (undated last), the inline script."""
    del options
    stream.write(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{PAGE_TITLE}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{PAGE_TITLE}</h1>\n"
        '<label for="filter">Filter</label>\n'
        '<input id="filter" type="search" autocomplete="off" '
        'placeholder="Type words from a title, summary, type, audience, topic or country">\n'
        '<p id="status" role="status"></p>\n'
    )
    for heading, items in group_by_year(resources):
        stream.write(f'<section class="year">\n<h2>{_text(heading)}</h2>\n')
        for resource in items:
            stream.write(html_item(resource))
        stream.write("</section>\n")
    stream.write(f"<script>{_SCRIPT}</script>\n</body>\n</html>\n")
