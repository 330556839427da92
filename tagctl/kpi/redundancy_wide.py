"""Redundant tags on the wide layout: the two statements of `redundancy`, one row per user.

A user's row holds every tag, so no join is needed to know which sets a user
is in: each set is a condition on its tag's column (`wide.held`,
`wide.value_holders`), the same conditions the wide statement counts.

1. `candidates` reads the table once for the users sampled for some set,
   with their sets as the bits of a few integers, and joins them with a
   small table of each set's bit and hash threshold: that gives both sides,
   joined on the user and grouped like the long layout's
   (`redundancy.pair_counts`).
2. `exact_counts` is one scan with a sum per candidate set and pair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.expression import CTE

from tagctl.kpi.dialects import BITS, FLAG
from tagctl.kpi.plan import Plan, flag
from tagctl.kpi.population import Members
from tagctl.kpi.redundancy import HolderSet, members_of, pair_counts
from tagctl.kpi.relations import Relation, constant, constant_table, divmod_bit
from tagctl.kpi.sqlparts import has_bit, user_hash
from tagctl.kpi.wide import held, value_holders


def conditions(
    plan: Plan, columns: Mapping[str, ColumnElement[Any]], sets: Sequence[HolderSet]
) -> dict[int, ColumnElement[bool]]:
    """Per set whose tag has a column: a row's user holds it."""
    tags = {tag.name: tag for tag in plan.tags}
    found: dict[int, ColumnElement[bool]] = {}
    for s in sets:
        text = columns.get(s.tag)
        if text is None:
            continue
        tag = tags[s.tag]
        test = held(tag, text) if s.value is None else value_holders(tag, text).get(s.value)
        if test is not None:
            found[s.id] = test
    return found


def candidates(
    texts: Relation,
    columns: Mapping[str, ColumnElement[Any]],
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    limits: Mapping[int, int],
    share: float = 0.0,
) -> Select[Any]:
    """`redundancy.candidates` over the wide table: `texts` and its `columns` are
    `wide.texts`'s.

    The users sampled for some set (`_sampled_users`), joined with a small
    table of each set's word, bit and hash threshold, are both sides:
    (set, user) for each set a user is sampled for, and for each set a
    user holds.

    Other shapes were slower. A UNION with a branch per set made DuckDB keep
    a hash-join buffer per branch (past a gigabyte for 20,000 users); a
    branch per word of bits made Spark, which computes a common table again
    for each reader, scan the table once per branch, until its heap ran out.
    """
    tests = conditions(plan, columns, sets)
    chosen = [s.id for s in sets if s.id in limits and s.id in tests]
    bits = [_SetBit(k, *divmod_bit(i), limits[k]) for i, k in enumerate(chosen)]
    sampled = _sampled_users(texts, members, tests, bits)
    table = constant_table("wide_sets", _SPEC, [(*b, 0) for b in bits], plan.row_values)
    users, spec = sampled.c, table.c
    # Every sampled user with every set: an equality on a constant, which every engine joins.
    joined = sampled.join(table, spec.anyone == users.anyone)
    words = sorted({b.word for b in bits})
    word = (
        case({w: users[f"held_{w}"] for w in words}, value=spec.word)
        if len(words) > 1
        else users[f"held_{words[0]}"]
    )
    holds = has_bit(word, spec.mask)
    count = func.count().over(partition_by=spec.set_id).label("sampled")
    sample = select(spec.set_id, users.user_id, count).select_from(joined)
    sample = sample.where(holds, users.user_hash <= spec.threshold)
    other = select(spec.set_id, users.user_id).select_from(joined).where(holds)
    return pair_counts(sample.subquery("sample"), other.subquery("held"), share)


class _SetBit(NamedTuple):
    set_id: int
    word: int
    mask: int
    threshold: int


_SPEC = [("set_id", FLAG), ("word", FLAG), ("mask", BITS), ("threshold", FLAG), ("anyone", FLAG)]


def _sampled_users(
    texts: Relation,
    members: Members,
    tests: Mapping[int, ColumnElement[bool]],
    bits: Sequence[_SetBit],
) -> CTE:
    """One scan: the users sampled for some set, with their hash and their sets as the
    bits of a few integers (`held_<word>`).

    Each test is written twice, in its bit and in the filter, and the hash
    is computed only for a set the user holds. Bits of the sampled sets
    computed from the held bits in an outer SELECT were merged into one
    expression by PostgreSQL, SQLite and MariaDB, repeating every test
    once per set: 17 s for 10,000 users. Grouped by user (a row each
    already), the table is computed before the join, where MariaDB merged
    it into the join's condition.
    """
    user = texts["user_id"]
    words = sorted({b.word for b in bits})
    held = [_word([(tests[b.set_id], b.mask) for b in bits if b.word == w]) for w in words]
    sampled = [and_(tests[b.set_id], user_hash(user) <= constant(b.threshold, FLAG)) for b in bits]
    users = select(
        user.label("user_id"),
        func.max(user_hash(user)).label("user_hash"),
        constant(0, FLAG).label("anyone"),
        *(func.max(bits_of).label(f"held_{w}") for w, bits_of in zip(words, held, strict=True)),
    )
    users = users.select_from(texts.table).where(or_(*sampled)).group_by(user)
    in_population = members.member(user)
    if in_population is not None:
        users = users.where(in_population)
    return users.cte("sampled_users")


def _word(terms: Sequence[tuple[ColumnElement[bool], int]]) -> ColumnElement[Any]:
    """An integer whose bit `mask` is set where its test holds, for each (test, mask)."""
    total: ColumnElement[Any] | None = None
    for test, mask in terms:
        bit = case((test, constant(mask, BITS)), else_=constant(0, BITS))
        total = bit if total is None else total + bit
    assert total is not None
    return total


def exact_counts(
    texts: Relation,
    columns: Mapping[str, ColumnElement[Any]],
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    pairs: Sequence[tuple[int, int]],
) -> Select[Any]:
    """`redundancy.exact_counts` over the wide table: one scan, a sum per set and pair."""
    tests = conditions(plan, columns, sets)
    sums: list[ColumnElement[Any]] = [
        func.sum(flag(tests[k])).label(f"n_{k}") for k in sorted(members_of(pairs))
    ]
    sums += [func.sum(flag(and_(tests[a], tests[b]))).label(f"p_{a}_{b}") for a, b in pairs]
    query: Select[Any] = select(*sums).select_from(texts.table)
    in_population = members.member(texts["user_id"])
    return query if in_population is None else query.where(in_population)
