"""The administrator's view and the cleanup candidates.

Coverage by category and of the core tags, then the lists a tag
administrator works through: sparse, stale, out-of-domain, drifting,
empty, ownerless and past-sunset tags. Each list is the tags carrying the
matching alert code of the KPI run, so the report and `tagctl kpi`
always agree. Last, the tags whose holders are one audience
(`redundancy.py`). The cleanup tab lists the cold tags with the exact
`tagctl deprecate` command for each.
"""

from __future__ import annotations

import shlex

from tagctl.kpi.result import iso
from tagctl.report import charts
from tagctl.report.context import Context
from tagctl.report.model import Card, Cell, Section, Tab, Table
from tagctl.report.redundancy import redundancy
from tagctl.report.tables import (
    Field,
    count_cell,
    fmt_percent,
    level_rank,
    num,
    owners_cell,
    rate_cell,
    tag_level,
    tag_table,
    text,
)

COVERAGE_EDGES = (0.0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 1.0)


def admin(ctx: Context) -> Tab:
    say, catalog = ctx.say, ctx.catalog
    coverage = catalog.coverage
    tab = Tab("admin", say("role_admin"))
    tab.cards = [
        Card(say("card_tags"), say.number(catalog.tags)),
        Card(say("card_online"), say.number(catalog.status.get("online", 0))),
        Card(say("card_coverage"), say.percent(coverage.overall)),
        Card(say("card_core_mean"), say.percent(coverage.core_mean)),
        Card(say("card_alerts"), say.number(_tags_at(ctx, "alert")), "alert"),
        Card(say("card_warnings"), say.number(_tags_at(ctx, "warning")), "warning"),
    ]
    tab.sections = [_coverage_charts(ctx), *_admin_lists(ctx)]
    return tab


def _tags_at(ctx: Context, level: str) -> int:
    """Tags whose highest alert level is `level`."""
    return sum(kpi.level() == level for kpi in ctx.kpis.values())


def _coverage_charts(ctx: Context) -> Section:
    say, top = ctx.say, ctx.top_n
    categories = ctx.catalog.coverage.categories
    by_category = [charts.Bar(ctx.category(key), value) for key, value in categories.items()]
    fmt, empty = fmt_percent(ctx), say("no_data")
    return Section(
        "coverage",
        say("chart_category_coverage"),
        charts=[
            charts.bar_chart(
                by_category, title=say("chart_category_coverage"), fmt=fmt, empty=empty
            ),
            charts.bar_chart(
                _core_bars(ctx), title=say("chart_core_coverage", n=top), fmt=fmt, empty=empty
            ),
            charts.histogram(
                _coverage_counts(ctx),
                COVERAGE_EDGES,
                title=say("chart_coverage_distribution"),
                fmt=fmt,
                empty=empty,
            ),
        ],
        wide=True,
    )


def _core_bars(ctx: Context) -> list[charts.Bar]:
    """The online core tags the run measured, by coverage, the top `top_n`."""
    core = [
        (ctx.kpi(name).coverage, name)
        for name, tag in ctx.tags.items()
        if tag.core and tag.status == "online" and name in ctx.kpis
    ]
    core.sort(key=lambda item: (-(item[0] or 0.0), item[1]))
    return [
        charts.Bar(ctx.label(name), value, tag_level(ctx, name), href=f"#tag-{name}")
        for value, name in core[: ctx.top_n]
    ]


def _coverage_counts(ctx: Context) -> list[int]:
    """The measured tags in each bin of COVERAGE_EDGES."""
    counts = [0] * (len(COVERAGE_EDGES) - 1)
    for kpi in ctx.kpis.values():
        if kpi.coverage is not None:
            counts[_bin(kpi.coverage)] += 1
    return counts


def _bin(value: float) -> int:
    for index, edge in enumerate(COVERAGE_EDGES[1:-1]):
        if value < edge:
            return index
    return len(COVERAGE_EDGES) - 2


def _admin_lists(ctx: Context) -> list[Section]:
    say = ctx.say
    return [
        Section("sparse", say("sec_sparse"), tables=[_sparse(ctx)]),
        Section("stale", say("sec_stale"), tables=[_stale(ctx)]),
        Section("domain", say("sec_domain"), tables=[_domain(ctx)]),
        Section("drift", say("sec_drift"), note=_drift_note(ctx), tables=[_drift(ctx)]),
        Section("no-data", say("sec_no_data"), tables=[_no_data(ctx)]),
        Section("ownerless", say("sec_ownerless"), tables=[_ownerless(ctx)]),
        Section("sunset", say("sec_sunset"), tables=[_past_sunset(ctx)]),
        redundancy(ctx),
    ]


def _coverage(ctx: Context) -> Field:
    return num(ctx.say("col_coverage"), lambda n: rate_cell(ctx, ctx.kpi(n).coverage))


def _sparse(ctx: Context) -> Table:
    say = ctx.say
    return alert_table(
        ctx,
        "low_coverage",
        [
            _coverage(ctx),
            num(say("col_min_coverage"), lambda n: rate_cell(ctx, ctx.min_coverage(n))),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
        ],
    )


