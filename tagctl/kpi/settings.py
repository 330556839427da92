"""Typed settings of the `kpi`, `warehouse` and `history` sections of tagctl.yaml.

The schema has already checked the shapes; this module turns the merged
mappings into frozen records and resolves URLs: `TAGCTL_WAREHOUSE_URL`
overrides `warehouse.url`, a `--warehouse` flag overrides both, `${VAR}` is
read from the environment, and a relative DuckDB or SQLite file is relative
to the catalog folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tagctl.catalog.config import Config
from tagctl.errors import ConfigError

WAREHOUSE_ENV = "TAGCTL_WAREHOUSE_URL"

# Logical tables of DESIGN.md section 5 with their default columns.
TABLES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "users": ("user_id", "is_active"),
        "tag_values": ("user_id", "tag_name", "tag_value", "updated_at"),
        "tag_usage": ("tag_name", "used_at", "consumer_type", "consumer_id", "department"),
        "campaign_tags": ("campaign_id", "tag_name"),
        "campaign_members": ("campaign_id", "user_id", "group_name", "selected_at"),
        "touches": ("campaign_id", "user_id", "touched_at", "status", "responded_at"),
        "conversions": ("user_id", "converted_at", "amount"),
        "campaign_costs": ("campaign_id", "cost"),
    }
)
REQUIRED_TABLES = ("users", "tag_values")


@dataclass(frozen=True)
class Thresholds:
    """Alert thresholds; a tag's `quality` block overrides the catalog's."""

    min_coverage: float
    stale_tolerance: float
    psi_warn: float
    psi_alert: float
    max_domain_violations: float
    max_coverage: float | None = None

    def for_tag(self, quality: Mapping[str, float]) -> Thresholds:
        if not quality:
            return self
        values = {key: quality.get(key, getattr(self, key)) for key in self.__dataclass_fields__}
        return Thresholds(**values)


@dataclass(frozen=True)
class RedundancySettings:
    """`kpi.redundancy`: when two tags' holders are one audience (docs/kpi.md, "Redundant tags")."""

    enabled: bool = True
    jaccard: float = 0.9  # duplicate: Jaccard at least this...
    phi: float = 0.8  # ...and the holder indicators correlated at least this
    containment: float = 0.95  # A inside B: this share of A's holders hold B...
    margin: float = 0.2  # ...which is this much more than B's own coverage
    min_holders: int = 100  # and A has at least this many holders


@dataclass(frozen=True)
class KpiSettings:
    window_days: int
    attribution_days: int
    population: str  # all | active
    thresholds: Thresholds
    min_sample: int
    star_top_n: int
    star_min_uses: int
    cold_max_coverage: float
    cold_max_uses: int
    redundancy: RedundancySettings = RedundancySettings()
    combinations_top_n: int = 10


@dataclass(frozen=True)
class TableMap:
    """Where one logical table lives and what its columns are called."""

    logical: str
    table: str
    schema: str | None
    configured: bool
    layout: str = "long"
    unique: bool = False
    known_users: bool = False
    columns: Mapping[str, str] = field(default_factory=dict)

    def column(self, logical: str) -> str:
        return self.columns.get(logical, logical)

    @property
    def key(self) -> str:
        """The tagctl.yaml key that maps this table."""
        return f"warehouse.tables.{self.logical}"

    @property
    def physical(self) -> str:
        return f"{self.schema}.{self.table}" if self.schema else self.table


@dataclass(frozen=True)
class WarehouseSettings:
    url: str
    timeout_seconds: float
    tables: Mapping[str, TableMap]
    memory_limit: str = "128MB"


@dataclass(frozen=True)
class HistorySettings:
    url: str
    keep_runs: int | None


