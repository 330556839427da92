"""The report's content: what each role view lists, from a hand-made KPI document.

The documents are valid against schemas/kpi-result.schema.json (checked
here), and the catalog is the sample one, so labels, owners and lifecycle
facts are real.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tagctl.catalog.config import Config, load_config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.errors import UsageError
from tagctl.report.build import ReportHistory, ReportOptions, build_report, report_options
from tagctl.report.i18n import LANGS, WORDS, Language
from tagctl.report.model import Report, Table
from tests.report.documents import AS_OF, alert, conversion, document, tag_kpi

ROOT = Path(__file__).resolve().parents[2]
ALL = ReportOptions(lang="en", roles=("admin", "operator", "executive"), top_n=20)


@cache
def sample() -> tuple[Config, list[Tag]]:
    config = load_config(ROOT / "tag-catalog" / "tagctl.yaml")
    return config, load_tags(config)[0]


def build(doc: dict[str, Any], options: ReportOptions = ALL, **history: Any) -> Report:
    config, tags = sample()
    return build_report(doc, tags, config, options, ReportHistory(**history))


def table(report: Report, tab: str, section: str, index: int = 0) -> Table:
    found = next(t for t in report.tabs if t.id == tab)
    return next(s for s in found.sections if s.id == section).tables[index]


def names(report: Report, tab: str, section: str) -> list[str]:
    return [row.cells[0].text for row in table(report, tab, section).rows]


def test_the_hand_made_documents_are_valid_kpi_documents() -> None:
    schema = json.loads((ROOT / "schemas" / "kpi-result.schema.json").read_text())
    doc = document(
        {
            "skin_type": tag_kpi(alerts=[alert("low_coverage")]),
            "churn_risk_7d": tag_kpi(conversion=conversion(0.02, 0.01, 0.03, 0.001, True)),
        }
    )
    Draft202012Validator(schema).validate(doc)


def test_admin_lists_are_the_tags_with_the_matching_alert_codes() -> None:
    doc = document(
        {
            "skin_type": tag_kpi(coverage=0.004, alerts=[alert("low_coverage")]),
            "gender": tag_kpi(freshness_hours=80.0, alerts=[alert("stale", "alert")]),
            "birth_month": tag_kpi(
                domain_violations=7, alerts=[alert("domain_violations", "alert")]
            ),
            "city_tier": tag_kpi(psi=0.3, alerts=[alert("drift", "alert")]),
            "age_band": tag_kpi(holders=0, coverage=0.0, alerts=[alert("no_data", "alert")]),
            "rfm_segment": tag_kpi(),
        }
    )
    report = build(doc)
    assert names(report, "admin", "sparse") == ["skin_type"]
    assert names(report, "admin", "stale") == ["gender"]
    assert names(report, "admin", "domain") == ["birth_month"]
    assert names(report, "admin", "drift") == ["city_tier"]
    assert names(report, "admin", "no-data") == ["age_band"]
    sparse = table(report, "admin", "sparse").rows[0]
    # coverage, then the tag's own quality.min_coverage
    assert [cell.text for cell in sparse.cells[1:3]] == ["0.4%", "35.0%"]
    stale = table(report, "admin", "stale").rows[0]
    assert stale.cells[1].text == "3 d ago" and stale.cells[2].text == "daily"


def test_past_sunset_lists_deprecated_tags_whose_sunset_is_before_the_run() -> None:
    report = build(document({"skin_type": tag_kpi()}))
    past = names(report, "admin", "sunset")
    assert "churn_risk_score" in past  # deprecated, sunset 2026-11-01
    assert "visit_store_7d" not in past  # deprecated, sunset 2027-01-31
    assert "legacy_vip_grade" not in past  # retired already


def test_cleanup_gives_the_exact_deprecate_command_of_each_cold_tag() -> None:
    doc = document(
        {"sms_opt_in": tag_kpi(coverage=0.004, **{"usage.events": 0})},
        cold=["sms_opt_in"],
    )
    row = table(build(doc), "cleanup", "cold").rows[0]
    command = row.cells[-1]
    assert command.code
    assert command.text == (
        "tagctl deprecate sms_opt_in --reason 'cold: coverage 0.40%, 0 uses in 30 days'"
    )
    assert row.cells[0].sub == "SMS marketing opt-in"  # the label, from the catalog


def test_the_lift_plot_keeps_the_most_significant_tags_even_with_a_zero_q_value() -> None:
    tags = {
        f"visit_product_{i}d": tag_kpi(conversion=conversion(0.001 * i, -0.01, 0.02, 0.9, False))
        for i in range(1, 26)
    }
    tags["churn_risk_7d"] = tag_kpi(conversion=conversion(0.03, 0.02, 0.04, 0.0, True))
    report = build(document(tags), ReportOptions("en", ("executive",), top_n=5))
    section = next(s for s in report.tabs[0].sections if s.id == "conversion")
    assert "churn_risk_7d" in section.charts[0]
    conversions = section.tables[0]
    assert len(conversions.rows) == 26  # the table lists every lift; the plot the top 5
    assert conversions.rows[0].cells[0].text == "churn_risk_7d"  # largest lift first
    assert conversions.rows[0].cells[-1].text == "yes"


def test_roles_choose_the_tabs_and_all_tags_always_comes_last() -> None:
    doc = document({"skin_type": tag_kpi()})
    assert [t.id for t in build(doc).tabs] == ["admin", "operator", "executive", "cleanup", "tags"]
    only = ReportOptions("en", ("executive",), top_n=20)
    assert [t.id for t in build(doc, only).tabs] == ["executive", "tags"]


def test_report_options_come_from_the_config_unless_the_command_line_says() -> None:
    config, _ = sample()
    assert report_options(config).lang == "zh"  # the sample catalog's report.lang
    assert report_options(config, "en", "operator").roles == ("operator",)
    assert report_options(config, role="all").roles == ("admin", "operator", "executive")
    assert report_options(config, role=" Management ").roles == ("executive",)
    assert report_options(config, role="管理层").roles == ("executive",)
    with pytest.raises(UsageError, match="'boss' is not admin"):
        report_options(config, role="boss")


def test_every_tag_of_the_catalog_and_of_the_run_has_an_entry() -> None:
    tags = sample()[1]
    doc = document({"skin_type": tag_kpi(), "gone_tag_30d": tag_kpi()})
    report = build(doc)
    entries = {entry.name: entry for entry in report.entries}
    assert set(entries) == {tag.name for tag in tags} | {"gone_tag_30d"}
    assert entries["gone_tag_30d"].note == "Not in the catalog any more."
    assert entries["gender"].note == "Not measured in this run."
    skin = entries["skin_type"]
    assert skin.note == "" and skin.description.startswith(
        next(t.description for t in tags if t.name == "skin_type")[:20]
    )
    assert ("Holders", "500") in [(fact.label, fact.value) for fact in skin.kpis]
    assert [cell.text for cell in skin.cells[2:4]] == ["50.0%", "12"]  # coverage, uses


def test_trends_need_two_runs_and_end_with_the_current_run() -> None:
    doc = document({"skin_type": tag_kpi(coverage=0.5)})
    single = build(doc)
    executive = next(t for t in single.tabs if t.id == "executive")
    trends = next(s for s in executive.sections if s.id == "trends")
    assert trends.charts == [] and "two saved runs" in trends.note
    earlier = {
        "as_of": "2026-11-16T06:00:00",
        "population": 900,
        "catalog": {**doc["catalog"], "usage_rate": 0.75},
    }
    rows = [{"as_of": "2026-11-16T06:00:00", "tag_name": "skin_type", "coverage": 0.4}]
    report = build(doc, summaries=[earlier], trends=rows)
    executive = next(t for t in report.tabs if t.id == "executive")
    trends = next(s for s in executive.sections if s.id == "trends")
    assert len(trends.charts) == 2 and "2026-11-16" in trends.charts[0]
    assert AS_OF[:10] in trends.charts[0]
    skin = next(entry for entry in report.entries if entry.name == "skin_type")
    assert skin.trend is not None and "<svg" in skin.trend


@pytest.mark.parametrize(
    ("earlier", "shown"),
    [
        ("2026-11-16T06:00:00", ["2026-11-16", AS_OF[:10]]),  # a run a day: its date
        (AS_OF[:11] + "00:00:00", [AS_OF[5:10] + " 00:00", AS_OF[5:16].replace("T", " ")]),
        # two runs in the same minute: to the second
        (AS_OF[:17] + "59", [AS_OF[5:17].replace("T", " ") + "59", AS_OF[5:19].replace("T", " ")]),
    ],
)
def test_trend_labels_tell_the_runs_apart(earlier: str, shown: list[str]) -> None:
    doc = document({"skin_type": tag_kpi(coverage=0.5)})
    summary = {"as_of": earlier, "population": 900, "catalog": doc["catalog"]}
    report = build(doc, summaries=[summary], trends=[])
    executive = next(t for t in report.tabs if t.id == "executive")
    chart = next(s for s in executive.sections if s.id == "trends").charts[0]
    assert [label for label in shown if label in chart] == shown


def test_heat_maps_rank_tags_by_uses() -> None:
    doc = document(
        {
            "skin_type": tag_kpi(**{"usage.events": 5, "usage.by_department": {"crm": 5}}),
            "gender": tag_kpi(**{"usage.events": 40, "usage.by_department": {"ecommerce": 40}}),
        }
    )
    operator = next(t for t in build(doc).tabs if t.id == "operator")
    departments = operator.sections[0].charts[0]
    assert departments.index("gender") < departments.index("skin_type")
    assert "ecommerce" in departments and "crm" in departments


def test_both_languages_have_every_word() -> None:
    for key, pair in WORDS.items():
        assert all(pair), key
    doc = document({"skin_type": tag_kpi(alerts=[alert("stale", "alert")])}, cold=["skin_type"])
    for lang in LANGS:
        report = build(doc, ReportOptions(lang, ALL.roles, 20))
        assert report.lang == lang


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("zh", 100_000, "10万"),
        ("zh", 123_456, "12.3万"),
        ("zh", 250_000_000, "2.5亿"),
        ("zh", 9_999, "9,999"),
        ("en", 123_456, "123,456"),
    ],
)
def test_headline_counts_follow_the_language(lang: str, count: int, expected: str) -> None:
    assert Language(lang).count(count) == expected


def test_rates_and_differences_are_formatted_for_reading() -> None:
    en, zh = Language("en"), Language("zh")
    assert en.percent(0.375) == "37.5%"
    assert en.percent(0.00034) == "0.034%"  # tiny coverage keeps its digits
    assert en.percent(None) == "–"
    assert en.points(0.0123) == "+1.23 pp"
    assert zh.points(-0.005) == "-0.50 个百分点"
    assert en.age(5) == "5 h ago" and zh.age(72) == "3 天前"
