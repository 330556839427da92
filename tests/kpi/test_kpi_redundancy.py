"""Redundant tags from the data, on every backend, against an all-pairs count in Python.

The warehouse holds planted overlaps (a duplicate pair, a tag inside
another, an enum value that is a boolean tag, the same for a value too small
to be among the values pass's top buckets, two near-universal tags that
overlap by chance) among random tags of every size. The expected pairs are
found by counting every pair of holder sets in Python and applying the rules
of docs/kpi.md; the run must report exactly those, with the same figures.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from kpicatalog import TagSpec
from kpiwarehouse import BACKENDS, Backend, Dataset, open_backend, user, value

from tagctl.kpi import dialects
from tagctl.kpi import redundancy_search as search
from tagctl.kpi.redundancy import HolderSet
from tagctl.kpi.redundancy_rules import judge
from tagctl.kpi.redundancy_search import (
    MAX_SAMPLE,
    SAMPLE,
    WHOLE,
    Sizes,
    candidate_pairs,
    sample_size,
    thresholds,
)
from tagctl.kpi.result import KpiRun, Overlap
from tagctl.kpi.settings import RedundancySettings

AS_OF = dt.datetime(2026, 3, 1)
UPDATED = dt.datetime(2026, 2, 20)
USERS = 3000
LEVELS = ("gold", "silver", "bronze")
# More declared values than the values pass keeps buckets for (20): the last,
# smallest ones are summed as "other", so their sizes are not known before counting.
PROVINCES = tuple(f"p{i:02d}" for i in range(25))

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
    TagSpec("province", "enum", "profile", values=PROVINCES),
    TagSpec("remote_region", "boolean", "profile"),  # province = p24, its smallest value
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
    sets["remote_region"] = {uid for uid, got in _provinces().items() if got == PROVINCES[-1]}
    return sets


def _provinces() -> dict[int, str]:
    """2,850 users in 25 provinces of 150, 147, ... 78 users."""
    order = list(range(1, USERS + 1))
    random.Random(23).shuffle(order)
    found, start = {}, 0
    for i, province in enumerate(PROVINCES):
        size = 150 - 3 * i
        found.update(dict.fromkeys(order[start : start + size], province))
        start += size
    return found


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
    rows += [value(uid, "province", got, UPDATED) for uid, got in _provinces().items()]
    rows.append(value(None, "visit_store_30d", "true", UPDATED))  # a NULL user holds nothing
    rows.append(value(1, "visit_store_7d", "true", AS_OF))  # after as_of: not yet there
    users = [user(uid) for uid in range(1, USERS + 1)]
    return _tags_only(users, rows)


def _tags_only(users: list[dict[str, object]], rows: list[dict[str, object]]) -> Dataset:
    """Users and tag rows; the other tables absent."""
    return Dataset(users, rows, None, None, None, None, None)


def expected(settings: RedundancySettings) -> list[tuple[object, ...]]:
    """Every reportable pair, by counting all pairs of holder sets (docs/kpi.md's rules)."""
    holders = _holders()
    levels = _levels(holders["vip_member"])
    sets: dict[tuple[str, str | None], set[int]] = {(t, None): u for t, u in holders.items()}
    sets[("member_level", None)] = set(levels)
    for level in LEVELS:
        sets[("member_level", level)] = {uid for uid, got in levels.items() if got == level}
    provinces = _provinces()
    sets[("province", None)] = set(provinces)
    for province in PROVINCES:
        sets[("province", province)] = {uid for uid, got in provinces.items() if got == province}
    found = []
    keys = sorted(sets, key=lambda k: (k[0], k[1] or ""))
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a[0] != b[0]:
                pair = _judge(a, b, sets[a], sets[b], settings)
                if pair is not None:
                    found.append(pair)
    return sorted(found, key=lambda p: (-p[4], p[0], p[1] or ("", "")))


def _judge(a, b, set_a, set_b, s, n=USERS):  # type: ignore[no-untyped-def]
    i = len(set_a & set_b)
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


WIDE = {"tag_values": {"layout": "wide"}}


def wide_run(backend: Backend, data: Dataset, tags: Sequence[TagSpec], **options: Any) -> KpiRun:
    """The run with tag_values in the wide layout: a user's row dated at or after as_of
    would hold nothing at all, so the one late value is left out, as it is of the long run."""
    on_time = [row for row in data.tag_values if row["updated_at"] < AS_OF]
    data = Dataset(data.users, on_time, None, None, None, None, None)
    return backend.run(data, tags, as_of=AS_OF, wide=tags, tables=WIDE, **options)


@pytest.fixture(
    scope="module", params=[(name, layout) for name in BACKENDS for layout in ("long", "wide")]
)
def run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KpiRun]:
    name, layout = request.param
    root = tmp_path_factory.mktemp(f"redundancy-{name}-{layout}") / "catalog"
    with open_backend(name, root) as backend:
        if layout == "long":
            yield backend.run(dataset(), TAGS, as_of=AS_OF)
        else:
            found = wide_run(backend, dataset(), TAGS)
            assert found.warehouse["layout"] == "wide"
            yield found


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
        (("province", "remote_region"), ("p24", None)): "duplicate",  # past the top buckets
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
    assert redundant == {"serum_buyer_30d", "visit_store_7d", "vip_member", "remote_region"}
    assert run.catalog.alerts["warning"] >= 4
    # online tags with a duplicate or inside another online tag: buy_serum_30d,
    # serum_buyer_30d, vip_member and remote_region (visit_store_7d is deprecated),
    # of 18 online.
    assert run.catalog.redundancy is not None
    assert run.catalog.redundancy.rate == pytest.approx(4 / 18)


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


