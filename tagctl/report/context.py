"""Everything a view reads: the typed KPI run, the catalog, history, the language.

`Context` gives the views typed access to the run (a tag's KPIs, its alerts,
the catalog summary) so that they stay short; it computes nothing that the
run does not already hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.kpi.result import CatalogKpi, KpiRun, RunSummary, TagKpi
from tagctl.kpi.settings import KpiSettings
from tagctl.report.i18n import Language

UNMEASURED = TagKpi(status="", category="", value_type="", tier="")  # every KPI None


@dataclass
class Context:
    run: KpiRun
    tags: Mapping[str, Tag]  # the catalog's tags by name
    config: Config
    settings: KpiSettings
    say: Language
    top_n: int
    summaries: Sequence[RunSummary] = ()  # history: oldest first, the current run last
    coverage_trends: Mapping[str, Sequence[float | None]] = field(default_factory=dict)

    @property
    def kpis(self) -> Mapping[str, TagKpi]:
        return self.run.tags

    @property
    def catalog(self) -> CatalogKpi:
        return self.run.catalog

    @property
    def as_of(self) -> dt.datetime:
        return self.run.as_of

    def kpi(self, name: str) -> TagKpi:
        """The tag's KPIs; every one None when the run did not measure the tag."""
        return self.run.tags.get(name, UNMEASURED)

    @cached_property
    def dependents(self) -> Mapping[str, tuple[str, ...]]:
        """Tag name -> the tags whose `depends_on` names it."""
        found: dict[str, list[str]] = {}
        for tag in self.tags.values():
            for name in tag.depends_on:
                found.setdefault(name, []).append(tag.name)
        return {name: tuple(sorted(users)) for name, users in found.items()}

    @cached_property
    def names(self) -> list[str]:
        """Every tag of the run and of the catalog, sorted."""
        return sorted(set(self.kpis) | set(self.tags))

    def with_alert(self, code: str) -> list[str]:
        return [
            name
            for name, kpi in self.kpis.items()
            if any(alert.code == code for alert in kpi.alerts)
        ]

    def label(self, name: str) -> str:
        tag = self.tags.get(name)
        return tag.label(self.say.code) if tag else name

    def category(self, key: str) -> str:
        category = self.config.categories.get(key)
        if category is None:
            return key
        return (category.zh if self.say.code == "zh" else category.en) or key

    def owners(self, name: str) -> tuple[str, str]:
        """The tag's business and data owners ("" where unknown)."""
        tag = self.tags.get(name)
        return (tag.business_owner, tag.data_owner) if tag else ("", "")

    def min_coverage(self, name: str) -> float:
        tag = self.tags.get(name)
        return self.settings.thresholds.for_tag(tag.quality if tag else {}).min_coverage
