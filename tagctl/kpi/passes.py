"""The passes of a run: which statements it sends, in which order, and their rows decoded.

`statements` names every statement of a run (`--show-sql` prints them);
`run_passes` executes them, stage by stage, and hands each family's rows to
its decoder. A new KPI family adds its statements and its decoder here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.sql import Select

from tagctl.errors import RuntimeFailure
from tagctl.kpi import (
    campaigns,
    coverage,
    pooled,
    population,
    redundancy,
    redundancy_wide,
    tagdriven,
    usage,
    values,
    valuesfound,
    wide,
)
from tagctl.kpi import redundancy_search as search
from tagctl.kpi.assemble import Found
from tagctl.kpi.database import Probe, Warehouse
from tagctl.kpi.plan import Plan, Row
from tagctl.kpi.redundancy import HolderSet
from tagctl.kpi.redundancy_rules import Judged, judge
from tagctl.kpi.relations import Relation
from tagctl.kpi.settings import RedundancySettings

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
    "campaign_links": "campaigns",
    "campaign_costs": "campaigns",
    "tag_driven": "campaigns",
    "tag_covered": "campaigns",
    "redundancy_candidates": "redundancy",
    "redundancy_exact": "redundancy",
}

# Statements that join large inputs of their own, run with hash joins only
# (see Warehouse.run_hash_joined): campaign members with their touches and
# conversions, the redundancy sample with the holder rows, P with the pairs.
HASH_JOINED = frozenset({"campaigns", "tag_driven", "redundancy_candidates", "redundancy_exact"})


def _run(warehouse: Warehouse, name: str, statement: Select[Any]) -> list[Row]:
    """Execute the statement `name`, hash-joined where HASH_JOINED says so."""
    run = warehouse.run_hash_joined if name in HASH_JOINED else warehouse.run
    return run(name, statement)


def statements(probes: Mapping[str, Probe], plan: Plan, notes: list[str]) -> Named:
    """The KPI statements of a run, by name, in the order they run; nothing is executed."""
    relations = {name: probe.relation for name, probe in probes.items()}
    named = _tag_statements(relations, probes["tag_values"], plan, notes)
    tag_usage = relations["tag_usage"]
    if tag_usage is not None:
        named.append(("usage", usage.usage(tag_usage, plan)))
        named.append(("consumers", usage.consumers(tag_usage, plan)))
    named += _campaign_statements(relations, plan)
    return named


def _campaign_statements(relations: Mapping[str, Relation | None], plan: Plan) -> Named:
    """Per campaign: its groups' sums, its tags, its cost; and the tag-driven sales."""
    links, members = relations["campaign_tags"], relations["campaign_members"]
    if links is None or members is None:
        return []
    touches, conversions = relations["touches"], relations["conversions"]
    named: Named = [
        ("campaigns", campaigns.campaigns(members, touches, conversions, plan)),
        ("campaign_links", campaigns.links(links)),
    ]
    if conversions is None:
        return named
    costs, users = relations["campaign_costs"], relations["users"]
    assert users is not None  # a required table
    if costs is not None:
        named.append(("campaign_costs", campaigns.costs(costs)))
    named.append(("tag_driven", tagdriven.driven(links, members, conversions, users, plan)))
    named.append(("tag_covered", tagdriven.covered(links, members, users, plan)))
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
    overlap: RedundancySettings | None = None,
) -> Found:
    """Run every statement of the run, stage by stage, and decode what they found.

    The redundancy statements come last: they sample by the sizes the values
    pass found, and count exactly the pairs the sample points to.
    """
    named = statements(probes, plan, notes)
    found: dict[str, list[Row]] = {}
    step("coverage")
    for stage in ("values", "usage", "campaigns"):
        for name, statement in named:
            if STAGE_OF[name] == stage:
                found[name] = _run(warehouse, name, statement)
        step(stage)
    conversions = probes["conversions"].relation is not None
    result = decode(found, plan, conversions, probes["touches"].relation is not None)
    if overlap is not None and overlap.enabled:
        result.redundancy = _redundancy(warehouse, probes, plan, result, notes, overlap)
    step("redundancy")
    return result


def redundancy_statements(
    probes: Mapping[str, Probe], plan: Plan, settings: RedundancySettings
) -> Named:
    """The redundancy pass's statements as --show-sql shows them: every holder sampled,
    and the exact count for the first sets of two tags (a run fills in both)."""
    overlap = _overlap_statements(probes, plan)
    sets = redundancy.holder_sets(plan)
    limits = {s.id: search.WHOLE for s in sets}
    named: Named = [
        ("redundancy_candidates", overlap.candidates(sets, limits, search.floor_share(settings)))
    ]
    other = next((s for s in sets if s.tag != sets[0].tag), None) if sets else None
    if other is not None:
        named.append(("redundancy_exact", overlap.exact(sets, [(sets[0].id, other.id)])))
    return named


