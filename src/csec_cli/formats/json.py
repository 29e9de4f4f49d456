"""JSON: an array of resource objects with the contract's field names, which `import` reads back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from csec_cli.errors import ImportFileError
from csec_cli.formats import ExportOptions, ImportRecord
from csec_cli.models import Resource, resource_to_json


def write_json(resources: Iterable[Resource], stream: TextIO, options: ExportOptions) -> None:
    """The same text as `json.dumps(list, indent=2)`, written one object at a time."""
    del options
    first = True
    for resource in resources:
        text = json.dumps(resource_to_json(resource), ensure_ascii=False, indent=2)
        stream.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
        first = False
    stream.write("[]\n" if first else "\n]\n")


def read_json(text: str) -> Iterator[ImportRecord]:
    """Each object of the top-level array is one record, `entry N` counting from 1."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    if not isinstance(data, list):
        raise ImportFileError(
            "the JSON file must hold an array of resource objects, "
            "as `csec export --format json` writes"
        )
    for number, item in enumerate(data, start=1):
        where = f"entry {number}"
        if not isinstance(item, dict):
            yield ImportRecord(where, problem="is not an object with field names")
        else:
            yield ImportRecord(where, {str(key): value for key, value in item.items()})
