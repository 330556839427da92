"""The value KPIs in plain Python: audience quality, cycle, ROI, combinations, tag-driven.

Written from the definitions of the value KPIs, row by row, for the small
datasets of the KPI tests; it imports nothing from tagctl, and its figures
have the shapes of the KPI document's blocks (plain dicts, None for null).
The statistics (the two-proportion z test with the pooled standard error,
the Wald interval, Benjamini-Hochberg, and the Student t quantile of
Welch's interval, by numerical integration of the t density) are those of
the demo's independent check, `tests/demovalue.py`, which imports nothing
from tagctl either.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kpiwarehouse import Dataset, Row

from tests.demovalue import benjamini_hochberg as bh
from tests.demovalue import lift, t_quantile

GROUPS = ("treatment", "control")
Block = dict[str, Any]


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# -- memberships and what is attributed to them --------------------------------------


@dataclass(frozen=True)
class Membership:
    """A treatment or control membership selected in the window, and its attributed conversions."""

    campaign: str
    user: int
    group: str
    selected: dt.datetime
    bought: tuple[int, ...]  # indexes into the dataset's conversions

    def first_days(self, conversions: Sequence[Row]) -> float | None:
        """Days from selection to the first attributed conversion; None without one."""
        if not self.bought:
            return None
        first = min(conversions[i]["converted_at"] for i in self.bought)
        return (first - self.selected).total_seconds() / 86400


def memberships(
    data: Dataset, start: dt.datetime, as_of: dt.datetime, days: int
) -> list[Membership]:
    """Every counted membership with the indexes of the conversions attributed to it."""
    limit = dt.timedelta(days=days)
    conversions = data.conversions or []
    found = []
    for row in data.campaign_members or ():
        selected = row["selected_at"]
        if row["group_name"] not in GROUPS or not start <= selected < as_of:
            continue
        bought = tuple(
            i
            for i, c in enumerate(conversions)
            if c["user_id"] == row["user_id"]
            and selected <= c["converted_at"] <= selected + limit
            and c["converted_at"] < as_of
        )
        found.append(
            Membership(row["campaign_id"], row["user_id"], row["group_name"], selected, bought)
        )
    return found


def window_conversions(
    data: Dataset, people: Collection[int], start: dt.datetime, as_of: dt.datetime
) -> list[int]:
    """Indexes of the conversions in the window by users of P."""
    return [
        i
        for i, c in enumerate(data.conversions or ())
        if start <= c["converted_at"] < as_of and c["user_id"] in people
    ]


# -- 1. audience quality -------------------------------------------------------------


def aov(amounts: Iterable[float | None]) -> float | None:
    """Sum of the known amounts over their number; None when none is known."""
    known = [amount for amount in amounts if amount is not None]
    return sum(known) / len(known) if known else None


def repeat_rate(orders: Counter[int], users: Collection[int]) -> float | None:
    """Users with two or more conversions over users with one or more."""
    buying = [uid for uid in users if orders[uid] >= 1]
    return ratio(sum(1 for uid in buying if orders[uid] >= 2), len(buying))


def quality(holders: Collection[int], people: Collection[int], rows: Sequence[Row]) -> Block:
    """The new keys of a tag's audience_quality; `rows` are the window's conversions of P."""
    orders = Counter(row["user_id"] for row in rows)
    holder_aov = aov(row["amount"] for row in rows if row["user_id"] in holders)
    population_aov = aov(row["amount"] for row in rows)
    holder_repeat = repeat_rate(orders, holders)
    population_repeat = repeat_rate(orders, people)
    aov_index = None
    if holder_aov is not None and population_aov is not None and population_aov > 0:
        aov_index = holder_aov / population_aov
    repeat_index = None
    if holder_repeat is not None and population_repeat:
        repeat_index = holder_repeat / population_repeat
    return {
        "holder_orders": sum(orders[uid] for uid in holders),
        "holder_aov": holder_aov,
        "population_aov": population_aov,
        "aov_index": aov_index,
        "holder_repeat_rate": holder_repeat,
        "population_repeat_rate": population_repeat,
        "repeat_index": repeat_index,
    }


# -- 2. conversion cycle with its control ----------------------------------------------


def variance(values: Sequence[float]) -> float:
    """The sample variance (n - 1) of two or more values."""
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def cycle(members: Iterable[Membership], conversions: Sequence[Row]) -> Block:
    """The cycle keys of a conversion block, pooled over `members`."""
    days: dict[str, list[float]] = {group: [] for group in GROUPS}
    for m in members:
        first = m.first_days(conversions)
        if first is not None:
            days[m.group].append(first)
    treated, control = days["treatment"], days["control"]
    mean_t = sum(treated) / len(treated) if treated else None
    mean_c = sum(control) / len(control) if control else None
    difference = None
    if mean_t is not None and mean_c is not None:
        difference = mean_t - mean_c
    low = high = None
    if len(treated) >= 2 and len(control) >= 2 and difference is not None:
        a, b = variance(treated) / len(treated), variance(control) / len(control)
        if a + b == 0:
            low = high = difference
        else:
            df = (a + b) ** 2 / (a * a / (len(treated) - 1) + b * b / (len(control) - 1))
            half = t_quantile(0.975, df) * math.sqrt(a + b)
            low, high = difference - half, difference + half
    return {
        "conversion_cycle_days": mean_t,
        "control_cycle_days": mean_c,
        "cycle_difference_days": difference,
        "cycle_ci_low": low,
        "cycle_ci_high": high,
    }


# -- 3. pooled groups, lift and ROI --------------------------------------------------


@dataclass(frozen=True)
class Pooled:
    """Treatment and control sums over the memberships of a set of campaigns."""

    campaigns: frozenset[str]  # those with memberships in the window
    members: dict[str, int]
    converted: dict[str, int]
    amount: dict[str, float]


def pooled(
    members: Iterable[Membership], campaigns: Collection[str], conversions: Sequence[Row]
) -> Pooled:
    mine = [m for m in members if m.campaign in campaigns]
    count = {g: sum(1 for m in mine if m.group == g) for g in GROUPS}
    converted = {g: sum(1 for m in mine if m.group == g and m.bought) for g in GROUPS}
    amount = {
        g: float(sum(conversions[i]["amount"] or 0 for m in mine if m.group == g for i in m.bought))
        for g in GROUPS
    }
    return Pooled(frozenset(m.campaign for m in mine), count, converted, amount)


def campaign_cost(costs: Sequence[Row], campaigns: Iterable[str]) -> float | None:
    """The summed cost rows of `campaigns`; None when one has no row or a NULL cost."""
    total = 0.0
    for campaign in campaigns:
        rows = [row["cost"] for row in costs if row["campaign_id"] == campaign]
        if not rows or any(cost is None for cost in rows):
            return None
        total += sum(rows)
    return total


def roi(sums: Pooled, costs: Sequence[Row] | None) -> Block | None:
    """The roi block of a set of campaigns; None without costs or campaigns in the window."""
    if costs is None or not sums.campaigns:
        return None
    n_t, n_c = sums.members["treatment"], sums.members["control"]
    incremental = None
    if n_t and n_c:
        incremental = (sums.amount["treatment"] / n_t - sums.amount["control"] / n_c) * n_t
    cost = campaign_cost(costs, sorted(sums.campaigns))
    value = None
    if incremental is not None and cost is not None and cost > 0:
        value = incremental / cost
    return {"cost": cost, "incremental_revenue": incremental, "roi": value}


def tag_sets(data: Dataset) -> dict[str, frozenset[str]]:
    """Each campaign's distinct tags in campaign_tags."""
    sets: dict[str, set[str]] = defaultdict(set)
    for row in data.campaign_tags or ():
        sets[row["campaign_id"]].add(row["tag_name"])
    return {campaign: frozenset(tags) for campaign, tags in sets.items()}


