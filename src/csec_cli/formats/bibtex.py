"""BibTeX, for JabRef, Zotero and LaTeX: csec types become the nearest entry types.

Entries are keyed by the csec id. Text is UTF-8 with only LaTeX's special characters escaped, which
JabRef, Zotero, Mendeley and biber all read; `type` keeps the csec type, and `audience` and
`countries` are extra fields that reference managers keep and import reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from bibtexparser import model
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library

from csec_cli.errors import ImportFileError
from csec_cli.formats.records import ExportOptions, ImportRecord
from csec_cli.models import Resource, fold_text

# csec type (folded) → BibTeX entry type; anything else is misc.
BIBTEX_TYPES = {
    "manual": "manual", "guide": "manual", "handbook": "manual", "toolkit": "manual",
    "protocol": "manual", "guidelines": "manual",
    "study": "techreport", "report": "techreport", "paper": "techreport",
    "research": "techreport", "survey": "techreport", "assessment": "techreport",
    "rapid assessment": "techreport",
    "pamphlet": "booklet", "leaflet": "booklet", "brochure": "booklet", "booklet": "booklet",
    "bulletin": "booklet", "newsletter": "booklet", "poster": "booklet",
    "book": "book", "article": "article", "journal article": "article", "thesis": "phdthesis",
}  # fmt: skip
# Entry type → csec type, for entries without a `type` field.
CSEC_TYPES = {
    "techreport": "report", "booklet": "booklet", "manual": "manual", "book": "book",
    "article": "article", "phdthesis": "thesis", "mastersthesis": "thesis", "online": "web page",
}  # fmt: skip
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_LATEX_PATTERN = re.compile("|".join(re.escape(char) for char in _LATEX_SPECIAL))
# Pairs that LaTeX (and the decoder import uses) read as one character: -- is a dash, `` and ''
# are quotes, !` and ?` are ¡ and ¿. An empty group between the two keeps them as typed.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")


def escape_latex(text: str) -> str:
    """Text with LaTeX's special characters escaped, so braces always balance, and ligatures
    broken, so that reading it back as LaTeX gives the text again."""
    escaped = _LATEX_PATTERN.sub(lambda match: _LATEX_SPECIAL[match.group()], text)
    return _LIGATURE.sub("{}", escaped)


def bibtex_type(csec_type: str | None) -> str:
    """The nearest BibTeX entry type."""
    return BIBTEX_TYPES.get(fold_text(csec_type or ""), "misc")


def keywords_text(topics: tuple[str, ...]) -> str:
    """Topics as BibTeX keywords: comma-separated by convention, but separated by ';' when a
    topic holds a comma (a lone such topic ends in ';', so import still sees the separator)."""
    if not any("," in topic for topic in topics):
        return ", ".join(topics)
    return "; ".join(topics) + (";" if len(topics) == 1 else "")


def bibtex_entry(resource: Resource) -> model.Entry:
    """The bibtexparser entry for one resource."""
    entry_type = bibtex_type(resource.type)
    values: list[tuple[str, str]] = [("title", resource.title)]
    if resource.date:
        values.append(("year", f"{resource.date.year:04d}"))
        values.append(("date", resource.date.iso()))
    if resource.summary:
        values.append(("abstract", resource.summary))
    if resource.type:
        values.append(("type", resource.type))
    if resource.topics:
        values.append(("keywords", keywords_text(resource.topics)))
    if resource.audience:
        values.append(("audience", "; ".join(resource.audience)))
    if resource.countries:
        values.append(("countries", "; ".join(resource.countries)))
    if resource.language:
        values.append(("language", resource.language))
    if resource.publisher:
        # Reports name their issuer as the institution; other entries as publisher.
        key = "institution" if entry_type == "techreport" else "publisher"
        values.append((key, resource.publisher))
    if resource.url:
        values.append(("url", resource.url))
    fields = [model.Field(key, "{" + escape_latex(value) + "}") for key, value in values]
    if resource.date and resource.date.month:
        index = next(i for i, field in enumerate(fields) if field.key == "date")
        fields.insert(index, model.Field("month", MONTH_MACROS[resource.date.month - 1]))
    return model.Entry(entry_type, resource.id, fields)


def write_bibtex(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """One @type{id, …} entry per resource, separated by a blank line."""
    del options
    for index, resource in enumerate(resources):
        library = Library([bibtex_entry(resource)])
        text = write_string(library, unparse_stack=[])
        stream.write(("\n" if index else "") + text.strip("\n") + "\n")


def read_bibtex(text: str) -> Iterator[ImportRecord]:
    """Each entry is one record, `line N` being where it starts; @string macros are applied."""
    try:
        library = parse_string(text, append_middleware=[_latex_decoding()])
    except Exception as error:  # bibtexparser reports unreadable files with assorted error types
        raise ImportFileError(f"not readable as BibTeX ({error})") from None
    blocks: list[tuple[int, ImportRecord]] = []
    for failed in library.failed_blocks:
        line = (failed.start_line or 0) + 1
        blocks.append(
            (line, ImportRecord(f"line {line}", problem=f"not readable as BibTeX ({failed.error})"))
        )
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        blocks.append((line, ImportRecord(f"line {line}", _record_fields(entry))))
    for _line, record in sorted(blocks, key=lambda pair: pair[0]):
        yield record


def _latex_decoding() -> Any:
    """bibtexparser's LaTeX decoding, with \\textasciicircum read as the ^ that export wrote
    (pylatexenc reads it as the modifier letter ˆ, which would change the text)."""
    from bibtexparser.middlewares import LatexDecodingMiddleware
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    context = get_default_latex_context_db()
    context.add_context_category(
        "csec",
        prepend=True,
        macros=[MacroTextSpec("url", simplify_repl="%s"), MacroTextSpec("textasciicircum", "^")],
    )
    decoder = LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")
    return LatexDecodingMiddleware(decoder=decoder)


def _record_fields(entry: model.Entry) -> dict[str, Any]:
    values = {field.key.lower(): str(field.value).strip() for field in entry.fields}
    fields: dict[str, Any] = {"id": entry.key}
    if values.get("title"):
        fields["title"] = _unbrace(values["title"])
    date = values.get("date") or _year_month(values.get("year"), values.get("month"))
    if date:
        fields["date"] = date
    for key, name in (("abstract", "summary"), ("language", "language"), ("url", "url")):
        if values.get(key):
            fields[name] = values[key]
    fields["type"] = values.get("type") or CSEC_TYPES.get(entry.entry_type.lower())
    if values.get("keywords"):
        keywords = values["keywords"]
        fields["topics"] = keywords.split(";" if ";" in keywords else ",")
    for name in ("audience", "countries"):
        if values.get(name):
            fields[name] = values[name]
    publisher = values.get("publisher") or values.get("institution") or values.get("organization")
    if publisher:
        fields["publisher"] = publisher
    return fields


def _unbrace(text: str) -> str:
    # Titles are often written {{Like This}} to keep their capitals; the braces are not text.
    while text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return text


def _year_month(year: str | None, month: str | None) -> str | None:
    if not year:
        return None
    if not month:
        return year
    name = month.strip().lower()[:3]
    if name in MONTH_MACROS:
        return f"{year}-{MONTH_MACROS.index(name) + 1:02d}"
    if month.strip().isdigit():
        return f"{year}-{int(month):02d}"
    return f"{month} {year}"
