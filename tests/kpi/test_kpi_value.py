"""The value KPIs on small hand-built warehouses: one edge case of their definitions per test.

Every test checks its case's numbers by hand (worked out in the comments) and
all the value figures of the run against valuereference.py (valuecheck).
The shop: as of 2026-03-01, window 30 days, attribution 7 days, every
membership selected at T0 = 2026-02-19. Users 1-10; vip_member held by 1-5,
skin_type by 1-3. c1 (vip_member): treatment 1-4, control 6, 7. c2
(skin_type): treatment 1, 2, control 8. Conversions: user 1 twice at T0 + 1
day (100 and 20), user 2 at +2 (50), user 3 at +3 (a refund, -40), user 4 at
+1 (amount NULL), user 6 at +1 (30).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import random
from dataclasses import astuple
from typing import Any

import pytest
from kpicatalog import AS_OF, CATALOG, LTV, SKIN, VIP, TagSpec
from kpireference import expected
from kpiwarehouse import Backend, Dataset, Row, conversion, cost, member, user, value
from valuecheck import assert_agrees
from valuereference import t_quantile

from tagctl.kpi.result import KpiRun
from tests.clihelpers import describe, no_traceback
from tests.conftest import run_tagctl

TAGS = (VIP, SKIN, LTV)
T0 = AS_OF - dt.timedelta(days=10)
approx = pytest.approx


def day(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def link(campaign: str, tag: str) -> Row:
    return {"campaign_id": campaign, "tag_name": tag}


def shop(costs: list[Row] | None = None) -> Dataset:
    """The shop of the module's docstring, with `costs` as campaign_costs (None: absent)."""
    members = [member("c1", uid, "treatment", T0) for uid in (1, 2, 3, 4)]
    members += [member("c1", uid, "control", T0) for uid in (6, 7)]
    members += [member("c2", uid, "treatment", T0) for uid in (1, 2)]
    members += [member("c2", 8, "control", T0)]
    return Dataset(
        users=[user(uid) for uid in range(1, 11)],
        tag_values=[value(uid, "vip_member", "true", T0) for uid in range(1, 6)]
        + [value(uid, "skin_type", "oily", T0) for uid in (1, 2, 3)],
        campaign_tags=[link("c1", "vip_member"), link("c2", "skin_type")],
        campaign_members=members,
        conversions=[
            conversion(1, day(1), 100.0),
            conversion(1, day(1), 20.0),  # the same user at the same instant: a second order
            conversion(2, day(2), 50.0),
            conversion(3, day(3), -40.0),  # a refund
            conversion(4, day(1), None),  # an order whose amount is unknown
            conversion(6, day(1), 30.0),
        ],
        campaign_costs=costs,
    )


COSTS = [cost("c1", 25.0), cost("c1", 35.0), cost("c2", 40.0)]  # c1's two rows: 60


def measure(
    backend: Backend, data: Dataset, tags: tuple[TagSpec, ...] = TAGS, **kpi: Any
) -> KpiRun:
    """The run of `data`, after checking every value figure against the reference."""
    run = backend.run(data, tags, kpi=kpi)
    min_sample = kpi.get("min_sample", 100)
    want = expected(data, tags, AS_OF, 30, 7, active_only=False, min_sample=min_sample)
    assert_agrees(run, want.values)
    return run


def roi(run: KpiRun, name: str) -> tuple[Any, ...] | None:
    block = run.tags[name].roi
    return None if block is None else (block.cost, block.incremental_revenue, block.roi)


# -- ROI -----------------------------------------------------------------------------


def test_without_campaign_costs_roi_is_null_and_a_note_says_why(file_backend: Backend) -> None:
    run = measure(file_backend, shop())
    assert [roi(run, name) for name in ("vip_member", "skin_type", "ltv_score")] == [None] * 3
    assert run.catalog.tag_driven is not None and run.catalog.tag_driven.roi is None
    assert any("campaign_costs" in note for note in run.notes), run.notes


def test_roi_of_a_tag_sums_its_campaigns_cost_rows(backend: Backend) -> None:
    run = measure(backend, shop(COSTS))
    # vip_member (c1): treatment amount 100 + 20 + 50 - 40 + NULL (0 here) = 130 over 4
    # members, control 30 over 2: (32.5 - 15) x 4 = 70; cost 25 + 35 = 60.
    assert roi(run, "vip_member") == (approx(60.0), approx(70.0), approx(70 / 60))
    # skin_type (c2): treatment 170 over 2, control 0 over 1: 170; cost 40.
    assert roi(run, "skin_type") == (approx(40.0), approx(170.0), approx(4.25))
    assert roi(run, "ltv_score") is None  # no campaign


