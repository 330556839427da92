"""A row of a tag list as the fields of a definition (`Fields`), read the one way.

Both kinds of source come here: the text cells of a sheet (CSV, Excel) and
the entries of `tagctl export` JSON, and so does every tag already in the
catalog (through its export entry), so that "is this row that tag?" compares
like with like. `Fields` maps the field names of `importcolumns.FIELDS` to
text, numbers, lists, or (for `values`, `quality`, `changelog`) structures;
a field the source left empty is absent.

Text cells: lists are split at `;` (and at `,`, `、`, line breaks where
items cannot contain them: tables, dependencies), enum values that are
common Chinese or English words for a schema value are translated
(`每日` -> `daily`, `上线` -> `online`), and words that are neither stay as
they are, with a note (lint then reports them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tagctl.explore.records import split_list_cell

Fields = dict[str, Any]

_ENUMS: Mapping[str, Mapping[str, str]] = {
    "type": {
        "事实": "fact",
        "事实标签": "fact",
        "统计": "fact",
        "统计标签": "fact",
        "规则": "rule",
        "规则标签": "rule",
        "模型": "model",
        "模型标签": "model",
        "预测": "model",
        "算法": "model",
        "策略": "strategy",
        "策略标签": "strategy",
    },
    "status": {
        "草稿": "draft",
        "开发": "development",
        "开发中": "development",
        "测试": "testing",
        "测试中": "testing",
        "上线": "online",
        "已上线": "online",
        "在线": "online",
        "启用": "online",
        "生效": "online",
        "active": "online",
        "live": "online",
        "废弃": "deprecated",
        "已废弃": "deprecated",
        "停用": "deprecated",
        "下线": "retired",
        "已下线": "retired",
    },
    "value_type": {
        "布尔": "boolean",
        "是否": "boolean",
        "bool": "boolean",
        "枚举": "enum",
        "整数": "integer",
        "int": "integer",
        "bigint": "integer",
        "数值": "number",
        "小数": "number",
        "浮点": "number",
        "float": "number",
        "double": "number",
        "decimal": "number",
        "文本": "string",
        "字符串": "string",
        "varchar": "string",
        "text": "string",
        "日期": "date",
    },
    "refresh": {
        "实时": "realtime",
        "每小时": "hourly",
        "小时": "hourly",
        "每日": "daily",
        "每天": "daily",
        "日": "daily",
        "天": "daily",
        "日更": "daily",
        "t+1": "daily",
        "day": "daily",
        "每周": "weekly",
        "周": "weekly",
        "week": "weekly",
        "每月": "monthly",
        "月": "monthly",
        "month": "monthly",
        "手动": "manual",
        "手工": "manual",
        "一次性": "manual",
        "不更新": "manual",
    },
    "granularity": {
        "用户": "user",
        "账户": "account",
        "账号": "account",
        "设备": "device",
        "家庭": "household",
        "门店": "store",
    },
    "tier": {"核心": "core", "普通": "standard", "一般": "standard", "标准": "standard"},
    "sensitivity": {
        "公开": "public",
        "内部": "internal",
        "机密": "confidential",
        "保密": "confidential",
        "敏感": "restricted",
        "受限": "restricted",
        "绝密": "restricted",
    },
}
# The schema's own words for each enum field: what a translation must land on.
SCHEMA_WORDS: Mapping[str, tuple[str, ...]] = {
    "type": ("fact", "rule", "model", "strategy"),
    "status": ("draft", "development", "testing", "online", "deprecated", "retired"),
    "value_type": ("boolean", "enum", "integer", "number", "string", "date"),
    "refresh": ("realtime", "hourly", "daily", "weekly", "monthly", "manual"),
    "granularity": ("user", "account", "device", "household", "store"),
    "tier": ("core", "standard"),
    "sensitivity": ("public", "internal", "confidential", "restricted"),
}
_OTHER_SEPARATORS = re.compile(r"\s*[；、|\n]\s*")  # as people write lists in a cell
_NAME_LIST = re.compile(r"[\s;；,，、|]+")
_CHANGE = re.compile(r"(\S+) \((\d{4}-\d{2}-\d{2})(?:, by (\S+))?\): ?(.*)")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


def enum_word(field: str, text: str) -> str | None:
    """The schema's word for `text` in enum `field`; None when there is none."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    if folded in SCHEMA_WORDS[field]:
        return folded
    return _ENUMS[field].get(folded.replace(" ", ""))


def from_cells(
    cells: Mapping[str, str], columns: Mapping[str, str], loose: bool = True
) -> tuple[Fields, list[str]]:
    """The fields of one sheet row (`columns`: header -> field), and notes on what it kept as is.

    `loose` lists may also be split at `、`, `|` ...; an export's own are split at `;` only
    (an item may hold `、`)."""
    text = {
        columns[h]: _clean(value) for h, value in cells.items() if h in columns and value.strip()
    }
    fields: Fields = {}
    notes: list[str] = []
    for field, value in text.items():
        reader = _READERS.get(field)
        if field == "values" and not loose:
            reader = _strict_items
        if reader is None:
            fields[field] = value
            continue
        try:
            fields[field] = reader(value)
        except ValueError as error:
            notes.append(f"{field}: {error}")
    if "values" in fields or any(key in text for key in _VALUE_PARTS):
        notes += _join_values(fields, text, loose)
    for field in SCHEMA_WORDS:
        if field in fields:
            word = enum_word(field, fields[field])
            if word is None:
                notes.append(
                    f"{field} '{fields[field]}' is not one of {', '.join(SCHEMA_WORDS[field])}"
                )
            fields[field] = word or fields[field]
    return fields, notes


