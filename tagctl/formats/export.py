"""Renderers of `tagctl export`: the dictionary as JSON, CSV or DataHub MCPs.

JSON is the document of `tagctl.explore.export.dictionary`; CSV has one row
per tag with the columns of `tagctl.explore.records.ENTRY_COLUMNS`; DataHub
is the MCP array of `tagctl.explore.datahub`. All are UTF-8, keys in a fixed
order, so the same catalog always exports the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, TextIO

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.explore.datahub import proposals
from tagctl.explore.export import dictionary, entries
from tagctl.explore.records import ENTRY_COLUMNS, entry_row
from tagctl.textsafe import spreadsheet_cell

FORMATS = ["json", "csv", "datahub"]


def render_export(tags: Sequence[Tag], config: Config, fmt: str, stream: TextIO) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=list(ENTRY_COLUMNS), lineterminator="\n")
        writer.writeheader()
        rows = (entry_row(record) for record in entries(tags, config))
        writer.writerows({key: spreadsheet_cell(text) for key, text in row.items()} for row in rows)
        return
    document: Any = proposals(tags, config) if fmt == "datahub" else dictionary(tags, config)
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
