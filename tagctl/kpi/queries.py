"""The KPI queries, built once with SQLAlchemy Core for every dialect.

One statement per pass over a table, whatever the number of tags: the
catalog enters as the small `spec`, `domain` and `bins` relations of bound
constants, and per-tag results come back grouped by tag. Each builder
returns a `Select` whose rows are aggregates, never table rows.

Passes (long layout): `population_size` (|P| and its converters),
`coverage` (the per-user flags behind overall, category and core
coverage), `values` (holders, value buckets, domain violations, converted
holders and freshness per tag; one GROUP BY tag, tag_value underneath,
each value parsed once), `holders` (only when (user_id, tag_name) is not
declared unique: exact distinct holders), `usage` and `consumers`
(tag_usage); `campaigns` (activation and conversion per tag and group) is
in `tagctl.kpi.campaigns`. The wide layout replaces `population_size`,
`coverage`, `values` and `holders` by the single statement of
`tagctl.kpi.wide`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    DateTime,
    Integer,
    and_,
    bindparam,
    case,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from tagctl.catalog.tags import Tag
from tagctl.kpi.relations import (
    PARSE,
    FlagLayout,
    Relation,
    bins_relation,
    domain_relation,
    spec_relation,
)
from tagctl.kpi.sqlparts import (
    BITS_DIALECTS,
    DATE_PATTERN,
    INLINE_DIALECTS,
    INTEGER_PATTERN,
    VALUES_DIALECTS,
    all_bits,
    as_double,
    bits_or,
    has_bit,
    matches,
    valid_number,
)

SPEC_CLASSIFY = ("id", "kind", "lo", "hi", "binned")
TOP_VALUES = 20  # value buckets kept per tag; the rest are summed as "other"


@dataclass(frozen=True)
class Plan:
    """What every query needs to know about one run."""

    tags: Sequence[Tag]
    categories: Sequence[str]
    as_of: dt.datetime
    window_days: int
    attribution_days: int
    active_only: bool
    unique: bool
    known_users: bool = False  # every tag_values user is a users row (declared in config)
    row_values: bool = False  # constants as a VALUES list (see sqlparts.VALUES_DIALECTS)
    bits: bool = False  # a bitwise-OR aggregate exists (see sqlparts.BITS_DIALECTS)
    texts_inline: bool = False  # wide columns as text in place, no subquery (INLINE_DIALECTS)

    def for_dialect(self, name: str) -> Plan:
        """This plan with the choices that depend on the warehouse's dialect."""
        return replace(
            self,
            row_values=name in VALUES_DIALECTS,
            bits=name in BITS_DIALECTS,
            texts_inline=name in INLINE_DIALECTS,
        )

    @property
    def start(self) -> dt.datetime:
        return self.as_of - dt.timedelta(days=self.window_days)


