"""Fixtures of the reliability suite: catalogues with resource-level faults, files to import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# A catalogue whose first and last resources are valid and whose middle three are each invalid
# on their own; the line numbers are asserted in the tests.
FAULTY_CATALOGUE = """\
# A team catalogue with three bad resources among good ones.

[[resources]]
id = "labour-valid"
title = "Labour inspection in the face of commercial sexual exploitation"
date = 2009-03-01
type = "pamphlet"

[[resources]]
id = "wrong-title"
title = 42
date = 2009-03-01

[[resources]]
id = "impossible-date"
title = "A resource dated 30 February"
date = 2009-02-30

[[resources]]
id = "labour-valid"
title = "The same id again"
date = 2010-01-01

[[resources]]
id = "second-valid"
title = "Labour market and child protection"
date = "2008"
"""
FAULT_LINES = {"wrong-title": 9, "impossible-date": 14, "duplicate": 19}


@pytest.fixture
def faulty_catalogue(tmp_path: Path) -> Path:
    """A catalogue with a wrongly typed title, an impossible date and a duplicate id."""
    folder = tmp_path / "catalogue"
    folder.mkdir()
    path = folder / "resources.toml"
    path.write_text(FAULTY_CATALOGUE, encoding="utf-8")
    return path


@pytest.fixture
def import_file(tmp_path: Path) -> Path:
    """A small JSON file in export's shape, for `csec import`, outside the catalogue's folder."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = folder / "incoming.json"
    resource = {
        "title": "Imported resource on labour inspection",
        "date": "2009-03-01",
        "summary": "Imported by the reliability suite.",
        "type": "manual",
        "audience": [],
        "topics": [],
        "countries": [],
        "language": "en",
    }
    path.write_text(json.dumps([resource]), encoding="utf-8")
    return path
