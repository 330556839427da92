"""The freshness KPI: how long ago each tag was last updated, and whether that is stale.

No statement of its own: the last update of a tag rides on the pass that
reads its rows anyway (`updated` of the values pass, `u_<i>` of the wide
statement), and reaches this module decoded, as `TagValues.updated`. A
tag is stale when that is longer ago than its `refresh` cadence allows,
times the `stale_tolerance` of its quality tier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tagctl.catalog.tags import REFRESH_HOURS, Tag
from tagctl.kpi.settings import KpiSettings


@dataclass(frozen=True)
class Freshness:
    """One tag's freshness; hours and stale are None when it has no dated row."""

    last_updated: dt.datetime | None = None
    hours: float | None = None
    stale: bool | None = None


def freshness(
    tag: Tag, updated: dt.datetime | None, as_of: dt.datetime, settings: KpiSettings
) -> Freshness:
    """The freshness of `tag` last updated at `updated`, measured at `as_of`."""
    if updated is None:
        return Freshness()
    hours = max((as_of - updated).total_seconds() / 3600, 0.0)
    budget = REFRESH_HOURS.get(tag.refresh)
    tolerance = settings.thresholds.for_tag(tag.quality).stale_tolerance
    return Freshness(updated, hours, budget is not None and hours > budget * tolerance)
