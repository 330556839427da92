"""The reference rows in a chDB (ClickHouse in process) folder, for the engine matrix.

ClickHouse tables need an engine and column types SQLAlchemy's generic DDL
does not write: every column is `Nullable(...)` (the demo rows have NULLs)
and times are `DateTime64(6, 'UTC')` so that they keep their microseconds.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from enginematrix import TABLES, Reference, plain

_TYPES = {
    "BIGINT": "Int64",
    "INTEGER": "Int64",
    "VARCHAR": "String",
    "TIMESTAMP": "DateTime64(6, 'UTC')",
    "DOUBLE": "Float64",
    "BOOLEAN": "Bool",
    "DATE": "Date32",
}


def create_statement(table: str, columns: list[tuple[str, str]]) -> str:
    """`CREATE TABLE` of one reference table (our own table and column names)."""
    body = ", ".join(f"`{name}` Nullable({_TYPES[kind]})" for name, kind in columns)
    return f"CREATE TABLE `{table}` ({body}) ENGINE = MergeTree ORDER BY tuple()"


def load_chdb(folder: Path, reference: Reference) -> None:
    """Create the reference's eight tables in the chDB session folder `folder`.

    The rows go in as one `INSERT ... FORMAT JSONEachRow` per table, parsed by
    ClickHouse itself (times as text in the column's UTC): through the
    driver's executemany a row at a time, loading took seconds.
    """
    from chdb import session

    with session.Session(str(folder.resolve())) as warehouse:
        for name in TABLES:
            warehouse.query(create_statement(name, list(reference.types[name])))
            rows = reference.rows[name]
            if rows:
                lines = "\n".join(json.dumps(row, default=_text) for row in rows)
                warehouse.query(f"INSERT INTO `{name}` FORMAT JSONEachRow\n{lines}")


def _text(value: Any) -> str:
    """Times and dates as ClickHouse reads them: ISO text, times in UTC."""
    if isinstance(value, dt.datetime):
        return plain(value).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"no JSON for {type(value).__name__}")
