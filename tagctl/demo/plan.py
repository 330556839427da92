"""The planted facts of a demo warehouse, drawn in Python before any row exists.

Every choice about a tag comes from a generator seeded with the seed, the
tag's name and the purpose of the draw (`Random("7:skin_type:coverage")`),
so a tag keeps its data when other tags come and go. Which tags are stale,
out of domain or zombies is decided by ranking all candidates on such a
draw and taking a fixed share, so the counts do not wobble with the seed.

A tag's rows are the users `((k * stride + shift) mod users) + 1` for
`k = 0 .. rows - 1`: a permutation of the users (`stride` is coprime to
their number), so no user gets a tag twice. The first `holders` rows hold
the tag; the rest are 'false' (boolean tags) or '' (others). A few tags
share a permutation, planted to be redundant (overlaps.py): the first
`copy_rows` rows of such an enum tag hold `copy_value`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from tagctl.catalog.tags import REFRESH_HOURS, Tag
from tagctl.demo.domain import Domain, domain_of
from tagctl.demo.overlaps import (
    FOLLOWS,
    PLANTED,
    Follow,
    followed,
    follower_holders,
    planted_coverage,
)

NO_ROWS = ("draft", "retired")
HOUR = 3600
DAY = 24 * HOUR
# Refresh budgets of DESIGN.md section 6; `manual` tags are never stale.
BUDGET_SECONDS: Mapping[str, int] = {
    refresh: int(hours * HOUR) for refresh, hours in REFRESH_HOURS.items()
}
STALE_SHARE, VIOLATION_SHARE, ZOMBIE_SHARE = 0.10, 0.08, 0.15
COVERAGE_RANGE = (0.0003, 0.8)  # log-uniform: mean coverage about 0.1
CORE_COVERAGE = (0.82, 0.97)
RARE_COVERAGE = 0.0008  # the rarest standard tag stays under 0.1%
HIGH_TAGS = 3  # at least this many tags above 80% coverage
USAGE_DAYS = 120


@dataclass(frozen=True)
class TagPlan:
    """Everything the SQL needs to write one tag's rows and usage."""

    tag: Tag
    domain: Domain
    salt: int  # feeds hash(): the tag's identity in every draw of a row
    coverage: float
    holders: int
    extra: int  # rows that hold nothing: 'false' or ''
    stride: int
    shift: int
    bad_rate: float  # share of holder rows out of domain; 0 for most tags
    newest: dt.datetime  # the most recent updated_at a row may have
    spread: int  # rows are up to this many seconds older than `newest`
    stale: bool
    uses: int
    zombie: bool
    copy_rows: int = 0  # rows k < copy_rows hold copy_value (an enum tag that leads)
    copy_value: str = ""
    follows: str | None = None  # the tag (or tag=value) this tag's holders overlap

    @property
    def name(self) -> str:
        return self.tag.name

    @property
    def rows(self) -> int:
        return self.holders + self.extra


def rng(seed: int, name: str, purpose: str) -> random.Random:
    """The generator of one kind of choice about one tag (or campaign)."""
    return random.Random(f"{seed}:{name}:{purpose}")


def plan_tags(
    tags: Sequence[Tag], users: int, seed: int, as_of: dt.datetime
) -> tuple[TagPlan, ...]:
    """One plan per tag that gets rows (not draft, not retired), in name order."""
    measured = sorted({t.name: t for t in tags if t.status not in NO_ROWS}.values(), key=_name)
    coverage = _coverages(measured, seed)
    names = [t.name for t in measured]
    refreshed = [t.name for t in measured if t.refresh != "manual"]
    checkable = [t.name for t in measured if domain_of(t, rng(seed, t.name, "values")).bad_value]
    stale = pick(refreshed, _share(STALE_SHARE, names), seed, "stale")
    violating = pick(checkable, _share(VIOLATION_SHARE, names), seed, "violation")
    online = [t.name for t in measured if t.status == "online"]
    zombies = pick(online, _share(ZOMBIE_SHARE, online), seed, "zombie")
    return _plant(
        tuple(
            _tag_plan(t, users, seed, as_of, coverage[t.name], (stale, violating, zombies))
            for t in measured
        ),
        users,
    )


def pick(names: Iterable[str], count: int, seed: int, purpose: str) -> frozenset[str]:
    """`count` of `names`, those ranked first by a draw of their own."""
    ranked = sorted(names, key=lambda name: rng(seed, name, purpose).random())
    return frozenset(ranked[:count])


def _share(share: float, names: Sequence[str]) -> int:
    return max(1, round(share * len(names))) if names else 0


def _name(tag: Tag) -> str:
    return tag.name


