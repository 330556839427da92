"""`tagctl kpi --show-sql`: the statements of a run as text, compiled for one dialect.

Nothing is executed. With a named dialect no connection is made at all:
every table is assumed to exist as tagctl.yaml maps it (optional ones too,
and in the wide layout a column per measured tag). Without one, the
configured warehouse is connected to only to probe its tables, as a run
would, and the SQL is compiled for its dialect.

Bound values are inlined for reading (`literal_binds`): each one is
rendered by the dialect's own literal processor, which quotes and escapes
strings, so nothing a catalog holds can end a string and become SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import false, literal_column, make_url, select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import NoSuchModuleError
from sqlalchemy.sql import Select

from tagctl.errors import UsageError
from tagctl.kpi import redundancy
from tagctl.kpi.compute import KpiRequest, prepare, table_maps
from tagctl.kpi.database import Probe, Warehouse
from tagctl.kpi.passes import redundancy_statements, statements
from tagctl.kpi.plan import Plan
from tagctl.kpi.relations import relation, required_columns
from tagctl.kpi.settings import TABLES, TableMap, warehouse_settings

# --dialect NAME: the SQLAlchemy URL scheme and the package that provides it.
DIALECTS: Mapping[str, tuple[str, str]] = {
    "duckdb": ("duckdb", "duckdb-engine"),
    "sqlite": ("sqlite", "SQLAlchemy"),
    "postgresql": ("postgresql", "SQLAlchemy"),
    "mysql": ("mysql", "SQLAlchemy"),
    "hive": ("hive", "pyhive"),
    "spark": ("hive", "pyhive"),  # Spark SQL's Thrift server speaks the Hive dialect
    "clickhouse": ("chdb", "chdb-sqlalchemy"),  # ClickHouse SQL; installs with SQLAlchemy 2.1
    "trino": ("trino", "trino"),
    "starrocks": ("starrocks", "starrocks"),
    "snowflake": ("snowflake", "snowflake-sqlalchemy"),
    "bigquery": ("bigquery", "sqlalchemy-bigquery"),
}

Shown = list[tuple[str, str]]  # (name, SQL text)


def dialect_named(name: str) -> Dialect:
    """The SQLAlchemy dialect of a --dialect name; a usage error names what to install."""
    if name not in DIALECTS:
        raise UsageError(
            f"--dialect: unknown dialect '{name}'", hint=f"one of {', '.join(DIALECTS)}"
        )
    scheme, package = DIALECTS[name]
    try:
        dialect: Dialect = make_url(f"{scheme}://").get_dialect()()
    except (NoSuchModuleError, ImportError) as error:
        raise UsageError(
            f"--dialect {name}: the SQLAlchemy dialect for {name} is not installed",
            hint=f"pip install {package}",
        ) from error
    return dialect


def show_sql(request: KpiRequest, dialect_name: str | None = None) -> Shown:
    """Every statement a run of `request` would send, named, compiled; none executed."""
    _, plan, settings, notes = prepare(request)
    active = settings.population == "active"
    if dialect_name is not None:
        dialect = dialect_named(dialect_name)
        maps = table_maps(request.config, request.warehouse_url)
        probes = {name: assumed(maps[name], plan) for name in TABLES}
    else:
        store = warehouse_settings(request.config, request.warehouse_url)
        maps = store.tables
        with Warehouse(store) as warehouse:
            dialect = warehouse.engine.dialect
            probes = {
                name: warehouse.probe(maps[name], active and name == "users") for name in TABLES
            }
    plan = plan.for_dialect(dialect.name)
    named = [(f"probe {name}", probe_statement(maps[name], active)) for name in TABLES]
    named += statements(probes, plan, notes)
    if settings.redundancy.enabled and redundancy.supported(dialect.name):
        named += redundancy_statements(probes, plan, settings.redundancy)  # all sampled, no pairs
    return [(name, compiled(statement, dialect)) for name, statement in named]


def assumed(table: TableMap, plan: Plan) -> Probe:
    """The probe of a table taken to exist as mapped (wide: a column per measured tag)."""
    if table.layout == "wide":
        return Probe(relation(table), columns=frozenset(tag.name for tag in plan.tags))
    return Probe(relation(table))


def probe_statement(table: TableMap, active: bool) -> Select[Any]:
    """The empty SELECT a run sends to check that a table and its columns exist."""
    rel = relation(table)
    if table.layout == "wide":
        return select(literal_column("*")).select_from(rel.table).where(false())
    columns = required_columns(table, active and table.logical == "users")
    return select(*(rel[name] for name in columns)).where(false())


def compiled(statement: Select[Any], dialect: Dialect) -> str:
    """The statement as SQL text for `dialect`, its bound values inlined as quoted literals."""
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