def kpi_settings(config: Config) -> KpiSettings:
    data: Mapping[str, Any] = config.sections.get("kpi") or {}
    star, cold = data.get("star", {}), data.get("cold", {})
    return KpiSettings(
        window_days=int(data.get("window_days", 30)),
        attribution_days=int(data.get("attribution_days", 7)),
        population=str(data.get("population", "all")),
        thresholds=Thresholds(
            min_coverage=float(data.get("min_coverage", 0.01)),
            stale_tolerance=float(data.get("stale_tolerance", 1.0)),
            psi_warn=float(data.get("psi_warn", 0.1)),
            psi_alert=float(data.get("psi_alert", 0.25)),
            max_domain_violations=float(data.get("max_domain_violations", 0.001)),
        ),
        min_sample=int(data.get("min_sample", 100)),
        star_top_n=int(star.get("top_n", 10)),
        star_min_uses=int(star.get("min_uses", 10)),
        cold_max_coverage=float(cold.get("max_coverage", 0.01)),
        cold_max_uses=int(cold.get("max_uses", 0)),
        redundancy=_redundancy(data.get("redundancy") or {}),
        combinations_top_n=int((data.get("combinations") or {}).get("top_n", 10)),
    )


def _redundancy(data: Mapping[str, Any]) -> RedundancySettings:
    default = RedundancySettings()
    return RedundancySettings(
        enabled=bool(data.get("enabled", default.enabled)),
        jaccard=float(data.get("jaccard", default.jaccard)),
        phi=float(data.get("phi", default.phi)),
        containment=float(data.get("containment", default.containment)),
        margin=float(data.get("margin", default.margin)),
        min_holders=int(data.get("min_holders", default.min_holders)),
    )


def warehouse_settings(config: Config, url: str | None = None) -> WarehouseSettings:
    """The warehouse of `config`; `url` (a --warehouse flag) wins over everything."""
    data: Mapping[str, Any] = config.sections.get("warehouse") or {}
    chosen = url or os.environ.get(WAREHOUSE_ENV) or data.get("url")
    if not chosen:
        raise config.error(("warehouse",), "no warehouse.url", at_key=True)
    default_schema = data.get("schema")
    tables_data: Mapping[str, Any] = data.get("tables") or {}
    tables = {}
    for logical in TABLES:
        entry: Mapping[str, Any] = tables_data.get(logical) or {}
        tables[logical] = TableMap(
            logical=logical,
            table=str(entry.get("table", logical)),
            schema=entry.get("schema", default_schema),
            configured=logical in tables_data,
            layout=str(entry.get("layout", "long")),
            unique=bool(entry.get("unique", False)),
            known_users=bool(entry.get("known_users", False)),
            columns=MappingProxyType(dict(entry.get("columns") or {})),
        )
    return WarehouseSettings(
        url=resolve_url(chosen, config.root),
        timeout_seconds=float(data.get("timeout_seconds", 300)),
        tables=MappingProxyType(tables),
        memory_limit=str(data.get("memory_limit", "128MB")),
    )


def history_settings(config: Config) -> HistorySettings:
    data: Mapping[str, Any] = config.sections.get("history") or {}
    url = data.get("url") or f"sqlite:///{config.root / '.tagctl' / 'history.sqlite'}"
    keep = data.get("keep_runs")
    return HistorySettings(url=resolve_url(str(url), config.root), keep_runs=keep)


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FILE_DIALECTS = ("duckdb", "sqlite", "chdb")  # chdb: a session folder


def resolve_url(url: str, root: Path) -> str:
    """Expand `${VAR}` and anchor a relative DuckDB, SQLite or chDB path at the catalog root."""

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(
                f"the warehouse or history URL names ${{{name}}}, which is not set",
                hint=f"export {name}=...",
            )
        return os.environ[name]

    url = _VARIABLE.sub(expand, url)
    scheme, sep, rest = url.partition(":///")
    if sep and scheme.split("+")[0] in _FILE_DIALECTS:
        path, query_sep, query = rest.partition("?")
        if path and path != ":memory:" and not path.startswith("/"):
            url = f"{scheme}:///{root / path}{query_sep}{query}"
    return url


def demo_path(config: Config, url: str | None = None) -> Path:
    """Where `tagctl demo` writes: the warehouse file when it is DuckDB, else .tagctl/."""
    resolved = warehouse_settings(config, url).url
    scheme, sep, rest = resolved.partition(":///")
    if sep and scheme.split("+")[0] == "duckdb":
        path = rest.partition("?")[0]
        if path and path != ":memory:":
            return Path(path)
    return config.root / ".tagctl" / "demo.duckdb"
