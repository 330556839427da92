"""Campaign sums pooled per tag and per set of tags: activation, conversion, ROI.

The campaign statements (`campaigns.py`) return a few rows per campaign: the
sums of its treatment and control groups, the tags it selects with, its
cost. `CampaignsFound` pools them per tag (`activation`, `conversion`,
`tag_roi`) and per set of two or more tags (`combinations`). The q-value
of a tag's conversion is set later, across every tag of the run;
combinations are a family of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

from tagctl.kpi import stats
from tagctl.kpi.plan import Row
from tagctl.kpi.result import Activation, Combination, Conversion, Group, Roi

DAY = 86400.0


@dataclass(frozen=True)
class GroupSums:
    """The sums of a campaign group, or of several pooled (zero where absent)."""

    campaigns: int = 0
    members: int = 0
    reached: int = 0
    responded: int = 0
    converted: int = 0
    orders: int = 0
    amount: float = 0.0
    priced: int = 0  # orders with an amount
    cycle_seconds: float = 0.0
    cycle_squares: float = 0.0  # seconds squared, for the spread of the cycle

    @classmethod
    def decode(cls, row: Row) -> GroupSums:
        def whole(key: str) -> int:
            value = row.get(key)
            return int(value) if value is not None else 0

        def number(key: str) -> float:
            value = row.get(key)
            return float(value) if value is not None else 0.0

        return cls(
            campaigns=1,
            members=whole("members"),
            reached=whole("reached"),
            responded=whole("responded"),
            converted=whole("converted"),
            orders=whole("orders"),
            amount=number("amount"),
            priced=whole("priced"),
            cycle_seconds=number("cycle_seconds"),
            cycle_squares=number("cycle_squares"),
        )

    def __add__(self, other: GroupSums) -> GroupSums:
        return GroupSums(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(GroupSums))
        )


NO_COSTS = "campaign_costs is not present: ROI is not computed"


@dataclass(frozen=True)
class CampaignsFound:
    """Each campaign's groups and tags, pooled per tag and per set of tags on demand."""

    groups: Mapping[str, Mapping[str, GroupSums]]  # campaign -> group name -> sums
    tags: Mapping[str, frozenset[str]]  # campaign -> the tags it selects with
    touches: bool  # activation needs the touches table
    conversions: bool  # conversion needs the conversions table
    costs: Mapping[str, float | None] | None = None  # campaign -> cost; None: no costs table

    @classmethod
    def decode(
        cls,
        rows: Sequence[Row],
        links: Sequence[Row],
        touches: bool,
        conversions: bool,
        costs: Sequence[Row] | None = None,
    ) -> CampaignsFound:
        groups: dict[str, dict[str, GroupSums]] = defaultdict(dict)
        for row in rows:
            groups[str(row["campaign_id"])][row["group_name"]] = GroupSums.decode(row)
        tags: dict[str, set[str]] = defaultdict(set)
        for row in links:  # a NULL campaign or tag links nothing
            if row["tag_name"] is not None and row["campaign_id"] is not None:
                tags[str(row["campaign_id"])].add(row["tag_name"])
        frozen = {campaign: frozenset(names) for campaign, names in tags.items()}
        return cls(groups, frozen, touches, conversions, _costs(costs))

    @cached_property
    def by_tag(self) -> Mapping[str, list[str]]:
        """tag -> its campaigns with members in the window."""
        result: dict[str, list[str]] = defaultdict(list)
        for campaign in sorted(self.groups):
            for name in self.tags.get(campaign, ()):
                result[name].append(campaign)
        return result

    def pooled(self, campaigns: Sequence[str], group: str) -> GroupSums:
        """The sums of `group` over `campaigns`."""
        total = GroupSums()
        for campaign in campaigns:
            found = self.groups[campaign].get(group)
            if found is not None:
                total += found
        return total

    def group(self, name: str, group: str) -> GroupSums:
        return self.pooled(self.by_tag.get(name, []), group)

    def activation(self, name: str) -> Activation | None:
        """Reach and response of the tag's treatment groups; None without touches."""
        if not self.touches:
            return None
        treatment = self.group(name, "treatment")
        return Activation(
            campaigns=treatment.campaigns,
            members=treatment.members,
            reached=treatment.reached,
            responded=treatment.responded,
            activation_rate=stats.rate(treatment.reached, treatment.members),
            response_rate=stats.rate(treatment.responded, treatment.reached),
        )

    def conversion(self, name: str) -> Conversion | None:
        """Treatment against control; None without conversions. q-value not yet known."""
        if not self.conversions:
            return None
        return _conversion(self.group(name, "treatment"), self.group(name, "control"))

    def roi(self, campaigns: Sequence[str]) -> Roi | None:
        """The return of `campaigns`; None without costs, conversions or campaigns."""
        if self.costs is None or not self.conversions or not campaigns:
            return None
        treatment, control = self.pooled(campaigns, "treatment"), self.pooled(campaigns, "control")
        incremental = None
        if treatment.members and control.members:
            per_member = treatment.amount / treatment.members - control.amount / control.members
            incremental = per_member * treatment.members
        cost: float | None = 0.0
        for campaign in campaigns:
            own = self.costs.get(campaign)
            cost = None if own is None or cost is None else cost + own
        ratio = (
            incremental / cost
            if incremental is not None and cost is not None and cost > 0
            else None
        )
        return Roi(cost, incremental, ratio)

    def tag_roi(self, name: str) -> Roi | None:
        return self.roi(self.by_tag.get(name, []))

    def combinations(self, min_sample: int) -> list[Combination] | None:
        """Every set of two or more tags campaigns select with, pooled; None without conversions."""
        if not self.conversions:
            return None
        sets: dict[frozenset[str], list[str]] = defaultdict(list)
        for campaign in sorted(self.groups):
            chosen = self.tags.get(campaign, frozenset())
            if len(chosen) >= 2:
                sets[chosen].append(campaign)
        found = [self._combination(sorted(names), campaigns) for names, campaigns in sets.items()]
        q_values = stats.benjamini_hochberg([c.p_value for c in found])
        found = [
            replace(
                c,
                q_value=q,
                significant=stats.significant(
                    q, (c.treatment.members, c.control.members), min_sample
                ),
            )
            for c, q in zip(found, q_values, strict=True)
        ]
        return sorted(found, key=lambda c: (-c.members, c.tags))

    def _combination(self, names: list[str], campaigns: list[str]) -> Combination:
        treatment, control = self.pooled(campaigns, "treatment"), self.pooled(campaigns, "control")
        return Combination(
            tags=names,
            campaigns=len(campaigns),
            members=treatment.members + control.members,
            **_tested(treatment, control),
            roi=self.roi(campaigns),
        )

    def linked(self) -> list[str]:
        """The campaigns with members in the window that select with at least one tag."""
        return [campaign for campaign in sorted(self.groups) if self.tags.get(campaign)]


