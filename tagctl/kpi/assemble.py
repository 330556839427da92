"""From the aggregates the warehouse returned to per-tag and catalog KPIs.

Only a handful of numbers per tag arrive here; this module divides them,
runs the statistics (lift, Benjamini-Hochberg, PSI) and applies the alert
thresholds. Nothing here touches the warehouse.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tagctl import __version__
from tagctl.catalog.tags import REFRESH_HOURS, Tag
from tagctl.kpi import stats
from tagctl.kpi.alerts import catalog_summary, tag_alerts
from tagctl.kpi.queries import Plan
from tagctl.kpi.relations import buckets
from tagctl.kpi.result import (
    Activation,
    AudienceQuality,
    Conversion,
    Group,
    KpiRun,
    Population,
    TagKpi,
    Usage,
    ValueShare,
)
from tagctl.kpi.settings import KpiSettings

NO_VALUE, OTHER, INVALID = "(no value)", "(other)", "(invalid)"
Row = Mapping[str, Any]


@dataclass
class Rows:
    """What the passes returned; None where a table was unavailable."""

    conversions: bool = False
    touches: bool = False
    coverage: Row | None = None
    values: list[Row] | None = None
    holders: list[Row] | None = None
    wide: Row | None = None
    usage: list[Row] | None = None
    consumers: list[Row] | None = None
    campaigns: list[Row] | None = None


@dataclass(frozen=True)
class Baseline:
    """The previous saved run's distributions, for drift: tag -> bucket -> users."""

    as_of: dt.datetime
    distributions: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass
class _Values:
    holders: int = 0
    converted: int = 0
    violations: int = 0
    valued: int = 0  # users with a non-empty value: holders and boolean junk
    other: int = 0
    buckets: dict[str, int] = field(default_factory=dict)
    updated: dt.datetime | None = None
    distributed: bool = True  # False: the layout gives no value distribution


def assemble(
    tags: Sequence[Tag],
    plan: Plan,
    settings: KpiSettings,
    rows: Rows,
    baseline: Baseline | None,
    notes: list[str],
    warehouse: Mapping[str, str],
) -> KpiRun:
    summary = rows.wide if rows.wide is not None else rows.coverage
    assert summary is not None
    size = int(summary["population"] or 0)
    converters = int(summary["converters"] or 0) if rows.conversions else None
    population = Population(
        size=size,
        definition="active" if plan.active_only else "all",
        converted=converters,
        conversion_rate=_rate(converters, size),
    )
    found = _wide_values(plan, rows.wide) if rows.wide is not None else _long_values(rows)
    usage = _usage(rows)
    campaigns = _campaigns(rows)
    measured = {tag.name for tag in plan.tags}
    kpis: dict[str, TagKpi] = {}
    for tag in tags:
        kpi = TagKpi(tag.status, tag.category, tag.value_type, tag.tier)
        if tag.name in measured:
            _fill(kpi, tag, found.get(tag.name, _Values()), population, plan, settings)
            kpi.usage = usage.get(tag.name, _unused()) if usage is not None else None
            _fill_campaigns(kpi, tag.name, campaigns, rows)
            if baseline is not None:
                previous = baseline.distributions.get(tag.name)
                if previous:
                    kpi.psi = stats.psi(previous, distribution(kpi, size))
        kpis[tag.name] = kpi
    _q_values(kpis, settings.min_sample)
    for tag in tags:
        if tag.name in measured:
            kpis[tag.name].alerts = tag_alerts(tag, kpis[tag.name], settings)
    if rows.wide is not None:
        notes.append("wide layout: string and date tags have no value distribution")
    notes += _late_notes(rows, plan.as_of)
    catalog = catalog_summary(tags, plan, kpis, summary, size, settings, usage is not None)
    return KpiRun(
        as_of=plan.as_of,
        window_days=plan.window_days,
        attribution_days=plan.attribution_days,
        population=population,
        catalog=catalog,
        tags=kpis,
        warehouse=dict(warehouse),
        notes=notes,
        tagctl_version=__version__,
        previous_run=baseline.as_of if baseline is not None else None,
    )


def _late_notes(rows: Rows, as_of: dt.datetime) -> list[str]:
    """How many rows were dated at or after as_of, and left out, where a pass counts them.

    The wide statement and the usage pass count them; the long layout's values
    pass only filters them (a count there would slow the largest pass).
    """
    counts = {
        "tag_values": int((rows.wide or {}).get("late") or 0),
        "tag_usage": sum(int(row.get("late") or 0) for row in rows.usage or ()),
    }
    moment = as_of.isoformat(timespec="seconds")
    return [
        f"{table}: {count} row{'s' if count != 1 else ''} of the measured tags dated at or"
        f" after as_of ({moment}) left out"
        for table, count in counts.items()
        if count
    ]


