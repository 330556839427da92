"""Alerts per tag, and the catalog's summary: coverage, usage rate, star and cold tags.

Alert codes are stable (the report translates them): `no_data`,
`low_coverage`, `high_coverage`, `stale`, `domain_violations`, `zombie`,
`drift`, `negative_lift`, and `redundant` (added by the redundancy family, see
`tagctl.kpi.redundancy`). Levels are `warning` and `alert`; `--fail-on`
compares against them.

Star score: `log10(1 + uses in the window) * (1 + relative lift)`, the lift
counting only when it is significant and positive. Stars are the top
`kpi.star.top_n` online tags by score among those used at least
`kpi.star.min_uses` times. Cold tags: online, coverage under
`kpi.cold.max_coverage`, and at most `kpi.cold.max_uses` uses in the window.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tagctl.catalog.tags import Tag
from tagctl.kpi.plan import Plan
from tagctl.kpi.result import LEVELS, Alert, CatalogKpi, Coverage, TagKpi
from tagctl.kpi.settings import KpiSettings

if TYPE_CHECKING:
    from tagctl.kpi.coverage import CoverageCounts


def tag_alerts(tag: Tag, kpi: TagKpi, settings: KpiSettings) -> list[Alert]:
    limits = settings.thresholds.for_tag(tag.quality)
    online = tag.status == "online"
    alerts: list[Alert] = []
    if not kpi.holders and kpi.last_updated is None:
        level = "alert" if online else "warning"
        alerts.append(Alert("no_data", level, "no rows in the warehouse"))
    elif kpi.coverage is not None:
        if online and kpi.coverage < limits.min_coverage:
            alerts.append(
                Alert(
                    "low_coverage",
                    "warning",
                    f"coverage {kpi.coverage:.2%} is under {limits.min_coverage:.2%}",
                )
            )
        if limits.max_coverage is not None and kpi.coverage > limits.max_coverage:
            alerts.append(
                Alert(
                    "high_coverage",
                    "warning",
                    f"coverage {kpi.coverage:.2%} is over {limits.max_coverage:.2%}",
                )
            )
    if kpi.stale:
        hours = kpi.freshness_hours or 0.0
        alerts.append(
            Alert("stale", "alert", f"last updated {hours:.0f} h ago; refresh is {tag.refresh}")
        )
    rate = kpi.domain_violation_rate
    if kpi.domain_violations and rate is not None and rate > limits.max_domain_violations:
        alerts.append(
            Alert(
                "domain_violations",
                "alert",
                f"{kpi.domain_violations} values ({rate:.2%}) outside the declared domain",
            )
        )
    if online and kpi.usage is not None and kpi.usage.events == 0:
        alerts.append(Alert("zombie", "warning", "online but unused in the window"))
    if kpi.psi is not None and kpi.psi >= limits.psi_warn:
        level = "alert" if kpi.psi >= limits.psi_alert else "warning"
        alerts.append(Alert("drift", level, f"PSI {kpi.psi:.3f} against the previous run"))
    lift = kpi.conversion
    if lift is not None and lift.significant and (lift.absolute_lift or 0.0) < 0:
        alerts.append(Alert("negative_lift", "warning", "campaigns convert worse than control"))
    return alerts


def star_score(kpi: TagKpi) -> float | None:
    if kpi.usage is None:
        return None
    boost = 0.0
    lift = kpi.conversion
    if lift is not None and lift.significant and (lift.relative_lift or 0.0) > 0:
        boost = lift.relative_lift or 0.0
    return math.log10(1 + kpi.usage.events) * (1 + boost)


def catalog_summary(
    tags: Sequence[Tag],
    plan: Plan,
    kpis: Mapping[str, TagKpi],
    counts: CoverageCounts,
    size: int,
    settings: KpiSettings,
    usage_known: bool,
) -> CatalogKpi:
    online = [tag for tag in plan.tags if tag.status == "online"]
    for tag in plan.tags:
        kpis[tag.name].score = star_score(kpis[tag.name])
    zombie = [t.name for t in online if (u := kpis[t.name].usage) is not None and u.events == 0]
    levels = Counter(alert.level for kpi in kpis.values() for alert in kpi.alerts)
    return CatalogKpi(
        tags=len(tags),
        measured=len(plan.tags),
        status=dict(sorted(Counter(tag.status for tag in tags).items())),
        coverage=_coverage(plan, kpis, counts, size),
        usage_rate=(1 - len(zombie) / len(online)) if usage_known and online else None,
        zombie=sorted(zombie) if usage_known else None,
        star=_stars(online, kpis, settings),
        cold=_cold(online, kpis, settings) if usage_known else [],
        alerts={level: levels.get(level, 0) for level in LEVELS},
    )


def _coverage(
    plan: Plan, kpis: Mapping[str, TagKpi], counts: CoverageCounts, size: int
) -> Coverage:
    def share(count: int) -> float | None:
        return count / size if size else None

    core = [t for t in plan.tags if t.core and t.status == "online"]
    covered = [c for t in core if (c := kpis[t.name].coverage) is not None]
    return Coverage(
        overall=share(counts.any_online),
        categories={
            key: share(n) for key, n in zip(plan.categories, counts.categories, strict=True)
        },
        core_tags=len(core),
        core_any=share(counts.core_any) if core else None,
        core_all=share(counts.core_all) if core else None,
        core_mean=sum(covered) / len(covered) if covered else None,
    )


def _stars(online: Sequence[Tag], kpis: Mapping[str, TagKpi], s: KpiSettings) -> list[str]:
    scored = [
        (kpi.score, tag.name)
        for tag in online
        if (kpi := kpis[tag.name]).score is not None
        and kpi.usage is not None
        and kpi.usage.events >= max(s.star_min_uses, 1)
    ]
    scored.sort(key=lambda item: (-(item[0] or 0.0), item[1]))
    return [name for _, name in scored[: s.star_top_n]]


def _cold(online: Sequence[Tag], kpis: Mapping[str, TagKpi], s: KpiSettings) -> list[str]:
    return sorted(
        tag.name
        for tag in online
        if (kpi := kpis[tag.name]).coverage is not None
        and kpi.coverage < s.cold_max_coverage
        and kpi.usage is not None
        and kpi.usage.events <= s.cold_max_uses
    )
