"""The wide layout (one row per user, one column per tag) in one statement.

Every per-tag aggregate is a column of a single SELECT over the table joined
to the population: holders, converted holders, violations, last update and
the bucket counts of enum values and numeric bins. String and date tags get
no value distribution here. The statement also carries the population's
size (`population.size_columns`) and the catalog's coverage
(`coverage.wide_totals`), which their own decoders read from its row;
`decode_wide` reads the per-tag columns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, case, cast, false, func, null, select, true
from sqlalchemy.sql import ColumnElement, Select, Subquery

from tagctl.catalog.tags import Tag
from tagctl.kpi.coverage import wide_totals
from tagctl.kpi.plan import Plan, Row, after, flag
from tagctl.kpi.population import Orders, order_columns, size_columns
from tagctl.kpi.relations import Relation, buckets, relation
from tagctl.kpi.sqlparts import (
    DATE_PATTERN,
    INTEGER_PATTERN,
    NUMBER_PATTERN,
    exact,
    matches,
    to_number,
)
from tagctl.kpi.valuesfound import TagValues


def texts(
    tag_values: Relation, columns: Collection[str], plan: Plan, notes: list[str]
) -> tuple[Relation, dict[str, ColumnElement[Any]]]:
    """The wide table with each measured tag's column, as text; tags without one are noted.

    `columns` are the table's column names, as the probe found them.
    """
    present = [tag.name for tag in plan.tags if tag.name in columns]
    missing = [tag.name for tag in plan.tags if tag.name not in columns]
    if missing:
        notes.append(f"no column in {tag_values.map.physical} for: {', '.join(missing)}")
    table = relation(tag_values.map, extra=present)
    # A row updated at or after as_of holds values that did not exist then: no values at all.
    # Each column becomes text once, in a subquery: the aggregates name it many times, and
    # an engine that repeats the expression for each mention (PostgreSQL) slowed tenfold.
    late = after(table["updated_at"], plan)
    if plan.texts_inline:
        return table, {
            name: exact(case((late, null()), else_=cast(table.table.c[name], String())))
            for name in present
        }
    keys = [table.map.column(name) for name in ("user_id", "updated_at")]
    subquery = select(
        *(table.table.c[key] for key in keys),
        *(
            exact(case((late, null()), else_=cast(table.table.c[name], String()))).label(name)
            for name in present
        ),
    ).subquery("tag_texts")
    return Relation(table.map, subquery), {name: subquery.c[name] for name in present}


def wide(
    tag_values: Relation,
    pop: Subquery,
    plan: Plan,
    columns: Mapping[str, ColumnElement[Any]],
) -> Select[Any]:
    """The wide layout in one statement: every per-tag aggregate as its own column.

    `columns` maps a tag to its column as text (tags without a column are
    left out). Labels: `h_<i>` holders, `c_<i>` converted holders, `v_<i>`
    violations, `u_<i>` last update, `b_<i>_<j>` bucket j of tag i; `late`
    the rows dated at or after as_of.
    """
    source = pop.outerjoin(tag_values.table, tag_values["user_id"] == pop.c.user_id)
    items: list[ColumnElement[Any]] = size_columns(pop)
    holds: dict[str, ColumnElement[bool]] = {}
    for i, tag in enumerate(plan.tags):
        text = columns.get(tag.name)
        if text is None:
            continue
        hold, bad, labels = _wide_terms(tag, text, i)
        holds[tag.name] = hold
        items += [
            func.sum(flag(hold)).label(f"h_{i}"),
            func.sum(flag(and_(hold, pop.c.converted == 1))).label(f"c_{i}"),
            *order_columns(
                case((hold, pop.c.orders)),
                case((hold, pop.c.amount)),
                case((hold, pop.c.priced)),
                f"o{i}_",
            ),
            func.sum(flag(bad)).label(f"v_{i}"),
            func.max(case((text.is_not(None), tag_values["updated_at"]))).label(f"u_{i}"),
            *labels,
        ]
    items += wide_totals(plan, holds)
    late = func.sum(flag(after(tag_values["updated_at"], plan))).label("late")
    return select(*items).select_from(source).add_columns(late)


def _wide_terms(
    tag: Tag, text: ColumnElement[Any], i: int
) -> tuple[ColumnElement[bool], ColumnElement[bool], list[ColumnElement[Any]]]:
    """Holder and violation conditions of one wide column, and its bucket counts."""
    present = _present(text)
    if tag.value_type == "boolean":
        bad = and_(present, ~text.in_(["true", "false", "1", "0"]))
        return held(tag, text), bad, []
    if tag.value_type == "enum":
        allowed = [value.value for value in tag.values]
        bad = and_(present, ~text.in_(allowed)) if allowed else false()
        return present, bad, _wide_counts(i, list(value_holders(tag, text).values()))
    if tag.value_type in ("integer", "number"):
        return _numeric_terms(tag, text, i, present)
    if tag.value_type == "date":
        return present, and_(present, ~matches(text, DATE_PATTERN)), []
    return present, false(), []


def _present(text: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(text.is_not(None), text != "")


def held(tag: Tag, text: ColumnElement[Any]) -> ColumnElement[bool]:
    """A user holds `tag`: its column (as text) is true, or for other types not empty."""
    if tag.value_type == "boolean":
        return and_(_present(text), text.in_(["true", "1"]))
    return _present(text)


def value_holders(tag: Tag, text: ColumnElement[Any]) -> dict[str, ColumnElement[bool]]:
    """Per declared value of an enum tag, a user holds that value."""
    allowed = [value.value for value in tag.values]
    if not allowed:
        return {}
    valid = and_(_present(text), text.in_(allowed))
    return {v: and_(valid, text == v) for v in allowed}


def _numeric_terms(
    tag: Tag, text: ColumnElement[Any], i: int, present: ColumnElement[bool]
) -> tuple[ColumnElement[bool], ColumnElement[bool], list[ColumnElement[Any]]]:
    """`_wide_terms` of an integer or number tag: pattern and range, then its buckets."""
    number = to_number(text)
    pattern = INTEGER_PATTERN if tag.value_type == "integer" else NUMBER_PATTERN
    good: ColumnElement[bool] = matches(text, pattern)
    if tag.minimum is not None:
        good = and_(good, number >= tag.minimum)
    if tag.maximum is not None:
        good = and_(good, number <= tag.maximum)
    conditions = [
        and_(
            present,
            good,
            true() if bucket.low is None else number >= bucket.low,
            true() if bucket.high is None else number < bucket.high,
        )
        for bucket in buckets(tag)
    ]
    return present, and_(present, ~good), _wide_counts(i, conditions)


def _wide_counts(i: int, conditions: Sequence[ColumnElement[bool]]) -> list[ColumnElement[Any]]:
    return [func.sum(flag(cond)).label(f"b_{i}_{j}") for j, cond in enumerate(conditions)]


@dataclass(frozen=True)
class WideFound:
    """The per-tag values of the wide row (tags with a column only), and its late rows."""

    values: Mapping[str, TagValues]
    late: int


def decode_wide(plan: Plan, row: Row) -> WideFound:
    """The per-tag columns of the wide statement's row."""
    found: dict[str, TagValues] = {}
    for i, tag in enumerate(plan.tags):
        if f"h_{i}" in row:
            found[tag.name] = _tag_values(tag, i, row)
    return WideFound(found, int(row.get("late") or 0))


def _tag_values(tag: Tag, i: int, row: Row) -> TagValues:
    entry = TagValues(
        holders=int(row[f"h_{i}"] or 0),
        converted=int(row[f"c_{i}"] or 0),
        bought=Orders.decode(row, 0, f"o{i}_"),
        violations=int(row[f"v_{i}"] or 0),
        updated=row[f"u_{i}"],
        distributed=tag.value_type not in ("string", "date"),
    )
    junk = entry.violations if tag.value_type == "boolean" else 0  # never holders
    entry.valued = entry.holders + junk
    labels = [b.label for b in buckets(tag)] or [v.value for v in tag.values]
    for j, label in enumerate(labels):
        count = int(row.get(f"b_{i}_{j}") or 0)
        if count:
            entry.buckets[label] = count
    if tag.value_type == "boolean" and entry.holders:
        entry.buckets["true"] = entry.holders
    return entry
