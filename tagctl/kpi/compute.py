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

from sqlalchemy import String, cast
from sqlalchemy.sql import ColumnElement

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.errors import UsageError
from tagctl.kpi import campaigns as campaign_queries
from tagctl.kpi import queries, wide
from tagctl.kpi.assemble import Baseline, Rows, assemble
from tagctl.kpi.database import Probe, Warehouse
from tagctl.kpi.relations import Relation, relation
from tagctl.kpi.result import KpiRun
from tagctl.kpi.settings import TABLES, KpiSettings, kpi_settings, warehouse_settings
from tagctl.kpi.sqlparts import BITS_DIALECTS, VALUES_DIALECTS, exact

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
    config = request.config
    settings = kpi_settings(config)
    if request.window_days is not None:
        settings = _with_window(settings, request.window_days)
    all_tags, skipped = load_tags(config)
    chosen = select_tags(all_tags, request.tags)
    measured = [tag for tag in chosen if tag.status in MEASURED]
    as_of = request.as_of or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    store = warehouse_settings(config, request.warehouse_url)
    active = settings.population == "active"
    plan = queries.Plan(
        tags=measured,
        categories=sorted({tag.category for tag in measured if tag.status == "online"}),
        as_of=as_of,
        window_days=settings.window_days,
        attribution_days=settings.attribution_days,
        active_only=active,
        unique=store.tables["tag_values"].unique,
        known_users=store.tables["tag_values"].known_users,
    )
    step = progress or (lambda stage: None)
    notes = [f"skipped {s.path}: {s.reason}" for s in skipped]
    with Warehouse(store) as warehouse:
        dialect = warehouse.dialect
        plan = replace(plan, row_values=dialect in VALUES_DIALECTS, bits=dialect in BITS_DIALECTS)
        step("connect")
        probes = {
            name: warehouse.probe(store.tables[name], active and name == "users") for name in TABLES
        }
        notes += [probe.note for probe in probes.values() if probe.note]
        rows = _passes(warehouse, probes, plan, step, notes)
        place = {"dialect": warehouse.dialect, "url": warehouse.where}  # secrets masked
    place["layout"] = store.tables["tag_values"].layout
    return assemble(chosen, plan, settings, rows, baseline, notes, place)


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


def _passes(
    warehouse: Warehouse,
    probes: Mapping[str, Probe],
    plan: queries.Plan,
    step: Progress,
    notes: list[str],
) -> Rows:
    def rel(name: str) -> Relation | None:
        return probes[name].relation

    users, tag_values = rel("users"), rel("tag_values")
    assert users is not None and tag_values is not None  # required tables raise when absent
    pop = queries.population(users, rel("conversions"), plan)
    rows = Rows(conversions=rel("conversions") is not None)
    step("coverage")
    if tag_values.wide:
        table, columns = _wide(tag_values, probes["tag_values"], plan, notes)
        rows.wide = warehouse.run("wide", wide.wide(table, pop, plan, columns))[0]
    else:
        known = queries.members(users, rel("conversions"), plan)
        sizes = warehouse.run("population", queries.population_size(pop))[0]
        held = warehouse.run("coverage", queries.coverage(tag_values, known, plan))[0]
        rows.coverage = {**sizes, **held}
        values = warehouse.run("values", queries.values(tag_values, known, plan))
        rows.values = [{**row, "tag_name": plan.tags[row["tag_id"]].name} for row in values]
        if not plan.unique:
            rows.holders = warehouse.run("holders", queries.holders(tag_values, known, plan))
    step("values")
    usage = rel("tag_usage")
    if usage is not None:
        rows.usage = warehouse.run("usage", queries.usage(usage, plan))
        rows.consumers = warehouse.run("consumers", queries.consumers(usage, plan))
    step("usage")
    links, members = rel("campaign_tags"), rel("campaign_members")
    if links is not None and members is not None:
        statement = campaign_queries.campaigns(
            links, members, rel("touches"), rel("conversions"), plan
        )
        rows.campaigns = warehouse.run("campaigns", statement)
        rows.touches = rel("touches") is not None
    step("campaigns")
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
    return table, {name: exact(cast(table.table.c[name], String())) for name in present}