def moment(name: str, value: dt.datetime) -> ColumnElement[dt.datetime]:
    return bindparam(name, value, type_=DateTime())


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def in_window(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    return and_(col >= moment("window_start", plan.start), col < moment("as_of", plan.as_of))


def after(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    """The point-in-time rule: a row dated at or after `as_of` did not exist yet.

    Such rows are left out of every KPI of the run (see the README); a NULL
    time is never after `as_of`. Passes that read a table whole count them
    (`late`) for the run's notes.
    """
    return col >= moment("as_of", plan.as_of)


def known(col: ColumnElement[Any], plan: Plan) -> ColumnElement[bool]:
    """The row existed at `as_of`: its time is before it, or NULL (undated)."""
    return or_(col.is_(None), col < moment("as_of", plan.as_of))


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


def _holder(value: ColumnElement[Any], spec: FromClause) -> ColumnElement[bool]:
    """A row holds its tag: a value, not empty, and `true` for a boolean tag.

    Flags compared as integers: per row, cheaper than comparing the kind's text.
    For use in WHERE: `value != ''` is not true for NULL either.
    """
    return and_(value != "", or_(spec.c.boolean == 0, value == "true"))


def population_size(pop: Subquery) -> Select[Any]:
    """One row: |P| and the users of P with a conversion in the window."""
    return select(
        func.count().label("population"),
        func.coalesce(func.sum(pop.c.converted), 0).label("converters"),
    )


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
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values["tag_name"]))
        .where(
            spec.c.online == 1,
            _holder(tag_values["tag_value"], spec),
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
            func.max(flag(spec.c.category == bindparam(f"category_{i}", i))).label(f"category_{i}")
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
    layout = FlagLayout.of(plan.tags, plan.categories)
    categories: list[ColumnElement[Any]]
    if not layout.core:
        core_any: ColumnElement[Any] = literal(0)
        core_all: ColumnElement[Any] = literal(0)
    elif plan.bits:
        masks = layout.core_masks()
        core_any = func.sum(flag(_word_test(per_user, "core_any", masks, every=False)))
        core_all = func.sum(flag(_word_test(per_user, "core_all", masks, every=True)))
    else:
        core_any = func.sum(flag(per_user.c.core_tags > 0))
        total: ColumnElement[int] = bindparam("core_total", len(layout.core))
        core_all = func.sum(flag(per_user.c.core_tags >= total))
    if plan.bits:
        categories = []
        for i in range(len(plan.categories)):
            word, mask = layout.category_bit(i)
            bit = bindparam(f"category_{i}", mask, Integer())
            categories.append(func.sum(flag(has_bit(per_user.c[f"bits_{word}"], bit))))
    else:
        categories = [func.sum(per_user.c[f"category_{i}"]) for i in range(len(plan.categories))]
    return select(
        func.count(per_user.c.user_id).label("any_online"),
        core_any.label("core_any"),
        core_all.label("core_all"),
        *(count.label(f"category_{i}") for i, count in enumerate(categories)),
    )


def values(tag_values: Relation, members: Members, plan: Plan) -> Select[Any]:
    """Per tag and bucket: users, converted users, last update; flags holder/violation/other.

    Tags are named by `tag_id`, their position in `plan.tags`: the last
    GROUP BY and the window over its groups then key on integers.

    With (user_id, tag_name) declared unique, one GROUP BY tag,
    tag_value over the population's rows comes first and the classification
    runs on those groups, not on the rows. Without it a user may hold several
    values of a tag, so rows are classified one by one and users counted
    distinctly per bucket: exact, and slower.
    """
    user = tag_values["user_id"]
    # Groups keyed by the tag's number in `spec`, not its name: a narrower
    # key keeps the largest aggregate of a run in less memory.
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name", "id", "parse"))
    source = tag_values.table.join(spec, spec.c.tag_name == tag_values["tag_name"])
    in_population = members.member(user)
    value = tag_values["tag_value"]
    number, date_ok = _parsed(value, spec)
    converted = members.converted(user)
    updated = tag_values["updated_at"]
    # Rows after as_of are filtered, not counted: a condition per row in the
    # largest pass of a run costs more than the note it would give.
    existed = known(updated, plan)
    if not plan.unique:
        rows = select(
            spec.c.id.label("tag_id"),
            value.label("tag_value"),
            number.label("number"),
            date_ok.label("date_ok"),
            user.label("user_id"),
            flag(converted).label("converted"),
            updated.label("updated"),
        ).select_from(source)
        rows = rows.where(existed, *(() if in_population is None else (in_population,)))
        return classify(rows.subquery("pairs"), plan, per_row=True)
    # Values are parsed here, once per group: an aggregate subquery is not
    # flattened, so the classification and the range join above it read the
    # results instead of matching patterns again per bucket.
    typed: Select[Any] = (
        select(
            spec.c.id.label("tag_id"),
            value.label("tag_value"),
            number.label("number"),
            date_ok.label("date_ok"),
            func.count().label("rows"),
            func.count(case((converted, 1))).label("converted"),
            func.max(updated).label("updated"),
        )
        .select_from(source)
        .where(existed, *(() if in_population is None else (in_population,)))
        .group_by(spec.c.id, spec.c.parse, value)
    )
    return classify(typed.subquery("pairs"), plan)


def _parsed(value: ColumnElement[Any], spec: FromClause) -> tuple[ColumnElement[Any], ...]:
    """The value as a number for numeric kinds (NULL when not valid), and 0/1 for dates.

    One pattern match per value and only for the kinds that need it: on
    PostgreSQL a match costs microseconds, the most expensive step per group.
    """
    parse = spec.c.parse
    number = case(
        (and_(parse == PARSE["integer"], matches(value, INTEGER_PATTERN)), as_double(value)),
        (parse == PARSE["number"], valid_number(value)),
    )
    date_ok = case((parse == PARSE["date"], flag(matches(value, DATE_PATTERN))))
    return number, date_ok


def classify(typed: Subquery, plan: Plan, per_row: bool = False) -> Select[Any]:
    """Buckets, holder and violation flags of (tag, tag_value) groups, top buckets kept.

    `typed` has one row per group: tag_id (the tag's `id` in `spec`),
    tag_value, number and date_ok (from `_parsed`), rows, converted,
    updated; or, `per_row`, one row per tag row with user_id and converted
    (0/1) instead of the counts.
    """
    spec, domain, bins = (
        spec_relation(plan.tags, plan.row_values, only=SPEC_CLASSIFY),
        domain_relation(plan.tags, plan.row_values),
        bins_relation(plan.tags, plan.row_values),
    )
    value, number, kind = typed.c.tag_value, typed.c.number, spec.c.kind
    empty = or_(value.is_(None), value == "")
    holder = case((empty, 0), (kind == "boolean", flag(value == "true")), else_=1)
    in_range = and_(
        or_(spec.c.lo.is_(None), number >= spec.c.lo), or_(spec.c.hi.is_(None), number <= spec.c.hi)
    )
    violation = case(
        (empty, 0),
        (kind.in_(["enum", "boolean"]), flag(domain.c.value.is_(None))),
        (kind.in_(["integer", "number"]), flag(~and_(number.is_not(None), in_range))),
        (kind == "date", flag(typed.c.date_ok == 0)),
        else_=0,
    )
    bucket = case(
        (empty, null()),
        (violation == 1, null()),  # one group of violations per tag: counted once per user
        (spec.c.binned == 1, bins.c.label),
        (kind == "date", func.substr(value, 1, 4)),
        else_=value,
    )
    classified = (
        select(
            typed.c.tag_id,
            bucket.label("bucket"),
            holder.label("holder"),
            violation.label("violation"),
            *(typed.c.user_id,) if per_row else (typed.c.rows,),
            typed.c.converted,
            typed.c.updated,
        )
        .select_from(
            typed.join(spec, spec.c.id == typed.c.tag_id)
            .outerjoin(domain, and_(domain.c.tag_id == typed.c.tag_id, domain.c.value == value))
            .outerjoin(
                bins,
                and_(bins.c.tag_id == typed.c.tag_id, number >= bins.c.lo, number < bins.c.hi),
            )
        )
        .subquery("classified")
    )
    return _top_buckets(classified, per_row)


def _top_buckets(classified: Subquery, per_row: bool) -> Select[Any]:
    """Keep the TOP_VALUES largest buckets of each tag's valid holders; sum the rest."""
    c = classified.c
    rows: ColumnElement[Any]
    converted: ColumnElement[Any]
    if per_row:
        rows = func.count(distinct(c.user_id))
        converted = func.count(distinct(case((c.converted == 1, c.user_id))))
    else:
        rows, converted = func.sum(c.rows), func.sum(c.converted)
    grouped = (
        select(
            c.tag_id,
            c.bucket,
            c.holder,
            c.violation,
            rows.label("rows"),
            converted.label("converted"),
            func.max(c.updated).label("updated"),
        )
        .group_by(c.tag_id, c.bucket, c.holder, c.violation)
        .subquery("grouped")
    )
    g = grouped.c
    order: dict[str, Any] = {
        "partition_by": (g.tag_id, g.holder, g.violation),
        "order_by": (g.rows.desc(), g.bucket),
    }
    rest = {**order, "rows": (0, None)}  # this bucket and every smaller one
    ranked = select(
        grouped,
        func.row_number().over(**order).label("rank"),
        func.sum(g.rows).over(**rest).label("rest_rows"),
        func.sum(g.converted).over(**rest).label("rest_converted"),
        func.max(g.updated).over(**rest).label("rest_updated"),
    ).subquery("ranked")
    r = ranked.c
    # The first bucket past the top stands for all the rest: a filter, not a
    # second GROUP BY (on DuckDB one more hash table late in the statement
    # is what runs out of memory).
    other = r.rank > bindparam("top_values", TOP_VALUES)
    return select(
        r.tag_id,
        case((other, null()), else_=r.bucket).label("bucket"),
        flag(other).label("other"),
        r.holder,
        r.violation,
        case((other, r.rest_rows), else_=r.rows).label("rows"),
        case((other, r.rest_converted), else_=r.converted).label("converted"),
        case((other, r.rest_updated), else_=r.updated).label("updated"),
    ).where(r.rank <= bindparam("top_values_other", TOP_VALUES + 1))


def holders(tag_values: Relation, members: Members, plan: Plan) -> Select[Any]:
    """Distinct holders and converted holders per tag, for a table with repeated rows."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name", "boolean"))
    user = tag_values["user_id"]
    query = (
        select(
            tag_values["tag_name"].label("tag_name"),
            func.count(distinct(user)).label("holders"),
            func.count(distinct(case((members.converted(user), user)))).label("converted"),
        )
        .select_from(tag_values.table.join(spec, spec.c.tag_name == tag_values["tag_name"]))
        .where(_holder(tag_values["tag_value"], spec), known(tag_values["updated_at"], plan))
        .group_by(tag_values["tag_name"])
    )
    in_population = members.member(user)
    return query if in_population is None else query.where(in_population)


def usage(tag_usage: Relation, plan: Plan) -> Select[Any]:
    """Events in the window and last use, per tag, consumer type and department.

    Uses at or after as_of are counted apart (`late`), not filtered out, so
    that the run can say they exist without a second pass.
    """
    used_at = tag_usage["used_at"]
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name",))
    late = after(used_at, plan)
    return (
        select(
            tag_usage["tag_name"].label("tag_name"),
            tag_usage["consumer_type"].label("consumer_type"),
            tag_usage["department"].label("department"),
            func.sum(flag(in_window(used_at, plan))).label("events"),
            func.max(case((late, null()), else_=used_at)).label("last_used"),
            func.sum(flag(late)).label("late"),
        )
        .select_from(tag_usage.table.join(spec, spec.c.tag_name == tag_usage["tag_name"]))
        .group_by(tag_usage["tag_name"], tag_usage["consumer_type"], tag_usage["department"])
    )


def consumers(tag_usage: Relation, plan: Plan) -> Select[Any]:
    """Distinct consumers (type and id) per measured tag in the window."""
    spec = spec_relation(plan.tags, plan.row_values, only=("tag_name",))
    distinct_uses = (
        select(
            tag_usage["tag_name"].label("tag_name"),
            tag_usage["consumer_type"].label("consumer_type"),
            tag_usage["consumer_id"].label("consumer_id"),
        )
        .select_from(tag_usage.table.join(spec, spec.c.tag_name == tag_usage["tag_name"]))
        .where(in_window(tag_usage["used_at"], plan))
        .distinct()
        .subquery("uses")
    )
    return select(distinct_uses.c.tag_name, func.count().label("consumers")).group_by(
        distinct_uses.c.tag_name
    )
