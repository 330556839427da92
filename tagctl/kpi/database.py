"""The sessions that use connections: the warehouse (read-only) and the history.

Engines are opened by `tagctl.kpi.engines`, with their limits. Read-only
by construction: only `Select` statements built by the KPI families reach
`run`, DuckDB files are opened read-only, and PostgreSQL transactions are
marked read-only. Every failure becomes a
`RuntimeFailure` (exit 3) whose message names the logical table, the
physical name and the tagctl.yaml key to fix, with every secret masked
(`tagctl.kpi.masking`) and the driver's text cut to one line
(`tagctl.kpi.errortext`).

Every call ends: drivers get connect, socket and statement limits
(`tagctl.kpi.limits`), and a `Watchdog` ends what outlives them, so that a
server that never answers fails within the timeout and a few seconds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, false, inspect, literal_column, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Executable, Select

from tagctl.errors import RuntimeFailure
from tagctl.fsutil import make_state_folder
from tagctl.kpi.dialects import CLICKHOUSE, HASH_JOIN_ONLY
from tagctl.kpi.engines import (
    at_connect,
    call_watchdog,
    ending,
    open_engine,
    parse_url,
    plain,
    timed_out,
)
from tagctl.kpi.errortext import summary
from tagctl.kpi.limits import connect_limit
from tagctl.kpi.masking import masked
from tagctl.kpi.relations import Relation, relation, required_columns
from tagctl.kpi.settings import REQUIRED_TABLES, TableMap, WarehouseSettings
from tagctl.kpi.watchdog import Cut, Watchdog, silence

HISTORY_TIMEOUT = 60
CLICKHOUSE_QUERY_BYTES = 64 * 1024 * 1024
SPARK_QUERY_TIMEOUT = "spark.sql.thriftServer.queryTimeout"
SPARK_CONSTRAINTS = "spark.sql.constraintPropagation.enabled"


@dataclass(frozen=True)
class Probe:
    """What the warehouse has of one logical table."""

    relation: Relation | None  # None: an optional table that is absent
    note: str = ""
    columns: frozenset[str] = frozenset()  # wide layout: the columns found


class Warehouse:
    """A read-only connection to the warehouse of one KPI run."""

    def __init__(self, settings: WarehouseSettings) -> None:
        self.settings = settings
        self.url = parse_url(settings.url, "warehouse.url")
        self.where = masked(settings.url)
        self.engine: Engine = open_engine(
            self.url, settings.timeout_seconds, read_only=True, memory=settings.memory_limit
        )
        self._connection: Connection | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __enter__(self) -> Warehouse:
        started = time.monotonic()
        try:
            with self._watchdog(connect_limit(self.settings.timeout_seconds)):
                self._open()
        except Exception as error:  # whatever the driver raises, it could not connect
            self._discard()
            raise self._cannot_connect(error, time.monotonic() - started) from error
        return self

    def _open(self) -> None:
        self._connection = self.engine.connect()
        if self.dialect == "postgresql":
            self._connection.execution_options(postgresql_readonly=True)
        if self.dialect in CLICKHOUSE:
            self._clickhouse_session()
        if self.dialect == "hive":
            self._spark_session()
        if getattr(self.engine.dialect, "is_mariadb", False):
            self._mariadb_session()
        # Some dialects (Trino, Hive) connect lazily: only a statement reaches the server.
        self._connection.execute(select(literal_column("1")))

    def _mariadb_session(self) -> None:
        """Hashed join buffers: the KPI statements join derived tables, which have no
        index, and MariaDB's default level joins them in block nested loops (the
        campaigns statement of the 10,000-user demo: 7.6 s, hashed 0.3 s)."""
        self.connection.exec_driver_sql("SET SESSION join_cache_level = 4")

    def _clickhouse_session(self) -> None:
        """Session settings of a ClickHouse (chDB) warehouse: the wide layout's statement
        outgrows the default 256 KiB max_query_size; statements end at the timeout;
        readonly = 2 refuses writes but keeps each statement's SETTINGS clause."""
        seconds = max(1, math.ceil(self.settings.timeout_seconds))
        for setting in (
            f"SET max_query_size = {CLICKHOUSE_QUERY_BYTES}",
            f"SET max_execution_time = {seconds}",
            "SET readonly = 2",
        ):
            self.connection.exec_driver_sql(setting)  # constants and an integer only

    def _spark_session(self) -> None:
        """Spark's Thrift Server cancels a statement of this session at the timeout
        (Spark 3.1+; Hive itself ignores the setting). Spark has no read-only session.

        The optimizer's constraint propagation is off: it only infers extra
        filters, and over the wide layout's redundancy statement (a table of
        constant rows joined with every sampled user) it ran for more than
        ten minutes before planning ended, where it takes six seconds without.
        """
        seconds = max(1, math.ceil(self.settings.timeout_seconds))
        self.connection.exec_driver_sql(f"SET {SPARK_QUERY_TIMEOUT}={seconds}")  # an integer
        self.connection.exec_driver_sql(f"SET {SPARK_CONSTRAINTS}=false")

    def _cannot_connect(self, error: BaseException, elapsed: float) -> RuntimeFailure:
        if isinstance(error, Cut) or timed_out(error):
            detail = silence(self.url, elapsed)
        else:
            detail = summary(error)
        return RuntimeFailure(f"cannot connect: {detail} [{self.where}]", hint=self._connect_hint())

    def _connect_hint(self) -> str | None:
        if self.url.get_backend_name() == "duckdb":
            return "build the demo warehouse with `tagctl demo`, or set warehouse.url"
        return None

    def __exit__(self, *exc: object) -> None:
        self._discard()

    def _discard(self) -> None:
        if self._connection is not None:
            limit = connect_limit(self.settings.timeout_seconds)
            with suppress(Exception), self._watchdog(limit):
                self._connection.close()
            self._connection = None
        self.engine.dispose()

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the warehouse is not open")
        return self._connection

    def probe(self, table: TableMap, active_population: bool = False) -> Probe:
        """Check that `table` and its columns exist; optional and absent gives no relation."""
        needed = required_columns(table, active_population)
        if table.layout == "wide":
            return self._probe_wide(table, needed)
        rel = relation(table)
        try:
            self._execute(select(*(rel[name] for name in needed)).where(false()))
        except SQLAlchemyError as error:
            return self._diagnose(table, needed, error)
        return Probe(rel)

    def _probe_wide(self, table: TableMap, needed: Sequence[str]) -> Probe:
        try:
            names = self._columns(table)
        except SQLAlchemyError as error:
            return self._diagnose(table, needed, error)
        self._require(table, needed, names)
        return Probe(relation(table), columns=names)

    def _columns(self, table: TableMap) -> frozenset[str]:
        """The table's column names, from an empty `SELECT *` (portable, no catalog views)."""
        source = relation(table).table
        result = self._execute(select(literal_column("*")).select_from(source).where(false()))
        return frozenset(str(key) for key in result.keys())  # noqa: SIM118 - a Result, not a dict

    def _diagnose(self, table: TableMap, needed: Sequence[str], error: SQLAlchemyError) -> Probe:
        """Why a probe failed: a missing table, a missing column, or the warehouse itself."""
        cannot = f"cannot read {table.logical} ({table.physical})"
        if isinstance(error, Cut):
            raise self._failure(cannot, error) from error
        self._rollback()
        try:
            with self._watchdog(self.settings.timeout_seconds):
                exists = inspect(self.connection).has_table(table.table, table.schema)
            if not exists:
                return self._absent(table)
            names = self._columns(table)
        except SQLAlchemyError:
            self._rollback()
            raise self._failure(cannot, error) from error
        self._require(table, needed, names)
        raise self._failure(cannot, error)

    def _absent(self, table: TableMap) -> Probe:
        if table.logical not in REQUIRED_TABLES and not table.configured:
            return Probe(None, note=f"no {table.physical} table: {table.logical} KPIs are null")
        raise RuntimeFailure(
            f"table {table.physical} (logical table {table.logical}) not found in {self.where}",
            hint=f"create it or set {table.key}.table in tagctl.yaml",
        )

    def _require(self, table: TableMap, needed: Sequence[str], names: Collection[str]) -> None:
        for logical in needed:
            if table.column(logical) not in names:
                raise self._missing_column(table, logical)

    def _missing_column(self, table: TableMap, logical: str) -> RuntimeFailure:
        return RuntimeFailure(
            f"column {table.column(logical)} (logical {table.logical}.{logical}) not found"
            f" in table {table.physical}",
            hint=f"set {table.key}.columns.{logical} in tagctl.yaml",
        )

    def run(self, name: str, statement: Select[Any]) -> list[Mapping[str, Any]]:
        """Execute one KPI statement; rows as mappings with times as naive UTC."""
        try:
            rows = self._execute(statement).mappings().all()
        except SQLAlchemyError as error:
            self._rollback()
            raise self._failure(
                f"the {name} query failed", error, self._memory_hint(error)
            ) from error
        return [{key: plain(value) for key, value in row.items()} for row in rows]

    def _memory_hint(self, error: BaseException) -> str | None:
        """What to change when the embedded DuckDB ran out of its memory limit."""
        if self.dialect != "duckdb" or "Out of Memory" not in str(error):
            return None
        limit = self.settings.memory_limit
        return f"raise warehouse.memory_limit in tagctl.yaml: DuckDB may use {limit} now"

    def run_hash_joined(self, name: str, statement: Select[Any]) -> list[Mapping[str, Any]]:
        """`run` a statement whose join of two large inputs must be a hash join.

        PostgreSQL reads a table without statistics as a few rows, and joined
        the redundancy sample with every holder row in a nested loop (the
        10,000-user demo: minutes, against 0.5 s hashed); with statistics it
        sorted 35M holder rows on disk for a merge join (1M users: 37 s,
        hashed 25 s). The exact counts read P as an IN (subquery) that the
        planner, guessing one row a table, took as a nested loop: 4.8 s for
        10,000 users, 0.1 s hashed. The campaigns statement joined campaign
        members with touches and conversions the same way: 11 s on the
        10,000-user demo, 0.04 s hashed. Both are turned off for the statement only.
        """
        turn_off, turn_back = HASH_JOIN_ONLY.get(self.dialect, ((), ()))
        for setting in turn_off:
            self.connection.exec_driver_sql(setting)
        try:
            return self.run(name, statement)
        finally:
            with suppress(SQLAlchemyError):
                for setting in turn_back:
                    self.connection.exec_driver_sql(setting)

    def _execute(self, statement: Select[Any]) -> Any:
        with self._watchdog(self.settings.timeout_seconds):
            return self.connection.execute(statement)

    def _watchdog(self, limit: float) -> Watchdog:
        return call_watchdog(self.engine, self._connection, limit)

    def _rollback(self) -> None:
        if self._connection is None:
            return
        limit = connect_limit(self.settings.timeout_seconds)
        with suppress(SQLAlchemyError), self._watchdog(limit):
            self._connection.rollback()

    def _failure(self, what: str, error: BaseException, hint: str | None = None) -> RuntimeFailure:
        return RuntimeFailure(f"{what}: {self._detail(error)} [{self.where}]", hint=hint)

    def _detail(self, error: BaseException) -> str:
        return ending(self.engine, error, self.settings.timeout_seconds) or summary(error)