def test_zero_cost_gives_no_roi(file_backend: Backend) -> None:
    run = measure(file_backend, shop([cost("c1", 0.0), cost("c2", 40.0)]))
    assert roi(run, "vip_member") == (0.0, approx(70.0), None)


def test_a_campaign_without_a_cost_row_or_with_a_null_cost_leaves_the_cost_unknown(
    file_backend: Backend,
) -> None:
    run = measure(file_backend, shop([cost("c2", 40.0)]))  # c1 has no row
    assert roi(run, "vip_member") == (None, approx(70.0), None)
    assert roi(run, "skin_type") == (approx(40.0), approx(170.0), approx(4.25))
    # One NULL among c1's rows: SUM would skip it, the cost is unknown all the same.
    run = measure(file_backend, shop([cost("c1", 60.0), cost("c1", None), cost("c2", 40.0)]))
    assert roi(run, "vip_member") == (None, approx(70.0), None)


def test_without_a_control_group_lift_and_incremental_revenue_are_null(backend: Backend) -> None:
    data = shop(COSTS)
    assert data.campaign_members is not None
    data.campaign_members = [m for m in data.campaign_members if m["group_name"] == "treatment"]
    run = measure(backend, data)
    c = run.tags["vip_member"].conversion
    assert c is not None and (c.treatment.members, c.control.members) == (4, 0)
    assert (c.absolute_lift, c.relative_lift, c.z, c.p_value, c.q_value) == (None,) * 5
    assert (c.control_cycle_days, c.cycle_difference_days, c.cycle_ci_low) == (None,) * 3
    assert roi(run, "vip_member") == (approx(60.0), None, None)


def test_refunds_are_summed_as_they_are(file_backend: Backend) -> None:
    data = shop(COSTS)
    assert data.conversions is not None
    data.conversions.append(conversion(2, day(2.5), -50.0))  # user 2 returns the order
    run = measure(file_backend, data)
    # vip_member: treatment 130 - 50 = 80 over 4, control 15 per member: (20 - 15) x 4 = 20.
    assert roi(run, "vip_member") == (approx(60.0), approx(20.0), approx(20 / 60))
    driven = run.catalog.tag_driven
    assert driven is not None
    # Tag-driven amount 130 - 50 = 80, of 160 - 50 = 110 in all.
    assert (driven.amount, driven.total_amount) == (approx(80.0), approx(110.0))
    assert driven.amount_share == approx(80 / 110)


def test_refunds_beyond_sales_leave_no_amount_share(file_backend: Backend) -> None:
    data = shop(COSTS)
    assert data.conversions is not None
    data.conversions.append(conversion(9, day(1), -500.0))  # user 9: no campaign
    run = measure(file_backend, data)
    driven = run.catalog.tag_driven
    assert driven is not None
    assert (driven.total_amount, driven.amount_share) == (approx(-340.0), None)


# -- audience quality ------------------------------------------------------------------


def test_average_order_values_divide_by_the_orders_with_an_amount(file_backend: Backend) -> None:
    run = measure(file_backend, shop())
    q = run.tags["vip_member"].audience_quality
    assert q is not None
    # Holders 1-5 ordered 5 times; known amounts 100, 20, 50, -40: 130 / 4 = 32.5.
    # The population adds user 6's 30: 160 / 5 = 32. Index 32.5 / 32.
    assert q.holder_orders == 5
    assert (q.holder_aov, q.population_aov) == (approx(32.5), approx(32.0))
    assert q.aov_index == approx(1.015625)
    # Repeat: user 1 (two orders at one instant) of the 4 holders who ordered; of 5 in P.
    assert (q.holder_repeat_rate, q.population_repeat_rate) == (approx(0.25), approx(0.2))
    assert q.repeat_index == approx(1.25)


def test_treatment_order_value_divides_by_the_orders_with_an_amount(
    file_backend: Backend,
) -> None:
    run = measure(file_backend, shop())
    c = run.tags["vip_member"].conversion
    assert c is not None
    # Attributed to c1's treatment: 100, 20, 50, -40 and one NULL: 5 orders, 130 / 4.
    assert (c.orders, c.average_order_value) == (5, approx(32.5))


