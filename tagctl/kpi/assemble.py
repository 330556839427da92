"""From what each KPI family found to the run's result: per-tag and catalog KPIs.

The families' modules decode their own rows (`population`, `coverage`,
`values` or `wide`, `usage`, `campaigns`); this module only combines those
decoded values: rates against the population, freshness, audience
quality, drift against the previous run, q-values across the tags, the
alert thresholds. Nothing here touches the warehouse or reads a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tagctl import __version__
from tagctl.catalog.tags import Tag
from tagctl.kpi import stats
from tagctl.kpi.alerts import catalog_summary, tag_alerts
from tagctl.kpi.coverage import CoverageCounts
from tagctl.kpi.freshness import freshness
from tagctl.kpi.plan import Plan, late_notes
from tagctl.kpi.pooled import NO_COSTS, CampaignsFound
from tagctl.kpi.population import Orders
from tagctl.kpi.redundancy_rules import Judged
from tagctl.kpi.result import Alert, AudienceQuality, KpiRun, Population, TagDriven, TagKpi
from tagctl.kpi.settings import KpiSettings
from tagctl.kpi.usage import UsageFound
from tagctl.kpi.valuesfound import TagValues

NO_VALUE, OTHER, INVALID = "(no value)", "(other)", "(invalid)"


@dataclass
class Found:
    """What the passes found, decoded by each family; None where a table was unavailable."""

    population: Population
    coverage: CoverageCounts
    values: Mapping[str, TagValues]  # by tag name; a tag absent was not found
    wide: bool = False  # the wide layout: no value distribution for string and date tags
    usage: UsageFound | None = None
    campaigns: CampaignsFound | None = None
    tag_driven: TagDriven | None = None  # None: no campaigns or no conversions
    late: Mapping[str, int] = field(default_factory=dict)  # table -> rows after as_of
    population_orders: Orders | None = None  # P's conversions in the window; None without
    redundancy: Judged | None = None  # None: not measured


@dataclass(frozen=True)
class Baseline:
    """The previous saved run's distributions, for drift: tag -> bucket -> users."""

    as_of: dt.datetime
    distributions: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def assemble(
    tags: Sequence[Tag],
    plan: Plan,
    settings: KpiSettings,
    found: Found,
    baseline: Baseline | None,
    notes: list[str],
    warehouse: Mapping[str, str],
) -> KpiRun:
    """The run's result from what the families found; the layout's notes join `notes`."""
    kpis = _tag_kpis(tags, plan, settings, found, baseline)
    if found.redundancy is not None:
        _redundant(kpis, plan, found.redundancy)
    if found.wide:
        notes.append("wide layout: string and date tags have no value distribution")
    notes += late_notes(found.late, plan.as_of)
    campaigned = found.campaigns
    if campaigned is not None and campaigned.conversions and campaigned.costs is None:
        notes.append(NO_COSTS)
    size = found.population.size
    usage_known = found.usage is not None
    return KpiRun(
        as_of=plan.as_of,
        window_days=plan.window_days,
        attribution_days=plan.attribution_days,
        population=found.population,
        catalog=replace(
            catalog_summary(tags, plan, kpis, found.coverage, size, settings, usage_known),
            redundancy=found.redundancy.redundancy if found.redundancy is not None else None,
            tag_driven=found.tag_driven,
        ),
        tags=kpis,
        warehouse=dict(warehouse),
        notes=notes,
        tagctl_version=__version__,
        previous_run=baseline.as_of if baseline is not None else None,
        combinations=campaigned.combinations(settings.min_sample) if campaigned else None,
    )


