"""The operator's view: who uses which tags, activation, audience quality, zombies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from markupsafe import Markup

from tagctl.kpi.result import Activation, AudienceQuality, Usage, iso
from tagctl.report import charts
from tagctl.report.context import Context
from tagctl.report.model import Card, Cell, Section, Tab, Table
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
        Section("quality", say("sec_quality"), tables=[_quality(ctx)]),
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
        if (quality := kpi.audience_quality) is not None and quality.index is not None
    }
    names = sorted(found, key=lambda n: -(found[n].index or 0.0))
    return tag_table(
        ctx,
        names,
        [
            num(say("col_index"), lambda n: decimal_cell(ctx, found[n].index, 2)),
            num(say("col_holder_rate"), lambda n: rate_cell(ctx, found[n].holder_rate)),
            num(say("col_population_rate"), lambda n: rate_cell(ctx, found[n].population_rate)),
            num(say("col_holders"), lambda n: count_cell(ctx, ctx.kpi(n).holders)),
        ],
    )


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
