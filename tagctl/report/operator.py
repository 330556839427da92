"""The operator's view: who uses which tags, activation, audience quality, the
conversion cycle against control, ROI, tag combinations, zombies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from markupsafe import Markup

from tagctl.kpi.result import Activation, AudienceQuality, Conversion, Usage, iso
from tagctl.report import charts
from tagctl.report.combinations import combinations
from tagctl.report.context import Context
from tagctl.report.model import Card, Cell, Section, Tab, Table
from tagctl.report.returns import roi_section
from tagctl.report.tables import (
    count_cell,
    decimal_cell,
    num,
    owners_cell,
    rate_cell,
    tag_table,
    text,
)

# The heat maps of uses: by department, by consumer type.
HEAT_MAPS: tuple[tuple[Callable[[Usage], Mapping[str, int]], str], ...] = (
    (lambda usage: usage.by_department, "chart_usage_departments"),
    (lambda usage: usage.by_consumer_type, "chart_usage_consumers"),
)


def operator(ctx: Context) -> Tab:
    say, catalog = ctx.say, ctx.catalog
    tab = Tab("operator", say("role_operator"))
    zombie = catalog.zombie
    tab.cards = [
        Card(say("card_usage_rate"), say.percent(catalog.usage_rate)),
        Card(say("card_zombie"), say.number(len(zombie)) if zombie is not None else "–", "warning"),
        Card(say("card_star"), say.number(len(catalog.star))),
    ]
    tab.sections = [
        _heat_maps(ctx),
        Section("activation", say("sec_activation"), tables=[_activation(ctx)]),
        Section(
            "quality",
            say("sec_quality"),
            note=say("quality_note"),
            tables=[_quality(ctx)],
            wide=True,
        ),
        Section("cycle", say("sec_cycle"), note=say("cycle_note"), tables=[_cycle(ctx)], wide=True),
        roi_section(ctx),
        combinations(ctx),
        Section("zombie", say("sec_zombie"), tables=[_zombies(ctx)]),
    ]
    return tab


def _heat_maps(ctx: Context) -> Section:
    used = [(kpi.events or 0, name) for name, kpi in ctx.kpis.items()]
    used.sort(key=lambda item: (-item[0], item[1]))
    names = [name for events, name in used[: ctx.top_n] if events > 0]
    maps = [_heat_map(ctx, names, pick, title) for pick, title in HEAT_MAPS]
    return Section("usage", ctx.say("role_operator"), charts=maps, wide=True)


def _heat_map(
    ctx: Context, names: list[str], pick: Callable[[Usage], Mapping[str, int]], title: str
) -> Markup:
    """The uses of the tags `names` by the columns that `pick` counts them by."""
    say = ctx.say
    cells: dict[tuple[str, str], float] = {}
    totals: dict[str, int] = {}
    for name in names:
        usage = ctx.kpi(name).usage
        for column, events in (pick(usage) if usage else {}).items():
            cells[(name, column)] = events
            totals[column] = totals.get(column, 0) + events
    columns = sorted(totals, key=lambda column: (-totals[column], column))
    return charts.heat_map(
        names,
        columns,
        cells,
        title=say(title, n=len(names)),
        fmt=lambda value: say.number(value),
        empty=say("no_data"),
    )


def _activation(ctx: Context) -> Table:
    say = ctx.say
    found: dict[str, Activation] = {
        name: activation
        for name, kpi in ctx.kpis.items()
        if (activation := kpi.activation) is not None and (activation.campaigns or 0) > 0
    }
    names = sorted(found, key=lambda n: -(found[n].activation_rate or 0.0))
    return tag_table(
        ctx,
        names,
        [
            num(say("col_campaigns"), lambda n: count_cell(ctx, found[n].campaigns)),
            num(say("col_members"), lambda n: count_cell(ctx, found[n].members)),
            num(say("col_activation"), lambda n: rate_cell(ctx, found[n].activation_rate)),
            num(say("col_response"), lambda n: rate_cell(ctx, found[n].response_rate)),
        ],
    )


def _quality(ctx: Context) -> Table:
    say = ctx.say
    found: dict[str, AudienceQuality] = {
        name: quality
        for name, kpi in ctx.kpis.items()
        if (quality := kpi.audience_quality) is not None
        and (quality.index, quality.aov_index, quality.repeat_index) != (None, None, None)
    }
    names = sorted(found, key=lambda n: -(found[n].index or 0.0))
    return tag_table(
        ctx,
        names,
        [
            num(say("col_conversion_index"), lambda n: decimal_cell(ctx, found[n].index, 2)),
            num(say("col_holder_rate"), lambda n: rate_cell(ctx, found[n].holder_rate)),
            num(say("col_population_rate"), lambda n: rate_cell(ctx, found[n].population_rate)),
            num(say("col_aov_index"), lambda n: _aov_index(ctx, found[n])),
            num(say("col_holder_aov"), lambda n: decimal_cell(ctx, found[n].holder_aov, 2)),
            num(say("col_population_aov"), lambda n: decimal_cell(ctx, found[n].population_aov, 2)),
            num(say("col_repeat_index"), lambda n: _repeat_index(ctx, found[n])),
            num(say("col_holder_repeat"), lambda n: rate_cell(ctx, found[n].holder_repeat_rate)),
            num(
                say("col_population_repeat"),
                lambda n: rate_cell(ctx, found[n].population_repeat_rate),
            ),
            num(say("col_holders"), lambda n: count_cell(ctx, ctx.kpi(n).holders)),
        ],
    )


def _aov_index(ctx: Context, quality: AudienceQuality) -> Cell:
    """The AOV index, or "–" with why: no amounts, or a population AOV not above 0."""
    cell = decimal_cell(ctx, quality.aov_index, 2)
    if quality.aov_index is not None or quality.holder_orders is None:  # None: an older run
        return cell
    if quality.holder_aov is None or quality.population_aov is None:
        why = "why_no_amounts" if quality.holder_orders else "why_no_orders"
    else:
        why = "why_aov_not_positive"
    return Cell(cell.text, None, sub=ctx.say(why))


def _repeat_index(ctx: Context, quality: AudienceQuality) -> Cell:
    """The repeat index, or "–" with why: no holder ordered, or no repeat buyer in P."""
    cell = decimal_cell(ctx, quality.repeat_index, 2)
    if quality.repeat_index is not None or quality.holder_orders is None:
        return cell
    why = "why_no_orders" if quality.holder_repeat_rate is None else "why_no_repeat"
    return Cell(cell.text, None, sub=ctx.say(why))


def _cycle(ctx: Context) -> Table:
    """The tags whose campaigns converted: mean days to convert, treatment against control."""
    say = ctx.say
    found: dict[str, Conversion] = {
        name: conversion
        for name, kpi in ctx.kpis.items()
        if (conversion := kpi.conversion) is not None
        and (conversion.conversion_cycle_days, conversion.control_cycle_days) != (None, None)
    }

    def rank(name: str) -> tuple[bool, float, str]:
        difference = found[name].cycle_difference_days
        return (difference is None, difference or 0.0, name)

    return tag_table(
        ctx,
        sorted(found, key=rank),
        [
            num(say("col_campaigns"), lambda n: count_cell(ctx, found[n].campaigns)),
            num(
                say("col_cycle_treatment"),
                lambda n: decimal_cell(ctx, found[n].conversion_cycle_days, 1),
            ),
            num(
                say("col_cycle_control"),
                lambda n: decimal_cell(ctx, found[n].control_cycle_days, 1),
            ),
            num(say("col_cycle_difference"), lambda n: _difference(ctx, found[n])),
            num(say("col_interval"), lambda n: _cycle_interval(ctx, found[n])),
        ],
    )


def _difference(ctx: Context, conversion: Conversion) -> Cell:
    value = conversion.cycle_difference_days
    if value is None:
        empty = "control" if conversion.conversion_cycle_days is not None else "treatment"
        return Cell("–", None, sub=ctx.say(f"why_no_{empty}_conversions"))
    return Cell(f"{value:+,.1f}", value)


def _cycle_interval(ctx: Context, conversion: Conversion) -> Cell:
    low, high = conversion.cycle_ci_low, conversion.cycle_ci_high
    if low is None or high is None:
        why = "" if conversion.cycle_difference_days is None else ctx.say("why_few_conversions")
        return Cell("–", None, sub=why)
    return Cell(f"[{low:+,.1f}, {high:+,.1f}]", low)


def _zombies(ctx: Context) -> Table:
    say = ctx.say
    return tag_table(
        ctx,
        ctx.catalog.zombie or (),
        [
            text(say("col_last_used"), lambda n: _when(ctx, ctx.kpi(n).last_used)),
            num(say("col_coverage"), lambda n: rate_cell(ctx, ctx.kpi(n).coverage)),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
        ],
    )


def _when(ctx: Context, moment: dt.datetime | None) -> Cell:
    if moment is None:
        return Cell(ctx.say("never"), "")
    return Cell(iso(moment)[:10], iso(moment))
