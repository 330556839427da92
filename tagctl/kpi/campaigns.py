"""The campaign KPIs: activation and conversion per tag and campaign group.

One statement: campaign memberships in the window (treatment and control),
each joined to its touches (delivered, responded) and to the conversions
attributed to it (within `attribution_days` of selection, before `as_of`),
summed per campaign and group, then per tag. `CampaignsFound.decode` reads
its rows; `activation` and `conversion` give a tag's KPIs (the q-value of
a conversion is set later, across every tag of the run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, bindparam, cast, func, null, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.kpi import stats
from tagctl.kpi.dialects import NUMBER
from tagctl.kpi.plan import Plan, Row, flag, in_window, known, moment
from tagctl.kpi.relations import Relation, spec_relation
from tagctl.kpi.result import Activation, Conversion, Group
from tagctl.kpi.sqlparts import seconds_between

GROUPS = ("treatment", "control")
# The sums per campaign and group, then per tag and group.
SUMS = ("members", "reached", "responded", "converted", "orders", "amount", "cycle_seconds")


def campaigns(
    campaign_tags: Relation,
    members: Relation,
    touches: Relation | None,
    conversions: Relation | None,
    plan: Plan,
) -> Select[Any]:
    """Per tag and group: memberships, reached, responded, converted, orders, amount, cycle."""
    links = _links(campaign_tags, plan)
    m = _memberships(members, plan)
    per_campaign = _per_campaign(m, touches, conversions, plan)
    pc = per_campaign.c
    return (
        select(
            links.c.tag_name,
            pc.group_name,
            func.count().label("campaigns"),
            *(func.sum(pc[name]).label(name) for name in SUMS),
        )
        .select_from(per_campaign.join(links, links.c.campaign_id == pc.campaign_id))
        .group_by(links.c.tag_name, pc.group_name)
    )


def _links(campaign_tags: Relation, plan: Plan) -> Subquery:
    """(campaign_id, tag_name) of the campaigns of the measured tags."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name",))
    return (
        select(
            campaign_tags["campaign_id"].label("campaign_id"),
            campaign_tags["tag_name"].label("tag_name"),
        )
        .select_from(
            campaign_tags.table.join(spec, spec.c.tag_name == campaign_tags.key("tag_name"))
        )
        .distinct()
        .subquery("links")
    )


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
) -> Subquery:
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
        .subquery("per_campaign")
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
            "cycle_seconds": cast(null(), NUMBER),
        }
    bought = _attributed(m, conversions, plan)
    source = source.outerjoin(
        bought, and_(bought.c.campaign_id == m.c.campaign_id, bought.c.user_id == m.c.user_id)
    )
    return source, {
        "converted": func.sum(flag(bought.c.orders.is_not(None))),
        "orders": func.sum(bought.c.orders),
        "amount": func.sum(bought.c.amount),
        "cycle_seconds": func.sum(bought.c.first_seconds),
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


# -- decoding ----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSums:
    """The sums of one tag's campaign group (zero where the group or a table is absent)."""

    campaigns: int = 0
    members: int = 0
    reached: int = 0
    responded: int = 0
    converted: int = 0
    orders: int = 0
    amount: float = 0.0
    cycle_seconds: float = 0.0

    @classmethod
    def decode(cls, row: Row) -> GroupSums:
        def whole(key: str) -> int:
            value = row.get(key)
            return int(value) if value is not None else 0

        return cls(
            campaigns=whole("campaigns"),
            members=whole("members"),
            reached=whole("reached"),
            responded=whole("responded"),
            converted=whole("converted"),
            orders=whole("orders"),
            amount=float(row.get("amount") or 0.0),
            cycle_seconds=float(row.get("cycle_seconds") or 0.0),
        )


@dataclass(frozen=True)
class CampaignsFound:
    """The campaign groups of every tag, and which KPIs the tables present allow."""

    groups: Mapping[str, Mapping[str, GroupSums]]  # tag -> group name -> sums
    touches: bool  # activation needs the touches table
    conversions: bool  # conversion needs the conversions table

    @classmethod
    def decode(cls, rows: Sequence[Row], touches: bool, conversions: bool) -> CampaignsFound:
        groups: dict[str, dict[str, GroupSums]] = defaultdict(dict)
        for row in rows:
            groups[row["tag_name"]][row["group_name"]] = GroupSums.decode(row)
        return cls(groups, touches, conversions)

    def group(self, name: str, group: str) -> GroupSums:
        return self.groups.get(name, {}).get(group, GroupSums())

    def activation(self, name: str) -> Activation | None:
        """Reach and response of the tag's treatment groups; None without touches."""
        if not self.touches:
            return None
        treatment = self.group(name, "treatment")
        return Activation(
            campaigns=treatment.campaigns,
            members=treatment.members,
            reached=treatment.reached,
            responded=treatment.responded,
            activation_rate=stats.rate(treatment.reached, treatment.members),
            response_rate=stats.rate(treatment.responded, treatment.reached),
        )

    def conversion(self, name: str) -> Conversion | None:
        """Treatment against control; None without conversions. q-value not yet known."""
        if not self.conversions:
            return None
        return _conversion(self.group(name, "treatment"), self.group(name, "control"))


def _conversion(treatment: GroupSums, control: GroupSums) -> Conversion:
    n_t, x_t = treatment.members, treatment.converted
    n_c, x_c = control.members, control.converted
    result = stats.lift(x_t, n_t, x_c, n_c)
    orders = treatment.orders
    return Conversion(
        campaigns=max(treatment.campaigns, control.campaigns),
        treatment=Group(n_t, x_t, stats.rate(x_t, n_t)),
        control=Group(n_c, x_c, stats.rate(x_c, n_c)),
        absolute_lift=result.absolute if result else None,
        relative_lift=result.relative if result else None,
        ci_low=result.ci_low if result else None,
        ci_high=result.ci_high if result else None,
        z=result.z if result else None,
        p_value=result.p_value if result else None,
        q_value=None,
        significant=False,
        orders=orders,
        average_order_value=treatment.amount / orders if orders else None,
        conversion_cycle_days=treatment.cycle_seconds / x_t / 86400 if x_t else None,
    )
