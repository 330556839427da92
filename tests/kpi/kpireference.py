"""A plain-Python statement of the KPI definitions of DESIGN.md section 6.

The value KPIs (audience quality, the conversion cycle with its control,
ROI, combinations, tag-driven sales) are stated in valuereference.py;
`expected` gives them in `Expected.values`.

Written from the definitions, row by row, for the small datasets of
test_kpi_property.py; it imports nothing from tagctl. It knows the value
types and bucket rules of the test catalog (kpicatalog.CATALOG): enum values,
declared bins, ten steps over a declared range, years of dates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from kpicatalog import TagSpec
from kpiwarehouse import Dataset, Row
from valuereference import Values, values

MEASURED = ("development", "testing", "online", "deprecated")
TOP = 20
INTEGER = re.compile(r"[-+]?[0-9]+")
NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def holds(tag: TagSpec, text: str | None) -> bool:
    """A value that makes its user a holder: present, not empty, 'true' for booleans."""
    if text is None or text == "":
        return False
    return tag.value_type != "boolean" or text == "true"


def violates(tag: TagSpec, text: str | None) -> bool:
    """A present value outside the tag's declared domain."""
    if text is None or text == "":
        return False
    kind = tag.value_type
    if kind == "boolean":
        return text not in ("true", "false")
    if kind == "enum":
        return text not in tag.values
    if kind in ("integer", "number"):
        pattern = INTEGER if kind == "integer" else NUMBER
        if not pattern.fullmatch(text):
            return True
        number = float(text)
        too_low = tag.minimum is not None and number < tag.minimum
        too_high = tag.maximum is not None and number > tag.maximum
        return too_low or too_high
    if kind == "date":
        return not DATE.fullmatch(text)
    return False


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def bucket_labels(tag: TagSpec) -> list[str]:
    """The numeric buckets of a tag, in order; empty for other value types."""
    if tag.value_type not in ("integer", "number"):
        return []
    if tag.bins:
        edges = list(tag.bins)
        inner = [f"[{_fmt(a)}, {_fmt(b)})" for a, b in pairwise(edges)]
        return [f"<{_fmt(edges[0])}", *inner, f">={_fmt(edges[-1])}"]
    assert tag.value_type == "number" and tag.minimum is not None and tag.maximum is not None
    edges = [tag.minimum + (tag.maximum - tag.minimum) * i / 10 for i in range(11)]
    labels = [f"[{_fmt(edges[i])}, {_fmt(edges[i + 1])})" for i in range(9)]
    return [*labels, f"[{_fmt(edges[9])}, {_fmt(tag.maximum)}]"]


def bucket(tag: TagSpec, text: str) -> str:
    """The bucket of a valid holder's value."""
    if tag.value_type in ("integer", "number"):
        number = float(text)
        labels = bucket_labels(tag)
        if tag.bins:
            return labels[sum(1 for edge in tag.bins if number >= edge)]
        assert tag.minimum is not None and tag.maximum is not None
        step = (tag.maximum - tag.minimum) / 10
        return labels[min(math.floor((number - tag.minimum) / step), 9)]
    if tag.value_type == "date":
        return text[:4]
    return text


@dataclass
class TagExpected:
    holders: int = 0
    violations: int = 0
    valued: int = 0  # holders and out-of-domain values: the base of the violation rate
    values: list[tuple[str, int]] = field(default_factory=list)
    values_other: int = 0
    holders_converted: int = 0
    last_updated: dt.datetime | None = None
    usage: tuple[Any, ...] = (0, 0, {}, {}, None)
    activation: tuple[int, int, int, int] = (0, 0, 0, 0)
    conversion: tuple[Any, ...] = (0, 0, 0, 0, 0, 0, 0.0, None)


@dataclass
class Expected:
    population: int
    converters: int
    tags: dict[str, TagExpected]
    overall: int
    categories: dict[str, int]
    core_any: int
    core_all: int
    zombie: list[str]
    values: Values


def expected(
    data: Dataset,
    tags: Sequence[TagSpec],
    as_of: dt.datetime,
    window_days: int,
    attribution_days: int,
    active_only: bool,
    min_sample: int = 100,
) -> Expected:
    """The KPIs of `data` by the definitions, counted from the rows."""
    start = as_of - dt.timedelta(days=window_days)
    people = {row["user_id"] for row in data.users if row["is_active"] or not active_only}
    buyers = {
        row["user_id"]
        for row in data.conversions or ()
        if start <= row["converted_at"] < as_of and row["user_id"] in people
    }
    measured = [tag for tag in tags if tag.status in MEASURED]
    # Point in time: a tag value updated at or after as_of did not exist then.
    existing = [row for row in data.tag_values if _before(row["updated_at"], as_of)]
    results = {tag.name: _values(tag, existing, people, buyers) for tag in measured}
    for tag in measured:
        results[tag.name].usage = _usage(tag.name, data.tag_usage or (), start, as_of)
        activation, conversion = _campaigns(tag.name, data, start, as_of, attribution_days)
        results[tag.name].activation = activation
        results[tag.name].conversion = conversion
    online = [tag for tag in measured if tag.status == "online"]
    held = {tag.name: _holders(tag, existing, people) for tag in measured}
    holding = {tag.name: held[tag.name] for tag in online}
    window = (start, as_of)
    core = [tag.name for tag in online if tag.tier == "core"]
    return Expected(
        population=len(people),
        converters=len(buyers),
        tags=results,
        overall=len(_union(holding.values())),
        categories={
            key: len(_union(holding[t.name] for t in online if t.category == key))
            for key in {tag.category for tag in online}
        },
        core_any=len(_union(holding[name] for name in core)),
        core_all=len(set.intersection(*(holding[name] for name in core))) if core else 0,
        zombie=sorted(tag.name for tag in online if results[tag.name].usage[0] == 0),
        values=values(data, held, people, window, attribution_days, min_sample),
    )


