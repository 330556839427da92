"""Campaigns of the demo warehouse, and the effects planted in them.

A campaign's audience is a sample of the holders of its first tag, split
into treatment (80%) and control (20%). Members convert within the
attribution days at the same base rate in both groups, except in the
campaigns of a few "lift" tags, where treatment converts twice as often.
Each lift tag has two campaigns of its own, and two more campaigns select
with exactly the first two lift tags (by name) together, the planted
combination, where treatment converts three times as often. Those
campaigns link only lift tags and the others link none, so the lift shows
on exactly the planted tags and the one planted set of tags.

A "fast" tag has two campaigns of its own without lift, whose members
convert at twice the base rate (enough conversions for a steady mean) and
whose treatment converts sooner after selection than control: its delay
is u^4 of the attribution days instead of u, a mean of 1.4 days against
3.5. Independently, the holders of a few "audience-quality" tags convert
more often in the background conversions, and the holders of a "basket"
tag buy bigger baskets: every conversion of theirs draws its amount with
a smaller skew, about 1.75 times the mean amount. Every campaign has two
rows in campaign_costs, a fixed cost and one per planned treatment
member, so that ROI is computed; lift campaigns return a few times their
cost, the others about nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tagctl.demo.plan import TagPlan, coprime, pick, rng

LIFT_TAGS, QUALITY_TAGS = 3, 3
COMBINED = 2  # the planted combination: the first lift tags, by name
PLANTED_CAMPAIGNS = 2  # campaigns of each lift tag, of the combination, of the fast tag
LIFT = 2.0  # treatment conversion over control in the campaigns of a lift tag...
COMBINED_LIFT = 3.0  # ...and in those of the planted combination
BASE_RATE = 0.03  # conversion within the attribution days of selection
BACKGROUND_RATE = 0.05  # users converting on their own over the last 90 days
CONTROL_SHARE = 0.2
DELIVERED = 0.9
MIN_SOURCE_COVERAGE = 0.02  # an audience is drawn from a tag at least this common
LIFT_COVERAGE = 0.1
MAX_QUALITY_COVERAGE = 0.6  # beyond it holders are the population and the index is 1
MIN_BASKET_COVERAGE = 0.05  # enough holders for a steady average order value
AMOUNT_SKEW = 3.0  # amount = 50 + 2950 * u^skew: mean 787.5...
BASKET_SKEW = 1.2  # ...and 1390.9 for the holders of a basket tag
FAST_RATE = 2.0  # both groups of a fast campaign convert this much more than the base rate...
FAST_SKEW = 4.0  # ...its treatment after u^4 of the attribution days, control after u
SETUP_COST = (800.0, 3000.0)  # a campaign's fixed cost...
MEMBER_COST = (3.0, 6.0)  # ...and its cost per treatment member


@dataclass(frozen=True)
class CampaignPlan:
    campaign_id: str
    tags: tuple[str, ...]  # the audience is drawn from the holders of the first
    salt: int
    size: int
    start: dt.datetime
    rate: float  # share of members converting within the attribution days...
    lift: float  # ...times this in treatment (1: no lift)
    fast: bool  # treatment converts sooner than control
    response_rate: float  # share of delivered touches that get a response
    source: TagPlan
    mix_stride: int  # with mix_shift, permutes the holders of the source tag
    mix_shift: int
    costs: tuple[float, ...]  # the campaign's rows of campaign_costs


@dataclass(frozen=True)
class Campaigns:
    campaigns: tuple[CampaignPlan, ...]
    lift_tags: tuple[str, ...]
    boosts: Mapping[str, float]  # audience-quality tag: how much more its holders convert
    combination: tuple[str, ...] = ()  # the planted set of tags, by name; () when none
    fast_tags: tuple[str, ...] = ()
    baskets: Mapping[str, float] = field(default_factory=dict)  # basket tag: its amount skew


@dataclass(frozen=True)
class Planted:
    """The tags of the planted campaigns: lift tags (and their combination), fast tags."""

    lift: tuple[str, ...]
    fast: tuple[str, ...]

    @property
    def combination(self) -> tuple[str, ...]:
        return self.lift[:COMBINED] if len(self.lift) >= COMBINED else ()

    def links(self) -> list[Link]:
        """The planted campaigns: of each lift tag, of the combination, of each fast tag."""
        combined = self.combination
        return [
            *(Link((name,), LIFT) for name in self.lift for _ in range(PLANTED_CAMPAIGNS)),
            # one campaign per tag of the set, its audience drawn from that tag's holders
            *(Link((*combined[i:], *combined[:i]), COMBINED_LIFT) for i in range(len(combined))),
            *(Link((name,), fast=True) for name in self.fast for _ in range(PLANTED_CAMPAIGNS)),
        ]


@dataclass(frozen=True)
class Link:
    """The tags a campaign selects with (the audience from the first) and its effect."""

    tags: tuple[str, ...]
    lift: float = 1.0
    fast: bool = False


def plan_campaigns(tags: Sequence[TagPlan], users: int, seed: int, as_of: dt.datetime) -> Campaigns:
    """The campaigns for `users` users and the tags of every planted effect."""
    eligible = [p for p in tags if _audience_source(p)]
    lift = pick([p.name for p in eligible if p.coverage >= LIFT_COVERAGE], LIFT_TAGS, seed, "lift")
    others = [p for p in eligible if p.name not in lift]
    capped = [p.name for p in others if p.coverage <= MAX_QUALITY_COVERAGE]
    quality = pick(capped, QUALITY_TAGS, seed, "quality")
    boosts = {name: rng(seed, name, "boost").uniform(2.5, 4.0) for name in sorted(quality)}
    rest = [p for p in others if p.name not in quality]
    fast = _fast(rest, seed)
    baskets = _basket([p for p in rest if p.name not in fast], seed)
    by_name = {p.name: p for p in tags}
    planted = Planted(tuple(sorted(lift)), tuple(sorted(fast)))
    sources = [p.name for p in others if p.name not in fast]
    links = _links(tags, planted, sources, users, seed)
    campaigns = tuple(
        _campaign(index, link, by_name[link.tags[0]], users, as_of, seed)
        for index, link in enumerate(links)
    )
    return Campaigns(
        campaigns,
        planted.lift,
        boosts,
        planted.combination,
        planted.fast,
        {name: BASKET_SKEW for name in sorted(baskets)},
    )


def _fast(candidates: Sequence[TagPlan], seed: int) -> frozenset[str]:
    """One tag common enough for audiences of lift campaigns' size, else the most common."""
    common = [p.name for p in candidates if p.coverage >= LIFT_COVERAGE]
    if common:
        return pick(common, 1, seed, "fast")
    ranked = sorted(candidates, key=lambda p: (-p.coverage, p.name))
    return frozenset(p.name for p in ranked[:1])


