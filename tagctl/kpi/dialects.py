"""What differs between warehouses, as data: which dialect takes which form.

The compile hooks of `tagctl.kpi.sqlparts` and the choices of a run's
`Plan` (`tagctl.kpi.plan`) read these tables; nothing here builds SQL.
A dialect missing from a table gets the portable form.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Double, Integer, Numeric, String
from sqlalchemy.types import TypeEngine

# ClickHouse's dialect names: clickhouse-sqlalchemy's, and chdb-sqlalchemy's (in process).
CLICKHOUSE = frozenset({"clickhouse", "chdb"})
# Dialects that take `(VALUES (...), ...) AS t (a, b)`. Elsewhere (SQLite, MySQL and
# MariaDB, StarRocks, unknown dialects) constants are a UNION ALL of SELECTs, which
# every engine reads; on DuckDB a long UNION costs a buffer per branch, hence VALUES.
VALUES_DIALECTS = frozenset({"duckdb", "postgresql", "trino", "snowflake", "redshift"})
# Where the wide layout's columns are made text in place rather than once in a
# subquery: SQLite flattens the subquery and then counts more than its 2,000
# aggregate terms; elsewhere the subquery spares the engine repeating each
# conversion for every aggregate that mentions the column.
INLINE_DIALECTS = frozenset({"sqlite"})

# Dialects with a bitwise-OR aggregate: a user's category and core-tag flags
# fold into one integer per word of 30 flags, a far smaller aggregate state than
# one max() per category and a count of core tags. Elsewhere (SQLite, StarRocks,
# unknown dialects) the flags stay one max() each.
BITS_DIALECTS = frozenset(
    {"duckdb", "postgresql", "mysql", "mariadb", "trino", "clickhouse", "chdb", "hive"}
)
BITS_PER_WORD = 30  # a 32-bit INTEGER: the OR's state per user is half a BIGINT's

# What makes a statement's join of two large inputs a hash join, and undoes it after
# (`Warehouse.run_hash_joined`). PostgreSQL: for the rest of the transaction only.
HASH_JOIN_ONLY = {
    "postgresql": (
        ("SET LOCAL enable_nestloop = off", "SET LOCAL enable_mergejoin = off"),
        ("SET LOCAL enable_nestloop TO DEFAULT", "SET LOCAL enable_mergejoin TO DEFAULT"),
    ),
}

# How each dialect counts the seconds from {start} to {end}, fractions kept.
# MySQL's and ClickHouse's whole SECOND would drop them (conversion cycles then
# differed in the sixth digit); Spark and ClickHouse have no EXTRACT(EPOCH ...),
# and on Spark the division by an integer keeps the double (1000000.0 is a DECIMAL).
SECONDS_BETWEEN = {
    "duckdb": "(epoch({end}) - epoch({start}))",
    "mysql": "(TIMESTAMPDIFF(MICROSECOND, {start}, {end}) / 1000000.0)",
    "mariadb": "(TIMESTAMPDIFF(MICROSECOND, {start}, {end}) / 1000000.0)",
    "starrocks": "TIMESTAMPDIFF(SECOND, {start}, {end})",  # whole seconds: not run here
    "sqlite": "((julianday({end}) - julianday({start})) * 86400.0)",
    "trino": "(to_unixtime({end}) - to_unixtime({start}))",
    "hive": "(CAST(timestampdiff(MICROSECOND, {start}, {end}) AS DOUBLE) / 1000000)",
    "clickhouse": "(dateDiff('microsecond', {start}, {end}) / 1000000.0)",
    "chdb": "(dateDiff('microsecond', {start}, {end}) / 1000000.0)",
}
SECONDS_BETWEEN_STANDARD = "(EXTRACT(EPOCH FROM {end}) - EXTRACT(EPOCH FROM {start}))"

# How each dialect hashes a user id to a whole number in [0, 2^31), the same for the
# same user within a run: the redundancy pass samples each tag's holders by it. The
# engines' own functions (PostgreSQL's hashtext, MySQL's crc32, Spark's xxhash64,
# ClickHouse's cityHash64...); SQLite has none, so tagctl gives its connections one
# (`engines.open_engine`). A dialect missing here gets no redundancy pass.
USER_HASH = {
    "duckdb": "(hash({user}) & 2147483647)",
    "postgresql": "(hashtext(CAST({user} AS TEXT)) & 2147483647)",
    "mysql": "(crc32({user}) & 2147483647)",
    "mariadb": "(crc32({user}) & 2147483647)",
    "sqlite": "tagctl_hash({user})",
    "hive": "(xxhash64({user}) & 2147483647)",
    "clickhouse": "bitAnd(cityHash64({user}), 2147483647)",
    "chdb": "bitAnd(cityHash64({user}), 2147483647)",
    "trino": (
        "bitwise_and(from_big_endian_64(xxhash64(to_utf8(CAST({user} AS varchar)))), 2147483647)"
    ),
    "snowflake": "BITAND(HASH({user}), 2147483647)",
    "bigquery": "(FARM_FINGERPRINT(CAST({user} AS STRING)) & 2147483647)",
    "starrocks": "bitand(murmur_hash3_32(CAST({user} AS VARCHAR)), 2147483647)",
}
HASH_RANGE = 2**31

# SQL's NULLs on ClickHouse, set per statement so that the server's defaults need
# no change (see `sqlparts._select_clickhouse`).
CLICKHOUSE_SETTINGS = "SETTINGS join_use_nulls = 1, cast_keep_nullable = 1"

TEXT: TypeEngine[Any] = String()
# Numbers compared with parsed values: a double where the engine casts to one
# (PostgreSQL converts NUMERIC to double through text, per comparison; the Hive
# dialect writes NUMERIC without its precision, DECIMAL(10,0) on Spark), and
# NUMERIC(38,10) elsewhere (CAST to DOUBLE is not MySQL before 8.0.17).
NUMBER: TypeEngine[Any] = Numeric(38, 10).with_variant(
    Double(), *sorted(VALUES_DIALECTS | CLICKHOUSE | {"hive"})
)
FLAG: TypeEngine[Any] = Integer()
BITS: TypeEngine[Any] = Integer()
