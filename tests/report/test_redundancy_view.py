"""The redundancy section of the administrator's view, its Euler bar chart and the
dictionary's `redundant_with`: figures, geometry, the unmeasured and empty cases,
both languages, escaping.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from markupsafe import Markup

from tagctl.report.build import ReportOptions, build_report
from tagctl.report.euler import BAR_END, BAR_X, Split, euler_chart
from tagctl.report.model import Report, Section
from tagctl.report.render import render_report
from tests.report.documents import alert, document, overlap, tag_kpi
from tests.report.test_report_build import sample
from tests.report.test_report_render import Page

ROOT = Path(__file__).resolve().parents[2]
NS = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
KEYS = ("A only", "both", "B only")


def pairs_document(**extra: Any) -> dict[str, Any]:
    """A duplicate, a value inside a tag, and a tag wholly inside another."""
    pairs = [
        overlap("visit_app_30d", "visit_store_30d", (400, 420), 380),
        overlap("skin_type", "visit_product_30d", (100, 600), 98, "contained", ["oily", None]),
        overlap("sms_opt_in", "gender", (150, 900), 150, "contained", phi=None),
    ]
    redundant = alert("redundant", message="one audience with visit_store_30d")
    tags = {
        "visit_app_30d": tag_kpi(redundant_with=["visit_store_30d"], alerts=[redundant]),
        "visit_store_30d": tag_kpi(redundant_with=["visit_app_30d"]),
        "skin_type": tag_kpi(redundant_with=["visit_product_30d"]),
        "visit_product_30d": tag_kpi(redundant_with=["skin_type"]),
        "sms_opt_in": tag_kpi(redundant_with=["gender"], alerts=[alert("redundant")]),
        "gender": tag_kpi(redundant_with=["sms_opt_in"]),
        "city_tier": tag_kpi(),
    }
    return document(tags, redundancy={"rate": 0.125, "pairs": pairs}, **extra)


def build(doc: dict[str, Any], lang: str = "en", top_n: int = 20) -> Report:
    config, tags = sample()
    return build_report(doc, tags, config, ReportOptions(lang, ("admin",), top_n))


def section(report: Report) -> Section:
    admin = next(tab for tab in report.tabs if tab.id == "admin")
    return next(s for s in admin.sections if s.id == "redundancy")


def parse(chart: Markup) -> ET.Element:
    return ET.fromstring(str(chart))


def segments(row: ET.Element) -> list[tuple[str, float]]:
    """(segment class, width) of each drawn segment of a row, left to right."""
    found = []
    for rect in row.iter(NS + "rect"):
        kind = next(c for c in rect.get("class", "").split() if c.startswith("seg-"))
        found.append((kind, float(rect.attrib["width"])))
    return found


def rows(chart: Markup) -> list[ET.Element]:
    return [g for g in parse(chart).iter(NS + "g") if g.get("class") == "row"]


def test_the_document_with_pairs_is_a_valid_kpi_document() -> None:
    schema = json.loads((ROOT / "schemas" / "kpi-result.schema.json").read_text())
    Draft202012Validator(schema).validate(pairs_document())


def test_the_section_shows_the_rate_and_every_figure_of_each_pair() -> None:
    found = section(build(pairs_document()))
    assert [(card.label, card.value, card.level) for card in found.cards] == [
        ("Online tags that are redundant", "12.5%", "warning")
    ]
    assert "duplicate when the Jaccard index and phi" in found.note
    table = found.tables[0]
    assert [c.label for c in table.columns] == [
        "Tag A", "Tag B", "Kind", "Holders of A", "Holders of B", "Both",
        "Jaccard", "phi", "A in B", "B in A",
    ]  # fmt: skip
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    assert texts == [  # by Jaccard, highest first
        ["visit_app_30d", "visit_store_30d", "duplicate", "400", "420", "380",
         "0.864", "0.950", "95.0%", "90.5%"],
        ["sms_opt_in", "gender", "contained", "150", "900", "150",
         "0.167", "–", "100.0%", "16.7%"],
        ["skin_type=oily", "visit_product_30d", "contained", "100", "600", "98",
         "0.163", "0.950", "98.0%", "16.3%"],
    ]  # fmt: skip
    duplicate = table.rows[0].cells
    assert [cell.link for cell in table.rows[2].cells[:2]] == ["skin_type", "visit_product_30d"]
    assert duplicate[0].sub.endswith(" · redundant")  # the one that should go
    assert "redundant" not in duplicate[1].sub
    assert duplicate[6].sort == pytest.approx(380 / 440)  # sorts by the number, not the text
    assert table.caption == ""


def test_only_the_top_n_pairs_are_shown_and_the_caption_says_so() -> None:
    found = section(build(pairs_document(), top_n=2))
    table = found.tables[0]
    assert [row.cells[0].text for row in table.rows] == ["visit_app_30d", "sms_opt_in"]
    assert table.caption == "The top 2 of 3 pairs, by Jaccard index."
    assert len(rows(found.charts[0])) == 2
    assert "(top 2 by Jaccard)" in found.charts[0]


def test_each_bar_is_split_in_proportion_to_the_counts() -> None:
    chart = section(build(pairs_document())).charts[0]
    root = parse(chart)
    assert "chart-euler" in root.get("class", "").split()
    duplicate, inside, value = rows(chart)
    full = BAR_END - BAR_X
    drawn = segments(duplicate)
    assert [kind for kind, _ in drawn] == ["seg-a", "seg-both", "seg-b"]
    for (_, width), count in zip(drawn, (20, 380, 40), strict=True):
        assert width == pytest.approx(full * count / 440, abs=0.15)
    assert [kind for kind, _ in segments(inside)] == ["seg-both", "seg-b"]  # nothing of A alone
    assert segments(inside)[0][1] == pytest.approx(full * 150 / 900, abs=0.15)
    assert [w for _, w in segments(value)] == pytest.approx(
        [full * n / 602 for n in (2, 98, 502)], abs=0.15
    )
    labels = [t.text for t in value.iter(NS + "text") if t.get("class") == "label"]
    assert labels == ["skin_type=oily", "visit_product_30d"]
    assert [a.get("href") for a in value.iter(NS + "a")] == [
        "#tag-skin_type",
        "#tag-visit_product_30d",
    ]
    tooltip = value.find(NS + "title")
    assert tooltip is not None
    assert tooltip.text == "skin_type=oily · visit_product_30d: A only 2, both 98, B only 502"
    shown = [t.text for t in duplicate.iter(NS + "text") if t.get("class") == "value"]
    assert shown == ["0.864"]


def test_the_chart_has_a_legend_of_the_three_segments() -> None:
    root = parse(section(build(pairs_document())).charts[0])
    legend = next(g for g in root.iter(NS + "g") if g.get("class") == "legend")
    swatches = [rect.get("class") for rect in legend.iter(NS + "rect")]
    assert swatches == ["seg seg-a", "seg seg-both", "seg seg-b"]
    names = [t.text for t in legend.iter(NS + "text")]
    assert names == ["A only", "both", "B only", "Jaccard"]
    title = root.find(NS + "title")
    assert title is not None and title.get("id") == root.get("aria-labelledby")
    assert root.get("role") == "img"


def test_an_unmeasured_run_says_so_in_one_line_with_the_runs_reason() -> None:
    doc = document({"skin_type": tag_kpi(redundant_with=None)}, redundancy=None)
    doc["notes"] = ["redundancy: no hash function known for oracle; not measured"]
    found = section(build(doc))
    assert found.note == (
        "Redundancy was not measured in this run: "
        "the run notes “redundancy: no hash function known for oracle; not measured”."
    )
    assert (found.cards, found.charts, found.tables) == ([], [], [])
    doc["notes"] = []
    assert "kpi.redundancy.enabled is off" in section(build(doc)).note
    assert section(build(doc, "zh")).note.startswith("本次运行未检测冗余标签：")


def test_a_run_without_pairs_says_none_were_found() -> None:
    found = section(build(document({"skin_type": tag_kpi()})))
    assert [(card.value, card.level) for card in found.cards] == [("0.0%", None)]
    assert found.note == "No redundant tags found: no two tags' holders are one audience."
    assert (found.charts, found.tables) == ([], [])


def test_the_dictionary_entry_links_the_tags_it_is_redundant_with() -> None:
    report = build(pairs_document())
    entries = {entry.name: entry for entry in report.entries}
    facts = {fact.label: fact for fact in entries["visit_app_30d"].facts}
    assert facts["Redundant with"].links == ("visit_store_30d",)
    assert "Redundant with" not in {fact.label for fact in entries["city_tier"].facts}
    html = render_report(report)
    entry = html[html.index('id="tag-visit_app_30d"') :]
    entry = entry[: entry.index("</details>")]
    assert '<b>Redundant with</b> <a href="#tag-visit_store_30d">visit_store_30d</a>' in entry


def test_both_languages() -> None:
    zh = render_report(build(pairs_document(), "zh"))
    for words in ("冗余标签（合并候选）", "冗余标签率", "<td>重复</td>", "<td>包含</td>"):
        assert words in zh, words
    for words in ("仅 A", "两者共有", "仅 B", "A 覆盖用户", "与其冗余"):
        assert words in zh, words
    en = render_report(build(pairs_document(), "en"))
    for words in ("Redundant tags (merge candidates)", "<td>duplicate</td>", "<td>contained</td>"):
        assert words in en, words
    for words in ("Online tags that are redundant", "A only", "Holders of A", "Redundant with"):
        assert words in en, words
    assert "合并候选" not in en and "Redundant with" not in zh


def test_a_hostile_tag_name_stays_text() -> None:
    doc = pairs_document()
    doc["catalog"]["redundancy"]["pairs"].append(
        overlap(HOSTILE, "gender", (300, 900), 290, "contained", [HOSTILE, None])
    )
    doc["tags"][HOSTILE] = tag_kpi(redundant_with=["gender"], alerts=[alert("redundant")])
    doc["tags"]["gender"]["redundant_with"] = ["sms_opt_in", HOSTILE]
    report = build(doc)
    for chart in section(report).charts:
        root = parse(chart)  # well-formed: the name did not break out
        assert f"{HOSTILE}={HOSTILE}" in "".join(root.itertext())
    page = Page(render_report(report))
    assert len(page.scripts) == 1  # only the page's own
    assert not [tag for tag, _ in page.tags if tag == "img"]
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert f"{HOSTILE}={HOSTILE}" in "".join(page.text)


def test_an_empty_euler_chart_says_so() -> None:
    root = parse(euler_chart([], title="t", keys=KEYS, value_head="J", empty="nothing"))
    assert "chart-empty" in root.get("class", "").split()
    assert "nothing" in "".join(root.itertext())


@pytest.mark.parametrize(
    "split",
    [
        {"only_a": -1, "both": 1, "only_b": 1},
        {"only_a": 1, "both": 1, "only_b": 1, "href_a": "https://example.com/"},
    ],
)
def test_an_euler_bar_refuses_negative_counts_and_outside_links(split: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Split("a", "b", **split)
