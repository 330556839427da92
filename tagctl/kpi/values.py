"""The values and domain KPIs: holders, value buckets and domain violations per tag.

The values pass is one statement, one GROUP BY tag, tag_value underneath:
each value parsed once (`_parsed`), classified against the catalog's
`spec`, `domain` and `bins` (`classify`) and cut to the largest buckets
(`_top_buckets`). It also carries each tag's last update, which the
freshness KPI reads, and the holders' conversions in the window (their
orders, amount, repeat buyers) for audience quality. When (user_id,
tag_name) is not declared unique, the `holders` pass gives exact distinct
holders and their orders. `valuesfound.decode_values` reads the rows of
both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, cast, distinct, func, null, or_, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.kpi.plan import Plan, flag, known
from tagctl.kpi.population import Members, order_columns
from tagctl.kpi.relations import (
    PARSE,
    Relation,
    bins_relation,
    domain_relation,
    spec_relation,
)
from tagctl.kpi.sqlparts import DATE_PATTERN, INTEGER_PATTERN, as_double, matches, valid_number

SPEC_CLASSIFY = ("id", "kind", "lo", "hi", "binned")
TOP_VALUES = 20  # value buckets kept per tag; the rest are summed as "other"
ORDERS = ("orders", "amount", "priced", "repeaters")  # the sums of `order_columns`


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
    joined = tag_values.table.join(spec, spec.c.tag_name == tag_values.key("tag_name"))
    source, converted, orders = _with_orders(joined, tag_values["user_id"], members)
    typed: Select[Any] = (
        select(
            spec.c.id.label("tag_id"),
            value.label("tag_value"),
            number.label("number"),
            date_ok.label("date_ok"),
            func.count().label("rows"),
            converted,
            *orders,
            func.max(tag_values["updated_at"]).label("updated"),
        )
        .select_from(source)
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
            *(typed.c.user_id,) if per_row else (typed.c.rows, *(typed.c[n] for n in ORDERS)),
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
        *(case((other, ranked[f"rest_{n}"]), else_=ranked[n]).label(n) for n in ORDERS),
        case((other, ranked.rest_updated), else_=ranked.updated).label("updated"),
    ).where(ranked.rank <= bindparam("top_values_other", TOP_VALUES + 1))


def _grouped(classified: Subquery, per_row: bool) -> Subquery:
    """Users, converted users and last update per tag, bucket, holder and violation."""
    c = classified.c
    rows: ColumnElement[Any]
    converted: ColumnElement[Any]
    if per_row:  # a user's orders come from the holders pass, counted once
        rows = func.count(distinct(c.user_id))
        converted = func.count(distinct(case((c.converted == 1, c.user_id))))
        orders = [cast(null(), Integer()).label(name) for name in ORDERS]
    else:
        rows, converted = func.sum(c.rows), func.sum(c.converted)
        orders = [func.sum(c[name]).label(name) for name in ORDERS]
    return (
        select(
            c.tag_id,
            c.bucket,
            c.holder,
            c.violation,
            rows.label("rows"),
            converted.label("converted"),
            *orders,
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
        *(func.sum(g[name]).over(**rest).label(f"rest_{name}") for name in ORDERS),
        func.max(g.updated).over(**rest).label("rest_updated"),
    ).subquery("ranked")


def holders(tag_values: Relation, members: Members, plan: Plan) -> Select[Any]:
    """Distinct holders, converted holders and their orders per tag, for repeated rows."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name", "boolean"))
    user = tag_values["user_id"]
    conditions = [holds(tag_values["tag_value"], spec), known(tag_values["updated_at"], plan)]
    if (in_population := members.member(user)) is not None:
        conditions.append(in_population)
    pairs = (
        select(tag_values["tag_name"].label("tag_name"), user.label("user_id"))
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values.key("tag_name")))
        .where(*conditions)
        .distinct()
        .subquery("held")
    )
    source, converted, orders = _with_orders(pairs, pairs.c.user_id, members)
    return (
        select(pairs.c.tag_name, func.count().label("holders"), converted, *orders)
        .select_from(source)
        .group_by(pairs.c.tag_name)
    )


def _with_orders(
    source: FromClause, user: ColumnElement[Any], members: Members
) -> tuple[FromClause, ColumnElement[Any], list[ColumnElement[Any]]]:
    """`source` joined to the buyers' orders: converted rows, and the sums of ORDERS.

    A join, not an IN test: each buyer's orders, amount and whether they
    bought again come with it. The buyers of a window are few, so the join
    probes a small hash table, as the IN test did.
    """
    bought = members.orders
    if bought is None:  # no conversions table: nobody converted
        nothing: list[ColumnElement[Any]] = [cast(null(), Integer()).label(n) for n in ORDERS]
        return source, func.count(case((members.converted(user), 1))).label("converted"), nothing
    joined = source.outerjoin(bought, bought.c.user_id == user)
    orders = order_columns(bought.c.orders, bought.c.amount, bought.c.priced, "")
    converted: ColumnElement[Any] = func.count(bought.c.user_id).label("converted")
    return joined, converted, orders