def distribution(kpi: TagKpi, population: int) -> dict[str, int]:
    """Users of P by bucket, with the no-value bucket: the basis of PSI.

    "(invalid)" is the same for every value type: users whose non-empty
    value is outside the domain. Other types count them among the holders
    (holders not in a value bucket); a boolean value other than true/false
    holds nothing, so there they are the tag's domain violations, and
    "(no value)" is everybody else without `true`.
    """
    result = {share.value: share.holders for share in kpi.values or ()}
    if kpi.values_other:
        result[OTHER] = kpi.values_other
    holders = kpi.holders or 0
    invalid = max(holders - sum(result.values()), 0)
    without = max(population - holders, 0)
    if kpi.value_type == "boolean":
        invalid = min(kpi.domain_violations or 0, without)
        without -= invalid
    if invalid:
        result[INVALID] = invalid
    result[NO_VALUE] = without
    return result


def _fill(
    kpi: TagKpi, tag: Tag, found: _Values, population: Population, plan: Plan, s: KpiSettings
) -> None:
    kpi.holders = found.holders
    kpi.coverage = _rate(found.holders, population.size)
    if found.distributed:
        kpi.values = [
            ValueShare(value, count, count / found.holders if found.holders else 0.0)
            for value, count in _ordered(tag, found.buckets)
        ]
        kpi.values_other = found.other
    kpi.domain_violations = found.violations
    kpi.domain_violation_rate = _rate(found.violations, found.valued or None)
    kpi.last_updated = found.updated
    if found.updated is not None:
        hours = max((plan.as_of - found.updated).total_seconds() / 3600, 0.0)
        kpi.freshness_hours = hours
        budget = REFRESH_HOURS.get(tag.refresh)
        tolerance = s.thresholds.for_tag(tag.quality).stale_tolerance
        kpi.stale = budget is not None and hours > budget * tolerance
    if population.converted is not None:
        holder_rate = _rate(found.converted, found.holders)
        index = (
            holder_rate / population.conversion_rate
            if holder_rate is not None and population.conversion_rate
            else None
        )
        kpi.audience_quality = AudienceQuality(
            found.converted, holder_rate, population.conversion_rate, index
        )


def _ordered(tag: Tag, found: Mapping[str, int]) -> list[tuple[str, int]]:
    """Buckets in their natural order: bins by edge, enum values as declared, else by size."""
    order = [bucket.label for bucket in buckets(tag)] or [value.value for value in tag.values]
    rank = {label: i for i, label in enumerate(order)}
    if order:
        return sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))


def _long_values(rows: Rows) -> dict[str, _Values]:
    found: dict[str, _Values] = defaultdict(_Values)
    for row in rows.values or ():
        entry = found[row["tag_name"]]
        count, updated = int(row["rows"] or 0), row["updated"]
        if not count:  # only rows after as_of: the group did not exist then
            continue
        if updated is not None and (entry.updated is None or updated > entry.updated):
            entry.updated = updated
        if row["violation"]:
            entry.violations += count
            if not row["holder"]:
                entry.valued += count  # a boolean neither true nor false
        if not row["holder"]:
            continue
        entry.holders += count
        entry.valued += count
        entry.converted += int(row["converted"] or 0)
        if row["violation"]:
            continue
        if row["other"] or row["bucket"] is None:
            entry.other += count
        else:
            entry.buckets[str(row["bucket"])] = count
    for row in rows.holders or ():  # exact distinct holders when rows may repeat
        entry = found[row["tag_name"]]
        entry.valued += int(row["holders"]) - entry.holders
        entry.holders, entry.converted = int(row["holders"]), int(row["converted"] or 0)
    return found


