"""The values and domain KPIs: holders, value buckets and domain violations per tag.

The values pass is one statement, one GROUP BY tag, tag_value underneath:
each value parsed once (`_parsed`), classified against the catalog's
`spec`, `domain` and `bins` (`classify`) and cut to the largest buckets
(`_top_buckets`). It also carries each tag's last update, which the
freshness KPI reads. When (user_id, tag_name) is not declared unique, the
`holders` pass gives exact distinct holders. `decode_values` turns the
rows of both into a `TagValues` per tag.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, case, distinct, func, null, or_, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.catalog.tags import Tag
from tagctl.kpi.plan import Plan, Row, flag, known
from tagctl.kpi.population import Members
from tagctl.kpi.relations import (
    PARSE,
    Relation,
    bins_relation,
    buckets,
    domain_relation,
    spec_relation,
)
from tagctl.kpi.result import ValueShare
from tagctl.kpi.sqlparts import DATE_PATTERN, INTEGER_PATTERN, as_double, matches, valid_number
from tagctl.kpi.stats import rate

SPEC_CLASSIFY = ("id", "kind", "lo", "hi", "binned")
TOP_VALUES = 20  # value buckets kept per tag; the rest are summed as "other"


def holds(value: ColumnElement[Any], spec: FromClause) -> ColumnElement[bool]:
    """A row holds its tag: a value, not empty, and `true` for a boolean tag.

    Flags compared as integers: per row, cheaper than comparing the kind's text.
    For use in WHERE: `value != ''` is not true for NULL either.
    """
    return and_(value != "", or_(spec.c.boolean == 0, value == "true"))


def values(tag_values: Relation, members: Members, plan: Plan) -> Select[Any]:
    """Per tag and bucket: users, converted users, last update; flags holder/violation/other.

    Tags are named by `tag_id`, their position in `plan.tags`: the last
    GROUP BY and the window over its groups then key on integers.

    With (user_id, tag_name) declared unique, one GROUP BY tag,
    tag_value over the population's rows comes first and the classification
    runs on those groups, not on the rows. Without it a user may hold several
    values of a tag, so rows are classified one by one and users counted
    distinctly per bucket: exact, and slower.
    """
    # Groups keyed by the tag's number in `spec`, not its name: a narrower
    # key keeps the largest aggregate of a run in less memory.
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name", "id", "parse"))
    if not plan.unique:
        return classify(_rows(tag_values, spec, members, plan), plan, per_row=True)
    return classify(_groups(tag_values, spec, members, plan), plan)


def _conditions(tag_values: Relation, members: Members, plan: Plan) -> list[ColumnElement[bool]]:
    """The tag rows the values pass reads: those that existed at as_of, of users in P.

    Rows after as_of are filtered, not counted: a condition per row in the
    largest pass of a run costs more than the note it would give.
    """
    in_population = members.member(tag_values["user_id"])
    existed = known(tag_values["updated_at"], plan)
    return [existed, *(() if in_population is None else (in_population,))]


def _rows(tag_values: Relation, spec: FromClause, members: Members, plan: Plan) -> Subquery:
    """One row per tag row, parsed, with its user and whether they converted."""
    user, value = tag_values["user_id"], tag_values["tag_value"]
    number, date_ok = _parsed(value, spec)
    rows = select(
        spec.c.id.label("tag_id"),
        value.label("tag_value"),
        number.label("number"),
        date_ok.label("date_ok"),
        user.label("user_id"),
        flag(members.converted(user)).label("converted"),
        tag_values["updated_at"].label("updated"),
    ).select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values.key("tag_name")))
    return rows.where(*_conditions(tag_values, members, plan)).subquery("pairs")


def _groups(tag_values: Relation, spec: FromClause, members: Members, plan: Plan) -> Subquery:
    """One row per (tag, value): rows, converted rows and last update, the value parsed.

    Values are parsed here, once per group: an aggregate subquery is not
    flattened, so the classification and the range join above it read the
    results instead of matching patterns again per bucket.
    """
    value = tag_values["tag_value"]
    number, date_ok = _parsed(value, spec)
    converted = members.converted(tag_values["user_id"])
    typed: Select[Any] = (
        select(
            spec.c.id.label("tag_id"),
            value.label("tag_value"),
            number.label("number"),
            date_ok.label("date_ok"),
            func.count().label("rows"),
            func.count(case((converted, 1))).label("converted"),
            func.max(tag_values["updated_at"]).label("updated"),
        )
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values.key("tag_name")))
        .where(*_conditions(tag_values, members, plan))
        .group_by(spec.c.id, spec.c.parse, value)
    )
    return typed.subquery("pairs")


def _parsed(value: ColumnElement[Any], spec: FromClause) -> tuple[ColumnElement[Any], ...]:
    """The value as a number for numeric kinds (NULL when not valid), and 0/1 for dates.

    One pattern match per value and only for the kinds that need it: on
    PostgreSQL a match costs microseconds, the most expensive step per group.
    """
    parse = spec.c.parse
    number = case(
        (and_(parse == PARSE["integer"], matches(value, INTEGER_PATTERN)), as_double(value)),
        (parse == PARSE["number"], valid_number(value)),
    )
    date_ok = case((parse == PARSE["date"], flag(matches(value, DATE_PATTERN))))
    return number, date_ok


def classify(typed: Subquery, plan: Plan, per_row: bool = False) -> Select[Any]:
    """Buckets, holder and violation flags of (tag, tag_value) groups, top buckets kept.

    `typed` has one row per group: tag_id (the tag's `id` in `spec`),
    tag_value, number and date_ok (from `_parsed`), rows, converted,
    updated; or, `per_row`, one row per tag row with user_id and converted
    (0/1) instead of the counts.
    """
    spec, domain, bins = (
        spec_relation(plan.tags, plan.row_values, only=SPEC_CLASSIFY),
        domain_relation(plan.tags, plan.row_values),
        bins_relation(plan.tags, plan.row_values),
    )
    bucket, holder, violation = _classes(typed, spec, domain, bins)
    classified = (
        select(
            typed.c.tag_id,
            bucket.label("bucket"),
            holder.label("holder"),
            violation.label("violation"),
            *(typed.c.user_id,) if per_row else (typed.c.rows,),
            typed.c.converted,
            typed.c.updated,
        )
        .select_from(_with_catalog(typed, spec, domain, bins))
        .subquery("classified")
    )
    return _top_buckets(classified, per_row)


def _with_catalog(
    typed: Subquery, spec: FromClause, domain: FromClause, bins: FromClause
) -> FromClause:
    """Each group with its tag's `spec`, its value's `domain` row and its number's bin, if any."""
    value, number = typed.c.tag_value, typed.c.number
    return (
        typed.join(spec, spec.c.id == typed.c.tag_id)
        .outerjoin(domain, and_(domain.c.tag_id == typed.c.tag_id, domain.c.value == value))
        .outerjoin(
            bins,
            and_(bins.c.tag_id == typed.c.tag_id, number >= bins.c.lo, number < bins.c.hi),
        )
    )


def _classes(
    typed: Subquery, spec: FromClause, domain: FromClause, bins: FromClause
) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """The bucket of a group, and its holder and violation flags (0/1)."""
    value, number, kind = typed.c.tag_value, typed.c.number, spec.c.kind
    empty = or_(value.is_(None), value == "")
    holder = case((empty, 0), (kind == "boolean", flag(value == "true")), else_=1)
    in_range = and_(
        or_(spec.c.lo.is_(None), number >= spec.c.lo), or_(spec.c.hi.is_(None), number <= spec.c.hi)
    )
    violation = case(
        (empty, 0),
        (kind.in_(["enum", "boolean"]), flag(domain.c.value.is_(None))),
        (kind.in_(["integer", "number"]), flag(~and_(number.is_not(None), in_range))),
        (kind == "date", flag(typed.c.date_ok == 0)),
        else_=0,
    )
    bucket = case(
        (empty, null()),
        (violation == 1, null()),  # one group of violations per tag: counted once per user
        (spec.c.binned == 1, bins.c.label),
        (kind == "date", func.substr(value, 1, 4)),
        else_=value,
    )
    return bucket, holder, violation


def _top_buckets(classified: Subquery, per_row: bool) -> Select[Any]:
    """Keep the TOP_VALUES largest buckets of each tag's valid holders; sum the rest."""
    ranked = _ranked(_grouped(classified, per_row)).c
    # The first bucket past the top stands for all the rest: a filter, not a
    # second GROUP BY (on DuckDB one more hash table late in the statement
    # is what runs out of memory).
    other = ranked.rank > bindparam("top_values", TOP_VALUES)
    return select(
        ranked.tag_id,
        case((other, null()), else_=ranked.bucket).label("bucket"),
        flag(other).label("other"),
        ranked.holder,
        ranked.violation,
        case((other, ranked.rest_rows), else_=ranked.rows).label("rows"),
        case((other, ranked.rest_converted), else_=ranked.converted).label("converted"),
        case((other, ranked.rest_updated), else_=ranked.updated).label("updated"),
    ).where(ranked.rank <= bindparam("top_values_other", TOP_VALUES + 1))


def _grouped(classified: Subquery, per_row: bool) -> Subquery:
    """Users, converted users and last update per tag, bucket, holder and violation."""
    c = classified.c
    rows: ColumnElement[Any]
    converted: ColumnElement[Any]
    if per_row:
        rows = func.count(distinct(c.user_id))
        converted = func.count(distinct(case((c.converted == 1, c.user_id))))
    else:
        rows, converted = func.sum(c.rows), func.sum(c.converted)
    return (
        select(
            c.tag_id,
            c.bucket,
            c.holder,
            c.violation,
            rows.label("rows"),
            converted.label("converted"),
            func.max(c.updated).label("updated"),
        )
        .group_by(c.tag_id, c.bucket, c.holder, c.violation)
        .subquery("grouped")
    )


def _ranked(grouped: Subquery) -> Subquery:
    """Each bucket's rank by size within its tag's (holder, violation), and its rest's sums."""
    g = grouped.c
    order: dict[str, Any] = {
        "partition_by": (g.tag_id, g.holder, g.violation),
        "order_by": (g.rows.desc(), g.bucket),
    }
    rest = {**order, "rows": (0, None)}  # this bucket and every smaller one
    return select(
        grouped,
        func.row_number().over(**order).label("rank"),
        func.sum(g.rows).over(**rest).label("rest_rows"),
        func.sum(g.converted).over(**rest).label("rest_converted"),
        func.max(g.updated).over(**rest).label("rest_updated"),
    ).subquery("ranked")


def holders(tag_values: Relation, members: Members, plan: Plan) -> Select[Any]:
    """Distinct holders and converted holders per tag, for a table with repeated rows."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name", "boolean"))
    user = tag_values["user_id"]
    query = (
        select(
            tag_values["tag_name"].label("tag_name"),
            func.count(distinct(user)).label("holders"),
            func.count(distinct(case((members.converted(user), user)))).label("converted"),
        )
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values.key("tag_name")))
        .where(holds(tag_values["tag_value"], spec), known(tag_values["updated_at"], plan))
        .group_by(tag_values["tag_name"])
    )
    in_population = members.member(user)
    return query if in_population is None else query.where(in_population)


# -- decoding ----------------------------------------------------------------------


@dataclass
class TagValues:
    """One tag's holders, value buckets, domain violations and last update, as found."""

    holders: int = 0
    converted: int = 0
    violations: int = 0
    valued: int = 0  # users with a non-empty value: holders and boolean junk
    other: int = 0
    buckets: dict[str, int] = field(default_factory=dict)
    updated: dt.datetime | None = None
    distributed: bool = True  # False: the layout gives no value distribution

    def shares(self, tag: Tag) -> list[ValueShare]:
        """The value buckets as shares of the holders, in their natural order."""
        return [
            ValueShare(value, count, count / self.holders if self.holders else 0.0)
            for value, count in _ordered(tag, self.buckets)
        ]

    def violation_rate(self) -> float | None:
        """Domain violations among the users with a non-empty value."""
        return rate(self.violations, self.valued or None)


def _ordered(tag: Tag, found: Mapping[str, int]) -> list[tuple[str, int]]:
    """Buckets in their natural order: bins by edge, enum values as declared, else by size."""
    order = [bucket.label for bucket in buckets(tag)] or [value.value for value in tag.values]
    rank = {label: i for i, label in enumerate(order)}
    if order:
        return sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def decode_values(
    plan: Plan, rows: Sequence[Row], holder_rows: Sequence[Row] | None
) -> dict[str, TagValues]:
    """Per tag name, what the rows of `values` (and of `holders`, when it ran) say."""
    found: dict[str, TagValues] = defaultdict(TagValues)
    for row in rows:
        _add_group(found[plan.tags[row["tag_id"]].name], row)
    for row in holder_rows or ():  # exact distinct holders when rows may repeat
        entry = found[row["tag_name"]]
        entry.valued += int(row["holders"]) - entry.holders
        entry.holders, entry.converted = int(row["holders"]), int(row["converted"] or 0)
    return found


def _add_group(entry: TagValues, row: Row) -> None:
    """Count one (bucket, holder, violation) row of the values pass into its tag's entry."""
    count, updated = int(row["rows"] or 0), row["updated"]
    if not count:  # only rows after as_of: the group did not exist then
        return
    if updated is not None and (entry.updated is None or updated > entry.updated):
        entry.updated = updated
    if row["violation"]:
        entry.violations += count
        if not row["holder"]:
            entry.valued += count  # a boolean neither true nor false
    if not row["holder"]:
        return
    entry.holders += count
    entry.valued += count
    entry.converted += int(row["converted"] or 0)
    if row["violation"]:
        return
    if row["other"] or row["bucket"] is None:
        entry.other += count
    else:
        entry.buckets[str(row["bucket"])] = count
