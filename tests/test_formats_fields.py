"""Every field in every format: Zotero's own RIS and BibTeX, language names, spreadsheets' delimiters,
and a summary line for whatever a format could not carry."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import RunCli
from csec_cli.catalogue import Catalogue, load_catalogue, save_catalogue
from csec_cli.languages import language_code
from csec_cli.models import FIELD_ORDER, Resource

FIXTURES = Path(__file__).parent / "fixtures"
ZOTERO_TITLE = "Explotación sexual comercial de niños, niñas y adolescentes en Costa Rica"
ZOTERO_FILE = "files/12/Pérez Núñez - 2009 - Explotación sexual comercial.pdf"
ZOTERO_URL = "https://www.ilo.org/ipec/Informationresources/WCMS_IPEC_PUB_10170/lang--es/index.htm"


def _by_title(path: Path) -> dict[str, Resource]:
    return {resource.title: resource for resource in load_catalogue(path).resources}


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_zotero_ris_every_field_lands(run_cli: RunCli, tmp_path: Path) -> None:
    """A RIS file as Zotero writes it (CRLF, RPRT, `ER  - `) lands field by field, and the summary
    names each tag kept as an extra key and each language read as a code."""
    target = tmp_path / "new.toml"
    result = run_cli("import", str(FIXTURES / "zotero.ris"), path=target)
    assert result.exit_code == 0, result.stderr
    found = _by_title(target)
    report = found[ZOTERO_TITLE]
    assert report.authors == ("Pérez Núñez, Ana María", "Güell, José", "OIT/IPEC")
    assert report.date is not None and report.date.iso() == "2009-03-01"
    assert report.type == "Informe técnico"
    assert report.summary == "Estudio sobre la explotación sexual comercial en San José y Limón."
    assert report.place == "San José"
    assert report.language == "es"
    assert report.publisher == "Organización Internacional del Trabajo"
    assert report.isbn == "978-92-2-122345-0" and report.issn is None
    assert report.series == "Serie Estudios Nacionales"  # T2 is a report's series in Zotero
    assert report.url == ZOTERO_URL
    assert report.files == (ZOTERO_FILE,)
    assert report.topics == ("explotación sexual", "trata de personas")
    assert report.notes == "<p>Edición en español; también existe en inglés.</p>"
    assert report.extra == {
        "access_date": "2026/11/28/10:15:00",
        "short_title": "Explotación sexual comercial",
    }
    guide = found["Guía para inspectores de trabajo"]
    assert guide.issn == "2227-2704" and guide.language == "pt"
    assert guide.series == "Colección Protección Infantil" and guide.extra == {"edition": "2.ª ed."}
    article = found["Boletín temático"]
    assert article.language is None
    assert article.extra == {
        "language_original": "Klingon",
        "secondary_title": "Revista Centroamericana",  # a journal's T2 is not a series
        "serial_number": "1234-5678",  # no valid ISBN or ISSN: kept, never dropped
    }
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Added 3,")
    assert "Read LA as an ISO 639-1 code in 2 records ('Español' → es, 'Portuguese' → pt)." in lines
    assert "Kept Y2 as the extra key 'access_date' in 1 record." in lines
    assert "Kept SN as the extra key 'serial_number' in 1 record." in lines
    assert any(
        line.startswith("Kept LA as 'language_original' in 1 record: 'Klingon'") for line in lines
    )


def test_zotero_bibtex_every_field_lands(run_cli: RunCli, tmp_path: Path) -> None:
    """A BibTeX file as Zotero writes it (tabs, trailing commas, braced capitals, an organisation
    in braces, `file` as description:path:type, `langid`) lands field by field."""
    target = tmp_path / "new.toml"
    result = run_cli("import", str(FIXTURES / "zotero.bib"), path=target)
    assert result.exit_code == 0, result.stderr
    found = _by_title(target)
    report = found[ZOTERO_TITLE]
    assert report.id == "perez-nunez-explotacion-2009" or report.id.startswith("explotacion")
    assert report.authors == ("Pérez Núñez, Ana María", "Güell, José", "OIT/IPEC")
    assert report.date is not None and report.date.iso() == "2009-03"
    assert report.type == "Informe técnico"
    assert (report.place, report.language) == ("San José", "es")
    assert report.publisher == "Organización Internacional del Trabajo"  # from institution
    assert report.notes == "Edición en español"
    assert report.url == ZOTERO_URL
    assert report.files == (ZOTERO_FILE,)
    assert report.topics == ("explotación sexual", "trata de personas")
    assert report.extra == {"urldate": "2026-11-28"}
    guide = found["Guía para inspectores de trabajo"]
    assert guide.language == "pt"  # langid, a babel name
    assert guide.isbn == "978-92-2-122345-0"
    assert guide.series == "Colección Protección Infantil"
    assert guide.extra == {"edition": "2.ª ed."}
    assert "Read langid as an ISO 639-1 code in 1 record ('portuguese' → pt)." in result.stderr
    assert "Kept 'urldate', which csec does not know, as an extra key in 1 record." in result.stderr


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Spanish", "es"), ("español", "es"), ("Español", "es"), ("Português", "pt"),
        ("portugais", "pt"), ("English", "en"), ("en-US", "en"), ("spa", "es"), ("EN", "en"),
        ("inglés", "en"), ("français", "fr"), ("pt_BR", "pt"), ("Quechua", "qu"),
        ("Klingon", None), ("Spanish; English", None), ("inglés y español", None), ("xx", None),
        ("Castellano", "es"), ("espanol", "es"), ("Portugues", "pt"), ("frances", "fr"),
    ],
)  # fmt: skip
def test_language_names_become_iso_codes(written: str, code: str | None) -> None:
    """A language named in English, Spanish, Portuguese or French (with or without its accents;
    "castellano" too), or tagged, gives its ISO 639-1 code; several languages, or one without a
    two-letter code, give none."""
    assert language_code(written) == code


def test_an_unknown_language_is_kept_never_stored_as_language(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A language csec cannot name by a code is kept as `language_original` and reported."""
    source = _write(
        tmp_path / "team.json",
        json.dumps([{"title": "A", "language": "Elvish"}, {"title": "B", "language": "fr"}]),
    )
    target = tmp_path / "new.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    found = _by_title(target)
    assert found["A"].language is None and found["A"].extra == {"language_original": "Elvish"}
    assert found["B"].language == "fr" and found["B"].extra == {}
    assert "Kept language as 'language_original' in 1 record: 'Elvish'" in result.stderr
    assert run_cli("check", path=target).exit_code == 0


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), (",", "comma")])
def test_import_reads_any_delimiter_and_says_which(
    run_cli: RunCli, tmp_path: Path, delimiter: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Spanish-locale Excel file (`title;date;type;countries`, BOM, dates as day/month/year
    text) imports, read by the one date rule, and the report says which delimiter it read."""
    monkeypatch.setenv("CSEC_DATE_ORDER", "DMY")
    rows = [
        ["title", "date", "type", "countries"],
        ["Guía, para inspectores", "01/03/2009", "manual", "Panamá; Costa Rica"],
        ["Boletín", "15/04/2010 0:00", "bulletin", "Perú"],
    ]
    stream = io.StringIO(newline="")
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = stream.getvalue()
    source = _write(tmp_path / "excel.csv", "\ufeff" + text)
    target = tmp_path / "new.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Read as {name}-separated.\n")
    found = _by_title(target)
    guide = found["Guía, para inspectores"]
    assert guide.date is not None and guide.date.iso() == "2009-03-01"
    assert guide.countries == ("Panamá", "Costa Rica")
    assert found["Boletín"].date is not None and found["Boletín"].date.iso() == "2010-04-15"


def test_excel_dates_follow_the_date_rule_without_a_setting(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Without CSEC_DATE_ORDER, "01/03/2009" is refused naming both readings, as a typed date is;
    "15/03/2009" reads as day/month/year."""
    source = _write(tmp_path / "excel.csv", "title;date\r\nA;01/03/2009\r\nB;15/03/2009\r\n")
    target = tmp_path / "new.toml"
    result = run_cli("import", str(source), path=target)
    assert result.exit_code == 0, result.stderr
    assert "row 2: date '01/03/2009' could be 1 March 2009 or 3 January 2009" in result.stderr
    found = _by_title(target)
    assert list(found) == ["B"] and found["B"].date is not None
    assert found["B"].date.iso() == "2009-03-15"


@pytest.mark.parametrize(("option", "delimiter"), [(";", ";"), ("tab", "\t"), ("\\t", "\t")])
def test_export_csv_with_a_delimiter_reads_back(
    run_cli: RunCli, tmp_path: Path, option: str, delimiter: str
) -> None:
    """`--delimiter` writes cells apart with ';' or tab (`--excel` keeps its BOM), and import reads
    the file back to the same resources."""
    output = tmp_path / "out.csv"
    result = run_cli("export", "-f", "csv", "--delimiter", option, "--excel", "-o", str(output))
    assert result.exit_code == 0, result.stderr
    data = output.read_bytes().decode("utf-8")
    assert data.startswith("\ufeff" + delimiter.join(FIELD_ORDER) + "\r\n")
    rows = list(csv.reader(io.StringIO(data[1:], newline=""), delimiter=delimiter))
    assert len(rows) == 11 and all(len(row) == len(FIELD_ORDER) for row in rows)
    target = tmp_path / "new.toml"
    result = run_cli("import", str(output), path=target)
    assert result.exit_code == 0, result.stderr
    assert "Added 10," in result.stderr


def test_delimiter_usage_errors(run_cli: RunCli) -> None:
    """An unknown delimiter, or one given for a format without cells, is a usage error."""
    assert run_cli("export", "-f", "csv", "--delimiter", "|").exit_code == 2
    result = run_cli("export", "-f", "json", "--delimiter", ";")
    assert result.exit_code == 2 and "only csv has a delimiter" in result.stderr


def test_exports_carry_extra_keys_or_say_they_could_not(
    run_cli: RunCli, tmp_path: Path, catalogue: Path
) -> None:
    """A team's key `shelf` is a csv column after the contract's and a bibtex field; ris has no
    place for it and says so, once, with the count; json says nothing."""
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("[[resources]]\n", '[[resources]]\nshelf = "B-12"\n', 3))
    result = run_cli("export", "-f", "ris")
    assert result.exit_code == 0
    assert "Could not write 'shelf' in ris for 3 resources" in result.stderr
    assert "B-12" not in result.stdout
    result = run_cli("export", "-f", "csv")
    header = result.stdout.splitlines()[0]
    assert header == ",".join([*FIELD_ORDER, "shelf"])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [row[-1] for row in rows[1:]].count("B-12") == 3 and result.stderr == ""
    result = run_cli("export", "-f", "bibtex")
    assert result.stdout.count("shelf = {B-12}") == 3 and result.stderr == ""
    result = run_cli("export", "-f", "json")
    assert result.stderr == "" and result.stdout.count('"shelf": "B-12"') == 3


