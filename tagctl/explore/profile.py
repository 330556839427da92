"""`tagctl show`: one tag's definition, its dependents, and its KPIs from history.

The KPIs are those of the latest run saved with `tagctl kpi --save`, and the
trend is the tag's coverage over the saved runs, oldest first. A catalog
with no history, or a history store that cannot be read, still shows the
definition: `history_note` says why there are no KPIs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from tagctl.catalog.config import Category, Config
from tagctl.catalog.tags import Tag
from tagctl.errors import TagctlError
from tagctl.explore.lookup import dependents, find_tag
from tagctl.kpi.result import TagKpi, iso

TREND_RUNS = 12


@dataclass(frozen=True)
class TrendPoint:
    as_of: dt.datetime
    coverage: float | None
    holders: int | None


@dataclass(frozen=True)
class Profile:
    tag: Tag
    category: Category | None
    dependents: tuple[str, ...]
    latest: TagKpi | None = None  # the tag's KPIs in the latest saved run
    measured_as_of: str | None = None
    window_days: int | None = None
    trend: tuple[TrendPoint, ...] = ()
    history_note: str = ""

    @property
    def kpis(self) -> dict[str, Any] | None:
        """`latest` as the run's JSON document holds it (`tagctl show --format json`)."""
        return None if self.latest is None else self.latest.document()


def profile(config: Config, tags: Sequence[Tag], name: str, history: bool = True) -> Profile:
    """The profile of `name`; an unknown name is a usage error with a suggestion."""
    tag = find_tag(tags, name)
    base = Profile(tag, config.categories.get(tag.category), dependents(tags).get(name, ()))
    if not history:
        return base
    try:
        return _with_history(config, base)
    except TagctlError as error:
        return replace(base, history_note=f"KPI history unavailable: {error}")


def _with_history(config: Config, base: Profile) -> Profile:
    # lazy: sqlalchemy costs 0.3 s, which `tagctl show --no-history` does without
    from tagctl.kpi.history import open_history
    from tagctl.kpi.settings import history_settings  # lazy: as open_history

    store = history_settings(config)
    with open_history(store.url) as history:
        run = history.run()
        rows = history.trends(TREND_RUNS) if run is not None else []
    if run is None:
        return replace(base, history_note="no KPI history yet: tagctl kpi --save records a run")
    latest = run.tags.get(base.tag.name)
    trend = tuple(
        TrendPoint(row["as_of"], row["coverage"], row["holders"])
        for row in rows
        if row["tag_name"] == base.tag.name
    )
    note = "" if latest is not None else "the latest saved run did not measure this tag"
    return replace(
        base,
        latest=latest,
        measured_as_of=iso(run.as_of),
        window_days=run.window_days,
        trend=trend,
        history_note=note,
    )
