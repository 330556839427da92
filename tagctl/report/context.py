"""Everything a view reads: the KPI document, the catalog, history, the language.

`Context` gives the views typed access to the document (a tag's KPIs, its
alerts, the catalog summary) so that they stay short; it computes nothing
that the document does not already hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.kpi.settings import KpiSettings
from tagctl.report.i18n import Language


@dataclass
class Context:
    document: Mapping[str, Any]
    tags: Mapping[str, Tag]  # the catalog's tags by name
    config: Config
    settings: KpiSettings
    say: Language
    top_n: int
    summaries: Sequence[Mapping[str, Any]] = ()  # history: oldest first, the current run last
    coverage_trends: Mapping[str, Sequence[float | None]] = field(default_factory=dict)

    @property
    def kpis(self) -> Mapping[str, Mapping[str, Any]]:
        tags: Mapping[str, Mapping[str, Any]] = self.document["tags"]
        return tags

    @property
    def catalog(self) -> Mapping[str, Any]:
        catalog: Mapping[str, Any] = self.document["catalog"]
        return catalog

    @cached_property
    def as_of(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.document["as_of"])

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
        """Every tag of the document and of the catalog, sorted."""
        return sorted(set(self.kpis) | set(self.tags))

    def with_alert(self, code: str) -> list[str]:
        return [
            name
            for name, kpi in self.kpis.items()
            if any(alert["code"] == code for alert in kpi.get("alerts", ()))
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


def dig(mapping: Mapping[str, Any] | None, *keys: str) -> Any:
    """`mapping[k1][k2]...`, or None where any step is missing or null.

    The document is parsed JSON, so a step is a `dict` (checked as such: the
    abstract `Mapping` check costs a tenth of a second per 10,000 tags).
    """
    value: Any = mapping
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def level_of(alerts: Iterable[Mapping[str, Any]]) -> str | None:
    """The highest level among `alerts` (document alert objects), if any."""
    levels = {alert["level"] for alert in alerts}
    return "alert" if "alert" in levels else ("warning" if levels else None)
