"""The KPI history: saved runs, the drift baseline and trends for the report.

The store is any SQLAlchemy URL (`history.url`; default a SQLite file under
the catalog's `.tagctl/`). Its tables are created on first save:

- `tagctl_runs`: one row per saved run, with the whole JSON document;
- `tagctl_tag_kpis`: the headline KPIs of every tag of a run (trends);
- `tagctl_tag_buckets`: every tag's users by value bucket, with the
  "(no value)" bucket (the drift baseline of the next run);
- `tagctl_run_catalogs`: the `catalog` object of every run's document, small
  enough that the report reads many runs' summaries without their documents.

A run is saved in one transaction, so an interrupted save leaves no half
run; `history.keep_runs` prunes the oldest runs in that same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)

from tagctl.catalog.config import Config
from tagctl.errors import RuntimeFailure, UsageError
from tagctl.kpi.assemble import Baseline, distribution
from tagctl.kpi.database import HistoryDatabase, Statement
from tagctl.kpi.masking import masked
from tagctl.kpi.result import FORMAT_VERSION, KpiRun, TagKpi
from tagctl.kpi.settings import history_settings

METADATA = MetaData()

RUNS = Table(
    "tagctl_runs",
    METADATA,
    Column("run_id", String(32), primary_key=True),
    Column("as_of", DateTime, nullable=False, index=True),
    Column("saved_at", DateTime, nullable=False),
    Column("window_days", Integer, nullable=False),
    Column("population", Integer, nullable=False),
    Column("tagctl_version", String(32), nullable=False),
    Column("document", Text, nullable=False),
)

TAG_KPIS = Table(
    "tagctl_tag_kpis",
    METADATA,
    Column("run_id", String(32), ForeignKey("tagctl_runs.run_id"), primary_key=True),
    Column("tag_name", String(128), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("holders", Integer),
    Column("coverage", Double),
    Column("freshness_hours", Double),
    Column("stale", Boolean),
    Column("domain_violations", Integer),
    Column("events", Integer),
    Column("consumers", Integer),
    Column("activation_rate", Double),
    Column("absolute_lift", Double),
    Column("q_value", Double),
    Column("significant", Boolean),
    Column("audience_index", Double),
    Column("psi", Double),
    Column("level", String(8)),
)

TAG_BUCKETS = Table(
    "tagctl_tag_buckets",
    METADATA,
    Column("run_id", String(32), ForeignKey("tagctl_runs.run_id"), primary_key=True),
    Column("tag_name", String(128), primary_key=True),
    Column("bucket", String(255), primary_key=True),
    Column("users", Integer, nullable=False),
)

RUN_CATALOGS = Table(
    "tagctl_run_catalogs",
    METADATA,
    Column("run_id", String(32), ForeignKey("tagctl_runs.run_id"), primary_key=True),
    Column("catalog", Text, nullable=False),
)


@dataclass(frozen=True)
class SavedRun:
    run_id: str
    as_of: dt.datetime
    saved_at: dt.datetime
    population: int


class History:
    """Saved KPI runs in the store at `url`."""

    def __init__(self, url: str, keep_runs: int | None = None) -> None:
        self.database = HistoryDatabase(url)
        self.keep_runs = keep_runs

    def save(self, run: KpiRun) -> str:
        """Save `run` in one transaction; its run id."""
        self.database.create(METADATA)
        run_id = uuid.uuid4().hex
        statements = _insert_run(run_id, run)
        if self.keep_runs:
            statements += _prune(self.runs(limit=1_000_000), self.keep_runs - 1)
        self.database.write(statements)
        return run_id

    def baseline(self, before: dt.datetime) -> Baseline | None:
        """The distributions of the latest run saved with an as_of before `before`."""
        latest = self._latest(before)
        if latest is None:
            return None
        rows = self.database.read(
            select(TAG_BUCKETS.c.tag_name, TAG_BUCKETS.c.bucket, TAG_BUCKETS.c.users).where(
                TAG_BUCKETS.c.run_id == latest.run_id
            )
        )
        distributions: dict[str, dict[str, int]] = {}
        for row in rows:
            distributions.setdefault(row["tag_name"], {})[row["bucket"]] = int(row["users"])
        return Baseline(as_of=latest.as_of, distributions=distributions)

    def runs(self, limit: int = 50) -> list[SavedRun]:
        """Saved runs, newest first."""
        if not self._ready():
            return []
        rows = self.database.read(
            select(RUNS.c.run_id, RUNS.c.as_of, RUNS.c.saved_at, RUNS.c.population)
            .order_by(RUNS.c.as_of.desc(), RUNS.c.run_id.desc())
            .limit(limit)
        )
        return [SavedRun(**row) for row in rows]

    def document(self, run_id: str | None = None) -> dict[str, Any] | None:
        """The JSON document of a saved run (the latest by default)."""
        if not self._ready():
            return None
        query = select(RUNS.c.document)
        if run_id is None:
            query = query.order_by(RUNS.c.as_of.desc(), RUNS.c.run_id.desc()).limit(1)
        else:
            query = query.where(RUNS.c.run_id == run_id)
        rows = self.database.read(query)
        if not rows:
            return None
        document: dict[str, Any] = json.loads(rows[0]["document"])
        document.setdefault("format_version", FORMAT_VERSION)  # saved before it was written
        return _masked_url(document)

    def run(self, run_id: str | None = None) -> KpiRun | None:
        """The saved run (the latest by default), typed."""
        try:
            document = self.document(run_id)
            return None if document is None else KpiRun.from_document(document)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            which = f"run {run_id}" if run_id else "latest run"
            raise RuntimeFailure(
                f"the {which} in the KPI history cannot be read ({type(error).__name__}: "
                f"{error}); run tagctl kpi --save again"
            ) from error

    def trends(self, limit: int = 30, columns: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """Per-tag headline KPIs of the latest `limit` runs, oldest first.

        Each row has `as_of`, `tag_name` and the KPI `columns` asked for (all by default).
        """
        recent = self.runs(limit)
        if not recent:
            return []
        moments = {run.run_id: run.as_of for run in recent}
        kpis = [TAG_KPIS.c[name] for name in columns] or [
            column for column in TAG_KPIS.c if column.name not in ("run_id", "tag_name")
        ]
        rows = self.database.read(
            select(TAG_KPIS.c.run_id, TAG_KPIS.c.tag_name, *kpis).where(
                TAG_KPIS.c.run_id.in_(list(moments))
            )
        )
        trends = [
            {"as_of": moments[row["run_id"]], **{k: v for k, v in row.items() if k != "run_id"}}
            for row in rows
        ]
        trends.sort(key=lambda row: (row["as_of"], row["tag_name"]))
        return trends

    def summaries(self, limit: int = 30) -> list[dict[str, Any]]:
        """The latest `limit` runs' `as_of`, `population` and `catalog` objects, oldest first."""
        if not self._ready():
            return []
        rows = self.database.read(
            select(RUNS.c.as_of, RUNS.c.population, RUN_CATALOGS.c.catalog)
            .join(RUN_CATALOGS, RUN_CATALOGS.c.run_id == RUNS.c.run_id)
            .order_by(RUNS.c.as_of.desc(), RUNS.c.run_id.desc())
            .limit(limit)
        )
        summaries = [
            {
                "as_of": row["as_of"],
                "population": row["population"],
                "catalog": json.loads(row["catalog"]),
            }
            for row in rows
        ]
        return summaries[::-1]

    def _latest(self, before: dt.datetime) -> SavedRun | None:
        if not self._ready():
            return None
        rows = self.database.read(
            select(RUNS.c.run_id, RUNS.c.as_of, RUNS.c.saved_at, RUNS.c.population)
            .where(RUNS.c.as_of < before)
            .order_by(RUNS.c.as_of.desc(), RUNS.c.run_id.desc())
            .limit(1)
        )
        return SavedRun(**rows[0]) if rows else None

    def _ready(self) -> bool:
        if not self.database.exists():
            return False
        self.database.create(METADATA)
        return True

    def close(self) -> None:
        self.database.close()


