"""The usage KPIs: events in the window, consumers and last use, per tag.

Two statements over tag_usage: `usage` (events and last use per tag,
consumer type and department) and `consumers` (distinct consumers per tag
in the window). `decode_usage` turns their rows into a `Usage` per tag.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, null, select
from sqlalchemy.sql import Select

from tagctl.kpi.plan import Plan, Row, after, flag, in_window
from tagctl.kpi.relations import Relation, spec_relation
from tagctl.kpi.result import Usage


def usage(tag_usage: Relation, plan: Plan) -> Select[Any]:
    """Events in the window and last use, per tag, consumer type and department.

    Uses at or after as_of are counted apart (`late`), not filtered out, so
    that the run can say they exist without a second pass.
    """
    used_at = tag_usage["used_at"]
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name",))
    late = after(used_at, plan)
    return (
        select(
            tag_usage["tag_name"].label("tag_name"),
            tag_usage["consumer_type"].label("consumer_type"),
            tag_usage["department"].label("department"),
            func.sum(flag(in_window(used_at, plan))).label("events"),
            func.max(case((late, null()), else_=used_at)).label("last_used"),
            func.sum(flag(late)).label("late"),
        )
        .select_from(tag_usage.table.join(spec, spec.c.tag_name == tag_usage.key("tag_name")))
        .group_by(tag_usage["tag_name"], tag_usage["consumer_type"], tag_usage["department"])
    )


def consumers(tag_usage: Relation, plan: Plan) -> Select[Any]:
    """Distinct consumers (type and id) per measured tag in the window."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name",))
    distinct_uses = (
        select(
            tag_usage["tag_name"].label("tag_name"),
            tag_usage["consumer_type"].label("consumer_type"),
            tag_usage["consumer_id"].label("consumer_id"),
        )
        .select_from(tag_usage.table.join(spec, spec.c.tag_name == tag_usage.key("tag_name")))
        .where(in_window(tag_usage["used_at"], plan))
        .distinct()
        .subquery("uses")
    )
    return select(distinct_uses.c.tag_name, func.count().label("consumers")).group_by(
        distinct_uses.c.tag_name
    )


@dataclass(frozen=True)
class UsageFound:
    """The usage of every tag found in tag_usage, and its rows dated at or after as_of."""

    tags: Mapping[str, Usage]
    late: int

    def of(self, name: str) -> Usage:
        """The usage of tag `name`; a tag absent from tag_usage was not used."""
        return self.tags.get(name, Usage(0, 0, {}, {}, None))


def decode_usage(rows: Sequence[Row], consumer_rows: Sequence[Row] | None) -> UsageFound:
    """The rows of `usage` and `consumers` as a `Usage` per tag."""
    events: dict[str, int] = defaultdict(int)
    types: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    departments: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    last: dict[str, dt.datetime] = {}
    for row in rows:
        name, count = row["tag_name"], int(row["events"] or 0)
        events[name] += count
        if count:
            types[name][str(row["consumer_type"])] += count
            departments[name][str(row["department"])] += count
        used = row["last_used"]
        if used is not None and (name not in last or used > last[name]):
            last[name] = used
    counted = {row["tag_name"]: int(row["consumers"]) for row in consumer_rows or ()}
    tags = {
        name: Usage(
            events=events[name],
            consumers=counted.get(name, 0),
            by_consumer_type=dict(sorted(types[name].items())),
            by_department=dict(sorted(departments[name].items())),
            last_used=last.get(name),
        )
        for name in events.keys() | last.keys()
    }
    return UsageFound(tags, sum(int(row.get("late") or 0) for row in rows))
