"""One KPI run: choose the tags, probe the tables, run the passes, assemble.

`compute` reads the catalog and the warehouse and returns a `KpiRun`; it
neither prints nor saves (`tagctl.kpi.measure` adds the history around it,
for `tagctl kpi` and `tagctl report`). The statements and their decoding
are in `tagctl.kpi.passes`, the combination of what they found in
`tagctl.kpi.assemble`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag, load_tags
from tagctl.errors import UsageError
from tagctl.kpi.assemble import Baseline, assemble
from tagctl.kpi.database import Warehouse
from tagctl.kpi.passes import Progress, run_passes
from tagctl.kpi.plan import Plan
from tagctl.kpi.result import KpiRun
from tagctl.kpi.settings import (
    TABLES,
    KpiSettings,
    TableMap,
    kpi_settings,
    warehouse_settings,
)

MEASURED = ("development", "testing", "online", "deprecated")  # draft and retired have no data
STAGES = ("connect", "coverage", "values", "usage", "campaigns", "redundancy")


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
        found = run_passes(warehouse, probes, plan, step, notes, settings.redundancy)
        place = {"dialect": warehouse.dialect, "url": warehouse.where}  # secrets masked
    place["layout"] = store.tables["tag_values"].layout
    return assemble(chosen, plan, settings, found, baseline, notes, place)


def prepare(request: KpiRequest) -> tuple[list[Tag], Plan, KpiSettings, list[str]]:
    """The tags chosen, the plan of the run (before its dialect is known), settings, notes."""
    config = request.config
    settings = kpi_settings(config)
    if request.window_days is not None:
        settings = _with_window(settings, request.window_days)
    all_tags, skipped = load_tags(config)
    chosen = select_tags(all_tags, request.tags)
    measured = [tag for tag in chosen if tag.status in MEASURED]
    as_of = request.as_of or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    tag_values = table_maps(config, request.warehouse_url)["tag_values"]
    plan = Plan(
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