Statement = tuple[Executable, list[dict[str, Any]] | None]  # with its rows, if any


class HistoryDatabase:
    """The KPI history store: read freely, written one transaction per run."""

    def __init__(self, url: str) -> None:
        self.url = parse_url(url, "history.url")
        self._local = self.url.get_backend_name() in ("sqlite", "duckdb")
        self.engine: Engine = open_engine(self.url, HISTORY_TIMEOUT, read_only=False)
        self._created = False

    def exists(self) -> bool:
        """Whether anything was ever saved (a missing SQLite file is not created by asking)."""
        if self._local:
            database = self.url.database or ""
            if database and database != ":memory:" and not Path(database).exists():
                return False
        return True

    def create(self, metadata: MetaData) -> None:
        """Create the tables once per connection object (a no-op when they exist)."""
        if self._created:
            return
        if self._local and self.url.database not in (None, "", ":memory:"):
            # only the catalog's .tagctl/ is created; a typo must not make folders elsewhere
            make_state_folder(Path(str(self.url.database)).parent, "history.url")
        try:
            metadata.create_all(self.engine, checkfirst=True)
        except SQLAlchemyError as error:
            raise self._failure("cannot create the history tables", error) from error
        self._created = True

    def write(self, statements: Sequence[Statement]) -> None:
        """Run `statements` in one transaction: all of a run is saved, or none of it."""
        try:
            with self.engine.begin() as connection:
                for statement, rows in statements:
                    with call_watchdog(self.engine, connection, HISTORY_TIMEOUT):
                        connection.execute(statement, rows)
        except SQLAlchemyError as error:
            raise self._failure("cannot save to the history", error) from error

    def read(self, statement: Select[Any]) -> list[Mapping[str, Any]]:
        try:
            with (
                self.engine.connect() as connection,
                call_watchdog(self.engine, connection, HISTORY_TIMEOUT),
            ):
                rows = connection.execute(statement).mappings().all()
        except SQLAlchemyError as error:
            raise self._failure("cannot read the history", error) from error
        return [{key: plain(value) for key, value in row.items()} for row in rows]

    def _failure(self, what: str, error: SQLAlchemyError) -> RuntimeFailure:
        detail = ending(self.engine, error, HISTORY_TIMEOUT) or summary(error)
        if at_connect(error):
            what = "cannot connect to the history store"
            if timed_out(error):
                detail = silence(self.url, connect_limit(HISTORY_TIMEOUT))
        return RuntimeFailure(
            f"{what}: {detail} [{masked(self.url)}]",
            hint="history.url in tagctl.yaml names the store",
        )

    def close(self) -> None:
        self.engine.dispose()
