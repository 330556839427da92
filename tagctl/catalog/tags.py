"""The tags of a catalog as typed, read-only records.

Lint works on files and their problems; everything else (KPIs, the report,
the explore commands) wants the tags themselves. `load_tags` reads every tag
file that parses into a mapping with a name and skips the rest, listing the
skipped files so that a caller can say why a tag is missing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tagctl.catalog.config import Config
from tagctl.catalog.discovery import discover
from tagctl.catalog.reader import read_source

# How old a tag's newest value may be, by `refresh` (DESIGN.md section 6); manual: no limit.
REFRESH_HOURS: Mapping[str, float] = MappingProxyType(
    {"realtime": 1, "hourly": 2, "daily": 36, "weekly": 8 * 24, "monthly": 32 * 24}
)


@dataclass(frozen=True)
class Value:
    """One allowed value of an enum tag, with its labels."""

    value: str
    zh: str = ""
    en: str = ""
    description: str = ""
    integer: bool = False  # written as a YAML integer (`value: 1`), not as text


@dataclass(frozen=True)
class Change:
    """One changelog entry."""

    version: str
    date: str
    change: str
    by: str = ""


@dataclass(frozen=True)
class Tag:
    name: str
    path: Path
    version: str
    zh: str
    en: str
    type: str
    category: str
    status: str
    value_type: str
    refresh: str
    values: tuple[Value, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    bins: tuple[float, ...] = ()
    window: str = ""
    tier: str = "standard"
    sensitivity: str = "internal"
    business_owner: str = ""
    data_owner: str = ""
    depends_on: tuple[str, ...] = ()
    quality: Mapping[str, float] = field(default_factory=dict)
    replaced_by: str = ""
    sunset: str = ""
    description: str = ""
    logic: str = ""
    source_system: str = ""
    source_tables: tuple[str, ...] = ()
    deprecation_reason: str = ""
    granularity: str = "user"
    creator: str = ""
    deprecated_at: str = ""
    deprecated_by: str = ""
    renamed_from: str = ""
    changelog: tuple[Change, ...] = ()

    @property
    def core(self) -> bool:
        return self.tier == "core"

    def label(self, lang: str) -> str:
        return (self.zh if lang == "zh" else self.en) or self.name


@dataclass(frozen=True)
class Skipped:
    """A tag file that could not be read as a tag."""

    path: Path
    reason: str


def load_tags(config: Config) -> tuple[list[Tag], list[Skipped]]:
    """Every readable tag of the catalog, sorted by name, and the files skipped."""
    tags: dict[str, Tag] = {}
    skipped: list[Skipped] = []
    files = discover(config.tags_dir, config.root)
    for path, data, problem in _read_all([Path(file) for file in files]):
        tag = _tag(path, data) if problem is None else None
        if problem is not None:
            skipped.append(Skipped(path, problem))
        elif tag is None:
            skipped.append(Skipped(path, "no name, status or value_type"))
        elif tag.name in tags:
            skipped.append(Skipped(path, f"a second tag named {tag.name}"))
        else:
            tags[tag.name] = tag
    return [tags[name] for name in sorted(tags)], skipped


PARALLEL_FROM = 1000  # files; below this, forking costs more than it saves
Read = tuple[Path, dict[str, Any], str | None]  # path, data, why it is not a tag file


def _read_all(paths: list[Path]) -> list[Read]:
    """Read and parse `paths`, in forked processes for a large catalog."""
    processes = min(os.cpu_count() or 1, 4)
    if len(paths) < PARALLEL_FROM or processes < 2 or not hasattr(os, "fork"):
        return [_read(path) for path in paths]
    # lazy: only a large catalog is read in parallel
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(_read, paths, chunksize=max(64, len(paths) // (processes * 4)))


def _read(path: Path) -> Read:
    source = read_source(path)
    problem = source.unreadable or source.not_utf8 or source.syntax_error
    if problem is not None:
        return path, {}, problem.message
    if not isinstance(source.data, dict):
        return path, {}, "not a mapping"
    return path, source.data, None


def _tag(path: Path, data: Mapping[str, Any]) -> Tag | None:
    name, status, value_type = _text(data, "name"), _text(data, "status"), _text(data, "value_type")
    if not (name and status and value_type):
        return None
    labels = _mapping(data, "display_name")
    owners = _mapping(data, "owners")
    bounds = _mapping(data, "range")
    deprecation = _mapping(data, "deprecation")
    source = _mapping(data, "source")
    quality = {
        key: float(value)
        for key, value in _mapping(data, "quality").items()
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }
    return Tag(
        name=name,
        path=path,
        version=_text(data, "version"),
        zh=_text(labels, "zh"),
        en=_text(labels, "en"),
        type=_text(data, "type"),
        category=_text(data, "category"),
        status=status,
        value_type=value_type,
        refresh=_text(data, "refresh") or "manual",
        values=tuple(_values(data.get("values"))),
        minimum=_number(bounds.get("min")),
        maximum=_number(bounds.get("max")),
        bins=tuple(float(edge) for edge in _list(data.get("bins")) if _number(edge) is not None),
        window=_text(data, "window"),
        tier=_text(data, "tier") or "standard",
        sensitivity=_text(data, "sensitivity") or "internal",
        business_owner=_text(owners, "business"),
        data_owner=_text(owners, "data"),
        depends_on=tuple(str(item) for item in _list(data.get("depends_on"))),
        quality=MappingProxyType(quality),
        replaced_by=_text(deprecation, "replaced_by"),
        sunset=_text(deprecation, "sunset"),
        description=_text(data, "description"),
        logic=_text(data, "logic"),
        source_system=_text(source, "system"),
        source_tables=tuple(str(item) for item in _list(source.get("tables"))),
        deprecation_reason=_text(deprecation, "reason"),
        granularity=_text(data, "granularity") or "user",
        creator=_text(owners, "creator"),
        deprecated_at=_text(deprecation, "deprecated_at"),
        deprecated_by=_text(deprecation, "deprecated_by"),
        renamed_from=_text(data, "renamed_from"),
        changelog=tuple(_changes(data.get("changelog"))),
    )


def _values(items: object) -> list[Value]:
    values = []
    for item in _list(items):
        if isinstance(item, dict) and isinstance(item.get("value"), (str, int)):
            label = _mapping(item, "label")
            value, text = item["value"], _text(item, "description")
            integer = isinstance(value, int) and not isinstance(value, bool)
            values.append(Value(str(value), _text(label, "zh"), _text(label, "en"), text, integer))
    return values


def _changes(items: object) -> list[Change]:
    return [
        Change(
            _text(item, "version"), _text(item, "date"), _text(item, "change"), _text(item, "by")
        )
        for item in _list(items)
        if isinstance(item, dict)
    ]


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value)


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
