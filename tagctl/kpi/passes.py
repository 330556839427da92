"""The passes of a run: which statements it sends, in which order, and their rows decoded.

`statements` names every statement of a run (`--show-sql` prints them);
`run_passes` executes them, stage by stage, and hands each family's rows to
its decoder. A new KPI family adds its statements and its decoder here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.sql import Select

from tagctl.kpi import campaigns, coverage, population, usage, values, wide
from tagctl.kpi.assemble import Found
from tagctl.kpi.database import Probe, Warehouse
from tagctl.kpi.plan import Plan, Row
from tagctl.kpi.relations import Relation

Progress = Callable[[str], None]
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


def statements(probes: Mapping[str, Probe], plan: Plan, notes: list[str]) -> Named:
    """The KPI statements of a run, by name, in the order they run; nothing is executed."""
    relations = {name: probe.relation for name, probe in probes.items()}
    named = _tag_statements(relations, probes["tag_values"], plan, notes)
    tag_usage = relations["tag_usage"]
    if tag_usage is not None:
        named.append(("usage", usage.usage(tag_usage, plan)))
        named.append(("consumers", usage.consumers(tag_usage, plan)))
    links, members = relations["campaign_tags"], relations["campaign_members"]
    if links is not None and members is not None:
        touches, conversions = relations["touches"], relations["conversions"]
        statement = campaigns.campaigns(links, members, touches, conversions, plan)
        named.append(("campaigns", statement))
    return named


def _tag_statements(
    relations: Mapping[str, Relation | None], probe: Probe, plan: Plan, notes: list[str]
) -> Named:
    """The statements over tag_values: the wide one, or population, coverage and values."""
    users, tag_values = relations["users"], relations["tag_values"]
    assert users is not None and tag_values is not None  # required tables raise when absent
    conversions = relations["conversions"]
    if tag_values.wide:
        table, columns = wide.texts(tag_values, probe.columns, plan, notes)
        pop = population.population(users, conversions, plan)
        return [("wide", wide.wide(table, pop, plan, columns))]
    known = population.members(users, conversions, plan)
    pop = population.population(users, conversions, plan)
    named = [
        ("population", population.population_size(pop)),
        ("coverage", coverage.coverage(tag_values, known, plan)),
        ("values", values.values(tag_values, known, plan)),
    ]
    if not plan.unique:
        named.append(("holders", values.holders(tag_values, known, plan)))
    return named


def run_passes(
    warehouse: Warehouse,
    probes: Mapping[str, Probe],
    plan: Plan,
    step: Progress,
    notes: list[str],
) -> Found:
    """Run every statement of the run, stage by stage, and decode what they found."""
    named = statements(probes, plan, notes)
    found: dict[str, list[Row]] = {}
    step("coverage")
    for stage in ("values", "usage", "campaigns"):
        for name, statement in named:
            if STAGE_OF[name] == stage:
                found[name] = warehouse.run(name, statement)
        step(stage)
    conversions = probes["conversions"].relation is not None
    return decode(found, plan, conversions, probes["touches"].relation is not None)


def decode(found: Mapping[str, list[Row]], plan: Plan, conversions: bool, touches: bool) -> Found:
    """Each family's rows, by statement name, decoded by its family."""
    if "wide" in found:
        summary = size = found["wide"][0]
        by_layout = wide.decode_wide(plan, summary)
        tag_values, late = by_layout.values, by_layout.late
    else:
        size, summary = found["population"][0], found["coverage"][0]
        tag_values = values.decode_values(plan, found["values"], found.get("holders"))
        late = 0
    used = None
    if "usage" in found:
        used = usage.decode_usage(found["usage"], found.get("consumers"))
    campaigned = None
    if "campaigns" in found:
        campaigned = campaigns.CampaignsFound.decode(found["campaigns"], touches, conversions)
    return Found(
        population=population.decode_population(size, plan, conversions),
        coverage=coverage.CoverageCounts.decode(summary, plan),
        values=tag_values,
        wide="wide" in found,
        usage=used,
        campaigns=campaigned,
        late={"tag_values": late, "tag_usage": used.late if used is not None else 0},
    )