def _stale(ctx: Context) -> Table:
    say = ctx.say
    return alert_table(
        ctx,
        "stale",
        [
            num(say("col_freshness"), lambda n: _age_cell(ctx, n)),
            text(
                say("col_refresh"),
                lambda n: Cell(say.refresh(ctx.tags[n].refresh) if n in ctx.tags else ""),
            ),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
        ],
    )


def _domain(ctx: Context) -> Table:
    say = ctx.say
    return alert_table(
        ctx,
        "domain_violations",
        [
            num(say("col_violations"), lambda n: count_cell(ctx, ctx.kpi(n).domain_violations)),
            num(
                say("col_violation_rate"),
                lambda n: rate_cell(ctx, ctx.kpi(n).domain_violation_rate),
            ),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
        ],
    )


def _drift(ctx: Context) -> Table:
    say = ctx.say
    return alert_table(
        ctx,
        "drift",
        [
            num(say("col_psi"), lambda n: Cell(say.number(ctx.kpi(n).psi, 3), ctx.kpi(n).psi)),
            _coverage(ctx),
        ],
    )


def alert_table(ctx: Context, code: str, fields: list[Field]) -> Table:
    """The tags carrying alert `code`, most severe first."""
    names = sorted(ctx.with_alert(code), key=lambda name: -level_rank(tag_level(ctx, name)))
    return tag_table(ctx, names, fields, search=ctx.say.alert(code))


def _age_cell(ctx: Context, name: str) -> Cell:
    hours = ctx.kpi(name).freshness_hours
    return Cell(ctx.say.age(hours), hours)


def _drift_note(ctx: Context) -> str:
    previous = ctx.run.previous_run
    if previous is None:
        return ctx.say("no_previous_run")
    when = iso(previous)[:16].replace("T", " ")
    return f"{ctx.say('psi_note')} {ctx.say('previous_run')} {when}."


def _no_data(ctx: Context) -> Table:
    say = ctx.say
    return alert_table(
        ctx,
        "no_data",
        [
            text(say("col_status"), lambda n: Cell(say.status(ctx.kpi(n).status or ""))),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
        ],
    )


def _ownerless(ctx: Context) -> Table:
    say = ctx.say
    names = [
        tag.name
        for tag in ctx.tags.values()
        if tag.status != "retired" and not (tag.business_owner and tag.data_owner)
    ]
    return tag_table(
        ctx,
        names,
        [
            text(say("col_business_owner"), lambda n: Cell(ctx.tags[n].business_owner or "–")),
            text(say("col_data_owner"), lambda n: Cell(ctx.tags[n].data_owner or "–")),
        ],
    )


def _past_sunset(ctx: Context) -> Table:
    say, today = ctx.say, ctx.as_of.date().isoformat()
    names = [
        tag.name
        for tag in ctx.tags.values()
        if tag.status == "deprecated" and tag.sunset and tag.sunset < today
    ]
    return tag_table(
        ctx,
        names,
        [
            text(say("col_sunset"), lambda n: Cell(ctx.tags[n].sunset, ctx.tags[n].sunset)),
            text(say("col_replaced_by"), lambda n: _tag_link(ctx.tags[n].replaced_by)),
            text(
                say("col_dependents"), lambda n: Cell(", ".join(ctx.dependents.get(n, ())) or "–")
            ),
        ],
    )


def _tag_link(name: str) -> Cell:
    return Cell(name, name, link=name) if name else Cell("–")


def cleanup(ctx: Context) -> Tab:
    say, s = ctx.say, ctx.settings
    tab = Tab("cleanup", say("tab_cleanup"))
    cold = list(ctx.catalog.cold)
    tab.cards = [Card(say("card_cold"), say.number(len(cold)), "warning" if cold else None)]
    rule = say(
        "cleanup_rule",
        coverage=say.percent(s.cold_max_coverage),
        uses=s.cold_max_uses,
        days=ctx.run.window_days,
    )
    table = tag_table(
        ctx,
        cold,
        [
            num(say("col_coverage"), lambda n: rate_cell(ctx, ctx.kpi(n).coverage)),
            num(say("col_events"), lambda n: count_cell(ctx, ctx.kpi(n).events)),
            text(say("col_owners"), lambda n: owners_cell(ctx, n)),
            text(
                say("col_dependents"), lambda n: Cell(", ".join(ctx.dependents.get(n, ())) or "–")
            ),
            text(say("col_command"), lambda n: Cell(deprecate_command(ctx, n), code=True)),
        ],
    )
    tab.sections = [Section("cold", say("sec_cleanup"), note=rule, tables=[table], wide=True)]
    return tab


def deprecate_command(ctx: Context, name: str) -> str:
    """The exact command that starts the deprecation of a cold tag."""
    reason = ctx.say(
        "cold_reason",
        coverage=f"{ctx.kpi(name).coverage or 0.0:.2%}",
        uses=ctx.kpi(name).events or 0,
        days=ctx.run.window_days,
    )
    return f"tagctl deprecate {shlex.quote(name)} --reason {shlex.quote(reason)}"
