"""Test warehouses: the logical tables loaded into DuckDB, SQLite, PostgreSQL or MariaDB.

A `Dataset` is plain Python rows (dicts) for each table; None leaves the
table out altogether. `Backend.load` (re)creates the tables with SQLAlchemy
Core and inserts the rows. PostgreSQL tables go to a fresh schema and MariaDB
tables to a fresh database, both named per test and dropped afterwards, so
that tests running at the same time never see each other's tables.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pytest
from duckdbrows import insert_columns
from hypothesis import HealthCheck, settings
from kpicatalog import AS_OF, TagSpec, write_catalog
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    text,
)
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeEngine

from tagctl.catalog.config import Config
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.result import KpiRun

Row = dict[str, Any]

BACKENDS = ("duckdb", "sqlite", "postgres", "mysql")
SERVER_URLS = {"postgres": "TAGCTL_TEST_POSTGRES_URL", "mysql": "TAGCTL_TEST_MYSQL_URL"}


@dataclass
class Dataset:
    """Rows of the logical tables (default names and columns); campaign_costs is absent
    unless given."""

    users: list[Row] = field(default_factory=list)
    tag_values: list[Row] = field(default_factory=list)
    tag_usage: list[Row] | None = field(default_factory=list)
    campaign_tags: list[Row] | None = field(default_factory=list)
    campaign_members: list[Row] | None = field(default_factory=list)
    touches: list[Row] | None = field(default_factory=list)
    conversions: list[Row] | None = field(default_factory=list)
    campaign_costs: list[Row] | None = None

    def tables(self) -> dict[str, list[Row]]:
        """The tables to create, with their rows."""
        present = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: rows for name, rows in present.items() if rows is not None}


def user(user_id: int, active: bool = True) -> Row:
    return {"user_id": user_id, "is_active": active}


def value(user_id: int, tag: str, text_value: str | None, updated_at: dt.datetime) -> Row:
    return {"user_id": user_id, "tag_name": tag, "tag_value": text_value, "updated_at": updated_at}


def use(
    tag: str, used_at: dt.datetime, consumer_type: str, consumer_id: str, department: str
) -> Row:
    return {
        "tag_name": tag,
        "used_at": used_at,
        "consumer_type": consumer_type,
        "consumer_id": consumer_id,
        "department": department,
    }


def member(campaign: str, user_id: int, group: str, selected_at: dt.datetime) -> Row:
    return {
        "campaign_id": campaign,
        "user_id": user_id,
        "group_name": group,
        "selected_at": selected_at,
    }


def touch(
    campaign: str,
    user_id: int,
    touched_at: dt.datetime,
    status: str,
    responded_at: dt.datetime | None = None,
) -> Row:
    return {
        "campaign_id": campaign,
        "user_id": user_id,
        "touched_at": touched_at,
        "status": status,
        "responded_at": responded_at,
    }


def conversion(user_id: int, converted_at: dt.datetime, amount: float | None) -> Row:
    return {"user_id": user_id, "converted_at": converted_at, "amount": amount}


def cost(campaign: str, amount: float | None) -> Row:
    return {"campaign_id": campaign, "cost": amount}


def _text(length: int = 255) -> String:
    return String(length)


COLUMNS: Mapping[str, Sequence[tuple[str, TypeEngine[Any]]]] = {
    "users": [("user_id", BigInteger()), ("is_active", Boolean())],
    "tag_values": [
        ("user_id", BigInteger()),
        ("tag_name", _text(128)),
        ("tag_value", _text()),
        ("updated_at", DateTime()),
    ],
    "tag_usage": [
        ("tag_name", _text(128)),
        ("used_at", DateTime()),
        ("consumer_type", _text(32)),
        ("consumer_id", _text(64)),
        ("department", _text(64)),
    ],
    "campaign_tags": [("campaign_id", _text(64)), ("tag_name", _text(128))],
    "campaign_members": [
        ("campaign_id", _text(64)),
        ("user_id", BigInteger()),
        ("group_name", _text(32)),
        ("selected_at", DateTime()),
    ],
    "touches": [
        ("campaign_id", _text(64)),
        ("user_id", BigInteger()),
        ("touched_at", DateTime()),
        ("status", _text(32)),
        ("responded_at", DateTime()),
    ],
    "conversions": [("user_id", BigInteger()), ("converted_at", DateTime()), ("amount", Double())],
    "campaign_costs": [("campaign_id", _text(64)), ("cost", Double())],
}

WIDE_TYPES: Mapping[str, TypeEngine[Any]] = {
    "boolean": Boolean(),
    "integer": BigInteger(),
    "number": Double(),
    "enum": _text(),
    "string": _text(),
    "date": _text(),
}


def define(
    metadata: MetaData,
    logical: str,
    name: str | None = None,
    columns: Sequence[tuple[str, TypeEngine[Any]]] | None = None,
) -> Table:
    """The Table of one logical table (default columns unless `columns` is given)."""
    spec = COLUMNS[logical] if columns is None else columns
    return Table(
        name or logical, metadata, *(Column(col, kind, nullable=True) for col, kind in spec)
    )


def insert(connection: Any, table: Table, rows: Sequence[Row]) -> None:
    """`rows` into `table`: DuckDB's in one statement (`insert_columns`), the other
    engines' by executemany, which is fast on them already."""
    if connection.dialect.name == "duckdb":
        insert_columns(connection, table, rows)
    else:
        connection.execute(table.insert(), rows)


