"""Small test catalogs for the KPI tests, written to a folder as real tag files.

`CATALOG` is the standard catalog of the KPI tests: one tag per value type,
the statuses online, testing, deprecated and draft, two core tags, five
categories. `write_catalog` writes any list of `TagSpec` with a tagctl.yaml
and returns the loaded `Config`; every tag file is valid against
schemas/tag.schema.json.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tagctl.catalog.config import Config, load_config

AS_OF = dt.datetime(2026, 3, 1)

CATEGORIES: Mapping[str, Mapping[str, str]] = {
    "profile": {"zh": "基础属性", "en": "Profile"},
    "behavior": {"zh": "行为偏好", "en": "Behavior"},
    "transaction": {"zh": "交易消费", "en": "Transaction"},
    "preference": {"zh": "兴趣偏好", "en": "Preference"},
    "prediction": {"zh": "预测模型", "en": "Prediction"},
}


@dataclass(frozen=True)
class TagSpec:
    name: str
    value_type: str
    category: str
    status: str = "online"
    refresh: str = "daily"
    tier: str = "standard"
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    bins: tuple[float, ...] = ()


# The standard catalog. Online: vip_member, skin_type, visit_count_90d,
# ltv_score, favorite_brand, push_optin; first_order_date is testing,
# legacy_segment deprecated, draft_idea draft (never measured).
VIP = TagSpec("vip_member", "boolean", "profile", tier="core")
SKIN = TagSpec(
    "skin_type",
    "enum",
    "profile",
    refresh="weekly",
    tier="core",
    values=("oily", "dry", "combination", "sensitive"),
)
VISITS = TagSpec("visit_count_90d", "integer", "behavior", minimum=0, maximum=90, bins=(1, 5, 10))
LTV = TagSpec("ltv_score", "number", "prediction", refresh="monthly", minimum=0, maximum=1000)
FIRST_ORDER = TagSpec("first_order_date", "date", "transaction", status="testing", refresh="manual")
BRAND = TagSpec("favorite_brand", "string", "preference", refresh="hourly")
LEGACY = TagSpec(
    "legacy_segment",
    "enum",
    "profile",
    status="deprecated",
    refresh="monthly",
    values=("gold", "silver", "bronze"),
)
DRAFT = TagSpec("draft_idea", "boolean", "behavior", status="draft")
PUSH = TagSpec("push_optin", "boolean", "behavior", refresh="realtime")

CATALOG: tuple[TagSpec, ...] = (VIP, SKIN, VISITS, LTV, FIRST_ORDER, BRAND, LEGACY, DRAFT, PUSH)


def tag_document(spec: TagSpec) -> dict[str, Any]:
    """The YAML mapping of one tag file."""
    document: dict[str, Any] = {
        "name": spec.name,
        "version": "1.0.0",
        "display_name": {"zh": f"测试标签 {spec.name}", "en": f"Test tag {spec.name}"},
        "description": f"The {spec.value_type} test tag {spec.name}.",
        "type": "rule",
        "category": spec.category,
        "status": spec.status,
        "value_type": spec.value_type,
        "refresh": spec.refresh,
        "tier": spec.tier,
        "sensitivity": "internal",
        "owners": {"business": "li.na@example.com", "data": "wang.wei@example.com"},
        "source": {"system": "cdp"},
    }
    if spec.values:
        document["values"] = [
            {"value": value, "label": {"zh": value, "en": value}} for value in spec.values
        ]
    bounds = {key: value for key, value in (("min", spec.minimum), ("max", spec.maximum))}
    if any(value is not None for value in bounds.values()):
        document["range"] = {key: value for key, value in bounds.items() if value is not None}
    if spec.bins:
        document["bins"] = list(spec.bins)
    if spec.status in ("deprecated", "retired"):
        document["deprecation"] = {
            "reason": "Superseded by skin_type.",
            "sunset": "2026-12-31",
            "deprecated_at": "2026-01-05",
            "deprecated_by": "li.na@example.com",
        }
    return document


def write_catalog(
    root: Path,
    tags: Sequence[TagSpec],
    warehouse: Mapping[str, Any],
    kpi: Mapping[str, Any] | None = None,
) -> Config:
    """Write tagctl.yaml and tags/<category>/<name>.yaml under `root`; the loaded config.

    Tag files of an earlier call are removed first: the catalog is exactly `tags`.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / "tags", ignore_errors=True)
    config: dict[str, Any] = {
        "catalog": {"name": "KPI test catalog"},
        "categories": {key: dict(labels) for key, labels in CATEGORIES.items()},
        "kpi": dict(kpi or {}),
        "warehouse": dict(warehouse),
    }
    dump(root / "tagctl.yaml", config)
    for spec in tags:
        dump(root / "tags" / spec.category / f"{spec.name}.yaml", tag_document(spec))
    return load_config(root / "tagctl.yaml")


def dump(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
