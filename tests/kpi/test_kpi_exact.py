"""Every KPI of DESIGN.md section 6 on a hand-built dataset, on every backend.

The dataset is exactdata.py (30 users, 1-20 active; as of 2026-03-01, window
[2026-01-30, 2026-03-01), attribution 7 days). Each expected number is
derived by hand in the comments next to it; none comes from running tagctl.
The catalog is kpicatalog.CATALOG with `kpi.star: {top_n: 2, min_uses: 2}`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from exactdata import AS_OF, at, exact_dataset
from kpicatalog import CATALOG, SKIN, VIP
from kpiwarehouse import BACKENDS, Backend, Dataset, open_backend, user, value

from tagctl.errors import UsageError
from tagctl.kpi import relations
from tagctl.kpi.compute import KpiRequest, compute
from tagctl.kpi.result import KpiRun, TagKpi

KPI = {"star": {"top_n": 2, "min_uses": 2}}
approx = pytest.approx


@pytest.fixture(scope="module", params=BACKENDS)
def run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KpiRun]:
    """The exact dataset computed once per backend."""
    root = tmp_path_factory.mktemp(request.param) / "catalog"
    with open_backend(request.param, root) as backend:
        yield backend.run(exact_dataset(), CATALOG, kpi=KPI)


def shares(kpi: TagKpi) -> list[tuple[str, int, Any]]:
    return [(share.value, share.holders, approx(share.share)) for share in kpi.values or ()]


# Population and converters.
# Conversions in [01-30, 03-01) by users 1-30: users 1, 2, 3, 4 (02-09 23:59:59),
# 5, 9 (01-30 00:00, the window's first instant), 12, 21, 22, 25, 27, 28 = 12.
# Not counted: user 7 (01-29 23:59:59), user 13 (03-01 00:00 = as_of), user 31
# (not in users). |P| = 30, conversion rate 12/30 = 0.4.


def test_population(run: KpiRun) -> None:
    assert (run.population.size, run.population.definition) == (30, "all")
    assert run.population.converted == 12
    assert run.population.conversion_rate == approx(0.4)
    assert (run.as_of, run.window_days, run.attribution_days) == (AS_OF, 30, 7)


# Holders (non-empty value; boolean: 'true'; users of P only):
# vip_member: 1-10 'true' = 10 ('false' 11-15, '' 16, 'yes' 17, NULL 18 hold
#   nothing; user 31 is not in P).
# skin_type: 1-14 (4 oily, 2 dry, 6 combination, 'greasy', 'unknown'; 15 is '') = 14.
# visit_count_90d: 1-11 and 13 = 12 (12 is ''). ltv_score: 1-10 = 10.
# first_order_date: 1, 2, 3, 5, 6, 8 = 6 (7 is ''). favorite_brand: 1-25 = 25.
# legacy_segment: 1-3 = 3. push_optin: no rows, 0.
HOLDERS = {
    "vip_member": 10,
    "skin_type": 14,
    "visit_count_90d": 12,
    "ltv_score": 10,
    "first_order_date": 6,
    "favorite_brand": 25,
    "legacy_segment": 3,
    "push_optin": 0,
}


def test_holders_and_coverage(run: KpiRun) -> None:
    assert {name: kpi.holders for name, kpi in run.tags.items()} == {
        **HOLDERS,
        "draft_idea": None,  # draft: not measured
    }
    for name, holders in HOLDERS.items():
        assert run.tags[name].coverage == approx(holders / 30), name
    assert run.tags["draft_idea"].coverage is None


def test_value_shares_in_their_natural_order(run: KpiRun) -> None:
    tags = run.tags
    # Boolean: only 'true' holds. 10/10.
    assert shares(tags["vip_member"]) == [("true", 10, 1.0)]
    # Enum in declared order (oily, dry, combination, sensitive); shares over the
    # 14 holders, the two out-of-domain values included; sensitive has nobody.
    assert shares(tags["skin_type"]) == [
        ("oily", 4, 4 / 14),
        ("dry", 2, 2 / 14),
        ("combination", 6, 6 / 14),
    ]
    # Integer with bins [1, 5, 10]: <1 {'0'}; [1, 5) {'1', '4'}; [5, 10) {'5', '9', '+7'};
    # >=10 {'10', '90'}. '91', '-1', '3.5', 'abc' are violations, in no bucket.
    assert shares(tags["visit_count_90d"]) == [
        ("<1", 1, 1 / 12),
        ("[1, 5)", 2, 2 / 12),
        ("[5, 10)", 3, 3 / 12),
        (">=10", 2, 2 / 12),
    ]
    # Number with range 0-1000 and no bins: ten steps of 100, the last closed.
    # [0, 100) {'0', '99.5', '.5'}; [100, 200) {'100', '1e2'}; [500, 600) {'550.25'};
    # [900, 1000] {'1000'}. '1000.5', '-0.1', 'n/a' are violations.
    assert shares(tags["ltv_score"]) == [
        ("[0, 100)", 3, 0.3),
        ("[100, 200)", 2, 0.2),
        ("[500, 600)", 1, 0.1),
        ("[900, 1000]", 1, 0.1),
    ]
    # Date by year, largest first then by name: 2024 x2, 2025 x1, 2026 x1 (over 6).
    assert shares(tags["first_order_date"]) == [
        ("2024", 2, 2 / 6),
        ("2025", 1, 1 / 6),
        ("2026", 1, 1 / 6),
    ]
    assert shares(tags["legacy_segment"]) == [("gold", 1, 1 / 3), ("silver", 2, 2 / 3)]
    assert shares(tags["push_optin"]) == []
    assert tags["draft_idea"].values is None
    others = {name: kpi.values_other for name, kpi in tags.items() if kpi.holders is not None}
    assert others == {**dict.fromkeys(HOLDERS, 0), "favorite_brand": 2}


def test_string_values_keep_the_top_twenty(run: KpiRun) -> None:
    # favorite_brand, 25 holders and 22 distinct values: lumiere 3, aurora 2, then
    # b01..b20 once each. The top 20 by size, ties by value: lumiere, aurora,
    # b01..b18; b19 and b20 (2 holders) are summed in values_other.
    brand = run.tags["favorite_brand"]
    expected = [("lumiere", 3, 3 / 25), ("aurora", 2, 2 / 25)]
    expected += [(f"b{i:02d}", 1, 1 / 25) for i in range(1, 19)]
    assert shares(brand) == expected
    assert brand.values_other == 2


def test_domain_violations(run: KpiRun) -> None:
    # The rate is over the users with a value that counts: holders, and for a
    # boolean tag the values that are neither 'true' nor 'false'.
    # vip_member 'yes' = 1 over 10 holders + 'yes' = 1/11. skin_type 'greasy',
    # 'unknown' = 2/14. visit_count_90d '91' (> max), '-1' (< min), '3.5' and 'abc'
    # (not integers) = 4/12; '+7' is an integer in range. ltv_score '1000.5',
    # '-0.1', 'n/a' = 3/10; '1e2' and '.5' are numbers. first_order_date
    # '2025/01/15', 'yesterday' = 2/6. favorite_brand (string) and legacy_segment
    # have none; push_optin has no values, so no rate.
    expected = {
        "vip_member": (1, 1 / 11),
        "skin_type": (2, 2 / 14),
        "visit_count_90d": (4, 4 / 12),
        "ltv_score": (3, 0.3),
        "first_order_date": (2, 2 / 6),
        "favorite_brand": (0, 0.0),
        "legacy_segment": (0, 0.0),
    }
    for name, (count, rate) in expected.items():
        kpi = run.tags[name]
        assert (kpi.domain_violations, kpi.domain_violation_rate) == (count, approx(rate)), name
    push = run.tags["push_optin"]
    assert (push.domain_violations, push.domain_violation_rate) == (0, None)


def test_freshness_and_stale(run: KpiRun) -> None:
    # last_updated is the latest update of the tag's rows in P; freshness is
    # as_of minus it; stale when above the refresh budget (tolerance 1).
    expected = {
        # user 3's row at 02-28 18:00 (user 31's 23:00 row is outside P): 6 h, daily 36 h
        "vip_member": (at(2, 28, 18), 6.0, False),
        # 02-20 00:00: 9 days = 216 h, weekly 8 x 24 = 192 h
        "skin_type": (at(2, 20), 216.0, True),
        "visit_count_90d": (at(2, 28), 24.0, False),  # daily 36 h
        # 02-01: 28 days = 672 h, monthly 32 x 24 = 768 h
        "ltv_score": (at(2, 1), 672.0, False),
        # 2025-06-01 to 2026-03-01: 30+31+31+30+31+30+31+31+28 = 273 days = 6552 h; manual
        "first_order_date": (dt.datetime(2025, 6, 1), 6552.0, False),
        "favorite_brand": (at(2, 28, 20), 4.0, True),  # hourly 2 h
        "legacy_segment": (at(2, 15), 336.0, False),  # 14 days, monthly
        "push_optin": (None, None, None),  # no rows
    }
    for name, (updated, hours, stale) in expected.items():
        kpi = run.tags[name]
        assert (kpi.last_updated, kpi.freshness_hours, kpi.stale) == (updated, hours, stale), name


def test_usage(run: KpiRun) -> None:
    # vip_member in [01-30, 03-01): segment s1 x2, segment s2, push p1, api a1 (at
    # 01-30 00:00), model s1 = 6 events; the report r1 uses at 01-29 23:59:59 and
    # at 03-01 00:00 are outside. Consumers (type, id): (segment, s1), (segment, s2),
    # (push, p1), (api, a1), (model, s1) = 5. Last use before as_of: 02-25 10:00.
    vip = run.tags["vip_member"].usage
    assert vip is not None
    assert (vip.events, vip.consumers, vip.last_used) == (6, 5, at(2, 25, 10))
    assert vip.by_consumer_type == {"api": 1, "model": 1, "push": 1, "segment": 3}
    assert vip.by_department == {"crm": 1, "data": 1, "it": 1, "marketing": 3}
    # Summaries of the others: (events, consumers, by type, by department, last use).
    expected = {
        "skin_type": (2, 1, {"segment": 2}, {"marketing": 2}, at(2, 2, 9)),
        # only a use of 2025-12-01: no events, but a last use
        "visit_count_90d": (0, 0, {}, {}, dt.datetime(2025, 12, 1, 9)),
        "ltv_score": (1, 1, {"model": 1}, {"data": 1}, at(2, 15, 9)),
        "favorite_brand": (1, 1, {"report": 1}, {"bi": 1}, at(2, 28, 23, 59, 59)),
        "first_order_date": (1, 1, {"api": 1}, {"it": 1}, at(2, 3, 9)),
        "legacy_segment": (0, 0, {}, {}, None),
        "push_optin": (0, 0, {}, {}, None),
    }
    for name, summary in expected.items():
        usage = run.tags[name].usage
        assert usage is not None, name
        found = (
            usage.events,
            usage.consumers,
            usage.by_consumer_type,
            usage.by_department,
            usage.last_used,
        )
        assert found == summary, name
    assert run.tags["draft_idea"].usage is None


# Campaign memberships selected in [01-30, 03-01), treatment and control only:
# c1 treatment 1-8 (02-10; user 9 at 01-29 23:59:59 and user 10 at 03-01 are
# outside, user 11 is 'holdout'), c1 control 21-24; c2 treatment 1-3, control
# 25, 26 (02-20); c3 treatment 12-15, control 27, 28 (02-26).
# Links: c1 -> vip_member, skin_type (the repeated c1 -> vip_member link counts
# once); c2 -> vip_member; c3 -> ltv_score.
#
# Reach (a delivered touch in that campaign) and response (on a delivered touch):
# c1: 1 delivered+responded, 2 delivered, 3 failed-with-response then delivered
# (reached, not responded), 4 failed, 5 delivered+responded: reached 4, responded 2.
# c2: 1 delivered (user 6's touch is not a c2 membership): reached 1, responded 0.
# c3: 12 delivered+responded, 13 delivered, 14 bounced: reached 2, responded 1.
#
# Conversions in [selected_at, selected_at + 7 days] and before as_of:
# c1 treatment: 1 at +0 s (100) and +2.5 d (50); 2 at exactly +7 d (80); 3 at
#   +7 d 1 s (too late); 4 before selection; 5 at +1.25 d (20). Converted 3,
#   orders 4, amount 250, first-conversion delays 0 + 7 + 1.25 = 8.25 days.
# c1 control: 21 at +1 d; 22 at +10 d (too late): 1 of 4.
# c2 treatment: 3 at +1 d (60); 1 and 2 bought before 02-20: 1 of 3, 1 order, 1 day.
# c2 control: 25 at +2 d: 1 of 2.
# c3 treatment: 12 at +2 d (200); 13 at 03-01 = as_of (outside): 1 of 4.
# c3 control: 27 at +1 d, 28 at +0 s: 2 of 2.


def test_activation(run: KpiRun) -> None:
    # (campaigns, members, reached, responded, activation rate, response rate)
    expected = {
        # c1 + c2: 8 + 3 members, 4 + 1 reached, 2 + 0 responded
        "vip_member": (2, 11, 5, 2, 5 / 11, 2 / 5),
        "skin_type": (1, 8, 4, 2, 0.5, 0.5),  # c1
        "ltv_score": (1, 4, 2, 1, 0.5, 0.5),  # c3
        "visit_count_90d": (0, 0, 0, 0, None, None),  # no campaign
    }
    for name, numbers in expected.items():
        a = run.tags[name].activation
        assert a is not None, name
        found = (a.campaigns, a.members, a.reached, a.responded)
        assert found == numbers[:4], name
        assert (a.activation_rate, a.response_rate) == (approx(numbers[4]), approx(numbers[5]))


def test_conversion_groups_orders_and_cycle(run: KpiRun) -> None:
    vip = run.tags["vip_member"].conversion
    assert vip is not None
    # treatment c1 + c2: 11 members, 3 + 1 converted; control 4 + 2 members, 1 + 1.
    assert (vip.campaigns, vip.treatment.members, vip.treatment.converted) == (2, 11, 4)
    assert (vip.control.members, vip.control.converted) == (6, 2)
    assert (vip.treatment.rate, vip.control.rate) == (approx(4 / 11), approx(1 / 3))
    # 4/11 - 1/3 = 1/33; relative (1/33) / (1/3) = 1/11.
    assert vip.absolute_lift == approx(1 / 33)
    assert vip.relative_lift == approx(1 / 11)
    # orders 4 + 1, amount 250 + 60 = 310: 62 per order; cycle (8.25 + 1) / 4 = 2.3125 d.
    assert (vip.orders, vip.average_order_value) == (5, approx(62.0))
    assert vip.conversion_cycle_days == approx(2.3125)

    skin = run.tags["skin_type"].conversion
    assert skin is not None
    # c1 only: 3/8 against 1/4; lift 0.125, relative 0.5; 250 / 4 orders; 8.25 / 3 d.
    assert (skin.treatment.members, skin.treatment.converted) == (8, 3)
    assert (skin.control.members, skin.control.converted) == (4, 1)
    assert (skin.absolute_lift, skin.relative_lift) == (approx(0.125), approx(0.5))
    assert (skin.orders, skin.average_order_value) == (4, approx(62.5))
    assert skin.conversion_cycle_days == approx(2.75)

    ltv = run.tags["ltv_score"].conversion
    assert ltv is not None
    # c3: 1/4 against 2/2: lift -0.75, relative -0.75; one order of 200 after 2 days.
    assert (ltv.treatment.members, ltv.treatment.converted) == (4, 1)
    assert (ltv.control.members, ltv.control.converted) == (2, 2)
    assert (ltv.absolute_lift, ltv.relative_lift) == (approx(-0.75), approx(-0.75))
    assert (ltv.orders, ltv.average_order_value, ltv.conversion_cycle_days) == (1, 200.0, 2.0)

    none = run.tags["visit_count_90d"].conversion
    assert none is not None
    assert (none.campaigns, none.treatment.members, none.control.members) == (0, 0, 0)
    assert (none.absolute_lift, none.p_value, none.q_value) == (None, None, None)
    assert (none.orders, none.average_order_value, none.conversion_cycle_days) == (0, None, None)


def test_conversion_statistics(run: KpiRun) -> None:
    # Pooled z: vip (4/11 - 1/3) / sqrt(6/17 * 11/17 * (1/11 + 1/6)) = sqrt(17)/33
    # = 0.1249426; skin 0.125 / sqrt(1/3 * 2/3 * 3/8) = sqrt(3)/4 = 0.4330127;
    # ltv -0.75 / sqrt(0.5 * 0.5 * 0.75) = -sqrt(3). Two-sided p = erfc(|z| / sqrt 2):
    # 0.9005690, 0.6650055, 0.0832645. Benjamini-Hochberg over these three (the
    # only tags with a test), ranks 3, 2, 1: q = 0.9005690, min(0.9005690,
    # 0.6650055 * 3/2) = 0.9005690, min(0.9005690, 0.0832645 * 3) = 0.2497935.
    # Wald interval: diff +- 1.959964 * sqrt(p1 q1 / n1 + p2 q2 / n2):
    # vip se 0.2409852 -> [-0.4420192, 0.5026253]; skin se 0.2759925 ->
    # [-0.4159354, 0.6659354]; ltv se 0.2165064 -> [-1.1743447, -0.3256553].
    expected = {
        "vip_member": (0.1249426, 0.9005690, 0.9005690, -0.4420192, 0.5026253),
        "skin_type": (0.4330127, 0.6650055, 0.9005690, -0.4159354, 0.6659354),
        "ltv_score": (-1.7320508, 0.0832645, 0.2497935, -1.1743447, -0.3256553),
    }
    for name, numbers in expected.items():
        c = run.tags[name].conversion
        assert c is not None
        found = (c.z, c.p_value, c.q_value, c.ci_low, c.ci_high)
        assert found == approx(numbers, abs=2e-7), name
        assert c.significant is False  # groups far below kpi.min_sample (100)


def test_audience_quality(run: KpiRun) -> None:
    # Converters in the window: 1, 2, 3, 4, 5, 9, 12, 21, 22, 25, 27, 28 (rate 0.4).
    # Holders among them / holders, index = holder rate / 0.4:
    expected = {
        "vip_member": (6, 0.6, 1.5),  # 1-5, 9 of 1-10
        "skin_type": (7, 0.5, 1.25),  # 1-5, 9, 12 of 1-14
        "visit_count_90d": (6, 0.5, 1.25),  # 1-5, 9 of 1-11, 13
        "ltv_score": (6, 0.6, 1.5),
        "first_order_date": (4, 4 / 6, 5 / 3),  # 1, 2, 3, 5 of 1, 2, 3, 5, 6, 8
        "favorite_brand": (10, 0.4, 1.0),  # all twelve but 27, 28 (no brand)
        "legacy_segment": (3, 1.0, 2.5),
    }
    for name, (converted, rate, index) in expected.items():
        q = run.tags[name].audience_quality
        assert q is not None, name
        assert (q.holders_converted, q.holder_rate, q.population_rate, q.index) == (
            converted,
            approx(rate),
            approx(0.4),
            approx(index),
        ), name
    push = run.tags["push_optin"].audience_quality
    assert push is not None
    assert (push.holders_converted, push.holder_rate, push.index) == (0, None, None)


def test_catalog(run: KpiRun) -> None:
    catalog = run.catalog
    assert (catalog.tags, catalog.measured) == (9, 8)  # draft_idea is not measured
    assert catalog.status == {"deprecated": 1, "draft": 1, "online": 6, "testing": 1}
    cov = catalog.coverage
    # Online tags: vip_member, skin_type (profile, core), visit_count_90d, push_optin
    # (behavior), ltv_score (prediction), favorite_brand (preference). Users holding
    # any: 1-25 -> 25/30. profile 1-14; behavior 1-11, 13; prediction 1-10;
    # preference 1-25. Core any 1-14, all (vip and skin) 1-10, mean (10 + 14) / 2 / 30.
    assert cov.overall == approx(25 / 30)
    assert cov.categories == {
        "behavior": approx(12 / 30),
        "prediction": approx(10 / 30),
        "preference": approx(25 / 30),
        "profile": approx(14 / 30),
    }
    assert (cov.core_tags, cov.core_any, cov.core_all) == (2, approx(14 / 30), approx(10 / 30))
    assert cov.core_mean == approx(0.4)
    # Zombies (online, no event in the window): visit_count_90d, push_optin; 4 of
    # 6 online tags used. Cold: online, coverage < 0.01, unused: push_optin.
    assert catalog.zombie == ["push_optin", "visit_count_90d"]
    assert catalog.usage_rate == approx(4 / 6)
    assert catalog.cold == ["push_optin"]
    # Stars (top 2 online tags with >= 2 uses, by log10(1 + uses), no significant
    # lift): vip_member log10(7) = 0.845098, skin_type log10(3) = 0.4771213.
    assert catalog.star == ["vip_member", "skin_type"]
    assert run.tags["vip_member"].score == approx(0.845098, abs=1e-6)
    assert run.tags["skin_type"].score == approx(0.4771213, abs=1e-7)


def test_alerts(run: KpiRun) -> None:
    # Violation rates above 0.001 alert; stale alerts; online and unused is a
    # zombie warning; an online tag without rows is `no_data` (alert). No tag is
    # below min_coverage 0.01 except push_optin, which no_data covers. vip_member
    # and ltv_score are both held by users 1-10: one audience (Jaccard 1, phi 1);
    # same size, no changelog, so the later name is the one `redundant` warns.
    expected = {
        "vip_member": ["domain_violations", "redundant"],
        "skin_type": ["stale", "domain_violations"],
        "visit_count_90d": ["domain_violations", "zombie"],
        "ltv_score": ["domain_violations"],  # negative lift, but not significant
        "first_order_date": ["domain_violations"],  # testing: never a zombie
        "favorite_brand": ["stale"],
        "legacy_segment": [],
        "push_optin": ["no_data", "zombie"],
        "draft_idea": [],
    }
    assert {name: [a.code for a in kpi.alerts] for name, kpi in run.tags.items()} == expected
    push = {a.code: a.level for a in run.tags["push_optin"].alerts}
    assert push == {"no_data": "alert", "zombie": "warning"}
    # 3 warnings (the zombies, redundant), 8 alerts (5 violations, 2 stale, 1 no_data).
    assert run.catalog.alerts == {"warning": 3, "alert": 8}
    assert run.level() == "alert"


def test_document_is_json_ready(run: KpiRun) -> None:
    document = run.document()
    assert document["as_of"] == "2026-03-01T00:00:00"
    assert document["population"]["size"] == 30
    vip = document["tags"]["vip_member"]
    assert vip["usage"]["last_used"] == "2026-02-25T10:00:00"
    assert vip["alerts"][0] == {
        "code": "domain_violations",
        "level": "alert",
        "message": "1 values (9.09%) outside the declared domain",
    }
    assert document["catalog"]["coverage"]["overall"] == approx(25 / 30, abs=1e-6)


def test_active_population(backend: Backend) -> None:
    run = backend.run(exact_dataset(), CATALOG, kpi={"population": "active"})
    # P = users 1-20; converters among them 1, 2, 3, 4, 5, 9, 12: 7/20.
    assert (run.population.size, run.population.definition) == (20, "active")
    assert (run.population.converted, run.population.conversion_rate) == (7, approx(0.35))
    # favorite_brand: 1-20 hold (lumiere 3, aurora 2, b01-b15): coverage 1, nothing
    # left over; vip_member 10/20; skin_type 14/20; every active user holds an
    # online tag.
    brand = run.tags["favorite_brand"]
    assert (brand.holders, brand.coverage, brand.values_other) == (20, 1.0, 0)
    assert len(brand.values or ()) == 17
    assert run.tags["vip_member"].coverage == approx(0.5)
    assert run.tags["skin_type"].coverage == approx(0.7)
    assert run.catalog.coverage.overall == approx(1.0)
    # holders converted of favorite_brand: 1-5, 9, 12 = 7 of 20: index 0.35/0.35 = 1.
    q = run.tags["favorite_brand"].audience_quality
    assert q is not None
    assert (q.holders_converted, q.index) == (7, approx(1.0))


def test_a_shorter_window(backend: Backend) -> None:
    run = backend.run(exact_dataset(), CATALOG, window_days=7)
    # Window [02-22, 03-01): vip_member's only use is model s1 on 02-25.
    vip = run.tags["vip_member"].usage
    assert vip is not None
    assert (vip.events, vip.consumers, vip.by_consumer_type) == (1, 1, {"model": 1})
    # Converters: 12 (02-28), 25 (02-22), 27 (02-27), 28 (02-26) = 4 of 30.
    assert run.population.converted == 4
    # Campaigns: only c3 (02-26) is selected in the window.
    activation = run.tags["vip_member"].activation
    assert activation is not None
    assert activation.members == 0
    ltv = run.tags["ltv_score"].activation
    assert ltv is not None
    assert (ltv.members, ltv.reached) == (4, 2)


def _with_duplicates() -> Dataset:
    data = exact_dataset()
    data.tag_values += [
        value(1, "vip_member", "true", at(2, 27)),  # user 1's vip_member row again
        value(5, "skin_type", "dry", at(2, 19)),  # user 5's skin_type row again
    ]
    return data


def test_distinct_counting_by_default(backend: Backend) -> None:
    run = backend.run(_with_duplicates(), CATALOG)
    # Repeated rows change nothing: vip_member 10 holders, 6 converted; skin_type
    # 14 holders, dry 2, 7 converted.
    vip, skin = run.tags["vip_member"], run.tags["skin_type"]
    assert (vip.holders, skin.holders) == (10, 14)
    assert shares(skin)[1] == ("dry", 2, approx(2 / 14))
    assert vip.audience_quality is not None and skin.audience_quality is not None
    assert (vip.audience_quality.holders_converted, skin.audience_quality.holders_converted) == (
        6,
        7,
    )
    # The last update of each tag is still the latest row.
    assert (vip.last_updated, skin.last_updated) == (at(2, 28, 18), at(2, 20))


def test_unique_counts_rows(backend: Backend) -> None:
    tables = {"tag_values": {"unique": True}}
    run = backend.run(_with_duplicates(), CATALOG, tables=tables)
    # `unique: true` is the user's promise of one row per (user, tag): rows are
    # counted, so each repeated row counts again. vip_member 11 holders (user 1
    # twice), 7 converted (user 1 is a converter); skin_type 15 holders, dry 3,
    # 8 converted (user 5 is a converter). Catalog coverage counts users: unchanged.
    vip, skin = run.tags["vip_member"], run.tags["skin_type"]
    assert (vip.holders, vip.coverage) == (11, approx(11 / 30))
    assert (skin.holders, shares(skin)[1]) == (15, ("dry", 3, approx(3 / 15)))
    assert vip.audience_quality is not None and skin.audience_quality is not None
    assert (vip.audience_quality.holders_converted, skin.audience_quality.holders_converted) == (
        7,
        8,
    )
    cov = run.catalog.coverage
    assert (cov.overall, cov.core_any, cov.core_all) == (
        approx(25 / 30),
        approx(14 / 30),
        approx(10 / 30),
    )
    # Without duplicates, both modes agree.
    exact = backend.run(exact_dataset(), CATALOG, tables=tables)
    assert {name: kpi.holders for name, kpi in exact.tags.items() if kpi.holders is not None} == (
        HOLDERS
    )


@pytest.mark.parametrize("unique", [False, True])
def test_flags_in_several_words(
    backend: Backend, monkeypatch: pytest.MonkeyPatch, unique: bool
) -> None:
    # Two flags per word: the online tags' categories and core tags spread over
    # several words, and catalog coverage is the same as with one word.
    tables = {"tag_values": {"unique": unique}}
    one_word = backend.run(_with_duplicates(), CATALOG, tables=tables).catalog.coverage
    online = [tag for tag in CATALOG if tag.status == "online"]
    flags = len({tag.category for tag in online}) + sum(tag.tier == "core" for tag in online)
    assert flags >= 5  # three words or more
    monkeypatch.setattr(relations, "BITS_PER_WORD", 2)
    spread = backend.run(_with_duplicates(), CATALOG, tables=tables).catalog.coverage
    assert spread == one_word
    assert spread.core_all is not None and 0 < spread.core_all < spread.core_any


def test_known_users_skips_the_population_check(backend: Backend) -> None:
    # `known_users: true` promises that every tag row's user is a users row, so
    # no pass checks membership of P. The exact dataset breaks the promise once:
    # user 31 (not in users) holds vip_member, and is then counted: 11 holders
    # instead of 10, and 26 users with an online tag instead of 25 (of |P| = 30).
    tables = {"tag_values": {"unique": True, "known_users": True}}
    broken = backend.run(exact_dataset(), CATALOG, tables=tables)
    assert (broken.tags["vip_member"].holders, broken.tags["skin_type"].holders) == (11, 14)
    assert broken.population.size == 30
    assert broken.catalog.coverage.overall == approx(26 / 30)
    # Kept, the promise changes nothing.
    kept = _without_user(exact_dataset(), 31)
    promised = backend.run(kept, CATALOG, tables=tables)
    plain = backend.run(kept, CATALOG, tables={"tag_values": {"unique": True}})
    assert promised.document()["tags"] == plain.document()["tags"]
    assert promised.catalog == plain.catalog
    assert promised.tags["vip_member"].holders == 10
    # With an active population P is still checked: the promise covers users only.
    active = backend.run(kept, CATALOG, kpi={"population": "active"}, tables=tables)
    checked = backend.run(kept, CATALOG, kpi={"population": "active"})
    assert active.document()["tags"] == checked.document()["tags"]


def _without_user(data: Dataset, user_id: int) -> Dataset:
    rows = [row for row in data.tag_values if row["user_id"] != user_id]
    return dataclasses.replace(data, tag_values=rows)


def test_selected_tags(backend: Backend) -> None:
    selected = ("skin_type", "ltv_score", "skin_type")  # a repeated name counts once
    run = backend.run(exact_dataset(), CATALOG, selected=selected)
    assert list(run.tags) == ["skin_type", "ltv_score"]
    assert (run.catalog.tags, run.catalog.measured) == (2, 2)
    # Only the selected tags count: users holding skin_type (1-14) or ltv_score
    # (1-10) are 1-14; categories profile and prediction; both used, no zombie.
    cov = run.catalog.coverage
    assert cov.overall == approx(14 / 30)
    assert cov.categories == {"prediction": approx(10 / 30), "profile": approx(14 / 30)}
    assert (cov.core_tags, cov.core_all) == (1, approx(14 / 30))
    assert (run.catalog.zombie, run.catalog.usage_rate) == ([], 1.0)
    # Benjamini-Hochberg over two tests (p 0.6650055 and 0.0832645): skin_type
    # min(1, 0.6650055 * 2/2) = 0.6650055; ltv_score min(0.6650055, 0.0832645 * 2)
    # = 0.1665290.
    skin, ltv = run.tags["skin_type"].conversion, run.tags["ltv_score"].conversion
    assert skin is not None and ltv is not None
    assert (skin.q_value, ltv.q_value) == approx((0.6650055, 0.1665290), abs=2e-7)
    assert run.tags["skin_type"].holders == 14


def test_only_a_draft_tag_selected(backend: Backend) -> None:
    run = backend.run(exact_dataset(), CATALOG, selected=("draft_idea",))
    # Nothing is measured, yet the population is.
    assert (run.catalog.measured, run.population.size, run.population.converted) == (0, 30, 12)
    assert run.tags["draft_idea"].holders is None
    assert (run.catalog.coverage.overall, run.catalog.usage_rate) == (0.0, None)


def test_unknown_tag_is_a_usage_error(backend: Backend) -> None:
    config = backend.config(CATALOG)
    with pytest.raises(UsageError) as raised:
        compute(KpiRequest(config, tags=("vip_member", "vip_membr"), as_of=AS_OF))
    assert raised.value.exit_code == 2
    assert "unknown tag: vip_membr" in str(raised.value)
    assert "did you mean vip_member?" in str(raised.value)


# -- text and types across warehouses ------------------------------------------------


def test_text_is_compared_exactly(backend: Backend) -> None:
    # Values that differ from the declared ones by case or by a space are outside
    # the domain, on every warehouse (MySQL and MariaDB collations ignore case and
    # trailing spaces unless the comparison is made byte for byte).
    data = Dataset(
        users=[user(uid) for uid in range(1, 7)],
        tag_values=[
            value(1, "skin_type", "oily", at(2, 1)),
            value(2, "skin_type", "Oily", at(2, 1)),
            value(3, "skin_type", "oily ", at(2, 1)),
            value(4, "skin_type", " ", at(2, 1)),
            value(5, "vip_member", "TRUE", at(2, 1)),
            value(6, "vip_member", "true ", at(2, 1)),
        ],
    )
    run = backend.run(data, CATALOG)
    skin, vip = run.tags["skin_type"], run.tags["vip_member"]
    # skin_type: four non-empty values, one valid; vip_member: no 'true', two violations.
    assert (skin.holders, skin.domain_violations, shares(skin)) == (4, 3, [("oily", 1, 0.25)])
    assert (vip.holders, vip.domain_violations, shares(vip)) == (0, 2, [])


def test_a_catalog_without_numeric_tags(backend: Backend) -> None:
    # Only boolean and enum tags: no measured tag has a range or bins, so every
    # numeric bound of the catalog's constants is NULL (PostgreSQL needs them typed).
    run = backend.run(exact_dataset(), [VIP, SKIN])
    vip, skin = run.tags["vip_member"], run.tags["skin_type"]
    assert (vip.holders, vip.domain_violations) == (10, 1)
    assert (skin.holders, skin.domain_violations) == (14, 2)


# -- several values of one tag --------------------------------------------------------


def test_a_user_with_several_values_counts_once(file_backend: Backend) -> None:
    # unique is not promised, so a user may have several rows of one tag. User 1:
    # visit_count_90d '2' and '3' (both in [1, 5)); user 2: skin_type 'junk' and
    # 'trash' (both outside the enum); user 3: first_order_date 2024-01-01 and
    # 2024-06-01 (both 2024). Each tag has one holder, who counts once in their
    # bucket or once as a violation: shares and rates are fractions.
    data = Dataset(
        users=[user(1), user(2), user(3)],
        tag_values=[
            value(1, "visit_count_90d", "2", at(2, 1)),
            value(1, "visit_count_90d", "3", at(2, 2)),
            value(2, "skin_type", "junk", at(2, 1)),
            value(2, "skin_type", "trash", at(2, 2)),
            value(3, "first_order_date", "2024-01-01", at(2, 1)),
            value(3, "first_order_date", "2024-06-01", at(2, 2)),
        ],
    )
    run = file_backend.run(data, CATALOG)
    visits, skin, first = (
        run.tags[n] for n in ("visit_count_90d", "skin_type", "first_order_date")
    )
    assert (skin.holders, skin.domain_violations, skin.domain_violation_rate) == (1, 1, 1.0)
    assert (visits.holders, shares(visits)) == (1, [("[1, 5)", 1, 1.0)])
    assert (first.holders, shares(first)) == (1, [("2024", 1, 1.0)])
