"""The definition an imported row becomes: its fields in the catalog's key order.

What the row does not say is filled as `tagctl new` fills it: the type from
the naming patterns the name fits (else `fact`), the value type from the
type (or `enum` when values are listed, `number` for a range), the window
from the name, `status: draft`, version 0.1.0, `refresh: daily`,
`sensitivity: internal`; required texts the row lacks get `TODO`
placeholders. Keys that would only repeat the schema's default
(`tier: standard`, `granularity: user`) are not written. A source with no
changelog column gets one entry, "Imported from FILE."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.naming import NameMatcher
from tagctl.errors import UsageError
from tagctl.explore.importfields import Fields
from tagctl.explore.newtag import (
    DEFAULT_VALUE_TYPE,
    VALUE_LABEL,
    check_case,
    check_name,
    fitting_type,
    placeholder_description,
    placeholder_names,
)

_DEFAULTS = {"tier": "standard", "granularity": "user"}
_ENDED = ("deprecation_reason", "replaced_by", "sunset", "deprecated_at", "deprecated_by")


def document(
    fields: Fields,
    name: str,
    category: str,
    config: Config,
    matcher: NameMatcher,
    given: Collection[str],
    imported: tuple[str, dt.date],
) -> dict[str, Any]:
    """`fields` as a definition; `given` are the fields the source has columns for,
    `imported` the source's file name and today, for the changelog entry."""
    kind = str(fields.get("type") or fitting_type(matcher, name) or "fact")
    doc: dict[str, Any] = {
        "name": name,
        "version": fields.get("version", "0.1.0"),
        "display_name": _labels(fields, name),
        "description": fields.get("description", placeholder_description(name)),
        "type": kind,
        "category": category,
        "status": fields.get("status", "draft"),
        "value_type": fields.get("value_type") or _value_type(fields, kind),
        "values": [_value(item) for item in fields.get("values", ())],
        "range": _range(fields),
        "bins": fields.get("bins"),
        "window": fields.get("window")
        if "window" in given
        else _window(config, matcher, name, kind),
        "refresh": fields.get("refresh", "daily"),
        **{key: fields.get(key) for key in ("granularity", "tier")},
        "sensitivity": fields.get("sensitivity", "internal"),
        "owners": _owners(fields),
        "source": {
            "system": fields.get("source_system", "TODO"),
            "tables": fields.get("source_tables"),
        },
        "logic": fields.get("logic"),
        "depends_on": fields.get("depends_on"),
        "renamed_from": fields.get("renamed_from"),
        "quality": fields.get("quality"),
        "deprecation": _deprecation(fields, doc_status=fields.get("status", "draft")),
        "changelog": _changelog(fields, given, imported),
    }
    _keep_original(doc, str(fields["name"]))
    kept: dict[str, Any] = _without_empty(doc)
    return kept


def _labels(fields: Fields, name: str) -> dict[str, str]:
    return {
        "zh": fields.get("display_name_zh", placeholder_names(name)["zh"]),
        "en": fields.get("display_name_en", placeholder_names(name)["en"]),
    }


def _value(item: dict[str, Any]) -> dict[str, Any]:
    label = item.get("label")
    if label:
        label = {
            "zh": label.get("zh", VALUE_LABEL["zh"]),
            "en": label.get("en", VALUE_LABEL["en"]),
        }
    return {"value": item["value"], "label": label, "description": item.get("description")}


def _value_type(fields: Fields, kind: str) -> str:
    if fields.get("values"):
        return "enum"
    if "range_min" in fields or "range_max" in fields or fields.get("bins"):
        return "number"
    return DEFAULT_VALUE_TYPE.get(kind, "string")


def _range(fields: Fields) -> dict[str, Any]:
    return {key: fields[f"range_{key}"] for key in ("min", "max") if f"range_{key}" in fields}


def _owners(fields: Fields) -> dict[str, Any]:
    return {
        "business": fields.get("business_owner", "TODO"),
        "data": fields.get("data_owner", "TODO"),
        "creator": fields.get("creator"),
    }


def _deprecation(fields: Fields, doc_status: str) -> dict[str, Any] | None:
    block = {key.removeprefix("deprecation_"): fields.get(key) for key in _ENDED}
    if doc_status not in ("deprecated", "retired") and not any(block.values()):
        return None
    return {**block, "reason": block["reason"] or "TODO: why the tag ended"}


def _changelog(fields: Fields, given: Collection[str], imported: tuple[str, dt.date]) -> Any:
    if "changelog" in given or "changelog" in fields:
        return fields.get("changelog")
    source, today = imported
    version = fields.get("version", "0.1.0")
    return [{"version": version, "date": today.isoformat(), "change": f"Imported from {source}."}]


def _keep_original(doc: dict[str, Any], original: str) -> None:
    """The source's own spelling of a normalised name: an English name, or the old name."""
    if original == doc["name"]:
        return
    english = doc["display_name"]["en"]
    if " " in original.strip() and original.isascii() and english.startswith("TODO"):
        doc["display_name"]["en"] = original.strip()
    elif not doc.get("renamed_from"):
        doc["renamed_from"] = original


def _without_empty(value: Any) -> Any:
    """`value` without None, empty texts, lists and mappings, or defaults of the schema."""
    if isinstance(value, dict):
        kept = {key: _without_empty(item) for key, item in value.items()}
        return {
            key: item
            for key, item in kept.items()
            if item not in (None, "", [], {}) and _DEFAULTS.get(key) != item
        }
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


def _window(config: Config, matcher: NameMatcher, name: str, kind: str) -> str | None:
    try:
        return check_name(config, name, kind, matcher)
    except UsageError:
        return None


def naming_notes(config: Config, matcher: NameMatcher, name: str, kind: str) -> list[str]:
    """What lint's naming rules will say of `name` (TG201-TG203), as notes."""
    try:
        check_case(config, name)
        check_name(config, name, kind, matcher)
    except UsageError as error:
        return [str(error)]
    return []
