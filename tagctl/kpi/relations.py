"""The warehouse tables as SQLAlchemy relations, addressed by logical names.

`warehouse.tables` in tagctl.yaml maps each logical table of DESIGN.md
section 5 to a physical table and columns; queries are written against the
logical names and never see the physical ones. The catalog itself enters
the queries as three small relations of bound constants: `spec` (one row per
measured tag), `domain` (allowed values) and `bins` (numeric buckets).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import DateTime, Float, String, column, table
from sqlalchemy.sql import ColumnElement, FromClause, TableClause
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.types import TypeEngine

from tagctl.catalog.tags import Tag
from tagctl.kpi.settings import TABLES, TableMap
from tagctl.kpi.sqlparts import BITS, BITS_PER_WORD, FLAG, NUMBER, TEXT, constant_table, exact

_TYPES: Mapping[str, TypeEngine[Any]] = {
    "updated_at": DateTime(),
    "used_at": DateTime(),
    "selected_at": DateTime(),
    "touched_at": DateTime(),
    "responded_at": DateTime(),
    "converted_at": DateTime(),
    "amount": Float(),
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
    table: TableClause

    def __getitem__(self, logical: str) -> ColumnElement[Any]:
        column = self.table.c[self.map.column(logical)]
        return exact(column) if logical in EXACT else column

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


def spec_relation(
    tags: Sequence[Tag], row_values: bool = False, categories: Sequence[str] = ()
) -> FromClause:
    """One row per measured tag: id, kind, parse, range, binned, online, core, category, bits.

    The id is the tag's position in `tags`, a narrow key for large GROUP BYs.
    The category is its position in `categories` (-1 if absent): comparing
    integers per row is much cheaper than comparing text. `bits_<w>` has the
    category's own bit in word w of `category_words(categories)`, 0 elsewhere.
    """
    number = {key: i for i, key in enumerate(categories)}
    columns = [
        ("tag_name", TEXT),
        ("id", FLAG),
        ("kind", TEXT),
        ("parse", FLAG),
        ("lo", NUMBER),
        ("hi", NUMBER),
        ("binned", FLAG),
        ("online", FLAG),
        ("core", FLAG),
        ("category", FLAG),
        ("boolean", FLAG),
        *((f"bits_{w}", BITS) for w in range(category_words(categories))),
    ]
    rows = [
        (
            tag.name,
            position,
            tag.value_type if tag.value_type in KINDS else "string",
            PARSE.get(tag.value_type, 0),
            tag.minimum,
            tag.maximum,
            1 if buckets(tag) else 0,
            1 if tag.status == "online" else 0,
            1 if tag.core and tag.status == "online" else 0,
            number.get(tag.category, -1),
            1 if tag.value_type == "boolean" else 0,
            *_bits(number.get(tag.category, -1), categories),
        )
        for position, tag in enumerate(tags)
    ]
    return constant_table("spec", columns, rows, row_values)


def category_words(categories: Sequence[str]) -> int:
    """Integers of BITS_PER_WORD flags needed for one flag per category."""
    return -(-len(categories) // BITS_PER_WORD)


def category_bit(i: int) -> tuple[int, int]:
    """The word and the mask of category number i."""
    return i // BITS_PER_WORD, 1 << (i % BITS_PER_WORD)


def _bits(i: int, categories: Sequence[str]) -> list[int]:
    words = [0] * category_words(categories)
    if i >= 0:
        word, mask = category_bit(i)
        words[word] = mask
    return words


def domain_relation(tags: Sequence[Tag], row_values: bool = False) -> FromClause:
    """Allowed values of enum and boolean tags."""
    rows: list[tuple[str, str]] = []
    for tag in tags:
        if tag.value_type == "boolean":
            rows += [(tag.name, "true"), (tag.name, "false")]
        elif tag.value_type == "enum":
            rows += [(tag.name, value.value) for value in tag.values]
    return constant_table("domain", [("tag_name", TEXT), ("value", TEXT)], rows, row_values)


UNBOUNDED = 1e27  # open ends as plain bounds: a join on ranges without ORs (fits NUMERIC(38,10))


def _bound(value: float | None, default: float) -> float:
    return default if value is None else value


def bins_relation(tags: Sequence[Tag], row_values: bool = False) -> FromClause:
    """Numeric buckets: (tag_name, label, lo, hi), lo inclusive, hi exclusive; open ends at 1e27."""
    rows = [
        (tag.name, b.label, _bound(b.low, -UNBOUNDED), _bound(b.high, UNBOUNDED))
        for tag in tags
        for b in buckets(tag)
    ]
    columns = [("tag_name", TEXT), ("label", TEXT), ("lo", NUMBER), ("hi", NUMBER)]
    return constant_table("bins", columns, rows, row_values)
