"""Text similarity of tag definitions; `search --similar` and the reuse check of `new`."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import random

import pytest
from explorehelpers import make_tag
from explorehelpers import sample as read_sample

from tagctl.catalog.reader import parse_into
from tagctl.catalog.similarity import (
    FIELDS,
    WEIGHTS,
    Definition,
    Features,
    compare,
    headroom,
    name_words,
    rank,
    score,
    terms,
)
from tagctl.catalog.source import Source
from tagctl.errors import UsageError
from tagctl.explore.newtag import new_tag
from tagctl.explore.similar import REUSE_THRESHOLD, definition, reuse, similar

sample = functools.cache(read_sample)  # read once; the tests never change it

VISIT_STORE = Definition(
    name="visit_store_30d",
    zh="近30天到店",
    en="Visited a store in the last 30 days",
    description="The member checked in at a store in the last 30 days.",
    category="behavior",
    tables=("dwd.store_visits",),
    logic="SELECT member_id AS user_id FROM dwd.store_visits WHERE visit_date >= current_date - 30",
)


def features(item: Definition) -> Features:
    return Features(item)


@functools.cache
def sample_features() -> list[Features]:
    _, tags = sample()
    return [Features(definition(tag)) for tag in tags]


# --- the score


def test_weights_cover_every_field_and_sum_to_one() -> None:
    assert set(WEIGHTS) == set(FIELDS)
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_identical_definitions_score_one() -> None:
    assert score(features(VISIT_STORE), features(dataclasses.replace(VISIT_STORE))) == 1.0
    for item in sample_features():
        assert score(item, item) == 1.0, item.name


def test_unrelated_definitions_score_near_zero() -> None:
    other = Definition(
        name="skin_type",
        zh="肤质",
        en="Skin type",
        description="油性、干性或混合性肌肤，来自皮肤测试。",
        category="profile",
        tables=("dwd.skin_tests",),
        logic="SELECT user_id, skin_type AS tag_value FROM dwd.skin_tests",
    )
    assert score(features(VISIT_STORE), features(other)) == 0.0
    by_name = {item.name: item for item in sample_features()}
    assert score(by_name["skin_type"], by_name["churn_risk_7d"]) < 0.1
    assert score(by_name["gender"], by_name["purchase_serum_90d"]) < 0.1


def test_a_renamed_copy_of_any_sample_tag_ranks_it_first() -> None:
    everything = sample_features()
    _, tags = sample()
    for tag in tags:
        copy = dataclasses.replace(definition(tag), name="copied_tag_quux")
        best = rank(features(copy), everything, limit=1)[0]
        assert best.name == tag.name
        assert best.score >= 0.85


def test_distinct_sample_tags_stay_below_the_near_duplicate_threshold() -> None:
    everything = sample_features()
    pairs = itertools.permutations(everything, 2)
    assert max(score(a, b) for a, b in pairs) < 0.85


def test_fields_report_each_similarity_and_what_matched() -> None:
    seven = dataclasses.replace(
        VISIT_STORE, name="visit_store_7d", zh="近7天到店", en="Visited a store in the last 7 days"
    )
    found = compare(features(VISIT_STORE), features(seven))
    parts = dict(found.fields)
    assert list(parts) == list(FIELDS)
    assert parts["name"] == 0.9  # the same words, another window
    assert parts["zh"] == parts["en"] == 1.0  # numbers are left to the name
    assert found.matched == FIELDS
    assert found.score == pytest.approx(1 - 0.15 * 0.1, abs=1e-4)


@pytest.mark.parametrize(
    ("name", "other", "expected"),
    [
        ("visit_store_30d", "visit_store_30d", 1.0),
        ("visit_store_30d", "visit_store_7d", 0.9),
        ("visit_store_30d", "visit_store", 0.85),
        ("skin_type", "skin_type", 1.0),
        ("purchase_serum_30d", "purchase_cream_30d", 1 / 3),
        ("skin_type", "gender", 0.0),
    ],
)
def test_the_name_compares_words_and_window_apart(name: str, other: str, expected: float) -> None:
    found = compare(features(Definition(name)), features(Definition(other)))
    assert dict(found.fields)["name"] == pytest.approx(expected, abs=1e-4)


def test_name_words_take_the_window_off() -> None:
    assert name_words("visit_store_30d") == (frozenset({"visit", "store"}), "30d")
    assert name_words("purchase_treatment_amount_lifetime")[1] == "lifetime"
    assert name_words("skin_type") == (frozenset({"skin", "type"}), "")
    assert name_words("x7d") == (frozenset({"x7d"}), "")


def test_terms_are_stems_identifiers_and_chinese_bigrams() -> None:
    assert terms("Visited stores; visits to the store") == {"visit", "stor"}
    assert terms("近30天到店") == {"近", "天到", "到店"}
    sql = "SELECT i.user_id FROM dws.order_items i WHERE i.sku_id IN ('serum') GROUP BY 1"
    assert terms(sql) == {"dws.order_items", "sku_id", "serum"}
    assert terms(" select  USER_ID\n\tfrom   DWS.ORDERS ") == terms(
        "SELECT user_id FROM dws.orders"
    )


def test_placeholders_and_empty_fields_do_not_count() -> None:
    config, tags = sample()
    draft = new_tag(config, tags, "visit_store_14d", "behavior")
    source = Source(draft.path, raw=draft.text.encode())
    parse_into(source)
    parsed = Features(Definition.from_data(source.data))
    assert parsed.fields == ("name", "category")
    assert parsed.total == pytest.approx(0.20)
    alone = Features(Definition("visit_store_14d", category="behavior"))
    everything = sample_features()
    assert rank(parsed, everything) == rank(alone, everything)


def test_from_data_ignores_values_of_the_wrong_type() -> None:
    data = {"name": "x_y", "display_name": "oops", "source": {"tables": ["a.b", 3]}, "logic": 7}
    assert Definition.from_data(data) == Definition("x_y", tables=("a.b",))


def test_the_score_is_a_share_of_what_the_query_says() -> None:
    full = features(VISIT_STORE)
    bare = features(Definition("visit_store_30d", category="behavior"))
    assert score(bare, full) == 1.0  # everything the bare one says is in the full one
    assert score(full, bare) == pytest.approx(0.20)


def test_headroom_bounds_the_score_of_the_unread_fields() -> None:
    _, tags = sample()
    everything = sample_features()
    unread = ("description", "source", "logic")
    for query in everything:
        room = headroom(query, unread)
        for tag, full in zip(tags, everything, strict=True):
            cheap = Features(Definition(tag.name, zh=tag.zh, en=tag.en, category=tag.category))
            assert score(query, full) <= score(query, cheap) + room, (query.name, tag.name)
    draft = Features(Definition("visit_store_14d", category="behavior"))
    assert headroom(draft, unread) == pytest.approx(1e-4)  # a draft has none of them


# --- ranking


def test_ranking_is_deterministic_score_then_name() -> None:
    everything = sample_features()
    query = everything[5]
    first = rank(query, everything)
    for seed in range(5):
        shuffled = everything[:]
        random.Random(seed).shuffle(shuffled)
        assert rank(query, shuffled) == first
    keys = [(-found.score, found.name) for found in first]
    assert keys == sorted(keys)
    twins = [Features(dataclasses.replace(VISIT_STORE, name=n)) for n in ("b_x", "c_x", "a_x")]
    assert [found.name for found in rank(features(VISIT_STORE), twins)] == ["a_x", "b_x", "c_x"]


def test_rank_limit_and_minimum() -> None:
    everything = sample_features()
    query = next(item for item in everything if item.name == "visit_store_30d")
    assert len(rank(query, everything, limit=3)) == 3
    assert rank(query, everything, limit=3) == rank(query, everything)[:3]
    assert all(found.score >= 0.5 for found in rank(query, everything, minimum=0.5))
    assert all(found.score > 0 for found in rank(query, everything))


# --- search --similar and new, as a library


def test_similar_ranks_the_other_tags() -> None:
    _, tags = sample()
    found = similar(tags, "visit_store_30d", limit=3)
    assert [item.tag.name for item in found][:2] == ["visit_store_7d", "visit_store_count_90d"]
    assert len(found) == 3 and "visit_store_30d" not in [item.tag.name for item in found]
    assert found[0].score > found[1].score


def test_similar_refuses_an_unknown_tag_and_a_bad_limit() -> None:
    _, tags = sample()
    with pytest.raises(UsageError, match="unknown tag: visit_stor_30d") as caught:
        similar(tags, "visit_stor_30d")
    assert "did you mean visit_store_30d?" in str(caught.value)
    with pytest.raises(UsageError, match="--limit"):
        similar(tags, "visit_store_30d", limit=0)


def test_reuse_finds_live_look_alikes_of_a_draft() -> None:
    _, tags = sample()
    found = reuse(tags, "visit_store_14d", "behavior")
    names = [item.tag.name for item in found]
    assert names[0] == "visit_store_30d"
    assert "visit_store_7d" not in names  # deprecated
    assert all(item.score >= REUSE_THRESHOLD for item in found)
    assert reuse(tags, "purchase_mask_30d", "transaction") == []
    assert reuse(tags, "skin_tone", "profile") == []


def test_reuse_weighs_the_category() -> None:
    tags = [make_tag("visit_store_30d"), make_tag("view_item_30d", category="transaction")]
    same = reuse(tags, "visit_store_7d", "behavior")[0].score
    other = reuse(tags, "visit_store_7d", "profile")[0].score
    assert same > other >= REUSE_THRESHOLD
