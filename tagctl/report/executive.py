"""The executive's view: conversion contribution with intervals, tag-driven sales,
stars, trends."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tagctl.kpi.result import CatalogKpi, Conversion, iso
from tagctl.report import charts, lines
from tagctl.report.context import Context
from tagctl.report.model import Card, Cell, Section, Tab, Table
from tagctl.report.tables import (
    count_cell,
    decimal_cell,
    fmt_percent,
    num,
    points_cell,
    rate_cell,
    tag_table,
    text,
)
from tagctl.report.tagdriven import tag_driven

Pick = Callable[[CatalogKpi], float | None]

# The tag-driven shares of each saved run; None where a run did not measure them.
TAG_DRIVEN: tuple[tuple[str, Pick], ...] = (
    ("trend_amount_share", lambda c: c.tag_driven.amount_share if c.tag_driven else None),
    ("trend_conversion_share", lambda c: c.tag_driven.conversion_share if c.tag_driven else None),
    ("trend_covered_share", lambda c: c.tag_driven.covered_share if c.tag_driven else None),
)


def executive(ctx: Context) -> Tab:
    say, catalog, population = ctx.say, ctx.catalog, ctx.run.population
    tab = Tab("executive", say("role_executive"))
    lifts = _lifts(ctx)
    significant = [name for name, conversion in lifts.items() if conversion.significant]
    tab.cards = [
        Card(say("population"), say.count(population.size)),
        Card(say("card_conversion"), say.percent(population.conversion_rate, 2)),
        Card(say("card_significant"), f"{say.number(len(significant))} / {say.number(len(lifts))}"),
        Card(say("card_star"), say.number(len(catalog.star))),
        Card(say("card_coverage"), say.percent(catalog.coverage.overall)),
        Card(say("card_usage_rate"), say.percent(catalog.usage_rate)),
    ]
    tab.sections = [
        _conversion(ctx, lifts),
        tag_driven(ctx),
        Section("star", say("sec_star"), tables=[_stars(ctx)]),
        _trends(ctx),
    ]
    return tab


def _lifts(ctx: Context) -> dict[str, Conversion]:
    """The tags with a lift, largest first, with their conversion."""
    found = {
        name: conversion
        for name, kpi in ctx.kpis.items()
        if (conversion := kpi.conversion) is not None and conversion.absolute_lift is not None
    }
    names = sorted(found, key=lambda name: -(found[name].absolute_lift or 0.0))
    return {name: found[name] for name in names}


def _conversion(ctx: Context, lifts: dict[str, Conversion]) -> Section:
    say = ctx.say
    ranked = sorted(lifts, key=lambda name: (_q_value(lifts[name]), name))
    shown = set(ranked[: ctx.top_n])
    rows = [
        charts.Interval(
            ctx.label(name),
            conversion.absolute_lift,
            conversion.ci_low,
            conversion.ci_high,
            bool(conversion.significant),
            href=f"#tag-{name}",
        )
        for name, conversion in lifts.items()
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
        tables=[_conversion_table(ctx, lifts)],
        wide=True,
    )


def _q_value(conversion: Conversion) -> float:
    q = conversion.q_value
    return 1.0 if q is None else float(q)


def _conversion_table(ctx: Context, lifts: dict[str, Conversion]) -> Table:
    say = ctx.say

    def interval(n: str) -> Cell:
        low, high = lifts[n].ci_low, lifts[n].ci_high
        return Cell(f"[{say.points(low)}, {say.points(high)}]", low)

    def significant(n: str) -> Cell:
        yes = bool(lifts[n].significant)
        return Cell(say("yes") if yes else say("no"), int(yes), css="sig" if yes else "")

    return tag_table(
        ctx,
        lifts,
        [
            num(say("col_campaigns"), lambda n: count_cell(ctx, lifts[n].campaigns)),
            num(say("col_treatment"), lambda n: rate_cell(ctx, lifts[n].treatment.rate)),
            num(say("col_control"), lambda n: rate_cell(ctx, lifts[n].control.rate)),
            num(say("col_lift"), lambda n: points_cell(ctx, lifts[n].absolute_lift)),
            num(say("col_interval"), interval),
            num(say("col_q"), lambda n: decimal_cell(ctx, lifts[n].q_value, 4)),
            text(say("col_significant"), significant),
        ],
    )


def _stars(ctx: Context) -> Table:
    say = ctx.say
    return tag_table(
        ctx,
        ctx.catalog.star,
        [
            num(say("col_score"), lambda n: decimal_cell(ctx, ctx.kpi(n).score, 2)),
            num(say("col_events"), lambda n: count_cell(ctx, ctx.kpi(n).events)),
            num(say("col_lift"), lambda n: points_cell(ctx, ctx.kpi(n).absolute_lift)),
            num(say("col_coverage"), lambda n: rate_cell(ctx, ctx.kpi(n).coverage)),
        ],
    )


def _trends(ctx: Context) -> Section:
    say = ctx.say
    if len(ctx.summaries) < 2:
        return Section("trends", say("chart_trend_coverage"), note=say("trend_single"))
    coverage = _series(
        ctx,
        [
            ("trend_overall", lambda c: c.coverage.overall),
            ("trend_core_mean", lambda c: c.coverage.core_mean),
            ("trend_usage_rate", lambda c: c.usage_rate),
        ],
    )
    alerts = _series(
        ctx,
        [
            ("trend_alerts", lambda c: c.alerts.get("alert")),
            ("trend_warnings", lambda c: c.alerts.get("warning")),
        ],
    )
    title, empty = say("chart_trend_coverage"), say("no_data")
    drawn = [
        lines.line_chart(coverage, title=title, fmt=fmt_percent(ctx), empty=empty),
        lines.line_chart(
            alerts, title=say("chart_trend_alerts"), fmt=lambda v: say.number(v), empty=empty
        ),
    ]
    if any(summary.catalog.tag_driven is not None for summary in ctx.summaries):
        driven = _series(ctx, TAG_DRIVEN)
        drawn.append(
            lines.line_chart(
                driven, title=say("chart_trend_tag_driven"), fmt=fmt_percent(ctx), empty=empty
            )
        )
    return Section("trends", title, charts=drawn, wide=True)


def _series(ctx: Context, picks: Sequence[tuple[str, Pick]]) -> list[lines.Series]:
    """One line per (word, pick): its value in each run of history."""
    dates = _dates(ctx)
    catalogs = [run.catalog for run in ctx.summaries]
    return [
        lines.Series(ctx.say(word), list(zip(dates, map(pick, catalogs), strict=True)))
        for word, pick in picks
    ]


def _dates(ctx: Context) -> list[str]:
    """Each run's date; with several runs a day its date and time, to the minute, or to
    the second when two runs share a minute: the shortest labels that tell them apart."""
    moments = [iso(run.as_of) for run in ctx.summaries]
    labels = [moment[:10] for moment in moments]
    for end in (16, 19):
        if len(set(labels)) == len(labels):
            break
        labels = [moment[5:end].replace("T", " ") for moment in moments]
    return labels
