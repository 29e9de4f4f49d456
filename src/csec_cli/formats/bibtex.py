"""BibTeX, for JabRef, Zotero and LaTeX: csec types become the nearest entry types.

Entries are keyed by the csec id. Text is UTF-8 with only LaTeX's special characters escaped, which
JabRef, Zotero, Mendeley and biber all read; `type` keeps the csec type, and `audience` and
`countries` are extra fields that reference managers keep and import reads back. Authors are
joined with "and", an organisation in braces so that BibTeX never splits or reorders its name;
`file` is written as JabRef and Zotero write it (`description:path:type`, `;` between files).
Any other field is kept on import as an extra key of its name, and export writes such keys back.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from bibtexparser import model
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library

from csec_cli.errors import ImportFileError
from csec_cli.formats.records import (
    ExportOptions,
    ExportReport,
    ImportNotes,
    ImportRecord,
    scalar_text,
)
from csec_cli.i18n import _
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


# Fields csec writes or reads as its own; an extra key of one of these names is not written, as
# import would read it back as the csec field.
_CSEC_FIELDS = frozenset(
    {"title", "author", "year", "month", "date", "abstract", "type", "keywords", "audience",
     "countries", "language", "langid", "publisher", "institution", "organization", "school",
     "address", "location", "isbn", "issn", "series", "note", "url", "file"}
)  # fmt: skip
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
# What JabRef and Zotero escape inside a `file` field's parts, and braces, which must balance.
_FILE_SPECIAL = re.compile(r"([\\:;{}])")


def _author_text(name: str) -> str:
    # "Surname, Given" is a person BibTeX reads as written; a name without a comma is an
    # organisation (csec's rule): braced, BibTeX keeps it whole, even "Save the Children and …".
    escaped = escape_latex(name)
    return escaped if "," in name else "{" + escaped + "}"


def _file_text(path: str) -> str:
    kind = mimetypes.guess_type(path, strict=False)[0] or ""
    return ":" + _FILE_SPECIAL.sub(r"\\\1", path) + ":" + kind


def _extra_fields(resource: Resource, report: ExportReport) -> list[tuple[str, str]]:
    values = []
    for key in sorted(resource.extra):
        value = resource.extra[key]
        if not _FIELD_NAME.match(key) or key in _CSEC_FIELDS:
            report.could_not_write(key)
            continue
        if isinstance(value, str):
            values.append((key, value))
            continue
        text = scalar_text(value)
        if text is None and isinstance(value, list):
            items = [item if isinstance(item, str) else scalar_text(item) for item in value]
            if all(item is not None for item in items):
                text = "; ".join(item for item in items if item is not None)
        if text is None:
            report.could_not_write(key)
        else:
            report.wrote_as_text(key)
            values.append((key, text))
    return values


def bibtex_entry(resource: Resource, report: ExportReport | None = None) -> model.Entry:
    """The bibtexparser entry for one resource."""
    report = ExportReport() if report is None else report
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
    for name, key in (("place", "address"), ("isbn", "isbn"), ("issn", "issn")):
        if getattr(resource, name):
            values.append((key, getattr(resource, name)))
    for name, key in (("series", "series"), ("notes", "note"), ("url", "url")):
        if getattr(resource, name):
            values.append((key, getattr(resource, name)))
    fields = [model.Field(key, "{" + escape_latex(value) + "}") for key, value in values]
    if resource.authors:
        authors = " and ".join(_author_text(name) for name in resource.authors)
        fields.insert(1, model.Field("author", "{" + authors + "}"))
    if resource.files:
        files = ";".join(_file_text(path) for path in resource.files)
        fields.append(model.Field("file", "{" + files + "}"))
    fields += [
        model.Field(key, "{" + escape_latex(value) + "}")
        for key, value in _extra_fields(resource, report)
    ]
    if resource.date and resource.date.month:
        index = next(i for i, field in enumerate(fields) if field.key == "date")
        fields.insert(index, model.Field("month", MONTH_MACROS[resource.date.month - 1]))
    return model.Entry(entry_type, resource.id, fields)


def write_bibtex(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """One @type{id, …} entry per resource, separated by a blank line."""
    for index, resource in enumerate(resources):
        library = Library([bibtex_entry(resource, options.report)])
        text = write_string(library, unparse_stack=[])
        stream.write(("\n" if index else "") + text.strip("\n") + "\n")


def _not_bibtex(error: object) -> str:
    return _("not readable as BibTeX ({error})").format(error=error)


def read_bibtex(text: str, notes: ImportNotes) -> Iterator[ImportRecord]:
    """Each entry is one record, `line N` being where it starts; @string macros are applied."""
    del notes
    try:
        library = parse_string(text)
    except Exception as error:  # bibtexparser reports unreadable files with assorted error types
        raise ImportFileError(_not_bibtex(error)) from None
    blocks: list[tuple[int, ImportRecord]] = []
    for failed in library.failed_blocks:
        line = (failed.start_line or 0) + 1
        where = _("line {line}").format(line=line)
        blocks.append((line, ImportRecord(where, problem=_not_bibtex(failed.error))))
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        blocks.append((line, _record(entry, _("line {line}").format(line=line))))
    for _line, record in sorted(blocks, key=lambda pair: pair[0]):
        yield record


@functools.cache
def _decoder() -> Any:
    """pylatexenc's LaTeX-to-text, as bibtexparser's decoding sets it up, with \\url{…} read as
    its address and \\textasciicircum as the ^ that export wrote (pylatexenc reads it as the
    modifier letter ˆ, which would change the text)."""
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
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")


# What pylatexenc would change: macros, groups, math, specials, ties, and the ligatures of
# dashes, quotes and inverted marks (-- ``, '' !` ?`). Text without any is returned as it is,
# unparsed: pylatexenc's reader grows a string a character at a time, so a 1 MB value took 15 s.
_LATEX_SIGNS = re.compile(r"[\\{}$%&#^_~`]|--|''")


def _decode(text: str) -> str:
    if not _LATEX_SIGNS.search(text):
        return text.strip()
    try:
        return str(_decoder().latex_to_text(text)).strip()
    except Exception:  # pylatexenc gives up on some malformed LaTeX: the text is kept as written
        return text.strip()


def _is_braced(text: str) -> bool:
    """Whether the whole text is one {…} group."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def _authors(raw: str) -> list[str]:
    """Names split at "and", as "Surname, Given names"; a braced name (an organisation) as it is."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    # Escapes (\{, \$, \textasciitilde{}) are text, not groups or separators: hidden from the
    # splitter, which counts every brace, as private-use characters, and put back after.
    hidden_escapes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        hidden_escapes.append(match.group())
        return chr(0xF0000 + len(hidden_escapes) - 1)

    def unhide(text: str) -> str:
        return re.sub(
            "[\U000f0000-\U000ffffd]", lambda m: hidden_escapes[ord(m.group()) - 0xF0000], text
        )

    hidden = re.sub(r"\\(?:[A-Za-z]+(?:\{\})?|.)", hide, raw)
    names = []
    for part in split_multiple_persons_names(hidden):
        name = unhide(part)
        if _is_braced(name) or "," in name or len(name.split()) < 2:
            names.append(_decode(name))
            continue
        try:  # "Ana María Pérez": BibTeX's own reading of a name without a comma
            names.append(
                _decode(parse_single_name_into_parts(name, strict=False).merge_last_name_first)
            )
        except Exception:  # a name BibTeX cannot part is kept as written
            names.append(_decode(name))
    return [name for name in names if name]


def _files(raw: str) -> list[str]:
    """The paths of a `file` field: "description:path:type" items separated by ';' (JabRef,
    Zotero), or plain paths; '\\' escapes the character after it."""
    items: list[list[str]] = [[""]]
    escaped = False
    for char in raw:
        if escaped:
            items[-1][-1] += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            items.append([""])
        elif char == ":":
            items[-1].append("")
        else:
            items[-1][-1] += char
    paths = []
    for parts in items:
        # A Windows drive written without its escape ("C:\\x") splits the path in two parts.
        path = ":".join(parts[1:-1]) if len(parts) >= 3 else ":".join(parts)
        if path.strip():
            paths.append(path.strip())
    return paths


def _url(raw: str) -> str:
    """An address as written, with the escapes csec's export adds taken out again."""
    text = raw.strip()
    match = re.fullmatch(r"\\url\{(.*)\}", text, flags=re.DOTALL)
    if match:
        text = match.group(1)
    if "\\" not in text and "{}" not in text:
        return text
    return _decode(text)


