"""The value KPIs of a demo warehouse, computed row by row from their definitions.

Audience quality with baskets and repeat buyers, the conversion cycle
against control with Welch's interval, ROI from campaign_costs, tag
combinations and tag-driven sales, as /docs/kpi.md states them: the rows of
a DuckDB warehouse (long layout, default table names) read into Python and
counted membership by membership. It imports nothing from tagctl, and its
Student t quantile integrates the density numerically (Gauss-Legendre)
and solves for the quantile by Newton's method.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from statistics import NormalDist
from typing import Any

import duckdb

GROUPS = ("treatment", "control")
DAY = 86400.0
LEVEL = 0.95
NORMAL = NormalDist()


@dataclass
class Membership:
    campaign: str
    user: int
    group: str
    selected_at: dt.datetime
    bought: list[tuple[dt.datetime, float | None]] = field(default_factory=list)  # attributed

    @property
    def cycle_days(self) -> float | None:
        """Days from selection to the first attributed conversion; None without one."""
        if not self.bought:
            return None
        return (min(at for at, _ in self.bought) - self.selected_at).total_seconds() / DAY


@dataclass(frozen=True)
class Pool:
    """One group of a set of campaigns: its memberships pooled."""

    memberships: tuple[Membership, ...]

    @property
    def members(self) -> int:
        return len(self.memberships)

    @property
    def converted(self) -> int:
        return sum(1 for m in self.memberships if m.bought)

    @property
    def amount(self) -> float:
        return math.fsum(a for m in self.memberships for _, a in m.bought if a is not None)

    @property
    def cycles(self) -> list[float]:
        return [c for m in self.memberships if (c := m.cycle_days) is not None]

    def group(self) -> dict[str, Any]:
        rate = self.converted / self.members if self.members else None
        return {"members": self.members, "converted": self.converted, "rate": rate}


class Warehouse:
    """The rows of a demo warehouse as of `as_of`, population: every user."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        as_of: dt.datetime,
        window_days: int = 30,
        attribution_days: int = 7,
    ) -> None:
        self.con, self.as_of = con, as_of
        self.start = as_of - dt.timedelta(days=window_days)
        self.attribution = dt.timedelta(days=attribution_days)
        self.users = {row[0] for row in con.execute("SELECT user_id FROM users").fetchall()}
        self.bought: dict[int, list[tuple[dt.datetime, float | None]]] = defaultdict(list)
        for user, at, amount in con.execute("SELECT * FROM conversions").fetchall():
            if at is not None:
                self.bought[user].append((at, amount))
        self.memberships = [self._membership(*row) for row in self._selected()]
        self.tags: dict[str, set[str]] = defaultdict(set)
        for campaign, name in con.execute("SELECT * FROM campaign_tags").fetchall():
            if name is not None:
                self.tags[campaign].add(name)
        self.costs: dict[str, float | None] = {}
        for campaign, cost in con.execute("SELECT * FROM campaign_costs").fetchall():
            known = self.costs.get(campaign, 0.0)
            self.costs[campaign] = None if cost is None or known is None else known + cost
        self.campaigns = sorted({m.campaign for m in self.memberships})  # members in the window

    def _selected(self) -> list[tuple[Any, ...]]:
        rows = self.con.execute("SELECT * FROM campaign_members").fetchall()
        return [
            row
            for row in rows
            if row[2] in GROUPS and row[3] is not None and self.in_window(row[3])
        ]

    def _membership(
        self, campaign: str, user: int, group: str, selected_at: dt.datetime
    ) -> Membership:
        bought = [
            (at, amount)
            for at, amount in self.bought.get(user, ())
            if selected_at <= at < self.as_of and at - selected_at <= self.attribution
        ]
        return Membership(campaign, user, group, selected_at, bought)

    def in_window(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.as_of

    # -- audience quality

    def holders(self, tag: str, boolean: bool) -> set[int]:
        """Users of P with a value of `tag` before as_of: not empty, 'true' for a boolean."""
        rows = self.con.execute(
            "SELECT user_id, tag_value, updated_at FROM tag_values WHERE tag_name = ?", [tag]
        ).fetchall()
        return {
            user
            for user, value, updated in rows
            if user in self.users
            and value
            and (not boolean or value == "true")
            and (updated is None or updated < self.as_of)
        }

    def window_conversions(self, users: Iterable[int]) -> dict[int, list[float | None]]:
        """The amounts of each user's conversions in the window, for users with one."""
        found = {}
        for user in users:
            amounts = [a for at, a in self.bought.get(user, ()) if self.in_window(at)]
            if amounts:
                found[user] = amounts
        return found

    def audience_quality(self, holders: set[int]) -> dict[str, Any]:
        population = self.window_conversions(self.users)
        own = {user: amounts for user, amounts in population.items() if user in holders}
        holder_rate = len(own) / len(holders) if holders else None
        population_rate = len(population) / len(self.users)
        holder_aov, population_aov = _aov(own), _aov(population)
        holder_repeat, population_repeat = _repeat(own), _repeat(population)
        return {
            "holders_converted": len(own),
            "holder_rate": holder_rate,
            "population_rate": population_rate,
            "index": _ratio(holder_rate, population_rate),
            "holder_orders": sum(len(amounts) for amounts in own.values()),
            "holder_aov": holder_aov,
            "population_aov": population_aov,
            "aov_index": _ratio(holder_aov, population_aov),
            "holder_repeat_rate": holder_repeat,
            "population_repeat_rate": population_repeat,
            "repeat_index": _ratio(holder_repeat, population_repeat),
        }

    # -- campaigns

    def campaigns_of(self, tag: str) -> list[str]:
        return [c for c in self.campaigns if tag in self.tags.get(c, ())]

    def pool(self, campaigns: Sequence[str], group: str) -> Pool:
        chosen = set(campaigns)
        return Pool(tuple(m for m in self.memberships if m.campaign in chosen and m.group == group))

    def cycle(self, campaigns: Sequence[str]) -> dict[str, float | None]:
        """The conversion cycle of treatment against control, with Welch's interval."""
        treatment, control = self.pool(campaigns, "treatment"), self.pool(campaigns, "control")
        mean_t, mean_c = _mean(treatment.cycles), _mean(control.cycles)
        difference = None if mean_t is None or mean_c is None else mean_t - mean_c
        low, high = welch_interval(treatment.cycles, control.cycles)
        return {
            "conversion_cycle_days": mean_t,
            "control_cycle_days": mean_c,
            "cycle_difference_days": difference,
            "cycle_ci_low": low,
            "cycle_ci_high": high,
        }

    def roi(self, campaigns: Sequence[str]) -> dict[str, float | None] | None:
        """Incremental attributed revenue over the campaigns' summed cost."""
        if not campaigns:
            return None
        treatment, control = self.pool(campaigns, "treatment"), self.pool(campaigns, "control")
        incremental = None
        if treatment.members and control.members:
            per_member = treatment.amount / treatment.members - control.amount / control.members
            incremental = per_member * treatment.members
        costs = [self.costs.get(c) for c in campaigns]
        cost = None if any(c is None for c in costs) else math.fsum(c for c in costs if c)
        roi = None
        if incremental is not None and cost is not None and cost > 0:
            roi = incremental / cost
        return {"cost": cost, "incremental_revenue": incremental, "roi": roi}

    def combinations(self, min_sample: int) -> list[dict[str, Any]]:
        """Every exact set of two or more tags of campaigns with members in the window."""
        sets: dict[frozenset[str], list[str]] = defaultdict(list)
        for campaign in self.campaigns:
            if len(self.tags.get(campaign, ())) >= 2:
                sets[frozenset(self.tags[campaign])].append(campaign)
        found = [self._combination(sorted(names), campaigns) for names, campaigns in sets.items()]
        for item, q in zip(found, benjamini_hochberg([c["p_value"] for c in found]), strict=True):
            sizes = (item["treatment"]["members"], item["control"]["members"])
            item["q_value"] = q
            item["significant"] = q is not None and q < 0.05 and min(sizes) >= min_sample
        return sorted(found, key=lambda c: (-c["members"], c["tags"]))

    def _combination(self, names: list[str], campaigns: list[str]) -> dict[str, Any]:
        treatment, control = self.pool(campaigns, "treatment"), self.pool(campaigns, "control")
        return {
            "tags": names,
            "campaigns": len(campaigns),
            "members": treatment.members + control.members,
            "treatment": treatment.group(),
            "control": control.group(),
            **lift(treatment.converted, treatment.members, control.converted, control.members),
            "roi": self.roi(campaigns),
        }

    def tag_driven(self) -> dict[str, Any]:
        """Conversions in the window claimed by a treatment membership of a tag-linked campaign."""
        linked = [c for c in self.campaigns if self.tags.get(c)]
        claimed: set[tuple[int, dt.datetime, float | None]] = set()
        covered: set[int] = set()
        chosen = set(linked)
        for m in self.memberships:
            if m.group == "treatment" and m.campaign in chosen and m.user in self.users:
                covered.add(m.user)
                claimed.update((m.user, at, a) for at, a in m.bought if self.in_window(at))
        total = [
            (user, at, a)
            for user in self.users
            for at, a in self.bought.get(user, ())
            if self.in_window(at)
        ]
        driven = [row for row in total if row in claimed]  # each row once, duplicates too
        amount, total_amount = _sum(driven), _sum(total)
        return {
            "conversions": len(driven),
            "amount": amount,
            "total_conversions": len(total),
            "total_amount": total_amount,
            "conversion_share": len(driven) / len(total) if total else None,
            "amount_share": amount / total_amount if total_amount > 0 else None,
            "covered_users": len(covered),
            "covered_share": len(covered) / len(self.users) if self.users else None,
            "roi": self.roi(linked),
        }


def _sum(rows: Iterable[tuple[int, dt.datetime, float | None]]) -> float:
    return math.fsum(a for _, _, a in rows if a is not None)


def _aov(conversions: dict[int, list[float | None]]) -> float | None:
    amounts = [a for each in conversions.values() for a in each if a is not None]
    return math.fsum(amounts) / len(amounts) if amounts else None


def _repeat(conversions: dict[int, list[float | None]]) -> float | None:
    if not conversions:
        return None
    return sum(1 for each in conversions.values() if len(each) >= 2) / len(conversions)


def _ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _variance(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


# -- statistics


def lift(x_t: int, n_t: int, x_c: int, n_c: int) -> dict[str, float | None]:
    """Rates' difference, its Wald interval, the pooled two-proportion z-test."""
    keys = ("absolute_lift", "relative_lift", "ci_low", "ci_high", "z", "p_value")
    if n_t <= 0 or n_c <= 0:
        return dict.fromkeys(keys)
    p_t, p_c = x_t / n_t, x_c / n_c
    difference = p_t - p_c
    spread_t, spread_c = p_t * (1 - p_t) / n_t, p_c * (1 - p_c) / n_c
    half = NORMAL.inv_cdf(0.5 + LEVEL / 2) * math.sqrt(spread_t + spread_c)
    pooled = (x_t + x_c) / (n_t + n_c)
    spread = pooled * (1 - pooled) * (1 / n_t + 1 / n_c)
    z = difference / math.sqrt(spread) if spread > 0 else None
    return {
        "absolute_lift": difference,
        "relative_lift": difference / p_c if p_c > 0 else None,
        "ci_low": difference - half,
        "ci_high": difference + half,
        "z": z,
        "p_value": None if z is None else math.erfc(abs(z) / math.sqrt(2)),
    }


def welch_interval(first: Sequence[float], second: Sequence[float]) -> tuple[Any, Any]:
    """The 95% Welch interval of mean(first) - mean(second); (None, None) under two values."""
    if len(first) < 2 or len(second) < 2:
        return None, None
    difference = math.fsum(first) / len(first) - math.fsum(second) / len(second)
    a, b = _variance(first) / len(first), _variance(second) / len(second)
    if a + b == 0:
        return difference, difference
    df = (a + b) ** 2 / (a * a / (len(first) - 1) + b * b / (len(second) - 1))
    half = t_quantile(0.5 + LEVEL / 2, df) * math.sqrt(a + b)
    return difference - half, difference + half


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """q_i = min over the p-values ranked at or after p_i of p * m / rank; None stays None."""
    tested = sorted(p for p in p_values if p is not None)
    m = len(tested)
    result: list[float | None] = []
    for p in p_values:
        if p is None:
            result.append(None)
            continue
        first = tested.index(p)  # ties share the q of the last of them, the smallest
        result.append(min(1.0, *(tested[k] * m / (k + 1) for k in range(first, m))))
    return result


@cache
def _legendre(n: int = 20) -> tuple[tuple[float, float], ...]:
    """Nodes and weights of the n-point Gauss-Legendre rule on [-1, 1], by Newton's method."""
    rule = []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            slope = n * (x * p1 - p0) / (x * x - 1)
            step = p1 / slope
            x -= step
            if abs(step) < 1e-16:
                break
        rule.append((x, 2 / ((1 - x * x) * slope * slope)))
    return tuple(rule)


def t_density(x: float, df: float) -> float:
    log_scale = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_scale - (df + 1) / 2 * math.log1p(x * x / df))


def t_mass(t: float, df: float) -> float:
    """P(0 <= T <= t), t >= 0: composite Gauss-Legendre over panels of width at most 1/4."""
    panels = max(1, math.ceil(t * 4))
    width = t / panels
    total = []
    for panel in range(panels):
        middle = (panel + 0.5) * width
        for x, w in _legendre():
            total.append(w * t_density(middle + x * width / 2, df))
    return math.fsum(total) * width / 2


def t_quantile(probability: float, df: float) -> float:
    """The quantile of Student's t above the median, by Newton's method from 0.

    The mass from 0 is concave in t, so the steps approach the root from below.
    """
    target, t = probability - 0.5, 0.0
    for _ in range(200):
        step = (target - t_mass(t, df)) / t_density(t, df)
        t += step
        if abs(step) <= 1e-13 * max(1.0, t):
            break
    return t