def _clean(text: str) -> str:
    """A cell without the spaces around it; text of several lines keeps its last line break."""
    text = text.replace("\r\n", "\n")
    return text.strip(" \t") if "\n" in text.strip() else text.strip()


def _number(text: str) -> int | float:
    try:
        return int(text) if _INTEGER.fullmatch(text) else float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def items(text: str, loose: bool = True) -> list[str]:
    """The items of a list cell: `;`-separated as export writes them (`\\;` inside one),
    else at `；`, `、`, `|` or line breaks."""
    found = [item.strip() for item in split_list_cell(text)]
    if len(found) == 1 and loose:
        found = [item.strip() for item in _OTHER_SEPARATORS.split(found[0])]
    return found


def _numbers(text: str) -> list[int | float]:
    return [_number(item) for item in items(text) if item]


def _names(text: str) -> list[str]:
    return [item for item in _NAME_LIST.split(text.strip()) if item]


def _quality(text: str) -> dict[str, int | float]:
    limits: dict[str, int | float] = {}
    for item in items(text):
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise ValueError(f"'{item}' is not key=value")
        limits[key.strip()] = _number(value.strip())
    return limits


def _changelog(text: str) -> list[dict[str, str]]:
    """`1.2.0 (2026-03-03, by x): what` lines; a line that is no entry continues the last."""
    entries: list[dict[str, str]] = []
    for line in text.splitlines():
        found = _CHANGE.fullmatch(line.strip())
        if found is not None:
            entry = {"version": found[1], "date": found[2], "change": found[4]}
            entries.append({**entry, "by": found[3]} if found[3] else entry)
        elif entries:
            entries[-1]["change"] += "\n" + line
        else:
            raise ValueError(f"'{line.strip()}' is not like '1.0.0 (2026-01-31): what changed'")
    return entries


_READERS: Mapping[str, Callable[[str], Any]] = {
    "range_min": _number,
    "range_max": _number,
    "bins": _numbers,
    "source_tables": _names,
    "depends_on": _names,
    "quality": _quality,
    "changelog": _changelog,
    "values": lambda text: [item for item in items(text) if item],
}
_VALUE_PARTS = {
    "value_labels_zh": "zh",
    "value_labels_en": "en",
    "value_descriptions": "description",
}


def _strict_items(text: str) -> list[str]:
    return [item for item in items(text, loose=False) if item]


def _join_values(fields: Fields, text: Mapping[str, str], loose: bool) -> list[str]:
    """`values` with the parallel lists of labels and descriptions, as one list of entries."""
    words = fields.pop("values", [])
    parts = {
        key: items(text[key], loose and key != "value_descriptions")
        for key in _VALUE_PARTS
        if key in text
    }
    for key in _VALUE_PARTS:
        fields.pop(key, None)
    wrong = [key for key, items in parts.items() if len(items) != len(words)]
    if wrong:
        return [f"{wrong[0]} has {len(parts[wrong[0]])} items where values has {len(words)}"]
    entries = []
    for index, word in enumerate(words):
        entry: dict[str, Any] = {"value": int(word) if _INTEGER.fullmatch(word) else word}
        label = {
            _VALUE_PARTS[k]: parts[k][index]
            for k in ("value_labels_zh", "value_labels_en")
            if k in parts
        }
        if any(label.values()):
            entry["label"] = {k: v for k, v in label.items() if v}
        if "value_descriptions" in parts and parts["value_descriptions"][index]:
            entry["description"] = parts["value_descriptions"][index]
        entries.append(entry)
    if entries:
        fields["values"] = entries
    return []


def from_entry(entry: Mapping[str, Any]) -> Fields:
    """The fields of a `tagctl export` JSON entry (and so of a tag of the catalog)."""
    flat: Fields = {key: entry.get(key) for key in _PLAIN}
    labels = _mapping(entry, "display_name")
    category = _mapping(entry, "category_label")
    owners = _mapping(entry, "owners")
    source = _mapping(entry, "source")
    ended = _mapping(entry, "deprecation")
    bounds = _mapping(entry, "range")
    flat.update(
        display_name_zh=labels.get("zh"),
        display_name_en=labels.get("en"),
        category_zh=category.get("zh"),
        category_en=category.get("en"),
        range_min=bounds.get("min"),
        range_max=bounds.get("max"),
        business_owner=owners.get("business"),
        data_owner=owners.get("data"),
        creator=owners.get("creator"),
        source_system=source.get("system"),
        source_tables=source.get("tables"),
        deprecation_reason=ended.get("reason"),
        replaced_by=ended.get("replaced_by"),
        sunset=ended.get("sunset"),
        deprecated_at=ended.get("deprecated_at"),
        deprecated_by=ended.get("deprecated_by"),
        values=[dict(_value(item)) for item in entry.get("values") or () if isinstance(item, dict)],
        changelog=[
            _present(item) for item in entry.get("changelog") or () if isinstance(item, dict)
        ],
    )
    return {key: value for key, value in flat.items() if value not in (None, "", [], {})}


_PLAIN = (
    "name",
    "version",
    "description",
    "type",
    "category",
    "status",
    "value_type",
    "bins",
    "window",
    "refresh",
    "granularity",
    "tier",
    "sensitivity",
    "depends_on",
    "logic",
    "renamed_from",
    "quality",
)


def _mapping(entry: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = entry.get(key)
    return value if isinstance(value, dict) else {}


def _present(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if value not in (None, "", {})}


def _value(item: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    yield "value", item.get("value")
    label = _present(_mapping(item, "label"))
    if label:
        yield "label", label
    if item.get("description"):
        yield "description", item["description"]