def _record(entry: model.Entry, where: str) -> ImportRecord:
    raw = {field.key.lower(): str(field.value).strip() for field in entry.fields}
    fields: dict[str, Any] = {"id": entry.key}
    sources: dict[str, str] = {}

    def take(name: str, key: str, value: Any) -> None:
        fields[name] = value
        if key != name:
            sources[name] = key

    def text(key: str) -> str:
        return _decode(raw[key])

    used = {"title", "abstract", "type", "keywords", "audience", "countries", "isbn", "issn"}
    used |= {"series", "url", "file", "author", "year", "month", "date"}
    if raw.get("title"):
        take("title", "title", _unbrace(text("title")))
    date = (text("date") if raw.get("date") else None) or _year_month(
        text("year") if raw.get("year") else None, text("month") if raw.get("month") else None
    )
    if date:
        take("date", "date" if raw.get("date") else "year", date)
    if raw.get("abstract"):
        take("summary", "abstract", text("abstract"))
    kind = text("type") if raw.get("type") else None
    take("type", "type", kind or CSEC_TYPES.get(entry.entry_type.lower()))
    if raw.get("keywords"):
        keywords = text("keywords")
        take("topics", "keywords", keywords.split(";" if ";" in keywords else ","))
    for name in ("audience", "countries", "isbn", "issn", "series"):
        if raw.get(name):
            take(name, name, text(name))
    if raw.get("author"):
        take("authors", "author", _authors(raw["author"]))
    if raw.get("url"):
        take("url", "url", _url(raw["url"]))
    if raw.get("file"):
        take("files", "file", _files(raw["file"]))
    # Where several fields can give one csec field, the first given wins; the others are kept
    # as extra keys of their own names.
    for name, keys in (
        ("language", ("language", "langid")),
        ("publisher", ("publisher", "institution", "organization", "school")),
        ("place", ("address", "location")),
        ("notes", ("note", "annote")),
    ):
        given = [key for key in keys if raw.get(key)]
        if given:
            take(name, given[0], text(given[0]))
            used.add(given[0])
    for key, value in raw.items():
        if key not in used and value:
            fields[key] = _decode(value)
    return ImportRecord(where, fields, sources=sources)


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
