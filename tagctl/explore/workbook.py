"""An Excel workbook (.xlsx) as a `Table`: one sheet, its first row the header.

Cells are read as the values Excel shows, as text: numbers without a
trailing `.0` when whole, dates as YYYY-MM-DD. Two things a tag list must
not rely on are refused with the cells they concern, before anything is
imported: merged cells (only the first cell of a merged range holds the
value, so the other rows would silently lose it) and formulas (the file
holds the formula; its value is whatever Excel last computed, if anything).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tagctl.errors import UsageError
from tagctl.explore.tablefile import Table, check_headers, row_of


def read_workbook(path: Path, raw: bytes, sheet: str | None) -> Table:
    try:
        book = load_workbook(io.BytesIO(raw), data_only=False, read_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UsageError(f"is not an Excel workbook: {error}", path=path) from error
    if sheet is not None and sheet not in book.sheetnames:
        listed = ", ".join(book.sheetnames)
        raise UsageError(f"--sheet: no sheet '{sheet}' (the workbook has: {listed})", path=path)
    page = book[sheet] if sheet is not None else book.worksheets[0]
    _refuse_merged(path, page)
    grid = [[_cell(path, cell) for cell in row] for row in page.iter_rows()]
    while grid and not any(grid[-1]):
        grid.pop()
    if not grid or not any(grid[0]):
        raise UsageError(f"sheet '{page.title}' has no header row", path=path)
    width = max(index + 1 for index, text in enumerate(grid[0]) if text)
    headers = tuple(grid[0][:width])
    check_headers(path, headers)
    rows = [
        row_of(number, headers, cells[:width] + [c for c in cells[width:] if c])
        for number, cells in enumerate(grid[1:], start=2)
        if any(cells)
    ]
    return Table(headers, rows)


def _refuse_merged(path: Path, page: Any) -> None:
    ranges = sorted(page.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if ranges:
        first = ranges[0]
        more = f" and {len(ranges) - 1} more" if len(ranges) > 1 else ""
        raise UsageError(
            f"row {first.min_row}: merged cells {first.coord}{more} in sheet '{page.title}'",
            path=path,
            line=first.min_row,
            hint="unmerge them and fill the value into every row",
        )


def _cell(path: Path, cell: Any) -> str:
    value = cell.value
    if cell.data_type == "f":
        raise UsageError(
            f"row {cell.row}: cell {cell.coordinate} holds a formula",
            path=path,
            line=cell.row,
            hint="copy the column and paste it back as values",
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
