"""Redundant tags from the data, on every backend, against an all-pairs count in Python.

The warehouse holds planted overlaps (a duplicate pair, a tag inside
another, an enum value that is a boolean tag, two near-universal tags that
overlap by chance) among random tags of every size. The expected pairs are
found by counting every pair of holder sets in Python and applying the rules
of the README; the run must report exactly those, with the same figures.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Mapping

import pytest
from kpicatalog import TagSpec
from kpiwarehouse import BACKENDS, Backend, Dataset, open_backend, user, value

from tagctl.kpi import dialects, redundancy
from tagctl.kpi.redundancy import HolderSet, Sizes, candidate_pairs
from tagctl.kpi.redundancy_rules import judge
from tagctl.kpi.result import KpiRun, Overlap
from tagctl.kpi.settings import RedundancySettings

AS_OF = dt.datetime(2026, 3, 1)
UPDATED = dt.datetime(2026, 2, 20)
USERS = 3000
LEVELS = ("gold", "silver", "bronze")

TAGS = (
    TagSpec("buy_serum_30d", "boolean", "behavior"),
    TagSpec("serum_buyer_30d", "boolean", "behavior"),  # a duplicate of buy_serum_30d
    TagSpec("visit_store_30d", "boolean", "behavior"),
    TagSpec("visit_store_7d", "boolean", "behavior", status="deprecated"),  # inside the 30-day
    TagSpec("visit_store_1d", "boolean", "behavior"),  # inside too, but too small to say
    TagSpec("vip_member", "boolean", "profile"),  # member_level = gold
    TagSpec("member_level", "enum", "profile", values=LEVELS),
    TagSpec("has_phone", "boolean", "profile"),  # 95% of users: overlap by chance
    TagSpec("has_email", "boolean", "profile"),
    *(TagSpec(f"random_tag_{i}", "boolean", "behavior") for i in range(8)),
)


def _holders() -> dict[str, set[int]]:
    """Each boolean tag's holders; member_level's values in `levels`."""
    draw = random.Random(17)
    everyone = list(range(1, USERS + 1))
    serum = set(draw.sample(everyone, 700))
    store_30 = set(draw.sample(everyone, 1200))
    gold = set(draw.sample(everyone, 400))
    sets = {
        "buy_serum_30d": serum,
        "serum_buyer_30d": set(sorted(serum)[:680]) | set(draw.sample(everyone, 10)),
        "visit_store_30d": store_30,
        "visit_store_7d": set(draw.sample(sorted(store_30), 300)),
        "visit_store_1d": set(draw.sample(sorted(store_30), 60)),
        "vip_member": gold,
        "has_phone": set(draw.sample(everyone, 2850)),
        "has_email": set(draw.sample(everyone, 2860)),
    }
    for i in range(8):
        sets[f"random_tag_{i}"] = set(draw.sample(everyone, draw.choice((20, 150, 900, 2000))))
    return sets


def _levels(gold: set[int]) -> dict[int, str]:
    draw = random.Random(5)
    return {
        uid: "gold" if uid in gold else draw.choice(("silver", "bronze"))
        for uid in range(1, USERS + 1)
        if uid in gold or draw.random() < 0.6
    }


def dataset() -> Dataset:
    holders, rows = _holders(), []
    for tag, users in holders.items():
        rows += [value(uid, tag, "true", UPDATED) for uid in sorted(users)]
    rows += [value(uid, "has_phone", "false", UPDATED) for uid in range(1, 40)]  # not holders
    rows += [
        value(uid, "member_level", level, UPDATED)
        for uid, level in _levels(holders["vip_member"]).items()
    ]
    rows.append(value(None, "visit_store_30d", "true", UPDATED))  # a NULL user holds nothing
    rows.append(value(1, "visit_store_7d", "true", AS_OF))  # after as_of: not yet there
    users = [user(uid) for uid in range(1, USERS + 1)]
    return Dataset(
        users=users,
        tag_values=rows,
        tag_usage=None,
        campaign_tags=None,
        campaign_members=None,
        touches=None,
        conversions=None,
    )


def expected(settings: RedundancySettings) -> list[tuple[object, ...]]:
    """Every reportable pair, by counting all pairs of holder sets (README's rules)."""
    holders = _holders()
    levels = _levels(holders["vip_member"])
    sets: dict[tuple[str, str | None], set[int]] = {(t, None): u for t, u in holders.items()}
    sets[("member_level", None)] = set(levels)
    for level in LEVELS:
        sets[("member_level", level)] = {uid for uid, got in levels.items() if got == level}
    found = []
    keys = sorted(sets, key=lambda k: (k[0], k[1] or ""))
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a[0] != b[0]:
                pair = _judge(a, b, sets[a], sets[b], settings)
                if pair is not None:
                    found.append(pair)
    return sorted(found, key=lambda p: (-p[4], p[0], p[1] or ("", "")))


def _judge(a, b, set_a, set_b, s):  # type: ignore[no-untyped-def]
    n, i = USERS, len(set_a & set_b)
    na, nb = len(set_a), len(set_b)
    if not na or not nb:
        return None
    jac = i / len(set_a | set_b)
    spread = na * nb * (n - na) * (n - nb)
    phi = (n * i - na * nb) / math.sqrt(spread) if spread else None
    values = None if a[1] is None and b[1] is None else (a[1], b[1])
    if jac >= s.jaccard and phi is not None and phi >= s.phi:
        return ((a[0], b[0]), values, (na, nb), i, jac, "duplicate")
    for (x, nx), (y, ny) in (((a, na), (b, nb)), ((b, nb), (a, na))):
        if i / nx >= s.containment and i / nx - ny / n >= s.margin and nx >= s.min_holders:
            vals = None if x[1] is None and y[1] is None else (x[1], y[1])
            return ((x[0], y[0]), vals, (nx, ny), i, jac, "contained")
    return None


def found(run: KpiRun) -> list[tuple[object, ...]]:
    assert run.catalog.redundancy is not None
    return [_plain(pair) for pair in run.catalog.redundancy.pairs]


def _plain(pair: Overlap) -> tuple[object, ...]:
    values = None if pair.values is None else tuple(pair.values)
    return (
        tuple(pair.tags),
        values,
        tuple(pair.holders),
        pair.intersection,
        pair.jaccard,
        pair.kind,
    )


@pytest.fixture(scope="module", params=BACKENDS)
def run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KpiRun]:
    root = tmp_path_factory.mktemp(f"redundancy-{request.param}") / "catalog"
    with open_backend(request.param, root) as backend:
        yield backend.run(dataset(), TAGS, as_of=AS_OF)