def test_audience_quality_without_amounts(file_backend: Backend) -> None:
    data = shop()
    data.conversions = [{**row, "amount": None} for row in data.conversions or ()]
    run = measure(file_backend, data)
    q = run.tags["skin_type"].audience_quality
    assert q is not None
    assert (q.holder_orders, q.holder_aov, q.population_aov, q.aov_index) == (4, None, None, None)


# -- conversion cycle ------------------------------------------------------------------


def cycles(treatment: list[float], control: list[float]) -> Dataset:
    """c1 (vip_member): one membership per cycle, converting that many days after T0."""
    days = [("treatment", d) for d in treatment] + [("control", d) for d in control]
    return Dataset(
        users=[user(uid) for uid in range(1, len(days) + 1)],
        tag_values=[value(1, "vip_member", "true", T0)],
        campaign_tags=[link("c1", "vip_member")],
        campaign_members=[member("c1", i, g, T0) for i, (g, _) in enumerate(days, 1)],
        conversions=[conversion(i, day(d), 10.0) for i, (_, d) in enumerate(days, 1)],
    )


def cycle(run: KpiRun) -> tuple[Any, ...]:
    c = run.tags["vip_member"].conversion
    assert c is not None
    return (
        c.conversion_cycle_days,
        c.control_cycle_days,
        c.cycle_difference_days,
        c.cycle_ci_low,
        c.cycle_ci_high,
    )


def test_welch_interval_of_the_cycle_difference(backend: Backend) -> None:
    run = measure(backend, cycles([1, 3], [4, 6]))
    # Means 2 and 5, variances 2 and 2: se = sqrt(2/2 + 2/2) = sqrt(2); Welch df =
    # 2^2 / (1/1 + 1/1) = 2, t(0.975, 2) = 0.95 / sqrt(2 x 0.975 x 0.025) = 4.3026527.
    t = 0.95 / math.sqrt(2 * 0.975 * 0.025)
    assert t == approx(t_quantile(0.975, 2), rel=1e-12)
    half = t * math.sqrt(2)
    assert cycle(run) == approx((2.0, 5.0, -3.0, -3.0 - half, -3.0 + half), rel=1e-9)


def test_welch_interval_with_unequal_groups(file_backend: Backend) -> None:
    run = measure(file_backend, cycles([0.5, 1, 2.5], [1, 5]))
    # Means 4/3 and 3, variances 13/12 and 8: a = 13/36, b = 4; df = (a + b)^2 /
    # (a^2 / 2 + b^2 / 1), a fraction of a degree: only the reference's t is at hand.
    a, b = 13 / 36, 4.0
    df = (a + b) ** 2 / (a * a / 2 + b * b)
    half = t_quantile(0.975, df) * math.sqrt(a + b)
    low, high = 4 / 3 - 3 - half, 4 / 3 - 3 + half
    assert cycle(run) == approx((4 / 3, 3.0, 4 / 3 - 3, low, high), rel=1e-9)


def test_cycle_interval_without_spread_or_with_one_converter(file_backend: Backend) -> None:
    run = measure(file_backend, cycles([1, 1], [2, 2]))
    assert cycle(run) == approx((1.0, 2.0, -1.0, -1.0, -1.0))  # se 0: low = high = difference
    run = measure(file_backend, cycles([1, 3], [2]))
    assert cycle(run) == approx((2.0, 2.0, 0.0, None, None))  # one control converter


# -- tag-driven sales ------------------------------------------------------------------


def test_a_conversion_claimed_by_two_campaigns_is_counted_once(backend: Backend) -> None:
    run = measure(backend, shop(COSTS))
    driven = run.catalog.tag_driven
    assert driven is not None
    # Users 1 and 2 are in both c1's and c2's treatment groups. In the window: 6
    # conversions of 160 in all; driven: user 1's two (one instant), 2, 3 and 4 (NULL):
    # 5 conversions of 100 + 20 + 50 - 40 = 130. Covered: 1-4 of 10 users.
    assert (driven.conversions, driven.total_conversions) == (5, 6)
    assert (driven.amount, driven.total_amount) == (approx(130.0), approx(160.0))
    assert (driven.conversion_share, driven.amount_share) == (approx(5 / 6), approx(0.8125))
    assert (driven.covered_users, driven.covered_share) == (4, approx(0.4))
    # c1 and c2 pooled: treatment 300 over 6, control 30 over 3: (50 - 10) x 6 = 240; cost 100.
    assert driven.roi is not None
    found = (driven.roi.cost, driven.roi.incremental_revenue, driven.roi.roi)
    assert found == (approx(100.0), approx(240.0), approx(2.4))


