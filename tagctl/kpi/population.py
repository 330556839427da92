"""The population P of a run, the base of every rate: who is in it, who converted.

`population` is P as a subquery (user_id, converted) for the statements
that join it (`population_size`, the wide layout); `members` tests a tag
row's user for the statements that only need two bits of it. The decoder
`decode_population` turns the size row into the run's `Population`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import cast, func, literal, null, select, true
from sqlalchemy.sql import ColumnElement, Select, Subquery

from tagctl.kpi.dialects import NUMBER
from tagctl.kpi.plan import Plan, Row, flag, in_window
from tagctl.kpi.relations import Relation
from tagctl.kpi.result import Population
from tagctl.kpi.stats import rate


def buyers(conversions: Relation, plan: Plan) -> Subquery:
    """Per user with a conversion in the window: orders, amount, orders with an amount."""
    return (
        select(
            conversions["user_id"].label("user_id"),
            func.count().label("orders"),
            func.sum(conversions["amount"]).label("amount"),
            func.count(conversions["amount"]).label("priced"),
        )
        .where(in_window(conversions["converted_at"], plan))
        .group_by(conversions["user_id"])
        .subquery("buyers")
    )


def population(users: Relation, conversions: Relation | None, plan: Plan) -> Subquery:
    """P: (user_id, converted, orders, amount, priced), from a conversion in the window."""
    if conversions is None:
        zero = literal(0)
        query = select(
            users["user_id"].label("user_id"),
            zero.label("converted"),
            zero.label("orders"),
            cast(null(), NUMBER).label("amount"),
            zero.label("priced"),
        )
    else:
        bought = buyers(conversions, plan)
        query = select(
            users["user_id"].label("user_id"),
            flag(bought.c.user_id.is_not(None)).label("converted"),
            func.coalesce(bought.c.orders, 0).label("orders"),
            bought.c.amount.label("amount"),
            func.coalesce(bought.c.priced, 0).label("priced"),
        ).select_from(users.table.outerjoin(bought, bought.c.user_id == users["user_id"]))
    if plan.active_only:
        query = query.where(users["is_active"] == true())
    return query.subquery("pop")


@dataclass(frozen=True)
class Members:
    """Who is in P and who converted, as tests on the user column of a tag row.

    The coverage, values and holders passes read every tag row but need only
    two bits of its user: in P, converted. Both are `IN (subquery)` lookups, not a
    join with P: the window's buyers are a small set (a hash probe per row,
    no spilling), and P itself is left out entirely when the config declares
    that every tag_values user is a users row and P is everybody. A join
    with the whole population (millions of rows) made PostgreSQL split every
    tag row into on-disk batches at default memory settings.
    """

    users: Select[Any] | None  # P's user ids; None when every tag row's user is in P
    buyers: Select[Any] | None  # users with a conversion in the window; None without conversions
    orders: Subquery | None = None  # `buyers()`: their orders, to join; None without conversions

    def member(self, user: ColumnElement[Any]) -> ColumnElement[bool] | None:
        return None if self.users is None else user.in_(self.users)

    def converted(self, user: ColumnElement[Any]) -> ColumnElement[bool]:
        return user.in_(self.buyers) if self.buyers is not None else literal(1) == literal(0)


def members(users: Relation, conversions: Relation | None, plan: Plan) -> Members:
    """`Members` of this run: P's user ids unless `known_users` covers them, and the buyers."""
    everyone: Select[Any] | None = None
    if plan.active_only or not plan.known_users:
        everyone = select(users["user_id"])
        if plan.active_only:
            everyone = everyone.where(users["is_active"] == true())
    if conversions is None:
        return Members(everyone, None)
    bought = select(conversions["user_id"]).where(in_window(conversions["converted_at"], plan))
    return Members(everyone, bought, buyers(conversions, plan))


def size_columns(pop: Subquery) -> list[ColumnElement[Any]]:
    """|P|, its users with a conversion in the window and their orders, as aggregates."""
    return [
        func.count().label("population"),
        func.coalesce(func.sum(pop.c.converted), 0).label("converters"),
        *order_columns(pop.c.orders, pop.c.amount, pop.c.priced, "p_"),
    ]


def order_columns(
    orders: ColumnElement[Any], amount: ColumnElement[Any], priced: ColumnElement[Any], prefix: str
) -> list[ColumnElement[Any]]:
    """Sums of one user's orders: orders, amount, priced orders, and users with two or more."""
    return [
        func.sum(orders).label(f"{prefix}orders"),
        func.sum(amount).label(f"{prefix}amount"),
        func.sum(priced).label(f"{prefix}priced"),
        func.sum(flag(orders >= 2)).label(f"{prefix}repeaters"),
    ]


def population_size(pop: Subquery) -> Select[Any]:
    """One row: |P| and the users of P with a conversion in the window."""
    return select(*size_columns(pop))


@dataclass(frozen=True)
class Orders:
    """The conversions in the window of a set of users: orders, amount, and who bought again."""

    converted: int = 0  # users with one or more
    orders: int = 0
    amount: float = 0.0
    priced: int = 0  # orders with an amount
    repeaters: int = 0  # users with two or more

    @classmethod
    def decode(cls, row: Row, converted: int, prefix: str) -> Orders:
        amount = row.get(f"{prefix}amount")
        return cls(
            converted=converted,
            orders=int(row.get(f"{prefix}orders") or 0),
            amount=float(amount) if amount is not None else 0.0,
            priced=int(row.get(f"{prefix}priced") or 0),
            repeaters=int(row.get(f"{prefix}repeaters") or 0),
        )

    def __add__(self, other: Orders) -> Orders:
        return Orders(
            self.converted + other.converted,
            self.orders + other.orders,
            self.amount + other.amount,
            self.priced + other.priced,
            self.repeaters + other.repeaters,
        )

    @property
    def average_order_value(self) -> float | None:
        return self.amount / self.priced if self.priced else None

    @property
    def repeat_rate(self) -> float | None:
        return rate(self.repeaters, self.converted)


def decode_population(row: Row, plan: Plan, conversions: bool) -> Population:
    """The run's population from a row with `size_columns` (converted: None without conversions)."""
    size = int(row["population"] or 0)
    converters = int(row["converters"] or 0) if conversions else None
    return Population(
        size=size,
        definition="active" if plan.active_only else "all",
        converted=converters,
        conversion_rate=rate(converters, size),
    )
