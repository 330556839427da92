"""`tagctl export`: the whole dictionary for other systems.

`dictionary()` is the document of `--format json` (and, one row per tag,
of `--format csv`); `tagctl.explore.datahub` maps the same entries to
DataHub. The document carries no timestamp, so exporting an unchanged
catalog twice gives identical bytes and the export can live in git too.

    {
      "format": "tagctl-dictionary", "format_version": 1,
      "catalog": {"name": ..., "categories": [{"key", "zh", "en", "description"}]},
      "tags": [entry, ...]          # sorted by name; fields in records.entry order
    }
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.tags import Tag
from tagctl.explore.lookup import dependents
from tagctl.explore.records import entry

FORMAT = "tagctl-dictionary"
FORMAT_VERSION = 1  # new keys keep it; a key that changes meaning or goes away raises it


def entries(tags: Sequence[Tag], config: Config) -> list[dict[str, Any]]:
    """One `records.entry` per tag, by name."""
    downstream = dependents(tags)
    ordered = sorted(tags, key=lambda tag: tag.name)
    return [entry(tag, config, downstream.get(tag.name, ())) for tag in ordered]


def dictionary(tags: Sequence[Tag], config: Config) -> dict[str, Any]:
    categories = [
        {"key": c.key, "zh": c.zh, "en": c.en, "description": c.description or None}
        for c in config.categories.values()
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "catalog": {"name": config.name, "categories": categories},
        "tags": entries(tags, config),
    }
