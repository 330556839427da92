"""The hand-checked dataset of test_kpi_exact.py (and of the wide-layout and SQL tests).

As of 2026-03-01 00:00 (kpicatalog.AS_OF), window 30 days: [2026-01-30 00:00, 2026-03-01 00:00),
attribution 7 days. Thirty users, 1-20 active, 21-30 inactive. Every row
says what it is there for; the expected numbers are derived in
test_kpi_exact.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kpicatalog import AS_OF
from kpiwarehouse import Dataset, Row, conversion, member, touch, use, user, value


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """A time in 2026 (naive UTC, whole seconds)."""
    return dt.datetime(2026, month, day, hour, minute, second)


JUST_BEFORE_WINDOW = dt.datetime(2026, 1, 29, 23, 59, 59)
WINDOW_START = at(1, 30)


def _tag_values() -> list[Row]:
    rows: list[Row] = []

    def add(tag: str, updated: dt.datetime, items: Mapping[int, str | None]) -> None:
        rows.extend(value(uid, tag, text, updated) for uid, text in items.items())

    vip = at(2, 28, 12)
    add("vip_member", vip, {uid: "true" for uid in (1, 2, 4, 5, 6, 7, 8, 9, 10)})
    add("vip_member", at(2, 28, 18), {3: "true"})  # the latest update of the tag in P
    add("vip_member", vip, {uid: "false" for uid in range(11, 16)})  # not holders
    add("vip_member", vip, {16: "", 17: "yes", 18: None})  # empty, junk, NULL
    add("vip_member", at(2, 28, 23), {31: "true"})  # user 31 is not in users

    skin = {uid: "oily" for uid in range(1, 5)}
    skin |= {5: "dry", 6: "dry"} | {uid: "combination" for uid in range(7, 13)}
    skin |= {13: "greasy", 14: "unknown", 15: ""}  # two values outside the enum, one empty
    add("skin_type", at(2, 20), skin)

    add(
        "visit_count_90d",
        at(2, 28),
        {1: "0", 2: "1", 3: "4", 4: "5", 5: "9", 6: "10", 7: "90", 13: "+7"}
        | {8: "91", 9: "-1", 10: "3.5", 11: "abc", 12: ""},  # out of range, not integers, empty
    )
    add(
        "ltv_score",
        at(2, 1),
        {1: "0", 2: "99.5", 3: "100", 4: "550.25", 5: "1000", 6: "1e2", 10: ".5"}
        | {7: "1000.5", 8: "-0.1", 9: "n/a"},  # above max, below min, not a number
    )
    add(
        "first_order_date",
        dt.datetime(2025, 6, 1),
        {1: "2024-05-01", 2: "2024-12-31", 3: "2025-01-15", 8: "2026-02-01"}
        | {5: "2025/01/15", 6: "yesterday", 7: ""},
    )
    brands = {1: "lumiere", 2: "lumiere", 3: "lumiere", 4: "aurora", 5: "aurora"}
    brands |= {uid: f"b{uid - 5:02d}" for uid in range(6, 26)}  # b01 (user 6) .. b20 (user 25)
    add("favorite_brand", at(2, 28, 20), brands | {26: ""})
    add("legacy_segment", at(2, 15), {1: "gold", 2: "silver", 3: "silver"})
    add("draft_idea", at(2, 28), {1: "true"})  # a draft tag is never measured
    add("ghost_tag", at(2, 28), {1: "x"})  # not in the catalog
    return rows


def _usage() -> list[Row]:
    vip = "vip_member"
    return [
        use(vip, at(2, 10, 9), "segment", "s1", "marketing"),
        use(vip, at(2, 11, 9), "segment", "s1", "marketing"),
        use(vip, at(2, 12, 9), "segment", "s2", "marketing"),
        use(vip, at(2, 20, 8), "push", "p1", "crm"),
        use(vip, WINDOW_START, "api", "a1", "it"),  # first instant of the window: counted
        use(vip, at(2, 25, 10), "model", "s1", "data"),  # same id, other type: a fifth consumer
        use(vip, JUST_BEFORE_WINDOW, "report", "r1", "bi"),  # before the window
        use(vip, AS_OF, "report", "r1", "bi"),  # at as_of: outside, and not a last use
        use("skin_type", at(2, 1, 9), "segment", "s1", "marketing"),
        use("skin_type", at(2, 2, 9), "segment", "s1", "marketing"),
        use("visit_count_90d", dt.datetime(2025, 12, 1, 9), "segment", "s3", "marketing"),
        use("ltv_score", at(2, 15, 9), "model", "m1", "data"),
        use("favorite_brand", dt.datetime(2026, 2, 28, 23, 59, 59), "report", "r2", "bi"),
        use("first_order_date", at(2, 3, 9), "api", "a2", "it"),
        use("draft_idea", at(2, 3, 9), "segment", "s1", "marketing"),
        use("ghost_tag", at(2, 3, 9), "segment", "s1", "marketing"),
    ]


CAMPAIGN_TAGS = [
    {"campaign_id": "c1", "tag_name": "vip_member"},
    {"campaign_id": "c1", "tag_name": "skin_type"},
    {"campaign_id": "c1", "tag_name": "vip_member"},  # repeated link: counts once
    {"campaign_id": "c2", "tag_name": "vip_member"},
    {"campaign_id": "c3", "tag_name": "ltv_score"},
    {"campaign_id": "c9", "tag_name": "ghost_tag"},
]


def _members() -> list[Row]:
    rows = [member("c1", uid, "treatment", at(2, 10)) for uid in range(1, 9)]
    rows += [member("c1", uid, "control", at(2, 10)) for uid in range(21, 25)]
    rows += [
        member("c1", 9, "treatment", JUST_BEFORE_WINDOW),  # selected before the window
        member("c1", 10, "treatment", AS_OF),  # selected at as_of: outside
        member("c1", 11, "holdout", at(2, 10)),  # neither treatment nor control
    ]
    rows += [member("c2", uid, "treatment", at(2, 20)) for uid in (1, 2, 3)]
    rows += [member("c2", uid, "control", at(2, 20)) for uid in (25, 26)]
    rows += [member("c3", uid, "treatment", at(2, 26)) for uid in range(12, 16)]
    rows += [member("c3", uid, "control", at(2, 26)) for uid in (27, 28)]
    return rows


TOUCHES = [
    touch("c1", 1, at(2, 10, 10), "delivered", at(2, 10, 12)),
    touch("c1", 2, at(2, 10, 10), "delivered"),
    touch("c1", 3, at(2, 10, 10), "failed", at(2, 10, 11)),  # a failed touch's response
    touch("c1", 3, at(2, 10, 11), "delivered"),  # ... then delivered: reached, not responded
    touch("c1", 4, at(2, 10, 10), "failed"),
    touch("c1", 5, at(2, 10, 10), "delivered", at(2, 11)),
    touch("c1", 21, at(2, 10, 10), "delivered"),  # control group
    touch("c2", 1, at(2, 20, 10), "delivered"),
    touch("c2", 6, at(2, 20, 10), "delivered"),  # user 6 is no member of c2
    touch("c3", 12, at(2, 26, 10), "delivered", at(2, 26, 12)),
    touch("c3", 13, at(2, 26, 10), "delivered"),
    touch("c3", 14, at(2, 26, 10), "bounced"),
]

CONVERSIONS = [
    conversion(1, at(2, 10), 100.0),  # c1, at the instant of selection
    conversion(1, at(2, 12, 12), 50.0),  # c1, second order
    conversion(2, at(2, 17), 80.0),  # c1, exactly 7 days after selection
    conversion(3, at(2, 17, 0, 0, 1), 30.0),  # c1, 7 days and 1 second: too late
    conversion(3, at(2, 21), 60.0),  # c2, 1 day
    conversion(4, dt.datetime(2026, 2, 9, 23, 59, 59), 25.0),  # before selection in c1
    conversion(5, at(2, 11, 6), 20.0),  # c1, 1.25 days
    conversion(21, at(2, 11), 40.0),  # c1 control
    conversion(22, at(2, 20), 15.0),  # c1 control, 10 days: too late
    conversion(25, at(2, 22), 10.0),  # c2 control
    conversion(12, at(2, 28), 200.0),  # c3, 2 days
    conversion(13, AS_OF, 90.0),  # at as_of: outside
    conversion(27, at(2, 27), 5.0),  # c3 control
    conversion(28, at(2, 26), 5.0),  # c3 control, at selection
    conversion(7, JUST_BEFORE_WINDOW, 10.0),  # before the window
    conversion(9, WINDOW_START, 10.0),  # first instant of the window
    conversion(31, at(2, 15), 10.0),  # not a user
]


def exact_dataset() -> Dataset:
    """A fresh copy of the hand-checked dataset."""
    return Dataset(
        users=[user(uid, active=uid <= 20) for uid in range(1, 31)],
        tag_values=_tag_values(),
        tag_usage=_usage(),
        campaign_tags=[dict(row) for row in CAMPAIGN_TAGS],
        campaign_members=_members(),
        touches=[dict(row) for row in TOUCHES],
        conversions=[dict(row) for row in CONVERSIONS],
    )
