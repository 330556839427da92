"""The KPI queries, built once with SQLAlchemy Core for every dialect.

One statement per pass over a table, whatever the number of tags: the
catalog enters as the small `spec`, `domain` and `bins` relations of bound
constants, and per-tag results come back grouped by tag name. Each builder
returns a `Select` whose rows are aggregates, never table rows.

Passes (long layout): `coverage` (population, converters and the per-user
flags behind overall, category and core coverage), `values` (holders, value
buckets, domain violations, converted holders and freshness per tag; one
GROUP BY tag_name, tag_value underneath), `holders` (only when
(user_id, tag_name) is not declared unique: exact distinct holders), `usage`
and `consumers` (tag_usage), `campaigns` (activation and conversion per tag
and group). The wide layout replaces `coverage`, `values` and `holders` by
the single statement of `tagctl.kpi.wide`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.catalog.tags import Tag
from tagctl.kpi.relations import (
    Relation,
    bins_relation,
    domain_relation,
    spec_relation,
)
from tagctl.kpi.sqlparts import (
    DATE_PATTERN,
    INTEGER_PATTERN,
    NUMBER_PATTERN,
    matches,
    seconds_between,
    to_number,
)

TOP_VALUES = 20  # value buckets kept per tag; the rest are summed as "other"


@dataclass(frozen=True)
class Plan:
    """What every query needs to know about one run."""

    tags: Sequence[Tag]
    categories: Sequence[str]
    as_of: dt.datetime
    window_days: int
    attribution_days: int
    active_only: bool
    unique: bool
    row_values: bool = False  # constants as a VALUES list (see sqlparts.VALUES_DIALECTS)

    @property
    def start(self) -> dt.datetime:
        return self.as_of - dt.timedelta(days=self.window_days)


def _at(name: str, value: dt.datetime) -> ColumnElement[dt.datetime]:
    return bindparam(name, value, type_=DateTime())


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _in_window(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    return and_(col >= _at("window_start", plan.start), col < _at("as_of", plan.as_of))


def population(users: Relation, conversions: Relation | None, plan: Plan) -> Subquery:
    """P: (user_id, converted), converted = a conversion in the window."""
    converted: ColumnElement[int]
    if conversions is None:
        query = select(users["user_id"].label("user_id"), literal(0).label("converted"))
    else:
        buyers = (
            select(conversions["user_id"].label("user_id"))
            .where(_in_window(conversions["converted_at"], plan))
            .distinct()
            .subquery("buyers")
        )
        converted = flag(buyers.c.user_id.is_not(None))
        query = select(users["user_id"].label("user_id"), converted.label("converted")).select_from(
            users.table.outerjoin(buyers, buyers.c.user_id == users["user_id"])
        )
    if plan.active_only:
        query = query.where(users["is_active"] == true())
    return query.subquery("pop")


def _holder(value: ColumnElement[Any], spec: FromClause) -> ColumnElement[bool]:
    """A row holds its tag: a value, not empty, and `true` for a boolean tag.

    Flags compared as integers: per row, cheaper than comparing the kind's text.
    For use in WHERE: `value != ''` is not true for NULL either.
    """
    return and_(value != "", or_(spec.c.boolean == 0, value == "true"))


def coverage(tag_values: Relation, pop: Subquery, plan: Plan) -> Select[Any]:
    """Population size, converters, and users holding online / core / per-category tags."""
    spec = spec_relation(plan.tags, plan.row_values, plan.categories)
    value = tag_values["tag_value"]
    core = (
        func.count(case((spec.c.core == 1, 1)))  # a count, not a sum: no wide integer sums
        if plan.unique
        else func.count(distinct(case((spec.c.core == 1, tag_values["tag_name"]))))
    )
    per_user = (
        select(
            tag_values["user_id"].label("user_id"),
            core.label("core_tags"),
            *(
                func.max(flag(spec.c.category == bindparam(f"category_{i}", i))).label(
                    f"category_{i}"
                )
                for i in range(len(plan.categories))
            ),
        )
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values["tag_name"]))
        .where(spec.c.online == 1, _holder(value, spec))
        .group_by(tag_values["user_id"])
        .subquery("per_user")
    )
    return coverage_totals(pop, per_user, plan)


def coverage_totals(pop: Subquery, per_user: Subquery, plan: Plan) -> Select[Any]:
    """One row: |P|, converters, and users with an online / core / category tag.

    `per_user` has one row per user holding an online tag: `core_tags` and
    a 0/1 `category_<i>` per category of the plan.
    """
    core_total = sum(1 for tag in plan.tags if tag.core and tag.status == "online")
    return select(
        func.count().label("population"),
        func.coalesce(func.sum(pop.c.converted), 0).label("converters"),
        func.count(per_user.c.user_id).label("any_online"),
        func.sum(flag(per_user.c.core_tags > 0)).label("core_any"),
        (
            func.sum(flag(per_user.c.core_tags >= bindparam("core_total", core_total)))
            if core_total
            else literal(0)
        ).label("core_all"),
        *(
            func.sum(per_user.c[f"category_{i}"]).label(f"category_{i}")
            for i in range(len(plan.categories))
        ),
    ).select_from(pop.outerjoin(per_user, per_user.c.user_id == pop.c.user_id))


def values(tag_values: Relation, pop: Subquery, plan: Plan) -> Select[Any]:
    """Per tag and bucket: users, converted users, last update; flags holder/violation/other.

    With (user_id, tag_name) declared unique, one GROUP BY tag_name,
    tag_value over the population's rows comes first and the classification
    runs on those groups, not on the rows. Without it a user may hold several
    values of a tag, so rows are classified one by one and users counted
    distinctly per bucket: exact, and slower.
    """
    user = tag_values["user_id"]
    source = tag_values.table.join(pop, pop.c.user_id == user)
    value = tag_values["tag_value"]
    if not plan.unique:
        rows = select(
            tag_values["tag_name"].label("tag_name"),
            value.label("tag_value"),
            to_number(value).label("number"),
            user.label("user_id"),
            pop.c.converted,
            tag_values["updated_at"].label("updated"),
        ).select_from(source)
        return classify(rows.subquery("pairs"), plan, per_row=True)
    # The number is parsed here, once per group: an aggregate subquery is not
    # flattened, so the range join below does not parse it again per bucket.
    typed = (
        select(
            tag_values["tag_name"].label("tag_name"),
            value.label("tag_value"),
            to_number(value).label("number"),
            func.count().label("rows"),
            func.sum(pop.c.converted).label("converted"),
            func.max(tag_values["updated_at"]).label("updated"),
        )
        .select_from(source)
        .group_by(tag_values["tag_name"], value)
        .subquery("pairs")
    )
    return classify(typed, plan)


def classify(typed: Subquery, plan: Plan, per_row: bool = False) -> Select[Any]:
    """Buckets, holder and violation flags of (tag_name, tag_value) groups, top buckets kept.

    `typed` has one row per group: tag_name, tag_value, number (the value
    parsed), rows, converted, updated; or, `per_row`, one row per tag row
    with user_id and converted (0/1) instead of the counts.
    """
    spec, domain, bins = (
        spec_relation(plan.tags, plan.row_values, plan.categories),
        domain_relation(plan.tags, plan.row_values),
        bins_relation(plan.tags, plan.row_values),
    )
    value, number, kind = typed.c.tag_value, typed.c.number, spec.c.kind
    empty = or_(value.is_(None), value == "")
    holder = case((empty, 0), (kind == "boolean", flag(value == "true")), else_=1)
    in_range = and_(
        or_(spec.c.lo.is_(None), number >= spec.c.lo), or_(spec.c.hi.is_(None), number <= spec.c.hi)
    )
    violation = case(
        (empty, 0),
        (kind.in_(["enum", "boolean"]), flag(domain.c.value.is_(None))),
        (kind == "integer", flag(~and_(matches(value, INTEGER_PATTERN), in_range))),
        (kind == "number", flag(~and_(matches(value, NUMBER_PATTERN), in_range))),
        (kind == "date", flag(~matches(value, DATE_PATTERN))),
        else_=0,
    )
    bucket = case(
        (empty, null()),
        (violation == 1, null()),  # one group of violations per tag: counted once per user
        (spec.c.binned == 1, bins.c.label),
        (kind == "date", func.substr(value, 1, 4)),
        else_=value,
    )
    classified = (
        select(
            typed.c.tag_name,
            bucket.label("bucket"),
            holder.label("holder"),
            violation.label("violation"),
            *(typed.c.user_id,) if per_row else (typed.c.rows,),
            typed.c.converted,
            typed.c.updated,
        )
        .select_from(
            typed.join(spec, spec.c.tag_name == typed.c.tag_name)
            .outerjoin(domain, and_(domain.c.tag_name == typed.c.tag_name, domain.c.value == value))
            .outerjoin(
                bins,
                and_(
                    bins.c.tag_name == typed.c.tag_name,
                    number >= bins.c.lo,
                    number < bins.c.hi,
                ),
            )
        )
        .subquery("classified")
    )
    return _top_buckets(classified, per_row)


def _top_buckets(classified: Subquery, per_row: bool) -> Select[Any]:
    """Keep the TOP_VALUES largest buckets of each tag's valid holders; sum the rest."""
    c = classified.c
    rows: ColumnElement[Any]
    converted: ColumnElement[Any]
    if per_row:
        rows = func.count(distinct(c.user_id))
        converted = func.count(distinct(case((c.converted == 1, c.user_id))))
    else:
        rows, converted = func.sum(c.rows), func.sum(c.converted)
    grouped = (
        select(
            c.tag_name,
            c.bucket,
            c.holder,
            c.violation,
            rows.label("rows"),
            converted.label("converted"),
            func.max(c.updated).label("updated"),
        )
        .group_by(c.tag_name, c.bucket, c.holder, c.violation)
        .subquery("grouped")
    )
    g = grouped.c
    rank = (
        func.row_number()
        .over(partition_by=(g.tag_name, g.holder, g.violation), order_by=(g.rows.desc(), g.bucket))
        .label("rank")
    )
    ranked = select(grouped, rank).subquery("ranked")
    r = ranked.c
    other = flag(r.rank > bindparam("top_values", TOP_VALUES))
    kept = case((r.rank <= bindparam("top_values_kept", TOP_VALUES), r.bucket))
    return select(
        r.tag_name,
        kept.label("bucket"),
        other.label("other"),
        r.holder,
        r.violation,
        func.sum(r.rows).label("rows"),
        func.sum(r.converted).label("converted"),
        func.max(r.updated).label("updated"),
    ).group_by(r.tag_name, kept, other, r.holder, r.violation)


