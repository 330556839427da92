"""Tags as plain records: the summary rows of `list`/`search`, the entries of `export`.

Field order is part of the contract (DESIGN.md: stable, documented), so it
is spelled out here once and every format follows it. Absent optional
values are `null` in JSON and empty cells in CSV; lists are `[]` in JSON and
`;`-separated in CSV.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag

# `tagctl list` / `tagctl search` rows.
SUMMARY_COLUMNS = (
    "name",
    "display_name_zh",
    "display_name_en",
    "category",
    "type",
    "status",
    "value_type",
    "business_owner",
    "data_owner",
    "path",
)

# `tagctl export --format csv` columns, one row per tag.
ENTRY_COLUMNS = (
    "name",
    "version",
    "display_name_zh",
    "display_name_en",
    "description",
    "type",
    "category",
    "category_zh",
    "category_en",
    "status",
    "value_type",
    "values",
    "range_min",
    "range_max",
    "window",
    "refresh",
    "granularity",
    "tier",
    "sensitivity",
    "business_owner",
    "data_owner",
    "creator",
    "source_system",
    "source_tables",
    "depends_on",
    "dependents",
    "logic",
    "deprecation_reason",
    "replaced_by",
    "sunset",
    "deprecated_at",
    "deprecated_by",
    "path",
)


def relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def summary(tag: Tag, root: Path) -> dict[str, Any]:
    """The JSON summary of a tag: what a list needs to pick one."""
    return {
        "name": tag.name,
        "display_name": {"zh": tag.zh, "en": tag.en},
        "category": tag.category,
        "type": tag.type,
        "status": tag.status,
        "value_type": tag.value_type,
        "owners": {"business": tag.business_owner or None, "data": tag.data_owner or None},
        "path": relative(tag.path, root),
    }


def summary_row(tag: Tag, root: Path) -> dict[str, str]:
    return {
        "name": tag.name,
        "display_name_zh": tag.zh,
        "display_name_en": tag.en,
        "category": tag.category,
        "type": tag.type,
        "status": tag.status,
        "value_type": tag.value_type,
        "business_owner": tag.business_owner,
        "data_owner": tag.data_owner,
        "path": relative(tag.path, root),
    }


def entry(tag: Tag, config: Config, dependents: tuple[str, ...] = ()) -> dict[str, Any]:
    """The full JSON entry of a tag: its whole definition plus its dependents."""
    category = config.categories.get(tag.category)
    return {
        "name": tag.name,
        "version": tag.version,
        "display_name": {"zh": tag.zh, "en": tag.en},
        "description": tag.description,
        "type": tag.type,
        "category": tag.category,
        "category_label": {"zh": category.zh, "en": category.en} if category else None,
        "status": tag.status,
        "value_type": tag.value_type,
        "values": [
            {"value": value.value, "label": {"zh": value.zh, "en": value.en}}
            for value in tag.values
        ],
        "range": _range(tag),
        "window": tag.window or None,
        "refresh": tag.refresh,
        "granularity": tag.granularity,
        "tier": tag.tier,
        "sensitivity": tag.sensitivity,
        "owners": {
            "business": tag.business_owner or None,
            "data": tag.data_owner or None,
            "creator": tag.creator or None,
        },
        "source": {"system": tag.source_system or None, "tables": list(tag.source_tables)},
        "depends_on": list(tag.depends_on),
        "dependents": list(dependents),
        "logic": tag.logic or None,
        "deprecation": deprecation(tag),
        "changelog": [
            {"version": c.version, "date": c.date, "change": c.change} for c in tag.changelog
        ],
        "path": relative(tag.path, config.root),
    }


def deprecation(tag: Tag) -> dict[str, str | None] | None:
    if tag.status not in ("deprecated", "retired") and not tag.deprecation_reason:
        return None
    return {
        "reason": tag.deprecation_reason or None,
        "replaced_by": tag.replaced_by or None,
        "sunset": tag.sunset or None,
        "deprecated_at": tag.deprecated_at or None,
        "deprecated_by": tag.deprecated_by or None,
    }


def entry_row(record: Mapping[str, Any]) -> dict[str, str]:
    """An `entry` flattened to the CSV columns."""
    category = record["category_label"] or {}
    ended = record["deprecation"] or {}
    bounds = record["range"] or {}
    return {
        "name": record["name"],
        "version": record["version"],
        "display_name_zh": record["display_name"]["zh"],
        "display_name_en": record["display_name"]["en"],
        "description": record["description"],
        "type": record["type"],
        "category": record["category"],
        "category_zh": category.get("zh", ""),
        "category_en": category.get("en", ""),
        "status": record["status"],
        "value_type": record["value_type"],
        "values": ";".join(value["value"] for value in record["values"]),
        "range_min": _cell(bounds.get("min")),
        "range_max": _cell(bounds.get("max")),
        "window": _cell(record["window"]),
        "refresh": record["refresh"],
        "granularity": record["granularity"],
        "tier": record["tier"],
        "sensitivity": record["sensitivity"],
        "business_owner": _cell(record["owners"]["business"]),
        "data_owner": _cell(record["owners"]["data"]),
        "creator": _cell(record["owners"]["creator"]),
        "source_system": _cell(record["source"]["system"]),
        "source_tables": ";".join(record["source"]["tables"]),
        "depends_on": ";".join(record["depends_on"]),
        "dependents": ";".join(record["dependents"]),
        "logic": _cell(record["logic"]),
        "deprecation_reason": _cell(ended.get("reason")),
        "replaced_by": _cell(ended.get("replaced_by")),
        "sunset": _cell(ended.get("sunset")),
        "deprecated_at": _cell(ended.get("deprecated_at")),
        "deprecated_by": _cell(ended.get("deprecated_by")),
        "path": record["path"],
    }


def _range(tag: Tag) -> dict[str, float | int | None] | None:
    if tag.minimum is None and tag.maximum is None:
        return None
    return {"min": _number(tag.minimum), "max": _number(tag.maximum)}


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def _cell(value: object) -> str:
    return "" if value is None else str(value)
