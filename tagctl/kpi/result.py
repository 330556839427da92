"""The result of a KPI run: the JSON document of DESIGN.md section 7, typed.

Field names are the JSON keys; `document()` gives the JSON-ready mapping
that `schemas/kpi-result.schema.json` describes, and `from_document()` reads
one back (a saved run of the history, or a document of any older tagctl: a
key it lacks reads as None). A KPI that could not be computed is None
(null), never a made-up number; rates are fractions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tagctl.isotime import parse_instant
from tagctl.kpi.records import iso, plain, read_record, read_time
from tagctl.kpi.valueresult import Combination, Group, Roi, TagDriven

__all__ = [
    "Activation",
    "Alert",
    "AudienceQuality",
    "CatalogKpi",
    "Combination",
    "Conversion",
    "Coverage",
    "Group",
    "KpiRun",
    "Overlap",
    "Population",
    "Redundancy",
    "Roi",
    "RunSummary",
    "TagDriven",
    "TagKpi",
    "Usage",
    "ValueShare",
    "highest_level",
    "iso",
]

LEVELS = ("warning", "alert")
# The document's format: raised when a key changes meaning or goes away (new keys
# keep it). Named apart from `tagctl_version`, the program that wrote the document.
FORMAT_VERSION = 1


def highest_level(levels: Iterable[str | None]) -> str | None:
    """The highest of `levels`: "alert" over "warning"; None when there is none."""
    present = {level for level in levels if level is not None}
    return "alert" if "alert" in present else ("warning" if present else None)


@dataclass(frozen=True)
class Alert:
    code: str
    level: str  # warning | alert
    message: str

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Alert:
        return cls(data.get("code", ""), data.get("level", "alert"), data.get("message", ""))


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

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Usage:
        return read_record(
            cls,
            data,
            by_consumer_type=data.get("by_consumer_type") or {},
            by_department=data.get("by_department") or {},
            last_used=read_time(data.get("last_used")),
        )


@dataclass(frozen=True)
class Activation:
    campaigns: int
    members: int
    reached: int
    responded: int
    activation_rate: float | None
    response_rate: float | None


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
    conversion_cycle_days: float | None  # treatment's mean days to the first conversion
    control_cycle_days: float | None = None
    cycle_difference_days: float | None = None  # treatment minus control
    cycle_ci_low: float | None = None  # Welch's 95% interval of the difference
    cycle_ci_high: float | None = None

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Conversion:
        treatment, control = data.get("treatment") or {}, data.get("control") or {}
        return read_record(
            cls, data, treatment=read_record(Group, treatment), control=read_record(Group, control)
        )


@dataclass(frozen=True)
class AudienceQuality:
    """The holders against the population in the window: conversion, basket, repeat."""

    holders_converted: int
    holder_rate: float | None
    population_rate: float | None
    index: float | None
    holder_orders: int | None = None
    holder_aov: float | None = None
    population_aov: float | None = None
    aov_index: float | None = None
    holder_repeat_rate: float | None = None
    population_repeat_rate: float | None = None
    repeat_index: float | None = None


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
    roi: Roi | None = None  # None: no costs, or no campaign of the tag
    psi: float | None = None
    score: float | None = None
    alerts: list[Alert] = field(default_factory=list)
    redundant_with: list[str] | None = None  # None: redundancy not measured

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> TagKpi:
        """One tag's object of a document; a missing or null block reads as None."""
        values, usage, activation = data.get("values"), data.get("usage"), data.get("activation")
        conversion, quality = data.get("conversion"), data.get("audience_quality")
        return read_record(
            cls,
            data,
            **{key: data.get(key, "") for key in ("status", "category", "value_type", "tier")},
            values=None if values is None else [read_record(ValueShare, v) for v in values],
            last_updated=read_time(data.get("last_updated")),
            usage=Usage.read(usage) if usage else None,
            activation=read_record(Activation, activation) if activation else None,
            conversion=Conversion.read(conversion) if conversion else None,
            audience_quality=read_record(AudienceQuality, quality) if quality else None,
            roi=read_record(Roi, data["roi"]) if data.get("roi") else None,
            alerts=[Alert.read(alert) for alert in data.get("alerts") or ()],
        )

    def document(self) -> dict[str, Any]:
        """The tag's object of the JSON document."""
        document: dict[str, Any] = plain(dataclasses.asdict(self))
        return document

    def level(self) -> str | None:
        """The highest alert level of the tag, if any."""
        return highest_level(alert.level for alert in self.alerts)

    # Headline KPIs inside the blocks: None where the block is missing.

    @property
    def events(self) -> int | None:
        return None if self.usage is None else self.usage.events

    @property
    def consumers(self) -> int | None:
        return None if self.usage is None else self.usage.consumers

    @property
    def last_used(self) -> dt.datetime | None:
        return None if self.usage is None else self.usage.last_used

    @property
    def activation_rate(self) -> float | None:
        return None if self.activation is None else self.activation.activation_rate

    @property
    def absolute_lift(self) -> float | None:
        return None if self.conversion is None else self.conversion.absolute_lift

    @property
    def q_value(self) -> float | None:
        return None if self.conversion is None else self.conversion.q_value

    @property
    def significant(self) -> bool | None:
        return None if self.conversion is None else self.conversion.significant

    @property
    def audience_index(self) -> float | None:
        return None if self.audience_quality is None else self.audience_quality.index