def _tag_kpis(
    tags: Sequence[Tag],
    plan: Plan,
    settings: KpiSettings,
    found: Found,
    baseline: Baseline | None,
) -> dict[str, TagKpi]:
    """The KPIs and alerts of every tag; only the measured ones have any."""
    measured = {tag.name for tag in plan.tags}
    kpis: dict[str, TagKpi] = {}
    for tag in tags:
        kpis[tag.name] = TagKpi(tag.status, tag.category, tag.value_type, tag.tier)
        if tag.name in measured:
            _measure(kpis[tag.name], tag, found, plan, settings, baseline)
    _q_values(kpis, settings.min_sample)
    for tag in tags:
        if tag.name in measured:
            kpis[tag.name].alerts = tag_alerts(tag, kpis[tag.name], settings)
    return kpis


def _measure(
    kpi: TagKpi,
    tag: Tag,
    found: Found,
    plan: Plan,
    settings: KpiSettings,
    baseline: Baseline | None,
) -> None:
    """Every KPI of one measured tag but its alerts and q-value."""
    _fill(kpi, tag, found.values.get(tag.name, TagValues()), found.population, plan, settings)
    if found.population_orders is not None and kpi.audience_quality is not None:
        kpi.audience_quality = _orders(
            kpi.audience_quality, found.values.get(tag.name, TagValues()), found.population_orders
        )
    kpi.usage = found.usage.of(tag.name) if found.usage is not None else None
    if found.campaigns is not None:
        kpi.activation = found.campaigns.activation(tag.name)
        kpi.conversion = found.campaigns.conversion(tag.name)
        kpi.roi = found.campaigns.tag_roi(tag.name)
    if baseline is not None:
        previous = baseline.distributions.get(tag.name)
        if previous:
            kpi.psi = stats.psi(previous, distribution(kpi, found.population.size))


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
    kpi: TagKpi, tag: Tag, found: TagValues, population: Population, plan: Plan, s: KpiSettings
) -> None:
    """The values, domain, freshness and audience KPIs of one tag."""
    kpi.holders = found.holders
    kpi.coverage = stats.rate(found.holders, population.size)
    if found.distributed:
        kpi.values = found.shares(tag)
        kpi.values_other = found.other
    kpi.domain_violations = found.violations
    kpi.domain_violation_rate = found.violation_rate()
    fresh = freshness(tag, found.updated, plan.as_of, s)
    kpi.last_updated, kpi.freshness_hours, kpi.stale = fresh.last_updated, fresh.hours, fresh.stale
    if population.converted is not None:
        kpi.audience_quality = _audience(found, population)


def _audience(found: TagValues, population: Population) -> AudienceQuality:
    """The holders' conversion rate against the population's."""
    holder_rate = stats.rate(found.converted, found.holders)
    index = (
        holder_rate / population.conversion_rate
        if holder_rate is not None and population.conversion_rate
        else None
    )
    return AudienceQuality(found.converted, holder_rate, population.conversion_rate, index)


def _orders(quality: AudienceQuality, found: TagValues, population: Orders) -> AudienceQuality:
    """The holders' basket and repeat purchases against the population's."""
    holders = found.orders
    return replace(
        quality,
        holder_orders=holders.orders,
        holder_aov=holders.average_order_value,
        population_aov=population.average_order_value,
        aov_index=_index(holders.average_order_value, population.average_order_value),
        holder_repeat_rate=holders.repeat_rate,
        population_repeat_rate=population.repeat_rate,
        repeat_index=_index(holders.repeat_rate, population.repeat_rate),
    )


def _index(part: float | None, whole: float | None) -> float | None:
    """`part / whole`, when both are known and the whole is positive."""
    return part / whole if part is not None and whole is not None and whole > 0 else None


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


def _redundant(kpis: Mapping[str, TagKpi], plan: Plan, judged: Judged) -> None:
    """Each measured tag's `redundant_with`, and the `redundant` alert of those that should go."""
    for tag in plan.tags:
        kpi = kpis[tag.name]
        kpi.redundant_with = judged.redundant_with.get(tag.name, [])
        if tag.name in judged.to_go:
            kpi.alerts.append(Alert("redundant", "warning", judged.to_go[tag.name]))