def test_ris_export_says_what_it_wrote_on_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    """A summary with a line break goes into RIS on one line, and the export says so."""
    source = _write(tmp_path / "a.json", json.dumps([{"title": "A", "summary": "one\ntwo"}]))
    target = tmp_path / "new.toml"
    assert run_cli("import", str(source), path=target).exit_code == 0
    result = run_cli("export", "-f", "ris", path=target)
    assert "AB  - one two" in result.stdout
    assert "Wrote 'summary' on one line in ris for 1 resource" in result.stderr


def test_json_says_when_a_date_becomes_text(run_cli: RunCli, catalogue: Path) -> None:
    """An extra key holding a TOML date is written as ISO text in json, and the export says so."""
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace("[[resources]]\n", "[[resources]]\nreviewed = 2020-01-02\n", 1)
    )
    result = run_cli("export", "-f", "json")
    assert result.exit_code == 0 and '"reviewed": "2020-01-02"' in result.stdout
    assert "Wrote 'reviewed' as text in json for 1 resource" in result.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "two.ris",
            "TY  - BOOK\r\nTI  - Manual de prueba\r\n"
            "SN  - 978-92-2-122345-0 (pbk.); 978-92-2-122346-7\r\nER  - \r\n",
        ),
        (
            "two.bib",
            "@book{manual,\n  title = {Manual de prueba},\n"
            "  isbn = {978-92-2-122345-0 (pbk.); 978-92-2-122346-7},\n}\n",
        ),
    ],
)
def test_an_isbn_field_with_a_qualifier_and_a_second_edition_is_kept_whole(
    run_cli: RunCli, tmp_path: Path, name: str, text: str
) -> None:
    """Reference managers write "978-… (pbk.); 978-…": the record is imported with the first valid
    ISBN, the whole text kept as `isbn_original`, and the summary says so."""
    target = tmp_path / "new.toml"
    result = run_cli("import", str(_write(tmp_path / name, text)), path=target)
    assert result.exit_code == 0, result.stderr
    manual = _by_title(target)["Manual de prueba"]
    assert manual.isbn == "978-92-2-122345-0"
    assert manual.extra["isbn_original"] == "978-92-2-122345-0 (pbk.); 978-92-2-122346-7"
    assert "first valid ISBN" in result.stderr and "'isbn_original'" in result.stderr