def test_the_run_reports_exactly_the_pairs_that_all_pairs_counting_finds(run: KpiRun) -> None:
    want = expected(RedundancySettings())
    assert [p[:4] + p[5:] for p in found(run)] == [p[:4] + p[5:] for p in want]
    assert [p[4] for p in found(run)] == pytest.approx([p[4] for p in want])
    kinds = {(p[0], p[1]): p[5] for p in want}
    # The planted ones, and only those: chance overlaps of near-universal tags are not.
    assert kinds == {
        (("buy_serum_30d", "serum_buyer_30d"), None): "duplicate",
        (("visit_store_7d", "visit_store_30d"), None): "contained",
        (("member_level", "vip_member"), ("gold", None)): "duplicate",
        (("vip_member", "member_level"), None): "contained",  # gold is part of member_level
    }


def test_figures_of_a_pair(run: KpiRun) -> None:
    assert run.catalog.redundancy is not None
    pairs = {tuple(p.tags): p for p in run.catalog.redundancy.pairs}
    inside = pairs[("visit_store_7d", "visit_store_30d")]
    assert (inside.holders, inside.intersection, inside.a_in_b) == ([300, 1200], 300, 1.0)
    assert inside.b_in_a == pytest.approx(0.25) and inside.jaccard == pytest.approx(0.25)
    vip = pairs[("member_level", "vip_member")]
    assert vip.values == ["gold", None] and vip.jaccard == 1.0 and vip.phi == pytest.approx(1.0)


def test_per_tag_and_the_tag_that_should_go(run: KpiRun) -> None:
    tags = run.tags
    assert tags["visit_store_30d"].redundant_with == ["visit_store_7d"]
    assert tags["has_phone"].redundant_with == []
    redundant = {n for n, k in tags.items() if any(a.code == "redundant" for a in k.alerts)}
    # the smaller of the duplicates; the contained one; the whole tag, not the enum
    assert redundant == {"serum_buyer_30d", "visit_store_7d", "vip_member"}
    assert run.catalog.alerts["warning"] >= 3
    # online tags with a duplicate or inside another online tag: buy_serum_30d,
    # serum_buyer_30d and vip_member (visit_store_7d is deprecated), of 16 online.
    assert run.catalog.redundancy is not None
    assert run.catalog.redundancy.rate == pytest.approx(3 / 16)


