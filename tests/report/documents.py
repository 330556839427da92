"""Hand-made KPI documents for the report tests, valid against the KPI schema.

`tag_kpi` gives one tag's KPIs with every field present; `document` wraps
tags into a whole run; `overlap` makes a pair of redundant tags for
`redundancy={"rate": ..., "pairs": [...]}`. Overrides replace fields, nested ones by dotted key
(`"conversion.absolute_lift": 0.02`), so that a test states only what it is
about.
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
        },
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
    }


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
    }
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
        "notes": [],
        "tagctl_version": "0.1.0",
        "previous_run": None,
    }
