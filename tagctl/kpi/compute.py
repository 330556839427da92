"""One KPI run: choose the tags, probe the tables, run the passes, assemble.

`compute` is the library entry point of `tagctl kpi` and `tagctl report`.
It reads the catalog and the warehouse and returns a `KpiRun`; it neither
prints nor saves (see `tagctl.kpi.history`).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import String, case, cast, func, null, select
from sqlalchemy.sql import ColumnElement, Select

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.errors import UsageError
from tagctl.kpi import campaigns as campaign_queries
from tagctl.kpi import queries, wide
from tagctl.kpi.assemble import Baseline, Rows, assemble
from tagctl.kpi.database import Probe, Warehouse
from tagctl.kpi.relations import Relation, relation
from tagctl.kpi.result import KpiRun
from tagctl.kpi.settings import (
    TABLES,
    KpiSettings,
    TableMap,
    kpi_settings,
    warehouse_settings,
)
from tagctl.kpi.sqlparts import exact

MEASURED = ("development", "testing", "online", "deprecated")  # draft and retired have no data
STAGES = ("connect", "coverage", "values", "usage", "campaigns")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class KpiRequest:
    config: Config
    tags: Sequence[str] = ()
    as_of: dt.datetime | None = None
    window_days: int | None = None
    warehouse_url: str | None = None


def compute(
    request: KpiRequest, baseline: Baseline | None = None, progress: Progress | None = None
) -> KpiRun:
    """Compute every KPI of DESIGN.md section 6 for the requested tags."""
    chosen, plan, settings, notes = prepare(request)
    store = warehouse_settings(request.config, request.warehouse_url)
    active = settings.population == "active"
    step = progress or (lambda stage: None)
    with Warehouse(store) as warehouse:
        dialect = warehouse.dialect
        plan = plan.for_dialect(dialect)
        step("connect")
        probes = {
            name: warehouse.probe(store.tables[name], active and name == "users") for name in TABLES
        }
        notes += [probe.note for probe in probes.values() if probe.note]
        rows = _passes(warehouse, probes, plan, step, notes)
        place = {"dialect": warehouse.dialect, "url": warehouse.where}  # secrets masked
    place["layout"] = store.tables["tag_values"].layout
    return assemble(chosen, plan, settings, rows, baseline, notes, place)


def prepare(request: KpiRequest) -> tuple[list[Tag], queries.Plan, KpiSettings, list[str]]:
    """The tags chosen, the plan of the run (before its dialect is known), settings, notes."""
    config = request.config
    settings = kpi_settings(config)
    if request.window_days is not None:
        settings = _with_window(settings, request.window_days)
    all_tags, skipped = load_tags(config)
    chosen = select_tags(all_tags, request.tags)
    measured = [tag for tag in chosen if tag.status in MEASURED]
    as_of = request.as_of or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    tag_values = table_maps(config, request.warehouse_url)["tag_values"]
    plan = queries.Plan(
        tags=measured,
        categories=sorted({tag.category for tag in measured if tag.status == "online"}),
        as_of=as_of,
        window_days=settings.window_days,
        attribution_days=settings.attribution_days,
        active_only=settings.population == "active",
        unique=tag_values.unique,
        known_users=tag_values.known_users,
    )
    return chosen, plan, settings, [f"skipped {s.path}: {s.reason}" for s in skipped]


def table_maps(config: Config, url: str | None) -> Mapping[str, TableMap]:
    """The logical tables as mapped in tagctl.yaml; no warehouse URL is needed for them."""
    return warehouse_settings(config, url or "sqlite://").tables


def _with_window(settings: KpiSettings, days: int) -> KpiSettings:
    if days < 1:
        raise UsageError("--window must be at least 1 day")
    return replace(settings, window_days=days)


def select_tags(tags: Sequence[Tag], names: Sequence[str]) -> list[Tag]:
    """The tags named (all when none); an unknown name is a usage error."""
    if not names:
        return list(tags)
    by_name = {tag.name: tag for tag in tags}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        close = difflib.get_close_matches(unknown[0], by_name, n=1)
        hint = f"did you mean {close[0]}?" if close else "tagctl lint lists the catalog's tags"
        raise UsageError(f"unknown tag: {', '.join(unknown)}", hint=hint)
    return [by_name[name] for name in dict.fromkeys(names)]


Named = list[tuple[str, Select[Any]]]
# The progress stage each statement belongs to, in the order they run.
STAGE_OF = {
    "wide": "values",
    "population": "values",
    "coverage": "values",
    "values": "values",
    "holders": "values",
    "usage": "usage",
    "consumers": "usage",
    "campaigns": "campaigns",
}


def statements(probes: Mapping[str, Probe], plan: queries.Plan, notes: list[str]) -> Named:
    """The KPI statements of a run, by name, in the order they run; nothing is executed."""

    def rel(name: str) -> Relation | None:
        return probes[name].relation

    users, tag_values = rel("users"), rel("tag_values")
    assert users is not None and tag_values is not None  # required tables raise when absent
    named: Named = []
    if tag_values.wide:
        table, columns = _wide(tag_values, probes["tag_values"], plan, notes)
        pop = queries.population(users, rel("conversions"), plan)
        late = func.sum(queries.flag(queries.after(table["updated_at"], plan))).label("late")
        named.append(("wide", wide.wide(table, pop, plan, columns).add_columns(late)))
    else:
        known = queries.members(users, rel("conversions"), plan)
        pop = queries.population(users, rel("conversions"), plan)
        named.append(("population", queries.population_size(pop)))
        named.append(("coverage", queries.coverage(tag_values, known, plan)))
        named.append(("values", queries.values(tag_values, known, plan)))
        if not plan.unique:
            named.append(("holders", queries.holders(tag_values, known, plan)))
    usage = rel("tag_usage")
    if usage is not None:
        named.append(("usage", queries.usage(usage, plan)))
        named.append(("consumers", queries.consumers(usage, plan)))
    links, members = rel("campaign_tags"), rel("campaign_members")
    if links is not None and members is not None:
        statement = campaign_queries.campaigns(
            links, members, rel("touches"), rel("conversions"), plan
        )
        named.append(("campaigns", statement))
    return named


def _passes(
    warehouse: Warehouse,
    probes: Mapping[str, Probe],
    plan: queries.Plan,
    step: Progress,
    notes: list[str],
) -> Rows:
    named = statements(probes, plan, notes)
    rows = Rows(conversions=probes["conversions"].relation is not None)
    rows.touches = probes["touches"].relation is not None
    found: dict[str, list[Mapping[str, Any]]] = {}
    step("coverage")
    for stage in ("values", "usage", "campaigns"):
        for name, statement in named:
            if STAGE_OF[name] == stage:
                found[name] = warehouse.run(name, statement)
        step(stage)
    if "wide" in found:
        rows.wide = found["wide"][0]
    else:
        rows.coverage = {**found["population"][0], **found["coverage"][0]}
        rows.values = [
            {**row, "tag_name": plan.tags[row["tag_id"]].name} for row in found["values"]
        ]
        rows.holders = found.get("holders")
    rows.usage, rows.consumers = found.get("usage"), found.get("consumers")
    rows.campaigns = found.get("campaigns")
    return rows


def _wide(
    tag_values: Relation, probe: Probe, plan: queries.Plan, notes: list[str]
) -> tuple[Relation, dict[str, ColumnElement[Any]]]:
    """The wide table with each measured tag's column, as text; tags without one are noted."""
    present = [tag.name for tag in plan.tags if tag.name in probe.columns]
    missing = [tag.name for tag in plan.tags if tag.name not in probe.columns]
    if missing:
        notes.append(f"no column in {tag_values.map.physical} for: {', '.join(missing)}")
    table = relation(tag_values.map, extra=present)
    # A row updated at or after as_of holds values that did not exist then: no values at all.
    # Each column becomes text once, in a subquery: the aggregates name it many times, and
    # an engine that repeats the expression for each mention (PostgreSQL) slowed tenfold.
    late = queries.after(table["updated_at"], plan)
    if plan.texts_inline:
        return table, {
            name: exact(case((late, null()), else_=cast(table.table.c[name], String())))
            for name in present
        }
    keys = [table.map.column(name) for name in ("user_id", "updated_at")]
    texts = select(
        *(table.table.c[key] for key in keys),
        *(
            exact(case((late, null()), else_=cast(table.table.c[name], String()))).label(name)
            for name in present
        ),
    ).subquery("tag_texts")
    return Relation(table.map, texts), {name: texts.c[name] for name in present}
