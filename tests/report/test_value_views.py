"""The value figures in the report: audience quality in full, the conversion cycle
against control, ROI and tag combinations (operations), tag-driven sales
(management). Each is read from a hand-made run, formatted in both languages,
and each missing block says why.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tagctl.catalog.config import Config
from tagctl.report.build import ReportHistory, ReportOptions, build_report
from tagctl.report.model import Report, Section, Table
from tagctl.report.render import render_report
from tests.report.documents import (
    combination,
    conversion,
    document,
    roi,
    tag_driven,
    tag_kpi,
)
from tests.report.test_report_build import sample
from tests.report.test_report_render import Page

ROOT = Path(__file__).resolve().parents[2]
COSTS_NOTE = "campaign_costs is not mapped/present: ROI not computed"


def converting(**overrides: Any) -> dict[str, Any]:
    """A tag with campaigns: a lift, the cycle 2.0 against 3.0 days, and its ROI block."""
    return tag_kpi(conversion=conversion(0.02, 0.01, 0.03, 0.001, True), **overrides)


def combos(count: int) -> list[dict[str, Any]]:
    """`count` combinations, the first with the most members."""
    names = ["skin_type", "gender", "city_tier", "churn_risk_7d", "rfm_segment", "age_band"]
    pairs = [[a, b] for i, a in enumerate(names) for b in names[i + 1 :]]
    return [combination(sorted(pairs[i]), 2000 - 100 * i) for i in range(count)]


def valued(**catalog: Any) -> dict[str, Any]:
    """A run with every value figure: two tags with campaigns, 12 combinations, tag-driven
    sales with their ROI."""
    tags = {
        "skin_type": converting(roi=roi(1000.0, 2500.0)),
        "gender": converting(roi=roi(0.0, 300.0)),
        "city_tier": tag_kpi(),
    }
    defaults: dict[str, Any] = {
        "combinations": [
            combos(1)[0] | {"roi": roi(500.0, 1500.0)},
            *combos(12)[1:],
        ],
        "tag_driven": tag_driven(roi=roi(4000.0, 10000.0)),
    }
    return document(tags, **(defaults | catalog))


def build(
    doc: dict[str, Any], lang: str = "en", config: Config | None = None, **history: Any
) -> Report:
    sample_config, tags = sample()
    options = ReportOptions(lang, ("operator", "executive"), 20)
    return build_report(doc, tags, config or sample_config, options, ReportHistory(**history))


def section(report: Report, tab: str, name: str) -> Section:
    found = next(t for t in report.tabs if t.id == tab)
    return next(s for s in found.sections if s.id == name)


def row(table: Table, first: str) -> dict[str, str]:
    """The row whose first cell is `first`: column label -> text (and its reason beneath)."""
    found = next(r for r in table.rows if r.cells[0].text == first)
    return {
        column.label: cell.text + (f" ({cell.sub})" if cell.sub else "")
        for column, cell in zip(table.columns, found.cells, strict=True)
    }


def cards(found: Section) -> dict[str, str]:
    return {
        card.label: card.value + (f" ({card.note})" if card.note else "") for card in found.cards
    }


def page_text(doc: dict[str, Any], lang: str) -> str:
    return " ".join(Page(render_report(build(doc, lang))).text)


def test_the_value_document_is_a_valid_kpi_document() -> None:
    schema = json.loads((ROOT / "schemas" / "kpi-result.schema.json").read_text())
    Draft202012Validator(schema).validate(valued())
    Draft202012Validator(schema).validate(valued(combinations=None, tag_driven=None))


def test_audience_quality_shows_conversion_basket_and_repeat_with_their_indices() -> None:
    quality = section(build(valued()), "operator", "quality").tables[0]
    assert row(quality, "city_tier") == {
        "Tag": "city_tier (City tier)",
        "Conversion index": "2.00",
        "Holders' conversion": "10.0%",
        "Population conversion": "5.0%",
        "AOV index": "1.20",
        "Holders' AOV": "120.00",
        "Population AOV": "100.00",
        "Repeat index": "2.00",
        "Holders' repeat rate": "20.0%",
        "Population repeat rate": "10.0%",
        "Holders": "500",
    }
    zh = section(build(valued(), "zh"), "operator", "quality").tables[0]
    assert row(zh, "city_tier")["客单价指数"] == "1.20"
    assert row(zh, "city_tier")["持有者复购率"] == "20.0%"


def test_a_missing_quality_index_says_why() -> None:
    doc = document(
        {
            "skin_type": tag_kpi(
                **{"audience_quality.holder_aov": None, "audience_quality.aov_index": None}
            ),
            "gender": tag_kpi(
                **{
                    "audience_quality.population_repeat_rate": 0.0,
                    "audience_quality.repeat_index": None,
                }
            ),
        }
    )
    quality = section(build(doc), "operator", "quality").tables[0]
    assert row(quality, "skin_type")["AOV index"] == "– (no order amounts)"
    assert row(quality, "gender")["Repeat index"] == "– (no repeat buyer in the population)"
    zh = section(build(doc, "zh"), "operator", "quality").tables[0]
    assert row(zh, "skin_type")["客单价指数"] == "– (无订单金额)"


def test_the_cycle_shows_treatment_control_difference_and_welch_interval() -> None:
    found = section(build(valued()), "operator", "cycle")
    assert "Welch" in found.note
    assert row(found.tables[0], "skin_type") == {
        "Tag": "skin_type (Skin type)",
        "Campaigns": "2",
        "Treatment (days)": "2.0",
        "Control (days)": "3.0",
        "Difference (days)": "-1.0",
        "95% interval": "[-1.5, -0.5]",
    }
    zh = section(build(valued(), "zh"), "operator", "cycle")
    assert zh.title == "转化周期：实验组对比对照组"
    assert row(zh.tables[0], "skin_type")["差值（天）"] == "-1.0"


def test_a_cycle_without_its_interval_says_why() -> None:
    few = {"conversion.cycle_ci_low": None, "conversion.cycle_ci_high": None}
    none = {
        "conversion.control_cycle_days": None,
        "conversion.cycle_difference_days": None,
        "conversion.cycle_ci_low": None,
        "conversion.cycle_ci_high": None,
    }
    treated_none = {
        **none,
        "conversion.conversion_cycle_days": None,
        "conversion.control_cycle_days": 3.0,
    }
    doc = document(
        {
            "skin_type": converting(**few),
            "gender": converting(**none),
            "vip_member": converting(**treated_none),
        }
    )
    table = section(build(doc), "operator", "cycle").tables[0]
    assert row(table, "skin_type")["95% interval"] == "– (fewer than 2 conversions in a group)"
    assert row(table, "gender")["Difference (days)"] == "– (no conversion in the control group)"
    assert row(table, "vip_member")["Difference (days)"] == (
        "– (no conversion in the treatment group)"
    )


def test_roi_per_tag_with_its_cost_revenue_and_why_a_zero_cost_has_none() -> None:
    found = section(build(valued()), "operator", "roi")
    table = found.tables[0]
    assert [r.cells[0].text for r in table.rows] == ["skin_type", "gender"]
    assert row(table, "skin_type") == {
        "Tag": "skin_type (Skin type)",
        "Cost": "1,000",
        "Incremental revenue": "2,500",
        "ROI": "2.50",
    }
    assert row(table, "gender")["ROI"] == "– (the cost is zero)"
    zh = section(build(valued(), "zh"), "operator", "roi").tables[0]
    assert row(zh, "gender")["ROI"] == "– (成本为零)"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", f"ROI was not computed in this run: the run notes “{COSTS_NOTE}”."),
        ("zh", f"本次运行未计算 ROI：运行说明为“{COSTS_NOTE}”。"),
    ],
)
def test_without_costs_roi_says_why_in_both_languages(lang: str, expected: str) -> None:
    doc = document({"skin_type": converting()}, notes=[COSTS_NOTE])
    found = section(build(doc, lang), "operator", "roi")
    assert found.note == expected and not found.tables
    assert expected in page_text(doc, lang)


def test_without_costs_and_without_a_note_roi_names_the_missing_table() -> None:
    found = section(build(document({"skin_type": converting()})), "operator", "roi")
    assert found.note == "ROI was not computed in this run: there is no campaign_costs table."


def test_combinations_show_the_top_n_by_members_with_every_figure() -> None:
    found = section(build(valued()), "operator", "combinations")
    table = found.tables[0]
    assert len(table.rows) == 10  # kpi.combinations.top_n by default
    assert table.caption == "The top 10 of 12 combinations, by members."
    members = [r.cells[2].sort for r in table.rows]
    assert members == sorted(members, reverse=True)
    top = row(table, "gender + skin_type")
    assert top == {
        "Tags": "gender + skin_type (Gender + Skin type)",
        "Campaigns": "2",
        "Members": "2,000",
        "Treatment": "12.0%",
        "Control": "10.0%",
        "Lift": "+2.00 pp",
        "95% interval": "[+0.50 pp, +3.50 pp]",
        "q-value": "0.0180",
        "Significant": "yes",
        "ROI": "3.00",
    }
    assert row(table, "city_tier + skin_type")["ROI"].startswith("– (")
    zh = section(build(valued(), "zh"), "operator", "combinations").tables[0]
    assert row(zh, "gender + skin_type")["提升"] == "+2.00 个百分点"
    assert zh.caption == "按圈选人数显示前 10 个，共 12 个组合。"


def test_the_number_of_combinations_shown_is_kpi_combinations_top_n() -> None:
    config, _ = sample()
    kpi = {**config.sections.get("kpi", {}), "combinations": {"top_n": 3}}
    configured = dataclasses.replace(config, sections={**config.sections, "kpi": kpi})
    found = section(build(valued(), config=configured), "operator", "combinations")
    assert len(found.tables[0].rows) == 3
    assert "the 3 largest by members" in found.note


@pytest.mark.parametrize(
    ("combinations", "notes", "lang", "expected"),
    [
        (
            None,
            ["no campaign_tags table: campaign_tags KPIs are null"],
            "en",
            "Tag combinations were not measured in this run: the run notes "
            "“no campaign_tags table: campaign_tags KPIs are null”.",
        ),
        (
            None,
            [],
            "zh",
            "本次运行未统计标签组合：没有 campaign_tags 或 campaign_members 表。",
        ),
        ([], [], "en", "No campaign with members in the window selects with two or more tags."),
        ([], [], "zh", "窗口内没有使用两个及以上标签圈选的活动。"),
    ],
)
def test_no_combinations_say_why(
    combinations: list[Any] | None, notes: list[str], lang: str, expected: str
) -> None:
    doc = valued(combinations=combinations, notes=notes)
    found = section(build(doc, lang), "operator", "combinations")
    assert found.note == expected and not found.tables
    assert expected in page_text(doc, lang)


def test_management_shows_tag_driven_shares_coverage_and_roi() -> None:
    found = section(build(valued()), "executive", "tag-driven")
    assert cards(found) == {
        "Tag-driven sales share": "40.0%",
        "Tag-driven conversions share": "40.0%",
        "Users covered by tag strategies": "30.0%",
        "ROI of tag-driven campaigns": "2.50",
    }
    shares, returns = found.tables
    assert row(shares, "Sales amount") == {
        "Figure": "Sales amount",
        "Tag-driven": "52,000",
        "Total": "130,000",
        "Share": "40.0%",
    }
    assert row(shares, "Users") == {
        "Figure": "Users",
        "Tag-driven": "300",
        "Total": "1,000",
        "Share": "30.0%",
    }
    assert [cell.text for cell in returns.rows[0].cells] == ["4,000", "10,000", "2.50"]
    zh = section(build(valued(), "zh"), "executive", "tag-driven")
    assert cards(zh)["标签驱动销售额占比"] == "40.0%"
    assert cards(zh)["标签策略覆盖用户占比"] == "30.0%"


def test_tag_driven_without_costs_or_sales_says_why() -> None:
    empty = tag_driven(
        total_conversions=0,
        conversions=0,
        amount=0.0,
        total_amount=0.0,
        conversion_share=None,
        amount_share=None,
    )
    doc = valued(tag_driven=empty, notes=[COSTS_NOTE])
    found = section(build(doc), "executive", "tag-driven")
    assert cards(found) == {
        "Tag-driven sales share": "– (no conversions in the window)",
        "Tag-driven conversions share": "– (no conversions in the window)",
        "Users covered by tag strategies": "30.0%",
        "ROI of tag-driven campaigns": f"– (the run notes “{COSTS_NOTE}”)",
    }
    zh = cards(section(build(doc, "zh"), "executive", "tag-driven"))
    assert zh["标签驱动活动的 ROI"] == f"– (运行说明为“{COSTS_NOTE}”)"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Tag-driven sales were not measured in this run: "
            "there is no conversions, campaign_tags or campaign_members table.",
        ),
        (
            "zh",
            "本次运行未统计标签驱动的销售："
            "缺少 conversions、campaign_tags 或 campaign_members 表。",
        ),
    ],
)
def test_no_tag_driven_block_says_why(lang: str, expected: str) -> None:
    doc = valued(tag_driven=None)
    found = section(build(doc, lang), "executive", "tag-driven")
    assert found.note == expected and not found.cards and not found.tables
    assert expected in page_text(doc, lang)


@pytest.mark.parametrize(
    ("lang", "figures"),
    [
        ("en", ["Tag combinations", "Tag-driven sales share", "[+0.50 pp, +3.50 pp]", "2.50"]),
        ("zh", ["标签组合", "标签驱动销售额占比", "[+0.50 个百分点, +3.50 个百分点]", "2.50"]),
    ],
)
def test_the_page_shows_the_value_figures(lang: str, figures: list[str]) -> None:
    text = page_text(valued(), lang)
    for figure in figures:
        assert figure in text, figure


def test_a_run_without_any_value_block_renders_in_both_languages() -> None:
    bare = tag_kpi(audience_quality=None, roi=None)
    doc = document({"skin_type": bare}, combinations=None, tag_driven=None)
    for lang in ("en", "zh"):
        assert "</html>" in render_report(build(doc, lang))


def test_the_tag_driven_shares_have_a_trend_across_saved_runs() -> None:
    earlier = valued()["catalog"] | {"tag_driven": tag_driven(amount_share=0.3)}
    summaries = [{"as_of": "2026-11-16T06:00:00", "population": 1000, "catalog": earlier}]
    trends = section(build(valued(), summaries=summaries), "executive", "trends")
    assert len(trends.charts) == 3 and "Tag-driven shares across saved runs" in trends.charts[2]
    plain = section(build(valued(tag_driven=None), summaries=summaries[:0]), "executive", "trends")
    assert not plain.charts  # one run: no trend yet


def test_the_tag_entry_lists_the_new_indices_and_roi() -> None:
    entry = next(e for e in build(valued()).entries if e.name == "skin_type")
    facts = {fact.label: fact.value for fact in entry.kpis}
    assert facts["AOV index"] == "1.20" and facts["Repeat index"] == "2.00"
    assert facts["ROI"] == "2.50"


def test_a_card_shows_its_reason_under_its_label() -> None:
    doc = valued(tag_driven=tag_driven(roi=None), notes=[COSTS_NOTE])
    html = render_report(build(doc))
    reason = f'<span class="cn">the run notes “{COSTS_NOTE}”</span>'
    assert f'<span class="l">ROI of tag-driven campaigns</span>{reason}' in html