@dataclass(frozen=True)
class Coverage:
    overall: float | None
    categories: Mapping[str, float | None]
    core_tags: int
    core_any: float | None
    core_all: float | None
    core_mean: float | None


@dataclass(frozen=True)
class Overlap:
    """Two holder sets (a tag's, or an enum value's) that are one audience; exact figures."""

    tags: list[str]  # [a, b]; for "contained", a is inside b
    values: list[str | None] | None  # an enum value of a, of b; None when both are whole tags
    holders: list[int]
    intersection: int
    jaccard: float
    phi: float | None
    a_in_b: float
    b_in_a: float
    kind: str  # duplicate | contained


@dataclass(frozen=True)
class Redundancy:
    rate: float | None  # online tags with a duplicate or inside another online tag
    pairs: list[Overlap]

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Redundancy:
        return cls(
            data.get("rate"), [read_record(Overlap, pair) for pair in data.get("pairs") or ()]
        )


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
    redundancy: Redundancy | None = None  # None: not measured
    tag_driven: TagDriven | None = None  # None: no campaigns or no conversions

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> CatalogKpi:
        coverage, redundancy = data.get("coverage") or {}, data.get("redundancy")
        driven = data.get("tag_driven")
        return read_record(
            cls,
            data,
            status=data.get("status") or {},
            coverage=read_record(Coverage, coverage, categories=coverage.get("categories") or {}),
            star=list(data.get("star") or ()),
            cold=list(data.get("cold") or ()),
            alerts=data.get("alerts") or {},
            redundancy=None if redundancy is None else Redundancy.read(redundancy),
            tag_driven=None if driven is None else TagDriven.read(driven),
        )


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
    # Every set of two or more tags that campaigns select with; None: no campaigns.
    combinations: list[Combination] | None = None
    format_version: int = FORMAT_VERSION  # first in `document()`

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> KpiRun:
        """The run of a JSON document as `document()` wrote it (times as ISO 8601 text).

        Reads documents of every format version 1 (a missing `format_version`
        is 1): a key an older tagctl did not write reads as None, or empty.
        """
        return read_record(
            cls,
            document,
            as_of=parse_instant(document["as_of"]),
            population=read_record(Population, document["population"]),
            catalog=CatalogKpi.read(document["catalog"]),
            tags={name: TagKpi.read(kpi) for name, kpi in document["tags"].items()},
            warehouse=document.get("warehouse") or {},
            notes=list(document.get("notes") or ()),
            tagctl_version=document.get("tagctl_version", ""),
            previous_run=read_time(document.get("previous_run")),
            combinations=_combinations(document.get("combinations")),
            format_version=document.get("format_version", FORMAT_VERSION),
        )

    def document(self) -> dict[str, Any]:
        """The JSON document (times as ISO 8601 text), `format_version` first."""
        document: dict[str, Any] = {"format_version": self.format_version}
        document.update(plain(dataclasses.asdict(self)))
        return document

    def level(self) -> str | None:
        """The highest alert level of any tag, if any."""
        return highest_level(kpi.level() for kpi in self.tags.values())


@dataclass(frozen=True)
class RunSummary:
    """What the history keeps of every saved run for the report's trends."""

    as_of: dt.datetime
    population: int
    catalog: CatalogKpi

    @classmethod
    def read(cls, row: Mapping[str, Any]) -> RunSummary:
        """A summary row of the history: `as_of` (a time or its text), `population`, `catalog`."""
        as_of = row["as_of"]
        if not isinstance(as_of, dt.datetime):
            as_of = parse_instant(as_of)
        return cls(as_of, row["population"], CatalogKpi.read(row["catalog"]))


def _combinations(data: Iterable[Mapping[str, Any]] | None) -> list[Combination] | None:
    return None if data is None else [Combination.read(item) for item in data]
