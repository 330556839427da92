"""A saved KPI document read back into the typed run: `KpiRun.from_document`.

What the report, `tagctl show`, the history and the cleanup sheet read: the
document of a run (as `tagctl kpi --format json` prints it and the history
stores it) must read back into the run it was, and older documents, which
lack keys, must still read.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tagctl.kpi.result import (
    Alert,
    Conversion,
    KpiRun,
    RunSummary,
    TagKpi,
    ValueShare,
    highest_level,
)
from tests.report.documents import AS_OF, alert, conversion, document, tag_kpi


def full() -> dict[str, Any]:
    return document(
        {
            "skin_type": tag_kpi(coverage=0.004, alerts=[alert("low_coverage")]),
            "churn_risk_7d": tag_kpi(conversion=conversion(0.02, 0.01, 0.03, 0.001, True)),
            "gender": tag_kpi(usage=None, activation=None, audience_quality=None, values=None),
            "draft_tag": tag_kpi(holders=None, coverage=None, last_updated=None, alerts=[]),
        },
        cold=["skin_type"],
        star=["churn_risk_7d"],
    )


def test_a_document_reads_back_into_the_run_that_writes_it_again() -> None:
    doc = full()
    run = KpiRun.from_document(doc)
    assert run.document() == doc
    assert json.dumps(run.document()) == json.dumps(doc)  # the keys in the same order
    assert KpiRun.from_document(run.document()) == run


def test_the_run_is_typed_down_to_its_times_and_blocks() -> None:
    run = KpiRun.from_document(full())
    assert run.as_of == dt.datetime.fromisoformat(AS_OF) and run.previous_run is None
    skin = run.tags["skin_type"]
    assert skin.values == [ValueShare("oily", 300, 0.6)]
    assert skin.last_updated == dt.datetime(2026, 11, 23, 3)
    assert skin.alerts == [Alert("low_coverage", "warning", "low_coverage")]
    assert skin.usage is not None and skin.usage.by_department == {"crm": 10, "marketing": 2}
    assert skin.last_used == dt.datetime(2026, 11, 20, 10) and skin.events == 12
    churn = run.tags["churn_risk_7d"].conversion
    assert isinstance(churn, Conversion) and churn.treatment.rate == 0.1 and churn.significant
    assert run.catalog.cold == ["skin_type"] and run.catalog.coverage.overall == 0.9
    assert run.population.size == 1000 and run.warehouse["dialect"] == "duckdb"


def test_headline_kpis_inside_a_missing_block_are_none() -> None:
    run = KpiRun.from_document(full())
    gender, churn = run.tags["gender"], run.tags["churn_risk_7d"]
    assert gender.usage is None and gender.events is None and gender.last_used is None
    assert gender.activation_rate is None and gender.audience_index is None
    assert gender.absolute_lift is None and gender.significant is None
    assert churn.absolute_lift == 0.02 and churn.q_value == 0.001 and churn.significant


def test_an_older_document_without_the_newer_keys_still_reads() -> None:
    doc = full()
    for key in ("format_version", "notes", "warehouse", "tagctl_version", "previous_run"):
        del doc[key]
    for kpi in doc["tags"].values():
        for key in ("psi", "score", "values", "values_other", "activation", "stale"):
            del kpi[key]
    run = KpiRun.from_document(doc)
    assert run.format_version == 1 and run.notes == [] and run.warehouse == {}
    assert run.tagctl_version == "" and run.previous_run is None
    skin = run.tags["skin_type"]
    assert skin.psi is None and skin.values is None and skin.activation is None
    assert skin.level() == "warning"


def test_one_tags_object_reads_and_writes_on_its_own() -> None:
    kpi = tag_kpi(conversion=conversion(0.02, 0.01, 0.03, 0.001, True))
    assert TagKpi.read(kpi).document() == kpi


def test_a_history_summary_reads_with_its_time_as_a_time_or_as_text() -> None:
    catalog = full()["catalog"]
    moment = dt.datetime(2026, 11, 16, 6)
    for as_of in (moment, "2026-11-16T06:00:00"):
        summary = RunSummary.read({"as_of": as_of, "population": 900, "catalog": catalog})
        assert summary.as_of == moment and summary.population == 900
        assert summary.catalog.usage_rate == 1.0


@pytest.mark.parametrize(
    ("levels", "highest"),
    [
        ([], None),
        ([None, None], None),
        (["warning", None], "warning"),
        (["warning", "alert", None], "alert"),
    ],
)
def test_the_highest_alert_level(levels: list[str | None], highest: str | None) -> None:
    assert highest_level(levels) == highest


def test_the_runs_level_is_its_tags_highest() -> None:
    doc = full()
    assert KpiRun.from_document(doc).level() == "warning"
    doc["tags"]["gender"]["alerts"] = [alert("stale", "alert")]
    assert KpiRun.from_document(doc).level() == "alert"
    assert KpiRun.from_document(document({"skin_type": tag_kpi()})).level() is None
