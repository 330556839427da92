"""The headline of a KPI run: what a chat message says of it, before any wording.

How many tags are at each level (a tag counts at its highest level, as on
the report's cards), the worst few with their alerts, and where the report
is. The worst come first: tags at `alert` before tags at `warning`, then the
tags with more alerts at that level, then more alerts in all, then by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tagctl.isotime import PLACEHOLDER, stamps
from tagctl.kpi.result import Alert, KpiRun, TagKpi, iso

WORST = 5  # tags named in a message
ORDER = ("alert", "warning")  # the levels, highest first


@dataclass(frozen=True)
class Occasion:
    """A run to announce, and what the command knows of it."""

    run: KpiRun
    catalog: str  # the catalog's name
    command: str  # kpi | report
    lang: str  # zh | en
    run_id: str | None = None  # the id of the saved run, when it was saved
    report_path: Path | None = None  # the file `tagctl report` wrote


@dataclass(frozen=True)
class WorstTag:
    name: str
    level: str
    alerts: tuple[Alert, ...]  # alerts first, then warnings


@dataclass(frozen=True)
class Headline:
    catalog: str
    command: str
    lang: str
    as_of: str  # ISO 8601, as the KPI document writes it
    run_id: str | None
    level: str | None  # the run's highest: alert, warning, or None
    counts: Mapping[str, int]  # tags at each level, highest first
    measured: int  # tags measured
    worst: tuple[WorstTag, ...]
    more: int  # tags with alerts or warnings that `worst` leaves out
    report_url: str | None  # the report's public link
    report_path: str | None  # the file written


def headline(occasion: Occasion, report_url: str | None = None) -> Headline:
    """The headline of `occasion`; `report_url` is a channel's link template, filled in
    when the command wrote a report."""
    run = occasion.run
    as_of = iso(run.as_of)
    flagged = sorted(
        ((name, kpi) for name, kpi in run.tags.items() if kpi.level() is not None),
        key=lambda item: _severity(*item),
    )
    written = occasion.report_path
    return Headline(
        catalog=occasion.catalog,
        command=occasion.command,
        lang=occasion.lang,
        as_of=as_of,
        run_id=occasion.run_id,
        level=run.level(),
        counts={level: sum(kpi.level() == level for kpi in run.tags.values()) for level in ORDER},
        measured=len(run.tags),
        worst=tuple(_worst(name, kpi) for name, kpi in flagged[:WORST]),
        more=max(len(flagged) - WORST, 0),
        report_url=_link(report_url, as_of) if written is not None else None,
        report_path=str(written) if written is not None else None,
    )


def _severity(name: str, kpi: TagKpi) -> tuple[int, int, int, str]:
    level = kpi.level() or "warning"
    at_level = sum(alert.level == level for alert in kpi.alerts)
    return (ORDER.index(level), -at_level, -len(kpi.alerts), name)


def _worst(name: str, kpi: TagKpi) -> WorstTag:
    alerts = sorted(
        kpi.alerts, key=lambda alert: ORDER.index(alert.level) if alert.level in ORDER else 2
    )
    return WorstTag(name, kpi.level() or "warning", tuple(alerts))


def _link(template: str | None, as_of: str) -> str | None:
    if template is None:
        return None
    values = stamps(as_of)
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), template)