def _below(k: int, n: int, p: float) -> float:
    """P(X < k) for X ~ Binomial(n, p)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k))


def _kept(sizes: Sizes, a: int, b: int, shared: int, sampled: int = 256) -> bool:
    sets = _sets(*((f"tag_{k}", None) for k in range(4)))
    row = {"a": a, "b": b, "sampled": sampled, "shared": shared}
    return candidate_pairs([row], sets, sizes, RedundancySettings()) == [(min(a, b), max(a, b))]


def test_a_pair_at_a_rules_bound_is_dropped_with_a_chance_under_one_in_a_billion() -> None:
    sizes = Sizes({0: 300, 1: 1000, 2: 1010, 3: 9500}, population=10_000)
    lowest = min(k for k in range(257) if _kept(sizes, 0, 1, k))
    # 300 inside 1,000 needs a containment of 0.95: a true 0.95 gives fewer than
    # `lowest` of 256 with a chance under 1e-9, and the bound is not much looser
    assert _below(lowest, 256, 0.95) < 1e-9 < _below(lowest + 4, 256, 0.95)
    assert all(_kept(sizes, 0, 1, k) for k in range(lowest, 257))
    assert not _kept(sizes, 0, 3, 256)  # inside a tag of 95%: the margin cannot be met
    # 1,000 and 1,010 holders: a duplicate, or one inside the other, needs 0.95
    assert min(k for k in range(257) if _kept(sizes, 1, 2, k)) == lowest


def test_two_tags_held_by_nearly_everyone_are_not_counted_for_their_chance_overlap() -> None:
    settings = RedundancySettings()
    sizes = Sizes({0: 9500, 1: 9600}, population=10_000)
    sampled = sample_size(9500, 10_000, settings)
    assert sampled > 8 * SAMPLE  # a near-universal set is sampled more
    # Independent, they share 9500 x 0.96 holders: a Jaccard of 0.914, a phi of 0.
    assert not _kept(sizes, 0, 1, round(0.96 * sampled), sampled)
    # A phi of 0.8 needs 9,462 in common, a containment of 0.996
    assert _kept(sizes, 0, 1, round(0.996 * sampled), sampled)


def test_a_set_sampled_whole_is_judged_on_its_exact_share() -> None:
    sizes = Sizes({0: 200, 1: 1000}, population=10_000, whole=frozenset({0}))
    assert _kept(sizes, 0, 1, 190, 200) and not _kept(sizes, 0, 1, 189, 200)  # 0.95 exactly
    unknown = Sizes({0: None, 1: 1000}, population=10_000, whole=frozenset({0}))
    assert _kept(unknown, 0, 1, 190, 200) and not _kept(unknown, 0, 1, 189, 200)


def test_unknown_sizes_keep_every_pair_the_loosest_rule_allows() -> None:
    sizes = Sizes({0: 5000, 1: None}, population=10_000)
    # a's containment in b of 0.9 (the Jaccard a duplicate needs) is plausible at 0.83
    assert _kept(sizes, 0, 1, round(0.83 * 256)) and not _kept(sizes, 0, 1, round(0.7 * 256))


def test_phi_is_null_when_a_set_is_everyone() -> None:
    sets = _sets(("a", None), ("b", None))
    judged = judge(
        _rows({(0, 0): 100, (1, 1): 100, (0, 1): 100}), sets, 100, [], RedundancySettings()
    )
    assert judged.redundancy.pairs == []  # Jaccard 1 but phi unknown: not called a duplicate


def test_the_sample_takes_256_of_a_set_more_of_a_near_universal_one_all_of_a_small_one() -> None:
    settings = RedundancySettings()
    limits = thresholds({0: 1_000_000, 1: 100, 2: 0, 3: None, 4: 1_990_000}, 2_000_000, settings)
    assert limits[1] == WHOLE and limits[3] == WHOLE and 2 not in limits
    assert limits[0] / (WHOLE + 1) * 1_000_000 == pytest.approx(SAMPLE, abs=1)
    assert limits[4] / (WHOLE + 1) * 1_990_000 == pytest.approx(MAX_SAMPLE, abs=1)
    assert sample_size(100, 1000, settings) == SAMPLE


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


# -- the estimate's error, measured ------------------------------------------------

ERROR_USERS = 20_000


def _overlapping_sets() -> dict[str, set[int]]:
    """24 tags of 2,000 to 12,000 users, each drawn partly from one shared pool:
    their containments in one another spread from near 0 to near 1."""
    draw = random.Random(41)
    everyone = list(range(1, ERROR_USERS + 1))
    pool = draw.sample(everyone, 8000)
    sets = {}
    for i in range(24):
        size = draw.choice((2000, 4000, 7000, 12000))
        inside = min(size, round(size * draw.random()), len(pool))
        chosen = set(draw.sample(pool, inside))
        rest = [uid for uid in everyone if uid not in chosen]
        sets[f"overlap_tag_{i:02d}"] = chosen | set(draw.sample(rest, size - inside))
    return sets


def test_the_sampled_containment_errs_as_documented(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every pair's estimate, kept whatever its value (no floor), against the exact
    # containment: errors z = (share - c) / sqrt(c (1 - c) / n x (1 - n / |a|)) are
    # centred with a spread of one, and none reaches the bound the search allows.
    sets = _overlapping_sets()
    names = sorted(sets)
    rows: list[dict[str, int]] = []
    real = search.candidate_pairs

    def capture(found: list[dict[str, int]], *args: object) -> list[tuple[int, int]]:
        rows.extend(found)
        return real(found, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "floor_share", lambda settings: 0.0)
    monkeypatch.setattr(search, "candidate_pairs", capture)
    tags = [TagSpec(name, "boolean", "behavior") for name in names]
    data = _tags_only(
        [user(uid) for uid in range(1, ERROR_USERS + 1)],
        [value(uid, t, "true", UPDATED) for t in names for uid in sorted(sets[t])],
    )
    with open_backend("duckdb", tmp_path_factory.mktemp("error") / "catalog") as backend:
        backend.run(data, tags, as_of=AS_OF)
    errors = []
    for row in rows:
        a, b = sets[names[row["a"]]], sets[names[row["b"]]]
        n, exact = row["sampled"], len(a & b) / len(a)
        share = row["shared"] / n
        assert search.plausible(share, n, False, exact)  # within the search's bound
        if 0.05 < exact < 0.95:
            spread = math.sqrt(exact * (1 - exact) / n * (1 - n / len(a)))
            errors.append((share - exact) / spread)
    assert len(rows) == 24 * 23 and len(errors) > 200
    mean = sum(errors) / len(errors)
    deviation = math.sqrt(sum((z - mean) ** 2 for z in errors) / len(errors))
    assert abs(mean) < 0.2 and 0.8 < deviation < 1.2


def test_one_tag_no_holders_and_null_users_give_an_empty_measure(file_backend: Backend) -> None:
    tags = (
        TagSpec("only_tag", "boolean", "behavior"),
        TagSpec("empty_level", "enum", "profile", values=LEVELS),  # nobody holds it
    )
    rows = [value(uid, "only_tag", "true", UPDATED) for uid in range(1, 200)]
    rows += [value(None, "only_tag", "true", UPDATED), value(None, "empty_level", "gold", UPDATED)]
    data = _tags_only([user(uid) for uid in range(1, 300)], rows)
    run = file_backend.run(data, tags, as_of=AS_OF)
    assert run.catalog.redundancy is not None
    assert run.catalog.redundancy.pairs == [] and run.catalog.redundancy.rate == 0
    assert run.tags["only_tag"].redundant_with == [] and run.tags["only_tag"].holders == 199
    assert not [n for n in run.notes if n.startswith("redundancy")]


def test_the_wide_layout_with_one_tag_an_enum_nobody_holds_and_a_missing_column(
    file_backend: Backend,
) -> None:
    only = TagSpec("only_tag", "boolean", "behavior")
    empty = TagSpec("empty_level", "enum", "profile", values=LEVELS)
    missing = TagSpec("gone_tag", "boolean", "behavior")  # measured, but no column
    rows = [value(uid, "only_tag", "true", UPDATED) for uid in range(1, 200)]
    data = _tags_only([user(uid) for uid in range(1, 300)], rows)
    run = file_backend.run(
        data, (only, empty, missing), as_of=AS_OF, wide=(only, empty), tables=WIDE
    )
    assert run.catalog.redundancy is not None
    assert run.catalog.redundancy.pairs == [] and run.catalog.redundancy.rate == 0
    assert run.tags["only_tag"].redundant_with == [] and run.tags["only_tag"].holders == 199
    assert [n for n in run.notes if "gone_tag" in n] == ["no column in tag_values for: gone_tag"]
    assert not [n for n in run.notes if n.startswith("redundancy")]


def _near_the_bounds() -> dict[str, set[int]]:
    """Pairs of sampled sets (2,000 holders and more of 20,000 users) at the rules'
    bounds and just under them: containments of 0.95 and 0.949, a Jaccard of 0.9
    (a duplicate at a phi far above 0.8) and just under."""
    draw = random.Random(59)
    everyone = list(range(1, ERROR_USERS + 1))
    sets: dict[str, set[int]] = {}
    for i, inside in enumerate((1900, 1898, 1960, 1899)):  # of 2,000: 0.95, 0.949, 0.98, 0.9495
        large = set(draw.sample(everyone, 6000))
        outside = draw.sample([u for u in everyone if u not in large], 2000 - inside)
        sets[f"big_{i}"] = large
        sets[f"small_{i}"] = set(draw.sample(sorted(large), inside)) | set(outside)
    for i, shared in enumerate((3790, 3789)):  # two sets of 4,000: Jaccard 0.9002, 0.8998
        base = draw.sample(everyone, 8000 - shared)
        sets[f"twin_a_{i}"] = set(base[:4000])
        sets[f"twin_b_{i}"] = set(base[:shared]) | set(base[4000 : 4000 + 4000 - shared])
    return sets


def test_pairs_at_the_bounds_are_found_and_those_just_under_are_not(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    sets = _near_the_bounds()
    names = sorted(sets)
    rows = [value(uid, t, "true", UPDATED) for t in names for uid in sorted(sets[t])]
    data = _tags_only([user(uid) for uid in range(1, ERROR_USERS + 1)], rows)
    tags = [TagSpec(name, "boolean", "behavior") for name in names]
    with open_backend("duckdb", tmp_path_factory.mktemp("bounds") / "catalog") as backend:
        run = backend.run(data, tags, as_of=AS_OF)
    settings = RedundancySettings()
    want = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            found = _judge((a, None), (b, None), sets[a], sets[b], settings, ERROR_USERS)
            if found is not None:
                want.append(found[0])
    assert run.catalog.redundancy is not None
    assert sorted(tuple(p.tags) for p in run.catalog.redundancy.pairs) == sorted(want)
    assert sorted(want) == [
        ("small_0", "big_0"),
        ("small_2", "big_2"),
        ("twin_a_0", "twin_b_0"),
    ]
