"""The wide layout (one row per user, one column per tag) in one statement.

Every per-tag aggregate is a column of a single SELECT over the table joined
to the population: holders, converted holders, violations, last update and
the bucket counts of enum values and numeric bins. String and date tags get
no value distribution here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, case, false, func, literal, or_, select, true
from sqlalchemy.sql import ColumnElement, Select, Subquery

from tagctl.catalog.tags import Tag
from tagctl.kpi.queries import Plan, flag
from tagctl.kpi.relations import Relation, buckets
from tagctl.kpi.sqlparts import DATE_PATTERN, INTEGER_PATTERN, NUMBER_PATTERN, matches, to_number


def wide(
    tag_values: Relation,
    pop: Subquery,
    plan: Plan,
    columns: Mapping[str, ColumnElement[Any]],
) -> Select[Any]:
    """The wide layout in one statement: every per-tag aggregate as its own column.

    `columns` maps a tag to its column as text (tags without a column are
    left out). Labels: `h_<i>` holders, `c_<i>` converted holders, `v_<i>`
    violations, `u_<i>` last update, `b_<i>_<j>` bucket j of tag i.
    """
    row = tag_values.table
    source = pop.outerjoin(row, tag_values["user_id"] == pop.c.user_id)
    items: list[ColumnElement[Any]] = [
        func.count().label("population"),
        func.coalesce(func.sum(pop.c.converted), 0).label("converters"),
    ]
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
            func.sum(flag(bad)).label(f"v_{i}"),
            func.max(case((text.is_not(None), tag_values["updated_at"]))).label(f"u_{i}"),
            *labels,
        ]
    items += _wide_coverage(plan, holds)
    return select(*items).select_from(source)


def _wide_terms(
    tag: Tag, text: ColumnElement[Any], i: int
) -> tuple[ColumnElement[bool], ColumnElement[bool], list[ColumnElement[Any]]]:
    """Holder and violation conditions of one wide column, and its bucket counts."""
    present = and_(text.is_not(None), text != "")
    if tag.value_type == "boolean":
        truthy = text.in_(["true", "1"])
        return and_(present, truthy), and_(present, ~text.in_(["true", "false", "1", "0"])), []
    if tag.value_type == "enum":
        allowed = [value.value for value in tag.values]
        bad = and_(present, ~text.in_(allowed)) if allowed else false()
        valid = and_(present, text.in_(allowed)) if allowed else false()
        return present, bad, _wide_counts(i, [valid & (text == v) for v in allowed])
    if tag.value_type in ("integer", "number"):
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
    if tag.value_type == "date":
        return present, and_(present, ~matches(text, DATE_PATTERN)), []
    return present, false(), []


def _wide_counts(i: int, conditions: Sequence[ColumnElement[bool]]) -> list[ColumnElement[Any]]:
    return [func.sum(flag(cond)).label(f"b_{i}_{j}") for j, cond in enumerate(conditions)]


def _wide_coverage(plan: Plan, holds: Mapping[str, ColumnElement[bool]]) -> list[Any]:
    online = [tag for tag in plan.tags if tag.status == "online" and tag.name in holds]

    def any_of(tags: Sequence[Tag]) -> ColumnElement[int]:
        return func.sum(flag(or_(*(holds[t.name] for t in tags)))) if tags else literal(0)

    core = [tag for tag in online if tag.core]
    every_core_column = all(t.name in holds for t in plan.tags if t.core and t.status == "online")
    core_all: ColumnElement[Any] = literal(0)  # a core tag without a column is held by nobody
    if core and every_core_column:
        core_all = func.sum(flag(and_(*(holds[t.name] for t in core))))
    items = [
        any_of(online).label("any_online"),
        any_of(core).label("core_any"),
        core_all.label("core_all"),
    ]
    for i, key in enumerate(plan.categories):
        items.append(any_of([t for t in online if t.category == key]).label(f"category_{i}"))
    return items