def combinations(
    data: Dataset,
    members: Sequence[Membership],
    min_sample: int,
) -> list[Block] | None:
    """The combinations of the run, the most members first; None without campaign tables."""
    if data.campaign_tags is None or data.campaign_members is None:
        return None
    conversions = data.conversions or []
    active = {m.campaign for m in members}
    grouped: dict[frozenset[str], set[str]] = defaultdict(set)
    for campaign, tags in tag_sets(data).items():
        if len(tags) >= 2 and campaign in active:
            grouped[tags].add(campaign)
    found = []
    for tags, campaigns in grouped.items():
        sums = pooled(members, campaigns, conversions)
        n_t, n_c = sums.members["treatment"], sums.members["control"]
        x_t, x_c = sums.converted["treatment"], sums.converted["control"]
        found.append(
            {
                "tags": sorted(tags),
                "campaigns": len(sums.campaigns),
                "members": n_t + n_c,
                "treatment": {"members": n_t, "converted": x_t, "rate": ratio(x_t, n_t)},
                "control": {"members": n_c, "converted": x_c, "rate": ratio(x_c, n_c)},
                **lift(x_t, n_t, x_c, n_c),
                "roi": roi(sums, data.campaign_costs),
            }
        )
    for block, q in zip(found, bh([block["p_value"] for block in found]), strict=True):
        sizes = (block["treatment"]["members"], block["control"]["members"])
        block["q_value"] = q
        block["significant"] = q is not None and q < 0.05 and min(sizes) >= min_sample
    return sorted(found, key=lambda block: (-block["members"], block["tags"]))


