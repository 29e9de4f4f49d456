"""JSON: an array of resource objects with the contract's field names, which `import` reads back."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from csec_cli.errors import ImportFileError
from csec_cli.formats.records import ExportOptions, ImportNotes, ImportRecord
from csec_cli.i18n import _
from csec_cli.models import Resource, resource_to_json
from csec_cli.nesting import MAX_NESTING

# Python's default limit on the digits of an integer read from text (sys.int_info).
_INT_DIGITS_LIMIT = 4300
# How many objects are written between two collections of the youngest garbage (see below).
COLLECT_EVERY = 1000


def write_json(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """The same text as `json.dumps(list, indent=2)`, written one object at a time."""
    first = True
    for number, resource in enumerate(resources, start=1):
        for key, value in resource.extra.items():
            if _holds_time(value):
                options.report.wrote_as_text(key)
        text = json.dumps(resource_to_json(resource), ensure_ascii=False, indent=2)
        stream.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
        first = False
        if number % COLLECT_EVERY == 0:
            # With indent, json.dumps runs the pure-Python encoder, whose nested functions refer
            # to one another: each call leaves a small reference cycle, and csec runs with the
            # cyclic collector off (cli.main). Unfreed, they came to 270 MB at 100,000 resources;
            # collecting the youngest generation now and then costs next to nothing.
            gc.collect(0)
    stream.write("[]\n" if first else "\n]\n")


def _holds_time(value: object) -> bool:
    """Whether a value holds a TOML date or time, which JSON can only write as ISO text."""
    if isinstance(value, dt.date | dt.time):
        return True
    if isinstance(value, list):
        return any(_holds_time(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_time(item) for item in value.values())
    return False


def _json_reason(reason: str) -> str:
    """The JSON parser's reason (Python words it in English), in the interface language; one
    csec does not know is kept as Python words it."""
    reasons = {
        "Expecting value": _("Expecting value"),
        "Expecting ',' delimiter": _("Expecting ',' delimiter"),
        "Expecting ':' delimiter": _("Expecting ':' delimiter"),
        "Expecting property name enclosed in double quotes": _(
            "Expecting property name enclosed in double quotes"
        ),
        "Extra data": _("Extra data"),
        "Unterminated string starting at": _("Unterminated string starting at"),
        "Invalid control character at": _("Invalid control character at"),
        "Invalid \\escape": _("Invalid \\escape"),
        "Invalid \\uXXXX escape": _("Invalid \\uXXXX escape"),
    }
    return reasons.get(reason, reason)


def read_json(text: str, notes: ImportNotes) -> Iterator[ImportRecord]:
    """Each object of the top-level array is one record, `entry N` counting from 1."""
    del notes
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("line {line}, column {column}: not valid JSON ({reason})").format(
                line=error.lineno, column=error.colno, reason=_json_reason(error.msg)
            )
        ) from None
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (a guard against
        # denial of service); no field csec knows holds one.
        raise ImportFileError(
            _("not readable as JSON: a number has more than {digits} digits").format(
                digits=_INT_DIGITS_LIMIT
            )
        ) from None
    except RecursionError:
        # json recurses once per level; no record csec could keep nests anywhere near this.
        raise ImportFileError(
            _(
                "values nest lists or objects too deeply to read (csec keeps at most {limit} "
                "levels)"
            ).format(limit=MAX_NESTING)
        ) from None
    if not isinstance(data, list):
        raise ImportFileError(
            _(
                "the JSON file must hold an array of resource objects, as `csec export --format "
                "json` writes"
            )
        )
    for number, item in enumerate(data, start=1):
        where = _("entry {number}").format(number=number)
        if not isinstance(item, dict):
            yield ImportRecord(where, problem=_("is not an object with field names"))
        else:
            yield ImportRecord(where, {str(key): value for key, value in item.items()})
