"""Opening SQLAlchemy engines, with limits, and the end of every call made on them.

`open_engine` gives an engine whose driver has connect, socket and
statement limits (`tagctl.kpi.limits`); `call_watchdog` ends a call that
outlives them (`tagctl.kpi.watchdog`), and `ending` says how a call that
failed ended. URLs are parsed by `parse_url`, which remembers their secrets
for masking (`tagctl.kpi.masking`). `plain` normalises what drivers return.
The sessions that use these engines are in `tagctl.kpi.database`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zlib
from contextlib import suppress
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from tagctl.errors import ConfigError
from tagctl.kpi.errortext import summary
from tagctl.kpi.limits import bound, limited
from tagctl.kpi.masking import masked, password_has_at, remember
from tagctl.kpi.watchdog import Cut, Watchdog

GRACE = 2.0  # seconds a driver's own limit gets before the watchdog steps in
LOCAL = ("duckdb", "sqlite")


def call_watchdog(engine: Engine, connection: Connection | None, limit: float) -> Watchdog:
    """The end of a call allowed `limit` seconds: an embedded engine is interrupted at the
    limit; a network driver gets GRACE seconds more when it has limits of its own."""
    raw = _raw(connection)
    if engine.dialect.name in LOCAL:
        return Watchdog(limit, interrupt=getattr(raw, "interrupt", None))
    return Watchdog(limit + GRACE if limited(engine) else limit, raw=raw)


def _raw(connection: Connection | None) -> Any:
    """The DBAPI connection of `connection`, when it is open and valid."""
    if connection is None or connection.invalidated:
        return None
    with suppress(SQLAlchemyError):
        return connection.connection.dbapi_connection
    return None


def ending(engine: Engine, error: BaseException, timeout: float) -> str | None:
    """How a statement that failed after `timeout` ended, from what ended it; None if not."""
    if isinstance(error, Cut) and engine.dialect.name not in LOCAL and limited(engine):
        return f"the server stopped answering: no reply after {error.after:.0f} s"
    if isinstance(error, Cut) or timed_out(error):
        return f"timed out after {timeout:g} s"
    return None


def parse_url(url: str, key: str) -> URL:
    """`url` parsed, its secrets remembered for masking; a bad URL is the config error of `key`."""
    remember(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as error:
        raise ConfigError(f"{key} is not a SQLAlchemy URL: {masked(url)}") from error
    if password_has_at(url):
        raise ConfigError(
            f"the password in {key} has an @ that is not escaped: {masked(url)}",
            hint="write it as %40",
        )
    return parsed


def open_engine(url: URL, timeout: float, read_only: bool, memory: str | None = None) -> Engine:
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
    try:
        engine = create_engine(url, connect_args=connect_args, poolclass=NullPool)
    except (NoSuchModuleError, ImportError) as error:
        raise ConfigError(
            f"no SQLAlchemy driver for {backend}: {summary(error)}",
            hint=_driver_hint(backend),
        ) from error
    bound(engine, timeout)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_functions)
    return engine


def _sqlite_functions(dbapi_connection: Any, record: Any) -> None:
    """What SQLite lacks and the statements use: `tagctl_hash` (see `dialects.USER_HASH`)."""
    dbapi_connection.create_function("tagctl_hash", 1, _crc31, deterministic=True)


def _crc31(value: Any) -> int | None:
    return None if value is None else zlib.crc32(str(value).encode("utf-8")) & 0x7FFFFFFF


def _driver_hint(backend: str) -> str:
    extras = {
        "postgresql": "postgres",
        "mysql": "mysql",
        "mariadb": "mysql",
        "chdb": "clickhouse",
        "hive": "spark",
    }
    if backend in extras:
        return f"pip install 'tagctl[{extras[backend]}]'"
    return f"install the SQLAlchemy dialect package for {backend}"


def timed_out(error: BaseException) -> bool:
    words = ("timeout", "timed out", "timedout", "statement_timeout", "canceling statement")
    return any(word in str(error).lower() for word in words)


def at_connect(error: BaseException) -> bool:
    """Whether a driver error came from connecting (SQLAlchemy gives it no statement)."""
    return isinstance(error, DBAPIError) and error.statement is None


def plain(value: Any) -> Any:
    """Normalise driver values: aware times to naive UTC, text times parsed, decimals as float."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
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