# -- 5. tag-driven sales ---------------------------------------------------------------


def tag_driven(
    data: Dataset,
    members: Sequence[Membership],
    people: Collection[int],
    window: Sequence[int],
) -> Block | None:
    """The catalog's tag_driven block; `window` indexes the window's conversions of P."""
    if data.conversions is None or data.campaign_tags is None or data.campaign_members is None:
        return None
    conversions = data.conversions
    linked = {row["campaign_id"] for row in data.campaign_tags}
    treated = [m for m in members if m.campaign in linked and m.group == "treatment"]
    claimed = {i for m in treated for i in m.bought}
    driven = [i for i in window if i in claimed]
    amount = float(sum(conversions[i]["amount"] or 0 for i in driven))
    total_amount = float(sum(conversions[i]["amount"] or 0 for i in window))
    covered = {m.user for m in treated if m.user in people}
    return {
        "conversions": len(driven),
        "amount": amount,
        "total_conversions": len(window),
        "total_amount": total_amount,
        "conversion_share": ratio(len(driven), len(window)),
        "amount_share": amount / total_amount if total_amount > 0 else None,
        "covered_users": len(covered),
        "covered_share": ratio(len(covered), len(people)),
        "roi": roi(pooled(members, linked, conversions), data.campaign_costs),
    }


# -- one run -----------------------------------------------------------------------------


@dataclass
class Values:
    """The value KPIs of a run: per measured tag, and for the run."""

    quality: dict[str, Block | None]  # tag -> the new audience_quality keys
    cycle: dict[str, Block | None]  # tag -> the cycle keys of its conversion block
    roi: dict[str, Block | None]
    combinations: list[Block] | None
    tag_driven: Block | None
    costs: bool  # campaign_costs is present


def values(
    data: Dataset,
    holders: dict[str, set[int]],
    people: Collection[int],
    window: tuple[dt.datetime, dt.datetime],
    attribution_days: int,
    min_sample: int = 100,
) -> Values:
    """The value KPIs of `data`; `holders` are the holders in P of each measured tag."""
    start, as_of = window
    conversions = data.conversions or []
    members = memberships(data, start, as_of, attribution_days)
    in_window = window_conversions(data, people, start, as_of)
    rows = [conversions[i] for i in in_window]
    campaigns = data.campaign_tags is not None and data.campaign_members is not None
    links: dict[str, set[str]] = defaultdict(set)
    for row in data.campaign_tags or ():
        links[row["tag_name"]].add(row["campaign_id"])
    result = Values({}, {}, {}, combinations(data, members, min_sample), None, False)
    result.tag_driven = tag_driven(data, members, people, in_window)
    result.costs = data.campaign_costs is not None
    for name, mine in holders.items():
        present = data.conversions is not None
        result.quality[name] = quality(mine, people, rows) if present else None
        own = [m for m in members if m.campaign in links[name]]
        result.cycle[name] = cycle(own, conversions) if campaigns and present else None
        sums = pooled(members, links[name], conversions)
        result.roi[name] = roi(sums, data.campaign_costs) if campaigns else None
    return result
