"""Redundant tags, found from the data: pairs of holder sets that are one audience.

A holder set is the users of P who hold a measured tag, or one declared
value of an enum tag. Every figure reported is exact; the search for the
pairs worth computing is what the sample is for. Two statements, however
many tags:

1. `candidates`: each set's holders are sampled by a hash of the user id
   (`redundancy_search.sample_size` of them: 256, more for a set that
   covers most of P, all of a small one), and the sample is joined with
   every holder row. For each pair it counts the sampled users of a who
   hold b: an estimate of a's containment in b that is unbiased whatever
   the two sizes, so a small tag inside a large one is found (its Jaccard
   would be too small for signatures alone to see). Which pairs go on is
   `redundancy_search.candidate_pairs`: those whose estimate the rules'
   figures could still give, with a chance under 1e-9 of dropping one.
2. `exact`: the intersection of each candidate pair, and each candidate
   set's own size, counted over the holder rows (a further statement per
   `PAIRS_PER_STATEMENT` candidate pairs).

The holder rows are two joins, not one: a tag's rows with the whole tags
(on the tag's name) and with the enum values (on name and value); one join
with an OR between the two conditions cost DuckDB twice as much.

The rules that judge the counted pairs, and which tag should go, are in
`tagctl.kpi.redundancy_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Double, and_, bindparam, case, func, literal, select, union_all
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery
from sqlalchemy.types import TypeEngine

from tagctl.kpi.dialects import BITS, FLAG, TEXT, USER_HASH
from tagctl.kpi.plan import Plan, Row, flag, known
from tagctl.kpi.population import Members
from tagctl.kpi.relations import Relation, constant_table, divmod_bit
from tagctl.kpi.sqlparts import all_bits, bits_or, has_bit, user_hash
from tagctl.kpi.values import holds
from tagctl.kpi.valuesfound import TagValues

# Aggregate columns of one exact statement stay under SQLite's 2,000 terms: more
# candidate pairs than this (a catalog of many look-alikes) take more statements.
PAIRS_PER_STATEMENT = 600


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


def sizes(sets: Sequence[HolderSet], found: Mapping[str, TagValues]) -> dict[int, int | None]:
    """Each set's holders as the values pass counted them; None where it did not say.

    The values pass keeps a tag's largest value buckets only: a declared
    value past them is of unknown size (its holders are then all sampled).
    """
    result: dict[int, int | None] = {}
    for held in sets:
        tag = found.get(held.tag)
        if tag is None:
            result[held.id] = 0
        elif held.value is None:
            result[held.id] = tag.holders
        elif held.value in tag.buckets:
            result[held.id] = tag.buckets[held.value]
        else:
            result[held.id] = None if tag.other else 0
    return result


def supported(dialect: str) -> bool:
    """Whether the engine has a hash function for the sample (`dialects.USER_HASH`)."""
    return dialect in USER_HASH


# -- statements ----------------------------------------------------------------------


Extra = Sequence[tuple[str, TypeEngine[Any]]]


@dataclass(frozen=True)
class Source:
    """Tag rows joined with the sets they may hold: whole tags, or the values of enum tags."""

    spec: FromClause  # set_id, tag_name, then boolean (whole tags) or value, then the extra
    table: FromClause  # tag_values
    on: ColumnElement[bool]  # the equalities that match a row with its sets
    user: ColumnElement[Any]
    conditions: Sequence[ColumnElement[bool]]  # a row is a holder of its set

    def rows(self, *also: ColumnElement[bool]) -> FromClause:
        """tag_values joined with `spec`, on the equalities and then on `also`.

        A condition of both sides belongs here rather than in WHERE: SQLite
        evaluates ON after WHERE, and called the user hash of the sample for
        every pair of a set and a row (19 million calls for 10,000 users,
        against 0.5 million).
        """
        return self.table.join(self.spec, and_(self.on, *also))


def _sources(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    sets: Sequence[tuple[HolderSet, Sequence[Any]]],
    extra: Extra,
) -> list[Source]:
    """Where the holders of `sets` come from; `sets` pairs each with its `extra` values.

    Two joins, each on equalities only: whole tags on the tag's name, enum
    values on name and value.
    """
    booleans = {tag.name for tag in plan.tags if tag.value_type == "boolean"}
    whole = [(s.id, s.tag, int(s.tag in booleans), *more) for s, more in sets if s.value is None]
    valued = [(s.id, s.tag, s.value, *more) for s, more in sets if s.value is not None]
    value, user = tag_values["tag_value"], tag_values["user_id"]
    common = [known(tag_values["updated_at"], plan)]
    in_population = members.member(user)
    if in_population is not None:
        common.append(in_population)
    keys = [("set_id", FLAG), ("tag_name", TEXT)]
    spec = constant_table("holder_tags", [*keys, ("boolean", FLAG), *extra], whole, plan.row_values)
    on = spec.c.tag_name == tag_values.key("tag_name")
    found = [Source(spec, tag_values.table, on, user, [*common, holds(value, spec)])]
    if valued:
        spec = constant_table(
            "holder_values", [*keys, ("value", TEXT), *extra], valued, plan.row_values
        )
        on = and_(
            spec.c.tag_name == tag_values.key("tag_name"),
            spec.c.value == tag_values.key("tag_value"),
        )
        found.append(Source(spec, tag_values.table, on, user, common))
    return found


def _holder_rows(sources: Sequence[Source], plan: Plan, extra: Extra) -> Subquery:
    """(set_id, user_id, *extra) for every holder of every set, once each."""
    parts = []
    for source in sources:
        spec = source.spec.c
        columns = (spec[name] for name, _ in extra)
        query = select(spec.set_id, source.user.label("user_id"), *columns)
        query = query.select_from(source.rows()).where(*source.conditions)
        parts.append(query if plan.unique else query.distinct())
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("held")


def _sampled_rows(sources: Sequence[Source], plan: Plan) -> Subquery:
    """(set_id, user_id, sampled): each set's holders whose user hash is at most its
    `threshold`, with how many they are.

    The count is a window within each join, not over the union of both: Spark
    4.3's optimizer failed on a window over a union (set ids are distinct
    between the two joins, so the counts are the same).
    """
    parts = []
    for source in sources:
        spec = source.spec.c
        user = source.user
        rows = source.rows(user_hash(user) <= spec.threshold)
        chosen = select(spec.set_id, user.label("user_id")).select_from(rows)
        chosen = chosen.where(*source.conditions)
        if not plan.unique:
            once = chosen.distinct().subquery()
            chosen = select(once.c.set_id, once.c.user_id)
            spec = once.c
        parts.append(
            chosen.add_columns(func.count().over(partition_by=spec.set_id).label("sampled"))
        )
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("sample")


def candidates(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    limits: Mapping[int, int],
    share: float = 0.0,
) -> Select[Any]:
    """Per pair (a, b): a's sampled holders, and how many of them hold b; only likely pairs.

    `limits` holds each sampled set's hash threshold; `share` is the least
    share of a's sample in b worth returning (`redundancy_search.floor_share`).
    The sample's side carries its hash condition in its own joins: the two
    sides are different plans, which an engine does not compute once and
    write out whole (DuckDB spilled a million users' holder rows to disk).
    """
    chosen = [(s, (limits[s.id],)) for s in sets if s.id in limits]
    sources = _sources(tag_values, members, plan, chosen, [("threshold", FLAG)])
    return pair_counts(_sampled_rows(sources, plan), _holder_rows(sources, plan, []), share)


def pair_counts(sample: Subquery, other: Subquery, share: float) -> Select[Any]:
    """The candidates statement's rows from its two sides: `sample` (set_id, user_id,
    sampled) and `other` (set_id, user_id), joined on the user."""
    shared = func.count()
    return (
        select(
            sample.c.set_id.label("a"),
            other.c.set_id.label("b"),
            sample.c.sampled,
            shared.label("shared"),
        )
        .select_from(sample.join(other, other.c.user_id == sample.c.user_id))
        .where(sample.c.set_id != other.c.set_id)
        .group_by(sample.c.set_id, other.c.set_id, sample.c.sampled)
        .having(shared >= sample.c.sampled * bindparam("share", share, type_=Double()))
    )


def exact_counts(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    sets: Sequence[HolderSet],
    pairs: Sequence[tuple[int, int]],
) -> Select[Any]:
    """One row: each set's holders (`n_<a>`) and each pair's users in both (`p_<a>_<b>`).

    One GROUP BY user over the candidate sets' holder rows, then sums: no
    join, so no engine can pick a slow join order from a wrong estimate
    (PostgreSQL without statistics chose a nested loop). Where the engine
    has a bitwise-OR aggregate a user's sets are the bits of a few words,
    one small state per word (on DuckDB 4x faster than a max() per set);
    elsewhere one max() per set.
    """
    wanted = sorted(members_of(pairs))
    by_id = {s.id: s for s in sets}
    if not plan.bits:
        return _counted_by_flags(tag_values, members, plan, [by_id[k] for k in wanted], pairs)
    position = {k: divmod_bit(i) for i, k in enumerate(wanted)}
    words = range(max(word for word, _ in position.values()) + 1)
    extra = [(f"bits_{w}", BITS) for w in words]
    chosen = [
        (by_id[k], tuple(mask if w == word else 0 for w in words))
        for k, (word, mask) in position.items()
    ]
    held = _holder_rows(_sources(tag_values, members, plan, chosen, extra), plan, extra)
    per_user = (
        select(*(bits_or(held.c[name]).label(name) for name, _ in extra))
        .group_by(held.c.user_id)
        .subquery("per_user")
    )

    def has(k: int) -> ColumnElement[bool]:
        word, mask = position[k]
        return has_bit(per_user.c[f"bits_{word}"], literal(mask, BITS))

    def both(a: int, b: int) -> ColumnElement[bool]:
        (word_a, mask_a), (word_b, mask_b) = position[a], position[b]
        if word_a == word_b:
            return all_bits(per_user.c[f"bits_{word_a}"], literal(mask_a | mask_b, BITS))
        return and_(has(a), has(b))

    sums: list[ColumnElement[Any]] = [func.sum(flag(has(k))).label(f"n_{k}") for k in wanted]
    sums += [func.sum(flag(both(a, b))).label(f"p_{a}_{b}") for a, b in pairs]
    return select(*sums)


def _counted_by_flags(
    tag_values: Relation,
    members: Members,
    plan: Plan,
    wanted: Sequence[HolderSet],
    pairs: Sequence[tuple[int, int]],
) -> Select[Any]:
    """`exact_counts` without a bitwise-OR aggregate: a max() per set and user."""
    sources = _sources(tag_values, members, plan, [(s, ()) for s in wanted], [])
    held = _holder_rows(sources, plan, [])
    flags = [func.max(case((held.c.set_id == s.id, 1), else_=0)).label(f"h_{s.id}") for s in wanted]
    column = select(*flags).group_by(held.c.user_id).subquery("per_user").c
    sizes = [func.sum(column[f"h_{s.id}"]).label(f"n_{s.id}") for s in wanted]
    both = [func.sum(column[f"h_{a}"] * column[f"h_{b}"]).label(f"p_{a}_{b}") for a, b in pairs]
    return select(*sizes, *both)


def exact_rows(row: Row, pairs: Sequence[tuple[int, int]]) -> list[dict[str, int]]:
    """The row of `exact_counts` as (a, b, shared) rows; (a, a) gives a's holders."""
    sizes = [{"a": k, "b": k, "shared": int(row[f"n_{k}"] or 0)} for k in members_of(pairs)]
    return sizes + [{"a": a, "b": b, "shared": int(row[f"p_{a}_{b}"] or 0)} for a, b in pairs]


def members_of(pairs: Sequence[tuple[int, int]]) -> set[int]:
    """The sets that appear in `pairs`."""
    return {n for pair in pairs for n in pair}
