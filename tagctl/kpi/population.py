"""The population P of a run, the base of every rate: who is in it, who converted.

`population` is P as a subquery (user_id, converted) for the statements
that join it (`population_size`, the wide layout); `members` tests a tag
row's user for the statements that only need two bits of it. The decoder
`decode_population` turns the size row into the run's `Population`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select, true
from sqlalchemy.sql import ColumnElement, Select, Subquery

from tagctl.kpi.plan import Plan, Row, flag, in_window
from tagctl.kpi.relations import Relation
from tagctl.kpi.result import Population
from tagctl.kpi.stats import rate


def population(users: Relation, conversions: Relation | None, plan: Plan) -> Subquery:
    """P: (user_id, converted), converted = a conversion in the window."""
    converted: ColumnElement[int]
    if conversions is None:
        query = select(users["user_id"].label("user_id"), literal(0).label("converted"))
    else:
        buyers = (
            select(conversions["user_id"].label("user_id"))
            .where(in_window(conversions["converted_at"], plan))
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
    buyers = None
    if conversions is not None:
        buyers = select(conversions["user_id"]).where(in_window(conversions["converted_at"], plan))
    return Members(everyone, buyers)


def size_columns(pop: Subquery) -> list[ColumnElement[Any]]:
    """|P| and the users of P with a conversion in the window, as aggregates over `pop`."""
    return [
        func.count().label("population"),
        func.coalesce(func.sum(pop.c.converted), 0).label("converters"),
    ]


def population_size(pop: Subquery) -> Select[Any]:
    """One row: |P| and the users of P with a conversion in the window."""
    return select(*size_columns(pop))


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
