"""Reading a tag list for `tagctl import`: CSV, an Excel workbook, or `tagctl export` JSON.

Each reader gives a `Table`: the header and the rows, every row with the
number a person sees for it (the spreadsheet's row number: the header is
row 1). A file that cannot be read as a whole (an encoding that is none of
those Excel writes, a quote left open, merged cells, formulas) is a
`UsageError` naming the file and the row; nothing is imported from it.
A row with more or fewer cells than the header is kept, marked, for the
importer to report as that row's problem.

CSV encodings: UTF-8 (with or without the byte order mark), GB18030 (what
Excel in China saves as "CSV"), UTF-16 with its byte order mark (Excel's
"Unicode text", tab-separated). The delimiter is the header's: a comma, a
tab or a semicolon.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tagctl.errors import UsageError

MAX_BYTES = 64 * 1024 * 1024  # a tag list, not a data dump
_DELIMITERS = (",", "\t", ";")


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: dict[str, Any]
    width_problem: str = ""  # more or fewer cells than the header


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    structured: bool = False  # the JSON of `tagctl export`: cells are already fields

    def where(self, row: Row) -> str:
        """How a message names `row`: `row 7` in a sheet, `tag 6` in a JSON list."""
        return f"tag {row.number}" if self.structured else f"row {row.number}"


def read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir() or (path.exists() and not path.is_file()):
            raise UsageError("is not a regular file", path=path)
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError as error:
        raise UsageError("no such file", path=path) from error
    except OSError as error:
        raise UsageError(f"cannot read: {error.strerror or error}", path=path) from error
    if len(raw) > MAX_BYTES:
        raise UsageError(f"is larger than {MAX_BYTES // (1024 * 1024)} MB", path=path)
    return raw


def decode(path: Path, raw: bytes) -> str:
    """The text of a CSV file in the encodings Excel writes; else the row that is neither."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UsageError(
                "is not valid UTF-16 despite its byte order mark", path=path
            ) from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            row = raw[: utf8.start].count(b"\n") + 1
            raise UsageError(
                f"row {row}: byte {utf8.start + 1} is neither UTF-8 nor GB18030",
                path=path,
                line=row,
                hint="save the file as 'CSV UTF-8'",
            ) from utf8


def read_csv(path: Path, raw: bytes) -> Table:
    text = decode(path, raw)
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    records = _records(path, text, delimiter)
    if not records or not any(cell.strip() for cell in records[0]):
        raise UsageError("has no header row", path=path, hint="the first row names the columns")
    headers = tuple(cell.strip() for cell in records[0])
    check_headers(path, headers)
    rows = [
        row_of(number, headers, cells)
        for number, cells in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    return Table(headers, rows)


def _records(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """The records of a CSV text; a quote left open is named by the row that opens it."""
    csv.field_size_limit(MAX_BYTES)  # a cell of SQL may be long; the file's size is checked
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    line = 1  # where the next record starts
    try:
        for cells in reader:
            records.append(cells)
            line = reader.line_num + 1
    except csv.Error as error:
        raise UsageError(
            f"row {len(records) + 1}: {error}",
            path=path,
            line=line,
            hint="a quote opened in this row may never be closed",
        ) from error
    return records


def row_of(number: int, headers: tuple[str, ...], cells: list[str]) -> Row:
    """A row by its headers; a cell under no named column, or a named column with no
    cell, is the row's problem (the empty columns Excel leaves at the end are not)."""
    named = max((index + 1 for index, header in enumerate(headers) if header), default=0)
    extra = [cell for cell in cells[named:] if cell.strip()]
    width = ""
    if len(cells) < named or extra:
        width = f"{len(cells)} cells where the header has {named}"
    values = {header: cell for header, cell in zip(headers, cells, strict=False) if header}
    return Row(number, values, width)


def check_headers(path: Path, headers: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise UsageError(f"row 1: the column '{header}' appears twice", path=path, line=1)
        seen.add(header)


def read_dictionary(path: Path, raw: bytes) -> Table:
    """The tags of a `tagctl export` JSON document, as rows numbered from 1."""
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise UsageError(f"is not JSON: {error}", path=path, line=line) from error
    if not isinstance(document, dict) or document.get("format") != "tagctl-dictionary":
        raise UsageError(
            "is not the JSON of `tagctl export`",
            path=path,
            hint='expected {"format": "tagctl-dictionary", ...}',
        )
    if document.get("format_version") != 1:
        raise UsageError(f"format_version {document.get('format_version')!r} is unknown", path=path)
    entries = document.get("tags")
    if not isinstance(entries, list):
        raise UsageError("has no list of tags", path=path)
    rows = [
        Row(number, entry, "") if isinstance(entry, dict) else Row(number, {}, "not an object")
        for number, entry in enumerate(entries, start=1)
    ]
    headers = tuple(dict.fromkeys(key for row in rows for key in row.cells))
    return Table(headers, rows, structured=True)
