"""The engine matrix: one demo warehouse, every engine, the same KPI document.

`Reference.build(layout)` makes a 10,000-user demo warehouse in DuckDB (the
long or the wide layout), reads its eight tables back as Python rows, and
measures it with `tagctl kpi --format json` at a fixed `--as-of`. An engine
test loads those rows into its engine, points a copy of the sample catalog
at it and measures again: `comparable` of the two documents must be equal.
That equality is the contract every dialect override must pass: counts
exact, rates and statistics as the document rounds them, and only the
`warehouse` block (dialect and URL) may differ.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from clihelpers import copy_catalog, describe, no_traceback, run_tagctl
from duckdbrows import insert_columns

USERS = 10_000
AS_OF = "2026-11-30"
TABLES = (
    "users",
    "tag_values",
    "tag_usage",
    "campaign_tags",
    "campaign_members",
    "touches",
    "conversions",
    "campaign_costs",
)
LONG = {"layout": "long", "unique": True, "known_users": True}
WIDE = {"layout": "wide"}

Row = dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """The demo warehouse of one layout: its DuckDB file, rows, column types and document."""

    layout: str
    database: Path
    rows: Mapping[str, list[Row]]
    types: Mapping[str, Sequence[tuple[str, str]]]  # table: (column, DuckDB type name)
    document: Mapping[str, Any]

    @classmethod
    def build(cls, folder: Path, layout: str) -> Reference:
        import duckdb

        catalog = copy_catalog(folder / "catalog")
        tables = {"tag_values": LONG if layout == "long" else WIDE}
        point(catalog, {"url": "duckdb:///demo.duckdb", "tables": tables})
        built = run_tagctl(
            "demo", "--users", str(USERS), "--as-of", AS_OF, "--layout", layout, cwd=catalog
        )
        ok(built)
        rows: dict[str, list[Row]] = {}
        types: dict[str, list[tuple[str, str]]] = {}
        with duckdb.connect(str(catalog / "demo.duckdb"), read_only=True) as connection:
            for table in TABLES:
                result = connection.execute(f"SELECT * FROM {table}")  # our own table names
                names = [column[0] for column in result.description]
                rows[table] = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
                # DESCRIBE names types alike in every DuckDB (a cursor's description does not)
                described = connection.execute(f"DESCRIBE {table}").fetchall()
                types[table] = [(str(name), str(kind)) for name, kind, *_ in described]
        return cls(layout, catalog / "demo.duckdb", rows, types, measure(catalog))


def point(catalog: Path, warehouse: Mapping[str, Any]) -> None:
    """Replace the `warehouse` section of the catalog's tagctl.yaml."""
    file = catalog / "tagctl.yaml"
    config = yaml.safe_load(file.read_text(encoding="utf-8"))
    config["warehouse"] = dict(warehouse)
    file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")


def measure(catalog: Path, *extra: str) -> dict[str, Any]:
    """The KPI document of the catalog's warehouse as of AS_OF."""
    result = run_tagctl("kpi", "--format", "json", "--as-of", AS_OF, *extra, cwd=catalog)
    ok(result)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def ok(result: subprocess.CompletedProcess[str]) -> None:
    no_traceback(result)
    assert result.returncode == 0, describe(result)


def comparable(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document without what may differ between engines: the warehouse's dialect and URL."""
    kept = dict(document)
    warehouse = dict(kept.pop("warehouse", {}) or {})
    kept["warehouse"] = {k: v for k, v in warehouse.items() if k not in ("dialect", "url")}
    return kept


def differences(expected: Any, actual: Any, at: str = "") -> list[str]:
    """Where two documents differ, as `path: expected != actual` lines (the first 40)."""
    found: list[str] = []
    _walk(expected, actual, at or "$", found)
    return found[:40]


def _walk(expected: Any, actual: Any, at: str, found: list[str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            _walk(expected.get(key, "<absent>"), actual.get(key, "<absent>"), f"{at}.{key}", found)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            _walk(left, right, f"{at}[{index}]", found)
    elif expected != actual:
        found.append(f"{at}: {expected!r} != {actual!r}")


def assert_same(reference: Reference, document: Mapping[str, Any], engine: str) -> None:
    """The engine's document equals DuckDB's, but for the warehouse's dialect and URL."""
    found = differences(comparable(reference.document), comparable(document))
    assert not found, f"{engine} differs from DuckDB ({reference.layout}):\n" + "\n".join(found)


def plain(value: Any) -> Any:
    """A row value as every driver takes it (DuckDB hands back only these kinds)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


_TYPES = {
    "BIGINT": "BigInteger",
    "INTEGER": "BigInteger",
    "VARCHAR": "String",
    "TIMESTAMP": "DateTime",
    "DOUBLE": "Double",
    "BOOLEAN": "Boolean",
    "DATE": "Date",
}


def _type(kind: str) -> Any:
    """The type of a DuckDB column on every engine; times keep their microseconds on MySQL."""
    import sqlalchemy
    from sqlalchemy.dialects import mysql

    generic = getattr(sqlalchemy, _TYPES[kind])
    if kind == "VARCHAR":
        return generic(255)
    if kind == "TIMESTAMP":
        return generic().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
    return generic()


def load(url: str, schema: str | None, reference: Reference, chunk: int = 5_000) -> None:
    """Create the reference's eight tables at `url` (in `schema`) and insert its rows.

    The tables are made from the same SQLAlchemy types on every engine. DuckDB
    and PostgreSQL take the rows through their bulk paths (a list per column,
    COPY), the others as batched INSERTs: the values are the same either way.
    """
    from sqlalchemy import Column, MetaData, Table, create_engine
    from sqlalchemy.pool import NullPool

    metadata = MetaData(schema=schema)
    tables = []
    for name in TABLES:
        columns = []
        for column, kind in reference.types[name]:
            columns.append(Column(column, _type(kind)))
        tables.append(Table(name, metadata, *columns))
    engine = create_engine(url, poolclass=NullPool)
    bulk = {"duckdb": insert_columns, "postgresql": _postgres_copy}.get(engine.dialect.name)
    try:
        with engine.begin() as connection:
            metadata.create_all(connection)
            for table in tables:
                rows = [{k: plain(v) for k, v in row.items()} for row in reference.rows[table.name]]
                if bulk is not None:
                    bulk(connection, table, rows)
                    continue
                for start in range(0, len(rows), chunk):
                    connection.execute(table.insert(), rows[start : start + chunk])
    finally:
        engine.dispose()


def _postgres_copy(connection: Any, table: Any, rows: Sequence[Row]) -> None:
    """Rows into a PostgreSQL table with COPY FROM STDIN, values adapted by psycopg."""
    names = [column.name for column in table.columns]
    target = f"{table.schema}.{table.name}" if table.schema else table.name
    statement = f"COPY {target} ({', '.join(names)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])