@contextmanager
def open_history(url: str, keep_runs: int | None = None) -> Iterator[History]:
    history = History(url, keep_runs)
    try:
        yield history
    finally:
        history.close()


def saved_run(config: Config, asker: str) -> KpiRun:
    """The latest run saved in the catalog's history; a usage error naming `asker` without one."""
    url = history_settings(config).url
    with open_history(url) as history:
        run = history.run()
    if run is None:
        raise no_saved_run(asker, url)
    return run


def no_saved_run(asker: str, url: str) -> UsageError:
    """The error of `asker` (a command or flag) when the history at `url` holds no run."""
    return UsageError(
        f"{asker}: no saved run in {masked(url)}; "
        "run `tagctl kpi --save` (or `tagctl report --save`) first"
    )


def _masked_url(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with its warehouse URL masked (runs saved by older versions held it whole)."""
    place = document.get("warehouse")
    if isinstance(place, dict) and isinstance(place.get("url"), str):
        place["url"] = masked(place["url"])
    return document


def _insert_run(run_id: str, run: KpiRun) -> list[Statement]:
    document = _masked_url(run.document())
    header = {
        "run_id": run_id,
        "as_of": run.as_of,
        "saved_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        "window_days": run.window_days,
        "population": run.population.size,
        "tagctl_version": run.tagctl_version,
        "document": json.dumps(document, ensure_ascii=False, separators=(",", ":")),
    }
    catalog = {"run_id": run_id, "catalog": json.dumps(document["catalog"], ensure_ascii=False)}
    statements: list[Statement] = [(insert(RUNS), [header]), (insert(RUN_CATALOGS), [catalog])]
    kpi_rows = [_kpi_row(run_id, name, kpi) for name, kpi in run.tags.items()]
    if kpi_rows:
        statements.append((insert(TAG_KPIS), kpi_rows))
    bucket_rows = [
        {"run_id": run_id, "tag_name": name, "bucket": bucket[:255], "users": users}
        for name, kpi in run.tags.items()
        if kpi.holders is not None
        for bucket, users in distribution(kpi, run.population.size).items()
    ]
    if bucket_rows:
        statements.append((insert(TAG_BUCKETS), bucket_rows))
    return statements


def _kpi_row(run_id: str, name: str, kpi: TagKpi) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "tag_name": name,
        "status": kpi.status,
        "holders": kpi.holders,
        "coverage": kpi.coverage,
        "freshness_hours": kpi.freshness_hours,
        "stale": kpi.stale,
        "domain_violations": kpi.domain_violations,
        "events": kpi.events,
        "consumers": kpi.consumers,
        "activation_rate": kpi.activation_rate,
        "absolute_lift": kpi.absolute_lift,
        "q_value": kpi.q_value,
        "significant": kpi.significant,
        "audience_index": kpi.audience_index,
        "psi": kpi.psi,
        "level": kpi.level(),
    }


CHILDREN = (TAG_BUCKETS, TAG_KPIS, RUN_CATALOGS)


def _prune(saved: list[SavedRun], keep: int) -> list[Statement]:
    """Deletes of all but the newest `keep` saved runs."""
    doomed = [run.run_id for run in saved[keep:]]
    if not doomed:
        return []
    return [(delete(t).where(t.c.run_id.in_(doomed)), None) for t in (*CHILDREN, RUNS)]
