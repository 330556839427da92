"""compute() agrees with a row-by-row reference on random small warehouses, on every backend.

Hypothesis draws up to 30 users, tag rows of every value type (empty strings,
NULLs, junk, values that differ from valid ones by case or a space, numbers
out of range, users missing from `users` unless `known_users` is promised),
repeated rows when `unique` is not promised, usage events, and campaigns whose
memberships, touches and conversions sit on and around the window and
attribution edges. kpireference.py states the definitions in plain Python;
the two must agree on every count and rate.

The value KPIs get their own hard cases: campaign costs absent, zero, NULL,
missing for a campaign or in several rows; campaigns without members in the
window or without a control group; refunds and NULL amounts; a user
converting twice at the same instant; conversions claimed by several
campaigns (every membership selected at one instant); tag sets of campaigns
with ghost tags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kpicatalog import AS_OF, CATALOG
from kpireference import Expected, expected
from kpiwarehouse import (
    Backend,
    Dataset,
    Row,
    conversion,
    cost,
    member,
    property_settings,
    touch,
    use,
    user,
    value,
)
from valuecheck import assert_agrees

from tagctl.kpi.result import KpiRun

EXAMPLES = {"duckdb": 25, "sqlite": 25, "postgres": 8, "mysql": 8}
SECOND = dt.timedelta(seconds=1)
NAMES = [tag.name for tag in CATALOG]

VALUES: dict[str, st.SearchStrategy[str | None]] = {
    "boolean": st.sampled_from(["true", "false", "", "yes", "1", "TRUE", "true ", None]),
    "enum": st.sampled_from(
        ["oily", "dry", "combination", "sensitive", "greasy", "Oily", "dry ", " ", "", None]
    ),
    "integer": st.one_of(
        st.integers(-3, 95).map(str), st.sampled_from(["3.5", "abc", "+7", "007", ""])
    ),
    "number": st.one_of(
        st.integers(-10, 1010).map(str),
        st.builds("{}.{:02d}".format, st.integers(-5, 1005), st.integers(0, 99)),
        st.sampled_from(["1e2", ".5", "n/a", "", "1000.5", "-0.1", "2.5e1"]),
    ),
    "date": st.one_of(
        st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat),
        st.sampled_from(["2025/01/15", "yesterday", ""]),
    ),
    "string": st.sampled_from([f"v{i:02d}" for i in range(40)] + [""]),
}
LEGACY = st.sampled_from(["gold", "silver", "bronze", "tin", ""])
CAMPAIGNS = ("c1", "c2", "c3", "c4")
# Amounts: mostly sales, some refunds, zero and unknown (NULL).
AMOUNTS = st.integers(1, 500).map(float) | st.sampled_from([None, 0.0, -40.0, -250.5])
POSITIVE = st.integers(1, 900).map(float)
COSTS = st.one_of(POSITIVE, POSITIVE, POSITIVE, st.sampled_from([0.0, None, 12.5]))


@dataclass(frozen=True)
class Case:
    data: Dataset
    window_days: int
    attribution_days: int
    active_only: bool
    unique: bool
    known_users: bool
    min_sample: int = 100


def instants(anchors: list[dt.datetime]) -> st.SearchStrategy[dt.datetime]:
    """Whole-second naive times: on or one second off an anchor, or anywhere near the window."""
    near = st.builds(
        lambda anchor, shift: anchor + shift * SECOND, st.sampled_from(anchors), st.integers(-1, 1)
    )
    anywhere = st.integers(-45 * 86400, 2 * 86400).map(lambda s: AS_OF + s * SECOND)
    return st.one_of(near, anywhere)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    window = draw(st.sampled_from([7, 30]))
    days = draw(st.sampled_from([0, 1, 7]))
    unique = draw(st.booleans())
    known_users = draw(st.booleans())  # then every tag row's user is in `users`
    start = AS_OF - dt.timedelta(days=window)
    when = instants([start, AS_OF])
    count = draw(st.integers(0, 30) | st.integers(20, 30))  # often near the 30-user maximum
    users = [user(uid, draw(st.booleans())) for uid in range(1, count + 1)]
    tags = {tag.name: tag for tag in CATALOG}
    rows: list[Row] = []
    for name in [*NAMES, "ghost_tag"]:  # each tag on a drawn share of the users
        kind = tags[name].value_type if name in tags else "string"
        texts = LEGACY if name == "legacy_segment" else VALUES[kind]
        fill = draw(st.integers(0, 100) | st.just(100))
        # A few rows of users that are not in `users`, unless that is promised not to happen.
        for uid in range(1, count + (1 if known_users else 4)):
            if draw(st.integers(0, 99)) < fill:
                text = draw(texts)
                if kind == "string" and draw(st.booleans()):
                    text = f"w{uid:02d}"  # one value per user: more than 20 distinct values
                rows.append(value(uid, name, text, draw(when)))
    if not unique and rows:  # the same row again, updated at another time
        for index in draw(st.lists(st.integers(0, len(rows) - 1), max_size=12)):
            rows.append({**rows[index], "updated_at": draw(when)})
    use_one = st.builds(
        use,
        st.sampled_from([*NAMES, "ghost_tag"]),
        when,
        st.sampled_from(["segment", "push", "api"]),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["crm", "data"]),
    )
    usage = [draw(use_one) for _ in range(draw(st.integers(0, 40)))]
    links = draw(
        st.lists(
            st.builds(
                lambda c, t: {"campaign_id": c, "tag_name": t},
                st.sampled_from(CAMPAIGNS),
                st.sampled_from([*NAMES, "ghost_tag"]),
            ),
            max_size=10,
        )
    )
    members, touches, conversions = _campaigns(draw, count, when, window, days)
    data = Dataset(
        users=users,
        tag_values=rows,
        tag_usage=usage,
        campaign_tags=links,
        campaign_members=members,
        touches=touches,
        conversions=conversions,
        campaign_costs=_costs(draw) if draw(st.booleans()) else None,
    )
    min_sample = draw(st.sampled_from([1, 3, 100]))
    return Case(data, window, days, draw(st.booleans()), unique, known_users, min_sample)


def _campaigns(
    draw: st.DrawFn, count: int, when: st.SearchStrategy[dt.datetime], window: int, days: int
) -> tuple[list[Row], list[Row], list[Row]]:
    """Memberships, touches and conversions of the campaigns c1-c4."""
    ids = st.integers(1, count + 3)
    members: list[Row] = []
    touches: list[Row] = []
    conversions: list[Row] = []
    attribution = dt.timedelta(days=days)
    start = AS_OF - dt.timedelta(days=window)
    inside = st.integers(0, window * 86400 - 1).map(lambda s: start + s * SECOND)
    shared = draw(st.none() | when | inside)  # every membership at one instant: claims overlap
    attributed = st.integers(0, days * 86400).map(lambda s: s * SECOND)
    offsets = st.one_of(
        st.sampled_from([-SECOND, 0 * SECOND, SECOND, attribution - SECOND])
        | st.sampled_from([attribution, attribution + SECOND]),
        st.integers(0, 10 * 86400).map(lambda s: s * SECOND),
        attributed,
    )
    dense = draw(st.booleans())  # conversions within the attribution days only: cycles to compare
    for campaign in CAMPAIGNS:
        size = draw(st.integers(0, min(10, count + 3)))
        chosen = draw(st.lists(ids, min_size=size, max_size=10, unique=True))
        kinds = ["treatment", "treatment", "control", "holdout"]
        if draw(st.booleans()):
            kinds = ["treatment", "holdout"]  # no control group
        for uid in chosen:
            group = draw(st.sampled_from(kinds))
            selected = shared or draw(when | inside)
            members.append(member(campaign, uid, group, selected))
            for _ in range(draw(st.integers(0, 2))):
                status = draw(st.sampled_from(["delivered", "failed"]))
                answer = draw(st.none() | st.just(selected + dt.timedelta(hours=2)))
                touches.append(touch(campaign, uid, selected + SECOND, status, answer))
            for shift in draw(st.lists(attributed if dense else offsets, max_size=2)):
                conversions.append(conversion(uid, selected + shift, draw(AMOUNTS)))
    conversions += draw(st.lists(st.builds(conversion, ids, when, AMOUNTS), max_size=10))
    if conversions:  # the same user converting twice at the same instant
        for index in draw(st.lists(st.integers(0, len(conversions) - 1), max_size=3)):
            conversions.append({**conversions[index], "amount": draw(AMOUNTS)})
    return members, touches, conversions


def _costs(draw: st.DrawFn) -> list[Row]:
    """Cost rows: none, one or two per campaign (summed), and one of a campaign without members."""
    rows = [cost("c9", 5.0)]
    for campaign in CAMPAIGNS:
        times = draw(st.sampled_from([0, 1, 1, 1, 2]))
        rows += [cost(campaign, draw(COSTS)) for _ in range(times)]
    return rows


def run_case(backend: Backend, case: Case) -> KpiRun:
    kpi = {
        "window_days": case.window_days,
        "attribution_days": case.attribution_days,
        "population": "active" if case.active_only else "all",
        "min_sample": case.min_sample,
    }
    tables = {"tag_values": {"unique": case.unique, "known_users": case.known_users}}
    return backend.run(case.data, CATALOG, kpi=kpi, tables=tables)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compare(run: KpiRun, want: Expected) -> None:
    approx = pytest.approx
    size = want.population
    assert (run.population.size, run.population.converted) == (size, want.converters)
    population_rate = rate(want.converters, size)
    for name, tag in want.tags.items():
        kpi = run.tags[name]
        assert (kpi.holders, kpi.coverage) == (tag.holders, approx(rate(tag.holders, size))), name
        assert kpi.domain_violations == tag.violations, name
        assert kpi.domain_violation_rate == approx(rate(tag.violations, tag.valued)), name
        assert [(v.value, v.holders) for v in kpi.values or ()] == tag.values, name
        assert [v.share for v in kpi.values or ()] == approx(
            [count / tag.holders for _, count in tag.values]
        ), name
        assert kpi.values_other == tag.values_other, name
        assert kpi.last_updated == tag.last_updated, name
        q = kpi.audience_quality
        assert q is not None
        holder_rate = rate(tag.holders_converted, tag.holders)
        index = None
        if holder_rate is not None and population_rate:
            index = holder_rate / population_rate
        assert (q.holders_converted, q.holder_rate, q.index) == (
            tag.holders_converted,
            approx(holder_rate),
            approx(index),
        ), name
        usage = kpi.usage
        assert usage is not None
        found_usage = (
            usage.events,
            usage.consumers,
            usage.by_consumer_type,
            usage.by_department,
            usage.last_used,
        )
        assert found_usage == tag.usage, name
        a, c = kpi.activation, kpi.conversion
        assert a is not None and c is not None
        assert (a.campaigns, a.members, a.reached, a.responded) == tag.activation, name
        campaigns, n_t, x_t, n_c, x_c, orders, order_value, cycle = tag.conversion
        groups = (
            c.treatment.members,
            c.treatment.converted,
            c.control.members,
            c.control.converted,
        )
        assert (c.campaigns, *groups, c.orders) == (campaigns, n_t, x_t, n_c, x_c, orders), name
        assert c.average_order_value == approx(order_value), name
        assert c.conversion_cycle_days == approx(cycle, abs=1e-6), name
    coverage = run.catalog.coverage
    assert coverage.overall == approx(rate(want.overall, size))
    assert coverage.categories == {key: approx(rate(n, size)) for key, n in want.categories.items()}
    assert (coverage.core_any, coverage.core_all) == (
        approx(rate(want.core_any, size)),
        approx(rate(want.core_all, size)),
    )
    assert run.catalog.zombie == want.zombie


def test_compute_matches_the_reference(backend: Backend) -> None:
    @property_settings(EXAMPLES[backend.name])
    @given(case=cases())
    def check(case: Case) -> None:
        run = run_case(backend, case)
        want = expected(
            case.data,
            CATALOG,
            AS_OF,
            case.window_days,
            case.attribution_days,
            case.active_only,
            case.min_sample,
        )
        assert_agrees(run, want.values)
        compare(run, want)

    check()


def test_reference_on_a_fixed_case() -> None:
    # The reference itself, on rows small enough to count by eye: users 1 (active)
    # and 2; user 1 holds vip_member, user 2 has 'yes'; user 3 is not a user.
    rows: list[dict[str, Any]] = [
        value(1, "vip_member", "true", AS_OF - SECOND),
        value(2, "vip_member", "yes", AS_OF - 2 * SECOND),
        value(3, "vip_member", "true", AS_OF),
    ]
    data = Dataset(users=[user(1), user(2, active=False)], tag_values=rows)
    want = expected(data, CATALOG, AS_OF, 30, 7, active_only=False)
    vip = want.tags["vip_member"]
    assert (want.population, vip.holders, vip.violations, vip.values) == (2, 1, 1, [("true", 1)])
    assert vip.last_updated == AS_OF - SECOND
    assert (want.overall, want.core_any, want.core_all) == (1, 1, 0)
