"""Every export read back with the reader its users have: csv, json, rispy, bibtexparser."""

from __future__ import annotations

import csv
import io
import json

import rispy
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware

from csec_cli.dates import PartialDate
from csec_cli.formats import ExportOptions, get_format
from csec_cli.formats.csv import neutralise_formula, restore_formula
from csec_cli.formats.markdown import write_markdown
from csec_cli.models import FIELD_ORDER, Resource, resource_to_json

RESOURCE = Resource(
    id="labour-inspection",
    title='=HYPERLINK("http://x") Taking action, "now" — niños 😀',
    date=PartialDate(2009, 3),
    summary="Line one,\nline two with 50% & $5 {braces} and a \\ backslash_",
    type="pamphlet",
    audience=("labour inspectors", "trade unions"),
    topics=("child labour", "victim protection"),
    countries=("Costa Rica", "Panamá"),
    language="en",
    publisher="ILO-IPEC",
    url="https://example.org/a_b?c=1",
)
UNDATED = Resource(id="info-system", title="DevInfo LAC CSE", type="information system")


def _export(name: str, resources: list[Resource], options: ExportOptions | None = None) -> str:
    stream = io.StringIO(newline="")
    get_format(name).write(resources, stream, options or ExportOptions())
    return stream.getvalue()


def test_csv_reads_back_with_the_csv_module() -> None:
    """Header of field names, CRLF rows, lists joined with "; ", formula cells neutralised."""
    text = _export("csv", [RESOURCE, UNDATED])
    assert text.startswith(",".join(FIELD_ORDER) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    assert rows[0]["title"] == "'" + RESOURCE.title
    assert rows[0]["summary"] == RESOURCE.summary
    assert rows[0]["date"] == "2009-03"
    assert rows[0]["countries"] == "Costa Rica; Panamá"
    assert rows[1]["date"] == "" and rows[1]["type"] == "information system"


def test_csv_excel_bom_and_formula_opt_out() -> None:
    """--excel starts with a BOM; without protection a formula cell is written as it is."""
    text = _export("csv", [RESOURCE], ExportOptions(excel=True, protect_formulas=False))
    assert text.startswith("\ufeffid,title,")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert row["title"] == RESOURCE.title


def test_formula_neutralisation_is_reversible() -> None:
    """Every dangerous first character is neutralised, and import restores the exact text."""
    for cell in [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "'=x",
        "''+x",
        "'plain",
        "plain",
        "",
    ]:
        written = neutralise_formula(cell)
        assert written[:1] not in {"=", "+", "-", "@", "\t", "\r"}
        assert restore_formula(written) == cell


def test_json_is_an_array_of_resource_objects() -> None:
    """The json export is exactly what `json.loads` and `list --json` agree on."""
    text = _export("json", [RESOURCE, UNDATED])
    assert json.loads(text) == [resource_to_json(RESOURCE), resource_to_json(UNDATED)]
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert _export("json", []) == "[]\n"


def test_ris_reads_back_with_rispy() -> None:
    """rispy reads every entry, with the nearest reference type and the csec type in M3."""
    entries = rispy.loads(_export("ris", [RESOURCE, UNDATED]))
    assert [entry["type_of_reference"] for entry in entries] == ["PAMP", "DBASE"]
    first = entries[0]
    assert first["title"] == RESOURCE.title
    assert first["type_of_work"] == "pamphlet"
    assert first["date"] == "2009/03//" and first["year"] == "2009"
    assert first["abstract"] == "Line one, line two with 50% & $5 {braces} and a \\ backslash_"
    assert first["keywords"] == ["child labour", "victim protection"]
    assert first["urls"] == ["https://example.org/a_b?c=1"]
    assert "Countries: Costa Rica; Panamá" in first["notes"]
    assert first["id"] == "labour-inspection"


def test_bibtex_reads_back_with_bibtexparser() -> None:
    """bibtexparser 2 reads every entry; LaTeX specials decode back to the original text."""
    library = parse_string(
        _export("bibtex", [RESOURCE, UNDATED]), append_middleware=[LatexDecodingMiddleware()]
    )
    assert library.failed_blocks == []
    first, second = library.entries
    assert (first.entry_type, first.key) == ("booklet", "labour-inspection")
    assert (second.entry_type, second.key) == ("misc", "info-system")
    fields = {field.key: field.value for field in first.fields}
    assert fields["title"] == RESOURCE.title
    assert fields["abstract"] == RESOURCE.summary
    assert fields["month"] == "mar" and fields["year"] == "2009" and fields["date"] == "2009-03"
    assert fields["url"] == RESOURCE.url
    assert fields["publisher"] == "ILO-IPEC"


def test_markdown_report_groups_by_year_and_escapes() -> None:
    """Year headings, date · type · linked title, summary under it; markup shown as text."""
    stream = io.StringIO()
    risky = RESOURCE.with_changes(title="*Draft* [v2] <b>", url="javascript:alert(1)")
    write_markdown([RESOURCE, risky, UNDATED], stream, ExportOptions())
    text = stream.getvalue()
    assert text.index("## 2009") < text.index("## Undated")
    assert "- 2009-03 · pamphlet · [" in text
    assert "](<https://example.org/a_b?c=1>)" in text
    assert "**\\*Draft\\* \\[v2\\] \\<b\\>**" in text
    assert "javascript:" not in text
    assert "  Line one, line two with 50% \\& $5 \\{braces\\} and a \\\\ backslash\\_" in text
