"""Redundant tags planted in the demo warehouse, for `tagctl kpi` to find.

A follower tag takes the permutation of the users of its leader tag
(plan.py: a tag's holders are the first rows of its permutation), so its
holders are the first rows of the leader's holders, a known share of them:

- `consult_surgery_30d` follows `book_consultation_30d`, 97% of its
  holders: nearly every clinic consultation booked is a pre-operation one
  and few are missed, so the two are one audience (duplicates, Jaccard
  0.97, phi about 0.98);
- `visit_store_7d` follows `visit_store_30d`, a third of its holders: a
  store visit of the last 7 days is one of the last 30 (contained, 100%
  of it in the 30-day tag, which holds 1.8% of the users);
- `vip_birthday_gift` follows the value `black_diamond` of `member_level`:
  the first 2% of the level's holders are black diamonds (the
  invitation-only level) and all of them, and nobody else, get the gift,
  as if the mailing had been narrowed to that level (an enum value
  duplicating a tag, Jaccard 1).

A leader's coverage is its own draw brought into a range where its pair,
and only its pair, shows at any seed: not so high that phi falls under
0.8, not so low that rounding blurs the share. `member_level`'s stays
above 0.8: a tag holding one of its values is inside the whole tag, which
is not reported only while that containment exceeds its coverage by less
than the margin (0.2). `visit_store_30d`'s is fixed under the share that
makes a tag an audience source (campaigns.py), so that with the default
seed the campaigns are those of a demo without the planted pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Follow:
    """`follower`'s holders: `share` of the leader's holders (of those holding `value`)."""

    leader: str
    follower: str
    share: float
    value: str | None = None  # an enum value held by the first `value_share` of the holders
    value_share: float = 1.0


FOLLOWS = (
    Follow("book_consultation_30d", "consult_surgery_30d", 0.97),
    Follow("visit_store_30d", "visit_store_7d", 1 / 3),
    Follow("member_level", "vip_birthday_gift", 1.0, "black_diamond", 0.02),
)
# The coverage range of each leader (a single value: fixed).
LEADER_COVERAGE: Mapping[str, tuple[float, float]] = {
    "book_consultation_30d": (0.02, 0.6),
    "visit_store_30d": (0.018, 0.018),
    "member_level": (0.82, 0.97),
}
PLANTED = frozenset(name for f in FOLLOWS for name in (f.leader, f.follower))


def planted_coverage(coverage: Mapping[str, float]) -> dict[str, float]:
    """`coverage` with the leaders' brought into range and the followers' from them."""
    result = dict(coverage)
    for name, (low, high) in LEADER_COVERAGE.items():
        if name in result:
            result[name] = min(high, max(low, result[name]))
    for follow in FOLLOWS:
        if follow.leader in result and follow.follower in result:
            result[follow.follower] = result[follow.leader] * follow.value_share * follow.share
    return result


def follower_holders(follow: Follow, leader_holders: int) -> tuple[int, int]:
    """The leader's rows holding `value` (all its holders without one) and the follower's holders.

    Both at least 1, the second never more than the first.
    """
    if follow.value is None:
        valued = leader_holders
    else:
        valued = min(leader_holders, max(1, round(leader_holders * follow.value_share)))
    return valued, min(valued, max(1, round(valued * follow.share)))


def followed(follow: Follow) -> str:
    """The holder set a follower overlaps: the leader, or `leader=value`."""
    return follow.leader if follow.value is None else f"{follow.leader}={follow.value}"