def _ris_round_trip(run_cli: RunCli, tmp_path: Path, resource: Resource) -> Resource:
    """Export one resource as RIS and import the file into a new catalogue; the resource read."""
    source = tmp_path / "source.toml"
    save_catalogue(Catalogue(path=source, resources=[resource]))
    exported = tmp_path / "export.ris"
    assert run_cli("export", "-f", "ris", "-o", str(exported), path=source).exit_code == 0
    target = tmp_path / "target.toml"
    result = run_cli("import", str(exported), path=target)
    assert result.exit_code == 0, result.stderr
    (found,) = load_catalogue(target).resources
    return found


@pytest.mark.parametrize("audience", [(), ("judges",)])
def test_ris_notes_that_begin_like_the_audience_note_come_back_as_notes(
    run_cli: RunCli, tmp_path: Path, audience: tuple[str, ...]
) -> None:
    """A paragraph of the notes beginning "Audience: " or "Countries: " is neither lost nor
    taken for the field, whether the resource has an audience or not."""
    notes = "Audience: see the foreword.\n\nCountries: all of Central America."
    resource = Resource(id="r", title="Guía", audience=audience, notes=notes)
    found = _ris_round_trip(run_cli, tmp_path, resource)
    assert (found.notes, found.audience, found.countries) == (notes, audience, ())


