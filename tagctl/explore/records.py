"""Tags as plain records: the summary rows of `list`/`search`, the entries of `export`.

Field order is part of the contract (DESIGN.md: stable, documented), so it
is spelled out here once and every format follows it. Absent optional
values are `null` in JSON and empty cells in CSV; lists are `[]` in JSON and
`;`-separated in CSV.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, Value

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
    # Added later, at the end so that the columns before keep their places: with
    # them, a CSV export holds the whole definition.
    "value_labels_zh",
    "value_labels_en",
    "value_descriptions",
    "bins",
    "quality",
    "renamed_from",
    "changelog",
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
        "values": [_value(value) for value in tag.values],
        "range": _range(tag),
        "bins": [_number(edge) for edge in tag.bins],
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
        "renamed_from": tag.renamed_from or None,
        "quality": {key: _number(limit) for key, limit in tag.quality.items()} or None,
        "deprecation": deprecation(tag),
        "changelog": [
            {"version": c.version, "date": c.date, "change": c.change, "by": c.by or None}
            for c in tag.changelog
        ],
        "path": relative(tag.path, config.root),
    }


def _value(value: Value) -> dict[str, Any]:
    return {
        "value": int(value.value) if value.integer else value.value,
        "label": {"zh": value.zh, "en": value.en},
        "description": value.description or None,
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
        "values": list_cell(value["value"] for value in record["values"]),
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
        "value_labels_zh": list_cell(value["label"]["zh"] for value in record["values"]),
        "value_labels_en": list_cell(value["label"]["en"] for value in record["values"]),
        "value_descriptions": list_cell(value["description"] for value in record["values"]),
        "bins": list_cell(record["bins"]),
        "quality": list_cell(f"{key}={limit}" for key, limit in (record["quality"] or {}).items()),
        "renamed_from": _cell(record["renamed_from"]),
        "changelog": "\n".join(change_line(change) for change in record["changelog"]),
    }


def change_line(change: Mapping[str, Any]) -> str:
    """A changelog entry as one line of the CSV cell: `1.2.0 (2026-03-03, by x): what`."""
    by = f", by {change['by']}" if change.get("by") else ""
    return f"{change['version']} ({change['date']}{by}): {change['change']}"


def list_cell(values: Iterable[object]) -> str:
    """A list as one CSV cell: `;` between items, `\\;` for a `;` inside one (and `\\\\`
    for a backslash before it); absent items empty. No items, no text."""
    cells = [re.sub(r"(\\*)(;|$)", _escaped, _cell(value)) for value in values]
    return ";".join(cells) if any(cells) else ""


def _escaped(found: re.Match[str]) -> str:
    return found[1] * 2 + ("\\;" if found[2] else "")


def split_list_cell(text: str) -> list[str]:
    """The items of a `list_cell`: split at each `;` that no backslash escapes."""
    items = [""]
    for part in re.split(r"(\\*;)", text):
        slashes = len(part) - 1 if part.endswith(";") and part.strip("\\;") == "" else -1
        if slashes < 0:
            items[-1] += part
            continue
        items[-1] += "\\" * (slashes // 2)
        if slashes % 2:
            items[-1] += ";"
        else:
            items.append("")
    last = items[-1]
    run = len(last) - len(last.rstrip("\\"))  # written doubled at the end of an item
    items[-1] = last[: len(last) - run] + "\\" * ((run + 1) // 2)
    return items


def _range(tag: Tag) -> dict[str, float | int | None] | None:
    if tag.minimum is None and tag.maximum is None:
        return None
    return {"min": _number(tag.minimum), "max": _number(tag.maximum)}


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def _cell(value: object) -> str:
    return "" if value is None else str(value)
