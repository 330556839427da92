"""Rows into a DuckDB table in one statement, for the test warehouses.

DuckDB binds an executemany a row at a time; it takes one list per column
(`INSERT ... SELECT unnest(?)`) ten times faster, each list cast to its
column's type as a bound value would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table


def insert_columns(connection: Any, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """`rows` into `table` over a DuckDB connection, with the first row's columns."""
    if not rows:
        return
    names = list(rows[0])
    preparer = connection.dialect.identifier_preparer
    kinds = [table.c[name].type.compile(dialect=connection.dialect) for name in names]
    selects = ", ".join(f"unnest(CAST(? AS {kind}[]))" for kind in kinds)
    target = f"{preparer.format_table(table)} ({', '.join(map(preparer.quote, names))})"
    columns = [[row[name] for row in rows] for name in names]
    connection.connection.driver_connection.execute(
        f"INSERT INTO {target} SELECT {selects}", columns
    )
