"""The rules of the redundancy family: which counted pairs are redundant, and what goes.

`tagctl.kpi.redundancy` counts the pairs of holder sets worth counting;
this module judges those exact figures.

Duplicate: Jaccard >= `kpi.redundancy.jaccard` and phi (the correlation of
the two holder indicators over P) >= `kpi.redundancy.phi`. Contained (a
inside b): a's containment in b >= `containment`, exceeding b's coverage
by `margin`, with at least `min_holders` holders in a. Sets of one tag
(a tag and its own values) are never paired.

Which tag should go (its alert `redundant`): never an enum tag because one
of its values duplicates another tag (the other, whole tag goes); else a
deprecated tag before a live one; else the contained one, or of two
duplicates the one with fewer holders; else the newer (the later first
changelog date, then the later name).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tagctl.catalog.tags import Tag
from tagctl.catalog.versioning import ENDED
from tagctl.kpi.plan import Row
from tagctl.kpi.redundancy import HolderSet
from tagctl.kpi.result import Overlap, Redundancy
from tagctl.kpi.settings import RedundancySettings


@dataclass(frozen=True)
class Judged:
    """The reported pairs, and for each tag the tags it is redundant with."""

    redundancy: Redundancy
    redundant_with: Mapping[str, list[str]]
    to_go: Mapping[str, str]  # the tags that get the `redundant` alert, with its message


def judge(
    rows: Sequence[Row],
    sets: Sequence[HolderSet],
    population: int,
    tags: Sequence[Tag],
    settings: RedundancySettings,
) -> Judged:
    """Classify the exactly counted pairs (rows of `exact_counts`) and say which tag should go."""
    by_id = {s.id: s for s in sets}
    counts = {(int(r["a"]), int(r["b"])): int(r["shared"] or 0) for r in rows}
    sizes = {a: n for (a, b), n in counts.items() if a == b}
    pairs = []
    for (a, b), shared in counts.items():
        if by_id[a].tag != by_id[b].tag and sizes.get(a) and sizes.get(b):
            pair = _classify(by_id[a], by_id[b], sizes[a], sizes[b], shared, population, settings)
            if pair is not None:
                pairs.append(pair)
    pairs.sort(key=lambda p: (-p.jaccard, p.tags, [v or "" for v in p.values or ()]))
    return _verdicts(pairs, tags)


def _classify(
    a: HolderSet,
    b: HolderSet,
    size_a: int,
    size_b: int,
    shared: int,
    population: int,
    s: RedundancySettings,
) -> Overlap | None:
    jaccard = shared / (size_a + size_b - shared)
    phi = _phi(size_a, size_b, shared, population)
    if jaccard >= s.jaccard and phi is not None and phi >= s.phi:
        first, second = sorted(
            [(a, size_a), (b, size_b)], key=lambda x: (x[0].tag, x[0].value or "")
        )
        return _overlap(first, second, shared, jaccard, phi, "duplicate")
    for (inner, n_in), (outer, n_out) in (((a, size_a), (b, size_b)), ((b, size_b), (a, size_a))):
        share = shared / n_in
        coverage = n_out / population if population else 1.0
        if share >= s.containment and share - coverage >= s.margin and n_in >= s.min_holders:
            return _overlap((inner, n_in), (outer, n_out), shared, jaccard, phi, "contained")
    return None


def _overlap(
    a: tuple[HolderSet, int],
    b: tuple[HolderSet, int],
    shared: int,
    jaccard: float,
    phi: float | None,
    kind: str,
) -> Overlap:
    (set_a, size_a), (set_b, size_b) = a, b
    values = None if set_a.value is None and set_b.value is None else [set_a.value, set_b.value]
    return Overlap(
        tags=[set_a.tag, set_b.tag],
        values=values,
        holders=[size_a, size_b],
        intersection=shared,
        jaccard=jaccard,
        phi=phi,
        a_in_b=shared / size_a,
        b_in_a=shared / size_b,
        kind=kind,
    )


def _phi(size_a: int, size_b: int, shared: int, population: int) -> float | None:
    """The correlation of the two holder indicators over P; None when one is constant."""
    n = population
    spread = size_a * size_b * (n - size_a) * (n - size_b)
    if n <= 0 or spread <= 0:
        return None
    return max(-1.0, min(1.0, (n * shared - size_a * size_b) / math.sqrt(spread)))


def _verdicts(pairs: list[Overlap], tags: Sequence[Tag]) -> Judged:
    by_name = {tag.name: tag for tag in tags}
    online = {tag.name for tag in tags if tag.status == "online"}
    redundant_with: dict[str, set[str]] = {}
    to_go: dict[str, list[str]] = {}
    counted: set[str] = set()
    for pair in pairs:
        a, b = pair.tags
        redundant_with.setdefault(a, set()).add(b)
        redundant_with.setdefault(b, set()).add(a)
        going = _to_go(pair, by_name)
        if going is not None:
            to_go.setdefault(going, []).append(_why(pair, going))
        counted |= _counted(pair, online)
    rate = len(counted) / len(online) if online else None
    return Judged(
        Redundancy(rate, pairs),
        {name: sorted(others) for name, others in redundant_with.items()},
        {name: "; ".join(reasons) for name, reasons in to_go.items()},
    )


def _why(pair: Overlap, going: str) -> str:
    """The alert's words for the tag that should go."""
    (a, b), values = pair.tags, pair.values or [None, None]
    other, value = (b, values[1]) if going == a else (a, values[0])
    named = f"{other}={value}" if value is not None else other
    if pair.kind == "contained":
        return f"{pair.a_in_b:.0%} of its holders hold {named}: a merge candidate"
    return f"one audience with {named} (Jaccard {pair.jaccard:.2f}): a merge candidate"


def _counted(pair: Overlap, online: set[str]) -> set[str]:
    """The tags a pair makes redundant for the rate: a whole online tag with a duplicate
    among the online tags, or inside another online tag."""
    (a, b), values = pair.tags, pair.values or [None, None]
    if not {a, b} <= online:
        return set()
    if pair.kind == "contained":
        return {a} if values[0] is None else set()
    return {name for name, value in ((a, values[0]), (b, values[1])) if value is None}


def _to_go(pair: Overlap, tags: Mapping[str, Tag]) -> str | None:
    """The tag that should go (see the module's description); None when neither should."""
    (a, b), values = pair.tags, pair.values or [None, None]
    whole = [name for name, value in ((a, values[0]), (b, values[1])) if value is None]
    if pair.kind == "contained":
        return a if a in whole else None
    if len(whole) < 2:  # an enum value never takes its tag away
        return whole[0] if whole else None
    ended = [name for name in (a, b) if tags[name].status in ENDED]
    if len(ended) == 1:
        return ended[0]
    if pair.holders[0] != pair.holders[1]:
        return a if pair.holders[0] < pair.holders[1] else b
    return max((a, b), key=lambda name: (_born(tags[name]), name))


def _born(tag: Tag) -> str:
    """The date of the tag's first changelog entry ("" when it has none)."""
    return min((change.date for change in tag.changelog if change.date), default="")
