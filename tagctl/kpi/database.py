"""The one module that opens connections: the warehouse (read-only) and the history.

Read-only by construction: only `Select` statements built by
`tagctl.kpi.queries` reach `run`, DuckDB files are opened read-only, and
PostgreSQL transactions are marked read-only. Every failure becomes a
`RuntimeFailure` (exit 3) whose message names the logical table, the
physical name and the tagctl.yaml key to fix, with the password masked.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    create_engine,
    false,
    inspect,
    literal_column,
    make_url,
    select,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import Executable, Select

from tagctl.errors import ConfigError, RuntimeFailure
from tagctl.fsutil import ignore_state
from tagctl.kpi.relations import Relation, relation, required_columns
from tagctl.kpi.settings import REQUIRED_TABLES, TableMap, WarehouseSettings

CONNECT_TIMEOUT = 10


@dataclass(frozen=True)
class Probe:
    """What the warehouse has of one logical table."""

    relation: Relation | None  # None: an optional table that is absent
    note: str = ""
    columns: frozenset[str] = frozenset()  # wide layout: the columns found


def masked(url: str | URL) -> str:
    """The URL with its password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparsable URL>"


class Warehouse:
    """A read-only connection to the warehouse of one KPI run."""

    def __init__(self, settings: WarehouseSettings) -> None:
        self.settings = settings
        self.url = _parse(settings.url)
        self.engine: Engine = _engine(
            self.url, settings.timeout_seconds, read_only=True, memory=settings.memory_limit
        )
        self._connection: Connection | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __enter__(self) -> Warehouse:
        try:
            self._connection = self.engine.connect()
            if self.dialect == "postgresql":
                self._connection = self._connection.execution_options(postgresql_readonly=True)
        except SQLAlchemyError as error:
            raise self._failure("cannot connect", error, self._connect_hint()) from error
        return self

    def _connect_hint(self) -> str | None:
        if self.url.get_backend_name() == "duckdb":
            return "build the demo warehouse with `tagctl demo`, or set warehouse.url"
        return None

    def __exit__(self, *exc: object) -> None:
        if self._connection is not None:
            self._connection.close()
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
        self._rollback()
        cannot = f"cannot read {table.logical} ({table.physical})"
        try:
            if not inspect(self.connection).has_table(table.table, table.schema):
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
            f"table {table.physical} (logical table {table.logical}) not found"
            f" in {masked(self.url)}",
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
            raise self._failure(f"the {name} query failed", error) from error
        return [{key: _plain(value) for key, value in row.items()} for row in rows]

    def _execute(self, statement: Select[Any]) -> Any:
        with self._watchdog():
            return self.connection.execute(statement)

    @contextmanager
    def _watchdog(self) -> Iterator[None]:
        """Interrupt a statement that outlives the timeout (engines without a server limit)."""
        if self.dialect not in ("duckdb", "sqlite"):
            yield
            return
        raw: Any = self.connection.connection.dbapi_connection
        fired = threading.Event()

        def interrupt() -> None:
            fired.set()
            raw.interrupt()

        timer = threading.Timer(self.settings.timeout_seconds, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        except SQLAlchemyError as error:
            if fired.is_set():
                raise TimedOut(str(error)) from error
            raise
        finally:
            timer.cancel()

    def _rollback(self) -> None:
        with suppress(SQLAlchemyError):
            self.connection.rollback()

    def _failure(self, what: str, error: BaseException, hint: str | None = None) -> RuntimeFailure:
        detail = _first_line(error)
        if _timed_out(error, detail):
            detail = f"timed out after {self.settings.timeout_seconds:g} s"
        return RuntimeFailure(f"{what}: {detail} [{masked(self.url)}]", hint=hint)


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as error:
        raise ConfigError(f"warehouse.url is not a SQLAlchemy URL: {masked(url)}") from error


def _engine(url: URL, timeout: float, read_only: bool, memory: str | None = None) -> Engine:
    """An engine with connect and statement limits; the warehouse's is read-only."""
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "duckdb":
        connect_args["read_only"] = read_only
        if memory is not None:
            connect_args["config"] = {
                "memory_limit": memory,
                "temp_directory": tempfile.gettempdir() + "/tagctl-duckdb",
                "preserve_insertion_order": False,
            }
    elif backend == "postgresql":
        connect_args["connect_timeout"] = min(CONNECT_TIMEOUT, int(timeout) or 1)
        connect_args["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    elif backend in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = min(CONNECT_TIMEOUT, int(timeout) or 1)
        connect_args["read_timeout"] = max(1, int(timeout))
    try:
        return create_engine(url, connect_args=connect_args, poolclass=NullPool)
    except (NoSuchModuleError, ImportError) as error:
        raise ConfigError(
            f"no SQLAlchemy driver for {backend}: {_first_line(error)}",
            hint=_driver_hint(backend),
        ) from error


def _driver_hint(backend: str) -> str:
    extras = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}
    if backend in extras:
        return f"pip install 'tagctl[{extras[backend]}]'"
    return f"install the SQLAlchemy dialect package for {backend}"


class TimedOut(SQLAlchemyError):
    """A statement interrupted by the watchdog."""


def _timed_out(error: BaseException, detail: str) -> bool:
    words = ("timeout", "timed out", "statement_timeout", "canceling statement")
    return isinstance(error, TimedOut) or any(word in detail.lower() for word in words)


def _first_line(error: BaseException) -> str:
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _plain(value: Any) -> Any:
    """Normalise driver values: aware times to naive UTC, text times parsed, decimals as float."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):  # text read as binary (see sqlparts.exact)
        return bytes(value).decode("utf-8", errors="replace")
    if value is not None and type(value).__name__ == "Decimal":
        return float(value)
    return value


Statement = tuple[Executable, list[dict[str, Any]] | None]  # with its rows, if any


class HistoryDatabase:
    """The KPI history store: read freely, written one transaction per run."""

    def __init__(self, url: str) -> None:
        self.url = _parse(url)
        self._local = self.url.get_backend_name() in ("sqlite", "duckdb")
        self.engine: Engine = _engine(self.url, 60, read_only=False)
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
            folder = Path(str(self.url.database)).parent
            folder.mkdir(parents=True, exist_ok=True)
            if folder.name == ".tagctl":
                ignore_state(folder)
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
                    connection.execute(statement, rows)
        except SQLAlchemyError as error:
            raise self._failure("cannot save to the history", error) from error

    def read(self, statement: Select[Any]) -> list[Mapping[str, Any]]:
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(statement).mappings().all()
        except SQLAlchemyError as error:
            raise self._failure("cannot read the history", error) from error
        return [{key: _plain(value) for key, value in row.items()} for row in rows]

    def _failure(self, what: str, error: SQLAlchemyError) -> RuntimeFailure:
        return RuntimeFailure(
            f"{what}: {_first_line(error)} [{masked(self.url)}]",
            hint="history.url in tagctl.yaml names the store",
        )

    def close(self) -> None:
        self.engine.dispose()
