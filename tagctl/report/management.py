"""The management view: conversion contribution with intervals, stars, trends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tagctl.report import charts
from tagctl.report.context import Context, dig
from tagctl.report.model import Card, Cell, Section, Tab, Table
from tagctl.report.tables import (
    count_cell,
    decimal_cell,
    fmt_percent,
    kpi,
    num,
    rate_cell,
    tag_table,
    text,
)


def executive(ctx: Context) -> Tab:
    say, catalog = ctx.say, ctx.catalog
    tab = Tab("executive", say("role_executive"))
    lifts = _lift_names(ctx)
    significant = [n for n in lifts if kpi(ctx, n, "conversion", "significant")]
    population = ctx.document["population"]
    tab.cards = [
        Card(say("population"), say.count(population["size"])),
        Card(say("card_conversion"), say.percent(population.get("conversion_rate"), 2)),
        Card(say("card_significant"), f"{say.number(len(significant))} / {say.number(len(lifts))}"),
        Card(say("card_star"), say.number(len(catalog.get("star", ())))),
        Card(say("card_coverage"), say.percent(catalog["coverage"]["overall"])),
        Card(say("card_usage_rate"), say.percent(catalog.get("usage_rate"))),
    ]
    tab.sections = [
        _conversion(ctx, lifts),
        Section("star", say("sec_star"), tables=[_stars(ctx)]),
        _trends(ctx),
    ]
    return tab


def _lift_names(ctx: Context) -> list[str]:
    names = [n for n in ctx.kpis if kpi(ctx, n, "conversion", "absolute_lift") is not None]
    names.sort(key=lambda n: -(kpi(ctx, n, "conversion", "absolute_lift") or 0.0))
    return names


def _conversion(ctx: Context, names: list[str]) -> Section:
    say = ctx.say
    ranked = sorted(names, key=lambda n: (_q_value(ctx, n), n))
    shown = set(ranked[: ctx.top_n])
    rows = [
        charts.Interval(
            ctx.label(name),
            kpi(ctx, name, "conversion", "absolute_lift"),
            kpi(ctx, name, "conversion", "ci_low"),
            kpi(ctx, name, "conversion", "ci_high"),
            bool(kpi(ctx, name, "conversion", "significant")),
            href=f"#tag-{name}",
        )
        for name in names
        if name in shown
    ]
    plot = charts.forest_plot(
        rows, title=say("chart_lift"), fmt=lambda v: f"{v * 100:+.1f}", empty=say("no_data")
    )
    return Section(
        "conversion",
        say("sec_conversion"),
        note=say("significance_note"),
        charts=[plot],
        tables=[_conversion_table(ctx, names)],
        wide=True,
    )


def _q_value(ctx: Context, name: str) -> float:
    q = kpi(ctx, name, "conversion", "q_value")
    return 1.0 if q is None else float(q)


def _conversion_table(ctx: Context, names: list[str]) -> Table:
    say = ctx.say

    def interval(n: str) -> Cell:
        low, high = kpi(ctx, n, "conversion", "ci_low"), kpi(ctx, n, "conversion", "ci_high")
        return Cell(f"[{say.points(low)}, {say.points(high)}]", low)

    def significant(n: str) -> Cell:
        yes = bool(kpi(ctx, n, "conversion", "significant"))
        return Cell(say("yes") if yes else say("no"), int(yes), css="sig" if yes else "")

    return tag_table(
        ctx,
        names,
        [
            num(
                say("col_campaigns"),
                lambda n: count_cell(ctx, kpi(ctx, n, "conversion", "campaigns")),
            ),
            num(
                say("col_treatment"),
                lambda n: rate_cell(ctx, kpi(ctx, n, "conversion", "treatment", "rate")),
            ),
            num(
                say("col_control"),
                lambda n: rate_cell(ctx, kpi(ctx, n, "conversion", "control", "rate")),
            ),
            num(
                say("col_lift"),
                lambda n: Cell(
                    say.points(kpi(ctx, n, "conversion", "absolute_lift")),
                    kpi(ctx, n, "conversion", "absolute_lift"),
                ),
            ),
            num(say("col_interval"), interval),
            num(say("col_q"), lambda n: decimal_cell(ctx, kpi(ctx, n, "conversion", "q_value"), 4)),
            text(say("col_significant"), significant),
        ],
    )


def _stars(ctx: Context) -> Table:
    say = ctx.say
    return tag_table(
        ctx,
        ctx.catalog.get("star", ()),
        [
            num(say("col_score"), lambda n: decimal_cell(ctx, kpi(ctx, n, "score"), 2)),
            num(say("col_events"), lambda n: count_cell(ctx, kpi(ctx, n, "usage", "events"))),
            num(
                say("col_lift"),
                lambda n: Cell(
                    say.points(kpi(ctx, n, "conversion", "absolute_lift")),
                    kpi(ctx, n, "conversion", "absolute_lift"),
                ),
            ),
            num(say("col_coverage"), lambda n: rate_cell(ctx, kpi(ctx, n, "coverage"))),
        ],
    )


def _trends(ctx: Context) -> Section:
    say = ctx.say
    runs = ctx.summaries
    if len(runs) < 2:
        return Section("trends", say("chart_trend_coverage"), note=say("trend_single"))
    dates = [str(run["as_of"])[:10] for run in runs]
    if len(set(dates)) < len(dates):  # several runs a day: tell them apart by the time
        dates = [str(run["as_of"])[5:16].replace("T", " ") for run in runs]

    def series(label: str, pick: Callable[[dict[str, Any]], float | None]) -> charts.Series:
        return charts.Series(
            label, list(zip(dates, (pick(run["catalog"]) for run in runs), strict=True))
        )

    coverage = [
        series(say("trend_overall"), lambda c: dig(c, "coverage", "overall")),
        series(say("trend_core_mean"), lambda c: dig(c, "coverage", "core_mean")),
        series(say("trend_usage_rate"), lambda c: c.get("usage_rate")),
    ]
    alerts = [
        series(say("trend_alerts"), lambda c: dig(c, "alerts", "alert")),
        series(say("trend_warnings"), lambda c: dig(c, "alerts", "warning")),
    ]
    empty = say("no_data")
    return Section(
        "trends",
        say("chart_trend_coverage"),
        charts=[
            charts.line_chart(
                coverage, title=say("chart_trend_coverage"), fmt=fmt_percent(ctx), empty=empty
            ),
            charts.line_chart(
                alerts, title=say("chart_trend_alerts"), fmt=lambda v: say.number(v), empty=empty
            ),
        ],
        wide=True,
    )
