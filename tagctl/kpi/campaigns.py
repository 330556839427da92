"""The campaigns pass: activation and conversion per tag and campaign group.

One statement: campaign memberships in the window (treatment and control),
each joined to its touches (delivered, responded) and to the conversions
attributed to it (within `attribution_days` of selection, before `as_of`),
summed per campaign and group, then per tag.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, bindparam, cast, func, null, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.kpi.queries import Plan, flag, in_window, known, moment
from tagctl.kpi.relations import Relation, spec_relation
from tagctl.kpi.sqlparts import NUMBER, seconds_between

GROUPS = ("treatment", "control")


def campaigns(
    campaign_tags: Relation,
    members: Relation,
    touches: Relation | None,
    conversions: Relation | None,
    plan: Plan,
) -> Select[Any]:
    """Per tag and group: memberships, reached, responded, converted, orders, amount, cycle."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name",))
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
            in_window(members["selected_at"], plan),
            members["group_name"].in_(GROUPS),
            members["campaign_id"].in_(select(links.c.campaign_id)),
        )
        .subquery("m")
    )
    source: FromClause = m
    reached: ColumnElement[Any] = cast(null(), Integer())  # typed: sum(NULL) needs a type
    responded: ColumnElement[Any] = cast(null(), Integer())
    if touches is not None:
        touch = _touch_flags(touches, plan)
        source = source.outerjoin(
            touch, and_(touch.c.campaign_id == m.c.campaign_id, touch.c.user_id == m.c.user_id)
        )
        reached = func.sum(flag(touch.c.user_id.is_not(None)))
        responded = func.sum(func.coalesce(touch.c.responded, 0))
    converted: ColumnElement[Any] = cast(null(), Integer())
    orders: ColumnElement[Any] = cast(null(), Integer())
    amount: ColumnElement[Any] = cast(null(), NUMBER)  # MySQL cannot CAST to DOUBLE
    cycle: ColumnElement[Any] = cast(null(), NUMBER)
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


def _touch_flags(touches: Relation, plan: Plan) -> Subquery:
    """Memberships with a delivered touch (reached), `responded` 1 when one was answered.

    Only delivered touches made before as_of are grouped, with one
    aggregate: a membership without any is simply absent, which the outer
    join reads as not reached. An answer at or after as_of is not yet one.
    """
    answered = touches["responded_at"] < moment("as_of", plan.as_of)
    return (
        select(
            touches["campaign_id"].label("campaign_id"),
            touches["user_id"].label("user_id"),
            func.max(flag(answered)).label("responded"),
        )
        .where(touches["status"] == "delivered", known(touches["touched_at"], plan))
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
            at < moment("as_of", plan.as_of),
            delay <= bindparam("attribution_seconds", plan.attribution_days * 86400, Integer()),
        )
        .group_by(m.c.campaign_id, m.c.user_id)
        .subquery("bought")
    )
