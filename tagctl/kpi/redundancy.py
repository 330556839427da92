"""Redundant tags, found from the data: pairs of holder sets that are one audience.

A holder set is the users of P who hold a measured tag, or one declared
value of an enum tag. Every figure reported is exact; the search for the
pairs worth computing is what the sample is for. Two statements, however
many tags:

1. `candidates`: each set's holders are sampled by a hash of the user id
   (about `SAMPLE` users a set; all of a smaller set), and the sample is
   joined with every holder row. For each pair it counts the sampled users
   of a who hold b: an estimate of a's containment in b that is unbiased
   whatever the two sizes, so a small tag inside a large one is found (its
   Jaccard would be too small for signatures alone to see). Pairs whose
   estimate reaches `floor_share` (0.74 with the default settings) come back;
   of those, a pair is a candidate when the rules could hold within `Z` (6)
   standard errors of the estimate (none when all of a was sampled): a
   containment near `containment` and the margin over b's coverage, or a
   containment near `jaccard` with sizes within that ratio
   (a Jaccard of j needs both). A reportable pair's estimate falls outside
   those bounds with a probability under 1e-9, so none is missed, while
   a near-universal tag, which holds most of every other, is not counted.
2. `exact`: the intersection of each candidate pair, and each candidate
   set's own size, counted over the holder rows (a further statement per
   `PAIRS_PER_STATEMENT` candidate pairs).

The rules that judge the counted pairs, and which tag should go, are in
`tagctl.kpi.redundancy_rules`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Double, and_, bindparam, case, func, or_, select
from sqlalchemy.sql import FromClause, Select

from tagctl.kpi.dialects import FLAG, HASH_RANGE, TEXT, USER_HASH
from tagctl.kpi.plan import Plan, Row, known
from tagctl.kpi.population import Members
from tagctl.kpi.relations import Relation, constant_table
from tagctl.kpi.settings import RedundancySettings
from tagctl.kpi.sqlparts import user_hash
from tagctl.kpi.values import TagValues, holds

SAMPLE = 256  # sampled holders per set
Z = 6.0  # standard errors of the estimate that the candidate bounds allow
# Aggregate columns of one exact statement stay under SQLite's 2,000 terms: more
# candidate pairs than this (a catalog of many look-alikes) take more statements.
PAIRS_PER_STATEMENT = 600
SIZE_SLACK = 0.02  # the values pass's sizes may differ a little from the exact holder counts


@dataclass(frozen=True)
class HolderSet:
    """A tag's holders (`value` None), or the holders of one value of an enum tag."""

    id: int
    tag: str
    value: str | None


def holder_sets(plan: Plan) -> list[HolderSet]:
    """The sets of a run: every measured tag, and every declared value of an enum tag."""
    sets: list[HolderSet] = []
    for tag in plan.tags:
        sets.append(HolderSet(len(sets), tag.name, None))
        if tag.value_type == "enum":
            sets += [HolderSet(len(sets) + i, tag.name, v.value) for i, v in enumerate(tag.values)]
    return sets


def sizes(sets: Sequence[HolderSet], found: Mapping[str, TagValues]) -> dict[int, int]:
    """Each set's holders as the values pass counted them: what the sample rates go by."""
    result = {}
    for held in sets:
        tag = found.get(held.tag)
        if tag is not None:
            result[held.id] = tag.holders if held.value is None else tag.buckets.get(held.value, 0)
    return result


def supported(dialect: str) -> bool:
    """Whether the engine has a hash function for the sample (`dialects.USER_HASH`)."""
    return dialect in USER_HASH


def thresholds(sets: Sequence[HolderSet], sizes: Mapping[int, int]) -> dict[int, int]:
    """The hash under which a set's holders are sampled: about SAMPLE of them, or all."""
    result = {}
    for held in sets:
        size = sizes.get(held.id, 0)
        if size > 0:
            share = min(1.0, SAMPLE / size)
            result[held.id] = min(HASH_RANGE - 1, math.ceil(share * HASH_RANGE) - 1)
    return result


def _holder_rows(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    limits: Mapping[int, int],
) -> FromClause:
    """(set_id, user_id, threshold) for every holder of every set in `limits`, once each."""
    booleans = {tag.name for tag in plan.tags if tag.value_type == "boolean"}
    rows = [
        (s.id, s.tag, s.value, int(s.tag in booleans), limits[s.id]) for s in sets if s.id in limits
    ]
    kinds = [("set_id", FLAG), ("tag_name", TEXT), ("value", TEXT), ("boolean", FLAG)]
    spec = constant_table("holder_sets", [*kinds, ("threshold", FLAG)], rows, plan.row_values)
    value, user = tag_values["tag_value"], tag_values["user_id"]
    whole = and_(spec.c.value.is_(None), holds(value, spec))
    query = (
        select(spec.c.set_id, user.label("user_id"), spec.c.threshold)
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values["tag_name"]))
        .where(or_(whole, value == spec.c.value), known(tag_values["updated_at"], plan))
    )
    in_population = members.member(user)
    if in_population is not None:
        query = query.where(in_population)
    if not plan.unique:
        query = query.distinct()
    return query.cte("held")


