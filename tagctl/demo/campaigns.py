"""Campaigns of the demo warehouse, and the effects planted in them.

A campaign's audience is a sample of the holders of its first tag, split
into treatment (80%) and control (20%). Members convert within the
attribution days at the same base rate in both groups, except in the
campaigns of a few "lift" tags, where treatment converts twice as often.
Those campaigns link only lift tags and the others link none, so the lift
shows on exactly the planted tags. Independently, the holders of a few
"audience-quality" tags convert more often in the background conversions.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tagctl.demo.plan import TagPlan, coprime, pick, rng

LIFT_TAGS, QUALITY_TAGS = 3, 3
LIFT = 2.0  # treatment conversion over control in the campaigns of a lift tag
BASE_RATE = 0.03  # conversion within the attribution days of selection
BACKGROUND_RATE = 0.05  # users converting on their own over the last 90 days
CONTROL_SHARE = 0.2
DELIVERED = 0.9
MIN_SOURCE_COVERAGE = 0.02  # an audience is drawn from a tag at least this common
LIFT_COVERAGE = 0.1
MAX_QUALITY_COVERAGE = 0.6  # beyond it holders are the population and the index is 1


@dataclass(frozen=True)
class CampaignPlan:
    campaign_id: str
    tags: tuple[str, ...]  # the audience is drawn from the holders of the first
    salt: int
    size: int
    start: dt.datetime
    lifted: bool
    response_rate: float  # share of delivered touches that get a response
    source: TagPlan
    mix_stride: int  # with mix_shift, permutes the holders of the source tag
    mix_shift: int


@dataclass(frozen=True)
class Campaigns:
    campaigns: tuple[CampaignPlan, ...]
    lift_tags: tuple[str, ...]
    boosts: Mapping[str, float]  # audience-quality tag: how much more its holders convert


def plan_campaigns(tags: Sequence[TagPlan], users: int, seed: int, as_of: dt.datetime) -> Campaigns:
    """The campaigns for `users` users and the lift and audience-quality tags."""
    eligible = [p for p in tags if _audience_source(p)]
    lift = pick([p.name for p in eligible if p.coverage >= LIFT_COVERAGE], LIFT_TAGS, seed, "lift")
    others = [p for p in eligible if p.name not in lift]
    capped = [p.name for p in others if p.coverage <= MAX_QUALITY_COVERAGE]
    quality = pick(capped, QUALITY_TAGS, seed, "quality")
    boosts = {name: rng(seed, name, "boost").uniform(2.5, 4.0) for name in sorted(quality)}
    by_name = {p.name: p for p in tags}
    links = _links(tags, sorted(lift), [p.name for p in others], users, seed)
    campaigns = tuple(
        _campaign(index, linked, by_name[linked[0]], lifted, users, as_of, seed)
        for index, (linked, lifted) in enumerate(links)
    )
    return Campaigns(campaigns, tuple(sorted(lift)), boosts)


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
    tags: Sequence[TagPlan], lift: list[str], sources: list[str], users: int, seed: int
) -> list[tuple[tuple[str, ...], bool]]:
    """The tags of each campaign, and whether it is a lift campaign (two per lift tag)."""
    linkable = [p.name for p in tags if p.tag.status == "online" and not p.zombie]
    linkable = [name for name in linkable if name not in lift]
    lifted = [name for name in lift for _ in range(2)]
    links: list[tuple[tuple[str, ...], bool]] = []
    for index in range(campaign_count(users)):
        draw = rng(seed, _campaign_id(index), "tags")
        if index < len(lifted):
            links.append((_linked(lifted[index], lift, 1, draw), True))
        elif sources:
            links.append((_linked(draw.choice(sources), linkable, 2, draw), False))
    return links


def _campaign_id(index: int) -> str:
    return f"cmp_{index + 1:03d}"


def _linked(source: str, others: Sequence[str], most: int, draw: random.Random) -> tuple[str, ...]:
    """The source tag and up to `most` other tags of `others`."""
    pool = [name for name in others if name != source]
    return (source, *draw.sample(pool, min(len(pool), draw.randint(0, most))))


def _campaign(
    index: int,
    linked: tuple[str, ...],
    source: TagPlan,
    lifted: bool,
    users: int,
    as_of: dt.datetime,
    seed: int,
) -> CampaignPlan:
    draw = rng(seed, _campaign_id(index), "shape")
    # lift campaigns start inside the default 30-day window, with room for attribution
    reach = draw.uniform(0.06, 0.10) if lifted else draw.uniform(0.005, 0.04)
    days_ago = draw.uniform(8, 28) if lifted else draw.uniform(1, 60)
    return CampaignPlan(
        campaign_id=_campaign_id(index),
        tags=linked,
        salt=draw.getrandbits(62),
        size=min(source.holders, max(1, round(reach * users))),
        start=as_of - dt.timedelta(days=days_ago),
        lifted=lifted,
        response_rate=draw.uniform(0.05, 0.20),
        source=source,
        mix_stride=coprime(source.holders, draw),
        mix_shift=draw.randrange(source.holders),
    )
