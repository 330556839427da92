"""Sales driven by tags: the conversions tag strategies claim, and the users they cover.

A conversion in the window by a user of P is tag-driven when it falls
within the attribution days of a treatment membership, selected in the
window, of a tag-linked campaign (one with a row in campaign_tags). Several
memberships may claim one conversion; it counts once. Claims depend only
on the user and the moment, so conversions are first summed per (user,
moment), each such moment claimed or not as a whole, and equal rows are
never merged (tables of conversions rarely have a key).

Two statements, both on the campaign side: `driven` (the window's
conversions, and those claimed) and `covered` (the distinct users of the
treatment groups). Their work grows with conversions and memberships, not
with users or tag rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, func, select, true
from sqlalchemy.sql import Select, Subquery

from tagctl.kpi.plan import Plan, Row, in_window
from tagctl.kpi.relations import Relation
from tagctl.kpi.result import Roi, TagDriven
from tagctl.kpi.sqlparts import seconds_between
from tagctl.kpi.stats import rate


def driven(
    campaign_tags: Relation,
    members: Relation,
    conversions: Relation,
    users: Relation,
    plan: Plan,
) -> Select[Any]:
    """One row: every conversion of the window and its amount, and those tag-driven."""
    moments = _moments(conversions, users, plan)
    claimed = _claimed(moments, _treated(campaign_tags, members, users, plan), plan)
    mine = and_(claimed.c.user_id == moments.c.user_id, claimed.c.at == moments.c.at)
    is_claimed = claimed.c.user_id.is_not(None)
    return select(
        func.sum(moments.c.conversions).label("total_conversions"),
        func.sum(moments.c.amount).label("total_amount"),
        func.sum(case((is_claimed, moments.c.conversions))).label("conversions"),
        func.sum(case((is_claimed, moments.c.amount))).label("amount"),
    ).select_from(moments.outerjoin(claimed, mine))


def covered(campaign_tags: Relation, members: Relation, users: Relation, plan: Plan) -> Select[Any]:
    """One row: the distinct users of P in a treatment group of a tag-linked campaign."""
    treated = _treated(campaign_tags, members, users, plan)
    users_treated = select(treated.c.user_id).distinct().subquery("covered_users")
    return select(func.count().label("covered")).select_from(users_treated)


def _population(users: Relation, plan: Plan) -> Subquery:
    """P's user ids, to join with: a users row is one user, so a join keeps every row once.

    Joined rather than tested with IN: the engine then builds its hash table
    on the smaller side, the window's conversions or memberships.
    """
    query = select(users["user_id"].label("user_id"))
    if plan.active_only:
        query = query.where(users["is_active"] == true())
    return query.subquery("people")


def _moments(conversions: Relation, users: Relation, plan: Plan) -> Subquery:
    """The window's conversions by users of P, summed per user and moment."""
    user, at = conversions["user_id"], conversions["converted_at"]
    people = _population(users, plan)
    return (
        select(
            user.label("user_id"),
            at.label("at"),
            func.count().label("conversions"),
            func.sum(conversions["amount"]).label("amount"),
        )
        .select_from(conversions.table.join(people, people.c.user_id == user))
        .where(in_window(at, plan))
        .group_by(user, at)
        .subquery("moments")
    )


def _treated(campaign_tags: Relation, members: Relation, users: Relation, plan: Plan) -> Subquery:
    """Treatment memberships selected in the window, of campaigns with a tag: (user, selected)."""
    linked = select(campaign_tags["campaign_id"])
    user = members["user_id"]
    people = _population(users, plan)
    return (
        select(user.label("user_id"), members["selected_at"].label("selected_at"))
        .select_from(members.table.join(people, people.c.user_id == user))
        .where(
            in_window(members["selected_at"], plan),
            members["group_name"] == "treatment",
            members["campaign_id"].in_(linked),
        )
        .distinct()
        .subquery("treated")
    )


def _claimed(moments: Subquery, treated: Subquery, plan: Plan) -> Subquery:
    """The (user, moment) pairs within the attribution days of one of the user's selections."""
    at, selected = moments.c.at, treated.c.selected_at
    delay = seconds_between(selected, at)
    return (
        select(moments.c.user_id, at.label("at"))
        .select_from(moments.join(treated, treated.c.user_id == moments.c.user_id))
        .where(
            at >= selected,
            delay <= bindparam("attribution_seconds", plan.attribution_days * 86400, Integer()),
        )
        .distinct()
        .subquery("claimed")
    )


def decode_tag_driven(
    driven_rows: Sequence[Row], covered_rows: Sequence[Row], population: int, roi: Roi | None
) -> TagDriven:
    """The catalog's tag-driven figures from the two statements' rows."""
    row, users = driven_rows[0], int(covered_rows[0]["covered"] or 0)
    total = int(row["total_conversions"] or 0)
    total_amount = float(row["total_amount"] or 0.0)
    claimed = int(row["conversions"] or 0)
    amount = float(row["amount"] or 0.0)
    return TagDriven(
        conversions=claimed,
        amount=amount,
        total_conversions=total,
        total_amount=total_amount,
        conversion_share=rate(claimed, total),
        amount_share=amount / total_amount if total_amount > 0 else None,
        covered_users=users,
        covered_share=rate(users, population),
        roi=roi,
    )
