"""The operator's view: who uses which tags, activation, audience quality, zombies."""

from __future__ import annotations

from tagctl.report import charts
from tagctl.report.context import Context
from tagctl.report.model import Card, Cell, Section, Tab, Table
from tagctl.report.tables import (
    count_cell,
    decimal_cell,
    kpi,
    num,
    owners_cell,
    rate_cell,
    tag_table,
    text,
)


def operator(ctx: Context) -> Tab:
    say, catalog = ctx.say, ctx.catalog
    tab = Tab("operator", say("role_operator"))
    zombie = catalog.get("zombie")
    tab.cards = [
        Card(say("card_usage_rate"), say.percent(catalog.get("usage_rate"))),
        Card(say("card_zombie"), say.number(len(zombie)) if zombie is not None else "–", "warning"),
        Card(say("card_star"), say.number(len(catalog.get("star", ())))),
    ]
    tab.sections = [
        _heat_maps(ctx),
        Section("activation", say("sec_activation"), tables=[_activation(ctx)]),
        Section("quality", say("sec_quality"), tables=[_quality(ctx)]),
        Section("zombie", say("sec_zombie"), tables=[_zombies(ctx)]),
    ]
    return tab


def _heat_maps(ctx: Context) -> Section:
    say, top = ctx.say, ctx.top_n
    used = [(kpi(ctx, name, "usage", "events") or 0, name) for name in ctx.kpis]
    used.sort(key=lambda item: (-item[0], item[1]))
    names = [name for events, name in used[:top] if events > 0]
    fmt, empty = (lambda value: say.number(value)), say("no_data")
    maps = []
    for key, title in (
        ("by_department", "chart_usage_departments"),
        ("by_consumer_type", "chart_usage_consumers"),
    ):
        cells: dict[tuple[str, str], float] = {}
        totals: dict[str, int] = {}
        for name in names:
            for column, events in (kpi(ctx, name, "usage", key) or {}).items():
                cells[(name, column)] = events
                totals[column] = totals.get(column, 0) + events
        columns = sorted(totals, key=lambda column: (-totals[column], column))
        maps.append(
            charts.heat_map(
                names, columns, cells, title=say(title, n=len(names)), fmt=fmt, empty=empty
            )
        )
    return Section("usage", say("role_operator"), charts=maps, wide=True)


def _activation(ctx: Context) -> Table:
    say = ctx.say
    names = [n for n in ctx.kpis if (kpi(ctx, n, "activation", "campaigns") or 0) > 0]
    names.sort(key=lambda n: -(kpi(ctx, n, "activation", "activation_rate") or 0.0))
    return tag_table(
        ctx,
        names,
        [
            num(
                say("col_campaigns"),
                lambda n: count_cell(ctx, kpi(ctx, n, "activation", "campaigns")),
            ),
            num(
                say("col_members"), lambda n: count_cell(ctx, kpi(ctx, n, "activation", "members"))
            ),
            num(
                say("col_activation"),
                lambda n: rate_cell(ctx, kpi(ctx, n, "activation", "activation_rate")),
            ),
            num(
                say("col_response"),
                lambda n: rate_cell(ctx, kpi(ctx, n, "activation", "response_rate")),
            ),
        ],
    )


def _quality(ctx: Context) -> Table:
    say = ctx.say
    names = [n for n in ctx.kpis if kpi(ctx, n, "audience_quality", "index") is not None]
    names.sort(key=lambda n: -(kpi(ctx, n, "audience_quality", "index") or 0.0))
    return tag_table(
        ctx,
        names,
        [
            num(
                say("col_index"),
                lambda n: decimal_cell(ctx, kpi(ctx, n, "audience_quality", "index"), 2),
            ),
            num(
                say("col_holder_rate"),
                lambda n: rate_cell(ctx, kpi(ctx, n, "audience_quality", "holder_rate")),
            ),
            num(
                say("col_population_rate"),
                lambda n: rate_cell(ctx, kpi(ctx, n, "audience_quality", "population_rate")),
            ),
            num(say("col_holders"), lambda n: count_cell(ctx, kpi(ctx, n, "holders"))),
        ],
    )


def _zombies(ctx: Context) -> Table:
    say = ctx.say
    return tag_table(
        ctx,
        ctx.catalog.get("zombie") or (),
        [
            text(say("col_last_used"), lambda n: _when(ctx, kpi(ctx, n, "usage", "last_used"))),
            num(say("col_coverage"), lambda n: rate_cell(ctx, kpi(ctx, n, "coverage"))),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
        ],
    )


def _when(ctx: Context, text: str | None) -> Cell:
    return Cell(text[:10] if text else ctx.say("never"), text or "")