def holders(tag_values: Relation, pop: Subquery, plan: Plan) -> Select[Any]:
    """Distinct holders and converted holders per tag, for a table with repeated rows."""
    spec = spec_relation(plan.tags, plan.row_values, plan.categories)
    user = tag_values["user_id"]
    return (
        select(
            tag_values["tag_name"].label("tag_name"),
            func.count(distinct(user)).label("holders"),
            func.count(distinct(case((pop.c.converted == 1, user)))).label("converted"),
        )
        .select_from(
            tag_values.table.join(pop, pop.c.user_id == user).join(
                spec, spec.c.tag_name == tag_values["tag_name"]
            )
        )
        .where(_holder(tag_values["tag_value"], spec))
        .group_by(tag_values["tag_name"])
    )


def usage(tag_usage: Relation, plan: Plan) -> Select[Any]:
    """Events in the window and last use, per tag, consumer type and department."""
    used_at = tag_usage["used_at"]
    spec = spec_relation(plan.tags, plan.row_values, plan.categories)
    window = and_(used_at >= _at("window_start", plan.start))
    return (
        select(
            tag_usage["tag_name"].label("tag_name"),
            tag_usage["consumer_type"].label("consumer_type"),
            tag_usage["department"].label("department"),
            func.sum(flag(window)).label("events"),
            func.max(used_at).label("last_used"),
        )
        .select_from(tag_usage.table.join(spec, spec.c.tag_name == tag_usage["tag_name"]))
        .where(used_at < _at("as_of", plan.as_of))
        .group_by(tag_usage["tag_name"], tag_usage["consumer_type"], tag_usage["department"])
    )