def wide_rows(
    dataset: Dataset, tags: Sequence[TagSpec]
) -> tuple[list[tuple[str, TypeEngine[Any]]], list[Row]]:
    """The long tag_values of `dataset` as one typed row per user (the wide layout).

    A text value that the tag's column type cannot hold (junk in a number
    column, anything but true/false in a boolean one) becomes NULL; the
    latest updated_at of the user's rows is the row's updated_at.
    """
    columns: list[tuple[str, TypeEngine[Any]]] = [
        ("user_id", BigInteger()),
        ("updated_at", DateTime()),
        *((tag.name, WIDE_TYPES[tag.value_type]) for tag in tags),
    ]
    kinds = {tag.name: tag.value_type for tag in tags}
    rows: dict[int, Row] = {}
    for item in dataset.tag_values:
        row = rows.setdefault(
            item["user_id"],
            {"user_id": item["user_id"], "updated_at": None, **dict.fromkeys(kinds)},
        )
        if item["tag_name"] not in kinds:
            continue
        if row["updated_at"] is None or item["updated_at"] > row["updated_at"]:
            row["updated_at"] = item["updated_at"]
        row[item["tag_name"]] = typed(kinds[item["tag_name"]], item["tag_value"])
    order = sorted(rows, key=lambda key: (key is None, key or 0))  # a NULL user id last
    return columns, [rows[key] for key in order]


def typed(kind: str, text_value: str | None) -> Any:
    """A long-layout text value in the type of a wide column; None when it does not fit."""
    if text_value is None or text_value == "":
        return None
    try:
        if kind == "boolean":
            return {"true": True, "false": False}.get(text_value)
        if kind == "integer":
            return int(text_value)
        if kind == "number":
            return float(text_value)
    except ValueError:
        return None
    return text_value


def representable(dataset: Dataset, tags: Sequence[TagSpec]) -> Dataset:
    """`dataset` without the tag values that a typed wide column could not hold."""
    kinds = {tag.name: tag.value_type for tag in tags}
    kept = [
        row
        for row in dataset.tag_values
        if row["tag_name"] in kinds and typed(kinds[row["tag_name"]], row["tag_value"]) is not None
    ]
    return Dataset(users=dataset.users, tag_values=kept)


