"""What each driver is told, so that a server that stops answering cannot hold tagctl.

Connecting is allowed `connect_limit(timeout)` seconds: min(10, timeout),
at least 2 (libpq's floor). Statements are allowed the timeout. libpq
(psycopg, psycopg2) gets a server-side statement_timeout and TCP keepalives
with tcp_user_timeout, which notice a peer that vanished; the MySQL drivers
get socket timeouts; chDB and Spark's Thrift Server are given a statement
limit by session settings (`tagctl.kpi.database`). Other drivers have no
limits here: the watchdog (`tagctl.kpi.watchdog`) is theirs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import suppress
from functools import partial
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Dialect

CONNECT_TIMEOUT = 10
LIBPQ = ("psycopg", "psycopg2", "psycopg2cffi")
MYSQL_SOCKETS = ("pymysql", "mysqldb")
SESSION_LIMITED = ("chdb", "hive")  # see Warehouse._clickhouse_session and _spark_session


def connect_limit(timeout: float) -> int:
    """Seconds allowed to connect: min(10, timeout), at least 2 (libpq's floor)."""
    return max(2, math.ceil(min(CONNECT_TIMEOUT, timeout)))


def limited(engine: Engine) -> bool:
    """Whether the driver or the server ends a statement by itself at the timeout:
    libpq and the MySQL drivers; chDB and Spark, told by the session's settings."""
    dialect = engine.dialect
    return dialect.driver in (*LIBPQ, *MYSQL_SOCKETS) or dialect.name in SESSION_LIMITED


def bound(engine: Engine, timeout: float) -> None:
    """Give the engine's driver its limits; they win over the URL's, whose libpq
    `options` are kept."""
    limits = driver_limits(engine.dialect, timeout)
    if limits:
        event.listen(engine, "do_connect", partial(_add_limits, limits))
    if engine.dialect.driver == "pymysql":
        event.listen(engine, "connect", partial(_widen, timeout))


def driver_limits(dialect: Dialect, timeout: float) -> dict[str, Any]:
    """The connect arguments that bound `dialect`'s driver.

    PyMySQL reads the server's greeting under read_timeout, so it connects
    with the connect limit as its socket timeouts and `_widen` then gives
    statements the whole timeout.
    """
    connect = connect_limit(timeout)
    if dialect.driver in LIBPQ:
        limits: dict[str, Any] = {
            "connect_timeout": connect,
            "options": f"-c statement_timeout={int(timeout * 1000)}",
            "keepalives": 1,
            "keepalives_idle": connect,
            "keepalives_interval": max(1, connect // 3),
            "keepalives_count": 3,
        }
        if _libpq_version(dialect.dbapi) >= 120000:  # tcp_user_timeout is libpq 12+
            limits["tcp_user_timeout"] = connect * 1000
        return limits
    if dialect.driver in MYSQL_SOCKETS:
        sockets = connect if dialect.driver == "pymysql" else max(1, math.ceil(timeout))
        return {"connect_timeout": connect, "read_timeout": sockets, "write_timeout": sockets}
    return {}


def _libpq_version(dbapi: Any) -> int:
    """The libpq version of psycopg (3) or psycopg2 as an integer (120000 for 12.0)."""
    with suppress(Exception):
        return int(dbapi.pq.version())
    with suppress(Exception):
        return int(dbapi.extensions.libpq_version())
    return 0


def _add_limits(
    limits: Mapping[str, Any], dialect: Dialect, record: Any, cargs: Any, cparams: dict[str, Any]
) -> None:
    options = cparams.get("options")
    cparams.update(limits)
    if options and "options" in limits:  # the URL's own options first, the timeout last
        cparams["options"] = f"{options} {limits['options']}"


def _widen(seconds: float, dbapi_connection: Any, record: Any) -> None:
    # PyMySQL has no public setter: these are the attributes its socket reads use.
    dbapi_connection._read_timeout = seconds
    dbapi_connection._write_timeout = seconds