# -- combinations ------------------------------------------------------------------------


def with_combinations(data: Dataset) -> Dataset:
    """`data` and campaigns of tags outside the catalog (their members are users 11-70).

    {ghost_a, ghost_b}: c5 (treatment 11-16, control 17-19) and c6 (treatment 20, 21,
    control 22); c9 has the same tags but was selected before the window.
    {ghost_a, ghost_b, ghost_c}: c7 (treatment 23-26, control 27, 28).
    {ghost_c, ghost_d}: c10 (treatment 31-50, all converting; control 51-70, none).
    c8 has one tag: no combination.
    """
    links = [("c5", "ghost_a"), ("c5", "ghost_b"), ("c6", "ghost_b"), ("c6", "ghost_a")]
    links += [("c6", "ghost_a"), ("c9", "ghost_a"), ("c9", "ghost_b"), ("c8", "ghost_a")]
    links += [("c7", "ghost_a"), ("c7", "ghost_b"), ("c7", "ghost_c")]
    links += [("c10", "ghost_c"), ("c10", "ghost_d")]
    groups = {
        "c5": ([11, 12, 13, 14, 15, 16], [17, 18, 19]),
        "c6": ([20, 21], [22]),
        "c7": ([23, 24, 25, 26], [27, 28]),
        "c8": ([29], [30]),
        "c10": (list(range(31, 51)), list(range(51, 71))),
    }
    members = [
        member(campaign, uid, group, T0)
        for campaign, both in groups.items()
        for group, users in zip(("treatment", "control"), both, strict=True)
        for uid in users
    ]
    members.append(member("c9", 11, "treatment", AS_OF - dt.timedelta(days=31)))
    buyers = [11, 12, 13, 14, 17, 20, 23, 27, 28, *range(31, 51)]
    return dataclasses.replace(
        data,
        users=[*data.users, *(user(uid) for uid in range(11, 71))],
        campaign_tags=[*(data.campaign_tags or ()), *(link(c, t) for c, t in links)],
        campaign_members=[*(data.campaign_members or ()), *members],
        conversions=[*(data.conversions or ()), *(conversion(u, day(2), 10.0) for u in buyers)],
    )


def test_combinations_of_two_or_more_tags_pooled_over_their_campaigns(backend: Backend) -> None:
    alone = measure(backend, shop(COSTS), min_sample=20)
    assert alone.combinations == []  # campaigns of one tag each
    run = measure(backend, with_combinations(shop(COSTS)), min_sample=20)
    assert run.combinations is not None
    found = [
        (c.tags, c.campaigns, c.members, *astuple(c.treatment)[:2], *astuple(c.control)[:2])
        for c in run.combinations
    ]
    assert found == [  # the most members first
        (["ghost_c", "ghost_d"], 1, 40, 20, 20, 20, 0),
        (["ghost_a", "ghost_b"], 2, 12, 8, 5, 4, 1),
        (["ghost_a", "ghost_b", "ghost_c"], 1, 6, 4, 1, 2, 2),
    ]
    # z (pooled): {c, d} 1 / sqrt(0.25 x 2/20) = sqrt(40); {a, b} 0.375 / sqrt(0.25 x
    # 3/8) = sqrt(1.5); {a, b, c} -0.75 / sqrt(0.25 x 3/4) = -sqrt(3). Two-sided p =
    # erfc(|z| / sqrt 2): 2.5396286e-10, 0.2206714, 0.0832645. Their own BH family of
    # three: q = 3p for the first, min(0.2206714, 1.5 x 0.0832645) = 0.1248968, 0.2206714.
    p = [math.erfc(z / math.sqrt(2)) for z in (math.sqrt(40), math.sqrt(1.5), math.sqrt(3))]
    stats = [(c.z, c.p_value, c.q_value) for c in run.combinations]
    assert stats == [
        approx((math.sqrt(40), p[0], 3 * p[0]), rel=1e-9),
        approx((math.sqrt(1.5), p[1], p[1]), rel=1e-9),
        approx((-math.sqrt(3), p[2], 1.5 * p[2]), rel=1e-9),
    ]
    # Significant: q < 0.05 and both groups of at least kpi.min_sample (20) members.
    assert [c.significant for c in run.combinations] == [True, False, False]
    first = run.combinations[0]
    # Rates 1 and 0: no relative lift; the Wald interval has no width.
    assert (first.absolute_lift, first.relative_lift) == (approx(1.0), None)
    assert (first.ci_low, first.ci_high) == (approx(1.0), approx(1.0))
    # No cost rows for the ghost campaigns: their cost is unknown.
    assert first.roi is not None and first.roi.cost is None


