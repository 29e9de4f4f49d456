"""HTML: one self-contained page like the ILO list, grouped by year, with a filter-as-you-type box.

The page needs no network: its style and script are inline, and a Content-Security-Policy allows
only those two exact blocks (by hash), so nothing else can load or run even if a title held
markup. All catalogue text is HTML-escaped; only http(s) urls become links. The filter ignores
case, accents and UK/US spelling and knows the thesaurus: the script carries the vocabulary it
needs (filter_vocabulary).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from html import escape
from typing import Any, TextIO

from csec_cli.formats.grouping import (
    REPORT_TITLE,
    UNDATED,
    group_by_year,
    is_web_link,
    section_heading,
)
from csec_cli.formats.records import ExportOptions
from csec_cli.i18n import _, language, ngettext
from csec_cli.models import Resource

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

# The filter script; the page's vocabulary (filter_vocabulary) and the words it shows, in the
# page's language, are given to it as DATA, a JSON object written just before it in the same
# <script> block.
_SCRIPT = """
(function () {
  var box = document.getElementById("filter");
  var status = document.getElementById("status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".resource"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  var kept = {};
  DATA.kept.split(" ").forEach(function (word) { kept[word] = true; });
  var ise = new RegExp(DATA.ise);
  function fold(text) {
    return text.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  }
  function spell(word) {
    if (Object.prototype.hasOwnProperty.call(DATA.spellings, word)) {
      return DATA.spellings[word];
    }
    for (var i = 0; i < DATA.stems.length; i += 2) {
      if (word.lastIndexOf(DATA.stems[i], 0) === 0) {
        return DATA.stems[i + 1] + word.slice(DATA.stems[i].length);
      }
    }
    if (word.indexOf("is") >= 0 && !kept[word]) { return word.replace(ise, "iz$1"); }
    return word;
  }
  function words(text) {
    return (fold(text).match(/[\\p{L}\\p{N}]+/gu) || []).map(spell);
  }
  // Term (page words, single-spaced) -> indexes of the concepts it names; and every first part
  // of a term, so that a scan of a text stops as soon as no term can start that way.
  var concepts = {};
  var prefixes = {};
  var longest = 1;
  DATA.terms.forEach(function (keys, index) {
    keys.split("|").forEach(function (key) {
      (concepts[key] = concepts[key] || []).push(index);
      var parts = key.split(" ");
      longest = Math.max(longest, parts.length);
      for (var size = 1; size < parts.length; size += 1) {
        prefixes[parts.slice(0, size).join(" ")] = true;
      }
    });
  });
  function named(list) {
    var found = {};
    for (var start = 0; start < list.length; start += 1) {
      for (var end = start + 1; end <= Math.min(list.length, start + longest); end += 1) {
        var phrase = list.slice(start, end).join(" ");
        (concepts[phrase] || []).forEach(function (index) {
          for (; index >= 0 && !found[index]; index = DATA.broader[index]) { found[index] = true; }
        });
        if (!prefixes[phrase]) { break; }
      }
    }
    return found;
  }
  var records = items.map(function (item) {
    var list = words(item.textContent);
    return { text: fold(item.textContent), words: " " + list.join(" ") + " ", named: named(list) };
  });
  // What was typed, as parts that must all match: the longest run of typed words that is a
  // thesaurus term, else one typed word. A part matches a resource whose text contains it, in any
  // case, accents or UK/US spelling, or which names one of the concepts the part names.
  function parts(typed) {
    var tokens = fold(typed).split(/\\s+/).filter(Boolean);
    var spelled = tokens.map(function (token) { return words(token).join(" "); });
    var found = [];
    for (var start = 0; start < tokens.length;) {
      var size = Math.min(longest, tokens.length - start);
      for (; size > 1; size -= 1) {
        if (concepts[spelled.slice(start, start + size).join(" ")]) { break; }
      }
      var key = spelled.slice(start, start + size).join(" ");
      found.push({ text: tokens.slice(start, start + size).join(" "), key: key,
                   concepts: concepts[key] || [] });
      start += size;
    }
    return found;
  }
  function matches(record, part) {
    return record.text.indexOf(part.text) >= 0
      || (part.key !== "" && record.words.indexOf(part.key) >= 0)
      || part.concepts.some(function (index) { return record.named[index]; });
  }
  function apply() {
    var wanted = parts(box.value);
    var shown = 0;
    items.forEach(function (item, position) {
      var match = wanted.every(function (part) { return matches(records[position], part); });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".resource:not([hidden])");
    });
    status.textContent = DATA.status.replace("{shown}", shown);
  }
  box.addEventListener("input", apply);
  apply();
})();
"""


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _policy(script: str) -> str:
    """The page's Content-Security-Policy: nothing loads; only its own style and script run."""
    return f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(script)}"


def _script(data: dict[str, Any]) -> str:
    """The filter script with the page's vocabulary, escaped so no text can close the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return f"\nvar DATA = {text};{_SCRIPT}"


def _status_text(total: int) -> str:
    """What the filter says under the box, with `{shown}` left for the script to fill in."""
    # Translators: under the filter box of the HTML page: "5 of 15 resources shown".
    status = ngettext(
        "{shown} of {total} resource shown", "{shown} of {total} resources shown", total
    )
    return status.format(shown="{shown}", total=total)


def _text(value: str) -> str:
    return escape(value, quote=True)


def html_item(resource: Resource) -> str:
    """One resource as an article: date and type, the title (a link if it has an http(s) url)."""
    title = _text(resource.title)
    if resource.url and is_web_link(resource.url):
        title = f'<a href="{_text(resource.url.strip())}">{title}</a>'
    meta = [resource.date.display() if resource.date else _(UNDATED)]
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
    """The page: heading, filter box, a section per year (undated last), the inline script, in
    the interface language (`export --lang` chooses another).

    The filter box knows the thesaurus (csec's and the team's, found from options.catalogue_path)
    for the concepts these resources mention, so the resources are read once before writing.
    """
    from csec_cli.formats.filter_vocabulary import filter_vocabulary
    from csec_cli.thesaurus_data import load_thesaurus

    resources = list(resources)
    data = filter_vocabulary(resources, load_thesaurus(options.catalogue_path))
    data["status"] = _status_text(len(resources))
    script = _script(data)
    title = _text(_(REPORT_TITLE))
    label = _text(_("Filter"))
    placeholder = _text(_("Type words from a title, summary, type, audience, topic or country"))
    stream.write(
        "<!DOCTYPE html>\n"
        f'<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_policy(script)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f'<label for="filter">{label}</label>\n'
        '<input id="filter" type="search" autocomplete="off" '
        f'placeholder="{placeholder}">\n'
        '<p id="status" role="status"></p>\n'
    )
    for heading, items in group_by_year(resources):
        stream.write(f'<section class="year">\n<h2>{_text(section_heading(heading))}</h2>\n')
        for resource in items:
            stream.write(html_item(resource))
        stream.write("</section>\n")
    stream.write(f"<script>{script}</script>\n</body>\n</html>\n")