def consumers(tag_usage: Relation, plan: Plan) -> Select[Any]:
    """Distinct consumers (type and id) per measured tag in the window."""
    spec = spec_relation(plan.tags, plan.row_values, plan.categories)
    distinct_uses = (
        select(
            tag_usage["tag_name"].label("tag_name"),
            tag_usage["consumer_type"].label("consumer_type"),
            tag_usage["consumer_id"].label("consumer_id"),
        )
        .select_from(tag_usage.table.join(spec, spec.c.tag_name == tag_usage["tag_name"]))
        .where(_in_window(tag_usage["used_at"], plan))
        .distinct()
        .subquery("uses")
    )
    return select(distinct_uses.c.tag_name, func.count().label("consumers")).group_by(
        distinct_uses.c.tag_name
    )


GROUPS = ("treatment", "control")


def campaigns(
    campaign_tags: Relation,
    members: Relation,
    touches: Relation | None,
    conversions: Relation | None,
    plan: Plan,
) -> Select[Any]:
    """Per tag and group: memberships, reached, responded, converted, orders, amount, cycle."""
    spec = spec_relation(plan.tags, plan.row_values, plan.categories)
    links = (
        select(
            campaign_tags["campaign_id"].label("campaign_id"),
            campaign_tags["tag_name"].label("tag_name"),
        )
        .select_from(campaign_tags.table.join(spec, spec.c.tag_name == campaign_tags["tag_name"]))
        .distinct()
        .subquery("links")
    )
    m = (
        select(
            members["campaign_id"].label("campaign_id"),
            members["user_id"].label("user_id"),
            members["group_name"].label("group_name"),
            members["selected_at"].label("selected_at"),
        )
        .where(
            _in_window(members["selected_at"], plan),
            members["group_name"].in_(GROUPS),
            members["campaign_id"].in_(select(links.c.campaign_id)),
        )
        .subquery("m")
    )
    source: FromClause = m
    reached: ColumnElement[Any] = cast(null(), Integer())  # typed: sum(NULL) needs a type
    responded: ColumnElement[Any] = cast(null(), Integer())
    if touches is not None:
        touch = _touch_flags(touches)
        source = source.outerjoin(
            touch, and_(touch.c.campaign_id == m.c.campaign_id, touch.c.user_id == m.c.user_id)
        )
        reached = func.sum(func.coalesce(touch.c.delivered, 0))
        responded = func.sum(func.coalesce(touch.c.responded, 0))
    converted: ColumnElement[Any] = cast(null(), Integer())
    orders: ColumnElement[Any] = cast(null(), Integer())
    amount: ColumnElement[Any] = cast(null(), Float())
    cycle: ColumnElement[Any] = cast(null(), Float())
    if conversions is not None:
        bought = _attributed(m, conversions, plan)
        source = source.outerjoin(
            bought, and_(bought.c.campaign_id == m.c.campaign_id, bought.c.user_id == m.c.user_id)
        )
        converted = func.sum(flag(bought.c.orders.is_not(None)))
        orders, amount = func.sum(bought.c.orders), func.sum(bought.c.amount)
        cycle = func.sum(bought.c.first_seconds)
    per_campaign = (
        select(
            m.c.campaign_id,
            m.c.group_name,
            func.count().label("members"),
            reached.label("reached"),
            responded.label("responded"),
            converted.label("converted"),
            orders.label("orders"),
            amount.label("amount"),
            cycle.label("cycle_seconds"),
        )
        .select_from(source)
        .group_by(m.c.campaign_id, m.c.group_name)
        .subquery("per_campaign")
    )
    pc = per_campaign.c
    return (
        select(
            links.c.tag_name,
            pc.group_name,
            func.count().label("campaigns"),
            *(
                func.sum(pc[name]).label(name)
                for name in (
                    "members",
                    "reached",
                    "responded",
                    "converted",
                    "orders",
                    "amount",
                    "cycle_seconds",
                )
            ),
        )
        .select_from(per_campaign.join(links, links.c.campaign_id == pc.campaign_id))
        .group_by(links.c.tag_name, pc.group_name)
    )