def _before(moment: dt.datetime | None, as_of: dt.datetime) -> bool:
    """A row existed at as_of: dated before it, or not dated at all."""
    return moment is None or moment < as_of


def _union(sets: Iterable[set[int]]) -> set[int]:
    return set().union(*sets)


def _holders(tag: TagSpec, rows: Sequence[Row], people: set[int]) -> set[int]:
    return {
        row["user_id"]
        for row in rows
        if row["tag_name"] == tag.name and row["user_id"] in people and holds(tag, row["tag_value"])
    }


def _values(tag: TagSpec, rows: Sequence[Row], people: set[int], buyers: set[int]) -> TagExpected:
    mine = [row for row in rows if row["tag_name"] == tag.name and row["user_id"] in people]
    holders = _holders(tag, rows, people)
    bad = {row["user_id"] for row in mine if violates(tag, row["tag_value"])}
    per_bucket: dict[str, set[int]] = defaultdict(set)
    for row in mine:
        text = row["tag_value"]
        if holds(tag, text) and not violates(tag, text):
            per_bucket[bucket(tag, text)].add(row["user_id"])
    sizes = {label: len(users) for label, users in per_bucket.items()}
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
    kept, rest = ranked[:TOP], ranked[TOP:]
    order = bucket_labels(tag) or list(tag.values)
    if order:
        kept.sort(key=lambda item: order.index(item[0]))
    return TagExpected(
        holders=len(holders),
        violations=len(bad),
        valued=len(holders | bad),
        values=kept,
        values_other=sum(size for _, size in rest),
        holders_converted=len(holders & buyers),
        last_updated=max((row["updated_at"] for row in mine), default=None),
    )


def _usage(
    name: str, rows: Iterable[Row], start: dt.datetime, as_of: dt.datetime
) -> tuple[Any, ...]:
    mine = [row for row in rows if row["tag_name"] == name and row["used_at"] < as_of]
    window = [row for row in mine if row["used_at"] >= start]
    return (
        len(window),
        len({(row["consumer_type"], row["consumer_id"]) for row in window}),
        dict(Counter(row["consumer_type"] for row in window)),
        dict(Counter(row["department"] for row in window)),
        max((row["used_at"] for row in mine), default=None),
    )


def _campaigns(
    name: str, data: Dataset, start: dt.datetime, as_of: dt.datetime, days: int
) -> tuple[tuple[int, int, int, int], tuple[Any, ...]]:
    """(campaigns, members, reached, responded) and (campaigns, treatment members,
    converted, control members, converted, orders, average order value, cycle days).
    The average order value divides by the orders with an amount (NULL: unknown)."""
    linked = {row["campaign_id"] for row in data.campaign_tags or () if row["tag_name"] == name}
    chosen = [
        row
        for row in data.campaign_members or ()
        if row["campaign_id"] in linked
        and row["group_name"] in ("treatment", "control")
        and start <= row["selected_at"] < as_of
    ]
    touches = [
        t
        for t in data.touches or ()
        if t["status"] == "delivered" and _before(t["touched_at"], as_of)
    ]
    delivered = {(t["campaign_id"], t["user_id"]) for t in touches}
    responded = {
        (t["campaign_id"], t["user_id"])
        for t in touches
        if t["responded_at"] is not None and t["responded_at"] < as_of
    }
    limit = dt.timedelta(days=days)
    groups: dict[str, list[int]] = {"treatment": [0, 0], "control": [0, 0]}
    campaigns: dict[str, set[str]] = {"treatment": set(), "control": set()}
    reached = answered = orders = 0
    amount, priced, delays = 0.0, 0, []
    for row in chosen:
        key, group = (row["campaign_id"], row["user_id"]), row["group_name"]
        campaigns[group].add(row["campaign_id"])
        bought = [
            c
            for c in data.conversions or ()
            if c["user_id"] == row["user_id"]
            and row["selected_at"] <= c["converted_at"] <= row["selected_at"] + limit
            and c["converted_at"] < as_of
        ]
        groups[group][0] += 1
        groups[group][1] += 1 if bought else 0
        if group != "treatment":
            continue
        reached += key in delivered
        answered += key in responded
        orders += len(bought)
        known = [c["amount"] for c in bought if c["amount"] is not None]
        amount, priced = amount + sum(known), priced + len(known)
        if bought:
            first = min(c["converted_at"] for c in bought)
            delays.append((first - row["selected_at"]).total_seconds() / 86400)
    treated, control = groups["treatment"], groups["control"]
    activation = (len(campaigns["treatment"]), treated[0], reached, answered)
    cycle = sum(delays) / len(delays) if delays else None
    most = max(len(campaigns["treatment"]), len(campaigns["control"]))
    value = amount / priced if priced else None
    conversion = (most, *treated, *control, orders, value, cycle)
    return activation, conversion
