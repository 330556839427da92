"""Hand-made KPI documents for the report tests, valid against the KPI schema.

`tag_kpi` gives one tag's KPIs with every field present; `document` wraps
tags into a whole run; `overlap` makes a pair of redundant tags for
`redundancy={"rate": ..., "pairs": [...]}`; `roi`, `combination` and
`tag_driven` make the value blocks (`document(tags, combinations=[...],
notes=[...])` sets those two of the run). Overrides replace fields, nested
ones by dotted key (`"conversion.absolute_lift": 0.02`), so that a test
states only what it is about.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

AS_OF = "2026-11-23T06:00:00"


def tag_kpi(**overrides: Any) -> dict[str, Any]:
    kpi: dict[str, Any] = {
        "status": "online",
        "category": "profile",
        "value_type": "enum",
        "tier": "standard",
        "holders": 500,
        "coverage": 0.5,
        "values": [{"value": "oily", "holders": 300, "share": 0.6}],
        "values_other": 0,
        "last_updated": "2026-11-23T03:00:00",
        "freshness_hours": 3.0,
        "stale": False,
        "domain_violations": 0,
        "domain_violation_rate": 0.0,
        "usage": {
            "events": 12,
            "consumers": 3,
            "by_consumer_type": {"segment": 8, "api": 4},
            "by_department": {"crm": 10, "marketing": 2},
            "last_used": "2026-11-20T10:00:00",
        },
        "activation": {
            "campaigns": 0,
            "members": 0,
            "reached": 0,
            "responded": 0,
            "activation_rate": None,
            "response_rate": None,
        },
        "conversion": None,
        "audience_quality": {
            "holders_converted": 50,
            "holder_rate": 0.1,
            "population_rate": 0.05,
            "index": 2.0,
            "holder_orders": 60,
            "holder_aov": 120.0,
            "population_aov": 100.0,
            "aov_index": 1.2,
            "holder_repeat_rate": 0.2,
            "population_repeat_rate": 0.1,
            "repeat_index": 2.0,
        },
        "roi": None,
        "psi": None,
        "score": 1.1,
        "alerts": [],
        "redundant_with": [],
    }
    for key, value in overrides.items():
        target = kpi
        *path, last = key.split(".")
        for step in path:
            target = target[step]
        target[last] = value
    return kpi


def conversion(lift: float, low: float, high: float, q: float, significant: bool) -> dict[str, Any]:
    return {
        "campaigns": 2,
        "treatment": {"members": 1000, "converted": 100, "rate": 0.1},
        "control": {"members": 1000, "converted": round(1000 * (0.1 - lift)), "rate": 0.1 - lift},
        "absolute_lift": lift,
        "relative_lift": lift / (0.1 - lift),
        "ci_low": low,
        "ci_high": high,
        "z": 3.0,
        "p_value": q / 2,
        "q_value": q,
        "significant": significant,
        "orders": 100,
        "average_order_value": 50.0,
        "conversion_cycle_days": 2.0,
        "control_cycle_days": 3.0,
        "cycle_difference_days": -1.0,
        "cycle_ci_low": -1.5,
        "cycle_ci_high": -0.5,
    }


def roi(cost: float | None, revenue: float | None) -> dict[str, Any]:
    """A `roi` block: its ROI is revenue over cost, None unless both are there and cost > 0."""
    ratio = None if cost is None or revenue is None or cost <= 0 else revenue / cost
    return {"cost": cost, "incremental_revenue": revenue, "roi": ratio}


def combination(tags: list[str], members: int, **overrides: Any) -> dict[str, Any]:
    """One of the run's `combinations`: half of `members` in each group, 12% against 10%."""
    half = members // 2
    item: dict[str, Any] = {
        "tags": tags,
        "campaigns": 2,
        "members": members,
        "treatment": {"members": half, "converted": round(half * 0.12), "rate": 0.12},
        "control": {"members": members - half, "converted": round(half * 0.1), "rate": 0.1},
        "absolute_lift": 0.02,
        "relative_lift": 0.2,
        "ci_low": 0.005,
        "ci_high": 0.035,
        "z": 2.6,
        "p_value": 0.009,
        "q_value": 0.018,
        "significant": True,
        "roi": None,
    }
    item.update(overrides)
    return item


def tag_driven(**overrides: Any) -> dict[str, Any]:
    """`catalog.tag_driven`: 400 of 1,000 conversions, 52,000 of 130,000 in amount."""
    found: dict[str, Any] = {
        "conversions": 400,
        "amount": 52000.0,
        "total_conversions": 1000,
        "total_amount": 130000.0,
        "conversion_share": 0.4,
        "amount_share": 0.4,
        "covered_users": 300,
        "covered_share": 0.3,
        "roi": None,
    }
    found.update(overrides)
    return found


def overlap(
    a: str,
    b: str,
    holders: tuple[int, int],
    intersection: int,
    kind: str = "duplicate",
    values: list[str | None] | None = None,
    phi: float | None = 0.95,
) -> dict[str, Any]:
    """A pair of `catalog.redundancy.pairs`, its rates computed from the counts."""
    size_a, size_b = holders
    return {
        "tags": [a, b],
        "values": values,
        "holders": [size_a, size_b],
        "intersection": intersection,
        "jaccard": intersection / (size_a + size_b - intersection),
        "phi": phi,
        "a_in_b": intersection / size_a,
        "b_in_a": intersection / size_b,
        "kind": kind,
    }


def alert(code: str, level: str = "warning", message: str = "") -> dict[str, str]:
    return {"code": code, "level": level, "message": message or code}


def document(tags: Mapping[str, dict[str, Any]], **catalog: Any) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "tags": len(tags),
        "measured": len(tags),
        "status": {"online": len(tags)},
        "coverage": {
            "overall": 0.9,
            "categories": {"profile": 0.9},
            "core_tags": 0,
            "core_any": None,
            "core_all": None,
            "core_mean": None,
        },
        "usage_rate": 1.0,
        "zombie": [],
        "star": [],
        "cold": [],
        "alerts": {"warning": 0, "alert": 0},
        "redundancy": {"rate": 0.0, "pairs": []},
        "tag_driven": None,
    }
    combinations = catalog.pop("combinations", None)
    notes = catalog.pop("notes", [])
    summary.update(catalog)
    return {
        "format_version": 1,
        "as_of": AS_OF,
        "window_days": 30,
        "attribution_days": 7,
        "population": {
            "size": 1000,
            "definition": "all",
            "converted": 50,
            "conversion_rate": 0.05,
        },
        "catalog": summary,
        "tags": copy.deepcopy(dict(tags)),
        "warehouse": {"dialect": "duckdb", "url": "duckdb:///demo.duckdb", "layout": "long"},
        "notes": list(notes),
        "tagctl_version": "0.1.0",
        "previous_run": None,
        "combinations": combinations,
    }
