"""The campaign statements: per campaign and group, its sums; its tags; its cost.

`campaigns` is one statement: campaign memberships in the window
(treatment and control), each joined to its touches (delivered, responded)
and to the conversions attributed to it (within `attribution_days` of
selection, before `as_of`), summed per campaign and group. `links` gives the
tags each campaign selects with and `costs` what each cost. Those are a few
rows per campaign; `pooled.CampaignsFound` sums them per tag and per set of
tags.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, bindparam, cast, func, null, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.kpi.dialects import NUMBER
from tagctl.kpi.plan import Plan, flag, in_window, known, moment
from tagctl.kpi.relations import Relation
from tagctl.kpi.sqlparts import seconds_between

GROUPS = ("treatment", "control")
# The sums per campaign and group.
SUMS = (
    "members",
    "reached",
    "responded",
    "converted",
    "orders",
    "amount",
    "cycle_seconds",
    "cycle_squares",
)


def campaigns(
    members: Relation,
    touches: Relation | None,
    conversions: Relation | None,
    plan: Plan,
) -> Select[Any]:
    """Per campaign and group: memberships, reached, responded, converted, orders, amount, cycle.

    Every campaign with memberships in the window, linked to a tag or not:
    a run has at most thousands of campaigns, and which tags (or sets of
    tags) each one selects with is joined here, in Python, from `links`.
    """
    return _per_campaign(_memberships(members, plan), touches, conversions, plan)


def links(campaign_tags: Relation) -> Select[Any]:
    """(campaign_id, tag_name): the tags each campaign selects with, every tag named."""
    return select(
        campaign_tags["campaign_id"].label("campaign_id"),
        campaign_tags["tag_name"].label("tag_name"),
    ).distinct()


def costs(campaign_costs: Relation) -> Select[Any]:
    """Per campaign: its summed cost, and whether every cost row had a value."""
    cost = campaign_costs["cost"]
    return select(
        campaign_costs["campaign_id"].label("campaign_id"),
        func.sum(cost).label("cost"),
        func.count().label("rows"),
        func.count(cost).label("known"),
    ).group_by(campaign_costs["campaign_id"])


def _memberships(members: Relation, plan: Plan) -> Subquery:
    """Memberships selected in the window, in a treatment or control group.

    Of every campaign: the final join with the links keeps those of the
    measured tags. Filtered here as well (an IN of the linked campaigns),
    they were misjudged by DuckDB as a hundredth of their number, and the
    joins it planned from that ran out of 128MB for 10M users.
    """
    return (
        select(
            members["campaign_id"].label("campaign_id"),
            members["user_id"].label("user_id"),
            members["group_name"].label("group_name"),
            members["selected_at"].label("selected_at"),
        )
        .where(in_window(members["selected_at"], plan), members["group_name"].in_(GROUPS))
        .subquery("m")
    )


def _per_campaign(
    m: Subquery, touches: Relation | None, conversions: Relation | None, plan: Plan
) -> Select[Any]:
    """The SUMS of each campaign and group; NULL where touches or conversions are absent."""
    source, touched = _touched(m, m, touches, plan)
    source, bought = _bought(source, m, conversions, plan)
    return (
        select(
            m.c.campaign_id,
            m.c.group_name,
            func.count().label("members"),
            *(column.label(name) for name, column in {**touched, **bought}.items()),
        )
        .select_from(source)
        .group_by(m.c.campaign_id, m.c.group_name)
    )


def _touched(
    source: FromClause, m: Subquery, touches: Relation | None, plan: Plan
) -> tuple[FromClause, dict[str, ColumnElement[Any]]]:
    """`source` joined to the memberships' touches, and the sums of reached and responded."""
    if touches is None:  # typed: sum(NULL) needs a type
        return source, {"reached": cast(null(), Integer()), "responded": cast(null(), Integer())}
    touch = _touch_flags(m, touches, plan)
    source = source.outerjoin(
        touch, and_(touch.c.campaign_id == m.c.campaign_id, touch.c.user_id == m.c.user_id)
    )
    return source, {
        "reached": func.sum(flag(touch.c.user_id.is_not(None))),
        "responded": func.sum(func.coalesce(touch.c.responded, 0)),
    }


def _bought(
    source: FromClause, m: Subquery, conversions: Relation | None, plan: Plan
) -> tuple[FromClause, dict[str, ColumnElement[Any]]]:
    """`source` joined to the attributed conversions, and the sums of their columns."""
    if conversions is None:
        return source, {
            "converted": cast(null(), Integer()),
            "orders": cast(null(), Integer()),
            "amount": cast(null(), NUMBER),  # MySQL cannot CAST to DOUBLE
            "priced": cast(null(), Integer()),
            "cycle_seconds": cast(null(), NUMBER),
            "cycle_squares": cast(null(), NUMBER),
        }
    bought = _attributed(m, conversions, plan)
    source = source.outerjoin(
        bought, and_(bought.c.campaign_id == m.c.campaign_id, bought.c.user_id == m.c.user_id)
    )
    first = cast(bought.c.first_seconds, NUMBER)  # squared: past BIGINT for many members
    return source, {
        "converted": func.sum(flag(bought.c.orders.is_not(None))),
        "orders": func.sum(bought.c.orders),
        "amount": func.sum(bought.c.amount),
        "priced": func.sum(bought.c.priced),
        "cycle_seconds": func.sum(bought.c.first_seconds),
        "cycle_squares": func.sum(first * first),
    }


def _touch_flags(m: Subquery, touches: Relation, plan: Plan) -> Subquery:
    """Memberships with a delivered touch (reached), `responded` 1 when one was answered.

    Only the touches of the memberships in the window are grouped, delivered
    and made before as_of, with one aggregate: a membership without any is
    simply absent, which the outer join reads as not reached. An answer at or
    after as_of is not yet one. Every touch grouped first, then joined, made
    a join of two 10M-row sides for 10M users, more than DuckDB's 128MB held.
    """
    answered = touches["responded_at"] < moment("as_of", plan.as_of)
    same = and_(touches["campaign_id"] == m.c.campaign_id, touches["user_id"] == m.c.user_id)
    return (
        select(m.c.campaign_id, m.c.user_id, func.max(flag(answered)).label("responded"))
        .select_from(m.join(touches.table, same))
        .where(touches["status"] == "delivered", known(touches["touched_at"], plan))
        .group_by(m.c.campaign_id, m.c.user_id)
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
            func.count(conversions["amount"]).label("priced"),
            func.min(delay).label("first_seconds"),
        )
        .select_from(m.join(conversions.table, conversions["user_id"] == m.c.user_id))
        .where(
            at >= m.c.selected_at,
            at < moment("as_of", plan.as_of),
            delay <= bindparam("attribution_seconds", plan.attribution_days * 86400, Integer()),
        )
        .group_by(m.c.campaign_id, m.c.user_id)
        .subquery("bought")
    )
