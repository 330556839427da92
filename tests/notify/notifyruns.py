"""Runs to announce in the notify tests, built from hand-made KPI documents."""

from __future__ import annotations

from typing import Any

from tagctl.kpi.result import KpiRun
from tagctl.notify.headline import Occasion
from tests.report.documents import alert, document, tag_kpi

NOW = 1_796_680_000.123  # the moment of signatures, in seconds since the epoch
CATALOG = "Beauty & Health <catalog>"  # a name with characters some markups must escape


def run_of(**tags: dict[str, Any]) -> KpiRun:
    return KpiRun.from_document(document(tags))


def alerting_run() -> KpiRun:
    """Seven tags: three at alert, two at warning, two clear."""
    return run_of(
        stale_tag=tag_kpi(alerts=[alert("stale", "alert"), alert("zombie")]),
        broken_tag=tag_kpi(
            alerts=[alert("domain_violations", "alert"), alert("stale", "alert"), alert("drift")]
        ),
        empty_tag=tag_kpi(alerts=[alert("no_data", "alert")]),
        thin_tag=tag_kpi(alerts=[alert("low_coverage")]),
        unused_tag=tag_kpi(alerts=[alert("zombie"), alert("low_coverage")]),
        fine_tag=tag_kpi(),
        good_tag=tag_kpi(),
    )


def occasion(run: KpiRun | None = None, lang: str = "en", **fields: Any) -> Occasion:
    return Occasion(run or alerting_run(), CATALOG, "kpi", lang, **fields)