def _touch_flags(touches: Relation) -> Subquery:
    delivered = touches["status"] == "delivered"
    return (
        select(
            touches["campaign_id"].label("campaign_id"),
            touches["user_id"].label("user_id"),
            func.max(flag(delivered)).label("delivered"),
            func.max(flag(and_(delivered, touches["responded_at"].is_not(None)))).label(
                "responded"
            ),
        )
        .group_by(touches["campaign_id"], touches["user_id"])
        .subquery("touch")
    )


def _attributed(m: Subquery, conversions: Relation, plan: Plan) -> Subquery:
    """Conversions within `attribution_days` after selection, per membership."""
    at = conversions["converted_at"]
    delay = seconds_between(m.c.selected_at, at)
    return (
        select(
            m.c.campaign_id,
            m.c.user_id,
            func.count().label("orders"),
            func.sum(conversions["amount"]).label("amount"),
            func.min(delay).label("first_seconds"),
        )
        .select_from(m.join(conversions.table, conversions["user_id"] == m.c.user_id))
        .where(
            at >= m.c.selected_at,
            at < _at("as_of", plan.as_of),
            delay <= bindparam("attribution_seconds", plan.attribution_days * 86400, Integer()),
        )
        .group_by(m.c.campaign_id, m.c.user_id)
        .subquery("bought")
    )