def _coverages(measured: Sequence[Tag], seed: int) -> dict[str, float]:
    """Log-uniform coverage for standard tags, high for core ones, with both extremes present."""
    draws = {t.name: rng(seed, t.name, "coverage").random() for t in measured}
    low, high = COVERAGE_RANGE
    coverage = {name: low * (high / low) ** draw for name, draw in draws.items()}
    core = {t.name for t in measured if t.core}
    # the planted redundant tags' coverage follows its own rules (overlaps.py)
    standard = sorted(
        (name for name in draws if name not in core and name not in PLANTED), key=draws.__getitem__
    )
    if standard:
        coverage[standard[0]] = min(coverage[standard[0]], RARE_COVERAGE)
    lifted = standard[1:][::-1][: max(0, HIGH_TAGS - len(core))]
    for name in (*core, *lifted):
        coverage[name] = CORE_COVERAGE[0] + draws[name] * (CORE_COVERAGE[1] - CORE_COVERAGE[0])
    return planted_coverage(coverage)


def _plant(plans: tuple[TagPlan, ...], users: int) -> tuple[TagPlan, ...]:
    """The plans with each follower on its leader's permutation (overlaps.py)."""
    by_name = {p.name: p for p in plans}
    for follow in FOLLOWS:
        leader, follower = by_name.get(follow.leader), by_name.get(follow.follower)
        if leader is None or follower is None:
            continue
        if follow.value is not None:
            if follow.value not in leader.domain.choices:
                continue
            leader = by_name[leader.name] = _leading(leader, follow)
        holders = follower_holders(follow, leader.holders)[1]
        by_name[follower.name] = replace(
            follower,
            coverage=holders / users,
            holders=holders,
            extra=min(users - holders, follower.extra),
            stride=leader.stride,
            shift=leader.shift,
            follows=followed(follow),
        )
    return tuple(by_name[p.name] for p in plans)


def _leading(leader: TagPlan, follow: Follow) -> TagPlan:
    """An enum leader whose first rows hold `follow.value`; the others draw other values."""
    value = follow.value or ""
    others = tuple(choice for choice in leader.domain.choices if choice != value)
    return replace(
        leader,
        domain=replace(leader.domain, choices=others or leader.domain.choices),
        copy_rows=follower_holders(follow, leader.holders)[0],
        copy_value=value,
    )


def _tag_plan(
    tag: Tag,
    users: int,
    seed: int,
    as_of: dt.datetime,
    coverage: float,
    planted: tuple[frozenset[str], frozenset[str], frozenset[str]],
) -> TagPlan:
    """The plan of one tag; `planted` holds the stale, violating and zombie tag names."""
    stale, violating, zombie = (tag.name in names for names in planted)
    rows_rng = rng(seed, tag.name, "rows")
    holders = min(users, max(1, round(coverage * users)))
    newest, spread = _freshness(tag, stale, rng(seed, tag.name, "fresh"), as_of)
    return TagPlan(
        tag=tag,
        domain=domain_of(tag, rng(seed, tag.name, "values")),
        salt=rows_rng.getrandbits(62),
        coverage=coverage,
        holders=holders,
        extra=min(users - holders, _extra(tag, holders, rows_rng)),
        stride=coprime(users, rows_rng),
        shift=rows_rng.randrange(users),
        bad_rate=rng(seed, tag.name, "bad").uniform(0.005, 0.03) if violating else 0.0,
        newest=newest,
        spread=spread,
        stale=stale,
        uses=_uses(tag, zombie, rng(seed, tag.name, "usage")),
        zombie=zombie,
    )


def _extra(tag: Tag, holders: int, draw: random.Random) -> int:
    """'false' rows for half the boolean tags; a few '' rows for a third of the others."""
    chance, share = draw.random(), draw.random()
    if tag.value_type == "boolean":
        return round(holders * (0.1 + 0.5 * share)) if chance < 0.5 else 0
    return max(1, round(holders * (0.002 + 0.018 * share))) if chance < 0.3 else 0


def coprime(users: int, draw: random.Random) -> int:
    if users <= 2:
        return 1
    while True:
        stride = draw.randrange(users // 3 + 1, users)
        if math.gcd(stride, users) == 1:
            return stride


def _freshness(
    tag: Tag, stale: bool, draw: random.Random, as_of: dt.datetime
) -> tuple[dt.datetime, int]:
    """The newest updated_at of the tag's rows and how far older rows spread."""
    if tag.refresh == "manual":
        return as_of - dt.timedelta(days=draw.uniform(2, 60)), 365 * DAY
    budget = BUDGET_SECONDS.get(tag.refresh, BUDGET_SECONDS["daily"])
    if stale:  # past three budgets, so stale under any sensible tolerance
        return as_of - dt.timedelta(seconds=budget * draw.uniform(4, 8)), budget
    # fresh: even the oldest row is inside 65% of the budget
    return as_of - dt.timedelta(seconds=budget * draw.uniform(0.05, 0.25)), int(budget * 0.4)


def _uses(tag: Tag, zombie: bool, draw: random.Random) -> int:
    """How often consumers used the tag: skewed, a few tags take most of the use."""
    chance, size = draw.random(), draw.random()
    if tag.status == "online" and not zombie:
        return 1 + int(3000 * size**6)
    if zombie:  # half never used, half used only before the window
        return 1 + int(15 * size) if chance < 0.5 else 0
    if tag.status == "deprecated":  # some still in use: TG404 and the cleanup sheet notice
        return 1 + int(20 * size) if chance < 0.6 else 0
    return 1 + int(10 * size) if chance < 0.4 else 0