def _basket(candidates: Sequence[TagPlan], seed: int) -> frozenset[str]:
    """One tag with enough holders, and not so many that they are the population."""
    fitting = [
        p.name for p in candidates if MIN_BASKET_COVERAGE <= p.coverage <= MAX_QUALITY_COVERAGE
    ]
    fallback = [p.name for p in candidates if p.coverage <= MAX_QUALITY_COVERAGE]
    return pick(fitting or fallback, 1, seed, "basket")


def background_rate(tags: Sequence[TagPlan], boosts: Mapping[str, float]) -> float:
    """The base rate that keeps background conversions near BACKGROUND_RATE of all users."""
    boosted = sum(p.coverage * (boosts[p.name] - 1) for p in tags if p.name in boosts)
    return BACKGROUND_RATE / (1 + boosted)


def campaign_count(users: int) -> int:
    """30 campaigns, and one more per 40,000 users up to 60."""
    return min(60, 30 + users // 40_000)


def _audience_source(plan: TagPlan) -> bool:
    """Online, in use, clean and common enough to draw an audience from."""
    return (
        plan.tag.status == "online"
        and not plan.zombie
        and not plan.bad_rate
        and plan.coverage >= MIN_SOURCE_COVERAGE
    )


def _links(
    tags: Sequence[TagPlan], planted: Planted, sources: list[str], users: int, seed: int
) -> list[Link]:
    """The tags of each campaign: the planted campaigns first, then drawn ones."""
    special = {*planted.lift, *planted.fast}
    linkable = [p.name for p in tags if p.tag.status == "online" and not p.zombie]
    linkable = [name for name in linkable if name not in special]
    links = planted.links()[: campaign_count(users)]
    for index in range(len(links), campaign_count(users)):
        if sources:
            draw = rng(seed, _campaign_id(index), "tags")
            links.append(Link(_linked(draw.choice(sources), linkable, 2, draw)))
    return links


def _campaign_id(index: int) -> str:
    return f"cmp_{index + 1:03d}"


def _linked(source: str, others: Sequence[str], most: int, draw: random.Random) -> tuple[str, ...]:
    """The source tag and up to `most` other tags of `others`."""
    pool = [name for name in others if name != source]
    return (source, *draw.sample(pool, min(len(pool), draw.randint(0, most))))


def _campaign(
    index: int, link: Link, source: TagPlan, users: int, as_of: dt.datetime, seed: int
) -> CampaignPlan:
    draw = rng(seed, _campaign_id(index), "shape")
    planted = link.lift > 1 or link.fast
    # planted campaigns start inside the default 30-day window, with room for attribution
    reach = draw.uniform(0.06, 0.10) if planted else draw.uniform(0.005, 0.04)
    days_ago = draw.uniform(8, 28) if planted else draw.uniform(1, 60)
    size = min(source.holders, max(1, round(reach * users)))
    return CampaignPlan(
        campaign_id=_campaign_id(index),
        tags=link.tags,
        salt=draw.getrandbits(62),
        size=size,
        start=as_of - dt.timedelta(days=days_ago),
        rate=BASE_RATE * (FAST_RATE if link.fast else 1.0),
        lift=link.lift,
        fast=link.fast,
        response_rate=draw.uniform(0.05, 0.20),
        source=source,
        mix_stride=coprime(source.holders, draw),
        mix_shift=draw.randrange(source.holders),
        costs=_costs(size, rng(seed, _campaign_id(index), "cost")),
    )


def _costs(size: int, draw: random.Random) -> tuple[float, ...]:
    """A fixed cost and one per planned treatment member, in yuan, both positive."""
    treatment = max(1.0, size * (1 - CONTROL_SHARE))
    return (
        round(draw.uniform(*SETUP_COST), 2),
        round(treatment * draw.uniform(*MEMBER_COST), 2),
    )
