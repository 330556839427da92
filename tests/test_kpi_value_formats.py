"""The value KPIs in the terminal: the run's summary lines, the CSV's last columns and
`tagctl show`'s profile of one tag, from a hand-made run."""

from __future__ import annotations

import csv
import io
from typing import Any

from tagctl.explore.profile import Profile
from tagctl.formats.kpi import CSV_COLUMNS, render_kpi
from tagctl.formats.profile import profile_lines
from tagctl.kpi.result import KpiRun
from tests.report.documents import combination, conversion, document, roi, tag_driven, tag_kpi
from tests.report.test_report_build import sample

VALUE_COLUMNS = [
    "holder_aov",
    "population_aov",
    "aov_index",
    "holder_repeat_rate",
    "population_repeat_rate",
    "repeat_index",
    "cycle_days",
    "control_cycle_days",
    "cycle_difference_days",
    "cycle_ci_low",
    "cycle_ci_high",
    "cost",
    "incremental_revenue",
    "roi",
]


def run(**catalog: Any) -> KpiRun:
    tags = {
        "skin_type": tag_kpi(
            conversion=conversion(0.02, 0.01, 0.03, 0.001, True), roi=roi(1000.0, 2500.0)
        ),
        "gender": tag_kpi(audience_quality=None),
    }
    values: dict[str, Any] = {
        "combinations": [combination(["gender", "skin_type"], 2000)] * 3,
        "tag_driven": tag_driven(roi=roi(4000.0, 10000.0)),
    }
    return KpiRun.from_document(document(tags, **(values | catalog)))


def table(kpi_run: KpiRun) -> str:
    stream = io.StringIO()
    render_kpi(kpi_run, "table", stream, color=False)
    return stream.getvalue()


def test_the_summary_has_one_line_of_tag_driven_sales_and_the_combinations() -> None:
    lines = table(run()).splitlines()
    assert (
        "tag-driven: 40.0% of sales amount, 40.0% of conversions; covered users 300 (30.0%); "
        "ROI 2.50; tag combinations: 3"
    ) in lines


def test_the_summary_says_when_they_were_not_measured() -> None:
    assert "tag-driven: -; tag combinations: -" in table(run(combinations=None, tag_driven=None))
    driven = tag_driven(amount_share=None)
    assert "ROI -; tag combinations: 0" in table(run(combinations=[], tag_driven=driven))


def test_csv_adds_the_value_columns_at_the_end() -> None:
    assert [name for name, _ in CSV_COLUMNS][-len(VALUE_COLUMNS) :] == VALUE_COLUMNS
    assert [name for name, _ in CSV_COLUMNS][-len(VALUE_COLUMNS) - 1] == "alerts"
    stream = io.StringIO()
    render_kpi(run(), "csv", stream)
    skin, gender = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert skin["aov_index"] == "1.2" and skin["repeat_index"] == "2"
    assert skin["cycle_difference_days"] == "-1" and skin["cycle_ci_high"] == "-0.5"
    assert skin["roi"] == "2.5" and skin["cost"] == "1000"
    assert gender["aov_index"] == "" and gender["roi"] == "" and gender["cycle_days"] == ""


def profile(name: str) -> list[str]:
    config, tags = sample()
    tag = next(tag for tag in tags if tag.name == name)
    kpis = run().tags[name]
    found = Profile(tag, None, (), latest=kpis, measured_as_of="2026-11-23", window_days=30)
    return profile_lines(found, config)


def test_the_profile_shows_the_indices_the_cycle_and_roi() -> None:
    lines = profile("skin_type")
    assert "  AOV idx       1.20 (120.00 vs 100.00)" in lines
    assert "  repeat idx    2.00 (20.0% vs 10.0%)" in lines
    assert "  cycle         -1.0 d vs control, 95% CI [-1.5, -0.5] (2.0 vs 3.0 d)" in lines
    assert "  ROI           2.50 (incremental revenue 2,500, cost 1,000)" in lines


def test_the_profile_leaves_out_what_was_not_measured() -> None:
    shown = "\n".join(profile("gender"))
    assert "AOV idx" not in shown and "cycle " not in shown and "ROI" not in shown