@dataclass(frozen=True)
class OverlapStatements:
    """The redundancy pass's two statements, bound to this run's tables and layout."""

    candidates: Callable[[Sequence[HolderSet], Mapping[int, int], float], Select[Any]]
    exact: Callable[[Sequence[HolderSet], Sequence[tuple[int, int]]], Select[Any]]


def _overlap_statements(probes: Mapping[str, Probe], plan: Plan) -> OverlapStatements:
    users, tag_values = probes["users"].relation, probes["tag_values"].relation
    assert users is not None and tag_values is not None  # required tables raise when absent
    members = population.members(users, probes["conversions"].relation, plan)
    if not tag_values.wide:
        return OverlapStatements(
            partial(redundancy.candidates, tag_values, members, plan),
            partial(redundancy.exact_counts, tag_values, members, plan),
        )
    # The wide statement has noted the tags without a column already.
    texts, columns = wide.texts(tag_values, probes["tag_values"].columns, plan, [])
    return OverlapStatements(
        partial(redundancy_wide.candidates, texts, columns, members, plan),
        partial(redundancy_wide.exact_counts, texts, columns, members, plan),
    )


def _redundancy(
    warehouse: Warehouse,
    probes: Mapping[str, Probe],
    plan: Plan,
    found: Found,
    notes: list[str],
    settings: RedundancySettings,
) -> Judged | None:
    """The redundancy family: None, with a note, where it cannot be measured."""
    if not redundancy.supported(warehouse.dialect):
        notes.append(f"redundancy: no hash function known for {warehouse.dialect}; not measured")
        return None
    try:
        counted = _overlaps(warehouse, _overlap_statements(probes, plan), plan, found, settings)
    except RuntimeFailure as failure:  # e.g. a user id type the engine's hash does not take
        notes.append(f"redundancy: not measured: {failure.message}")
        return None
    sets = redundancy.holder_sets(plan)
    return judge(counted, sets, found.population.size, plan.tags, settings)


def _overlaps(
    warehouse: Warehouse,
    overlap: OverlapStatements,
    plan: Plan,
    found: Found,
    settings: RedundancySettings,
) -> list[dict[str, int]]:
    """The exact counts of the candidate pairs: (a, b, shared) rows, (a, a) the sizes."""
    sets = redundancy.holder_sets(plan)
    sizes = redundancy.sizes(sets, found.values)
    population = found.population.size
    limits = search.thresholds(sizes, population, settings)
    if not limits:
        return []
    statement = overlap.candidates(sets, limits, search.floor_share(settings))
    rows = _run(warehouse, "redundancy_candidates", statement)
    whole = frozenset(k for k, limit in limits.items() if limit == search.WHOLE)
    known = search.Sizes(sizes, population, whole)
    pairs = search.candidate_pairs(rows, sets, known, settings)
    counted: list[dict[str, int]] = []
    for start in range(0, len(pairs), redundancy.PAIRS_PER_STATEMENT):
        chunk = pairs[start : start + redundancy.PAIRS_PER_STATEMENT]
        statement = overlap.exact(sets, chunk)
        row = _run(warehouse, "redundancy_exact", statement)[0]  # P: a semi-join
        counted += redundancy.exact_rows(row, chunk)
    return counted


def decode(found: Mapping[str, list[Row]], plan: Plan, conversions: bool, touches: bool) -> Found:
    """Each family's rows, by statement name, decoded by its family."""
    if "wide" in found:
        summary = size = found["wide"][0]
        by_layout = wide.decode_wide(plan, summary)
        tag_values, late = by_layout.values, by_layout.late
    else:
        size, summary = found["population"][0], found["coverage"][0]
        tag_values = valuesfound.decode_values(plan, found["values"], found.get("holders"))
        late = 0
    used = None
    if "usage" in found:
        used = usage.decode_usage(found["usage"], found.get("consumers"))
    campaigned = driven = None
    people = population.decode_population(size, plan, conversions)
    if "campaigns" in found:
        campaigned = pooled.CampaignsFound.decode(
            found["campaigns"],
            found["campaign_links"],
            touches,
            conversions,
            found.get("campaign_costs"),
        )
    if "tag_driven" in found and campaigned is not None:
        roi = campaigned.roi(campaigned.linked())
        driven = tagdriven.decode_tag_driven(
            found["tag_driven"], found["tag_covered"], people.size, roi
        )
    bought = None
    if conversions:
        bought = population.Orders.decode(size, people.converted or 0, "p_")
    return Found(
        population=people,
        population_orders=bought,
        coverage=coverage.CoverageCounts.decode(summary, plan),
        values=tag_values,
        wide="wide" in found,
        usage=used,
        campaigns=campaigned,
        tag_driven=driven,
        late={"tag_values": late, "tag_usage": used.late if used is not None else 0},
    )
