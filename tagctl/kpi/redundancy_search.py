"""Which pairs of holder sets are worth counting exactly: the sample's part.

The candidates statement (`redundancy.candidates`) gives, per pair (a, b),
`sampled` holders of a and `shared`, those of them who hold b: `shared /
sampled` estimates c, a's containment in b. Each rule needs c to reach a
figure that the sets' sizes fix (`needed`): a containment of `containment`
and `margin` over b's coverage, or, for duplicates, the intersection that
a Jaccard of `jaccard` and a phi of `phi` both need. A pair goes on when
its estimate could come from such a c (`plausible`): by the Chernoff bound
of a sample of n, an estimate as low as p comes from a c above it with a
chance under exp(-n KL(p || c)), and a pair is dropped only when that is
under 1e-9. So a reportable pair is not missed, while the many pairs that
overlap by chance (two tags each held by 95% of users share 95% of their
holders) are not counted.

Telling those apart takes more than 256 sampled holders: for two sets of
coverage f, chance gives c = f and a phi of 0.8 needs about f + 0.8 (1 - f),
so the larger a set, the more of it is sampled (`sample_size`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tagctl.kpi.dialects import HASH_RANGE
from tagctl.kpi.plan import Row
from tagctl.kpi.redundancy import HolderSet
from tagctl.kpi.settings import RedundancySettings

SAMPLE = 256  # sampled holders of a set, at least (all of a smaller set)
MAX_SAMPLE = 4096  # at most, for a set held by nearly everyone
LOG_MISS = math.log(1e9)  # a reportable pair is dropped with a chance under 1e-9
SPREAD = 6.0  # standard errors between chance and a duplicate that `sample_size` aims for
WHOLE = HASH_RANGE - 1  # the hash threshold that samples every holder


def thresholds(
    sizes: Mapping[int, int | None], population: int, settings: RedundancySettings
) -> dict[int, int]:
    """Per set with holders, the hash under which its holders are sampled.

    About `sample_size` of them; all of a set no larger, or of unknown size.
    """
    found = {}
    for key, size in sizes.items():
        if size is None:
            found[key] = WHOLE
        elif size > 0:
            wanted = sample_size(size, population, settings)
            found[key] = WHOLE if size <= wanted else -(-wanted * HASH_RANGE // size) - 1
    return found


def sample_size(size: int, population: int, settings: RedundancySettings) -> int:
    """Holders to sample of a set of `size`, for an estimate that can rule out chance.

    For two sets of coverage f, chance gives a containment of about f and a
    phi of `phi` needs about f + phi x (1 - f): phi x sqrt(n (1 - f) / f)
    standard errors of a sample of n apart. SPREAD of them take
    n = (SPREAD / phi)^2 x f / (1 - f), doubled for the estimate's own noise.
    """
    if population <= 0 or size >= population or size <= 0:
        return SAMPLE
    share = size / population
    wanted = 2 * (SPREAD / max(settings.phi, 0.1)) ** 2 * share / (1 - share)
    return int(min(MAX_SAMPLE, max(SAMPLE, math.ceil(wanted))))


def floor_share(settings: RedundancySettings) -> float:
    """The sampled share under which no pair can be reportable, whatever its sample size.

    The lowest share `plausible` for the lower of the rules' containments
    with a quarter of SAMPLE sampled (a sampled set's sample is never that
    small; a set sampled whole is exact, and at least the rule's figure).
    """
    bound = min(settings.jaccard, settings.containment)
    low, high = 0.0, bound
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (
            (low, middle) if plausible(middle, SAMPLE // 4, False, bound) else (middle, high)
        )
    return low


@dataclass(frozen=True)
class Sizes:
    """What the search knows before counting: the sets' holders, |P|, the sets sampled whole."""

    holders: Mapping[int, int | None]  # None: not known (then sampled whole)
    population: int
    whole: frozenset[int] = field(default_factory=frozenset)


def candidate_pairs(
    rows: Sequence[Row],
    sets: Sequence[HolderSet],
    sizes: Sizes | None = None,
    settings: RedundancySettings | None = None,
) -> list[tuple[int, int]]:
    """The pairs to count exactly, each once (a < b), sets of one tag left out.

    With `sizes` and `settings`, only the pairs whose estimate a reportable
    pair could give; without, every row's pair.
    """
    tag = {s.id: s.tag for s in sets}
    found = set()
    for row in rows:
        a, b = int(row["a"]), int(row["b"])
        if tag.get(a) is None or tag.get(b) is None or tag[a] == tag[b]:
            continue
        if sizes is None or settings is None or _could_be(row, sizes, settings):
            found.add((min(a, b), max(a, b)))
    return sorted(found)


def _could_be(row: Row, sizes: Sizes, settings: RedundancySettings) -> bool:
    a, b, sampled = int(row["a"]), int(row["b"]), max(1, int(row["sampled"]))
    whole = a in sizes.whole
    size_a = sizes.holders.get(a)
    if size_a is None and whole:
        size_a = sampled  # a set sampled whole: the sample is the set
    share = int(row["shared"]) / sampled
    return any(
        plausible(share, sampled, whole, c)
        for c in needed(size_a, sizes.holders.get(b), sizes.population, settings)
    )


def needed(
    size_a: int | None, size_b: int | None, population: int, s: RedundancySettings
) -> list[float]:
    """The containments of a in b that each rule needs; the loosest when a size is unknown.

    Duplicates: a Jaccard j needs an intersection of j (|a| + |b|) / (1 + j),
    and a phi of p one of (|a||b| + p sqrt(|a||b|(N - |a|)(N - |b|))) / N.
    a inside b: `containment`, and `margin` over b's coverage; not for a set
    under `min_holders`.
    """
    if size_a is None or size_b is None:
        return [min(s.jaccard, s.containment)]
    n, found = population, []
    if 0 < size_a < n and 0 < size_b < n and min(size_a, size_b) >= s.jaccard * max(size_a, size_b):
        jaccard = s.jaccard * (size_a + size_b) / (1 + s.jaccard)
        spread = math.sqrt(size_a * size_b * (n - size_a) * (n - size_b))
        found.append(max(jaccard, (size_a * size_b + s.phi * spread) / n) / size_a)
    if size_a >= s.min_holders and size_a > 0:
        found.append(max(s.containment, s.margin + (size_b / n if n else 1.0)))
    return found


def plausible(share: float, sampled: int, whole: bool, containment: float) -> bool:
    """Whether a containment of at least `containment` could give `share` of `sampled`.

    Exact when the set was sampled whole; else by the Chernoff bound.
    """
    if containment > 1 + 1e-12:
        return False
    if share >= containment - 1e-12:
        return True
    return not whole and sampled * _divergence(share, min(containment, 1.0)) <= LOG_MISS


def _divergence(p: float, q: float) -> float:
    """KL(p || q) of two Bernoulli distributions, p < q."""
    if q >= 1.0:
        return math.inf
    inside = p * math.log(p / q) if p > 0 else 0.0
    return inside + (1 - p) * math.log((1 - p) / (1 - q))
