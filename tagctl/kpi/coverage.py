"""The coverage KPIs of the catalog: users of P holding an online tag, a core tag,
every core tag, a tag of each category.

Long layout: `coverage`, one GROUP BY user and then one row of counts
(`coverage_totals`). Wide layout: `wide_totals`, the same counts as columns
of the wide statement. `CoverageCounts.decode` reads either row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, distinct, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.catalog.tags import Tag
from tagctl.kpi.plan import Plan, Row, flag, known
from tagctl.kpi.population import Members
from tagctl.kpi.relations import FlagLayout, Relation, spec_relation
from tagctl.kpi.sqlparts import all_bits, bits_or, has_bit
from tagctl.kpi.values import holds

ANY_ONLINE, CORE_ANY, CORE_ALL = "any_online", "core_any", "core_all"


def category(i: int) -> str:
    """The label of the count of users holding a tag of category number i."""
    return f"category_{i}"


def coverage(tag_values: Relation, members: Members, plan: Plan) -> Select[Any]:
    """Users of P holding an online tag, a core tag, every core tag, a tag of each category.

    One GROUP BY user, then one row of counts. |P| is `population_size`,
    its own statement: beside this aggregate, DuckDB shares its memory
    limit between both, and the per-user table of a million users spilled.
    """
    needed = ("tag_name", "online", "core", "boolean", "bits" if plan.bits else "category")
    spec = spec_relation(plan.tags, plan.row_values, plan.categories, needed)
    user = tag_values["user_id"]
    per_user = (
        select(user.label("user_id"), *_user_flags(tag_values, spec, plan))
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values.key("tag_name")))
        .where(
            spec.c.online == 1,
            holds(tag_values["tag_value"], spec),
            known(tag_values["updated_at"], plan),
        )
        .group_by(user)
    )
    in_population = members.member(user)
    if in_population is not None:
        per_user = per_user.where(in_population)
    return coverage_totals(per_user.subquery("per_user"), plan)


def _user_flags(tag_values: Relation, spec: FromClause, plan: Plan) -> list[ColumnElement[Any]]:
    """Per user, which categories and core tags they hold.

    With a bitwise-OR aggregate these are the words of `FlagLayout`. A
    user-level GROUP BY keeps every aggregate's state for each of millions
    of users, and one 32-bit word is the smallest state there is: with a
    second aggregate beside it, DuckDB needed twice the memory for 1M users.
    Elsewhere: the number of core tags held and one max() per category.
    """
    if plan.bits:
        words = range(FlagLayout.of(plan.tags, plan.categories).words)
        return [bits_or(spec.c[f"bits_{w}"]).label(f"bits_{w}") for w in words]
    core = (
        func.count(case((spec.c.core == 1, 1)))  # a count, not a sum: no wide integer sums
        if plan.unique
        else func.count(distinct(case((spec.c.core == 1, tag_values["tag_name"]))))
    )
    return [
        core.label("core_tags"),
        *(
            func.max(flag(spec.c.category == bindparam(category(i), i))).label(category(i))
            for i in range(len(plan.categories))
        ),
    ]


def _word_test(
    per_user: Subquery, name: str, masks: Sequence[int], every: bool
) -> ColumnElement[bool]:
    """Some (or, `every`, all) of the bits of `masks` are set in the user's words."""
    tests = [
        has_bit(per_user.c[f"bits_{w}"], bindparam(f"{name}_{w}", mask, Integer()))
        if not every
        else all_bits(per_user.c[f"bits_{w}"], bindparam(f"{name}_{w}", mask, Integer()))
        for w, mask in enumerate(masks)
        if mask
    ]
    return and_(*tests) if every else or_(*tests)


def coverage_totals(per_user: Subquery, plan: Plan) -> Select[Any]:
    """One row: users with an online / core / category tag.

    `per_user` has one row per user of P holding an online tag, with the
    flags of `_user_flags`.
    """
    core_any, core_all = _core_totals(per_user, plan)
    return select(
        func.count(per_user.c.user_id).label(ANY_ONLINE),
        core_any.label(CORE_ANY),
        core_all.label(CORE_ALL),
        *(count.label(category(i)) for i, count in enumerate(_category_totals(per_user, plan))),
    )


def _core_totals(per_user: Subquery, plan: Plan) -> tuple[ColumnElement[Any], ...]:
    """Users holding some core tag, and users holding every one."""
    layout = FlagLayout.of(plan.tags, plan.categories)
    if not layout.core:
        return literal(0), literal(0)
    if plan.bits:
        masks = layout.core_masks()
        return (
            func.sum(flag(_word_test(per_user, "core_any", masks, every=False))),
            func.sum(flag(_word_test(per_user, "core_all", masks, every=True))),
        )
    total: ColumnElement[int] = bindparam("core_total", len(layout.core))
    return func.sum(flag(per_user.c.core_tags > 0)), func.sum(flag(per_user.c.core_tags >= total))


def _category_totals(per_user: Subquery, plan: Plan) -> list[ColumnElement[Any]]:
    """Per category, the users holding one of its online tags."""
    if not plan.bits:
        return [func.sum(per_user.c[category(i)]) for i in range(len(plan.categories))]
    layout = FlagLayout.of(plan.tags, plan.categories)
    totals: list[ColumnElement[Any]] = []
    for i in range(len(plan.categories)):
        word, mask = layout.category_bit(i)
        bit = bindparam(category(i), mask, Integer())
        totals.append(func.sum(flag(has_bit(per_user.c[f"bits_{word}"], bit))))
    return totals


def wide_totals(plan: Plan, held: Mapping[str, ColumnElement[bool]]) -> list[Any]:
    """The counts of `coverage_totals` as columns of the wide statement.

    `held` maps each tag with a column to the condition that a user holds it;
    a core tag without a column is held by nobody.
    """
    online = [tag for tag in plan.tags if tag.status == "online" and tag.name in held]

    def any_of(tags: Sequence[Tag]) -> ColumnElement[int]:
        return func.sum(flag(or_(*(held[t.name] for t in tags)))) if tags else literal(0)

    core = [tag for tag in online if tag.core]
    every_core_column = all(t.name in held for t in plan.tags if t.core and t.status == "online")
    core_all: ColumnElement[Any] = literal(0)
    if core and every_core_column:
        core_all = func.sum(flag(and_(*(held[t.name] for t in core))))
    items = [
        any_of(online).label(ANY_ONLINE),
        any_of(core).label(CORE_ANY),
        core_all.label(CORE_ALL),
    ]
    for i, key in enumerate(plan.categories):
        items.append(any_of([t for t in online if t.category == key]).label(category(i)))
    return items


@dataclass(frozen=True)
class CoverageCounts:
    """Users of P with an online tag, a core tag, every core tag, a tag of each category."""

    any_online: int
    core_any: int
    core_all: int
    categories: tuple[int, ...]  # in the order of `plan.categories`

    @classmethod
    def decode(cls, row: Row, plan: Plan) -> CoverageCounts:
        """The counts of a `coverage_totals` or wide row; a missing count is 0."""

        def count(name: str) -> int:
            return int(row.get(name) or 0)

        return cls(
            count(ANY_ONLINE),
            count(CORE_ANY),
            count(CORE_ALL),
            tuple(count(category(i)) for i in range(len(plan.categories))),
        )