def _wide_values(plan: Plan, row: Row) -> dict[str, _Values]:
    found: dict[str, _Values] = {}
    for i, tag in enumerate(plan.tags):
        if f"h_{i}" not in row:
            continue
        entry = _Values(
            holders=int(row[f"h_{i}"] or 0),
            converted=int(row[f"c_{i}"] or 0),
            violations=int(row[f"v_{i}"] or 0),
            updated=row[f"u_{i}"],
            distributed=tag.value_type not in ("string", "date"),
        )
        junk = entry.violations if tag.value_type == "boolean" else 0  # never holders
        entry.valued = entry.holders + junk
        labels = [b.label for b in buckets(tag)] or [v.value for v in tag.values]
        for j, label in enumerate(labels):
            count = int(row.get(f"b_{i}_{j}") or 0)
            if count:
                entry.buckets[label] = count
        if tag.value_type == "boolean" and entry.holders:
            entry.buckets["true"] = entry.holders
        found[tag.name] = entry
    return found


def _unused() -> Usage:
    return Usage(0, 0, {}, {}, None)


def _usage(rows: Rows) -> dict[str, Usage] | None:
    if rows.usage is None:
        return None
    events: dict[str, int] = defaultdict(int)
    types: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    departments: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    last: dict[str, dt.datetime] = {}
    for row in rows.usage:
        name, count = row["tag_name"], int(row["events"] or 0)
        events[name] += count
        if count:
            types[name][str(row["consumer_type"])] += count
            departments[name][str(row["department"])] += count
        used = row["last_used"]
        if used is not None and (name not in last or used > last[name]):
            last[name] = used
    consumers = {row["tag_name"]: int(row["consumers"]) for row in rows.consumers or ()}
    return {
        name: Usage(
            events=events[name],
            consumers=consumers.get(name, 0),
            by_consumer_type=dict(sorted(types[name].items())),
            by_department=dict(sorted(departments[name].items())),
            last_used=last.get(name),
        )
        for name in events.keys() | last.keys()
    }


def _campaigns(rows: Rows) -> dict[str, dict[str, Row]]:
    by_tag: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in rows.campaigns or ():
        by_tag[row["tag_name"]][row["group_name"]] = row
    return by_tag


def _fill_campaigns(
    kpi: TagKpi, name: str, campaigns: Mapping[str, Mapping[str, Row]], rows: Rows
) -> None:
    if rows.campaigns is None:
        return
    treatment = campaigns.get(name, {}).get("treatment", {})
    control = campaigns.get(name, {}).get("control", {})
    members = _int(treatment, "members")
    if rows.touches:
        reached, responded = _int(treatment, "reached"), _int(treatment, "responded")
        kpi.activation = Activation(
            campaigns=_int(treatment, "campaigns"),
            members=members,
            reached=reached,
            responded=responded,
            activation_rate=_rate(reached, members),
            response_rate=_rate(responded, reached),
        )
    if rows.conversions:
        kpi.conversion = _conversion(treatment, control)


def _conversion(treatment: Row, control: Row) -> Conversion:
    n_t, x_t = _int(treatment, "members"), _int(treatment, "converted")
    n_c, x_c = _int(control, "members"), _int(control, "converted")
    result = stats.lift(x_t, n_t, x_c, n_c)
    orders = _int(treatment, "orders")
    amount = float(treatment.get("amount") or 0.0)
    cycle = float(treatment.get("cycle_seconds") or 0.0)
    return Conversion(
        campaigns=max(_int(treatment, "campaigns"), _int(control, "campaigns")),
        treatment=Group(n_t, x_t, _rate(x_t, n_t)),
        control=Group(n_c, x_c, _rate(x_c, n_c)),
        absolute_lift=result.absolute if result else None,
        relative_lift=result.relative if result else None,
        ci_low=result.ci_low if result else None,
        ci_high=result.ci_high if result else None,
        z=result.z if result else None,
        p_value=result.p_value if result else None,
        q_value=None,
        significant=False,
        orders=orders,
        average_order_value=amount / orders if orders else None,
        conversion_cycle_days=cycle / x_t / 86400 if x_t else None,
    )


def _q_values(kpis: Mapping[str, TagKpi], min_sample: int) -> None:
    """Benjamini-Hochberg across every tag tested in this run, then significance."""
    tested = [(name, kpi) for name, kpi in kpis.items() if kpi.conversion is not None]
    q = stats.benjamini_hochberg([kpi.conversion.p_value for _, kpi in tested if kpi.conversion])
    for (_, kpi), q_value in zip(tested, q, strict=True):
        c = kpi.conversion
        assert c is not None
        sizes = (c.treatment.members, c.control.members)
        kpi.conversion = replace(
            c, q_value=q_value, significant=stats.significant(q_value, sizes, min_sample)
        )


def _int(row: Mapping[str, Any], key: str) -> int:
    value = row.get(key)
    return int(value) if value is not None else 0


def _rate(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole
