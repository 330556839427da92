"""Small SQL building blocks and their compile hooks, one per dialect difference.

Queries are built once, dialect-neutral, with SQLAlchemy Core; the handful
of constructs that differ between warehouses are compiled per dialect here
with `sqlalchemy.ext.compiler.compiles` (the tables of which dialect takes
which form are in `tagctl.kpi.dialects`). Everything a user or the catalog
supplies (tag names, values, bin edges) reaches the SQL as bound
parameters, never as text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, Boolean, Double, String, and_, case, cast, func, literal, or_
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.expression import FunctionElement, Join, TableClause

from tagctl.kpi.dialects import (
    CLICKHOUSE_SETTINGS,
    SECONDS_BETWEEN,
    SECONDS_BETWEEN_STANDARD,
    USER_HASH,
)

INTEGER_PATTERN = r"^[-+]?[0-9]{1,18}$"
NUMBER_PATTERN = r"^[-+]?([0-9]{1,30}([.][0-9]{0,30})?|[.][0-9]{1,30})([eE][-+]?[0-9]{1,2})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# NUMBER_PATTERN without its digit bounds: the same answer for text of at most
# SHORT_NUMBER characters, where no run of digits can pass the bounds, and
# several times faster on PostgreSQL, whose bounded repetitions are slow.
SHORT_NUMBER = 30
SHORT_NUMBER_PATTERN = r"^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,2})?$"


class matches(FunctionElement[bool]):
    """The text matches an anchored regular expression: `matches(value, pattern)`.

    SQLAlchemy's `regexp_match` knows PostgreSQL, DuckDB, MySQL, SQLite and
    Oracle; Trino spells it `regexp_like`, Spark `RLIKE`, ClickHouse `match`.
    """

    type = Boolean()
    inherit_cache = True
    name = "matches"

    def __init__(self, value: ColumnElement[Any], pattern: str) -> None:
        super().__init__(value, literal(pattern, String()))


@compiles(matches)
def _matches_generic(element: matches, compiler: SQLCompiler, **kw: Any) -> str:
    value, pattern = list(element.clauses)
    return compiler.process(value.regexp_match(pattern), **kw)


@compiles(matches, "trino")
def _matches_trino(element: matches, compiler: SQLCompiler, **kw: Any) -> str:
    value, pattern = _two(element, compiler, **kw)
    return f"regexp_like({value}, {pattern})"


@compiles(matches, "hive")
def _matches_spark(element: matches, compiler: SQLCompiler, **kw: Any) -> str:
    value, pattern = _two(element, compiler, **kw)
    return f"({value} RLIKE {pattern})"


@compiles(matches, "clickhouse")
@compiles(matches, "chdb")
def _matches_clickhouse(element: matches, compiler: SQLCompiler, **kw: Any) -> str:
    value, pattern = _two(element, compiler, **kw)
    return f"match({value}, {pattern})"


def is_number(value: ColumnElement[Any]) -> ColumnElement[bool]:
    """The text matches NUMBER_PATTERN, checked by the faster pattern when it is short."""
    short = func.length(value) <= literal(SHORT_NUMBER)
    return or_(
        and_(short, matches(value, SHORT_NUMBER_PATTERN)),
        and_(~short, matches(value, NUMBER_PATTERN)),
    )


class exact(FunctionElement[str]):
    """Text compared and grouped byte for byte.

    MySQL and MariaDB compare text with the column's collation, usually case
    and trailing-space insensitive: `'Oily'` would pass as the enum value
    `oily` and `'TRUE'` would hold a boolean tag. There the text is read as
    binary; every other engine compares exactly already.
    """

    type = String()
    inherit_cache = True
    name = "exact"


@compiles(exact)
def _exact_generic(element: exact, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(value, **kw)


@compiles(exact, "mysql")
@compiles(exact, "mariadb")
def _exact_mysql(element: exact, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS BINARY)"


class seconds_between(FunctionElement[float]):
    """Seconds from the first timestamp to the second, as a number."""

    type = Double()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _two(element, compiler, **kw)
    form = SECONDS_BETWEEN.get(compiler.dialect.name, SECONDS_BETWEEN_STANDARD)
    return form.format(start=start, end=end)


class user_hash(FunctionElement[int]):
    """A user id hashed to a whole number in [0, 2^31): `dialects.USER_HASH`."""

    type = BigInteger()
    inherit_cache = True
    name = "user_hash"


@compiles(user_hash)
def _user_hash(element: user_hash, compiler: SQLCompiler, **kw: Any) -> str:
    (user,) = list(element.clauses)
    form = USER_HASH.get(compiler.dialect.name)
    if form is None:
        raise CompileError(f"no hash function known for {compiler.dialect.name}")
    return form.format(user=compiler.process(user, **kw))


@compiles(Select, "clickhouse")
@compiles(Select, "chdb")
def _select_clickhouse(element: Select[Any], compiler: SQLCompiler, **kw: Any) -> str:
    # SQL's NULLs, set per statement so that the server's defaults need no change.
    # Without join_use_nulls an outer join fills the unmatched side with 0 and '':
    # every user looked like a converter. Without cast_keep_nullable a CAST to a
    # type not declared Nullable fails on NULL: CAST(NULL AS Decimal(38, 10)) did.
    outermost = not compiler.stack
    text: str = compiler.visit_select(element, **kw)  # type: ignore[no-untyped-call]
    return f"{text}\n{CLICKHOUSE_SETTINGS}" if outermost else text


def _escaped_backslash(value: str) -> str:
    # ClickHouse and Spark read a backslash as an escape, so `\'` ended the string
    # unless the backslash is doubled too; Spark also joins `'a''b'` into `ab`, so
    # a quote is escaped with a backslash.
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _standard(value: str) -> str:
    # DuckDB and PostgreSQL (standard_conforming_strings, on by default) read a
    # backslash as itself. SQLAlchemy before 2.1 doubled it, printing `'a\\b'` for a\b.
    return value.replace("'", "''")


# How each dialect spells a string inlined for reading (--show-sql), quotes aside.
_INLINED_TEXT: dict[str, Callable[[str], str]] = {
    "clickhouse": _escaped_backslash,
    "chdb": _escaped_backslash,
    "hive": _escaped_backslash,
    "duckdb": _standard,
    "postgresql": _standard,
}


def _bind_text(element: BindParameter[Any], compiler: SQLCompiler, **kw: Any) -> str:
    """A text value inlined as the dialect reads it; anything else as SQLAlchemy inlines it."""
    value = element.effective_value
    if kw.get("literal_binds") and isinstance(value, str):
        return f"'{_INLINED_TEXT[compiler.dialect.name](value)}'"
    inlined: str = compiler.visit_bindparam(element, **kw)  # type: ignore[no-untyped-call]
    return inlined


for _dialect in _INLINED_TEXT:
    compiles(BindParameter, _dialect)(_bind_text)


def _two(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    first, second = list(element.clauses)
    return compiler.process(first, **kw), compiler.process(second, **kw)


class to_number(FunctionElement[float]):
    """A text value as a number, or NULL when it does not look like one."""

    type = Double()
    inherit_cache = True
    name = "to_number"


@compiles(to_number)
def _number_generic(element: to_number, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(_case_when(is_number(value), cast(value, Double())), **kw)


@compiles(to_number, "duckdb")
@compiles(to_number, "trino")
def _number_try_cast(element: to_number, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"TRY_CAST({compiler.process(value, **kw)} AS DOUBLE)"


@compiles(to_number, "mysql")
@compiles(to_number, "mariadb")
@compiles(to_number, "starrocks")
@compiles(to_number, "clickhouse")
@compiles(to_number, "chdb")
def _number_checked(element: to_number, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    checked = compiler.process(is_number(value), **kw)
    return f"CASE WHEN {checked} THEN CAST({compiler.process(value, **kw)} AS DOUBLE) END"


class as_double(FunctionElement[float]):
    """Text already known to be a number (checked by a pattern), as a double.

    Never FLOAT, which is a 32-bit number on Spark, Hive and MySQL: a value near
    a bin edge moved to the next bucket. DOUBLE is 64-bit everywhere.
    """

    type = Double()
    inherit_cache = True
    name = "as_double"


@compiles(as_double)
def _as_double_generic(element: as_double, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(cast(value, Double()), **kw)


@compiles(as_double, "duckdb")
@compiles(as_double, "trino")
@compiles(as_double, "mysql")
@compiles(as_double, "mariadb")
@compiles(as_double, "starrocks")
@compiles(as_double, "clickhouse")
@compiles(as_double, "chdb")
def _as_double_named(element: as_double, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS DOUBLE)"


class valid_number(FunctionElement[float]):
    """A text value as a number when it matches NUMBER_PATTERN, else NULL.

    Unlike `to_number` this is strict on every engine, so that `IS NOT NULL`
    is the number kind's whole validity check: one regular expression per
    value, not two (PostgreSQL spends microseconds on each).
    """

    type = Double()
    inherit_cache = True
    name = "valid_number"


@compiles(valid_number)
@compiles(valid_number, "mysql")
@compiles(valid_number, "mariadb")
@compiles(valid_number, "starrocks")
def _valid_number_checked(element: valid_number, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(to_number(value), **kw)  # already checked by the pattern here


@compiles(valid_number, "duckdb")
@compiles(valid_number, "trino")
def _valid_number_try_cast(element: valid_number, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(_case_when(is_number(value), to_number(value)), **kw)


def _case_when(condition: ColumnElement[bool], value: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((condition, value))


class bits_or(FunctionElement[int]):
    """The bitwise OR of an integer column over a group."""

    type = BigInteger()
    inherit_cache = True
    name = "bits_or"


@compiles(bits_or)
def _bits_or_generic(element: bits_or, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"bit_or({compiler.process(value, **kw)})"


@compiles(bits_or, "trino")
def _bits_or_trino(element: bits_or, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"bitwise_or_agg({compiler.process(value, **kw)})"


@compiles(bits_or, "clickhouse")
@compiles(bits_or, "chdb")
def _bits_or_clickhouse(element: bits_or, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return f"groupBitOr({compiler.process(value, **kw)})"


class has_bit(FunctionElement[bool]):
    """`has_bit(bits, mask)`: the integer `bits` has a bit of `mask` set."""

    type = Boolean()
    inherit_cache = True
    name = "has_bit"


class all_bits(has_bit):
    """`all_bits(bits, mask)`: every bit of `mask` is set in the integer `bits`."""

    inherit_cache = True
    name = "all_bits"


@compiles(has_bit)
@compiles(all_bits)
def _bits_generic(element: has_bit, compiler: SQLCompiler, **kw: Any) -> str:
    bits, mask = _two(element, compiler, **kw)
    return _bit_test(element, f"({bits} & {mask})", mask)


@compiles(has_bit, "trino")
@compiles(all_bits, "trino")
def _bits_trino(element: has_bit, compiler: SQLCompiler, **kw: Any) -> str:
    bits, mask = _two(element, compiler, **kw)
    return _bit_test(element, f"bitwise_and({bits}, {mask})", mask)


@compiles(has_bit, "clickhouse")
@compiles(has_bit, "chdb")
@compiles(all_bits, "clickhouse")
@compiles(all_bits, "chdb")
def _bits_clickhouse(element: has_bit, compiler: SQLCompiler, **kw: Any) -> str:
    bits, mask = _two(element, compiler, **kw)  # `&` is not ClickHouse
    return _bit_test(element, f"bitAnd({bits}, {mask})", mask)


def _bit_test(element: has_bit, masked: str, mask: str) -> str:
    return f"({masked} = {mask})" if isinstance(element, all_bits) else f"({masked} <> 0)"


# The relations of constants a run joins with the warehouse's tables (`constant_table`).
CONSTANT_TABLES = frozenset({"spec", "holder_tags", "holder_values", "domain", "bins", "wide_sets"})


@compiles(Join, "sqlite")
def _join_sqlite(join: Join, compiler: SQLCompiler, **kw: Any) -> str:
    """A table joined with a relation of constants loops over the table (CROSS JOIN).

    SQLite's planner, without statistics, took the constants for the outer loop
    and scanned the whole table once for each of them: the redundancy sample
    of the 10,000-user demo took 6.5 s, and 0.9 s the other way round, where
    each row finds its constants through an automatic index.
    """
    text: str = compiler.visit_join(join, **kw)  # type: ignore[no-untyped-call]
    constants = getattr(join.right, "name", None) in CONSTANT_TABLES
    if join.isouter or join.full or not constants or not isinstance(join.left, TableClause):
        return text
    table = compiler.preparer.format_table(join.left)
    inner = f"{table} JOIN "
    return f"{table} CROSS JOIN {text[len(inner) :]}" if text.startswith(inner) else text