def test_adding_combinations_does_not_move_a_tags_q_value(file_backend: Backend) -> None:
    alone = measure(file_backend, shop(COSTS))
    run = measure(file_backend, with_combinations(shop(COSTS)))
    for name in ("vip_member", "skin_type"):
        before, after = alone.tags[name].conversion, run.tags[name].conversion
        assert before is not None and after is not None
        assert before.q_value is not None
        assert after.q_value == approx(before.q_value, rel=1e-12), name


def test_combinations_null_without_campaign_tables(file_backend: Backend) -> None:
    data = shop()
    data.campaign_tags = None
    run = measure(file_backend, data)
    assert run.combinations is None
    assert run.catalog.tag_driven is None
    data = shop()
    data.conversions = None
    run = file_backend.run(data, TAGS)
    assert run.catalog.tag_driven is None


# -- the SQL: a fixed number of statements -----------------------------------------------


def many(count: int) -> tuple[TagSpec, ...]:
    kinds = (VIP, SKIN, LTV)
    return tuple(
        dataclasses.replace(kinds[i % 3], name=f"{kinds[i % 3].name}_{i:02d}") for i in range(count)
    )


def test_statement_count_does_not_grow_with_tags_or_combinations(
    backend: Backend, statements: list[str]
) -> None:
    base = shop(COSTS)  # ltv_score held by vip_member's holders: a redundant pair, as below
    base.tag_values += [value(uid, "ltv_score", "5", T0) for uid in range(1, 6)]
    backend.run(base, TAGS)
    few = len(statements)
    statements.clear()
    tags = many(60)
    data = with_combinations(shop(COSTS))
    chooser = random.Random(20)
    names = [tag.name for tag in tags]
    links, members, costs = [], [], [*COSTS]
    for i in range(30):  # thirty campaigns of two to four catalog tags: many combinations
        campaign = f"m{i:02d}"
        links += [link(campaign, name) for name in chooser.sample(names, chooser.randint(2, 4))]
        members += [
            member(campaign, uid, chooser.choice(["treatment", "control"]), T0)
            for uid in chooser.sample(range(1, 71), 5)
        ]
        costs.append(cost(campaign, 10.0))
    data.campaign_tags = [*(data.campaign_tags or ()), *links]
    data.campaign_members = [*(data.campaign_members or ()), *members]
    data.campaign_costs = costs
    data.tag_values += [value(1 + i % 10, tag.name, "true", T0) for i, tag in enumerate(tags)]
    run = backend.run(data, tags)
    assert run.combinations is not None and len(run.combinations) > 30
    assert len(statements) == few


# -- the command ---------------------------------------------------------------------------


def hard_cases() -> Dataset:
    """Every edge case of this module in one warehouse: refunds, NULL amounts and costs,
    a zero cost, a campaign without a cost row, one without a control group, another
    without members in the window, combinations, conversions claimed twice."""
    data = with_combinations(shop([cost("c1", 0.0), cost("c2", None), cost("c5", 12.0)]))
    assert data.campaign_members is not None and data.campaign_tags is not None
    data.campaign_members += [member("c11", uid, "treatment", T0) for uid in (3, 4)]
    data.campaign_tags += [link("c11", "ltv_score"), link("c12", "ltv_score")]
    data.campaign_members.append(member("c12", 5, "control", AS_OF + dt.timedelta(days=1)))
    return data


@pytest.mark.parametrize("costs", [True, False], ids=["costs", "no-costs"])
def test_the_command_shows_the_hard_cases_without_a_traceback(
    file_backend: Backend, costs: bool
) -> None:
    data = hard_cases()
    if not costs:
        data.campaign_costs = None
    file_backend.load(data)
    file_backend.config(CATALOG)
    day = AS_OF.date().isoformat()
    for form in ("json", "table", "csv"):
        result = run_tagctl("kpi", "-C", file_backend.root, "--as-of", day, "-f", form)
        no_traceback(result)
        assert result.returncode == 0, describe(result)
        if form == "json":
            document = json.loads(result.stdout)
            assert len(document["combinations"]) == 3
            assert document["catalog"]["tag_driven"]["conversions"] > 0
            assert (document["tags"]["vip_member"]["roi"] is None) is not costs
