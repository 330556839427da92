"""The reference rows in a chDB (ClickHouse in process) folder, for the engine matrix.

ClickHouse tables need an engine and column types SQLAlchemy's generic DDL
does not write: every column is `Nullable(...)` (the demo rows have NULLs)
and times are `DateTime64(6, 'UTC')` so that they keep their microseconds.
"""

from __future__ import annotations

from pathlib import Path

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


def load_chdb(folder: Path, reference: Reference, chunk: int = 5_000) -> None:
    """Create the reference's seven tables in the chDB session folder `folder`."""
    from sqlalchemy import column, create_engine, table, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(f"chdb:///{folder.resolve()}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            for name in TABLES:
                columns = list(reference.types[name])
                connection.execute(text(create_statement(name, columns)))
                target = table(name, *(column(col) for col, _ in columns))
                rows = [{k: plain(v) for k, v in row.items()} for row in reference.rows[name]]
                for start in range(0, len(rows), chunk):
                    connection.execute(target.insert(), rows[start : start + chunk])
            connection.commit()
    finally:
        engine.dispose()
