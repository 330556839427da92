"""Which column of a tag list holds which field of a tag definition.

The fields are the columns of `tagctl export --format csv` (so an export
imports with no mapping at all). Other headers are recognised when they
are a common name of a field, in Chinese or English; the comparison
ignores case, spaces, underscores, hyphens and full-width forms, so
`Tag Code`, `tag_code` and `ＴＡＧ ＣＯＤＥ` are one header. `--map
COLUMN=FIELD` decides where the guess would not, and wins over it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tagctl.errors import UsageError
from tagctl.explore.lookup import suggest
from tagctl.explore.records import ENTRY_COLUMNS

# Columns an export has that are computed from the catalog, not part of a definition.
DERIVED = frozenset({"dependents", "path"})
FIELDS = tuple(column for column in ENTRY_COLUMNS if column not in DERIVED)

# Common headers of each field, besides the field's own name.
_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "name": (
        "标签编码",
        "标签代码",
        "标签英文名",
        "标签标识",
        "标签id",
        "编码",
        "code",
        "tag",
        "tag code",
        "tag name",
        "tag id",
        "tag key",
        "key",
        "identifier",
    ),
    "display_name_zh": (
        "标签名称",
        "标签名",
        "中文名",
        "中文名称",
        "标签中文名",
        "显示名称",
        "名称",
        "chinese name",
        "label zh",
        "name zh",
    ),
    "display_name_en": (
        "英文名称",
        "英文名",
        "标签英文名称",
        "english name",
        "display name",
        "label",
        "label en",
        "name en",
    ),
    "description": (
        "业务含义",
        "标签描述",
        "标签说明",
        "业务描述",
        "业务口径",
        "描述",
        "说明",
        "含义",
        "定义",
        "desc",
        "meaning",
        "definition",
        "business meaning",
    ),
    "type": ("标签类型", "类型", "tag type", "kind"),
    "category": (
        "标签分类",
        "分类",
        "类别",
        "一级分类",
        "标签类目",
        "类目",
        "group",
        "domain",
        "theme",
        "主题",
    ),
    "status": ("状态", "标签状态", "生命周期", "lifecycle", "state"),
    "value_type": (
        "值类型",
        "数据类型",
        "取值类型",
        "字段类型",
        "value type",
        "data type",
        "datatype",
    ),
    "values": ("取值", "枚举值", "可选值", "取值范围", "标签值", "allowed values", "enum values"),
    "window": ("时间窗口", "统计周期", "统计窗口", "窗口", "time window", "lookback"),
    "refresh": (
        "更新频率",
        "更新周期",
        "刷新频率",
        "调度周期",
        "更新方式",
        "frequency",
        "update frequency",
        "refresh frequency",
        "schedule",
    ),
    "sensitivity": ("敏感级别", "敏感等级", "安全等级", "数据密级", "密级", "classification"),
    "tier": ("层级", "重要级别", "重要性", "级别", "priority"),
    "business_owner": ("负责人", "业务负责人", "标签负责人", "需求方", "owner", "business owner"),
    "data_owner": (
        "数据负责人",
        "技术负责人",
        "开发负责人",
        "开发人",
        "data owner",
        "developer",
        "technical owner",
        "tech owner",
    ),
    "creator": ("创建人", "创建者", "created by", "author"),
    "source_system": ("来源系统", "数据来源", "来源", "source", "source system", "system"),
    "source_tables": ("来源表", "源表", "数据表", "source table", "tables"),
    "depends_on": ("依赖标签", "依赖", "上游标签", "depends on", "dependencies"),
    "logic": ("计算逻辑", "加工逻辑", "计算口径", "统计口径", "规则", "口径", "sql", "rule"),
    "version": ("版本", "版本号"),
    "deprecation_reason": ("下线原因", "废弃原因", "deprecation reason"),
    "replaced_by": ("替代标签", "替换为", "replacement"),
    "sunset": ("下线日期", "sunset date", "end date"),
    "renamed_from": ("原名", "曾用名", "old name", "previous name"),
}


def header_key(text: str) -> str:
    """`text` as headers are compared: NFKC, lower case, no spaces, `_`, `-`, `*`, `:`."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-*:：]+", "", folded)


_KNOWN = {header_key(word): name for name, words in _SYNONYMS.items() for word in words}
_KNOWN.update({header_key(name): name for name in (*FIELDS, *DERIVED)})


@dataclass(frozen=True)
class ColumnMap:
    fields: dict[str, str]  # header -> field
    unmapped: tuple[str, ...]  # headers that fill no field
    ignored: tuple[str, ...]  # export columns computed from a catalog (dependents, path)

    @property
    def exported(self) -> bool:
        """Every column is named after its field: a file `tagctl export` wrote."""
        return all(column == field for column, field in self.fields.items())


def parse_maps(options: Sequence[str]) -> dict[str, str]:
    """`--map COLUMN=FIELD` options as {column: field}; a field that is unknown is a usage error."""
    maps: dict[str, str] = {}
    for option in options:
        column, equals, field = option.rpartition("=")
        column, field = column.strip(), field.strip()
        if not equals or not column or not field:
            raise UsageError(
                f"--map: '{option}' is not COLUMN=FIELD", hint="e.g. --map 标签编码=name"
            )
        if field not in FIELDS:
            raise suggest(field, FIELDS, "field")
        twice = [other for other, taken in maps.items() if taken == field and other != column]
        if twice:
            raise UsageError(
                f"--map: {field} is read from '{twice[0]}' already, not '{column}' too"
            )
        maps[column] = field
    return maps


def map_columns(
    headers: Sequence[str], maps: Mapping[str, str], category_from: str | None = None
) -> ColumnMap:
    """Each header's field: `--map` first, `--category-from`, then the headers recognised."""
    maps = dict(maps)
    if category_from is not None:
        mapped = [column for column, field in maps.items() if field == "category"]
        if mapped and mapped != [category_from]:
            raise UsageError(
                f"--category-from {category_from} and --map {mapped[0]}=category disagree"
            )
        maps[category_from] = "category"
    missing = [column for column in maps if column not in headers]
    if missing:
        listed = ", ".join(headers)
        raise UsageError(f"no column '{missing[0]}' in the file (its columns: {listed})")
    fields = {header: field for header, field in maps.items()}
    taken = set(fields.values())
    unmapped, ignored = [], []
    for header in headers:
        if header in fields or not header:
            continue
        field = _KNOWN.get(header_key(header))
        if field in DERIVED:
            ignored.append(header)
        elif field is not None and field not in taken:
            fields[header] = field
            taken.add(field)
        else:
            unmapped.append(header)
    return ColumnMap(fields, tuple(unmapped), tuple(ignored))
