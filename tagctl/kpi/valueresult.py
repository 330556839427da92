"""The KPI document's campaign records: groups, returns, combinations, tag-driven sales."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tagctl.kpi.records import read_record


@dataclass(frozen=True)
class Group:
    members: int
    converted: int
    rate: float | None


@dataclass(frozen=True)
class Roi:
    """Attributed incremental revenue over the cost of a set of campaigns."""

    cost: float | None
    incremental_revenue: float | None
    roi: float | None


@dataclass(frozen=True)
class Combination:
    """The campaigns that select with exactly these tags (two or more), pooled."""

    tags: list[str]
    campaigns: int
    members: int
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
    roi: Roi | None = None

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Combination:
        treatment, control, roi = (
            data.get("treatment") or {},
            data.get("control") or {},
            data.get("roi"),
        )
        return read_record(
            cls,
            data,
            tags=list(data.get("tags") or ()),
            treatment=read_record(Group, treatment),
            control=read_record(Group, control),
            roi=read_record(Roi, roi) if roi else None,
        )


@dataclass(frozen=True)
class TagDriven:
    """Conversions attributed to the treatment groups of tag-linked campaigns, and their reach."""

    conversions: int
    amount: float
    total_conversions: int
    total_amount: float
    conversion_share: float | None
    amount_share: float | None
    covered_users: int
    covered_share: float | None
    roi: Roi | None = None

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> TagDriven:
        roi = data.get("roi")
        return read_record(cls, data, roi=read_record(Roi, roi) if roi else None)