def test_thresholds_come_from_the_settings(backend: Backend) -> None:
    loose = {"redundancy": {"jaccard": 0.3, "phi": 0.3, "containment": 0.9, "margin": 0.05}}
    run = backend.run(dataset(), TAGS, as_of=AS_OF, kpi=loose)
    settings = RedundancySettings(jaccard=0.3, phi=0.3, containment=0.9, margin=0.05)
    want = expected(settings)
    assert [p[:4] + p[5:] for p in found(run)] == [p[:4] + p[5:] for p in want]
    assert ("visit_store_1d", "visit_store_30d") not in {p[0] for p in want}  # 60 < 100 holders


def test_turned_off(file_backend: Backend) -> None:
    run = file_backend.run(dataset(), TAGS, as_of=AS_OF, kpi={"redundancy": {"enabled": False}})
    assert run.catalog.redundancy is None
    assert all(kpi.redundant_with is None for kpi in run.tags.values())


# -- the rules alone, on counted rows ----------------------------------------------


def _sets(*names: tuple[str, str | None]) -> list[HolderSet]:
    return [HolderSet(i, tag, value) for i, (tag, value) in enumerate(names)]


def _rows(counts: Mapping[tuple[int, int], int]) -> list[dict[str, int]]:
    return [{"a": a, "b": b, "shared": n} for (a, b), n in counts.items()]


def test_sets_of_one_tag_are_never_a_candidate() -> None:
    sets = _sets(("level", None), ("level", "gold"), ("vip", None))
    pairs = [(1, 0), (0, 1), (1, 2), (2, 1)]
    rows = [{"a": a, "b": b, "sampled": 200, "shared": 200} for a, b in pairs]
    assert candidate_pairs(rows, sets) == [(1, 2)]


def test_candidates_are_the_pairs_the_estimate_allows_within_six_standard_errors() -> None:
    sets = _sets(("small", None), ("big", None), ("twin", None), ("everyone", None))
    sizes = Sizes({0: 300, 1: 1000, 2: 1010, 3: 9500}, population=10_000)
    s = RedundancySettings()

    def kept(a: int, b: int, shared: int, sampled: int = 256) -> bool:
        row = {"a": a, "b": b, "sampled": sampled, "shared": shared}
        return candidate_pairs([row], sets, sizes, s) == [(min(a, b), max(a, b))]

    # small inside big: 0.95 - 6 x sqrt(0.95 x 0.05 / 256) = 0.868 is the lowest kept
    assert kept(0, 1, 223) and not kept(0, 1, 221)
    # inside a tag of 95% coverage: the margin cannot be met, whatever the estimate
    assert not kept(0, 3, 256)
    # duplicates: sizes within 0.9 x 0.98 and 0.9 - 6 x sqrt(0.09 / 256) = 0.7875
    assert kept(1, 2, 202) and not kept(1, 2, 201)
    # 300 vs 1010 holders cannot be duplicates: kept only as a containment
    assert kept(0, 2, 256) and not kept(0, 2, 215)


def test_phi_is_null_when_a_set_is_everyone() -> None:
    sets = _sets(("a", None), ("b", None))
    judged = judge(
        _rows({(0, 0): 100, (1, 1): 100, (0, 1): 100}), sets, 100, [], RedundancySettings()
    )
    assert judged.redundancy.pairs == []  # Jaccard 1 but phi unknown: not called a duplicate


def test_the_sample_takes_about_256_of_a_large_set_and_all_of_a_small_one() -> None:
    sets = _sets(("a", None), ("b", None), ("c", None))
    limits = redundancy.thresholds(sets, {0: 1_000_000, 1: 100, 2: 0})
    assert limits[1] == redundancy.HASH_RANGE - 1 and 2 not in limits
    assert limits[0] / redundancy.HASH_RANGE * 1_000_000 == pytest.approx(256, abs=1)


def test_an_overlap_statement_the_engine_refuses_is_a_note_not_a_failed_run(
    file_backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as a user id type that the engine's hash function does not take would
    monkeypatch.setitem(dialects.USER_HASH, file_backend.name, "no_such_hash({user})")
    run = file_backend.run(dataset(), TAGS, as_of=AS_OF)
    assert run.catalog.redundancy is None
    assert all(kpi.redundant_with is None for kpi in run.tags.values())
    [note] = [n for n in run.notes if n.startswith("redundancy:")]
    assert "not measured" in note and "redundancy_candidates" in note
    assert run.tags["buy_serum_30d"].holders == 700  # the other KPIs are all there