def test_ris_audience_and_countries_notes_as_zotero_writes_them_back(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """csec's field notes after a trip through Zotero ("<p>Audience: …</p>", entities and all)
    land in the fields again; Zotero's other notes stay notes."""
    ris = (
        "TY  - RPRT\r\nTI  - Informe\r\n"
        "N1  - <p>Edición en español.</p>\r\n"
        "N1  - <p>Audience: labour inspectors; judges &amp; prosecutors</p>\r\n"
        "N1  - <p>Countries: Korea, Republic of; Chile</p>\r\n"
        "ER  - \r\n"
    )
    target = tmp_path / "new.toml"
    result = run_cli("import", str(_write(tmp_path / "zotero.ris", ris)), path=target)
    assert result.exit_code == 0, result.stderr
    (found,) = load_catalogue(target).resources
    assert found.audience == ("labour inspectors", "judges & prosecutors")
    assert found.countries == ("Korea, Republic of", "Chile")
    assert found.notes == "<p>Edición en español.</p>"


def test_bibtex_compound_given_names_and_two_surnames(run_cli: RunCli, tmp_path: Path) -> None:
    """Two surnames and compound given names go out "Last, First", as BibTeX and Zotero read
    them, and come back as stored; a name written "First Last" is read as BibTeX reads it."""
    authors = ("Pérez García, Ana María", "de la Cruz, María José", "OIT/IPEC")
    source = tmp_path / "source.toml"
    save_catalogue(Catalogue(path=source, resources=[Resource(id="r", title="G", authors=authors)]))
    exported = run_cli("export", "-f", "bibtex", path=source).stdout
    assert (
        "author = {Pérez García, Ana María and de la Cruz, María José and {OIT/IPEC}}" in exported
    )
    other = "@misc{t, title = {H}, author = {Ana María Pérez and Juan {Pérez García}}}\n"
    bib = _write(tmp_path / "in.bib", exported + "\n" + other)
    target = tmp_path / "target.toml"
    assert run_cli("import", str(bib), path=target).exit_code == 0
    found = {resource.title: resource.authors for resource in load_catalogue(target).resources}
    assert found == {"G": authors, "H": ("Pérez, Ana María", "Pérez García, Juan")}
