"""The "all tags" tab: one line per tag that opens into its detail entry.

The line is a row of the catalog table (name, category, status, coverage,
uses, lift, alerts: sortable; the search box matches its whole text); the
entry under it holds the definition, owners, lifecycle, dependencies, the
tags it is redundant with, KPIs, values, alerts, trend and logic. One
element serves as both, so a 10,000-tag catalog stays a page a browser
opens at once.

A tag appears when it is in the KPI run, in the catalog, or both: a
tag measured by a saved run but since removed from the catalog still gets
its entry, saying so, and a catalog tag the run did not measure says that.
"""

from __future__ import annotations

from markupsafe import Markup

from tagctl.catalog.tags import Tag
from tagctl.kpi.result import TagKpi
from tagctl.report import lines
from tagctl.report.context import UNMEASURED, Context
from tagctl.report.model import Cell, Column, Fact, Tab, TagEntry
from tagctl.report.tables import level_rank

VALUES_SHOWN = 8
LOGIC_SHOWN = 240  # characters of logic shown; the tag file has the rest
TREND_RUNS = 12  # the latest runs drawn in a tag's sparkline


def all_tags(ctx: Context) -> Tab:
    return Tab("tags", ctx.say("tab_tags"))


def columns(ctx: Context) -> tuple[Column, ...]:
    say = ctx.say
    return (
        Column(say("col_tag")),
        Column(say("col_category")),
        Column(say("col_status")),
        Column(say("col_coverage"), numeric=True),
        Column(say("col_events"), numeric=True),
        Column(say("col_lift"), numeric=True),
        Column(say("col_alerts")),
    )


def entries(ctx: Context) -> tuple[TagEntry, ...]:
    return tuple(entry(ctx, name) for name in ctx.names)


def entry(ctx: Context, name: str) -> TagEntry:
    say, tag, measured = ctx.say, ctx.tags.get(name), ctx.kpis.get(name)
    kpi = measured or UNMEASURED
    return TagEntry(
        name=name,
        label=ctx.label(name),
        other_label=(tag.en if say.code == "zh" else tag.zh) if tag else "",
        level=kpi.level(),
        cells=_cells(ctx, tag, kpi),
        description=tag.description if tag else "",
        facts=(_facts(ctx, tag) if tag else ()) + _redundant_with(ctx, kpi),
        kpis=_kpis(ctx, kpi) if kpi != UNMEASURED else (),  # nothing to show of an empty one
        alerts=tuple((a.level, say.alert(a.code), a.message) for a in kpi.alerts),
        values=_values(ctx, kpi),
        trend=_trend(ctx, name),
        logic=_logic(tag),
        note=_note(ctx, tag, measured),
    )


def _note(ctx: Context, tag: Tag | None, measured: TagKpi | None) -> str:
    if tag is None:
        return ctx.say("detail_not_in_catalog")
    return "" if measured is not None else ctx.say("detail_not_measured")


def _logic(tag: Tag | None) -> str:
    logic = tag.logic if tag else ""
    if len(logic) > LOGIC_SHOWN:
        logic = logic[:LOGIC_SHOWN].rstrip() + " …"
    return logic


def _cells(ctx: Context, tag: Tag | None, kpi: TagKpi) -> tuple[Cell, ...]:
    say = ctx.say
    category = tag.category if tag else kpi.category
    status = tag.status if tag else kpi.status
    coverage, events, lift = kpi.coverage, kpi.events, kpi.absolute_lift
    return (
        Cell(ctx.category(category)),
        Cell(say.status(status)),
        Cell(say.percent(coverage), coverage),
        Cell(say.number(events), events),
        Cell(say.points(lift), lift),
        Cell(", ".join(say.alert(a.code) for a in kpi.alerts), level_rank(kpi.level())),
    )


def _facts(ctx: Context, tag: Tag) -> tuple[Fact, ...]:
    say = ctx.say
    window = f" · {tag.window}" if tag.window else ""
    kind = " · ".join((tag.type, tag.value_type, tag.tier, say.refresh(tag.refresh)))
    facts = [
        Fact(say("detail_type"), f"v{tag.version} · {kind}{window}"),
        Fact(say("col_owners"), " / ".join(o for o in (tag.business_owner, tag.data_owner) if o)),
        Fact(say("detail_source"), " ".join((tag.source_system, *tag.source_tables)).strip()),
        Fact(say("detail_depends_on"), "", links=tag.depends_on),
        Fact(say("col_dependents"), "", links=ctx.dependents.get(tag.name, ())),
    ]
    if tag.status in ("deprecated", "retired"):
        facts.append(Fact(say("detail_deprecation"), f"{tag.deprecation_reason} ({tag.sunset})"))
        if tag.replaced_by:
            facts.append(Fact(say("col_replaced_by"), "", links=(tag.replaced_by,)))
    return tuple(fact for fact in facts if fact.value or fact.links)


def _redundant_with(ctx: Context, kpi: TagKpi) -> tuple[Fact, ...]:
    """The tags whose holders are one audience with this one's, each linking to its entry."""
    if not kpi.redundant_with:
        return ()
    return (Fact(ctx.say("detail_redundant_with"), "", links=tuple(kpi.redundant_with)),)


def _kpis(ctx: Context, kpi: TagKpi) -> tuple[Fact, ...]:
    say, quality = ctx.say, kpi.audience_quality
    facts = [
        Fact(say("col_holders"), say.number(kpi.holders)),
        Fact(say("col_freshness"), say.age(kpi.freshness_hours)),
        Fact(say("col_violations"), say.number(kpi.domain_violations or None)),
        Fact(say("col_psi"), say.number(kpi.psi, 3)),
        Fact(say("col_consumers"), say.number(kpi.consumers)),
        Fact(say("col_activation"), say.percent(kpi.activation_rate)),
        Fact(say("col_q"), say.number(kpi.q_value, 4)),
        Fact(say("col_index"), say.number(kpi.audience_index, 2)),
        Fact(say("col_aov_index"), say.number(quality.aov_index if quality else None, 2)),
        Fact(say("col_repeat_index"), say.number(quality.repeat_index if quality else None, 2)),
        Fact(say("col_roi"), say.number(kpi.roi.roi if kpi.roi else None, 2)),
    ]
    return tuple(fact for fact in facts if fact.value != "–")


def _values(ctx: Context, kpi: TagKpi) -> str:
    """The value distribution on one line: `oily 57.4% · dry 15.5% · other values 3`."""
    say = ctx.say
    shown = [f"{v.value} {say.percent(v.share)}" for v in kpi.values or ()]
    if len(shown) > VALUES_SHOWN:
        shown = [*shown[:VALUES_SHOWN], "…"]
    if kpi.values_other:
        shown.append(f"{say('detail_other_values')} {say.number(kpi.values_other)}")
    return " · ".join(shown)


def _trend(ctx: Context, name: str) -> Markup | None:
    points = ctx.coverage_trends.get(name)
    if not points or sum(point is not None for point in points) < 2:
        return None
    return lines.sparkline(list(points[-TREND_RUNS:]), label=ctx.say("col_coverage"), inline=True)
