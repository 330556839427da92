"""The "all tags" tab and every tag's detail entry.

A tag appears when it is in the KPI document, in the catalog, or both: a tag
measured by a saved run but since removed from the catalog still gets its
entry, saying so, and a catalog tag the run did not measure says that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from tagctl.catalog.tags import Tag
from tagctl.report import charts
from tagctl.report.context import Context, dig, level_of
from tagctl.report.model import Cell, Column, Fact, Row, Section, Tab, Table, TagEntry
from tagctl.report.tables import tag_cell

VALUES_SHOWN = 8


def all_tags(ctx: Context) -> Tab:
    say = ctx.say
    columns = (
        Column(say("col_tag")),
        Column(say("col_category")),
        Column(say("col_status")),
        Column(say("col_coverage"), numeric=True),
        Column(say("col_events"), numeric=True),
        Column(say("col_lift"), numeric=True),
        Column(say("col_alerts")),
    )
    rows = tuple(_row(ctx, name) for name in ctx.names)
    table = Table(columns, rows, say("none_found"))
    return Tab(
        "tags",
        say("tab_tags"),
        sections=[Section("all", say("tab_tags"), tables=[table], wide=True)],
    )


def _row(ctx: Context, name: str) -> Row:
    say, data = ctx.say, ctx.kpis.get(name) or {}
    tag = ctx.tags.get(name)
    category = tag.category if tag else str(data.get("category", ""))
    status = tag.status if tag else str(data.get("status", ""))
    lift = dig(data, "conversion", "absolute_lift")
    alerts = data.get("alerts") or ()
    level = level_of(alerts)
    cells = (
        tag_cell(ctx, name),
        Cell(ctx.category(category), category),
        Cell(say.status(status), status),
        Cell(say.percent(data.get("coverage")), data.get("coverage")),
        Cell(say.number(dig(data, "usage", "events")), dig(data, "usage", "events")),
        Cell(say.points(lift), lift),
        Cell(", ".join(say.alert(a["code"]) for a in alerts) or "–", _rank(level), css=level or ""),
    )
    return Row(cells, search=_search(ctx, name, tag), level=level)


def _rank(level: str | None) -> int:
    return {"alert": 2, "warning": 1}.get(level or "", 0)


def _search(ctx: Context, name: str, tag: Tag | None) -> str:
    if tag is None:
        return name.lower()
    words = (
        name,
        tag.zh,
        tag.en,
        tag.category,
        ctx.category(tag.category),
        tag.business_owner,
        tag.data_owner,
    )
    return " ".join(word for word in words if word).lower()


def entries(ctx: Context) -> tuple[TagEntry, ...]:
    return tuple(entry(ctx, name) for name in ctx.names)


def entry(ctx: Context, name: str) -> TagEntry:
    say, tag, data = ctx.say, ctx.tags.get(name), ctx.kpis.get(name)
    alerts = tuple(
        (a["level"], say.alert(a["code"]), a["message"]) for a in (data or {}).get("alerts", ())
    )
    level = level_of((data or {}).get("alerts", ()))
    note = "" if data is not None else say("detail_not_measured")
    if tag is None:
        note = say("detail_not_in_catalog")
    return TagEntry(
        name=name,
        label=ctx.label(name),
        other_label=(tag.en if say.code == "zh" else tag.zh) if tag else "",
        status=say.status(tag.status if tag else str((data or {}).get("status", ""))),
        level=level,
        level_text=say.level(level) if level else "",
        search=_search(ctx, name, tag),
        description=tag.description if tag else "",
        facts=_facts(ctx, tag) if tag else (),
        kpis=_kpis(ctx, data) if data else (),
        alerts=alerts,
        values=_values(ctx, data) if data else None,
        trend=_trend(ctx, name),
        logic=tag.logic if tag else "",
        note=note,
    )


def _facts(ctx: Context, tag: Tag) -> tuple[Fact, ...]:
    say = ctx.say
    facts = [
        Fact(say("detail_version"), tag.version),
        Fact(say("col_category"), ctx.category(tag.category)),
        Fact(say("detail_type"), tag.type),
        Fact(say("detail_value_type"), tag.value_type),
        Fact(say("col_tier"), tag.tier),
        Fact(say("col_refresh"), tag.refresh + (f" · {tag.window}" if tag.window else "")),
        Fact(say("col_business_owner"), tag.business_owner or "–"),
        Fact(say("col_data_owner"), tag.data_owner or "–"),
        Fact(
            say("detail_source"), " ".join((tag.source_system, *tag.source_tables)).strip() or "–"
        ),
    ]
    facts += [Fact(say("detail_depends_on"), name, link=name) for name in tag.depends_on]
    facts += [
        Fact(say("col_dependents"), name, link=name) for name in ctx.dependents.get(tag.name, ())
    ]
    if tag.status in ("deprecated", "retired"):
        facts.append(Fact(say("detail_deprecation"), tag.deprecation_reason or "–"))
        facts.append(Fact(say("col_sunset"), tag.sunset or "–"))
        if tag.replaced_by:
            facts.append(Fact(say("col_replaced_by"), tag.replaced_by, link=tag.replaced_by))
    return tuple(facts)


def _kpis(ctx: Context, data: Mapping[str, Any]) -> tuple[Fact, ...]:
    say = ctx.say
    facts = [
        Fact(say("col_coverage"), say.percent(data.get("coverage"), 2)),
        Fact(say("col_holders"), say.number(data.get("holders"))),
        Fact(say("col_freshness"), say.age(data.get("freshness_hours"))),
        Fact(say("col_violations"), say.number(data.get("domain_violations"))),
        Fact(say("col_psi"), say.number(data.get("psi"), 3)),
        Fact(say("col_events"), say.number(dig(data, "usage", "events"))),
        Fact(say("col_consumers"), say.number(dig(data, "usage", "consumers"))),
        Fact(say("col_activation"), say.percent(dig(data, "activation", "activation_rate"))),
        Fact(say("col_lift"), say.points(dig(data, "conversion", "absolute_lift"))),
        Fact(say("col_q"), say.number(dig(data, "conversion", "q_value"), 4)),
        Fact(say("col_index"), say.number(dig(data, "audience_quality", "index"), 2)),
    ]
    return tuple(fact for fact in facts if fact.value != "–")


def _values(ctx: Context, data: Mapping[str, Any]) -> Table | None:
    values = data.get("values") or []
    if not values:
        return None
    say = ctx.say
    rows = [
        Row(
            (
                Cell(str(v["value"])),
                Cell(say.number(v["holders"]), v["holders"]),
                Cell(say.percent(v["share"]), v["share"]),
            )
        )
        for v in values[:VALUES_SHOWN]
    ]
    other = data.get("values_other")
    if other:
        rows.append(
            Row(
                (
                    Cell(say("detail_other_values"), css="muted"),
                    Cell(say.number(other), other),
                    Cell(""),
                )
            )
        )
    columns = (Column(say("detail_values")), Column(say("col_holders"), True), Column("%", True))
    return Table(columns, tuple(rows), say("no_data"))


def _trend(ctx: Context, name: str) -> Markup | None:
    points = ctx.coverage_trends.get(name)
    if not points or sum(point is not None for point in points) < 2:
        return None
    return charts.sparkline(list(points), label=f"{name}: {ctx.say('col_coverage')}")
