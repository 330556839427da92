"""The words of the report's value figures, in English and Chinese: audience quality
in full, the conversion cycle, ROI, tag combinations and tag-driven sales.

Part of `i18n.WORDS` (which merges them), kept apart only for the size of that
module; the same rule holds: every key has both languages.
"""

from __future__ import annotations

# key: (English, Chinese)
VALUE_WORDS: dict[str, tuple[str, str]] = {
    # audience quality
    "quality_note": (
        "The tag's holders against the population in the window: conversion rate, average "
        "order value (amount over the orders that have one; refunds count as negative) and "
        "repeat-purchase rate (two or more orders, among those with one). "
        "Index 1.21 = 21% above the population.",
        "窗口内标签持有者对比整体用户：转化率、客单价（金额除以有金额的订单数，退款按负数计）"
        "与复购率（有订单的用户中下单两次及以上的比例）。指数 1.21 表示比整体高 21%。",
    ),
    "col_conversion_index": ("Conversion index", "转化指数"),
    "col_holder_aov": ("Holders' AOV", "持有者客单价"),
    "col_population_aov": ("Population AOV", "整体客单价"),
    "col_aov_index": ("AOV index", "客单价指数"),
    "col_holder_repeat": ("Holders' repeat rate", "持有者复购率"),
    "col_population_repeat": ("Population repeat rate", "整体复购率"),
    "col_repeat_index": ("Repeat index", "复购指数"),
    "why_no_amounts": ("no order amounts", "无订单金额"),
    "why_aov_not_positive": ("population AOV not positive", "整体客单价非正"),
    "why_no_orders": ("no orders in the window", "窗口内无订单"),
    "why_no_repeat": ("no repeat buyer in the population", "整体无复购用户"),
    # conversion cycle
    "sec_cycle": ("Conversion cycle: treatment against control", "转化周期：实验组对比对照组"),
    "cycle_note": (
        "Mean days from selection to the first attributed conversion, over the memberships "
        "that converted; a negative difference means the treatment group converts sooner. "
        "95% Welch interval of the difference (t quantile, Welch-Satterthwaite degrees of "
        "freedom), pooled over the tag's campaigns.",
        "从圈选到首次归因转化的平均天数（仅计已转化的圈选）；差值为负表示实验组转化更快。"
        "差值的 95% Welch 区间（t 分位数，Welch-Satterthwaite 自由度），合并该标签的全部活动。",
    ),
    "col_cycle_treatment": ("Treatment (days)", "实验组（天）"),
    "col_cycle_control": ("Control (days)", "对照组（天）"),
    "col_cycle_difference": ("Difference (days)", "差值（天）"),
    "why_no_control_conversions": ("no conversion in the control group", "对照组无转化"),
    "why_no_treatment_conversions": ("no conversion in the treatment group", "实验组无转化"),
    "why_few_conversions": ("fewer than 2 conversions in a group", "某组转化少于 2 次"),
    # ROI
    "sec_roi": ("Return on campaign cost (ROI)", "营销投入产出（ROI）"),
    "roi_note": (
        "Incremental revenue = (treatment amount per member − control amount per member) × "
        "treatment members, over the cost of the campaigns in campaign_costs; "
        "ROI 1.50 = 1.5 of incremental revenue per 1 of cost.",
        "增量收入 =（实验组人均金额 − 对照组人均金额）× 实验组人数，除以 campaign_costs "
        "中这些活动的成本；ROI 1.50 表示每 1 元成本带来 1.5 元增量收入。",
    ),
    "roi_none": (
        "No tag has campaigns with members in the window.",
        "窗口内没有标签关联的活动有圈选人群。",
    ),
    "roi_not_computed": (
        "ROI was not computed in this run: {reason}.",
        "本次运行未计算 ROI：{reason}。",
    ),
    "roi_no_costs": ("there is no campaign_costs table", "没有 campaign_costs 表"),
    "col_cost": ("Cost", "成本"),
    "col_incremental_revenue": ("Incremental revenue", "增量收入"),
    "col_roi": ("ROI", "ROI"),
    "why_zero_cost": ("the cost is zero", "成本为零"),
    "why_missing_cost": ("a campaign has no cost", "有活动缺少成本"),
    "why_no_control_group": ("no control group", "无对照组"),
    "run_noted": ("the run notes “{note}”", "运行说明为“{note}”"),
    # tag combinations
    "sec_combinations": ("Tag combinations", "标签组合"),
    "combinations_note": (
        "Campaigns that select with exactly these tags (two or more), pooled; the {n} largest "
        "by members. q-value: Benjamini-Hochberg across the run's combinations, a family apart "
        "from the single tags'.",
        "使用完全相同的一组标签（两个及以上）圈选的活动合并统计；按圈选人数显示前 {n} 个。"
        "q 值：在本次运行的标签组合之间做 Benjamini-Hochberg 校正，与单个标签分开计算。",
    ),
    "combinations_cap": (
        "The top {shown} of {total} combinations, by members.",
        "按圈选人数显示前 {shown} 个，共 {total} 个组合。",
    ),
    "combinations_none": (
        "No campaign with members in the window selects with two or more tags.",
        "窗口内没有使用两个及以上标签圈选的活动。",
    ),
    "combinations_not_measured": (
        "Tag combinations were not measured in this run: {reason}.",
        "本次运行未统计标签组合：{reason}。",
    ),
    "combinations_no_tables": (
        "there is no campaign_tags or campaign_members table",
        "没有 campaign_tags 或 campaign_members 表",
    ),
    "col_tags": ("Tags", "标签"),
    # tag-driven sales
    "sec_tag_driven": ("Tag-driven sales", "标签驱动的销售"),
    "tag_driven_note": (
        "A conversion in the window is tag-driven when it falls within the attribution days of "
        "a treatment membership of a campaign with tags; it counts once however many campaigns "
        "claim it. Users covered: users in a treatment group of such a campaign.",
        "窗口内的转化若落在带标签活动的实验组圈选的归因期内，即为标签驱动；"
        "无论被多少活动认领都只计一次。覆盖用户：进入此类活动实验组的用户。",
    ),
    "tag_driven_not_measured": (
        "Tag-driven sales were not measured in this run: {reason}.",
        "本次运行未统计标签驱动的销售：{reason}。",
    ),
    "tag_driven_no_tables": (
        "there is no conversions, campaign_tags or campaign_members table",
        "缺少 conversions、campaign_tags 或 campaign_members 表",
    ),
    "card_tag_driven_amount": ("Tag-driven sales share", "标签驱动销售额占比"),
    "card_tag_driven_conversions": ("Tag-driven conversions share", "标签驱动转化占比"),
    "card_covered": ("Users covered by tag strategies", "标签策略覆盖用户占比"),
    "card_tag_roi": ("ROI of tag-driven campaigns", "标签驱动活动的 ROI"),
    "col_figure": ("Figure", "指标"),
    "col_tag_driven": ("Tag-driven", "标签驱动"),
    "col_total": ("Total", "总计"),
    "col_share": ("Share", "占比"),
    "row_amount": ("Sales amount", "销售额"),
    "row_conversions": ("Conversions", "转化数"),
    "row_users": ("Users", "用户数"),
    "why_no_total": ("no conversions in the window", "窗口内无转化"),
    "why_total_not_positive": ("total amount not positive", "总金额非正"),
    "chart_trend_tag_driven": ("Tag-driven shares across saved runs", "历次运行的标签驱动占比"),
    "trend_amount_share": ("sales amount", "销售额"),
    "trend_conversion_share": ("conversions", "转化数"),
    "trend_covered_share": ("users covered", "覆盖用户"),
}
