"""The report's words and number formats, in Chinese and English.

Every visible string of the report comes from `WORDS`, so a test can check
that both languages have all of them. Numbers follow the language: grouped
digits everywhere, and 万/亿 for the large counts on the headline cards in
Chinese. Dates and times are ISO 8601 in both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tagctl.report.valuewords import VALUE_WORDS

LANGS = ("zh", "en")

# key: (English, Chinese)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Tag governance report", "标签治理报告"),
    "as_of": ("Measured as of", "统计时点"),
    "window": ("Window", "统计窗口"),
    "days": ("{n} days", "{n} 天"),
    "population": ("Population", "用户总数"),
    "population_all": ("all users", "全部用户"),
    "population_active": ("active users", "活跃用户"),
    "warehouse": ("Warehouse", "数据仓库"),
    "previous_run": ("Drift compared with the run of", "漂移对比的上次运行"),
    "no_previous_run": (
        "No earlier saved run: drift is not measured.",
        "没有已保存的历史运行：未计算漂移。",
    ),
    "notes": ("Notes", "说明"),
    "search": ("Search tags", "搜索标签"),
    "search_hint": (
        "name, label, category, owner, alert, description",
        "名称、中英文名、类目、负责人、告警、描述",
    ),
    "no_data": ("No data", "暂无数据"),
    "none_found": ("None.", "无。"),
    "role_admin": ("Administration", "标签管理"),
    "role_operator": ("Operations", "业务运营"),
    "role_executive": ("Management", "管理层"),
    "tab_cleanup": ("Cleanup", "清理候选"),
    "tab_tags": ("Tag dictionary", "标签字典"),
    # headline cards
    "card_tags": ("Tags in the catalog", "标签总数"),
    "card_online": ("Online", "已上线"),
    "card_coverage": ("Users with any tag", "至少有一个标签的用户"),
    "card_core_mean": ("Mean core-tag coverage", "核心标签平均覆盖率"),
    "card_usage_rate": ("Online tags used in the window", "窗口内被使用的上线标签"),
    "card_alerts": ("Tags with alerts", "告警标签"),
    "card_warnings": ("Tags with warnings", "提醒标签"),
    "card_significant": ("Significant lifts", "显著提升的标签"),
    "card_star": ("Star tags", "明星标签"),
    "card_zombie": ("Zombie tags", "僵尸标签"),
    "card_cold": ("Cleanup candidates", "清理候选"),
    "card_conversion": ("Population conversion", "整体转化率"),
    "card_redundancy_rate": ("Online tags that are redundant", "冗余标签率"),
    # charts
    "chart_category_coverage": ("Coverage by category", "各类目覆盖率"),
    "chart_core_coverage": ("Core tags: coverage (top {n})", "核心标签覆盖率（前 {n}）"),
    "chart_coverage_distribution": ("Tags by coverage", "标签覆盖率分布"),
    "chart_usage_departments": (
        "Uses by department (top {n} tags)",
        "各部门使用次数（前 {n} 个标签）",
    ),
    "chart_usage_consumers": (
        "Uses by consumer type (top {n} tags)",
        "各消费方类型使用次数（前 {n} 个标签）",
    ),
    "chart_lift": (
        "Conversion lift in percentage points (treatment minus control), 95% interval",
        "转化提升（实验组减对照组，百分点）及 95% 置信区间",
    ),
    "chart_trend_coverage": ("Coverage across saved runs", "历次运行的覆盖率"),
    "chart_trend_alerts": ("Tags with alerts across saved runs", "历次运行的告警标签数"),
    "chart_overlap": (
        "Holders of each pair: A only, both, B only (top {n} by Jaccard)",
        "每组标签的覆盖用户：仅 A、两者共有、仅 B（按 Jaccard 前 {n}）",
    ),
    "overlap_only_a": ("A only", "仅 A"),
    "overlap_both": ("both", "两者共有"),
    "overlap_only_b": ("B only", "仅 B"),
    "trend_overall": ("users with any tag", "至少有一个标签的用户"),
    "trend_core_mean": ("mean core-tag coverage", "核心标签平均覆盖率"),
    "trend_usage_rate": ("online tags used", "被使用的上线标签"),
    "trend_alerts": ("alert", "告警"),
    "trend_warnings": ("warning", "提醒"),
    "trend_single": (
        "Trends appear after two saved runs (`tagctl kpi --save`).",
        "保存两次以上运行（`tagctl kpi --save`）后显示趋势。",
    ),
    # sections
    "sec_sparse": ("Sparse tags (coverage under the minimum)", "稀疏标签（覆盖率低于下限）"),
    "sec_stale": ("Stale tags", "更新不及时的标签"),
    "sec_domain": ("Values outside the defined domain", "取值超出定义范围"),
    "sec_drift": ("Drifting distributions (PSI)", "分布漂移（PSI）"),
    "sec_ownerless": ("Tags without an owner", "缺少负责人的标签"),
    "sec_sunset": ("Deprecated tags past their sunset date", "已过下线日期的弃用标签"),
    "sec_no_data": ("Tags with no rows in the warehouse", "仓库中没有数据的标签"),
    "sec_activation": ("Activation in campaigns", "营销活动中的激活情况"),
    "sec_quality": ("Audience quality", "人群质量"),
    "sec_zombie": (
        "Zombie tags (online, not used in the window)",
        "僵尸标签（已上线但窗口内未被使用）",
    ),
    "sec_star": ("Star tags", "明星标签"),
    "sec_conversion": ("Conversion contribution", "转化贡献"),
    "sec_cleanup": ("Cleanup candidates (cold tags)", "清理候选（冷标签）"),
    "sec_redundancy": ("Redundant tags (merge candidates)", "冗余标签（合并候选）"),
    "redundancy_note": (
        "Pairs of tags, or of enum values (tag=value), whose holders are one audience: "
        "duplicate when the Jaccard index and phi reach their thresholds (kpi.redundancy), "
        "contained when nearly all of A's holders hold B. The tag marked “{alert}” should go: "
        "merge it into the other.",
        "覆盖人群实质相同的两个标签或枚举取值（标签=取值）：Jaccard 与 phi 均达到阈值"
        "（kpi.redundancy）为重复，A 的覆盖用户几乎都持有 B 为包含。"
        "标注“{alert}”的标签建议下线，合并到另一个标签。",
    ),
    "redundancy_none": (
        "No redundant tags found: no two tags' holders are one audience.",
        "未发现冗余标签：没有两个标签的覆盖人群实质相同。",
    ),
    "redundancy_not_measured": (
        "Redundancy was not measured in this run: {reason}.",
        "本次运行未检测冗余标签：{reason}。",
    ),
    "redundancy_noted": ("the run notes “{note}”", "运行说明为“{note}”"),
    "redundancy_off": (
        "kpi.redundancy.enabled is off, or the run predates the measure",
        "kpi.redundancy.enabled 已关闭，或该运行早于冗余检测",
    ),
    "pairs_cap": (
        "The top {shown} of {total} pairs, by Jaccard index.",
        "按 Jaccard 显示前 {shown} 组，共 {total} 组。",
    ),
    "kind_duplicate": ("duplicate", "重复"),
    "kind_contained": ("contained", "包含"),
    "cleanup_rule": (
        "Cold: online, coverage under {coverage}, at most {uses} uses in {days} days. "
        "Review each, then run its command (add --replaced-by when a tag takes over).",
        "冷标签：已上线、覆盖率低于 {coverage}、{days} 天内使用不超过 {uses} 次。"
        "逐个评审后执行对应命令（若有替代标签请加 --replaced-by）。",
    ),
    "cold_reason": (
        "cold: coverage {coverage}, {uses} uses in {days} days",
        "cold: coverage {coverage}, {uses} uses in {days} days",
    ),
    "significance_note": (
        "Significant: q-value (Benjamini-Hochberg) under 0.05 with enough members in both groups.",
        "显著：q 值（Benjamini-Hochberg 校正）小于 0.05，且两组人数均达到最小样本量。",
    ),
    "psi_note": (
        "PSI against the previous saved run: 0.1 watch, 0.25 act.",
        "相对上次保存运行的 PSI：0.1 需关注，0.25 需处理。",
    ),
    # columns
    "col_tag": ("Tag", "标签"),
    "col_label": ("Name", "名称"),
    "col_category": ("Category", "类目"),
    "col_status": ("Status", "状态"),
    "col_tier": ("Tier", "级别"),
    "col_coverage": ("Coverage", "覆盖率"),
    "col_holders": ("Holders", "覆盖用户"),
    "col_min_coverage": ("Minimum", "下限"),
    "col_freshness": ("Last updated", "最近更新"),
    "col_refresh": ("Refresh", "更新频率"),
    "col_violations": ("Out of domain", "越界值"),
    "col_violation_rate": ("Rate", "比例"),
    "col_psi": ("PSI", "PSI"),
    "col_owners": ("Owners", "负责人"),
    "col_business_owner": ("Business owner", "业务负责人"),
    "col_data_owner": ("Data owner", "数据负责人"),
    "col_sunset": ("Sunset", "下线日期"),
    "col_replaced_by": ("Replaced by", "替代标签"),
    "col_events": ("Uses", "使用次数"),
    "col_consumers": ("Consumers", "消费方"),
    "col_last_used": ("Last used", "最近使用"),
    "col_campaigns": ("Campaigns", "活动数"),
    "col_members": ("Members", "圈选人数"),
    "col_activation": ("Activation", "激活率"),
    "col_response": ("Response", "响应率"),
    "col_index": ("Index", "指数"),
    "col_holder_rate": ("Holders' conversion", "持有者转化率"),
    "col_population_rate": ("Population conversion", "整体转化率"),
    "col_treatment": ("Treatment", "实验组"),
    "col_control": ("Control", "对照组"),
    "col_lift": ("Lift", "提升"),
    "col_interval": ("95% interval", "95% 区间"),
    "col_q": ("q-value", "q 值"),
    "col_significant": ("Significant", "显著"),
    "col_score": ("Score", "得分"),
    "col_alerts": ("Alerts", "告警"),
    "col_dependents": ("Dependents", "下游依赖"),
    "col_command": ("Command", "命令"),
    "col_trend": ("Trend", "趋势"),
    "col_tag_a": ("Tag A", "标签 A"),
    "col_tag_b": ("Tag B", "标签 B"),
    "col_kind": ("Kind", "类型"),
    "col_holders_a": ("Holders of A", "A 覆盖用户"),
    "col_holders_b": ("Holders of B", "B 覆盖用户"),
    "col_intersection": ("Both", "共同用户"),
    "col_jaccard": ("Jaccard", "Jaccard"),
    "col_phi": ("phi", "phi 系数"),
    "col_a_in_b": ("A in B", "A 中属于 B"),
    "col_b_in_a": ("B in A", "B 中属于 A"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    # tag detail
    "detail_definition": ("Definition", "定义"),
    "detail_logic": ("Logic", "计算逻辑"),
    "detail_source": ("Source", "来源"),
    "detail_values": ("Values", "取值分布"),
    "detail_other_values": ("other values", "其他取值"),
    "detail_depends_on": ("Depends on", "依赖"),
    "detail_redundant_with": ("Redundant with", "与其冗余"),
    "detail_version": ("Version", "版本"),
    "detail_type": ("Definition", "定义"),
    "detail_value_type": ("Value type", "值类型"),
    "detail_deprecation": ("Deprecated", "已弃用"),
    "detail_not_measured": ("Not measured in this run.", "本次运行未统计。"),
    "detail_not_in_catalog": ("Not in the catalog any more.", "已不在标签目录中。"),
    "footer": (
        "Rendered by tagctl {version} from the KPI document of {as_of}.",
        "由 tagctl {version} 根据 {as_of} 的 KPI 结果生成。",
    ),
    "hours_ago": ("{n} h ago", "{n} 小时前"),
    "days_ago": ("{n} d ago", "{n} 天前"),
    "never": ("never", "从未"),
    "shown_of": ("{shown} of {total} shown", "显示 {shown} / {total}"),
    "list_cap": (
        "The first {shown} of {total}; search “{search}” in the tag dictionary for every one.",
        "仅显示前 {shown} 个，共 {total} 个；在“标签字典”中搜索“{search}”查看全部。",
    ),
    **VALUE_WORDS,
}

ALERTS: dict[str, tuple[str, str]] = {
    "no_data": ("no data", "无数据"),
    "low_coverage": ("low coverage", "覆盖率偏低"),
    "high_coverage": ("high coverage", "覆盖率过高"),
    "stale": ("stale", "更新不及时"),
    "domain_violations": ("out of domain", "取值越界"),
    "zombie": ("zombie", "僵尸标签"),
    "drift": ("drift", "分布漂移"),
    "negative_lift": ("negative lift", "负向提升"),
    "redundant": ("redundant", "冗余标签"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "draft": ("draft", "草稿"),
    "development": ("development", "开发中"),
    "testing": ("testing", "测试中"),
    "online": ("online", "已上线"),
    "deprecated": ("deprecated", "已弃用"),
    "retired": ("retired", "已下线"),
}

REFRESH: dict[str, tuple[str, str]] = {
    "realtime": ("realtime", "实时"),
    "hourly": ("hourly", "每小时"),
    "daily": ("daily", "每天"),
    "weekly": ("weekly", "每周"),
    "monthly": ("monthly", "每月"),
    "manual": ("manual", "手动"),
}

LEVELS: dict[str, tuple[str, str]] = {"warning": ("warning", "提醒"), "alert": ("alert", "告警")}


@dataclass(frozen=True)
class Language:
    """Words and number formats of one language."""

    code: str

    def __call__(self, key: str, **values: object) -> str:
        text = _pick(WORDS[key], self.code)
        return text.format(**values) if values else text

    def alert(self, code: str) -> str:
        return _pick(ALERTS[code], self.code) if code in ALERTS else code

    def status(self, status: str) -> str:
        return _pick(STATUSES[status], self.code) if status in STATUSES else status

    def refresh(self, refresh: str) -> str:
        return _pick(REFRESH[refresh], self.code) if refresh in REFRESH else refresh

    def level(self, level: str) -> str:
        return _pick(LEVELS[level], self.code) if level in LEVELS else level

    def percent(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return "–"
        if 0 < abs(value) < 0.001:
            return f"{value:.{digits + 2}%}"
        return f"{value:.{digits}%}"

    def points(self, value: float | None) -> str:
        """A difference of two rates, in percentage points."""
        if value is None:
            return "–"
        return f"{value * 100:+.2f} pp" if self.code == "en" else f"{value * 100:+.2f} 个百分点"

    def number(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        return f"{value:,.{digits}f}"

    def count(self, value: int | None) -> str:
        """A headline count: 1.2万 and 3.4亿 in Chinese, grouped digits in English."""
        if value is None:
            return "–"
        if self.code == "zh" and abs(value) >= 100_000_000:
            return f"{value / 100_000_000:.1f}亿".replace(".0亿", "亿")
        if self.code == "zh" and abs(value) >= 10_000:
            return f"{value / 10_000:.1f}万".replace(".0万", "万")
        return f"{value:,}"

    def age(self, hours: float | None) -> str:
        if hours is None:
            return self("never")
        if hours < 48:
            return self("hours_ago", n=f"{hours:,.0f}")
        return self("days_ago", n=f"{hours / 24:,.0f}")


def moment(value: dt.datetime) -> str:
    """A time as `2026-11-23 16:26` (UTC)."""
    return value.strftime("%Y-%m-%d %H:%M")


def _pick(pair: tuple[str, str], code: str) -> str:
    return pair[1] if code == "zh" else pair[0]