class Backend:
    """One warehouse for one test: a URL, where its tables live, and how to fill it."""

    def __init__(self, name: str, url: str, schema: str | None, root: Path) -> None:
        self.name = name
        self.url = url
        self.schema = schema
        self.root = root  # the catalog folder of this test
        root.mkdir(parents=True, exist_ok=True)
        self.file = self._file()

    def _file(self) -> Path | None:
        if self.name in ("duckdb", "sqlite"):
            return self.root / f"warehouse.{self.name}"
        return None

    @property
    def config_url(self) -> str:
        """The URL as tagctl.yaml spells it: file warehouses relative to the catalog."""
        if self.file is not None:
            return f"{self.name}:///{self.file.name}"
        return self.url

    def engine(self) -> Engine:
        return create_engine(self.url, poolclass=NullPool)

    def warehouse(self, **settings: Any) -> dict[str, Any]:
        """The `warehouse` section of tagctl.yaml for this backend, with `settings` added."""
        section: dict[str, Any] = {"url": self.config_url}
        if self.schema is not None:
            section["schema"] = self.schema
        section.update(settings)
        return section

    @contextmanager
    def connect(self) -> Iterator[Any]:
        engine = self.engine()
        try:
            with engine.begin() as connection:
                yield connection
        finally:
            engine.dispose()

    def load(
        self,
        dataset: Dataset,
        names: Mapping[str, str] | None = None,
        wide: Sequence[TagSpec] | None = None,
    ) -> None:
        """Replace every table of this warehouse by `dataset`'s.

        `names` renames physical tables; `wide` stores tag_values in the
        wide layout with one typed column per tag of `wide`.
        """
        self.clear()
        metadata = MetaData(schema=self.schema)
        loads: list[tuple[Table, list[Row]]] = []
        for logical, rows in dataset.tables().items():
            name = (names or {}).get(logical, logical)
            if logical == "tag_values" and wide is not None:
                columns, rows = wide_rows(dataset, wide)
                loads.append((define(metadata, logical, name, columns), rows))
            else:
                loads.append((define(metadata, logical, name), rows))
        with self.connect() as connection:
            metadata.create_all(connection)
            for table, rows in loads:
                if rows:
                    insert(connection, table, rows)

    def clear(self) -> None:
        """Drop every table this backend created (all tables of its file or schema)."""
        if self.file is not None:
            self.file.unlink(missing_ok=True)
            return
        metadata = MetaData(schema=self.schema)
        with self.connect() as connection:
            metadata.reflect(connection)
            metadata.drop_all(connection)

    def qualified(self, table: str) -> str:
        """`table` as SQL text, with this backend's schema (test-made names only)."""
        return f"{self.schema}.{table}" if self.schema else table

    def execute(self, statement: str) -> None:
        with self.connect() as connection:
            connection.execute(text(statement))

    def config(
        self,
        tags: Sequence[TagSpec],
        kpi: Mapping[str, Any] | None = None,
        **warehouse: Any,
    ) -> Config:
        """Write the test catalog of `tags` next to this warehouse and load it."""
        return write_catalog(self.root, tags, self.warehouse(**warehouse), kpi)

    def run(
        self,
        dataset: Dataset,
        tags: Sequence[TagSpec],
        kpi: Mapping[str, Any] | None = None,
        selected: Sequence[str] = (),
        as_of: dt.datetime = AS_OF,
        window_days: int | None = None,
        wide: Sequence[TagSpec] | None = None,
        **warehouse: Any,
    ) -> KpiRun:
        """Load `dataset`, write the catalog, and compute the KPIs as of `as_of`.

        `warehouse` is added to the catalog's warehouse section; physical table
        names it gives under `tables` are the names the data is loaded under.
        """
        tables: Mapping[str, Any] = warehouse.get("tables") or {}
        names = {logical: entry["table"] for logical, entry in tables.items() if "table" in entry}
        self.load(dataset, names, wide)
        config = self.config(tags, kpi, **warehouse)
        request = KpiRequest(config, tags=tuple(selected), as_of=as_of, window_days=window_days)
        return compute(request)

    def drop(self) -> None:
        """Remove the schema or database of a server backend."""
        if self.name == "postgres":
            self.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
        elif self.name == "mysql":
            self.execute(f"DROP DATABASE IF EXISTS `{self.schema}`")


def server_backend(name: str, url: str, root: Path) -> Backend:
    """A server backend with a fresh schema (PostgreSQL) or database (MariaDB)."""
    schema = f"tagctl_kpi_{uuid.uuid4().hex[:12]}"
    backend = Backend(name, url, schema, root)
    if name == "postgres":
        backend.execute(f'CREATE SCHEMA "{schema}"')
    else:
        backend.execute(f"CREATE DATABASE `{schema}`")
    return backend


@contextmanager
def open_backend(name: str, root: Path) -> Iterator[Backend]:
    """A fresh warehouse on backend `name` for the catalog folder `root`.

    DuckDB and SQLite: a file in `root`. PostgreSQL and MariaDB: a new
    schema or database on the server named by TAGCTL_TEST_POSTGRES_URL or
    TAGCTL_TEST_MYSQL_URL, dropped on exit; the test is skipped when the
    variable is not set.
    """
    if name not in SERVER_URLS:
        yield Backend(name, f"{name}:///{root / f'warehouse.{name}'}", None, root)
        return
    url = os.environ.get(SERVER_URLS[name])
    if not url:
        pytest.skip(f"{SERVER_URLS[name]} is not set")
    backend = server_backend(name, url, root)
    try:
        yield backend
    finally:
        backend.drop()


def property_settings(examples: int) -> Any:
    """Hypothesis settings of a property test that fills a warehouse per example."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