def floor_share(settings: RedundancySettings) -> float:
    """The sampled share under which no pair can be reportable, whatever its sample size.

    The lower of the two rules' containments, less Z standard errors of a
    sample of half SAMPLE (a larger set's sample is never that small).
    """
    bound = min(settings.jaccard, settings.containment)
    return max(0.0, bound - Z * math.sqrt(bound * (1 - bound) / (SAMPLE / 2)))


def candidates(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    limits: Mapping[int, int],
    share: float = 0.0,
) -> Select[Any]:
    """Per pair (a, b): a's sampled holders, and how many of them hold b; only likely pairs."""
    held = _holder_rows(tag_values, members, plan, sets, limits)
    sampled = (
        select(
            held.c.set_id,
            held.c.user_id,
            func.count().over(partition_by=held.c.set_id).label("sampled"),
        )
        .where(user_hash(held.c.user_id) <= held.c.threshold)
        .subquery("sampled")
    )
    other = held.alias("other")
    shared = func.count()
    return (
        select(
            sampled.c.set_id.label("a"),
            other.c.set_id.label("b"),
            sampled.c.sampled,
            shared.label("shared"),
        )
        .select_from(sampled.join(other, other.c.user_id == sampled.c.user_id))
        .where(sampled.c.set_id != other.c.set_id)
        .group_by(sampled.c.set_id, other.c.set_id, sampled.c.sampled)
        .having(shared >= sampled.c.sampled * bindparam("share", share, type_=Double()))
    )


def exact_counts(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    pairs: Sequence[tuple[int, int]],
) -> Select[Any]:
    """One row: each set's holders (`n_<a>`) and each pair's users in both (`p_<a>_<b>`).

    A flag per set and user (one GROUP BY user over the sets' holder rows),
    then sums: no join, so no engine can pick a slow join order from a
    wrong estimate (PostgreSQL without statistics chose a nested loop).
    """
    wanted = sorted(members_of(pairs))
    held = _holder_rows(tag_values, members, plan, sets, dict.fromkeys(wanted, HASH_RANGE - 1))
    flags = [func.max(case((held.c.set_id == k, 1), else_=0)).label(f"h_{k}") for k in wanted]
    per_user = select(*flags).group_by(held.c.user_id).subquery("per_user")
    column = per_user.c
    sizes = [func.sum(column[f"h_{k}"]).label(f"n_{k}") for k in wanted]
    both = [func.sum(column[f"h_{a}"] * column[f"h_{b}"]).label(f"p_{a}_{b}") for a, b in pairs]
    return select(*sizes, *both)


def exact_rows(row: Row, pairs: Sequence[tuple[int, int]]) -> list[dict[str, int]]:
    """The row of `exact_counts` as (a, b, shared) rows; (a, a) gives a's holders."""
    sizes = [{"a": k, "b": k, "shared": int(row[f"n_{k}"] or 0)} for k in members_of(pairs)]
    return sizes + [{"a": a, "b": b, "shared": int(row[f"p_{a}_{b}"] or 0)} for a, b in pairs]


# -- decoding ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """What the candidate filter knows before counting: each set's holders, and |P|."""

    holders: Mapping[int, int]
    population: int


def candidate_pairs(
    rows: Sequence[Row],
    sets: Sequence[HolderSet],
    sizes: Sizes | None = None,
    settings: RedundancySettings | None = None,
) -> list[tuple[int, int]]:
    """The pairs to count exactly, each once (a < b), sets of one tag left out.

    With `sizes` and `settings`, only the pairs that could meet the rules
    given the estimate's error (`_could_be`); without, every row's pair.
    """
    tag = {s.id: s.tag for s in sets}
    found = set()
    for row in rows:
        a, b = int(row["a"]), int(row["b"])
        if tag.get(a) is None or tag.get(b) is None or tag[a] == tag[b]:
            continue
        share = int(row["shared"]) / max(1, int(row["sampled"]))
        if sizes is None or settings is None or _could_be(a, b, share, row, sizes, settings):
            found.add((min(a, b), max(a, b)))
    return sorted(found)


def _could_be(a: int, b: int, share: float, row: Row, sizes: Sizes, s: RedundancySettings) -> bool:
    """Whether a pair whose sampled containment of a in b is `share` may be reportable.

    Each bound is loosened by Z standard errors of the estimate at that bound.
    Duplicates need a Jaccard of s.jaccard, hence a containment at least that
    and sizes within that ratio; a inside b needs the containment and the
    margin over b's coverage.
    """
    n, size_a, size_b = max(1, int(row["sampled"])), sizes.holders[a], sizes.holders[b]
    whole = n >= size_a * (1 - SIZE_SLACK)  # all of a was sampled: the share is exact

    def low(bound: float) -> float:
        return bound - (0.0 if whole else Z * math.sqrt(bound * (1 - bound) / n)) - 1e-9

    ratio = min(size_a, size_b) / max(size_a, size_b, 1)
    if share >= low(s.jaccard) and ratio >= s.jaccard * (1 - SIZE_SLACK):
        return True
    coverage = size_b / sizes.population if sizes.population else 1.0
    return (
        share >= low(s.containment)
        and share - coverage >= s.margin - (s.containment - low(s.containment))
        and size_a >= s.min_holders * (1 - SIZE_SLACK)
    )


def members_of(pairs: Sequence[tuple[int, int]]) -> set[int]:
    """The sets that appear in `pairs`."""
    return {n for pair in pairs for n in pair}
