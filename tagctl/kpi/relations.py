"""The warehouse tables as SQLAlchemy relations, addressed by logical names.

`warehouse.tables` in tagctl.yaml maps each logical table of DESIGN.md
section 5 to a physical table and columns; queries are written against the
logical names and never see the physical ones. The catalog itself enters
the queries as three small relations of bound constants: `spec` (one row per
measured tag), `domain` (allowed values) and `bins` (numeric buckets),
each a `constant_table`; `FlagLayout` places a user's coverage flags in bits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    DateTime,
    Double,
    String,
    cast,
    column,
    literal,
    null,
    select,
    table,
    union_all,
    values,
)
from sqlalchemy.sql import ColumnElement, FromClause, Select
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.types import TypeEngine

from tagctl.catalog.tags import Tag
from tagctl.kpi.dialects import BITS, BITS_PER_WORD, FLAG, NUMBER, TEXT
from tagctl.kpi.settings import TABLES, TableMap
from tagctl.kpi.sqlparts import CONSTANT_TABLES, exact

_TYPES: Mapping[str, TypeEngine[Any]] = {
    "updated_at": DateTime(),
    "used_at": DateTime(),
    "selected_at": DateTime(),
    "touched_at": DateTime(),
    "responded_at": DateTime(),
    "converted_at": DateTime(),
    "amount": Double(),
    "tag_name": String(),
    "tag_value": String(),
    "group_name": String(),
    "status": String(),
}


EXACT = ("tag_name", "tag_value", "group_name", "status")  # compared as codes, byte for byte


@dataclass(frozen=True)
class Relation:
    """One logical table: the SQLAlchemy table and its columns by logical name."""

    map: TableMap
    table: FromClause  # the table itself, or a subquery over it (the wide layout)

    def __getitem__(self, logical: str) -> ColumnElement[Any]:
        column = self.table.c[self.map.column(logical)]
        return exact(column) if logical in EXACT else column

    def key(self, logical: str) -> ColumnElement[Any]:
        """The column as stored, to join with a `constant_table`'s text, which is exact
        already: MariaDB then hashes the join on the column itself (see `constant`)."""
        return self.table.c[self.map.column(logical)]

    @property
    def wide(self) -> bool:
        return self.map.layout == "wide"


def relation(table_map: TableMap, extra: Sequence[str] = ()) -> Relation:
    """The relation of `table_map` with its default columns and `extra` ones (wide tags)."""
    names = [name for name in TABLES[table_map.logical] if _used(table_map, name)]
    columns: list[ColumnClause[Any]] = [
        column(table_map.column(name), _TYPES.get(name)) for name in names
    ]
    columns += [column(name, String()) for name in extra]
    return Relation(table_map, table(table_map.table, *columns, schema=table_map.schema))


def _used(table_map: TableMap, name: str) -> bool:
    if table_map.logical == "tag_values" and table_map.layout == "wide":
        return name in ("user_id", "updated_at")
    return True


def required_columns(table_map: TableMap, active_population: bool) -> list[str]:
    """Logical columns the queries read from `table_map`."""
    names = [name for name in TABLES[table_map.logical] if _used(table_map, name)]
    if table_map.logical == "users" and not active_population:
        names.remove("is_active")
    return names


# value_type -> the kind used in SQL; numeric tags are bucketed by bins or range
KINDS = {"boolean", "enum", "integer", "number", "date", "string"}
# the kinds whose values are parsed, by code (spec.parse); 0 for the others
PARSE = {"integer": 1, "number": 2, "date": 3}


@dataclass(frozen=True)
class Bucket:
    label: str
    low: float | None
    high: float | None


def buckets(tag: Tag) -> list[Bucket]:
    """Numeric buckets of a tag: its declared bins, else ten steps over its range."""
    if tag.value_type not in ("integer", "number"):
        return []
    if tag.bins:
        edges = list(tag.bins)
        inner = [Bucket(_span(lo, hi), lo, hi) for lo, hi in pairwise(edges)]
        first = Bucket(f"<{_num(edges[0])}", None, edges[0])
        return [first, *inner, Bucket(f">={_num(edges[-1])}", edges[-1], None)]
    low, high = tag.minimum, tag.maximum
    if low is None or high is None or high <= low:
        return []
    edges = [low + (high - low) * step / 10 for step in range(11)]
    if tag.value_type == "integer":
        edges = sorted({float(math.floor(edge)) for edge in edges[:-1]} | {high})
    inner = [Bucket(_span(lo, hi), lo, hi) for lo, hi in pairwise(edges)]
    last = inner[-1]
    inner[-1] = Bucket(f"[{_num(last.low)}, {_num(high)}]", last.low, None)
    inner[0] = Bucket(inner[0].label, None, inner[0].high)  # values below min are violations
    return inner


def _span(low: float | None, high: float | None) -> str:
    return f"[{_num(low)}, {_num(high)})"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


SPEC_COLUMNS = (
    "tag_name",
    "id",
    "kind",
    "parse",
    "lo",
    "hi",
    "binned",
    "online",
    "core",
    "category",
    "boolean",
)


def spec_relation(
    tags: Sequence[Tag],
    row_values: bool = False,
    categories: Sequence[str] = (),
    only: Sequence[str] = (),
) -> FromClause:
    """One row per measured tag: id, kind, parse, range, binned, online, core, category, bits.

    The id is the tag's position in `tags`, a narrow key for large GROUP BYs.
    The category is its position in `categories` (-1 if absent): comparing
    integers per row is much cheaper than comparing text. `bits_<w>` has the
    tag's flags in word w of its `FlagLayout` (`only` names them all as "bits").

    `only` keeps just the columns a query reads: every column is a bound
    parameter per tag, and a 10,000-tag catalog makes compiling (and the
    engine's parsing) of unused ones a cost of its own.
    """
    layout = FlagLayout.of(tags, categories)
    words = [f"bits_{w}" for w in range(layout.words)]
    names = list(SPEC_COLUMNS) + words
    keep = [
        i
        for i, name in enumerate(names)
        if not only or name in only or (name in words and "bits" in only)
    ]
    kinds: dict[str, TypeEngine[Any]] = {"tag_name": TEXT, "kind": TEXT, "lo": NUMBER, "hi": NUMBER}
    columns = [(names[i], kinds.get(names[i], BITS if names[i] in words else FLAG)) for i in keep]
    number = {key: i for i, key in enumerate(categories)}
    every = (_spec_row(tag, i, number.get(tag.category, -1), layout) for i, tag in enumerate(tags))
    rows = [tuple(row[i] for i in keep) for row in every]
    return constant_table("spec", columns, rows, row_values)


def _spec_row(tag: Tag, position: int, category: int, layout: FlagLayout) -> tuple[Any, ...]:
    """Every column of `spec` for one tag, in the order of SPEC_COLUMNS and then its words."""
    return (
        tag.name,
        position,
        tag.value_type if tag.value_type in KINDS else "string",
        PARSE.get(tag.value_type, 0),
        tag.minimum,
        tag.maximum,
        1 if buckets(tag) else 0,
        1 if tag.status == "online" else 0,
        1 if tag.core and tag.status == "online" else 0,
        category,
        1 if tag.value_type == "boolean" else 0,
        *layout.tag_words(tag),
    )


@dataclass(frozen=True)
class FlagLayout:
    """Where a user's coverage flags sit in integer words OR-ed per user.

    One bit per category, then one per online core tag, BITS_PER_WORD to a
    word. Core tags as bits make "holds every core tag" a mask test and
    count each core tag once however many rows hold it.
    """

    categories: Sequence[str]
    core: Sequence[str]  # names of the online core tags

    @classmethod
    def of(cls, tags: Sequence[Tag], categories: Sequence[str]) -> FlagLayout:
        core = [tag.name for tag in tags if tag.core and tag.status == "online"]
        return cls(tuple(categories), tuple(dict.fromkeys(core)))

    @property
    def words(self) -> int:
        return -(-(len(self.categories) + len(self.core)) // BITS_PER_WORD)

    def category_bit(self, i: int) -> tuple[int, int]:
        """The word and the mask of category number i."""
        return divmod_bit(i)

    def core_masks(self) -> list[int]:
        """Per word, the mask of every core tag's bit."""
        masks = [0] * self.words
        for i in range(len(self.core)):
            word, mask = divmod_bit(len(self.categories) + i)
            masks[word] |= mask
        return masks

    def tag_words(self, tag: Tag) -> list[int]:
        """The words of one tag: its category's bit, and its own if it is an online core tag."""
        words = [0] * self.words
        if tag.category in self.categories:
            word, mask = divmod_bit(self.categories.index(tag.category))
            words[word] |= mask
        if tag.name in self.core and tag.core and tag.status == "online":
            word, mask = divmod_bit(len(self.categories) + self.core.index(tag.name))
            words[word] |= mask
        return words


def divmod_bit(position: int) -> tuple[int, int]:
    """The word and the mask of flag number `position`."""
    return position // BITS_PER_WORD, 1 << (position % BITS_PER_WORD)


def domain_relation(tags: Sequence[Tag], row_values: bool = False) -> FromClause:
    """Allowed values of enum and boolean tags: (tag_id, value), tag_id as in `spec`."""
    rows: list[tuple[int, str]] = []
    for position, tag in enumerate(tags):
        if tag.value_type == "boolean":
            rows += [(position, "true"), (position, "false")]
        elif tag.value_type == "enum":
            rows += [(position, value.value) for value in tag.values]
    return constant_table("domain", [("tag_id", FLAG), ("value", TEXT)], rows, row_values)


UNBOUNDED = 1e27  # open ends as plain bounds: a join on ranges without ORs (fits NUMERIC(38,10))


def _bound(value: float | None, default: float) -> float:
    return default if value is None else value


def bins_relation(tags: Sequence[Tag], row_values: bool = False) -> FromClause:
    """Numeric buckets: (tag_id, label, lo, hi), lo inclusive, hi exclusive; open ends at 1e27.

    Keyed by the tag's `spec` id: the range join probes it for every distinct
    value of a numeric tag (about 1.7M in the benchmark), and an integer key
    is cheaper to hash and compare than a name.
    """
    rows = [
        (position, b.label, _bound(b.low, -UNBOUNDED), _bound(b.high, UNBOUNDED))
        for position, tag in enumerate(tags)
        for b in buckets(tag)
    ]
    columns = [("tag_id", FLAG), ("label", TEXT), ("lo", NUMBER), ("hi", NUMBER)]
    return constant_table("bins", columns, rows, row_values)


def constant_table(
    name: str,
    columns: Sequence[tuple[str, TypeEngine[Any]]],
    rows: Sequence[Sequence[Any]],
    row_values: bool = False,
) -> FromClause:
    """A small relation of bound constants, as a VALUES list or a UNION ALL of SELECTs.

    The UNION form is chunked so that SQLite's limit of 500 terms per
    compound SELECT is never reached. An empty relation is one row of NULLs
    filtered out by a false condition.
    """
    assert name in CONSTANT_TABLES, name  # SQLite joins them in a fixed order (sqlparts)
    if not rows:
        empty = select(*(cast(null(), kind).label(col) for col, kind in columns))
        return empty.where(literal(1) == literal(0)).subquery(name)
    if row_values:  # a NULL is typed: a column of NULLs would otherwise be text on PostgreSQL
        kinds = [kind for _, kind in columns]
        typed = [
            tuple(cast(null(), k) if v is None else v for v, k in zip(row, kinds, strict=True))
            for row in rows
        ]
        return values(*(column(col, kind) for col, kind in columns), name=name).data(typed)
    return _union(name, columns, rows)


_CHUNK = 400


def _union(
    name: str, columns: Sequence[tuple[str, TypeEngine[Any]]], rows: Sequence[Sequence[Any]]
) -> FromClause:
    """`rows` as a UNION ALL of one-row SELECTs, nested by _CHUNK."""
    selects = [
        select(
            *(
                constant(value, kind).label(col)
                for value, (col, kind) in zip(row, columns, strict=True)
            )
        )
        for row in rows
    ]
    while len(selects) > _CHUNK:
        selects = [
            select(union_all(*selects[i : i + _CHUNK]).subquery())
            for i in range(0, len(selects), _CHUNK)
        ]
    compound: Select[Any] | Any = union_all(*selects) if len(selects) > 1 else selects[0]
    return compound.subquery(name)


def constant(value: Any, kind: TypeEngine[Any]) -> ColumnElement[Any]:
    """A typed constant; text is `exact`, so that a column compared with it is compared
    byte for byte as it stands (on MySQL and MariaDB a binary string makes the whole
    comparison binary). A CAST on the column's side instead kept MariaDB from hashing
    its joins with the constant tables: 6.8 s against 0.6 s on the 10,000-user demo."""
    if value is None:
        return cast(null(), kind)
    typed = cast(literal(value, kind), kind)
    return exact(typed) if isinstance(kind, String) else typed
