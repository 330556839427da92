"""The result of a KPI run: the JSON document of DESIGN.md section 7, typed.

Field names are the JSON keys; `document()` gives the JSON-ready mapping
that `schemas/kpi-result.schema.json` describes. A KPI that could not be
computed is None (null), never a made-up number; rates are fractions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("warning", "alert")
# The document's format: raised when a key changes meaning or goes away (new keys
# keep it). Named apart from `tagctl_version`, the program that wrote the document.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Alert:
    code: str
    level: str  # warning | alert
    message: str


@dataclass(frozen=True)
class ValueShare:
    value: str
    holders: int
    share: float


@dataclass(frozen=True)
class Usage:
    events: int
    consumers: int
    by_consumer_type: Mapping[str, int]
    by_department: Mapping[str, int]
    last_used: dt.datetime | None


@dataclass(frozen=True)
class Activation:
    campaigns: int
    members: int
    reached: int
    responded: int
    activation_rate: float | None
    response_rate: float | None


@dataclass(frozen=True)
class Group:
    members: int
    converted: int
    rate: float | None


@dataclass(frozen=True)
class Conversion:
    campaigns: int
    treatment: Group
    control: Group
    absolute_lift: float | None
    relative_lift: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p_value: float | None
    q_value: float | None
    significant: bool
    orders: int
    average_order_value: float | None
    conversion_cycle_days: float | None


@dataclass(frozen=True)
class AudienceQuality:
    holders_converted: int
    holder_rate: float | None
    population_rate: float | None
    index: float | None


@dataclass
class TagKpi:
    status: str
    category: str
    value_type: str
    tier: str
    holders: int | None = None
    coverage: float | None = None
    values: list[ValueShare] | None = None
    values_other: int | None = None
    last_updated: dt.datetime | None = None
    freshness_hours: float | None = None
    stale: bool | None = None
    domain_violations: int | None = None
    domain_violation_rate: float | None = None
    usage: Usage | None = None
    activation: Activation | None = None
    conversion: Conversion | None = None
    audience_quality: AudienceQuality | None = None
    psi: float | None = None
    score: float | None = None
    alerts: list[Alert] = field(default_factory=list)

    def level(self) -> str | None:
        """The highest alert level of the tag, if any."""
        levels = {alert.level for alert in self.alerts}
        return "alert" if "alert" in levels else ("warning" if levels else None)


@dataclass(frozen=True)
class Coverage:
    overall: float | None
    categories: Mapping[str, float | None]
    core_tags: int
    core_any: float | None
    core_all: float | None
    core_mean: float | None


@dataclass(frozen=True)
class CatalogKpi:
    tags: int
    measured: int
    status: Mapping[str, int]
    coverage: Coverage
    usage_rate: float | None
    zombie: list[str] | None
    star: list[str]
    cold: list[str]
    alerts: Mapping[str, int]


@dataclass(frozen=True)
class Population:
    size: int
    definition: str  # all | active
    converted: int | None
    conversion_rate: float | None


@dataclass(frozen=True)
class KpiRun:
    as_of: dt.datetime
    window_days: int
    attribution_days: int
    population: Population
    catalog: CatalogKpi
    tags: Mapping[str, TagKpi]
    warehouse: Mapping[str, str]
    notes: list[str]
    tagctl_version: str
    previous_run: dt.datetime | None = None
    format_version: int = FORMAT_VERSION  # first in `document()`

    def document(self) -> dict[str, Any]:
        """The JSON document (times as ISO 8601 text), `format_version` first."""
        document: dict[str, Any] = {"format_version": self.format_version}
        document.update(_plain(dataclasses.asdict(self)))
        return document

    def level(self) -> str | None:
        levels = {kpi.level() for kpi in self.tags.values()}
        return "alert" if "alert" in levels else ("warning" if "warning" in levels else None)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float):
        return float(f"{value:.6g}")  # six significant digits: tiny p-values survive
    return value