def _costs(rows: Sequence[Row] | None) -> dict[str, float | None] | None:
    """campaign -> its summed cost; None where a cost row had no value."""
    if rows is None:
        return None
    return {
        str(row["campaign_id"]): (
            float(row["cost"]) if row["cost"] is not None and row["known"] == row["rows"] else None
        )
        for row in rows
        if row["campaign_id"] is not None
    }


def _tested(treatment: GroupSums, control: GroupSums) -> dict[str, Any]:
    """Treatment against control, as a tag's conversion and a combination both give it:
    the two groups, the lift with its interval and test (q-value not yet known)."""
    n_t, x_t = treatment.members, treatment.converted
    n_c, x_c = control.members, control.converted
    lift = stats.lift(x_t, n_t, x_c, n_c)
    return {
        "treatment": Group(n_t, x_t, stats.rate(x_t, n_t)),
        "control": Group(n_c, x_c, stats.rate(x_c, n_c)),
        "absolute_lift": lift.absolute if lift else None,
        "relative_lift": lift.relative if lift else None,
        "ci_low": lift.ci_low if lift else None,
        "ci_high": lift.ci_high if lift else None,
        "z": lift.z if lift else None,
        "p_value": lift.p_value if lift else None,
        "q_value": None,
        "significant": False,
    }


def _conversion(treatment: GroupSums, control: GroupSums) -> Conversion:
    cycle = stats.welch(*_cycle(treatment), *_cycle(control))
    return Conversion(
        campaigns=max(treatment.campaigns, control.campaigns),
        **_tested(treatment, control),
        orders=treatment.orders,
        average_order_value=treatment.amount / treatment.priced if treatment.priced else None,
        conversion_cycle_days=_mean_days(treatment),
        control_cycle_days=_mean_days(control),
        cycle_difference_days=cycle.difference if cycle else None,
        cycle_ci_low=cycle.ci_low if cycle else None,
        cycle_ci_high=cycle.ci_high if cycle else None,
    )


def _mean_days(group: GroupSums) -> float | None:
    return group.cycle_seconds / group.converted / DAY if group.converted else None


def _cycle(group: GroupSums) -> tuple[int, float, float]:
    """The converted memberships' count, and the sum and sum of squares of their cycle in days."""
    return group.converted, group.cycle_seconds / DAY, group.cycle_squares / DAY / DAY
