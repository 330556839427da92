"""Search: matching in both languages and the documented ranking."""

from __future__ import annotations

import pytest
from explorehelpers import make_tag, sample

from tagctl.errors import UsageError
from tagctl.explore.search import Match, search


def names(query: str) -> list[str]:
    return [hit.tag.name for hit in search(sample()[1], query)]


def test_chinese_query_matches_inside_display_names() -> None:
    hits = search(sample()[1], "复购")
    assert {hit.tag.name for hit in hits} >= {
        "high_potential_repurchase",
        "repurchase_prob_30d",
        "repurchase_serum_90d",
    }
    assert hits[0].match is Match.DISPLAY_NAME


def test_english_query_ranks_name_words_before_descriptions() -> None:
    hits = search(sample()[1], "repurchase")
    levels = [hit.match for hit in hits]
    assert levels == sorted(levels, reverse=True)
    assert hits[0].match is Match.NAME_TOKEN
    assert "high_potential_repurchase" in [hit.tag.name for hit in hits[:3]]


def test_skin_type_in_chinese_and_english() -> None:
    assert names("肤质")[0] == "skin_type"
    assert names("skin")[:3] == ["skin_age_index", "skin_concern", "skin_type"]
    assert names("skin type")[0] == "skin_type"
    assert search(sample()[1], "skin_type")[0].match is Match.NAME


def test_ranking_exact_name_then_token_then_display_then_description() -> None:
    tags = [
        make_tag("serum_buyer", zh="精华", description="x"),
        make_tag("view_article", zh="阅读", en="Read a serum article", description="x"),
        make_tag("visit_store", zh="到店", en="Store visit", description="Asked about serum."),
        make_tag("serum", zh="精华", en="Serum"),
        make_tag("unrelated", zh="无关", en="Nothing"),
    ]
    hits = search(tags, "serum")
    assert [(h.tag.name, h.match) for h in hits] == [
        ("serum", Match.NAME),
        ("serum_buyer", Match.NAME_TOKEN),
        ("view_article", Match.DISPLAY_NAME),
        ("visit_store", Match.DESCRIPTION),
    ]


def test_latin_terms_match_at_word_starts_cjk_anywhere() -> None:
    tags = [make_tag("a_tag", en="Repurchase audience", zh="高潜复购人群")]
    assert search(tags, "purchase") == []
    assert search(tags, "repurch")[0].match is Match.DISPLAY_NAME
    assert search(tags, "REPURCHASE")[0].match is Match.DISPLAY_NAME
    assert search(tags, "复购")[0].match is Match.DISPLAY_NAME


def test_every_term_must_match_and_the_weakest_decides() -> None:
    tags = [make_tag("skin_type", values=[("oily", "油性", "Oily")])]
    assert search(tags, "skin 油性")[0].match is Match.DESCRIPTION
    assert search(tags, "skin 干性") == []


def test_display_name_equal_to_the_query_comes_first_then_live_tags() -> None:
    tags = [
        make_tag("b_old", zh="肤质", status="retired"),
        make_tag("a_long", zh="肤质类型"),
        make_tag("c_exact", zh="肤质"),
    ]
    assert [hit.tag.name for hit in search(tags, "肤质")] == ["c_exact", "b_old", "a_long"]


@pytest.mark.parametrize("query", ["", "   ", "_"])
def test_empty_query_is_a_usage_error(query: str) -> None:
    with pytest.raises(UsageError):
        search([make_tag("x")], query)
